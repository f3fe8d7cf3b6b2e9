/* kiosk-counter-hub.h
 *
 * SPDX-FileCopyrightText: 2026 Stadtkiosk contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "stadtkiosk-core.h"

G_BEGIN_DECLS

GtkWidget *kiosk_counter_hub_attach (GtkWidget    *content,
                                     KioskContext *context);

G_END_DECLS

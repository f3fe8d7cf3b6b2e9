/* kiosk-a11y.h
 *
 * SPDX-FileCopyrightText: 2026 Stadtkiosk contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

void kiosk_a11y_track_stack    (GtkStack    *stack);
void kiosk_a11y_track_revealer (GtkRevealer *revealer);

G_END_DECLS

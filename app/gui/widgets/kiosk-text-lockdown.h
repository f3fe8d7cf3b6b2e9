/* kiosk-text-lockdown.h
 *
 * SPDX-FileCopyrightText: 2026 Stadtkiosk contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

void kiosk_text_lockdown_attach (GtkWindow *window);
void kiosk_text_lockdown_widget (GtkWidget *widget);

G_END_DECLS

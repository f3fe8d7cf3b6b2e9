/* kiosk-counter-window.h
 *
 * SPDX-FileCopyrightText: 2026 Stadtkiosk contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "stadtkiosk-core.h"

G_BEGIN_DECLS

#define KIOSK_TYPE_COUNTER_WINDOW (kiosk_counter_window_get_type ())

G_DECLARE_FINAL_TYPE (KioskCounterWindow, kiosk_counter_window, KIOSK, COUNTER_WINDOW, AdwApplicationWindow)

KioskCounterWindow *kiosk_counter_window_new          (GtkApplication     *app,
                                                       KioskContext       *context);
GtkWidget          *kiosk_counter_window_get_clerk_page (KioskCounterWindow *self);
gboolean            kiosk_counter_window_import       (KioskCounterWindow *self,
                                                       const char         *path,
                                                       GError            **error);
const char         *kiosk_counter_window_get_status   (KioskCounterWindow *self);
GtkWidget          *kiosk_counter_window_get_inbox_page (KioskCounterWindow *self);

G_END_DECLS

/* kiosk-out-of-service-window.h
 *
 * SPDX-FileCopyrightText: 2026 Stadtkiosk contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define KIOSK_TYPE_OUT_OF_SERVICE_WINDOW (kiosk_out_of_service_window_get_type ())

G_DECLARE_FINAL_TYPE (KioskOutOfServiceWindow, kiosk_out_of_service_window,
                      KIOSK, OUT_OF_SERVICE_WINDOW, AdwApplicationWindow)

GtkWidget  *kiosk_out_of_service_window_new        (const char              *startup_error);
const char *kiosk_out_of_service_window_get_reason (KioskOutOfServiceWindow *self);
void        kiosk_out_of_service_window_set_interrupted (KioskOutOfServiceWindow *self,
                                                         gboolean                 interrupted);
gboolean    kiosk_out_of_service_window_get_interrupted (KioskOutOfServiceWindow *self);

G_END_DECLS

/* kiosk-staff-screen.h
 *
 * SPDX-FileCopyrightText: 2026 Stadtkiosk contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "kiosk-staff-session.h"

G_BEGIN_DECLS

#define KIOSK_TYPE_STAFF_SCREEN (kiosk_staff_screen_get_type ())

G_DECLARE_FINAL_TYPE (KioskStaffScreen, kiosk_staff_screen, KIOSK, STAFF_SCREEN, AdwBin)

GtkWidget         *kiosk_staff_screen_new          (KioskContext     *context);
KioskStaffSession *kiosk_staff_screen_get_session  (KioskStaffScreen *self);
GtkWidget         *kiosk_staff_screen_get_pin_pad  (KioskStaffScreen *self);
GtkWidget         *kiosk_staff_screen_get_clerk_page (KioskStaffScreen *self);
GtkWidget         *kiosk_staff_screen_get_admin_page (KioskStaffScreen *self);
const char        *kiosk_staff_screen_get_visible  (KioskStaffScreen *self);
void               kiosk_staff_screen_show_admin   (KioskStaffScreen *self);
void               kiosk_staff_screen_lock         (KioskStaffScreen *self);
void               kiosk_staff_load_css            (void);

G_END_DECLS

/* kiosk-staff-session.h
 *
 * SPDX-FileCopyrightText: 2026 Stadtkiosk contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "stadtkiosk-core.h"

G_BEGIN_DECLS

#define KIOSK_TYPE_STAFF_SESSION (kiosk_staff_session_get_type ())

G_DECLARE_FINAL_TYPE (KioskStaffSession, kiosk_staff_session, KIOSK, STAFF_SESSION, GObject)

KioskStaffSession *kiosk_staff_session_new           (KioskContext      *context);
KioskContext      *kiosk_staff_session_get_context   (KioskStaffSession *self);
void               kiosk_staff_session_begin         (KioskStaffSession *self,
                                                      KioskRole          role);
void               kiosk_staff_session_end           (KioskStaffSession *self,
                                                      const char        *why);
void               kiosk_staff_session_poke          (KioskStaffSession *self);
void               kiosk_staff_session_attach        (KioskStaffSession *self,
                                                      GtkWidget         *widget);
KioskRole          kiosk_staff_session_get_role      (KioskStaffSession *self);
const char        *kiosk_staff_session_get_role_name (KioskStaffSession *self);
guint              kiosk_staff_session_get_timeout   (KioskStaffSession *self);
void               kiosk_staff_session_set_timeout   (KioskStaffSession *self,
                                                      guint              timeout_s);
guint              kiosk_staff_session_get_remaining (KioskStaffSession *self);
void               kiosk_staff_session_audit         (KioskStaffSession *self,
                                                      const char        *action,
                                                      const char        *detail);

void               kiosk_staff_clear_list            (GtkListBox        *list);

G_END_DECLS

/* kiosk-clerk-page.h
 *
 * SPDX-FileCopyrightText: 2026 Stadtkiosk contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "kiosk-staff-session.h"

G_BEGIN_DECLS

/* Rows listed at most; the rest are found with the scan field (#18). */
#define KIOSK_CLERK_PAGE_MAX_ROWS 50

#define KIOSK_TYPE_CLERK_PAGE (kiosk_clerk_page_get_type ())

G_DECLARE_FINAL_TYPE (KioskClerkPage, kiosk_clerk_page, KIOSK, CLERK_PAGE, AdwBin)

GtkWidget  *kiosk_clerk_page_new             (KioskStaffSession *session);
void        kiosk_clerk_page_refresh         (KioskClerkPage    *self);
void        kiosk_clerk_page_set_keys        (KioskClerkPage    *self,
                                              KioskKeys         *keys);
GtkWidget  *kiosk_clerk_page_get_scan_entry  (KioskClerkPage    *self);
const char *kiosk_clerk_page_get_scan_result (KioskClerkPage    *self);
KioskRequest *kiosk_clerk_page_get_scanned   (KioskClerkPage    *self);
guint       kiosk_clerk_page_get_n_rows      (KioskClerkPage    *self);
guint       kiosk_clerk_page_get_n_hidden    (KioskClerkPage    *self);
void        kiosk_clerk_page_scan            (KioskClerkPage    *self,
                                              const char        *text);
void        kiosk_clerk_page_assist          (KioskClerkPage    *self);
void        kiosk_clerk_page_set_counter_mode (KioskClerkPage   *self,
                                              gboolean           counter);

char       *kiosk_staff_describe_request     (KioskContext      *context,
                                              KioskRequest      *request);
char       *kiosk_staff_service_title        (KioskContext      *context,
                                              const char        *service_id);

G_END_DECLS

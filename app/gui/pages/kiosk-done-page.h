/* kiosk-done-page.h
 *
 * SPDX-FileCopyrightText: 2026 Stadtkiosk contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "stadtkiosk-core.h"
#include "kiosk-session.h"

G_BEGIN_DECLS

#define KIOSK_TYPE_DONE_PAGE (kiosk_done_page_get_type ())

G_DECLARE_FINAL_TYPE (KioskDonePage, kiosk_done_page, KIOSK, DONE_PAGE, AdwBin)

GtkWidget  *kiosk_done_page_new              (KioskSession  *session);
void        kiosk_done_page_set_request      (KioskDonePage *self,
                                              KioskRequest  *request,
                                              KioskService  *service,
                                              const char    *qr_text);
void        kiosk_done_page_set_state        (KioskDonePage *self,
                                              KioskRequestState state);
void        kiosk_done_page_set_refer        (KioskDonePage *self,
                                              KioskService  *service,
                                              const char    *locale);
void        kiosk_done_page_set_print_status (KioskDonePage *self,
                                              const char    *message,
                                              gboolean       failed);
GtkWidget  *kiosk_done_page_get_print_button (KioskDonePage *self);
const char *kiosk_done_page_get_state_text   (KioskDonePage *self);
const char *kiosk_done_page_get_code         (KioskDonePage *self);
const char *kiosk_done_page_get_qr_text      (KioskDonePage *self);
const char *kiosk_done_page_get_print_status (KioskDonePage *self);

void         kiosk_done_page_set_next_steps (KioskDonePage *self,
                                             const char    *text);
const char  *kiosk_done_page_get_next_steps (KioskDonePage *self);

G_END_DECLS

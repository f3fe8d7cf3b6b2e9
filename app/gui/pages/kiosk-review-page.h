/* kiosk-review-page.h
 *
 * SPDX-FileCopyrightText: 2026 Stadtkiosk contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "stadtkiosk-core.h"
#include "kiosk-session.h"

G_BEGIN_DECLS

#define KIOSK_TYPE_REVIEW_PAGE (kiosk_review_page_get_type ())

G_DECLARE_FINAL_TYPE (KioskReviewPage, kiosk_review_page, KIOSK, REVIEW_PAGE, AdwBin)

GtkWidget *kiosk_review_page_new             (KioskSession    *session);
void       kiosk_review_page_update          (KioskReviewPage *self);
GtkWidget *kiosk_review_page_get_send_button (KioskReviewPage *self);
void       kiosk_review_page_set_message     (KioskReviewPage *self,
                                              const char      *message);
char      *kiosk_format_answer               (KioskField      *field,
                                              JsonNode        *value,
                                              const char      *locale);

G_END_DECLS

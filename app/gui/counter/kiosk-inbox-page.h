/* kiosk-inbox-page.h
 *
 * SPDX-FileCopyrightText: 2026 Stadtkiosk contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "stadtkiosk-core.h"

G_BEGIN_DECLS

#define KIOSK_TYPE_INBOX_PAGE (kiosk_inbox_page_get_type ())

G_DECLARE_FINAL_TYPE (KioskInboxPage, kiosk_inbox_page, KIOSK, INBOX_PAGE, GtkBox)

GtkWidget  *kiosk_inbox_page_new             (KioskContext   *context,
                                              KioskHubInbox  *inbox,
                                              KioskKeys      *keys);
void        kiosk_inbox_page_refresh         (KioskInboxPage *self);
gboolean    kiosk_inbox_page_is_busy         (KioskInboxPage *self);
guint       kiosk_inbox_page_get_n_shown     (KioskInboxPage *self);
gboolean    kiosk_inbox_page_open            (KioskInboxPage *self,
                                              const char     *short_code);
const char *kiosk_inbox_page_get_open_id     (KioskInboxPage *self);
const char *kiosk_inbox_page_get_message     (KioskInboxPage *self);

G_END_DECLS

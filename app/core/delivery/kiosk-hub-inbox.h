/* kiosk-hub-inbox.h: the city's side of the hub — its inbox
 *
 * SPDX-FileCopyrightText: 2026 Stadtkiosk contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "kiosk-config.h"
#include "kiosk-keys.h"

G_BEGIN_DECLS

#define KIOSK_TYPE_INBOX_ENTRY (kiosk_inbox_entry_get_type ())
#define KIOSK_TYPE_HUB_INBOX (kiosk_hub_inbox_get_type ())

G_DECLARE_FINAL_TYPE (KioskInboxEntry, kiosk_inbox_entry, KIOSK, INBOX_ENTRY, GObject)
G_DECLARE_FINAL_TYPE (KioskHubInbox, kiosk_hub_inbox, KIOSK, HUB_INBOX, GObject)

/* The city's answers, as status documents carry them; "new" is a request
 * without one. */
#define KIOSK_INBOX_STATUS_NEW "new"
/* Requests one list (one page) holds at the most. */
#define KIOSK_HUB_INBOX_LIMIT 2000

const char   *kiosk_inbox_entry_get_id          (KioskInboxEntry  *self);
const char   *kiosk_inbox_entry_get_short_code  (KioskInboxEntry  *self);
const char   *kiosk_inbox_entry_get_service_id  (KioskInboxEntry  *self);
const char   *kiosk_inbox_entry_get_kiosk_id    (KioskInboxEntry  *self);
const char   *kiosk_inbox_entry_get_created     (KioskInboxEntry  *self);
const char   *kiosk_inbox_entry_get_status      (KioskInboxEntry  *self);

gboolean      kiosk_inbox_status_is_valid       (const char       *status);

KioskHubInbox *kiosk_hub_inbox_new              (KioskConfig      *config,
                                                 const char       *url,
                                                 const char       *user,
                                                 const char       *password_file,
                                                 GError          **error);
const char   *kiosk_hub_inbox_get_url           (KioskHubInbox    *self);

void          kiosk_hub_inbox_list_async        (KioskHubInbox       *self,
                                                 GCancellable        *cancellable,
                                                 GAsyncReadyCallback  callback,
                                                 gpointer             user_data);
GListModel   *kiosk_hub_inbox_list_finish       (KioskHubInbox       *self,
                                                 GAsyncResult        *result,
                                                 GError             **error);
void          kiosk_hub_inbox_list_page_async   (KioskHubInbox       *self,
                                                 const char          *from,
                                                 guint                limit,
                                                 GCancellable        *cancellable,
                                                 GAsyncReadyCallback  callback,
                                                 gpointer             user_data);
GListModel   *kiosk_hub_inbox_list_page_finish  (KioskHubInbox       *self,
                                                 GAsyncResult        *result,
                                                 char               **out_next,
                                                 guint               *out_more,
                                                 GError             **error);
void          kiosk_hub_inbox_fetch_async       (KioskHubInbox       *self,
                                                 const char          *id,
                                                 GCancellable        *cancellable,
                                                 GAsyncReadyCallback  callback,
                                                 gpointer             user_data);
JsonObject   *kiosk_hub_inbox_fetch_finish      (KioskHubInbox       *self,
                                                 GAsyncResult        *result,
                                                 JsonObject         **out_status,
                                                 GError             **error);
void          kiosk_hub_inbox_set_status_async  (KioskHubInbox       *self,
                                                 JsonObject          *submission,
                                                 const char          *status,
                                                 JsonObject          *note,
                                                 GCancellable        *cancellable,
                                                 GAsyncReadyCallback  callback,
                                                 gpointer             user_data);
gboolean      kiosk_hub_inbox_set_status_finish (KioskHubInbox       *self,
                                                 GAsyncResult        *result,
                                                 GError             **error);

JsonNode     *kiosk_hub_inbox_open_answers      (JsonObject          *submission,
                                                 KioskKeys           *keys,
                                                 GError             **error);
JsonObject   *kiosk_hub_inbox_build_status      (JsonObject          *submission,
                                                 const char          *status,
                                                 JsonObject          *note,
                                                 const char          *rev,
                                                 GDateTime           *updated);

G_END_DECLS

/* kiosk-couchdb-target.h
 *
 * SPDX-FileCopyrightText: 2026 Stadtkiosk contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

#include "kiosk-clock.h"
#include "kiosk-config.h"
#include "kiosk-outbox.h"
#include "kiosk-target.h"

G_BEGIN_DECLS

#define KIOSK_TYPE_COUCHDB_TARGET (kiosk_couchdb_target_get_type ())

G_DECLARE_FINAL_TYPE (KioskCouchdbTarget, kiosk_couchdb_target, KIOSK, COUCHDB_TARGET, GObject)

/* Documents per _bulk_docs request at the most. */
#define KIOSK_COUCHDB_BULK_MAX 100

KioskCouchdbTarget *kiosk_couchdb_target_new              (KioskConfig         *config,
                                                            KioskClock          *clock,
                                                            guint                max_connections,
                                                            GError             **error);
GBytes             *kiosk_couchdb_target_build_doc        (KioskCouchdbTarget  *self,
                                                            KioskRequest        *request,
                                                            char               **out_sha256,
                                                            GError             **error);
const char         *kiosk_couchdb_target_get_db_url       (KioskCouchdbTarget  *self);

/* The design document `hub setup` installs (data/couchdb/). */
#define KIOSK_COUCHDB_DESIGN "_design/stadtkiosk"

void                kiosk_couchdb_target_pull_status_async  (KioskCouchdbTarget  *self,
                                                             KioskOutbox         *outbox,
                                                             GCancellable        *cancellable,
                                                             GAsyncReadyCallback  callback,
                                                             gpointer             user_data);
gboolean            kiosk_couchdb_target_pull_status_finish (KioskCouchdbTarget  *self,
                                                             GAsyncResult        *result,
                                                             guint               *out_n_updated,
                                                             GError             **error);
void                kiosk_couchdb_target_put_doc_async      (KioskCouchdbTarget  *self,
                                                             const char          *id,
                                                             JsonObject          *doc,
                                                             GCancellable        *cancellable,
                                                             GAsyncReadyCallback  callback,
                                                             gpointer             user_data);
gboolean            kiosk_couchdb_target_put_doc_finish     (KioskCouchdbTarget  *self,
                                                             GAsyncResult        *result,
                                                             GError             **error);

/* One read below the database with the target's login and pin (#16). */
void                kiosk_couchdb_target_get_async          (KioskCouchdbTarget  *self,
                                                             const char          *path,
                                                             guint                deadline_s,
                                                             gsize                max_body,
                                                             GCancellable        *cancellable,
                                                             GAsyncReadyCallback  callback,
                                                             gpointer             user_data);
GBytes             *kiosk_couchdb_target_get_finish         (KioskCouchdbTarget  *self,
                                                             GAsyncResult        *result,
                                                             guint               *out_status,
                                                             GError             **error);

G_END_DECLS

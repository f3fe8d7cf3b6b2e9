/* kiosk-couchdb-target-private.h
 *
 * SPDX-FileCopyrightText: 2026 Stadtkiosk contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <libsoup/soup.h>

#include "kiosk-config.h"
#include "kiosk-couchdb-target.h"

G_BEGIN_DECLS

/* For the tests' negative control: a new _id for every attempt. */
void    _kiosk_couchdb_target_set_fresh_ids     (KioskCouchdbTarget  *self,
                                                 gboolean             fresh_ids);
/* The benchmark's same-run baseline: the old batches of four. */
void    _kiosk_couchdb_target_set_batch_max     (KioskCouchdbTarget  *self,
                                                 guint                batch_max);
/* The benchmark's same-run baseline: no batch prepared while one is at
 * the hub. */
void    _kiosk_couchdb_target_set_prepare_ahead (KioskCouchdbTarget  *self,
                                                 gboolean             prepare_ahead);
GBytes *_kiosk_couchdb_target_build_doc_with_id (KioskCouchdbTarget  *self,
                                                 KioskRequest        *request,
                                                 const char          *id,
                                                 char               **out_sha256,
                                                 GError             **error);

/* kiosk_http_send_finish(), with a wrong certificate said as the hub's
 * setting: "does not match [couchdb] pin-sha256". */
GBytes *_kiosk_couchdb_send_finish              (GAsyncResult        *result,
                                                 GError             **error);

/* What the target and the counter's inbox need to talk to the hub. */
typedef struct
{
  char        *db_url;          /* without a trailing slash */
  char        *authorization;   /* "Basic …" or NULL; never printed */
  char        *pin_sha256;      /* lower case, or NULL */
  SoupSession *session;
  guint        deadline_s;      /* [backend] timeout, at least 1 */
} KioskCouchdbLogin;

gboolean _kiosk_couchdb_login                   (KioskConfig         *config,
                                                 const char          *url,
                                                 const char          *user,
                                                 const char          *password_file,
                                                 guint                max_connections,
                                                 KioskCouchdbLogin   *login,
                                                 GError             **error);
void    _kiosk_couchdb_login_clear              (KioskCouchdbLogin   *login);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (KioskCouchdbLogin, _kiosk_couchdb_login_clear)

char   *_kiosk_couchdb_read_password            (const char          *path,
                                                 GError             **error);

G_END_DECLS

/* kiosk-hub-test-util.h: a real CouchDB-compatible hub (pouchdb-server) and
 * a connection-dropping proxy for the hub tests
 *
 * SPDX-FileCopyrightText: 2026 Stadtkiosk contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

typedef struct _HubPeer HubPeer;
typedef struct _DropProxy DropProxy;

char      *hub_peer_find_program (void);
HubPeer   *hub_peer_start        (const char  *data_dir,
                                  guint        port);
void       hub_peer_stop         (HubPeer     *peer);
void       hub_peer_free         (HubPeer     *peer);
guint      hub_peer_get_port     (HubPeer     *peer);
const char *hub_peer_get_url     (HubPeer     *peer);
double     hub_peer_get_cpu_seconds (HubPeer  *peer);

JsonNode  *hub_http              (const char  *method,
                                  const char  *url,
                                  const char  *body,
                                  guint       *out_status);
JsonNode  *hub_http_as           (const char  *user,
                                  const char  *password,
                                  const char  *method,
                                  const char  *url,
                                  const char  *body,
                                  guint       *out_status);
JsonNode  *hub_all_docs          (const char  *db_url);
guint      hub_count_type        (const char  *db_url,
                                  const char  *type,
                                  GHashTable  *out_short_codes);

DropProxy *drop_proxy_start      (guint        upstream_port,
                                  guint        seed,
                                  guint        before_pct,
                                  guint        after_pct);
guint      drop_proxy_get_port   (DropProxy   *proxy);
char      *drop_proxy_stop       (DropProxy   *proxy);

G_END_DECLS

/* kiosk-heartbeat.c
 *
 * SPDX-FileCopyrightText: 2026 Stadtkiosk contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "kiosk-heartbeat"

#include "config.h"

#include "kiosk-heartbeat.h"

#include "kiosk-alerts.h"
#include "kiosk-catalog.h"
#include "kiosk-outbox.h"
#include "kiosk-request.h"

/* The kiosk:<id> document a kiosk writes to the hub every
 * [couchdb] heartbeat-interval, which `stadtkioskctl fleet status` reads.
 * It says how the kiosk is, never what anybody asked: no answers, no
 * short codes, no request ids. */

static char *
format_time (gint64 unix_us)
{
  g_autoptr(GDateTime) time = NULL;

  if (unix_us <= 0)
    return NULL;
  time = g_date_time_new_from_unix_utc (unix_us / G_USEC_PER_SEC);
  return time != NULL ? g_date_time_format (time, "%Y-%m-%dT%H:%M:%SZ") : NULL;
}

static void
set_time (JsonObject *object,
          const char *member,
          gint64      unix_us)
{
  g_autofree char *text = format_time (unix_us);

  if (text != NULL)
    json_object_set_string_member (object, member, text);
  else
    json_object_set_null_member (object, member);
}

/**
 * kiosk_heartbeat_build:
 * @last_success_us: the sync's last successful delivery, or 0 if unknown
 * @pause_reason: (nullable): why the sync is paused, if it is
 *
 * Returns: (transfer full): the heartbeat document (without _id), or %NULL
 *   with @error set when the database cannot be read
 */
JsonObject *
kiosk_heartbeat_build (KioskContext  *context,
                       gint64         last_success_us,
                       const char    *pause_reason,
                       GError       **error)
{
  KioskConfig *config;
  KioskOutbox *outbox;
  gint64 now;
  gint64 oldest;
  guint counts[KIOSK_REQUEST_N_STATES];
  g_autoptr(JsonObject) doc = json_object_new ();
  g_autoptr(JsonObject) queue = json_object_new ();
  g_autoptr(JsonArray) alerts = json_array_new ();
  g_autoptr(GPtrArray) collected = NULL;
  g_autoptr(KioskCatalog) catalog = NULL;
  g_autoptr(GFile) state_dir = NULL;
  g_autoptr(GFileInfo) fs = NULL;

  g_return_val_if_fail (KIOSK_IS_CONTEXT (context), NULL);

  config = kiosk_context_get_config (context);
  outbox = kiosk_context_get_outbox (context);
  now = kiosk_clock_get_now (kiosk_context_get_clock (context));

  if (!kiosk_outbox_count_by_state (outbox, counts, error))
    return NULL;

  json_object_set_string_member (doc, "type", "kiosk");
  json_object_set_string_member (doc, "kiosk_id", kiosk_config_get_kiosk_id (config));
  json_object_set_string_member (doc, "location", kiosk_config_get_location (config));
  json_object_set_string_member (doc, "version", PACKAGE_VERSION);
  set_time (doc, "updated", now);
  json_object_set_int_member (doc, "heartbeat_interval", kiosk_config_get_heartbeat_interval (config));

  /* The context's shared copy, not a parse per heartbeat (#18). */
  catalog = kiosk_context_dup_active_catalog (context, NULL);
  if (catalog != NULL && kiosk_catalog_get_version (catalog) != NULL)
    json_object_set_string_member (doc, "catalog_version", kiosk_catalog_get_version (catalog));
  else
    json_object_set_null_member (doc, "catalog_version");

  for (guint i = 0; i < KIOSK_REQUEST_N_STATES; i++)
    json_object_set_int_member (queue, kiosk_request_state_to_string (i), counts[i]);
  json_object_set_object_member (doc, "queue", g_steal_pointer (&queue));

  oldest = kiosk_outbox_get_oldest_undelivered (outbox);
  if (oldest > 0)
    json_object_set_int_member (doc, "oldest_undelivered_s", MAX (now - oldest, 0) / G_USEC_PER_SEC);
  else
    json_object_set_null_member (doc, "oldest_undelivered_s");
  set_time (doc, "last_delivery", last_success_us);
  json_object_set_string_member (doc, "printer", kiosk_config_get_printer (config));

  collected = kiosk_alerts_collect (config, context, NULL, pause_reason, now);
  for (guint i = 0; collected != NULL && i < collected->len; i++)
    {
      KioskAlert *alert = collected->pdata[i];
      JsonObject *o = json_object_new ();

      /* The kind, and the words only when they are about the kiosk: an
       * alert about a request names its short code and the city's reason,
       * and the hub is no place for which citizen waits for what. */
      json_object_set_string_member (o, "kind", kiosk_alert_kind_to_string (alert->kind));
      if (alert->request_id == NULL)
        json_object_set_string_member (o, "message", alert->message);
      json_array_add_object_element (alerts, o);
    }
  json_object_set_array_member (doc, "alerts", g_steal_pointer (&alerts));

  state_dir = g_file_new_for_path (kiosk_config_get_state_dir (config));
  fs = g_file_query_filesystem_info (state_dir, G_FILE_ATTRIBUTE_FILESYSTEM_FREE, NULL, NULL);
  if (fs != NULL && g_file_info_has_attribute (fs, G_FILE_ATTRIBUTE_FILESYSTEM_FREE))
    json_object_set_int_member (doc, "disk_free_bytes",
                                (gint64) g_file_info_get_attribute_uint64 (fs, G_FILE_ATTRIBUTE_FILESYSTEM_FREE));
  else
    json_object_set_null_member (doc, "disk_free_bytes");

  return g_steal_pointer (&doc);
}

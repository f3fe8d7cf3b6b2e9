/* kiosk-hub-agent.c
 *
 * SPDX-FileCopyrightText: 2026 Stadtkiosk contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "kiosk-hub-agent"

#include "config.h"

#include "kiosk-hub-agent.h"

#include "kiosk-catalog.h"
#include "kiosk-catalog-bundle.h"
#include "kiosk-heartbeat.h"
#include "kiosk-http.h"
#include "kiosk-json-private.h"

#include <json-glib/json-glib.h>

/* What a kiosk does with the hub besides delivering: every [couchdb]
 * heartbeat-interval (on the kiosk's clock, so tests can jump), it writes
 * its heartbeat kiosk:<id> and then reads the city's status for its
 * requests; once an hour, with [keys] catalog-public-key set, it also
 * looks whether the city published another catalogue (catalog:current,
 * `stadtkioskctl catalog publish`) and takes it under the rule of every
 * catalogue from outside (kiosk_catalog_bundle_unwrap(): signed, not
 * older; refused with the `catalog` alert, the last good one stays).  The
 * document's revision is remembered as the catalogue's ETag, so an
 * unchanged catalogue costs one small read, not the bundle.  A round that
 * fails is logged and tried again at the next interval; nothing here can
 * lose a request. */

/* How often the hub's catalogue is looked at, and its document. */
#define CATALOG_INTERVAL_US (G_GINT64_CONSTANT (3600) * G_USEC_PER_SEC)
#define CATALOG_DOC         "catalog%3Acurrent"
#define CATALOG_ETAG_PREFIX "hub-rev:"

struct _KioskHubAgent
{
  GObject             parent_instance;

  KioskContext       *context;
  KioskCouchdbTarget *target;
  KioskSync          *sync;         /* nullable: last delivery, pause reason */
  GCancellable       *cancellable;
  guint               timer_id;
  gboolean            busy;
  guint               n_rounds;     /* completed rounds, failed or not */
  char               *last_error;
  gint64              last_catalog_look;  /* on the kiosk's clock; 0: never */
  char               *catalog_rev;        /* of the document being fetched */
};

G_DEFINE_FINAL_TYPE (KioskHubAgent, kiosk_hub_agent, G_TYPE_OBJECT)

static void
round_done (KioskHubAgent *self,
            const GError  *error)
{
  g_clear_pointer (&self->last_error, g_free);
  if (error != NULL)
    {
      self->last_error = g_strdup (error->message);
      g_debug ("hub round: %s", error->message);
    }
  self->busy = FALSE;
  self->n_rounds++;
}

static guint
catalog_deadline_s (KioskHubAgent *self)
{
  /* A catalogue pull may take ten times an HTTP request ([backend] timeout). */
  return kiosk_config_get_request_timeout (kiosk_context_get_config (self->context)) * 10;
}

static void
bundle_fetched_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(KioskHubAgent) self = user_data;
  KioskStore *store = kiosk_context_get_store (self->context);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bundle = NULL;
  g_autoptr(GBytes) catalog = NULL;
  g_autofree char *source = NULL;
  g_autofree char *etag = NULL;
  guint status = 0;

  bundle = kiosk_couchdb_target_get_finish (KIOSK_COUCHDB_TARGET (object), result, &status, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      self->busy = FALSE;
      return;
    }
  source = g_strdup_printf ("%s/catalog:current", kiosk_couchdb_target_get_db_url (self->target));
  if (bundle != NULL && status != 200)
    g_set_error (&error, KIOSK_TARGET_ERROR, KIOSK_TARGET_ERROR_HTTP,
                 "catalogue from %s: HTTP %u", source, status);
  if (error == NULL)
    catalog = kiosk_catalog_bundle_unwrap (store, kiosk_config_get_catalog_public_key_file (kiosk_context_get_config (self->context)),
                                           bundle, source, &error);
  etag = g_strconcat (CATALOG_ETAG_PREFIX, self->catalog_rev, NULL);
  if (catalog != NULL && kiosk_catalog_store_active (store, catalog, source, etag, &error))
    g_message ("catalogue from %s is active", source);
  if (error != NULL)
    g_prefix_error (&error, "catalogue: ");
  round_done (self, error);
}

static void
catalog_doc_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(KioskHubAgent) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *active_etag = NULL;
  g_autofree char *etag = NULL;
  const char *rev = NULL;
  guint status = 0;

  body = kiosk_couchdb_target_get_finish (KIOSK_COUCHDB_TARGET (object), result, &status, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      self->busy = FALSE;
      return;
    }
  if (body != NULL && status == 404)
    {
      /* The city has not published one: the kiosk's own stays. */
      round_done (self, NULL);
      return;
    }
  if (body != NULL && status != 200)
    g_set_error (&error, KIOSK_TARGET_ERROR, KIOSK_TARGET_ERROR_HTTP, "HTTP %u", status);
  if (error == NULL &&
      (root = kiosk_json_parse_bytes (body, KIOSK_JSON_OUTSIDE_DEPTH, &error)) != NULL)
    {
      if (JSON_NODE_HOLDS_OBJECT (root))
        rev = json_object_get_string_member_with_default (json_node_get_object (root), "_rev", NULL);
      if (rev == NULL)
        g_set_error_literal (&error, KIOSK_TARGET_ERROR, KIOSK_TARGET_ERROR_HTTP,
                             "the hub's catalog:current has no _rev");
    }
  if (error != NULL)
    {
      g_prefix_error (&error, "catalogue from %s/catalog:current: ", kiosk_couchdb_target_get_db_url (self->target));
      round_done (self, error);
      return;
    }

  /* The same revision as the active one's: nothing to fetch. */
  active_etag = kiosk_catalog_dup_active_etag (kiosk_context_get_store (self->context));
  etag = g_strconcat (CATALOG_ETAG_PREFIX, rev, NULL);
  if (g_strcmp0 (active_etag, etag) == 0)
    {
      round_done (self, NULL);
      return;
    }
  g_free (self->catalog_rev);
  self->catalog_rev = g_strdup (rev);
  kiosk_couchdb_target_get_async (self->target, CATALOG_DOC "/bundle.json", catalog_deadline_s (self),
                                  KIOSK_HTTP_MAX_CATALOG, self->cancellable, bundle_fetched_cb,
                                  g_object_ref (self));
}

/* The last step of a round: the hub's catalogue, once an hour, and only
 * with a key to check it (`hub pull-catalog` refuses without one too). */
static void
look_at_catalog (KioskHubAgent *self)
{
  KioskConfig *config = kiosk_context_get_config (self->context);
  const char *key = kiosk_config_get_catalog_public_key_file (config);
  gint64 now = kiosk_clock_get_now (kiosk_context_get_clock (self->context));

  if (key == NULL || *key == '\0' ||
      (self->last_catalog_look != 0 && now - self->last_catalog_look < CATALOG_INTERVAL_US))
    {
      round_done (self, NULL);
      return;
    }
  self->last_catalog_look = now;
  kiosk_couchdb_target_get_async (self->target, CATALOG_DOC, catalog_deadline_s (self), KIOSK_HTTP_MAX_BODY,
                                  self->cancellable, catalog_doc_cb, g_object_ref (self));
}

static void
pulled_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(KioskHubAgent) self = user_data;
  g_autoptr(GError) error = NULL;
  guint n = 0;

  if (!kiosk_couchdb_target_pull_status_finish (KIOSK_COUCHDB_TARGET (object), result, &n, &error) &&
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      self->busy = FALSE;
      return;
    }
  if (n > 0)
    g_debug ("%u request(s) with news from the city", n);
  if (error != NULL)
    {
      round_done (self, error);
      return;
    }
  look_at_catalog (self);
}

static void
heartbeat_written_cb (GObject      *object,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(KioskHubAgent) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!kiosk_couchdb_target_put_doc_finish (KIOSK_COUCHDB_TARGET (object), result, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          self->busy = FALSE;
          return;
        }
      /* The status is worth reading even when the heartbeat failed. */
      g_debug ("heartbeat: %s", error->message);
    }
  kiosk_couchdb_target_pull_status_async (self->target, kiosk_context_get_outbox (self->context),
                                          self->cancellable, pulled_cb, g_object_ref (self));
}

static gboolean
tick_cb (gpointer user_data)
{
  KioskHubAgent *self = user_data;
  g_autoptr(JsonObject) doc = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;
  const char *pause_reason = NULL;

  if (self->busy)
    return G_SOURCE_CONTINUE;
  if (self->sync != NULL && kiosk_sync_get_state (self->sync) == KIOSK_SYNC_PAUSED)
    pause_reason = kiosk_sync_get_pause_reason (self->sync);
  doc = kiosk_heartbeat_build (self->context, self->sync != NULL ? kiosk_sync_get_last_success (self->sync) : 0,
                               pause_reason, &error);
  if (doc == NULL)
    {
      round_done (self, error);
      return G_SOURCE_CONTINUE;
    }
  self->busy = TRUE;
  id = g_strconcat ("kiosk:", kiosk_config_get_kiosk_id (kiosk_context_get_config (self->context)), NULL);
  kiosk_couchdb_target_put_doc_async (self->target, id, doc, self->cancellable,
                                      heartbeat_written_cb, g_object_ref (self));
  return G_SOURCE_CONTINUE;
}

static void
kiosk_hub_agent_dispose (GObject *object)
{
  KioskHubAgent *self = (KioskHubAgent *)object;

  kiosk_hub_agent_stop (self);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->sync);
  g_clear_object (&self->target);
  g_clear_object (&self->context);

  G_OBJECT_CLASS (kiosk_hub_agent_parent_class)->dispose (object);
}

static void
kiosk_hub_agent_finalize (GObject *object)
{
  KioskHubAgent *self = (KioskHubAgent *)object;

  g_free (self->last_error);
  g_free (self->catalog_rev);

  G_OBJECT_CLASS (kiosk_hub_agent_parent_class)->finalize (object);
}

static void
kiosk_hub_agent_class_init (KioskHubAgentClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = kiosk_hub_agent_dispose;
  object_class->finalize = kiosk_hub_agent_finalize;
}

static void
kiosk_hub_agent_init (KioskHubAgent *self)
{
}

/**
 * kiosk_hub_agent_new:
 * @sync: (nullable): the sync delivering into the hub, for the heartbeat's
 *   last delivery and pause reason
 */
KioskHubAgent *
kiosk_hub_agent_new (KioskContext       *context,
                     KioskCouchdbTarget *target,
                     KioskSync          *sync)
{
  KioskHubAgent *self;

  g_return_val_if_fail (KIOSK_IS_CONTEXT (context), NULL);
  g_return_val_if_fail (KIOSK_IS_COUCHDB_TARGET (target), NULL);
  g_return_val_if_fail (sync == NULL || KIOSK_IS_SYNC (sync), NULL);

  self = g_object_new (KIOSK_TYPE_HUB_AGENT, NULL);
  self->context = g_object_ref (context);
  self->target = g_object_ref (target);
  self->sync = sync != NULL ? g_object_ref (sync) : NULL;
  return self;
}

/**
 * kiosk_hub_agent_start:
 *
 * A round now, then one every [couchdb] heartbeat-interval.
 */
void
kiosk_hub_agent_start (KioskHubAgent *self)
{
  KioskClock *clock;
  guint interval;

  g_return_if_fail (KIOSK_IS_HUB_AGENT (self));

  if (self->timer_id != 0)
    return;
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  clock = kiosk_context_get_clock (self->context);
  interval = kiosk_config_get_heartbeat_interval (kiosk_context_get_config (self->context));
  self->timer_id = kiosk_clock_add_timeout (clock, interval * 1000, tick_cb, self, NULL);
  tick_cb (self);
}

void
kiosk_hub_agent_stop (KioskHubAgent *self)
{
  g_return_if_fail (KIOSK_IS_HUB_AGENT (self));

  if (self->timer_id != 0)
    kiosk_clock_remove_timeout (kiosk_context_get_clock (self->context), self->timer_id);
  self->timer_id = 0;
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
}

guint
kiosk_hub_agent_get_n_rounds (KioskHubAgent *self)
{
  g_return_val_if_fail (KIOSK_IS_HUB_AGENT (self), 0);
  return self->n_rounds;
}

const char *
kiosk_hub_agent_get_last_error (KioskHubAgent *self)
{
  g_return_val_if_fail (KIOSK_IS_HUB_AGENT (self), NULL);
  return self->last_error;
}

/* ---- One round, for `stadtkioskctl sync` ----------------------------------- */

typedef struct
{
  GError *heartbeat_error;
  guint   n_updated;
} Once;

static void
once_free (Once *once)
{
  g_clear_error (&once->heartbeat_error);
  g_free (once);
}

static void
once_pulled_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  KioskHubAgent *self = g_task_get_source_object (task);
  Once *once = g_task_get_task_data (task);
  GError *error = NULL;

  if (!kiosk_couchdb_target_pull_status_finish (KIOSK_COUCHDB_TARGET (object), result, &once->n_updated, &error))
    {
      if (once->heartbeat_error != NULL && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_prefix_error (&error, "heartbeat: %s; city's status: ", once->heartbeat_error->message);
      else if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_prefix_error (&error, "city's status: ");
      round_done (self, error);
      g_task_return_error (task, error);
      return;
    }
  if (once->heartbeat_error != NULL)
    {
      round_done (self, once->heartbeat_error);
      g_task_return_error (task, g_steal_pointer (&once->heartbeat_error));
      return;
    }
  round_done (self, NULL);
  g_task_return_boolean (task, TRUE);
}

static void
once_heartbeat_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  KioskHubAgent *self = g_task_get_source_object (task);
  Once *once = g_task_get_task_data (task);
  GCancellable *cancellable;
  GError *error = NULL;

  if (!kiosk_couchdb_target_put_doc_finish (KIOSK_COUCHDB_TARGET (object), result, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_task_return_error (task, error);
          return;
        }
      g_prefix_error (&error, "heartbeat: ");
      once->heartbeat_error = error;
    }
  /* The status is worth reading even when the heartbeat failed. */
  cancellable = g_task_get_cancellable (task);
  kiosk_couchdb_target_pull_status_async (self->target, kiosk_context_get_outbox (self->context),
                                          cancellable, once_pulled_cb, g_steal_pointer (&task));
}

/**
 * kiosk_hub_agent_run_once_async:
 *
 * One round now, as the timer does it: the heartbeat, then the city's
 * status.  For `stadtkioskctl sync`, which runs it after its deliveries.
 */
void
kiosk_hub_agent_run_once_async (KioskHubAgent       *self,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(JsonObject) doc = NULL;
  g_autofree char *id = NULL;
  const char *pause_reason = NULL;
  GError *error = NULL;

  g_return_if_fail (KIOSK_IS_HUB_AGENT (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, kiosk_hub_agent_run_once_async);
  g_task_set_task_data (task, g_new0 (Once, 1), (GDestroyNotify) once_free);

  if (self->sync != NULL && kiosk_sync_get_state (self->sync) == KIOSK_SYNC_PAUSED)
    pause_reason = kiosk_sync_get_pause_reason (self->sync);
  doc = kiosk_heartbeat_build (self->context, self->sync != NULL ? kiosk_sync_get_last_success (self->sync) : 0,
                               pause_reason, &error);
  if (doc == NULL)
    {
      g_prefix_error (&error, "heartbeat: ");
      round_done (self, error);
      g_task_return_error (task, error);
      return;
    }
  id = g_strconcat ("kiosk:", kiosk_config_get_kiosk_id (kiosk_context_get_config (self->context)), NULL);
  kiosk_couchdb_target_put_doc_async (self->target, id, doc, cancellable, once_heartbeat_cb, g_steal_pointer (&task));
}

/**
 * kiosk_hub_agent_run_once_finish:
 * @out_n_updated: (out) (optional): requests that got news from the city
 *
 * Returns: %TRUE when the heartbeat was written and the status read
 */
gboolean
kiosk_hub_agent_run_once_finish (KioskHubAgent  *self,
                                 GAsyncResult   *result,
                                 guint          *out_n_updated,
                                 GError        **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  if (out_n_updated != NULL)
    *out_n_updated = ((Once *) g_task_get_task_data (G_TASK (result)))->n_updated;
  return g_task_propagate_boolean (G_TASK (result), error);
}

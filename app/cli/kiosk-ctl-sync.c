/* kiosk-ctl-sync.c: sync, sync status and catalog pull
 *
 * SPDX-FileCopyrightText: 2026 Stadtkiosk contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "stadtkioskctl"

#include "config.h"

#include <glib-unix.h>

#include "kiosk-ctl.h"

typedef struct
{
  KioskCtl     *ctl;
  KioskSync    *sync;
  GMainLoop    *loop;
  GError       *error;
  gboolean      ok;
  gboolean      changed;
  guint         n_updated;
} Run;

/* With [couchdb] url set, `sync` also does the hub agent's work (its
 * heartbeat and the city's status), as the kiosk and `hub run` do.
 * Returns: (transfer full) (nullable): the agent, or %NULL without a hub;
 *   a hub that is configured but unusable is @error. */
static KioskHubAgent *
hub_agent_for (KioskContext  *context,
               KioskSync     *sync,
               GError       **error)
{
  KioskConfig *config = kiosk_context_get_config (context);
  g_autoptr(KioskCouchdbTarget) hub = NULL;

  if (*kiosk_config_get_couchdb_url (config) == '\0')
    return NULL;
  hub = kiosk_couchdb_target_new (config, kiosk_context_get_clock (context), 2, error);
  if (hub == NULL)
    return NULL;
  return kiosk_hub_agent_new (context, hub, sync);
}

static void
hub_round_done_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  Run *run = user_data;

  run->ok = kiosk_hub_agent_run_once_finish (KIOSK_HUB_AGENT (object), result, &run->n_updated, &run->error);
  g_main_loop_quit (run->loop);
}

static void
add_time (JsonBuilder *builder,
          const char  *name,
          gint64       unix_us)
{
  json_builder_set_member_name (builder, name);
  if (unix_us > 0)
    {
      g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (unix_us / G_USEC_PER_SEC);
      g_autofree char *text = g_date_time_format_iso8601 (utc);

      json_builder_add_string_value (builder, text);
    }
  else
    json_builder_add_null_value (builder);
}

static JsonNode *
status_to_json (KioskSync *sync)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  guint counts[KIOSK_REQUEST_N_STATES];
  gint64 oldest = kiosk_sync_get_oldest_undelivered (sync);
  KioskTarget *target = kiosk_sync_get_target (sync);

  kiosk_sync_get_counts (sync, counts);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "state");
  json_builder_add_string_value (builder, kiosk_sync_state_to_string (kiosk_sync_get_state (sync)));
  json_builder_set_member_name (builder, "backend");
  if (target != NULL)
    {
      g_autofree char *where = kiosk_target_describe (target);
      json_builder_add_string_value (builder, where);
    }
  else
    json_builder_add_null_value (builder);
  json_builder_set_member_name (builder, "pause_reason");
  if (kiosk_sync_get_pause_reason (sync) != NULL)
    json_builder_add_string_value (builder, kiosk_sync_get_pause_reason (sync));
  else
    json_builder_add_null_value (builder);
  json_builder_set_member_name (builder, "routing_problem");
  if (kiosk_sync_get_routing_problem (sync) != NULL)
    json_builder_add_string_value (builder, kiosk_sync_get_routing_problem (sync));
  else
    json_builder_add_null_value (builder);
  json_builder_set_member_name (builder, "last_error");
  if (kiosk_sync_get_last_error (sync) != NULL)
    json_builder_add_string_value (builder, kiosk_sync_get_last_error (sync));
  else
    json_builder_add_null_value (builder);
  json_builder_set_member_name (builder, "queue");
  json_builder_begin_object (builder);
  for (guint i = 0; i < KIOSK_REQUEST_N_STATES; i++)
    {
      json_builder_set_member_name (builder, kiosk_request_state_to_string (i));
      json_builder_add_int_value (builder, counts[i]);
    }
  json_builder_end_object (builder);
  add_time (builder, "last_success", kiosk_sync_get_last_success (sync));
  add_time (builder, "next_attempt", kiosk_sync_get_next_attempt (sync));
  add_time (builder, "oldest_undelivered", oldest);
  json_builder_set_member_name (builder, "oldest_undelivered_age_s");
  if (oldest > 0)
    json_builder_add_int_value (builder, (g_get_real_time () - oldest) / G_USEC_PER_SEC);
  else
    json_builder_add_null_value (builder);
  json_builder_set_member_name (builder, "alert");
  json_builder_add_boolean_value (builder, kiosk_sync_get_alert (sync));
  add_time (builder, "catalog_as_of", kiosk_sync_get_catalog_as_of (sync));
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

static void
print_status (KioskSync *sync)
{
  guint counts[KIOSK_REQUEST_N_STATES];
  g_autofree char *last = kiosk_ctl_format_time (kiosk_sync_get_last_success (sync));
  g_autofree char *next = kiosk_ctl_format_time (kiosk_sync_get_next_attempt (sync));
  g_autofree char *catalog = kiosk_ctl_format_time (kiosk_sync_get_catalog_as_of (sync));
  g_autofree char *where = kiosk_sync_get_target (sync) != NULL ? kiosk_target_describe (kiosk_sync_get_target (sync)) : NULL;
  gint64 oldest = kiosk_sync_get_oldest_undelivered (sync);

  kiosk_sync_get_counts (sync, counts);
  g_print ("Sync:        %s%s%s\n", kiosk_sync_state_to_string (kiosk_sync_get_state (sync)),
           kiosk_sync_get_pause_reason (sync) != NULL ? " — " : "",
           kiosk_sync_get_pause_reason (sync) != NULL ? kiosk_sync_get_pause_reason (sync) : "");
  g_print ("Backend:     %s\n", where != NULL ? where : "-");
  if (kiosk_sync_get_routing_problem (sync) != NULL)
    {
      g_auto(GStrv) lines = g_strsplit (kiosk_sync_get_routing_problem (sync), "\n", -1);

      for (guint i = 0; lines[i] != NULL; i++)
        g_print ("Waiting:     %s\n", lines[i]);
    }
  if (kiosk_sync_get_last_error (sync) != NULL)
    g_print ("Last error:  %s\n", kiosk_sync_get_last_error (sync));
  g_print ("Queue:       %u queued, %u sending, %u rejected, %u delivered\n",
           counts[KIOSK_REQUEST_QUEUED], counts[KIOSK_REQUEST_SENDING],
           counts[KIOSK_REQUEST_REJECTED], counts[KIOSK_REQUEST_DELIVERED]);
  g_print ("Last success: %s\n", last);
  g_print ("Next attempt: %s\n", next);
  if (oldest > 0)
    g_print ("Oldest undelivered: %.1f h old%s\n", (double) (g_get_real_time () - oldest) / 3600e6,
             kiosk_sync_get_alert (sync) ? "  ALERT" : "");
  else
    g_print ("Oldest undelivered: -\n");
  g_print ("Catalogue as of: %s\n", kiosk_sync_get_catalog_as_of (sync) > 0 ? catalog : "bundled");
}

static void
run_once_done_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  Run *run = user_data;

  run->ok = kiosk_sync_run_once_finish (KIOSK_SYNC (object), result, &run->error);
  g_main_loop_quit (run->loop);
}

static gboolean
quit_cb (gpointer user_data)
{
  g_main_loop_quit (user_data);
  return G_SOURCE_REMOVE;
}

static void
state_changed_cb (KioskSync  *sync,
                  GParamSpec *pspec,
                  Run        *run)
{
  if (run->ctl->json)
    {
      g_autoptr(JsonNode) node = status_to_json (sync);
      g_autofree char *text = json_to_string (node, FALSE);

      g_print ("%s\n", text);
    }
  else
    g_print ("sync: %s%s%s\n", kiosk_sync_state_to_string (kiosk_sync_get_state (sync)),
             kiosk_sync_get_pause_reason (sync) != NULL ? " — " : "",
             kiosk_sync_get_pause_reason (sync) != NULL ? kiosk_sync_get_pause_reason (sync) : "");
}

static void
request_changed_cb (KioskOutbox  *outbox,
                    KioskRequest *request,
                    Run          *run)
{
  KioskRequestState state = kiosk_request_get_state (request);

  if (run->ctl->json || (state != KIOSK_REQUEST_DELIVERED && state != KIOSK_REQUEST_REJECTED))
    return;
  if (state == KIOSK_REQUEST_DELIVERED)
    g_print ("sent: %s as %s\n", kiosk_request_get_short_code (request),
             kiosk_request_get_remote_ref (request) != NULL ? kiosk_request_get_remote_ref (request) : "-");
  else
    g_print ("rejected: %s: %s\n", kiosk_request_get_short_code (request),
             kiosk_request_get_last_error (request) != NULL ? kiosk_request_get_last_error (request) : "");
}

int
kiosk_ctl_sync (KioskCtl  *ctl,
                int        argc,
                char     **argv)
{
  gboolean once = FALSE;
  const GOptionEntry entries[] = {
    { "once", 0, 0, G_OPTION_ARG_NONE, &once, "Deliver what is due now, then exit", NULL },
    { NULL }
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(KioskSync) sync = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  g_autoptr(KioskHubAgent) agent = NULL;
  g_autoptr(GError) hub_error = NULL;
  gboolean hub_ok = FALSE;
  gboolean hub_configured;
  guint n_updated = 0;
  KioskContext *context;
  Run run = { ctl };
  gulong changed_handler;

  if (!kiosk_ctl_parse (ctl, "- deliver queued requests to the backend", entries, &argc, &argv, 0, 0))
    return KIOSK_CTL_EXIT_USAGE;

  context = kiosk_ctl_get_context (ctl, &error);
  if (context == NULL)
    return kiosk_ctl_fail (ctl, error);

  sync = kiosk_sync_new (context);
  /* A hub that is configured but unusable (say, its password file) must
   * not stop the other targets' deliveries: the round is reported as
   * failed, and the sync's routing alerts about the hub's lane. */
  agent = hub_agent_for (context, sync, &hub_error);
  hub_configured = agent != NULL || hub_error != NULL;
  if (hub_error != NULL && !once)
    g_printerr ("stadtkioskctl: no hub heartbeats: %s\n", hub_error->message);
  loop = g_main_loop_new (NULL, FALSE);
  run.sync = sync;
  run.loop = loop;
  changed_handler = g_signal_connect (kiosk_context_get_outbox (context), "request-changed",
                                      G_CALLBACK (request_changed_cb), &run);

  if (once)
    {
      kiosk_sync_run_once_async (sync, NULL, run_once_done_cb, &run);
      g_main_loop_run (loop);
      g_signal_handler_disconnect (kiosk_context_get_outbox (context), changed_handler);
      kiosk_sync_refresh_status (sync);
      if (agent != NULL)
        {
          /* After the deliveries, so the heartbeat tells the queue as it
           * is now; whether they worked or not. */
          Run hub = { ctl, sync, loop };

          kiosk_hub_agent_run_once_async (agent, NULL, hub_round_done_cb, &hub);
          g_main_loop_run (loop);
          hub_ok = hub.ok;
          g_clear_error (&hub_error);
          hub_error = hub.error;
          n_updated = hub.n_updated;
        }
      if (!run.ok)
        {
          int status;

          if (hub_configured && !hub_ok && !ctl->json)
            g_printerr ("stadtkioskctl: hub: %s\n", hub_error->message);
          status = kiosk_ctl_fail (ctl, run.error);

          g_clear_error (&run.error);
          return status;
        }
      if (ctl->json)
        {
          g_autoptr(JsonNode) node = status_to_json (sync);

          if (hub_configured)
            {
              JsonObject *hub = json_object_new ();

              json_object_set_boolean_member (hub, "ok", hub_ok);
              json_object_set_int_member (hub, "status_updated", n_updated);
              if (hub_error != NULL)
                json_object_set_string_member (hub, "error", hub_error->message);
              json_object_set_object_member (json_node_get_object (node), "hub", hub);
            }
          kiosk_ctl_print_json (node);
        }
      else
        {
          print_status (sync);
          if (agent != NULL && hub_ok)
            g_print ("Hub: heartbeat written; %u request(s) with news from the city\n", n_updated);
        }
      if (hub_configured && !hub_ok)
        {
          if (!ctl->json)
            g_printerr ("stadtkioskctl: hub: %s\n", hub_error->message);
          return KIOSK_CTL_EXIT_FAILURE;
        }
      return KIOSK_CTL_EXIT_OK;
    }

  g_signal_connect (sync, "notify::state", G_CALLBACK (state_changed_cb), &run);
  g_unix_signal_add (SIGINT, quit_cb, loop);
  g_unix_signal_add (SIGTERM, quit_cb, loop);
  kiosk_sync_start (sync);
  if (agent != NULL)
    kiosk_hub_agent_start (agent);
  state_changed_cb (sync, NULL, &run);
  g_main_loop_run (loop);
  if (agent != NULL)
    kiosk_hub_agent_stop (agent);
  kiosk_sync_stop (sync);
  g_signal_handler_disconnect (kiosk_context_get_outbox (context), changed_handler);

  /* Let cancelled deliveries put their requests back before exiting. */
  while (kiosk_sync_get_in_flight (sync) > 0)
    g_main_context_iteration (NULL, TRUE);
  return KIOSK_CTL_EXIT_OK;
}

static void
check_done_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  Run *run = user_data;

  run->ok = kiosk_sync_check_finish (KIOSK_SYNC (object), result, &run->error);
  g_main_loop_quit (run->loop);
}

int
kiosk_ctl_sync_status (KioskCtl  *ctl,
                       int        argc,
                       char     **argv)
{
  gboolean no_probe = FALSE;
  const GOptionEntry entries[] = {
    { "no-probe", 0, 0, G_OPTION_ARG_NONE, &no_probe, "Do not ask the backend's health", NULL },
    { NULL }
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(KioskSync) sync = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  g_autofree char *persisted = NULL;
  KioskContext *context;
  Run run = { ctl };

  if (!kiosk_ctl_parse (ctl, "- the sync's state and the queue", entries, &argc, &argv, 0, 0))
    return KIOSK_CTL_EXIT_USAGE;

  context = kiosk_ctl_get_context (ctl, &error);
  if (context == NULL)
    return kiosk_ctl_fail (ctl, error);

  sync = kiosk_sync_new (context);
  loop = g_main_loop_new (NULL, FALSE);
  run.loop = loop;
  if (!no_probe)
    {
      kiosk_sync_check_async (sync, NULL, check_done_cb, &run);
      g_main_loop_run (loop);
      g_clear_error (&run.error);
    }
  kiosk_sync_refresh_status (sync);
  /* The delivering process's pause (a bad token, a redirect) is in the
   * store: this process's health probe cannot see it. */
  persisted = kiosk_sync_dup_persisted_pause (kiosk_context_get_store (context));

  if (ctl->json)
    {
      g_autoptr(JsonNode) node = status_to_json (sync);

      if (persisted != NULL)
        json_object_set_string_member (json_node_get_object (node), "delivery_paused", persisted);
      kiosk_ctl_print_json (node);
    }
  else
    {
      print_status (sync);
      if (persisted != NULL)
        g_print ("Delivery:    paused — %s\n", persisted);
    }
  return KIOSK_CTL_EXIT_OK;
}

static void
pull_done_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  Run *run = user_data;

  run->ok = kiosk_sync_pull_catalog_finish (KIOSK_SYNC (object), result, &run->changed, &run->error);
  g_main_loop_quit (run->loop);
}

int
kiosk_ctl_catalog_pull (KioskCtl  *ctl,
                        int        argc,
                        char     **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KioskSync) sync = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  g_autofree char *as_of = NULL;
  KioskContext *context;
  Run run = { ctl };

  if (!kiosk_ctl_parse (ctl, "- fetch the service catalogue from the backend", NULL, &argc, &argv, 0, 0))
    return KIOSK_CTL_EXIT_USAGE;

  context = kiosk_ctl_get_context (ctl, &error);
  if (context == NULL)
    return kiosk_ctl_fail (ctl, error);

  sync = kiosk_sync_new (context);
  loop = g_main_loop_new (NULL, FALSE);
  run.loop = loop;
  kiosk_sync_pull_catalog_async (sync, NULL, pull_done_cb, &run);
  g_main_loop_run (loop);
  if (!run.ok)
    {
      int status = kiosk_ctl_fail (ctl, run.error);

      g_clear_error (&run.error);
      return status;
    }

  as_of = kiosk_ctl_format_time (kiosk_sync_get_catalog_as_of (sync));
  if (ctl->json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      g_autoptr(JsonNode) node = NULL;

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "changed");
      json_builder_add_boolean_value (builder, run.changed);
      add_time (builder, "as_of", kiosk_sync_get_catalog_as_of (sync));
      json_builder_end_object (builder);
      node = json_builder_get_root (builder);
      kiosk_ctl_print_json (node);
    }
  else if (run.changed)
    g_print ("Catalogue updated (as of %s)\n", as_of);
  else
    g_print ("Catalogue is current (as of %s)\n", as_of);
  return KIOSK_CTL_EXIT_OK;
}

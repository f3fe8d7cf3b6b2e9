/* kiosk-ctl-staff.c: PINs and the audit log
 *
 * SPDX-FileCopyrightText: 2026 Stadtkiosk contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "stadtkioskctl"

#include "config.h"

#include <stdio.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "kiosk-ctl.h"
#include "kiosk-http.h"

/* Reads one line from stdin; on a terminal without echo. */
static char *
read_secret (const char *prompt)
{
  struct termios old, quiet;
  gboolean tty = isatty (STDIN_FILENO);
  char buf[128];
  char *line;

  if (tty)
    {
      g_printerr ("%s", prompt);
      tcgetattr (STDIN_FILENO, &old);
      quiet = old;
      quiet.c_lflag &= ~ECHO;
      tcsetattr (STDIN_FILENO, TCSAFLUSH, &quiet);
    }
  line = fgets (buf, sizeof buf, stdin);
  if (tty)
    {
      tcsetattr (STDIN_FILENO, TCSAFLUSH, &old);
      g_printerr ("\n");
    }
  if (line == NULL)
    return NULL;
  buf[strcspn (buf, "\r\n")] = '\0';
  return g_strdup (buf);
}

int
kiosk_ctl_pin_set (KioskCtl  *ctl,
                   int        argc,
                   char     **argv)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *pin = NULL;
  KioskContext *context;
  KioskRole role;

  if (!kiosk_ctl_parse (ctl, "clerk|admin  (the PIN is read from standard input)", NULL, &argc, &argv, 1, 1))
    return KIOSK_CTL_EXIT_USAGE;
  if (!kiosk_role_from_string (argv[1], &role))
    return kiosk_ctl_usage (ctl, "pin set takes clerk or admin");

  pin = read_secret ("New PIN (6 to 12 digits): ");
  if (pin == NULL)
    return kiosk_ctl_usage (ctl, "no PIN on standard input");
  if (isatty (STDIN_FILENO))
    {
      g_autofree char *again = read_secret ("The same PIN again: ");

      if (g_strcmp0 (pin, again) != 0)
        {
          g_printerr ("stadtkioskctl: the two PINs differ; nothing was changed\n");
          return KIOSK_CTL_EXIT_FAILURE;
        }
    }

  context = kiosk_ctl_get_context (ctl, &error);
  if (context == NULL)
    return kiosk_ctl_fail (ctl, error);
  if (!kiosk_pins_set (kiosk_context_get_pins (context), role, pin, &error))
    return kiosk_ctl_fail (ctl, error);
  kiosk_context_audit (context, "admin", "pin set", argv[1]);

  if (ctl->json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      g_autoptr(JsonNode) root = NULL;

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "role");
      json_builder_add_string_value (builder, argv[1]);
      json_builder_set_member_name (builder, "set");
      json_builder_add_boolean_value (builder, TRUE);
      json_builder_end_object (builder);
      root = json_builder_get_root (builder);
      kiosk_ctl_print_json (root);
    }
  else
    g_print ("The %s PIN is set.\n", argv[1]);
  return KIOSK_CTL_EXIT_OK;
}

int
kiosk_ctl_pin_reset_lockout (KioskCtl  *ctl,
                             int        argc,
                             char     **argv)
{
  g_autoptr(GError) error = NULL;
  KioskContext *context;

  if (!kiosk_ctl_parse (ctl, "", NULL, &argc, &argv, 0, 0))
    return KIOSK_CTL_EXIT_USAGE;
  context = kiosk_ctl_get_context (ctl, &error);
  if (context == NULL)
    return kiosk_ctl_fail (ctl, error);
  if (!kiosk_pins_reset_lockout (kiosk_context_get_pins (context), &error))
    return kiosk_ctl_fail (ctl, error);
  kiosk_context_audit (context, "admin", "pin reset-lockout", NULL);
  if (!ctl->json)
    g_print ("Wrong-PIN counter cleared; the PIN pad accepts PINs again.\n");
  else
    g_print ("{ \"reset\" : true }\n");
  return KIOSK_CTL_EXIT_OK;
}

int
kiosk_ctl_audit (KioskCtl  *ctl,
                 int        argc,
                 char     **argv)
{
  gint limit = 50;
  const GOptionEntry entries[] = {
    { "limit", 0, 0, G_OPTION_ARG_INT, &limit, "The newest N lines (default 50, 0 for all)", "N" },
    { NULL }
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) entries_list = NULL;
  KioskContext *context;

  if (!kiosk_ctl_parse (ctl, "", entries, &argc, &argv, 0, 0))
    return KIOSK_CTL_EXIT_USAGE;
  if (limit < 0)
    return kiosk_ctl_usage (ctl, "--limit must be 0 or more");
  context = kiosk_ctl_get_context (ctl, &error);
  if (context == NULL)
    return kiosk_ctl_fail (ctl, error);
  entries_list = kiosk_audit_list (kiosk_context_get_store (context), (guint) limit, &error);
  if (entries_list == NULL)
    return kiosk_ctl_fail (ctl, error);

  if (ctl->json)
    {
      g_autoptr(JsonArray) array = json_array_new ();
      g_autoptr(JsonNode) root = json_node_new (JSON_NODE_ARRAY);

      for (guint i = 0; i < entries_list->len; i++)
        {
          KioskAuditEntry *e = entries_list->pdata[i];
          JsonObject *o = json_object_new ();

          json_object_set_int_member (o, "at_us", e->at_us);
          json_object_set_string_member (o, "role", e->role);
          json_object_set_string_member (o, "action", e->action);
          if (e->detail != NULL)
            json_object_set_string_member (o, "detail", e->detail);
          json_array_add_object_element (array, o);
        }
      json_node_set_array (root, array);
      kiosk_ctl_print_json (root);
    }
  else
    for (guint i = 0; i < entries_list->len; i++)
      {
        KioskAuditEntry *e = entries_list->pdata[i];
        g_autofree char *at = kiosk_ctl_format_time (e->at_us);

        g_print ("%s  %-7s %-20s %s\n", at, e->role, e->action, e->detail ? e->detail : "");
      }
  return KIOSK_CTL_EXIT_OK;
}

/* Queue export and import: the USB stick for days without a network */

int
kiosk_ctl_queue_export (KioskCtl  *ctl,
                        int        argc,
                        char     **argv)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *detail = NULL;
  KioskQueueExportResult result = { 0 };
  KioskContext *context;

  if (!kiosk_ctl_parse (ctl, "FILE - write the undelivered requests, sealed and signed, to FILE",
                        NULL, &argc, &argv, 1, 1))
    return KIOSK_CTL_EXIT_USAGE;
  context = kiosk_ctl_get_context (ctl, &error);
  if (context == NULL)
    return kiosk_ctl_fail (ctl, error);
  if (!kiosk_queue_export (context, argv[1], &result, &error))
    return kiosk_ctl_fail (ctl, error);

  detail = g_strdup_printf ("%u requests to %s", result.exported, argv[1]);
  kiosk_context_audit (context, "cli", "queue export", detail);

  if (ctl->json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      g_autoptr(JsonNode) root = NULL;

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "file");
      json_builder_add_string_value (builder, argv[1]);
      json_builder_set_member_name (builder, "exported");
      json_builder_add_int_value (builder, result.exported);
      json_builder_set_member_name (builder, "skipped_unsealed");
      json_builder_add_int_value (builder, result.skipped_unsealed);
      json_builder_end_object (builder);
      root = json_builder_get_root (builder);
      kiosk_ctl_print_json (root);
    }
  else
    {
      g_print ("Exported %u request%s to %s (signed; answers sealed to the city's key).\n",
               result.exported, result.exported == 1 ? "" : "s", argv[1]);
      if (result.skipped_unsealed > 0)
        g_print ("%u request%s stored before the city key was installed stay%s in the queue only.\n",
                 result.skipped_unsealed, result.skipped_unsealed == 1 ? "" : "s",
                 result.skipped_unsealed == 1 ? "s" : "");
      g_print ("They stay queued here too; the backend takes each only once.\n");
    }
  return KIOSK_CTL_EXIT_OK;
}

typedef struct
{
  GMainLoop *loop;
  GError    *error;
  gboolean   ok;
} SyncRun;

static void
sync_done_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  SyncRun *run = user_data;

  run->ok = kiosk_sync_run_once_finish (KIOSK_SYNC (object), result, &run->error);
  g_main_loop_quit (run->loop);
}

static void
check_done_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  SyncRun *run = user_data;

  run->ok = kiosk_sync_check_finish (KIOSK_SYNC (object), result, &run->error);
  g_main_loop_quit (run->loop);
}

int
kiosk_ctl_queue_import (KioskCtl  *ctl,
                        int        argc,
                        char     **argv)
{
  g_autofree char *city_key = NULL;
  g_auto(GStrv) trust = NULL;
  gboolean no_deliver = FALSE;
  const GOptionEntry entries[] = {
    { "city-key", 0, 0, G_OPTION_ARG_FILENAME, &city_key, "The city's secret key (default: [keys] city-secret-key)", "FILE" },
    { "trust", 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &trust, "A kiosk's public key to trust (default: [keys] trusted-kiosks)", "FILE" },
    { "no-deliver", 0, 0, G_OPTION_ARG_NONE, &no_deliver, "Only queue them; the sync delivers later", NULL },
    { NULL }
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(KioskKeys) keys = NULL;
  g_autoptr(KioskQueueImport) import = NULL;
  g_autofree char *detail = NULL;
  KioskContext *context;
  guint delivered = 0;
  g_autofree char *deliver_error = NULL;

  if (!kiosk_ctl_parse (ctl, "FILE - verify a queue file from a kiosk, queue its requests and deliver them",
                        entries, &argc, &argv, 1, 1))
    return KIOSK_CTL_EXIT_USAGE;
  context = kiosk_ctl_get_context (ctl, &error);
  if (context == NULL)
    return kiosk_ctl_fail (ctl, error);
  keys = kiosk_keys_load_for_counter (kiosk_context_get_config (context), city_key,
                                      (const char * const *) trust, &error);
  if (keys == NULL)
    return kiosk_ctl_fail (ctl, error);
  import = kiosk_queue_import (context, keys, argv[1], &error);
  if (import == NULL)
    return kiosk_ctl_fail (ctl, error);

  detail = g_strdup_printf ("%s from kiosk %s: %u added, %u already here",
                            argv[1], import->kiosk_id, import->added, import->already);
  kiosk_context_audit (context, "cli", "queue import", detail);

  if (!no_deliver && import->added > 0)
    {
      g_autoptr(KioskSync) sync = kiosk_sync_new (context);
      g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
      SyncRun run = { loop };

      kiosk_sync_run_once_async (sync, NULL, sync_done_cb, &run);
      g_main_loop_run (loop);
      kiosk_sync_stop (sync);
      if (!run.ok)
        {
          deliver_error = g_strdup (run.error->message);
          g_clear_error (&run.error);
        }
      for (guint i = 0; i < import->added_ids->len; i++)
        {
          g_autoptr(KioskRequest) r = kiosk_outbox_get (kiosk_context_get_outbox (context),
                                                        import->added_ids->pdata[i], NULL);
          if (r != NULL && kiosk_request_get_state (r) == KIOSK_REQUEST_DELIVERED)
            delivered++;
        }
    }

  if (ctl->json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      g_autoptr(JsonNode) root = NULL;

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "file");
      json_builder_add_string_value (builder, argv[1]);
      json_builder_set_member_name (builder, "kiosk_id");
      json_builder_add_string_value (builder, import->kiosk_id);
      json_builder_set_member_name (builder, "requests");
      json_builder_add_int_value (builder, import->n_requests);
      json_builder_set_member_name (builder, "added");
      json_builder_add_int_value (builder, import->added);
      json_builder_set_member_name (builder, "already");
      json_builder_add_int_value (builder, import->already);
      json_builder_set_member_name (builder, "delivered");
      json_builder_add_int_value (builder, delivered);
      json_builder_set_member_name (builder, "deliver_error");
      if (deliver_error != NULL)
        json_builder_add_string_value (builder, deliver_error);
      else
        json_builder_add_null_value (builder);
      json_builder_end_object (builder);
      root = json_builder_get_root (builder);
      kiosk_ctl_print_json (root);
    }
  else
    {
      g_autofree char *when = kiosk_ctl_format_time (import->exported_us);

      g_print ("%s: %u request%s from kiosk %s (exported %s): %u added, %u already here.\n",
               argv[1], import->n_requests, import->n_requests == 1 ? "" : "s",
               import->kiosk_id, when, import->added, import->already);
      if (!no_deliver && import->added > 0)
        g_print ("Delivered %u of %u now%s%s.\n", delivered, import->added,
                 deliver_error != NULL ? "; the rest stay queued: " : "",
                 deliver_error != NULL ? deliver_error : "");
    }
  return KIOSK_CTL_EXIT_OK;
}

int
kiosk_ctl_alerts (KioskCtl  *ctl,
                  int        argc,
                  char     **argv)
{
  gboolean no_probe = FALSE;
  const GOptionEntry entries[] = {
    { "no-probe", 0, 0, G_OPTION_ARG_NONE, &no_probe, "Do not ask the backend (no network)", NULL },
    { NULL }
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) open_error = NULL;
  g_autoptr(GPtrArray) alerts = NULL;
  g_autofree char *pause_reason = NULL;
  g_autofree char *slow = NULL;
  KioskConfig *config;
  KioskContext *context;

  if (!kiosk_ctl_parse (ctl, "- what needs a person: old undelivered, rejected, paused sync, damaged "
                        "database, printer (exit status 1 when there is any)", entries, &argc, &argv, 0, 0))
    return KIOSK_CTL_EXIT_USAGE;
  config = kiosk_ctl_get_config (ctl, &error);
  if (config == NULL)
    return kiosk_ctl_fail (ctl, error);
  context = kiosk_ctl_get_context (ctl, &open_error);

  if (context != NULL && !no_probe && *kiosk_config_get_backend_url (config) != '\0')
    {
      g_autoptr(KioskSync) sync = kiosk_sync_new (context);
      g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
      SyncRun run = { loop };

      kiosk_sync_check_async (sync, NULL, check_done_cb, &run);
      g_main_loop_run (loop);
      g_clear_error (&run.error);
      if (kiosk_sync_get_state (sync) == KIOSK_SYNC_PAUSED)
        pause_reason = g_strdup (kiosk_sync_get_pause_reason (sync));
      /* A backend that is there but trickles is not "offline": monitoring
       * must hear of it (the probe is bounded by the deadline). */
      else if (kiosk_sync_get_last_error (sync) != NULL &&
               strstr (kiosk_sync_get_last_error (sync), KIOSK_HTTP_TOO_SLOW) != NULL)
        slow = g_strdup (kiosk_sync_get_last_error (sync));
      kiosk_sync_stop (sync);
    }

  alerts = kiosk_alerts_collect (config, context, open_error, pause_reason, g_get_real_time ());
  if (slow != NULL)
    kiosk_alerts_add (alerts, KIOSK_ALERT_BACKEND_SLOW, NULL, slow);

  if (ctl->json)
    {
      g_autoptr(JsonArray) array = json_array_new ();
      g_autoptr(JsonNode) root = json_node_new (JSON_NODE_ARRAY);

      for (guint i = 0; i < alerts->len; i++)
        {
          KioskAlert *a = alerts->pdata[i];
          JsonObject *o = json_object_new ();

          json_object_set_string_member (o, "kind", kiosk_alert_kind_to_string (a->kind));
          json_object_set_string_member (o, "message", a->message);
          if (a->request_id != NULL)
            json_object_set_string_member (o, "request_id", a->request_id);
          json_array_add_object_element (array, o);
        }
      json_node_set_array (root, array);
      kiosk_ctl_print_json (root);
    }
  else if (alerts->len == 0)
    g_print ("No alerts.\n");
  else
    for (guint i = 0; i < alerts->len; i++)
      {
        KioskAlert *a = alerts->pdata[i];

        g_print ("%-16s %s\n", kiosk_alert_kind_to_string (a->kind), a->message);
      }
  return alerts->len == 0 ? KIOSK_CTL_EXIT_OK : KIOSK_CTL_EXIT_FAILURE;
}

/* hub-drain.c: a kiosk process that delivers its queue into the hub, for
 * test-hub's kill case (it is SIGKILLed in the middle) and its fleet
 * simulation (twenty of them at once)
 *
 * SPDX-FileCopyrightText: 2026 Stadtkiosk contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * hub-drain CONFIG [--heartbeat]
 */

#include "config.h"

#include "stadtkiosk-core.h"

static gboolean
tick_cb (gpointer user_data)
{
  return G_SOURCE_CONTINUE;
}

typedef struct
{
  gboolean done;
  gboolean ok;
} Put;

static void
heartbeat_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  Put *put = user_data;
  g_autoptr(GError) error = NULL;

  put->ok = kiosk_couchdb_target_put_doc_finish (KIOSK_COUCHDB_TARGET (object), result, &error);
  if (!put->ok)
    g_printerr ("hub-drain: heartbeat: %s\n", error->message);
  put->done = TRUE;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KioskConfig) config = NULL;
  g_autoptr(KioskClock) clock = NULL;
  g_autoptr(KioskContext) context = NULL;
  g_autoptr(KioskCouchdbTarget) target = NULL;
  g_autoptr(KioskSync) sync = NULL;
  gboolean heartbeat = argc == 3 && g_str_equal (argv[2], "--heartbeat");

  if (argc != 2 && !heartbeat)
    {
      g_printerr ("usage: hub-drain CONFIG [--heartbeat]\n");
      return 2;
    }
  config = kiosk_config_new_from_file (argv[1], &error);
  if (config == NULL)
    g_error ("%s", error->message);
  /* The test's kiosk enqueued on a fake clock (test-hub); go on from there,
   * so that those requests are due, and jump over backoff when idle. */
  clock = kiosk_clock_new_fake (G_GINT64_CONSTANT (1800000000) * G_USEC_PER_SEC + G_GINT64_CONSTANT (3600) * G_USEC_PER_SEC);
  context = kiosk_context_new (config, clock, &error);
  if (context == NULL)
    g_error ("%s", error->message);
  target = kiosk_couchdb_target_new (config, clock, KIOSK_SYNC_MAX_IN_FLIGHT, &error);
  if (target == NULL)
    g_error ("%s", error->message);
  sync = kiosk_sync_new_for_target (context, KIOSK_TARGET (target));
  kiosk_sync_start (sync);
  g_timeout_add (50, tick_cb, NULL);

  /* Until killed, or until nothing is left. */
  for (;;)
    {
      guint counts[KIOSK_REQUEST_N_STATES];

      g_main_context_iteration (NULL, TRUE);
      if (!kiosk_outbox_count_by_state (kiosk_context_get_outbox (context), counts, &error))
        g_error ("%s", error->message);
      if (counts[KIOSK_REQUEST_QUEUED] == 0 && counts[KIOSK_REQUEST_SENDING] == 0)
        break;
      if (kiosk_sync_get_in_flight (sync) == 0)
        {
          gint64 next = kiosk_sync_get_next_attempt (sync);
          gint64 now = kiosk_clock_get_now (clock);

          if (next < 0)
            next = kiosk_outbox_get_next_due (kiosk_context_get_outbox (context));
          if (next > now)
            kiosk_clock_advance (clock, next - now + 1000);
        }
    }
  kiosk_sync_stop (sync);
  while (kiosk_sync_get_in_flight (sync) > 0)
    g_main_context_iteration (NULL, TRUE);

  if (heartbeat)
    {
      g_autoptr(JsonObject) doc = kiosk_heartbeat_build (context, kiosk_sync_get_last_success (sync), NULL, &error);
      g_autofree char *id = g_strconcat ("kiosk:", kiosk_config_get_kiosk_id (config), NULL);
      gboolean written = FALSE;

      if (doc == NULL)
        g_error ("%s", error->message);
      /* Through the same dropping proxy: try until it is written. */
      for (guint attempt = 0; attempt < 50 && !written; attempt++)
        {
          Put put = { FALSE, FALSE };

          kiosk_couchdb_target_put_doc_async (target, id, doc, NULL, heartbeat_cb, &put);
          while (!put.done)
            g_main_context_iteration (NULL, TRUE);
          written = put.ok;
        }
      if (!written)
        g_printerr ("hub-drain %s: heartbeat not written\n", id);
      if (!written)
        return 1;
    }
  return 0;
}

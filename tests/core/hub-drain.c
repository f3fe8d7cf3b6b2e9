/* hub-drain.c: a kiosk process that delivers its queue into the hub, for
 * test-hub's kill case (it is SIGKILLed in the middle)
 *
 * SPDX-FileCopyrightText: 2026 Stadtkiosk contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * hub-drain CONFIG
 */

#include "config.h"

#include "stadtkiosk-core.h"

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

  if (argc != 2)
    {
      g_printerr ("usage: hub-drain CONFIG\n");
      return 2;
    }
  config = kiosk_config_new_from_file (argv[1], &error);
  if (config == NULL)
    g_error ("%s", error->message);
  /* The test's kiosk enqueued on a fake clock (test-hub); go on from there,
   * so that those requests are due.  Nothing here waits on the clock: the
   * hub is up and answers. */
  clock = kiosk_clock_new_fake (G_GINT64_CONSTANT (1800000000) * G_USEC_PER_SEC + G_GINT64_CONSTANT (3600) * G_USEC_PER_SEC);
  context = kiosk_context_new (config, clock, &error);
  if (context == NULL)
    g_error ("%s", error->message);
  target = kiosk_couchdb_target_new (config, clock, KIOSK_SYNC_MAX_IN_FLIGHT, &error);
  if (target == NULL)
    g_error ("%s", error->message);
  sync = kiosk_sync_new_for_target (context, KIOSK_TARGET (target));
  kiosk_sync_start (sync);

  /* Until killed, or until nothing is left. */
  for (;;)
    {
      guint counts[KIOSK_REQUEST_N_STATES];

      g_main_context_iteration (NULL, TRUE);
      if (!kiosk_outbox_count_by_state (kiosk_context_get_outbox (context), counts, &error))
        g_error ("%s", error->message);
      if (counts[KIOSK_REQUEST_QUEUED] == 0 && counts[KIOSK_REQUEST_SENDING] == 0)
        break;
    }
  kiosk_sync_stop (sync);
  return 0;
}

/* fake-portal: the open-data portal for ./dev run and the demo
 *
 * fake-portal [--port 8472]: serves /abfall.ics (dates around today),
 * /news.rss, /news.atom and /parken.json on 127.0.0.1 until stopped.
 *
 * SPDX-FileCopyrightText: 2026 Stadtkiosk contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <stdio.h>

#include "kiosk-fake-portal.h"
#include "kiosk-test-server.h"

int
main (int    argc,
      char **argv)
{
  g_autoptr(GOptionContext) options = g_option_context_new ("- a fake open-data portal on 127.0.0.1");
  g_autoptr(GError) error = NULL;
  g_autoptr(KioskFakePortal) portal = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  int port = 8472;
  GDate today;
  GOptionEntry entries[] = {
    { "port", 0, 0, G_OPTION_ARG_INT, &port, "Port on 127.0.0.1 (0: any)", "PORT" },
    { NULL }
  };

  g_option_context_add_main_entries (options, entries, NULL);
  if (!g_option_context_parse (options, &argc, &argv, &error) || port < 0 || port > 65535)
    {
      fprintf (stderr, "fake-portal: %s\n", error != NULL ? error->message : "bad port");
      return 2;
    }
  g_date_clear (&today, 1);
  g_date_set_dmy (&today, g_date_time_get_day_of_month (now), g_date_time_get_month (now), g_date_time_get_year (now));
  portal = kiosk_fake_portal_new ((guint) port, &today, &error);
  if (portal == NULL)
    {
      fprintf (stderr, "fake-portal: %s\n", error->message);
      return 1;
    }
  printf ("%s\n", kiosk_fake_portal_get_url (portal));
  fflush (stdout);
  kiosk_test_server_run_until_signal ();
  return 0;
}

/* test-watchdog.c
 *
 * SPDX-FileCopyrightText: 2026 Stadtkiosk contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <gio/gio.h>
#include <gio/gunixsocketaddress.h>
#include <glib/gstdio.h>

#include "kiosk-watchdog.h"

static void
test_off (void)
{
  g_unsetenv ("WATCHDOG_USEC");
  g_assert_cmpuint (kiosk_watchdog_start (), ==, 0);
}

static void
test_bad_value (void)
{
  g_setenv ("WATCHDOG_USEC", "30s", TRUE);
  g_test_expect_message ("stadtkiosk-watchdog", G_LOG_LEVEL_WARNING, "*WATCHDOG_USEC='30s'*");
  g_assert_cmpuint (kiosk_watchdog_start (), ==, 0);
  g_test_assert_expected_messages ();
  g_unsetenv ("WATCHDOG_USEC");
}

#ifdef HAVE_LIBSYSTEMD
static char *
receive (GSocket *socket)
{
  char buffer[64];
  gssize n = g_socket_receive (socket, buffer, sizeof buffer - 1, NULL, NULL);

  if (n < 0)
    return NULL;
  buffer[n] = '\0';
  return g_strdup (buffer);
}

static gboolean
give_up_cb (gpointer user_data)
{
  *(gboolean *) user_data = TRUE;
  return G_SOURCE_REMOVE;
}
#endif

/* The pings come from the main loop: they arrive while it runs, and none
 * arrive while it is blocked (a hung kiosk), which is what lets systemd's
 * watchdog restart it.  A socket of our own stands in for systemd's. */
static void
test_pings (void)
{
#ifdef HAVE_LIBSYSTEMD
  g_autofree char *dir = g_dir_make_tmp ("kiosk-watchdog-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "notify", NULL);
  g_autoptr(GSocket) socket = g_socket_new (G_SOCKET_FAMILY_UNIX, G_SOCKET_TYPE_DATAGRAM, 0, NULL);
  g_autoptr(GSocketAddress) address = g_unix_socket_address_new (path);
  g_autoptr(GError) error = NULL;
  g_autofree char *first = NULL;
  gboolean gave_up = FALSE;
  guint received = 0;
  guint id;
  guint give_up;

  g_assert_nonnull (socket);
  g_assert_true (g_socket_bind (socket, address, FALSE, &error));
  g_assert_no_error (error);
  g_socket_set_blocking (socket, FALSE);
  g_setenv ("NOTIFY_SOCKET", path, TRUE);
  g_setenv ("WATCHDOG_USEC", "100000", TRUE);

  g_test_expect_message ("stadtkiosk-watchdog", G_LOG_LEVEL_MESSAGE, "*pinging every 50 ms*");
  id = kiosk_watchdog_start ();
  g_test_assert_expected_messages ();
  g_assert_cmpuint (id, !=, 0);

  /* The first ping goes out at once. */
  first = receive (socket);
  g_assert_cmpstr (first, ==, "WATCHDOG=1");

  /* A blocked main loop sends nothing. */
  g_usleep (300 * 1000);
  g_assert_false (g_socket_condition_check (socket, G_IO_IN) & G_IO_IN);

  /* A running one pings again and again. */
  give_up = g_timeout_add_seconds (20, give_up_cb, &gave_up);
  while (received < 3 && !gave_up)
    {
      g_autofree char *ping = NULL;

      g_main_context_iteration (NULL, TRUE);
      while ((ping = receive (socket)) != NULL)
        {
          g_assert_cmpstr (ping, ==, "WATCHDOG=1");
          received++;
          g_clear_pointer (&ping, g_free);
        }
    }
  g_assert_false (gave_up);
  g_assert_cmpuint (received, >=, 3);

  g_source_remove (give_up);
  g_source_remove (id);
  g_unsetenv ("NOTIFY_SOCKET");
  g_unsetenv ("WATCHDOG_USEC");
  g_socket_close (socket, NULL);
  g_unlink (path);
  g_rmdir (dir);
#else
  g_test_skip ("built without libsystemd (-Dsystemd=disabled)");
#endif
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/kiosk/watchdog/off", test_off);
  g_test_add_func ("/kiosk/watchdog/bad-value", test_bad_value);
  g_test_add_func ("/kiosk/watchdog/pings", test_pings);

  return g_test_run ();
}

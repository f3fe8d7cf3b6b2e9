/* test-scan.c: the counter asks the city's system about a scanned receipt,
 * and the city's system answers badly (#12)
 *
 * Runs tests/support/hostile-peer.py on 127.0.0.1 (skipped without
 * python3).
 *
 * SPDX-FileCopyrightText: 2026 Stadtkiosk contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
#include <signal.h>
#include <string.h>

#include "stadtkiosk-core.h"

typedef struct
{
  gboolean           done;
  gboolean           ok;
  KioskBackendKnows  knows;
  char              *status;
  GError            *error;
} Ask;

static void
asked_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  Ask *ask = user_data;

  ask->ok = kiosk_scan_ask_backend_finish (result, &ask->knows, &ask->status, &ask->error);
  ask->done = TRUE;
}

/* Asks a hostile peer in @mode about a request; returns what came back. */
static void
ask_peer (const char *mode,
          Ask        *ask)
{
  g_autofree char *dir = g_dir_make_tmp ("test-scan-XXXXXX", NULL);
  g_autofree char *port_file = g_build_filename (dir, "port", NULL);
  g_autofree char *peer = g_test_build_filename (G_TEST_DIST, "support", "hostile-peer.py", NULL);
  g_autofree char *python = g_find_program_in_path ("python3");
  g_autofree char *conf = g_build_filename (dir, "kiosk.conf", NULL);
  g_autofree char *port = NULL;
  g_autofree char *text = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(KioskConfig) config = NULL;
  g_autoptr(KioskClock) clock = kiosk_clock_new_fake (G_GINT64_CONSTANT (1796601600) * G_USEC_PER_SEC);
  g_autoptr(KioskContext) context = NULL;
  const char *argv[] = { python, peer, mode, port_file, NULL };
  GPid pid;

  g_assert_true (g_spawn_async (NULL, (char **) argv, NULL, G_SPAWN_DO_NOT_REAP_CHILD, NULL, NULL, &pid, &error));
  g_assert_no_error (error);
  for (guint i = 0; i < 200 && !g_file_get_contents (port_file, &port, NULL, NULL); i++)
    g_usleep (50 * 1000);
  g_assert_nonnull (port);

  text = g_strdup_printf ("[kiosk]\nstate-dir=%s\n[keys]\nseal=off\n[backend]\nurl=http://127.0.0.1:%s/\ntimeout=5\n",
                          dir, port);
  g_assert_true (g_file_set_contents (conf, text, -1, NULL));
  config = kiosk_config_new_from_file (conf, &error);
  g_assert_no_error (error);
  context = kiosk_context_new (config, clock, &error);
  g_assert_no_error (error);

  kiosk_scan_ask_backend_async (context, "3f2a9c1e-7b4d-4e8a-9f10-2c3d4e5f6a7b", NULL, asked_cb, ask);
  while (!ask->done)
    g_main_context_iteration (NULL, TRUE);

  kill (pid, SIGTERM);
  g_spawn_close_pid (pid);
  g_clear_object (&context);
  {
    g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
    const char *name;

    while (d != NULL && (name = g_dir_read_name (d)) != NULL)
      {
        g_autofree char *path = g_build_filename (dir, name, NULL);
        g_unlink (path);
      }
    g_rmdir (dir);
  }
}

static gboolean
have_python (void)
{
  g_autofree char *python = g_find_program_in_path ("python3");

  if (python == NULL)
    g_test_skip ("python3 is not installed");
  return python != NULL;
}

/* A "status" that is not a string was a critical inside json-glib (a crash
 * with fatal criticals); now it is no status. */
static void
test_array_status (void)
{
  Ask ask = { 0 };

  if (!have_python ())
    return;
  ask_peer ("lookup-array-status", &ask);
  g_assert_no_error (ask.error);
  g_assert_true (ask.ok);
  g_assert_cmpint (ask.knows, ==, KIOSK_BACKEND_HAS_IT);
  g_assert_null (ask.status);
}

/* Control characters are not shown to a clerk. */
static void
test_control_status (void)
{
  Ask ask = { 0 };

  if (!have_python ())
    return;
  ask_peer ("lookup-control-status", &ask);
  g_assert_no_error (ask.error);
  g_assert_cmpint (ask.knows, ==, KIOSK_BACKEND_HAS_IT);
  g_assert_null (ask.status);
}

/* 200 KB of "[" overflowed the stack inside json-glib. */
static void
test_deep_answer (void)
{
  Ask ask = { 0 };

  if (!have_python ())
    return;
  ask_peer ("lookup-deep", &ask);
  g_assert_no_error (ask.error);
  g_assert_cmpint (ask.knows, ==, KIOSK_BACKEND_HAS_IT);
  g_assert_null (ask.status);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/kiosk/scan/array-status", test_array_status);
  g_test_add_func ("/kiosk/scan/control-status", test_control_status);
  g_test_add_func ("/kiosk/scan/deep-answer", test_deep_answer);

  return g_test_run ();
}

/* fake-backend.c: the fake Submission API backend as a program
 *
 *   fake-backend --port N [--faults SPEC] [--state-dir DIR] [--token-file F]
 *                [--catalog FILE] [--no-idempotency]
 *
 * ./dev run starts it as `fake-backend --port 8470 --state-dir DIR`.
 *
 * SPDX-FileCopyrightText: 2026 Stadtkiosk contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "fake-backend"

#include "config.h"

#include <glib-unix.h>
#include <locale.h>

#include "kiosk-fake-backend.h"

static gboolean
quit_cb (gpointer data)
{
  g_main_loop_quit (data);
  return G_SOURCE_REMOVE;
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new ("- Stadtkiosk fake Submission API backend");
  g_autoptr(GError) error = NULL;
  g_autoptr(KioskFakeBackend) backend = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  g_autofree char *faults_spec = NULL;
  g_autofree char *state_dir = NULL;
  g_autofree char *token_file = NULL;
  g_autofree char *catalog_file = NULL;
  g_autofree char *city_key = NULL;
  gboolean no_idempotency = FALSE;
  gboolean quiet = FALSE;
  int port = 8470;
  KioskFakeFaults faults = { 0 };
  GOptionEntry entries[] = {
    { "port", 'p', 0, G_OPTION_ARG_INT, &port, "Port on 127.0.0.1 (0: any free one; default 8470)", "N" },
    { "faults", 0, 0, G_OPTION_ARG_STRING, &faults_spec,
      "Faults, e.g. drop-before=10,drop-after=20,malformed=5,delay=10:5000,status=503,retry-after=120,"
      "reject=MARKER,health-down", "SPEC" },
    { "state-dir", 0, 0, G_OPTION_ARG_FILENAME, &state_dir, "Keep stored submissions here across restarts", "DIR" },
    { "token-file", 0, 0, G_OPTION_ARG_FILENAME, &token_file, "Require this bearer token", "FILE" },
    { "catalog", 0, 0, G_OPTION_ARG_FILENAME, &catalog_file, "Serve this catalogue on GET /v1/catalog", "FILE" },
    { "city-key", 0, 0, G_OPTION_ARG_FILENAME, &city_key, "City secret key for sealed payloads (not used yet)", "FILE" },
    { "no-idempotency", 0, 0, G_OPTION_ARG_NONE, &no_idempotency, "Store every POST (a broken backend)", NULL },
    { "quiet", 'q', 0, G_OPTION_ARG_NONE, &quiet, "No line per submission", NULL },
    { NULL }
  };

  setlocale (LC_ALL, "");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("fake-backend: %s\n", error->message);
      return 2;
    }
  if (port < 0 || port > 65535)
    {
      g_printerr ("fake-backend: --port %d is not a port number\n", port);
      return 2;
    }
  if (faults_spec != NULL && !kiosk_fake_backend_parse_faults (faults_spec, &faults, &error))
    {
      g_printerr ("fake-backend: %s\n", error->message);
      return 2;
    }

  kiosk_fake_backend_raise_fd_limit ();
  backend = kiosk_fake_backend_new ((guint) port, state_dir,
                                    (no_idempotency ? KIOSK_FAKE_BACKEND_NO_IDEMPOTENCY : 0) |
                                    (quiet ? 0 : KIOSK_FAKE_BACKEND_VERBOSE),
                                    NULL, &error);
  if (backend == NULL)
    {
      g_printerr ("fake-backend: cannot listen on 127.0.0.1:%d: %s\n", port, error->message);
      return 1;
    }
  kiosk_fake_backend_set_faults (backend, &faults);

  if (token_file != NULL)
    {
      g_autofree char *token = NULL;

      if (!g_file_get_contents (token_file, &token, NULL, &error))
        {
          g_printerr ("fake-backend: --token-file: %s\n", error->message);
          return 1;
        }
      kiosk_fake_backend_set_token (backend, g_strstrip (token));
    }
  if (catalog_file != NULL)
    {
      g_autoptr(GMappedFile) mapped = g_mapped_file_new (catalog_file, FALSE, &error);
      g_autoptr(GBytes) bytes = NULL;

      if (mapped == NULL)
        {
          g_printerr ("fake-backend: --catalog: %s\n", error->message);
          return 1;
        }
      bytes = g_mapped_file_get_bytes (mapped);
      kiosk_fake_backend_set_catalog (backend, bytes);
    }

  g_print ("fake-backend: listening on %s%s\n", kiosk_fake_backend_get_url (backend),
           no_idempotency ? " (without idempotency store)" : "");

  loop = g_main_loop_new (NULL, FALSE);
  g_unix_signal_add (SIGINT, quit_cb, loop);
  g_unix_signal_add (SIGTERM, quit_cb, loop);
  g_main_loop_run (loop);

  g_print ("fake-backend: %u submissions received, %u stored\n",
           kiosk_fake_backend_get_n_received (backend), kiosk_fake_backend_get_n_stored (backend));
  return 0;
}

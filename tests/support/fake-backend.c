/* fake-backend.c: the fake Submission API backend as a program
 *
 *   fake-backend --port N [--faults SPEC] [--state-dir DIR] [--token-file F]
 *                [--catalog FILE] [--no-idempotency]
 *                [--city-key FILE] [--trust FILE...] [--config KIOSK.CONF]
 *
 * ./dev run starts it as `fake-backend --port 8470 --state-dir DIR
 * --config KIOSK.CONF`: with the demo kiosk's configuration it holds the demo
 * city key and trusts the demo kiosk, so it opens the sealed payloads the
 * kiosk sends, as the city's backend would.
 *
 * SPDX-FileCopyrightText: 2026 Stadtkiosk contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "fake-backend"

#include "config.h"

#include <locale.h>

#include "kiosk-fake-backend.h"
#include "kiosk-sync-test-util.h"
#include "kiosk-test-server.h"

int
main (int    argc,
      char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new ("- Stadtkiosk fake Submission API backend");
  g_autoptr(GError) error = NULL;
  g_autoptr(KioskFakeBackend) backend = NULL;
  g_autofree char *faults_spec = NULL;
  g_autofree char *state_dir = NULL;
  g_autofree char *token_file = NULL;
  g_autofree char *catalog_file = NULL;
  g_autofree char *city_key = NULL;
  g_autofree char *kiosk_config = NULL;
  g_auto(GStrv) trust = NULL;
  KioskKeys *keys = NULL;
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
    { "city-key", 0, 0, G_OPTION_ARG_FILENAME, &city_key, "City secret key: open sealed payloads", "FILE" },
    { "trust", 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &trust, "A kiosk public key to trust (repeatable)", "FILE" },
    { "config", 0, 0, G_OPTION_ARG_FILENAME, &kiosk_config, "A kiosk configuration whose [keys] to use (demo keys)", "FILE" },
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

  if (city_key != NULL || kiosk_config != NULL)
    {
      g_autoptr(KioskConfig) config = kiosk_config != NULL ? kiosk_config_new_from_file (kiosk_config, &error)
                                                           : kiosk_config_new_default ();

      if (config == NULL)
        {
          g_printerr ("fake-backend: --config: %s\n", error->message);
          return 1;
        }
      keys = kiosk_keys_load_for_counter (config, city_key, (const char * const *) trust, &error);
      if (keys == NULL)
        {
          g_printerr ("fake-backend: %s\n", error->message);
          return 1;
        }
      kiosk_fake_backend_set_opener (backend, sync_kiosk_open_sealed_cb, keys);
    }

  g_print ("fake-backend: listening on %s%s\n", kiosk_fake_backend_get_url (backend),
           no_idempotency ? " (without idempotency store)" : "");

  kiosk_test_server_run_until_signal ();

  g_print ("fake-backend: %u submissions received, %u stored\n",
           kiosk_fake_backend_get_n_received (backend), kiosk_fake_backend_get_n_stored (backend));
  kiosk_fake_backend_set_opener (backend, NULL, NULL);
  g_clear_pointer (&backend, kiosk_fake_backend_free);
  g_clear_pointer (&keys, kiosk_keys_free);
  return 0;
}

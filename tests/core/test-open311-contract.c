/* test-open311-contract.c: every request the kiosk sends passes Prism
 *
 * Prism (@stoplight/prism-cli, tests/support/npm) runs as a validating
 * proxy with data/openapi/georeport-v2.yaml, written from the GeoReport v2
 * specification, in front of the fake server.  With --errors a request that
 * breaks the description is answered 422 instead of being forwarded, which
 * the kiosk records as a rejection: so "every request delivered" means
 * "every request valid".  Faults at the fake make the kiosk look before
 * re-sending and poll tokens, so those calls pass through Prism too.
 *
 * SPDX-FileCopyrightText: 2026 Stadtkiosk contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
#include <libsoup/soup.h>
#include <string.h>

#include "kiosk-fake-backend.h"
#include "kiosk-fake-open311.h"
#include "kiosk-open311-target-private.h"
#include "kiosk-sync-private.h"
#include "kiosk-sync-test-util.h"
#include "kiosk-test-util.h"

#define API_KEY "contract-key"

typedef struct
{
  GSubprocess *prism;
  char        *url;
} Prism;

static guint
free_port (void)
{
  g_autoptr(GSocketListener) listener = g_socket_listener_new ();
  g_autoptr(GError) error = NULL;
  guint16 port = g_socket_listener_add_any_inet_port (listener, NULL, &error);

  g_assert_no_error (error);
  g_socket_listener_close (listener);
  return port;
}

/* Starts Prism in front of @upstream; %FALSE (and the test skipped) when
 * ./dev has not installed it. */
static gboolean
prism_start (Prism      *prism,
             const char *upstream)
{
  g_autofree char *bin = g_test_build_filename (G_TEST_DIST, "support", "npm", "node_modules", ".bin", "prism", NULL);
  g_autofree char *spec = g_test_build_filename (G_TEST_DIST, "..", "data", "openapi", "georeport-v2.yaml", NULL);
  g_autofree char *port = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  guint p = free_port ();

  if (!g_file_test (bin, G_FILE_TEST_IS_EXECUTABLE))
    {
      g_test_skip ("Prism is not installed (./dev installs tests/support/npm)");
      return FALSE;
    }
  port = g_strdup_printf ("%u", p);
  prism->prism = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE | G_SUBPROCESS_FLAGS_STDERR_SILENCE, &error,
                                   bin, "proxy", spec, upstream, "--host", "127.0.0.1", "--port", port,
                                   "--errors", NULL);
  g_assert_no_error (error);
  prism->url = g_strdup_printf ("http://127.0.0.1:%u", p);

  /* Node takes a few seconds to start; wait for the port (bounded). */
  for (guint i = 0; i < 600; i++)
    {
      g_autoptr(GSocketConnection) connection = NULL;

      connection = g_socket_client_connect_to_host (client, "127.0.0.1", (guint16) p, NULL, NULL);
      if (connection != NULL)
        return TRUE;
      g_usleep (100 * 1000);
    }
  g_assert_not_reached ();
}

static void
prism_stop (Prism *prism)
{
  if (prism->prism != NULL)
    {
      g_subprocess_force_exit (prism->prism);
      g_subprocess_wait (prism->prism, NULL, NULL);
    }
  g_clear_object (&prism->prism);
  g_clear_pointer (&prism->url, g_free);
}

static void
rm_rf_free (gpointer path)
{
  kiosk_test_rm_rf (path);
  g_free (path);
}

static SyncKiosk *
kiosk_new (const char *open311_url)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "fixtures", "open311", "catalog.json", NULL);
  g_autofree char *key_dir = g_dir_make_tmp ("o311-key-XXXXXX", NULL);
  g_autofree char *key_path = g_build_filename (key_dir, "api-key", NULL);
  g_autofree char *extra = NULL;
  g_autofree char *data = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  SyncKiosk *kiosk;
  gsize len;

  g_assert_true (g_file_set_contents (key_path, API_KEY, -1, NULL));
  g_assert_cmpint (g_chmod (key_path, 0600), ==, 0);
  extra = g_strdup_printf ("\n[open311]\nendpoint=%s\napi-key-file=%s\n", open311_url, key_path);
  kiosk = sync_kiosk_new ("", NULL, extra, TRUE);
  g_object_set_data_full (G_OBJECT (kiosk->context), "key-dir", g_steal_pointer (&key_dir), rm_rf_free);
  g_assert_true (g_file_get_contents (path, &data, &len, NULL));
  bytes = g_bytes_new_take (g_steal_pointer (&data), len);
  g_assert_true (kiosk_catalog_store_active (kiosk_context_get_store (kiosk->context), bytes, path, NULL, &error));
  g_assert_no_error (error);
  return kiosk;
}

static KioskRequest *
enqueue (SyncKiosk  *kiosk,
         const char *service_id,
         const char *answers_json)
{
  g_autoptr(GBytes) answers = g_bytes_new (answers_json, strlen (answers_json));
  g_autoptr(GError) error = NULL;
  KioskRequestDraft draft = {
    .service_id = service_id, .service_version = 1, .locale = "de",
    .answers = answers, .answers_format = KIOSK_ANSWERS_JSON,
  };
  KioskRequest *request = kiosk_outbox_enqueue (kiosk->outbox, &draft, "test", &error);

  g_assert_no_error (error);
  return request;
}

static void
clock_advanced_cb (KioskClock       *clock,
                   KioskFakeOpen311 *fake)
{
  kiosk_fake_open311_set_now (fake, kiosk_clock_get_now (clock));
}

/* Every field type of the catalogue, mapped to attributes, contact fields
 * and the address; tokens and looks before re-sending. */
static void
test_contract (void)
{
  static const char *answers[] = {
    "{\"kind\": \"hole\", \"story\": \"Tiefes Loch\", \"count\": 3, \"weight\": 2.5, \"when\": \"2026-12-01\","
    " \"extras\": [\"x\", \"y\"], \"yes\": true, \"tel\": \"05121 301-0\","
    " \"place\": {\"street\": \"Almsstraße\", \"house_number\": \"15\", \"postal_code\": \"31134\","
    " \"city\": \"Hildesheim\"}, \"first\": \"Erika\", \"last\": \"Muster\", \"mail\": \"erika@example.de\","
    " \"ok\": true}",
    "{\"kind\": \"lamp\", \"extras\": [\"y\"], \"yes\": false,"
    " \"place\": {\"street\": \"Markt\", \"house_number\": \"1\", \"postal_code\": \"31134\", \"city\": \"Hildesheim\"}}",
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(KioskFakeOpen311) fake = kiosk_fake_open311_new (0, API_KEY, &error);
  KioskFakeOpen311Faults faults = { .drop_before_pct = 15, .drop_after_pct = 20, .token_pct = 20, .token_polls = 1 };
  g_autoptr(KioskOpen311Target) target = NULL;
  g_autoptr(KioskCatalog) catalog = NULL;
  g_autoptr(GPtrArray) requests = g_ptr_array_new_with_free_func (g_object_unref);
  Prism prism = { 0 };
  SyncKiosk *kiosk;
  enum { N = 40 };

  g_assert_no_error (error);
  if (!prism_start (&prism, kiosk_fake_open311_get_url (fake)))
    return;
  kiosk_fake_open311_set_faults (fake, &faults);

  kiosk = kiosk_new (prism.url);
  kiosk_fake_open311_set_now (fake, kiosk_clock_get_now (kiosk->clock));
  g_signal_connect (kiosk->clock, "advanced", G_CALLBACK (clock_advanced_cb), fake);
  catalog = kiosk_catalog_load_active (kiosk_context_get_store (kiosk->context), &error);
  g_assert_no_error (error);
  target = kiosk_open311_target_new (kiosk->config, kiosk->clock, KIOSK_SYNC_MAX_IN_FLIGHT, &error);
  g_assert_no_error (error);
  kiosk_open311_target_set_catalog (target, catalog);
  _kiosk_open311_target_set_token_polls (target, 0, 2);
  g_clear_object (&kiosk->sync);
  kiosk->sync = kiosk_sync_new_for_target (kiosk->context, KIOSK_TARGET (target));

  for (guint i = 0; i < N; i++)
    g_ptr_array_add (requests, i % 3 == 2 ? enqueue (kiosk, "plain", "{\"description\": \"Loch\", \"location\": \"Markt 1\","
                                                                      " \"depth\": \"20 cm\"}")
                                          : enqueue (kiosk, "report", answers[i % 3]));
  kiosk_sync_start (kiosk->sync);
  sync_kiosk_drain (kiosk, 500);
  kiosk_sync_stop (kiosk->sync);

  g_test_message ("through Prism: %u POSTs, %u looks, %u stored; rejected %u (last: %s)",
                  kiosk_fake_open311_get_n_posts (fake), kiosk_fake_open311_get_n_lists (fake),
                  kiosk_fake_open311_get_n_stored (fake), sync_kiosk_count (kiosk, KIOSK_REQUEST_REJECTED),
                  kiosk_sync_get_last_error (kiosk->sync));
  /* A request Prism found invalid would have been answered 422: rejected. */
  g_assert_cmpuint (sync_kiosk_count (kiosk, KIOSK_REQUEST_REJECTED), ==, 0);
  g_assert_cmpuint (sync_kiosk_count (kiosk, KIOSK_REQUEST_DELIVERED), ==, N);
  for (guint i = 0; i < N; i++)
    g_assert_cmpuint (kiosk_fake_open311_count_code (fake, kiosk_request_get_short_code (requests->pdata[i])), ==, 1);
  /* The faults made looks and re-sends go through Prism too. */
  g_assert_cmpuint (kiosk_fake_open311_get_n_lists (fake), >, 0);
  g_assert_cmpuint (kiosk_fake_open311_get_n_posts (fake), >, N);

  g_signal_handlers_disconnect_by_data (kiosk->clock, fake);
  sync_kiosk_free (kiosk);
  prism_stop (&prism);
}

static void
posted_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  guint *status = user_data;
  SoupMessage *message = soup_session_get_async_result_message (SOUP_SESSION (object), result);
  GBytes *body = soup_session_send_and_read_finish (SOUP_SESSION (object), result, NULL);

  *status = soup_message_get_status (message);
  g_clear_pointer (&body, g_bytes_unref);
}

/* Negative control: Prism does refuse what breaks the description (no
 * location, a latitude that is no number), so the test above can fail. */
static void
test_contract_control (void)
{
  static const char *bad[] = {
    "service_code=pothole&description=no+location",
    "service_code=pothole&description=x&lat=north&long=9.95",
    "description=no+service+code&address_string=Markt+1",
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(KioskFakeOpen311) fake = kiosk_fake_open311_new (0, NULL, &error);
  g_autoptr(SoupSession) session = soup_session_new ();
  Prism prism = { 0 };

  g_assert_no_error (error);
  if (!prism_start (&prism, kiosk_fake_open311_get_url (fake)))
    return;
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autofree char *url = g_strconcat (prism.url, "/requests.json", NULL);
      g_autoptr(SoupMessage) message = soup_message_new ("POST", url);
      g_autoptr(GBytes) body = g_bytes_new_static (bad[i], strlen (bad[i]));
      guint status = 0;

      soup_message_set_request_body_from_bytes (message, "application/x-www-form-urlencoded", body);
      soup_session_send_and_read_async (session, message, G_PRIORITY_DEFAULT, NULL, posted_cb, &status);
      while (status == 0)
        g_main_context_iteration (NULL, TRUE);
      g_test_message ("%s -> HTTP %u", bad[i], status);
      g_assert_cmpuint (status, ==, 422);
    }
  g_assert_cmpuint (kiosk_fake_open311_get_n_posts (fake), ==, 0);
  prism_stop (&prism);
}

int
main (int    argc,
      char **argv)
{
  g_setenv ("GIO_USE_PROXY_RESOLVER", "dummy", TRUE);
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/kiosk/open311-contract/prism", test_contract);
  g_test_add_func ("/kiosk/open311-contract/prism-control", test_contract_control);

  return g_test_run ();
}

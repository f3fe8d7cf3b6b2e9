/* test-queue-export.c: export on a kiosk, import on a counter, exactly once
 *
 * SPDX-FileCopyrightText: 2026 Stadtkiosk contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "stadtkiosk-core.h"
#include "kiosk-fake-backend.h"
#include "kiosk-sync.h"
#include "kiosk-test-util.h"

#define N_REQUESTS 6

typedef struct
{
  char             *dir;
  char             *file;          /* the "USB stick" */
  KioskFakeBackend *backend;
  KioskContext     *kiosk;
  KioskContext     *counter;
  KioskKeys        *counter_keys;
  GPtrArray        *ids;
} Fixture;


static KioskContext *
open_context (Fixture    *f,
              const char *name,
              const char *keys_section)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_strdup_printf ("%s/%s.conf", f->dir, name);
  g_autofree char *text = g_strdup_printf ("[kiosk]\nid=%s\nstate-dir=%s/%s\n"
                                           "[backend]\nurl=%s\nsync-interval=5\n"
                                           "[keys]\n%s",
                                           name, f->dir, name,
                                           kiosk_fake_backend_get_url (f->backend), keys_section);
  g_autoptr(KioskConfig) config = NULL;
  g_autoptr(KioskClock) clock = kiosk_clock_new_system ();
  KioskContext *context;

  g_assert_true (g_file_set_contents (path, text, -1, NULL));
  config = kiosk_config_new_from_file (path, &error);
  g_assert_no_error (error);
  context = kiosk_context_new (config, clock, &error);
  g_assert_no_error (error);
  return context;
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  KioskFakeBackendFlags flags = GPOINTER_TO_UINT (data);
  g_autoptr(GError) error = NULL;
  g_autoptr(KioskSigningKey) signer = NULL;
  g_autoptr(KioskCityKey) city = NULL;
  g_autofree char *kiosk_keys = NULL;
  g_autofree char *counter_keys = NULL;

  f->dir = g_dir_make_tmp ("test-queue-export-XXXXXX", &error);
  g_assert_no_error (error);
  f->file = g_build_filename (f->dir, "stick-queue.skq", NULL);

  signer = kiosk_signing_key_generate ("kiosk-a", &error);
  g_assert_no_error (error);
  city = kiosk_city_key_generate (&error);
  g_assert_no_error (error);
  kiosk_keys = g_strdup_printf ("signing-key=%s/kiosk-a.key\ncity-public-key=%s/city.pub\n", f->dir, f->dir);
  counter_keys = g_strdup_printf ("city-secret-key=%s/city.key\ntrusted-kiosks=%s/kiosk-a.pub;\n", f->dir, f->dir);
  {
    g_autofree char *p1 = g_build_filename (f->dir, "kiosk-a.key", NULL);
    g_autofree char *p2 = g_build_filename (f->dir, "kiosk-a.pub", NULL);
    g_autofree char *p3 = g_build_filename (f->dir, "city.key", NULL);
    g_autofree char *p4 = g_build_filename (f->dir, "city.pub", NULL);

    g_assert_true (kiosk_signing_key_save (signer, p1, &error));
    g_assert_true (kiosk_signing_key_save_public (signer, p2, &error));
    g_assert_true (kiosk_city_key_save_secret (city, p3, &error));
    g_assert_true (kiosk_city_key_save_public (city, p4, &error));
    g_assert_no_error (error);
  }

  f->backend = kiosk_fake_backend_new (0, NULL, flags, NULL, &error);
  g_assert_no_error (error);

  f->kiosk = open_context (f, "kiosk-a", kiosk_keys);
  f->counter = open_context (f, "counter-1", counter_keys);
  f->counter_keys = kiosk_keys_load_for_counter (kiosk_context_get_config (f->counter), NULL, NULL, &error);
  g_assert_no_error (error);

  /* What the kiosk's citizens left: sealed at rest, as with a city key. */
  f->ids = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; i < N_REQUESTS; i++)
    {
      KioskOutbox *outbox = kiosk_context_get_outbox (f->kiosk);
      g_autofree char *id = g_uuid_string_random ();
      g_autofree char *code = kiosk_outbox_new_short_code (outbox);
      g_autofree char *json = g_strdup_printf ("{\"name\":\"Erika Mustermann %u\"}", i);
      g_autoptr(GBytes) answers = g_bytes_new (json, strlen (json));
      g_autoptr(GBytes) sealed = NULL;
      g_autoptr(KioskRequest) request = NULL;
      KioskRequestDraft draft = {
        .id = id, .short_code = code, .service_id = "sperrmuell", .service_version = 2,
        .locale = "de", .answers = answers, .answers_format = KIOSK_ANSWERS_JSON,
        .flags = i == 0 ? KIOSK_REQUEST_FLAG_ASSISTED : KIOSK_REQUEST_FLAG_NONE,
      };

      g_assert_true (kiosk_sealer_seal_at_rest (kiosk_context_get_config (f->kiosk),
                                                kiosk_context_get_clock (f->kiosk),
                                                &draft, &sealed, &error));
      g_assert_no_error (error);
      g_assert_cmpint (draft.answers_format, ==, KIOSK_ANSWERS_SEALED);
      request = kiosk_outbox_enqueue (outbox, &draft, "citizen", &error);
      g_assert_no_error (error);
      g_ptr_array_add (f->ids, g_strdup (kiosk_request_get_id (request)));
    }
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_clear_pointer (&f->counter_keys, kiosk_keys_free);
  g_clear_object (&f->kiosk);
  g_clear_object (&f->counter);
  g_clear_pointer (&f->backend, kiosk_fake_backend_free);
  g_clear_pointer (&f->ids, g_ptr_array_unref);
  kiosk_test_rm_rf (f->dir);
  g_free (f->dir);
  g_free (f->file);
}

static void
run_once_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  gboolean *done = user_data;
  g_autoptr(GError) error = NULL;

  g_assert_true (kiosk_sync_run_once_finish (KIOSK_SYNC (object), result, &error));
  g_assert_no_error (error);
  *done = TRUE;
}

static void
sync_once (KioskContext *context)
{
  g_autoptr(KioskSync) sync = kiosk_sync_new (context);
  gboolean done = FALSE;

  kiosk_sync_run_once_async (sync, NULL, run_once_cb, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
  kiosk_sync_stop (sync);
}

static guint
count_state (KioskContext      *context,
             KioskRequestState  state)
{
  guint counts[KIOSK_REQUEST_N_STATES];

  g_assert_true (kiosk_outbox_count_by_state (kiosk_context_get_outbox (context), counts, NULL));
  return counts[state];
}

/* The whole way: export, import (twice), deliver from the counter, and the
 * kiosk's own later sync of the same requests. */
static void
test_exactly_once (Fixture       *f,
                   gconstpointer  data)
{
  gboolean idempotent = GPOINTER_TO_UINT (data) == KIOSK_FAKE_BACKEND_NONE;
  g_autoptr(GError) error = NULL;
  g_autoptr(KioskQueueImport) first = NULL;
  g_autoptr(KioskQueueImport) second = NULL;
  KioskQueueExportResult result;

  g_assert_true (kiosk_queue_export (f->kiosk, f->file, &result, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (result.exported, ==, N_REQUESTS);
  g_assert_cmpuint (result.skipped_unsealed, ==, 0);
  /* The export leaves the kiosk's queue as it was. */
  g_assert_cmpuint (count_state (f->kiosk, KIOSK_REQUEST_QUEUED), ==, N_REQUESTS);

  first = kiosk_queue_import (f->counter, f->counter_keys, f->file, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (first->kiosk_id, ==, "kiosk-a");
  g_assert_cmpuint (first->added, ==, N_REQUESTS);
  g_assert_cmpuint (first->already, ==, 0);

  second = kiosk_queue_import (f->counter, f->counter_keys, f->file, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (second->added, ==, 0);
  g_assert_cmpuint (second->already, ==, N_REQUESTS);

  for (guint i = 0; i < f->ids->len; i++)
    {
      g_autoptr(KioskRequest) request = kiosk_outbox_get (kiosk_context_get_outbox (f->counter),
                                                          g_ptr_array_index (f->ids, i), &error);

      g_assert_no_error (error);
      g_assert_true (kiosk_request_get_flags (request) & KIOSK_REQUEST_FLAG_IMPORTED);
      g_assert_cmpint ((kiosk_request_get_flags (request) & KIOSK_REQUEST_FLAG_ASSISTED) != 0, ==, i == 0);
      g_assert_cmpstr (kiosk_request_get_origin_kiosk_id (request), ==, "kiosk-a");
      g_assert_cmpint (kiosk_request_get_answers_format (request), ==, KIOSK_ANSWERS_SEALED);
    }

  /* The counter delivers what it imported ... */
  sync_once (f->counter);
  g_assert_cmpuint (count_state (f->counter, KIOSK_REQUEST_DELIVERED), ==, N_REQUESTS);
  g_assert_cmpuint (kiosk_fake_backend_get_n_stored (f->backend), ==, N_REQUESTS);

  /* ... and days later the kiosk is online again and sends the same. */
  sync_once (f->kiosk);
  g_assert_cmpuint (kiosk_fake_backend_get_n_received (f->backend), ==, 2 * N_REQUESTS);

  if (idempotent)
    {
      g_assert_cmpuint (kiosk_fake_backend_get_n_stored (f->backend), ==, N_REQUESTS);
      g_assert_cmpuint (kiosk_fake_backend_get_n_unique (f->backend), ==, N_REQUESTS);
      g_assert_cmpuint (kiosk_fake_backend_get_max_copies (f->backend), ==, 1);
      /* The kiosk's requests end delivered, not rejected as a conflict:
       * both sides sent the very same body. */
      g_assert_cmpuint (count_state (f->kiosk, KIOSK_REQUEST_DELIVERED), ==, N_REQUESTS);
      g_assert_cmpuint (count_state (f->kiosk, KIOSK_REQUEST_REJECTED), ==, 0);
    }
  else
    {
      /* Negative control: a backend that ignores the idempotency key shows
       * the duplicate this harness is there to catch. */
      g_assert_cmpuint (kiosk_fake_backend_get_n_stored (f->backend), ==, 2 * N_REQUESTS);
      g_assert_cmpuint (kiosk_fake_backend_get_max_copies (f->backend), ==, 2);
    }
  for (guint i = 0; i < f->ids->len; i++)
    g_assert_cmpuint (kiosk_fake_backend_count_id (f->backend, g_ptr_array_index (f->ids, i)), ==,
                      idempotent ? 1 : 2);
}

static void
assert_refused (Fixture    *f,
                int         code)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KioskQueueImport) import = kiosk_queue_import (f->counter, f->counter_keys, f->file, &error);

  g_assert_error (error, KIOSK_QUEUE_EXPORT_ERROR, code);
  g_assert_null (import);
  g_test_message ("refused as expected: %s", error->message);
  /* All or nothing: not one request of a refused file is queued. */
  g_assert_cmpuint (count_state (f->counter, KIOSK_REQUEST_QUEUED), ==, 0);
}

static void
replace_in_file (const char *path,
                 const char *from,
                 const char *to)
{
  g_autofree char *contents = NULL;
  g_autoptr(GString) text = NULL;

  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  text = g_string_new (contents);
  g_assert_nonnull (strstr (text->str, from));
  g_string_replace (text, from, to, 1);
  g_assert_true (g_file_set_contents (path, text->str, (gssize) text->len, NULL));
}

static void
test_refused (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  g_autoptr(KioskQueueImport) import = NULL;
  gsize length;

  g_assert_true (kiosk_queue_export (f->kiosk, f->file, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (f->file, &contents, &length, NULL));
  /* Nothing readable on the stick. */
  g_assert_null (strstr (contents, "Mustermann"));

  /* The service id changed on the stick: the signature catches it. */
  replace_in_file (f->file, "\"service_id\":\"sperrmuell\"", "\"service_id\":\"sperrmuelL\"");
  assert_refused (f, KIOSK_QUEUE_EXPORT_ERROR_TAMPERED);

  /* Pulled out half-way. */
  g_assert_true (g_file_set_contents (f->file, contents, (gssize) length / 2, NULL));
  assert_refused (f, KIOSK_QUEUE_EXPORT_ERROR_MALFORMED);

  g_assert_true (g_file_set_contents (f->file, "just some file\n", -1, NULL));
  assert_refused (f, KIOSK_QUEUE_EXPORT_ERROR_NOT_EXPORT);

  g_assert_true (g_file_set_contents (f->file, contents, (gssize) length, NULL));
  replace_in_file (f->file, KIOSK_QUEUE_EXPORT_MAGIC " 1\n", KIOSK_QUEUE_EXPORT_MAGIC " 7\n");
  assert_refused (f, KIOSK_QUEUE_EXPORT_ERROR_FUTURE_VERSION);

  /* A kiosk the counter does not trust, with its own good signature. */
  g_assert_true (g_file_set_contents (f->file, contents, (gssize) length, NULL));
  g_ptr_array_set_size (f->counter_keys->trusted, 0);
  assert_refused (f, KIOSK_QUEUE_EXPORT_ERROR_UNTRUSTED);

  /* Control: the untouched file from a trusted kiosk imports. */
  kiosk_keys_free (f->counter_keys);
  f->counter_keys = kiosk_keys_load_for_counter (kiosk_context_get_config (f->counter), NULL, NULL, &error);
  g_assert_no_error (error);
  import = kiosk_queue_import (f->counter, f->counter_keys, f->file, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (import->added, ==, N_REQUESTS);
}

/* Requests stored readable (before a city key) never go on a stick. */
static void
test_unsealed_stay (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  /* A space never occurs in the file's base64 or JSON keys, so this name is
   * found only if the answers went on the stick in clear ("Max" alone
   * turned up by chance in the sealed data of another request). */
  g_autoptr(GBytes) answers = g_bytes_new_static ("{\"name\":\"Max Mustermann\"}", 25);
  g_autoptr(KioskRequest) request = NULL;
  KioskRequestDraft draft = {
    .service_id = "sperrmuell", .service_version = 2, .locale = "de",
    .answers = answers, .answers_format = KIOSK_ANSWERS_JSON,
  };
  KioskQueueExportResult result;
  g_autofree char *contents = NULL;

  request = kiosk_outbox_enqueue (kiosk_context_get_outbox (f->kiosk), &draft, "citizen", &error);
  g_assert_no_error (error);
  g_assert_true (kiosk_queue_export (f->kiosk, f->file, &result, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (result.exported, ==, N_REQUESTS);
  g_assert_cmpuint (result.skipped_unsealed, ==, 1);
  g_assert_true (g_file_get_contents (f->file, &contents, NULL, NULL));
  g_assert_null (strstr (contents, kiosk_request_get_id (request)));
  g_assert_null (strstr (contents, "Max Mustermann"));
}

typedef struct
{
  gboolean           done;
  gboolean           ok;
  KioskBackendKnows  knows;
} Ask;

static void
asked_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  Ask *ask = user_data;
  g_autoptr(GError) error = NULL;

  ask->ok = kiosk_scan_ask_backend_finish (result, &ask->knows, NULL, &error);
  g_assert_no_error (error);
  ask->done = TRUE;
}

static KioskBackendKnows
ask_backend (KioskContext *context,
             const char   *id)
{
  Ask ask = { 0 };

  kiosk_scan_ask_backend_async (context, id, NULL, asked_cb, &ask);
  while (!ask.done)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (ask.ok);
  return ask.knows;
}

/* The counter path for one receipt: the citizen brings the slip, the
 * counter scans it, asks the backend (it lacks it), delivers it from
 * here; days later the kiosk syncs the same request.  The receipt's code
 * carries the very bytes sealed at rest, so again one delivery. */
static void
test_scan_at_counter (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  const char *id = g_ptr_array_index (f->ids, 1);
  g_autoptr(KioskRequest) request = kiosk_outbox_get (kiosk_context_get_outbox (f->kiosk), id, &error);
  g_autoptr(KioskReceipt) receipt = NULL;
  g_autoptr(KioskScan) scan = NULL;
  g_autoptr(KioskRequest) queued = NULL;
  g_autoptr(KioskRequest) delivered = NULL;
  const char *text;

  g_assert_no_error (error);
  receipt = kiosk_receipt_new_for_request (f->kiosk, request, "Sperrmüll", "de", &error);
  g_assert_no_error (error);
  text = kiosk_qr_get_text (kiosk_receipt_get_qr (receipt));

  scan = kiosk_scan_lookup (f->counter, f->counter_keys, text, &error);
  g_assert_no_error (error);
  g_assert_nonnull (scan->payload);
  g_assert_false (scan->sealed_only);
  g_assert_null (scan->request);
  g_assert_cmpstr (kiosk_payload_get_id (scan->payload), ==, id);
  g_assert_cmpint (ask_backend (f->counter, id), ==, KIOSK_BACKEND_LACKS_IT);

  queued = kiosk_scan_enqueue (f->counter, scan, "clerk", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (kiosk_request_get_origin_kiosk_id (queued), ==, "kiosk-a");
  g_assert_true (kiosk_request_get_flags (queued) & KIOSK_REQUEST_FLAG_IMPORTED);
  sync_once (f->counter);
  delivered = kiosk_outbox_get (kiosk_context_get_outbox (f->counter), id, &error);
  g_assert_cmpint (kiosk_request_get_state (delivered), ==, KIOSK_REQUEST_DELIVERED);
  g_assert_cmpint (ask_backend (f->counter, id), ==, KIOSK_BACKEND_HAS_IT);

  /* A second scan of the same slip adds nothing. */
  g_clear_object (&queued);
  queued = kiosk_scan_enqueue (f->counter, scan, "clerk", &error);
  g_assert_error (error, KIOSK_OUTBOX_ERROR, KIOSK_OUTBOX_ERROR_EXISTS);
  g_clear_error (&error);

  sync_once (f->kiosk);
  g_assert_cmpuint (kiosk_fake_backend_count_id (f->backend, id), ==, 1);
  g_assert_cmpuint (kiosk_fake_backend_get_n_stored (f->backend), ==, N_REQUESTS);
  g_assert_cmpuint (count_state (f->kiosk, KIOSK_REQUEST_DELIVERED), ==, N_REQUESTS);
  g_assert_cmpuint (count_state (f->kiosk, KIOSK_REQUEST_REJECTED), ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/kiosk/queue-export/exactly-once", Fixture,
              GUINT_TO_POINTER (KIOSK_FAKE_BACKEND_NONE),
              fixture_set_up, test_exactly_once, fixture_tear_down);
  g_test_add ("/kiosk/queue-export/negative-control-no-idempotency", Fixture,
              GUINT_TO_POINTER (KIOSK_FAKE_BACKEND_NO_IDEMPOTENCY),
              fixture_set_up, test_exactly_once, fixture_tear_down);
  g_test_add ("/kiosk/queue-export/scan-at-counter", Fixture, GUINT_TO_POINTER (KIOSK_FAKE_BACKEND_NONE),
              fixture_set_up, test_scan_at_counter, fixture_tear_down);
  g_test_add ("/kiosk/queue-export/refused", Fixture, GUINT_TO_POINTER (KIOSK_FAKE_BACKEND_NONE),
              fixture_set_up, test_refused, fixture_tear_down);
  g_test_add ("/kiosk/queue-export/unsealed-stay", Fixture, GUINT_TO_POINTER (KIOSK_FAKE_BACKEND_NONE),
              fixture_set_up, test_unsealed_stay, fixture_tear_down);

  return g_test_run ();
}

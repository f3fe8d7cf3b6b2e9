/* test-citizen-status-scan.c — the status page finds a request by its
 * scanned receipt (#16): the SHA-256 of the QR payload, on this kiosk
 *
 * SPDX-FileCopyrightText: 2026 Stadtkiosk contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "stadtkiosk-core.h"
#include "kiosk-store-private.h"
#include "kiosk-test-util.h"

typedef struct
{
  char             *dir;
  KioskClock       *clock;
  KioskConfig      *config;
  KioskContext     *context;
  KioskStatusGuard *guard;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  g_autofree char *text = NULL;

  f->dir = g_dir_make_tmp ("stadtkiosk-status-scan-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (f->dir, "kiosk.conf", NULL);
  /* Demo keys: the answers are sealed at rest, as with a city key. */
  text = g_strdup_printf ("[kiosk]\nid=kiosk-bib-1\nstate-dir=%s/state\n[keys]\nmode=demo\n", f->dir);
  g_assert_true (g_file_set_contents (path, text, -1, NULL));
  f->config = kiosk_config_new_from_file (path, &error);
  g_assert_no_error (error);
  f->clock = kiosk_clock_new_fake (G_GINT64_CONSTANT (1790000000) * G_USEC_PER_SEC);
  f->context = kiosk_context_new (f->config, f->clock, &error);
  g_assert_no_error (error);
  f->guard = kiosk_status_guard_new (f->clock);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_assert_finalize_object (g_steal_pointer (&f->guard));
  g_clear_object (&f->context);
  g_clear_object (&f->config);
  g_clear_object (&f->clock);
  kiosk_test_rm_rf (f->dir);
  g_free (f->dir);
}

static KioskRequest *
submit (Fixture    *f,
        const char *answers_json)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) answers = g_bytes_new (answers_json, strlen (answers_json));
  KioskRequestDraft draft = {
    .service_id = "bulky-waste",
    .service_version = 1,
    .locale = "de",
    .answers = answers,
    .answers_format = KIOSK_ANSWERS_JSON,
  };
  KioskRequest *request = kiosk_context_submit (f->context, &draft, "test", &error);

  g_assert_no_error (error);
  g_assert_cmpint (kiosk_request_get_answers_format (request), ==, KIOSK_ANSWERS_SEALED);
  return request;
}

/* Prints the receipt; returns its QR code's text, as a scanner types it. */
static char *
print_receipt (Fixture      *f,
               KioskRequest *request)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KioskReceipt) receipt = kiosk_receipt_new_for_request (f->context, request, "Sperrmüll", "de", &error);

  g_assert_no_error (error);
  return g_strdup (kiosk_qr_get_text (kiosk_receipt_get_qr (receipt)));
}

static KioskCitizenStatus *
scan (Fixture     *f,
      const char  *text,
      GError     **error)
{
  return kiosk_citizen_status_lookup (kiosk_context_get_outbox (f->context), f->guard, text, error);
}

/* The usual slip: its QR code is the payload sealed at rest, the same on
 * every print.  A scanner's line end and a space inside do not matter. */
static void
test_sealed_at_rest (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(KioskRequest) request = submit (f, "{\"name\":\"Erika Mustermann\"}");
  g_autofree char *text = print_receipt (f, request);
  g_autofree char *again = print_receipt (f, request);
  g_autofree char *with_line_end = g_strconcat (text, "\r\n", NULL);
  g_autofree char *with_space = g_strdup_printf ("%.20s %s", text, text + 20);
  g_autoptr(GError) error = NULL;

  g_assert_true (kiosk_citizen_status_is_scan (text));
  g_assert_false (kiosk_citizen_status_is_scan (kiosk_request_get_short_code (request)));
  g_assert_cmpstr (again, ==, text);
  for (guint i = 0; i < 3; i++)
    {
      const char *typed = i == 0 ? text : i == 1 ? with_line_end : with_space;
      g_autoptr(KioskCitizenStatus) status = scan (f, typed, &error);

      g_assert_no_error (error);
      g_assert_cmpstr (status->short_code, ==, kiosk_request_get_short_code (request));
      g_assert_cmpstr (status->service_id, ==, "bulky-waste");
      g_assert_cmpint (status->step, ==, KIOSK_CITIZEN_STEP_SAVED);
    }
}

/* Answers too large for the QR code: the slip carries a reference-only
 * code, sealed once when the request was stored — the same on every print,
 * and the hub document names it (receipt_sha256). */
static void
test_over_the_cap (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GString) big = g_string_new ("{\"description\":\"");
  g_autoptr(KioskRequest) request = NULL;
  g_autoptr(KioskRequest) stored = NULL;
  g_autoptr(KioskCouchdbTarget) hub = NULL;
  g_autoptr(KioskConfig) hub_config = NULL;
  g_autoptr(GBytes) doc = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *first = NULL;
  g_autofree char *second = NULL;
  g_autofree char *digest = NULL;
  g_autofree char *member = NULL;
  g_autofree char *hub_conf = NULL;
  g_autofree char *hub_path = NULL;
  g_autofree char *body = NULL;
  guint32 seed = 7;

  for (guint i = 0; i < 3000; i++)
    {
      seed = seed * 1103515245 + 12345;
      g_string_append_c (big, "abcdefghijklmnopqrstuvwxyz0123456789 "[(seed >> 16) % 37]);
    }
  g_string_append (big, "\"}");
  request = submit (f, big->str);
  g_assert_nonnull (kiosk_request_get_receipt_payload (request));
  stored = kiosk_outbox_get (kiosk_context_get_outbox (f->context), kiosk_request_get_id (request), &error);
  g_assert_no_error (error);
  g_assert_true (g_bytes_equal (kiosk_request_get_receipt_payload (stored), kiosk_request_get_receipt_payload (request)));
  first = print_receipt (f, stored);
  second = print_receipt (f, stored);
  g_assert_cmpstr (first, ==, second);
  {
    g_autoptr(KioskCitizenStatus) status = scan (f, first, &error);

    g_assert_no_error (error);
    g_assert_cmpstr (status->short_code, ==, kiosk_request_get_short_code (request));
  }

  /* The hub document (built only, sent nowhere) names the printed code. */
  hub_path = g_build_filename (f->dir, "hub.conf", NULL);
  hub_conf = g_strdup_printf ("[kiosk]\nid=kiosk-bib-1\nstate-dir=%s/state\n[couchdb]\nurl=http://127.0.0.1:9/x\n",
                              f->dir);
  g_assert_true (g_file_set_contents (hub_path, hub_conf, -1, NULL));
  hub_config = kiosk_config_new_from_file (hub_path, &error);
  g_assert_no_error (error);
  hub = kiosk_couchdb_target_new (hub_config, f->clock, 1, &error);
  g_assert_no_error (error);
  doc = kiosk_couchdb_target_build_doc (hub, stored, NULL, &error);
  g_assert_no_error (error);
  digest = kiosk_payload_dup_text_digest (first, &error);
  g_assert_no_error (error);
  member = g_strdup_printf (",\"receipt_sha256\":\"%s\"}", digest);
  body = g_strndup (g_bytes_get_data (doc, NULL), g_bytes_get_size (doc));
  g_assert_true (g_str_has_suffix (body, member));
}

/* A request stored in clear (a service routed to Open311, or sealing off)
 * is sealed afresh on every print: each print is found here. */
static void
test_fresh_per_print (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(GBytes) answers = g_bytes_new_static ("{\"name\":\"Erika Mustermann\"}", 27);
  KioskRequestDraft draft = {
    .service_id = "bulky-waste",
    .service_version = 1,
    .locale = "de",
    .answers = answers,
    .answers_format = KIOSK_ANSWERS_JSON,
  };
  g_autoptr(KioskRequest) request = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *first = NULL;
  g_autofree char *second = NULL;

  request = kiosk_outbox_enqueue (kiosk_context_get_outbox (f->context), &draft, "test", &error);
  g_assert_no_error (error);
  first = print_receipt (f, request);
  second = print_receipt (f, request);
  g_assert_cmpstr (first, !=, second);
  for (guint i = 0; i < 2; i++)
    {
      g_autoptr(KioskCitizenStatus) status = scan (f, i == 0 ? first : second, &error);

      g_assert_no_error (error);
      g_assert_cmpstr (status->short_code, ==, kiosk_request_get_short_code (request));
    }
}

/* Negative control: the same kind of slip, but this kiosk never made its
 * receipt (no digest stored) — not found, and such scans count against the
 * guard like wrong codes.  Storing the digest is what makes it findable. */
static void
test_not_printed_here (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(KioskRequest) request = submit (f, "{\"name\":\"Max Mustermann\"}");
  g_autofree char *text = kiosk_payload_encode_qr_text (kiosk_request_get_answers (request));
  g_autofree char *digest = kiosk_payload_dup_digest (kiosk_request_get_answers (request));
  g_autoptr(KioskCitizenStatus) status = NULL;
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < 3; i++)
    {
      g_assert_null (scan (f, text, &error));
      g_assert_error (error, KIOSK_CITIZEN_STATUS_ERROR, KIOSK_CITIZEN_STATUS_ERROR_UNKNOWN);
      g_clear_error (&error);
    }
  g_assert_cmpuint (kiosk_status_guard_get_wait (f->guard), ==, 5);
  kiosk_clock_advance (f->clock, 15 * 60 * G_USEC_PER_SEC);
  g_assert_cmpuint (kiosk_status_guard_get_wait (f->guard), ==, 0);

  g_assert_true (kiosk_outbox_add_receipt_digest (kiosk_context_get_outbox (f->context),
                                                  kiosk_request_get_id (request), digest, &error));
  g_assert_no_error (error);
  status = scan (f, text, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (status->short_code, ==, kiosk_request_get_short_code (request));
}

/* A scan cut short or misread asks nobody anything: its own message, and
 * no wrong try. */
static void
test_unreadable (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(KioskRequest) request = submit (f, "{\"name\":\"Erika Mustermann\"}");
  g_autofree char *text = print_receipt (f, request);
  g_autofree char *cut = g_strndup (text, strlen (text) / 2);
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < 5; i++)
    {
      g_assert_null (scan (f, cut, &error));
      g_assert_error (error, KIOSK_CITIZEN_STATUS_ERROR, KIOSK_CITIZEN_STATUS_ERROR_UNREADABLE_SCAN);
      g_clear_error (&error);
    }
  g_assert_cmpuint (kiosk_status_guard_get_wait (f->guard), ==, 0);
}

/* Requests stored before the digests existed: migration 10 takes the
 * sealed payload's digest over, since their slips showed it. */
static void
test_migration (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("stadtkiosk-status-migrate-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "kiosk.db", NULL);
  g_autoptr(KioskStore) old = NULL;
  g_autoptr(KioskStore) store = NULL;
  g_autoptr(KioskOutbox) outbox = NULL;
  g_autoptr(KioskRequest) found = NULL;
  g_autoptr(KioskClock) clock = kiosk_clock_new_fake (1);
  g_autoptr(GBytes) payload = g_bytes_new_static ("SK sealed", 9);
  g_autofree char *digest = kiosk_payload_dup_digest (payload);

  g_assert_no_error (error);
  old = _kiosk_store_open_full (path, KIOSK_STORE_SYNC_FULL, 9, &error);
  g_assert_no_error (error);
  g_assert_true (_kiosk_store_exec (old,
                                    "INSERT INTO requests (id, short_code, service_id, service_version, "
                                    "  locale, created_us, updated_us, answers, state, answers_format) "
                                    "VALUES ('8d3c1a64-2a9f-4c39-9a55-1f0d5e1b7a10', 'HSK-0000-0000', "
                                    "  'bulky-waste', 3, 'de', 1, 1, CAST ('SK sealed' AS BLOB), 'queued', 'sealed');",
                                    &error));
  g_assert_no_error (error);
  g_clear_object (&old);

  store = kiosk_store_open (path, &error);
  g_assert_no_error (error);
  outbox = kiosk_outbox_new (store, clock, "HSK", &error);
  g_assert_no_error (error);
  found = kiosk_outbox_get_by_receipt_digest (outbox, digest, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (kiosk_request_get_short_code (found), ==, "HSK-0000-0000");
  g_clear_object (&found);
  g_assert_null (kiosk_outbox_get_by_receipt_digest (outbox, "00", &error));
  g_assert_error (error, KIOSK_OUTBOX_ERROR, KIOSK_OUTBOX_ERROR_NOT_FOUND);

  g_clear_object (&outbox);
  g_clear_object (&store);
  kiosk_test_rm_rf (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/kiosk/citizen-status/scan/sealed-at-rest", Fixture, NULL,
              fixture_set_up, test_sealed_at_rest, fixture_tear_down);
  g_test_add ("/kiosk/citizen-status/scan/over-the-cap", Fixture, NULL,
              fixture_set_up, test_over_the_cap, fixture_tear_down);
  g_test_add ("/kiosk/citizen-status/scan/fresh-per-print", Fixture, NULL,
              fixture_set_up, test_fresh_per_print, fixture_tear_down);
  g_test_add ("/kiosk/citizen-status/scan/not-printed-here", Fixture, NULL,
              fixture_set_up, test_not_printed_here, fixture_tear_down);
  g_test_add ("/kiosk/citizen-status/scan/unreadable", Fixture, NULL,
              fixture_set_up, test_unreadable, fixture_tear_down);
  g_test_add_func ("/kiosk/citizen-status/scan/migration", test_migration);
  return g_test_run ();
}

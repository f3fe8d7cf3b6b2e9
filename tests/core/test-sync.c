/* test-sync.c: delivery classification, backoff, TLS, status
 *
 * Every test runs a real SoupServer (tests/support/kiosk-fake-backend.c) on
 * 127.0.0.1:0 in its own thread.
 *
 * SPDX-FileCopyrightText: 2026 Stadtkiosk contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <sqlite3.h>
#include <string.h>

#include "kiosk-fake-backend.h"
#include "kiosk-store-private.h"
#include "kiosk-sync-private.h"
#include "kiosk-sync-test-util.h"

/* LeakSanitizer crashes scanning the dynamic TLS of GIO's dlopen()ed
 * GnuTLS module ("Tracer caught signal 11" in /kiosk/sync/pause-tls); not
 * intercepting __tls_get_addr avoids it.  Only read by ASan builds. */
const char *__asan_default_options (void);

const char *
__asan_default_options (void)
{
  return "intercept_tls_get_addr=0";
}

#define TOKEN "s3cret-token"
#define ANSWERS "{\"name\":\"Erika Mustermann\",\"plz\":\"31134\"}"

static void
async_result_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

static KioskFakeBackend *
start_backend (KioskFakeBackendFlags flags)
{
  g_autoptr(GError) error = NULL;
  KioskFakeBackend *backend = kiosk_fake_backend_new (0, NULL, flags, NULL, &error);

  g_assert_no_error (error);
  return backend;
}

static void
set_status_fault (KioskFakeBackend *backend,
                  guint             status,
                  const char       *retry_after)
{
  KioskFakeFaults faults = { .status = status, .retry_after = retry_after };

  kiosk_fake_backend_set_faults (backend, &faults);
}

static KioskRequest *
reload (SyncKiosk    *kiosk,
        KioskRequest *request)
{
  g_autoptr(GError) error = NULL;
  KioskRequest *again = kiosk_outbox_get (kiosk->outbox, kiosk_request_get_id (request), &error);

  g_assert_no_error (error);
  return again;
}

/* Without the fault, after the backoff: the request goes again and the
 * backend's idempotency store answers with the one copy it stored. */
static void
assert_replay_delivers (KioskFakeBackend *backend,
                        SyncKiosk        *kiosk,
                        KioskRequest     *request)
{
  g_autoptr(KioskRequest) last = NULL;
  g_autoptr(GError) error = NULL;

  kiosk_fake_backend_set_faults (backend, NULL);
  kiosk_clock_advance (kiosk->clock, KIOSK_SYNC_BACKOFF_BASE_US + 1);
  g_assert_true (sync_kiosk_run_once (kiosk, &error));
  g_assert_no_error (error);
  last = reload (kiosk, request);
  g_assert_cmpint (kiosk_request_get_state (last), ==, KIOSK_REQUEST_DELIVERED);
  g_assert_cmpstr (kiosk_request_get_remote_ref (last), ==, "HI-2026-000001");
  g_assert_cmpuint (kiosk_fake_backend_get_n_stored (backend), ==, 1);
}

/* 2xx → delivered with the remote reference; the token went as a bearer. */
static void
test_delivered (void)
{
  g_autoptr(KioskFakeBackend) backend = start_backend (0);
  SyncKiosk *kiosk;
  g_autoptr(KioskRequest) request = NULL;
  g_autoptr(KioskRequest) after = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *auth = NULL;

  kiosk_fake_backend_set_token (backend, TOKEN);
  kiosk = sync_kiosk_new (kiosk_fake_backend_get_url (backend), TOKEN, NULL, TRUE);
  request = sync_kiosk_enqueue (kiosk, ANSWERS);

  g_assert_true (sync_kiosk_run_once (kiosk, &error));
  g_assert_no_error (error);

  after = reload (kiosk, request);
  g_assert_cmpint (kiosk_request_get_state (after), ==, KIOSK_REQUEST_DELIVERED);
  g_assert_cmpstr (kiosk_request_get_remote_ref (after), ==, "HI-2026-000001");
  g_assert_cmpuint (kiosk_fake_backend_count_id (backend, kiosk_request_get_id (request)), ==, 1);
  auth = kiosk_fake_backend_dup_last_authorization (backend);
  g_assert_cmpstr (auth, ==, "Bearer " TOKEN);
  g_assert_cmpint (kiosk_sync_get_state (kiosk->sync), ==, KIOSK_SYNC_ONLINE);
  g_assert_cmpint (kiosk_sync_get_last_success (kiosk->sync), ==, kiosk_clock_get_now (kiosk->clock));

  sync_kiosk_free (kiosk);
}

/* The body is the same bytes every time: that is what makes a replay a replay. */
static void
test_body (void)
{
  g_autoptr(KioskFakeBackend) backend = start_backend (0);
  SyncKiosk *kiosk = sync_kiosk_new (kiosk_fake_backend_get_url (backend), NULL, NULL, TRUE);
  g_autoptr(KioskRequest) request = sync_kiosk_enqueue (kiosk, ANSWERS);
  g_autoptr(KioskSubmissionTarget) target = NULL;
  g_autoptr(GBytes) one = NULL;
  g_autoptr(GBytes) two = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) error = NULL;
  JsonObject *object;

  target = kiosk_submission_target_new (kiosk->config, kiosk->clock, 4, &error);
  g_assert_no_error (error);
  one = kiosk_submission_target_build_body (target, request, &error);
  g_assert_no_error (error);
  two = kiosk_submission_target_build_body (target, request, &error);
  g_assert_true (g_bytes_equal (one, two));

  node = json_from_string (g_bytes_get_data (one, NULL), &error);
  g_assert_no_error (error);
  object = json_node_get_object (node);
  g_assert_cmpstr (json_object_get_string_member (object, "id"), ==, kiosk_request_get_id (request));
  g_assert_cmpstr (json_object_get_string_member (object, "kiosk_id"), ==, "test-kiosk");
  g_assert_cmpstr (json_object_get_string_member (object, "service_id"), ==, "sperrmuell");
  g_assert_cmpint (json_object_get_int_member (object, "service_version"), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (object, "locale"), ==, "de");
  g_assert_cmpstr (json_object_get_string_member (object, "answers_format"), ==, "json");
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (object, "answers"), "plz"), ==, "31134");
  g_assert_true (g_str_has_suffix (json_object_get_string_member (object, "created"), "Z"));

  /* The members come in the order the first kiosks sent them: a replay
   * after an update must be the same bytes. */
  {
    static const char * const order[] = {
      "\"id\":", "\"short_code\":", "\"kiosk_id\":", "\"service_id\":", "\"service_version\":",
      "\"created\":", "\"locale\":", "\"assisted\":", "\"answers_format\":", "\"answers\":",
    };
    g_autofree char *text = g_strndup (g_bytes_get_data (one, NULL), g_bytes_get_size (one));
    const char *at = text;

    for (guint i = 0; i < G_N_ELEMENTS (order); i++)
      {
        g_test_message ("looking for %s", order[i]);
        at = strstr (at, order[i]);
        g_assert_nonnull (at);
      }
  }

  g_assert_finalize_object (g_steal_pointer (&target));
  sync_kiosk_free (kiosk);
}

/* The body as the JSON builder writes it (kiosk_request_build_json() with
 * the Submission API's members): build_plain_body() writes the envelope
 * itself for requests whose strings need no escaping, and must give the
 * very same bytes, whatever the answers hold; the others (an origin kiosk
 * with quotes or umlauts) go through the builder. */
static void
test_body_as_built (void)
{
  static const char * const members[] = {
    "id", "short_code", "kiosk_id", "service_id", "service_version", "created", "locale",
    "assisted", "answers_format", "sealed_payload", "answers", NULL,
  };
  static const guint8 sealed[] = { 0xff, 0xff, 0xff, 0xfb, 0xef, 0x00, 0x53 };   /* base64 with '/' and '+' */
  static const char * const answers[] = {
    ANSWERS,
    "{\"s\":\"a\\\"b\\\\c\\u0001\\n\\t/ \\u00fc \\u2713 \\ud83d\\ude00 <&>\",\"n\":1.5,\"e\":1e300,\"m\":-0.0,"
    "\"a\":[1,true,null,{\"x\":[]}],\"i\":9007199254740993,\"o\":{}}",
    "{ \"spaced\" : [ 1 , 2 ] ,\n \"u\":\"\xc3\xa4\xe2\x9c\x93\" }",
  };
  static const char * const origins[] = {
    NULL, "HI/7 <a>&'%~`!@#$^*()_+-={}[]|;:,.?", "Kiosk \"S\xc3\xbc" "d\"", "back\\slash", "tab\there",
  };
  g_autoptr(KioskFakeBackend) backend = start_backend (0);
  SyncKiosk *kiosk = sync_kiosk_new (kiosk_fake_backend_get_url (backend), NULL, NULL, TRUE);
  g_autoptr(KioskSubmissionTarget) target = NULL;
  g_autoptr(GError) error = NULL;
  guint n = 0;

  target = kiosk_submission_target_new (kiosk->config, kiosk->clock, 4, &error);
  g_assert_no_error (error);

  for (guint a = 0; a <= G_N_ELEMENTS (answers); a++)
    for (guint o = 0; o < G_N_ELEMENTS (origins); o++)
      {
        g_autoptr(GBytes) stored = a < G_N_ELEMENTS (answers)
                                   ? g_bytes_new_static (answers[a], strlen (answers[a]))
                                   : g_bytes_new_static (sealed, sizeof sealed);
        KioskRequestDraft draft = {
          .service_id = "sperrmuell", .service_version = 7, .locale = "de",
          .answers = stored,
          .answers_format = a < G_N_ELEMENTS (answers) ? KIOSK_ANSWERS_JSON : KIOSK_ANSWERS_SEALED,
          .flags = (o % 2) ? KIOSK_REQUEST_FLAG_ASSISTED : 0,
          .origin_kiosk_id = origins[o],
        };
        g_autoptr(KioskRequest) request = kiosk_outbox_enqueue (kiosk->outbox, &draft, "test", &error);
        g_autoptr(JsonBuilder) builder = json_builder_new ();
        g_autoptr(JsonGenerator) generator = json_generator_new ();
        g_autoptr(JsonNode) root = NULL;
        g_autoptr(GBytes) body = NULL;
        g_autofree char *expected = NULL;
        g_autofree char *got = NULL;

        g_assert_no_error (error);
        g_assert_true (kiosk_request_build_json (request, builder, members, "test-kiosk",
                                                 KIOSK_REQUEST_JSON_DEFAULT, &error));
        g_assert_no_error (error);
        root = json_builder_get_root (builder);
        json_generator_set_root (generator, root);
        expected = json_generator_to_data (generator, NULL);

        body = kiosk_submission_target_build_body (target, request, &error);
        g_assert_no_error (error);
        got = g_strndup (g_bytes_get_data (body, NULL), g_bytes_get_size (body));
        g_assert_cmpuint (g_bytes_get_size (body), ==, strlen (got));
        g_assert_cmpstr (got, ==, expected);
        n++;
      }
  g_assert_cmpuint (n, ==, (G_N_ELEMENTS (answers) + 1) * G_N_ELEMENTS (origins));

  g_assert_finalize_object (g_steal_pointer (&target));
  sync_kiosk_free (kiosk);
}

/* Sealed answers go as base64 in sealed_payload. */
static void
test_body_sealed (void)
{
  g_autoptr(KioskFakeBackend) backend = start_backend (0);
  SyncKiosk *kiosk = sync_kiosk_new (kiosk_fake_backend_get_url (backend), NULL, NULL, TRUE);
  static const guint8 sealed[] = { 0x53, 0x4b, 0x01, 0x00, 0xff, 0x10 };
  g_autoptr(GBytes) answers = g_bytes_new_static (sealed, sizeof sealed);
  KioskRequestDraft draft = { .service_id = "sperrmuell", .service_version = 2, .locale = "tr",
                              .answers = answers, .answers_format = KIOSK_ANSWERS_SEALED };
  g_autoptr(KioskRequest) request = NULL;
  g_autoptr(KioskRequest) after = NULL;
  g_autoptr(KioskSubmissionTarget) target = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree guchar *decoded = NULL;
  gsize length;
  JsonObject *object;

  request = kiosk_outbox_enqueue (kiosk->outbox, &draft, "test", &error);
  g_assert_no_error (error);
  target = kiosk_submission_target_new (kiosk->config, kiosk->clock, 4, &error);
  g_assert_no_error (error);
  body = kiosk_submission_target_build_body (target, request, &error);
  g_assert_no_error (error);
  node = json_from_string (g_bytes_get_data (body, NULL), &error);
  object = json_node_get_object (node);
  g_assert_cmpstr (json_object_get_string_member (object, "answers_format"), ==, "sealed");
  g_assert_false (json_object_has_member (object, "answers"));
  decoded = g_base64_decode (json_object_get_string_member (object, "sealed_payload"), &length);
  g_assert_cmpmem (decoded, length, sealed, sizeof sealed);

  g_assert_true (sync_kiosk_run_once (kiosk, &error));
  after = reload (kiosk, request);
  g_assert_cmpint (kiosk_request_get_state (after), ==, KIOSK_REQUEST_DELIVERED);

  g_assert_finalize_object (g_steal_pointer (&target));
  sync_kiosk_free (kiosk);
}

/* Answers sealed at rest (a kiosk with a city key, demo keys here) reach a
 * backend that holds the city's secret key, which opens them and checks the
 * kiosk's signature; a backend with another city's key refuses them. */
static void
test_sealed_end_to_end (void)
{
  g_autoptr(KioskFakeBackend) backend = start_backend (0);
  SyncKiosk *kiosk = sync_kiosk_new (kiosk_fake_backend_get_url (backend), NULL, "[keys]\nmode=demo", TRUE);
  g_autoptr(GBytes) answers = g_bytes_new_static (ANSWERS, strlen (ANSWERS));
  KioskRequestDraft draft = { .service_id = "report-problem", .service_version = 1, .locale = "de",
                              .answers = answers, .answers_format = KIOSK_ANSWERS_JSON };
  g_autoptr(KioskRequest) first = NULL;
  g_autoptr(KioskRequest) second = NULL;
  g_autoptr(KioskRequest) after = NULL;
  g_autoptr(GError) error = NULL;
  KioskKeys *keys = NULL;
  KioskKeys *other_keys = NULL;
  g_autofree char *other_dir = g_build_filename (kiosk->dir, "other-city", NULL);
  g_autofree char *other_conf = NULL;
  g_autoptr(KioskConfig) other = NULL;

  keys = kiosk_keys_load_for_counter (kiosk->config, NULL, NULL, &error);
  g_assert_no_error (error);
  kiosk_fake_backend_set_opener (backend, sync_kiosk_open_sealed_cb, keys);

  first = kiosk_context_submit (kiosk->context, &draft, "test", &error);
  g_assert_no_error (error);
  g_assert_cmpint (kiosk_request_get_answers_format (first), ==, KIOSK_ANSWERS_SEALED);
  {
    GBytes *stored = kiosk_request_get_answers (first);
    const char *data = g_bytes_get_data (stored, NULL);
    gsize size = g_bytes_get_size (stored);

    /* the kiosk cannot read what it stored */
    for (gsize i = 0; i + 10 <= size; i++)
      g_assert_false (memcmp (data + i, "Mustermann", 10) == 0);
  }
  g_assert_true (sync_kiosk_run_once (kiosk, &error));
  g_assert_no_error (error);
  after = reload (kiosk, first);
  g_assert_cmpint (kiosk_request_get_state (after), ==, KIOSK_REQUEST_DELIVERED);
  g_assert_cmpuint (kiosk_fake_backend_get_n_stored (backend), ==, 1);

  /* Negative control: another city's key cannot open it, the request is
   * rejected for a clerk (not lost, not delivered). */
  other_conf = g_strdup_printf ("[kiosk]\nstate-dir=%s\n[keys]\nmode=demo\n", other_dir);
  {
    g_autofree char *path = g_build_filename (kiosk->dir, "other.conf", NULL);

    g_assert_true (g_file_set_contents (path, other_conf, -1, NULL));
    other = kiosk_config_new_from_file (path, &error);
    g_assert_no_error (error);
  }
  other_keys = kiosk_keys_load_for_counter (other, NULL, NULL, &error);
  g_assert_no_error (error);
  kiosk_fake_backend_set_opener (backend, sync_kiosk_open_sealed_cb, other_keys);

  second = kiosk_context_submit (kiosk->context, &draft, "test", &error);
  g_assert_no_error (error);
  g_assert_true (sync_kiosk_run_once (kiosk, &error));
  g_clear_object (&after);
  after = reload (kiosk, second);
  g_assert_cmpint (kiosk_request_get_state (after), ==, KIOSK_REQUEST_REJECTED);
  g_assert_nonnull (strstr (kiosk_request_get_last_error (after), "city key"));
  g_assert_cmpuint (kiosk_fake_backend_get_n_stored (backend), ==, 1);

  kiosk_fake_backend_set_opener (backend, NULL, NULL);
  g_clear_pointer (&backend, kiosk_fake_backend_free);
  kiosk_keys_free (keys);
  kiosk_keys_free (other_keys);
  sync_kiosk_free (kiosk);
}

/* 408, 425, 429, 500, 502, 503 → retry, later, with backoff; never rejected. */
static void
test_retry_status (void)
{
  static const guint statuses[] = { 408, 425, 429, 500, 502, 503 };

  for (guint i = 0; i < G_N_ELEMENTS (statuses); i++)
    {
      g_autoptr(KioskFakeBackend) backend = start_backend (0);
      SyncKiosk *kiosk = sync_kiosk_new (kiosk_fake_backend_get_url (backend), NULL, NULL, TRUE);
      g_autoptr(KioskRequest) request = sync_kiosk_enqueue (kiosk, ANSWERS);
      g_autoptr(KioskRequest) after = NULL;
      g_autoptr(GError) error = NULL;
      g_autofree char *expected = g_strdup_printf ("HTTP %u", statuses[i]);
      gint64 now = kiosk_clock_get_now (kiosk->clock);

      set_status_fault (backend, statuses[i], NULL);
      g_assert_true (sync_kiosk_run_once (kiosk, &error));

      after = reload (kiosk, request);
      g_assert_cmpint (kiosk_request_get_state (after), ==, KIOSK_REQUEST_QUEUED);
      g_assert_cmpuint (kiosk_request_get_attempts (after), ==, 1);
      g_assert_cmpint (kiosk_request_get_next_attempt (after), >=, now + G_USEC_PER_SEC);
      g_assert_cmpint (kiosk_request_get_next_attempt (after), <=, now + KIOSK_SYNC_BACKOFF_BASE_US);
      g_assert_true (g_str_has_prefix (kiosk_request_get_last_error (after), expected));
      g_assert_cmpint (kiosk_sync_get_state (kiosk->sync), ==, KIOSK_SYNC_ONLINE);
      g_assert_cmpuint (kiosk_fake_backend_get_n_stored (backend), ==, 0);

      sync_kiosk_free (kiosk);
    }
}

/* 503 with Retry-After: never sooner, in seconds or as an HTTP date. */
static void
test_retry_after (void)
{
  g_autoptr(KioskFakeBackend) backend = start_backend (0);
  SyncKiosk *kiosk = sync_kiosk_new (kiosk_fake_backend_get_url (backend), NULL, NULL, TRUE);
  g_autoptr(KioskRequest) request = sync_kiosk_enqueue (kiosk, ANSWERS);
  g_autoptr(KioskRequest) after = NULL;
  g_autoptr(GError) error = NULL;
  gint64 now = kiosk_clock_get_now (kiosk->clock);

  set_status_fault (backend, 503, "7200");
  g_assert_true (sync_kiosk_run_once (kiosk, &error));
  after = reload (kiosk, request);
  g_assert_cmpint (kiosk_request_get_state (after), ==, KIOSK_REQUEST_QUEUED);
  g_assert_cmpint (kiosk_request_get_next_attempt (after), >=, now + G_GINT64_CONSTANT (7200) * G_USEC_PER_SEC);
  g_assert_cmpint (kiosk_request_get_next_attempt (after), <=, now + G_GINT64_CONSTANT (7201) * G_USEC_PER_SEC);

  sync_kiosk_free (kiosk);
}

static void
test_retry_after_parse (void)
{
  gint64 now = G_GINT64_CONSTANT (1800000000) * G_USEC_PER_SEC;   /* Fri, 15 Jan 2027 08:00:00 GMT */

  g_assert_cmpint (kiosk_target_parse_retry_after ("120", now), ==, 120 * G_USEC_PER_SEC);
  g_assert_cmpint (kiosk_target_parse_retry_after (" 0 ", now), ==, 0);
  g_assert_cmpint (kiosk_target_parse_retry_after ("99999999999", now), ==, KIOSK_TARGET_RETRY_AFTER_CAP_US);
  g_assert_cmpint (kiosk_target_parse_retry_after ("Fri, 15 Jan 2027 08:10:00 GMT", now), ==, 600 * G_USEC_PER_SEC);
  g_assert_cmpint (kiosk_target_parse_retry_after ("Fri, 01 Jan 2027 08:00:00 GMT", now), ==, 0);
  g_assert_cmpint (kiosk_target_parse_retry_after ("Sat, 01 Jan yesterday", now), ==, -1);
  g_assert_cmpint (kiosk_target_parse_retry_after ("Thu, 01 Jan 2099 00:00:00 GMT", now), ==, KIOSK_TARGET_RETRY_AFTER_CAP_US);
  g_assert_cmpint (kiosk_target_parse_retry_after ("12abc", now), ==, -1);
  g_assert_cmpint (kiosk_target_parse_retry_after ("", now), ==, -1);
  g_assert_cmpint (kiosk_target_parse_retry_after (NULL, now), ==, -1);
}

static void
test_classify_status (void)
{
  g_assert_cmpint (kiosk_target_classify_status (200), ==, KIOSK_OUTCOME_DELIVERED);
  g_assert_cmpint (kiosk_target_classify_status (201), ==, KIOSK_OUTCOME_DELIVERED);
  for (guint s = 500; s < 600; s++)
    g_assert_cmpint (kiosk_target_classify_status (s), ==, KIOSK_OUTCOME_RETRY);
  g_assert_cmpint (kiosk_target_classify_status (408), ==, KIOSK_OUTCOME_RETRY);
  g_assert_cmpint (kiosk_target_classify_status (425), ==, KIOSK_OUTCOME_RETRY);
  g_assert_cmpint (kiosk_target_classify_status (429), ==, KIOSK_OUTCOME_RETRY);
  g_assert_cmpint (kiosk_target_classify_status (401), ==, KIOSK_OUTCOME_PAUSE);
  g_assert_cmpint (kiosk_target_classify_status (403), ==, KIOSK_OUTCOME_PAUSE);
  g_assert_cmpint (kiosk_target_classify_status (404), ==, KIOSK_OUTCOME_PAUSE);
  g_assert_cmpint (kiosk_target_classify_status (301), ==, KIOSK_OUTCOME_PAUSE);
  g_assert_cmpint (kiosk_target_classify_status (400), ==, KIOSK_OUTCOME_REJECTED);
  g_assert_cmpint (kiosk_target_classify_status (422), ==, KIOSK_OUTCOME_REJECTED);
  g_assert_cmpint (kiosk_target_classify_status (413), ==, KIOSK_OUTCOME_REJECTED);
}

/* Connection dropped before the answer → retry; the probe keeps us online. */
static void
test_retry_dropped (void)
{
  g_autoptr(KioskFakeBackend) backend = start_backend (0);
  SyncKiosk *kiosk = sync_kiosk_new (kiosk_fake_backend_get_url (backend), NULL, NULL, TRUE);
  g_autoptr(KioskRequest) request = sync_kiosk_enqueue (kiosk, ANSWERS);
  g_autoptr(KioskRequest) after = NULL;
  g_autoptr(GError) error = NULL;
  KioskFakeFaults faults = { .drop_after_pct = 100 };

  kiosk_fake_backend_set_faults (backend, &faults);
  g_assert_true (sync_kiosk_run_once (kiosk, &error));
  after = reload (kiosk, request);
  g_assert_cmpint (kiosk_request_get_state (after), ==, KIOSK_REQUEST_QUEUED);
  g_assert_true (g_str_has_prefix (kiosk_request_get_last_error (after), "no answer"));
  /* Stored once at the backend, the kiosk does not know: the replay tells it. */
  g_assert_cmpuint (kiosk_fake_backend_get_n_stored (backend), ==, 1);

  assert_replay_delivers (backend, kiosk, request);

  sync_kiosk_free (kiosk);
}

/* A 2xx with broken JSON: stored at the backend but no reference → retry;
 * the replay brings the reference. */
static void
test_retry_malformed (void)
{
  g_autoptr(KioskFakeBackend) backend = start_backend (0);
  SyncKiosk *kiosk = sync_kiosk_new (kiosk_fake_backend_get_url (backend), NULL, NULL, TRUE);
  g_autoptr(KioskRequest) request = sync_kiosk_enqueue (kiosk, ANSWERS);
  g_autoptr(KioskRequest) after = NULL;
  g_autoptr(GError) error = NULL;
  KioskFakeFaults faults = { .malformed_pct = 100 };

  kiosk_fake_backend_set_faults (backend, &faults);
  g_assert_true (sync_kiosk_run_once (kiosk, &error));
  after = reload (kiosk, request);
  g_assert_cmpint (kiosk_request_get_state (after), ==, KIOSK_REQUEST_QUEUED);
  g_assert_cmpstr (kiosk_request_get_last_error (after), ==, "the backend answered without a readable reference");

  assert_replay_delivers (backend, kiosk, request);

  sync_kiosk_free (kiosk);
}

/* An answer later than [backend] timeout → retry. */
static void
test_retry_timeout (void)
{
  g_autoptr(KioskFakeBackend) backend = start_backend (0);
  SyncKiosk *kiosk = sync_kiosk_new (kiosk_fake_backend_get_url (backend), NULL, NULL, TRUE);
  g_autoptr(KioskRequest) request = sync_kiosk_enqueue (kiosk, ANSWERS);
  g_autoptr(KioskRequest) after = NULL;
  g_autoptr(GError) error = NULL;
  KioskFakeFaults faults = { .delay_pct = 100, .delay_ms = 3000 };
  gint64 started = g_get_monotonic_time ();

  kiosk_fake_backend_set_faults (backend, &faults);
  g_assert_true (sync_kiosk_run_once (kiosk, &error));
  after = reload (kiosk, request);
  g_assert_cmpint (kiosk_request_get_state (after), ==, KIOSK_REQUEST_QUEUED);
  g_assert_cmpstr (kiosk_request_get_last_error (after), ==, "the city's system answers too slowly: no complete answer within [backend] timeout");
  g_assert_cmpint (g_get_monotonic_time () - started, >=, 2 * G_USEC_PER_SEC);

  sync_kiosk_free (kiosk);
}

/* Nobody listening: the health probe says offline, nothing is attempted. */
static void
test_offline_refused (void)
{
  g_autoptr(KioskFakeBackend) backend = start_backend (0);
  g_autofree char *url = g_strdup (kiosk_fake_backend_get_url (backend));
  SyncKiosk *kiosk;
  g_autoptr(KioskRequest) request = NULL;
  g_autoptr(KioskRequest) after = NULL;
  g_autoptr(GError) error = NULL;

  /* The port is free again once the backend is gone: connection refused. */
  g_clear_pointer (&backend, kiosk_fake_backend_free);
  kiosk = sync_kiosk_new (url, NULL, NULL, TRUE);
  request = sync_kiosk_enqueue (kiosk, ANSWERS);

  g_assert_false (sync_kiosk_run_once (kiosk, &error));
  g_assert_error (error, KIOSK_SYNC_ERROR, KIOSK_SYNC_ERROR_OFFLINE);
  g_assert_nonnull (strstr (error->message, url));
  g_assert_cmpint (kiosk_sync_get_state (kiosk->sync), ==, KIOSK_SYNC_OFFLINE);
  after = reload (kiosk, request);
  g_assert_cmpint (kiosk_request_get_state (after), ==, KIOSK_REQUEST_QUEUED);
  g_assert_cmpuint (kiosk_request_get_attempts (after), ==, 0);

  sync_kiosk_free (kiosk);
}

static void
outcome_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  KioskOutcome **out = user_data;
  g_autoptr(GError) error = NULL;

  *out = kiosk_target_deliver_finish (KIOSK_TARGET (object), result, &error);
  g_assert_no_error (error);
}

/* The target's own classification of a refused connection. */
static void
test_target_refused (void)
{
  g_autoptr(KioskFakeBackend) backend = start_backend (0);
  g_autofree char *url = g_strdup (kiosk_fake_backend_get_url (backend));
  SyncKiosk *kiosk;
  g_autoptr(KioskRequest) request = NULL;
  g_autoptr(KioskSubmissionTarget) target = NULL;
  g_autoptr(KioskOutcome) outcome = NULL;
  g_autoptr(GError) error = NULL;

  g_clear_pointer (&backend, kiosk_fake_backend_free);
  kiosk = sync_kiosk_new (url, NULL, NULL, TRUE);
  request = sync_kiosk_enqueue (kiosk, ANSWERS);
  target = kiosk_submission_target_new (kiosk->config, kiosk->clock, 4, &error);
  g_assert_no_error (error);

  kiosk_target_deliver_async (KIOSK_TARGET (target), request, NULL, outcome_cb, &outcome);
  while (outcome == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpint (outcome->kind, ==, KIOSK_OUTCOME_RETRY);
  g_assert_true (outcome->offline_hint);
  g_assert_cmpuint (outcome->status, ==, 0);

  g_clear_object (&target);
  sync_kiosk_free (kiosk);
}

/* 401/403 → paused, admin alert; the request is released, not rejected. */
static void
test_pause_auth (void)
{
  static const guint statuses[] = { 401, 403 };

  for (guint i = 0; i < G_N_ELEMENTS (statuses); i++)
    {
      g_autoptr(KioskFakeBackend) backend = start_backend (0);
      SyncKiosk *kiosk;
      g_autoptr(GError) error = NULL;
      g_autofree char *expected = g_strdup_printf ("HTTP %u", statuses[i]);

      if (statuses[i] == 401)
        kiosk_fake_backend_set_token (backend, "the-right-token");
      else
        set_status_fault (backend, 403, NULL);
      kiosk = sync_kiosk_new (kiosk_fake_backend_get_url (backend), "a-wrong-token", NULL, TRUE);
      for (guint k = 0; k < 6; k++)
        g_object_unref (sync_kiosk_enqueue (kiosk, ANSWERS));

      g_assert_false (sync_kiosk_run_once (kiosk, &error));
      g_assert_error (error, KIOSK_SYNC_ERROR, KIOSK_SYNC_ERROR_PAUSED);
      g_assert_cmpint (kiosk_sync_get_state (kiosk->sync), ==, KIOSK_SYNC_PAUSED);
      g_assert_true (g_str_has_prefix (kiosk_sync_get_pause_reason (kiosk->sync), expected));
      g_assert_nonnull (strstr (kiosk_sync_get_pause_reason (kiosk->sync), "[backend] token-file"));
      g_assert_null (strstr (kiosk_sync_get_pause_reason (kiosk->sync), "a-wrong-token"));
      g_assert_cmpuint (sync_kiosk_count (kiosk, KIOSK_REQUEST_QUEUED), ==, 6);
      g_assert_cmpuint (sync_kiosk_count (kiosk, KIOSK_REQUEST_REJECTED), ==, 0);
      /* Only the first batch went out; the queue stopped after it. */
      g_assert_cmpuint (kiosk_fake_backend_get_n_received (backend), <=, KIOSK_SYNC_MAX_IN_FLIGHT);
      g_assert_true (kiosk_sync_get_alert (kiosk->sync));

      sync_kiosk_free (kiosk);
    }
}

/* A started sync stays paused, sends nothing, and tries again by itself
 * after the backoff cap (re-reading the token): once the backend accepts the
 * token, the queue drains. */
static void
test_pause_resume (void)
{
  g_autoptr(KioskFakeBackend) backend = start_backend (0);
  SyncKiosk *kiosk;
  guint received;

  kiosk_fake_backend_set_token (backend, "the-right-token");
  kiosk = sync_kiosk_new (kiosk_fake_backend_get_url (backend), "the-old-token", NULL, TRUE);
  for (guint k = 0; k < 3; k++)
    g_object_unref (sync_kiosk_enqueue (kiosk, ANSWERS));

  kiosk_sync_start (kiosk->sync);
  sync_kiosk_wait_idle (kiosk);
  g_assert_cmpint (kiosk_sync_get_state (kiosk->sync), ==, KIOSK_SYNC_PAUSED);
  received = kiosk_fake_backend_get_n_received (backend);

  /* Paused means quiet, however long. */
  kiosk_clock_advance (kiosk->clock, KIOSK_SYNC_BACKOFF_CAP_US - G_USEC_PER_SEC);
  sync_kiosk_wait_idle (kiosk);
  g_assert_cmpint (kiosk_sync_get_state (kiosk->sync), ==, KIOSK_SYNC_PAUSED);
  g_assert_cmpuint (kiosk_fake_backend_get_n_received (backend), ==, received);

  /* The admin installs the right token; after the cap it is picked up. */
  {
    g_autofree char *token_path = g_build_filename (kiosk->dir, "token", NULL);

    g_assert_true (g_file_set_contents (token_path, "the-right-token", -1, NULL));
    g_assert_cmpint (g_chmod (token_path, 0600), ==, 0);
  }
  g_assert_cmpuint (sync_kiosk_drain (kiosk, 20), <, 20);
  g_assert_cmpuint (sync_kiosk_count (kiosk, KIOSK_REQUEST_DELIVERED), ==, 3);
  g_assert_cmpint (kiosk_sync_get_state (kiosk->sync), ==, KIOSK_SYNC_ONLINE);
  g_assert_null (kiosk_sync_get_pause_reason (kiosk->sync));
  g_assert_false (kiosk_sync_get_alert (kiosk->sync));

  sync_kiosk_free (kiosk);
}

/* A wrong URL (404 of the endpoint) pauses too. */
static void
test_pause_endpoint (void)
{
  g_autoptr(KioskFakeBackend) backend = start_backend (0);
  g_autofree char *url = g_strdup_printf ("%s/wrong", kiosk_fake_backend_get_url (backend));
  SyncKiosk *kiosk = sync_kiosk_new (url, NULL, NULL, TRUE);
  g_autoptr(KioskRequest) request = sync_kiosk_enqueue (kiosk, ANSWERS);
  g_autoptr(KioskSubmissionTarget) target = NULL;
  g_autoptr(KioskOutcome) outcome = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_false (sync_kiosk_run_once (kiosk, &error));
  g_assert_error (error, KIOSK_SYNC_ERROR, KIOSK_SYNC_ERROR_PAUSED);
  g_assert_nonnull (strstr (error->message, "[backend] url"));
  g_assert_cmpuint (sync_kiosk_count (kiosk, KIOSK_REQUEST_QUEUED), ==, 1);

  /* The delivery itself, too, not only the probe. */
  g_clear_error (&error);
  target = kiosk_submission_target_new (kiosk->config, kiosk->clock, 4, &error);
  g_assert_no_error (error);
  kiosk_target_deliver_async (KIOSK_TARGET (target), request, NULL, outcome_cb, &outcome);
  while (outcome == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpint (outcome->kind, ==, KIOSK_OUTCOME_PAUSE);
  g_assert_cmpuint (outcome->status, ==, 404);

  g_clear_object (&target);
  sync_kiosk_free (kiosk);
}

/* No URL or an unreadable token: paused with the key named, not a crash. */
static void
test_pause_config (void)
{
  SyncKiosk *kiosk = sync_kiosk_new ("", NULL, "token-file=/nonexistent/token", TRUE);
  g_autoptr(GError) error = NULL;

  g_assert_false (sync_kiosk_run_once (kiosk, &error));
  g_assert_error (error, KIOSK_SYNC_ERROR, KIOSK_SYNC_ERROR_PAUSED);
  g_assert_nonnull (strstr (error->message, "[backend] url"));
  sync_kiosk_free (kiosk);
}

static char *
fixture_path (const char *name)
{
  return g_test_build_filename (G_TEST_DIST, "fixtures", "sync", name, NULL);
}

static char *
certificate_pin (GTlsCertificate *certificate)
{
  g_autoptr(GByteArray) der = NULL;

  g_object_get (certificate, "certificate", &der, NULL);
  return g_compute_checksum_for_data (G_CHECKSUM_SHA256, der->data, der->len);
}

static KioskSyncState
tls_attempt (KioskFakeBackend *backend,
             const char       *extra,
             KioskRequestState expected)
{
  SyncKiosk *kiosk = sync_kiosk_new (kiosk_fake_backend_get_url (backend), NULL, extra, TRUE);
  g_autoptr(KioskRequest) request = sync_kiosk_enqueue (kiosk, ANSWERS);
  g_autoptr(KioskRequest) after = NULL;
  g_autoptr(GError) error = NULL;
  KioskSyncState state;

  sync_kiosk_run_once (kiosk, &error);
  after = reload (kiosk, request);
  g_assert_cmpint (kiosk_request_get_state (after), ==, expected);
  state = kiosk_sync_get_state (kiosk->sync);
  if (state == KIOSK_SYNC_PAUSED)
    g_assert_true (g_str_has_prefix (kiosk_sync_get_pause_reason (kiosk->sync), "TLS failure"));
  sync_kiosk_free (kiosk);
  return state;
}

/* TLS: an unknown CA pauses; the CA file fixes it; a wrong pin pauses again,
 * the right pin delivers. */
static void
test_pause_tls (void)
{
  g_autofree char *cert_path = fixture_path ("server.pem");
  g_autofree char *key_path = fixture_path ("server-key.pem");
  g_autoptr(GTlsCertificate) certificate = NULL;
  g_autoptr(KioskFakeBackend) backend = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *pin = NULL;
  g_autofree char *with_ca = NULL;
  g_autofree char *right_pin = NULL;
  g_autofree char *wrong_pin = NULL;

  certificate = g_tls_certificate_new_from_files (cert_path, key_path, &error);
  g_assert_no_error (error);
  backend = kiosk_fake_backend_new (0, NULL, 0, certificate, &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (kiosk_fake_backend_get_url (backend), "https://"));
  pin = certificate_pin (certificate);

  with_ca = g_strdup_printf ("ca-file=%s", cert_path);
  right_pin = g_strdup_printf ("ca-file=%s\npin-sha256=%s", cert_path, pin);
  wrong_pin = g_strdup_printf ("ca-file=%s\npin-sha256=%064d", cert_path, 0);

  g_assert_cmpint (tls_attempt (backend, NULL, KIOSK_REQUEST_QUEUED), ==, KIOSK_SYNC_PAUSED);
  g_assert_cmpint (tls_attempt (backend, with_ca, KIOSK_REQUEST_DELIVERED), ==, KIOSK_SYNC_ONLINE);
  g_assert_cmpint (tls_attempt (backend, wrong_pin, KIOSK_REQUEST_QUEUED), ==, KIOSK_SYNC_PAUSED);
  g_assert_cmpint (tls_attempt (backend, right_pin, KIOSK_REQUEST_DELIVERED), ==, KIOSK_SYNC_ONLINE);
  /* Nothing but the two good runs reached the backend. */
  g_assert_cmpuint (kiosk_fake_backend_get_n_received (backend), ==, 2);

  /* A delivery itself (no probe first) with the wrong pin stops after the
   * handshake: neither the body nor the token reaches the server. */
  {
    SyncKiosk *kiosk = sync_kiosk_new (kiosk_fake_backend_get_url (backend), "a-token", wrong_pin, TRUE);
    g_autoptr(KioskRequest) request = sync_kiosk_enqueue (kiosk, ANSWERS);
    g_autoptr(KioskSubmissionTarget) target = kiosk_submission_target_new (kiosk->config, kiosk->clock, 4, &error);
    g_autoptr(KioskOutcome) outcome = NULL;

    g_assert_no_error (error);
    kiosk_target_deliver_async (KIOSK_TARGET (target), request, NULL, outcome_cb, &outcome);
    while (outcome == NULL)
      g_main_context_iteration (NULL, TRUE);
    g_assert_cmpint (outcome->kind, ==, KIOSK_OUTCOME_PAUSE);
    g_assert_cmpstr (outcome->message, ==, "TLS failure: the server certificate does not match [backend] pin-sha256");
    g_assert_cmpuint (kiosk_fake_backend_get_n_received (backend), ==, 2);
    g_clear_object (&target);
    sync_kiosk_free (kiosk);
  }

  /* The counter's question "does the city have it?" goes through the same
   * target: the wrong pin stops it too; the right one gets an answer. */
  {
    const char *pins[] = { wrong_pin, right_pin };

    for (guint i = 0; i < G_N_ELEMENTS (pins); i++)
      {
        SyncKiosk *kiosk = sync_kiosk_new (kiosk_fake_backend_get_url (backend), "a-token", pins[i], TRUE);
        g_autoptr(KioskSubmissionTarget) target = kiosk_submission_target_new (kiosk->config, kiosk->clock, 1, &error);
        g_autoptr(GAsyncResult) result = NULL;
        g_autoptr(GBytes) body = NULL;
        g_autoptr(GError) lookup_error = NULL;
        g_autoptr(GError) catalog_error = NULL;
        guint status = 0;

        g_assert_no_error (error);
        kiosk_submission_target_lookup_async (target, "7c0e6d43-0000-4000-8000-000000000000", NULL,
                                              async_result_cb, &result);
        while (result == NULL)
          g_main_context_iteration (NULL, TRUE);
        body = kiosk_submission_target_lookup_finish (target, result, &status, &lookup_error);
        if (pins[i] == wrong_pin)
          {
            g_autofree char *expected = g_strdup_printf ("the city's system at %s: TLS failure: the server certificate "
                                                         "does not match [backend] pin-sha256",
                                                         kiosk_fake_backend_get_url (backend));

            g_assert_null (body);
            g_assert_nonnull (lookup_error);
            g_assert_nonnull (strstr (lookup_error->message, "pin-sha256"));
            g_assert_cmpstr (lookup_error->message, ==, expected);
          }
        else
          {
            g_assert_no_error (lookup_error);
            g_assert_nonnull (body);
            g_assert_cmpuint (status, ==, 404);
          }

        /* So does a catalogue pull. */
        g_clear_object (&result);
        g_clear_pointer (&body, g_bytes_unref);
        kiosk_submission_target_fetch_catalog_async (target, NULL, NULL, async_result_cb, &result);
        while (result == NULL)
          g_main_context_iteration (NULL, TRUE);
        body = kiosk_submission_target_fetch_catalog_finish (target, result, NULL, &catalog_error);
        if (pins[i] == wrong_pin)
          {
            g_autofree char *expected = g_strdup_printf ("catalogue from %s: TLS failure: the server certificate "
                                                         "does not match [backend] pin-sha256",
                                                         kiosk_fake_backend_get_url (backend));

            g_assert_null (body);
            g_assert_error (catalog_error, KIOSK_TARGET_ERROR, KIOSK_TARGET_ERROR_NETWORK);
            g_assert_cmpstr (catalog_error->message, ==, expected);
          }
        else
          {
            /* Past the pin, an answer: this backend has no catalogue. */
            g_assert_null (body);
            g_assert_error (catalog_error, KIOSK_TARGET_ERROR, KIOSK_TARGET_ERROR_HTTP);
          }
        g_clear_object (&target);
        sync_kiosk_free (kiosk);
      }
  }
}

/* 422 for a marked request → rejected with the server's message; the others
 * keep flowing.  400 likewise. */
static void
test_rejected (void)
{
  g_autoptr(KioskFakeBackend) backend = start_backend (0);
  SyncKiosk *kiosk = sync_kiosk_new (kiosk_fake_backend_get_url (backend), NULL, NULL, TRUE);
  g_autoptr(KioskRequest) bad = NULL;
  g_autoptr(KioskRequest) after = NULL;
  g_autoptr(GError) error = NULL;
  KioskFakeFaults faults = { .reject_marker = "REJECT-ME" };

  g_object_unref (sync_kiosk_enqueue (kiosk, ANSWERS));
  bad = sync_kiosk_enqueue (kiosk, "{\"plz\":\"REJECT-ME\"}");
  g_object_unref (sync_kiosk_enqueue (kiosk, ANSWERS));
  kiosk_fake_backend_set_faults (backend, &faults);
  g_assert_true (sync_kiosk_run_once (kiosk, &error));
  after = reload (kiosk, bad);
  g_assert_cmpint (kiosk_request_get_state (after), ==, KIOSK_REQUEST_REJECTED);
  g_assert_cmpstr (kiosk_request_get_last_error (after), ==, "HTTP 422: Die Postleitzahl liegt nicht in Hildesheim.");
  g_assert_cmpuint (sync_kiosk_count (kiosk, KIOSK_REQUEST_DELIVERED), ==, 2);
  g_assert_cmpint (kiosk_sync_get_state (kiosk->sync), ==, KIOSK_SYNC_ONLINE);
  g_clear_object (&after);

  /* A clerk re-queues it and the backend now takes it. */
  kiosk_fake_backend_set_faults (backend, NULL);
  g_clear_object (&after);
  after = kiosk_outbox_retry_now (kiosk->outbox, kiosk_request_get_id (bad), "clerk", &error);
  g_assert_no_error (error);
  g_clear_object (&after);
  g_assert_true (sync_kiosk_run_once (kiosk, &error));
  after = reload (kiosk, bad);
  g_assert_cmpint (kiosk_request_get_state (after), ==, KIOSK_REQUEST_DELIVERED);
  g_clear_object (&after);

  /* 400 */
  {
    g_autoptr(KioskRequest) another = sync_kiosk_enqueue (kiosk, ANSWERS);

    set_status_fault (backend, 400, NULL);
    g_assert_true (sync_kiosk_run_once (kiosk, &error));
    after = reload (kiosk, another);
    g_assert_cmpint (kiosk_request_get_state (after), ==, KIOSK_REQUEST_REJECTED);
    g_assert_cmpstr (kiosk_request_get_last_error (after), ==, "HTTP 400: injected fault");
  }

  sync_kiosk_free (kiosk);
}

/* The same key with another body → 422 from the idempotency store. */
static void
test_idempotency_conflict (void)
{
  g_autoptr(KioskFakeBackend) backend = start_backend (0);
  SyncKiosk *one = sync_kiosk_new (kiosk_fake_backend_get_url (backend), NULL, NULL, TRUE);
  SyncKiosk *two = sync_kiosk_new (kiosk_fake_backend_get_url (backend), NULL, NULL, TRUE);
  g_autoptr(KioskRequest) first = sync_kiosk_enqueue (one, ANSWERS);
  g_autoptr(GBytes) other = g_bytes_new_static ("{\"x\":1}", 7);
  KioskRequestDraft draft = { .id = kiosk_request_get_id (first), .service_id = "sperrmuell",
                              .service_version = 1, .locale = "de", .answers = other };
  g_autoptr(KioskRequest) clash = NULL;
  g_autoptr(KioskRequest) after = NULL;
  g_autoptr(GError) error = NULL;

  clash = kiosk_outbox_enqueue (two->outbox, &draft, "test", &error);
  g_assert_no_error (error);
  g_assert_true (sync_kiosk_run_once (one, &error));
  g_assert_true (sync_kiosk_run_once (two, &error));
  after = reload (two, clash);
  g_assert_cmpint (kiosk_request_get_state (after), ==, KIOSK_REQUEST_REJECTED);
  g_assert_nonnull (strstr (kiosk_request_get_last_error (after), "Idempotency-Key"));
  g_assert_cmpuint (kiosk_fake_backend_get_n_stored (backend), ==, 1);

  sync_kiosk_free (one);
  sync_kiosk_free (two);
}

static void
test_backoff_delay (void)
{
  gint64 previous_ceiling = 0;

  for (guint attempts = 1; attempts <= 20; attempts++)
    {
      gint64 ceiling = _kiosk_sync_backoff_delay (attempts, -1, G_MAXUINT32);
      gint64 floor = _kiosk_sync_backoff_delay (attempts, -1, 0);

      g_assert_cmpint (ceiling, <=, KIOSK_SYNC_BACKOFF_CAP_US);
      g_assert_cmpint (ceiling, >=, previous_ceiling);
      g_assert_cmpint (floor, ==, G_USEC_PER_SEC);
      if (attempts <= 6)
        g_assert_cmpint (ceiling, ==, KIOSK_SYNC_BACKOFF_BASE_US << (attempts - 1));
      previous_ceiling = ceiling;
      /* Retry-After wins over a shorter backoff, even past the cap. */
      g_assert_cmpint (_kiosk_sync_backoff_delay (attempts, G_GINT64_CONSTANT (7200) * G_USEC_PER_SEC, 0), ==, G_GINT64_CONSTANT (7200) * G_USEC_PER_SEC);
    }
  g_assert_cmpint (previous_ceiling, ==, KIOSK_SYNC_BACKOFF_CAP_US);
}

/* With a fake clock against a backend that answers 503: attempt gaps grow
 * (on average, it is jitter), stay under the cap, and respect Retry-After. */
static void
test_backoff_fake_clock (void)
{
  g_autoptr(KioskFakeBackend) backend = start_backend (0);
  SyncKiosk *kiosk = sync_kiosk_new (kiosk_fake_backend_get_url (backend), NULL, NULL, TRUE);
  enum { N_REQUESTS = 8, N_ATTEMPTS = 10 };
  double mean_gap[N_ATTEMPTS + 1] = { 0 };
  guint n_gaps[N_ATTEMPTS + 1] = { 0 };
  g_autoptr(GPtrArray) requests = g_ptr_array_new_with_free_func (g_object_unref);

  set_status_fault (backend, 503, NULL);
  for (guint i = 0; i < N_REQUESTS; i++)
    g_ptr_array_add (requests, sync_kiosk_enqueue (kiosk, ANSWERS));

  kiosk_sync_start (kiosk->sync);
  for (guint round = 0; round < N_REQUESTS * N_ATTEMPTS * 2; round++)
    {
      gboolean more = FALSE;

      sync_kiosk_wait_idle (kiosk);
      for (guint i = 0; i < requests->len; i++)
        {
          g_autoptr(KioskRequest) r = reload (kiosk, requests->pdata[i]);
          guint attempts = kiosk_request_get_attempts (r);
          gint64 gap = kiosk_request_get_next_attempt (r) - kiosk_request_get_updated (r);

          g_assert_cmpint (kiosk_request_get_state (r), ==, KIOSK_REQUEST_QUEUED);
          g_assert_cmpint (gap, <=, KIOSK_SYNC_BACKOFF_CAP_US);
          g_assert_cmpint (gap, >=, G_USEC_PER_SEC);
          if (attempts <= N_ATTEMPTS && g_object_get_data (requests->pdata[i], "seen") != GUINT_TO_POINTER (attempts))
            {
              g_object_set_data (requests->pdata[i], "seen", GUINT_TO_POINTER (attempts));
              mean_gap[attempts] += (double) gap;
              n_gaps[attempts]++;
            }
          more |= attempts < N_ATTEMPTS;
        }
      if (!more)
        break;
      kiosk_clock_advance (kiosk->clock, MAX (kiosk_outbox_get_next_due (kiosk->outbox) - kiosk_clock_get_now (kiosk->clock), 0) + 1000);
    }

  for (guint a = 1; a <= N_ATTEMPTS; a++)
    {
      g_assert_cmpuint (n_gaps[a], ==, N_REQUESTS);
      mean_gap[a] /= n_gaps[a];
      g_test_message ("attempt %u: mean gap %.0f s", a, mean_gap[a] / G_USEC_PER_SEC);
    }
  /* Full jitter: each gap is uniform below a ceiling that doubles. */
  g_assert_cmpfloat (mean_gap[4], >, mean_gap[1]);
  g_assert_cmpfloat (mean_gap[8], >, mean_gap[2]);
  {
    guint total = 0;

    for (guint i = 0; i < requests->len; i++)
      {
        g_autoptr(KioskRequest) r = reload (kiosk, requests->pdata[i]);
        total += kiosk_request_get_attempts (r);
      }
    /* Every attempt reached the backend, and only those. */
    g_assert_cmpuint (kiosk_fake_backend_get_n_received (backend), ==, total);
  }

  /* Retry-After: the next gaps are at least that long. */
  set_status_fault (backend, 503, "3000");
  kiosk_clock_advance (kiosk->clock, KIOSK_SYNC_BACKOFF_CAP_US);
  sync_kiosk_wait_idle (kiosk);
  for (guint i = 0; i < requests->len; i++)
    {
      g_autoptr(KioskRequest) r = reload (kiosk, requests->pdata[i]);

      g_assert_cmpint (kiosk_request_get_next_attempt (r) - kiosk_request_get_updated (r), >=,
                       G_GINT64_CONSTANT (3000) * G_USEC_PER_SEC);
    }

  sync_kiosk_free (kiosk);
}

/* Offline for three simulated days: probes back off to the cap, no busy
 * loop, no submission attempted; when the backend is back, all goes out. */
static void
test_offline_days (void)
{
  g_autoptr(KioskFakeBackend) backend = start_backend (0);
  SyncKiosk *kiosk = sync_kiosk_new (kiosk_fake_backend_get_url (backend), NULL, NULL, TRUE);
  KioskFakeFaults down = { .health_down = TRUE };
  gint64 days = 3;
  guint wakeups;

  kiosk_fake_backend_set_faults (backend, &down);
  for (guint i = 0; i < 5; i++)
    g_object_unref (sync_kiosk_enqueue (kiosk, ANSWERS));

  kiosk_sync_start (kiosk->sync);
  for (gint64 minute = 0; minute < days * 24 * 60; minute++)
    {
      sync_kiosk_wait_idle (kiosk);
      kiosk_clock_advance (kiosk->clock, 60 * G_USEC_PER_SEC);
    }
  sync_kiosk_wait_idle (kiosk);

  wakeups = _kiosk_sync_get_wakeups (kiosk->sync);
  g_test_message ("%u wakeups in %" G_GINT64_FORMAT " simulated days offline", wakeups, days);
  g_assert_cmpint (kiosk_sync_get_state (kiosk->sync), ==, KIOSK_SYNC_OFFLINE);
  g_assert_cmpuint (kiosk_fake_backend_get_n_received (backend), ==, 0);
  /* At the cap, probes come every 15 to 30 minutes. */
  g_assert_cmpuint (wakeups, >=, days * 24 * 2);
  g_assert_cmpuint (wakeups, <=, days * 24 * 4 + 20);
  g_assert_cmpint (kiosk_sync_get_next_attempt (kiosk->sync) - kiosk_clock_get_now (kiosk->clock), <=,
                   KIOSK_SYNC_BACKOFF_CAP_US);

  /* The alert: undelivered for longer than [backend] alert-age-hours (24). */
  kiosk_sync_refresh_status (kiosk->sync);
  g_assert_true (kiosk_sync_get_alert (kiosk->sync));

  kiosk_fake_backend_set_faults (backend, NULL);
  g_assert_cmpuint (sync_kiosk_drain (kiosk, 100), <, 100);
  g_assert_cmpuint (sync_kiosk_count (kiosk, KIOSK_REQUEST_DELIVERED), ==, 5);
  kiosk_sync_refresh_status (kiosk->sync);
  g_assert_false (kiosk_sync_get_alert (kiosk->sync));
  g_assert_cmpint (kiosk_sync_get_oldest_undelivered (kiosk->sync), ==, -1);

  sync_kiosk_free (kiosk);
}

/* GNetworkMonitor is a hint: "network changed" while offline brings the next
 * probe forward (not more often than every 5 s); the probe decides. */
static void
test_network_hint (void)
{
  g_autoptr(KioskFakeBackend) backend = start_backend (0);
  SyncKiosk *kiosk = sync_kiosk_new (kiosk_fake_backend_get_url (backend), NULL, NULL, TRUE);
  KioskFakeFaults down = { .health_down = TRUE };
  GNetworkMonitor *monitor = g_network_monitor_get_default ();
  guint probes_before;

  kiosk_fake_backend_set_faults (backend, &down);
  g_object_unref (sync_kiosk_enqueue (kiosk, ANSWERS));
  kiosk_sync_start (kiosk->sync);
  sync_kiosk_wait_idle (kiosk);
  g_assert_cmpint (kiosk_sync_get_state (kiosk->sync), ==, KIOSK_SYNC_OFFLINE);
  g_assert_cmpint (kiosk_sync_get_next_attempt (kiosk->sync) - kiosk_clock_get_now (kiosk->clock), >=,
                   KIOSK_SYNC_BACKOFF_BASE_US / 2);

  /* The network "changes" but the backend is still down: still offline. */
  kiosk_clock_advance (kiosk->clock, 6 * G_USEC_PER_SEC);
  probes_before = _kiosk_sync_get_wakeups (kiosk->sync);
  g_signal_emit_by_name (monitor, "network-changed", TRUE);
  sync_kiosk_wait_idle (kiosk);
  g_assert_cmpint (kiosk_sync_get_state (kiosk->sync), ==, KIOSK_SYNC_OFFLINE);

  /* The backend is back and the network changes again: online at once,
   * without waiting for the backoff. */
  kiosk_fake_backend_set_faults (backend, NULL);
  kiosk_clock_advance (kiosk->clock, 6 * G_USEC_PER_SEC);
  g_signal_emit_by_name (monitor, "network-changed", TRUE);
  sync_kiosk_wait_idle (kiosk);
  g_assert_cmpuint (_kiosk_sync_get_wakeups (kiosk->sync), ==, probes_before);
  g_assert_cmpuint (sync_kiosk_count (kiosk, KIOSK_REQUEST_DELIVERED), ==, 1);

  sync_kiosk_free (kiosk);
}

static void
count_notify_cb (GObject    *object,
                 GParamSpec *pspec,
                 gpointer    user_data)
{
  GHashTable *seen = user_data;

  g_hash_table_add (seen, (gpointer) g_param_spec_get_name (pspec));
}

/* Properties notify; new work is picked up at once (work-due). */
static void
test_status_notify (void)
{
  g_autoptr(KioskFakeBackend) backend = start_backend (0);
  SyncKiosk *kiosk = sync_kiosk_new (kiosk_fake_backend_get_url (backend), NULL, NULL, TRUE);
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);

  g_signal_connect (kiosk->sync, "notify", G_CALLBACK (count_notify_cb), seen);
  kiosk_sync_start (kiosk->sync);
  sync_kiosk_wait_idle (kiosk);
  g_assert_cmpint (kiosk_sync_get_state (kiosk->sync), ==, KIOSK_SYNC_ONLINE);

  g_object_unref (sync_kiosk_enqueue (kiosk, ANSWERS));
  sync_kiosk_wait_idle (kiosk);
  /* The coalesced refresh of the counts. */
  while (!g_hash_table_contains (seen, "n-delivered"))
    g_main_context_iteration (NULL, TRUE);

  g_assert_cmpuint (sync_kiosk_count (kiosk, KIOSK_REQUEST_DELIVERED), ==, 1);
  g_assert_true (g_hash_table_contains (seen, "state"));
  g_assert_true (g_hash_table_contains (seen, "last-success"));
  g_assert_true (g_hash_table_contains (seen, "in-flight"));
  {
    guint n_delivered;

    g_object_get (kiosk->sync, "n-delivered", &n_delivered, NULL);
    g_assert_cmpuint (n_delivered, ==, 1);
  }

  sync_kiosk_free (kiosk);
}

static int
trace_cb (unsigned int  type,
          void         *user_data,
          void         *stmt,
          void         *sql)
{
  g_ptr_array_add (user_data, sqlite3_expanded_sql (stmt));
  return 0;
}

static gboolean
traced (GPtrArray  *statements,
        const char *needle)
{
  for (guint i = 0; i < statements->len; i++)
    if (strstr (statements->pdata[i], needle) != NULL)
      return TRUE;
  return FALSE;
}

/* The kiosk makes its sync before its first frame: counting the queue and
 * finding its oldest request and last delivery grow with the data, so the
 * sync made for it reads them when first asked, or at its start. */
static void
test_status_read_when_asked (void)
{
  g_autoptr(KioskFakeBackend) backend = start_backend (0);
  SyncKiosk *kiosk = sync_kiosk_new (kiosk_fake_backend_get_url (backend), NULL, NULL, TRUE);
  g_autoptr(KioskSync) sync = NULL;
  g_autoptr(GPtrArray) statements = g_ptr_array_new_with_free_func (sqlite3_free);
  sqlite3 *db = _kiosk_store_get_db (kiosk_context_get_store (kiosk->context));
  guint counts[KIOSK_REQUEST_N_STATES];
  guint n_queued = 0;

  g_object_unref (sync_kiosk_enqueue (kiosk, ANSWERS));
  g_object_unref (sync_kiosk_enqueue (kiosk, ANSWERS));

  sqlite3_trace_v2 (db, SQLITE_TRACE_STMT, trace_cb, statements);
  sync = kiosk_sync_new_routed_at_start (kiosk->context);
  g_assert_false (traced (statements, "GROUP BY state"));
  g_assert_false (traced (statements, "min (created_us)"));
  g_assert_false (traced (statements, "request_events"));

  /* Asked before its start: read then, and right. */
  g_object_get (sync, "n-queued", &n_queued, NULL);
  g_assert_cmpuint (n_queued, ==, 2);
  g_assert_true (traced (statements, "GROUP BY state"));
  g_assert_cmpint (kiosk_sync_get_oldest_undelivered (sync), >, 0);
  kiosk_sync_get_counts (sync, counts);
  g_assert_cmpuint (counts[KIOSK_REQUEST_QUEUED], ==, 2);
  sqlite3_trace_v2 (db, 0, NULL, NULL);

  /* A sync for the command line reads them at once, as before. */
  g_ptr_array_set_size (statements, 0);
  sqlite3_trace_v2 (db, SQLITE_TRACE_STMT, trace_cb, statements);
  g_clear_object (&sync);
  sync = kiosk_sync_new (kiosk->context);
  g_assert_true (traced (statements, "GROUP BY state"));
  sqlite3_trace_v2 (db, 0, NULL, NULL);

  sync_kiosk_free (kiosk);
}

static guint
count_traced (GPtrArray  *statements,
              const char *needle)
{
  guint n = 0;

  for (guint i = 0; i < statements->len; i++)
    if (strstr (statements->pdata[i], needle) != NULL)
      n++;
  return n;
}

/* While the sync drains, it refreshes its status ten times a second.
 * Which service waits for a lane that cannot deliver (here the hub and
 * Open311, not configured) is a scan of the queued requests, 40 ms at
 * 20,000 queued: it is read again only when the queue changed other than
 * by delivery, a lane or the routing table changed, or 10 s passed.  The
 * control: a request queued afterwards is looked at. */
static void
test_routing_problems_read_when_changed (void)
{
  g_autoptr(KioskFakeBackend) backend = start_backend (0);
  KioskFakeFaults slow = { .delay_pct = 100, .delay_ms = 15 };
  SyncKiosk *kiosk = sync_kiosk_new (kiosk_fake_backend_get_url (backend), NULL, NULL, TRUE);
  g_autoptr(GPtrArray) statements = g_ptr_array_new_with_free_func (sqlite3_free);
  sqlite3 *db = _kiosk_store_get_db (kiosk_context_get_store (kiosk->context));
  g_autoptr(GError) error = NULL;
  const char *waiting_query = "SELECT r.service_id FROM requests r WHERE r.state = 'queued'";
  guint refreshes, scans;
  gint64 until;

  kiosk_fake_backend_set_faults (backend, &slow);
  for (guint i = 0; i < 300; i++)
    g_object_unref (sync_kiosk_enqueue (kiosk, ANSWERS));
  sqlite3_trace_v2 (db, SQLITE_TRACE_STMT, trace_cb, statements);
  g_assert_true (sync_kiosk_run_once (kiosk, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (sync_kiosk_count (kiosk, KIOSK_REQUEST_DELIVERED), ==, 300);

  refreshes = count_traced (statements, "GROUP BY state");
  scans = count_traced (statements, waiting_query);
  g_test_message ("%u status refreshes, %u scans for waiting services", refreshes, scans);
  /* Enough refreshes to tell; then each lane's scan at most twice: once
   * with the first refresh, once for the run's own pause or resume. */
  g_assert_cmpuint (refreshes, >=, 5);
  g_assert_cmpuint (scans, <=, 4);
  g_assert_null (kiosk_sync_get_routing_problem (kiosk->sync));

  /* A request queued afterwards: the next refresh looks again. */
  g_object_unref (sync_kiosk_enqueue (kiosk, ANSWERS));
  until = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;
  while (count_traced (statements, waiting_query) == scans && g_get_monotonic_time () < until)
    if (!g_main_context_iteration (NULL, FALSE))
      g_usleep (1000);
  g_assert_cmpuint (count_traced (statements, waiting_query), >, scans);
  sqlite3_trace_v2 (db, 0, NULL, NULL);

  sync_kiosk_free (kiosk);
}

/* The sync counts the queue on every status refresh, ten times a second
 * while it drains.  At city scale nearly every request is done with
 * (purged), so it counts only the states it shows, from their ranges of
 * the state index, not a scan of it; `sync status` still gets every state
 * (kiosk_sync_get_counts()). */
static void
test_counts_skip_done (void)
{
  g_autoptr(KioskFakeBackend) backend = start_backend (0);
  SyncKiosk *kiosk = sync_kiosk_new (kiosk_fake_backend_get_url (backend), NULL, NULL, TRUE);
  g_autoptr(GPtrArray) statements = g_ptr_array_new_with_free_func (sqlite3_free);
  sqlite3 *db = _kiosk_store_get_db (kiosk_context_get_store (kiosk->context));
  g_autoptr(KioskRequest) cancelled = NULL;
  g_autoptr(KioskRequest) gone = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(sqlite3_stmt) plan = NULL;
  g_autofree char *explain = NULL;
  guint counts[KIOSK_REQUEST_N_STATES];
  const char *count_sql = NULL;
  GString *how = g_string_new (NULL);
  guint n_queued = 0;

  g_object_unref (sync_kiosk_enqueue (kiosk, ANSWERS));
  g_object_unref (sync_kiosk_enqueue (kiosk, ANSWERS));
  gone = sync_kiosk_enqueue (kiosk, ANSWERS);
  cancelled = kiosk_outbox_cancel (kiosk_context_get_outbox (kiosk->context), kiosk_request_get_id (gone),
                                   "test", "clerk", &error);
  g_assert_no_error (error);

  sqlite3_trace_v2 (db, SQLITE_TRACE_STMT, trace_cb, statements);
  kiosk_sync_refresh_status (kiosk->sync);
  sqlite3_trace_v2 (db, 0, NULL, NULL);
  for (guint i = 0; i < statements->len; i++)
    if (strstr (statements->pdata[i], "count(*) FROM requests") != NULL)
      count_sql = statements->pdata[i];
  g_assert_nonnull (count_sql);
  explain = g_strconcat ("EXPLAIN QUERY PLAN ", count_sql, NULL);
  g_assert_cmpint (sqlite3_prepare_v2 (db, explain, -1, &plan, NULL), ==, SQLITE_OK);
  while (sqlite3_step (plan) == SQLITE_ROW)
    g_string_append_printf (how, "%s\n", (const char *) sqlite3_column_text (plan, 3));
  g_test_message ("%s\n%s", count_sql, how->str);
  g_assert_nonnull (strstr (how->str, "SEARCH requests USING COVERING INDEX requests_due (state=?)"));
  g_assert_null (strstr (how->str, "SCAN"));
  g_string_free (how, TRUE);

  g_object_get (kiosk->sync, "n-queued", &n_queued, NULL);
  g_assert_cmpuint (n_queued, ==, 2);
  kiosk_sync_get_counts (kiosk->sync, counts);
  g_assert_cmpuint (counts[KIOSK_REQUEST_QUEUED], ==, 2);
  g_assert_cmpuint (counts[KIOSK_REQUEST_CANCELLED], ==, 1);

  sync_kiosk_free (kiosk);
}

static void
pull_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  GError **error = user_data;
  gboolean changed = FALSE;
  gboolean ok = kiosk_sync_pull_catalog_finish (KIOSK_SYNC (object), result, &changed, error);

  g_assert_true (ok == (*error == NULL));
  g_object_set_data (object, "pulled", GINT_TO_POINTER (changed ? 2 : 1));
}

static int
pull (SyncKiosk  *kiosk,
      GError    **error)
{
  g_object_set_data (G_OBJECT (kiosk->sync), "pulled", NULL);
  kiosk_sync_pull_catalog_async (kiosk->sync, NULL, pull_cb, error);
  while (g_object_get_data (G_OBJECT (kiosk->sync), "pulled") == NULL)
    g_main_context_iteration (NULL, TRUE);
  return GPOINTER_TO_INT (g_object_get_data (G_OBJECT (kiosk->sync), "pulled"));
}

/* ETag: 200 the first time, 304 after; a bad catalogue is refused and the
 * last good one stays, shown with its age. */
static void
test_catalog_pull (void)
{
  g_autoptr(KioskFakeBackend) backend = start_backend (0);
  SyncKiosk *kiosk = sync_kiosk_new (kiosk_fake_backend_get_url (backend), TOKEN, NULL, TRUE);
  g_autoptr(GBytes) demo = kiosk_catalog_dup_demo_bytes ();
  g_autoptr(GBytes) bad = g_bytes_new_static ("{\"format\": 1, \"services\": 7}", 28);
  g_autoptr(GError) error = NULL;
  g_autoptr(KioskCatalog) active = NULL;
  g_autofree char *etag = NULL;
  g_autofree char *etag_after = NULL;
  gint64 as_of;

  kiosk_fake_backend_set_token (backend, TOKEN);
  g_assert_cmpint (kiosk_sync_get_catalog_as_of (kiosk->sync), ==, 0);

  /* Nothing there yet: an error naming the URL, nothing changes. */
  g_assert_cmpint (pull (kiosk, &error), ==, 1);
  g_assert_error (error, KIOSK_TARGET_ERROR, KIOSK_TARGET_ERROR_HTTP);
  g_assert_nonnull (strstr (error->message, "/v1/catalog: HTTP 404"));
  g_clear_error (&error);

  kiosk_fake_backend_set_catalog (backend, demo);
  g_assert_cmpint (pull (kiosk, &error), ==, 2);
  g_assert_no_error (error);
  as_of = kiosk_sync_get_catalog_as_of (kiosk->sync);
  /* The catalogue store stamps imports with the real time. */
  g_assert_cmpint (as_of, >, 0);
  etag = kiosk_catalog_dup_active_etag (kiosk_context_get_store (kiosk->context));
  g_assert_nonnull (etag);

  /* Unchanged: 304, nothing stored. */
  kiosk_clock_advance (kiosk->clock, G_USEC_PER_SEC);
  g_assert_cmpint (pull (kiosk, &error), ==, 1);
  g_assert_no_error (error);
  g_assert_cmpint (kiosk_sync_get_catalog_as_of (kiosk->sync), ==, as_of);
  g_assert_cmpuint (kiosk_fake_backend_get_n_catalog_gets (backend), ==, 3);

  /* A broken one: refused, the last good one stays, stale but valid. */
  kiosk_fake_backend_set_catalog (backend, bad);
  g_assert_cmpint (pull (kiosk, &error), ==, 1);
  g_assert_error (error, KIOSK_SYNC_ERROR, KIOSK_SYNC_ERROR_CATALOG);
  g_assert_nonnull (strstr (error->message, "refused, the last good one (as of "));
  g_assert_nonnull (strstr (error->message, "/v1/catalog"));
  g_test_message ("%s", error->message);
  etag_after = kiosk_catalog_dup_active_etag (kiosk_context_get_store (kiosk->context));
  g_assert_cmpstr (etag_after, ==, etag);
  g_assert_cmpint (kiosk_sync_get_catalog_as_of (kiosk->sync), ==, as_of);
  g_clear_error (&error);
  active = kiosk_catalog_load_active (kiosk_context_get_store (kiosk->context), &error);
  g_assert_no_error (error);
  g_assert_nonnull (active);

  sync_kiosk_free (kiosk);
}

/* A target whose deliveries finish when the test says so. */
#define MANUAL_TYPE_TARGET (manual_target_get_type ())
G_DECLARE_FINAL_TYPE (ManualTarget, manual_target, MANUAL, TARGET, GObject)

struct _ManualTarget
{
  GObject  parent_instance;
  GQueue   deliveries;   /* GTask* */
};

static void manual_target_iface_init (KioskTargetInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (ManualTarget, manual_target, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (KIOSK_TYPE_TARGET, manual_target_iface_init))

static void
manual_deliver_async (KioskTarget         *target,
                      KioskRequest        *request,
                      GCancellable        *cancellable,
                      GAsyncReadyCallback  callback,
                      gpointer             user_data)
{
  GTask *task = g_task_new (target, cancellable, callback, user_data);

  g_task_set_task_data (task, g_object_ref (request), g_object_unref);
  g_queue_push_tail (&MANUAL_TARGET (target)->deliveries, task);
}

static KioskOutcome *
manual_finish (KioskTarget   *target,
               GAsyncResult  *result,
               GError       **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
manual_probe_async (KioskTarget         *target,
                    GCancellable        *cancellable,
                    GAsyncReadyCallback  callback,
                    gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (target, cancellable, callback, user_data);

  g_task_return_pointer (task, kiosk_outcome_new (KIOSK_OUTCOME_DELIVERED, 200, NULL),
                         (GDestroyNotify) kiosk_outcome_free);
}

static char *
manual_describe (KioskTarget *target)
{
  return g_strdup ("manual");
}

static void
manual_target_iface_init (KioskTargetInterface *iface)
{
  iface->deliver_async = manual_deliver_async;
  iface->deliver_finish = manual_finish;
  iface->probe_async = manual_probe_async;
  iface->probe_finish = manual_finish;
  iface->describe = manual_describe;
}

static void
manual_target_finalize (GObject *object)
{
  g_assert_true (g_queue_is_empty (&MANUAL_TARGET (object)->deliveries));
  G_OBJECT_CLASS (manual_target_parent_class)->finalize (object);
}

static void
manual_target_class_init (ManualTargetClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = manual_target_finalize;
}

static void
manual_target_init (ManualTarget *self)
{
}

/* Answers the oldest delivery with 201 (or, @cancel, as cancelled) and lets
 * the sync see it. */
static void
manual_complete (ManualTarget *target,
                 gboolean      cancel)
{
  g_autoptr(GTask) task = g_queue_pop_head (&target->deliveries);

  g_assert_nonnull (task);
  if (cancel)
    g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED, "cancelled");
  else
    {
      KioskOutcome *outcome = kiosk_outcome_new (KIOSK_OUTCOME_DELIVERED, 201, NULL);

      outcome->remote_ref = g_strdup_printf ("HI-%s", kiosk_request_get_id (g_task_get_task_data (task)));
      g_task_return_pointer (task, outcome, (GDestroyNotify) kiosk_outcome_free);
    }
  g_clear_object (&task);
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

/* Outcomes are recorded in batches: when 16 are waiting, 50 ms (on the
 * KioskClock) after the first, when nothing is in flight, and on stop; until
 * then a delivered request is still `sending` in the database, which is the
 * state recovery re-sends after a crash. */
static void
test_outcome_batching (void)
{
  enum { B = KIOSK_SYNC_OUTCOME_BATCH, N = 2 * B + 8 };
  g_autoptr(ManualTarget) target = g_object_new (MANUAL_TYPE_TARGET, NULL);
  g_autoptr(GError) error = NULL;
  SyncKiosk *kiosk;

  kiosk = sync_kiosk_new ("http://127.0.0.1:9", NULL, NULL, TRUE);
  g_clear_object (&kiosk->sync);
  kiosk->sync = kiosk_sync_new_for_target (kiosk->context, KIOSK_TARGET (target));
  for (guint i = 0; i < N; i++)
    g_object_unref (sync_kiosk_enqueue (kiosk, ANSWERS));

  kiosk_sync_start (kiosk->sync);
  while (g_queue_get_length (&target->deliveries) < KIOSK_SYNC_MAX_IN_FLIGHT)
    g_main_context_iteration (NULL, TRUE);

  /* One answer: waiting, not recorded yet; the next request went out. */
  manual_complete (target, FALSE);
  g_assert_cmpuint (g_queue_get_length (&target->deliveries), ==, KIOSK_SYNC_MAX_IN_FLIGHT);
  g_assert_cmpuint (sync_kiosk_count (kiosk, KIOSK_REQUEST_DELIVERED), ==, 0);
  kiosk_clock_advance (kiosk->clock, (KIOSK_SYNC_OUTCOME_DELAY_MS - 1) * 1000);
  g_assert_cmpuint (sync_kiosk_count (kiosk, KIOSK_REQUEST_DELIVERED), ==, 0);
  /* ... recorded 50 ms after it came. */
  kiosk_clock_advance (kiosk->clock, 1000);
  g_assert_cmpuint (sync_kiosk_count (kiosk, KIOSK_REQUEST_DELIVERED), ==, 1);

  /* A full batch is recorded at once, no clock needed. */
  for (guint i = 0; i < B - 1; i++)
    manual_complete (target, FALSE);
  g_assert_cmpuint (sync_kiosk_count (kiosk, KIOSK_REQUEST_DELIVERED), ==, 1);
  manual_complete (target, FALSE);
  g_assert_cmpuint (sync_kiosk_count (kiosk, KIOSK_REQUEST_DELIVERED), ==, 1 + B);

  /* Stopping records what is waiting; what was in flight comes back
   * cancelled and, once nothing is in flight, goes back to the queue. */
  manual_complete (target, FALSE);
  manual_complete (target, FALSE);
  g_assert_cmpuint (sync_kiosk_count (kiosk, KIOSK_REQUEST_DELIVERED), ==, 1 + B);
  kiosk_sync_stop (kiosk->sync);
  g_assert_cmpuint (sync_kiosk_count (kiosk, KIOSK_REQUEST_DELIVERED), ==, 3 + B);
  while (!g_queue_is_empty (&target->deliveries))
    manual_complete (target, TRUE);
  sync_kiosk_wait_idle (kiosk);
  g_assert_cmpuint (sync_kiosk_count (kiosk, KIOSK_REQUEST_SENDING), ==, 0);
  g_assert_cmpuint (sync_kiosk_count (kiosk, KIOSK_REQUEST_QUEUED), ==, N - 3 - B);

  /* Each recorded outcome has its event line. */
  {
    g_autoptr(GPtrArray) delivered = kiosk_outbox_list (kiosk->outbox, KIOSK_REQUEST_DELIVERED, &error);

    g_assert_no_error (error);
    for (guint i = 0; i < delivered->len; i++)
      {
        const char *id = kiosk_request_get_id (delivered->pdata[i]);
        g_autoptr(GPtrArray) events = kiosk_outbox_list_events (kiosk->outbox, id, &error);
        g_autofree char *ref = g_strdup_printf ("HI-%s", id);
        KioskRequestEvent *last = events->pdata[events->len - 1];

        g_assert_cmpint (last->to_state, ==, KIOSK_REQUEST_DELIVERED);
        g_assert_cmpstr (last->detail, ==, ref);
        g_assert_cmpstr (kiosk_request_get_remote_ref (delivered->pdata[i]), ==, ref);
      }
  }

  sync_kiosk_free (kiosk);
}

static int
commit_hook_cb (void *user_data)
{
  (*(guint *) user_data)++;
  return 0;
}

/* Draining 200 requests takes a few transactions, not one per outcome. */
static void
test_outcome_commits (void)
{
  enum { N = 200 };
  g_autoptr(KioskFakeBackend) backend = start_backend (0);
  g_autoptr(GError) error = NULL;
  SyncKiosk *kiosk;
  guint commits = 0;

  kiosk = sync_kiosk_new (kiosk_fake_backend_get_url (backend), NULL, NULL, TRUE);
  for (guint i = 0; i < N; i++)
    g_object_unref (sync_kiosk_enqueue (kiosk, ANSWERS));

  sqlite3_commit_hook (_kiosk_store_get_db (kiosk_context_get_store (kiosk->context)), commit_hook_cb, &commits);
  g_assert_true (sync_kiosk_run_once (kiosk, &error));
  g_assert_no_error (error);
  sqlite3_commit_hook (_kiosk_store_get_db (kiosk_context_get_store (kiosk->context)), NULL, NULL);
  g_test_message ("%u requests delivered in %u commits", N, commits);

  g_assert_cmpuint (sync_kiosk_count (kiosk, KIOSK_REQUEST_DELIVERED), ==, N);
  g_assert_cmpuint (kiosk_fake_backend_get_n_stored (backend), ==, N);
  /* A few claims of 64 and about as many outcome batches (more when the
   * 50 ms timer or an empty pipeline flushes early); one commit per outcome
   * would be more than N. */
  g_assert_cmpuint (commits, <, N / 4);

  sync_kiosk_free (kiosk);
}

int
main (int    argc,
      char **argv)
{
  /* Loopback needs no proxy; libproxy's C++ exceptions also trip ASan. */
  g_setenv ("GIO_USE_PROXY_RESOLVER", "dummy", TRUE);
  g_test_init (&argc, &argv, NULL);
  kiosk_fake_backend_raise_fd_limit ();

  g_test_add_func ("/kiosk/sync/classify-status", test_classify_status);
  g_test_add_func ("/kiosk/sync/retry-after-parse", test_retry_after_parse);
  g_test_add_func ("/kiosk/sync/backoff-delay", test_backoff_delay);
  g_test_add_func ("/kiosk/sync/body", test_body);
  g_test_add_func ("/kiosk/sync/body-sealed", test_body_sealed);
  g_test_add_func ("/kiosk/sync/body-as-built", test_body_as_built);
  g_test_add_func ("/kiosk/sync/sealed-end-to-end", test_sealed_end_to_end);
  g_test_add_func ("/kiosk/sync/delivered", test_delivered);
  g_test_add_func ("/kiosk/sync/retry-status", test_retry_status);
  g_test_add_func ("/kiosk/sync/retry-after", test_retry_after);
  g_test_add_func ("/kiosk/sync/retry-dropped", test_retry_dropped);
  g_test_add_func ("/kiosk/sync/retry-malformed", test_retry_malformed);
  g_test_add_func ("/kiosk/sync/retry-timeout", test_retry_timeout);
  g_test_add_func ("/kiosk/sync/offline-refused", test_offline_refused);
  g_test_add_func ("/kiosk/sync/target-refused", test_target_refused);
  g_test_add_func ("/kiosk/sync/pause-auth", test_pause_auth);
  g_test_add_func ("/kiosk/sync/pause-resume", test_pause_resume);
  g_test_add_func ("/kiosk/sync/pause-endpoint", test_pause_endpoint);
  g_test_add_func ("/kiosk/sync/pause-config", test_pause_config);
  g_test_add_func ("/kiosk/sync/pause-tls", test_pause_tls);
  g_test_add_func ("/kiosk/sync/rejected", test_rejected);
  g_test_add_func ("/kiosk/sync/idempotency-conflict", test_idempotency_conflict);
  g_test_add_func ("/kiosk/sync/backoff-fake-clock", test_backoff_fake_clock);
  g_test_add_func ("/kiosk/sync/offline-days", test_offline_days);
  g_test_add_func ("/kiosk/sync/status-notify", test_status_notify);
  g_test_add_func ("/kiosk/sync/status-read-when-asked", test_status_read_when_asked);
  g_test_add_func ("/kiosk/sync/routing-problems-read-when-changed", test_routing_problems_read_when_changed);
  g_test_add_func ("/kiosk/sync/counts-skip-done", test_counts_skip_done);
  g_test_add_func ("/kiosk/sync/network-hint", test_network_hint);
  g_test_add_func ("/kiosk/sync/catalog-pull", test_catalog_pull);
  g_test_add_func ("/kiosk/sync/outcome-batching", test_outcome_batching);
  g_test_add_func ("/kiosk/sync/outcome-commits", test_outcome_commits);

  return g_test_run ();
}

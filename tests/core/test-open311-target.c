/* test-open311-target.c: delivery into Open311, and routing per service
 *
 * SPDX-FileCopyrightText: 2026 Stadtkiosk contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>

#include "kiosk-fake-backend.h"
#include "kiosk-fake-open311.h"
#include "kiosk-open311-target-private.h"
#include "kiosk-sync-private.h"
#include "kiosk-sync-test-util.h"
#include "kiosk-test-util.h"

#define API_KEY "s3cret-key"

static const char report_answers[] =
  "{\"kind\": \"hole\", \"story\": \"Tiefes Loch & Wasser = Gefahr\", \"count\": 3, \"weight\": 2.5,"
  " \"when\": \"2026-12-01\", \"extras\": [\"x\", \"y\"], \"yes\": true, \"tel\": \"05121 301-0\","
  " \"place\": {\"street\": \"Almsstraße\", \"house_number\": \"15\", \"postal_code\": \"31134\","
  " \"city\": \"Hildesheim\"}, \"first\": \"Erika\", \"last\": \"Muster\", \"mail\": \"erika@example.de\","
  " \"secret\": \"nicht senden\", \"ok\": true}";

static void
rm_rf_free (gpointer path)
{
  kiosk_test_rm_rf (path);
  g_free (path);
}

/* A kiosk whose [open311] endpoint is @open311_url (NULL: not set) and whose
 * [backend] url is @backend_url (NULL: not set), with the test catalogue
 * active. */
static SyncKiosk *
kiosk_new (const char *backend_url,
           const char *open311_url,
           gboolean    fake_clock)
{
  g_autoptr(GString) extra = g_string_new ("\n[open311]\n");
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "fixtures", "open311", "catalog.json", NULL);
  g_autofree char *data = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *key_dir = g_dir_make_tmp ("o311-key-XXXXXX", NULL);
  g_autofree char *key_path = g_build_filename (key_dir, "api-key", NULL);
  SyncKiosk *kiosk;
  gsize len;

  g_assert_true (g_file_set_contents (key_path, API_KEY "\n", -1, NULL));
  g_assert_cmpint (g_chmod (key_path, 0600), ==, 0);
  if (open311_url != NULL)
    g_string_append_printf (extra, "endpoint=%s\napi-key-file=%s\n", open311_url, key_path);
  kiosk = sync_kiosk_new (backend_url != NULL ? backend_url : "", NULL, extra->str, fake_clock);
  /* The key was read when a target was made; keep it beside the kiosk. */
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
    .service_id = service_id,
    .service_version = 1,
    .locale = "de",
    .answers = answers,
    .answers_format = KIOSK_ANSWERS_JSON,
  };
  KioskRequest *request = kiosk_outbox_enqueue (kiosk->outbox, &draft, "test", &error);

  g_assert_no_error (error);
  return request;
}

static KioskRequest *
reread (SyncKiosk    *kiosk,
        KioskRequest *request)
{
  g_autoptr(GError) error = NULL;
  KioskRequest *now = kiosk_outbox_get (kiosk->outbox, kiosk_request_get_id (request), &error);

  g_assert_no_error (error);
  return now;
}

/* A target of its own for @kiosk, with the active catalogue. */
static KioskOpen311Target *
target_new (SyncKiosk *kiosk)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KioskCatalog) catalog = kiosk_catalog_load_active (kiosk_context_get_store (kiosk->context), &error);
  KioskOpen311Target *target;

  g_assert_no_error (error);
  target = kiosk_open311_target_new (kiosk->config, kiosk->clock, KIOSK_SYNC_MAX_IN_FLIGHT, &error);
  g_assert_no_error (error);
  kiosk_open311_target_set_catalog (target, catalog);
  return target;
}

static gboolean
form_has (const char *form,
          const char *line)
{
  g_autofree char *needle = g_strdup_printf ("%s\n", line);

  g_autofree char *inner = g_strdup_printf ("\n%s\n", line);

  return g_str_has_prefix (form, needle) || strstr (form, inner) != NULL;
}

/* What the city's server got for @code, as "key=value" lines. */
static char *
received_form (KioskFakeOpen311 *fake,
               KioskRequest     *request)
{
  char *form = kiosk_fake_open311_dup_form (fake, kiosk_request_get_short_code (request));

  g_assert_nonnull (form);
  return form;
}

static void
test_mapping (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KioskFakeOpen311) fake = kiosk_fake_open311_new (0, API_KEY, &error);
  SyncKiosk *kiosk;
  g_autoptr(KioskRequest) report = NULL;
  g_autoptr(KioskRequest) plain = NULL;
  g_autoptr(KioskRequest) done = NULL;
  g_autofree char *form = NULL;
  g_autofree char *description = NULL;
  g_autofree char *plain_form = NULL;

  g_assert_no_error (error);
  kiosk = kiosk_new (NULL, kiosk_fake_open311_get_url (fake), TRUE);
  report = enqueue (kiosk, "report", report_answers);
  plain = enqueue (kiosk, "plain", "{\"description\": \"Loch\", \"location\": \"Markt 1\", \"depth\": \"20 cm\","
                                   " \"name\": \"Erika\"}");

  g_assert_true (sync_kiosk_run_once (kiosk, &error));
  g_assert_no_error (error);
  done = reread (kiosk, report);
  g_assert_cmpint (kiosk_request_get_state (done), ==, KIOSK_REQUEST_DELIVERED);
  /* The server's id is the reference (two were in flight: either one). */
  g_assert_true (g_strcmp0 (kiosk_request_get_remote_ref (done), "1001") == 0 ||
                 g_strcmp0 (kiosk_request_get_remote_ref (done), "1002") == 0);

  form = received_form (fake, report);
  g_test_message ("form:\n%s", form);
  description = g_strdup_printf ("description=Tiefes Loch & Wasser = Gefahr (Stadtkiosk %s)",
                                 kiosk_request_get_short_code (report));
  g_assert_true (form_has (form, "service_code=pothole"));
  g_assert_true (form_has (form, description));
  g_assert_true (form_has (form, "address_string=Almsstraße 15, 31134 Hildesheim"));
  g_assert_true (form_has (form, "attribute[KIND]=hole"));
  g_assert_true (form_has (form, "attribute[COUNT]=3"));
  g_assert_true (form_has (form, "attribute[WEIGHT]=2.5"));
  g_assert_true (form_has (form, "attribute[WHEN]=2026-12-01"));
  g_assert_true (form_has (form, "attribute[EXTRAS][]=x"));
  g_assert_true (form_has (form, "attribute[EXTRAS][]=y"));
  g_assert_true (form_has (form, "attribute[YES]=true"));
  g_assert_true (form_has (form, "attribute[CONSENT]=true"));
  g_assert_true (form_has (form, "attribute[PHONE_ATTR]=05121 301-0"));
  g_assert_true (form_has (form, "email=erika@example.de"));
  g_assert_true (form_has (form, "first_name=Erika"));
  g_assert_true (form_has (form, "last_name=Muster"));
  /* A personal field the service does not name for Open311 never leaves. */
  g_assert_null (strstr (form, "nicht senden"));
  g_assert_null (strstr (form, "secret"));
  /* Neither does the key in anything the server keeps but its check. */
  g_assert_null (strstr (form, API_KEY));

  plain_form = received_form (fake, plain);
  g_assert_true (form_has (plain_form, "address_string=Markt 1"));
  g_assert_true (form_has (plain_form, "attribute[depth]=20 cm"));
  g_assert_null (strstr (plain_form, "Erika"));

  sync_kiosk_free (kiosk);
}

static void
test_routing_unconfigured (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KioskFakeBackend) backend = kiosk_fake_backend_new (0, NULL, 0, NULL, &error);
  SyncKiosk *kiosk;
  g_autoptr(KioskRequest) report = NULL;
  g_autoptr(KioskRequest) other = NULL;
  g_autoptr(KioskRequest) report_now = NULL;
  g_autoptr(KioskRequest) other_now = NULL;

  g_assert_no_error (error);
  kiosk = kiosk_new (kiosk_fake_backend_get_url (backend), NULL, TRUE);
  report = enqueue (kiosk, "report", report_answers);
  other = enqueue (kiosk, "other", "{\"text\": \"hallo\"}");

  g_assert_true (sync_kiosk_run_once (kiosk, &error));
  g_assert_no_error (error);
  report_now = reread (kiosk, report);
  other_now = reread (kiosk, other);
  /* The service without a target went by [kiosk] default-target ... */
  g_assert_cmpint (kiosk_request_get_state (other_now), ==, KIOSK_REQUEST_DELIVERED);
  g_assert_cmpuint (kiosk_fake_backend_count_id (backend, kiosk_request_get_id (other)), ==, 1);
  /* ... the Open311 one waits, never sent elsewhere, and says why. */
  g_assert_cmpint (kiosk_request_get_state (report_now), ==, KIOSK_REQUEST_QUEUED);
  g_assert_cmpuint (kiosk_request_get_attempts (report_now), ==, 0);
  g_assert_cmpuint (kiosk_fake_backend_count_id (backend, kiosk_request_get_id (report)), ==, 0);
  kiosk_sync_refresh_status (kiosk->sync);
  g_assert_cmpstr (kiosk_sync_get_routing_problem (kiosk->sync), ==,
                   "service report is delivered through Open311, but [open311] endpoint is not set");
  g_assert_true (kiosk_sync_get_alert (kiosk->sync));
  g_assert_cmpint (kiosk_sync_get_state (kiosk->sync), !=, KIOSK_SYNC_PAUSED);
  /* A waiting lane is not "due": the sync does not spin on it. */
  g_assert_cmpint (kiosk_sync_get_next_attempt (kiosk->sync), ==, -1);

  sync_kiosk_free (kiosk);
}

static void
test_routing_both (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KioskFakeBackend) backend = kiosk_fake_backend_new (0, NULL, 0, NULL, &error);
  g_autoptr(KioskFakeOpen311) fake = kiosk_fake_open311_new (0, API_KEY, &error);
  SyncKiosk *kiosk;
  g_autoptr(GPtrArray) reports = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) others = g_ptr_array_new_with_free_func (g_object_unref);

  g_assert_no_error (error);
  kiosk = kiosk_new (kiosk_fake_backend_get_url (backend), kiosk_fake_open311_get_url (fake), TRUE);
  for (guint i = 0; i < 10; i++)
    {
      g_ptr_array_add (reports, enqueue (kiosk, "report", report_answers));
      g_ptr_array_add (others, enqueue (kiosk, "other", "{\"text\": \"hallo\"}"));
    }
  g_assert_true (sync_kiosk_run_once (kiosk, &error));
  g_assert_no_error (error);

  g_assert_cmpuint (sync_kiosk_count (kiosk, KIOSK_REQUEST_DELIVERED), ==, 20);
  for (guint i = 0; i < 10; i++)
    {
      g_assert_cmpuint (kiosk_fake_open311_count_code (fake, kiosk_request_get_short_code (reports->pdata[i])), ==, 1);
      g_assert_cmpuint (kiosk_fake_backend_count_id (backend, kiosk_request_get_id (reports->pdata[i])), ==, 0);
      g_assert_cmpuint (kiosk_fake_backend_count_id (backend, kiosk_request_get_id (others->pdata[i])), ==, 1);
    }
  g_assert_cmpuint (kiosk_fake_open311_get_n_stored (fake), ==, 10);
  g_assert_null (kiosk_sync_get_routing_problem (kiosk->sync));

  sync_kiosk_free (kiosk);
}

static void
test_answers (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KioskFakeOpen311) fake = kiosk_fake_open311_new (0, API_KEY, &error);
  g_autoptr(KioskFakeOpen311) wrong_key = kiosk_fake_open311_new (0, "another key", &error);
  g_autoptr(KioskFakeBackend) backend = kiosk_fake_backend_new (0, NULL, 0, NULL, &error);
  SyncKiosk *kiosk;
  g_autoptr(KioskRequest) gone = NULL;
  g_autoptr(KioskRequest) gone_now = NULL;
  g_autoptr(KioskRequest) report = NULL;
  g_autoptr(KioskRequest) report_now = NULL;
  g_autoptr(KioskRequest) other = NULL;
  g_autoptr(KioskRequest) other_now = NULL;

  g_assert_no_error (error);

  /* 404 for the service code: rejected for a clerk, saying the catalogue
   * is out of date. */
  kiosk = kiosk_new (NULL, kiosk_fake_open311_get_url (fake), TRUE);
  gone = enqueue (kiosk, "unknown-code", "{\"description\": \"x\"}");
  g_assert_true (sync_kiosk_run_once (kiosk, &error));
  g_assert_no_error (error);
  gone_now = reread (kiosk, gone);
  g_assert_cmpint (kiosk_request_get_state (gone_now), ==, KIOSK_REQUEST_REJECTED);
  g_assert_nonnull (strstr (kiosk_request_get_last_error (gone_now), "does not know service code \"gone\""));
  g_assert_nonnull (strstr (kiosk_request_get_last_error (gone_now), "catalogue is out of date"));
  sync_kiosk_free (kiosk);

  /* 403: the API key is refused.  Open311's lane waits, the Submission
   * API's goes on. */
  kiosk = kiosk_new (kiosk_fake_backend_get_url (backend), kiosk_fake_open311_get_url (wrong_key), TRUE);
  report = enqueue (kiosk, "report", report_answers);
  other = enqueue (kiosk, "other", "{\"text\": \"hallo\"}");
  g_assert_true (sync_kiosk_run_once (kiosk, &error));
  g_assert_no_error (error);
  report_now = reread (kiosk, report);
  other_now = reread (kiosk, other);
  g_assert_cmpint (kiosk_request_get_state (report_now), ==, KIOSK_REQUEST_QUEUED);
  g_assert_cmpint (kiosk_request_get_state (other_now), ==, KIOSK_REQUEST_DELIVERED);
  g_assert_cmpint (kiosk_sync_get_state (kiosk->sync), !=, KIOSK_SYNC_PAUSED);
  kiosk_sync_refresh_status (kiosk->sync);
  g_assert_nonnull (kiosk_sync_get_routing_problem (kiosk->sync));
  g_assert_nonnull (strstr (kiosk_sync_get_routing_problem (kiosk->sync), "[open311] api-key-file"));
  g_assert_null (strstr (kiosk_sync_get_routing_problem (kiosk->sync), API_KEY));
  g_assert_true (kiosk_sync_get_alert (kiosk->sync));
  sync_kiosk_free (kiosk);
}

static void
test_token (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KioskFakeOpen311) fake = kiosk_fake_open311_new (0, API_KEY, &error);
  KioskFakeOpen311Faults faults = { .token_pct = 100, .token_polls = 2 };
  g_autoptr(KioskOpen311Target) target = NULL;
  SyncKiosk *kiosk;
  g_autoptr(KioskRequest) report = NULL;
  g_autoptr(KioskRequest) now = NULL;

  g_assert_no_error (error);
  kiosk_fake_open311_set_faults (fake, &faults);
  /* A real clock: the polls wait on it (0 ms here). */
  kiosk = kiosk_new (NULL, kiosk_fake_open311_get_url (fake), FALSE);
  target = target_new (kiosk);
  _kiosk_open311_target_set_token_polls (target, 0, 3);
  g_clear_object (&kiosk->sync);
  kiosk->sync = kiosk_sync_new_for_target (kiosk->context, KIOSK_TARGET (target));

  report = enqueue (kiosk, "report", report_answers);
  g_assert_true (sync_kiosk_run_once (kiosk, &error));
  g_assert_no_error (error);
  now = reread (kiosk, report);
  g_assert_cmpint (kiosk_request_get_state (now), ==, KIOSK_REQUEST_DELIVERED);
  /* Two polls answered with the token only; the third had the id. */
  g_assert_cmpstr (kiosk_request_get_remote_ref (now), ==, "1001");
  g_clear_object (&now);

  /* More polls needed than the target makes: delivered all the same (the
   * server took it), the token is the reference until the id is known. */
  faults.token_polls = 5;
  kiosk_fake_open311_set_faults (fake, &faults);
  g_clear_object (&report);
  report = enqueue (kiosk, "report", report_answers);
  g_assert_true (sync_kiosk_run_once (kiosk, &error));
  g_assert_no_error (error);
  now = reread (kiosk, report);
  g_assert_cmpint (kiosk_request_get_state (now), ==, KIOSK_REQUEST_DELIVERED);
  g_assert_cmpstr (kiosk_request_get_remote_ref (now), ==, "token:tok-1002");

  sync_kiosk_free (kiosk);
}

static void
status_fetched_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  GPtrArray **out = user_data;
  g_autoptr(GError) error = NULL;

  *out = kiosk_open311_target_fetch_status_finish (KIOSK_OPEN311_TARGET (object), result, &error);
  g_assert_no_error (error);
}

static void
test_status_back (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KioskFakeOpen311) fake = kiosk_fake_open311_new (0, API_KEY, &error);
  g_autoptr(KioskOpen311Target) target = NULL;
  g_autoptr(GPtrArray) statuses = NULL;
  g_autoptr(KioskRequest) a = NULL;
  g_autoptr(KioskRequest) b = NULL;
  g_autoptr(KioskRequest) a_now = NULL;
  g_autoptr(KioskRequest) b_now = NULL;
  g_autofree char *status = NULL;
  g_autofree char *note = NULL;
  const char *ids[3];
  SyncKiosk *kiosk;

  g_assert_no_error (error);
  kiosk = kiosk_new (NULL, kiosk_fake_open311_get_url (fake), TRUE);
  a = enqueue (kiosk, "report", report_answers);
  b = enqueue (kiosk, "plain", "{\"description\": \"Loch\"}");
  g_assert_true (sync_kiosk_run_once (kiosk, &error));
  g_assert_no_error (error);
  a_now = reread (kiosk, a);
  b_now = reread (kiosk, b);
  g_assert_true (kiosk_fake_open311_set_status (fake, kiosk_request_get_short_code (a), "closed",
                                                "Repariert am 3.12.\nDanke!"));

  target = target_new (kiosk);
  ids[0] = kiosk_request_get_remote_ref (a_now);
  ids[1] = kiosk_request_get_remote_ref (b_now);
  ids[2] = NULL;
  kiosk_open311_target_fetch_status_async (target, ids, NULL, status_fetched_cb, &statuses);
  while (statuses == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpuint (statuses->len, ==, 2);
  for (guint i = 0; i < statuses->len; i++)
    {
      KioskOpen311Status *s = statuses->pdata[i];
      const char *id = g_str_equal (s->service_request_id, ids[0]) ? kiosk_request_get_id (a) : kiosk_request_get_id (b);

      g_assert_true (kiosk_outbox_set_city_status (kiosk->outbox, id, s->status, s->status_notes, &error));
      g_assert_no_error (error);
    }
  g_assert_true (kiosk_outbox_get_city_status (kiosk->outbox, kiosk_request_get_id (a), &status, &note, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (status, ==, "closed");
  /* Control characters from outside are made plain. */
  g_assert_cmpstr (note, ==, "Repariert am 3.12. Danke!");
  g_clear_pointer (&status, g_free);
  g_clear_pointer (&note, g_free);
  g_assert_true (kiosk_outbox_get_city_status (kiosk->outbox, kiosk_request_get_id (b), &status, &note, NULL, &error));
  g_assert_cmpstr (status, ==, "open");
  g_assert_null (note);
  g_clear_pointer (&status, g_free);

  /* A running sync asks by itself, now and then. */
  g_assert_true (kiosk_fake_open311_set_status (fake, kiosk_request_get_short_code (b), "closed", "Erledigt"));
  kiosk_sync_start (kiosk->sync);
  sync_kiosk_wait_idle (kiosk);
  kiosk_clock_advance (kiosk->clock, (gint64) (kiosk_config_get_sync_interval (kiosk->config) + 1) * G_USEC_PER_SEC);
  for (guint i = 0; i < 1000 && g_strcmp0 (status, "closed") != 0; i++)
    {
      g_main_context_iteration (NULL, TRUE);
      g_clear_pointer (&status, g_free);
      g_clear_pointer (&note, g_free);
      g_assert_true (kiosk_outbox_get_city_status (kiosk->outbox, kiosk_request_get_id (b), &status, &note, NULL, NULL));
    }
  g_assert_cmpstr (status, ==, "closed");
  g_assert_cmpstr (note, ==, "Erledigt");
  kiosk_sync_stop (kiosk->sync);

  sync_kiosk_free (kiosk);
}

static void
clock_advanced_cb (KioskClock       *clock,
                   KioskFakeOpen311 *fake)
{
  kiosk_fake_open311_set_now (fake, kiosk_clock_get_now (clock));
}

/* The server's clock follows the kiosk's fake one, as real clocks agree. */
static void
follow_clock (KioskFakeOpen311 *fake,
              SyncKiosk        *kiosk)
{
  kiosk_fake_open311_set_now (fake, kiosk_clock_get_now (kiosk->clock));
  g_signal_connect (kiosk->clock, "advanced", G_CALLBACK (clock_advanced_cb), fake);
}

/* With the keys in demo mode answers are sealed at rest, but not those of
 * a service delivered through Open311: the target needs them. */
static void
test_clear_at_rest (void)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "fixtures", "open311", "catalog.json", NULL);
  g_autofree char *data = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  const char *services[] = { "report", "other" };
  const KioskAnswersFormat expected[] = { KIOSK_ANSWERS_JSON, KIOSK_ANSWERS_SEALED };
  SyncKiosk *kiosk;
  gsize len;

  kiosk = sync_kiosk_new ("", NULL, "\n[keys]\nmode=demo\n", TRUE);
  g_assert_true (g_file_get_contents (path, &data, &len, NULL));
  bytes = g_bytes_new_take (g_steal_pointer (&data), len);
  g_assert_true (kiosk_catalog_store_active (kiosk_context_get_store (kiosk->context), bytes, path, NULL, &error));
  g_assert_no_error (error);

  for (guint i = 0; i < G_N_ELEMENTS (services); i++)
    {
      g_autoptr(GBytes) answers = g_bytes_new_static ("{\"text\": \"x\"}", strlen ("{\"text\": \"x\"}"));
      KioskRequestDraft draft = {
        .service_id = services[i], .service_version = 1, .locale = "de",
        .answers = answers, .answers_format = KIOSK_ANSWERS_JSON,
      };
      g_autoptr(KioskRequest) request = kiosk_context_submit (kiosk->context, &draft, "test", &error);

      g_assert_no_error (error);
      g_assert_cmpint (kiosk_request_get_answers_format (request), ==, expected[i]);
    }
  sync_kiosk_free (kiosk);
}

static void
imported_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  GBytes **out = user_data;
  g_autoptr(GError) error = NULL;

  *out = kiosk_open311_target_import_finish (KIOSK_OPEN311_TARGET (object), result, &error);
  g_assert_no_error (error);
}

/* Live import from the endpoint, then a request of an imported service
 * goes back with the attribute codes the definition named. */
static void
test_live_import (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KioskFakeOpen311) fake = kiosk_fake_open311_new (0, API_KEY, &error);
  g_autoptr(KioskOpen311Target) importer = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(KioskCatalog) catalog = NULL;
  g_autoptr(KioskRequest) request = NULL;
  g_autoptr(KioskRequest) now = NULL;
  g_autofree char *form = NULL;
  KioskService *service;
  SyncKiosk *kiosk;

  g_assert_no_error (error);
  kiosk_fake_open311_add_service (fake, "LIGHT-1",
                                  "{\"service_code\":\"LIGHT-1\",\"service_name\":\"Laterne\",\"metadata\":true,"
                                  "\"type\":\"realtime\"}",
                                  "{\"service_code\":\"LIGHT-1\",\"attributes\":["
                                  "{\"variable\":true,\"code\":\"POLE NR\",\"datatype\":\"string\",\"required\":false,"
                                  "\"order\":1,\"description\":\"Mastnummer\"},"
                                  "{\"variable\":true,\"code\":\"Q7\",\"datatype\":\"multivaluelist\",\"required\":true,"
                                  "\"order\":2,\"description\":\"Was\",\"values\":[{\"key\":\"dark\",\"name\":\"Dunkel\"},"
                                  "{\"key\":\"blink\",\"name\":\"Flackert\"}]}]}");
  kiosk = kiosk_new (NULL, kiosk_fake_open311_get_url (fake), TRUE);
  importer = kiosk_open311_target_new_for_url (kiosk_fake_open311_get_url (fake), kiosk->config, kiosk->clock, 1,
                                               &error);
  g_assert_no_error (error);
  kiosk_open311_target_import_async (importer, "live-1", NULL, imported_cb, &bytes);
  while (bytes == NULL)
    g_main_context_iteration (NULL, TRUE);
  catalog = kiosk_catalog_new_from_bytes (bytes, "live", &error);
  g_assert_no_error (error);
  service = kiosk_catalog_lookup (catalog, "open311-light-1");
  g_assert_nonnull (service);
  g_assert_cmpstr (kiosk_service_get_open311_code (service), ==, "LIGHT-1");
  g_assert_cmpstr (kiosk_service_get_open311_attribute (service, "pole-nr"), ==, "POLE NR");
  g_assert_true (kiosk_catalog_store_active (kiosk_context_get_store (kiosk->context), bytes, "live", NULL, &error));
  g_assert_no_error (error);

  request = enqueue (kiosk, "open311-light-1", "{\"pole-nr\": \"A-17\", \"q7\": [\"dark\", \"blink\"],"
                                               " \"description\": \"Seit Tagen\", \"location\": \"Markt 1\"}");
  g_assert_true (sync_kiosk_run_once (kiosk, &error));
  g_assert_no_error (error);
  now = reread (kiosk, request);
  g_assert_cmpint (kiosk_request_get_state (now), ==, KIOSK_REQUEST_DELIVERED);
  form = received_form (fake, request);
  g_assert_true (form_has (form, "service_code=LIGHT-1"));
  g_assert_true (form_has (form, "attribute[POLE NR]=A-17"));
  g_assert_true (form_has (form, "attribute[Q7][]=dark"));
  g_assert_true (form_has (form, "attribute[Q7][]=blink"));
  g_assert_true (form_has (form, "address_string=Markt 1"));

  sync_kiosk_free (kiosk);
}

/* N requests through a faulty server, on a fake clock (backoff takes no
 * time).  Returns the most copies of one short code the server stored. */
static guint
run_faulty (gboolean look_before_resend,
            guint    n,
            guint   *out_posts,
            guint   *out_lists)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KioskFakeOpen311) fake = kiosk_fake_open311_new (0, API_KEY, &error);
  KioskFakeOpen311Faults faults = {
    .drop_before_pct = 10, .drop_after_pct = 15, .unavailable_pct = 10, .token_pct = 10, .token_polls = 1,
    .list_unavailable_pct = 10,
  };
  g_autoptr(KioskOpen311Target) target = NULL;
  g_autoptr(GPtrArray) requests = g_ptr_array_new_with_free_func (g_object_unref);
  SyncKiosk *kiosk;
  guint max_copies;

  g_assert_no_error (error);
  kiosk_fake_open311_set_faults (fake, &faults);
  kiosk = kiosk_new (NULL, kiosk_fake_open311_get_url (fake), TRUE);
  follow_clock (fake, kiosk);
  target = target_new (kiosk);
  _kiosk_open311_target_set_look_before_resend (target, look_before_resend);
  /* No polls: a token answer is delivered with the token as reference. */
  _kiosk_open311_target_set_token_polls (target, 0, 0);
  g_clear_object (&kiosk->sync);
  kiosk->sync = kiosk_sync_new_for_target (kiosk->context, KIOSK_TARGET (target));
  _kiosk_sync_set_seed (kiosk->sync, 7);

  for (guint i = 0; i < n; i++)
    g_ptr_array_add (requests, enqueue (kiosk, i % 2 ? "report" : "plain",
                                        i % 2 ? report_answers : "{\"description\": \"Loch\"}"));
  kiosk_sync_start (kiosk->sync);
  sync_kiosk_drain (kiosk, 2000);
  kiosk_sync_stop (kiosk->sync);

  g_assert_cmpuint (sync_kiosk_count (kiosk, KIOSK_REQUEST_DELIVERED), ==, n);
  for (guint i = 0; i < n && look_before_resend; i++)
    g_assert_cmpuint (kiosk_fake_open311_count_code (fake, kiosk_request_get_short_code (requests->pdata[i])), ==, 1);
  max_copies = kiosk_fake_open311_get_max_copies (fake);
  *out_posts = kiosk_fake_open311_get_n_posts (fake);
  *out_lists = kiosk_fake_open311_get_n_lists (fake);
  g_test_message ("look before re-send %s: %u requests, %u POSTs, %u looks, %u stored, max %u copies",
                  look_before_resend ? "on" : "off", n, *out_posts, *out_lists,
                  kiosk_fake_open311_get_n_stored (fake), max_copies);
  g_signal_handlers_disconnect_by_data (kiosk->clock, fake);
  sync_kiosk_free (kiosk);
  return max_copies;
}

/* Dropped connections before and after the server stored the request, 503s
 * and tokens: every short code arrives exactly once. */
static void
test_exactly_once (void)
{
  guint posts, lists;

  g_assert_cmpuint (run_faulty (TRUE, 300, &posts, &lists), ==, 1);
  /* The harness must have caused re-sends and looks, or it proved nothing. */
  g_assert_cmpuint (posts, >, 300);
  g_assert_cmpuint (lists, >, 0);
}

/* Negative control: the same faults without the look re-send blindly and
 * file requests twice. */
static void
test_exactly_once_control (void)
{
  guint posts, lists;

  g_assert_cmpuint (run_faulty (FALSE, 300, &posts, &lists), >, 1);
  g_assert_cmpuint (lists, ==, 0);
}

static GPid
spawn_ctl (SyncKiosk  *kiosk,
           const char *mode)
{
  const char *ctl = g_getenv ("STADTKIOSK_CTL");
  g_autoptr(GError) error = NULL;
  GPid pid = 0;
  const char *argv[] = { ctl, "--config", kiosk->conf_path, "sync", mode, NULL };

  g_assert_nonnull (ctl);
  g_spawn_async (NULL, (char **) argv, NULL,
                 G_SPAWN_DO_NOT_REAP_CHILD | G_SPAWN_STDOUT_TO_DEV_NULL | G_SPAWN_STDERR_TO_DEV_NULL,
                 NULL, NULL, &pid, &error);
  g_assert_no_error (error);
  return pid;
}

static int
wait_child (GPid pid)
{
  int status = 0;

  g_assert_cmpint (waitpid (pid, &status, 0), ==, pid);
  return status;
}

/* SIGKILL `stadtkioskctl sync` (a routed sync, as on a kiosk) at random
 * moments while the server takes a little time per request, restart each
 * time: requests the server stored but whose answer died with the process
 * are found by the look, and every short code arrives exactly once.  The
 * blind re-send control is /kiosk/open311-target/exactly-once-control: the
 * CLI has no switch to turn the look off; here the harness proves it
 * produced the ambiguous case (stored, not recorded) that would duplicate. */
static void
test_kill (void)
{
  enum { N = 150, ROUNDS = 16 };
  g_autoptr(GError) error = NULL;
  g_autoptr(KioskFakeOpen311) fake = kiosk_fake_open311_new (0, API_KEY, &error);
  KioskFakeOpen311Faults faults = { .delay_ms = 15 };
  g_autoptr(GPtrArray) requests = g_ptr_array_new_with_free_func (g_object_unref);
  guint killed_unrecorded = 0;
  SyncKiosk *kiosk;

  g_assert_no_error (error);
  kiosk_fake_open311_set_faults (fake, &faults);
  kiosk = kiosk_new (NULL, kiosk_fake_open311_get_url (fake), FALSE);
  for (guint i = 0; i < N; i++)
    g_ptr_array_add (requests, enqueue (kiosk, "plain", "{\"description\": \"Loch\", \"location\": \"Markt 1\"}"));

  for (guint round = 0; round < ROUNDS; round++)
    {
      guint posts = kiosk_fake_open311_get_n_posts (fake);
      GPid pid = spawn_ctl (kiosk, NULL);
      g_autoptr(GPtrArray) sending = NULL;
      int status;

      /* Kill while the sync delivers, however slowly the machine starts
       * it: wait for its first POST, then less than a batch takes. */
      for (guint waited = 0; waited < 10000 && kiosk_fake_open311_get_n_posts (fake) == posts; waited++)
        g_usleep (2000);
      g_usleep (g_test_rand_int_range (0, 40000));
      g_assert_cmpint (kill (pid, SIGKILL), ==, 0);
      status = wait_child (pid);
      g_assert_true (WIFSIGNALED (status));
      sending = kiosk_outbox_list (kiosk->outbox, KIOSK_REQUEST_SENDING, NULL);
      for (guint i = 0; i < sending->len; i++)
        if (kiosk_fake_open311_count_code (fake, kiosk_request_get_short_code (sending->pdata[i])) > 0)
          killed_unrecorded++;
    }
  for (guint tries = 0; tries < 5 && sync_kiosk_count (kiosk, KIOSK_REQUEST_DELIVERED) < N; tries++)
    {
      int status = wait_child (spawn_ctl (kiosk, "--once"));

      g_assert_true (WIFEXITED (status));
    }

  g_test_message ("%u kills, %u requests stored by the server but not recorded when killed; %u POSTs, %u looks, "
                  "%u stored", ROUNDS, killed_unrecorded, kiosk_fake_open311_get_n_posts (fake),
                  kiosk_fake_open311_get_n_lists (fake), kiosk_fake_open311_get_n_stored (fake));
  g_assert_cmpuint (killed_unrecorded, >, 0);
  g_assert_cmpuint (sync_kiosk_count (kiosk, KIOSK_REQUEST_DELIVERED), ==, N);
  for (guint i = 0; i < N; i++)
    g_assert_cmpuint (kiosk_fake_open311_count_code (fake, kiosk_request_get_short_code (requests->pdata[i])), ==, 1);
  g_assert_cmpuint (kiosk_fake_open311_get_n_lists (fake), >, 0);

  sync_kiosk_free (kiosk);
}

int
main (int    argc,
      char **argv)
{
  g_setenv ("GIO_USE_PROXY_RESOLVER", "dummy", TRUE);
  g_test_init (&argc, &argv, NULL);
  kiosk_fake_backend_raise_fd_limit ();

  g_test_add_func ("/kiosk/open311-target/mapping", test_mapping);
  g_test_add_func ("/kiosk/open311-target/routing-unconfigured", test_routing_unconfigured);
  g_test_add_func ("/kiosk/open311-target/routing-both", test_routing_both);
  g_test_add_func ("/kiosk/open311-target/answers", test_answers);
  g_test_add_func ("/kiosk/open311-target/token", test_token);
  g_test_add_func ("/kiosk/open311-target/status-back", test_status_back);
  g_test_add_func ("/kiosk/open311-target/live-import", test_live_import);
  g_test_add_func ("/kiosk/open311-target/clear-at-rest", test_clear_at_rest);
  g_test_add_func ("/kiosk/open311-target/exactly-once", test_exactly_once);
  g_test_add_func ("/kiosk/open311-target/exactly-once-control", test_exactly_once_control);
  g_test_add_func ("/kiosk/open311-target/kill", test_kill);

  return g_test_run ();
}

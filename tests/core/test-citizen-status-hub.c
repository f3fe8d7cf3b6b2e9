/* test-citizen-status-hub.c — the status page asks the hub for codes of
 * other kiosks (#16), against pouchdb-server on 127.0.0.1
 *
 * SPDX-FileCopyrightText: 2026 Stadtkiosk contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
#include <string.h>
#include <stdarg.h>
#include <sys/wait.h>

#include "stadtkiosk-core.h"
#include "kiosk-hub-test-util.h"
#include "kiosk-test-util.h"

typedef struct
{
  HubPeer            *peer;
  char               *db;
  char               *dir;
  KioskClock         *clock;
  KioskConfig        *config;
  KioskStore         *store;
  KioskOutbox        *outbox;
  KioskStatusGuard   *guard;
  KioskCouchdbTarget *hub;
  char               *other_code;     /* at the hub, with a status document */
  char               *quiet_code;     /* at the hub, the city has not answered */
  char               *scanned_code;   /* the code of the last slip other_kiosk_delivers() made */
} Fixture;

static void
put_json (const char *url,
          const char *body)
{
  g_autoptr(JsonNode) answer = NULL;
  guint status = 0;

  answer = hub_http ("PUT", url, body, &status);
  g_assert_cmpuint (status, ==, 201);
}

static KioskCouchdbTarget *
hub_for (Fixture    *f,
         const char *db_url)
{
  g_autofree char *conf = NULL;
  g_autofree char *path = g_build_filename (f->dir, "kiosk.conf", NULL);
  g_autoptr(KioskConfig) config = NULL;
  g_autoptr(GError) error = NULL;
  KioskCouchdbTarget *hub;

  conf = g_strdup_printf ("[kiosk]\nid=test-kiosk\nstate-dir=%s\n\n[couchdb]\nurl=%s\n", f->dir, db_url);
  g_assert_true (g_file_set_contents (path, conf, -1, NULL));
  config = kiosk_config_new_from_file (path, &error);
  g_assert_no_error (error);
  hub = kiosk_couchdb_target_new (config, f->clock, 1, &error);
  g_assert_no_error (error);
  return hub;
}

/* @with_view: FALSE installs the design document without the new view —
 * the hub of a city that did not run `hub setup` again. */
static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  gboolean with_view = GPOINTER_TO_INT (data) == 0;
  g_autoptr(GError) error = NULL;
  g_autofree char *design_path = NULL;
  g_autofree char *design = NULL;
  g_autofree char *url = NULL;
  g_autofree char *body = NULL;
  g_autofree char *db_path = NULL;

  f->peer = hub_peer_start (NULL, 0);
  if (f->peer == NULL)
    return;
  f->db = g_strdup_printf ("%s/stadtkiosk", hub_peer_get_url (f->peer));
  put_json (f->db, NULL);
  design_path = g_build_filename (g_getenv ("G_TEST_SRCDIR"), "..", "data", "couchdb",
                                  "stadtkiosk-design.json", NULL);
  g_assert_true (g_file_get_contents (design_path, &design, NULL, &error));
  g_assert_no_error (error);
  if (!with_view)
    {
      char *view = strstr (design, "\"citizen_status_by_short_code\"");

      g_assert_nonnull (view);
      memcpy (view, "\"citizen_status_by_short_codX\"", strlen ("\"citizen_status_by_short_codX\""));
      view = strstr (design, "\"citizen_status_by_receipt\"");
      g_assert_nonnull (view);
      memcpy (view, "\"citizen_status_by_receipX\"", strlen ("\"citizen_status_by_receipX\""));
    }
  url = g_strdup_printf ("%s/_design/stadtkiosk", f->db);
  put_json (url, design);

  /* Two requests filed at kiosk "other", with answers that must never come
   * back to this kiosk. */
  f->other_code = kiosk_short_code_generate ("HSK");
  f->quiet_code = kiosk_short_code_generate ("HSK");
  g_clear_pointer (&url, g_free);
  url = g_strdup_printf ("%s/0b5e4d1c-0000-4000-8000-000000000001", f->db);
  body = g_strdup_printf ("{\"type\":\"submission\",\"kiosk_id\":\"other\",\"short_code\":\"%s\","
                          "\"service_id\":\"bulky-waste\",\"created\":\"2026-09-01T10:00:00Z\","
                          "\"answers\":{\"name\":\"Erika Mustermann\"}}", f->other_code);
  put_json (url, body);
  g_clear_pointer (&url, g_free);
  g_clear_pointer (&body, g_free);
  url = g_strdup_printf ("%s/status%%3A0b5e4d1c-0000-4000-8000-000000000001", f->db);
  put_json (url, "{\"type\":\"status\",\"request_id\":\"0b5e4d1c-0000-4000-8000-000000000001\","
                 "\"kiosk_id\":\"other\",\"status\":\"in_progress\","
                 "\"note\":{\"de\":\"Abholung am Montag\",\"en\":\"Pick-up on Monday\"},"
                 "\"updated\":\"2026-09-23T08:00:00Z\"}");
  g_clear_pointer (&url, g_free);
  g_clear_pointer (&body, g_free);
  url = g_strdup_printf ("%s/0b5e4d1c-0000-4000-8000-000000000002", f->db);
  body = g_strdup_printf ("{\"type\":\"submission\",\"kiosk_id\":\"broken\",\"short_code\":\"%s\","
                          "\"service_id\":\"street-light\",\"created\":\"2026-09-02T10:00:00Z\","
                          "\"answers\":{\"name\":\"Max Mustermann\"}}", f->quiet_code);
  put_json (url, body);

  f->dir = g_dir_make_tmp ("stadtkiosk-status-hub-XXXXXX", &error);
  g_assert_no_error (error);
  db_path = g_build_filename (f->dir, "kiosk.db", NULL);
  f->clock = kiosk_clock_new_fake (G_GINT64_CONSTANT (1790000000) * G_USEC_PER_SEC);
  f->store = kiosk_store_open (db_path, &error);
  g_assert_no_error (error);
  f->outbox = kiosk_outbox_new (f->store, f->clock, "HSK", &error);
  g_assert_no_error (error);
  f->guard = kiosk_status_guard_new (f->clock);
  f->hub = hub_for (f, f->db);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  if (f->peer == NULL)
    return;
  g_clear_object (&f->hub);
  g_assert_finalize_object (g_steal_pointer (&f->guard));
  g_assert_finalize_object (g_steal_pointer (&f->outbox));
  g_assert_finalize_object (g_steal_pointer (&f->store));
  g_clear_object (&f->clock);
  kiosk_test_rm_rf (f->dir);
  g_free (f->dir);
  g_free (f->db);
  g_free (f->other_code);
  g_free (f->quiet_code);
  g_free (f->scanned_code);
  hub_peer_free (f->peer);
}

static void
done_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

static gboolean
give_up_cb (gpointer user_data)
{
  gboolean *gave_up = user_data;

  *gave_up = TRUE;
  return G_SOURCE_REMOVE;
}

/* Runs one lookup to its end.  The 30 s guard only catches a hang: the
 * lookup's own deadlines are far shorter. */
static KioskCitizenStatus *
look_up (Fixture            *f,
         KioskCouchdbTarget *hub,
         const char         *typed,
         guint               deadline_s,
         gboolean           *out_from_hub,
         GError            **error)
{
  g_autoptr(GAsyncResult) result = NULL;
  gboolean gave_up = FALSE;
  guint guard_id;

  kiosk_citizen_status_lookup_async (f->outbox, f->guard, hub, NULL, typed, deadline_s, NULL, done_cb, &result);
  guard_id = g_timeout_add_seconds (30, give_up_cb, &gave_up);
  while (result == NULL && !gave_up)
    g_main_context_iteration (NULL, TRUE);
  g_assert_false (gave_up);
  g_source_remove (guard_id);
  return kiosk_citizen_status_lookup_finish (result, out_from_hub, error);
}

static char *
lower_no_dashes (const char *code)
{
  g_autofree char *lower = g_ascii_strdown (code, -1);
  GString *typed = g_string_new (NULL);

  for (const char *p = lower; *p != '\0'; p++)
    if (*p != '-')
      g_string_append_c (typed, *p);
  return g_string_free (typed, FALSE);
}

static void
test_found (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(KioskCitizenStatus) status = NULL;
  g_autoptr(KioskCitizenStatus) quiet = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *typed = NULL;
  g_autofree char *note = NULL;
  g_autofree char *note_en = NULL;
  gboolean from_hub = FALSE;

  if (f->peer == NULL)
    {
      g_test_skip ("pouchdb-server is not installed (./dev installs it into tests/support/npm)");
      return;
    }
  typed = lower_no_dashes (f->other_code);
  status = look_up (f, f->hub, typed, KIOSK_CITIZEN_STATUS_HUB_DEADLINE_S, &from_hub, &error);
  g_assert_no_error (error);
  g_assert_true (from_hub);
  g_assert_cmpstr (status->short_code, ==, f->other_code);
  g_assert_cmpstr (status->service_id, ==, "bulky-waste");
  g_assert_cmpint (status->created, ==, G_GINT64_CONSTANT (1788256800) * G_USEC_PER_SEC);
  g_assert_cmpint (status->step, ==, KIOSK_CITIZEN_STEP_IN_PROGRESS);
  g_assert_cmpint (status->city_updated, ==, G_GINT64_CONSTANT (1790150400) * G_USEC_PER_SEC);
  note = kiosk_citizen_status_dup_note (status, "de");
  note_en = kiosk_citizen_status_dup_note (status, "en");
  g_assert_cmpstr (note, ==, "Abholung am Montag");
  g_assert_cmpstr (note_en, ==, "Pick-up on Monday");
  /* Never the answers: nothing of the submission but service and day. */
  g_assert_null (strstr (status->city_note, "Erika"));

  /* Filed at a kiosk that broke, the city has not answered: "sent". */
  quiet = look_up (f, f->hub, f->quiet_code, KIOSK_CITIZEN_STATUS_HUB_DEADLINE_S, &from_hub, &error);
  g_assert_no_error (error);
  g_assert_true (from_hub);
  g_assert_cmpstr (quiet->service_id, ==, "street-light");
  g_assert_cmpint (quiet->step, ==, KIOSK_CITIZEN_STEP_SENT);
  g_assert_null (quiet->city_note);
  g_assert_cmpuint (kiosk_status_guard_get_wait (f->guard), ==, 0);
}

/* A code of this kiosk is answered here, without the hub (it is not at
 * the hub at all). */
static void
test_local_first (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GBytes) answers = g_bytes_new_static ("{\"name\":\"Erika Mustermann\"}", 27);
  KioskRequestDraft draft = {
    .service_id = "bulky-waste",
    .service_version = 1,
    .locale = "de",
    .answers = answers,
  };
  g_autoptr(KioskRequest) request = NULL;
  g_autoptr(KioskCitizenStatus) status = NULL;
  g_autoptr(GError) error = NULL;
  gboolean from_hub = TRUE;

  if (f->peer == NULL)
    {
      g_test_skip ("pouchdb-server is not installed");
      return;
    }
  request = kiosk_outbox_enqueue (f->outbox, &draft, "test", &error);
  g_assert_no_error (error);
  status = look_up (f, f->hub, kiosk_request_get_short_code (request), 1, &from_hub, &error);
  g_assert_no_error (error);
  g_assert_false (from_hub);
  g_assert_cmpint (status->step, ==, KIOSK_CITIZEN_STEP_SAVED);
}

/* Codes the hub does not know either count against the guard: after three
 * the fourth try must wait.  Mistyped codes never reach the hub. */
static void
test_remote_misses_count (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  gboolean from_hub = FALSE;

  if (f->peer == NULL)
    {
      g_test_skip ("pouchdb-server is not installed");
      return;
    }
  for (guint i = 0; i < 3; i++)
    {
      g_autofree char *code = kiosk_short_code_generate ("HSK");
      KioskCitizenStatus *status = look_up (f, f->hub, code, KIOSK_CITIZEN_STATUS_HUB_DEADLINE_S, &from_hub, &error);

      g_assert_null (status);
      g_assert_error (error, KIOSK_CITIZEN_STATUS_ERROR, KIOSK_CITIZEN_STATUS_ERROR_UNKNOWN);
      g_assert_true (from_hub);
      g_clear_error (&error);
    }
  g_assert_cmpuint (kiosk_status_guard_get_wait (f->guard), ==, 5);
  /* Even the right code waits now, and the hub is not asked. */
  g_assert_null (look_up (f, f->hub, f->other_code, 1, &from_hub, &error));
  g_assert_error (error, KIOSK_CITIZEN_STATUS_ERROR, KIOSK_CITIZEN_STATUS_ERROR_SLOW_DOWN);
  g_assert_false (from_hub);
}

/* A silent server: accepts connections, never answers. */
static gboolean
swallow_cb (GSocketService     *service,
            GSocketConnection  *connection,
            GObject            *source,
            gpointer            user_data)
{
  GPtrArray *kept = user_data;

  g_ptr_array_add (kept, g_object_ref (connection));
  return TRUE;
}

/* Offline and too slow: "could not ask", within the deadline, and it does
 * not count against the guard.  The code is still found on this kiosk. */
static void
test_unreachable (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GSocketService) service = g_socket_service_new ();
  g_autoptr(GPtrArray) kept = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(KioskCouchdbTarget) silent = NULL;
  g_autoptr(KioskCouchdbTarget) offline = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *silent_url = NULL;
  g_autofree char *offline_url = NULL;
  gboolean from_hub = FALSE;
  guint16 port;

  if (f->peer == NULL)
    {
      g_test_skip ("pouchdb-server is not installed");
      return;
    }
  port = g_socket_listener_add_any_inet_port (G_SOCKET_LISTENER (service), NULL, &error);
  g_assert_no_error (error);
  g_signal_connect (service, "incoming", G_CALLBACK (swallow_cb), kept);
  g_socket_service_start (service);
  silent_url = g_strdup_printf ("http://127.0.0.1:%u/stadtkiosk", port);
  silent = hub_for (f, silent_url);
  g_assert_null (look_up (f, silent, f->other_code, 1, &from_hub, &error));
  g_assert_error (error, KIOSK_CITIZEN_STATUS_ERROR, KIOSK_CITIZEN_STATUS_ERROR_UNREACHABLE);
  g_assert_true (from_hub);
  g_assert_cmpuint (kept->len, >=, 1);   /* it did ask */
  g_clear_error (&error);
  g_socket_service_stop (service);
  g_socket_listener_close (G_SOCKET_LISTENER (service));

  /* The hub stopped: nothing listens on its port any more. */
  offline_url = g_strdup (f->db);
  hub_peer_stop (f->peer);
  offline = hub_for (f, offline_url);
  for (guint i = 0; i < 5; i++)
    {
      g_assert_null (look_up (f, offline, f->other_code, 1, &from_hub, &error));
      g_assert_error (error, KIOSK_CITIZEN_STATUS_ERROR, KIOSK_CITIZEN_STATUS_ERROR_UNREACHABLE);
      g_clear_error (&error);
    }
  g_assert_cmpuint (kiosk_status_guard_get_wait (f->guard), ==, 0);
}

/* Negative control: the hub's design document without the new view.  The
 * same right code is not found — so test_found() did see the view work. */
static void
test_without_view (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  gboolean from_hub = FALSE;

  if (f->peer == NULL)
    {
      g_test_skip ("pouchdb-server is not installed");
      return;
    }
  g_assert_null (look_up (f, f->hub, f->other_code, KIOSK_CITIZEN_STATUS_HUB_DEADLINE_S, &from_hub, &error));
  g_assert_error (error, KIOSK_CITIZEN_STATUS_ERROR, KIOSK_CITIZEN_STATUS_ERROR_UNREACHABLE);
  g_assert_nonnull (strstr (error->message, "hub setup"));
  g_assert_cmpuint (kiosk_status_guard_get_wait (f->guard), ==, 0);
}

/* ---- A scanned receipt (#16) ---------------------------------------------- */

/* A payload as a receipt's QR code carries it: a valid header ("SK",
 * version 1, 128 sealed bytes), the rest only bytes to this test. */
static GBytes *
fake_payload (guint8 seed)
{
  guint8 bytes[KIOSK_PAYLOAD_HEADER_BYTES + 128] = { 'S', 'K', KIOSK_PAYLOAD_VERSION, 0, 1, 2, 3, 4, 0, 128 };

  for (guint i = KIOSK_PAYLOAD_HEADER_BYTES; i < sizeof bytes; i++)
    bytes[i] = (guint8) (seed * 31 + i * 7);
  return g_bytes_new (bytes, sizeof bytes);
}

/* Kiosk "other" stores a request sealed at rest and delivers it: the
 * document as kiosk_couchdb_target_build_doc() makes it, written to the
 * hub.  Returns the request's QR text as a scanner types it. */
static char *
other_kiosk_delivers (Fixture    *f,
                      guint8      seed,
                      const char *request_id,
                      gboolean    with_receipt_sha256)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir_db = NULL;
  g_autofree char *url = NULL;
  g_autoptr(KioskStore) store = NULL;
  g_autoptr(KioskOutbox) outbox = NULL;
  g_autoptr(KioskRequest) request = NULL;
  g_autoptr(GBytes) payload = fake_payload (seed);
  g_autoptr(GBytes) doc = NULL;
  g_autofree char *body = NULL;
  g_autofree char *digest = kiosk_payload_dup_digest (payload);
  KioskRequestDraft draft = {
    .id = request_id,
    .service_id = "bulky-waste",
    .service_version = 1,
    .locale = "de",
    .answers = payload,
    .answers_format = KIOSK_ANSWERS_SEALED,
    .origin_kiosk_id = "test-kiosk",
    .created_us = G_GINT64_CONSTANT (1788256800) * G_USEC_PER_SEC,
  };

  dir_db = g_strdup_printf ("%s/other-%u.db", f->dir, seed);
  store = kiosk_store_open (dir_db, &error);
  g_assert_no_error (error);
  outbox = kiosk_outbox_new (store, f->clock, "HSK", &error);
  g_assert_no_error (error);
  request = kiosk_outbox_enqueue (outbox, &draft, "test", &error);
  g_assert_no_error (error);
  doc = kiosk_couchdb_target_build_doc (f->hub, request, NULL, &error);
  g_assert_no_error (error);
  body = g_strndup (g_bytes_get_data (doc, NULL), g_bytes_get_size (doc));
  /* The member is the sealed payload's digest, after body_sha256. */
  {
    g_autofree char *member = g_strdup_printf (",\"receipt_sha256\":\"%s\"}", digest);

    g_assert_true (g_str_has_suffix (body, member));
    if (!with_receipt_sha256)
      {
        /* A document from before this member existed. */
        body[strlen (body) - strlen (member)] = '\0';
        g_strlcat (body, "}", strlen (body) + 2);
      }
  }
  url = g_strdup_printf ("%s/%s", f->db, request_id);
  put_json (url, body);
  g_free (f->scanned_code);
  f->scanned_code = g_strdup (kiosk_request_get_short_code (request));
  return kiosk_payload_encode_qr_text (payload);
}

/* A slip of another kiosk, scanned here (with the scanner's line end): the
 * hub finds it by the digest — service, day, code and the city's status,
 * never the answers. */
static void
test_scan_found (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(KioskCitizenStatus) status = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  g_autofree char *scanned = NULL;
  g_autofree char *url = NULL;
  gboolean from_hub = FALSE;

  if (f->peer == NULL)
    {
      g_test_skip ("pouchdb-server is not installed");
      return;
    }
  text = other_kiosk_delivers (f, 1, "0b5e4d1c-0000-4000-8000-0000000000c1", TRUE);
  url = g_strdup_printf ("%s/status%%3A0b5e4d1c-0000-4000-8000-0000000000c1", f->db);
  put_json (url, "{\"type\":\"status\",\"request_id\":\"0b5e4d1c-0000-4000-8000-0000000000c1\","
                 "\"kiosk_id\":\"test-kiosk\",\"status\":\"in_progress\","
                 "\"note\":{\"de\":\"Abholung am Montag\"},\"updated\":\"2026-09-23T08:00:00Z\"}");
  scanned = g_strconcat (text, "\r\n", NULL);
  status = look_up (f, f->hub, scanned, KIOSK_CITIZEN_STATUS_HUB_DEADLINE_S, &from_hub, &error);
  g_assert_no_error (error);
  g_assert_true (from_hub);
  g_assert_cmpstr (status->short_code, ==, f->scanned_code);
  g_assert_cmpstr (status->service_id, ==, "bulky-waste");
  g_assert_cmpint (status->created, ==, G_GINT64_CONSTANT (1788256800) * G_USEC_PER_SEC);
  g_assert_cmpint (status->step, ==, KIOSK_CITIZEN_STEP_IN_PROGRESS);
  g_assert_cmpuint (kiosk_status_guard_get_wait (f->guard), ==, 0);
}

/* Negative controls.  A document delivered without receipt_sha256 (before
 * this version) is not found by a scan, and such misses count against the
 * guard; without the view the hub cannot be asked. */
static void
test_scan_not_findable (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  gboolean from_hub = FALSE;

  if (f->peer == NULL)
    {
      g_test_skip ("pouchdb-server is not installed");
      return;
    }
  for (guint i = 0; i < 3; i++)
    {
      g_autofree char *id = g_strdup_printf ("0b5e4d1c-0000-4000-8000-0000000000d%u", i);
      g_autofree char *text = other_kiosk_delivers (f, (guint8) (10 + i), id, FALSE);

      g_assert_null (look_up (f, f->hub, text, KIOSK_CITIZEN_STATUS_HUB_DEADLINE_S, &from_hub, &error));
      g_assert_error (error, KIOSK_CITIZEN_STATUS_ERROR, KIOSK_CITIZEN_STATUS_ERROR_UNKNOWN);
      g_assert_true (from_hub);
      g_clear_error (&error);
    }
  g_assert_cmpuint (kiosk_status_guard_get_wait (f->guard), ==, 5);
}

static void
test_scan_without_view (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  gboolean from_hub = FALSE;

  if (f->peer == NULL)
    {
      g_test_skip ("pouchdb-server is not installed");
      return;
    }
  text = other_kiosk_delivers (f, 2, "0b5e4d1c-0000-4000-8000-0000000000e1", TRUE);
  g_assert_null (look_up (f, f->hub, text, KIOSK_CITIZEN_STATUS_HUB_DEADLINE_S, &from_hub, &error));
  g_assert_error (error, KIOSK_CITIZEN_STATUS_ERROR, KIOSK_CITIZEN_STATUS_ERROR_UNREACHABLE);
  g_assert_nonnull (strstr (error->message, "citizen_status_by_receipt"));
  g_assert_cmpuint (kiosk_status_guard_get_wait (f->guard), ==, 0);
}

/* ---- One deadline for the whole lookup ------------------------------------ */

/* A hub that answers the view at once and then never the status document:
 * the first read takes nothing of the deadline, the second hangs. */
static gboolean
view_then_silence_cb (GThreadedSocketService *service,
                      GSocketConnection      *connection,
                      GObject                *source,
                      gpointer                user_data)
{
  GInputStream *in = g_io_stream_get_input_stream (G_IO_STREAM (connection));
  GOutputStream *out = g_io_stream_get_output_stream (G_IO_STREAM (connection));
  const char *view = "{\"rows\":[{\"id\":\"0b5e4d1c-0000-4000-8000-0000000000f1\","
                     "\"value\":{\"service_id\":\"bulky-waste\",\"created\":\"2026-09-01T10:00:00Z\"}}]}";
  char buf[4096];
  gssize n;

  n = g_input_stream_read (in, buf, sizeof buf - 1, NULL, NULL);
  if (n > 0 && (buf[n] = '\0', strstr (buf, "_view/") != NULL))
    {
      g_autofree char *answer = g_strdup_printf ("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                                                 "Content-Length: %zu\r\nConnection: close\r\n\r\n%s",
                                                 strlen (view), view);

      g_output_stream_write_all (out, answer, strlen (answer), NULL, NULL, NULL);
      return TRUE;
    }
  /* The status document: say nothing until the kiosk hangs up. */
  while (n > 0)
    n = g_input_stream_read (in, buf, sizeof buf, NULL, NULL);
  return TRUE;
}

/* The status document hangs: the lookup ends by its one overall deadline
 * ("no answer within 1 s"), not by a second per-read deadline after the
 * first.  The message tells which timer ended it; no time is measured. */
static void
test_one_deadline (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GSocketService) service = g_threaded_socket_service_new (4);
  g_autoptr(KioskCouchdbTarget) hub = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;
  gboolean from_hub = FALSE;
  guint16 port;

  if (f->peer == NULL)
    {
      g_test_skip ("pouchdb-server is not installed");
      return;
    }
  port = g_socket_listener_add_any_inet_port (G_SOCKET_LISTENER (service), NULL, &error);
  g_assert_no_error (error);
  g_signal_connect (service, "run", G_CALLBACK (view_then_silence_cb), NULL);
  g_socket_service_start (service);
  url = g_strdup_printf ("http://127.0.0.1:%u/stadtkiosk", port);
  hub = hub_for (f, url);
  g_assert_null (look_up (f, hub, f->other_code, 1, &from_hub, &error));
  g_assert_error (error, KIOSK_CITIZEN_STATUS_ERROR, KIOSK_CITIZEN_STATUS_ERROR_UNREACHABLE);
  g_assert_nonnull (strstr (error->message, "no answer within 1 s"));
  g_assert_true (from_hub);
  g_clear_object (&hub);
  g_socket_service_stop (service);
  g_socket_listener_close (G_SOCKET_LISTENER (service));
}

static int
run_ctl (const char *conf,
         ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  const char *arg;
  int wait_status;
  va_list ap;

  g_ptr_array_add (argv, (char *) g_getenv ("STADTKIOSK_CTL"));
  g_ptr_array_add (argv, "--config");
  g_ptr_array_add (argv, (char *) conf);
  va_start (ap, conf);
  while ((arg = va_arg (ap, const char *)) != NULL)
    g_ptr_array_add (argv, (char *) arg);
  va_end (ap);
  g_ptr_array_add (argv, NULL);
  g_assert_true (g_spawn_sync (NULL, (char **) argv->pdata, NULL, G_SPAWN_DEFAULT, NULL, NULL,
                               &out, &err, &wait_status, &error));
  g_assert_no_error (error);
  if (err != NULL && *err != '\0')
    g_test_message ("stadtkioskctl %s: %s", (char *) argv->pdata[3], err);
  return WIFEXITED (wait_status) ? WEXITSTATUS (wait_status) : -1;
}

static char *
secret_file (const char *dir,
             const char *name,
             const char *secret)
{
  char *path = g_build_filename (dir, name, NULL);

  g_assert_true (g_file_set_contents (path, secret, -1, NULL));
  g_assert_cmpint (g_chmod (path, 0600), ==, 0);
  return path;
}

/* The hub as `hub setup` and `hub add-kiosk` leave it (no admin party,
 * _security, the design document): the kiosk's own login (role kiosk) may
 * read the view and the status document.  Negative control: with a wrong
 * password the same lookup cannot ask (the hub enforces the login). */
static void
test_kiosk_login (void)
{
  HubPeer *peer = hub_peer_start (NULL, 0);
  g_autofree char *dir = NULL;
  g_autofree char *city_pw = NULL;
  g_autofree char *kiosk_pw = NULL;
  g_autofree char *wrong_pw = NULL;
  g_autofree char *db = NULL;
  g_autofree char *design = NULL;
  g_autofree char *admins = NULL;
  g_autofree char *conf = NULL;
  g_autofree char *conf_path = NULL;
  g_autofree char *wrong_conf = NULL;
  g_autofree char *wrong_conf_path = NULL;
  g_autofree char *url = NULL;
  g_autofree char *body = NULL;
  g_autofree char *code = kiosk_short_code_generate ("HSK");
  g_autoptr(JsonNode) answer = NULL;
  g_autoptr(GError) error = NULL;
  Fixture f = { 0 };
  g_autoptr(KioskConfig) config = NULL;
  g_autoptr(KioskConfig) wrong_config = NULL;
  g_autoptr(KioskCouchdbTarget) hub = NULL;
  g_autoptr(KioskCouchdbTarget) wrong = NULL;
  g_autoptr(KioskCitizenStatus) status = NULL;
  g_autofree char *db_path = NULL;
  gboolean from_hub = FALSE;
  guint http_status = 0;

  if (peer == NULL)
    {
      g_test_skip ("pouchdb-server is not installed");
      return;
    }
  if (g_getenv ("STADTKIOSK_CTL") == NULL)
    {
      g_test_skip ("STADTKIOSK_CTL is not set");
      hub_peer_free (peer);
      return;
    }
  dir = g_dir_make_tmp ("stadtkiosk-status-login-XXXXXX", &error);
  g_assert_no_error (error);
  admins = g_strdup_printf ("%s/_config/admins/city", hub_peer_get_url (peer));
  answer = hub_http ("PUT", admins, "\"city-secret\"", &http_status);
  g_assert_cmpuint (http_status, ==, 200);
  city_pw = secret_file (dir, "city.pw", "city-secret\n");
  kiosk_pw = secret_file (dir, "kiosk.pw", "kiosk-secret\n");
  wrong_pw = secret_file (dir, "wrong.pw", "guessed\n");
  db = g_strdup_printf ("%s/stadtkiosk", hub_peer_get_url (peer));
  design = g_build_filename (g_getenv ("G_TEST_SRCDIR"), "..", "data", "couchdb", "stadtkiosk-design.json", NULL);
  conf = g_strdup_printf ("[kiosk]\nid=test-kiosk\nstate-dir=%s\n\n[couchdb]\nurl=%s\nuser=kiosk-test-kiosk\n"
                          "password-file=%s\n\n[keys]\nseal=off\n", dir, db, kiosk_pw);
  conf_path = g_build_filename (dir, "kiosk.conf", NULL);
  g_assert_true (g_file_set_contents (conf_path, conf, -1, NULL));
  wrong_conf = g_strdup_printf ("[kiosk]\nid=test-kiosk\nstate-dir=%s\n\n[couchdb]\nurl=%s\nuser=kiosk-test-kiosk\n"
                                "password-file=%s\n\n[keys]\nseal=off\n", dir, db, wrong_pw);
  wrong_conf_path = g_build_filename (dir, "wrong.conf", NULL);
  g_assert_true (g_file_set_contents (wrong_conf_path, wrong_conf, -1, NULL));
  g_assert_cmpint (run_ctl (conf_path, "hub", "setup", "--user", "city", "--password-file", city_pw,
                            "--design", design, NULL), ==, 0);
  g_assert_cmpint (run_ctl (conf_path, "hub", "add-kiosk", "test-kiosk", "--kiosk-password-file", kiosk_pw,
                            "--user", "city", "--password-file", city_pw, NULL), ==, 0);

  /* Kiosk "other"'s request and the city's answer, written as the city. */
  url = g_strdup_printf ("%s/0b5e4d1c-0000-4000-8000-0000000000b1", db);
  body = g_strdup_printf ("{\"type\":\"submission\",\"kiosk_id\":\"other\",\"short_code\":\"%s\","
                          "\"service_id\":\"bulky-waste\",\"created\":\"2026-09-01T10:00:00Z\","
                          "\"answers\":{\"name\":\"Erika Mustermann\"}}", code);
  g_clear_pointer (&answer, json_node_unref);
  answer = hub_http_as ("city", "city-secret", "PUT", url, body, &http_status);
  g_assert_cmpuint (http_status, ==, 201);
  g_clear_pointer (&url, g_free);
  url = g_strdup_printf ("%s/status%%3A0b5e4d1c-0000-4000-8000-0000000000b1", db);
  g_clear_pointer (&answer, json_node_unref);
  answer = hub_http_as ("city", "city-secret", "PUT", url,
                        "{\"type\":\"status\",\"request_id\":\"0b5e4d1c-0000-4000-8000-0000000000b1\","
                        "\"kiosk_id\":\"other\",\"status\":\"done\",\"note\":{\"de\":\"Abgeholt\"},"
                        "\"updated\":\"2026-09-23T08:00:00Z\"}", &http_status);
  g_assert_cmpuint (http_status, ==, 201);
  /* Anonymous reads are refused: the login below is what lets the kiosk in. */
  g_clear_pointer (&answer, json_node_unref);
  g_clear_pointer (&url, g_free);
  url = g_strdup_printf ("%s/%s?key=%%22%s%%22", db, KIOSK_CITIZEN_STATUS_HUB_VIEW, code);
  answer = hub_http ("GET", url, NULL, &http_status);
  g_assert_cmpuint (http_status, ==, 401);

  f.dir = g_strdup (dir);
  f.clock = kiosk_clock_new_fake (G_GINT64_CONSTANT (1790000000) * G_USEC_PER_SEC);
  db_path = g_build_filename (dir, "kiosk.db", NULL);
  f.store = kiosk_store_open (db_path, &error);
  g_assert_no_error (error);
  f.outbox = kiosk_outbox_new (f.store, f.clock, "HSK", &error);
  g_assert_no_error (error);
  f.guard = kiosk_status_guard_new (f.clock);
  config = kiosk_config_new_from_file (conf_path, &error);
  g_assert_no_error (error);
  hub = kiosk_couchdb_target_new (config, f.clock, 1, &error);
  g_assert_no_error (error);
  wrong_config = kiosk_config_new_from_file (wrong_conf_path, &error);
  g_assert_no_error (error);
  wrong = kiosk_couchdb_target_new (wrong_config, f.clock, 1, &error);
  g_assert_no_error (error);

  status = look_up (&f, hub, code, KIOSK_CITIZEN_STATUS_HUB_DEADLINE_S, &from_hub, &error);
  g_assert_no_error (error);
  g_assert_true (from_hub);
  g_assert_cmpint (status->step, ==, KIOSK_CITIZEN_STEP_DONE);
  g_assert_cmpstr (status->service_id, ==, "bulky-waste");

  g_assert_null (look_up (&f, wrong, code, KIOSK_CITIZEN_STATUS_HUB_DEADLINE_S, &from_hub, &error));
  g_assert_error (error, KIOSK_CITIZEN_STATUS_ERROR, KIOSK_CITIZEN_STATUS_ERROR_UNREACHABLE);

  g_clear_object (&hub);
  g_clear_object (&wrong);
  g_assert_finalize_object (g_steal_pointer (&f.guard));
  g_assert_finalize_object (g_steal_pointer (&f.outbox));
  g_assert_finalize_object (g_steal_pointer (&f.store));
  g_clear_object (&f.clock);
  g_free (f.dir);
  kiosk_test_rm_rf (dir);
  hub_peer_free (peer);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/kiosk/citizen-status/hub/found", Fixture, GINT_TO_POINTER (0),
              fixture_set_up, test_found, fixture_tear_down);
  g_test_add ("/kiosk/citizen-status/hub/local-first", Fixture, GINT_TO_POINTER (0),
              fixture_set_up, test_local_first, fixture_tear_down);
  g_test_add ("/kiosk/citizen-status/hub/remote-misses-count", Fixture, GINT_TO_POINTER (0),
              fixture_set_up, test_remote_misses_count, fixture_tear_down);
  g_test_add ("/kiosk/citizen-status/hub/unreachable", Fixture, GINT_TO_POINTER (0),
              fixture_set_up, test_unreachable, fixture_tear_down);
  g_test_add ("/kiosk/citizen-status/hub/without-view", Fixture, GINT_TO_POINTER (1),
              fixture_set_up, test_without_view, fixture_tear_down);
  g_test_add ("/kiosk/citizen-status/hub/scan-found", Fixture, GINT_TO_POINTER (0),
              fixture_set_up, test_scan_found, fixture_tear_down);
  g_test_add ("/kiosk/citizen-status/hub/scan-not-findable", Fixture, GINT_TO_POINTER (0),
              fixture_set_up, test_scan_not_findable, fixture_tear_down);
  g_test_add ("/kiosk/citizen-status/hub/scan-without-view", Fixture, GINT_TO_POINTER (1),
              fixture_set_up, test_scan_without_view, fixture_tear_down);
  g_test_add ("/kiosk/citizen-status/hub/one-deadline", Fixture, GINT_TO_POINTER (0),
              fixture_set_up, test_one_deadline, fixture_tear_down);
  g_test_add_func ("/kiosk/citizen-status/hub/kiosk-login", test_kiosk_login);
  return g_test_run ();
}

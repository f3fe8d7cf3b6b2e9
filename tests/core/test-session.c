/* test-session.c — one citizen's session, without a display
 *
 * SPDX-FileCopyrightText: 2026 Stadtkiosk contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "stadtkiosk-core.h"
#include "kiosk-session.h"
#include "kiosk-test-util.h"

typedef struct
{
  char         *state_dir;
  KioskClock   *clock;
  KioskContext *context;
  KioskSession *session;
} Fixture;

static void
fixture_set_up_with (Fixture    *f,
                     const char *config_text)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KioskConfig) config = NULL;
  g_autofree char *path = NULL;
  g_autoptr(GString) text = g_string_new (config_text);

  f->state_dir = g_dir_make_tmp ("stadtkiosk-session-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (f->state_dir, "kiosk.conf", NULL);
  g_string_replace (text, "@STATE@", f->state_dir, 0);
  g_file_set_contents (path, text->str, -1, &error);
  g_assert_no_error (error);
  config = kiosk_config_new_from_file (path, &error);
  g_assert_no_error (error);
  kiosk_config_set_state_dir (config, f->state_dir);
  kiosk_keys_ensure_demo (config, &error);
  g_assert_no_error (error);

  f->clock = kiosk_clock_new_fake (G_GINT64_CONSTANT (1790000000) * G_USEC_PER_SEC);
  f->context = kiosk_context_new (config, f->clock, &error);
  g_assert_no_error (error);
  f->session = kiosk_session_new (f->context);
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  fixture_set_up_with (f, "[kiosk]\nlanguages=de;en;\n[keys]\nmode=demo\n[printer]\nbackend=pdf:@STATE@\n");
}

static void
fixture_set_up_broken_printer (Fixture       *f,
                               gconstpointer  data)
{
  fixture_set_up_with (f, "[keys]\nmode=demo\n[printer]\nbackend=pdf:@STATE@/no/such/dir\n");
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_assert_finalize_object (f->session);
  g_assert_finalize_object (f->context);
  g_clear_object (&f->clock);
  kiosk_test_rm_rf (f->state_dir);
  g_free (f->state_dir);
}

static guint
count_requests (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) all = kiosk_outbox_list (kiosk_context_get_outbox (f->context), -1, &error);

  g_assert_no_error (error);
  return all->len;
}

static guint
count_files (const char *dir,
             const char *suffix)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;
  guint n = 0;

  while (d != NULL && (name = g_dir_read_name (d)) != NULL)
    n += g_str_has_suffix (name, suffix);
  return n;
}

static void
set_answer (KioskSession *session,
            const char   *field_id,
            const char   *json)
{
  g_autoptr(JsonNode) node = json_from_string (json, NULL);

  g_assert_nonnull (node);
  kiosk_form_set_value (kiosk_session_get_form (session), field_id, node);
}

/* Runs the main loop until the printer has answered: the PDF backend
 * writes in a thread and reports back here.  No clock is involved. */
static void
wait_for_printer (KioskSession *session)
{
  while (kiosk_session_get_print_status (session) == KIOSK_PRINT_STATUS_PRINTING)
    g_main_context_iteration (NULL, TRUE);
}

static void
count_notify_cb (GObject    *object,
                 GParamSpec *pspec,
                 guint      *count)
{
  (*count)++;
}

/* Pick a service from the demo catalogue, fill in the form, send it, get a
 * receipt printed to the PDF backend, and start over. */
static void
test_citizen (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) due = NULL;
  g_autoptr(KioskRequest) delivered = NULL;
  g_autofree char *id = NULL;
  KioskForm *form;
  KioskRequest *request;
  const char *qr_text;
  guint form_notes = 0;
  guint status_notes = 0;

  g_signal_connect (f->session, "notify::form", G_CALLBACK (count_notify_cb), &form_notes);
  g_signal_connect (f->session, "notify::print-status", G_CALLBACK (count_notify_cb), &status_notes);

  g_assert_cmpstr (kiosk_session_get_language (f->session), ==, "de");
  g_assert_nonnull (kiosk_session_get_catalog (f->session));
  g_assert_false (kiosk_session_open_service (f->session, "no-such-service"));
  g_assert_null (kiosk_session_get_service (f->session));
  g_assert_true (kiosk_session_open_service (f->session, "report-problem"));
  g_assert_cmpstr (kiosk_service_get_id (kiosk_session_get_service (f->session)), ==, "report-problem");

  g_assert_true (kiosk_session_begin_form (f->session));
  form = kiosk_session_get_form (f->session);
  g_assert_nonnull (form);
  g_assert_cmpuint (form_notes, ==, 1);
  g_assert_cmpuint (kiosk_session_get_step (f->session), ==, 0);
  /* The lamp number only shows for a street light; the feedback step
   * is always there. */
  g_assert_cmpuint (kiosk_session_get_next_step (f->session, 1), ==, 1);
  g_assert_cmpuint (kiosk_session_get_next_step (f->session, 3), ==, kiosk_form_get_n_steps (form));

  set_answer (f->session, "kind", "\"litter\"");
  set_answer (f->session, "description", "\"Sperrmüll neben dem Spielplatz\"");
  set_answer (f->session, "location", "\"Almsstraße 15\"");
  kiosk_session_set_step (f->session, 2);

  g_assert_true (kiosk_session_submit (f->session, &error));
  g_assert_no_error (error);
  request = kiosk_session_get_request (f->session);
  g_assert_nonnull (request);
  g_assert_true (kiosk_session_get_sent (f->session));
  g_assert_false (kiosk_session_get_sending (f->session));
  g_assert_cmpuint (count_requests (f), ==, 1);
  /* The sealed payload, in digits, is what the QR code carries. */
  qr_text = kiosk_session_get_qr_text (f->session);
  g_assert_nonnull (qr_text);
  g_assert_cmpuint (strspn (qr_text, "0123456789"), ==, strlen (qr_text));
  g_assert_cmpuint (strlen (qr_text), >, 50);

  /* A second tap makes no second request. */
  g_assert_false (kiosk_session_submit (f->session, &error));
  g_assert_error (error, KIOSK_SESSION_ERROR, KIOSK_SESSION_ERROR_BUSY);
  g_clear_error (&error);
  g_assert_cmpuint (count_requests (f), ==, 1);

  g_assert_cmpint (kiosk_session_get_print_status (f->session), ==, KIOSK_PRINT_STATUS_NONE);
  kiosk_session_print_receipt (f->session);
  g_assert_cmpint (kiosk_session_get_print_status (f->session), ==, KIOSK_PRINT_STATUS_PRINTING);
  wait_for_printer (f->session);
  g_assert_cmpint (kiosk_session_get_print_status (f->session), ==, KIOSK_PRINT_STATUS_PRINTED);
  g_assert_cmpuint (status_notes, ==, 2);
  g_assert_cmpuint (count_files (f->state_dir, ".pdf"), ==, 1);
  /* Printed once: the receipt is gone from the session. */
  kiosk_session_print_receipt (f->session);
  g_assert_cmpint (kiosk_session_get_print_status (f->session), ==, KIOSK_PRINT_STATUS_PRINTED);

  /* The outbox delivers it: the session's request follows. */
  /* (The session swaps in the outbox's newer copy on every change.) */
  id = g_strdup (kiosk_request_get_id (request));
  due = kiosk_outbox_claim_due (kiosk_context_get_outbox (f->context), 10, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (due->len, ==, 1);
  delivered = kiosk_outbox_mark_delivered (kiosk_context_get_outbox (f->context),
                                           id, "CITY-1", &error);
  g_assert_no_error (error);
  g_assert_nonnull (delivered);
  g_assert_cmpint (kiosk_request_get_state (kiosk_session_get_request (f->session)), ==,
                   KIOSK_REQUEST_DELIVERED);

  kiosk_session_set_language (f->session, "en");
  kiosk_session_set_assisted (f->session, TRUE);
  kiosk_session_reset (f->session);
  g_assert_null (kiosk_session_get_service (f->session));
  g_assert_null (kiosk_session_get_form (f->session));
  g_assert_null (kiosk_session_get_request (f->session));
  g_assert_null (kiosk_session_get_qr_text (f->session));
  g_assert_false (kiosk_session_get_sent (f->session));
  g_assert_false (kiosk_session_get_assisted (f->session));
  g_assert_cmpuint (kiosk_session_get_step (f->session), ==, 0);
  g_assert_cmpint (kiosk_session_get_print_status (f->session), ==, KIOSK_PRINT_STATUS_NONE);
  g_assert_cmpstr (kiosk_session_get_language (f->session), ==, "de");
  g_assert_cmpuint (count_requests (f), ==, 1);
}

/* A form with a missing answer is not stored; the session points at the
 * step with the first wrong answer. */
static void
test_invalid (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  g_assert_false (kiosk_session_submit (f->session, &error));
  g_assert_error (error, KIOSK_SESSION_ERROR, KIOSK_SESSION_ERROR_BUSY);
  g_clear_error (&error);

  g_assert_true (kiosk_session_open_service (f->session, "report-problem"));
  g_assert_true (kiosk_session_begin_form (f->session));
  set_answer (f->session, "kind", "\"litter\"");
  set_answer (f->session, "description", "\"Sperrmüll\"");
  kiosk_session_set_step (f->session, 2);
  g_assert_false (kiosk_session_submit (f->session, &error));
  g_assert_error (error, KIOSK_SESSION_ERROR, KIOSK_SESSION_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_cmpuint (kiosk_session_get_step (f->session), ==, 1);   /* "location" */
  g_assert_false (kiosk_session_get_sending (f->session));
  g_assert_false (kiosk_session_get_sent (f->session));
  g_assert_null (kiosk_session_get_request (f->session));
  g_assert_cmpuint (count_requests (f), ==, 0);

  /* Corrected, it goes through. */
  set_answer (f->session, "location", "\"Almsstraße 15\"");
  g_assert_true (kiosk_session_submit (f->session, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (count_requests (f), ==, 1);
}

/* A refer service has no form; its slip prints once per tap and nothing
 * of the citizen is stored. */
static void
test_refer (Fixture       *f,
            gconstpointer  data)
{
  g_assert_true (kiosk_session_open_service (f->session, "resident-parking"));
  g_assert_false (kiosk_session_begin_form (f->session));
  g_assert_null (kiosk_session_get_form (f->session));

  kiosk_session_print_refer (f->session);
  g_assert_cmpint (kiosk_session_get_print_status (f->session), ==, KIOSK_PRINT_STATUS_PRINTING);
  kiosk_session_print_refer (f->session);   /* a double tap */
  wait_for_printer (f->session);
  g_assert_cmpint (kiosk_session_get_print_status (f->session), ==, KIOSK_PRINT_STATUS_PRINTED);
  g_assert_cmpuint (count_files (f->state_dir, ".pdf"), ==, 1);
  g_assert_cmpuint (count_requests (f), ==, 0);

  /* Not for a service that is not `refer`. */
  g_assert_true (kiosk_session_open_service (f->session, "report-problem"));
  kiosk_session_print_refer (f->session);
  g_assert_cmpint (kiosk_session_get_print_status (f->session), ==, KIOSK_PRINT_STATUS_NONE);
}

/* The receipt of a person who walked away still comes out, but what the
 * printer says is not shown to the next person.  Negative control: the
 * same print without the reset does report. */
static void
test_reset_while_printing (Fixture       *f,
                           gconstpointer  data)
{
  guint status_notes = 0;

  g_assert_true (kiosk_session_open_service (f->session, "resident-parking"));
  kiosk_session_print_refer (f->session);
  g_assert_cmpint (kiosk_session_get_print_status (f->session), ==, KIOSK_PRINT_STATUS_PRINTING);
  kiosk_session_reset (f->session);
  g_assert_cmpint (kiosk_session_get_print_status (f->session), ==, KIOSK_PRINT_STATUS_NONE);

  /* The next person taps "Print this" until the printer is free, that is
   * until the first slip's report has come back; that report changed
   * nothing.  Only the new slip's "printing" was announced. */
  g_signal_connect (f->session, "notify::print-status", G_CALLBACK (count_notify_cb), &status_notes);
  g_assert_true (kiosk_session_open_service (f->session, "resident-parking"));
  for (;;)
    {
      kiosk_session_print_refer (f->session);
      if (kiosk_session_get_print_status (f->session) != KIOSK_PRINT_STATUS_NONE)
        break;
      g_main_context_iteration (NULL, TRUE);
    }
  g_assert_cmpint (kiosk_session_get_print_status (f->session), ==, KIOSK_PRINT_STATUS_PRINTING);
  g_assert_cmpuint (status_notes, ==, 1);

  /* Control: without a reset, the report does arrive. */
  wait_for_printer (f->session);
  g_assert_cmpint (kiosk_session_get_print_status (f->session), ==, KIOSK_PRINT_STATUS_PRINTED);
  g_assert_cmpuint (status_notes, ==, 2);
  g_assert_cmpuint (count_files (f->state_dir, ".pdf"), ==, 2);
}

/* A failing printer: a calm status, the request kept, the failure on
 * record for the clerk's alerts. */
static void
test_printer_failure (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (kiosk_session_open_service (f->session, "report-problem"));
  g_assert_true (kiosk_session_begin_form (f->session));
  set_answer (f->session, "kind", "\"litter\"");
  set_answer (f->session, "description", "\"Sperrmüll\"");
  set_answer (f->session, "location", "\"Almsstraße 15\"");
  g_assert_true (kiosk_session_submit (f->session, &error));
  g_assert_no_error (error);
  kiosk_session_print_receipt (f->session);
  wait_for_printer (f->session);
  g_assert_cmpint (kiosk_session_get_print_status (f->session), ==, KIOSK_PRINT_STATUS_FAILED);
  g_assert_cmpuint (count_requests (f), ==, 1);
  g_assert_cmpuint (kiosk_audit_count_since (kiosk_context_get_store (f->context), "print failed", 0, NULL, NULL),
                    ==, 1);
}

/* What the benchmark will do a thousand times: one session after another
 * through the same object, each reset leaving nothing of the last (run it
 * under ASan to see that nothing leaks either). */
static void
test_many (Fixture       *f,
           gconstpointer  data)
{
  g_autoptr(GHashTable) codes = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  for (guint i = 0; i < 25; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *description = g_strdup_printf ("\"Sperrmüll Nr. %u\"", i);

      g_assert_true (kiosk_session_open_service (f->session, "report-problem"));
      g_assert_true (kiosk_session_begin_form (f->session));
      g_assert_null (kiosk_form_get_value (kiosk_session_get_form (f->session), "description"));
      set_answer (f->session, "kind", "\"litter\"");
      set_answer (f->session, "description", description);
      set_answer (f->session, "location", "\"Almsstraße 15\"");
      g_assert_true (kiosk_session_submit (f->session, &error));
      g_assert_no_error (error);
      g_hash_table_add (codes, g_strdup (kiosk_request_get_short_code (kiosk_session_get_request (f->session))));
      kiosk_session_reset (f->session);
      g_assert_null (kiosk_session_get_request (f->session));
    }
  g_assert_cmpuint (g_hash_table_size (codes), ==, 25);
  g_assert_cmpuint (count_requests (f), ==, 25);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/kiosk/session/citizen", Fixture, NULL, fixture_set_up, test_citizen, fixture_tear_down);
  g_test_add ("/kiosk/session/invalid", Fixture, NULL, fixture_set_up, test_invalid, fixture_tear_down);
  g_test_add ("/kiosk/session/refer", Fixture, NULL, fixture_set_up, test_refer, fixture_tear_down);
  g_test_add ("/kiosk/session/reset-while-printing", Fixture, NULL, fixture_set_up,
              test_reset_while_printing, fixture_tear_down);
  g_test_add ("/kiosk/session/printer-failure", Fixture, NULL, fixture_set_up_broken_printer,
              test_printer_failure, fixture_tear_down);
  g_test_add ("/kiosk/session/many", Fixture, NULL, fixture_set_up, test_many, fixture_tear_down);

  return g_test_run ();
}

/* test-citizen-status.c — "what became of my request?"
 *
 * SPDX-FileCopyrightText: 2026 Stadtkiosk contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>

#include "kiosk-citizen-status.h"
#include "kiosk-test-util.h"

typedef struct
{
  char        *dir;
  KioskClock  *clock;
  KioskStore  *store;
  KioskOutbox *outbox;
  KioskStatusGuard *guard;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;

  f->dir = g_dir_make_tmp ("stadtkiosk-status-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (f->dir, "kiosk.db", NULL);
  f->clock = kiosk_clock_new_fake (G_GINT64_CONSTANT (1790000000) * G_USEC_PER_SEC);
  f->store = kiosk_store_open (path, &error);
  g_assert_no_error (error);
  f->outbox = kiosk_outbox_new (f->store, f->clock, "HSK", &error);
  g_assert_no_error (error);
  f->guard = kiosk_status_guard_new (f->clock);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_assert_finalize_object (g_steal_pointer (&f->guard));
  g_assert_finalize_object (g_steal_pointer (&f->outbox));
  g_assert_finalize_object (g_steal_pointer (&f->store));
  g_clear_object (&f->clock);
  kiosk_test_rm_rf (f->dir);
  g_free (f->dir);
}

static KioskRequest *
enqueue (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) answers = g_bytes_new_static ("{\"name\":\"Erika Mustermann\"}", 27);
  KioskRequestDraft draft = {
    .service_id = "bulky-waste",
    .service_version = 1,
    .locale = "de",
    .answers = answers,
  };
  KioskRequest *request = kiosk_outbox_enqueue (f->outbox, &draft, "test", &error);

  g_assert_no_error (error);
  return request;
}

/* The code as people type it: lower case, without dashes, with spaces. */
static char *
as_typed (const char *code)
{
  g_autofree char *lower = g_ascii_strdown (code, -1);
  GString *typed = g_string_new (NULL);

  for (const char *p = lower; *p != '\0'; p++)
    if (*p == '-')
      g_string_append_c (typed, ' ');
    else
      g_string_append_c (typed, *p);
  return g_string_free (typed, FALSE);
}

static void
test_lookup (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(KioskRequest) request = enqueue (f);
  g_autoptr(KioskRequest) delivered = NULL;
  g_autoptr(GPtrArray) claimed = NULL;
  g_autofree char *typed = as_typed (kiosk_request_get_short_code (request));
  g_autoptr(KioskCitizenStatus) saved = NULL;
  g_autoptr(KioskCitizenStatus) sent = NULL;
  g_autoptr(GError) error = NULL;

  saved = kiosk_citizen_status_lookup (f->outbox, f->guard, typed, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (saved->short_code, ==, kiosk_request_get_short_code (request));
  g_assert_cmpstr (saved->service_id, ==, "bulky-waste");
  g_assert_cmpint (saved->created, ==, kiosk_request_get_created (request));
  g_assert_cmpint (saved->step, ==, KIOSK_CITIZEN_STEP_SAVED);

  claimed = kiosk_outbox_claim_due (f->outbox, 10, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (claimed->len, ==, 1);
  delivered = kiosk_outbox_mark_delivered (f->outbox, kiosk_request_get_id (request), "HI-2026-1", &error);
  g_assert_no_error (error);
  sent = kiosk_citizen_status_lookup (f->outbox, f->guard, typed, &error);
  g_assert_no_error (error);
  g_assert_cmpint (sent->step, ==, KIOSK_CITIZEN_STEP_SENT);

  /* The request's UUID is not a receipt code. */
  g_assert_null (kiosk_citizen_status_lookup (f->outbox, f->guard, kiosk_request_get_id (request), &error));
  g_assert_error (error, KIOSK_CITIZEN_STATUS_ERROR, KIOSK_CITIZEN_STATUS_ERROR_NOT_A_CODE);
}

static void
test_steps (void)
{
  g_assert_cmpint (kiosk_citizen_step_for (KIOSK_REQUEST_QUEUED, NULL), ==, KIOSK_CITIZEN_STEP_SAVED);
  g_assert_cmpint (kiosk_citizen_step_for (KIOSK_REQUEST_SENDING, NULL), ==, KIOSK_CITIZEN_STEP_SAVED);
  g_assert_cmpint (kiosk_citizen_step_for (KIOSK_REQUEST_DELIVERED, NULL), ==, KIOSK_CITIZEN_STEP_SENT);
  g_assert_cmpint (kiosk_citizen_step_for (KIOSK_REQUEST_DELIVERED, "received"), ==, KIOSK_CITIZEN_STEP_RECEIVED);
  g_assert_cmpint (kiosk_citizen_step_for (KIOSK_REQUEST_DELIVERED, "in_progress"), ==, KIOSK_CITIZEN_STEP_IN_PROGRESS);
  g_assert_cmpint (kiosk_citizen_step_for (KIOSK_REQUEST_PURGED, "done"), ==, KIOSK_CITIZEN_STEP_DONE);
  g_assert_cmpint (kiosk_citizen_step_for (KIOSK_REQUEST_DELIVERED, "rejected"), ==, KIOSK_CITIZEN_STEP_SEE_COUNTER);
  g_assert_cmpint (kiosk_citizen_step_for (KIOSK_REQUEST_DELIVERED, "something new"), ==, KIOSK_CITIZEN_STEP_SENT);
  g_assert_cmpint (kiosk_citizen_step_for (KIOSK_REQUEST_REJECTED, NULL), ==, KIOSK_CITIZEN_STEP_SEE_COUNTER);
  g_assert_cmpint (kiosk_citizen_step_for (KIOSK_REQUEST_CANCELLED, NULL), ==, KIOSK_CITIZEN_STEP_SEE_COUNTER);
  g_assert_cmpint (kiosk_citizen_step_for (KIOSK_REQUEST_HANDLED, NULL), ==, KIOSK_CITIZEN_STEP_DONE);
  /* Open311 says open/closed, the Submission API refused. */
  g_assert_cmpint (kiosk_citizen_step_for (KIOSK_REQUEST_DELIVERED, "open"), ==, KIOSK_CITIZEN_STEP_RECEIVED);
  g_assert_cmpint (kiosk_citizen_step_for (KIOSK_REQUEST_DELIVERED, "closed"), ==, KIOSK_CITIZEN_STEP_DONE);
  g_assert_cmpint (kiosk_citizen_step_for (KIOSK_REQUEST_DELIVERED, "refused"), ==, KIOSK_CITIZEN_STEP_SEE_COUNTER);
  /* The kiosk's own state wins before delivery. */
  g_assert_cmpint (kiosk_citizen_step_for (KIOSK_REQUEST_QUEUED, "done"), ==, KIOSK_CITIZEN_STEP_SAVED);
}

/* What the city reported back (the outbox's city_status, city_note,
 * city_updated) reaches the citizen: the step, the note in the citizen's
 * language, and when the kiosk heard it.  Before, the lookup passed no
 * city status and no note: "sent" for ever. */
static void
test_city_status (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(KioskRequest) request = enqueue (f);
  g_autoptr(KioskRequest) delivered = NULL;
  g_autoptr(GPtrArray) claimed = NULL;
  g_autoptr(GError) error = NULL;
  const char *code = kiosk_request_get_short_code (request);
  const char *id = kiosk_request_get_id (request);
  g_autofree char *long_note = NULL;
  gint64 heard;

  claimed = kiosk_outbox_claim_due (f->outbox, 10, &error);
  g_assert_no_error (error);
  delivered = kiosk_outbox_mark_delivered (f->outbox, id, "HI-2026-1", &error);
  g_assert_no_error (error);

  {
    g_autoptr(KioskCitizenStatus) status = kiosk_citizen_status_lookup (f->outbox, f->guard, code, &error);

    g_assert_no_error (error);
    g_assert_cmpint (status->step, ==, KIOSK_CITIZEN_STEP_SENT);
    g_assert_null (status->city_note);
    g_assert_cmpint (status->city_updated, ==, 0);
    g_assert_null (kiosk_citizen_status_dup_note (status, "de"));
  }

  kiosk_clock_advance (f->clock, G_TIME_SPAN_DAY);
  heard = kiosk_clock_get_now (f->clock);
  g_assert_true (kiosk_outbox_set_city_status (f->outbox, id, "in_progress",
                                               "{\"de\":\"Abholung am Montag\",\"en\":\"Pick-up on Monday\"}", &error));
  g_assert_no_error (error);
  {
    g_autoptr(KioskCitizenStatus) status = kiosk_citizen_status_lookup (f->outbox, f->guard, code, &error);
    g_autofree char *de = NULL, *en = NULL, *tr = NULL;

    g_assert_no_error (error);
    g_assert_cmpint (status->step, ==, KIOSK_CITIZEN_STEP_IN_PROGRESS);
    g_assert_cmpint (status->city_updated, ==, heard);
    de = kiosk_citizen_status_dup_note (status, "de");
    en = kiosk_citizen_status_dup_note (status, "en");
    tr = kiosk_citizen_status_dup_note (status, "tr");
    g_assert_cmpstr (de, ==, "Abholung am Montag");
    g_assert_cmpstr (en, ==, "Pick-up on Monday");
    g_assert_cmpstr (tr, ==, "Abholung am Montag");    /* German when the language is missing */
  }

  /* Open311: a plain note, made safe to show; a long one is cut. */
  g_assert_true (kiosk_outbox_set_city_status (f->outbox, id, "closed", "  Erledigt.\x01\tDanke!\n ", &error));
  {
    g_autoptr(KioskCitizenStatus) status = kiosk_citizen_status_lookup (f->outbox, f->guard, code, &error);
    g_autofree char *note = kiosk_citizen_status_dup_note (status, "en");

    g_assert_cmpint (status->step, ==, KIOSK_CITIZEN_STEP_DONE);
    g_assert_cmpstr (note, ==, "Erledigt.  Danke!");
  }
  long_note = g_strnfill (2000, 'x');
  g_assert_true (kiosk_outbox_set_city_status (f->outbox, id, "rejected", long_note, &error));
  {
    g_autoptr(KioskCitizenStatus) status = kiosk_citizen_status_lookup (f->outbox, f->guard, code, &error);
    g_autofree char *note = kiosk_citizen_status_dup_note (status, "de");

    g_assert_cmpint (status->step, ==, KIOSK_CITIZEN_STEP_SEE_COUNTER);
    g_assert_cmpuint (g_utf8_strlen (note, -1), ==, 501);
    g_assert_true (g_str_has_suffix (note, "…"));
  }
  /* A note object with nothing to read is no note. */
  g_assert_true (kiosk_outbox_set_city_status (f->outbox, id, "received", "{\"de\": 5}", &error));
  {
    g_autoptr(KioskCitizenStatus) status = kiosk_citizen_status_lookup (f->outbox, f->guard, code, &error);

    g_assert_cmpint (status->step, ==, KIOSK_CITIZEN_STEP_RECEIVED);
    g_assert_null (kiosk_citizen_status_dup_note (status, "de"));
  }
}

/* Guessing is slow: three wrong codes are free, then each try waits twice
 * as long, a right code does not reset that, and 15 quiet minutes do. */
static void
test_guessing_slows_down (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(KioskRequest) request = enqueue (f);
  g_autofree char *real = g_strdup (kiosk_request_get_short_code (request));
  g_autofree char *unknown = NULL;
  g_autoptr(GError) error = NULL;
  guint waits[] = { 0, 0, 5, 10, 20 };

  /* A well-formed code that this kiosk never made. */
  do
    {
      g_free (unknown);
      unknown = kiosk_outbox_new_short_code (f->outbox);
    }
  while (g_str_equal (unknown, real));

  for (guint i = 0; i < G_N_ELEMENTS (waits); i++)
    {
      g_assert_cmpuint (kiosk_status_guard_get_wait (f->guard), ==, 0);
      g_assert_null (kiosk_citizen_status_lookup (f->outbox, f->guard, i % 2 ? unknown : "HSK-XXXX-XXXX", &error));
      g_assert_error (error, KIOSK_CITIZEN_STATUS_ERROR,
                      (int) (i % 2 ? KIOSK_CITIZEN_STATUS_ERROR_UNKNOWN : KIOSK_CITIZEN_STATUS_ERROR_NOT_A_CODE));
      g_clear_error (&error);
      g_assert_cmpuint (kiosk_status_guard_get_wait (f->guard), ==, waits[i]);
      if (waits[i] > 0)
        {
          /* Even the right code waits. */
          g_assert_null (kiosk_citizen_status_lookup (f->outbox, f->guard, real, &error));
          g_assert_error (error, KIOSK_CITIZEN_STATUS_ERROR, KIOSK_CITIZEN_STATUS_ERROR_SLOW_DOWN);
          g_clear_error (&error);
          kiosk_clock_advance (f->clock, (gint64) waits[i] * G_USEC_PER_SEC);
        }
    }
  {
    g_autoptr(KioskCitizenStatus) status = kiosk_citizen_status_lookup (f->outbox, f->guard, real, &error);

    g_assert_no_error (error);
    g_assert_nonnull (status);
  }
  g_assert_null (kiosk_citizen_status_lookup (f->outbox, f->guard, unknown, &error));
  g_clear_error (&error);
  g_assert_cmpuint (kiosk_status_guard_get_wait (f->guard), ==, 40);

  kiosk_clock_advance (f->clock, 15 * 60 * G_USEC_PER_SEC);
  g_assert_cmpuint (kiosk_status_guard_get_wait (f->guard), ==, 0);
  g_assert_null (kiosk_citizen_status_lookup (f->outbox, f->guard, unknown, &error));
  g_clear_error (&error);
  g_assert_cmpuint (kiosk_status_guard_get_wait (f->guard), ==, 0);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add ("/kiosk/citizen-status/lookup", Fixture, NULL, fixture_set_up, test_lookup, fixture_tear_down);
  g_test_add_func ("/kiosk/citizen-status/steps", test_steps);
  g_test_add ("/kiosk/citizen-status/city-status", Fixture, NULL, fixture_set_up, test_city_status, fixture_tear_down);
  g_test_add ("/kiosk/citizen-status/guessing-slows-down", Fixture, NULL,
              fixture_set_up, test_guessing_slows_down, fixture_tear_down);
  return g_test_run ();
}

/* test-outbox.c
 *
 * SPDX-FileCopyrightText: 2026 Stadtkiosk contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "kiosk-outbox.h"
#include "kiosk-short-code.h"
#include "kiosk-store-private.h"

#define T0 (G_GINT64_CONSTANT (1764000000) * G_USEC_PER_SEC)

typedef struct
{
  char        *dir;
  char        *path;
  KioskClock  *clock;
  KioskStore  *store;
  KioskOutbox *outbox;
  GBytes      *answers;
  guint        changed;
  guint        work_due;
  guint        commits;
} Fixture;

static void
changed_cb (KioskOutbox  *outbox,
            KioskRequest *request,
            Fixture      *f)
{
  g_assert_true (KIOSK_IS_REQUEST (request));
  f->changed++;
}

static void
work_due_cb (KioskOutbox *outbox,
             Fixture     *f)
{
  f->work_due++;
}

static void
open_outbox (Fixture *f)
{
  g_autoptr(GError) error = NULL;

  f->store = kiosk_store_open (f->path, &error);
  g_assert_no_error (error);
  f->outbox = kiosk_outbox_new (f->store, f->clock, "HSK", &error);
  g_assert_no_error (error);
  g_signal_connect (f->outbox, "request-changed", G_CALLBACK (changed_cb), f);
  g_signal_connect (f->outbox, "work-due", G_CALLBACK (work_due_cb), f);
}

static void
close_outbox (Fixture *f)
{
  g_assert_finalize_object (g_steal_pointer (&f->outbox));
  g_assert_finalize_object (g_steal_pointer (&f->store));
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  f->dir = g_dir_make_tmp ("kiosk-outbox-XXXXXX", NULL);
  f->path = g_build_filename (f->dir, "stadtkiosk.db", NULL);
  f->clock = kiosk_clock_new_fake (T0);
  f->answers = g_bytes_new_static ("{\"street\":\"Marktplatz 1\"}", 25);
  open_outbox (f);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  const char *suffixes[] = { "", "-wal", "-shm", "-delivery.lock" };

  close_outbox (f);
  g_assert_finalize_object (g_steal_pointer (&f->clock));
  g_bytes_unref (f->answers);
  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *p = g_strconcat (f->path, suffixes[i], NULL);
      g_unlink (p);
    }
  g_rmdir (f->dir);
  g_free (f->dir);
  g_free (f->path);
}

static KioskRequest *
enqueue (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  KioskRequestDraft draft = {
    .service_id = "bulky-waste",
    .service_version = 2,
    .locale = "en",
    .answers = f->answers,
  };
  KioskRequest *request = kiosk_outbox_enqueue (f->outbox, &draft, "test", &error);

  g_assert_no_error (error);
  g_assert_nonnull (request);
  return request;
}

static void
test_enqueue (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(KioskRequest) request = NULL;
  g_autoptr(KioskRequest) again = NULL;
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(GError) error = NULL;
  KioskRequestEvent *event;

  request = enqueue (f);
  g_assert_true (g_uuid_string_is_valid (kiosk_request_get_id (request)));
  g_assert_true (kiosk_short_code_is_valid (kiosk_request_get_short_code (request)));
  g_assert_true (g_str_has_prefix (kiosk_request_get_short_code (request), "HSK-"));
  g_assert_cmpstr (kiosk_request_get_service_id (request), ==, "bulky-waste");
  g_assert_cmpuint (kiosk_request_get_service_version (request), ==, 2);
  g_assert_cmpstr (kiosk_request_get_locale (request), ==, "en");
  g_assert_cmpint (kiosk_request_get_created (request), ==, T0);
  g_assert_cmpint (kiosk_request_get_state (request), ==, KIOSK_REQUEST_QUEUED);
  g_assert_cmpuint (kiosk_request_get_attempts (request), ==, 0);
  g_assert_cmpint (kiosk_request_get_next_attempt (request), ==, T0);
  g_assert_true (g_bytes_equal (kiosk_request_get_answers (request), f->answers));
  g_assert_cmpint (kiosk_request_get_answers_format (request), ==, KIOSK_ANSWERS_JSON);
  g_assert_cmpuint (f->changed, ==, 1);
  g_assert_cmpuint (f->work_due, ==, 1);

  /* found by id and by the short code as a person types it */
  {
    g_autofree char *typed = g_ascii_strdown (kiosk_request_get_short_code (request), -1);
    again = kiosk_outbox_get (f->outbox, typed, &error);
    g_assert_no_error (error);
    g_assert_cmpstr (kiosk_request_get_id (again), ==, kiosk_request_get_id (request));
    /* enqueue's snapshot (not read back) is exactly the stored row */
    g_assert_cmpstr (kiosk_request_get_short_code (again), ==, kiosk_request_get_short_code (request));
    g_assert_cmpstr (kiosk_request_get_service_id (again), ==, kiosk_request_get_service_id (request));
    g_assert_cmpuint (kiosk_request_get_service_version (again), ==, kiosk_request_get_service_version (request));
    g_assert_cmpstr (kiosk_request_get_locale (again), ==, kiosk_request_get_locale (request));
    g_assert_cmpint (kiosk_request_get_created (again), ==, kiosk_request_get_created (request));
    g_assert_cmpint (kiosk_request_get_updated (again), ==, kiosk_request_get_updated (request));
    g_assert_cmpint (kiosk_request_get_state (again), ==, kiosk_request_get_state (request));
    g_assert_cmpuint (kiosk_request_get_attempts (again), ==, kiosk_request_get_attempts (request));
    g_assert_cmpint (kiosk_request_get_next_attempt (again), ==, kiosk_request_get_next_attempt (request));
    g_assert_cmpstr (kiosk_request_get_last_error (again), ==, kiosk_request_get_last_error (request));
    g_assert_cmpstr (kiosk_request_get_remote_ref (again), ==, kiosk_request_get_remote_ref (request));
    g_assert_cmpint (kiosk_request_get_flags (again), ==, kiosk_request_get_flags (request));
    g_assert_cmpint (kiosk_request_get_answers_format (again), ==, kiosk_request_get_answers_format (request));
    g_assert_cmpstr (kiosk_request_get_origin_kiosk_id (again), ==, kiosk_request_get_origin_kiosk_id (request));
    g_assert_true (g_bytes_equal (kiosk_request_get_answers (again), kiosk_request_get_answers (request)));
  }

  events = kiosk_outbox_list_events (f->outbox, kiosk_request_get_id (request), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (events->len, ==, 1);
  event = events->pdata[0];
  g_assert_cmpint (event->from_state, ==, KIOSK_REQUEST_N_STATES);
  g_assert_cmpint (event->to_state, ==, KIOSK_REQUEST_QUEUED);
  g_assert_cmpstr (event->actor, ==, "test");
}

static void
test_enqueue_invalid (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KioskRequest) first = enqueue (f);
  g_autoptr(KioskRequest) dup = NULL;
  KioskRequestDraft draft = {
    .id = kiosk_request_get_id (first),
    .service_id = "s", .service_version = 1, .locale = "de", .answers = f->answers,
  };
  KioskRequestDraft missing = { .service_id = "s", .locale = "de" };
  KioskRequestDraft not_uuid = { .id = "42", .service_id = "s", .locale = "de", .answers = f->answers };
  KioskRequestDraft bad_code = { .short_code = "HSK-0000-0001", .service_id = "s", .locale = "de",
                                 .answers = f->answers };

  dup = kiosk_outbox_enqueue (f->outbox, &draft, "test", &error);
  g_assert_null (dup);
  g_assert_error (error, KIOSK_OUTBOX_ERROR, KIOSK_OUTBOX_ERROR_EXISTS);
  g_clear_error (&error);

  g_assert_null (kiosk_outbox_enqueue (f->outbox, &missing, "test", &error));
  g_assert_error (error, KIOSK_OUTBOX_ERROR, KIOSK_OUTBOX_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_null (kiosk_outbox_enqueue (f->outbox, &not_uuid, "test", &error));
  g_assert_error (error, KIOSK_OUTBOX_ERROR, KIOSK_OUTBOX_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_null (kiosk_outbox_enqueue (f->outbox, &bad_code, "test", &error));
  g_assert_error (error, KIOSK_OUTBOX_ERROR, KIOSK_OUTBOX_ERROR_INVALID);
  g_clear_error (&error);

  g_assert_null (kiosk_outbox_get (f->outbox, "7c0e6d43-0000-4000-8000-000000000000", &error));
  g_assert_error (error, KIOSK_OUTBOX_ERROR, KIOSK_OUTBOX_ERROR_NOT_FOUND);
}

static void
test_delivery_path (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(KioskRequest) request = enqueue (f);
  g_autoptr(KioskRequest) retried = NULL;
  g_autoptr(KioskRequest) delivered = NULL;
  g_autoptr(GPtrArray) claimed = NULL;
  g_autoptr(GPtrArray) none = NULL;
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(GError) error = NULL;
  const char *id = kiosk_request_get_id (request);
  guint counts[KIOSK_REQUEST_N_STATES];

  claimed = kiosk_outbox_claim_due (f->outbox, 4, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (claimed->len, ==, 1);
  g_assert_cmpint (kiosk_request_get_state (claimed->pdata[0]), ==, KIOSK_REQUEST_SENDING);
  g_assert_cmpuint (kiosk_request_get_attempts (claimed->pdata[0]), ==, 1);

  retried = kiosk_outbox_mark_retry (f->outbox, id, T0 + 30 * G_USEC_PER_SEC, "connection refused", &error);
  g_assert_no_error (error);
  g_assert_cmpint (kiosk_request_get_state (retried), ==, KIOSK_REQUEST_QUEUED);
  g_assert_cmpstr (kiosk_request_get_last_error (retried), ==, "connection refused");
  g_assert_cmpint (kiosk_outbox_get_next_due (f->outbox), ==, T0 + 30 * G_USEC_PER_SEC);

  /* not due yet */
  none = kiosk_outbox_claim_due (f->outbox, 4, &error);
  g_assert_cmpuint (none->len, ==, 0);
  g_clear_pointer (&claimed, g_ptr_array_unref);
  kiosk_clock_advance (f->clock, 30 * G_USEC_PER_SEC);
  claimed = kiosk_outbox_claim_due (f->outbox, 4, &error);
  g_assert_cmpuint (claimed->len, ==, 1);
  g_assert_cmpuint (kiosk_request_get_attempts (claimed->pdata[0]), ==, 2);

  delivered = kiosk_outbox_mark_delivered (f->outbox, id, "HI-2026-000042", &error);
  g_assert_no_error (error);
  g_assert_cmpint (kiosk_request_get_state (delivered), ==, KIOSK_REQUEST_DELIVERED);
  g_assert_cmpstr (kiosk_request_get_remote_ref (delivered), ==, "HI-2026-000042");
  g_assert_null (kiosk_request_get_last_error (delivered));
  g_assert_cmpint (kiosk_outbox_get_oldest_undelivered (f->outbox), ==, -1);

  g_assert_true (kiosk_outbox_count_by_state (f->outbox, counts, &error));
  g_assert_cmpuint (counts[KIOSK_REQUEST_DELIVERED], ==, 1);
  g_assert_cmpuint (counts[KIOSK_REQUEST_QUEUED], ==, 0);

  events = kiosk_outbox_list_events (f->outbox, id, &error);
  g_assert_cmpuint (events->len, ==, 5); /* created, sending, queued, sending, delivered */
  g_assert_cmpint (((KioskRequestEvent *) events->pdata[4])->to_state, ==, KIOSK_REQUEST_DELIVERED);
}

static void
test_rejected_requeued_cancelled (Fixture       *f,
                                  gconstpointer  data)
{
  g_autoptr(KioskRequest) a = enqueue (f);
  g_autoptr(KioskRequest) b = enqueue (f);
  g_autoptr(GPtrArray) claimed = NULL;
  g_autoptr(KioskRequest) rejected = NULL;
  g_autoptr(KioskRequest) requeued = NULL;
  g_autoptr(KioskRequest) cancelled = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_cmpstr (kiosk_request_get_id (a), !=, kiosk_request_get_id (b));

  claimed = kiosk_outbox_claim_due (f->outbox, 1, &error);
  g_assert_cmpuint (claimed->len, ==, 1);
  rejected = kiosk_outbox_mark_rejected (f->outbox, kiosk_request_get_id (claimed->pdata[0]),
                                         "postal code 12345 is not in Hildesheim", &error);
  g_assert_no_error (error);
  g_assert_cmpint (kiosk_request_get_state (rejected), ==, KIOSK_REQUEST_REJECTED);
  g_assert_cmpint (kiosk_outbox_get_oldest_undelivered (f->outbox), ==, T0);

  f->work_due = 0;
  requeued = kiosk_outbox_retry_now (f->outbox, kiosk_request_get_id (rejected), "clerk", &error);
  g_assert_no_error (error);
  g_assert_cmpint (kiosk_request_get_state (requeued), ==, KIOSK_REQUEST_QUEUED);
  g_assert_cmpuint (f->work_due, ==, 1);

  /* a reason is required */
  g_assert_null (kiosk_outbox_cancel (f->outbox, kiosk_request_get_id (b), "", "clerk", &error));
  g_assert_error (error, KIOSK_OUTBOX_ERROR, KIOSK_OUTBOX_ERROR_INVALID);
  g_clear_error (&error);
  cancelled = kiosk_outbox_cancel (f->outbox, kiosk_request_get_short_code (b), "citizen withdrew", "clerk", &error);
  g_assert_no_error (error);
  g_assert_cmpint (kiosk_request_get_state (cancelled), ==, KIOSK_REQUEST_CANCELLED);
  g_assert_cmpstr (kiosk_request_get_last_error (cancelled), ==, "citizen withdrew");
}

/* Every pair of states: what the state machine allows, and nothing else. */
static void
test_transition_table (Fixture       *f,
                       gconstpointer  data)
{
  static const gboolean allowed[KIOSK_REQUEST_N_STATES][KIOSK_REQUEST_N_STATES] = {
    /*               queued sending delivered rejected cancelled handled purged */
    /* queued    */ { 1,     1,      0,        0,       1,        1,      0 },
    /* sending   */ { 1,     0,      1,        1,       0,        1,      0 },
    /* delivered */ { 0,     0,      0,        0,       0,        1,      1 },
    /* rejected  */ { 1,     0,      0,        0,       1,        1,      0 },
    /* cancelled */ { 0,     0,      0,        0,       0,        1,      1 },
    /* handled   */ { 0,     0,      0,        0,       0,        0,      1 },
    /* purged    */ { 0,     0,      0,        0,       0,        1,      0 },
  };

  for (guint from = 0; from < KIOSK_REQUEST_N_STATES; from++)
    for (guint to = 0; to < KIOSK_REQUEST_N_STATES; to++)
      {
        if (kiosk_request_state_can_transition (from, to) != allowed[from][to])
          g_test_message ("%s -> %s", kiosk_request_state_to_string (from), kiosk_request_state_to_string (to));
        g_assert_cmpint (kiosk_request_state_can_transition (from, to), ==, allowed[from][to]);
      }
}

/* Operations that do not fit the request's state are refused and change
 * nothing. */
static void
test_illegal_transitions (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(KioskRequest) request = enqueue (f);
  const char *id = kiosk_request_get_id (request);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) claimed = NULL;
  g_autoptr(KioskRequest) delivered = NULL;
  g_autoptr(KioskRequest) after = NULL;
  g_autoptr(GPtrArray) events = NULL;

  /* queued: cannot be delivered, rejected or released without being sent */
  g_assert_null (kiosk_outbox_mark_delivered (f->outbox, id, "x", &error));
  g_assert_error (error, KIOSK_OUTBOX_ERROR, KIOSK_OUTBOX_ERROR_ILLEGAL_TRANSITION);
  g_assert_nonnull (strstr (error->message, "is queued and cannot become delivered"));
  g_clear_error (&error);
  g_assert_null (kiosk_outbox_mark_rejected (f->outbox, id, "x", &error));
  g_assert_error (error, KIOSK_OUTBOX_ERROR, KIOSK_OUTBOX_ERROR_ILLEGAL_TRANSITION);
  g_clear_error (&error);
  g_assert_null (kiosk_outbox_mark_retry (f->outbox, id, T0, "x", &error));
  g_assert_error (error, KIOSK_OUTBOX_ERROR, KIOSK_OUTBOX_ERROR_ILLEGAL_TRANSITION);
  g_clear_error (&error);

  claimed = kiosk_outbox_claim_due (f->outbox, 1, &error);
  delivered = kiosk_outbox_mark_delivered (f->outbox, id, "ref", &error);
  g_assert_no_error (error);

  /* delivered: no retry, no cancel, no second delivery */
  g_assert_null (kiosk_outbox_retry_now (f->outbox, id, "clerk", &error));
  g_assert_error (error, KIOSK_OUTBOX_ERROR, KIOSK_OUTBOX_ERROR_ILLEGAL_TRANSITION);
  g_clear_error (&error);
  g_assert_null (kiosk_outbox_cancel (f->outbox, id, "why", "clerk", &error));
  g_assert_error (error, KIOSK_OUTBOX_ERROR, KIOSK_OUTBOX_ERROR_ILLEGAL_TRANSITION);
  g_clear_error (&error);
  g_assert_null (kiosk_outbox_mark_delivered (f->outbox, id, "again", &error));
  g_assert_error (error, KIOSK_OUTBOX_ERROR, KIOSK_OUTBOX_ERROR_ILLEGAL_TRANSITION);
  g_clear_error (&error);

  after = kiosk_outbox_get (f->outbox, id, &error);
  g_assert_cmpint (kiosk_request_get_state (after), ==, KIOSK_REQUEST_DELIVERED);
  g_assert_cmpstr (kiosk_request_get_remote_ref (after), ==, "ref");
  events = kiosk_outbox_list_events (f->outbox, id, &error);
  g_assert_cmpuint (events->len, ==, 3);

  /* but handled at the counter is always possible, once */
  g_clear_object (&after);
  after = kiosk_outbox_mark_handled (f->outbox, id, "seen at the counter", "clerk", &error);
  g_assert_no_error (error);
  g_assert_cmpint (kiosk_request_get_state (after), ==, KIOSK_REQUEST_HANDLED);
  g_assert_null (kiosk_outbox_mark_handled (f->outbox, id, "twice", "clerk", &error));
  g_assert_error (error, KIOSK_OUTBOX_ERROR, KIOSK_OUTBOX_ERROR_ILLEGAL_TRANSITION);
}

/* A process that died while sending leaves `sending` rows; the next start
 * puts them back to `queued` with a line in their history. */
static void
test_crash_recovery (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(KioskRequest) a = enqueue (f);
  g_autoptr(KioskRequest) b = enqueue (f);
  g_autoptr(KioskRequest) a_after = NULL;
  g_autoptr(GPtrArray) claimed = NULL;
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(GError) error = NULL;
  KioskRequestEvent *last;

  g_assert_cmpstr (kiosk_request_get_short_code (a), !=, kiosk_request_get_short_code (b));

  claimed = kiosk_outbox_claim_due (f->outbox, 4, &error);
  g_assert_cmpuint (claimed->len, ==, 2);

  /* the "crash": drop everything without finishing the sends */
  close_outbox (f);
  kiosk_clock_advance (f->clock, 5 * G_USEC_PER_SEC);
  open_outbox (f);

  /* Opening recovers nothing (#12): a reader must not re-queue what a
   * living process is sending.  The next delivery owner does. */
  a_after = kiosk_outbox_get (f->outbox, kiosk_request_get_id (a), &error);
  g_assert_no_error (error);
  g_assert_cmpint (kiosk_request_get_state (a_after), ==, KIOSK_REQUEST_SENDING);
  g_clear_object (&a_after);
  g_assert_cmpuint (kiosk_outbox_recover (f->outbox, &error), ==, 2);
  g_assert_no_error (error);

  a_after = kiosk_outbox_get (f->outbox, kiosk_request_get_id (a), &error);
  g_assert_no_error (error);
  g_assert_cmpint (kiosk_request_get_state (a_after), ==, KIOSK_REQUEST_QUEUED);
  g_assert_cmpuint (kiosk_request_get_attempts (a_after), ==, 1);

  events = kiosk_outbox_list_events (f->outbox, kiosk_request_get_id (a), &error);
  last = events->pdata[events->len - 1];
  g_assert_cmpint (last->from_state, ==, KIOSK_REQUEST_SENDING);
  g_assert_cmpint (last->to_state, ==, KIOSK_REQUEST_QUEUED);
  g_assert_nonnull (strstr (last->detail, "restart"));

  g_clear_pointer (&claimed, g_ptr_array_unref);
  claimed = kiosk_outbox_claim_due (f->outbox, 4, &error);
  g_assert_cmpuint (claimed->len, ==, 2);
}

/* One delivery owner (#12): a second outbox on the same file (as a second
 * process would have; flock excludes two opens in one process too) neither
 * claims nor recovers nor cancels what the first is sending. */
static void
test_one_delivery_owner (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(KioskRequest) a = enqueue (f);
  g_autoptr(KioskRequest) b = enqueue (f);
  g_autoptr(KioskRequest) after = NULL;
  g_autoptr(GPtrArray) claimed = NULL;
  g_autoptr(GPtrArray) other_claimed = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(KioskStore) other_store = NULL;
  g_autoptr(KioskOutbox) other = NULL;

  claimed = kiosk_outbox_claim_due (f->outbox, 1, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (claimed->len, ==, 1);

  other_store = kiosk_store_open (f->path, &error);
  g_assert_no_error (error);
  other = kiosk_outbox_new (other_store, f->clock, "HSK", &error);
  g_assert_no_error (error);

  /* Opening did not recover the request being sent. */
  after = kiosk_outbox_get (other, kiosk_request_get_id (claimed->pdata[0]), &error);
  g_assert_cmpint (kiosk_request_get_state (after), ==, KIOSK_REQUEST_SENDING);
  g_clear_object (&after);

  /* Nor may it claim, recover or cancel. */
  other_claimed = kiosk_outbox_claim_due (other, 4, &error);
  g_assert_null (other_claimed);
  g_assert_error (error, KIOSK_OUTBOX_ERROR, KIOSK_OUTBOX_ERROR_BUSY);
  g_clear_error (&error);
  g_assert_cmpuint (kiosk_outbox_recover (other, &error), ==, G_MAXUINT);
  g_assert_error (error, KIOSK_OUTBOX_ERROR, KIOSK_OUTBOX_ERROR_BUSY);
  g_clear_error (&error);
  after = kiosk_outbox_cancel (other, kiosk_request_get_id (claimed->pdata[0]), "withdrawn", "clerk", &error);
  g_assert_null (after);
  g_assert_error (error, KIOSK_OUTBOX_ERROR, KIOSK_OUTBOX_ERROR_BUSY);
  g_assert_nonnull (strstr (error->message, "being sent right now"));
  g_clear_error (&error);
  /* A queued request is another matter: cancelling it is fine. */
  after = kiosk_outbox_cancel (other,
                               g_str_equal (kiosk_request_get_id (claimed->pdata[0]), kiosk_request_get_id (a)) ?
                               kiosk_request_get_id (b) : kiosk_request_get_id (a), "withdrawn", "clerk", &error);
  g_assert_no_error (error);
  g_assert_cmpint (kiosk_request_get_state (after), ==, KIOSK_REQUEST_CANCELLED);
  g_clear_object (&after);

  /* The owner ends (a crash, as far as the file knows): the other takes
   * over and recovers what it left. */
  g_clear_pointer (&claimed, g_ptr_array_unref);
  close_outbox (f);
  g_assert_cmpuint (kiosk_outbox_recover (other, &error), ==, 1);
  g_assert_no_error (error);
  g_assert_finalize_object (g_steal_pointer (&other));
  g_assert_finalize_object (g_steal_pointer (&other_store));
  open_outbox (f);
}

static void
test_list_and_limits (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) all = NULL;
  g_autoptr(GPtrArray) claimed = NULL;
  g_autoptr(GPtrArray) queued = NULL;

  for (guint i = 0; i < 10; i++)
    {
      g_autoptr(KioskRequest) r = enqueue (f);

      g_assert_cmpint (kiosk_request_get_state (r), ==, KIOSK_REQUEST_QUEUED);
      kiosk_clock_advance (f->clock, G_USEC_PER_SEC);
    }
  claimed = kiosk_outbox_claim_due (f->outbox, 4, &error);
  g_assert_cmpuint (claimed->len, ==, 4);
  /* oldest first */
  g_assert_cmpint (kiosk_request_get_created (claimed->pdata[0]), ==, T0);

  all = kiosk_outbox_list (f->outbox, -1, &error);
  g_assert_cmpuint (all->len, ==, 10);
  queued = kiosk_outbox_list (f->outbox, KIOSK_REQUEST_QUEUED, &error);
  g_assert_cmpuint (queued->len, ==, 6);
}

/* Counts COMMITs on the store's connection. */
static int
commit_hook_cb (void *user_data)
{
  Fixture *f = user_data;

  f->commits++;
  return 0;   /* let it commit */
}

static void
watch_commits (Fixture *f)
{
  sqlite3_commit_hook (_kiosk_store_get_db (f->store), commit_hook_cb, f);
  f->commits = 0;
}

/* Enqueues @n requests and claims them all. */
static GPtrArray *
enqueue_sending (Fixture *f,
                 guint    n)
{
  g_autoptr(GPtrArray) claimed = NULL;
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < n; i++)
    g_object_unref (enqueue (f));
  claimed = kiosk_outbox_claim_due (f->outbox, n, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (claimed->len, ==, n);
  return g_steal_pointer (&claimed);
}

static KioskRequestEvent *
last_event (Fixture    *f,
            const char *id,
            guint      *out_n)
{
  g_autoptr(GPtrArray) events = kiosk_outbox_list_events (f->outbox, id, NULL);
  KioskRequestEvent *event;

  g_assert_nonnull (events);
  g_assert_cmpuint (events->len, >, 0);
  *out_n = events->len;
  event = g_ptr_array_steal_index (events, events->len - 1);
  return event;
}

static KioskRequestState
state_of (Fixture    *f,
          const char *id)
{
  g_autoptr(KioskRequest) request = kiosk_outbox_get (f->outbox, id, NULL);

  g_assert_nonnull (request);
  return kiosk_request_get_state (request);
}

/* Four outcomes of each kind in one transaction: each as its single
 * function would record it, each with its event line, one COMMIT. */
static void
test_apply (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(GPtrArray) claimed = enqueue_sending (f, 4);
  g_autoptr(GPtrArray) requests = NULL;
  g_autoptr(GPtrArray) errors = NULL;
  g_autoptr(GError) error = NULL;
  KioskOutcomeRecord records[] = {
    { kiosk_request_get_id (claimed->pdata[0]), KIOSK_OUTBOX_MARK_DELIVERED, "HI-2026-000001", 0 },
    { kiosk_request_get_id (claimed->pdata[1]), KIOSK_OUTBOX_MARK_RETRY, "HTTP 503", T0 + 60 * G_USEC_PER_SEC },
    { kiosk_request_get_id (claimed->pdata[2]), KIOSK_OUTBOX_MARK_REJECTED, "plz: not in Hildesheim", 0 },
    { kiosk_request_get_id (claimed->pdata[3]), KIOSK_OUTBOX_MARK_RELEASE, "sync paused", 0 },
  };
  const KioskRequestState expected[] = {
    KIOSK_REQUEST_DELIVERED, KIOSK_REQUEST_QUEUED, KIOSK_REQUEST_REJECTED, KIOSK_REQUEST_QUEUED,
  };
  KioskRequest *r;

  f->changed = 0;
  f->work_due = 0;
  watch_commits (f);
  kiosk_clock_advance (f->clock, G_USEC_PER_SEC);
  g_assert_true (kiosk_outbox_apply (f->outbox, records, G_N_ELEMENTS (records), &requests, &errors, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (f->commits, ==, 1);
  g_assert_cmpuint (f->changed, ==, 4);
  g_assert_cmpuint (f->work_due, ==, 1);   /* the released one is due now; the retry is not */
  g_assert_cmpuint (requests->len, ==, 4);
  g_assert_cmpuint (errors->len, ==, 4);

  for (guint i = 0; i < G_N_ELEMENTS (records); i++)
    {
      g_autoptr(KioskRequestEvent) event = NULL;
      guint n_events;

      g_assert_null (errors->pdata[i]);
      g_assert_nonnull (requests->pdata[i]);
      g_assert_cmpstr (kiosk_request_get_id (requests->pdata[i]), ==, records[i].id);
      g_assert_cmpint (kiosk_request_get_state (requests->pdata[i]), ==, expected[i]);
      g_assert_cmpint (state_of (f, records[i].id), ==, expected[i]);
      g_assert_cmpuint (kiosk_request_get_attempts (requests->pdata[i]), ==, 1);

      event = last_event (f, records[i].id, &n_events);
      g_assert_cmpuint (n_events, ==, 3);   /* created, sending, the outcome */
      g_assert_cmpint (event->from_state, ==, KIOSK_REQUEST_SENDING);
      g_assert_cmpint (event->to_state, ==, expected[i]);
      g_assert_cmpstr (event->actor, ==, "sync");
      g_assert_cmpstr (event->detail, ==, records[i].text);
      g_assert_cmpint (event->at_us, ==, T0 + G_USEC_PER_SEC);
    }

  r = requests->pdata[0];
  g_assert_cmpstr (kiosk_request_get_remote_ref (r), ==, "HI-2026-000001");
  g_assert_null (kiosk_request_get_last_error (r));
  r = requests->pdata[1];
  g_assert_cmpint (kiosk_request_get_next_attempt (r), ==, T0 + 60 * G_USEC_PER_SEC);
  g_assert_cmpstr (kiosk_request_get_last_error (r), ==, "HTTP 503");
  r = requests->pdata[2];
  g_assert_cmpstr (kiosk_request_get_last_error (r), ==, "plz: not in Hildesheim");
  r = requests->pdata[3];
  g_assert_cmpint (kiosk_request_get_next_attempt (r), <=, T0 + G_USEC_PER_SEC);
  g_assert_null (kiosk_request_get_last_error (r));   /* a release blames nobody */

  /* Nothing to record is no transaction at all. */
  g_assert_true (kiosk_outbox_apply (f->outbox, NULL, 0, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (f->commits, ==, 1);
}

/* A record that cannot be applied in the middle of a batch is skipped and
 * reported; the records before and after it are committed. */
static void
test_apply_illegal (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GPtrArray) claimed = enqueue_sending (f, 3);
  g_autoptr(GPtrArray) requests = NULL;
  g_autoptr(GPtrArray) errors = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(KioskRequest) handled = NULL;
  g_autofree char *unknown = g_uuid_string_random ();
  const char *a = kiosk_request_get_id (claimed->pdata[0]);
  const char *b = kiosk_request_get_id (claimed->pdata[1]);
  const char *c = kiosk_request_get_id (claimed->pdata[2]);
  KioskOutcomeRecord records[] = {
    { a, KIOSK_OUTBOX_MARK_DELIVERED, "HI-2026-000001", 0 },
    { b, KIOSK_OUTBOX_MARK_DELIVERED, "HI-2026-000002", 0 },   /* handled by a clerk meanwhile */
    { unknown, KIOSK_OUTBOX_MARK_RETRY, "HTTP 503", T0 },       /* not in the outbox */
    { c, KIOSK_OUTBOX_MARK_REJECTED, "no such service", 0 },
    { a, KIOSK_OUTBOX_MARK_RETRY, "HTTP 503", T0 },             /* a is delivered by now */
  };
  guint n_events;

  handled = kiosk_outbox_mark_handled (f->outbox, b, "done at the counter", "clerk", &error);
  g_assert_no_error (error);

  f->changed = 0;
  watch_commits (f);
  g_assert_true (kiosk_outbox_apply (f->outbox, records, G_N_ELEMENTS (records), &requests, &errors, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (f->commits, ==, 1);
  g_assert_cmpuint (f->changed, ==, 2);

  g_assert_null (errors->pdata[0]);
  g_assert_error ((GError *) errors->pdata[1], KIOSK_OUTBOX_ERROR, KIOSK_OUTBOX_ERROR_ILLEGAL_TRANSITION);
  g_assert_error ((GError *) errors->pdata[2], KIOSK_OUTBOX_ERROR, KIOSK_OUTBOX_ERROR_NOT_FOUND);
  g_assert_null (errors->pdata[3]);
  g_assert_error ((GError *) errors->pdata[4], KIOSK_OUTBOX_ERROR, KIOSK_OUTBOX_ERROR_ILLEGAL_TRANSITION);
  g_assert_nonnull (requests->pdata[0]);
  g_assert_null (requests->pdata[1]);
  g_assert_null (requests->pdata[2]);
  g_assert_nonnull (requests->pdata[3]);
  g_assert_null (requests->pdata[4]);

  g_assert_cmpint (state_of (f, a), ==, KIOSK_REQUEST_DELIVERED);
  g_assert_cmpint (state_of (f, b), ==, KIOSK_REQUEST_HANDLED);
  g_assert_cmpint (state_of (f, c), ==, KIOSK_REQUEST_REJECTED);
  /* The skipped ones wrote no event line. */
  {
    g_autoptr(KioskRequestEvent) event = last_event (f, a, &n_events);

    g_assert_cmpuint (n_events, ==, 3);   /* created, sending, delivered */
    g_assert_cmpint (event->to_state, ==, KIOSK_REQUEST_DELIVERED);
  }
  {
    g_autoptr(KioskRequestEvent) event = last_event (f, b, &n_events);

    g_assert_cmpuint (n_events, ==, 3);   /* created, sending, handled */
    g_assert_cmpint (event->to_state, ==, KIOSK_REQUEST_HANDLED);
  }
  {
    g_autoptr(GPtrArray) events = kiosk_outbox_list_events (f->outbox, unknown, NULL);

    g_assert_cmpuint (events->len, ==, 0);
  }
}

/* The database failing on one record rolls back the whole batch: nothing
 * of the records before it stays, no signal is emitted. */
static void
test_apply_rollback (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GPtrArray) claimed = enqueue_sending (f, 3);
  g_autoptr(GPtrArray) requests = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *trigger = NULL;
  const char *a = kiosk_request_get_id (claimed->pdata[0]);
  const char *b = kiosk_request_get_id (claimed->pdata[1]);
  const char *c = kiosk_request_get_id (claimed->pdata[2]);
  KioskOutcomeRecord records[] = {
    { a, KIOSK_OUTBOX_MARK_DELIVERED, "HI-2026-000001", 0 },
    { b, KIOSK_OUTBOX_MARK_DELIVERED, "HI-2026-000002", 0 },
    { c, KIOSK_OUTBOX_MARK_DELIVERED, "HI-2026-000003", 0 },
  };
  guint n_events;

  /* The event line of the second record fails, as a full disk would. */
  trigger = g_strdup_printf ("CREATE TEMP TRIGGER fail_b BEFORE INSERT ON main.request_events "
                             "WHEN NEW.request_id = '%s' BEGIN SELECT RAISE (ABORT, 'injected failure'); END", b);
  g_assert_true (_kiosk_store_exec (f->store, trigger, &error));
  g_assert_no_error (error);

  f->changed = 0;
  f->commits = 0;
  watch_commits (f);
  g_assert_false (kiosk_outbox_apply (f->outbox, records, G_N_ELEMENTS (records), &requests, NULL, &error));
  g_assert_true (error != NULL && error->domain == KIOSK_STORE_ERROR);
  g_assert_nonnull (strstr (error->message, "injected failure"));
  g_assert_null (requests);
  g_assert_cmpuint (f->commits, ==, 0);
  g_assert_cmpuint (f->changed, ==, 0);
  for (guint i = 0; i < G_N_ELEMENTS (records); i++)
    {
      g_autoptr(KioskRequestEvent) event = last_event (f, records[i].id, &n_events);

      g_assert_cmpint (state_of (f, records[i].id), ==, KIOSK_REQUEST_SENDING);
      g_assert_cmpuint (n_events, ==, 2);
      g_assert_cmpint (event->to_state, ==, KIOSK_REQUEST_SENDING);
    }

  /* Control: without the fault the same batch goes through. */
  g_clear_error (&error);
  g_assert_true (_kiosk_store_exec (f->store, "DROP TRIGGER temp.fail_b", &error));
  f->commits = 0;
  g_assert_true (kiosk_outbox_apply (f->outbox, records, G_N_ELEMENTS (records), NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (f->commits, ==, 1);
  g_assert_cmpuint (f->changed, ==, 3);
  for (guint i = 0; i < G_N_ELEMENTS (records); i++)
    g_assert_cmpint (state_of (f, records[i].id), ==, KIOSK_REQUEST_DELIVERED);
}

/* The snapshots a claim and a batch of outcomes hand out (and emit with
 * ::request-changed) are not read back after COMMIT: each must read as the
 * row does, whatever the texts hold (quotes, backslashes, control
 * characters, non-ASCII letters, bytes that are not UTF-8); a claim takes
 * the oldest first; the event lines keep the records' order. */
static void
assert_as_stored (Fixture      *f,
                  KioskRequest *snapshot)
{
  g_autoptr(KioskRequest) row = kiosk_outbox_get (f->outbox, kiosk_request_get_id (snapshot), NULL);

  g_assert_nonnull (row);
  g_assert_cmpint (kiosk_request_get_state (snapshot), ==, kiosk_request_get_state (row));
  g_assert_cmpuint (kiosk_request_get_attempts (snapshot), ==, kiosk_request_get_attempts (row));
  g_assert_cmpint (kiosk_request_get_updated (snapshot), ==, kiosk_request_get_updated (row));
  g_assert_cmpint (kiosk_request_get_next_attempt (snapshot), ==, kiosk_request_get_next_attempt (row));
  g_assert_cmpstr (kiosk_request_get_last_error (snapshot), ==, kiosk_request_get_last_error (row));
  g_assert_cmpstr (kiosk_request_get_remote_ref (snapshot), ==, kiosk_request_get_remote_ref (row));
  g_assert_cmpstr (kiosk_request_get_short_code (snapshot), ==, kiosk_request_get_short_code (row));
  g_assert_cmpint (kiosk_request_get_created (snapshot), ==, kiosk_request_get_created (row));
  g_assert_true (g_bytes_equal (kiosk_request_get_answers (snapshot), kiosk_request_get_answers (row)));
}

static void
test_snapshots_as_stored (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(GPtrArray) claimed = NULL;
  g_autoptr(GPtrArray) again = NULL;
  g_autoptr(GPtrArray) requests = NULL;
  g_autoptr(GPtrArray) errors = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(KioskRequest) handled = NULL;
  const char *odd = "HTTP 503 \"busy\" \\ tab\there\nline 2 \001 Grüße ✓";
  const char *not_utf8 = "bad \xff byte";
  gint64 last_seq = 0;

  /* Due at the same time: claimed oldest first. */
  for (guint i = 0; i < 6; i++)
    {
      g_object_unref (enqueue (f));
      kiosk_clock_advance (f->clock, 1);
    }
  kiosk_clock_advance (f->clock, G_USEC_PER_SEC);
  claimed = kiosk_outbox_claim_due (f->outbox, 5, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (claimed->len, ==, 5);
  for (guint i = 0; i < claimed->len; i++)
    {
      assert_as_stored (f, claimed->pdata[i]);
      g_assert_cmpint (kiosk_request_get_state (claimed->pdata[i]), ==, KIOSK_REQUEST_SENDING);
      g_assert_cmpuint (kiosk_request_get_attempts (claimed->pdata[i]), ==, 1);
      if (i > 0)
        g_assert_cmpint (kiosk_request_get_created (claimed->pdata[i - 1]), <,
                         kiosk_request_get_created (claimed->pdata[i]));
    }

  handled = kiosk_outbox_mark_handled (f->outbox, kiosk_request_get_id (claimed->pdata[4]),
                                       "done at the counter", "clerk", &error);
  g_assert_no_error (error);

  kiosk_clock_advance (f->clock, G_USEC_PER_SEC);
  {
    KioskOutcomeRecord records[] = {
      { kiosk_request_get_id (claimed->pdata[0]), KIOSK_OUTBOX_MARK_DELIVERED, odd, 0 },
      { kiosk_request_get_id (claimed->pdata[1]), KIOSK_OUTBOX_MARK_RETRY, odd, T0 + G_GINT64_CONSTANT (3600) * G_USEC_PER_SEC },
      { kiosk_request_get_id (claimed->pdata[2]), KIOSK_OUTBOX_MARK_REJECTED, odd, 0 },
      { kiosk_request_get_id (claimed->pdata[3]), KIOSK_OUTBOX_MARK_RELEASE, NULL, 0 },
      { kiosk_request_get_id (claimed->pdata[4]), KIOSK_OUTBOX_MARK_DELIVERED, "HI-2", 0 },   /* handled */
    };

    g_assert_true (kiosk_outbox_apply (f->outbox, records, G_N_ELEMENTS (records), &requests, &errors, &error));
    g_assert_no_error (error);
    g_assert_error ((GError *) errors->pdata[4], KIOSK_OUTBOX_ERROR, KIOSK_OUTBOX_ERROR_ILLEGAL_TRANSITION);
    g_assert_null (requests->pdata[4]);
    for (guint i = 0; i < 4; i++)
      {
        g_autoptr(KioskRequestEvent) event = NULL;
        guint n_events;

        g_assert_null (errors->pdata[i]);
        assert_as_stored (f, requests->pdata[i]);
        event = last_event (f, records[i].id, &n_events);
        g_assert_cmpuint (n_events, ==, 3);
        g_assert_cmpstr (event->detail, ==, records[i].text);
        g_assert_cmpint (event->seq, >, last_seq);
        last_seq = event->seq;
      }
    g_assert_cmpstr (kiosk_request_get_remote_ref (requests->pdata[0]), ==, odd);
    g_assert_cmpstr (kiosk_request_get_last_error (requests->pdata[1]), ==, odd);
    g_assert_cmpstr (kiosk_request_get_last_error (requests->pdata[2]), ==, odd);
  }

  /* Text that is not UTF-8 is recorded as it always was. */
  kiosk_clock_advance (f->clock, G_USEC_PER_SEC);
  again = kiosk_outbox_claim_due (f->outbox, 5, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (again->len, ==, 2);   /* the released one and the sixth */
  g_clear_pointer (&requests, g_ptr_array_unref);
  g_clear_pointer (&errors, g_ptr_array_unref);
  {
    KioskOutcomeRecord records[] = {
      { kiosk_request_get_id (again->pdata[0]), KIOSK_OUTBOX_MARK_REJECTED, not_utf8, 0 },
      { kiosk_request_get_id (again->pdata[1]), KIOSK_OUTBOX_MARK_DELIVERED, "HI-6", 0 },
    };

    g_assert_true (kiosk_outbox_apply (f->outbox, records, G_N_ELEMENTS (records), &requests, &errors, &error));
    g_assert_no_error (error);
    for (guint i = 0; i < G_N_ELEMENTS (records); i++)
      {
        g_assert_null (errors->pdata[i]);
        assert_as_stored (f, requests->pdata[i]);
      }
    g_assert_cmpint (state_of (f, records[0].id), ==, KIOSK_REQUEST_REJECTED);
    g_assert_cmpint (state_of (f, records[1].id), ==, KIOSK_REQUEST_DELIVERED);
  }
}

/* The clerk page reads only the rows it shows (#18): the first N of a
 * state, in the order of the whole list. */
static void
add_request_cb (KioskRequest *request,
                gpointer      user_data)
{
  g_ptr_array_add (user_data, request);
}

static void
test_foreach_first (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GPtrArray) all = NULL;
  g_autoptr(GPtrArray) first = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) every = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) more = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = 0; i < 5; i++)
    g_object_unref (enqueue (f));
  all = kiosk_outbox_list (f->outbox, KIOSK_REQUEST_QUEUED, NULL);
  g_assert_cmpuint (all->len, ==, 5);

  g_assert_true (kiosk_outbox_foreach_first (f->outbox, KIOSK_REQUEST_QUEUED, 2, add_request_cb, first, NULL));
  g_assert_cmpuint (first->len, ==, 2);
  for (guint i = 0; i < first->len; i++)
    g_assert_cmpstr (kiosk_request_get_id (first->pdata[i]), ==, kiosk_request_get_id (all->pdata[i]));

  /* 0 is all of them; a limit above the count is the count. */
  g_assert_true (kiosk_outbox_foreach_first (f->outbox, KIOSK_REQUEST_QUEUED, 0, add_request_cb, every, NULL));
  g_assert_cmpuint (every->len, ==, 5);
  g_assert_true (kiosk_outbox_foreach_first (f->outbox, KIOSK_REQUEST_QUEUED, 10, add_request_cb, more, NULL));
  g_assert_cmpuint (more->len, ==, 5);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/kiosk/outbox/enqueue", test_enqueue);
  ADD ("/kiosk/outbox/enqueue-invalid", test_enqueue_invalid);
  ADD ("/kiosk/outbox/delivery-path", test_delivery_path);
  ADD ("/kiosk/outbox/rejected-requeued-cancelled", test_rejected_requeued_cancelled);
  ADD ("/kiosk/outbox/transition-table", test_transition_table);
  ADD ("/kiosk/outbox/illegal-transitions", test_illegal_transitions);
  ADD ("/kiosk/outbox/crash-recovery", test_crash_recovery);
  ADD ("/kiosk/outbox/one-delivery-owner", test_one_delivery_owner);
  ADD ("/kiosk/outbox/list-and-limits", test_list_and_limits);
  ADD ("/kiosk/outbox/foreach-first", test_foreach_first);
  ADD ("/kiosk/outbox/apply", test_apply);
  ADD ("/kiosk/outbox/apply-illegal", test_apply_illegal);
  ADD ("/kiosk/outbox/apply-rollback", test_apply_rollback);
  ADD ("/kiosk/outbox/snapshots-as-stored", test_snapshots_as_stored);
#undef ADD

  return g_test_run ();
}

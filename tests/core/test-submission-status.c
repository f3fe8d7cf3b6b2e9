/* test-submission-status.c: the city's status through GET /v1/submissions/{id}
 *
 * SPDX-FileCopyrightText: 2026 Stadtkiosk contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "kiosk-fake-backend.h"
#include "kiosk-sync-test-util.h"

static void
pulled_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  guint *out = user_data;
  g_autoptr(GError) error = NULL;
  guint n = 0;

  g_assert_true (kiosk_submission_status_pull_finish (KIOSK_SUBMISSION_TARGET (object), result, &n, &error));
  g_assert_no_error (error);
  *out = n;
}

static guint
pull (SyncKiosk *kiosk)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KioskSubmissionTarget) target = kiosk_submission_target_new (kiosk->config, kiosk->clock, 1, &error);
  guint n = G_MAXUINT;

  g_assert_no_error (error);
  kiosk_submission_status_pull_async (target, kiosk->outbox, kiosk_clock_get_now (kiosk->clock), NULL, pulled_cb, &n);
  while (n == G_MAXUINT)
    g_main_context_iteration (NULL, TRUE);
  return n;
}

/* Delivered requests get the city's status; final ones are not asked
 * about again; old ones neither. */
static void
test_pull (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KioskFakeBackend) backend = kiosk_fake_backend_new (0, NULL, 0, NULL, &error);
  g_autoptr(GPtrArray) all = NULL;
  g_autofree char *city_status = NULL;
  SyncKiosk *kiosk;

  g_assert_no_error (error);
  kiosk = sync_kiosk_new (kiosk_fake_backend_get_url (backend), NULL, NULL, TRUE);
  for (guint i = 0; i < 3; i++)
    g_object_unref (sync_kiosk_enqueue (kiosk, "{\"n\":1}"));
  /* Not delivered yet: nothing to ask. */
  g_assert_cmpuint (pull (kiosk), ==, 0);

  kiosk_sync_start (kiosk->sync);
  g_assert_cmpuint (sync_kiosk_drain (kiosk, 100), <, 100);
  /* Delivered; a running sync would fire its timer 57,600 times when the
   * fake clock moves forty days below (30-60 s of CPU). */
  kiosk_sync_stop (kiosk->sync);
  g_assert_cmpuint (pull (kiosk), ==, 3);
  all = kiosk_outbox_list (kiosk->outbox, KIOSK_REQUEST_DELIVERED, NULL);
  g_assert_true (kiosk_outbox_get_city_status (kiosk->outbox, kiosk_request_get_id (all->pdata[0]), &city_status,
                                               NULL, NULL, &error));
  g_assert_cmpstr (city_status, ==, "received");

  /* A final status is not asked about again. */
  g_assert_true (kiosk_outbox_set_city_status (kiosk->outbox, kiosk_request_get_id (all->pdata[0]), "done", NULL, &error));
  g_assert_cmpuint (pull (kiosk), ==, 2);

  /* Forty days later nothing is recent any more. */
  kiosk_clock_advance (kiosk->clock, G_GINT64_CONSTANT (40) * 24 * 3600 * G_USEC_PER_SEC);
  g_assert_cmpuint (pull (kiosk), ==, 0);

  /* Unknown request ids: the outbox says so. */
  g_assert_false (kiosk_outbox_set_city_status (kiosk->outbox, "00000000-0000-4000-8000-000000000000", "done", NULL, &error));
  g_assert_error (error, KIOSK_OUTBOX_ERROR, KIOSK_OUTBOX_ERROR_NOT_FOUND);

  sync_kiosk_free (kiosk);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/kiosk/submission-status/pull", test_pull);

  return g_test_run ();
}

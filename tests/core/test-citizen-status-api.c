/* test-citizen-status-api.c — without a hub, the status page asks the
 * Submission API for codes of other kiosks (#16), against the fake backend
 *
 * SPDX-FileCopyrightText: 2026 Stadtkiosk contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "stadtkiosk-core.h"
#include "kiosk-citizen-status-remote.h"
#include "kiosk-fake-backend.h"
#include "kiosk-sync-test-util.h"

typedef struct
{
  KioskFakeBackend      *backend;
  SyncKiosk             *other;     /* delivered a request to the backend */
  SyncKiosk             *here;      /* the kiosk whose status page is asked */
  KioskSubmissionTarget *api;
  KioskStatusGuard      *guard;
  char                  *other_code;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KioskRequest) request = NULL;

  f->backend = kiosk_fake_backend_new (0, NULL, KIOSK_FAKE_BACKEND_NONE, NULL, &error);
  g_assert_no_error (error);
  f->other = sync_kiosk_new (kiosk_fake_backend_get_url (f->backend), NULL, NULL, TRUE);
  request = sync_kiosk_enqueue (f->other, "{\"items\":[\"sofa\"]}");
  f->other_code = g_strdup (kiosk_request_get_short_code (request));
  kiosk_sync_start (f->other->sync);
  sync_kiosk_drain (f->other, 20);
  kiosk_sync_stop (f->other->sync);
  g_assert_cmpuint (sync_kiosk_count (f->other, KIOSK_REQUEST_DELIVERED), ==, 1);

  f->here = sync_kiosk_new (kiosk_fake_backend_get_url (f->backend), NULL, NULL, TRUE);
  f->api = kiosk_submission_target_new (f->here->config, f->here->clock, 1, &error);
  g_assert_no_error (error);
  f->guard = kiosk_status_guard_new (f->here->clock);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_clear_object (&f->guard);
  g_clear_object (&f->api);
  sync_kiosk_free (f->here);
  sync_kiosk_free (f->other);
  kiosk_fake_backend_free (f->backend);
  g_free (f->other_code);
}

static void
done_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static KioskCitizenStatus *
look_up (Fixture                *f,
         KioskSubmissionTarget  *api,
         const char             *typed,
         gboolean               *out_asked,
         GError                **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  kiosk_citizen_status_lookup_async (f->here->outbox, f->guard, NULL, api, typed,
                                     KIOSK_CITIZEN_STATUS_HUB_DEADLINE_S, NULL, done_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  return kiosk_citizen_status_lookup_finish (result, out_asked, error);
}

/* Another kiosk's code, typed as people type it: service, day and the
 * city's status from one answer of the API.  The control: without the API
 * (the code before) the same code is unknown here. */
static void
test_found (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(KioskCitizenStatus) status = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *typed = g_ascii_strdown (f->other_code, -1);
  gboolean asked = FALSE;

  status = look_up (f, NULL, typed, &asked, &error);
  g_assert_error (error, KIOSK_CITIZEN_STATUS_ERROR, KIOSK_CITIZEN_STATUS_ERROR_UNKNOWN);
  g_assert_null (status);
  g_assert_false (asked);
  g_clear_error (&error);

  status = look_up (f, f->api, typed, &asked, &error);
  g_assert_no_error (error);
  g_assert_true (asked);
  g_assert_cmpstr (status->short_code, ==, f->other_code);
  g_assert_cmpstr (status->service_id, ==, "sperrmuell");
  g_assert_cmpint (status->step, ==, KIOSK_CITIZEN_STEP_RECEIVED);
  g_assert_cmpint (status->created, >, 0);
}

/* A well-formed code nobody has counts against the guard like one unknown
 * here (three free, then a wait); an API that cannot be asked does not. */
static void
test_unknown_and_unreachable (Fixture       *f,
                              gconstpointer  data)
{
  SyncKiosk *closed;
  g_autoptr(KioskSubmissionTarget) dead = NULL;
  g_autoptr(GError) error = NULL;

  closed = sync_kiosk_new ("http://127.0.0.1:9", NULL, NULL, FALSE);
  dead = kiosk_submission_target_new (closed->config, closed->clock, 1, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < 4; i++)
    {
      g_autofree char *code = kiosk_outbox_new_short_code (f->here->outbox);
      g_autoptr(KioskCitizenStatus) status = look_up (f, dead, code, NULL, &error);

      g_assert_null (status);
      g_assert_error (error, KIOSK_CITIZEN_STATUS_ERROR, KIOSK_CITIZEN_STATUS_ERROR_UNREACHABLE);
      g_clear_error (&error);
    }
  g_assert_cmpuint (kiosk_status_guard_get_wait (f->guard), ==, 0);
  g_clear_object (&dead);
  sync_kiosk_free (closed);

  for (guint i = 0; i < 3; i++)
    {
      g_autofree char *code = kiosk_outbox_new_short_code (f->here->outbox);
      g_autoptr(KioskCitizenStatus) status = look_up (f, f->api, code, NULL, &error);

      g_assert_null (status);
      g_assert_error (error, KIOSK_CITIZEN_STATUS_ERROR, KIOSK_CITIZEN_STATUS_ERROR_UNKNOWN);
      g_clear_error (&error);
    }
  g_assert_cmpuint (kiosk_status_guard_get_wait (f->guard), >, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/kiosk/citizen-status/api/found", Fixture, NULL, fixture_set_up, test_found, fixture_tear_down);
  g_test_add ("/kiosk/citizen-status/api/unknown-and-unreachable", Fixture, NULL,
              fixture_set_up, test_unknown_and_unreachable, fixture_tear_down);
  return g_test_run ();
}

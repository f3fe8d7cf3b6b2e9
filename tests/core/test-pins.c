/* test-pins.c
 *
 * SPDX-FileCopyrightText: 2026 Stadtkiosk contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "kiosk-audit.h"
#include "kiosk-pins.h"

#define T0 (G_GINT64_CONSTANT (1764000000) * G_USEC_PER_SEC)

typedef struct
{
  char       *dir;
  char       *path;
  KioskClock *clock;
  KioskPins  *pins;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->dir = g_dir_make_tmp ("kiosk-pins-XXXXXX", NULL);
  f->path = g_build_filename (f->dir, "staff-pins", NULL);
  f->clock = kiosk_clock_new_fake (T0);
  f->pins = kiosk_pins_new (f->path, f->clock);
  g_assert_true (kiosk_pins_set (f->pins, KIOSK_ROLE_CLERK, "482913", &error));
  g_assert_no_error (error);
  g_assert_true (kiosk_pins_set (f->pins, KIOSK_ROLE_ADMIN, "90817263", &error));
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_assert_finalize_object (g_steal_pointer (&f->pins));
  g_assert_finalize_object (g_steal_pointer (&f->clock));
  g_unlink (f->path);
  {
    g_autofree char *lock = g_strconcat (f->path, ".lock", NULL);
    g_unlink (lock);
  }
  g_rmdir (f->dir);
  g_free (f->path);
  g_free (f->dir);
}

static void
test_hash_file (Fixture       *f,
                gconstpointer  data)
{
  g_autofree char *contents = NULL;
  GStatBuf st;

  g_assert_cmpint (g_stat (f->path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
  g_assert_true (g_file_get_contents (f->path, &contents, NULL, NULL));
  /* Argon2id hashes, never the PINs */
  g_assert_nonnull (strstr (contents, "clerk=$argon2id$"));
  g_assert_nonnull (strstr (contents, "admin=$argon2id$"));
  g_assert_null (strstr (contents, "482913"));
  g_assert_null (strstr (contents, "90817263"));
  g_assert_true (kiosk_pins_is_set (f->pins, KIOSK_ROLE_CLERK));
}

static void
test_roles (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (kiosk_pins_verify (f->pins, "482913", &error), ==, KIOSK_ROLE_CLERK);
  g_assert_no_error (error);
  g_assert_cmpint (kiosk_pins_verify (f->pins, "90817263", &error), ==, KIOSK_ROLE_ADMIN);
  g_assert_no_error (error);
}

static void
test_weak_pins (Fixture       *f,
                gconstpointer  data)
{
  const char *weak[] = { "12345", "1234567890123", "111111", "123456", "987654", "12a456", "" };

  for (guint i = 0; i < G_N_ELEMENTS (weak); i++)
    {
      g_autoptr(GError) error = NULL;

      g_assert_false (kiosk_pins_set (f->pins, KIOSK_ROLE_CLERK, weak[i], &error));
      g_assert_error (error, KIOSK_PINS_ERROR, KIOSK_PINS_ERROR_WEAK);
    }
  {
    g_autoptr(GError) error = NULL;
    /* the admin's PIN cannot become the clerk's too */
    g_assert_false (kiosk_pins_set (f->pins, KIOSK_ROLE_CLERK, "90817263", &error));
    g_assert_error (error, KIOSK_PINS_ERROR, KIOSK_PINS_ERROR_WEAK);
  }
}

/* Wrong PINs: free tries, then a doubling wait, then a lockout; all with the
 * same message; and the counter survives a restart. */
static void
test_delay_and_lockout (Fixture       *f,
                        gconstpointer  data)
{
  g_autofree char *first_message = NULL;
  gint64 previous_wait = 0;

  for (guint attempt = 1; attempt <= KIOSK_PINS_LOCKOUT_FAILURES; attempt++)
    {
      g_autoptr(GError) error = NULL;
      gint64 wait;

      g_assert_cmpint (kiosk_pins_verify (f->pins, "000001", &error), ==, KIOSK_ROLE_NONE);
      g_assert_error (error, KIOSK_PINS_ERROR, KIOSK_PINS_ERROR_REFUSED);
      if (first_message == NULL)
        first_message = g_strdup (error->message);
      g_assert_cmpstr (error->message, ==, first_message);
      g_assert_cmpuint (kiosk_pins_get_failures (f->pins), ==, attempt);

      wait = kiosk_pins_get_wait_until (f->pins) - kiosk_clock_get_now (f->clock);
      if (attempt <= KIOSK_PINS_FREE_FAILURES)
        g_assert_cmpint (wait, ==, 0);
      else if (attempt < KIOSK_PINS_LOCKOUT_FAILURES)
        {
          g_assert_cmpint (wait, >, previous_wait);
          g_assert_cmpint (wait, ==, previous_wait == 0 ? 2 * G_USEC_PER_SEC : 2 * previous_wait);
        }
      else
        g_assert_cmpint (wait, ==, (gint64) KIOSK_PINS_LOCKOUT_SECONDS * G_USEC_PER_SEC);

      if (attempt < KIOSK_PINS_LOCKOUT_FAILURES)
        {
          /* while waiting even the right PIN is refused, with the same words */
          if (wait > 0)
            {
              g_autoptr(GError) waiting = NULL;

              g_assert_cmpint (kiosk_pins_verify (f->pins, "482913", &waiting), ==, KIOSK_ROLE_NONE);
              g_assert_cmpstr (waiting->message, ==, first_message);
              /* and that attempt was not counted */
              g_assert_cmpuint (kiosk_pins_get_failures (f->pins), ==, attempt);
            }
          kiosk_clock_advance (f->clock, wait);
          previous_wait = wait;
        }
    }

  /* locked out; a "restart" (a new keeper on the same file) is still locked */
  g_clear_object (&f->pins);
  f->pins = kiosk_pins_new (f->path, f->clock);
  kiosk_clock_advance (f->clock, (KIOSK_PINS_LOCKOUT_SECONDS - 1) * G_USEC_PER_SEC);
  {
    g_autoptr(GError) error = NULL;
    g_assert_cmpint (kiosk_pins_verify (f->pins, "482913", &error), ==, KIOSK_ROLE_NONE);
    g_assert_cmpstr (error->message, ==, first_message);
  }

  kiosk_clock_advance (f->clock, G_USEC_PER_SEC);
  {
    g_autoptr(GError) error = NULL;
    g_assert_cmpint (kiosk_pins_verify (f->pins, "482913", &error), ==, KIOSK_ROLE_CLERK);
    g_assert_no_error (error);
    g_assert_cmpuint (kiosk_pins_get_failures (f->pins), ==, 0);
  }
}

typedef struct
{
  Fixture *f;
  GMutex   mutex;
  GCond    cond;
  gboolean go;
} Race;

static gpointer
wrong_pin_thread (gpointer data)
{
  Race *race = data;
  g_autoptr(KioskPins) pins = kiosk_pins_new (race->f->path, race->f->clock);
  g_autoptr(GError) error = NULL;

  g_mutex_lock (&race->mutex);
  while (!race->go)
    g_cond_wait (&race->cond, &race->mutex);
  g_mutex_unlock (&race->mutex);
  return GINT_TO_POINTER (kiosk_pins_verify (pins, "000001", &error));
}

/* Eight wrong PINs at once, as eight processes would try them (#12): each
 * keeper reads and writes the file on its own.  The counter read and
 * rewritten without a lock counted once or twice.  With the lock, the
 * attempts queue: the free ones and the one that starts the wait count,
 * the rest meet the wait and are refused unchecked, exactly as one after
 * the other. */
static void
test_concurrent_failures (Fixture       *f,
                          gconstpointer  data)
{
  enum { N = 8 };
  GThread *threads[N];
  Race race = { f };

  g_mutex_init (&race.mutex);
  g_cond_init (&race.cond);
  for (guint i = 0; i < N; i++)
    threads[i] = g_thread_new ("wrong-pin", wrong_pin_thread, &race);
  g_mutex_lock (&race.mutex);
  race.go = TRUE;
  g_cond_broadcast (&race.cond);
  g_mutex_unlock (&race.mutex);
  for (guint i = 0; i < N; i++)
    g_assert_cmpint (GPOINTER_TO_INT (g_thread_join (threads[i])), ==, KIOSK_ROLE_NONE);
  g_mutex_clear (&race.mutex);
  g_cond_clear (&race.cond);

  g_assert_cmpuint (kiosk_pins_get_failures (f->pins), ==, KIOSK_PINS_FREE_FAILURES + 1);
  g_assert_cmpint (kiosk_pins_get_wait_until (f->pins), ==, T0 + 2 * G_USEC_PER_SEC);
}

static void
test_reset_lockout (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < KIOSK_PINS_LOCKOUT_FAILURES; i++)
    {
      g_clear_error (&error);
      kiosk_pins_verify (f->pins, "000001", &error);
      if (i + 1 < KIOSK_PINS_LOCKOUT_FAILURES)
        kiosk_clock_advance (f->clock, MAX (0, kiosk_pins_get_wait_until (f->pins) - kiosk_clock_get_now (f->clock)));
    }
  g_assert_cmpuint (kiosk_pins_get_failures (f->pins), ==, KIOSK_PINS_LOCKOUT_FAILURES);
  g_clear_error (&error);
  g_assert_cmpint (kiosk_pins_verify (f->pins, "482913", &error), ==, KIOSK_ROLE_NONE);
  g_clear_error (&error);

  g_assert_true (kiosk_pins_reset_lockout (f->pins, &error));
  g_assert_cmpint (kiosk_pins_verify (f->pins, "482913", &error), ==, KIOSK_ROLE_CLERK);
  g_assert_no_error (error);
}

static void
test_insecure_file (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (g_chmod (f->path, 0644), ==, 0);
  g_assert_cmpint (kiosk_pins_verify (f->pins, "482913", &error), ==, KIOSK_ROLE_NONE);
  g_assert_error (error, KIOSK_PINS_ERROR, KIOSK_PINS_ERROR_FILE);
  g_assert_nonnull (strstr (error->message, "chmod 600"));
}

static void
test_audit_log (void)
{
  g_autofree char *dir = g_dir_make_tmp ("kiosk-audit-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "stadtkiosk.db", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(KioskStore) store = kiosk_store_open (path, &error);
  g_autoptr(KioskClock) clock = kiosk_clock_new_fake (T0);
  g_autoptr(GPtrArray) entries = NULL;
  KioskAuditEntry *newest;

  g_assert_no_error (error);
  g_assert_true (kiosk_audit_log (store, clock, "clerk", "unlock", NULL, &error));
  kiosk_clock_advance (clock, G_USEC_PER_SEC);
  g_assert_true (kiosk_audit_log (store, clock, "clerk", "queue cancel", "HSK-0000-0000: duplicate", &error));
  entries = kiosk_audit_list (store, 10, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (entries->len, ==, 2);
  newest = entries->pdata[0];
  g_assert_cmpstr (newest->role, ==, "clerk");
  g_assert_cmpstr (newest->action, ==, "queue cancel");
  g_assert_cmpint (newest->at_us, ==, T0 + G_USEC_PER_SEC);

  g_clear_object (&store);
  {
    const char *suffixes[] = { "", "-wal", "-shm" };
    for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
      {
        g_autofree char *p = g_strconcat (path, suffixes[i], NULL);
        g_unlink (p);
      }
    g_rmdir (dir);
  }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/kiosk/pins/hash-file", test_hash_file);
  ADD ("/kiosk/pins/roles", test_roles);
  ADD ("/kiosk/pins/weak-pins", test_weak_pins);
  ADD ("/kiosk/pins/delay-and-lockout", test_delay_and_lockout);
  ADD ("/kiosk/pins/concurrent-failures", test_concurrent_failures);
  ADD ("/kiosk/pins/reset-lockout", test_reset_lockout);
  ADD ("/kiosk/pins/insecure-file", test_insecure_file);
#undef ADD
  g_test_add_func ("/kiosk/audit/log", test_audit_log);

  return g_test_run ();
}

/* test-kill.c: SIGKILL at random moments loses no acknowledged request
 *
 * Each round starts kill-enqueue, waits until it has acknowledged its first
 * request (so that the kill lands in the enqueue loop, not in start-up), lets
 * it run for a random 0 to 40 ms more and kills it with SIGKILL.  After every round the database must open, pass
 * PRAGMA integrity_check, and hold every request whose enqueue had returned
 * exactly once.  The negative control runs the same harness against a victim
 * that acknowledges before it commits, and must see losses: that proves the
 * harness can see a loss at all.
 *
 * SPDX-FileCopyrightText: 2026 Stadtkiosk contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
#include <gio/gio.h>
#include <signal.h>
#include <string.h>

#include "kiosk-outbox.h"
#include "kiosk-store-private.h"

#define ROUNDS 50

typedef struct
{
  guint acknowledged;
  guint lost;
  guint stored;
} Tally;

static char *
victim_path (void)
{
  const char *env = g_getenv ("KIOSK_KILL_VICTIM");

  if (env != NULL)
    return g_strdup (env);
  return g_test_build_filename (G_TEST_BUILT, "kill-enqueue", NULL);
}

static void
run_rounds (gboolean  ack_before_commit,
            guint     rounds,
            Tally    *tally)
{
  g_autofree char *dir = g_dir_make_tmp ("kiosk-kill-XXXXXX", NULL);
  g_autofree char *db = g_build_filename (dir, "stadtkiosk.db", NULL);
  g_autofree char *acks = g_build_filename (dir, "acks", NULL);
  g_autofree char *victim = victim_path ();

  memset (tally, 0, sizeof *tally);

  for (guint round = 0; round < rounds; round++)
    {
      g_autoptr(GSubprocess) child = NULL;
      g_autoptr(GError) error = NULL;
      g_autoptr(KioskStore) store = NULL;
      g_autoptr(KioskClock) clock = kiosk_clock_new_system ();
      g_autoptr(KioskOutbox) outbox = NULL;
      g_autoptr(sqlite3_stmt) stmt = NULL;
      g_autofree char *contents = NULL;
      g_auto(GStrv) ids = NULL;
      guint wait_ms = g_test_rand_int_range (0, 40);
      GStatBuf st;
      gint64 size_before = g_stat (acks, &st) == 0 ? st.st_size : 0;
      gint64 deadline;

      child = g_subprocess_new (G_SUBPROCESS_FLAGS_NONE, &error, victim, "--db", db, "--acks", acks,
                                ack_before_commit ? "--ack-before-commit" : NULL, NULL);
      g_assert_no_error (error);
      deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
      while ((g_stat (acks, &st) != 0 || st.st_size == size_before) && g_get_monotonic_time () < deadline)
        g_usleep (500);
      g_usleep (wait_ms * 1000);
      g_subprocess_send_signal (child, SIGKILL);
      g_subprocess_wait (child, NULL, &error);
      g_assert_no_error (error);
      /* It must have died of our signal, not of a failure of its own. */
      g_assert_true (g_subprocess_get_if_signaled (child));
      g_assert_cmpint (g_subprocess_get_term_sig (child), ==, SIGKILL);

      /* kiosk_store_open() runs the integrity check and refuses damage. */
      store = kiosk_store_open (db, &error);
      g_assert_no_error (error);
      outbox = kiosk_outbox_new (store, clock, "HSK", &error);
      g_assert_no_error (error);

      if (!g_file_get_contents (acks, &contents, NULL, NULL))
        contents = g_strdup ("");
      ids = g_strsplit (contents, "\n", -1);
      tally->acknowledged = 0;
      tally->lost = 0;

      stmt = _kiosk_store_prepare (store, "SELECT count(*) FROM requests WHERE id = ?", &error);
      g_assert_no_error (error);
      for (guint i = 0; ids[i] != NULL; i++)
        {
          int count;

          if (*ids[i] == '\0')
            continue;
          tally->acknowledged++;
          sqlite3_reset (stmt);
          sqlite3_bind_text (stmt, 1, ids[i], -1, SQLITE_TRANSIENT);
          g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
          count = sqlite3_column_int (stmt, 0);
          g_assert_cmpint (count, <=, 1);
          if (count == 0)
            tally->lost++;
        }
      g_clear_pointer (&stmt, sqlite3_finalize);
      stmt = _kiosk_store_prepare (store, "SELECT count(*) FROM requests", &error);
      g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
      tally->stored = (guint) sqlite3_column_int (stmt, 0);
    }

  g_test_message ("%s: %u rounds, %u acknowledged, %u stored, %u lost",
                  ack_before_commit ? "ack-before-commit" : "real outbox",
                  rounds, tally->acknowledged, tally->stored, tally->lost);

  {
    const char *files[] = { "stadtkiosk.db", "stadtkiosk.db-wal", "stadtkiosk.db-shm", "acks" };
    for (guint i = 0; i < G_N_ELEMENTS (files); i++)
      {
        g_autofree char *p = g_build_filename (dir, files[i], NULL);
        g_unlink (p);
      }
    g_rmdir (dir);
  }
}

static void
test_sigkill (void)
{
  Tally tally;

  run_rounds (FALSE, ROUNDS, &tally);
  g_assert_cmpuint (tally.acknowledged, >, ROUNDS);
  g_assert_cmpuint (tally.lost, ==, 0);
  /* Every stored request was acknowledged, except the one in flight at
   * each kill, which may have committed without its acknowledgement. */
  g_assert_cmpuint (tally.stored, >=, tally.acknowledged);
  g_assert_cmpuint (tally.stored, <=, tally.acknowledged + ROUNDS);
}

/* Negative control: a kiosk that says "saved" before COMMIT loses requests,
 * and this harness sees it. */
static void
test_sigkill_negative_control (void)
{
  Tally tally;

  run_rounds (TRUE, ROUNDS, &tally);
  g_assert_cmpuint (tally.acknowledged, >, ROUNDS);
  g_assert_cmpuint (tally.lost, >, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/kiosk/kill/sigkill", test_sigkill);
  g_test_add_func ("/kiosk/kill/sigkill-negative-control", test_sigkill_negative_control);

  return g_test_run ();
}

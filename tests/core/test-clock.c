/* test-clock.c
 *
 * SPDX-FileCopyrightText: 2026 Stadtkiosk contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "kiosk-clock.h"

typedef struct
{
  GArray *fired;        /* gint64 fake times at which the timer ran */
  guint   repeat;       /* how many more times to continue */
  KioskClock *clock;
} Log;

static gboolean
timer_fired_cb (gpointer data)
{
  Log *log = data;
  gint64 now = kiosk_clock_get_now (log->clock);

  g_array_append_val (log->fired, now);
  if (log->repeat == 0)
    return G_SOURCE_REMOVE;
  log->repeat--;
  return G_SOURCE_CONTINUE;
}

static void
test_fake_timers (void)
{
  g_autoptr(KioskClock) clock = kiosk_clock_new_fake (1000 * G_USEC_PER_SEC);
  Log once = { g_array_new (FALSE, FALSE, sizeof (gint64)), 0, clock };
  Log thrice = { g_array_new (FALSE, FALSE, sizeof (gint64)), 2, clock };
  Log removed = { g_array_new (FALSE, FALSE, sizeof (gint64)), 0, clock };
  guint id;

  g_assert_true (kiosk_clock_is_fake (clock));
  g_assert_cmpint (kiosk_clock_get_now (clock), ==, 1000 * G_USEC_PER_SEC);

  kiosk_clock_add_timeout (clock, 5000, timer_fired_cb, &once, NULL);
  kiosk_clock_add_timeout (clock, 2000, timer_fired_cb, &thrice, NULL);
  id = kiosk_clock_add_timeout (clock, 1000, timer_fired_cb, &removed, NULL);
  kiosk_clock_remove_timeout (clock, id);

  kiosk_clock_advance (clock, 1999 * 1000);
  g_assert_cmpuint (thrice.fired->len, ==, 0);

  kiosk_clock_advance (clock, 10 * G_USEC_PER_SEC);
  g_assert_cmpint (kiosk_clock_get_now (clock), ==, 1011999 * 1000);
  g_assert_cmpuint (removed.fired->len, ==, 0);
  g_assert_cmpuint (once.fired->len, ==, 1);
  g_assert_cmpint (g_array_index (once.fired, gint64, 0), ==, 1005 * G_USEC_PER_SEC);
  g_assert_cmpuint (thrice.fired->len, ==, 3);
  g_assert_cmpint (g_array_index (thrice.fired, gint64, 0), ==, 1002 * G_USEC_PER_SEC);
  g_assert_cmpint (g_array_index (thrice.fired, gint64, 1), ==, 1004 * G_USEC_PER_SEC);
  g_assert_cmpint (g_array_index (thrice.fired, gint64, 2), ==, 1006 * G_USEC_PER_SEC);

  g_array_unref (once.fired);
  g_array_unref (thrice.fired);
  g_array_unref (removed.fired);
}

static gboolean
quit_cb (gpointer data)
{
  g_main_loop_quit (data);
  return G_SOURCE_REMOVE;
}

static void
test_system_timer (void)
{
  g_autoptr(KioskClock) clock = kiosk_clock_new_system ();
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  gint64 before = g_get_real_time ();
  guint id;

  g_assert_false (kiosk_clock_is_fake (clock));
  g_assert_cmpint (ABS (kiosk_clock_get_now (clock) - before), <, 5 * G_USEC_PER_SEC);

  id = kiosk_clock_add_timeout (clock, 10, quit_cb, loop, NULL);
  g_main_loop_run (loop);
  /* removing a timer that already ran is harmless */
  kiosk_clock_remove_timeout (clock, id);

  /* a pending timer is destroyed with its clock */
  kiosk_clock_add_timeout (clock, 60000, quit_cb, loop, NULL);
  g_assert_finalize_object (g_steal_pointer (&clock));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/kiosk/clock/fake-timers", test_fake_timers);
  g_test_add_func ("/kiosk/clock/system-timer", test_system_timer);

  return g_test_run ();
}

/* bench-clerk-page.c: the clerk page at city scale
 *
 *   xvfb-run -a bench-clerk-page BIG_STATE_DIR [--uncapped N] [--cap ROWS]
 *
 * Opens the clerk page (the list of requests that need a clerk: rejected,
 * queued, sending) on a state directory written by bench-big-state
 * (100,000 requests, 2,000 of them queued, 6,000 services), and, as the
 * baseline in the same run, on a new, empty state: from
 * kiosk_clerk_page_new() until its first frame is painted, three times
 * each, taking turns, after one page opened unmeasured (its time printed
 * apart: the process's first widgets, styles and glyphs, which the kiosk's
 * welcome page and PIN pad have paid for before).  The target is 200 ms.  The first open on a new
 * context loads the 15 MB catalogue in a worker thread
 * (kiosk-clerk-page.c): its first frame shows service ids, and a second
 * figure says when the titles are painted.  Prints figures and the
 * load average; never fails on time.
 *
 * --uncapped N: first opens the city-scale page N times without the row
 * cap (every request a row, as before #18), the same-run "before".
 * --cap ROWS: list at most ROWS instead of KIOSK_CLERK_PAGE_MAX_ROWS.
 *
 * SPDX-FileCopyrightText: 2026 Stadtkiosk contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include "kiosk-clerk-page.h"
#include "kiosk-clerk-page-private.h"
#include "kiosk-staff-screen.h"
#include "bench-proc.h"

static guint painted;

static void
after_paint_cb (GdkFrameClock *clock,
                gpointer       user_data)
{
  painted++;
}

static KioskContext *
context_for (const char *state_dir)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KioskConfig) config = kiosk_config_new_default ();
  KioskContext *context;

  kiosk_config_set_state_dir (config, state_dir);
  context = kiosk_context_new (config, NULL, &error);
  if (context == NULL)
    g_error ("%s", error->message);
  return context;
}

/* ms from kiosk_clerk_page_new() to the first painted frame with it;
 * @titles_ms: to the first frame with the service titles (the same if the
 * catalogue was there at once) */
static double
open_page (KioskContext *context,
           guint        *n_rows,
           double       *titles_ms)
{
  g_autoptr(KioskStaffSession) session = kiosk_staff_session_new (context);
  GtkWidget *window = gtk_window_new ();
  GtkWidget *page;
  gint64 t0;
  double ms;
  guint before;

  kiosk_staff_session_begin (session, KIOSK_ROLE_CLERK);
  gtk_window_set_default_size (GTK_WINDOW (window), 1280, 800);
  t0 = g_get_monotonic_time ();
  page = kiosk_clerk_page_new (session);
  gtk_window_set_child (GTK_WINDOW (window), page);
  gtk_window_present (GTK_WINDOW (window));
  while (gtk_widget_get_frame_clock (window) == NULL)
    g_main_context_iteration (NULL, TRUE);
  before = painted;
  g_signal_connect (gtk_widget_get_frame_clock (window), "after-paint", G_CALLBACK (after_paint_cb), NULL);
  while (painted == before)
    g_main_context_iteration (NULL, TRUE);
  ms = (g_get_monotonic_time () - t0) / 1000.0;
  *titles_ms = ms;
  if (_kiosk_clerk_page_get_titles_pending (KIOSK_CLERK_PAGE (page)))
    {
      while (_kiosk_clerk_page_get_titles_pending (KIOSK_CLERK_PAGE (page)))
        g_main_context_iteration (NULL, TRUE);
      before = painted;
      while (painted == before)
        g_main_context_iteration (NULL, TRUE);
      *titles_ms = (g_get_monotonic_time () - t0) / 1000.0;
    }
  {
    guint counts[KIOSK_REQUEST_N_STATES];

    kiosk_outbox_count_by_state (kiosk_context_get_outbox (context), counts, NULL);
    *n_rows = counts[KIOSK_REQUEST_QUEUED] + counts[KIOSK_REQUEST_REJECTED] + counts[KIOSK_REQUEST_SENDING];
  }
  gtk_window_destroy (GTK_WINDOW (window));
  while (g_main_context_iteration (NULL, FALSE))
    ;
  return ms;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KioskContext) big = NULL;
  g_autoptr(KioskContext) empty = NULL;
  g_autofree char *empty_dir = NULL;
  double load0 = bench_load_average ();
  double big_ms[3], empty_ms[3], big_titles_ms[3], empty_titles_ms[3];
  double first_ms[3], first_titles_ms[3], first_sync_ms[3], first_held_ms[3];
  guint big_rows = 0, empty_rows = 0;
  guint n_uncapped = 0;
  guint cap = KIOSK_CLERK_PAGE_MAX_ROWS;

  for (int i = 2; i + 1 < argc; i += 2)
    {
      if (g_str_equal (argv[i], "--uncapped"))
        n_uncapped = atoi (argv[i + 1]);
      else if (g_str_equal (argv[i], "--cap"))
        cap = atoi (argv[i + 1]);
      else
        argc = 0;
    }
  if (argc < 2 || argc % 2 != 0 || cap == 0)
    {
      fprintf (stderr, "usage: bench-clerk-page BIG_STATE_DIR (from bench-big-state) [--uncapped N] [--cap ROWS]\n");
      return 2;
    }
  setvbuf (stdout, NULL, _IOLBF, 0);
  gtk_init ();
  adw_init ();
  kiosk_staff_load_css ();
  empty_dir = g_dir_make_tmp ("stadtkiosk-clerk-XXXXXX", &error);
  g_assert_no_error (error);
  big = context_for (argv[1]);
  empty = context_for (empty_dir);

  _kiosk_clerk_page_set_default_max_rows (cap);

  /* The process's first page pays for GTK itself: the widget classes and
   * their style, the fonts' first glyphs.  In the kiosk the welcome page
   * and the PIN pad have paid for them before a clerk page opens, so one
   * page is opened first and its time printed apart. */
  {
    double titles_ms;
    double ms = open_page (big, &big_rows, &titles_ms);

    printf ("clerk page, the process's first page (GTK's classes, styles and fonts used the first time; "
            "not in the figures below): %.0f ms; load average %.1f\n", ms, bench_load_average ());
  }

  /* The first open on a new context, which has not read the catalogue
   * yet (a counter workstation): loaded in a worker thread; the baseline,
   * read before the first frame (as before); and, for comparison, a new
   * context that holds it already (the kiosk reads it at start), in turns. */
  for (guint i = 0; i < 3; i++)
    for (guint turn = 0; turn < 3; turn++)
      {
        guint variant = (i + turn) % 3;
        g_autoptr(KioskContext) fresh = context_for (argv[1]);
        double titles_ms;
        double ms;

        if (variant == 2)
          {
            g_autoptr(KioskCatalog) held = kiosk_context_dup_active_catalog (fresh, &error);

            g_assert_no_error (error);
            g_assert_nonnull (held);
          }
        _kiosk_clerk_page_set_catalog_in_thread (variant != 1);
        ms = open_page (fresh, &big_rows, &titles_ms);
        if (variant == 0)
          {
            first_ms[i] = ms;
            first_titles_ms[i] = titles_ms;
          }
        else if (variant == 1)
          first_sync_ms[i] = ms;
        else
          first_held_ms[i] = ms;
      }
  _kiosk_clerk_page_set_catalog_in_thread (TRUE);
  printf ("clerk page, first open on a new context, city scale: first frame %.0f / %.0f / %.0f ms, "
          "with the service titles %.0f / %.0f / %.0f ms; baseline, catalogue read before the first frame: "
          "%.0f / %.0f / %.0f ms; a context holding the catalogue already: %.0f / %.0f / %.0f ms; load average %.1f\n",
          first_ms[0], first_ms[1], first_ms[2], first_titles_ms[0], first_titles_ms[1], first_titles_ms[2],
          first_sync_ms[0], first_sync_ms[1], first_sync_ms[2],
          first_held_ms[0], first_held_ms[1], first_held_ms[2], bench_load_average ());

  for (guint i = 0; i < n_uncapped; i++)
    {
      double ms, titles_ms;

      _kiosk_clerk_page_set_default_max_rows (G_MAXUINT);
      ms = open_page (big, &big_rows, &titles_ms);
      _kiosk_clerk_page_set_default_max_rows (cap);
      printf ("  uncapped run %u: city scale %.0f ms (%u rows, every one listed); load average %.1f\n",
              i + 1, ms, big_rows, bench_load_average ());
    }
  for (guint i = 0; i < 3; i++)
    {
      empty_ms[i] = open_page (empty, &empty_rows, &empty_titles_ms[i]);
      big_ms[i] = open_page (big, &big_rows, &big_titles_ms[i]);
      printf ("  run %u: empty state %.0f ms, city scale %.0f ms (%u rows), with the service titles %.0f ms\n",
              i + 1, empty_ms[i], big_ms[i], big_rows, big_titles_ms[i]);
    }
  printf ("clerk page, new to first frame: city scale (%u rows to list, %u shown) %.0f / %.0f / %.0f ms; "
          "baseline, empty state (%u rows): %.0f / %.0f / %.0f ms; load average %.1f -> %.1f\n",
          big_rows, MIN (big_rows, cap), big_ms[0], big_ms[1], big_ms[2], empty_rows, empty_ms[0], empty_ms[1], empty_ms[2],
          load0, bench_load_average ());
  printf ("the same until the service titles are painted (the first open loads the catalogue): "
          "city scale %.0f / %.0f / %.0f ms; empty state %.0f / %.0f / %.0f ms\n",
          big_titles_ms[0], big_titles_ms[1], big_titles_ms[2],
          empty_titles_ms[0], empty_titles_ms[1], empty_titles_ms[2]);
  return 0;
}

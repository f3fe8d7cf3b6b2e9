/* bench-catalog-page.c: the catalogue page as a citizen types, at 6,000 services
 *
 * Under a display (xvfb-run): a window with the kiosk's catalogue page
 * over a generated 6,000-service catalogue (the size of the federal one).
 * Each keystroke sets the search text and waits until the next frame is
 * painted, so that search, tiles, layout and drawing are all counted.
 *
 * The page builds at most 60 tiles and keeps them from one keystroke to
 * the next, binding them to the new results (kiosk-catalog-page.c).  The
 * baseline in the same run is the same page building 60 new tiles per
 * keystroke, as before the tiles were kept; the two alternate, query set by
 * query set, over ROUNDS rounds, so that a change of the machine's load
 * hits both.  With --uncapped it also types the first keystrokes with a
 * tile per result, as before the cap (seconds per keystroke); with
 * --kept-only it measures only the kept tiles (for perf record).
 *
 * A third turn types with the page as in the kiosk: the kiosk's style
 * sheet, and the "kiosk.open-service" action, without which every tile is
 * insensitive and drawn through an opacity filter that the cairo renderer
 * applies pixel by pixel (most of the paint in the first two turns; they
 * are kept so that the figures compare with earlier runs).  For each
 * keystroke it also prints its work alone: search and binding, and its
 * frame's ticks, layout and paint, without the wait for the frame clock's
 * next frame (a frame with nothing changed takes the ~16.5 ms of that
 * wait).  Last, it types through the search entry as in the kiosk, a
 * character inserted as the on-screen keyboard does: the kiosk's own
 * keystroke (the turns above set the whole text, which the entry sees
 * empty first, so they fill the tiles twice per keystroke).
 *
 * BENCH_VERBOSE=1 prints every keystroke, with its phases.
 * Prints median and p99 per keystroke and the ratios, and the load
 * average.  Never fails on time.
 *
 * SPDX-FileCopyrightText: 2026 Stadtkiosk contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <adwaita.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "stadtkiosk-core.h"
#include "kiosk-catalog-page.h"
#include "kiosk-catalog-page-private.h"
#include "bench-catalog-gen.h"
#include "bench-proc.h"

#define N_SERVICES 6000
#define N_BASELINE_KEYS 3
#define ROUNDS 3

static const char *queries[] = {
  "Dienstleistung 4711",
  "Bürgerinnen",
  "Möglichkeit 3",
  "Dienstleitsung",
  "Sperrmüll abholen",
  "Wunschtermin 12",
};

static guint painted;
static double last_set_ms;  /* of the last type(): search and binding, before layout */
static gint64 set_end;

/* The phases of the last painted frame, from handlers run after GTK's
 * own (connected after): the start of the frame ("before-paint"), the end
 * of "update" (GTK's tick callbacks), of "layout" (styles, measuring and
 * allocating) and of "paint" (snapshot and the renderer). */
static gint64 frame_start, update_end, layout_end, paint_end;
static guint n_frames;
static double last_before_ms, last_layout_ms, last_paint_ms;

static void
before_paint_cb (GdkFrameClock *clock,
                 gpointer       user_data)
{
  frame_start = g_get_monotonic_time ();
  n_frames++;
}

static void
update_cb (GdkFrameClock *clock,
           gpointer       user_data)
{
  update_end = g_get_monotonic_time ();
}

static void
layout_cb (GdkFrameClock *clock,
           gpointer       user_data)
{
  layout_end = g_get_monotonic_time ();
}

static void
paint_cb (GdkFrameClock *clock,
          gpointer       user_data)
{
  paint_end = g_get_monotonic_time ();
}

static void
after_paint_cb (GdkFrameClock *clock,
                gpointer       user_data)
{
  last_before_ms = (update_end - frame_start) / 1000.0;
  last_layout_ms = (layout_end - update_end) / 1000.0;
  last_paint_ms = (paint_end - layout_end) / 1000.0;
  painted++;
}

static int
compare_doubles (const void *a,
                 const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y;
}

static double
percentile (GArray *values,
            double  p)
{
  qsort (values->data, values->len, sizeof (double), compare_doubles);
  return g_array_index (values, double, (guint) (p * (values->len - 1) + 0.5));
}

static void
drain (void)
{
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

/* One keystroke: the text typed so far, until the frame after it is painted. */
static double
type (GtkWidget     *page,
      GdkFrameClock *clock,
      const char    *typed)
{
  gint64 t0 = g_get_monotonic_time ();
  guint before = painted;

  kiosk_catalog_page_set_query (KIOSK_CATALOG_PAGE (page), typed);
  set_end = g_get_monotonic_time ();
  n_frames = 0;
  last_set_ms = (set_end - t0) / 1000.0;
  gdk_frame_clock_request_phase (clock, GDK_FRAME_CLOCK_PHASE_PAINT);
  while (painted == before)
    g_main_context_iteration (NULL, TRUE);
  return (g_get_monotonic_time () - t0) / 1000.0;
}

static guint searched;

static void
open_service_cb (GSimpleAction *action,
                 GVariant      *parameter,
                 gpointer       user_data)
{
}

/* As in the kiosk, or as this benchmark was before: with the kiosk's
 * style sheet (style.css, the window's "kiosk" class) and the window's
 * "kiosk.open-service" action, so that the tiles are drawn as a citizen
 * sees them.  Without the action the tiles are insensitive, and Adwaita
 * draws an insensitive button through an opacity filter, which the cairo
 * renderer applies pixel by pixel (most of a frame's paint). */
static void
dress_as_kiosk (GtkWidget      *window,
                GtkCssProvider *css,
                gboolean        as_kiosk)
{
  if (as_kiosk)
    {
      g_autoptr(GSimpleActionGroup) group = g_simple_action_group_new ();
      g_autoptr(GSimpleAction) open = g_simple_action_new ("open-service", G_VARIANT_TYPE_STRING);

      g_signal_connect (open, "activate", G_CALLBACK (open_service_cb), NULL);
      g_action_map_add_action (G_ACTION_MAP (group), G_ACTION (open));
      gtk_widget_insert_action_group (window, "kiosk", G_ACTION_GROUP (group));
      gtk_style_context_add_provider_for_display (gdk_display_get_default (), GTK_STYLE_PROVIDER (css),
                                                  GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
      gtk_widget_add_css_class (window, "kiosk");
    }
  else
    {
      gtk_widget_insert_action_group (window, "kiosk", NULL);
      gtk_style_context_remove_provider_for_display (gdk_display_get_default (), GTK_STYLE_PROVIDER (css));
      gtk_widget_remove_css_class (window, "kiosk");
    }
}

static void
search_changed_cb (GtkSearchEntry *entry,
                   gpointer        user_data)
{
  searched++;
}

/* One keystroke as the on-screen keyboard types it: the last character of
 * @typed inserted at the end of the search entry, which searches after its
 * search delay; until the frame after the search is painted.  (Setting
 * the whole text would empty the entry first, and an empty entry searches
 * at once.) */
static double
type_entry (GtkWidget     *page,
            GdkFrameClock *clock,
            const char    *typed)
{
  GtkWidget *entry = kiosk_catalog_page_get_search_entry (KIOSK_CATALOG_PAGE (page));
  const char *last = g_utf8_prev_char (typed + strlen (typed));
  int position = (int) g_utf8_strlen (typed, -1) - 1;
  gint64 t0 = g_get_monotonic_time ();
  guint before = searched;

  g_assert (g_str_has_prefix (typed, gtk_editable_get_text (GTK_EDITABLE (entry))));
  gtk_editable_insert_text (GTK_EDITABLE (entry), last, strlen (last), &position);
  while (searched == before)
    g_main_context_iteration (NULL, TRUE);
  /* The insertion until the search is done and the tiles bound, the main
   * loop's turns between them included. */
  set_end = g_get_monotonic_time ();
  n_frames = 0;
  last_set_ms = (set_end - t0) / 1000.0;
  before = painted;
  gdk_frame_clock_request_phase (clock, GDK_FRAME_CLOCK_PHASE_PAINT);
  while (painted == before)
    g_main_context_iteration (NULL, TRUE);
  return (g_get_monotonic_time () - t0) / 1000.0;
}

/* A frame with nothing changed: the frame clock's own floor. */
static double
idle_frame (GdkFrameClock *clock)
{
  gint64 t0 = g_get_monotonic_time ();
  guint before = painted;

  gdk_frame_clock_request_phase (clock, GDK_FRAME_CLOCK_PHASE_PAINT);
  while (painted == before)
    g_main_context_iteration (NULL, TRUE);
  return (g_get_monotonic_time () - t0) / 1000.0;
}

/* The search alone, as the page runs it, for each keystroke of every query. */
static void
search_queries (KioskCatalog *catalog,
                GArray       *times)
{
  for (guint q = 0; q < G_N_ELEMENTS (queries); q++)
    {
      const char *end = queries[q];

      while (*end != '\0')
        {
          g_autofree char *typed = NULL;
          g_autoptr(GListModel) found = NULL;
          gint64 t0;
          double ms;

          end = g_utf8_next_char (end);
          typed = g_strndup (queries[q], end - queries[q]);
          t0 = g_get_monotonic_time ();
          found = kiosk_catalog_search (catalog, typed);
          ms = (g_get_monotonic_time () - t0) / 1000.0;
          g_array_append_val (times, ms);
        }
    }
}

/* Types every query, keystroke by keystroke, then clears the entry. */
static void
type_queries (GtkWidget     *page,
              GdkFrameClock *clock,
              gboolean       through_entry,
              GArray        *times,
              GArray        *work,
              guint         *max_shown)
{
  for (guint q = 0; q < G_N_ELEMENTS (queries); q++)
    {
      const char *end = queries[q];

      while (*end != '\0')
        {
          g_autofree char *typed = NULL;
          double ms;

          end = g_utf8_next_char (end);
          typed = g_strndup (queries[q], end - queries[q]);
          ms = through_entry ? type_entry (page, clock, typed) : type (page, clock, typed);
          g_array_append_val (times, ms);
          if (work != NULL)
            {
              double cpu = last_set_ms + last_before_ms + last_layout_ms + last_paint_ms;

              g_array_append_val (work, cpu);
            }
          if (g_getenv ("BENCH_VERBOSE") != NULL)
            printf ("  \"%s\": %u of %u results, %.1f ms, of which search and binding %.1f ms, "
                    "%u frames, the last one's start %.1f ms after it, its events and ticks %.1f ms, layout %.1f ms, paint %.1f ms\n", typed,
                    kiosk_catalog_page_get_n_tiles (KIOSK_CATALOG_PAGE (page)),
                    kiosk_catalog_page_get_n_results (KIOSK_CATALOG_PAGE (page)), ms, last_set_ms,
                    n_frames, (frame_start - set_end) / 1000.0, last_before_ms, last_layout_ms, last_paint_ms);
          *max_shown = MAX (*max_shown, kiosk_catalog_page_get_n_tiles (KIOSK_CATALOG_PAGE (page)));
          drain ();
        }
      type (page, clock, "");
      drain ();
    }
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(KioskCatalog) catalog = NULL;
  g_autoptr(GArray) kept = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) rebuilt = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) uncapped = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) idle = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) search = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) entry_page = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) entry_gtk = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) kept_work = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) kiosk = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) kiosk_work = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) kiosk_idle = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) entry_kiosk = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) entry_kiosk_work = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GtkCssProvider) css = gtk_css_provider_new ();
  GtkSearchEntry *entry;
  guint page_delay;
  gboolean with_uncapped = argc > 1 && g_strcmp0 (argv[1], "--uncapped") == 0;
  /* --kept-only: no baseline, for a profiler (perf record) */
  gboolean kept_only = argc > 1 && g_strcmp0 (argv[1], "--kept-only") == 0;
  double load0 = bench_load_average ();
  double kept_median, rebuilt_median;
  GtkWidget *window, *page;
  GdkFrameClock *clock;
  guint max_shown = 0;

  setvbuf (stdout, NULL, _IOLBF, 0);
  gtk_init ();
  adw_init ();
  bytes = bench_catalog_generate (N_SERVICES);
  catalog = kiosk_catalog_new_from_bytes (bytes, "bench", &error);
  if (catalog == NULL)
    g_error ("the generated catalogue was refused: %s", error->message);
  kiosk_catalog_prepare_search (catalog);
  gtk_css_provider_load_from_resource (css, "/de/hildesheim/Stadtkiosk/style.css");

  window = gtk_window_new ();
  page = kiosk_catalog_page_new (catalog, "de");
  gtk_window_set_child (GTK_WINDOW (window), page);
  gtk_window_set_default_size (GTK_WINDOW (window), 1280, 800);
  gtk_window_present (GTK_WINDOW (window));
  while (gtk_widget_get_frame_clock (window) == NULL)
    g_main_context_iteration (NULL, TRUE);
  clock = gtk_widget_get_frame_clock (window);
  g_signal_connect (clock, "before-paint", G_CALLBACK (before_paint_cb), NULL);
  g_signal_connect_after (clock, "update", G_CALLBACK (update_cb), NULL);
  g_signal_connect_after (clock, "layout", G_CALLBACK (layout_cb), NULL);
  g_signal_connect_after (clock, "paint", G_CALLBACK (paint_cb), NULL);
  g_signal_connect (clock, "after-paint", G_CALLBACK (after_paint_cb), NULL);
  entry = GTK_SEARCH_ENTRY (kiosk_catalog_page_get_search_entry (KIOSK_CATALOG_PAGE (page)));
  page_delay = gtk_search_entry_get_search_delay (entry);
  /* After the page's own handler: the search has run when it is called. */
  g_signal_connect (entry, "search-changed", G_CALLBACK (search_changed_cb), NULL);
  type (page, clock, "");
  drain ();

  /* Kept tiles, rebuilt tiles (both as this benchmark always measured
   * them) and kept tiles as in the kiosk, in turns, each round starting
   * with another one. */
  for (guint round = 0; round < ROUNDS; round++)
    for (guint turn = 0; turn < 3; turn++)
      {
        guint kind = (round + turn) % 3;
        gboolean reuse = kind != 1;
        GArray *times = kind == 0 ? kept : kind == 1 ? rebuilt : kiosk;
        static const char *names[] = { "tiles kept", "tiles rebuilt", "tiles kept, as in the kiosk" };

        if (kept_only && !reuse)
          continue;

        dress_as_kiosk (window, css, kind == 2);
        _kiosk_catalog_page_set_reuse_tiles (KIOSK_CATALOG_PAGE (page), reuse);
        type (page, clock, "");
        drain ();
        type_queries (page, clock, FALSE, times,
                      kind == 0 ? kept_work : kind == 2 ? kiosk_work : NULL, &max_shown);
        printf ("round %u, %s: %u keystrokes so far\n", round + 1, names[kind], times->len);
      }
  dress_as_kiosk (window, css, FALSE);
  /* Through the search entry, with the page's search delay and with
   * GTK's default (150 ms), kept tiles. */
  _kiosk_catalog_page_set_reuse_tiles (KIOSK_CATALOG_PAGE (page), TRUE);
  type_queries (page, clock, TRUE, entry_page, NULL, &max_shown);
  gtk_search_entry_set_search_delay (entry, 150);
  type_queries (page, clock, TRUE, entry_gtk, NULL, &max_shown);
  gtk_search_entry_set_search_delay (entry, page_delay);
  printf ("through the search entry, kept tiles: search delay %u ms: median %.1f ms, p99 %.1f ms; "
          "GTK's default delay 150 ms: median %.1f ms, p99 %.1f ms\n",
          page_delay, percentile (entry_page, 0.5), percentile (entry_page, 0.99),
          percentile (entry_gtk, 0.5), percentile (entry_gtk, 0.99));
  /* The same as in the kiosk: a character inserted, as the on-screen
   * keyboard does, the kiosk's keystroke. */
  dress_as_kiosk (window, css, TRUE);
  type (page, clock, "");
  drain ();
  type_queries (page, clock, TRUE, entry_kiosk, entry_kiosk_work, &max_shown);
  dress_as_kiosk (window, css, FALSE);
  printf ("through the search entry as in the kiosk, search delay %u ms: median %.1f ms, p99 %.1f ms; "
          "its work alone (insertion to search done, its frame's ticks, layout and paint) "
          "median %.1f ms, p99 %.1f ms\n",
          page_delay, percentile (entry_kiosk, 0.5), percentile (entry_kiosk, 0.99),
          percentile (entry_kiosk_work, 0.5), percentile (entry_kiosk_work, 0.99));

  for (guint i = 0; i < 100; i++)
    {
      double ms = idle_frame (clock);

      g_array_append_val (idle, ms);
      drain ();
    }
  dress_as_kiosk (window, css, TRUE);
  type (page, clock, "");
  drain ();
  for (guint i = 0; i < 100; i++)
    {
      double ms = idle_frame (clock);

      g_array_append_val (kiosk_idle, ms);
      drain ();
    }
  dress_as_kiosk (window, css, FALSE);
  for (guint round = 0; round < ROUNDS; round++)
    search_queries (catalog, search);
  printf ("for comparison: a frame with nothing changed, median %.1f ms, p99 %.1f ms; "
          "the search alone per keystroke, median %.1f ms, p99 %.1f ms\n",
          percentile (idle, 0.5), percentile (idle, 0.99), percentile (search, 0.5), percentile (search, 0.99));
  printf ("as in the kiosk: a frame with nothing changed, median %.1f ms, p99 %.1f ms\n",
          percentile (kiosk_idle, 0.5), percentile (kiosk_idle, 0.99));
  kept_median = percentile (kept, 0.5);
  if (rebuilt->len == 0)
    {
      printf ("tiles kept: %u keystrokes, median %.1f ms, p99 %.1f ms\n", kept->len, kept_median, percentile (kept, 0.99));
      printf ("tiles kept, as in the kiosk: %u keystrokes, median %.1f ms, p99 %.1f ms; "
              "the keystroke's work (search, binding, its frame's layout and paint) median %.1f ms, p99 %.1f ms\n",
              kiosk->len, percentile (kiosk, 0.5), percentile (kiosk, 0.99),
              percentile (kiosk_work, 0.5), percentile (kiosk_work, 0.99));
      gtk_window_destroy (GTK_WINDOW (window));
      return 0;
    }
  rebuilt_median = percentile (rebuilt, 0.5);

  if (with_uncapped)
    {
      const char *end = queries[0];

      /* The older baseline: a tile per result, on the first keystrokes. */
      _kiosk_catalog_page_set_reuse_tiles (KIOSK_CATALOG_PAGE (page), FALSE);
      _kiosk_catalog_page_set_max_tiles (KIOSK_CATALOG_PAGE (page), G_MAXUINT);
      type (page, clock, "");
      drain ();
      for (guint k = 0; k < N_BASELINE_KEYS && *end != '\0'; k++)
        {
          g_autofree char *typed = NULL;
          double ms;

          end = g_utf8_next_char (end);
          typed = g_strndup (queries[0], end - queries[0]);
          ms = type (page, clock, typed);
          g_array_append_val (uncapped, ms);
          printf ("  uncapped \"%s\": %u tiles, %.0f ms\n", typed,
                  kiosk_catalog_page_get_n_tiles (KIOSK_CATALOG_PAGE (page)), ms);
          drain ();
        }
    }

  printf ("catalogue page, %u services, per keystroke until the next frame is painted (ms), load average %.1f -> %.1f\n",
          N_SERVICES, load0, bench_load_average ());
  printf ("                                           keys   median      p99\n");
  printf ("at most 60 tiles, kept and bound again   %5u %8.1f %8.1f   (at most %u tiles shown)\n",
          kept->len, kept_median, percentile (kept, 0.99), max_shown);
  printf ("baseline: at most 60 tiles, built anew   %5u %8.1f %8.1f\n",
          rebuilt->len, rebuilt_median, percentile (rebuilt, 0.99));
  printf ("kept, as in the kiosk (style, action)    %5u %8.1f %8.1f\n",
          kiosk->len, percentile (kiosk, 0.5), percentile (kiosk, 0.99));
  printf ("the keystroke's work alone (search, binding, its frame's layout and paint; no wait for the frame clock):\n");
  printf ("  kept, as before                        %5u %8.1f %8.1f\n",
          kept_work->len, percentile (kept_work, 0.5), percentile (kept_work, 0.99));
  printf ("  kept, as in the kiosk                  %5u %8.1f %8.1f\n",
          kiosk_work->len, percentile (kiosk_work, 0.5), percentile (kiosk_work, 0.99));
  if (with_uncapped)
    printf ("older baseline: a tile per result        %5u %8.1f %8.1f   (first %u keystrokes)\n",
            uncapped->len, percentile (uncapped, 0.5), percentile (uncapped, 0.99), N_BASELINE_KEYS);
  printf ("ratio built anew / kept (median): %.2fx; p99: %.2fx\n",
          rebuilt_median / kept_median, percentile (rebuilt, 0.99) / percentile (kept, 0.99));
  printf ("one frame (16 ms) with kept tiles: median %s, p99 %s; as in the kiosk: median %s, p99 %s; "
          "its work alone: median %s, p99 %s\n",
          kept_median <= 16 ? "met" : "NOT met", percentile (kept, 0.99) <= 16 ? "met" : "NOT met",
          percentile (kiosk, 0.5) <= 16 ? "met" : "NOT met", percentile (kiosk, 0.99) <= 16 ? "met" : "NOT met",
          percentile (kiosk_work, 0.5) <= 16 ? "met" : "NOT met", percentile (kiosk_work, 0.99) <= 16 ? "met" : "NOT met");

  gtk_window_destroy (GTK_WINDOW (window));
  return 0;
}

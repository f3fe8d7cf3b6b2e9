/* bench-catalog.c: load + validate a generated 500-service catalogue
 *
 * Prints the median time of kiosk_catalog_new_from_bytes() over several
 * runs, from a tidy heap (as at the kiosk's start) and right after the
 * previous catalogue was freed (as at a catalogue update), and, as a
 * baseline measured in the same run on the same bytes, the median time
 * json-glib alone takes to parse them, and the ratios.  Not a timed test:
 * it never fails on speed, only if the catalogue is refused.
 *
 * SPDX-FileCopyrightText: 2026 Stadtkiosk contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "stadtkiosk-core.h"
#include "kiosk-json-private.h"
#include "bench-catalog-gen.h"

#define N_SERVICES 500
#define N_RUNS     15

/* CPU time of this thread: less disturbed than wall time when other
 * jobs share the machine's cores. */
static gint64
cpu_time_us (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_THREAD_CPUTIME_ID, &ts);
  return (gint64) ts.tv_sec * G_USEC_PER_SEC + ts.tv_nsec / 1000;
}

static int
compare_doubles (const void *a,
                 const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y;
}

static double
median (double *values,
        guint   n)
{
  qsort (values, n, sizeof (double), compare_doubles);
  return n % 2 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
}

/* One timed phase: wall and CPU milliseconds. */
typedef struct
{
  gint64 wall0;
  gint64 cpu0;
} Timer;

static void
timer_start (Timer *t)
{
  t->wall0 = g_get_monotonic_time ();
  t->cpu0 = cpu_time_us ();
}

static void
timer_stop (Timer  *t,
            double *out_wall_ms,
            double *out_cpu_ms)
{
  *out_wall_ms = (g_get_monotonic_time () - t->wall0) / 1000.0;
  *out_cpu_ms = (cpu_time_us () - t->cpu0) / 1000.0;
}

static KioskCatalog *
load (GBytes *bytes)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KioskCatalog) catalog = kiosk_catalog_new_from_bytes (bytes, "bench", &error);

  if (catalog == NULL)
    g_error ("the generated catalogue was refused:\n%s", error->message);
  if (g_list_model_get_n_items (G_LIST_MODEL (catalog)) != N_SERVICES)
    g_error ("expected %u services", N_SERVICES);
  return g_steal_pointer (&catalog);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GBytes) bytes = bench_catalog_generate (N_SERVICES);
  double parse_ms[N_RUNS], parse_cpu[N_RUNS];
  double load_ms[N_RUNS], load_cpu[N_RUNS];
  double after_ms[N_RUNS], after_cpu[N_RUNS];
  double reader_ms[N_RUNS], reader_cpu[N_RUNS];
  double parse, pcpu, tidy, tcpu, after, acpu, reader, rcpu;

  for (guint run = 0; run < N_RUNS; run++)
    {
      g_autoptr(GError) error = NULL;
      KioskCatalog *catalog;
      JsonParser *parser;
      Timer t;

      /* Each phase starts from a tidy heap, as the kiosk's load at start
       * does.  Otherwise glibc bills the consolidation of the ~10^5 small
       * blocks one phase freed to the first larger allocation of the
       * next: someone else's garbage.  The third phase shows that case
       * on purpose. */
      malloc_trim (0);

      /* The baseline parses and frees the tree, as the loader does. */
      timer_start (&t);
      parser = json_parser_new_immutable ();
      if (!json_parser_load_from_data (parser, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), &error))
        g_error ("json-glib: %s", error->message);
      g_object_unref (parser);
      timer_stop (&t, &parse_ms[run], &parse_cpu[run]);

      malloc_trim (0);
      timer_start (&t);
      catalog = load (bytes);
      timer_stop (&t, &load_ms[run], &load_cpu[run]);

      /* A catalogue update: the old one is freed, the next loaded. */
      g_object_unref (catalog);
      timer_start (&t);
      catalog = load (bytes);
      timer_stop (&t, &after_ms[run], &after_cpu[run]);
      g_object_unref (catalog);

      /* Of the load: the catalogue's JSON reader alone. */
      malloc_trim (0);
      timer_start (&t);
      kiosk_json_free (kiosk_json_parse (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), 32, NULL));
      timer_stop (&t, &reader_ms[run], &reader_cpu[run]);
    }

  parse = median (parse_ms, N_RUNS);
  pcpu = median (parse_cpu, N_RUNS);
  tidy = median (load_ms, N_RUNS);
  tcpu = median (load_cpu, N_RUNS);
  after = median (after_ms, N_RUNS);
  acpu = median (after_cpu, N_RUNS);
  reader = median (reader_ms, N_RUNS);
  rcpu = median (reader_cpu, N_RUNS);
  printf ("catalogue: %u services, %u fields, %.1f KiB of JSON\n", N_SERVICES, N_SERVICES * 12,
          g_bytes_get_size (bytes) / 1024.0);
  printf ("medians of %u runs                                    wall ms    cpu ms\n", N_RUNS);
  printf ("load + validate (kiosk_catalog_new_from_bytes)       %8.2f  %8.2f\n", tidy, tcpu);
  printf ("  of which the JSON reader (kiosk-json, parse + free) %7.2f  %8.2f\n", reader, rcpu);
  printf ("  the same right after freeing the previous catalogue %7.2f  %8.2f\n", after, acpu);
  printf ("baseline: json-glib parse (+ free) only              %8.2f  %8.2f\n", parse, pcpu);
  printf ("ratio load+validate / parse                          %8.2f  %8.2f\n", tidy / parse, tcpu / pcpu);
  printf ("ratio (after freeing) / parse                        %8.2f  %8.2f\n", after / parse, acpu / pcpu);
  return 0;
}

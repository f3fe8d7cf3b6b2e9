/* bench-catalog-memory.c: what a city-scale catalogue costs in memory
 *
 *   bench-catalog-memory [N_SERVICES]     (default 6,000)
 *
 * Writes a generated catalogue of N services (bench-catalog-gen.c, the
 * size of the federal one by default) to a file, then runs itself twice on
 * it, as the kiosk loads one: the JSON read into memory (the baseline),
 * parsed in a worker thread (kiosk_context_load_active_catalog_async()
 * does that for one over 1 MiB), the search index built, the caller's JSON
 * dropped, and the catalogue's own copy of the JSON dropped, as the
 * shared copy in KioskContext does.  Once with GLib's slice allocator as Debian 12's GLib 2.74 has
 * it, once with G_SLICE=always-malloc.  After each stage it prints the
 * heap in use (mallinfo2, after malloc_trim) and the process's PSS and
 * private memory, and the heap per service.  Measures nothing against
 * time; under valgrind --tool=massif (run with --load FILE) it shows the
 * allocation sites.
 *
 * SPDX-FileCopyrightText: 2026 Stadtkiosk contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "stadtkiosk-core.h"
#include "kiosk-catalog-private.h"
#include "bench-catalog-gen.h"
#include "bench-proc.h"

static double
heap_mb (void)
{
  struct mallinfo2 info;

  malloc_trim (0);
  info = mallinfo2 ();
  return (info.uordblks + info.hblkhd) / (1024.0 * 1024.0);
}

static void
report (const char *stage,
        double      heap,
        double      heap_before,
        guint       n)
{
  printf ("  %-44s heap %6.1f MB (%+6.1f MB, %+6.0f B a service)   PSS %6.1f MB   private %6.1f MB\n",
          stage, heap, heap - heap_before, (heap - heap_before) * 1024 * 1024 / n,
          bench_pss_mb (), bench_private_mb ());
}

static void
parse_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  g_autoptr(GError) error = NULL;
  KioskCatalog *catalog = kiosk_catalog_new_from_bytes (task_data, "bench", &error);

  if (catalog == NULL)
    g_error ("the generated catalogue was refused: %s", error->message);
  g_task_return_pointer (task, catalog, g_object_unref);
}

static int
load (const char *path,
      guint       n)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(KioskCatalog) catalog = NULL;
  g_autoptr(GListModel) found = NULL;
  g_autoptr(GTask) task = NULL;
  g_autoptr(GMappedFile) file = NULL;
  double start, with_json, parsed, indexed;

  start = heap_mb ();
  file = g_mapped_file_new (path, FALSE, &error);
  g_assert_no_error (error);
  /* A copy on the heap, as the kiosk reads it from SQLite. */
  bytes = g_bytes_new (g_mapped_file_get_contents (file), g_mapped_file_get_length (file));
  g_clear_pointer (&file, g_mapped_file_unref);
  with_json = heap_mb ();
  report ("the JSON text (baseline)", with_json, start, n);

  task = g_task_new (NULL, NULL, NULL, NULL);
  g_task_set_task_data (task, g_bytes_ref (bytes), (GDestroyNotify) g_bytes_unref);
  g_task_run_in_thread_sync (task, parse_thread);
  catalog = g_task_propagate_pointer (task, &error);
  g_assert_no_error (error);
  g_clear_object (&task);
  parsed = heap_mb ();
  report ("parsed in a worker thread", parsed, with_json, n);

  kiosk_catalog_prepare_search (catalog);
  found = kiosk_catalog_search (catalog, "Dienstleistung 4711");
  indexed = heap_mb ();
  report ("search index built", indexed, parsed, n);

  g_clear_pointer (&bytes, g_bytes_unref);
  report ("caller's JSON dropped (the catalogue keeps it)", heap_mb (), indexed, n);
  printf ("  the catalogue in memory: heap %.1f MB, %.1fx its JSON; PSS %.1f MB\n",
          heap_mb () - start, (heap_mb () - start) / (with_json - start), bench_pss_mb ());
  /* As KioskContext's shared copy, which does not keep its JSON. */
  _kiosk_catalog_drop_bytes (catalog);
  report ("its own JSON dropped (KioskContext's copy)", heap_mb (), indexed, n);
  printf ("  KioskContext's copy in memory: heap %.1f MB, %.1fx the JSON; PSS %.1f MB\n",
          heap_mb () - start, (heap_mb () - start) / (with_json - start), bench_pss_mb ());
  return 0;
}

static void
run_child (const char  *self,
           const char  *path,
           guint        n,
           const char  *slice)
{
  g_autofree char *n_text = g_strdup_printf ("%u", n);
  const char *argv[] = { self, "--load", path, n_text, NULL };
  g_auto(GStrv) envp = g_get_environ ();
  g_autoptr(GError) error = NULL;
  int status;

  envp = slice != NULL ? g_environ_setenv (envp, "G_SLICE", slice, TRUE) : g_environ_unsetenv (envp, "G_SLICE");
  if (!g_spawn_sync (NULL, (char **) argv, envp, G_SPAWN_CHILD_INHERITS_STDIN | G_SPAWN_CHILD_INHERITS_STDOUT,
                     NULL, NULL, NULL, NULL, &status, &error) ||
      !g_spawn_check_wait_status (status, &error))
    g_error ("%s --load: %s", self, error->message);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char *path = NULL;
  guint n;
  int fd;

  setvbuf (stdout, NULL, _IOLBF, 0);
  if (argc == 4 && g_str_equal (argv[1], "--load"))
    return load (argv[2], (guint) atoi (argv[3]));

  n = argc > 1 ? (guint) atoi (argv[1]) : 6000;
  if (n == 0)
    {
      fprintf (stderr, "usage: bench-catalog-memory [N_SERVICES]\n");
      return 2;
    }
  fd = g_file_open_tmp ("stadtkiosk-catalog-XXXXXX.json", &path, &error);
  g_assert_no_error (error);
  close (fd);
  bytes = bench_catalog_generate (n);
  g_file_set_contents (path, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), &error);
  g_assert_no_error (error);
  printf ("catalogue of %u services, %.1f MB of JSON; load average %.1f\n",
          n, g_bytes_get_size (bytes) / (1024.0 * 1024.0), bench_load_average ());
  g_clear_pointer (&bytes, g_bytes_unref);

  printf ("GLib's slice allocator (as the kiosk runs):\n");
  run_child (argv[0], path, n, NULL);
  printf ("G_SLICE=always-malloc:\n");
  run_child (argv[0], path, n, "always-malloc");
  g_unlink (path);
  return 0;
}

/* bench-catalog-memory.c: what a city-scale catalogue costs in memory
 *
 *   bench-catalog-memory [N_SERVICES]     (default 6,000)
 *
 * Writes a generated catalogue of N services (bench-catalog-gen.c, the
 * size of the federal one by default) to a file, then runs itself on it:
 *
 *   1. as kiosk_catalog_load_active() gives a catalogue (forms and text
 *      kept): the JSON read into memory (the baseline), parsed in a worker
 *      thread (kiosk_context_load_active_catalog_async() does that for one
 *      over 1 MiB), the search index built, the caller's JSON dropped;
 *   2. as KioskContext's shared copy, which the kiosk keeps: the catalogue
 *      stored in a database first, then the same stages, the forms and
 *      text dropped after the parse (kiosk-catalog-forms.c: a copy without
 *      them), then 50 forms read on demand from the stored row;
 *   3. the same without G_SLICE=always-malloc, which the systemd unit sets:
 *      GLib 2.74's slice allocator keeps the freed forms.
 *
 * After each stage it prints the heap in use (mallinfo2, after
 * malloc_trim) and the process's PSS and private memory, and the heap per
 * service.  Measures nothing against time but the 50 forms' mean read;
 * under valgrind --tool=massif (run with --load FILE N) it shows the
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
#include "kiosk-store-private.h"
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

typedef struct
{
  GBytes     *bytes;
  const char *db_path;    /* the shared copy: forms on demand from this row */
} Parse;

static void
parse_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  Parse *parse = task_data;
  g_autoptr(GError) error = NULL;
  KioskCatalog *catalog;

  /* As kiosk-context.c does. */
  if (parse->db_path != NULL)
    catalog = _kiosk_catalog_new_without_forms (parse->bytes, "bench", 1, parse->db_path, &error);
  else
    catalog = kiosk_catalog_new_from_bytes (parse->bytes, "bench", &error);
  if (catalog == NULL)
    g_error ("the generated catalogue was refused: %s", error->message);
  g_task_return_pointer (task, catalog, g_object_unref);
}

/* @shared: as KioskContext's copy (the catalogue stored in a database
 * first, its forms dropped after the parse and read on demand); else as
 * kiosk_catalog_load_active() gives it, forms and text kept. */
static int
load (const char *path,
      guint       n,
      gboolean    shared)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(KioskCatalog) catalog = NULL;
  g_autoptr(GListModel) found = NULL;
  g_autoptr(GTask) task = NULL;
  g_autoptr(GMappedFile) file = NULL;
  g_autoptr(KioskStore) store = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *db_path = NULL;
  Parse parse = { NULL, NULL };
  double start, with_json, parsed, indexed;

  file = g_mapped_file_new (path, FALSE, &error);
  g_assert_no_error (error);
  if (shared)
    {
      g_autoptr(sqlite3_stmt) insert = NULL;

      dir = g_dir_make_tmp ("stadtkiosk-catalog-memory-XXXXXX", &error);
      g_assert_no_error (error);
      db_path = g_build_filename (dir, "kiosk.db", NULL);
      store = kiosk_store_open (db_path, &error);
      g_assert_no_error (error);
      /* Row 1, written as it is: kiosk_catalog_store_active() would
       * validate it here first, and what that leaves in the allocator is
       * not what a kiosk has. */
      insert = _kiosk_store_prepare (store, "INSERT INTO catalogs (seq, source, imported_us, json) VALUES (1, 'bench', 1, ?)",
                                     &error);
      g_assert_no_error (error);
      sqlite3_bind_text (insert, 1, g_mapped_file_get_contents (file), g_mapped_file_get_length (file), SQLITE_STATIC);
      if (sqlite3_step (insert) != SQLITE_DONE)
        g_error ("storing the catalogue failed");
    }
  start = heap_mb ();
  /* A copy on the heap, as the kiosk reads it from SQLite. */
  bytes = g_bytes_new (g_mapped_file_get_contents (file), g_mapped_file_get_length (file));
  g_clear_pointer (&file, g_mapped_file_unref);
  with_json = heap_mb ();
  report ("the JSON text (baseline)", with_json, start, n);

  parse.bytes = bytes;
  parse.db_path = db_path;
  task = g_task_new (NULL, NULL, NULL, NULL);
  g_task_set_task_data (task, &parse, NULL);
  g_task_run_in_thread_sync (task, parse_thread);
  catalog = g_task_propagate_pointer (task, &error);
  g_assert_no_error (error);
  g_clear_object (&task);
  parsed = heap_mb ();
  report (shared ? "parsed, forms dropped (worker thread)" : "parsed in a worker thread", parsed, with_json, n);

  {
    static const char * const queries[] = { "Dienstleistung 4711", "Strasse", "Muell Antrag", "Moeglichkeit 3", "Buerger 17" };
    double size = 0, pss_before = 0, pss_after = 0;
    gint64 t0, t_prepare, t_first, t_rest;

    /* kiosk-search-file.c: the shared copy's texts are clean file pages,
     * counted once a search has read them. */
    if (shared)
      bench_mapped_file_mb (".search", &size, &pss_before);
    t0 = g_get_monotonic_time ();
    kiosk_catalog_prepare_search (catalog);
    t_prepare = g_get_monotonic_time ();
    found = kiosk_catalog_search (catalog, "Dienstleistung 4711");
    t_first = g_get_monotonic_time ();
    for (guint round = 0; round < 4; round++)
      for (guint q = 0; q < G_N_ELEMENTS (queries); q++)
        g_object_unref (kiosk_catalog_search (catalog, queries[q]));
    t_rest = g_get_monotonic_time ();
    indexed = heap_mb ();
    report ("search index built", indexed, parsed, n);
    printf ("  %-44s vocabulary %.1f ms, first search %.1f ms, then %.1f ms a search (mean of 20)\n",
            shared ? "searching (texts in the search file)" : "searching (texts on the heap)",
            (t_prepare - t0) / 1000.0, (t_first - t_prepare) / 1000.0, (t_rest - t_first) / 1000.0 / 20);
    if (shared)
      {
        bench_mapped_file_mb (".search", &size, &pss_after);
        printf ("  %-44s %.1f MB mapped, PSS %.2f MB before the first search, %.1f MB after (in the PSS above)\n",
                "the search file", size, pss_before, pss_after);
      }
  }

  g_clear_pointer (&bytes, g_bytes_unref);
  report ("caller's JSON dropped", heap_mb (), indexed, n);
  if (shared)
    {
      GPtrArray *services = kiosk_catalog_get_all_services (catalog);
      gint64 t0 = g_get_monotonic_time ();
      double before = heap_mb ();

      printf ("  KioskContext's copy in memory: heap %.1f MB, %.2fx the JSON; PSS %.1f MB\n",
              heap_mb () - start, (heap_mb () - start) / (with_json - start), bench_pss_mb ());
      /* A day's citizens open a few dozen services: their forms stay. */
      for (guint i = 0; i < 50; i++)
        kiosk_service_get_n_steps (services->pdata[(i * 7919) % services->len]);
      printf ("  50 forms read on demand: %.2f ms each (from the stored row), heap %+.0f kB (%.1f kB a form)\n",
              (g_get_monotonic_time () - t0) / 1000.0 / 50, (heap_mb () - before) * 1024,
              (heap_mb () - before) * 1024 / 50);
      g_clear_object (&catalog);
      g_clear_object (&store);
      for (guint i = 0; i < 4; i++)
        {
          static const char * const suffixes[] = { "", "-wal", "-shm", ".search" };
          g_autofree char *file_path = g_strconcat (db_path, suffixes[i], NULL);

          g_unlink (file_path);
        }
      g_rmdir (dir);
    }
  else
    {
      printf ("  the catalogue in memory: heap %.1f MB, %.2fx its JSON; PSS %.1f MB\n",
              heap_mb () - start, (heap_mb () - start) / (with_json - start), bench_pss_mb ());
    }
  return 0;
}

/* @slice: G_SLICE for the child; NULL: GLib's slice allocator. */
static void
run_child (const char  *self,
           const char  *path,
           guint        n,
           const char  *mode,
           const char  *slice)
{
  g_autofree char *n_text = g_strdup_printf ("%u", n);
  const char *argv[] = { self, mode, path, n_text, NULL };
  g_auto(GStrv) envp = g_get_environ ();
  g_autoptr(GError) error = NULL;
  int status;

  envp = slice != NULL ? g_environ_setenv (envp, "G_SLICE", slice, TRUE) : g_environ_unsetenv (envp, "G_SLICE");
  if (!g_spawn_sync (NULL, (char **) argv, envp, G_SPAWN_CHILD_INHERITS_STDIN | G_SPAWN_CHILD_INHERITS_STDOUT,
                     NULL, NULL, NULL, NULL, &status, &error) ||
      !g_spawn_check_wait_status (status, &error))
    g_error ("%s %s: %s", self, mode, error->message);
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
  if (argc == 4 && (g_str_equal (argv[1], "--load") || g_str_equal (argv[1], "--load-shared")))
    return load (argv[2], (guint) atoi (argv[3]), g_str_equal (argv[1], "--load-shared"));

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

  printf ("loaded with its forms and text (kiosk_catalog_load_active(), the CLI):\n");
  run_child (argv[0], path, n, "--load", "always-malloc");
  printf ("KioskContext's shared copy (the kiosk): stored, forms read on demand, G_SLICE=always-malloc as the systemd unit runs it:\n");
  run_child (argv[0], path, n, "--load-shared", "always-malloc");
  printf ("the same with GLib 2.74's slice allocator (G_SLICE unset), which keeps the freed forms:\n");
  run_child (argv[0], path, n, "--load-shared", NULL);
  g_unlink (path);
  return 0;
}

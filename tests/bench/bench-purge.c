/* bench-purge.c: the retention purge at city scale, and what it costs the
 * main loop (#18)
 *
 *   bench-purge STATE_DIR
 *
 * STATE_DIR comes from bench-big-state (say 5,000 requests: about three
 * in four are past the generated services' retention).  Its database is
 * copied twice and purged on each copy, in the same run:
 *
 *   kiosk  kiosk_purge_schedule() as the kiosk runs it, a batch per idle
 *          turn; the main loop's longest block (the scan, or one batch),
 *          its 99th percentile, and the whole purge's time;
 *   before the purge before the change, in one main-loop callback: every
 *          due request in its own transaction (kiosk_outbox_purge()), so
 *          the main loop's longest block is the whole purge.
 *
 * Prints figures; never fails on time.
 *
 * SPDX-FileCopyrightText: 2026 Stadtkiosk contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
#include <stdio.h>
#include <stdlib.h>

#include "stadtkiosk-core.h"

static int
compare_gint64 (gconstpointer a,
                gconstpointer b)
{
  gint64 x = *(const gint64 *) a, y = *(const gint64 *) b;

  return (x > y) - (x < y);
}

/* A copy of @src's database in a new directory, and a context on it. */
static KioskContext *
context_on_copy (const char  *src,
                 char       **out_dir)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("bench-purge-XXXXXX", &error);
  g_autofree char *from = g_build_filename (src, "stadtkiosk.db", NULL);
  g_autofree char *to = NULL;
  g_autofree char *conf = NULL;
  g_autofree char *text = NULL;
  g_autofree char *contents = NULL;
  g_autoptr(KioskConfig) config = NULL;
  g_autoptr(KioskClock) clock = kiosk_clock_new_system ();
  g_autoptr(KioskCatalog) catalog = NULL;
  gsize len;
  KioskContext *context;

  if (dir == NULL)
    g_error ("%s", error->message);
  to = g_build_filename (dir, "stadtkiosk.db", NULL);
  if (!g_file_get_contents (from, &contents, &len, &error) ||
      !g_file_set_contents (to, contents, (gssize) len, &error))
    g_error ("%s", error->message);
  conf = g_build_filename (dir, "kiosk.conf", NULL);
  text = g_strdup_printf ("[kiosk]\nid=bench-purge\nstate-dir=%s\n[keys]\nseal=off\n", dir);
  if (!g_file_set_contents (conf, text, -1, &error))
    g_error ("%s", error->message);
  config = kiosk_config_new_from_file (conf, &error);
  if (config == NULL)
    g_error ("%s", error->message);
  context = kiosk_context_new (config, clock, &error);
  if (context == NULL)
    g_error ("%s", error->message);
  /* The running kiosk holds it already; its parse is not the purge's. */
  g_clear_object (&catalog);
  catalog = kiosk_context_dup_active_catalog (context, NULL);
  *out_dir = g_steal_pointer (&dir);
  return context;
}

static guint
count_purged (KioskContext *context)
{
  guint counts[KIOSK_REQUEST_N_STATES];

  if (!kiosk_outbox_count_by_state (kiosk_context_get_outbox (context), counts, NULL))
    g_error ("cannot count");
  return counts[KIOSK_REQUEST_PURGED];
}

static void
remove_dir (const char *dir)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;

  while (d != NULL && (name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);
      g_unlink (path);
    }
  g_rmdir (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GArray) blocks = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GPtrArray) due = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *dir_new = NULL;
  g_autofree char *dir_old = NULL;
  KioskContext *context;
  gint64 t0, t, scan_us, max_us = 0, p99_us = 0, checkpoint_us = 0, new_total_us, old_total_us;
  guint timer, purged_new, purged_old = 0;

  if (argc < 2)
    {
      fprintf (stderr, "usage: bench-purge STATE_DIR (from bench-big-state)\n");
      return 2;
    }

  /* The kiosk's purge. */
  context = context_on_copy (argv[1], &dir_new);
  t0 = g_get_monotonic_time ();
  timer = kiosk_purge_schedule (context);
  scan_us = g_get_monotonic_time () - t0;
  for (;;)
    {
      gboolean busy;

      t = g_get_monotonic_time ();
      busy = g_main_context_iteration (NULL, FALSE);
      t = g_get_monotonic_time () - t;
      if (!busy)
        break;
      g_array_append_val (blocks, t);
    }
  new_total_us = g_get_monotonic_time () - t0;
  purged_new = count_purged (context);
  kiosk_purge_unschedule (context, timer);
  /* The last turn is the WAL checkpoint. */
  if (blocks->len > 0)
    {
      checkpoint_us = g_array_index (blocks, gint64, blocks->len - 1);
      g_array_set_size (blocks, blocks->len - 1);
    }
  g_array_sort (blocks, compare_gint64);
  if (blocks->len > 0)
    {
      max_us = g_array_index (blocks, gint64, blocks->len - 1);
      p99_us = g_array_index (blocks, gint64, (blocks->len * 99) / 100);
    }
  g_object_unref (context);

  /* Before: one callback, a transaction per request. */
  context = context_on_copy (argv[1], &dir_old);
  t0 = g_get_monotonic_time ();
  if (!kiosk_purge_run (context, TRUE, &due, &error))
    g_error ("%s", error->message);
  for (guint i = 0; i < due->len; i++)
    {
      g_autoptr(KioskRequest) request = kiosk_outbox_purge (kiosk_context_get_outbox (context),
                                                            kiosk_request_get_id (due->pdata[i]),
                                                            "bench", &error);

      if (request == NULL)
        g_error ("%s", error->message);
      purged_old++;
    }
  old_total_us = g_get_monotonic_time () - t0;
  g_object_unref (context);

  printf ("purge kiosk:  %u requests purged in %.2f s; main loop blocked at most %.1f ms "
          "(scan %.1f ms; batches: %u, longest %.1f ms, p99 %.1f ms; WAL checkpoint %.1f ms)\n",
          purged_new, new_total_us / 1e6, MAX (MAX (scan_us, max_us), checkpoint_us) / 1e3, scan_us / 1e3,
          blocks->len, max_us / 1e3, p99_us / 1e3, checkpoint_us / 1e3);
  printf ("purge before: %u requests purged in %.2f s, all of it one main-loop block\n",
          purged_old, old_total_us / 1e6);
  printf ("purge: longest main-loop block %.4fx before; whole purge %.3fx before\n",
          (double) MAX (MAX (scan_us, max_us), checkpoint_us) / (double) MAX (old_total_us, 1),
          (double) new_total_us / (double) MAX (old_total_us, 1));

  remove_dir (dir_new);
  remove_dir (dir_old);
  return purged_new == purged_old ? 0 : 1;
}

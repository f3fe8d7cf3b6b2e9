/* bench-soak-gui.c: memory over a day of citizens, through the real window
 *
 *   xvfb-run -a bench-soak-gui [N_SESSIONS]      (default 200)
 *
 * Complete citizen sessions one after another through a KioskWindow, as a
 * person drives it (its actions, as the GUI tests do): start, a search on
 * the catalogue page, the service, the form filled in, send, the done
 * page with the receipt printed to the PDF printer, and "start over",
 * which wipes the session and rebuilds the pages.  Prints the process's
 * PSS along the way; the baseline is the PSS after the first 50 sessions,
 * the last line the growth from there (target: at most 2 MB), and how much
 * of that growth is the X server's shared memory: under X11 the cairo
 * renderer sends images through a MIT-SHM pool of 32 MB shared with the
 * server, whose pages count in PSS once first touched (session 9 of #18:
 * 0.0 to 1.5 MB of a growth of 0.15 to 2.5 MB from run to run).  Never
 * fails on memory or time.  Run it under valgrind or ASan with a small
 * N_SESSIONS to look for leaks.
 *
 * SPDX-FileCopyrightText: 2026 Stadtkiosk contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
#include <stdio.h>
#include <stdlib.h>

#include <sqlite3.h>

#include "kiosk-store-private.h"
#include "kiosk-window-private.h"
#include "kiosk-catalog-page.h"
#include "bench-proc.h"

static void
flush (void)
{
  for (guint i = 0; i < 10000 && g_main_context_iteration (NULL, FALSE); i++)
    ;
}

static void
activate (KioskWindow *window,
          const char  *action,
          GVariant    *parameter)
{
  g_autoptr(GVariant) owned = parameter != NULL ? g_variant_ref_sink (parameter) : NULL;

  /* The action does not take the floating reference (valgrind: one
   * GVariant lost per session before this). */
  if (!gtk_widget_activate_action_variant (GTK_WIDGET (window), action, owned))
    g_error ("action %s refused", action);
  flush ();
}

static void
set_answer (KioskSession *session,
            const char   *field_id,
            const char   *json)
{
  g_autoptr(JsonNode) node = json_from_string (json, NULL);

  kiosk_form_set_value (kiosk_session_get_form (session), field_id, node);
}

static void
remove_pdfs (const char *dir,
             guint      *n_printed)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;

  while (d != NULL && (name = g_dir_read_name (d)) != NULL)
    if (g_str_has_suffix (name, ".pdf"))
      {
        g_autofree char *path = g_build_filename (dir, name, NULL);

        g_unlink (path);
        (*n_printed)++;
      }
}

static void
one_session (KioskWindow *window,
             guint        n)
{
  KioskSession *session = _kiosk_window_get_session (window);
  g_autofree char *description = g_strdup_printf ("\"Sperrmüll neben dem Spielplatz, Nr. %u\"", n);

  activate (window, "kiosk.start", NULL);
  kiosk_catalog_page_set_query (KIOSK_CATALOG_PAGE (window->catalog_page), "Sperrmüll");
  flush ();
  activate (window, "kiosk.open-service", g_variant_new_string ("report-problem"));
  activate (window, "kiosk.begin-form", NULL);
  if (kiosk_session_get_form (session) == NULL)
    g_error ("session %u: no form", n);
  set_answer (session, "kind", "\"litter\"");
  set_answer (session, "description", description);
  set_answer (session, "location", "\"Almsstraße 15\"");
  activate (window, "kiosk.send", NULL);
  if (g_strcmp0 (kiosk_window_get_page_name (window), "done") != 0)
    g_error ("session %u: not sent (on page %s)", n, kiosk_window_get_page_name (window));
  while (kiosk_session_get_print_status (session) == KIOSK_PRINT_STATUS_PRINTING)
    g_main_context_iteration (NULL, TRUE);
  if (kiosk_session_get_print_status (session) != KIOSK_PRINT_STATUS_PRINTED)
    g_error ("session %u: the receipt was not printed", n);
  flush ();
  activate (window, "kiosk.start-over", NULL);
}

int
main (int   argc,
      char *argv[])
{
  guint n_sessions = argc > 1 ? (guint) atoi (argv[1]) : 200;
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *conf = NULL;
  g_autofree char *text = NULL;
  g_autoptr(KioskConfig) config = NULL;
  g_autoptr(KioskContext) context = NULL;
  g_autoptr(KioskClock) clock = NULL;
  KioskWindow *window;
  double load0 = bench_load_average ();
  double at_50 = -1, last = -1, first = -1;
  double priv_50 = -1, priv_last = -1;
  double shm_50 = -1, shm_last = -1;
  double cache_50 = -1, cache_last = -1;
  guint n_printed = 0;
  gint64 t0 = g_get_monotonic_time ();

  gtk_init ();
  adw_init ();
  g_object_set (gtk_settings_get_default (), "gtk-cursor-blink", FALSE,
                "gtk-enable-animations", FALSE, NULL);
  dir = g_dir_make_tmp ("stadtkiosk-soak-gui-XXXXXX", &error);
  g_assert_no_error (error);
  conf = g_build_filename (dir, "kiosk.conf", NULL);
  text = g_strdup_printf ("[kiosk]\nlanguages=de;en;\n[keys]\nmode=demo\n[printer]\nbackend=pdf:%s\n", dir);
  if (!g_file_set_contents (conf, text, -1, &error) ||
      (config = kiosk_config_new_from_file (conf, &error)) == NULL)
    g_error ("%s", error->message);
  kiosk_config_set_state_dir (config, dir);
  if (!kiosk_keys_ensure_demo (config, &error))
    g_error ("%s", error->message);
  /* A fake clock: no idle timer ends a session behind the benchmark's back. */
  clock = kiosk_clock_new_fake (g_get_real_time ());
  context = kiosk_context_new (config, clock, &error);
  if (context == NULL)
    g_error ("%s", error->message);
  window = kiosk_window_new_for_context (context);
  gtk_window_set_default_size (GTK_WINDOW (window), 1280, 800);
  gtk_window_present (GTK_WINDOW (window));
  flush ();

  printf ("bench-soak-gui: %u complete citizen sessions through the kiosk window (search, form, "
          "send, receipt printed to PDF, start over)\n", n_sessions);
  printf ("  sessions   PSS (MB)   private (MB)   of PSS: X shared memory (MB)\n");
  for (guint i = 1; i <= n_sessions; i++)
    {
      one_session (window, i);
      remove_pdfs (dir, &n_printed);
      if (i == 1 || i % 25 == 0 || i == n_sessions)
        {
          double shm_size;

          last = bench_pss_mb ();
          priv_last = bench_private_mb ();
          /* cairo's MIT-SHM pool for images sent to the X server: a SysV
           * segment (IPC_PRIVATE) shared with Xvfb, whose pages count once
           * first touched, half to each process.  Not the kiosk's heap. */
          bench_mapped_file_mb (" /SYSV00000000 (deleted)", &shm_size, &shm_last);
          /* SQLite's page cache grows with the database, up to its
           * cache_size (2 MB by default). */
          {
            int current = 0, highwater = 0;

            sqlite3_db_status (_kiosk_store_get_db (kiosk_context_get_store (context)),
                               SQLITE_DBSTATUS_CACHE_USED, &current, &highwater, FALSE);
            cache_last = current / (1024.0 * 1024.0);
          }
          if (i == 1)
            first = last;
          if (i == 50)
            {
              at_50 = last;
              priv_50 = priv_last;
              shm_50 = shm_last;
              cache_50 = cache_last;
            }
          printf ("  %8u   %8.1f   %12.1f   %28.1f\n", i, last, priv_last, shm_last);
          fflush (stdout);
        }
    }

  printf ("%u sessions in %.1f s, %u receipts printed, load average %.1f -> %.1f\n",
          n_sessions, (g_get_monotonic_time () - t0) / 1e6, n_printed, load0, bench_load_average ());
  printf ("PSS after session 1: %.1f MB; baseline after 50: %.1f MB; after %u: %.1f MB\n",
          first, at_50, n_sessions, last);
  if (at_50 > 0)
    printf ("growth from 50 to %u sessions: %+.2f MB (target at most 2 MB: %s)\n", n_sessions,
            last - at_50, last - at_50 <= 2.0 ? "met" : "NOT met");
  if (priv_50 > 0)
    printf ("private memory from 50 to %u sessions: %+.2f MB\n", n_sessions, priv_last - priv_50);
  if (at_50 > 0 && shm_50 >= 0)
    printf ("of the PSS growth, the X server's shared memory (cairo's MIT-SHM pool, shared with Xvfb): "
            "%+.2f MB; the rest %+.2f MB, of it SQLite's page cache of the main connection %+.2f MB "
            "(%.2f MB in all)\n", shm_last - shm_50, (last - at_50) - (shm_last - shm_50),
            cache_last - cache_50, cache_last);

  gtk_window_destroy (GTK_WINDOW (window));
  flush ();
  g_clear_object (&context);
  {
    const char *argv_rm[] = { "rm", "-rf", dir, NULL };

    g_spawn_sync (NULL, (char **) argv_rm, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, NULL, NULL, NULL);
  }
  return 0;
}

/* bench-soak.c: memory over a day of citizens, without a display
 *
 *   bench-soak [N_SESSIONS]      (default 1,000)
 *
 * Complete citizen sessions one after another through one KioskSession,
 * as the kiosk runs them: search the catalogue, open a service, fill the
 * form, send it (stored, sealed), the receipt rendered and printed to the
 * PDF printer, the done page's end, and the wipe (kiosk_session_reset).
 * Prints the process's PSS (/proc/self/smaps_rollup) along the way; the
 * baseline is the PSS after the first 50 sessions, and the last line
 * gives the growth from there to the end (target: at most 2 MB).  A
 * benchmark: it prints, it never fails on memory or time.
 *
 * SPDX-FileCopyrightText: 2026 Stadtkiosk contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
#include <stdio.h>
#include <stdlib.h>

#include "stadtkiosk-core.h"
#include "kiosk-session.h"
#include "bench-proc.h"

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

/* One citizen, start to wipe. */
static void
one_session (KioskSession *session,
             guint         n)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *description = g_strdup_printf ("\"Sperrmüll neben dem Spielplatz, Nr. %u\"", n);

  {
    g_autoptr(GListModel) found = kiosk_catalog_search (kiosk_session_get_catalog (session), "Sperrmüll");

    if (g_list_model_get_n_items (found) == 0)
      g_error ("the search found nothing");
  }
  if (!kiosk_session_open_service (session, "report-problem") || !kiosk_session_begin_form (session))
    g_error ("cannot open the service");
  set_answer (session, "kind", "\"litter\"");
  set_answer (session, "description", description);
  set_answer (session, "location", "\"Almsstraße 15\"");
  kiosk_session_set_step (session, 2);
  if (!kiosk_session_submit (session, &error))
    g_error ("session %u: %s", n, error->message);
  kiosk_session_print_receipt (session);
  while (kiosk_session_get_print_status (session) == KIOSK_PRINT_STATUS_PRINTING)
    g_main_context_iteration (NULL, TRUE);
  if (kiosk_session_get_print_status (session) != KIOSK_PRINT_STATUS_PRINTED)
    g_error ("session %u: the receipt was not printed", n);
  kiosk_session_reset (session);
}

int
main (int   argc,
      char *argv[])
{
  guint n_sessions = argc > 1 ? (guint) atoi (argv[1]) : 1000;
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("stadtkiosk-soak-XXXXXX", &error);
  g_autofree char *conf = NULL;
  g_autofree char *text = NULL;
  g_autoptr(KioskConfig) config = NULL;
  g_autoptr(KioskContext) context = NULL;
  g_autoptr(KioskSession) session = NULL;
  double load0 = bench_load_average ();
  double at_50 = -1, last = -1, first = -1;
  double priv_50 = -1, priv_last = -1;
  guint n_printed = 0;
  gint64 t0 = g_get_monotonic_time ();

  g_assert_no_error (error);
  conf = g_build_filename (dir, "kiosk.conf", NULL);
  text = g_strdup_printf ("[kiosk]\nlanguages=de;en;\n[keys]\nmode=demo\n[printer]\nbackend=pdf:%s\n", dir);
  if (!g_file_set_contents (conf, text, -1, &error) ||
      (config = kiosk_config_new_from_file (conf, &error)) == NULL)
    g_error ("%s", error->message);
  kiosk_config_set_state_dir (config, dir);
  if (!kiosk_keys_ensure_demo (config, &error))
    g_error ("%s", error->message);
  context = kiosk_context_new (config, NULL, &error);
  if (context == NULL)
    g_error ("%s", error->message);
  session = kiosk_session_new (context);

  printf ("bench-soak: %u complete citizen sessions through KioskSession (search, form, send, "
          "receipt printed to PDF, wipe)\n", n_sessions);
  printf ("  sessions   PSS (MB)   private (MB)\n");
  for (guint i = 1; i <= n_sessions; i++)
    {
      one_session (session, i);
      remove_pdfs (dir, &n_printed);
      if (i == 1 || i % 50 == 0 || i == n_sessions)
        {
          last = bench_pss_mb ();
          priv_last = bench_private_mb ();
          if (i == 1)
            first = last;
          if (i == 50)
            {
              at_50 = last;
              priv_50 = priv_last;
            }
          printf ("  %8u   %8.1f   %12.1f\n", i, last, priv_last);
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

  g_clear_object (&session);
  g_clear_object (&context);
  {
    const char *argv_rm[] = { "rm", "-rf", dir, NULL };

    g_spawn_sync (NULL, (char **) argv_rm, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, NULL, NULL, NULL);
  }
  return 0;
}

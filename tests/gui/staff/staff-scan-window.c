/* staff-scan-window.c — the clerk's scan field in a window, for xdotool
 *
 * SPDX-FileCopyrightText: 2026 Stadtkiosk contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Usage: staff-scan-window QR-TEXT-FILE
 * Makes a kiosk with demo keys and one sealed request, writes the request's
 * receipt QR text to QR-TEXT-FILE, and waits for someone (xdotool) to type
 * a scan and Enter into the focused scan field.  Exit status: 0 the scan
 * found the request as genuine, 3 the scan was refused, 1 timeout or setup
 * failure.
 */

#include "config.h"

#include <glib/gstdio.h>
#include <locale.h>
#include <string.h>

#include "kiosk-clerk-page.h"
#include "kiosk-staff-screen.h"

static int exit_status = 1;
static GMainLoop *loop;

typedef struct
{
  KioskClerkPage *page;
  char           *expected_id;
  guint           ticks;
} Watch;

static gboolean
watch_cb (gpointer data)
{
  Watch *w = data;
  const char *result = kiosk_clerk_page_get_scan_result (w->page);

  if (result != NULL && *result != '\0')
    {
      KioskRequest *scanned = kiosk_clerk_page_get_scanned (w->page);

      g_print ("RESULT\t%s\n", result);
      exit_status = scanned != NULL && g_str_equal (kiosk_request_get_id (scanned), w->expected_id) ? 0 : 3;
      g_main_loop_quit (loop);
      return G_SOURCE_REMOVE;
    }
  if (++w->ticks > 600)
    {
      g_printerr ("staff-scan-window: nothing was scanned within 60 s\n");
      g_main_loop_quit (loop);
      return G_SOURCE_REMOVE;
    }
  return G_SOURCE_CONTINUE;
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *conf = NULL;
  g_autofree char *text = NULL;
  g_autofree char *id = NULL;
  g_autofree char *code = NULL;
  g_autofree char *qr_text = NULL;
  g_autoptr(KioskConfig) config = NULL;
  g_autoptr(KioskClock) clock = NULL;
  g_autoptr(KioskContext) context = NULL;
  g_autoptr(KioskStaffSession) session = NULL;
  g_autoptr(KioskKeys) keys = NULL;
  g_autoptr(KioskRequest) request = NULL;
  g_autoptr(GBytes) answers = g_bytes_new_static ("{\"name\":\"Erika\"}", 16);
  g_autoptr(GBytes) sealed = NULL;
  g_autoptr(GBytes) qr = NULL;
  GtkWidget *window;
  GtkWidget *page;
  Watch watch = { 0 };
  KioskPayloadFields fields = { 0 };
  KioskRequestDraft draft = { 0 };

  if (argc != 2)
    {
      g_printerr ("usage: staff-scan-window QR-TEXT-FILE\n");
      return 2;
    }
  setlocale (LC_ALL, "C.UTF-8");
  gtk_init ();
  adw_init ();

  dir = g_dir_make_tmp ("staff-scan-XXXXXX", &error);
  conf = g_build_filename (dir, "kiosk.conf", NULL);
  text = g_strdup_printf ("[kiosk]\nid=bib-1\nstate-dir=%s\n[keys]\nmode=demo\n", dir);
  if (!g_file_set_contents (conf, text, -1, &error) ||
      (config = kiosk_config_new_from_file (conf, &error)) == NULL ||
      (clock = kiosk_clock_new_system ()) == NULL ||
      (context = kiosk_context_new (config, clock, &error)) == NULL ||
      (keys = kiosk_keys_load_for_kiosk (config, &error)) == NULL)
    {
      g_printerr ("staff-scan-window: %s\n", error->message);
      return 1;
    }

  id = g_uuid_string_random ();
  code = kiosk_outbox_new_short_code (kiosk_context_get_outbox (context));
  draft.id = id;
  draft.short_code = code;
  draft.service_id = "bulky-waste";
  draft.service_version = 1;
  draft.locale = "de";
  draft.answers = answers;
  if (!kiosk_sealer_seal_at_rest (kiosk_context_get_config (context),
                                  kiosk_context_get_clock (context),
                                  &draft, &sealed, &error) ||
      (request = kiosk_outbox_enqueue (kiosk_context_get_outbox (context), &draft, "citizen", &error)) == NULL)
    {
      g_printerr ("staff-scan-window: %s\n", error->message);
      return 1;
    }
  fields.id = id;
  fields.short_code = code;
  fields.kiosk_id = "bib-1";
  fields.service_id = "bulky-waste";
  fields.service_version = 1;
  fields.locale = "de";
  fields.created_us = kiosk_request_get_created (request);
  fields.answers = answers;
  qr = kiosk_payload_seal (&fields, keys->signing, keys->city, TRUE, 650, &error);
  if (qr == NULL)
    {
      g_printerr ("staff-scan-window: %s\n", error->message);
      return 1;
    }
  qr_text = kiosk_payload_encode_qr_text (qr);

  session = kiosk_staff_session_new (context);
  kiosk_staff_session_begin (session, KIOSK_ROLE_CLERK);
  kiosk_staff_load_css ();
  page = kiosk_clerk_page_new (session);
  kiosk_clerk_page_set_keys (KIOSK_CLERK_PAGE (page), kiosk_keys_load_for_counter (config, NULL, NULL, NULL));
  window = gtk_window_new ();
  gtk_window_set_title (GTK_WINDOW (window), "Stadtkiosk scan test");
  gtk_window_set_default_size (GTK_WINDOW (window), 1000, 700);
  gtk_window_set_child (GTK_WINDOW (window), page);
  gtk_window_present (GTK_WINDOW (window));
  gtk_widget_grab_focus (kiosk_clerk_page_get_scan_entry (KIOSK_CLERK_PAGE (page)));

  /* Only now: the script waits for the file, then types. */
  if (!g_file_set_contents (argv[1], qr_text, -1, &error))
    {
      g_printerr ("staff-scan-window: %s\n", error->message);
      return 1;
    }

  watch.page = KIOSK_CLERK_PAGE (page);
  watch.expected_id = id;
  loop = g_main_loop_new (NULL, FALSE);
  g_timeout_add (100, watch_cb, &watch);
  g_main_loop_run (loop);
  g_main_loop_unref (loop);
  gtk_window_destroy (GTK_WINDOW (window));
  return exit_status;
}

/* test-status-page-hub.c — the status page finds a code of another kiosk
 * at the hub (#16), against pouchdb-server on 127.0.0.1, under Xvfb
 *
 * SPDX-FileCopyrightText: 2026 Stadtkiosk contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>
#include <string.h>

#include "kiosk-status-page.h"
#include "kiosk-payload.h"
#include "kiosk-window-private.h"
#include "kiosk-hub-test-util.h"
#include "kiosk-test-util.h"

#define REQUEST_ID "0b5e4d1c-0000-4000-8000-0000000000a1"
#define SCANNED_ID "0b5e4d1c-0000-4000-8000-0000000000a2"

static gboolean have_german;

static void
flush (void)
{
  for (guint i = 0; i < 1000 && g_main_context_iteration (NULL, FALSE); i++)
    ;
}

static gboolean
shows_text (GtkWidget  *widget,
            const char *text)
{
  if (!gtk_widget_get_mapped (widget))
    return FALSE;
  if (GTK_IS_LABEL (widget) && strstr (gtk_label_get_text (GTK_LABEL (widget)), text) != NULL)
    return TRUE;
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (shows_text (child, text))
      return TRUE;
  return FALSE;
}

static void
put_json (const char *url,
          const char *body)
{
  g_autoptr(JsonNode) answer = NULL;
  guint status = 0;

  answer = hub_http ("PUT", url, body, &status);
  g_assert_cmpuint (status, ==, 201);
}

static gboolean
give_up_cb (gpointer user_data)
{
  *(gboolean *) user_data = TRUE;
  return G_SOURCE_REMOVE;
}

/* Opens the status page of a kiosk whose hub is @db, types @typed and waits
 * for the answer (a 30 s guard only against a hang). */
static void
look_up_on_kiosk (const char  *db,
                  const char  *typed,
                  const char **expected,
                  const char **absent)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("stadtkiosk-status-hub-gui-XXXXXX", NULL);
  g_autofree char *conf = NULL;
  g_autofree char *conf_path = NULL;
  g_autoptr(KioskConfig) config = NULL;
  g_autoptr(KioskClock) clock = NULL;
  g_autoptr(KioskContext) context = NULL;
  KioskWindow *window;
  GtkWidget *page;
  gboolean gave_up = FALSE;
  guint guard_id;

  conf = g_strdup_printf ("[kiosk]\nid=test-kiosk\nstate-dir=%s\n\n[couchdb]\nurl=%s\n", dir, db);
  conf_path = g_build_filename (dir, "kiosk.conf", NULL);
  g_assert_true (g_file_set_contents (conf_path, conf, -1, NULL));
  config = kiosk_config_new_from_file (conf_path, &error);
  g_assert_no_error (error);
  clock = kiosk_clock_new_fake (G_GINT64_CONSTANT (1790000000) * G_USEC_PER_SEC);
  context = kiosk_context_new (config, clock, &error);
  g_assert_no_error (error);
  window = kiosk_window_new_for_context (context);
  gtk_window_set_default_size (GTK_WINDOW (window), 1280, 800);
  gtk_window_present (GTK_WINDOW (window));
  flush ();

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "kiosk.status", NULL));
  flush ();
  page = _kiosk_window_get_page (window);
  g_assert_true (KIOSK_IS_STATUS_PAGE (page));
  gtk_editable_set_text (GTK_EDITABLE (kiosk_status_page_get_code_entry (KIOSK_STATUS_PAGE (page))), typed);
  g_assert_true (gtk_widget_activate_action (page, "status.look-up", NULL));
  guard_id = g_timeout_add_seconds (30, give_up_cb, &gave_up);
  while (kiosk_status_page_is_busy (KIOSK_STATUS_PAGE (page)) && !gave_up)
    g_main_context_iteration (NULL, TRUE);
  g_assert_false (gave_up);
  g_source_remove (guard_id);
  flush ();
  for (guint i = 0; expected[i] != NULL; i++)
    if (!shows_text (page, expected[i]))
      g_error ("the page does not show “%s” (message: “%s”)", expected[i],
               kiosk_status_page_get_message (KIOSK_STATUS_PAGE (page)));
  for (guint i = 0; absent[i] != NULL; i++)
    g_assert_false (shows_text (page, absent[i]));

  gtk_window_destroy (GTK_WINDOW (window));
  flush ();
  kiosk_test_rm_rf (dir);
}

/* A code filed at kiosk "other": the service, the day, the step and the
 * city's note — not its answers.  Negative control: the same hub after the
 * view is gone (a design document from before) says "could not ask". */
static void
test_found_at_hub (void)
{
  HubPeer *peer = hub_peer_start (NULL, 0);
  g_autofree char *db = NULL;
  g_autofree char *design_path = NULL;
  g_autofree char *design = NULL;
  g_autofree char *url = NULL;
  g_autofree char *body = NULL;
  g_autofree char *code = kiosk_short_code_generate ("HSK");
  g_autofree char *typed = g_ascii_strdown (code, -1);
  g_autoptr(JsonNode) doc = NULL;
  g_autoptr(GError) error = NULL;
  guint status = 0;
  const char *found[] = { "Sperrmüll-Abholung anmelden", "Gespeichert am 01.09.2026", "In Bearbeitung",
                          "Die Stadt schreibt: Abholung am Montag", NULL };
  const char *not_found[] = { "Erika", "Wir konnten", NULL };
  const char *unreachable[] = { "Wir konnten das System der Stadt gerade nicht fragen.", NULL };
  const char *none[] = { "Erika", "Abholung am Montag", NULL };
  const char *found_scan[] = { "Sperrmüll-Abholung anmelden", "Bei der Stadt eingegangen", NULL, NULL };
  g_autofree char *code_line = NULL;
  g_autofree char *scanned = NULL;

  if (peer == NULL)
    {
      g_test_skip ("pouchdb-server is not installed (./dev installs it into tests/support/npm)");
      return;
    }
  if (!have_german)
    {
      g_test_skip ("the locale de_DE.UTF-8 is missing (./dev generates it)");
      hub_peer_free (peer);
      return;
    }
  db = g_strdup_printf ("%s/stadtkiosk", hub_peer_get_url (peer));
  put_json (db, NULL);
  design_path = g_build_filename (g_getenv ("G_TEST_SRCDIR"), "..", "data", "couchdb",
                                  "stadtkiosk-design.json", NULL);
  g_assert_true (g_file_get_contents (design_path, &design, NULL, &error));
  url = g_strdup_printf ("%s/_design/stadtkiosk", db);
  put_json (url, design);
  g_clear_pointer (&url, g_free);
  url = g_strdup_printf ("%s/%s", db, REQUEST_ID);
  body = g_strdup_printf ("{\"type\":\"submission\",\"kiosk_id\":\"other\",\"short_code\":\"%s\","
                          "\"service_id\":\"bulky-waste\",\"created\":\"2026-09-01T10:00:00Z\","
                          "\"answers\":{\"name\":\"Erika Mustermann\"}}", code);
  put_json (url, body);
  g_clear_pointer (&url, g_free);
  url = g_strdup_printf ("%s/status%%3A%s", db, REQUEST_ID);
  put_json (url, "{\"type\":\"status\",\"request_id\":\"" REQUEST_ID "\",\"kiosk_id\":\"other\","
                 "\"status\":\"in_progress\",\"note\":{\"de\":\"Abholung am Montag\",\"en\":\"Pick-up on Monday\"},"
                 "\"updated\":\"2026-09-23T08:00:00Z\"}");

  g_strdelimit (typed, "-", ' ');
  look_up_on_kiosk (db, typed, found, not_found);

  /* A slip of kiosk "other" held to this kiosk's scanner (#16): found by
   * the digest of its QR payload (the document's receipt_sha256). */
  {
    guint8 bytes[KIOSK_PAYLOAD_HEADER_BYTES + 128] = { 'S', 'K', KIOSK_PAYLOAD_VERSION, 0, 1, 2, 3, 4, 0, 128 };
    g_autoptr(GBytes) payload = NULL;
    g_autofree char *digest = NULL;
    g_autofree char *other_code = kiosk_short_code_generate ("HSK");
    g_autofree char *text = NULL;

    for (guint i = KIOSK_PAYLOAD_HEADER_BYTES; i < sizeof bytes; i++)
      bytes[i] = (guint8) (i * 13);
    payload = g_bytes_new (bytes, sizeof bytes);
    digest = kiosk_payload_dup_digest (payload);
    text = kiosk_payload_encode_qr_text (payload);
    scanned = g_strconcat (text, "\n", NULL);
    g_clear_pointer (&url, g_free);
    url = g_strdup_printf ("%s/%s", db, SCANNED_ID);
    g_clear_pointer (&body, g_free);
    body = g_strdup_printf ("{\"type\":\"submission\",\"kiosk_id\":\"other\",\"short_code\":\"%s\","
                            "\"service_id\":\"bulky-waste\",\"created\":\"2026-09-02T10:00:00Z\","
                            "\"answers_format\":\"sealed\",\"sealed_payload\":\"U0s=\","
                            "\"body_sha256\":\"0\",\"receipt_sha256\":\"%s\"}", other_code, digest);
    put_json (url, body);
    g_clear_pointer (&url, g_free);
    url = g_strdup_printf ("%s/status%%3A%s", db, SCANNED_ID);
    put_json (url, "{\"type\":\"status\",\"request_id\":\"" SCANNED_ID "\",\"kiosk_id\":\"other\","
                   "\"status\":\"received\",\"updated\":\"2026-09-03T08:00:00Z\"}");
    found_scan[2] = code_line = g_strdup_printf ("Gespeichert am 02.09.2026 mit dem Code %s", other_code);
    look_up_on_kiosk (db, scanned, found_scan, not_found);
  }

  /* The negative control: the design document without the view. */
  g_clear_pointer (&url, g_free);
  url = g_strdup_printf ("%s/_design/stadtkiosk", db);
  doc = hub_http ("GET", url, NULL, &status);
  g_assert_cmpuint (status, ==, 200);
  json_object_remove_member (json_node_get_object (doc), "views");
  g_clear_pointer (&body, g_free);
  body = json_to_string (doc, FALSE);
  put_json (url, body);
  look_up_on_kiosk (db, typed, unreachable, none);
  look_up_on_kiosk (db, scanned, unreachable, none);

  hub_peer_free (peer);
}

int
main (int    argc,
      char **argv)
{
  bindtextdomain (GETTEXT_PACKAGE, g_getenv ("STADTKIOSK_LOCALEDIR"));
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
  gtk_test_init (&argc, &argv, NULL);
  g_object_set (gtk_settings_get_default (), "gtk-cursor-blink", FALSE, NULL);
  have_german = setlocale (LC_MESSAGES, "de_DE.UTF-8") != NULL;
  g_test_add_func ("/kiosk/gui/status-page/found-at-hub", test_found_at_hub);
  return g_test_run ();
}

/* test-counter-inbox.c — the counter's hub inbox under Xvfb, against
 * pouchdb-server
 *
 * A kiosk delivers two requests (one sealed) into a real CouchDB-compatible
 * hub; `stadtkiosk --counter`'s window lists them, a clerk opens the sealed
 * one (its answers under their labels), sets "done" with a note, and the
 * status document at the hub says so — and flows back to the kiosk.
 *
 * COUNTER_SCREENSHOT_DIR=dir: also writes counter-inbox.png there (German).
 *
 * SPDX-FileCopyrightText: 2026 Stadtkiosk contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>
#include <locale.h>
#include <string.h>

#include "kiosk-counter-window.h"
#include "kiosk-inbox-page.h"
#include "kiosk-couchdb-target-private.h"
#include "kiosk-gui-test-util.h"
#include "kiosk-hub-test-util.h"
#include "kiosk-sync-test-util.h"
#include "kiosk-test-util.h"

#define flush kiosk_gui_test_flush

static gboolean
page_idle (gpointer data)
{
  return !kiosk_inbox_page_is_busy (data);
}

static void
wait_idle (KioskInboxPage *page)
{
  g_assert_true (kiosk_gui_test_wait_for (page_idle, page));
  flush ();
}

static GtkWidget *
find_type (GtkWidget *widget,
           GType      type)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type))
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_type (child, type);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static GtkWidget *
find_toggle (GtkWidget  *widget,
             const char *label)
{
  if (GTK_IS_TOGGLE_BUTTON (widget) && g_strcmp0 (gtk_button_get_label (GTK_BUTTON (widget)), label) == 0)
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_toggle (child, label);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static void
screenshot (GtkWidget  *window,
            const char *name)
{
  const char *dir = g_getenv ("COUNTER_SCREENSHOT_DIR");
  g_autoptr(GtkSnapshot) snapshot = NULL;
  g_autoptr(GdkPaintable) paintable = NULL;
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree char *path = NULL;
  int w, h;

  if (dir == NULL)
    return;
  for (guint i = 0; i < 50; i++)
    {
      g_usleep (10000);
      flush ();
    }
  path = g_strdup_printf ("%s/%s.png", dir, name);
  snapshot = gtk_snapshot_new ();
  w = gtk_widget_get_width (window);
  h = gtk_widget_get_height (window);
  paintable = gtk_widget_paintable_new (window);
  gdk_paintable_snapshot (paintable, snapshot, w, h);
  node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
  texture = gsk_renderer_render_texture (gtk_native_get_renderer (GTK_NATIVE (window)), node,
                                         &GRAPHENE_RECT_INIT (0, 0, w, h));
  g_assert_true (gdk_texture_save_to_png (texture, path));
}

static KioskRequest *
enqueue (SyncKiosk  *kiosk,
         const char *service_id,
         const char *answers,
         gboolean    sealed)
{
  g_autofree char *id = g_uuid_string_random ();
  g_autofree char *code = kiosk_outbox_new_short_code (kiosk->outbox);
  g_autoptr(GBytes) clear = g_bytes_new (answers, strlen (answers));
  g_autoptr(GBytes) sealed_bytes = NULL;
  g_autoptr(GError) error = NULL;
  KioskRequestDraft draft = {
    .id = id,
    .short_code = code,
    .service_id = service_id,
    .service_version = 1,
    .locale = "de",
    .answers = clear,
    .answers_format = KIOSK_ANSWERS_JSON,
  };
  KioskRequest *request;

  if (sealed)
    {
      g_assert_true (kiosk_sealer_seal_at_rest (kiosk->config, kiosk->clock, &draft, &sealed_bytes, &error));
      g_assert_no_error (error);
      draft.answers = sealed_bytes;
      draft.answers_format = KIOSK_ANSWERS_SEALED;
    }
  request = kiosk_outbox_enqueue (kiosk->outbox, &draft, "test", &error);
  g_assert_no_error (error);
  return request;
}

typedef struct
{
  gboolean done;
  guint    n;
} Pulled;

static void
pulled_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  Pulled *pulled = user_data;
  g_autoptr(GError) error = NULL;

  g_assert_true (kiosk_couchdb_target_pull_status_finish (KIOSK_COUCHDB_TARGET (object), result, &pulled->n, &error));
  g_assert_no_error (error);
  pulled->done = TRUE;
}

static void
test_inbox (void)
{
  g_autofree char *program = hub_peer_find_program ();
  g_autofree char *db = NULL;
  g_autofree char *extra = NULL;
  g_autofree char *design_path = NULL;
  g_autofree char *design = NULL;
  g_autofree char *url = NULL;
  g_autofree char *city_status = NULL;
  g_autofree char *city_note = NULL;
  g_autoptr(KioskRequest) bulky = NULL;
  g_autoptr(KioskRequest) other = NULL;
  g_autoptr(KioskCouchdbTarget) target = NULL;
  g_autoptr(JsonNode) answer = NULL;
  g_autoptr(GError) error = NULL;
  KioskCounterWindow *window;
  KioskInboxPage *page;
  GtkWidget *widget;
  GtkDropDown *status_filter;
  JsonObject *doc;
  Pulled pulled = { 0 };
  HubPeer *peer;
  SyncKiosk *kiosk;
  guint status;

  if (program == NULL)
    {
      g_test_skip ("pouchdb-server is not installed (./dev installs it)");
      return;
    }
  peer = hub_peer_start (NULL, 0);
  g_assert_nonnull (peer);
  db = g_strdup_printf ("%s/stadtkiosk", hub_peer_get_url (peer));
  answer = hub_http ("PUT", db, NULL, &status);
  g_assert_cmpuint (status, ==, 201);
  g_clear_pointer (&answer, json_node_unref);
  design_path = g_build_filename (g_getenv ("G_TEST_SRCDIR"), "..", "data", "couchdb", "stadtkiosk-design.json", NULL);
  g_assert_true (g_file_get_contents (design_path, &design, NULL, NULL));
  url = g_strdup_printf ("%s/_design/stadtkiosk", db);
  answer = hub_http ("PUT", url, design, &status);
  g_assert_cmpuint (status, ==, 201);
  g_clear_pointer (&answer, json_node_unref);
  g_clear_pointer (&url, g_free);

  /* The kiosk: sealing with the demo city key, German and two more
   * languages; it delivers into the hub. */
  extra = g_strdup_printf ("[couchdb]\nurl=%s\n\n[keys]\nmode=demo\n\n[kiosk]\nlanguages=de;en;tr;\n", db);
  kiosk = sync_kiosk_new ("http://127.0.0.1:9", NULL, extra, FALSE);
  g_assert_true (kiosk_keys_ensure_demo (kiosk->config, &error));
  g_assert_no_error (error);
  target = kiosk_couchdb_target_new (kiosk->config, kiosk->clock, 4, &error);
  g_assert_no_error (error);
  g_clear_object (&kiosk->sync);
  kiosk->sync = kiosk_sync_new_for_target (kiosk->context, KIOSK_TARGET (target));
  other = enqueue (kiosk, "report-problem", "{\"description\":\"Laterne defekt\"}", FALSE);
  bulky = enqueue (kiosk, "bulky-waste", "{\"items\":[\"mattress\",\"wardrobe\"]}", TRUE);
  sync_kiosk_run_once (kiosk, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (hub_count_type (db, "submission", NULL), ==, 2);

  /* The counter, on the same configuration (the demo city key opens). */
  window = kiosk_counter_window_new (NULL, kiosk->context);
  gtk_window_set_default_size (GTK_WINDOW (window), 1400, 900);
  gtk_window_present (GTK_WINDOW (window));
  page = KIOSK_INBOX_PAGE (kiosk_counter_window_get_inbox_page (window));
  g_assert_nonnull (page);
  wait_idle (page);
  g_assert_cmpuint (kiosk_inbox_page_get_n_shown (page), ==, 2);
  g_assert_nonnull (kiosk_gui_test_find_label (GTK_WIDGET (page), _("New")));

  /* Filters: nothing is done yet; both are new. */
  status_filter = GTK_DROP_DOWN (find_type (GTK_WIDGET (page), GTK_TYPE_DROP_DOWN));
  gtk_drop_down_set_selected (status_filter, 4);  /* Done */
  flush ();
  g_assert_cmpuint (kiosk_inbox_page_get_n_shown (page), ==, 0);
  gtk_drop_down_set_selected (status_filter, 1);  /* New */
  flush ();
  g_assert_cmpuint (kiosk_inbox_page_get_n_shown (page), ==, 2);
  gtk_drop_down_set_selected (status_filter, 0);
  flush ();

  /* The sealed one, opened with the city's key: answers under labels. */
  g_assert_true (kiosk_inbox_page_open (page, kiosk_request_get_short_code (bulky)));
  wait_idle (page);
  g_assert_cmpstr (kiosk_inbox_page_get_open_id (page), ==, kiosk_request_get_id (bulky));
  /* The option under its label in the clerk's language; "wardrobe" is
   * no option of the catalogue, so it shows as stored. */
  {
    g_autoptr(KioskCatalog) demo = kiosk_catalog_new_demo ();
    KioskField *items = kiosk_service_lookup_field (kiosk_catalog_lookup_any (demo, "bulky-waste"), "items");
    const char *label = NULL;
    g_autofree char *expected = NULL;

    for (guint i = 0; i < kiosk_field_get_n_options (items); i++)
      if (g_str_equal (kiosk_field_get_option_value (items, i), "mattress"))
        label = kiosk_field_get_option_label (items, i, kiosk_language_get_current ());
    g_assert_nonnull (label);
    g_assert_cmpstr (label, !=, "mattress");
    expected = g_strdup_printf ("%s, wardrobe", label);
    g_assert_nonnull (kiosk_gui_test_find_label (GTK_WIDGET (page), expected));
    g_assert_null (kiosk_gui_test_find_label (GTK_WIDGET (page), "mattress, wardrobe"));
  }
  g_assert_null (kiosk_gui_test_find_label (GTK_WIDGET (page), "items"));

  /* No status at the hub yet (the control for the one written below). */
  url = g_strdup_printf ("%s/status:%s", db, kiosk_request_get_id (bulky));
  answer = hub_http ("GET", url, NULL, &status);
  g_assert_cmpuint (status, ==, 404);
  g_clear_pointer (&answer, json_node_unref);

  /* Done, with a note in German and Turkish. */
  widget = find_toggle (GTK_WIDGET (page), _("Done"));
  g_assert_nonnull (widget);
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (widget), TRUE);
  {
    GtkWidget *notes = gtk_widget_get_next_sibling (gtk_widget_get_parent (widget));
    GtkWidget *entry;

    /* The heading, then the box of note fields (language, entry): de, en, tr. */
    notes = gtk_widget_get_next_sibling (notes);
    g_assert_true (GTK_IS_BOX (notes));
    entry = gtk_widget_get_last_child (gtk_widget_get_first_child (notes));
    g_assert_true (GTK_IS_ENTRY (entry));
    gtk_editable_set_text (GTK_EDITABLE (entry), "Abholung am Montag");
    entry = gtk_widget_get_last_child (gtk_widget_get_last_child (notes));
    g_assert_true (GTK_IS_ENTRY (entry));
    gtk_editable_set_text (GTK_EDITABLE (entry), "Pazartesi teslim");
  }
  screenshot (GTK_WIDGET (window), "counter-inbox");
  widget = kiosk_gui_test_find_label (GTK_WIDGET (page), _("Save status"));
  g_assert_nonnull (widget);
  g_assert_true (GTK_IS_BUTTON (widget));
  g_assert_true (gtk_widget_is_sensitive (widget));
  g_signal_emit_by_name (widget, "clicked");
  wait_idle (page);
  g_assert_cmpstr (kiosk_inbox_page_get_message (page), ==,
                   _("Saved. The kiosk shows the new status after its next round with the hub."));

  answer = hub_http ("GET", url, NULL, &status);
  g_assert_cmpuint (status, ==, 200);
  doc = json_node_get_object (answer);
  g_assert_cmpstr (json_object_get_string_member (doc, "type"), ==, "status");
  g_assert_cmpstr (json_object_get_string_member (doc, "status"), ==, "done");
  g_assert_cmpstr (json_object_get_string_member (doc, "request_id"), ==, kiosk_request_get_id (bulky));
  g_assert_cmpstr (json_object_get_string_member (doc, "kiosk_id"), ==, "test-kiosk");
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (doc, "note"), "de"), ==,
                   "Abholung am Montag");
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (doc, "note"), "tr"), ==,
                   "Pazartesi teslim");
  /* An empty note field is left out. */
  g_assert_false (json_object_has_member (json_object_get_object_member (doc, "note"), "en"));

  /* The list shows it; the filter finds it. */
  gtk_drop_down_set_selected (status_filter, 4);  /* Done */
  flush ();
  g_assert_cmpuint (kiosk_inbox_page_get_n_shown (page), ==, 1);

  /* And it flows back to the kiosk. */
  kiosk_couchdb_target_pull_status_async (target, kiosk->outbox, NULL, pulled_cb, &pulled);
  while (!pulled.done)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpuint (pulled.n, ==, 1);
  g_assert_true (kiosk_outbox_get_city_status (kiosk->outbox, kiosk_request_get_id (bulky),
                                               &city_status, &city_note, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (city_status, ==, "done");
  g_assert_nonnull (strstr (city_note, "Abholung am Montag"));

  gtk_window_destroy (GTK_WINDOW (window));
  flush ();
  sync_kiosk_free (kiosk);
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
  /* After GTK's own setlocale (). */
  if (g_getenv ("COUNTER_SCREENSHOT_DIR") != NULL)
    setlocale (LC_MESSAGES, "de_DE.UTF-8");
  g_object_set (gtk_settings_get_default (), "gtk-cursor-blink", FALSE, NULL);
  adw_init ();
  if (g_getenv ("COUNTER_SCREENSHOT_DIR") != NULL)
    adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_FORCE_LIGHT);
  kiosk_gui_test_init_display ();

  g_test_add_func ("/kiosk/gui/counter/inbox", test_inbox);

  return g_test_run ();
}

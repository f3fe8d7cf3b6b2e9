/* test-info-page.c: a walk through "Informationen" and the waste card
 *
 * SPDX-FileCopyrightText: 2026 Stadtkiosk contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <locale.h>
#include <string.h>

#include "kiosk-fake-portal.h"
#include "kiosk-gui-test-util.h"
#include "kiosk-info-page.h"
#include "kiosk-test-util.h"
#include "kiosk-window-private.h"

/* 2026-12-07 09:00 UTC */
#define T0 (G_GINT64_CONSTANT (1796634000) * G_USEC_PER_SEC)

typedef struct
{
  char         *dir;
  char         *pdf_dir;
  KioskClock   *clock;
  KioskContext *context;
  KioskWindow  *window;
} Fixture;

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

static GtkWidget *
find_named (GtkWidget  *widget,
            const char *name)
{
  if (gtk_widget_get_mapped (widget) && GTK_IS_BUTTON (widget) && g_strcmp0 (gtk_widget_get_name (widget), name) == 0)
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_named (child, name);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static guint
count_class (GtkWidget  *widget,
             const char *css_class)
{
  guint n = gtk_widget_get_mapped (widget) && gtk_widget_has_css_class (widget, css_class) ? 1 : 0;

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    n += count_class (child, css_class);
  return n;
}

/* INFO_SCREENSHOT_DIR=DIR: the walk also leaves pictures for the README. */
static void
shoot (GtkWidget  *window,
       const char *name)
{
  const char *dir = g_getenv ("INFO_SCREENSHOT_DIR");
  g_autoptr(GdkPaintable) paintable = NULL;
  g_autoptr(GtkSnapshot) snapshot = NULL;
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

static void
pulled_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  GPtrArray **out = user_data;

  *out = kiosk_info_pull_finish (result, NULL);
}

/* The demo catalogue's cards read the cache by id; fill it from the fake
 * portal through a catalogue with the same ids, so that the page itself
 * needs no network. */
static void
fill_cache (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KioskFakePortal) portal = NULL;
  g_autoptr(KioskCatalog) demo = kiosk_catalog_new_demo ();
  g_autoptr(GBytes) bytes = kiosk_catalog_dup_demo_bytes ();
  g_autoptr(GString) json = g_string_new_len (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  g_autoptr(KioskCatalog) local = NULL;
  g_autoptr(GBytes) local_bytes = NULL;
  g_autoptr(GPtrArray) results = NULL;
  KioskInfoPullOptions options = { 10, 1024 * 1024, NULL };
  GDate today;

  g_date_clear (&today, 1);
  g_date_set_dmy (&today, 7, G_DATE_DECEMBER, 2026);
  portal = kiosk_fake_portal_new (0, &today, &error);
  g_assert_no_error (error);
  g_string_replace (json, "http://127.0.0.1:8472", kiosk_fake_portal_get_url (portal), 0);
  local_bytes = g_bytes_new (json->str, json->len);
  local = kiosk_catalog_new_from_bytes (local_bytes, "demo-local", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (kiosk_catalog_get_info_cards (local)->len, ==, kiosk_catalog_get_info_cards (demo)->len);
  kiosk_info_pull_async (kiosk_context_get_store (f->context), f->clock, kiosk_catalog_get_info_cards (local),
                         &options, NULL, pulled_cb, &results);
  while (results == NULL)
    g_main_context_iteration (NULL, TRUE);
  for (guint i = 0; i < results->len; i++)
    g_assert_true (((KioskInfoPullResult *) results->pdata[i])->ok);
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KioskConfig) config = NULL;
  g_autofree char *conf_path = NULL;
  g_autofree char *conf = NULL;

  f->dir = g_dir_make_tmp ("stadtkiosk-info-gui-XXXXXX", &error);
  g_assert_no_error (error);
  f->pdf_dir = g_build_filename (f->dir, "pdf", NULL);
  g_assert_cmpint (g_mkdir (f->pdf_dir, 0700), ==, 0);
  conf_path = g_build_filename (f->dir, "kiosk.conf", NULL);
  conf = g_strdup_printf ("[kiosk]\nstate-dir=%s\n[printer]\nbackend=pdf:%s\n", f->dir, f->pdf_dir);
  g_assert_true (g_file_set_contents (conf_path, conf, -1, NULL));
  config = kiosk_config_new_from_file (conf_path, &error);
  g_assert_no_error (error);
  f->clock = kiosk_clock_new_fake (T0);
  f->context = kiosk_context_new (config, f->clock, &error);
  g_assert_no_error (error);
  fill_cache (f);
  if (data != NULL)
    {
      /* A catalogue without an "info" section, or with cards on @DEAD@: a
       * port on 127.0.0.1 where nothing listens (a fake portal's, gone). */
      g_autoptr(GString) text = g_string_new (data);
      g_autoptr(GBytes) json = NULL;

      if (strstr (text->str, "@DEAD@") != NULL)
        {
          g_autoptr(KioskFakePortal) gone = NULL;
          g_autofree char *url = NULL;
          GDate today;

          g_date_clear (&today, 1);
          g_date_set_dmy (&today, 7, G_DATE_DECEMBER, 2026);
          gone = kiosk_fake_portal_new (0, &today, &error);

          g_assert_no_error (error);
          url = g_strdup (kiosk_fake_portal_get_url (gone));
          g_clear_pointer (&gone, kiosk_fake_portal_free);
          g_string_replace (text, "@DEAD@", url, 0);
        }
      json = g_bytes_new (text->str, text->len);

      g_assert_true (kiosk_catalog_store_active (kiosk_context_get_store (f->context), json, "test", NULL, &error));
      g_assert_no_error (error);
    }
  f->window = kiosk_window_new_for_context (f->context);
  gtk_window_set_default_size (GTK_WINDOW (f->window), 1280, 800);
  gtk_window_present (GTK_WINDOW (f->window));
  flush ();
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  gtk_window_destroy (GTK_WINDOW (f->window));
  flush ();
  g_clear_object (&f->context);
  g_clear_object (&f->clock);
  kiosk_test_rm_rf (f->dir);
  g_free (f->pdf_dir);
  g_free (f->dir);
}

static gboolean
printed (gpointer data)
{
  GtkWidget *page = data;

  return shows_text (page, _("Please take the slip from the printer.")) ||
         shows_text (page, _("The printer is not working right now. Please write down the dates."));
}

static guint
count_files (const char *dir)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  guint n = 0;

  while (d != NULL && g_dir_read_name (d) != NULL)
    n++;
  return n;
}

static GtkWidget *
find_button_labelled (GtkWidget  *widget,
                      const char *label)
{
  if (gtk_widget_get_mapped (widget) && GTK_IS_BUTTON (widget)
      && g_strcmp0 (gtk_button_get_label (GTK_BUTTON (widget)), label) == 0)
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_button_labelled (child, label);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static const char no_cards_catalog[] =
  "{\"format\": 1, \"version\": \"no-info\","
  " \"categories\": [{\"id\": \"c\", \"title\": {\"de\": \"C\"}}],"
  " \"services\": [{\"id\": \"s\", \"version\": 1, \"title\": {\"de\": \"S\"}, \"summary\": {\"de\": \"S\"},"
  "   \"offline\": \"queue\", \"category\": \"c\","
  "   \"steps\": [{\"id\": \"a\", \"title\": {\"de\": \"A\"}, \"fields\": [{\"id\": \"f\", \"type\": \"text\","
  "   \"label\": {\"de\": \"F\"}}]}]}]}";

static const char dead_card_catalog[] =
  "{\"format\": 1, \"version\": \"dead-card\","
  " \"categories\": [{\"id\": \"c\", \"title\": {\"de\": \"C\"}}],"
  " \"services\": [{\"id\": \"s\", \"version\": 1, \"title\": {\"de\": \"S\"}, \"summary\": {\"de\": \"S\"},"
  "   \"offline\": \"queue\", \"category\": \"c\","
  "   \"steps\": [{\"id\": \"a\", \"title\": {\"de\": \"A\"}, \"fields\": [{\"id\": \"f\", \"type\": \"text\","
  "   \"label\": {\"de\": \"F\"}}]}]}],"
  " \"info\": [{\"id\": \"nirgends\", \"title\": {\"de\": \"Nirgends\", \"en\": \"Nowhere\"},"
  "   \"source\": {\"type\": \"feed\", \"url\": \"@DEAD@/news.rss\"}}]}";

/* The welcome page offers "Information" only when the active catalogue has
 * cards.  Negative control: with the demo catalogue (four cards) the same
 * search finds the button. */
static void
test_button_with_cards (Fixture       *f,
                        gconstpointer  data)
{
  g_assert_cmpstr (kiosk_window_get_page_name (f->window), ==, "welcome");
  g_assert_nonnull (find_button_labelled (GTK_WIDGET (f->window), _("Tap to start")));
  g_assert_nonnull (find_button_labelled (GTK_WIDGET (f->window), _("Information")));
}

static void
test_button_without_cards (Fixture       *f,
                           gconstpointer  data)
{
  g_assert_cmpstr (kiosk_window_get_page_name (f->window), ==, "welcome");
  g_assert_cmpuint (kiosk_catalog_get_info_cards (kiosk_session_get_catalog (_kiosk_window_get_session (f->window)))->len,
                    ==, 0);
  /* The search reaches the page's buttons: the start button is found … */
  g_assert_nonnull (find_button_labelled (GTK_WIDGET (f->window), _("Tap to start")));
  /* … the information button is not. */
  g_assert_null (find_button_labelled (GTK_WIDGET (f->window), _("Information")));
}

/* A card whose source never answers (a wrong URL, or the demo catalogue's
 * on an installed kiosk) says the information is not available, and no
 * longer promises data "as soon as it is online".  Negative control: before
 * the page's pull has tried, the card says "No data yet". */
static void
test_unreachable_card (Fixture       *f,
                       gconstpointer  data)
{
  GtkWidget *page;

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "kiosk.info", NULL));
  page = _kiosk_window_get_page (f->window);
  g_assert_true (KIOSK_IS_INFO_PAGE (page));
  g_assert_true (shows_text (page, _("No data yet. The kiosk fetches it as soon as it is online.")));
  g_assert_false (shows_text (page, _("This information is not available at the moment.")));
  /* The page's own pull, to a closed port: waited for, not timed. */
  while (!shows_text (page, _("This information is not available at the moment.")))
    g_main_context_iteration (NULL, TRUE);
  g_assert_false (shows_text (page, _("No data yet. The kiosk fetches it as soon as it is online.")));
  g_assert_cmpuint (count_class (page, "kiosk-info-card"), ==, 1);
}

/* From the welcome page to a street's dates and the printed slip; a street
 * the calendar does not know gives a hint and no dates. */
static void
test_waste_walk (Fixture       *f,
                 gconstpointer  data)
{
  GtkWidget *page;
  GtkWidget *button;
  GtkWidget *entry;

  shoot (GTK_WIDGET (f->window), "info-00-welcome");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "kiosk.info", NULL));
  flush ();
  page = _kiosk_window_get_page (f->window);
  g_assert_true (KIOSK_IS_INFO_PAGE (page));
  g_assert_cmpstr (kiosk_info_page_get_view (KIOSK_INFO_PAGE (page)), ==, "cards");
  g_assert_true (shows_text (page, "Wann wird bei mir abgeholt?"));
  g_assert_cmpuint (count_class (page, "kiosk-info-card"), ==, 4);
  shoot (GTK_WIDGET (f->window), "info-01-cards");

  button = find_named (page, "abfall");
  g_assert_nonnull (button);
  g_signal_emit_by_name (button, "clicked");
  flush ();
  g_assert_cmpstr (kiosk_info_page_get_view (KIOSK_INFO_PAGE (page)), ==, "waste");
  entry = kiosk_info_page_get_street_entry (KIOSK_INFO_PAGE (page));
  /* The entry (its inner text) takes the focus, so the keyboard comes up. */
  g_assert_nonnull (gtk_root_get_focus (GTK_ROOT (f->window)));
  g_assert_true (gtk_widget_is_ancestor (gtk_root_get_focus (GTK_ROOT (f->window)), entry));

  /* Negative control: a street the calendar does not know. */
  gtk_editable_set_text (GTK_EDITABLE (entry), "Goschenstr");
  flush ();
  g_assert_cmpuint (count_class (page, "kiosk-info-street"), ==, 0);
  g_assert_null (find_named (page, "Almsstraße"));

  /* Search as you type. */
  gtk_editable_set_text (GTK_EDITABLE (entry), "a");
  flush ();
  g_assert_cmpuint (count_class (page, "kiosk-info-street"), >, 1);
  gtk_editable_set_text (GTK_EDITABLE (entry), "alms");
  flush ();
  g_assert_cmpuint (count_class (page, "kiosk-info-street"), ==, 1);
  button = find_named (page, "Almsstraße");
  g_assert_nonnull (button);
  g_signal_emit_by_name (button, "clicked");
  flush ();
  g_assert_cmpuint (count_class (page, "kiosk-info-date"), ==, 4);
  g_assert_true (shows_text (page, "Restmüll"));
  g_assert_true (shows_text (page, "Bioabfall"));
  g_assert_true (shows_text (page, "Gelber Sack"));
  g_assert_true (shows_text (page, "Altpapier"));
  shoot (GTK_WIDGET (f->window), "info-02-waste");

  g_assert_cmpuint (count_files (f->pdf_dir), ==, 0);
  g_assert_true (gtk_widget_activate_action (page, "info.print", NULL));
  g_assert_true (kiosk_gui_test_wait_for (printed, page));
  g_assert_true (shows_text (page, _("Please take the slip from the printer.")));
  g_assert_cmpuint (count_files (f->pdf_dir), ==, 1);

  /* Back to all cards, and nothing of the street is left. */
  g_assert_true (gtk_widget_activate_action (page, "info.back", NULL));
  flush ();
  g_assert_cmpstr (kiosk_info_page_get_view (KIOSK_INFO_PAGE (page)), ==, "cards");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (entry)), ==, "");
}

/* A list card shows its items and the time of its copy. */
static void
test_news (Fixture       *f,
           gconstpointer  data)
{
  GtkWidget *page;
  g_autofree char *stand = kiosk_info_format_stand (T0);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "kiosk.info", NULL));
  flush ();
  page = _kiosk_window_get_page (f->window);
  g_assert_true (kiosk_info_page_open_card (KIOSK_INFO_PAGE (page), "neuigkeiten"));
  flush ();
  g_assert_cmpstr (kiosk_info_page_get_view (KIOSK_INFO_PAGE (page)), ==, "list");
  g_assert_true (shows_text (page, "Stadtbibliothek: neue Öffnungszeiten"));
  g_assert_true (shows_text (page, stand));
  g_assert_true (kiosk_info_page_open_card (KIOSK_INFO_PAGE (page), "parken"));
  flush ();
  g_assert_true (shows_text (page, "Parkhaus Rathaus: 9"));
  shoot (GTK_WIDGET (f->window), "info-03-parken");
  g_assert_false (shows_text (page, "not current") || shows_text (page, "nicht aktuell"));
  /* Past the card's max_age (900 s) the values are marked, never shown as current. */
  kiosk_clock_advance (f->clock, 901 * G_USEC_PER_SEC);
  flush ();
  /* So long without a touch, the kiosk has started over: open it again. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "kiosk.info", NULL));
  flush ();
  page = _kiosk_window_get_page (f->window);
  g_assert_true (KIOSK_IS_INFO_PAGE (page));
  g_assert_true (kiosk_info_page_open_card (KIOSK_INFO_PAGE (page), "parken"));
  flush ();
  g_assert_true (shows_text (page, "Parkhaus Rathaus: 9"));
  g_assert_true (shows_text (page, "not current") || shows_text (page, "nicht aktuell"));
}

int
main (int    argc,
      char **argv)
{
  bindtextdomain (GETTEXT_PACKAGE, g_getenv ("STADTKIOSK_LOCALEDIR"));
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
  gtk_test_init (&argc, &argv, NULL);
  /* No blinking cursor: see kiosk_gui_test_init_display (). */
  g_object_set (gtk_settings_get_default (), "gtk-cursor-blink", FALSE, NULL);
  if (g_getenv ("INFO_SCREENSHOT_DIR") != NULL)
    {
      g_autoptr(GtkCssProvider) css = gtk_css_provider_new ();

      setlocale (LC_MESSAGES, "de_DE.UTF-8");
      adw_init ();
      adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_FORCE_LIGHT);
      gtk_css_provider_load_from_resource (css, "/de/hildesheim/Stadtkiosk/style.css");
      gtk_style_context_add_provider_for_display (gdk_display_get_default (), GTK_STYLE_PROVIDER (css),
                                                  GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
      gtk_icon_theme_add_resource_path (gtk_icon_theme_get_for_display (gdk_display_get_default ()),
                                        "/de/hildesheim/Stadtkiosk/icons");
    }
  g_test_add ("/kiosk/gui/info-page/button-with-cards", Fixture, NULL, fixture_set_up, test_button_with_cards,
              fixture_tear_down);
  g_test_add ("/kiosk/gui/info-page/button-without-cards", Fixture, no_cards_catalog, fixture_set_up,
              test_button_without_cards, fixture_tear_down);
  g_test_add ("/kiosk/gui/info-page/waste-walk", Fixture, NULL, fixture_set_up, test_waste_walk, fixture_tear_down);
  g_test_add ("/kiosk/gui/info-page/news", Fixture, NULL, fixture_set_up, test_news, fixture_tear_down);
  g_test_add ("/kiosk/gui/info-page/unreachable-card", Fixture, dead_card_catalog, fixture_set_up,
              test_unreachable_card, fixture_tear_down);
  return g_test_run ();
}

/* test-catalog-page.c — the catalogue page on its own, under Xvfb
 *
 * SPDX-FileCopyrightText: 2026 Stadtkiosk contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>

#include "kiosk-catalog-page.h"
#include "kiosk-catalog-page-private.h"
#include "kiosk-service-tile.h"
#include "kiosk-test-util.h"
#include "kiosk-gui-test-util.h"

static gboolean have_german;

static void
flush (void)
{
  for (guint i = 0; i < 1000 && g_main_context_iteration (NULL, FALSE); i++)
    ;
}

/* Whether a mapped label under @widget reads @text. */
static gboolean
shows_text (GtkWidget  *widget,
            const char *text)
{
  if (!gtk_widget_get_mapped (widget))
    return FALSE;
  if (GTK_IS_LABEL (widget) && g_strcmp0 (gtk_label_get_text (GTK_LABEL (widget)), text) == 0)
    return TRUE;
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (shows_text (child, text))
      return TRUE;
  return FALSE;
}

/* A search that finds nothing shows where to ask instead of an empty page;
 * a forgiving search shows the service. */
static void
test_not_found (void)
{
  g_autoptr(KioskCatalog) catalog = kiosk_catalog_new_demo ();
  GtkWidget *window = gtk_window_new ();
  GtkWidget *page = kiosk_catalog_page_new (catalog, "de");
  const char *tile = "Nicht gefunden? Fragen Sie am Schalter oder den Digitallotsen.";

  if (!have_german)
    {
      g_test_skip ("the locale de_DE.UTF-8 is missing (./dev generates it)");
      return;
    }
  gtk_window_set_child (GTK_WINDOW (window), page);
  gtk_window_set_default_size (GTK_WINDOW (window), 1280, 800);
  gtk_window_present (GTK_WINDOW (window));
  flush ();
  g_assert_false (shows_text (page, tile));

  kiosk_catalog_page_set_query (KIOSK_CATALOG_PAGE (page), "Spermüll");
  flush ();
  g_assert_cmpuint (kiosk_catalog_page_get_n_tiles (KIOSK_CATALOG_PAGE (page)), ==, 1);
  g_assert_false (shows_text (page, tile));

  kiosk_catalog_page_set_query (KIOSK_CATALOG_PAGE (page), "Fahrradständer");
  flush ();
  g_assert_cmpuint (kiosk_catalog_page_get_n_tiles (KIOSK_CATALOG_PAGE (page)), ==, 0);
  g_assert_true (shows_text (page, tile));

  gtk_window_destroy (GTK_WINDOW (window));
  flush ();
}

/* A catalogue of @n services: "Antrag N" ("Sperrmüll" in every seventh). */
static KioskCatalog *
catalog_of (guint n)
{
  g_autoptr(GString) json = g_string_new ("{\"format\":1,\"version\":\"many-1\",\"categories\":"
                                          "[{\"id\":\"general\",\"title\":{\"de\":\"Allgemein\"}}],"
                                          "\"services\":[");
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  KioskCatalog *catalog;

  for (guint i = 0; i < n; i++)
    g_string_append_printf (json, "%s{\"id\":\"s%u\",\"version\":1,\"title\":{\"de\":\"Antrag %u%s\"},"
                            "\"summary\":{\"de\":\"Kurz\"},\"category\":\"general\",\"offline\":\"queue\","
                            "\"steps\":[{\"title\":{\"de\":\"Schritt\"},\"fields\":[{\"id\":\"note\","
                            "\"type\":\"text\",\"label\":{\"de\":\"Notiz\"}}]}]}",
                            i ? "," : "", i, i, i % 7 == 0 ? " Sperrmüll" : "");
  g_string_append (json, "]}");
  bytes = g_bytes_new (json->str, json->len);
  catalog = kiosk_catalog_new_from_bytes (bytes, "test", &error);
  g_assert_no_error (error);
  return catalog;
}

/* A federal-size catalogue is not 6,000 tiles (#18): at most 60 are built,
 * and a last tile asks for a narrower search.  A search that finds fewer
 * shows them all and no such tile (the control). */
static void
test_more_found (void)
{
  g_autoptr(KioskCatalog) catalog = catalog_of (300);
  GtkWidget *window = gtk_window_new ();
  GtkWidget *page = kiosk_catalog_page_new (catalog, "de");
  KioskCatalogPage *p = KIOSK_CATALOG_PAGE (page);

  gtk_window_set_child (GTK_WINDOW (window), page);
  gtk_window_set_default_size (GTK_WINDOW (window), 1280, 800);
  gtk_window_present (GTK_WINDOW (window));
  flush ();
  g_assert_cmpuint (kiosk_catalog_page_get_n_results (p), ==, 300);
  g_assert_cmpuint (kiosk_catalog_page_get_n_tiles (p), ==, 60);
  g_assert_true (_kiosk_catalog_page_get_more_shown (p));

  kiosk_catalog_page_set_query (p, "Antrag");
  flush ();
  g_assert_cmpuint (kiosk_catalog_page_get_n_results (p), ==, 300);
  g_assert_cmpuint (kiosk_catalog_page_get_n_tiles (p), ==, 60);
  g_assert_true (_kiosk_catalog_page_get_more_shown (p));

  kiosk_catalog_page_set_query (p, "Sperrmüll");
  flush ();
  g_assert_cmpuint (kiosk_catalog_page_get_n_results (p), ==, 43);
  g_assert_cmpuint (kiosk_catalog_page_get_n_tiles (p), ==, 43);
  g_assert_false (_kiosk_catalog_page_get_more_shown (p));

  /* Uncapped, as before: a tile per result. */
  kiosk_catalog_page_set_query (p, "Antrag");
  _kiosk_catalog_page_set_max_tiles (p, G_MAXUINT);
  flush ();
  g_assert_cmpuint (kiosk_catalog_page_get_n_tiles (p), ==, 300);
  g_assert_false (_kiosk_catalog_page_get_more_shown (p));

  gtk_window_destroy (GTK_WINDOW (window));
  flush ();
}

static gboolean
all_bound (gpointer data)
{
  KioskCatalogPage *page = data;

  return _kiosk_catalog_page_get_n_bound (page) == kiosk_catalog_page_get_n_tiles (page);
}

/* Counts the mapped service tiles under @widget. */
static guint
count_mapped_tiles (GtkWidget *widget)
{
  guint n = 0;

  if (!gtk_widget_get_mapped (widget))
    return 0;
  if (KIOSK_IS_SERVICE_TILE (widget))
    return 1;
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    n += count_mapped_tiles (child);
  return n;
}

/* The tiles are kept from one search to the next (#18): the same widgets
 * show the new results, with their title, accessible name, action and
 * name; those beyond the results are hidden.  The control: tiles built
 * anew per search (as before) are other widgets, so the test sees the
 * difference. */
static void
test_tiles_kept (void)
{
  g_autoptr(KioskCatalog) catalog = catalog_of (300);
  GtkWidget *window = gtk_window_new ();
  GtkWidget *page = kiosk_catalog_page_new (catalog, "de");
  KioskCatalogPage *p = KIOSK_CATALOG_PAGE (page);
  GtkWidget *tiles[60];
  g_autoptr(GListModel) found = NULL;

  gtk_window_set_child (GTK_WINDOW (window), page);
  gtk_window_set_default_size (GTK_WINDOW (window), 1280, 800);
  gtk_window_present (GTK_WINDOW (window));
  kiosk_catalog_page_set_query (p, "Antrag");
  flush ();
  g_assert_cmpuint (kiosk_catalog_page_get_n_tiles (p), ==, 60);
  g_assert_cmpuint (count_mapped_tiles (page), ==, 60);
  for (guint i = 0; i < 60; i++)
    {
      tiles[i] = _kiosk_catalog_page_get_tile (p, i);
      g_assert_true (KIOSK_IS_SERVICE_TILE (tiles[i]));
      g_object_add_weak_pointer (G_OBJECT (tiles[i]), (gpointer *) &tiles[i]);
    }

  kiosk_catalog_page_set_query (p, "Sperrmüll");
  /* The tiles out of view are bound in the frames after the keystroke's
   * (test_in_view_first). */
  g_assert_true (kiosk_gui_test_wait_for (all_bound, p));
  found = kiosk_catalog_search (catalog, "Sperrmüll");
  g_assert_cmpuint (kiosk_catalog_page_get_n_tiles (p), ==, 43);
  g_assert_cmpuint (count_mapped_tiles (page), ==, 43);
  g_assert_false (shows_text (page, "Antrag 1"));
  for (guint i = 0; i < 43; i++)
    {
      g_autoptr(KioskService) service = g_list_model_get_item (found, i);
      GtkWidget *tile = _kiosk_catalog_page_get_tile (p, i);
      const char *title = kiosk_service_get_title (service, "de");
      g_autofree char *accessible = g_strdup_printf ("%s. Kurz", title);
      g_autofree char *mismatch = NULL;
      GVariant *target;

      /* The same widget, showing result i. */
      g_assert_true (tile == tiles[i]);
      g_assert_true (kiosk_service_tile_get_service (KIOSK_SERVICE_TILE (tile)) == service);
      g_assert_true (shows_text (tile, title));
      mismatch = gtk_test_accessible_check_property (GTK_ACCESSIBLE (tile), GTK_ACCESSIBLE_PROPERTY_LABEL, accessible);
      g_assert_null (mismatch);
      target = gtk_actionable_get_action_target_value (GTK_ACTIONABLE (tile));
      g_assert_nonnull (target);
      g_assert_cmpstr (g_variant_get_string (target, NULL), ==, kiosk_service_get_id (service));
      g_assert_cmpstr (gtk_widget_get_name (tile), ==, kiosk_service_get_id (service));
      /* Bound again to what it shows, it does not change. */
      g_assert_false (kiosk_service_tile_bind (KIOSK_SERVICE_TILE (tile), service, "de"));
    }
  /* The rest are kept, hidden. */
  for (guint i = 43; i < 60; i++)
    {
      g_assert_nonnull (tiles[i]);
      g_assert_false (gtk_widget_get_mapped (tiles[i]));
    }
  g_assert_null (_kiosk_catalog_page_get_tile (p, 43));

  /* Control: built anew per search, as before. */
  _kiosk_catalog_page_set_reuse_tiles (p, FALSE);
  kiosk_catalog_page_set_query (p, "Antrag");
  flush ();
  g_assert_cmpuint (kiosk_catalog_page_get_n_tiles (p), ==, 60);
  g_assert_null (tiles[0]);
  g_assert_true (KIOSK_IS_SERVICE_TILE (_kiosk_catalog_page_get_tile (p, 0)));

  for (guint i = 0; i < 60; i++)
    if (tiles[i] != NULL)
      g_object_remove_weak_pointer (G_OBJECT (tiles[i]), (gpointer *) &tiles[i]);
  gtk_window_destroy (GTK_WINDOW (window));
  flush ();
}

static guint painted;

static void
after_paint_cb (GdkFrameClock *clock,
                gpointer       user_data)
{
  painted++;
}

static gboolean
painted_once (gpointer data)
{
  return painted > GPOINTER_TO_UINT (data);
}

static char *opened;

static void
open_service_cb (GSimpleAction *action,
                 GVariant      *parameter,
                 gpointer       user_data)
{
  g_free (opened);
  opened = g_variant_dup_string (parameter, NULL);
}

/* Whether tile @i of @page shows result @i of @found, and opens it. */
static gboolean
tile_shows (KioskCatalogPage *page,
            GListModel       *found,
            guint             i)
{
  g_autoptr(KioskService) service = g_list_model_get_item (found, i);
  GtkWidget *tile = _kiosk_catalog_page_get_tile (page, i);
  GVariant *target = gtk_actionable_get_action_target_value (GTK_ACTIONABLE (tile));

  return kiosk_service_tile_get_service (KIOSK_SERVICE_TILE (tile)) == service &&
         shows_text (tile, kiosk_service_get_title (service, "de")) &&
         g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (tile)), "kiosk.open-service") == 0 &&
         target != NULL &&
         g_strcmp0 (g_variant_get_string (target, NULL), kiosk_service_get_id (service)) == 0;
}

/* Whether @tile shows in @window. */
static gboolean
in_view (GtkWidget *tile,
         GtkWidget *window)
{
  graphene_rect_t bounds;

  g_assert_true (gtk_widget_compute_bounds (tile, window, &bounds));
  return bounds.origin.y < gtk_widget_get_height (window) && bounds.origin.y + bounds.size.height > 0;
}

/* A keystroke binds the tiles in view; those out of view follow in the
 * next frames (#18).  Until then a waiting tile opens nothing, so a tap
 * never opens another service than the tile shows; scrolling binds them
 * all at once.  The control: with every tile bound in the keystroke's
 * frame (as before), none waits. */
static void
test_in_view_first (void)
{
  g_autoptr(KioskCatalog) catalog = catalog_of (300);
  g_autoptr(GSimpleActionGroup) group = g_simple_action_group_new ();
  g_autoptr(GSimpleAction) open = g_simple_action_new ("open-service", G_VARIANT_TYPE_STRING);
  GtkWidget *window = gtk_window_new ();
  GtkWidget *page = kiosk_catalog_page_new (catalog, "de");
  KioskCatalogPage *p = KIOSK_CATALOG_PAGE (page);
  g_autoptr(GListModel) found = kiosk_catalog_search (catalog, "Sperrmüll");
  g_autoptr(GListModel) antrag = kiosk_catalog_search (catalog, "Antrag 1");
  GtkScrolledWindow *scroller;
  GdkFrameClock *clock;
  guint n_now, n_seen = 0;
  gulong id;

  g_signal_connect (open, "activate", G_CALLBACK (open_service_cb), NULL);
  g_action_map_add_action (G_ACTION_MAP (group), G_ACTION (open));
  gtk_widget_insert_action_group (window, "kiosk", G_ACTION_GROUP (group));
  gtk_window_set_child (GTK_WINDOW (window), page);
  gtk_window_set_default_size (GTK_WINDOW (window), 1280, 800);
  gtk_window_present (GTK_WINDOW (window));
  kiosk_gui_test_settle (page);
  g_assert_cmpuint (kiosk_catalog_page_get_n_tiles (p), ==, 60);
  g_assert_true (all_bound (p));
  clock = gtk_widget_get_frame_clock (page);
  id = g_signal_connect (clock, "after-paint", G_CALLBACK (after_paint_cb), NULL);

  /* The keystroke: some tiles are bound, the rest wait. */
  kiosk_catalog_page_set_query (p, "Sperrmüll");
  g_assert_cmpuint (g_list_model_get_n_items (found), ==, 43);
  g_assert_cmpuint (kiosk_catalog_page_get_n_tiles (p), ==, 43);
  n_now = _kiosk_catalog_page_get_n_bound (p);
  g_test_message ("%u of 43 tiles bound in the keystroke", n_now);
  g_assert_cmpuint (n_now, >, 0);
  g_assert_cmpuint (n_now, <, 43);
  for (guint i = 0; i < n_now; i++)
    g_assert_true (tile_shows (p, found, i));
  for (guint i = n_now; i < 43; i++)
    {
      GtkWidget *tile = _kiosk_catalog_page_get_tile (p, i);

      /* It still reads an earlier result, unseen, but opens nothing. */
      g_assert_null (kiosk_service_tile_get_service (KIOSK_SERVICE_TILE (tile)));
      g_assert_null (gtk_actionable_get_action_name (GTK_ACTIONABLE (tile)));
      g_clear_pointer (&opened, g_free);
      g_signal_emit_by_name (tile, "clicked");
      g_assert_null (opened);
    }
  /* A bound tile opens its own service. */
  g_signal_emit_by_name (_kiosk_catalog_page_get_tile (p, 0), "clicked");
  g_assert_cmpstr (opened, ==, "s0");

  /* The keystroke's frame: every tile in view shows its result. */
  {
    guint before = painted;

    gdk_frame_clock_request_phase (clock, GDK_FRAME_CLOCK_PHASE_PAINT);
    g_assert_true (kiosk_gui_test_wait_for (painted_once, GUINT_TO_POINTER (before)));
  }
  for (guint i = 0; i < 43; i++)
    if (in_view (_kiosk_catalog_page_get_tile (p, i), window))
      {
        g_assert_true (tile_shows (p, found, i));
        n_seen++;
      }
  g_test_message ("%u tiles in view", n_seen);
  g_assert_cmpuint (n_seen, >, 0);
  g_assert_cmpuint (n_seen, <, 43);

  /* The next frames bind the rest. */
  g_assert_true (kiosk_gui_test_wait_for (all_bound, p));
  for (guint i = 0; i < 43; i++)
    g_assert_true (tile_shows (p, found, i));

  /* Scrolling binds every waiting tile at once. */
  scroller = GTK_SCROLLED_WINDOW (gtk_widget_get_ancestor (_kiosk_catalog_page_get_tile (p, 0),
                                                           GTK_TYPE_SCROLLED_WINDOW));
  kiosk_catalog_page_set_query (p, "Antrag 1");
  g_assert_cmpuint (kiosk_catalog_page_get_n_tiles (p), ==, 60);
  g_assert_false (all_bound (p));
  gtk_adjustment_set_value (gtk_scrolled_window_get_vadjustment (scroller), 400);
  g_assert_true (all_bound (p));
  for (guint i = 0; i < 60; i++)
    g_assert_true (tile_shows (p, antrag, i));

  /* Control: every tile bound in the keystroke, as before. */
  _kiosk_catalog_page_set_bind_in_view_first (p, FALSE);
  kiosk_catalog_page_set_query (p, "Sperrmüll");
  g_assert_true (all_bound (p));
  for (guint i = 0; i < 43; i++)
    g_assert_true (tile_shows (p, found, i));

  g_signal_handler_disconnect (clock, id);
  g_clear_pointer (&opened, g_free);
  gtk_window_destroy (GTK_WINDOW (window));
  flush ();
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
  /* After gtk_test_init, which sets the locale from the environment. */
  have_german = setlocale (LC_MESSAGES, "de_DE.UTF-8") != NULL;
  g_test_add_func ("/kiosk/gui/catalog-page/not-found", test_not_found);
  g_test_add_func ("/kiosk/gui/catalog-page/more-found", test_more_found);
  g_test_add_func ("/kiosk/gui/catalog-page/tiles-kept", test_tiles_kept);
  g_test_add_func ("/kiosk/gui/catalog-page/in-view-first", test_in_view_first);
  return g_test_run ();
}

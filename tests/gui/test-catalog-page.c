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
  flush ();
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
  return g_test_run ();
}

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
  return g_test_run ();
}

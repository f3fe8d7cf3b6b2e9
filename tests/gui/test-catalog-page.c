/* test-catalog-page.c — the catalogue page on its own, under Xvfb
 *
 * SPDX-FileCopyrightText: 2026 Stadtkiosk contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>

#include "kiosk-catalog-page.h"
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
  return g_test_run ();
}

/* bench-floor-window.c
 *
 * SPDX-FileCopyrightText: 2026 Stadtkiosk contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The floor for tests/bench/bench-startup: a minimal GTK 4 + libadwaita
 * program that shows the kiosk's welcome page and nothing behind it — no
 * database, no catalogue, no sync, no keys, no idle timer.  It uses the same
 * application id (so libadwaita loads the same style.css from the same
 * GResource), the same top bar, the same KioskWelcomePage widget, the same
 * window size as `stadtkiosk --windowed` and the same German strings, so
 * that what the kiosk costs beyond this is what the kiosk adds.
 * bench-startup compares the two screens pixel by pixel (--shots DIR keeps
 * them): until #18's session 9 this window was 548×144 pixels with the
 * page cut off under the top bar, in English, and the ratios compared
 * different work.
 */

#define G_LOG_DOMAIN "bench-floor"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>
#include <locale.h>

#include "kiosk-language-button.h"
#include "kiosk-welcome-page.h"

static void
first_paint_cb (GdkFrameClock *clock,
                gpointer       user_data)
{
  g_print ("first-paint %" G_GINT64_FORMAT "\n", g_get_monotonic_time ());
  fflush (stdout);
  g_signal_handlers_disconnect_by_func (clock, first_paint_cb, user_data);
}

static void
window_realized_cb (GtkWidget *window,
                    gpointer   user_data)
{
  g_signal_connect (gtk_widget_get_frame_clock (window), "after-paint",
                    G_CALLBACK (first_paint_cb), NULL);
}

/* A top-bar button, styled as the kiosk's. */
static GtkWidget *
top_bar_button (GtkWidget *button)
{
  gtk_widget_add_css_class (button, "kiosk-toggle");
  return button;
}

/* The kiosk greets in German whatever the process locale; so does this.
 * After gtk_init(), which sets the locale from the environment again, as
 * the kiosk does (kiosk_use_language()). */
static void
startup_cb (GApplication *app,
            gpointer      user_data)
{
  setlocale (LC_MESSAGES, "de_DE.UTF-8");
}

static void
activate_cb (GApplication *app,
             gpointer      user_data)
{
  /* The kiosk's default [kiosk] languages. */
  static const char * const languages[] = { "de", "en", NULL };
  static const GActionEntry page_actions[] = {
    { "start" }, { "status" }, { "info" }, { "language", NULL, "s" },
  };
  g_autoptr(GSimpleActionGroup) actions = NULL;
  GtkWidget *window, *box, *top_bar, *title, *language_button, *page;

  window = adw_application_window_new (GTK_APPLICATION (app));
  gtk_window_set_decorated (GTK_WINDOW (window), FALSE);
  /* The size of `stadtkiosk --windowed`, which bench-startup measures. */
  gtk_window_set_default_size (GTK_WINDOW (window), 1280, 800);
  gtk_widget_add_css_class (window, "kiosk");

  top_bar = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  gtk_widget_add_css_class (top_bar, "kiosk-topbar");
  title = gtk_label_new ("Stadtkiosk Hildesheim");
  gtk_widget_add_css_class (title, "kiosk-brand");
  gtk_widget_set_hexpand (title, TRUE);
  gtk_label_set_xalign (GTK_LABEL (title), 0);
  gtk_box_append (GTK_BOX (top_bar), title);
  /* As on the kiosk's welcome page: the languages are on the page, the
   * button is greyed out. */
  language_button = kiosk_language_button_new ();
  kiosk_language_button_set_languages (KIOSK_LANGUAGE_BUTTON (language_button), languages, "de");
  gtk_widget_set_sensitive (language_button, FALSE);
  gtk_box_append (GTK_BOX (top_bar), language_button);
  gtk_box_append (GTK_BOX (top_bar), top_bar_button (gtk_button_new_with_label (_("Read aloud"))));
  gtk_box_append (GTK_BOX (top_bar), top_bar_button (gtk_toggle_button_new_with_label (_("Large text"))));
  gtk_box_append (GTK_BOX (top_bar), top_bar_button (gtk_toggle_button_new_with_label (_("High contrast"))));

  /* The page fills the rest of the window, as in the kiosk's stack. */
  page = kiosk_welcome_page_new (languages, "de");
  gtk_widget_set_vexpand (page, TRUE);
  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  gtk_box_append (GTK_BOX (box), top_bar);
  gtk_box_append (GTK_BOX (box), page);
  adw_application_window_set_content (ADW_APPLICATION_WINDOW (window), box);

  /* The page's buttons are sensitive, as in the kiosk: its actions exist
   * (and do nothing). */
  actions = g_simple_action_group_new ();
  g_action_map_add_action_entries (G_ACTION_MAP (actions), page_actions, G_N_ELEMENTS (page_actions), NULL);
  gtk_widget_insert_action_group (window, "kiosk", G_ACTION_GROUP (actions));

  if (g_getenv ("STADTKIOSK_REPORT_FIRST_PAINT") != NULL)
    g_signal_connect (window, "realize", G_CALLBACK (window_realized_cb), NULL);
  gtk_window_present (GTK_WINDOW (window));
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(AdwApplication) app = NULL;

  setlocale (LC_ALL, "");
  if (g_getenv ("STADTKIOSK_LOCALEDIR") != NULL)
    bindtextdomain (GETTEXT_PACKAGE, g_getenv ("STADTKIOSK_LOCALEDIR"));
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  app = adw_application_new (APP_ID, G_APPLICATION_NON_UNIQUE);
  g_signal_connect (app, "startup", G_CALLBACK (startup_cb), NULL);
  g_signal_connect (app, "activate", G_CALLBACK (activate_cb), NULL);
  return g_application_run (G_APPLICATION (app), 1, argv);
}

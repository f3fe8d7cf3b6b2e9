/* bench-floor-window.c
 *
 * SPDX-FileCopyrightText: 2026 Stadtkiosk contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The floor for tests/bench/bench-startup: a minimal GTK 4 + libadwaita
 * program that shows the kiosk's welcome page and nothing behind it — no
 * database, no catalogue, no sync, no keys, no idle timer.  It uses the same
 * application id (so libadwaita loads the same style.css from the same
 * GResource), the same top bar and the same KioskWelcomePage widget, so
 * that what the kiosk costs beyond this is what the kiosk adds.
 */

#define G_LOG_DOMAIN "bench-floor"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>
#include <locale.h>

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

static GtkWidget *
new_toggle (const char *label)
{
  GtkWidget *button = gtk_toggle_button_new_with_label (label);

  gtk_widget_add_css_class (button, "kiosk-toggle");
  return button;
}

static void
activate_cb (GApplication *app,
             gpointer      user_data)
{
  static const char * const languages[] = { "de", "en", "ar", NULL };
  GtkWidget *window = adw_application_window_new (GTK_APPLICATION (app));
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *top_bar = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *title = gtk_label_new ("Stadtkiosk Hildesheim");

  gtk_window_set_decorated (GTK_WINDOW (window), FALSE);
  gtk_widget_add_css_class (top_bar, "kiosk-topbar");
  gtk_widget_add_css_class (title, "kiosk-brand");
  gtk_widget_set_hexpand (title, TRUE);
  gtk_label_set_xalign (GTK_LABEL (title), 0);
  gtk_box_append (GTK_BOX (top_bar), title);
  gtk_box_append (GTK_BOX (top_bar), new_toggle (_("Large text")));
  gtk_box_append (GTK_BOX (top_bar), new_toggle (_("High contrast")));
  gtk_box_append (GTK_BOX (box), top_bar);
  gtk_box_append (GTK_BOX (box), kiosk_welcome_page_new (languages, "de"));
  adw_application_window_set_content (ADW_APPLICATION_WINDOW (window), box);

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
  /* The kiosk greets in German whatever the process locale; so does this. */
  setlocale (LC_MESSAGES, "de_DE.UTF-8");
  if (g_getenv ("STADTKIOSK_LOCALEDIR") != NULL)
    bindtextdomain (GETTEXT_PACKAGE, g_getenv ("STADTKIOSK_LOCALEDIR"));
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  app = adw_application_new (APP_ID, G_APPLICATION_NON_UNIQUE);
  g_signal_connect (app, "activate", G_CALLBACK (activate_cb), NULL);
  return g_application_run (G_APPLICATION (app), 1, argv);
}

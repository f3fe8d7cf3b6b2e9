/* kiosk-window.c
 *
 * SPDX-FileCopyrightText: 2026 Stadtkiosk contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "stadtkiosk"

#include "config.h"

#include <glib/gi18n.h>

#include "kiosk-window.h"

struct _KioskWindow
{
  AdwApplicationWindow  parent_instance;

  GtkLabel             *status_label;
};

G_DEFINE_FINAL_TYPE (KioskWindow, kiosk_window, ADW_TYPE_APPLICATION_WINDOW)

/* A public terminal cannot be closed by its users: Alt+F4 and the like are
 * refused.  The session manager (cage + systemd) stops the process instead. */
static gboolean
kiosk_window_close_request (GtkWindow *window)
{
  return TRUE;
}

/* Ctrl+Shift+I / Ctrl+Shift+D would open the GTK Inspector. */
static gboolean
kiosk_window_enable_debugging (GtkWindow *window,
                               gboolean   toggle)
{
  return TRUE;
}

static void
kiosk_window_class_init (KioskWindowClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  window_class->close_request = kiosk_window_close_request;
  window_class->enable_debugging = kiosk_window_enable_debugging;

  gtk_widget_class_set_template_from_resource (widget_class, "/de/hildesheim/Stadtkiosk/kiosk-window.ui");
  gtk_widget_class_bind_template_child (widget_class, KioskWindow, status_label);
}

static void
kiosk_window_init (KioskWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

KioskWindow *
kiosk_window_new (KioskApplication *app,
                  gboolean          fullscreen)
{
  KioskWindow *self = g_object_new (KIOSK_TYPE_WINDOW, "application", app, NULL);
  const char *startup_error = kiosk_application_get_startup_error (app);

  if (startup_error != NULL)
    gtk_label_set_text (self->status_label, startup_error);

  if (fullscreen)
    {
      GListModel *monitors = gdk_display_get_monitors (gtk_widget_get_display (GTK_WIDGET (self)));
      g_autoptr(GdkMonitor) monitor = g_list_model_get_item (monitors, 0);

      /* Without a window manager (bare X, as in tests and in `./dev run`
       * without a display) fullscreen is only a wish: fill the first
       * monitor too. */
      if (monitor != NULL)
        {
          GdkRectangle geometry;

          gdk_monitor_get_geometry (monitor, &geometry);
          gtk_window_set_default_size (GTK_WINDOW (self), geometry.width, geometry.height);
        }
      gtk_window_fullscreen (GTK_WINDOW (self));
    }
  else
    gtk_window_set_default_size (GTK_WINDOW (self), 1280, 800);

  return self;
}

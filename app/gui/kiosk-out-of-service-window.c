/* kiosk-out-of-service-window.c
 *
 * SPDX-FileCopyrightText: 2026 Stadtkiosk contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "stadtkiosk"

#include "config.h"

#include "kiosk-out-of-service-window.h"

/* The kiosk could not open its database or configuration: it must not
 * invite anyone to fill in a form it cannot save.  The application shows
 * this window instead of the kiosk, so that KioskWindow always has a core
 * to talk to.  The reason is for the staff; the citizen is sent to the
 * counter.  The display toggles still work, for reading the message. */

struct _KioskOutOfServiceWindow
{
  AdwApplicationWindow  parent_instance;

  GtkLabel             *detail_label;
  GtkWidget            *interrupted_label;
  gboolean              high_contrast;
  gboolean              large_text;
};

enum {
  PROP_0,
  PROP_HIGH_CONTRAST,
  PROP_LARGE_TEXT,
  N_PROPS,
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (KioskOutOfServiceWindow, kiosk_out_of_service_window, ADW_TYPE_APPLICATION_WINDOW)

static void
set_css_flag (KioskOutOfServiceWindow *self,
              gboolean                *field,
              gboolean                 value,
              const char              *css_class,
              GParamSpec              *pspec)
{
  if (*field == value)
    return;
  *field = value;
  if (value)
    gtk_widget_add_css_class (GTK_WIDGET (self), css_class);
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self), css_class);
  g_object_notify_by_pspec (G_OBJECT (self), pspec);
}

/* Like the kiosk itself, it cannot be closed or inspected from its screen. */
static gboolean
kiosk_out_of_service_window_close_request (GtkWindow *window)
{
  return TRUE;
}

static gboolean
kiosk_out_of_service_window_enable_debugging (GtkWindow *window,
                                              gboolean   toggle)
{
  return TRUE;
}

static void
kiosk_out_of_service_window_get_property (GObject    *object,
                                          guint       prop_id,
                                          GValue     *value,
                                          GParamSpec *pspec)
{
  KioskOutOfServiceWindow *self = KIOSK_OUT_OF_SERVICE_WINDOW (object);

  switch (prop_id)
    {
    case PROP_HIGH_CONTRAST:
      g_value_set_boolean (value, self->high_contrast);
      break;
    case PROP_LARGE_TEXT:
      g_value_set_boolean (value, self->large_text);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kiosk_out_of_service_window_set_property (GObject      *object,
                                          guint         prop_id,
                                          const GValue *value,
                                          GParamSpec   *pspec)
{
  KioskOutOfServiceWindow *self = KIOSK_OUT_OF_SERVICE_WINDOW (object);

  switch (prop_id)
    {
    case PROP_HIGH_CONTRAST:
      set_css_flag (self, &self->high_contrast, g_value_get_boolean (value),
                    "kiosk-high-contrast", pspec);
      break;
    case PROP_LARGE_TEXT:
      set_css_flag (self, &self->large_text, g_value_get_boolean (value),
                    "kiosk-large-text", pspec);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kiosk_out_of_service_window_class_init (KioskOutOfServiceWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->get_property = kiosk_out_of_service_window_get_property;
  object_class->set_property = kiosk_out_of_service_window_set_property;
  window_class->close_request = kiosk_out_of_service_window_close_request;
  window_class->enable_debugging = kiosk_out_of_service_window_enable_debugging;

  properties[PROP_HIGH_CONTRAST] =
    g_param_spec_boolean ("high-contrast", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_LARGE_TEXT] =
    g_param_spec_boolean ("large-text", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/de/hildesheim/Stadtkiosk/kiosk-out-of-service-window.ui");
  gtk_widget_class_bind_template_child (widget_class, KioskOutOfServiceWindow, detail_label);
  gtk_widget_class_bind_template_child (widget_class, KioskOutOfServiceWindow, interrupted_label);
  gtk_widget_class_install_property_action (widget_class, "kiosk.high-contrast", "high-contrast");
  gtk_widget_class_install_property_action (widget_class, "kiosk.large-text", "large-text");
}

static void
kiosk_out_of_service_window_init (KioskOutOfServiceWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

/**
 * kiosk_out_of_service_window_new:
 * @startup_error: (nullable): why the kiosk could not start, for the staff
 *
 * Call it after the process's language is set: its strings come from
 * its template.
 */
GtkWidget *
kiosk_out_of_service_window_new (const char *startup_error)
{
  KioskOutOfServiceWindow *self = g_object_new (KIOSK_TYPE_OUT_OF_SERVICE_WINDOW, NULL);

  gtk_label_set_text (self->detail_label, startup_error != NULL ? startup_error : "");
  return GTK_WIDGET (self);
}

const char *
kiosk_out_of_service_window_get_reason (KioskOutOfServiceWindow *self)
{
  g_return_val_if_fail (KIOSK_IS_OUT_OF_SERVICE_WINDOW (self), NULL);
  return gtk_label_get_text (self->detail_label);
}

/**
 * kiosk_out_of_service_window_set_interrupted:
 * @interrupted: the kiosk was running and went out of service just now
 *
 * Then a citizen may have been filling in a form: the window says that it
 * was not sent and not kept.
 */
void
kiosk_out_of_service_window_set_interrupted (KioskOutOfServiceWindow *self,
                                             gboolean                 interrupted)
{
  g_return_if_fail (KIOSK_IS_OUT_OF_SERVICE_WINDOW (self));
  gtk_widget_set_visible (self->interrupted_label, interrupted);
}

gboolean
kiosk_out_of_service_window_get_interrupted (KioskOutOfServiceWindow *self)
{
  g_return_val_if_fail (KIOSK_IS_OUT_OF_SERVICE_WINDOW (self), FALSE);
  return gtk_widget_get_visible (self->interrupted_label);
}

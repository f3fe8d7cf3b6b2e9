/* kiosk-service-page.c
 *
 * SPDX-FileCopyrightText: 2026 Stadtkiosk contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "stadtkiosk"

#include "config.h"

#include <glib/gi18n.h>

#include "kiosk-service-page.h"

/* Before the first question: what the service is, what to have at hand,
 * and what the kiosk will do with the request, honestly for its offline
 * mode. */

struct _KioskServicePage
{
  AdwBin     parent_instance;

  GtkImage  *icon;
  GtkLabel  *title_label;
  GtkLabel  *summary_label;
  GtkLabel  *help_label;
  GtkLabel  *next_label;
  GtkLabel  *hours_label;
  GtkButton *begin_button;

  KioskSession *session;
  gboolean      online;
};

G_DEFINE_FINAL_TYPE (KioskServicePage, kiosk_service_page, ADW_TYPE_BIN)

static void show_service (KioskServicePage *self,
                          KioskService     *service,
                          const char       *locale,
                          gboolean          online);

/* The citizen picked a service: show it in the session's language. */
static void
service_changed_cb (KioskServicePage *self)
{
  KioskService *service = kiosk_session_get_service (self->session);

  if (service != NULL)
    show_service (self, service, kiosk_session_get_language (self->session), self->online);
}

static void
kiosk_service_page_dispose (GObject *object)
{
  KioskServicePage *self = KIOSK_SERVICE_PAGE (object);

  g_clear_object (&self->session);

  G_OBJECT_CLASS (kiosk_service_page_parent_class)->dispose (object);
}

static void
kiosk_service_page_class_init (KioskServicePageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = kiosk_service_page_dispose;

  gtk_widget_class_set_template_from_resource (widget_class, "/de/hildesheim/Stadtkiosk/pages/kiosk-service-page.ui");
  gtk_widget_class_bind_template_child (widget_class, KioskServicePage, icon);
  gtk_widget_class_bind_template_child (widget_class, KioskServicePage, title_label);
  gtk_widget_class_bind_template_child (widget_class, KioskServicePage, summary_label);
  gtk_widget_class_bind_template_child (widget_class, KioskServicePage, help_label);
  gtk_widget_class_bind_template_child (widget_class, KioskServicePage, next_label);
  gtk_widget_class_bind_template_child (widget_class, KioskServicePage, hours_label);
  gtk_widget_class_bind_template_child (widget_class, KioskServicePage, begin_button);
}

static void
kiosk_service_page_init (KioskServicePage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

static void
show_service (KioskServicePage *self,
              KioskService     *service,
              const char       *locale,
              gboolean          online)
{
  const char *help;
  const char *hours;
  const char *icon;

  icon = kiosk_service_get_icon (service);
  gtk_image_set_from_icon_name (self->icon, icon != NULL && *icon != '\0' ? icon : "document-edit-symbolic");
  gtk_label_set_text (self->title_label, kiosk_service_get_title (service, locale));
  gtk_label_set_text (self->summary_label, kiosk_service_get_summary (service, locale));
  help = kiosk_service_get_help (service, locale);
  gtk_label_set_text (self->help_label,
                      help != NULL && *help != '\0' ? help : _("Nothing but a few minutes. Your answers stay on this kiosk until they are sent."));

  switch (kiosk_service_get_offline_mode (service))
    {
    case KIOSK_OFFLINE_PRINT:
      gtk_label_set_text (self->next_label,
                          _("You fill in the form here. The kiosk prints it with a QR code; take the printout to the office, where the clerk scans it."));
      gtk_button_set_label (self->begin_button, _("Fill in the form"));
      break;
    case KIOSK_OFFLINE_REFER:
      gtk_label_set_text (self->next_label,
                          _("This service is only available online or at the office. The kiosk prints a QR code with the web address and the office hours."));
      gtk_button_set_label (self->begin_button, _("Show the web address"));
      break;
    case KIOSK_OFFLINE_QUEUE:
    default:
      gtk_label_set_text (self->next_label,
                          online ? _("Your request is saved on this kiosk and sent to the city right away. You get a receipt with a code.")
                                 : _("Your request is saved on this kiosk and sent to the city as soon as there is a connection. You get a receipt with a code."));
      gtk_button_set_label (self->begin_button, _("Start"));
      break;
    }
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->begin_button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  gtk_button_get_label (self->begin_button), -1);

  hours = kiosk_service_get_office_hours (service, locale);
  gtk_widget_set_visible (GTK_WIDGET (self->hours_label), hours != NULL && *hours != '\0');
  if (hours != NULL && *hours != '\0')
    {
      g_autofree char *text = g_strdup_printf (_("Office hours: %s"), hours);

      gtk_label_set_text (self->hours_label, text);
    }
}

/**
 * kiosk_service_page_new:
 * @session: the citizen's session; the page shows its service
 */
GtkWidget *
kiosk_service_page_new (KioskSession *session)
{
  KioskServicePage *self;

  g_return_val_if_fail (KIOSK_IS_SESSION (session), NULL);

  self = g_object_new (KIOSK_TYPE_SERVICE_PAGE, NULL);
  self->session = g_object_ref (session);
  g_signal_connect_object (session, "notify::service", G_CALLBACK (service_changed_cb),
                           self, G_CONNECT_SWAPPED);
  /* Built anew mid-session (a language switch): the session's service. */
  service_changed_cb (self);
  return GTK_WIDGET (self);
}

/**
 * kiosk_service_page_set_online:
 *
 * Whether the kiosk is online when the next service is shown: "sent right
 * away" or "sent as soon as there is a connection".
 */
void
kiosk_service_page_set_online (KioskServicePage *self,
                               gboolean          online)
{
  g_return_if_fail (KIOSK_IS_SERVICE_PAGE (self));
  self->online = online;
}

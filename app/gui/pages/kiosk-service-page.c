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
};

G_DEFINE_FINAL_TYPE (KioskServicePage, kiosk_service_page, ADW_TYPE_BIN)

static void
kiosk_service_page_class_init (KioskServicePageClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

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

GtkWidget *
kiosk_service_page_new (void)
{
  return g_object_new (KIOSK_TYPE_SERVICE_PAGE, NULL);
}

void
kiosk_service_page_set_service (KioskServicePage *self,
                                KioskService     *service,
                                const char       *locale,
                                gboolean          online)
{
  const char *help;
  const char *hours;
  const char *icon;

  g_return_if_fail (KIOSK_IS_SERVICE_PAGE (self));
  g_return_if_fail (KIOSK_IS_SERVICE (service));

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

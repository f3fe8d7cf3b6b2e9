/* kiosk-welcome-page.c
 *
 * SPDX-FileCopyrightText: 2026 Stadtkiosk contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "stadtkiosk"

#include "config.h"

#include <glib/gi18n.h>

#include "kiosk-welcome-page.h"

#include "kiosk-language.h"

struct _KioskWelcomePage
{
  AdwBin     parent_instance;

  GtkWidget *logo;
  GtkWidget *start_button;
  GtkWidget *info_button;
  GtkWidget *languages_box;
  GtkImage  *connection_icon;
  GtkLabel  *connection_label;
};

G_DEFINE_FINAL_TYPE (KioskWelcomePage, kiosk_welcome_page, ADW_TYPE_BIN)

static void
kiosk_welcome_page_class_init (KioskWelcomePageClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  gtk_widget_class_set_template_from_resource (widget_class, "/de/hildesheim/Stadtkiosk/pages/kiosk-welcome-page.ui");
  gtk_widget_class_bind_template_child (widget_class, KioskWelcomePage, logo);
  gtk_widget_class_bind_template_child (widget_class, KioskWelcomePage, start_button);
  gtk_widget_class_bind_template_child (widget_class, KioskWelcomePage, info_button);
  gtk_widget_class_bind_template_child (widget_class, KioskWelcomePage, languages_box);
  gtk_widget_class_bind_template_child (widget_class, KioskWelcomePage, connection_icon);
  gtk_widget_class_bind_template_child (widget_class, KioskWelcomePage, connection_label);
}

static void
kiosk_welcome_page_init (KioskWelcomePage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
kiosk_welcome_page_new (const char * const *languages,
                        const char         *current)
{
  KioskWelcomePage *self = g_object_new (KIOSK_TYPE_WELCOME_PAGE, NULL);
  guint n_languages;

  for (guint i = 0; languages != NULL && languages[i] != NULL; i++)
    {
      const char *name = kiosk_language_get_native_name (languages[i]);
      GtkWidget *button = gtk_button_new_with_label (name);
      GtkWidget *label = gtk_button_get_child (GTK_BUTTON (button));

      /* Each language is offered by its own name, in its own script and
       * direction whatever the UI's: a person looks for a word they can read. */
      if (GTK_IS_LABEL (label) && kiosk_language_is_rtl (languages[i]))
        gtk_widget_set_direction (label, GTK_TEXT_DIR_RTL);
      gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "kiosk.language");
      gtk_actionable_set_action_target (GTK_ACTIONABLE (button), "s", languages[i]);
      gtk_widget_add_css_class (button, "kiosk-language");
      if (g_strcmp0 (languages[i], current) == 0)
        gtk_widget_add_css_class (button, "kiosk-current");
      gtk_accessible_update_property (GTK_ACCESSIBLE (button),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, name, -1);
      gtk_widget_set_name (button, languages[i]);
      gtk_flow_box_append (GTK_FLOW_BOX (self->languages_box), button);
    }
  /* The flow box children must not take a focus stop of their own. */
  for (GtkWidget *child = gtk_widget_get_first_child (self->languages_box);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    gtk_widget_set_focusable (child, FALSE);

  n_languages = languages != NULL ? g_strv_length ((GStrv) languages) : 0;
  gtk_flow_box_set_max_children_per_line (GTK_FLOW_BOX (self->languages_box),
                                          MAX (1, MIN (4, n_languages)));
  /* Five to eight languages take a second row of buttons; without the
   * logo the page still fits a 1280x800 screen unscrolled, with the
   * language a person looks for in sight. */
  gtk_widget_set_visible (self->logo, n_languages <= 4);
  kiosk_welcome_page_set_online (self, FALSE);

  return GTK_WIDGET (self);
}

void
kiosk_welcome_page_set_online (KioskWelcomePage *self,
                               gboolean          online)
{
  g_return_if_fail (KIOSK_IS_WELCOME_PAGE (self));

  if (online)
    {
      gtk_image_set_from_icon_name (self->connection_icon, "network-transmit-receive-symbolic");
      gtk_label_set_text (self->connection_label, _("Online"));
      gtk_widget_remove_css_class (GTK_WIDGET (self->connection_label), "kiosk-offline");
    }
  else
    {
      gtk_image_set_from_icon_name (self->connection_icon, "network-offline-symbolic");
      gtk_label_set_text (self->connection_label,
                          _("Offline — your request is saved here and sent later"));
      gtk_widget_add_css_class (GTK_WIDGET (self->connection_label), "kiosk-offline");
    }
}

/**
 * kiosk_welcome_page_set_has_info:
 * @has_info: whether the active catalogue has information cards
 *
 * Shows the "Information" button only when there is something behind it:
 * a catalogue without cards would open an empty page, and the button
 * takes room the language buttons need on a small screen.
 */
void
kiosk_welcome_page_set_has_info (KioskWelcomePage *self,
                                 gboolean          has_info)
{
  g_return_if_fail (KIOSK_IS_WELCOME_PAGE (self));

  gtk_widget_set_visible (self->info_button, has_info);
}

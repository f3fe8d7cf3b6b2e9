/* kiosk-language-button.c
 *
 * SPDX-FileCopyrightText: 2026 Stadtkiosk contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "stadtkiosk"

#include "config.h"

#include "kiosk-language-button.h"

#include <glib/gi18n.h>

#include "kiosk-language.h"

/* The language button in the top bar: the current language by its own
 * name, and a popover with every offered language, each by its own name.
 * A choice activates "kiosk.language"; the window switches the session's
 * language and keeps the page and the answers. */

struct _KioskLanguageButton
{
  GtkWidget   parent_instance;

  GtkWidget  *menu_button;
  GtkLabel   *label;          /* the current language's name */
  GtkWidget  *choices;        /* GtkBox in the popover */
  GHashTable *buttons;        /* language -> GtkButton (unowned) */
};

G_DEFINE_FINAL_TYPE (KioskLanguageButton, kiosk_language_button, GTK_TYPE_WIDGET)

static void
choice_clicked_cb (GtkButton           *button,
                   KioskLanguageButton *self)
{
  gtk_menu_button_popdown (GTK_MENU_BUTTON (self->menu_button));
}

static void
kiosk_language_button_dispose (GObject *object)
{
  KioskLanguageButton *self = KIOSK_LANGUAGE_BUTTON (object);

  g_clear_pointer (&self->menu_button, gtk_widget_unparent);

  G_OBJECT_CLASS (kiosk_language_button_parent_class)->dispose (object);
}

static void
kiosk_language_button_finalize (GObject *object)
{
  KioskLanguageButton *self = KIOSK_LANGUAGE_BUTTON (object);

  g_hash_table_unref (self->buttons);

  G_OBJECT_CLASS (kiosk_language_button_parent_class)->finalize (object);
}

static void
kiosk_language_button_class_init (KioskLanguageButtonClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = kiosk_language_button_dispose;
  object_class->finalize = kiosk_language_button_finalize;

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "kiosk-language-button");
}

static void
kiosk_language_button_init (KioskLanguageButton *self)
{
  GtkWidget *popover = gtk_popover_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);

  self->buttons = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->choices = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  gtk_popover_set_child (GTK_POPOVER (popover), self->choices);
  self->menu_button = gtk_menu_button_new ();
  gtk_menu_button_set_popover (GTK_MENU_BUTTON (self->menu_button), popover);
  /* A globe for those who cannot read the current language's name. */
  gtk_box_append (GTK_BOX (box), gtk_image_new_from_icon_name ("preferences-desktop-locale-symbolic"));
  self->label = GTK_LABEL (gtk_label_new (NULL));
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->label));
  gtk_menu_button_set_child (GTK_MENU_BUTTON (self->menu_button), box);
  gtk_widget_add_css_class (self->menu_button, "kiosk-toggle");
  gtk_widget_set_parent (self->menu_button, GTK_WIDGET (self));
}

GtkWidget *
kiosk_language_button_new (void)
{
  return g_object_new (KIOSK_TYPE_LANGUAGE_BUTTON, NULL);
}

/**
 * kiosk_language_button_set_languages:
 * @languages: the kiosk's languages, as configured
 * @current: the session's
 *
 * Offers @languages; the button shows @current by its own name.
 */
void
kiosk_language_button_set_languages (KioskLanguageButton *self,
                                     const char * const  *languages,
                                     const char          *current)
{
  GtkWidget *child;
  g_autofree char *label = NULL;

  g_return_if_fail (KIOSK_IS_LANGUAGE_BUTTON (self));

  while ((child = gtk_widget_get_first_child (self->choices)) != NULL)
    gtk_box_remove (GTK_BOX (self->choices), child);
  g_hash_table_remove_all (self->buttons);

  for (guint i = 0; languages != NULL && languages[i] != NULL; i++)
    {
      const char *name = kiosk_language_get_native_name (languages[i]);
      GtkWidget *button = gtk_button_new_with_label (name);
      GtkWidget *button_label = gtk_button_get_child (GTK_BUTTON (button));

      /* Each name in its own direction, whatever the interface's. */
      if (GTK_IS_LABEL (button_label))
        gtk_widget_set_direction (button_label, kiosk_language_is_rtl (languages[i]) ? GTK_TEXT_DIR_RTL
                                                                                      : GTK_TEXT_DIR_LTR);
      gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "kiosk.language");
      gtk_actionable_set_action_target (GTK_ACTIONABLE (button), "s", languages[i]);
      gtk_widget_add_css_class (button, "kiosk-language");
      if (g_strcmp0 (languages[i], current) == 0)
        gtk_widget_add_css_class (button, "kiosk-current");
      gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, name, -1);
      g_signal_connect (button, "clicked", G_CALLBACK (choice_clicked_cb), self);
      gtk_box_append (GTK_BOX (self->choices), button);
      g_hash_table_insert (self->buttons, g_strdup (languages[i]), button);
    }

  /* One language: nothing to choose. */
  gtk_widget_set_visible (GTK_WIDGET (self), languages != NULL && g_strv_length ((GStrv) languages) > 1);

  /* The name a person can read, and what the button does in the session's
   * language for those who hear it. */
  gtk_label_set_text (self->label, kiosk_language_get_native_name (current));
  label = g_strdup_printf (_("Language: %s. Choose another language"), kiosk_language_get_native_name (current));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->menu_button), GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
}

/**
 * kiosk_language_button_get_choice:
 *
 * Returns: (transfer none) (nullable): the popover's button for @language
 */
GtkWidget *
kiosk_language_button_get_choice (KioskLanguageButton *self,
                                  const char          *language)
{
  g_return_val_if_fail (KIOSK_IS_LANGUAGE_BUTTON (self), NULL);
  return g_hash_table_lookup (self->buttons, language);
}

void
kiosk_language_button_popup (KioskLanguageButton *self)
{
  g_return_if_fail (KIOSK_IS_LANGUAGE_BUTTON (self));
  gtk_menu_button_popup (GTK_MENU_BUTTON (self->menu_button));
}

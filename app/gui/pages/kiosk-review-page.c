/* kiosk-review-page.c
 *
 * SPDX-FileCopyrightText: 2026 Stadtkiosk contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "stadtkiosk"

#include "config.h"

#include <glib/gi18n.h>

#include "kiosk-review-page.h"
#include "kiosk-speech.h"

/* Every answer once more, step by step, each step with a "Change" button
 * that goes back to it.  Only the answers that will be sent are shown.
 *
 * Bound to the citizen's KioskSession like the service and done pages: it
 * shows the session's form in the session's language, empties itself when
 * the form goes and follows a change of language. */

struct _KioskReviewPage
{
  AdwBin     parent_instance;

  GtkLabel  *service_label;
  GtkWidget *answers_box;
  GtkWidget *send_button;
  GtkLabel  *message_label;

  KioskSession *session;
  KioskForm    *form;       /* whose answers are shown, NULL when empty */
  char         *language;
};

G_DEFINE_FINAL_TYPE (KioskReviewPage, kiosk_review_page, ADW_TYPE_BIN)

/**
 * kiosk_format_answer:
 *
 * Returns: (transfer full): @value as a person reads it, the catalogue's
 *   own formatting (option labels, Yes/No, dates) or "(not given)"
 */
char *
kiosk_format_answer (KioskField *field,
                     JsonNode   *value,
                     const char *locale)
{
  char *text = kiosk_field_format_answer (field, value, locale);

  return text != NULL ? text : g_strdup (_("(not given)"));
}

static void
kiosk_review_page_dispose (GObject *object)
{
  KioskReviewPage *self = KIOSK_REVIEW_PAGE (object);

  g_clear_object (&self->form);
  g_clear_object (&self->session);

  G_OBJECT_CLASS (kiosk_review_page_parent_class)->dispose (object);
}

static void
kiosk_review_page_finalize (GObject *object)
{
  KioskReviewPage *self = KIOSK_REVIEW_PAGE (object);

  g_free (self->language);

  G_OBJECT_CLASS (kiosk_review_page_parent_class)->finalize (object);
}

static void
kiosk_review_page_class_init (KioskReviewPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = kiosk_review_page_dispose;
  object_class->finalize = kiosk_review_page_finalize;

  gtk_widget_class_set_template_from_resource (widget_class, "/de/hildesheim/Stadtkiosk/pages/kiosk-review-page.ui");
  gtk_widget_class_bind_template_child (widget_class, KioskReviewPage, service_label);
  gtk_widget_class_bind_template_child (widget_class, KioskReviewPage, answers_box);
  gtk_widget_class_bind_template_child (widget_class, KioskReviewPage, send_button);
  gtk_widget_class_bind_template_child (widget_class, KioskReviewPage, message_label);
}

static void
kiosk_review_page_init (KioskReviewPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

static void
clear_answers (KioskReviewPage *self)
{
  GtkWidget *child;

  kiosk_review_page_set_message (self, NULL);
  while ((child = gtk_widget_get_first_child (self->answers_box)) != NULL)
    gtk_box_remove (GTK_BOX (self->answers_box), child);
  g_clear_object (&self->form);
}

/* The session's form went (a new service, start over) or its language
 * changed: the answers shown go, or are shown again in the new language. */
static void
session_changed_cb (KioskReviewPage *self)
{
  KioskForm *form = kiosk_session_get_form (self->session);

  if (self->form == NULL)
    return;
  if (form != self->form)
    clear_answers (self);
  else if (g_strcmp0 (self->language, kiosk_session_get_language (self->session)) != 0)
    kiosk_review_page_update (self);
}

/**
 * kiosk_review_page_new:
 * @session: the citizen's session; the page shows its form's answers
 */
GtkWidget *
kiosk_review_page_new (KioskSession *session)
{
  KioskReviewPage *self;

  g_return_val_if_fail (KIOSK_IS_SESSION (session), NULL);

  self = g_object_new (KIOSK_TYPE_REVIEW_PAGE, NULL);
  self->session = g_object_ref (session);
  g_signal_connect_object (session, "notify::form", G_CALLBACK (session_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (session, "notify::language", G_CALLBACK (session_changed_cb), self, G_CONNECT_SWAPPED);
  return GTK_WIDGET (self);
}

/**
 * kiosk_review_page_update:
 *
 * Shows every visible answer of the session's form, in the session's
 * language; empty when the session has no form.
 */
void
kiosk_review_page_update (KioskReviewPage *self)
{
  KioskForm *form;
  const char *locale;
  KioskService *service;
  g_autoptr(GtkSizeGroup) names = gtk_size_group_new (GTK_SIZE_GROUP_HORIZONTAL);

  g_return_if_fail (KIOSK_IS_REVIEW_PAGE (self));

  clear_answers (self);
  form = kiosk_session_get_form (self->session);
  if (form == NULL)
    return;
  locale = kiosk_session_get_language (self->session);
  self->form = g_object_ref (form);
  g_free (self->language);
  self->language = g_strdup (locale);

  service = kiosk_form_get_service (form);
  gtk_label_set_text (self->service_label, kiosk_service_get_title (service, locale));

  for (guint s = 0; s < kiosk_form_get_n_steps (form); s++)
    {
      KioskStep *step = kiosk_service_get_step (service, s);
      GPtrArray *fields = kiosk_step_get_fields (step);
      GtkWidget *group, *header, *title, *change, *grid;
      guint row = 0;
      g_autofree char *change_label = NULL;

      if (!kiosk_form_step_is_visible (form, s))
        continue;

      group = gtk_box_new (GTK_ORIENTATION_VERTICAL, 8);
      gtk_widget_add_css_class (group, "kiosk-review-group");
      header = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
      title = gtk_label_new (kiosk_step_get_title (step, locale));
      gtk_label_set_xalign (GTK_LABEL (title), 0);
      gtk_label_set_wrap (GTK_LABEL (title), TRUE);
      gtk_widget_set_hexpand (title, TRUE);
      gtk_widget_add_css_class (title, "kiosk-heading");
      change = gtk_button_new_with_label (_("Change"));
      change_label = g_strdup_printf (_("Change “%s”"), kiosk_step_get_title (step, locale));
      kiosk_speech_set_accessible_label (change, change_label);
      gtk_actionable_set_action_name (GTK_ACTIONABLE (change), "kiosk.edit-step");
      gtk_actionable_set_action_target (GTK_ACTIONABLE (change), "u", s);
      gtk_widget_set_valign (change, GTK_ALIGN_CENTER);
      gtk_box_append (GTK_BOX (header), title);
      gtk_box_append (GTK_BOX (header), change);
      gtk_box_append (GTK_BOX (group), header);

      grid = gtk_grid_new ();
      gtk_grid_set_column_spacing (GTK_GRID (grid), 24);
      gtk_grid_set_row_spacing (GTK_GRID (grid), 8);
      for (guint f = 0; f < fields->len; f++)
        {
          KioskField *field = g_ptr_array_index (fields, f);
          const char *id = kiosk_field_get_id (field);
          g_autofree char *text = NULL;
          GtkWidget *name, *value;

          if (!kiosk_field_is_input (field) || !kiosk_form_is_visible (form, id))
            continue;
          text = kiosk_format_answer (field, kiosk_form_get_value (form, id), locale);
          name = gtk_label_new (kiosk_field_get_label (field, locale));
          value = gtk_label_new (text);
          gtk_label_set_xalign (GTK_LABEL (name), 0);
          gtk_label_set_wrap (GTK_LABEL (name), TRUE);
          gtk_label_set_max_width_chars (GTK_LABEL (name), 30);
          gtk_label_set_width_chars (GTK_LABEL (name), 24);
          gtk_widget_set_valign (name, GTK_ALIGN_START);
          gtk_widget_add_css_class (name, "kiosk-help");
          gtk_label_set_xalign (GTK_LABEL (value), 0);
          gtk_label_set_wrap (GTK_LABEL (value), TRUE);
          gtk_label_set_wrap_mode (GTK_LABEL (value), PANGO_WRAP_WORD_CHAR);
          gtk_widget_set_hexpand (value, TRUE);
          gtk_widget_set_name (value, id);
          gtk_widget_add_css_class (value, "kiosk-answer");
          /* One column of questions across all steps. */
          gtk_size_group_add_widget (names, name);
          gtk_grid_attach (GTK_GRID (grid), name, 0, row, 1, 1);
          gtk_grid_attach (GTK_GRID (grid), value, 1, row, 1, 1);
          row++;
        }
      gtk_box_append (GTK_BOX (group), grid);
      gtk_box_append (GTK_BOX (self->answers_box), group);
    }

  switch (kiosk_service_get_offline_mode (service))
    {
    case KIOSK_OFFLINE_PRINT:
      gtk_button_set_label (GTK_BUTTON (self->send_button), _("Save and print the form"));
      break;
    case KIOSK_OFFLINE_QUEUE:
    case KIOSK_OFFLINE_REFER:
    default:
      gtk_button_set_label (GTK_BUTTON (self->send_button), _("Send request"));
      break;
    }
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->send_button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  gtk_button_get_label (GTK_BUTTON (self->send_button)), -1);
}

GtkWidget *
kiosk_review_page_get_send_button (KioskReviewPage *self)
{
  g_return_val_if_fail (KIOSK_IS_REVIEW_PAGE (self), NULL);
  return self->send_button;
}

/**
 * kiosk_review_page_set_message:
 * @message: (nullable): a calm notice above the buttons, %NULL to hide it
 */
void
kiosk_review_page_set_message (KioskReviewPage *self,
                               const char      *message)
{
  g_return_if_fail (KIOSK_IS_REVIEW_PAGE (self));

  gtk_widget_set_visible (GTK_WIDGET (self->message_label), message != NULL);
  gtk_label_set_text (self->message_label, message != NULL ? message : "");
}

/* kiosk-builder-preview.c: the builder's live preview of a service
 *
 * The rows are the kiosk's own KioskFieldRow widgets, and a KioskSession
 * runs the service on the catalogue being edited: answers typed here go
 * into the session's KioskForm, conditions show and hide rows as they do
 * on the kiosk, and "Next" checks the step with the form's own messages.
 *
 * SPDX-FileCopyrightText: 2026 Stadtkiosk contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "stadtkiosk"

#include "config.h"

#include <glib/gi18n.h>

#include "kiosk-builder-preview.h"

#include "kiosk-application.h"
#include "kiosk-language.h"

#include "kiosk-field-row.h"
#include "kiosk-keyboard.h"

struct _KioskBuilderPreview
{
  GtkBox        parent_instance;

  KioskSession *session;
  char         *language;
  GPtrArray    *rows;          /* KioskFieldRow*, the current step's */
  GtkLabel     *title;
  GtkLabel     *step_label;
  GtkLabel     *note;
  GtkWidget    *rows_box;
  GtkWidget    *back_button;
  GtkWidget    *next_button;
  GtkWidget    *large_text;
  GtkRevealer  *keyboard_revealer;
  KioskKeyboard *keyboard;
  GtkRoot      *root;          /* whose focus moves the keyboard; not owned */
};

G_DEFINE_FINAL_TYPE (KioskBuilderPreview, kiosk_builder_preview, GTK_TYPE_BOX)

static void
update_visibility (KioskBuilderPreview *self)
{
  KioskForm *form = self->session != NULL ? kiosk_session_get_form (self->session) : NULL;

  for (guint i = 0; form != NULL && i < self->rows->len; i++)
    {
      KioskFieldRow *row = self->rows->pdata[i];
      gboolean visible = kiosk_form_is_visible (form, kiosk_field_get_id (kiosk_field_row_get_field (row)));

      gtk_widget_set_visible (GTK_WIDGET (row), visible);
      if (!visible && kiosk_field_row_get_error (row) != NULL)
        kiosk_field_row_set_error (row, NULL);
    }
}

static void
row_changed_cb (KioskBuilderPreview *self,
                KioskFieldRow       *row)
{
  KioskForm *form = self->session != NULL ? kiosk_session_get_form (self->session) : NULL;
  const char *id = kiosk_field_get_id (kiosk_field_row_get_field (row));
  g_autoptr(JsonNode) value = NULL;

  if (form == NULL)
    return;
  value = kiosk_field_row_dup_value (row);
  kiosk_form_set_value (form, id, value);
  if (kiosk_field_row_get_error (row) != NULL)
    {
      g_autofree char *message = kiosk_form_validate_field (form, id, self->language);

      if (message == NULL)
        kiosk_field_row_resolve_error (row);
      else
        kiosk_field_row_set_error (row, message);
    }
}

static void
form_changed_cb (KioskBuilderPreview *self,
                 const char          *field_id)
{
  update_visibility (self);
}

static void
clear_rows (KioskBuilderPreview *self)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (self->rows_box)) != NULL)
    gtk_box_remove (GTK_BOX (self->rows_box), child);
  g_ptr_array_set_size (self->rows, 0);
}

static void
show_step (KioskBuilderPreview *self)
{
  KioskService *service = kiosk_session_get_service (self->session);
  KioskForm *form = kiosk_session_get_form (self->session);
  guint step = kiosk_session_get_step (self->session);
  KioskStep *kstep;
  GPtrArray *fields;
  g_autofree char *label = NULL;
  guint previous;

  g_autofree char *builder_language = NULL;

  clear_rows (self);
  if (service == NULL || form == NULL)
    return;
  /* The kiosk's own words in the preview (the rows' "optional", the date
   * boxes, Back and Next) in the preview's language, as a citizen would
   * read them; the builder around it stays in the office's language. GTK
   * translates a row's texts when it is built, so the switch lasts only
   * while the step is built. */
  builder_language = g_strdup (kiosk_language_get_current () != NULL ? kiosk_language_get_current () : "de");
  kiosk_use_language (self->language);
  gtk_button_set_label (GTK_BUTTON (self->back_button), _("Back"));
  gtk_button_set_label (GTK_BUTTON (self->next_button), _("Next"));
  gtk_label_set_text (self->title, kiosk_service_get_title (service, self->language));
  kstep = kiosk_service_get_step (service, step);
  /* Translators: the preview's step heading: "Step 2 of 3: Where?" */
  label = g_strdup_printf (_("Step %u of %u: %s"), step + 1, kiosk_service_get_n_steps (service),
                           kiosk_step_get_title (kstep, self->language));
  gtk_label_set_text (self->step_label, label);
  fields = kiosk_step_get_fields (kstep);
  for (guint i = 0; i < fields->len; i++)
    {
      KioskField *field = fields->pdata[i];
      GtkWidget *row = kiosk_field_row_new (field, self->language);

      kiosk_field_row_load_value (KIOSK_FIELD_ROW (row), kiosk_form_get_value (form, kiosk_field_get_id (field)));
      g_signal_connect_object (row, "changed", G_CALLBACK (row_changed_cb), self, G_CONNECT_SWAPPED);
      g_ptr_array_add (self->rows, row);
      gtk_box_append (GTK_BOX (self->rows_box), row);
    }
  kiosk_use_language (builder_language);
  update_visibility (self);
  gtk_widget_set_sensitive (self->back_button, kiosk_session_get_previous_step (self->session, step, &previous));
}

/**
 * kiosk_builder_preview_next:
 *
 * Checks the step as the kiosk does; when every answer fits, goes to the
 * next step the conditions leave.
 *
 * Returns: %TRUE when the step's answers fit
 */
gboolean
kiosk_builder_preview_next (KioskBuilderPreview *self)
{
  KioskForm *form;
  KioskService *service;
  g_autoptr(GPtrArray) errors = NULL;
  guint step;
  guint next;

  g_return_val_if_fail (KIOSK_IS_BUILDER_PREVIEW (self), FALSE);

  form = kiosk_session_get_form (self->session);
  service = kiosk_session_get_service (self->session);
  if (form == NULL || service == NULL)
    return FALSE;
  step = kiosk_session_get_step (self->session);
  if (!kiosk_form_validate_step (form, step, self->language, &errors))
    {
      for (guint i = 0; errors != NULL && i < errors->len; i++)
        {
          KioskFieldError *e = errors->pdata[i];

          for (guint r = 0; r < self->rows->len; r++)
            if (g_strcmp0 (kiosk_field_get_id (kiosk_field_row_get_field (self->rows->pdata[r])), e->field_id) == 0)
              kiosk_field_row_set_error (self->rows->pdata[r], e->message);
        }
      gtk_label_set_text (self->note, "");
      return FALSE;
    }
  next = kiosk_session_get_next_step (self->session, step + 1);
  if (next >= kiosk_service_get_n_steps (service))
    {
      gtk_label_set_text (self->note, _("Every answer fits: the citizen could send this now."));
      return TRUE;
    }
  gtk_label_set_text (self->note, "");
  kiosk_session_set_step (self->session, next);
  show_step (self);
  return TRUE;
}

void
kiosk_builder_preview_back (KioskBuilderPreview *self)
{
  guint previous;

  g_return_if_fail (KIOSK_IS_BUILDER_PREVIEW (self));

  if (!kiosk_session_get_previous_step (self->session, kiosk_session_get_step (self->session), &previous))
    return;
  kiosk_session_set_step (self->session, previous);
  gtk_label_set_text (self->note, "");
  show_step (self);
}

static void
next_clicked_cb (KioskBuilderPreview *self)
{
  kiosk_builder_preview_next (self);
}

static void
back_clicked_cb (KioskBuilderPreview *self)
{
  kiosk_builder_preview_back (self);
}

/* The kiosk's own keyboard comes up under the preview when one of its
 * text fields has the focus, with the layout the field's purpose asks for,
 * as on the kiosk (kiosk-window.c). */
static void
focus_changed_cb (KioskBuilderPreview *self)
{
  GtkWidget *focus = self->root != NULL ? gtk_root_get_focus (self->root) : NULL;
  GtkWidget *target = NULL;
  GtkInputPurpose purpose = GTK_INPUT_PURPOSE_FREE_FORM;

  for (GtkWidget *w = focus; w != NULL; w = gtk_widget_get_parent (w))
    if (GTK_IS_TEXT (w) || GTK_IS_TEXT_VIEW (w))
      {
        target = w;
        break;
      }
  if (target != NULL && gtk_widget_is_ancestor (target, self->rows_box))
    {
      g_object_get (target, "input-purpose", &purpose, NULL);
      kiosk_keyboard_set_language (self->keyboard, self->language);
      kiosk_keyboard_set_layout (self->keyboard, kiosk_keyboard_layout_for_purpose (purpose, self->language));
      gtk_revealer_set_reveal_child (self->keyboard_revealer, TRUE);
    }
  else if (focus != NULL && !gtk_widget_is_ancestor (focus, GTK_WIDGET (self->keyboard)))
    gtk_revealer_set_reveal_child (self->keyboard_revealer, FALSE);
}

static void
root_changed (KioskBuilderPreview *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  if (root == self->root)
    return;
  if (self->root != NULL)
    g_signal_handlers_disconnect_by_data (self->root, self);
  self->root = root;
  if (root != NULL)
    g_signal_connect_swapped (root, "notify::focus-widget", G_CALLBACK (focus_changed_cb), self);
}

static void
kiosk_builder_preview_root (GtkWidget *widget)
{
  GTK_WIDGET_CLASS (kiosk_builder_preview_parent_class)->root (widget);
  root_changed (KIOSK_BUILDER_PREVIEW (widget));
}

static void
kiosk_builder_preview_unroot (GtkWidget *widget)
{
  KioskBuilderPreview *self = KIOSK_BUILDER_PREVIEW (widget);

  if (self->root != NULL)
    g_signal_handlers_disconnect_by_data (self->root, self);
  self->root = NULL;
  GTK_WIDGET_CLASS (kiosk_builder_preview_parent_class)->unroot (widget);
}

static void
large_text_toggled_cb (GtkCheckButton      *check,
                       KioskBuilderPreview *self)
{
  if (gtk_check_button_get_active (check))
    gtk_widget_add_css_class (GTK_WIDGET (self), "kiosk-large-text");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self), "kiosk-large-text");
}

static void
kiosk_builder_preview_dispose (GObject *object)
{
  KioskBuilderPreview *self = KIOSK_BUILDER_PREVIEW (object);

  /* The rows first: they may still report a change on their way out. */
  if (self->rows != NULL)
    clear_rows (self);
  g_clear_object (&self->session);
  g_clear_pointer (&self->rows, g_ptr_array_unref);

  G_OBJECT_CLASS (kiosk_builder_preview_parent_class)->dispose (object);
}

static void
kiosk_builder_preview_finalize (GObject *object)
{
  KioskBuilderPreview *self = KIOSK_BUILDER_PREVIEW (object);

  g_free (self->language);

  G_OBJECT_CLASS (kiosk_builder_preview_parent_class)->finalize (object);
}

static void
kiosk_builder_preview_class_init (KioskBuilderPreviewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = kiosk_builder_preview_dispose;
  object_class->finalize = kiosk_builder_preview_finalize;
  GTK_WIDGET_CLASS (klass)->root = kiosk_builder_preview_root;
  GTK_WIDGET_CLASS (klass)->unroot = kiosk_builder_preview_unroot;
}

static void
kiosk_builder_preview_init (KioskBuilderPreview *self)
{
  GtkWidget *scroller;
  GtkWidget *buttons;

  self->rows = g_ptr_array_new ();
  self->language = g_strdup ("de");
  gtk_orientable_set_orientation (GTK_ORIENTABLE (self), GTK_ORIENTATION_VERTICAL);
  gtk_box_set_spacing (GTK_BOX (self), 12);
  gtk_widget_add_css_class (GTK_WIDGET (self), "kiosk-builder-preview");
  /* The kiosk's two text sizes (style.css: 20 px, large 26 px). */
  {
    static gsize once = 0;

    if (g_once_init_enter (&once))
      {
        g_autoptr(GtkCssProvider) css = gtk_css_provider_new ();

        gtk_css_provider_load_from_data (css,
                                         ".kiosk-builder-preview { font-size: 20px; }\n"
                                         ".kiosk-builder-preview.kiosk-large-text { font-size: 26px; }\n", -1);
        gtk_style_context_add_provider_for_display (gdk_display_get_default (), GTK_STYLE_PROVIDER (css),
                                                    GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
        g_once_init_leave (&once, 1);
      }
  }
  self->large_text = gtk_check_button_new_with_label (_("Large text"));
  g_signal_connect (self->large_text, "toggled", G_CALLBACK (large_text_toggled_cb), self);
  gtk_box_append (GTK_BOX (self), self->large_text);

  self->title = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_wrap (self->title, TRUE);
  gtk_label_set_xalign (self->title, 0);
  gtk_widget_add_css_class (GTK_WIDGET (self->title), "title-2");
  gtk_box_append (GTK_BOX (self), GTK_WIDGET (self->title));
  self->step_label = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_wrap (self->step_label, TRUE);
  gtk_label_set_xalign (self->step_label, 0);
  gtk_widget_add_css_class (GTK_WIDGET (self->step_label), "heading");
  gtk_box_append (GTK_BOX (self), GTK_WIDGET (self->step_label));

  self->rows_box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 18);
  scroller = gtk_scrolled_window_new ();
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scroller), GTK_POLICY_NEVER, GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scroller), self->rows_box);
  gtk_widget_set_vexpand (scroller, TRUE);
  gtk_box_append (GTK_BOX (self), scroller);

  self->note = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_wrap (self->note, TRUE);
  gtk_label_set_xalign (self->note, 0);
  gtk_box_append (GTK_BOX (self), GTK_WIDGET (self->note));

  buttons = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  self->back_button = gtk_button_new_with_label (_("Back"));
  self->next_button = gtk_button_new_with_label (_("Next"));
  gtk_widget_add_css_class (self->next_button, "suggested-action");
  gtk_widget_set_hexpand (self->next_button, TRUE);
  gtk_widget_set_halign (self->next_button, GTK_ALIGN_END);
  g_signal_connect_swapped (self->back_button, "clicked", G_CALLBACK (back_clicked_cb), self);
  g_signal_connect_swapped (self->next_button, "clicked", G_CALLBACK (next_clicked_cb), self);
  gtk_box_append (GTK_BOX (buttons), self->back_button);
  gtk_box_append (GTK_BOX (buttons), self->next_button);
  gtk_box_append (GTK_BOX (self), buttons);

  self->keyboard = KIOSK_KEYBOARD (kiosk_keyboard_new ());
  self->keyboard_revealer = GTK_REVEALER (gtk_revealer_new ());
  gtk_revealer_set_child (self->keyboard_revealer, GTK_WIDGET (self->keyboard));
  gtk_revealer_set_transition_type (self->keyboard_revealer, GTK_REVEALER_TRANSITION_TYPE_SLIDE_UP);
  gtk_box_append (GTK_BOX (self), GTK_WIDGET (self->keyboard_revealer));
}

GtkWidget *
kiosk_builder_preview_new (KioskContext *context)
{
  KioskBuilderPreview *self = g_object_new (KIOSK_TYPE_BUILDER_PREVIEW, NULL);

  self->session = kiosk_session_new (context);
  return GTK_WIDGET (self);
}

/**
 * kiosk_builder_preview_show:
 * @catalog: (nullable): the catalogue being edited, %NULL while it has
 *   problems
 * @service_id: (nullable): the service to run
 *
 * Starts the service afresh, at its first step.
 */
void
kiosk_builder_preview_show (KioskBuilderPreview *self,
                            KioskCatalog        *catalog,
                            const char          *service_id)
{
  KioskForm *form;

  g_return_if_fail (KIOSK_IS_BUILDER_PREVIEW (self));

  clear_rows (self);
  gtk_label_set_text (self->note, "");
  gtk_label_set_text (self->title, "");
  gtk_label_set_text (self->step_label, "");
  kiosk_session_set_catalog (self->session, catalog);
  if (catalog == NULL || service_id == NULL ||
      kiosk_catalog_lookup_any (catalog, service_id) == NULL)
    {
      gtk_label_set_text (self->note, catalog == NULL ? _("The preview shows the service again when the problems below are fixed.")
                                                      : "");
      gtk_widget_set_sensitive (self->next_button, FALSE);
      gtk_widget_set_sensitive (self->back_button, FALSE);
      return;
    }
  /* A disabled service is previewed too: the builder is where it is made. */
  if (!kiosk_session_open_service (self->session, service_id))
    {
      gtk_label_set_text (self->note, _("This service is switched off; switch it on to preview it."));
      gtk_widget_set_sensitive (self->next_button, FALSE);
      gtk_widget_set_sensitive (self->back_button, FALSE);
      return;
    }
  kiosk_session_set_language (self->session, self->language);
  kiosk_session_begin_form (self->session);
  form = kiosk_session_get_form (self->session);
  g_signal_connect_object (form, "changed", G_CALLBACK (form_changed_cb), self, G_CONNECT_SWAPPED);
  gtk_widget_set_sensitive (self->next_button, TRUE);
  show_step (self);
}

void
kiosk_builder_preview_set_language (KioskBuilderPreview *self,
                                    const char          *language)
{
  g_return_if_fail (KIOSK_IS_BUILDER_PREVIEW (self));

  g_free (self->language);
  self->language = g_strdup (language != NULL ? language : "de");
  if (kiosk_session_get_form (self->session) != NULL)
    show_step (self);
}

KioskSession *
kiosk_builder_preview_get_session (KioskBuilderPreview *self)
{
  g_return_val_if_fail (KIOSK_IS_BUILDER_PREVIEW (self), NULL);
  return self->session;
}

/**
 * kiosk_builder_preview_get_rows:
 *
 * Returns: (transfer none) (element-type KioskFieldRow): the current step's rows
 */
/**
 * kiosk_builder_preview_get_keyboard:
 *
 * Returns: (transfer none) (nullable): the on-screen keyboard while it is
 *   shown, else %NULL
 */
KioskKeyboard *
kiosk_builder_preview_get_keyboard (KioskBuilderPreview *self)
{
  g_return_val_if_fail (KIOSK_IS_BUILDER_PREVIEW (self), NULL);
  return gtk_revealer_get_reveal_child (self->keyboard_revealer) ? self->keyboard : NULL;
}

GPtrArray *
kiosk_builder_preview_get_rows (KioskBuilderPreview *self)
{
  g_return_val_if_fail (KIOSK_IS_BUILDER_PREVIEW (self), NULL);
  return self->rows;
}

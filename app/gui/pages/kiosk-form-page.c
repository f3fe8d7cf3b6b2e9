/* kiosk-form-page.c
 *
 * SPDX-FileCopyrightText: 2026 Stadtkiosk contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "stadtkiosk"

#include "config.h"

#include <glib/gi18n.h>

#include "kiosk-form-page.h"
#include "kiosk-field-row.h"

/* One step of a service's form, rendered from the catalogue: a
 * KioskFieldRow per field, every answer written to the KioskForm as it is
 * typed, fields shown and hidden live as the form's conditions change, and
 * the validation message right under the field it is about.
 *
 * The page is bound to the citizen's KioskSession, as the service and done
 * pages are: it shows the session's form at the session's step in the
 * session's language, follows "form", "step" and "language", and is empty
 * while the session has no form. */

struct _KioskFormPage
{
  AdwBin         parent_instance;

  GtkLabel      *service_label;
  GtkLabel      *step_title;
  GtkLabel      *progress_label;
  GtkProgressBar *progress_bar;
  GtkWidget     *scroller;
  GtkWidget     *fields_box;
  GtkWidget     *error_summary;
  GtkWidget     *next_button;

  KioskSession  *session;
  KioskForm     *form;        /* what is shown: the session's form, step and language */
  char          *locale;
  guint          step;
  GPtrArray     *fields;      /* KioskFieldRow* of the step, unowned */
};

G_DEFINE_FINAL_TYPE (KioskFormPage, kiosk_form_page, ADW_TYPE_BIN)

static KioskFieldRow *
find_row (KioskFormPage *self,
          const char    *field_id)
{
  for (guint i = 0; self->fields != NULL && i < self->fields->len; i++)
    {
      KioskFieldRow *row = g_ptr_array_index (self->fields, i);

      if (g_str_equal (kiosk_field_get_id (kiosk_field_row_get_field (row)), field_id))
        return row;
    }
  return NULL;
}

/* The error summary (GOV.UK): a heading and one link per problem, in the
 * order of the fields; a link moves to what is to be corrected. */
static void
error_link_clicked_cb (GtkButton     *button,
                       KioskFormPage *self)
{
  KioskFieldRow *row = g_object_get_data (G_OBJECT (button), "kiosk-row");

  if (row != NULL && kiosk_field_row_get_shown (row))
    kiosk_field_row_focus_error (row);
}

static void
clear_error_summary (KioskFormPage *self)
{
  GtkWidget *child = gtk_widget_get_first_child (self->error_summary);

  /* The first child is the heading. */
  child = child != NULL ? gtk_widget_get_next_sibling (child) : NULL;
  while (child != NULL)
    {
      GtkWidget *next = gtk_widget_get_next_sibling (child);

      gtk_box_remove (GTK_BOX (self->error_summary), child);
      child = next;
    }
  gtk_widget_set_visible (self->error_summary, FALSE);
}

/* After the focus has scrolled to the first problem: show the summary
 * above it too, when both fit on the screen. */
static gboolean
reveal_summary_cb (gpointer data)
{
  KioskFormPage *self = data;
  GtkWidget *focus;
  GtkAdjustment *adjustment;
  graphene_rect_t bounds;
  GtkWidget *content;

  if (!gtk_widget_get_visible (self->error_summary) || gtk_widget_get_root (GTK_WIDGET (self)) == NULL)
    return G_SOURCE_REMOVE;
  focus = gtk_root_get_focus (gtk_widget_get_root (GTK_WIDGET (self)));
  content = gtk_widget_get_parent (self->error_summary);
  adjustment = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (self->scroller));
  if (focus != NULL && gtk_widget_is_ancestor (focus, self->fields_box) &&
      gtk_widget_compute_bounds (focus, content, &bounds) &&
      bounds.origin.y + bounds.size.height + 12 <= gtk_adjustment_get_page_size (adjustment))
    gtk_adjustment_set_value (adjustment, 0);
  return G_SOURCE_REMOVE;
}

static void
add_error_link (KioskFormPage *self,
                KioskFieldRow *row,
                const char    *message)
{
  GtkWidget *button = gtk_button_new_with_label (message);
  GtkWidget *label = gtk_button_get_child (GTK_BUTTON (button));

  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_widget_set_halign (button, GTK_ALIGN_FILL);
  gtk_widget_add_css_class (button, "flat");
  gtk_widget_add_css_class (button, "kiosk-error-link");
  gtk_accessible_update_property (GTK_ACCESSIBLE (button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, message, -1);
  g_object_set_data (G_OBJECT (button), "kiosk-row", row);
  g_signal_connect_object (button, "clicked", G_CALLBACK (error_link_clicked_cb), self, 0);
  gtk_box_append (GTK_BOX (self->error_summary), button);
  gtk_widget_set_visible (self->error_summary, TRUE);
}

/* Nothing moves under the finger (#16, item 4): a conditional field that
 * is not asked keeps its space, empty, when fields follow it on the step,
 * so that tapping the answer that shows it (or hides it again) does not
 * push the next field away.  Only at the end of the step, where nothing
 * below could move (the buttons are in the bar under the page), does it
 * take no space. */
static void
update_visibility (KioskFormPage *self)
{
  for (guint i = 0; i < self->fields->len; i++)
    {
      KioskFieldRow *row = g_ptr_array_index (self->fields, i);
      gboolean visible = kiosk_form_is_visible (self->form, kiosk_field_get_id (kiosk_field_row_get_field (row)));
      gboolean last = i + 1 == self->fields->len;

      gtk_widget_set_visible (GTK_WIDGET (row), visible || !last);
      kiosk_field_row_set_reserved (row, !visible && !last);
      if (!visible && kiosk_field_row_get_error (row) != NULL)
        kiosk_field_row_set_error (row, NULL);
    }
}

static void
row_changed_cb (KioskFormPage *self,
                KioskFieldRow *row)
{
  g_autoptr(JsonNode) value = NULL;
  const char *id = kiosk_field_get_id (kiosk_field_row_get_field (row));

  if (self->form == NULL)
    return;

  value = kiosk_field_row_dup_value (row);
  kiosk_form_set_value (self->form, id, value);

  /* A message that is showing follows the typing, so it goes away as soon
   * as the answer is right; new messages wait for "next". */
  if (kiosk_field_row_get_error (row) != NULL)
    {
      g_autofree char *message = kiosk_form_validate_field (self->form, id, self->locale);

      /* A corrected answer keeps the message's space: nothing moves. */
      if (message == NULL)
        kiosk_field_row_resolve_error (row);
      else
        {
          kiosk_field_row_set_error (row, message);
          kiosk_field_row_set_invalid_part (row, kiosk_form_get_invalid_part (self->form, id));
        }
    }
}

static void
form_changed_cb (KioskFormPage *self,
                 const char    *field_id)
{
  update_visibility (self);
}

/* The on-screen keyboard opens after the focus moved and leaves less room,
 * and a message may appear under a field as the citizen types: show the
 * focused field again whenever the visible height changes. */
static void
scroller_resized_cb (GtkAdjustment *adjustment,
                     KioskFormPage *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkWidget *focus = root != NULL ? gtk_root_get_focus (root) : NULL;

  if (focus != NULL && gtk_widget_is_ancestor (focus, self->fields_box))
    kiosk_scroll_into_view (focus);
}

static void
kiosk_form_page_dispose (GObject *object)
{
  KioskFormPage *self = (KioskFormPage *)object;

  if (self->form != NULL)
    g_signal_handlers_disconnect_by_data (self->form, self);
  g_clear_pointer (&self->fields, g_ptr_array_unref);
  g_clear_object (&self->form);
  g_clear_object (&self->session);

  G_OBJECT_CLASS (kiosk_form_page_parent_class)->dispose (object);
}

static void
kiosk_form_page_finalize (GObject *object)
{
  KioskFormPage *self = (KioskFormPage *)object;

  g_free (self->locale);

  G_OBJECT_CLASS (kiosk_form_page_parent_class)->finalize (object);
}

static void
kiosk_form_page_class_init (KioskFormPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = kiosk_form_page_dispose;
  object_class->finalize = kiosk_form_page_finalize;

  g_type_ensure (KIOSK_TYPE_FIELD_ROW);
  gtk_widget_class_set_template_from_resource (widget_class, "/de/hildesheim/Stadtkiosk/pages/kiosk-form-page.ui");
  gtk_widget_class_bind_template_child (widget_class, KioskFormPage, service_label);
  gtk_widget_class_bind_template_child (widget_class, KioskFormPage, step_title);
  gtk_widget_class_bind_template_child (widget_class, KioskFormPage, progress_label);
  gtk_widget_class_bind_template_child (widget_class, KioskFormPage, progress_bar);
  gtk_widget_class_bind_template_child (widget_class, KioskFormPage, scroller);
  gtk_widget_class_bind_template_child (widget_class, KioskFormPage, fields_box);
  gtk_widget_class_bind_template_child (widget_class, KioskFormPage, error_summary);
  gtk_widget_class_bind_template_child (widget_class, KioskFormPage, next_button);
}

static void
kiosk_form_page_init (KioskFormPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  g_signal_connect_object (gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (self->scroller)),
                           "changed", G_CALLBACK (scroller_resized_cb), self, 0);
}

static void build_step (KioskFormPage *self);

/* Whether the page shows what the session holds. */
static gboolean
shows_session (KioskFormPage *self)
{
  KioskForm *form = kiosk_session_get_form (self->session);

  return self->form != NULL && self->form == form &&
         self->step == kiosk_session_get_step (self->session) &&
         g_strcmp0 (self->locale, kiosk_session_get_language (self->session)) == 0;
}

/* Follows the session: empty without a form, else its step, rebuilt only
 * when the form, the step or the language changed.
 *
 * Returns: %TRUE if the step was built anew */
static gboolean
sync_with_session (KioskFormPage *self)
{
  KioskForm *form = kiosk_session_get_form (self->session);

  if (form == NULL || kiosk_session_get_step (self->session) >= kiosk_form_get_n_steps (form))
    {
      if (self->form != NULL && self->form != form)
        kiosk_form_page_clear (self);
      return FALSE;
    }
  if (shows_session (self))
    return FALSE;
  build_step (self);
  return TRUE;
}

static void
session_changed_cb (KioskFormPage *self)
{
  /* A new or no form: the old one's widgets go at once, even when the
   * session has moved past the steps (the review page). */
  if (self->form != NULL && self->form != kiosk_session_get_form (self->session))
    kiosk_form_page_clear (self);
  if (self->form != NULL || gtk_widget_get_mapped (GTK_WIDGET (self)))
    sync_with_session (self);
}

/**
 * kiosk_form_page_new:
 * @session: the citizen's session; the page shows its form's step
 */
GtkWidget *
kiosk_form_page_new (KioskSession *session)
{
  KioskFormPage *self;

  g_return_val_if_fail (KIOSK_IS_SESSION (session), NULL);

  self = g_object_new (KIOSK_TYPE_FORM_PAGE, NULL);
  self->session = g_object_ref (session);
  g_signal_connect_object (session, "notify::form", G_CALLBACK (session_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (session, "notify::step", G_CALLBACK (session_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (session, "notify::language", G_CALLBACK (session_changed_cb), self, G_CONNECT_SWAPPED);
  return GTK_WIDGET (self);
}

void
kiosk_form_page_clear (KioskFormPage *self)
{
  GtkWidget *child;

  g_return_if_fail (KIOSK_IS_FORM_PAGE (self));

  if (self->form != NULL)
    g_signal_handlers_disconnect_by_data (self->form, self);
  g_clear_object (&self->form);
  g_clear_pointer (&self->fields, g_ptr_array_unref);
  while ((child = gtk_widget_get_first_child (self->fields_box)) != NULL)
    gtk_box_remove (GTK_BOX (self->fields_box), child);
  clear_error_summary (self);
}

/**
 * kiosk_form_page_show_step:
 *
 * Shows the session's step afresh: built for the session's form, step and
 * language when the page does not show them yet; otherwise the messages
 * and the summary go and the page scrolls back to its top, as when the
 * step is entered again (the answers are the form's already).
 */
void
kiosk_form_page_show_step (KioskFormPage *self)
{
  g_return_if_fail (KIOSK_IS_FORM_PAGE (self));

  if (sync_with_session (self) || self->form == NULL)
    return;
  clear_error_summary (self);
  for (guint i = 0; i < self->fields->len; i++)
    kiosk_field_row_set_error (g_ptr_array_index (self->fields, i), NULL);
  update_visibility (self);
  gtk_adjustment_set_value (gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (self->scroller)), 0);
}

/* Builds the widgets of the session's step and fills them with the answers
 * given so far. */
static void
build_step (KioskFormPage *self)
{
  KioskForm *form = kiosk_session_get_form (self->session);
  guint step = kiosk_session_get_step (self->session);
  const char *locale = kiosk_session_get_language (self->session);
  KioskService *service;
  KioskStep *kstep;
  GPtrArray *fields;
  guint n_steps, visible_index = 0, visible_total = 0;
  g_autofree char *progress = NULL;

  g_assert (KIOSK_IS_FORM (form));

  kiosk_form_page_clear (self);
  self->form = g_object_ref (form);
  g_free (self->locale);
  self->locale = g_strdup (locale);
  self->step = step;
  self->fields = g_ptr_array_new ();
  g_signal_connect_object (form, "changed", G_CALLBACK (form_changed_cb), self, G_CONNECT_SWAPPED);

  service = kiosk_form_get_service (form);
  n_steps = kiosk_form_get_n_steps (form);
  kstep = kiosk_service_get_step (service, step);
  fields = kiosk_step_get_fields (kstep);

  /* "Step 2 of 4" counts the steps this person will see. */
  for (guint i = 0; i < n_steps; i++)
    if (kiosk_form_step_is_visible (form, i))
      {
        visible_total++;
        if (i <= step)
          visible_index = visible_total;
      }
  progress = g_strdup_printf (_("Step %u of %u"), MAX (visible_index, 1), MAX (visible_total, 1));
  gtk_label_set_text (self->progress_label, progress);
  gtk_progress_bar_set_fraction (self->progress_bar,
                                 (double) MAX (visible_index, 1) / MAX (visible_total, 1));
  gtk_label_set_text (self->service_label, kiosk_service_get_title (service, locale));
  gtk_label_set_text (self->step_title, kiosk_step_get_title (kstep, locale));

  for (guint i = 0; i < fields->len; i++)
    {
      KioskField *field = g_ptr_array_index (fields, i);
      GtkWidget *row = kiosk_field_row_new (field, locale);

      kiosk_field_row_load_value (KIOSK_FIELD_ROW (row), kiosk_form_get_value (form, kiosk_field_get_id (field)));
      /* The town of a new address: the city the kiosk stands in. */
      if (kiosk_form_get_value (form, kiosk_field_get_id (field)) == NULL)
        kiosk_field_row_set_place (KIOSK_FIELD_ROW (row), kiosk_form_get_city (form));
      g_signal_connect_object (row, "changed", G_CALLBACK (row_changed_cb), self, G_CONNECT_SWAPPED);
      g_ptr_array_add (self->fields, row);
      gtk_box_append (GTK_BOX (self->fields_box), row);
    }
  update_visibility (self);

  gtk_button_set_label (GTK_BUTTON (self->next_button),
                        visible_index >= visible_total ? _("Check my answers") : _("Next"));
  gtk_adjustment_set_value (gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (self->scroller)), 0);
}

guint
kiosk_form_page_get_step (KioskFormPage *self)
{
  g_return_val_if_fail (KIOSK_IS_FORM_PAGE (self), 0);
  return self->step;
}

/**
 * kiosk_form_page_validate:
 *
 * Shows a message under every field of the step that is not right yet and
 * moves the focus to the first of them.
 *
 * Returns: %TRUE if the step may be left forward
 */
gboolean
kiosk_form_page_validate (KioskFormPage *self)
{
  g_autoptr(GPtrArray) errors = NULL;
  KioskFieldRow *first = NULL;
  gboolean ok;

  g_return_val_if_fail (KIOSK_IS_FORM_PAGE (self), FALSE);

  if (self->form == NULL)
    return FALSE;

  ok = kiosk_form_validate_step (self->form, self->step, self->locale, &errors);
  clear_error_summary (self);
  for (guint i = 0; i < self->fields->len; i++)
    kiosk_field_row_set_error (g_ptr_array_index (self->fields, i), NULL);
  for (guint i = 0; errors != NULL && i < errors->len; i++)
    {
      KioskFieldError *error = g_ptr_array_index (errors, i);
      KioskFieldRow *row = find_row (self, error->field_id);

      if (row == NULL)
        continue;
      kiosk_field_row_set_error (row, error->message);
      kiosk_field_row_set_invalid_part (row, kiosk_form_get_invalid_part (self->form, error->field_id));
      add_error_link (self, row, error->message);
      if (first == NULL)
        first = row;
    }
  /* The focus goes to what is to be corrected, the field itself (of an
   * address, the wrong part), with nothing selected. */
  if (first != NULL)
    {
      kiosk_field_row_focus_error (first);
      /* After the layout and kiosk_scroll_into_view() (G_PRIORITY_LOW). */
      g_idle_add_full (G_PRIORITY_LOW + 10, reveal_summary_cb, g_object_ref (self), g_object_unref);
    }

  return ok;
}

GtkWidget *
kiosk_form_page_get_input (KioskFormPage *self,
                           const char    *field_id)
{
  KioskFieldRow *row;

  g_return_val_if_fail (KIOSK_IS_FORM_PAGE (self), NULL);

  row = find_row (self, field_id);
  return row != NULL ? kiosk_field_row_get_input (row) : NULL;
}

GtkWidget *
kiosk_form_page_get_field_row (KioskFormPage *self,
                               const char    *field_id)
{
  g_return_val_if_fail (KIOSK_IS_FORM_PAGE (self), NULL);

  return GTK_WIDGET (find_row (self, field_id));
}

const char *
kiosk_form_page_get_error (KioskFormPage *self,
                           const char    *field_id)
{
  KioskFieldRow *row;

  g_return_val_if_fail (KIOSK_IS_FORM_PAGE (self), NULL);

  row = find_row (self, field_id);
  return row != NULL ? kiosk_field_row_get_error (row) : NULL;
}

GtkWidget *
kiosk_form_page_get_next_button (KioskFormPage *self)
{
  g_return_val_if_fail (KIOSK_IS_FORM_PAGE (self), NULL);
  return self->next_button;
}

/**
 * kiosk_form_page_focus_first:
 *
 * Puts the focus on the first field that takes input, so that a person
 * with a keyboard (or the on-screen one) can type at once.
 */
void
kiosk_form_page_focus_first (KioskFormPage *self)
{
  g_return_if_fail (KIOSK_IS_FORM_PAGE (self));

  for (guint i = 0; self->fields != NULL && i < self->fields->len; i++)
    {
      KioskFieldRow *row = g_ptr_array_index (self->fields, i);

      if (kiosk_field_is_input (kiosk_field_row_get_field (row)) && kiosk_field_row_get_shown (row))
        {
          gtk_widget_grab_focus (kiosk_field_row_get_focus_target (row));
          return;
        }
    }
  gtk_widget_grab_focus (self->next_button);
}

/**
 * kiosk_form_page_get_error_summary:
 *
 * Returns: (transfer none): the box listing the step's problems at its top
 */
GtkWidget *
kiosk_form_page_get_error_summary (KioskFormPage *self)
{
  g_return_val_if_fail (KIOSK_IS_FORM_PAGE (self), NULL);
  return self->error_summary;
}

/**
 * kiosk_form_page_is_field_shown:
 * @field_id: a field of the step
 *
 * Returns: whether the field is on the page to be answered; a field hidden
 *   by its condition may still keep its space (see update_visibility())
 */
gboolean
kiosk_form_page_is_field_shown (KioskFormPage *self,
                                const char    *field_id)
{
  KioskFieldRow *row;

  g_return_val_if_fail (KIOSK_IS_FORM_PAGE (self), FALSE);

  row = find_row (self, field_id);
  return row != NULL && kiosk_field_row_get_shown (row);
}

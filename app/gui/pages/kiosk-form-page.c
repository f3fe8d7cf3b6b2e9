/* kiosk-form-page.c
 *
 * SPDX-FileCopyrightText: 2026 Stadtkiosk contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "stadtkiosk"

#include "config.h"

#include <glib/gi18n.h>

#include "kiosk-form-page.h"

/* One step of a service's form, rendered from the catalogue: a widget per
 * field type, every answer written to the KioskForm as it is typed, fields
 * shown and hidden live as the form's conditions change, and the
 * validation message right under the field it is about. */

typedef struct
{
  KioskFormPage *page;       /* unowned */
  KioskField    *field;      /* owned */
  GtkWidget     *row;        /* the whole field: label, help, input, error */
  GtkWidget     *input;      /* entry, text view, or the box of buttons */
  GtkWidget     *error;      /* GtkLabel under the input */
  GPtrArray     *buttons;    /* choice / multichoice / boolean buttons, unowned */
  GPtrArray     *entries;    /* address parts, unowned */
  gboolean       shown_error;
} FieldUi;

struct _KioskFormPage
{
  AdwBin         parent_instance;

  GtkLabel      *service_label;
  GtkLabel      *step_title;
  GtkLabel      *progress_label;
  GtkProgressBar *progress_bar;
  GtkWidget     *scroller;
  GtkWidget     *focused_row;  /* weak: the field that has the focus */
  GtkWidget     *fields_box;
  GtkWidget     *next_button;

  KioskForm     *form;
  char          *locale;
  guint          step;
  GPtrArray     *fields;      /* FieldUi* of the step */
  gboolean       loading;     /* filling widgets from the form, not from a person */
};

G_DEFINE_FINAL_TYPE (KioskFormPage, kiosk_form_page, ADW_TYPE_BIN)

static const char * const address_parts[] = { "street", "house_number", "postal_code", "city" };

static void
field_ui_free (FieldUi *ui)
{
  g_clear_object (&ui->field);
  g_clear_pointer (&ui->buttons, g_ptr_array_unref);
  g_clear_pointer (&ui->entries, g_ptr_array_unref);
  g_free (ui);
}

static FieldUi *
find_ui (KioskFormPage *self,
         const char    *field_id)
{
  for (guint i = 0; self->fields != NULL && i < self->fields->len; i++)
    {
      FieldUi *ui = g_ptr_array_index (self->fields, i);

      if (g_str_equal (kiosk_field_get_id (ui->field), field_id))
        return ui;
    }
  return NULL;
}

static void
show_error (FieldUi    *ui,
            const char *message)
{
  gboolean invalid = message != NULL;

  gtk_label_set_text (GTK_LABEL (ui->error), message != NULL ? message : "");
  gtk_widget_set_visible (ui->error, invalid);
  ui->shown_error = invalid;
  if (invalid)
    gtk_widget_add_css_class (ui->row, "kiosk-invalid");
  else
    gtk_widget_remove_css_class (ui->row, "kiosk-invalid");
  gtk_accessible_update_state (GTK_ACCESSIBLE (ui->input),
                               GTK_ACCESSIBLE_STATE_INVALID,
                               invalid ? GTK_ACCESSIBLE_INVALID_TRUE : GTK_ACCESSIBLE_INVALID_FALSE,
                               -1);
}

static char *
dup_text (GtkWidget *widget)
{
  if (GTK_IS_TEXT_VIEW (widget))
    {
      GtkTextBuffer *buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (widget));
      GtkTextIter start, end;

      gtk_text_buffer_get_bounds (buffer, &start, &end);
      return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
    }
  return g_strdup (gtk_editable_get_text (GTK_EDITABLE (widget)));
}

/* A date as people write it here (31.12.2026, 31/12/2026) or as ISO. */
static char *
parse_date (const char *text)
{
  int d, m, y;
  g_autoptr(GDateTime) dt = NULL;

  if (sscanf (text, "%4d-%2d-%2d", &y, &m, &d) == 3 && strlen (text) == 10)
    ;
  else if (sscanf (text, "%2d.%2d.%4d", &d, &m, &y) == 3 ||
           sscanf (text, "%2d/%2d/%4d", &d, &m, &y) == 3)
    ;
  else
    return NULL;
  if (y < 1000 || !g_date_valid_dmy (d, m, y))
    return NULL;
  return g_strdup_printf ("%04d-%02d-%02d", y, m, d);
}

static JsonNode *
value_from_widgets (FieldUi *ui)
{
  KioskFieldType type = kiosk_field_get_field_type (ui->field);
  g_autofree char *text = NULL;

  switch (type)
    {
    case KIOSK_FIELD_CHOICE:
    case KIOSK_FIELD_BOOLEAN:
      for (guint i = 0; i < ui->buttons->len; i++)
        {
          GtkCheckButton *button = g_ptr_array_index (ui->buttons, i);

          if (gtk_check_button_get_active (button))
            {
              JsonNode *node = json_node_new (JSON_NODE_VALUE);
              const char *value = g_object_get_data (G_OBJECT (button), "kiosk-value");

              if (type == KIOSK_FIELD_BOOLEAN)
                json_node_set_boolean (node, g_str_equal (value, "true"));
              else
                json_node_set_string (node, value);
              return node;
            }
        }
      return NULL;

    case KIOSK_FIELD_MULTICHOICE:
      {
        JsonArray *array = json_array_new ();
        JsonNode *node = json_node_new (JSON_NODE_ARRAY);

        for (guint i = 0; i < ui->buttons->len; i++)
          {
            GtkCheckButton *button = g_ptr_array_index (ui->buttons, i);

            if (gtk_check_button_get_active (button))
              json_array_add_string_element (array, g_object_get_data (G_OBJECT (button), "kiosk-value"));
          }
        json_node_take_array (node, array);
        return node;
      }

    case KIOSK_FIELD_CONSENT:
      {
        JsonNode *node = json_node_new (JSON_NODE_VALUE);

        json_node_set_boolean (node, gtk_check_button_get_active (GTK_CHECK_BUTTON (ui->input)));
        return node;
      }

    case KIOSK_FIELD_ADDRESS:
      {
        JsonObject *object = json_object_new ();
        JsonNode *node = json_node_new (JSON_NODE_OBJECT);
        gboolean any = FALSE;

        for (guint i = 0; i < ui->entries->len; i++)
          {
            g_autofree char *part = g_strstrip (dup_text (g_ptr_array_index (ui->entries, i)));

            any = any || *part != '\0';
            json_object_set_string_member (object, address_parts[i], part);
          }
        json_node_take_object (node, object);
        if (!any)
          g_clear_pointer (&node, json_node_unref);
        return node;
      }

    case KIOSK_FIELD_NUMBER:
      {
        char *end = NULL;
        double v;
        JsonNode *node;

        text = g_strstrip (dup_text (ui->input));
        if (*text == '\0')
          return NULL;
        g_strdelimit (text, ",", '.');
        v = g_ascii_strtod (text, &end);
        node = json_node_new (JSON_NODE_VALUE);
        if (end == NULL || *end != '\0')
          json_node_set_string (node, text);   /* the form says what is wrong */
        else if (v == (double) (gint64) v && kiosk_field_get_integer (ui->field))
          json_node_set_int (node, (gint64) v);
        else
          json_node_set_double (node, v);
        return node;
      }

    case KIOSK_FIELD_DATE:
      {
        g_autofree char *iso = NULL;
        JsonNode *node;

        text = g_strstrip (dup_text (ui->input));
        if (*text == '\0')
          return NULL;
        iso = parse_date (text);
        node = json_node_new (JSON_NODE_VALUE);
        json_node_set_string (node, iso != NULL ? iso : text);
        return node;
      }

    case KIOSK_FIELD_TEXT:
    case KIOSK_FIELD_TEXTAREA:
    case KIOSK_FIELD_EMAIL:
    case KIOSK_FIELD_PHONE:
    case KIOSK_FIELD_INFO:
    default:
      {
        g_autofree char *stripped = NULL;
        JsonNode *node;

        if (ui->input == NULL || !(GTK_IS_EDITABLE (ui->input) || GTK_IS_TEXT_VIEW (ui->input)))
          return NULL;
        text = dup_text (ui->input);
        stripped = g_strstrip (g_strdup (text));
        if (*stripped == '\0')
          return NULL;
        node = json_node_new (JSON_NODE_VALUE);
        json_node_set_string (node, text);
        return node;
      }
    }
}

static void
update_visibility (KioskFormPage *self)
{
  for (guint i = 0; i < self->fields->len; i++)
    {
      FieldUi *ui = g_ptr_array_index (self->fields, i);
      gboolean visible = kiosk_form_is_visible (self->form, kiosk_field_get_id (ui->field));

      gtk_widget_set_visible (ui->row, visible);
      if (!visible && ui->shown_error)
        show_error (ui, NULL);
    }
}

static void
input_changed_cb (FieldUi *ui)
{
  KioskFormPage *self = ui->page;
  g_autoptr(JsonNode) value = NULL;
  const char *id = kiosk_field_get_id (ui->field);

  if (self->loading || self->form == NULL)
    return;

  value = value_from_widgets (ui);
  kiosk_form_set_value (self->form, id, value);

  /* A message that is showing follows the typing, so it goes away as soon
   * as the answer is right; new messages wait for "next". */
  if (ui->shown_error)
    {
      g_autofree char *message = kiosk_form_validate_field (self->form, id, self->locale);

      show_error (ui, message);
    }
}

static void
form_changed_cb (KioskFormPage *self,
                 const char    *field_id)
{
  update_visibility (self);
}

static GtkInputPurpose
purpose_for_field (KioskField *field)
{
  switch (kiosk_field_get_field_type (field))
    {
    case KIOSK_FIELD_EMAIL:
      return GTK_INPUT_PURPOSE_EMAIL;
    case KIOSK_FIELD_PHONE:
      return GTK_INPUT_PURPOSE_PHONE;
    case KIOSK_FIELD_NUMBER:
      return GTK_INPUT_PURPOSE_NUMBER;
    case KIOSK_FIELD_DATE:
      return GTK_INPUT_PURPOSE_DIGITS;
    case KIOSK_FIELD_TEXT:
    case KIOSK_FIELD_TEXTAREA:
    case KIOSK_FIELD_CHOICE:
    case KIOSK_FIELD_MULTICHOICE:
    case KIOSK_FIELD_BOOLEAN:
    case KIOSK_FIELD_CONSENT:
    case KIOSK_FIELD_ADDRESS:
    case KIOSK_FIELD_INFO:
    default:
      break;
    }
  switch (kiosk_field_get_input_purpose (field))
    {
    case KIOSK_INPUT_PURPOSE_NAME:
      return GTK_INPUT_PURPOSE_NAME;
    case KIOSK_INPUT_PURPOSE_EMAIL:
      return GTK_INPUT_PURPOSE_EMAIL;
    case KIOSK_INPUT_PURPOSE_PHONE:
      return GTK_INPUT_PURPOSE_PHONE;
    case KIOSK_INPUT_PURPOSE_NUMBER:
      return GTK_INPUT_PURPOSE_NUMBER;
    case KIOSK_INPUT_PURPOSE_POSTAL_CODE:
      return GTK_INPUT_PURPOSE_DIGITS;
    case KIOSK_INPUT_PURPOSE_FREE:
    default:
      return GTK_INPUT_PURPOSE_FREE_FORM;
    }
}

static GtkWidget *
make_entry (FieldUi         *ui,
            GtkInputPurpose  purpose,
            guint            max_length,
            const char      *accessible_label)
{
  GtkWidget *entry = gtk_entry_new ();

  gtk_entry_set_input_purpose (GTK_ENTRY (entry), purpose);
  if (max_length > 0)
    gtk_entry_set_max_length (GTK_ENTRY (entry), (int) max_length);
  gtk_entry_set_activates_default (GTK_ENTRY (entry), TRUE);
  gtk_widget_add_css_class (entry, "kiosk-entry");
  gtk_accessible_update_property (GTK_ACCESSIBLE (entry),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, accessible_label,
                                  -1);
  g_signal_connect_swapped (entry, "changed", G_CALLBACK (input_changed_cb), ui);
  return entry;
}

static void
load_value (FieldUi *ui)
{
  JsonNode *value = kiosk_form_get_value (ui->page->form, kiosk_field_get_id (ui->field));
  KioskFieldType type = kiosk_field_get_field_type (ui->field);

  if (value == NULL || JSON_NODE_HOLDS_NULL (value))
    return;

  switch (type)
    {
    case KIOSK_FIELD_CHOICE:
    case KIOSK_FIELD_BOOLEAN:
    case KIOSK_FIELD_MULTICHOICE:
      for (guint i = 0; i < ui->buttons->len; i++)
        {
          GtkCheckButton *button = g_ptr_array_index (ui->buttons, i);
          const char *v = g_object_get_data (G_OBJECT (button), "kiosk-value");
          gboolean active = FALSE;

          if (type == KIOSK_FIELD_MULTICHOICE && JSON_NODE_HOLDS_ARRAY (value))
            {
              JsonArray *array = json_node_get_array (value);

              for (guint j = 0; j < json_array_get_length (array); j++)
                active = active || g_strcmp0 (json_array_get_string_element (array, j), v) == 0;
            }
          else if (type == KIOSK_FIELD_BOOLEAN && JSON_NODE_HOLDS_VALUE (value))
            active = json_node_get_boolean (value) == g_str_equal (v, "true");
          else if (JSON_NODE_HOLDS_VALUE (value) && json_node_get_value_type (value) == G_TYPE_STRING)
            active = g_strcmp0 (json_node_get_string (value), v) == 0;
          gtk_check_button_set_active (button, active);
        }
      break;
    case KIOSK_FIELD_CONSENT:
      if (JSON_NODE_HOLDS_VALUE (value))
        gtk_check_button_set_active (GTK_CHECK_BUTTON (ui->input), json_node_get_boolean (value));
      break;
    case KIOSK_FIELD_ADDRESS:
      if (JSON_NODE_HOLDS_OBJECT (value))
        for (guint i = 0; i < ui->entries->len; i++)
          {
            JsonObject *object = json_node_get_object (value);
            const char *part = json_object_get_string_member_with_default (object, address_parts[i], "");

            gtk_editable_set_text (GTK_EDITABLE (g_ptr_array_index (ui->entries, i)), part);
          }
      break;
    case KIOSK_FIELD_TEXTAREA:
      if (JSON_NODE_HOLDS_VALUE (value))
        gtk_text_buffer_set_text (gtk_text_view_get_buffer (GTK_TEXT_VIEW (ui->input)),
                                  json_node_get_string (value), -1);
      break;
    case KIOSK_FIELD_NUMBER:
      if (JSON_NODE_HOLDS_VALUE (value))
        {
          g_autofree char *text = NULL;

          if (json_node_get_value_type (value) == G_TYPE_STRING)
            text = g_strdup (json_node_get_string (value));
          else if (json_node_get_value_type (value) == G_TYPE_INT64)
            text = g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (value));
          else
            text = g_strdup_printf ("%g", json_node_get_double (value));
          gtk_editable_set_text (GTK_EDITABLE (ui->input), text);
        }
      break;
    case KIOSK_FIELD_DATE:
      if (JSON_NODE_HOLDS_VALUE (value) && json_node_get_value_type (value) == G_TYPE_STRING)
        {
          const char *iso = json_node_get_string (value);
          int y, m, d;

          if (sscanf (iso, "%4d-%2d-%2d", &y, &m, &d) == 3)
            {
              g_autofree char *text = g_strdup_printf ("%02d.%02d.%04d", d, m, y);

              gtk_editable_set_text (GTK_EDITABLE (ui->input), text);
            }
          else
            gtk_editable_set_text (GTK_EDITABLE (ui->input), iso);
        }
      break;
    case KIOSK_FIELD_TEXT:
    case KIOSK_FIELD_EMAIL:
    case KIOSK_FIELD_PHONE:
    case KIOSK_FIELD_INFO:
    default:
      if (JSON_NODE_HOLDS_VALUE (value) && json_node_get_value_type (value) == G_TYPE_STRING &&
          GTK_IS_EDITABLE (ui->input))
        gtk_editable_set_text (GTK_EDITABLE (ui->input), json_node_get_string (value));
      break;
    }
}

static GtkWidget *
make_check (FieldUi        *ui,
            const char     *label,
            const char     *value,
            GtkCheckButton *group)
{
  GtkWidget *button = gtk_check_button_new_with_label (label);

  gtk_check_button_set_use_underline (GTK_CHECK_BUTTON (button), FALSE);
  if (group != NULL)
    gtk_check_button_set_group (GTK_CHECK_BUTTON (button), group);
  gtk_widget_add_css_class (button, "kiosk-option");
  gtk_accessible_update_property (GTK_ACCESSIBLE (button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
  g_object_set_data_full (G_OBJECT (button), "kiosk-value", g_strdup (value), g_free);
  g_signal_connect_swapped (button, "toggled", G_CALLBACK (input_changed_cb), ui);
  g_ptr_array_add (ui->buttons, button);
  return button;
}

/* The viewport scrolls only far enough to show the focused input, which
 * cuts off the label above it when the on-screen keyboard leaves little
 * room.  Show the whole field instead: label, help, input and message.
 * The window does the same for every page when the focus moves or the
 * keyboard opens (scroll_focus_into_view); the page also does it when its
 * height changes under a focused field, e.g. as a message appears below
 * it while the citizen types.  /kiosk/gui/field-above-keyboard fails only
 * without both. */
static gboolean
reveal_row_cb (gpointer data)
{
  GtkWidget *row = data;
  GtkWidget *scroller = gtk_widget_get_ancestor (row, GTK_TYPE_SCROLLED_WINDOW);
  GtkWidget *viewport;
  GtkWidget *content;
  GtkAdjustment *adjustment;
  graphene_rect_t bounds;
  double value, page, top, bottom;

  if (scroller == NULL || !gtk_widget_get_mapped (row))
    return G_SOURCE_REMOVE;
  viewport = gtk_scrolled_window_get_child (GTK_SCROLLED_WINDOW (scroller));
  content = viewport != NULL ? gtk_widget_get_first_child (viewport) : NULL;
  if (content == NULL || !gtk_widget_compute_bounds (row, content, &bounds))
    return G_SOURCE_REMOVE;

  adjustment = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scroller));
  value = gtk_adjustment_get_value (adjustment);
  page = gtk_adjustment_get_page_size (adjustment);
  top = MAX (0, bounds.origin.y - 12);
  bottom = bounds.origin.y + bounds.size.height + 12;
  if (top < value)
    gtk_adjustment_set_value (adjustment, top);
  else if (bottom > value + page)
    gtk_adjustment_set_value (adjustment, MIN (top, bottom - page));
  return G_SOURCE_REMOVE;
}

/* The window's focus moved: if it is in one of our fields, show that field
 * whole, after the viewport's own scroll to the focus child. */
static void
window_focus_changed_cb (GtkWindow     *window,
                         GParamSpec    *pspec,
                         KioskFormPage *self)
{
  GtkWidget *focus = gtk_window_get_focus (window);

  for (guint i = 0; focus != NULL && self->fields != NULL && i < self->fields->len; i++)
    {
      FieldUi *ui = g_ptr_array_index (self->fields, i);

      if (focus == ui->row || gtk_widget_is_ancestor (focus, ui->row))
        {
          g_set_weak_pointer (&self->focused_row, ui->row);
          g_idle_add_full (G_PRIORITY_LOW, reveal_row_cb, g_object_ref (ui->row), g_object_unref);
          return;
        }
    }
}

static void
kiosk_form_page_map (GtkWidget *widget)
{
  KioskFormPage *self = KIOSK_FORM_PAGE (widget);
  GtkRoot *root;

  GTK_WIDGET_CLASS (kiosk_form_page_parent_class)->map (widget);

  root = gtk_widget_get_root (widget);
  if (GTK_IS_WINDOW (root))
    g_signal_connect_object (root, "notify::focus-widget", G_CALLBACK (window_focus_changed_cb), self, 0);
}

static void
kiosk_form_page_unmap (GtkWidget *widget)
{
  GtkRoot *root = gtk_widget_get_root (widget);

  if (root != NULL)
    g_signal_handlers_disconnect_by_func (root, window_focus_changed_cb, widget);

  GTK_WIDGET_CLASS (kiosk_form_page_parent_class)->unmap (widget);
}

/* The on-screen keyboard opens after the focus moved and leaves less room:
 * show the focused field again whenever the visible height changes. */
static void
scroller_resized_cb (GtkAdjustment *adjustment,
                     KioskFormPage *self)
{
  if (self->focused_row != NULL)
    g_idle_add_full (G_PRIORITY_LOW, reveal_row_cb, g_object_ref (self->focused_row), g_object_unref);
}

static FieldUi *
build_field (KioskFormPage *self,
             KioskField    *field)
{
  FieldUi *ui = g_new0 (FieldUi, 1);
  KioskFieldType type = kiosk_field_get_field_type (field);
  const char *label = kiosk_field_get_label (field, self->locale);
  const char *help = kiosk_field_get_help (field, self->locale);
  GtkWidget *label_widget = NULL;
  GtkWidget *help_widget = NULL;

  ui->page = self;
  ui->field = g_object_ref (field);
  ui->buttons = g_ptr_array_new ();
  ui->entries = g_ptr_array_new ();
  ui->row = gtk_box_new (GTK_ORIENTATION_VERTICAL, 8);
  gtk_widget_add_css_class (ui->row, "kiosk-field");
  gtk_widget_set_name (ui->row, kiosk_field_get_id (field));

  if (type == KIOSK_FIELD_INFO)
    {
      const char *text = kiosk_field_get_text (field, self->locale);

      ui->input = gtk_label_new (text != NULL ? text : label);
      gtk_label_set_wrap (GTK_LABEL (ui->input), TRUE);
      gtk_label_set_xalign (GTK_LABEL (ui->input), 0);
      gtk_widget_add_css_class (ui->input, "kiosk-info");
      gtk_box_append (GTK_BOX (ui->row), ui->input);
      ui->error = gtk_label_new (NULL);
      gtk_widget_set_visible (ui->error, FALSE);
      gtk_box_append (GTK_BOX (ui->row), ui->error);
      return ui;
    }

  if (type != KIOSK_FIELD_CONSENT && label != NULL)
    {
      g_autofree char *text = kiosk_field_get_required (field)
                              ? g_strdup (label)
                              : g_strdup_printf (_("%s (optional)"), label);

      label_widget = gtk_label_new (text);
      gtk_label_set_xalign (GTK_LABEL (label_widget), 0);
      gtk_label_set_wrap (GTK_LABEL (label_widget), TRUE);
      gtk_widget_add_css_class (label_widget, "kiosk-field-label");
      gtk_box_append (GTK_BOX (ui->row), label_widget);
    }
  if (help != NULL && *help != '\0')
    {
      help_widget = gtk_label_new (help);
      gtk_label_set_xalign (GTK_LABEL (help_widget), 0);
      gtk_label_set_wrap (GTK_LABEL (help_widget), TRUE);
      gtk_widget_add_css_class (help_widget, "kiosk-help");
      gtk_box_append (GTK_BOX (ui->row), help_widget);
    }

  switch (type)
    {
    case KIOSK_FIELD_TEXTAREA:
      {
        GtkWidget *frame = gtk_frame_new (NULL);

        ui->input = gtk_text_view_new ();
        gtk_text_view_set_wrap_mode (GTK_TEXT_VIEW (ui->input), GTK_WRAP_WORD_CHAR);
        gtk_text_view_set_accepts_tab (GTK_TEXT_VIEW (ui->input), FALSE);
        gtk_text_view_set_input_purpose (GTK_TEXT_VIEW (ui->input), purpose_for_field (field));
        gtk_widget_set_size_request (ui->input, -1, 140);
        gtk_widget_add_css_class (ui->input, "kiosk-textarea");
        gtk_accessible_update_property (GTK_ACCESSIBLE (ui->input),
                                        GTK_ACCESSIBLE_PROPERTY_LABEL, label,
                                        GTK_ACCESSIBLE_PROPERTY_MULTI_LINE, TRUE,
                                        -1);
        g_signal_connect_swapped (gtk_text_view_get_buffer (GTK_TEXT_VIEW (ui->input)), "changed",
                                  G_CALLBACK (input_changed_cb), ui);
        gtk_frame_set_child (GTK_FRAME (frame), ui->input);
        gtk_box_append (GTK_BOX (ui->row), frame);
      }
      break;

    case KIOSK_FIELD_CHOICE:
    case KIOSK_FIELD_MULTICHOICE:
    case KIOSK_FIELD_BOOLEAN:
      {
        GtkWidget *first = NULL;

        /* A grid, two options a line.  Not a GtkFlowBox: after a radio
         * option is chosen, Tab stays in a flow box for ever (its focus
         * moves to the next child, whose radio refuses the focus, and it
         * reports success), a trap for keypad users. */
        ui->input = gtk_grid_new ();
        gtk_grid_set_column_spacing (GTK_GRID (ui->input), 12);
        gtk_grid_set_row_spacing (GTK_GRID (ui->input), 8);
        gtk_grid_set_column_homogeneous (GTK_GRID (ui->input), TRUE);
        gtk_accessible_update_property (GTK_ACCESSIBLE (ui->input),
                                        GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
        if (type == KIOSK_FIELD_BOOLEAN)
          {
            first = make_check (ui, _("Yes"), "true", NULL);
            gtk_grid_attach (GTK_GRID (ui->input), first, 0, 0, 1, 1);
            gtk_grid_attach (GTK_GRID (ui->input), make_check (ui, _("No"), "false", GTK_CHECK_BUTTON (first)),
                             1, 0, 1, 1);
          }
        else
          {
            for (guint i = 0; i < kiosk_field_get_n_options (field); i++)
              {
                GtkWidget *button = make_check (ui,
                                                kiosk_field_get_option_label (field, i, self->locale),
                                                kiosk_field_get_option_value (field, i),
                                                type == KIOSK_FIELD_CHOICE && first != NULL
                                                ? GTK_CHECK_BUTTON (first) : NULL);

                if (first == NULL)
                  first = button;
                gtk_grid_attach (GTK_GRID (ui->input), button, i % 2, i / 2, 1, 1);
              }
          }
        gtk_box_append (GTK_BOX (ui->row), ui->input);
      }
      break;

    case KIOSK_FIELD_CONSENT:
      ui->input = gtk_check_button_new_with_label (label);
      gtk_widget_add_css_class (ui->input, "kiosk-option");
      gtk_widget_add_css_class (ui->input, "kiosk-consent");
      if (GTK_IS_LABEL (gtk_widget_get_last_child (ui->input)))
        gtk_label_set_wrap (GTK_LABEL (gtk_widget_get_last_child (ui->input)), TRUE);
      gtk_accessible_update_property (GTK_ACCESSIBLE (ui->input),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
      g_signal_connect_swapped (ui->input, "toggled", G_CALLBACK (input_changed_cb), ui);
      gtk_box_append (GTK_BOX (ui->row), ui->input);
      break;

    case KIOSK_FIELD_ADDRESS:
      {
        const char *part_labels[] = { _("Street"), _("No."), _("Postal code"), _("City") };
        const GtkInputPurpose purposes[] = { GTK_INPUT_PURPOSE_FREE_FORM, GTK_INPUT_PURPOSE_FREE_FORM,
                                             GTK_INPUT_PURPOSE_DIGITS, GTK_INPUT_PURPOSE_FREE_FORM };
        GtkWidget *grid = gtk_grid_new ();

        gtk_grid_set_column_spacing (GTK_GRID (grid), 12);
        gtk_grid_set_row_spacing (GTK_GRID (grid), 4);
        for (guint i = 0; i < G_N_ELEMENTS (address_parts); i++)
          {
            GtkWidget *part_label = gtk_label_new (part_labels[i]);
            GtkWidget *entry = make_entry (ui, purposes[i], i == 2 ? 5 : 0, part_labels[i]);

            gtk_label_set_xalign (GTK_LABEL (part_label), 0);
            gtk_widget_add_css_class (part_label, "kiosk-help");
            gtk_widget_set_hexpand (entry, i % 2 == 0);
            gtk_grid_attach (GTK_GRID (grid), part_label, i % 2, (i / 2) * 2, 1, 1);
            gtk_grid_attach (GTK_GRID (grid), entry, i % 2, (i / 2) * 2 + 1, 1, 1);
            g_ptr_array_add (ui->entries, entry);
          }
        ui->input = grid;
        gtk_accessible_update_property (GTK_ACCESSIBLE (grid),
                                        GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
        gtk_box_append (GTK_BOX (ui->row), grid);
      }
      break;

    case KIOSK_FIELD_DATE:
      ui->input = make_entry (ui, GTK_INPUT_PURPOSE_DIGITS, 10, label);
      gtk_entry_set_placeholder_text (GTK_ENTRY (ui->input), _("DD.MM.YYYY"));
      gtk_box_append (GTK_BOX (ui->row), ui->input);
      break;

    case KIOSK_FIELD_TEXT:
    case KIOSK_FIELD_NUMBER:
    case KIOSK_FIELD_EMAIL:
    case KIOSK_FIELD_PHONE:
    case KIOSK_FIELD_INFO:
    default:
      ui->input = make_entry (ui, purpose_for_field (field), kiosk_field_get_max_length (field), label);
      gtk_box_append (GTK_BOX (ui->row), ui->input);
      break;
    }

  if (kiosk_field_get_required (field))
    gtk_accessible_update_property (GTK_ACCESSIBLE (ui->input),
                                    GTK_ACCESSIBLE_PROPERTY_REQUIRED, TRUE, -1);
  if (help_widget != NULL)
    gtk_accessible_update_property (GTK_ACCESSIBLE (ui->input),
                                    GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, help, -1);

  ui->error = gtk_label_new (NULL);
  gtk_label_set_xalign (GTK_LABEL (ui->error), 0);
  gtk_label_set_wrap (GTK_LABEL (ui->error), TRUE);
  gtk_widget_add_css_class (ui->error, "kiosk-error");
  gtk_widget_set_visible (ui->error, FALSE);
  gtk_box_append (GTK_BOX (ui->row), ui->error);
  gtk_accessible_update_relation (GTK_ACCESSIBLE (ui->input),
                                  GTK_ACCESSIBLE_RELATION_DESCRIBED_BY, ui->error, NULL,
                                  -1);

  return ui;
}

static GtkWidget *
focus_target (FieldUi *ui)
{
  if (ui->buttons->len > 0)
    return g_ptr_array_index (ui->buttons, 0);
  if (ui->entries->len > 0)
    return g_ptr_array_index (ui->entries, 0);
  return ui->input;
}

static void
kiosk_form_page_dispose (GObject *object)
{
  KioskFormPage *self = (KioskFormPage *)object;

  g_clear_weak_pointer (&self->focused_row);
  g_clear_pointer (&self->fields, g_ptr_array_unref);
  g_clear_object (&self->form);

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
  widget_class->map = kiosk_form_page_map;
  widget_class->unmap = kiosk_form_page_unmap;

  gtk_widget_class_set_template_from_resource (widget_class, "/de/hildesheim/Stadtkiosk/pages/kiosk-form-page.ui");
  gtk_widget_class_bind_template_child (widget_class, KioskFormPage, service_label);
  gtk_widget_class_bind_template_child (widget_class, KioskFormPage, step_title);
  gtk_widget_class_bind_template_child (widget_class, KioskFormPage, progress_label);
  gtk_widget_class_bind_template_child (widget_class, KioskFormPage, progress_bar);
  gtk_widget_class_bind_template_child (widget_class, KioskFormPage, scroller);
  gtk_widget_class_bind_template_child (widget_class, KioskFormPage, fields_box);
  gtk_widget_class_bind_template_child (widget_class, KioskFormPage, next_button);
}

static void
kiosk_form_page_init (KioskFormPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  g_signal_connect_object (gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (self->scroller)),
                           "changed", G_CALLBACK (scroller_resized_cb), self, 0);
}

GtkWidget *
kiosk_form_page_new (void)
{
  return g_object_new (KIOSK_TYPE_FORM_PAGE, NULL);
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
}

/**
 * kiosk_form_page_show_step:
 * @step: which step of @form, counted from 0 over all steps
 *
 * Builds the widgets of @step and fills them with the answers given so far.
 */
void
kiosk_form_page_show_step (KioskFormPage *self,
                           KioskForm     *form,
                           guint          step,
                           const char    *locale)
{
  KioskService *service;
  KioskStep *kstep;
  GPtrArray *fields;
  guint n_steps, visible_index = 0, visible_total = 0;
  g_autofree char *progress = NULL;

  g_return_if_fail (KIOSK_IS_FORM_PAGE (self));
  g_return_if_fail (KIOSK_IS_FORM (form));

  kiosk_form_page_clear (self);
  self->form = g_object_ref (form);
  g_free (self->locale);
  self->locale = g_strdup (locale);
  self->step = step;
  self->fields = g_ptr_array_new_with_free_func ((GDestroyNotify) field_ui_free);
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

  self->loading = TRUE;
  for (guint i = 0; i < fields->len; i++)
    {
      FieldUi *ui = build_field (self, g_ptr_array_index (fields, i));

      g_ptr_array_add (self->fields, ui);
      gtk_box_append (GTK_BOX (self->fields_box), ui->row);
      if (kiosk_field_is_input (ui->field))
        load_value (ui);
    }
  self->loading = FALSE;
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
  FieldUi *first = NULL;
  gboolean ok;

  g_return_val_if_fail (KIOSK_IS_FORM_PAGE (self), FALSE);

  if (self->form == NULL)
    return FALSE;

  ok = kiosk_form_validate_step (self->form, self->step, self->locale, &errors);
  for (guint i = 0; i < self->fields->len; i++)
    show_error (g_ptr_array_index (self->fields, i), NULL);
  for (guint i = 0; errors != NULL && i < errors->len; i++)
    {
      KioskFieldError *error = g_ptr_array_index (errors, i);
      FieldUi *ui = find_ui (self, error->field_id);

      if (ui == NULL)
        continue;
      show_error (ui, error->message);
      if (first == NULL)
        first = ui;
    }
  if (first != NULL)
    gtk_widget_grab_focus (focus_target (first));

  return ok;
}

GtkWidget *
kiosk_form_page_get_input (KioskFormPage *self,
                           const char    *field_id)
{
  FieldUi *ui;

  g_return_val_if_fail (KIOSK_IS_FORM_PAGE (self), NULL);

  ui = find_ui (self, field_id);
  if (ui == NULL)
    return NULL;
  return ui->buttons->len > 0 || ui->entries->len > 0 ? focus_target (ui) : ui->input;
}

GtkWidget *
kiosk_form_page_get_field_row (KioskFormPage *self,
                               const char    *field_id)
{
  FieldUi *ui;

  g_return_val_if_fail (KIOSK_IS_FORM_PAGE (self), NULL);

  ui = find_ui (self, field_id);
  return ui != NULL ? ui->row : NULL;
}

const char *
kiosk_form_page_get_error (KioskFormPage *self,
                           const char    *field_id)
{
  FieldUi *ui;

  g_return_val_if_fail (KIOSK_IS_FORM_PAGE (self), NULL);

  ui = find_ui (self, field_id);
  if (ui == NULL || !ui->shown_error)
    return NULL;
  return gtk_label_get_text (GTK_LABEL (ui->error));
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
      FieldUi *ui = g_ptr_array_index (self->fields, i);

      if (kiosk_field_is_input (ui->field) && gtk_widget_get_visible (ui->row))
        {
          gtk_widget_grab_focus (focus_target (ui));
          return;
        }
    }
  gtk_widget_grab_focus (self->next_button);
}

/* kiosk-field-row.c
 *
 * SPDX-FileCopyrightText: 2026 Stadtkiosk contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "stadtkiosk"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "kiosk-field-row.h"

/* One field of a form, rendered from the catalogue: its label, help, the
 * input for its type (entry, text view, option buttons, address parts) and
 * the validation message right under it.  The form page lays rows out and
 * writes what #KioskFieldRow::changed reports into the KioskForm. */

struct _KioskFieldRow
{
  GtkBox      parent_instance;

  /* template */
  GtkLabel   *label;
  GtkLabel   *help;
  GtkWidget  *error;

  KioskField *field;
  GtkWidget  *input;        /* entry, text view, label, or the box of buttons */
  GPtrArray  *buttons;      /* choice / multichoice / boolean buttons, unowned */
  GPtrArray  *entries;      /* address or date parts, unowned */
  const char * const *part_names; /* what each of entries is: address_parts or date_parts */
  gboolean    shown_error;
  int         invalid_part; /* index into entries of the address part to correct; -1: all */
  gboolean    loading;      /* filled from the form, not by a person */
  gboolean    reserved;     /* hidden by its condition, its space kept */
};

enum {
  CHANGED,
  N_SIGNALS,
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (KioskFieldRow, kiosk_field_row, GTK_TYPE_BOX)

static const char * const address_parts[] = { "street", "house_number", "postal_code", "city" };
/* A date is typed as three numbers on the number pad, in the order
 * people here write it: day, month, year. */
static const char * const date_parts[] = { "day", "month", "year" };

static void
input_changed_cb (KioskFieldRow *self)
{
  if (!self->loading)
    g_signal_emit (self, signals[CHANGED], 0);
}

/* The input goes between the help and the message. */
static void
append_input (KioskFieldRow *self,
              GtkWidget     *input)
{
  gtk_box_insert_child_after (GTK_BOX (self), input, GTK_WIDGET (self->help));
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

/* The three boxes of a date as the form stores it: "YYYY-MM-DD" when
 * they make a date; otherwise what was typed, "Y-M-D" with empty or
 * wrong parts, so that the form can say which box to correct.  %NULL
 * when all three are empty. */
static char *
date_from_parts (const char *day,
                 const char *month,
                 const char *year)
{
  guint64 d, m, y;

  if (*day == '\0' && *month == '\0' && *year == '\0')
    return NULL;
  if (*day != '\0' && *month != '\0' && strlen (year) == 4 &&
      strspn (day, "0123456789") == strlen (day) && strlen (day) <= 2 &&
      strspn (month, "0123456789") == strlen (month) && strlen (month) <= 2 &&
      strspn (year, "0123456789") == 4)
    {
      d = g_ascii_strtoull (day, NULL, 10);
      m = g_ascii_strtoull (month, NULL, 10);
      y = g_ascii_strtoull (year, NULL, 10);
      if (y >= 1000 && m >= 1 && m <= 12 && d >= 1 && g_date_valid_dmy ((GDateDay) d, (GDateMonth) m, (GDateYear) y))
        return g_strdup_printf ("%04u-%02u-%02u", (guint) y, (guint) m, (guint) d);
    }
  return g_strdup_printf ("%s-%s-%s", year, month, day);
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
make_entry (KioskFieldRow   *self,
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
  g_signal_connect_swapped (entry, "changed", G_CALLBACK (input_changed_cb), self);
  return entry;
}

static GtkWidget *
make_check (KioskFieldRow  *self,
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
  g_signal_connect_swapped (button, "toggled", G_CALLBACK (input_changed_cb), self);
  g_ptr_array_add (self->buttons, button);
  return button;
}

/* The viewport scrolls only far enough to show the focused input, which
 * cuts off the label above it when the on-screen keyboard leaves little
 * room.  Show the whole field instead: label, help, input and message.
 * Runs after the viewport's own scroll to the focus child. */
static gboolean
reveal_cb (gpointer data)
{
  GtkWidget *row = data;
  GtkWidget *scroller = gtk_widget_get_ancestor (row, GTK_TYPE_SCROLLED_WINDOW);
  GtkWidget *viewport;
  GtkAdjustment *adjustment;
  graphene_rect_t bounds;
  double value, page, top, bottom;

  if (scroller == NULL || !gtk_widget_get_mapped (row))
    return G_SOURCE_REMOVE;
  /* Measured from the viewport (what is shown now) plus the scroll: the
   * content's own top margin (the status page's clamp has one) is then
   * counted too, which bounds taken from the content left out. */
  viewport = gtk_scrolled_window_get_child (GTK_SCROLLED_WINDOW (scroller));
  if (viewport == NULL || !gtk_widget_compute_bounds (row, viewport, &bounds))
    return G_SOURCE_REMOVE;

  adjustment = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scroller));
  value = gtk_adjustment_get_value (adjustment);
  page = gtk_adjustment_get_page_size (adjustment);
  top = MAX (0, value + bounds.origin.y - 12);
  bottom = value + bounds.origin.y + bounds.size.height + 12;
  if (top < value)
    gtk_adjustment_set_value (adjustment, top);
  else if (bottom > value + page)
    gtk_adjustment_set_value (adjustment, MIN (top, bottom - page));
  return G_SOURCE_REMOVE;
}

/**
 * kiosk_scroll_into_view:
 * @widget: (nullable): the widget with the focus
 *
 * The one place that keeps what is being typed into in sight above the
 * on-screen keyboard: the whole field around @widget (a #KioskFieldRow)
 * or else @widget itself, with a margin, once the main loop is idle.
 * The window calls it when the focus moves and when the keyboard has
 * opened; the form page when its height changes under a focused field,
 * e.g. as a message appears below it.  (There used to be two helpers,
 * one in the window and one in the form page, each covering one of those
 * cases; /kiosk/gui/field-above-keyboard needs all of them.)
 */
void
kiosk_scroll_into_view (GtkWidget *widget)
{
  GtkWidget *shown;

  if (widget == NULL)
    return;
  shown = gtk_widget_get_ancestor (widget, KIOSK_TYPE_FIELD_ROW);
  if (shown == NULL)
    shown = widget;
  g_idle_add_full (G_PRIORITY_LOW, reveal_cb, g_object_ref (shown), g_object_unref);
}

/* The inputs drawn red: the entry or the text area's frame, or of an
 * address the part to correct (all parts until it is known). */
static void
mark_invalid_inputs (KioskFieldRow *self)
{
  GtkWidget *marked = self->input;

  if (GTK_IS_TEXT_VIEW (self->input))
    marked = gtk_widget_get_parent (self->input);
  for (guint i = 0; i < self->entries->len; i++)
    {
      GtkWidget *entry = g_ptr_array_index (self->entries, i);

      if (self->shown_error && (self->invalid_part < 0 || (guint) self->invalid_part == i))
        gtk_widget_add_css_class (entry, "kiosk-invalid-input");
      else
        gtk_widget_remove_css_class (entry, "kiosk-invalid-input");
    }
  if (self->entries->len == 0 && self->buttons->len == 0 && marked != NULL)
    {
      if (self->shown_error)
        gtk_widget_add_css_class (marked, "kiosk-invalid-input");
      else
        gtk_widget_remove_css_class (marked, "kiosk-invalid-input");
    }
}

static void
kiosk_field_row_dispose (GObject *object)
{
  KioskFieldRow *self = KIOSK_FIELD_ROW (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), KIOSK_TYPE_FIELD_ROW);
  g_clear_object (&self->field);

  G_OBJECT_CLASS (kiosk_field_row_parent_class)->dispose (object);
}

static void
kiosk_field_row_finalize (GObject *object)
{
  KioskFieldRow *self = KIOSK_FIELD_ROW (object);

  g_clear_pointer (&self->buttons, g_ptr_array_unref);
  g_clear_pointer (&self->entries, g_ptr_array_unref);

  G_OBJECT_CLASS (kiosk_field_row_parent_class)->finalize (object);
}

static void
kiosk_field_row_class_init (KioskFieldRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = kiosk_field_row_dispose;
  object_class->finalize = kiosk_field_row_finalize;

  /**
   * KioskFieldRow::changed:
   *
   * A person changed the answer; kiosk_field_row_dup_value() reads it.
   */
  signals[CHANGED] =
    g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/de/hildesheim/Stadtkiosk/widgets/kiosk-field-row.ui");
  gtk_widget_class_bind_template_child (widget_class, KioskFieldRow, label);
  gtk_widget_class_bind_template_child (widget_class, KioskFieldRow, help);
  gtk_widget_class_bind_template_child (widget_class, KioskFieldRow, error);
}

static void
kiosk_field_row_init (KioskFieldRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->buttons = g_ptr_array_new ();
  self->entries = g_ptr_array_new ();
  self->invalid_part = -1;
}

/**
 * kiosk_field_row_new:
 * @field: a field of the catalogue
 * @locale: the citizen's language
 *
 * The whole field: its label (with "(optional)"), help, the input for its
 * type and, hidden until kiosk_field_row_set_error(), the message under it.
 */
GtkWidget *
kiosk_field_row_new (KioskField *field,
                     const char *locale)
{
  KioskFieldRow *self;
  KioskFieldType type;
  const char *label;
  const char *help;

  g_return_val_if_fail (KIOSK_IS_FIELD (field), NULL);

  self = g_object_new (KIOSK_TYPE_FIELD_ROW, NULL);
  type = kiosk_field_get_field_type (field);
  label = kiosk_field_get_label (field, locale);
  help = kiosk_field_get_help (field, locale);
  self->field = g_object_ref (field);
  gtk_widget_set_name (GTK_WIDGET (self), kiosk_field_get_id (field));

  if (type == KIOSK_FIELD_INFO)
    {
      const char *text = kiosk_field_get_text (field, locale);

      self->input = gtk_label_new (text != NULL ? text : label);
      gtk_label_set_wrap (GTK_LABEL (self->input), TRUE);
      gtk_label_set_xalign (GTK_LABEL (self->input), 0);
      gtk_widget_add_css_class (self->input, "kiosk-info");
      append_input (self, self->input);
      return GTK_WIDGET (self);
    }

  if (type != KIOSK_FIELD_CONSENT && label != NULL)
    {
      g_autofree char *text = kiosk_field_get_required (field)
                              ? g_strdup (label)
                              : g_strdup_printf (_("%s (optional)"), label);

      gtk_label_set_text (self->label, text);
      gtk_widget_set_visible (GTK_WIDGET (self->label), TRUE);
    }
  if (help != NULL && *help != '\0')
    {
      gtk_label_set_text (self->help, help);
      gtk_widget_set_visible (GTK_WIDGET (self->help), TRUE);
    }

  switch (type)
    {
    case KIOSK_FIELD_TEXTAREA:
      {
        GtkWidget *frame = gtk_frame_new (NULL);

        self->input = gtk_text_view_new ();
        gtk_text_view_set_wrap_mode (GTK_TEXT_VIEW (self->input), GTK_WRAP_WORD_CHAR);
        gtk_text_view_set_accepts_tab (GTK_TEXT_VIEW (self->input), FALSE);
        gtk_text_view_set_input_purpose (GTK_TEXT_VIEW (self->input), purpose_for_field (field));
        gtk_widget_set_size_request (self->input, -1, 140);
        gtk_widget_add_css_class (self->input, "kiosk-textarea");
        gtk_accessible_update_property (GTK_ACCESSIBLE (self->input),
                                        GTK_ACCESSIBLE_PROPERTY_LABEL, label,
                                        GTK_ACCESSIBLE_PROPERTY_MULTI_LINE, TRUE,
                                        -1);
        g_signal_connect_swapped (gtk_text_view_get_buffer (GTK_TEXT_VIEW (self->input)), "changed",
                                  G_CALLBACK (input_changed_cb), self);
        gtk_frame_set_child (GTK_FRAME (frame), self->input);
        append_input (self, frame);
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
        self->input = gtk_grid_new ();
        gtk_grid_set_column_spacing (GTK_GRID (self->input), 12);
        gtk_grid_set_row_spacing (GTK_GRID (self->input), 8);
        gtk_grid_set_column_homogeneous (GTK_GRID (self->input), TRUE);
        gtk_accessible_update_property (GTK_ACCESSIBLE (self->input),
                                        GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
        if (type == KIOSK_FIELD_BOOLEAN)
          {
            first = make_check (self, _("Yes"), "true", NULL);
            gtk_grid_attach (GTK_GRID (self->input), first, 0, 0, 1, 1);
            gtk_grid_attach (GTK_GRID (self->input),
                             make_check (self, _("No"), "false", GTK_CHECK_BUTTON (first)),
                             1, 0, 1, 1);
          }
        else
          {
            for (guint i = 0; i < kiosk_field_get_n_options (field); i++)
              {
                GtkWidget *button = make_check (self,
                                                kiosk_field_get_option_label (field, i, locale),
                                                kiosk_field_get_option_value (field, i),
                                                type == KIOSK_FIELD_CHOICE && first != NULL
                                                ? GTK_CHECK_BUTTON (first) : NULL);

                if (first == NULL)
                  first = button;
                gtk_grid_attach (GTK_GRID (self->input), button, i % 2, i / 2, 1, 1);
              }
          }
        append_input (self, self->input);
      }
      break;

    case KIOSK_FIELD_CONSENT:
      self->input = gtk_check_button_new_with_label (label);
      gtk_widget_add_css_class (self->input, "kiosk-option");
      gtk_widget_add_css_class (self->input, "kiosk-consent");
      if (GTK_IS_LABEL (gtk_widget_get_last_child (self->input)))
        gtk_label_set_wrap (GTK_LABEL (gtk_widget_get_last_child (self->input)), TRUE);
      gtk_accessible_update_property (GTK_ACCESSIBLE (self->input),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
      g_signal_connect_swapped (self->input, "toggled", G_CALLBACK (input_changed_cb), self);
      append_input (self, self->input);
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
            GtkWidget *entry = make_entry (self, purposes[i], i == 2 ? 5 : 0, part_labels[i]);

            gtk_label_set_xalign (GTK_LABEL (part_label), 0);
            gtk_widget_add_css_class (part_label, "kiosk-help");
            gtk_widget_set_hexpand (entry, i % 2 == 0);
            gtk_grid_attach (GTK_GRID (grid), part_label, i % 2, (i / 2) * 2, 1, 1);
            gtk_grid_attach (GTK_GRID (grid), entry, i % 2, (i / 2) * 2 + 1, 1, 1);
            g_ptr_array_add (self->entries, entry);
          }
        self->part_names = address_parts;
        self->input = grid;
        gtk_accessible_update_property (GTK_ACCESSIBLE (grid),
                                        GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
        append_input (self, grid);
      }
      break;

    case KIOSK_FIELD_DATE:
      {
        /* Three boxes with the number pad, not "DD.MM.YYYY" typed with
         * dots on a keyboard: GOV.UK's date input. */
        const char *part_labels[] = { _("Day"), _("Month"), _("Year") };
        const int widths[] = { 3, 3, 5 };
        const guint lengths[] = { 2, 2, 4 };
        GtkWidget *grid = gtk_grid_new ();

        gtk_grid_set_column_spacing (GTK_GRID (grid), 16);
        gtk_grid_set_row_spacing (GTK_GRID (grid), 4);
        gtk_widget_set_halign (grid, GTK_ALIGN_START);
        for (guint i = 0; i < G_N_ELEMENTS (date_parts); i++)
          {
            g_autofree char *name = g_strdup_printf ("%s, %s", label != NULL ? label : "", part_labels[i]);
            GtkWidget *part_label = gtk_label_new (part_labels[i]);
            GtkWidget *entry = make_entry (self, GTK_INPUT_PURPOSE_DIGITS, lengths[i], name);

            gtk_label_set_xalign (GTK_LABEL (part_label), 0);
            gtk_widget_add_css_class (part_label, "kiosk-help");
            gtk_editable_set_width_chars (GTK_EDITABLE (entry), widths[i]);
            gtk_editable_set_max_width_chars (GTK_EDITABLE (entry), widths[i]);
            gtk_widget_add_css_class (entry, "kiosk-date-part");
            gtk_widget_set_name (entry, date_parts[i]);
            gtk_grid_attach (GTK_GRID (grid), part_label, (int) i, 0, 1, 1);
            gtk_grid_attach (GTK_GRID (grid), entry, (int) i, 1, 1, 1);
            g_ptr_array_add (self->entries, entry);
          }
        self->part_names = date_parts;
        self->input = grid;
        gtk_accessible_update_property (GTK_ACCESSIBLE (grid),
                                        GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
        append_input (self, grid);
      }
      break;

    case KIOSK_FIELD_TEXT:
    case KIOSK_FIELD_NUMBER:
    case KIOSK_FIELD_EMAIL:
    case KIOSK_FIELD_PHONE:
    case KIOSK_FIELD_INFO:
    default:
      self->input = make_entry (self, purpose_for_field (field), kiosk_field_get_max_length (field), label);
      append_input (self, self->input);
      break;
    }

  if (kiosk_field_get_required (field))
    gtk_accessible_update_property (GTK_ACCESSIBLE (self->input),
                                    GTK_ACCESSIBLE_PROPERTY_REQUIRED, TRUE, -1);
  if (gtk_widget_get_visible (GTK_WIDGET (self->help)))
    gtk_accessible_update_property (GTK_ACCESSIBLE (self->input),
                                    GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, help, -1);

  gtk_accessible_update_relation (GTK_ACCESSIBLE (self->input),
                                  GTK_ACCESSIBLE_RELATION_DESCRIBED_BY, self->error, NULL,
                                  -1);

  return GTK_WIDGET (self);
}

/**
 * kiosk_field_row_dup_value:
 *
 * Returns: (transfer full) (nullable): the answer as typed or tapped, as
 *   the form stores it; %NULL for no answer
 */
JsonNode *
kiosk_field_row_dup_value (KioskFieldRow *self)
{
  KioskFieldType type;
  g_autofree char *text = NULL;

  g_return_val_if_fail (KIOSK_IS_FIELD_ROW (self), NULL);

  type = kiosk_field_get_field_type (self->field);
  switch (type)
    {
    case KIOSK_FIELD_CHOICE:
    case KIOSK_FIELD_BOOLEAN:
      for (guint i = 0; i < self->buttons->len; i++)
        {
          GtkCheckButton *button = g_ptr_array_index (self->buttons, i);

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

        for (guint i = 0; i < self->buttons->len; i++)
          {
            GtkCheckButton *button = g_ptr_array_index (self->buttons, i);

            if (gtk_check_button_get_active (button))
              json_array_add_string_element (array, g_object_get_data (G_OBJECT (button), "kiosk-value"));
          }
        json_node_take_array (node, array);
        return node;
      }

    case KIOSK_FIELD_CONSENT:
      {
        JsonNode *node = json_node_new (JSON_NODE_VALUE);

        json_node_set_boolean (node, gtk_check_button_get_active (GTK_CHECK_BUTTON (self->input)));
        return node;
      }

    case KIOSK_FIELD_ADDRESS:
      {
        JsonObject *object = json_object_new ();
        JsonNode *node = json_node_new (JSON_NODE_OBJECT);
        gboolean any = FALSE;

        for (guint i = 0; i < self->entries->len; i++)
          {
            g_autofree char *part = g_strstrip (dup_text (g_ptr_array_index (self->entries, i)));

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

        text = g_strstrip (dup_text (self->input));
        if (*text == '\0')
          return NULL;
        g_strdelimit (text, ",", '.');
        v = g_ascii_strtod (text, &end);
        node = json_node_new (JSON_NODE_VALUE);
        if (end == NULL || *end != '\0')
          json_node_set_string (node, text);   /* the form says what is wrong */
        else if (v == (double) (gint64) v && kiosk_field_get_integer (self->field))
          json_node_set_int (node, (gint64) v);
        else
          json_node_set_double (node, v);
        return node;
      }

    case KIOSK_FIELD_DATE:
      {
        g_autofree char *day = g_strstrip (dup_text (g_ptr_array_index (self->entries, 0)));
        g_autofree char *month = g_strstrip (dup_text (g_ptr_array_index (self->entries, 1)));
        g_autofree char *year = g_strstrip (dup_text (g_ptr_array_index (self->entries, 2)));
        JsonNode *node;

        text = date_from_parts (day, month, year);
        if (text == NULL)
          return NULL;
        node = json_node_new (JSON_NODE_VALUE);
        json_node_set_string (node, text);
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

        if (self->input == NULL || !(GTK_IS_EDITABLE (self->input) || GTK_IS_TEXT_VIEW (self->input)))
          return NULL;
        text = dup_text (self->input);
        stripped = g_strstrip (g_strdup (text));
        if (*stripped == '\0')
          return NULL;
        node = json_node_new (JSON_NODE_VALUE);
        json_node_set_string (node, text);
        return node;
      }
    }
}

/**
 * kiosk_field_row_load_value:
 * @value: (nullable): an answer given before, as the form stores it
 *
 * Fills the input with @value without emitting #KioskFieldRow::changed:
 * it is not a person typing.
 */
void
kiosk_field_row_load_value (KioskFieldRow *self,
                            JsonNode      *value)
{
  KioskFieldType type;

  g_return_if_fail (KIOSK_IS_FIELD_ROW (self));

  type = kiosk_field_get_field_type (self->field);
  if (value == NULL || JSON_NODE_HOLDS_NULL (value) || !kiosk_field_is_input (self->field))
    return;

  self->loading = TRUE;

  switch (type)
    {
    case KIOSK_FIELD_CHOICE:
    case KIOSK_FIELD_BOOLEAN:
    case KIOSK_FIELD_MULTICHOICE:
      for (guint i = 0; i < self->buttons->len; i++)
        {
          GtkCheckButton *button = g_ptr_array_index (self->buttons, i);
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
        gtk_check_button_set_active (GTK_CHECK_BUTTON (self->input), json_node_get_boolean (value));
      break;
    case KIOSK_FIELD_ADDRESS:
      if (JSON_NODE_HOLDS_OBJECT (value))
        for (guint i = 0; i < self->entries->len; i++)
          {
            JsonObject *object = json_node_get_object (value);
            const char *part = json_object_get_string_member_with_default (object, address_parts[i], "");

            gtk_editable_set_text (GTK_EDITABLE (g_ptr_array_index (self->entries, i)), part);
          }
      break;
    case KIOSK_FIELD_TEXTAREA:
      if (JSON_NODE_HOLDS_VALUE (value))
        gtk_text_buffer_set_text (gtk_text_view_get_buffer (GTK_TEXT_VIEW (self->input)),
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
          gtk_editable_set_text (GTK_EDITABLE (self->input), text);
        }
      break;
    case KIOSK_FIELD_DATE:
      if (JSON_NODE_HOLDS_VALUE (value) && json_node_get_value_type (value) == G_TYPE_STRING)
        {
          g_auto(GStrv) parts = g_strsplit (json_node_get_string (value), "-", 3);

          /* "2026-03-09" shows as 9 3 2026, as a person types it; a
           * date that was not right yet shows as it was typed. */
          if (g_strv_length (parts) == 3)
            for (guint i = 0; i < 3; i++)
              {
                const char *part = parts[2 - i];
                g_autofree char *shown = NULL;

                if (strlen (part) == 2 && part[0] == '0' && g_ascii_isdigit (part[1]))
                  shown = g_strdup (part + 1);
                gtk_editable_set_text (GTK_EDITABLE (g_ptr_array_index (self->entries, i)),
                                       shown != NULL ? shown : part);
              }
        }
      break;
    case KIOSK_FIELD_TEXT:
    case KIOSK_FIELD_EMAIL:
    case KIOSK_FIELD_PHONE:
    case KIOSK_FIELD_INFO:
    default:
      if (JSON_NODE_HOLDS_VALUE (value) && json_node_get_value_type (value) == G_TYPE_STRING &&
          GTK_IS_EDITABLE (self->input))
        gtk_editable_set_text (GTK_EDITABLE (self->input), json_node_get_string (value));
      break;
    }
  self->loading = FALSE;
}

/**
 * kiosk_field_row_get_focus_target:
 *
 * Returns: (transfer none): what takes the focus for the field: its first
 *   option or address part, or its input
 */
GtkWidget *
kiosk_field_row_get_focus_target (KioskFieldRow *self)
{
  g_return_val_if_fail (KIOSK_IS_FIELD_ROW (self), NULL);

  if (self->buttons->len > 0)
    return g_ptr_array_index (self->buttons, 0);
  if (self->entries->len > 0)
    return g_ptr_array_index (self->entries, 0);
  return self->input;
}

KioskField *
kiosk_field_row_get_field (KioskFieldRow *self)
{
  g_return_val_if_fail (KIOSK_IS_FIELD_ROW (self), NULL);
  return self->field;
}

/**
 * kiosk_field_row_set_error:
 * @message: (nullable): what is wrong with the answer, %NULL when nothing
 */
void
kiosk_field_row_set_error (KioskFieldRow *self,
                           const char    *message)
{
  gboolean invalid = message != NULL;

  g_return_if_fail (KIOSK_IS_FIELD_ROW (self));

  gtk_label_set_text (GTK_LABEL (self->error), message != NULL ? message : "");
  gtk_widget_set_visible (self->error, invalid);
  gtk_widget_set_opacity (self->error, 1.0);
  gtk_accessible_update_state (GTK_ACCESSIBLE (self->error),
                               GTK_ACCESSIBLE_STATE_HIDDEN, FALSE, -1);
  self->shown_error = invalid;
  self->invalid_part = -1;
  mark_invalid_inputs (self);
  if (invalid)
    gtk_widget_add_css_class (GTK_WIDGET (self), "kiosk-invalid");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self), "kiosk-invalid");
  gtk_accessible_update_state (GTK_ACCESSIBLE (self->input),
                               GTK_ACCESSIBLE_STATE_INVALID,
                               invalid ? GTK_ACCESSIBLE_INVALID_TRUE : GTK_ACCESSIBLE_INVALID_FALSE,
                               -1);
}

/**
 * kiosk_field_row_get_error:
 *
 * Returns: (nullable): the message shown under the field, %NULL if none
 */
const char *
kiosk_field_row_get_error (KioskFieldRow *self)
{
  g_return_val_if_fail (KIOSK_IS_FIELD_ROW (self), NULL);

  if (!self->shown_error)
    return NULL;
  return gtk_label_get_text (GTK_LABEL (self->error));
}

/**
 * kiosk_field_row_get_input:
 *
 * Returns: (transfer none): the input: the entry or text view, or for
 *   options and addresses the first button or entry
 */
GtkWidget *
kiosk_field_row_get_input (KioskFieldRow *self)
{
  g_return_val_if_fail (KIOSK_IS_FIELD_ROW (self), NULL);

  return self->buttons->len > 0 || self->entries->len > 0
         ? kiosk_field_row_get_focus_target (self) : self->input;
}

/**
 * kiosk_field_row_set_invalid_part:
 * @part: (nullable): of an address, the part to correct ("street",
 *   "house_number", "postal_code", "city"), of a date "day", "month" or
 *   "year"; %NULL for all of it
 *
 * Narrows the red mark and the focus of a shown message to @part.
 */
void
kiosk_field_row_set_invalid_part (KioskFieldRow *self,
                                  const char    *part)
{
  g_return_if_fail (KIOSK_IS_FIELD_ROW (self));

  self->invalid_part = -1;
  for (guint i = 0; part != NULL && self->part_names != NULL && i < self->entries->len; i++)
    if (g_str_equal (self->part_names[i], part))
      self->invalid_part = (int) i;
  mark_invalid_inputs (self);
}

/**
 * kiosk_field_row_get_error_target:
 *
 * Returns: (transfer none): what to correct: the address part that is
 *   wrong, or else the field's focus target
 */
GtkWidget *
kiosk_field_row_get_error_target (KioskFieldRow *self)
{
  g_return_val_if_fail (KIOSK_IS_FIELD_ROW (self), NULL);

  if (self->invalid_part >= 0 && (guint) self->invalid_part < self->entries->len)
    return g_ptr_array_index (self->entries, self->invalid_part);
  return kiosk_field_row_get_focus_target (self);
}

/**
 * kiosk_field_row_focus_error:
 *
 * Puts the focus on what to correct, with the cursor at the end of what
 * is there: nothing selected, so that the next key does not delete it.
 */
void
kiosk_field_row_focus_error (KioskFieldRow *self)
{
  GtkWidget *target;

  g_return_if_fail (KIOSK_IS_FIELD_ROW (self));

  target = kiosk_field_row_get_error_target (self);
  if (GTK_IS_ENTRY (target))
    {
      gtk_entry_grab_focus_without_selecting (GTK_ENTRY (target));
      gtk_editable_set_position (GTK_EDITABLE (target), -1);
    }
  else
    gtk_widget_grab_focus (target);
}

/**
 * kiosk_field_row_resolve_error:
 *
 * The answer was corrected while the message showed: the message and the
 * red go, but its space stays until the step is checked again, so that
 * nothing below moves under a finger that is about to tap it.
 */
void
kiosk_field_row_resolve_error (KioskFieldRow *self)
{
  g_return_if_fail (KIOSK_IS_FIELD_ROW (self));

  if (!self->shown_error)
    return;
  self->shown_error = FALSE;
  self->invalid_part = -1;
  gtk_widget_set_opacity (self->error, 0.0);
  gtk_accessible_update_state (GTK_ACCESSIBLE (self->error),
                               GTK_ACCESSIBLE_STATE_HIDDEN, TRUE, -1);
  gtk_widget_remove_css_class (GTK_WIDGET (self), "kiosk-invalid");
  mark_invalid_inputs (self);
  gtk_accessible_update_state (GTK_ACCESSIBLE (self->input),
                               GTK_ACCESSIBLE_STATE_INVALID, GTK_ACCESSIBLE_INVALID_FALSE,
                               -1);
}

/**
 * kiosk_field_row_set_place:
 * @place: (nullable): the city's name ([kiosk] city)
 *
 * Pre-fills the town of an empty address with @place: most people at the
 * kiosk live in the city it stands in.  Nothing is answered until the
 * person types in the address (#KioskFieldRow::changed is not emitted),
 * and the town can be overwritten.  Does nothing for other fields.
 */
void
kiosk_field_row_set_place (KioskFieldRow *self,
                           const char    *place)
{
  GtkEditable *town;

  g_return_if_fail (KIOSK_IS_FIELD_ROW (self));

  if (place == NULL || *place == '\0' || self->part_names != address_parts || self->entries->len < 4)
    return;
  town = GTK_EDITABLE (g_ptr_array_index (self->entries, 3));
  if (*gtk_editable_get_text (town) != '\0')
    return;
  self->loading = TRUE;
  gtk_editable_set_text (town, place);
  self->loading = FALSE;
}

/**
 * kiosk_field_row_set_reserved:
 * @reserved: whether the field is hidden by its condition but keeps its space
 *
 * A conditional field that is not asked keeps its place on the page, empty,
 * so that nothing below it moves when it appears under a finger about to
 * tap there (issue #16, item 4): drawn fully transparent, not sensitive (no
 * focus, no taps), hidden from assistive technologies.
 */
void
kiosk_field_row_set_reserved (KioskFieldRow *self,
                              gboolean       reserved)
{
  g_return_if_fail (KIOSK_IS_FIELD_ROW (self));

  reserved = !!reserved;
  if (self->reserved == reserved)
    return;
  self->reserved = reserved;
  gtk_widget_set_opacity (GTK_WIDGET (self), reserved ? 0.0 : 1.0);
  gtk_widget_set_sensitive (GTK_WIDGET (self), !reserved);
  gtk_widget_set_can_target (GTK_WIDGET (self), !reserved);
  gtk_accessible_update_state (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_STATE_HIDDEN, reserved, -1);
  if (reserved)
    gtk_widget_add_css_class (GTK_WIDGET (self), "kiosk-reserved");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self), "kiosk-reserved");
}

/**
 * kiosk_field_row_get_shown:
 *
 * Returns: whether the field is on the page to be answered: visible and
 *   not only keeping its space
 */
gboolean
kiosk_field_row_get_shown (KioskFieldRow *self)
{
  g_return_val_if_fail (KIOSK_IS_FIELD_ROW (self), FALSE);
  return gtk_widget_get_visible (GTK_WIDGET (self)) && !self->reserved;
}

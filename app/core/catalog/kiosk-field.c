/* kiosk-field.c
 *
 * SPDX-FileCopyrightText: 2026 Stadtkiosk contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "kiosk-catalog"

#include "config.h"

#include "kiosk-field.h"

#include "kiosk-i18n-private.h"

#include "kiosk-catalog-private.h"

G_DEFINE_FINAL_TYPE (KioskField, kiosk_field, G_TYPE_OBJECT)

static const char * const type_names[] = {
  [KIOSK_FIELD_TEXT] = "text",
  [KIOSK_FIELD_TEXTAREA] = "textarea",
  [KIOSK_FIELD_NUMBER] = "number",
  [KIOSK_FIELD_DATE] = "date",
  [KIOSK_FIELD_CHOICE] = "choice",
  [KIOSK_FIELD_MULTICHOICE] = "multichoice",
  [KIOSK_FIELD_BOOLEAN] = "boolean",
  [KIOSK_FIELD_CONSENT] = "consent",
  [KIOSK_FIELD_ADDRESS] = "address",
  [KIOSK_FIELD_EMAIL] = "email",
  [KIOSK_FIELD_PHONE] = "phone",
  [KIOSK_FIELD_INFO] = "info",
};

void
_kiosk_option_free (KioskOption *option)
{
  if (option == NULL)
    return;
  g_free (option->value);
  g_clear_pointer (&option->label, g_free);
  g_free (option);
}

void
_kiosk_condition_free (KioskCondition *condition)
{
  if (condition == NULL)
    return;
  g_free (condition->field);
  g_clear_pointer (&condition->value, json_node_unref);
  g_clear_pointer (&condition->children, g_ptr_array_unref);
  g_free (condition);
}

static void
kiosk_field_finalize (GObject *object)
{
  KioskField *self = (KioskField *)object;

  g_free (self->id);
  g_clear_pointer (&self->label, g_free);
  g_clear_pointer (&self->help, g_free);
  g_clear_pointer (&self->text, g_free);
  g_clear_pointer (&self->required_message, g_free);
  g_clear_pointer (&self->pattern_message, g_free);
  g_clear_pointer (&self->default_value, json_node_unref);
  g_clear_pointer (&self->options, g_ptr_array_unref);
  g_free (self->min_date);
  g_free (self->max_date);
  g_free (self->pattern_source);
  g_clear_pointer (&self->pattern, g_regex_unref);
  g_clear_pointer (&self->visible_if, _kiosk_condition_free);

  G_OBJECT_CLASS (kiosk_field_parent_class)->finalize (object);
}

static void
kiosk_field_class_init (KioskFieldClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = kiosk_field_finalize;
}

static void
kiosk_field_init (KioskField *self)
{
  self->options = g_ptr_array_new_with_free_func ((GDestroyNotify) _kiosk_option_free);
}

KioskField *
_kiosk_field_new (void)
{
  return g_object_new (KIOSK_TYPE_FIELD, NULL);
}

const char *
kiosk_field_type_to_string (KioskFieldType type)
{
  g_return_val_if_fail (type < G_N_ELEMENTS (type_names), NULL);
  return type_names[type];
}

gboolean
kiosk_field_type_from_string (const char     *name,
                              KioskFieldType *out_type)
{
  for (guint i = 0; i < G_N_ELEMENTS (type_names); i++)
    {
      if (g_strcmp0 (name, type_names[i]) == 0)
        {
          *out_type = i;
          return TRUE;
        }
    }
  return FALSE;
}

const char *
kiosk_field_get_id (KioskField *self)
{
  g_return_val_if_fail (KIOSK_IS_FIELD (self), NULL);
  return self->id;
}

KioskFieldType
kiosk_field_get_field_type (KioskField *self)
{
  g_return_val_if_fail (KIOSK_IS_FIELD (self), KIOSK_FIELD_TEXT);
  return self->type;
}

/**
 * kiosk_field_get_step:
 *
 * Returns: the index of the step the field is on
 */
guint
kiosk_field_get_step (KioskField *self)
{
  g_return_val_if_fail (KIOSK_IS_FIELD (self), 0);
  return self->step;
}

/**
 * kiosk_field_get_label:
 * @locale: (nullable): e.g. "en" or "uk_UA.UTF-8"
 *
 * Returns: (nullable): the label in @locale, else German, else English
 */
const char *
kiosk_field_get_label (KioskField *self,
                       const char *locale)
{
  g_return_val_if_fail (KIOSK_IS_FIELD (self), NULL);
  return _kiosk_text_lookup (self->label, locale);
}

const char *
kiosk_field_get_help (KioskField *self,
                      const char *locale)
{
  g_return_val_if_fail (KIOSK_IS_FIELD (self), NULL);
  return _kiosk_text_lookup (self->help, locale);
}

/**
 * kiosk_field_get_text:
 *
 * Returns: (nullable): the text an info field shows
 */
const char *
kiosk_field_get_text (KioskField *self,
                      const char *locale)
{
  g_return_val_if_fail (KIOSK_IS_FIELD (self), NULL);
  return _kiosk_text_lookup (self->text, locale);
}

gboolean
kiosk_field_get_required (KioskField *self)
{
  g_return_val_if_fail (KIOSK_IS_FIELD (self), FALSE);
  return self->required;
}

gboolean
kiosk_field_get_personal (KioskField *self)
{
  g_return_val_if_fail (KIOSK_IS_FIELD (self), FALSE);
  return self->personal;
}

/**
 * kiosk_field_get_default:
 *
 * Returns: (nullable) (transfer none): the default as written in the
 *   catalogue; a date default is a date spec such as "today" or "+2d"
 */
JsonNode *
kiosk_field_get_default (KioskField *self)
{
  g_return_val_if_fail (KIOSK_IS_FIELD (self), NULL);
  return self->default_value;
}

KioskInputPurpose
kiosk_field_get_input_purpose (KioskField *self)
{
  g_return_val_if_fail (KIOSK_IS_FIELD (self), KIOSK_INPUT_PURPOSE_FREE);
  return self->purpose;
}

/**
 * kiosk_field_get_max_length:
 *
 * Returns: the maximum number of characters, 0 for no limit
 */
guint
kiosk_field_get_max_length (KioskField *self)
{
  g_return_val_if_fail (KIOSK_IS_FIELD (self), 0);
  return self->max_length;
}

gboolean
kiosk_field_get_min (KioskField *self,
                     double     *out_min)
{
  g_return_val_if_fail (KIOSK_IS_FIELD (self), FALSE);
  if (out_min != NULL)
    *out_min = self->min;
  return self->has_min;
}

gboolean
kiosk_field_get_max (KioskField *self,
                     double     *out_max)
{
  g_return_val_if_fail (KIOSK_IS_FIELD (self), FALSE);
  if (out_max != NULL)
    *out_max = self->max;
  return self->has_max;
}

gboolean
kiosk_field_get_integer (KioskField *self)
{
  g_return_val_if_fail (KIOSK_IS_FIELD (self), FALSE);
  return self->integer;
}

/**
 * kiosk_field_get_min_date:
 *
 * Returns: (nullable): the earliest date as a spec ("today", "+2d",
 *   "2027-01-31"); see docs/catalog.md
 */
const char *
kiosk_field_get_min_date (KioskField *self)
{
  g_return_val_if_fail (KIOSK_IS_FIELD (self), NULL);
  return self->min_date;
}

const char *
kiosk_field_get_max_date (KioskField *self)
{
  g_return_val_if_fail (KIOSK_IS_FIELD (self), NULL);
  return self->max_date;
}

const char *
kiosk_field_get_pattern (KioskField *self)
{
  g_return_val_if_fail (KIOSK_IS_FIELD (self), NULL);
  return self->pattern_source;
}

guint
kiosk_field_get_n_options (KioskField *self)
{
  g_return_val_if_fail (KIOSK_IS_FIELD (self), 0);
  return self->options->len;
}

const char *
kiosk_field_get_option_value (KioskField *self,
                              guint       i)
{
  g_return_val_if_fail (KIOSK_IS_FIELD (self), NULL);
  g_return_val_if_fail (i < self->options->len, NULL);
  return ((KioskOption *) self->options->pdata[i])->value;
}

const char *
kiosk_field_get_option_label (KioskField *self,
                              guint       i,
                              const char *locale)
{
  g_return_val_if_fail (KIOSK_IS_FIELD (self), NULL);
  g_return_val_if_fail (i < self->options->len, NULL);
  return _kiosk_text_lookup (((KioskOption *) self->options->pdata[i])->label, locale);
}

gboolean
kiosk_field_has_condition (KioskField *self)
{
  g_return_val_if_fail (KIOSK_IS_FIELD (self), FALSE);
  return self->visible_if != NULL;
}

/**
 * kiosk_field_is_input:
 *
 * Returns: %FALSE for info fields (text only, no answer)
 */
gboolean
kiosk_field_is_input (KioskField *self)
{
  g_return_val_if_fail (KIOSK_IS_FIELD (self), FALSE);
  return self->type != KIOSK_FIELD_INFO;
}

static const char *
option_label (KioskField *self,
              const char *value,
              const char *locale)
{
  for (guint i = 0; i < self->options->len; i++)
    {
      KioskOption *option = self->options->pdata[i];

      if (g_strcmp0 (option->value, value) == 0)
        return _kiosk_text_lookup (option->label, locale);
    }
  return value;
}

static const char *
member_or_empty (JsonObject *object,
                 const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return "";
  return json_node_get_string (node);
}

/**
 * kiosk_field_format_answer:
 * @value: (nullable): an answer to this field, e.g. from the stored answers
 * @locale: (nullable): the language for option labels
 *
 * The answer as a person reads it, for the summary page and the receipt:
 * option labels instead of values, "Yes"/"No", a date as the translation
 * writes dates, an address on one line, all in @locale's language (or
 * the session's, for %NULL), whatever the process locale is.
 *
 * Returns: (transfer full) (nullable): the text, %NULL for no answer or an
 *   info field
 */
static char *format_answer (KioskField *self,
                            JsonNode   *value,
                            const char *locale);

char *
kiosk_field_format_answer (KioskField *self,
                           JsonNode   *value,
                           const char *locale)
{
  const char *previous;
  char *text;

  g_return_val_if_fail (KIOSK_IS_FIELD (self), NULL);

  previous = kiosk_language_push_thread (locale);
  text = format_answer (self, value, locale);
  kiosk_language_pop_thread (previous);
  return text;
}

static char *
format_answer (KioskField *self,
               JsonNode   *value,
               const char *locale)
{

  if (value == NULL || JSON_NODE_HOLDS_NULL (value) || self->type == KIOSK_FIELD_INFO)
    return NULL;

  switch (self->type)
    {
    case KIOSK_FIELD_CHOICE:
      if (JSON_NODE_HOLDS_VALUE (value) && json_node_get_value_type (value) == G_TYPE_STRING)
        return g_utf8_make_valid (option_label (self, json_node_get_string (value), locale), -1);
      break;

    case KIOSK_FIELD_MULTICHOICE:
      if (JSON_NODE_HOLDS_ARRAY (value))
        {
          JsonArray *array = json_node_get_array (value);
          GString *s = g_string_new (NULL);

          for (guint i = 0; i < json_array_get_length (array); i++)
            {
              JsonNode *item = json_array_get_element (array, i);

              if (!JSON_NODE_HOLDS_VALUE (item) || json_node_get_value_type (item) != G_TYPE_STRING)
                continue;
              if (s->len > 0)
                g_string_append (s, ", ");
              g_string_append (s, option_label (self, json_node_get_string (item), locale));
            }
          {
            g_autofree char *raw = g_string_free (s, FALSE);

            return g_utf8_make_valid (raw, -1);
          }
        }
      break;

    case KIOSK_FIELD_BOOLEAN:
    case KIOSK_FIELD_CONSENT:
      if (JSON_NODE_HOLDS_VALUE (value) && json_node_get_value_type (value) == G_TYPE_BOOLEAN)
        {
          if (self->type == KIOSK_FIELD_CONSENT)
            return g_strdup (json_node_get_boolean (value) ? C_("answer", "Agreed") : C_("answer", "Not agreed"));
          return g_strdup (json_node_get_boolean (value) ? C_("answer", "Yes") : C_("answer", "No"));
        }
      break;

    case KIOSK_FIELD_DATE:
      {
        GDate date;
        char buf[64];

        if (JSON_NODE_HOLDS_VALUE (value) && json_node_get_value_type (value) == G_TYPE_STRING &&
            _kiosk_date_parse (json_node_get_string (value), &date) &&
            g_date_strftime (buf, sizeof buf, C_("date format", "%d/%m/%Y"), &date) > 0)
          return g_strdup (buf);
      }
      break;

    case KIOSK_FIELD_ADDRESS:
      if (JSON_NODE_HOLDS_OBJECT (value))
        {
          JsonObject *o = json_node_get_object (value);

          g_autofree char *raw = NULL;

          /* TRANSLATORS: an address on one line: street, house number, postal code, town */
          raw = g_strdup_printf (C_("address", "%s %s, %s %s"),
                                 member_or_empty (o, "street"), member_or_empty (o, "house_number"),
                                 member_or_empty (o, "postal_code"), member_or_empty (o, "city"));
          return g_utf8_make_valid (raw, -1);
        }
      break;

    case KIOSK_FIELD_NUMBER:
      if (JSON_NODE_HOLDS_VALUE (value) && json_node_get_value_type (value) == G_TYPE_INT64)
        return g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (value));
      if (JSON_NODE_HOLDS_VALUE (value) && json_node_get_value_type (value) == G_TYPE_DOUBLE)
        return kiosk_language_format_number (NULL, json_node_get_double (value));
      break;

    case KIOSK_FIELD_TEXT:
    case KIOSK_FIELD_TEXTAREA:
    case KIOSK_FIELD_EMAIL:
    case KIOSK_FIELD_PHONE:
    case KIOSK_FIELD_INFO:
    default:
      if (JSON_NODE_HOLDS_VALUE (value) && json_node_get_value_type (value) == G_TYPE_STRING)
        return g_utf8_make_valid (json_node_get_string (value), -1);
      break;
    }

  /* An answer of the wrong shape (an old request, a changed catalogue):
   * show it as JSON rather than nothing. */
  {
    g_autofree char *raw = json_to_string (value, FALSE);

    return g_utf8_make_valid (raw, -1);
  }
}

/* kiosk-field.c
 *
 * SPDX-FileCopyrightText: 2026 Stadtkiosk contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "kiosk-field"

#include "config.h"

#include "kiosk-field.h"

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
  g_clear_pointer (&option->label, g_hash_table_unref);
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
  g_clear_pointer (&self->label, g_hash_table_unref);
  g_clear_pointer (&self->help, g_hash_table_unref);
  g_clear_pointer (&self->text, g_hash_table_unref);
  g_clear_pointer (&self->required_message, g_hash_table_unref);
  g_clear_pointer (&self->pattern_message, g_hash_table_unref);
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

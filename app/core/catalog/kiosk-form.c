/* kiosk-form.c: the answers to one service, with validation
 *
 * SPDX-FileCopyrightText: 2026 Stadtkiosk contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "kiosk-catalog"

#include "config.h"

#include "kiosk-form.h"

#include "kiosk-i18n-private.h"
#include <math.h>
#include <string.h>

#include "kiosk-catalog-private.h"
#include "kiosk-json-private.h"

typedef struct
{
  guint first;
  guint last;
} PostalRange;

struct _KioskForm
{
  GObject       parent_instance;

  KioskService *service;
  KioskClock   *clock;
  GArray       *postal_ranges;   /* PostalRange; empty: any five-digit code */
  char         *city;            /* [kiosk] city: named in messages, NULL if not set */
  GHashTable   *values;          /* field id (borrowed from the field) -> JsonNode* */
  guint         current_step;
};

enum {
  CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (KioskForm, kiosk_form, G_TYPE_OBJECT)

G_DEFINE_QUARK (kiosk-form-error-quark, kiosk_form_error)

void
kiosk_field_error_free (KioskFieldError *error)
{
  if (error == NULL)
    return;
  g_free (error->field_id);
  g_free (error->message);
  g_free (error);
}

static gboolean
has_answer (JsonNode *value)
{
  if (value == NULL || JSON_NODE_HOLDS_NULL (value))
    return FALSE;
  if (JSON_NODE_HOLDS_ARRAY (value))
    return json_array_get_length (json_node_get_array (value)) > 0;
  if (JSON_NODE_HOLDS_OBJECT (value))
    {
      JsonObjectIter iter;
      JsonNode *member;

      json_object_iter_init (&iter, json_node_get_object (value));
      while (json_object_iter_next (&iter, NULL, &member))
        if (has_answer (member))
          return TRUE;
      return FALSE;
    }
  if (json_node_get_value_type (value) == G_TYPE_STRING)
    {
      for (const char *p = json_node_get_string (value); *p; p++)
        if (!g_ascii_isspace (*p))
          return TRUE;
      return FALSE;
    }
  return TRUE;
}

static gboolean
is_type (JsonNode *node,
         GType     type)
{
  return node != NULL && JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == type;
}

/* A string that is UTF-8: json-glib 1.6 lets escapes such as "\\345"
 * through, which are not JSON and make bytes that are not text. */
static gboolean
is_text (JsonNode *node)
{
  return is_type (node, G_TYPE_STRING) && g_utf8_validate (json_node_get_string (node), -1, NULL);
}

static gboolean
is_number (JsonNode *node)
{
  return is_type (node, G_TYPE_INT64) || is_type (node, G_TYPE_DOUBLE);
}

static gboolean
scalar_equal (JsonNode *a,
              JsonNode *b)
{
  if (is_number (a) && is_number (b))
    return json_node_get_double (a) == json_node_get_double (b);
  if (!JSON_NODE_HOLDS_VALUE (a) || !JSON_NODE_HOLDS_VALUE (b) ||
      json_node_get_value_type (a) != json_node_get_value_type (b))
    return FALSE;
  if (json_node_get_value_type (a) == G_TYPE_STRING)
    return g_strcmp0 (json_node_get_string (a), json_node_get_string (b)) == 0;
  if (json_node_get_value_type (a) == G_TYPE_BOOLEAN)
    return json_node_get_boolean (a) == json_node_get_boolean (b);
  return FALSE;
}

/* For a multichoice answer: does it contain @wanted?  Otherwise: is it @wanted? */
static gboolean
answer_matches (JsonNode *answer,
                JsonNode *wanted)
{
  if (JSON_NODE_HOLDS_ARRAY (answer))
    {
      JsonArray *array = json_node_get_array (answer);

      for (guint i = 0; i < json_array_get_length (array); i++)
        if (scalar_equal (json_array_get_element (array, i), wanted))
          return TRUE;
      return FALSE;
    }
  return scalar_equal (answer, wanted);
}

static gboolean field_visible (KioskForm  *self,
                               KioskField *field);

/* The answer a condition sees: none if the field is itself hidden. */
static JsonNode *
effective_answer (KioskForm  *self,
                  const char *field_id)
{
  KioskField *field = kiosk_service_lookup_field (self->service, field_id);
  JsonNode *value;

  if (field == NULL || !field_visible (self, field))
    return NULL;
  value = g_hash_table_lookup (self->values, field_id);
  return has_answer (value) ? value : NULL;
}

static gboolean
condition_holds (KioskForm      *self,
                 KioskCondition *cond)
{
  JsonNode *answer;

  switch (cond->kind)
    {
    case KIOSK_CONDITION_ALL:
      for (guint i = 0; i < cond->children->len; i++)
        if (!condition_holds (self, cond->children->pdata[i]))
          return FALSE;
      return TRUE;
    case KIOSK_CONDITION_ANY:
      for (guint i = 0; i < cond->children->len; i++)
        if (condition_holds (self, cond->children->pdata[i]))
          return TRUE;
      return FALSE;
    case KIOSK_CONDITION_IS_SET:
      return (effective_answer (self, cond->field) != NULL) == cond->is_set;
    case KIOSK_CONDITION_EQUALS:
      answer = effective_answer (self, cond->field);
      return answer != NULL && answer_matches (answer, cond->value);
    case KIOSK_CONDITION_NOT_EQUALS:
      answer = effective_answer (self, cond->field);
      return answer == NULL || !answer_matches (answer, cond->value);
    case KIOSK_CONDITION_IN:
      answer = effective_answer (self, cond->field);
      if (answer == NULL)
        return FALSE;
      for (guint i = 0; i < json_array_get_length (json_node_get_array (cond->value)); i++)
        if (answer_matches (answer, json_array_get_element (json_node_get_array (cond->value), i)))
          return TRUE;
      return FALSE;
    default:
      g_assert_not_reached ();
    }
}

/* Conditions only refer to earlier fields (the loader enforces it), so
 * this recursion ends. */
static gboolean
field_visible (KioskForm  *self,
               KioskField *field)
{
  return field->visible_if == NULL || condition_holds (self, field->visible_if);
}

static void
today (KioskForm *self,
       GDate     *out_date)
{
  g_autoptr(GDateTime) now = kiosk_clock_dup_now_local (self->clock);

  g_date_clear (out_date, 1);
  g_date_set_dmy (out_date, g_date_time_get_day_of_month (now),
                  g_date_time_get_month (now), g_date_time_get_year (now));
}

/* The value the catalogue gives @field before anyone answers, or %NULL. */
static JsonNode *
default_value (KioskForm  *self,
               KioskField *field)
{
  if (field->default_value == NULL || field->id == NULL)
    return NULL;
  if (field->type == KIOSK_FIELD_DATE)
    {
      GDate now, date;
      char text[16];

      today (self, &now);
      if (!_kiosk_date_spec_resolve (json_node_get_string (field->default_value), &now, &date))
        return NULL;
      g_snprintf (text, sizeof text, "%04u-%02u-%02u", g_date_get_year (&date),
                  g_date_get_month (&date), g_date_get_day (&date));
      return json_node_init_string (json_node_alloc (), text);
    }
  return json_node_copy (field->default_value);
}

static void
apply_defaults (KioskForm *self)
{
  GPtrArray *fields = kiosk_service_get_fields (self->service);

  for (guint i = 0; i < fields->len; i++)
    {
      KioskField *field = fields->pdata[i];
      JsonNode *value = default_value (self, field);

      if (value != NULL)
        g_hash_table_insert (self->values, field->id, value);
    }
}

/* Nothing in it a person typed or chose: null, "", [], or an object of
 * such (an address whose parts are all empty). */
static gboolean
node_is_blank (JsonNode *node)
{
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  if (JSON_NODE_HOLDS_VALUE (node))
    {
      if (json_node_get_value_type (node) != G_TYPE_STRING)
        return FALSE;
      for (const char *p = json_node_get_string (node); *p != '\0'; p = g_utf8_next_char (p))
        if (!g_unichar_isspace (g_utf8_get_char (p)))
          return FALSE;
      return TRUE;
    }
  if (JSON_NODE_HOLDS_ARRAY (node))
    return json_array_get_length (json_node_get_array (node)) == 0;
  if (JSON_NODE_HOLDS_OBJECT (node))
    {
      JsonObjectIter iter;
      const char *name;
      JsonNode *member;

      json_object_iter_init (&iter, json_node_get_object (node));
      while (json_object_iter_next (&iter, &name, &member))
        if (!node_is_blank (member))
          return FALSE;
      return TRUE;
    }
  return FALSE;
}

static char *
format_number (double value)
{
  return kiosk_language_format_number (NULL, value);
}

static char *
format_date (const GDate *date)
{
  char buf[64];

  /* TRANSLATORS: how a date is shown in validation messages (strftime) */
  if (g_date_strftime (buf, sizeof buf, C_("date format", "%d/%m/%Y"), date) == 0)
    return g_strdup ("?");
  return g_strdup (buf);
}

static char *
format_postal_ranges (KioskForm *self)
{
  GString *s = g_string_new (NULL);

  for (guint i = 0; i < self->postal_ranges->len; i++)
    {
      PostalRange *r = &g_array_index (self->postal_ranges, PostalRange, i);

      if (s->len > 0)
        g_string_append (s, ", ");
      if (r->first == r->last)
        g_string_append_printf (s, "%05u", r->first);
      else
        g_string_append_printf (s, "%05u–%05u", r->first, r->last);
    }
  return g_string_free (s, FALSE);
}

static gboolean
option_exists (KioskField *field,
               JsonNode   *value)
{
  if (!is_type (value, G_TYPE_STRING))
    return FALSE;
  for (guint i = 0; i < field->options->len; i++)
    if (g_str_equal (((KioskOption *) field->options->pdata[i])->value, json_node_get_string (value)))
      return TRUE;
  return FALSE;
}

static char *
required_message (KioskField *field,
                  const char *locale)
{
  const char *custom = _kiosk_text_lookup (field->required_message, locale);
  const char *label = _kiosk_text_lookup (field->label, locale);

  if (custom != NULL)
    return g_strdup (custom);
  /* Each message names the question and says what to do: the error
   * summary lists them together, where "fill in this field" three times
   * would help nobody. */
  if (label == NULL)
    label = field->id;
  switch (field->type)
    {
    case KIOSK_FIELD_CHOICE:
      /* TRANSLATORS: %s is the question, e.g. "Kind of problem" */
      return g_strdup_printf (_("Choose an answer for “%s”."), label);
    case KIOSK_FIELD_MULTICHOICE:
      /* TRANSLATORS: %s is the question */
      return g_strdup_printf (_("Choose at least one answer for “%s”."), label);
    case KIOSK_FIELD_CONSENT:
      return g_strdup (_("Tap the box to agree. Without your agreement the request cannot be sent."));
    case KIOSK_FIELD_BOOLEAN:
      /* TRANSLATORS: %s is the question */
      return g_strdup_printf (_("Answer “%s” with Yes or No."), label);
    case KIOSK_FIELD_ADDRESS:
      return g_strdup (_("Enter the address: street, house number, postal code and town."));
    case KIOSK_FIELD_DATE:
      /* TRANSLATORS: %s is the question, e.g. "Date of birth" */
      return g_strdup_printf (_("Enter the day, month and year for “%s”."), label);
    case KIOSK_FIELD_NUMBER:
      /* TRANSLATORS: %s is the question */
      return g_strdup_printf (_("Enter a number for “%s”."), label);
    case KIOSK_FIELD_TEXT:
    case KIOSK_FIELD_TEXTAREA:
    case KIOSK_FIELD_EMAIL:
    case KIOSK_FIELD_PHONE:
    case KIOSK_FIELD_INFO:
    default:
      /* TRANSLATORS: %s is the question, e.g. "Your name" */
      return g_strdup_printf (_("Fill in “%s”."), label);
    }
}

static char *
validate_text (KioskField *field,
               JsonNode   *value,
               const char *locale)
{
  const char *text;
  glong len;

  if (!is_text (value))
    return g_strdup (_("Please enter text."));
  text = json_node_get_string (value);
  len = g_utf8_strlen (text, -1);
  if (field->max_length > 0 && len > (glong) field->max_length)
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                         "Please enter at most %u character.",
                                         "Please enter at most %u characters.",
                                         field->max_length),
                            field->max_length);
  if (field->type == KIOSK_FIELD_TEXT && strchr (text, '\n') != NULL)
    return g_strdup (_("Please enter a single line."));
  if (field->pattern != NULL && !g_regex_match (field->pattern, text, 0, NULL))
    {
      const char *custom = _kiosk_text_lookup (field->pattern_message, locale);

      return g_strdup (custom != NULL ? custom : _("Please check the format of your entry."));
    }
  if (field->type == KIOSK_FIELD_EMAIL)
    {
      const char *at = strchr (text, '@');

      if (at == NULL || at == text || strchr (at + 1, '@') != NULL || strchr (at + 1, '.') == NULL ||
          at[1] == '.' || text[strlen (text) - 1] == '.' || strpbrk (text, " \t\n,;<>") != NULL)
        return g_strdup (_("Please enter a valid e-mail address, e.g. name@example.de."));
    }
  if (field->type == KIOSK_FIELD_PHONE)
    {
      guint digits = 0;

      for (const char *p = text; *p; p++)
        {
          if (g_ascii_isdigit (*p))
            digits++;
          else if (strchr ("+ ()/-", *p) == NULL || (*p == '+' && p != text))
            return g_strdup (_("Please enter a phone number using digits, e.g. 05121 301-0."));
        }
      if (digits < 5 || digits > 20)
        return g_strdup (_("Please enter a phone number using digits, e.g. 05121 301-0."));
    }
  return NULL;
}

/* What to type for a missing or malformed postal code: in the city, with
 * its first code as the example (issue #16). */
static char *
postal_code_message (KioskForm *self)
{
  g_autofree char *example = NULL;

  if (self->postal_ranges->len > 0)
    example = g_strdup_printf ("%05u", g_array_index (self->postal_ranges, PostalRange, 0).first);
  if (self->city != NULL && example != NULL)
    /* TRANSLATORS: %1$s the city, %2$s a postal code there; "Geben Sie eine Postleitzahl in Hildesheim ein, zum Beispiel 31134." */
    return g_strdup_printf (_("Enter a postal code in %1$s, for example %2$s."), self->city, example);
  if (example != NULL)
    /* TRANSLATORS: %s is a postal code, e.g. 31134 */
    return g_strdup_printf (_("Enter a postal code with five digits, for example %s."), example);
  return g_strdup (_("Please enter a postal code with five digits."));
}

static char *
validate_address (KioskForm   *self,
                  JsonNode    *value,
                  const char **out_part)
{
  static const char * const parts[] = { "street", "house_number", "postal_code", "city", NULL };
  JsonObject *object;
  JsonObjectIter iter;
  const char *name;
  JsonNode *member;
  const char *code;
  guint64 number;

  /* The part to correct; the whole address until one can be named. */
  *out_part = NULL;

  if (!JSON_NODE_HOLDS_OBJECT (value))
    return g_strdup (_("Please enter the address."));
  object = json_node_get_object (value);
  json_object_iter_init (&iter, object);
  while (json_object_iter_next (&iter, &name, &member))
    if (!g_strv_contains (parts, name) || !is_text (member))
      return g_strdup (_("Please enter the address as street, house number, postal code and town."));

  *out_part = "street";
  if (!has_answer (json_object_get_member (object, "street")))
    return g_strdup (_("Enter the name of the street, without the house number."));
  *out_part = "house_number";
  if (!has_answer (json_object_get_member (object, "house_number")))
    return g_strdup (_("Enter the house number, for example 12 or 12a."));
  *out_part = "postal_code";
  code = has_answer (json_object_get_member (object, "postal_code"))
         ? json_object_get_string_member (object, "postal_code") : "";
  if (strlen (code) != 5 || strspn (code, "0123456789") != 5)
    return postal_code_message (self);
  number = g_ascii_strtoull (code, NULL, 10);
  if (self->postal_ranges->len > 0)
    {
      gboolean ok = FALSE;

      for (guint i = 0; !ok && i < self->postal_ranges->len; i++)
        {
          PostalRange *r = &g_array_index (self->postal_ranges, PostalRange, i);

          ok = number >= r->first && number <= r->last;
        }
      if (!ok)
        {
          g_autofree char *list = format_postal_ranges (self);

          if (self->city != NULL)
            /* TRANSLATORS: %1$s the city, %2$s its postal codes, e.g. "31134–31141" */
            return g_strdup_printf (_("This postal code is not in %1$s. Enter a postal code of %1$s: %2$s."),
                                    self->city, list);
          return g_strdup_printf (_("This postal code is outside the city. Possible postal codes: %s."), list);
        }
    }
  *out_part = "city";
  if (!has_answer (json_object_get_member (object, "city")))
    {
      if (self->city != NULL)
        /* TRANSLATORS: %s is the city, e.g. "Hildesheim" */
        return g_strdup_printf (_("Enter the town, for example %s."), self->city);
      return g_strdup (_("Please enter the town."));
    }
  *out_part = NULL;
  return NULL;
}

/* A date as the kiosk's three boxes send it, "YYYY-MM-DD" with parts that
 * may be missing or wrong ("2026--31", "80-2-31"): what is wrong, and with
 * @out_part which box ("day", "month", "year").  Anything else that is not
 * an ISO date gets a message with an example in the session's format. */
static char *
validate_date_text (KioskForm   *self,
                    const char  *text,
                    const char **out_part)
{
  g_auto(GStrv) parts = g_strsplit (text, "-", -1);
  const char *y, *m, *d;
  guint64 year, month, day;
  guint days;

  *out_part = NULL;
  if (g_strv_length (parts) != 3)
    {
      GDate now;
      g_autofree char *example = NULL;

      today (self, &now);
      example = format_date (&now);
      /* TRANSLATORS: %s is today's date as an example */
      return g_strdup_printf (_("Enter the date as day, month and year, for example %s."), example);
    }
  y = g_strstrip (parts[0]);
  m = g_strstrip (parts[1]);
  d = g_strstrip (parts[2]);

  *out_part = "day";
  if (*d == '\0' || strspn (d, "0123456789") != strlen (d) || strlen (d) > 2 ||
      (day = g_ascii_strtoull (d, NULL, 10)) < 1 || day > 31)
    return g_strdup (_("Enter the day as a number from 1 to 31."));
  *out_part = "month";
  if (*m == '\0' || strspn (m, "0123456789") != strlen (m) || strlen (m) > 2 ||
      (month = g_ascii_strtoull (m, NULL, 10)) < 1 || month > 12)
    return g_strdup (_("Enter the month as a number from 1 to 12, for example 3 for March."));
  *out_part = "year";
  if (strlen (y) != 4 || strspn (y, "0123456789") != 4 ||
      (year = g_ascii_strtoull (y, NULL, 10)) < 1000)
    {
      GDate now;

      today (self, &now);
      /* TRANSLATORS: %u is this year, as an example */
      return g_strdup_printf (_("Enter the year with four digits, for example %u."),
                              (guint) g_date_get_year (&now));
    }
  days = g_date_get_days_in_month ((GDateMonth) month, (GDateYear) year);
  if (day > days)
    {
      *out_part = "day";
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                           "This month has only %u day. Check the day and the month.",
                                           "This month has only %u days. Check the day and the month.",
                                           days),
                              days);
    }
  *out_part = NULL;
  return NULL;
}

static char *validate_answer_in (KioskForm  *self,
                                 KioskField *field,
                                 const char *locale);

/* The built-in messages follow @locale, whatever the process's is. */
static char *
validate_answer (KioskForm  *self,
                 KioskField *field,
                 const char *locale)
{
  const char *previous = kiosk_language_push_thread (locale);
  char *message = validate_answer_in (self, field, locale);

  kiosk_language_pop_thread (previous);
  return message;
}

static char *
validate_answer_in (KioskForm  *self,
                    KioskField *field,
                    const char *locale)
{
  JsonNode *value = g_hash_table_lookup (self->values, field->id);

  if (field->type == KIOSK_FIELD_INFO || !field_visible (self, field))
    return NULL;

  if (!has_answer (value))
    return field->required || field->type == KIOSK_FIELD_CONSENT ? required_message (field, locale) : NULL;

  switch (field->type)
    {
    case KIOSK_FIELD_TEXT:
    case KIOSK_FIELD_TEXTAREA:
    case KIOSK_FIELD_EMAIL:
    case KIOSK_FIELD_PHONE:
      return validate_text (field, value, locale);

    case KIOSK_FIELD_NUMBER:
      {
        double v;

        if (!is_number (value))
          return g_strdup (_("Please enter a number."));
        v = json_node_get_double (value);
        if (field->integer && is_type (value, G_TYPE_DOUBLE) && (!isfinite (v) || v != floor (v)))
          return g_strdup (_("Please enter a whole number."));
        if ((field->has_min && v < field->min) || (field->has_max && v > field->max))
          {
            g_autofree char *min = format_number (field->min);
            g_autofree char *max = format_number (field->max);

            if (field->has_min && field->has_max)
              return g_strdup_printf (_("Please enter a number from %s to %s."), min, max);
            else if (field->has_min)
              return g_strdup_printf (_("Please enter a number of at least %s."), min);
            else
              return g_strdup_printf (_("Please enter a number of at most %s."), max);
          }
        return NULL;
      }

    case KIOSK_FIELD_DATE:
      {
        GDate date, now, limit;

        if (!is_type (value, G_TYPE_STRING))
          return g_strdup (_("Please enter a valid date."));
        if (!_kiosk_date_parse (json_node_get_string (value), &date))
          {
            const char *part;
            char *message = validate_date_text (self, json_node_get_string (value), &part);

            /* "2026-12-7" is a date but not the stored form: the kiosk's
             * boxes always send "2026-12-07". */
            return message != NULL ? message : validate_date_text (self, "", &part);
          }
        today (self, &now);
        if (field->min_date != NULL && _kiosk_date_spec_resolve (field->min_date, &now, &limit) &&
            g_date_compare (&date, &limit) < 0)
          {
            g_autofree char *text = format_date (&limit);

            return g_strdup_printf (_("Please choose a date on or after %s."), text);
          }
        if (field->max_date != NULL && _kiosk_date_spec_resolve (field->max_date, &now, &limit) &&
            g_date_compare (&date, &limit) > 0)
          {
            g_autofree char *text = format_date (&limit);

            return g_strdup_printf (_("Please choose a date on or before %s."), text);
          }
        return NULL;
      }

    case KIOSK_FIELD_CHOICE:
      return option_exists (field, value) ? NULL : g_strdup (_("Please choose one of the offered options."));

    case KIOSK_FIELD_MULTICHOICE:
      {
        JsonArray *array;

        if (!JSON_NODE_HOLDS_ARRAY (value))
          return g_strdup (_("Please choose one of the offered options."));
        array = json_node_get_array (value);
        for (guint i = 0; i < json_array_get_length (array); i++)
          {
            if (!option_exists (field, json_array_get_element (array, i)))
              return g_strdup (_("Please choose one of the offered options."));
            for (guint j = 0; j < i; j++)
              if (scalar_equal (json_array_get_element (array, i), json_array_get_element (array, j)))
                return g_strdup (_("Please choose each option only once."));
          }
        return NULL;
      }

    case KIOSK_FIELD_BOOLEAN:
      return is_type (value, G_TYPE_BOOLEAN) ? NULL : g_strdup (_("Please answer yes or no."));

    case KIOSK_FIELD_CONSENT:
      if (is_type (value, G_TYPE_BOOLEAN) && json_node_get_boolean (value))
        return NULL;
      return required_message (field, locale);

    case KIOSK_FIELD_ADDRESS:
      {
        const char *part;

        return validate_address (self, value, &part);
      }

    case KIOSK_FIELD_INFO:
    default:
      return NULL;
    }
}

static gint
compare_ranges (gconstpointer a,
                gconstpointer b)
{
  const PostalRange *ra = a;
  const PostalRange *rb = b;

  return ra->first < rb->first ? -1 : ra->first > rb->first;
}

static void
kiosk_form_finalize (GObject *object)
{
  KioskForm *self = (KioskForm *)object;

  g_clear_pointer (&self->values, g_hash_table_unref);
  g_clear_pointer (&self->postal_ranges, g_array_unref);
  g_clear_pointer (&self->city, g_free);
  g_clear_object (&self->clock);
  g_clear_object (&self->service);

  G_OBJECT_CLASS (kiosk_form_parent_class)->finalize (object);
}

static void
kiosk_form_class_init (KioskFormClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = kiosk_form_finalize;

  /**
   * KioskForm::changed:
   * @field_id: (nullable): the field whose answer changed, %NULL after kiosk_form_clear()
   *
   * An answer changed; which fields are visible may have changed with it.
   */
  signals[CHANGED] =
    g_signal_new ("changed",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_STRING);
}

static void
kiosk_form_init (KioskForm *self)
{
  self->values = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, (GDestroyNotify) json_node_unref);
  self->postal_ranges = g_array_new (FALSE, FALSE, sizeof (PostalRange));
}

/**
 * kiosk_form_new:
 * @service: the service to answer
 * @postal_codes: (nullable) (array zero-terminated=1): the allowed postal
 *   codes, each "31134" or a range "31134-31141" (KioskConfig's
 *   [catalog] postal-codes); %NULL allows any five-digit code
 * @clock: (nullable): for "today" in date rules; %NULL for the system clock
 *
 * Returns: (transfer full): a form with the catalogue's defaults filled in
 */
KioskForm *
kiosk_form_new (KioskService       *service,
                const char * const *postal_codes,
                KioskClock         *clock)
{
  KioskForm *self;

  g_return_val_if_fail (KIOSK_IS_SERVICE (service), NULL);
  g_return_val_if_fail (clock == NULL || KIOSK_IS_CLOCK (clock), NULL);

  self = g_object_new (KIOSK_TYPE_FORM, NULL);
  self->service = g_object_ref (service);
  self->clock = clock != NULL ? g_object_ref (clock) : kiosk_clock_new_system ();

  /* KioskConfig has checked the list; anything else is skipped. */
  for (guint i = 0; postal_codes != NULL && postal_codes[i] != NULL; i++)
    {
      const char *code = postal_codes[i];
      PostalRange r;

      if (strspn (code, "0123456789") != 5 || (code[5] != '\0' && code[5] != '-'))
        continue;
      r.first = r.last = (guint) g_ascii_strtoull (code, NULL, 10);
      if (code[5] == '-')
        {
          if (strspn (code + 6, "0123456789") != 5 || code[11] != '\0')
            continue;
          r.last = (guint) g_ascii_strtoull (code + 6, NULL, 10);
        }
      if (r.first <= r.last)
        g_array_append_val (self->postal_ranges, r);
    }
  /* KioskConfig expands ranges into single codes; merge them back so that
   * messages say "31134–31141". */
  g_array_sort (self->postal_ranges, compare_ranges);
  for (guint i = 1; i < self->postal_ranges->len; i++)
    {
      PostalRange *prev = &g_array_index (self->postal_ranges, PostalRange, i - 1);
      PostalRange *cur = &g_array_index (self->postal_ranges, PostalRange, i);

      if (cur->first <= prev->last + 1)
        {
          prev->last = MAX (prev->last, cur->last);
          g_array_remove_index (self->postal_ranges, i);
          i--;
        }
    }

  apply_defaults (self);
  return self;
}

/**
 * kiosk_form_get_service:
 *
 * Returns: (transfer none): the service
 */
KioskService *
kiosk_form_get_service (KioskForm *self)
{
  g_return_val_if_fail (KIOSK_IS_FORM (self), NULL);
  return self->service;
}

guint
kiosk_form_get_n_steps (KioskForm *self)
{
  g_return_val_if_fail (KIOSK_IS_FORM (self), 0);
  return kiosk_service_get_n_steps (self->service);
}

/**
 * kiosk_form_get_current_step:
 *
 * Returns: the step the citizen is on (0-based), for "step i of n"
 */
guint
kiosk_form_get_current_step (KioskForm *self)
{
  g_return_val_if_fail (KIOSK_IS_FORM (self), 0);
  return self->current_step;
}

void
kiosk_form_set_current_step (KioskForm *self,
                             guint      step)
{
  g_return_if_fail (KIOSK_IS_FORM (self));
  g_return_if_fail (step < kiosk_form_get_n_steps (self));
  self->current_step = step;
}

/**
 * kiosk_form_step_is_visible:
 *
 * Returns: %FALSE when every field of @step is hidden now (skip the step)
 */
gboolean
kiosk_form_step_is_visible (KioskForm *self,
                            guint      step)
{
  GPtrArray *fields;

  g_return_val_if_fail (KIOSK_IS_FORM (self), FALSE);
  g_return_val_if_fail (step < kiosk_form_get_n_steps (self), FALSE);

  fields = kiosk_step_get_fields (kiosk_service_get_step (self->service, step));
  for (guint i = 0; i < fields->len; i++)
    if (field_visible (self, fields->pdata[i]))
      return TRUE;
  return FALSE;
}

/**
 * kiosk_form_set_value:
 * @field_id: an input field of the service
 * @value: (nullable) (transfer none): the answer (copied), %NULL to clear
 *
 * Stores an answer as it is; kiosk_form_validate_field() says whether it is
 * acceptable.  Answers by type: text, textarea, email, phone, date
 * ("YYYY-MM-DD") and choice: a string; number: a number; multichoice: an
 * array of option values; boolean and consent: true/false; address: an
 * object with the strings street, house_number, postal_code, city.
 *
 * Returns: %FALSE if the service has no such input field
 */
gboolean
kiosk_form_set_value (KioskForm  *self,
                      const char *field_id,
                      JsonNode   *value)
{
  KioskField *field;

  g_return_val_if_fail (KIOSK_IS_FORM (self), FALSE);
  g_return_val_if_fail (field_id != NULL, FALSE);

  field = kiosk_service_lookup_field (self->service, field_id);
  if (field == NULL || field->type == KIOSK_FIELD_INFO)
    return FALSE;
  if (value == NULL)
    g_hash_table_remove (self->values, field->id);
  else
    g_hash_table_insert (self->values, field->id, json_node_copy (value));
  g_signal_emit (self, signals[CHANGED], 0, field->id);
  return TRUE;
}

/**
 * kiosk_form_get_value:
 *
 * Returns: (transfer none) (nullable): the stored answer, also for a hidden field
 */
JsonNode *
kiosk_form_get_value (KioskForm  *self,
                      const char *field_id)
{
  g_return_val_if_fail (KIOSK_IS_FORM (self), NULL);
  g_return_val_if_fail (field_id != NULL, NULL);
  return g_hash_table_lookup (self->values, field_id);
}

/**
 * kiosk_form_is_visible:
 *
 * Returns: whether the field's visible_if holds for the current answers
 */
gboolean
kiosk_form_is_visible (KioskForm  *self,
                       const char *field_id)
{
  KioskField *field;

  g_return_val_if_fail (KIOSK_IS_FORM (self), FALSE);
  g_return_val_if_fail (field_id != NULL, FALSE);

  field = kiosk_service_lookup_field (self->service, field_id);
  return field != NULL && field_visible (self, field);
}

/**
 * kiosk_form_validate_field:
 * @locale: (nullable): the language for the catalogue's own messages
 *
 * Built-in messages are translated with gettext into the process's
 * language (the kiosk switches it with the citizen's choice); the
 * catalogue's messages (required_message, pattern_message) are taken in
 * @locale.  Hidden and info fields are always fine.
 *
 * Returns: (transfer full) (nullable): %NULL if the answer is acceptable,
 *   else what to fix
 */
char *
kiosk_form_validate_field (KioskForm  *self,
                           const char *field_id,
                           const char *locale)
{
  KioskField *field;

  g_return_val_if_fail (KIOSK_IS_FORM (self), NULL);
  g_return_val_if_fail (field_id != NULL, NULL);

  field = kiosk_service_lookup_field (self->service, field_id);
  if (field == NULL)
    return NULL;
  return validate_answer (self, field, locale);
}

static gboolean
validate_fields (KioskForm   *self,
                 GPtrArray   *fields,
                 const char  *locale,
                 GPtrArray  **out_errors)
{
  g_autoptr(GPtrArray) errors = g_ptr_array_new_with_free_func ((GDestroyNotify) kiosk_field_error_free);

  for (guint i = 0; i < fields->len; i++)
    {
      KioskField *field = fields->pdata[i];
      char *message = validate_answer (self, field, locale);

      if (message != NULL)
        {
          KioskFieldError *e = g_new0 (KioskFieldError, 1);

          e->field_id = g_strdup (field->id);
          e->message = message;
          g_ptr_array_add (errors, e);
        }
    }
  if (out_errors != NULL)
    *out_errors = g_ptr_array_ref (errors);
  return errors->len == 0;
}

/**
 * kiosk_form_validate_step:
 * @out_errors: (out) (optional) (element-type KioskFieldError): the
 *   problems, in field order
 *
 * Returns: %TRUE if every visible field of @step is acceptable
 */
gboolean
kiosk_form_validate_step (KioskForm   *self,
                          guint        step,
                          const char  *locale,
                          GPtrArray  **out_errors)
{
  g_return_val_if_fail (KIOSK_IS_FORM (self), FALSE);
  g_return_val_if_fail (step < kiosk_form_get_n_steps (self), FALSE);

  return validate_fields (self, kiosk_step_get_fields (kiosk_service_get_step (self->service, step)),
                          locale, out_errors);
}

/**
 * kiosk_form_validate_all:
 * @out_errors: (out) (optional) (element-type KioskFieldError): the problems
 *
 * Returns: %TRUE if every visible field of every step is acceptable
 */
gboolean
kiosk_form_validate_all (KioskForm   *self,
                         const char  *locale,
                         GPtrArray  **out_errors)
{
  g_return_val_if_fail (KIOSK_IS_FORM (self), FALSE);

  return validate_fields (self, kiosk_service_get_fields (self->service), locale, out_errors);
}

/* A copy with object members sorted by name; integral numbers as integers. */
static JsonNode *
canonical_copy (JsonNode *node)
{
  if (JSON_NODE_HOLDS_OBJECT (node))
    {
      JsonObject *in = json_node_get_object (node);
      g_autoptr(JsonObject) out = json_object_new ();
      g_autoptr(GList) names = json_object_get_members (in);

      names = g_list_sort (names, (GCompareFunc) strcmp);
      for (const GList *n = names; n != NULL; n = n->next)
        json_object_set_member (out, n->data, canonical_copy (json_object_get_member (in, n->data)));
      return json_node_init_object (json_node_alloc (), out);
    }
  if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *in = json_node_get_array (node);
      g_autoptr(JsonArray) out = json_array_sized_new (json_array_get_length (in));

      for (guint i = 0; i < json_array_get_length (in); i++)
        json_array_add_element (out, canonical_copy (json_array_get_element (in, i)));
      return json_node_init_array (json_node_alloc (), out);
    }
  if (is_type (node, G_TYPE_DOUBLE))
    {
      double v = json_node_get_double (node);

      /* Range first: casting a double beyond gint64 is undefined. */
      if (v > -9007199254740992.0 && v < 9007199254740992.0 && v == (double) (gint64) v)
        return json_node_init_int (json_node_alloc (), (gint64) v);
    }
  return json_node_copy (node);
}

/**
 * kiosk_form_to_json:
 *
 * The answers of the visible input fields as one JSON object: keys sorted,
 * no whitespace, hidden and empty fields left out.  This is what is stored
 * and sent.
 *
 * Returns: (transfer full): UTF-8 JSON
 */
GBytes *
kiosk_form_to_json (KioskForm *self)
{
  g_autoptr(JsonObject) object = json_object_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(JsonNode) sorted = NULL;
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  GPtrArray *fields;
  char *text;
  gsize len;

  g_return_val_if_fail (KIOSK_IS_FORM (self), NULL);

  fields = kiosk_service_get_fields (self->service);
  for (guint i = 0; i < fields->len; i++)
    {
      KioskField *field = fields->pdata[i];
      JsonNode *value = g_hash_table_lookup (self->values, field->id);

      if (field->type == KIOSK_FIELD_INFO || !has_answer (value) || !field_visible (self, field))
        continue;
      json_object_set_member (object, field->id, json_node_copy (value));
    }
  root = json_node_init_object (json_node_alloc (), object);
  sorted = canonical_copy (root);
  json_generator_set_root (generator, sorted);
  text = json_generator_to_data (generator, &len);
  return g_bytes_new_take (text, len);
}

/**
 * kiosk_form_parse_answers:
 * @json: a JSON object of answers (field id -> answer), as a file holds it
 * @error: return location for a %KIOSK_FORM_ERROR_INVALID
 *
 * Reads answers as strictly as a catalogue is read: a NUL byte, "\u0000",
 * a field named twice or text that is not UTF-8 are refused with line and
 * column.  json-glib would cut the text at "\u0000" (an optional answer
 * then silently vanished) and at a NUL byte, and keep the last of two
 * answers to one field.
 *
 * Returns: (transfer full) (nullable): the answers, a JSON object for
 *   kiosk_form_load_json()
 */
JsonNode *
kiosk_form_parse_answers (GBytes  *json,
                          GError **error)
{
  g_autoptr(KioskJson) doc = NULL;
  g_autoptr(GError) local_error = NULL;
  const char *data;
  gsize len;

  g_return_val_if_fail (json != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  data = g_bytes_get_data (json, &len);
  /* An address is an object inside the answers; nothing nests deeper. */
  doc = kiosk_json_parse (data != NULL ? data : "", len, 8, &local_error);
  if (doc == NULL)
    {
      g_set_error (error, KIOSK_FORM_ERROR, KIOSK_FORM_ERROR_INVALID, "not valid JSON: %s", local_error->message);
      return NULL;
    }
  if (kiosk_json_get_root (doc)->type != KIOSK_JSON_OBJECT)
    {
      g_set_error (error, KIOSK_FORM_ERROR, KIOSK_FORM_ERROR_INVALID,
                   "the answers must be a JSON object {\"field id\": answer, …}");
      return NULL;
    }
  return kiosk_json_to_node (kiosk_json_get_root (doc));
}

/**
 * kiosk_form_load_json:
 * @answers: a JSON object: field id -> answer
 *
 * Sets the answers in @answers (for `stadtkioskctl enqueue --answers`).  It
 * does not validate them; call kiosk_form_validate_all() next.
 *
 * Returns: %FALSE if @answers is not an object or names fields the service
 *   does not have (all of them are listed); nothing is changed then
 */
gboolean
kiosk_form_load_json (KioskForm  *self,
                      JsonNode   *answers,
                      GError    **error)
{
  g_autoptr(GString) unknown = g_string_new (NULL);
  JsonObjectIter iter;
  const char *name;
  JsonNode *value;

  g_return_val_if_fail (KIOSK_IS_FORM (self), FALSE);
  g_return_val_if_fail (answers != NULL, FALSE);

  if (!JSON_NODE_HOLDS_OBJECT (answers))
    {
      g_set_error (error, KIOSK_FORM_ERROR, KIOSK_FORM_ERROR_INVALID,
                   "the answers must be a JSON object {\"field id\": answer, …}");
      return FALSE;
    }

  json_object_iter_init_ordered (&iter, json_node_get_object (answers));
  while (json_object_iter_next_ordered (&iter, &name, &value))
    {
      KioskField *field = kiosk_service_lookup_field (self->service, name);

      if (field == NULL || field->type == KIOSK_FIELD_INFO)
        {
          g_autofree char *valid = g_utf8_make_valid (name, -1);

          g_string_append_printf (unknown, "%s\"%s\"", unknown->len ? ", " : "", valid);
        }
    }
  if (unknown->len > 0)
    {
      GPtrArray *fields = kiosk_service_get_fields (self->service);
      g_autoptr(GString) known = g_string_new (NULL);

      for (guint i = 0; i < fields->len; i++)
        if (((KioskField *) fields->pdata[i])->type != KIOSK_FIELD_INFO)
          g_string_append_printf (known, "%s%s", known->len ? ", " : "", ((KioskField *) fields->pdata[i])->id);
      g_set_error (error, KIOSK_FORM_ERROR, KIOSK_FORM_ERROR_UNKNOWN_FIELD,
                   "service \"%s\" has no input field %s (its fields: %s)",
                   kiosk_service_get_id (self->service), unknown->str, known->str);
      return FALSE;
    }

  json_object_iter_init_ordered (&iter, json_node_get_object (answers));
  while (json_object_iter_next_ordered (&iter, &name, &value))
    kiosk_form_set_value (self, name, value);
  return TRUE;
}

/**
 * kiosk_form_clear:
 *
 * Wipes every answer (the privacy reset between citizens) and puts the
 * catalogue's defaults back.
 */
void
kiosk_form_clear (KioskForm *self)
{
  g_return_if_fail (KIOSK_IS_FORM (self));

  g_hash_table_remove_all (self->values);
  self->current_step = 0;
  apply_defaults (self);
  g_signal_emit (self, signals[CHANGED], 0, NULL);
}

/**
 * kiosk_form_get_invalid_part:
 * @field_id: an address field
 *
 * Which part of an address answer is not right yet, so that only that
 * part is marked and takes the focus.
 *
 * Returns: (nullable): "street", "house_number", "postal_code" or "city";
 *   %NULL when the address is right, has no answer, or is not an address
 */
const char *
kiosk_form_get_invalid_part (KioskForm  *self,
                             const char *field_id)
{
  KioskField *field;
  JsonNode *value;
  const char *part = NULL;
  g_autofree char *message = NULL;

  g_return_val_if_fail (KIOSK_IS_FORM (self), NULL);
  g_return_val_if_fail (field_id != NULL, NULL);

  field = kiosk_service_lookup_field (self->service, field_id);
  if (field == NULL || (field->type != KIOSK_FIELD_ADDRESS && field->type != KIOSK_FIELD_DATE))
    return NULL;
  value = g_hash_table_lookup (self->values, field->id);
  if (value == NULL)
    return NULL;
  if (field->type == KIOSK_FIELD_DATE)
    {
      GDate date;

      if (!is_type (value, G_TYPE_STRING) || _kiosk_date_parse (json_node_get_string (value), &date))
        return NULL;
      message = validate_date_text (self, json_node_get_string (value), &part);
    }
  else
    message = validate_address (self, value, &part);
  return message != NULL ? part : NULL;
}

/**
 * kiosk_form_set_city:
 * @city: (nullable): the city's name ([kiosk] city), %NULL or "" for none
 *
 * The city the kiosk stands in: address messages name it ("Please enter a
 * postal code in Hildesheim, for example 31134") and the kiosk pre-fills
 * the town of an address with it.
 */
void
kiosk_form_set_city (KioskForm  *self,
                     const char *city)
{
  g_return_if_fail (KIOSK_IS_FORM (self));

  g_free (self->city);
  self->city = city != NULL && *city != '\0' ? g_strdup (city) : NULL;
}

/**
 * kiosk_form_get_city:
 *
 * Returns: (nullable): the city set with kiosk_form_set_city()
 */
const char *
kiosk_form_get_city (KioskForm *self)
{
  g_return_val_if_fail (KIOSK_IS_FORM (self), NULL);
  return self->city;
}

/**
 * kiosk_form_has_answers:
 *
 * Whether the form holds anything a person typed or chose: an answer that
 * is neither blank nor the catalogue's default.  Leaving such a form loses
 * work, so the kiosk asks first.
 *
 * Returns: %TRUE when leaving the form would lose answers
 */
gboolean
kiosk_form_has_answers (KioskForm *self)
{
  GPtrArray *fields;

  g_return_val_if_fail (KIOSK_IS_FORM (self), FALSE);

  fields = kiosk_service_get_fields (self->service);
  for (guint i = 0; i < fields->len; i++)
    {
      KioskField *field = fields->pdata[i];
      JsonNode *value;
      g_autoptr(JsonNode) fallback = NULL;

      if (field->id == NULL)
        continue;
      value = g_hash_table_lookup (self->values, field->id);
      if (node_is_blank (value))
        continue;
      fallback = default_value (self, field);
      if (fallback != NULL && json_node_equal (value, fallback))
        continue;
      return TRUE;
    }
  return FALSE;
}

static gboolean
get_date_limit (KioskForm  *self,
                const char *field_id,
                gboolean    max,
                GDate      *out_date)
{
  KioskField *field = kiosk_service_lookup_field (self->service, field_id);
  const char *spec;
  GDate now;

  if (field == NULL || field->type != KIOSK_FIELD_DATE)
    return FALSE;
  spec = max ? field->max_date : field->min_date;
  if (spec == NULL)
    return FALSE;
  today (self, &now);
  return _kiosk_date_spec_resolve (spec, &now, out_date);
}

/**
 * kiosk_form_get_date_min:
 * @out_date: (out): the earliest allowed date, resolved against the form's clock
 *
 * For a date picker: the field's "min" as a date (today's "+2d" and so on).
 *
 * Returns: %FALSE if @field_id is not a date field with a minimum
 */
gboolean
kiosk_form_get_date_min (KioskForm  *self,
                         const char *field_id,
                         GDate      *out_date)
{
  g_return_val_if_fail (KIOSK_IS_FORM (self), FALSE);
  g_return_val_if_fail (field_id != NULL && out_date != NULL, FALSE);
  return get_date_limit (self, field_id, FALSE, out_date);
}

/**
 * kiosk_form_get_date_max:
 * @out_date: (out): the latest allowed date
 *
 * Returns: %FALSE if @field_id is not a date field with a maximum
 */
gboolean
kiosk_form_get_date_max (KioskForm  *self,
                         const char *field_id,
                         GDate      *out_date)
{
  g_return_val_if_fail (KIOSK_IS_FORM (self), FALSE);
  g_return_val_if_fail (field_id != NULL && out_date != NULL, FALSE);
  return get_date_limit (self, field_id, TRUE, out_date);
}

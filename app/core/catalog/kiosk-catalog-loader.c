/* kiosk-catalog-loader.c: reads and validates a catalogue's JSON
 *
 * SPDX-FileCopyrightText: 2026 Stadtkiosk contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "kiosk-catalog"

#include "config.h"

#include "kiosk-catalog.h"

#include <string.h>

#include "kiosk-catalog-private.h"
#include "kiosk-search-private.h"
#include "kiosk-json-private.h"
#include "kiosk-info-private.h"

/* Nesting deeper than this is refused by the parser: no real catalogue
 * comes close, and it keeps every recursion (ours and the parser's)
 * bounded. */
#define MAX_DEPTH 32
#define MAX_ID_LENGTH 64
/* ------------------------------------------------------------------ */
/* The loader                                                          */

typedef struct
{
  const char *source;
  GPtrArray  *errors;          /* char*: "<source>: <pointer>: <message>" */
  GHashTable *category_ids;    /* id -> first pointer (owned) */
  /* while reading one service: */
  GHashTable *all_field_order; /* field id -> GUINT_TO_POINTER (order + 1) of its first occurrence */
  GHashTable *first_field_ptr; /* field id -> pointer of its first occurrence (owned) */
  GHashTable *seen_fields;     /* field id -> borrowed KioskField*, the fields read so far */
  GHashTable *regexes;         /* pattern -> GRegex, compiled once per load */
  gboolean    one_service;     /* a form read again: its category was checked at the load */
} Loader;

/* A JSON pointer (RFC 6901) one level below @base. */
static char *
ptr_member (const char *base,
            const char *name)
{
  GString *s;

  /* Most names need no escaping: one allocation. */
  if (strpbrk (name, "~/") == NULL)
    return g_strconcat (base, "/", name, NULL);

  s = g_string_new (base);
  g_string_append_c (s, '/');
  for (const char *p = name; *p; p++)
    {
      if (*p == '~')
        g_string_append (s, "~0");
      else if (*p == '/')
        g_string_append (s, "~1");
      else
        g_string_append_c (s, *p);
    }
  return g_string_free (s, FALSE);
}

static char *
ptr_index (const char *base,
           guint       i)
{
  return g_strdup_printf ("%s/%u", base, i);
}

static void error_at (Loader     *l,
                      const char *ptr,
                      const char *format,
                      ...) G_GNUC_PRINTF (3, 4);
static void error_at_member (Loader     *l,
                             const char *ptr,
                             const char *name,
                             const char *format,
                             ...) G_GNUC_PRINTF (4, 5);
static void error_atv (Loader     *l,
                       const char *ptr,
                       const char *format,
                       va_list     args) G_GNUC_PRINTF (3, 0);

static void
error_atv (Loader     *l,
           const char *ptr,
           const char *format,
           va_list     args)
{
  g_autofree char *message = g_strdup_vprintf (format, args);

  g_ptr_array_add (l->errors, g_strdup_printf ("%s: %s: %s", l->source,
                                               *ptr != '\0' ? ptr : "(document)", message));
}

static void
error_at (Loader     *l,
          const char *ptr,
          const char *format,
          ...)
{
  va_list args;

  va_start (args, format);
  error_atv (l, ptr, format, args);
  va_end (args);
}

/* At <ptr>/<name>: the pointer is only written out when there is an error,
 * which keeps a good catalogue's load free of them. */
static void
error_at_member (Loader     *l,
                 const char *ptr,
                 const char *name,
                 const char *format,
                 ...)
{
  g_autofree char *p = ptr_member (ptr, name);
  va_list args;

  va_start (args, format);
  error_atv (l, p, format, args);
  va_end (args);
}

static gboolean
node_is_bool (const KioskJsonValue *node)
{
  return node != NULL && node->type == KIOSK_JSON_BOOLEAN;
}

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

static char *
join_names (const char * const *names)
{
  return g_strjoinv (", ", (char **) names);
}

/* Reports members of @object that are not in @allowed.  Members starting
 * with "x-" are free for the city's own notes. */
static void
check_members (Loader               *l,
               const char           *ptr,
               const KioskJsonValue *object,
               const char * const   *allowed)
{
  g_autoptr(GPtrArray) unknown = NULL;
  g_autofree char *expected = NULL;

  for (const KioskJsonValue *m = object->first; m != NULL; m = m->next)
    if (!g_str_has_prefix (m->name, "x-") && !g_strv_contains (allowed, m->name))
      {
        if (unknown == NULL)
          unknown = g_ptr_array_new ();
        g_ptr_array_add (unknown, (char *) m->name);
      }
  if (unknown == NULL)
    return;

  g_ptr_array_sort (unknown, compare_names);
  expected = join_names (allowed);
  for (guint i = 0; i < unknown->len; i++)
    error_at_member (l, ptr, unknown->pdata[i], "unknown member \"%s\" (expected one of: %s)", (const char *) unknown->pdata[i], expected);
}

static gboolean
valid_id (const char *id)
{
  if (id == NULL || *id == '\0' || strlen (id) > MAX_ID_LENGTH)
    return FALSE;
  if (!g_ascii_islower (id[0]) && !g_ascii_isdigit (id[0]))
    return FALSE;
  for (const char *p = id; *p; p++)
    if (!g_ascii_islower (*p) && !g_ascii_isdigit (*p) && *p != '-' && *p != '_' && *p != '.')
      return FALSE;
  return TRUE;
}

/* Each reader reports at <ptr>/<name> and returns what it could read. */

static char *
read_string (Loader               *l,
             const char           *ptr,
             const KioskJsonValue *object,
             const char           *name,
             gboolean              required,
             const char           *what)
{
  const KioskJsonValue *node = kiosk_json_get_member (object, name);

  if (node == NULL && !required)
    return NULL;
  if (node == NULL)
    {
      error_at_member (l, ptr, name, "missing; expected %s", what);
      return NULL;
    }
  if (!kiosk_json_is_string (node) || *node->string == '\0')
    {
      error_at_member (l, ptr, name, "expected %s, found %s", what,
                       kiosk_json_is_string (node) ? "an empty string" : kiosk_json_describe (node));
      return NULL;
    }
  return g_strdup (node->string);
}

static char *
read_id (Loader               *l,
         const char           *ptr,
         const KioskJsonValue *object,
         const char           *name,
         const char           *what)
{
  g_autofree char *id = read_string (l, ptr, object, name, TRUE, what);

  if (id != NULL && !valid_id (id))
    {
      error_at_member (l, ptr, name, "\"%s\" is not a valid id; expected %s: lower-case letters a-z, digits, "
                       "'-', '_' or '.', starting with a letter or digit, at most %u characters",
                       id, what, MAX_ID_LENGTH);
      return NULL;
    }
  return g_steal_pointer (&id);
}

/* "de", "en", "ar", "uk", "pt_BR", "pt-BR", "sr_Latn" */
static gboolean
valid_language (const char *lang)
{
  gsize n = 0;

  while (g_ascii_islower (lang[n]))
    n++;
  if (n < 2 || n > 3)
    return FALSE;
  if (lang[n] == '\0')
    return TRUE;
  if (lang[n] != '_' && lang[n] != '-')
    return FALSE;
  lang += n + 1;
  for (n = 0; g_ascii_isalnum (lang[n]); n++)
    ;
  return n >= 2 && n <= 4 && lang[n] == '\0';
}

static KioskText *
read_text (Loader               *l,
           const char           *ptr,
           const KioskJsonValue *object,
           const char           *name,
           gboolean              required)
{
  const KioskJsonValue *node = kiosk_json_get_member (object, name);
  KioskTextEntry stack_entries[16];
  g_autofree KioskTextEntry *heap_entries = NULL;
  KioskTextEntry *entries = stack_entries;
  guint n = 0;

  if (node == NULL && !required)
    return NULL;
  if (node == NULL || node->type != KIOSK_JSON_OBJECT)
    {
      if (node == NULL)
        error_at_member (l, ptr, name, "missing; expected texts by language, at least German: {\"de\": \"…\", \"en\": \"…\"}");
      else
        error_at_member (l, ptr, name, "expected texts by language, e.g. {\"de\": \"…\", \"en\": \"…\"}, found %s",
                         kiosk_json_describe (node));
      return NULL;
    }

  if (node->n_children > G_N_ELEMENTS (stack_entries))
    entries = heap_entries = g_new (KioskTextEntry, node->n_children);
  for (const KioskJsonValue *value = node->first; value != NULL; value = value->next)
    {
      const char *lang = value->name;
      g_autofree char *p = NULL;
      g_autofree char *lp = NULL;

      if (valid_language (lang) && kiosk_json_is_string (value) && *value->string != '\0')
        {
          entries[n].lang = lang;
          entries[n].text = value->string;
          n++;
          continue;
        }
      p = ptr_member (ptr, name);
      lp = ptr_member (p, lang);
      if (!valid_language (lang))
        error_at (l, lp, "\"%s\" is not a language code; expected e.g. \"de\", \"en\", \"pt_BR\"", lang);
      else
        error_at (l, lp, "expected a non-empty text, found %s",
                  kiosk_json_is_string (value) ? "an empty string" : kiosk_json_describe (value));
    }
  if (kiosk_json_get_member (node, "de") == NULL)
    error_at_member (l, ptr, name, "missing German text (\"de\"); German is required, other languages fall back to it");
  return _kiosk_text_new (entries, n);
}

static gboolean
read_bool (Loader               *l,
           const char           *ptr,
           const KioskJsonValue *object,
           const char           *name,
           gboolean              default_value)
{
  const KioskJsonValue *node = kiosk_json_get_member (object, name);

  if (node == NULL)
    return default_value;
  if (!node_is_bool (node))
    {
      error_at_member (l, ptr, name, "expected true or false, found %s", kiosk_json_describe (node));
      return default_value;
    }
  return node->boolean;
}

/* An integer in [min, max]; returns FALSE if absent or wrong. */
static gboolean
read_uint (Loader               *l,
           const char           *ptr,
           const KioskJsonValue *object,
           const char           *name,
           gboolean              required,
           guint                 min,
           guint                 max,
           guint                *out_value)
{
  const KioskJsonValue *node = kiosk_json_get_member (object, name);
  gint64 v;

  if (node == NULL && !required)
    return FALSE;
  if (node == NULL)
    {
      error_at_member (l, ptr, name, "missing; expected a whole number from %u to %u", min, max);
      return FALSE;
    }
  if (node->type != KIOSK_JSON_INTEGER)
    {
      error_at_member (l, ptr, name, "expected a whole number from %u to %u, found %s", min, max, kiosk_json_describe (node));
      return FALSE;
    }
  v = node->integer;
  if (v < min || v > max)
    {
      error_at_member (l, ptr, name, "expected a whole number from %u to %u, found %" G_GINT64_FORMAT, min, max, v);
      return FALSE;
    }
  *out_value = (guint) v;
  return TRUE;
}

static gboolean
read_number (Loader               *l,
             const char           *ptr,
             const KioskJsonValue *object,
             const char           *name,
             double               *out_value)
{
  const KioskJsonValue *node = kiosk_json_get_member (object, name);

  if (node == NULL)
    return FALSE;
  if (!kiosk_json_is_number (node))
    {
      error_at_member (l, ptr, name, "expected a number, found %s", kiosk_json_describe (node));
      return FALSE;
    }
  *out_value = kiosk_json_get_number (node);
  return TRUE;
}

static const KioskJsonValue *
get_array (Loader               *l,
           const char           *ptr,
           const KioskJsonValue *object,
           const char           *name,
           gboolean              required,
           const char           *what)
{
  const KioskJsonValue *node = kiosk_json_get_member (object, name);

  if (node == NULL && !required)
    return NULL;
  if (node == NULL)
    {
      error_at_member (l, ptr, name, "missing; expected %s", what);
      return NULL;
    }
  if (node->type != KIOSK_JSON_ARRAY)
    {
      error_at_member (l, ptr, name, "expected %s, found %s", what, kiosk_json_describe (node));
      return NULL;
    }
  if (node->n_children == 0)
    {
      error_at_member (l, ptr, name, "expected %s, found an empty array", what);
      return NULL;
    }
  return node;
}

/* Conditions ---------------------------------------------------------- */

static const char *
field_name (KioskField *field)
{
  return field->id != NULL ? field->id : "(no id)";
}

static gboolean
value_fits_field (KioskField            *field,
                  const KioskJsonValue  *value,
                  char                 **out_why)
{
  switch (field->type)
    {
    case KIOSK_FIELD_CHOICE:
    case KIOSK_FIELD_MULTICHOICE:
      if (!kiosk_json_is_string (value))
        {
          *out_why = g_strdup_printf ("expected one of the option values of field \"%s\" (a string), found %s",
                                      field_name (field), kiosk_json_describe (value));
          return FALSE;
        }
      /* Without options there is nothing to compare with; that the
       * options are missing is reported on its own. */
      if (field->options->len == 0)
        return TRUE;
      for (guint i = 0; i < field->options->len; i++)
        if (g_strcmp0 (((KioskOption *) field->options->pdata[i])->value, value->string) == 0)
          return TRUE;
      {
        g_autoptr(GStrvBuilder) b = g_strv_builder_new ();
        g_auto(GStrv) values = NULL;
        g_autofree char *list = NULL;

        for (guint i = 0; i < field->options->len; i++)
          if (((KioskOption *) field->options->pdata[i])->value != NULL)
            g_strv_builder_add (b, ((KioskOption *) field->options->pdata[i])->value);
        values = g_strv_builder_end (b);
        list = join_names ((const char * const *) values);
        *out_why = g_strdup_printf ("\"%s\" is not an option of field \"%s\" (options: %s)",
                                    value->string, field_name (field), list);
        return FALSE;
      }
    case KIOSK_FIELD_BOOLEAN:
    case KIOSK_FIELD_CONSENT:
      if (node_is_bool (value))
        return TRUE;
      *out_why = g_strdup_printf ("field \"%s\" is a %s field; expected true or false, found %s",
                                  field_name (field), kiosk_field_type_to_string (field->type), kiosk_json_describe (value));
      return FALSE;
    case KIOSK_FIELD_NUMBER:
      if (kiosk_json_is_number (value))
        return TRUE;
      *out_why = g_strdup_printf ("field \"%s\" is a number field; expected a number, found %s",
                                  field_name (field), kiosk_json_describe (value));
      return FALSE;
    case KIOSK_FIELD_ADDRESS:
      *out_why = g_strdup_printf ("field \"%s\" is an address; only \"is_set\" can test it", field_name (field));
      return FALSE;
    case KIOSK_FIELD_TEXT:
    case KIOSK_FIELD_TEXTAREA:
    case KIOSK_FIELD_DATE:
    case KIOSK_FIELD_EMAIL:
    case KIOSK_FIELD_PHONE:
    case KIOSK_FIELD_INFO:
    default:
      if (kiosk_json_is_string (value))
        return TRUE;
      *out_why = g_strdup_printf ("field \"%s\" is a %s field; expected a string, found %s",
                                  field_name (field), kiosk_field_type_to_string (field->type), kiosk_json_describe (value));
      return FALSE;
    }
}

static const char * const condition_members[] = {
  "field", "equals", "not_equals", "in", "is_set", "all", "any", NULL
};

static KioskCondition *
parse_condition (Loader               *l,
                 const char           *ptr,
                 const KioskJsonValue *node,
                 const char           *self_id,
                 guint                 depth)
{
  g_autoptr(KioskCondition) cond = g_new0 (KioskCondition, 1);
  const KioskJsonValue *object;
  const char *ops[] = { "equals", "not_equals", "in", "is_set", "all", "any" };
  const char *op = NULL;
  guint n_ops = 0;
  gboolean ok = TRUE;

  if (node->type != KIOSK_JSON_OBJECT)
    {
      error_at (l, ptr, "expected a condition object such as {\"field\": \"kind\", \"equals\": \"x\"}, found %s",
                kiosk_json_describe (node));
      return NULL;
    }
  if (depth > 8)
    {
      error_at (l, ptr, "conditions are nested too deeply (at most 8 levels of \"all\"/\"any\")");
      return NULL;
    }
  object = node;
  check_members (l, ptr, object, condition_members);

  for (guint i = 0; i < G_N_ELEMENTS (ops); i++)
    if (kiosk_json_get_member (object, ops[i]) != NULL)
      {
        op = op == NULL ? ops[i] : op;
        n_ops++;
      }
  if (n_ops != 1)
    {
      error_at (l, ptr, "expected exactly one of \"equals\", \"not_equals\", \"in\", \"is_set\", \"all\", \"any\" (found %u)",
                n_ops);
      return NULL;
    }

  if (g_str_equal (op, "all") || g_str_equal (op, "any"))
    {
      const KioskJsonValue *children;
      const KioskJsonValue *child_node;

      cond->kind = g_str_equal (op, "all") ? KIOSK_CONDITION_ALL : KIOSK_CONDITION_ANY;
      if (kiosk_json_get_member (object, "field") != NULL)
        {
          error_at_member (l, ptr, "field", "\"%s\" combines conditions and takes no \"field\"", op);
          ok = FALSE;
        }
      children = get_array (l, ptr, object, op, TRUE, "an array of conditions");
      if (children == NULL)
        return NULL;
      cond->children = g_ptr_array_new_with_free_func ((GDestroyNotify) _kiosk_condition_free);
      child_node = children->first;
      for (guint i = 0; child_node != NULL; child_node = child_node->next, i++)
        {
          g_autofree char *p = ptr_member (ptr, op);
          g_autofree char *cp = ptr_index (p, i);
          KioskCondition *child = parse_condition (l, cp, child_node, self_id, depth + 1);

          if (child == NULL)
            ok = FALSE;
          else
            g_ptr_array_add (cond->children, child);
        }
      return ok ? g_steal_pointer (&cond) : NULL;
    }

  /* A test on one field. */
  {
    g_autofree char *field_id = read_string (l, ptr, object, "field", TRUE, "the id of an earlier field");
    g_autofree char *vp = ptr_member (ptr, op);
    const KioskJsonValue *value = kiosk_json_get_member (object, op);
    KioskField *target;

    if (field_id == NULL)
      return NULL;

    target = g_hash_table_lookup (l->seen_fields, field_id);
    if (target == NULL)
      {
        guint order = GPOINTER_TO_UINT (g_hash_table_lookup (l->all_field_order, field_id));

        if (g_strcmp0 (field_id, self_id) == 0)
          error_at_member (l, ptr, "field", "the condition refers to its own field \"%s\" (a cycle); "
                           "conditions may only refer to earlier fields", field_id);
        else if (order != 0)
          error_at_member (l, ptr, "field", "field \"%s\" comes later in the service; conditions may only refer to "
                           "earlier fields (this rules out cycles)", field_id);
        else
          error_at_member (l, ptr, "field", "refers to field \"%s\", which this service does not have", field_id);
        return NULL;
      }
    if (target->type == KIOSK_FIELD_INFO)
      {
        error_at_member (l, ptr, "field", "field \"%s\" is an info field and has no answer to test", field_id);
        return NULL;
      }

    cond->field = g_steal_pointer (&field_id);
    if (g_str_equal (op, "is_set"))
      {
        cond->kind = KIOSK_CONDITION_IS_SET;
        if (!node_is_bool (value))
          {
            error_at (l, vp, "expected true or false, found %s", kiosk_json_describe (value));
            return NULL;
          }
        cond->is_set = value->boolean;
      }
    else if (g_str_equal (op, "in"))
      {
        const KioskJsonValue *values;
        const KioskJsonValue *v;

        cond->kind = KIOSK_CONDITION_IN;
        values = get_array (l, ptr, object, "in", TRUE, "an array of values");
        if (values == NULL)
          return NULL;
        v = values->first;
        for (guint i = 0; v != NULL; v = v->next, i++)
          {
            g_autofree char *why = NULL;
            g_autofree char *ip = ptr_index (vp, i);

            if (!value_fits_field (target, v, &why))
              {
                error_at (l, ip, "%s", why);
                ok = FALSE;
              }
          }
        cond->value = kiosk_json_to_node (value);
      }
    else
      {
        g_autofree char *why = NULL;

        cond->kind = g_str_equal (op, "equals") ? KIOSK_CONDITION_EQUALS : KIOSK_CONDITION_NOT_EQUALS;
        if (!value_fits_field (target, value, &why))
          {
            error_at (l, vp, "%s", why);
            return NULL;
          }
        cond->value = kiosk_json_to_node (value);
      }
  }
  return ok ? g_steal_pointer (&cond) : NULL;
}

/* Fields -------------------------------------------------------------- */

static const char * const common_field_members[] = {
  "id", "type", "label", "help", "required", "personal", "default", "visible_if", "required_message", NULL
};

static const char * const *
members_for_type (KioskFieldType type)
{
  static const char * const text[] = {
    "id", "type", "label", "help", "required", "personal", "default", "visible_if", "required_message",
    "max_length", "pattern", "pattern_message", "purpose", NULL };
  static const char * const textarea[] = {
    "id", "type", "label", "help", "required", "personal", "default", "visible_if", "required_message",
    "max_length", "pattern", "pattern_message", NULL };
  static const char * const email_phone[] = {
    "id", "type", "label", "help", "required", "personal", "default", "visible_if", "required_message",
    "max_length", NULL };
  static const char * const number[] = {
    "id", "type", "label", "help", "required", "personal", "default", "visible_if", "required_message",
    "min", "max", "integer", NULL };
  static const char * const date[] = {
    "id", "type", "label", "help", "required", "personal", "default", "visible_if", "required_message",
    "min", "max", NULL };
  static const char * const choice[] = {
    "id", "type", "label", "help", "required", "personal", "default", "visible_if", "required_message",
    "options", NULL };
  static const char * const info[] = { "id", "type", "label", "text", "visible_if", NULL };

  switch (type)
    {
    case KIOSK_FIELD_TEXT:
      return text;
    case KIOSK_FIELD_TEXTAREA:
      return textarea;
    case KIOSK_FIELD_EMAIL:
    case KIOSK_FIELD_PHONE:
      return email_phone;
    case KIOSK_FIELD_NUMBER:
      return number;
    case KIOSK_FIELD_DATE:
      return date;
    case KIOSK_FIELD_CHOICE:
    case KIOSK_FIELD_MULTICHOICE:
      return choice;
    case KIOSK_FIELD_INFO:
      return info;
    case KIOSK_FIELD_BOOLEAN:
    case KIOSK_FIELD_CONSENT:
    case KIOSK_FIELD_ADDRESS:
    default:
      return common_field_members;
    }
}

/* For the builder (kiosk-catalog-document.c): what a field of @type may
 * carry, so that changing a field's type drops what no longer fits. */
const char * const *
_kiosk_catalog_field_members (KioskFieldType type)
{
  return members_for_type (type);
}

static const char * const purpose_names[] = {
  [KIOSK_INPUT_PURPOSE_FREE] = "free",
  [KIOSK_INPUT_PURPOSE_NAME] = "name",
  [KIOSK_INPUT_PURPOSE_EMAIL] = "email",
  [KIOSK_INPUT_PURPOSE_PHONE] = "phone",
  [KIOSK_INPUT_PURPOSE_NUMBER] = "number",
  [KIOSK_INPUT_PURPOSE_POSTAL_CODE] = "postal-code",
  NULL
};

static void
read_options (Loader               *l,
              const char           *ptr,
              const KioskJsonValue *object,
              KioskField           *field)
{
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);
  g_autofree char *op = ptr_member (ptr, "options");
  const KioskJsonValue *options = get_array (l, ptr, object, "options", TRUE,
                                             "an array of options, each {\"value\": \"…\", \"label\": {\"de\": \"…\"}}");
  const KioskJsonValue *node;

  if (options == NULL)
    return;
  node = options->first;
  for (guint i = 0; node != NULL; node = node->next, i++)
    {
      static const char * const option_members[] = { "value", "label", NULL };
      g_autofree char *p = ptr_index (op, i);
      const KioskJsonValue *o;
      KioskOption *option;
      const char *first;

      if (node->type != KIOSK_JSON_OBJECT)
        {
          error_at (l, p, "expected an option {\"value\": \"…\", \"label\": {\"de\": \"…\"}}, found %s",
                    kiosk_json_describe (node));
          continue;
        }
      o = node;
      check_members (l, p, o, option_members);
      option = g_new0 (KioskOption, 1);
      option->value = read_string (l, p, o, "value", TRUE, "the option's value (a non-empty string)");
      option->label = read_text (l, p, o, "label", TRUE);
      if (option->value != NULL)
        {
          if ((first = g_hash_table_lookup (seen, option->value)) != NULL)
            {
              error_at_member (l, p, "value", "duplicate option value \"%s\" (already used at %s)", option->value, first);
            }
          else
            g_hash_table_insert (seen, option->value, g_strdup (p));
        }
      g_ptr_array_add (field->options, option);
    }
}

static void
check_default (Loader               *l,
               const char           *ptr,
               KioskField           *field,
               const KioskJsonValue *value)
{
  g_autofree char *p = ptr_member (ptr, "default");
  g_autofree char *why = NULL;
  const KioskJsonValue *element;

  switch (field->type)
    {
    case KIOSK_FIELD_MULTICHOICE:
      if (value->type != KIOSK_JSON_ARRAY)
        {
          error_at (l, p, "expected an array of option values, found %s", kiosk_json_describe (value));
          return;
        }
      element = value->first;
      for (guint i = 0; element != NULL; element = element->next, i++)
        {
          g_autofree char *ip = ptr_index (p, i);

          g_clear_pointer (&why, g_free);
          if (!value_fits_field (field, element, &why))
            error_at (l, ip, "%s", why);
        }
      return;
    case KIOSK_FIELD_DATE:
      if (!kiosk_json_is_string (value) || !_kiosk_date_spec_resolve (value->string, NULL, NULL))
        error_at (l, p, "expected a date: \"today\", \"+2d\", \"-1w\", \"+3m\", \"+1y\" or \"YYYY-MM-DD\"");
      return;
    case KIOSK_FIELD_ADDRESS:
      error_at (l, p, "an address field cannot have a default");
      return;
    case KIOSK_FIELD_NUMBER:
      if (kiosk_json_is_number (value) &&
          ((field->has_min && kiosk_json_get_number (value) < field->min) ||
           (field->has_max && kiosk_json_get_number (value) > field->max)))
        {
          error_at (l, p, "the default lies outside min/max");
          return;
        }
      G_GNUC_FALLTHROUGH;
    case KIOSK_FIELD_TEXT:
    case KIOSK_FIELD_TEXTAREA:
    case KIOSK_FIELD_CHOICE:
    case KIOSK_FIELD_BOOLEAN:
    case KIOSK_FIELD_CONSENT:
    case KIOSK_FIELD_EMAIL:
    case KIOSK_FIELD_PHONE:
    case KIOSK_FIELD_INFO:
    default:
      if (!value_fits_field (field, value, &why))
        error_at (l, p, "%s", why);
      return;
    }
}

static KioskField *
parse_field (Loader               *l,
             const char           *ptr,
             const KioskJsonValue *node,
             guint                 step)
{
  g_autoptr(KioskField) field = _kiosk_field_new ();
  g_autofree char *type_name = NULL;
  const KioskJsonValue *object;
  const KioskJsonValue *member;
  gboolean type_ok = FALSE;

  if (node->type != KIOSK_JSON_OBJECT)
    {
      error_at (l, ptr, "expected a field object {\"id\": …, \"type\": …}, found %s", kiosk_json_describe (node));
      return NULL;
    }
  object = node;
  field->step = step;
  field->id = read_id (l, ptr, object, "id", "a field id");
  type_name = read_string (l, ptr, object, "type", TRUE, "a field type");
  if (type_name != NULL)
    {
      type_ok = kiosk_field_type_from_string (type_name, &field->type);
      if (!type_ok)
        error_at_member (l, ptr, "type", "unknown field type \"%s\" (expected one of: text, textarea, number, date, "
                         "choice, multichoice, boolean, consent, address, email, phone, info)", type_name);
    }

  if (type_ok)
    check_members (l, ptr, object, members_for_type (field->type));

  if (type_ok && field->type == KIOSK_FIELD_INFO)
    {
      field->label = read_text (l, ptr, object, "label", FALSE);
      field->text = read_text (l, ptr, object, "text", TRUE);
    }
  else
    {
      field->label = read_text (l, ptr, object, "label", TRUE);
      field->help = read_text (l, ptr, object, "help", FALSE);
      field->required_message = read_text (l, ptr, object, "required_message", FALSE);
      field->required = read_bool (l, ptr, object, "required", FALSE);
      field->personal = read_bool (l, ptr, object, "personal", FALSE);
    }

  if (type_ok)
    {
      switch (field->type)
        {
        case KIOSK_FIELD_TEXT:
        case KIOSK_FIELD_TEXTAREA:
          field->pattern_source = read_string (l, ptr, object, "pattern", FALSE, "a regular expression");
          field->pattern_message = read_text (l, ptr, object, "pattern_message", FALSE);
          if (field->pattern_source != NULL)
            {
              g_autoptr(GError) regex_error = NULL;

              GRegex *cached = g_hash_table_lookup (l->regexes, field->pattern_source);

              if (cached != NULL)
                field->pattern = g_regex_ref (cached);
              else
                {
                  g_autoptr(GRegex) plain = g_regex_new (field->pattern_source, 0, 0, &regex_error);

                  /* The whole answer must match, as with HTML's pattern
                   * attribute; the plain compile first so that a pattern
                   * such as "a)|(b" cannot become valid by the wrapping. */
                  if (plain == NULL)
                    error_at_member (l, ptr, "pattern", "bad regular expression: %s", regex_error->message);
                  else
                    {
                      g_autofree char *whole = g_strdup_printf ("^(?:%s)\\z", field->pattern_source);

                      field->pattern = g_regex_new (whole, 0, 0, &regex_error);
                      if (field->pattern == NULL)
                        error_at_member (l, ptr, "pattern", "bad regular expression: %s", regex_error->message);
                      else
                        g_hash_table_insert (l->regexes, g_strdup (field->pattern_source), g_regex_ref (field->pattern));
                    }
                }
              if (field->pattern_message == NULL)
                error_at_member (l, ptr, "pattern", "a pattern needs a \"pattern_message\" that tells the citizen what to type");
            }
          else if (field->pattern_message != NULL)
            {
              error_at_member (l, ptr, "pattern_message", "\"pattern_message\" without a \"pattern\"");
            }
          if ((member = kiosk_json_get_member (object, "purpose")) != NULL)
            {
              guint i;

              for (i = 0; purpose_names[i] != NULL; i++)
                if (kiosk_json_is_string (member) && g_str_equal (member->string, purpose_names[i]))
                  break;
              if (purpose_names[i] == NULL)
                error_at_member (l, ptr, "purpose", "expected one of: free, name, email, phone, number, postal-code");
              else
                field->purpose = i;
            }
          G_GNUC_FALLTHROUGH;
        case KIOSK_FIELD_EMAIL:
        case KIOSK_FIELD_PHONE:
          read_uint (l, ptr, object, "max_length", FALSE, 1, 100000, &field->max_length);
          if (field->type == KIOSK_FIELD_EMAIL)
            field->purpose = KIOSK_INPUT_PURPOSE_EMAIL;
          else if (field->type == KIOSK_FIELD_PHONE)
            field->purpose = KIOSK_INPUT_PURPOSE_PHONE;
          break;
        case KIOSK_FIELD_NUMBER:
          field->purpose = KIOSK_INPUT_PURPOSE_NUMBER;
          field->has_min = read_number (l, ptr, object, "min", &field->min);
          field->has_max = read_number (l, ptr, object, "max", &field->max);
          field->integer = read_bool (l, ptr, object, "integer", FALSE);
          if (field->has_min && field->has_max && field->min > field->max)
            error_at_member (l, ptr, "max", "max (%g) is smaller than min (%g)", field->max, field->min);
          break;
        case KIOSK_FIELD_DATE:
          {
            const char *names[] = { "min", "max" };
            char **targets[] = { &field->min_date, &field->max_date };

            for (guint i = 0; i < 2; i++)
              {
                g_autofree char *spec = read_string (l, ptr, object, names[i], FALSE, "a date spec");

                if (spec != NULL && !_kiosk_date_spec_resolve (spec, NULL, NULL))
                  {
                    error_at_member (l, ptr, names[i], "\"%s\" is not a date; expected \"today\", \"+2d\", \"-1w\", \"+3m\", "
                                     "\"+1y\" (relative to today) or \"YYYY-MM-DD\"", spec);
                  }
                else
                  *targets[i] = g_steal_pointer (&spec);
              }
          }
          break;
        case KIOSK_FIELD_CHOICE:
        case KIOSK_FIELD_MULTICHOICE:
          read_options (l, ptr, object, field);
          break;
        case KIOSK_FIELD_BOOLEAN:
        case KIOSK_FIELD_CONSENT:
        case KIOSK_FIELD_ADDRESS:
        case KIOSK_FIELD_INFO:
        default:
          break;
        }

      if ((member = kiosk_json_get_member (object, "default")) != NULL && field->type != KIOSK_FIELD_INFO)
        {
          check_default (l, ptr, field, member);
          field->default_value = kiosk_json_to_node (member);
        }
    }

  if ((member = kiosk_json_get_member (object, "visible_if")) != NULL)
    {
      g_autofree char *p = ptr_member (ptr, "visible_if");

      field->visible_if = parse_condition (l, p, member, field->id, 0);
    }

  return g_steal_pointer (&field);
}

/* Services ------------------------------------------------------------ */

static const char * const service_members[] = {
  "id", "version", "enabled", "title", "summary", "help", "next_steps", "icon", "category", "keywords", "offline",
  "refer_url", "office_hours", "target", "retention_days", "receipt_shows_answers", "steps", NULL
};

static void
collect_field_ids (Loader               *l,
                   const char           *ptr,
                   const KioskJsonValue *steps)
{
  const KioskJsonValue *step = steps->first;
  guint order = 0;

  for (guint s = 0; step != NULL; step = step->next, s++)
    {
      const KioskJsonValue *fields;
      const KioskJsonValue *field;

      if (step->type != KIOSK_JSON_OBJECT)
        continue;
      fields = kiosk_json_get_member (step, "fields");
      if (fields == NULL || fields->type != KIOSK_JSON_ARRAY)
        continue;
      field = fields->first;
      for (guint f = 0; field != NULL; field = field->next, f++)
        {
          const KioskJsonValue *id;

          order++;
          if (field->type != KIOSK_JSON_OBJECT)
            continue;
          id = kiosk_json_get_member (field, "id");
          if (kiosk_json_is_string (id) && !g_hash_table_contains (l->all_field_order, id->string))
            {
              g_hash_table_insert (l->all_field_order, (char *) id->string, GUINT_TO_POINTER (order));
              g_hash_table_insert (l->first_field_ptr, (char *) id->string,
                                   g_strdup_printf ("%s/steps/%u/fields/%u", ptr, s, f));
            }
        }
    }
}

static void
read_keywords (Loader               *l,
               const char           *ptr,
               const KioskJsonValue *object,
               KioskService         *service)
{
  const KioskJsonValue *node = kiosk_json_get_member (object, "keywords");
  g_autofree char *p = NULL;

  if (node == NULL)
    return;
  p = ptr_member (ptr, "keywords");
  if (node->type != KIOSK_JSON_OBJECT)
    {
      error_at (l, p, "expected keywords by language, e.g. {\"de\": [\"Müll\"], \"en\": [\"litter\"]}, found %s",
                kiosk_json_describe (node));
      return;
    }
  for (const KioskJsonValue *value = node->first; value != NULL; value = value->next)
    {
      const char *lang = value->name;
      g_autofree char *lp = ptr_member (p, lang);
      g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
      const KioskJsonValue *word;

      if (!valid_language (lang))
        {
          error_at (l, lp, "\"%s\" is not a language code; expected e.g. \"de\", \"en\"", lang);
          continue;
        }
      if (value->type != KIOSK_JSON_ARRAY)
        {
          error_at (l, lp, "expected an array of keywords, found %s", kiosk_json_describe (value));
          continue;
        }
      word = value->first;
      for (guint i = 0; word != NULL; word = word->next, i++)
        {
          if (!kiosk_json_is_string (word) || *word->string == '\0')
            {
              g_autofree char *wp = ptr_index (lp, i);

              error_at (l, wp, "expected a non-empty keyword, found %s",
                        kiosk_json_is_string (word) ? "an empty string" : kiosk_json_describe (word));
              continue;
            }
          g_strv_builder_add (builder, word->string);
        }
      g_hash_table_insert (service->keywords, g_strdelimit (g_strdup (lang), "-", '_'), g_strv_builder_end (builder));
    }
}

/* The Open311 target's mapping: "attributes" {field id: attribute code} and
 * a field id per role ("description", "address", "email", …).  Field ids are
 * checked against the service's fields by check_open311_mapping (). */
static void
read_open311_mapping (Loader               *l,
                      const char           *p,
                      const KioskJsonValue *t,
                      KioskService         *service,
                      const char * const   *roles)
{
  const KioskJsonValue *attributes = kiosk_json_get_member (t, "attributes");

  if (attributes != NULL && attributes->type != KIOSK_JSON_OBJECT)
    error_at_member (l, p, "attributes", "expected {\"field id\": \"attribute code\", …}, found %s",
                     kiosk_json_describe (attributes));
  else if (attributes != NULL)
    {
      g_autofree char *ap = ptr_member (p, "attributes");

      service->open311_attributes = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
      for (const KioskJsonValue *m = attributes->first; m != NULL; m = m->next)
        {
          if (!kiosk_json_is_string (m) || *m->string == '\0')
            error_at_member (l, ap, m->name, "expected the Open311 attribute code (a string), found %s",
                             kiosk_json_describe (m));
          else
            g_hash_table_insert (service->open311_attributes, g_strdup (m->name), g_strdup (m->string));
        }
    }

  for (guint i = 0; roles[i] != NULL; i++)
    {
      char *field_id = read_string (l, p, t, roles[i], FALSE, "a field id of this service");

      if (field_id == NULL)
        continue;
      if (service->open311_roles == NULL)
        service->open311_roles = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);
      g_hash_table_insert (service->open311_roles, (gpointer) roles[i], field_id);
    }
}

static void
check_open311_mapping (Loader       *l,
                       const char   *ptr,
                       KioskService *service)
{
  g_autofree char *p = ptr_member (ptr, "target");
  GHashTableIter iter;
  gpointer key, value;

  if (service->open311_attributes != NULL)
    {
      g_autofree char *ap = ptr_member (p, "attributes");

      g_hash_table_iter_init (&iter, service->open311_attributes);
      while (g_hash_table_iter_next (&iter, &key, &value))
        if (!g_hash_table_contains (service->fields_by_id, key))
          error_at_member (l, ap, key, "the service has no field \"%s\"", (const char *) key);
    }
  if (service->open311_roles != NULL)
    {
      g_hash_table_iter_init (&iter, service->open311_roles);
      while (g_hash_table_iter_next (&iter, &key, &value))
        if (!g_hash_table_contains (service->fields_by_id, value))
          error_at_member (l, p, key, "the service has no field \"%s\"", (const char *) value);
    }
}

static void
read_target (Loader               *l,
             const char           *ptr,
             const KioskJsonValue *object,
             KioskService         *service)
{
  static const char * const target_members[] = {
    "type", "service_code", "attributes", "description", "address", "lat", "long",
    "email", "first_name", "last_name", "phone", NULL
  };
  const KioskJsonValue *node = kiosk_json_get_member (object, "target");
  g_autofree char *p = NULL;
  g_autofree char *type = NULL;
  const KioskJsonValue *t;

  service->target = KIOSK_TARGET_SUBMISSION;
  if (node == NULL)
    return;
  service->target_explicit = TRUE;
  p = ptr_member (ptr, "target");
  if (node->type != KIOSK_JSON_OBJECT)
    {
      error_at (l, p, "expected {\"type\": \"submission\"}, {\"type\": \"couchdb\"} or "
                "{\"type\": \"open311\", \"service_code\": \"…\"}, found %s",
                kiosk_json_describe (node));
      return;
    }
  t = node;
  check_members (l, p, t, target_members);
  type = read_string (l, p, t, "type", TRUE, "\"submission\", \"couchdb\" or \"open311\"");
  if (type == NULL)
    return;
  if (g_str_equal (type, "submission") || g_str_equal (type, "couchdb"))
    {
      service->target = g_str_equal (type, "couchdb") ? KIOSK_TARGET_COUCHDB : KIOSK_TARGET_SUBMISSION;
      for (guint i = 1; target_members[i] != NULL; i++)
        if (kiosk_json_get_member (t, target_members[i]) != NULL)
          error_at_member (l, p, target_members[i], "only an \"open311\" target has \"%s\"", target_members[i]);
    }
  else if (g_str_equal (type, "open311"))
    {
      service->target = KIOSK_TARGET_OPEN311;
      service->open311_code = read_string (l, p, t, "service_code", TRUE, "the Open311 service code (a string)");
      read_open311_mapping (l, p, t, service, target_members + 3);
    }
  else
    {
      error_at_member (l, p, "type", "unknown target type \"%s\" (expected \"submission\", \"couchdb\" "
                       "or \"open311\")", type);
    }
}

static void
build_search_text (KioskService *service)
{
  GString *text = g_string_new (NULL);
  GHashTableIter iter;
  gpointer value;

  for (guint i = 0; service->title != NULL && i < service->title->n_entries; i++)
    {
      g_string_append (text, _kiosk_text_get_string (service->title, i));
      g_string_append_c (text, '\n');
    }
  g_hash_table_iter_init (&iter, service->keywords);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    for (char **w = value; *w != NULL; w++)
      {
        g_string_append (text, *w);
        g_string_append_c (text, '\n');
      }
  /* People search for what they have, not for the service's name:
   * "Kühlschrank" is an option of the bulky-waste form. */
  for (guint f = 0; f < service->fields->len; f++)
    {
      KioskField *field = service->fields->pdata[f];

      for (guint o = 0; field->options != NULL && o < field->options->len; o++)
        {
          KioskOption *option = field->options->pdata[o];

          for (guint i = 0; option->label != NULL && i < option->label->n_entries; i++)
            {
              g_string_append (text, _kiosk_text_get_string (option->label, i));
              g_string_append_c (text, '\n');
            }
        }
    }
  _kiosk_fold_both (text->str, &service->search_expanded, &service->search_stripped);
  _kiosk_search_compact (&service->search_expanded, &service->search_stripped);
  g_string_free (text, TRUE);
}

static KioskService *
parse_service (Loader               *l,
               const char           *ptr,
               const KioskJsonValue *node)
{
  g_autoptr(KioskService) service = _kiosk_service_new ();
  g_autofree char *offline = NULL;
  const KioskJsonValue *object;
  const KioskJsonValue *steps;
  const KioskJsonValue *step_node;
  gboolean has_personal = FALSE;

  if (node->type != KIOSK_JSON_OBJECT)
    {
      error_at (l, ptr, "expected a service object, found %s", kiosk_json_describe (node));
      return NULL;
    }
  object = node;
  check_members (l, ptr, object, service_members);

  service->id = read_id (l, ptr, object, "id", "a service id");
  if (!read_uint (l, ptr, object, "version", TRUE, 1, G_MAXINT32, &service->version))
    service->version = 1;
  /* "enabled": false keeps a service in the file without offering it (the
   * builder's switch); a kiosk's own service_overrides still win. */
  service->enabled = read_bool (l, ptr, object, "enabled", TRUE);
  service->title = read_text (l, ptr, object, "title", TRUE);
  service->summary = read_text (l, ptr, object, "summary", TRUE);
  service->help = read_text (l, ptr, object, "help", FALSE);
  service->next_steps = read_text (l, ptr, object, "next_steps", FALSE);
  service->icon = read_string (l, ptr, object, "icon", FALSE, "an icon name");
  if (service->icon == NULL)
    service->icon = g_strdup ("help-about-symbolic");
  service->text_offset = node->offset;
  service->text_length = node->length;
  service->category_id = read_id (l, ptr, object, "category", "the id of a category");
  if (service->category_id != NULL && !l->one_service &&
      !g_hash_table_contains (l->category_ids, service->category_id))
    {
      g_autoptr(GList) ids = g_hash_table_get_keys (l->category_ids);
      GString *list = g_string_new (NULL);

      ids = g_list_sort (ids, (GCompareFunc) strcmp);
      for (const GList *i = ids; i != NULL; i = i->next)
        g_string_append_printf (list, "%s%s", list->len ? ", " : "", (const char *) i->data);
      error_at_member (l, ptr, "category", "unknown category \"%s\" (categories: %s)", service->category_id, list->str);
      g_string_free (list, TRUE);
    }
  read_keywords (l, ptr, object, service);

  offline = read_string (l, ptr, object, "offline", TRUE, "\"queue\", \"print\" or \"refer\"");
  if (offline != NULL)
    {
      if (g_str_equal (offline, "queue"))
        service->offline = KIOSK_OFFLINE_QUEUE;
      else if (g_str_equal (offline, "print"))
        service->offline = KIOSK_OFFLINE_PRINT;
      else if (g_str_equal (offline, "refer"))
        service->offline = KIOSK_OFFLINE_REFER;
      else
        error_at_member (l, ptr, "offline", "unknown offline behaviour \"%s\" (expected \"queue\", \"print\" or \"refer\")", offline);
    }
  if (service->offline == KIOSK_OFFLINE_REFER)
    {
      service->refer_url = read_string (l, ptr, object, "refer_url", TRUE, "the https:// address where the service is done online");
      service->office_hours = read_text (l, ptr, object, "office_hours", TRUE);
      if (service->refer_url != NULL &&
          !g_str_has_prefix (service->refer_url, "https://") && !g_str_has_prefix (service->refer_url, "http://"))
        {
          error_at_member (l, ptr, "refer_url", "expected an http:// or https:// address, found \"%s\"", service->refer_url);
        }
    }
  else
    {
      service->office_hours = read_text (l, ptr, object, "office_hours", FALSE);
      if (kiosk_json_get_member (object, "refer_url") != NULL)
        error_at_member (l, ptr, "refer_url", "only a service with \"offline\": \"refer\" has a refer_url");
    }
  read_target (l, ptr, object, service);
  if (!read_uint (l, ptr, object, "retention_days", FALSE, 1, 3650, &service->retention_days))
    service->retention_days = 90;
  service->receipt_shows_answers = read_bool (l, ptr, object, "receipt_shows_answers", TRUE);

  steps = get_array (l, ptr, object, "steps", TRUE, "an array of steps, each {\"title\": …, \"fields\": […]}");
  if (steps == NULL)
    return g_steal_pointer (&service);

  g_hash_table_remove_all (l->all_field_order);
  g_hash_table_remove_all (l->first_field_ptr);
  g_hash_table_remove_all (l->seen_fields);
  collect_field_ids (l, ptr, steps);

  step_node = steps->first;
  for (guint s = 0; step_node != NULL; step_node = step_node->next, s++)
    {
      static const char * const step_members[] = { "id", "title", "fields", NULL };
      g_autofree char *sp0 = ptr_member (ptr, "steps");
      g_autofree char *sp = ptr_index (sp0, s);
      g_autoptr(KioskStep) step = _kiosk_step_new ();
      const KioskJsonValue *so;
      const KioskJsonValue *fields;
      const KioskJsonValue *field_node;

      if (step_node->type != KIOSK_JSON_OBJECT)
        {
          error_at (l, sp, "expected a step {\"title\": …, \"fields\": […]}, found %s", kiosk_json_describe (step_node));
          continue;
        }
      so = step_node;
      check_members (l, sp, so, step_members);
      step->title = read_text (l, sp, so, "title", TRUE);
      fields = get_array (l, sp, so, "fields", TRUE, "an array of fields");
      if (fields != NULL)
        {
          field_node = fields->first;
          for (guint f = 0; field_node != NULL; field_node = field_node->next, f++)
            {
              g_autofree char *fp0 = ptr_member (sp, "fields");
              g_autofree char *fp = ptr_index (fp0, f);
              KioskField *field = parse_field (l, fp, field_node, s);

              if (field == NULL)
                continue;
              if (field->personal)
                has_personal = TRUE;
              if (field->id != NULL)
                {
                  if (g_hash_table_contains (l->seen_fields, field->id))
                    {
                      error_at_member (l, fp, "id", "duplicate field id \"%s\" (already used at %s)", field->id,
                                       (const char *) g_hash_table_lookup (l->first_field_ptr, field->id));
                    }
                  else
                    {
                      g_hash_table_insert (l->seen_fields, field->id, field);
                      g_hash_table_insert (service->fields_by_id, field->id, field);
                    }
                }
              g_ptr_array_add (step->fields, field);
              g_ptr_array_add (service->fields, g_object_ref (field));
            }
        }
      g_ptr_array_add (service->steps, g_steal_pointer (&step));
    }

  if (service->target == KIOSK_TARGET_OPEN311)
    check_open311_mapping (l, ptr, service);

  if (has_personal && !(kiosk_json_get_member (object, "retention_days") != NULL))
    error_at_member (l, ptr, "retention_days", "missing; a service with personal fields must say how many days (1 to 3650) "
                     "its personal answers are kept after delivery");

  build_search_text (service);
  return g_steal_pointer (&service);
}

/* One service's form, again ------------------------------------------- */

/* Parses @text, the JSON object of @service as it was at the load, and
 * gives @service the steps and fields read from it.  The catalogue was
 * valid then; any error now means the text changed or is damaged. */
gboolean
_kiosk_catalog_parse_form (KioskService  *service,
                           const char    *text,
                           gsize          length,
                           const char    *source,
                           GError       **error)
{
  g_autoptr(KioskJson) doc = NULL;
  g_autoptr(GPtrArray) errors = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) parse_error = NULL;
  g_autoptr(KioskService) again = NULL;
  Loader l = { 0 };

  doc = kiosk_json_parse (text, length, MAX_DEPTH, &parse_error);
  if (doc == NULL)
    {
      g_set_error (error, KIOSK_CATALOG_ERROR, KIOSK_CATALOG_ERROR_FAILED,
                   "%s: the form of service \"%s\" is no longer valid JSON (%s)",
                   source, service->id, parse_error->message);
      return FALSE;
    }
  l.source = source;
  l.errors = errors;
  l.one_service = TRUE;
  l.all_field_order = g_hash_table_new (g_str_hash, g_str_equal);
  l.first_field_ptr = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);
  l.seen_fields = g_hash_table_new (g_str_hash, g_str_equal);
  l.regexes = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) g_regex_unref);
  again = parse_service (&l, "", kiosk_json_get_root (doc));
  g_hash_table_unref (l.all_field_order);
  g_hash_table_unref (l.first_field_ptr);
  g_hash_table_unref (l.seen_fields);
  g_hash_table_unref (l.regexes);

  if (again == NULL || errors->len > 0)
    {
      g_set_error (error, KIOSK_CATALOG_ERROR, KIOSK_CATALOG_ERROR_FAILED,
                   "%s: the form of service \"%s\" is not the one loaded (%s)", source, service->id,
                   errors->len > 0 ? (const char *) errors->pdata[0] : "not a service");
      return FALSE;
    }
  if (g_strcmp0 (again->id, service->id) != 0 || again->version != service->version)
    {
      g_set_error (error, KIOSK_CATALOG_ERROR, KIOSK_CATALOG_ERROR_FAILED,
                   "%s: the form of service \"%s\" is not the one loaded (there is service \"%s\", version %u)",
                   source, service->id, again->id != NULL ? again->id : "", again->version);
      return FALSE;
    }
  g_clear_pointer (&service->keywords, g_hash_table_unref);
  service->keywords = g_steal_pointer (&again->keywords);
  service->help = g_steal_pointer (&again->help);
  service->next_steps = g_steal_pointer (&again->next_steps);
  service->office_hours = g_steal_pointer (&again->office_hours);
  service->fields = g_steal_pointer (&again->fields);
  service->fields_by_id = g_steal_pointer (&again->fields_by_id);
  g_atomic_pointer_set (&service->steps, g_steal_pointer (&again->steps));
  return TRUE;
}

/* The whole catalogue ------------------------------------------------- */

gboolean
_kiosk_catalog_parse (KioskCatalog  *self,
                      GBytes        *bytes,
                      const char    *source,
                      GError       **error)
{
  static const char * const root_members[] = { "$schema", "format", "version", "categories", "services", "info", NULL };
  g_autoptr(KioskJson) doc = NULL;
  g_autoptr(GError) parse_error = NULL;
  g_autoptr(GPtrArray) errors = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GHashTable) service_ids = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);
  Loader l = { 0 };
  const char *data;
  gsize len;
  const KioskJsonValue *root;
  const KioskJsonValue *object;
  const KioskJsonValue *array;
  const KioskJsonValue *node;
  guint format = KIOSK_CATALOG_FORMAT;

  data = g_bytes_get_data (bytes, &len);
  l.source = source;
  l.errors = errors;

  if (len == 0)
    {
      error_at (&l, "", "the file is empty; expected a JSON catalogue");
      goto out;
    }
  doc = kiosk_json_parse (data, len, MAX_DEPTH, &parse_error);
  if (doc == NULL)
    {
      if (g_error_matches (parse_error, KIOSK_JSON_ERROR, KIOSK_JSON_ERROR_TOO_DEEP))
        error_at (&l, "", "%s", parse_error->message);
      else
        error_at (&l, "", "not valid JSON: %s", parse_error->message);
      goto out;
    }
  root = kiosk_json_get_root (doc);
  if (root->type != KIOSK_JSON_OBJECT)
    {
      error_at (&l, "", "expected a JSON object {\"format\": 1, \"version\": …, \"categories\": […], \"services\": […]}");
      goto out;
    }
  object = root;
  check_members (&l, "", object, root_members);

  if (read_uint (&l, "", object, "format", FALSE, 1, G_MAXINT32, &format) && format != KIOSK_CATALOG_FORMAT)
    {
      error_at (&l, "/format", "format %u is not supported; this Stadtkiosk reads format %d", format, KIOSK_CATALOG_FORMAT);
      goto out;
    }
  self->version = read_string (&l, "", object, "version", TRUE, "the catalogue's version (a string, e.g. \"2026-11-26.1\")");

  l.category_ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  l.all_field_order = g_hash_table_new (g_str_hash, g_str_equal);
  l.first_field_ptr = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);
  l.seen_fields = g_hash_table_new (g_str_hash, g_str_equal);
  l.regexes = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) g_regex_unref);

  array = get_array (&l, "", object, "categories", TRUE, "an array of categories, each {\"id\": …, \"title\": …}");
  node = array != NULL ? array->first : NULL;
  for (guint i = 0; node != NULL; node = node->next, i++)
    {
      static const char * const category_members[] = { "id", "icon", "title", NULL };
      g_autofree char *p = ptr_index ("/categories", i);
      g_autoptr(KioskCategory) category = _kiosk_category_new ();
      const KioskJsonValue *co = node;

      if (node->type != KIOSK_JSON_OBJECT)
        {
          error_at (&l, p, "expected a category {\"id\": …, \"title\": …}, found %s", kiosk_json_describe (node));
          continue;
        }
      check_members (&l, p, co, category_members);
      category->id = read_id (&l, p, co, "id", "a category id");
      category->icon = read_string (&l, p, co, "icon", FALSE, "an icon name");
      if (category->icon == NULL)
        category->icon = g_strdup ("folder-symbolic");
      category->title = read_text (&l, p, co, "title", TRUE);
      if (category->id != NULL)
        {
          const char *first = g_hash_table_lookup (l.category_ids, category->id);

          if (first != NULL)
            {
              error_at_member (&l, p, "id", "duplicate category id \"%s\" (already used at %s)", category->id, first);
            }
          else
            g_hash_table_insert (l.category_ids, g_strdup (category->id), g_strdup (p));
        }
      g_ptr_array_add (self->categories, g_steal_pointer (&category));
    }

  array = get_array (&l, "", object, "services", TRUE, "an array of services");
  node = array != NULL ? array->first : NULL;
  for (guint i = 0; node != NULL; node = node->next, i++)
    {
      g_autofree char *p = ptr_index ("/services", i);
      KioskService *service = parse_service (&l, p, node);

      if (service == NULL)
        continue;
      if (service->id != NULL)
        {
          const char *first = g_hash_table_lookup (service_ids, service->id);

          if (first != NULL)
            {
              error_at_member (&l, p, "id", "duplicate service id \"%s\" (already used at %s)", service->id, first);
            }
          else
            {
              g_hash_table_insert (service_ids, service->id, g_strdup (p));
              g_hash_table_insert (self->by_id, service->id, service);
            }
        }
      g_ptr_array_add (self->services, service);
    }

  /* Information cards: their own reader in app/core/info. */
  node = kiosk_json_get_member (object, "info");
  if (node != NULL)
    self->info_cards = _kiosk_info_cards_parse (node, source, errors);

out:
  g_clear_pointer (&l.category_ids, g_hash_table_unref);
  g_clear_pointer (&l.all_field_order, g_hash_table_unref);
  g_clear_pointer (&l.first_field_ptr, g_hash_table_unref);
  g_clear_pointer (&l.seen_fields, g_hash_table_unref);
  g_clear_pointer (&l.regexes, g_hash_table_unref);

  if (errors->len > 0)
    {
      g_autofree char *message = NULL;

      g_ptr_array_add (errors, NULL);
      message = g_strjoinv ("\n", (char **) errors->pdata);
      g_set_error_literal (error, KIOSK_CATALOG_ERROR, KIOSK_CATALOG_ERROR_INVALID, message);
      return FALSE;
    }

  self->bytes = g_bytes_ref (bytes);
  for (guint i = 0; i < self->services->len; i++)
    if (kiosk_service_get_enabled (self->services->pdata[i]))
      g_ptr_array_add (self->items, self->services->pdata[i]);
  return TRUE;
}

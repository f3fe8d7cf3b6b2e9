/* kiosk-open311.c: Open311 GeoReport v2 service definitions -> catalogue
 *
 * SPDX-FileCopyrightText: 2026 Stadtkiosk contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "kiosk-catalog"

#include "config.h"

#include "kiosk-open311.h"

#include <json-glib/json-glib.h>
#include <string.h>

#include "kiosk-json-private.h"

G_DEFINE_QUARK (kiosk-open311-error-quark, kiosk_open311_error)

typedef struct
{
  GPtrArray *errors;
} Importer;

static void problem (Importer   *im,
                     const char *where,
                     const char *format,
                     ...) G_GNUC_PRINTF (3, 4);

static void
problem (Importer   *im,
         const char *where,
         const char *format,
         ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  g_ptr_array_add (im->errors, g_strdup_printf ("%s: %s", where, message));
}

/* Open311 allows codes as JSON strings or numbers ("001" vs 1): both
 * become strings, as they are sent back in service_code= unchanged. */
static char *
code_to_string (JsonNode *node)
{
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return NULL;
  switch (json_node_get_value_type (node))
    {
    case G_TYPE_STRING:
      return *json_node_get_string (node) != '\0' ? g_strdup (json_node_get_string (node)) : NULL;
    case G_TYPE_INT64:
      return g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (node));
    case G_TYPE_DOUBLE:
      {
        char buf[G_ASCII_DTOSTR_BUF_SIZE];

        return g_strdup (g_ascii_dtostr (buf, sizeof buf, json_node_get_double (node)));
      }
    default:
      return NULL;
    }
}

static const char *
member_string (JsonObject *object,
               const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

/* Open311 booleans come as true/false or as the strings "true"/"false". */
static gboolean
member_bool (JsonObject *object,
             const char *name,
             gboolean    default_value)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return default_value;
  if (json_node_get_value_type (node) == G_TYPE_BOOLEAN)
    return json_node_get_boolean (node);
  if (json_node_get_value_type (node) == G_TYPE_STRING)
    return g_ascii_strcasecmp (json_node_get_string (node), "true") == 0;
  return default_value;
}

/* A catalogue id from an arbitrary code: lower case, other characters -> '-'. */
static char *
make_id (const char *prefix,
         const char *code)
{
  GString *s = g_string_new (prefix);

  for (const char *p = code; *p && s->len < 60; p++)
    {
      char c = g_ascii_tolower (*p);

      if (g_ascii_isalnum (c))
        g_string_append_c (s, c);
      else if (s->len > 0 && s->str[s->len - 1] != '-')
        g_string_append_c (s, '-');
    }
  while (s->len > 1 && s->str[s->len - 1] == '-')
    g_string_truncate (s, s->len - 1);
  if (s->len == 0)
    g_string_append (s, "x");
  return g_string_free (s, FALSE);
}

static JsonNode *
text_node (const char *de)
{
  JsonObject *o = json_object_new ();
  JsonNode *node;

  json_object_set_string_member (o, "de", de);
  node = json_node_init_object (json_node_alloc (), o);
  json_object_unref (o);
  return node;
}

static void
set_text (JsonObject *object,
          const char *name,
          const char *de)
{
  json_object_set_member (object, name, text_node (de));
}

/* "order" is an integer in the spec; some servers send it as a string. */
static gint64
attribute_order (JsonObject *attribute)
{
  JsonNode *node = json_object_get_member (attribute, "order");
  g_autofree char *text = code_to_string (node);
  gint64 value;

  if (text == NULL || !g_ascii_string_to_signed (text, 10, G_MININT32, G_MAXINT32, &value, NULL))
    return G_MAXINT64;
  return value;
}

static gint
compare_order (gconstpointer a,
               gconstpointer b)
{
  gint64 va = attribute_order (*(JsonObject **) a);
  gint64 vb = attribute_order (*(JsonObject **) b);

  return va < vb ? -1 : va > vb;
}

/* The spec's own example writes codes as bare numbers with leading zeros
 * ("service_code": 001), which is not JSON; json-glib reads it as 1 and
 * the zeros would be lost.  Quoting such codes before parsing keeps them
 * exactly as the server wrote them, which is what it expects back. */
static char *
quote_numeric_codes (const char *data,
                     gsize       len)
{
  static GRegex *regex = NULL;

  if (g_once_init_enter (&regex))
    {
      GRegex *r = g_regex_new ("(\"(?:service_code|code|key)\"\\s*:\\s*)(-?[0-9]+(?:\\.[0-9]+)?)(?=\\s*[,}\\]])",
                               G_REGEX_OPTIMIZE, 0, NULL);

      g_assert (r != NULL);
      g_once_init_leave (&regex, r);
    }
  return g_regex_replace (regex, data, len, 0, "\\1\"\\2\"", 0, NULL);
}

static gboolean
parse_document (JsonParser  *parser,
                GBytes      *bytes,
                GError     **error)
{
  gsize len;
  const char *data = g_bytes_get_data (bytes, &len);
  g_autofree char *quoted = NULL;

  if (data == NULL || !g_utf8_validate (data, len, NULL))
    {
      g_set_error_literal (error, JSON_PARSER_ERROR, JSON_PARSER_ERROR_INVALID_DATA, "not UTF-8 text");
      return FALSE;
    }
  quoted = quote_numeric_codes (data, len);
  if (quoted == NULL)
    {
      g_set_error_literal (error, JSON_PARSER_ERROR, JSON_PARSER_ERROR_INVALID_DATA, "cannot be read");
      return FALSE;
    }
  /* The strict reader with its depth limit first: json-glib's parser
   * recurses without one, and a deep document overflowed the stack. */
  {
    g_autoptr(KioskJson) doc = kiosk_json_parse (quoted, strlen (quoted), KIOSK_JSON_OUTSIDE_DEPTH, error);

    if (doc == NULL)
      return FALSE;
  }
  return json_parser_load_from_data (parser, quoted, -1, error);
}

static JsonArray *
import_attributes (Importer   *im,
                   const char *where,
                   JsonNode   *definition,
                   JsonObject *mapping)
{
  g_autoptr(JsonArray) fields = json_array_new ();
  g_autoptr(GPtrArray) attributes = g_ptr_array_new ();
  g_autoptr(GHashTable) ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  JsonNode *attrs;

  if (!JSON_NODE_HOLDS_OBJECT (definition))
    {
      problem (im, where, "expected a service definition object {\"service_code\": …, \"attributes\": […]}");
      return NULL;
    }
  /* Ids the import adds itself; an attribute with such a code gets "-2". */
  g_hash_table_add (ids, g_strdup ("location"));
  g_hash_table_add (ids, g_strdup ("request-description"));

  attrs = json_object_get_member (json_node_get_object (definition), "attributes");
  if (attrs == NULL || !JSON_NODE_HOLDS_ARRAY (attrs))
    {
      problem (im, where, "expected \"attributes\" to be an array");
      return NULL;
    }

  for (guint i = 0; i < json_array_get_length (json_node_get_array (attrs)); i++)
    {
      JsonNode *a = json_array_get_element (json_node_get_array (attrs), i);

      if (!JSON_NODE_HOLDS_OBJECT (a))
        {
          problem (im, where, "attributes/%u: expected an object", i);
          continue;
        }
      g_ptr_array_add (attributes, json_node_get_object (a));
    }
  /* Stable sort by "order"; attributes without one keep their place at the end. */
  g_ptr_array_sort (attributes, compare_order);

  for (guint i = 0; i < attributes->len; i++)
    {
      JsonObject *a = attributes->pdata[i];
      g_autofree char *code = code_to_string (json_object_get_member (a, "code"));
      const char *datatype = member_string (a, "datatype");
      const char *description = member_string (a, "description");
      const char *datatype_description = member_string (a, "datatype_description");
      gboolean variable = member_bool (a, "variable", TRUE);
      JsonObject *field;
      g_autofree char *id = NULL;
      const char *type = NULL;

      if (code == NULL)
        {
          problem (im, where, "attribute %u: missing \"code\"", i);
          continue;
        }
      if (description == NULL || *description == '\0')
        description = code;
      id = make_id ("", code);
      while (g_hash_table_contains (ids, id))
        {
          char *longer = g_strconcat (id, "-2", NULL);

          g_free (id);
          id = longer;
        }
      g_hash_table_add (ids, g_strdup (id));

      field = json_object_new ();
      json_object_set_string_member (field, "id", id);

      if (!variable)
        {
          /* variable=false: a statement to show, not a question. */
          json_object_set_string_member (field, "type", "info");
          set_text (field, "text", description);
          json_array_add_object_element (fields, field);
          continue;
        }

      if (g_strcmp0 (datatype, "string") == 0)
        type = "text";
      else if (g_strcmp0 (datatype, "number") == 0)
        type = "number";
      else if (g_strcmp0 (datatype, "datetime") == 0)
        type = "date";
      else if (g_strcmp0 (datatype, "text") == 0)
        type = "textarea";
      else if (g_strcmp0 (datatype, "singlevaluelist") == 0)
        type = "choice";
      else if (g_strcmp0 (datatype, "multivaluelist") == 0)
        type = "multichoice";
      else
        {
          problem (im, where, "attribute \"%s\": unknown datatype \"%s\" (expected string, number, datetime, "
                   "text, singlevaluelist or multivaluelist)", code, datatype ? datatype : "(none)");
          json_object_unref (field);
          continue;
        }
      json_object_set_string_member (field, "type", type);
      /* The delivery sends it back as attribute[code]. */
      json_object_set_string_member (mapping, id, code);
      set_text (field, "label", description);
      if (datatype_description != NULL && *datatype_description != '\0')
        set_text (field, "help", datatype_description);
      json_object_set_boolean_member (field, "required", member_bool (a, "required", FALSE));

      if (g_str_equal (type, "choice") || g_str_equal (type, "multichoice"))
        {
          JsonNode *values = json_object_get_member (a, "values");
          JsonArray *options = json_array_new ();

          if (values != NULL && JSON_NODE_HOLDS_ARRAY (values))
            for (guint v = 0; v < json_array_get_length (json_node_get_array (values)); v++)
              {
                JsonNode *value = json_array_get_element (json_node_get_array (values), v);
                g_autofree char *key = NULL;
                const char *name;
                JsonObject *option;

                if (!JSON_NODE_HOLDS_OBJECT (value))
                  continue;
                key = code_to_string (json_object_get_member (json_node_get_object (value), "key"));
                name = member_string (json_node_get_object (value), "name");
                if (key == NULL)
                  {
                    problem (im, where, "attribute \"%s\", value %u: missing \"key\"", code, v);
                    continue;
                  }
                option = json_object_new ();
                json_object_set_string_member (option, "value", key);
                set_text (option, "label", name != NULL && *name ? name : key);
                json_array_add_object_element (options, option);
              }
          if (json_array_get_length (options) == 0)
            problem (im, where, "attribute \"%s\" is a %s without values", code, datatype);
          json_object_set_array_member (field, "options", options);
        }
      json_array_add_object_element (fields, field);
    }
  return g_steal_pointer (&fields);
}

/**
 * kiosk_open311_import:
 * @services_json: the GeoReport v2 `services.json` (an array)
 * @definitions: (element-type utf8 GBytes) (nullable): service code ->
 *   `services/{code}.json`, for the services with metadata=true
 * @version: (nullable): the version to give the catalogue
 *
 * Turns Open311 service definitions into a catalogue (format 1) that
 * delivers through Open311.  Each service asks for its attributes in
 * their `order`, then a description and the place.  The result still has
 * to pass kiosk_catalog_new_from_bytes() like any catalogue; texts are
 * German, the language the endpoint answers in.
 *
 * Returns: (transfer full) (nullable): the catalogue JSON, or %NULL with
 *   every problem listed in @error
 */
GBytes *
kiosk_open311_import (GBytes      *services_json,
                      GHashTable  *definitions,
                      const char  *version,
                      GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  g_autoptr(GPtrArray) errors = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(JsonObject) root = json_object_new ();
  g_autoptr(JsonArray) categories = json_array_new ();
  g_autoptr(JsonArray) services = json_array_new ();
  g_autoptr(GHashTable) groups = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GHashTable) service_ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GError) parse_error = NULL;
  g_autoptr(JsonGenerator) generator = NULL;
  g_autoptr(JsonNode) root_node = NULL;
  Importer im = { errors };
  JsonNode *list;
  gsize len;
  char *text;

  g_return_val_if_fail (services_json != NULL, NULL);

  if (!parse_document (parser, services_json, &parse_error))
    {
      g_set_error (error, KIOSK_OPEN311_ERROR, KIOSK_OPEN311_ERROR_INVALID,
                   "services.json: not valid JSON: %s", parse_error->message);
      return NULL;
    }
  list = json_parser_get_root (parser);
  if (list == NULL || !JSON_NODE_HOLDS_ARRAY (list))
    {
      g_set_error (error, KIOSK_OPEN311_ERROR, KIOSK_OPEN311_ERROR_INVALID,
                   "services.json: expected an array of services");
      return NULL;
    }

  for (guint i = 0; i < json_array_get_length (json_node_get_array (list)); i++)
    {
      JsonNode *node = json_array_get_element (json_node_get_array (list), i);
      g_autofree char *where = g_strdup_printf ("services.json: service %u", i);
      g_autofree char *code = NULL;
      g_autofree char *id = NULL;
      g_autofree char *group_id = NULL;
      g_autoptr(JsonArray) fields = NULL;
      g_autoptr(JsonObject) mapping = json_object_new ();
      const char *description_id = "description";
      JsonObject *s, *service, *target, *step;
      JsonArray *steps;
      const char *name, *description, *group, *keywords;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        {
          problem (&im, where, "expected an object");
          continue;
        }
      s = json_node_get_object (node);
      code = code_to_string (json_object_get_member (s, "service_code"));
      name = member_string (s, "service_name");
      description = member_string (s, "description");
      group = member_string (s, "group");
      keywords = member_string (s, "keywords");
      if (code == NULL)
        {
          problem (&im, where, "missing \"service_code\"");
          continue;
        }
      g_free (where);
      where = g_strdup_printf ("services.json: service \"%s\"", code);
      if (name == NULL || *name == '\0')
        {
          problem (&im, where, "missing \"service_name\"");
          continue;
        }

      if (member_bool (s, "metadata", FALSE))
        {
          GBytes *def_bytes = definitions != NULL ? g_hash_table_lookup (definitions, code) : NULL;
          g_autoptr(JsonParser) def_parser = json_parser_new_immutable ();
          g_autofree char *def_where = g_strdup_printf ("services/%s.json", code);

          if (def_bytes == NULL)
            {
              problem (&im, where, "metadata is true, but services/%s.json was not given", code);
              continue;
            }
          g_clear_error (&parse_error);
          if (!parse_document (def_parser, def_bytes, &parse_error))
            {
              problem (&im, def_where, "not valid JSON: %s", parse_error->message);
              continue;
            }
          fields = import_attributes (&im, def_where, json_parser_get_root (def_parser), mapping);
          if (fields == NULL)
            continue;
        }
      else
        fields = json_array_new ();

      /* Every GeoReport request has a description and a place. */
      {
        JsonObject *f = json_object_new ();

        json_object_set_string_member (f, "id", "description");
        json_object_set_string_member (f, "type", "textarea");
        set_text (f, "label", "Beschreibung");
        json_object_set_int_member (f, "max_length", 4000);
        json_object_set_boolean_member (f, "required", TRUE);
        /* An attribute may already be called "description". */
        for (guint k = 0; k < json_array_get_length (fields); k++)
          if (g_strcmp0 (json_object_get_string_member (json_array_get_object_element (fields, k), "id"),
                         "description") == 0)
            json_object_set_string_member (f, "id", description_id = "request-description");
        json_array_add_object_element (fields, f);
      }

      id = make_id ("open311-", code);
      while (g_hash_table_contains (service_ids, id))
        {
          char *longer = g_strconcat (id, "-2", NULL);

          g_free (id);
          id = longer;
        }
      g_hash_table_add (service_ids, g_strdup (id));

      group_id = group != NULL && *group != '\0' ? make_id ("", group) : g_strdup ("open311");
      if (!g_hash_table_contains (groups, group_id))
        {
          JsonObject *category = json_object_new ();

          json_object_set_string_member (category, "id", group_id);
          set_text (category, "title", group != NULL && *group != '\0' ? group : "Meldungen");
          json_array_add_object_element (categories, category);
          g_hash_table_add (groups, g_strdup (group_id));
        }

      service = json_object_new ();
      json_object_set_string_member (service, "id", id);
      json_object_set_int_member (service, "version", 1);
      set_text (service, "title", name);
      set_text (service, "summary", description != NULL && *description != '\0' ? description : name);
      json_object_set_string_member (service, "category", group_id);
      if (keywords != NULL && *keywords != '\0')
        {
          g_auto(GStrv) words = g_strsplit (keywords, ",", -1);
          JsonArray *array = json_array_new ();
          JsonObject *by_lang = json_object_new ();

          for (char **w = words; *w != NULL; w++)
            {
              g_strstrip (*w);
              if (**w != '\0')
                json_array_add_string_element (array, *w);
            }
          json_object_set_array_member (by_lang, "de", array);
          json_object_set_object_member (service, "keywords", by_lang);
        }
      json_object_set_string_member (service, "offline", "queue");
      target = json_object_new ();
      json_object_set_string_member (target, "type", "open311");
      json_object_set_string_member (target, "service_code", code);
      json_object_set_object_member (target, "attributes", g_steal_pointer (&mapping));
      json_object_set_string_member (target, "description", description_id);
      json_object_set_string_member (target, "address", "location");
      json_object_set_object_member (service, "target", target);
      json_object_set_int_member (service, "retention_days", 90);

      steps = json_array_new ();
      step = json_object_new ();
      set_text (step, "title", "Angaben");
      json_object_set_array_member (step, "fields", g_steal_pointer (&fields));
      json_array_add_object_element (steps, step);

      step = json_object_new ();
      set_text (step, "title", "Ort");
      {
        JsonArray *place = json_array_new ();
        JsonObject *f = json_object_new ();

        json_object_set_string_member (f, "id", "location");
        json_object_set_string_member (f, "type", "address");
        set_text (f, "label", "Ort des Anliegens");
        json_object_set_boolean_member (f, "required", TRUE);
        json_array_add_object_element (place, f);
        json_object_set_array_member (step, "fields", place);
      }
      json_array_add_object_element (steps, step);
      json_object_set_array_member (service, "steps", steps);
      json_array_add_object_element (services, service);
    }

  if (errors->len > 0)
    {
      g_autofree char *message = NULL;

      g_ptr_array_add (errors, NULL);
      message = g_strjoinv ("\n", (char **) errors->pdata);
      g_set_error_literal (error, KIOSK_OPEN311_ERROR, KIOSK_OPEN311_ERROR_INVALID, message);
      return NULL;
    }

  json_object_set_int_member (root, "format", 1);
  json_object_set_string_member (root, "version", version != NULL ? version : "open311");
  json_object_set_array_member (root, "categories", g_steal_pointer (&categories));
  json_object_set_array_member (root, "services", g_steal_pointer (&services));
  root_node = json_node_init_object (json_node_alloc (), root);
  generator = json_generator_new ();
  json_generator_set_pretty (generator, TRUE);
  json_generator_set_root (generator, root_node);
  text = json_generator_to_data (generator, &len);
  return g_bytes_new_take (text, len);
}

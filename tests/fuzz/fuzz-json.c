/* fuzz-json.c: libFuzzer target for the catalogue's JSON reader, against
 * json-glib
 *
 * kiosk-json is hand-written (see app/core/catalog/kiosk-json-private.h for why),
 * so json-glib is its oracle: whatever kiosk-json accepts, json-glib must
 * accept too and read to the same values, member names in the same order.
 * The other way round is allowed to differ where kiosk-json is stricter on
 * purpose (duplicate names, "\u0000", lone surrogates, octal escapes,
 * numbers beyond a double); test-json.c lists those refusals one by one.
 * Every refusal must say where ("line L, column C: ...").
 *
 * SPDX-FileCopyrightText: 2026 Stadtkiosk contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <math.h>
#include <stdint.h>
#include <string.h>

#include "kiosk-json-private.h"

int LLVMFuzzerInitialize (int *argc, char ***argv);
int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

static gboolean canary;

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  g_log_set_always_fatal (G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING);
  canary = g_getenv ("KIOSK_FUZZ_CANARY") != NULL;
  return 0;
}

static gboolean
same (const KioskJsonValue *v,
      JsonNode             *node)
{
  switch (v->type)
    {
    case KIOSK_JSON_OBJECT:
      {
        JsonObject *object;
        JsonObjectIter iter;
        const char *name;
        JsonNode *member;
        const KioskJsonValue *m = v->first;

        if (!JSON_NODE_HOLDS_OBJECT (node))
          return FALSE;
        object = json_node_get_object (node);
        if (json_object_get_size (object) != v->n_children)
          return FALSE;
        json_object_iter_init_ordered (&iter, object);
        while (json_object_iter_next_ordered (&iter, &name, &member))
          {
            if (m == NULL || strcmp (m->name, name) != 0 || !same (m, member))
              return FALSE;
            m = m->next;
          }
        return m == NULL;
      }
    case KIOSK_JSON_ARRAY:
      {
        JsonArray *array;
        const KioskJsonValue *e = v->first;

        if (!JSON_NODE_HOLDS_ARRAY (node))
          return FALSE;
        array = json_node_get_array (node);
        if (json_array_get_length (array) != v->n_children)
          return FALSE;
        for (guint i = 0; i < v->n_children; i++, e = e->next)
          if (!same (e, json_array_get_element (array, i)))
            return FALSE;
        return e == NULL;
      }
    case KIOSK_JSON_STRING:
      return JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING &&
             strcmp (json_node_get_string (node), v->string) == 0;
    case KIOSK_JSON_BOOLEAN:
      return JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_BOOLEAN &&
             json_node_get_boolean (node) == v->boolean;
    case KIOSK_JSON_INTEGER:
      return JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_INT64 &&
             json_node_get_int (node) == v->integer;
    case KIOSK_JSON_DOUBLE:
      if (!JSON_NODE_HOLDS_VALUE (node))
        return FALSE;
      /* A whole number beyond gint64 is a double here; json-glib 1.6
       * wraps it into a wrong gint64 (9223372036854775808 reads as
       * -9223372036854775808).  That is json-glib's mistake, allowed only
       * where it happens. */
      if (json_node_get_value_type (node) == G_TYPE_INT64)
        return v->number == floor (v->number) && fabs (v->number) >= 9223372036854775808.0;
      return json_node_get_value_type (node) == G_TYPE_DOUBLE && json_node_get_double (node) == v->number;
    case KIOSK_JSON_NULL:
    default:
      return JSON_NODE_HOLDS_NULL (node);
    }
}

/* The negative control: one character more in the first string json-glib
 * read.  The comparison has to notice. */
static gboolean
plant (JsonNode *node)
{
  if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
    {
      g_autofree char *longer = g_strconcat (json_node_get_string (node), "x", NULL);

      json_node_set_string (node, longer);
      return TRUE;
    }
  if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);

      for (guint i = 0; i < json_array_get_length (array); i++)
        if (plant (json_array_get_element (array, i)))
          return TRUE;
    }
  if (JSON_NODE_HOLDS_OBJECT (node))
    {
      JsonObjectIter iter;
      JsonNode *member;

      json_object_iter_init (&iter, json_node_get_object (node));
      while (json_object_iter_next (&iter, NULL, &member))
        if (plant (member))
          return TRUE;
    }
  return FALSE;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KioskJson) doc = kiosk_json_parse ((const char *) data, size, 32, &error);
  g_autoptr(JsonParser) parser = NULL;
  gsize skip = 0;

  if (doc == NULL)
    {
      if (error == NULL || !g_str_has_prefix (error->message, "line "))
        __builtin_trap ();   /* every refusal says where */
      return 0;
    }

  /* json-glib does not skip a byte order mark; kiosk-json does. */
  if (size >= 3 && memcmp (data, "\xef\xbb\xbf", 3) == 0)
    skip = 3;
  parser = json_parser_new ();
  if (!json_parser_load_from_data (parser, (const char *) data + skip, size - skip, NULL))
    __builtin_trap ();       /* accepted what json-glib refuses */
  if (canary)
    plant (json_parser_get_root (parser));
  if (!same (kiosk_json_get_root (doc), json_parser_get_root (parser)))
    __builtin_trap ();       /* read it differently */
  return 0;
}

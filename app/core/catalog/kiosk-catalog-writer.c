/* kiosk-catalog-writer.c: the canonical JSON text of a catalogue
 *
 * The builder saves what it loaded byte for byte when nothing changed, so
 * the one layout it writes has to be defined.  It is the layout of
 * `python3 -m json.tool --indent 2 --no-ensure-ascii`: members in their
 * order, two spaces per level, every object and array with content spread
 * over lines, `": "` and `","` between members, text as UTF-8 with only
 * `"`, `\`, and control characters escaped (`\n`, `\t`, …, else
 * `\u001f`, lower-case), numbers without a fraction as integers and others
 * in the shortest form that reads back to the same double (`0.5`, `1e-05`,
 * `2.0`), and a newline at the end.  data/catalog/demo.json is in it, and
 * tests/core/test-catalog-document.c checks it against python where there is
 * one.
 *
 * SPDX-FileCopyrightText: 2026 Stadtkiosk contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "kiosk-catalog"

#include "config.h"

#include "kiosk-catalog-document.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void
write_string (GString    *out,
              const char *text)
{
  g_string_append_c (out, '"');
  for (const char *p = text; *p != '\0'; p++)
    {
      guchar c = (guchar) *p;

      switch (c)
        {
        case '"':
          g_string_append (out, "\\\"");
          break;
        case '\\':
          g_string_append (out, "\\\\");
          break;
        case '\n':
          g_string_append (out, "\\n");
          break;
        case '\r':
          g_string_append (out, "\\r");
          break;
        case '\t':
          g_string_append (out, "\\t");
          break;
        case '\b':
          g_string_append (out, "\\b");
          break;
        case '\f':
          g_string_append (out, "\\f");
          break;
        default:
          if (c < 0x20)
            g_string_append_printf (out, "\\u%04x", c);
          else
            g_string_append_c (out, (char) c);
        }
    }
  g_string_append_c (out, '"');
}

/* Python's repr() of a float: the shortest digits that read back to the
 * same value; positional between 1e-4 and 1e16, else with an exponent. */
static void
write_double (GString *out,
              double   value)
{
  char buf[64];
  char digits[32];
  int exponent;
  int n_digits = 0;
  const char *e;
  gboolean negative = FALSE;

  if (!isfinite (value))
    {
      /* JSON has no such numbers and our reader refuses them. */
      g_string_append (out, "null");
      return;
    }
  if (value == 0.0)
    {
      g_string_append (out, signbit (value) ? "-0.0" : "0.0");
      return;
    }
  /* g_ascii_formatd: "-d.ddde+XX" whatever the locale's decimal point. */
  for (int precision = 1; precision <= 17; precision++)
    {
      char format[16];

      g_snprintf (format, sizeof format, "%%.%de", precision - 1);
      g_ascii_formatd (buf, sizeof buf, format, value);
      if (g_ascii_strtod (buf, NULL) == value)
        break;
    }
  e = strchr (buf, 'e');
  g_assert (e != NULL);
  exponent = atoi (e + 1);
  for (const char *p = buf; p < e; p++)
    {
      if (*p == '-')
        negative = TRUE;
      else if (g_ascii_isdigit (*p) && n_digits < (int) sizeof digits - 1)
        digits[n_digits++] = *p;
    }
  digits[n_digits] = '\0';
  while (n_digits > 1 && digits[n_digits - 1] == '0')
    digits[--n_digits] = '\0';

  if (negative)
    g_string_append_c (out, '-');
  if (exponent >= -4 && exponent < 16)
    {
      if (exponent < 0)
        {
          g_string_append (out, "0.");
          for (int i = 0; i < -exponent - 1; i++)
            g_string_append_c (out, '0');
          g_string_append (out, digits);
        }
      else if (n_digits <= exponent + 1)
        {
          g_string_append (out, digits);
          for (int i = n_digits; i < exponent + 1; i++)
            g_string_append_c (out, '0');
          g_string_append (out, ".0");
        }
      else
        {
          g_string_append_len (out, digits, exponent + 1);
          g_string_append_c (out, '.');
          g_string_append (out, digits + exponent + 1);
        }
    }
  else
    {
      g_string_append_c (out, digits[0]);
      if (n_digits > 1)
        {
          g_string_append_c (out, '.');
          g_string_append (out, digits + 1);
        }
      g_string_append_printf (out, "e%c%02d", exponent < 0 ? '-' : '+', ABS (exponent));
    }
}

static void
indent (GString *out,
        guint    depth)
{
  for (guint i = 0; i < depth; i++)
    g_string_append (out, "  ");
}

static void
write_node (GString  *out,
            JsonNode *node,
            guint     depth)
{
  switch (json_node_get_node_type (node))
    {
    case JSON_NODE_NULL:
      g_string_append (out, "null");
      break;

    case JSON_NODE_VALUE:
      {
        GType type = json_node_get_value_type (node);

        if (type == G_TYPE_STRING)
          write_string (out, json_node_get_string (node));
        else if (type == G_TYPE_BOOLEAN)
          g_string_append (out, json_node_get_boolean (node) ? "true" : "false");
        else if (type == G_TYPE_INT64)
          g_string_append_printf (out, "%" G_GINT64_FORMAT, json_node_get_int (node));
        else
          write_double (out, json_node_get_double (node));
      }
      break;

    case JSON_NODE_ARRAY:
      {
        JsonArray *array = json_node_get_array (node);
        guint n = json_array_get_length (array);

        if (n == 0)
          {
            g_string_append (out, "[]");
            break;
          }
        g_string_append (out, "[\n");
        for (guint i = 0; i < n; i++)
          {
            indent (out, depth + 1);
            write_node (out, json_array_get_element (array, i), depth + 1);
            g_string_append (out, i + 1 < n ? ",\n" : "\n");
          }
        indent (out, depth);
        g_string_append_c (out, ']');
      }
      break;

    case JSON_NODE_OBJECT:
      {
        JsonObject *object = json_node_get_object (node);
        JsonObjectIter iter;
        const char *name;
        JsonNode *member;
        gboolean first = TRUE;

        if (json_object_get_size (object) == 0)
          {
            g_string_append (out, "{}");
            break;
          }
        g_string_append (out, "{\n");
        json_object_iter_init_ordered (&iter, object);
        while (json_object_iter_next_ordered (&iter, &name, &member))
          {
            if (!first)
              g_string_append (out, ",\n");
            first = FALSE;
            indent (out, depth + 1);
            write_string (out, name);
            g_string_append (out, ": ");
            write_node (out, member, depth + 1);
          }
        g_string_append_c (out, '\n');
        indent (out, depth);
        g_string_append_c (out, '}');
      }
      break;

    default:
      g_assert_not_reached ();
    }
}

/**
 * kiosk_catalog_write_canonical:
 * @node: a JSON tree
 *
 * Writes @node in the builder's canonical layout (see the top of this file),
 * with a newline at the end.
 *
 * Returns: (transfer full): the UTF-8 text
 */
GBytes *
kiosk_catalog_write_canonical (JsonNode *node)
{
  GString *out;

  g_return_val_if_fail (node != NULL, NULL);

  out = g_string_sized_new (4096);
  write_node (out, node, 0);
  g_string_append_c (out, '\n');
  return g_string_free_to_bytes (out);
}

/* test-json.c: the catalogue's JSON reader (kiosk-json)
 *
 * Values as RFC 8259 defines them, every refusal with its place, and the
 * hand-over to json-glib.  tests/fuzz/fuzz-json.c compares it with
 * json-glib on arbitrary input.
 *
 * SPDX-FileCopyrightText: 2026 Stadtkiosk contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "kiosk-json-private.h"

static KioskJson *
parse_ok (const char *text)
{
  g_autoptr(GError) error = NULL;
  KioskJson *doc = kiosk_json_parse (text, strlen (text), 32, &error);

  g_assert_no_error (error);
  g_assert_nonnull (doc);
  return doc;
}

static void
test_values (void)
{
  g_autoptr(KioskJson) doc = parse_ok (" {\"s\": \"Müll\", \"i\": -42, \"d\": 2.5e1, \"t\": true, \"f\": false,"
                                       " \"n\": null, \"a\": [1, [], {}], \"o\": {\"x\": \"y\"}} \n");
  const KioskJsonValue *root = kiosk_json_get_root (doc);
  const KioskJsonValue *a;
  const char *order[] = { "s", "i", "d", "t", "f", "n", "a", "o" };
  guint i = 0;

  g_assert_cmpint (root->type, ==, KIOSK_JSON_OBJECT);
  g_assert_cmpuint (root->n_children, ==, 8);
  /* Members keep their order. */
  for (const KioskJsonValue *m = root->first; m != NULL; m = m->next)
    g_assert_cmpstr (m->name, ==, order[i++]);
  g_assert_cmpuint (i, ==, 8);

  g_assert_cmpstr (kiosk_json_get_member (root, "s")->string, ==, "Müll");
  g_assert_cmpint (kiosk_json_get_member (root, "i")->type, ==, KIOSK_JSON_INTEGER);
  g_assert_cmpint (kiosk_json_get_member (root, "i")->integer, ==, -42);
  g_assert_cmpint (kiosk_json_get_member (root, "d")->type, ==, KIOSK_JSON_DOUBLE);
  g_assert_cmpfloat (kiosk_json_get_number (kiosk_json_get_member (root, "d")), ==, 25.0);
  g_assert_cmpfloat (kiosk_json_get_number (kiosk_json_get_member (root, "i")), ==, -42.0);
  g_assert_true (kiosk_json_get_member (root, "t")->boolean);
  g_assert_cmpint (kiosk_json_get_member (root, "f")->type, ==, KIOSK_JSON_BOOLEAN);
  g_assert_false (kiosk_json_get_member (root, "f")->boolean);
  g_assert_cmpint (kiosk_json_get_member (root, "n")->type, ==, KIOSK_JSON_NULL);
  g_assert_null (kiosk_json_get_member (root, "missing"));
  g_assert_null (kiosk_json_get_member (kiosk_json_get_member (root, "s"), "x"));
  g_assert_null (kiosk_json_get_member (NULL, "x"));

  a = kiosk_json_get_member (root, "a");
  g_assert_cmpint (a->type, ==, KIOSK_JSON_ARRAY);
  g_assert_cmpuint (a->n_children, ==, 3);
  g_assert_null (a->first->name);
  g_assert_cmpint (a->first->integer, ==, 1);
  g_assert_cmpint (a->first->next->type, ==, KIOSK_JSON_ARRAY);
  g_assert_cmpuint (a->first->next->n_children, ==, 0);
  g_assert_null (a->first->next->first);
  g_assert_cmpint (a->first->next->next->type, ==, KIOSK_JSON_OBJECT);
  g_assert_null (a->first->next->next->next);
  g_assert_cmpstr (kiosk_json_get_member (kiosk_json_get_member (root, "o"), "x")->string, ==, "y");

  g_assert_cmpstr (kiosk_json_describe (root), ==, "an object");
  g_assert_cmpstr (kiosk_json_describe (a), ==, "an array");
  g_assert_cmpstr (kiosk_json_describe (kiosk_json_get_member (root, "d")), ==, "a number");
  g_assert_cmpstr (kiosk_json_describe (kiosk_json_get_member (root, "t")), ==, "true/false");
  g_assert_cmpstr (kiosk_json_describe (kiosk_json_get_member (root, "n")), ==, "null");
  g_assert_cmpstr (kiosk_json_describe (kiosk_json_get_member (root, "s")), ==, "a string");
}

static void
test_scalars_at_top (void)
{
  const struct { const char *text; KioskJsonType type; } cases[] = {
    { "\"x\"", KIOSK_JSON_STRING },
    { "0", KIOSK_JSON_INTEGER },
    { "-0", KIOSK_JSON_INTEGER },
    { "0.5", KIOSK_JSON_DOUBLE },
    { "1E+2", KIOSK_JSON_DOUBLE },
    { "null", KIOSK_JSON_NULL },
    { "\xef\xbb\xbf[]", KIOSK_JSON_ARRAY },   /* a byte order mark is skipped */
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(KioskJson) doc = parse_ok (cases[i].text);

      g_assert_cmpint (kiosk_json_get_root (doc)->type, ==, cases[i].type);
    }
}

static void
test_numbers (void)
{
  g_autoptr(KioskJson) doc = parse_ok ("[9223372036854775807, -9223372036854775808, 9223372036854775808,"
                                       " 18446744073709551616, 1.5e300, -0.0, 1e-400, 12345678901234567890123]");
  const KioskJsonValue *v = kiosk_json_get_root (doc)->first;

  g_assert_cmpint (v->type, ==, KIOSK_JSON_INTEGER);
  g_assert_cmpint (v->integer, ==, G_MAXINT64);
  v = v->next;
  g_assert_cmpint (v->type, ==, KIOSK_JSON_INTEGER);
  g_assert_cmpint (v->integer, ==, G_MININT64);
  /* Whole numbers beyond gint64 become doubles, as in json-glib. */
  v = v->next;
  g_assert_cmpint (v->type, ==, KIOSK_JSON_DOUBLE);
  g_assert_cmpfloat (v->number, ==, 9223372036854775808.0);
  v = v->next;
  g_assert_cmpint (v->type, ==, KIOSK_JSON_DOUBLE);
  g_assert_cmpfloat (v->number, ==, 18446744073709551616.0);
  v = v->next;
  g_assert_cmpfloat (v->number, ==, 1.5e300);
  v = v->next;
  g_assert_cmpint (v->type, ==, KIOSK_JSON_DOUBLE);
  g_assert_cmpfloat (v->number, ==, 0.0);
  v = v->next;
  g_assert_cmpfloat (v->number, ==, 0.0);   /* underflow is zero, not an error */
  v = v->next;
  g_assert_cmpfloat (v->number, ==, 12345678901234567890123.0);
}

static void
test_strings (void)
{
  g_autoptr(KioskJson) doc = parse_ok ("[\"a\\\"b\\\\c\\/d\\b\\f\\n\\r\\t\", \"\\u00fc\\u00DF\", \"\\ud83d\\ude00\","
                                       " \"\", \"ü\\n\", \"\\u20ac\"]");
  const KioskJsonValue *v = kiosk_json_get_root (doc)->first;

  g_assert_cmpstr (v->string, ==, "a\"b\\c/d\b\f\n\r\t");
  v = v->next;
  g_assert_cmpstr (v->string, ==, "üß");
  v = v->next;
  g_assert_cmpstr (v->string, ==, "\xf0\x9f\x98\x80");   /* U+1F600 from a surrogate pair */
  v = v->next;
  g_assert_cmpstr (v->string, ==, "");
  v = v->next;
  g_assert_cmpstr (v->string, ==, "ü\n");
  v = v->next;
  g_assert_cmpstr (v->string, ==, "€");
}

/* Every refusal names its place and what is wrong. */
static void
test_refused (void)
{
  const struct { const char *text; gsize len; const char *message; } cases[] = {
    { "", 0, "line 1, column 1: no JSON value, the text is empty" },
    { " \n ", 0, "line 2, column 2: no JSON value, the text is empty" },
    { "{\"a\": 1,}", 0, "line 1, column 9: a comma before '}' (JSON has no trailing commas)" },
    { "[1,]", 0, "line 1, column 4: a comma before ']' (JSON has no trailing commas)" },
    { "[1 2]", 0, "line 1, column 4: unexpected '2'; expected ',' or ']'" },
    { "{\"a\" 1}", 0, "line 1, column 6: unexpected '1'; expected ':' after the member name" },
    { "{a: 1}", 0, "line 1, column 2: unexpected 'a'; expected a member name in double quotes" },
    { "{\"a\": 1, \"a\": 2}", 0, "line 1, column 10: \"a\" appears twice in this object" },
    { "[1] [2]", 0, "line 1, column 5: unexpected '[' after the end of the JSON value" },
    { "[01]", 0, "line 1, column 2: a number may not start with 0 (write 7, not 07)" },
    { "[1.]", 0, "line 1, column 2: a number needs a digit after '.'" },
    { "[.5]", 0, "line 1, column 2: unexpected '.'; expected a value" },
    { "[+1]", 0, "line 1, column 2: unexpected '+'; expected a value" },
    { "[-]", 0, "line 1, column 2: a number needs a digit after '-'" },
    { "[1e]", 0, "line 1, column 2: a number needs a digit in its exponent" },
    { "[1e999]", 0, "line 1, column 2: the number 1e999 is too large" },
    { "[tru]", 0, "line 1, column 2: unexpected 't'; expected a value" },
    { "[nul", 0, "line 1, column 2: unexpected 'n'; expected a value" },
    { "[NaN]", 0, "line 1, column 2: unexpected 'N'; expected a value" },
    { "[\"ab", 0, "line 1, column 2: this string has no closing quote" },
    { "[\"a\\", 0, "line 1, column 2: this string has no closing quote" },
    { "[\"a\tb\"]", 0, "line 1, column 4: a control character (byte 0x09) inside a string; write it as \\n, \\t or \\u00XX" },
    { "[\"\\345\"]", 0, "line 1, column 3: \\3 is not an escape JSON knows (\\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX)" },
    { "[\"\\x41\"]", 0, "line 1, column 3: \\x is not an escape JSON knows" },
    { "[\"\\ \"]", 0, "line 1, column 3: a backslash before ' ' is not an escape JSON knows" },
    { "[\"\\\xc3\xbc\"]", 0, "line 1, column 3: a backslash before 'ü' is not an escape JSON knows" },
    { "[\"\\u00g1\"]", 0, "line 1, column 3: \\u must be followed by four hex digits" },
    { "[\"\\u0000\"]", 0, "line 1, column 3: \\u0000 (a NUL character) is not allowed in text" },
    { "[\"\\udc00\"]", 0, "line 1, column 3: \\udc00 is the second half of a surrogate pair without the first" },
    { "[\"\\ud800\"]", 0, "line 1, column 3: \\ud800 is the first half of a surrogate pair without the second" },
    { "[\"\\ud800\\u0041\"]", 0, "line 1, column 3: \\ud800 is the first half" },
    { "[\n  \"Müll\" x]", 0, "line 2, column 10: unexpected 'x'; expected ',' or ']'" },
    { "[\"\xff\"]", 0, "line 1, column 3: a byte that is not UTF-8 (byte 2)" },
    { "[\"\xc3\xbc\" \xc3]", 0, "line 1, column 7: a byte that is not UTF-8 (byte 6)" },
    { "[1,\0 2]", 7, "line 1, column 4: a NUL byte; JSON is text" },
    { "[1, //\n 2]", 0, "line 1, column 5: unexpected '/'; expected a value" },
    { "[1, ü]", 0, "line 1, column 5: unexpected 'ü'; expected a value" },
    { "{\"a\": [}", 0, "line 1, column 8: unexpected '}'; expected a value" },
    { "[", 0, "line 1, column 2: the text ends where a value was expected" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      gsize len = cases[i].len != 0 ? cases[i].len : strlen (cases[i].text);
      g_autoptr(KioskJson) doc = kiosk_json_parse (cases[i].text, len, 32, &error);
      g_autofree char *shown = g_strescape (cases[i].text, NULL);

      g_test_message ("%s", shown);
      g_assert_null (doc);
      g_assert_error (error, KIOSK_JSON_ERROR, KIOSK_JSON_ERROR_INVALID);
      if (!g_str_has_prefix (error->message, cases[i].message))
        g_error ("case %u: expected \"%s…\", got \"%s\"", i, cases[i].message, error->message);
    }
}

/* Past 16 members the duplicate check changes method; both must see. */
static void
test_duplicates_in_large_objects (void)
{
  for (guint dup = 1; dup < 40; dup += 7)
    {
      g_autoptr(GString) text = g_string_new ("{");
      g_autoptr(GError) error = NULL;
      g_autoptr(KioskJson) ok = NULL;
      g_autoptr(KioskJson) doc = NULL;

      for (guint i = 0; i < 40; i++)
        g_string_append_printf (text, "%s\"m%u\": %u", i ? ", " : "", i, i);
      g_string_append (text, "}");
      ok = kiosk_json_parse (text->str, text->len, 32, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (kiosk_json_get_root (ok)->n_children, ==, 40);
      g_assert_cmpint (kiosk_json_get_member (kiosk_json_get_root (ok), "m39")->integer, ==, 39);

      g_string_truncate (text, text->len - 1);
      g_string_append_printf (text, ", \"m%u\": 0}", dup);
      doc = kiosk_json_parse (text->str, text->len, 32, &error);
      g_assert_null (doc);
      g_assert_error (error, KIOSK_JSON_ERROR, KIOSK_JSON_ERROR_INVALID);
      g_assert_nonnull (strstr (error->message, "appears twice"));
    }
}

static void
test_long_names_cut_in_messages (void)
{
  g_autoptr(GString) name = g_string_new (NULL);
  g_autoptr(GString) text = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(KioskJson) doc = NULL;
  g_autofree char *expected = NULL;

  for (guint i = 0; i < 1000; i++)
    g_string_append (name, "ü");
  text = g_string_new (NULL);
  g_string_printf (text, "{\"%s\": 1, \"%s\": 2}", name->str, name->str);
  doc = kiosk_json_parse (text->str, text->len, 32, &error);
  g_assert_null (doc);
  g_string_truncate (name, 60 * 2);   /* 60 characters of two bytes */
  expected = g_strdup_printf ("line 1, column 1009: \"%s…\" appears twice in this object", name->str);
  g_assert_cmpstr (error->message, ==, expected);
}

static void
test_depth (void)
{
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(KioskJson) ok = NULL;
  g_autoptr(KioskJson) deep = NULL;

  for (guint i = 0; i < 32; i++)
    g_string_append (text, i % 2 ? "{\"a\":" : "[");
  g_string_append (text, "0");
  for (guint i = 32; i-- > 0;)
    g_string_append (text, i % 2 ? "}" : "]");
  ok = kiosk_json_parse (text->str, text->len, 32, &error);
  g_assert_no_error (error);

  g_string_prepend (text, "[");
  g_string_append (text, "]");
  deep = kiosk_json_parse (text->str, text->len, 32, &error);
  g_assert_null (deep);
  g_assert_error (error, KIOSK_JSON_ERROR, KIOSK_JSON_ERROR_TOO_DEEP);
  g_assert_cmpstr (error->message, ==, "line 1, column 93: JSON nested deeper than 32 levels");
}

/* A large document spans many arena blocks; every value must survive. */
static void
test_large (void)
{
  g_autoptr(GString) text = g_string_new ("[");
  g_autoptr(KioskJson) doc = NULL;
  guint n = 0;

  for (guint i = 0; i < 100000; i++)
    g_string_append_printf (text, "%s{\"id\": \"s-%u\", \"n\": %u, \"esc\": \"\\u00fc%u\"}", i ? "," : "", i, i, i);
  g_string_append (text, "]");
  doc = parse_ok (text->str);
  for (const KioskJsonValue *v = kiosk_json_get_root (doc)->first; v != NULL; v = v->next, n++)
    {
      g_autofree char *id = g_strdup_printf ("s-%u", n);
      g_autofree char *esc = g_strdup_printf ("ü%u", n);

      g_assert_cmpstr (kiosk_json_get_member (v, "id")->string, ==, id);
      g_assert_cmpint (kiosk_json_get_member (v, "n")->integer, ==, n);
      g_assert_cmpstr (kiosk_json_get_member (v, "esc")->string, ==, esc);
    }
  g_assert_cmpuint (n, ==, 100000);
}

static void
test_to_node (void)
{
  const char *text = "{\"a\":[1,2.5,\"x\",true,null,{\"b\":false}],\"c\":\"ü\"}";
  g_autoptr(KioskJson) doc = parse_ok (text);
  g_autoptr(JsonNode) node = kiosk_json_to_node (kiosk_json_get_root (doc));
  g_autofree char *back = json_to_string (node, FALSE);
  JsonArray *a = json_object_get_array_member (json_node_get_object (node), "a");

  g_assert_cmpstr (back, ==, text);
  g_assert_cmpint (json_node_get_value_type (json_array_get_element (a, 0)), ==, G_TYPE_INT64);
  g_assert_cmpint (json_node_get_value_type (json_array_get_element (a, 1)), ==, G_TYPE_DOUBLE);
}

/* JSON from outside (#12): 200 KB of "[" overflowed the stack inside
 * json-glib; through kiosk_json_parse_node() it is refused with the limit
 * named, and what is accepted arrives as json-glib nodes. */
static void
test_outside (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *deep = g_strnfill (200000, '[');
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(JsonNode) node = NULL;

  node = kiosk_json_parse_node (deep, strlen (deep), KIOSK_JSON_OUTSIDE_DEPTH, &error);
  g_assert_null (node);
  g_assert_error (error, KIOSK_JSON_ERROR, KIOSK_JSON_ERROR_TOO_DEEP);
  g_assert_nonnull (strstr (error->message, "deeper than 32 levels"));
  g_clear_error (&error);

  node = kiosk_json_parse_bytes (NULL, KIOSK_JSON_OUTSIDE_DEPTH, &error);
  g_assert_null (node);
  g_assert_error (error, KIOSK_JSON_ERROR, KIOSK_JSON_ERROR_INVALID);
  g_clear_error (&error);

  bytes = g_bytes_new_static ("{\"reference\": \"REF-1\", \"n\": [1, [2]]}", 37);
  node = kiosk_json_parse_bytes (bytes, KIOSK_JSON_OUTSIDE_DEPTH, &error);
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (node));
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (node), "reference"), ==, "REF-1");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/kiosk/json/values", test_values);
  g_test_add_func ("/kiosk/json/scalars-at-top", test_scalars_at_top);
  g_test_add_func ("/kiosk/json/numbers", test_numbers);
  g_test_add_func ("/kiosk/json/strings", test_strings);
  g_test_add_func ("/kiosk/json/refused", test_refused);
  g_test_add_func ("/kiosk/json/duplicates-in-large-objects", test_duplicates_in_large_objects);
  g_test_add_func ("/kiosk/json/long-names-cut-in-messages", test_long_names_cut_in_messages);
  g_test_add_func ("/kiosk/json/depth", test_depth);
  g_test_add_func ("/kiosk/json/large", test_large);
  g_test_add_func ("/kiosk/json/to-node", test_to_node);
  g_test_add_func ("/kiosk/json/outside", test_outside);

  return g_test_run ();
}

/* test-catalog-document.c: the service builder's catalogue document
 *
 * SPDX-FileCopyrightText: 2026 Stadtkiosk contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "stadtkiosk-core.h"
#include "kiosk-test-util.h"

static char *
demo_path (void)
{
  return g_build_filename (g_getenv ("G_TEST_SRCDIR"), "..", "data", "catalog", "demo.json", NULL);
}

static GBytes *
read_bytes (const char *path)
{
  char *contents = NULL;
  gsize len = 0;
  g_autoptr(GError) error = NULL;

  g_file_get_contents (path, &contents, &len, &error);
  g_assert_no_error (error);
  return g_bytes_new_take (contents, len);
}

static KioskCatalogDocument *
open_demo (void)
{
  g_autofree char *path = demo_path ();
  g_autoptr(GError) error = NULL;
  KioskCatalogDocument *doc = kiosk_catalog_document_new_from_file (path, &error);

  g_assert_no_error (error);
  g_assert_nonnull (doc);
  return doc;
}

static void
count_cb (guint *count)
{
  (*count)++;
}

static void
assert_file_is (const char *path,
                GBytes     *expected)
{
  g_autoptr(GBytes) bytes = read_bytes (path);

  g_assert_true (g_bytes_equal (bytes, expected));
}

/* Valid, or the problems in the failure message. */
#define assert_valid(doc) G_STMT_START { \
    g_autofree char *problems_ = kiosk_catalog_document_format_problems (doc, NULL); \
    g_assert_cmpstr (problems_, ==, ""); \
    g_assert_true (kiosk_catalog_document_is_valid (doc)); \
  } G_STMT_END

static gboolean
has_problem (KioskCatalogDocument *doc,
             const char           *pointer,
             const char           *message_part)
{
  GPtrArray *problems = kiosk_catalog_document_get_problems (doc);

  for (guint i = 0; i < problems->len; i++)
    {
      KioskCatalogProblem *p = problems->pdata[i];

      if (g_str_equal (p->pointer, pointer) && strstr (p->message, message_part) != NULL)
        return TRUE;
    }
  return FALSE;
}

/* The demo is canonical: loaded and written unchanged, it is the same bytes. */
static void
test_demo_round_trip (void)
{
  g_autofree char *path = demo_path ();
  g_autoptr(GBytes) original = read_bytes (path);
  g_autoptr(KioskCatalogDocument) doc = open_demo ();
  g_autoptr(GBytes) saved = NULL;

  assert_valid (doc);
  g_assert_cmpuint (kiosk_catalog_document_get_problems (doc)->len, ==, 0);
  g_assert_nonnull (kiosk_catalog_document_get_catalog (doc));
  saved = kiosk_catalog_document_to_bytes (doc);
  g_assert_cmpmem (g_bytes_get_data (saved, NULL), g_bytes_get_size (saved),
                   g_bytes_get_data (original, NULL), g_bytes_get_size (original));
}

/* Every good fixture: written once, it is canonical (writing it again gives
 * the same bytes) and still the same JSON. */
static void
test_fixtures_canonical (void)
{
  const char *names[] = { "good-minimal.json", "good-all-types.json" };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autofree char *path = g_build_filename (g_getenv ("G_TEST_SRCDIR"), "fixtures", "catalog", names[i], NULL);
      g_autoptr(GError) error = NULL;
      g_autoptr(KioskCatalogDocument) doc = kiosk_catalog_document_new_from_file (path, &error);
      g_autoptr(KioskCatalogDocument) again = NULL;
      g_autoptr(GBytes) first = NULL;
      g_autoptr(GBytes) second = NULL;
      g_autoptr(JsonNode) a = NULL;
      g_autoptr(JsonNode) b = NULL;

      g_assert_no_error (error);
      assert_valid (doc);
      first = kiosk_catalog_document_to_bytes (doc);
      again = kiosk_catalog_document_new_from_bytes (first, names[i], &error);
      g_assert_no_error (error);
      second = kiosk_catalog_document_to_bytes (again);
      g_assert_true (g_bytes_equal (first, second));
      {
        g_autoptr(GBytes) original = read_bytes (path);

        a = json_from_string (g_bytes_get_data (original, NULL), NULL);
      }
      b = json_from_string (g_bytes_get_data (first, NULL), NULL);
      g_assert_true (json_node_equal (a, b));
    }
}

static void
test_writer_numbers_and_strings (void)
{
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  const char *expected =
    "{\n"
    "  \"a\": [\n"
    "    0.5,\n"
    "    1e-05,\n"
    "    0.0001,\n"
    "    2.0,\n"
    "    1e+16,\n"
    "    123.456,\n"
    "    -7,\n"
    "    1.5e+300\n"
    "  ],\n"
    "  \"s\": \"tab\\tquote\\\"back\\\\slash\\u0001 / ü\",\n"
    "  \"e\": {},\n"
    "  \"f\": [],\n"
    "  \"n\": null\n"
    "}\n";

  node = json_from_string ("{\"a\": [0.5, 0.00001, 0.0001, 2.0, 1e16, 123.456, -7, 1.5e300],"
                           " \"s\": \"tab\\tquote\\\"back\\\\slash\\u0001 / \\u00fc\", \"e\": {}, \"f\": [], \"n\": null}", &error);
  g_assert_no_error (error);
  bytes = kiosk_catalog_write_canonical (node);
  g_assert_cmpstr (g_bytes_get_data (bytes, NULL), ==, expected);
}

/* The canonical layout is python's json.tool --indent 2 --no-ensure-ascii. */
static void
test_writer_matches_python (void)
{
  g_autofree char *python = g_find_program_in_path ("python3");
  g_autofree char *path = demo_path ();
  g_autofree char *out = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) original = NULL;
  const char *argv[] = { NULL, "-m", "json.tool", "--indent", "2", "--no-ensure-ascii", NULL, NULL };
  int status;

  if (python == NULL)
    {
      g_test_skip ("python3 is not installed");
      return;
    }
  argv[0] = python;
  argv[6] = path;
  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, NULL, &status, &error);
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  original = read_bytes (path);
  g_assert_cmpstr (out, ==, g_bytes_get_data (original, NULL));
}

static void
test_services (void)
{
  g_autoptr(KioskCatalogDocument) doc = open_demo ();
  g_autoptr(GError) error = NULL;
  guint n = kiosk_catalog_document_get_n_services (doc);
  int index;
  int copy;
  KioskService *service;
  guint changes = 0;

  g_signal_connect_swapped (doc, "changed", G_CALLBACK (count_cb), &changes);

  index = kiosk_catalog_document_add_service (doc, "street-party", "Straßenfest anmelden", &error);
  g_assert_no_error (error);
  g_assert_cmpint (index, ==, (int) n);
  g_assert_cmpuint (changes, ==, 1);
  /* A new service is valid as it is. */
  assert_valid (doc);
  service = kiosk_catalog_lookup (kiosk_catalog_document_get_catalog (doc), "street-party");
  g_assert_nonnull (service);
  g_assert_cmpstr (kiosk_service_get_title (service, "de"), ==, "Straßenfest anmelden");

  /* Taken and malformed ids are refused, and nothing changes. */
  g_assert_cmpint (kiosk_catalog_document_add_service (doc, "street-party", "x", &error), ==, -1);
  g_assert_error (error, KIOSK_CATALOG_DOCUMENT_ERROR, KIOSK_CATALOG_DOCUMENT_ERROR_EXISTS);
  g_clear_error (&error);
  g_assert_cmpint (kiosk_catalog_document_add_service (doc, "Street Party", "x", &error), ==, -1);
  g_assert_error (error, KIOSK_CATALOG_DOCUMENT_ERROR, KIOSK_CATALOG_DOCUMENT_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_cmpuint (changes, ==, 1);

  copy = kiosk_catalog_document_copy_service (doc, index, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (copy, ==, index + 1);
  g_assert_cmpstr (kiosk_catalog_document_get_service_id (doc, copy), ==, "street-party-2");
  assert_valid (doc);

  /* Reorder: the copy to the front. */
  g_assert_true (kiosk_catalog_document_move_service (doc, copy, 0, &error));
  g_assert_cmpstr (kiosk_catalog_document_get_service_id (doc, 0), ==, "street-party-2");
  g_assert_cmpstr (kiosk_catalog_document_get_service_id (doc, 1), !=, "street-party-2");
  g_assert_false (kiosk_catalog_document_move_service (doc, 0, 99, &error));
  g_assert_error (error, KIOSK_CATALOG_DOCUMENT_ERROR, KIOSK_CATALOG_DOCUMENT_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* Disable: still in the catalogue, not offered. */
  g_assert_true (kiosk_catalog_document_set_service_enabled (doc, 0, FALSE, &error));
  g_assert_false (kiosk_catalog_document_get_service_enabled (doc, 0));
  g_assert_null (kiosk_catalog_lookup (kiosk_catalog_document_get_catalog (doc), "street-party-2"));
  g_assert_nonnull (kiosk_catalog_lookup_any (kiosk_catalog_document_get_catalog (doc), "street-party-2"));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (kiosk_catalog_document_get_catalog (doc))), ==, n + 1);
  g_assert_true (kiosk_catalog_document_set_service_enabled (doc, 0, TRUE, &error));
  g_assert_null (kiosk_catalog_document_lookup (doc, "/services/0/enabled"));

  /* A category of its own. */
  {
    int c = kiosk_catalog_document_add_category (doc, "neighbourhood", "Nachbarschaft", &error);
    g_autoptr(JsonNode) id = json_node_init_string (json_node_alloc (), "neighbourhood");
    g_autofree char *pointer = g_strdup_printf ("/services/%d", kiosk_catalog_document_find_service (doc, "street-party"));

    g_assert_no_error (error);
    g_assert_cmpint (c, ==, kiosk_catalog_document_find_category (doc, "neighbourhood"));
    g_assert_cmpint (kiosk_catalog_document_add_category (doc, "neighbourhood", "x", &error), ==, -1);
    g_assert_error (error, KIOSK_CATALOG_DOCUMENT_ERROR, KIOSK_CATALOG_DOCUMENT_ERROR_EXISTS);
    g_clear_error (&error);
    g_assert_true (kiosk_catalog_document_set_member (doc, pointer, "category", id, &error));
    assert_valid (doc);
    g_assert_nonnull (kiosk_catalog_lookup_category (kiosk_catalog_document_get_catalog (doc), "neighbourhood"));
    g_assert_cmpstr (kiosk_service_get_category_id (kiosk_catalog_lookup (kiosk_catalog_document_get_catalog (doc), "street-party")), ==, "neighbourhood");
  }

  g_assert_true (kiosk_catalog_document_remove_service (doc, 0, &error));
  g_assert_cmpint (kiosk_catalog_document_find_service (doc, "street-party-2"), ==, -1);
  g_assert_cmpuint (kiosk_catalog_document_get_n_services (doc), ==, n + 1);
}

static void
test_texts (void)
{
  g_autoptr(KioskCatalogDocument) doc = open_demo ();
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) langs = kiosk_catalog_document_dup_languages (doc);
  int index = kiosk_catalog_document_add_service (doc, "t", "Titel", &error);
  g_autofree char *pointer = g_strdup_printf ("/services/%d", index);
  g_autoptr(GBytes) bytes = NULL;
  const char *text;

  g_assert_cmpstr (langs[0], ==, "de");
  g_assert_true (g_strv_contains ((const char * const *) langs, "uk"));
  g_assert_true (g_strv_contains ((const char * const *) langs, "ls"));

  g_assert_null (kiosk_catalog_document_get_text (doc, pointer, "title", "en"));
  g_assert_true (kiosk_catalog_document_set_text (doc, pointer, "title", "en", "Title", &error));
  g_assert_true (kiosk_catalog_document_set_text (doc, pointer, "help", "tr", "Yardım", &error));
  g_assert_cmpstr (kiosk_catalog_document_get_text (doc, pointer, "title", "en"), ==, "Title");
  /* help in Turkish only: the loader wants German. */
  g_assert_false (kiosk_catalog_document_is_valid (doc));
  {
    g_autofree char *where = g_strdup_printf ("%s/help", pointer);

    g_assert_true (has_problem (doc, where, "missing German text"));
  }
  g_assert_true (kiosk_catalog_document_set_text (doc, pointer, "help", "de", "Hilfe", &error));
  assert_valid (doc);
  /* A new member goes to its usual place: help after summary, de before tr. */
  bytes = kiosk_catalog_document_to_bytes (doc);
  text = strstr (g_bytes_get_data (bytes, NULL), "\"id\": \"t\"");
  g_assert_nonnull (text);
  g_assert_true (strstr (text, "\"summary\"") < strstr (text, "\"help\""));
  g_assert_true (strstr (text, "\"help\"") < strstr (text, "\"category\""));
  g_assert_true (strstr (text, "\"Hilfe\"") < strstr (text, "\"Yardım\""));

  /* Removing the last language removes the member. */
  g_assert_true (kiosk_catalog_document_set_text (doc, pointer, "help", "de", NULL, &error));
  g_assert_true (kiosk_catalog_document_set_text (doc, pointer, "help", "tr", "", &error));
  {
    g_autofree char *where = g_strdup_printf ("%s/help", pointer);

    g_assert_null (kiosk_catalog_document_lookup (doc, where));
  }
  g_assert_no_error (error);
}

static void
test_steps_and_fields (void)
{
  g_autoptr(KioskCatalogDocument) doc = open_demo ();
  g_autoptr(GError) error = NULL;
  int s = kiosk_catalog_document_add_service (doc, "form", "Formular", &error);
  g_autoptr(JsonNode) value = NULL;
  g_autofree char *f0 = NULL;
  g_autofree char *f1 = NULL;
  KioskField *field;
  const char * const *ops;
  g_autoptr(GPtrArray) earlier = NULL;

  g_assert_no_error (error);
  g_assert_true (kiosk_catalog_document_add_step (doc, s, 1, "Zweiter Schritt", &error));
  g_assert_true (kiosk_catalog_document_add_field (doc, s, 1, 0, "kind", KIOSK_FIELD_CHOICE, "Art", &error));
  g_assert_true (kiosk_catalog_document_add_field (doc, s, 1, 1, "postcode", KIOSK_FIELD_TEXT, "PLZ", &error));
  g_assert_no_error (error);
  g_assert_cmpuint (kiosk_catalog_document_get_n_steps (doc, s), ==, 2);
  g_assert_cmpuint (kiosk_catalog_document_get_n_fields (doc, s, 1), ==, 2);
  assert_valid (doc);

  /* The same id twice in a service is refused at once. */
  g_assert_false (kiosk_catalog_document_add_field (doc, s, 0, 0, "kind", KIOSK_FIELD_TEXT, "x", &error));
  g_assert_error (error, KIOSK_CATALOG_DOCUMENT_ERROR, KIOSK_CATALOG_DOCUMENT_ERROR_EXISTS);
  g_clear_error (&error);

  /* Properties: a pattern without its message is a problem at the field. */
  f1 = kiosk_catalog_document_field_pointer (s, 1, 1);
  value = json_node_init_string (json_node_alloc (), "[0-9]{5}");
  g_assert_true (kiosk_catalog_document_set_member (doc, f1, "pattern", value, &error));
  g_assert_false (kiosk_catalog_document_is_valid (doc));
  {
    GPtrArray *problems = kiosk_catalog_document_get_problems (doc);
    KioskCatalogProblem *p = problems->pdata[0];

    g_autofree char *where = g_strdup_printf ("%s/pattern", f1);

    g_assert_cmpuint (problems->len, ==, 1);
    g_assert_cmpstr (p->pointer, ==, where);
    g_assert_cmpint (p->service, ==, s);
    g_assert_cmpint (p->step, ==, 1);
    g_assert_cmpint (p->field, ==, 1);
    g_assert_nonnull (strstr (p->message, "pattern_message"));
  }
  g_assert_true (kiosk_catalog_document_set_text (doc, f1, "pattern_message", "de", "Fünf Ziffern", &error));
  assert_valid (doc);
  g_clear_pointer (&value, json_node_unref);
  value = json_node_init_boolean (json_node_alloc (), TRUE);
  g_assert_true (kiosk_catalog_document_set_member (doc, f1, "required", value, &error));
  g_assert_true (kiosk_catalog_document_set_member (doc, f1, "personal", value, &error));
  /* Personal answers: the service must say how long they are kept. */
  {
    g_autofree char *sp = g_strdup_printf ("/services/%d", s);
    g_autoptr(JsonNode) days = json_node_init_int (json_node_alloc (), 30);
    g_autofree char *where = g_strdup_printf ("%s/retention_days", sp);

    g_assert_true (has_problem (doc, where, "personal"));
    g_assert_true (kiosk_catalog_document_set_member (doc, sp, "retention_days", days, &error));
  }
  g_clear_pointer (&value, json_node_unref);
  value = json_node_init_int (json_node_alloc (), 5);
  g_assert_true (kiosk_catalog_document_set_member (doc, f1, "max_length", value, &error));
  g_clear_pointer (&value, json_node_unref);
  value = json_node_init_string (json_node_alloc (), "[");
  g_assert_true (kiosk_catalog_document_set_member (doc, f1, "pattern", value, &error));
  {
    g_autofree char *where = g_strdup_printf ("%s/pattern", f1);

    g_assert_true (has_problem (doc, where, "bad regular expression"));
  }
  g_clear_pointer (&value, json_node_unref);
  value = json_node_init_string (json_node_alloc (), "[0-9]{5}");
  g_assert_true (kiosk_catalog_document_set_member (doc, f1, "pattern", value, &error));
  g_assert_true (kiosk_catalog_document_set_text (doc, f1, "help", "de", "Ihre Postleitzahl", &error));
  g_assert_no_error (error);
  assert_valid (doc);
  field = kiosk_service_lookup_field (kiosk_catalog_lookup (kiosk_catalog_document_get_catalog (doc), "form"), "postcode");
  g_assert_true (kiosk_field_get_required (field));
  g_assert_true (kiosk_field_get_personal (field));
  g_assert_cmpuint (kiosk_field_get_max_length (field), ==, 5);
  g_assert_cmpstr (kiosk_field_get_pattern (field), ==, "[0-9]{5}");

  /* Options and the default. */
  f0 = kiosk_catalog_document_field_pointer (s, 1, 0);
  g_assert_true (kiosk_catalog_document_add_option (doc, s, 1, 0, "other", "Anderes", &error));
  g_clear_pointer (&value, json_node_unref);
  value = json_node_init_string (json_node_alloc (), "other");
  g_assert_true (kiosk_catalog_document_set_member (doc, f0, "default", value, &error));
  assert_valid (doc);
  g_assert_true (kiosk_catalog_document_remove_option (doc, s, 1, 0, 2, &error));
  {
    g_autofree char *where = g_strdup_printf ("%s/default", f0);

    g_assert_true (has_problem (doc, where, ""));
  }
  g_assert_true (kiosk_catalog_document_set_member (doc, f0, "default", NULL, &error));
  assert_valid (doc);

  /* Conditions: only earlier fields, only fitting operators. */
  earlier = kiosk_catalog_document_condition_fields (doc, s, 1, 1);
  g_assert_cmpuint (earlier->len, ==, 2);
  g_assert_cmpstr (earlier->pdata[0], ==, "description");
  g_assert_cmpstr (earlier->pdata[1], ==, "kind");
  g_clear_pointer (&earlier, g_ptr_array_unref);
  earlier = kiosk_catalog_document_condition_fields (doc, s, 0, 0);
  g_assert_cmpuint (earlier->len, ==, 0);
  ops = kiosk_catalog_condition_operators (KIOSK_FIELD_ADDRESS);
  g_assert_cmpstrv (ops, ((const char * const[]) { "is_set", NULL }));
  g_assert_null (kiosk_catalog_condition_operators (KIOSK_FIELD_INFO)[0]);

  g_clear_pointer (&value, json_node_unref);
  value = json_node_init_string (json_node_alloc (), "option-1");
  g_assert_false (kiosk_catalog_document_set_condition (doc, s, 1, 0, "postcode", "equals", value, &error));
  g_assert_error (error, KIOSK_CATALOG_DOCUMENT_ERROR, KIOSK_CATALOG_DOCUMENT_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_true (kiosk_catalog_document_set_condition (doc, s, 1, 1, "kind", "equals", value, &error));
  g_assert_no_error (error);
  assert_valid (doc);
  field = kiosk_service_lookup_field (kiosk_catalog_lookup (kiosk_catalog_document_get_catalog (doc), "form"), "postcode");
  g_assert_true (kiosk_field_has_condition (field));
  /* A value that is not an option of the choice: the loader says where. */
  g_clear_pointer (&value, json_node_unref);
  value = json_node_init_string (json_node_alloc (), "nope");
  g_assert_true (kiosk_catalog_document_set_condition (doc, s, 1, 1, "kind", "equals", value, &error));
  g_assert_false (kiosk_catalog_document_is_valid (doc));
  {
    g_autofree char *where = g_strdup_printf ("%s/visible_if/equals", f1);

    g_assert_true (has_problem (doc, where, "nope"));
  }
  /* Moving the condition's field after the field: a cycle risk, refused by the loader. */
  g_clear_pointer (&value, json_node_unref);
  value = json_node_init_string (json_node_alloc (), "option-2");
  g_assert_true (kiosk_catalog_document_set_condition (doc, s, 1, 1, "kind", "equals", value, &error));
  g_assert_true (kiosk_catalog_document_move_field (doc, s, 1, 0, 1, 1, &error));
  g_assert_false (kiosk_catalog_document_is_valid (doc));
  {
    g_autofree char *moved = kiosk_catalog_document_field_pointer (s, 1, 0);
    g_autofree char *where = g_strdup_printf ("%s/visible_if/field", moved);

    g_assert_true (has_problem (doc, where, "comes later"));
  }
  g_assert_true (kiosk_catalog_document_move_field (doc, s, 1, 1, 0, 0, &error));
  assert_valid (doc);
  g_assert_true (kiosk_catalog_document_set_condition (doc, s, 1, 0, NULL, NULL, NULL, &error));

  /* Type change drops what no longer fits. */
  g_assert_true (kiosk_catalog_document_set_field_type (doc, s, 0, 0, KIOSK_FIELD_NUMBER, &error));
  assert_valid (doc);
  g_assert_null (json_object_get_member (kiosk_catalog_document_get_field (doc, s, 0, 0), "options"));
  g_assert_true (kiosk_catalog_document_set_field_type (doc, s, 0, 0, KIOSK_FIELD_MULTICHOICE, &error));
  g_assert_nonnull (json_object_get_member (kiosk_catalog_document_get_field (doc, s, 0, 0), "options"));
  assert_valid (doc);

  /* Reuse a field of another service. */
  {
    g_autofree char *id = NULL;
    int other = kiosk_catalog_document_find_service (doc, "bulky-waste");

    g_assert_cmpint (other, >=, 0);
    g_assert_true (kiosk_catalog_document_copy_field (doc, other, 0, 0, s, 0, 0, &id, &error));
    g_assert_no_error (error);
    g_assert_nonnull (id);
    assert_valid (doc);
  }

  g_assert_true (kiosk_catalog_document_remove_field (doc, s, 0, 0, &error));
  g_assert_true (kiosk_catalog_document_remove_step (doc, s, 1, &error));
  g_assert_true (kiosk_catalog_document_move_step (doc, s, 0, 0, &error));
  g_assert_no_error (error);
  assert_valid (doc);
}

static void
test_export_import (void)
{
  g_autoptr(KioskCatalogDocument) doc = open_demo ();
  g_autoptr(KioskCatalogDocument) other = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) exported = NULL;
  g_autoptr(GBytes) minimal = NULL;
  g_autofree char *minimal_path = g_build_filename (g_getenv ("G_TEST_SRCDIR"), "fixtures", "catalog", "good-minimal.json", NULL);
  int source = kiosk_catalog_document_find_service (doc, "bulky-waste");
  int index;
  guint n;

  exported = kiosk_catalog_document_export_service (doc, source, &error);
  g_assert_no_error (error);
  g_assert_nonnull (strstr (g_bytes_get_data (exported, NULL), "\"stadtkiosk-service\": 1"));

  /* Into another catalogue: the service and its category come along. */
  minimal = read_bytes (minimal_path);
  other = kiosk_catalog_document_new_from_bytes (minimal, "good-minimal.json", &error);
  g_assert_no_error (error);
  n = kiosk_catalog_document_get_n_services (other);
  index = kiosk_catalog_document_import_service (other, exported, "bulky-waste.service.json", KIOSK_CATALOG_IMPORT_NEW, &error);
  g_assert_no_error (error);
  g_assert_cmpint (index, ==, (int) n);
  assert_valid (other);
  g_assert_nonnull (kiosk_catalog_lookup_category (kiosk_catalog_document_get_catalog (other), "waste"));

  /* The id exists: ask; replace keeps the place; copy takes a new id. */
  g_assert_cmpint (kiosk_catalog_document_import_service (doc, exported, "b.json", KIOSK_CATALOG_IMPORT_NEW, &error), ==, -1);
  g_assert_error (error, KIOSK_CATALOG_DOCUMENT_ERROR, KIOSK_CATALOG_DOCUMENT_ERROR_EXISTS);
  g_assert_nonnull (strstr (error->message, "b.json: the catalogue has a service \"bulky-waste\" already"));
  g_clear_error (&error);
  n = kiosk_catalog_document_get_n_services (doc);
  g_assert_cmpint (kiosk_catalog_document_import_service (doc, exported, "b.json", KIOSK_CATALOG_IMPORT_REPLACE, &error), ==, source);
  g_assert_cmpuint (kiosk_catalog_document_get_n_services (doc), ==, n);
  index = kiosk_catalog_document_import_service (doc, exported, "b.json", KIOSK_CATALOG_IMPORT_COPY, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (kiosk_catalog_document_get_service_id (doc, index), ==, "bulky-waste-2");
  assert_valid (doc);
}

static GBytes *
replace_once (GBytes     *bytes,
              const char *from,
              const char *to)
{
  const char *data = g_bytes_get_data (bytes, NULL);
  const char *at = strstr (data, from);
  GString *out = g_string_new (NULL);

  g_assert_nonnull (at);
  g_string_append_len (out, data, at - data);
  g_string_append (out, to);
  g_string_append (out, at + strlen (from));
  return g_string_free_to_bytes (out);
}

/* A changed, damaged or invalid service file is refused, says what and
 * where, and changes nothing. */
static void
test_import_refused (void)
{
  g_autoptr(KioskCatalogDocument) doc = open_demo ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) exported = NULL;
  g_autoptr(GBytes) before = kiosk_catalog_document_to_bytes (doc);
  g_autoptr(GBytes) after = NULL;
  int source = kiosk_catalog_document_find_service (doc, "bulky-waste");

  exported = kiosk_catalog_document_export_service (doc, source, &error);
  g_assert_no_error (error);

  /* Tampered: one text changed, checksum left. */
  {
    g_autoptr(GBytes) tampered = replace_once (exported, "\"Sperrmüll", "\"Sperrmuell");

    g_assert_cmpint (kiosk_catalog_document_import_service (doc, tampered, "t.json", KIOSK_CATALOG_IMPORT_REPLACE, &error), ==, -1);
    g_assert_error (error, KIOSK_CATALOG_DOCUMENT_ERROR, KIOSK_CATALOG_DOCUMENT_ERROR_IMPORT);
    g_assert_cmpstr (error->message, ==, "t.json: /service: does not match its checksum (/sha256): the service was "
                     "changed or damaged after it was exported; export it again from the original");
    g_clear_error (&error);
  }
  /* Not JSON at all. */
  {
    g_autoptr(GBytes) broken = g_bytes_new_static ("{\"stadtkiosk-service\": 1,", 25);

    g_assert_cmpint (kiosk_catalog_document_import_service (doc, broken, "b.json", KIOSK_CATALOG_IMPORT_NEW, &error), ==, -1);
    g_assert_error (error, KIOSK_CATALOG_DOCUMENT_ERROR, KIOSK_CATALOG_DOCUMENT_ERROR_IMPORT);
    g_assert_true (g_str_has_prefix (error->message, "b.json: not valid JSON: line 1"));
    g_clear_error (&error);
  }
  /* A whole catalogue instead of a service file. */
  {
    g_autoptr(GBytes) whole = kiosk_catalog_document_to_bytes (doc);

    g_assert_cmpint (kiosk_catalog_document_import_service (doc, whole, "c.json", KIOSK_CATALOG_IMPORT_NEW, &error), ==, -1);
    g_assert_error (error, KIOSK_CATALOG_DOCUMENT_ERROR, KIOSK_CATALOG_DOCUMENT_ERROR_IMPORT);
    g_assert_true (g_str_has_prefix (error->message, "c.json: /stadtkiosk-service: missing;"));
    g_clear_error (&error);
  }
  /* Consistent checksum, invalid service: the loader's problems, placed in the file. */
  {
    g_autoptr(JsonNode) root = json_from_string (g_bytes_get_data (exported, NULL), NULL);
    JsonObject *service = json_object_get_object_member (json_node_get_object (root), "service");
    JsonObject *first_field = json_array_get_object_element (
      json_object_get_array_member (json_array_get_object_element (json_object_get_array_member (service, "steps"), 0), "fields"), 0);
    g_autoptr(GBytes) service_bytes = NULL;
    g_autoptr(GBytes) bad = NULL;
    g_autofree char *sum = NULL;

    json_object_set_string_member (first_field, "type", "txt");
    service_bytes = kiosk_catalog_write_canonical (json_object_get_member (json_node_get_object (root), "service"));
    sum = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, service_bytes);
    json_object_set_string_member (json_node_get_object (root), "sha256", sum);
    bad = kiosk_catalog_write_canonical (root);
    g_assert_cmpint (kiosk_catalog_document_import_service (doc, bad, "bad.json", KIOSK_CATALOG_IMPORT_REPLACE, &error), ==, -1);
    g_assert_error (error, KIOSK_CATALOG_DOCUMENT_ERROR, KIOSK_CATALOG_DOCUMENT_ERROR_IMPORT);
    g_assert_true (g_str_has_prefix (error->message, "bad.json: /service/steps/0/fields/0/type: unknown field type \"txt\""));
    g_clear_error (&error);
  }
  after = kiosk_catalog_document_to_bytes (doc);
  g_assert_true (g_bytes_equal (before, after));
}

static void
test_save (void)
{
  g_autoptr(KioskCatalogDocument) doc = open_demo ();
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("test-catalog-document-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "catalog.json", NULL);
  g_autofree char *backup = NULL;
  g_autofree char *pattern_ptr = NULL;
  g_autoptr(GBytes) first = NULL;
  g_autoptr(JsonNode) value = NULL;
  g_autofree char *bak = NULL;
  g_autofree char *bak1 = NULL;

  g_assert_true (kiosk_catalog_document_save (doc, path, KIOSK_CATALOG_SAVE_NONE, &backup, &error));
  g_assert_no_error (error);
  g_assert_null (backup);
  first = read_bytes (path);
  /* The same bytes again: no confirmation needed, nothing replaced. */
  g_assert_true (kiosk_catalog_document_save (doc, path, KIOSK_CATALOG_SAVE_NONE, &backup, &error));
  g_assert_null (backup);

  /* Something invalid never leaves: every problem is in the message. */
  pattern_ptr = kiosk_catalog_document_field_pointer (0, 0, 0);
  value = json_node_init_string (json_node_alloc (), "txt");
  g_assert_true (kiosk_catalog_document_set_member (doc, pattern_ptr, "type", value, &error));
  g_assert_false (kiosk_catalog_document_save (doc, path, KIOSK_CATALOG_SAVE_CONFIRMED, &backup, &error));
  g_assert_error (error, KIOSK_CATALOG_DOCUMENT_ERROR, KIOSK_CATALOG_DOCUMENT_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "/services/0/steps/0/fields/0/type: unknown field type \"txt\""));
  g_clear_error (&error);
  assert_file_is (path, first);

  /* Another valid change: over a different file only when confirmed. */
  g_clear_pointer (&value, json_node_unref);
  value = json_node_init_string (json_node_alloc (), "2026-12-07.1");
  g_assert_true (kiosk_catalog_document_set_member (doc, pattern_ptr, "type", NULL, &error));
  g_assert_false (kiosk_catalog_document_is_valid (doc));
  g_object_unref (doc);
  doc = open_demo ();
  g_assert_true (kiosk_catalog_document_set_member (doc, "", "version", value, &error));
  g_assert_false (kiosk_catalog_document_save (doc, path, KIOSK_CATALOG_SAVE_NONE, &backup, &error));
  g_assert_error (error, KIOSK_CATALOG_DOCUMENT_ERROR, KIOSK_CATALOG_DOCUMENT_ERROR_NEEDS_CONFIRM);
  g_clear_error (&error);
  assert_file_is (path, first);
  g_assert_true (kiosk_catalog_document_save (doc, path, KIOSK_CATALOG_SAVE_CONFIRMED, &backup, &error));
  g_assert_no_error (error);
  bak = g_strconcat (path, ".bak", NULL);
  g_assert_cmpstr (backup, ==, bak);
  assert_file_is (bak, first);
  /* The kiosk's loader takes the saved file. */
  {
    g_autoptr(KioskCatalog) catalog = kiosk_catalog_new_from_file (path, &error);

    g_assert_no_error (error);
    g_assert_cmpstr (kiosk_catalog_get_version (catalog), ==, "2026-12-07.1");
  }
  /* A second replacement keeps the first backup. */
  g_clear_pointer (&value, json_node_unref);
  g_clear_pointer (&backup, g_free);
  value = json_node_init_string (json_node_alloc (), "2026-12-07.2");
  g_assert_true (kiosk_catalog_document_set_member (doc, "", "version", value, &error));
  g_assert_true (kiosk_catalog_document_save (doc, path, KIOSK_CATALOG_SAVE_CONFIRMED, &backup, &error));
  bak1 = g_strconcat (path, ".bak.1", NULL);
  g_assert_cmpstr (backup, ==, bak1);
  assert_file_is (bak, first);
  kiosk_test_rm_rf (dir);
}

static void
test_bundle_and_activate (void)
{
  g_autoptr(KioskCatalogDocument) doc = open_demo ();
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("test-catalog-document-XXXXXX", NULL);
  g_autofree char *secret = g_build_filename (dir, "catalog.key", NULL);
  g_autofree char *public = g_build_filename (dir, "catalog.pub", NULL);
  g_autofree char *bundle_path = g_build_filename (dir, "catalog.bundle", NULL);
  g_autofree char *db = g_build_filename (dir, "kiosk.db", NULL);
  g_autofree char *backups = g_build_filename (dir, "backups", NULL);
  g_autofree char *backup = NULL;
  g_autoptr(GBytes) opened = NULL;
  g_autoptr(GBytes) bundle = NULL;
  g_autoptr(GBytes) canonical = NULL;
  g_autoptr(JsonNode) value = NULL;
  g_autoptr(KioskStore) store = NULL;
  g_autoptr(KioskCatalog) active = NULL;
  g_autofree char *version = NULL;

  g_assert_true (kiosk_catalog_bundle_generate_keys (secret, public, &error));
  value = json_node_init_string (json_node_alloc (), "2026-12-07.1");
  g_assert_true (kiosk_catalog_document_set_member (doc, "", "version", value, &error));
  g_assert_true (kiosk_catalog_document_save_bundle (doc, bundle_path, secret, KIOSK_CATALOG_SAVE_NONE, NULL, &error));
  g_assert_no_error (error);
  bundle = read_bytes (bundle_path);
  opened = kiosk_catalog_bundle_open (bundle, public, "2026-11-26.1", &version, &error);
  g_assert_no_error (error);
  canonical = kiosk_catalog_document_to_bytes (doc);
  g_assert_true (g_bytes_equal (opened, canonical));
  g_assert_cmpstr (version, ==, "2026-12-07.1");

  store = kiosk_store_open (db, &error);
  g_assert_no_error (error);
  g_assert_false (kiosk_catalog_document_activate (doc, store, KIOSK_CATALOG_SAVE_NONE, backups, &backup, &error));
  g_assert_error (error, KIOSK_CATALOG_DOCUMENT_ERROR, KIOSK_CATALOG_DOCUMENT_ERROR_NEEDS_CONFIRM);
  g_clear_error (&error);
  active = kiosk_catalog_load_active (store, &error);
  g_assert_cmpstr (kiosk_catalog_get_version (active), ==, "2026-11-26.1");
  g_clear_object (&active);

  g_assert_true (kiosk_catalog_document_activate (doc, store, KIOSK_CATALOG_SAVE_CONFIRMED, backups, &backup, &error));
  g_assert_no_error (error);
  g_assert_nonnull (backup);
  g_assert_true (g_str_has_prefix (backup, backups));
  {
    g_autoptr(KioskCatalog) demo = kiosk_catalog_new_demo ();

    assert_file_is (backup, kiosk_catalog_get_bytes (demo));
  }
  active = kiosk_catalog_load_active (store, &error);
  g_assert_cmpstr (kiosk_catalog_get_version (active), ==, "2026-12-07.1");
  g_clear_object (&store);
  kiosk_test_rm_rf (dir);
}

static void
test_open_refused (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) array = g_bytes_new_static ("[1]", 3);
  g_autoptr(GBytes) dup = g_bytes_new_static ("{\"a\": 1, \"a\": 2}", 16);
  g_autoptr(KioskCatalogDocument) doc = NULL;

  doc = kiosk_catalog_document_new_from_bytes (array, "x.json", &error);
  g_assert_null (doc);
  g_assert_error (error, KIOSK_CATALOG_DOCUMENT_ERROR, KIOSK_CATALOG_DOCUMENT_ERROR_FAILED);
  g_assert_true (g_str_has_prefix (error->message, "x.json: expected a catalogue"));
  g_clear_error (&error);
  doc = kiosk_catalog_document_new_from_bytes (dup, "y.json", &error);
  g_assert_null (doc);
  g_assert_nonnull (strstr (error->message, "\"a\" appears twice"));
  g_clear_error (&error);
  /* An object that is no catalogue opens, with its problems listed. */
  {
    g_autoptr(GBytes) empty = g_bytes_new_static ("{}", 2);

    doc = kiosk_catalog_document_new_from_bytes (empty, "z.json", &error);
    g_assert_no_error (error);
    g_assert_false (kiosk_catalog_document_is_valid (doc));
    g_assert_true (has_problem (doc, "/version", "version"));
  }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/kiosk/catalog-document/demo-round-trip", test_demo_round_trip);
  g_test_add_func ("/kiosk/catalog-document/fixtures-canonical", test_fixtures_canonical);
  g_test_add_func ("/kiosk/catalog-document/writer", test_writer_numbers_and_strings);
  g_test_add_func ("/kiosk/catalog-document/writer-matches-python", test_writer_matches_python);
  g_test_add_func ("/kiosk/catalog-document/open-refused", test_open_refused);
  g_test_add_func ("/kiosk/catalog-document/services", test_services);
  g_test_add_func ("/kiosk/catalog-document/texts", test_texts);
  g_test_add_func ("/kiosk/catalog-document/steps-and-fields", test_steps_and_fields);
  g_test_add_func ("/kiosk/catalog-document/export-import", test_export_import);
  g_test_add_func ("/kiosk/catalog-document/import-refused", test_import_refused);
  g_test_add_func ("/kiosk/catalog-document/save", test_save);
  g_test_add_func ("/kiosk/catalog-document/bundle-and-activate", test_bundle_and_activate);

  return g_test_run ();
}

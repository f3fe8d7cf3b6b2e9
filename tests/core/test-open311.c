/* test-open311.c
 *
 * SPDX-FileCopyrightText: 2026 Stadtkiosk contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "stadtkiosk-core.h"

static GBytes *
read_fixture (const char *name)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "fixtures", "catalog", "open311", name, NULL);
  g_autoptr(GError) error = NULL;
  char *contents = NULL;
  gsize len;

  g_file_get_contents (path, &contents, &len, &error);
  g_assert_no_error (error);
  return g_bytes_new_take (contents, len);
}

static GHashTable *
definitions_new (void)
{
  return g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) g_bytes_unref);
}

static KioskCatalog *
import_good (void)
{
  g_autoptr(GBytes) services = read_fixture ("services.json");
  g_autoptr(GHashTable) definitions = definitions_new ();
  g_autoptr(GBytes) catalog_json = NULL;
  g_autoptr(GError) error = NULL;
  KioskCatalog *catalog;

  g_hash_table_insert (definitions, g_strdup ("001"), read_fixture ("services/001.json"));
  g_hash_table_insert (definitions, g_strdup ("pothole"), read_fixture ("services/pothole.json"));

  catalog_json = kiosk_open311_import (services, definitions, "open311-test", &error);
  g_assert_no_error (error);
  g_assert_nonnull (catalog_json);

  /* The result passes the same validation as any catalogue. */
  catalog = kiosk_catalog_new_from_bytes (catalog_json, "imported", &error);
  g_assert_no_error (error);
  g_assert_nonnull (catalog);
  return catalog;
}

static void
test_codes (void)
{
  g_autoptr(KioskCatalog) catalog = import_good ();
  KioskService *service;

  g_assert_cmpstr (kiosk_catalog_get_version (catalog), ==, "open311-test");
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (catalog)), ==, 3);

  /* A bare number with leading zeros (the spec's own example) keeps them. */
  service = kiosk_catalog_lookup (catalog, "open311-001");
  g_assert_nonnull (service);
  g_assert_cmpint (kiosk_service_get_target_kind (service), ==, KIOSK_TARGET_OPEN311);
  g_assert_cmpstr (kiosk_service_get_open311_code (service), ==, "001");
  g_assert_cmpstr (kiosk_service_get_title (service, "en"), ==, "Abfallbehälter nicht geleert");
  g_assert_cmpstr (kiosk_service_get_category_id (service), ==, "sauberkeit");
  g_assert_cmpstr (kiosk_service_get_keywords (service, "de")[0], ==, "Müll");
  g_assert_cmpstr (kiosk_service_get_keywords (service, "de")[2], ==, "Abfall");

  /* A plain number code becomes a string. */
  service = kiosk_catalog_lookup (catalog, "open311-4");
  g_assert_nonnull (service);
  g_assert_cmpstr (kiosk_service_get_open311_code (service), ==, "4");
  /* An empty description falls back to the name. */
  g_assert_cmpstr (kiosk_service_get_summary (service, "de"), ==, "Straßenlaterne defekt");
  /* metadata=false: only the description and the place */
  g_assert_cmpuint (kiosk_service_get_n_steps (service), ==, 2);
  g_assert_cmpuint (kiosk_step_get_fields (kiosk_service_get_step (service, 0))->len, ==, 1);
  g_assert_cmpint (kiosk_field_get_field_type (kiosk_service_lookup_field (service, "location")), ==, KIOSK_FIELD_ADDRESS);

  service = kiosk_catalog_lookup (catalog, "open311-pothole");
  g_assert_nonnull (service);
  g_assert_cmpstr (kiosk_service_get_open311_code (service), ==, "pothole");
  g_assert_true (kiosk_field_get_required (kiosk_service_lookup_field (service, "size")));
  /* An attribute called like a field the import adds does not clash. */
  g_assert_cmpint (kiosk_field_get_field_type (kiosk_service_lookup_field (service, "location-2")), ==, KIOSK_FIELD_TEXT);
  g_assert_cmpint (kiosk_field_get_field_type (kiosk_service_lookup_field (service, "location")), ==, KIOSK_FIELD_ADDRESS);

  /* Groups become categories, each once. */
  g_assert_cmpuint (kiosk_catalog_get_categories (catalog)->len, ==, 2);
  {
    g_autoptr(GListModel) found = kiosk_catalog_search (catalog, "papierkorb");

    g_assert_cmpuint (g_list_model_get_n_items (found), ==, 1);
  }
}

static void
test_attributes (void)
{
  g_autoptr(KioskCatalog) catalog = import_good ();
  KioskService *service = kiosk_catalog_lookup (catalog, "open311-001");
  GPtrArray *fields = kiosk_step_get_fields (kiosk_service_get_step (service, 0));
  const char *expected_ids[] = { "note", "where", "count", "since", "kinds", "details", "description", "request-description" };
  KioskFieldType expected_types[] = {
    KIOSK_FIELD_INFO, KIOSK_FIELD_CHOICE, KIOSK_FIELD_NUMBER, KIOSK_FIELD_DATE,
    KIOSK_FIELD_MULTICHOICE, KIOSK_FIELD_TEXTAREA, KIOSK_FIELD_TEXT, KIOSK_FIELD_TEXTAREA,
  };
  KioskField *field;

  /* In "order" (a string "3" counts too), then our description. */
  g_assert_cmpuint (fields->len, ==, G_N_ELEMENTS (expected_ids));
  for (guint i = 0; i < fields->len; i++)
    {
      g_assert_cmpstr (kiosk_field_get_id (fields->pdata[i]), ==, expected_ids[i]);
      g_assert_cmpint (kiosk_field_get_field_type (fields->pdata[i]), ==, expected_types[i]);
    }

  /* variable=false is information, not a question */
  field = fields->pdata[0];
  g_assert_false (kiosk_field_is_input (field));
  g_assert_cmpstr (kiosk_field_get_text (field, "de"), ==, "Bei Gefahr rufen Sie bitte 112.");

  /* values: numeric and string keys both become string option values */
  field = kiosk_service_lookup_field (service, "where");
  g_assert_true (kiosk_field_get_required (field));
  g_assert_cmpstr (kiosk_field_get_label (field, "de"), ==, "Wo steht der Behälter?");
  g_assert_cmpuint (kiosk_field_get_n_options (field), ==, 3);
  g_assert_cmpstr (kiosk_field_get_option_value (field, 0), ==, "1");
  g_assert_cmpstr (kiosk_field_get_option_value (field, 1), ==, "2");
  g_assert_cmpstr (kiosk_field_get_option_label (field, 2, "en"), ==, "Woanders");

  /* "required": "false" as a string */
  g_assert_false (kiosk_field_get_required (kiosk_service_lookup_field (service, "count")));
  g_assert_cmpstr (kiosk_field_get_help (kiosk_service_lookup_field (service, "since"), "de"), ==, "Ungefähres Datum");
  g_assert_null (kiosk_field_get_help (kiosk_service_lookup_field (service, "where"), "de"));

  /* And a form works on it. */
  {
    g_autoptr(KioskForm) form = kiosk_form_new (service, NULL, NULL);
    g_autoptr(JsonNode) answers = json_from_string ("{\"where\": \"1\", \"kinds\": [\"glass\"], \"request-description\": \"voll\","
                                                    " \"location\": {\"street\": \"Markt\", \"house_number\": \"1\","
                                                    " \"postal_code\": \"31134\", \"city\": \"Hildesheim\"}}", NULL);
    g_autoptr(GError) error = NULL;

    g_assert_true (kiosk_form_load_json (form, answers, &error));
    g_assert_no_error (error);
    g_assert_true (kiosk_form_validate_all (form, "de", NULL));
  }
}

static void
test_errors (void)
{
  g_autoptr(GBytes) services = read_fixture ("bad-services.json");
  g_autoptr(GHashTable) definitions = definitions_new ();
  g_autoptr(GBytes) catalog_json = NULL;
  g_autoptr(GError) error = NULL;

  g_hash_table_insert (definitions, g_strdup ("b"), read_fixture ("services/b.json"));
  catalog_json = kiosk_open311_import (services, definitions, NULL, &error);
  g_assert_null (catalog_json);
  g_assert_error (error, KIOSK_OPEN311_ERROR, KIOSK_OPEN311_ERROR_INVALID);
  g_assert_cmpstr (error->message, ==,
                   "services.json: service \"a\": metadata is true, but services/a.json was not given\n"
                   "services/b.json: attribute \"X\": unknown datatype \"picture\" (expected string, number, datetime, text, singlevaluelist or multivaluelist)\n"
                   "services/b.json: attribute \"Y\" is a singlevaluelist without values\n"
                   "services/b.json: attribute 2: missing \"code\"\n"
                   "services.json: service 2: missing \"service_code\"\n"
                   "services.json: service \"c\": missing \"service_name\"\n"
                   "services.json: service 4: expected an object");
}

static void
test_not_json (void)
{
  const char *inputs[] = { "{}", "[", "\xff" };
  const char *expected[] = {
    "services.json: expected an array of services",
    "services.json: not valid JSON: ",
    "services.json: not valid JSON: not UTF-8 text",
  };

  for (guint i = 0; i < G_N_ELEMENTS (inputs); i++)
    {
      g_autoptr(GBytes) bytes = g_bytes_new_static (inputs[i], strlen (inputs[i]));
      g_autoptr(GError) error = NULL;
      g_autoptr(GBytes) out = kiosk_open311_import (bytes, NULL, NULL, &error);

      g_assert_null (out);
      g_assert_error (error, KIOSK_OPEN311_ERROR, KIOSK_OPEN311_ERROR_INVALID);
      g_assert_true (g_str_has_prefix (error->message, expected[i]));
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/kiosk/open311/codes", test_codes);
  g_test_add_func ("/kiosk/open311/attributes", test_attributes);
  g_test_add_func ("/kiosk/open311/errors", test_errors);
  g_test_add_func ("/kiosk/open311/not-json", test_not_json);

  return g_test_run ();
}

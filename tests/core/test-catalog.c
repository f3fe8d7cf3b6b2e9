/* test-catalog.c
 *
 * SPDX-FileCopyrightText: 2026 Stadtkiosk contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "stadtkiosk-core.h"
#include "kiosk-catalog-private.h"
#include "kiosk-search-private.h"
#include "kiosk-store-private.h"
#include "../bench/bench-catalog-gen.h"

static const char * const hildesheim[] = { "31134-31141", NULL };

static KioskCatalog *
load_fixture (const char  *name,
              GError     **error)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "fixtures", "catalog", name, NULL);
  g_autofree char *contents = NULL;
  gsize len;

  g_assert_true (g_file_get_contents (path, &contents, &len, NULL));
  {
    g_autoptr(GBytes) bytes = g_bytes_new_take (g_steal_pointer (&contents), len);

    return kiosk_catalog_new_from_bytes (bytes, name, error);
  }
}

static void
test_demo_valid (void)
{
  g_autoptr(KioskCatalog) catalog = kiosk_catalog_new_demo ();
  const char *required[] = {
    "report-problem", "bulky-waste", "citizens-office-appointment", "library-card", "dog-tax",
    "digital-guide", "smart-city-idea", "residence-certificate", "resident-parking",
  };
  gboolean has_print = FALSE, has_refer = FALSE;
  KioskService *service;

  g_assert_nonnull (catalog);
  g_assert_cmpstr (kiosk_catalog_get_version (catalog), ==, "2026-11-26.1");
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (catalog)), ==, G_N_ELEMENTS (required));
  g_assert_true (g_list_model_get_item_type (G_LIST_MODEL (catalog)) == KIOSK_TYPE_SERVICE);

  for (guint i = 0; i < G_N_ELEMENTS (required); i++)
    {
      service = kiosk_catalog_lookup (catalog, required[i]);
      g_assert_nonnull (service);
      g_assert_nonnull (kiosk_service_get_title (service, "de"));
      g_assert_nonnull (kiosk_service_get_title (service, "en"));
      g_assert_cmpstr (kiosk_service_get_title (service, "en"), !=, kiosk_service_get_title (service, "de"));
      /* What happens next, and when: every demo service says it (#16). */
      g_assert_nonnull (kiosk_service_get_next_steps (service, "de"));
      g_assert_nonnull (kiosk_service_get_next_steps (service, "ar"));
      g_assert_cmpstr (kiosk_service_get_next_steps (service, "ls"), !=, kiosk_service_get_next_steps (service, "de"));
      g_assert_nonnull (kiosk_catalog_lookup_category (catalog, kiosk_service_get_category_id (service)));
      has_print |= kiosk_service_get_offline_mode (service) == KIOSK_OFFLINE_PRINT;
      has_refer |= kiosk_service_get_offline_mode (service) == KIOSK_OFFLINE_REFER;
    }
  g_assert_true (has_print);
  g_assert_true (has_refer);

  service = kiosk_catalog_lookup (catalog, "resident-parking");
  g_assert_cmpint (kiosk_service_get_offline_mode (service), ==, KIOSK_OFFLINE_REFER);
  g_assert_true (g_str_has_prefix (kiosk_service_get_refer_url (service), "https://"));
  g_assert_nonnull (kiosk_service_get_office_hours (service, "en"));

  service = kiosk_catalog_lookup (catalog, "bulky-waste");
  g_assert_cmpuint (kiosk_service_get_version (service), ==, 1);
  g_assert_cmpuint (kiosk_service_get_retention_days (service), ==, 60);
  g_assert_cmpuint (kiosk_service_get_n_steps (service), ==, 2);
  g_assert_cmpint (kiosk_service_get_target_kind (service), ==, KIOSK_TARGET_SUBMISSION);
  g_assert_true (kiosk_field_get_personal (kiosk_service_lookup_field (service, "address")));
  g_assert_cmpint (kiosk_field_get_field_type (kiosk_service_lookup_field (service, "volume")), ==, KIOSK_FIELD_NUMBER);

  g_assert_null (kiosk_catalog_lookup (catalog, "no-such-service"));
  g_assert_finalize_object (g_steal_pointer (&catalog));
}

static GStrv
list_demo_service_ids (void)
{
  g_autoptr(KioskCatalog) catalog = kiosk_catalog_new_demo ();
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (catalog)); i++)
    {
      g_autoptr(KioskService) service = g_list_model_get_item (G_LIST_MODEL (catalog), i);

      g_strv_builder_add (builder, kiosk_service_get_id (service));
    }
  return g_strv_builder_end (builder);
}

/* Every demo service ships an example answer file, and every example
 * answer file is valid for its service. */
static void
test_demo_examples (void)
{
  g_autoptr(KioskCatalog) catalog = kiosk_catalog_new_demo ();
  g_autofree char *dir_path = g_test_build_filename (G_TEST_DIST, "..", "data", "catalog", "examples", NULL);
  g_auto(GStrv) ids = list_demo_service_ids ();
  g_autoptr(GDir) dir = NULL;
  const char *name;
  guint n_files = 0;

  for (char **id = ids; *id != NULL; id++)
    {
      g_autofree char *file = g_strconcat (*id, ".json", NULL);
      g_autofree char *path = g_build_filename (dir_path, file, NULL);

      if (!g_file_test (path, G_FILE_TEST_EXISTS))
        g_error ("demo service %s has no example %s", *id, path);
    }

  dir = g_dir_open (dir_path, 0, NULL);
  g_assert_nonnull (dir);
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir_path, name, NULL);
      g_autofree char *id = g_strndup (name, strlen (name) - strlen (".json"));
      g_autoptr(JsonParser) parser = json_parser_new ();
      g_autoptr(KioskForm) form = NULL;
      g_autoptr(GPtrArray) errors = NULL;
      g_autoptr(GError) error = NULL;
      KioskService *service;

      g_assert_true (g_str_has_suffix (name, ".json"));
      service = kiosk_catalog_lookup (catalog, id);
      if (service == NULL)
        g_error ("example %s names no demo service", name);
      g_assert_true (json_parser_load_from_file (parser, path, &error));
      g_assert_no_error (error);

      form = kiosk_form_new (service, hildesheim, NULL);
      g_assert_true (kiosk_form_load_json (form, json_parser_get_root (parser), &error));
      g_assert_no_error (error);
      if (!kiosk_form_validate_all (form, "de", &errors))
        {
          KioskFieldError *e = errors->pdata[0];

          g_error ("example %s: %s: %s", name, e->field_id, e->message);
        }
      n_files++;
    }
  g_assert_cmpuint (n_files, ==, g_strv_length (ids));
}

static guint
count_search (KioskCatalog *catalog,
              const char   *query,
              const char   *expect_id)
{
  g_autoptr(GListModel) result = kiosk_catalog_search (catalog, query);
  gboolean found = expect_id == NULL;

  for (guint i = 0; i < g_list_model_get_n_items (result); i++)
    {
      g_autoptr(KioskService) service = g_list_model_get_item (result, i);

      if (g_strcmp0 (kiosk_service_get_id (service), expect_id) == 0)
        found = TRUE;
    }
  g_assert_true (found);
  return g_list_model_get_n_items (result);
}

static void
test_search (void)
{
  g_autoptr(KioskCatalog) catalog = kiosk_catalog_new_demo ();
  guint n_all = g_list_model_get_n_items (G_LIST_MODEL (catalog));

  /* "Müll" is a keyword of report-problem and bulky-waste. */
  g_assert_cmpuint (count_search (catalog, "muell", "bulky-waste"), >=, 2);
  g_assert_cmpuint (count_search (catalog, "Müll", "report-problem"), >=, 2);
  g_assert_cmpuint (count_search (catalog, "MÜLL", "report-problem"), >=, 2);
  g_assert_cmpuint (count_search (catalog, "mull", "report-problem"), >=, 2);
  g_assert_cmpuint (count_search (catalog, "sperrmuell", "bulky-waste"), ==, 1);
  g_assert_cmpuint (count_search (catalog, "strasse", "report-problem"), >=, 1);   /* ß -> ss */
  g_assert_cmpuint (count_search (catalog, "buergeramt", "citizens-office-appointment"), >=, 1);
  /* English titles and keywords are searched too, whatever the UI language. */
  g_assert_cmpuint (count_search (catalog, "rubbish", "report-problem"), ==, 1);
  g_assert_cmpuint (count_search (catalog, "library card", "library-card"), ==, 1);
  g_assert_cmpuint (count_search (catalog, "hund", "dog-tax"), ==, 1);
  /* Search that forgives: two words, a typo, ss for ß, an option's words,
   * synonyms from the keywords, another ending, a compound. */
  g_assert_cmpuint (count_search (catalog, "müll abholen", "bulky-waste"), ==, 1);
  g_assert_cmpuint (count_search (catalog, "Spermüll", "bulky-waste"), ==, 1);
  g_assert_cmpuint (count_search (catalog, "Strassenlaterne", "report-problem"), ==, 1);
  g_assert_cmpuint (count_search (catalog, "Kühlschrank", "bulky-waste"), ==, 1);
  g_assert_cmpuint (count_search (catalog, "Sofa", "bulky-waste"), ==, 1);
  g_assert_cmpuint (count_search (catalog, "Lampe kaputt", "report-problem"), ==, 1);
  g_assert_cmpuint (count_search (catalog, "Hundesteur", "dog-tax"), ==, 1);
  /* An exact find comes before a forgiven one. */
  {
    g_autoptr(GListModel) result = kiosk_catalog_search (catalog, "termin");
    g_autoptr(KioskService) first = g_list_model_get_item (result, 0);

    g_assert_cmpstr (kiosk_service_get_id (first), ==, "citizens-office-appointment");
  }
  /* every word must match */
  g_assert_cmpuint (count_search (catalog, "hund müll", NULL), ==, 0);
  g_assert_cmpuint (count_search (catalog, "xy", NULL), ==, 0);
  g_assert_cmpuint (count_search (catalog, "xyzzy", NULL), ==, 0);
  g_assert_cmpuint (count_search (catalog, "", NULL), ==, n_all);
  g_assert_cmpuint (count_search (catalog, NULL, NULL), ==, n_all);
}

static void
test_fold (void)
{
  struct { const char *in; const char *expanded; const char *stripped; } cases[] = {
    { "Müll", "muell", "mull" },
    { "Straße", "strasse", "strasse" },
    { "ÄÖÜäöü", "aeoeueaeoeue", "aouaou" },
    { "Café Crème", "cafe creme", "cafe creme" },
    { "Şehir İstanbul", "sehir istanbul", "sehir istanbul" },
    { "Київ", "киів", "киів" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *a = _kiosk_fold (cases[i].in, TRUE);
      g_autofree char *b = _kiosk_fold (cases[i].in, FALSE);

      if (i == 5)
        {
          /* Cyrillic ї decomposes to і + diaeresis; only the Latin
           * vowels a, o, u expand. */
          g_assert_cmpstr (a, ==, b);
          continue;
        }
      g_assert_cmpstr (a, ==, cases[i].expanded);
      g_assert_cmpstr (b, ==, cases[i].stripped);
    }
}

static void
test_locale_fallback (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KioskCatalog) catalog = load_fixture ("good-minimal.json", &error);
  KioskService *service;
  KioskCategory *category;

  g_assert_no_error (error);
  service = kiosk_catalog_lookup (catalog, "one");
  g_assert_nonnull (service);
  g_assert_cmpstr (kiosk_service_get_title (service, "en"), ==, "One");
  g_assert_cmpstr (kiosk_service_get_title (service, "en_GB.UTF-8"), ==, "One");
  g_assert_cmpstr (kiosk_service_get_title (service, "pt-BR"), ==, "Um (Brasil)");
  g_assert_cmpstr (kiosk_service_get_title (service, "pt_PT"), ==, "Um");
  g_assert_cmpstr (kiosk_service_get_title (service, "de"), ==, "Eins");
  g_assert_cmpstr (kiosk_service_get_title (service, "ar"), ==, "Eins");      /* -> de */
  g_assert_cmpstr (kiosk_service_get_title (service, NULL), ==, "Eins");
  /* The summary has no German-less fallback to test: German is required. */
  g_assert_cmpstr (kiosk_service_get_summary (service, "uk"), ==, "Zusammenfassung");
  g_assert_null (kiosk_service_get_help (service, "de"));
  g_assert_null (kiosk_service_get_next_steps (service, "de"));
  g_assert_cmpstr (kiosk_service_get_icon (service), ==, "help-about-symbolic");
  g_assert_cmpuint (kiosk_service_get_retention_days (service), ==, 90);
  g_assert_true (kiosk_service_get_receipt_shows_answers (service));
  g_assert_cmpint (kiosk_service_get_offline_mode (service), ==, KIOSK_OFFLINE_QUEUE);

  category = kiosk_catalog_get_categories (catalog)->pdata[0];
  g_assert_cmpstr (kiosk_category_get_id (category), ==, "general");
  g_assert_cmpstr (kiosk_category_get_title (category, "fr"), ==, "Allgemein");
  g_assert_cmpstr (kiosk_category_get_icon (category), ==, "folder-symbolic");
  g_assert_finalize_object (g_steal_pointer (&catalog));
}

/* Each bad-*.json fixture has a bad-*.expected file with the exact error
 * lines, in order.  A catalogue with errors is refused whole. */
static void
test_bad_fixtures (void)
{
  g_autofree char *dir_path = g_test_build_filename (G_TEST_DIST, "fixtures", "catalog", NULL);
  g_autoptr(GDir) dir = g_dir_open (dir_path, 0, NULL);
  const char *name;
  guint n = 0;

  g_assert_nonnull (dir);
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *base = NULL;
      g_autofree char *expected_path = NULL;
      g_autofree char *expected = NULL;
      g_autoptr(GError) error = NULL;
      g_autoptr(KioskCatalog) catalog = NULL;

      if (!g_str_has_prefix (name, "bad-") || !g_str_has_suffix (name, ".json"))
        continue;
      base = g_strndup (name, strlen (name) - strlen (".json"));
      expected_path = g_strdup_printf ("%s/%s.expected", dir_path, base);
      if (!g_file_get_contents (expected_path, &expected, NULL, NULL))
        g_error ("%s has no %s", name, expected_path);
      g_strchomp (expected);

      g_test_message ("fixture %s", name);
      catalog = load_fixture (name, &error);
      g_assert_null (catalog);
      g_assert_error (error, KIOSK_CATALOG_ERROR, KIOSK_CATALOG_ERROR_INVALID);
      if (g_strcmp0 (error->message, expected) != 0)
        g_error ("%s:\n--- expected\n%s\n--- got\n%s", name, expected, error->message);
      n++;
    }
  g_assert_cmpuint (n, >=, 10);
}

static void
test_good_fixtures (void)
{
  const char *good[] = { "good-minimal.json", "good-all-types.json" };

  for (guint i = 0; i < G_N_ELEMENTS (good); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(KioskCatalog) catalog = load_fixture (good[i], &error);

      g_assert_no_error (error);
      g_assert_nonnull (catalog);
    }
}

/* Language codes may be written with '-' ("pt-BR") as well as '_'; a
 * locale finds them either way.  A byte order mark before the JSON (as
 * Windows editors write it) is no error. */
static void
test_language_codes_and_bom (void)
{
  const char *json =
    "\xef\xbb\xbf{\"format\": 1, \"version\": \"v\","
    " \"categories\": [{\"id\": \"c\", \"title\": {\"de\": \"K\"}}],"
    " \"services\": [{\"id\": \"s\", \"version\": 1, \"category\": \"c\", \"offline\": \"queue\","
    "   \"title\": {\"de\": \"Eins\", \"pt-BR\": \"Um (Brasil)\"}, \"summary\": {\"de\": \"S\"},"
    "   \"keywords\": {\"de\": [\"eins\"], \"pt-BR\": [\"um\"]},"
    "   \"steps\": [{\"title\": {\"de\": \"S\"}, \"fields\": [{\"id\": \"a\", \"type\": \"text\", \"label\": {\"de\": \"A\"}}]}]}]}";
  g_autoptr(GBytes) bytes = g_bytes_new_static (json, strlen (json));
  g_autoptr(GError) error = NULL;
  g_autoptr(KioskCatalog) catalog = kiosk_catalog_new_from_bytes (bytes, "t", &error);
  KioskService *service;
  const char * const *keywords;

  g_assert_no_error (error);
  service = kiosk_catalog_lookup (catalog, "s");
  g_assert_cmpstr (kiosk_service_get_title (service, "pt_BR.UTF-8"), ==, "Um (Brasil)");
  g_assert_cmpstr (kiosk_service_get_title (service, "pt-BR"), ==, "Um (Brasil)");
  g_assert_cmpstr (kiosk_service_get_title (service, "pt_PT"), ==, "Eins");
  keywords = kiosk_service_get_keywords (service, "pt_BR");
  g_assert_nonnull (keywords);
  g_assert_cmpstr (keywords[0], ==, "um");
  g_assert_null (keywords[1]);
}

static void
test_not_json (void)
{
  const char *inputs[] = { "", "{", "[]", "\"text\"", "{\"a\":", "\xff\xfe{}", " \n\t" };
  const char *expected[] = {
    "t: (document): the file is empty; expected a JSON catalogue",
    "t: (document): not valid JSON: line 1, column 2: unexpected end of the text; expected a member name in double quotes",
    "t: (document): expected a JSON object {\"format\": 1, \"version\": …, \"categories\": […], \"services\": […]}",
    "t: (document): expected a JSON object {\"format\": 1, \"version\": …, \"categories\": […], \"services\": […]}",
    "t: (document): not valid JSON: line 1, column 6: the text ends where a value was expected",
    "t: (document): not valid JSON: line 1, column 1: a byte that is not UTF-8 (byte 0)",
    "t: (document): not valid JSON: line 2, column 2: no JSON value, the text is empty",
  };

  for (guint i = 0; i < G_N_ELEMENTS (inputs); i++)
    {
      g_autoptr(GBytes) bytes = g_bytes_new_static (inputs[i], strlen (inputs[i]));
      g_autoptr(GError) error = NULL;
      g_autoptr(KioskCatalog) catalog = kiosk_catalog_new_from_bytes (bytes, "t", &error);

      g_assert_null (catalog);
      g_assert_error (error, KIOSK_CATALOG_ERROR, KIOSK_CATALOG_ERROR_INVALID);
      g_assert_cmpstr (error->message, ==, expected[i]);
    }
}

static void
test_deep_nesting (void)
{
  GString *s = g_string_new ("{\"format\": 1, \"x-deep\": ");
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(KioskCatalog) catalog = NULL;

  for (guint i = 0; i < 10000; i++)
    g_string_append_c (s, '[');
  bytes = g_string_free_to_bytes (s);
  catalog = kiosk_catalog_new_from_bytes (bytes, "deep.json", &error);
  g_assert_null (catalog);
  g_assert_error (error, KIOSK_CATALOG_ERROR, KIOSK_CATALOG_ERROR_INVALID);
  /* The 33rd level, the 32nd '[' under the root object, is the 56th character. */
  g_assert_cmpstr (error->message, ==, "deep.json: (document): line 1, column 56: JSON nested deeper than 32 levels");
}

static void
test_file_errors (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KioskCatalog) catalog = kiosk_catalog_new_from_file ("/nonexistent/catalog.json", &error);

  g_assert_null (catalog);
  g_assert_error (error, G_FILE_ERROR, G_FILE_ERROR_NOENT);
}

static KioskStore *
open_temp_store (char **out_dir)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("test-catalog-XXXXXX", &error);
  g_autofree char *path = NULL;
  KioskStore *store;

  g_assert_no_error (error);
  path = g_build_filename (dir, "kiosk.db", NULL);
  store = kiosk_store_open (path, &error);
  g_assert_no_error (error);
  *out_dir = g_steal_pointer (&dir);
  return store;
}

static void
remove_temp_store (const char *dir)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;

  while (d != NULL && (name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);

      g_unlink (path);
    }
  g_rmdir (dir);
}

static void
test_store_active (void)
{
  g_autofree char *dir = NULL;
  g_autoptr(KioskStore) store = open_temp_store (&dir);
  g_autoptr(KioskCatalog) active = NULL;
  g_autoptr(KioskCatalog) again = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *good_path = g_test_build_filename (G_TEST_DIST, "fixtures", "catalog", "good-minimal.json", NULL);
  g_autofree char *bad_path = g_test_build_filename (G_TEST_DIST, "fixtures", "catalog", "bad-unknown-type.json", NULL);
  g_autofree char *good = NULL;
  g_autofree char *bad = NULL;
  g_autofree char *etag = NULL;
  gsize good_len, bad_len;
  gint64 imported;

  /* Nothing stored yet: the demo. */
  active = kiosk_catalog_load_active (store, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (kiosk_catalog_get_version (active), ==, "2026-11-26.1");
  g_assert_null (kiosk_catalog_dup_active_etag (store));
  g_assert_cmpint (kiosk_catalog_get_active_imported (store), ==, 0);
  g_clear_object (&active);

  g_assert_true (g_file_get_contents (good_path, &good, &good_len, NULL));
  g_assert_true (g_file_get_contents (bad_path, &bad, &bad_len, NULL));
  {
    g_autoptr(GBytes) bytes = g_bytes_new (good, good_len);

    g_assert_true (kiosk_catalog_store_active (store, bytes, good_path, "\"v1\"", &error));
    g_assert_no_error (error);
  }
  etag = kiosk_catalog_dup_active_etag (store);
  g_assert_cmpstr (etag, ==, "\"v1\"");
  imported = kiosk_catalog_get_active_imported (store);
  g_assert_cmpint (imported, >, 0);

  /* A bad catalogue is refused and the good one stays. */
  {
    g_autoptr(GBytes) bytes = g_bytes_new (bad, bad_len);

    g_assert_false (kiosk_catalog_store_active (store, bytes, "bad.json", "\"v2\"", &error));
    g_assert_error (error, KIOSK_CATALOG_ERROR, KIOSK_CATALOG_ERROR_INVALID);
    g_assert_true (g_str_has_prefix (error->message, "bad.json: /services/0/steps/0/fields/0/type: "));
    g_clear_error (&error);
  }
  g_free (etag);
  etag = kiosk_catalog_dup_active_etag (store);
  g_assert_cmpstr (etag, ==, "\"v1\"");

  active = kiosk_catalog_load_active (store, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (kiosk_catalog_get_version (active), ==, "minimal-1");
  g_assert_nonnull (kiosk_catalog_lookup (active, "one"));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (active)), ==, 2);

  /* Disabling a service hides it from the list and lookup, not from lookup_any. */
  g_assert_true (kiosk_catalog_set_service_enabled (store, "one", FALSE, &error));
  g_assert_no_error (error);
  again = kiosk_catalog_load_active (store, &error);
  g_assert_no_error (error);
  g_assert_null (kiosk_catalog_lookup (again, "one"));
  g_assert_nonnull (kiosk_catalog_lookup_any (again, "one"));
  g_assert_false (kiosk_service_get_enabled (kiosk_catalog_lookup_any (again, "one")));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (again)), ==, 1);
  {
    g_autoptr(GListModel) found = kiosk_catalog_search (again, "eins");
    g_autoptr(GListModel) in_category = kiosk_catalog_list_category (again, "general");

    g_assert_cmpuint (g_list_model_get_n_items (found), ==, 0);
    g_assert_cmpuint (g_list_model_get_n_items (in_category), ==, 1);
  }
  g_clear_object (&again);

  g_assert_true (kiosk_catalog_set_service_enabled (store, "one", TRUE, &error));
  again = kiosk_catalog_load_active (store, &error);
  g_assert_nonnull (kiosk_catalog_lookup (again, "one"));

  g_assert_finalize_object (g_steal_pointer (&active));
  g_assert_finalize_object (g_steal_pointer (&again));
  g_assert_finalize_object (g_steal_pointer (&store));
  remove_temp_store (dir);
}

static void
test_store_keeps_last_five (void)
{
  g_autofree char *dir = NULL;
  g_autoptr(KioskStore) store = open_temp_store (&dir);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) demo = kiosk_catalog_dup_demo_bytes ();
  g_autoptr(sqlite3_stmt) stmt = NULL;

  for (guint i = 0; i < 8; i++)
    {
      g_autofree char *etag = g_strdup_printf ("e%u", i);

      g_assert_true (kiosk_catalog_store_active (store, demo, "demo", etag, &error));
      g_assert_no_error (error);
    }
  stmt = _kiosk_store_prepare (store, "SELECT count(*), min(etag) FROM catalogs", &error);
  g_assert_no_error (error);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_assert_cmpint (sqlite3_column_int (stmt, 0), ==, 5);
  g_assert_cmpstr ((const char *) sqlite3_column_text (stmt, 1), ==, "e3");
  g_clear_pointer (&stmt, sqlite3_finalize);
  g_assert_finalize_object (g_steal_pointer (&store));
  remove_temp_store (dir);
}

/* The loader's search text of @service, before _kiosk_search_compact():
 * titles, keywords and option labels, a line each (the test's own copy of
 * build_search_text(), as the reference). */
static char *
raw_search_text (KioskService *service)
{
  GString *text = g_string_new (NULL);
  GHashTableIter iter;
  gpointer value;
  GPtrArray *fields = kiosk_service_get_fields (service);

  for (guint i = 0; service->title != NULL && i < service->title->n_entries; i++)
    g_string_append_printf (text, "%s\n", _kiosk_text_get_string (service->title, i));
  g_hash_table_iter_init (&iter, service->keywords);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    for (char **w = value; *w != NULL; w++)
      g_string_append_printf (text, "%s\n", *w);
  for (guint f = 0; f < fields->len; f++)
    for (guint o = 0; o < kiosk_field_get_n_options (fields->pdata[f]); o++)
      {
        KioskOption *option = ((KioskField *) fields->pdata[f])->options->pdata[o];

        for (guint i = 0; option->label != NULL && i < option->label->n_entries; i++)
          g_string_append_printf (text, "%s\n", _kiosk_text_get_string (option->label, i));
      }
  return g_string_free (text, FALSE);
}

static gboolean
found_in (const char *expanded,
          const char *stripped,
          const char *word)
{
  return strstr (expanded, word) != NULL || strstr (stripped, word) != NULL;
}

/* _kiosk_search_compact() keeps every find: for every piece of a
 * service's texts and every part of it (what a typed word, a vocabulary
 * word or a compound's head or tail can be), it is found in the compact
 * texts exactly when it is found in the full ones, and in the expanded
 * text alone exactly when there (compounds look only there); the
 * vocabulary is the same, in the same order.  The loader's texts are the
 * compact ones.  Over the demo, two fixtures and a generated catalogue. */
static void
test_search_compact (void)
{
  g_autoptr(GPtrArray) catalogs = g_ptr_array_new_with_free_func (g_object_unref);
  static const char * const fixtures[] = { "catalog/good-all-types.json", "open311/catalog.json" };
  guint n_words = 0, n_shorter = 0;
  gsize full_bytes = 0, compact_bytes = 0;

  g_ptr_array_add (catalogs, kiosk_catalog_new_demo ());
  for (guint i = 0; i < G_N_ELEMENTS (fixtures); i++)
    {
      g_autofree char *path = g_test_build_filename (G_TEST_DIST, "fixtures", fixtures[i], NULL);
      g_autoptr(GError) error = NULL;

      g_ptr_array_add (catalogs, kiosk_catalog_new_from_file (path, &error));
      g_assert_no_error (error);
    }
  {
    g_autoptr(GBytes) json = bench_catalog_generate (12);
    g_autoptr(GError) error = NULL;

    g_ptr_array_add (catalogs, kiosk_catalog_new_from_bytes (json, "generated", &error));
    g_assert_no_error (error);
  }

  for (guint c = 0; c < catalogs->len; c++)
    {
      GPtrArray *services = kiosk_catalog_get_all_services (catalogs->pdata[c]);
      g_autoptr(GPtrArray) full = g_ptr_array_new_with_free_func (g_object_unref);
      g_autoptr(GBytes) vocabulary_full = NULL;
      g_autoptr(GBytes) vocabulary_compact = NULL;
      gsize full_before = full_bytes, compact_before = compact_bytes;

      for (guint i = 0; i < services->len; i++)
        {
          KioskService *service = services->pdata[i];
          g_autofree char *raw = raw_search_text (service);
          KioskService *reference = _kiosk_service_new ();
          char *e, *s;
          g_auto(GStrv) pieces = NULL;

          _kiosk_fold_both (raw, &reference->search_expanded, &reference->search_stripped);
          g_ptr_array_add (full, reference);
          _kiosk_fold_both (raw, &e, &s);
          _kiosk_search_compact (&e, &s);
          g_assert_cmpstr (service->search_expanded, ==, e);
          g_assert_cmpstr (service->search_stripped, ==, s);
          g_free (e);
          g_free (s);
          full_bytes += strlen (reference->search_expanded) + strlen (reference->search_stripped) + 2;
          compact_bytes += strlen (service->search_expanded) + strlen (service->search_stripped) + 2;
          n_shorter += strlen (service->search_expanded) + strlen (service->search_stripped) <
                       strlen (reference->search_expanded) + strlen (reference->search_stripped);

          /* every part of every piece of the full and the compact texts
           * (a compact text that joined two pieces would find more), and
           * a few that are in none */
          {
            g_autofree char *both = g_strconcat (reference->search_expanded, "\n", reference->search_stripped, "\n",
                                                 service->search_expanded, "\n", service->search_stripped,
                                                 "\nzzqx\nmuellzz\n", NULL);

            pieces = g_strsplit_set (both, " \t\n,;-/", -1);
          }
          for (guint p = 0; pieces[p] != NULL; p++)
            for (gsize start = 0; pieces[p][start] != '\0'; start++)
              for (gsize len = 1; len <= 12 && pieces[p][start + len - 1] != '\0'; len++)
                {
                  g_autofree char *word = g_strndup (pieces[p] + start, len);

                  g_assert_cmpint (found_in (service->search_expanded, service->search_stripped, word), ==,
                                   found_in (reference->search_expanded, reference->search_stripped, word));
                  g_assert_cmpint (strstr (service->search_expanded, word) != NULL, ==,
                                   strstr (reference->search_expanded, word) != NULL);
                  n_words++;
                }
        }
      g_test_message ("catalogue %u: %" G_GSIZE_FORMAT " bytes of search text instead of %" G_GSIZE_FORMAT,
                      c, compact_bytes - compact_before, full_bytes - full_before);
      vocabulary_full = _kiosk_search_vocabulary_build (full);
      vocabulary_compact = _kiosk_search_vocabulary_build (services);
      g_assert_true (g_bytes_equal (vocabulary_full, vocabulary_compact));
    }
  g_test_message ("%u words compared; %u services' texts shorter; %" G_GSIZE_FORMAT " bytes instead of %"
                  G_GSIZE_FORMAT, n_words, n_shorter, compact_bytes, full_bytes);
  /* the point of it: shorter, and the comparison saw something */
  g_assert_cmpuint (compact_bytes, <, full_bytes);
  g_assert_cmpuint (n_words, >, 10000);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/kiosk/catalog/demo-valid", test_demo_valid);
  g_test_add_func ("/kiosk/catalog/demo-examples", test_demo_examples);
  g_test_add_func ("/kiosk/catalog/search", test_search);
  g_test_add_func ("/kiosk/catalog/search/compact-finds-the-same", test_search_compact);
  g_test_add_func ("/kiosk/catalog/fold", test_fold);
  g_test_add_func ("/kiosk/catalog/locale-fallback", test_locale_fallback);
  g_test_add_func ("/kiosk/catalog/language-codes-and-bom", test_language_codes_and_bom);
  g_test_add_func ("/kiosk/catalog/good-fixtures", test_good_fixtures);
  g_test_add_func ("/kiosk/catalog/bad-fixtures", test_bad_fixtures);
  g_test_add_func ("/kiosk/catalog/not-json", test_not_json);
  g_test_add_func ("/kiosk/catalog/deep-nesting", test_deep_nesting);
  g_test_add_func ("/kiosk/catalog/file-errors", test_file_errors);
  g_test_add_func ("/kiosk/catalog/store-active", test_store_active);
  g_test_add_func ("/kiosk/catalog/store-keeps-last-five", test_store_keeps_last_five);

  return g_test_run ();
}

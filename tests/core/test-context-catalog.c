/* test-context-catalog.c — one copy of the active catalogue per kiosk
 *
 * SPDX-FileCopyrightText: 2026 Stadtkiosk contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <fcntl.h>
#include <glib/gstdio.h>
#include <sqlite3.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <utime.h>

#include "stadtkiosk-core.h"
#include "kiosk-catalog-private.h"
#include "kiosk-search-private.h"
#include "kiosk-store-private.h"
#include "kiosk-session.h"
#include "kiosk-test-util.h"
#include "../bench/bench-catalog-gen.h"

typedef struct
{
  char         *dir;
  KioskContext *context;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KioskConfig) config = kiosk_config_new_default ();

  f->dir = g_dir_make_tmp ("stadtkiosk-context-XXXXXX", &error);
  g_assert_no_error (error);
  kiosk_config_set_state_dir (config, f->dir);
  f->context = kiosk_context_new (config, NULL, &error);
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_assert_finalize_object (f->context);
  kiosk_test_rm_rf (f->dir);
  g_free (f->dir);
}

static void
loaded_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  KioskCatalog **out = user_data;
  g_autoptr(GError) error = NULL;

  *out = kiosk_context_load_active_catalog_finish (KIOSK_CONTEXT (object), result, &error);
  g_assert_no_error (error);
}

/* A large stored catalogue (over 1 MiB) is validated in a worker thread;
 * two callers at once share the one parse; the sessions and the routing
 * table get the same object afterwards, until another catalogue is stored.
 * The control: a catalogue stored later is read anew. */
static void
test_shared (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) big = bench_catalog_generate (600);
  g_autoptr(KioskCatalog) first = NULL;
  g_autoptr(KioskCatalog) second = NULL;
  g_autoptr(KioskCatalog) again = NULL;
  g_autoptr(KioskCatalog) other = NULL;
  g_autoptr(KioskSession) session = kiosk_session_new (f->context);
  KioskStore *store = kiosk_context_get_store (f->context);

  /* Nothing stored (the demo): read at once. */
  g_assert_true (kiosk_context_active_catalog_is_quick (f->context));
  g_assert_cmpuint (g_bytes_get_size (big), >, 1024 * 1024);
  g_assert_true (kiosk_catalog_store_active (store, big, "test", NULL, &error));
  g_assert_no_error (error);
  /* Large and not held yet: a page loads it asynchronously. */
  g_assert_false (kiosk_context_active_catalog_is_quick (f->context));

  kiosk_context_load_active_catalog_async (f->context, NULL, loaded_cb, &first);
  kiosk_context_load_active_catalog_async (f->context, NULL, loaded_cb, &second);
  while (first == NULL || second == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (first == second);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (first)), ==, 600);
  g_assert_true (kiosk_context_active_catalog_is_quick (f->context));
  /* The shared copy does not keep its JSON text (#18); one loaded for
   * itself does (the control). */
  g_assert_null (kiosk_catalog_get_bytes (first));
  {
    g_autoptr(KioskCatalog) own = kiosk_catalog_load_active (store, &error);

    g_assert_no_error (error);
    g_assert_true (g_bytes_equal (kiosk_catalog_get_bytes (own), big));
  }

  again = kiosk_context_dup_active_catalog (f->context, &error);
  g_assert_no_error (error);
  g_assert_true (again == first);
  g_assert_true (kiosk_session_get_catalog (session) == first);

  /* A service switched off on this kiosk is gone from the shared copy too. */
  g_assert_true (kiosk_catalog_set_service_enabled (store, "service-001", FALSE, &error));
  g_clear_object (&again);
  again = kiosk_context_dup_active_catalog (f->context, &error);
  g_assert_null (kiosk_catalog_lookup (again, "service-001"));

  /* Another catalogue stored: read anew.  (Its import time differs from
   * the first one's by at least a microsecond.) */
  g_usleep (2);
  g_clear_pointer (&big, g_bytes_unref);
  big = bench_catalog_generate (3);
  g_assert_true (kiosk_catalog_store_active (store, big, "test", NULL, &error));
  /* Not held, but small: read at once. */
  g_assert_true (kiosk_context_active_catalog_is_quick (f->context));
  other = kiosk_context_dup_active_catalog (f->context, &error);
  g_assert_no_error (error);
  g_assert_true (other != first);
  g_assert_null (kiosk_catalog_get_bytes (other));
  /* three services, service-001 still switched off */
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (other)), ==, 2);
  g_clear_object (&session);
}


static KioskCatalog *
load_shared (Fixture *f)
{
  g_autoptr(KioskCatalog) catalog = NULL;

  kiosk_context_load_active_catalog_async (f->context, NULL, loaded_cb, &catalog);
  while (catalog == NULL)
    g_main_context_iteration (NULL, TRUE);
  return g_steal_pointer (&catalog);
}

/* Both services' forms, field by field, as a person and the delivery
 * would read them. */
static void
assert_same_form (KioskService *lazy,
                  KioskService *full)
{
  GPtrArray *fields;
  static const char * const langs[] = { "de", "ar", "uk", "ls" };
  static const char * const open311_roles[] = {
    "description", "address", "lat", "long", "email", "first_name", "last_name", "phone",
  };

  /* What the shared copy keeps, as it was */
  g_assert_cmpstr (kiosk_service_get_id (lazy), ==, kiosk_service_get_id (full));
  g_assert_cmpuint (kiosk_service_get_version (lazy), ==, kiosk_service_get_version (full));
  for (guint i = 0; i < G_N_ELEMENTS (langs); i++)
    {
      g_assert_cmpstr (kiosk_service_get_title (lazy, langs[i]), ==, kiosk_service_get_title (full, langs[i]));
      g_assert_cmpstr (kiosk_service_get_summary (lazy, langs[i]), ==, kiosk_service_get_summary (full, langs[i]));
      g_assert_cmpstr (kiosk_service_get_help (lazy, langs[i]), ==, kiosk_service_get_help (full, langs[i]));
      g_assert_cmpstr (kiosk_service_get_next_steps (lazy, langs[i]), ==, kiosk_service_get_next_steps (full, langs[i]));
      g_assert_cmpstr (kiosk_service_get_office_hours (lazy, langs[i]), ==, kiosk_service_get_office_hours (full, langs[i]));
      {
        const char * const none[] = { NULL };
        const char * const *a = kiosk_service_get_keywords (lazy, langs[i]);
        const char * const *b = kiosk_service_get_keywords (full, langs[i]);

        g_assert_true (g_strv_equal (a != NULL ? a : none, b != NULL ? b : none));
      }
    }
  g_assert_cmpstr (kiosk_service_get_icon (lazy), ==, kiosk_service_get_icon (full));
  g_assert_cmpstr (kiosk_service_get_category_id (lazy), ==, kiosk_service_get_category_id (full));
  g_assert_cmpint (kiosk_service_get_offline_mode (lazy), ==, kiosk_service_get_offline_mode (full));
  g_assert_cmpstr (kiosk_service_get_refer_url (lazy), ==, kiosk_service_get_refer_url (full));
  g_assert_cmpint (kiosk_service_get_target_kind (lazy), ==, kiosk_service_get_target_kind (full));
  g_assert_cmpint (kiosk_service_has_target (lazy), ==, kiosk_service_has_target (full));
  g_assert_cmpstr (kiosk_service_get_open311_code (lazy), ==, kiosk_service_get_open311_code (full));
  g_assert_cmpuint (kiosk_service_get_retention_days (lazy), ==, kiosk_service_get_retention_days (full));
  g_assert_cmpint (kiosk_service_get_receipt_shows_answers (lazy), ==, kiosk_service_get_receipt_shows_answers (full));
  g_assert_cmpint (kiosk_service_get_enabled (lazy), ==, kiosk_service_get_enabled (full));
  g_assert_cmpstr (lazy->search_expanded, ==, full->search_expanded);
  g_assert_cmpstr (lazy->search_stripped, ==, full->search_stripped);

  /* The form, read again */
  g_assert_cmpuint (kiosk_service_get_n_steps (lazy), ==, kiosk_service_get_n_steps (full));
  g_assert_cmpuint (kiosk_service_get_n_steps (lazy), >, 0);
  for (guint s = 0; s < kiosk_service_get_n_steps (full); s++)
    g_assert_cmpstr (kiosk_step_get_title (kiosk_service_get_step (lazy, s), "tr"), ==,
                     kiosk_step_get_title (kiosk_service_get_step (full, s), "tr"));
  fields = kiosk_service_get_fields (full);
  g_assert_cmpuint (kiosk_service_get_fields (lazy)->len, ==, fields->len);
  for (guint i = 0; i < fields->len; i++)
    {
      KioskField *want = fields->pdata[i];
      KioskField *got = kiosk_service_get_fields (lazy)->pdata[i];

      g_assert_true (kiosk_service_lookup_field (lazy, kiosk_field_get_id (want)) == got);
      g_assert_cmpstr (kiosk_field_get_id (got), ==, kiosk_field_get_id (want));
      g_assert_cmpint (kiosk_field_get_field_type (got), ==, kiosk_field_get_field_type (want));
      g_assert_cmpuint (kiosk_field_get_step (got), ==, kiosk_field_get_step (want));
      g_assert_cmpstr (kiosk_field_get_label (got, "uk"), ==, kiosk_field_get_label (want, "uk"));
      g_assert_cmpint (kiosk_field_get_required (got), ==, kiosk_field_get_required (want));
      g_assert_cmpuint (kiosk_field_get_n_options (got), ==, kiosk_field_get_n_options (want));
      g_assert_cmpint (kiosk_field_has_condition (got), ==, kiosk_field_has_condition (want));
      g_assert_cmpstr (kiosk_service_get_open311_attribute (lazy, kiosk_field_get_id (got)), ==,
                       kiosk_service_get_open311_attribute (full, kiosk_field_get_id (want)));
    }
  for (guint i = 0; i < G_N_ELEMENTS (open311_roles); i++)
    g_assert_cmpstr (kiosk_service_get_open311_field (lazy, open311_roles[i]), ==,
                     kiosk_service_get_open311_field (full, open311_roles[i]));
}

/* The shared copy holds no forms after the load (#18: 40 of 61 MB at
 * federal size) and reads each from the stored row on first use, the same
 * as a catalogue loaded with its forms; the rest it keeps as it was.
 * @data: a number of services in a generated catalogue (over 1 MiB it is
 * parsed in a worker thread, else on the caller's), "demo", or a fixture:
 * together every kind of service, field and Open311 mapping. */
static void
test_forms_on_demand (Fixture       *f,
                      gconstpointer  data)
{
  const char *which = data;
  guint n = (guint) g_ascii_strtoull (which, NULL, 10);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) json = NULL;
  const char *opened = NULL;
  const char *query = "Strasse Antrag";
  g_autoptr(KioskCatalog) shared = NULL;
  g_autoptr(KioskCatalog) full = NULL;
  g_autoptr(KioskSession) session = kiosk_session_new (f->context);
  KioskStore *store = kiosk_context_get_store (f->context);
  GPtrArray *services;

  if (n > 0)
    json = bench_catalog_generate (n);
  else if (g_str_equal (which, "demo"))
    {
      json = kiosk_catalog_dup_demo_bytes ();
      query = "Sperrmüll";
    }
  else
    {
      g_autofree char *path = g_test_build_filename (G_TEST_DIST, "fixtures", which, NULL);
      g_autofree char *text = NULL;
      gsize len;

      g_file_get_contents (path, &text, &len, &error);
      g_assert_no_error (error);
      json = g_bytes_new_take (g_steal_pointer (&text), len);
      query = NULL;
    }

  g_assert_true (kiosk_catalog_store_active (store, json, "test", NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (kiosk_context_active_catalog_is_quick (f->context), ==, g_bytes_get_size (json) < 1024 * 1024);
  shared = load_shared (f);
  full = kiosk_catalog_load_active (store, &error);
  g_assert_no_error (error);

  services = kiosk_catalog_get_all_services (shared);
  g_assert_cmpuint (services->len, ==, kiosk_catalog_get_all_services (full)->len);
  g_assert_cmpuint (services->len, >=, n);
  /* The control: nothing of the forms is held before it is asked for. */
  for (guint i = 0; i < services->len; i++)
    {
      KioskService *service = services->pdata[i];

      g_assert_null (service->steps);
      g_assert_null (service->fields);
      g_assert_null (service->help);
      g_assert_null (service->keywords);
      g_assert_nonnull (service->form_source);
    }
  /* The last service first: the end of the row. */
  for (guint i = services->len; i-- > 0;)
    {
      KioskService *lazy = services->pdata[i];

      assert_same_form (lazy, kiosk_catalog_lookup_any (full, kiosk_service_get_id (lazy)));
      g_assert_nonnull (lazy->steps);
      if (kiosk_service_get_offline_mode (lazy) != KIOSK_OFFLINE_REFER && kiosk_service_get_enabled (lazy))
        opened = kiosk_service_get_id (lazy);
    }

  /* The search sees the same services. */
  {
    g_autoptr(GListModel) a = kiosk_catalog_search (shared, query != NULL ? query : "a");
    g_autoptr(GListModel) b = kiosk_catalog_search (full, query != NULL ? query : "a");

    if (query != NULL)
      g_assert_cmpuint (g_list_model_get_n_items (a), >, 0);
    g_assert_cmpuint (g_list_model_get_n_items (a), ==, g_list_model_get_n_items (b));
  }
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (shared)), ==, g_list_model_get_n_items (G_LIST_MODEL (full)));
  g_assert_cmpuint (kiosk_catalog_get_categories (shared)->len, ==, kiosk_catalog_get_categories (full)->len);
  g_assert_cmpstr (kiosk_catalog_get_version (shared), ==, kiosk_catalog_get_version (full));

  /* A citizen opens one and fills its form. */
  g_assert_nonnull (opened);
  g_assert_true (kiosk_session_open_service (session, opened));
  g_assert_true (kiosk_session_begin_form (session));
  g_assert_cmpuint (kiosk_form_get_n_steps (kiosk_session_get_form (session)), ==,
                    kiosk_service_get_n_steps (kiosk_catalog_lookup (full, opened)));
  g_clear_object (&session);
}

typedef struct
{
  GPtrArray *services;
  guint      start;
  GPtrArray *seen;    /* each service's fields array, as this thread saw it */
} Reader;

static gpointer
read_forms_thread (gpointer data)
{
  Reader *r = data;

  for (guint k = 0; k < r->services->len; k++)
    {
      KioskService *service = r->services->pdata[(r->start + k) % r->services->len];

      g_ptr_array_add (r->seen, kiosk_service_get_fields (service));
      g_assert_cmpuint (kiosk_service_get_n_steps (service), >, 0);
    }
  return NULL;
}

/* The window and the Open311 delivery may ask for one form at once: every
 * thread sees the one form, read once. */
static void
test_forms_threads (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) json = bench_catalog_generate (200);
  g_autoptr(KioskCatalog) shared = NULL;
  Reader readers[4];
  GThread *threads[G_N_ELEMENTS (readers)];

  g_assert_true (kiosk_catalog_store_active (kiosk_context_get_store (f->context), json, "test", NULL, &error));
  shared = kiosk_context_dup_active_catalog (f->context, &error);
  g_assert_no_error (error);
  for (guint t = 0; t < G_N_ELEMENTS (readers); t++)
    {
      readers[t].services = kiosk_catalog_get_all_services (shared);
      readers[t].start = t * 50;
      readers[t].seen = g_ptr_array_new ();
      threads[t] = g_thread_new ("forms", read_forms_thread, &readers[t]);
    }
  for (guint t = 0; t < G_N_ELEMENTS (readers); t++)
    g_thread_join (threads[t]);
  for (guint i = 0; i < 200; i++)
    {
      KioskService *service = readers[0].services->pdata[i];

      for (guint t = 0; t < G_N_ELEMENTS (readers); t++)
        g_assert_true (readers[t].seen->pdata[(i + 200 - readers[t].start) % 200] == kiosk_service_get_fields (service));
    }
  for (guint t = 0; t < G_N_ELEMENTS (readers); t++)
    g_ptr_array_unref (readers[t].seen);
}

typedef enum
{
  DAMAGE_LONGER,       /* the row's text is not the one loaded */
  DAMAGE_OTHER_ID,     /* same length, but the object is another service */
  DAMAGE_NOT_JSON,     /* same length, the object broken */
  DAMAGE_ROW_GONE,
} Damage;

static void
damage_row (const char   *path,
            KioskService *service,
            Damage        damage)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  g_autofree char *text = NULL;
  gsize len;
  char *object;
  char *id;

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  if (damage == DAMAGE_ROW_GONE)
    {
      g_assert_cmpint (sqlite3_exec (db, "DELETE FROM catalogs", NULL, NULL, NULL), ==, SQLITE_OK);
      sqlite3_close (db);
      return;
    }
  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT json FROM catalogs", -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  len = sqlite3_column_bytes (stmt, 0);
  text = g_strndup ((const char *) sqlite3_column_text (stmt, 0), len);
  sqlite3_finalize (stmt);

  object = text + service->text_offset;
  g_assert_true (*object == '{');
  switch (damage)
    {
    case DAMAGE_LONGER:
      {
        char *longer = g_strconcat (text, " ", NULL);

        g_free (text);
        text = longer;
        len++;
      }
      break;
    case DAMAGE_OTHER_ID:
      {
        g_autofree char *quoted = g_strdup_printf ("\"%s\"", kiosk_service_get_id (service));

        id = g_strstr_len (object, service->text_length, quoted);
        g_assert_nonnull (id);
        id[strlen (quoted) - 2] = 'x';   /* service-002 -> service-00x */
      }
      break;
    case DAMAGE_NOT_JSON:
      object[service->text_length - 1] = ' ';   /* its closing brace */
      break;
    default:
      g_assert_not_reached ();
    }
  g_assert_cmpint (sqlite3_prepare_v2 (db, "UPDATE catalogs SET json = ?", -1, &stmt, NULL), ==, SQLITE_OK);
  sqlite3_bind_text (stmt, 1, text, len, SQLITE_STATIC);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_DONE);
  sqlite3_finalize (stmt);
  sqlite3_close (db);
}

/* A stored row that changed or went away under a loaded catalogue is
 * damage: said once in the log, naming the database, row and service; the
 * service has no form, and a citizen cannot open it half.  The control:
 * another service whose form was read before the damage still works. */
static void
test_forms_damaged (Fixture       *f,
                    gconstpointer  data)
{
  Damage damage = GPOINTER_TO_INT (data);
  static const char * const said[] = {
    [DAMAGE_LONGER] = "*stored catalogue *: it is * bytes long, but * were loaded",
    [DAMAGE_OTHER_ID] = "*stored catalogue *: the form of service \"service-002\" is not the one loaded*",
    [DAMAGE_NOT_JSON] = "*stored catalogue *: the form of service \"service-002\" is no longer valid JSON*",
    [DAMAGE_ROW_GONE] = "*stored catalogue *: the row is gone*",
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) json = bench_catalog_generate (5);
  g_autoptr(KioskCatalog) shared = NULL;
  g_autoptr(KioskSession) session = kiosk_session_new (f->context);
  KioskStore *store = kiosk_context_get_store (f->context);
  KioskService *read_before;
  KioskService *service;

  g_assert_true (kiosk_catalog_store_active (store, json, "test", NULL, &error));
  shared = kiosk_context_dup_active_catalog (f->context, &error);
  g_assert_no_error (error);
  read_before = kiosk_catalog_lookup (shared, "service-001");
  g_assert_cmpuint (kiosk_service_get_n_steps (read_before), >, 0);
  service = kiosk_catalog_lookup (shared, "service-002");
  g_assert_null (service->steps);

  damage_row (kiosk_store_get_path (store), service, damage);
  g_test_expect_message ("kiosk-catalog", G_LOG_LEVEL_WARNING, said[damage]);
  g_assert_cmpuint (kiosk_service_get_n_steps (service), ==, 0);
  g_test_assert_expected_messages ();
  /* Said once; asked again, nothing is read or said. */
  g_assert_cmpuint (kiosk_service_get_fields (service)->len, ==, 0);
  g_assert_null (kiosk_service_lookup_field (service, "name"));
  g_assert_false (_kiosk_service_ensure_form (service, &error));
  g_assert_error (error, KIOSK_CATALOG_ERROR, KIOSK_CATALOG_ERROR_FAILED);

  if (damage != DAMAGE_ROW_GONE)
    {
      /* The row is still the active one: the session has this catalogue. */
      g_assert_true (kiosk_session_get_catalog (session) == shared);
      g_assert_false (kiosk_session_open_service (session, "service-002"));
      g_assert_null (kiosk_session_get_service (session));
      g_assert_true (kiosk_session_open_service (session, "service-001"));
    }
  g_assert_cmpuint (kiosk_service_get_n_steps (read_before), >, 0);
  g_clear_object (&session);
}

typedef enum
{
  SEARCH_FILE_KEPT,
  SEARCH_FILE_CUT_SHORT,
  SEARCH_FILE_BYTE_CHANGED,
  SEARCH_FILE_OF_ANOTHER,
  SEARCH_FILE_UNWRITABLE,
  SEARCH_FILE_WRITE_CUT_OFF,
} SearchFileCase;

/* Both catalogues find the same services in the same order: exactly, with
 * a typo, a compound, a word and a number. */
static void
assert_same_search (KioskCatalog *got,
                    KioskCatalog *want)
{
  static const char * const queries[] = {
    "Strasse Antrag", "dienstleistnug", "Müllantrag", "bürger 17", "möglichkeit", "zzzz",
  };

  for (guint q = 0; q < G_N_ELEMENTS (queries); q++)
    {
      g_autoptr(GListModel) a = kiosk_catalog_search (got, queries[q]);
      g_autoptr(GListModel) b = kiosk_catalog_search (want, queries[q]);
      guint n = g_list_model_get_n_items (b);

      g_test_message ("%s: %u found", queries[q], n);
      g_assert_cmpuint (g_list_model_get_n_items (a), ==, n);
      /* all but the last find something, so the comparison says something */
      g_assert_cmpint (n > 0, ==, q + 1 < G_N_ELEMENTS (queries));
      for (guint i = 0; i < n; i++)
        {
          g_autoptr(KioskService) x = g_list_model_get_item (a, i);
          g_autoptr(KioskService) y = g_list_model_get_item (b, i);

          g_assert_cmpstr (kiosk_service_get_id (x), ==, kiosk_service_get_id (y));
        }
    }
}

static void
assert_same_texts (KioskCatalog *got,
                   KioskCatalog *want,
                   gboolean      mapped)
{
  GPtrArray *services = kiosk_catalog_get_all_services (got);
  static const char * const langs[] = { "de", "en", "tr", "ls" };

  g_assert_cmpuint (services->len, ==, kiosk_catalog_get_all_services (want)->len);
  for (guint i = 0; i < services->len; i++)
    {
      KioskService *a = services->pdata[i];
      KioskService *b = kiosk_catalog_get_all_services (want)->pdata[i];

      g_assert_cmpint (a->texts_mapped, ==, mapped);
      for (guint l = 0; l < G_N_ELEMENTS (langs); l++)
        {
          g_assert_cmpstr (kiosk_service_get_title (a, langs[l]), ==, kiosk_service_get_title (b, langs[l]));
          g_assert_cmpstr (kiosk_service_get_summary (a, langs[l]), ==, kiosk_service_get_summary (b, langs[l]));
        }
      g_assert_cmpstr (a->search_expanded, ==, b->search_expanded);
      g_assert_cmpstr (a->search_stripped, ==, b->search_stripped);
    }
  g_assert_true ((got->search_vocabulary != NULL) == mapped);
  assert_same_search (got, want);
}

static void
damage_search_file (const char     *path,
                    SearchFileCase  damage,
                    KioskStore     *store,
                    const char     *db_path)
{
  struct stat st;

  g_assert_cmpint (g_stat (path, &st), ==, 0);
  switch (damage)
    {
    case SEARCH_FILE_CUT_SHORT:
      g_assert_cmpint (truncate (path, st.st_size / 2), ==, 0);
      break;
    case SEARCH_FILE_BYTE_CHANGED:
      {
        int fd = g_open (path, O_RDWR, 0);
        char c;

        g_assert_cmpint (fd, >=, 0);
        g_assert_cmpint (pread (fd, &c, 1, st.st_size / 2), ==, 1);
        c ^= 0x20;
        g_assert_cmpint (pwrite (fd, &c, 1, st.st_size / 2), ==, 1);
        close (fd);
      }
      break;
    case SEARCH_FILE_OF_ANOTHER:
      {
        /* What a database restored from another kiosk leaves behind. */
        g_autoptr(GBytes) json = bench_catalog_generate (41);
        g_autoptr(GError) error = NULL;
        g_autoptr(KioskCatalog) other = NULL;
        g_autoptr(KioskCatalog) other_shared = NULL;

        g_assert_true (kiosk_catalog_store_active (store, json, "test", NULL, &error));
        other = kiosk_catalog_load_active (store, &error);
        g_assert_no_error (error);
        other_shared = _kiosk_catalog_dup_without_forms (other, db_path);
        assert_same_texts (other_shared, other, TRUE);
      }
      break;
    case SEARCH_FILE_WRITE_CUT_OFF:
      {
        /* What a write cut off leaves: the temporary file, an old one and
         * one of a write that may still be going on; and the file itself
         * not replaced, here cut short. */
        g_autofree char *old_tmp = g_strconcat (path, ".Ab12Cd", NULL);
        g_autofree char *new_tmp = g_strconcat (path, ".Ef34Gh", NULL);
        g_autofree char *other = g_strconcat (path, ".keep", NULL);
        struct utimbuf hours_ago = { time (NULL) - 7200, time (NULL) - 7200 };

        g_assert_true (g_file_set_contents (old_tmp, "half", -1, NULL));
        g_assert_cmpint (g_utime (old_tmp, &hours_ago), ==, 0);
        g_assert_true (g_file_set_contents (new_tmp, "half", -1, NULL));
        g_assert_true (g_file_set_contents (other, "not ours", -1, NULL));
        g_assert_cmpint (truncate (path, 10), ==, 0);
      }
      break;
    case SEARCH_FILE_KEPT:
    case SEARCH_FILE_UNWRITABLE:
    default:
      break;
    }
}

/* The shared copy of a stored catalogue reads its search texts from a
 * file mapped read-only (#18: 7 MB at federal size), and searches exactly
 * as the catalogue that keeps them does.  Each load makes sure the file
 * holds what it should: not written again when it does (the control for
 * the rewrite), written anew when cut short, changed, or of another
 * catalogue; where it cannot be written, the texts stay on the heap. */
static void
test_search_file (Fixture       *f,
                  gconstpointer  data)
{
  SearchFileCase damage = GPOINTER_TO_INT (data);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) json = bench_catalog_generate (40);
  g_autoptr(KioskCatalog) full = NULL;
  g_autoptr(KioskCatalog) shared = NULL;
  g_autofree char *path = NULL;
  g_autofree char *written = NULL;
  g_autofree char *now = NULL;
  gsize written_len, now_len;
  KioskStore *store = kiosk_context_get_store (f->context);
  const char *db_path = kiosk_store_get_path (store);
  struct stat before, after;

  g_assert_true (kiosk_catalog_store_active (store, json, "test", NULL, &error));
  full = kiosk_catalog_load_active (store, &error);
  g_assert_no_error (error);
  path = _kiosk_search_file_path (db_path);

  if (damage == SEARCH_FILE_UNWRITABLE)
    {
      /* A directory where the file should be: it cannot replace it. */
      g_autoptr(GDir) dir = NULL;
      const char *name;

      g_assert_cmpint (g_mkdir (path, 0700), ==, 0);
      g_test_expect_message ("kiosk-catalog", G_LOG_LEVEL_MESSAGE,
                             "The search keeps its texts in memory: *.search: cannot write it: *");
      shared = _kiosk_catalog_dup_without_forms (full, db_path);
      g_test_assert_expected_messages ();
      assert_same_texts (shared, full, FALSE);
      /* nothing left behind */
      dir = g_dir_open (f->dir, 0, &error);
      g_assert_no_error (error);
      while ((name = g_dir_read_name (dir)) != NULL)
        g_assert_false (strstr (name, ".search.") != NULL);
      return;
    }

  shared = _kiosk_catalog_dup_without_forms (full, db_path);
  assert_same_texts (shared, full, TRUE);
  g_file_get_contents (path, &written, &written_len, &error);
  g_assert_no_error (error);
  g_assert_cmpint (g_stat (path, &before), ==, 0);
  /* Released before the file is damaged: it is never changed in place
   * while mapped, and a mapping cut short would fault. */
  g_clear_object (&shared);

  damage_search_file (path, damage, store, db_path);
  shared = _kiosk_catalog_dup_without_forms (full, db_path);
  assert_same_texts (shared, full, TRUE);
  g_file_get_contents (path, &now, &now_len, &error);
  g_assert_no_error (error);
  g_assert_cmpmem (now, now_len, written, written_len);
  g_assert_cmpint (g_stat (path, &after), ==, 0);
  if (damage == SEARCH_FILE_KEPT)
    g_assert_cmpuint (after.st_ino, ==, before.st_ino);
  if (damage == SEARCH_FILE_WRITE_CUT_OFF)
    {
      g_autofree char *old_tmp = g_strconcat (path, ".Ab12Cd", NULL);
      g_autofree char *new_tmp = g_strconcat (path, ".Ef34Gh", NULL);
      g_autofree char *other = g_strconcat (path, ".keep", NULL);

      g_assert_false (g_file_test (old_tmp, G_FILE_TEST_EXISTS));
      g_assert_true (g_file_test (new_tmp, G_FILE_TEST_EXISTS));
      g_assert_true (g_file_test (other, G_FILE_TEST_EXISTS));
    }
}

static int
trace_cb (unsigned int  type,
          void         *user_data,
          void         *stmt,
          void         *sql)
{
  g_ptr_array_add (user_data, g_strdup (sql));
  return 0;
}

/* A large stored catalogue's text (16 MB at federal size) is read by the
 * worker thread on a connection of its own, not by the main loop on the
 * store's: the main connection only asks for the newest row and its size.
 * The control: the same catalogue loaded the usual way reads its text on
 * the main connection, and the trace sees it. */
static void
test_read_in_worker (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) big = bench_catalog_generate (600);
  g_autoptr(KioskCatalog) shared = NULL;
  g_autoptr(KioskCatalog) own = NULL;
  g_autoptr(GPtrArray) statements = g_ptr_array_new_with_free_func (g_free);
  KioskStore *store = kiosk_context_get_store (f->context);
  sqlite3 *db = _kiosk_store_get_db (store);
  gboolean read_text = FALSE;

  g_assert_true (kiosk_catalog_store_active (store, big, "test", NULL, &error));
  g_assert_no_error (error);
  sqlite3_trace_v2 (db, SQLITE_TRACE_STMT, trace_cb, statements);
  shared = load_shared (f);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (shared)), ==, 600);
  g_assert_cmpuint (statements->len, >, 0);
  for (guint i = 0; i < statements->len; i++)
    g_assert_null (strstr (statements->pdata[i], "json"));

  own = kiosk_catalog_load_active (store, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < statements->len; i++)
    read_text = read_text || strstr (statements->pdata[i], "SELECT json") != NULL;
  g_assert_true (read_text);
  sqlite3_trace_v2 (db, 0, NULL, NULL);
}

/* What the worker reads is the row the main loop looked at, whole: a row
 * of another length (changed in between) or gone is refused with a
 * message naming it (catalog_parsed_cb() then loads the usual way). */
static void
test_read_in_worker_changed (Fixture       *f,
                             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) big = bench_catalog_generate (600);
  g_autoptr(GBytes) read = NULL;
  KioskStore *store = kiosk_context_get_store (f->context);
  gint64 seq;
  gsize size;

  g_assert_true (kiosk_catalog_store_active (store, big, "test", NULL, &error));
  g_assert_true (_kiosk_catalog_store_get_newest_row (store, &seq, NULL, &size));
  g_assert_cmpuint (size, ==, g_bytes_get_size (big));
  read = _kiosk_catalog_read_stored (kiosk_store_get_path (store), seq, size, &error);
  g_assert_no_error (error);
  g_assert_true (g_bytes_equal (read, big));
  g_clear_pointer (&read, g_bytes_unref);

  read = _kiosk_catalog_read_stored (kiosk_store_get_path (store), seq, size - 1, &error);
  g_assert_error (error, KIOSK_CATALOG_ERROR, KIOSK_CATALOG_ERROR_FAILED);
  g_assert_null (read);
  g_assert_nonnull (strstr (error->message, "were loaded"));
  g_clear_error (&error);
  read = _kiosk_catalog_read_stored (kiosk_store_get_path (store), seq + 1, size, &error);
  g_assert_error (error, KIOSK_CATALOG_ERROR, KIOSK_CATALOG_ERROR_FAILED);
  g_assert_null (read);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add ("/kiosk/context/catalog-shared", Fixture, NULL, fixture_set_up, test_shared, fixture_tear_down);
  g_test_add ("/kiosk/context/forms-on-demand/demo", Fixture, "demo",
              fixture_set_up, test_forms_on_demand, fixture_tear_down);
  g_test_add ("/kiosk/context/forms-on-demand/every-field-type", Fixture, "catalog/good-all-types.json",
              fixture_set_up, test_forms_on_demand, fixture_tear_down);
  g_test_add ("/kiosk/context/forms-on-demand/open311", Fixture, "open311/catalog.json",
              fixture_set_up, test_forms_on_demand, fixture_tear_down);
  g_test_add ("/kiosk/context/forms-on-demand/small", Fixture, "20",
              fixture_set_up, test_forms_on_demand, fixture_tear_down);
  g_test_add ("/kiosk/context/forms-on-demand/worker", Fixture, "600",
              fixture_set_up, test_forms_on_demand, fixture_tear_down);
  g_test_add ("/kiosk/context/catalog-read-in-worker", Fixture, NULL, fixture_set_up, test_read_in_worker,
              fixture_tear_down);
  g_test_add ("/kiosk/context/catalog-read-in-worker/changed", Fixture, NULL, fixture_set_up,
              test_read_in_worker_changed, fixture_tear_down);
  g_test_add ("/kiosk/context/forms-threads", Fixture, NULL, fixture_set_up, test_forms_threads, fixture_tear_down);
  g_test_add ("/kiosk/context/forms-damaged/longer", Fixture, GINT_TO_POINTER (DAMAGE_LONGER),
              fixture_set_up, test_forms_damaged, fixture_tear_down);
  g_test_add ("/kiosk/context/forms-damaged/other-id", Fixture, GINT_TO_POINTER (DAMAGE_OTHER_ID),
              fixture_set_up, test_forms_damaged, fixture_tear_down);
  g_test_add ("/kiosk/context/forms-damaged/not-json", Fixture, GINT_TO_POINTER (DAMAGE_NOT_JSON),
              fixture_set_up, test_forms_damaged, fixture_tear_down);
  g_test_add ("/kiosk/context/forms-damaged/row-gone", Fixture, GINT_TO_POINTER (DAMAGE_ROW_GONE),
              fixture_set_up, test_forms_damaged, fixture_tear_down);
  g_test_add ("/kiosk/context/search-file/kept", Fixture, GINT_TO_POINTER (SEARCH_FILE_KEPT),
              fixture_set_up, test_search_file, fixture_tear_down);
  g_test_add ("/kiosk/context/search-file/cut-short", Fixture, GINT_TO_POINTER (SEARCH_FILE_CUT_SHORT),
              fixture_set_up, test_search_file, fixture_tear_down);
  g_test_add ("/kiosk/context/search-file/byte-changed", Fixture, GINT_TO_POINTER (SEARCH_FILE_BYTE_CHANGED),
              fixture_set_up, test_search_file, fixture_tear_down);
  g_test_add ("/kiosk/context/search-file/of-another-catalogue", Fixture, GINT_TO_POINTER (SEARCH_FILE_OF_ANOTHER),
              fixture_set_up, test_search_file, fixture_tear_down);
  g_test_add ("/kiosk/context/search-file/write-cut-off", Fixture, GINT_TO_POINTER (SEARCH_FILE_WRITE_CUT_OFF),
              fixture_set_up, test_search_file, fixture_tear_down);
  g_test_add ("/kiosk/context/search-file/unwritable", Fixture, GINT_TO_POINTER (SEARCH_FILE_UNWRITABLE),
              fixture_set_up, test_search_file, fixture_tear_down);
  return g_test_run ();
}

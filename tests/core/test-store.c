/* test-store.c
 *
 * SPDX-FileCopyrightText: 2026 Stadtkiosk contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "kiosk-outbox.h"
#include "kiosk-store-private.h"

typedef struct
{
  char *dir;
  char *path;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  f->dir = g_dir_make_tmp ("kiosk-store-XXXXXX", NULL);
  f->path = g_build_filename (f->dir, "stadtkiosk.db", NULL);
}

static void
remove_tree (const char *dir)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;

  while (d != NULL && (name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *p = g_build_filename (dir, name, NULL);
      g_unlink (p);
    }
  g_rmdir (dir);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  remove_tree (f->dir);
  g_free (f->dir);
  g_free (f->path);
}

static gint64
query_int (KioskStore *store,
           const char *sql)
{
  g_autoptr(sqlite3_stmt) stmt = _kiosk_store_prepare (store, sql, NULL);

  g_assert_nonnull (stmt);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  return sqlite3_column_int64 (stmt, 0);
}

static char *
query_text (KioskStore *store,
            const char *sql)
{
  g_autoptr(sqlite3_stmt) stmt = _kiosk_store_prepare (store, sql, NULL);

  g_assert_nonnull (stmt);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  return g_strdup ((const char *) sqlite3_column_text (stmt, 0));
}

static void
test_open_pragmas (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KioskStore) store = kiosk_store_open (f->path, &error);
  g_autofree char *mode = NULL;

  g_assert_no_error (error);
  g_assert_cmpuint (kiosk_store_get_schema_version (store), ==, kiosk_store_get_latest_version ());
  mode = query_text (store, "PRAGMA journal_mode");
  g_assert_cmpstr (mode, ==, "wal");
  g_assert_cmpint (query_int (store, "PRAGMA synchronous"), ==, 2); /* FULL */
  g_assert_cmpint (query_int (store, "PRAGMA foreign_keys"), ==, 1);
  g_assert_cmpint (query_int (store, "PRAGMA busy_timeout"), >=, 1000);
  g_assert_cmpint (kiosk_store_get_size (store), >, 0);
  g_assert_finalize_object (g_steal_pointer (&store));
}

static void
test_settings (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KioskStore) store = kiosk_store_open (f->path, &error);
  g_autofree char *value = NULL;
  g_autofree char *changed = NULL;
  g_autofree char *gone = NULL;

  g_assert_no_error (error);
  g_assert_null (kiosk_store_get_setting (store, "k"));
  g_assert_true (kiosk_store_set_setting (store, "k", "one", &error));
  value = kiosk_store_get_setting (store, "k");
  g_assert_cmpstr (value, ==, "one");
  g_assert_true (kiosk_store_set_setting (store, "k", "two", &error));
  changed = kiosk_store_get_setting (store, "k");
  g_assert_cmpstr (changed, ==, "two");
  g_assert_true (kiosk_store_set_setting (store, "k", NULL, &error));
  gone = kiosk_store_get_setting (store, "k");
  g_assert_null (gone);
}

/* Rows written at every earlier schema version survive the migration to the
 * latest one. */
static void
test_migrations (Fixture       *f,
                 gconstpointer  data)
{
  for (guint from = 0; from < kiosk_store_get_latest_version (); from++)
    {
      g_autofree char *path = g_strdup_printf ("%s.v%u", f->path, from);
      g_autoptr(GError) error = NULL;
      g_autoptr(KioskStore) old = _kiosk_store_open_full (path, KIOSK_STORE_SYNC_FULL, from, &error);
      g_autoptr(KioskStore) store = NULL;
      g_autofree char *format = NULL;

      g_assert_no_error (error);
      g_assert_cmpuint (kiosk_store_get_schema_version (old), ==, from);
      if (from >= 1)
        {
          g_assert_true (_kiosk_store_exec (old,
                                            "INSERT INTO requests (id, short_code, service_id, service_version, "
                                            "  locale, created_us, updated_us, answers, state) "
                                            "VALUES ('8d3c1a64-2a9f-4c39-9a55-1f0d5e1b7a10', 'HSK-0000-0000', "
                                            "  'bulky-waste', 3, 'de', 1, 1, '{\"a\":1}', 'queued');"
                                            "INSERT INTO request_events (request_id, at_us, to_state, actor) "
                                            "VALUES ('8d3c1a64-2a9f-4c39-9a55-1f0d5e1b7a10', 1, 'queued', 'test');",
                                            &error));
          g_assert_no_error (error);
        }
      g_clear_object (&old);

      store = kiosk_store_open (path, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (kiosk_store_get_schema_version (store), ==, kiosk_store_get_latest_version ());
      if (from >= 1)
        {
          g_assert_cmpint (query_int (store, "SELECT count(*) FROM requests"), ==, 1);
          g_assert_cmpint (query_int (store, "SELECT service_version FROM requests"), ==, 3);
          format = query_text (store, "SELECT answers_format FROM requests");
          g_assert_cmpstr (format, ==, "json");
          g_assert_cmpint (query_int (store, "SELECT count(*) FROM request_events"), ==, 1);
          /* schema 6 moved the creation line into the row */
          if (from < 6)
            {
              g_autofree char *created_by = query_text (store, "SELECT created_by FROM requests");

              g_assert_cmpstr (created_by, ==, "test");
              g_assert_cmpint (query_int (store, "SELECT stored_us FROM requests"), ==, 1);
            }
        }
      g_assert_cmpint (query_int (store, "SELECT count(*) FROM audit_log"), ==, 0);
    }
}

/* Migration 11: the claim takes the oldest of requests due at the same
 * time straight from the requests_due index, without sorting the queue. */
static void
test_migration_claim_order (Fixture       *f,
                            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KioskStore) old = _kiosk_store_open_full (f->path, KIOSK_STORE_SYNC_FULL, 10, &error);
  g_autoptr(KioskStore) store = NULL;
  g_autoptr(sqlite3_stmt) plan = NULL;
  int rc;

  g_assert_no_error (error);
  g_assert_true (_kiosk_store_exec (old,
                                    "INSERT INTO requests (id, short_code, service_id, service_version, "
                                    "  locale, created_us, updated_us, answers, state, next_attempt_us) VALUES "
                                    "('8d3c1a64-2a9f-4c39-9a55-1f0d5e1b7a13', 'HSK-0000-0003', 's', 1, 'de', 3, 3, '{}', 'queued', 5),"
                                    "('8d3c1a64-2a9f-4c39-9a55-1f0d5e1b7a11', 'HSK-0000-0001', 's', 1, 'de', 1, 1, '{}', 'queued', 5),"
                                    "('8d3c1a64-2a9f-4c39-9a55-1f0d5e1b7a12', 'HSK-0000-0002', 's', 1, 'de', 2, 2, '{}', 'queued', 5);",
                                    &error));
  g_assert_no_error (error);
  g_clear_object (&old);

  store = kiosk_store_open (f->path, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (kiosk_store_get_schema_version (store), >=, 11);
  g_assert_cmpint (query_int (store, "SELECT count(*) FROM pragma_index_info ('requests_due')"), ==, 3);
  g_assert_cmpint (query_int (store, "SELECT count(*) FROM requests"), ==, 3);

  plan = _kiosk_store_prepare (store,
                               "EXPLAIN QUERY PLAN SELECT id FROM requests WHERE state = 'queued' "
                               "AND next_attempt_us <= 10 ORDER BY next_attempt_us, created_us LIMIT 64",
                               &error);
  g_assert_no_error (error);
  while ((rc = sqlite3_step (plan)) == SQLITE_ROW)
    {
      const char *detail = (const char *) sqlite3_column_text (plan, 3);

      g_assert_null (strstr (detail, "TEMP B-TREE"));
    }
  g_assert_cmpint (rc, ==, SQLITE_DONE);
  g_assert_cmpint (query_int (store, "SELECT created_us FROM requests WHERE state = 'queued' "
                                     "AND next_attempt_us <= 10 ORDER BY next_attempt_us, created_us LIMIT 1"), ==, 1);
}

static void
test_event_log_append_only (Fixture       *f,
                            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KioskStore) store = kiosk_store_open (f->path, &error);

  g_assert_true (_kiosk_store_exec (store,
                                    "INSERT INTO requests (id, short_code, service_id, service_version, "
                                    "  locale, created_us, updated_us, answers, state) "
                                    "VALUES ('8d3c1a64-2a9f-4c39-9a55-1f0d5e1b7a10', 'HSK-0000-0000', 's', 1, "
                                    "  'de', 1, 1, '{}', 'queued');"
                                    "INSERT INTO request_events (request_id, at_us, to_state, actor) "
                                    "VALUES ('8d3c1a64-2a9f-4c39-9a55-1f0d5e1b7a10', 1, 'queued', 'test');",
                                    &error));
  g_assert_false (_kiosk_store_exec (store, "UPDATE request_events SET actor = 'someone else'", &error));
  g_assert_nonnull (strstr (error->message, "append-only"));
  g_clear_error (&error);
  g_assert_false (_kiosk_store_exec (store, "DELETE FROM request_events", &error));
  g_assert_nonnull (strstr (error->message, "append-only"));
  g_clear_error (&error);

  /* A request's creation, the first line of its history, is kept in its row
   * and cannot be changed either; its state can. */
  g_assert_false (_kiosk_store_exec (store, "UPDATE requests SET created_us = 2", &error));
  g_assert_nonnull (strstr (error->message, "creation is not changed"));
  g_clear_error (&error);
  g_assert_false (_kiosk_store_exec (store, "UPDATE requests SET created_by = 'someone else'", &error));
  g_clear_error (&error);
  g_assert_true (_kiosk_store_exec (store, "UPDATE requests SET state = 'sending'", &error));
  g_assert_no_error (error);
}

static GBytes *
read_bytes (const char *path)
{
  char *contents = NULL;
  gsize len = 0;

  g_assert_true (g_file_get_contents (path, &contents, &len, NULL));
  return g_bytes_new_take (contents, len);
}

/* A file that is not a database at all is refused and left untouched. */
static void
test_not_a_database (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KioskStore) store = NULL;
  g_autoptr(GBytes) before = NULL;
  g_autoptr(GBytes) after = NULL;

  g_assert_true (g_file_set_contents (f->path, "this is a shopping list, not a database\n", -1, NULL));
  before = read_bytes (f->path);

  store = kiosk_store_open (f->path, &error);
  g_assert_null (store);
  g_assert_error (error, KIOSK_STORE_ERROR, KIOSK_STORE_ERROR_DAMAGED);
  g_assert_nonnull (strstr (error->message, f->path));
  g_assert_nonnull (strstr (error->message, "stadtkioskctl store set-aside"));

  after = read_bytes (f->path);
  g_assert_true (g_bytes_equal (before, after));
}

/* A database with damaged pages is refused, kept as it is, and can be set
 * aside so that a new one starts. */
static void
test_damaged_pages (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KioskStore) store = kiosk_store_open (f->path, &error);
  g_autoptr(KioskClock) clock = kiosk_clock_new_fake (G_USEC_PER_SEC);
  g_autoptr(KioskOutbox) outbox = kiosk_outbox_new (store, clock, "HSK", &error);
  g_autoptr(GBytes) answers = g_bytes_new_static ("{\"text\":\"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\"}", 49);
  g_autoptr(GBytes) before = NULL;
  g_autoptr(GBytes) after = NULL;
  g_autofree char *aside = NULL;
  g_autofree char *data_copy = NULL;
  gsize len;
  KioskRequestDraft draft = { .service_id = "s", .service_version = 1, .locale = "de", .answers = answers };

  g_assert_no_error (error);
  for (guint i = 0; i < 300; i++)
    {
      g_autoptr(KioskRequest) r = kiosk_outbox_enqueue (outbox, &draft, "test", &error);
      g_assert_no_error (error);
      g_assert_nonnull (r);
    }
  g_assert_true (_kiosk_store_exec (store, "PRAGMA wal_checkpoint(TRUNCATE)", &error));
  g_clear_object (&outbox);
  g_assert_finalize_object (g_steal_pointer (&store));

  /* Scribble over the pages after the first two (the header stays readable). */
  g_assert_true (g_file_get_contents (f->path, &data_copy, &len, NULL));
  g_assert_cmpuint (len, >, 8 * 4096);
  for (gsize i = 2 * 4096 + 100; i < len - 4096; i += 97)
    data_copy[i] ^= 0x5a;
  g_assert_true (g_file_set_contents (f->path, data_copy, len, NULL));
  before = read_bytes (f->path);

  store = kiosk_store_open (f->path, &error);
  g_assert_null (store);
  g_assert_error (error, KIOSK_STORE_ERROR, KIOSK_STORE_ERROR_DAMAGED);
  g_clear_error (&error);
  after = read_bytes (f->path);
  g_assert_true (g_bytes_equal (before, after));

  g_assert_true (kiosk_store_set_aside_damaged (f->path, &aside, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_test (aside, G_FILE_TEST_EXISTS));
  g_assert_false (g_file_test (f->path, G_FILE_TEST_EXISTS));
  g_clear_pointer (&after, g_bytes_unref);
  after = read_bytes (aside);
  g_assert_true (g_bytes_equal (before, after));

  store = kiosk_store_open (f->path, &error);
  g_assert_no_error (error);
  g_assert_nonnull (store);
}

/* Fills a database with 300 requests and scribbles over its pages after
 * the first two: header and schema stay readable, the data is damaged. */
static void
write_damaged_database (const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KioskStore) store = kiosk_store_open (path, &error);
  g_autoptr(KioskClock) clock = kiosk_clock_new_fake (G_USEC_PER_SEC);
  g_autoptr(KioskOutbox) outbox = kiosk_outbox_new (store, clock, "HSK", &error);
  g_autoptr(GBytes) answers = g_bytes_new_static ("{\"text\":\"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\"}", 49);
  g_autofree char *data_copy = NULL;
  gsize len;
  KioskRequestDraft draft = { .service_id = "s", .service_version = 1, .locale = "de", .answers = answers };

  g_assert_no_error (error);
  for (guint i = 0; i < 300; i++)
    {
      g_autoptr(KioskRequest) r = kiosk_outbox_enqueue (outbox, &draft, "test", &error);
      g_assert_no_error (error);
      g_assert_nonnull (r);
    }
  g_assert_true (_kiosk_store_exec (store, "PRAGMA wal_checkpoint(TRUNCATE)", &error));
  g_clear_object (&outbox);
  g_assert_finalize_object (g_steal_pointer (&store));

  g_assert_true (g_file_get_contents (path, &data_copy, &len, NULL));
  g_assert_cmpuint (len, >, 8 * 4096);
  for (gsize i = 2 * 4096 + 100; i < len - 4096; i += 97)
    data_copy[i] ^= 0x5a;
  g_assert_true (g_file_set_contents (path, data_copy, len, NULL));
}

static void
checked_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  GError **error = user_data;

  if (kiosk_store_check_integrity_finish (KIOSK_STORE (object), result, error))
    *error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_EXISTS, "whole");   /* marks "done, whole" */
}

/* Runs the deferred check to its end; %NULL error means it did not end. */
static GError *
check_in_thread (KioskStore *store)
{
  GError *error = NULL;

  kiosk_store_check_integrity_async (store, NULL, checked_cb, &error);
  while (error == NULL)
    g_main_context_iteration (NULL, TRUE);
  return error;
}

/* The kiosk's start does not grow with the data (#18): with the check
 * deferred, a database damaged beyond its schema opens, and the full check
 * in a worker thread finds the damage and names the file; from then on the
 * store refuses writes, and the file is left as it was.  The control: the
 * full check at open (kiosk_store_open) refuses the same file, so the
 * damage is one only the full check sees. */
static void
test_deferred_check_damaged (Fixture       *f,
                             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KioskStore) store = NULL;
  g_autoptr(KioskClock) clock = kiosk_clock_new_fake (G_USEC_PER_SEC);
  g_autoptr(KioskOutbox) outbox = NULL;
  g_autoptr(KioskRequest) request = NULL;
  g_autoptr(GBytes) before = NULL;
  g_autoptr(GBytes) after = NULL;
  g_autoptr(GBytes) answers = g_bytes_new_static ("{}", 2);
  KioskRequestDraft draft = { .service_id = "s", .service_version = 1, .locale = "de", .answers = answers };

  write_damaged_database (f->path);
  before = read_bytes (f->path);

  store = kiosk_store_open (f->path, &error);
  g_assert_null (store);
  g_assert_error (error, KIOSK_STORE_ERROR, KIOSK_STORE_ERROR_DAMAGED);
  g_clear_error (&error);

  store = kiosk_store_open_with_flags (f->path, KIOSK_STORE_OPEN_DEFER_CHECK, &error);
  g_assert_no_error (error);
  g_assert_nonnull (store);
  g_assert_null (kiosk_store_get_damage (store));

  error = check_in_thread (store);
  g_assert_error (error, KIOSK_STORE_ERROR, KIOSK_STORE_ERROR_DAMAGED);
  g_assert_nonnull (strstr (error->message, f->path));
  g_assert_nonnull (strstr (error->message, "stadtkioskctl store set-aside"));
  g_assert_cmpstr (kiosk_store_get_damage (store), ==, error->message);
  g_clear_error (&error);

  /* No more writes: a new request is refused with the same message. */
  outbox = kiosk_outbox_new (store, clock, "HSK", &error);
  g_assert_no_error (error);
  request = kiosk_outbox_enqueue (outbox, &draft, "test", &error);
  g_assert_null (request);
  g_assert_error (error, KIOSK_STORE_ERROR, KIOSK_STORE_ERROR_DAMAGED);
  g_clear_object (&outbox);
  g_clear_object (&store);

  after = read_bytes (f->path);
  g_assert_true (g_bytes_equal (before, after));
}

/* The negative control: a whole database passes the deferred check and
 * takes writes after it. */
static void
test_deferred_check_whole (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KioskStore) store = kiosk_store_open (f->path, &error);
  g_autoptr(KioskClock) clock = kiosk_clock_new_fake (G_USEC_PER_SEC);
  g_autoptr(KioskOutbox) outbox = NULL;
  g_autoptr(KioskRequest) request = NULL;
  g_autoptr(GBytes) answers = g_bytes_new_static ("{}", 2);
  KioskRequestDraft draft = { .service_id = "s", .service_version = 1, .locale = "de", .answers = answers };

  g_assert_no_error (error);
  g_clear_object (&store);
  store = kiosk_store_open_with_flags (f->path, KIOSK_STORE_OPEN_DEFER_CHECK, &error);
  g_assert_no_error (error);

  error = check_in_thread (store);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_EXISTS);   /* "whole" */
  g_clear_error (&error);
  g_assert_null (kiosk_store_get_damage (store));

  outbox = kiosk_outbox_new (store, clock, "HSK", &error);
  g_assert_no_error (error);
  request = kiosk_outbox_enqueue (outbox, &draft, "test", &error);
  g_assert_no_error (error);
  g_assert_nonnull (request);
}

/* A write that comes before the deferred check has answered never reaches
 * the file (#18): before the check has started, the write runs it; while
 * it runs in its worker thread, the write waits for it.  Either way a
 * damaged database refuses the write and stays as it was, and a whole one
 * takes it.  @data: whether the check is already running. */
static void
test_deferred_check_write_first (Fixture       *f,
                                 gconstpointer  data)
{
  gboolean running = GPOINTER_TO_INT (data);
  g_autoptr(GError) error = NULL;
  g_autoptr(KioskStore) store = NULL;
  g_autoptr(KioskClock) clock = kiosk_clock_new_fake (G_USEC_PER_SEC);
  g_autoptr(KioskOutbox) outbox = NULL;
  g_autoptr(KioskRequest) request = NULL;
  g_autoptr(GBytes) before = NULL;
  g_autoptr(GBytes) after = NULL;
  g_autoptr(GBytes) answers = g_bytes_new_static ("{}", 2);
  g_autofree char *whole_path = g_strconcat (f->path, "-whole.db", NULL);
  KioskRequestDraft draft = { .service_id = "s", .service_version = 1, .locale = "de", .answers = answers };
  GError *checked = NULL;

  write_damaged_database (f->path);
  before = read_bytes (f->path);
  store = kiosk_store_open_with_flags (f->path, KIOSK_STORE_OPEN_DEFER_CHECK, &error);
  g_assert_no_error (error);
  outbox = kiosk_outbox_new (store, clock, "HSK", &error);
  g_assert_no_error (error);

  if (running)
    kiosk_store_check_integrity_async (store, NULL, checked_cb, &checked);
  request = kiosk_outbox_enqueue (outbox, &draft, "test", &error);
  g_assert_null (request);
  g_assert_error (error, KIOSK_STORE_ERROR, KIOSK_STORE_ERROR_DAMAGED);
  g_assert_nonnull (strstr (error->message, f->path));
  g_assert_cmpstr (kiosk_store_get_damage (store), ==, error->message);
  g_clear_error (&error);
  g_assert_false (kiosk_store_set_setting (store, "k", "v", &error));
  g_assert_error (error, KIOSK_STORE_ERROR, KIOSK_STORE_ERROR_DAMAGED);
  g_clear_error (&error);

  /* The check itself still says so, to the application. */
  if (running)
    while (checked == NULL)
      g_main_context_iteration (NULL, TRUE);
  else
    checked = check_in_thread (store);
  g_assert_error (checked, KIOSK_STORE_ERROR, KIOSK_STORE_ERROR_DAMAGED);
  g_clear_error (&checked);
  g_clear_object (&outbox);
  g_clear_object (&store);
  after = read_bytes (f->path);
  g_assert_true (g_bytes_equal (before, after));

  /* The control: a whole database takes the same write at once. */
  store = kiosk_store_open (whole_path, &error);
  g_assert_no_error (error);
  g_clear_object (&store);
  store = kiosk_store_open_with_flags (whole_path, KIOSK_STORE_OPEN_DEFER_CHECK, &error);
  g_assert_no_error (error);
  outbox = kiosk_outbox_new (store, clock, "HSK", &error);
  g_assert_no_error (error);
  if (running)
    kiosk_store_check_integrity_async (store, NULL, checked_cb, &checked);
  request = kiosk_outbox_enqueue (outbox, &draft, "test", &error);
  g_assert_no_error (error);
  g_assert_nonnull (request);
  if (running)
    while (checked == NULL)
      g_main_context_iteration (NULL, TRUE);
  else
    checked = check_in_thread (store);
  g_assert_error (checked, G_IO_ERROR, G_IO_ERROR_EXISTS);   /* "whole" */
  g_clear_error (&checked);
  g_clear_object (&outbox);
  g_clear_object (&store);
  g_unlink (whole_path);
}

/* What the bounded part sees at once: a file that is not a database is
 * refused at open, deferred or not, and left untouched. */
static void
test_deferred_check_not_a_database (Fixture       *f,
                                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KioskStore) store = NULL;
  g_autoptr(GBytes) before = NULL;
  g_autoptr(GBytes) after = NULL;

  g_assert_true (g_file_set_contents (f->path, "this is a shopping list, not a database\n", -1, NULL));
  before = read_bytes (f->path);
  store = kiosk_store_open_with_flags (f->path, KIOSK_STORE_OPEN_DEFER_CHECK, &error);
  g_assert_null (store);
  g_assert_error (error, KIOSK_STORE_ERROR, KIOSK_STORE_ERROR_DAMAGED);
  g_assert_nonnull (strstr (error->message, f->path));
  after = read_bytes (f->path);
  g_assert_true (g_bytes_equal (before, after));
}

static void
test_too_new (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KioskStore) store = kiosk_store_open (f->path, &error);

  g_assert_true (_kiosk_store_exec (store, "PRAGMA user_version = 999", &error));
  g_clear_object (&store);
  store = kiosk_store_open (f->path, &error);
  g_assert_null (store);
  g_assert_error (error, KIOSK_STORE_ERROR, KIOSK_STORE_ERROR_TOO_NEW);
  g_assert_nonnull (strstr (error->message, "newer version"));
}

/* A full disk (simulated by max_page_count) gives a typed error, writes
 * nothing half, and leaves the database intact and usable. */
static void
test_disk_full (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KioskStore) store = kiosk_store_open (f->path, &error);
  g_autoptr(KioskClock) clock = kiosk_clock_new_fake (G_USEC_PER_SEC);
  g_autoptr(KioskOutbox) outbox = kiosk_outbox_new (store, clock, "HSK", &error);
  g_autofree char *big = g_strnfill (2000, 'x');
  g_autofree char *json = g_strdup_printf ("{\"text\":\"%s\"}", big);
  g_autoptr(GBytes) answers = g_bytes_new (json, strlen (json));
  KioskRequestDraft draft = { .service_id = "s", .service_version = 1, .locale = "de", .answers = answers };
  guint stored = 0;
  gint64 pages;
  g_autofree char *limit = NULL;
  g_autofree char *check = NULL;

  g_assert_no_error (error);
  pages = query_int (store, "PRAGMA page_count");
  limit = g_strdup_printf ("PRAGMA max_page_count = %" G_GINT64_FORMAT, pages + 20);
  g_assert_true (_kiosk_store_exec (store, limit, &error));

  for (guint i = 0; i < 1000; i++)
    {
      g_autoptr(KioskRequest) r = kiosk_outbox_enqueue (outbox, &draft, "test", &error);

      if (r == NULL)
        break;
      stored++;
    }
  g_assert_error (error, KIOSK_STORE_ERROR, KIOSK_STORE_ERROR_FULL);
  g_assert_nonnull (strstr (error->message, "disk is full"));
  g_assert_cmpuint (stored, >, 0);
  g_assert_cmpuint (stored, <, 1000);
  g_clear_error (&error);

  g_assert_cmpint (query_int (store, "SELECT count(*) FROM requests"), ==, stored);
  /* each with its creation record whole (the row is its first history line) */
  g_assert_cmpint (query_int (store, "SELECT count(*) FROM requests WHERE created_by = 'test' AND stored_us > 0"),
                   ==, stored);
  check = query_text (store, "PRAGMA integrity_check");
  g_assert_cmpstr (check, ==, "ok");
}

/* BEGIN and COMMIT are compiled once and kept (#18).  Another process
 * holding the write lock past the busy timeout gets the store's BUSY error
 * naming the file, and the same kept statements work once it lets go. */
static void
test_transaction_busy (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KioskStore) store = kiosk_store_open (f->path, &error);
  sqlite3 *other = NULL;

  g_assert_no_error (error);
  g_assert_true (_kiosk_store_begin (store, &error));
  g_assert_true (_kiosk_store_exec (store, "INSERT INTO settings (key, value) VALUES ('a', '1')", &error));
  g_assert_true (_kiosk_store_commit (store, &error));
  g_assert_no_error (error);

  /* Another connection, as `stadtkioskctl` would be, takes the write lock. */
  g_assert_cmpint (sqlite3_open (f->path, &other), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (other, "BEGIN IMMEDIATE", NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_busy_timeout (_kiosk_store_get_db (store), 50);

  g_assert_false (_kiosk_store_begin (store, &error));
  g_assert_error (error, KIOSK_STORE_ERROR, KIOSK_STORE_ERROR_BUSY);
  g_assert_nonnull (strstr (error->message, f->path));
  g_assert_nonnull (strstr (error->message, "cannot begin a transaction"));
  g_clear_error (&error);
  g_assert_true (sqlite3_get_autocommit (_kiosk_store_get_db (store)));

  /* It lets go: the kept BEGIN works again, and so does COMMIT. */
  g_assert_cmpint (sqlite3_exec (other, "COMMIT", NULL, NULL, NULL), ==, SQLITE_OK);
  g_assert_true (_kiosk_store_begin (store, &error));
  g_assert_no_error (error);
  g_assert_true (_kiosk_store_exec (store, "INSERT INTO settings (key, value) VALUES ('b', '2')", &error));
  g_assert_true (_kiosk_store_commit (store, &error));
  g_assert_no_error (error);
  g_assert_cmpint (query_int (store, "SELECT count(*) FROM settings WHERE key IN ('a', 'b')"), ==, 2);

  /* A COMMIT that fails (a deferred foreign key still broken) rolls the
   * transaction back: nothing of it stays, and the store is out of it. */
  g_assert_true (_kiosk_store_exec (store, "PRAGMA defer_foreign_keys = ON", &error));
  g_assert_true (_kiosk_store_begin (store, &error));
  g_assert_true (_kiosk_store_exec (store, "INSERT INTO settings (key, value) VALUES ('c', '3')", &error));
  g_assert_true (_kiosk_store_exec (store,
                                    "INSERT INTO request_events (request_id, at_us, to_state, actor) "
                                    "VALUES ('no-such-request', 1, 'queued', 'test')", &error));
  g_assert_false (_kiosk_store_commit (store, &error));
  g_assert_error (error, KIOSK_STORE_ERROR, KIOSK_STORE_ERROR_FAILED);
  g_assert_nonnull (strstr (error->message, "cannot commit"));
  g_clear_error (&error);
  g_assert_true (sqlite3_get_autocommit (_kiosk_store_get_db (store)));
  g_assert_cmpint (query_int (store, "SELECT count(*) FROM settings WHERE key = 'c'"), ==, 0);
  g_assert_true (_kiosk_store_begin (store, &error));
  g_assert_true (_kiosk_store_commit (store, &error));
  g_assert_no_error (error);

  sqlite3_close (other);
  g_assert_finalize_object (g_steal_pointer (&store));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/kiosk/store/open-pragmas", test_open_pragmas);
  ADD ("/kiosk/store/deferred-check/damaged", test_deferred_check_damaged);
  ADD ("/kiosk/store/deferred-check/whole", test_deferred_check_whole);
  ADD ("/kiosk/store/deferred-check/not-a-database", test_deferred_check_not_a_database);
  g_test_add ("/kiosk/store/deferred-check/write-before-it", Fixture, GINT_TO_POINTER (FALSE),
              fixture_set_up, test_deferred_check_write_first, fixture_tear_down);
  g_test_add ("/kiosk/store/deferred-check/write-while-it-runs", Fixture, GINT_TO_POINTER (TRUE),
              fixture_set_up, test_deferred_check_write_first, fixture_tear_down);
  ADD ("/kiosk/store/settings", test_settings);
  ADD ("/kiosk/store/transaction-busy", test_transaction_busy);
  ADD ("/kiosk/store/migrations", test_migrations);
  ADD ("/kiosk/store/migration-claim-order", test_migration_claim_order);
  ADD ("/kiosk/store/event-log-append-only", test_event_log_append_only);
  ADD ("/kiosk/store/not-a-database", test_not_a_database);
  ADD ("/kiosk/store/damaged-pages", test_damaged_pages);
  ADD ("/kiosk/store/too-new", test_too_new);
  ADD ("/kiosk/store/disk-full", test_disk_full);
#undef ADD

  return g_test_run ();
}

/* bench-enqueue.c: durable enqueue against a bare SQLite insert
 *
 * Enqueues 2,000 requests of about 1 KB through KioskOutbox and, in the same
 * run and on the same disk, inserts 2,000 rows of the same size with bare
 * SQLite under the same PRAGMAs (WAL, synchronous=FULL, BEGIN IMMEDIATE, one
 * transaction per row).  A second baseline writes what the outbox writes (the
 * request row, which is also the record of its creation, into the outbox's
 * own schema with its indexes) with raw SQL: the difference between the two
 * baselines is the price of the schema, the rest is the price of our code.  The three
 * alternate in blocks of 100 so that a noisy neighbour hurts all alike.
 * Prints median and p99 latency of each and the ratios of the medians
 * (target: at most 1.3 against the bare insert).
 *
 *   bench-enqueue [DIR [PREFILL]]
 *
 * With PREFILL (e.g. 100000), each of the three databases holds that many
 * rows of the same size before the measured inserts: enqueue at city
 * scale, against a bare insert into a table of the same size.
 *
 * SPDX-FileCopyrightText: 2026 Stadtkiosk contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

#include "kiosk-outbox.h"

#define N_REQUESTS 2000
#define BLOCK 100

static int
compare_gint64 (gconstpointer a,
                gconstpointer b)
{
  gint64 x = *(const gint64 *) a, y = *(const gint64 *) b;
  return x < y ? -1 : x > y;
}

static double
percentile_ms (GArray *samples,
               double  p)
{
  guint index;

  g_array_sort (samples, compare_gint64);
  index = (guint) (p * (samples->len - 1) + 0.5);
  return g_array_index (samples, gint64, index) / 1000.0;
}

static void
check (int         rc,
       sqlite3    *db,
       const char *what)
{
  if (rc != SQLITE_OK && rc != SQLITE_DONE)
    g_error ("%s: %s", what, sqlite3_errmsg (db));
}

#define REQUEST_INSERT "INSERT INTO requests (id, short_code, service_id, service_version, locale, " \
                       "created_us, updated_us, answers, state, next_attempt_us, created_by, stored_us) " \
                       "VALUES (?1, ?2, 'report-problem', 1, 'de', ?3, ?3, ?4, 'delivered', ?3, 'bench', ?3)"

/* @n rows in one transaction, before anything is measured. */
static void
prefill (const char *path,
         const char *sql,
         gboolean    request,
         guint       n,
         const char *json)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;

  check (sqlite3_open (path, &db), db, "open");
  check (sqlite3_exec (db, "PRAGMA journal_mode = WAL; BEGIN", NULL, NULL, NULL), db, "begin");
  check (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), db, "prepare");
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *id = g_uuid_string_random ();
      g_autofree char *code = g_strdup_printf ("OLD-%04u-%04u", i / 10000, i % 10000);

      sqlite3_reset (stmt);
      sqlite3_bind_text (stmt, 1, id, -1, SQLITE_TRANSIENT);
      if (request)
        {
          sqlite3_bind_text (stmt, 2, code, -1, SQLITE_TRANSIENT);
          sqlite3_bind_int64 (stmt, 3, g_get_real_time () - 1000000000 + i);
          sqlite3_bind_blob (stmt, 4, json, (int) strlen (json), SQLITE_STATIC);
        }
      else
        {
          sqlite3_bind_int64 (stmt, 2, g_get_real_time ());
          sqlite3_bind_blob (stmt, 3, json, (int) strlen (json), SQLITE_STATIC);
        }
      check (sqlite3_step (stmt), db, "prefill");
    }
  sqlite3_finalize (stmt);
  check (sqlite3_exec (db, "COMMIT; PRAGMA wal_checkpoint(TRUNCATE)", NULL, NULL, NULL), db, "commit");
  sqlite3_close (db);
}

int
main (int   argc,
      char *argv[])
{
  guint n_prefill = argc > 2 ? (guint) atoi (argv[2]) : 0;
  const char *base = argc > 1 ? argv[1] : g_get_tmp_dir ();
  g_autofree char *dir = g_build_filename (base, "kiosk-bench-enqueue-XXXXXX", NULL);
  g_autofree char *outbox_db = NULL;
  g_autofree char *bare_db = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(KioskStore) store = NULL;
  g_autoptr(KioskClock) clock = kiosk_clock_new_system ();
  g_autoptr(KioskOutbox) outbox = NULL;
  g_autofree char *filler = g_strnfill (1000, 'x');
  g_autofree char *json = g_strdup_printf ("{\"description\":\"%s\"}", filler);
  g_autoptr(GBytes) answers = g_bytes_new (json, strlen (json));
  g_autoptr(GArray) outbox_us = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GArray) bare_us = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GArray) schema_us = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autofree char *schema_db = NULL;
  g_autoptr(KioskStore) schema_store = NULL;
  sqlite3 *db = NULL;
  sqlite3 *sdb = NULL;
  sqlite3_stmt *insert = NULL;
  sqlite3_stmt *insert_request = NULL;
  double outbox_median, bare_median, schema_median;

  if (g_mkdtemp (dir) == NULL)
    g_error ("cannot create %s", dir);
  outbox_db = g_build_filename (dir, "outbox.db", NULL);
  bare_db = g_build_filename (dir, "bare.db", NULL);
  schema_db = g_build_filename (dir, "schema.db", NULL);

  /* The outbox's schema, written by a KioskStore, then used with raw SQL. */
  schema_store = kiosk_store_open (schema_db, &error);
  if (schema_store == NULL)
    g_error ("%s", error->message);
  g_clear_object (&schema_store);
  if (n_prefill > 0)
    {
      g_autoptr(KioskStore) made = kiosk_store_open (outbox_db, &error);
      sqlite3 *bdb = NULL;

      if (made == NULL)
        g_error ("%s", error->message);
      g_clear_object (&made);
      check (sqlite3_open (bare_db, &bdb), bdb, "open");
      check (sqlite3_exec (bdb, "CREATE TABLE t (id TEXT PRIMARY KEY, created INTEGER, answers BLOB)",
                           NULL, NULL, NULL), bdb, "schema");
      sqlite3_close (bdb);
      prefill (schema_db, REQUEST_INSERT, TRUE, n_prefill, json);
      prefill (outbox_db, REQUEST_INSERT, TRUE, n_prefill, json);
      prefill (bare_db, "INSERT INTO t VALUES (?, ?, ?)", FALSE, n_prefill, json);
    }
  check (sqlite3_open (schema_db, &sdb), sdb, "open");
  check (sqlite3_exec (sdb, "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON;",
                       NULL, NULL, NULL), sdb, "pragmas");
  check (sqlite3_prepare_v2 (sdb, "INSERT INTO requests (id, short_code, service_id, service_version, locale, "
                                  "created_us, updated_us, answers, state, next_attempt_us, created_by, stored_us) "
                                  "VALUES (?1, ?2, 'report-problem', 1, 'de', ?3, ?3, ?4, 'queued', ?3, 'bench', ?3)",
                             -1, &insert_request, NULL), sdb, "prepare");

  store = kiosk_store_open (outbox_db, &error);
  if (store == NULL)
    g_error ("%s", error->message);
  outbox = kiosk_outbox_new (store, clock, "HSK", &error);

  check (sqlite3_open (bare_db, &db), db, "open");
  check (sqlite3_exec (db, "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON;"
                           "CREATE TABLE IF NOT EXISTS t (id TEXT PRIMARY KEY, created INTEGER, answers BLOB)",
                       NULL, NULL, NULL), db, "schema");
  check (sqlite3_prepare_v2 (db, "INSERT INTO t VALUES (?, ?, ?)", -1, &insert, NULL), db, "prepare");

  for (guint done = 0; done < N_REQUESTS; done += BLOCK)
    {
      for (guint i = 0; i < BLOCK; i++)
        {
          g_autoptr(KioskRequest) request = NULL;
          KioskRequestDraft draft = {
            .service_id = "report-problem", .service_version = 1, .locale = "de", .answers = answers,
          };
          gint64 start = g_get_monotonic_time (), took;

          request = kiosk_outbox_enqueue (outbox, &draft, "bench", &error);
          if (request == NULL)
            g_error ("%s", error->message);
          took = g_get_monotonic_time () - start;
          g_array_append_val (outbox_us, took);
        }

      for (guint i = 0; i < BLOCK; i++)
        {
          g_autofree char *id = g_uuid_string_random ();
          gint64 start = g_get_monotonic_time (), took;

          check (sqlite3_exec (db, "BEGIN IMMEDIATE", NULL, NULL, NULL), db, "begin");
          sqlite3_reset (insert);
          sqlite3_bind_text (insert, 1, id, -1, SQLITE_STATIC);
          sqlite3_bind_int64 (insert, 2, g_get_real_time ());
          sqlite3_bind_blob (insert, 3, json, (int) strlen (json), SQLITE_STATIC);
          check (sqlite3_step (insert), db, "insert");
          check (sqlite3_exec (db, "COMMIT", NULL, NULL, NULL), db, "commit");
          took = g_get_monotonic_time () - start;
          g_array_append_val (bare_us, took);
        }

      for (guint i = 0; i < BLOCK; i++)
        {
          g_autofree char *id = g_uuid_string_random ();
          g_autofree char *code = g_strdup_printf ("HSK-%04u-%04u", done, i);
          gint64 start = g_get_monotonic_time (), took;

          check (sqlite3_exec (sdb, "BEGIN IMMEDIATE", NULL, NULL, NULL), sdb, "begin");
          sqlite3_reset (insert_request);
          sqlite3_bind_text (insert_request, 1, id, -1, SQLITE_STATIC);
          sqlite3_bind_text (insert_request, 2, code, -1, SQLITE_STATIC);
          sqlite3_bind_int64 (insert_request, 3, g_get_real_time ());
          sqlite3_bind_blob (insert_request, 4, json, (int) strlen (json), SQLITE_STATIC);
          check (sqlite3_step (insert_request), sdb, "insert request");
          check (sqlite3_exec (sdb, "COMMIT", NULL, NULL, NULL), sdb, "commit");
          took = g_get_monotonic_time () - start;
          g_array_append_val (schema_us, took);
        }
    }

  sqlite3_finalize (insert);
  sqlite3_close (db);
  sqlite3_finalize (insert_request);
  sqlite3_close (sdb);

  outbox_median = percentile_ms (outbox_us, 0.5);
  bare_median = percentile_ms (bare_us, 0.5);
  {
    g_autofree char *loadavg = NULL;

    g_file_get_contents ("/proc/loadavg", &loadavg, NULL, NULL);
    g_print ("durable enqueue of %u requests of ~1 KB (WAL, synchronous=FULL), on %s, %u rows there before, "
             "load average %.14s\n", N_REQUESTS, base, n_prefill, loadavg != NULL ? loadavg : "?");
  }
  g_print ("  %-28s median %7.3f ms   p99 %7.3f ms\n", "KioskOutbox enqueue", outbox_median,
           percentile_ms (outbox_us, 0.99));
  g_print ("  %-28s median %7.3f ms   p99 %7.3f ms\n", "bare SQLite insert (baseline)", bare_median,
           percentile_ms (bare_us, 0.99));
  schema_median = percentile_ms (schema_us, 0.5);
  g_print ("  %-28s median %7.3f ms   p99 %7.3f ms\n", "same row, raw SQL (baseline)", schema_median,
           percentile_ms (schema_us, 0.99));
  g_print ("  ratio of medians, outbox / bare insert:   %.2f (target <= 1.3)\n", outbox_median / bare_median);
  g_print ("  ratio of medians, outbox / same row raw:  %.2f (the cost of our code)\n", outbox_median / schema_median);

  g_clear_object (&outbox);
  g_clear_object (&store);
  {
    const char *files[] = { "outbox.db", "outbox.db-wal", "outbox.db-shm", "bare.db", "bare.db-wal", "bare.db-shm",
                            "schema.db", "schema.db-wal", "schema.db-shm" };
    for (guint i = 0; i < G_N_ELEMENTS (files); i++)
      {
        g_autofree char *p = g_build_filename (dir, files[i], NULL);
        g_unlink (p);
      }
    g_rmdir (dir);
  }
  return 0;
}

/* kiosk-store.c
 *
 * SPDX-FileCopyrightText: 2026 Stadtkiosk contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "kiosk-store"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>

#include "kiosk-store-private.h"

/* KioskStore is the only owner of the SQLite database.
 *
 * Threads: a store and everything that uses its handle (outbox, catalogue
 * persistence) live on the thread that opened it.  Other processes (the CLI
 * next to a running kiosk) share the file through SQLite's locking; writes
 * take the lock up front with BEGIN IMMEDIATE and wait up to the busy timeout.
 *
 * Durability: WAL with synchronous=FULL.  A COMMIT that returned is on disk,
 * so a request the citizen was told is "saved" survives a power cut.
 *
 * Integrity: kiosk_store_open() runs PRAGMA integrity_check before anything
 * is written, which grows with the data (0.5 s at 100,000 requests).  The
 * kiosk's window opens with %KIOSK_STORE_OPEN_DEFER_CHECK instead: a bounded
 * check at open (header and schema readable, not truncated), and the full
 * check in a worker thread on a read-only connection of its own
 * (kiosk_store_check_integrity_async()) once the first frame is up.  Damage
 * found then is refused as at open: the store takes no more writes, and the
 * application goes out of service (kiosk-application.c).  Until the check
 * has passed, no write reaches the file either: a write while it runs waits
 * for its answer, and a write before it has started (or after it was
 * cancelled) runs it first, on the spot (_kiosk_store_check_writable()).
 */

#define BUSY_TIMEOUT_MS 5000

typedef enum {
  CHECK_PASSED,    /* checked in full (at open or after), or found damaged */
  CHECK_PENDING,   /* opened with the check deferred; not running */
  CHECK_RUNNING,   /* in the worker thread */
} CheckState;

struct _KioskStore
{
  GObject  parent_instance;

  char       *path;
  sqlite3    *db;
  guint       schema_version;
  GHashTable *statements;   /* SQL text (static) -> sqlite3_stmt*, see _kiosk_store_prepare_cached() */
  char       *damage;       /* what the check after start found; the store refuses writes */

  /* The deferred check, shared with its worker thread under check_lock. */
  GMutex      check_lock;
  GCond       check_cond;
  CheckState  check_state;
  char       *check_damage; /* what the worker found, for the next write to take up */
};

G_DEFINE_FINAL_TYPE (KioskStore, kiosk_store, G_TYPE_OBJECT)
G_DEFINE_QUARK (kiosk-store-error-quark, kiosk_store_error)

/* Schema migrations: migrations[i] takes the schema from version i to i + 1,
 * in one transaction.  Never edit a released step; append a new one. */
static const char * const migrations[] = {
  /* 1: the durable outbox and its append-only event log */
  "CREATE TABLE requests ("
  "  id              TEXT PRIMARY KEY,"                  /* UUIDv4, the idempotency key */
  "  short_code      TEXT NOT NULL UNIQUE,"
  "  service_id      TEXT NOT NULL,"
  "  service_version INTEGER NOT NULL,"
  "  locale          TEXT NOT NULL,"
  "  created_us      INTEGER NOT NULL,"
  "  updated_us      INTEGER NOT NULL,"
  "  answers         BLOB,"                              /* NULL once purged */
  "  state           TEXT NOT NULL CHECK (state IN ('queued','sending','delivered','rejected',"
  "                                                 'cancelled','handled','purged')),"
  "  attempts        INTEGER NOT NULL DEFAULT 0,"
  "  next_attempt_us INTEGER NOT NULL DEFAULT 0,"
  "  last_error      TEXT,"
  "  remote_ref      TEXT,"
  "  flags           INTEGER NOT NULL DEFAULT 0"
  ");"
  "CREATE INDEX requests_due ON requests (state, next_attempt_us);"
  "CREATE TABLE request_events ("
  "  seq        INTEGER PRIMARY KEY AUTOINCREMENT,"
  "  request_id TEXT NOT NULL REFERENCES requests (id),"
  "  at_us      INTEGER NOT NULL,"
  "  from_state TEXT,"
  "  to_state   TEXT NOT NULL,"
  "  actor      TEXT NOT NULL,"
  "  detail     TEXT"
  ");"
  "CREATE INDEX request_events_request ON request_events (request_id, seq);"
  "CREATE TRIGGER request_events_no_update BEFORE UPDATE ON request_events"
  "  BEGIN SELECT RAISE (ABORT, 'request_events is append-only'); END;"
  "CREATE TRIGGER request_events_no_delete BEFORE DELETE ON request_events"
  "  BEGIN SELECT RAISE (ABORT, 'request_events is append-only'); END;",

  /* 2: settings, the active catalogue and local service switches */
  "CREATE TABLE settings ("
  "  key   TEXT PRIMARY KEY,"
  "  value TEXT NOT NULL"
  ");"
  "CREATE TABLE catalogs ("
  "  seq         INTEGER PRIMARY KEY AUTOINCREMENT,"
  "  source      TEXT NOT NULL,"                          /* file path or URL it came from */
  "  etag        TEXT,"
  "  imported_us INTEGER NOT NULL,"
  "  json        TEXT NOT NULL"
  ");"
  "CREATE TABLE service_overrides ("
  "  service_id TEXT PRIMARY KEY,"
  "  enabled    INTEGER NOT NULL"
  ");",

  /* 3: answers sealed at rest (X25519 sealed box to the city's key) */
  "ALTER TABLE requests ADD COLUMN answers_format TEXT NOT NULL DEFAULT 'json'"
  "  CHECK (answers_format IN ('json','sealed'));",

  /* 4: who did what on the kiosk (staff unlocks, actions, settings) */
  "CREATE TABLE audit_log ("
  "  seq    INTEGER PRIMARY KEY AUTOINCREMENT,"
  "  at_us  INTEGER NOT NULL,"
  "  role   TEXT NOT NULL,"
  "  action TEXT NOT NULL,"
  "  detail TEXT"
  ");"
  "CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log"
  "  BEGIN SELECT RAISE (ABORT, 'audit_log is append-only'); END;"
  "CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log"
  "  BEGIN SELECT RAISE (ABORT, 'audit_log is append-only'); END;",

  /* 5: the kiosk a request was made on, when it came in from another one
   * (an exported queue, a scanned receipt): the submission names it */
  "ALTER TABLE requests ADD COLUMN origin_kiosk_id TEXT;",

  /* 6: a request's creation is recorded in its row (who stored it, when),
   * not as a line of the event log: one b-tree fewer to write per durable
   * enqueue.  It is as unchangeable as the log.  Rows from before take what
   * their creation line said; those old lines stay (the log is append-only)
   * and kiosk_outbox_list_events() leaves them out. */
  "ALTER TABLE requests ADD COLUMN created_by TEXT NOT NULL DEFAULT 'system';"
  "ALTER TABLE requests ADD COLUMN stored_us INTEGER NOT NULL DEFAULT 0;"
  "UPDATE requests SET"
  "  created_by = COALESCE ((SELECT actor FROM request_events e"
  "                          WHERE e.request_id = requests.id AND e.from_state IS NULL"
  "                          ORDER BY seq LIMIT 1), created_by),"
  "  stored_us = COALESCE ((SELECT at_us FROM request_events e"
  "                         WHERE e.request_id = requests.id AND e.from_state IS NULL"
  "                         ORDER BY seq LIMIT 1), created_us);"
  "CREATE TRIGGER requests_creation_fixed BEFORE UPDATE OF id, short_code, service_id, service_version,"
  "  locale, created_us, created_by, stored_us ON requests"
  "  BEGIN SELECT RAISE (ABORT, 'a request''s creation is not changed'); END;",

  /* 7: what the city says about a delivered request, whichever target
   * delivered it (Open311 status + status_notes, the hub's status document,
   * GET /v1/submissions/{id}); written only by kiosk_outbox_set_city_status() */
  "ALTER TABLE requests ADD COLUMN city_status TEXT;"
  "ALTER TABLE requests ADD COLUMN city_note TEXT;",

  /* 8: the target a request was first handed to ("submission", "open311",
   * "couchdb"), NULL until then.  Once an attempt may have reached a target,
   * the request stays with it: a re-send elsewhere could file it twice. */
  "ALTER TABLE requests ADD COLUMN target TEXT;",

  /* 9: when the kiosk learnt the city's status (µs); city_note may be a
   * JSON object language -> text (the hub's status documents) */
  "ALTER TABLE requests ADD COLUMN city_updated INTEGER;",

  /* 10: the SHA-256 (lowercase hex) of every receipt QR payload this kiosk
   * made, so that the status page finds a request by its scanned slip
   * (#16; kiosk-citizen-status.c).  A payload sealed with a fresh nonce
   * differs per print, so a request may have several.  Requests stored
   * before: their slip showed the sealed answers themselves when they fit
   * the QR, so those are taken over (kiosk_sha256_hex() is registered on
   * the connection by kiosk-store.c).  receipt_payload: the QR payload of
   * a request whose sealed answers do not fit the QR code, sealed once when
   * it is stored, so that every print and the hub document show the same
   * code (kiosk_sealer_receipt_for_draft()). */
  "ALTER TABLE requests ADD COLUMN receipt_payload BLOB;"
  "CREATE TABLE receipt_digests ("
  "  sha256     TEXT PRIMARY KEY,"
  "  request_id TEXT NOT NULL REFERENCES requests (id)"
  ");"
  "INSERT OR IGNORE INTO receipt_digests (sha256, request_id)"
  "  SELECT kiosk_sha256_hex (answers), id FROM requests"
  "  WHERE answers_format = 'sealed' AND answers IS NOT NULL;",

  /* 11: the claim's order (next_attempt_us, created_us) straight from the
   * index: with only (state, next_attempt_us) indexed, every claim sorted
   * all the queued requests due at the same time (a whole queue after a
   * day offline) to take the first 64. */
  "DROP INDEX requests_due;"
  "CREATE INDEX requests_due ON requests (state, next_attempt_us, created_us);",
};

void
_kiosk_store_set_error (KioskStore  *self,
                        int          rc,
                        GError     **error,
                        const char  *what)
{
  int code;
  const char *msg = self != NULL && self->db != NULL ? sqlite3_errmsg (self->db) : sqlite3_errstr (rc);
  const char *path = self != NULL ? self->path : "database";

  switch (rc & 0xff)
    {
    case SQLITE_FULL:
      code = KIOSK_STORE_ERROR_FULL;
      g_set_error (error, KIOSK_STORE_ERROR, code,
                   "%s: the disk is full; nothing was written (%s)", path, what);
      return;
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      code = KIOSK_STORE_ERROR_BUSY;
      break;
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
      code = KIOSK_STORE_ERROR_DAMAGED;
      break;
    case SQLITE_CANTOPEN:
    case SQLITE_PERM:
    case SQLITE_READONLY:
      code = KIOSK_STORE_ERROR_OPEN;
      break;
    default:
      code = KIOSK_STORE_ERROR_FAILED;
      break;
    }

  g_set_error (error, KIOSK_STORE_ERROR, code, "%s: %s: %s", path, what, msg);
}

gboolean
_kiosk_store_exec (KioskStore  *self,
                   const char  *sql,
                   GError     **error)
{
  int rc = sqlite3_exec (self->db, sql, NULL, NULL, NULL);

  if (rc != SQLITE_OK)
    {
      _kiosk_store_set_error (self, rc, error, "cannot run statement");
      return FALSE;
    }
  return TRUE;
}

sqlite3_stmt *
_kiosk_store_prepare (KioskStore  *self,
                      const char  *sql,
                      GError     **error)
{
  sqlite3_stmt *stmt = NULL;
  int rc = sqlite3_prepare_v2 (self->db, sql, -1, &stmt, NULL);

  if (rc != SQLITE_OK)
    {
      _kiosk_store_set_error (self, rc, error, "cannot prepare statement");
      return NULL;
    }
  return stmt;
}

/* Steps a statement that returns no rows. */
gboolean
_kiosk_store_step_done (KioskStore    *self,
                        sqlite3_stmt  *stmt,
                        GError       **error)
{
  int rc = sqlite3_step (stmt);

  if (rc != SQLITE_DONE)
    {
      _kiosk_store_set_error (self, rc, error, "cannot write");
      return FALSE;
    }
  return TRUE;
}

/**
 * _kiosk_store_prepare_cached:
 * @sql: a string literal: it is the cache key and must outlive the store
 *
 * Like _kiosk_store_prepare(), for statements on hot paths (enqueue, state
 * changes): each is compiled once and kept.  The statement is borrowed, reset
 * and its bindings cleared; do not finalize it.
 */
sqlite3_stmt *
_kiosk_store_prepare_cached (KioskStore  *self,
                             const char  *sql,
                             GError     **error)
{
  sqlite3_stmt *stmt = g_hash_table_lookup (self->statements, sql);

  if (stmt != NULL)
    {
      sqlite3_reset (stmt);
      sqlite3_clear_bindings (stmt);
      return stmt;
    }

  stmt = _kiosk_store_prepare (self, sql, error);
  if (stmt != NULL)
    g_hash_table_insert (self->statements, (gpointer) sql, stmt);
  return stmt;
}

static gboolean check_integrity (KioskStore  *self,
                                 GError     **error);

/**
 * _kiosk_store_check_writable:
 *
 * Every write to the database file passes here first (a transaction's
 * BEGIN, or a single statement in autocommit).  With the integrity check
 * deferred, the write waits for the check running in its worker thread,
 * or runs the check itself if none is running; damage found by either is
 * refused as at open, and the file is left as it is.  Once the check has
 * passed this costs one locked compare.
 *
 * Returns: whether the store takes writes
 */
gboolean
_kiosk_store_check_writable (KioskStore  *self,
                             GError     **error)
{
  CheckState state;

  g_mutex_lock (&self->check_lock);
  while (self->check_state == CHECK_RUNNING)
    g_cond_wait (&self->check_cond, &self->check_lock);
  state = self->check_state;
  if (self->check_damage != NULL && self->damage == NULL)
    self->damage = g_steal_pointer (&self->check_damage);
  g_mutex_unlock (&self->check_lock);

  if (state == CHECK_PENDING && self->damage == NULL)
    {
      g_autoptr(GError) local = NULL;

      g_debug ("%s: a write came before the integrity check; checking now", self->path);
      if (!check_integrity (self, &local) &&
          g_error_matches (local, KIOSK_STORE_ERROR, KIOSK_STORE_ERROR_DAMAGED))
        self->damage = g_strdup (local->message);
      else if (local != NULL)
        {
          g_propagate_error (error, g_steal_pointer (&local));
          return FALSE;
        }
      g_mutex_lock (&self->check_lock);
      self->check_state = CHECK_PASSED;
      g_mutex_unlock (&self->check_lock);
    }

  /* Damage found by the check after start: refused as at open. */
  if (self->damage != NULL)
    {
      g_set_error_literal (error, KIOSK_STORE_ERROR, KIOSK_STORE_ERROR_DAMAGED, self->damage);
      return FALSE;
    }
  return TRUE;
}

/* Runs one of the transaction statements (BEGIN IMMEDIATE, COMMIT): kept
 * in the statement cache, as every drain batch begins and commits one
 * (sqlite3_exec() would compile the text every time), and reset at once,
 * so that it holds nothing, failed or not.  @what names it in @error. */
static gboolean
run_transaction_statement (KioskStore  *self,
                           const char  *sql,
                           const char  *what,
                           GError     **error)
{
  sqlite3_stmt *stmt = _kiosk_store_prepare_cached (self, sql, error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_DONE)
    _kiosk_store_set_error (self, rc, error, what);
  sqlite3_reset (stmt);
  return rc == SQLITE_DONE;
}

gboolean
_kiosk_store_begin (KioskStore  *self,
                    GError     **error)
{
  if (!_kiosk_store_check_writable (self, error))
    return FALSE;
  return run_transaction_statement (self, "BEGIN IMMEDIATE", "cannot begin a transaction", error);
}

gboolean
_kiosk_store_commit (KioskStore  *self,
                     GError     **error)
{
  if (!run_transaction_statement (self, "COMMIT", "cannot commit", error))
    {
      _kiosk_store_rollback (self);
      return FALSE;
    }
  return TRUE;
}

void
_kiosk_store_rollback (KioskStore *self)
{
  if (!sqlite3_get_autocommit (self->db))
    sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
}

sqlite3 *
_kiosk_store_get_db (KioskStore *self)
{
  g_return_val_if_fail (KIOSK_IS_STORE (self), NULL);

  return self->db;
}

static gboolean
read_user_version (KioskStore  *self,
                   guint       *out_version,
                   GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = _kiosk_store_prepare (self, "PRAGMA user_version", error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW)
    {
      _kiosk_store_set_error (self, rc, error, "cannot read the schema version");
      return FALSE;
    }
  *out_version = (guint) sqlite3_column_int (stmt, 0);
  return TRUE;
}

static void
set_not_a_database (const char  *path,
                    sqlite3     *db,
                    GError     **error)
{
  g_set_error (error, KIOSK_STORE_ERROR, KIOSK_STORE_ERROR_DAMAGED,
               "%s is damaged or not a Stadtkiosk database (%s). It was left as it is; "
               "an admin can keep it aside and start a new one with "
               "'stadtkioskctl store set-aside'",
               path, sqlite3_errmsg (db));
}

/* PRAGMA integrity_check on @db, a connection to @path of any thread.  Its
 * cost grows with the data. */
static gboolean
run_integrity_check (const char  *path,
                     sqlite3     *db,
                     GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GString) problems = g_string_new (NULL);
  int rc;

  if (sqlite3_prepare_v2 (db, "PRAGMA integrity_check", -1, &stmt, NULL) != SQLITE_OK)
    {
      set_not_a_database (path, db, error);
      return FALSE;
    }

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *line = (const char *) sqlite3_column_text (stmt, 0);

      if (g_strcmp0 (line, "ok") != 0 && problems->len < 500)
        g_string_append_printf (problems, "%s%s", problems->len ? "; " : "", line);
    }

  if ((rc & 0xff) == SQLITE_INTERRUPT)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED, "%s: the integrity check was cancelled", path);
      return FALSE;
    }
  if (rc != SQLITE_DONE || problems->len > 0)
    {
      g_set_error (error, KIOSK_STORE_ERROR, KIOSK_STORE_ERROR_DAMAGED,
                   "%s is damaged (%s). It was left as it is; an admin can keep it aside "
                   "and start a new one with 'stadtkioskctl store set-aside'",
                   path, problems->len ? problems->str : sqlite3_errmsg (db));
      return FALSE;
    }
  return TRUE;
}

static gboolean
check_integrity (KioskStore  *self,
                 GError     **error)
{
  return run_integrity_check (self->path, self->db, error);
}

/* The part of the check whose cost does not grow with the data: the header
 * and the schema can be read.  A file that is not a database, or whose
 * first page or schema is damaged, fails here, and so does a file shorter
 * than its header says (SQLite compares the two when it first reads, the
 * WAL counted).  Reads only. */
static gboolean
check_bounded (KioskStore  *self,
               GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  if (sqlite3_prepare_v2 (self->db, "SELECT count(*) FROM sqlite_schema", -1, &stmt, NULL) != SQLITE_OK ||
      sqlite3_step (stmt) != SQLITE_ROW)
    {
      set_not_a_database (self->path, self->db, error);
      return FALSE;
    }
  return TRUE;
}

/* kiosk_sha256_hex (blob): the lowercase hex SHA-256 of a blob, NULL for
 * NULL; migration 10 fills receipt_digests with it. */
static void
sha256_hex_sql (sqlite3_context  *context,
                int               argc,
                sqlite3_value   **argv)
{
  g_autofree char *hex = NULL;

  if (sqlite3_value_type (argv[0]) == SQLITE_NULL)
    {
      sqlite3_result_null (context);
      return;
    }
  hex = g_compute_checksum_for_data (G_CHECKSUM_SHA256, sqlite3_value_blob (argv[0]),
                                     (gsize) sqlite3_value_bytes (argv[0]));
  sqlite3_result_text (context, hex, -1, SQLITE_TRANSIENT);
}

static gboolean
migrate (KioskStore  *self,
         guint        target,
         GError     **error)
{
  while (self->schema_version < target)
    {
      g_autofree char *bump = g_strdup_printf ("PRAGMA user_version = %u", self->schema_version + 1);

      if (!_kiosk_store_begin (self, error))
        return FALSE;
      if (!_kiosk_store_exec (self, migrations[self->schema_version], error) ||
          !_kiosk_store_exec (self, bump, error) ||
          !_kiosk_store_commit (self, error))
        {
          _kiosk_store_rollback (self);
          g_prefix_error (error, "migrating the schema to version %u: ", self->schema_version + 1);
          return FALSE;
        }
      self->schema_version++;
    }
  return TRUE;
}

static void
kiosk_store_finalize (GObject *object)
{
  KioskStore *self = (KioskStore *)object;

  g_hash_table_unref (self->statements);
  if (self->db != NULL)
    sqlite3_close_v2 (self->db);
  g_free (self->path);
  g_free (self->damage);
  g_free (self->check_damage);
  g_mutex_clear (&self->check_lock);
  g_cond_clear (&self->check_cond);

  G_OBJECT_CLASS (kiosk_store_parent_class)->finalize (object);
}

static void
kiosk_store_class_init (KioskStoreClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = kiosk_store_finalize;
}

static void
kiosk_store_init (KioskStore *self)
{
  self->statements = g_hash_table_new_full (g_direct_hash, g_direct_equal, NULL,
                                            (GDestroyNotify) sqlite3_finalize);
  g_mutex_init (&self->check_lock);
  g_cond_init (&self->check_cond);
  self->check_state = CHECK_PASSED;
}

KioskStore *
_kiosk_store_open_full (const char      *path,
                        KioskStoreSync   sync,
                        guint            migrate_to,
                        GError         **error)
{
  return _kiosk_store_open_flags (path, sync, migrate_to, KIOSK_STORE_OPEN_DEFAULT, error);
}

KioskStore *
_kiosk_store_open_flags (const char           *path,
                         KioskStoreSync        sync,
                         guint                 migrate_to,
                         KioskStoreOpenFlags   flags,
                         GError              **error)
{
  g_autoptr(KioskStore) self = NULL;
  g_autofree char *dir = NULL;
  int rc;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (migrate_to <= G_N_ELEMENTS (migrations), NULL);

  dir = g_path_get_dirname (path);
  if (g_mkdir_with_parents (dir, 0750) != 0)
    {
      int errsv = errno;
      g_set_error (error, KIOSK_STORE_ERROR, KIOSK_STORE_ERROR_OPEN,
                   "cannot create the state directory %s: %s", dir, g_strerror (errsv));
      return NULL;
    }

  self = g_object_new (KIOSK_TYPE_STORE, NULL);
  self->path = g_strdup (path);

  /* Citizens' requests are readable by the kiosk user only.  SQLite gives
   * its WAL and SHM files the mode of the database file. */
  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    {
      int fd = g_open (path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);

      if (fd >= 0)
        g_close (fd, NULL);
    }

  rc = sqlite3_open_v2 (path, &self->db,
                        SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                        NULL);
  if (rc != SQLITE_OK)
    {
      _kiosk_store_set_error (self, rc, error, "cannot open the database");
      return NULL;
    }
  sqlite3_extended_result_codes (self->db, 1);
  sqlite3_busy_timeout (self->db, BUSY_TIMEOUT_MS);

  /* The integrity check comes first: a damaged file must not be written to,
   * not even by switching the journal mode.  Deferred, the bounded part
   * runs now; a schema that is about to be migrated is checked in full
   * first all the same (a migration writes). */
  if ((flags & KIOSK_STORE_OPEN_DEFER_CHECK) == 0)
    {
      if (!check_integrity (self, error))
        return NULL;
    }
  else
    {
      guint version = 0;

      if (!check_bounded (self, error))
        return NULL;
      if (!read_user_version (self, &version, error))
        return NULL;
      if (version < migrate_to)
        {
          if (!check_integrity (self, error))
            return NULL;
        }
      else
        self->check_state = CHECK_PENDING;
    }

  if (!_kiosk_store_exec (self, "PRAGMA journal_mode = WAL", error) ||
      !_kiosk_store_exec (self, sync == KIOSK_STORE_SYNC_FULL ? "PRAGMA synchronous = FULL"
                                                              : "PRAGMA synchronous = OFF", error) ||
      !_kiosk_store_exec (self, "PRAGMA foreign_keys = ON", error) ||
      /* Erased means erased: freed cells and pages are overwritten with
       * zeros, so a purged answer stays in no free page (kiosk-purge.c). */
      !_kiosk_store_exec (self, "PRAGMA secure_delete = ON", error))
    return NULL;

  if (!read_user_version (self, &self->schema_version, error))
    return NULL;
  if (self->schema_version > G_N_ELEMENTS (migrations))
    {
      g_set_error (error, KIOSK_STORE_ERROR, KIOSK_STORE_ERROR_TOO_NEW,
                   "%s has schema version %u, but this Stadtkiosk knows only up to %u: "
                   "it was written by a newer version",
                   path, self->schema_version, (guint) G_N_ELEMENTS (migrations));
      return NULL;
    }
  if (sqlite3_create_function_v2 (self->db, "kiosk_sha256_hex", 1,
                                  SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_DIRECTONLY,
                                  NULL, sha256_hex_sql, NULL, NULL, NULL) != SQLITE_OK)
    {
      _kiosk_store_set_error (self, SQLITE_ERROR, error, "cannot register kiosk_sha256_hex");
      return NULL;
    }
  if (!migrate (self, migrate_to, error))
    return NULL;

  return g_steal_pointer (&self);
}

/**
 * kiosk_store_open:
 * @path: the database file; created with its directory if missing
 *
 * Opens the database, checks its integrity and brings its schema up to date.
 * A damaged file is left untouched and %KIOSK_STORE_ERROR_DAMAGED returned;
 * see kiosk_store_set_aside_damaged().
 *
 * Returns: (transfer full): the store, or %NULL with @error set
 */
KioskStore *
kiosk_store_open (const char  *path,
                  GError     **error)
{
  return _kiosk_store_open_full (path, KIOSK_STORE_SYNC_FULL, G_N_ELEMENTS (migrations), error);
}

/**
 * kiosk_store_open_with_flags:
 * @path: the database file; created with its directory if missing
 * @flags: %KIOSK_STORE_OPEN_DEFER_CHECK for a start that does not grow
 *   with the data
 *
 * Like kiosk_store_open().  With %KIOSK_STORE_OPEN_DEFER_CHECK only the
 * bounded part of the integrity check runs here (header, schema, length;
 * the full check too if the schema is to be migrated); the caller runs
 * kiosk_store_check_integrity_async() soon after and refuses the store
 * when it reports damage.  Until then the store takes writes.
 *
 * Returns: (transfer full): the store, or %NULL with @error set
 */
KioskStore *
kiosk_store_open_with_flags (const char           *path,
                             KioskStoreOpenFlags   flags,
                             GError              **error)
{
  return _kiosk_store_open_flags (path, KIOSK_STORE_SYNC_FULL, G_N_ELEMENTS (migrations), flags, error);
}

/* The worker thread's side of the check: a read-only connection of its
 * own (the store's handle belongs to the thread that opened it), which in
 * WAL mode reads a snapshot while the kiosk writes. */
static int
check_progress_cb (void *user_data)
{
  return g_cancellable_is_cancelled (user_data);
}

/* The worker's answer, for writes waiting in _kiosk_store_check_writable():
 * damage is kept for them; a cancelled check is pending again (the next
 * write runs it); a check that could not run counts as passed, as the
 * application treats it (the open read header and schema). */
static void
check_done (KioskStore   *self,
            gboolean      ok,
            const GError *error)
{
  g_mutex_lock (&self->check_lock);
  if (ok)
    self->check_state = CHECK_PASSED;
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    self->check_state = CHECK_PENDING;
  else
    {
      self->check_state = CHECK_PASSED;
      if (g_error_matches (error, KIOSK_STORE_ERROR, KIOSK_STORE_ERROR_DAMAGED) && self->check_damage == NULL)
        self->check_damage = g_strdup (error->message);
    }
  g_cond_broadcast (&self->check_cond);
  g_mutex_unlock (&self->check_lock);
}

static void
check_integrity_thread (GTask        *task,
                        gpointer      source_object,
                        gpointer      task_data,
                        GCancellable *cancellable)
{
  KioskStore *store = source_object;
  const char *path = task_data;
  sqlite3 *db = NULL;
  g_autoptr(GError) error = NULL;
  gboolean ok;
  int rc;

  rc = sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, NULL);
  if (rc != SQLITE_OK)
    {
      g_set_error (&error, KIOSK_STORE_ERROR, KIOSK_STORE_ERROR_OPEN,
                   "%s: cannot open the database for its integrity check: %s",
                   path, db != NULL ? sqlite3_errmsg (db) : sqlite3_errstr (rc));
      sqlite3_close_v2 (db);
      check_done (store, FALSE, error);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  sqlite3_extended_result_codes (db, 1);
  sqlite3_busy_timeout (db, BUSY_TIMEOUT_MS);
  if (cancellable != NULL)
    sqlite3_progress_handler (db, 10000, check_progress_cb, cancellable);

  ok = run_integrity_check (path, db, &error);
  sqlite3_close_v2 (db);
  check_done (store, ok, error);
  if (!ok)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_boolean (task, TRUE);
}

/**
 * kiosk_store_check_integrity_async:
 * @cancellable: (nullable): stops the check (the application quits)
 *
 * Runs the full PRAGMA integrity_check in a worker thread, for a store
 * opened with %KIOSK_STORE_OPEN_DEFER_CHECK.  The main loop goes on.
 */
void
kiosk_store_check_integrity_async (KioskStore          *self,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (KIOSK_IS_STORE (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, kiosk_store_check_integrity_async);
  g_task_set_task_data (task, g_strdup (self->path), g_free);

  /* A write before it already ran the check (and kept any damage). */
  g_mutex_lock (&self->check_lock);
  if (self->check_state == CHECK_PASSED && self->damage != NULL)
    {
      g_mutex_unlock (&self->check_lock);
      g_task_return_new_error (task, KIOSK_STORE_ERROR, KIOSK_STORE_ERROR_DAMAGED, "%s", self->damage);
      return;
    }
  if (self->check_state == CHECK_PENDING)
    self->check_state = CHECK_RUNNING;
  g_mutex_unlock (&self->check_lock);
  g_task_run_in_thread (task, check_integrity_thread);
}

/**
 * kiosk_store_check_integrity_finish:
 *
 * When the check found damage (%KIOSK_STORE_ERROR_DAMAGED, the message as
 * kiosk_store_open() gives it), the store refuses every write from now on
 * with that error: the file is left as it is for recovery.
 *
 * Returns: whether the database is whole
 */
gboolean
kiosk_store_check_integrity_finish (KioskStore    *self,
                                    GAsyncResult  *result,
                                    GError       **error)
{
  g_autoptr(GError) local = NULL;

  g_return_val_if_fail (KIOSK_IS_STORE (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  if (g_task_propagate_boolean (G_TASK (result), &local))
    return TRUE;
  if (g_error_matches (local, KIOSK_STORE_ERROR, KIOSK_STORE_ERROR_DAMAGED) && self->damage == NULL)
    self->damage = g_strdup (local->message);
  g_propagate_error (error, g_steal_pointer (&local));
  return FALSE;
}

/**
 * kiosk_store_get_damage:
 *
 * Returns: (nullable): what the check after start found, or %NULL
 */
const char *
kiosk_store_get_damage (KioskStore *self)
{
  g_return_val_if_fail (KIOSK_IS_STORE (self), NULL);
  return self->damage;
}

const char *
kiosk_store_get_path (KioskStore *self)
{
  g_return_val_if_fail (KIOSK_IS_STORE (self), NULL);
  return self->path;
}

guint
kiosk_store_get_schema_version (KioskStore *self)
{
  g_return_val_if_fail (KIOSK_IS_STORE (self), 0);
  return self->schema_version;
}

guint
kiosk_store_get_latest_version (void)
{
  return G_N_ELEMENTS (migrations);
}

/**
 * kiosk_store_set_aside_damaged:
 * @path: the damaged database
 * @out_aside_path: (out) (optional): where it now is
 *
 * Renames a damaged database and its WAL and SHM files to
 * `PATH.damaged-YYYYMMDD-HHMMSS`, so that a new one can be started and the
 * old one is kept for recovery.  Nothing is deleted.
 */
gboolean
kiosk_store_set_aside_damaged (const char  *path,
                               char       **out_aside_path,
                               GError     **error)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *stamp = g_date_time_format (now, "%Y%m%d-%H%M%S");
  g_autofree char *aside = g_strdup_printf ("%s.damaged-%s", path, stamp);
  static const char * const suffixes[] = { "", "-wal", "-shm" };

  g_return_val_if_fail (path != NULL, FALSE);

  if (g_file_test (aside, G_FILE_TEST_EXISTS))
    {
      g_set_error (error, KIOSK_STORE_ERROR, KIOSK_STORE_ERROR_OPEN,
                   "%s already exists; try again in a second", aside);
      return FALSE;
    }

  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *from = g_strconcat (path, suffixes[i], NULL);
      g_autofree char *to = g_strconcat (aside, suffixes[i], NULL);

      if (!g_file_test (from, G_FILE_TEST_EXISTS))
        continue;
      if (g_rename (from, to) != 0)
        {
          int errsv = errno;
          g_set_error (error, KIOSK_STORE_ERROR, KIOSK_STORE_ERROR_OPEN,
                       "cannot move %s to %s: %s", from, to, g_strerror (errsv));
          return FALSE;
        }
    }

  if (out_aside_path != NULL)
    *out_aside_path = g_steal_pointer (&aside);
  return TRUE;
}

/**
 * kiosk_store_get_setting:
 *
 * Returns: (transfer full) (nullable): the value stored for @key
 */
char *
kiosk_store_get_setting (KioskStore *self,
                         const char *key)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  g_return_val_if_fail (KIOSK_IS_STORE (self), NULL);

  stmt = _kiosk_store_prepare (self, "SELECT value FROM settings WHERE key = ?", NULL);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, key, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    return NULL;
  return g_strdup ((const char *) sqlite3_column_text (stmt, 0));
}

gboolean
kiosk_store_set_setting (KioskStore  *self,
                         const char  *key,
                         const char  *value,
                         GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  g_return_val_if_fail (KIOSK_IS_STORE (self), FALSE);

  if (!_kiosk_store_check_writable (self, error))
    return FALSE;
  stmt = _kiosk_store_prepare (self,
                               value != NULL
                               ? "INSERT INTO settings (key, value) VALUES (?1, ?2) "
                                 "ON CONFLICT (key) DO UPDATE SET value = ?2"
                               : "DELETE FROM settings WHERE key = ?1",
                               error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, key, -1, SQLITE_TRANSIENT);
  if (value != NULL)
    sqlite3_bind_text (stmt, 2, value, -1, SQLITE_TRANSIENT);
  return _kiosk_store_step_done (self, stmt, error);
}

/**
 * kiosk_store_get_size:
 *
 * Returns: bytes used by the database file and its WAL, or -1
 */
gint64
kiosk_store_get_size (KioskStore *self)
{
  GStatBuf st;
  gint64 total = 0;
  g_autofree char *wal = NULL;

  g_return_val_if_fail (KIOSK_IS_STORE (self), -1);

  if (g_stat (self->path, &st) != 0)
    return -1;
  total = st.st_size;
  wal = g_strconcat (self->path, "-wal", NULL);
  if (g_stat (wal, &st) == 0)
    total += st.st_size;
  return total;
}

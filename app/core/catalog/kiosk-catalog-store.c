/* kiosk-catalog-store.c: the catalogues kept in the kiosk's database
 *
 * SPDX-FileCopyrightText: 2026 Stadtkiosk contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "kiosk-catalog"

#include "config.h"

#include "kiosk-catalog.h"

#include <string.h>

#include "kiosk-catalog-private.h"
#include "kiosk-store-private.h"

#define MAX_CATALOGS_KEPT 5

static gboolean
apply_overrides (KioskCatalog  *self,
                 KioskStore    *store,
                 GError       **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc;

  stmt = _kiosk_store_prepare (store, "SELECT service_id, enabled FROM service_overrides", error);
  if (stmt == NULL)
    return FALSE;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      KioskService *service = g_hash_table_lookup (self->by_id, (const char *) sqlite3_column_text (stmt, 0));

      if (service != NULL)
        _kiosk_service_set_enabled (service, sqlite3_column_int (stmt, 1) != 0);
    }
  if (rc != SQLITE_DONE)
    {
      _kiosk_store_set_error (store, rc, error, "reading service overrides");
      return FALSE;
    }
  _kiosk_catalog_rebuild_items (self);
  return TRUE;
}

/* Reading a catalogue's row passes its overflow pages (16 MB at federal
 * size) through the connection's page cache, which then holds 2 MB of
 * them and none of what the kiosk reads again (sqlite3_memory_used() 5 s
 * after start at city scale: 2.3 MB, 0.2 MB in the demo state). */
static void
forget_catalog_pages (KioskStore *store)
{
  sqlite3_db_release_memory (_kiosk_store_get_db (store));
}

/**
 * _kiosk_catalog_store_get_newest_row:
 * @out_source: (out) (optional): where it came from
 *
 * The newest stored catalogue's row and the size of its text in bytes,
 * without reading the text (16 MB at federal size): the size comes from
 * the record's header (sqlite3_blob_bytes()).
 *
 * Returns: %FALSE if none is stored, or it cannot be read (then loading
 *   it reports the error)
 */
gboolean
_kiosk_catalog_store_get_newest_row (KioskStore  *store,
                                     gint64      *out_seq,
                                     char       **out_source,
                                     gsize       *out_size)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  sqlite3_blob *blob = NULL;
  gint64 seq;

  stmt = _kiosk_store_prepare (store, "SELECT seq, source FROM catalogs ORDER BY seq DESC LIMIT 1", NULL);
  if (stmt == NULL || sqlite3_step (stmt) != SQLITE_ROW)
    return FALSE;
  seq = sqlite3_column_int64 (stmt, 0);
  if (sqlite3_blob_open (_kiosk_store_get_db (store), "main", "catalogs", "json", seq, 0, &blob) != SQLITE_OK)
    {
      sqlite3_blob_close (blob);
      return FALSE;
    }
  *out_seq = seq;
  *out_size = (gsize) sqlite3_blob_bytes (blob);
  sqlite3_blob_close (blob);
  if (out_source != NULL)
    *out_source = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
  return TRUE;
}

/* The newest stored catalogue's size in bytes, 0 if none (or unreadable:
 * then loading it reports the error). */
gint64
_kiosk_catalog_store_get_newest_size (KioskStore *store)
{
  gint64 seq;
  gsize size;

  return _kiosk_catalog_store_get_newest_row (store, &seq, NULL, &size) ? (gint64) size : 0;
}

gboolean
_kiosk_catalog_apply_overrides (KioskCatalog  *self,
                                KioskStore    *store,
                                GError       **error)
{
  return apply_overrides (self, store, error);
}

/**
 * kiosk_catalog_load_active:
 *
 * The catalogue in use: the newest stored one that loads, else the demo.
 * Services an admin disabled (service_overrides) are left out of the list
 * model and kiosk_catalog_lookup(), but kiosk_catalog_lookup_any() finds
 * them (for requests already queued).
 *
 * Returns: (transfer full) (nullable): the catalogue, %NULL only if the
 *   database cannot be read
 */
KioskCatalog *
kiosk_catalog_load_active (KioskStore  *store,
                           GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(KioskCatalog) catalog = NULL;
  int rc;

  g_return_val_if_fail (KIOSK_IS_STORE (store), NULL);

  stmt = _kiosk_store_prepare (store, "SELECT json, source, seq FROM catalogs ORDER BY seq DESC", error);
  if (stmt == NULL)
    return NULL;
  while (catalog == NULL && (rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_autoptr(GBytes) bytes = g_bytes_new (sqlite3_column_text (stmt, 0), sqlite3_column_bytes (stmt, 0));

      /* A stored catalogue was valid when it was stored; one that no longer
       * loads (an older format) is passed over for the one before it. */
      catalog = kiosk_catalog_new_from_bytes (bytes, (const char *) sqlite3_column_text (stmt, 1), NULL);
      if (catalog != NULL)
        catalog->stored_seq = sqlite3_column_int64 (stmt, 2);
    }
  if (catalog == NULL && rc != SQLITE_DONE)
    {
      _kiosk_store_set_error (store, rc, error, "reading the catalogue");
      return NULL;
    }
  g_clear_pointer (&stmt, sqlite3_finalize);
  forget_catalog_pages (store);
  if (catalog == NULL)
    catalog = kiosk_catalog_new_demo ();

  if (!apply_overrides (catalog, store, error))
    return NULL;
  return g_steal_pointer (&catalog);
}

/**
 * kiosk_catalog_store_active:
 * @source: where it came from (file path or URL)
 * @etag: (nullable): the HTTP ETag it came with
 *
 * Validates @json and, only if it is valid, stores it as the active
 * catalogue.  The previous ones stay (the last few) so that one can go back.
 */
gboolean
kiosk_catalog_store_active (KioskStore  *store,
                            GBytes      *json,
                            const char  *source,
                            const char  *etag,
                            GError     **error)
{
  g_autoptr(KioskCatalog) catalog = NULL;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(sqlite3_stmt) prune = NULL;
  gsize len;
  const char *data;

  g_return_val_if_fail (KIOSK_IS_STORE (store), FALSE);
  g_return_val_if_fail (json != NULL, FALSE);
  g_return_val_if_fail (source != NULL, FALSE);

  catalog = kiosk_catalog_new_from_bytes (json, source, error);
  if (catalog == NULL)
    return FALSE;
  data = g_bytes_get_data (json, &len);

  if (!_kiosk_store_begin (store, error))
    return FALSE;
  stmt = _kiosk_store_prepare (store,
                               "INSERT INTO catalogs (source, etag, imported_us, json) VALUES (?, ?, ?, ?)",
                               error);
  if (stmt == NULL)
    goto fail;
  sqlite3_bind_text (stmt, 1, source, -1, SQLITE_TRANSIENT);
  if (etag != NULL)
    sqlite3_bind_text (stmt, 2, etag, -1, SQLITE_TRANSIENT);
  else
    sqlite3_bind_null (stmt, 2);
  sqlite3_bind_int64 (stmt, 3, g_get_real_time ());
  sqlite3_bind_text (stmt, 4, data, (int) len, SQLITE_STATIC);
  if (!_kiosk_store_step_done (store, stmt, error))
    goto fail;

  prune = _kiosk_store_prepare (store,
                                "DELETE FROM catalogs WHERE seq NOT IN "
                                "(SELECT seq FROM catalogs ORDER BY seq DESC LIMIT ?)",
                                error);
  if (prune == NULL)
    goto fail;
  sqlite3_bind_int (prune, 1, MAX_CATALOGS_KEPT);
  if (!_kiosk_store_step_done (store, prune, error))
    goto fail;
  return _kiosk_store_commit (store, error);

fail:
  _kiosk_store_rollback (store);
  return FALSE;
}

/**
 * kiosk_catalog_dup_active_etag:
 *
 * Returns: (transfer full) (nullable): the ETag of the newest stored
 *   catalogue, for a conditional GET
 */
char *
kiosk_catalog_dup_active_etag (KioskStore *store)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  g_return_val_if_fail (KIOSK_IS_STORE (store), NULL);

  stmt = _kiosk_store_prepare (store, "SELECT etag FROM catalogs ORDER BY seq DESC LIMIT 1", NULL);
  if (stmt == NULL || sqlite3_step (stmt) != SQLITE_ROW || sqlite3_column_type (stmt, 0) == SQLITE_NULL)
    return NULL;
  return g_strdup ((const char *) sqlite3_column_text (stmt, 0));
}

/**
 * kiosk_catalog_get_active_imported:
 *
 * Returns: when the newest stored catalogue was imported (µs since the
 *   epoch), 0 when the demo is in use
 */
gint64
kiosk_catalog_get_active_imported (KioskStore *store)
{
  sqlite3_stmt *stmt;
  gint64 imported = 0;

  g_return_val_if_fail (KIOSK_IS_STORE (store), 0);

  /* Cached: the sync's routes ask before every claim. */
  stmt = _kiosk_store_prepare_cached (store, "SELECT imported_us FROM catalogs ORDER BY seq DESC LIMIT 1", NULL);
  if (stmt == NULL)
    return 0;
  if (sqlite3_step (stmt) == SQLITE_ROW)
    imported = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  return imported;
}

/**
 * kiosk_catalog_set_service_enabled:
 *
 * Enables or disables a service on this kiosk (table service_overrides);
 * takes effect at the next kiosk_catalog_load_active().
 */
gboolean
kiosk_catalog_set_service_enabled (KioskStore  *store,
                                   const char  *service_id,
                                   gboolean     enabled,
                                   GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  g_return_val_if_fail (KIOSK_IS_STORE (store), FALSE);
  g_return_val_if_fail (service_id != NULL, FALSE);

  if (!_kiosk_store_check_writable (store, error))
    return FALSE;
  stmt = _kiosk_store_prepare (store,
                               "INSERT INTO service_overrides (service_id, enabled) VALUES (?, ?) "
                               "ON CONFLICT (service_id) DO UPDATE SET enabled = excluded.enabled",
                               error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, service_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int (stmt, 2, enabled ? 1 : 0);
  return _kiosk_store_step_done (store, stmt, error);
}

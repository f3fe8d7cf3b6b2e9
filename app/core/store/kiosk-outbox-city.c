/* kiosk-outbox-city.c: what the city says about a request, and the
 * receipts it was printed on
 *
 * SPDX-FileCopyrightText: 2026 Stadtkiosk contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "kiosk-store"

#include "config.h"

#include <string.h>

#include "kiosk-outbox.h"
#include "kiosk-outbox-private.h"
#include "kiosk-request-private.h"
#include "kiosk-store-private.h"

/* The outbox's side columns and table that are not the delivery's state
 * machine: the city's status and note (city_status, city_note,
 * city_updated; written only here, whichever target brought them back) and
 * the SHA-256 digests of the receipt QR payloads a request was printed with
 * (receipt_digests, for the status page's scan).  Split out of
 * kiosk-outbox.c (#11); the struct and the one shared reader are in
 * kiosk-outbox-private.h. */

/**
 * kiosk_outbox_set_city_status:
 * @request_id: the request's UUID
 * @status: what the city says, e.g. "received", "in_progress", "done",
 *   "rejected" (CouchDB hub) or "open", "closed" (Open311)
 * @note: (nullable): the city's note: plain text, or a JSON object of
 *   language code to text (the hub's `{"de": …, "en": …}`)
 *
 * Stores what the city says about a request, whichever target delivered it.
 * The same status and note again change nothing (city_updated stays).
 *
 * Returns: %TRUE when stored; %FALSE with %KIOSK_OUTBOX_ERROR_NOT_FOUND for
 *   an unknown request, or the database's error
 */
gboolean
kiosk_outbox_set_city_status (KioskOutbox  *self,
                              const char   *request_id,
                              const char   *status,
                              const char   *note,
                              GError      **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  g_return_val_if_fail (KIOSK_IS_OUTBOX (self), FALSE);
  g_return_val_if_fail (request_id != NULL, FALSE);
  g_return_val_if_fail (status != NULL, FALSE);

  if (!_kiosk_store_check_writable (self->store, error))
    return FALSE;
  stmt = _kiosk_store_prepare (self->store,
                               "UPDATE requests SET city_status = ?1, city_note = ?2, city_updated = ?3 "
                               "WHERE id = ?4 AND (city_status IS NOT ?1 OR city_note IS NOT ?2)", error);
  if (stmt == NULL)
    return FALSE;
  if (sqlite3_bind_text (stmt, 1, status, -1, SQLITE_TRANSIENT) != SQLITE_OK ||
      (note != NULL ? sqlite3_bind_text (stmt, 2, note, -1, SQLITE_TRANSIENT)
                    : sqlite3_bind_null (stmt, 2)) != SQLITE_OK ||
      sqlite3_bind_int64 (stmt, 3, kiosk_clock_get_now (self->clock)) != SQLITE_OK ||
      sqlite3_bind_text (stmt, 4, request_id, -1, SQLITE_TRANSIENT) != SQLITE_OK)
    {
      _kiosk_store_set_error (self->store, SQLITE_ERROR, error, "cannot store the city's status");
      return FALSE;
    }
  if (!_kiosk_store_step_done (self->store, stmt, error))
    return FALSE;
  if (sqlite3_changes (_kiosk_store_get_db (self->store)) == 0)
    {
      g_autoptr(KioskRequest) request = _kiosk_outbox_read_request (self, "id", request_id, NULL);

      if (request == NULL)
        {
          g_set_error (error, KIOSK_OUTBOX_ERROR, KIOSK_OUTBOX_ERROR_NOT_FOUND,
                       "no request %s on this kiosk", request_id);
          return FALSE;
        }
    }
  return TRUE;
}

/**
 * kiosk_outbox_get_city_status:
 * @out_status: (out) (optional) (nullable): the city's status, %NULL when
 *   none came yet
 * @out_note: (out) (optional) (nullable): its note
 * @out_updated: (out) (optional): when the kiosk learnt it (µs), 0 if never
 *
 * Returns: %FALSE with %KIOSK_OUTBOX_ERROR_NOT_FOUND for an unknown request
 */
gboolean
kiosk_outbox_get_city_status (KioskOutbox  *self,
                              const char   *request_id,
                              char        **out_status,
                              char        **out_note,
                              gint64       *out_updated,
                              GError      **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc;

  g_return_val_if_fail (KIOSK_IS_OUTBOX (self), FALSE);
  g_return_val_if_fail (request_id != NULL, FALSE);

  stmt = _kiosk_store_prepare (self->store,
                               "SELECT city_status, city_note, city_updated FROM requests WHERE id = ?", error);
  if (stmt == NULL)
    return FALSE;
  if (sqlite3_bind_text (stmt, 1, request_id, -1, SQLITE_TRANSIENT) != SQLITE_OK)
    {
      _kiosk_store_set_error (self->store, SQLITE_ERROR, error, "cannot read the city's status");
      return FALSE;
    }
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_DONE)
    {
      g_set_error (error, KIOSK_OUTBOX_ERROR, KIOSK_OUTBOX_ERROR_NOT_FOUND,
                   "no request %s on this kiosk", request_id);
      return FALSE;
    }
  if (rc != SQLITE_ROW)
    {
      _kiosk_store_set_error (self->store, rc, error, "cannot read the city's status");
      return FALSE;
    }
  if (out_status != NULL)
    *out_status = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  if (out_note != NULL)
    *out_note = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
  if (out_updated != NULL)
    *out_updated = sqlite3_column_int64 (stmt, 2);
  return TRUE;
}

/**
 * kiosk_outbox_list_city_status_due:
 * @target: a target name
 * @since_us: delivered at or after this time
 * @max: how many at the most
 *
 * The requests @target delivered since @since_us that have a reference
 * (not a pending "token:") and whose city status is not "closed" yet: the
 * ones worth asking the city about, newest first.
 *
 * Returns: (transfer full) (element-type utf8): request id and reference,
 *   in turn, or %NULL with @error set
 */
GPtrArray *
kiosk_outbox_list_city_status_due (KioskOutbox  *self,
                                   const char   *target,
                                   gint64        since_us,
                                   guint         max,
                                   GError      **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GPtrArray) pairs = g_ptr_array_new_with_free_func (g_free);
  int rc;

  g_return_val_if_fail (KIOSK_IS_OUTBOX (self), NULL);
  g_return_val_if_fail (target != NULL, NULL);

  stmt = _kiosk_store_prepare (self->store,
                               "SELECT id, remote_ref FROM requests WHERE state = 'delivered' AND target = ? "
                               "  AND remote_ref IS NOT NULL AND remote_ref NOT LIKE 'token:%' AND updated_us >= ? "
                               "  AND (city_status IS NULL OR city_status <> 'closed') "
                               "ORDER BY updated_us DESC LIMIT ?",
                               error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, target, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, since_us);
  sqlite3_bind_int (stmt, 3, (int) MIN (max, G_MAXINT));
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_ptr_array_add (pairs, g_strdup ((const char *) sqlite3_column_text (stmt, 0)));
      g_ptr_array_add (pairs, g_strdup ((const char *) sqlite3_column_text (stmt, 1)));
    }
  if (rc != SQLITE_DONE)
    {
      _kiosk_store_set_error (self->store, rc, error, "cannot list delivered requests");
      return NULL;
    }
  return g_steal_pointer (&pairs);
}

/**
 * kiosk_outbox_add_receipt_digest:
 * @request_id: the request a receipt was made for
 * @sha256: the lowercase hex SHA-256 of the receipt's QR payload
 *   (kiosk_payload_dup_digest())
 *
 * Remembers a receipt's QR code, so that the status page finds the request
 * when the slip is scanned (#16).  The same digest twice is one row.
 *
 * Returns: %TRUE, or %FALSE with @error set
 */
gboolean
kiosk_outbox_add_receipt_digest (KioskOutbox  *self,
                                 const char   *request_id,
                                 const char   *sha256,
                                 GError      **error)
{
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (KIOSK_IS_OUTBOX (self), FALSE);
  g_return_val_if_fail (request_id != NULL, FALSE);
  g_return_val_if_fail (sha256 != NULL && strlen (sha256) == 64, FALSE);

  if (!_kiosk_store_check_writable (self->store, error))
    return FALSE;
  stmt = _kiosk_store_prepare_cached (self->store,
                                      "INSERT OR IGNORE INTO receipt_digests (sha256, request_id) VALUES (?, ?)",
                                      error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, sha256, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, request_id, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      _kiosk_store_set_error (self->store, rc, error, "cannot remember the receipt's QR code");
      return FALSE;
    }
  return TRUE;
}

/**
 * kiosk_outbox_get_by_receipt_digest:
 * @sha256: the lowercase hex SHA-256 of a scanned receipt's QR payload
 *
 * Returns: (transfer full): the request the receipt was made for, or %NULL
 *   with @error set (%KIOSK_OUTBOX_ERROR_NOT_FOUND when no receipt of this
 *   kiosk had this code)
 */
KioskRequest *
kiosk_outbox_get_by_receipt_digest (KioskOutbox  *self,
                                    const char   *sha256,
                                    GError      **error)
{
  sqlite3_stmt *stmt;
  g_autofree char *id = NULL;
  int rc;

  g_return_val_if_fail (KIOSK_IS_OUTBOX (self), NULL);
  g_return_val_if_fail (sha256 != NULL, NULL);

  stmt = _kiosk_store_prepare_cached (self->store,
                                      "SELECT request_id FROM receipt_digests WHERE sha256 = ?", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, sha256, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    id = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_reset (stmt);
  if (rc == SQLITE_DONE)
    {
      g_set_error_literal (error, KIOSK_OUTBOX_ERROR, KIOSK_OUTBOX_ERROR_NOT_FOUND,
                           "no receipt of this kiosk has this QR code");
      return NULL;
    }
  if (rc != SQLITE_ROW)
    {
      _kiosk_store_set_error (self->store, rc, error, "cannot look up a receipt's QR code");
      return NULL;
    }
  return _kiosk_outbox_read_request (self, "id", id, error);
}

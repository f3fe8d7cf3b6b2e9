/* kiosk-audit.c
 *
 * SPDX-FileCopyrightText: 2026 Stadtkiosk contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "kiosk-store"

#include "config.h"

#include "kiosk-audit.h"
#include "kiosk-store-private.h"

/* The audit log is a table that refuses UPDATE and DELETE (schema version 4):
 * staff unlocks, clerk actions and settings changes, for the record. */

void
kiosk_audit_entry_free (KioskAuditEntry *entry)
{
  if (entry == NULL)
    return;
  g_free (entry->role);
  g_free (entry->action);
  g_free (entry->detail);
  g_free (entry);
}

/**
 * kiosk_audit_log:
 * @role: who: "clerk", "admin", "citizen", "system", "cli"
 * @action: what, a short verb phrase such as "unlock" or "queue cancel"
 * @detail: (nullable): more, without personal data
 *
 * Appends one line to the audit log, durably.
 */
gboolean
kiosk_audit_log (KioskStore  *store,
                 KioskClock  *clock,
                 const char  *role,
                 const char  *action,
                 const char  *detail,
                 GError     **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (KIOSK_IS_STORE (store), FALSE);
  g_return_val_if_fail (KIOSK_IS_CLOCK (clock), FALSE);
  g_return_val_if_fail (role != NULL && action != NULL, FALSE);

  if (!_kiosk_store_check_writable (store, error))
    return FALSE;
  stmt = _kiosk_store_prepare_cached (store,
                                      "INSERT INTO audit_log (at_us, role, action, detail) VALUES (?, ?, ?, ?)",
                                      error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, kiosk_clock_get_now (clock));
  sqlite3_bind_text (stmt, 2, role, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, action, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 4, detail, -1, SQLITE_TRANSIENT);
  if (!_kiosk_store_step_done (store, stmt, error))
    {
      sqlite3_reset (stmt);
      return FALSE;
    }
  sqlite3_reset (stmt);
  return TRUE;
}

/**
 * kiosk_audit_list:
 * @limit: the newest @limit lines; 0 for all
 *
 * Returns: (transfer full) (element-type KioskAuditEntry): newest first
 */
GPtrArray *
kiosk_audit_list (KioskStore  *store,
                  guint        limit,
                  GError     **error)
{
  g_autoptr(GPtrArray) list = g_ptr_array_new_with_free_func ((GDestroyNotify) kiosk_audit_entry_free);
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc;

  g_return_val_if_fail (KIOSK_IS_STORE (store), NULL);

  stmt = _kiosk_store_prepare (store,
                               "SELECT seq, at_us, role, action, detail FROM audit_log "
                               "ORDER BY seq DESC LIMIT ?",
                               error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, limit == 0 ? G_MAXINT64 : (gint64) limit);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      KioskAuditEntry *entry = g_new0 (KioskAuditEntry, 1);

      entry->seq = sqlite3_column_int64 (stmt, 0);
      entry->at_us = sqlite3_column_int64 (stmt, 1);
      entry->role = g_strdup ((const char *) sqlite3_column_text (stmt, 2));
      entry->action = g_strdup ((const char *) sqlite3_column_text (stmt, 3));
      entry->detail = g_strdup ((const char *) sqlite3_column_text (stmt, 4));
      g_ptr_array_add (list, entry);
    }
  if (rc != SQLITE_DONE)
    {
      _kiosk_store_set_error (store, rc, error, "cannot read the audit log");
      return NULL;
    }
  return g_steal_pointer (&list);
}

/**
 * kiosk_audit_count_since:
 * @action: the action to count, e.g. "print failed"
 * @since_us: from when on
 * @out_last_detail: (out) (optional) (nullable): the newest line's detail
 *
 * Returns: how many lines with @action the log has since @since_us (0 with
 *   @error set when the log cannot be read)
 */
guint
kiosk_audit_count_since (KioskStore  *store,
                         const char  *action,
                         gint64       since_us,
                         char       **out_last_detail,
                         GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  guint count = 0;
  int rc;

  g_return_val_if_fail (KIOSK_IS_STORE (store), 0);
  g_return_val_if_fail (action != NULL, 0);

  if (out_last_detail != NULL)
    *out_last_detail = NULL;
  stmt = _kiosk_store_prepare (store,
                               "SELECT detail FROM audit_log WHERE action = ? AND at_us >= ? ORDER BY seq DESC",
                               error);
  if (stmt == NULL)
    return 0;
  sqlite3_bind_text (stmt, 1, action, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 2, since_us);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      if (count == 0 && out_last_detail != NULL)
        *out_last_detail = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
      count++;
    }
  if (rc != SQLITE_DONE)
    {
      _kiosk_store_set_error (store, rc, error, "cannot read the audit log");
      if (out_last_detail != NULL)
        g_clear_pointer (out_last_detail, g_free);
      return 0;
    }
  return count;
}

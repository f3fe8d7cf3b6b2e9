/* kiosk-outbox.c
 *
 * SPDX-FileCopyrightText: 2026 Stadtkiosk contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "kiosk-store"

#include "config.h"

#include <string.h>

#include "kiosk-outbox.h"
#include "kiosk-outbox-private.h"
#include "kiosk-lock.h"
#include "kiosk-request-private.h"
#include "kiosk-short-code.h"
#include "kiosk-store-private.h"

/* The durable queue of requests.
 *
 * Every change is one BEGIN IMMEDIATE ... COMMIT transaction that updates the
 * row and appends a line to request_events (kiosk_outbox_claim_due() and
 * kiosk_outbox_apply() put several in one); a function returns only after
 * COMMIT returned, so whatever it reports has reached the disk.  A request's
 * creation is the row itself (created_us, created_by; a trigger keeps them
 * unchanged): enqueue writes one row and no event line, which is most of
 * what a durable enqueue costs beyond a bare insert, and
 * kiosk_outbox_list_events() shows the creation as the history's first line.  Listeners
 * learn of changes through ::request-changed (a fresh snapshot) and of work
 * through ::work-due.  Threads: as the store's.
 */

G_DEFINE_FINAL_TYPE (KioskOutbox, kiosk_outbox, G_TYPE_OBJECT)
G_DEFINE_QUARK (kiosk-outbox-error-quark, kiosk_outbox_error)

enum {
  REQUEST_CHANGED,
  WORK_DUE,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* What a transition changes besides the state. */
typedef struct
{
  gboolean     count_attempt;
  gboolean     set_next_attempt;
  gint64       next_attempt_us;
  gboolean     set_last_error;
  const char  *last_error;      /* NULL clears it */
  const char  *remote_ref;      /* NULL keeps it */
} Change;

KioskRequest *
_kiosk_outbox_read_request (KioskOutbox  *self,
                            const char   *column,
                            const char   *value,
                            GError      **error)
{
  sqlite3_stmt *stmt;
  int rc;

  if (g_str_equal (column, "id"))
    stmt = _kiosk_store_prepare_cached (self->store,
                                        "SELECT " KIOSK_REQUEST_COLUMNS " FROM requests WHERE id = ?",
                                        error);
  else
    stmt = _kiosk_store_prepare_cached (self->store,
                                        "SELECT " KIOSK_REQUEST_COLUMNS " FROM requests WHERE short_code = ?",
                                        error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, value, -1, SQLITE_TRANSIENT);

  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      KioskRequest *request = _kiosk_request_new_from_row (stmt);

      sqlite3_reset (stmt);
      return request;
    }
  if (rc == SQLITE_DONE)
    g_set_error (error, KIOSK_OUTBOX_ERROR, KIOSK_OUTBOX_ERROR_NOT_FOUND,
                 "no request %s in the outbox", value);
  else
    _kiosk_store_set_error (self->store, rc, error, "cannot read request");
  sqlite3_reset (stmt);
  return NULL;
}

static gboolean
append_event (KioskOutbox        *self,
              const char         *id,
              gint64              at_us,
              const char         *from_state,
              KioskRequestState   to_state,
              const char         *actor,
              const char         *detail,
              GError            **error)
{
  sqlite3_stmt *stmt;

  stmt = _kiosk_store_prepare_cached (self->store,
                                      "INSERT INTO request_events (request_id, at_us, from_state, to_state, actor, detail) "
                                      "VALUES (?, ?, ?, ?, ?, ?)",
                                      error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 2, at_us);
  sqlite3_bind_text (stmt, 3, from_state, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 4, kiosk_request_state_to_string (to_state), -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 5, actor != NULL ? actor : "system", -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 6, detail, -1, SQLITE_TRANSIENT);
  return _kiosk_store_step_done (self->store, stmt, error);
}

static guint take_delivery (KioskOutbox  *self,
                            GError      **error);

/* Appends @text to @json as a JSON string.  Returns %FALSE (and appends
 * nothing usable) when @text is not valid UTF-8: JSON cannot carry it. */
static gboolean
append_json_string (GString    *json,
                    const char *text)
{
  if (!g_utf8_validate (text, -1, NULL))
    return FALSE;
  g_string_append_c (json, '"');
  for (const char *p = text; *p != '\0'; p++)
    {
      guchar c = (guchar) *p;

      if (c == '"' || c == '\\')
        {
          g_string_append_c (json, '\\');
          g_string_append_c (json, (char) c);
        }
      else if (c < 0x20)
        g_string_append_printf (json, "\\u%04x", c);
      else
        g_string_append_c (json, (char) c);
    }
  g_string_append_c (json, '"');
  return TRUE;
}

/* Claims up to @max due requests in one transaction: @select_sql reads
 * their rows (KIOSK_REQUEST_COLUMNS, then for a routed claim the target;
 * ?1 now, ?2 the default target, ?3 the targets, ?4 the limit), then ONE
 * statement moves them all to `sending` (@update_sql: ?1 now, ?2 the
 * default target, ?3 their ids as a JSON array) and ONE appends their event
 * lines in claim order (@events_sql: ?1 now, ?2 the ids).  One statement per
 * batch instead of two per request spares a statement's overhead per row,
 * and the state CHECK constraint's IN list, which SQLite builds anew for
 * each statement that changes a state.  The snapshots returned are the rows
 * read in the same transaction, changed as the UPDATE changes them, so
 * nothing is read back. */
static GPtrArray *
claim (KioskOutbox  *self,
       const char   *select_sql,
       const char   *update_sql,
       const char   *events_sql,
       const char   *targets_json,
       const char   *default_target,
       guint         max,
       GPtrArray   **out_targets,
       GError      **error)
{
  g_autoptr(GPtrArray) claimed = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) kinds = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GString) ids = g_string_new ("[");
  sqlite3_stmt *stmt;
  gint64 now;
  int rc;

  /* Only the delivery owner claims (see take_delivery()). */
  if (take_delivery (self, error) == G_MAXUINT)
    return NULL;

  now = kiosk_clock_get_now (self->clock);

  if (!_kiosk_store_begin (self->store, error))
    return NULL;

  stmt = _kiosk_store_prepare_cached (self->store, select_sql, error);
  if (stmt == NULL)
    goto fail;
  sqlite3_bind_int64 (stmt, 1, now);
  if (targets_json != NULL)
    {
      sqlite3_bind_text (stmt, 2, default_target, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 3, targets_json, -1, SQLITE_STATIC);
    }
  sqlite3_bind_int (stmt, 4, (int) MIN (max, G_MAXINT));
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      KioskRequest *request = _kiosk_request_new_from_row (stmt);

      if (claimed->len > 0)
        g_string_append_c (ids, ',');
      if (!append_json_string (ids, kiosk_request_get_id (request)))
        {
          g_object_unref (request);
          sqlite3_reset (stmt);
          g_set_error (error, KIOSK_STORE_ERROR, KIOSK_STORE_ERROR_DAMAGED,
                       "a queued request's id is not valid UTF-8");
          goto fail;
        }
      _kiosk_request_set_progress (request, KIOSK_REQUEST_SENDING, now,
                                   kiosk_request_get_attempts (request) + 1,
                                   kiosk_request_get_next_attempt (request),
                                   kiosk_request_get_last_error (request),
                                   kiosk_request_get_remote_ref (request));
      g_ptr_array_add (claimed, request);
      if (targets_json != NULL)
        g_ptr_array_add (kinds, g_strdup ((const char *) sqlite3_column_text (stmt, 17)));
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      _kiosk_store_set_error (self->store, rc, error, "cannot select due requests");
      goto fail;
    }
  g_string_append_c (ids, ']');

  if (claimed->len > 0)
    {
      stmt = _kiosk_store_prepare_cached (self->store, update_sql, error);
      if (stmt == NULL)
        goto fail;
      sqlite3_bind_int64 (stmt, 1, now);
      if (targets_json != NULL)
        sqlite3_bind_text (stmt, 2, default_target, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 3, ids->str, (int) ids->len, SQLITE_STATIC);
      if (!_kiosk_store_step_done (self->store, stmt, error))
        goto fail;
      if (sqlite3_changes (_kiosk_store_get_db (self->store)) != (int) claimed->len)
        {
          g_set_error (error, KIOSK_STORE_ERROR, KIOSK_STORE_ERROR_FAILED,
                       "claimed %d requests of %u", sqlite3_changes (_kiosk_store_get_db (self->store)),
                       claimed->len);
          goto fail;
        }

      stmt = _kiosk_store_prepare_cached (self->store, events_sql, error);
      if (stmt == NULL)
        goto fail;
      sqlite3_bind_int64 (stmt, 1, now);
      sqlite3_bind_text (stmt, 2, ids->str, (int) ids->len, SQLITE_STATIC);
      if (!_kiosk_store_step_done (self->store, stmt, error))
        goto fail;
    }

  if (!_kiosk_store_commit (self->store, error))
    return NULL;

  for (guint i = 0; i < claimed->len; i++)
    g_signal_emit (self, signals[REQUEST_CHANGED], 0, claimed->pdata[i]);

  if (out_targets != NULL)
    *out_targets = g_steal_pointer (&kinds);
  return g_steal_pointer (&claimed);

fail:
  _kiosk_store_rollback (self->store);
  return NULL;
}

/* What kiosk_outbox_get() and read_state() look a request up by: a
 * request id (lower case), or a short code as a person typed it
 * (normalized).  Returns the key, or %NULL with @error set. */
static char *
lookup_key (const char  *id_or_code,
            gboolean    *out_by_id,
            GError     **error)
{
  *out_by_id = g_uuid_string_is_valid (id_or_code);
  return *out_by_id ? g_ascii_strdown (id_or_code, -1) : kiosk_short_code_normalize (id_or_code, error);
}

/* A request's id, short code, state and last change, found as
 * kiosk_outbox_get() finds it, without reading its answers. */
static gboolean
read_state (KioskOutbox        *self,
            const char         *id_or_code,
            char              **out_id,
            char              **out_short_code,
            KioskRequestState  *out_state,
            gint64             *out_updated_us,
            GError            **error)
{
  g_autofree char *key = NULL;
  gboolean by_id;
  sqlite3_stmt *stmt;
  int rc;

  key = lookup_key (id_or_code, &by_id, error);
  if (key == NULL)
    return FALSE;
  stmt = _kiosk_store_prepare_cached (self->store,
                                      by_id ? "SELECT id, short_code, state, updated_us FROM requests WHERE id = ?"
                                            : "SELECT id, short_code, state, updated_us FROM requests WHERE short_code = ?",
                                      error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, key, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      gboolean known = kiosk_request_state_from_string ((const char *) sqlite3_column_text (stmt, 2), out_state);

      *out_id = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
      *out_short_code = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
      if (out_updated_us != NULL)
        *out_updated_us = sqlite3_column_int64 (stmt, 3);
      sqlite3_reset (stmt);
      if (!known)
        {
          g_set_error (error, KIOSK_STORE_ERROR, KIOSK_STORE_ERROR_DAMAGED,
                       "request %s has an unknown state", *out_id);
          g_clear_pointer (out_id, g_free);
          g_clear_pointer (out_short_code, g_free);
        }
      return known;
    }
  if (rc == SQLITE_DONE)
    g_set_error (error, KIOSK_OUTBOX_ERROR, KIOSK_OUTBOX_ERROR_NOT_FOUND,
                 "no request %s in the outbox", key);
  else
    _kiosk_store_set_error (self->store, rc, error, "cannot read request");
  sqlite3_reset (stmt);
  return FALSE;
}

/* One step of the state machine inside the caller's transaction: checks
 * that @id_or_code may go from its state to @to (and, when @allowed_from is
 * not 0, that it starts from one of those states, a bit per
 * KioskRequestState), updates the row and appends the event line.  On
 * success returns the request's id (for reading it back after COMMIT).
 *
 * A failure sets @error; *@out_fatal says whether the database failed (the
 * transaction must be rolled back) or only this request could not make the
 * step (not found, not a valid code, illegal transition: nothing of it was
 * written and the transaction is still good). */
static char *
transition_step (KioskOutbox        *self,
                 const char         *id_or_code,
                 KioskRequestState   to,
                 guint               allowed_from,
                 const Change       *change,
                 const char         *actor,
                 const char         *detail,
                 gint64              now,
                 gboolean           *out_fatal,
                 GError            **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autofree char *id = NULL;
  g_autofree char *short_code = NULL;
  sqlite3_stmt *stmt;
  KioskRequestState from;

  *out_fatal = FALSE;

  /* Only the state, not the whole row: a delivery's outcomes come here a
   * hundred at a time, and the answers are not needed to move them. */
  if (!read_state (self, id_or_code, &id, &short_code, &from, NULL, &local_error))
    {
      *out_fatal = local_error->domain != KIOSK_OUTBOX_ERROR &&
                   local_error->domain != KIOSK_SHORT_CODE_ERROR;
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }

  if (!kiosk_request_state_can_transition (from, to) ||
      (allowed_from != 0 && (allowed_from & (1u << from)) == 0))
    {
      g_set_error (error, KIOSK_OUTBOX_ERROR, KIOSK_OUTBOX_ERROR_ILLEGAL_TRANSITION,
                   "request %s is %s and cannot become %s",
                   short_code,
                   kiosk_request_state_to_string (from),
                   kiosk_request_state_to_string (to));
      return NULL;
    }

  *out_fatal = TRUE;
  stmt = _kiosk_store_prepare_cached (self->store,
                                      "UPDATE requests SET state = ?1, updated_us = ?2, "
                                      "  attempts = attempts + ?3, "
                                      "  next_attempt_us = CASE WHEN ?4 THEN ?5 ELSE next_attempt_us END, "
                                      "  last_error = CASE WHEN ?6 THEN ?7 ELSE last_error END, "
                                      "  remote_ref = COALESCE (?8, remote_ref), "
                                      "  answers = CASE WHEN ?1 = 'purged' THEN NULL ELSE answers END "
                                      "WHERE id = ?9",
                                      error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, kiosk_request_state_to_string (to), -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, now);
  sqlite3_bind_int (stmt, 3, change != NULL && change->count_attempt ? 1 : 0);
  sqlite3_bind_int (stmt, 4, change != NULL && change->set_next_attempt);
  sqlite3_bind_int64 (stmt, 5, change != NULL ? change->next_attempt_us : 0);
  sqlite3_bind_int (stmt, 6, change != NULL && change->set_last_error);
  sqlite3_bind_text (stmt, 7, change != NULL ? change->last_error : NULL, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 8, change != NULL ? change->remote_ref : NULL, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 9, id, -1, SQLITE_TRANSIENT);
  if (!_kiosk_store_step_done (self->store, stmt, error))
    return NULL;

  if (!append_event (self, id, now, kiosk_request_state_to_string (from), to, actor, detail, error))
    return NULL;

  *out_fatal = FALSE;
  return g_steal_pointer (&id);
}

/* After COMMIT: reads the request back and tells listeners.  Returns whether
 * it is queued and due now (for ::work-due). */
static KioskRequest *
announce (KioskOutbox        *self,
          const char         *id,
          KioskRequestState   to,
          gint64              now,
          gboolean           *out_due,
          GError            **error)
{
  KioskRequest *after = _kiosk_outbox_read_request (self, "id", id, error);

  if (after == NULL)
    return NULL;
  g_signal_emit (self, signals[REQUEST_CHANGED], 0, after);
  if (to == KIOSK_REQUEST_QUEUED && kiosk_request_get_next_attempt (after) <= now)
    *out_due = TRUE;
  return after;
}

/* Moves one request to @to in its own transaction (see transition_step()). */
static KioskRequest *
transition (KioskOutbox        *self,
            const char         *id_or_code,
            KioskRequestState   to,
            guint               allowed_from,
            const Change       *change,
            const char         *actor,
            const char         *detail,
            GError            **error)
{
  g_autoptr(KioskRequest) after = NULL;
  g_autofree char *id = NULL;
  gint64 now = kiosk_clock_get_now (self->clock);
  gboolean fatal;
  gboolean due = FALSE;

  if (!_kiosk_store_begin (self->store, error))
    return NULL;

  id = transition_step (self, id_or_code, to, allowed_from, change, actor, detail, now, &fatal, error);
  if (id == NULL)
    {
      _kiosk_store_rollback (self->store);
      return NULL;
    }

  if (!_kiosk_store_commit (self->store, error))
    return NULL;

  after = announce (self, id, to, now, &due, error);
  if (after != NULL && due)
    g_signal_emit (self, signals[WORK_DUE], 0);
  return g_steal_pointer (&after);
}

#define FROM(s) (1u << (s))

/* What a delivery outcome means for the state machine: the one mapping behind
 * kiosk_outbox_mark_*(), kiosk_outbox_release() and kiosk_outbox_apply(). */
static void
outcome_to_change (const KioskOutcomeRecord *record,
                   KioskRequestState        *out_to,
                   Change                   *out_change)
{
  Change change = { 0 };

  switch (record->mark)
    {
    case KIOSK_OUTBOX_MARK_DELIVERED:
      *out_to = KIOSK_REQUEST_DELIVERED;
      change.set_last_error = TRUE;
      change.last_error = NULL;
      change.remote_ref = record->text;
      break;
    case KIOSK_OUTBOX_MARK_RETRY:
      *out_to = KIOSK_REQUEST_QUEUED;
      change.set_next_attempt = TRUE;
      change.next_attempt_us = record->next_attempt_us;
      change.set_last_error = TRUE;
      change.last_error = record->text;
      break;
    case KIOSK_OUTBOX_MARK_REJECTED:
      *out_to = KIOSK_REQUEST_REJECTED;
      change.set_last_error = TRUE;
      change.last_error = record->text;
      break;
    case KIOSK_OUTBOX_MARK_RELEASE:
    default:
      /* The attempt it counted stays counted; nothing else changes. */
      *out_to = KIOSK_REQUEST_QUEUED;
      break;
    }
  *out_change = change;
}

static KioskRequest *
transition_outcome (KioskOutbox              *self,
                    const KioskOutcomeRecord *record,
                    GError                  **error)
{
  KioskRequestState to;
  Change change;

  outcome_to_change (record, &to, &change);
  return transition (self, record->id, to, FROM (KIOSK_REQUEST_SENDING),
                     &change, "sync", record->text, error);
}

/* Element free functions for arrays with %NULL entries. */
static void
clear_object (gpointer object)
{
  if (object != NULL)
    g_object_unref (object);
}

static void
clear_error (gpointer error)
{
  if (error != NULL)
    g_error_free (error);
}

/* The rows of @records' requests, read in ONE statement inside the
 * caller's transaction: id -> KioskRequest.  Ids that are not a row's exact
 * id are not in it (transition_step() then looks them up as
 * kiosk_outbox_get() does).  Returns %NULL with @error set when the
 * database failed. */
static GHashTable *
read_rows (KioskOutbox               *self,
           const KioskOutcomeRecord  *records,
           guint                      n,
           GError                   **error)
{
  g_autoptr(GHashTable) rows = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_object_unref);
  g_autoptr(GString) ids = g_string_new ("[");
  sqlite3_stmt *stmt;
  int rc;

  for (guint i = 0; i < n; i++)
    {
      gsize len = ids->len;

      if (len > 1)
        g_string_append_c (ids, ',');
      if (!append_json_string (ids, records[i].id))
        g_string_truncate (ids, len);   /* not UTF-8: not any row's id */
    }
  g_string_append_c (ids, ']');

  stmt = _kiosk_store_prepare_cached (self->store,
                                      "SELECT " KIOSK_REQUEST_COLUMNS " FROM requests "
                                      "WHERE id IN (SELECT value FROM json_each (?1))",
                                      error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, ids->str, (int) ids->len, SQLITE_STATIC);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      KioskRequest *row = _kiosk_request_new_from_row (stmt);

      g_hash_table_replace (rows, (gpointer) kiosk_request_get_id (row), row);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      _kiosk_store_set_error (self->store, rc, error, "cannot read requests");
      return NULL;
    }
  return g_steal_pointer (&rows);
}

/* kiosk_outbox_apply()'s way for a request read by read_rows() that is
 * `sending`, as all of a drain's are: the UPDATE of transition_step(),
 * guarded by the state it expects, and the event line; @row is changed as
 * the UPDATE changed the row, so nothing is read after COMMIT.
 *
 * Returns %TRUE when it was recorded; %FALSE with @error set when the
 * database failed, without when the row was no longer `sending` (changed
 * earlier in the batch by a record that named it by its short code):
 * nothing was written, transition_step() then says why. */
static gboolean
outcome_step (KioskOutbox               *self,
              KioskRequest              *row,
              const KioskOutcomeRecord  *record,
              KioskRequestState          to,
              const Change              *change,
              gint64                     now,
              GError                   **error)
{
  sqlite3_stmt *stmt;

  g_assert (kiosk_request_get_state (row) == KIOSK_REQUEST_SENDING);
  g_assert (kiosk_request_state_can_transition (KIOSK_REQUEST_SENDING, to));

  stmt = _kiosk_store_prepare_cached (self->store,
                                      "UPDATE requests SET state = ?1, updated_us = ?2, "
                                      "  attempts = attempts + ?3, "
                                      "  next_attempt_us = CASE WHEN ?4 THEN ?5 ELSE next_attempt_us END, "
                                      "  last_error = CASE WHEN ?6 THEN ?7 ELSE last_error END, "
                                      "  remote_ref = COALESCE (?8, remote_ref) "
                                      "WHERE id = ?9 AND state = 'sending'",
                                      error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, kiosk_request_state_to_string (to), -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, now);
  sqlite3_bind_int (stmt, 3, change->count_attempt ? 1 : 0);
  sqlite3_bind_int (stmt, 4, change->set_next_attempt);
  sqlite3_bind_int64 (stmt, 5, change->next_attempt_us);
  sqlite3_bind_int (stmt, 6, change->set_last_error);
  sqlite3_bind_text (stmt, 7, change->last_error, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 8, change->remote_ref, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 9, kiosk_request_get_id (row), -1, SQLITE_STATIC);
  if (!_kiosk_store_step_done (self->store, stmt, error))
    return FALSE;
  if (sqlite3_changes (_kiosk_store_get_db (self->store)) != 1)
    return FALSE;

  if (!append_event (self, kiosk_request_get_id (row), now, "sending", to, "sync", record->text, error))
    return FALSE;

  /* What the UPDATE did to the row. */
  _kiosk_request_set_progress (row, to, now,
                               kiosk_request_get_attempts (row) + (change->count_attempt ? 1 : 0),
                               change->set_next_attempt ? change->next_attempt_us
                                                        : kiosk_request_get_next_attempt (row),
                               change->set_last_error ? change->last_error
                                                      : kiosk_request_get_last_error (row),
                               change->remote_ref != NULL ? change->remote_ref
                                                          : kiosk_request_get_remote_ref (row));
  return TRUE;
}

/**
 * kiosk_outbox_apply:
 * @records: (array length=n): delivery outcomes, of requests in `sending`
 * @n: how many
 * @out_requests: (out) (optional) (transfer full) (element-type KioskRequest):
 *   @n entries: the request after its change, %NULL where @out_errors has one
 * @out_errors: (out) (optional) (transfer full) (element-type GError): @n
 *   entries, %NULL for a record that was applied
 *
 * Records several outcomes in ONE transaction (one fsync instead of @n),
 * each exactly as the single function of its #KioskOutboxMark would: the
 * same state-machine check, the same row change, its own event line.
 * ::request-changed is emitted for each after COMMIT, in order; ::work-due
 * at most once.
 *
 * A record that cannot be applied (unknown request, or an illegal
 * transition, e.g. a clerk marked the request handled meanwhile) is skipped:
 * nothing of it is written, the others are, and its error
 * (%KIOSK_OUTBOX_ERROR_NOT_FOUND, %KIOSK_OUTBOX_ERROR_ILLEGAL_TRANSITION) is
 * in @out_errors.  Records apply in order, so a second record for the same
 * request sees the first one's result.  Only when the database fails is the
 * whole transaction rolled back: nothing of any record is written and %FALSE
 * is returned.  (Should reading a request back after COMMIT fail, its change
 * is committed and its @out_errors entry holds the store error.)
 *
 * Returns: %TRUE when the transaction committed, %FALSE with @error set and
 *   nothing written otherwise
 */
gboolean
kiosk_outbox_apply (KioskOutbox               *self,
                    const KioskOutcomeRecord  *records,
                    guint                      n,
                    GPtrArray                **out_requests,
                    GPtrArray                **out_errors,
                    GError                   **error)
{
  g_autoptr(GPtrArray) ids = NULL;
  g_autoptr(GPtrArray) requests = NULL;
  g_autoptr(GPtrArray) errors = NULL;
  g_autoptr(GHashTable) rows = NULL;
  gint64 now;
  gboolean due = FALSE;

  g_return_val_if_fail (KIOSK_IS_OUTBOX (self), FALSE);
  g_return_val_if_fail (records != NULL || n == 0, FALSE);
  for (guint i = 0; i < n; i++)
    g_return_val_if_fail (records[i].id != NULL, FALSE);

  ids = g_ptr_array_new_full (n, g_free);
  requests = g_ptr_array_new_full (n, clear_object);
  errors = g_ptr_array_new_full (n, clear_error);
  g_ptr_array_set_size (ids, (gint) n);
  g_ptr_array_set_size (requests, (gint) n);
  g_ptr_array_set_size (errors, (gint) n);
  now = kiosk_clock_get_now (self->clock);

  if (n > 0)
    {
      if (!_kiosk_store_begin (self->store, error))
        return FALSE;

      rows = read_rows (self, records, n, error);
      if (rows == NULL)
        {
          _kiosk_store_rollback (self->store);
          return FALSE;
        }

      for (guint i = 0; i < n; i++)
        {
          GError *record_error = NULL;
          KioskRequest *row = g_hash_table_lookup (rows, records[i].id);
          KioskRequestState to;
          Change change;
          gboolean fatal = TRUE;

          outcome_to_change (&records[i], &to, &change);
          if (row != NULL && kiosk_request_get_state (row) == KIOSK_REQUEST_SENDING)
            {
              if (outcome_step (self, row, &records[i], to, &change, now, &record_error))
                {
                  requests->pdata[i] = g_object_ref (row);
                  continue;
                }
            }
          if (record_error == NULL)
            ids->pdata[i] = transition_step (self, records[i].id, to, FROM (KIOSK_REQUEST_SENDING), &change,
                                             "sync", records[i].text, now, &fatal, &record_error);
          if (ids->pdata[i] == NULL && fatal)
            {
              _kiosk_store_rollback (self->store);
              g_propagate_error (error, record_error);
              return FALSE;
            }
          errors->pdata[i] = record_error;
        }

      if (!_kiosk_store_commit (self->store, error))
        return FALSE;
    }

  for (guint i = 0; i < n; i++)
    {
      KioskRequestState to;
      Change change;

      outcome_to_change (&records[i], &to, &change);
      if (requests->pdata[i] != NULL)
        {
          /* The row as the UPDATE left it (outcome_step()). */
          g_signal_emit (self, signals[REQUEST_CHANGED], 0, requests->pdata[i]);
          if (to == KIOSK_REQUEST_QUEUED && kiosk_request_get_next_attempt (requests->pdata[i]) <= now)
            due = TRUE;
        }
      else if (ids->pdata[i] != NULL)
        requests->pdata[i] = announce (self, ids->pdata[i], to, now, &due, (GError **) &errors->pdata[i]);
    }
  if (due)
    g_signal_emit (self, signals[WORK_DUE], 0);

  if (out_requests != NULL)
    *out_requests = g_steal_pointer (&requests);
  if (out_errors != NULL)
    *out_errors = g_steal_pointer (&errors);
  return TRUE;
}

static void
kiosk_outbox_dispose (GObject *object)
{
  KioskOutbox *self = (KioskOutbox *)object;

  g_clear_object (&self->store);
  g_clear_object (&self->clock);

  G_OBJECT_CLASS (kiosk_outbox_parent_class)->dispose (object);
}

static void
kiosk_outbox_finalize (GObject *object)
{
  KioskOutbox *self = (KioskOutbox *)object;

  g_free (self->code_prefix);
  g_clear_pointer (&self->delivery, kiosk_lock_release);

  G_OBJECT_CLASS (kiosk_outbox_parent_class)->finalize (object);
}

static void
kiosk_outbox_class_init (KioskOutboxClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = kiosk_outbox_dispose;
  object_class->finalize = kiosk_outbox_finalize;

  /**
   * KioskOutbox::request-changed:
   * @request: a snapshot of the request after the change
   *
   * Emitted after a change was committed.
   */
  signals[REQUEST_CHANGED] = g_signal_new ("request-changed",
                                           G_TYPE_FROM_CLASS (klass),
                                           G_SIGNAL_RUN_LAST,
                                           0, NULL, NULL, NULL,
                                           G_TYPE_NONE, 1, KIOSK_TYPE_REQUEST);

  /**
   * KioskOutbox::work-due:
   *
   * Emitted when a request became due for delivery now.
   */
  signals[WORK_DUE] = g_signal_new ("work-due",
                                    G_TYPE_FROM_CLASS (klass),
                                    G_SIGNAL_RUN_LAST,
                                    0, NULL, NULL, NULL,
                                    G_TYPE_NONE, 0);
}

static void
kiosk_outbox_init (KioskOutbox *self)
{
}

/* One delivery owner at a time (docs/limits.md, "The delivery lock").
 *
 * Every CLI command and the kiosk open the same database.  Recovery used to
 * run on every open: `stadtkioskctl status` put the requests a running
 * `sync` was sending back to `queued`, so they were sent again (124 POSTs
 * for 40 requests), and `queue cancel` then "cancelled" a request the
 * backend was accepting.  Now the process that claims requests holds the
 * delivery lock, an flock beside the database, until it ends; only it
 * recovers, and only when it takes the lock, when every `sending` row is
 * known to be left by a process that died.  Opening recovers nothing. */
#define OWNER_WAIT_MS 500

static char *
delivery_lock_path (KioskOutbox *self)
{
  const char *db = kiosk_store_get_path (self->store);

  if (db == NULL || *db == '\0' || g_str_equal (db, ":memory:"))
    return NULL;
  return g_strconcat (db, "-delivery.lock", NULL);
}

static guint recover_stale (KioskOutbox  *self,
                            GError      **error);

/* Takes the delivery lock unless held already; taking it recovers what a
 * dead owner left `sending`.  Returns the number recovered, G_MAXUINT with
 * %KIOSK_OUTBOX_ERROR_BUSY when another process delivers. */
static guint
take_delivery (KioskOutbox  *self,
               GError      **error)
{
  g_autofree char *path = NULL;
  g_autoptr(GError) lock_error = NULL;
  guint n;

  if (self->delivery != NULL)
    return 0;
  path = delivery_lock_path (self);
  if (path == NULL)
    return recover_stale (self, error);   /* a database no other process can open */
  self->delivery = kiosk_lock_try_acquire (path, OWNER_WAIT_MS, &lock_error);
  if (self->delivery == NULL)
    {
      g_set_error (error, KIOSK_OUTBOX_ERROR, KIOSK_OUTBOX_ERROR_BUSY,
                   "another process delivers this kiosk's requests (%s); one at a time", lock_error->message);
      return G_MAXUINT;
    }
  n = recover_stale (self, error);
  if (n == G_MAXUINT)
    g_clear_pointer (&self->delivery, kiosk_lock_release);
  return n;
}

/* For a clerk's cancel or retry: a request another process is sending is
 * not touched (its answer may be on its way); one a dead process left
 * `sending` is recovered first. */
static gboolean
check_not_sent_elsewhere (KioskOutbox  *self,
                          const char   *id_or_code,
                          GError      **error)
{
  g_autoptr(KioskRequest) request = NULL;
  g_autoptr(KioskLock) lock = NULL;
  g_autoptr(GError) lock_error = NULL;
  g_autofree char *path = NULL;

  if (self->delivery != NULL)
    return TRUE;   /* we deliver: the state machine decides */
  request = kiosk_outbox_get (self, id_or_code, NULL);
  if (request == NULL || kiosk_request_get_state (request) != KIOSK_REQUEST_SENDING)
    return TRUE;
  path = delivery_lock_path (self);
  if (path == NULL)
    return recover_stale (self, error) != G_MAXUINT;
  lock = kiosk_lock_try_acquire (path, OWNER_WAIT_MS, &lock_error);
  if (lock == NULL)
    {
      g_set_error (error, KIOSK_OUTBOX_ERROR, KIOSK_OUTBOX_ERROR_BUSY,
                   "request %s is being sent right now by %s; try again when the city's system "
                   "has answered", kiosk_request_get_short_code (request), lock_error->message);
      return FALSE;
    }
  return recover_stale (self, error) != G_MAXUINT;
}

/**
 * kiosk_outbox_new:
 * @store: the open store
 * @clock: the clock for times
 * @code_prefix: the kiosk's short code prefix
 *
 * Creates the outbox.  It recovers nothing: the process that delivers does,
 * when it takes the delivery lock (kiosk_outbox_claim_due(),
 * kiosk_outbox_recover()).
 *
 * Returns: (transfer full): the outbox, or %NULL with @error set
 */
KioskOutbox *
kiosk_outbox_new (KioskStore  *store,
                  KioskClock  *clock,
                  const char  *code_prefix,
                  GError     **error)
{
  g_autoptr(KioskOutbox) self = NULL;

  g_return_val_if_fail (KIOSK_IS_STORE (store), NULL);
  g_return_val_if_fail (KIOSK_IS_CLOCK (clock), NULL);
  g_return_val_if_fail (code_prefix != NULL, NULL);

  self = g_object_new (KIOSK_TYPE_OUTBOX, NULL);
  self->store = g_object_ref (store);
  self->clock = g_object_ref (clock);
  self->code_prefix = g_strdup (code_prefix);

  return g_steal_pointer (&self);
}

/**
 * kiosk_outbox_new_short_code:
 *
 * Returns: (transfer full): a short code with this kiosk's prefix that no
 *   stored request has yet
 */
char *
kiosk_outbox_new_short_code (KioskOutbox *self)
{
  g_return_val_if_fail (KIOSK_IS_OUTBOX (self), NULL);

  for (;;)
    {
      g_autofree char *code = kiosk_short_code_generate (self->code_prefix);
      g_autoptr(KioskRequest) existing = _kiosk_outbox_read_request (self, "short_code", code, NULL);

      if (existing == NULL)
        return g_steal_pointer (&code);
    }
}

/**
 * kiosk_outbox_enqueue:
 * @draft: what the request is made of
 * @actor: (nullable): who creates it ("citizen", "clerk", "cli", "import")
 *
 * Stores a new request as `queued`, due now.  Returns only after COMMIT.
 *
 * Returns: (transfer full): the stored request, or %NULL with @error set
 *   (%KIOSK_OUTBOX_ERROR_EXISTS when @draft's id is already stored,
 *   %KIOSK_STORE_ERROR_FULL when the disk is full)
 */
KioskRequest *
kiosk_outbox_enqueue (KioskOutbox              *self,
                      const KioskRequestDraft  *draft,
                      const char               *actor,
                      GError                  **error)
{
  g_autofree char *id = NULL;
  g_autofree char *code = NULL;
  sqlite3_stmt *stmt;
  g_autoptr(KioskRequest) request = NULL;
  gint64 now;
  int rc;

  g_return_val_if_fail (KIOSK_IS_OUTBOX (self), NULL);
  g_return_val_if_fail (draft != NULL, NULL);

  if (draft->service_id == NULL || *draft->service_id == '\0' ||
      draft->locale == NULL || *draft->locale == '\0' ||
      draft->answers == NULL)
    {
      g_set_error (error, KIOSK_OUTBOX_ERROR, KIOSK_OUTBOX_ERROR_INVALID,
                   "a request needs a service, a locale and answers");
      return NULL;
    }
  if (draft->id != NULL && !g_uuid_string_is_valid (draft->id))
    {
      g_set_error (error, KIOSK_OUTBOX_ERROR, KIOSK_OUTBOX_ERROR_INVALID,
                   "'%s' is not a UUID", draft->id);
      return NULL;
    }
  if (draft->short_code != NULL && !kiosk_short_code_is_valid (draft->short_code))
    {
      g_set_error (error, KIOSK_OUTBOX_ERROR, KIOSK_OUTBOX_ERROR_INVALID,
                   "'%s' is not a valid short code", draft->short_code);
      return NULL;
    }

  id = draft->id != NULL ? g_ascii_strdown (draft->id, -1) : g_uuid_string_random ();
  code = draft->short_code != NULL ? g_strdup (draft->short_code) : kiosk_short_code_generate (self->code_prefix);
  now = kiosk_clock_get_now (self->clock);

  if (!_kiosk_store_begin (self->store, error))
    return NULL;

  stmt = _kiosk_store_prepare_cached (self->store,
                                      "INSERT INTO requests (id, short_code, service_id, service_version, locale, "
                                      "  created_us, updated_us, answers, state, attempts, next_attempt_us, flags, "
                                      "  answers_format, origin_kiosk_id, created_by, stored_us, receipt_payload) "
                                      "VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'queued', 0, ?, ?, ?, ?, ?, ?7, ?14)",
                                      error);
  if (stmt == NULL)
    goto fail;

insert:
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, code, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, draft->service_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int (stmt, 4, (int) draft->service_version);
  sqlite3_bind_text (stmt, 5, draft->locale, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 6, draft->created_us != 0 ? draft->created_us : now);
  sqlite3_bind_int64 (stmt, 7, now);
  sqlite3_bind_blob (stmt, 8, g_bytes_get_data (draft->answers, NULL),
                     (int) g_bytes_get_size (draft->answers), SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 9, now);
  sqlite3_bind_int (stmt, 10, (int) draft->flags);
  sqlite3_bind_text (stmt, 11, draft->answers_format == KIOSK_ANSWERS_SEALED ? "sealed" : "json",
                     -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 12, draft->origin_kiosk_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 13, actor != NULL ? actor : "system", -1, SQLITE_TRANSIENT);
  if (draft->receipt_payload != NULL)
    sqlite3_bind_blob (stmt, 14, g_bytes_get_data (draft->receipt_payload, NULL),
                       (int) g_bytes_get_size (draft->receipt_payload), SQLITE_TRANSIENT);
  else
    sqlite3_bind_null (stmt, 14);

  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  if (rc == SQLITE_CONSTRAINT_UNIQUE && draft->short_code == NULL)
    {
      /* 35 random bits rarely collide; when they do, draw again. */
      g_free (code);
      code = kiosk_short_code_generate (self->code_prefix);
      goto insert;
    }
  if (rc == SQLITE_CONSTRAINT_PRIMARYKEY)
    {
      g_set_error (error, KIOSK_OUTBOX_ERROR, KIOSK_OUTBOX_ERROR_EXISTS,
                   "request %s is already in the outbox", id);
      goto fail;
    }
  if (rc == SQLITE_CONSTRAINT_UNIQUE)
    {
      g_set_error (error, KIOSK_OUTBOX_ERROR, KIOSK_OUTBOX_ERROR_EXISTS,
                   "short code %s is already used by another request", code);
      goto fail;
    }
  if (rc != SQLITE_DONE)
    {
      _kiosk_store_set_error (self->store, rc, error, "cannot store the request");
      goto fail;
    }

  /* No event line: the row is the record of its creation. */
  if (!_kiosk_store_commit (self->store, error))
    return NULL;

  /* The row is what was just bound; /kiosk/outbox/enqueue checks that this
   * snapshot equals the row read back. */
  request = _kiosk_request_new_queued (draft, id, code, now);

  g_signal_emit (self, signals[REQUEST_CHANGED], 0, request);
  g_signal_emit (self, signals[WORK_DUE], 0);

  return g_steal_pointer (&request);

fail:
  _kiosk_store_rollback (self->store);
  return NULL;
}

/**
 * kiosk_outbox_get:
 * @id_or_code: a request id (UUID) or a short code as a person typed it
 *
 * Returns: (transfer full): the request, or %NULL with @error set
 */
KioskRequest *
kiosk_outbox_get (KioskOutbox  *self,
                  const char   *id_or_code,
                  GError      **error)
{
  g_autofree char *key = NULL;
  gboolean by_id;

  g_return_val_if_fail (KIOSK_IS_OUTBOX (self), NULL);
  g_return_val_if_fail (id_or_code != NULL, NULL);

  key = lookup_key (id_or_code, &by_id, error);
  if (key == NULL)
    return NULL;
  return _kiosk_outbox_read_request (self, by_id ? "id" : "short_code", key, error);
}

static void
add_to_list (KioskRequest *request,
             gpointer      list)
{
  g_ptr_array_add (list, request);
}

/**
 * kiosk_outbox_list:
 * @state: a #KioskRequestState, or -1 for all
 *
 * Returns: (transfer full) (element-type KioskRequest): requests, oldest first
 */
GPtrArray *
kiosk_outbox_list (KioskOutbox  *self,
                   int           state,
                   GError      **error)
{
  g_autoptr(GPtrArray) list = g_ptr_array_new_with_free_func (g_object_unref);

  g_return_val_if_fail (KIOSK_IS_OUTBOX (self), NULL);
  g_return_val_if_fail (state >= -1 && state < KIOSK_REQUEST_N_STATES, NULL);

  if (!kiosk_outbox_foreach (self, state, add_to_list, list, error))
    return NULL;
  return g_steal_pointer (&list);
}

static gboolean
foreach_limited (KioskOutbox             *self,
                 int                      state,
                 guint                    limit,
                 KioskOutboxForeachFunc   func,
                 gpointer                 user_data,
                 GError                 **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc;

  /* Two statements, not "?1 IS NULL OR state = ?1": SQLite cannot use the
   * index for the OR, and a state's few rows would cost a scan of all.
   * LIMIT -1 is SQLite's "no limit". */
  stmt = _kiosk_store_prepare (self->store,
                               state >= 0
                               ? "SELECT " KIOSK_REQUEST_COLUMNS " FROM requests "
                                 "WHERE state = ?1 ORDER BY created_us, id LIMIT ?2"
                               : "SELECT " KIOSK_REQUEST_COLUMNS " FROM requests ORDER BY created_us, id LIMIT ?2",
                               error);
  if (stmt == NULL)
    return FALSE;
  if (state >= 0)
    sqlite3_bind_text (stmt, 1, kiosk_request_state_to_string (state), -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, limit > 0 ? (sqlite3_int64) limit : -1);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    func (_kiosk_request_new_from_row (stmt), user_data);
  if (rc != SQLITE_DONE)
    {
      _kiosk_store_set_error (self->store, rc, error, "cannot list requests");
      return FALSE;
    }
  return TRUE;
}

/**
 * kiosk_outbox_foreach:
 * @state: a #KioskRequestState, or -1 for all
 * @func: (scope call): called with each request, oldest first; it takes
 *   the reference
 *
 * Like kiosk_outbox_list(), one request at a time: 100,000 requests are
 * listed in flat memory (`stadtkioskctl queue list` streams with it).
 * One state is read through the index on state, not the whole table.
 *
 * Returns: whether every row was read
 */
gboolean
kiosk_outbox_foreach (KioskOutbox             *self,
                      int                      state,
                      KioskOutboxForeachFunc   func,
                      gpointer                 user_data,
                      GError                 **error)
{
  g_return_val_if_fail (KIOSK_IS_OUTBOX (self), FALSE);
  g_return_val_if_fail (state >= -1 && state < KIOSK_REQUEST_N_STATES, FALSE);
  g_return_val_if_fail (func != NULL, FALSE);

  return foreach_limited (self, state, 0, func, user_data, error);
}

/**
 * kiosk_outbox_foreach_first:
 * @limit: the most requests to read; 0 for all
 *
 * As kiosk_outbox_foreach(), the oldest @limit only: the clerk page shows
 * the first few of thousands waiting, and reads no more than it shows.
 *
 * Returns: whether the rows were read
 */
gboolean
kiosk_outbox_foreach_first (KioskOutbox             *self,
                            int                      state,
                            guint                    limit,
                            KioskOutboxForeachFunc   func,
                            gpointer                 user_data,
                            GError                 **error)
{
  g_return_val_if_fail (KIOSK_IS_OUTBOX (self), FALSE);
  g_return_val_if_fail (state >= -1 && state < KIOSK_REQUEST_N_STATES, FALSE);
  g_return_val_if_fail (func != NULL, FALSE);

  return foreach_limited (self, state, limit, func, user_data, error);
}

/* Fills @counts from @sql, which gives (state, count) rows. */
static gboolean
count_states (KioskOutbox  *self,
              const char   *sql,
              guint         counts[KIOSK_REQUEST_N_STATES],
              GError      **error)
{
  sqlite3_stmt *stmt;
  int rc;

  memset (counts, 0, sizeof (guint) * KIOSK_REQUEST_N_STATES);
  /* Cached: the sync's status refresh asks during a drain. */
  stmt = _kiosk_store_prepare_cached (self->store, sql, error);
  if (stmt == NULL)
    return FALSE;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      KioskRequestState state;

      if (kiosk_request_state_from_string ((const char *) sqlite3_column_text (stmt, 0), &state))
        counts[state] = (guint) sqlite3_column_int (stmt, 1);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      _kiosk_store_set_error (self->store, rc, error, "cannot count requests");
      return FALSE;
    }
  return TRUE;
}

/**
 * kiosk_outbox_count_by_state:
 * @counts: (out caller-allocates): one count per state
 */
gboolean
kiosk_outbox_count_by_state (KioskOutbox  *self,
                             guint         counts[KIOSK_REQUEST_N_STATES],
                             GError      **error)
{
  g_return_val_if_fail (KIOSK_IS_OUTBOX (self), FALSE);
  return count_states (self, "SELECT state, count(*) FROM requests GROUP BY state", counts, error);
}

/**
 * kiosk_outbox_count_active:
 * @counts: (out caller-allocates): one count per state; those of the
 *   requests done with (cancelled, handled, purged) are 0
 *
 * kiosk_outbox_count_by_state() for the states the sync shows.  At city
 * scale the requests done with are nearly all (94,587 of 100,000 purged in
 * bench-big-state's database): counting them scanned the whole state index,
 * 10 ms on the main thread for each of the sync's status refreshes; this
 * reads only the four states' ranges of it (0.6 ms).
 */
gboolean
kiosk_outbox_count_active (KioskOutbox  *self,
                           guint         counts[KIOSK_REQUEST_N_STATES],
                           GError      **error)
{
  g_return_val_if_fail (KIOSK_IS_OUTBOX (self), FALSE);
  return count_states (self,
                       "SELECT state, count(*) FROM requests "
                       "WHERE state IN ('queued', 'sending', 'rejected', 'delivered') GROUP BY state",
                       counts, error);
}

/**
 * kiosk_outbox_list_events:
 *
 * The first line is the request's creation, from its row (seq 0, from
 * %KIOSK_REQUEST_N_STATES to queued, "created" or "imported"); the others
 * are the event log's transitions.  (Databases from before schema 6 also
 * have creation lines in the log; the row took them over.)
 *
 * Returns: (transfer full) (element-type KioskRequestEvent): the request's
 *   history, oldest first; empty for an unknown id
 */
GPtrArray *
kiosk_outbox_list_events (KioskOutbox  *self,
                          const char   *id,
                          GError      **error)
{
  g_autoptr(GPtrArray) list = g_ptr_array_new_with_free_func ((GDestroyNotify) kiosk_request_event_free);
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(sqlite3_stmt) creation = NULL;
  int rc;

  g_return_val_if_fail (KIOSK_IS_OUTBOX (self), NULL);

  creation = _kiosk_store_prepare (self->store,
                                   "SELECT stored_us, created_by, flags FROM requests WHERE id = ?",
                                   error);
  if (creation == NULL)
    return NULL;
  sqlite3_bind_text (creation, 1, id, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (creation);
  if (rc == SQLITE_ROW)
    {
      KioskRequestEvent *event = g_new0 (KioskRequestEvent, 1);

      event->seq = 0;
      event->at_us = sqlite3_column_int64 (creation, 0);
      event->from_state = KIOSK_REQUEST_N_STATES;
      event->to_state = KIOSK_REQUEST_QUEUED;
      event->actor = g_strdup ((const char *) sqlite3_column_text (creation, 1));
      event->detail = g_strdup ((sqlite3_column_int (creation, 2) & KIOSK_REQUEST_FLAG_IMPORTED)
                                ? "imported" : "created");
      g_ptr_array_add (list, event);
    }
  else if (rc != SQLITE_DONE)
    {
      _kiosk_store_set_error (self->store, rc, error, "cannot read request");
      return NULL;
    }

  stmt = _kiosk_store_prepare (self->store,
                               "SELECT seq, at_us, from_state, to_state, actor, detail FROM request_events "
                               "WHERE request_id = ? AND from_state IS NOT NULL ORDER BY seq",
                               error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_TRANSIENT);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      KioskRequestEvent *event = g_new0 (KioskRequestEvent, 1);
      const char *from = (const char *) sqlite3_column_text (stmt, 2);

      event->seq = sqlite3_column_int64 (stmt, 0);
      event->at_us = sqlite3_column_int64 (stmt, 1);
      if (from == NULL || !kiosk_request_state_from_string (from, &event->from_state))
        event->from_state = KIOSK_REQUEST_N_STATES;
      kiosk_request_state_from_string ((const char *) sqlite3_column_text (stmt, 3), &event->to_state);
      event->actor = g_strdup ((const char *) sqlite3_column_text (stmt, 4));
      event->detail = g_strdup ((const char *) sqlite3_column_text (stmt, 5));
      g_ptr_array_add (list, event);
    }
  if (rc != SQLITE_DONE)
    {
      _kiosk_store_set_error (self->store, rc, error, "cannot read events");
      return NULL;
    }
  return g_steal_pointer (&list);
}

/* Reads one integer (-1 for none).  @sql is a string literal: the
 * statement is cached (the sync's status refresh asks these during a
 * drain) and reset before returning, so no read stays open. */
static gint64
query_int64 (KioskOutbox *self,
             const char  *sql)
{
  sqlite3_stmt *stmt = _kiosk_store_prepare_cached (self->store, sql, NULL);
  gint64 value = -1;

  if (stmt == NULL)
    return -1;
  if (sqlite3_step (stmt) == SQLITE_ROW && sqlite3_column_type (stmt, 0) != SQLITE_NULL)
    value = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  return value;
}

/**
 * kiosk_outbox_get_next_due:
 *
 * Returns: the earliest next-attempt time of a queued request, or -1 if none
 */
gint64
kiosk_outbox_get_next_due (KioskOutbox *self)
{
  g_return_val_if_fail (KIOSK_IS_OUTBOX (self), -1);
  return query_int64 (self, "SELECT min (next_attempt_us) FROM requests WHERE state = 'queued'");
}

/**
 * kiosk_outbox_get_oldest_undelivered:
 *
 * Returns: the creation time of the oldest request still to be delivered
 *   (queued, sending or rejected), or -1 if none
 */
gint64
kiosk_outbox_get_oldest_undelivered (KioskOutbox *self)
{
  g_return_val_if_fail (KIOSK_IS_OUTBOX (self), -1);
  return query_int64 (self, "SELECT min (created_us) FROM requests "
                            "WHERE state IN ('queued', 'sending', 'rejected')");
}

/**
 * kiosk_outbox_get_last_delivered:
 *
 * Returns: when a request was last recorded as delivered (from the event
 *   history), or -1 if none ever was
 */
gint64
kiosk_outbox_get_last_delivered (KioskOutbox *self)
{
  g_return_val_if_fail (KIOSK_IS_OUTBOX (self), -1);
  return query_int64 (self, "SELECT max (at_us) FROM request_events WHERE to_state = 'delivered'");
}

/**
 * kiosk_outbox_claim_due:
 * @max: how many at the most
 *
 * Moves up to @max queued requests that are due to `sending` and counts an
 * attempt for each, in one transaction.
 *
 * Returns: (transfer full) (element-type KioskRequest): the claimed requests
 */
GPtrArray *
kiosk_outbox_claim_due (KioskOutbox  *self,
                        guint         max,
                        GError      **error)
{
  g_return_val_if_fail (KIOSK_IS_OUTBOX (self), NULL);

  return claim (self,
                "SELECT " KIOSK_REQUEST_COLUMNS " FROM requests "
                "WHERE state = 'queued' AND next_attempt_us <= ?1 "
                "ORDER BY next_attempt_us, created_us LIMIT ?4",
                "UPDATE requests SET state = 'sending', attempts = attempts + 1, updated_us = ?1 "
                "WHERE id IN (SELECT value FROM json_each (?3))",
                "INSERT INTO request_events (request_id, at_us, from_state, to_state, actor) "
                "SELECT value, ?1, 'queued', 'sending', 'sync' FROM json_each (?2) ORDER BY key",
                NULL, NULL, max, NULL, error);
}

/**
 * kiosk_outbox_mark_delivered:
 * @remote_ref: (nullable): the reference the backend gave
 *
 * `sending` → `delivered`.
 */
KioskRequest *
kiosk_outbox_mark_delivered (KioskOutbox  *self,
                             const char   *id,
                             const char   *remote_ref,
                             GError      **error)
{
  KioskOutcomeRecord record = { .id = id, .mark = KIOSK_OUTBOX_MARK_DELIVERED, .text = remote_ref };

  g_return_val_if_fail (KIOSK_IS_OUTBOX (self), NULL);
  return transition_outcome (self, &record, error);
}

/**
 * kiosk_outbox_mark_retry:
 * @next_attempt_us: when to try again
 * @why: what went wrong, in plain words for a clerk
 *
 * `sending` → `queued`, due at @next_attempt_us.
 */
KioskRequest *
kiosk_outbox_mark_retry (KioskOutbox  *self,
                         const char   *id,
                         gint64        next_attempt_us,
                         const char   *why,
                         GError      **error)
{
  KioskOutcomeRecord record = { .id = id, .mark = KIOSK_OUTBOX_MARK_RETRY, .text = why,
                                .next_attempt_us = next_attempt_us };

  g_return_val_if_fail (KIOSK_IS_OUTBOX (self), NULL);
  return transition_outcome (self, &record, error);
}

/**
 * kiosk_outbox_release:
 *
 * `sending` → `queued` without blaming the request, e.g. when the whole
 * queue pauses because the configuration is wrong.  The attempt it counted
 * stays counted.
 */
KioskRequest *
kiosk_outbox_release (KioskOutbox  *self,
                      const char   *id,
                      const char   *why,
                      GError      **error)
{
  KioskOutcomeRecord record = { .id = id, .mark = KIOSK_OUTBOX_MARK_RELEASE, .text = why };

  g_return_val_if_fail (KIOSK_IS_OUTBOX (self), NULL);
  return transition_outcome (self, &record, error);
}

/**
 * kiosk_outbox_mark_rejected:
 * @message: what the backend said, for a clerk
 *
 * `sending` → `rejected`.
 */
KioskRequest *
kiosk_outbox_mark_rejected (KioskOutbox  *self,
                            const char   *id,
                            const char   *message,
                            GError      **error)
{
  KioskOutcomeRecord record = { .id = id, .mark = KIOSK_OUTBOX_MARK_REJECTED, .text = message };

  g_return_val_if_fail (KIOSK_IS_OUTBOX (self), NULL);
  return transition_outcome (self, &record, error);
}

/**
 * kiosk_outbox_retry_now:
 *
 * A queued request becomes due now; a rejected one is re-queued, due now.
 */
KioskRequest *
kiosk_outbox_retry_now (KioskOutbox  *self,
                        const char   *id,
                        const char   *actor,
                        GError      **error)
{
  Change change = { .set_next_attempt = TRUE, .next_attempt_us = 0 };

  g_return_val_if_fail (KIOSK_IS_OUTBOX (self), NULL);

  change.next_attempt_us = kiosk_clock_get_now (self->clock);
  if (!check_not_sent_elsewhere (self, id, error))
    return NULL;
  return transition (self, id, KIOSK_REQUEST_QUEUED,
                     FROM (KIOSK_REQUEST_QUEUED) | FROM (KIOSK_REQUEST_REJECTED),
                     &change, actor, "retry now", error);
}

/**
 * kiosk_outbox_cancel:
 * @reason: why, for the record; required
 *
 * `queued` or `rejected` → `cancelled`.
 */
KioskRequest *
kiosk_outbox_cancel (KioskOutbox  *self,
                     const char   *id,
                     const char   *reason,
                     const char   *actor,
                     GError      **error)
{
  Change change = { .set_last_error = TRUE, .last_error = reason };

  g_return_val_if_fail (KIOSK_IS_OUTBOX (self), NULL);

  if (reason == NULL || *reason == '\0')
    {
      g_set_error (error, KIOSK_OUTBOX_ERROR, KIOSK_OUTBOX_ERROR_INVALID,
                   "cancelling a request needs a reason");
      return NULL;
    }
  if (!check_not_sent_elsewhere (self, id, error))
    return NULL;
  return transition (self, id, KIOSK_REQUEST_CANCELLED, 0, &change, actor, reason, error);
}

/**
 * kiosk_outbox_mark_handled:
 *
 * Any state → `handled`: the request was dealt with at the counter.
 */
KioskRequest *
kiosk_outbox_mark_handled (KioskOutbox  *self,
                           const char   *id,
                           const char   *detail,
                           const char   *actor,
                           GError      **error)
{
  g_return_val_if_fail (KIOSK_IS_OUTBOX (self), NULL);
  return transition (self, id, KIOSK_REQUEST_HANDLED, 0, NULL, actor, detail, error);
}

/**
 * kiosk_outbox_purge:
 * @detail: why, for the history ("retention of 90 days over")
 *
 * `delivered`, `handled` or `cancelled` → `purged`: the answers are erased
 * (set to NULL; with secure_delete the old bytes are overwritten, see
 * kiosk-purge.c); id, short code, service, times and history stay.
 */
KioskRequest *
kiosk_outbox_purge (KioskOutbox  *self,
                    const char   *id,
                    const char   *detail,
                    GError      **error)
{
  g_return_val_if_fail (KIOSK_IS_OUTBOX (self), NULL);
  return transition (self, id, KIOSK_REQUEST_PURGED,
                     FROM (KIOSK_REQUEST_DELIVERED) | FROM (KIOSK_REQUEST_HANDLED) | FROM (KIOSK_REQUEST_CANCELLED),
                     NULL, "system", detail, error);
}

/**
 * kiosk_outbox_purge_many:
 * @ids: (array length=n): request ids
 * @details: (array length=n): why, for each one's history
 * @updated_us: (array length=n) (nullable): each one's last change as the
 *   caller saw it; a request changed since (a clerk handled it) is skipped,
 *   its retention starts again
 *
 * kiosk_outbox_purge() for several requests in ONE transaction: one fsync
 * for all, where the purge of 45,000 requests one by one took minutes
 * (#18).  A request that is gone, not done with, or changed since is
 * skipped; ::request-changed is emitted for each one purged, after COMMIT.
 *
 * Returns: how many were purged, or %G_MAXUINT with @error set and
 *   nothing written
 */
guint
kiosk_outbox_purge_many (KioskOutbox        *self,
                         const char *const  *ids,
                         const char *const  *details,
                         const gint64       *updated_us,
                         guint               n,
                         GError            **error)
{
  g_autoptr(GPtrArray) purged = NULL;
  gint64 now;

  g_return_val_if_fail (KIOSK_IS_OUTBOX (self), G_MAXUINT);
  g_return_val_if_fail (ids != NULL || n == 0, G_MAXUINT);
  g_return_val_if_fail (details != NULL || n == 0, G_MAXUINT);

  if (n == 0)
    return 0;

  purged = g_ptr_array_new_full (n, g_free);
  now = kiosk_clock_get_now (self->clock);
  if (!_kiosk_store_begin (self->store, error))
    return G_MAXUINT;

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GError) step_error = NULL;
      gboolean fatal = FALSE;
      char *id = NULL;

      if (updated_us != NULL)
        {
          /* Changed since the caller looked: its retention starts again.
           * Its state and time only: the answers are what is erased. */
          g_autofree char *current_id = NULL;
          g_autofree char *current_code = NULL;
          KioskRequestState current_state;
          gint64 current_updated = 0;

          if (!read_state (self, ids[i], &current_id, &current_code, &current_state, &current_updated, &step_error))
            fatal = step_error->domain != KIOSK_OUTBOX_ERROR && step_error->domain != KIOSK_SHORT_CODE_ERROR;
          else if (current_updated != updated_us[i])
            continue;
        }

      if (step_error == NULL)
        id = transition_step (self, ids[i], KIOSK_REQUEST_PURGED,
                              FROM (KIOSK_REQUEST_DELIVERED) | FROM (KIOSK_REQUEST_HANDLED) | FROM (KIOSK_REQUEST_CANCELLED),
                              NULL, "system", details[i], now, &fatal, &step_error);
      if (id != NULL)
        g_ptr_array_add (purged, id);
      else if (fatal)
        {
          _kiosk_store_rollback (self->store);
          g_propagate_error (error, g_steal_pointer (&step_error));
          return G_MAXUINT;
        }
    }

  if (!_kiosk_store_commit (self->store, error))
    return G_MAXUINT;

  for (guint i = 0; i < purged->len; i++)
    {
      g_autoptr(KioskRequest) after = NULL;
      g_autoptr(GError) read_error = NULL;
      gboolean due = FALSE;

      /* Committed: a failing read-back only costs the listeners a line. */
      after = announce (self, purged->pdata[i], KIOSK_REQUEST_PURGED, now, &due, &read_error);
      if (after == NULL)
        g_debug ("purged %s, cannot read it back: %s", (const char *) purged->pdata[i], read_error->message);
    }
  return purged->len;
}

/**
 * kiosk_outbox_foreach_age:
 * @func: (scope call): called with each request of @state
 *
 * Lists id, service and last change of every request in @state, in no
 * particular order, without reading or decoding anyone's answers.
 *
 * Returns: whether every row was read
 */
gboolean
kiosk_outbox_foreach_age (KioskOutbox         *self,
                          KioskRequestState    state,
                          KioskOutboxAgeFunc   func,
                          gpointer             user_data,
                          GError             **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc;

  g_return_val_if_fail (KIOSK_IS_OUTBOX (self), FALSE);
  g_return_val_if_fail (state >= 0 && state < KIOSK_REQUEST_N_STATES, FALSE);
  g_return_val_if_fail (func != NULL, FALSE);

  stmt = _kiosk_store_prepare (self->store,
                               "SELECT id, service_id, updated_us FROM requests WHERE state = ?1",
                               error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, kiosk_request_state_to_string (state), -1, SQLITE_STATIC);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    func ((const char *) sqlite3_column_text (stmt, 0),
          (const char *) sqlite3_column_text (stmt, 1),
          sqlite3_column_int64 (stmt, 2),
          user_data);
  if (rc != SQLITE_DONE)
    {
      _kiosk_store_set_error (self->store, rc, error, "cannot list requests");
      return FALSE;
    }
  return TRUE;
}

/**
 * kiosk_outbox_recover:
 *
 * Makes this process the delivery owner and puts every `sending` request a
 * dead owner left back to `queued`, due now.  kiosk_outbox_claim_due() does
 * this by itself the first time.
 *
 * Returns: how many were recovered, or %G_MAXUINT with @error set
 *   (%KIOSK_OUTBOX_ERROR_BUSY when another process delivers)
 */
guint
kiosk_outbox_recover (KioskOutbox  *self,
                      GError      **error)
{
  g_return_val_if_fail (KIOSK_IS_OUTBOX (self), G_MAXUINT);

  /* Already the owner: what is `sending` is ours, in flight. */
  if (self->delivery != NULL)
    return 0;
  return take_delivery (self, error);
}

static guint
recover_stale (KioskOutbox  *self,
               GError      **error)
{
  g_autoptr(GPtrArray) sending = NULL;

  sending = kiosk_outbox_list (self, KIOSK_REQUEST_SENDING, error);
  if (sending == NULL)
    return G_MAXUINT;

  for (guint i = 0; i < sending->len; i++)
    {
      g_autoptr(KioskRequest) request = NULL;

      request = transition (self, kiosk_request_get_id (sending->pdata[i]), KIOSK_REQUEST_QUEUED,
                            FROM (KIOSK_REQUEST_SENDING), NULL, "system",
                            "recovered after a restart: was being sent", error);
      if (request == NULL)
        return G_MAXUINT;
    }
  return sending->len;
}

/* Routing: which target delivers a request --------------------------------
 *
 * A request's target is the `target` column once it was handed to one
 * (claimed for it), else what the active catalogue says for its service
 * (the temporary table `routes`, filled by kiosk_outbox_set_routes()), else
 * the default target.  Claiming pins it: a request whose attempt may have
 * reached a target is never re-sent elsewhere. */

#define ROUTED_TARGET \
  "COALESCE (r.target, (SELECT target FROM temp.kiosk_routes WHERE service_id = r.service_id), ?2)"

/**
 * kiosk_outbox_set_routes:
 * @routes: (element-type utf8 utf8): service id -> target name for each
 *   service the catalogue names a target for
 *
 * Replaces the routing table this outbox's claims and queries use.
 */
gboolean
kiosk_outbox_set_routes (KioskOutbox  *self,
                         GHashTable   *routes,
                         GError      **error)
{
  g_autoptr(sqlite3_stmt) insert = NULL;
  GHashTableIter iter;
  gpointer key, value;

  g_return_val_if_fail (KIOSK_IS_OUTBOX (self), FALSE);
  g_return_val_if_fail (routes != NULL, FALSE);

  /* A temporary table lives in this connection only and is never synced
   * to disk: it costs no fsync and no other process sees it. */
  if (!_kiosk_store_exec (self->store,
                          "CREATE TEMP TABLE IF NOT EXISTS kiosk_routes ("
                          "  service_id TEXT PRIMARY KEY, target TEXT NOT NULL);"
                          "DELETE FROM temp.kiosk_routes;", error))
    return FALSE;
  insert = _kiosk_store_prepare (self->store, "INSERT INTO temp.kiosk_routes (service_id, target) VALUES (?, ?)",
                                 error);
  if (insert == NULL)
    return FALSE;
  g_hash_table_iter_init (&iter, routes);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      sqlite3_reset (insert);
      sqlite3_bind_text (insert, 1, key, -1, SQLITE_STATIC);
      sqlite3_bind_text (insert, 2, value, -1, SQLITE_STATIC);
      if (!_kiosk_store_step_done (self->store, insert, error))
        return FALSE;
    }
  return TRUE;
}

static char *
targets_to_json (const char * const *targets)
{
  g_autoptr(GString) json = g_string_new ("[");

  for (guint i = 0; targets != NULL && targets[i] != NULL; i++)
    {
      /* Target names are fixed words ("submission", "open311", …). */
      g_assert (strpbrk (targets[i], "\"\\") == NULL);
      g_string_append_printf (json, "%s\"%s\"", i > 0 ? "," : "", targets[i]);
    }
  g_string_append_c (json, ']');
  return g_string_free (g_steal_pointer (&json), FALSE);
}

/**
 * kiosk_outbox_claim_due_for:
 * @targets: the targets that can deliver now
 * @default_target: the target of a service the routes do not name
 * @max: how many at the most
 * @out_targets: (out) (element-type utf8): the target of each claimed request
 *
 * kiosk_outbox_claim_due() for the requests that one of @targets delivers
 * (see kiosk_outbox_set_routes()); each claimed request is pinned to its
 * target.
 *
 * Returns: (transfer full) (element-type KioskRequest): the claimed requests
 */
GPtrArray *
kiosk_outbox_claim_due_for (KioskOutbox         *self,
                            const char * const  *targets,
                            const char          *default_target,
                            guint                max,
                            GPtrArray          **out_targets,
                            GError             **error)
{
  g_autofree char *targets_json = NULL;

  g_return_val_if_fail (KIOSK_IS_OUTBOX (self), NULL);
  g_return_val_if_fail (default_target != NULL, NULL);
  g_return_val_if_fail (out_targets != NULL, NULL);

  targets_json = targets_to_json (targets);
  /* The UPDATE pins each request to the target the SELECT chose for it:
   * the same expression, in the same transaction. */
  return claim (self,
                "SELECT " KIOSK_REQUEST_COLUMNS ", " ROUTED_TARGET " AS t FROM requests r "
                "WHERE r.state = 'queued' AND r.next_attempt_us <= ?1 "
                "  AND t IN (SELECT value FROM json_each (?3)) "
                "ORDER BY r.next_attempt_us, r.created_us LIMIT ?4",
                "UPDATE requests AS r SET state = 'sending', attempts = attempts + 1, updated_us = ?1, "
                "  target = " ROUTED_TARGET " "
                "WHERE id IN (SELECT value FROM json_each (?3))",
                "INSERT INTO request_events (request_id, at_us, from_state, to_state, actor, detail) "
                "SELECT r.id, ?1, 'queued', 'sending', 'sync', r.target "
                "FROM json_each (?2) AS j JOIN requests AS r ON r.id = j.value ORDER BY j.key",
                targets_json, default_target, max, out_targets, error);
}

/**
 * kiosk_outbox_get_next_due_for:
 *
 * kiosk_outbox_get_next_due() for the requests one of @targets delivers.
 *
 * Returns: the earliest next-attempt time, or -1 if none
 */
gint64
kiosk_outbox_get_next_due_for (KioskOutbox        *self,
                               const char * const *targets,
                               const char         *default_target)
{
  sqlite3_stmt *stmt;
  g_autofree char *targets_json = targets_to_json (targets);
  gint64 value = -1;

  g_return_val_if_fail (KIOSK_IS_OUTBOX (self), -1);

  stmt = _kiosk_store_prepare_cached (self->store,
                                      "SELECT min (r.next_attempt_us) FROM requests r WHERE r.state = 'queued' "
                                      "  AND " ROUTED_TARGET " IN (SELECT value FROM json_each (?3))",
                                      NULL);
  if (stmt == NULL)
    return -1;
  sqlite3_bind_text (stmt, 2, default_target, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, targets_json, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) == SQLITE_ROW && sqlite3_column_type (stmt, 0) != SQLITE_NULL)
    value = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  return value;
}

/**
 * kiosk_outbox_dup_waiting_service:
 * @target: a target name
 *
 * Returns: (transfer full) (nullable): the service of a queued request that
 *   @target delivers, or %NULL when none waits for it
 */
char *
kiosk_outbox_dup_waiting_service (KioskOutbox *self,
                                  const char  *target,
                                  const char  *default_target)
{
  sqlite3_stmt *stmt;
  char *service = NULL;

  g_return_val_if_fail (KIOSK_IS_OUTBOX (self), NULL);

  stmt = _kiosk_store_prepare_cached (self->store,
                                      "SELECT r.service_id FROM requests r WHERE r.state = 'queued' "
                                      "  AND " ROUTED_TARGET " = ?3 LIMIT 1",
                                      NULL);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 2, default_target, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, target, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    service = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_reset (stmt);
  return service;
}

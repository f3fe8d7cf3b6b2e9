/* kiosk-info-cache.c: info documents fetched in the background, kept offline
 *
 * Each card's last good document is kept in the table info_cache, created
 * here with CREATE TABLE IF NOT EXISTS rather than as a numbered migration
 * of KioskStore: the cache can always be fetched again, so it needs no
 * upgrade path, and it stays out of the store's schema history.
 *
 * A document replaces the cached one only after kiosk_info_parse() accepted
 * it; a failed, refused or oversized fetch records its error beside the old
 * copy and leaves the copy alone.
 *
 * Threads: like the store, everything here runs on the store's thread.
 *
 * SPDX-FileCopyrightText: 2026 Stadtkiosk contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "kiosk-info"

#include "config.h"

#include "kiosk-info.h"

#include "kiosk-i18n-private.h"
#include <libsoup/soup.h>
#include <sqlite3.h>

#include <string.h>

#include "kiosk-http.h"
#include "kiosk-info-private.h"
#include "kiosk-store-private.h"

static const char create_sql[] =
  "CREATE TABLE IF NOT EXISTS info_cache ("
  "  card_id       TEXT PRIMARY KEY,"
  "  url           TEXT NOT NULL,"
  "  body          BLOB,"            /* the last good document, NULL before the first */
  "  etag          TEXT,"
  "  last_modified TEXT,"
  "  fetched_at    INTEGER NOT NULL DEFAULT 0," /* µs: the copy arrived or was confirmed */
  "  checked_at    INTEGER NOT NULL DEFAULT 0," /* µs: the last attempt */
  "  error         TEXT"             /* the last attempt's failure, NULL if none */
  ")";

static gboolean
ensure_table (KioskStore  *store,
              GError     **error)
{
  sqlite3 *db = _kiosk_store_get_db (store);
  char *message = NULL;

  if (g_object_get_data (G_OBJECT (store), "kiosk-info-cache") != NULL)
    return TRUE;
  if (sqlite3_exec (db, create_sql, NULL, NULL, &message) != SQLITE_OK)
    {
      g_set_error (error, KIOSK_INFO_ERROR, KIOSK_INFO_ERROR_STORE, "creating the info cache: %s",
                   message != NULL ? message : sqlite3_errmsg (db));
      sqlite3_free (message);
      return FALSE;
    }
  g_object_set_data (G_OBJECT (store), "kiosk-info-cache", GINT_TO_POINTER (1));
  return TRUE;
}

static char *
dup_column_text (sqlite3_stmt *stmt,
                 int           column)
{
  const unsigned char *text = sqlite3_column_text (stmt, column);

  return text != NULL ? g_strdup ((const char *) text) : NULL;
}

void
kiosk_info_entry_free (KioskInfoEntry *entry)
{
  if (entry == NULL)
    return;
  g_free (entry->card_id);
  g_free (entry->url);
  g_clear_pointer (&entry->body, g_bytes_unref);
  g_free (entry->etag);
  g_free (entry->last_modified);
  g_free (entry->error);
  g_free (entry);
}

/**
 * kiosk_info_cache_lookup:
 * @store: the kiosk's store
 * @card_id: a card id
 * @error: where a database failure is explained
 *
 * Returns: (transfer full) (nullable): the card's cache row; %NULL without
 *   @error when the card was never fetched.
 */
KioskInfoEntry *
kiosk_info_cache_lookup (KioskStore  *store,
                         const char  *card_id,
                         GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  sqlite3 *db;
  KioskInfoEntry *entry;
  int rc;

  g_return_val_if_fail (KIOSK_IS_STORE (store), NULL);
  g_return_val_if_fail (card_id != NULL, NULL);

  if (!ensure_table (store, error))
    return NULL;
  db = _kiosk_store_get_db (store);
  if (sqlite3_prepare_v2 (db, "SELECT url, body, etag, last_modified, fetched_at, checked_at, error "
                          "FROM info_cache WHERE card_id = ?", -1, &stmt, NULL) != SQLITE_OK
      || sqlite3_bind_text (stmt, 1, card_id, -1, SQLITE_TRANSIENT) != SQLITE_OK)
    {
      g_set_error (error, KIOSK_INFO_ERROR, KIOSK_INFO_ERROR_STORE, "reading the info cache: %s", sqlite3_errmsg (db));
      return NULL;
    }
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_DONE)
    return NULL;
  if (rc != SQLITE_ROW)
    {
      g_set_error (error, KIOSK_INFO_ERROR, KIOSK_INFO_ERROR_STORE, "reading the info cache: %s", sqlite3_errmsg (db));
      return NULL;
    }
  entry = g_new0 (KioskInfoEntry, 1);
  entry->card_id = g_strdup (card_id);
  entry->url = dup_column_text (stmt, 0);
  if (sqlite3_column_type (stmt, 1) != SQLITE_NULL)
    entry->body = g_bytes_new (sqlite3_column_blob (stmt, 1), sqlite3_column_bytes (stmt, 1));
  entry->etag = dup_column_text (stmt, 2);
  entry->last_modified = dup_column_text (stmt, 3);
  entry->fetched_at = sqlite3_column_int64 (stmt, 4);
  entry->checked_at = sqlite3_column_int64 (stmt, 5);
  entry->error = dup_column_text (stmt, 6);
  return entry;
}

/* @body NULL: keep the stored body (and its fetched_at unless @confirmed). */
static gboolean
cache_write (KioskStore  *store,
             const char  *card_id,
             const char  *url,
             GBytes      *body,
             const char  *etag,
             const char  *last_modified,
             gboolean     confirmed,
             gint64       now_us,
             const char  *failure,
             GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  sqlite3 *db = _kiosk_store_get_db (store);
  const char *sql;

  if (!ensure_table (store, error))
    return FALSE;
  if (body != NULL)
    sql = "INSERT INTO info_cache (card_id, url, body, etag, last_modified, fetched_at, checked_at, error) "
          "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6, NULL) "
          "ON CONFLICT (card_id) DO UPDATE SET url = ?2, body = ?3, etag = ?4, last_modified = ?5, "
          "fetched_at = ?6, checked_at = ?6, error = NULL";
  else if (confirmed)
    sql = "UPDATE info_cache SET fetched_at = ?6, checked_at = ?6, error = NULL WHERE card_id = ?1";
  else
    sql = "INSERT INTO info_cache (card_id, url, checked_at, error) VALUES (?1, ?2, ?6, ?7) "
          "ON CONFLICT (card_id) DO UPDATE SET checked_at = ?6, error = ?7";
  if (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL) != SQLITE_OK)
    goto fail;
  if (sqlite3_bind_text (stmt, 1, card_id, -1, SQLITE_TRANSIENT) != SQLITE_OK
      || sqlite3_bind_int64 (stmt, 6, now_us) != SQLITE_OK)
    goto fail;
  if (sqlite3_bind_parameter_index (stmt, "?2") > 0
      && sqlite3_bind_text (stmt, 2, url, -1, SQLITE_TRANSIENT) != SQLITE_OK)
    goto fail;
  if (body != NULL)
    {
      gsize len;
      const void *data = g_bytes_get_data (body, &len);

      if (sqlite3_bind_blob64 (stmt, 3, data, len, SQLITE_TRANSIENT) != SQLITE_OK
          || sqlite3_bind_text (stmt, 4, etag, -1, SQLITE_TRANSIENT) != SQLITE_OK
          || sqlite3_bind_text (stmt, 5, last_modified, -1, SQLITE_TRANSIENT) != SQLITE_OK)
        goto fail;
    }
  if (sqlite3_bind_parameter_index (stmt, "?7") > 0
      && sqlite3_bind_text (stmt, 7, failure, -1, SQLITE_TRANSIENT) != SQLITE_OK)
    goto fail;
  if (sqlite3_step (stmt) != SQLITE_DONE)
    goto fail;
  return TRUE;

fail:
  g_set_error (error, KIOSK_INFO_ERROR, KIOSK_INFO_ERROR_STORE, "writing the info cache: %s", sqlite3_errmsg (db));
  return FALSE;
}

KioskInfoState
kiosk_info_entry_get_state (KioskInfoEntry *entry,
                            gint64          now_us,
                            guint           stale_hours)
{
  if (entry != NULL && entry->body == NULL && entry->error != NULL)
    return KIOSK_INFO_STATE_UNREACHABLE;
  if (entry == NULL || entry->body == NULL)
    return KIOSK_INFO_STATE_NONE;
  if (now_us - entry->fetched_at > (gint64) stale_hours * 3600 * G_USEC_PER_SEC)
    return KIOSK_INFO_STATE_STALE;
  if (entry->error != NULL)
    return KIOSK_INFO_STATE_FAILED;
  return KIOSK_INFO_STATE_OK;
}

const char *
kiosk_info_state_to_string (KioskInfoState state)
{
  switch (state)
    {
    case KIOSK_INFO_STATE_NONE: return "none";
    case KIOSK_INFO_STATE_OK: return "ok";
    case KIOSK_INFO_STATE_FAILED: return "failed";
    case KIOSK_INFO_STATE_STALE: return "stale";
    case KIOSK_INFO_STATE_UNREACHABLE: return "unreachable";
    default: return "unknown";
    }
}

/**
 * kiosk_info_format_stand:
 * @fetched_at_us: when the copy was fetched, Unix µs
 *
 * Returns: (transfer full): "Stand: 07.12.2026, 14:05" (in German) in
 *   local time, the line every card shows under its content.
 */
char *
kiosk_info_format_stand (gint64 fetched_at_us)
{
  g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (fetched_at_us / G_USEC_PER_SEC);
  g_autoptr(GDateTime) local = utc != NULL ? g_date_time_to_local (utc) : NULL;
  /* Translators: date and time data was fetched, see g_date_time_format() */
  g_autofree char *when = local != NULL ? g_date_time_format (local, _("%m/%d/%Y, %H:%M")) : g_strdup ("?");

  /* Translators: "Stand: 07.12.2026, 14:05" in German: how old the data shown is. */
  return g_strdup_printf (_("As of %s"), when);
}

/**
 * kiosk_info_load_items:
 * @store: the kiosk's store
 * @card: a card
 * @out_fetched_at: (out) (optional): when the copy was fetched, Unix µs
 * @error: where a failure is explained
 *
 * Reads the card's cached copy.  Returns: (transfer full) (nullable): its
 * items; an empty array when there is no copy yet.
 */
GPtrArray *
kiosk_info_load_items (KioskStore     *store,
                       KioskInfoCard  *card,
                       gint64         *out_fetched_at,
                       GError        **error)
{
  g_autoptr(KioskInfoEntry) entry = NULL;
  g_autoptr(GError) local_error = NULL;

  entry = kiosk_info_cache_lookup (store, kiosk_info_card_get_id (card), &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  if (out_fetched_at != NULL)
    *out_fetched_at = entry != NULL && entry->body != NULL ? entry->fetched_at : 0;
  if (entry == NULL || entry->body == NULL)
    return g_ptr_array_new_with_free_func ((GDestroyNotify) kiosk_info_item_free);
  return kiosk_info_parse (card, entry->body, error);
}

/**
 * kiosk_info_collect_stale:
 * @store: the kiosk's store
 * @stale_hours: [info] stale-hours
 * @now_us: the kiosk's time
 *
 * The active catalogue's cards whose copy is older than @stale_hours, or
 * that never got one although the kiosk tried: messages for an admin.
 * Never fails: a problem reading is itself a message.
 *
 * Returns: (transfer full) (element-type utf8): the messages
 */
GPtrArray *
kiosk_info_collect_stale (KioskStore *store,
                          guint       stale_hours,
                          gint64      now_us)
{
  g_autoptr(GPtrArray) messages = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;
  g_autoptr(KioskCatalog) catalog = NULL;
  GPtrArray *cards;

  g_return_val_if_fail (KIOSK_IS_STORE (store), NULL);

  catalog = kiosk_catalog_load_active (store, &error);
  if (catalog == NULL)
    return g_steal_pointer (&messages);
  cards = kiosk_catalog_get_info_cards (catalog);
  for (guint i = 0; i < cards->len; i++)
    {
      KioskInfoCard *card = cards->pdata[i];
      g_autoptr(KioskInfoEntry) entry = kiosk_info_cache_lookup (store, kiosk_info_card_get_id (card), &error);
      KioskInfoState state;

      if (error != NULL)
        {
          g_ptr_array_add (messages, g_strdup_printf (_("Information cards cannot be read: %s"), error->message));
          break;
        }
      state = kiosk_info_entry_get_state (entry, now_us, stale_hours);
      if (state == KIOSK_INFO_STATE_STALE)
        g_ptr_array_add (messages,
                         g_strdup_printf (_("Information card \"%s\" shows data older than %u h (fetched %.1f h ago; last error: %s)."),
                                          kiosk_info_card_get_id (card), stale_hours,
                                          (double) (now_us - entry->fetched_at) / (3600.0 * G_USEC_PER_SEC),
                                          entry->error != NULL ? entry->error : "—"));
      else if (state == KIOSK_INFO_STATE_UNREACHABLE && kiosk_info_card_is_local (card))
        g_ptr_array_add (messages,
                         g_strdup_printf (_("Information card \"%s\" fetches from this machine (%s), as the demo "
                                            "catalogue's cards do, and has never got an answer. Put the city's own "
                                            "sources into the catalogue."),
                                          kiosk_info_card_get_id (card), kiosk_info_card_get_url (card)));
      else if (state == KIOSK_INFO_STATE_UNREACHABLE)
        g_ptr_array_add (messages,
                         g_strdup_printf (_("Information card \"%s\" has never been fetched: %s"),
                                          kiosk_info_card_get_id (card), entry->error));
    }
  return g_steal_pointer (&messages);
}

/* The fetch ----------------------------------------------------------- */

void
kiosk_info_pull_result_free (KioskInfoPullResult *result)
{
  if (result == NULL)
    return;
  g_free (result->card_id);
  g_free (result->error);
  g_free (result);
}

typedef struct
{
  KioskStore           *store;
  KioskClock           *clock;
  GPtrArray            *cards;
  KioskInfoPullOptions  options;
  char                 *ckan_url;      /* options.ckan_url, owned */
  char                 *pin_sha256;    /* options.pin_sha256, lower case, owned; NULL for none */
  char                 *portal_host;   /* the host of ckan-url, lower case; NULL: the pin and CA file serve every host */
  gboolean              own_ca;        /* options.ca_file is set */
  char                 *setup_error;   /* the CA file could not be read: every card fails with it */
  guint                 index;
  GPtrArray            *results;
  SoupSession          *session;
  /* the card being fetched */
  SoupMessage          *message;
  char                 *url;           /* what is being fetched for the card (CKAN: the resource) */
  gboolean              resolving;     /* fetching a CKAN package_show, not the document */
  guint                 redirects;     /* same-origin redirects followed for this card */
  GCancellable         *cancellable;   /* cancelled by the caller */
} Pull;

/* Redirects within the portal's origin are followed up to this many times;
 * one to another origin is refused, as the delivery targets refuse theirs. */
#define MAX_REDIRECTS 4

#define PIN_MISMATCH "TLS failure: the server certificate does not match [info] pin-sha256"

static void
clear_message (Pull *pull)
{
  if (pull->message != NULL)
    g_signal_handlers_disconnect_by_data (pull->message, pull);
  g_clear_object (&pull->message);
}

static void
pull_free (Pull *pull)
{
  g_clear_object (&pull->store);
  g_clear_object (&pull->clock);
  g_clear_pointer (&pull->cards, g_ptr_array_unref);
  g_clear_pointer (&pull->results, g_ptr_array_unref);
  clear_message (pull);
  g_clear_object (&pull->session);
  g_clear_object (&pull->cancellable);
  g_free (pull->url);
  g_free (pull->ckan_url);
  g_free (pull->pin_sha256);
  g_free (pull->portal_host);
  g_free (pull->setup_error);
  g_free (pull);
}

static void pull_next (GTask *task);
static void ckan_resolved (GTask *task, GBytes *body);
static void send_get (GTask *task, const char *url);

static void
card_done (GTask      *task,
           GBytes     *body,
           gboolean    confirmed,
           const char *failure)
{
  Pull *pull = g_task_get_task_data (task);
  KioskInfoCard *card = pull->cards->pdata[pull->index];
  KioskInfoPullResult *result = g_new0 (KioskInfoPullResult, 1);
  g_autoptr(GError) error = NULL;
  g_autofree char *refused = NULL;
  gint64 now = kiosk_clock_get_now (pull->clock);
  SoupMessageHeaders *headers = pull->message != NULL ? soup_message_get_response_headers (pull->message) : NULL;

  result->card_id = g_strdup (kiosk_info_card_get_id (card));
  /* Stopped by the caller (the page went away): nothing to record. */
  if (g_task_get_cancellable (task) != NULL && g_cancellable_is_cancelled (g_task_get_cancellable (task)))
    {
      kiosk_info_pull_result_free (result);
      clear_message (pull);
      pull_next (task);
      return;
    }
  if (body != NULL)
    {
      g_autoptr(GPtrArray) items = kiosk_info_parse (card, body, &error);

      if (items == NULL)
        {
          refused = g_strdup_printf ("refused: %s", error->message);
          failure = refused;
          body = NULL;
          g_clear_error (&error);
        }
    }
  if (failure != NULL)
    g_info ("%s: %s; keeping the last good copy", result->card_id, failure);
  if (!cache_write (pull->store, result->card_id, pull->url != NULL ? pull->url : "", body,
                    headers != NULL ? soup_message_headers_get_one (headers, "ETag") : NULL,
                    headers != NULL ? soup_message_headers_get_one (headers, "Last-Modified") : NULL,
                    confirmed, now, failure, &error))
    failure = error->message;
  result->ok = failure == NULL;
  result->changed = failure == NULL && body != NULL;
  result->error = g_strdup (failure);
  g_ptr_array_add (pull->results, result);

  clear_message (pull);
  g_clear_pointer (&pull->url, g_free);
  pull->resolving = FALSE;
  pull->index++;
  pull_next (task);
}

/* A 3xx: follow it within the origin of the request, refuse it elsewhere
 * (the pin and the CA file are the portal's, and a redirect must not carry
 * the kiosk off to a host nobody configured). */
static void
redirected (GTask *task)
{
  Pull *pull = g_task_get_task_data (task);
  GUri *from = soup_message_get_uri (pull->message);
  const char *location = soup_message_headers_get_one (soup_message_get_response_headers (pull->message),
                                                       "Location");
  g_autoptr(GUri) to = NULL;
  g_autofree char *target = NULL;
  g_autofree char *message = NULL;

  if (location != NULL)
    to = g_uri_parse_relative (from, location, SOUP_HTTP_URI_FLAGS, NULL);
  if (to == NULL)
    {
      message = g_strdup_printf ("refused: HTTP %u redirect without a usable Location",
                                 soup_message_get_status (pull->message));
      card_done (task, NULL, FALSE, message);
      return;
    }
  if (g_ascii_strcasecmp (g_uri_get_scheme (from), g_uri_get_scheme (to)) != 0
      || g_ascii_strcasecmp (g_uri_get_host (from), g_uri_get_host (to)) != 0
      || g_uri_get_port (from) != g_uri_get_port (to))
    {
      message = g_strdup_printf ("refused: HTTP %u redirect to another origin (%s://%s:%d) is not followed",
                                 soup_message_get_status (pull->message), g_uri_get_scheme (to),
                                 g_uri_get_host (to), g_uri_get_port (to));
      card_done (task, NULL, FALSE, message);
      return;
    }
  if (++pull->redirects > MAX_REDIRECTS)
    {
      message = g_strdup_printf ("refused: more than %d redirects", MAX_REDIRECTS);
      card_done (task, NULL, FALSE, message);
      return;
    }
  target = g_uri_to_string (to);
  send_get (task, target);
}

static void
sent_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  GTask *task = user_data;
  Pull *pull = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = NULL;
  guint status;

  body = kiosk_http_send_finish (result, &error);
  /* The pin first: a mismatch cancels the exchange, which is no network fault. */
  if (g_error_matches (error, KIOSK_HTTP_ERROR, KIOSK_HTTP_ERROR_PIN_MISMATCH))
    {
      card_done (task, NULL, FALSE, PIN_MISMATCH);
      return;
    }
  if (error != NULL)
    {
      g_autofree char *message = NULL;

      if (g_error_matches (error, KIOSK_HTTP_ERROR, KIOSK_HTTP_ERROR_TOO_LARGE))
        message = g_strdup_printf ("refused: the answer is larger than %" G_GSIZE_FORMAT " bytes",
                                   pull->options.max_bytes);
      else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT))
        message = g_strdup_printf ("no complete answer within %u s", pull->options.timeout_seconds);
      else
        message = g_strdup (error->message);
      card_done (task, NULL, FALSE, message);
      return;
    }
  status = soup_message_get_status (pull->message);
  if (SOUP_STATUS_IS_REDIRECTION (status) && status != SOUP_STATUS_NOT_MODIFIED)
    {
      redirected (task);
      return;
    }
  if (pull->resolving && status != SOUP_STATUS_OK)
    {
      g_autofree char *message = g_strdup_printf ("CKAN package_show: HTTP %u %s", status,
                                                  soup_message_get_reason_phrase (pull->message));

      card_done (task, NULL, FALSE, message);
      return;
    }
  if (status == SOUP_STATUS_NOT_MODIFIED)
    {
      card_done (task, NULL, TRUE, NULL);
      return;
    }
  if (status != SOUP_STATUS_OK)
    {
      g_autofree char *message = g_strdup_printf ("HTTP %u %s", status,
                                                  soup_message_get_reason_phrase (pull->message));

      card_done (task, NULL, FALSE, message);
      return;
    }
  if (pull->resolving)
    ckan_resolved (task, body);
  else
    card_done (task, body, FALSE, NULL);
}

/* Whether @uri is on the portal, the host [info] ca-file and pin-sha256
 * were configured for: the host of [info] ckan-url, or every host when no
 * ckan-url is set (docs/info.md, "TLS"). */
static gboolean
on_portal (Pull *pull,
           GUri *uri)
{
  return pull->portal_host == NULL
         || (g_uri_get_host (uri) != NULL && g_ascii_strcasecmp (g_uri_get_host (uri), pull->portal_host) == 0);
}

/* Another host than the portal, whose certificate the CA file does not
 * vouch for: the system's CAs may.  Only an unknown CA is forgiven here;
 * a wrong name, an expired or revoked certificate is not. */
static gboolean
accept_certificate_cb (SoupMessage          *message,
                       GTlsCertificate      *certificate,
                       GTlsCertificateFlags  errors,
                       gpointer              user_data)
{
  g_autoptr(GTlsDatabase) system = NULL;
  g_autoptr(GSocketConnectable) identity = NULL;
  GUri *uri = soup_message_get_uri (message);

  if (errors != G_TLS_CERTIFICATE_UNKNOWN_CA)
    return FALSE;
  system = g_tls_backend_get_default_database (g_tls_backend_get_default ());
  if (system == NULL)
    return FALSE;
  identity = g_network_address_new (g_uri_get_host (uri), (guint16) g_uri_get_port (uri));
  return g_tls_database_verify_chain (system, certificate, G_TLS_DATABASE_PURPOSE_AUTHENTICATE_SERVER, identity,
                                      NULL, G_TLS_DATABASE_VERIFY_NONE, NULL, NULL) == 0;
}

/* Sends a GET for @url with the conditional headers of the card's cached
 * copy, through kiosk-http.c: the card's overall deadline and body cap, the
 * portal's CA file and pin, no redirect followed by libsoup. */
static void
send_get (GTask      *task,
          const char *url)
{
  Pull *pull = g_task_get_task_data (task);
  KioskInfoCard *card = pull->cards->pdata[pull->index];
  g_autoptr(KioskInfoEntry) entry = NULL;
  SoupMessageHeaders *headers;
  gboolean portal;

  clear_message (pull);
  pull->message = soup_message_new (SOUP_METHOD_GET, url);
  if (pull->message == NULL)
    {
      card_done (task, NULL, FALSE, "the URL cannot be requested");
      return;
    }
  headers = soup_message_get_request_headers (pull->message);
  if (!pull->resolving)
    {
      entry = kiosk_info_cache_lookup (pull->store, kiosk_info_card_get_id (card), NULL);
      if (entry != NULL && entry->body != NULL && g_strcmp0 (entry->url, pull->url) == 0)
        {
          if (entry->etag != NULL)
            soup_message_headers_replace (headers, "If-None-Match", entry->etag);
          if (entry->last_modified != NULL)
            soup_message_headers_replace (headers, "If-Modified-Since", entry->last_modified);
        }
    }
  soup_message_add_flags (pull->message, SOUP_MESSAGE_IDEMPOTENT | SOUP_MESSAGE_NO_REDIRECT);
  portal = on_portal (pull, soup_message_get_uri (pull->message));
  /* A pinned portal is spoken to over TLS only: plain http:// has no
   * certificate to match. */
  if (portal && pull->pin_sha256 != NULL
      && g_ascii_strcasecmp (g_uri_get_scheme (soup_message_get_uri (pull->message)), "https") != 0)
    {
      card_done (task, NULL, FALSE, PIN_MISMATCH);
      return;
    }
  if (!portal && pull->own_ca)
    g_signal_connect (pull->message, "accept-certificate", G_CALLBACK (accept_certificate_cb), pull);
  kiosk_http_send_pinned_async (pull->session, pull->message, portal ? pull->pin_sha256 : NULL,
                                pull->options.timeout_seconds, pull->options.max_bytes,
                                pull->cancellable, sent_cb, task);
}

/* One GET for the card (or its CKAN package_show). */
static void
start_get (GTask      *task,
           const char *url)
{
  Pull *pull = g_task_get_task_data (task);

  if (!pull->resolving)
    {
      g_free (pull->url);
      pull->url = g_strdup (url);
    }
  pull->redirects = 0;
  send_get (task, url);
}

static gboolean
ckan_format_fits (KioskInfoSourceType  type,
                  const char          *format)
{
  static const char * const ical[] = { "ics", "ical", "icalendar", "text/calendar", NULL };
  static const char * const feed[] = { "rss", "atom", "xml", "application/rss+xml", "application/atom+xml", NULL };
  static const char * const json[] = { "json", "application/json", NULL };
  const char * const *formats = type == KIOSK_INFO_SOURCE_ICAL ? ical : type == KIOSK_INFO_SOURCE_FEED ? feed : json;
  g_autofree char *lower = g_ascii_strdown (format, -1);

  return g_strv_contains (formats, g_strstrip (lower));
}

/* A CKAN package_show answer: the newest resource (by last_modified, else
 * created; ISO 8601 compares as text) in a format the card reads. */
static void
ckan_resolved (GTask  *task,
               GBytes *body)
{
  Pull *pull = g_task_get_task_data (task);
  KioskInfoCard *card = pull->cards->pdata[pull->index];
  g_autoptr(KioskJson) doc = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;
  const KioskJsonValue *root;
  const KioskJsonValue *success;
  const KioskJsonValue *resources;
  const char *best_url = NULL;
  const char *best_time = NULL;

  doc = kiosk_json_parse (g_bytes_get_data (body, NULL), g_bytes_get_size (body), 32, &error);
  if (doc == NULL)
    {
      message = g_strdup_printf ("refused: CKAN package_show: %s", error->message);
      card_done (task, NULL, FALSE, message);
      return;
    }
  root = kiosk_json_get_root (doc);
  success = root->type == KIOSK_JSON_OBJECT ? kiosk_json_get_member (root, "success") : NULL;
  resources = _kiosk_info_json_pointer (root, "/result/resources");
  if (success == NULL || success->type != KIOSK_JSON_BOOLEAN || !success->boolean
      || resources == NULL || resources->type != KIOSK_JSON_ARRAY)
    {
      card_done (task, NULL, FALSE, "refused: CKAN package_show: expected {\"success\": true, \"result\": "
                 "{\"resources\": […]}}");
      return;
    }
  for (const KioskJsonValue *r = resources->first; r != NULL; r = r->next)
    {
      const KioskJsonValue *format = _kiosk_info_json_pointer (r, "/format");
      const KioskJsonValue *url = _kiosk_info_json_pointer (r, "/url");
      const KioskJsonValue *when = _kiosk_info_json_pointer (r, "/last_modified");
      const char *time;

      if (!kiosk_json_is_string (when))
        when = _kiosk_info_json_pointer (r, "/created");
      time = kiosk_json_is_string (when) ? when->string : "";
      if (!kiosk_json_is_string (format) || !kiosk_json_is_string (url)
          || !ckan_format_fits (kiosk_info_card_get_source_type (card), format->string)
          || !(g_str_has_prefix (url->string, "http://") || g_str_has_prefix (url->string, "https://")))
        continue;
      if (best_url == NULL || g_strcmp0 (time, best_time) > 0)
        {
          best_url = url->string;
          best_time = time;
        }
    }
  if (best_url == NULL)
    {
      message = g_strdup_printf ("CKAN dataset \"%s\" has no %s resource", kiosk_info_card_get_ckan_dataset (card),
                                 kiosk_info_source_type_to_string (kiosk_info_card_get_source_type (card)));
      card_done (task, NULL, FALSE, message);
      return;
    }
  pull->resolving = FALSE;
  message = g_strdup (best_url);
  start_get (task, message);
}

static void
fetch_card (GTask         *task,
            KioskInfoCard *card)
{
  Pull *pull = g_task_get_task_data (task);
  const char *dataset = kiosk_info_card_get_ckan_dataset (card);

  g_cancellable_reset (pull->cancellable);
  if (pull->setup_error != NULL)
    {
      card_done (task, NULL, FALSE, pull->setup_error);
      return;
    }
  if (dataset != NULL)
    {
      g_autofree char *escaped = NULL;
      g_autofree char *base = NULL;
      g_autofree char *url = NULL;

      if (pull->ckan_url == NULL || *pull->ckan_url == '\0')
        {
          g_autofree char *message = g_strdup_printf ("no [info] ckan-url is configured for CKAN dataset \"%s\"",
                                                      dataset);

          card_done (task, NULL, FALSE, message);
          return;
        }
      base = g_strdup (pull->ckan_url);
      while (g_str_has_suffix (base, "/"))
        base[strlen (base) - 1] = '\0';
      escaped = g_uri_escape_string (dataset, NULL, FALSE);
      url = g_strdup_printf ("%s/api/3/action/package_show?id=%s", base, escaped);
      pull->resolving = TRUE;
      start_get (task, url);
      return;
    }
  pull->resolving = FALSE;
  start_get (task, kiosk_info_card_get_url (card));
}

static void
pull_next (GTask *task)
{
  Pull *pull = g_task_get_task_data (task);

  if (g_task_return_error_if_cancelled (task))
    {
      g_object_unref (task);
      return;
    }
  if (pull->index >= pull->cards->len)
    {
      g_task_return_pointer (task, g_steal_pointer (&pull->results), (GDestroyNotify) g_ptr_array_unref);
      g_object_unref (task);
      return;
    }
  fetch_card (task, pull->cards->pdata[pull->index]);
}

static void
caller_cancelled_cb (GCancellable *caller,
                     gpointer      user_data)
{
  g_cancellable_cancel (G_CANCELLABLE (user_data));
}

/**
 * kiosk_info_pull_options_init:
 * @options: (out caller-allocates): filled from @config
 * @config: [info] timeout, max-kib, ckan-url, ca-file and pin-sha256
 *
 * The options every pull takes: the page's, the background's and
 * `stadtkioskctl info pull`.  The strings stay @config's.
 */
void
kiosk_info_pull_options_init (KioskInfoPullOptions *options,
                              KioskConfig          *config)
{
  g_return_if_fail (options != NULL);
  g_return_if_fail (KIOSK_IS_CONFIG (config));

  options->timeout_seconds = kiosk_config_get_info_timeout (config);
  options->max_bytes = (gsize) kiosk_config_get_info_max_kib (config) * 1024;
  options->ckan_url = kiosk_config_get_info_ckan_url (config);
  options->ca_file = kiosk_config_get_info_ca_file (config);
  options->pin_sha256 = kiosk_config_get_info_pin_sha256 (config);
}

/**
 * kiosk_info_pull_async:
 * @store: the kiosk's store
 * @clock: the kiosk's clock (for the cache's times)
 * @cards: (element-type KioskInfoCard): the cards to fetch, one after another
 * @options: deadline, body cap, CKAN portal, CA file and pin
 * @cancellable: (nullable): stops the pull
 * @callback: called when every card had its turn
 * @user_data: for @callback
 *
 * Fetches each card's source, validates it and keeps it.  A card's failure
 * is a result, not an error: the pull goes on with the next card.
 */
void
kiosk_info_pull_async (KioskStore                 *store,
                       KioskClock                 *clock,
                       GPtrArray                  *cards,
                       const KioskInfoPullOptions *options,
                       GCancellable               *cancellable,
                       GAsyncReadyCallback         callback,
                       gpointer                    user_data)
{
  GTask *task;
  Pull *pull;

  g_return_if_fail (KIOSK_IS_STORE (store));
  g_return_if_fail (KIOSK_IS_CLOCK (clock));
  g_return_if_fail (cards != NULL);
  g_return_if_fail (options != NULL && options->timeout_seconds > 0 && options->max_bytes > 0);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, kiosk_info_pull_async);
  pull = g_new0 (Pull, 1);
  pull->store = g_object_ref (store);
  pull->clock = g_object_ref (clock);
  pull->cards = g_ptr_array_ref (cards);
  pull->options = *options;
  pull->ckan_url = g_strdup (options->ckan_url);
  pull->options.ckan_url = pull->ckan_url;
  pull->results = g_ptr_array_new_with_free_func ((GDestroyNotify) kiosk_info_pull_result_free);
  if (options->pin_sha256 != NULL && *options->pin_sha256 != '\0')
    pull->pin_sha256 = g_ascii_strdown (options->pin_sha256, -1);
  pull->options.pin_sha256 = pull->pin_sha256;
  if (options->ckan_url != NULL && *options->ckan_url != '\0')
    {
      g_autoptr(GUri) portal = g_uri_parse (options->ckan_url, SOUP_HTTP_URI_FLAGS, NULL);

      if (portal != NULL && g_uri_get_host (portal) != NULL)
        pull->portal_host = g_ascii_strdown (g_uri_get_host (portal), -1);
    }
  pull->own_ca = options->ca_file != NULL && *options->ca_file != '\0';
  pull->options.ca_file = NULL;
  /* One session for the whole pull, from the factory every exchange uses.
   * "timeout" is libsoup's inactivity timeout; kiosk-http.c adds the
   * deadline for the whole exchange. */
  {
    g_autoptr(GError) local_error = NULL;

    pull->session = kiosk_http_session_new (options->timeout_seconds, 0, options->ca_file, "[info] ca-file",
                                            &local_error);
    /* Every card then fails with it, its copy kept. */
    if (pull->session == NULL)
      pull->setup_error = g_strdup (local_error->message);
  }
  pull->cancellable = g_cancellable_new ();
  g_task_set_task_data (task, pull, (GDestroyNotify) pull_free);
  if (cancellable != NULL)
    g_cancellable_connect (cancellable, G_CALLBACK (caller_cancelled_cb),
                           g_object_ref (pull->cancellable), g_object_unref);
  pull_next (task);
}

/**
 * kiosk_info_pull_finish:
 * @result: the result passed to the callback
 * @error: not set by card failures, which are in the results
 *
 * Returns: (transfer full) (element-type KioskInfoPullResult): one result per card.
 */
GPtrArray *
kiosk_info_pull_finish (GAsyncResult  *result,
                        GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* kiosk-hub-inbox.c
 *
 * SPDX-FileCopyrightText: 2026 Stadtkiosk contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "kiosk-hub-inbox"

#include "config.h"

#include <string.h>

#include "kiosk-couchdb-target.h"
#include "kiosk-couchdb-target-private.h"
#include "kiosk-http.h"
#include "kiosk-hub-inbox.h"
#include "kiosk-json-private.h"
#include "kiosk-payload.h"
#include "kiosk-target.h"

/* The city's side of the hub, for the counter's inbox screen
 * (`stadtkiosk --counter`): the requests in the hub, newest first, with the
 * city's status; one request with its sealed answers opened with the
 * city's key; and the city's answer written as a status document, which
 * flows back to the kiosk through _changes (docs/hub.md).
 *
 * Everything is asynchronous (the screen must not freeze on a slow hub)
 * and goes through kiosk-http.c: an overall deadline, a cap on every
 * answer and the [couchdb] pin.  The login is a city user's (role city);
 * the password is never logged. */

#define ANSWER_CAP (8 * 1024 * 1024)

static const char * const statuses[] = { "received", "in_progress", "done", "rejected", NULL };

/* ---- KioskInboxEntry ------------------------------------------------------ */

struct _KioskInboxEntry
{
  GObject  parent_instance;

  char    *id;
  char    *short_code;
  char    *service_id;
  char    *kiosk_id;
  char    *created;
  char    *status;
};

G_DEFINE_FINAL_TYPE (KioskInboxEntry, kiosk_inbox_entry, G_TYPE_OBJECT)

static void
kiosk_inbox_entry_finalize (GObject *object)
{
  KioskInboxEntry *self = (KioskInboxEntry *)object;

  g_free (self->id);
  g_free (self->short_code);
  g_free (self->service_id);
  g_free (self->kiosk_id);
  g_free (self->created);
  g_free (self->status);

  G_OBJECT_CLASS (kiosk_inbox_entry_parent_class)->finalize (object);
}

static void
kiosk_inbox_entry_class_init (KioskInboxEntryClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = kiosk_inbox_entry_finalize;
}

static void
kiosk_inbox_entry_init (KioskInboxEntry *self)
{
}

const char *
kiosk_inbox_entry_get_id (KioskInboxEntry *self)
{
  g_return_val_if_fail (KIOSK_IS_INBOX_ENTRY (self), NULL);
  return self->id;
}

const char *
kiosk_inbox_entry_get_short_code (KioskInboxEntry *self)
{
  g_return_val_if_fail (KIOSK_IS_INBOX_ENTRY (self), NULL);
  return self->short_code;
}

const char *
kiosk_inbox_entry_get_service_id (KioskInboxEntry *self)
{
  g_return_val_if_fail (KIOSK_IS_INBOX_ENTRY (self), NULL);
  return self->service_id;
}

const char *
kiosk_inbox_entry_get_kiosk_id (KioskInboxEntry *self)
{
  g_return_val_if_fail (KIOSK_IS_INBOX_ENTRY (self), NULL);
  return self->kiosk_id;
}

/* Returns: the request's creation time as the kiosk wrote it (UTC, ISO 8601) */
const char *
kiosk_inbox_entry_get_created (KioskInboxEntry *self)
{
  g_return_val_if_fail (KIOSK_IS_INBOX_ENTRY (self), NULL);
  return self->created;
}

/* Returns: the city's status, or %KIOSK_INBOX_STATUS_NEW */
const char *
kiosk_inbox_entry_get_status (KioskInboxEntry *self)
{
  g_return_val_if_fail (KIOSK_IS_INBOX_ENTRY (self), NULL);
  return self->status;
}

/**
 * kiosk_inbox_status_is_valid:
 *
 * Returns: whether @status is one the city may set (received, in_progress,
 *   done, rejected)
 */
gboolean
kiosk_inbox_status_is_valid (const char *status)
{
  return status != NULL && g_strv_contains (statuses, status);
}

/* ---- KioskHubInbox -------------------------------------------------------- */

struct _KioskHubInbox
{
  GObject      parent_instance;

  SoupSession *session;
  char        *db_url;          /* no trailing slash */
  char        *authorization;   /* nullable; never logged */
  char        *pin_sha256;
  guint        deadline_s;
};

G_DEFINE_FINAL_TYPE (KioskHubInbox, kiosk_hub_inbox, G_TYPE_OBJECT)

static void
kiosk_hub_inbox_dispose (GObject *object)
{
  KioskHubInbox *self = (KioskHubInbox *)object;

  if (self->session != NULL)
    soup_session_abort (self->session);
  g_clear_object (&self->session);

  G_OBJECT_CLASS (kiosk_hub_inbox_parent_class)->dispose (object);
}

static void
kiosk_hub_inbox_finalize (GObject *object)
{
  KioskHubInbox *self = (KioskHubInbox *)object;

  g_free (self->db_url);
  if (self->authorization != NULL)
    memset (self->authorization, 0, strlen (self->authorization));
  g_free (self->authorization);
  g_free (self->pin_sha256);

  G_OBJECT_CLASS (kiosk_hub_inbox_parent_class)->finalize (object);
}

static void
kiosk_hub_inbox_class_init (KioskHubInboxClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = kiosk_hub_inbox_dispose;
  object_class->finalize = kiosk_hub_inbox_finalize;
}

static void
kiosk_hub_inbox_init (KioskHubInbox *self)
{
}

/**
 * kiosk_hub_inbox_new:
 * @config: [couchdb] url, user, password-file, ca-file, pin-sha256;
 *   [backend] timeout
 * @url: (nullable): the hub's server and database instead of [couchdb] url
 * @user: (nullable): a city user instead of [couchdb] user
 * @password_file: (nullable): its password (mode 0600) instead of
 *   [couchdb] password-file
 *
 * Returns: (transfer full): the inbox, or %NULL with @error set
 *   (%KIOSK_TARGET_ERROR_CONFIG naming the setting)
 */
KioskHubInbox *
kiosk_hub_inbox_new (KioskConfig  *config,
                     const char   *url,
                     const char   *user,
                     const char   *password_file,
                     GError      **error)
{
  g_autoptr(KioskHubInbox) self = NULL;
  g_auto(KioskCouchdbLogin) login = { 0 };

  g_return_val_if_fail (KIOSK_IS_CONFIG (config), NULL);

  if (!_kiosk_couchdb_login (config, url, user, password_file, 1, &login, error))
    return NULL;
  self = g_object_new (KIOSK_TYPE_HUB_INBOX, NULL);
  self->db_url = g_steal_pointer (&login.db_url);
  self->authorization = g_steal_pointer (&login.authorization);
  self->pin_sha256 = g_steal_pointer (&login.pin_sha256);
  self->session = g_steal_pointer (&login.session);
  self->deadline_s = login.deadline_s;
  return g_steal_pointer (&self);
}

/* Returns: the hub's server and database, without credentials */
const char *
kiosk_hub_inbox_get_url (KioskHubInbox *self)
{
  g_return_val_if_fail (KIOSK_IS_HUB_INBOX (self), NULL);
  return self->db_url;
}

/* ---- One exchange: JSON in, JSON out -------------------------------------- */

typedef struct
{
  SoupMessage *message;
} Call;

static void
call_free (Call *call)
{
  g_clear_object (&call->message);
  g_free (call);
}

static void
call_sent_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;
  GBytes *body = _kiosk_couchdb_send_finish (result, &error);

  if (body == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, body, (GDestroyNotify) g_bytes_unref);
}

static void
call_async (KioskHubInbox       *self,
            const char          *method,
            const char          *url,
            JsonNode            *body,
            GCancellable        *cancellable,
            GAsyncReadyCallback  callback,
            gpointer             user_data)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  Call *call = g_new0 (Call, 1);

  call->message = soup_message_new (method, url);
  g_task_set_task_data (task, call, (GDestroyNotify) call_free);
  soup_message_add_flags (call->message, SOUP_MESSAGE_NO_REDIRECT);
  soup_message_headers_replace (soup_message_get_request_headers (call->message), "Accept", "application/json");
  if (self->authorization != NULL)
    soup_message_headers_replace (soup_message_get_request_headers (call->message),
                                  "Authorization", self->authorization);
  if (body != NULL)
    {
      g_autoptr(JsonGenerator) generator = json_generator_new ();
      g_autoptr(GBytes) bytes = NULL;
      gsize length;
      char *text;

      json_generator_set_root (generator, body);
      text = json_generator_to_data (generator, &length);
      bytes = g_bytes_new_take (text, length);
      soup_message_set_request_body_from_bytes (call->message, "application/json", bytes);
    }
  kiosk_http_send_pinned_async (self->session, call->message, self->pin_sha256, self->deadline_s, ANSWER_CAP,
                                cancellable, call_sent_cb, task);
}

/* Returns: (transfer full): the answer as JSON (%NULL for a body that is
 *   none), with its status; %NULL with @error when no answer came */
static JsonNode *
call_finish (GAsyncResult  *result,
             guint         *out_status,
             GError       **error)
{
  Call *call = g_task_get_task_data (G_TASK (result));
  g_autoptr(GBytes) body = g_task_propagate_pointer (G_TASK (result), error);
  JsonNode *node;

  *out_status = 0;
  if (body == NULL)
    return NULL;
  *out_status = soup_message_get_status (call->message);
  /* The strict reader with its depth limit (#12). */
  node = kiosk_json_parse_bytes (body, KIOSK_JSON_OUTSIDE_DEPTH, NULL);
  return node != NULL ? node : json_node_new (JSON_NODE_NULL);
}

/* The hub's refusal in plain words, naming what was being done. */
static void
set_http_error (GError     **error,
                guint        status,
                JsonNode    *answer,
                const char  *doing)
{
  JsonObject *object = answer != NULL && JSON_NODE_HOLDS_OBJECT (answer) ? json_node_get_object (answer) : NULL;
  const char *reason = object != NULL ? json_object_get_string_member_with_default (object, "reason", NULL) : NULL;

  if (status == 401)
    g_set_error (error, KIOSK_TARGET_ERROR, KIOSK_TARGET_ERROR_HTTP,
                 "%s: the hub does not accept this login (HTTP 401; a city user and its password file)", doing);
  else if (status == 403)
    g_set_error (error, KIOSK_TARGET_ERROR, KIOSK_TARGET_ERROR_HTTP,
                 "%s: the hub refuses (HTTP 403%s%s; the user needs the role city)", doing,
                 reason != NULL ? ": " : "", reason != NULL ? reason : "");
  else if (status == 404)
    g_set_error (error, KIOSK_TARGET_ERROR, KIOSK_TARGET_ERROR_HTTP,
                 "%s: not found at the hub (HTTP 404; run: stadtkioskctl hub setup)", doing);
  else
    g_set_error (error, KIOSK_TARGET_ERROR, KIOSK_TARGET_ERROR_HTTP,
                 "%s: HTTP %u from the hub%s%s", doing, status,
                 reason != NULL ? ": " : "", reason != NULL ? reason : "");
}

static JsonArray *
rows_of (JsonNode *answer)
{
  JsonObject *object = answer != NULL && JSON_NODE_HOLDS_OBJECT (answer) ? json_node_get_object (answer) : NULL;

  if (object == NULL || !json_object_has_member (object, "rows") ||
      !JSON_NODE_HOLDS_ARRAY (json_object_get_member (object, "rows")))
    return NULL;
  return json_object_get_array_member (object, "rows");
}

static JsonObject *
object_member (JsonObject *object,
               const char *member)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, member) : NULL;

  return node != NULL && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

static const char *
string_member (JsonObject *object,
               const char *member)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, member) : NULL;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

/* ---- The list, a page at a time -------------------------------------------- */

/* A page's place in the inbox: the created key and id of its first
 * request, "KEY/ID" (the id is a UUID, so the last '/' splits them). */
static char *
cursor_new (const char *created,
            const char *id)
{
  return g_strconcat (created, "/", id, NULL);
}

static gboolean
cursor_parse (const char  *cursor,
              char       **out_created,
              char       **out_id)
{
  const char *slash = cursor != NULL ? strrchr (cursor, '/') : NULL;

  if (slash == NULL || !g_uuid_string_is_valid (slash + 1) || !g_utf8_validate (cursor, -1, NULL))
    return FALSE;
  *out_created = g_strndup (cursor, slash - cursor);
  *out_id = g_strdup (slash + 1);
  return TRUE;
}

typedef struct
{
  char       *from;       /* nullable: the cursor this page starts at */
  guint       limit;
  guint       extra;      /* rows asked for beyond limit + 1 */
  GPtrArray  *entries;    /* KioskInboxEntry, newest first */
  char       *next;       /* nullable: where the next page starts */
  guint       more;       /* requests after this page; G_MAXUINT: unknown */
} Page;

static void
page_free (Page *page)
{
  g_free (page->from);
  g_clear_pointer (&page->entries, g_ptr_array_unref);
  g_free (page->next);
  g_free (page);
}

static void
page_return (GTask *task)
{
  Page *page = g_task_get_task_data (task);
  GListStore *store = g_list_store_new (KIOSK_TYPE_INBOX_ENTRY);

  g_list_store_splice (store, 0, 0, page->entries->pdata, page->entries->len);
  g_task_return_pointer (task, store, g_object_unref);
}

static void
page_statuses_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Page *page = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) answer = NULL;
  g_autoptr(GHashTable) by_request = g_hash_table_new (g_str_hash, g_str_equal);
  JsonArray *rows;
  guint status;

  answer = call_finish (result, &status, &error);
  if (answer == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  rows = rows_of (answer);
  if (status != 200 || rows == NULL)
    {
      set_http_error (&error, status, answer, "reading the city's status documents");
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  /* Missing ones come back as rows with an error (no status yet). */
  for (guint i = 0; i < json_array_get_length (rows); i++)
    {
      JsonNode *element = json_array_get_element (rows, i);
      JsonObject *doc = object_member (JSON_NODE_HOLDS_OBJECT (element) ? json_node_get_object (element) : NULL, "doc");
      const char *request_id = string_member (doc, "request_id");
      const char *city = string_member (doc, "status");
      const char *doc_id = string_member (doc, "_id");

      if (request_id != NULL && kiosk_inbox_status_is_valid (city) &&
          doc_id != NULL && g_str_has_prefix (doc_id, "status:") && g_str_equal (doc_id + 7, request_id))
        g_hash_table_insert (by_request, (gpointer) request_id, (gpointer) city);
    }
  for (guint i = 0; i < page->entries->len; i++)
    {
      KioskInboxEntry *entry = page->entries->pdata[i];
      const char *city = g_hash_table_lookup (by_request, entry->id);

      if (city != NULL)
        {
          g_free (entry->status);
          entry->status = g_strdup (city);
        }
    }
  page_return (task);
}

static void page_query (GTask *task);

static void
page_view_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  KioskHubInbox *self = g_task_get_source_object (task);
  Page *page = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) answer = NULL;
  g_autoptr(JsonNode) body = NULL;
  g_autofree char *url = NULL;
  JsonObject *top;
  JsonArray *keys;
  JsonArray *rows;
  guint status;
  guint n_rows;
  guint sentinel = G_MAXUINT;
  GCancellable *cancellable;
  g_autoptr(GArray) usable = NULL;
  g_autofree char *from_key = NULL;
  g_autofree char *from_id = NULL;
  gint64 total = -1;
  gint64 offset = -1;

  answer = call_finish (result, &status, &error);
  if (answer == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  rows = rows_of (answer);
  if (status != 200 || rows == NULL)
    {
      set_http_error (&error, status, answer, "reading the inbox");
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  top = json_node_get_object (answer);
  if (json_object_has_member (top, "total_rows") &&
      JSON_NODE_HOLDS_VALUE (json_object_get_member (top, "total_rows")) &&
      json_node_get_value_type (json_object_get_member (top, "total_rows")) == G_TYPE_INT64)
    total = json_object_get_int_member (top, "total_rows");
  if (json_object_has_member (top, "offset") &&
      JSON_NODE_HOLDS_VALUE (json_object_get_member (top, "offset")) &&
      json_node_get_value_type (json_object_get_member (top, "offset")) == G_TYPE_INT64)
    offset = json_object_get_int_member (top, "offset");

  n_rows = json_array_get_length (rows);
  if (page->from != NULL && !cursor_parse (page->from, &from_key, &from_id))
    g_assert_not_reached ();   /* checked in kiosk_hub_inbox_list_page_async() */

  /* The rows of this page: CouchDB starts at the cursor's key and id;
   * pouchdb-server knows no startkey_docid and starts at the first row
   * with the cursor's key, so rows before the cursor at the same time are
   * dropped here. */
  usable = g_array_new (FALSE, FALSE, sizeof (guint));
  for (guint i = 0; i < n_rows; i++)
    {
      JsonNode *element = json_array_get_element (rows, i);
      JsonObject *row = JSON_NODE_HOLDS_OBJECT (element) ? json_node_get_object (element) : NULL;
      const char *key = string_member (row, "key");
      const char *id = string_member (row, "id");

      if (from_key != NULL && key != NULL && id != NULL && g_str_equal (key, from_key) && strcmp (id, from_id) > 0)
        continue;
      g_array_append_val (usable, i);
    }

  /* One row more than the page: the next page's first.  When rows were
   * dropped and the answer was full, ask again for as many more rows as
   * were dropped (bounded: a hub that keeps sending rows before the
   * cursor is not followed forever). */
  if (usable->len > page->limit)
    sentinel = g_array_index (usable, guint, page->limit);
  else if (n_rows >= page->limit + 1 + page->extra)
    {
      guint dropped = n_rows - usable->len;

      if (dropped == 0 || page->extra + dropped > 8 * KIOSK_HUB_INBOX_LIMIT)
        {
          g_task_return_new_error (task, KIOSK_TARGET_ERROR, KIOSK_TARGET_ERROR_HTTP,
                                   "the hub's inbox cannot be read from %s on: too many requests with the same time",
                                   page->from);
          return;
        }
      page->extra += dropped;
      page_query (g_steal_pointer (&task));
      return;
    }
  for (guint u = 0; u < usable->len; u++)
    {
      guint i = g_array_index (usable, guint, u);
      JsonNode *element = json_array_get_element (rows, i);
      JsonObject *row = JSON_NODE_HOLDS_OBJECT (element) ? json_node_get_object (element) : NULL;
      JsonObject *value = object_member (row, "value");
      const char *id = string_member (row, "id");
      KioskInboxEntry *entry;

      if (i == sentinel || u >= page->limit)
        break;
      if (value == NULL || id == NULL)
        continue;
      entry = g_object_new (KIOSK_TYPE_INBOX_ENTRY, NULL);
      entry->id = g_strdup (id);
      entry->short_code = g_strdup (string_member (value, "short_code") != NULL ? string_member (value, "short_code") : "");
      entry->service_id = g_strdup (string_member (value, "service_id") != NULL ? string_member (value, "service_id") : "");
      entry->kiosk_id = g_strdup (string_member (value, "kiosk_id") != NULL ? string_member (value, "kiosk_id") : "");
      entry->created = g_strdup (string_member (row, "key") != NULL ? string_member (row, "key") : "");
      entry->status = g_strdup (KIOSK_INBOX_STATUS_NEW);
      g_ptr_array_add (page->entries, entry);
    }

  if (sentinel != G_MAXUINT)
    {
      JsonNode *element = json_array_get_element (rows, sentinel);
      JsonObject *row = JSON_NODE_HOLDS_OBJECT (element) ? json_node_get_object (element) : NULL;
      const char *key = string_member (row, "key");
      const char *id = string_member (row, "id");

      if (key != NULL && id != NULL && g_uuid_string_is_valid (id))
        page->next = cursor_new (key, id);
      /* CouchDB says where the answer starts (offset); a server that says
       * 0 for an answer that does not start at the top does not know. */
      if (total >= 0 && offset >= 0 && (page->from == NULL || offset > 0) &&
          total - offset > (gint64) sentinel)
        page->more = (guint) MIN (total - offset - (gint64) sentinel, (gint64) G_MAXUINT - 1);
      else
        page->more = G_MAXUINT;
    }

  if (page->entries->len == 0)
    {
      page_return (task);
      return;
    }
  /* The statuses of this page's requests only, by their ids. */
  keys = json_array_new ();
  for (guint i = 0; i < page->entries->len; i++)
    {
      g_autofree char *key = g_strconcat ("status:", ((KioskInboxEntry *) page->entries->pdata[i])->id, NULL);

      json_array_add_string_element (keys, key);
    }
  body = json_node_new (JSON_NODE_OBJECT);
  json_node_take_object (body, json_object_new ());
  json_object_set_array_member (json_node_get_object (body), "keys", keys);
  url = g_strconcat (self->db_url, "/_all_docs?include_docs=true", NULL);
  cancellable = g_task_get_cancellable (task);
  call_async (self, SOUP_METHOD_POST, url, body, cancellable, page_statuses_cb, g_steal_pointer (&task));
}

/* Asks the view for the page's rows and one more (and the extra ones a
 * server without startkey_docid makes necessary). */
static void
page_query (GTask *task)
{
  KioskHubInbox *self = g_task_get_source_object (task);
  Page *page = g_task_get_task_data (task);
  g_autofree char *url = NULL;
  g_autofree char *created = NULL;
  g_autofree char *id = NULL;

  url = g_strdup_printf ("%s/%s/_view/inbox_by_created?descending=true&limit=%u", self->db_url,
                         KIOSK_COUCHDB_DESIGN, page->limit + 1 + page->extra);
  if (page->from != NULL && cursor_parse (page->from, &created, &id))
    {
      g_autoptr(JsonNode) key = json_node_init_string (json_node_alloc (), created);
      g_autofree char *json = json_to_string (key, FALSE);
      g_autofree char *escaped_key = g_uri_escape_string (json, NULL, FALSE);
      g_autofree char *escaped_id = g_uri_escape_string (id, NULL, FALSE);
      char *with = g_strconcat (url, "&startkey=", escaped_key, "&startkey_docid=", escaped_id, NULL);

      g_free (url);
      url = with;
    }
  call_async (self, SOUP_METHOD_GET, url, NULL, g_task_get_cancellable (task), page_view_cb, task);
}

/**
 * kiosk_hub_inbox_list_page_async:
 * @from: (nullable): where to start (a cursor from
 *   kiosk_hub_inbox_list_page_finish()), %NULL for the newest
 * @limit: requests on the page, 1 to %KIOSK_HUB_INBOX_LIMIT
 *
 * Reads one page of the hub's requests, newest first, with the city's
 * status: @limit + 1 rows of the design document's `inbox_by_created`
 * view (the extra one is where the next page starts, paging by key, no
 * `skip`), then the status documents of this page's requests by their ids.
 * Neither answer grows with the hub.
 */
void
kiosk_hub_inbox_list_page_async (KioskHubInbox       *self,
                                 const char          *from,
                                 guint                limit,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  GTask *task;
  Page *page;
  g_autofree char *created = NULL;
  g_autofree char *id = NULL;

  g_return_if_fail (KIOSK_IS_HUB_INBOX (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, kiosk_hub_inbox_list_page_async);
  page = g_new0 (Page, 1);
  page->from = g_strdup (from);
  page->limit = limit;
  page->entries = g_ptr_array_new_with_free_func (g_object_unref);
  g_task_set_task_data (task, page, (GDestroyNotify) page_free);
  if (limit < 1 || limit > KIOSK_HUB_INBOX_LIMIT)
    {
      g_task_return_new_error (task, KIOSK_TARGET_ERROR, KIOSK_TARGET_ERROR_CONFIG,
                               "a page holds 1 to %u requests, not %u", KIOSK_HUB_INBOX_LIMIT, limit);
      g_object_unref (task);
      return;
    }
  if (from != NULL && !cursor_parse (from, &created, &id))
    {
      g_task_return_new_error (task, KIOSK_TARGET_ERROR, KIOSK_TARGET_ERROR_CONFIG,
                               "%s is not a place in the inbox (give what an earlier list printed after --from)", from);
      g_object_unref (task);
      return;
    }
  page_query (task);
}

/**
 * kiosk_hub_inbox_list_page_finish:
 * @out_next: (out) (optional) (transfer full) (nullable): where the next
 *   page starts, %NULL when this is the last
 * @out_more: (out) (optional): how many requests come after this page;
 *   %G_MAXUINT when there are more and the hub does not say how many
 *
 * Returns: (transfer full): a list of #KioskInboxEntry, newest first, or
 *   %NULL with @error set
 */
GListModel *
kiosk_hub_inbox_list_page_finish (KioskHubInbox  *self,
                                  GAsyncResult   *result,
                                  char          **out_next,
                                  guint          *out_more,
                                  GError        **error)
{
  GListModel *list;
  Page *page;

  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  if (out_next != NULL)
    *out_next = NULL;
  if (out_more != NULL)
    *out_more = 0;
  list = g_task_propagate_pointer (G_TASK (result), error);
  if (list == NULL)
    return NULL;
  page = g_task_get_task_data (G_TASK (result));
  if (out_next != NULL)
    *out_next = g_strdup (page->next);
  if (out_more != NULL)
    *out_more = page->more;
  return list;
}

/**
 * kiosk_hub_inbox_list_async:
 *
 * Reads the newest %KIOSK_HUB_INBOX_LIMIT requests in the hub, newest
 * first, with the city's status: kiosk_hub_inbox_list_page_async() from
 * the top.
 */
void
kiosk_hub_inbox_list_async (KioskHubInbox       *self,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  kiosk_hub_inbox_list_page_async (self, NULL, KIOSK_HUB_INBOX_LIMIT, cancellable, callback, user_data);
}

/**
 * kiosk_hub_inbox_list_finish:
 *
 * Returns: (transfer full): a list of #KioskInboxEntry, newest first, or
 *   %NULL with @error set
 */
GListModel *
kiosk_hub_inbox_list_finish (KioskHubInbox  *self,
                             GAsyncResult   *result,
                             GError        **error)
{
  return kiosk_hub_inbox_list_page_finish (self, result, NULL, NULL, error);
}

/* ---- One request ------------------------------------------------------------ */

typedef struct
{
  char       *id;
  JsonObject *submission;
  JsonObject *status;
} Fetch;

static void
fetch_free (Fetch *fetch)
{
  g_free (fetch->id);
  g_clear_pointer (&fetch->submission, json_object_unref);
  g_clear_pointer (&fetch->status, json_object_unref);
  g_free (fetch);
}

static void
fetch_status_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Fetch *fetch = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) answer = NULL;
  guint status;

  answer = call_finish (result, &status, &error);
  if (answer == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (status == 200 && JSON_NODE_HOLDS_OBJECT (answer))
    fetch->status = json_object_ref (json_node_get_object (answer));
  else if (status != 404)
    {
      set_http_error (&error, status, answer, "reading the city's status");
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  g_task_return_boolean (task, TRUE);
}

static void
fetch_doc_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  KioskHubInbox *self = g_task_get_source_object (task);
  Fetch *fetch = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) answer = NULL;
  g_autofree char *escaped = NULL;
  g_autofree char *url = NULL;
  GCancellable *cancellable;
  guint status;

  answer = call_finish (result, &status, &error);
  if (answer == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (status != 200)
    {
      set_http_error (&error, status, answer, "reading the request");
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (!JSON_NODE_HOLDS_OBJECT (answer) ||
      g_strcmp0 (string_member (json_node_get_object (answer), "type"), "submission") != 0 ||
      g_strcmp0 (string_member (json_node_get_object (answer), "_id"), fetch->id) != 0)
    {
      g_task_return_new_error (task, KIOSK_TARGET_ERROR, KIOSK_TARGET_ERROR_HTTP,
                               "%s at the hub is not a request", fetch->id);
      return;
    }
  fetch->submission = json_object_ref (json_node_get_object (answer));

  escaped = g_uri_escape_string (fetch->id, NULL, FALSE);
  url = g_strconcat (self->db_url, "/status%3A", escaped, NULL);
  cancellable = g_task_get_cancellable (task);
  call_async (self, SOUP_METHOD_GET, url, NULL, cancellable, fetch_status_cb, g_steal_pointer (&task));
}

/**
 * kiosk_hub_inbox_fetch_async:
 * @id: the request's UUID
 *
 * Reads one request's submission document and the city's status document
 * for it, if there is one.
 */
void
kiosk_hub_inbox_fetch_async (KioskHubInbox       *self,
                             const char          *id,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  GTask *task;
  Fetch *fetch;
  g_autofree char *escaped = NULL;
  g_autofree char *url = NULL;

  g_return_if_fail (KIOSK_IS_HUB_INBOX (self));
  g_return_if_fail (id != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, kiosk_hub_inbox_fetch_async);
  fetch = g_new0 (Fetch, 1);
  fetch->id = g_strdup (id);
  g_task_set_task_data (task, fetch, (GDestroyNotify) fetch_free);
  if (!g_uuid_string_is_valid (id))
    {
      g_task_return_new_error (task, KIOSK_TARGET_ERROR, KIOSK_TARGET_ERROR_HTTP, "%s is not a request id", id);
      g_object_unref (task);
      return;
    }
  escaped = g_uri_escape_string (id, NULL, FALSE);
  url = g_strconcat (self->db_url, "/", escaped, NULL);
  call_async (self, SOUP_METHOD_GET, url, NULL, cancellable, fetch_doc_cb, task);
}

/**
 * kiosk_hub_inbox_fetch_finish:
 * @out_status: (out) (optional) (transfer full) (nullable): the city's
 *   status document, %NULL when there is none yet
 *
 * Returns: (transfer full): the submission document, or %NULL with @error
 */
JsonObject *
kiosk_hub_inbox_fetch_finish (KioskHubInbox  *self,
                              GAsyncResult   *result,
                              JsonObject    **out_status,
                              GError        **error)
{
  Fetch *fetch;

  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  if (out_status != NULL)
    *out_status = NULL;
  if (!g_task_propagate_boolean (G_TASK (result), error))
    return NULL;
  fetch = g_task_get_task_data (G_TASK (result));
  if (out_status != NULL && fetch->status != NULL)
    *out_status = json_object_ref (fetch->status);
  return json_object_ref (fetch->submission);
}

/* ---- The city's answer ------------------------------------------------------ */

/**
 * kiosk_hub_inbox_build_status:
 * @submission: the request's document at the hub
 * @note: (nullable): language → text; empty texts are left out
 * @rev: (nullable): the revision of the status document it replaces
 *
 * Returns: (transfer full): the status document `status:<request id>`
 *   the kiosk follows (docs/hub.md)
 */
JsonObject *
kiosk_hub_inbox_build_status (JsonObject *submission,
                              const char *status,
                              JsonObject *note,
                              const char *rev,
                              GDateTime  *updated)
{
  JsonObject *doc = json_object_new ();
  g_autofree char *id = g_strconcat ("status:", string_member (submission, "_id"), NULL);
  g_autofree char *when = g_date_time_format (updated, "%Y-%m-%dT%H:%M:%SZ");

  json_object_set_string_member (doc, "_id", id);
  if (rev != NULL)
    json_object_set_string_member (doc, "_rev", rev);
  json_object_set_string_member (doc, "type", "status");
  json_object_set_string_member (doc, "request_id", string_member (submission, "_id"));
  json_object_set_string_member (doc, "kiosk_id", string_member (submission, "kiosk_id") != NULL
                                                  ? string_member (submission, "kiosk_id") : "");
  json_object_set_string_member (doc, "status", status);
  if (note != NULL)
    {
      g_autoptr(GList) members = json_object_get_members (note);
      JsonObject *texts = json_object_new ();

      for (GList *l = members; l != NULL; l = l->next)
        {
          const char *text = string_member (note, l->data);
          g_autofree char *stripped = text != NULL ? g_strstrip (g_strdup (text)) : NULL;

          if (stripped != NULL && *stripped != '\0')
            json_object_set_string_member (texts, l->data, stripped);
        }
      if (json_object_get_size (texts) > 0)
        json_object_set_object_member (doc, "note", texts);
      else
        json_object_unref (texts);
    }
  json_object_set_string_member (doc, "updated", when);
  return doc;
}

typedef struct
{
  JsonObject *submission;
  char       *status;
  JsonObject *note;
  char       *url;
} SetStatus;

static void
set_status_free (SetStatus *set)
{
  g_clear_pointer (&set->submission, json_object_unref);
  g_free (set->status);
  g_clear_pointer (&set->note, json_object_unref);
  g_free (set->url);
  g_free (set);
}

static void
set_status_written_cb (GObject      *object,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) answer = NULL;
  guint status;

  answer = call_finish (result, &status, &error);
  if (answer == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (status != 201 && status != 202)
    {
      if (status == 409)
        g_set_error (&error, KIOSK_TARGET_ERROR, KIOSK_TARGET_ERROR_HTTP,
                     "writing the status: somebody else changed it at the same time; open the request again");
      else
        set_http_error (&error, status, answer, "writing the status");
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  g_task_return_boolean (task, TRUE);
}

static void
set_status_rev_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  KioskHubInbox *self = g_task_get_source_object (task);
  SetStatus *set = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) answer = NULL;
  g_autoptr(JsonNode) body = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  GCancellable *cancellable;
  const char *rev = NULL;
  guint status;

  answer = call_finish (result, &status, &error);
  if (answer == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (status == 200 && JSON_NODE_HOLDS_OBJECT (answer))
    rev = string_member (json_node_get_object (answer), "_rev");
  else if (status != 404)
    {
      set_http_error (&error, status, answer, "reading the city's status");
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  body = json_node_new (JSON_NODE_OBJECT);
  json_node_take_object (body, kiosk_hub_inbox_build_status (set->submission, set->status, set->note, rev, now));
  cancellable = g_task_get_cancellable (task);
  call_async (self, SOUP_METHOD_PUT, set->url, body, cancellable, set_status_written_cb, g_steal_pointer (&task));
}

/**
 * kiosk_hub_inbox_set_status_async:
 * @submission: the request's document (kiosk_hub_inbox_fetch_finish())
 * @status: received, in_progress, done or rejected
 * @note: (nullable): the note for the citizen, language → text
 *
 * Writes the city's status document for the request, replacing an earlier
 * one; the kiosk picks it up from _changes.
 */
void
kiosk_hub_inbox_set_status_async (KioskHubInbox       *self,
                                  JsonObject          *submission,
                                  const char          *status,
                                  JsonObject          *note,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  GTask *task;
  SetStatus *set;
  g_autofree char *escaped = NULL;
  const char *id;

  g_return_if_fail (KIOSK_IS_HUB_INBOX (self));
  g_return_if_fail (submission != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, kiosk_hub_inbox_set_status_async);
  id = string_member (submission, "_id");
  if (!kiosk_inbox_status_is_valid (status) || id == NULL || !g_uuid_string_is_valid (id))
    {
      g_task_return_new_error (task, KIOSK_TARGET_ERROR, KIOSK_TARGET_ERROR_CONFIG,
                               "a status must be received, in_progress, done or rejected, for a request id");
      g_object_unref (task);
      return;
    }
  set = g_new0 (SetStatus, 1);
  set->submission = json_object_ref (submission);
  set->status = g_strdup (status);
  set->note = note != NULL ? json_object_ref (note) : NULL;
  escaped = g_uri_escape_string (id, NULL, FALSE);
  set->url = g_strconcat (self->db_url, "/status%3A", escaped, NULL);
  g_task_set_task_data (task, set, (GDestroyNotify) set_status_free);
  call_async (self, SOUP_METHOD_GET, set->url, NULL, cancellable, set_status_rev_cb, task);
}

gboolean
kiosk_hub_inbox_set_status_finish (KioskHubInbox  *self,
                                   GAsyncResult   *result,
                                   GError        **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ---- The answers ------------------------------------------------------------- */

/**
 * kiosk_hub_inbox_open_answers:
 * @submission: the request's document at the hub
 * @keys: (nullable): the city's key and trusted kiosks
 *   (kiosk_keys_load_for_counter()), for sealed requests
 *
 * The request's answers: as they are for `answers_format` json, opened
 * with the city's key for `sealed` (and checked to be this request's).
 *
 * Returns: (transfer full): the answers (a JSON object of field id →
 *   value), or %NULL with @error saying why not
 */
JsonNode *
kiosk_hub_inbox_open_answers (JsonObject  *submission,
                              KioskKeys   *keys,
                              GError     **error)
{
  const char *format = string_member (submission, "answers_format");

  if (g_strcmp0 (format, "json") == 0 && object_member (submission, "answers") != NULL)
    return json_node_copy (json_object_get_member (submission, "answers"));

  if (g_strcmp0 (format, "sealed") == 0)
    {
      g_autoptr(KioskPayload) payload = NULL;
      g_autoptr(JsonNode) answers = NULL;
      g_autoptr(GBytes) bytes = NULL;
      g_autofree guchar *sealed = NULL;
      const char *base64 = string_member (submission, "sealed_payload");
      gsize len = 0;
      GBytes *opened;

      if (keys == NULL)
        {
          g_set_error (error, KIOSK_TARGET_ERROR, KIOSK_TARGET_ERROR_CONFIG,
                       "the answers are sealed and this workstation has no city key ([keys] city-secret-key)");
          return NULL;
        }
      if (base64 == NULL)
        {
          g_set_error (error, KIOSK_TARGET_ERROR, KIOSK_TARGET_ERROR_HTTP, "the sealed request has no payload");
          return NULL;
        }
      sealed = g_base64_decode (base64, &len);
      bytes = g_bytes_new_take (g_steal_pointer (&sealed), len);
      payload = kiosk_payload_open (bytes, keys, error);
      if (payload == NULL)
        return NULL;
      /* A payload copied from another request must not pass as this one. */
      if (g_strcmp0 (kiosk_payload_get_id (payload), string_member (submission, "_id")) != 0)
        {
          g_set_error (error, KIOSK_TARGET_ERROR, KIOSK_TARGET_ERROR_HTTP,
                       "the sealed answers belong to another request (%s): refused", kiosk_payload_get_id (payload));
          return NULL;
        }
      opened = kiosk_payload_get_answers (payload);
      if (opened != NULL)
        answers = kiosk_json_parse_bytes (opened, KIOSK_JSON_OUTSIDE_DEPTH, NULL);
      if (answers == NULL || !JSON_NODE_HOLDS_OBJECT (answers))
        {
          g_set_error (error, KIOSK_TARGET_ERROR, KIOSK_TARGET_ERROR_HTTP,
                       "the sealed request holds a reference only, or answers that are not a JSON object");
          return NULL;
        }
      return g_steal_pointer (&answers);
    }

  g_set_error (error, KIOSK_TARGET_ERROR, KIOSK_TARGET_ERROR_HTTP,
               "the request's answers are in a form this workstation does not know (%s)",
               format != NULL ? format : "none");
  return NULL;
}

/* kiosk-couchdb-target.c
 *
 * SPDX-FileCopyrightText: 2026 Stadtkiosk contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "kiosk-couchdb-target"

#include "config.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>
#include <string.h>

#include "kiosk-couchdb-target.h"
#include "kiosk-couchdb-target-private.h"
#include "kiosk-http.h"
#include "kiosk-json-private.h"

/* Delivery into the city's hub: an Apache CouchDB database (pouchdb-server
 * in the tests).  Each request is one document whose _id is the request's
 * UUID, so the hub itself is the idempotency check: a second PUT of the same
 * id answers 409, and the kiosk then compares body_sha256 with what the hub
 * holds — the same means delivered (a replay), different means a clerk must
 * look.
 *
 * The sync asks for one request at a time, but gives this target up to
 * two batches of KIOSK_COUCHDB_BULK_MAX at once (get_max_in_flight);
 * deliveries asked for in the same main-loop turn are coalesced into one
 * POST /{db}/_bulk_docs of at most that many, and its per-document answers
 * are classified one by one.  A batch the server refuses as a whole with a
 * 4xx that is not about configuration falls back to one POST per document,
 * so one bad document never takes its batch mates with it.
 *
 * One _bulk_docs is at the hub at a time; the second batch is prepared
 * meanwhile (claimed, its documents built) and waits in `pending`.  When
 * the hub answers the first per document, the prepared batch is posted at
 * once, before the first one's outcomes go back to the sync: the hub
 * stores batch N+1 while the kiosk records batch N and builds N+2.  (Two
 * _bulk_docs at the hub at once do not overlap anything with
 * pouchdb-server: it interleaves them and answers both at the end, so the
 * kiosk then waited for two batches and the hub for the kiosk.)  When the
 * hub fails the first batch as a whole (no answer, 5xx, 401…), the
 * prepared batch is not sent: each of its deliveries ends with the first
 * batch's outcome, marked "not sent", so a pause stays quiet and a hub that
 * did not answer is probed before anything else goes out.
 *
 * Every exchange has an overall deadline, a cap on the answer's size and
 * the certificate pin, all from kiosk-http.c: libsoup's own timeout is an
 * inactivity timeout that a peer trickling a byte a second never trips.
 *
 * Privacy: neither bodies nor the password are ever logged. */

#define MESSAGE_MAX 300
/* Answers larger than this are refused (a _bulk_docs answer for
 * KIOSK_COUCHDB_BULK_MAX documents is about 10 KB). */
#define ANSWER_CAP (4 * 1024 * 1024)

struct _KioskCouchdbTarget
{
  GObject      parent_instance;

  KioskClock  *clock;
  SoupSession *session;
  char        *db_url;          /* server and database, no trailing slash */
  char        *kiosk_id;
  char        *authorization;   /* "Basic …" or NULL; never logged */
  char        *pin_sha256;      /* lower-case hex, nullable */
  char        *since_path;      /* where the _changes position is kept */
  guint        deadline_s;      /* overall deadline of one exchange */

  GPtrArray   *pending;         /* GTask of deliveries not yet sent (the prepared batch) */
  guint        flush_id;
  guint        posts;           /* _bulk_docs at the hub now */
  gboolean     fresh_ids;       /* negative control: a new _id per attempt */
  guint        batch_max;       /* documents per _bulk_docs */
  gboolean     prepare_ahead;   /* a second batch waits while one is at the hub */
};

static void kiosk_couchdb_target_iface_init (KioskTargetInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (KioskCouchdbTarget, kiosk_couchdb_target, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (KIOSK_TYPE_TARGET, kiosk_couchdb_target_iface_init))

/* ---- One HTTP exchange --------------------------------------------------
 *
 * kiosk-http.c gives the overall deadline, the cap on the answer and the
 * certificate pin (kiosk_http_send_pinned_async()); this only dresses the
 * message for the hub. */

typedef struct
{
  SoupMessage *message;
  gboolean     cancelled;   /* by the caller, not by the deadline or the pin */
} Call;

static void
call_free (Call *call)
{
  g_clear_object (&call->message);
  g_free (call);
}

GBytes *
_kiosk_couchdb_send_finish (GAsyncResult  *result,
                            GError       **error)
{
  GError *local_error = NULL;
  GBytes *body = kiosk_http_send_finish (result, &local_error);

  if (g_error_matches (local_error, KIOSK_HTTP_ERROR, KIOSK_HTTP_ERROR_PIN_MISMATCH))
    {
      g_clear_error (&local_error);
      g_set_error_literal (error, G_TLS_ERROR, G_TLS_ERROR_BAD_CERTIFICATE,
                           "the server's certificate does not match [couchdb] pin-sha256");
      return NULL;
    }
  if (local_error != NULL)
    g_propagate_error (error, local_error);
  return body;
}

static void
call_sent_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Call *call = g_task_get_task_data (task);
  GError *error = NULL;
  GBytes *body;

  body = _kiosk_couchdb_send_finish (result, &error);
  if (body == NULL)
    {
      call->cancelled = g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
      g_task_return_error (task, error);
    }
  else
    g_task_return_pointer (task, body, (GDestroyNotify) g_bytes_unref);
}

/* Sends @method @url with @body (nullable, JSON) and reads the answer, up to
 * @cap bytes, all within @self's deadline.  Finish with call_finish(). */
static void
call_async (KioskCouchdbTarget  *self,
            const char          *method,
            const char          *url,
            GBytes              *body,
            gsize                cap,
            GCancellable        *outer,
            GAsyncReadyCallback  callback,
            gpointer             user_data)
{
  GTask *task = g_task_new (self, NULL, callback, user_data);
  Call *call = g_new0 (Call, 1);

  call->message = soup_message_new (method, url);
  g_task_set_task_data (task, call, (GDestroyNotify) call_free);

  /* Every write here is idempotent by its document id; without the flag
   * libsoup 3.2 opens a new connection for every POST. */
  soup_message_add_flags (call->message, SOUP_MESSAGE_NO_REDIRECT | SOUP_MESSAGE_IDEMPOTENT);
  soup_message_headers_replace (soup_message_get_request_headers (call->message), "Accept", "application/json");
  if (self->authorization != NULL)
    soup_message_headers_replace (soup_message_get_request_headers (call->message),
                                  "Authorization", self->authorization);
  if (body != NULL)
    soup_message_set_request_body_from_bytes (call->message, "application/json", body);

  kiosk_http_send_pinned_async (self->session, call->message, self->pin_sha256, self->deadline_s, cap,
                                outer, call_sent_cb, task);
}

/* Returns: (transfer full): the answer's body, or %NULL with @error set;
 *   @out_status is the HTTP status, 0 without an answer. */
static GBytes *call_finish (GAsyncResult *result, guint *out_status, char **out_retry_after, GError **error);

/**
 * kiosk_couchdb_target_get_async:
 * @path: below the database, e.g. "status%3Aabc" or a view with its query,
 *   already escaped
 * @deadline_s: the whole exchange's deadline, seconds (a citizen waiting at
 *   the screen wants less than [backend] timeout)
 * @max_body: the largest answer taken (KIOSK_HTTP_MAX_BODY, or
 *   KIOSK_HTTP_MAX_CATALOG for the catalogue bundle)
 *
 * One read from the hub with the target's login, pin and answer cap.  The
 * status page asks the hub for codes of other kiosks with it (#16), the
 * hub agent for the city's catalogue (#13).
 */
void
kiosk_couchdb_target_get_async (KioskCouchdbTarget  *self,
                                const char          *path,
                                guint                deadline_s,
                                gsize                max_body,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  GTask *task;
  Call *call;
  g_autofree char *url = NULL;

  g_return_if_fail (KIOSK_IS_COUCHDB_TARGET (self));
  g_return_if_fail (path != NULL);

  url = g_strconcat (self->db_url, "/", path, NULL);
  task = g_task_new (self, NULL, callback, user_data);
  call = g_new0 (Call, 1);
  call->message = soup_message_new ("GET", url);
  g_task_set_task_data (task, call, (GDestroyNotify) call_free);
  if (call->message == NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, "not a URL below the hub");
      g_object_unref (task);
      return;
    }
  soup_message_add_flags (call->message, SOUP_MESSAGE_NO_REDIRECT);
  soup_message_headers_replace (soup_message_get_request_headers (call->message), "Accept", "application/json");
  if (self->authorization != NULL)
    soup_message_headers_replace (soup_message_get_request_headers (call->message),
                                  "Authorization", self->authorization);
  kiosk_http_send_pinned_async (self->session, call->message, self->pin_sha256, MAX (deadline_s, 1),
                                max_body, cancellable, call_sent_cb, task);
}

/**
 * kiosk_couchdb_target_get_finish:
 * @out_status: (out): the HTTP status, 0 without an answer
 *
 * Returns: (transfer full): the answer's body, or %NULL with @error set
 */
GBytes *
kiosk_couchdb_target_get_finish (KioskCouchdbTarget  *self,
                                 GAsyncResult        *result,
                                 guint               *out_status,
                                 GError             **error)
{
  guint status = 0;
  GBytes *body;

  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  body = call_finish (result, &status, NULL, error);
  if (out_status != NULL)
    *out_status = status;
  return body;
}

/* Returns: (transfer full): the answer's body, or %NULL with @error set;
 *   @out_status is the HTTP status, 0 without an answer. */
static GBytes *
call_finish (GAsyncResult  *result,
             guint         *out_status,
             char         **out_retry_after,
             GError       **error)
{
  Call *call = g_task_get_task_data (G_TASK (result));
  GBytes *body = g_task_propagate_pointer (G_TASK (result), error);

  *out_status = body != NULL ? soup_message_get_status (call->message) : 0;
  if (out_retry_after != NULL)
    *out_retry_after = body != NULL
      ? g_strdup (soup_message_headers_get_one (soup_message_get_response_headers (call->message), "Retry-After"))
      : NULL;
  return body;
}

/* A cancellation by the caller (not by the deadline or the pin check). */
static gboolean
call_was_cancelled (GAsyncResult *result)
{
  Call *call = g_task_get_task_data (G_TASK (result));

  return call->cancelled;
}

/* ---- Reading CouchDB's answers ------------------------------------------- */

/* The strict reader with its depth limit: json-glib's parser overflows
 * the stack on 100 KB of "[", and a hub's answer may be up to 1 MiB (#12). */
static JsonNode *
parse_json (GBytes *body)
{
  return kiosk_json_parse_bytes (body, KIOSK_JSON_OUTSIDE_DEPTH, NULL);
}

static const char *
object_get_string (JsonObject *object,
                   const char *member)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, member) : NULL;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

/* Server text for a clerk's or admin's screen: valid UTF-8, no control
 * characters, cut to a sensible length. */
static char *
clean_message (const char *text)
{
  g_autofree char *valid = g_utf8_make_valid (text, -1);

  for (char *p = valid; *p != '\0'; p++)
    if ((guchar) *p < 0x20)
      *p = ' ';
  if (g_utf8_strlen (valid, -1) > MESSAGE_MAX)
    *g_utf8_offset_to_pointer (valid, MESSAGE_MAX) = '\0';
  return g_steal_pointer (&valid);
}

/* CouchDB's {"error": …, "reason": …} as "HTTP 400: bad_request: …". */
static char *
couch_message (guint       status,
               JsonObject *object)
{
  const char *error = object_get_string (object, "error");
  const char *reason = object_get_string (object, "reason");
  g_autofree char *text = NULL;

  if (status != 0)
    text = g_strdup_printf ("HTTP %u: %s%s%s", status, error != NULL ? error : "error",
                            reason != NULL ? ": " : "", reason != NULL ? reason : "");
  else
    text = g_strdup_printf ("%s%s%s", error != NULL ? error : "error",
                            reason != NULL ? ": " : "", reason != NULL ? reason : "");
  return clean_message (text);
}

/* The outcome of an answer that is not the document-level success or
 * conflict: the shared rules, with messages naming the [couchdb] keys. */
static KioskOutcome *
outcome_for_status (KioskCouchdbTarget *self,
                    guint               status,
                    GBytes             *body,
                    const char         *retry_after)
{
  g_autoptr(JsonNode) root = parse_json (body);
  JsonObject *object = root != NULL && JSON_NODE_HOLDS_OBJECT (root) ? json_node_get_object (root) : NULL;
  KioskOutcomeKind kind = kiosk_target_classify_status (status);
  g_autofree char *text = NULL;
  KioskOutcome *outcome;

  switch (kind)
    {
    case KIOSK_OUTCOME_PAUSE:
      if (status == 401)
        text = g_strdup ("HTTP 401: the hub does not accept this kiosk's login ([couchdb] user, password-file)");
      else if (status == 403 && object_get_string (object, "reason") != NULL)
        {
          g_autofree char *reason = clean_message (object_get_string (object, "reason"));

          text = g_strdup_printf ("HTTP 403: the hub refuses: %s ([couchdb] user; the design document)", reason);
        }
      else if (status == 403)
        text = g_strdup ("HTTP 403: this kiosk's hub user may not write there ([couchdb] user; the database's _security)");
      else if (status == 404)
        text = g_strdup_printf ("HTTP 404: no database at %s (check [couchdb] url, or run: stadtkioskctl hub setup)",
                                self->db_url);
      else
        text = g_strdup_printf ("HTTP %u from %s: check [couchdb] url", status, self->db_url);
      break;
    case KIOSK_OUTCOME_RETRY:
    case KIOSK_OUTCOME_REJECTED:
    case KIOSK_OUTCOME_DELIVERED:
    default:
      text = couch_message (status, object);
      break;
    }
  outcome = kiosk_outcome_new (kind, status, text);
  if (kind == KIOSK_OUTCOME_RETRY)
    outcome->retry_after_us = kiosk_target_parse_retry_after (retry_after, kiosk_clock_get_now (self->clock));
  return outcome;
}

static KioskOutcome *
outcome_for_error (const GError *error)
{
  return kiosk_target_classify_error (error);
}

/* ---- Documents ----------------------------------------------------------- */

/* One delivery asked for by the sync: its document, ready to send. */
typedef struct
{
  char   *id;          /* the document's _id */
  char   *sha256;      /* body_sha256 */
  GBytes *doc;         /* the document as sent */
  char   *short_code;  /* for debug output only */
} Delivery;

static void
delivery_free (Delivery *delivery)
{
  g_free (delivery->id);
  g_free (delivery->sha256);
  g_clear_pointer (&delivery->doc, g_bytes_unref);
  g_free (delivery->short_code);
  g_free (delivery);
}

static void
return_outcome (GTask        *task,
                KioskOutcome *outcome)
{
  Delivery *delivery = g_task_get_task_data (task);

  g_debug ("%s: %s (HTTP %u)", delivery->short_code, kiosk_outcome_kind_to_string (outcome->kind), outcome->status);
  g_task_return_pointer (task, outcome, (GDestroyNotify) kiosk_outcome_free);
}

static KioskOutcome *
delivered (Delivery   *delivery,
           guint       status,
           const char *message)
{
  KioskOutcome *outcome = kiosk_outcome_new (KIOSK_OUTCOME_DELIVERED, status, message);

  outcome->remote_ref = g_strdup (delivery->id);
  return outcome;
}

/* ---- 409: is the hub's document ours? ------------------------------------ */

static void
conflict_read_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  KioskCouchdbTarget *self = g_task_get_source_object (task);
  Delivery *delivery = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *retry_after = NULL;
  const char *theirs;
  guint status;

  body = call_finish (result, &status, &retry_after, &error);
  if (body == NULL)
    {
      if (call_was_cancelled (result))
        g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED, "cancelled");
      else
        return_outcome (task, outcome_for_error (error));
      return;
    }
  if (status != SOUP_STATUS_OK)
    {
      KioskOutcome *outcome = outcome_for_status (self, status, body, retry_after);

      /* The document vanished between the 409 and this look (deleted by
       * the city?): send again; the next attempt tells. */
      if (outcome->kind == KIOSK_OUTCOME_PAUSE && status == SOUP_STATUS_NOT_FOUND)
        outcome->kind = KIOSK_OUTCOME_RETRY;
      return_outcome (task, outcome);
      return;
    }

  root = parse_json (body);
  theirs = root != NULL && JSON_NODE_HOLDS_OBJECT (root)
           ? object_get_string (json_node_get_object (root), "body_sha256") : NULL;
  if (theirs != NULL && g_ascii_strcasecmp (theirs, delivery->sha256) == 0)
    return_outcome (task, delivered (delivery, 409, "already at the hub (a replay)"));
  else
    return_outcome (task, kiosk_outcome_new (KIOSK_OUTCOME_REJECTED, 409,
                                             "the hub holds a different document under this request's id "
                                             "(body_sha256 differs): a clerk must compare them"));
}

static void
check_conflict (KioskCouchdbTarget *self,
                GTask              *task)
{
  Delivery *delivery = g_task_get_task_data (task);
  g_autofree char *escaped = g_uri_escape_string (delivery->id, NULL, FALSE);
  g_autofree char *url = g_strconcat (self->db_url, "/", escaped, NULL);

  call_async (self, SOUP_METHOD_GET, url, NULL, ANSWER_CAP, g_task_get_cancellable (task),
              conflict_read_cb, task);
}

/* ---- One document alone: POST /{db} --------------------------------------- */

static void
put_done_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  GTask *task = user_data;
  KioskCouchdbTarget *self = g_task_get_source_object (task);
  Delivery *delivery = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autofree char *retry_after = NULL;
  guint status;

  body = call_finish (result, &status, &retry_after, &error);
  if (body == NULL)
    {
      if (call_was_cancelled (result))
        g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED, "cancelled");
      else
        return_outcome (task, outcome_for_error (error));
      g_object_unref (task);
      return;
    }
  if (status == SOUP_STATUS_CREATED || status == SOUP_STATUS_ACCEPTED)
    return_outcome (task, delivered (delivery, status, NULL));
  else if (status == SOUP_STATUS_CONFLICT)
    {
      check_conflict (self, task);
      return;
    }
  else
    return_outcome (task, outcome_for_status (self, status, body, retry_after));
  g_object_unref (task);
}

static void
put_one (KioskCouchdbTarget *self,
         GTask              *task)
{
  Delivery *delivery = g_task_get_task_data (task);

  /* POST /{db} with the _id in the body, not PUT /{db}/{id}: a request
   * cut off in the middle can then never leave a document under our id.
   * (pouchdb-server stores an empty document for a PUT whose body never
   * arrived in full; seen in the fleet simulation.) */
  call_async (self, SOUP_METHOD_POST, self->db_url, delivery->doc, ANSWER_CAP, g_task_get_cancellable (task),
              put_done_cb, task);
}

/* ---- Many documents: POST /{db}/_bulk_docs ------------------------------- */

static gboolean flush_cb (gpointer user_data);

/* Sends what is pending in an idle, unless that is already arranged. */
static void
schedule_flush (KioskCouchdbTarget *self)
{
  if (self->pending->len > 0 && self->flush_id == 0)
    self->flush_id = g_idle_add (flush_cb, self);
}

/* Sends what is pending now (the first batch of it). */
static void
flush_now (KioskCouchdbTarget *self)
{
  g_clear_handle_id (&self->flush_id, g_source_remove);
  flush_cb (self);
}

/* The outcome of one document of a _bulk_docs answer, or NULL when it is a
 * conflict that needs a look. */
static KioskOutcome *
outcome_for_doc_result (Delivery   *delivery,
                        JsonObject *result)
{
  const char *error;
  g_autofree char *text = NULL;

  if (result == NULL)
    return kiosk_outcome_new (KIOSK_OUTCOME_RETRY, 0, "the hub's _bulk_docs answer does not mention this document");

  error = object_get_string (result, "error");
  if (error == NULL)
    {
      if (object_get_string (result, "rev") == NULL)
        return kiosk_outcome_new (KIOSK_OUTCOME_RETRY, 0, "the hub answered without a revision");
      return delivered (delivery, 201, NULL);
    }
  if (g_str_equal (error, "conflict"))
    return NULL;

  text = couch_message (0, result);
  /* validate_doc_update refused this document: it is the document's fault
   * (another kiosk's id, a missing field), not the login's. */
  if (g_str_equal (error, "forbidden"))
    return kiosk_outcome_new (KIOSK_OUTCOME_REJECTED, 403, text);
  if (g_str_equal (error, "unauthorized"))
    {
      g_autofree char *pause = g_strdup_printf ("the hub refuses this kiosk's login for writing (%s; [couchdb] user)", text);

      return kiosk_outcome_new (KIOSK_OUTCOME_PAUSE, 401, pause);
    }
  return kiosk_outcome_new (KIOSK_OUTCOME_RETRY, 0, text);
}

/* Each document's answer in @root (a _bulk_docs answer) to its delivery. */
static void
return_answers (KioskCouchdbTarget *self,
                GPtrArray          *batch,
                JsonNode           *root)
{
  g_autoptr(GHashTable) by_id = g_hash_table_new (g_str_hash, g_str_equal);

  for (guint i = 0; i < json_array_get_length (json_node_get_array (root)); i++)
    {
      JsonNode *element = json_array_get_element (json_node_get_array (root), i);
      const char *id;

      if (!JSON_NODE_HOLDS_OBJECT (element))
        continue;
      id = object_get_string (json_node_get_object (element), "id");
      if (id != NULL)
        g_hash_table_insert (by_id, (gpointer) id, json_node_get_object (element));
    }

  for (guint i = 0; i < batch->len; i++)
    {
      GTask *task = batch->pdata[i];
      Delivery *delivery = g_task_get_task_data (task);
      KioskOutcome *outcome = outcome_for_doc_result (delivery, g_hash_table_lookup (by_id, delivery->id));

      if (outcome == NULL)
        check_conflict (self, g_object_ref (task));
      else
        return_outcome (task, outcome);
    }
}

/* The hub failed a whole batch (no answer, 5xx, 401…): each of its
 * deliveries ends with @shared.  The prepared batch was never sent: it ends
 * as its predecessor did (a pause releases it, a retry waits the backoff,
 * no answer makes the sync probe before anything else goes out), after the
 * predecessor's outcomes, marked "not sent". */
static void
return_failed (KioskCouchdbTarget *self,
               GPtrArray          *batch,
               KioskOutcome       *shared)
{
  g_autoptr(GPtrArray) held = NULL;

  if (self->prepare_ahead && self->pending->len > 0)
    {
      held = g_steal_pointer (&self->pending);
      self->pending = g_ptr_array_new_with_free_func (g_object_unref);
      g_clear_handle_id (&self->flush_id, g_source_remove);
    }
  for (guint i = 0; i < batch->len; i++)
    return_outcome (batch->pdata[i], kiosk_outcome_copy (shared));
  for (guint i = 0; held != NULL && i < held->len; i++)
    {
      KioskOutcome *outcome = kiosk_outcome_copy (shared);

      g_free (outcome->message);
      outcome->message = g_strdup_printf ("not sent: the hub failed the _bulk_docs before it (%s)",
                                          shared->message != NULL ? shared->message : "no message");
      return_outcome (held->pdata[i], outcome);
    }
  kiosk_outcome_free (shared);
}

/* A batch the hub answered, waiting for the next one to leave. */
typedef struct
{
  KioskCouchdbTarget *self;
  GPtrArray          *batch;   /* GTask */
  JsonNode           *root;
} Answered;

static gboolean
answered_idle_cb (gpointer user_data)
{
  Answered *answered = user_data;

  return_answers (answered->self, answered->batch, answered->root);
  g_object_unref (answered->self);
  g_ptr_array_unref (answered->batch);
  json_node_unref (answered->root);
  g_free (answered);
  return G_SOURCE_REMOVE;
}

static void
bulk_done_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GPtrArray) batch = user_data;
  KioskCouchdbTarget *self = KIOSK_COUCHDB_TARGET (object);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *retry_after = NULL;
  KioskOutcome *shared = NULL;
  guint status;

  body = call_finish (result, &status, &retry_after, &error);
  g_assert (self->posts > 0);
  self->posts--;

  if (body == NULL && call_was_cancelled (result))
    {
      for (guint i = 0; i < batch->len; i++)
        g_task_return_new_error (batch->pdata[i], G_IO_ERROR, G_IO_ERROR_CANCELLED, "cancelled");
      /* Deliveries of a sync started again may wait behind it. */
      schedule_flush (self);
      return;
    }
  if (body == NULL)
    shared = outcome_for_error (error);
  else if (status == SOUP_STATUS_CREATED || status == SOUP_STATUS_OK || status == SOUP_STATUS_ACCEPTED)
    {
      root = parse_json (body);
      if (root == NULL || !JSON_NODE_HOLDS_ARRAY (root))
        shared = kiosk_outcome_new (KIOSK_OUTCOME_RETRY, status, "the hub's _bulk_docs answer is not a JSON array");
    }
  else
    {
      shared = outcome_for_status (self, status, body, retry_after);
      if (shared->kind == KIOSK_OUTCOME_REJECTED)
        {
          /* The batch as a whole was refused (400, 413, 415): try each
           * document alone, so that each gets its own answer. */
          g_clear_pointer (&shared, kiosk_outcome_free);
          for (guint i = 0; i < batch->len; i++)
            put_one (self, g_object_ref (batch->pdata[i]));
          if (self->prepare_ahead)
            flush_now (self);
          return;
        }
    }

  if (shared != NULL)
    {
      return_failed (self, batch, shared);
      return;
    }

  /* The hub answered per document: the prepared batch goes now, and the
   * hub stores it while this one's outcomes are recorded. */
  if (self->prepare_ahead)
    flush_now (self);
  if (self->prepare_ahead && self->posts > 0)
    {
      /* libsoup writes the prepared batch from the main loop: let it leave
       * before this batch's outcomes are recorded, or the hub would wait
       * for them after all. */
      Answered *answered = g_new0 (Answered, 1);

      answered->self = g_object_ref (self);
      answered->batch = g_steal_pointer (&batch);
      answered->root = g_steal_pointer (&root);
      g_idle_add (answered_idle_cb, answered);
      return;
    }
  return_answers (self, batch, root);
}

static gboolean
flush_cb (gpointer user_data)
{
  KioskCouchdbTarget *self = user_data;
  g_autoptr(GString) text = g_string_new ("{\"docs\":[");
  g_autoptr(GBytes) body = NULL;
  g_autofree char *url = NULL;
  GPtrArray *batch;
  guint n;

  self->flush_id = 0;
  n = MIN (self->pending->len, self->batch_max);
  /* With a batch at the hub, this one waits for its answer (bulk_done_cb
   * sends it). */
  if (n == 0 || (self->prepare_ahead && self->posts > 0))
    return G_SOURCE_REMOVE;

  batch = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < n; i++)
    {
      GTask *task = self->pending->pdata[i];
      Delivery *delivery = g_task_get_task_data (task);

      g_ptr_array_add (batch, g_object_ref (task));
      if (i > 0)
        g_string_append_c (text, ',');
      g_string_append_len (text, g_bytes_get_data (delivery->doc, NULL), (gssize) g_bytes_get_size (delivery->doc));
    }
  g_ptr_array_remove_range (self->pending, 0, n);
  g_string_append (text, "]}");
  self->posts++;

  if (!self->prepare_ahead)
    schedule_flush (self);

  body = g_string_free_to_bytes (g_steal_pointer (&text));
  url = g_strconcat (self->db_url, "/_bulk_docs", NULL);
  call_async (self, SOUP_METHOD_POST, url, body, ANSWER_CAP,
              g_task_get_cancellable (batch->pdata[0]), bulk_done_cb, batch);
  return G_SOURCE_REMOVE;
}

/* ---- KioskTarget ---------------------------------------------------------- */

static void
kiosk_couchdb_target_deliver_async (KioskTarget         *target,
                                    KioskRequest        *request,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  KioskCouchdbTarget *self = KIOSK_COUCHDB_TARGET (target);
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;
  Delivery *delivery;

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, kiosk_target_deliver_async);

  delivery = g_new0 (Delivery, 1);
  delivery->short_code = g_strdup (kiosk_request_get_short_code (request));
  g_task_set_task_data (task, delivery, (GDestroyNotify) delivery_free);
  delivery->doc = kiosk_couchdb_target_build_doc (self, request, &delivery->sha256, &error);
  if (delivery->doc == NULL)
    {
      /* Nothing a retry would change: a clerk must look at it. */
      return_outcome (task, kiosk_outcome_new (KIOSK_OUTCOME_REJECTED, 0, error->message));
      return;
    }
  delivery->id = g_strdup (kiosk_request_get_id (request));
  if (self->fresh_ids)
    {
      /* The negative control: a new id per attempt, as a client without an
       * idempotency key would do.  The hub then stores duplicates. */
      g_autofree char *fresh = g_uuid_string_random ();

      g_free (delivery->id);
      delivery->id = g_strconcat (kiosk_request_get_id (request), "-", fresh, NULL);
      g_clear_pointer (&delivery->doc, g_bytes_unref);
      delivery->doc = _kiosk_couchdb_target_build_doc_with_id (self, request, delivery->id, NULL, NULL);
    }

  g_ptr_array_add (self->pending, g_steal_pointer (&task));
  if (self->pending->len >= self->batch_max)
    flush_now (self);
  else
    schedule_flush (self);
}

static KioskOutcome *
kiosk_couchdb_target_deliver_finish (KioskTarget   *target,
                                     GAsyncResult  *result,
                                     GError       **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
probe_done_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  KioskCouchdbTarget *self = g_task_get_source_object (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autofree char *retry_after = NULL;
  guint status;

  body = call_finish (result, &status, &retry_after, &error);
  if (body == NULL && call_was_cancelled (result))
    g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED, "cancelled");
  else if (body == NULL)
    g_task_return_pointer (task, outcome_for_error (error), (GDestroyNotify) kiosk_outcome_free);
  else if (status == SOUP_STATUS_OK)
    g_task_return_pointer (task, kiosk_outcome_new (KIOSK_OUTCOME_DELIVERED, status, NULL),
                           (GDestroyNotify) kiosk_outcome_free);
  else
    g_task_return_pointer (task, outcome_for_status (self, status, body, retry_after),
                           (GDestroyNotify) kiosk_outcome_free);
}

/* GET /{db}: reachable, the database exists and this kiosk may read it. */
static void
kiosk_couchdb_target_probe_async (KioskTarget         *target,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  KioskCouchdbTarget *self = KIOSK_COUCHDB_TARGET (target);
  GTask *task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, kiosk_target_probe_async);
  call_async (self, SOUP_METHOD_GET, self->db_url, NULL, ANSWER_CAP, cancellable, probe_done_cb, task);
}

static char *
kiosk_couchdb_target_describe (KioskTarget *target)
{
  return g_strdup_printf ("CouchDB hub %s", KIOSK_COUCHDB_TARGET (target)->db_url);
}

/* A whole _bulk_docs batch at once, and one more prepared while it is at
 * the hub: with the sync's default of four in flight the batches were four
 * documents, and with one batch the kiosk and the hub took turns
 * (docs/hub.md). */
static guint
kiosk_couchdb_target_get_max_in_flight (KioskTarget *target)
{
  KioskCouchdbTarget *self = KIOSK_COUCHDB_TARGET (target);

  return self->prepare_ahead ? 2 * self->batch_max : self->batch_max;
}

static void
kiosk_couchdb_target_iface_init (KioskTargetInterface *iface)
{
  iface->get_max_in_flight = kiosk_couchdb_target_get_max_in_flight;
  iface->deliver_async = kiosk_couchdb_target_deliver_async;
  iface->deliver_finish = kiosk_couchdb_target_deliver_finish;
  iface->probe_async = kiosk_couchdb_target_probe_async;
  iface->probe_finish = kiosk_couchdb_target_deliver_finish;
  iface->describe = kiosk_couchdb_target_describe;
}

static void
kiosk_couchdb_target_dispose (GObject *object)
{
  KioskCouchdbTarget *self = (KioskCouchdbTarget *)object;

  g_clear_handle_id (&self->flush_id, g_source_remove);
  if (self->pending != NULL)
    {
      /* Deliveries asked for but never sent: the sync gives them back. */
      for (guint i = 0; i < self->pending->len; i++)
        g_task_return_new_error (self->pending->pdata[i], G_IO_ERROR, G_IO_ERROR_CANCELLED, "cancelled");
      g_ptr_array_set_size (self->pending, 0);
    }
  if (self->session != NULL)
    soup_session_abort (self->session);
  g_clear_object (&self->session);
  g_clear_object (&self->clock);

  G_OBJECT_CLASS (kiosk_couchdb_target_parent_class)->dispose (object);
}

static void
kiosk_couchdb_target_finalize (GObject *object)
{
  KioskCouchdbTarget *self = (KioskCouchdbTarget *)object;

  g_clear_pointer (&self->pending, g_ptr_array_unref);
  g_free (self->db_url);
  g_free (self->kiosk_id);
  if (self->authorization != NULL)
    memset (self->authorization, 0, strlen (self->authorization));
  g_free (self->authorization);
  g_free (self->pin_sha256);
  g_free (self->since_path);

  G_OBJECT_CLASS (kiosk_couchdb_target_parent_class)->finalize (object);
}

static void
kiosk_couchdb_target_class_init (KioskCouchdbTargetClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = kiosk_couchdb_target_dispose;
  object_class->finalize = kiosk_couchdb_target_finalize;
}

static void
kiosk_couchdb_target_init (KioskCouchdbTarget *self)
{
  self->pending = g_ptr_array_new_with_free_func (g_object_unref);
  self->batch_max = KIOSK_COUCHDB_BULK_MAX;
  self->prepare_ahead = TRUE;
}

/* ---- Construction --------------------------------------------------------- */

/* The hub password: a file only its owner may read, like the token.  Also
 * the counter's inbox (kiosk-hub-inbox.c). */
char *
_kiosk_couchdb_read_password (const char  *path,
                              GError     **error)
{
  GStatBuf st;
  g_autofree char *contents = NULL;
  g_autoptr(GError) local_error = NULL;

  if (g_stat (path, &st) != 0)
    {
      int errsv = errno;

      g_set_error (error, KIOSK_TARGET_ERROR, KIOSK_TARGET_ERROR_CONFIG,
                   "password file %s ([couchdb] password-file): %s", path, g_strerror (errsv));
      return NULL;
    }
  if ((st.st_mode & 077) != 0)
    {
      g_set_error (error, KIOSK_TARGET_ERROR, KIOSK_TARGET_ERROR_CONFIG,
                   "password file %s ([couchdb] password-file) is readable by group or others "
                   "(mode %04o); run: chmod 600 %s", path, (guint) (st.st_mode & 07777), path);
      return NULL;
    }
  if (!g_file_get_contents (path, &contents, NULL, &local_error))
    {
      g_set_error (error, KIOSK_TARGET_ERROR, KIOSK_TARGET_ERROR_CONFIG,
                   "password file %s ([couchdb] password-file): %s", path, local_error->message);
      return NULL;
    }
  g_strstrip (contents);
  if (*contents == '\0' || !g_utf8_validate (contents, -1, NULL))
    {
      g_set_error (error, KIOSK_TARGET_ERROR, KIOSK_TARGET_ERROR_CONFIG,
                   "password file %s ([couchdb] password-file) is empty or not UTF-8", path);
      return NULL;
    }
  return g_steal_pointer (&contents);
}

/**
 * _kiosk_couchdb_login:
 * @config: [couchdb] ca-file and pin-sha256, [backend] timeout; and url,
 *   user, password-file where the arguments are %NULL or ""
 * @max_connections: exchanges the caller runs at once
 * @login: (out caller-allocates): filled on success; free with
 *   _kiosk_couchdb_login_clear()
 *
 * What the target and the counter's inbox both need to talk to the hub:
 * the database's URL without a trailing slash, the Basic authorization
 * from the password file, the pin, and a session from the one factory
 * (kiosk_http_session_new()) trusting [couchdb] ca-file.
 *
 * Returns: %FALSE with @error set (%KIOSK_TARGET_ERROR_CONFIG naming the
 *   setting) when no hub is configured or a file cannot be used
 */
gboolean
_kiosk_couchdb_login (KioskConfig       *config,
                      const char        *url,
                      const char        *user,
                      const char        *password_file,
                      guint              max_connections,
                      KioskCouchdbLogin *login,
                      GError           **error)
{
  g_auto(KioskCouchdbLogin) out = { 0 };
  g_autoptr(GError) local_error = NULL;
  const char *pin;

  if (url == NULL || *url == '\0')
    url = kiosk_config_get_couchdb_url (config);
  if (url == NULL || *url == '\0')
    {
      g_set_error (error, KIOSK_TARGET_ERROR, KIOSK_TARGET_ERROR_CONFIG,
                   "no hub configured ([couchdb] url is empty)");
      return FALSE;
    }
  if (user == NULL || *user == '\0')
    user = kiosk_config_get_couchdb_user (config);
  if (password_file == NULL || *password_file == '\0')
    password_file = kiosk_config_get_couchdb_password_file (config);

  out.db_url = g_strdup (url);
  while (g_str_has_suffix (out.db_url, "/"))
    out.db_url[strlen (out.db_url) - 1] = '\0';
  out.deadline_s = MAX (kiosk_config_get_request_timeout (config), 1);

  if (user != NULL && *user != '\0')
    {
      g_autofree char *password = NULL;
      g_autofree char *pair = NULL;
      g_autofree char *base64 = NULL;

      if (password_file == NULL || *password_file == '\0')
        {
          g_set_error (error, KIOSK_TARGET_ERROR, KIOSK_TARGET_ERROR_CONFIG,
                       "[couchdb] user is set but [couchdb] password-file is not");
          return FALSE;
        }
      password = _kiosk_couchdb_read_password (password_file, error);
      if (password == NULL)
        return FALSE;
      pair = g_strconcat (user, ":", password, NULL);
      base64 = g_base64_encode ((const guchar *) pair, strlen (pair));
      out.authorization = g_strconcat ("Basic ", base64, NULL);
      memset (password, 0, strlen (password));
      memset (pair, 0, strlen (pair));
    }

  pin = kiosk_config_get_couchdb_pin_sha256 (config);
  if (pin != NULL && *pin != '\0')
    out.pin_sha256 = g_ascii_strdown (pin, -1);

  out.session = kiosk_http_session_new (kiosk_config_get_request_timeout (config), MAX (max_connections, 1),
                                        kiosk_config_get_couchdb_ca_file (config), "[couchdb] ca-file",
                                        &local_error);
  if (out.session == NULL)
    {
      g_set_error_literal (error, KIOSK_TARGET_ERROR, KIOSK_TARGET_ERROR_CONFIG, local_error->message);
      return FALSE;
    }

  *login = out;
  memset (&out, 0, sizeof out);
  return TRUE;
}

void
_kiosk_couchdb_login_clear (KioskCouchdbLogin *login)
{
  g_clear_pointer (&login->db_url, g_free);
  if (login->authorization != NULL)
    memset (login->authorization, 0, strlen (login->authorization));
  g_clear_pointer (&login->authorization, g_free);
  g_clear_pointer (&login->pin_sha256, g_free);
  g_clear_object (&login->session);
}

/**
 * kiosk_couchdb_target_new:
 * @config: [couchdb] url, user, password-file, ca-file, pin-sha256;
 *   [backend] timeout (the overall deadline of one exchange); [kiosk] id
 * @clock: for Retry-After dates
 * @max_connections: keep-alive connections to the hub at the most
 *
 * Returns: (transfer full): the target, or %NULL with @error set
 *   (%KIOSK_TARGET_ERROR_CONFIG naming the key) when no hub is configured or
 *   the CA file or password file cannot be used
 */
KioskCouchdbTarget *
kiosk_couchdb_target_new (KioskConfig  *config,
                          KioskClock   *clock,
                          guint         max_connections,
                          GError      **error)
{
  g_autoptr(KioskCouchdbTarget) self = NULL;
  g_auto(KioskCouchdbLogin) login = { 0 };
  const char *state_dir;

  g_return_val_if_fail (KIOSK_IS_CONFIG (config), NULL);
  g_return_val_if_fail (KIOSK_IS_CLOCK (clock), NULL);

  if (!_kiosk_couchdb_login (config, NULL, NULL, NULL, max_connections, &login, error))
    return NULL;

  self = g_object_new (KIOSK_TYPE_COUCHDB_TARGET, NULL);
  self->clock = g_object_ref (clock);
  self->db_url = g_steal_pointer (&login.db_url);
  self->authorization = g_steal_pointer (&login.authorization);
  self->pin_sha256 = g_steal_pointer (&login.pin_sha256);
  self->session = g_steal_pointer (&login.session);
  self->deadline_s = login.deadline_s;
  self->kiosk_id = g_strdup (kiosk_config_get_kiosk_id (config));
  state_dir = kiosk_config_get_state_dir (config);
  if (state_dir != NULL && *state_dir != '\0')
    self->since_path = g_build_filename (state_dir, "hub-changes-since", NULL);

  return g_steal_pointer (&self);
}

const char *
kiosk_couchdb_target_get_db_url (KioskCouchdbTarget *self)
{
  g_return_val_if_fail (KIOSK_IS_COUCHDB_TARGET (self), NULL);
  return self->db_url;
}

/* Tests and the benchmark: documents per _bulk_docs (and so deliveries the
 * sync gives at once), 1 to KIOSK_COUCHDB_BULK_MAX. */
void
_kiosk_couchdb_target_set_batch_max (KioskCouchdbTarget *self,
                                     guint               batch_max)
{
  g_return_if_fail (KIOSK_IS_COUCHDB_TARGET (self));
  self->batch_max = CLAMP (batch_max, 1, KIOSK_COUCHDB_BULK_MAX);
}

/* The benchmark's same-run baseline: one batch at a time, none prepared
 * while it is at the hub (as before #13's item 8). */
void
_kiosk_couchdb_target_set_prepare_ahead (KioskCouchdbTarget *self,
                                         gboolean            prepare_ahead)
{
  g_return_if_fail (KIOSK_IS_COUCHDB_TARGET (self));
  self->prepare_ahead = prepare_ahead;
}

void
_kiosk_couchdb_target_set_fresh_ids (KioskCouchdbTarget *self,
                                     gboolean            fresh_ids)
{
  g_return_if_fail (KIOSK_IS_COUCHDB_TARGET (self));
  self->fresh_ids = fresh_ids;
}

GBytes *
_kiosk_couchdb_target_build_doc_with_id (KioskCouchdbTarget  *self,
                                         KioskRequest        *request,
                                         const char          *id,
                                         char               **out_sha256,
                                         GError             **error)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GDateTime) created = NULL;
  g_autofree char *created_text = NULL;
  g_autofree char *content = NULL;
  g_autofree char *sha256 = NULL;
  GBytes *answers;
  GString *doc;
  gsize length;

  answers = kiosk_request_get_answers (request);
  if (answers == NULL)
    {
      g_set_error (error, KIOSK_TARGET_ERROR, KIOSK_TARGET_ERROR_CONFIG,
                   "request %s has no stored answers (purged?)", kiosk_request_get_short_code (request));
      return NULL;
    }

  created = g_date_time_new_from_unix_utc (kiosk_request_get_created (request) / G_USEC_PER_SEC);
  created_text = g_date_time_format (created, "%Y-%m-%dT%H:%M:%SZ");

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "_id");
  json_builder_add_string_value (builder, id);
  json_builder_set_member_name (builder, "type");
  json_builder_add_string_value (builder, "submission");
  /* The document describes the request, not the machine that sends it: a
   * counter that imported it from an exported queue must send the very
   * bytes the kiosk sends later. */
  json_builder_set_member_name (builder, "kiosk_id");
  json_builder_add_string_value (builder, kiosk_request_get_origin_kiosk_id (request) != NULL ?
                                 kiosk_request_get_origin_kiosk_id (request) : self->kiosk_id);
  json_builder_set_member_name (builder, "short_code");
  json_builder_add_string_value (builder, kiosk_request_get_short_code (request));
  json_builder_set_member_name (builder, "service_id");
  json_builder_add_string_value (builder, kiosk_request_get_service_id (request));
  json_builder_set_member_name (builder, "service_version");
  json_builder_add_int_value (builder, kiosk_request_get_service_version (request));
  json_builder_set_member_name (builder, "created");
  json_builder_add_string_value (builder, created_text);
  json_builder_set_member_name (builder, "locale");
  json_builder_add_string_value (builder, kiosk_request_get_locale (request));
  json_builder_set_member_name (builder, "assisted");
  json_builder_add_boolean_value (builder, (kiosk_request_get_flags (request) & KIOSK_REQUEST_FLAG_ASSISTED) != 0);
  json_builder_set_member_name (builder, "answers_format");
  if (kiosk_request_get_answers_format (request) == KIOSK_ANSWERS_SEALED)
    {
      g_autofree char *base64 = g_base64_encode (g_bytes_get_data (answers, NULL), g_bytes_get_size (answers));

      json_builder_add_string_value (builder, "sealed");
      json_builder_set_member_name (builder, "sealed_payload");
      json_builder_add_string_value (builder, base64);
    }
  else
    {
      g_autoptr(JsonParser) parser = json_parser_new ();

      if (!json_parser_load_from_data (parser, g_bytes_get_data (answers, NULL),
                                       (gssize) g_bytes_get_size (answers), NULL) ||
          !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
        {
          g_set_error (error, KIOSK_TARGET_ERROR, KIOSK_TARGET_ERROR_CONFIG,
                       "the stored answers of request %s are not a JSON object",
                       kiosk_request_get_short_code (request));
          return NULL;
        }
      json_builder_add_string_value (builder, "json");
      json_builder_set_member_name (builder, "answers");
      json_builder_add_value (builder, json_node_copy (json_parser_get_root (parser)));
    }
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  content = json_generator_to_data (generator, &length);
  g_assert (length > 2 && content[length - 1] == '}');

  /* body_sha256 covers every member before it, as generated here: the same
   * request gives the same bytes and so the same digest every time. */
  sha256 = g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guchar *) content, length);
  doc = g_string_new_len (content, (gssize) length - 1);
  g_string_append_printf (doc, ",\"body_sha256\":\"%s\"", sha256);
  /* #16: the receipt's QR code is found by a scan (the view
   * citizen_status_by_receipt): the sealed payload, or the reference-only
   * one sealed once when the answers do not fit the QR code.  It follows
   * body_sha256, outside it: a document sent before it existed still
   * compares equal on a replay. */
  if (kiosk_request_get_receipt_payload (request) != NULL ||
      kiosk_request_get_answers_format (request) == KIOSK_ANSWERS_SEALED)
    {
      GBytes *qr = kiosk_request_get_receipt_payload (request) != NULL
                   ? kiosk_request_get_receipt_payload (request) : answers;
      g_autofree char *receipt_sha256 = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, qr);

      g_string_append_printf (doc, ",\"receipt_sha256\":\"%s\"", receipt_sha256);
    }
  g_string_append_c (doc, '}');
  if (out_sha256 != NULL)
    *out_sha256 = g_steal_pointer (&sha256);
  return g_string_free_to_bytes (doc);
}

/**
 * kiosk_couchdb_target_build_doc:
 * @out_sha256: (out) (optional): the document's body_sha256
 *
 * The hub document for @request: `_id` is the request's UUID, `type` is
 * `submission`, and `body_sha256` is the SHA-256 of the document's JSON
 * before that member.  The same request gives the same bytes every time.
 *
 * Returns: (transfer full): the document, or %NULL with @error set when the
 *   stored answers cannot be read
 */
GBytes *
kiosk_couchdb_target_build_doc (KioskCouchdbTarget  *self,
                                KioskRequest        *request,
                                char               **out_sha256,
                                GError             **error)
{
  g_return_val_if_fail (KIOSK_IS_COUCHDB_TARGET (self), NULL);
  g_return_val_if_fail (KIOSK_IS_REQUEST (request), NULL);

  return _kiosk_couchdb_target_build_doc_with_id (self, request, kiosk_request_get_id (request), out_sha256, error);
}

/* ---- Answers flowing back: the city's status documents -------------------- */

#define CHANGES_LIMIT 500

static const char * const city_statuses[] = { "received", "in_progress", "done", "rejected", NULL };

typedef struct
{
  KioskOutbox *outbox;
  char        *since;       /* CouchDB: an opaque string; pouchdb: a number */
  guint        n_updated;
} PullStatus;

static void
pull_status_free (PullStatus *pull)
{
  g_clear_object (&pull->outbox);
  g_free (pull->since);
  g_free (pull);
}

static void pull_status_next (GTask *task);

/* The note as stored: a JSON object of language → text, only strings kept. */
static char *
note_to_text (JsonNode *note)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GList) members = NULL;
  guint n = 0;

  if (note == NULL || !JSON_NODE_HOLDS_OBJECT (note))
    return NULL;
  json_builder_begin_object (builder);
  members = json_object_get_members (json_node_get_object (note));
  for (GList *l = members; l != NULL; l = l->next)
    {
      const char *text = object_get_string (json_node_get_object (note), l->data);
      g_autofree char *clean = NULL;

      if (text == NULL || strlen (l->data) > 16)
        continue;
      clean = clean_message (text);
      json_builder_set_member_name (builder, l->data);
      json_builder_add_string_value (builder, clean);
      n++;
    }
  json_builder_end_object (builder);
  if (n == 0)
    return NULL;
  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  return json_generator_to_data (generator, NULL);
}

static void
save_since (KioskCouchdbTarget *self,
            const char         *since)
{
  g_autoptr(GError) error = NULL;

  if (self->since_path == NULL)
    return;
  /* Losing it only means reading some status documents again. */
  if (!g_file_set_contents (self->since_path, since, -1, &error))
    g_debug ("cannot keep the hub's _changes position: %s", error->message);
}

static void
pull_status_read_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  KioskCouchdbTarget *self = g_task_get_source_object (task);
  PullStatus *pull = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *retry_after = NULL;
  JsonObject *answer;
  JsonArray *results;
  JsonNode *last_seq;
  guint status;

  body = call_finish (result, &status, &retry_after, &error);
  if (body == NULL)
    {
      if (call_was_cancelled (result))
        g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED, "cancelled");
      else
        g_task_return_new_error (task, KIOSK_TARGET_ERROR, KIOSK_TARGET_ERROR_NETWORK,
                                 "status from %s: %s", self->db_url, error->message);
      return;
    }
  if (status == SOUP_STATUS_NOT_FOUND)
    {
      g_task_return_new_error (task, KIOSK_TARGET_ERROR, KIOSK_TARGET_ERROR_CONFIG,
                               "status from %s: the hub has no database or no %s (run: stadtkioskctl hub setup)",
                               self->db_url, KIOSK_COUCHDB_DESIGN);
      return;
    }
  if (status != SOUP_STATUS_OK)
    {
      g_autoptr(KioskOutcome) outcome = outcome_for_status (self, status, body, retry_after);

      g_task_return_new_error (task, KIOSK_TARGET_ERROR, KIOSK_TARGET_ERROR_HTTP,
                               "status from %s: %s", self->db_url, outcome->message);
      return;
    }

  root = parse_json (body);
  answer = root != NULL && JSON_NODE_HOLDS_OBJECT (root) ? json_node_get_object (root) : NULL;
  results = answer != NULL && json_object_has_member (answer, "results") &&
            JSON_NODE_HOLDS_ARRAY (json_object_get_member (answer, "results"))
            ? json_object_get_array_member (answer, "results") : NULL;
  last_seq = answer != NULL ? json_object_get_member (answer, "last_seq") : NULL;
  if (results == NULL || last_seq == NULL || !JSON_NODE_HOLDS_VALUE (last_seq))
    {
      g_task_return_new_error (task, KIOSK_TARGET_ERROR, KIOSK_TARGET_ERROR_HTTP,
                               "status from %s: the _changes answer is not what CouchDB sends", self->db_url);
      return;
    }

  for (guint i = 0; i < json_array_get_length (results); i++)
    {
      JsonNode *element = json_array_get_element (results, i);
      JsonObject *doc;
      const char *request_id;
      const char *city_status;
      g_autofree char *note = NULL;
      g_autoptr(GError) local_error = NULL;

      if (!JSON_NODE_HOLDS_OBJECT (element) ||
          !json_object_has_member (json_node_get_object (element), "doc") ||
          !JSON_NODE_HOLDS_OBJECT (json_object_get_member (json_node_get_object (element), "doc")))
        continue;
      doc = json_object_get_object_member (json_node_get_object (element), "doc");
      request_id = object_get_string (doc, "request_id");
      city_status = object_get_string (doc, "status");
      /* The filter already chose ours; a hub without it must not make us
       * take another kiosk's answers. */
      if (g_strcmp0 (object_get_string (doc, "type"), "status") != 0 ||
          g_strcmp0 (object_get_string (doc, "kiosk_id"), self->kiosk_id) != 0 ||
          request_id == NULL || !g_uuid_string_is_valid (request_id) ||
          city_status == NULL || !g_strv_contains (city_statuses, city_status))
        {
          g_debug ("status document %s ignored: not a status of this kiosk's request",
                   object_get_string (doc, "_id") != NULL ? object_get_string (doc, "_id") : "?");
          continue;
        }
      note = note_to_text (json_object_get_member (doc, "note"));
      if (!kiosk_outbox_set_city_status (pull->outbox, request_id, city_status, note, &local_error))
        {
          if (g_error_matches (local_error, KIOSK_OUTBOX_ERROR, KIOSK_OUTBOX_ERROR_NOT_FOUND))
            continue;
          g_task_return_error (task, g_steal_pointer (&local_error));
          return;
        }
      pull->n_updated++;
    }

  g_free (pull->since);
  if (json_node_get_value_type (last_seq) == G_TYPE_STRING)
    pull->since = g_strdup (json_node_get_string (last_seq));
  else
    pull->since = g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (last_seq));
  save_since (self, pull->since);

  if (json_array_get_length (results) >= CHANGES_LIMIT)
    {
      pull_status_next (g_steal_pointer (&task));
      return;
    }
  g_task_return_boolean (task, TRUE);
}

static void
pull_status_next (GTask *task)
{
  KioskCouchdbTarget *self = g_task_get_source_object (task);
  PullStatus *pull = g_task_get_task_data (task);
  g_autofree char *kiosk = g_uri_escape_string (self->kiosk_id, NULL, FALSE);
  g_autofree char *since = g_uri_escape_string (pull->since, NULL, FALSE);
  g_autofree char *url = NULL;

  /* A filter function of the design document: works on Apache CouchDB and
   * on pouchdb-server alike (pouchdb-server 4 knows no _selector filter;
   * asked for one, it crashes). */
  url = g_strdup_printf ("%s/_changes?filter=stadtkiosk/status_for_kiosk&kiosk_id=%s&include_docs=true"
                         "&limit=%u&since=%s", self->db_url, kiosk, CHANGES_LIMIT, since);
  call_async (self, SOUP_METHOD_GET, url, NULL, ANSWER_CAP, g_task_get_cancellable (task),
              pull_status_read_cb, task);
}

/**
 * kiosk_couchdb_target_pull_status_async:
 * @outbox: where the city's status goes
 *
 * Reads the city's status documents for this kiosk's requests from the
 * hub's `_changes` feed, since the position of the last pull (kept in the
 * state directory), and stores them with their requests
 * (kiosk_outbox_set_city_status()).
 */
void
kiosk_couchdb_target_pull_status_async (KioskCouchdbTarget  *self,
                                        KioskOutbox         *outbox,
                                        GCancellable        *cancellable,
                                        GAsyncReadyCallback  callback,
                                        gpointer             user_data)
{
  GTask *task;
  PullStatus *pull;
  g_autofree char *since = NULL;

  g_return_if_fail (KIOSK_IS_COUCHDB_TARGET (self));
  g_return_if_fail (KIOSK_IS_OUTBOX (outbox));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, kiosk_couchdb_target_pull_status_async);
  pull = g_new0 (PullStatus, 1);
  pull->outbox = g_object_ref (outbox);
  if (self->since_path != NULL && g_file_get_contents (self->since_path, &since, NULL, NULL) &&
      *g_strstrip (since) != '\0' && strlen (since) < 1000 && g_utf8_validate (since, -1, NULL))
    pull->since = g_steal_pointer (&since);
  else
    pull->since = g_strdup ("0");
  g_task_set_task_data (task, pull, (GDestroyNotify) pull_status_free);
  pull_status_next (task);
}

/**
 * kiosk_couchdb_target_pull_status_finish:
 * @out_n_updated: (out) (optional): how many requests got news
 */
gboolean
kiosk_couchdb_target_pull_status_finish (KioskCouchdbTarget  *self,
                                         GAsyncResult        *result,
                                         guint               *out_n_updated,
                                         GError             **error)
{
  PullStatus *pull;

  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  pull = g_task_get_task_data (G_TASK (result));
  if (out_n_updated != NULL)
    *out_n_updated = pull->n_updated;
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ---- Documents this kiosk replaces (its heartbeat) ------------------------ */

typedef struct
{
  char       *url;
  JsonObject *doc;
  gboolean    retried;
} PutDoc;

static void
put_doc_free (PutDoc *put)
{
  g_free (put->url);
  json_object_unref (put->doc);
  g_free (put);
}

static void put_doc_send (GTask *task, const char *rev);

static void
put_doc_rev_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(JsonNode) root = NULL;
  guint status;

  body = call_finish (result, &status, NULL, &error);
  if (body == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  root = parse_json (body);
  put_doc_send (g_steal_pointer (&task),
                status == SOUP_STATUS_OK && root != NULL && JSON_NODE_HOLDS_OBJECT (root)
                ? object_get_string (json_node_get_object (root), "_rev") : NULL);
}

static void
put_doc_done_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  KioskCouchdbTarget *self = g_task_get_source_object (task);
  PutDoc *put = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autofree char *retry_after = NULL;
  guint status;

  body = call_finish (result, &status, &retry_after, &error);
  if (body == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (status == SOUP_STATUS_CREATED || status == SOUP_STATUS_ACCEPTED)
    {
      g_task_return_boolean (task, TRUE);
      return;
    }
  if (status == SOUP_STATUS_CONFLICT && !put->retried)
    {
      /* Replace it: read its revision, then write once more. */
      GCancellable *cancellable = g_task_get_cancellable (task);

      put->retried = TRUE;
      call_async (self, SOUP_METHOD_GET, put->url, NULL, ANSWER_CAP, cancellable,
                  put_doc_rev_cb, g_steal_pointer (&task));
      return;
    }
  {
    g_autoptr(KioskOutcome) outcome = outcome_for_status (self, status, body, retry_after);

    g_task_return_new_error (task, KIOSK_TARGET_ERROR, KIOSK_TARGET_ERROR_HTTP, "%s", outcome->message);
  }
}

static void
put_doc_send (GTask      *task,
              const char *rev)
{
  KioskCouchdbTarget *self = g_task_get_source_object (task);
  PutDoc *put = g_task_get_task_data (task);
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = json_node_new (JSON_NODE_OBJECT);
  g_autoptr(GBytes) body = NULL;
  char *text;
  gsize length;

  if (rev != NULL)
    json_object_set_string_member (put->doc, "_rev", rev);
  else
    json_object_remove_member (put->doc, "_rev");
  json_node_set_object (root, put->doc);
  json_generator_set_root (generator, root);
  text = json_generator_to_data (generator, &length);
  body = g_bytes_new_take (text, length);
  /* The _id travels in the body, as in put_one(). */
  call_async (self, SOUP_METHOD_POST, self->db_url, body, ANSWER_CAP, g_task_get_cancellable (task),
              put_doc_done_cb, task);
}

/**
 * kiosk_couchdb_target_put_doc_async:
 * @id: the document's id, e.g. `kiosk:<kiosk id>`
 * @doc: its content (without _id and _rev)
 *
 * Writes @doc as @id, replacing what is there (the heartbeat).
 */
void
kiosk_couchdb_target_put_doc_async (KioskCouchdbTarget  *self,
                                    const char          *id,
                                    JsonObject          *doc,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  GTask *task;
  PutDoc *put;
  g_autofree char *escaped = NULL;
  g_autoptr(GList) members = NULL;

  g_return_if_fail (KIOSK_IS_COUCHDB_TARGET (self));
  g_return_if_fail (id != NULL && doc != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, kiosk_couchdb_target_put_doc_async);
  put = g_new0 (PutDoc, 1);
  escaped = g_uri_escape_string (id, NULL, FALSE);
  put->url = g_strconcat (self->db_url, "/", escaped, NULL);
  put->doc = json_object_new ();
  json_object_set_string_member (put->doc, "_id", id);
  members = json_object_get_members (doc);
  for (GList *l = members; l != NULL; l = l->next)
    if (!g_str_equal (l->data, "_id") && !g_str_equal (l->data, "_rev"))
      json_object_set_member (put->doc, l->data, json_node_copy (json_object_get_member (doc, l->data)));
  g_task_set_task_data (task, put, (GDestroyNotify) put_doc_free);
  put_doc_send (task, NULL);
}

gboolean
kiosk_couchdb_target_put_doc_finish (KioskCouchdbTarget  *self,
                                     GAsyncResult        *result,
                                     GError             **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

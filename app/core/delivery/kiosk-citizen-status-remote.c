/* kiosk-citizen-status-remote.c
 *
 * SPDX-FileCopyrightText: 2026 Stadtkiosk contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "kiosk-delivery"

#include "config.h"

#include "kiosk-citizen-status-remote.h"

#include "kiosk-http.h"
#include "kiosk-json-private.h"
#include "kiosk-short-code.h"

#include <json-glib/json-glib.h>
#include <string.h>

/* A citizen whose receipt comes from another kiosk (or from one that broke)
 * types its code here, or scans the slip's QR code.  When this kiosk does
 * not know it and a hub is configured, the hub is asked: the design
 * document's view citizen_status_by_short_code (for a code) or
 * citizen_status_by_receipt (for a scan: the SHA-256 of the QR payload,
 * kiosk_payload_dup_text_digest()) gives the submission's id, service and
 * day — never its answers, the kiosk never reads the submission itself —
 * and `status:<id>` the city's status and note.  One deadline covers the
 * whole lookup, both reads: the page has its answer (or "could not ask")
 * when it runs out.  A code or scan the hub does not know either counts
 * against the guard like one unknown here; a hub that cannot be asked does
 * not (it tells the guesser nothing).
 *
 * Without a hub, a kiosk that delivers to the Submission API asks it
 * instead: `GET /v1/submissions/by-code/{code}` gives id, service, day and
 * the city's status in one answer (data/openapi/submission-api.yaml), under
 * the same deadline and the same rules for the guard.  A scanned slip is
 * asked of the hub only: the API has no lookup by the payload's digest. */

typedef struct
{
  KioskStatusGuard   *guard;
  KioskCouchdbTarget *hub;
  KioskSubmissionTarget *api;   /* asked when there is no hub */
  guint               deadline_s;
  gint64              ends;         /* monotonic µs: the whole lookup's deadline */
  gboolean            asked_hub;
  gboolean            scanned;      /* looked up by a receipt's digest */
  gboolean            timed_out;    /* the deadline cancelled the read under way */
  GCancellable       *cancellable;  /* the reads': cancelled by the caller's or by the deadline */
  gulong              forward_id;   /* the caller's cancellable → ours */
  GCancellable       *caller;
  GSource            *timeout;
  KioskCitizenStatus *status;   /* from the view, waiting for the status document */
} Lookup;

static void
lookup_free (Lookup *lookup)
{
  if (lookup->timeout != NULL)
    {
      g_source_destroy (lookup->timeout);
      g_source_unref (lookup->timeout);
    }
  if (lookup->caller != NULL)
    g_cancellable_disconnect (lookup->caller, lookup->forward_id);
  g_clear_object (&lookup->caller);
  g_clear_object (&lookup->cancellable);
  g_clear_object (&lookup->guard);
  g_clear_object (&lookup->hub);
  g_clear_object (&lookup->api);
  g_clear_pointer (&lookup->status, kiosk_citizen_status_free);
  g_free (lookup);
}

static gboolean
deadline_passed_cb (gpointer user_data)
{
  Lookup *lookup = user_data;

  lookup->timed_out = TRUE;
  g_cancellable_cancel (lookup->cancellable);
  return G_SOURCE_REMOVE;
}

static void
caller_cancelled_cb (GCancellable *caller,
                     gpointer      user_data)
{
  GCancellable *ours = user_data;

  g_cancellable_cancel (ours);
}

/* The next read's own deadline for kiosk_http: what is left of the whole
 * lookup's, rounded up, and a second more, so that the overall timer is
 * always the one that ends a read that hangs (and says so). */
static guint
remaining_s (Lookup *lookup)
{
  gint64 left = MAX (lookup->ends - g_get_monotonic_time (), 0);

  return (guint) ((left + G_USEC_PER_SEC - 1) / G_USEC_PER_SEC) + 1;
}

/* The strict reader with its depth limit: json-glib's parser overflows
 * the stack on 100 KB of "[" (#12). */
static JsonNode *
parse_json (GBytes *body)
{
  return kiosk_json_parse_bytes (body, KIOSK_JSON_OUTSIDE_DEPTH, NULL);
}

static const char *
get_string (JsonObject *object,
            const char *member)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, member) : NULL;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

/* An ISO 8601 time ("2026-09-23T10:00:00Z") as Unix µs, 0 if it is none. */
static gint64
parse_time (const char *text)
{
  g_autoptr(GDateTime) time = NULL;

  if (text == NULL || strlen (text) > 40)
    return 0;
  time = g_date_time_new_from_iso8601 (text, NULL);
  return time != NULL ? g_date_time_to_unix (time) * G_USEC_PER_SEC : 0;
}

static void
return_unreachable (GTask      *task,
                    const char *why)
{
  /* For the logs: what went wrong, never the code. */
  g_message ("the status page could not ask the city's system: %s", why);
  g_task_return_new_error (task, KIOSK_CITIZEN_STATUS_ERROR, KIOSK_CITIZEN_STATUS_ERROR_UNREACHABLE,
                           "the city's system could not be asked: %s", why);
}

/* Cancelled: by the caller (the page went away), or by the deadline. */
static void
return_cancelled (GTask  *task,
                  GError *error)
{
  Lookup *lookup = g_task_get_task_data (task);

  if (lookup->timed_out)
    {
      g_autofree char *why = g_strdup_printf ("no answer within %u s", lookup->deadline_s);

      g_error_free (error);
      return_unreachable (task, why);
      return;
    }
  g_task_return_error (task, error);
}

/* A read that brought no answer ends the lookup: cancelled (by the caller
 * or the deadline), or the city's system could not be asked.  Returns
 * whether it did. */
static gboolean
returned_without_answer (GTask    *task,
                         GBytes   *body,
                         GError  **error)
{
  if (g_error_matches (*error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      return_cancelled (task, g_steal_pointer (error));
      return TRUE;
    }
  if (body == NULL)
    {
      return_unreachable (task, (*error)->message);
      return TRUE;
    }
  return FALSE;
}

/* The note as the outbox stores a hub's: a JSON object of language → text,
 * only short language keys and strings kept (kiosk_citizen_status_dup_note()
 * makes the text safe to show). */
static char *
note_to_text (JsonNode *note)
{
  g_autoptr(JsonObject) kept = json_object_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GList) members = NULL;

  if (note == NULL || !JSON_NODE_HOLDS_OBJECT (note))
    return NULL;
  members = json_object_get_members (json_node_get_object (note));
  for (GList *l = members; l != NULL; l = l->next)
    {
      const char *text = get_string (json_node_get_object (note), l->data);

      if (text != NULL && strlen (l->data) <= 16 && strlen (text) <= 4096)
        json_object_set_string_member (kept, l->data, text);
    }
  if (json_object_get_size (kept) == 0)
    return NULL;
  root = json_node_init_object (json_node_alloc (), kept);
  return json_to_string (root, FALSE);
}

/* Ends the lookup with what the city says in @object (the hub's status
 * document, or the Submission API's answer): its status, note and time. */
static void
return_city_status (GTask      *task,
                    JsonObject *object)
{
  Lookup *lookup = g_task_get_task_data (task);

  lookup->status->step = kiosk_citizen_step_for (KIOSK_REQUEST_DELIVERED, get_string (object, "status"));
  lookup->status->city_note = note_to_text (json_object_get_member (object, "note"));
  lookup->status->city_updated = parse_time (get_string (object, "updated"));
  g_task_return_pointer (task, g_steal_pointer (&lookup->status), (GDestroyNotify) kiosk_citizen_status_free);
}

static void
status_doc_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Lookup *lookup = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(JsonNode) root = NULL;
  JsonObject *doc;
  guint http_status = 0;

  body = kiosk_couchdb_target_get_finish (KIOSK_COUCHDB_TARGET (object), result, &http_status, &error);
  if (returned_without_answer (task, body, &error))
    return;
  if (http_status == 404)
    {
      /* The city has not answered yet: it has the request. */
      lookup->status->step = KIOSK_CITIZEN_STEP_SENT;
      g_task_return_pointer (task, g_steal_pointer (&lookup->status), (GDestroyNotify) kiosk_citizen_status_free);
      return;
    }
  if (http_status != 200 || (root = parse_json (body)) == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_autofree char *why = g_strdup_printf ("the status document: HTTP %u", http_status);

      return_unreachable (task, why);
      return;
    }
  doc = json_node_get_object (root);
  if (g_strcmp0 (get_string (doc, "type"), "status") != 0)
    {
      return_unreachable (task, "the status document is not of type status");
      return;
    }
  return_city_status (task, doc);
}

static void
view_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Lookup *lookup = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *escaped = NULL;
  g_autofree char *path = NULL;
  JsonArray *rows;
  JsonObject *row;
  JsonObject *value;
  const char *id;
  const char *service_id;
  const char *short_code;
  guint http_status = 0;

  body = kiosk_couchdb_target_get_finish (KIOSK_COUCHDB_TARGET (object), result, &http_status, &error);
  if (returned_without_answer (task, body, &error))
    return;
  if (http_status == 404)
    {
      return_unreachable (task, lookup->scanned
                                ? "the hub has no view citizen_status_by_receipt "
                                  "(run `stadtkioskctl hub setup` with the current design document)"
                                : "the hub has no view citizen_status_by_short_code "
                                  "(run `stadtkioskctl hub setup` with the current design document)");
      return;
    }
  if (http_status != 200 || (root = parse_json (body)) == NULL || !JSON_NODE_HOLDS_OBJECT (root) ||
      !json_object_has_member (json_node_get_object (root), "rows") ||
      !JSON_NODE_HOLDS_ARRAY (json_object_get_member (json_node_get_object (root), "rows")))
    {
      g_autofree char *why = g_strdup_printf ("the view answered HTTP %u without rows", http_status);

      return_unreachable (task, why);
      return;
    }
  rows = json_object_get_array_member (json_node_get_object (root), "rows");
  if (json_array_get_length (rows) == 0)
    {
      kiosk_status_guard_record_miss (lookup->guard);
      g_task_return_new_error (task, KIOSK_CITIZEN_STATUS_ERROR, KIOSK_CITIZEN_STATUS_ERROR_UNKNOWN,
                               lookup->scanned ? "no request with this receipt, here or at the hub"
                                               : "no request with this code, here or at the hub");
      return;
    }
  row = JSON_NODE_HOLDS_OBJECT (json_array_get_element (rows, 0))
    ? json_array_get_object_element (rows, 0) : NULL;
  id = get_string (row, "id");
  value = row != NULL && json_object_has_member (row, "value") &&
          JSON_NODE_HOLDS_OBJECT (json_object_get_member (row, "value"))
    ? json_object_get_object_member (row, "value") : NULL;
  service_id = get_string (value, "service_id");
  short_code = get_string (value, "short_code");
  if (id == NULL || *id == '\0' || *id == '_' || strlen (id) > 128 ||
      service_id == NULL || *service_id == '\0' || strlen (service_id) > 128)
    {
      return_unreachable (task, "the view's row has no id or service_id");
      return;
    }
  /* A scan does not know the code: the slip prints it, the view says it
   * (only a well-formed one is shown). */
  if (lookup->status->short_code == NULL)
    lookup->status->short_code = short_code != NULL ? kiosk_short_code_normalize (short_code, NULL) : NULL;
  if (lookup->status->short_code == NULL)
    lookup->status->short_code = g_strdup ("");
  lookup->status->service_id = g_strdup (service_id);
  lookup->status->created = parse_time (get_string (value, "created"));
  lookup->status->step = KIOSK_CITIZEN_STEP_SENT;

  escaped = g_uri_escape_string (id, NULL, FALSE);
  path = g_strconcat ("status%3A", escaped, NULL);
  kiosk_couchdb_target_get_async (lookup->hub, path, remaining_s (lookup), KIOSK_HTTP_MAX_BODY, lookup->cancellable,
                                  status_doc_cb, g_steal_pointer (&task));
}

/* The Submission API's answer about a code: where it stands, in one read. */
static void
api_cb (GObject      *object,
        GAsyncResult *result,
        gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Lookup *lookup = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(JsonNode) root = NULL;
  JsonObject *answer;
  const char *service_id;
  guint http_status = 0;

  body = kiosk_submission_target_lookup_finish (KIOSK_SUBMISSION_TARGET (object), result, &http_status, &error);
  if (returned_without_answer (task, body, &error))
    return;
  if (http_status == 404)
    {
      kiosk_status_guard_record_miss (lookup->guard);
      g_task_return_new_error (task, KIOSK_CITIZEN_STATUS_ERROR, KIOSK_CITIZEN_STATUS_ERROR_UNKNOWN,
                               "no request with this code, here or at the city");
      return;
    }
  if (http_status != 200 || (root = parse_json (body)) == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_autofree char *why = g_strdup_printf ("GET /v1/submissions/by-code answered HTTP %u without a status object", http_status);

      return_unreachable (task, why);
      return;
    }
  answer = json_node_get_object (root);
  service_id = get_string (answer, "service_id");
  if (service_id == NULL || *service_id == '\0' || strlen (service_id) > 128)
    {
      return_unreachable (task, "the answer by code has no service_id");
      return;
    }
  lookup->status->service_id = g_strdup (service_id);
  lookup->status->created = parse_time (get_string (answer, "created"));
  return_city_status (task, answer);
}

/**
 * kiosk_citizen_status_lookup_async:
 * @outbox: this kiosk's outbox
 * @guard: the kiosk's guard against guessing
 * @hub: (nullable): the hub, when `[couchdb] url` is set
 * @api: (nullable): the Submission API, asked for a typed code when there
 *   is no hub
 * @typed: what the citizen typed, or what the scanner typed for a slip
 * @deadline_s: the whole lookup's deadline at the hub
 *   (KIOSK_CITIZEN_STATUS_HUB_DEADLINE_S), both reads together
 *
 * Looks on this kiosk first; a well-formed code, or a readable scan, it
 * does not know is asked of @hub (a code only, of @api without a hub).  Errors are in %KIOSK_CITIZEN_STATUS_ERROR;
 * UNREACHABLE when the hub could not be asked (offline, too slow, refused,
 * no view).
 */
void
kiosk_citizen_status_lookup_async (KioskOutbox         *outbox,
                                   KioskStatusGuard    *guard,
                                   KioskCouchdbTarget  *hub,
                                   KioskSubmissionTarget *api,
                                   const char          *typed,
                                   guint                deadline_s,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *key = NULL;
  g_autofree char *quoted = NULL;
  g_autofree char *escaped = NULL;
  g_autofree char *path = NULL;
  KioskCitizenStatus *status;
  Lookup *lookup;
  gboolean scanned = FALSE;

  g_return_if_fail (KIOSK_IS_OUTBOX (outbox));
  g_return_if_fail (KIOSK_IS_STATUS_GUARD (guard));
  g_return_if_fail (hub == NULL || KIOSK_IS_COUCHDB_TARGET (hub));
  g_return_if_fail (api == NULL || KIOSK_IS_SUBMISSION_TARGET (api));
  g_return_if_fail (typed != NULL);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, kiosk_citizen_status_lookup_async);
  lookup = g_new0 (Lookup, 1);
  lookup->guard = g_object_ref (guard);
  lookup->hub = hub != NULL ? g_object_ref (hub) : NULL;
  lookup->api = api != NULL ? g_object_ref (api) : NULL;
  lookup->deadline_s = MAX (deadline_s, 1);
  g_task_set_task_data (task, lookup, (GDestroyNotify) lookup_free);

  status = kiosk_citizen_status_lookup_here (outbox, guard, typed, &key, &scanned, &error);
  lookup->scanned = scanned;
  if (status != NULL)
    {
      g_task_return_pointer (task, status, (GDestroyNotify) kiosk_citizen_status_free);
      return;
    }
  if (!g_error_matches (error, KIOSK_CITIZEN_STATUS_ERROR, KIOSK_CITIZEN_STATUS_ERROR_UNKNOWN) ||
      (hub == NULL && (api == NULL || scanned)))
    {
      if (g_error_matches (error, KIOSK_CITIZEN_STATUS_ERROR, KIOSK_CITIZEN_STATUS_ERROR_UNKNOWN))
        kiosk_status_guard_record_miss (guard);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  /* One deadline for the whole lookup: a timer cancels whichever read is
   * under way when it runs out (return_cancelled() then says "could not
   * ask"); the caller's cancellable still ends it early. */
  lookup->asked_hub = TRUE;
  lookup->ends = g_get_monotonic_time () + (gint64) lookup->deadline_s * G_USEC_PER_SEC;
  lookup->cancellable = g_cancellable_new ();
  if (cancellable != NULL)
    {
      lookup->caller = g_object_ref (cancellable);
      lookup->forward_id = g_cancellable_connect (cancellable, G_CALLBACK (caller_cancelled_cb),
                                                  lookup->cancellable, NULL);
    }
  lookup->timeout = g_timeout_source_new (lookup->deadline_s * 1000);
  g_source_set_callback (lookup->timeout, deadline_passed_cb, lookup, NULL);
  g_source_set_static_name (lookup->timeout, "[stadtkiosk] status lookup deadline");
  g_source_attach (lookup->timeout, g_main_context_get_thread_default ());

  lookup->status = g_new0 (KioskCitizenStatus, 1);
  lookup->status->short_code = scanned ? NULL : g_strdup (key);
  if (hub == NULL)
    {
      kiosk_submission_target_lookup_code_async (api, key, lookup->cancellable, api_cb, g_steal_pointer (&task));
      return;
    }
  quoted = g_strdup_printf ("\"%s\"", key);
  escaped = g_uri_escape_string (quoted, NULL, FALSE);
  path = g_strdup_printf ("%s?key=%s&limit=1",
                          scanned ? KIOSK_CITIZEN_STATUS_HUB_RECEIPT_VIEW : KIOSK_CITIZEN_STATUS_HUB_VIEW,
                          escaped);
  kiosk_couchdb_target_get_async (hub, path, remaining_s (lookup), KIOSK_HTTP_MAX_BODY, lookup->cancellable, view_cb,
                                  g_steal_pointer (&task));
}

/**
 * kiosk_citizen_status_lookup_finish:
 * @out_from_hub: (out) (optional): whether the hub answered (not this kiosk)
 *
 * Returns: (transfer full): where the request stands, or %NULL with @error set
 */
KioskCitizenStatus *
kiosk_citizen_status_lookup_finish (GAsyncResult  *result,
                                    gboolean      *out_from_hub,
                                    GError       **error)
{
  Lookup *lookup;

  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);

  lookup = g_task_get_task_data (G_TASK (result));
  if (out_from_hub != NULL)
    *out_from_hub = lookup->asked_hub;
  return g_task_propagate_pointer (G_TASK (result), error);
}

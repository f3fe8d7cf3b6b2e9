/* kiosk-submission-target.c
 *
 * SPDX-FileCopyrightText: 2026 Stadtkiosk contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "kiosk-delivery"

#include "config.h"

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>
#include <string.h>

#include "kiosk-request-json.h"
#include "kiosk-submission-target.h"
#include "kiosk-submission-target-private.h"

#include "kiosk-http.h"
#include "kiosk-json-private.h"

/* Our Submission API v1 (data/openapi/submission-api.yaml) over libsoup.
 *
 * Every POST carries SOUP_MESSAGE_IDEMPOTENT: the Idempotency-Key makes
 * sending it twice harmless, and without the flag libsoup 3.2 opens a new
 * TCP connection for every POST.  Redirects are not followed: a backend
 * that redirects a POST is misconfigured, and that pauses the queue.
 *
 * Privacy: neither bodies nor the token are ever logged.  The only text of a
 * response that is kept is the server's message on a rejection, cut to a
 * sensible length, because a clerk needs it.
 */

#define MESSAGE_MAX 500

struct _KioskSubmissionTarget
{
  GObject      parent_instance;

  KioskClock  *clock;
  SoupSession *session;
  char        *base_url;      /* without a trailing slash */
  char        *kiosk_id;
  char        *token;         /* nullable; never logged */
  char        *pin_sha256;    /* lower-case hex, nullable */
  guint        deadline_s;    /* for a whole exchange; a catalogue gets ten times */
};

static void kiosk_submission_target_iface_init (KioskTargetInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (KioskSubmissionTarget, kiosk_submission_target, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (KIOSK_TYPE_TARGET, kiosk_submission_target_iface_init))

/* One HTTP exchange in flight; kiosk-http.c gives it the deadline, the
 * size cap and the [backend] pin. */
typedef struct
{
  SoupMessage  *message;
  GCancellable *outer;            /* the caller's, nullable */
  char         *request_id;       /* for debug output only */
} Exchange;

static void
exchange_free (Exchange *ex)
{
  g_clear_object (&ex->outer);
  g_clear_object (&ex->message);
  g_free (ex->request_id);
  g_free (ex);
}

static Exchange *
exchange_new (KioskSubmissionTarget *self,
              const char            *method,
              const char            *path,
              gboolean               with_token,
              GCancellable          *outer)
{
  Exchange *ex = g_new0 (Exchange, 1);
  g_autofree char *url = g_strconcat (self->base_url, path, NULL);

  ex->message = soup_message_new (method, url);
  ex->outer = outer != NULL ? g_object_ref (outer) : NULL;
  soup_message_add_flags (ex->message, SOUP_MESSAGE_NO_REDIRECT);
  if (with_token && self->token != NULL)
    {
      g_autofree char *auth = g_strconcat ("Bearer ", self->token, NULL);

      soup_message_headers_replace (soup_message_get_request_headers (ex->message), "Authorization", auth);
    }
  return ex;
}

/* Control characters (C0, DEL, C1: a terminal acts on ESC and CSI) from
 * the server become spaces, byte for byte, in valid UTF-8 @text. */
static void
clean_for_screen (char *text)
{
  for (char *p = text; p != NULL && *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_iscntrl (c))
        memset (p, ' ', g_utf8_next_char (p) - p);
    }
}

/* The server's message from a JSON problem body, cleaned for a clerk's screen. */
static char *
problem_message (GBytes *body,
                 guint   status,
                 const char *reason)
{
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *message = NULL;

  if (body != NULL && g_bytes_get_size (body) > 0 &&
      (root = kiosk_json_parse_bytes (body, KIOSK_JSON_OUTSIDE_DEPTH, NULL)) != NULL &&
      JSON_NODE_HOLDS_OBJECT (root))
    {
      JsonObject *object = json_node_get_object (root);
      const char *keys[] = { "message", "detail", "error", "title" };

      for (guint i = 0; i < G_N_ELEMENTS (keys) && message == NULL; i++)
        {
          JsonNode *node = json_object_get_member (object, keys[i]);

          if (node != NULL && JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
            message = g_strdup_printf ("HTTP %u: %s", status, json_node_get_string (node));
        }
    }
  if (message == NULL)
    message = g_strdup_printf ("HTTP %u %s", status, reason != NULL ? reason : "");

  if (!g_utf8_validate (message, -1, NULL))
    {
      g_autofree char *valid = g_utf8_make_valid (message, -1);

      g_free (message);
      message = g_steal_pointer (&valid);
    }
  clean_for_screen (message);
  if (g_utf8_strlen (message, -1) > MESSAGE_MAX)
    {
      char *end = g_utf8_offset_to_pointer (message, MESSAGE_MAX);

      *end = '\0';
    }
  return g_steal_pointer (&message);
}

/* A reference is printed on receipts and in an admin's terminal: printable
 * text, no control character (ESC, BEL, newlines), and short. */
#define REFERENCE_MAX 128

static gboolean
reference_is_usable (const char *reference)
{
  if (!g_utf8_validate (reference, -1, NULL) || g_utf8_strlen (reference, -1) > REFERENCE_MAX)
    return FALSE;
  for (const char *p = reference; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (!g_unichar_isprint (c) || g_unichar_type (c) == G_UNICODE_FORMAT)
        return FALSE;
    }
  return TRUE;
}

/* Reads the 2xx answer: {reference, status_url}.  An unusable reference is
 * returned as "" (a protocol error), a missing one as NULL. */
static char *
read_reference (GBytes *body)
{
  g_autoptr(JsonNode) root = NULL;
  JsonObject *object;
  JsonNode *node;

  if (body == NULL ||
      (root = kiosk_json_parse_bytes (body, KIOSK_JSON_OUTSIDE_DEPTH, NULL)) == NULL ||
      !JSON_NODE_HOLDS_OBJECT (root))
    return NULL;
  object = json_node_get_object (root);
  node = json_object_get_member (object, "reference");
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING ||
      *json_node_get_string (node) == '\0')
    return NULL;
  if (!reference_is_usable (json_node_get_string (node)))
    return g_strdup ("");
  return g_strdup (json_node_get_string (node));
}

static KioskOutcome *
outcome_for_answer (KioskSubmissionTarget *self,
                    SoupMessage           *message,
                    GBytes                *body,
                    gboolean               want_reference)
{
  return _kiosk_submission_target_read_answer (self, soup_message_get_status (message),
                                               soup_message_get_reason_phrase (message),
                                               soup_message_headers_get_one (soup_message_get_response_headers (message),
                                                                             "Retry-After"),
                                               body, want_reference);
}

/**
 * _kiosk_submission_target_read_answer:
 * @reason: (nullable): the status line's reason phrase
 * @retry_after: (nullable): the Retry-After header
 * @body: (nullable): the answer's body, as it came
 *
 * What an answer of the city's system means: the one reader of server
 * answers, also for tests/fuzz/fuzz-answer.c.
 */
KioskOutcome *
_kiosk_submission_target_read_answer (KioskSubmissionTarget *self,
                                      guint                  status,
                                      const char            *reason,
                                      const char            *retry_after,
                                      GBytes                *body,
                                      gboolean               want_reference)
{
  KioskOutcomeKind kind = kiosk_target_classify_status (status);
  KioskOutcome *outcome;

  switch (kind)
    {
    case KIOSK_OUTCOME_DELIVERED:
      {
        g_autofree char *reference = want_reference ? read_reference (body) : NULL;

        if (want_reference && reference != NULL && *reference == '\0')
          {
            /* Never stored or printed: a protocol error, retried (the
             * same key brings the same answer; an admin sees why). */
            outcome = kiosk_outcome_new (KIOSK_OUTCOME_RETRY, status,
                                         "the backend answered with an unusable reference "
                                         "(control characters, or longer than 128 characters)");
          }
        else if (want_reference && reference == NULL)
          {
            /* The server probably stored it; sending it again with the same
             * key brings the answer back, so this is a retry, not a loss. */
            outcome = kiosk_outcome_new (KIOSK_OUTCOME_RETRY, status,
                                         "the backend answered without a readable reference");
          }
        else
          {
            outcome = kiosk_outcome_new (KIOSK_OUTCOME_DELIVERED, status, NULL);
            outcome->remote_ref = g_steal_pointer (&reference);
          }
      }
      break;

    case KIOSK_OUTCOME_REJECTED:
      {
        g_autofree char *text = problem_message (body, status, reason);

        outcome = kiosk_outcome_new (KIOSK_OUTCOME_REJECTED, status, text);
      }
      break;

    case KIOSK_OUTCOME_PAUSE:
      {
        g_autofree char *text = NULL;

        if (status == 401)
          text = g_strdup_printf ("HTTP 401: the backend does not accept the token ([backend] token-file)");
        else if (status == 403)
          text = g_strdup_printf ("HTTP 403: this kiosk is not allowed to submit ([backend] token-file)");
        else
          text = g_strdup_printf ("HTTP %u %s from %s: check [backend] url", status,
                                  reason != NULL ? reason : "", self->base_url);
        outcome = kiosk_outcome_new (KIOSK_OUTCOME_PAUSE, status, text);
      }
      break;

    case KIOSK_OUTCOME_RETRY:
    default:
      {
        g_autofree char *text = g_strdup_printf ("HTTP %u %s", status, reason != NULL ? reason : "");

        outcome = kiosk_outcome_new (KIOSK_OUTCOME_RETRY, status, text);
        outcome->retry_after_us = kiosk_target_parse_retry_after (retry_after, kiosk_clock_get_now (self->clock));
      }
      break;
    }

  /* The reason phrase is the server's too. */
  if (outcome->message != NULL && g_utf8_validate (outcome->message, -1, NULL))
    clean_for_screen (outcome->message);
  else if (outcome->message != NULL)
    {
      g_autofree char *valid = g_utf8_make_valid (outcome->message, -1);

      clean_for_screen (valid);
      g_free (outcome->message);
      outcome->message = g_steal_pointer (&valid);
    }
  return outcome;
}

static KioskOutcome *
outcome_for_exchange (KioskSubmissionTarget *self,
                      Exchange              *ex,
                      GBytes                *body,
                      const GError          *error,
                      gboolean               want_reference)
{
  /* kiosk-http.c checks the pin at the handshake and again on the answer
   * (a connection kept alive). */
  if (g_error_matches (error, KIOSK_HTTP_ERROR, KIOSK_HTTP_ERROR_PIN_MISMATCH))
    return kiosk_outcome_new (KIOSK_OUTCOME_PAUSE, 0,
                              "TLS failure: the server certificate does not match [backend] pin-sha256");
  if (error != NULL)
    return kiosk_target_classify_error (error);

  return outcome_for_answer (self, ex->message, body, want_reference);
}

static void
exchange_done_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  KioskSubmissionTarget *self = g_task_get_source_object (task);
  Exchange *ex = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = NULL;
  KioskOutcome *outcome;

  body = kiosk_http_send_finish (result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED, "cancelled");
      return;
    }

  outcome = outcome_for_exchange (self, ex, body, error, g_task_get_source_tag (task) == kiosk_target_deliver_async);
  g_debug ("%s %s: HTTP %u, %s", soup_message_get_method (ex->message),
           ex->request_id != NULL ? ex->request_id : g_uri_get_path (soup_message_get_uri (ex->message)),
           outcome->status, kiosk_outcome_kind_to_string (outcome->kind));
  g_task_return_pointer (task, outcome, (GDestroyNotify) kiosk_outcome_free);
}

static void
send_exchange (KioskSubmissionTarget *self,
               GTask                 *task,
               Exchange              *ex)
{
  g_task_set_task_data (task, ex, (GDestroyNotify) exchange_free);
  kiosk_http_send_pinned_async (self->session, ex->message, self->pin_sha256, self->deadline_s,
                                KIOSK_HTTP_MAX_BODY, ex->outer, exchange_done_cb, task);
}

static void
kiosk_submission_target_deliver_async (KioskTarget         *target,
                                       KioskRequest        *request,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data)
{
  KioskSubmissionTarget *self = KIOSK_SUBMISSION_TARGET (target);
  g_autoptr(GTask) task = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;
  Exchange *ex;

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, kiosk_target_deliver_async);

  body = kiosk_submission_target_build_body (self, request, &error);
  if (body == NULL)
    {
      /* Nothing a retry would change: a clerk must look at it. */
      g_task_return_pointer (task, kiosk_outcome_new (KIOSK_OUTCOME_REJECTED, 0, error->message),
                             (GDestroyNotify) kiosk_outcome_free);
      return;
    }

  ex = exchange_new (self, SOUP_METHOD_POST, "/v1/submissions", TRUE, cancellable);
  ex->request_id = g_strdup (kiosk_request_get_id (request));
  soup_message_add_flags (ex->message, SOUP_MESSAGE_IDEMPOTENT);
  soup_message_headers_replace (soup_message_get_request_headers (ex->message),
                                "Idempotency-Key", kiosk_request_get_id (request));
  soup_message_headers_replace (soup_message_get_request_headers (ex->message),
                                "Accept", "application/json");
  soup_message_set_request_body_from_bytes (ex->message, "application/json", body);
  send_exchange (self, g_steal_pointer (&task), ex);
}

static KioskOutcome *
kiosk_submission_target_deliver_finish (KioskTarget   *target,
                                        GAsyncResult  *result,
                                        GError       **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
kiosk_submission_target_probe_async (KioskTarget         *target,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  KioskSubmissionTarget *self = KIOSK_SUBMISSION_TARGET (target);
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  Exchange *ex;

  g_task_set_source_tag (task, kiosk_target_probe_async);
  ex = exchange_new (self, SOUP_METHOD_GET, "/v1/health", FALSE, cancellable);
  send_exchange (self, g_steal_pointer (&task), ex);
}

static char *
kiosk_submission_target_describe (KioskTarget *target)
{
  return g_strdup (KIOSK_SUBMISSION_TARGET (target)->base_url);
}

static void
kiosk_submission_target_iface_init (KioskTargetInterface *iface)
{
  iface->deliver_async = kiosk_submission_target_deliver_async;
  iface->deliver_finish = kiosk_submission_target_deliver_finish;
  iface->probe_async = kiosk_submission_target_probe_async;
  iface->probe_finish = kiosk_submission_target_deliver_finish;
  iface->describe = kiosk_submission_target_describe;
}

static void
kiosk_submission_target_dispose (GObject *object)
{
  KioskSubmissionTarget *self = (KioskSubmissionTarget *)object;

  if (self->session != NULL)
    soup_session_abort (self->session);
  g_clear_object (&self->session);
  g_clear_object (&self->clock);

  G_OBJECT_CLASS (kiosk_submission_target_parent_class)->dispose (object);
}

static void
kiosk_submission_target_finalize (GObject *object)
{
  KioskSubmissionTarget *self = (KioskSubmissionTarget *)object;

  g_free (self->base_url);
  g_free (self->kiosk_id);
  if (self->token != NULL)
    memset (self->token, 0, strlen (self->token));
  g_free (self->token);
  g_free (self->pin_sha256);

  G_OBJECT_CLASS (kiosk_submission_target_parent_class)->finalize (object);
}

static void
kiosk_submission_target_class_init (KioskSubmissionTargetClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = kiosk_submission_target_dispose;
  object_class->finalize = kiosk_submission_target_finalize;
}

static void
kiosk_submission_target_init (KioskSubmissionTarget *self)
{
}

/**
 * kiosk_submission_target_new:
 * @config: [backend] url, token-file, ca-file, pin-sha256, timeout; [kiosk] id
 * @clock: for Retry-After dates
 * @max_connections: keep-alive connections to the backend at the most
 *
 * Returns: (transfer full): the target, or %NULL with @error set
 *   (%KIOSK_TARGET_ERROR_CONFIG naming the key) when no backend is
 *   configured or the CA file or token file cannot be read
 */
KioskSubmissionTarget *
kiosk_submission_target_new (KioskConfig  *config,
                             KioskClock   *clock,
                             guint         max_connections,
                             GError      **error)
{
  g_autoptr(KioskSubmissionTarget) self = NULL;
  g_autoptr(GError) local_error = NULL;
  const char *url;
  const char *pin;

  g_return_val_if_fail (KIOSK_IS_CONFIG (config), NULL);
  g_return_val_if_fail (KIOSK_IS_CLOCK (clock), NULL);

  url = kiosk_config_get_backend_url (config);
  if (url == NULL || *url == '\0')
    {
      g_set_error (error, KIOSK_TARGET_ERROR, KIOSK_TARGET_ERROR_CONFIG,
                   "no backend configured ([backend] url is empty)");
      return NULL;
    }

  self = g_object_new (KIOSK_TYPE_SUBMISSION_TARGET, NULL);
  self->clock = g_object_ref (clock);
  self->base_url = g_strdup (url);
  while (g_str_has_suffix (self->base_url, "/"))
    self->base_url[strlen (self->base_url) - 1] = '\0';
  self->kiosk_id = g_strdup (kiosk_config_get_kiosk_id (config));

  self->token = kiosk_config_read_token (config, &local_error);
  if (local_error != NULL)
    {
      g_set_error (error, KIOSK_TARGET_ERROR, KIOSK_TARGET_ERROR_CONFIG, "%s", local_error->message);
      return NULL;
    }
  if (self->token != NULL)
    g_strstrip (self->token);

  pin = kiosk_config_get_pin_sha256 (config);
  if (pin != NULL && *pin != '\0')
    self->pin_sha256 = g_ascii_strdown (pin, -1);

  /* [backend] timeout bounds both a pause inside an answer (libsoup's
   * inactivity timeout) and, since a trickling server never pauses, the
   * whole exchange (kiosk-http.c). */
  self->deadline_s = kiosk_config_get_request_timeout (config);
  self->session = kiosk_http_session_new (kiosk_config_get_request_timeout (config), MAX (max_connections, 1),
                                          kiosk_config_get_ca_file (config), "[backend] ca-file", &local_error);
  if (self->session == NULL)
    {
      g_set_error (error, KIOSK_TARGET_ERROR, KIOSK_TARGET_ERROR_CONFIG, "%s", local_error->message);
      return NULL;
    }

  return g_steal_pointer (&self);
}

/* The members of POST /v1/submissions, in order; the answers are either
 * sealed_payload or answers, as answers_format says.  Never reorder: the
 * backend's idempotency check compares a replay's bytes with the first. */
static const char * const body_members[] = {
  "id", "short_code", "kiosk_id", "service_id", "service_version", "created", "locale",
  "assisted", "answers_format", "sealed_payload", "answers", NULL,
};

/* Whether json-glib writes @text as it is, between quotes: printable ASCII
 * other than '"' and '\'. */
static gboolean
is_plain (const char *text)
{
  if (text == NULL)
    return FALSE;
  for (const guchar *p = (const guchar *) text; *p != '\0'; p++)
    if (*p < 0x20 || *p > 0x7e || *p == '"' || *p == '\\')
      return FALSE;
  return TRUE;
}

/* The body as the builder below writes it (body_members, in order), for
 * the common request whose strings need no escaping: the envelope written
 * directly, only the answers through json-glib's generator.  Building the
 * whole body as a JSON tree and generating it was about 70 k instructions
 * a request, a tenth of a drain's work in the kiosk.  Returns %NULL when
 * the request is not such a one (or its answers cannot be read); the
 * builder then writes it, and says what is wrong.  test-sync's
 * body-as-built compares the two. */
static GBytes *
build_plain_body (KioskSubmissionTarget *self,
                  KioskRequest          *request)
{
  g_autoptr(GDateTime) created = NULL;
  g_autofree char *created_text = NULL;
  g_autoptr(GString) body = NULL;
  gboolean sealed = kiosk_request_get_answers_format (request) == KIOSK_ANSWERS_SEALED;
  GBytes *answers = kiosk_request_get_answers (request);
  const char *kiosk_id = kiosk_request_get_origin_kiosk_id (request) != NULL
                         ? kiosk_request_get_origin_kiosk_id (request) : self->kiosk_id;

  created = g_date_time_new_from_unix_utc (kiosk_request_get_created (request) / G_USEC_PER_SEC);
  if (created == NULL)
    return NULL;
  created_text = g_date_time_format (created, "%Y-%m-%dT%H:%M:%SZ");
  if (!is_plain (kiosk_request_get_id (request)) || !is_plain (kiosk_request_get_short_code (request)) ||
      !is_plain (kiosk_id) || !is_plain (kiosk_request_get_service_id (request)) ||
      !is_plain (created_text) || !is_plain (kiosk_request_get_locale (request)))
    return NULL;

  body = g_string_sized_new (256 + g_bytes_get_size (answers) * (sealed ? 2 : 1));
  g_string_append_printf (body,
                          "{\"id\":\"%s\",\"short_code\":\"%s\",\"kiosk_id\":\"%s\",\"service_id\":\"%s\","
                          "\"service_version\":%u,\"created\":\"%s\",\"locale\":\"%s\",\"assisted\":%s,"
                          "\"answers_format\":\"%s\"",
                          kiosk_request_get_id (request), kiosk_request_get_short_code (request), kiosk_id,
                          kiosk_request_get_service_id (request), kiosk_request_get_service_version (request),
                          created_text, kiosk_request_get_locale (request),
                          (kiosk_request_get_flags (request) & KIOSK_REQUEST_FLAG_ASSISTED) != 0 ? "true" : "false",
                          sealed ? "sealed" : "json");
  if (sealed)
    {
      g_autofree char *base64 = g_base64_encode (g_bytes_get_data (answers, NULL), g_bytes_get_size (answers));

      g_string_append_printf (body, ",\"sealed_payload\":\"%s\"", base64);
    }
  else
    {
      g_autoptr(JsonNode) node = kiosk_json_parse_bytes (answers, KIOSK_JSON_OUTSIDE_DEPTH, NULL);
      g_autoptr(JsonGenerator) generator = NULL;
      g_autofree char *text = NULL;
      gsize length;

      if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
        return NULL;
      generator = json_generator_new ();
      json_generator_set_root (generator, node);
      text = json_generator_to_data (generator, &length);
      g_string_append (body, ",\"answers\":");
      g_string_append_len (body, text, (gssize) length);
    }
  g_string_append_c (body, '}');
  return g_string_free_to_bytes (g_steal_pointer (&body));
}

/**
 * kiosk_submission_target_build_body:
 *
 * The JSON body of POST /v1/submissions for @request.  The same request gives
 * the same bytes every time, which the backend's idempotency check relies on.
 *
 * Returns: (transfer full): the body, or %NULL with @error set when the stored
 *   answers cannot be read
 */
GBytes *
kiosk_submission_target_build_body (KioskSubmissionTarget  *self,
                                    KioskRequest           *request,
                                    GError                **error)
{
  g_autoptr(JsonBuilder) builder = NULL;
  g_autoptr(JsonGenerator) generator = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) local_error = NULL;
  GBytes *answers;
  GBytes *body;
  char *text;
  gsize length;

  g_return_val_if_fail (KIOSK_IS_SUBMISSION_TARGET (self), NULL);
  g_return_val_if_fail (KIOSK_IS_REQUEST (request), NULL);

  answers = kiosk_request_get_answers (request);
  if (answers == NULL)
    {
      g_set_error (error, KIOSK_TARGET_ERROR, KIOSK_TARGET_ERROR_CONFIG,
                   "request %s has no stored answers (purged?)", kiosk_request_get_short_code (request));
      return NULL;
    }

  body = build_plain_body (self, request);
  if (body != NULL)
    return body;

  builder = json_builder_new ();
  if (!kiosk_request_build_json (request, builder, body_members, self->kiosk_id,
                                 KIOSK_REQUEST_JSON_DEFAULT, &local_error))
    {
      g_set_error_literal (error, KIOSK_TARGET_ERROR, KIOSK_TARGET_ERROR_CONFIG, local_error->message);
      return NULL;
    }

  root = json_builder_get_root (builder);
  generator = json_generator_new ();
  json_generator_set_root (generator, root);
  text = json_generator_to_data (generator, &length);
  return g_bytes_new_take (text, length);
}

/* For the exchanges other than a delivery (catalogue, lookup): when no
 * usable answer came (network, TLS, a certificate not matching the pin),
 * returns that on @task as "<what> <base URL>: <why>", a cancellation as
 * it is, and %TRUE. */
static gboolean
return_if_unanswered (GTask       *task,
                      GBytes      *body,
                      GError     **error,
                      const char  *what)
{
  KioskSubmissionTarget *self = g_task_get_source_object (task);
  Exchange *ex = g_task_get_task_data (task);
  g_autoptr(KioskOutcome) outcome = NULL;

  if (*error == NULL)
    return FALSE;
  if (g_error_matches (*error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_task_return_error (task, g_steal_pointer (error));
      return TRUE;
    }
  outcome = outcome_for_exchange (self, ex, body, *error, FALSE);
  g_task_return_new_error (task, KIOSK_TARGET_ERROR, KIOSK_TARGET_ERROR_NETWORK,
                           "%s %s: %s", what, self->base_url, outcome->message);
  return TRUE;
}

static void
catalog_done_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  KioskSubmissionTarget *self = g_task_get_source_object (task);
  Exchange *ex = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = NULL;
  guint status;

  body = kiosk_http_send_finish (result, &error);
  if (return_if_unanswered (task, body, &error, "catalogue from"))
    return;

  status = soup_message_get_status (ex->message);
  if (status == SOUP_STATUS_NOT_MODIFIED)
    {
      g_task_return_pointer (task, NULL, NULL);
      return;
    }
  if (status != SOUP_STATUS_OK)
    {
      g_task_return_new_error (task, KIOSK_TARGET_ERROR, KIOSK_TARGET_ERROR_HTTP,
                               "catalogue from %s/v1/catalog: HTTP %u %s", self->base_url, status,
                               soup_message_get_reason_phrase (ex->message));
      return;
    }

  g_object_set_data_full (G_OBJECT (task), "etag",
                          g_strdup (soup_message_headers_get_one (soup_message_get_response_headers (ex->message), "ETag")),
                          g_free);
  g_task_return_pointer (task, g_steal_pointer (&body), (GDestroyNotify) g_bytes_unref);
}

/**
 * kiosk_submission_target_fetch_catalog_async:
 * @etag: (nullable): the ETag of the active catalogue, sent as If-None-Match
 */
void
kiosk_submission_target_fetch_catalog_async (KioskSubmissionTarget *self,
                                             const char            *etag,
                                             GCancellable          *cancellable,
                                             GAsyncReadyCallback    callback,
                                             gpointer               user_data)
{
  g_autoptr(GTask) task = NULL;
  Exchange *ex;

  g_return_if_fail (KIOSK_IS_SUBMISSION_TARGET (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, kiosk_submission_target_fetch_catalog_async);
  ex = exchange_new (self, SOUP_METHOD_GET, "/v1/catalog", TRUE, cancellable);
  if (etag != NULL && *etag != '\0')
    soup_message_headers_replace (soup_message_get_request_headers (ex->message), "If-None-Match", etag);
  g_task_set_task_data (task, ex, (GDestroyNotify) exchange_free);
  /* A catalogue is larger than an answer: more bytes, and more time. */
  kiosk_http_send_pinned_async (self->session, ex->message, self->pin_sha256, self->deadline_s * 10,
                                KIOSK_HTTP_MAX_CATALOG, ex->outer, catalog_done_cb, g_steal_pointer (&task));
}

/**
 * kiosk_submission_target_fetch_catalog_finish:
 * @out_etag: (out) (optional): the new catalogue's ETag
 *
 * Returns: (transfer full) (nullable): the new catalogue (not yet validated);
 *   %NULL without @error when the kiosk's catalogue is current (304)
 */
GBytes *
kiosk_submission_target_fetch_catalog_finish (KioskSubmissionTarget  *self,
                                              GAsyncResult           *result,
                                              char                  **out_etag,
                                              GError                **error)
{
  GBytes *bytes;

  g_return_val_if_fail (KIOSK_IS_SUBMISSION_TARGET (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  bytes = g_task_propagate_pointer (G_TASK (result), error);
  if (out_etag != NULL)
    *out_etag = bytes != NULL ? g_strdup (g_object_get_data (G_OBJECT (result), "etag")) : NULL;
  return bytes;
}

static void
lookup_done_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Exchange *ex = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = NULL;

  body = kiosk_http_send_finish (result, &error);
  if (return_if_unanswered (task, body, &error, "the city's system at"))
    return;

  g_object_set_data (G_OBJECT (task), "status", GUINT_TO_POINTER (soup_message_get_status (ex->message)));
  g_task_return_pointer (task, g_steal_pointer (&body), (GDestroyNotify) g_bytes_unref);
}

/* GET @prefix + @key (escaped), answered with its status (lookup_done_cb()). */
static void
lookup_path_async (KioskSubmissionTarget *self,
                   const char            *prefix,
                   const char            *key,
                   gpointer               source_tag,
                   GCancellable          *cancellable,
                   GAsyncReadyCallback    callback,
                   gpointer               user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autofree char *escaped = g_uri_escape_string (key, NULL, FALSE);
  g_autofree char *path = g_strconcat (prefix, escaped, NULL);
  Exchange *ex;

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, source_tag);
  ex = exchange_new (self, SOUP_METHOD_GET, path, TRUE, cancellable);
  g_task_set_task_data (task, ex, (GDestroyNotify) exchange_free);
  kiosk_http_send_pinned_async (self->session, ex->message, self->pin_sha256, self->deadline_s,
                                KIOSK_HTTP_MAX_BODY, ex->outer, lookup_done_cb, g_steal_pointer (&task));
}

/**
 * kiosk_submission_target_lookup_async:
 * @request_id: the request's UUID
 *
 * Asks the backend for a request (`GET /v1/submissions/{id}`), with the same
 * token, CA file and certificate pin as a delivery: the counter asks before
 * it delivers a scanned receipt.  Finish with
 * kiosk_submission_target_lookup_finish().
 */
void
kiosk_submission_target_lookup_async (KioskSubmissionTarget *self,
                                      const char            *request_id,
                                      GCancellable          *cancellable,
                                      GAsyncReadyCallback    callback,
                                      gpointer               user_data)
{
  g_return_if_fail (KIOSK_IS_SUBMISSION_TARGET (self));
  g_return_if_fail (request_id != NULL);

  lookup_path_async (self, "/v1/submissions/", request_id, kiosk_submission_target_lookup_async,
                     cancellable, callback, user_data);
}

/**
 * kiosk_submission_target_lookup_code_async:
 * @short_code: a receipt's code, normalized (kiosk_short_code_normalize())
 *
 * Asks the backend where the request with this code stands
 * (`GET /v1/submissions/by-code/{short_code}`): the status page asks it for
 * codes of other kiosks (#16).  Service, day and the city's status, never
 * the answers (data/openapi/submission-api.yaml).  Finish with
 * kiosk_submission_target_lookup_finish().
 */
void
kiosk_submission_target_lookup_code_async (KioskSubmissionTarget *self,
                                           const char            *short_code,
                                           GCancellable          *cancellable,
                                           GAsyncReadyCallback    callback,
                                           gpointer               user_data)
{
  g_return_if_fail (KIOSK_IS_SUBMISSION_TARGET (self));
  g_return_if_fail (short_code != NULL);

  lookup_path_async (self, "/v1/submissions/by-code/", short_code, kiosk_submission_target_lookup_code_async,
                     cancellable, callback, user_data);
}

/**
 * kiosk_submission_target_lookup_finish:
 * @out_status: (out): the HTTP status of the answer
 *
 * Returns: (transfer full): the answer's body, or %NULL with @error set when
 *   no answer came (network, TLS, wrong pin)
 */
GBytes *
kiosk_submission_target_lookup_finish (KioskSubmissionTarget  *self,
                                       GAsyncResult           *result,
                                       guint                  *out_status,
                                       GError                **error)
{
  GBytes *body;

  g_return_val_if_fail (KIOSK_IS_SUBMISSION_TARGET (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  body = g_task_propagate_pointer (G_TASK (result), error);
  if (out_status != NULL)
    *out_status = body != NULL ? GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (result), "status")) : 0;
  return body;
}

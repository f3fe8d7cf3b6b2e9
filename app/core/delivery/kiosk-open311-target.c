/* kiosk-open311-target.c
 *
 * SPDX-FileCopyrightText: 2026 Stadtkiosk contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "kiosk-delivery"

#include "config.h"

#include "kiosk-open311-target.h"
#include "kiosk-open311-target-private.h"

#include "kiosk-http.h"
#include "kiosk-json-private.h"
#include "kiosk-open311.h"

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>
#include <string.h>

/* Delivery into a city's Open311 GeoReport v2 endpoint (docs/open311.md).
 *
 * A request is one form-encoded POST /requests.json.  Open311 has no
 * idempotency key, so the request's short code goes into the description
 * ("… (Stadtkiosk HSK-K3FA-9Q2C)"), and before any re-send (every attempt
 * after the first: an earlier one may have reached the server even though
 * no answer came back) the target lists GET /requests.json for the service
 * code over the time since the request was made and looks for that code.
 * Found: delivered, with the id the server gave it.  Not found: sent again.
 *
 * Answers: [{"service_request_id"}] delivered; [{"token"}] the server took
 * it and gives the id later (polled at GET /tokens/{token}.json a few times,
 * else the token is the reference); 400 with [{"code", "description"}]
 * rejected with the server's words; 401/403 pause (API key); 404 with an
 * Open311 error body rejected (the catalogue names a service code the server
 * does not know), 404 without one pause (wrong endpoint); 5xx, 408, 429 and
 * no answer: retry with backoff.  XML is refused: we speak the .json format.
 *
 * Every exchange has an overall deadline, a cap on the answer's size and
 * the [open311] pin, through kiosk-http.c: libsoup's timeout is only an
 * inactivity timeout.  Neither answers nor the API key are ever logged.
 */

#define MESSAGE_MAX 500
/* The window looked at before a re-send starts this much before the request
 * was made and ends this much after now: clocks of kiosk and server differ. */
#define LOOK_SLACK_US (G_GINT64_CONSTANT (15) * 60 * G_USEC_PER_SEC)

struct _KioskOpen311Target
{
  GObject       parent_instance;

  KioskClock   *clock;
  SoupSession  *session;
  KioskCatalog *catalog;           /* the services' mappings; set by the sync */
  char         *base_url;          /* without a trailing slash */
  char         *api_key;           /* nullable; never logged */
  char         *jurisdiction_id;   /* nullable */
  char         *pin_sha256;        /* lower-case hex, nullable */
  gboolean      look_before_resend;
  guint         token_delay_ms;
  guint         token_polls;
};

static void kiosk_open311_target_iface_init (KioskTargetInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (KioskOpen311Target, kiosk_open311_target, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (KIOSK_TYPE_TARGET, kiosk_open311_target_iface_init))

void
kiosk_open311_status_free (KioskOpen311Status *status)
{
  if (status == NULL)
    return;
  g_free (status->service_request_id);
  g_free (status->status);
  g_free (status->status_notes);
  g_free (status);
}

/* One HTTP exchange ------------------------------------------------------ */

/* What came back: either a failure before a full answer (no answer, TLS,
 * deadline, too big) or the status, body and the headers we read. */
typedef struct
{
  KioskOutcome *failure;
  guint         status;
  char         *reason;
  char         *content_type;
  char         *retry_after;
  GBytes       *body;
} Answer;

static void
answer_free (Answer *answer)
{
  kiosk_outcome_free (answer->failure);
  g_free (answer->reason);
  g_free (answer->content_type);
  g_free (answer->retry_after);
  g_clear_pointer (&answer->body, g_bytes_unref);
  g_free (answer);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Answer, answer_free)

/* The message in flight is the task's data; kiosk-http.c gives the
 * exchange its deadline, size cap and pin check. */
static void
finish_exchange (GTask        *task,
                 GBytes       *body,
                 const GError *error)
{
  SoupMessage *message = g_task_get_task_data (task);
  GCancellable *cancellable = g_task_get_cancellable (task);
  g_autoptr(Answer) answer = g_new0 (Answer, 1);
  SoupMessageHeaders *headers;

  if (g_error_matches (error, KIOSK_HTTP_ERROR, KIOSK_HTTP_ERROR_PIN_MISMATCH))
    answer->failure = kiosk_outcome_new (KIOSK_OUTCOME_PAUSE, 0,
                                         "TLS failure: the server certificate does not match [open311] pin-sha256");
  else if (error != NULL && cancellable != NULL && g_cancellable_is_cancelled (cancellable))
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED, "cancelled");
      return;
    }
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT))
    {
      answer->failure = kiosk_outcome_new (KIOSK_OUTCOME_RETRY, 0, "no complete answer within the deadline");
      answer->failure->offline_hint = TRUE;
    }
  else if (g_error_matches (error, KIOSK_HTTP_ERROR, KIOSK_HTTP_ERROR_TOO_LARGE))
    answer->failure = kiosk_outcome_new (KIOSK_OUTCOME_RETRY, soup_message_get_status (message),
                                         "the Open311 answer is larger than the kiosk accepts");
  else if (error != NULL)
    answer->failure = kiosk_target_classify_error (error);
  else
    {
      answer->status = soup_message_get_status (message);
      answer->reason = g_strdup (soup_message_get_reason_phrase (message));
      headers = soup_message_get_response_headers (message);
      answer->content_type = g_strdup (soup_message_headers_get_content_type (headers, NULL));
      answer->retry_after = g_strdup (soup_message_headers_get_one (headers, "Retry-After"));
      answer->body = g_bytes_ref (body);
    }
  g_task_return_pointer (task, g_steal_pointer (&answer), (GDestroyNotify) answer_free);
}

static void
sent_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = NULL;

  body = kiosk_http_send_finish (result, &error);
  finish_exchange (task, body, error);
}

/* Sends one exchange; finishes with an Answer (see answer_finish ()).
 * @form: (nullable): a form-encoded body for a POST */
static void
exchange_async (KioskOpen311Target  *self,
                const char          *method,
                const char          *path_and_query,
                GBytes              *form,
                GCancellable        *cancellable,
                GAsyncReadyCallback  callback,
                gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  g_autofree char *url = g_strconcat (self->base_url, path_and_query, NULL);
  SoupMessage *message = soup_message_new (method, url);

  if (message == NULL)
    {
      g_autoptr(GError) error = g_error_new (G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                                             "not a valid URL: %s", url);

      finish_exchange (task, NULL, error);
      return;
    }
  g_task_set_task_data (task, message, g_object_unref);
  soup_message_add_flags (message, SOUP_MESSAGE_NO_REDIRECT);
  /* Without the flag libsoup 3.2 opens a new connection for every POST.  A
   * POST that is sent twice is what the look before a re-send handles. */
  soup_message_add_flags (message, SOUP_MESSAGE_IDEMPOTENT);
  soup_message_headers_replace (soup_message_get_request_headers (message), "Accept", "application/json");
  if (form != NULL)
    soup_message_set_request_body_from_bytes (message, "application/x-www-form-urlencoded", form);
  kiosk_http_send_pinned_async (self->session, message, self->pin_sha256, KIOSK_OPEN311_DEADLINE_S,
                                KIOSK_OPEN311_BODY_CAP, cancellable, sent_cb, g_steal_pointer (&task));
}

static Answer *
answer_finish (GAsyncResult  *result,
               GError       **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* Reading answers --------------------------------------------------------- */

static char *
clean_text (const char *text)
{
  char *clean = g_utf8_make_valid (text, -1);

  for (char *p = clean; *p != '\0'; p++)
    if ((guchar) *p < 0x20)
      *p = ' ';
  if (g_utf8_strlen (clean, -1) > MESSAGE_MAX)
    *g_utf8_offset_to_pointer (clean, MESSAGE_MAX) = '\0';
  return clean;
}

static gboolean
answer_is_xml (Answer *answer)
{
  const char *data;
  gsize len;

  if (answer->content_type != NULL && strstr (answer->content_type, "xml") != NULL)
    return TRUE;
  if (answer->body == NULL)
    return FALSE;
  data = g_bytes_get_data (answer->body, &len);
  while (len > 0 && g_ascii_isspace (*data))
    data++, len--;
  return len > 0 && *data == '<';
}

/* The answer as JSON through the strict reader, or %NULL. */
static KioskJson *
answer_json (Answer *answer)
{
  const char *data;
  gsize len;

  if (answer->body == NULL)
    return NULL;
  data = g_bytes_get_data (answer->body, &len);
  if (data == NULL)
    data = "", len = 0;
  return kiosk_json_parse (data, len, 16, NULL);
}

/* Open311 ids and codes come as strings or numbers. */
static char *
member_text (const KioskJsonValue *object,
             const char           *name)
{
  const KioskJsonValue *value = kiosk_json_get_member (object, name);

  if (value == NULL)
    return NULL;
  if (value->type == KIOSK_JSON_STRING && *value->string != '\0')
    return g_strdup (value->string);
  if (value->type == KIOSK_JSON_INTEGER)
    return g_strdup_printf ("%" G_GINT64_FORMAT, value->integer);
  return NULL;
}

/* The first object of an answer that is an array of objects. */
static const KioskJsonValue *
first_object (KioskJson *doc)
{
  const KioskJsonValue *root = doc != NULL ? kiosk_json_get_root (doc) : NULL;

  if (root == NULL || root->type != KIOSK_JSON_ARRAY || root->first == NULL ||
      root->first->type != KIOSK_JSON_OBJECT)
    return NULL;
  return root->first;
}

/* "description (code N)" of an Open311 error answer, or %NULL. */
static char *
open311_error (Answer *answer)
{
  g_autoptr(KioskJson) doc = answer_json (answer);
  const KioskJsonValue *error = first_object (doc);
  g_autofree char *code = NULL;
  g_autofree char *description = NULL;

  if (error == NULL)
    return NULL;
  code = member_text (error, "code");
  description = member_text (error, "description");
  if (description == NULL)
    return NULL;
  return code != NULL ? g_strdup_printf ("%s (code %s)", description, code) : g_strdup (description);
}

/* The outcome of an answer that is not a success; @what names the call. */
static KioskOutcome *
outcome_for_failure (KioskOpen311Target *self,
                     Answer             *answer,
                     const char         *service_code)
{
  g_autofree char *server_says = NULL;
  g_autofree char *text = NULL;
  KioskOutcome *outcome;

  if (answer->failure != NULL)
    return kiosk_outcome_copy (answer->failure);

  switch (answer->status)
    {
    case 400:
      server_says = open311_error (answer);
      text = g_strdup_printf ("Open311 refused the request: %s",
                              server_says != NULL ? server_says : "HTTP 400 without an explanation");
      return kiosk_outcome_new (KIOSK_OUTCOME_REJECTED, 400, text);

    case 401:
    case 403:
      text = g_strdup_printf ("HTTP %u: the Open311 endpoint refuses the API key ([open311] api-key-file)",
                              answer->status);
      return kiosk_outcome_new (KIOSK_OUTCOME_PAUSE, answer->status, text);

    case 404:
      server_says = open311_error (answer);
      if (server_says != NULL && service_code != NULL)
        {
          text = g_strdup_printf ("the Open311 endpoint does not know service code \"%s\" (%s): the catalogue is out "
                                  "of date; import it again with stadtkioskctl catalog import --open311 URL",
                                  service_code, server_says);
          return kiosk_outcome_new (KIOSK_OUTCOME_REJECTED, 404, text);
        }
      text = g_strdup_printf ("HTTP 404 from %s: check [open311] endpoint", self->base_url);
      return kiosk_outcome_new (KIOSK_OUTCOME_PAUSE, 404, text);

    default:
      break;
    }

  if (answer->status >= 200 && answer->status < 300 && answer_is_xml (answer))
    return kiosk_outcome_new (KIOSK_OUTCOME_PAUSE, answer->status,
                              "the Open311 endpoint answered in XML; the kiosk speaks the JSON format only "
                              "(check that [open311] endpoint serves …/requests.json)");

  switch (kiosk_target_classify_status (answer->status))
    {
    case KIOSK_OUTCOME_REJECTED:
      server_says = open311_error (answer);
      text = g_strdup_printf ("Open311 refused the request: %s",
                              server_says != NULL ? server_says : answer->reason);
      return kiosk_outcome_new (KIOSK_OUTCOME_REJECTED, answer->status, text);
    case KIOSK_OUTCOME_PAUSE:
      text = g_strdup_printf ("HTTP %u %s from %s: check [open311] endpoint", answer->status,
                              answer->reason != NULL ? answer->reason : "", self->base_url);
      return kiosk_outcome_new (KIOSK_OUTCOME_PAUSE, answer->status, text);
    case KIOSK_OUTCOME_DELIVERED:
      /* A success we cannot read: the server may have it; the look before
       * the next attempt finds out. */
      return kiosk_outcome_new (KIOSK_OUTCOME_RETRY, answer->status,
                                "the Open311 endpoint answered without a readable service_request_id or token");
    case KIOSK_OUTCOME_RETRY:
    default:
      text = g_strdup_printf ("HTTP %u %s", answer->status, answer->reason != NULL ? answer->reason : "");
      outcome = kiosk_outcome_new (KIOSK_OUTCOME_RETRY, answer->status, text);
      outcome->retry_after_us = kiosk_target_parse_retry_after (answer->retry_after,
                                                                kiosk_clock_get_now (self->clock));
      return outcome;
    }
}

static gboolean
answer_ok (Answer *answer)
{
  return answer->failure == NULL && answer->status >= 200 && answer->status < 300 && !answer_is_xml (answer);
}

/* The form --------------------------------------------------------------- */

static void
form_add (GString    *form,
          const char *key,
          const char *value)
{
  g_autofree char *k = g_uri_escape_string (key, NULL, FALSE);
  g_autofree char *v = g_uri_escape_string (value, NULL, FALSE);

  g_string_append_printf (form, "%s%s=%s", form->len > 0 ? "&" : "", k, v);
}

/* An answer as Open311 text: numbers in C notation, booleans as true/false,
 * an address as "street number, postal code city". */
static char *
value_text (JsonNode *node)
{
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return NULL;
  if (JSON_NODE_HOLDS_OBJECT (node))
    {
      JsonObject *a = json_node_get_object (node);
      const char *street = json_object_get_string_member_with_default (a, "street", "");
      const char *number = json_object_get_string_member_with_default (a, "house_number", "");
      const char *postal = json_object_get_string_member_with_default (a, "postal_code", "");
      const char *city = json_object_get_string_member_with_default (a, "city", "");
      g_autofree char *text = g_strdup_printf ("%s %s, %s %s", street, number, postal, city);

      return g_strstrip (g_steal_pointer (&text));
    }
  if (!JSON_NODE_HOLDS_VALUE (node))
    return NULL;
  switch (json_node_get_value_type (node))
    {
    case G_TYPE_STRING:
      return *json_node_get_string (node) != '\0' ? g_strdup (json_node_get_string (node)) : NULL;
    case G_TYPE_BOOLEAN:
      return g_strdup (json_node_get_boolean (node) ? "true" : "false");
    case G_TYPE_INT64:
      return g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (node));
    case G_TYPE_DOUBLE:
      {
        char buf[G_ASCII_DTOSTR_BUF_SIZE];

        return g_strdup (g_ascii_dtostr (buf, sizeof buf, json_node_get_double (node)));
      }
    default:
      return NULL;
    }
}

static const char *
role_field (KioskService *service,
            const char   *role)
{
  const char *field_id = kiosk_service_get_open311_field (service, role);

  if (field_id != NULL)
    return field_id;
  /* Defaults: what the Open311 import writes, and the demo catalogue's ids. */
  if (g_str_equal (role, "description"))
    return kiosk_service_lookup_field (service, "request-description") != NULL ? "request-description" : "description";
  if (g_str_equal (role, "address"))
    return "location";
  return NULL;
}

static char *
description_with_code (const char *text,
                       const char *short_code)
{
  g_autofree char *suffix = g_strdup_printf ("(Stadtkiosk %s)", short_code);
  glong room = KIOSK_OPEN311_DESCRIPTION_MAX - g_utf8_strlen (suffix, -1) - 1;
  g_autofree char *cut = NULL;

  if (text == NULL || *text == '\0')
    return g_steal_pointer (&suffix);
  cut = g_strdup (text);
  if (g_utf8_strlen (cut, -1) > room)
    *g_utf8_offset_to_pointer (cut, room) = '\0';
  return g_strdup_printf ("%s %s", cut, suffix);
}

static KioskService *
lookup_service (KioskOpen311Target  *self,
                KioskRequest        *request,
                GError             **error)
{
  KioskService *service = NULL;

  if (self->catalog != NULL)
    service = kiosk_catalog_lookup_any (self->catalog, kiosk_request_get_service_id (request));
  if (service == NULL)
    {
      g_set_error (error, KIOSK_TARGET_ERROR, KIOSK_TARGET_ERROR_CONFIG,
                   "service %s of request %s is not in the active catalogue, so its Open311 mapping is unknown",
                   kiosk_request_get_service_id (request), kiosk_request_get_short_code (request));
      return NULL;
    }
  if (kiosk_service_get_open311_code (service) == NULL)
    {
      g_set_error (error, KIOSK_TARGET_ERROR, KIOSK_TARGET_ERROR_CONFIG,
                   "service %s has no Open311 service code in the catalogue",
                   kiosk_request_get_service_id (request));
      return NULL;
    }
  return service;
}

/**
 * kiosk_open311_target_build_form:
 *
 * The form of POST /requests.json for @request (docs/open311.md has the
 * mapping).  The API key is not in it; the delivery adds it.
 *
 * Returns: (transfer full): the form, or %NULL with @error set when the
 *   answers cannot be read or the service has no Open311 mapping
 */
GBytes *
kiosk_open311_target_build_form (KioskOpen311Target  *self,
                                 KioskRequest        *request,
                                 GError             **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GString) form = g_string_new (NULL);
  g_autoptr(GHashTable) roles_used = g_hash_table_new (g_str_hash, g_str_equal);
  static const char * const personal_roles[] = { "email", "first_name", "last_name", "phone", NULL };
  static const char * const place_roles[] = { "lat", "long", NULL };
  g_autofree char *description = NULL;
  g_autofree char *text = NULL;
  KioskService *service;
  JsonObject *answers;
  GPtrArray *fields;
  GBytes *stored;
  const char *field_id;

  g_return_val_if_fail (KIOSK_IS_OPEN311_TARGET (self), NULL);
  g_return_val_if_fail (KIOSK_IS_REQUEST (request), NULL);

  service = lookup_service (self, request, error);
  if (service == NULL)
    return NULL;
  stored = kiosk_request_get_answers (request);
  if (stored == NULL)
    {
      g_set_error (error, KIOSK_TARGET_ERROR, KIOSK_TARGET_ERROR_CONFIG,
                   "request %s has no stored answers (purged?)", kiosk_request_get_short_code (request));
      return NULL;
    }
  if (kiosk_request_get_answers_format (request) == KIOSK_ANSWERS_SEALED)
    {
      g_set_error (error, KIOSK_TARGET_ERROR, KIOSK_TARGET_ERROR_CONFIG,
                   "request %s is sealed to the city's key, so the kiosk cannot fill in the Open311 form; "
                   "the city opens it from the receipt or the queue export",
                   kiosk_request_get_short_code (request));
      return NULL;
    }
  if (!json_parser_load_from_data (parser, g_bytes_get_data (stored, NULL), (gssize) g_bytes_get_size (stored), NULL) ||
      !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    {
      g_set_error (error, KIOSK_TARGET_ERROR, KIOSK_TARGET_ERROR_CONFIG,
                   "the stored answers of request %s are not a JSON object", kiosk_request_get_short_code (request));
      return NULL;
    }
  answers = json_node_get_object (json_parser_get_root (parser));

  if (self->jurisdiction_id != NULL)
    form_add (form, "jurisdiction_id", self->jurisdiction_id);
  form_add (form, "service_code", kiosk_service_get_open311_code (service));

  field_id = role_field (service, "description");
  g_hash_table_add (roles_used, (gpointer) field_id);
  text = value_text (json_object_get_member (answers, field_id));
  description = description_with_code (text, kiosk_request_get_short_code (request));
  form_add (form, "description", description);
  g_clear_pointer (&text, g_free);

  field_id = role_field (service, "address");
  g_hash_table_add (roles_used, (gpointer) field_id);
  text = value_text (json_object_get_member (answers, field_id));
  if (text != NULL)
    form_add (form, "address_string", text);
  g_clear_pointer (&text, g_free);

  for (guint i = 0; place_roles[i] != NULL; i++)
    if ((field_id = kiosk_service_get_open311_field (service, place_roles[i])) != NULL)
      {
        g_hash_table_add (roles_used, (gpointer) field_id);
        text = value_text (json_object_get_member (answers, field_id));
        if (text != NULL)
          form_add (form, place_roles[i], text);
        g_clear_pointer (&text, g_free);
      }

  /* Contact details only from the fields the service names for them. */
  for (guint i = 0; personal_roles[i] != NULL; i++)
    if ((field_id = kiosk_service_get_open311_field (service, personal_roles[i])) != NULL)
      {
        g_hash_table_add (roles_used, (gpointer) field_id);
        text = value_text (json_object_get_member (answers, field_id));
        if (text != NULL)
          form_add (form, personal_roles[i], text);
        g_clear_pointer (&text, g_free);
      }

  fields = kiosk_service_get_fields (service);
  for (guint i = 0; i < fields->len; i++)
    {
      KioskField *field = fields->pdata[i];
      const char *id = kiosk_field_get_id (field);
      const char *code = kiosk_service_get_open311_attribute (service, id);
      JsonNode *value = json_object_get_member (answers, id);
      g_autofree char *key = NULL;

      if (!kiosk_field_is_input (field) || g_hash_table_contains (roles_used, id) || value == NULL)
        continue;
      /* With an explicit mapping only mapped fields go; without one every
       * field goes under its id, but never a personal one. */
      if (code == NULL && (kiosk_service_get_open311_attributes (service) != NULL ||
                           kiosk_field_get_personal (field)))
        continue;
      if (code == NULL)
        code = id;

      if (JSON_NODE_HOLDS_ARRAY (value))
        {
          JsonArray *array = json_node_get_array (value);

          key = g_strdup_printf ("attribute[%s][]", code);
          for (guint v = 0; v < json_array_get_length (array); v++)
            {
              g_autofree char *item = value_text (json_array_get_element (array, v));

              if (item != NULL)
                form_add (form, key, item);
            }
        }
      else
        {
          g_autofree char *item = value_text (value);

          key = g_strdup_printf ("attribute[%s]", code);
          if (item != NULL)
            form_add (form, key, item);
        }
    }

  return g_string_free_to_bytes (g_steal_pointer (&form));
}

/* Delivery ---------------------------------------------------------------- */

typedef struct
{
  KioskRequest *request;
  GBytes       *form;
  char         *service_code;
  char         *token;
  guint         polls_left;
  guint         poll_id;
} Delivery;

static void
delivery_free (Delivery *d)
{
  g_clear_object (&d->request);
  g_clear_pointer (&d->form, g_bytes_unref);
  g_free (d->service_code);
  g_free (d->token);
  g_assert (d->poll_id == 0);
  g_free (d);
}

static void
return_outcome (GTask        *task,
                KioskOutcome *outcome)
{
  Delivery *d = g_task_get_task_data (task);

  g_debug ("%s: %s (HTTP %u)", kiosk_request_get_id (d->request),
           kiosk_outcome_kind_to_string (outcome->kind), outcome->status);
  g_task_return_pointer (task, outcome, (GDestroyNotify) kiosk_outcome_free);
}

static KioskOutcome *
delivered (guint       status,
           const char *reference)
{
  KioskOutcome *outcome = kiosk_outcome_new (KIOSK_OUTCOME_DELIVERED, status, NULL);

  outcome->remote_ref = g_strdup (reference);
  return outcome;
}

static void poll_token (GTask *task);

static gboolean
poll_due_cb (gpointer user_data)
{
  GTask *task = user_data;
  Delivery *d = g_task_get_task_data (task);

  d->poll_id = 0;
  /* The timeout keeps its own reference until it is removed. */
  poll_token (g_object_ref (task));
  return G_SOURCE_REMOVE;
}

static void
token_polled_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  KioskOpen311Target *self = KIOSK_OPEN311_TARGET (object);
  Delivery *d = g_task_get_task_data (task);
  g_autoptr(Answer) answer = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(KioskJson) doc = NULL;
  g_autofree char *id = NULL;
  g_autofree char *reference = NULL;

  answer = answer_finish (result, &error);
  if (answer == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (answer_ok (answer))
    {
      doc = answer_json (answer);
      if (first_object (doc) != NULL)
        id = member_text (first_object (doc), "service_request_id");
    }
  if (id != NULL)
    {
      return_outcome (task, delivered (answer->status, id));
      return;
    }
  if (d->polls_left > 0 && self->token_delay_ms == 0)
    {
      poll_token (g_steal_pointer (&task));
      return;
    }
  if (d->polls_left > 0)
    {
      d->poll_id = kiosk_clock_add_timeout (self->clock, self->token_delay_ms, poll_due_cb, g_steal_pointer (&task),
                                            g_object_unref);
      return;
    }
  /* The server took the request (that is what a token says); the id comes
   * later and the token stays the reference until then. */
  reference = g_strdup_printf ("token:%s", d->token);
  return_outcome (task, delivered (answer->status, reference));
}

static void
poll_token (GTask *task)
{
  KioskOpen311Target *self = g_task_get_source_object (task);
  Delivery *d = g_task_get_task_data (task);
  g_autofree char *token = g_uri_escape_string (d->token, NULL, FALSE);
  g_autofree char *path = NULL;

  d->polls_left--;
  if (self->jurisdiction_id != NULL)
    {
      g_autofree char *j = g_uri_escape_string (self->jurisdiction_id, NULL, FALSE);

      path = g_strdup_printf ("/tokens/%s.json?jurisdiction_id=%s", token, j);
    }
  else
    path = g_strdup_printf ("/tokens/%s.json", token);
  exchange_async (self, SOUP_METHOD_GET, path, NULL, g_task_get_cancellable (task), token_polled_cb, task);
}

static void
posted_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  KioskOpen311Target *self = KIOSK_OPEN311_TARGET (object);
  Delivery *d = g_task_get_task_data (task);
  g_autoptr(Answer) answer = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(KioskJson) doc = NULL;
  const KioskJsonValue *first;
  g_autofree char *id = NULL;

  answer = answer_finish (result, &error);
  if (answer == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (!answer_ok (answer))
    {
      return_outcome (task, outcome_for_failure (self, answer, d->service_code));
      return;
    }

  doc = answer_json (answer);
  first = first_object (doc);
  if (first != NULL && (id = member_text (first, "service_request_id")) != NULL)
    {
      return_outcome (task, delivered (answer->status, id));
      return;
    }
  if (first != NULL && (d->token = member_text (first, "token")) != NULL)
    {
      d->polls_left = self->token_polls;
      if (d->polls_left == 0)
        {
          g_autofree char *reference = g_strdup_printf ("token:%s", d->token);

          return_outcome (task, delivered (answer->status, reference));
          return;
        }
      poll_token (g_steal_pointer (&task));
      return;
    }
  return_outcome (task, outcome_for_failure (self, answer, d->service_code));
}

static void
post (GTask *task)
{
  KioskOpen311Target *self = g_task_get_source_object (task);
  Delivery *d = g_task_get_task_data (task);
  g_autoptr(GString) form = g_string_new (NULL);
  g_autoptr(GBytes) body = NULL;

  /* The API key goes first and only into the wire copy of the form. */
  if (self->api_key != NULL)
    {
      g_autofree char *key = g_uri_escape_string (self->api_key, NULL, FALSE);

      g_string_append_printf (form, "api_key=%s&", key);
    }
  g_string_append_len (form, g_bytes_get_data (d->form, NULL), (gssize) g_bytes_get_size (d->form));
  body = g_string_free_to_bytes (g_steal_pointer (&form));
  exchange_async (self, SOUP_METHOD_POST, "/requests.json", body, g_task_get_cancellable (task), posted_cb, task);
}

static char *
format_time (gint64 us)
{
  g_autoptr(GDateTime) t = g_date_time_new_from_unix_utc (us / G_USEC_PER_SEC);

  return g_date_time_format (t, "%Y-%m-%dT%H:%M:%SZ");
}

/* Whether a listing of requests holds one with @short_code in its
 * description; its service_request_id, or "" when it has none. */
static char *
find_short_code (KioskJson  *doc,
                 const char *short_code)
{
  const KioskJsonValue *root = doc != NULL ? kiosk_json_get_root (doc) : NULL;
  g_autofree char *needle = g_strdup_printf ("Stadtkiosk %s", short_code);

  if (root == NULL || root->type != KIOSK_JSON_ARRAY)
    return NULL;
  for (const KioskJsonValue *item = root->first; item != NULL; item = item->next)
    {
      const KioskJsonValue *description;
      char *id;

      if (item->type != KIOSK_JSON_OBJECT)
        continue;
      description = kiosk_json_get_member (item, "description");
      if (!kiosk_json_is_string (description) || strstr (description->string, needle) == NULL)
        continue;
      id = member_text (item, "service_request_id");
      return id != NULL ? id : g_strdup ("");
    }
  return NULL;
}

static void
looked_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  KioskOpen311Target *self = KIOSK_OPEN311_TARGET (object);
  Delivery *d = g_task_get_task_data (task);
  g_autoptr(Answer) answer = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(KioskJson) doc = NULL;
  g_autofree char *found = NULL;

  answer = answer_finish (result, &error);
  if (answer == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (!answer_ok (answer))
    {
      /* Not knowing whether it is there, it is not sent again. */
      g_autoptr(KioskOutcome) outcome = outcome_for_failure (self, answer, NULL);

      if (outcome->kind == KIOSK_OUTCOME_REJECTED || outcome->kind == KIOSK_OUTCOME_DELIVERED)
        {
          g_autofree char *text = g_strdup_printf ("cannot list the Open311 requests to look for %s: %s",
                                                   kiosk_request_get_short_code (d->request), outcome->message);

          outcome->kind = KIOSK_OUTCOME_RETRY;
          g_free (outcome->message);
          outcome->message = g_steal_pointer (&text);
        }
      return_outcome (task, g_steal_pointer (&outcome));
      return;
    }
  doc = answer_json (answer);
  if (doc == NULL || kiosk_json_get_root (doc)->type != KIOSK_JSON_ARRAY)
    {
      return_outcome (task, kiosk_outcome_new (KIOSK_OUTCOME_RETRY, answer->status,
                                               "the Open311 list of requests is not a JSON array"));
      return;
    }
  found = find_short_code (doc, kiosk_request_get_short_code (d->request));
  if (found != NULL)
    {
      g_debug ("%s was already there", kiosk_request_get_id (d->request));
      return_outcome (task, delivered (answer->status, *found != '\0' ? found : NULL));
      return;
    }
  post (g_steal_pointer (&task));
}

static void
look (GTask *task)
{
  KioskOpen311Target *self = g_task_get_source_object (task);
  Delivery *d = g_task_get_task_data (task);
  g_autofree char *code = g_uri_escape_string (d->service_code, NULL, FALSE);
  g_autofree char *start = format_time (kiosk_request_get_created (d->request) - LOOK_SLACK_US);
  g_autofree char *end = format_time (kiosk_clock_get_now (self->clock) + LOOK_SLACK_US);
  g_autoptr(GString) path = g_string_new ("/requests.json?");

  g_string_append_printf (path, "service_code=%s&start_date=%s&end_date=%s", code, start, end);
  if (self->jurisdiction_id != NULL)
    {
      g_autofree char *j = g_uri_escape_string (self->jurisdiction_id, NULL, FALSE);

      g_string_append_printf (path, "&jurisdiction_id=%s", j);
    }
  exchange_async (self, SOUP_METHOD_GET, path->str, NULL, g_task_get_cancellable (task), looked_cb, task);
}

static void
kiosk_open311_target_deliver_async (KioskTarget         *target,
                                    KioskRequest        *request,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  KioskOpen311Target *self = KIOSK_OPEN311_TARGET (target);
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  g_autoptr(GError) error = NULL;
  Delivery *d = g_new0 (Delivery, 1);
  KioskService *service;

  g_task_set_source_tag (task, kiosk_target_deliver_async);
  g_task_set_task_data (task, d, (GDestroyNotify) delivery_free);
  d->request = g_object_ref (request);

  d->form = kiosk_open311_target_build_form (self, request, &error);
  if (d->form == NULL)
    {
      /* Nothing a retry would change: a clerk must look at it. */
      return_outcome (task, kiosk_outcome_new (KIOSK_OUTCOME_REJECTED, 0, error->message));
      return;
    }
  service = kiosk_catalog_lookup_any (self->catalog, kiosk_request_get_service_id (request));
  d->service_code = g_strdup (kiosk_service_get_open311_code (service));

  /* Every attempt after the first may follow one that reached the server
   * without its answer reaching us (the claim counts attempts durably, so a
   * killed sync counts too). */
  if (self->look_before_resend && kiosk_request_get_attempts (request) > 1)
    look (g_steal_pointer (&task));
  else
    post (g_steal_pointer (&task));
}

static KioskOutcome *
kiosk_open311_target_deliver_finish (KioskTarget   *target,
                                     GAsyncResult  *result,
                                     GError       **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
probed_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  KioskOpen311Target *self = KIOSK_OPEN311_TARGET (object);
  g_autoptr(Answer) answer = NULL;
  g_autoptr(GError) error = NULL;
  KioskOutcome *outcome;

  answer = answer_finish (result, &error);
  if (answer == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (answer_ok (answer))
    outcome = kiosk_outcome_new (KIOSK_OUTCOME_DELIVERED, answer->status, NULL);
  else
    {
      outcome = outcome_for_failure (self, answer, NULL);
      /* A probe rejects nothing: what it cannot use is the configuration. */
      if (outcome->kind == KIOSK_OUTCOME_REJECTED)
        outcome->kind = KIOSK_OUTCOME_PAUSE;
    }
  g_task_return_pointer (task, outcome, (GDestroyNotify) kiosk_outcome_free);
}

static void
kiosk_open311_target_probe_async (KioskTarget         *target,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  KioskOpen311Target *self = KIOSK_OPEN311_TARGET (target);
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  g_autofree char *path = NULL;

  g_task_set_source_tag (task, kiosk_target_probe_async);
  if (self->jurisdiction_id != NULL)
    {
      g_autofree char *j = g_uri_escape_string (self->jurisdiction_id, NULL, FALSE);

      path = g_strdup_printf ("/services.json?jurisdiction_id=%s", j);
    }
  else
    path = g_strdup ("/services.json");
  exchange_async (self, SOUP_METHOD_GET, path, NULL, cancellable, probed_cb, task);
}

static char *
kiosk_open311_target_describe (KioskTarget *target)
{
  return g_strdup (KIOSK_OPEN311_TARGET (target)->base_url);
}

static void
kiosk_open311_target_iface_init (KioskTargetInterface *iface)
{
  iface->deliver_async = kiosk_open311_target_deliver_async;
  iface->deliver_finish = kiosk_open311_target_deliver_finish;
  iface->probe_async = kiosk_open311_target_probe_async;
  iface->probe_finish = kiosk_open311_target_deliver_finish;
  iface->describe = kiosk_open311_target_describe;
}

/* Status back and plain fetches ---------------------------------------- */

static void
status_fetched_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  KioskOpen311Target *self = KIOSK_OPEN311_TARGET (object);
  g_autoptr(Answer) answer = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(KioskJson) doc = NULL;
  g_autoptr(GPtrArray) statuses = g_ptr_array_new_with_free_func ((GDestroyNotify) kiosk_open311_status_free);
  const KioskJsonValue *root;

  answer = answer_finish (result, &error);
  if (answer == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (!answer_ok (answer))
    {
      g_autoptr(KioskOutcome) outcome = outcome_for_failure (self, answer, NULL);

      g_task_return_new_error (task, KIOSK_TARGET_ERROR,
                               answer->failure != NULL ? KIOSK_TARGET_ERROR_NETWORK : KIOSK_TARGET_ERROR_HTTP,
                               "%s", outcome->message);
      return;
    }
  doc = answer_json (answer);
  root = doc != NULL ? kiosk_json_get_root (doc) : NULL;
  if (root == NULL || root->type != KIOSK_JSON_ARRAY)
    {
      g_task_return_new_error (task, KIOSK_TARGET_ERROR, KIOSK_TARGET_ERROR_HTTP,
                               "the Open311 list of requests is not a JSON array");
      return;
    }
  for (const KioskJsonValue *item = root->first; item != NULL; item = item->next)
    {
      KioskOpen311Status *status;
      g_autofree char *notes = NULL;

      if (item->type != KIOSK_JSON_OBJECT)
        continue;
      status = g_new0 (KioskOpen311Status, 1);
      status->service_request_id = member_text (item, "service_request_id");
      status->status = member_text (item, "status");
      notes = member_text (item, "status_notes");
      status->status_notes = notes != NULL ? clean_text (notes) : NULL;
      if (status->service_request_id == NULL || status->status == NULL)
        {
          kiosk_open311_status_free (status);
          continue;
        }
      g_ptr_array_add (statuses, status);
    }
  g_task_return_pointer (task, g_steal_pointer (&statuses), (GDestroyNotify) g_ptr_array_unref);
}

/**
 * kiosk_open311_target_fetch_status_async:
 * @service_request_ids: the city's ids of requests delivered earlier
 *
 * Asks `GET /requests.json?service_request_id=a,b,…` what became of them.
 */
void
kiosk_open311_target_fetch_status_async (KioskOpen311Target  *self,
                                         const char * const  *service_request_ids,
                                         GCancellable        *cancellable,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data)
{
  GTask *task;
  g_autoptr(GString) path = g_string_new ("/requests.json?service_request_id=");

  g_return_if_fail (KIOSK_IS_OPEN311_TARGET (self));
  g_return_if_fail (service_request_ids != NULL && service_request_ids[0] != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, kiosk_open311_target_fetch_status_async);
  for (guint i = 0; service_request_ids[i] != NULL; i++)
    {
      g_autofree char *id = g_uri_escape_string (service_request_ids[i], NULL, FALSE);

      g_string_append_printf (path, "%s%s", i > 0 ? "," : "", id);
    }
  if (self->jurisdiction_id != NULL)
    {
      g_autofree char *j = g_uri_escape_string (self->jurisdiction_id, NULL, FALSE);

      g_string_append_printf (path, "&jurisdiction_id=%s", j);
    }
  exchange_async (self, SOUP_METHOD_GET, path->str, NULL, cancellable, status_fetched_cb, task);
}

/**
 * kiosk_open311_target_fetch_status_finish:
 *
 * Returns: (transfer full) (element-type KioskOpen311Status): what the
 *   server said about the requests it listed, or %NULL with @error set
 */
GPtrArray *
kiosk_open311_target_fetch_status_finish (KioskOpen311Target  *self,
                                          GAsyncResult        *result,
                                          GError             **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
fetched_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  KioskOpen311Target *self = KIOSK_OPEN311_TARGET (object);
  g_autoptr(Answer) answer = NULL;
  g_autoptr(GError) error = NULL;

  answer = answer_finish (result, &error);
  if (answer == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (!answer_ok (answer))
    {
      g_autoptr(KioskOutcome) outcome = outcome_for_failure (self, answer, NULL);

      g_task_return_new_error (task, KIOSK_TARGET_ERROR,
                               answer->failure != NULL ? KIOSK_TARGET_ERROR_NETWORK : KIOSK_TARGET_ERROR_HTTP,
                               "%s%s: %s", self->base_url, (const char *) g_task_get_task_data (task),
                               outcome->message);
      return;
    }
  g_task_return_pointer (task, g_bytes_ref (answer->body), (GDestroyNotify) g_bytes_unref);
}

/**
 * kiosk_open311_target_fetch_async:
 * @path: e.g. "/services.json"
 *
 * GETs a document of the endpoint (for the catalogue import), with the
 * deadline and size cap of every exchange.
 */
void
kiosk_open311_target_fetch_async (KioskOpen311Target  *self,
                                  const char          *path,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (KIOSK_IS_OPEN311_TARGET (self));
  g_return_if_fail (path != NULL && *path == '/');

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, kiosk_open311_target_fetch_async);
  g_task_set_task_data (task, g_strdup (path), g_free);
  exchange_async (self, SOUP_METHOD_GET, path, NULL, cancellable, fetched_cb, task);
}

/**
 * kiosk_open311_target_fetch_finish:
 *
 * Returns: (transfer full): the JSON document, or %NULL with @error set
 *   (XML and HTTP errors included)
 */
GBytes *
kiosk_open311_target_fetch_finish (KioskOpen311Target  *self,
                                   GAsyncResult        *result,
                                   GError             **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* Importing the service definitions ------------------------------------ */

typedef struct
{
  GBytes     *services;
  GPtrArray  *codes;          /* of the services with metadata=true, still to fetch */
  GHashTable *definitions;    /* code -> GBytes */
  char       *version;
  char       *current;
} Import;

static void
import_free (Import *im)
{
  g_clear_pointer (&im->services, g_bytes_unref);
  g_clear_pointer (&im->codes, g_ptr_array_unref);
  g_clear_pointer (&im->definitions, g_hash_table_unref);
  g_free (im->version);
  g_free (im->current);
  g_free (im);
}

static void fetch_next_definition (GTask *task);

static void
definition_fetched_cb (GObject      *object,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Import *im = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  GBytes *bytes;

  bytes = kiosk_open311_target_fetch_finish (KIOSK_OPEN311_TARGET (object), result, &error);
  if (bytes == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  g_hash_table_insert (im->definitions, g_steal_pointer (&im->current), bytes);
  fetch_next_definition (g_steal_pointer (&task));
}

static void
fetch_next_definition (GTask *task)
{
  KioskOpen311Target *self = g_task_get_source_object (task);
  Import *im = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autofree char *code = NULL;
  g_autofree char *path = NULL;
  GBytes *catalog;

  if (im->codes->len == 0)
    {
      catalog = kiosk_open311_import (im->services, im->definitions, im->version, &error);
      if (catalog == NULL)
        g_task_return_error (task, g_steal_pointer (&error));
      else
        g_task_return_pointer (task, catalog, (GDestroyNotify) g_bytes_unref);
      g_object_unref (task);
      return;
    }
  im->current = g_ptr_array_steal_index (im->codes, 0);
  code = g_uri_escape_string (im->current, NULL, FALSE);
  if (self->jurisdiction_id != NULL)
    {
      g_autofree char *j = g_uri_escape_string (self->jurisdiction_id, NULL, FALSE);

      path = g_strdup_printf ("/services/%s.json?jurisdiction_id=%s", code, j);
    }
  else
    path = g_strdup_printf ("/services/%s.json", code);
  kiosk_open311_target_fetch_async (self, path, g_task_get_cancellable (task), definition_fetched_cb, task);
}

static void
services_fetched_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Import *im = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(KioskJson) doc = NULL;
  const KioskJsonValue *root;
  const char *data;
  gsize len;

  im->services = kiosk_open311_target_fetch_finish (KIOSK_OPEN311_TARGET (object), result, &error);
  if (im->services == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  data = g_bytes_get_data (im->services, &len);
  doc = kiosk_json_parse (data != NULL ? data : "", len, 16, &error);
  root = doc != NULL ? kiosk_json_get_root (doc) : NULL;
  if (root == NULL || root->type != KIOSK_JSON_ARRAY)
    {
      g_task_return_new_error (task, KIOSK_TARGET_ERROR, KIOSK_TARGET_ERROR_HTTP,
                               "services.json: expected a JSON array of services%s%s",
                               error != NULL ? ": " : "", error != NULL ? error->message : "");
      return;
    }
  for (const KioskJsonValue *item = root->first; item != NULL; item = item->next)
    {
      const KioskJsonValue *metadata = item->type == KIOSK_JSON_OBJECT ? kiosk_json_get_member (item, "metadata") : NULL;
      char *code;

      if (metadata == NULL ||
          !((metadata->type == KIOSK_JSON_BOOLEAN && metadata->boolean) ||
            (kiosk_json_is_string (metadata) && g_ascii_strcasecmp (metadata->string, "true") == 0)))
        continue;
      code = member_text (item, "service_code");
      if (code != NULL)
        g_ptr_array_add (im->codes, code);
    }
  fetch_next_definition (g_steal_pointer (&task));
}

/**
 * kiosk_open311_target_import_async:
 * @version: (nullable): the version to give the catalogue
 *
 * Fetches `services.json` and the `services/{code}.json` of every service
 * with metadata, and turns them into a catalogue with kiosk_open311_import()
 * (which lists every problem).  The caller validates and stores it like a
 * catalogue from a file.
 */
void
kiosk_open311_target_import_async (KioskOpen311Target  *self,
                                   const char          *version,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  GTask *task;
  Import *im = g_new0 (Import, 1);
  g_autofree char *path = NULL;

  g_return_if_fail (KIOSK_IS_OPEN311_TARGET (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, kiosk_open311_target_import_async);
  im->codes = g_ptr_array_new_with_free_func (g_free);
  im->definitions = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) g_bytes_unref);
  im->version = g_strdup (version);
  g_task_set_task_data (task, im, (GDestroyNotify) import_free);
  if (self->jurisdiction_id != NULL)
    {
      g_autofree char *j = g_uri_escape_string (self->jurisdiction_id, NULL, FALSE);

      path = g_strdup_printf ("/services.json?jurisdiction_id=%s", j);
    }
  else
    path = g_strdup ("/services.json");
  kiosk_open311_target_fetch_async (self, path, cancellable, services_fetched_cb, task);
}

/**
 * kiosk_open311_target_import_finish:
 *
 * Returns: (transfer full): the catalogue JSON, or %NULL with @error set
 */
GBytes *
kiosk_open311_target_import_finish (KioskOpen311Target  *self,
                                    GAsyncResult        *result,
                                    GError             **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* Object ------------------------------------------------------------------ */

static void
kiosk_open311_target_dispose (GObject *object)
{
  KioskOpen311Target *self = (KioskOpen311Target *)object;

  if (self->session != NULL)
    soup_session_abort (self->session);
  g_clear_object (&self->session);
  g_clear_object (&self->catalog);
  g_clear_object (&self->clock);

  G_OBJECT_CLASS (kiosk_open311_target_parent_class)->dispose (object);
}

static void
kiosk_open311_target_finalize (GObject *object)
{
  KioskOpen311Target *self = (KioskOpen311Target *)object;

  g_free (self->base_url);
  if (self->api_key != NULL)
    memset (self->api_key, 0, strlen (self->api_key));
  g_free (self->api_key);
  g_free (self->jurisdiction_id);
  g_free (self->pin_sha256);

  G_OBJECT_CLASS (kiosk_open311_target_parent_class)->finalize (object);
}

static void
kiosk_open311_target_class_init (KioskOpen311TargetClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = kiosk_open311_target_dispose;
  object_class->finalize = kiosk_open311_target_finalize;
}

static void
kiosk_open311_target_init (KioskOpen311Target *self)
{
  self->look_before_resend = TRUE;
  self->token_delay_ms = 1000;
  self->token_polls = 3;
}

/**
 * kiosk_open311_target_new:
 * @config: [open311] endpoint, api-key-file, jurisdiction-id, ca-file,
 *   pin-sha256; [backend] timeout
 * @clock: for token polls and Retry-After dates
 * @max_connections: keep-alive connections to the endpoint at the most
 *
 * Returns: (transfer full): the target, or %NULL with @error set
 *   (%KIOSK_TARGET_ERROR_CONFIG naming the key) when no endpoint is
 *   configured or a file cannot be read
 */
KioskOpen311Target *
kiosk_open311_target_new (KioskConfig  *config,
                          KioskClock   *clock,
                          guint         max_connections,
                          GError      **error)
{
  const char *url;

  g_return_val_if_fail (KIOSK_IS_CONFIG (config), NULL);

  url = kiosk_config_get_open311_endpoint (config);
  if (url == NULL || *url == '\0')
    {
      g_set_error_literal (error, KIOSK_TARGET_ERROR, KIOSK_TARGET_ERROR_CONFIG, "[open311] endpoint is not set");
      return NULL;
    }
  return kiosk_open311_target_new_for_url (url, config, clock, max_connections, error);
}

/**
 * kiosk_open311_target_new_for_url:
 * @url: the base URL of a GeoReport v2 endpoint
 *
 * Like kiosk_open311_target_new() for another endpoint than the configured
 * one (`stadtkioskctl catalog import --open311 URL`); the rest of [open311]
 * still applies.
 */
KioskOpen311Target *
kiosk_open311_target_new_for_url (const char   *url,
                                  KioskConfig  *config,
                                  KioskClock   *clock,
                                  guint         max_connections,
                                  GError      **error)
{
  g_autoptr(KioskOpen311Target) self = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GUri) uri = NULL;
  const char *value;

  g_return_val_if_fail (url != NULL, NULL);
  g_return_val_if_fail (KIOSK_IS_CONFIG (config), NULL);
  g_return_val_if_fail (KIOSK_IS_CLOCK (clock), NULL);

  uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);
  if (uri == NULL || (g_strcmp0 (g_uri_get_scheme (uri), "http") != 0 &&
                      g_strcmp0 (g_uri_get_scheme (uri), "https") != 0))
    {
      g_set_error (error, KIOSK_TARGET_ERROR, KIOSK_TARGET_ERROR_CONFIG,
                   "\"%s\" is not an http:// or https:// URL of an Open311 endpoint", url);
      return NULL;
    }

  self = g_object_new (KIOSK_TYPE_OPEN311_TARGET, NULL);
  self->clock = g_object_ref (clock);
  self->base_url = g_strdup (url);
  while (g_str_has_suffix (self->base_url, "/"))
    self->base_url[strlen (self->base_url) - 1] = '\0';

  self->api_key = kiosk_config_read_open311_api_key (config, &local_error);
  if (local_error != NULL)
    {
      g_set_error (error, KIOSK_TARGET_ERROR, KIOSK_TARGET_ERROR_CONFIG, "%s", local_error->message);
      return NULL;
    }
  value = kiosk_config_get_open311_jurisdiction_id (config);
  if (value != NULL && *value != '\0')
    self->jurisdiction_id = g_strdup (value);
  value = kiosk_config_get_open311_pin_sha256 (config);
  if (value != NULL && *value != '\0')
    self->pin_sha256 = g_ascii_strdown (value, -1);

  self->session = kiosk_http_session_new (kiosk_config_get_request_timeout (config), MAX (max_connections, 1),
                                          kiosk_config_get_open311_ca_file (config), "[open311] ca-file",
                                          &local_error);
  if (self->session == NULL)
    {
      g_set_error (error, KIOSK_TARGET_ERROR, KIOSK_TARGET_ERROR_CONFIG, "%s", local_error->message);
      return NULL;
    }

  return g_steal_pointer (&self);
}

/**
 * kiosk_open311_target_set_catalog:
 * @catalog: (nullable): the active catalogue, whose services' targets say
 *   how answers map to the Open311 form
 */
void
kiosk_open311_target_set_catalog (KioskOpen311Target *self,
                                  KioskCatalog       *catalog)
{
  g_return_if_fail (KIOSK_IS_OPEN311_TARGET (self));
  g_return_if_fail (catalog == NULL || KIOSK_IS_CATALOG (catalog));

  g_set_object (&self->catalog, catalog);
}

void
_kiosk_open311_target_set_look_before_resend (KioskOpen311Target *self,
                                              gboolean            look)
{
  self->look_before_resend = look;
}

void
_kiosk_open311_target_set_token_polls (KioskOpen311Target *self,
                                       guint               delay_ms,
                                       guint               polls)
{
  self->token_delay_ms = delay_ms;
  self->token_polls = polls;
}

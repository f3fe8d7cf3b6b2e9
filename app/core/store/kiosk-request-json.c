/* kiosk-request-json.c
 *
 * SPDX-FileCopyrightText: 2026 Stadtkiosk contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "kiosk-store"

#include "config.h"

#include "kiosk-request-json.h"

#include "kiosk-json-private.h"

#include <string.h>

/* One request as JSON, for every place that writes one: the submission
 * body (kiosk-submission-target.c), the signed queue export
 * (kiosk-queue-export.c) and `stadtkioskctl queue` (kiosk-ctl-queue.c).
 * Each names the members it writes, in its order: the submission body's
 * bytes must not change between versions (the backend's idempotency check
 * compares them) and the other two are formats of their own.  What a member
 * holds and how it is written is decided here, once. */

G_DEFINE_QUARK (kiosk-request-json-error-quark, kiosk_request_json_error)

static void
add_nullable_string (JsonBuilder *builder,
                     const char  *value)
{
  if (value != NULL)
    json_builder_add_string_value (builder, value);
  else
    json_builder_add_null_value (builder);
}

/* The stored answers of a JSON request, parsed; %NULL when they cannot be
 * read (with @error set unless @lenient). */
static JsonNode *
parse_answers (KioskRequest  *request,
               gboolean       lenient,
               GError       **error)
{
  GBytes *answers = kiosk_request_get_answers (request);
  g_autoptr(JsonNode) node = NULL;

  g_assert (answers != NULL);

  /* Through the strict reader and its depth limit, like everything that
   * may have come from outside (an imported queue file, a scanned slip). */
  node = kiosk_json_parse_bytes (answers, KIOSK_JSON_OUTSIDE_DEPTH, NULL);
  if (node != NULL && (lenient || JSON_NODE_HOLDS_OBJECT (node)))
    return g_steal_pointer (&node);
  if (!lenient)
    g_set_error (error, KIOSK_REQUEST_JSON_ERROR, KIOSK_REQUEST_JSON_ERROR_ANSWERS,
                 "the stored answers of request %s are not a JSON object",
                 kiosk_request_get_short_code (request));
  return NULL;
}

/* Adds @member (name and value) to the object being built; a member that
 * does not apply to @request (answers of a sealed request, the origin of a
 * request made here) is left out. */
static gboolean
add_member (JsonBuilder            *builder,
            KioskRequest           *request,
            const char             *member,
            const char             *kiosk_id,
            KioskRequestJsonFlags   flags,
            GError                **error)
{
  gboolean sealed = kiosk_request_get_answers_format (request) == KIOSK_ANSWERS_SEALED;
  GBytes *answers = kiosk_request_get_answers (request);

  g_assert (member != NULL);

  if (g_str_equal (member, "origin_kiosk_id") && kiosk_request_get_origin_kiosk_id (request) == NULL)
    return TRUE;
  if (g_str_equal (member, "answers") && (sealed || answers == NULL))
    return TRUE;
  if (g_str_equal (member, "sealed_payload") && (!sealed || answers == NULL))
    return TRUE;

  json_builder_set_member_name (builder, member);
  if (g_str_equal (member, "id"))
    json_builder_add_string_value (builder, kiosk_request_get_id (request));
  else if (g_str_equal (member, "short_code"))
    json_builder_add_string_value (builder, kiosk_request_get_short_code (request));
  else if (g_str_equal (member, "kiosk_id"))
    /* The kiosk the request was made on, not the one that writes it: a
     * counter that imported it must send the very bytes the kiosk sends. */
    json_builder_add_string_value (builder, kiosk_request_get_origin_kiosk_id (request) != NULL
                                            ? kiosk_request_get_origin_kiosk_id (request) : kiosk_id);
  else if (g_str_equal (member, "origin_kiosk_id"))
    json_builder_add_string_value (builder, kiosk_request_get_origin_kiosk_id (request));
  else if (g_str_equal (member, "service_id"))
    json_builder_add_string_value (builder, kiosk_request_get_service_id (request));
  else if (g_str_equal (member, "service_version"))
    json_builder_add_int_value (builder, kiosk_request_get_service_version (request));
  else if (g_str_equal (member, "locale"))
    json_builder_add_string_value (builder, kiosk_request_get_locale (request));
  else if (g_str_equal (member, "state"))
    json_builder_add_string_value (builder, kiosk_request_state_to_string (kiosk_request_get_state (request)));
  else if (g_str_equal (member, "created"))
    {
      g_autoptr(GDateTime) created = g_date_time_new_from_unix_utc (kiosk_request_get_created (request) / G_USEC_PER_SEC);
      g_autofree char *text = g_date_time_format (created, "%Y-%m-%dT%H:%M:%SZ");

      json_builder_add_string_value (builder, text);
    }
  else if (g_str_equal (member, "created_us"))
    json_builder_add_int_value (builder, kiosk_request_get_created (request));
  else if (g_str_equal (member, "updated_us"))
    json_builder_add_int_value (builder, kiosk_request_get_updated (request));
  else if (g_str_equal (member, "attempts"))
    json_builder_add_int_value (builder, kiosk_request_get_attempts (request));
  else if (g_str_equal (member, "next_attempt_us"))
    json_builder_add_int_value (builder, kiosk_request_get_next_attempt (request));
  else if (g_str_equal (member, "last_error"))
    add_nullable_string (builder, kiosk_request_get_last_error (request));
  else if (g_str_equal (member, "remote_ref"))
    add_nullable_string (builder, kiosk_request_get_remote_ref (request));
  else if (g_str_equal (member, "assisted"))
    json_builder_add_boolean_value (builder, (kiosk_request_get_flags (request) & KIOSK_REQUEST_FLAG_ASSISTED) != 0);
  else if (g_str_equal (member, "answers_format"))
    json_builder_add_string_value (builder, sealed ? "sealed" : "json");
  else if (g_str_equal (member, "sealed_payload"))
    {
      g_autofree char *base64 = g_base64_encode (g_bytes_get_data (answers, NULL), g_bytes_get_size (answers));

      json_builder_add_string_value (builder, base64);
    }
  else if (g_str_equal (member, "answers"))
    {
      JsonNode *node = parse_answers (request, (flags & KIOSK_REQUEST_JSON_LENIENT) != 0, error);

      if (node == NULL && (flags & KIOSK_REQUEST_JSON_LENIENT) == 0)
        return FALSE;
      if (node != NULL)
        json_builder_add_value (builder, node);
      else
        json_builder_add_null_value (builder);
    }
  else
    g_assert_not_reached ();
  return TRUE;
}

/**
 * kiosk_request_build_json:
 * @builder: a builder where a value may be added
 * @members: (array zero-terminated=1): the members to write, in order: any
 *   of id, short_code, kiosk_id, origin_kiosk_id, service_id,
 *   service_version, locale, state, created (ISO 8601 UTC), created_us,
 *   updated_us, attempts, next_attempt_us, last_error, remote_ref, assisted,
 *   answers_format, sealed_payload (base64; sealed requests only), answers
 *   (JSON requests only)
 * @kiosk_id: (nullable): what kiosk_id says for a request made on this
 *   kiosk; only needed when @members has kiosk_id
 *
 * Adds @request to @builder as one JSON object.
 *
 * Returns: %FALSE with @error set when @members has answers and they cannot
 *   be read (never with %KIOSK_REQUEST_JSON_LENIENT); the builder is then
 *   left mid-object and must be dropped
 */
gboolean
kiosk_request_build_json (KioskRequest           *request,
                          JsonBuilder            *builder,
                          const char * const     *members,
                          const char             *kiosk_id,
                          KioskRequestJsonFlags   flags,
                          GError                **error)
{
  g_return_val_if_fail (KIOSK_IS_REQUEST (request), FALSE);
  g_return_val_if_fail (JSON_IS_BUILDER (builder), FALSE);
  g_return_val_if_fail (members != NULL, FALSE);

  json_builder_begin_object (builder);
  for (guint i = 0; members[i] != NULL; i++)
    if (!add_member (builder, request, members[i], kiosk_id, flags, error))
      return FALSE;
  json_builder_end_object (builder);
  return TRUE;
}

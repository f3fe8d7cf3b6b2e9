/* kiosk-queue-export.c
 *
 * SPDX-FileCopyrightText: 2026 Stadtkiosk contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "kiosk-staff"

#include "config.h"

#include "kiosk-queue-export.h"
#include "kiosk-queue-export-private.h"

#include <json-glib/json-glib.h>
#include <sodium.h>
#include <string.h>

#include "kiosk-file.h"
#include "kiosk-json-private.h"
#include "kiosk-payload.h"
#include "kiosk-request-json.h"

/* The queue file, for the days the network is down: a kiosk writes its
 * undelivered requests to a USB stick, a counter workstation reads them and
 * delivers them.  docs/staff.md specifies it; in short, three parts:
 *
 *   "STADTKIOSK-QUEUE 1\n"
 *   one line of JSON: kiosk_id, signing_key (base64 Ed25519 public key),
 *     exported (ISO 8601), exported_us, requests: [{ id, short_code,
 *     service_id, service_version, locale, created_us, assisted,
 *     origin_kiosk_id?, sealed_payload (base64) }]
 *   "SIGNATURE ed25519 <base64 of the detached signature>\n"
 *
 * The signature covers every byte before the SIGNATURE line.  Only requests
 * whose answers are sealed at rest go in, as those very bytes: the stick
 * carries nothing readable without the city's secret key, and the counter
 * sends the backend exactly what the kiosk sends when it syncs later, so the
 * backend's idempotency check (the request id) lets only one through. */

#define SIGNATURE_PREFIX "SIGNATURE ed25519 "
#define MAX_FILE_BYTES   (256 * 1024 * 1024)

G_DEFINE_QUARK (kiosk-queue-export-error-quark, kiosk_queue_export_error)

typedef struct
{
  char              *id;
  char              *short_code;
  char              *service_id;
  guint              service_version;
  char              *locale;
  gint64             created_us;
  KioskRequestFlags  flags;
  char              *origin_kiosk_id;   /* NULL: the exporting kiosk */
  GBytes            *sealed;
} Item;

static void
item_free (Item *item)
{
  g_free (item->id);
  g_free (item->short_code);
  g_free (item->service_id);
  g_free (item->locale);
  g_free (item->origin_kiosk_id);
  g_clear_pointer (&item->sealed, g_bytes_unref);
  g_free (item);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Item, item_free)

/* The members of one request in the export file, in order. */
static const char * const export_members[] = {
  "id", "short_code", "service_id", "service_version", "locale", "created_us", "assisted",
  "origin_kiosk_id", "sealed_payload", NULL,
};

/**
 * kiosk_queue_export:
 * @context: the kiosk
 * @path: where to write, e.g. a file on a USB stick
 * @out_result: (out) (optional): what was written and left out
 *
 * Writes every undelivered (queued or sending) request whose answers are
 * sealed at rest to @path, signed with the kiosk's key.  The requests stay
 * in the queue: the kiosk keeps trying, and the backend takes each only
 * once.  The file is written durably, then read back and compared, since
 * removable media do not always keep what they were given.
 *
 * Returns: %TRUE when the file holds at least one request and reads back
 *   intact
 */
gboolean
kiosk_queue_export (KioskContext            *context,
                    const char              *path,
                    KioskQueueExportResult  *out_result,
                    GError                 **error)
{
  KioskOutbox *outbox;
  KioskConfig *config;
  g_autoptr(KioskKeys) keys = NULL;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GString) out = NULL;
  g_autoptr(GDateTime) now_utc = NULL;
  g_autofree char *now_text = NULL;
  g_autofree char *public_b64 = NULL;
  g_autofree char *json = NULL;
  g_autofree char *signature_b64 = NULL;
  g_autofree char *readback = NULL;
  gsize readback_length = 0;
  guint8 signature[crypto_sign_BYTES];
  KioskQueueExportResult result = { 0 };
  const KioskRequestState states[] = { KIOSK_REQUEST_QUEUED, KIOSK_REQUEST_SENDING };
  gint64 now;

  g_return_val_if_fail (KIOSK_IS_CONTEXT (context), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  config = kiosk_context_get_config (context);
  outbox = kiosk_context_get_outbox (context);
  keys = kiosk_keys_load_for_kiosk (config, error);
  if (keys == NULL)
    {
      g_prefix_error (error, "cannot sign the queue file: ");
      return FALSE;
    }

  now = kiosk_clock_get_now (kiosk_context_get_clock (context));
  now_utc = g_date_time_new_from_unix_utc (now / G_USEC_PER_SEC);
  now_text = g_date_time_format (now_utc, "%Y-%m-%dT%H:%M:%SZ");
  public_b64 = g_base64_encode (keys->signing->public_key, sizeof keys->signing->public_key);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "kiosk_id");
  json_builder_add_string_value (builder, kiosk_config_get_kiosk_id (config));
  json_builder_set_member_name (builder, "signing_key");
  json_builder_add_string_value (builder, public_b64);
  json_builder_set_member_name (builder, "exported");
  json_builder_add_string_value (builder, now_text);
  json_builder_set_member_name (builder, "exported_us");
  json_builder_add_int_value (builder, now);
  json_builder_set_member_name (builder, "requests");
  json_builder_begin_array (builder);
  for (guint s = 0; s < G_N_ELEMENTS (states); s++)
    {
      g_autoptr(GPtrArray) requests = kiosk_outbox_list (outbox, states[s], error);

      if (requests == NULL)
        return FALSE;
      for (guint i = 0; i < requests->len; i++)
        {
          KioskRequest *request = g_ptr_array_index (requests, i);

          if (kiosk_request_get_answers (request) == NULL ||
              kiosk_request_get_answers_format (request) != KIOSK_ANSWERS_SEALED)
            {
              result.skipped_unsealed++;
              continue;
            }
          /* Cannot fail: no answers member, and only sealed requests. */
          kiosk_request_build_json (request, builder, export_members, NULL, KIOSK_REQUEST_JSON_DEFAULT, NULL);
          result.exported++;
        }
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  if (out_result != NULL)
    *out_result = result;
  if (result.exported == 0)
    {
      if (result.skipped_unsealed > 0)
        g_set_error (error, KIOSK_QUEUE_EXPORT_ERROR, KIOSK_QUEUE_EXPORT_ERROR_NOTHING,
                     "none of the %u undelivered requests can be exported: their answers were stored "
                     "before a city key was installed, so they cannot leave on a stick; they stay queued",
                     result.skipped_unsealed);
      else
        g_set_error (error, KIOSK_QUEUE_EXPORT_ERROR, KIOSK_QUEUE_EXPORT_ERROR_NOTHING,
                     "nothing to export: every request has been delivered");
      return FALSE;
    }

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  json = json_generator_to_data (generator, NULL);

  out = g_string_new (KIOSK_QUEUE_EXPORT_MAGIC " ");
  g_string_append_printf (out, "%d\n%s\n", KIOSK_QUEUE_EXPORT_VERSION, json);
  crypto_sign_detached (signature, NULL, (const guint8 *) out->str, out->len, keys->signing->secret_key);
  signature_b64 = g_base64_encode (signature, sizeof signature);
  g_string_append_printf (out, SIGNATURE_PREFIX "%s\n", signature_b64);

  if (!g_file_set_contents_full (path, out->str, (gssize) out->len,
                                 G_FILE_SET_CONTENTS_CONSISTENT | G_FILE_SET_CONTENTS_DURABLE,
                                 0644, error))
    {
      g_prefix_error (error, "cannot write the queue file: ");
      return FALSE;
    }
  if (!g_file_get_contents (path, &readback, &readback_length, error))
    {
      g_prefix_error (error, "cannot read back the queue file: ");
      return FALSE;
    }
  if (readback_length != out->len || memcmp (readback, out->str, out->len) != 0)
    {
      g_set_error (error, KIOSK_QUEUE_EXPORT_ERROR, KIOSK_QUEUE_EXPORT_ERROR_IO,
                   "%s does not read back what was written (%" G_GSIZE_FORMAT " of %" G_GSIZE_FORMAT
                   " bytes): the medium is faulty or full; use another one",
                   path, readback_length, out->len);
      return FALSE;
    }

  return TRUE;
}

/* Reading */

static gboolean
get_string (JsonObject  *object,
            const char  *member,
            const char  *where,
            const char  *path,
            char       **out,
            GError     **error)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING ||
      *json_node_get_string (node) == '\0')
    {
      g_set_error (error, KIOSK_QUEUE_EXPORT_ERROR, KIOSK_QUEUE_EXPORT_ERROR_MALFORMED,
                   "%s: %s/%s: expected a non-empty string", path, where, member);
      return FALSE;
    }
  *out = g_strdup (json_node_get_string (node));
  return TRUE;
}

static gboolean
get_int (JsonObject  *object,
         const char  *member,
         const char  *where,
         const char  *path,
         gint64       min,
         gint64      *out,
         GError     **error)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_INT64 ||
      json_node_get_int (node) < min)
    {
      g_set_error (error, KIOSK_QUEUE_EXPORT_ERROR, KIOSK_QUEUE_EXPORT_ERROR_MALFORMED,
                   "%s: %s/%s: expected an integer of at least %" G_GINT64_FORMAT, path, where, member, min);
      return FALSE;
    }
  *out = json_node_get_int (node);
  return TRUE;
}

static Item *
parse_item (JsonNode    *node,
            guint        index,
            const char  *path,
            GError     **error)
{
  g_autoptr(Item) item = g_new0 (Item, 1);
  g_autofree char *where = g_strdup_printf ("/requests/%u", index);
  g_autofree char *sealed_b64 = NULL;
  g_autofree guint8 *sealed = NULL;
  JsonObject *object;
  JsonNode *member;
  gint64 version = 0;
  gsize sealed_length = 0;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      g_set_error (error, KIOSK_QUEUE_EXPORT_ERROR, KIOSK_QUEUE_EXPORT_ERROR_MALFORMED,
                   "%s: %s: expected an object", path, where);
      return NULL;
    }
  object = json_node_get_object (node);
  if (!get_string (object, "id", where, path, &item->id, error) ||
      !get_string (object, "short_code", where, path, &item->short_code, error) ||
      !get_string (object, "service_id", where, path, &item->service_id, error) ||
      !get_int (object, "service_version", where, path, 0, &version, error) ||
      !get_string (object, "locale", where, path, &item->locale, error) ||
      !get_int (object, "created_us", where, path, 1, &item->created_us, error) ||
      !get_string (object, "sealed_payload", where, path, &sealed_b64, error))
    return NULL;
  if (!g_uuid_string_is_valid (item->id))
    {
      g_set_error (error, KIOSK_QUEUE_EXPORT_ERROR, KIOSK_QUEUE_EXPORT_ERROR_MALFORMED,
                   "%s: %s/id: expected a UUID, not '%s'", path, where, item->id);
      return NULL;
    }
  item->service_version = (guint) MIN (version, G_MAXUINT);
  member = json_object_get_member (object, "assisted");
  if (member != NULL && JSON_NODE_HOLDS_VALUE (member) && json_node_get_boolean (member))
    item->flags |= KIOSK_REQUEST_FLAG_ASSISTED;
  if (json_object_has_member (object, "origin_kiosk_id") &&
      !get_string (object, "origin_kiosk_id", where, path, &item->origin_kiosk_id, error))
    return NULL;

  sealed = g_base64_decode (sealed_b64, &sealed_length);
  if (sealed_length == 0)
    {
      g_set_error (error, KIOSK_QUEUE_EXPORT_ERROR, KIOSK_QUEUE_EXPORT_ERROR_MALFORMED,
                   "%s: %s/sealed_payload: expected base64 of a sealed payload", path, where);
      return NULL;
    }
  item->sealed = g_bytes_new_take (g_steal_pointer (&sealed), sealed_length);
  return g_steal_pointer (&item);
}

static gboolean
signed_by_trusted (KioskKeys    *keys,
                   const char   *contents,
                   gsize         signed_length,
                   const guint8 *signature)
{
  for (guint i = 0; keys->trusted != NULL && i < keys->trusted->len; i++)
    {
      const KioskSigningKey *k = keys->trusted->pdata[i];

      if (crypto_sign_verify_detached (signature, (const guint8 *) contents, signed_length, k->public_key) == 0)
        return TRUE;
    }
  return FALSE;
}

static GPtrArray *parse_contents (KioskKeys   *keys,
                                  const char  *path,
                                  const char  *contents,
                                  gsize        length,
                                  char       **out_kiosk_id,
                                  gint64      *out_exported_us,
                                  GError     **error);

/* Checks the file as a whole and returns its items.  Nothing is enqueued
 * unless every part of the file verifies. */
static GPtrArray *
read_file (KioskKeys   *keys,
           const char  *path,
           char       **out_kiosk_id,
           gint64      *out_exported_us,
           GError     **error)
{
  g_autofree char *contents = NULL;
  g_autoptr(GError) local_error = NULL;
  gsize length = 0;

  /* The size before reading, and never a pipe or a device (a FIFO or
   * /dev/zero hung the import). */
  if (!kiosk_file_read_bounded (path, MAX_FILE_BYTES, &contents, &length, &local_error))
    {
      g_set_error (error, KIOSK_QUEUE_EXPORT_ERROR,
                   local_error->domain == G_FILE_ERROR ? KIOSK_QUEUE_EXPORT_ERROR_IO : KIOSK_QUEUE_EXPORT_ERROR_MALFORMED,
                   "cannot read the queue file: %s", local_error->message);
      return NULL;
    }
  return parse_contents (keys, path, contents, length, out_kiosk_id, out_exported_us, error);
}

/**
 * _kiosk_queue_file_parse:
 * @contents: a queue file's bytes, NUL-terminated after @length
 *
 * The queue-file reader without the file (tests/fuzz/fuzz-queue-file.c).
 *
 * Returns: how many requests the file holds, or -1 with @error set
 */
int
_kiosk_queue_file_parse (KioskKeys   *keys,
                         const char  *contents,
                         gsize        length,
                         char       **out_kiosk_id,
                         GError     **error)
{
  g_autoptr(GPtrArray) items = parse_contents (keys, "queue file", contents, length, out_kiosk_id, NULL, error);

  return items != NULL ? (int) items->len : -1;
}

static GPtrArray *
parse_contents (KioskKeys   *keys,
                const char  *path,
                const char  *contents,
                gsize        length,
                char       **out_kiosk_id,
                gint64      *out_exported_us,
                GError     **error)
{
  g_autofree char *kiosk_id = NULL;
  g_autofree char *key_b64 = NULL;
  g_autofree guint8 *signature = NULL;
  g_autofree guint8 *file_key = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func ((GDestroyNotify) item_free);
  g_autoptr(GError) local_error = NULL;
  const KioskSigningKey *trusted;
  gsize signature_length = 0;
  gsize key_length = 0;
  const char *header_end;
  const char *json_start;
  const char *sig_line;
  char *end = NULL;
  guint64 version;
  JsonObject *object;
  JsonNode *requests;
  gint64 exported_us = 0;
  gsize signed_length;

  if (length < strlen (KIOSK_QUEUE_EXPORT_MAGIC " ") ||
      memcmp (contents, KIOSK_QUEUE_EXPORT_MAGIC " ", strlen (KIOSK_QUEUE_EXPORT_MAGIC " ")) != 0)
    {
      g_set_error (error, KIOSK_QUEUE_EXPORT_ERROR, KIOSK_QUEUE_EXPORT_ERROR_NOT_EXPORT,
                   "%s is not a Stadtkiosk queue file (it does not start with \"%s\")",
                   path, KIOSK_QUEUE_EXPORT_MAGIC);
      return NULL;
    }
  if (memchr (contents, '\0', length) != NULL || (header_end = strchr (contents, '\n')) == NULL)
    {
      g_set_error (error, KIOSK_QUEUE_EXPORT_ERROR, KIOSK_QUEUE_EXPORT_ERROR_MALFORMED,
                   "%s: the first line is damaged", path);
      return NULL;
    }
  version = g_ascii_strtoull (contents + strlen (KIOSK_QUEUE_EXPORT_MAGIC " "), &end, 10);
  if (end != header_end || version == 0)
    {
      g_set_error (error, KIOSK_QUEUE_EXPORT_ERROR, KIOSK_QUEUE_EXPORT_ERROR_MALFORMED,
                   "%s: the first line is damaged (expected \"%s <version>\")", path, KIOSK_QUEUE_EXPORT_MAGIC);
      return NULL;
    }
  if (version > KIOSK_QUEUE_EXPORT_VERSION)
    {
      g_set_error (error, KIOSK_QUEUE_EXPORT_ERROR, KIOSK_QUEUE_EXPORT_ERROR_FUTURE_VERSION,
                   "%s is a version %" G_GUINT64_FORMAT " queue file; this Stadtkiosk reads version %d: update it",
                   path, version, KIOSK_QUEUE_EXPORT_VERSION);
      return NULL;
    }

  json_start = header_end + 1;
  sig_line = g_strrstr (json_start, "\n" SIGNATURE_PREFIX);
  if (sig_line == NULL)
    {
      g_set_error (error, KIOSK_QUEUE_EXPORT_ERROR, KIOSK_QUEUE_EXPORT_ERROR_MALFORMED,
                   "%s ends without its signature line: the file is incomplete (removed too early?)", path);
      return NULL;
    }
  signed_length = (gsize) (sig_line + 1 - contents);
  {
    g_autofree char *sig_text = g_strstrip (g_strdup (sig_line + 1 + strlen (SIGNATURE_PREFIX)));

    signature = g_base64_decode (sig_text, &signature_length);
  }
  if (signature_length != crypto_sign_BYTES)
    {
      g_set_error (error, KIOSK_QUEUE_EXPORT_ERROR, KIOSK_QUEUE_EXPORT_ERROR_MALFORMED,
                   "%s: the signature line is damaged", path);
      return NULL;
    }

  /* The signature first, over the raw bytes: the file names its kiosk only
   * inside the signed JSON, so every trusted key is tried.  A file no
   * trusted kiosk signed is refused before its JSON is read into nodes;
   * only its kiosk_id is looked up, with the strict reader, to say which
   * refusal it is. */
  if (!signed_by_trusted (keys, contents, signed_length, signature))
    {
      g_autoptr(KioskJson) doc = kiosk_json_parse (json_start, (gsize) (sig_line - json_start),
                                                   KIOSK_JSON_OUTSIDE_DEPTH, NULL);
      const KioskJsonValue *id = doc != NULL ? kiosk_json_get_member (kiosk_json_get_root (doc), "kiosk_id") : NULL;

      if (kiosk_json_is_string (id) && kiosk_keys_find_trusted (keys, id->string) != NULL)
        g_set_error (error, KIOSK_QUEUE_EXPORT_ERROR, KIOSK_QUEUE_EXPORT_ERROR_TAMPERED,
                     "%s: the signature of kiosk '%s' does not match the contents: the file was "
                     "changed or damaged after it was written; nothing was imported", path, id->string);
      else
        g_set_error (error, KIOSK_QUEUE_EXPORT_ERROR, KIOSK_QUEUE_EXPORT_ERROR_UNTRUSTED,
                     "%s comes from kiosk '%s', whose key this workstation does not trust: "
                     "add the kiosk's public key to [keys] trusted-kiosks", path,
                     kiosk_json_is_string (id) ? id->string : "(unknown)");
      return NULL;
    }

  root = kiosk_json_parse_node (json_start, (gsize) (sig_line - json_start), KIOSK_JSON_OUTSIDE_DEPTH, &local_error);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error (error, KIOSK_QUEUE_EXPORT_ERROR, KIOSK_QUEUE_EXPORT_ERROR_MALFORMED,
                   "%s: the request list is damaged: %s", path,
                   local_error != NULL ? local_error->message : "expected a JSON object");
      return NULL;
    }
  object = json_node_get_object (root);
  if (!get_string (object, "kiosk_id", "", path, &kiosk_id, error) ||
      !get_string (object, "signing_key", "", path, &key_b64, error) ||
      !get_int (object, "exported_us", "", path, 0, &exported_us, error))
    return NULL;

  /* Who signed it decides whether it is trusted, not what the file says. */
  trusted = kiosk_keys_find_trusted (keys, kiosk_id);
  file_key = g_base64_decode (key_b64, &key_length);
  if (trusted == NULL || key_length != KIOSK_SIGN_PUBLIC_BYTES ||
      sodium_memcmp (file_key, trusted->public_key, KIOSK_SIGN_PUBLIC_BYTES) != 0)
    {
      g_set_error (error, KIOSK_QUEUE_EXPORT_ERROR, KIOSK_QUEUE_EXPORT_ERROR_UNTRUSTED,
                   "%s comes from kiosk '%s', whose key this workstation does not trust: "
                   "add the kiosk's public key to [keys] trusted-kiosks", path, kiosk_id);
      return NULL;
    }
  if (crypto_sign_verify_detached (signature, (const guint8 *) contents, signed_length, trusted->public_key) != 0)
    {
      g_set_error (error, KIOSK_QUEUE_EXPORT_ERROR, KIOSK_QUEUE_EXPORT_ERROR_TAMPERED,
                   "%s: the signature of kiosk '%s' does not match the contents: the file was "
                   "changed or damaged after it was written; nothing was imported", path, kiosk_id);
      return NULL;
    }

  requests = json_object_get_member (object, "requests");
  if (requests == NULL || !JSON_NODE_HOLDS_ARRAY (requests))
    {
      g_set_error (error, KIOSK_QUEUE_EXPORT_ERROR, KIOSK_QUEUE_EXPORT_ERROR_MALFORMED,
                   "%s: /requests: expected an array", path);
      return NULL;
    }
  for (guint i = 0; i < json_array_get_length (json_node_get_array (requests)); i++)
    {
      Item *item = parse_item (json_array_get_element (json_node_get_array (requests), i), i, path, error);

      if (item == NULL)
        return NULL;
      g_ptr_array_add (items, item);
    }

  if (out_kiosk_id != NULL)
    *out_kiosk_id = g_steal_pointer (&kiosk_id);
  if (out_exported_us != NULL)
    *out_exported_us = exported_us;
  return g_steal_pointer (&items);
}

/* With the city's secret key at hand, each payload is opened too: its own
 * kiosk signature must verify and name the request the list names. */
static gboolean
check_payload (KioskKeys   *keys,
               Item        *item,
               const char  *kiosk_id,
               const char  *path,
               GError     **error)
{
  g_autoptr(KioskPayload) payload = NULL;
  g_autoptr(GError) local_error = NULL;
  const char *expected_kiosk = item->origin_kiosk_id != NULL ? item->origin_kiosk_id : kiosk_id;

  if (keys->city == NULL || !keys->city->has_secret)
    return TRUE;

  payload = kiosk_payload_open (item->sealed, keys, &local_error);
  if (payload == NULL)
    {
      g_set_error (error, KIOSK_QUEUE_EXPORT_ERROR, KIOSK_QUEUE_EXPORT_ERROR_TAMPERED,
                   "%s: request %s: its sealed payload does not open: %s; nothing was imported",
                   path, item->short_code, local_error->message);
      return FALSE;
    }
  if (g_ascii_strcasecmp (kiosk_payload_get_id (payload), item->id) != 0 ||
      g_strcmp0 (kiosk_payload_get_short_code (payload), item->short_code) != 0 ||
      g_strcmp0 (kiosk_payload_get_kiosk_id (payload), expected_kiosk) != 0)
    {
      g_set_error (error, KIOSK_QUEUE_EXPORT_ERROR, KIOSK_QUEUE_EXPORT_ERROR_TAMPERED,
                   "%s: request %s: its sealed payload names another request (%s from '%s'); "
                   "nothing was imported", path, item->short_code,
                   kiosk_payload_get_short_code (payload), kiosk_payload_get_kiosk_id (payload));
      return FALSE;
    }
  return TRUE;
}

/**
 * kiosk_queue_import:
 * @context: the counter workstation
 * @keys: its keys: the trusted kiosks, and the city's secret key when it has it
 * @path: the queue file
 *
 * Verifies @path as a whole (format, trusted kiosk, signature, and each
 * payload when @keys hold the city's secret) and only then enqueues every
 * request with its original id, marked imported, each in its own
 * transaction.  A request this outbox holds already is skipped and counted,
 * so importing the same file twice adds nothing.  Delivery is the sync's
 * work, as for every other queued request.
 *
 * Returns: (transfer full): what was imported, or %NULL with @error set
 */
KioskQueueImport *
kiosk_queue_import (KioskContext  *context,
                    KioskKeys     *keys,
                    const char    *path,
                    GError       **error)
{
  g_autoptr(KioskQueueImport) import = g_new0 (KioskQueueImport, 1);
  g_autoptr(GPtrArray) items = NULL;
  KioskOutbox *outbox;

  g_return_val_if_fail (KIOSK_IS_CONTEXT (context), NULL);
  g_return_val_if_fail (keys != NULL, NULL);
  g_return_val_if_fail (path != NULL, NULL);

  if (sodium_init () < 0)
    {
      g_set_error (error, KIOSK_QUEUE_EXPORT_ERROR, KIOSK_QUEUE_EXPORT_ERROR_IO,
                   "libsodium could not be initialised");
      return NULL;
    }

  items = read_file (keys, path, &import->kiosk_id, &import->exported_us, error);
  if (items == NULL)
    return NULL;
  for (guint i = 0; i < items->len; i++)
    if (!check_payload (keys, g_ptr_array_index (items, i), import->kiosk_id, path, error))
      return NULL;

  outbox = kiosk_context_get_outbox (context);
  import->n_requests = items->len;
  import->added_ids = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; i < items->len; i++)
    {
      Item *item = g_ptr_array_index (items, i);
      g_autoptr(KioskRequest) request = NULL;
      g_autoptr(GError) local_error = NULL;
      KioskRequestDraft draft = {
        .id = item->id,
        .short_code = item->short_code,
        .service_id = item->service_id,
        .service_version = item->service_version,
        .locale = item->locale,
        .answers = item->sealed,
        .answers_format = KIOSK_ANSWERS_SEALED,
        .flags = item->flags | KIOSK_REQUEST_FLAG_IMPORTED,
        .created_us = item->created_us,
        .origin_kiosk_id = item->origin_kiosk_id != NULL ? item->origin_kiosk_id : import->kiosk_id,
      };

      request = kiosk_outbox_enqueue (outbox, &draft, "import", &local_error);
      if (request == NULL && g_error_matches (local_error, KIOSK_OUTBOX_ERROR, KIOSK_OUTBOX_ERROR_EXISTS))
        {
          g_autoptr(KioskRequest) existing = kiosk_outbox_get (outbox, item->id, NULL);

          /* The same id: imported before (or scanned).  Only the short code
           * taken by another request is a real conflict. */
          if (existing != NULL)
            {
              import->already++;
              continue;
            }
        }
      if (request == NULL)
        {
          /* What was added so far stays added (each in its own transaction);
           * importing the file again picks up the rest. */
          g_propagate_prefixed_error (error, g_steal_pointer (&local_error),
                                      "%s: request %s (%u of %u; %u added before it): ",
                                      path, item->short_code, i + 1, items->len, import->added);
          return NULL;
        }
      import->added++;
      g_ptr_array_add (import->added_ids, g_strdup (kiosk_request_get_id (request)));
    }

  return g_steal_pointer (&import);
}

void
kiosk_queue_import_free (KioskQueueImport *import)
{
  if (import == NULL)
    return;
  g_free (import->kiosk_id);
  g_clear_pointer (&import->added_ids, g_ptr_array_unref);
  g_free (import);
}

/* kiosk-payload.c
 *
 * SPDX-FileCopyrightText: 2026 Stadtkiosk contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "kiosk-receipt"

#include "config.h"

#include "kiosk-payload.h"
#include "kiosk-payload-private.h"

#include "kiosk-json-private.h"
#include "kiosk-seal-policy.h"

#include <gio/gio.h>
#include <sodium.h>
#include <string.h>

/* The receipt's QR payload; docs/receipts.md specifies it byte by byte.
 *
 *   header (10 bytes, in clear, covered by the signature):
 *     "SK" | version (1) | flags | city key id (4) | sealed length (u16 BE)
 *   crypto_box_seal (body || Ed25519 signature (header || body), city key)
 *
 * The body holds the request id as 16 raw bytes, short code, kiosk id and
 * time; unless the payload is reference-only also service, version, locale
 * and the answers (canonical JSON, raw-deflated when that is shorter).
 *
 * Its digit text for the QR code is in kiosk-payload-text.c.
 */

#define MAGIC_0 0x53
#define MAGIC_1 0x4B
#define SIGNATURE_BYTES  crypto_sign_BYTES
#define SEAL_BYTES       crypto_box_SEALBYTES
#define MAX_ANSWERS      (256 * 1024)
#define KNOWN_FLAGS      (KIOSK_PAYLOAD_FLAG_REFERENCE_ONLY | KIOSK_PAYLOAD_FLAG_DEMO)

enum
{
  ANSWERS_JSON    = 0,
  ANSWERS_DEFLATE = 1,
};

struct _KioskPayload
{
  GObject   parent_instance;

  char     *id;
  char     *short_code;
  char     *kiosk_id;
  char     *service_id;
  guint     service_version;
  char     *locale;
  gint64    created_us;
  GBytes   *answers;            /* canonical JSON; NULL when reference-only */
  guint     flags;              /* KioskPayloadFlags */
};

G_DEFINE_FINAL_TYPE (KioskPayload, kiosk_payload, G_TYPE_OBJECT)

G_DEFINE_QUARK (kiosk-payload-error-quark, kiosk_payload_error)

/* Writing */

static void
put_u8 (GByteArray *out,
        guint8      v)
{
  g_byte_array_append (out, &v, 1);
}

static void
put_varint (GByteArray *out,
            guint64     v)
{
  do
    {
      guint8 b = v & 0x7f;

      v >>= 7;
      if (v != 0)
        b |= 0x80;
      put_u8 (out, b);
    }
  while (v != 0);
}

static gboolean
put_str8 (GByteArray  *out,
          const char  *what,
          const char  *s,
          GError     **error)
{
  gsize len = s != NULL ? strlen (s) : 0;

  if (len > 255)
    {
      g_set_error (error, KIOSK_PAYLOAD_ERROR, KIOSK_PAYLOAD_ERROR_INVALID,
                   "%s is %zu bytes long; a payload holds at most 255", what, len);
      return FALSE;
    }
  put_u8 (out, (guint8) len);
  if (len > 0)
    g_byte_array_append (out, (const guint8 *) s, (guint) len);
  return TRUE;
}

static gboolean
parse_uuid (const char *s,
            guint8      out[16])
{
  guint n = 0;

  if (s == NULL || strlen (s) != 36)
    return FALSE;
  for (guint i = 0; i < 36; i++)
    {
      if (i == 8 || i == 13 || i == 18 || i == 23)
        {
          if (s[i] != '-')
            return FALSE;
          continue;
        }
      if (!g_ascii_isxdigit (s[i]))
        return FALSE;
      if (n % 2 == 0)
        out[n / 2] = (guint8) (g_ascii_xdigit_value (s[i]) << 4);
      else
        out[n / 2] |= (guint8) g_ascii_xdigit_value (s[i]);
      n++;
    }
  return n == 32;
}

static char *
format_uuid (const guint8 b[16])
{
  return g_strdup_printf ("%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
                          b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7],
                          b[8], b[9], b[10], b[11], b[12], b[13], b[14], b[15]);
}

/* Runs all of @data through @converter; fails past @limit output bytes. */
static GBytes *
convert_all (GConverter    *converter,
             const guint8  *data,
             gsize          len,
             gsize          limit,
             GError       **error)
{
  g_autoptr(GByteArray) out = g_byte_array_new ();
  guint8 buf[4096];
  gsize in_pos = 0;

  for (;;)
    {
      gsize read = 0, written = 0;
      GConverterResult r;

      r = g_converter_convert (converter, data + in_pos, len - in_pos, buf, sizeof buf,
                               G_CONVERTER_INPUT_AT_END, &read, &written, error);
      if (r == G_CONVERTER_ERROR)
        return NULL;
      in_pos += read;
      g_byte_array_append (out, buf, (guint) written);
      if (out->len > limit)
        {
          g_set_error (error, KIOSK_PAYLOAD_ERROR, KIOSK_PAYLOAD_ERROR_MALFORMED,
                       "the answers unpack to more than %zu bytes", limit);
          return NULL;
        }
      if (r == G_CONVERTER_FINISHED)
        break;
      if (read == 0 && written == 0)
        {
          g_set_error_literal (error, KIOSK_PAYLOAD_ERROR, KIOSK_PAYLOAD_ERROR_MALFORMED,
                               "the packed answers end early");
          return NULL;
        }
    }
  return g_byte_array_free_to_bytes (g_steal_pointer (&out));
}

static GBytes *
build (const KioskPayloadFields  *fields,
       const KioskSigningKey     *signer,
       const KioskCityKey        *city,
       guint                      flags,
       GError                   **error)
{
  g_autoptr(GByteArray) body = g_byte_array_new ();
  g_autoptr(GByteArray) out = g_byte_array_new ();
  g_autofree guint8 *signed_msg = NULL;
  g_autofree guint8 *inner = NULL;
  guint8 header[KIOSK_PAYLOAD_HEADER_BYTES];
  guint8 uuid[16];
  guint8 sig[SIGNATURE_BYTES];
  gsize inner_len, sealed_len;

  if (!parse_uuid (fields->id, uuid))
    {
      g_set_error (error, KIOSK_PAYLOAD_ERROR, KIOSK_PAYLOAD_ERROR_INVALID,
                   "request id '%s' is not a UUID", fields->id ? fields->id : "(null)");
      return NULL;
    }
  g_byte_array_append (body, uuid, sizeof uuid);
  if (!put_str8 (body, "the short code", fields->short_code, error) ||
      !put_str8 (body, "the kiosk id", fields->kiosk_id, error))
    return NULL;
  put_varint (body, (guint64) MAX (fields->created_us, 0) / G_USEC_PER_SEC);

  if ((flags & KIOSK_PAYLOAD_FLAG_REFERENCE_ONLY) == 0)
    {
      const guint8 *json = NULL;
      gsize json_len = 0;
      g_autoptr(GBytes) packed = NULL;

      if (!put_str8 (body, "the service id", fields->service_id, error))
        return NULL;
      put_varint (body, fields->service_version);
      if (!put_str8 (body, "the locale", fields->locale, error))
        return NULL;

      if (fields->answers != NULL)
        json = g_bytes_get_data (fields->answers, &json_len);
      if (json_len > MAX_ANSWERS)
        {
          g_set_error (error, KIOSK_PAYLOAD_ERROR, KIOSK_PAYLOAD_ERROR_INVALID,
                       "the answers are %zu bytes; a payload holds at most %u", json_len, MAX_ANSWERS);
          return NULL;
        }
      if (json_len > 0)
        {
          g_autoptr(GZlibCompressor) z = g_zlib_compressor_new (G_ZLIB_COMPRESSOR_FORMAT_RAW, 9);

          packed = convert_all (G_CONVERTER (z), json, json_len, MAX_ANSWERS * 2, error);
          if (packed == NULL)
            return NULL;
        }
      if (packed != NULL && g_bytes_get_size (packed) < json_len)
        {
          put_u8 (body, ANSWERS_DEFLATE);
          put_varint (body, g_bytes_get_size (packed));
          g_byte_array_append (body, g_bytes_get_data (packed, NULL), (guint) g_bytes_get_size (packed));
        }
      else
        {
          put_u8 (body, ANSWERS_JSON);
          put_varint (body, json_len);
          if (json_len > 0)
            g_byte_array_append (body, json, (guint) json_len);
        }
    }

  inner_len = body->len + SIGNATURE_BYTES;
  sealed_len = SEAL_BYTES + inner_len;
  if (sealed_len > G_MAXUINT16)
    {
      g_set_error (error, KIOSK_PAYLOAD_ERROR, KIOSK_PAYLOAD_ERROR_TOO_LARGE,
                   "the payload would be %zu bytes; the format holds at most %u", sealed_len, G_MAXUINT16);
      return NULL;
    }

  header[0] = MAGIC_0;
  header[1] = MAGIC_1;
  header[2] = KIOSK_PAYLOAD_VERSION;
  header[3] = (guint8) flags;
  kiosk_city_key_get_id (city, header + 4);
  header[8] = (guint8) (sealed_len >> 8);
  header[9] = (guint8) (sealed_len & 0xff);

  signed_msg = g_malloc (sizeof header + body->len);
  memcpy (signed_msg, header, sizeof header);
  memcpy (signed_msg + sizeof header, body->data, body->len);
  crypto_sign_detached (sig, NULL, signed_msg, sizeof header + body->len, signer->secret_key);

  inner = g_malloc (inner_len);
  memcpy (inner, body->data, body->len);
  memcpy (inner + body->len, sig, sizeof sig);

  g_byte_array_append (out, header, sizeof header);
  g_byte_array_set_size (out, (guint) (sizeof header + sealed_len));
  if (crypto_box_seal (out->data + sizeof header, inner, inner_len, city->public_key) != 0)
    {
      g_set_error_literal (error, KIOSK_PAYLOAD_ERROR, KIOSK_PAYLOAD_ERROR_INVALID,
                           "sealing failed (is the city public key valid?)");
      return NULL;
    }
  sodium_memzero (inner, inner_len);
  sodium_memzero (body->data, body->len);
  return g_byte_array_free_to_bytes (g_steal_pointer (&out));
}

/**
 * kiosk_payload_seal:
 * @fields: the request
 * @signer: the kiosk's signing key (with its secret half)
 * @city: the city's public key
 * @demo: mark the payload as made with demo keys
 * @cap: the largest payload in bytes, or 0 for no cap
 *
 * Signs and seals a request.  When the full payload is larger than @cap,
 * the result is a reference-only payload (id, short code, kiosk, time):
 * check with kiosk_payload_peek().
 *
 * Returns: (transfer full): the binary payload, or %NULL with @error set
 */
GBytes *
kiosk_payload_seal (const KioskPayloadFields  *fields,
                    const KioskSigningKey     *signer,
                    const KioskCityKey        *city,
                    gboolean                   demo,
                    gsize                      cap,
                    GError                   **error)
{
  g_autoptr(GBytes) full = NULL;
  g_autoptr(GBytes) reference = NULL;
  guint flags = demo ? KIOSK_PAYLOAD_FLAG_DEMO : 0;

  g_return_val_if_fail (fields != NULL, NULL);
  g_return_val_if_fail (signer != NULL && signer->has_secret, NULL);
  g_return_val_if_fail (city != NULL, NULL);

  if (sodium_init () < 0)
    {
      g_set_error_literal (error, KIOSK_PAYLOAD_ERROR, KIOSK_PAYLOAD_ERROR_INVALID,
                           "libsodium could not be initialised");
      return NULL;
    }

  full = build (fields, signer, city, flags, error);
  if (full == NULL)
    return NULL;
  if (cap == 0 || g_bytes_get_size (full) <= cap)
    return g_steal_pointer (&full);

  reference = build (fields, signer, city, flags | KIOSK_PAYLOAD_FLAG_REFERENCE_ONLY, error);
  if (reference == NULL)
    return NULL;
  if (g_bytes_get_size (reference) > cap)
    {
      g_set_error (error, KIOSK_PAYLOAD_ERROR, KIOSK_PAYLOAD_ERROR_TOO_LARGE,
                   "even the reference-only payload is %zu bytes, over the cap of %zu ([keys] payload-cap)",
                   g_bytes_get_size (reference), cap);
      return NULL;
    }
  return g_steal_pointer (&reference);
}

/**
 * kiosk_payload_seal_reference:
 *
 * Like kiosk_payload_seal(), but always reference-only: for requests whose
 * answers the kiosk cannot read (sealed at rest) or no longer has (purged).
 */
GBytes *
kiosk_payload_seal_reference (const KioskPayloadFields  *fields,
                              const KioskSigningKey     *signer,
                              const KioskCityKey        *city,
                              gboolean                   demo,
                              GError                   **error)
{
  g_return_val_if_fail (fields != NULL, NULL);
  g_return_val_if_fail (signer != NULL && signer->has_secret, NULL);
  g_return_val_if_fail (city != NULL, NULL);

  if (sodium_init () < 0)
    {
      g_set_error_literal (error, KIOSK_PAYLOAD_ERROR, KIOSK_PAYLOAD_ERROR_INVALID,
                           "libsodium could not be initialised");
      return NULL;
    }
  return build (fields, signer, city,
                KIOSK_PAYLOAD_FLAG_REFERENCE_ONLY | (demo ? KIOSK_PAYLOAD_FLAG_DEMO : 0), error);
}

/* Reading */

typedef struct
{
  const guint8 *p;
  gsize         len;
  gsize         pos;
} Reader;

static gboolean
get_u8 (Reader *r,
        guint8 *v)
{
  if (r->pos >= r->len)
    return FALSE;
  *v = r->p[r->pos++];
  return TRUE;
}

static gboolean
get_varint (Reader  *r,
            guint64  max,
            guint64 *v)
{
  guint64 value = 0;

  for (guint shift = 0; shift < 64; shift += 7)
    {
      guint8 b;

      if (!get_u8 (r, &b))
        return FALSE;
      value |= (guint64) (b & 0x7f) << shift;
      if ((b & 0x80) == 0)
        {
          if (value > max)
            return FALSE;
          *v = value;
          return TRUE;
        }
    }
  return FALSE;
}

static gboolean
get_str8 (Reader  *r,
          char   **out)
{
  guint8 len;

  if (!get_u8 (r, &len) || r->len - r->pos < len)
    return FALSE;
  if (!g_utf8_validate ((const char *) r->p + r->pos, len, NULL) ||
      memchr (r->p + r->pos, '\0', len) != NULL)
    return FALSE;
  *out = g_strndup ((const char *) r->p + r->pos, len);
  r->pos += len;
  return TRUE;
}

static gboolean
parse_header (const guint8  *data,
              gsize          len,
              guint         *out_flags,
              gsize         *out_sealed_len,
              GError       **error)
{
  gsize sealed_len;

  if (len < 2 || data[0] != MAGIC_0 || data[1] != MAGIC_1)
    {
      g_set_error_literal (error, KIOSK_PAYLOAD_ERROR,
                           len < 2 ? KIOSK_PAYLOAD_ERROR_TRUNCATED : KIOSK_PAYLOAD_ERROR_NOT_PAYLOAD,
                           len < 2 ? "the payload is empty or cut off (incomplete scan?)"
                                   : "not a Stadtkiosk receipt payload (it does not start with \"SK\")");
      return FALSE;
    }
  if (len < 3)
    {
      g_set_error_literal (error, KIOSK_PAYLOAD_ERROR, KIOSK_PAYLOAD_ERROR_TRUNCATED,
                           "the payload is cut off in its header (incomplete scan?)");
      return FALSE;
    }
  if (data[2] != KIOSK_PAYLOAD_VERSION)
    {
      g_set_error (error, KIOSK_PAYLOAD_ERROR,
                   data[2] > KIOSK_PAYLOAD_VERSION ? KIOSK_PAYLOAD_ERROR_FUTURE_VERSION : KIOSK_PAYLOAD_ERROR_MALFORMED,
                   data[2] > KIOSK_PAYLOAD_VERSION
                   ? "receipt format version %u was made by a newer Stadtkiosk; this one reads version %u: update it"
                   : "receipt format version %u does not exist (this Stadtkiosk reads version %u)",
                   data[2], KIOSK_PAYLOAD_VERSION);
      return FALSE;
    }
  if (len < KIOSK_PAYLOAD_HEADER_BYTES)
    {
      g_set_error_literal (error, KIOSK_PAYLOAD_ERROR, KIOSK_PAYLOAD_ERROR_TRUNCATED,
                           "the payload is cut off in its header (incomplete scan?)");
      return FALSE;
    }
  if ((data[3] & ~KNOWN_FLAGS) != 0)
    {
      g_set_error (error, KIOSK_PAYLOAD_ERROR, KIOSK_PAYLOAD_ERROR_FUTURE_VERSION,
                   "the payload uses features this Stadtkiosk does not know (flags 0x%02x): update it", data[3]);
      return FALSE;
    }
  sealed_len = ((gsize) data[8] << 8) | data[9];
  if (sealed_len < SEAL_BYTES + 16 + SIGNATURE_BYTES)
    {
      g_set_error (error, KIOSK_PAYLOAD_ERROR, KIOSK_PAYLOAD_ERROR_MALFORMED,
                   "the payload announces %zu sealed bytes, too few for any request", sealed_len);
      return FALSE;
    }
  if (len - KIOSK_PAYLOAD_HEADER_BYTES < sealed_len)
    {
      g_set_error (error, KIOSK_PAYLOAD_ERROR, KIOSK_PAYLOAD_ERROR_TRUNCATED,
                   "the payload is cut off: it announces %zu bytes but has %zu (incomplete scan?)",
                   sealed_len + KIOSK_PAYLOAD_HEADER_BYTES, len);
      return FALSE;
    }
  if (len - KIOSK_PAYLOAD_HEADER_BYTES > sealed_len)
    {
      g_set_error (error, KIOSK_PAYLOAD_ERROR, KIOSK_PAYLOAD_ERROR_MALFORMED,
                   "the payload has %zu bytes after its end (two codes scanned into one?)",
                   len - KIOSK_PAYLOAD_HEADER_BYTES - sealed_len);
      return FALSE;
    }
  *out_flags = data[3];
  *out_sealed_len = sealed_len;
  return TRUE;
}

/**
 * kiosk_payload_peek:
 *
 * Checks a payload's header without keys and returns its flags.
 */
gboolean
kiosk_payload_peek (GBytes             *payload,
                    KioskPayloadFlags  *out_flags,
                    GError            **error)
{
  const guint8 *data;
  gsize len, sealed_len;
  guint flags;

  g_return_val_if_fail (payload != NULL, FALSE);

  data = g_bytes_get_data (payload, &len);
  if (!parse_header (data, len, &flags, &sealed_len, error))
    return FALSE;
  if (out_flags != NULL)
    *out_flags = flags;
  return TRUE;
}

static gboolean
malformed (GError **error,
           const char *what)
{
  g_set_error (error, KIOSK_PAYLOAD_ERROR, KIOSK_PAYLOAD_ERROR_MALFORMED,
               "the payload opened, but its %s is damaged", what);
  return FALSE;
}

static gboolean
parse_body (KioskPayload  *self,
            const guint8  *body,
            gsize          len,
            GError       **error)
{
  Reader r = { body, len, 0 };
  guint64 v;
  guint8 coding;

  if (len < 16)
    return malformed (error, "request id");
  self->id = format_uuid (body);
  r.pos = 16;
  if (!get_str8 (&r, &self->short_code))
    return malformed (error, "short code");
  if (!get_str8 (&r, &self->kiosk_id))
    return malformed (error, "kiosk id");
  if (!get_varint (&r, G_MAXINT64 / G_USEC_PER_SEC, &v))
    return malformed (error, "time");
  self->created_us = (gint64) v * G_USEC_PER_SEC;

  if ((self->flags & KIOSK_PAYLOAD_FLAG_REFERENCE_ONLY) == 0)
    {
      if (!get_str8 (&r, &self->service_id))
        return malformed (error, "service id");
      if (!get_varint (&r, G_MAXUINT, &v))
        return malformed (error, "service version");
      self->service_version = (guint) v;
      if (!get_str8 (&r, &self->locale))
        return malformed (error, "locale");
      if (!get_u8 (&r, &coding) || coding > ANSWERS_DEFLATE)
        return malformed (error, "answers coding");
      if (!get_varint (&r, MAX_ANSWERS, &v) || r.len - r.pos < v)
        return malformed (error, "answers length");
      if (coding == ANSWERS_JSON)
        self->answers = g_bytes_new (r.p + r.pos, (gsize) v);
      else
        {
          g_autoptr(GZlibDecompressor) z = g_zlib_decompressor_new (G_ZLIB_COMPRESSOR_FORMAT_RAW);

          self->answers = convert_all (G_CONVERTER (z), r.p + r.pos, (gsize) v, MAX_ANSWERS, NULL);
          if (self->answers == NULL)
            return malformed (error, "packed answers");
        }
      r.pos += (gsize) v;
      /* The answers are a JSON object; checked with the strict reader and
       * its depth limit here, so that no later reader sees worse. */
      if (g_bytes_get_size (self->answers) > 0)
        {
          g_autoptr(KioskJson) doc = kiosk_json_parse (g_bytes_get_data (self->answers, NULL),
                                                       g_bytes_get_size (self->answers),
                                                       KIOSK_JSON_OUTSIDE_DEPTH, NULL);

          if (doc == NULL || kiosk_json_get_root (doc)->type != KIOSK_JSON_OBJECT)
            return malformed (error, "answers");
        }
    }
  if (r.pos != r.len)
    return malformed (error, "length");
  return TRUE;
}

KioskPayload *
_kiosk_payload_parse_body (guint          flags,
                           const guint8  *body,
                           gsize          len,
                           GError       **error)
{
  g_autoptr(KioskPayload) self = g_object_new (KIOSK_TYPE_PAYLOAD, NULL);

  self->flags = flags & KNOWN_FLAGS;
  if (!parse_body (self, body, len, error))
    return NULL;
  return g_steal_pointer (&self);
}

/**
 * kiosk_payload_open:
 * @payload: the binary payload
 * @keys: the city's secret key and the trusted kiosks
 *
 * Opens the seal, then checks the kiosk's signature.  Each way this can go
 * wrong has its own #KioskPayloadError code and message.
 *
 * Returns: (transfer full): the request, or %NULL with @error set
 */
KioskPayload *
kiosk_payload_open (GBytes     *payload,
                    KioskKeys  *keys,
                    GError    **error)
{
  g_autoptr(KioskPayload) self = NULL;
  g_autofree guint8 *inner = NULL;
  g_autofree guint8 *signed_msg = NULL;
  const KioskSigningKey *signer;
  const guint8 *data;
  guint8 key_id[KIOSK_KEY_ID_BYTES];
  gsize len, sealed_len, inner_len, body_len;
  guint flags;

  g_return_val_if_fail (payload != NULL, NULL);
  g_return_val_if_fail (keys != NULL && keys->city != NULL && keys->city->has_secret, NULL);

  data = g_bytes_get_data (payload, &len);
  if (!parse_header (data, len, &flags, &sealed_len, error))
    return NULL;

  kiosk_city_key_get_id (keys->city, key_id);
  if (memcmp (key_id, data + 4, sizeof key_id) != 0)
    {
      g_autofree char *ours = kiosk_city_key_dup_id_string (keys->city);

      g_set_error (error, KIOSK_PAYLOAD_ERROR, KIOSK_PAYLOAD_ERROR_WRONG_CITY_KEY,
                   "the receipt is sealed to city key %02x%02x%02x%02x, but the key here is %s "
                   "(another city, a demo kiosk, or an old key?)",
                   data[4], data[5], data[6], data[7], ours);
      return NULL;
    }

  if (sodium_init () < 0)
    {
      g_set_error_literal (error, KIOSK_PAYLOAD_ERROR, KIOSK_PAYLOAD_ERROR_INVALID,
                           "libsodium could not be initialised");
      return NULL;
    }
  inner_len = sealed_len - SEAL_BYTES;
  inner = g_malloc (inner_len);
  if (crypto_box_seal_open (inner, data + KIOSK_PAYLOAD_HEADER_BYTES, sealed_len,
                            keys->city->public_key, keys->city->secret_key) != 0)
    {
      g_set_error_literal (error, KIOSK_PAYLOAD_ERROR, KIOSK_PAYLOAD_ERROR_TAMPERED,
                           "the receipt's seal is broken: its content was altered or damaged");
      return NULL;
    }

  self = g_object_new (KIOSK_TYPE_PAYLOAD, NULL);
  self->flags = flags;
  body_len = inner_len - SIGNATURE_BYTES;
  if (!parse_body (self, inner, body_len, error))
    {
      sodium_memzero (inner, inner_len);
      return NULL;
    }

  signer = kiosk_keys_find_trusted (keys, self->kiosk_id);
  if (signer == NULL)
    {
      g_set_error (error, KIOSK_PAYLOAD_ERROR, KIOSK_PAYLOAD_ERROR_UNKNOWN_KIOSK,
                   "the receipt was signed by kiosk '%s', which is not among the %u trusted kiosks "
                   "([keys] trusted-kiosks or --trust)", self->kiosk_id, keys->trusted->len);
      sodium_memzero (inner, inner_len);
      return NULL;
    }

  signed_msg = g_malloc (KIOSK_PAYLOAD_HEADER_BYTES + body_len);
  memcpy (signed_msg, data, KIOSK_PAYLOAD_HEADER_BYTES);
  memcpy (signed_msg + KIOSK_PAYLOAD_HEADER_BYTES, inner, body_len);
  if (crypto_sign_verify_detached (inner + body_len, signed_msg, KIOSK_PAYLOAD_HEADER_BYTES + body_len,
                                   signer->public_key) != 0)
    {
      g_set_error (error, KIOSK_PAYLOAD_ERROR, KIOSK_PAYLOAD_ERROR_TAMPERED,
                   "the signature of kiosk '%s' does not match: the receipt is forged or altered",
                   self->kiosk_id);
      sodium_memzero (inner, inner_len);
      sodium_memzero (signed_msg, KIOSK_PAYLOAD_HEADER_BYTES + body_len);
      return NULL;
    }
  sodium_memzero (inner, inner_len);
  sodium_memzero (signed_msg, KIOSK_PAYLOAD_HEADER_BYTES + body_len);
  return g_steal_pointer (&self);
}

/**
 * kiosk_payload_fill_draft:
 * @self: an opened payload
 * @payload: the binary payload @self was opened from
 * @draft: (out caller-allocates): filled with borrowed strings from @self
 *
 * The counter path: turns a scanned receipt into a request to enqueue,
 * flagged imported, with its original id, short code and time.  The
 * answers stay as the kiosk signed and sealed them (format sealed), so the
 * city can still check where they came from.  A reference-only payload
 * cannot be imported: its answers are on the kiosk.
 */
gboolean
kiosk_payload_fill_draft (KioskPayload       *self,
                          GBytes             *payload,
                          KioskRequestDraft  *draft,
                          GError            **error)
{
  g_return_val_if_fail (KIOSK_IS_PAYLOAD (self), FALSE);
  g_return_val_if_fail (payload != NULL && draft != NULL, FALSE);

  if (kiosk_payload_is_reference_only (self))
    {
      g_set_error (error, KIOSK_PAYLOAD_ERROR, KIOSK_PAYLOAD_ERROR_INVALID,
                   "receipt %s holds only the reference; its answers are on kiosk '%s' "
                   "(or already with the city)", self->short_code, self->kiosk_id);
      return FALSE;
    }
  memset (draft, 0, sizeof *draft);
  draft->id = self->id;
  draft->short_code = self->short_code;
  draft->service_id = self->service_id;
  draft->service_version = self->service_version;
  draft->locale = self->locale;
  draft->answers = payload;
  draft->answers_format = KIOSK_ANSWERS_SEALED;
  draft->flags = KIOSK_REQUEST_FLAG_IMPORTED;
  draft->created_us = self->created_us;
  /* The submission names the kiosk the request was made on, so that the
   * kiosk's own later delivery sends the same body (idempotency). */
  draft->origin_kiosk_id = self->kiosk_id;
  return TRUE;
}

/* The object */

static void
kiosk_payload_finalize (GObject *object)
{
  KioskPayload *self = (KioskPayload *) object;

  g_free (self->id);
  g_free (self->short_code);
  g_free (self->kiosk_id);
  g_free (self->service_id);
  g_free (self->locale);
  g_clear_pointer (&self->answers, g_bytes_unref);

  G_OBJECT_CLASS (kiosk_payload_parent_class)->finalize (object);
}

static void
kiosk_payload_class_init (KioskPayloadClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = kiosk_payload_finalize;
}

static void
kiosk_payload_init (KioskPayload *self)
{
}

const char *
kiosk_payload_get_id (KioskPayload *self)
{
  g_return_val_if_fail (KIOSK_IS_PAYLOAD (self), NULL);
  return self->id;
}

const char *
kiosk_payload_get_short_code (KioskPayload *self)
{
  g_return_val_if_fail (KIOSK_IS_PAYLOAD (self), NULL);
  return self->short_code;
}

const char *
kiosk_payload_get_kiosk_id (KioskPayload *self)
{
  g_return_val_if_fail (KIOSK_IS_PAYLOAD (self), NULL);
  return self->kiosk_id;
}

/* Returns: (nullable): %NULL for a reference-only payload */
const char *
kiosk_payload_get_service_id (KioskPayload *self)
{
  g_return_val_if_fail (KIOSK_IS_PAYLOAD (self), NULL);
  return self->service_id;
}

guint
kiosk_payload_get_service_version (KioskPayload *self)
{
  g_return_val_if_fail (KIOSK_IS_PAYLOAD (self), 0);
  return self->service_version;
}

const char *
kiosk_payload_get_locale (KioskPayload *self)
{
  g_return_val_if_fail (KIOSK_IS_PAYLOAD (self), NULL);
  return self->locale;
}

gint64
kiosk_payload_get_created (KioskPayload *self)
{
  g_return_val_if_fail (KIOSK_IS_PAYLOAD (self), 0);
  return self->created_us;
}

GBytes *
kiosk_payload_get_answers (KioskPayload *self)
{
  g_return_val_if_fail (KIOSK_IS_PAYLOAD (self), NULL);
  return self->answers;
}

gboolean
kiosk_payload_is_reference_only (KioskPayload *self)
{
  g_return_val_if_fail (KIOSK_IS_PAYLOAD (self), FALSE);
  return (self->flags & KIOSK_PAYLOAD_FLAG_REFERENCE_ONLY) != 0;
}

gboolean
kiosk_payload_is_demo (KioskPayload *self)
{
  g_return_val_if_fail (KIOSK_IS_PAYLOAD (self), FALSE);
  return (self->flags & KIOSK_PAYLOAD_FLAG_DEMO) != 0;
}

/**
 * kiosk_payload_to_json:
 *
 * Returns: (transfer full): the opened request as a JSON object
 */
JsonNode *
kiosk_payload_to_json (KioskPayload *self)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  g_return_val_if_fail (KIOSK_IS_PAYLOAD (self), NULL);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "id");
  json_builder_add_string_value (builder, self->id);
  json_builder_set_member_name (builder, "short_code");
  json_builder_add_string_value (builder, self->short_code);
  json_builder_set_member_name (builder, "kiosk_id");
  json_builder_add_string_value (builder, self->kiosk_id);
  json_builder_set_member_name (builder, "created_us");
  json_builder_add_int_value (builder, self->created_us);
  json_builder_set_member_name (builder, "reference_only");
  json_builder_add_boolean_value (builder, kiosk_payload_is_reference_only (self));
  json_builder_set_member_name (builder, "demo");
  json_builder_add_boolean_value (builder, kiosk_payload_is_demo (self));
  if (!kiosk_payload_is_reference_only (self))
    {
      g_autoptr(JsonNode) answers = NULL;

      json_builder_set_member_name (builder, "service_id");
      json_builder_add_string_value (builder, self->service_id);
      json_builder_set_member_name (builder, "service_version");
      json_builder_add_int_value (builder, self->service_version);
      json_builder_set_member_name (builder, "locale");
      json_builder_add_string_value (builder, self->locale);
      if (self->answers != NULL && g_bytes_get_size (self->answers) > 0)
        {
          answers = kiosk_json_parse_bytes (self->answers, KIOSK_JSON_OUTSIDE_DEPTH, NULL);
        }
      json_builder_set_member_name (builder, "answers");
      if (answers != NULL)
        json_builder_add_value (builder, g_steal_pointer (&answers));
      else
        json_builder_add_null_value (builder);
    }
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

/* kiosk-payload-text.c
 *
 * SPDX-FileCopyrightText: 2026 Stadtkiosk contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "kiosk-receipt"

#include "config.h"

#include "kiosk-payload.h"

#include <string.h>

/* The payload as text is digits only (QR numeric mode; a USB scanner typing
 * through any keyboard layout reproduces digits): "5750" "01" then every
 * 13 bits as 4 decimal digits (0000-8191), a last partial group as 1-3
 * digits.  docs/receipts.md specifies it. */

/**
 * kiosk_payload_qr_text_length:
 *
 * Returns: the number of digits kiosk_payload_encode_qr_text() makes of
 *   @n_bytes bytes, prefix included
 */
gsize
kiosk_payload_qr_text_length (gsize n_bytes)
{
  gsize bits = n_bytes * 8;
  gsize r = bits % 13;

  return strlen (KIOSK_PAYLOAD_TEXT_MAGIC) + 2 + (bits / 13) * 4 +
         (r == 0 ? 0 : r <= 3 ? 1 : r <= 6 ? 2 : r <= 9 ? 3 : 4);
}

/**
 * kiosk_payload_encode_qr_text:
 *
 * Returns: (transfer full): the payload as digits for a QR code in numeric mode
 */
char *
kiosk_payload_encode_qr_text (GBytes *payload)
{
  const guint8 *data;
  gsize len;
  GString *s;
  guint32 acc = 0;
  guint nbits = 0;

  g_return_val_if_fail (payload != NULL, NULL);

  data = g_bytes_get_data (payload, &len);
  s = g_string_sized_new (kiosk_payload_qr_text_length (len) + 1);
  g_string_append_printf (s, "%s%02u", KIOSK_PAYLOAD_TEXT_MAGIC, KIOSK_PAYLOAD_VERSION);
  for (gsize i = 0; i < len; i++)
    {
      acc = (acc << 8) | data[i];
      nbits += 8;
      while (nbits >= 13)
        {
          nbits -= 13;
          g_string_append_printf (s, "%04u", (acc >> nbits) & 0x1fff);
          acc &= (1u << nbits) - 1;
        }
    }
  if (nbits > 0)
    {
      guint digits = nbits <= 3 ? 1 : nbits <= 6 ? 2 : nbits <= 9 ? 3 : 4;
      guint room = digits == 4 ? 13 : digits * 3;

      g_string_append_printf (s, "%0*u", (int) digits, acc << (room - nbits));
    }
  return g_string_free (s, FALSE);
}

/**
 * kiosk_payload_decode_qr_text:
 * @text: what the scanner typed; surrounding white space is ignored
 *
 * Returns: (transfer full): the binary payload, or %NULL with @error set
 */
GBytes *
kiosk_payload_decode_qr_text (const char  *text,
                              GError     **error)
{
  g_autoptr(GByteArray) out = g_byte_array_new ();
  gsize magic_len = strlen (KIOSK_PAYLOAD_TEXT_MAGIC);
  const char *start, *end, *digits;
  gsize n, groups, tail;
  guint64 acc = 0;
  guint nbits = 0;
  guint version;

  g_return_val_if_fail (text != NULL, NULL);

  start = text;
  while (*start != '\0' && g_ascii_isspace (*start))
    start++;
  end = start + strlen (start);
  while (end > start && g_ascii_isspace (end[-1]))
    end--;

  for (const char *c = start; c < end; c++)
    if (!g_ascii_isdigit (*c))
      {
        g_set_error (error, KIOSK_PAYLOAD_ERROR, KIOSK_PAYLOAD_ERROR_MALFORMED,
                     "character '%c' at position %zu: a receipt code has only digits "
                     "(typed in by hand, or scanned into the wrong field?)",
                     g_ascii_isprint (*c) ? *c : '?', (gsize) (c - start) + 1);
        return NULL;
      }
  n = (gsize) (end - start);
  if (n < magic_len || strncmp (start, KIOSK_PAYLOAD_TEXT_MAGIC, magic_len) != 0)
    {
      if (n < magic_len && strncmp (start, KIOSK_PAYLOAD_TEXT_MAGIC, n) == 0)
        g_set_error (error, KIOSK_PAYLOAD_ERROR, KIOSK_PAYLOAD_ERROR_TRUNCATED,
                     "only %zu digits: the receipt code is cut off (incomplete scan?)", n);
      else
        g_set_error (error, KIOSK_PAYLOAD_ERROR, KIOSK_PAYLOAD_ERROR_NOT_PAYLOAD,
                     "not a Stadtkiosk receipt code (it does not start with %s)", KIOSK_PAYLOAD_TEXT_MAGIC);
      return NULL;
    }
  if (n < magic_len + 2)
    {
      g_set_error (error, KIOSK_PAYLOAD_ERROR, KIOSK_PAYLOAD_ERROR_TRUNCATED,
                   "only %zu digits: the receipt code is cut off (incomplete scan?)", n);
      return NULL;
    }
  version = (guint) (start[magic_len] - '0') * 10 + (guint) (start[magic_len + 1] - '0');
  if (version != KIOSK_PAYLOAD_VERSION)
    {
      g_set_error (error, KIOSK_PAYLOAD_ERROR,
                   version > KIOSK_PAYLOAD_VERSION ? KIOSK_PAYLOAD_ERROR_FUTURE_VERSION : KIOSK_PAYLOAD_ERROR_MALFORMED,
                   version > KIOSK_PAYLOAD_VERSION
                   ? "receipt code version %u was made by a newer Stadtkiosk; this one reads version %u: update it"
                   : "receipt code version %u does not exist (this Stadtkiosk reads version %u)",
                   version, KIOSK_PAYLOAD_VERSION);
      return NULL;
    }

  digits = start + magic_len + 2;
  n -= magic_len + 2;
  groups = n / 4;
  tail = n % 4;
  for (gsize g = 0; g <= groups; g++)
    {
      guint width = g < groups ? 4 : (guint) tail;
      guint bits = width == 4 ? 13 : width * 3;
      guint v = 0;

      if (width == 0)
        break;
      for (guint k = 0; k < width; k++)
        v = v * 10 + (guint) (digits[g * 4 + k] - '0');
      if (v >= (1u << bits))
        {
          g_set_error (error, KIOSK_PAYLOAD_ERROR, KIOSK_PAYLOAD_ERROR_MALFORMED,
                       "digits %zu-%zu (%.*s) cannot occur in a receipt code (misread?)",
                       magic_len + 2 + g * 4 + 1, magic_len + 2 + g * 4 + width,
                       (int) width, digits + g * 4);
          return NULL;
        }
      acc = (acc << bits) | v;
      nbits += bits;
      while (nbits >= 8)
        {
          guint8 b;

          nbits -= 8;
          b = (guint8) (acc >> nbits);
          g_byte_array_append (out, &b, 1);
          acc &= (1u << nbits) - 1;
        }
    }
  if (acc != 0)
    {
      g_set_error_literal (error, KIOSK_PAYLOAD_ERROR, KIOSK_PAYLOAD_ERROR_MALFORMED,
                           "the last digits of the receipt code do not fit (misread or cut off?)");
      return NULL;
    }
  return g_byte_array_free_to_bytes (g_steal_pointer (&out));
}

/**
 * kiosk_payload_dup_digest:
 * @payload: a binary payload, as the receipt's QR code carries it
 *
 * The receipt's digest (#16): the SHA-256 of the binary payload, in
 * lowercase hex.  The payload is sealed, so the digest says nothing about
 * what is inside; the status page finds a request by it.
 *
 * Returns: (transfer full): 64 hex digits
 */
char *
kiosk_payload_dup_digest (GBytes *payload)
{
  g_return_val_if_fail (payload != NULL, NULL);

  return g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, payload);
}

/**
 * kiosk_payload_dup_text_digest:
 * @text: what a scanner typed for a receipt's QR code
 *
 * kiosk_payload_dup_digest() of the payload @text encodes.  The canonical
 * form is the binary payload, not the digits: white space anywhere (a
 * scanner's line end, a tab between two reads) is dropped first, and the
 * digits are decoded as kiosk_payload_decode_qr_text() does, so a scan cut
 * short or misread is an error, not a digest of something else.
 *
 * Returns: (transfer full): 64 hex digits, or %NULL with @error set in
 *   %KIOSK_PAYLOAD_ERROR
 */
char *
kiosk_payload_dup_text_digest (const char  *text,
                               GError     **error)
{
  g_autoptr(GString) digits = NULL;
  g_autoptr(GBytes) payload = NULL;

  g_return_val_if_fail (text != NULL, NULL);

  digits = g_string_new (NULL);
  for (const char *c = text; *c != '\0'; c++)
    if (!g_ascii_isspace (*c))
      g_string_append_c (digits, *c);
  payload = kiosk_payload_decode_qr_text (digits->str, error);
  if (payload == NULL)
    return NULL;
  /* A payload cut off at a 13-bit group boundary still decodes: the
   * header knows its length. */
  if (!kiosk_payload_peek (payload, NULL, error))
    return NULL;
  return kiosk_payload_dup_digest (payload);
}

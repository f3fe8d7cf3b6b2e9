/* fuzz-payload.c: libFuzzer target for the receipt decoder
 *
 * The first input byte picks what is fuzzed: 0 the scanned text (digits →
 * bytes → header → seal → signature), 1 the binary payload, 2 the body
 * parser behind the seal (which mutation cannot reach through a MAC).
 * With KIOSK_FUZZ_CANARY set it aborts on a text that decodes to a header
 * of any version but 1: run-short checks that the fuzzer finds that within
 * its time.
 *
 * SPDX-FileCopyrightText: 2026 Stadtkiosk contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
#include <sodium.h>
#include <string.h>

#include "stadtkiosk-core.h"
#include "kiosk-payload-private.h"

int LLVMFuzzerInitialize (int *argc, char ***argv);
int LLVMFuzzerTestOneInput (const guint8 *data, size_t size);

static KioskKeys *keys;
static KioskSigningKey *signer;
static gboolean canary;

static void
write_seed (const char   *dir,
            const char   *name,
            guint8        mode,
            const guint8 *data,
            gsize         len)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autofree guint8 *buf = g_malloc (len + 1);

  buf[0] = mode;
  memcpy (buf + 1, data, len);
  g_file_set_contents (path, (const char *) buf, (gssize) len + 1, NULL);
}

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  guint8 seed[32];
  KioskSigningKey *trusted;
  const char *seeds_dir = g_getenv ("KIOSK_FUZZ_SEEDS_DIR");

  if (sodium_init () < 0)
    abort ();
  /* The harness's negative control (run-short): a planted bug that only
   * a working fuzzer reaches, through the digit decoder. */
  canary = g_getenv ("KIOSK_FUZZ_CANARY") != NULL;
  keys = kiosk_keys_new ();
  keys->city = g_new0 (KioskCityKey, 1);
  memset (seed, 2, sizeof seed);
  crypto_box_seed_keypair (keys->city->public_key, keys->city->secret_key, seed);
  keys->city->has_secret = TRUE;

  signer = g_new0 (KioskSigningKey, 1);
  signer->kiosk_id = g_strdup ("fuzz-kiosk");
  memset (seed, 1, sizeof seed);
  crypto_sign_seed_keypair (signer->public_key, signer->secret_key, seed);
  signer->has_secret = TRUE;
  trusted = g_new0 (KioskSigningKey, 1);
  trusted->kiosk_id = g_strdup ("fuzz-kiosk");
  memcpy (trusted->public_key, signer->public_key, sizeof trusted->public_key);
  g_ptr_array_add (keys->trusted, trusted);

  /* Valid inputs for a starting corpus: run-short asks for them. */
  if (seeds_dir != NULL)
    {
      const char *json = "{\"name\":\"Erika Mustermann\",\"topic\":\"Sperrmüll\",\"n\":[1,2,3]}";
      g_autoptr(GBytes) answers = g_bytes_new_static (json, strlen (json));
      KioskPayloadFields fields = {
        .id = "3f2a9c1e-7b4d-4e8a-9f10-2c3d4e5f6a7b", .short_code = "HSK-K3FA-9Q2C",
        .kiosk_id = "fuzz-kiosk", .service_id = "bulky-waste", .service_version = 2,
        .locale = "de", .created_us = G_GINT64_CONSTANT (1795000000000000), .answers = answers,
      };
      g_autoptr(GBytes) full = kiosk_payload_seal (&fields, signer, keys->city, FALSE, 0, NULL);
      g_autoptr(GBytes) ref = kiosk_payload_seal_reference (&fields, signer, keys->city, TRUE, NULL);
      g_autofree char *text = kiosk_payload_encode_qr_text (full);
      guint8 body[] = { 0x3f, 0x2a, 0x9c, 0x1e, 0x7b, 0x4d, 0x4e, 0x8a, 0x9f, 0x10, 0x2c, 0x3d, 0x4e, 0x5f, 0x6a, 0x7b,
                        3, 'H', 'S', 'K', 4, 'f', 'u', 'z', 'z', 0x80, 0x01,
                        1, 'x', 2, 2, 'd', 'e', 1, 3, 0xab, 0x06, 0x00 };

      g_mkdir_with_parents (seeds_dir, 0755);
      write_seed (seeds_dir, "text-full", 0, (const guint8 *) text, strlen (text));
      write_seed (seeds_dir, "binary-full", 1, g_bytes_get_data (full, NULL), g_bytes_get_size (full));
      write_seed (seeds_dir, "binary-ref", 1, g_bytes_get_data (ref, NULL), g_bytes_get_size (ref));
      write_seed (seeds_dir, "body", 2, body, sizeof body);
    }
  return 0;
}

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(KioskPayload) payload = NULL;

  if (size < 1)
    return 0;

  switch (data[0] % 3)
    {
    case 0:
      {
        g_autofree char *text = g_strndup ((const char *) data + 1, size - 1);

        bytes = kiosk_payload_decode_qr_text (text, &error);
        if (bytes != NULL && canary && g_bytes_get_size (bytes) >= 3 &&
            memcmp (g_bytes_get_data (bytes, NULL), "SK", 2) == 0 &&
            ((const guint8 *) g_bytes_get_data (bytes, NULL))[2] != 0x01)
          abort ();
        if (bytes != NULL)
          {
            g_autofree char *again = kiosk_payload_encode_qr_text (bytes);
            g_autoptr(GBytes) back = kiosk_payload_decode_qr_text (again, NULL);

            /* Whatever decodes re-encodes to the same bytes. */
            if (back == NULL || !g_bytes_equal (back, bytes))
              abort ();
            payload = kiosk_payload_open (bytes, keys, NULL);
          }
        break;
      }

    case 1:
      bytes = g_bytes_new (data + 1, size - 1);
      payload = kiosk_payload_open (bytes, keys, &error);
      break;

    case 2:
      payload = _kiosk_payload_parse_body (data[0] >> 2, data + 1, size - 1, &error);
      if (payload != NULL)
        {
          g_autoptr(JsonNode) node = kiosk_payload_to_json (payload);
        }
      break;

    default:
      g_assert_not_reached ();
    }
  return 0;
}

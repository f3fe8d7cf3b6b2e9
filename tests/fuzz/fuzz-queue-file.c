/* fuzz-queue-file.c: libFuzzer target for the queue-file reader (#12)
 *
 * The first input byte picks what is fuzzed: 0 the file's bytes as they
 * come from a USB stick (header, signature line, the strict JSON reader on
 * an unsigned file); 1 the JSON line behind the signature, which this
 * target signs with a trusted key first (mutation never gets past a
 * signature on its own).  A queue file with 200 KB of "[" crashed the
 * import before #12.  With KIOSK_FUZZ_CANARY set it aborts when a signed
 * file fails on its exported_us only: run-short checks that the fuzzer
 * gets that deep within its time.
 *
 * SPDX-FileCopyrightText: 2026 Stadtkiosk contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
#include <sodium.h>
#include <string.h>

#include "stadtkiosk-core.h"
#include "kiosk-queue-export-private.h"

int LLVMFuzzerInitialize (int *argc, char ***argv);
int LLVMFuzzerTestOneInput (const guint8 *data, size_t size);

static KioskKeys *keys;
static KioskSigningKey *signer;
static gboolean canary;

static char *
signed_file (const char *json,
             gsize       len)
{
  g_autoptr(GString) file = g_string_new (KIOSK_QUEUE_EXPORT_MAGIC " 1\n");
  guint8 signature[crypto_sign_BYTES];
  g_autofree char *b64 = NULL;

  g_string_append_len (file, json, (gssize) len);
  g_string_append_c (file, '\n');
  crypto_sign_detached (signature, NULL, (const guint8 *) file->str, file->len, signer->secret_key);
  b64 = g_base64_encode (signature, sizeof signature);
  g_string_append_printf (file, "SIGNATURE ed25519 %s\n", b64);
  return g_string_free (g_steal_pointer (&file), FALSE);
}

static void
write_seed (const char *dir,
            const char *name,
            guint8      mode,
            const char *data)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autoptr(GString) buf = g_string_new (NULL);

  g_string_append_c (buf, (char) mode);
  g_string_append (buf, data);
  g_file_set_contents (path, buf->str, (gssize) buf->len, NULL);
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
  canary = g_getenv ("KIOSK_FUZZ_CANARY") != NULL;
  keys = kiosk_keys_new ();
  signer = g_new0 (KioskSigningKey, 1);
  signer->kiosk_id = g_strdup ("fuzz-kiosk");
  memset (seed, 1, sizeof seed);
  crypto_sign_seed_keypair (signer->public_key, signer->secret_key, seed);
  signer->has_secret = TRUE;
  trusted = g_new0 (KioskSigningKey, 1);
  trusted->kiosk_id = g_strdup ("fuzz-kiosk");
  memcpy (trusted->public_key, signer->public_key, sizeof trusted->public_key);
  g_ptr_array_add (keys->trusted, trusted);

  if (seeds_dir != NULL)
    {
      g_autofree char *key_b64 = g_base64_encode (signer->public_key, sizeof signer->public_key);
      g_autofree char *json = g_strdup_printf (
        "{\"kiosk_id\":\"fuzz-kiosk\",\"signing_key\":\"%s\",\"exported\":\"2026-12-07T00:00:00Z\","
        "\"exported_us\":1796601600000000,\"requests\":[{\"id\":\"3f2a9c1e-7b4d-4e8a-9f10-2c3d4e5f6a7b\","
        "\"short_code\":\"HSK-K3FA-9Q2C\",\"service_id\":\"bulky-waste\",\"service_version\":2,"
        "\"locale\":\"de\",\"created_us\":1796601500000000,\"assisted\":false,\"flags\":0,"
        "\"sealed_payload\":\"U0sBAAAA\"}]}", key_b64);
      g_autofree char *file = signed_file (json, strlen (json));
      g_autofree char *deep = g_strnfill (20000, '[');
      g_autofree char *deep_file = g_strdup_printf (KIOSK_QUEUE_EXPORT_MAGIC " 1\n%s\nSIGNATURE ed25519 %s\n",
                                                    deep, "AAAA");

      g_mkdir_with_parents (seeds_dir, 0755);
      write_seed (seeds_dir, "file-signed", 0, file);
      write_seed (seeds_dir, "file-deep-unsigned", 0, deep_file);
      write_seed (seeds_dir, "json-signed", 1, json);
    }
  return 0;
}

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *kiosk_id = NULL;
  int n;

  if (size < 1)
    return 0;
  if (data[0] % 2 == 0)
    contents = g_strndup ((const char *) data + 1, size - 1);
  else
    {
      /* The JSON line is one line: a newline in it ends it early. */
      g_autofree char *json = g_strndup ((const char *) data + 1, size - 1);

      g_strdelimit (json, "\n", ' ');
      contents = signed_file (json, strlen (json));
    }

  /* g_strndup stops at a NUL: the reader sees what it would see on disk up
   * to there, and refuses an embedded NUL itself. */
  n = _kiosk_queue_file_parse (keys, contents, strlen (contents), &kiosk_id, &error);
  if ((n < 0) != (error != NULL))
    abort ();
  if (n >= 0 && g_strcmp0 (kiosk_id, "fuzz-kiosk") != 0)
    abort ();   /* only a file the trusted key signed as its own is read */
  if (canary && data[0] % 2 == 1 && error != NULL && strstr (error->message, "/exported_us:") != NULL)
    abort ();
  return 0;
}

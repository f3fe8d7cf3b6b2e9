/* test-payload.c
 *
 * SPDX-FileCopyrightText: 2026 Stadtkiosk contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
#include <string.h>
#include <sys/stat.h>

#include "stadtkiosk-core.h"
#include "kiosk-test-util.h"

#define ANSWERS "{\"address\":\"Markt 1, 31134 Hildesheim\",\"description\":\"Die Straßenlaterne vor dem Haus ist seit drei Tagen dunkel.\",\"email\":\"erika@example.org\",\"name\":\"Erika Mustermann\"}"

typedef struct
{
  char            *dir;
  KioskSigningKey *signer;
  KioskCityKey    *city;
  KioskKeys       *counter;     /* city secret + the signer trusted */
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  KioskSigningKey *trusted;

  f->dir = g_dir_make_tmp ("test-payload-XXXXXX", &error);
  g_assert_no_error (error);
  f->signer = kiosk_signing_key_generate ("kiosk-bib-1", &error);
  g_assert_no_error (error);
  f->city = kiosk_city_key_generate (&error);
  g_assert_no_error (error);

  f->counter = kiosk_keys_new ();
  f->counter->city = g_memdup2 (f->city, sizeof *f->city);
  trusted = g_new0 (KioskSigningKey, 1);
  trusted->kiosk_id = g_strdup (f->signer->kiosk_id);
  memcpy (trusted->public_key, f->signer->public_key, sizeof trusted->public_key);
  g_ptr_array_add (f->counter->trusted, trusted);
}


static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  kiosk_test_rm_rf (f->dir);
  g_free (f->dir);
  kiosk_signing_key_free (f->signer);
  kiosk_city_key_free (f->city);
  kiosk_keys_free (f->counter);
}

static KioskPayloadFields
example_fields (GBytes *answers)
{
  KioskPayloadFields fields = {
    .id = "3f2a9c1e-7b4d-4e8a-9f10-2c3d4e5f6a7b",
    .short_code = "HSK-F8Z8-328N",
    .kiosk_id = "kiosk-bib-1",
    .service_id = "streetlight-defect",
    .service_version = 3,
    .locale = "de",
    .created_us = G_GINT64_CONSTANT (1795000000) * G_USEC_PER_SEC,
    .answers = answers,
  };
  return fields;
}

static GBytes *
seal_example (Fixture *f,
              gsize    cap)
{
  g_autoptr(GBytes) answers = g_bytes_new_static (ANSWERS, strlen (ANSWERS));
  KioskPayloadFields fields = example_fields (answers);
  g_autoptr(GError) error = NULL;
  GBytes *payload = kiosk_payload_seal (&fields, f->signer, f->city, FALSE, cap, &error);

  g_assert_no_error (error);
  g_assert_nonnull (payload);
  return payload;
}

static void
test_round_trip (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(GBytes) payload = seal_example (f, 650);
  g_autoptr(GBytes) decoded = NULL;
  g_autoptr(KioskPayload) opened = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = kiosk_payload_encode_qr_text (payload);
  KioskPayloadFlags flags = 0;

  g_assert_true (kiosk_payload_peek (payload, &flags, &error));
  g_assert_no_error (error);
  g_assert_cmpint (flags, ==, 0);
  g_assert_true (g_str_has_prefix (text, "575001"));
  g_assert_cmpuint (strlen (text), ==, kiosk_payload_qr_text_length (g_bytes_get_size (payload)));
  g_test_message ("payload %zu bytes, %zu digits", g_bytes_get_size (payload), strlen (text));

  decoded = kiosk_payload_decode_qr_text (text, &error);
  g_assert_no_error (error);
  g_assert_true (g_bytes_equal (decoded, payload));

  opened = kiosk_payload_open (decoded, f->counter, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (kiosk_payload_get_id (opened), ==, "3f2a9c1e-7b4d-4e8a-9f10-2c3d4e5f6a7b");
  g_assert_cmpstr (kiosk_payload_get_short_code (opened), ==, "HSK-F8Z8-328N");
  g_assert_cmpstr (kiosk_payload_get_kiosk_id (opened), ==, "kiosk-bib-1");
  g_assert_cmpstr (kiosk_payload_get_service_id (opened), ==, "streetlight-defect");
  g_assert_cmpuint (kiosk_payload_get_service_version (opened), ==, 3);
  g_assert_cmpstr (kiosk_payload_get_locale (opened), ==, "de");
  g_assert_cmpint (kiosk_payload_get_created (opened), ==, G_GINT64_CONSTANT (1795000000) * G_USEC_PER_SEC);
  g_assert_false (kiosk_payload_is_reference_only (opened));
  g_assert_false (kiosk_payload_is_demo (opened));
  g_assert_cmpmem (g_bytes_get_data (kiosk_payload_get_answers (opened), NULL),
                   g_bytes_get_size (kiosk_payload_get_answers (opened)), ANSWERS, strlen (ANSWERS));
  g_assert_finalize_object (g_steal_pointer (&opened));
}

/* Every length 0..70 bytes of every byte value survives text and back. */
static void
test_text_lengths (void)
{
  for (gsize len = 0; len <= 70; len++)
    for (guint fill = 0; fill < 256; fill += 51)
      {
        g_autofree guint8 *buf = g_malloc (len + 1);
        g_autoptr(GBytes) in = NULL;
        g_autoptr(GBytes) out = NULL;
        g_autofree char *text = NULL;
        g_autoptr(GError) error = NULL;

        for (gsize i = 0; i < len; i++)
          buf[i] = (guint8) (fill ^ (i * 37));
        in = g_bytes_new (buf, len);
        text = kiosk_payload_encode_qr_text (in);
        g_assert_cmpuint (strlen (text), ==, kiosk_payload_qr_text_length (len));
        out = kiosk_payload_decode_qr_text (text, &error);
        g_assert_no_error (error);
        g_assert_true (g_bytes_equal (in, out));
      }
}

/* What a USB scanner produces: it sends the key positions of a US (QWERTY)
 * keyboard, and the workstation reads them through a German (QWERTZ) layout. */
static gunichar
us_to_de (char c)
{
  static const char *us[] = {
    "`1234567890-=", "~!@#$%^&*()_+", "qwertyuiop[]\\", "QWERTYUIOP{}|",
    "asdfghjkl;'", "ASDFGHJKL:\"", "zxcvbnm,./", "ZXCVBNM<>?", " ",
  };
  static const char *de[] = {
    "^1234567890ß´", "°!\"§$%&/()=?`", "qwertzuiopü+#", "QWERTZUIOPÜ*'",
    "asdfghjklöä", "ASDFGHJKLÖÄ", "yxcvbnm,.-", "YXCVBNM;:_", " ",
  };

  for (guint row = 0; row < G_N_ELEMENTS (us); row++)
    {
      const char *pos = strchr (us[row], c);

      if (c != '\0' && pos != NULL)
        return g_utf8_get_char (g_utf8_offset_to_pointer (de[row], pos - us[row]));
    }
  g_assert_not_reached ();
  return 0;
}

static char *
scan_through_qwertz (const char *text)
{
  GString *s = g_string_new (NULL);

  for (const char *c = text; *c; c++)
    g_string_append_unichar (s, us_to_de (*c));
  return g_string_free (s, FALSE);
}

static void
test_scanner_layout (Fixture       *f,
                     gconstpointer  data)
{
  const char *qr_alphanumeric = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:";
  g_autoptr(GBytes) payload = seal_example (f, 650);
  g_autofree char *text = kiosk_payload_encode_qr_text (payload);
  g_autofree char *typed = scan_through_qwertz (text);
  g_autoptr(GBytes) decoded = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) moved = g_string_new (NULL);

  /* Our whole alphabet: every digit arrives as itself. */
  for (char c = '0'; c <= '9'; c++)
    g_assert_cmpint (us_to_de (c), ==, (gunichar) c);
  for (const char *c = text; *c; c++)
    g_assert_true (g_ascii_isdigit (*c));
  g_assert_cmpstr (typed, ==, text);
  decoded = kiosk_payload_decode_qr_text (typed, &error);
  g_assert_no_error (error);
  g_assert_true (g_bytes_equal (decoded, payload));

  /* Negative control: QR's alphanumeric alphabet would not survive. */
  for (const char *c = qr_alphanumeric; *c; c++)
    if (us_to_de (*c) != (gunichar) *c)
      g_string_append_c (moved, *c);
  g_assert_cmpstr (moved->str, ==, "YZ*+-/:");

  /* ...and a typed letter is reported, not half-decoded. */
  {
    g_autofree char *bad = g_strdup (text);
    g_autoptr(GBytes) none = NULL;

    bad[20] = 'Z';
    none = kiosk_payload_decode_qr_text (bad, &error);
    g_assert_null (none);
    g_assert_error (error, KIOSK_PAYLOAD_ERROR, KIOSK_PAYLOAD_ERROR_MALFORMED);
  }
}

static GBytes *
flip (GBytes *payload,
      gsize   at,
      guint8  mask)
{
  gsize len = g_bytes_get_size (payload);
  guint8 *copy = g_memdup2 (g_bytes_get_data (payload, NULL), len);

  g_assert_cmpuint (at, <, len);
  copy[at] ^= mask;
  return g_bytes_new_take (copy, len);
}

static void
test_tampered (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GBytes) payload = seal_example (f, 650);
  gsize len = g_bytes_get_size (payload);
  guint seen = 0;

  /* Every byte after the key id and length, altered, is detected. */
  for (gsize at = 10; at < len; at++)
    {
      g_autoptr(GBytes) bad = flip (payload, at, 0x01);
      g_autoptr(GError) error = NULL;
      g_autoptr(KioskPayload) opened = kiosk_payload_open (bad, f->counter, &error);

      g_assert_null (opened);
      g_assert_error (error, KIOSK_PAYLOAD_ERROR, KIOSK_PAYLOAD_ERROR_TAMPERED);
      seen++;
    }
  g_assert_cmpuint (seen, ==, len - 10);

  /* The clear header is covered by the signature: a flag flipped to
   * "demo" is detected after opening. */
  {
    g_autoptr(GBytes) bad = flip (payload, 3, KIOSK_PAYLOAD_FLAG_DEMO);
    g_autoptr(GError) error = NULL;
    g_autoptr(KioskPayload) opened = kiosk_payload_open (bad, f->counter, &error);

    g_assert_null (opened);
    g_assert_error (error, KIOSK_PAYLOAD_ERROR, KIOSK_PAYLOAD_ERROR_TAMPERED);
    g_assert_nonnull (strstr (error->message, "signature"));
  }

  /* A forgery: someone seals their own content to the (public) city key
   * with their own signing key under our kiosk's name. */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(KioskSigningKey) forger = kiosk_signing_key_generate ("kiosk-bib-1", &error);
    g_autoptr(GBytes) answers = g_bytes_new_static ("{}", 2);
    KioskPayloadFields fields = example_fields (answers);
    g_autoptr(GBytes) forged = kiosk_payload_seal (&fields, forger, f->city, FALSE, 650, &error);
    g_autoptr(KioskPayload) opened = NULL;

    g_assert_no_error (error);
    opened = kiosk_payload_open (forged, f->counter, &error);
    g_assert_null (opened);
    g_assert_error (error, KIOSK_PAYLOAD_ERROR, KIOSK_PAYLOAD_ERROR_TAMPERED);
  }

  /* Negative control: the untouched payload opens with the same keys. */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(KioskPayload) opened = kiosk_payload_open (payload, f->counter, &error);

    g_assert_no_error (error);
    g_assert_nonnull (opened);
  }
}

static void
test_truncated (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GBytes) payload = seal_example (f, 650);
  g_autofree char *text = kiosk_payload_encode_qr_text (payload);
  gsize len = g_bytes_get_size (payload);
  gsize n = strlen (text);

  for (gsize keep = 0; keep < len; keep++)
    {
      g_autoptr(GBytes) cut = g_bytes_new_from_bytes (payload, 0, keep);
      g_autoptr(GError) error = NULL;
      g_autoptr(KioskPayload) opened = kiosk_payload_open (cut, f->counter, &error);

      g_assert_null (opened);
      g_assert_error (error, KIOSK_PAYLOAD_ERROR, KIOSK_PAYLOAD_ERROR_TRUNCATED);
    }

  /* Text cut at every length: either the digits themselves are refused or
   * the bytes they make are reported as cut off; never anything else. */
  for (gsize keep = 0; keep < n; keep++)
    {
      g_autofree char *cut = g_strndup (text, keep);
      g_autoptr(GError) error = NULL;
      g_autoptr(GBytes) bytes = kiosk_payload_decode_qr_text (cut, &error);
      g_autoptr(KioskPayload) opened = NULL;

      if (bytes == NULL)
        {
          g_assert_true (g_error_matches (error, KIOSK_PAYLOAD_ERROR, KIOSK_PAYLOAD_ERROR_TRUNCATED) ||
                         g_error_matches (error, KIOSK_PAYLOAD_ERROR, KIOSK_PAYLOAD_ERROR_MALFORMED) ||
                         (keep == 0 && g_error_matches (error, KIOSK_PAYLOAD_ERROR, KIOSK_PAYLOAD_ERROR_NOT_PAYLOAD)));
          continue;
        }
      opened = kiosk_payload_open (bytes, f->counter, &error);
      g_assert_null (opened);
      g_assert_error (error, KIOSK_PAYLOAD_ERROR, KIOSK_PAYLOAD_ERROR_TRUNCATED);
    }

  /* Trailing bytes (two payloads run together) are not "truncated". */
  {
    g_autoptr(GByteArray) twice = g_byte_array_new ();
    g_autoptr(GBytes) bytes = NULL;
    g_autoptr(GError) error = NULL;
    g_autoptr(KioskPayload) opened = NULL;

    g_byte_array_append (twice, g_bytes_get_data (payload, NULL), (guint) len);
    g_byte_array_append (twice, g_bytes_get_data (payload, NULL), (guint) len);
    bytes = g_byte_array_free_to_bytes (g_steal_pointer (&twice));
    opened = kiosk_payload_open (bytes, f->counter, &error);
    g_assert_null (opened);
    g_assert_error (error, KIOSK_PAYLOAD_ERROR, KIOSK_PAYLOAD_ERROR_MALFORMED);
  }
}

static void
test_wrong_keys (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(GBytes) payload = seal_example (f, 650);
  g_autoptr(GError) error = NULL;

  /* Another city's key. */
  {
    g_autoptr(KioskKeys) other = kiosk_keys_new ();
    g_autoptr(KioskPayload) opened = NULL;

    other->city = kiosk_city_key_generate (&error);
    g_assert_no_error (error);
    g_ptr_array_add (other->trusted, g_steal_pointer (&f->counter->trusted->pdata[0]));
    g_ptr_array_remove_index (f->counter->trusted, 0);
    opened = kiosk_payload_open (payload, other, &error);
    g_assert_null (opened);
    g_assert_error (error, KIOSK_PAYLOAD_ERROR, KIOSK_PAYLOAD_ERROR_WRONG_CITY_KEY);
    g_clear_error (&error);

    /* The right city key, but the kiosk is not trusted here (the trusted
     * entry moved to @other above). */
    opened = kiosk_payload_open (payload, f->counter, &error);
    g_assert_null (opened);
    g_assert_error (error, KIOSK_PAYLOAD_ERROR, KIOSK_PAYLOAD_ERROR_UNKNOWN_KIOSK);
    g_assert_nonnull (strstr (error->message, "kiosk-bib-1"));
  }
}

static void
test_future_version (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GBytes) payload = seal_example (f, 650);
  g_autoptr(GBytes) v2 = flip (payload, 2, 0x01 ^ 0x02);
  g_autoptr(GBytes) flags = flip (payload, 3, 0x80);
  g_autofree char *text = kiosk_payload_encode_qr_text (payload);
  g_autoptr(GError) error = NULL;
  g_autoptr(KioskPayload) opened = NULL;
  g_autoptr(GBytes) bytes = NULL;

  opened = kiosk_payload_open (v2, f->counter, &error);
  g_assert_error (error, KIOSK_PAYLOAD_ERROR, KIOSK_PAYLOAD_ERROR_FUTURE_VERSION);
  g_clear_error (&error);
  opened = kiosk_payload_open (flags, f->counter, &error);
  g_assert_error (error, KIOSK_PAYLOAD_ERROR, KIOSK_PAYLOAD_ERROR_FUTURE_VERSION);
  g_clear_error (&error);

  text[5] = '2';   /* "575002…" */
  bytes = kiosk_payload_decode_qr_text (text, &error);
  g_assert_null (bytes);
  g_assert_error (error, KIOSK_PAYLOAD_ERROR, KIOSK_PAYLOAD_ERROR_FUTURE_VERSION);
  g_clear_error (&error);

  bytes = kiosk_payload_decode_qr_text ("4006381333931", &error);   /* an EAN, say */
  g_assert_null (bytes);
  g_assert_error (error, KIOSK_PAYLOAD_ERROR, KIOSK_PAYLOAD_ERROR_NOT_PAYLOAD);
}

static void
test_cap (Fixture       *f,
          gconstpointer  data)
{
  g_autoptr(GString) big = g_string_new ("{\"description\":\"");
  g_autoptr(GBytes) answers = NULL;
  g_autoptr(GBytes) payload = NULL;
  g_autoptr(KioskPayload) opened = NULL;
  g_autoptr(GError) error = NULL;
  KioskPayloadFields fields;
  KioskPayloadFlags flags = 0;
  guint32 seed = 42;

  /* Incompressible text, so deflate cannot rescue it. */
  for (guint i = 0; i < 2000; i++)
    {
      seed = seed * 1103515245 + 12345;
      g_string_append_c (big, "abcdefghijklmnopqrstuvwxyz0123456789 "[(seed >> 16) % 37]);
    }
  g_string_append (big, "\"}");
  answers = g_bytes_new (big->str, big->len);
  fields = example_fields (answers);

  payload = kiosk_payload_seal (&fields, f->signer, f->city, FALSE, 650, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_bytes_get_size (payload), <=, 650);
  g_assert_true (kiosk_payload_peek (payload, &flags, &error));
  g_assert_cmpint (flags & KIOSK_PAYLOAD_FLAG_REFERENCE_ONLY, !=, 0);

  opened = kiosk_payload_open (payload, f->counter, &error);
  g_assert_no_error (error);
  g_assert_true (kiosk_payload_is_reference_only (opened));
  g_assert_cmpstr (kiosk_payload_get_short_code (opened), ==, "HSK-F8Z8-328N");
  g_assert_null (kiosk_payload_get_service_id (opened));
  g_assert_null (kiosk_payload_get_answers (opened));
  g_clear_object (&opened);

  /* Without a cap (at rest) the whole request is kept. */
  g_bytes_unref (payload);
  payload = kiosk_payload_seal (&fields, f->signer, f->city, FALSE, 0, &error);
  g_assert_no_error (error);
  opened = kiosk_payload_open (payload, f->counter, &error);
  g_assert_no_error (error);
  g_assert_false (kiosk_payload_is_reference_only (opened));
  g_assert_true (g_bytes_equal (kiosk_payload_get_answers (opened), answers));

  /* A cap too small even for the reference is an error, not a bad QR. */
  g_clear_pointer (&payload, g_bytes_unref);
  payload = kiosk_payload_seal (&fields, f->signer, f->city, FALSE, 100, &error);
  g_assert_null (payload);
  g_assert_error (error, KIOSK_PAYLOAD_ERROR, KIOSK_PAYLOAD_ERROR_TOO_LARGE);
}

static void
test_key_files (Fixture       *f,
                gconstpointer  data)
{
  g_autofree char *sk = g_build_filename (f->dir, "k", "signing.key", NULL);
  g_autofree char *pk = g_build_filename (f->dir, "k", "kiosk.pub", NULL);
  g_autofree char *csk = g_build_filename (f->dir, "k", "city.key", NULL);
  g_autofree char *cpk = g_build_filename (f->dir, "k", "city.pub", NULL);
  g_autoptr(KioskSigningKey) s = NULL;
  g_autoptr(KioskCityKey) c = NULL;
  g_autoptr(GError) error = NULL;
  GStatBuf st;

  g_assert_true (kiosk_signing_key_save (f->signer, sk, &error));
  g_assert_true (kiosk_signing_key_save_public (f->signer, pk, &error));
  g_assert_true (kiosk_city_key_save_secret (f->city, csk, &error));
  g_assert_true (kiosk_city_key_save_public (f->city, cpk, &error));
  g_assert_no_error (error);
  g_assert_cmpint (g_stat (sk, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
  g_assert_cmpint (g_stat (csk, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);

  s = kiosk_signing_key_load (sk, &error);
  g_assert_no_error (error);
  g_assert_true (s->has_secret);
  g_assert_cmpmem (s->secret_key, sizeof s->secret_key, f->signer->secret_key, sizeof f->signer->secret_key);
  g_clear_pointer (&s, kiosk_signing_key_free);
  s = kiosk_signing_key_load (pk, &error);
  g_assert_no_error (error);
  g_assert_false (s->has_secret);
  g_assert_cmpstr (s->kiosk_id, ==, "kiosk-bib-1");
  g_clear_pointer (&s, kiosk_signing_key_free);

  c = kiosk_city_key_load (csk, TRUE, &error);
  g_assert_no_error (error);
  g_assert_true (c->has_secret);
  g_clear_pointer (&c, kiosk_city_key_free);

  /* Public key where the secret is needed; wrong kind; missing; insecure. */
  c = kiosk_city_key_load (cpk, TRUE, &error);
  g_assert_error (error, KIOSK_KEYS_ERROR, KIOSK_KEYS_ERROR_WRONG_KIND);
  g_clear_error (&error);
  c = kiosk_city_key_load (sk, FALSE, &error);
  g_assert_error (error, KIOSK_KEYS_ERROR, KIOSK_KEYS_ERROR_WRONG_KIND);
  g_clear_error (&error);
  s = kiosk_signing_key_load (cpk, &error);
  g_assert_error (error, KIOSK_KEYS_ERROR, KIOSK_KEYS_ERROR_WRONG_KIND);
  g_clear_error (&error);
  s = kiosk_signing_key_load ("/nonexistent/signing.key", &error);
  g_assert_error (error, KIOSK_KEYS_ERROR, KIOSK_KEYS_ERROR_MISSING);
  g_assert_nonnull (strstr (error->message, "/nonexistent/signing.key"));
  g_clear_error (&error);
  g_assert_cmpint (g_chmod (sk, 0644), ==, 0);
  s = kiosk_signing_key_load (sk, &error);
  g_assert_null (s);
  g_assert_error (error, KIOSK_KEYS_ERROR, KIOSK_KEYS_ERROR_INSECURE);
  g_assert_nonnull (strstr (error->message, "chmod 600"));
  g_clear_error (&error);

  /* A damaged key. */
  g_assert_true (g_file_set_contents (cpk, "[Stadtkiosk City Public Key]\npublic-key=AAAA\n", -1, NULL));
  c = kiosk_city_key_load (cpk, FALSE, &error);
  g_assert_error (error, KIOSK_KEYS_ERROR, KIOSK_KEYS_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_true (g_file_set_contents (cpk, "hello\n", -1, NULL));
  c = kiosk_city_key_load (cpk, FALSE, &error);
  g_assert_error (error, KIOSK_KEYS_ERROR, KIOSK_KEYS_ERROR_INVALID);
}

static KioskConfig *
config_for (Fixture    *f,
            const char *extra)
{
  g_autofree char *path = g_build_filename (f->dir, "kiosk.conf", NULL);
  g_autofree char *state = g_build_filename (f->dir, "state", NULL);
  g_autofree char *text = g_strdup_printf ("[kiosk]\nid=kiosk-bib-1\nstate-dir=%s\n%s", state, extra);
  g_autoptr(GError) error = NULL;
  KioskConfig *config;

  g_assert_true (g_file_set_contents (path, text, -1, NULL));
  config = kiosk_config_new_from_file (path, &error);
  g_assert_no_error (error);
  return config;
}

static void
test_config_keys (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KioskConfig) real = config_for (f, "[keys]\nmode=real\n");
  g_autoptr(KioskConfig) demo = NULL;
  g_autoptr(KioskKeys) keys = NULL;
  g_autoptr(KioskKeys) counter = NULL;

  /* Real mode without keys: a clear error naming the key and the fix. */
  keys = kiosk_keys_load_for_kiosk (real, &error);
  g_assert_null (keys);
  g_assert_error (error, KIOSK_KEYS_ERROR, KIOSK_KEYS_ERROR_MISSING);
  g_assert_nonnull (strstr (error->message, "[keys] signing-key"));
  g_assert_nonnull (strstr (error->message, "stadtkioskctl keys generate"));
  g_clear_error (&error);
  g_clear_object (&real);

  /* Demo mode makes its keys; a counter with the same state dir opens. */
  demo = config_for (f, "[keys]\nmode=demo\n");
  keys = kiosk_keys_load_for_kiosk (demo, &error);
  g_assert_no_error (error);
  g_assert_true (keys->demo);
  g_assert_false (keys->city->has_secret);
  counter = kiosk_keys_load_for_counter (demo, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (counter->city->has_secret);
  g_assert_nonnull (kiosk_keys_find_trusted (counter, "kiosk-bib-1"));

  {
    g_autoptr(GBytes) answers = g_bytes_new_static ("{}", 2);
    KioskPayloadFields fields = example_fields (answers);
    g_autoptr(GBytes) payload = kiosk_payload_seal (&fields, keys->signing, keys->city, keys->demo, 650, &error);
    g_autoptr(KioskPayload) opened = kiosk_payload_open (payload, counter, &error);

    g_assert_no_error (error);
    g_assert_true (kiosk_payload_is_demo (opened));
  }

  /* Real mode with files in the default places works too. */
  {
    g_autofree char *sk = g_build_filename (f->dir, "state", "kiosk-signing.key", NULL);
    g_autofree char *cpk = g_build_filename (f->dir, "state", "city-public.key", NULL);
    g_autoptr(KioskKeys) k2 = NULL;

    g_assert_true (kiosk_signing_key_save (f->signer, sk, &error));
    g_assert_true (kiosk_city_key_save_public (f->city, cpk, &error));
    real = config_for (f, "[keys]\nmode=real\n");
    k2 = kiosk_keys_load_for_kiosk (real, &error);
    g_assert_no_error (error);
    g_assert_false (k2->demo);
  }
}

static void
test_at_rest (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KioskConfig) config = config_for (f, "[keys]\nmode=demo\n");
  g_autoptr(KioskContext) context = kiosk_context_new (config, NULL, &error);
  g_autoptr(GBytes) answers = g_bytes_new_static (ANSWERS, strlen (ANSWERS));
  g_autoptr(GBytes) sealed = NULL;
  g_autoptr(KioskRequest) request = NULL;
  g_autoptr(KioskKeys) counter = NULL;
  g_autoptr(KioskPayload) opened = NULL;
  g_autofree char *id = g_uuid_string_random ();
  g_autofree char *code = NULL;
  KioskRequestDraft draft = { 0 };
  GBytes *stored;

  g_assert_no_error (error);
  code = kiosk_outbox_new_short_code (kiosk_context_get_outbox (context));
  draft.id = id;
  draft.short_code = code;
  draft.service_id = "streetlight-defect";
  draft.service_version = 3;
  draft.locale = "de";
  draft.answers = answers;
  draft.answers_format = KIOSK_ANSWERS_JSON;

  g_assert_true (kiosk_sealer_seal_at_rest (kiosk_context_get_config (context),
                                            kiosk_context_get_clock (context),
                                            &draft, &sealed, &error));
  g_assert_no_error (error);
  g_assert_nonnull (sealed);
  g_assert_true (draft.answers == sealed);
  g_assert_cmpint (draft.answers_format, ==, KIOSK_ANSWERS_SEALED);
  g_assert_cmpint (draft.created_us, >, 0);

  request = kiosk_outbox_enqueue (kiosk_context_get_outbox (context), &draft, "test", &error);
  g_assert_no_error (error);
  stored = kiosk_request_get_answers (request);
  g_assert_cmpint (kiosk_request_get_answers_format (request), ==, KIOSK_ANSWERS_SEALED);
  /* The clear answers are nowhere in what was stored. */
  g_assert_null (g_strstr_len (g_bytes_get_data (stored, NULL), (gssize) g_bytes_get_size (stored), "Mustermann"));

  counter = kiosk_keys_load_for_counter (config, NULL, NULL, &error);
  g_assert_no_error (error);
  opened = kiosk_payload_open (stored, counter, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (kiosk_payload_get_id (opened), ==, id);
  g_assert_cmpint (kiosk_payload_get_created (opened), ==,
                   kiosk_request_get_created (request) / G_USEC_PER_SEC * G_USEC_PER_SEC);
  g_assert_true (g_bytes_equal (kiosk_payload_get_answers (opened), answers));

  /* Without a city key (real mode, none configured) the draft is left alone. */
  {
    g_autoptr(KioskConfig) plain_config = NULL;
    g_autoptr(KioskContext) plain = NULL;
    g_autoptr(GBytes) none = NULL;
    KioskRequestDraft d2 = draft;
    g_autofree char *state2 = g_build_filename (f->dir, "state2", NULL);

    plain_config = config_for (f, "[keys]\nmode=real\n");
    kiosk_config_set_state_dir (plain_config, state2);
    plain = kiosk_context_new (plain_config, NULL, &error);
    g_assert_no_error (error);
    d2.answers = answers;
    d2.answers_format = KIOSK_ANSWERS_JSON;
    g_assert_true (kiosk_sealer_seal_at_rest (kiosk_context_get_config (plain),
                                              kiosk_context_get_clock (plain),
                                              &d2, &none, &error));
    g_assert_no_error (error);
    g_assert_null (none);
    g_assert_cmpint (d2.answers_format, ==, KIOSK_ANSWERS_JSON);
  }
}

/* The counter imports a scanned receipt: same id, code and time, the
 * kiosk's sealed payload kept; a second scan is refused as a duplicate. */
static void
test_import (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KioskConfig) config = config_for (f, "[keys]\nmode=real\n");
  g_autoptr(KioskContext) counter = kiosk_context_new (config, NULL, &error);
  g_autoptr(GBytes) payload = seal_example (f, 650);
  g_autoptr(KioskPayload) opened = kiosk_payload_open (payload, f->counter, &error);
  g_autoptr(KioskRequest) request = NULL;
  g_autoptr(KioskRequest) again = NULL;
  g_autoptr(KioskPayload) reopened = NULL;
  KioskRequestDraft draft;

  g_assert_no_error (error);
  g_assert_true (kiosk_payload_fill_draft (opened, payload, &draft, &error));
  request = kiosk_outbox_enqueue (kiosk_context_get_outbox (counter), &draft, "counter", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (kiosk_request_get_id (request), ==, "3f2a9c1e-7b4d-4e8a-9f10-2c3d4e5f6a7b");
  g_assert_cmpstr (kiosk_request_get_short_code (request), ==, "HSK-F8Z8-328N");
  g_assert_cmpint (kiosk_request_get_created (request), ==, G_GINT64_CONSTANT (1795000000) * G_USEC_PER_SEC);
  g_assert_cmpint (kiosk_request_get_flags (request) & KIOSK_REQUEST_FLAG_IMPORTED, !=, 0);
  g_assert_cmpint (kiosk_request_get_answers_format (request), ==, KIOSK_ANSWERS_SEALED);
  reopened = kiosk_payload_open (kiosk_request_get_answers (request), f->counter, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (kiosk_payload_get_service_id (reopened), ==, "streetlight-defect");

  again = kiosk_outbox_enqueue (kiosk_context_get_outbox (counter), &draft, "counter", &error);
  g_assert_null (again);
  g_assert_error (error, KIOSK_OUTBOX_ERROR, KIOSK_OUTBOX_ERROR_EXISTS);
  g_clear_error (&error);

  /* A reference-only slip cannot be imported. */
  {
    g_autoptr(GBytes) answers = g_bytes_new_static ("{}", 2);
    KioskPayloadFields fields = example_fields (answers);
    g_autoptr(GBytes) ref = kiosk_payload_seal_reference (&fields, f->signer, f->city, FALSE, &error);
    g_autoptr(KioskPayload) ref_opened = kiosk_payload_open (ref, f->counter, &error);

    g_assert_no_error (error);
    g_assert_false (kiosk_payload_fill_draft (ref_opened, ref, &draft, &error));
    g_assert_error (error, KIOSK_PAYLOAD_ERROR, KIOSK_PAYLOAD_ERROR_INVALID);
    g_assert_nonnull (strstr (error->message, "kiosk-bib-1"));
  }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/kiosk/payload/round-trip", test_round_trip);
  g_test_add_func ("/kiosk/payload/text-lengths", test_text_lengths);
  ADD ("/kiosk/payload/scanner-layout", test_scanner_layout);
  ADD ("/kiosk/payload/tampered", test_tampered);
  ADD ("/kiosk/payload/truncated", test_truncated);
  ADD ("/kiosk/payload/wrong-keys", test_wrong_keys);
  ADD ("/kiosk/payload/future-version", test_future_version);
  ADD ("/kiosk/payload/cap", test_cap);
  ADD ("/kiosk/payload/key-files", test_key_files);
  ADD ("/kiosk/payload/config-keys", test_config_keys);
  ADD ("/kiosk/payload/at-rest", test_at_rest);
  ADD ("/kiosk/payload/import", test_import);
#undef ADD

  return g_test_run ();
}

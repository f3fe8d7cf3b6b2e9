/* test-ctl-receipt.c: stadtkioskctl keys … and receipt …
 *
 * SPDX-FileCopyrightText: 2026 Stadtkiosk contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <string.h>
#include <sys/stat.h>

#include "stadtkiosk-core.h"
#include "kiosk-test-zbar.h"

static char *dir;
static char *conf;

static int
ctl (char       **out,
     char       **err,
     const char  *first,
     ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) env = g_get_environ ();
  const char *arg;
  int status = 0;
  va_list ap;

  g_ptr_array_add (argv, (char *) g_getenv ("STADTKIOSK_CTL"));
  g_ptr_array_add (argv, "--config");
  g_ptr_array_add (argv, conf);
  va_start (ap, first);
  for (arg = first; arg != NULL; arg = va_arg (ap, const char *))
    g_ptr_array_add (argv, (char *) arg);
  va_end (ap);
  g_ptr_array_add (argv, NULL);
  env = g_environ_setenv (env, "LANGUAGE", "C", TRUE);

  g_assert_true (g_spawn_sync (NULL, (char **) argv->pdata, env, G_SPAWN_DEFAULT, NULL, NULL,
                               out, err, &status, &error));
  g_assert_no_error (error);
  g_assert_true (WIFEXITED (status));
  return WEXITSTATUS (status);
}

static char *
path (const char *name)
{
  return g_build_filename (dir, name, NULL);
}

static void
write_conf (const char *mode)
{
  g_autofree char *text = g_strdup_printf ("[kiosk]\nid=kiosk-rathaus\nstate-dir=%s/state\n[keys]\nmode=%s\n",
                                           dir, mode);
  g_assert_true (g_file_set_contents (conf, text, -1, NULL));
}

static char *
reason_of (const char *json)
{
  g_autoptr(JsonNode) node = json_from_string (json, NULL);

  g_assert_nonnull (node);
  return g_strdup (json_object_get_string_member (json_node_get_object (node), "reason"));
}

static char *
reencode_modified (const char *text,
                   gssize      truncate_to,
                   gssize      flip_at)
{
  g_autoptr(GBytes) bytes = kiosk_payload_decode_qr_text (text, NULL);
  gsize len = g_bytes_get_size (bytes);
  g_autofree guint8 *copy = g_memdup2 (g_bytes_get_data (bytes, NULL), len);
  g_autoptr(GBytes) changed = NULL;

  if (flip_at >= 0)
    copy[flip_at] ^= 0x20;
  changed = g_bytes_new (copy, truncate_to >= 0 ? (gsize) truncate_to : len);
  return kiosk_payload_encode_qr_text (changed);
}

static void
test_real_keys (void)
{
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *city_secret = path ("city.key");
  g_autofree char *city_public = path ("city.pub");
  g_autofree char *other_secret = path ("other-city.key");
  g_autofree char *other_public = path ("other-city.pub");
  g_autofree char *signing = path ("state/kiosk-signing.key");
  g_autofree char *kiosk_pub = path ("state/kiosk-signing.key.pub");
  g_autofree char *stranger = path ("stranger.key");
  g_autofree char *stranger_pub = path ("stranger.key.pub");
  g_autofree char *other_kiosk_pub = path ("kiosk-bahnhof.pub");
  g_autofree char *answers = path ("answers.json");
  g_autofree char *png = path ("receipt.png");
  g_autofree char *text = NULL;
  g_autofree char *code = NULL;
  g_autoptr(GPtrArray) found = NULL;
  GStatBuf st;

  write_conf ("real");
  /* enqueue checks the answers against the catalogue's bulky-waste service. */
  g_assert_true (g_file_set_contents (answers, "{\"items\":[\"other\"],\"items-other\":\"Sperrmüll\",\"volume\":1,"
                                      "\"address\":{\"street\":\"Markt\",\"house_number\":\"1\",\"postal_code\":\"31134\","
                                      "\"city\":\"Hildesheim\"},\"name\":\"Erika Mustermann\",\"phone\":\"05121 1\","
                                      "\"privacy\":true}", -1, NULL));
  g_assert_cmpint (ctl (&out, &err, "init", NULL), ==, 0);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  /* No keys yet: rendering a receipt fails and says how to fix it. */
  g_assert_cmpint (ctl (&out, NULL, "enqueue", "--service", "bulky-waste", "--answers", answers, NULL), ==, 0);
  code = g_strdup (strchr (g_strstrip (out), ' ') + 1);
  g_clear_pointer (&out, g_free);
  g_assert_cmpint (ctl (NULL, &err, "receipt", "render", code, "--format", "png", "--output", png, NULL), ==, 1);
  g_assert_nonnull (strstr (err, "keys generate"));
  g_clear_pointer (&err, g_free);

  /* Keys. */
  g_assert_cmpint (ctl (&out, &err, "keys", "generate", NULL), ==, 0);
  g_assert_nonnull (strstr (out, "[Stadtkiosk Kiosk Public Key]"));
  g_assert_cmpint (g_stat (signing, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (ctl (NULL, &err, "keys", "generate", NULL), ==, 1);   /* would overwrite */
  g_assert_nonnull (strstr (err, "--force"));
  g_clear_pointer (&err, g_free);
  /* An impostor: a new key under this kiosk's name. */
  g_assert_cmpint (ctl (&out, NULL, "keys", "generate", "--output", stranger, NULL), ==, 0);
  g_clear_pointer (&out, g_free);
  /* Another kiosk's key. */
  {
    g_autoptr(KioskSigningKey) other = kiosk_signing_key_generate ("kiosk-bahnhof", NULL);
    g_assert_true (kiosk_signing_key_save_public (other, other_kiosk_pub, NULL));
  }

  g_assert_cmpint (ctl (&out, NULL, "keys", "generate-city", "--secret", city_secret, "--public", city_public, NULL), ==, 0);
  g_clear_pointer (&out, g_free);
  g_assert_cmpint (g_stat (city_secret, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
  g_assert_cmpint (ctl (&out, NULL, "keys", "generate-city", "--secret", other_secret, "--public", other_public, NULL), ==, 0);
  g_clear_pointer (&out, g_free);

  g_assert_cmpint (ctl (NULL, &err, "keys", "import-city", city_secret, NULL), ==, 1);   /* the secret one */
  g_assert_nonnull (strstr (err, "SECRET"));
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (ctl (&out, NULL, "keys", "import-city", city_public, NULL), ==, 0);
  g_clear_pointer (&out, g_free);

  /* Render, scan, decode. */
  g_assert_cmpint (ctl (&out, NULL, "receipt", "render", code, "--format", "png", "--output", png, NULL), ==, 0);
  g_clear_pointer (&out, g_free);
  found = kiosk_test_zbar_scan_png (png);
  g_assert_cmpuint (found->len, ==, 1);
  text = g_strdup (found->pdata[0]);

  g_assert_cmpint (ctl (&out, &err, "receipt", "decode", text, "--city-key", city_secret,
                        "--trust", kiosk_pub, "--json", NULL), ==, 0);
  g_assert_nonnull (strstr (out, code));
  g_assert_nonnull (strstr (out, "Sperrmüll"));
  g_assert_nonnull (strstr (out, "\"demo\" : false"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  /* The counter imports it (its own database); a second scan is known. */
  {
    g_autofree char *counter_state = path ("counter-state");

    g_assert_cmpint (ctl (&out, &err, "--state-dir", counter_state, "receipt", "import", text,
                          "--city-key", city_secret, "--trust", kiosk_pub, "--json", NULL), ==, 0);
    g_assert_nonnull (strstr (out, code));
    g_assert_nonnull (strstr (out, "\"already_known\" : false"));
    g_assert_nonnull (strstr (out, "\"answers_format\" : \"sealed\""));
    g_clear_pointer (&out, g_free);
    g_clear_pointer (&err, g_free);
    g_assert_cmpint (ctl (&out, &err, "--state-dir", counter_state, "receipt", "import", text,
                          "--city-key", city_secret, "--trust", kiosk_pub, "--json", NULL), ==, 0);
    g_assert_nonnull (strstr (out, "\"already_known\" : true"));
    g_clear_pointer (&out, g_free);
    g_clear_pointer (&err, g_free);
  }

  /* Each failure has its own reason. */
  {
    struct { const char *reason; char *text; const char *city; const char *trust; } cases[] = {
      { "tampered", reencode_modified (text, -1, 100), city_secret, kiosk_pub },
      { "truncated", reencode_modified (text, 120, -1), city_secret, kiosk_pub },
      { "unknown-kiosk", g_strdup (text), city_secret, other_kiosk_pub },
      { "tampered", g_strdup (text), city_secret, stranger_pub },
      { "wrong-city-key", g_strdup (text), other_secret, kiosk_pub },
      { "future-version", g_strconcat ("575002", text + 6, NULL), city_secret, kiosk_pub },
      { "not-a-receipt", g_strdup ("4006381333931"), city_secret, kiosk_pub },
      { "malformed", g_strdup ("5750019999"), city_secret, kiosk_pub },
    };

    for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
      {
        g_autofree char *reason = NULL;

        g_assert_cmpint (ctl (&out, &err, "receipt", "decode", cases[i].text, "--city-key", cases[i].city,
                              "--trust", cases[i].trust, "--json", NULL), ==, 1);
        reason = reason_of (out);
        g_assert_cmpstr (reason, ==, cases[i].reason);
        g_assert_true (g_str_has_prefix (err, "stadtkioskctl: receipt "));
        g_test_message ("%s: %s", cases[i].reason, err);
        g_clear_pointer (&out, g_free);
        g_clear_pointer (&err, g_free);
        g_free (cases[i].text);
      }
  }

  /* Other formats. */
  {
    g_autofree char *pdf = path ("receipt.pdf");
    g_autofree char *bin = path ("receipt.bin");

    g_assert_cmpint (ctl (&out, NULL, "receipt", "render", code, "--format", "pdf", "--output", pdf,
                          "--width", "58", NULL), ==, 0);
    g_clear_pointer (&out, g_free);
    g_assert_cmpint (ctl (&out, NULL, "receipt", "render", code, "--format", "escpos", "--output", bin, NULL), ==, 0);
    g_clear_pointer (&out, g_free);
    g_assert_cmpint (ctl (NULL, NULL, "receipt", "render", code, "--format", "gif", "--output", bin, NULL), ==, 2);
    g_assert_cmpint (ctl (NULL, NULL, "receipt", "decode", NULL), ==, 2);
  }
}

/* The form for a `print` service's request and the refer slip, from the
 * command line (runs after real-keys: same config and keys). */
static void
test_render_slips (void)
{
  g_autofree char *answers = path ("certificate.json");
  g_autofree char *png = path ("refer.png");
  g_autofree char *form = path ("form.pdf");
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr(GPtrArray) found = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_auto(GStrv) words = NULL;
  JsonObject *o;

  g_assert_true (g_file_set_contents (answers,
                                      "{\"address\":{\"city\":\"Hildesheim\",\"house_number\":\"12\","
                                      "\"postal_code\":\"31134\",\"street\":\"Almsstraße\"},\"birth-date\":\"1970-01-31\","
                                      "\"copies\":1,\"kind\":\"simple\",\"name\":\"Erika Mustermann\"}", -1, NULL));
  g_assert_cmpint (ctl (&out, NULL, "enqueue", "--service", "residence-certificate", "--answers", answers, NULL), ==, 0);
  words = g_strsplit (g_strstrip (out), " ", -1);
  g_assert_nonnull (words[1]);
  g_clear_pointer (&out, g_free);
  g_assert_cmpint (ctl (&out, NULL, "--json", "receipt", "render", words[1], "--format", "pdf", "--output", form, NULL), ==, 0);
  g_assert_true (json_parser_load_from_data (parser, out, -1, NULL));
  o = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpstr (json_object_get_string_member (o, "layout"), ==, "form");
  g_clear_pointer (&out, g_free);

  g_assert_cmpint (ctl (&out, NULL, "--json", "receipt", "render-refer", "resident-parking",
                        "--format", "png", "--output", png, NULL), ==, 0);
  g_assert_true (json_parser_load_from_data (parser, out, -1, NULL));
  o = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpstr (json_object_get_string_member (o, "layout"), ==, "refer");
  g_assert_cmpstr (json_object_get_string_member (o, "url"), ==, "https://www.hildesheim.de");
  found = kiosk_test_zbar_scan_png (png);
  g_assert_cmpuint (found->len, ==, 1);
  g_assert_cmpstr (found->pdata[0], ==, "https://www.hildesheim.de");
  g_clear_pointer (&out, g_free);

  g_assert_cmpint (ctl (NULL, &err, "receipt", "render-refer", "residence-certificate",
                        "--format", "png", "--output", png, NULL), ==, 1);
  g_assert_nonnull (strstr (err, "not a \"refer\" service"));
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (ctl (NULL, &err, "receipt", "render-refer", "no-such-service",
                        "--format", "png", "--output", png, NULL), ==, 1);
  g_assert_nonnull (strstr (err, "not in the catalogue"));
  g_assert_cmpint (ctl (NULL, NULL, "receipt", "render-refer", "resident-parking", NULL), ==, 2);
}

int
main (int    argc,
      char **argv)
{
  int status;

  g_test_init (&argc, &argv, NULL);
  dir = g_dir_make_tmp ("test-ctl-receipt-XXXXXX", NULL);
  conf = g_build_filename (dir, "kiosk.conf", NULL);

  g_test_add_func ("/kiosk/ctl-receipt/real-keys", test_real_keys);
  g_test_add_func ("/kiosk/ctl-receipt/render-slips", test_render_slips);

  status = g_test_run ();
  if (g_getenv ("KIOSK_KEEP_TEST_DIR") == NULL)
    {
      g_autofree char *cmd = g_strdup_printf ("rm -rf '%s'", dir);
      g_assert_true (g_spawn_command_line_sync (cmd, NULL, NULL, NULL, NULL));
    }
  g_free (conf);
  g_free (dir);
  return status;
}

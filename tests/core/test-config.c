/* test-config.c
 *
 * SPDX-FileCopyrightText: 2026 Stadtkiosk contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "kiosk-config.h"

static void
test_defaults (void)
{
  g_autoptr(KioskConfig) config = kiosk_config_new_default ();

  g_assert_cmpstr (kiosk_config_get_code_prefix (config), ==, "HSK");
  g_assert_cmpstr (kiosk_config_get_state_dir (config), ==, "/var/lib/stadtkiosk");
  g_assert_true (g_strv_contains (kiosk_config_get_languages (config), "de"));
  g_assert_cmpuint (kiosk_config_get_paper_width (config), ==, 80);
  g_assert_cmpstr (kiosk_config_get_backend_url (config), ==, "");
  g_assert_false (kiosk_config_get_keys_demo (config));
  g_assert_cmpuint (g_strv_length ((GStrv) kiosk_config_get_postal_codes (config)), ==, 8);
  g_assert_cmpstr (kiosk_config_get_signing_key_file (config), ==, "/var/lib/stadtkiosk/kiosk-signing.key");
  g_assert_cmpstr (kiosk_config_get_speech (config), ==, "button");
  g_assert_finalize_object (g_steal_pointer (&config));
}

static void
test_good_file (void)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "fixtures", "config", "good.conf", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(KioskConfig) config = kiosk_config_new_from_file (path, &error);
  const char * const *codes;

  g_assert_no_error (error);
  g_assert_cmpstr (kiosk_config_get_kiosk_id (config), ==, "bib-hildesheim-1");
  g_assert_cmpstr (kiosk_config_get_location (config), ==, "Stadtbibliothek Hildesheim, Judenstraße 1");
  g_assert_cmpuint (kiosk_config_get_idle_timeout (config), ==, 120);
  g_assert_cmpuint (kiosk_config_get_idle_warning (config), ==, 20);
  /* the trailing slash is dropped so paths can be appended */
  g_assert_cmpstr (kiosk_config_get_backend_url (config), ==, "https://kiosk-api.hildesheim.example");
  g_assert_cmpuint (kiosk_config_get_sync_interval (config), ==, 30);
  g_assert_cmpstr (kiosk_config_get_printer (config), ==, "escpos:192.0.2.10:9100");
  g_assert_cmpuint (kiosk_config_get_paper_width (config), ==, 58);
  g_assert_cmpuint (g_strv_length ((GStrv) kiosk_config_get_languages (config)), ==, 3);
  codes = kiosk_config_get_postal_codes (config);
  g_assert_cmpuint (g_strv_length ((GStrv) codes), ==, 5);
  g_assert_true (g_strv_contains (codes, "31135"));
  g_assert_true (g_strv_contains (codes, "31141"));
  g_assert_false (g_strv_contains (codes, "31138"));
  g_assert_cmpuint (g_strv_length ((GStrv) kiosk_config_get_warnings (config)), ==, 0);

  kiosk_config_set_state_dir (config, "/tmp/elsewhere");
  g_assert_cmpstr (kiosk_config_get_signing_key_file (config), ==, "/tmp/elsewhere/kiosk-signing.key");
}

/* Every bad value is reported at once, each naming file, group, key, value
 * and what is allowed. */
static void
test_bad_file (void)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "fixtures", "config", "bad.conf", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(KioskConfig) config = kiosk_config_new_from_file (path, &error);
  g_auto(GStrv) lines = NULL;
  const char *expected[] = {
    "[kiosk] id = 'Bib Hildesheim': expected 1 to 32 characters: lower-case letters",
    "[kiosk] code-prefix = 'HIL': expected 2 to 4 characters of 0-9 and A-Z without I, L, O, U",
    "[kiosk] city = '31134': expected the name of a place: letters, at most 60 characters",
    "[kiosk] state-dir = 'relative/dir': expected an absolute path",
    "[kiosk] languages = 'en;fr;': expected language codes from de, en, ar, tr, uk, ru, pl",
    "[session] idle-timeout = '5': expected a whole number from 30 to 1800",
    "[session] idle-warning = '10': expected a whole number from 20 to 120",
    "[backend] url = 'ftp://example.org': expected an http:// or https:// URL",
    "[backend] pin-sha256 = 'abc': expected 64 hexadecimal digits",
    "[printer] backend = 'laser': expected none, pdf:/absolute/dir, cups:QUEUE",
    "[printer] paper-width = '62': expected one of 58, 80",
    "[keys] mode = 'maybe': expected one of real, demo",
    "[catalog] postal-codes = '3113;': expected '3113' is not a 5-digit postal code",
    "[accessibility] speech = 'loud': expected one of off, button, always",
    "[info] ca-file = 'certs/portal.pem': expected an absolute path",
    "[info] pin-sha256 = 'xyz': expected 64 hexadecimal digits",
  };

  g_assert_null (config);
  g_assert_error (error, KIOSK_CONFIG_ERROR, KIOSK_CONFIG_ERROR_INVALID);
  lines = g_strsplit (error->message, "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, G_N_ELEMENTS (expected));
  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      gboolean found = FALSE;

      for (guint l = 0; lines[l] != NULL && !found; l++)
        found = g_str_has_prefix (lines[l], path) && strstr (lines[l], expected[i]) != NULL;
      if (!found)
        g_test_message ("missing: %s\nin:\n%s", expected[i], error->message);
      g_assert_true (found);
    }
}

static void
test_languages_need_german (void)
{
  g_autofree char *dir = g_dir_make_tmp ("kiosk-config-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "k.conf", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(KioskConfig) config = NULL;

  g_assert_true (g_file_set_contents (path, "[kiosk]\nlanguages=en;tr\n", -1, NULL));
  config = kiosk_config_new_from_file (path, &error);
  g_assert_null (config);
  g_assert_error (error, KIOSK_CONFIG_ERROR, KIOSK_CONFIG_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "includes de"));
  g_unlink (path);
  g_rmdir (dir);
}

static void
test_unknown_keys_warn (void)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "fixtures", "config", "unknown-key.conf", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(KioskConfig) config = kiosk_config_new_from_file (path, &error);
  const char * const *warnings;

  g_assert_no_error (error);
  warnings = kiosk_config_get_warnings (config);
  g_assert_cmpuint (g_strv_length ((GStrv) warnings), ==, 2);
  g_assert_nonnull (strstr (warnings[0], "[kiosk] colour: unknown key"));
  g_assert_nonnull (strstr (warnings[1], "[weather] sunny: unknown key"));
}

static void
test_missing_and_broken (void)
{
  g_autofree char *broken = g_test_build_filename (G_TEST_DIST, "fixtures", "config", "broken.conf", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(KioskConfig) config = NULL;

  config = kiosk_config_new_from_file ("/nonexistent/kiosk.conf", &error);
  g_assert_null (config);
  g_assert_error (error, KIOSK_CONFIG_ERROR, KIOSK_CONFIG_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "/nonexistent/kiosk.conf"));
  g_clear_error (&error);

  config = kiosk_config_new_from_file (broken, &error);
  g_assert_null (config);
  g_assert_error (error, KIOSK_CONFIG_ERROR, KIOSK_CONFIG_ERROR_PARSE);
  g_assert_true (g_str_has_prefix (error->message, broken));
}

static void
test_token_file (void)
{
  g_autofree char *dir = g_dir_make_tmp ("kiosk-token-XXXXXX", NULL);
  g_autofree char *token_path = g_build_filename (dir, "token", NULL);
  g_autofree char *conf_path = g_build_filename (dir, "k.conf", NULL);
  g_autofree char *conf = g_strdup_printf ("[backend]\ntoken-file=%s\n", token_path);
  g_autoptr(GError) error = NULL;
  g_autoptr(KioskConfig) config = NULL;
  g_autofree char *token = NULL;

  g_assert_true (g_file_set_contents (conf_path, conf, -1, NULL));
  g_assert_true (g_file_set_contents (token_path, "s3cret-token\n", -1, NULL));
  config = kiosk_config_new_from_file (conf_path, &error);
  g_assert_no_error (error);

  /* readable by others: refused, and the message says how to fix it */
  g_assert_cmpint (g_chmod (token_path, 0644), ==, 0);
  token = kiosk_config_read_token (config, &error);
  g_assert_null (token);
  g_assert_error (error, KIOSK_CONFIG_ERROR, KIOSK_CONFIG_ERROR_INSECURE);
  g_assert_nonnull (strstr (error->message, "chmod 600"));
  g_assert_null (strstr (error->message, "s3cret"));
  g_clear_error (&error);

  g_assert_cmpint (g_chmod (token_path, 0600), ==, 0);
  token = kiosk_config_read_token (config, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (token, ==, "s3cret-token");

  g_unlink (token_path);
  g_unlink (conf_path);
  g_rmdir (dir);
}

/* What kiosk_config_to_data() writes loads back to the same values. */
static void
test_round_trip (void)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "fixtures", "config", "good.conf", NULL);
  g_autofree char *dir = g_dir_make_tmp ("kiosk-config-XXXXXX", NULL);
  g_autofree char *copy = g_build_filename (dir, "copy.conf", NULL);
  g_autoptr(KioskConfig) a = kiosk_config_new_from_file (path, NULL);
  g_autoptr(KioskConfig) b = NULL;
  g_autofree char *data_a = kiosk_config_to_data (a);
  g_autofree char *data_b = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (g_file_set_contents (copy, data_a, -1, NULL));
  b = kiosk_config_new_from_file (copy, &error);
  g_assert_no_error (error);
  data_b = kiosk_config_to_data (b);
  g_assert_cmpstr (data_a, ==, data_b);
  g_assert_cmpuint (g_strv_length ((GStrv) kiosk_config_get_postal_codes (b)), ==, 5);
  g_unlink (copy);
  g_rmdir (dir);
}

static char *
write_file (const char *dir,
            const char *name,
            const char *text)
{
  char *path = g_build_filename (dir, name, NULL);

  g_assert_true (g_file_set_contents (path, text, -1, NULL));
  return path;
}

static void
remove_tree (const char *dir)
{
  g_autofree char *drop_ins = g_build_filename (dir, "kiosk.conf.d", NULL);
  g_autoptr(GDir) d = g_dir_open (drop_ins, 0, NULL);
  const char *name;

  while (d != NULL && (name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *path = g_build_filename (drop_ins, name, NULL);
      g_unlink (path);
    }
  g_rmdir (drop_ins);
  {
    g_autofree char *conf = g_build_filename (dir, "kiosk.conf", NULL);
    g_unlink (conf);
  }
  g_rmdir (dir);
}

static char *
make_kiosk_dir (char **out_conf)
{
  char *dir = g_dir_make_tmp ("kiosk-config-XXXXXX", NULL);
  g_autofree char *drop_ins = g_build_filename (dir, "kiosk.conf.d", NULL);
  g_autofree char *text = g_strdup_printf ("[kiosk]\nid=bib-1\nstate-dir=%s\n"
                                           "[backend]\nurl=https://main.example\nsync-interval=45\n"
                                           "[keys]\nmode=real\n", dir);

  g_assert_cmpint (g_mkdir (drop_ins, 0750), ==, 0);
  *out_conf = write_file (dir, "kiosk.conf", text);
  return dir;
}

/* Drop-ins in <state-dir>/kiosk.conf.d override the main file key by key,
 * in name order, and each value knows which file it came from. */
static void
test_drop_ins (void)
{
  g_autofree char *conf = NULL;
  g_autofree char *dir = make_kiosk_dir (&conf);
  g_autofree char *drop_ins = g_build_filename (dir, "kiosk.conf.d", NULL);
  g_autofree char *a = write_file (drop_ins, "10-a.conf", "[backend]\nurl=https://a.example\n[session]\nidle-timeout=60\n");
  g_autofree char *b = write_file (drop_ins, "20-b.conf", "[backend]\nurl=https://b.example\n");
  g_autofree char *ignored = write_file (drop_ins, "README", "not a keyfile at all [[[");
  g_autofree char *hidden = write_file (drop_ins, ".50-admin-screen.conf", "[backend]\nurl=https://hidden.example\n");
  g_autoptr(GError) error = NULL;
  g_autoptr(KioskConfig) config = kiosk_config_new_from_file (conf, &error);

  g_assert_no_error (error);
  /* Both were written, so ignoring them is what the asserts below see. */
  g_assert_true (g_file_test (ignored, G_FILE_TEST_IS_REGULAR));
  g_assert_true (g_file_test (hidden, G_FILE_TEST_IS_REGULAR));
  g_assert_cmpstr (kiosk_config_get_drop_in_dir (config), ==, drop_ins);
  g_assert_cmpstr (kiosk_config_get_backend_url (config), ==, "https://b.example");
  g_assert_cmpstr (kiosk_config_get_source (config, "backend", "url"), ==, b);
  g_assert_cmpuint (kiosk_config_get_idle_timeout (config), ==, 60);
  g_assert_cmpstr (kiosk_config_get_source (config, "session", "idle-timeout"), ==, a);
  /* Keys no drop-in sets keep the main file's value, or the default. */
  g_assert_cmpuint (kiosk_config_get_sync_interval (config), ==, 45);
  g_assert_cmpstr (kiosk_config_get_source (config, "backend", "sync-interval"), ==, conf);
  g_assert_null (kiosk_config_get_source (config, "printer", "backend"));
  g_assert_cmpuint (g_strv_length ((GStrv) kiosk_config_get_warnings (config)), ==, 0);

  g_assert_finalize_object (g_steal_pointer (&config));
  remove_tree (dir);
}

/* A bad value in a drop-in is refused like one in the main file, naming
 * the drop-in; keys only the main file may set are ignored with a warning. */
static void
test_drop_in_checks (void)
{
  g_autofree char *conf = NULL;
  g_autofree char *dir = make_kiosk_dir (&conf);
  g_autofree char *drop_ins = g_build_filename (dir, "kiosk.conf.d", NULL);
  g_autofree char *bad = write_file (drop_ins, "50-admin-screen.conf", "[backend]\nsync-interval=2\n");
  g_autofree char *keys = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(KioskConfig) config = kiosk_config_new_from_file (conf, &error);
  const char * const *warnings;

  g_assert_null (config);
  g_assert_error (error, KIOSK_CONFIG_ERROR, KIOSK_CONFIG_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, bad));
  g_assert_nonnull (strstr (error->message, "sync-interval"));
  g_clear_error (&error);
  g_unlink (bad);

  keys = write_file (drop_ins, "50-admin-screen.conf",
                     "[keys]\nmode=demo\n[kiosk]\nstate-dir=/tmp\nlocation=Rathaus\n");
  config = kiosk_config_new_from_file (conf, &error);
  g_assert_no_error (error);
  g_assert_false (kiosk_config_get_keys_demo (config));
  g_assert_cmpstr (kiosk_config_get_state_dir (config), ==, dir);
  g_assert_cmpstr (kiosk_config_get_location (config), ==, "Rathaus");
  warnings = kiosk_config_get_warnings (config);
  g_assert_cmpuint (g_strv_length ((GStrv) warnings), ==, 2);
  g_assert_nonnull (strstr (warnings[0], "[keys] mode: only"));
  g_assert_nonnull (strstr (warnings[1], "[kiosk] state-dir: only"));

  g_assert_finalize_object (g_steal_pointer (&config));
  remove_tree (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/kiosk/config/defaults", test_defaults);
  g_test_add_func ("/kiosk/config/good-file", test_good_file);
  g_test_add_func ("/kiosk/config/bad-file", test_bad_file);
  g_test_add_func ("/kiosk/config/languages-need-german", test_languages_need_german);
  g_test_add_func ("/kiosk/config/unknown-keys-warn", test_unknown_keys_warn);
  g_test_add_func ("/kiosk/config/missing-and-broken", test_missing_and_broken);
  g_test_add_func ("/kiosk/config/token-file", test_token_file);
  g_test_add_func ("/kiosk/config/round-trip", test_round_trip);
  g_test_add_func ("/kiosk/config/drop-ins", test_drop_ins);
  g_test_add_func ("/kiosk/config/drop-in-checks", test_drop_in_checks);

  return g_test_run ();
}

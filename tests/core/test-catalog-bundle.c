/* test-catalog-bundle.c: signed catalogue bundles with anti-rollback
 *
 * SPDX-FileCopyrightText: 2026 Stadtkiosk contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
#include <stdarg.h>
#include <string.h>
#include <sys/wait.h>

#include "stadtkiosk-core.h"
#include "kiosk-fake-backend.h"
#include "kiosk-sync-test-util.h"
#include "kiosk-test-util.h"

typedef struct
{
  char   *dir;
  char   *secret;
  char   *public;
  GBytes *demo;       /* version 2026-11-26.1 */
  GBytes *newer;      /* the same as 2026-11-26.10 */
} Fixture;

static GBytes *
with_version (GBytes     *catalog,
              const char *version)
{
  g_autofree char *text = g_strndup (g_bytes_get_data (catalog, NULL), g_bytes_get_size (catalog));
  g_auto(GStrv) parts = g_strsplit (text, "\"version\": \"2026-11-26.1\"", 2);
  g_autofree char *replacement = g_strdup_printf ("\"version\": \"%s\"", version);
  char *joined;

  g_assert_cmpuint (g_strv_length (parts), ==, 2);
  joined = g_strjoinv (replacement, parts);
  return g_bytes_new_take (joined, strlen (joined));
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autofree char *path = g_build_filename (g_getenv ("G_TEST_SRCDIR"), "..", "data", "catalog", "demo.json", NULL);
  g_autoptr(GError) error = NULL;
  char *contents;
  gsize len;

  f->dir = g_dir_make_tmp ("kiosk-bundle-XXXXXX", NULL);
  f->secret = g_build_filename (f->dir, "catalog.key", NULL);
  f->public = g_build_filename (f->dir, "catalog.pub", NULL);
  g_assert_true (kiosk_catalog_bundle_generate_keys (f->secret, f->public, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (path, &contents, &len, NULL));
  f->demo = g_bytes_new_take (contents, len);
  f->newer = with_version (f->demo, "2026-11-26.10");
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  kiosk_test_rm_rf (f->dir);
  g_free (f->dir);
  g_free (f->secret);
  g_free (f->public);
  g_bytes_unref (f->demo);
  g_bytes_unref (f->newer);
}

static void
test_keys (Fixture       *f,
           gconstpointer  data)
{
  GStatBuf st;
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (g_stat (f->secret, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
  /* Never overwritten. */
  g_assert_false (kiosk_catalog_bundle_generate_keys (f->secret, f->public, &error));
  g_assert_error (error, KIOSK_CATALOG_BUNDLE_ERROR, KIOSK_CATALOG_BUNDLE_ERROR_KEY);
  g_clear_error (&error);
  /* A signing key others can read is refused. */
  g_assert_cmpint (g_chmod (f->secret, 0644), ==, 0);
  g_assert_null (kiosk_catalog_bundle_sign (f->demo, "2026-11-26.1", f->secret, &error));
  g_assert_nonnull (strstr (error->message, "chmod 600"));
}

static void
test_versions (Fixture       *f,
               gconstpointer  data)
{
  g_assert_cmpint (kiosk_catalog_bundle_compare_versions ("2026-11-26.1", "2026-11-26.10"), <, 0);
  g_assert_cmpint (kiosk_catalog_bundle_compare_versions ("2026-11-26.9", "2026-11-26.10"), <, 0);
  g_assert_cmpint (kiosk_catalog_bundle_compare_versions ("2026-12-01.1", "2026-11-26.10"), >, 0);
  g_assert_cmpint (kiosk_catalog_bundle_compare_versions ("2026-11-26.1", "2026-11-26.1"), ==, 0);
  g_assert_cmpint (kiosk_catalog_bundle_compare_versions ("7", "10"), <, 0);
}

/* A bundle is read before its signature is checked: 200 KB of "[" (a
 * USB stick's file, a hub's attachment) overflowed json-glib's parser and
 * killed the kiosk (exit 139); now it is simply not a bundle. */
static void
test_deep (Fixture       *f,
           gconstpointer  data)
{
  gsize size = 200 * 1024;
  g_autoptr(GBytes) deep = g_bytes_new_take (g_strnfill (size, '['), size);
  g_autoptr(GError) error = NULL;

  g_assert_false (kiosk_catalog_bundle_is_bundle (deep));
  g_assert_null (kiosk_catalog_bundle_open (deep, f->public, NULL, NULL, &error));
  g_assert_error (error, KIOSK_CATALOG_BUNDLE_ERROR, KIOSK_CATALOG_BUNDLE_ERROR_UNSIGNED);
}

static void
test_open (Fixture       *f,
           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bundle = kiosk_catalog_bundle_sign (f->demo, "2026-11-26.1", f->secret, &error);
  g_autoptr(GBytes) opened = NULL;
  g_autofree char *version = NULL;

  g_assert_no_error (error);
  g_assert_true (kiosk_catalog_bundle_is_bundle (bundle));
  g_assert_false (kiosk_catalog_bundle_is_bundle (f->demo));

  /* The exact bytes come back; the same version again is fine. */
  opened = kiosk_catalog_bundle_open (bundle, f->public, "2026-11-26.1", &version, &error);
  g_assert_no_error (error);
  g_assert_true (g_bytes_equal (opened, f->demo));
  g_assert_cmpstr (version, ==, "2026-11-26.1");
  g_clear_pointer (&opened, g_bytes_unref);

  /* Unsigned: a plain catalogue. */
  g_assert_null (kiosk_catalog_bundle_open (f->demo, f->public, NULL, NULL, &error));
  g_assert_error (error, KIOSK_CATALOG_BUNDLE_ERROR, KIOSK_CATALOG_BUNDLE_ERROR_UNSIGNED);
  g_clear_error (&error);

  /* Older than the active one. */
  g_assert_null (kiosk_catalog_bundle_open (bundle, f->public, "2026-11-26.10", NULL, &error));
  g_assert_error (error, KIOSK_CATALOG_BUNDLE_ERROR, KIOSK_CATALOG_BUNDLE_ERROR_ROLLBACK);
  g_assert_nonnull (strstr (error->message, "older than the active 2026-11-26.10"));
  g_clear_error (&error);

  /* Forged: another key signed it, or the version was changed. */
  {
    g_autofree char *other_secret = g_build_filename (f->dir, "other.key", NULL);
    g_autofree char *other_public = g_build_filename (f->dir, "other.pub", NULL);
    g_autoptr(GBytes) forged = NULL;
    g_autofree char *text = g_strndup (g_bytes_get_data (bundle, NULL), g_bytes_get_size (bundle));
    g_auto(GStrv) parts = g_strsplit (text, "\"catalog_version\":\"2026-11-26.1\"", 2);
    g_autofree char *relabelled = NULL;
    g_autoptr(GBytes) relabelled_bytes = NULL;

    g_assert_true (kiosk_catalog_bundle_generate_keys (other_secret, other_public, NULL));
    forged = kiosk_catalog_bundle_sign (f->newer, "2026-11-26.10", other_secret, &error);
    g_assert_no_error (error);
    g_assert_null (kiosk_catalog_bundle_open (forged, f->public, NULL, NULL, &error));
    g_assert_error (error, KIOSK_CATALOG_BUNDLE_ERROR, KIOSK_CATALOG_BUNDLE_ERROR_FORGED);
    g_clear_error (&error);

    g_assert_cmpuint (g_strv_length (parts), ==, 2);
    relabelled = g_strjoinv ("\"catalog_version\":\"2026-11-26.99\"", parts);
    relabelled_bytes = g_bytes_new (relabelled, strlen (relabelled));
    g_assert_null (kiosk_catalog_bundle_open (relabelled_bytes, f->public, NULL, NULL, &error));
    g_assert_error (error, KIOSK_CATALOG_BUNDLE_ERROR, KIOSK_CATALOG_BUNDLE_ERROR_FORGED);
    g_clear_error (&error);
  }

  /* Garbage claiming to be a bundle. */
  {
    const char *text = "{\"format\":\"stadtkiosk-catalog-bundle\",\"signature\":\"AAAA\"}";
    g_autoptr(GBytes) junk = g_bytes_new_static (text, strlen (text));

    g_assert_null (kiosk_catalog_bundle_open (junk, f->public, NULL, NULL, &error));
    g_assert_error (error, KIOSK_CATALOG_BUNDLE_ERROR, KIOSK_CATALOG_BUNDLE_ERROR_INVALID);
  }
}

static int
ctl (const char  *conf,
     char       **out,
     const char  *first,
     ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *ignored = NULL;
  const char *arg;
  int wait_status;
  va_list ap;

  g_ptr_array_add (argv, (char *) g_getenv ("STADTKIOSK_CTL"));
  g_ptr_array_add (argv, "--config");
  g_ptr_array_add (argv, (char *) conf);
  va_start (ap, first);
  for (arg = first; arg != NULL; arg = va_arg (ap, const char *))
    g_ptr_array_add (argv, (char *) arg);
  va_end (ap);
  g_ptr_array_add (argv, NULL);
  g_assert_true (g_spawn_sync (NULL, (char **) argv->pdata, NULL, G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL,
                               out != NULL ? out : &ignored, NULL, &wait_status, &error));
  g_assert_no_error (error);
  return WIFEXITED (wait_status) ? WEXITSTATUS (wait_status) : -1;
}

/* The whole way an admin goes: sign, import; unsigned, forged and older
 * bundles are refused with a message and an alert, the last good stays. */
static void
test_ctl (Fixture       *f,
          gconstpointer  data)
{
  g_autofree char *conf = g_build_filename (f->dir, "kiosk.conf", NULL);
  g_autofree char *state = g_build_filename (f->dir, "state", NULL);
  g_autofree char *plain = g_build_filename (f->dir, "demo.json", NULL);
  g_autofree char *newer = g_build_filename (f->dir, "newer.json", NULL);
  g_autofree char *bundle = g_build_filename (f->dir, "demo.bundle", NULL);
  g_autofree char *newer_bundle = g_build_filename (f->dir, "newer.bundle", NULL);
  g_autofree char *text = NULL;
  g_autofree char *out = NULL;

  if (g_getenv ("STADTKIOSK_CTL") == NULL)
    {
      g_test_skip ("STADTKIOSK_CTL is not set");
      return;
    }
  g_assert_cmpint (g_mkdir (state, 0700), ==, 0);
  text = g_strdup_printf ("[kiosk]\nid=k1\nstate-dir=%s\n[keys]\nmode=demo\ncatalog-public-key=%s\n", state, f->public);
  g_assert_true (g_file_set_contents (conf, text, -1, NULL));
  g_assert_true (g_file_set_contents (plain, g_bytes_get_data (f->demo, NULL), (gssize) g_bytes_get_size (f->demo), NULL));
  g_assert_true (g_file_set_contents (newer, g_bytes_get_data (f->newer, NULL), (gssize) g_bytes_get_size (f->newer), NULL));

  g_assert_cmpint (ctl (conf, NULL, "catalog", "sign", plain, "--key", f->secret, "--output", bundle, NULL), ==, 0);
  g_assert_cmpint (ctl (conf, NULL, "catalog", "sign", newer, "--key", f->secret, "--output", newer_bundle, NULL), ==, 0);

  /* Unsigned: refused, and an alert says so. */
  g_assert_cmpint (ctl (conf, NULL, "catalog", "import", plain, NULL), ==, 1);
  g_assert_cmpint (ctl (conf, &out, "alerts", "--no-probe", NULL), ==, 1);
  g_assert_nonnull (strstr (out, "catalog"));
  g_assert_nonnull (strstr (out, "not a signed catalogue bundle"));
  g_clear_pointer (&out, g_free);

  /* The newer signed one: taken; the alert is gone. */
  g_assert_cmpint (ctl (conf, NULL, "catalog", "import", newer_bundle, NULL), ==, 0);
  g_assert_cmpint (ctl (conf, &out, "alerts", "--no-probe", NULL), ==, 0);
  g_clear_pointer (&out, g_free);

  /* The older signed one: refused (no rollback); the newer stays. */
  g_assert_cmpint (ctl (conf, NULL, "catalog", "import", bundle, NULL), ==, 1);
  g_assert_cmpint (ctl (conf, &out, "alerts", "--no-probe", NULL), ==, 1);
  g_assert_nonnull (strstr (out, "older than the active 2026-11-26.10"));
  g_clear_pointer (&out, g_free);
  g_assert_cmpint (ctl (conf, &out, "catalog", "list", "--json", NULL), ==, 0);
  g_assert_nonnull (out);
}

/* ---- The Submission API's catalogue pull (kiosk-sync.c) ----------------- */

typedef struct
{
  gboolean  done;
  gboolean  ok;
  gboolean  changed;
  GError   *error;
} Pull;

static void
pulled_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  Pull *pull = user_data;

  pull->ok = kiosk_sync_pull_catalog_finish (KIOSK_SYNC (object), result, &pull->changed, &pull->error);
  pull->done = TRUE;
}

/* Serves @bytes as GET /v1/catalog and pulls it; the active version after. */
static char *
serve_and_pull (SyncKiosk        *kiosk,
                KioskFakeBackend *backend,
                GBytes           *bytes,
                gboolean          expect_taken,
                const char       *expect_words)
{
  g_autoptr(KioskCatalog) active = NULL;
  g_autofree char *refused = NULL;
  Pull pull = { 0 };

  kiosk_fake_backend_set_catalog (backend, bytes);
  kiosk_sync_pull_catalog_async (kiosk->sync, NULL, pulled_cb, &pull);
  while (!pull.done)
    g_main_context_iteration (NULL, TRUE);
  refused = kiosk_store_get_setting (kiosk_context_get_store (kiosk->context), KIOSK_CATALOG_BUNDLE_REFUSED_SETTING);
  if (expect_taken)
    {
      g_assert_no_error (pull.error);
      g_assert_true (pull.ok);
      g_assert_true (pull.changed);
      g_assert_true (refused == NULL || *refused == '\0');
    }
  else
    {
      g_assert_error (pull.error, KIOSK_SYNC_ERROR, KIOSK_SYNC_ERROR_CATALOG);
      g_test_message ("refused: %s", pull.error->message);
      g_assert_nonnull (strstr (pull.error->message, "the last good one"));
      g_assert_nonnull (strstr (pull.error->message, expect_words));
      /* The alert's setting says the same. */
      g_assert_nonnull (refused);
      g_assert_nonnull (strstr (refused, expect_words));
      g_clear_error (&pull.error);
    }
  active = kiosk_catalog_load_active (kiosk_context_get_store (kiosk->context), NULL);
  return active != NULL ? g_strdup (kiosk_catalog_get_version (active)) : NULL;
}

/* `catalog pull` from the Submission API follows the same rule as `catalog
 * import` and `hub pull-catalog`: with [keys] catalog-public-key only a
 * signed bundle, never an older one; unsigned, forged and relabelled ones
 * are refused with the alert and the last good catalogue stays.  The
 * control: the same harness without the key takes a plain catalogue. */
static void
test_sync_pull (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(KioskFakeBackend) backend = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *extra = g_strdup_printf ("[keys]\ncatalog-public-key=%s", f->public);
  g_autofree char *other_secret = g_build_filename (f->dir, "other.key", NULL);
  g_autofree char *other_public = g_build_filename (f->dir, "other.pub", NULL);
  g_autoptr(GBytes) v11 = with_version (f->demo, "2026-11-26.11");
  g_autoptr(GBytes) v12 = with_version (f->demo, "2026-11-26.12");
  g_autoptr(GBytes) v13 = with_version (f->demo, "2026-11-26.13");
  g_autoptr(GBytes) newer_bundle = NULL;
  g_autoptr(GBytes) older_bundle = NULL;
  g_autoptr(GBytes) forged = NULL;
  g_autoptr(GBytes) relabelled = NULL;
  g_autoptr(GBytes) good = NULL;
  g_autofree char *version = NULL;
  SyncKiosk *kiosk;

  backend = kiosk_fake_backend_new (0, NULL, 0, NULL, &error);
  g_assert_no_error (error);
  newer_bundle = kiosk_catalog_bundle_sign (f->newer, "2026-11-26.10", f->secret, &error);
  g_assert_no_error (error);
  older_bundle = kiosk_catalog_bundle_sign (f->demo, "2026-11-26.1", f->secret, &error);
  g_assert_no_error (error);
  g_assert_true (kiosk_catalog_bundle_generate_keys (other_secret, other_public, &error));
  forged = kiosk_catalog_bundle_sign (v12, "2026-11-26.12", other_secret, &error);
  g_assert_no_error (error);
  good = kiosk_catalog_bundle_sign (v13, "2026-11-26.13", f->secret, &error);
  g_assert_no_error (error);
  {
    g_autofree char *text = g_strndup (g_bytes_get_data (newer_bundle, NULL), g_bytes_get_size (newer_bundle));
    g_auto(GStrv) parts = g_strsplit (text, "\"catalog_version\":\"2026-11-26.10\"", 2);
    char *joined;

    g_assert_cmpuint (g_strv_length (parts), ==, 2);
    joined = g_strjoinv ("\"catalog_version\":\"2026-11-26.99\"", parts);
    relabelled = g_bytes_new_take (joined, strlen (joined));
  }

  kiosk = sync_kiosk_new (kiosk_fake_backend_get_url (backend), NULL, extra, TRUE);
  version = serve_and_pull (kiosk, backend, newer_bundle, TRUE, NULL);
  g_assert_cmpstr (version, ==, "2026-11-26.10");
  g_free (version);
  version = serve_and_pull (kiosk, backend, older_bundle, FALSE, "older than the active 2026-11-26.10");
  g_assert_cmpstr (version, ==, "2026-11-26.10");
  g_free (version);
  version = serve_and_pull (kiosk, backend, v11, FALSE, "not a signed catalogue bundle");
  g_assert_cmpstr (version, ==, "2026-11-26.10");
  g_free (version);
  version = serve_and_pull (kiosk, backend, forged, FALSE, "(version 2026-11-26.12) is not signed by the key");
  g_assert_cmpstr (version, ==, "2026-11-26.10");
  g_free (version);
  version = serve_and_pull (kiosk, backend, relabelled, FALSE, "(version 2026-11-26.99) is not signed by the key");
  g_assert_cmpstr (version, ==, "2026-11-26.10");
  g_free (version);
  /* A good one again: taken, and the alert is gone. */
  version = serve_and_pull (kiosk, backend, good, TRUE, NULL);
  g_assert_cmpstr (version, ==, "2026-11-26.13");
  g_free (version);
  sync_kiosk_free (kiosk);

  /* The control: without a key the plain catalogue is taken... */
  kiosk = sync_kiosk_new (kiosk_fake_backend_get_url (backend), NULL, NULL, TRUE);
  version = serve_and_pull (kiosk, backend, v11, TRUE, NULL);
  g_assert_cmpstr (version, ==, "2026-11-26.11");
  g_clear_pointer (&version, g_free);
  /* ... and a bundle nobody could check is not. */
  version = serve_and_pull (kiosk, backend, good, FALSE, "catalog-public-key is not set");
  g_assert_cmpstr (version, ==, "2026-11-26.11");
  g_clear_pointer (&version, g_free);
  sync_kiosk_free (kiosk);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/kiosk/catalog-bundle/keys", test_keys);
  ADD ("/kiosk/catalog-bundle/versions", test_versions);
  ADD ("/kiosk/catalog-bundle/open", test_open);
  ADD ("/kiosk/catalog-bundle/deep", test_deep);
  ADD ("/kiosk/catalog-bundle/ctl", test_ctl);
  ADD ("/kiosk/catalog-bundle/sync-pull", test_sync_pull);
#undef ADD

  return g_test_run ();
}

/* test-application.c — what the application decides at start, under Xvfb
 *
 * SPDX-FileCopyrightText: 2026 Stadtkiosk contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>

#include "kiosk-application.h"
#include "kiosk-application-private.h"
#include "kiosk-out-of-service-window.h"
#include "kiosk-store-private.h"
#include "kiosk-window-private.h"
#include "kiosk-test-util.h"
#include "kiosk-gui-test-util.h"

/* Starts the application's start-up (GtkApplication::startup loads the
 * configuration and the core) with @config_text, without showing a
 * window; returns what it would show instead of the kiosk. */
static char *
startup_error_for (const char *config_text,
                   gboolean    signing_key)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("stadtkiosk-app-XXXXXX", &error);
  g_autofree char *path = NULL;
  g_autoptr(GString) text = g_string_new (config_text);
  g_autoptr(KioskApplication) app = NULL;
  char *result;

  g_assert_no_error (error);
  g_string_replace (text, "@STATE@", dir, 0);
  path = g_build_filename (dir, "kiosk.conf", NULL);
  g_file_set_contents (path, text->str, -1, &error);
  g_assert_no_error (error);
  g_setenv ("STADTKIOSK_CONFIG", path, TRUE);
  if (signing_key)
    {
      const char *argv[] = { g_getenv ("STADTKIOSK_CTL"), "--config", path, "keys", "generate", NULL };
      int status = 0;

      g_assert_nonnull (argv[0]);
      g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_STDOUT_TO_DEV_NULL | G_SPAWN_STDERR_TO_DEV_NULL,
                                   NULL, NULL, NULL, NULL, &status, &error));
      g_assert_no_error (error);
      g_assert_true (g_spawn_check_wait_status (status, NULL));
    }

  app = kiosk_application_new ();
  g_application_register (G_APPLICATION (app), NULL, &error);
  g_assert_no_error (error);
  result = g_strdup (kiosk_application_get_startup_error (app));
  g_application_quit (G_APPLICATION (app));
  g_clear_object (&app);
  kiosk_test_rm_rf (dir);
  return result;
}

/* A real kiosk whose configured city key is missing shows out-of-service,
 * naming the file, instead of inviting a citizen to a form it cannot save
 * (#12 item 7).  The same kiosk with sealing switched off on purpose
 * starts (the negative control).  Each start in a process of its own: an
 * application registers its path on the session bus once per process. */
static void
test_missing_city_key (void)
{
  if (g_test_subprocess ())
    {
      g_autofree char *missing = startup_error_for ("[kiosk]\nstate-dir=@STATE@\n"
                                                    "[keys]\nmode=real\ncity-public-key=@STATE@/gone/city.pub\n", TRUE);

      g_assert_nonnull (missing);
      g_assert_nonnull (strstr (missing, "gone/city.pub"));
      return;
    }
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_test_trap_assert_passed ();
}

static void
test_sealing_off (void)
{
  if (g_test_subprocess ())
    {
      g_autofree char *off = startup_error_for ("[kiosk]\nstate-dir=@STATE@\n[keys]\nmode=real\nseal=off\n", TRUE);

      g_assert_null (off);
      return;
    }
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_test_trap_assert_passed ();
}

/* A kiosk database of 300 requests, whole or with its pages after the
 * first two scribbled over (header and schema readable: the bounded
 * check at open passes, the full one does not). */
static void
write_database (const char *path,
                gboolean    damaged)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KioskStore) store = kiosk_store_open (path, &error);
  g_autoptr(KioskClock) clock = kiosk_clock_new_fake (G_USEC_PER_SEC);
  g_autoptr(KioskOutbox) outbox = kiosk_outbox_new (store, clock, "HSK", &error);
  g_autoptr(GBytes) answers = g_bytes_new_static ("{\"text\":\"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\"}", 49);
  g_autofree char *data = NULL;
  gsize len;
  KioskRequestDraft draft = { .service_id = "s", .service_version = 1, .locale = "de", .answers = answers };

  g_assert_no_error (error);
  for (guint i = 0; i < 300; i++)
    {
      g_autoptr(KioskRequest) r = kiosk_outbox_enqueue (outbox, &draft, "test", &error);
      g_assert_no_error (error);
    }
  g_assert_true (_kiosk_store_exec (store, "PRAGMA wal_checkpoint(TRUNCATE)", &error));
  g_clear_object (&outbox);
  g_assert_finalize_object (g_steal_pointer (&store));
  if (!damaged)
    return;
  g_assert_true (g_file_get_contents (path, &data, &len, NULL));
  g_assert_cmpuint (len, >, 8 * 4096);
  for (gsize i = 2 * 4096 + 100; i < len - 4096; i += 97)
    data[i] ^= 0x5a;
  g_assert_true (g_file_set_contents (path, data, len, NULL));
}

typedef struct
{
  char             *dir;
  char             *db;
  KioskApplication *app;
} Started;

/* Starts the application on a state directory holding @damaged or a whole
 * database and shows its window, as `stadtkiosk` does. */
static void
start_kiosk (Started  *k,
             gboolean  damaged,
             gboolean  hold_check)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *config = NULL;
  g_autofree char *text = NULL;

  k->dir = g_dir_make_tmp ("stadtkiosk-app-XXXXXX", &error);
  g_assert_no_error (error);
  k->db = g_build_filename (k->dir, "stadtkiosk.db", NULL);
  write_database (k->db, damaged);
  config = g_build_filename (k->dir, "kiosk.conf", NULL);
  text = g_strdup_printf ("[kiosk]\nstate-dir=%s\n[keys]\nmode=demo\n[printer]\nbackend=none\n", k->dir);
  g_file_set_contents (config, text, -1, &error);
  g_assert_no_error (error);
  g_setenv ("STADTKIOSK_CONFIG", config, TRUE);

  k->app = kiosk_application_new ();
  _kiosk_application_set_store_check_held (k->app, hold_check);
  g_application_register (G_APPLICATION (k->app), NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (kiosk_application_get_startup_error (k->app), ==, NULL);
  g_application_activate (G_APPLICATION (k->app));
  g_assert_true (KIOSK_IS_WINDOW (gtk_application_get_active_window (GTK_APPLICATION (k->app))));
}

static gboolean
out_of_service (gpointer data)
{
  return KIOSK_IS_OUT_OF_SERVICE_WINDOW (gtk_application_get_active_window (data));
}

static gboolean
store_checked (gpointer data)
{
  return _kiosk_application_get_store_checked (data);
}

/* Damage that only the full integrity check sees is found after the first
 * frame (#18: the check no longer delays the start), while a citizen is
 * filling in a form.  The kiosk goes out of service as it would at start:
 * the kiosk window and the form in it are gone, nothing was sent or
 * stored, the screen says so and names the file for the staff, and the
 * file is left as it was.  (The held check makes "mid-form" happen; the
 * kiosk runs it once its first frame is up.) */
static void
test_damage_after_start (void)
{
  if (g_test_subprocess ())
    {
      Started k = { 0 };
      g_autoptr(GBytes) before = NULL;
      g_autoptr(GBytes) after = NULL;
      g_autoptr(JsonNode) answer = json_from_string ("\"Sperrmüll am Spielplatz\"", NULL);
      GtkWindow *kiosk;
      GtkWindow *window;
      KioskSession *session;
      KioskStore *store;

      start_kiosk (&k, TRUE, TRUE);
      before = g_bytes_new_take (NULL, 0);
      {
        char *contents = NULL;
        gsize len = 0;

        g_assert_true (g_file_get_contents (k.db, &contents, &len, NULL));
        g_clear_pointer (&before, g_bytes_unref);
        before = g_bytes_new_take (contents, len);
      }
      kiosk = gtk_application_get_active_window (GTK_APPLICATION (k.app));
      g_object_add_weak_pointer (G_OBJECT (kiosk), (gpointer *) &kiosk);
      kiosk_gui_test_flush ();

      /* A citizen is mid-form. */
      g_assert_true (gtk_widget_activate_action_variant (GTK_WIDGET (kiosk), "kiosk.start", NULL));
      g_assert_true (gtk_widget_activate_action_variant (GTK_WIDGET (kiosk), "kiosk.open-service",
                                                         g_variant_new_string ("report-problem")));
      g_assert_true (gtk_widget_activate_action_variant (GTK_WIDGET (kiosk), "kiosk.begin-form", NULL));
      kiosk_gui_test_flush ();
      session = _kiosk_window_get_session (KIOSK_WINDOW (kiosk));
      g_assert_nonnull (kiosk_session_get_form (session));
      kiosk_form_set_value (kiosk_session_get_form (session), "description", answer);
      g_assert_false (out_of_service (k.app));

      _kiosk_application_set_store_check_held (k.app, FALSE);
      g_assert_true (kiosk_gui_test_wait_for (out_of_service, k.app));

      window = gtk_application_get_active_window (GTK_APPLICATION (k.app));
      g_assert_nonnull (strstr (kiosk_out_of_service_window_get_reason (KIOSK_OUT_OF_SERVICE_WINDOW (window)), k.db));
      g_assert_nonnull (strstr (kiosk_out_of_service_window_get_reason (KIOSK_OUT_OF_SERVICE_WINDOW (window)),
                                "is damaged"));
      g_assert_true (kiosk_out_of_service_window_get_interrupted (KIOSK_OUT_OF_SERVICE_WINDOW (window)));
      g_assert_nonnull (kiosk_gui_test_find_label (GTK_WIDGET (window),
                                                   "If you were filling in a form: it was not sent, and "
                                                   "nothing of it was kept. Please ask at the counter."));
      /* The form went with its window. */
      g_assert_null (kiosk);
      g_assert_false (_kiosk_application_get_store_checked (k.app));
      store = kiosk_context_get_store (kiosk_application_get_context (k.app));
      g_assert_nonnull (kiosk_store_get_damage (store));
      {
        char *contents = NULL;
        gsize len = 0;

        g_assert_true (g_file_get_contents (k.db, &contents, &len, NULL));
        after = g_bytes_new_take (contents, len);
      }
      g_assert_true (g_bytes_equal (before, after));

      gtk_window_destroy (window);
      g_clear_object (&k.app);
      kiosk_test_rm_rf (k.dir);
      g_free (k.dir);
      g_free (k.db);
      return;
    }
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_test_trap_assert_passed ();
}

/* The negative control: a whole database passes the check after the first
 * frame, and the kiosk stays in service. */
static void
test_whole_after_start (void)
{
  if (g_test_subprocess ())
    {
      Started k = { 0 };
      GtkWindow *window;

      start_kiosk (&k, FALSE, FALSE);
      g_assert_true (kiosk_gui_test_wait_for (store_checked, k.app));
      window = gtk_application_get_active_window (GTK_APPLICATION (k.app));
      g_assert_true (KIOSK_IS_WINDOW (window));
      g_assert_null (kiosk_store_get_damage (kiosk_context_get_store (kiosk_application_get_context (k.app))));

      gtk_window_destroy (window);
      g_clear_object (&k.app);
      kiosk_test_rm_rf (k.dir);
      g_free (k.dir);
      g_free (k.db);
      return;
    }
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_test_trap_assert_passed ();
}

int
main (int    argc,
      char **argv)
{
  gtk_test_init (&argc, &argv, NULL);
  /* No blinking cursor: see kiosk_gui_test_init_display (). */
  g_object_set (gtk_settings_get_default (), "gtk-cursor-blink", FALSE, NULL);
  g_test_add_func ("/kiosk/gui/application/missing-city-key", test_missing_city_key);
  g_test_add_func ("/kiosk/gui/application/sealing-off", test_sealing_off);
  g_test_add_func ("/kiosk/gui/application/damage-after-start", test_damage_after_start);
  g_test_add_func ("/kiosk/gui/application/whole-after-start", test_whole_after_start);
  return g_test_run ();
}

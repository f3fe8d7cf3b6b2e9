/* test-application.c — what the application decides at start, under Xvfb
 *
 * SPDX-FileCopyrightText: 2026 Stadtkiosk contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>

#include "kiosk-application.h"
#include "kiosk-test-util.h"

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

int
main (int    argc,
      char **argv)
{
  gtk_test_init (&argc, &argv, NULL);
  /* No blinking cursor: see kiosk_gui_test_init_display (). */
  g_object_set (gtk_settings_get_default (), "gtk-cursor-blink", FALSE, NULL);
  g_test_add_func ("/kiosk/gui/application/missing-city-key", test_missing_city_key);
  g_test_add_func ("/kiosk/gui/application/sealing-off", test_sealing_off);
  return g_test_run ();
}

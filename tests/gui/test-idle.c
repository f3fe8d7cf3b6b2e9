/* test-idle.c — the idle watcher's warning, under Xvfb
 *
 * SPDX-FileCopyrightText: 2026 Stadtkiosk contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <gtk/gtk.h>

#include "kiosk-idle-private.h"

static void
flush (void)
{
  for (guint i = 0; i < 1000 && g_main_context_iteration (NULL, FALSE); i++)
    ;
}

/* The warning begins with a sound, once per warning, not at every tick. */
static void
test_cue (void)
{
  g_autoptr(KioskClock) clock = kiosk_clock_new_fake (G_GINT64_CONSTANT (1790000000) * G_USEC_PER_SEC);
  KioskIdle *idle = kiosk_idle_new (clock, 60, 20);

  kiosk_idle_start (idle);
  kiosk_clock_advance (clock, 59 * G_USEC_PER_SEC);
  flush ();
  g_assert_false (kiosk_idle_get_warning (idle));
  g_assert_cmpuint (_kiosk_idle_get_cues_played (idle), ==, 0);

  kiosk_clock_advance (clock, 2 * G_USEC_PER_SEC);
  flush ();
  g_assert_true (kiosk_idle_get_warning (idle));
  g_assert_cmpuint (_kiosk_idle_get_cues_played (idle), ==, 1);
  for (guint i = 0; i < 5; i++)
    {
      kiosk_clock_advance (clock, G_USEC_PER_SEC);
      flush ();
    }
  g_assert_true (kiosk_idle_get_warning (idle));
  g_assert_cmpuint (_kiosk_idle_get_cues_played (idle), ==, 1);

  kiosk_idle_poke (idle);
  flush ();
  g_assert_false (kiosk_idle_get_warning (idle));
  kiosk_clock_advance (clock, 61 * G_USEC_PER_SEC);
  flush ();
  g_assert_true (kiosk_idle_get_warning (idle));
  g_assert_cmpuint (_kiosk_idle_get_cues_played (idle), ==, 2);

  kiosk_idle_stop (idle);
  g_assert_finalize_object (idle);
}

int
main (int    argc,
      char **argv)
{
  gtk_test_init (&argc, &argv, NULL);
  /* No blinking cursor: see kiosk_gui_test_init_display (). */
  g_object_set (gtk_settings_get_default (), "gtk-cursor-blink", FALSE, NULL);
  g_test_add_func ("/kiosk/gui/idle/cue", test_cue);
  return g_test_run ();
}

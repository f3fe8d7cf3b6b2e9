/* main.c
 *
 * SPDX-FileCopyrightText: 2026 Stadtkiosk contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "stadtkiosk"

#include "config.h"

#include "kiosk-application.h"
#include "kiosk-i18n.h"

int
main (int    argc,
      char **argv)
{
  g_autoptr(KioskApplication) app = NULL;

  /* An uninstalled build (tests, screenshots) points this at _build/po. */
  kiosk_i18n_init (g_getenv ("STADTKIOSK_LOCALEDIR") != NULL ? g_getenv ("STADTKIOSK_LOCALEDIR") : LOCALEDIR);

  /* A public terminal must not open the GTK Inspector, whatever the
   * environment asks for. */
  g_unsetenv ("GTK_DEBUG");

  app = kiosk_application_new ();
  return g_application_run (G_APPLICATION (app), argc, argv);
}

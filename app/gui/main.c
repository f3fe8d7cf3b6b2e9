/* main.c
 *
 * SPDX-FileCopyrightText: 2026 Stadtkiosk contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "stadtkiosk"

#include "config.h"

#include <string.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif

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

  /* GLib before 2.76 keeps freed GObjects in its slice allocator's caches
   * for good: at city scale the catalogue's load left 65 MB behind
   * (docs/catalog.md).  The systemd unit and ./dev run set G_SLICE; say so
   * when whoever started the kiosk did not. */
  if (glib_check_version (2, 76, 0) != NULL &&
      strstr (g_getenv ("G_SLICE") != NULL ? g_getenv ("G_SLICE") : "", "always-malloc") == NULL)
    g_message ("G_SLICE=always-malloc is not set: GLib %u.%u keeps the memory the kiosk frees "
               "(packaging/systemd/stadtkiosk.service sets it)", glib_major_version, glib_minor_version);

#ifdef __GLIBC__
  /* glibc raises its mmap threshold to the size of the largest block freed
   * (up to 32 MB) and its trim threshold to twice that.  At city scale the
   * catalogue's 17 MB row is such a block: after it, every buffer below
   * 17 MB (a frame's surfaces, SQLite's scratch) came from the heap, which
   * then did not shrink below 34 MB of free space: 2 to 3 MB more for as
   * long as the kiosk ran (#18, docs/catalog.md).  Setting the threshold
   * keeps glibc's default and turns the adjustment off. */
  mallopt (M_MMAP_THRESHOLD, 128 * 1024);
#endif

  app = kiosk_application_new ();
  return g_application_run (G_APPLICATION (app), argc, argv);
}

/* kiosk-watchdog.c
 *
 * SPDX-FileCopyrightText: 2026 Stadtkiosk contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "stadtkiosk-watchdog"

#include "config.h"

#include "kiosk-watchdog.h"

#ifdef HAVE_LIBSYSTEMD
#include <systemd/sd-daemon.h>
#endif

/* systemd's watchdog for the kiosk session.  The unit sets WatchdogSec=;
 * systemd passes the interval as WATCHDOG_USEC, and the kiosk sends
 * WATCHDOG=1 on the notify socket twice per interval from a timeout in the
 * GTK main loop.  When the main loop hangs, the pings stop and systemd
 * restarts the session (Restart=always).
 *
 * The unit's main process is cage, not the kiosk, so WATCHDOG_PID names
 * cage and sd_watchdog_enabled() would say "not for you".  The kiosk reads
 * WATCHDOG_USEC itself, and the unit has NotifyAccess=all so that systemd
 * accepts pings from cage's child. */

static gboolean
ping_cb (gpointer user_data)
{
#ifdef HAVE_LIBSYSTEMD
  sd_notify (0, "WATCHDOG=1");
#endif
  return G_SOURCE_CONTINUE;
}

/**
 * kiosk_watchdog_start:
 *
 * Starts pinging systemd's watchdog from the default main context when the
 * service manager asked for it (`WATCHDOG_USEC` in the environment).
 *
 * Returns: the timeout's source id, or 0 when there is no watchdog (not
 *   started by systemd, no WatchdogSec=, or built without libsystemd)
 */
guint
kiosk_watchdog_start (void)
{
  const char *value = g_getenv ("WATCHDOG_USEC");
  guint64 usec = 0;

  if (value == NULL || *value == '\0')
    return 0;
  if (!g_ascii_string_to_unsigned (value, 10, 1, G_MAXUINT64, &usec, NULL))
    {
      g_warning ("WATCHDOG_USEC='%s' is not a number of microseconds; not pinging the watchdog", value);
      return 0;
    }
#ifndef HAVE_LIBSYSTEMD
  g_warning ("systemd asked for watchdog pings, but this kiosk was built without libsystemd "
             "(meson -Dsystemd=disabled); the unit's WatchdogSec= will restart it");
  return 0;
#else
  {
    /* Twice per interval, as sd_watchdog_enabled(3) recommends. */
    guint interval_ms = (guint) MAX (usec / 2000, 1);
    guint id = g_timeout_add (interval_ms, ping_cb, NULL);

    g_source_set_name_by_id (id, "[stadtkiosk] watchdog ping");
    ping_cb (NULL);
    g_message ("systemd watchdog: pinging every %u ms", interval_ms);
    return id;
  }
#endif
}

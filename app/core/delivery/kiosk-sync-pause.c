/* kiosk-sync-pause.c
 *
 * SPDX-FileCopyrightText: 2026 Stadtkiosk contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "kiosk-sync"

#include "config.h"

#include <string.h>

#include "kiosk-store-private.h"
#include "kiosk-sync-pause.h"

/* A pause (a bad token, a redirect, a wrong URL: configuration, not the
 * network) lived only in the delivering process.  `alerts` probes only
 * /v1/health, which needs no token and does not redirect, so it said "No
 * alerts" while nothing was sent.  The delivering process now writes its
 * pause into the store's settings, and every process reads it back.  A
 * pause is over when the delivering process leaves it, or when any request
 * was delivered after it began (so one that ended with a crash does not
 * stay for ever). */

#define SETTING "sync-pause"

void
_kiosk_sync_pause_persist (KioskStore *store,
                           const char *reason,
                           gint64      at_us)
{
  g_autofree char *value = NULL;

  if (reason != NULL)
    value = g_strdup_printf ("%" G_GINT64_FORMAT "\n%s", at_us, reason);
  /* Best effort: a pause that cannot be written is still a pause here. */
  kiosk_store_set_setting (store, SETTING, value, NULL);
}

/**
 * kiosk_sync_dup_persisted_pause:
 *
 * Returns: (transfer full) (nullable): why the delivering process paused,
 *   or %NULL when it is not paused
 */
char *
kiosk_sync_dup_persisted_pause (KioskStore *store)
{
  g_autofree char *value = NULL;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  const char *reason;
  gint64 at_us;

  g_return_val_if_fail (KIOSK_IS_STORE (store), NULL);

  value = kiosk_store_get_setting (store, SETTING);
  if (value == NULL || (reason = strchr (value, '\n')) == NULL)
    return NULL;
  at_us = g_ascii_strtoll (value, NULL, 10);
  stmt = _kiosk_store_prepare (store,
                               "SELECT 1 FROM request_events WHERE to_state = 'delivered' AND at_us > ? LIMIT 1",
                               NULL);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, at_us);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    return NULL;
  return g_strdup (reason + 1);
}

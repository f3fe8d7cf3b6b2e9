/* kiosk-purge.h: personal answers erased after the service's retention
 *
 * SPDX-FileCopyrightText: 2026 Stadtkiosk contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "kiosk-context.h"

G_BEGIN_DECLS

/* For a request whose service the active catalogue no longer has (the
 * catalogue loader's default too). */
#define KIOSK_PURGE_DEFAULT_RETENTION_DAYS 90
#define KIOSK_PURGE_INTERVAL_MS (60 * 60 * 1000)

gboolean  kiosk_purge_run        (KioskContext  *context,
                                  gboolean       dry_run,
                                  GPtrArray    **out_requests,
                                  GError       **error);
guint     kiosk_purge_schedule   (KioskContext  *context);
void      kiosk_purge_unschedule (KioskContext  *context,
                                  guint          id);

G_END_DECLS

/* kiosk-sync-pause.h: the sync's pause, seen by every process
 *
 * SPDX-FileCopyrightText: 2026 Stadtkiosk contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "kiosk-store.h"

G_BEGIN_DECLS

char *kiosk_sync_dup_persisted_pause (KioskStore *store);
void  _kiosk_sync_pause_persist      (KioskStore *store,
                                      const char *reason,
                                      gint64      at_us);

G_END_DECLS

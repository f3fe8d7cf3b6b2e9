/* kiosk-sync-private.h
 *
 * SPDX-FileCopyrightText: 2026 Stadtkiosk contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "kiosk-sync.h"

G_BEGIN_DECLS

/* Delivery outcomes recorded per transaction at the most, and how long the
 * first of a batch waits for the others (see kiosk-sync.c). */
#define KIOSK_SYNC_OUTCOME_BATCH 64
#define KIOSK_SYNC_OUTCOME_DELAY_MS 50

gint64   _kiosk_sync_backoff_delay  (guint      attempts,
                                     gint64     retry_after_us,
                                     guint32    random);
guint    _kiosk_sync_get_wakeups    (KioskSync *self);
gboolean _kiosk_sync_is_idle        (KioskSync *self);
void     _kiosk_sync_set_seed       (KioskSync *self,
                                     guint32    seed);

G_END_DECLS

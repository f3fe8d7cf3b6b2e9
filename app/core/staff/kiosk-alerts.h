/* kiosk-alerts.h
 *
 * SPDX-FileCopyrightText: 2026 Stadtkiosk contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

#include "kiosk-context.h"

G_BEGIN_DECLS

/**
 * KioskAlertKind:
 * @KIOSK_ALERT_OLD_UNDELIVERED: requests undelivered for longer than
 *   [backend] alert-age-hours
 * @KIOSK_ALERT_REJECTED: a request the backend refused; a clerk must look
 * @KIOSK_ALERT_SYNC_PAUSED: the sync stopped because its configuration is wrong
 * @KIOSK_ALERT_STORE_DAMAGED: the database is damaged, or a damaged one was set aside
 * @KIOSK_ALERT_PRINTER: the configured printer cannot be reached
 * @KIOSK_ALERT_INFO_STALE: an info card's copy is older than [info] stale-hours
 */
typedef enum
{
  KIOSK_ALERT_OLD_UNDELIVERED,
  KIOSK_ALERT_REJECTED,
  KIOSK_ALERT_SYNC_PAUSED,
  KIOSK_ALERT_STORE_DAMAGED,
  KIOSK_ALERT_PRINTER,
  KIOSK_ALERT_INFO_STALE,
} KioskAlertKind;

/**
 * KioskAlert:
 * @kind: what kind of problem
 * @message: plain words for a clerk or admin, naming what and where
 * @request_id: (nullable): the request concerned, if one
 */
typedef struct
{
  KioskAlertKind  kind;
  char           *message;
  char           *request_id;
} KioskAlert;

const char *kiosk_alert_kind_to_string (KioskAlertKind  kind);
void        kiosk_alert_free           (KioskAlert     *alert);
GPtrArray  *kiosk_alerts_collect       (KioskConfig    *config,
                                        KioskContext   *context,
                                        const GError   *open_error,
                                        const char     *pause_reason,
                                        gint64          now_us);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (KioskAlert, kiosk_alert_free)

G_END_DECLS

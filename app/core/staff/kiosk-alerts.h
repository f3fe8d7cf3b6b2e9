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
 * @KIOSK_ALERT_BACKEND_SLOW: the city's system answers, but too slowly to
 *   finish an exchange within [backend] timeout
 * @KIOSK_ALERT_PRIVACY: answers would be stored in clear (real mode without
 *   a city key) or the city key went missing (kiosk-seal-policy.c)
 * @KIOSK_ALERT_CATALOG: a catalogue bundle was refused (unsigned, forged,
 *   older than the active one)
 * @KIOSK_ALERT_INFO_STALE: an info card's copy is older than [info] stale-hours
 */
typedef enum
{
  KIOSK_ALERT_OLD_UNDELIVERED,
  KIOSK_ALERT_REJECTED,
  KIOSK_ALERT_SYNC_PAUSED,
  KIOSK_ALERT_STORE_DAMAGED,
  KIOSK_ALERT_PRINTER,
  KIOSK_ALERT_BACKEND_SLOW,
  KIOSK_ALERT_PRIVACY,
  KIOSK_ALERT_CATALOG,
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

void        kiosk_alerts_add           (GPtrArray      *alerts,
                                        KioskAlertKind  kind,
                                        const char     *request_id,
                                        const char     *message);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (KioskAlert, kiosk_alert_free)

G_END_DECLS

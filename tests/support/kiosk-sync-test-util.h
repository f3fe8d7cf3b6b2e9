/* kiosk-sync-test-util.h: a throw-away kiosk for sync tests and the benchmark
 *
 * SPDX-FileCopyrightText: 2026 Stadtkiosk contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "stadtkiosk-core.h"

G_BEGIN_DECLS

typedef struct
{
  char         *dir;         /* removed on free */
  char         *conf_path;
  KioskConfig  *config;
  KioskClock   *clock;
  KioskContext *context;
  KioskOutbox  *outbox;      /* borrowed from context */
  KioskSync    *sync;
} SyncKiosk;

SyncKiosk    *sync_kiosk_new        (const char  *url,
                                     const char  *token,
                                     const char  *backend_extra,
                                     gboolean     fake_clock);
void          sync_kiosk_free       (SyncKiosk   *kiosk);
KioskRequest *sync_kiosk_enqueue    (SyncKiosk   *kiosk,
                                     const char  *answers_json);
void          sync_kiosk_wait_idle  (SyncKiosk   *kiosk);
gboolean      sync_kiosk_run_once   (SyncKiosk   *kiosk,
                                     GError     **error);
guint         sync_kiosk_count      (SyncKiosk   *kiosk,
                                     KioskRequestState state);
guint         sync_kiosk_drain      (SyncKiosk   *kiosk,
                                     guint        max_rounds);
char         *sync_kiosk_open_sealed_cb (GBytes     *sealed,
                                         const char *request_id,
                                         gpointer    user_data,
                                         GError    **error);

G_END_DECLS

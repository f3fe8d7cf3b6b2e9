/* kiosk-fake-open311.h: a stateful Open311 GeoReport v2 server with faults
 *
 * SPDX-FileCopyrightText: 2026 Stadtkiosk contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/**
 * KioskFakeOpen311Faults:
 * @drop_before_pct: % of POSTs whose connection is closed before anything is stored
 * @drop_after_pct: % stored, then the connection closed without an answer
 * @unavailable_pct: % answered 503 without storing
 * @token_pct: % stored and answered with a token instead of an id
 * @token_polls: how many GET /tokens/{token}.json answer without the id yet
 * @list_unavailable_pct: % of GET /requests.json answered 503
 * @delay_ms: every stored POST is answered this much later (server time
 *   per request, so that a killed client leaves requests stored but unanswered)
 *
 * Decided per request with a seeded random number.
 */
typedef struct
{
  guint drop_before_pct;
  guint drop_after_pct;
  guint unavailable_pct;
  guint token_pct;
  guint token_polls;
  guint list_unavailable_pct;
  guint delay_ms;
} KioskFakeOpen311Faults;

typedef struct _KioskFakeOpen311 KioskFakeOpen311;

KioskFakeOpen311 *kiosk_fake_open311_new             (guint                          port,
                                                      const char                    *api_key,
                                                      GError                       **error);
void              kiosk_fake_open311_free            (KioskFakeOpen311              *self);
const char       *kiosk_fake_open311_get_url         (KioskFakeOpen311              *self);
void              kiosk_fake_open311_set_faults      (KioskFakeOpen311              *self,
                                                      const KioskFakeOpen311Faults  *faults);
gboolean          kiosk_fake_open311_parse_faults    (const char                    *spec,
                                                      KioskFakeOpen311Faults        *faults,
                                                      GError                       **error);
void              kiosk_fake_open311_set_now         (KioskFakeOpen311              *self,
                                                      gint64                         unix_us);
void              kiosk_fake_open311_set_seed        (KioskFakeOpen311              *self,
                                                      guint32                        seed);
void              kiosk_fake_open311_add_service     (KioskFakeOpen311              *self,
                                                      const char                    *code,
                                                      const char                    *service_json,
                                                      const char                    *definition_json);
guint             kiosk_fake_open311_get_n_posts     (KioskFakeOpen311              *self);
guint             kiosk_fake_open311_get_n_stored    (KioskFakeOpen311              *self);
guint             kiosk_fake_open311_get_n_lists     (KioskFakeOpen311              *self);
guint             kiosk_fake_open311_count_code      (KioskFakeOpen311              *self,
                                                      const char                    *short_code);
guint             kiosk_fake_open311_get_max_copies  (KioskFakeOpen311              *self);
char             *kiosk_fake_open311_dup_form        (KioskFakeOpen311              *self,
                                                      const char                    *short_code);
gboolean          kiosk_fake_open311_set_status      (KioskFakeOpen311              *self,
                                                      const char                    *short_code,
                                                      const char                    *status,
                                                      const char                    *status_notes);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (KioskFakeOpen311, kiosk_fake_open311_free)

G_END_DECLS

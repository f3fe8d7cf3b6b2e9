/* kiosk-routes.h
 *
 * SPDX-FileCopyrightText: 2026 Stadtkiosk contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "kiosk-context.h"
#include "kiosk-service.h"
#include "kiosk-target.h"

G_BEGIN_DECLS

typedef struct _KioskRoutes KioskRoutes;

/* Requests asked about per round of kiosk_routes_pull_city_status(). */
#define KIOSK_ROUTES_STATUS_BATCH 50

KioskRoutes        *kiosk_routes_new             (KioskContext     *context,
                                                  guint             max_connections);
void                kiosk_routes_free            (KioskRoutes      *self);
void                kiosk_routes_refresh         (KioskRoutes      *self);
void                kiosk_routes_reset           (KioskRoutes      *self);
KioskTargetKind     kiosk_routes_get_default     (KioskRoutes      *self);
KioskTarget        *kiosk_routes_get_target      (KioskRoutes      *self,
                                                  KioskTargetKind   kind);
KioskTargetKind     kiosk_routes_choose_primary  (KioskRoutes      *self,
                                                  const char      **out_problem);
void                kiosk_routes_pause           (KioskRoutes      *self,
                                                  KioskTargetKind   kind,
                                                  const char       *reason,
                                                  gint64            until_us);
GPtrArray          *kiosk_routes_claim           (KioskRoutes      *self,
                                                  guint             max,
                                                  GError          **error);
KioskTargetKind     kiosk_routes_kind_of         (KioskRequest     *request);
gint64              kiosk_routes_get_next_due    (KioskRoutes      *self);
char               *kiosk_routes_dup_problems    (KioskRoutes      *self);
void                kiosk_routes_queue_changed   (KioskRoutes      *self);
gboolean            kiosk_routes_delivers_in_clear (KioskContext   *context,
                                                    const char     *service_id);
void                kiosk_routes_pull_city_status (KioskRoutes     *self,
                                                  gint64            since_us,
                                                  GCancellable     *cancellable);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (KioskRoutes, kiosk_routes_free)

G_END_DECLS

/* kiosk-context.h
 *
 * SPDX-FileCopyrightText: 2026 Stadtkiosk contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

#include "kiosk-catalog.h"
#include "kiosk-clock.h"
#include "kiosk-config.h"
#include "kiosk-outbox.h"
#include "kiosk-pins.h"
#include "kiosk-store.h"

G_BEGIN_DECLS

#define KIOSK_TYPE_CONTEXT (kiosk_context_get_type ())

G_DECLARE_FINAL_TYPE (KioskContext, kiosk_context, KIOSK, CONTEXT, GObject)

KioskContext *kiosk_context_new             (KioskConfig   *config,
                                             KioskClock    *clock,
                                             GError       **error);
KioskContext *kiosk_context_new_with_flags  (KioskConfig          *config,
                                             KioskClock           *clock,
                                             KioskStoreOpenFlags   flags,
                                             GError              **error);
KioskCatalog *kiosk_context_dup_active_catalog (KioskContext  *self,
                                                GError       **error);
gboolean      kiosk_context_active_catalog_is_quick (KioskContext  *self);
void          kiosk_context_load_active_catalog_async  (KioskContext        *self,
                                                        GCancellable        *cancellable,
                                                        GAsyncReadyCallback  callback,
                                                        gpointer             user_data);
KioskCatalog *kiosk_context_load_active_catalog_finish (KioskContext  *self,
                                                        GAsyncResult  *result,
                                                        GError       **error);
KioskConfig  *kiosk_context_get_config      (KioskContext  *self);
KioskClock   *kiosk_context_get_clock       (KioskContext  *self);
KioskStore   *kiosk_context_get_store       (KioskContext  *self);
KioskOutbox  *kiosk_context_get_outbox      (KioskContext  *self);
KioskPins    *kiosk_context_get_pins        (KioskContext  *self);
KioskRequest *kiosk_context_submit          (KioskContext       *self,
                                             const KioskRequestDraft *draft,
                                             const char         *actor,
                                             GError            **error);
gboolean      kiosk_context_audit           (KioskContext  *self,
                                             const char    *role,
                                             const char    *action,
                                             const char    *detail);
char         *kiosk_context_dup_db_path     (KioskConfig   *config);

G_END_DECLS

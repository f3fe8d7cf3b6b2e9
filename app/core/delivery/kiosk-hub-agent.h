/* kiosk-hub-agent.h
 *
 * SPDX-FileCopyrightText: 2026 Stadtkiosk contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "kiosk-context.h"
#include "kiosk-couchdb-target.h"
#include "kiosk-sync.h"

G_BEGIN_DECLS

#define KIOSK_TYPE_HUB_AGENT (kiosk_hub_agent_get_type ())

G_DECLARE_FINAL_TYPE (KioskHubAgent, kiosk_hub_agent, KIOSK, HUB_AGENT, GObject)

KioskHubAgent *kiosk_hub_agent_new              (KioskContext       *context,
                                                 KioskCouchdbTarget *target,
                                                 KioskSync          *sync);
void           kiosk_hub_agent_start            (KioskHubAgent      *self);
void           kiosk_hub_agent_stop             (KioskHubAgent      *self);
guint          kiosk_hub_agent_get_n_rounds     (KioskHubAgent      *self);
const char    *kiosk_hub_agent_get_last_error   (KioskHubAgent      *self);
void           kiosk_hub_agent_run_once_async   (KioskHubAgent      *self,
                                                 GCancellable       *cancellable,
                                                 GAsyncReadyCallback callback,
                                                 gpointer            user_data);
gboolean       kiosk_hub_agent_run_once_finish  (KioskHubAgent      *self,
                                                 GAsyncResult       *result,
                                                 guint              *out_n_updated,
                                                 GError            **error);

G_END_DECLS

/* kiosk-sync.h
 *
 * SPDX-FileCopyrightText: 2026 Stadtkiosk contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "kiosk-context.h"
#include "kiosk-target.h"

G_BEGIN_DECLS

#define KIOSK_SYNC_ERROR (kiosk_sync_error_quark ())

typedef enum
{
  KIOSK_SYNC_ERROR_OFFLINE,   /* the backend did not answer its health probe */
  KIOSK_SYNC_ERROR_PAUSED,    /* the configuration is wrong; see the message */
  KIOSK_SYNC_ERROR_STORE,     /* the database refused */
  KIOSK_SYNC_ERROR_CATALOG,   /* a pulled catalogue was refused; the last good one stays */
  KIOSK_SYNC_ERROR_UNSUPPORTED, /* the target cannot do that */
} KioskSyncError;

/**
 * KioskSyncState:
 * @KIOSK_SYNC_OFFLINE: the backend's health probe did not answer (or not yet)
 * @KIOSK_SYNC_ONLINE: reachable, nothing being sent
 * @KIOSK_SYNC_SYNCING: requests are on their way
 * @KIOSK_SYNC_PAUSED: the configuration is wrong (token, URL, TLS); see
 *   #KioskSync:pause-reason.  Nothing is sent until it is fixed.
 */
typedef enum
{
  KIOSK_SYNC_OFFLINE,
  KIOSK_SYNC_ONLINE,
  KIOSK_SYNC_SYNCING,
  KIOSK_SYNC_PAUSED,
} KioskSyncState;

/* How many requests are in flight at once for a target that does not ask
 * for more (kiosk_target_get_max_in_flight(); the CouchDB target asks for a
 * whole _bulk_docs batch). */
#define KIOSK_SYNC_MAX_IN_FLIGHT 4
/* Backoff: full jitter over base * 2^(attempts - 1), capped. */
#define KIOSK_SYNC_BACKOFF_BASE_US (G_GINT64_CONSTANT (30) * G_USEC_PER_SEC)
#define KIOSK_SYNC_BACKOFF_CAP_US (G_GINT64_CONSTANT (30) * 60 * G_USEC_PER_SEC)

#define KIOSK_TYPE_SYNC_STATE (kiosk_sync_state_get_type ())
#define KIOSK_TYPE_SYNC (kiosk_sync_get_type ())

GType kiosk_sync_state_get_type (void) G_GNUC_CONST;

G_DECLARE_FINAL_TYPE (KioskSync, kiosk_sync, KIOSK, SYNC, GObject)

GQuark          kiosk_sync_error_quark            (void);
const char     *kiosk_sync_state_to_string        (KioskSyncState        state);

KioskSync      *kiosk_sync_new                    (KioskContext         *context);
KioskSync      *kiosk_sync_new_routed_at_start    (KioskContext         *context);
KioskSync      *kiosk_sync_new_for_target         (KioskContext         *context,
                                                   KioskTarget          *target);
void            kiosk_sync_start                  (KioskSync            *self);
void            kiosk_sync_stop                   (KioskSync            *self);
void            kiosk_sync_resume                 (KioskSync            *self);
void            kiosk_sync_run_once_async         (KioskSync            *self,
                                                   GCancellable         *cancellable,
                                                   GAsyncReadyCallback   callback,
                                                   gpointer              user_data);
gboolean        kiosk_sync_run_once_finish        (KioskSync            *self,
                                                   GAsyncResult         *result,
                                                   GError              **error);
void            kiosk_sync_check_async            (KioskSync            *self,
                                                   GCancellable         *cancellable,
                                                   GAsyncReadyCallback   callback,
                                                   gpointer              user_data);
gboolean        kiosk_sync_check_finish           (KioskSync            *self,
                                                   GAsyncResult         *result,
                                                   GError              **error);
void            kiosk_sync_pull_catalog_async     (KioskSync            *self,
                                                   GCancellable         *cancellable,
                                                   GAsyncReadyCallback   callback,
                                                   gpointer              user_data);
gboolean        kiosk_sync_pull_catalog_finish    (KioskSync            *self,
                                                   GAsyncResult         *result,
                                                   gboolean             *out_changed,
                                                   GError              **error);
void            kiosk_sync_refresh_status         (KioskSync            *self);

KioskTarget    *kiosk_sync_get_target             (KioskSync            *self);
KioskSyncState  kiosk_sync_get_state              (KioskSync            *self);
const char     *kiosk_sync_get_pause_reason       (KioskSync            *self);
gint64          kiosk_sync_get_last_success       (KioskSync            *self);
gint64          kiosk_sync_get_next_attempt       (KioskSync            *self);
gint64          kiosk_sync_get_oldest_undelivered (KioskSync            *self);
gboolean        kiosk_sync_get_alert              (KioskSync            *self);
const char     *kiosk_sync_get_last_error         (KioskSync            *self);
const char     *kiosk_sync_get_routing_problem    (KioskSync            *self);
guint           kiosk_sync_get_in_flight          (KioskSync            *self);
void            kiosk_sync_get_counts             (KioskSync            *self,
                                                   guint                 counts[KIOSK_REQUEST_N_STATES]);
gint64          kiosk_sync_get_catalog_as_of      (KioskSync            *self);

G_END_DECLS

/* kiosk-citizen-status-remote.h: the status page asks the hub, or the
 * Submission API, for codes of other kiosks
 *
 * SPDX-FileCopyrightText: 2026 Stadtkiosk contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "kiosk-citizen-status.h"
#include "kiosk-couchdb-target.h"
#include "kiosk-submission-target.h"

G_BEGIN_DECLS

/* How long a citizen waits for the hub: the whole lookup, both reads. */
#define KIOSK_CITIZEN_STATUS_HUB_DEADLINE_S 3

/* The design document's views (data/couchdb/stadtkiosk-design.json): by
 * the code on the slip, and by the SHA-256 of its QR payload (a scan). */
#define KIOSK_CITIZEN_STATUS_HUB_VIEW "_design/stadtkiosk/_view/citizen_status_by_short_code"
#define KIOSK_CITIZEN_STATUS_HUB_RECEIPT_VIEW "_design/stadtkiosk/_view/citizen_status_by_receipt"

void                kiosk_citizen_status_lookup_async  (KioskOutbox         *outbox,
                                                        KioskStatusGuard    *guard,
                                                        KioskCouchdbTarget  *hub,
                                                        KioskSubmissionTarget *api,
                                                        const char          *typed,
                                                        guint                deadline_s,
                                                        GCancellable        *cancellable,
                                                        GAsyncReadyCallback  callback,
                                                        gpointer             user_data);
KioskCitizenStatus *kiosk_citizen_status_lookup_finish (GAsyncResult        *result,
                                                        gboolean            *out_from_hub,
                                                        GError             **error);

G_END_DECLS

/* kiosk-submission-status.h
 *
 * SPDX-FileCopyrightText: 2026 Stadtkiosk contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "kiosk-outbox.h"
#include "kiosk-submission-target.h"

G_BEGIN_DECLS

/* Requests asked about per round at the most, one after the other. */
#define KIOSK_SUBMISSION_STATUS_MAX_PER_ROUND 50
/* Delivered requests younger than this are asked about. */
#define KIOSK_SUBMISSION_STATUS_WINDOW_US (G_GINT64_CONSTANT (30) * 24 * 3600 * G_USEC_PER_SEC)

void     kiosk_submission_status_pull_async  (KioskSubmissionTarget *target,
                                              KioskOutbox           *outbox,
                                              gint64                 now_us,
                                              GCancellable          *cancellable,
                                              GAsyncReadyCallback    callback,
                                              gpointer               user_data);
gboolean kiosk_submission_status_pull_finish (KioskSubmissionTarget *target,
                                              GAsyncResult          *result,
                                              guint                 *out_n_updated,
                                              GError               **error);

G_END_DECLS

/* kiosk-request-private.h
 *
 * SPDX-FileCopyrightText: 2026 Stadtkiosk contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <sqlite3.h>

#include "kiosk-request.h"

G_BEGIN_DECLS

/* The column list that _kiosk_request_new_from_row() reads, in order. */
#define KIOSK_REQUEST_COLUMNS \
  "id, short_code, service_id, service_version, locale, created_us, updated_us, " \
  "answers, state, attempts, next_attempt_us, last_error, remote_ref, flags, answers_format, " \
  "origin_kiosk_id, receipt_payload"

KioskRequest *_kiosk_request_new_from_row (sqlite3_stmt *stmt);
KioskRequest *_kiosk_request_new_queued   (const KioskRequestDraft *draft,
                                           const char              *id,
                                           const char              *short_code,
                                           gint64                   now_us);
void          _kiosk_request_set_progress (KioskRequest            *self,
                                           KioskRequestState        state,
                                           gint64                   updated_us,
                                           guint                    attempts,
                                           gint64                   next_attempt_us,
                                           const char              *last_error,
                                           const char              *remote_ref);

G_END_DECLS

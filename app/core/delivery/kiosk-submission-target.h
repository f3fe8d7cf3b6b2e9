/* kiosk-submission-target.h
 *
 * SPDX-FileCopyrightText: 2026 Stadtkiosk contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "kiosk-clock.h"
#include "kiosk-config.h"
#include "kiosk-target.h"

G_BEGIN_DECLS

#define KIOSK_TYPE_SUBMISSION_TARGET (kiosk_submission_target_get_type ())

G_DECLARE_FINAL_TYPE (KioskSubmissionTarget, kiosk_submission_target, KIOSK, SUBMISSION_TARGET, GObject)

KioskSubmissionTarget *kiosk_submission_target_new                 (KioskConfig            *config,
                                                                    KioskClock             *clock,
                                                                    guint                   max_connections,
                                                                    GError                **error);
GBytes                *kiosk_submission_target_build_body          (KioskSubmissionTarget  *self,
                                                                    KioskRequest           *request,
                                                                    GError                **error);
void                   kiosk_submission_target_fetch_catalog_async (KioskSubmissionTarget  *self,
                                                                    const char             *etag,
                                                                    GCancellable           *cancellable,
                                                                    GAsyncReadyCallback     callback,
                                                                    gpointer                user_data);
GBytes                *kiosk_submission_target_fetch_catalog_finish (KioskSubmissionTarget *self,
                                                                    GAsyncResult           *result,
                                                                    char                  **out_etag,
                                                                    GError                **error);

void                   kiosk_submission_target_lookup_async (KioskSubmissionTarget  *self,
                                                             const char             *request_id,
                                                             GCancellable           *cancellable,
                                                             GAsyncReadyCallback     callback,
                                                             gpointer                user_data);
void                   kiosk_submission_target_lookup_code_async (KioskSubmissionTarget  *self,
                                                                  const char             *short_code,
                                                                  GCancellable           *cancellable,
                                                                  GAsyncReadyCallback     callback,
                                                                  gpointer                user_data);
GBytes                *kiosk_submission_target_lookup_finish (KioskSubmissionTarget  *self,
                                                              GAsyncResult           *result,
                                                              guint                  *out_status,
                                                              GError                **error);

G_END_DECLS

/* kiosk-submission-target-private.h
 *
 * SPDX-FileCopyrightText: 2026 Stadtkiosk contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "kiosk-submission-target.h"

G_BEGIN_DECLS

KioskOutcome *_kiosk_submission_target_read_answer (KioskSubmissionTarget *self,
                                                    guint                  status,
                                                    const char            *reason,
                                                    const char            *retry_after,
                                                    GBytes                *body,
                                                    gboolean               want_reference);

G_END_DECLS

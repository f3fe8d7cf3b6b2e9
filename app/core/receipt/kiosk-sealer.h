/* kiosk-sealer.h
 *
 * SPDX-FileCopyrightText: 2026 Stadtkiosk contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

#include "kiosk-clock.h"
#include "kiosk-config.h"
#include "kiosk-outbox.h"
#include "kiosk-request.h"

G_BEGIN_DECLS

gboolean  kiosk_sealer_seal_at_rest         (KioskConfig        *config,
                                             KioskClock         *clock,
                                             KioskRequestDraft  *draft,
                                             GBytes            **out_sealed,
                                             GError            **error);
GBytes   *kiosk_sealer_receipt_for_draft    (KioskConfig        *config,
                                             const KioskRequestDraft *draft,
                                             GError            **error);
GBytes   *kiosk_sealer_payload_for_request  (KioskConfig        *config,
                                             KioskRequest       *request,
                                             GError            **error);

G_END_DECLS

/* kiosk-payload-private.h
 *
 * SPDX-FileCopyrightText: 2026 Stadtkiosk contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "kiosk-payload.h"

G_BEGIN_DECLS

/* The body parser alone, behind the seal: for the fuzzer, which cannot
 * forge sealed boxes to reach it. */
KioskPayload *_kiosk_payload_parse_body (guint          flags,
                                         const guint8  *body,
                                         gsize          len,
                                         GError       **error);

G_END_DECLS

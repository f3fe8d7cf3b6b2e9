/* kiosk-open311-target-private.h
 *
 * SPDX-FileCopyrightText: 2026 Stadtkiosk contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "kiosk-open311-target.h"

G_BEGIN_DECLS

/* The negative control of the exactly-once test: re-send without looking. */
void _kiosk_open311_target_set_look_before_resend (KioskOpen311Target *self,
                                                   gboolean            look);
/* How long to wait between token polls (default 1000 ms), and how often. */
void _kiosk_open311_target_set_token_polls        (KioskOpen311Target *self,
                                                   guint               delay_ms,
                                                   guint               polls);

G_END_DECLS

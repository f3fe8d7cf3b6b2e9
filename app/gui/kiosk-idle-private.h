/* kiosk-idle-private.h
 *
 * SPDX-FileCopyrightText: 2026 Stadtkiosk contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "kiosk-idle.h"

G_BEGIN_DECLS

guint _kiosk_idle_get_cues_played (KioskIdle *self);

G_END_DECLS

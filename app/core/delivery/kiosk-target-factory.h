/* kiosk-target-factory.h
 *
 * SPDX-FileCopyrightText: 2026 Stadtkiosk contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "kiosk-clock.h"
#include "kiosk-config.h"
#include "kiosk-service.h"
#include "kiosk-target.h"

G_BEGIN_DECLS

KioskTarget *kiosk_target_new_for_kind (KioskTargetKind   kind,
                                        KioskConfig      *config,
                                        KioskClock       *clock,
                                        guint             max_connections,
                                        GError          **error);

G_END_DECLS

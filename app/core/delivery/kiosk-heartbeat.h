/* kiosk-heartbeat.h
 *
 * SPDX-FileCopyrightText: 2026 Stadtkiosk contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

#include "kiosk-context.h"

G_BEGIN_DECLS

JsonObject *kiosk_heartbeat_build (KioskContext *context,
                                   gint64        last_success_us,
                                   const char   *pause_reason,
                                   GError      **error);

G_END_DECLS

/* kiosk-application-private.h
 *
 * SPDX-FileCopyrightText: 2026 Stadtkiosk contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "kiosk-application.h"

G_BEGIN_DECLS

/* Tests: hold the database's integrity check (normally run once the first
 * frame is up) until released, so that a citizen can be mid-form when it
 * finds damage. */
void     _kiosk_application_set_store_check_held (KioskApplication *self,
                                                  gboolean          held);
/* Whether the check after the first frame passed. */
gboolean _kiosk_application_get_store_checked    (KioskApplication *self);

G_END_DECLS

/* kiosk-automount.h
 *
 * SPDX-FileCopyrightText: 2026 Stadtkiosk contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

gboolean kiosk_automount_should_mount (GVolume *volume);
void     kiosk_automount_start        (void);

G_END_DECLS

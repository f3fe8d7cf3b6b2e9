/* kiosk-queue-export-private.h
 *
 * SPDX-FileCopyrightText: 2026 Stadtkiosk contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "kiosk-queue-export.h"

G_BEGIN_DECLS

int _kiosk_queue_file_parse (KioskKeys   *keys,
                             const char  *contents,
                             gsize        length,
                             char       **out_kiosk_id,
                             GError     **error);

G_END_DECLS

/* kiosk-info-private.h: the catalogue loader's hook into the info cards
 *
 * SPDX-FileCopyrightText: 2026 Stadtkiosk contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "kiosk-info.h"
#include "kiosk-json-private.h"

G_BEGIN_DECLS

/* Reads the catalogue's "info" member; each problem is appended to @errors
 * as "<source>: <pointer>: <message>", like the rest of the loader. */
GPtrArray *_kiosk_info_cards_parse (const KioskJsonValue *info,
                                    const char           *source,
                                    GPtrArray            *errors);

/* A JSON pointer (RFC 6901) into @root; NULL when it names nothing. */
const KioskJsonValue *_kiosk_info_json_pointer (const KioskJsonValue *root,
                                                const char           *pointer);

G_END_DECLS

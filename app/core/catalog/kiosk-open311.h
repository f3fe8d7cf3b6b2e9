/* kiosk-open311.h: Open311 GeoReport v2 service definitions -> catalogue
 *
 * SPDX-FileCopyrightText: 2026 Stadtkiosk contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define KIOSK_OPEN311_ERROR (kiosk_open311_error_quark ())

typedef enum
{
  KIOSK_OPEN311_ERROR_INVALID,   /* the Open311 documents break the spec; the message lists every problem */
} KioskOpen311Error;

GQuark  kiosk_open311_error_quark (void);
GBytes *kiosk_open311_import      (GBytes      *services_json,
                                   GHashTable  *definitions,
                                   const char  *version,
                                   GError     **error);

G_END_DECLS

/* kiosk-request-json.h
 *
 * SPDX-FileCopyrightText: 2026 Stadtkiosk contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

#include "kiosk-request.h"

G_BEGIN_DECLS

#define KIOSK_REQUEST_JSON_ERROR (kiosk_request_json_error_quark ())

typedef enum
{
  KIOSK_REQUEST_JSON_ERROR_ANSWERS,   /* the stored answers are not a JSON object */
} KioskRequestJsonError;

/**
 * KioskRequestJsonFlags:
 * @KIOSK_REQUEST_JSON_DEFAULT: unreadable stored answers are an error
 * @KIOSK_REQUEST_JSON_LENIENT: unreadable stored answers become `null` (for
 *   showing a request, not for sending it)
 */
typedef enum
{
  KIOSK_REQUEST_JSON_DEFAULT = 0,
  KIOSK_REQUEST_JSON_LENIENT = 1 << 0,
} KioskRequestJsonFlags;

GQuark    kiosk_request_json_error_quark (void);
gboolean  kiosk_request_build_json       (KioskRequest           *request,
                                          JsonBuilder            *builder,
                                          const char * const     *members,
                                          const char             *kiosk_id,
                                          KioskRequestJsonFlags   flags,
                                          GError                **error);

G_END_DECLS

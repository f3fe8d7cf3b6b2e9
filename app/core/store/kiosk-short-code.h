/* kiosk-short-code.h
 *
 * SPDX-FileCopyrightText: 2026 Stadtkiosk contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define KIOSK_SHORT_CODE_ERROR (kiosk_short_code_error_quark ())

typedef enum
{
  KIOSK_SHORT_CODE_ERROR_FORMAT,
  KIOSK_SHORT_CODE_ERROR_CHECK,
} KioskShortCodeError;

GQuark   kiosk_short_code_error_quark (void);
char    *kiosk_short_code_generate    (const char  *prefix);
char    *kiosk_short_code_normalize   (const char  *typed,
                                       GError     **error);
gboolean kiosk_short_code_is_valid    (const char  *code);
char     kiosk_short_code_check_char  (const char  *chars,
                                       gssize       len);

G_END_DECLS

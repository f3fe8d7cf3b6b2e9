/* kiosk-language.h
 *
 * SPDX-FileCopyrightText: 2026 Stadtkiosk contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

const char * const *kiosk_language_get_supported        (void);
gboolean            kiosk_language_is_supported         (const char *code);
const char         *kiosk_language_from_locale          (const char *locale);
const char         *kiosk_language_get_native_name      (const char *code);
const char         *kiosk_language_get_locale           (const char *code);
const char         *kiosk_language_get_gettext_languages (const char *code);
const char         *kiosk_language_get_speech_language  (const char *code);
gboolean            kiosk_language_is_rtl               (const char *code);

void                kiosk_language_set_current          (const char *code);
const char         *kiosk_language_get_current          (void);
const char         *kiosk_language_push_thread          (const char *code);
void                kiosk_language_pop_thread           (const char *previous);

const char         *kiosk_language_gettext              (const char *code,
                                                         const char *msgid) G_GNUC_FORMAT (2);
const char         *kiosk_language_pgettext             (const char *code,
                                                         const char *context,
                                                         const char *msgid) G_GNUC_FORMAT (3);
const char         *kiosk_language_ngettext             (const char *code,
                                                         const char *msgid,
                                                         const char *msgid_plural,
                                                         gulong      n) G_GNUC_FORMAT (3);

char               *kiosk_language_format_number        (const char *code,
                                                         double      value);

G_END_DECLS

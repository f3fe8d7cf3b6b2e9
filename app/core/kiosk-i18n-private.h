/* kiosk-i18n-private.h
 *
 * SPDX-FileCopyrightText: 2026 Stadtkiosk contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

/* Include instead of <glib/gi18n-lib.h> in the core: the same macros (so
 * xgettext finds the strings as before), but translated into the session
 * language by kiosk-language.c, not by the process locale.  A function
 * that is handed a language sets it for its thread with
 * kiosk_language_push_thread(). */

#include <glib/gi18n-lib.h>

#include "kiosk-language.h"

#undef _
#undef C_
#define _(String) kiosk_language_gettext (NULL, String)
#define C_(Context, String) kiosk_language_pgettext (NULL, Context, String)
/* g_dngettext() keeps its name for xgettext's glib preset. */
#define g_dngettext(Domain, Msgid, Plural, N) kiosk_language_ngettext (NULL, Msgid, Plural, N)

/* kiosk-i18n.c
 *
 * SPDX-FileCopyrightText: 2026 Stadtkiosk contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "stadtkiosk"

#include "config.h"

#include "kiosk-i18n.h"

#include <glib/gi18n.h>
#include <locale.h>

/**
 * kiosk_i18n_init:
 * @localedir: where the compiled catalogues are
 *
 * Sets up gettext for the process, before anything translates.
 *
 * GLib's g_dgettext() (GTK's own strings) decides on its first call, once
 * for the process, whether to translate at all; under LANG=C.UTF-8, the
 * kiosk's systemd environment, it decides not to, and no later language
 * switch undoes that.  So the first call is made here, with gettext
 * pointed at German, which is always there.  The session language is set
 * later by the window (kiosk_language_set_current() and $LANGUAGE).
 */
void
kiosk_i18n_init (const char *localedir)
{
  g_autofree char *saved_language = g_strdup (g_getenv ("LANGUAGE"));
  const char *messages;

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, localedir);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  /* gettext ignores LANGUAGE in the plain C locale; C.UTF-8 honours it. */
  messages = setlocale (LC_MESSAGES, NULL);
  if (messages == NULL || g_str_equal (messages, "C") || g_str_equal (messages, "POSIX"))
    setlocale (LC_MESSAGES, "C.UTF-8");

  g_setenv ("LANGUAGE", "de", TRUE);
  textdomain (GETTEXT_PACKAGE);
  (void) g_dgettext (GETTEXT_PACKAGE, "");
  if (saved_language != NULL)
    g_setenv ("LANGUAGE", saved_language, TRUE);
  else
    g_unsetenv ("LANGUAGE");
  textdomain (GETTEXT_PACKAGE);
}

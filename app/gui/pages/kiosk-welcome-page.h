/* kiosk-welcome-page.h
 *
 * SPDX-FileCopyrightText: 2026 Stadtkiosk contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define KIOSK_TYPE_WELCOME_PAGE (kiosk_welcome_page_get_type ())

G_DECLARE_FINAL_TYPE (KioskWelcomePage, kiosk_welcome_page, KIOSK, WELCOME_PAGE, AdwBin)

GtkWidget *kiosk_welcome_page_new            (const char * const *languages,
                                              const char         *current);
void       kiosk_welcome_page_set_online     (KioskWelcomePage   *self,
                                              gboolean            online);
void       kiosk_welcome_page_set_has_info   (KioskWelcomePage   *self,
                                              gboolean            has_info);

G_END_DECLS

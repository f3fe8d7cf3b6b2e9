/* kiosk-language-button.h
 *
 * SPDX-FileCopyrightText: 2026 Stadtkiosk contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define KIOSK_TYPE_LANGUAGE_BUTTON (kiosk_language_button_get_type ())

G_DECLARE_FINAL_TYPE (KioskLanguageButton, kiosk_language_button, KIOSK, LANGUAGE_BUTTON, GtkWidget)

GtkWidget *kiosk_language_button_new           (void);
void       kiosk_language_button_set_languages (KioskLanguageButton *self,
                                                const char * const  *languages,
                                                const char          *current);
GtkWidget *kiosk_language_button_get_choice    (KioskLanguageButton *self,
                                                const char          *language);
void       kiosk_language_button_popup         (KioskLanguageButton *self);

G_END_DECLS

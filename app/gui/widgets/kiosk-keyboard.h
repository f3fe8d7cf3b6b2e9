/* kiosk-keyboard.h
 *
 * SPDX-FileCopyrightText: 2026 Stadtkiosk contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

typedef enum
{
  KIOSK_KEYBOARD_QWERTZ,
  KIOSK_KEYBOARD_QWERTY,
  KIOSK_KEYBOARD_NUMERIC,
  KIOSK_KEYBOARD_EMAIL,
  KIOSK_KEYBOARD_PHONE,
  KIOSK_KEYBOARD_TURKISH,     /* Turkish Q */
  KIOSK_KEYBOARD_POLISH,      /* QWERTY with a row of ą ć ę ł ń ó ś ź ż */
  KIOSK_KEYBOARD_UKRAINIAN,   /* ЙЦУКЕН with і ї є ґ */
  KIOSK_KEYBOARD_RUSSIAN,     /* ЙЦУКЕН */
  KIOSK_KEYBOARD_ARABIC,      /* the standard Arabic (101) layout */
} KioskKeyboardLayout;

#define KIOSK_TYPE_KEYBOARD (kiosk_keyboard_get_type ())

G_DECLARE_FINAL_TYPE (KioskKeyboard, kiosk_keyboard, KIOSK, KEYBOARD, GtkWidget)

GtkWidget           *kiosk_keyboard_new                (void);
void                 kiosk_keyboard_set_layout         (KioskKeyboard       *self,
                                                        KioskKeyboardLayout  layout);
void                 kiosk_keyboard_set_language       (KioskKeyboard       *self,
                                                        const char          *language);
KioskKeyboardLayout  kiosk_keyboard_get_layout         (KioskKeyboard       *self);
KioskKeyboardLayout  kiosk_keyboard_layout_for_purpose (GtkInputPurpose      purpose,
                                                        const char          *language);
GtkEditable         *kiosk_keyboard_find_target        (GtkWidget           *focus);
gboolean             kiosk_keyboard_press              (KioskKeyboard       *self,
                                                        const char          *key);
GtkWidget           *kiosk_keyboard_get_key            (KioskKeyboard       *self,
                                                        const char          *key);

G_END_DECLS

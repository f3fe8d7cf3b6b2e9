/* kiosk-pin-pad.h
 *
 * SPDX-FileCopyrightText: 2026 Stadtkiosk contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "stadtkiosk-core.h"

G_BEGIN_DECLS

#define KIOSK_TYPE_PIN_PAD (kiosk_pin_pad_get_type ())

G_DECLARE_FINAL_TYPE (KioskPinPad, kiosk_pin_pad, KIOSK, PIN_PAD, AdwBin)

GtkWidget  *kiosk_pin_pad_new          (KioskContext *context);
void        kiosk_pin_pad_reset        (KioskPinPad  *self);
void        kiosk_pin_pad_press_digit  (KioskPinPad  *self,
                                        char          digit);
void        kiosk_pin_pad_submit       (KioskPinPad  *self);
guint       kiosk_pin_pad_get_n_digits (KioskPinPad  *self);
const char *kiosk_pin_pad_get_message  (KioskPinPad  *self);
gboolean    kiosk_pin_pad_get_busy     (KioskPinPad  *self);

G_END_DECLS

/* kiosk-window.h
 *
 * SPDX-FileCopyrightText: 2026 Stadtkiosk contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "kiosk-application.h"
#include "kiosk-idle.h"
#include "kiosk-keyboard.h"

G_BEGIN_DECLS

#define KIOSK_TYPE_WINDOW (kiosk_window_get_type ())

G_DECLARE_FINAL_TYPE (KioskWindow, kiosk_window, KIOSK, WINDOW, AdwApplicationWindow)

KioskWindow   *kiosk_window_new              (KioskApplication *app);
KioskWindow   *kiosk_window_new_for_context  (KioskContext     *context);
const char    *kiosk_window_get_page_name    (KioskWindow      *self);
const char    *kiosk_window_get_language     (KioskWindow      *self);
void           kiosk_window_show_page        (KioskWindow      *self,
                                              const char       *name);
void           kiosk_window_reset_session    (KioskWindow      *self);
void           kiosk_window_set_sync         (KioskWindow      *self,
                                              KioskSync        *sync);

G_END_DECLS

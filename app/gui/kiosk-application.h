/* kiosk-application.h
 *
 * SPDX-FileCopyrightText: 2026 Stadtkiosk contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "stadtkiosk-core.h"

G_BEGIN_DECLS

#define KIOSK_TYPE_APPLICATION (kiosk_application_get_type ())

G_DECLARE_FINAL_TYPE (KioskApplication, kiosk_application, KIOSK, APPLICATION, AdwApplication)

KioskApplication *kiosk_application_new         (void);
KioskContext     *kiosk_application_get_context (KioskApplication *self);
const char       *kiosk_application_get_startup_error (KioskApplication *self);
KioskSync        *kiosk_application_get_sync    (KioskApplication *self);

void              kiosk_use_language            (const char       *language);

G_END_DECLS

/* kiosk-info-background.h: the info cards fetched while the kiosk runs
 *
 * SPDX-FileCopyrightText: 2026 Stadtkiosk contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

#include "kiosk-clock.h"
#include "kiosk-context.h"
#include "kiosk-session.h"

G_BEGIN_DECLS

/* A minute after the start, then every 30 minutes. */
#define KIOSK_INFO_BACKGROUND_TICK_S   60
#define KIOSK_INFO_BACKGROUND_EVERY    30   /* ticks */

#define KIOSK_TYPE_INFO_BACKGROUND (kiosk_info_background_get_type ())

G_DECLARE_FINAL_TYPE (KioskInfoBackground, kiosk_info_background, KIOSK, INFO_BACKGROUND, GObject)

KioskInfoBackground *kiosk_info_background_new           (KioskContext        *context,
                                                          KioskSession        *session,
                                                          KioskClock          *timer_clock);
guint                kiosk_info_background_start         (KioskInfoBackground *self);
void                 kiosk_info_background_stop          (KioskInfoBackground *self);
guint                kiosk_info_background_get_n_started (KioskInfoBackground *self);
guint                kiosk_info_background_get_n_done    (KioskInfoBackground *self);

G_END_DECLS

/* kiosk-idle.h
 *
 * SPDX-FileCopyrightText: 2026 Stadtkiosk contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "stadtkiosk-core.h"

G_BEGIN_DECLS

#define KIOSK_TYPE_IDLE (kiosk_idle_get_type ())

G_DECLARE_FINAL_TYPE (KioskIdle, kiosk_idle, KIOSK, IDLE, GObject)

KioskIdle *kiosk_idle_new           (KioskClock *clock,
                                     guint       timeout_s,
                                     guint       warning_s);
void       kiosk_idle_attach        (KioskIdle  *self,
                                     GtkWidget  *widget);
void       kiosk_idle_start         (KioskIdle  *self);
void       kiosk_idle_stop          (KioskIdle  *self);
void       kiosk_idle_poke          (KioskIdle  *self);
gboolean   kiosk_idle_get_running   (KioskIdle  *self);
gboolean   kiosk_idle_get_warning   (KioskIdle  *self);
guint      kiosk_idle_get_remaining (KioskIdle  *self);

G_END_DECLS

/* kiosk-clock.h
 *
 * SPDX-FileCopyrightText: 2026 Stadtkiosk contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define KIOSK_TYPE_CLOCK (kiosk_clock_get_type ())

G_DECLARE_FINAL_TYPE (KioskClock, kiosk_clock, KIOSK, CLOCK, GObject)

KioskClock *kiosk_clock_new_system     (void);
KioskClock *kiosk_clock_new_fake       (gint64          start_unix_us);
gboolean    kiosk_clock_is_fake        (KioskClock     *self);
gint64      kiosk_clock_get_now        (KioskClock     *self);
GDateTime  *kiosk_clock_dup_now_local  (KioskClock     *self);
void        kiosk_clock_advance        (KioskClock     *self,
                                        gint64          us);
guint       kiosk_clock_add_timeout    (KioskClock     *self,
                                        guint           interval_ms,
                                        GSourceFunc     func,
                                        gpointer        user_data,
                                        GDestroyNotify  destroy);
void        kiosk_clock_remove_timeout (KioskClock     *self,
                                        guint           id);

G_END_DECLS

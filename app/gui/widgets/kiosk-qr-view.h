/* kiosk-qr-view.h
 *
 * SPDX-FileCopyrightText: 2026 Stadtkiosk contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define KIOSK_TYPE_QR_VIEW (kiosk_qr_view_get_type ())

G_DECLARE_FINAL_TYPE (KioskQrView, kiosk_qr_view, KIOSK, QR_VIEW, GtkWidget)

GtkWidget  *kiosk_qr_view_new      (void);
void        kiosk_qr_view_set_text (KioskQrView *self,
                                    const char  *text);
const char *kiosk_qr_view_get_text (KioskQrView *self);

G_END_DECLS

/* kiosk-qr.h
 *
 * SPDX-FileCopyrightText: 2026 Stadtkiosk contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <cairo.h>
#include <glib-object.h>

G_BEGIN_DECLS

#define KIOSK_QR_ERROR (kiosk_qr_error_quark ())

typedef enum
{
  KIOSK_QR_ERROR_INVALID,     /* not digits */
  KIOSK_QR_ERROR_TOO_LARGE,   /* does not fit the largest allowed version */
} KioskQrError;

/* The largest QR version a receipt uses: 117 modules fit 80 mm paper at
 * 4 dots a module, and phones still read it. */
#define KIOSK_QR_MAX_VERSION 25

#define KIOSK_TYPE_QR (kiosk_qr_get_type ())

G_DECLARE_FINAL_TYPE (KioskQr, kiosk_qr, KIOSK, QR, GObject)

GQuark      kiosk_qr_error_quark   (void);
KioskQr    *kiosk_qr_new_numeric   (const char  *digits,
                                    GError     **error);
KioskQr    *kiosk_qr_new_text      (const char  *text,
                                    GError     **error);
const char *kiosk_qr_get_text      (KioskQr     *self);
guint       kiosk_qr_get_version   (KioskQr     *self);
guint       kiosk_qr_get_width     (KioskQr     *self);
gboolean    kiosk_qr_get_module    (KioskQr     *self,
                                    guint        x,
                                    guint        y);
void        kiosk_qr_draw          (KioskQr     *self,
                                    cairo_t     *cr,
                                    double       x,
                                    double       y,
                                    double       module_size);
gboolean    kiosk_qr_write_png     (KioskQr     *self,
                                    const char  *path,
                                    guint        module_size,
                                    GError     **error);

G_END_DECLS

/* kiosk-test-zbar.h: an independent QR decoder for the tests (libzbar)
 *
 * SPDX-FileCopyrightText: 2026 Stadtkiosk contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <cairo.h>
#include <glib.h>

G_BEGIN_DECLS

GPtrArray *kiosk_test_zbar_scan_gray    (const guint8    *gray,
                                         guint            width,
                                         guint            height);
GPtrArray *kiosk_test_zbar_scan_surface (cairo_surface_t *surface);
GPtrArray *kiosk_test_zbar_scan_png     (const char      *path);

G_END_DECLS

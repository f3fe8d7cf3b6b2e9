/* kiosk-test-escpos.h: a small ESC/POS decoder for the receipt tests
 *
 * SPDX-FileCopyrightText: 2026 Stadtkiosk contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <cairo.h>
#include <glib.h>

G_BEGIN_DECLS

typedef struct
{
  GString   *commands;   /* the command names in order, e.g. "ESC@ ESCt GS! TEXT LF … GSV" */
  GString   *text;       /* printed text, UTF-8, one line per LF */
  GPtrArray *rasters;    /* cairo_surface_t* (RGB24), consecutive GS v 0 bands joined */
  GPtrArray *qr_data;    /* char*: data stored with GS ( k fn 80 */
  guint      qr_printed; /* GS ( k fn 81 */
  guint      qr_ec;      /* GS ( k fn 69 argument, '0'..'3' */
  guint      raster_bytes_per_row;
  gboolean   cut;
  GPtrArray *items;      /* in print order: char* "T<a><b><s>text" lines, "R<n>" rasters, "Q" QR */
} KioskTestEscpos;

KioskTestEscpos *kiosk_test_escpos_decode (GBytes           *bytes,
                                           GError          **error);
void             kiosk_test_escpos_free   (KioskTestEscpos  *self);
cairo_surface_t *kiosk_test_escpos_preview (KioskTestEscpos *self,
                                            guint            width_dots);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (KioskTestEscpos, kiosk_test_escpos_free)

G_END_DECLS

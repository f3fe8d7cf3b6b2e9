/* kiosk-receipt-private.h
 *
 * SPDX-FileCopyrightText: 2026 Stadtkiosk contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "kiosk-receipt.h"

G_BEGIN_DECLS

/* What kiosk-receipt.c (drawing, PNG, PDF) shares with kiosk-escpos.c. */

/* Sizes are in dots of 80 mm paper and scale with the width. */
#define MARGIN       8.0
#define SIZE_SMALL   19.0
#define SIZE_BODY    22.0
#define SIZE_TITLE   27.0
#define SIZE_HEADER  30.0
#define SIZE_CODE    46.0

typedef enum
{
  BLOCK_TEXT,
  BLOCK_BANNER,
  BLOCK_RULE,
  BLOCK_LINE,      /* a thin line to write on: size is the space above it */
  BLOCK_SPACE,
  BLOCK_QR,
} BlockKind;

typedef struct
{
  BlockKind  kind;
  char      *text;
  double     size;       /* font size, dots at 576 wide; SPACE: height */
  gboolean   bold;
  gboolean   mono;
  gboolean   center;
} Block;

GPtrArray *_kiosk_receipt_build_blocks    (KioskReceipt  *self);
double     _kiosk_receipt_draw_block      (KioskReceipt  *self,
                                           const Block   *b,
                                           cairo_t       *cr,
                                           double         y,
                                           double         width,
                                           gboolean       paint);
guint      _kiosk_receipt_qr_module_size  (KioskReceipt  *self,
                                           double         width);
gboolean   _kiosk_receipt_check_paper     (guint          paper_mm,
                                           GError       **error);

G_END_DECLS

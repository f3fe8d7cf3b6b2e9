/* kiosk-escpos.c
 *
 * SPDX-FileCopyrightText: 2026 Stadtkiosk contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "kiosk-receipt"

#include "config.h"

#include "kiosk-receipt.h"
#include "kiosk-receipt-private.h"

#include <math.h>
#include <string.h>

/* The receipt for an ESC/POS printer: the same blocks kiosk_receipt_draw()
 * draws, sent as printer text where the printer's code page holds it and as
 * a raster of the same drawing otherwise. */

#define ESC 0x1b
#define GS  0x1d

static void
put (GByteArray *out,
     gsize       n,
     ...)
{
  va_list ap;

  va_start (ap, n);
  for (gsize i = 0; i < n; i++)
    {
      guint8 b = (guint8) va_arg (ap, int);
      g_byte_array_append (out, &b, 1);
    }
  va_end (ap);
}

/* Sends @surface as GS v 0 raster images in bands (some printers limit a
 * single image's height). */
static void
put_raster (GByteArray      *out,
            cairo_surface_t *surface)
{
  const guint8 *data;
  guint width, height, stride, bytes_per_row;

  cairo_surface_flush (surface);
  data = cairo_image_surface_get_data (surface);
  width = (guint) cairo_image_surface_get_width (surface);
  height = (guint) cairo_image_surface_get_height (surface);
  stride = (guint) cairo_image_surface_get_stride (surface);
  bytes_per_row = (width + 7) / 8;

  put (out, 3, ESC, 'a', 0);
  for (guint band = 0; band < height; band += 240)
    {
      guint rows = MIN (240, height - band);

      put (out, 8, GS, 'v', '0', 0, bytes_per_row & 0xff, bytes_per_row >> 8, rows & 0xff, rows >> 8);
      for (guint y = band; y < band + rows; y++)
        {
          const guint32 *row = (const guint32 *) (gconstpointer) (data + (gsize) y * stride);

          for (guint bx = 0; bx < bytes_per_row; bx++)
            {
              guint8 bits = 0;

              for (guint k = 0; k < 8; k++)
                {
                  guint x = bx * 8 + k;

                  if (x < width)
                    {
                      guint32 px = row[x];
                      guint lum = (((px >> 16) & 0xff) * 299 + ((px >> 8) & 0xff) * 587 + (px & 0xff) * 114) / 1000;

                      if (lum < 128)
                        bits |= (guint8) (0x80 >> k);
                    }
                }
              g_byte_array_append (out, &bits, 1);
            }
        }
    }
}

static void
put_block_raster (KioskReceipt *self,
                  GByteArray   *out,
                  const Block  *b,
                  int           width_px)
{
  cairo_surface_t *scratch = cairo_image_surface_create (CAIRO_FORMAT_RGB24, 1, 1);
  cairo_t *cr = cairo_create (scratch);
  double h = _kiosk_receipt_draw_block (self, b, cr, 0, width_px, FALSE);
  cairo_surface_t *surface;

  cairo_destroy (cr);
  cairo_surface_destroy (scratch);

  surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, width_px, (int) ceil (h));
  cr = cairo_create (surface);
  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_paint (cr);
  _kiosk_receipt_draw_block (self, b, cr, 0, width_px, TRUE);
  cairo_destroy (cr);
  put_raster (out, surface);
  cairo_surface_destroy (surface);
}

/* Splits @text into lines of at most @cols characters at spaces. */
static GPtrArray *
wrap_words (const char *text,
            guint       cols)
{
  GPtrArray *lines = g_ptr_array_new_with_free_func (g_free);
  g_auto(GStrv) words = g_strsplit (text, " ", -1);
  g_autoptr(GString) line = g_string_new (NULL);
  guint line_chars = 0;

  for (guint i = 0; words[i] != NULL; i++)
    {
      const char *w = words[i];
      guint n = (guint) g_utf8_strlen (w, -1);

      if (n == 0)
        continue;
      if (line_chars > 0 && line_chars + 1 + n > cols)
        {
          g_ptr_array_add (lines, g_strdup (line->str));
          g_string_truncate (line, 0);
          line_chars = 0;
        }
      while (n > cols)
        {
          const char *cut = g_utf8_offset_to_pointer (w, cols);

          if (line_chars > 0)
            {
              g_ptr_array_add (lines, g_strdup (line->str));
              g_string_truncate (line, 0);
              line_chars = 0;
            }
          g_ptr_array_add (lines, g_strndup (w, cut - w));
          w = cut;
          n -= cols;
        }
      if (line_chars > 0)
        {
          g_string_append_c (line, ' ');
          line_chars++;
        }
      g_string_append (line, w);
      line_chars += n;
    }
  if (line_chars > 0)
    g_ptr_array_add (lines, g_strdup (line->str));
  return lines;
}

/* The printer's text: code page WPC1252 (ESC t 16 on Epson-compatible
 * printers), left to right.  Anything else is drawn. */
static char *
to_printer_text (const char *text)
{
  for (const char *p = text; *p; p = g_utf8_next_char (p))
    {
      GUnicodeScript script = g_unichar_get_script (g_utf8_get_char (p));

      if (script == G_UNICODE_SCRIPT_ARABIC || script == G_UNICODE_SCRIPT_HEBREW ||
          script == G_UNICODE_SCRIPT_SYRIAC || script == G_UNICODE_SCRIPT_THAANA)
        return NULL;
    }
  return g_convert (text, -1, "CP1252", "UTF-8", NULL, NULL, NULL);
}

static void
put_qr_native (GByteArray *out,
               KioskQr    *qr,
               guint       module)
{
  const char *text = kiosk_qr_get_text (qr);
  gsize len = strlen (text) + 3;

  put (out, 3, ESC, 'a', 1);
  /* Model 2; module size; error correction Q; store; print. */
  put (out, 9, GS, '(', 'k', 4, 0, '1', 'A', '2', 0);
  put (out, 8, GS, '(', 'k', 3, 0, '1', 'C', module);
  put (out, 8, GS, '(', 'k', 3, 0, '1', 'E', '2');
  put (out, 8, GS, '(', 'k', len & 0xff, len >> 8, '1', 'P', '0');
  g_byte_array_append (out, (const guint8 *) text, (guint) strlen (text));
  put (out, 8, GS, '(', 'k', 3, 0, '1', 'Q', '0');
  put (out, 1, '\n');
}

/**
 * kiosk_receipt_render_escpos:
 * @paper_mm: 58 (384 dots) or 80 (576 dots)
 * @qr_mode: the printer draws the QR code, or we send it as an image
 *
 * Returns: (transfer full): the bytes for an ESC/POS printer, cut included
 */
GBytes *
kiosk_receipt_render_escpos (KioskReceipt        *self,
                             guint                paper_mm,
                             KioskReceiptQrMode   qr_mode,
                             GError             **error)
{
  g_autoptr(GPtrArray) blocks = NULL;
  g_autoptr(GByteArray) out = NULL;
  int width_px;
  guint cols;

  g_return_val_if_fail (KIOSK_IS_RECEIPT (self), NULL);

  if (!_kiosk_receipt_check_paper (paper_mm, error))
    return NULL;
  width_px = paper_mm == 58 ? KIOSK_RECEIPT_DOTS_58MM : KIOSK_RECEIPT_DOTS_80MM;
  cols = paper_mm == 58 ? 32 : 48;    /* font A, 12 x 24 dots */

  blocks = _kiosk_receipt_build_blocks (self);
  out = g_byte_array_new ();
  put (out, 2, ESC, '@');
  put (out, 3, ESC, 't', 16);

  for (guint i = 0; i < blocks->len; i++)
    {
      const Block *b = blocks->pdata[i];

      switch (b->kind)
        {
        case BLOCK_SPACE:
          put (out, 3, ESC, 'J', (guint8) MIN (255, b->size * width_px / KIOSK_RECEIPT_DOTS_80MM));
          break;

        case BLOCK_LINE:
          if (b->size > 0)
            put (out, 3, ESC, 'J', (guint8) MIN (255, b->size * width_px / KIOSK_RECEIPT_DOTS_80MM));
          put (out, 3, ESC, 'a', 0);
          for (guint k = 0; k < cols; k++)
            put (out, 1, '_');
          put (out, 1, '\n');
          break;

        case BLOCK_RULE:
          put (out, 3, ESC, 'a', 0);
          for (guint k = 0; k < cols; k++)
            put (out, 1, '-');
          put (out, 1, '\n');
          break;

        case BLOCK_QR:
          if (qr_mode == KIOSK_RECEIPT_QR_NATIVE)
            put_qr_native (out, kiosk_receipt_get_qr (self), _kiosk_receipt_qr_module_size (self, width_px));
          else
            put_block_raster (self, out, b, width_px);
          break;

        case BLOCK_BANNER:
          put_block_raster (self, out, b, width_px);
          break;

        case BLOCK_TEXT:
          {
            g_autofree char *probe = to_printer_text (b->text);
            guint8 size = b->size >= SIZE_CODE ? 0x11 : b->size >= SIZE_HEADER ? 0x01 : 0x00;
            guint line_cols = (size & 0x10) ? cols / 2 : cols;
            g_autoptr(GPtrArray) lines = NULL;

            if (probe == NULL)
              {
                put_block_raster (self, out, b, width_px);
                break;
              }
            put (out, 3, ESC, 'a', b->center ? 1 : 0);
            put (out, 3, ESC, 'E', b->bold ? 1 : 0);
            put (out, 3, GS, '!', size);
            lines = wrap_words (b->text, line_cols);
            for (guint k = 0; k < lines->len; k++)
              {
                g_autofree char *enc = to_printer_text (lines->pdata[k]);

                g_byte_array_append (out, (const guint8 *) enc, (guint) strlen (enc));
                put (out, 1, '\n');
              }
            put (out, 3, ESC, 'E', 0);
            put (out, 3, GS, '!', 0);
            break;
          }

        default:
          g_assert_not_reached ();
        }
    }

  /* Feed past the cutter and cut (partial). */
  put (out, 3, ESC, 'd', 4);
  put (out, 4, GS, 'V', 66, 0);
  return g_byte_array_free_to_bytes (g_steal_pointer (&out));
}

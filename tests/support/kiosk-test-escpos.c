/* kiosk-test-escpos.c
 *
 * Walks the ESC/POS commands Stadtkiosk emits and nothing else: an unknown
 * command is an error, so the tests notice when the output changes shape.
 *
 * SPDX-FileCopyrightText: 2026 Stadtkiosk contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "kiosk-test-escpos.h"

#include <gio/gio.h>
#include <string.h>

static gboolean
fail (GError    **error,
      gsize       at,
      const char *what)
{
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "ESC/POS offset %zu: %s", at, what);
  return FALSE;
}

static void
flush_raster (KioskTestEscpos *self,
              GByteArray      *bits,
              guint            bytes_per_row)
{
  guint rows, width;
  cairo_surface_t *surface;
  guint8 *data;
  int stride;

  if (bits->len == 0)
    return;
  rows = bits->len / bytes_per_row;
  width = bytes_per_row * 8;
  surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, (int) width, (int) rows);
  cairo_surface_flush (surface);
  data = cairo_image_surface_get_data (surface);
  stride = cairo_image_surface_get_stride (surface);
  for (guint y = 0; y < rows; y++)
    for (guint x = 0; x < width; x++)
      {
        gboolean black = (bits->data[y * bytes_per_row + x / 8] & (0x80 >> (x % 8))) != 0;
        ((guint32 *) (gpointer) (data + (gsize) y * stride))[x] = black ? 0x000000 : 0xffffff;
      }
  cairo_surface_mark_dirty (surface);
  g_ptr_array_add (self->items, g_strdup_printf ("R%u", self->rasters->len));
  g_ptr_array_add (self->rasters, surface);
  g_byte_array_set_size (bits, 0);
}

KioskTestEscpos *
kiosk_test_escpos_decode (GBytes  *bytes,
                          GError **error)
{
  g_autoptr(KioskTestEscpos) self = g_new0 (KioskTestEscpos, 1);
  g_autoptr(GByteArray) bits = g_byte_array_new ();
  g_autoptr(GByteArray) line = g_byte_array_new ();
  gsize len;
  const guint8 *p = g_bytes_get_data (bytes, &len);
  gsize i = 0;
  guint bpr = 0;
  guint8 align = 0, bold = 0, size = 0;

  self->commands = g_string_new (NULL);
  self->text = g_string_new (NULL);
  self->rasters = g_ptr_array_new_with_free_func ((GDestroyNotify) cairo_surface_destroy);
  self->qr_data = g_ptr_array_new_with_free_func (g_free);
  self->items = g_ptr_array_new_with_free_func (g_free);

#define NEED(n) G_STMT_START { if (len - i < (n)) { fail (error, i, "command cut off"); return NULL; } } G_STMT_END
#define CMD(name) g_string_append (self->commands, name " ")

  while (i < len)
    {
      guint8 c = p[i];

      if (c != 0x1d || i + 1 >= len || p[i + 1] != 'v')
        flush_raster (self, bits, bpr);

      if (c == 0x1b)
        {
          NEED (2);
          switch (p[i + 1])
            {
            case '@': CMD ("ESC@"); i += 2; break;
            case 't': NEED (3); CMD ("ESCt"); i += 3; break;
            case 'a': NEED (3); if (p[i + 2] > 2) return fail (error, i, "ESC a: bad alignment"), NULL;
                      align = p[i + 2]; CMD ("ESCa"); i += 3; break;
            case 'E': NEED (3); bold = p[i + 2]; CMD ("ESCE"); i += 3; break;
            case 'J': NEED (3); CMD ("ESCJ"); i += 3; break;
            case 'd': NEED (3); CMD ("ESCd"); i += 3; break;
            default: fail (error, i, "unknown ESC command"); return NULL;
            }
        }
      else if (c == 0x1d)
        {
          NEED (2);
          switch (p[i + 1])
            {
            case '!': NEED (3); size = p[i + 2]; CMD ("GS!"); i += 3; break;
            case 'V': NEED (4); CMD ("GSV"); self->cut = TRUE; i += 4; break;
            case 'v':
              {
                guint x, y;

                NEED (8);
                if (p[i + 2] != '0' || p[i + 3] != 0)
                  return fail (error, i, "GS v: only GS v 0 mode 0 expected"), NULL;
                x = p[i + 4] | (p[i + 5] << 8);
                y = p[i + 6] | (p[i + 7] << 8);
                if (x == 0 || y == 0)
                  return fail (error, i, "GS v 0: empty image"), NULL;
                i += 8;
                NEED ((gsize) x * y);
                if (bits->len > 0 && x != bpr)
                  flush_raster (self, bits, bpr);
                bpr = x;
                self->raster_bytes_per_row = x;
                g_byte_array_append (bits, p + i, x * y);
                i += (gsize) x * y;
                CMD ("GSv0");
                break;
              }
            case '(':
              {
                guint n;
                guint8 fn;

                NEED (7);
                if (p[i + 2] != 'k' || p[i + 5] != '1')
                  return fail (error, i, "GS ( : only GS ( k for QR codes expected"), NULL;
                n = p[i + 3] | (p[i + 4] << 8);
                NEED (5 + (gsize) n);
                fn = p[i + 6];
                switch (fn)
                  {
                  case 'A': CMD ("QR-model"); break;
                  case 'C': CMD ("QR-size"); break;
                  case 'E': CMD ("QR-ec"); self->qr_ec = p[i + 7]; break;
                  case 'P':
                    CMD ("QR-store");
                    g_ptr_array_add (self->qr_data, g_strndup ((const char *) p + i + 8, n - 3));
                    break;
                  case 'Q': CMD ("QR-print"); self->qr_printed++; g_ptr_array_add (self->items, g_strdup ("Q")); break;
                  default: return fail (error, i, "GS ( k: unknown function"), NULL;
                  }
                i += 5 + n;
                break;
              }
            default: fail (error, i, "unknown GS command"); return NULL;
            }
        }
      else if (c == '\n')
        {
          g_autofree char *utf8 = g_convert ((const char *) line->data, line->len, "UTF-8", "CP1252", NULL, NULL, NULL);

          if (utf8 == NULL)
            return fail (error, i, "text is not CP1252"), NULL;
          g_string_append (self->text, utf8);
          g_string_append_c (self->text, '\n');
          g_ptr_array_add (self->items, g_strdup_printf ("T%c%c%c%s", '0' + align, '0' + (bold != 0),
                                                         '0' + (size & 0x11 ? (size & 0x10 ? 2 : 1) : 0), utf8));
          g_byte_array_set_size (line, 0);
          CMD ("LF");
          i++;
        }
      else if (c >= 0x20)
        {
          if (line->len == 0)
            CMD ("TEXT");
          g_byte_array_append (line, &c, 1);
          i++;
        }
      else
        return fail (error, i, "unexpected control byte"), NULL;
    }
  flush_raster (self, bits, bpr);
  if (line->len > 0)
    return fail (error, len, "text without a final LF"), NULL;

#undef NEED
#undef CMD
  return g_steal_pointer (&self);
}

void
kiosk_test_escpos_free (KioskTestEscpos *self)
{
  if (self == NULL)
    return;
  g_string_free (self->commands, TRUE);
  g_string_free (self->text, TRUE);
  g_ptr_array_unref (self->rasters);
  g_ptr_array_unref (self->qr_data);
  g_ptr_array_unref (self->items);
  g_free (self);
}

/**
 * kiosk_test_escpos_preview:
 *
 * Draws what a printer would roughly print: text lines in a 12x24 dot
 * font cell (doubled where GS ! says so), rasters as sent, the native QR
 * as a labelled box.  For looking at ESC/POS output, not for pixel tests.
 */
cairo_surface_t *
kiosk_test_escpos_preview (KioskTestEscpos *self,
                           guint            width_dots)
{
  double height = 0;
  cairo_surface_t *surface;
  cairo_t *cr;

  for (guint pass = 0; pass < 2; pass++)
    {
      double y = 0;

      if (pass == 1)
        {
          surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, (int) width_dots, (int) height);
          cr = cairo_create (surface);
          cairo_set_source_rgb (cr, 1, 1, 1);
          cairo_paint (cr);
          cairo_select_font_face (cr, "DejaVu Sans Mono", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL);
        }
      for (guint i = 0; i < self->items->len; i++)
        {
          const char *item = self->items->pdata[i];

          if (item[0] == 'R')
            {
              cairo_surface_t *r = self->rasters->pdata[g_ascii_strtoull (item + 1, NULL, 10)];

              if (pass == 1)
                {
                  cairo_set_source_surface (cr, r, 0, y);
                  cairo_paint (cr);
                }
              y += cairo_image_surface_get_height (r);
            }
          else if (item[0] == 'Q')
            {
              if (pass == 1)
                {
                  cairo_set_source_rgb (cr, 0, 0, 0);
                  cairo_rectangle (cr, width_dots / 2.0 - 100, y + 10, 200, 200);
                  cairo_stroke (cr);
                  cairo_move_to (cr, width_dots / 2.0 - 70, y + 115);
                  cairo_set_font_size (cr, 20);
                  cairo_show_text (cr, "native QR");
                }
              y += 220;
            }
          else
            {
              guint mult = item[3] == '2' ? 2 : 1;
              double line_h = 24.0 * (item[3] != '0' ? 2 : 1);
              const char *text = item + 4;

              if (pass == 1)
                {
                  cairo_text_extents_t ext;
                  double x = 0;

                  cairo_set_source_rgb (cr, 0, 0, 0);
                  cairo_select_font_face (cr, "DejaVu Sans Mono", CAIRO_FONT_SLANT_NORMAL,
                                          item[2] == '1' ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL);
                  cairo_save (cr);
                  cairo_scale (cr, mult, item[3] != '0' ? 2 : 1);
                  cairo_set_font_size (cr, 20);
                  cairo_text_extents (cr, text, &ext);
                  if (item[1] == '1')
                    x = (width_dots / (double) mult - ext.x_advance) / 2;
                  cairo_move_to (cr, x, (y + line_h * 0.8) / (item[3] != '0' ? 2 : 1));
                  cairo_show_text (cr, text);
                  cairo_restore (cr);
                }
              y += line_h;
            }
        }
      height = MAX (y, 1);
    }
  cairo_destroy (cr);
  return surface;
}

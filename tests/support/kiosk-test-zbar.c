/* kiosk-test-zbar.c
 *
 * SPDX-FileCopyrightText: 2026 Stadtkiosk contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "kiosk-test-zbar.h"

#include <zbar.h>

/**
 * kiosk_test_zbar_scan_gray:
 * @gray: 8-bit luminance, @width * @height bytes, 0 = black
 *
 * Returns: (transfer full) (element-type utf8): the text of every QR code found
 */
GPtrArray *
kiosk_test_zbar_scan_gray (const guint8 *gray,
                           guint         width,
                           guint         height)
{
  GPtrArray *found = g_ptr_array_new_with_free_func (g_free);
  zbar_image_scanner_t *scanner = zbar_image_scanner_create ();
  zbar_image_t *image = zbar_image_create ();
  guint8 *copy = g_memdup2 (gray, (gsize) width * height);

  zbar_image_scanner_set_config (scanner, 0, ZBAR_CFG_ENABLE, 0);
  zbar_image_scanner_set_config (scanner, ZBAR_QRCODE, ZBAR_CFG_ENABLE, 1);
  zbar_image_set_format (image, zbar_fourcc ('Y', '8', '0', '0'));
  zbar_image_set_size (image, width, height);
  zbar_image_set_data (image, copy, (unsigned long) width * height, zbar_image_free_data);

  if (zbar_scan_image (scanner, image) > 0)
    for (const zbar_symbol_t *s = zbar_image_first_symbol (image); s != NULL; s = zbar_symbol_next (s))
      g_ptr_array_add (found, g_strndup (zbar_symbol_get_data (s), zbar_symbol_get_data_length (s)));

  zbar_image_destroy (image);
  zbar_image_scanner_destroy (scanner);
  return found;
}

GPtrArray *
kiosk_test_zbar_scan_surface (cairo_surface_t *surface)
{
  g_autofree guint8 *gray = NULL;
  guint width, height, stride;
  const guint8 *data;
  cairo_format_t format;

  cairo_surface_flush (surface);
  width = (guint) cairo_image_surface_get_width (surface);
  height = (guint) cairo_image_surface_get_height (surface);
  stride = (guint) cairo_image_surface_get_stride (surface);
  data = cairo_image_surface_get_data (surface);
  format = cairo_image_surface_get_format (surface);
  gray = g_malloc ((gsize) width * height);

  for (guint y = 0; y < height; y++)
    for (guint x = 0; x < width; x++)
      {
        const guint8 *row = data + (gsize) y * stride;

        if (format == CAIRO_FORMAT_A8)
          gray[y * width + x] = 255 - row[x];
        else if (format == CAIRO_FORMAT_A1)
          {
            guint32 word = ((const guint32 *) (gconstpointer) row)[x / 32];
#if G_BYTE_ORDER == G_LITTLE_ENDIAN
            gboolean set = (word >> (x % 32)) & 1;
#else
            gboolean set = (word >> (31 - x % 32)) & 1;
#endif
            gray[y * width + x] = set ? 0 : 255;
          }
        else
          {
            guint32 px = ((const guint32 *) (gconstpointer) row)[x];
            guint r = (px >> 16) & 0xff, g = (px >> 8) & 0xff, b = px & 0xff;

            gray[y * width + x] = (guint8) ((r * 299 + g * 587 + b * 114) / 1000);
          }
      }
  return kiosk_test_zbar_scan_gray (gray, width, height);
}

GPtrArray *
kiosk_test_zbar_scan_png (const char *path)
{
  cairo_surface_t *surface = cairo_image_surface_create_from_png (path);
  GPtrArray *found;

  if (cairo_surface_status (surface) != CAIRO_STATUS_SUCCESS)
    {
      cairo_surface_destroy (surface);
      return g_ptr_array_new_with_free_func (g_free);
    }
  found = kiosk_test_zbar_scan_surface (surface);
  cairo_surface_destroy (surface);
  return found;
}

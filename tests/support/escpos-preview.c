/* escpos-preview.c: draw what an ESC/POS receipt would roughly print
 *
 *   escpos-preview IN.bin OUT.png [58|80]
 *
 * SPDX-FileCopyrightText: 2026 Stadtkiosk contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "kiosk-test-escpos.h"

#include <stdio.h>

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KioskTestEscpos) doc = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char *data = NULL;
  cairo_surface_t *surface;
  gsize len = 0;
  guint width;

  if (argc < 3)
    {
      fprintf (stderr, "usage: escpos-preview IN.bin OUT.png [58|80]\n");
      return 2;
    }
  width = argc > 3 && g_str_equal (argv[3], "58") ? 384 : 576;
  if (!g_file_get_contents (argv[1], &data, &len, &error))
    {
      fprintf (stderr, "escpos-preview: %s\n", error->message);
      return 1;
    }
  bytes = g_bytes_new_take (g_steal_pointer (&data), len);
  doc = kiosk_test_escpos_decode (bytes, &error);
  if (doc == NULL)
    {
      fprintf (stderr, "escpos-preview: %s\n", error->message);
      return 1;
    }
  surface = kiosk_test_escpos_preview (doc, width);
  cairo_surface_write_to_png (surface, argv[2]);
  cairo_surface_destroy (surface);
  printf ("%s\n", doc->commands->str);
  return 0;
}

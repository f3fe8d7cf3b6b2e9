/* bench-receipt.c: receipt rendering and payload encoding, in milliseconds
 *
 * Each figure comes with a baseline measured in the same run, and the
 * ratio: rendering against a bare cairo surface of the same size written
 * to PNG; ESC/POS against the same; payload sealing against libsodium's
 * sign + seal of the same number of raw bytes.
 *
 * SPDX-FileCopyrightText: 2026 Stadtkiosk contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "stadtkiosk-core.h"

#define ROUNDS 30

typedef void (*BenchFunc) (gpointer data);

static double
run (BenchFunc func,
     gpointer  data)
{
  gint64 start;

  func (data);   /* warm-up: fonts, caches */
  start = g_get_monotonic_time ();
  for (guint i = 0; i < ROUNDS; i++)
    func (data);
  return (g_get_monotonic_time () - start) / 1000.0 / ROUNDS;
}

typedef struct
{
  KioskReceipt       *receipt;
  char               *png;
  int                 width;
  int                 height;
  KioskPayloadFields *fields;
  KioskSigningKey    *signer;
  KioskCityKey       *city;
  gsize               raw_len;
} Bench;

static void
render_png (gpointer data)
{
  Bench *b = data;

  if (!kiosk_receipt_render_png (b->receipt, b->png, b->width, NULL))
    abort ();
}

static void
bare_png (gpointer data)
{
  Bench *b = data;
  cairo_surface_t *s = cairo_image_surface_create (CAIRO_FORMAT_RGB24, b->width, b->height);
  cairo_t *cr = cairo_create (s);

  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_paint (cr);
  cairo_destroy (cr);
  cairo_surface_write_to_png (s, b->png);
  cairo_surface_destroy (s);
}

static void
render_escpos_native (gpointer data)
{
  Bench *b = data;
  g_autoptr(GBytes) bytes = kiosk_receipt_render_escpos (b->receipt, 80, KIOSK_RECEIPT_QR_NATIVE, NULL);

  if (bytes == NULL || g_bytes_get_size (bytes) < 1000)
    abort ();
}

static void
render_escpos_raster (gpointer data)
{
  Bench *b = data;
  g_autoptr(GBytes) bytes = kiosk_receipt_render_escpos (b->receipt, 80, KIOSK_RECEIPT_QR_RASTER, NULL);

  if (bytes == NULL)
    abort ();
}

static void
render_pdf (gpointer data)
{
  Bench *b = data;
  g_autoptr(GBytes) bytes = kiosk_receipt_render_pdf (b->receipt, 80, NULL);

  if (bytes == NULL)
    abort ();
}

static void
encode_payload (gpointer data)
{
  Bench *b = data;
  g_autoptr(GBytes) payload = kiosk_payload_seal (b->fields, b->signer, b->city, FALSE, 650, NULL);
  g_autofree char *text = kiosk_payload_encode_qr_text (payload);
  g_autoptr(KioskQr) qr = kiosk_qr_new_numeric (text, NULL);

  if (qr == NULL)
    abort ();
}

static void
bare_seal (gpointer data)
{
  Bench *b = data;
  g_autofree guint8 *msg = g_malloc0 (b->raw_len);
  g_autofree guint8 *out = g_malloc (b->raw_len + crypto_sign_BYTES + crypto_box_SEALBYTES);
  guint8 sig[crypto_sign_BYTES];

  crypto_sign_detached (sig, NULL, msg, b->raw_len, b->signer->secret_key);
  crypto_box_seal (out, msg, b->raw_len, b->city->public_key);
}

static void
report (const char *what,
        double      ms,
        const char *baseline,
        double      base_ms)
{
  printf ("%-34s %8.2f ms   baseline %-30s %8.2f ms   ratio %6.1fx\n",
          what, ms, baseline, base_ms, base_ms > 0 ? ms / base_ms : 0);
}

int
main (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("bench-receipt-XXXXXX", &error);
  g_autoptr(GString) json = g_string_new ("{\"description\":\"");
  g_autoptr(GBytes) answers = NULL;
  g_autoptr(GBytes) payload = NULL;
  g_autoptr(KioskQr) qr = NULL;
  g_autofree char *text = NULL;
  KioskPayloadFields fields = {
    .id = "3f2a9c1e-7b4d-4e8a-9f10-2c3d4e5f6a7b", .short_code = "HSK-K3FA-9Q2C",
    .kiosk_id = "kiosk-bib-1", .service_id = "streetlight-defect", .service_version = 3,
    .locale = "de", .created_us = G_GINT64_CONSTANT (1795000000000000),
  };
  Bench b = { 0 };
  guint32 seed = 1;
  cairo_surface_t *surface;
  double ms, base;

  /* Answers that fill the payload to just under the 650-byte cap, with
   * little for deflate to gain: the largest full payload. */
  b.signer = kiosk_signing_key_generate ("kiosk-bib-1", &error);
  b.city = kiosk_city_key_generate (&error);
  for (;;)
    {
      g_autoptr(GString) next = g_string_new (json->str);
      g_autoptr(GBytes) probe = NULL;
      g_autoptr(GBytes) candidate = NULL;
      KioskPayloadFlags flags = 0;

      for (guint i = 0; i < 8; i++)
        {
          seed = seed * 1103515245 + 12345;
          g_string_append_c (next, "abcdefghijklmnopqrstuvwxyz0123456789 "[(seed >> 16) % 37]);
        }
      g_string_append (next, "\"}");
      candidate = g_bytes_new (next->str, next->len);
      fields.answers = candidate;
      probe = kiosk_payload_seal (&fields, b.signer, b.city, FALSE, 650, NULL);
      if (!kiosk_payload_peek (probe, &flags, NULL) || (flags & KIOSK_PAYLOAD_FLAG_REFERENCE_ONLY) != 0)
        break;
      g_clear_pointer (&answers, g_bytes_unref);
      answers = g_bytes_ref (candidate);
      g_string_truncate (next, next->len - 2);
      g_string_assign (json, next->str);
    }
  fields.answers = answers;
  payload = kiosk_payload_seal (&fields, b.signer, b.city, FALSE, 650, &error);
  text = kiosk_payload_encode_qr_text (payload);
  qr = kiosk_qr_new_numeric (text, &error);
  g_assert_no_error (error);

  b.fields = &fields;
  b.raw_len = g_bytes_get_size (payload);
  b.receipt = kiosk_receipt_new ();
  kiosk_receipt_set_service_title (b.receipt, "Straßenlaterne defekt");
  kiosk_receipt_set_short_code (b.receipt, "HSK-K3FA-9Q2C");
  kiosk_receipt_set_created (b.receipt, fields.created_us);
  kiosk_receipt_set_location (b.receipt, "Stadtbibliothek Hildesheim, Judenstraße 1");
  kiosk_receipt_set_qr (b.receipt, qr, FALSE);
  b.png = g_build_filename (dir, "bench.png", NULL);
  b.width = KIOSK_RECEIPT_DOTS_80MM;
  surface = kiosk_receipt_render_surface (b.receipt, b.width, &error);
  b.height = cairo_image_surface_get_height (surface);
  cairo_surface_destroy (surface);

  printf ("Receipt benchmark: %d rounds each; maximal full payload %zu bytes (%zu answer bytes), "
          "%zu digits, QR version %u; receipt %dx%d px\n",
          ROUNDS, g_bytes_get_size (payload), g_bytes_get_size (answers), strlen (text),
          kiosk_qr_get_version (qr), b.width, b.height);

  base = run (bare_png, &b);
  ms = run (render_png, &b);
  report ("render receipt -> PNG (80 mm)", ms, "blank surface -> PNG", base);
  ms = run (render_escpos_native, &b);
  report ("render receipt -> ESC/POS, QR native", ms, "blank surface -> PNG", base);
  ms = run (render_escpos_raster, &b);
  report ("render receipt -> ESC/POS, QR raster", ms, "blank surface -> PNG", base);
  ms = run (render_pdf, &b);
  report ("render receipt -> PDF", ms, "blank surface -> PNG", base);
  base = run (bare_seal, &b);
  ms = run (encode_payload, &b);
  report ("seal+sign+digits+QR, max payload", ms, "libsodium sign+seal, same size", base);

  g_remove (b.png);
  g_rmdir (dir);
  g_free (b.png);
  g_object_unref (b.receipt);
  kiosk_signing_key_free (b.signer);
  kiosk_city_key_free (b.city);
  return 0;
}

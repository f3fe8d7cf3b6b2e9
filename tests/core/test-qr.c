/* test-qr.c
 *
 * SPDX-FileCopyrightText: 2026 Stadtkiosk contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "stadtkiosk-core.h"
#include "kiosk-test-zbar.h"

static GPtrArray *
scan_qr (KioskQr *qr,
         guint    module)
{
  guint side = (kiosk_qr_get_width (qr) + 8) * module;
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, (int) side, (int) side);
  cairo_t *cr = cairo_create (surface);
  GPtrArray *found;

  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_paint (cr);
  kiosk_qr_draw (qr, cr, 4.0 * module, 4.0 * module, module);
  cairo_destroy (cr);
  found = kiosk_test_zbar_scan_surface (surface);
  cairo_surface_destroy (surface);
  return found;
}

/* Sealed request → digits → QR image → zbar → digits → opened request. */
static void
test_round_trip (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KioskSigningKey) signer = kiosk_signing_key_generate ("kiosk-rathaus", &error);
  g_autoptr(KioskCityKey) city = kiosk_city_key_generate (&error);
  g_autoptr(KioskKeys) counter = kiosk_keys_new ();
  const char *json = "{\"name\":\"Ümit Çelik\",\"topic\":\"Sperrmüll\"}";
  g_autoptr(GBytes) answers = g_bytes_new_static (json, strlen (json));
  KioskPayloadFields fields = {
    .id = "0b6c3c1e-2f4d-4a8a-8f10-aa3d4e5f6a7b", .short_code = "HSK-7QW2-XK9D",
    .kiosk_id = "kiosk-rathaus", .service_id = "bulky-waste", .service_version = 1,
    .locale = "tr", .created_us = G_GINT64_CONSTANT (1795000123) * G_USEC_PER_SEC, .answers = answers,
  };
  g_autoptr(GBytes) payload = NULL;
  g_autoptr(GBytes) scanned_bytes = NULL;
  g_autoptr(KioskPayload) opened = NULL;
  g_autoptr(KioskQr) qr = NULL;
  g_autoptr(GPtrArray) found = NULL;
  g_autofree char *text = NULL;
  KioskSigningKey *trusted = g_new0 (KioskSigningKey, 1);

  g_assert_no_error (error);
  counter->city = g_memdup2 (city, sizeof *city);
  trusted->kiosk_id = g_strdup ("kiosk-rathaus");
  memcpy (trusted->public_key, signer->public_key, sizeof trusted->public_key);
  g_ptr_array_add (counter->trusted, trusted);

  payload = kiosk_payload_seal (&fields, signer, city, FALSE, 650, &error);
  g_assert_no_error (error);
  text = kiosk_payload_encode_qr_text (payload);
  qr = kiosk_qr_new_numeric (text, &error);
  g_assert_no_error (error);
  g_test_message ("%zu bytes, %zu digits, QR version %u", g_bytes_get_size (payload), strlen (text),
                  kiosk_qr_get_version (qr));

  found = scan_qr (qr, 4);
  g_assert_cmpuint (found->len, ==, 1);
  g_assert_cmpstr (found->pdata[0], ==, text);

  scanned_bytes = kiosk_payload_decode_qr_text (found->pdata[0], &error);
  g_assert_no_error (error);
  opened = kiosk_payload_open (scanned_bytes, counter, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (kiosk_payload_get_id (opened), ==, fields.id);
  g_assert_cmpstr (kiosk_payload_get_short_code (opened), ==, fields.short_code);
  g_assert_cmpstr (kiosk_payload_get_service_id (opened), ==, fields.service_id);
  g_assert_cmpstr (kiosk_payload_get_locale (opened), ==, "tr");
  g_assert_cmpint (kiosk_payload_get_created (opened), ==, fields.created_us);
  g_assert_true (g_bytes_equal (kiosk_payload_get_answers (opened), answers));
  g_assert_finalize_object (g_steal_pointer (&opened));
}

/* The cap (650 bytes) fits version 25 at level Q, and zbar reads it. */
static void
test_max_payload (void)
{
  g_autoptr(GError) error = NULL;
  guint8 buf[650];
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char *text = NULL;
  g_autoptr(KioskQr) qr = NULL;
  g_autoptr(GPtrArray) found = NULL;
  g_autofree char *more_text = NULL;
  g_autoptr(GBytes) more = NULL;
  g_autoptr(KioskQr) too_big = NULL;
  gsize fits = 0;

  for (guint i = 0; i < sizeof buf; i++)
    buf[i] = (guint8) (i * 151 + 7);
  bytes = g_bytes_new (buf, sizeof buf);
  text = kiosk_payload_encode_qr_text (bytes);
  qr = kiosk_qr_new_numeric (text, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (kiosk_qr_get_version (qr), <=, KIOSK_QR_MAX_VERSION);
  g_test_message ("650 bytes -> %zu digits -> version %u (%u modules)",
                  strlen (text), kiosk_qr_get_version (qr), kiosk_qr_get_width (qr));

  found = scan_qr (qr, 3);
  g_assert_cmpuint (found->len, ==, 1);
  g_assert_cmpstr (found->pdata[0], ==, text);

  /* Find where version 25 ends, as a figure and as the negative control:
   * a payload far over the cap is refused, not drawn too large. */
  for (gsize n = 650; n < 2000; n += 10)
    {
      g_autofree guint8 *big = g_malloc0 (n);
      g_autoptr(GBytes) b = g_bytes_new_take (g_steal_pointer (&big), n);
      g_autofree char *t = kiosk_payload_encode_qr_text (b);
      g_autoptr(KioskQr) q = kiosk_qr_new_numeric (t, NULL);

      if (q == NULL)
        break;
      fits = n;
    }
  g_test_message ("version 25-Q holds up to about %zu payload bytes", fits);
  g_assert_cmpuint (fits, >=, 650);
  {
    g_autofree guint8 *big = g_malloc0 (fits + 100);
    more = g_bytes_new_take (g_steal_pointer (&big), fits + 100);
  }
  more_text = kiosk_payload_encode_qr_text (more);
  too_big = kiosk_qr_new_numeric (more_text, &error);
  g_assert_null (too_big);
  g_assert_error (error, KIOSK_QR_ERROR, KIOSK_QR_ERROR_TOO_LARGE);
}

static void
test_zbarimg (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *zbarimg = g_find_program_in_path ("zbarimg");
  g_autofree char *dir = NULL;
  g_autofree char *png = NULL;
  g_autofree char *out = NULL;
  g_autoptr(KioskQr) qr = kiosk_qr_new_numeric ("575001123456789012345678901234567890", &error);
  const char *argv[] = { NULL, "--nodbus", "--quiet", "--raw", NULL, NULL };
  int status = 0;

  g_assert_no_error (error);
  if (zbarimg == NULL)
    {
      g_test_skip ("zbarimg is not installed (Debian package zbar-tools)");
      return;
    }
  dir = g_dir_make_tmp ("test-qr-XXXXXX", &error);
  g_assert_no_error (error);
  png = g_build_filename (dir, "qr.png", NULL);
  g_assert_true (kiosk_qr_write_png (qr, png, 4, &error));
  argv[0] = zbarimg;
  argv[4] = png;
  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL,
                               &out, NULL, &status, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (g_strstrip (out), ==, "575001123456789012345678901234567890");
  g_remove (png);
  g_rmdir (dir);
}

static void
test_rejects (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KioskQr) qr = kiosk_qr_new_numeric ("5750A1", &error);

  g_assert_null (qr);
  g_assert_error (error, KIOSK_QR_ERROR, KIOSK_QR_ERROR_INVALID);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/kiosk/qr/round-trip", test_round_trip);
  g_test_add_func ("/kiosk/qr/max-payload", test_max_payload);
  g_test_add_func ("/kiosk/qr/zbarimg", test_zbarimg);
  g_test_add_func ("/kiosk/qr/rejects", test_rejects);

  return g_test_run ();
}

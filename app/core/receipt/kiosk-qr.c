/* kiosk-qr.c
 *
 * SPDX-FileCopyrightText: 2026 Stadtkiosk contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "kiosk-receipt"

#include "config.h"

#include "kiosk-qr.h"

#include <errno.h>
#include <gio/gio.h>
#include <qrencode.h>
#include <string.h>

/* A QR code of digits in numeric mode (10 bits per 3 digits) at error
 * correction level Q (25 % of the code may be lost: creases, thermal fade). */

struct _KioskQr
{
  GObject  parent_instance;

  char    *text;
  guint    version;
  guint    width;
  guint8  *modules;   /* width * width, 1 = dark */
};

G_DEFINE_FINAL_TYPE (KioskQr, kiosk_qr, G_TYPE_OBJECT)

G_DEFINE_QUARK (kiosk-qr-error-quark, kiosk_qr_error)

static void
kiosk_qr_finalize (GObject *object)
{
  KioskQr *self = (KioskQr *) object;

  g_free (self->text);
  g_free (self->modules);

  G_OBJECT_CLASS (kiosk_qr_parent_class)->finalize (object);
}

static void
kiosk_qr_class_init (KioskQrClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = kiosk_qr_finalize;
}

static void
kiosk_qr_init (KioskQr *self)
{
}

/* Takes @code: its modules, one byte each, for drawing. */
static KioskQr *
qr_new_from_code (const char *text,
                  QRcode     *code)
{
  KioskQr *self = g_object_new (KIOSK_TYPE_QR, NULL);

  self->text = g_strdup (text);
  self->version = (guint) code->version;
  self->width = (guint) code->width;
  self->modules = g_malloc ((gsize) self->width * self->width);
  for (guint i = 0; i < self->width * self->width; i++)
    self->modules[i] = code->data[i] & 1;
  QRcode_free (code);
  return self;
}

/**
 * kiosk_qr_new_numeric:
 * @digits: the text, digits only
 *
 * Returns: (transfer full): the code, or %NULL if @digits are not digits or
 *   need a version above %KIOSK_QR_MAX_VERSION
 */
KioskQr *
kiosk_qr_new_numeric (const char  *digits,
                      GError     **error)
{
  QRinput *input;
  QRcode *code;
  gsize len;

  g_return_val_if_fail (digits != NULL, NULL);

  len = strlen (digits);
  for (gsize i = 0; i < len; i++)
    if (!g_ascii_isdigit (digits[i]))
      {
        g_set_error (error, KIOSK_QR_ERROR, KIOSK_QR_ERROR_INVALID,
                     "QR text has '%c' at position %zu; only digits are allowed", digits[i], i + 1);
        return NULL;
      }
  if (len == 0)
    {
      g_set_error_literal (error, KIOSK_QR_ERROR, KIOSK_QR_ERROR_INVALID, "QR text is empty");
      return NULL;
    }

  input = QRinput_new2 (0, QR_ECLEVEL_Q);
  if (input == NULL || QRinput_append (input, QR_MODE_NUM, (int) len, (const unsigned char *) digits) != 0)
    {
      int saved = errno;

      if (input != NULL)
        QRinput_free (input);
      g_set_error (error, KIOSK_QR_ERROR, KIOSK_QR_ERROR_INVALID,
                   "cannot encode the QR text: %s", g_strerror (saved));
      return NULL;
    }
  code = QRcode_encodeInput (input);
  QRinput_free (input);
  if (code == NULL)
    {
      g_set_error (error, KIOSK_QR_ERROR, KIOSK_QR_ERROR_TOO_LARGE,
                   "%zu digits do not fit any QR code at error correction Q", len);
      return NULL;
    }
  if (code->version > KIOSK_QR_MAX_VERSION)
    {
      g_set_error (error, KIOSK_QR_ERROR, KIOSK_QR_ERROR_TOO_LARGE,
                   "%zu digits need QR version %d; a receipt allows at most %d ([keys] payload-cap too high?)",
                   len, code->version, KIOSK_QR_MAX_VERSION);
      QRcode_free (code);
      return NULL;
    }

  return qr_new_from_code (digits, code);
}

/**
 * kiosk_qr_new_text:
 * @text: any UTF-8 text, e.g. a web address
 *
 * A code for a phone camera, not for a counter's USB scanner: libqrencode
 * picks byte (or alphanumeric) mode, which a phone reads whatever the
 * keyboard layout.  Receipts that a scanner types use
 * kiosk_qr_new_numeric().  Error correction Q, like the receipts.
 *
 * Returns: (transfer full): the code, or %NULL if @text is empty or needs
 *   a version above %KIOSK_QR_MAX_VERSION
 */
KioskQr *
kiosk_qr_new_text (const char  *text,
                   GError     **error)
{
  QRcode *code;

  g_return_val_if_fail (text != NULL, NULL);

  if (*text == '\0' || !g_utf8_validate (text, -1, NULL))
    {
      g_set_error_literal (error, KIOSK_QR_ERROR, KIOSK_QR_ERROR_INVALID,
                           *text == '\0' ? "QR text is empty" : "QR text is not valid UTF-8");
      return NULL;
    }
  code = QRcode_encodeString (text, 0, QR_ECLEVEL_Q, QR_MODE_8, 1);
  if (code == NULL || code->version > KIOSK_QR_MAX_VERSION)
    {
      g_set_error (error, KIOSK_QR_ERROR, KIOSK_QR_ERROR_TOO_LARGE,
                   "%zu bytes of text do not fit a QR code of version %d at error correction Q",
                   strlen (text), KIOSK_QR_MAX_VERSION);
      g_clear_pointer (&code, QRcode_free);
      return NULL;
    }

  return qr_new_from_code (text, code);
}

const char *
kiosk_qr_get_text (KioskQr *self)
{
  g_return_val_if_fail (KIOSK_IS_QR (self), NULL);
  return self->text;
}

guint
kiosk_qr_get_version (KioskQr *self)
{
  g_return_val_if_fail (KIOSK_IS_QR (self), 0);
  return self->version;
}

/* Returns: the number of modules on a side, without the quiet zone */
guint
kiosk_qr_get_width (KioskQr *self)
{
  g_return_val_if_fail (KIOSK_IS_QR (self), 0);
  return self->width;
}

gboolean
kiosk_qr_get_module (KioskQr *self,
                     guint    x,
                     guint    y)
{
  g_return_val_if_fail (KIOSK_IS_QR (self), FALSE);

  if (x >= self->width || y >= self->width)
    return FALSE;
  return self->modules[y * self->width + x] != 0;
}

/**
 * kiosk_qr_draw:
 *
 * Draws the dark modules at (@x, @y); the caller leaves the quiet zone
 * (4 modules) around it.
 */
void
kiosk_qr_draw (KioskQr *self,
               cairo_t *cr,
               double   x,
               double   y,
               double   module_size)
{
  g_return_if_fail (KIOSK_IS_QR (self));

  cairo_save (cr);
  cairo_set_antialias (cr, CAIRO_ANTIALIAS_NONE);
  cairo_set_source_rgb (cr, 0, 0, 0);
  for (guint row = 0; row < self->width; row++)
    for (guint col = 0; col < self->width; col++)
      if (self->modules[row * self->width + col])
        cairo_rectangle (cr, x + col * module_size, y + row * module_size, module_size, module_size);
  cairo_fill (cr);
  cairo_restore (cr);
}

gboolean
kiosk_qr_write_png (KioskQr     *self,
                    const char  *path,
                    guint        module_size,
                    GError     **error)
{
  guint side;
  cairo_surface_t *surface;
  cairo_t *cr;
  cairo_status_t status;

  g_return_val_if_fail (KIOSK_IS_QR (self), FALSE);
  g_return_val_if_fail (module_size > 0, FALSE);

  side = (self->width + 8) * module_size;
  surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, (int) side, (int) side);
  cr = cairo_create (surface);
  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_paint (cr);
  kiosk_qr_draw (self, cr, 4.0 * module_size, 4.0 * module_size, module_size);
  cairo_destroy (cr);
  status = cairo_surface_write_to_png (surface, path);
  cairo_surface_destroy (surface);
  if (status != CAIRO_STATUS_SUCCESS)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                   "cannot write %s: %s", path, cairo_status_to_string (status));
      return FALSE;
    }
  return TRUE;
}

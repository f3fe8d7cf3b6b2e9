/* kiosk-receipt.c
 *
 * SPDX-FileCopyrightText: 2026 Stadtkiosk contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "kiosk-receipt"

#include "config.h"

#include "kiosk-receipt.h"
#include "kiosk-receipt-private.h"

#include <cairo-pdf.h>
#include "kiosk-i18n-private.h"
#include <libintl.h>
#include <math.h>
#include <pango/pangocairo.h>
#include <string.h>

#include "kiosk-field.h"
#include "kiosk-keys.h"
#include "kiosk-payload.h"
#include "kiosk-sealer.h"
#include "kiosk-service.h"

/* A receipt is a list of blocks (text, rule, QR…) made from the model.
 * kiosk_receipt_draw() draws them all with cairo and pango: that one
 * function makes the PNG, the PDF and every raster the ESC/POS output
 * needs.  ESC/POS sends a text block as printer text when the printer's
 * code page (WPC1252) holds it and as a raster image of the same drawing
 * otherwise (Arabic, Cyrillic, Turkish ğ…), so every script prints. */

/* The receipt speaks the citizen's language, whatever the process locale:
 * build_blocks() sets the request's language for this thread, and _()
 * (kiosk-i18n-private.h) translates into it from the compiled catalogues. */

struct _KioskReceipt
{
  GObject            parent_instance;

  char              *city;
  char              *service_title;
  char              *short_code;
  gint64             created_us;
  char              *location;
  char              *help_place;
  char              *kiosk_id;
  char              *locale;
  KioskReceiptState  state;
  KioskQr           *qr;
  gboolean           reference_only;
  gboolean           demo;
  GPtrArray         *answers;     /* label, value, label, value … */
  KioskReceiptLayout layout;
  char              *office_hours;
  char              *what_to_bring;
  char              *next_steps;   /* the service's, in the receipt's language */
  char              *url;
};

G_DEFINE_FINAL_TYPE (KioskReceipt, kiosk_receipt, G_TYPE_OBJECT)

G_DEFINE_QUARK (kiosk-receipt-error-quark, kiosk_receipt_error)

static void
block_free (Block *block)
{
  g_free (block->text);
  g_free (block);
}

static Block *
add_block (GPtrArray  *blocks,
           BlockKind   kind,
           const char *text,
           double      size,
           gboolean    bold,
           gboolean    center)
{
  Block *b = g_new0 (Block, 1);

  b->kind = kind;
  b->text = g_strdup (text);
  b->size = size;
  b->bold = bold;
  b->center = center;
  g_ptr_array_add (blocks, b);
  return b;
}

static gboolean
is_set (const char *text)
{
  return text != NULL && *text != '\0';
}

/* Every layout starts alike: DEMO band, city, what this is. */
static void
add_header (KioskReceipt *self,
            GPtrArray    *blocks)
{
  if (self->demo)
    add_block (blocks, BLOCK_BANNER, _("DEMO — not a real request"), SIZE_BODY, TRUE, TRUE);
  add_block (blocks, BLOCK_TEXT, self->city ? self->city : _("City of Hildesheim"), SIZE_HEADER, TRUE, TRUE);
  add_block (blocks, BLOCK_TEXT, _("Stadtkiosk — city services"), SIZE_SMALL, FALSE, TRUE);
  add_block (blocks, BLOCK_RULE, NULL, 0, FALSE, FALSE);
}

/* The reference number, date and place of a stored request. */
static void
add_reference (KioskReceipt *self,
               GPtrArray    *blocks)
{
  g_autofree char *when = NULL;

  if (self->created_us > 0)
    {
      g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (self->created_us / G_USEC_PER_SEC);
      g_autoptr(GDateTime) local = g_date_time_to_local (utc);

      /* Translators: date and time on the receipt, see g_date_time_format() */
      when = g_date_time_format (local, _("%d/%m/%Y, %H:%M"));
    }
  add_block (blocks, BLOCK_SPACE, NULL, 8, FALSE, FALSE);
  add_block (blocks, BLOCK_TEXT, _("Your reference number"), SIZE_SMALL, FALSE, TRUE);
  add_block (blocks, BLOCK_TEXT, self->short_code ? self->short_code : "-", SIZE_CODE, TRUE, TRUE)->mono = TRUE;
  add_block (blocks, BLOCK_SPACE, NULL, 8, FALSE, FALSE);
  if (when != NULL)
    add_block (blocks, BLOCK_TEXT, when, SIZE_BODY, FALSE, FALSE);
  if (is_set (self->location))
    add_block (blocks, BLOCK_TEXT, self->location, SIZE_BODY, FALSE, FALSE);
}

/* The sealed QR code and what it holds, the kiosk, the DEMO band. */
static void
add_footer (KioskReceipt *self,
            GPtrArray    *blocks)
{
  if (self->qr != NULL)
    {
      add_block (blocks, BLOCK_RULE, NULL, 0, FALSE, FALSE);
      add_block (blocks, BLOCK_QR, NULL, 0, FALSE, TRUE);
      add_block (blocks, BLOCK_TEXT,
                 self->reference_only
                 ? _("The code holds only your reference number. Your answers are stored on this kiosk "
                     "and are sent to the city from there.")
                 : _("The code holds your request, sealed: only the city can read it."),
                 SIZE_SMALL, FALSE, TRUE);
    }
  if (self->kiosk_id != NULL)
    {
      g_autofree char *footer = g_strdup_printf (_("Kiosk %s"), self->kiosk_id);
      add_block (blocks, BLOCK_TEXT, footer, SIZE_SMALL, FALSE, TRUE);
    }
  if (self->demo)
    add_block (blocks, BLOCK_BANNER, _("DEMO — not a real request"), SIZE_BODY, TRUE, TRUE);
}

/* A `print` service: the filled-in form to take to the office.  Each
 * answer is a label above its value on a line, as on a paper form; then
 * room for the date and signature, what to bring, where and when. */
static void
build_form_blocks (KioskReceipt *self,
                   GPtrArray    *blocks)
{
  add_header (self, blocks);
  add_block (blocks, BLOCK_TEXT, _("Application – please bring this to the citizens' office"),
             SIZE_BODY, TRUE, TRUE);
  if (self->service_title != NULL)
    add_block (blocks, BLOCK_TEXT, self->service_title, SIZE_TITLE, TRUE, TRUE);
  add_reference (self, blocks);
  add_block (blocks, BLOCK_RULE, NULL, 0, FALSE, FALSE);

  if (self->answers != NULL && self->answers->len > 0)
    for (guint i = 0; i + 1 < self->answers->len; i += 2)
      {
        add_block (blocks, BLOCK_TEXT, self->answers->pdata[i], SIZE_SMALL, FALSE, FALSE);
        add_block (blocks, BLOCK_TEXT, self->answers->pdata[i + 1], SIZE_BODY, TRUE, FALSE);
        add_block (blocks, BLOCK_LINE, NULL, 0, FALSE, FALSE);
        add_block (blocks, BLOCK_SPACE, NULL, 6, FALSE, FALSE);
      }
  else
    add_block (blocks, BLOCK_TEXT,
               _("Your answers are in the sealed code below; the staff read them from there."),
               SIZE_BODY, FALSE, FALSE);

  add_block (blocks, BLOCK_LINE, NULL, 56, FALSE, FALSE);
  add_block (blocks, BLOCK_TEXT, _("Date, signature"), SIZE_SMALL, FALSE, FALSE);
  add_block (blocks, BLOCK_SPACE, NULL, 8, FALSE, FALSE);

  if (is_set (self->what_to_bring))
    {
      add_block (blocks, BLOCK_RULE, NULL, 0, FALSE, FALSE);
      add_block (blocks, BLOCK_TEXT, _("Please bring"), SIZE_BODY, TRUE, FALSE);
      add_block (blocks, BLOCK_TEXT, self->what_to_bring, SIZE_BODY, FALSE, FALSE);
    }
  if (is_set (self->office_hours))
    {
      add_block (blocks, BLOCK_SPACE, NULL, 6, FALSE, FALSE);
      add_block (blocks, BLOCK_TEXT, _("Where and when"), SIZE_BODY, TRUE, FALSE);
      add_block (blocks, BLOCK_TEXT, self->office_hours, SIZE_BODY, FALSE, FALSE);
    }
  add_footer (self, blocks);
}

/* An info slip, e.g. the waste collection dates of a street: nothing is
 * stored, so no reference and no code; the lines, then a note (the data's
 * "as of" time, kept in office_hours). */
static void
build_info_blocks (KioskReceipt *self,
                   GPtrArray    *blocks)
{
  add_header (self, blocks);
  if (self->service_title != NULL)
    add_block (blocks, BLOCK_TEXT, self->service_title, SIZE_TITLE, TRUE, TRUE);
  add_block (blocks, BLOCK_RULE, NULL, 0, FALSE, FALSE);
  for (guint i = 0; self->answers != NULL && i + 1 < self->answers->len; i += 2)
    {
      add_block (blocks, BLOCK_TEXT, self->answers->pdata[i], SIZE_BODY, TRUE, FALSE);
      add_block (blocks, BLOCK_TEXT, self->answers->pdata[i + 1], SIZE_BODY, FALSE, FALSE);
      add_block (blocks, BLOCK_SPACE, NULL, 6, FALSE, FALSE);
    }
  if (is_set (self->office_hours))
    {
      add_block (blocks, BLOCK_RULE, NULL, 0, FALSE, FALSE);
      add_block (blocks, BLOCK_TEXT, self->office_hours, SIZE_SMALL, FALSE, FALSE);
    }
  add_footer (self, blocks);
}

/* A `refer` service: nothing is stored, so no reference and no sealed
 * code; the web address in clear text and as a QR for a phone. */
static void
build_refer_blocks (KioskReceipt *self,
                    GPtrArray    *blocks)
{
  add_header (self, blocks);
  if (self->service_title != NULL)
    add_block (blocks, BLOCK_TEXT, self->service_title, SIZE_TITLE, TRUE, FALSE);
  add_block (blocks, BLOCK_SPACE, NULL, 6, FALSE, FALSE);
  add_block (blocks, BLOCK_TEXT, _("This service is online only."), SIZE_BODY, TRUE, FALSE);
  add_block (blocks, BLOCK_TEXT,
             _("Apply on the city's website at this address, or scan the code with your phone's camera:"),
             SIZE_BODY, FALSE, FALSE);
  add_block (blocks, BLOCK_SPACE, NULL, 6, FALSE, FALSE);
  add_block (blocks, BLOCK_TEXT, self->url ? self->url : "-", SIZE_BODY, TRUE, TRUE)->mono = TRUE;
  if (self->qr != NULL)
    add_block (blocks, BLOCK_QR, NULL, 0, FALSE, TRUE);
  if (is_set (self->office_hours))
    {
      add_block (blocks, BLOCK_RULE, NULL, 0, FALSE, FALSE);
      add_block (blocks, BLOCK_TEXT, _("Or visit the office:"), SIZE_BODY, TRUE, FALSE);
      add_block (blocks, BLOCK_TEXT, self->office_hours, SIZE_BODY, FALSE, FALSE);
    }
  add_block (blocks, BLOCK_SPACE, NULL, 6, FALSE, FALSE);
  add_block (blocks, BLOCK_TEXT, _("Nothing about you was stored on the kiosk."), SIZE_SMALL, FALSE, TRUE);
}

GPtrArray *
_kiosk_receipt_build_blocks (KioskReceipt *self)
{
  GPtrArray *blocks = g_ptr_array_new_with_free_func ((GDestroyNotify) block_free);
  g_autofree char *help = NULL;
  const char *previous = kiosk_language_push_thread (self->locale);

  if (self->layout == KIOSK_RECEIPT_LAYOUT_FORM)
    {
      build_form_blocks (self, blocks);
      kiosk_language_pop_thread (previous);
      return blocks;
    }
  if (self->layout == KIOSK_RECEIPT_LAYOUT_REFER)
    {
      build_refer_blocks (self, blocks);
      kiosk_language_pop_thread (previous);
      return blocks;
    }
  if (self->layout == KIOSK_RECEIPT_LAYOUT_INFO)
    {
      build_info_blocks (self, blocks);
      kiosk_language_pop_thread (previous);
      return blocks;
    }

  add_header (self, blocks);
  if (self->service_title != NULL)
    add_block (blocks, BLOCK_TEXT, self->service_title, SIZE_TITLE, TRUE, FALSE);
  add_reference (self, blocks);
  add_block (blocks, BLOCK_SPACE, NULL, 6, FALSE, FALSE);
  add_block (blocks, BLOCK_TEXT,
             self->state == KIOSK_RECEIPT_STATE_SENT
             ? _("Sent: the city has received your request.")
             : _("Saved — it will be sent to the city automatically."),
             SIZE_BODY, TRUE, FALSE);
  add_block (blocks, BLOCK_SPACE, NULL, 6, FALSE, FALSE);
  /* The service's own words on what happens next and when come first. */
  if (is_set (self->next_steps))
    {
      add_block (blocks, BLOCK_TEXT, self->next_steps, SIZE_BODY, TRUE, FALSE);
      add_block (blocks, BLOCK_SPACE, NULL, 4, FALSE, FALSE);
    }
  add_block (blocks, BLOCK_TEXT,
             _("What happens next: the city works on your request and contacts you if it needs anything. "
               "Keep this slip until then."),
             SIZE_BODY, FALSE, FALSE);
  help = g_strdup_printf (_("If you hear nothing within two weeks, bring this slip to %s. "
                            "The staff can read your request from the code below."),
                          self->help_place ? self->help_place
                                           : _("the citizens' office (Bürgeramt), Markt 1, 31134 Hildesheim"));
  add_block (blocks, BLOCK_TEXT, help, SIZE_BODY, FALSE, FALSE);

  if (self->answers != NULL && self->answers->len > 0)
    {
      add_block (blocks, BLOCK_RULE, NULL, 0, FALSE, FALSE);
      for (guint i = 0; i + 1 < self->answers->len; i += 2)
        {
          g_autofree char *line = g_strdup_printf ("%s: %s", (char *) self->answers->pdata[i],
                                                   (char *) self->answers->pdata[i + 1]);
          add_block (blocks, BLOCK_TEXT, line, SIZE_SMALL, FALSE, FALSE);
        }
    }
  add_footer (self, blocks);
  kiosk_language_pop_thread (previous);
  return blocks;
}

guint
_kiosk_receipt_qr_module_size (KioskReceipt *self,
                double        width)
{
  guint side = kiosk_qr_get_width (self->qr) + 8;
  /* The quiet zone (4 modules a side) may run into the white margin: at
   * version 25 that keeps 3 dots a module on 58 mm paper instead of 2. */
  guint module = (guint) (width / side);

  return CLAMP (module, 1, 6);
}

static PangoLayout *
make_layout (cairo_t     *cr,
             const Block *b,
             double       scale,
             double       width)
{
  PangoLayout *layout = pango_cairo_create_layout (cr);
  g_autoptr(PangoFontDescription) font = pango_font_description_new ();

  pango_font_description_set_family (font, b->mono ? "DejaVu Sans Mono,Monospace" : "DejaVu Sans,Noto Sans,Noto Sans Arabic,Sans");
  pango_font_description_set_weight (font, b->bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
  pango_font_description_set_absolute_size (font, b->size * scale * PANGO_SCALE);
  pango_layout_set_font_description (layout, font);
  pango_layout_set_width (layout, (int) ((width - 2 * MARGIN * scale) * PANGO_SCALE));
  pango_layout_set_wrap (layout, PANGO_WRAP_WORD_CHAR);
  /* Pango mirrors the alignment for right-to-left paragraphs. */
  pango_layout_set_alignment (layout, b->center ? PANGO_ALIGN_CENTER : PANGO_ALIGN_LEFT);
  pango_layout_set_text (layout, b->text, -1);
  return layout;
}

/* Draws one block at @y (or only measures it when @paint is FALSE) and
 * returns its height. */
double
_kiosk_receipt_draw_block (KioskReceipt *self,
            const Block  *b,
            cairo_t      *cr,
            double        y,
            double        width,
            gboolean      paint)
{
  double scale = width / KIOSK_RECEIPT_DOTS_80MM;
  double pad = 4 * scale;

  switch (b->kind)
    {
    case BLOCK_SPACE:
      return b->size * scale;

    case BLOCK_RULE:
      if (paint)
        {
          cairo_save (cr);
          cairo_set_source_rgb (cr, 0, 0, 0);
          cairo_rectangle (cr, MARGIN * scale, y + 6 * scale, width - 2 * MARGIN * scale, MAX (2 * scale, 1));
          cairo_fill (cr);
          cairo_restore (cr);
        }
      return 14 * scale;

    case BLOCK_LINE:
      if (paint)
        {
          cairo_save (cr);
          cairo_set_source_rgb (cr, 0, 0, 0);
          cairo_rectangle (cr, MARGIN * scale, y + (b->size + 2) * scale, width - 2 * MARGIN * scale, MAX (scale, 1));
          cairo_fill (cr);
          cairo_restore (cr);
        }
      return (b->size + 6) * scale;

    case BLOCK_QR:
      {
        guint module = _kiosk_receipt_qr_module_size (self, width);
        double side = (kiosk_qr_get_width (self->qr) + 8.0) * module;

        if (paint)
          kiosk_qr_draw (self->qr, cr, floor ((width - side) / 2) + 4.0 * module, y + 4.0 * module, module);
        return side;
      }

    case BLOCK_TEXT:
    case BLOCK_BANNER:
      {
        g_autoptr(PangoLayout) layout = make_layout (cr, b, scale, width);
        int w, h;

        pango_layout_get_pixel_size (layout, &w, &h);
        if (paint)
          {
            cairo_save (cr);
            if (b->kind == BLOCK_BANNER)
              {
                cairo_set_source_rgb (cr, 0, 0, 0);
                cairo_rectangle (cr, MARGIN * scale, y, width - 2 * MARGIN * scale, h + 2 * pad);
                cairo_fill (cr);
                cairo_set_source_rgb (cr, 1, 1, 1);
              }
            else
              cairo_set_source_rgb (cr, 0, 0, 0);
            cairo_move_to (cr, MARGIN * scale, y + pad);
            pango_cairo_show_layout (cr, layout);
            cairo_restore (cr);
          }
        return h + 2 * pad;
      }

    default:
      g_assert_not_reached ();
    }
  return 0;
}

static double
draw_blocks (KioskReceipt *self,
             GPtrArray    *blocks,
             cairo_t      *cr,
             double        width,
             gboolean      paint)
{
  double y = MARGIN * width / KIOSK_RECEIPT_DOTS_80MM;

  for (guint i = 0; i < blocks->len; i++)
    y += _kiosk_receipt_draw_block (self, blocks->pdata[i], cr, y, width, paint);
  return y + MARGIN * width / KIOSK_RECEIPT_DOTS_80MM;
}

/**
 * kiosk_receipt_draw:
 * @cr: where to draw; the receipt starts at (0, 0), white is not painted
 * @width_px: the width in device units (384 for 58 mm, 576 for 80 mm paper)
 *
 * Draws the whole receipt.  This is the one drawing function behind every
 * output: PNG, PDF and ESC/POS rasters.
 *
 * Returns: the height drawn
 */
double
kiosk_receipt_draw (KioskReceipt *self,
                    cairo_t      *cr,
                    int           width_px)
{
  g_autoptr(GPtrArray) blocks = NULL;

  g_return_val_if_fail (KIOSK_IS_RECEIPT (self), 0);
  g_return_val_if_fail (cr != NULL && width_px > 0, 0);

  blocks = _kiosk_receipt_build_blocks (self);
  return draw_blocks (self, blocks, cr, width_px, TRUE);
}

static double
measure (KioskReceipt *self,
         GPtrArray    *blocks,
         int           width_px)
{
  cairo_surface_t *scratch = cairo_image_surface_create (CAIRO_FORMAT_RGB24, 1, 1);
  cairo_t *cr = cairo_create (scratch);
  double h = draw_blocks (self, blocks, cr, width_px, FALSE);

  cairo_destroy (cr);
  cairo_surface_destroy (scratch);
  return h;
}

/**
 * kiosk_receipt_render_surface:
 *
 * Returns: (transfer full): an RGB image of the receipt on white
 */
cairo_surface_t *
kiosk_receipt_render_surface (KioskReceipt  *self,
                              int            width_px,
                              GError       **error)
{
  g_autoptr(GPtrArray) blocks = NULL;
  cairo_surface_t *surface;
  cairo_t *cr;
  double height;

  g_return_val_if_fail (KIOSK_IS_RECEIPT (self), NULL);

  if (width_px < 200 || width_px > 4000)
    {
      g_set_error (error, KIOSK_RECEIPT_ERROR, KIOSK_RECEIPT_ERROR_INVALID,
                   "receipt width %d px is not between 200 and 4000", width_px);
      return NULL;
    }
  blocks = _kiosk_receipt_build_blocks (self);
  height = measure (self, blocks, width_px);
  surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, width_px, (int) ceil (height));
  cr = cairo_create (surface);
  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_paint (cr);
  kiosk_receipt_draw (self, cr, width_px);
  cairo_destroy (cr);
  if (cairo_surface_status (surface) != CAIRO_STATUS_SUCCESS)
    {
      g_set_error (error, KIOSK_RECEIPT_ERROR, KIOSK_RECEIPT_ERROR_RENDER,
                   "cannot draw the receipt: %s", cairo_status_to_string (cairo_surface_status (surface)));
      cairo_surface_destroy (surface);
      return NULL;
    }
  return surface;
}

gboolean
kiosk_receipt_render_png (KioskReceipt  *self,
                          const char    *path,
                          int            width_px,
                          GError       **error)
{
  cairo_surface_t *surface;
  cairo_status_t status;

  g_return_val_if_fail (KIOSK_IS_RECEIPT (self), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  surface = kiosk_receipt_render_surface (self, width_px, error);
  if (surface == NULL)
    return FALSE;
  status = cairo_surface_write_to_png (surface, path);
  cairo_surface_destroy (surface);
  if (status != CAIRO_STATUS_SUCCESS)
    {
      g_set_error (error, KIOSK_RECEIPT_ERROR, KIOSK_RECEIPT_ERROR_RENDER,
                   "cannot write %s: %s", path, cairo_status_to_string (status));
      return FALSE;
    }
  return TRUE;
}

gboolean
_kiosk_receipt_check_paper (guint    paper_mm,
             GError **error)
{
  if (paper_mm != 58 && paper_mm != 80)
    {
      g_set_error (error, KIOSK_RECEIPT_ERROR, KIOSK_RECEIPT_ERROR_INVALID,
                   "paper width %u mm is not supported (58 or 80)", paper_mm);
      return FALSE;
    }
  return TRUE;
}

static cairo_status_t
append_to_bytes (void                *closure,
                 const unsigned char *data,
                 unsigned int         length)
{
  g_byte_array_append (closure, data, length);
  return CAIRO_STATUS_SUCCESS;
}

/**
 * kiosk_receipt_render_pdf:
 * @paper_mm: 58 or 80
 *
 * Returns: (transfer full): a one-page PDF as wide as the paper, with real
 *   text (searchable, and what CUPS prints)
 */
GBytes *
kiosk_receipt_render_pdf (KioskReceipt  *self,
                          guint          paper_mm,
                          GError       **error)
{
  g_autoptr(GPtrArray) blocks = NULL;
  g_autoptr(GByteArray) out = NULL;
  cairo_surface_t *surface;
  cairo_t *cr;
  cairo_status_t status;
  int width_px;
  double printable_mm, pt_per_px, height;

  g_return_val_if_fail (KIOSK_IS_RECEIPT (self), NULL);

  if (!_kiosk_receipt_check_paper (paper_mm, error))
    return NULL;
  width_px = paper_mm == 58 ? KIOSK_RECEIPT_DOTS_58MM : KIOSK_RECEIPT_DOTS_80MM;
  printable_mm = paper_mm == 58 ? 48.0 : 72.0;
  pt_per_px = printable_mm / 25.4 * 72.0 / width_px;

  blocks = _kiosk_receipt_build_blocks (self);
  height = measure (self, blocks, width_px);
  out = g_byte_array_new ();
  surface = cairo_pdf_surface_create_for_stream (append_to_bytes, out,
                                                 paper_mm / 25.4 * 72.0, height * pt_per_px);
  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_TITLE,
                                  self->short_code ? self->short_code : "Stadtkiosk");
  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_CREATOR, "Stadtkiosk " PACKAGE_VERSION);
  cr = cairo_create (surface);
  cairo_translate (cr, (paper_mm - printable_mm) / 2 / 25.4 * 72.0, 0);
  cairo_scale (cr, pt_per_px, pt_per_px);
  draw_blocks (self, blocks, cr, width_px, TRUE);
  cairo_show_page (cr);
  cairo_destroy (cr);
  cairo_surface_finish (surface);
  status = cairo_surface_status (surface);
  cairo_surface_destroy (surface);
  if (status != CAIRO_STATUS_SUCCESS)
    {
      g_set_error (error, KIOSK_RECEIPT_ERROR, KIOSK_RECEIPT_ERROR_RENDER,
                   "cannot make the PDF: %s", cairo_status_to_string (status));
      return NULL;
    }
  return g_byte_array_free_to_bytes (g_steal_pointer (&out));
}

/* The object */

static void
kiosk_receipt_finalize (GObject *object)
{
  KioskReceipt *self = (KioskReceipt *) object;

  g_free (self->city);
  g_free (self->service_title);
  g_free (self->short_code);
  g_free (self->location);
  g_free (self->help_place);
  g_free (self->kiosk_id);
  g_free (self->locale);
  g_clear_object (&self->qr);
  g_clear_pointer (&self->answers, g_ptr_array_unref);
  g_free (self->office_hours);
  g_free (self->what_to_bring);
  g_free (self->next_steps);
  g_free (self->url);

  G_OBJECT_CLASS (kiosk_receipt_parent_class)->finalize (object);
}

static void
kiosk_receipt_class_init (KioskReceiptClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = kiosk_receipt_finalize;
}

static void
kiosk_receipt_init (KioskReceipt *self)
{
}

KioskReceipt *
kiosk_receipt_new (void)
{
  return g_object_new (KIOSK_TYPE_RECEIPT, NULL);
}

#define STRING_SETTER(field) \
  void \
  kiosk_receipt_set_##field (KioskReceipt *self, \
                             const char   *value) \
  { \
    g_return_if_fail (KIOSK_IS_RECEIPT (self)); \
    g_free (self->field); \
    self->field = g_strdup (value); \
  }

STRING_SETTER (city)
STRING_SETTER (service_title)
STRING_SETTER (short_code)
STRING_SETTER (location)
STRING_SETTER (help_place)
STRING_SETTER (locale)
STRING_SETTER (office_hours)
STRING_SETTER (what_to_bring)
STRING_SETTER (next_steps)

#undef STRING_SETTER

void
kiosk_receipt_set_created (KioskReceipt *self,
                           gint64        unix_us)
{
  g_return_if_fail (KIOSK_IS_RECEIPT (self));
  self->created_us = unix_us;
}

void
kiosk_receipt_set_state (KioskReceipt      *self,
                         KioskReceiptState  state)
{
  g_return_if_fail (KIOSK_IS_RECEIPT (self));
  self->state = state;
}

/**
 * kiosk_receipt_set_qr:
 * @reference_only: the code holds only the reference; the slip says so
 */
void
kiosk_receipt_set_qr (KioskReceipt *self,
                      KioskQr      *qr,
                      gboolean      reference_only)
{
  g_return_if_fail (KIOSK_IS_RECEIPT (self));
  g_set_object (&self->qr, qr);
  self->reference_only = reference_only;
}

void
kiosk_receipt_set_demo (KioskReceipt *self,
                        gboolean      demo)
{
  g_return_if_fail (KIOSK_IS_RECEIPT (self));
  self->demo = demo;
}

/**
 * kiosk_receipt_add_answer:
 *
 * Prints an answer in clear text.  Only for services whose catalogue entry
 * says the receipt shows answers: a slip can be lost.
 */
void
kiosk_receipt_add_answer (KioskReceipt *self,
                          const char   *label,
                          const char   *value)
{
  g_return_if_fail (KIOSK_IS_RECEIPT (self));
  g_return_if_fail (label != NULL && value != NULL);

  if (self->answers == NULL)
    self->answers = g_ptr_array_new_with_free_func (g_free);
  g_ptr_array_add (self->answers, g_strdup (label));
  g_ptr_array_add (self->answers, g_strdup (value));
}

/**
 * kiosk_receipt_set_layout:
 *
 * What the slip is: the receipt of a stored request (default), the
 * filled-in form of a `print` service, or a `refer` service's slip
 * (see kiosk_receipt_new_refer()).  All are drawn by kiosk_receipt_draw().
 */
void
kiosk_receipt_set_layout (KioskReceipt       *self,
                          KioskReceiptLayout  layout)
{
  g_return_if_fail (KIOSK_IS_RECEIPT (self));
  self->layout = layout;
}

KioskReceiptLayout
kiosk_receipt_get_layout (KioskReceipt *self)
{
  g_return_val_if_fail (KIOSK_IS_RECEIPT (self), KIOSK_RECEIPT_LAYOUT_RECEIPT);
  return self->layout;
}

const char *
kiosk_receipt_get_url (KioskReceipt *self)
{
  g_return_val_if_fail (KIOSK_IS_RECEIPT (self), NULL);
  return self->url;
}

/**
 * kiosk_receipt_new_refer:
 * @title: the service's title in @locale
 * @url: the online service's address
 * @office_hours: (nullable): where and when the office is open
 * @locale: (nullable): the citizen's language, e.g. "de"
 *
 * The slip of a `refer` service: no request is stored, so it has no
 * reference number and no sealed code, only the web address in clear text
 * and as a QR code.  That code is read by a phone's camera, not typed by a
 * USB scanner, so it is a plain byte-mode code (kiosk_qr_new_text()).
 *
 * Returns: (transfer full): the slip, or %NULL with a #KioskReceiptError
 *   (no address) or #KioskQrError (address too long)
 */
KioskReceipt *
kiosk_receipt_new_refer (const char  *title,
                         const char  *url,
                         const char  *office_hours,
                         const char  *locale,
                         GError     **error)
{
  g_autoptr(KioskReceipt) self = NULL;
  g_autoptr(KioskQr) qr = NULL;

  if (!is_set (url))
    {
      g_set_error (error, KIOSK_RECEIPT_ERROR, KIOSK_RECEIPT_ERROR_INVALID,
                   "the service \"%s\" has no web address (refer_url) to print", title ? title : "");
      return NULL;
    }
  qr = kiosk_qr_new_text (url, error);
  if (qr == NULL)
    return NULL;

  self = kiosk_receipt_new ();
  self->layout = KIOSK_RECEIPT_LAYOUT_REFER;
  self->service_title = g_strdup (title);
  self->url = g_strdup (url);
  self->office_hours = g_strdup (office_hours);
  self->locale = g_strdup (locale);
  kiosk_receipt_set_qr (self, qr, FALSE);
  return g_steal_pointer (&self);
}

static JsonObject *
parse_answers (JsonParser    *parser,
               KioskService  *service,
               GBytes        *answers,
               GError       **error)
{
  g_autoptr(GError) local_error = NULL;
  JsonNode *root;

  if (!json_parser_load_from_data (parser, g_bytes_get_data (answers, NULL),
                                   (gssize) g_bytes_get_size (answers), &local_error) ||
      (root = json_parser_get_root (parser)) == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error (error, KIOSK_RECEIPT_ERROR, KIOSK_RECEIPT_ERROR_INVALID,
                   "the answers to service \"%s\" are not a JSON object: %s",
                   kiosk_service_get_id (service),
                   local_error != NULL ? local_error->message : "another JSON value");
      return NULL;
    }
  return json_node_get_object (root);
}

static void
add_answers (KioskReceipt *self,
             KioskService *service,
             JsonObject   *object,
             const char   *locale)
{
  GPtrArray *fields = kiosk_service_get_fields (service);

  for (guint i = 0; i < fields->len; i++)
    {
      KioskField *field = g_ptr_array_index (fields, i);
      const char *id = kiosk_field_get_id (field);
      g_autofree char *value = NULL;

      if (!kiosk_field_is_input (field) || !json_object_has_member (object, id))
        continue;
      value = kiosk_field_format_answer (field, json_object_get_member (object, id), locale);
      if (value != NULL)
        kiosk_receipt_add_answer (self, kiosk_field_get_label (field, locale), value);
    }
}

/**
 * kiosk_receipt_add_answers:
 * @service: the request's service
 * @answers: the canonical JSON of the visible answers (as stored)
 * @locale: the citizen's language for labels
 *
 * Adds every input field's label and formatted answer from @answers, in
 * the catalogue's order: the one place that turns stored answers into
 * receipt lines, for the kiosk's receipt and the CLI's reprint alike.
 *
 * Returns: %FALSE with an error naming the service if @answers is not a
 *   JSON object; the receipt is then unchanged
 */
gboolean
kiosk_receipt_add_answers (KioskReceipt  *self,
                           KioskService  *service,
                           GBytes        *answers,
                           const char    *locale,
                           GError       **error)
{
  g_autoptr(JsonParser) parser = NULL;
  JsonObject *object;

  g_return_val_if_fail (KIOSK_IS_RECEIPT (self), FALSE);
  g_return_val_if_fail (KIOSK_IS_SERVICE (service), FALSE);
  g_return_val_if_fail (answers != NULL, FALSE);

  parser = json_parser_new ();
  object = parse_answers (parser, service, answers, error);
  if (object == NULL)
    return FALSE;
  add_answers (self, service, object, locale);
  return TRUE;
}

/**
 * kiosk_receipt_use_form_layout:
 * @service: a `print` service
 * @answers: (nullable): the canonical JSON of the visible answers (as
 *   stored), or %NULL when the caller adds them with
 *   kiosk_receipt_add_answers()
 * @locale: the citizen's language for labels, help and office hours
 *
 * Makes this the filled-in form to take to the office: the service's
 * "what you need" text, its office hours and, from @answers, every input
 * field's label and formatted answer in the catalogue's order.
 *
 * Returns: %FALSE with an error naming the service if @answers is not a
 *   JSON object; the receipt is then unchanged
 */
gboolean
kiosk_receipt_use_form_layout (KioskReceipt  *self,
                               KioskService  *service,
                               GBytes        *answers,
                               const char    *locale,
                               GError       **error)
{
  g_autoptr(JsonParser) parser = NULL;
  JsonObject *object = NULL;

  g_return_val_if_fail (KIOSK_IS_RECEIPT (self), FALSE);
  g_return_val_if_fail (KIOSK_IS_SERVICE (service), FALSE);

  if (answers != NULL)
    {
      parser = json_parser_new ();
      object = parse_answers (parser, service, answers, error);
      if (object == NULL)
        return FALSE;
    }

  self->layout = KIOSK_RECEIPT_LAYOUT_FORM;
  g_free (self->what_to_bring);
  self->what_to_bring = g_strdup (kiosk_service_get_help (service, locale));
  g_free (self->office_hours);
  self->office_hours = g_strdup (kiosk_service_get_office_hours (service, locale));
  if (object != NULL)
    add_answers (self, service, object, locale);
  return TRUE;
}

const char *
kiosk_receipt_get_short_code (KioskReceipt *self)
{
  g_return_val_if_fail (KIOSK_IS_RECEIPT (self), NULL);
  return self->short_code;
}

KioskQr *
kiosk_receipt_get_qr (KioskReceipt *self)
{
  g_return_val_if_fail (KIOSK_IS_RECEIPT (self), NULL);
  return self->qr;
}

gboolean
kiosk_receipt_get_demo (KioskReceipt *self)
{
  g_return_val_if_fail (KIOSK_IS_RECEIPT (self), FALSE);
  return self->demo;
}

/**
 * kiosk_receipt_new_for_request:
 * @context: the kiosk
 * @request: a stored request
 * @service_title: the service's title in @locale
 * @locale: (nullable): the citizen's language, e.g. "de"; %NULL for the
 *   request's
 *
 * Makes the receipt for a stored request, QR payload included.  Fails with
 * a #KioskKeysError when the kiosk's keys are missing (never an unsigned or
 * unsealed code), or with a #KioskQrError if the code would be too large.
 */
KioskReceipt *
kiosk_receipt_new_for_request (KioskContext  *context,
                               KioskRequest  *request,
                               const char    *service_title,
                               const char    *locale,
                               GError       **error)
{
  g_autoptr(KioskReceipt) self = NULL;
  g_autoptr(GBytes) payload = NULL;
  g_autoptr(KioskQr) qr = NULL;
  g_autofree char *text = NULL;
  KioskPayloadFlags flags = 0;
  KioskRequestState state;
  KioskConfig *config;

  g_return_val_if_fail (KIOSK_IS_CONTEXT (context), NULL);
  g_return_val_if_fail (KIOSK_IS_REQUEST (request), NULL);

  config = kiosk_context_get_config (context);
  payload = kiosk_sealer_payload_for_request (config, request, error);
  if (payload == NULL || !kiosk_payload_peek (payload, &flags, error))
    return NULL;
  text = kiosk_payload_encode_qr_text (payload);
  qr = kiosk_qr_new_numeric (text, error);
  if (qr == NULL)
    return NULL;
  /* The status page finds the request when this slip is scanned (#16).  A
   * payload sealed afresh differs per print, so every print is remembered.
   * The slip matters more: without the row it is still printed, and its
   * code can still be typed. */
  {
    g_autofree char *digest = kiosk_payload_dup_digest (payload);
    g_autoptr(GError) local_error = NULL;

    if (!kiosk_outbox_add_receipt_digest (kiosk_context_get_outbox (context), kiosk_request_get_id (request),
                                          digest, &local_error))
      g_message ("a receipt of %s cannot be found by its QR code: %s",
                 kiosk_request_get_short_code (request), local_error->message);
  }

  self = kiosk_receipt_new ();
  self->service_title = g_strdup (service_title != NULL ? service_title : kiosk_request_get_service_id (request));
  self->short_code = g_strdup (kiosk_request_get_short_code (request));
  self->created_us = kiosk_request_get_created (request);
  self->location = g_strdup (kiosk_config_get_location (config));
  self->kiosk_id = g_strdup (kiosk_config_get_kiosk_id (config));
  state = kiosk_request_get_state (request);
  self->state = (state == KIOSK_REQUEST_DELIVERED || state == KIOSK_REQUEST_HANDLED || state == KIOSK_REQUEST_PURGED)
                ? KIOSK_RECEIPT_STATE_SENT : KIOSK_RECEIPT_STATE_SAVED;
  self->demo = (flags & KIOSK_PAYLOAD_FLAG_DEMO) != 0;
  kiosk_receipt_set_qr (self, qr, (flags & KIOSK_PAYLOAD_FLAG_REFERENCE_ONLY) != 0);
  self->locale = g_strdup (locale != NULL ? locale : kiosk_request_get_locale (request));

  return g_steal_pointer (&self);
}

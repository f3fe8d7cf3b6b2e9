/* kiosk-receipt.h
 *
 * SPDX-FileCopyrightText: 2026 Stadtkiosk contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <cairo.h>
#include <glib-object.h>

#include "kiosk-context.h"
#include "kiosk-qr.h"
#include "kiosk-request.h"
#include "kiosk-service.h"

G_BEGIN_DECLS

#define KIOSK_RECEIPT_ERROR (kiosk_receipt_error_quark ())

typedef enum
{
  KIOSK_RECEIPT_ERROR_RENDER,    /* cairo could not draw or write */
  KIOSK_RECEIPT_ERROR_INVALID,   /* e.g. an unsupported paper width */
} KioskReceiptError;

/* Printable width of thermal paper in dots at 203 dpi. */
#define KIOSK_RECEIPT_DOTS_58MM 384
#define KIOSK_RECEIPT_DOTS_80MM 576

typedef enum
{
  KIOSK_RECEIPT_STATE_SAVED,     /* stored, will be sent automatically */
  KIOSK_RECEIPT_STATE_SENT,      /* the city has it */
} KioskReceiptState;

typedef enum
{
  KIOSK_RECEIPT_QR_NATIVE,       /* GS ( k: the printer draws the code */
  KIOSK_RECEIPT_QR_RASTER,       /* we draw it and send a raster image */
} KioskReceiptQrMode;

typedef enum
{
  KIOSK_RECEIPT_LAYOUT_RECEIPT,  /* the receipt of a stored request */
  KIOSK_RECEIPT_LAYOUT_FORM,     /* a `print` service: the filled-in form for the office */
  KIOSK_RECEIPT_LAYOUT_REFER,    /* a `refer` service: web address, QR, office hours */
  KIOSK_RECEIPT_LAYOUT_INFO,     /* an info slip (app/core/info): title, lines, a note; nothing stored */
} KioskReceiptLayout;

#define KIOSK_TYPE_RECEIPT (kiosk_receipt_get_type ())

G_DECLARE_FINAL_TYPE (KioskReceipt, kiosk_receipt, KIOSK, RECEIPT, GObject)

GQuark             kiosk_receipt_error_quark      (void);

KioskReceipt      *kiosk_receipt_new              (void);
KioskReceipt      *kiosk_receipt_new_for_request  (KioskContext        *context,
                                                   KioskRequest        *request,
                                                   const char          *service_title,
                                                   const char          *locale,
                                                   GError             **error);
KioskReceipt      *kiosk_receipt_new_refer        (const char          *title,
                                                   const char          *url,
                                                   const char          *office_hours,
                                                   const char          *locale,
                                                   GError             **error);

void               kiosk_receipt_set_layout       (KioskReceipt        *self,
                                                   KioskReceiptLayout   layout);
gboolean           kiosk_receipt_use_form_layout  (KioskReceipt        *self,
                                                   KioskService        *service,
                                                   GBytes              *answers,
                                                   const char          *locale,
                                                   GError             **error);
void               kiosk_receipt_set_office_hours (KioskReceipt        *self,
                                                   const char          *office_hours);
void               kiosk_receipt_set_next_steps   (KioskReceipt        *self,
                                                   const char          *next_steps);
void               kiosk_receipt_set_what_to_bring (KioskReceipt       *self,
                                                   const char          *text);
void               kiosk_receipt_set_city         (KioskReceipt        *self,
                                                   const char          *city);
void               kiosk_receipt_set_service_title (KioskReceipt       *self,
                                                   const char          *title);
void               kiosk_receipt_set_short_code   (KioskReceipt        *self,
                                                   const char          *short_code);
void               kiosk_receipt_set_created      (KioskReceipt        *self,
                                                   gint64               unix_us);
void               kiosk_receipt_set_location     (KioskReceipt        *self,
                                                   const char          *location);
void               kiosk_receipt_set_state        (KioskReceipt        *self,
                                                   KioskReceiptState    state);
void               kiosk_receipt_set_locale       (KioskReceipt        *self,
                                                   const char          *locale);
void               kiosk_receipt_set_help_place   (KioskReceipt        *self,
                                                   const char          *place);
void               kiosk_receipt_set_qr           (KioskReceipt        *self,
                                                   KioskQr             *qr,
                                                   gboolean             reference_only);
void               kiosk_receipt_set_demo         (KioskReceipt        *self,
                                                   gboolean             demo);
gboolean           kiosk_receipt_add_answers      (KioskReceipt        *self,
                                                   KioskService        *service,
                                                   GBytes              *answers,
                                                   const char          *locale,
                                                   GError             **error);
void               kiosk_receipt_add_answer       (KioskReceipt        *self,
                                                   const char          *label,
                                                   const char          *value);

const char        *kiosk_receipt_get_short_code   (KioskReceipt        *self);
KioskQr           *kiosk_receipt_get_qr           (KioskReceipt        *self);
gboolean          kiosk_receipt_get_demo          (KioskReceipt        *self);
KioskReceiptLayout kiosk_receipt_get_layout       (KioskReceipt        *self);
const char        *kiosk_receipt_get_url          (KioskReceipt        *self);

double             kiosk_receipt_draw             (KioskReceipt        *self,
                                                   cairo_t             *cr,
                                                   int                  width_px);
cairo_surface_t   *kiosk_receipt_render_surface   (KioskReceipt        *self,
                                                   int                  width_px,
                                                   GError             **error);
gboolean           kiosk_receipt_render_png       (KioskReceipt        *self,
                                                   const char          *path,
                                                   int                  width_px,
                                                   GError             **error);
GBytes            *kiosk_receipt_render_pdf       (KioskReceipt        *self,
                                                   guint                paper_mm,
                                                   GError             **error);
GBytes            *kiosk_receipt_render_escpos    (KioskReceipt        *self,
                                                   guint                paper_mm,
                                                   KioskReceiptQrMode   qr_mode,
                                                   GError             **error);

G_END_DECLS

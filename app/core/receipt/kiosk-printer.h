/* kiosk-printer.h
 *
 * SPDX-FileCopyrightText: 2026 Stadtkiosk contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "kiosk-config.h"
#include "kiosk-receipt.h"

G_BEGIN_DECLS

#define KIOSK_PRINTER_ERROR (kiosk_printer_error_quark ())

typedef enum
{
  KIOSK_PRINTER_ERROR_INVALID,       /* the [printer] backend value is wrong */
  KIOSK_PRINTER_ERROR_UNAVAILABLE,   /* no such device, directory, queue or host */
  KIOSK_PRINTER_ERROR_OFFLINE,       /* the printer does not answer */
  KIOSK_PRINTER_ERROR_NO_PAPER,      /* the printer reports that its paper is out */
  KIOSK_PRINTER_ERROR_FAILED,        /* it took the job but failed, or writing failed */
} KioskPrinterError;

typedef enum
{
  KIOSK_PRINTER_NONE,
  KIOSK_PRINTER_PDF,
  KIOSK_PRINTER_CUPS,
  KIOSK_PRINTER_ESCPOS_DEVICE,
  KIOSK_PRINTER_ESCPOS_NETWORK,
} KioskPrinterKind;

#define KIOSK_TYPE_PRINTER (kiosk_printer_get_type ())

G_DECLARE_FINAL_TYPE (KioskPrinter, kiosk_printer, KIOSK, PRINTER, GObject)

GQuark            kiosk_printer_error_quark      (void);
KioskPrinter     *kiosk_printer_new              (const char           *spec,
                                                  guint                 paper_mm,
                                                  KioskReceiptQrMode    qr_mode,
                                                  GError              **error);
KioskPrinter     *kiosk_printer_new_from_config  (KioskConfig          *config,
                                                  GError              **error);
KioskPrinterKind  kiosk_printer_get_kind         (KioskPrinter         *self);
const char       *kiosk_printer_get_spec         (KioskPrinter         *self);
const char       *kiosk_printer_get_last_error   (KioskPrinter         *self);
void              kiosk_printer_set_timeout      (KioskPrinter         *self,
                                                  guint                 seconds);
void              kiosk_printer_print_async      (KioskPrinter         *self,
                                                  KioskReceipt         *receipt,
                                                  GCancellable         *cancellable,
                                                  GAsyncReadyCallback   callback,
                                                  gpointer              user_data);
char             *kiosk_printer_print_finish     (KioskPrinter         *self,
                                                  GAsyncResult         *result,
                                                  GError              **error);

G_END_DECLS

/* kiosk-session.h
 *
 * SPDX-FileCopyrightText: 2026 Stadtkiosk contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "kiosk-catalog.h"
#include "kiosk-context.h"
#include "kiosk-form.h"
#include "kiosk-printer.h"
#include "kiosk-request.h"
#include "kiosk-service.h"

G_BEGIN_DECLS

/**
 * KioskPrintStatus:
 * @KIOSK_PRINT_STATUS_NONE: nothing was printed in this session
 * @KIOSK_PRINT_STATUS_PRINTING: a slip is on its way
 * @KIOSK_PRINT_STATUS_PRINTED: the printer took it
 * @KIOSK_PRINT_STATUS_FAILED: the printer failed, or is misconfigured
 * @KIOSK_PRINT_STATUS_NO_PRINTER: this kiosk has no printer (`backend=none`)
 * @KIOSK_PRINT_STATUS_NO_RECEIPT: the request is stored, but its receipt
 *   could not be made (e.g. no keys to seal it)
 *
 * What became of the session's slip.  The GUI words it; whether it is a
 * receipt or a refer slip follows from the service's offline mode.
 */
typedef enum
{
  KIOSK_PRINT_STATUS_NONE,
  KIOSK_PRINT_STATUS_PRINTING,
  KIOSK_PRINT_STATUS_PRINTED,
  KIOSK_PRINT_STATUS_FAILED,
  KIOSK_PRINT_STATUS_NO_PRINTER,
  KIOSK_PRINT_STATUS_NO_RECEIPT,
} KioskPrintStatus;

#define KIOSK_SESSION_ERROR (kiosk_session_error_quark ())

typedef enum
{
  KIOSK_SESSION_ERROR_BUSY,         /* no form, being sent, or sent already */
  KIOSK_SESSION_ERROR_INVALID,      /* an answer is missing or wrong */
  KIOSK_SESSION_ERROR_NOT_STORED,   /* the outbox refused it; nothing was stored */
} KioskSessionError;

#define KIOSK_TYPE_PRINT_STATUS (kiosk_print_status_get_type ())
#define KIOSK_TYPE_SESSION (kiosk_session_get_type ())

GType kiosk_print_status_get_type (void) G_GNUC_CONST;

G_DECLARE_FINAL_TYPE (KioskSession, kiosk_session, KIOSK, SESSION, GObject)

GQuark            kiosk_session_error_quark          (void);
KioskSession     *kiosk_session_new                  (KioskContext  *context);
KioskContext     *kiosk_session_get_context          (KioskSession  *self);
const char       *kiosk_session_get_default_language (KioskSession  *self);
const char       *kiosk_session_get_language         (KioskSession  *self);
void              kiosk_session_set_language         (KioskSession  *self,
                                                      const char    *language);
gboolean          kiosk_session_get_assisted         (KioskSession  *self);
void              kiosk_session_set_assisted         (KioskSession  *self,
                                                      gboolean       assisted);
KioskCatalog     *kiosk_session_get_catalog          (KioskSession  *self);
void              kiosk_session_set_catalog          (KioskSession  *self,
                                                      KioskCatalog  *catalog);
KioskCatalog     *kiosk_session_peek_catalog         (KioskSession  *self);
void              kiosk_session_load_catalog_async   (KioskSession        *self,
                                                      GCancellable        *cancellable,
                                                      GAsyncReadyCallback  callback,
                                                      gpointer             user_data);
KioskCatalog     *kiosk_session_load_catalog_finish  (KioskSession  *self,
                                                      GAsyncResult  *result,
                                                      GError       **error);
KioskService     *kiosk_session_get_service          (KioskSession  *self);
gboolean          kiosk_session_open_service         (KioskSession  *self,
                                                      const char    *service_id);
gboolean          kiosk_session_begin_form           (KioskSession  *self);
KioskForm        *kiosk_session_get_form             (KioskSession  *self);
guint             kiosk_session_get_step             (KioskSession  *self);
void              kiosk_session_set_step             (KioskSession  *self,
                                                      guint          step);
gboolean          kiosk_session_step_is_visible      (KioskSession  *self,
                                                      guint          step);
guint             kiosk_session_get_next_step        (KioskSession  *self,
                                                      guint          from);
gboolean          kiosk_session_get_previous_step    (KioskSession  *self,
                                                      guint          from,
                                                      guint         *out_step);
gboolean          kiosk_session_get_sending          (KioskSession  *self);
gboolean          kiosk_session_get_sent             (KioskSession  *self);
gboolean          kiosk_session_submit               (KioskSession  *self,
                                                      GError       **error);
KioskRequest     *kiosk_session_get_request          (KioskSession  *self);
const char       *kiosk_session_get_qr_text          (KioskSession  *self);
void              kiosk_session_print_receipt        (KioskSession  *self);
void              kiosk_session_print_refer          (KioskSession  *self);
KioskPrintStatus  kiosk_session_get_print_status     (KioskSession  *self);
void              kiosk_session_reset                (KioskSession  *self);

G_END_DECLS

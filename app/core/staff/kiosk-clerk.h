/* kiosk-clerk.h
 *
 * SPDX-FileCopyrightText: 2026 Stadtkiosk contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

#include "kiosk-context.h"

G_BEGIN_DECLS

#define KIOSK_CLERK_ERROR (kiosk_clerk_error_quark ())

typedef enum
{
  KIOSK_CLERK_ERROR_NEEDS_REASON,   /* cancelling needs a reason */
  KIOSK_CLERK_ERROR_NOT_ALLOWED,    /* not in a state where this action applies */
} KioskClerkError;

/**
 * KioskClerkAction:
 *
 * What a clerk can do with one request, on the kiosk or at the counter.
 */
typedef enum
{
  KIOSK_CLERK_RETRY_NOW,   /* a queued request becomes due now */
  KIOSK_CLERK_REQUEUE,     /* a rejected request goes back in the queue */
  KIOSK_CLERK_CANCEL,      /* queued or rejected → cancelled, with a reason */
  KIOSK_CLERK_HANDLED,     /* done at the counter */
} KioskClerkAction;

GQuark        kiosk_clerk_error_quark   (void);
const char   *kiosk_clerk_action_to_string (KioskClerkAction  action);
gboolean      kiosk_clerk_can           (KioskRequest      *request,
                                         KioskClerkAction   action);
KioskRequest *kiosk_clerk_act           (KioskContext      *context,
                                         KioskRole          role,
                                         const char        *id_or_code,
                                         KioskClerkAction   action,
                                         const char        *reason,
                                         GError           **error);
char         *kiosk_clerk_describe_problem (KioskRequest   *request,
                                            gint64          now_us);
char         *kiosk_clerk_describe_connection_error (const GError *error);
char         *kiosk_clerk_describe_delivery_trouble (const char   *technical);
char         *kiosk_clerk_format_age   (gint64             age_us);
char         *kiosk_clerk_format_ago   (gint64             age_us);
char         *kiosk_clerk_format_in    (gint64             delay_us);

G_END_DECLS

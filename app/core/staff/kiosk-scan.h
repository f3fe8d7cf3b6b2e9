/* kiosk-scan.h
 *
 * SPDX-FileCopyrightText: 2026 Stadtkiosk contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

#include "kiosk-context.h"
#include "kiosk-keys.h"
#include "kiosk-payload.h"

G_BEGIN_DECLS

/**
 * KioskScan:
 * @short_code: the request's short code, if known
 * @request: (nullable): the request in this outbox
 * @payload: (nullable): the receipt's payload, opened and verified
 * @sealed: (nullable): the scanned payload bytes
 * @sealed_only: a genuine receipt layout, but this machine has no city key
 *   to open and verify it: type the short code instead
 *
 * What a scanned (or typed) receipt turned out to be.
 */
typedef struct
{
  char         *short_code;
  KioskRequest *request;
  KioskPayload *payload;
  GBytes       *sealed;
  gboolean      sealed_only;
} KioskScan;

KioskScan *kiosk_scan_lookup (KioskContext  *context,
                              KioskKeys     *keys,
                              const char    *text,
                              GError       **error);
void       kiosk_scan_free   (KioskScan     *scan);
KioskRequest *kiosk_scan_enqueue (KioskContext *context,
                                  KioskScan    *scan,
                                  const char   *actor,
                                  GError      **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (KioskScan, kiosk_scan_free)

G_END_DECLS

G_BEGIN_DECLS

/**
 * KioskBackendKnows:
 * @KIOSK_BACKEND_HAS_IT: the backend has the request (a reference may be known)
 * @KIOSK_BACKEND_LACKS_IT: the backend answered 404: deliver it from here
 */
typedef enum
{
  KIOSK_BACKEND_HAS_IT,
  KIOSK_BACKEND_LACKS_IT,
} KioskBackendKnows;

void     kiosk_scan_ask_backend_async  (KioskContext         *context,
                                        const char           *request_id,
                                        GCancellable         *cancellable,
                                        GAsyncReadyCallback   callback,
                                        gpointer              user_data);
gboolean kiosk_scan_ask_backend_finish (GAsyncResult         *result,
                                        KioskBackendKnows    *out_knows,
                                        char                **out_status,
                                        GError              **error);

G_END_DECLS

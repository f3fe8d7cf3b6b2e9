/* kiosk-http.h: one bounded HTTP exchange, for every target
 *
 * SPDX-FileCopyrightText: 2026 Stadtkiosk contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <libsoup/soup.h>

G_BEGIN_DECLS

#define KIOSK_HTTP_ERROR (kiosk_http_error_quark ())

typedef enum
{
  KIOSK_HTTP_ERROR_TOO_LARGE,   /* the answer is larger than the caller allows */
} KioskHttpError;

/* The most an answer of the city's system may be (docs/limits.md). */
#define KIOSK_HTTP_MAX_BODY          (1024 * 1024)
/* A catalogue: 1.4 MB for 500 services; eight times that is generous. */
#define KIOSK_HTTP_MAX_CATALOG       (8 * 1024 * 1024)

/* The words every report of a deadline uses ("alerts" looks for them). */
#define KIOSK_HTTP_TOO_SLOW          "the city's system answers too slowly"

GQuark  kiosk_http_error_quark (void);

void    kiosk_http_send_async  (SoupSession         *session,
                                SoupMessage         *message,
                                guint                deadline_s,
                                gsize                max_body,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data);
GBytes *kiosk_http_send_finish (GAsyncResult        *result,
                                GError             **error);

/* TLS options shared by every exchange ([backend], [info] ca-file and
 * pin-sha256). */
char    *kiosk_http_certificate_sha256 (GTlsCertificate *certificate);
gboolean kiosk_http_pin_matches        (GTlsCertificate *certificate,
                                        const char      *pin_sha256);

/* An exchange that also checks the peer's certificate against a pin at the
 * TLS handshake, before the request (and its credentials) is sent, and
 * again on a reused connection.  The CouchDB target's; added by #13. */
void     kiosk_http_send_pinned_async  (SoupSession         *session,
                                        SoupMessage         *message,
                                        guint                deadline_s,
                                        gsize                max_body,
                                        const char          *pin_sha256,
                                        const char          *pin_setting,
                                        GCancellable        *cancellable,
                                        GAsyncReadyCallback  callback,
                                        gpointer             user_data);
GBytes  *kiosk_http_send_pinned_finish (GAsyncResult        *result,
                                        GError             **error);

G_END_DECLS

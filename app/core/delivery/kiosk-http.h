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
  KIOSK_HTTP_ERROR_TOO_LARGE,     /* the answer is larger than the caller allows */
  KIOSK_HTTP_ERROR_PIN_MISMATCH,  /* the peer's certificate is not the pinned one */
} KioskHttpError;

/* The most an answer of the city's system may be (docs/limits.md). */
#define KIOSK_HTTP_MAX_BODY          (1024 * 1024)
/* A catalogue: 1.4 MB for 500 services; eight times that is generous. */
#define KIOSK_HTTP_MAX_CATALOG       (8 * 1024 * 1024)

/* The words every report of a deadline uses ("alerts" looks for them). */
#define KIOSK_HTTP_TOO_SLOW          "the city's system answers too slowly"
/* The message of KIOSK_HTTP_ERROR_PIN_MISMATCH; callers name their key. */
#define KIOSK_HTTP_PIN_MISMATCH      "the server certificate does not match the pinned one"

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
void    kiosk_http_send_pinned_async (SoupSession         *session,
                                      SoupMessage         *message,
                                      const char          *pin_sha256,
                                      guint                deadline_s,
                                      gsize                max_body,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data);

SoupSession *kiosk_http_session_new (guint         timeout_s,
                                     guint         max_connections,
                                     const char   *ca_file,
                                     const char   *ca_file_key,
                                     GError      **error);

/* TLS options shared by every exchange ([backend], [info] ca-file and
 * pin-sha256). */
char    *kiosk_http_certificate_sha256 (GTlsCertificate *certificate);
gboolean kiosk_http_pin_matches        (GTlsCertificate *certificate,
                                        const char      *pin_sha256);

G_END_DECLS

/* kiosk-http.c
 *
 * SPDX-FileCopyrightText: 2026 Stadtkiosk contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "kiosk-http"

#include "config.h"

#include "kiosk-http.h"

/* soup_session_send_and_read_async() with the two limits a peer cannot
 * talk its way around:
 *
 * - a deadline for the whole exchange.  SoupSession:timeout is only an
 *   inactivity timeout: a server that sends one byte a second never trips
 *   it, and held `sync --once` (and `alerts`) for ever.  The deadline is a
 *   timer in the thread-default main context that cancels the exchange; the
 *   error is G_IO_ERROR_TIMED_OUT saying KIOSK_HTTP_TOO_SLOW.  It runs on
 *   real (monotonic) time, not on KioskClock: it bounds how long the
 *   network takes, and a test that moves a fake clock by hours while a
 *   request is in flight must not time that request out.
 * - a cap on the body: a Content-Length over the cap is refused before
 *   reading, and reading stops one chunk past it whatever the header said
 *   (400 MB answers took the process to 1.9 GB).
 *
 * The caller's cancellable cancels as before; it is reported as
 * G_IO_ERROR_CANCELLED, never as a deadline.
 */

#define CHUNK 16384

G_DEFINE_QUARK (kiosk-http-error-quark, kiosk_http_error)

typedef struct
{
  SoupMessage  *message;
  GCancellable *cancellable;   /* ours: the deadline and the caller cancel it */
  GCancellable *outer;         /* the caller's */
  gulong        outer_handler;
  GSource      *timer;
  guint         deadline_s;
  gboolean      timed_out;
  gsize         max_body;
  GInputStream *stream;
  GByteArray   *body;
  char         *pin_sha256;    /* lower-case hex; NULL for no pin */
  gboolean      pin_mismatch;
} Send;

static void
send_free (Send *send)
{
  if (send->timer != NULL)
    {
      g_source_destroy (send->timer);
      g_source_unref (send->timer);
    }
  if (send->outer != NULL)
    {
      g_cancellable_disconnect (send->outer, send->outer_handler);
      g_object_unref (send->outer);
    }
  g_clear_object (&send->stream);
  if (send->message != NULL)
    g_signal_handlers_disconnect_by_data (send->message, send);
  g_clear_object (&send->message);
  g_free (send->pin_sha256);
  g_clear_object (&send->cancellable);
  g_clear_pointer (&send->body, g_byte_array_unref);
  g_free (send);
}

static gboolean
deadline_cb (gpointer user_data)
{
  Send *send = user_data;

  send->timed_out = TRUE;
  g_cancellable_cancel (send->cancellable);
  return G_SOURCE_REMOVE;
}

static void
outer_cancelled_cb (GCancellable *outer,
                    gpointer      user_data)
{
  g_cancellable_cancel (G_CANCELLABLE (user_data));
}

/* Returns @error on @task, in the words of the limit that caused it. */
static void
return_error (GTask  *task,
              GError *error)
{
  Send *send = g_task_get_task_data (task);

  if (send->pin_mismatch)
    {
      g_task_return_new_error (task, KIOSK_HTTP_ERROR, KIOSK_HTTP_ERROR_PIN_MISMATCH,
                               KIOSK_HTTP_PIN_MISMATCH);
      g_error_free (error);
      return;
    }
  if (send->timed_out && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_TIMED_OUT,
                               KIOSK_HTTP_TOO_SLOW " (no complete answer within %u s)", send->deadline_s);
      g_error_free (error);
      return;
    }
  g_task_return_error (task, error);
}

static void read_next (GTask *task);

static void
read_done_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Send *send = g_task_get_task_data (task);
  g_autoptr(GBytes) chunk = NULL;
  GError *error = NULL;

  chunk = g_input_stream_read_bytes_finish (G_INPUT_STREAM (object), result, &error);
  if (chunk == NULL)
    {
      return_error (task, error);
      return;
    }
  if (g_bytes_get_size (chunk) == 0)
    {
      GByteArray *body = g_steal_pointer (&send->body);

      g_task_return_pointer (task, g_byte_array_free_to_bytes (body), (GDestroyNotify) g_bytes_unref);
      return;
    }
  if (send->body->len + g_bytes_get_size (chunk) > send->max_body)
    {
      g_cancellable_cancel (send->cancellable);
      g_task_return_new_error (task, KIOSK_HTTP_ERROR, KIOSK_HTTP_ERROR_TOO_LARGE,
                               "the answer is larger than the %" G_GSIZE_FORMAT " bytes allowed", send->max_body);
      return;
    }
  g_byte_array_append (send->body, g_bytes_get_data (chunk, NULL), g_bytes_get_size (chunk));
  read_next (g_steal_pointer (&task));
}

static void
read_next (GTask *task)
{
  Send *send = g_task_get_task_data (task);

  g_input_stream_read_bytes_async (send->stream, CHUNK, G_PRIORITY_DEFAULT, send->cancellable,
                                   read_done_cb, task);
}

static void
sent_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Send *send = g_task_get_task_data (task);
  GError *error = NULL;
  goffset length;

  send->stream = soup_session_send_finish (SOUP_SESSION (object), result, &error);
  if (send->stream == NULL)
    {
      return_error (task, error);
      return;
    }
  /* A connection kept alive from an earlier exchange had its pin checked
   * at its handshake; check again so that nothing slips past on a path the
   * handshake check did not see.  The body is not read. */
  if (send->pin_sha256 != NULL && soup_message_get_tls_peer_certificate (send->message) != NULL
      && !kiosk_http_pin_matches (soup_message_get_tls_peer_certificate (send->message), send->pin_sha256))
    {
      send->pin_mismatch = TRUE;
      g_cancellable_cancel (send->cancellable);
      return_error (task, g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED, "pin"));
      return;
    }
  length = soup_message_headers_get_content_length (soup_message_get_response_headers (send->message));
  if (length > 0 && (guint64) length > send->max_body)
    {
      g_cancellable_cancel (send->cancellable);
      g_task_return_new_error (task, KIOSK_HTTP_ERROR, KIOSK_HTTP_ERROR_TOO_LARGE,
                               "the answer would be %" G_GUINT64_FORMAT " bytes, more than the %"
                               G_GSIZE_FORMAT " allowed", (guint64) length, send->max_body);
      return;
    }
  send->body = g_byte_array_new ();
  read_next (g_steal_pointer (&task));
}

static void
network_event_cb (SoupMessage        *message,
                  GSocketClientEvent  event,
                  GIOStream          *connection,
                  gpointer            user_data)
{
  Send *send = user_data;

  if (event != G_SOCKET_CLIENT_TLS_HANDSHAKED || !G_IS_TLS_CONNECTION (connection))
    return;
  /* The handshake of a new connection is done and nothing has been sent on
   * it yet: a certificate other than the pinned one stops the exchange
   * here, before the request (and any key or password in it) leaves. */
  if (!kiosk_http_pin_matches (g_tls_connection_get_peer_certificate (G_TLS_CONNECTION (connection)),
                               send->pin_sha256))
    {
      send->pin_mismatch = TRUE;
      g_cancellable_cancel (send->cancellable);
    }
}

static void
send_start (SoupSession         *session,
            SoupMessage         *message,
            const char          *pin_sha256,
            guint                deadline_s,
            gsize                max_body,
            GCancellable        *cancellable,
            GAsyncReadyCallback  callback,
            gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  Send *send;

  task = g_task_new (session, cancellable, callback, user_data);
  /* One finish for both ways in. */
  g_task_set_source_tag (task, kiosk_http_send_async);
  send = g_new0 (Send, 1);
  send->message = g_object_ref (message);
  send->cancellable = g_cancellable_new ();
  send->deadline_s = deadline_s;
  send->max_body = max_body;
  g_task_set_task_data (task, send, (GDestroyNotify) send_free);
  /* The task's own cancellation check is off: a cancelled caller is
   * reported by the exchange itself, in order, after libsoup let go. */
  g_task_set_check_cancellable (task, FALSE);

  if (cancellable != NULL)
    {
      send->outer = g_object_ref (cancellable);
      send->outer_handler = g_cancellable_connect (cancellable, G_CALLBACK (outer_cancelled_cb),
                                                   g_object_ref (send->cancellable), g_object_unref);
    }
  if (deadline_s > 0)
    {
      /* Not g_timeout_source_new_seconds (): it may fire up to a second early. */
      send->timer = g_timeout_source_new (deadline_s * 1000);
      g_source_set_callback (send->timer, deadline_cb, send, NULL);
      g_source_set_static_name (send->timer, "[kiosk] HTTP deadline");
      g_source_attach (send->timer, g_main_context_get_thread_default ());
    }
  if (pin_sha256 != NULL && *pin_sha256 != '\0')
    {
      send->pin_sha256 = g_ascii_strdown (pin_sha256, -1);
      g_signal_connect (message, "network-event", G_CALLBACK (network_event_cb), send);
    }

  soup_session_send_async (session, message, G_PRIORITY_DEFAULT, send->cancellable,
                           sent_cb, g_steal_pointer (&task));
}

/**
 * kiosk_http_send_async:
 * @session: the session to send on
 * @message: the request; its status and headers are there when this ends
 * @deadline_s: the most the whole exchange may take, connecting, sending
 *   and reading the whole answer; 0 for none
 * @max_body: the most bytes the answer's body may have
 * @cancellable: (nullable): the caller's
 *
 * Sends @message and reads its whole answer, within @deadline_s and
 * @max_body.  The task's source object is @session.
 */
void
kiosk_http_send_async (SoupSession         *session,
                       SoupMessage         *message,
                       guint                deadline_s,
                       gsize                max_body,
                       GCancellable        *cancellable,
                       GAsyncReadyCallback  callback,
                       gpointer             user_data)
{
  g_return_if_fail (SOUP_IS_SESSION (session));
  g_return_if_fail (SOUP_IS_MESSAGE (message));

  send_start (session, message, NULL, deadline_s, max_body, cancellable, callback, user_data);
}

/**
 * kiosk_http_send_pinned_async:
 * @session: the session to send on
 * @message: the request
 * @pin_sha256: (nullable): the SHA-256 of the peer certificate's DER
 *   encoding, in hex, as `pin-sha256` is written; %NULL or "" for none
 * @deadline_s: as for kiosk_http_send_async()
 * @max_body: as for kiosk_http_send_async()
 * @cancellable: (nullable): the caller's
 *
 * Like kiosk_http_send_async(), and checks the peer's certificate against
 * @pin_sha256: at the TLS handshake of a new connection, before anything is
 * sent on it, and again on the answer (a connection kept alive).  A
 * mismatch ends the exchange with %KIOSK_HTTP_ERROR_PIN_MISMATCH; plain
 * http:// has no certificate and is not refused here (the caller decides).
 * Finish with kiosk_http_send_finish().
 */
void
kiosk_http_send_pinned_async (SoupSession         *session,
                              SoupMessage         *message,
                              const char          *pin_sha256,
                              guint                deadline_s,
                              gsize                max_body,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_return_if_fail (SOUP_IS_SESSION (session));
  g_return_if_fail (SOUP_IS_MESSAGE (message));

  send_start (session, message, pin_sha256, deadline_s, max_body, cancellable, callback, user_data);
}

/**
 * kiosk_http_send_finish:
 *
 * Returns: (transfer full): the whole body, or %NULL with @error set:
 *   %G_IO_ERROR_TIMED_OUT (the deadline, or the session's inactivity
 *   timeout), %KIOSK_HTTP_ERROR_TOO_LARGE, %KIOSK_HTTP_ERROR_PIN_MISMATCH
 *   (pinned sends only), %G_IO_ERROR_CANCELLED, or what libsoup and the
 *   network said
 */
GBytes *
kiosk_http_send_finish (GAsyncResult  *result,
                        GError       **error)
{
  g_return_val_if_fail (G_IS_TASK (result), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == kiosk_http_send_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * kiosk_http_certificate_sha256:
 * @certificate: a peer's certificate
 *
 * Returns: (transfer full) (nullable): the SHA-256 of its DER encoding, in
 *   lower-case hex, as `pin-sha256` is written
 */
char *
kiosk_http_certificate_sha256 (GTlsCertificate *certificate)
{
  g_autoptr(GByteArray) der = NULL;

  g_return_val_if_fail (G_IS_TLS_CERTIFICATE (certificate), NULL);

  g_object_get (certificate, "certificate", &der, NULL);
  if (der == NULL)
    return NULL;
  return g_compute_checksum_for_data (G_CHECKSUM_SHA256, der->data, der->len);
}

/**
 * kiosk_http_pin_matches:
 * @certificate: (nullable): the peer's certificate
 * @pin_sha256: (nullable): the configured pin; %NULL or "" for none
 *
 * Returns: %TRUE when no pin is configured or @certificate is the pinned
 *   one; %FALSE for any other certificate, or none
 */
gboolean
kiosk_http_pin_matches (GTlsCertificate *certificate,
                        const char      *pin_sha256)
{
  g_autofree char *digest = NULL;

  if (pin_sha256 == NULL || *pin_sha256 == '\0')
    return TRUE;
  if (certificate != NULL)
    digest = kiosk_http_certificate_sha256 (certificate);
  return digest != NULL && g_ascii_strcasecmp (digest, pin_sha256) == 0;
}

/**
 * kiosk_http_session_new:
 * @timeout_s: libsoup's inactivity timeout; 0 for none.  It does not bound
 *   a whole exchange: kiosk_http_send_async()'s deadline does.
 * @max_connections: exchanges the caller runs at once; 0 for libsoup's
 *   defaults.  The session keeps two connections more (one more per host),
 *   so that a probe or a status poll never waits behind a delivery.
 * @ca_file: (nullable): a PEM file of the only CAs to trust; %NULL or ""
 *   for the system's
 * @ca_file_key: (nullable): how the configuration names @ca_file, for the
 *   message, e.g. "[open311] ca-file"
 * @error: a readable message naming the file and @ca_file_key
 *
 * The one way the kiosk makes a libsoup session: its user agent, timeout,
 * connection limits and trusted CAs.
 *
 * Returns: (transfer full): the session, or %NULL with @error set when
 *   @ca_file cannot be read
 */
SoupSession *
kiosk_http_session_new (guint         timeout_s,
                        guint         max_connections,
                        const char   *ca_file,
                        const char   *ca_file_key,
                        GError      **error)
{
  g_autoptr(GTlsDatabase) database = NULL;
  g_autoptr(GError) local_error = NULL;
  SoupSession *session;

  if (ca_file != NULL && *ca_file != '\0')
    {
      database = g_tls_file_database_new (ca_file, &local_error);
      if (database == NULL)
        {
          g_set_error (error, local_error->domain, local_error->code, "CA file %s (%s): %s", ca_file,
                       ca_file_key != NULL ? ca_file_key : "ca-file", local_error->message);
          return NULL;
        }
    }

  /* The connection limits are construct-only. */
  if (max_connections > 0)
    session = soup_session_new_with_options ("timeout", timeout_s,
                                             "user-agent", "Stadtkiosk/" PACKAGE_VERSION,
                                             "max-conns", max_connections + 2,
                                             "max-conns-per-host", max_connections + 1,
                                             NULL);
  else
    session = soup_session_new_with_options ("timeout", timeout_s,
                                             "user-agent", "Stadtkiosk/" PACKAGE_VERSION,
                                             NULL);
  if (database != NULL)
    soup_session_set_tls_database (session, database);
  return session;
}

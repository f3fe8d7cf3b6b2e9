/* test-http.c: kiosk-http.c, the one bounded HTTP exchange
 *
 * SPDX-FileCopyrightText: 2026 Stadtkiosk contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "kiosk-http.h"
#include "kiosk-test-server.h"
#include "kiosk-test-util.h"

#include <libsoup/soup.h>

/* A TLS server on 127.0.0.1 with the fixture certificate (127.0.0.1 and
 * localhost), in its own thread (kiosk-test-server). */
typedef struct
{
  KioskTestServer *server;
  GTlsCertificate *certificate;
  char            *cert_path;
  char            *url;          /* https://127.0.0.1:PORT/doc */
  guint            n_requests;   /* atomic: counted in the server's thread */
} Server;

static void
server_cb (SoupServer        *server,
           SoupServerMessage *msg,
           const char        *path,
           GHashTable        *query,
           gpointer           user_data)
{
  Server *s = user_data;

  g_atomic_int_inc (&s->n_requests);
  soup_server_message_set_status (msg, 200, NULL);
  soup_server_message_set_response (msg, "text/plain", SOUP_MEMORY_STATIC, "hello", 5);
}

static Server *
server_new (void)
{
  Server *s = g_new0 (Server, 1);
  g_autofree char *key_path = g_test_build_filename (G_TEST_DIST, "fixtures", "sync", "server-key.pem", NULL);
  g_autoptr(GError) error = NULL;

  s->cert_path = g_test_build_filename (G_TEST_DIST, "fixtures", "sync", "server.pem", NULL);
  s->certificate = g_tls_certificate_new_from_files (s->cert_path, key_path, &error);
  g_assert_no_error (error);
  s->server = kiosk_test_server_start ("test-http", 0, s->certificate, server_cb, s, &error);
  g_assert_no_error (error);
  s->url = g_strconcat (kiosk_test_server_get_url (s->server), "/doc", NULL);
  return s;
}

static void
server_free (Server *s)
{
  kiosk_test_server_stop (s->server);
  g_object_unref (s->certificate);
  g_free (s->cert_path);
  g_free (s->url);
  g_free (s);
}

static char *
pin_of (GTlsCertificate *certificate)
{
  char *pin = kiosk_http_certificate_sha256 (certificate);

  g_assert_nonnull (pin);
  return pin;
}

static void
sent_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  GTask *outer = user_data;
  GError *error = NULL;
  GBytes *body = kiosk_http_send_finish (result, &error);

  if (body != NULL)
    g_task_return_pointer (outer, body, (GDestroyNotify) g_bytes_unref);
  else
    g_task_return_error (outer, error);
  g_object_unref (outer);
}

static void
done_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

/* One GET of @url on @session, pinned when @pin is not NULL ("" pins nothing). */
static GBytes *
get (SoupSession  *session,
     const char   *url,
     const char   *pin,
     GError      **error)
{
  g_autoptr(SoupMessage) message = soup_message_new (SOUP_METHOD_GET, url);
  g_autoptr(GAsyncResult) result = NULL;
  GTask *outer = g_task_new (NULL, NULL, done_cb, &result);

  if (pin != NULL)
    kiosk_http_send_pinned_async (session, message, pin, 10, 1024, NULL, sent_cb, outer);
  else
    kiosk_http_send_async (session, message, 10, 1024, NULL, sent_cb, outer);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* The pin: the right one (in upper case, as an admin may paste it) fetches;
 * a wrong one stops a new connection after its handshake, before anything
 * reaches the server, and a connection kept alive from an unpinned exchange
 * is refused when its answer comes.  Negative control: the same server and
 * session without the pin answer, so the refusal is the pin's. */
static void
test_pin (void)
{
  Server *s = server_new ();
  g_autofree char *pin = pin_of (s->certificate);
  g_autofree char *upper = g_ascii_strup (pin, -1);
  g_autofree char *wrong = g_strdup_printf ("%064d", 0);
  g_autoptr(SoupSession) session = NULL;
  g_autoptr(SoupSession) fresh = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = NULL;

  session = kiosk_http_session_new (10, 0, s->cert_path, "[test] ca-file", &error);
  g_assert_no_error (error);

  body = get (session, s->url, upper, &error);
  g_assert_no_error (error);
  g_assert_cmpmem (g_bytes_get_data (body, NULL), g_bytes_get_size (body), "hello", 5);
  g_assert_cmpuint (g_atomic_int_get (&s->n_requests), ==, 1);
  g_clear_pointer (&body, g_bytes_unref);

  /* A new connection with a wrong pin: nothing reaches the server. */
  fresh = kiosk_http_session_new (10, 0, s->cert_path, "[test] ca-file", &error);
  g_assert_no_error (error);
  body = get (fresh, s->url, wrong, &error);
  g_assert_error (error, KIOSK_HTTP_ERROR, KIOSK_HTTP_ERROR_PIN_MISMATCH);
  g_assert_null (body);
  g_assert_cmpuint (g_atomic_int_get (&s->n_requests), ==, 1);
  g_clear_error (&error);

  /* The negative control: unpinned, the same session fetches. */
  body = get (fresh, s->url, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (body);
  g_assert_cmpuint (g_atomic_int_get (&s->n_requests), ==, 2);
  g_clear_pointer (&body, g_bytes_unref);

  /* That connection is kept alive; a pinned exchange on it has no new
   * handshake, and the check on the answer refuses it. */
  body = get (fresh, s->url, wrong, &error);
  g_assert_error (error, KIOSK_HTTP_ERROR, KIOSK_HTTP_ERROR_PIN_MISMATCH);
  g_assert_null (body);
  g_clear_error (&error);

  /* "" pins nothing. */
  body = get (fresh, s->url, "", &error);
  g_assert_no_error (error);
  g_assert_nonnull (body);

  g_clear_object (&session);
  g_clear_object (&fresh);
  server_free (s);
}

/* The session factory: the CA file is the only trust (negative control:
 * without it the self-signed server is refused), an unreadable one is
 * named with the key that configured it. */
static void
test_session_ca_file (void)
{
  Server *s = server_new ();
  g_autoptr(SoupSession) session = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = NULL;

  session = kiosk_http_session_new (10, 0, "/nonexistent/ca.pem", "[test] ca-file", &error);
  g_assert_null (session);
  g_assert_nonnull (error);
  g_assert_true (g_str_has_prefix (error->message, "CA file /nonexistent/ca.pem ([test] ca-file): "));
  g_clear_error (&error);

  session = kiosk_http_session_new (10, 0, NULL, NULL, &error);
  g_assert_no_error (error);
  body = get (session, s->url, NULL, &error);
  g_assert_nonnull (error);
  g_assert_true (error->domain == G_TLS_ERROR);
  g_assert_null (body);
  g_assert_cmpuint (g_atomic_int_get (&s->n_requests), ==, 0);
  g_clear_error (&error);
  g_clear_object (&session);

  session = kiosk_http_session_new (10, 3, s->cert_path, "[test] ca-file", &error);
  g_assert_no_error (error);
  {
    int max_conns = 0;
    int per_host = 0;
    g_autofree char *agent = NULL;

    g_object_get (session, "max-conns", &max_conns, "max-conns-per-host", &per_host, "user-agent", &agent, NULL);
    g_assert_cmpint (max_conns, ==, 5);
    g_assert_cmpint (per_host, ==, 4);
    g_assert_cmpstr (agent, ==, "Stadtkiosk/" PACKAGE_VERSION);
  }
  body = get (session, s->url, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (body);
  g_assert_cmpuint (g_atomic_int_get (&s->n_requests), ==, 1);

  g_clear_object (&session);
  server_free (s);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  /* HTTPS: see kiosk_test_running_under_lsan(). */
  if (!kiosk_test_running_under_lsan ())
    {
      g_test_add_func ("/kiosk/http/pin", test_pin);
      g_test_add_func ("/kiosk/http/session-ca-file", test_session_ca_file);
    }

  return g_test_run ();
}

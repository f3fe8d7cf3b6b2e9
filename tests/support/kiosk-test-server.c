/* kiosk-test-server.c
 *
 * SPDX-FileCopyrightText: 2026 Stadtkiosk contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "kiosk-test-server.h"

#include <glib-unix.h>

/* What every fake server of the tests shares (the backend, Open311, the
 * portal): a SoupServer on 127.0.0.1 with its own main context in its own
 * thread, so that a test may block its main thread (a synchronous CLI, a
 * kill) while the server answers; a start that waits until the port is
 * bound and says why not; a stop that lets pending sources (a delayed
 * answer) finish or drop.  The fakes keep their own state and lock. */

struct _KioskTestServer
{
  GMutex              mutex;
  GCond               cond;
  gboolean            ready;
  GError             *start_error;
  char               *name;
  guint               requested_port;
  GTlsCertificate    *tls_certificate;   /* nullable: HTTPS with it */
  SoupServerCallback  callback;
  gpointer            user_data;
  GMainContext       *context;
  GMainLoop          *loop;
  GThread            *thread;
  guint               port;
  char               *url;
};

static gpointer
server_thread (gpointer data)
{
  KioskTestServer *self = data;
  g_autoptr(SoupServer) server = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *header = g_strdup_printf ("stadtkiosk-%s ", self->name);
  GSList *uris;

  g_main_context_push_thread_default (self->context);
  server = soup_server_new ("server-header", header, "tls-certificate", self->tls_certificate, NULL);
  soup_server_add_handler (server, NULL, self->callback, self->user_data, NULL);
  if (!soup_server_listen_local (server, self->requested_port,
                                 SOUP_SERVER_LISTEN_IPV4_ONLY
                                 | (self->tls_certificate != NULL ? SOUP_SERVER_LISTEN_HTTPS : 0),
                                 &error))
    {
      g_mutex_lock (&self->mutex);
      self->start_error = g_steal_pointer (&error);
      self->ready = TRUE;
      g_cond_signal (&self->cond);
      g_mutex_unlock (&self->mutex);
      g_main_context_pop_thread_default (self->context);
      return NULL;
    }
  uris = soup_server_get_uris (server);
  g_mutex_lock (&self->mutex);
  self->port = (guint) g_uri_get_port (uris->data);
  self->url = g_strdup_printf ("%s://127.0.0.1:%u", self->tls_certificate != NULL ? "https" : "http", self->port);
  self->ready = TRUE;
  g_cond_signal (&self->cond);
  g_mutex_unlock (&self->mutex);
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);

  g_main_loop_run (self->loop);

  soup_server_disconnect (server);
  g_clear_object (&server);
  /* Let pending sources (a delayed answer) finish or drop. */
  while (g_main_context_iteration (self->context, FALSE))
    ;
  g_main_context_pop_thread_default (self->context);
  return NULL;
}

static void
server_free (KioskTestServer *self)
{
  g_clear_pointer (&self->loop, g_main_loop_unref);
  g_clear_pointer (&self->context, g_main_context_unref);
  g_clear_object (&self->tls_certificate);
  g_clear_error (&self->start_error);
  g_free (self->name);
  g_free (self->url);
  g_mutex_clear (&self->mutex);
  g_cond_clear (&self->cond);
  g_free (self);
}

/**
 * kiosk_test_server_start:
 * @name: the fake's name ("fake-portal"): its thread's and, with
 *   "stadtkiosk-", its Server header's
 * @port: the port on 127.0.0.1, 0 for any free one
 * @tls_certificate: (nullable): serve HTTPS with it
 * @callback: the handler of every path; called in the server's thread
 * @user_data: for @callback
 *
 * Returns: (transfer full): the running server, or %NULL with @error set
 *   when the port cannot be bound
 */
KioskTestServer *
kiosk_test_server_start (const char          *name,
                         guint                port,
                         GTlsCertificate     *tls_certificate,
                         SoupServerCallback   callback,
                         gpointer             user_data,
                         GError             **error)
{
  KioskTestServer *self = g_new0 (KioskTestServer, 1);

  g_mutex_init (&self->mutex);
  g_cond_init (&self->cond);
  self->name = g_strdup (name);
  self->requested_port = port;
  self->tls_certificate = tls_certificate != NULL ? g_object_ref (tls_certificate) : NULL;
  self->callback = callback;
  self->user_data = user_data;
  self->context = g_main_context_new ();
  self->loop = g_main_loop_new (self->context, FALSE);
  self->thread = g_thread_new (name, server_thread, self);

  g_mutex_lock (&self->mutex);
  while (!self->ready)
    g_cond_wait (&self->cond, &self->mutex);
  g_mutex_unlock (&self->mutex);
  if (self->start_error != NULL)
    {
      g_thread_join (self->thread);
      g_propagate_error (error, g_steal_pointer (&self->start_error));
      server_free (self);
      return NULL;
    }
  return self;
}

static gboolean
quit_cb (gpointer data)
{
  g_main_loop_quit (data);
  return G_SOURCE_REMOVE;
}

/**
 * kiosk_test_server_stop:
 * @self: (nullable) (transfer full): the server
 *
 * Stops the server, waits for its thread and frees it.
 */
void
kiosk_test_server_stop (KioskTestServer *self)
{
  if (self == NULL)
    return;
  g_main_context_invoke (self->context, quit_cb, self->loop);
  g_thread_join (self->thread);
  server_free (self);
}

/* "http://127.0.0.1:PORT" (https with a certificate), no slash. */
const char *
kiosk_test_server_get_url (KioskTestServer *self)
{
  return self->url;
}

guint
kiosk_test_server_get_port (KioskTestServer *self)
{
  return self->port;
}

/* The server thread's context, for sources that answer later. */
GMainContext *
kiosk_test_server_get_context (KioskTestServer *self)
{
  return self->context;
}

/**
 * kiosk_test_server_run_until_signal:
 *
 * For the fakes' programs (./dev run): runs the main loop until SIGINT or
 * SIGTERM.
 */
void
kiosk_test_server_run_until_signal (void)
{
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);

  g_unix_signal_add (SIGINT, quit_cb, loop);
  g_unix_signal_add (SIGTERM, quit_cb, loop);
  g_main_loop_run (loop);
}

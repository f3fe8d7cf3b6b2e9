/* kiosk-hub-test-util.c
 *
 * SPDX-FileCopyrightText: 2026 Stadtkiosk contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "kiosk-hub-test-util.h"

#include <libsoup/soup.h>
#include <signal.h>
#include <sys/prctl.h>
#include <string.h>
#include <unistd.h>

#include "kiosk-test-util.h"

/* pouchdb-server from tests/support/npm (installed by ./dev), started on
 * 127.0.0.1 only, in memory or on a directory, in a directory of its own
 * (it writes config.json and log.txt where it runs). */
struct _HubPeer
{
  GSubprocess *process;
  char        *work_dir;     /* removed on free */
  char        *data_dir;     /* nullable: in memory */
  char        *url;
  guint        port;
};

struct _DropProxy
{
  GSubprocess *process;
  guint        port;
};

char *
hub_peer_find_program (void)
{
  const char *srcdir = g_getenv ("G_TEST_SRCDIR");
  g_autofree char *path = NULL;
  g_autofree char *node = NULL;

  if (srcdir == NULL)
    return NULL;
  path = g_build_filename (srcdir, "support", "npm", "node_modules", ".bin", "pouchdb-server", NULL);
  node = g_find_program_in_path ("node");
  if (!g_file_test (path, G_FILE_TEST_IS_EXECUTABLE) || node == NULL)
    return NULL;
  return g_steal_pointer (&path);
}

static guint
free_port (void)
{
  g_autoptr(GSocket) socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, NULL);
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;

  g_assert_nonnull (socket);
  g_assert_true (g_socket_bind (socket, address, FALSE, NULL));
  bound = g_socket_get_local_address (socket, NULL);
  return g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
}

/* The peers die with the test, whatever ends it. */
static void
die_with_parent (gpointer user_data)
{
  prctl (PR_SET_PDEATHSIG, SIGKILL);
}

static void
hub_peer_spawn (HubPeer *peer)
{
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE |
                                                                       G_SUBPROCESS_FLAGS_STDERR_SILENCE);
  g_autofree char *program = hub_peer_find_program ();
  g_autofree char *port = g_strdup_printf ("%u", peer->port);
  g_autofree char *config = g_build_filename (peer->work_dir, "config.json", NULL);
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *root = g_strdup_printf ("%s/", peer->url);

  g_ptr_array_add (argv, program);
  g_ptr_array_add (argv, "--host");
  g_ptr_array_add (argv, "127.0.0.1");
  g_ptr_array_add (argv, "--port");
  g_ptr_array_add (argv, port);
  g_ptr_array_add (argv, "--config");
  g_ptr_array_add (argv, config);
  g_ptr_array_add (argv, "--no-stdout-logs");
  if (peer->data_dir != NULL)
    {
      g_ptr_array_add (argv, "--dir");
      g_ptr_array_add (argv, peer->data_dir);
    }
  else
    g_ptr_array_add (argv, "--in-memory");
  g_ptr_array_add (argv, NULL);

  g_subprocess_launcher_set_cwd (launcher, peer->work_dir);
  g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL, NULL);
  peer->process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);

  /* Waiting for it to listen: up to a minute on a loaded machine.  This is
   * start-up, not something a test asserts about. */
  for (guint i = 0; i < 600; i++)
    {
      guint status = 0;
      g_autoptr(JsonNode) answer = hub_http ("GET", root, NULL, &status);

      if (status == 200 && answer != NULL)
        return;
      g_assert_nonnull (g_subprocess_get_identifier (peer->process));
      g_usleep (100 * 1000);
    }
  g_error ("pouchdb-server did not start on port %u", peer->port);
}

/**
 * hub_peer_start:
 * @data_dir: (nullable): where to keep the databases; %NULL: in memory
 * @port: 0 for a free one, or the port of a hub being restarted
 *
 * Returns: the peer, or %NULL when pouchdb-server is not installed
 */
HubPeer *
hub_peer_start (const char *data_dir,
                guint       port)
{
  g_autofree char *program = hub_peer_find_program ();
  HubPeer *peer;

  if (program == NULL)
    return NULL;
  peer = g_new0 (HubPeer, 1);
  peer->work_dir = g_dir_make_tmp ("kiosk-hub-XXXXXX", NULL);
  g_assert_nonnull (peer->work_dir);
  peer->data_dir = g_strdup (data_dir);
  peer->port = port != 0 ? port : free_port ();
  peer->url = g_strdup_printf ("http://127.0.0.1:%u", peer->port);
  hub_peer_spawn (peer);
  return peer;
}

/* Kills the server (SIGKILL, as a crash would); hub_peer_start() with the
 * same directory and port brings it back. */
void
hub_peer_stop (HubPeer *peer)
{
  if (peer->process == NULL)
    return;
  g_subprocess_force_exit (peer->process);
  g_assert_true (g_subprocess_wait (peer->process, NULL, NULL));
  g_clear_object (&peer->process);
}

void
hub_peer_free (HubPeer *peer)
{
  if (peer == NULL)
    return;
  hub_peer_stop (peer);
  kiosk_test_rm_rf (peer->work_dir);
  g_free (peer->work_dir);
  g_free (peer->data_dir);
  g_free (peer->url);
  g_free (peer);
}

guint
hub_peer_get_port (HubPeer *peer)
{
  return peer->port;
}

const char *
hub_peer_get_url (HubPeer *peer)
{
  return peer->url;
}

/**
 * hub_peer_get_cpu_seconds:
 *
 * The CPU time (user and system, all its threads) the running server has
 * used so far, from /proc/PID/stat; the benchmark's "hub side".
 *
 * Returns: seconds, or -1 when it cannot be read
 */
double
hub_peer_get_cpu_seconds (HubPeer *peer)
{
  const char *pid = peer->process != NULL ? g_subprocess_get_identifier (peer->process) : NULL;
  g_autofree char *path = NULL;
  g_autofree char *text = NULL;
  g_auto(GStrv) fields = NULL;
  const char *after_name;

  if (pid == NULL)
    return -1;
  path = g_strdup_printf ("/proc/%s/stat", pid);
  if (!g_file_get_contents (path, &text, NULL, NULL))
    return -1;
  /* "pid (comm) state ppid …": the command may hold spaces, so count the
   * fields after its closing parenthesis; utime and stime are the 14th and
   * 15th of the line, the 12th and 13th after it. */
  after_name = strrchr (text, ')');
  if (after_name == NULL)
    return -1;
  fields = g_strsplit (after_name + 2, " ", -1);
  if (g_strv_length (fields) < 13)
    return -1;
  return (double) (g_ascii_strtoull (fields[11], NULL, 10) + g_ascii_strtoull (fields[12], NULL, 10)) /
         (double) sysconf (_SC_CLK_TCK);
}

/**
 * hub_http:
 *
 * A synchronous exchange with the hub (another process, so no deadlock).
 *
 * Returns: (transfer full) (nullable): the answer as JSON; %NULL and status
 *   0 when no answer came
 */
JsonNode *
hub_http (const char *method,
          const char *url,
          const char *body,
          guint      *out_status)
{
  return hub_http_as (NULL, NULL, method, url, body, out_status);
}

/* The same, logged in as @user (Basic) when it is not %NULL. */
JsonNode *
hub_http_as (const char *user,
             const char *password,
             const char *method,
             const char *url,
             const char *body,
             guint      *out_status)
{
  g_autoptr(SoupSession) session = soup_session_new_with_options ("timeout", 60, NULL);
  g_autoptr(SoupMessage) message = soup_message_new (method, url);
  g_autoptr(GBytes) answer = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();

  g_assert_nonnull (message);
  if (user != NULL)
    {
      g_autofree char *pair = g_strconcat (user, ":", password, NULL);
      g_autofree char *base64 = g_base64_encode ((const guchar *) pair, strlen (pair));
      g_autofree char *auth = g_strconcat ("Basic ", base64, NULL);

      soup_message_headers_replace (soup_message_get_request_headers (message), "Authorization", auth);
    }
  if (body != NULL)
    {
      g_autoptr(GBytes) bytes = g_bytes_new (body, strlen (body));

      soup_message_set_request_body_from_bytes (message, "application/json", bytes);
    }
  answer = soup_session_send_and_read (session, message, NULL, NULL);
  *out_status = answer != NULL ? soup_message_get_status (message) : 0;
  if (answer == NULL || g_bytes_get_size (answer) == 0 ||
      !json_parser_load_from_data (parser, g_bytes_get_data (answer, NULL), (gssize) g_bytes_get_size (answer), NULL))
    return NULL;
  return json_node_copy (json_parser_get_root (parser));
}

JsonNode *
hub_all_docs (const char *db_url)
{
  g_autofree char *url = g_strconcat (db_url, "/_all_docs?include_docs=true", NULL);
  guint status;
  JsonNode *root = hub_http ("GET", url, NULL, &status);

  g_assert_cmpuint (status, ==, 200);
  g_assert_nonnull (root);
  return root;
}

/**
 * hub_count_type:
 * @out_short_codes: (nullable): short code → number of documents with it
 *
 * Returns: how many documents of @type the hub holds
 */
guint
hub_count_type (const char *db_url,
                const char *type,
                GHashTable *out_short_codes)
{
  g_autoptr(JsonNode) root = hub_all_docs (db_url);
  JsonArray *rows = json_object_get_array_member (json_node_get_object (root), "rows");
  guint n = 0;

  for (guint i = 0; i < json_array_get_length (rows); i++)
    {
      JsonObject *row = json_array_get_object_element (rows, i);
      JsonObject *doc = json_object_get_object_member (row, "doc");
      const char *code;

      if (doc == NULL || g_strcmp0 (json_object_get_string_member_with_default (doc, "type", ""), type) != 0)
        continue;
      n++;
      code = json_object_get_string_member_with_default (doc, "short_code", NULL);
      if (out_short_codes != NULL && code != NULL)
        g_hash_table_insert (out_short_codes, g_strdup (code),
                             GUINT_TO_POINTER (GPOINTER_TO_UINT (g_hash_table_lookup (out_short_codes, code)) + 1));
    }
  return n;
}

DropProxy *
drop_proxy_start (guint upstream_port,
                  guint seed,
                  guint before_pct,
                  guint after_pct)
{
  g_autofree char *script = g_build_filename (g_getenv ("G_TEST_SRCDIR"), "support", "drop-proxy.py", NULL);
  g_autofree char *upstream = g_strdup_printf ("%u", upstream_port);
  g_autofree char *seed_text = g_strdup_printf ("%u", seed);
  g_autofree char *before = g_strdup_printf ("%u", before_pct);
  g_autofree char *after = g_strdup_printf ("%u", after_pct);
  g_autoptr(GDataInputStream) out = NULL;
  g_autofree char *line = NULL;
  g_autoptr(GError) error = NULL;
  DropProxy *proxy = g_new0 (DropProxy, 1);

  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                                                       G_SUBPROCESS_FLAGS_STDERR_PIPE);

  g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL, NULL);
  proxy->process = g_subprocess_launcher_spawn (launcher, &error, "python3", script, upstream, seed_text,
                                                before, after, NULL);
  g_assert_no_error (error);
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (proxy->process));
  g_filter_input_stream_set_close_base_stream (G_FILTER_INPUT_STREAM (out), FALSE);
  line = g_data_input_stream_read_line (out, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (line);
  proxy->port = (guint) g_ascii_strtoull (line, NULL, 10);
  g_assert_cmpuint (proxy->port, >, 0);
  return proxy;
}

guint
drop_proxy_get_port (DropProxy *proxy)
{
  return proxy->port;
}

/* Returns: (transfer full): the proxy's summary line (how many it dropped) */
char *
drop_proxy_stop (DropProxy *proxy)
{
  g_autofree char *err = NULL;
  g_autoptr(GError) error = NULL;

  g_subprocess_send_signal (proxy->process, SIGTERM);
  g_subprocess_communicate_utf8 (proxy->process, NULL, NULL, NULL, &err, &error);
  g_assert_no_error (error);
  g_object_unref (proxy->process);
  g_free (proxy);
  return g_strstrip (g_steal_pointer (&err));
}

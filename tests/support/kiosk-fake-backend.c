/* kiosk-fake-backend.c
 *
 * SPDX-FileCopyrightText: 2026 Stadtkiosk contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "kiosk-fake-backend"

#include "config.h"

#include <errno.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>

#include "kiosk-fake-backend.h"
#include "kiosk-test-server.h"

/* A backend for tests, the benchmark and ./dev run.  The SoupServer runs in
 * its own thread with its own GMainContext, so a test's client code on the
 * main thread is as far from it as from a real server.  Everything the
 * server thread touches that a test reads is under the mutex.
 *
 * The idempotency store is the real thing: the same key with the same body
 * gets the stored answer again; the same key with another body gets 422.
 * With KIOSK_FAKE_BACKEND_NO_IDEMPOTENCY every POST is stored anew, which is
 * what the tests' negative control needs to show duplicates.
 *
 * libsoup 3.2.3's SoupServer never closes connections that a client closed
 * while idle (fixed in 3.3.0), so callers that churn connections raise the
 * descriptor limit (kiosk_fake_backend_raise_fd_limit()).
 */

typedef struct
{
  char  *body_sha256;
  guint  status;
  char  *answer;        /* JSON */
} Stored;

struct _KioskFakeBackend
{
  KioskTestServer *server;
  KioskFakeBackendFlags flags;
  char            *state_dir;
  FILE            *journal;

  GMutex           mutex;

  /* under the mutex */
  char            *url;
  guint            port;
  KioskFakeFaults  faults;
  char            *retry_after;
  char            *reject_marker;
  GRand           *rand;
  char            *token;
  GBytes          *catalog;
  char            *catalog_etag;
  GHashTable      *idempotency;    /* key -> Stored* */
  GHashTable      *copies;         /* request id -> GUINT count of stored copies */
  GHashTable      *by_code;        /* short code -> its GET /v1/submissions/by-code answer */
  GHashTable      *peers;          /* "host:port" of every connection seen */
  guint            n_received;
  guint            n_stored;
  guint            n_catalog_gets;
  guint            next_reference;
  char            *last_authorization;
  KioskFakeOpenFunc opener;        /* opens sealed payloads, like the city's backend */
  gpointer         opener_data;
};

static void
stored_free (Stored *stored)
{
  g_free (stored->body_sha256);
  g_free (stored->answer);
  g_free (stored);
}

void
kiosk_fake_backend_raise_fd_limit (void)
{
  struct rlimit limit;

  if (getrlimit (RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur < limit.rlim_max)
    {
      limit.rlim_cur = limit.rlim_max;
      setrlimit (RLIMIT_NOFILE, &limit);
    }
}

static void
set_json (SoupServerMessage *msg,
          guint              status,
          const char        *json)
{
  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_COPY, json, strlen (json));
}

static void
set_problem (SoupServerMessage *msg,
             guint              status,
             const char        *error,
             const char        *message)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *text = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "error");
  json_builder_add_string_value (builder, error);
  json_builder_set_member_name (builder, "message");
  json_builder_add_string_value (builder, message);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  text = json_to_string (root, FALSE);
  set_json (msg, status, text);
}

static void
drop_connection (SoupServerMessage *msg)
{
  g_autoptr(GIOStream) stream = soup_server_message_steal_connection (msg);

  if (stream != NULL)
    g_io_stream_close (stream, NULL, NULL);
}

static gboolean
authorized (KioskFakeBackend  *self,
            SoupServerMessage *msg)
{
  const char *auth = soup_message_headers_get_one (soup_server_message_get_request_headers (msg), "Authorization");
  gboolean ok;

  g_mutex_lock (&self->mutex);
  g_free (self->last_authorization);
  self->last_authorization = g_strdup (auth);
  ok = self->token == NULL ||
       (auth != NULL && g_str_has_prefix (auth, "Bearer ") && g_str_equal (auth + 7, self->token));
  g_mutex_unlock (&self->mutex);
  if (!ok)
    set_problem (msg, 401, "unauthorized", "missing or wrong bearer token");
  return ok;
}

typedef enum
{
  FAULT_NONE,
  FAULT_DROP_BEFORE,
  FAULT_DROP_AFTER,
  FAULT_MALFORMED,
  FAULT_DELAY,
  FAULT_STATUS,
} Fault;

static Fault
pick_fault (KioskFakeBackend *self)
{
  guint r = (guint) g_rand_int_range (self->rand, 0, 100);
  guint edge = 0;

  if (self->faults.status != 0)
    {
      guint pct = self->faults.status_pct != 0 ? self->faults.status_pct : 100;

      if ((guint) g_rand_int_range (self->rand, 0, 100) < pct)
        return FAULT_STATUS;
    }
  if (r < (edge += self->faults.drop_before_pct))
    return FAULT_DROP_BEFORE;
  if (r < (edge += self->faults.drop_after_pct))
    return FAULT_DROP_AFTER;
  if (r < (edge += self->faults.malformed_pct))
    return FAULT_MALFORMED;
  if (r < (edge += self->faults.delay_pct))
    return FAULT_DELAY;
  return FAULT_NONE;
}

/* Stores a submission (or finds its replay).  Returns the status and answer
 * to send; under the mutex. */
static guint
process_submission (KioskFakeBackend  *self,
                    const char        *key,
                    const char        *body_sha256,
                    JsonObject        *object,
                    char             **out_answer,
                    gboolean          *out_replayed)
{
  Stored *stored;
  const char *id = json_object_get_string_member_with_default (object, "id", "");
  const char *code = json_object_get_string_member_with_default (object, "short_code", "?");
  g_autofree char *reference = NULL;
  guint copies;

  *out_replayed = FALSE;
  if (!(self->flags & KIOSK_FAKE_BACKEND_NO_IDEMPOTENCY) &&
      (stored = g_hash_table_lookup (self->idempotency, key)) != NULL)
    {
      if (!g_str_equal (stored->body_sha256, body_sha256))
        {
          *out_answer = g_strdup ("{\"error\":\"idempotency_conflict\","
                                  "\"message\":\"this Idempotency-Key was used before with a different body\"}");
          return 422;
        }
      *out_replayed = TRUE;
      *out_answer = g_strdup (stored->answer);
      if (self->flags & KIOSK_FAKE_BACKEND_VERBOSE)
        g_print ("fake-backend: submission %s (%s) replayed\n", code, id);
      return stored->status;
    }

  /* The city's backend opens a sealed payload and checks that it is the
   * request it came with; one it cannot open is refused for this request. */
  if (self->opener != NULL && json_object_has_member (object, "sealed_payload"))
    {
      const char *b64 = json_object_get_string_member_with_default (object, "sealed_payload", "");
      gsize len = 0;
      g_autofree guchar *raw = g_base64_decode (b64, &len);
      g_autoptr(GBytes) sealed = g_bytes_new_take (g_steal_pointer (&raw), len);
      g_autoptr(GError) open_error = NULL;
      g_autofree char *summary = self->opener (sealed, id, self->opener_data, &open_error);
      g_autoptr(JsonBuilder) builder = NULL;
      g_autoptr(JsonGenerator) generator = NULL;
      g_autoptr(JsonNode) node = NULL;

      if (summary == NULL)
        {
          builder = json_builder_new ();
          json_builder_begin_object (builder);
          json_builder_set_member_name (builder, "error");
          json_builder_add_string_value (builder, "sealed_payload");
          json_builder_set_member_name (builder, "message");
          json_builder_add_string_value (builder, open_error->message);
          json_builder_end_object (builder);
          node = json_builder_get_root (builder);
          generator = json_generator_new ();
          json_generator_set_root (generator, node);
          *out_answer = json_generator_to_data (generator, NULL);
          if (self->flags & KIOSK_FAKE_BACKEND_VERBOSE)
            g_print ("fake-backend: submission %s (%s) refused: %s\n", code, id, open_error->message);
          return 422;
        }
      if (self->flags & KIOSK_FAKE_BACKEND_VERBOSE)
        g_print ("fake-backend: submission %s opened with the city key: %s\n", code, summary);
    }

  reference = g_strdup_printf ("HI-2026-%06u", ++self->next_reference);
  stored = g_new0 (Stored, 1);
  stored->body_sha256 = g_strdup (body_sha256);
  stored->status = 201;
  stored->answer = g_strdup_printf ("{\"reference\":\"%s\",\"status_url\":\"/v1/submissions/%s\"}", reference, id);
  *out_answer = g_strdup (stored->answer);
  if (!(self->flags & KIOSK_FAKE_BACKEND_NO_IDEMPOTENCY))
    g_hash_table_replace (self->idempotency, g_strdup (key), stored);
  else
    stored_free (stored);

  copies = GPOINTER_TO_UINT (g_hash_table_lookup (self->copies, id)) + 1;
  g_hash_table_replace (self->copies, g_strdup (id), GUINT_TO_POINTER (copies));
  self->n_stored++;
  {
    /* Where it stands, for the status page of any kiosk: never the answers. */
    g_autoptr(JsonBuilder) builder = json_builder_new ();
    g_autoptr(JsonGenerator) generator = json_generator_new ();
    g_autoptr(JsonNode) node = NULL;

    json_builder_begin_object (builder);
    json_builder_set_member_name (builder, "id");
    json_builder_add_string_value (builder, id);
    json_builder_set_member_name (builder, "short_code");
    json_builder_add_string_value (builder, code);
    json_builder_set_member_name (builder, "service_id");
    json_builder_add_string_value (builder, json_object_get_string_member_with_default (object, "service_id", ""));
    json_builder_set_member_name (builder, "created");
    json_builder_add_string_value (builder, json_object_get_string_member_with_default (object, "created", ""));
    json_builder_set_member_name (builder, "reference");
    json_builder_add_string_value (builder, reference);
    json_builder_set_member_name (builder, "status");
    json_builder_add_string_value (builder, "received");
    json_builder_end_object (builder);
    node = json_builder_get_root (builder);
    json_generator_set_root (generator, node);
    g_hash_table_replace (self->by_code, g_strdup (code), json_generator_to_data (generator, NULL));
  }

  if (self->journal != NULL)
    {
      fprintf (self->journal, "%s\t%s\t%s\t%s\n", key, body_sha256, reference, id);
      fflush (self->journal);
    }
  if (self->flags & KIOSK_FAKE_BACKEND_VERBOSE)
    g_print ("fake-backend: submission %s (%s) stored as %s\n", code, id, reference);
  return 201;
}

typedef struct
{
  KioskFakeBackend  *self;
  SoupServerMessage *msg;
  char              *key;
  char              *sha;
  JsonNode          *root;
} Delayed;

static void
delayed_free (gpointer data)
{
  Delayed *d = data;

  g_object_unref (d->msg);
  g_free (d->key);
  g_free (d->sha);
  json_node_unref (d->root);
  g_free (d);
}

static gboolean
delayed_cb (gpointer data)
{
  Delayed *d = data;
  g_autofree char *answer = NULL;
  gboolean replayed;
  guint status;

  g_mutex_lock (&d->self->mutex);
  status = process_submission (d->self, d->key, d->sha, json_node_get_object (d->root), &answer, &replayed);
  g_mutex_unlock (&d->self->mutex);
  set_json (d->msg, status, answer);
  soup_server_message_unpause (d->msg);
  return G_SOURCE_REMOVE;
}

static void
handle_submission (KioskFakeBackend  *self,
                   SoupServerMessage *msg)
{
  SoupMessageBody *request_body = soup_server_message_get_request_body (msg);
  g_autoptr(GBytes) body = soup_message_body_flatten (request_body);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autofree char *sha = NULL;
  g_autofree char *answer = NULL;
  const char *key;
  gboolean replayed = FALSE;
  guint status;
  Fault fault;

  g_mutex_lock (&self->mutex);
  self->n_received++;
  fault = pick_fault (self);
  g_mutex_unlock (&self->mutex);

  if (fault == FAULT_STATUS)
    {
      g_mutex_lock (&self->mutex);
      if (self->retry_after != NULL)
        soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Retry-After", self->retry_after);
      status = self->faults.status;
      g_mutex_unlock (&self->mutex);
      set_problem (msg, status, "injected", "injected fault");
      return;
    }
  if (fault == FAULT_DROP_BEFORE)
    {
      drop_connection (msg);
      return;
    }

  if (!authorized (self, msg))
    return;

  key = soup_message_headers_get_one (soup_server_message_get_request_headers (msg), "Idempotency-Key");
  if (key == NULL || !g_uuid_string_is_valid (key))
    {
      set_problem (msg, 400, "no_idempotency_key", "the Idempotency-Key header must be the request's UUID");
      return;
    }
  if (!json_parser_load_from_data (parser, g_bytes_get_data (body, NULL), (gssize) g_bytes_get_size (body), NULL) ||
      !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    {
      set_problem (msg, 400, "bad_json", "the body is not a JSON object");
      return;
    }
  if (!g_str_equal (json_object_get_string_member_with_default (json_node_get_object (json_parser_get_root (parser)),
                                                                "id", ""), key))
    {
      set_problem (msg, 400, "id_mismatch", "the body's id differs from the Idempotency-Key");
      return;
    }

  g_mutex_lock (&self->mutex);
  if (self->reject_marker != NULL &&
      g_strstr_len (g_bytes_get_data (body, NULL), (gssize) g_bytes_get_size (body), self->reject_marker) != NULL)
    {
      g_mutex_unlock (&self->mutex);
      set_problem (msg, 422, "invalid_field", "Die Postleitzahl liegt nicht in Hildesheim.");
      return;
    }
  g_mutex_unlock (&self->mutex);

  sha = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, body);

  if (fault == FAULT_DELAY)
    {
      Delayed *d = g_new0 (Delayed, 1);
      g_autoptr(GSource) source = NULL;

      d->self = self;
      d->msg = g_object_ref (msg);
      d->key = g_strdup (key);
      d->sha = g_strdup (sha);
      d->root = json_node_ref (json_parser_get_root (parser));
      soup_server_message_pause (msg);
      source = g_timeout_source_new (self->faults.delay_ms);
      g_source_set_callback (source, delayed_cb, d, delayed_free);
      g_source_attach (source, kiosk_test_server_get_context (self->server));
      return;
    }

  g_mutex_lock (&self->mutex);
  status = process_submission (self, key, sha, json_node_get_object (json_parser_get_root (parser)),
                               &answer, &replayed);
  g_mutex_unlock (&self->mutex);

  if (fault == FAULT_DROP_AFTER)
    {
      drop_connection (msg);
      return;
    }
  if (fault == FAULT_MALFORMED)
    {
      set_json (msg, status, "{\"reference\": \"HI-2026-");
      return;
    }
  if (replayed)
    soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Idempotent-Replayed", "true");
  set_json (msg, status, answer);
}

static void
handle_status (KioskFakeBackend  *self,
               SoupServerMessage *msg,
               const char        *id)
{
  g_autofree char *answer = NULL;
  guint copies;

  if (!authorized (self, msg))
    return;
  g_mutex_lock (&self->mutex);
  copies = GPOINTER_TO_UINT (g_hash_table_lookup (self->copies, id));
  g_mutex_unlock (&self->mutex);
  if (copies == 0)
    {
      set_problem (msg, 404, "not_found", "no such submission");
      return;
    }
  answer = g_strdup_printf ("{\"id\":\"%s\",\"reference\":\"\",\"status\":\"received\"}", id);
  set_json (msg, 200, answer);
}

static void
handle_by_code (KioskFakeBackend  *self,
                SoupServerMessage *msg,
                const char        *code)
{
  g_autofree char *answer = NULL;

  if (!authorized (self, msg))
    return;
  g_mutex_lock (&self->mutex);
  answer = g_strdup (g_hash_table_lookup (self->by_code, code));
  g_mutex_unlock (&self->mutex);
  if (answer == NULL)
    {
      set_problem (msg, 404, "not_found", "no submission with this code");
      return;
    }
  set_json (msg, 200, answer);
}

static void
handle_catalog (KioskFakeBackend  *self,
                SoupServerMessage *msg)
{
  const char *if_none_match;
  g_autoptr(GBytes) catalog = NULL;
  g_autofree char *etag = NULL;

  if (!authorized (self, msg))
    return;
  g_mutex_lock (&self->mutex);
  self->n_catalog_gets++;
  catalog = self->catalog != NULL ? g_bytes_ref (self->catalog) : NULL;
  etag = g_strdup (self->catalog_etag);
  g_mutex_unlock (&self->mutex);

  if (catalog == NULL)
    {
      set_problem (msg, 404, "no_catalog", "this backend has no catalogue for kiosks");
      return;
    }
  soup_message_headers_replace (soup_server_message_get_response_headers (msg), "ETag", etag);
  if_none_match = soup_message_headers_get_one (soup_server_message_get_request_headers (msg), "If-None-Match");
  if (if_none_match != NULL && g_str_equal (if_none_match, etag))
    {
      soup_server_message_set_status (msg, SOUP_STATUS_NOT_MODIFIED, NULL);
      return;
    }
  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_COPY,
                                    g_bytes_get_data (catalog, NULL), g_bytes_get_size (catalog));
}

static void
server_cb (SoupServer        *server,
           SoupServerMessage *msg,
           const char        *path,
           GHashTable        *query,
           gpointer           user_data)
{
  KioskFakeBackend *self = user_data;
  const char *method = soup_server_message_get_method (msg);
  GSocketAddress *remote = soup_server_message_get_remote_address (msg);

  if (G_IS_INET_SOCKET_ADDRESS (remote))
    {
      guint16 port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (remote));

      g_mutex_lock (&self->mutex);
      g_hash_table_add (self->peers, GUINT_TO_POINTER ((guint) port));
      g_mutex_unlock (&self->mutex);
    }

  if (g_str_equal (path, "/v1/health") && g_str_equal (method, "GET"))
    {
      gboolean down;

      g_mutex_lock (&self->mutex);
      down = self->faults.health_down;
      g_mutex_unlock (&self->mutex);
      if (down)
        set_problem (msg, 503, "down", "down for maintenance");
      else
        set_json (msg, 200, "{\"status\":\"ok\"}");
    }
  else if (g_str_equal (path, "/v1/submissions") && g_str_equal (method, "POST"))
    handle_submission (self, msg);
  else if (g_str_has_prefix (path, "/v1/submissions/by-code/") && g_str_equal (method, "GET"))
    handle_by_code (self, msg, path + strlen ("/v1/submissions/by-code/"));
  else if (g_str_has_prefix (path, "/v1/submissions/") && g_str_equal (method, "GET"))
    handle_status (self, msg, path + strlen ("/v1/submissions/"));
  else if (g_str_equal (path, "/v1/catalog") && g_str_equal (method, "GET"))
    handle_catalog (self, msg);
  else if (g_str_equal (path, "/v1/submissions") || g_str_equal (path, "/v1/health") ||
           g_str_equal (path, "/v1/catalog"))
    set_problem (msg, 405, "method", "method not allowed");
  else
    set_problem (msg, 404, "not_found", "no such endpoint");
}

static gboolean
load_journal (KioskFakeBackend  *self,
              const char        *path,
              GError           **error)
{
  g_autofree char *contents = NULL;
  g_auto(GStrv) lines = NULL;

  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    return TRUE;
  if (!g_file_get_contents (path, &contents, NULL, error))
    return FALSE;
  lines = g_strsplit (contents, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_auto(GStrv) f = g_strsplit (lines[i], "\t", -1);
      Stored *stored;
      guint copies;

      if (g_strv_length (f) != 4)
        continue;
      stored = g_new0 (Stored, 1);
      stored->body_sha256 = g_strdup (f[1]);
      stored->status = 201;
      stored->answer = g_strdup_printf ("{\"reference\":\"%s\",\"status_url\":\"/v1/submissions/%s\"}", f[2], f[3]);
      g_hash_table_replace (self->idempotency, g_strdup (f[0]), stored);
      copies = GPOINTER_TO_UINT (g_hash_table_lookup (self->copies, f[3])) + 1;
      g_hash_table_replace (self->copies, g_strdup (f[3]), GUINT_TO_POINTER (copies));
      self->n_stored++;
      self->next_reference++;
    }
  return TRUE;
}

/**
 * kiosk_fake_backend_new:
 * @port: the port on 127.0.0.1, 0 for any free one
 * @state_dir: (nullable): keep the idempotency store in this directory
 *   (submissions.tsv) so that it survives a restart
 * @tls_certificate: (nullable): serve HTTPS with it
 *
 * Starts the backend in its own thread.
 */
KioskFakeBackend *
kiosk_fake_backend_new (guint                   port,
                        const char             *state_dir,
                        KioskFakeBackendFlags   flags,
                        GTlsCertificate        *tls_certificate,
                        GError                **error)
{
  KioskFakeBackend *self = g_new0 (KioskFakeBackend, 1);

  g_mutex_init (&self->mutex);
  self->flags = flags;
  self->rand = g_rand_new_with_seed (4711);
  self->idempotency = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) stored_free);
  self->copies = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->by_code = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->peers = g_hash_table_new (NULL, NULL);

  if (state_dir != NULL)
    {
      g_autofree char *path = g_build_filename (state_dir, "submissions.tsv", NULL);

      self->state_dir = g_strdup (state_dir);
      if (g_mkdir_with_parents (state_dir, 0700) != 0)
        {
          int errsv = errno;

          g_set_error (error, G_IO_ERROR, g_io_error_from_errno (errsv),
                       "cannot create %s: %s", state_dir, g_strerror (errsv));
          kiosk_fake_backend_free (self);
          return NULL;
        }
      if (!load_journal (self, path, error))
        {
          kiosk_fake_backend_free (self);
          return NULL;
        }
      self->journal = fopen (path, "a");
      if (self->journal == NULL)
        {
          int errsv = errno;

          g_set_error (error, G_IO_ERROR, g_io_error_from_errno (errsv),
                       "cannot open %s: %s", path, g_strerror (errsv));
          kiosk_fake_backend_free (self);
          return NULL;
        }
    }

  self->server = kiosk_test_server_start ("fake-backend", port, tls_certificate, server_cb, self, error);
  if (self->server == NULL)
    {
      kiosk_fake_backend_free (self);
      return NULL;
    }
  g_mutex_lock (&self->mutex);
  self->port = kiosk_test_server_get_port (self->server);
  self->url = g_strdup (kiosk_test_server_get_url (self->server));
  g_mutex_unlock (&self->mutex);
  return self;
}

void
kiosk_fake_backend_free (KioskFakeBackend *self)
{
  if (self == NULL)
    return;

  kiosk_test_server_stop (self->server);
  if (self->journal != NULL)
    fclose (self->journal);
  g_free (self->state_dir);
  g_free (self->url);
  g_free (self->retry_after);
  g_free (self->reject_marker);
  g_rand_free (self->rand);
  g_free (self->token);
  g_clear_pointer (&self->catalog, g_bytes_unref);
  g_free (self->catalog_etag);
  g_hash_table_unref (self->idempotency);
  g_hash_table_unref (self->copies);
  g_hash_table_unref (self->by_code);
  g_hash_table_unref (self->peers);
  g_free (self->last_authorization);
  g_mutex_clear (&self->mutex);
  g_free (self);
}

const char *
kiosk_fake_backend_get_url (KioskFakeBackend *self)
{
  return self->url;
}

guint
kiosk_fake_backend_get_port (KioskFakeBackend *self)
{
  return self->port;
}

void
kiosk_fake_backend_set_faults (KioskFakeBackend      *self,
                               const KioskFakeFaults *faults)
{
  static const KioskFakeFaults none = { 0 };

  g_mutex_lock (&self->mutex);
  self->faults = faults != NULL ? *faults : none;
  g_free (self->retry_after);
  self->retry_after = g_strdup (self->faults.retry_after);
  self->faults.retry_after = NULL;
  g_free (self->reject_marker);
  self->reject_marker = g_strdup (self->faults.reject_marker);
  self->faults.reject_marker = NULL;
  g_mutex_unlock (&self->mutex);
}

/**
 * kiosk_fake_backend_parse_faults:
 * @spec: comma-separated, e.g. "drop-before=10,drop-after=20,status=503,
 *   retry-after=120,delay=30:5000,malformed=5,reject=MARKER,health-down"
 *
 * Strings in @faults are interned.
 */
gboolean
kiosk_fake_backend_parse_faults (const char       *spec,
                                 KioskFakeFaults  *faults,
                                 GError          **error)
{
  g_auto(GStrv) items = NULL;

  memset (faults, 0, sizeof *faults);
  items = g_strsplit (spec, ",", -1);

  for (guint i = 0; items[i] != NULL; i++)
    {
      char *item = g_strstrip (items[i]);
      char *value = strchr (item, '=');
      guint64 number = 0;

      if (*item == '\0')
        continue;
      if (value != NULL)
        {
          *value++ = '\0';
          number = g_ascii_strtoull (value, NULL, 10);
        }

      if (g_str_equal (item, "drop-before") && value != NULL)
        faults->drop_before_pct = (guint) number;
      else if (g_str_equal (item, "drop-after") && value != NULL)
        faults->drop_after_pct = (guint) number;
      else if (g_str_equal (item, "malformed") && value != NULL)
        faults->malformed_pct = (guint) number;
      else if (g_str_equal (item, "delay") && value != NULL && strchr (value, ':') != NULL)
        {
          faults->delay_pct = (guint) number;
          faults->delay_ms = (guint) g_ascii_strtoull (strchr (value, ':') + 1, NULL, 10);
        }
      else if (g_str_equal (item, "status") && value != NULL)
        faults->status = (guint) number;
      else if (g_str_equal (item, "status-pct") && value != NULL)
        faults->status_pct = (guint) number;
      else if (g_str_equal (item, "retry-after") && value != NULL)
        faults->retry_after = g_intern_string (value);
      else if (g_str_equal (item, "reject") && value != NULL)
        faults->reject_marker = g_intern_string (value);
      else if (g_str_equal (item, "health-down"))
        faults->health_down = TRUE;
      else
        {
          g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                       "--faults: unknown item '%s' (expected drop-before=PCT, drop-after=PCT, "
                       "malformed=PCT, delay=PCT:MS, status=CODE, status-pct=PCT, retry-after=VALUE, "
                       "reject=MARKER, health-down)", item);
          return FALSE;
        }
    }
  return TRUE;
}

void
kiosk_fake_backend_set_seed (KioskFakeBackend *self,
                             guint32           seed)
{
  g_mutex_lock (&self->mutex);
  g_rand_set_seed (self->rand, seed);
  g_mutex_unlock (&self->mutex);
}

void
kiosk_fake_backend_set_token (KioskFakeBackend *self,
                              const char       *token)
{
  g_mutex_lock (&self->mutex);
  g_free (self->token);
  self->token = g_strdup (token);
  g_mutex_unlock (&self->mutex);
}

void
kiosk_fake_backend_set_catalog (KioskFakeBackend *self,
                                GBytes           *json)
{
  g_autofree char *sha = json != NULL ? g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, json) : NULL;

  g_mutex_lock (&self->mutex);
  g_clear_pointer (&self->catalog, g_bytes_unref);
  g_free (self->catalog_etag);
  self->catalog = json != NULL ? g_bytes_ref (json) : NULL;
  self->catalog_etag = sha != NULL ? g_strdup_printf ("\"%.16s\"", sha) : NULL;
  g_mutex_unlock (&self->mutex);
}

/**
 * kiosk_fake_backend_set_opener:
 * @func: (nullable): opens a sealed payload and returns a one-line summary
 *
 * Makes the backend open sealed payloads as the city's backend would: a
 * payload that does not open, or that is another request, is answered 422.
 * @func runs on the backend's thread.
 */
void
kiosk_fake_backend_set_opener (KioskFakeBackend  *self,
                               KioskFakeOpenFunc  func,
                               gpointer           user_data)
{
  g_mutex_lock (&self->mutex);
  self->opener = func;
  self->opener_data = user_data;
  g_mutex_unlock (&self->mutex);
}

#define GETTER(name, expr) \
  guint kiosk_fake_backend_get_##name (KioskFakeBackend *self) \
  { guint v; g_mutex_lock (&self->mutex); v = (expr); g_mutex_unlock (&self->mutex); return v; }

GETTER (n_received, self->n_received)
GETTER (n_stored, self->n_stored)
GETTER (n_unique, g_hash_table_size (self->copies))
GETTER (n_connections, g_hash_table_size (self->peers))
GETTER (n_catalog_gets, self->n_catalog_gets)

guint
kiosk_fake_backend_get_max_copies (KioskFakeBackend *self)
{
  GHashTableIter iter;
  gpointer value;
  guint max = 0;

  g_mutex_lock (&self->mutex);
  g_hash_table_iter_init (&iter, self->copies);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    max = MAX (max, GPOINTER_TO_UINT (value));
  g_mutex_unlock (&self->mutex);
  return max;
}

guint
kiosk_fake_backend_count_id (KioskFakeBackend *self,
                             const char       *id)
{
  guint n;

  g_mutex_lock (&self->mutex);
  n = GPOINTER_TO_UINT (g_hash_table_lookup (self->copies, id));
  g_mutex_unlock (&self->mutex);
  return n;
}

char *
kiosk_fake_backend_dup_last_authorization (KioskFakeBackend *self)
{
  char *auth;

  g_mutex_lock (&self->mutex);
  auth = g_strdup (self->last_authorization);
  g_mutex_unlock (&self->mutex);
  return auth;
}

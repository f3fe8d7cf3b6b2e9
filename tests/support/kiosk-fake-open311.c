/* kiosk-fake-open311.c
 *
 * SPDX-FileCopyrightText: 2026 Stadtkiosk contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "fake-open311"

#include "config.h"

#include "kiosk-fake-open311.h"
#include "kiosk-test-server.h"

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>
#include <string.h>

/* An Open311 GeoReport v2 server as a city runs one, in its own thread with
 * its own GMainContext: services.json, services/{code}.json, POST
 * requests.json (form-encoded, with api_key), tokens/{token}.json,
 * GET requests.json (by service code and date range, or by ids) and
 * requests/{id}.json.  It keeps what it stored, so a test can count how
 * often each short code ("Stadtkiosk HSK-…" in the description) arrived.
 * Everything a test reads is under the mutex. */

typedef struct
{
  char   *id;
  char   *token;
  char   *service_code;
  char   *description;
  char   *form;           /* as received, without the api_key */
  char   *status;
  char   *status_notes;
  gint64  requested_us;   /* real time */
  guint   token_polls;    /* polls that still answer without the id */
} Stored;

struct _KioskFakeOpen311
{
  GMutex                  mutex;
  KioskTestServer        *server;
  char                   *url;
  char                   *api_key;
  GRand                  *rand;
  KioskFakeOpen311Faults  faults;
  GPtrArray              *services;     /* char* service JSON objects, in order */
  GHashTable             *definitions;  /* code -> definition JSON */
  GPtrArray              *stored;       /* Stored* */
  guint                   n_posts;
  guint                   n_lists;
  guint                   next_id;
  gint64                  now_us;       /* the server's clock when a test sets it; 0: real time */
};

static void
stored_free (Stored *s)
{
  g_free (s->id);
  g_free (s->token);
  g_free (s->service_code);
  g_free (s->description);
  g_free (s->form);
  g_free (s->status);
  g_free (s->status_notes);
  g_free (s);
}

static void
set_json (SoupServerMessage *msg,
          guint              status,
          const char        *json)
{
  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, "application/json; charset=utf-8", SOUP_MEMORY_COPY, json, strlen (json));
}

static void
set_error (SoupServerMessage *msg,
           guint              status,
           const char        *description)
{
  g_autofree char *json = g_strdup_printf ("[{\"code\":%u,\"description\":\"%s\"}]", status, description);

  set_json (msg, status, json);
}

static void
drop_connection (SoupServerMessage *msg)
{
  g_autoptr(GIOStream) stream = soup_server_message_steal_connection (msg);

  if (stream != NULL)
    g_io_stream_close (stream, NULL, NULL);
}

static char *
short_code_of (const char *description)
{
  const char *p = description != NULL ? strstr (description, "(Stadtkiosk ") : NULL;
  const char *end;

  if (p == NULL)
    return NULL;
  p += strlen ("(Stadtkiosk ");
  end = strchr (p, ')');
  return end != NULL ? g_strndup (p, end - p) : NULL;
}

static void
add_stored (JsonBuilder *builder,
            Stored      *s)
{
  g_autoptr(GDateTime) t = g_date_time_new_from_unix_utc (s->requested_us / G_USEC_PER_SEC);
  g_autofree char *when = g_date_time_format (t, "%Y-%m-%dT%H:%M:%SZ");

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "service_request_id");
  json_builder_add_string_value (builder, s->id);
  json_builder_set_member_name (builder, "status");
  json_builder_add_string_value (builder, s->status);
  json_builder_set_member_name (builder, "status_notes");
  if (s->status_notes != NULL)
    json_builder_add_string_value (builder, s->status_notes);
  else
    json_builder_add_null_value (builder);
  json_builder_set_member_name (builder, "service_code");
  json_builder_add_string_value (builder, s->service_code);
  json_builder_set_member_name (builder, "description");
  json_builder_add_string_value (builder, s->description);
  json_builder_set_member_name (builder, "requested_datetime");
  json_builder_add_string_value (builder, when);
  json_builder_end_object (builder);
}

static char *
builder_text (JsonBuilder *builder)
{
  g_autoptr(JsonNode) root = json_builder_get_root (builder);

  return json_to_string (root, FALSE);
}

/* A form as (key, value) pairs in order, repeated keys kept. */
static GPtrArray *
parse_form (const char *body)
{
  GPtrArray *pairs = g_ptr_array_new_with_free_func (g_free);
  g_auto(GStrv) parts = g_strsplit (body, "&", -1);

  for (char **p = parts; *p != NULL; p++)
    {
      char *eq = strchr (*p, '=');
      char *key;
      char *value;

      if (**p == '\0')
        continue;
      for (char *c = *p; *c != '\0'; c++)
        if (*c == '+')
          *c = ' ';
      if (eq != NULL)
        *eq = '\0';
      key = g_uri_unescape_string (*p, NULL);
      value = g_uri_unescape_string (eq != NULL ? eq + 1 : "", NULL);
      g_ptr_array_add (pairs, key != NULL ? key : g_strdup (""));
      g_ptr_array_add (pairs, value != NULL ? value : g_strdup (""));
    }
  return pairs;
}

static const char *
form_get (GPtrArray  *pairs,
          const char *key)
{
  for (guint i = 0; i + 1 < pairs->len; i += 2)
    if (g_str_equal (pairs->pdata[i], key))
      return pairs->pdata[i + 1];
  return NULL;
}

static gboolean
service_known (KioskFakeOpen311 *self,
               const char       *code)
{
  g_autofree char *needle = g_strdup_printf ("\"service_code\":\"%s\"", code);

  for (guint i = 0; i < self->services->len; i++)
    {
      g_autofree char *compact = g_strdup (self->services->pdata[i]);
      char *w = compact;

      for (const char *r = self->services->pdata[i]; *r != '\0'; r++)
        if (*r != ' ' && *r != '\n')
          *w++ = *r;
      *w = '\0';
      if (strstr (compact, needle) != NULL)
        return TRUE;
    }
  return FALSE;
}

static gboolean
unpause_cb (gpointer data)
{
  soup_server_message_unpause (data);
  return G_SOURCE_REMOVE;
}

static void
handle_post (KioskFakeOpen311  *self,
             SoupServerMessage *msg)
{
  SoupMessageBody *body = soup_server_message_get_request_body (msg);
  g_autoptr(GBytes) bytes = soup_message_body_flatten (body);
  g_autofree char *text = g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  g_autoptr(GPtrArray) pairs = parse_form (text);
  g_autoptr(GString) kept = g_string_new (NULL);
  const char *code = form_get (pairs, "service_code");
  const char *description = form_get (pairs, "description");
  const char *key = form_get (pairs, "api_key");
  Stored *s;
  guint r;
  guint edge = 0;
  guint delay_ms;
  g_autofree char *answer = NULL;

  g_mutex_lock (&self->mutex);
  self->n_posts++;
  if (self->api_key != NULL && g_strcmp0 (key, self->api_key) != 0)
    {
      g_mutex_unlock (&self->mutex);
      set_error (msg, 403, "Invalid api_key");
      return;
    }
  if (code == NULL || !service_known (self, code))
    {
      g_mutex_unlock (&self->mutex);
      set_error (msg, 404, "Service code not found");
      return;
    }
  if (description == NULL || *description == '\0')
    {
      g_mutex_unlock (&self->mutex);
      set_error (msg, 400, "description is required");
      return;
    }

  r = (guint) g_rand_int_range (self->rand, 0, 100);
  if (r < (edge += self->faults.drop_before_pct))
    {
      g_mutex_unlock (&self->mutex);
      drop_connection (msg);
      return;
    }
  if (r < (edge += self->faults.unavailable_pct))
    {
      g_mutex_unlock (&self->mutex);
      soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Retry-After", "1");
      set_error (msg, 503, "Service temporarily unavailable");
      return;
    }

  for (guint i = 0; i + 1 < pairs->len; i += 2)
    if (!g_str_equal (pairs->pdata[i], "api_key"))
      g_string_append_printf (kept, "%s=%s\n", (char *) pairs->pdata[i], (char *) pairs->pdata[i + 1]);

  s = g_new0 (Stored, 1);
  s->id = g_strdup_printf ("%u", 1000 + ++self->next_id);
  s->service_code = g_strdup (code);
  s->description = g_strdup (description);
  s->form = g_string_free (g_steal_pointer (&kept), FALSE);
  s->status = g_strdup ("open");
  s->requested_us = self->now_us != 0 ? self->now_us : g_get_real_time ();
  g_ptr_array_add (self->stored, s);

  if (r < (edge += self->faults.drop_after_pct))
    {
      g_mutex_unlock (&self->mutex);
      drop_connection (msg);
      return;
    }
  if (r < (edge += self->faults.token_pct))
    {
      s->token = g_strdup_printf ("tok-%s", s->id);
      s->token_polls = self->faults.token_polls;
      answer = g_strdup_printf ("[{\"token\":\"%s\"}]", s->token);
    }
  else
    answer = g_strdup_printf ("[{\"service_request_id\":\"%s\",\"service_notice\":\"\"}]", s->id);
  delay_ms = self->faults.delay_ms;
  g_mutex_unlock (&self->mutex);
  set_json (msg, 201, answer);
  if (delay_ms > 0)
    {
      g_autoptr(GSource) source = g_timeout_source_new (delay_ms);

      /* Stored now, answered later. */
      soup_server_message_pause (msg);
      g_source_set_callback (source, unpause_cb, g_object_ref (msg), g_object_unref);
      g_source_attach (source, kiosk_test_server_get_context (self->server));
    }
}

static void
handle_list (KioskFakeOpen311  *self,
             SoupServerMessage *msg,
             GHashTable        *query)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  const char *code = query != NULL ? g_hash_table_lookup (query, "service_code") : NULL;
  const char *ids = query != NULL ? g_hash_table_lookup (query, "service_request_id") : NULL;
  const char *start = query != NULL ? g_hash_table_lookup (query, "start_date") : NULL;
  const char *end = query != NULL ? g_hash_table_lookup (query, "end_date") : NULL;
  g_autoptr(GDateTime) start_t = start != NULL ? g_date_time_new_from_iso8601 (start, NULL) : NULL;
  g_autoptr(GDateTime) end_t = end != NULL ? g_date_time_new_from_iso8601 (end, NULL) : NULL;
  g_auto(GStrv) id_list = ids != NULL ? g_strsplit (ids, ",", -1) : NULL;
  g_autofree char *text = NULL;

  if ((start != NULL && start_t == NULL) || (end != NULL && end_t == NULL))
    {
      set_error (msg, 400, "start_date and end_date must be ISO 8601 (w3c) dates");
      return;
    }

  g_mutex_lock (&self->mutex);
  self->n_lists++;
  if ((guint) g_rand_int_range (self->rand, 0, 100) < self->faults.list_unavailable_pct)
    {
      g_mutex_unlock (&self->mutex);
      set_error (msg, 503, "Service temporarily unavailable");
      return;
    }
  json_builder_begin_array (builder);
  for (guint i = 0; i < self->stored->len; i++)
    {
      Stored *s = self->stored->pdata[i];
      gint64 t = s->requested_us / G_USEC_PER_SEC;

      if (s->token_polls > 0)
        continue;   /* not listed before it has an id */
      if (code != NULL && !g_str_equal (code, s->service_code))
        continue;
      if (id_list != NULL && !g_strv_contains ((const char * const *) id_list, s->id))
        continue;
      if (start_t != NULL && t < g_date_time_to_unix (start_t))
        continue;
      if (end_t != NULL && t > g_date_time_to_unix (end_t))
        continue;
      add_stored (builder, s);
    }
  json_builder_end_array (builder);
  g_mutex_unlock (&self->mutex);
  text = builder_text (builder);
  set_json (msg, 200, text);
}

static void
handle_one (KioskFakeOpen311  *self,
            SoupServerMessage *msg,
            const char        *id)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autofree char *text = NULL;
  gboolean found = FALSE;

  g_mutex_lock (&self->mutex);
  json_builder_begin_array (builder);
  for (guint i = 0; i < self->stored->len && !found; i++)
    {
      Stored *s = self->stored->pdata[i];

      if (g_str_equal (s->id, id) && s->token_polls == 0)
        {
          add_stored (builder, s);
          found = TRUE;
        }
    }
  json_builder_end_array (builder);
  g_mutex_unlock (&self->mutex);
  if (!found)
    {
      set_error (msg, 404, "Request not found");
      return;
    }
  text = builder_text (builder);
  set_json (msg, 200, text);
}

static void
handle_token (KioskFakeOpen311  *self,
              SoupServerMessage *msg,
              const char        *token)
{
  g_autofree char *text = NULL;

  g_mutex_lock (&self->mutex);
  for (guint i = 0; i < self->stored->len && text == NULL; i++)
    {
      Stored *s = self->stored->pdata[i];

      if (g_strcmp0 (s->token, token) != 0)
        continue;
      if (s->token_polls > 0)
        {
          s->token_polls--;
          text = g_strdup_printf ("[{\"token\":\"%s\"}]", s->token);
        }
      else
        text = g_strdup_printf ("[{\"service_request_id\":\"%s\",\"token\":\"%s\"}]", s->id, s->token);
    }
  g_mutex_unlock (&self->mutex);
  if (text == NULL)
    set_error (msg, 404, "Token not found");
  else
    set_json (msg, 200, text);
}

static void
server_cb (SoupServer        *server,
           SoupServerMessage *msg,
           const char        *path,
           GHashTable        *query,
           gpointer           user_data)
{
  KioskFakeOpen311 *self = user_data;
  const char *method = soup_server_message_get_method (msg);

  if (g_str_equal (method, "POST") && g_str_equal (path, "/requests.json"))
    handle_post (self, msg);
  else if (!g_str_equal (method, "GET"))
    set_error (msg, 405, "Method not allowed");
  else if (g_str_equal (path, "/services.json"))
    {
      g_autoptr(GString) text = g_string_new ("[");

      g_mutex_lock (&self->mutex);
      for (guint i = 0; i < self->services->len; i++)
        g_string_append_printf (text, "%s%s", i > 0 ? "," : "", (char *) self->services->pdata[i]);
      g_mutex_unlock (&self->mutex);
      g_string_append_c (text, ']');
      set_json (msg, 200, text->str);
    }
  else if (g_str_has_prefix (path, "/services/") && g_str_has_suffix (path, ".json"))
    {
      g_autofree char *code = g_strndup (path + strlen ("/services/"), strlen (path) - strlen ("/services/.json"));
      g_autofree char *definition = NULL;

      g_mutex_lock (&self->mutex);
      definition = g_strdup (g_hash_table_lookup (self->definitions, code));
      g_mutex_unlock (&self->mutex);
      if (definition == NULL)
        set_error (msg, 404, "Service not found");
      else
        set_json (msg, 200, definition);
    }
  else if (g_str_equal (path, "/requests.json"))
    handle_list (self, msg, query);
  else if (g_str_has_prefix (path, "/requests/") && g_str_has_suffix (path, ".json"))
    {
      g_autofree char *id = g_strndup (path + strlen ("/requests/"), strlen (path) - strlen ("/requests/.json"));

      handle_one (self, msg, id);
    }
  else if (g_str_has_prefix (path, "/tokens/") && g_str_has_suffix (path, ".json"))
    {
      g_autofree char *token = g_strndup (path + strlen ("/tokens/"), strlen (path) - strlen ("/tokens/.json"));

      handle_token (self, msg, token);
    }
  else
    set_error (msg, 404, "Not found");
}

/**
 * kiosk_fake_open311_new:
 * @port: the port on 127.0.0.1, 0 for any free one
 * @api_key: (nullable): the key POSTs must carry
 *
 * Starts the server in its own thread, with one service "pothole" (no
 * attributes) until kiosk_fake_open311_add_service() adds others.
 */
KioskFakeOpen311 *
kiosk_fake_open311_new (guint        port,
                        const char  *api_key,
                        GError     **error)
{
  KioskFakeOpen311 *self = g_new0 (KioskFakeOpen311, 1);

  g_mutex_init (&self->mutex);
  self->api_key = g_strdup (api_key);
  self->rand = g_rand_new_with_seed (4711);
  self->services = g_ptr_array_new_with_free_func (g_free);
  self->definitions = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->stored = g_ptr_array_new_with_free_func ((GDestroyNotify) stored_free);
  g_ptr_array_add (self->services,
                   g_strdup ("{\"service_code\":\"pothole\",\"service_name\":\"Schlagloch\","
                             "\"description\":\"Ein Schlagloch melden\",\"metadata\":false,\"type\":\"realtime\","
                             "\"keywords\":\"Straße\",\"group\":\"Straße\"}"));

  self->server = kiosk_test_server_start ("fake-open311", port, NULL, server_cb, self, error);
  if (self->server == NULL)
    {
      kiosk_fake_open311_free (self);
      return NULL;
    }
  self->url = g_strdup (kiosk_test_server_get_url (self->server));
  return self;
}

void
kiosk_fake_open311_free (KioskFakeOpen311 *self)
{
  if (self == NULL)
    return;
  kiosk_test_server_stop (self->server);
  g_free (self->url);
  g_free (self->api_key);
  g_rand_free (self->rand);
  g_ptr_array_unref (self->services);
  g_hash_table_unref (self->definitions);
  g_ptr_array_unref (self->stored);
  g_mutex_clear (&self->mutex);
  g_free (self);
}

const char *
kiosk_fake_open311_get_url (KioskFakeOpen311 *self)
{
  return self->url;
}

void
kiosk_fake_open311_set_faults (KioskFakeOpen311             *self,
                               const KioskFakeOpen311Faults *faults)
{
  g_mutex_lock (&self->mutex);
  self->faults = *faults;
  g_mutex_unlock (&self->mutex);
}

/**
 * kiosk_fake_open311_parse_faults:
 * @spec: e.g. "drop-before=10,drop-after=10,unavailable=10,token=20:2,list-unavailable=5,delay=15"
 */
gboolean
kiosk_fake_open311_parse_faults (const char              *spec,
                                 KioskFakeOpen311Faults  *faults,
                                 GError                 **error)
{
  g_auto(GStrv) items = g_strsplit (spec, ",", -1);

  memset (faults, 0, sizeof *faults);
  for (char **item = items; *item != NULL; item++)
    {
      g_auto(GStrv) kv = g_strsplit (*item, "=", 2);
      guint64 number = 0;
      guint64 polls = 0;
      const char *value = kv[1] != NULL ? kv[1] : "";
      g_auto(GStrv) parts = g_strsplit (value, ":", 2);

      if (**item == '\0')
        continue;
      if (g_str_equal (kv[0], "delay"))
        {
          if (!g_ascii_string_to_unsigned (value, 10, 0, 60000, &number, NULL))
            {
              g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                           "fault \"%s\": expected delay=MILLISECONDS (at most 60000)", *item);
              return FALSE;
            }
          faults->delay_ms = (guint) number;
          continue;
        }
      if (!g_ascii_string_to_unsigned (parts[0] != NULL ? parts[0] : "", 10, 0, 100, &number, NULL) ||
          (parts[0] != NULL && parts[1] != NULL &&
           !g_ascii_string_to_unsigned (parts[1], 10, 0, 100, &polls, NULL)))
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                       "fault \"%s\": expected NAME=PERCENT (token=PERCENT:POLLS)", *item);
          return FALSE;
        }
      if (g_str_equal (kv[0], "drop-before"))
        faults->drop_before_pct = (guint) number;
      else if (g_str_equal (kv[0], "drop-after"))
        faults->drop_after_pct = (guint) number;
      else if (g_str_equal (kv[0], "unavailable"))
        faults->unavailable_pct = (guint) number;
      else if (g_str_equal (kv[0], "token"))
        {
          faults->token_pct = (guint) number;
          faults->token_polls = (guint) polls;
        }
      else if (g_str_equal (kv[0], "list-unavailable"))
        faults->list_unavailable_pct = (guint) number;

      else
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                       "unknown fault \"%s\" (expected drop-before, drop-after, unavailable, token, "
                       "list-unavailable, delay)", kv[0]);
          return FALSE;
        }
    }
  return TRUE;
}

/* The server's clock, for a test whose kiosk runs on a fake clock: a real
 * server and a kiosk roughly agree on the time.  0 goes back to real time. */
void
kiosk_fake_open311_set_now (KioskFakeOpen311 *self,
                            gint64            unix_us)
{
  g_mutex_lock (&self->mutex);
  self->now_us = unix_us;
  g_mutex_unlock (&self->mutex);
}

void
kiosk_fake_open311_set_seed (KioskFakeOpen311 *self,
                             guint32           seed)
{
  g_mutex_lock (&self->mutex);
  g_rand_set_seed (self->rand, seed);
  g_mutex_unlock (&self->mutex);
}

/**
 * kiosk_fake_open311_add_service:
 * @service_json: its entry in services.json
 * @definition_json: (nullable): services/{code}.json
 */
void
kiosk_fake_open311_add_service (KioskFakeOpen311 *self,
                                const char       *code,
                                const char       *service_json,
                                const char       *definition_json)
{
  g_mutex_lock (&self->mutex);
  g_ptr_array_add (self->services, g_strdup (service_json));
  if (definition_json != NULL)
    g_hash_table_replace (self->definitions, g_strdup (code), g_strdup (definition_json));
  g_mutex_unlock (&self->mutex);
}

guint
kiosk_fake_open311_get_n_posts (KioskFakeOpen311 *self)
{
  guint n;

  g_mutex_lock (&self->mutex);
  n = self->n_posts;
  g_mutex_unlock (&self->mutex);
  return n;
}

guint
kiosk_fake_open311_get_n_stored (KioskFakeOpen311 *self)
{
  guint n;

  g_mutex_lock (&self->mutex);
  n = self->stored->len;
  g_mutex_unlock (&self->mutex);
  return n;
}

guint
kiosk_fake_open311_get_n_lists (KioskFakeOpen311 *self)
{
  guint n;

  g_mutex_lock (&self->mutex);
  n = self->n_lists;
  g_mutex_unlock (&self->mutex);
  return n;
}

/* How many stored requests carry @short_code in their description. */
guint
kiosk_fake_open311_count_code (KioskFakeOpen311 *self,
                               const char       *short_code)
{
  guint n = 0;

  g_mutex_lock (&self->mutex);
  for (guint i = 0; i < self->stored->len; i++)
    {
      Stored *s = self->stored->pdata[i];
      g_autofree char *code = short_code_of (s->description);

      if (g_strcmp0 (code, short_code) == 0)
        n++;
    }
  g_mutex_unlock (&self->mutex);
  return n;
}

/* The most copies of any one short code. */
guint
kiosk_fake_open311_get_max_copies (KioskFakeOpen311 *self)
{
  g_autoptr(GHashTable) counts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  guint max = 0;

  g_mutex_lock (&self->mutex);
  for (guint i = 0; i < self->stored->len; i++)
    {
      Stored *s = self->stored->pdata[i];
      char *code = short_code_of (s->description);
      guint n;

      if (code == NULL)
        continue;
      n = GPOINTER_TO_UINT (g_hash_table_lookup (counts, code)) + 1;
      g_hash_table_replace (counts, code, GUINT_TO_POINTER (n));
      max = MAX (max, n);
    }
  g_mutex_unlock (&self->mutex);
  return max;
}

/* The form of the first request with @short_code, a "key=value" line per
 * field (the api_key left out), or NULL. */
char *
kiosk_fake_open311_dup_form (KioskFakeOpen311 *self,
                             const char       *short_code)
{
  char *form = NULL;

  g_mutex_lock (&self->mutex);
  for (guint i = 0; i < self->stored->len && form == NULL; i++)
    {
      Stored *s = self->stored->pdata[i];
      g_autofree char *code = short_code_of (s->description);

      if (g_strcmp0 (code, short_code) == 0)
        form = g_strdup (s->form);
    }
  g_mutex_unlock (&self->mutex);
  return form;
}

/* The city answers: sets the status of the request with @short_code. */
gboolean
kiosk_fake_open311_set_status (KioskFakeOpen311 *self,
                               const char       *short_code,
                               const char       *status,
                               const char       *status_notes)
{
  gboolean found = FALSE;

  g_mutex_lock (&self->mutex);
  for (guint i = 0; i < self->stored->len && !found; i++)
    {
      Stored *s = self->stored->pdata[i];
      g_autofree char *code = short_code_of (s->description);

      if (g_strcmp0 (code, short_code) == 0)
        {
          g_free (s->status);
          s->status = g_strdup (status);
          g_free (s->status_notes);
          s->status_notes = g_strdup (status_notes);
          found = TRUE;
        }
    }
  g_mutex_unlock (&self->mutex);
  return found;
}

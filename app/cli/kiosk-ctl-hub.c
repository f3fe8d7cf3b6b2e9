/* kiosk-ctl-hub.c: the city's CouchDB hub — set-up, kiosk users, status
 * pull, heartbeats, the fleet's state
 *
 * SPDX-FileCopyrightText: 2026 Stadtkiosk contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "stadtkioskctl"

#include "config.h"

#include <errno.h>
#include <glib-unix.h>
#include <glib/gstdio.h>
#include <libsoup/soup.h>
#include <signal.h>
#include <string.h>

#include "kiosk-ctl.h"
#include "kiosk-http.h"
#include "kiosk-json-private.h"

/* The hub as the city's IT sees it: a server URL with a database, and an
 * admin or city login.  The credentials come from --user/--password-file,
 * else from the kiosk's own [couchdb] user and password-file. */
typedef struct
{
  SoupSession *session;
  char        *db_url;
  char        *server_url;
  char        *authorization;   /* never printed */
  guint        timeout_s;       /* [backend] timeout */
} Hub;

static void
hub_free (Hub *hub)
{
  g_clear_object (&hub->session);
  g_free (hub->db_url);
  g_free (hub->server_url);
  if (hub->authorization != NULL)
    memset (hub->authorization, 0, strlen (hub->authorization));
  g_free (hub->authorization);
  g_free (hub);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Hub, hub_free)

/* Who logs in to the hub, as a command's options give it; every member
 * nullable (then [couchdb] url, user and password-file). */
typedef struct
{
  char *url;
  char *user;
  char *password_file;
} HubLogin;

static void
hub_login_clear (HubLogin *login)
{
  g_clear_pointer (&login->url, g_free);
  g_clear_pointer (&login->user, g_free);
  g_clear_pointer (&login->password_file, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (HubLogin, hub_login_clear)

/* The options of every command that logs in to the hub; @user_help says
 * whom the hub expects. */
#define HUB_OPTIONS(login, user_help) \
  { "url", 0, 0, G_OPTION_ARG_STRING, &(login).url, "The hub: server and database (default: [couchdb] url)", "URL" }, \
  { "user", 0, 0, G_OPTION_ARG_STRING, &(login).user, user_help, "NAME" }, \
  { "password-file", 0, 0, G_OPTION_ARG_FILENAME, &(login).password_file, "Its password (mode 0600)", "FILE" }

static char *
read_secret (const char  *path,
             const char  *what,
             GError     **error)
{
  GStatBuf st;
  g_autofree char *contents = NULL;

  if (g_stat (path, &st) != 0)
    {
      int errsv = errno;

      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (errsv), "%s %s: %s", what, path, g_strerror (errsv));
      return NULL;
    }
  if ((st.st_mode & 077) != 0)
    {
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_PERM,
                   "%s %s is readable by group or others (mode %04o); run: chmod 600 %s",
                   what, path, (guint) (st.st_mode & 07777), path);
      return NULL;
    }
  if (!g_file_get_contents (path, &contents, NULL, error))
    return NULL;
  g_strstrip (contents);
  if (*contents == '\0')
    {
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_INVAL, "%s %s is empty", what, path);
      return NULL;
    }
  return g_steal_pointer (&contents);
}

/* Opens the hub for @login (%NULL: the kiosk's own [couchdb] login). */
static Hub *
hub_open (KioskCtl        *ctl,
          const HubLogin  *login,
          GError         **error)
{
  g_autoptr(Hub) hub = g_new0 (Hub, 1);
  g_autoptr(GUri) uri = NULL;
  KioskConfig *config = NULL;
  const char *url = login != NULL ? login->url : NULL;
  const char *user = login != NULL ? login->user : NULL;
  const char *password_file = login != NULL ? login->password_file : NULL;
  const char *path;

  if (url == NULL || user == NULL)
    {
      config = kiosk_ctl_get_config (ctl, error);
      if (config == NULL)
        return NULL;
      if (url == NULL)
        url = kiosk_config_get_couchdb_url (config);
      if (user == NULL)
        {
          user = kiosk_config_get_couchdb_user (config);
          password_file = kiosk_config_get_couchdb_password_file (config);
        }
    }
  if (url == NULL || *url == '\0')
    {
      g_set_error (error, KIOSK_TARGET_ERROR, KIOSK_TARGET_ERROR_CONFIG,
                   "no hub: give --url or set [couchdb] url");
      return NULL;
    }
  hub->db_url = g_strdup (url);
  while (g_str_has_suffix (hub->db_url, "/"))
    hub->db_url[strlen (hub->db_url) - 1] = '\0';
  uri = g_uri_parse (hub->db_url, G_URI_FLAGS_NONE, NULL);
  path = uri != NULL ? g_uri_get_path (uri) : NULL;
  /* The database is the last path segment; what comes before it may be a
   * reverse proxy's prefix (https://host/couchdb/stadtkiosk). */
  if (uri == NULL || path == NULL || strlen (path) < 2)
    {
      g_set_error (error, KIOSK_TARGET_ERROR, KIOSK_TARGET_ERROR_CONFIG,
                   "%s: the hub URL must be the server and the database, e.g. https://hub.example:6984/stadtkiosk", url);
      return NULL;
    }
  hub->server_url = g_strndup (hub->db_url, strrchr (hub->db_url, '/') - hub->db_url);

  if (user != NULL && *user != '\0')
    {
      g_autofree char *password = NULL;
      g_autofree char *pair = NULL;
      g_autofree char *base64 = NULL;

      if (password_file == NULL || *password_file == '\0')
        {
          g_set_error (error, KIOSK_TARGET_ERROR, KIOSK_TARGET_ERROR_CONFIG,
                       "a hub user (%s) needs a password file", user);
          return NULL;
        }
      password = read_secret (password_file, "password file", error);
      if (password == NULL)
        return NULL;
      pair = g_strconcat (user, ":", password, NULL);
      base64 = g_base64_encode ((const guchar *) pair, strlen (pair));
      hub->authorization = g_strconcat ("Basic ", base64, NULL);
    }
  if (config == NULL)
    config = kiosk_ctl_get_config (ctl, NULL);
  hub->timeout_s = config != NULL ? kiosk_config_get_request_timeout (config) : 30;
  hub->session = kiosk_http_session_new (hub->timeout_s, 0,
                                         config != NULL ? kiosk_config_get_couchdb_ca_file (config) : NULL,
                                         "[couchdb] ca-file", error);
  if (hub->session == NULL)
    return NULL;
  return g_steal_pointer (&hub);
}

/* An answer of the hub may be large: _all_docs over every status, the
 * inbox view over every request (about 200 bytes a row). */
#define HUB_MAX_BODY (64 * 1024 * 1024)

typedef struct
{
  GBytes  *body;
  GError  *error;
  gboolean done;
} Exchange;

static void
exchange_done_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  Exchange *ex = user_data;

  ex->body = kiosk_http_send_finish (result, &ex->error);
  ex->done = TRUE;
}

/* Sends @message with the hub's login, waited for on the CLI's own main
 * context; the whole exchange within ten times [backend] timeout (a hub
 * that trickles cannot hold the command for ever) and HUB_MAX_BODY.
 * Returns: (transfer full): the body, or %NULL with @error prefixed with
 *   @what */
static GBytes *
hub_send (Hub          *hub,
          SoupMessage  *message,
          const char   *what,
          GError      **error)
{
  Exchange ex = { 0 };

  if (hub->authorization != NULL)
    soup_message_headers_replace (soup_message_get_request_headers (message), "Authorization", hub->authorization);
  kiosk_http_send_async (hub->session, message, hub->timeout_s * 10, HUB_MAX_BODY, NULL, exchange_done_cb, &ex);
  while (!ex.done)
    g_main_context_iteration (NULL, TRUE);
  if (ex.body == NULL)
    g_propagate_prefixed_error (error, ex.error, "%s: ", what);
  return ex.body;
}

/* One exchange, waited for on the CLI's own main context. */
static JsonNode *
hub_call (Hub         *hub,
          const char  *method,
          const char  *url,
          const char  *body,
          guint       *out_status,
          GError     **error)
{
  g_autoptr(SoupMessage) message = soup_message_new (method, url);
  g_autoptr(GBytes) body_bytes = NULL;
  g_autofree char *what = NULL;
  JsonNode *node;

  *out_status = 0;
  if (message == NULL)
    {
      g_set_error (error, KIOSK_TARGET_ERROR, KIOSK_TARGET_ERROR_CONFIG, "%s is not a URL", url);
      return NULL;
    }
  soup_message_headers_replace (soup_message_get_request_headers (message), "Accept", "application/json");
  if (body != NULL)
    {
      g_autoptr(GBytes) bytes = g_bytes_new (body, strlen (body));

      soup_message_set_request_body_from_bytes (message, "application/json", bytes);
    }
  what = g_strdup_printf ("%s %s", method, hub->db_url);
  body_bytes = hub_send (hub, message, what, error);
  if (body_bytes == NULL)
    return NULL;
  *out_status = soup_message_get_status (message);
  /* The strict reader with its depth limit (#12). */
  node = kiosk_json_parse_bytes (body_bytes, KIOSK_JSON_OUTSIDE_DEPTH, NULL);
  return node != NULL ? node : json_node_new (JSON_NODE_NULL);
}

static const char *
node_reason (JsonNode *node)
{
  if (node != NULL && JSON_NODE_HOLDS_OBJECT (node))
    return json_object_get_string_member_with_default (json_node_get_object (node), "reason", "");
  return "";
}

static gboolean
expect (guint        status,
        JsonNode    *answer,
        const char  *what,
        GError     **error)
{
  if (status >= 200 && status < 300)
    return TRUE;
  if (status == 401 || status == 403)
    g_set_error (error, KIOSK_TARGET_ERROR, KIOSK_TARGET_ERROR_HTTP,
                 "%s: HTTP %u: the hub refuses this login (give --user and --password-file of an admin) %s",
                 what, status, node_reason (answer));
  else
    g_set_error (error, KIOSK_TARGET_ERROR, KIOSK_TARGET_ERROR_HTTP, "%s: HTTP %u %s", what, status, node_reason (answer));
  return FALSE;
}

static char *
design_doc_path (void)
{
  const char *dir = g_getenv ("STADTKIOSK_DATADIR");

  if (dir != NULL)
    return g_build_filename (dir, "couchdb", "stadtkiosk-design.json", NULL);
  return g_build_filename (KIOSK_DATADIR, "couchdb", "stadtkiosk-design.json", NULL);
}

/* hub setup: the database, its _security and the design document. */
int
kiosk_ctl_hub_setup (KioskCtl  *ctl,
                     int        argc,
                     char     **argv)
{
  g_auto(HubLogin) login = { 0 };
  g_autofree char *design_file = NULL;
  const GOptionEntry entries[] = {
    HUB_OPTIONS (login, "An admin of the hub"),
    { "design", 0, 0, G_OPTION_ARG_FILENAME, &design_file, "The design document (default: the installed one)", "FILE" },
    { NULL }
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(Hub) hub = NULL;
  g_autoptr(JsonNode) answer = NULL;
  g_autoptr(JsonNode) existing = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autofree char *design_text = NULL;
  g_autofree char *security_url = NULL;
  g_autofree char *design_url = NULL;
  g_autofree char *body = NULL;
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  JsonObject *design;
  gboolean created;
  guint status;

  if (!kiosk_ctl_parse (ctl, "- create the hub's database, _security and design document", entries, &argc, &argv, 0, 0))
    return KIOSK_CTL_EXIT_USAGE;

  hub = hub_open (ctl, &login, &error);
  if (hub == NULL)
    return kiosk_ctl_fail (ctl, error);

  if (design_file == NULL)
    design_file = design_doc_path ();
  if (!g_file_get_contents (design_file, &design_text, NULL, &error) ||
      !json_parser_load_from_data (parser, design_text, -1, &error) ||
      !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    {
      if (error == NULL)
        g_set_error (&error, G_FILE_ERROR, G_FILE_ERROR_INVAL, "%s: not a JSON object", design_file);
      g_prefix_error (&error, "design document %s: ", design_file);
      return kiosk_ctl_fail (ctl, error);
    }
  design = json_node_get_object (json_parser_get_root (parser));

  answer = hub_call (hub, "PUT", hub->db_url, NULL, &status, &error);
  if (answer == NULL)
    return kiosk_ctl_fail (ctl, error);
  created = status == 201;
  if (status != 412 && !expect (status, answer, "creating the database", &error))
    return kiosk_ctl_fail (ctl, error);
  g_clear_pointer (&answer, json_node_unref);

  /* Kiosks (role kiosk) write, the city (role city) reads and answers;
   * validate_doc_update says what each may write. */
  security_url = g_strconcat (hub->db_url, "/_security", NULL);
  answer = hub_call (hub, "PUT", security_url,
                     "{\"admins\":{\"names\":[],\"roles\":[\"city\"]},"
                     "\"members\":{\"names\":[],\"roles\":[\"kiosk\",\"city\"]}}", &status, &error);
  if (answer == NULL || !expect (status, answer, "setting _security", &error))
    return kiosk_ctl_fail (ctl, error);
  g_clear_pointer (&answer, json_node_unref);

  design_url = g_strconcat (hub->db_url, "/", KIOSK_COUCHDB_DESIGN, NULL);
  existing = hub_call (hub, "GET", design_url, NULL, &status, &error);
  if (existing == NULL)
    return kiosk_ctl_fail (ctl, error);
  if (status == 200 && JSON_NODE_HOLDS_OBJECT (existing))
    json_object_set_string_member (design, "_rev",
                                   json_object_get_string_member_with_default (json_node_get_object (existing), "_rev", ""));
  json_object_set_string_member (design, "_id", KIOSK_COUCHDB_DESIGN);
  json_generator_set_root (generator, json_parser_get_root (parser));
  body = json_generator_to_data (generator, NULL);
  answer = hub_call (hub, "PUT", design_url, body, &status, &error);
  if (answer == NULL || !expect (status, answer, "writing the design document", &error))
    return kiosk_ctl_fail (ctl, error);

  if (ctl->json)
    {
      g_autoptr(JsonNode) root = json_node_new (JSON_NODE_OBJECT);
      JsonObject *o = json_object_new ();

      json_object_set_string_member (o, "database", hub->db_url);
      json_object_set_boolean_member (o, "created", created);
      json_object_set_string_member (o, "design", KIOSK_COUCHDB_DESIGN);
      json_node_take_object (root, o);
      kiosk_ctl_print_json (root);
    }
  else
    g_print ("Hub %s %s; _security and %s set.\n", hub->db_url, created ? "created" : "already there",
             KIOSK_COUCHDB_DESIGN);
  return KIOSK_CTL_EXIT_OK;
}

/* hub add-kiosk ID: the kiosk's own hub user, kiosk-<id> with role kiosk. */
int
kiosk_ctl_hub_add_kiosk (KioskCtl  *ctl,
                         int        argc,
                         char     **argv)
{
  g_auto(HubLogin) login = { 0 };
  g_autofree char *kiosk_password_file = NULL;
  const GOptionEntry entries[] = {
    HUB_OPTIONS (login, "An admin of the hub"),
    { "kiosk-password-file", 0, 0, G_OPTION_ARG_FILENAME, &kiosk_password_file,
      "The kiosk's password (mode 0600; the kiosk's [couchdb] password-file)", "FILE" },
    { NULL }
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(Hub) hub = NULL;
  g_autoptr(JsonNode) answer = NULL;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *password = NULL;
  g_autofree char *name = NULL;
  g_autofree char *escaped = NULL;
  g_autofree char *user_url = NULL;
  g_autofree char *body = NULL;
  guint status;

  if (!kiosk_ctl_parse (ctl, "KIOSK_ID - create a kiosk's hub user (kiosk-KIOSK_ID, role kiosk)", entries,
                        &argc, &argv, 1, 1))
    return KIOSK_CTL_EXIT_USAGE;
  if (kiosk_password_file == NULL)
    return kiosk_ctl_usage (ctl, "--kiosk-password-file is required");

  hub = hub_open (ctl, &login, &error);
  if (hub == NULL)
    return kiosk_ctl_fail (ctl, error);
  password = read_secret (kiosk_password_file, "kiosk password file", &error);
  if (password == NULL)
    return kiosk_ctl_fail (ctl, error);

  name = g_strconcat ("kiosk-", argv[1], NULL);
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "name");
  json_builder_add_string_value (builder, name);
  json_builder_set_member_name (builder, "password");
  json_builder_add_string_value (builder, password);
  json_builder_set_member_name (builder, "roles");
  json_builder_begin_array (builder);
  json_builder_add_string_value (builder, "kiosk");
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "type");
  json_builder_add_string_value (builder, "user");
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  body = json_generator_to_data (generator, NULL);

  escaped = g_uri_escape_string (name, NULL, FALSE);
  user_url = g_strconcat (hub->server_url, "/_users/org.couchdb.user:", escaped, NULL);
  answer = hub_call (hub, "PUT", user_url, body, &status, &error);
  memset (body, 0, strlen (body));
  if (answer == NULL || !expect (status, answer, "creating the kiosk's user", &error))
    return kiosk_ctl_fail (ctl, error);
  if (!ctl->json)
    g_print ("Hub user %s created (role kiosk).\n", name);
  else
    {
      g_autoptr(JsonNode) out = json_node_new (JSON_NODE_OBJECT);
      JsonObject *o = json_object_new ();

      json_object_set_string_member (o, "user", name);
      json_node_take_object (out, o);
      kiosk_ctl_print_json (out);
    }
  return KIOSK_CTL_EXIT_OK;
}

typedef struct
{
  gboolean  done;
  gboolean  ok;
  guint     n;
  GError   *error;
} Wait;

static void
pulled_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  Wait *wait = user_data;

  wait->ok = kiosk_couchdb_target_pull_status_finish (KIOSK_COUCHDB_TARGET (object), result, &wait->n, &wait->error);
  wait->done = TRUE;
}

static void
put_cb (GObject      *object,
        GAsyncResult *result,
        gpointer      user_data)
{
  Wait *wait = user_data;

  wait->ok = kiosk_couchdb_target_put_doc_finish (KIOSK_COUCHDB_TARGET (object), result, &wait->error);
  wait->done = TRUE;
}

static KioskCouchdbTarget *
kiosk_target (KioskCtl      *ctl,
              KioskContext **out_context,
              GError       **error)
{
  KioskContext *context = kiosk_ctl_get_context (ctl, error);

  if (context == NULL)
    return NULL;
  *out_context = context;
  return kiosk_couchdb_target_new (kiosk_context_get_config (context), kiosk_context_get_clock (context), 1, error);
}

/* hub pull: the city's status for this kiosk's requests, once. */
int
kiosk_ctl_hub_pull (KioskCtl  *ctl,
                    int        argc,
                    char     **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KioskCouchdbTarget) target = NULL;
  KioskContext *context = NULL;
  Wait wait = { 0 };

  if (!kiosk_ctl_parse (ctl, "- read the city's status for this kiosk's requests from the hub", NULL,
                        &argc, &argv, 0, 0))
    return KIOSK_CTL_EXIT_USAGE;
  target = kiosk_target (ctl, &context, &error);
  if (target == NULL)
    return kiosk_ctl_fail (ctl, error);
  kiosk_couchdb_target_pull_status_async (target, kiosk_context_get_outbox (context), NULL, pulled_cb, &wait);
  while (!wait.done)
    g_main_context_iteration (NULL, TRUE);
  if (!wait.ok)
    {
      int rc = kiosk_ctl_fail (ctl, wait.error);

      g_clear_error (&wait.error);
      return rc;
    }
  if (ctl->json)
    {
      g_autoptr(JsonNode) root = json_node_new (JSON_NODE_OBJECT);
      JsonObject *o = json_object_new ();

      json_object_set_int_member (o, "updated", wait.n);
      json_node_take_object (root, o);
      kiosk_ctl_print_json (root);
    }
  else
    g_print ("%u request(s) with news from the city.\n", wait.n);
  return KIOSK_CTL_EXIT_OK;
}

/* hub heartbeat: write kiosk:<id> once (the kiosk does it every
 * heartbeat-interval; this is for timers and tests). */
int
kiosk_ctl_hub_heartbeat (KioskCtl  *ctl,
                         int        argc,
                         char     **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KioskCouchdbTarget) target = NULL;
  g_autoptr(JsonObject) doc = NULL;
  g_autofree char *id = NULL;
  KioskContext *context = NULL;
  Wait wait = { 0 };

  if (!kiosk_ctl_parse (ctl, "- write this kiosk's heartbeat (kiosk:ID) to the hub", NULL, &argc, &argv, 0, 0))
    return KIOSK_CTL_EXIT_USAGE;
  target = kiosk_target (ctl, &context, &error);
  if (target == NULL)
    return kiosk_ctl_fail (ctl, error);
  doc = kiosk_heartbeat_build (context, 0, NULL, &error);
  if (doc == NULL)
    return kiosk_ctl_fail (ctl, error);
  id = g_strconcat ("kiosk:", kiosk_config_get_kiosk_id (kiosk_context_get_config (context)), NULL);
  kiosk_couchdb_target_put_doc_async (target, id, doc, NULL, put_cb, &wait);
  while (!wait.done)
    g_main_context_iteration (NULL, TRUE);
  if (!wait.ok)
    {
      int rc;

      g_prefix_error (&wait.error, "heartbeat %s to %s: ", id, kiosk_couchdb_target_get_db_url (target));
      rc = kiosk_ctl_fail (ctl, wait.error);
      g_clear_error (&wait.error);
      return rc;
    }
  if (ctl->json)
    {
      g_autoptr(JsonNode) root = json_node_new (JSON_NODE_OBJECT);

      json_node_set_object (root, doc);
      kiosk_ctl_print_json (root);
    }
  else
    g_print ("Heartbeat %s written.\n", id);
  return KIOSK_CTL_EXIT_OK;
}

static gint64
parse_time (const char *text)
{
  g_autoptr(GDateTime) time = text != NULL ? g_date_time_new_from_iso8601 (text, NULL) : NULL;

  return time != NULL ? g_date_time_to_unix (time) * G_USEC_PER_SEC : 0;
}

/* fleet status: every kiosk's heartbeat; silent for more than three
 * intervals, or with alerts, is flagged (and the exit status is 1). */
int
kiosk_ctl_fleet_status (KioskCtl  *ctl,
                        int        argc,
                        char     **argv)
{
  g_auto(HubLogin) login = { 0 };
  const GOptionEntry entries[] = {
    HUB_OPTIONS (login, "A city or admin user of the hub"),
    { NULL }
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(Hub) hub = NULL;
  g_autoptr(JsonNode) answer = NULL;
  g_autoptr(JsonArray) out = json_array_new ();
  g_autofree char *view_url = NULL;
  JsonArray *rows;
  gint64 now = g_get_real_time ();
  guint flagged = 0;
  guint status;

  if (!kiosk_ctl_parse (ctl, "- every kiosk's heartbeat, silent or alerting ones flagged", entries, &argc, &argv, 0, 0))
    return KIOSK_CTL_EXIT_USAGE;
  hub = hub_open (ctl, &login, &error);
  if (hub == NULL)
    return kiosk_ctl_fail (ctl, error);

  /* _all_docs over the kiosk: range needs no design document. */
  view_url = g_strconcat (hub->db_url, "/_all_docs?include_docs=true&startkey=%22kiosk%3A%22&endkey=%22kiosk%3A%EF%BF%B0%22",
                          NULL);
  answer = hub_call (hub, "GET", view_url, NULL, &status, &error);
  if (answer == NULL || !expect (status, answer, "reading the heartbeats", &error))
    return kiosk_ctl_fail (ctl, error);
  if (!JSON_NODE_HOLDS_OBJECT (answer) ||
      !json_object_has_member (json_node_get_object (answer), "rows") ||
      !JSON_NODE_HOLDS_ARRAY (json_object_get_member (json_node_get_object (answer), "rows")))
    {
      g_set_error (&error, KIOSK_TARGET_ERROR, KIOSK_TARGET_ERROR_HTTP, "%s: not a CouchDB _all_docs answer", hub->db_url);
      return kiosk_ctl_fail (ctl, error);
    }
  rows = json_object_get_array_member (json_node_get_object (answer), "rows");

  for (guint i = 0; i < json_array_get_length (rows); i++)
    {
      JsonNode *row = json_array_get_element (rows, i);
      JsonObject *doc;
      JsonObject *o;
      const char *kiosk_id;
      gint64 updated;
      gint64 interval;
      guint n_alerts = 0;
      gboolean silent;

      if (!JSON_NODE_HOLDS_OBJECT (row) || !json_object_has_member (json_node_get_object (row), "doc") ||
          !JSON_NODE_HOLDS_OBJECT (json_object_get_member (json_node_get_object (row), "doc")))
        continue;
      doc = json_object_get_object_member (json_node_get_object (row), "doc");
      if (g_strcmp0 (json_object_get_string_member_with_default (doc, "type", ""), "kiosk") != 0)
        continue;
      kiosk_id = json_object_get_string_member_with_default (doc, "kiosk_id", "?");
      updated = parse_time (json_object_get_string_member_with_default (doc, "updated", NULL));
      interval = json_object_get_int_member_with_default (doc, "heartbeat_interval", 300);
      if (json_object_has_member (doc, "alerts") && JSON_NODE_HOLDS_ARRAY (json_object_get_member (doc, "alerts")))
        n_alerts = json_array_get_length (json_object_get_array_member (doc, "alerts"));
      silent = updated == 0 || now - updated > 3 * MAX (interval, 1) * G_USEC_PER_SEC;
      if (silent || n_alerts > 0)
        flagged++;

      o = json_object_new ();
      json_object_set_string_member (o, "kiosk_id", kiosk_id);
      json_object_set_string_member (o, "updated", json_object_get_string_member_with_default (doc, "updated", ""));
      json_object_set_int_member (o, "silent_s", updated > 0 ? (now - updated) / G_USEC_PER_SEC : -1);
      json_object_set_boolean_member (o, "silent", silent);
      json_object_set_int_member (o, "alerts", n_alerts);
      if (json_object_has_member (doc, "queue"))
        json_object_set_member (o, "queue", json_node_copy (json_object_get_member (doc, "queue")));
      json_object_set_string_member (o, "version", json_object_get_string_member_with_default (doc, "version", ""));
      json_array_add_object_element (out, o);

      if (!ctl->json)
        {
          JsonObject *queue = json_object_has_member (doc, "queue") &&
                              JSON_NODE_HOLDS_OBJECT (json_object_get_member (doc, "queue"))
                              ? json_object_get_object_member (doc, "queue") : NULL;

          g_print ("%-20s %-22s queued %-5" G_GINT64_FORMAT " rejected %-4" G_GINT64_FORMAT " alerts %-3u %s\n",
                   kiosk_id, json_object_get_string_member_with_default (doc, "updated", "?"),
                   queue != NULL ? json_object_get_int_member_with_default (queue, "queued", 0) : 0,
                   queue != NULL ? json_object_get_int_member_with_default (queue, "rejected", 0) : 0,
                   n_alerts, silent ? "SILENT" : (n_alerts > 0 ? "ALERT" : "ok"));
        }
    }

  if (ctl->json)
    {
      g_autoptr(JsonNode) root = json_node_new (JSON_NODE_ARRAY);

      json_node_set_array (root, out);
      kiosk_ctl_print_json (root);
    }
  else if (json_array_get_length (out) == 0)
    g_print ("No kiosk has written a heartbeat yet.\n");
  return flagged == 0 ? KIOSK_CTL_EXIT_OK : KIOSK_CTL_EXIT_FAILURE;
}

/* ---- Signed catalogue bundles --------------------------------------------- */

/* keys generate-catalog --secret F --public F */
int
kiosk_ctl_keys_generate_catalog (KioskCtl  *ctl,
                                 int        argc,
                                 char     **argv)
{
  g_autofree char *secret = NULL;
  g_autofree char *public = NULL;
  const GOptionEntry entries[] = {
    { "secret", 0, 0, G_OPTION_ARG_FILENAME, &secret, "Where the signing key goes (mode 0600; the city's IT only)", "FILE" },
    { "public", 0, 0, G_OPTION_ARG_FILENAME, &public, "Where the public key goes (every kiosk's [keys] catalog-public-key)", "FILE" },
    { NULL }
  };
  g_autoptr(GError) error = NULL;

  if (!kiosk_ctl_parse (ctl, "- create the key pair that signs catalogues", entries, &argc, &argv, 0, 0))
    return KIOSK_CTL_EXIT_USAGE;
  if (secret == NULL || public == NULL)
    return kiosk_ctl_usage (ctl, "--secret and --public are required");
  if (!kiosk_catalog_bundle_generate_keys (secret, public, &error))
    return kiosk_ctl_fail (ctl, error);
  if (!ctl->json)
    g_print ("Catalogue signing key: %s (keep it secret)\nPublic key for the kiosks: %s\n", secret, public);
  return KIOSK_CTL_EXIT_OK;
}

/* catalog sign FILE --key F --output BUNDLE */
int
kiosk_ctl_catalog_sign (KioskCtl  *ctl,
                        int        argc,
                        char     **argv)
{
  g_autofree char *key = NULL;
  g_autofree char *output = NULL;
  const GOptionEntry entries[] = {
    { "key", 0, 0, G_OPTION_ARG_FILENAME, &key, "The catalogue signing key", "FILE" },
    { "output", 0, 0, G_OPTION_ARG_FILENAME, &output, "Where the bundle goes", "BUNDLE" },
    { NULL }
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GBytes) bundle = NULL;
  g_autoptr(KioskCatalog) catalog = NULL;
  char *contents = NULL;
  gsize len;

  if (!kiosk_ctl_parse (ctl, "FILE - sign a catalogue (Ed25519 over its exact bytes and version)", entries,
                        &argc, &argv, 1, 1))
    return KIOSK_CTL_EXIT_USAGE;
  if (key == NULL || output == NULL)
    return kiosk_ctl_usage (ctl, "--key and --output are required");
  if (!g_file_get_contents (argv[1], &contents, &len, &error))
    return kiosk_ctl_fail (ctl, error);
  bytes = g_bytes_new_take (contents, len);
  /* Only a valid catalogue is worth a signature. */
  catalog = kiosk_catalog_new_from_bytes (bytes, argv[1], &error);
  if (catalog == NULL)
    return kiosk_ctl_fail (ctl, error);
  bundle = kiosk_catalog_bundle_sign (bytes, kiosk_catalog_get_version (catalog), key, &error);
  if (bundle == NULL ||
      !g_file_set_contents (output, g_bytes_get_data (bundle, NULL), (gssize) g_bytes_get_size (bundle), &error))
    return kiosk_ctl_fail (ctl, error);
  if (!ctl->json)
    g_print ("Catalogue %s (version %s) signed into %s.\n", argv[1], kiosk_catalog_get_version (catalog), output);
  return KIOSK_CTL_EXIT_OK;
}

/**
 * kiosk_ctl_catalog_unwrap:
 * @bytes: what an admin gave to import
 * @what: where it came from, for messages
 *
 * With [keys] catalog-public-key set, only a bundle signed by that key and
 * not older than the active catalogue passes; a refusal is remembered for
 * the alert, and the last good catalogue stays.  Without the key, a plain
 * catalogue passes and a bundle is refused (it cannot be checked).
 *
 * Returns: (transfer full): the catalogue's bytes, or %NULL with @error set
 */
GBytes *
kiosk_ctl_catalog_unwrap (KioskCtl    *ctl,
                          GBytes      *bytes,
                          const char  *what,
                          GError     **error)
{
  KioskContext *context = kiosk_ctl_get_context (ctl, error);

  if (context == NULL)
    return NULL;
  /* The same rule as the Submission API's catalogue pull (kiosk-sync.c). */
  return kiosk_catalog_bundle_unwrap (kiosk_context_get_store (context),
                                      kiosk_config_get_catalog_public_key_file (kiosk_context_get_config (context)),
                                      bytes, what, error);
}

/* ---- The city's inbox, without a screen ----------------------------------- */

static const char * const inbox_statuses[] = { "received", "in_progress", "done", "rejected", NULL };

/* The city's status document for one request; %NULL (no error) when
 * there is none yet. */
static JsonObject *
read_status (Hub         *hub,
             const char  *id,
             GError     **error)
{
  g_autofree char *escaped = g_uri_escape_string (id, NULL, FALSE);
  g_autofree char *url = g_strconcat (hub->db_url, "/status%3A", escaped, NULL);
  g_autoptr(JsonNode) answer = NULL;
  guint status;

  answer = hub_call (hub, "GET", url, NULL, &status, error);
  if (answer == NULL)
    return NULL;
  if (status == 404)
    return NULL;
  if (!expect (status, answer, "reading the city's status", error))
    return NULL;
  if (!JSON_NODE_HOLDS_OBJECT (answer))
    {
      g_set_error (error, KIOSK_TARGET_ERROR, KIOSK_TARGET_ERROR_HTTP, "the status of %s at the hub is not a document", id);
      return NULL;
    }
  return json_object_ref (json_node_get_object (answer));
}

/* A submission by its UUID or short code. */
static JsonObject *
find_submission (Hub         *hub,
                 const char  *id_or_code,
                 GError     **error)
{
  g_autoptr(JsonNode) answer = NULL;
  g_autofree char *url = NULL;
  g_autofree char *id = NULL;
  guint status;

  if (g_uuid_string_is_valid (id_or_code))
    id = g_ascii_strdown (id_or_code, -1);
  else
    {
      g_autofree char *code = kiosk_short_code_normalize (id_or_code, error);
      g_autofree char *key = NULL;
      g_autofree char *escaped = NULL;
      JsonArray *rows;

      if (code == NULL)
        return NULL;
      key = g_strdup_printf ("\"%s\"", code);
      escaped = g_uri_escape_string (key, NULL, FALSE);
      url = g_strdup_printf ("%s/%s/_view/inbox_by_short_code?key=%s", hub->db_url, KIOSK_COUCHDB_DESIGN, escaped);
      answer = hub_call (hub, "GET", url, NULL, &status, error);
      if (answer == NULL || !expect (status, answer, "looking up the short code", error))
        return NULL;
      rows = JSON_NODE_HOLDS_OBJECT (answer) ? json_object_get_array_member (json_node_get_object (answer), "rows") : NULL;
      if (rows == NULL || json_array_get_length (rows) == 0)
        {
          g_set_error (error, KIOSK_TARGET_ERROR, KIOSK_TARGET_ERROR_HTTP, "no request %s at the hub", code);
          return NULL;
        }
      id = g_strdup (json_object_get_string_member (json_array_get_object_element (rows, 0), "id"));
      g_clear_pointer (&answer, json_node_unref);
      g_clear_pointer (&url, g_free);
    }
  {
    g_autofree char *escaped = g_uri_escape_string (id, NULL, FALSE);

    url = g_strconcat (hub->db_url, "/", escaped, NULL);
  }
  answer = hub_call (hub, "GET", url, NULL, &status, error);
  if (answer == NULL)
    return NULL;
  if (status == 404)
    {
      g_set_error (error, KIOSK_TARGET_ERROR, KIOSK_TARGET_ERROR_HTTP, "no request %s at the hub", id);
      return NULL;
    }
  if (!expect (status, answer, "reading the request", error))
    return NULL;
  if (!JSON_NODE_HOLDS_OBJECT (answer) ||
      g_strcmp0 (json_object_get_string_member_with_default (json_node_get_object (answer), "type", ""), "submission") != 0)
    {
      g_set_error (error, KIOSK_TARGET_ERROR, KIOSK_TARGET_ERROR_HTTP, "%s at the hub is not a submission", id);
      return NULL;
    }
  return json_object_ref (json_node_get_object (answer));
}

/* One page of the hub's inbox through the core's paging
 * (kiosk-hub-inbox.c, the counter's screen reads the same way). */
typedef struct
{
  GListModel *list;
  char       *next;
  guint       more;
  GError     *error;
  gboolean    done;
} InboxPage;

static void
inbox_page_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  InboxPage *page = user_data;

  page->list = kiosk_hub_inbox_list_page_finish (KIOSK_HUB_INBOX (object), result, &page->next, &page->more,
                                                 &page->error);
  page->done = TRUE;
}

#define INBOX_LIST_DEFAULT 50
#define INBOX_LIST_MAX 100000

/* inbox list [--status S] [--service ID] [--limit N] [--from CURSOR]:
 * newest first, at most N, read from the hub a page at a time. */
int
kiosk_ctl_inbox_list (KioskCtl  *ctl,
                      int        argc,
                      char     **argv)
{
  g_auto(HubLogin) login = { 0 };
  g_autofree char *want_status = NULL;
  g_autofree char *want_service = NULL;
  g_autofree char *from = NULL;
  int limit = INBOX_LIST_DEFAULT;
  const GOptionEntry entries[] = {
    HUB_OPTIONS (login, "A city user of the hub (default: [couchdb] user)"),
    { "status", 0, 0, G_OPTION_ARG_STRING, &want_status, "Only requests with this city status (new for none yet)", "STATUS" },
    { "service", 0, 0, G_OPTION_ARG_STRING, &want_service, "Only requests for this service", "ID" },
    { "limit", 0, 0, G_OPTION_ARG_INT, &limit, "List at most N requests (default: 50)", "N" },
    { "from", 0, 0, G_OPTION_ARG_STRING, &from, "Go on where an earlier list stopped", "CURSOR" },
    { NULL }
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(KioskHubInbox) inbox = NULL;
  g_autoptr(JsonArray) out = json_array_new ();
  g_autofree char *next = NULL;
  gboolean filtered;
  guint more = 0;
  guint looked_at = 0;
  KioskConfig *config;

  if (!kiosk_ctl_parse (ctl, "- requests at the hub, newest first", entries, &argc, &argv, 0, 0))
    return KIOSK_CTL_EXIT_USAGE;
  if (limit < 1 || limit > INBOX_LIST_MAX)
    return kiosk_ctl_usage (ctl, "--limit must be 1 to 100000");
  if (want_status != NULL && !g_str_equal (want_status, "new") && !g_strv_contains (inbox_statuses, want_status))
    return kiosk_ctl_usage (ctl, "--status must be new, received, in_progress, done or rejected");
  config = kiosk_ctl_get_config (ctl, &error);
  if (config == NULL)
    return kiosk_ctl_fail (ctl, error);
  inbox = kiosk_hub_inbox_new (config, login.url, login.user, login.password_file, &error);
  if (inbox == NULL)
    return kiosk_ctl_fail (ctl, error);
  filtered = want_status != NULL || want_service != NULL;
  next = g_strdup (from);

  /* Pages of at most the rest that is wanted: the last page ends exactly
   * at the last request listed, so its cursor is where to go on.  With a
   * filter the walk goes on until enough match or the hub ends. */
  do
    {
      InboxPage page = { 0 };
      g_autoptr(GListModel) list = NULL;
      g_autofree char *at = g_steal_pointer (&next);
      guint want = (guint) limit - json_array_get_length (out);

      kiosk_hub_inbox_list_page_async (inbox, at, MIN (want, KIOSK_HUB_INBOX_LIMIT), NULL, inbox_page_cb, &page);
      while (!page.done)
        g_main_context_iteration (NULL, TRUE);
      if (page.list == NULL)
        {
          g_propagate_prefixed_error (&error, page.error, "%s: ", kiosk_hub_inbox_get_url (inbox));
          return kiosk_ctl_fail (ctl, error);
        }
      list = page.list;
      next = page.next;
      more = page.more;
      if (next != NULL && at != NULL && g_str_equal (next, at))
        {
          g_set_error (&error, KIOSK_TARGET_ERROR, KIOSK_TARGET_ERROR_HTTP,
                       "%s: the hub gave the same page twice (%s); stopped", kiosk_hub_inbox_get_url (inbox), at);
          return kiosk_ctl_fail (ctl, error);
        }
      looked_at += g_list_model_get_n_items (list);
      for (guint i = 0; i < g_list_model_get_n_items (list); i++)
        {
          g_autoptr(KioskInboxEntry) entry = g_list_model_get_item (list, i);
          const char *city_status = kiosk_inbox_entry_get_status (entry);
          const char *service = kiosk_inbox_entry_get_service_id (entry);
          JsonObject *o;

          if ((want_status != NULL && g_strcmp0 (want_status, city_status) != 0) ||
              (want_service != NULL && g_strcmp0 (want_service, service) != 0))
            continue;
          o = json_object_new ();
          json_object_set_string_member (o, "id", kiosk_inbox_entry_get_id (entry));
          json_object_set_string_member (o, "short_code", kiosk_inbox_entry_get_short_code (entry));
          json_object_set_string_member (o, "service_id", service);
          json_object_set_string_member (o, "kiosk_id", kiosk_inbox_entry_get_kiosk_id (entry));
          json_object_set_string_member (o, "created", kiosk_inbox_entry_get_created (entry));
          json_object_set_string_member (o, "status", city_status);
          json_array_add_object_element (out, o);
          if (!ctl->json)
            g_print ("%-15s %-20s %-24s %-12s %s\n", kiosk_inbox_entry_get_short_code (entry),
                     kiosk_inbox_entry_get_created (entry), service, city_status,
                     kiosk_inbox_entry_get_kiosk_id (entry));
        }
    }
  while (next != NULL && json_array_get_length (out) < (guint) limit);

  if (next == NULL)
    more = 0;
  if (ctl->json)
    {
      g_autoptr(JsonNode) root = json_node_new (JSON_NODE_OBJECT);
      JsonObject *o = json_object_new ();

      json_object_set_array_member (o, "requests", json_array_ref (out));
      /* Requests after the last one looked at (with a filter not all of
       * them match); null: there are more, the hub does not say how many. */
      if (more == G_MAXUINT)
        json_object_set_null_member (o, "more");
      else
        json_object_set_int_member (o, "more", more);
      if (next != NULL)
        json_object_set_string_member (o, "next", next);
      else
        json_object_set_null_member (o, "next");
      json_object_set_int_member (o, "looked_at", looked_at);
      json_node_take_object (root, o);
      kiosk_ctl_print_json (root);
    }
  else
    {
      if (json_array_get_length (out) == 0)
        g_print ("No requests.\n");
      if (next != NULL)
        {
          g_autofree char *count = more == G_MAXUINT ? g_strdup ("More") : g_strdup_printf ("%u more", more);
          /* The cursor holds a kiosk's "created" text: quoted for a shell. */
          g_autofree char *quoted = g_shell_quote (next);

          g_print ("%s%s; go on with: stadtkioskctl inbox list --from %s\n", count,
                   filtered ? " (not looked at yet)" : "", quoted);
        }
    }
  return KIOSK_CTL_EXIT_OK;
}

/* inbox show ID|CODE: the request; sealed answers opened with the city key. */
int
kiosk_ctl_inbox_show (KioskCtl  *ctl,
                      int        argc,
                      char     **argv)
{
  g_auto(HubLogin) login = { 0 };
  g_autofree char *city_key = NULL;
  g_autofree char *lang_option = NULL;
  g_auto(GStrv) trust = NULL;
  const GOptionEntry entries[] = {
    HUB_OPTIONS (login, "A city user of the hub (default: [couchdb] user)"),
    { "locale", 0, 0, G_OPTION_ARG_STRING, &lang_option, "The labels' language (default: de)", "LANG" },
    { "city-key", 0, 0, G_OPTION_ARG_FILENAME, &city_key, "The city's secret key (default: [keys] city-secret-key)", "FILE" },
    { "trust", 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &trust, "A trusted kiosk's public key (repeatable)", "FILE" },
    { NULL }
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(Hub) hub = NULL;
  g_autoptr(JsonObject) doc = NULL;
  g_autoptr(JsonObject) city = NULL;
  g_autoptr(JsonNode) answers = NULL;
  const char *format;
  const char *lang;

  if (!kiosk_ctl_parse (ctl, "ID|CODE - one request at the hub, its answers opened", entries, &argc, &argv, 1, 1))
    return KIOSK_CTL_EXIT_USAGE;
  lang = lang_option != NULL ? lang_option : "de";
  hub = hub_open (ctl, &login, &error);
  if (hub == NULL)
    return kiosk_ctl_fail (ctl, error);
  doc = find_submission (hub, argv[1], &error);
  if (doc == NULL)
    return kiosk_ctl_fail (ctl, error);
  city = read_status (hub, json_object_get_string_member_with_default (doc, "_id", ""), &error);
  if (city == NULL && error != NULL)
    return kiosk_ctl_fail (ctl, error);

  format = json_object_get_string_member_with_default (doc, "answers_format", "");
  {
    /* Opened as the counter's inbox screen does (kiosk-hub-inbox.c). */
    g_autoptr(KioskKeys) keys = NULL;

    if (g_str_equal (format, "sealed"))
      {
        KioskConfig *config = kiosk_ctl_get_config (ctl, &error);

        if (config == NULL)
          return kiosk_ctl_fail (ctl, error);
        keys = kiosk_keys_load_for_counter (config, city_key, (const char * const *) trust, &error);
        if (keys == NULL)
          return kiosk_ctl_fail (ctl, error);
      }
    answers = kiosk_hub_inbox_open_answers (doc, keys, &error);
    if (answers == NULL)
      return kiosk_ctl_fail (ctl, error);
  }

  if (ctl->json)
    {
      g_autoptr(JsonNode) root = json_node_new (JSON_NODE_OBJECT);
      JsonObject *o = json_object_new ();
      const char *members[] = { "_id", "short_code", "kiosk_id", "service_id", "created", "locale" };

      for (guint i = 0; i < G_N_ELEMENTS (members); i++)
        json_object_set_string_member (o, members[i][0] == '_' ? "id" : members[i],
                                       json_object_get_string_member_with_default (doc, members[i], ""));
      json_object_set_string_member (o, "status", city != NULL ? json_object_get_string_member_with_default (city, "status", "new") : "new");
      if (answers != NULL)
        json_object_set_member (o, "answers", g_steal_pointer (&answers));
      json_node_take_object (root, o);
      kiosk_ctl_print_json (root);
    }
  else
    {
      g_print ("Request:   %s\n", json_object_get_string_member_with_default (doc, "short_code", ""));
      g_print ("Id:        %s\n", json_object_get_string_member_with_default (doc, "_id", ""));
      g_print ("Kiosk:     %s\n", json_object_get_string_member_with_default (doc, "kiosk_id", ""));
      g_print ("Service:   %s\n", json_object_get_string_member_with_default (doc, "service_id", ""));
      g_print ("Created:   %s\n", json_object_get_string_member_with_default (doc, "created", ""));
      g_print ("Status:    %s\n", city != NULL ? json_object_get_string_member_with_default (city, "status", "new") : "new");
      if (answers != NULL && JSON_NODE_HOLDS_OBJECT (answers))
        {
          g_autoptr(GList) members = json_object_get_members (json_node_get_object (answers));
          g_autoptr(KioskCatalog) catalog = NULL;
          KioskContext *context = kiosk_ctl_get_context (ctl, NULL);
          KioskService *service = NULL;

          /* Labels from this machine's active catalogue, when it has one
           * with the service; else the field ids. */
          if (context != NULL)
            catalog = kiosk_catalog_load_active (kiosk_context_get_store (context), NULL);
          if (catalog != NULL)
            service = kiosk_catalog_lookup_any (catalog, json_object_get_string_member_with_default (doc, "service_id", ""));
          g_print ("Answers:\n");
          for (GList *l = members; l != NULL; l = l->next)
            {
              JsonNode *answer = json_object_get_member (json_node_get_object (answers), l->data);
              KioskField *field = service != NULL ? kiosk_service_lookup_field (service, l->data) : NULL;
              const char *label = field != NULL ? kiosk_field_get_label (field, lang) : NULL;
              /* A choice under its option's label in --locale's language
               * (as the counter's screen shows it); the stored value when
               * the catalogue does not know the option; JSON otherwise. */
              g_autofree char *value = field != NULL ? kiosk_field_format_answer (field, answer, lang) : NULL;

              if (value == NULL)
                value = json_to_string (answer, FALSE);
              g_print ("  %-30s %s\n", label != NULL ? label : (const char *) l->data, value);
            }
        }
    }
  return KIOSK_CTL_EXIT_OK;
}

/* "tr=Text" → tr, "Text"; a note without a language code in front is in
 * @fallback's language. */
static void
split_note (const char  *arg,
            const char  *fallback,
            char       **out_lang,
            char       **out_text)
{
  g_autoptr(GRegex) regex = g_regex_new ("^([a-z]{2,3}(?:[-_][A-Za-z0-9]{2,8})?)=(.*)$", G_REGEX_DOTALL, 0, NULL);
  g_autoptr(GMatchInfo) match = NULL;

  if (g_regex_match (regex, arg, 0, &match))
    {
      *out_lang = g_match_info_fetch (match, 1);
      *out_text = g_match_info_fetch (match, 2);
    }
  else
    {
      *out_lang = g_strdup (fallback);
      *out_text = g_strdup (arg);
    }
}

/* inbox set-status ID|CODE STATUS [--note [LANG=]TEXT]... [--lang de]: the
 * city's answer, flowing back to the kiosk through _changes.  Notes in
 * languages not given stay as they are; LANG= with no text removes one. */
int
kiosk_ctl_inbox_set_status (KioskCtl  *ctl,
                            int        argc,
                            char     **argv)
{
  g_auto(HubLogin) login = { 0 };
  g_auto(GStrv) notes = NULL;
  g_autofree char *lang = NULL;
  const GOptionEntry entries[] = {
    HUB_OPTIONS (login, "A city user of the hub (default: [couchdb] user)"),
    { "note", 0, 0, G_OPTION_ARG_STRING_ARRAY, &notes,
      "A note for the citizen; LANG=TEXT for a language (repeatable), TEXT alone is German", "[LANG=]TEXT" },
    { "lang", 0, 0, G_OPTION_ARG_STRING, &lang, "The language of a note without LANG= (default: de)", "LANG" },
    { NULL }
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(Hub) hub = NULL;
  g_autoptr(JsonObject) doc = NULL;
  g_autoptr(JsonNode) existing = NULL;
  g_autoptr(JsonNode) answer = NULL;
  g_autoptr(JsonObject) note = json_object_new ();
  g_autoptr(JsonNode) root = json_node_new (JSON_NODE_OBJECT);
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *id = NULL;
  g_autofree char *status_url = NULL;
  g_autofree char *escaped = NULL;
  g_autofree char *body = NULL;
  const char *rev = NULL;
  guint status;

  if (!kiosk_ctl_parse (ctl, "ID|CODE STATUS - the city's status for a request (received, in_progress, done, rejected)",
                        entries, &argc, &argv, 2, 2))
    return KIOSK_CTL_EXIT_USAGE;
  if (!g_strv_contains (inbox_statuses, argv[2]))
    return kiosk_ctl_usage (ctl, "STATUS must be received, in_progress, done or rejected");
  for (guint i = 0; notes != NULL && notes[i] != NULL; i++)
    if (!g_utf8_validate (notes[i], -1, NULL))
      return kiosk_ctl_usage (ctl, "--note must be UTF-8 text");
  hub = hub_open (ctl, &login, &error);
  if (hub == NULL)
    return kiosk_ctl_fail (ctl, error);
  doc = find_submission (hub, argv[1], &error);
  if (doc == NULL)
    return kiosk_ctl_fail (ctl, error);

  id = g_strdup (json_object_get_string_member (doc, "_id"));
  escaped = g_uri_escape_string (id, NULL, FALSE);
  status_url = g_strconcat (hub->db_url, "/status%3A", escaped, NULL);
  existing = hub_call (hub, "GET", status_url, NULL, &status, &error);
  if (existing == NULL)
    return kiosk_ctl_fail (ctl, error);
  if (status == 200 && JSON_NODE_HOLDS_OBJECT (existing))
    {
      JsonObject *old = json_node_get_object (existing);
      JsonNode *old_note = json_object_get_member (old, "note");

      rev = json_object_get_string_member_with_default (old, "_rev", NULL);
      /* The notes already there, in every language, stay unless replaced. */
      if (old_note != NULL && JSON_NODE_HOLDS_OBJECT (old_note))
        {
          g_autoptr(GList) members = json_object_get_members (json_node_get_object (old_note));

          for (GList *l = members; l != NULL; l = l->next)
            {
              JsonNode *text = json_object_get_member (json_node_get_object (old_note), l->data);

              if (JSON_NODE_HOLDS_VALUE (text) && json_node_get_value_type (text) == G_TYPE_STRING)
                json_object_set_string_member (note, l->data, json_node_get_string (text));
            }
        }
    }
  else if (status != 404 && !expect (status, existing, "reading the city's status", &error))
    return kiosk_ctl_fail (ctl, error);
  for (guint i = 0; notes != NULL && notes[i] != NULL; i++)
    {
      g_autofree char *note_lang = NULL;
      g_autofree char *text = NULL;

      split_note (notes[i], lang != NULL ? lang : "de", &note_lang, &text);
      json_object_set_string_member (note, note_lang, text);
    }
  /* Empty texts are left out (kiosk_hub_inbox_build_status()). */
  json_node_take_object (root, kiosk_hub_inbox_build_status (doc, argv[2], note, rev, now));
  json_generator_set_root (generator, root);
  body = json_generator_to_data (generator, NULL);
  answer = hub_call (hub, "PUT", status_url, body, &status, &error);
  if (answer == NULL || !expect (status, answer, "writing the status", &error))
    return kiosk_ctl_fail (ctl, error);
  if (!ctl->json)
    g_print ("%s: %s\n", json_object_get_string_member_with_default (doc, "short_code", id), argv[2]);
  else
    kiosk_ctl_print_json (root);
  return KIOSK_CTL_EXIT_OK;
}

/* ---- The kiosk's side, running ------------------------------------------- */

static gboolean
hub_run_quit_cb (gpointer user_data)
{
  g_main_loop_quit (user_data);
  return G_SOURCE_REMOVE;
}

/* hub run: deliver into the hub and keep the heartbeat and the city's
 * status going, until stopped (for a systemd unit until the routing of
 * issue 14 lets `sync` and the kiosk do it). */
int
kiosk_ctl_hub_run (KioskCtl  *ctl,
                   int        argc,
                   char     **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KioskCouchdbTarget) target = NULL;
  g_autoptr(KioskSync) sync = NULL;
  g_autoptr(KioskHubAgent) agent = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  KioskContext *context;

  if (!kiosk_ctl_parse (ctl, "- deliver into the hub, write heartbeats, read the city's status, until stopped", NULL,
                        &argc, &argv, 0, 0))
    return KIOSK_CTL_EXIT_USAGE;
  context = kiosk_ctl_get_context (ctl, &error);
  if (context == NULL)
    return kiosk_ctl_fail (ctl, error);
  target = kiosk_couchdb_target_new (kiosk_context_get_config (context), kiosk_context_get_clock (context),
                                     KIOSK_SYNC_MAX_IN_FLIGHT, &error);
  if (target == NULL)
    return kiosk_ctl_fail (ctl, error);
  sync = kiosk_sync_new_for_target (context, KIOSK_TARGET (target));
  agent = kiosk_hub_agent_new (context, target, sync);
  loop = g_main_loop_new (NULL, FALSE);
  g_unix_signal_add (SIGINT, hub_run_quit_cb, loop);
  g_unix_signal_add (SIGTERM, hub_run_quit_cb, loop);

  kiosk_sync_start (sync);
  kiosk_hub_agent_start (agent);
  g_main_loop_run (loop);
  kiosk_hub_agent_stop (agent);
  kiosk_sync_stop (sync);
  /* Let cancelled deliveries put their requests back before exiting. */
  while (kiosk_sync_get_in_flight (sync) > 0)
    g_main_context_iteration (NULL, TRUE);
  return KIOSK_CTL_EXIT_OK;
}

/* ---- The catalogue through the hub ---------------------------------------- */

#define CATALOG_DOC "catalog%3Acurrent"

/* catalog publish BUNDLE: the city puts the signed bundle on the hub, as
 * the attachment bundle.json of the document catalog:current. */
int
kiosk_ctl_catalog_publish (KioskCtl  *ctl,
                           int        argc,
                           char     **argv)
{
  g_auto(HubLogin) login = { 0 };
  const GOptionEntry entries[] = {
    HUB_OPTIONS (login, "A city user of the hub (default: [couchdb] user)"),
    { NULL }
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(Hub) hub = NULL;
  g_autoptr(GBytes) bundle = NULL;
  g_autoptr(JsonNode) existing = NULL;
  g_autoptr(JsonNode) answer = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *doc_url = NULL;
  g_autofree char *data = NULL;
  g_autofree char *body = NULL;
  const char *version;
  char *contents = NULL;
  gsize len;
  guint status;

  if (!kiosk_ctl_parse (ctl, "BUNDLE - put a signed catalogue bundle on the hub for the kiosks", entries,
                        &argc, &argv, 1, 1))
    return KIOSK_CTL_EXIT_USAGE;
  if (!g_file_get_contents (argv[1], &contents, &len, &error))
    return kiosk_ctl_fail (ctl, error);
  bundle = g_bytes_new_take (contents, len);
  if (!kiosk_catalog_bundle_is_bundle (bundle) ||
      !json_parser_load_from_data (parser, g_bytes_get_data (bundle, NULL), (gssize) len, NULL))
    {
      g_set_error (&error, KIOSK_CATALOG_BUNDLE_ERROR, KIOSK_CATALOG_BUNDLE_ERROR_UNSIGNED,
                   "%s is not a signed catalogue bundle (make one with: stadtkioskctl catalog sign)", argv[1]);
      return kiosk_ctl_fail (ctl, error);
    }
  version = json_object_get_string_member_with_default (json_node_get_object (json_parser_get_root (parser)),
                                                        "catalog_version", "");
  hub = hub_open (ctl, &login, &error);
  if (hub == NULL)
    return kiosk_ctl_fail (ctl, error);

  doc_url = g_strconcat (hub->db_url, "/" CATALOG_DOC, NULL);
  existing = hub_call (hub, "GET", doc_url, NULL, &status, &error);
  if (existing == NULL)
    return kiosk_ctl_fail (ctl, error);
  data = g_base64_encode (g_bytes_get_data (bundle, NULL), len);
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "_id");
  json_builder_add_string_value (builder, "catalog:current");
  if (status == 200 && JSON_NODE_HOLDS_OBJECT (existing))
    {
      json_builder_set_member_name (builder, "_rev");
      json_builder_add_string_value (builder, json_object_get_string_member_with_default (json_node_get_object (existing),
                                                                                          "_rev", ""));
    }
  json_builder_set_member_name (builder, "type");
  json_builder_add_string_value (builder, "catalog");
  json_builder_set_member_name (builder, "catalog_version");
  json_builder_add_string_value (builder, version);
  json_builder_set_member_name (builder, "_attachments");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "bundle.json");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "content_type");
  json_builder_add_string_value (builder, "application/json");
  json_builder_set_member_name (builder, "data");
  json_builder_add_string_value (builder, data);
  json_builder_end_object (builder);
  json_builder_end_object (builder);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  body = json_generator_to_data (generator, NULL);
  answer = hub_call (hub, "PUT", doc_url, body, &status, &error);
  if (answer == NULL || !expect (status, answer, "publishing the catalogue", &error))
    return kiosk_ctl_fail (ctl, error);
  if (!ctl->json)
    g_print ("Catalogue %s published on %s as catalog:current.\n", version, hub->db_url);
  return KIOSK_CTL_EXIT_OK;
}

/* hub pull-catalog: the kiosk takes the hub's bundle, checked like an
 * import (signature, no rollback), and makes it the active catalogue. */
int
kiosk_ctl_hub_pull_catalog (KioskCtl  *ctl,
                            int        argc,
                            char     **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(Hub) hub = NULL;
  g_autoptr(GBytes) bundle = NULL;
  g_autoptr(GBytes) catalog_bytes = NULL;
  g_autoptr(KioskCatalog) catalog = NULL;
  g_autoptr(SoupMessage) message = NULL;
  g_autofree char *url = NULL;
  g_autofree char *what = NULL;
  KioskContext *context;
  KioskConfig *config;
  guint status;

  if (!kiosk_ctl_parse (ctl, "- take the signed catalogue the hub distributes (catalog:current)", NULL,
                        &argc, &argv, 0, 0))
    return KIOSK_CTL_EXIT_USAGE;
  config = kiosk_ctl_get_config (ctl, &error);
  if (config == NULL)
    return kiosk_ctl_fail (ctl, error);
  if (kiosk_config_get_catalog_public_key_file (config) == NULL || *kiosk_config_get_catalog_public_key_file (config) == '\0')
    {
      g_set_error (&error, KIOSK_CATALOG_BUNDLE_ERROR, KIOSK_CATALOG_BUNDLE_ERROR_KEY,
                   "a catalogue from the hub must be checked: set [keys] catalog-public-key");
      return kiosk_ctl_fail (ctl, error);
    }
  hub = hub_open (ctl, NULL, &error);
  if (hub == NULL)
    return kiosk_ctl_fail (ctl, error);
  context = kiosk_ctl_get_context (ctl, &error);
  if (context == NULL)
    return kiosk_ctl_fail (ctl, error);

  url = g_strconcat (hub->db_url, "/" CATALOG_DOC "/bundle.json", NULL);
  message = soup_message_new ("GET", url);
  what = g_strdup_printf ("catalogue from %s", hub->db_url);
  bundle = hub_send (hub, message, what, &error);
  if (bundle == NULL)
    return kiosk_ctl_fail (ctl, error);
  status = soup_message_get_status (message);
  if (status != 200)
    {
      g_set_error (&error, KIOSK_TARGET_ERROR, KIOSK_TARGET_ERROR_HTTP,
                   "catalogue from %s: HTTP %u (has the city published one? stadtkioskctl catalog publish)",
                   hub->db_url, status);
      return kiosk_ctl_fail (ctl, error);
    }
  catalog_bytes = kiosk_ctl_catalog_unwrap (ctl, bundle, url, &error);
  if (catalog_bytes == NULL)
    return kiosk_ctl_fail (ctl, error);
  catalog = kiosk_catalog_new_from_bytes (catalog_bytes, url, &error);
  if (catalog == NULL ||
      !kiosk_catalog_store_active (kiosk_context_get_store (context), catalog_bytes, url, NULL, &error))
    return kiosk_ctl_fail (ctl, error);
  if (!ctl->json)
    g_print ("Catalogue %s from the hub is active.\n", kiosk_catalog_get_version (catalog));
  else
    {
      g_autoptr(JsonNode) root = json_node_new (JSON_NODE_OBJECT);
      JsonObject *o = json_object_new ();

      json_object_set_string_member (o, "version", kiosk_catalog_get_version (catalog));
      json_node_take_object (root, o);
      kiosk_ctl_print_json (root);
    }
  return KIOSK_CTL_EXIT_OK;
}

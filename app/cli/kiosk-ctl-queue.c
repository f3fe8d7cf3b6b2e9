/* kiosk-ctl-queue.c: init, status, config and queue commands
 *
 * SPDX-FileCopyrightText: 2026 Stadtkiosk contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "stadtkioskctl"

#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "kiosk-ctl.h"
#include "kiosk-file.h"
#include "kiosk-json-private.h"

JsonNode *
kiosk_ctl_request_to_json (KioskRequest *request,
                           gboolean      with_answers)
{
  static const char * const members[] = {
    "id", "short_code", "service_id", "service_version", "locale", "state", "created_us",
    "updated_us", "attempts", "next_attempt_us", "last_error", "remote_ref", "assisted",
    "answers_format", "answers", NULL,
  };
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  /* Without "answers" at the end when they are not asked for. */
  g_autofree const char **chosen = g_memdup2 (members, sizeof members);

  if (!with_answers)
    chosen[G_N_ELEMENTS (members) - 2] = NULL;
  /* Lenient: cannot fail; unreadable answers are shown as null. */
  kiosk_request_build_json (request, builder, chosen, NULL, KIOSK_REQUEST_JSON_LENIENT, NULL);
  return json_builder_get_root (builder);
}

int
kiosk_ctl_init (KioskCtl  *ctl,
                int        argc,
                char     **argv)
{
  gboolean demo = FALSE;
  g_autofree char *config_out = NULL;
  const GOptionEntry entries[] = {
    { "demo", 0, 0, G_OPTION_ARG_NONE, &demo, "Demo settings: local backend, demo keys", NULL },
    { "config-out", 0, 0, G_OPTION_ARG_FILENAME, &config_out, "Write the configuration to FILE", "FILE" },
    { NULL }
  };
  g_autoptr(GError) error = NULL;
  KioskContext *context;
  KioskConfig *config;

  if (!kiosk_ctl_parse (ctl, "", entries, &argc, &argv, 0, 0))
    return KIOSK_CTL_EXIT_USAGE;

  if (demo && ctl->state_dir == NULL)
    return kiosk_ctl_usage (ctl, "init --demo needs --state-dir DIR (a throw-away directory)");

  if (demo)
    {
      /* The demo kiosk: the defaults, every language, a local fake backend
       * and demo keys. */
      g_autoptr(GKeyFile) keyfile = g_key_file_new ();
      g_autofree char *data = NULL;

      config = kiosk_ctl_get_config (ctl, &error);
      if (config == NULL)
        return kiosk_ctl_fail (ctl, error);
      data = kiosk_config_to_data (config);
      if (!g_key_file_load_from_data (keyfile, data, -1, G_KEY_FILE_NONE, &error))
        return kiosk_ctl_fail (ctl, error);
      g_key_file_set_string (keyfile, "kiosk", "id", "demo-kiosk");
      g_key_file_set_string (keyfile, "kiosk", "state-dir", ctl->state_dir);
      /* Every language the kiosk has, as Hildesheim would offer them: a
       * newcomer's `./dev run` shows what citizens can choose. */
      g_key_file_set_string (keyfile, "kiosk", "languages", "de;en;tr;ar;uk;ru;pl;ls;");
      g_key_file_set_string (keyfile, "backend", "url", "http://127.0.0.1:8470");
      g_key_file_set_integer (keyfile, "backend", "sync-interval", 10);
      g_key_file_set_string (keyfile, "keys", "mode", "demo");
      g_free (data);
      data = g_key_file_to_data (keyfile, NULL, NULL);

      if (config_out != NULL)
        {
          if (!g_file_set_contents_full (config_out, data, -1, G_FILE_SET_CONTENTS_CONSISTENT, 0640, &error))
            return kiosk_ctl_fail (ctl, error);
          g_clear_object (&ctl->config);
          g_free (ctl->config_path);
          ctl->config_path = g_strdup (config_out);
          ctl->config_given = TRUE;
        }
    }
  else if (config_out != NULL)
    {
      g_autofree char *data = NULL;

      config = kiosk_ctl_get_config (ctl, &error);
      if (config == NULL)
        return kiosk_ctl_fail (ctl, error);
      data = kiosk_config_to_data (config);
      if (!g_file_set_contents_full (config_out, data, -1, G_FILE_SET_CONTENTS_CONSISTENT, 0640, &error))
        return kiosk_ctl_fail (ctl, error);
    }

  context = kiosk_ctl_get_context (ctl, &error);
  if (context == NULL)
    return kiosk_ctl_fail (ctl, error);

  /* Receipts: the demo kiosk signs and seals with throw-away demo keys. */
  if (demo && !kiosk_keys_ensure_demo (kiosk_context_get_config (context), &error))
    return kiosk_ctl_fail (ctl, error);

  if (ctl->json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      g_autoptr(JsonNode) root = NULL;

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "database");
      json_builder_add_string_value (builder, kiosk_store_get_path (kiosk_context_get_store (context)));
      json_builder_set_member_name (builder, "schema_version");
      json_builder_add_int_value (builder, kiosk_store_get_schema_version (kiosk_context_get_store (context)));
      json_builder_end_object (builder);
      root = json_builder_get_root (builder);
      kiosk_ctl_print_json (root);
    }
  else
    g_print ("Database ready: %s (schema %u)\n",
             kiosk_store_get_path (kiosk_context_get_store (context)),
             kiosk_store_get_schema_version (kiosk_context_get_store (context)));

  return KIOSK_CTL_EXIT_OK;
}

int
kiosk_ctl_status (KioskCtl  *ctl,
                  int        argc,
                  char     **argv)
{
  g_autoptr(GError) error = NULL;
  KioskContext *context;
  KioskConfig *config;
  KioskOutbox *outbox;
  guint counts[KIOSK_REQUEST_N_STATES];
  gint64 oldest;

  if (!kiosk_ctl_parse (ctl, "", NULL, &argc, &argv, 0, 0))
    return KIOSK_CTL_EXIT_USAGE;

  context = kiosk_ctl_get_context (ctl, &error);
  if (context == NULL)
    return kiosk_ctl_fail (ctl, error);
  config = kiosk_context_get_config (context);
  outbox = kiosk_context_get_outbox (context);

  if (!kiosk_outbox_count_by_state (outbox, counts, &error))
    return kiosk_ctl_fail (ctl, error);
  oldest = kiosk_outbox_get_oldest_undelivered (outbox);

  if (ctl->json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      g_autoptr(JsonNode) root = NULL;

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "kiosk_id");
      json_builder_add_string_value (builder, kiosk_config_get_kiosk_id (config));
      json_builder_set_member_name (builder, "config");
      json_builder_add_string_value (builder, kiosk_config_get_path (config) ? kiosk_config_get_path (config) : "(defaults)");
      json_builder_set_member_name (builder, "database");
      json_builder_add_string_value (builder, kiosk_store_get_path (kiosk_context_get_store (context)));
      json_builder_set_member_name (builder, "schema_version");
      json_builder_add_int_value (builder, kiosk_store_get_schema_version (kiosk_context_get_store (context)));
      json_builder_set_member_name (builder, "queue");
      json_builder_begin_object (builder);
      for (guint s = 0; s < KIOSK_REQUEST_N_STATES; s++)
        {
          json_builder_set_member_name (builder, kiosk_request_state_to_string (s));
          json_builder_add_int_value (builder, counts[s]);
        }
      json_builder_end_object (builder);
      json_builder_set_member_name (builder, "oldest_undelivered_us");
      json_builder_add_int_value (builder, oldest);
      json_builder_end_object (builder);
      root = json_builder_get_root (builder);
      kiosk_ctl_print_json (root);
    }
  else
    {
      g_autofree char *oldest_text = kiosk_ctl_format_time (oldest);

      g_print ("Kiosk:      %s (%s)\n", kiosk_config_get_kiosk_id (config), kiosk_config_get_location (config));
      g_print ("Config:     %s\n", kiosk_config_get_path (config) ? kiosk_config_get_path (config) : "(defaults)");
      g_print ("Database:   %s (schema %u)\n",
               kiosk_store_get_path (kiosk_context_get_store (context)),
               kiosk_store_get_schema_version (kiosk_context_get_store (context)));
      g_print ("Backend:    %s\n", *kiosk_config_get_backend_url (config) ? kiosk_config_get_backend_url (config) : "(none: offline only)");
      g_print ("Queue:     ");
      for (guint s = 0; s < KIOSK_REQUEST_N_STATES; s++)
        g_print (" %s %u", kiosk_request_state_to_string (s), counts[s]);
      g_print ("\nOldest undelivered: %s\n", oldest_text);
    }

  return KIOSK_CTL_EXIT_OK;
}

int
kiosk_ctl_config_check (KioskCtl  *ctl,
                        int        argc,
                        char     **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KioskConfig) config = NULL;
  g_autoptr(GKeyFile) effective = NULL;
  g_autofree char *data = NULL;
  g_auto(GStrv) groups = NULL;
  g_autofree char *seal_warning = NULL;

  if (!kiosk_ctl_parse (ctl, "", NULL, &argc, &argv, 0, 0))
    return KIOSK_CTL_EXIT_USAGE;

  config = kiosk_config_new_from_file (ctl->config_path, &error);
  if (config == NULL)
    return kiosk_ctl_fail (ctl, error);

  /* Answers in clear without a word, or a city key gone missing (#12). */
  seal_warning = kiosk_seal_policy_dup_warning (config);

  if (*kiosk_config_get_token_file (config) != '\0')
    {
      g_autofree char *token = kiosk_config_read_token (config, &error);

      if (token == NULL)
        return kiosk_ctl_fail (ctl, error);
    }

  /* The merged result, each value with the file it came from, so that an
   * admin sees what the admin screen's drop-ins changed. */
  effective = g_key_file_new ();
  data = kiosk_config_to_data (config);
  if (!g_key_file_load_from_data (effective, data, (gsize) -1, G_KEY_FILE_NONE, &error))
    return kiosk_ctl_fail (ctl, error);
  groups = g_key_file_get_groups (effective, NULL);

  if (ctl->json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      g_autoptr(JsonNode) root = NULL;
      const char *drop_ins = kiosk_config_get_drop_in_dir (config);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "config");
      json_builder_add_string_value (builder, ctl->config_path);
      json_builder_set_member_name (builder, "ok");
      json_builder_add_boolean_value (builder, TRUE);
      json_builder_set_member_name (builder, "drop_in_dir");
      if (drop_ins != NULL)
        json_builder_add_string_value (builder, drop_ins);
      else
        json_builder_add_null_value (builder);
      json_builder_set_member_name (builder, "warnings");
      json_builder_begin_array (builder);
      for (const char * const *w = kiosk_config_get_warnings (config); *w != NULL; w++)
        json_builder_add_string_value (builder, *w);
      if (seal_warning != NULL)
        json_builder_add_string_value (builder, seal_warning);
      json_builder_end_array (builder);
      json_builder_set_member_name (builder, "values");
      json_builder_begin_array (builder);
      for (guint g = 0; groups[g] != NULL; g++)
        {
          g_auto(GStrv) keys = g_key_file_get_keys (effective, groups[g], NULL, NULL);

          for (guint k = 0; keys[k] != NULL; k++)
            {
              g_autofree char *value = g_key_file_get_value (effective, groups[g], keys[k], NULL);
              const char *source = kiosk_config_get_source (config, groups[g], keys[k]);

              json_builder_begin_object (builder);
              json_builder_set_member_name (builder, "group");
              json_builder_add_string_value (builder, groups[g]);
              json_builder_set_member_name (builder, "key");
              json_builder_add_string_value (builder, keys[k]);
              json_builder_set_member_name (builder, "value");
              json_builder_add_string_value (builder, value);
              json_builder_set_member_name (builder, "source");
              if (source != NULL)
                json_builder_add_string_value (builder, source);
              else
                json_builder_add_string_value (builder, "default");
              json_builder_end_object (builder);
            }
        }
      json_builder_end_array (builder);
      json_builder_end_object (builder);
      root = json_builder_get_root (builder);
      kiosk_ctl_print_json (root);
    }
  else
    {
      for (const char * const *w = kiosk_config_get_warnings (config); *w != NULL; w++)
        g_printerr ("warning: %s\n", *w);
      if (seal_warning != NULL)
        g_printerr ("warning: %s\n", seal_warning);
      g_print ("%s: OK\n", ctl->config_path);
      if (kiosk_config_get_drop_in_dir (config) != NULL)
        g_print ("drop-ins: %s/*.conf (override the file key by key)\n", kiosk_config_get_drop_in_dir (config));
      for (guint g = 0; groups[g] != NULL; g++)
        {
          g_auto(GStrv) keys = g_key_file_get_keys (effective, groups[g], NULL, NULL);

          g_print ("\n[%s]\n", groups[g]);
          for (guint k = 0; keys[k] != NULL; k++)
            {
              g_autofree char *value = g_key_file_get_value (effective, groups[g], keys[k], NULL);
              g_autofree char *line = g_strdup_printf ("%s=%s", keys[k], value);
              const char *source = kiosk_config_get_source (config, groups[g], keys[k]);

              g_print ("%-48s # %s\n", line, source != NULL ? source : "default");
            }
        }
    }
  return KIOSK_CTL_EXIT_OK;
}

int
kiosk_ctl_enqueue (KioskCtl  *ctl,
                   int        argc,
                   char     **argv)
{
  g_autofree char *service = NULL;
  g_autofree char *answers_file = NULL;
  g_autofree char *locale = NULL;
  g_autofree char *contents = NULL;
  gint service_version = 0;
  guint catalog_version = 0;
  const GOptionEntry entries[] = {
    { "service", 0, 0, G_OPTION_ARG_STRING, &service, "Service id (of the active catalogue)", "ID" },
    { "service-version", 0, 0, G_OPTION_ARG_INT, &service_version,
      "Fail unless the catalogue's service has this version", "N" },
    { "answers", 0, 0, G_OPTION_ARG_FILENAME, &answers_file, "JSON object of answers", "FILE" },
    { "locale", 0, 0, G_OPTION_ARG_STRING, &locale, "Language of the request (default de)", "LANG" },
    { NULL }
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) answers = NULL;
  g_autoptr(KioskRequest) request = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GBytes) file_bytes = NULL;
  gsize length = 0;
  KioskRequestDraft draft = { 0 };
  KioskContext *context;

  if (!kiosk_ctl_parse (ctl, "", entries, &argc, &argv, 0, 0))
    return KIOSK_CTL_EXIT_USAGE;
  if (service == NULL || answers_file == NULL)
    return kiosk_ctl_usage (ctl, "enqueue needs --service ID and --answers FILE");
  if (service_version < 0)
    return kiosk_ctl_usage (ctl, "--service-version must be 1 or more");

  if (!kiosk_file_read_bounded (answers_file, KIOSK_FILE_MAX_ANSWERS, &contents, &length, &error))
    return kiosk_ctl_fail (ctl, error);
  file_bytes = g_bytes_new_take (g_steal_pointer (&contents), length);
  answers = kiosk_form_parse_answers (file_bytes, &error);
  if (answers == NULL)
    {
      g_prefix_error (&error, "%s: ", answers_file);
      return kiosk_ctl_fail (ctl, error);
    }

  context = kiosk_ctl_get_context (ctl, &error);
  if (context == NULL)
    return kiosk_ctl_fail (ctl, error);

  /* The answers are checked as the kiosk's form would check them, and
   * stored in the form's canonical JSON (visible answers, sorted keys). */
  bytes = kiosk_ctl_validate_answers (ctl, service, answers, answers_file,
                                      locale, &catalog_version, &error);
  if (bytes == NULL)
    return kiosk_ctl_fail (ctl, error);
  if (service_version != 0 && (guint) service_version != catalog_version)
    {
      g_set_error (&error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   "service \"%s\" has version %u in the active catalogue, not %d",
                   service, catalog_version, service_version);
      return kiosk_ctl_fail (ctl, error);
    }

  draft.service_id = service;
  draft.service_version = catalog_version;
  draft.locale = locale != NULL ? locale : "de";
  draft.answers = bytes;
  draft.answers_format = KIOSK_ANSWERS_JSON;

  request = kiosk_context_submit (context, &draft, "cli", &error);
  if (request == NULL)
    return kiosk_ctl_fail (ctl, error);

  if (ctl->json)
    {
      g_autoptr(JsonNode) node = kiosk_ctl_request_to_json (request, FALSE);
      kiosk_ctl_print_json (node);
    }
  else
    g_print ("%s %s\n", kiosk_request_get_id (request), kiosk_request_get_short_code (request));

  return KIOSK_CTL_EXIT_OK;
}

typedef struct
{
  gboolean json;
  guint    n;
} ListPrinter;

/* One request, printed as it is read: 100,000 requests stream in flat
 * memory instead of being held first. */
static void
print_listed_request (KioskRequest *request,
                      gpointer      user_data)
{
  g_autoptr(KioskRequest) r = request;
  ListPrinter *printer = user_data;

  if (printer->json)
    {
      g_autoptr(JsonNode) node = kiosk_ctl_request_to_json (r, FALSE);
      g_autoptr(JsonGenerator) generator = json_generator_new ();
      g_autofree char *text = NULL;

      json_generator_set_pretty (generator, TRUE);
      json_generator_set_root (generator, node);
      text = json_generator_to_data (generator, NULL);
      g_print ("%s%s", printer->n == 0 ? "[\n" : ",\n", text);
    }
  else
    {
      g_autofree char *created = kiosk_ctl_format_time (kiosk_request_get_created (r));

      if (printer->n == 0)
        g_print ("%-14s  %-10s  %-24s  %-19s  %8s  %s\n",
                 "CODE", "STATE", "SERVICE", "CREATED", "ATTEMPTS", "LAST ERROR");
      g_print ("%-14s  %-10s  %-24s  %-19s  %8u  %s\n",
               kiosk_request_get_short_code (r),
               kiosk_request_state_to_string (kiosk_request_get_state (r)),
               kiosk_request_get_service_id (r),
               created,
               kiosk_request_get_attempts (r),
               kiosk_request_get_last_error (r) ? kiosk_request_get_last_error (r) : "");
    }
  printer->n++;
}

int
kiosk_ctl_queue_list (KioskCtl  *ctl,
                      int        argc,
                      char     **argv)
{
  g_autofree char *state_name = NULL;
  const GOptionEntry entries[] = {
    { "state", 0, 0, G_OPTION_ARG_STRING, &state_name, "Only requests in STATE", "STATE" },
    { NULL }
  };
  g_autoptr(GError) error = NULL;
  KioskRequestState state = 0;
  KioskContext *context;
  ListPrinter printer = { 0 };

  if (!kiosk_ctl_parse (ctl, "", entries, &argc, &argv, 0, 0))
    return KIOSK_CTL_EXIT_USAGE;
  if (state_name != NULL && !kiosk_request_state_from_string (state_name, &state))
    return kiosk_ctl_usage (ctl, "--state must be one of queued, sending, delivered, rejected, "
                                 "cancelled, handled, purged");

  printer.json = ctl->json;
  /* Listing writes nothing: the bounded integrity check will do (the full
   * one costs 0.5 s at 100,000 requests; damage in what is read is still
   * an error). */
  context = kiosk_ctl_get_context_for_reading (ctl, &error);
  if (context == NULL)
    return kiosk_ctl_fail (ctl, error);

  if (!kiosk_outbox_foreach (kiosk_context_get_outbox (context), state_name != NULL ? (int) state : -1,
                             print_listed_request, &printer, &error))
    {
      if (printer.json && printer.n > 0)
        g_print ("\n]\n");
      return kiosk_ctl_fail (ctl, error);
    }

  if (printer.json)
    g_print ("%s", printer.n == 0 ? "[]\n" : "\n]\n");
  else if (printer.n == 0)
    g_print ("No requests.\n");
  return KIOSK_CTL_EXIT_OK;
}

/* city_status and city_note (a note in several languages is a JSON object
 * in the database and stays one here). */
static void
add_city_status (JsonObject *object,
                 const char *status,
                 const char *note,
                 gint64      updated)
{
  g_autoptr(JsonParser) parser = json_parser_new ();

  if (status == NULL)
    {
      json_object_set_null_member (object, "city_status");
      json_object_set_null_member (object, "city_note");
      return;
    }
  json_object_set_string_member (object, "city_status", status);
  if (note == NULL)
    json_object_set_null_member (object, "city_note");
  else if (note[0] == '{' && json_parser_load_from_data (parser, note, -1, NULL) &&
           JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    json_object_set_member (object, "city_note", json_node_copy (json_parser_get_root (parser)));
  else
    json_object_set_string_member (object, "city_note", note);
  json_object_set_int_member (object, "city_updated_us", updated);
}

int
kiosk_ctl_queue_show (KioskCtl  *ctl,
                      int        argc,
                      char     **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KioskRequest) request = NULL;
  g_autoptr(GPtrArray) events = NULL;
  g_autofree char *city_status = NULL;
  g_autofree char *city_note = NULL;
  gint64 city_updated = 0;
  KioskContext *context;
  KioskOutbox *outbox;

  if (!kiosk_ctl_parse (ctl, "ID|CODE", NULL, &argc, &argv, 1, 1))
    return KIOSK_CTL_EXIT_USAGE;

  context = kiosk_ctl_get_context (ctl, &error);
  if (context == NULL)
    return kiosk_ctl_fail (ctl, error);
  outbox = kiosk_context_get_outbox (context);

  request = kiosk_outbox_get (outbox, argv[1], &error);
  if (request == NULL)
    return kiosk_ctl_fail (ctl, error);
  events = kiosk_outbox_list_events (outbox, kiosk_request_get_id (request), &error);
  if (events == NULL)
    return kiosk_ctl_fail (ctl, error);
  if (!kiosk_outbox_get_city_status (outbox, kiosk_request_get_id (request), &city_status, &city_note,
                                     &city_updated, &error))
    return kiosk_ctl_fail (ctl, error);

  if (ctl->json)
    {
      g_autoptr(JsonNode) root = kiosk_ctl_request_to_json (request, TRUE);
      g_autoptr(JsonArray) array = json_array_new ();
      JsonObject *object = json_node_get_object (root);

      for (guint i = 0; i < events->len; i++)
        {
          KioskRequestEvent *e = events->pdata[i];
          JsonObject *o = json_object_new ();

          json_object_set_int_member (o, "at_us", e->at_us);
          if (e->from_state < KIOSK_REQUEST_N_STATES)
            json_object_set_string_member (o, "from", kiosk_request_state_to_string (e->from_state));
          else
            json_object_set_null_member (o, "from");
          json_object_set_string_member (o, "to", kiosk_request_state_to_string (e->to_state));
          json_object_set_string_member (o, "actor", e->actor);
          if (e->detail != NULL)
            json_object_set_string_member (o, "detail", e->detail);
          json_array_add_object_element (array, o);
        }
      json_object_set_array_member (object, "events", g_steal_pointer (&array));
      add_city_status (object, city_status, city_note, city_updated);
      kiosk_ctl_print_json (root);
    }
  else
    {
      g_autofree char *created = kiosk_ctl_format_time (kiosk_request_get_created (request));
      g_autofree char *next = kiosk_ctl_format_time (kiosk_request_get_next_attempt (request));
      GBytes *answers = kiosk_request_get_answers (request);

      g_print ("Request:   %s\n", kiosk_request_get_short_code (request));
      g_print ("Id:        %s\n", kiosk_request_get_id (request));
      g_print ("Service:   %s (version %u), %s\n", kiosk_request_get_service_id (request),
               kiosk_request_get_service_version (request), kiosk_request_get_locale (request));
      g_print ("State:     %s\n", kiosk_request_state_to_string (kiosk_request_get_state (request)));
      g_print ("Created:   %s\n", created);
      g_print ("Attempts:  %u (next: %s)\n", kiosk_request_get_attempts (request), next);
      if (kiosk_request_get_last_error (request) != NULL)
        g_print ("Last error: %s\n", kiosk_request_get_last_error (request));
      if (kiosk_request_get_remote_ref (request) != NULL)
        g_print ("Reference: %s\n", kiosk_request_get_remote_ref (request));
      if (city_status != NULL)
        g_print ("City:      %s%s%s\n", city_status, city_note != NULL ? " — " : "", city_note != NULL ? city_note : "");
      if (answers == NULL)
        g_print ("Answers:   (purged)\n");
      else if (kiosk_request_get_answers_format (request) == KIOSK_ANSWERS_SEALED)
        g_print ("Answers:   sealed to the city's key (%zu bytes)\n", g_bytes_get_size (answers));
      else
        g_print ("Answers:   %.*s\n", (int) g_bytes_get_size (answers), (const char *) g_bytes_get_data (answers, NULL));
      g_print ("History:\n");
      for (guint i = 0; i < events->len; i++)
        {
          KioskRequestEvent *e = events->pdata[i];
          g_autofree char *at = kiosk_ctl_format_time (e->at_us);

          g_print ("  %s  %-9s -> %-9s  %-8s %s\n", at,
                   e->from_state < KIOSK_REQUEST_N_STATES ? kiosk_request_state_to_string (e->from_state) : "(new)",
                   kiosk_request_state_to_string (e->to_state), e->actor, e->detail ? e->detail : "");
        }
    }
  return KIOSK_CTL_EXIT_OK;
}

static int
print_changed (KioskCtl     *ctl,
               KioskRequest *request)
{
  if (ctl->json)
    {
      g_autoptr(JsonNode) node = kiosk_ctl_request_to_json (request, FALSE);
      kiosk_ctl_print_json (node);
    }
  else
    g_print ("%s is now %s\n", kiosk_request_get_short_code (request),
             kiosk_request_state_to_string (kiosk_request_get_state (request)));
  return KIOSK_CTL_EXIT_OK;
}

int
kiosk_ctl_queue_retry (KioskCtl  *ctl,
                       int        argc,
                       char     **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KioskRequest) request = NULL;
  KioskContext *context;

  if (!kiosk_ctl_parse (ctl, "ID|CODE", NULL, &argc, &argv, 1, 1))
    return KIOSK_CTL_EXIT_USAGE;

  context = kiosk_ctl_get_context (ctl, &error);
  if (context == NULL)
    return kiosk_ctl_fail (ctl, error);

  request = kiosk_outbox_retry_now (kiosk_context_get_outbox (context), argv[1], "admin", &error);
  if (request == NULL)
    return kiosk_ctl_fail (ctl, error);
  return print_changed (ctl, request);
}

int
kiosk_ctl_queue_cancel (KioskCtl  *ctl,
                        int        argc,
                        char     **argv)
{
  g_autofree char *reason = NULL;
  const GOptionEntry entries[] = {
    { "reason", 0, 0, G_OPTION_ARG_STRING, &reason, "Why (kept in the history)", "TEXT" },
    { NULL }
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(KioskRequest) request = NULL;
  KioskContext *context;

  if (!kiosk_ctl_parse (ctl, "ID|CODE", entries, &argc, &argv, 1, 1))
    return KIOSK_CTL_EXIT_USAGE;
  if (reason == NULL || *reason == '\0')
    return kiosk_ctl_usage (ctl, "queue cancel needs --reason TEXT");

  context = kiosk_ctl_get_context (ctl, &error);
  if (context == NULL)
    return kiosk_ctl_fail (ctl, error);

  request = kiosk_outbox_cancel (kiosk_context_get_outbox (context), argv[1], reason, "admin", &error);
  if (request == NULL)
    return kiosk_ctl_fail (ctl, error);
  return print_changed (ctl, request);
}

int
kiosk_ctl_store_set_aside (KioskCtl  *ctl,
                           int        argc,
                           char     **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KioskStore) probe = NULL;
  g_autofree char *db_path = NULL;
  g_autofree char *aside = NULL;
  KioskConfig *config;

  if (!kiosk_ctl_parse (ctl, "", NULL, &argc, &argv, 0, 0))
    return KIOSK_CTL_EXIT_USAGE;

  config = kiosk_ctl_get_config (ctl, &error);
  if (config == NULL)
    return kiosk_ctl_fail (ctl, error);
  db_path = kiosk_context_dup_db_path (config);

  probe = kiosk_store_open (db_path, &error);
  if (probe != NULL)
    {
      g_printerr ("stadtkioskctl: %s is not damaged; nothing to do\n", db_path);
      return KIOSK_CTL_EXIT_FAILURE;
    }
  if (!g_error_matches (error, KIOSK_STORE_ERROR, KIOSK_STORE_ERROR_DAMAGED))
    return kiosk_ctl_fail (ctl, error);
  g_clear_error (&error);

  if (!kiosk_store_set_aside_damaged (db_path, &aside, &error))
    return kiosk_ctl_fail (ctl, error);
  probe = kiosk_store_open (db_path, &error);
  if (probe == NULL)
    return kiosk_ctl_fail (ctl, error);

  if (ctl->json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      g_autoptr(JsonNode) root = NULL;

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "kept_aside");
      json_builder_add_string_value (builder, aside);
      json_builder_set_member_name (builder, "database");
      json_builder_add_string_value (builder, db_path);
      json_builder_end_object (builder);
      root = json_builder_get_root (builder);
      kiosk_ctl_print_json (root);
    }
  else
    g_print ("The damaged database was kept as %s; a new one was started at %s.\n"
             "Requests in the old file can be read from it with: sqlite3 -readonly FILE .dump\n"
             "(sqlite3's .recover fails on an intact copy of this database in Debian 12's 3.40).\n",
             aside, db_path);
  return KIOSK_CTL_EXIT_OK;
}

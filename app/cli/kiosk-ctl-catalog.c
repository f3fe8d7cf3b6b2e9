/* kiosk-ctl-catalog.c: catalogue and service commands
 *
 * SPDX-FileCopyrightText: 2026 Stadtkiosk contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "stadtkioskctl"

#include "config.h"

#include <string.h>

#include "kiosk-ctl.h"
#include "kiosk-file.h"

static KioskCatalog *
load_active (KioskCtl  *ctl,
             GError   **error)
{
  KioskContext *context = kiosk_ctl_get_context (ctl, error);

  if (context == NULL)
    return NULL;
  return kiosk_catalog_load_active (kiosk_context_get_store (context), error);
}

static void
add_string_array (JsonBuilder *builder,
                  const char  *name,
                  const char  *lines)
{
  g_auto(GStrv) split = g_strsplit (lines, "\n", -1);

  json_builder_set_member_name (builder, name);
  json_builder_begin_array (builder);
  for (char **l = split; *l != NULL; l++)
    json_builder_add_string_value (builder, *l);
  json_builder_end_array (builder);
}

/* --json output of a refused catalogue: every problem as its own string. */
static int
fail_invalid (KioskCtl     *ctl,
              const char   *file,
              const GError *error)
{
  if (ctl->json && g_error_matches (error, KIOSK_CATALOG_ERROR, KIOSK_CATALOG_ERROR_INVALID))
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      g_autoptr(JsonNode) root = NULL;

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "file");
      json_builder_add_string_value (builder, file);
      json_builder_set_member_name (builder, "ok");
      json_builder_add_boolean_value (builder, FALSE);
      add_string_array (builder, "errors", error->message);
      json_builder_end_object (builder);
      root = json_builder_get_root (builder);
      kiosk_ctl_print_json (root);
      g_printerr ("stadtkioskctl: %s\n", error->message);
      return KIOSK_CTL_EXIT_FAILURE;
    }
  return kiosk_ctl_fail (ctl, error);
}

static void
print_catalog_ok (KioskCtl     *ctl,
                  const char   *file,
                  KioskCatalog *catalog,
                  const char   *verb)
{
  guint n = kiosk_catalog_get_all_services (catalog)->len;

  if (ctl->json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      g_autoptr(JsonNode) root = NULL;

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "file");
      json_builder_add_string_value (builder, file);
      json_builder_set_member_name (builder, "ok");
      json_builder_add_boolean_value (builder, TRUE);
      json_builder_set_member_name (builder, "version");
      json_builder_add_string_value (builder, kiosk_catalog_get_version (catalog));
      json_builder_set_member_name (builder, "services");
      json_builder_add_int_value (builder, n);
      json_builder_set_member_name (builder, "categories");
      json_builder_add_int_value (builder, kiosk_catalog_get_categories (catalog)->len);
      json_builder_end_object (builder);
      root = json_builder_get_root (builder);
      kiosk_ctl_print_json (root);
    }
  else
    g_print ("%s: %s (version %s, %u services, %u categories)\n", file, verb,
             kiosk_catalog_get_version (catalog), n, kiosk_catalog_get_categories (catalog)->len);
}

int
kiosk_ctl_catalog_validate (KioskCtl  *ctl,
                            int        argc,
                            char     **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KioskCatalog) catalog = NULL;

  if (!kiosk_ctl_parse (ctl, "FILE", NULL, &argc, &argv, 1, 1))
    return KIOSK_CTL_EXIT_USAGE;

  catalog = kiosk_catalog_new_from_file (argv[1], &error);
  if (catalog == NULL)
    return fail_invalid (ctl, argv[1], error);
  print_catalog_ok (ctl, argv[1], catalog, "valid");
  return KIOSK_CTL_EXIT_OK;
}

/* services.json with the definitions in services/<code>.json beside it. */
static GBytes *
import_open311 (const char  *path,
                GError     **error)
{
  g_autofree char *contents = NULL;
  g_autofree char *dir_path = NULL;
  g_autofree char *parent = g_path_get_dirname (path);
  g_autoptr(GHashTable) definitions = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                             (GDestroyNotify) g_bytes_unref);
  g_autoptr(GBytes) services = NULL;
  g_autofree char *version = NULL;
  g_autoptr(GDir) dir = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  gsize len;
  const char *name;

  if (!kiosk_file_read_bounded (path, KIOSK_FILE_MAX_CATALOG, &contents, &len, error))
    return NULL;
  services = g_bytes_new_take (g_steal_pointer (&contents), len);

  dir_path = g_build_filename (parent, "services", NULL);
  dir = g_dir_open (dir_path, 0, NULL);
  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *file = NULL;
      char *data = NULL;

      if (!g_str_has_suffix (name, ".json"))
        continue;
      file = g_build_filename (dir_path, name, NULL);
      if (!kiosk_file_read_bounded (file, KIOSK_FILE_MAX_CATALOG, &data, &len, error))
        return NULL;
      g_hash_table_insert (definitions, g_strndup (name, strlen (name) - strlen (".json")),
                           g_bytes_new_take (data, len));
    }
  version = g_date_time_format (now, "open311-%Y%m%dT%H%M%SZ");
  return kiosk_open311_import (services, definitions, version, error);
}

typedef struct
{
  GBytes   *bytes;
  GError   *error;
  gboolean  done;
} LiveImport;

static void
imported_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  LiveImport *live = user_data;

  live->bytes = kiosk_open311_target_import_finish (KIOSK_OPEN311_TARGET (object), result, &live->error);
  live->done = TRUE;
}

/* services.json and services/{code}.json from a live GeoReport v2
 * endpoint, with [open311]'s API key, CA file and pin. */
static GBytes *
import_open311_url (KioskCtl    *ctl,
                    const char  *url,
                    GError     **error)
{
  KioskContext *context = kiosk_ctl_get_context (ctl, error);
  g_autoptr(KioskOpen311Target) target = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *version = g_date_time_format (now, "open311-%Y%m%dT%H%M%SZ");
  LiveImport live = { 0 };

  if (context == NULL)
    return NULL;
  target = kiosk_open311_target_new_for_url (url, kiosk_context_get_config (context),
                                             kiosk_context_get_clock (context), 1, error);
  if (target == NULL)
    return NULL;
  kiosk_open311_target_import_async (target, version, NULL, imported_cb, &live);
  while (!live.done)
    g_main_context_iteration (NULL, TRUE);
  if (live.error != NULL)
    {
      g_propagate_error (error, live.error);
      return NULL;
    }
  return live.bytes;
}

int
kiosk_ctl_catalog_import (KioskCtl  *ctl,
                          int        argc,
                          char     **argv)
{
  gboolean open311 = FALSE;
  g_autofree char *etag = NULL;
  const GOptionEntry entries[] = {
    { "open311", 0, 0, G_OPTION_ARG_NONE, &open311,
      "FILE is an Open311 services.json (definitions from services/CODE.json beside it), or the URL of a "
      "GeoReport v2 endpoint to fetch them from", NULL },
    { "etag", 0, 0, G_OPTION_ARG_STRING, &etag, "Remember this ETag with it", "ETAG" },
    { NULL }
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(KioskCatalog) catalog = NULL;
  g_autofree char *source = NULL;
  KioskContext *context;

  if (!kiosk_ctl_parse (ctl, "FILE", entries, &argc, &argv, 1, 1))
    return KIOSK_CTL_EXIT_USAGE;

  if (open311 && (g_str_has_prefix (argv[1], "http://") || g_str_has_prefix (argv[1], "https://")))
    bytes = import_open311_url (ctl, argv[1], &error);
  else if (open311)
    bytes = import_open311 (argv[1], &error);
  else
    {
      char *contents = NULL;
      gsize len;

      if (kiosk_file_read_bounded (argv[1], KIOSK_FILE_MAX_CATALOG, &contents, &len, &error))
        bytes = g_bytes_new_take (contents, len);
    }
  if (bytes == NULL)
    return kiosk_ctl_fail (ctl, error);
  /* With [keys] catalog-public-key: signed bundles only, never older. */
  {
    g_autoptr(GBytes) unwrapped = kiosk_ctl_catalog_unwrap (ctl, bytes, argv[1], &error);

    if (unwrapped == NULL)
      return kiosk_ctl_fail (ctl, error);
    g_bytes_unref (bytes);
    bytes = g_steal_pointer (&unwrapped);
  }

  /* Validated here for the message, and again by store_active, which
   * refuses to store anything invalid whoever calls it. */
  catalog = kiosk_catalog_new_from_bytes (bytes, argv[1], &error);
  if (catalog == NULL)
    return fail_invalid (ctl, argv[1], error);

  context = kiosk_ctl_get_context (ctl, &error);
  if (context == NULL)
    return kiosk_ctl_fail (ctl, error);
  source = strstr (argv[1], "://") != NULL ? g_strdup (argv[1]) : g_canonicalize_filename (argv[1], NULL);
  if (!kiosk_catalog_store_active (kiosk_context_get_store (context), bytes, source, etag, &error))
    return fail_invalid (ctl, argv[1], error);

  print_catalog_ok (ctl, argv[1], catalog, "imported as the active catalogue");
  return KIOSK_CTL_EXIT_OK;
}

static const char *
target_text (KioskService *service)
{
  return kiosk_target_kind_to_string (kiosk_service_get_target_kind (service));
}

int
kiosk_ctl_catalog_list (KioskCtl  *ctl,
                        int        argc,
                        char     **argv)
{
  g_autofree char *locale = NULL;
  const GOptionEntry entries[] = {
    { "locale", 0, 0, G_OPTION_ARG_STRING, &locale, "Titles in LANG (default de)", "LANG" },
    { NULL }
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(KioskCatalog) catalog = NULL;
  GPtrArray *services;
  KioskContext *context;

  if (!kiosk_ctl_parse (ctl, "", entries, &argc, &argv, 0, 0))
    return KIOSK_CTL_EXIT_USAGE;

  catalog = load_active (ctl, &error);
  if (catalog == NULL)
    return kiosk_ctl_fail (ctl, error);
  context = kiosk_ctl_get_context (ctl, NULL);
  services = kiosk_catalog_get_all_services (catalog);

  if (ctl->json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      g_autoptr(JsonNode) root = NULL;
      gint64 imported = kiosk_catalog_get_active_imported (kiosk_context_get_store (context));

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "version");
      json_builder_add_string_value (builder, kiosk_catalog_get_version (catalog));
      json_builder_set_member_name (builder, "imported_us");
      json_builder_add_int_value (builder, imported);
      json_builder_set_member_name (builder, "services");
      json_builder_begin_array (builder);
      for (guint i = 0; i < services->len; i++)
        {
          KioskService *s = services->pdata[i];

          json_builder_begin_object (builder);
          json_builder_set_member_name (builder, "id");
          json_builder_add_string_value (builder, kiosk_service_get_id (s));
          json_builder_set_member_name (builder, "version");
          json_builder_add_int_value (builder, kiosk_service_get_version (s));
          json_builder_set_member_name (builder, "title");
          json_builder_add_string_value (builder, kiosk_service_get_title (s, locale));
          json_builder_set_member_name (builder, "category");
          json_builder_add_string_value (builder, kiosk_service_get_category_id (s));
          json_builder_set_member_name (builder, "offline");
          json_builder_add_string_value (builder, kiosk_offline_mode_to_string (kiosk_service_get_offline_mode (s)));
          json_builder_set_member_name (builder, "target");
          json_builder_add_string_value (builder, target_text (s));
          json_builder_set_member_name (builder, "enabled");
          json_builder_add_boolean_value (builder, kiosk_service_get_enabled (s));
          json_builder_end_object (builder);
        }
      json_builder_end_array (builder);
      json_builder_end_object (builder);
      root = json_builder_get_root (builder);
      kiosk_ctl_print_json (root);
    }
  else
    {
      g_autofree char *imported = kiosk_ctl_format_time (kiosk_catalog_get_active_imported (kiosk_context_get_store (context)));

      g_print ("Catalogue %s (imported: %s)\n", kiosk_catalog_get_version (catalog),
               g_str_equal (imported, "-") ? "no, the bundled demo" : imported);
      g_print ("%-32s  %3s  %-6s  %-10s  %-8s  %s\n", "ID", "VER", "OFFL.", "TARGET", "ENABLED", "TITLE");
      for (guint i = 0; i < services->len; i++)
        {
          KioskService *s = services->pdata[i];

          g_print ("%-32s  %3u  %-6s  %-10s  %-8s  %s\n", kiosk_service_get_id (s), kiosk_service_get_version (s),
                   kiosk_offline_mode_to_string (kiosk_service_get_offline_mode (s)), target_text (s),
                   kiosk_service_get_enabled (s) ? "yes" : "no", kiosk_service_get_title (s, locale));
        }
    }
  return KIOSK_CTL_EXIT_OK;
}

/* The service's definition as it stands in the catalogue's JSON. */
static JsonNode *
dup_service_json (KioskCatalog *catalog,
                  const char   *service_id)
{
  GBytes *bytes = kiosk_catalog_get_bytes (catalog);
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonArray *services;

  if (!json_parser_load_from_data (parser, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), NULL))
    return NULL;
  services = json_object_get_array_member (json_node_get_object (json_parser_get_root (parser)), "services");
  for (guint i = 0; i < json_array_get_length (services); i++)
    {
      JsonObject *s = json_array_get_object_element (services, i);

      if (g_strcmp0 (json_object_get_string_member (s, "id"), service_id) == 0)
        return json_node_copy (json_array_get_element (services, i));
    }
  return NULL;
}

int
kiosk_ctl_catalog_show (KioskCtl  *ctl,
                        int        argc,
                        char     **argv)
{
  g_autofree char *locale = NULL;
  const GOptionEntry entries[] = {
    { "locale", 0, 0, G_OPTION_ARG_STRING, &locale, "Texts in LANG (default de)", "LANG" },
    { NULL }
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(KioskCatalog) catalog = NULL;
  KioskService *service;

  if (!kiosk_ctl_parse (ctl, "ID", entries, &argc, &argv, 1, 1))
    return KIOSK_CTL_EXIT_USAGE;

  catalog = load_active (ctl, &error);
  if (catalog == NULL)
    return kiosk_ctl_fail (ctl, error);
  service = kiosk_catalog_lookup_any (catalog, argv[1]);
  if (service == NULL)
    {
      g_set_error (&error, KIOSK_CATALOG_ERROR, KIOSK_CATALOG_ERROR_NOT_FOUND,
                   "the active catalogue (%s) has no service \"%s\"; see `stadtkioskctl catalog list`",
                   kiosk_catalog_get_version (catalog), argv[1]);
      return kiosk_ctl_fail (ctl, error);
    }

  if (ctl->json)
    {
      g_autoptr(JsonNode) node = dup_service_json (catalog, argv[1]);

      json_object_set_boolean_member (json_node_get_object (node), "enabled", kiosk_service_get_enabled (service));
      kiosk_ctl_print_json (node);
      return KIOSK_CTL_EXIT_OK;
    }

  g_print ("%s (version %u)%s\n", kiosk_service_get_id (service), kiosk_service_get_version (service),
           kiosk_service_get_enabled (service) ? "" : " — disabled on this kiosk");
  g_print ("Title:      %s\n", kiosk_service_get_title (service, locale));
  g_print ("Summary:    %s\n", kiosk_service_get_summary (service, locale));
  g_print ("Category:   %s\n", kiosk_service_get_category_id (service));
  g_print ("Offline:    %s\n", kiosk_offline_mode_to_string (kiosk_service_get_offline_mode (service)));
  if (kiosk_service_get_refer_url (service) != NULL)
    g_print ("Refer to:   %s\n", kiosk_service_get_refer_url (service));
  if (kiosk_service_get_office_hours (service, locale) != NULL)
    g_print ("Office:     %s\n", kiosk_service_get_office_hours (service, locale));
  if (kiosk_service_get_target_kind (service) == KIOSK_TARGET_OPEN311)
    g_print ("Target:     Open311 service code %s\n", kiosk_service_get_open311_code (service));
  else
    g_print ("Target:     Submission API\n");
  g_print ("Retention:  %u days for personal answers\n", kiosk_service_get_retention_days (service));
  for (guint s = 0; s < kiosk_service_get_n_steps (service); s++)
    {
      KioskStep *step = kiosk_service_get_step (service, s);
      GPtrArray *fields = kiosk_step_get_fields (step);

      g_print ("Step %u/%u:   %s\n", s + 1, kiosk_service_get_n_steps (service), kiosk_step_get_title (step, locale));
      for (guint i = 0; i < fields->len; i++)
        {
          KioskField *field = fields->pdata[i];
          const char *label = kiosk_field_get_label (field, locale);

          if (label == NULL)
            label = kiosk_field_get_text (field, locale);
          g_print ("  %-24s %-11s %-8s %-8s %-4s %s\n", kiosk_field_get_id (field),
                   kiosk_field_type_to_string (kiosk_field_get_field_type (field)),
                   kiosk_field_get_required (field) ? "required" : "",
                   kiosk_field_get_personal (field) ? "personal" : "",
                   kiosk_field_has_condition (field) ? "if" : "",
                   label);
        }
    }
  return KIOSK_CTL_EXIT_OK;
}

static int
set_service_enabled (KioskCtl  *ctl,
                     int        argc,
                     char     **argv,
                     gboolean   enabled)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KioskCatalog) catalog = NULL;
  KioskContext *context;

  if (!kiosk_ctl_parse (ctl, "ID", NULL, &argc, &argv, 1, 1))
    return KIOSK_CTL_EXIT_USAGE;

  catalog = load_active (ctl, &error);
  if (catalog == NULL)
    return kiosk_ctl_fail (ctl, error);
  if (kiosk_catalog_lookup_any (catalog, argv[1]) == NULL)
    {
      g_set_error (&error, KIOSK_CATALOG_ERROR, KIOSK_CATALOG_ERROR_NOT_FOUND,
                   "the active catalogue (%s) has no service \"%s\"; see `stadtkioskctl catalog list`",
                   kiosk_catalog_get_version (catalog), argv[1]);
      return kiosk_ctl_fail (ctl, error);
    }
  context = kiosk_ctl_get_context (ctl, &error);
  if (!kiosk_catalog_set_service_enabled (kiosk_context_get_store (context), argv[1], enabled, &error))
    return kiosk_ctl_fail (ctl, error);

  if (ctl->json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      g_autoptr(JsonNode) root = NULL;

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "service_id");
      json_builder_add_string_value (builder, argv[1]);
      json_builder_set_member_name (builder, "enabled");
      json_builder_add_boolean_value (builder, enabled);
      json_builder_end_object (builder);
      root = json_builder_get_root (builder);
      kiosk_ctl_print_json (root);
    }
  else
    g_print ("%s is now %s on this kiosk (the kiosk shows it after its next catalogue reload).\n",
             argv[1], enabled ? "enabled" : "disabled");
  return KIOSK_CTL_EXIT_OK;
}

int
kiosk_ctl_service_enable (KioskCtl  *ctl,
                          int        argc,
                          char     **argv)
{
  return set_service_enabled (ctl, argc, argv, TRUE);
}

int
kiosk_ctl_service_disable (KioskCtl  *ctl,
                           int        argc,
                           char     **argv)
{
  return set_service_enabled (ctl, argc, argv, FALSE);
}

/**
 * kiosk_ctl_validate_answers:
 * @answers_file: the file name, for messages
 * @out_version: (out): the service's version in the catalogue
 *
 * Checks answers against the active catalogue's service with a KioskForm,
 * as the kiosk would.
 *
 * Returns: (transfer full) (nullable): the canonical JSON of the answers
 */
GBytes *
kiosk_ctl_validate_answers (KioskCtl    *ctl,
                            const char  *service_id,
                            JsonNode    *answers,
                            const char  *answers_file,
                            const char  *locale,
                            guint       *out_version,
                            GError     **error)
{
  g_autoptr(KioskCatalog) catalog = NULL;
  g_autoptr(KioskForm) form = NULL;
  g_autoptr(GPtrArray) problems = NULL;
  KioskContext *context;
  KioskService *service;

  context = kiosk_ctl_get_context (ctl, error);
  if (context == NULL)
    return NULL;
  catalog = kiosk_catalog_load_active (kiosk_context_get_store (context), error);
  if (catalog == NULL)
    return NULL;

  service = kiosk_catalog_lookup (catalog, service_id);
  if (service == NULL)
    {
      GPtrArray *all = kiosk_catalog_get_all_services (catalog);
      g_autoptr(GString) ids = g_string_new (NULL);

      if (kiosk_catalog_lookup_any (catalog, service_id) != NULL)
        {
          g_set_error (error, KIOSK_CATALOG_ERROR, KIOSK_CATALOG_ERROR_NOT_FOUND,
                       "service \"%s\" is disabled on this kiosk (stadtkioskctl service enable %s)",
                       service_id, service_id);
          return NULL;
        }
      for (guint i = 0; i < all->len; i++)
        if (kiosk_service_get_enabled (all->pdata[i]))
          g_string_append_printf (ids, "%s%s", ids->len ? ", " : "", kiosk_service_get_id (all->pdata[i]));
      g_set_error (error, KIOSK_CATALOG_ERROR, KIOSK_CATALOG_ERROR_NOT_FOUND,
                   "the active catalogue (%s) has no service \"%s\" (services: %s)",
                   kiosk_catalog_get_version (catalog), service_id, ids->str);
      return NULL;
    }
  /* As on the kiosk's screen: a refer service is online-only, it prints a
   * link and office hours and stores nothing (#12). */
  if (kiosk_service_get_offline_mode (service) == KIOSK_OFFLINE_REFER)
    {
      g_set_error (error, KIOSK_CATALOG_ERROR, KIOSK_CATALOG_ERROR_INVALID,
                   "service \"%s\" is online-only (offline: refer): the kiosk stores no requests for it; "
                   "citizens are referred to %s", service_id,
                   kiosk_service_get_refer_url (service) != NULL ? kiosk_service_get_refer_url (service) : "its website");
      return NULL;
    }

  form = kiosk_form_new (service, kiosk_config_get_postal_codes (kiosk_context_get_config (context)),
                         kiosk_context_get_clock (context));
  kiosk_form_set_city (form, kiosk_config_get_city (kiosk_context_get_config (context)));
  if (!kiosk_form_load_json (form, answers, error))
    {
      g_prefix_error (error, "%s: ", answers_file);
      return NULL;
    }
  if (!kiosk_form_validate_all (form, locale, &problems))
    {
      g_autoptr(GString) message = g_string_new (NULL);

      for (guint i = 0; i < problems->len; i++)
        {
          KioskFieldError *e = problems->pdata[i];

          g_string_append_printf (message, "%s%s: /%s: %s", i ? "\n" : "", answers_file, e->field_id, e->message);
        }
      g_set_error_literal (error, KIOSK_FORM_ERROR, KIOSK_FORM_ERROR_INVALID, message->str);
      return NULL;
    }
  *out_version = kiosk_service_get_version (service);
  return kiosk_form_to_json (form);
}

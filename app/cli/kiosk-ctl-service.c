/* kiosk-ctl-service.c: stadtkioskctl service list|export|import|validate
 *
 * Services shared as small files between cities and initiatives (#20):
 * the same KioskCatalogDocument the builder uses, without a screen.  A
 * catalogue is a file (--catalog FILE) or, without one, this kiosk's
 * active catalogue.
 *
 * SPDX-FileCopyrightText: 2026 Stadtkiosk contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "stadtkioskctl"

#include "config.h"

#include "kiosk-ctl.h"

#include <stdio.h>
#include <string.h>

#include "kiosk-file.h"

static KioskCatalogDocument *
open_catalog (KioskCtl    *ctl,
              const char  *path,
              GError     **error)
{
  KioskContext *context;

  if (path != NULL)
    return kiosk_catalog_document_new_from_file (path, error);
  context = kiosk_ctl_get_context (ctl, error);
  if (context == NULL)
    return NULL;
  return kiosk_catalog_document_new_from_active (kiosk_context_get_store (context), error);
}

static gboolean
read_file (const char  *path,
           gsize        max,
           GBytes     **out_bytes,
           GError     **error)
{
  char *contents = NULL;
  gsize len = 0;

  if (!kiosk_file_read_bounded (path, max, &contents, &len, error))
    return FALSE;
  *out_bytes = g_bytes_new_take (contents, len);
  return TRUE;
}

static int
fail_lines (KioskCtl     *ctl,
            const char   *file,
            const GError *error)
{
  if (ctl->json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      g_autoptr(JsonNode) root = NULL;
      g_auto(GStrv) lines = g_strsplit (error->message, "\n", -1);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "file");
      json_builder_add_string_value (builder, file);
      json_builder_set_member_name (builder, "ok");
      json_builder_add_boolean_value (builder, FALSE);
      json_builder_set_member_name (builder, "errors");
      json_builder_begin_array (builder);
      for (char **l = lines; *l != NULL; l++)
        json_builder_add_string_value (builder, *l);
      json_builder_end_array (builder);
      json_builder_end_object (builder);
      root = json_builder_get_root (builder);
      kiosk_ctl_print_json (root);
    }
  g_printerr ("stadtkioskctl: %s\n", error->message);
  return KIOSK_CTL_EXIT_FAILURE;
}

int
kiosk_ctl_service_list (KioskCtl  *ctl,
                        int        argc,
                        char     **argv)
{
  g_autofree char *catalog_path = NULL;
  g_autofree char *locale = NULL;
  const GOptionEntry entries[] = {
    { "catalog", 0, 0, G_OPTION_ARG_FILENAME, &catalog_path, "A catalogue file (default: the active catalogue)", "FILE" },
    { "locale", 0, 0, G_OPTION_ARG_STRING, &locale, "Titles in LANG (default de)", "LANG" },
    { NULL }
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(KioskCatalogDocument) doc = NULL;
  g_autoptr(JsonBuilder) builder = NULL;
  guint n;

  if (!kiosk_ctl_parse (ctl, "", entries, &argc, &argv, 0, 0))
    return KIOSK_CTL_EXIT_USAGE;
  doc = open_catalog (ctl, catalog_path, &error);
  if (doc == NULL)
    return kiosk_ctl_fail (ctl, error);
  n = kiosk_catalog_document_get_n_services (doc);
  if (ctl->json)
    {
      builder = json_builder_new ();
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "valid");
      json_builder_add_boolean_value (builder, kiosk_catalog_document_is_valid (doc));
      json_builder_set_member_name (builder, "services");
      json_builder_begin_array (builder);
    }
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *pointer = g_strdup_printf ("/services/%u", i);
      const char *id = kiosk_catalog_document_get_service_id (doc, i);
      const char *title = kiosk_catalog_document_get_text (doc, pointer, "title", locale != NULL ? locale : "de");
      gboolean enabled = kiosk_catalog_document_get_service_enabled (doc, i);
      guint n_steps = kiosk_catalog_document_get_n_steps (doc, i);
      guint n_fields = 0;

      if (title == NULL)
        title = kiosk_catalog_document_get_text (doc, pointer, "title", "de");
      for (guint s = 0; s < n_steps; s++)
        n_fields += kiosk_catalog_document_get_n_fields (doc, i, s);
      if (ctl->json)
        {
          json_builder_begin_object (builder);
          json_builder_set_member_name (builder, "id");
          json_builder_add_string_value (builder, id);
          json_builder_set_member_name (builder, "title");
          json_builder_add_string_value (builder, title);
          json_builder_set_member_name (builder, "enabled");
          json_builder_add_boolean_value (builder, enabled);
          json_builder_set_member_name (builder, "steps");
          json_builder_add_int_value (builder, n_steps);
          json_builder_set_member_name (builder, "fields");
          json_builder_add_int_value (builder, n_fields);
          json_builder_end_object (builder);
        }
      else
        g_print ("%-28s %-8s %u steps, %2u fields  %s\n", id != NULL ? id : "(no id)",
                 enabled ? "enabled" : "disabled", n_steps, n_fields, title != NULL ? title : "");
    }
  if (ctl->json)
    {
      g_autoptr(JsonNode) root = NULL;

      json_builder_end_array (builder);
      json_builder_end_object (builder);
      root = json_builder_get_root (builder);
      kiosk_ctl_print_json (root);
    }
  if (!kiosk_catalog_document_is_valid (doc))
    {
      g_autofree char *problems = kiosk_catalog_document_format_problems (doc, NULL);

      g_printerr ("stadtkioskctl: the catalogue has problems:\n%s\n", problems);
      return KIOSK_CTL_EXIT_FAILURE;
    }
  return KIOSK_CTL_EXIT_OK;
}

int
kiosk_ctl_service_export (KioskCtl  *ctl,
                          int        argc,
                          char     **argv)
{
  g_autofree char *catalog_path = NULL;
  g_autofree char *output = NULL;
  const GOptionEntry entries[] = {
    { "catalog", 0, 0, G_OPTION_ARG_FILENAME, &catalog_path, "A catalogue file (default: the active catalogue)", "FILE" },
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output, "Write the service file here (default: standard output)", "FILE" },
    { NULL }
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(KioskCatalogDocument) doc = NULL;
  g_autoptr(GBytes) bytes = NULL;
  int index;

  if (!kiosk_ctl_parse (ctl, "ID", entries, &argc, &argv, 1, 1))
    return KIOSK_CTL_EXIT_USAGE;
  doc = open_catalog (ctl, catalog_path, &error);
  if (doc == NULL)
    return kiosk_ctl_fail (ctl, error);
  index = kiosk_catalog_document_find_service (doc, argv[1]);
  if (index < 0)
    {
      g_set_error (&error, KIOSK_CATALOG_DOCUMENT_ERROR, KIOSK_CATALOG_DOCUMENT_ERROR_NOT_FOUND,
                   "%s has no service \"%s\"", kiosk_catalog_document_get_source (doc), argv[1]);
      return kiosk_ctl_fail (ctl, error);
    }
  bytes = kiosk_catalog_document_export_service (doc, index, &error);
  if (bytes == NULL)
    return kiosk_ctl_fail (ctl, error);
  if (output == NULL)
    {
      fwrite (g_bytes_get_data (bytes, NULL), 1, g_bytes_get_size (bytes), stdout);
      return KIOSK_CTL_EXIT_OK;
    }
  if (!g_file_set_contents_full (output, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes),
                                 G_FILE_SET_CONTENTS_CONSISTENT, 0644, &error))
    return kiosk_ctl_fail (ctl, error);
  g_print ("%s: service \"%s\" exported (%zu bytes)\n", output, argv[1], g_bytes_get_size (bytes));
  return KIOSK_CTL_EXIT_OK;
}

static gboolean
import_into (KioskCtl               *ctl,
             KioskCatalogDocument   *doc,
             const char             *service_file,
             KioskCatalogImportMode  mode,
             int                    *out_index,
             GError                **error)
{
  g_autoptr(GBytes) bytes = NULL;

  if (!read_file (service_file, KIOSK_FILE_MAX_CATALOG, &bytes, error))
    return FALSE;
  *out_index = kiosk_catalog_document_import_service (doc, bytes, service_file, mode, error);
  return *out_index >= 0;
}

int
kiosk_ctl_service_import (KioskCtl  *ctl,
                          int        argc,
                          char     **argv)
{
  g_autofree char *catalog_path = NULL;
  gboolean replace = FALSE;
  gboolean copy = FALSE;
  gboolean yes = FALSE;
  const GOptionEntry entries[] = {
    { "catalog", 0, 0, G_OPTION_ARG_FILENAME, &catalog_path,
      "Import into this catalogue file (default: the kiosk's active catalogue)", "FILE" },
    { "replace", 0, 0, G_OPTION_ARG_NONE, &replace, "A service with the same id is replaced", NULL },
    { "copy", 0, 0, G_OPTION_ARG_NONE, &copy, "A service with the same id stays; the import gets a new id", NULL },
    { "yes", 'y', 0, G_OPTION_ARG_NONE, &yes, "Replace the catalogue (a backup is kept)", NULL },
    { NULL }
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(KioskCatalogDocument) doc = NULL;
  g_autofree char *backup = NULL;
  KioskCatalogImportMode mode = KIOSK_CATALOG_IMPORT_NEW;
  int index;

  if (!kiosk_ctl_parse (ctl, "SERVICE_FILE", entries, &argc, &argv, 1, 1))
    return KIOSK_CTL_EXIT_USAGE;
  if (replace && copy)
    return kiosk_ctl_usage (ctl, "--replace and --copy exclude each other");
  if (replace)
    mode = KIOSK_CATALOG_IMPORT_REPLACE;
  else if (copy)
    mode = KIOSK_CATALOG_IMPORT_COPY;

  doc = open_catalog (ctl, catalog_path, &error);
  if (doc == NULL)
    return kiosk_ctl_fail (ctl, error);
  if (!import_into (ctl, doc, argv[1], mode, &index, &error))
    {
      if (g_error_matches (error, KIOSK_CATALOG_DOCUMENT_ERROR, KIOSK_CATALOG_DOCUMENT_ERROR_EXISTS))
        {
          g_autoptr(GError) hint = g_error_new (error->domain, error->code, "%s (--replace or --copy)", error->message);

          g_clear_error (&error);
          error = g_steal_pointer (&hint);
        }
      return fail_lines (ctl, argv[1], error);
    }

  if (catalog_path != NULL)
    {
      if (!kiosk_catalog_document_save (doc, catalog_path, yes ? KIOSK_CATALOG_SAVE_CONFIRMED : KIOSK_CATALOG_SAVE_NONE,
                                        &backup, &error))
        {
          if (g_error_matches (error, KIOSK_CATALOG_DOCUMENT_ERROR, KIOSK_CATALOG_DOCUMENT_ERROR_NEEDS_CONFIRM))
            g_printerr ("stadtkioskctl: %s: nothing changed; add --yes to save it (the old file is kept as a backup)\n",
                        catalog_path);
          else
            g_printerr ("stadtkioskctl: %s\n", error->message);
          return KIOSK_CTL_EXIT_FAILURE;
        }
    }
  else
    {
      KioskContext *context = kiosk_ctl_get_context (ctl, &error);
      g_autofree char *backup_dir = NULL;

      if (context == NULL)
        return kiosk_ctl_fail (ctl, error);
      backup_dir = g_build_filename (kiosk_config_get_state_dir (kiosk_context_get_config (context)),
                                     "catalog-backups", NULL);
      if (!kiosk_catalog_document_activate (doc, kiosk_context_get_store (context),
                                            yes ? KIOSK_CATALOG_SAVE_CONFIRMED : KIOSK_CATALOG_SAVE_NONE,
                                            backup_dir, &backup, &error))
        {
          if (g_error_matches (error, KIOSK_CATALOG_DOCUMENT_ERROR, KIOSK_CATALOG_DOCUMENT_ERROR_NEEDS_CONFIRM))
            g_printerr ("stadtkioskctl: nothing changed; this replaces the kiosk's active catalogue: add --yes "
                        "(the catalogue in use is kept as a backup)\n");
          else
            g_printerr ("stadtkioskctl: %s\n", error->message);
          return KIOSK_CTL_EXIT_FAILURE;
        }
    }
  g_print ("%s: service \"%s\" imported into %s%s%s\n", argv[1], kiosk_catalog_document_get_service_id (doc, index),
           catalog_path != NULL ? catalog_path : "the active catalogue",
           backup != NULL ? "; backup: " : "", backup != NULL ? backup : "");
  return KIOSK_CTL_EXIT_OK;
}

int
kiosk_ctl_service_validate (KioskCtl  *ctl,
                            int        argc,
                            char     **argv)
{
  g_autofree char *catalog_path = NULL;
  const GOptionEntry entries[] = {
    { "catalog", 0, 0, G_OPTION_ARG_FILENAME, &catalog_path,
      "Check it as part of this catalogue file (default: the active catalogue)", "FILE" },
    { NULL }
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(KioskCatalogDocument) doc = NULL;
  int index;

  if (!kiosk_ctl_parse (ctl, "SERVICE_FILE", entries, &argc, &argv, 1, 1))
    return KIOSK_CTL_EXIT_USAGE;
  doc = open_catalog (ctl, catalog_path, &error);
  if (doc == NULL)
    return kiosk_ctl_fail (ctl, error);
  /* As a replacement, so that an id the catalogue has is no problem. */
  if (!import_into (ctl, doc, argv[1], KIOSK_CATALOG_IMPORT_REPLACE, &index, &error))
    return fail_lines (ctl, argv[1], error);
  if (ctl->json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      g_autoptr(JsonNode) root = NULL;

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "file");
      json_builder_add_string_value (builder, argv[1]);
      json_builder_set_member_name (builder, "ok");
      json_builder_add_boolean_value (builder, TRUE);
      json_builder_set_member_name (builder, "service");
      json_builder_add_string_value (builder, kiosk_catalog_document_get_service_id (doc, index));
      json_builder_end_object (builder);
      root = json_builder_get_root (builder);
      kiosk_ctl_print_json (root);
    }
  else
    g_print ("%s: valid (service \"%s\")\n", argv[1], kiosk_catalog_document_get_service_id (doc, index));
  return KIOSK_CTL_EXIT_OK;
}

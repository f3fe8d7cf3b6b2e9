/* kiosk-ctl-keys.c: keys generate, generate-city, import-city
 *
 * SPDX-FileCopyrightText: 2026 Stadtkiosk contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "stadtkioskctl"

#include "config.h"

#include <string.h>

#include "kiosk-ctl.h"

static char *
base64 (const guint8 *key,
        gsize         len)
{
  return g_base64_encode (key, len);
}

static gboolean
refuse_overwrite (KioskCtl   *ctl,
                  const char *path,
                  gboolean    force,
                  int        *status)
{
  if (!force && g_file_test (path, G_FILE_TEST_EXISTS))
    {
      g_autoptr(GError) error = NULL;

      g_set_error (&error, G_IO_ERROR, G_IO_ERROR_EXISTS,
                   "%s exists; a new key would make every receipt signed or sealed with the old one "
                   "unreadable. Pass --force to replace it anyway", path);
      *status = kiosk_ctl_fail (ctl, error);
      return TRUE;
    }
  return FALSE;
}

int
kiosk_ctl_keys_generate (KioskCtl  *ctl,
                         int        argc,
                         char     **argv)
{
  g_autofree char *output = NULL;
  gboolean force = FALSE;
  const GOptionEntry entries[] = {
    { "output", 0, 0, G_OPTION_ARG_FILENAME, &output, "Write the key to FILE (default: [keys] signing-key)", "FILE" },
    { "force", 0, 0, G_OPTION_ARG_NONE, &force, "Replace an existing key", NULL },
    { NULL }
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(KioskSigningKey) key = NULL;
  g_autofree char *public_text = NULL;
  g_autofree char *public_path = NULL;
  KioskConfig *config;
  int status = 0;

  if (!kiosk_ctl_parse (ctl, "", entries, &argc, &argv, 0, 0))
    return KIOSK_CTL_EXIT_USAGE;
  config = kiosk_ctl_get_config (ctl, &error);
  if (config == NULL)
    return kiosk_ctl_fail (ctl, error);
  if (output == NULL)
    output = g_strdup (kiosk_config_get_signing_key_file (config));
  if (refuse_overwrite (ctl, output, force, &status))
    return status;

  key = kiosk_signing_key_generate (kiosk_config_get_kiosk_id (config), &error);
  if (key == NULL || !kiosk_signing_key_save (key, output, &error))
    return kiosk_ctl_fail (ctl, error);
  public_path = g_strconcat (output, ".pub", NULL);
  if (!kiosk_signing_key_save_public (key, public_path, &error))
    return kiosk_ctl_fail (ctl, error);
  public_text = kiosk_signing_key_to_public_text (key);

  if (ctl->json)
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();
      g_autoptr(JsonNode) root = NULL;
      g_autofree char *pk = base64 (key->public_key, sizeof key->public_key);

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "kiosk_id");
      json_builder_add_string_value (b, key->kiosk_id);
      json_builder_set_member_name (b, "signing_key_file");
      json_builder_add_string_value (b, output);
      json_builder_set_member_name (b, "public_key_file");
      json_builder_add_string_value (b, public_path);
      json_builder_set_member_name (b, "public_key");
      json_builder_add_string_value (b, pk);
      json_builder_end_object (b);
      root = json_builder_get_root (b);
      kiosk_ctl_print_json (root);
    }
  else
    {
      g_printerr ("Signing key for kiosk '%s' written to %s (mode 0600).\n"
                  "Its public key, for the counter workstations ([keys] trusted-kiosks), is in %s:\n\n",
                  key->kiosk_id, output, public_path);
      g_print ("%s", public_text);
    }
  return KIOSK_CTL_EXIT_OK;
}

int
kiosk_ctl_keys_generate_city (KioskCtl  *ctl,
                              int        argc,
                              char     **argv)
{
  g_autofree char *secret = NULL;
  g_autofree char *public = NULL;
  gboolean force = FALSE;
  const GOptionEntry entries[] = {
    { "secret", 0, 0, G_OPTION_ARG_FILENAME, &secret, "Write the secret key to FILE (mode 0600)", "FILE" },
    { "public", 0, 0, G_OPTION_ARG_FILENAME, &public, "Write the public key to FILE", "FILE" },
    { "force", 0, 0, G_OPTION_ARG_NONE, &force, "Replace existing files", NULL },
    { NULL }
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(KioskCityKey) key = NULL;
  g_autofree char *id = NULL;
  int status = 0;

  if (!kiosk_ctl_parse (ctl, "", entries, &argc, &argv, 0, 0))
    return KIOSK_CTL_EXIT_USAGE;
  if (secret == NULL || public == NULL)
    return kiosk_ctl_usage (ctl, "keys generate-city needs --secret FILE and --public FILE");
  if (refuse_overwrite (ctl, secret, force, &status) || refuse_overwrite (ctl, public, force, &status))
    return status;

  key = kiosk_city_key_generate (&error);
  if (key == NULL ||
      !kiosk_city_key_save_secret (key, secret, &error) ||
      !kiosk_city_key_save_public (key, public, &error))
    return kiosk_ctl_fail (ctl, error);
  id = kiosk_city_key_dup_id_string (key);

  if (ctl->json)
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();
      g_autoptr(JsonNode) root = NULL;

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "key_id");
      json_builder_add_string_value (b, id);
      json_builder_set_member_name (b, "secret_key_file");
      json_builder_add_string_value (b, secret);
      json_builder_set_member_name (b, "public_key_file");
      json_builder_add_string_value (b, public);
      json_builder_end_object (b);
      root = json_builder_get_root (b);
      kiosk_ctl_print_json (root);
    }
  else
    g_print ("City key %s: secret key in %s (mode 0600: counter workstations and backend only), "
             "public key in %s (install on kiosks with: stadtkioskctl keys import-city %s)\n",
             id, secret, public, public);
  return KIOSK_CTL_EXIT_OK;
}

int
kiosk_ctl_keys_import_city (KioskCtl  *ctl,
                            int        argc,
                            char     **argv)
{
  g_autofree char *output = NULL;
  gboolean force = FALSE;
  const GOptionEntry entries[] = {
    { "output", 0, 0, G_OPTION_ARG_FILENAME, &output, "Install to FILE (default: [keys] city-public-key)", "FILE" },
    { "force", 0, 0, G_OPTION_ARG_NONE, &force, "Replace an installed city key", NULL },
    { NULL }
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(KioskCityKey) key = NULL;
  g_autofree char *id = NULL;
  KioskConfig *config;
  int status = 0;

  if (!kiosk_ctl_parse (ctl, "FILE", entries, &argc, &argv, 1, 1))
    return KIOSK_CTL_EXIT_USAGE;
  config = kiosk_ctl_get_config (ctl, &error);
  if (config == NULL)
    return kiosk_ctl_fail (ctl, error);

  key = kiosk_city_key_load (argv[1], FALSE, &error);
  if (key == NULL)
    return kiosk_ctl_fail (ctl, error);
  if (key->has_secret)
    {
      g_set_error (&error, KIOSK_KEYS_ERROR, KIOSK_KEYS_ERROR_WRONG_KIND,
                   "%s is the city's SECRET key; a kiosk must only get the public key "
                   "(the --public file of keys generate-city)", argv[1]);
      return kiosk_ctl_fail (ctl, error);
    }
  if (output == NULL)
    {
      const char *configured = kiosk_config_get_city_public_key_file (config);

      output = *configured != '\0' ? g_strdup (configured)
                                   : g_build_filename (kiosk_config_get_state_dir (config), "city-public.key", NULL);
    }
  if (refuse_overwrite (ctl, output, force, &status))
    return status;
  if (!kiosk_city_key_save_public (key, output, &error))
    return kiosk_ctl_fail (ctl, error);
  /* From now on a missing key refuses requests instead of storing them in
   * clear (kiosk-seal-policy.c). */
  if (!kiosk_seal_policy_remember (config, &error))
    return kiosk_ctl_fail (ctl, error);
  id = kiosk_city_key_dup_id_string (key);

  if (ctl->json)
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();
      g_autoptr(JsonNode) root = NULL;

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "key_id");
      json_builder_add_string_value (b, id);
      json_builder_set_member_name (b, "city_public_key_file");
      json_builder_add_string_value (b, output);
      json_builder_end_object (b);
      root = json_builder_get_root (b);
      kiosk_ctl_print_json (root);
    }
  else
    g_print ("City key %s installed in %s; receipts are now sealed to it.\n", id, output);
  return KIOSK_CTL_EXIT_OK;
}

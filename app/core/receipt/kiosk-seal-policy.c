/* kiosk-seal-policy.c
 *
 * SPDX-FileCopyrightText: 2026 Stadtkiosk contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "kiosk-seal-policy"

#include "config.h"

#include "kiosk-seal-policy.h"

#include <gio/gio.h>
#include <glib/gstdio.h>

#include "kiosk-keys.h"

/* "Never a silent clear copy" (README).  The city's public key sits in the
 * state directory (keys import-city) unless [keys] city-public-key names
 * another file.  Before #12 a kiosk whose key file had gone simply stored
 * the next answers in clear and said nothing.
 *
 * Now the kiosk remembers that it had a city key: a marker file
 * STATE/city-public.key.installed, written by `keys import-city` and
 * whenever the key is found in its place.  A missing key with the marker
 * present, or a configured key file that is missing, refuses new requests
 * with a message naming the file (the kiosk goes out of service, `alerts`
 * names it).  A kiosk that never had a key stores in clear, and `config
 * check` and `alerts` say so, unless the configuration says `[keys] seal =
 * off`, which is the admin's explicit choice. */

#define MARKER "city-public.key.installed"

static char *
default_key_path (KioskConfig *config)
{
  return g_build_filename (kiosk_config_get_state_dir (config), "city-public.key", NULL);
}

static char *
marker_path (KioskConfig *config)
{
  return g_build_filename (kiosk_config_get_state_dir (config), MARKER, NULL);
}

/**
 * kiosk_seal_policy_remember:
 *
 * Notes in the state directory that this kiosk has a city key, so that its
 * disappearance is an error from now on.
 */
gboolean
kiosk_seal_policy_remember (KioskConfig  *config,
                            GError      **error)
{
  g_autofree char *marker = marker_path (config);

  g_return_val_if_fail (KIOSK_IS_CONFIG (config), FALSE);

  if (g_file_test (marker, G_FILE_TEST_EXISTS))
    return TRUE;
  g_mkdir_with_parents (kiosk_config_get_state_dir (config), 0750);
  return g_file_set_contents_full (marker,
                                   "This kiosk had the city's public key; answers are only stored sealed.\n"
                                   "Delete this file only with the key, and only to stop sealing.\n",
                                   -1, G_FILE_SET_CONTENTS_CONSISTENT, 0600, error);
}

/**
 * kiosk_seal_policy_get:
 * @out_policy: (out): what to do with a new request's answers
 *
 * Returns: %TRUE, or %FALSE with @error set (%KIOSK_KEYS_ERROR_MISSING,
 *   naming the file) when a city key is configured or was installed but
 *   is not there: then no new request may be stored.
 */
gboolean
kiosk_seal_policy_get (KioskConfig      *config,
                       KioskSealPolicy  *out_policy,
                       GError          **error)
{
  g_autofree char *def = NULL;
  g_autofree char *marker = NULL;
  const char *configured;

  g_return_val_if_fail (KIOSK_IS_CONFIG (config), FALSE);
  g_return_val_if_fail (out_policy != NULL, FALSE);

  *out_policy = KIOSK_SEAL_POLICY_SEAL;
  configured = kiosk_config_get_city_public_key_file (config);
  /* Demo keys, or a file named in the configuration: kiosk_keys_load_for_kiosk()
   * refuses a missing one with the key named. */
  if (kiosk_config_get_keys_demo (config) || (configured != NULL && *configured != '\0'))
    return TRUE;

  def = default_key_path (config);
  if (g_file_test (def, G_FILE_TEST_EXISTS))
    {
      /* Best effort: a read-only state directory must not stop sealing. */
      kiosk_seal_policy_remember (config, NULL);
      return TRUE;
    }
  marker = marker_path (config);
  if (g_file_test (marker, G_FILE_TEST_EXISTS) && !kiosk_config_get_seal_off (config))
    {
      g_set_error (error, KIOSK_KEYS_ERROR, KIOSK_KEYS_ERROR_MISSING,
                   "the city's key %s is missing (this kiosk had it, see %s): new requests are refused "
                   "so that none is stored in clear; put it back with: stadtkioskctl keys import-city FILE",
                   def, marker);
      return FALSE;
    }
  *out_policy = kiosk_config_get_seal_off (config) ? KIOSK_SEAL_POLICY_CLEAR_OFF : KIOSK_SEAL_POLICY_CLEAR_NO_KEY;
  return TRUE;
}

/**
 * kiosk_seal_policy_dup_warning:
 *
 * Returns: (transfer full) (nullable): what `config check` and `alerts`
 *   report about sealing: a missing key, or answers stored in clear without
 *   `[keys] seal = off`; %NULL when all is as it should be
 */
char *
kiosk_seal_policy_dup_warning (KioskConfig *config)
{
  g_autoptr(GError) error = NULL;
  KioskSealPolicy policy;

  g_return_val_if_fail (KIOSK_IS_CONFIG (config), NULL);

  if (!kiosk_seal_policy_get (config, &policy, &error))
    return g_strdup (error->message);
  if (policy == KIOSK_SEAL_POLICY_CLEAR_NO_KEY)
    {
      g_autofree char *def = default_key_path (config);

      return g_strdup_printf ("[keys] mode = real without the city's key (%s): answers are stored in clear "
                              "on this kiosk; install it with: stadtkioskctl keys import-city FILE "
                              "(or say [keys] seal = off to store in clear on purpose)", def);
    }
  return NULL;
}

/* kiosk-keys.c
 *
 * SPDX-FileCopyrightText: 2026 Stadtkiosk contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "kiosk-receipt"

#include "config.h"

#include "kiosk-keys.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <sodium.h>
#include <sys/stat.h>

/* Key files are small GKeyFiles, one group naming what the file holds, so
 * that a key in the wrong place is recognised and named, not misused:
 *
 *   [Stadtkiosk Signing Key]        kiosk-id, public-key, secret-key   (0600)
 *   [Stadtkiosk Kiosk Public Key]   kiosk-id, public-key
 *   [Stadtkiosk City Secret Key]    public-key, secret-key             (0600)
 *   [Stadtkiosk City Public Key]    public-key
 *
 * Keys are standard base64.  Without explicit paths in [keys], a kiosk
 * looks for STATE_DIR/kiosk-signing.key and STATE_DIR/city-public.key
 * (a counter for STATE_DIR/city-secret.key), which is where
 * `stadtkioskctl keys generate` and `keys import-city` put them; with
 * [keys] mode=demo, in STATE_DIR/keys/demo/.
 */

#define GROUP_SIGNING      "Stadtkiosk Signing Key"
#define GROUP_KIOSK_PUBLIC "Stadtkiosk Kiosk Public Key"
#define GROUP_CITY_SECRET  "Stadtkiosk City Secret Key"
#define GROUP_CITY_PUBLIC  "Stadtkiosk City Public Key"

G_DEFINE_QUARK (kiosk-keys-error-quark, kiosk_keys_error)

static gboolean
ensure_sodium (GError **error)
{
  if (sodium_init () < 0)
    {
      g_set_error_literal (error, KIOSK_KEYS_ERROR, KIOSK_KEYS_ERROR_CRYPTO,
                           "libsodium could not be initialised");
      return FALSE;
    }
  return TRUE;
}

static const char *
describe_group (const char *group)
{
  if (g_str_equal (group, GROUP_SIGNING))
    return "a kiosk signing key (secret)";
  if (g_str_equal (group, GROUP_KIOSK_PUBLIC))
    return "a kiosk public key";
  if (g_str_equal (group, GROUP_CITY_SECRET))
    return "a city secret key";
  if (g_str_equal (group, GROUP_CITY_PUBLIC))
    return "a city public key";
  return group;
}

static gboolean
check_private_mode (const char  *path,
                    GError     **error)
{
  GStatBuf st;

  if (g_stat (path, &st) != 0)
    {
      int saved = errno;

      g_set_error (error, KIOSK_KEYS_ERROR, KIOSK_KEYS_ERROR_MISSING,
                   "key file %s: %s", path, g_strerror (saved));
      return FALSE;
    }
  if ((st.st_mode & 077) != 0)
    {
      g_set_error (error, KIOSK_KEYS_ERROR, KIOSK_KEYS_ERROR_INSECURE,
                   "secret key file %s is readable by group or others (mode %04o); run: chmod 600 %s",
                   path, (guint) (st.st_mode & 07777), path);
      return FALSE;
    }
  return TRUE;
}

/* Loads @path and returns the key file and its one known group. */
static GKeyFile *
load_key_file (const char  *path,
               const char **out_group,
               GError     **error)
{
  static const char *known[] = { GROUP_SIGNING, GROUP_KIOSK_PUBLIC, GROUP_CITY_SECRET, GROUP_CITY_PUBLIC };
  g_autoptr(GKeyFile) keyfile = g_key_file_new ();
  g_autoptr(GError) local_error = NULL;

  if (path == NULL || *path == '\0')
    {
      g_set_error_literal (error, KIOSK_KEYS_ERROR, KIOSK_KEYS_ERROR_MISSING, "no key file given");
      return NULL;
    }
  if (!g_key_file_load_from_file (keyfile, path, G_KEY_FILE_NONE, &local_error))
    {
      if (g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
        g_set_error (error, KIOSK_KEYS_ERROR, KIOSK_KEYS_ERROR_MISSING,
                     "key file %s does not exist", path);
      else
        g_set_error (error, KIOSK_KEYS_ERROR, KIOSK_KEYS_ERROR_INVALID,
                     "key file %s is not a Stadtkiosk key file: %s", path, local_error->message);
      return NULL;
    }
  for (guint i = 0; i < G_N_ELEMENTS (known); i++)
    if (g_key_file_has_group (keyfile, known[i]))
      {
        *out_group = known[i];
        return g_steal_pointer (&keyfile);
      }
  g_set_error (error, KIOSK_KEYS_ERROR, KIOSK_KEYS_ERROR_INVALID,
               "key file %s is not a Stadtkiosk key file (expected a group [%s], [%s], [%s] or [%s])",
               path, known[0], known[1], known[2], known[3]);
  return NULL;
}

static gboolean
read_key (GKeyFile    *keyfile,
          const char  *path,
          const char  *group,
          const char  *name,
          guint8      *out,
          gsize        len,
          GError     **error)
{
  g_autofree char *text = g_key_file_get_string (keyfile, group, name, NULL);
  g_autofree guchar *raw = NULL;
  gsize raw_len = 0;

  if (text == NULL)
    {
      g_set_error (error, KIOSK_KEYS_ERROR, KIOSK_KEYS_ERROR_INVALID,
                   "key file %s: [%s] has no %s", path, group, name);
      return FALSE;
    }
  g_strstrip (text);
  raw = g_base64_decode (text, &raw_len);
  if (raw_len != len)
    {
      if (raw != NULL)
        sodium_memzero (raw, raw_len);
      g_set_error (error, KIOSK_KEYS_ERROR, KIOSK_KEYS_ERROR_INVALID,
                   "key file %s: [%s] %s is not a base64 key of %zu bytes (found %zu bytes)",
                   path, group, name, len, raw_len);
      return FALSE;
    }
  memcpy (out, raw, len);
  sodium_memzero (raw, raw_len);
  return TRUE;
}

static gboolean
save_key_file (GKeyFile    *keyfile,
               const char  *path,
               int          mode,
               const char  *comment,
               GError     **error)
{
  g_autofree char *data = NULL;
  g_autofree char *dir = g_path_get_dirname (path);
  gsize len = 0;
  gboolean ok;

  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved = errno;

      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved),
                   "cannot create directory %s: %s", dir, g_strerror (saved));
      return FALSE;
    }
  g_key_file_set_comment (keyfile, NULL, NULL, comment, NULL);
  data = g_key_file_to_data (keyfile, &len, NULL);
  ok = g_file_set_contents_full (path, data, (gssize) len, G_FILE_SET_CONTENTS_CONSISTENT, mode, error);
  sodium_memzero (data, len);
  if (ok && g_chmod (path, mode) != 0)
    {
      int saved = errno;

      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved),
                   "cannot set mode %04o on %s: %s", (guint) mode, path, g_strerror (saved));
      return FALSE;
    }
  return ok;
}

static void
set_key (GKeyFile     *keyfile,
         const char   *group,
         const char   *name,
         const guint8 *key,
         gsize         len)
{
  g_autofree char *text = g_base64_encode (key, len);

  g_key_file_set_string (keyfile, group, name, text);
  sodium_memzero (text, strlen (text));
}

KioskSigningKey *
kiosk_signing_key_generate (const char  *kiosk_id,
                            GError     **error)
{
  g_autoptr(KioskSigningKey) key = NULL;

  g_return_val_if_fail (kiosk_id != NULL && *kiosk_id != '\0', NULL);

  if (!ensure_sodium (error))
    return NULL;
  key = g_new0 (KioskSigningKey, 1);
  key->kiosk_id = g_strdup (kiosk_id);
  crypto_sign_keypair (key->public_key, key->secret_key);
  key->has_secret = TRUE;
  return g_steal_pointer (&key);
}

/* Reads a secret key from a 0600 file and checks that it belongs to the
 * public key read before it: @derive computes a public key from a secret
 * one (crypto_sign_ed25519_sk_to_pk, crypto_scalarmult_base). */
static gboolean
read_secret_key (GKeyFile      *keyfile,
                 const char    *path,
                 const char    *group,
                 guint8        *secret_key,
                 gsize          secret_size,
                 const guint8  *public_key,
                 gsize          public_size,
                 int          (*derive) (unsigned char *pk, const unsigned char *sk),
                 GError       **error)
{
  guint8 derived[KIOSK_SIGN_PUBLIC_BYTES];

  G_STATIC_ASSERT (KIOSK_SIGN_PUBLIC_BYTES == KIOSK_BOX_PUBLIC_BYTES);
  g_assert (public_size == sizeof derived);

  if (!check_private_mode (path, error))
    return FALSE;
  if (!read_key (keyfile, path, group, "secret-key", secret_key, secret_size, error))
    return FALSE;
  derive (derived, secret_key);
  if (sodium_memcmp (derived, public_key, sizeof derived) != 0)
    {
      g_set_error (error, KIOSK_KEYS_ERROR, KIOSK_KEYS_ERROR_INVALID,
                   "key file %s: public-key does not belong to secret-key (damaged file?)", path);
      return FALSE;
    }
  return TRUE;
}

/**
 * kiosk_signing_key_load:
 * @path: a signing key file or a kiosk public key file
 *
 * Loads a kiosk's key.  A secret key file must have mode 0600 (or
 * stricter); a public key file yields a key with @has_secret unset.
 */
KioskSigningKey *
kiosk_signing_key_load (const char  *path,
                        GError     **error)
{
  g_autoptr(KioskSigningKey) key = g_new0 (KioskSigningKey, 1);
  g_autoptr(GKeyFile) keyfile = NULL;
  const char *group = NULL;

  if (!ensure_sodium (error))
    return NULL;
  keyfile = load_key_file (path, &group, error);
  if (keyfile == NULL)
    return NULL;
  if (!g_str_equal (group, GROUP_SIGNING) && !g_str_equal (group, GROUP_KIOSK_PUBLIC))
    {
      g_set_error (error, KIOSK_KEYS_ERROR, KIOSK_KEYS_ERROR_WRONG_KIND,
                   "key file %s holds %s, but a kiosk key was expected", path, describe_group (group));
      return NULL;
    }
  key->kiosk_id = g_key_file_get_string (keyfile, group, "kiosk-id", NULL);
  if (key->kiosk_id == NULL || *key->kiosk_id == '\0')
    {
      g_set_error (error, KIOSK_KEYS_ERROR, KIOSK_KEYS_ERROR_INVALID,
                   "key file %s: [%s] has no kiosk-id", path, group);
      return NULL;
    }
  if (!read_key (keyfile, path, group, "public-key", key->public_key, sizeof key->public_key, error))
    return NULL;
  if (g_str_equal (group, GROUP_SIGNING))
    {
      if (!read_secret_key (keyfile, path, group, key->secret_key, sizeof key->secret_key,
                            key->public_key, sizeof key->public_key, crypto_sign_ed25519_sk_to_pk, error))
        return NULL;
      key->has_secret = TRUE;
    }
  return g_steal_pointer (&key);
}

gboolean
kiosk_signing_key_save (const KioskSigningKey  *key,
                        const char             *path,
                        GError                **error)
{
  g_autoptr(GKeyFile) keyfile = g_key_file_new ();

  g_return_val_if_fail (key != NULL && key->has_secret, FALSE);

  g_key_file_set_string (keyfile, GROUP_SIGNING, "kiosk-id", key->kiosk_id);
  set_key (keyfile, GROUP_SIGNING, "public-key", key->public_key, sizeof key->public_key);
  set_key (keyfile, GROUP_SIGNING, "secret-key", key->secret_key, sizeof key->secret_key);
  return save_key_file (keyfile, path, 0600,
                        " Stadtkiosk kiosk signing key (Ed25519). Secret: keep this file mode 0600.",
                        error);
}

char *
kiosk_signing_key_to_public_text (const KioskSigningKey *key)
{
  g_autoptr(GKeyFile) keyfile = g_key_file_new ();

  g_return_val_if_fail (key != NULL, NULL);

  g_key_file_set_comment (keyfile, NULL, NULL,
                          " Stadtkiosk kiosk public key (Ed25519): give it to the counter workstations ([keys] trusted-kiosks).",
                          NULL);
  g_key_file_set_string (keyfile, GROUP_KIOSK_PUBLIC, "kiosk-id", key->kiosk_id);
  set_key (keyfile, GROUP_KIOSK_PUBLIC, "public-key", key->public_key, sizeof key->public_key);
  return g_key_file_to_data (keyfile, NULL, NULL);
}

gboolean
kiosk_signing_key_save_public (const KioskSigningKey  *key,
                               const char             *path,
                               GError                **error)
{
  g_autofree char *text = kiosk_signing_key_to_public_text (key);

  return g_file_set_contents_full (path, text, -1, G_FILE_SET_CONTENTS_CONSISTENT, 0644, error);
}

void
kiosk_signing_key_free (KioskSigningKey *key)
{
  if (key == NULL)
    return;
  g_free (key->kiosk_id);
  sodium_memzero (key, sizeof *key);
  g_free (key);
}

KioskCityKey *
kiosk_city_key_generate (GError **error)
{
  KioskCityKey *key;

  if (!ensure_sodium (error))
    return NULL;
  key = g_new0 (KioskCityKey, 1);
  crypto_box_keypair (key->public_key, key->secret_key);
  key->has_secret = TRUE;
  return key;
}

/**
 * kiosk_city_key_load:
 * @path: a city secret or public key file
 * @need_secret: fail unless the file holds the secret key
 */
KioskCityKey *
kiosk_city_key_load (const char  *path,
                     gboolean     need_secret,
                     GError     **error)
{
  g_autoptr(KioskCityKey) key = g_new0 (KioskCityKey, 1);
  g_autoptr(GKeyFile) keyfile = NULL;
  const char *group = NULL;

  if (!ensure_sodium (error))
    return NULL;
  keyfile = load_key_file (path, &group, error);
  if (keyfile == NULL)
    return NULL;
  if (!g_str_equal (group, GROUP_CITY_SECRET) && !g_str_equal (group, GROUP_CITY_PUBLIC))
    {
      g_set_error (error, KIOSK_KEYS_ERROR, KIOSK_KEYS_ERROR_WRONG_KIND,
                   "key file %s holds %s, but a city key was expected", path, describe_group (group));
      return NULL;
    }
  if (need_secret && !g_str_equal (group, GROUP_CITY_SECRET))
    {
      g_set_error (error, KIOSK_KEYS_ERROR, KIOSK_KEYS_ERROR_WRONG_KIND,
                   "key file %s holds the city's public key; opening receipts needs the city's secret key "
                   "([keys] city-secret-key or --city-key)", path);
      return NULL;
    }
  if (!read_key (keyfile, path, group, "public-key", key->public_key, sizeof key->public_key, error))
    return NULL;
  if (g_str_equal (group, GROUP_CITY_SECRET))
    {
      if (!read_secret_key (keyfile, path, group, key->secret_key, sizeof key->secret_key,
                            key->public_key, sizeof key->public_key, crypto_scalarmult_base, error))
        return NULL;
      key->has_secret = TRUE;
    }
  return g_steal_pointer (&key);
}

gboolean
kiosk_city_key_save_secret (const KioskCityKey  *key,
                            const char          *path,
                            GError             **error)
{
  g_autoptr(GKeyFile) keyfile = g_key_file_new ();

  g_return_val_if_fail (key != NULL && key->has_secret, FALSE);

  set_key (keyfile, GROUP_CITY_SECRET, "public-key", key->public_key, sizeof key->public_key);
  set_key (keyfile, GROUP_CITY_SECRET, "secret-key", key->secret_key, sizeof key->secret_key);
  return save_key_file (keyfile, path, 0600,
                        " Stadtkiosk city secret key (X25519). Opens every receipt: keep it mode 0600, "
                        "only on counter workstations and the city backend.",
                        error);
}

gboolean
kiosk_city_key_save_public (const KioskCityKey  *key,
                            const char          *path,
                            GError             **error)
{
  g_autoptr(GKeyFile) keyfile = g_key_file_new ();

  g_return_val_if_fail (key != NULL, FALSE);

  set_key (keyfile, GROUP_CITY_PUBLIC, "public-key", key->public_key, sizeof key->public_key);
  return save_key_file (keyfile, path, 0644,
                        " Stadtkiosk city public key (X25519): install on kiosks with stadtkioskctl keys import-city.",
                        error);
}

/* The first bytes of BLAKE2b (public key): which city key a payload was
 * sealed to, so that a wrong key is told apart from a damaged payload. */
void
kiosk_city_key_get_id (const KioskCityKey *key,
                       guint8              out_id[KIOSK_KEY_ID_BYTES])
{
  guint8 hash[crypto_generichash_BYTES];

  g_return_if_fail (key != NULL);

  crypto_generichash (hash, sizeof hash, key->public_key, sizeof key->public_key, NULL, 0);
  memcpy (out_id, hash, KIOSK_KEY_ID_BYTES);
}

char *
kiosk_city_key_dup_id_string (const KioskCityKey *key)
{
  guint8 id[KIOSK_KEY_ID_BYTES];

  kiosk_city_key_get_id (key, id);
  return g_strdup_printf ("%02x%02x%02x%02x", id[0], id[1], id[2], id[3]);
}

void
kiosk_city_key_free (KioskCityKey *key)
{
  if (key == NULL)
    return;
  sodium_memzero (key, sizeof *key);
  g_free (key);
}

KioskKeys *
kiosk_keys_new (void)
{
  KioskKeys *self = g_new0 (KioskKeys, 1);

  self->trusted = g_ptr_array_new_with_free_func ((GDestroyNotify) kiosk_signing_key_free);
  return self;
}

void
kiosk_keys_free (KioskKeys *self)
{
  if (self == NULL)
    return;
  g_clear_pointer (&self->signing, kiosk_signing_key_free);
  g_clear_pointer (&self->city, kiosk_city_key_free);
  g_clear_pointer (&self->trusted, g_ptr_array_unref);
  g_free (self);
}

const KioskSigningKey *
kiosk_keys_find_trusted (KioskKeys  *self,
                         const char *kiosk_id)
{
  g_return_val_if_fail (self != NULL, NULL);

  for (guint i = 0; i < self->trusted->len; i++)
    {
      const KioskSigningKey *k = self->trusted->pdata[i];

      if (g_strcmp0 (k->kiosk_id, kiosk_id) == 0)
        return k;
    }
  return NULL;
}

char *
kiosk_keys_dup_demo_dir (KioskConfig *config)
{
  return g_build_filename (kiosk_config_get_state_dir (config), "keys", "demo", NULL);
}

/**
 * kiosk_keys_ensure_demo:
 *
 * With `[keys] mode=demo`, creates throw-away keys in STATE_DIR/keys/demo
 * unless they exist: the kiosk's signing key (and its public half for the
 * counter) and a city key pair.  Receipts signed with them say "DEMO".
 */
gboolean
kiosk_keys_ensure_demo (KioskConfig  *config,
                        GError      **error)
{
  g_autofree char *dir = kiosk_keys_dup_demo_dir (config);
  g_autofree char *signing_path = g_build_filename (dir, "signing.key", NULL);
  g_autofree char *kiosk_pub_path = g_build_filename (dir, "kiosk.pub", NULL);
  g_autofree char *city_path = g_build_filename (dir, "city.key", NULL);
  g_autofree char *city_pub_path = g_build_filename (dir, "city.pub", NULL);

  if (!g_file_test (signing_path, G_FILE_TEST_EXISTS))
    {
      g_autoptr(KioskSigningKey) key = kiosk_signing_key_generate (kiosk_config_get_kiosk_id (config), error);

      if (key == NULL ||
          !kiosk_signing_key_save (key, signing_path, error) ||
          !kiosk_signing_key_save_public (key, kiosk_pub_path, error))
        return FALSE;
    }
  if (!g_file_test (city_path, G_FILE_TEST_EXISTS))
    {
      g_autoptr(KioskCityKey) key = kiosk_city_key_generate (error);

      if (key == NULL ||
          !kiosk_city_key_save_secret (key, city_path, error) ||
          !kiosk_city_key_save_public (key, city_pub_path, error))
        return FALSE;
    }
  return TRUE;
}

/* The file for one key: the configured one; in demo mode the demo key
 * unless a path other than the default was configured; otherwise the
 * default in the state directory. */
static char *
pick_path (KioskConfig *config,
           const char  *configured,
           const char  *default_name,
           const char  *demo_name)
{
  g_autofree char *def = g_build_filename (kiosk_config_get_state_dir (config), default_name, NULL);

  if (kiosk_config_get_keys_demo (config) &&
      (configured == NULL || *configured == '\0' || g_str_equal (configured, def)))
    {
      g_autofree char *dir = kiosk_keys_dup_demo_dir (config);
      return g_build_filename (dir, demo_name, NULL);
    }
  if (configured != NULL && *configured != '\0')
    return g_strdup (configured);
  return g_steal_pointer (&def);
}

static void
prefix_config (GError     **error,
               KioskConfig *config,
               const char  *key,
               const char  *hint)
{
  const char *path = kiosk_config_get_path (config);

  if (error != NULL && *error != NULL && (*error)->domain == KIOSK_KEYS_ERROR &&
      (*error)->code == KIOSK_KEYS_ERROR_MISSING)
    g_prefix_error (error, "[keys] %s (%s): ", key, path != NULL ? path : "default configuration");
  if (error != NULL && *error != NULL && hint != NULL)
    {
      g_autofree char *msg = g_strdup_printf ("%s; %s", (*error)->message, hint);
      g_free ((*error)->message);
      (*error)->message = g_steal_pointer (&msg);
    }
}

/**
 * kiosk_keys_load_for_kiosk:
 *
 * The keys a kiosk needs to make receipts: its signing key and the city's
 * public key.  Either missing is an error naming the config key and the
 * command that makes it; only `[keys] mode=demo` creates keys by itself.
 */
KioskKeys *
kiosk_keys_load_for_kiosk (KioskConfig  *config,
                           GError      **error)
{
  g_autoptr(KioskKeys) keys = kiosk_keys_new ();
  g_autofree char *signing_path = NULL;
  g_autofree char *city_path = NULL;

  g_return_val_if_fail (KIOSK_IS_CONFIG (config), NULL);

  keys->demo = kiosk_config_get_keys_demo (config);
  if (keys->demo && !kiosk_keys_ensure_demo (config, error))
    return NULL;

  signing_path = pick_path (config, kiosk_config_get_signing_key_file (config), "kiosk-signing.key", "signing.key");
  keys->signing = kiosk_signing_key_load (signing_path, error);
  if (keys->signing == NULL)
    {
      prefix_config (error, config, "signing-key", "create one with: stadtkioskctl keys generate");
      return NULL;
    }
  if (!keys->signing->has_secret)
    {
      g_set_error (error, KIOSK_KEYS_ERROR, KIOSK_KEYS_ERROR_WRONG_KIND,
                   "[keys] signing-key %s holds only a public key; a kiosk needs its signing key",
                   signing_path);
      return NULL;
    }
  if (!g_str_equal (keys->signing->kiosk_id, kiosk_config_get_kiosk_id (config)))
    {
      g_set_error (error, KIOSK_KEYS_ERROR, KIOSK_KEYS_ERROR_WRONG_KIND,
                   "[keys] signing-key %s belongs to kiosk '%s', but this kiosk is '%s' ([kiosk] id)",
                   signing_path, keys->signing->kiosk_id, kiosk_config_get_kiosk_id (config));
      return NULL;
    }

  city_path = pick_path (config, kiosk_config_get_city_public_key_file (config), "city-public.key", "city.pub");
  keys->city = kiosk_city_key_load (city_path, FALSE, error);
  if (keys->city == NULL)
    {
      prefix_config (error, config, "city-public-key",
                     "install the city's key with: stadtkioskctl keys import-city FILE");
      return NULL;
    }
  /* A kiosk never needs the city's secret; keep only the public half. */
  sodium_memzero (keys->city->secret_key, sizeof keys->city->secret_key);
  keys->city->has_secret = FALSE;

  return g_steal_pointer (&keys);
}

/**
 * kiosk_keys_load_for_counter:
 * @city_key_file: (nullable): overrides `[keys] city-secret-key`
 * @trust_files: (nullable): override `[keys] trusted-kiosks`
 *
 * The keys a counter workstation needs to open receipts: the city's secret
 * key and the public keys of the kiosks it trusts.
 */
KioskKeys *
kiosk_keys_load_for_counter (KioskConfig         *config,
                             const char          *city_key_file,
                             const char * const  *trust_files,
                             GError             **error)
{
  g_autoptr(KioskKeys) keys = kiosk_keys_new ();
  g_autofree char *city_path = NULL;
  const char * const *trusted = trust_files;
  g_autofree char *demo_pub = NULL;
  const char *demo_list[2] = { NULL, NULL };

  g_return_val_if_fail (KIOSK_IS_CONFIG (config), NULL);

  keys->demo = kiosk_config_get_keys_demo (config);
  if (keys->demo && !kiosk_keys_ensure_demo (config, error))
    return NULL;

  if (city_key_file != NULL)
    city_path = g_strdup (city_key_file);
  else
    city_path = pick_path (config, kiosk_config_get_city_secret_key_file (config), "city-secret.key", "city.key");
  keys->city = kiosk_city_key_load (city_path, TRUE, error);
  if (keys->city == NULL)
    {
      if (city_key_file == NULL)
        prefix_config (error, config, "city-secret-key", "or pass --city-key FILE");
      return NULL;
    }

  if (trusted == NULL || *trusted == NULL)
    trusted = kiosk_config_get_trusted_kiosk_files (config);
  if ((trusted == NULL || *trusted == NULL) && keys->demo)
    {
      g_autofree char *dir = kiosk_keys_dup_demo_dir (config);

      demo_pub = g_build_filename (dir, "kiosk.pub", NULL);
      demo_list[0] = demo_pub;
      trusted = demo_list;
    }
  if (trusted == NULL || *trusted == NULL)
    {
      g_set_error (error, KIOSK_KEYS_ERROR, KIOSK_KEYS_ERROR_MISSING,
                   "no trusted kiosks: set [keys] trusted-kiosks in %s or pass --trust FILE "
                   "(a kiosk prints its public key with: stadtkioskctl keys generate)",
                   kiosk_config_get_path (config) ? kiosk_config_get_path (config) : "the configuration");
      return NULL;
    }
  for (; *trusted != NULL; trusted++)
    {
      KioskSigningKey *k = kiosk_signing_key_load (*trusted, error);

      if (k == NULL)
        {
          g_prefix_error (error, "trusted kiosk key: ");
          return NULL;
        }
      /* The counter only verifies; drop any secret half it was given. */
      sodium_memzero (k->secret_key, sizeof k->secret_key);
      k->has_secret = FALSE;
      g_ptr_array_add (keys->trusted, k);
    }
  return g_steal_pointer (&keys);
}

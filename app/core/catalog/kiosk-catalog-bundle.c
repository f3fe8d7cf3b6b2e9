/* kiosk-catalog-bundle.c
 *
 * SPDX-FileCopyrightText: 2026 Stadtkiosk contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "kiosk-catalog-bundle"

#include "config.h"

#include "kiosk-catalog-bundle.h"
#include "kiosk-catalog.h"
#include "kiosk-json-private.h"
#include "kiosk-store.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <sodium.h>
#include <string.h>
#include <unistd.h>

/* A signed catalogue bundle: wherever a catalogue comes from outside (the
 * hub, a pull, a USB stick), a kiosk with [keys] catalog-public-key takes
 * only a bundle signed by the city, and never one older than what it runs.
 *
 *   {"format": "stadtkiosk-catalog-bundle", "bundle_version": 1,
 *    "catalog_version": "2026-11-26.1",
 *    "catalog": "<base64 of the catalogue's exact bytes>",
 *    "signature": "<base64 Ed25519 over the signed message>"}
 *
 * The signed message binds the version to the bytes:
 *   "stadtkiosk-catalog-bundle/1\n" VERSION "\n" BYTES
 * and the caller checks that the catalogue inside names the same version.
 *
 * Key files are one line: "stadtkiosk-catalog-secret-1:<base64 64 bytes>"
 * (mode 0600) and "stadtkiosk-catalog-public-1:<base64 32 bytes>". */

#define FORMAT "stadtkiosk-catalog-bundle"
#define SECRET_PREFIX "stadtkiosk-catalog-secret-1:"
#define PUBLIC_PREFIX "stadtkiosk-catalog-public-1:"
#define MESSAGE_PREFIX "stadtkiosk-catalog-bundle/1\n"
/* A catalogue is a few hundred KB; a bundle above this is refused unread. */
#define BUNDLE_MAX (16 * 1024 * 1024)

G_DEFINE_QUARK (kiosk-catalog-bundle-error-quark, kiosk_catalog_bundle_error)

static gboolean
ensure_sodium (GError **error)
{
  if (sodium_init () < 0)
    {
      g_set_error (error, KIOSK_CATALOG_BUNDLE_ERROR, KIOSK_CATALOG_BUNDLE_ERROR_KEY, "libsodium cannot start");
      return FALSE;
    }
  return TRUE;
}

static GBytes *
signed_message (GBytes     *catalog,
                const char *version)
{
  GByteArray *message = g_byte_array_new ();

  g_byte_array_append (message, (const guint8 *) MESSAGE_PREFIX, strlen (MESSAGE_PREFIX));
  g_byte_array_append (message, (const guint8 *) version, strlen (version));
  g_byte_array_append (message, (const guint8 *) "\n", 1);
  g_byte_array_append (message, g_bytes_get_data (catalog, NULL), g_bytes_get_size (catalog));
  return g_byte_array_free_to_bytes (message);
}

static guint8 *
read_key (const char  *path,
          const char  *prefix,
          gsize        size,
          gboolean     secret,
          GError     **error)
{
  g_autofree char *contents = NULL;
  g_autofree guint8 *key = NULL;
  g_autoptr(GError) local_error = NULL;
  GStatBuf st;
  gsize len = 0;

  if (g_stat (path, &st) != 0)
    {
      int errsv = errno;

      g_set_error (error, KIOSK_CATALOG_BUNDLE_ERROR, KIOSK_CATALOG_BUNDLE_ERROR_KEY,
                   "catalogue key %s: %s", path, g_strerror (errsv));
      return NULL;
    }
  if (secret && (st.st_mode & 077) != 0)
    {
      g_set_error (error, KIOSK_CATALOG_BUNDLE_ERROR, KIOSK_CATALOG_BUNDLE_ERROR_KEY,
                   "catalogue signing key %s is readable by group or others (mode %04o); run: chmod 600 %s",
                   path, (guint) (st.st_mode & 07777), path);
      return NULL;
    }
  if (!g_file_get_contents (path, &contents, NULL, &local_error))
    {
      g_set_error (error, KIOSK_CATALOG_BUNDLE_ERROR, KIOSK_CATALOG_BUNDLE_ERROR_KEY,
                   "catalogue key %s: %s", path, local_error->message);
      return NULL;
    }
  g_strstrip (contents);
  if (!g_str_has_prefix (contents, prefix))
    {
      g_set_error (error, KIOSK_CATALOG_BUNDLE_ERROR, KIOSK_CATALOG_BUNDLE_ERROR_KEY,
                   "%s is not a catalogue %s key (it should start with %s)", path,
                   secret ? "signing" : "public", prefix);
      return NULL;
    }
  key = g_base64_decode (contents + strlen (prefix), &len);
  if (len != size)
    {
      if (key != NULL)
        sodium_memzero (key, len);
      g_set_error (error, KIOSK_CATALOG_BUNDLE_ERROR, KIOSK_CATALOG_BUNDLE_ERROR_KEY,
                   "%s: the key has %zu bytes, not %zu", path, len, size);
      return NULL;
    }
  sodium_memzero (contents, strlen (contents));
  return g_steal_pointer (&key);
}

/**
 * kiosk_catalog_bundle_generate_keys:
 *
 * Creates an Ed25519 key pair for signing catalogues: the secret one (mode
 * 0600, for the city's IT only) and the public one (for every kiosk's
 * [keys] catalog-public-key).  Existing files are not overwritten.
 */
gboolean
kiosk_catalog_bundle_generate_keys (const char  *secret_path,
                                    const char  *public_path,
                                    GError     **error)
{
  guint8 pk[crypto_sign_PUBLICKEYBYTES];
  guint8 sk[crypto_sign_SECRETKEYBYTES];
  g_autofree char *sk64 = NULL;
  g_autofree char *pk64 = NULL;
  g_autofree char *secret_text = NULL;
  g_autofree char *public_text = NULL;
  int fd;

  if (!ensure_sodium (error))
    return FALSE;
  if (g_file_test (secret_path, G_FILE_TEST_EXISTS) || g_file_test (public_path, G_FILE_TEST_EXISTS))
    {
      g_set_error (error, KIOSK_CATALOG_BUNDLE_ERROR, KIOSK_CATALOG_BUNDLE_ERROR_KEY,
                   "%s or %s exists already; not overwriting a key", secret_path, public_path);
      return FALSE;
    }
  crypto_sign_keypair (pk, sk);
  sk64 = g_base64_encode (sk, sizeof sk);
  pk64 = g_base64_encode (pk, sizeof pk);
  sodium_memzero (sk, sizeof sk);
  secret_text = g_strconcat (SECRET_PREFIX, sk64, "\n", NULL);
  public_text = g_strconcat (PUBLIC_PREFIX, pk64, "\n", NULL);
  sodium_memzero (sk64, strlen (sk64));

  /* Created 0600 from the start, never briefly readable by others. */
  fd = g_open (secret_path, O_WRONLY | O_CREAT | O_EXCL, 0600);
  if (fd < 0 || write (fd, secret_text, strlen (secret_text)) != (gssize) strlen (secret_text) ||
      fsync (fd) != 0)
    {
      int errsv = errno;

      if (fd >= 0)
        close (fd);
      sodium_memzero (secret_text, strlen (secret_text));
      g_set_error (error, KIOSK_CATALOG_BUNDLE_ERROR, KIOSK_CATALOG_BUNDLE_ERROR_KEY,
                   "%s: %s", secret_path, g_strerror (errsv));
      return FALSE;
    }
  close (fd);
  sodium_memzero (secret_text, strlen (secret_text));
  if (!g_file_set_contents (public_path, public_text, -1, error))
    return FALSE;
  return TRUE;
}

/**
 * kiosk_catalog_bundle_sign:
 * @catalog: the catalogue's exact bytes (validated by the caller)
 * @version: the catalogue's version, as the catalogue names it
 *
 * Returns: (transfer full): the bundle, or %NULL with @error set
 */
GBytes *
kiosk_catalog_bundle_sign (GBytes      *catalog,
                           const char  *version,
                           const char  *secret_path,
                           GError     **error)
{
  g_autofree guint8 *sk = NULL;
  g_autoptr(GBytes) message = NULL;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *catalog64 = NULL;
  g_autofree char *signature64 = NULL;
  guint8 signature[crypto_sign_BYTES];
  char *text;
  gsize length;

  g_return_val_if_fail (catalog != NULL && version != NULL, NULL);

  if (!ensure_sodium (error))
    return NULL;
  sk = read_key (secret_path, SECRET_PREFIX, crypto_sign_SECRETKEYBYTES, TRUE, error);
  if (sk == NULL)
    return NULL;
  message = signed_message (catalog, version);
  crypto_sign_detached (signature, NULL, g_bytes_get_data (message, NULL), g_bytes_get_size (message), sk);
  sodium_memzero (sk, crypto_sign_SECRETKEYBYTES);

  catalog64 = g_base64_encode (g_bytes_get_data (catalog, NULL), g_bytes_get_size (catalog));
  signature64 = g_base64_encode (signature, sizeof signature);
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "format");
  json_builder_add_string_value (builder, FORMAT);
  json_builder_set_member_name (builder, "bundle_version");
  json_builder_add_int_value (builder, 1);
  json_builder_set_member_name (builder, "catalog_version");
  json_builder_add_string_value (builder, version);
  json_builder_set_member_name (builder, "catalog");
  json_builder_add_string_value (builder, catalog64);
  json_builder_set_member_name (builder, "signature");
  json_builder_add_string_value (builder, signature64);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  text = json_generator_to_data (generator, &length);
  return g_bytes_new_take (text, length);
}

/* Read before its signature is checked, so with the strict reader and its
 * depth limit: json-glib's parser overflows the stack on 100 KB of "[". */
static JsonObject *
parse_bundle (GBytes *bytes)
{
  g_autoptr(JsonNode) root = NULL;

  if (bytes == NULL || g_bytes_get_size (bytes) == 0 || g_bytes_get_size (bytes) > BUNDLE_MAX)
    return NULL;
  root = kiosk_json_parse_bytes (bytes, KIOSK_JSON_OUTSIDE_DEPTH, NULL);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root) ||
      g_strcmp0 (json_object_get_string_member_with_default (json_node_get_object (root), "format", ""), FORMAT) != 0)
    return NULL;
  return json_object_ref (json_node_get_object (root));
}

/**
 * kiosk_catalog_bundle_is_bundle:
 *
 * Returns: whether @bytes claim to be a catalogue bundle (not whether it
 *   verifies)
 */
gboolean
kiosk_catalog_bundle_is_bundle (GBytes *bytes)
{
  g_autoptr(JsonObject) object = parse_bundle (bytes);

  return object != NULL;
}

/**
 * kiosk_catalog_bundle_compare_versions:
 *
 * Catalogue versions compare as version strings ("2026-11-26.1" <
 * "2026-11-26.10" < "2026-12-01.1"): digit runs by their value.
 *
 * Returns: <0, 0 or >0 as @a is older, the same or newer than @b
 */
int
kiosk_catalog_bundle_compare_versions (const char *a,
                                       const char *b)
{
  while (*a != '\0' && *b != '\0')
    {
      if (g_ascii_isdigit (*a) && g_ascii_isdigit (*b))
        {
          const char *ea, *eb;
          gsize la, lb;
          int c;

          while (*a == '0' && g_ascii_isdigit (a[1]))
            a++;
          while (*b == '0' && g_ascii_isdigit (b[1]))
            b++;
          for (ea = a; g_ascii_isdigit (*ea); ea++)
            ;
          for (eb = b; g_ascii_isdigit (*eb); eb++)
            ;
          la = (gsize) (ea - a);
          lb = (gsize) (eb - b);
          if (la != lb)
            return la < lb ? -1 : 1;
          c = strncmp (a, b, la);
          if (c != 0)
            return c < 0 ? -1 : 1;
          a = ea;
          b = eb;
          continue;
        }
      if (*a != *b)
        return (guchar) *a < (guchar) *b ? -1 : 1;
      a++;
      b++;
    }
  return *a == *b ? 0 : (*a == '\0' ? -1 : 1);
}

static const char *
string_member (JsonObject *object,
               const char *member)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

/**
 * kiosk_catalog_bundle_open:
 * @bundle: what came from outside
 * @public_path: [keys] catalog-public-key
 * @active_version: (nullable): the version of the catalogue the kiosk runs
 * @out_version: (out) (optional): the bundle's catalogue version
 *
 * Verifies @bundle and refuses one older than @active_version (the same
 * version again is accepted: importing twice is harmless).  The caller must
 * still check that the catalogue inside names @out_version.
 *
 * Returns: (transfer full): the catalogue's exact bytes, or %NULL with
 *   @error set: UNSIGNED (a plain catalogue, or no signature), FORGED,
 *   ROLLBACK, INVALID or KEY, each with a message naming what and where
 */
GBytes *
kiosk_catalog_bundle_open (GBytes      *bundle,
                           const char  *public_path,
                           const char  *active_version,
                           char       **out_version,
                           GError     **error)
{
  g_autoptr(JsonObject) object = NULL;
  g_autofree guint8 *pk = NULL;
  g_autofree guint8 *catalog = NULL;
  g_autofree guint8 *signature = NULL;
  g_autoptr(GBytes) catalog_bytes = NULL;
  g_autoptr(GBytes) message = NULL;
  const char *version;
  const char *catalog64;
  const char *signature64;
  gsize catalog_len = 0;
  gsize signature_len = 0;

  g_return_val_if_fail (bundle != NULL, NULL);
  g_return_val_if_fail (public_path != NULL, NULL);

  if (!ensure_sodium (error))
    return NULL;
  object = parse_bundle (bundle);
  if (object == NULL)
    {
      g_set_error (error, KIOSK_CATALOG_BUNDLE_ERROR, KIOSK_CATALOG_BUNDLE_ERROR_UNSIGNED,
                   "not a signed catalogue bundle; this kiosk takes only catalogues signed by the city "
                   "([keys] catalog-public-key is set; sign with: stadtkioskctl catalog sign)");
      return NULL;
    }
  version = string_member (object, "catalog_version");
  catalog64 = string_member (object, "catalog");
  signature64 = string_member (object, "signature");
  if (signature64 == NULL || *signature64 == '\0')
    {
      g_set_error (error, KIOSK_CATALOG_BUNDLE_ERROR, KIOSK_CATALOG_BUNDLE_ERROR_UNSIGNED,
                   "the catalogue bundle carries no signature");
      return NULL;
    }
  if (json_object_get_int_member_with_default (object, "bundle_version", 0) != 1 ||
      version == NULL || *version == '\0' || catalog64 == NULL)
    {
      g_set_error (error, KIOSK_CATALOG_BUNDLE_ERROR, KIOSK_CATALOG_BUNDLE_ERROR_INVALID,
                   "the catalogue bundle lacks bundle_version 1, catalog_version or catalog");
      return NULL;
    }
  catalog = g_base64_decode (catalog64, &catalog_len);
  signature = g_base64_decode (signature64, &signature_len);
  if (catalog == NULL || catalog_len == 0 || signature_len != crypto_sign_BYTES)
    {
      g_set_error (error, KIOSK_CATALOG_BUNDLE_ERROR, KIOSK_CATALOG_BUNDLE_ERROR_INVALID,
                   "the catalogue bundle's catalog or signature is not valid base64 of the right size");
      return NULL;
    }

  pk = read_key (public_path, PUBLIC_PREFIX, crypto_sign_PUBLICKEYBYTES, FALSE, error);
  if (pk == NULL)
    return NULL;
  catalog_bytes = g_bytes_new_take (g_steal_pointer (&catalog), catalog_len);
  message = signed_message (catalog_bytes, version);
  if (crypto_sign_verify_detached (signature, g_bytes_get_data (message, NULL), g_bytes_get_size (message), pk) != 0)
    {
      g_set_error (error, KIOSK_CATALOG_BUNDLE_ERROR, KIOSK_CATALOG_BUNDLE_ERROR_FORGED,
                   "the catalogue bundle (version %s) is not signed by the key in %s: refused", version, public_path);
      return NULL;
    }
  if (active_version != NULL && kiosk_catalog_bundle_compare_versions (version, active_version) < 0)
    {
      g_set_error (error, KIOSK_CATALOG_BUNDLE_ERROR, KIOSK_CATALOG_BUNDLE_ERROR_ROLLBACK,
                   "the catalogue bundle has version %s, older than the active %s: refused (no rollback)",
                   version, active_version);
      return NULL;
    }
  if (out_version != NULL)
    *out_version = g_strdup (version);
  return g_steal_pointer (&catalog_bytes);
}

/**
 * kiosk_catalog_bundle_unwrap:
 * @store: the kiosk's store: the active catalogue's version, and the
 *   setting behind the `catalog` alert
 * @public_path: (nullable): [keys] catalog-public-key; %NULL or "" for none
 * @bytes: a catalogue or bundle that came from outside
 * @what: where it came from (a file, a URL), for the messages
 *
 * The one rule for every catalogue from outside (`catalog import`, `hub
 * pull-catalog`, the Submission API's `catalog pull`): with a key, only a
 * bundle signed with it, whose catalogue names the bundle's version, and
 * never one older than the active catalogue.  A refusal is remembered for
 * the alert (%KIOSK_CATALOG_BUNDLE_REFUSED_SETTING) until a good bundle
 * comes.  Without a key, a plain catalogue passes and a bundle is refused,
 * with the alert (nothing could check it).
 *
 * Returns: (transfer full): the catalogue's bytes to validate and store,
 *   or %NULL with @error set (%KIOSK_CATALOG_BUNDLE_ERROR), its message
 *   starting with @what
 */
GBytes *
kiosk_catalog_bundle_unwrap (KioskStore  *store,
                             const char  *public_path,
                             GBytes      *bytes,
                             const char  *what,
                             GError     **error)
{
  g_autoptr(KioskCatalog) active = NULL;
  g_autoptr(KioskCatalog) inside = NULL;
  g_autoptr(GBytes) catalog = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *version = NULL;

  g_return_val_if_fail (KIOSK_IS_STORE (store), NULL);
  g_return_val_if_fail (bytes != NULL && what != NULL, NULL);

  if (public_path == NULL || *public_path == '\0')
    {
      if (kiosk_catalog_bundle_is_bundle (bytes))
        {
          g_autofree char *message = g_strdup_printf ("%s is a signed catalogue bundle, but [keys] "
                                                      "catalog-public-key is not set to check it", what);

          kiosk_store_set_setting (store, KIOSK_CATALOG_BUNDLE_REFUSED_SETTING, message, NULL);
          g_set_error_literal (error, KIOSK_CATALOG_BUNDLE_ERROR, KIOSK_CATALOG_BUNDLE_ERROR_KEY, message);
          return NULL;
        }
      return g_bytes_ref (bytes);
    }

  active = kiosk_catalog_load_active (store, NULL);
  catalog = kiosk_catalog_bundle_open (bytes, public_path, active != NULL ? kiosk_catalog_get_version (active) : NULL,
                                       &version, &local_error);
  if (catalog != NULL)
    {
      inside = kiosk_catalog_new_from_bytes (catalog, what, NULL);
      if (inside != NULL && g_strcmp0 (kiosk_catalog_get_version (inside), version) != 0)
        g_set_error (&local_error, KIOSK_CATALOG_BUNDLE_ERROR, KIOSK_CATALOG_BUNDLE_ERROR_FORGED,
                     "the bundle says version %s, the catalogue inside says %s: refused",
                     version, kiosk_catalog_get_version (inside));
    }
  if (local_error != NULL)
    {
      g_autofree char *message = g_strdup_printf ("%s: %s", what, local_error->message);

      /* For the alert; a failure to remember it must not hide the refusal. */
      kiosk_store_set_setting (store, KIOSK_CATALOG_BUNDLE_REFUSED_SETTING, message, NULL);
      g_set_error_literal (error, local_error->domain, local_error->code, message);
      return NULL;
    }
  kiosk_store_set_setting (store, KIOSK_CATALOG_BUNDLE_REFUSED_SETTING, "", NULL);
  return g_steal_pointer (&catalog);
}

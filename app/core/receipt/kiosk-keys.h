/* kiosk-keys.h
 *
 * SPDX-FileCopyrightText: 2026 Stadtkiosk contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

#include "kiosk-config.h"

G_BEGIN_DECLS

#define KIOSK_KEYS_ERROR (kiosk_keys_error_quark ())

typedef enum
{
  KIOSK_KEYS_ERROR_MISSING,      /* no key configured, or the file does not exist */
  KIOSK_KEYS_ERROR_INSECURE,     /* a secret key file readable by group or others */
  KIOSK_KEYS_ERROR_INVALID,      /* not a Stadtkiosk key file, or damaged */
  KIOSK_KEYS_ERROR_WRONG_KIND,   /* e.g. a city public key where a secret key is needed */
  KIOSK_KEYS_ERROR_CRYPTO,       /* libsodium could not be initialised */
} KioskKeysError;

#define KIOSK_SIGN_PUBLIC_BYTES 32
#define KIOSK_SIGN_SECRET_BYTES 64
#define KIOSK_BOX_PUBLIC_BYTES  32
#define KIOSK_BOX_SECRET_BYTES  32
#define KIOSK_KEY_ID_BYTES      4

/**
 * KioskSigningKey:
 * @kiosk_id: the kiosk this key belongs to
 * @public_key: Ed25519 public key
 * @secret_key: (nullable): Ed25519 secret key; all zero in a trusted-kiosk entry
 * @has_secret: whether @secret_key is set
 *
 * A kiosk's signing key, or (without the secret half) a trusted kiosk's
 * public key on a counter workstation.
 */
typedef struct
{
  char     *kiosk_id;
  guint8    public_key[KIOSK_SIGN_PUBLIC_BYTES];
  guint8    secret_key[KIOSK_SIGN_SECRET_BYTES];
  gboolean  has_secret;
} KioskSigningKey;

/**
 * KioskCityKey:
 * @public_key: X25519 public key receipts are sealed to
 * @secret_key: X25519 secret key (counter workstation and backend only)
 * @has_secret: whether @secret_key is set
 */
typedef struct
{
  guint8    public_key[KIOSK_BOX_PUBLIC_BYTES];
  guint8    secret_key[KIOSK_BOX_SECRET_BYTES];
  gboolean  has_secret;
} KioskCityKey;

/**
 * KioskKeys:
 * @signing: (nullable): the kiosk's own signing key
 * @city: (nullable): the city key (public, or with its secret on a counter)
 * @trusted: (element-type KioskSigningKey): trusted kiosks' public keys
 * @demo: the keys are throw-away demo keys
 *
 * The keys one process works with, as the configuration names them.
 */
typedef struct
{
  KioskSigningKey *signing;
  KioskCityKey    *city;
  GPtrArray       *trusted;
  gboolean         demo;
} KioskKeys;

GQuark           kiosk_keys_error_quark          (void);

KioskSigningKey *kiosk_signing_key_generate      (const char             *kiosk_id,
                                                  GError                **error);
KioskSigningKey *kiosk_signing_key_load          (const char             *path,
                                                  GError                **error);
gboolean         kiosk_signing_key_save          (const KioskSigningKey  *key,
                                                  const char             *path,
                                                  GError                **error);
gboolean         kiosk_signing_key_save_public   (const KioskSigningKey  *key,
                                                  const char             *path,
                                                  GError                **error);
char            *kiosk_signing_key_to_public_text (const KioskSigningKey *key);
void             kiosk_signing_key_free          (KioskSigningKey        *key);

KioskCityKey    *kiosk_city_key_generate         (GError                **error);
KioskCityKey    *kiosk_city_key_load             (const char             *path,
                                                  gboolean                need_secret,
                                                  GError                **error);
gboolean         kiosk_city_key_save_secret      (const KioskCityKey     *key,
                                                  const char             *path,
                                                  GError                **error);
gboolean         kiosk_city_key_save_public      (const KioskCityKey     *key,
                                                  const char             *path,
                                                  GError                **error);
void             kiosk_city_key_get_id           (const KioskCityKey     *key,
                                                  guint8                  out_id[KIOSK_KEY_ID_BYTES]);
char            *kiosk_city_key_dup_id_string    (const KioskCityKey     *key);
void             kiosk_city_key_free             (KioskCityKey           *key);

KioskKeys       *kiosk_keys_new                  (void);
KioskKeys       *kiosk_keys_load_for_kiosk       (KioskConfig            *config,
                                                  GError                **error);
KioskKeys       *kiosk_keys_load_for_counter     (KioskConfig            *config,
                                                  const char             *city_key_file,
                                                  const char * const     *trust_files,
                                                  GError                **error);
gboolean         kiosk_keys_ensure_demo          (KioskConfig            *config,
                                                  GError                **error);
char            *kiosk_keys_dup_demo_dir         (KioskConfig            *config);
const KioskSigningKey *kiosk_keys_find_trusted   (KioskKeys              *self,
                                                  const char             *kiosk_id);
void             kiosk_keys_free                 (KioskKeys              *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (KioskSigningKey, kiosk_signing_key_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (KioskCityKey, kiosk_city_key_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (KioskKeys, kiosk_keys_free)

G_END_DECLS

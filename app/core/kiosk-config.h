/* kiosk-config.h
 *
 * SPDX-FileCopyrightText: 2026 Stadtkiosk contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define KIOSK_CONFIG_ERROR (kiosk_config_error_quark ())

typedef enum
{
  KIOSK_CONFIG_ERROR_NOT_FOUND,
  KIOSK_CONFIG_ERROR_PARSE,
  KIOSK_CONFIG_ERROR_INVALID,
  KIOSK_CONFIG_ERROR_INSECURE,
} KioskConfigError;

#define KIOSK_TYPE_CONFIG (kiosk_config_get_type ())

G_DECLARE_FINAL_TYPE (KioskConfig, kiosk_config, KIOSK, CONFIG, GObject)

GQuark              kiosk_config_error_quark            (void);

KioskConfig        *kiosk_config_new_default            (void);
KioskConfig        *kiosk_config_new_from_file          (const char   *path,
                                                         GError      **error);
char               *kiosk_config_get_default_path       (void);
const char * const *kiosk_config_get_warnings           (KioskConfig  *self);
const char         *kiosk_config_get_path               (KioskConfig  *self);
const char         *kiosk_config_get_drop_in_dir        (KioskConfig  *self);
const char         *kiosk_config_get_source             (KioskConfig  *self,
                                                         const char   *group,
                                                         const char   *key);

const char         *kiosk_config_get_kiosk_id           (KioskConfig  *self);
const char         *kiosk_config_get_code_prefix        (KioskConfig  *self);
const char         *kiosk_config_get_location           (KioskConfig  *self);
const char         *kiosk_config_get_city               (KioskConfig  *self);
const char         *kiosk_config_get_state_dir          (KioskConfig  *self);
void                kiosk_config_set_state_dir          (KioskConfig  *self,
                                                         const char   *state_dir);
const char * const *kiosk_config_get_languages          (KioskConfig  *self);

guint               kiosk_config_get_idle_timeout       (KioskConfig  *self);
guint               kiosk_config_get_idle_warning       (KioskConfig  *self);
guint               kiosk_config_get_staff_idle_timeout (KioskConfig  *self);

const char         *kiosk_config_get_backend_url        (KioskConfig  *self);
const char         *kiosk_config_get_token_file         (KioskConfig  *self);
const char         *kiosk_config_get_ca_file            (KioskConfig  *self);
const char         *kiosk_config_get_pin_sha256         (KioskConfig  *self);
guint               kiosk_config_get_sync_interval      (KioskConfig  *self);
guint               kiosk_config_get_request_timeout    (KioskConfig  *self);
guint               kiosk_config_get_alert_age_hours    (KioskConfig  *self);
guint               kiosk_config_get_info_stale_hours   (KioskConfig  *self);
guint               kiosk_config_get_info_timeout       (KioskConfig  *self);
guint               kiosk_config_get_info_max_kib       (KioskConfig  *self);
const char         *kiosk_config_get_info_ckan_url      (KioskConfig  *self);
const char         *kiosk_config_get_info_ca_file       (KioskConfig  *self);
const char         *kiosk_config_get_info_pin_sha256    (KioskConfig  *self);
char               *kiosk_config_read_token             (KioskConfig  *self,
                                                         GError      **error);

const char         *kiosk_config_get_couchdb_url        (KioskConfig  *self);
const char         *kiosk_config_get_couchdb_user       (KioskConfig  *self);
const char         *kiosk_config_get_couchdb_password_file (KioskConfig *self);
const char         *kiosk_config_get_couchdb_ca_file    (KioskConfig  *self);
const char         *kiosk_config_get_couchdb_pin_sha256 (KioskConfig  *self);
guint               kiosk_config_get_heartbeat_interval (KioskConfig  *self);

const char         *kiosk_config_get_printer            (KioskConfig  *self);
guint               kiosk_config_get_paper_width        (KioskConfig  *self);
const char         *kiosk_config_get_qr_mode            (KioskConfig  *self);
const char         *kiosk_config_get_speech             (KioskConfig  *self);
const char         *kiosk_config_get_staff_language     (KioskConfig  *self);

gboolean            kiosk_config_get_keys_demo          (KioskConfig  *self);
gboolean            kiosk_config_get_seal_off           (KioskConfig  *self);
const char         *kiosk_config_get_signing_key_file   (KioskConfig  *self);
const char         *kiosk_config_get_city_public_key_file (KioskConfig *self);
const char         *kiosk_config_get_city_secret_key_file (KioskConfig *self);
const char         *kiosk_config_get_catalog_public_key_file (KioskConfig *self);
const char * const *kiosk_config_get_trusted_kiosk_files (KioskConfig *self);
guint               kiosk_config_get_payload_cap        (KioskConfig  *self);

const char * const *kiosk_config_get_postal_codes       (KioskConfig  *self);
const char         *kiosk_config_get_catalog_file       (KioskConfig  *self);

const char         *kiosk_config_get_default_target     (KioskConfig  *self);
const char         *kiosk_config_get_open311_endpoint   (KioskConfig  *self);
const char         *kiosk_config_get_open311_api_key_file (KioskConfig *self);
const char         *kiosk_config_get_open311_jurisdiction_id (KioskConfig *self);
const char         *kiosk_config_get_open311_ca_file    (KioskConfig  *self);
const char         *kiosk_config_get_open311_pin_sha256 (KioskConfig  *self);
char               *kiosk_config_read_open311_api_key   (KioskConfig  *self,
                                                         GError      **error);

char               *kiosk_config_to_data                (KioskConfig  *self);

G_END_DECLS

/* kiosk-service.h
 *
 * SPDX-FileCopyrightText: 2026 Stadtkiosk contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

#include "kiosk-field.h"

G_BEGIN_DECLS

typedef enum
{
  KIOSK_OFFLINE_QUEUE,   /* store and forward */
  KIOSK_OFFLINE_PRINT,   /* print a pre-filled form to bring to the office */
  KIOSK_OFFLINE_REFER,   /* online-only: refer to a URL and office hours */
} KioskOfflineMode;

typedef enum
{
  KIOSK_TARGET_SUBMISSION,   /* our Submission API */
  KIOSK_TARGET_OPEN311,      /* an Open311 GeoReport v2 service code */
  KIOSK_TARGET_COUCHDB,      /* the city's CouchDB hub */
  KIOSK_TARGET_N_KINDS,
} KioskTargetKind;

#define KIOSK_TYPE_CATEGORY (kiosk_category_get_type ())
G_DECLARE_FINAL_TYPE (KioskCategory, kiosk_category, KIOSK, CATEGORY, GObject)

#define KIOSK_TYPE_STEP (kiosk_step_get_type ())
G_DECLARE_FINAL_TYPE (KioskStep, kiosk_step, KIOSK, STEP, GObject)

#define KIOSK_TYPE_SERVICE (kiosk_service_get_type ())
G_DECLARE_FINAL_TYPE (KioskService, kiosk_service, KIOSK, SERVICE, GObject)

const char       *kiosk_offline_mode_to_string           (KioskOfflineMode  mode);
const char       *kiosk_target_kind_to_string            (KioskTargetKind   kind);
gboolean          kiosk_target_kind_from_string          (const char       *text,
                                                          KioskTargetKind  *out_kind);

const char       *kiosk_category_get_id                  (KioskCategory    *self);
const char       *kiosk_category_get_icon                (KioskCategory    *self);
const char       *kiosk_category_get_title               (KioskCategory    *self,
                                                          const char       *locale);

const char       *kiosk_step_get_title                   (KioskStep        *self,
                                                          const char       *locale);
GPtrArray        *kiosk_step_get_fields                  (KioskStep        *self);

const char       *kiosk_service_get_id                   (KioskService     *self);
guint             kiosk_service_get_version              (KioskService     *self);
const char       *kiosk_service_get_icon                 (KioskService     *self);
const char       *kiosk_service_get_category_id          (KioskService     *self);
const char       *kiosk_service_get_title                (KioskService     *self,
                                                          const char       *locale);
const char       *kiosk_service_get_summary              (KioskService     *self,
                                                          const char       *locale);
const char       *kiosk_service_get_next_steps           (KioskService     *self,
                                                         const char       *locale);
const char       *kiosk_service_get_help                 (KioskService     *self,
                                                          const char       *locale);
const char * const *kiosk_service_get_keywords           (KioskService     *self,
                                                          const char       *locale);
KioskOfflineMode  kiosk_service_get_offline_mode         (KioskService     *self);
const char       *kiosk_service_get_refer_url            (KioskService     *self);
const char       *kiosk_service_get_office_hours         (KioskService     *self,
                                                          const char       *locale);
KioskTargetKind   kiosk_service_get_target_kind          (KioskService     *self);
gboolean          kiosk_service_has_target               (KioskService     *self);
const char       *kiosk_service_get_open311_code         (KioskService     *self);
const char       *kiosk_service_get_open311_attribute    (KioskService     *self,
                                                          const char       *field_id);
GHashTable       *kiosk_service_get_open311_attributes   (KioskService     *self);
const char       *kiosk_service_get_open311_field        (KioskService     *self,
                                                          const char       *role);
guint             kiosk_service_get_retention_days       (KioskService     *self);
gboolean          kiosk_service_get_receipt_shows_answers (KioskService    *self);
gboolean          kiosk_service_get_enabled              (KioskService     *self);
guint             kiosk_service_get_n_steps              (KioskService     *self);
KioskStep        *kiosk_service_get_step                 (KioskService     *self,
                                                          guint             i);
KioskField       *kiosk_service_lookup_field             (KioskService     *self,
                                                          const char       *field_id);
GPtrArray        *kiosk_service_get_fields               (KioskService     *self);

G_END_DECLS

/* kiosk-field.h
 *
 * SPDX-FileCopyrightText: 2026 Stadtkiosk contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

typedef enum
{
  KIOSK_FIELD_TEXT,
  KIOSK_FIELD_TEXTAREA,
  KIOSK_FIELD_NUMBER,
  KIOSK_FIELD_DATE,
  KIOSK_FIELD_CHOICE,
  KIOSK_FIELD_MULTICHOICE,
  KIOSK_FIELD_BOOLEAN,
  KIOSK_FIELD_CONSENT,
  KIOSK_FIELD_ADDRESS,
  KIOSK_FIELD_EMAIL,
  KIOSK_FIELD_PHONE,
  KIOSK_FIELD_INFO,
} KioskFieldType;

/* What the on-screen keyboard should offer for a text field. */
typedef enum
{
  KIOSK_INPUT_PURPOSE_FREE,
  KIOSK_INPUT_PURPOSE_NAME,
  KIOSK_INPUT_PURPOSE_EMAIL,
  KIOSK_INPUT_PURPOSE_PHONE,
  KIOSK_INPUT_PURPOSE_NUMBER,
  KIOSK_INPUT_PURPOSE_POSTAL_CODE,
} KioskInputPurpose;

#define KIOSK_TYPE_FIELD (kiosk_field_get_type ())

G_DECLARE_FINAL_TYPE (KioskField, kiosk_field, KIOSK, FIELD, GObject)

const char        *kiosk_field_type_to_string          (KioskFieldType  type);
gboolean           kiosk_field_type_from_string        (const char     *name,
                                                        KioskFieldType *out_type);

const char        *kiosk_field_get_id                  (KioskField     *self);
KioskFieldType     kiosk_field_get_field_type          (KioskField     *self);
guint              kiosk_field_get_step                (KioskField     *self);
const char        *kiosk_field_get_label               (KioskField     *self,
                                                        const char     *locale);
const char        *kiosk_field_get_help                (KioskField     *self,
                                                        const char     *locale);
const char        *kiosk_field_get_text                (KioskField     *self,
                                                        const char     *locale);
gboolean           kiosk_field_get_required            (KioskField     *self);
gboolean           kiosk_field_get_personal            (KioskField     *self);
JsonNode          *kiosk_field_get_default             (KioskField     *self);
KioskInputPurpose  kiosk_field_get_input_purpose       (KioskField     *self);
guint              kiosk_field_get_max_length          (KioskField     *self);
gboolean           kiosk_field_get_min                 (KioskField     *self,
                                                        double         *out_min);
gboolean           kiosk_field_get_max                 (KioskField     *self,
                                                        double         *out_max);
gboolean           kiosk_field_get_integer             (KioskField     *self);
const char        *kiosk_field_get_min_date            (KioskField     *self);
const char        *kiosk_field_get_max_date            (KioskField     *self);
const char        *kiosk_field_get_pattern             (KioskField     *self);
guint              kiosk_field_get_n_options           (KioskField     *self);
const char        *kiosk_field_get_option_value        (KioskField     *self,
                                                        guint           i);
const char        *kiosk_field_get_option_label        (KioskField     *self,
                                                        guint           i,
                                                        const char     *locale);
gboolean           kiosk_field_has_condition           (KioskField     *self);
gboolean           kiosk_field_is_input                (KioskField     *self);
char              *kiosk_field_format_answer           (KioskField     *self,
                                                        JsonNode       *value,
                                                        const char     *locale);

G_END_DECLS

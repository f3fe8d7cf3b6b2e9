/* kiosk-form.h
 *
 * SPDX-FileCopyrightText: 2026 Stadtkiosk contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>
#include <json-glib/json-glib.h>

#include "kiosk-clock.h"
#include "kiosk-service.h"

G_BEGIN_DECLS

#define KIOSK_FORM_ERROR (kiosk_form_error_quark ())

typedef enum
{
  KIOSK_FORM_ERROR_UNKNOWN_FIELD,   /* answers name a field the service does not have */
  KIOSK_FORM_ERROR_INVALID,         /* answers are not a JSON object, or fail validation */
} KioskFormError;

/**
 * KioskFieldError:
 * @field_id: the field
 * @message: what is wrong, in the citizen's language
 */
typedef struct
{
  char *field_id;
  char *message;
} KioskFieldError;

void kiosk_field_error_free (KioskFieldError *error);

#define KIOSK_TYPE_FORM (kiosk_form_get_type ())

G_DECLARE_FINAL_TYPE (KioskForm, kiosk_form, KIOSK, FORM, GObject)

GQuark        kiosk_form_error_quark      (void);
KioskForm    *kiosk_form_new              (KioskService        *service,
                                           const char * const  *postal_codes,
                                           KioskClock          *clock);
KioskService *kiosk_form_get_service      (KioskForm           *self);
guint         kiosk_form_get_n_steps      (KioskForm           *self);
guint         kiosk_form_get_current_step (KioskForm           *self);
void          kiosk_form_set_current_step (KioskForm           *self,
                                           guint                step);
gboolean      kiosk_form_step_is_visible  (KioskForm           *self,
                                           guint                step);
gboolean      kiosk_form_set_value        (KioskForm           *self,
                                           const char          *field_id,
                                           JsonNode            *value);
JsonNode     *kiosk_form_get_value        (KioskForm           *self,
                                           const char          *field_id);
gboolean      kiosk_form_is_visible       (KioskForm           *self,
                                           const char          *field_id);
char         *kiosk_form_validate_field   (KioskForm           *self,
                                           const char          *field_id,
                                           const char          *locale);
gboolean      kiosk_form_validate_step    (KioskForm           *self,
                                           guint                step,
                                           const char          *locale,
                                           GPtrArray          **out_errors);
gboolean      kiosk_form_validate_all     (KioskForm           *self,
                                           const char          *locale,
                                           GPtrArray          **out_errors);
GBytes       *kiosk_form_to_json          (KioskForm           *self);
JsonNode     *kiosk_form_parse_answers    (GBytes              *json,
                                           GError             **error);
gboolean      kiosk_form_load_json        (KioskForm           *self,
                                           JsonNode            *answers,
                                           GError             **error);
void          kiosk_form_clear            (KioskForm           *self);
gboolean      kiosk_form_has_answers      (KioskForm           *self);
const char   *kiosk_form_get_invalid_part (KioskForm           *self,
                                           const char          *field_id);
void          kiosk_form_set_city         (KioskForm           *self,
                                           const char          *city);
const char   *kiosk_form_get_city         (KioskForm           *self);
gboolean      kiosk_form_get_date_min     (KioskForm           *self,
                                           const char          *field_id,
                                           GDate               *out_date);
gboolean      kiosk_form_get_date_max     (KioskForm           *self,
                                           const char          *field_id,
                                           GDate               *out_date);

G_END_DECLS

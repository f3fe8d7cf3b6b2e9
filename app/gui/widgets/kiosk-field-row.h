/* kiosk-field-row.h
 *
 * SPDX-FileCopyrightText: 2026 Stadtkiosk contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "stadtkiosk-core.h"

G_BEGIN_DECLS

#define KIOSK_TYPE_FIELD_ROW (kiosk_field_row_get_type ())

G_DECLARE_FINAL_TYPE (KioskFieldRow, kiosk_field_row, KIOSK, FIELD_ROW, GtkBox)

GtkWidget  *kiosk_field_row_new              (KioskField    *field,
                                              const char    *locale);
KioskField *kiosk_field_row_get_field        (KioskFieldRow *self);
JsonNode   *kiosk_field_row_dup_value        (KioskFieldRow *self);
void        kiosk_field_row_load_value       (KioskFieldRow *self,
                                              JsonNode      *value);
void        kiosk_field_row_set_error        (KioskFieldRow *self,
                                              const char    *message);
const char *kiosk_field_row_get_error        (KioskFieldRow *self);
GtkWidget  *kiosk_field_row_get_input        (KioskFieldRow *self);
GtkWidget  *kiosk_field_row_get_focus_target (KioskFieldRow *self);
void        kiosk_field_row_set_invalid_part (KioskFieldRow *self,
                                              const char    *part);
GtkWidget  *kiosk_field_row_get_error_target (KioskFieldRow *self);
void        kiosk_field_row_focus_error      (KioskFieldRow *self);
void        kiosk_field_row_resolve_error    (KioskFieldRow *self);

void        kiosk_field_row_set_place        (KioskFieldRow *self,
                                              const char    *place);
void        kiosk_field_row_set_reserved     (KioskFieldRow *self,
                                              gboolean       reserved);
gboolean    kiosk_field_row_get_shown        (KioskFieldRow *self);
void        kiosk_scroll_into_view           (GtkWidget     *widget);

G_END_DECLS

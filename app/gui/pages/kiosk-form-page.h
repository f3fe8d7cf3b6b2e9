/* kiosk-form-page.h
 *
 * SPDX-FileCopyrightText: 2026 Stadtkiosk contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "stadtkiosk-core.h"
#include "kiosk-session.h"

G_BEGIN_DECLS

#define KIOSK_TYPE_FORM_PAGE (kiosk_form_page_get_type ())

G_DECLARE_FINAL_TYPE (KioskFormPage, kiosk_form_page, KIOSK, FORM_PAGE, AdwBin)

GtkWidget *kiosk_form_page_new            (KioskSession  *session);
void       kiosk_form_page_show_step      (KioskFormPage *self);
guint      kiosk_form_page_get_step       (KioskFormPage *self);
gboolean   kiosk_form_page_validate       (KioskFormPage *self);
GtkWidget *kiosk_form_page_get_input      (KioskFormPage *self,
                                           const char    *field_id);
GtkWidget *kiosk_form_page_get_field_row  (KioskFormPage *self,
                                           const char    *field_id);
const char *kiosk_form_page_get_error     (KioskFormPage *self,
                                           const char    *field_id);
void       kiosk_form_page_clear          (KioskFormPage *self);
GtkWidget *kiosk_form_page_get_next_button (KioskFormPage *self);
void       kiosk_form_page_focus_first    (KioskFormPage *self);

GtkWidget  *kiosk_form_page_get_error_summary (KioskFormPage *self);
gboolean    kiosk_form_page_is_field_shown    (KioskFormPage *self,
                                               const char    *field_id);

G_END_DECLS

/* kiosk-builder-preview.h
 *
 * SPDX-FileCopyrightText: 2026 Stadtkiosk contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "stadtkiosk-core.h"
#include "kiosk-keyboard.h"
#include "kiosk-session.h"

G_BEGIN_DECLS

#define KIOSK_TYPE_BUILDER_PREVIEW (kiosk_builder_preview_get_type ())

G_DECLARE_FINAL_TYPE (KioskBuilderPreview, kiosk_builder_preview, KIOSK, BUILDER_PREVIEW, GtkBox)

GtkWidget    *kiosk_builder_preview_new          (KioskContext        *context);
void          kiosk_builder_preview_show         (KioskBuilderPreview *self,
                                                  KioskCatalog        *catalog,
                                                  const char          *service_id);
void          kiosk_builder_preview_set_language (KioskBuilderPreview *self,
                                                  const char          *language);
KioskSession *kiosk_builder_preview_get_session  (KioskBuilderPreview *self);
GPtrArray    *kiosk_builder_preview_get_rows     (KioskBuilderPreview *self);
KioskKeyboard *kiosk_builder_preview_get_keyboard (KioskBuilderPreview *self);
gboolean      kiosk_builder_preview_next         (KioskBuilderPreview *self);
void          kiosk_builder_preview_back         (KioskBuilderPreview *self);

G_END_DECLS

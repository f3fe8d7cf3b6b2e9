/* kiosk-builder-window.h
 *
 * SPDX-FileCopyrightText: 2026 Stadtkiosk contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "stadtkiosk-core.h"
#include "kiosk-builder-preview.h"

G_BEGIN_DECLS

#define KIOSK_TYPE_BUILDER_WINDOW (kiosk_builder_window_get_type ())

G_DECLARE_FINAL_TYPE (KioskBuilderWindow, kiosk_builder_window, KIOSK, BUILDER_WINDOW, AdwApplicationWindow)

KioskBuilderWindow   *kiosk_builder_window_new            (GtkApplication       *app,
                                                           KioskContext         *context,
                                                           KioskCatalogDocument *document,
                                                           const char           *path,
                                                           const char           *secret_key);
KioskCatalogDocument *kiosk_builder_window_get_document   (KioskBuilderWindow   *self);
KioskBuilderPreview  *kiosk_builder_window_get_preview    (KioskBuilderWindow   *self);
void                  kiosk_builder_window_select         (KioskBuilderWindow   *self,
                                                           int                   service,
                                                           int                   step,
                                                           int                   field);
int                   kiosk_builder_window_get_service    (KioskBuilderWindow   *self);
GtkListBox           *kiosk_builder_window_get_problems_list (KioskBuilderWindow *self);
gboolean              kiosk_builder_window_save           (KioskBuilderWindow   *self,
                                                           gboolean              confirmed,
                                                           GError              **error);
void                  kiosk_builder_window_refresh        (KioskBuilderWindow   *self);
void                  kiosk_builder_window_import_file    (KioskBuilderWindow   *self,
                                                           const char           *path);

G_END_DECLS

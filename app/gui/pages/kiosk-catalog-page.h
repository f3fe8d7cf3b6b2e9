/* kiosk-catalog-page.h
 *
 * SPDX-FileCopyrightText: 2026 Stadtkiosk contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "stadtkiosk-core.h"

G_BEGIN_DECLS

#define KIOSK_TYPE_CATALOG_PAGE (kiosk_catalog_page_get_type ())

G_DECLARE_FINAL_TYPE (KioskCatalogPage, kiosk_catalog_page, KIOSK, CATALOG_PAGE, AdwBin)

GtkWidget *kiosk_catalog_page_new         (KioskCatalog     *catalog,
                                           const char       *locale);
void       kiosk_catalog_page_set_query   (KioskCatalogPage *self,
                                           const char       *query);
void       kiosk_catalog_page_set_category (KioskCatalogPage *self,
                                           const char       *category_id);
guint      kiosk_catalog_page_get_n_tiles (KioskCatalogPage *self);
guint      kiosk_catalog_page_get_n_results (KioskCatalogPage *self);
GtkWidget *kiosk_catalog_page_get_search_entry (KioskCatalogPage *self);
void       kiosk_catalog_page_show_unavailable (KioskCatalogPage *self);
gboolean   kiosk_catalog_page_get_unavailable_shown (KioskCatalogPage *self);

G_END_DECLS

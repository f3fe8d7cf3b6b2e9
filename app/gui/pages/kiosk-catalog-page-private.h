/* kiosk-catalog-page-private.h
 *
 * SPDX-FileCopyrightText: 2026 Stadtkiosk contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "kiosk-catalog-page.h"

G_BEGIN_DECLS

/* For the benchmark's baseline (G_MAXUINT: a tile for every result, as
 * before the cap) and tests. */
void     _kiosk_catalog_page_set_max_tiles  (KioskCatalogPage *self,
                                             guint             max_tiles);
gboolean _kiosk_catalog_page_get_more_shown (KioskCatalogPage *self);
/* For the benchmark's baseline: FALSE builds new tiles on every search,
 * as before the tiles were kept. */
void       _kiosk_catalog_page_set_reuse_tiles (KioskCatalogPage *self,
                                                gboolean          reuse);
GtkWidget *_kiosk_catalog_page_get_tile        (KioskCatalogPage *self,
                                                guint             index);

G_END_DECLS

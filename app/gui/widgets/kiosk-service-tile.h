/* kiosk-service-tile.h
 *
 * SPDX-FileCopyrightText: 2026 Stadtkiosk contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "stadtkiosk-core.h"

G_BEGIN_DECLS

#define KIOSK_TYPE_SERVICE_TILE (kiosk_service_tile_get_type ())

G_DECLARE_FINAL_TYPE (KioskServiceTile, kiosk_service_tile, KIOSK, SERVICE_TILE, GtkButton)

GtkWidget    *kiosk_service_tile_new         (void);
gboolean      kiosk_service_tile_bind        (KioskServiceTile *self,
                                              KioskService     *service,
                                              const char       *locale);
KioskService *kiosk_service_tile_get_service (KioskServiceTile *self);

G_END_DECLS

/* kiosk-service-page.h
 *
 * SPDX-FileCopyrightText: 2026 Stadtkiosk contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "stadtkiosk-core.h"
#include "kiosk-session.h"

G_BEGIN_DECLS

#define KIOSK_TYPE_SERVICE_PAGE (kiosk_service_page_get_type ())

G_DECLARE_FINAL_TYPE (KioskServicePage, kiosk_service_page, KIOSK, SERVICE_PAGE, AdwBin)

GtkWidget *kiosk_service_page_new        (KioskSession     *session);
void       kiosk_service_page_set_online (KioskServicePage *self,
                                          gboolean          online);

G_END_DECLS

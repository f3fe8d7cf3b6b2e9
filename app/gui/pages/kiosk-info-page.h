/* kiosk-info-page.h
 *
 * SPDX-FileCopyrightText: 2026 Stadtkiosk contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "stadtkiosk-core.h"
#include "kiosk-session.h"

G_BEGIN_DECLS

#define KIOSK_TYPE_INFO_PAGE (kiosk_info_page_get_type ())

G_DECLARE_FINAL_TYPE (KioskInfoPage, kiosk_info_page, KIOSK, INFO_PAGE, AdwBin)

GtkWidget *kiosk_info_page_new              (KioskContext  *context,
                                             KioskCatalog  *catalog,
                                             const char    *language);
void       kiosk_info_page_refresh          (KioskInfoPage *self);
void       kiosk_info_page_pull             (KioskInfoPage *self);
gboolean   kiosk_info_page_open_card        (KioskInfoPage *self,
                                             const char    *card_id);
GtkWidget *kiosk_info_page_get_street_entry (KioskInfoPage *self);
const char *kiosk_info_page_get_view        (KioskInfoPage *self);
guint      kiosk_info_start_background_pulls (KioskContext *context,
                                              KioskSession *session);

G_END_DECLS

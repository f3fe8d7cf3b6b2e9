/* kiosk-status-page.h
 *
 * SPDX-FileCopyrightText: 2026 Stadtkiosk contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "stadtkiosk-core.h"

G_BEGIN_DECLS

#define KIOSK_TYPE_STATUS_PAGE (kiosk_status_page_get_type ())

G_DECLARE_FINAL_TYPE (KioskStatusPage, kiosk_status_page, KIOSK, STATUS_PAGE, AdwBin)

GtkWidget *kiosk_status_page_new            (KioskOutbox      *outbox,
                                             KioskStatusGuard *guard,
                                             KioskCatalog     *catalog,
                                             const char       *language);
GtkWidget *kiosk_status_page_get_code_entry (KioskStatusPage  *self);
void       kiosk_status_page_look_up        (KioskStatusPage  *self);
void       kiosk_status_page_set_hub        (KioskStatusPage  *self,
                                             KioskCouchdbTarget *hub);
void       kiosk_status_page_set_api        (KioskStatusPage  *self,
                                             KioskSubmissionTarget *api);
gboolean   kiosk_status_page_is_busy        (KioskStatusPage  *self);
const char *kiosk_status_page_get_message   (KioskStatusPage  *self);

G_END_DECLS

/* kiosk-admin-page.h
 *
 * SPDX-FileCopyrightText: 2026 Stadtkiosk contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "kiosk-staff-session.h"

G_BEGIN_DECLS

#define KIOSK_TYPE_ADMIN_PAGE (kiosk_admin_page_get_type ())

G_DECLARE_FINAL_TYPE (KioskAdminPage, kiosk_admin_page, KIOSK, ADMIN_PAGE, AdwBin)

GtkWidget  *kiosk_admin_page_new            (KioskStaffSession *session);
void        kiosk_admin_page_refresh        (KioskAdminPage    *self);
gboolean    kiosk_admin_page_save_settings  (KioskAdminPage    *self,
                                             GError           **error);
void        kiosk_admin_page_set_setting    (KioskAdminPage    *self,
                                             const char        *group,
                                             const char        *key,
                                             const char        *value);
gboolean    kiosk_admin_page_import_catalog (KioskAdminPage    *self,
                                             const char        *path,
                                             GError           **error);
gboolean    kiosk_admin_page_export_queue   (KioskAdminPage    *self,
                                             const char        *dir,
                                             char             **out_path,
                                             GError           **error);
GPtrArray  *kiosk_staff_list_removable      (const char        *suffix);
gboolean    kiosk_staff_write_config        (KioskConfig       *config,
                                             GKeyFile          *changes,
                                             char             **out_changed,
                                             GError           **error);

G_END_DECLS

/* kiosk-catalog.h
 *
 * SPDX-FileCopyrightText: 2026 Stadtkiosk contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "kiosk-service.h"
#include "kiosk-store.h"

G_BEGIN_DECLS

#define KIOSK_CATALOG_ERROR (kiosk_catalog_error_quark ())

typedef enum
{
  KIOSK_CATALOG_ERROR_INVALID,     /* the catalogue breaks a rule; the message lists every problem */
  KIOSK_CATALOG_ERROR_NOT_FOUND,   /* no such service */
  KIOSK_CATALOG_ERROR_FAILED,      /* reading or storing failed */
} KioskCatalogError;

#define KIOSK_CATALOG_FORMAT 1

#define KIOSK_TYPE_CATALOG (kiosk_catalog_get_type ())

G_DECLARE_FINAL_TYPE (KioskCatalog, kiosk_catalog, KIOSK, CATALOG, GObject)

GQuark        kiosk_catalog_error_quark          (void);
KioskCatalog *kiosk_catalog_new_from_bytes       (GBytes        *json,
                                                  const char    *source_name,
                                                  GError       **error);
KioskCatalog *kiosk_catalog_new_from_file        (const char    *path,
                                                  GError       **error);
KioskCatalog *kiosk_catalog_new_demo             (void);
GBytes       *kiosk_catalog_dup_demo_bytes       (void);
KioskCatalog *kiosk_catalog_load_active          (KioskStore    *store,
                                                  GError       **error);
gboolean      kiosk_catalog_store_active         (KioskStore    *store,
                                                  GBytes        *json,
                                                  const char    *source,
                                                  const char    *etag,
                                                  GError       **error);
char         *kiosk_catalog_dup_active_etag      (KioskStore    *store);
gint64        kiosk_catalog_get_active_imported  (KioskStore    *store);
gboolean      kiosk_catalog_set_service_enabled  (KioskStore    *store,
                                                  const char    *service_id,
                                                  gboolean       enabled,
                                                  GError       **error);
GBytes       *kiosk_catalog_get_bytes            (KioskCatalog  *self);
const char   *kiosk_catalog_get_version          (KioskCatalog  *self);
KioskService *kiosk_catalog_lookup               (KioskCatalog  *self,
                                                  const char    *service_id);
KioskService *kiosk_catalog_lookup_any           (KioskCatalog  *self,
                                                  const char    *service_id);
void          kiosk_catalog_prepare_search       (KioskCatalog  *self);
GListModel   *kiosk_catalog_search               (KioskCatalog  *self,
                                                  const char    *query);
GPtrArray    *kiosk_catalog_get_categories       (KioskCatalog  *self);
KioskCategory *kiosk_catalog_lookup_category     (KioskCatalog  *self,
                                                  const char    *category_id);
GListModel   *kiosk_catalog_list_category        (KioskCatalog  *self,
                                                  const char    *category_id);
GPtrArray    *kiosk_catalog_get_all_services     (KioskCatalog  *self);

G_END_DECLS

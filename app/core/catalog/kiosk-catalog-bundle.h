/* kiosk-catalog-bundle.h
 *
 * SPDX-FileCopyrightText: 2026 Stadtkiosk contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "kiosk-store.h"

G_BEGIN_DECLS

#define KIOSK_CATALOG_BUNDLE_ERROR (kiosk_catalog_bundle_error_quark ())

typedef enum
{
  KIOSK_CATALOG_BUNDLE_ERROR_KEY,        /* the key file is missing, unreadable or wrong */
  KIOSK_CATALOG_BUNDLE_ERROR_UNSIGNED,   /* not a bundle, or no signature */
  KIOSK_CATALOG_BUNDLE_ERROR_FORGED,     /* the signature does not verify */
  KIOSK_CATALOG_BUNDLE_ERROR_ROLLBACK,   /* older than the active catalogue */
  KIOSK_CATALOG_BUNDLE_ERROR_INVALID,    /* a bundle, but malformed */
} KioskCatalogBundleError;

/* The setting that remembers a refused bundle, for the alert. */
#define KIOSK_CATALOG_BUNDLE_REFUSED_SETTING "catalog-bundle-refused"

GQuark    kiosk_catalog_bundle_error_quark    (void);
gboolean  kiosk_catalog_bundle_generate_keys  (const char   *secret_path,
                                               const char   *public_path,
                                               GError      **error);
GBytes   *kiosk_catalog_bundle_sign           (GBytes       *catalog,
                                               const char   *version,
                                               const char   *secret_path,
                                               GError      **error);
gboolean  kiosk_catalog_bundle_is_bundle      (GBytes       *bytes);
GBytes   *kiosk_catalog_bundle_open           (GBytes       *bundle,
                                               const char   *public_path,
                                               const char   *active_version,
                                               char        **out_version,
                                               GError      **error);
GBytes   *kiosk_catalog_bundle_unwrap         (KioskStore   *store,
                                               const char   *public_path,
                                               GBytes       *bytes,
                                               const char   *what,
                                               GError      **error);
int       kiosk_catalog_bundle_compare_versions (const char *a,
                                                 const char *b);

G_END_DECLS

/* kiosk-store-private.h
 *
 * SPDX-FileCopyrightText: 2026 Stadtkiosk contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <sqlite3.h>

#include "kiosk-store.h"

G_BEGIN_DECLS

G_DEFINE_AUTOPTR_CLEANUP_FUNC (sqlite3_stmt, sqlite3_finalize)

typedef enum
{
  KIOSK_STORE_SYNC_FULL,
  KIOSK_STORE_SYNC_OFF,   /* only for the kill test's negative control */
} KioskStoreSync;

sqlite3  *_kiosk_store_get_db           (KioskStore     *self);
gboolean  _kiosk_store_check_writable   (KioskStore     *self,
                                         GError        **error);
gboolean  _kiosk_store_begin            (KioskStore     *self,
                                         GError        **error);
gboolean  _kiosk_store_commit           (KioskStore     *self,
                                         GError        **error);
void      _kiosk_store_rollback         (KioskStore     *self);
gboolean  _kiosk_store_exec             (KioskStore     *self,
                                         const char     *sql,
                                         GError        **error);
sqlite3_stmt *_kiosk_store_prepare      (KioskStore     *self,
                                         const char     *sql,
                                         GError        **error);
sqlite3_stmt *_kiosk_store_prepare_cached (KioskStore *self,
                                         const char     *sql,
                                         GError        **error);
gboolean  _kiosk_store_step_done        (KioskStore     *self,
                                         sqlite3_stmt   *stmt,
                                         GError        **error);
void      _kiosk_store_set_error        (KioskStore     *self,
                                         int             rc,
                                         GError        **error,
                                         const char     *what);
KioskStore *_kiosk_store_open_full      (const char     *path,
                                         KioskStoreSync  sync,
                                         guint           migrate_to,
                                         GError        **error);
KioskStore *_kiosk_store_open_flags     (const char           *path,
                                         KioskStoreSync        sync,
                                         guint                 migrate_to,
                                         KioskStoreOpenFlags   flags,
                                         GError              **error);

G_END_DECLS

/* kiosk-store.h
 *
 * SPDX-FileCopyrightText: 2026 Stadtkiosk contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define KIOSK_STORE_ERROR (kiosk_store_error_quark ())

typedef enum
{
  KIOSK_STORE_ERROR_OPEN,       /* cannot open or create the file */
  KIOSK_STORE_ERROR_DAMAGED,    /* integrity check failed; the file is left as it is */
  KIOSK_STORE_ERROR_FULL,       /* disk (or max_page_count) full; nothing was written */
  KIOSK_STORE_ERROR_BUSY,       /* another process held the lock past the busy timeout */
  KIOSK_STORE_ERROR_TOO_NEW,    /* schema from a newer Stadtkiosk */
  KIOSK_STORE_ERROR_FAILED,     /* any other SQLite failure */
} KioskStoreError;

/**
 * KioskStoreOpenFlags:
 * @KIOSK_STORE_OPEN_DEFAULT: the full integrity check before anything else
 * @KIOSK_STORE_OPEN_DEFER_CHECK: only its bounded part at open; the caller
 *   runs kiosk_store_check_integrity_async() after its first frame
 */
typedef enum
{
  KIOSK_STORE_OPEN_DEFAULT     = 0,
  KIOSK_STORE_OPEN_DEFER_CHECK = 1 << 0,
} KioskStoreOpenFlags;

#define KIOSK_TYPE_STORE (kiosk_store_get_type ())

G_DECLARE_FINAL_TYPE (KioskStore, kiosk_store, KIOSK, STORE, GObject)

GQuark      kiosk_store_error_quark         (void);
KioskStore *kiosk_store_open                (const char  *path,
                                             GError     **error);
KioskStore *kiosk_store_open_with_flags     (const char           *path,
                                             KioskStoreOpenFlags   flags,
                                             GError              **error);
void        kiosk_store_check_integrity_async  (KioskStore          *self,
                                                GCancellable        *cancellable,
                                                GAsyncReadyCallback  callback,
                                                gpointer             user_data);
gboolean    kiosk_store_check_integrity_finish (KioskStore          *self,
                                                GAsyncResult        *result,
                                                GError             **error);
const char *kiosk_store_get_damage          (KioskStore  *self);
const char *kiosk_store_get_path            (KioskStore  *self);
guint       kiosk_store_get_schema_version  (KioskStore  *self);
guint       kiosk_store_get_latest_version  (void);
gboolean    kiosk_store_set_aside_damaged   (const char  *path,
                                             char       **out_aside_path,
                                             GError     **error);
char       *kiosk_store_get_setting         (KioskStore  *self,
                                             const char  *key);
gboolean    kiosk_store_set_setting         (KioskStore  *self,
                                             const char  *key,
                                             const char  *value,
                                             GError     **error);
gint64      kiosk_store_get_size            (KioskStore  *self);

G_END_DECLS

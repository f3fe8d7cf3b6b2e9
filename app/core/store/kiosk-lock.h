/* kiosk-lock.h: one process at a time, across processes
 *
 * SPDX-FileCopyrightText: 2026 Stadtkiosk contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define KIOSK_LOCK_ERROR (kiosk_lock_error_quark ())

typedef enum
{
  KIOSK_LOCK_ERROR_HELD,    /* another process holds it; the message names it */
  KIOSK_LOCK_ERROR_FAILED,  /* the lock file cannot be opened */
} KioskLockError;

typedef struct _KioskLock KioskLock;

GQuark     kiosk_lock_error_quark  (void);
KioskLock *kiosk_lock_try_acquire  (const char  *path,
                                    guint        wait_ms,
                                    GError     **error);
void       kiosk_lock_release      (KioskLock   *lock);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (KioskLock, kiosk_lock_release)

G_END_DECLS

/* kiosk-fake-portal.h: the city's open-data portal, on 127.0.0.1, for tests and the demo
 *
 * SPDX-FileCopyrightText: 2026 Stadtkiosk contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum
{
  KIOSK_FAKE_PORTAL_OK,
  KIOSK_FAKE_PORTAL_MALFORMED,   /* each document broken in its own format's way */
  KIOSK_FAKE_PORTAL_OVERSIZED,   /* 4 MiB, chunked (no Content-Length to refuse early) */
  KIOSK_FAKE_PORTAL_DEEP,        /* nested 400 levels */
  KIOSK_FAKE_PORTAL_HTTP_500,
} KioskFakePortalFault;

typedef struct _KioskFakePortal KioskFakePortal;

KioskFakePortal *kiosk_fake_portal_new          (guint                 port,
                                                 const GDate          *today,
                                                 GError              **error);
void             kiosk_fake_portal_free         (KioskFakePortal      *self);
const char      *kiosk_fake_portal_get_url      (KioskFakePortal      *self);
void             kiosk_fake_portal_set_fault    (KioskFakePortal      *self,
                                                 KioskFakePortalFault  fault);
guint            kiosk_fake_portal_get_requests (KioskFakePortal      *self);
guint            kiosk_fake_portal_get_not_modified (KioskFakePortal  *self);
char            *kiosk_fake_portal_waste_ics    (const GDate          *today);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (KioskFakePortal, kiosk_fake_portal_free)

G_END_DECLS

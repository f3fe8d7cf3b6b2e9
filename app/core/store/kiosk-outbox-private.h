/* kiosk-outbox-private.h: the outbox's insides, for its own files
 *
 * SPDX-FileCopyrightText: 2026 Stadtkiosk contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "kiosk-lock.h"
#include "kiosk-outbox.h"

G_BEGIN_DECLS

/* kiosk-outbox.c (the queue and its state machine) and kiosk-outbox-city.c
 * (the city's status, receipt digests) share it. */
struct _KioskOutbox
{
  GObject     parent_instance;

  KioskStore *store;
  KioskClock *clock;
  char       *code_prefix;
  KioskLock  *delivery;     /* held: this process delivers (kiosk-lock.c) */
};

/* One request by "id" or "short_code"; KIOSK_OUTBOX_ERROR_NOT_FOUND when
 * there is none. */
KioskRequest *_kiosk_outbox_read_request (KioskOutbox  *self,
                                          const char   *column,
                                          const char   *value,
                                          GError      **error);

G_END_DECLS

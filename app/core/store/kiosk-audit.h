/* kiosk-audit.h
 *
 * SPDX-FileCopyrightText: 2026 Stadtkiosk contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

#include "kiosk-clock.h"
#include "kiosk-store.h"

G_BEGIN_DECLS

/**
 * KioskAuditEntry:
 *
 * One line of the kiosk's audit log: who (a role: citizen, clerk, admin,
 * system, cli) did what, and when.  Never answers, PINs or tokens.
 */
typedef struct
{
  gint64  seq;
  gint64  at_us;
  char   *role;
  char   *action;
  char   *detail;
} KioskAuditEntry;

void       kiosk_audit_entry_free (KioskAuditEntry *entry);
gboolean   kiosk_audit_log        (KioskStore       *store,
                                   KioskClock       *clock,
                                   const char       *role,
                                   const char       *action,
                                   const char       *detail,
                                   GError          **error);
GPtrArray *kiosk_audit_list       (KioskStore       *store,
                                   guint             limit,
                                   GError          **error);
guint      kiosk_audit_count_since (KioskStore      *store,
                                   const char       *action,
                                   gint64            since_us,
                                   char            **out_last_detail,
                                   GError          **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (KioskAuditEntry, kiosk_audit_entry_free)

G_END_DECLS

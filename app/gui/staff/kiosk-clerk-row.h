/* kiosk-clerk-row.h
 *
 * SPDX-FileCopyrightText: 2026 Stadtkiosk contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "stadtkiosk-core.h"

G_BEGIN_DECLS

#define KIOSK_TYPE_CLERK_ROW (kiosk_clerk_row_get_type ())

G_DECLARE_FINAL_TYPE (KioskClerkRow, kiosk_clerk_row, KIOSK, CLERK_ROW, GtkListBoxRow)

GtkWidget    *kiosk_clerk_row_new            (KioskRequest      *request,
                                              const char        *service_title,
                                              gint64             now,
                                              gboolean           counter);
KioskRequest *kiosk_clerk_row_get_request    (KioskClerkRow     *self);
const char   *kiosk_clerk_row_state_title    (KioskRequestState  state);

G_END_DECLS

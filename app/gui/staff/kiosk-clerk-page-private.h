/* kiosk-clerk-page-private.h: for tests and benchmarks
 *
 * SPDX-FileCopyrightText: 2026 Stadtkiosk contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "kiosk-clerk-page.h"

G_BEGIN_DECLS

GtkWidget *_kiosk_clerk_page_get_more_label       (KioskClerkPage *self);
void       _kiosk_clerk_page_set_default_max_rows (guint           max_rows);
gboolean   _kiosk_clerk_page_get_titles_pending   (KioskClerkPage *self);
void       _kiosk_clerk_page_set_catalog_in_thread (gboolean       in_thread);

G_END_DECLS

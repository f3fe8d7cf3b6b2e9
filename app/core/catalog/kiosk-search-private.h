/* kiosk-search-private.h
 *
 * SPDX-FileCopyrightText: 2026 Stadtkiosk contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

guint _kiosk_search_score (const char  *expanded,
                           const char  *stripped,
                           char       **words,
                           gboolean     forgive);

G_END_DECLS

/* kiosk-search-private.h
 *
 * SPDX-FileCopyrightText: 2026 Stadtkiosk contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _KioskSearchIndex KioskSearchIndex;

typedef struct
{
  guint index;    /* in the catalogue's enabled services */
  guint score;    /* higher is better */
} KioskSearchHit;

KioskSearchIndex *_kiosk_search_index_new  (GPtrArray        *items);
void              _kiosk_search_index_free (KioskSearchIndex *index);
void              _kiosk_search_index_prepare (KioskSearchIndex *index);
GArray           *_kiosk_search_index_run  (KioskSearchIndex *index,
                                            const char       *folded);

G_END_DECLS

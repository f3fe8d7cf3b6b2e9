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

KioskSearchIndex *_kiosk_search_index_new  (GPtrArray        *items,
                                            GBytes           *vocabulary);
void              _kiosk_search_index_free (KioskSearchIndex *index);
void              _kiosk_search_index_prepare (KioskSearchIndex *index);
GArray           *_kiosk_search_index_run  (KioskSearchIndex *index,
                                            const char       *folded);
GBytes           *_kiosk_search_vocabulary_build (GPtrArray *services);
void              _kiosk_search_compact    (char            **expanded,
                                            char            **stripped);

/* kiosk-search-file.c: what the search reads and shows of a stored
 * catalogue's services, mapped */
typedef struct _KioskSearchFile KioskSearchFile;

KioskSearchFile  *_kiosk_search_file_open  (GPtrArray        *services,
                                            const char       *path,
                                            GError          **error);
void              _kiosk_search_file_free  (KioskSearchFile  *self);
const char       *_kiosk_search_file_get_text (KioskSearchFile *self,
                                               guint            service,
                                               gboolean         stripped);
const struct _KioskText *_kiosk_search_file_get_title (KioskSearchFile *self,
                                                        guint            service,
                                                        gboolean         summary);
GBytes           *_kiosk_search_file_get_vocabulary (KioskSearchFile *self);
char             *_kiosk_search_file_path  (const char       *db_path);

G_END_DECLS

/* kiosk-file.h: reading files that come from outside, with a size cap
 *
 * SPDX-FileCopyrightText: 2026 Stadtkiosk contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Caps on what the kiosk reads from files (docs/limits.md). */
#define KIOSK_FILE_MAX_CONFIG       (1024 * 1024)         /* a config file, a key file, a token */
#define KIOSK_FILE_MAX_ANSWERS      (1024 * 1024)         /* enqueue --answers */
#define KIOSK_FILE_MAX_CATALOG      (8 * 1024 * 1024)     /* a catalogue or an Open311 import (as pulled: kiosk-http.h) */

gboolean kiosk_file_read_bounded (const char  *path,
                                  gsize        max_bytes,
                                  char       **out_contents,
                                  gsize       *out_length,
                                  GError     **error);

G_END_DECLS

/* bench-proc.h — what the benchmarks read from /proc about themselves
 *
 * SPDX-FileCopyrightText: 2026 Stadtkiosk contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

double bench_pss_mb       (void);
double bench_private_mb   (void);
double bench_load_average (void);
void   bench_mapped_file_mb (const char *suffix,
                             double     *size_mb,
                             double     *pss_mb);

G_END_DECLS

/* bench-catalog-gen.h
 *
 * SPDX-FileCopyrightText: 2026 Stadtkiosk contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* A catalogue of @n_services realistic services (three steps, twelve fields
 * of every kind, options, a pattern, conditions), as compact JSON. */
GBytes *bench_catalog_generate (guint n_services);

G_END_DECLS

/* kiosk-test-util.h: small helpers every test suite needs
 *
 * SPDX-FileCopyrightText: 2026 Stadtkiosk contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

void     kiosk_test_rm_rf                (const char *path);
gboolean kiosk_test_running_under_lsan   (void);

G_END_DECLS

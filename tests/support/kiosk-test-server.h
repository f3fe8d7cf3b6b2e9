/* kiosk-test-server.h: a SoupServer on 127.0.0.1 in a thread of its own
 *
 * SPDX-FileCopyrightText: 2026 Stadtkiosk contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <libsoup/soup.h>

G_BEGIN_DECLS

typedef struct _KioskTestServer KioskTestServer;

KioskTestServer *kiosk_test_server_start       (const char          *name,
                                                guint                port,
                                                GTlsCertificate     *tls_certificate,
                                                SoupServerCallback   callback,
                                                gpointer             user_data,
                                                GError             **error);
void             kiosk_test_server_stop        (KioskTestServer     *self);
const char      *kiosk_test_server_get_url     (KioskTestServer     *self);
guint            kiosk_test_server_get_port    (KioskTestServer     *self);
GMainContext    *kiosk_test_server_get_context (KioskTestServer     *self);

void             kiosk_test_server_run_until_signal (void);

G_END_DECLS

/* kiosk-fake-backend.h: our Submission API v1 on a SoupServer, with faults
 *
 * SPDX-FileCopyrightText: 2026 Stadtkiosk contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/**
 * KioskFakeFaults:
 * @drop_before_pct: % of submissions whose connection is closed before anything is stored
 * @drop_after_pct: % stored, then the connection closed without an answer
 * @malformed_pct: % stored, then answered with broken JSON
 * @delay_pct: % answered only after @delay_ms (stored after the delay)
 * @delay_ms: see @delay_pct
 * @status: when not 0, answer @status_pct % of submissions with this status
 *   without storing them
 * @status_pct: see @status (0 means 100)
 * @retry_after: (nullable): Retry-After header sent with @status
 * @reject_marker: (nullable): a body containing this string is answered 422
 * @health_down: GET /v1/health answers 503
 *
 * What goes wrong, decided per submission with a seeded random number.
 */
typedef struct
{
  guint       drop_before_pct;
  guint       drop_after_pct;
  guint       malformed_pct;
  guint       delay_pct;
  guint       delay_ms;
  guint       status;
  guint       status_pct;
  const char *retry_after;
  const char *reject_marker;
  gboolean    health_down;
} KioskFakeFaults;

typedef enum
{
  KIOSK_FAKE_BACKEND_NONE            = 0,
  KIOSK_FAKE_BACKEND_NO_IDEMPOTENCY  = 1 << 0,  /* negative control: store every POST */
  KIOSK_FAKE_BACKEND_VERBOSE         = 1 << 1,  /* a line on stdout per submission */
} KioskFakeBackendFlags;

typedef struct _KioskFakeBackend KioskFakeBackend;

KioskFakeBackend *kiosk_fake_backend_new          (guint                  port,
                                                   const char            *state_dir,
                                                   KioskFakeBackendFlags  flags,
                                                   GTlsCertificate       *tls_certificate,
                                                   GError               **error);
void              kiosk_fake_backend_free         (KioskFakeBackend      *self);
const char       *kiosk_fake_backend_get_url      (KioskFakeBackend      *self);
guint             kiosk_fake_backend_get_port     (KioskFakeBackend      *self);
void              kiosk_fake_backend_set_faults   (KioskFakeBackend      *self,
                                                   const KioskFakeFaults *faults);
gboolean          kiosk_fake_backend_parse_faults (const char            *spec,
                                                   KioskFakeFaults       *faults,
                                                   GError               **error);
void              kiosk_fake_backend_set_seed     (KioskFakeBackend      *self,
                                                   guint32                seed);
void              kiosk_fake_backend_set_token    (KioskFakeBackend      *self,
                                                   const char            *token);
void              kiosk_fake_backend_set_catalog  (KioskFakeBackend      *self,
                                                   GBytes                *json);
guint             kiosk_fake_backend_get_n_received (KioskFakeBackend    *self);
guint             kiosk_fake_backend_get_n_stored   (KioskFakeBackend    *self);
guint             kiosk_fake_backend_get_n_unique   (KioskFakeBackend    *self);
guint             kiosk_fake_backend_get_max_copies (KioskFakeBackend    *self);
guint             kiosk_fake_backend_count_id       (KioskFakeBackend    *self,
                                                     const char          *id);
guint             kiosk_fake_backend_get_n_connections (KioskFakeBackend *self);
guint             kiosk_fake_backend_get_n_catalog_gets (KioskFakeBackend *self);
char             *kiosk_fake_backend_dup_last_authorization (KioskFakeBackend *self);
void              kiosk_fake_backend_raise_fd_limit (void);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (KioskFakeBackend, kiosk_fake_backend_free)

G_END_DECLS

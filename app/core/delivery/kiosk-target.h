/* kiosk-target.h
 *
 * SPDX-FileCopyrightText: 2026 Stadtkiosk contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "kiosk-request.h"

G_BEGIN_DECLS

#define KIOSK_TARGET_ERROR (kiosk_target_error_quark ())

typedef enum
{
  KIOSK_TARGET_ERROR_CONFIG,    /* no backend URL, unreadable CA file or token */
  KIOSK_TARGET_ERROR_HTTP,      /* an unexpected HTTP status */
  KIOSK_TARGET_ERROR_NETWORK,   /* no answer at all */
} KioskTargetError;

/**
 * KioskOutcomeKind:
 * @KIOSK_OUTCOME_DELIVERED: the backend has it; @remote_ref says under what
 * @KIOSK_OUTCOME_RETRY: a passing trouble (network, timeout, 408, 425, 429,
 *   5xx): send again later, not sooner than @retry_after_us
 * @KIOSK_OUTCOME_PAUSE: the configuration is wrong (401, 403, 404 of the
 *   endpoint, TLS): stop the whole queue and alert an admin; the request
 *   itself is not to blame
 * @KIOSK_OUTCOME_REJECTED: the backend refused this request (400, 422): a
 *   clerk must look at it; the others keep flowing
 *
 * How one attempt ended, as KioskSync acts on it.
 */
typedef enum
{
  KIOSK_OUTCOME_DELIVERED,
  KIOSK_OUTCOME_RETRY,
  KIOSK_OUTCOME_PAUSE,
  KIOSK_OUTCOME_REJECTED,
} KioskOutcomeKind;

/**
 * KioskOutcome:
 * @kind: what to do with the request
 * @status: the HTTP status, or 0 when no answer came
 * @remote_ref: (nullable): %KIOSK_OUTCOME_DELIVERED: the backend's reference
 * @message: plain words for a clerk or admin: the server's message for a
 *   rejection, else what went wrong.  Never contains a body or a token.
 * @retry_after_us: the least delay the server asked for (Retry-After,
 *   already capped), or -1
 * @offline_hint: the failure was the network itself (no answer at all), so
 *   the sync should check whether the backend is reachable before going on
 */
typedef struct
{
  KioskOutcomeKind  kind;
  guint             status;
  char             *remote_ref;
  char             *message;
  gint64            retry_after_us;
  gboolean          offline_hint;
} KioskOutcome;

#define KIOSK_TYPE_OUTCOME (kiosk_outcome_get_type ())
#define KIOSK_TYPE_TARGET (kiosk_target_get_type ())

GType kiosk_outcome_get_type (void) G_GNUC_CONST;

G_DECLARE_INTERFACE (KioskTarget, kiosk_target, KIOSK, TARGET, GObject)

/**
 * KioskTargetInterface:
 * @deliver_async: send one request.  Must not fail: every problem is an
 *   outcome; only a cancelled call finishes with %G_IO_ERROR_CANCELLED.
 *   Targets must make a repeated delivery of the same request harmless (our
 *   API: Idempotency-Key; CouchDB: PUT /{db}/{request id}, where 409 means
 *   "already there" and counts as delivered; Open311: a form-encoded POST
 *   whose answer carries a service_request_id or a token, either is the
 *   reference).
 * @deliver_finish: the outcome
 * @probe_async: check that the backend is reachable (our API: GET
 *   /v1/health).  DELIVERED means reachable, RETRY unreachable, PAUSE
 *   reachable but misconfigured.
 * @probe_finish: the outcome
 * @describe: a short, token-free description for status output, e.g. the URL
 * @get_max_in_flight: (nullable): how many deliveries the target wants to be
 *   given at once.  A target that batches (CouchDB's _bulk_docs) asks for a
 *   whole batch; without it the sync keeps %KIOSK_TARGET_DEFAULT_IN_FLIGHT.
 *
 * How a request leaves the kiosk.
 */
struct _KioskTargetInterface
{
  GTypeInterface parent_iface;

  void          (*deliver_async)  (KioskTarget          *self,
                                   KioskRequest         *request,
                                   GCancellable         *cancellable,
                                   GAsyncReadyCallback   callback,
                                   gpointer              user_data);
  KioskOutcome *(*deliver_finish) (KioskTarget          *self,
                                   GAsyncResult         *result,
                                   GError              **error);
  void          (*probe_async)    (KioskTarget          *self,
                                   GCancellable         *cancellable,
                                   GAsyncReadyCallback   callback,
                                   gpointer              user_data);
  KioskOutcome *(*probe_finish)   (KioskTarget          *self,
                                   GAsyncResult         *result,
                                   GError              **error);
  char         *(*describe)       (KioskTarget          *self);
  guint         (*get_max_in_flight) (KioskTarget        *self);
};

/* Deliveries in flight per target when it does not say otherwise. */
#define KIOSK_TARGET_DEFAULT_IN_FLIGHT 4
/* The most any target may ask for. */
#define KIOSK_TARGET_MAX_IN_FLIGHT 1000

GQuark        kiosk_target_error_quark         (void);
KioskOutcome *kiosk_outcome_new                (KioskOutcomeKind      kind,
                                                guint                 status,
                                                const char           *message);
KioskOutcome *kiosk_outcome_copy               (const KioskOutcome   *outcome);
void          kiosk_outcome_free               (KioskOutcome         *outcome);
const char   *kiosk_outcome_kind_to_string     (KioskOutcomeKind      kind);

KioskOutcomeKind kiosk_target_classify_status  (guint                 status);
gint64        kiosk_target_parse_retry_after   (const char           *value,
                                                gint64                now_us);
KioskOutcome *kiosk_target_classify_error      (const GError         *error);

void          kiosk_target_deliver_async       (KioskTarget          *self,
                                                KioskRequest         *request,
                                                GCancellable         *cancellable,
                                                GAsyncReadyCallback   callback,
                                                gpointer              user_data);
KioskOutcome *kiosk_target_deliver_finish      (KioskTarget          *self,
                                                GAsyncResult         *result,
                                                GError              **error);
void          kiosk_target_probe_async         (KioskTarget          *self,
                                                GCancellable         *cancellable,
                                                GAsyncReadyCallback   callback,
                                                gpointer              user_data);
KioskOutcome *kiosk_target_probe_finish        (KioskTarget          *self,
                                                GAsyncResult         *result,
                                                GError              **error);
char         *kiosk_target_describe            (KioskTarget          *self);
guint         kiosk_target_get_max_in_flight   (KioskTarget          *self);

/* The longest Retry-After the kiosk honours; longer ones are capped. */
#define KIOSK_TARGET_RETRY_AFTER_CAP_US (G_GINT64_CONSTANT (24) * 3600 * G_USEC_PER_SEC)

G_DEFINE_AUTOPTR_CLEANUP_FUNC (KioskOutcome, kiosk_outcome_free)

G_END_DECLS

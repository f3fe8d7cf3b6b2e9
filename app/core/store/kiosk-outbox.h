/* kiosk-outbox.h
 *
 * SPDX-FileCopyrightText: 2026 Stadtkiosk contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

#include "kiosk-clock.h"
#include "kiosk-request.h"
#include "kiosk-store.h"

G_BEGIN_DECLS

#define KIOSK_OUTBOX_ERROR (kiosk_outbox_error_quark ())

typedef enum
{
  KIOSK_OUTBOX_ERROR_NOT_FOUND,
  KIOSK_OUTBOX_ERROR_ILLEGAL_TRANSITION,
  KIOSK_OUTBOX_ERROR_EXISTS,     /* a request with this id is already stored */
  KIOSK_OUTBOX_ERROR_INVALID,    /* the draft is incomplete */
  KIOSK_OUTBOX_ERROR_BUSY,       /* another process delivers (the message names it) */
} KioskOutboxError;

/**
 * KioskOutboxMark:
 * @KIOSK_OUTBOX_MARK_DELIVERED: as kiosk_outbox_mark_delivered()
 * @KIOSK_OUTBOX_MARK_RETRY: as kiosk_outbox_mark_retry()
 * @KIOSK_OUTBOX_MARK_REJECTED: as kiosk_outbox_mark_rejected()
 * @KIOSK_OUTBOX_MARK_RELEASE: as kiosk_outbox_release()
 */
typedef enum
{
  KIOSK_OUTBOX_MARK_DELIVERED,
  KIOSK_OUTBOX_MARK_RETRY,
  KIOSK_OUTBOX_MARK_REJECTED,
  KIOSK_OUTBOX_MARK_RELEASE,
} KioskOutboxMark;

/**
 * KioskOutcomeRecord:
 * @id: the request (id or short code)
 * @mark: what happened to it
 * @text: (nullable): %KIOSK_OUTBOX_MARK_DELIVERED: the backend's reference;
 *   otherwise why, in plain words for a clerk (the rejection's message)
 * @next_attempt_us: %KIOSK_OUTBOX_MARK_RETRY: when to try again
 *
 * One delivery outcome for kiosk_outbox_apply().
 */
typedef struct
{
  const char      *id;
  KioskOutboxMark  mark;
  const char      *text;
  gint64           next_attempt_us;
} KioskOutcomeRecord;

#define KIOSK_TYPE_OUTBOX (kiosk_outbox_get_type ())

G_DECLARE_FINAL_TYPE (KioskOutbox, kiosk_outbox, KIOSK, OUTBOX, GObject)

/* Called with each listed request, whose reference it takes. */
/* kiosk_outbox_foreach_age(): a request's id, service and last change,
 * without its answers (the retention purge's scan). */
typedef void (*KioskOutboxAgeFunc) (const char *id,
                                    const char *service_id,
                                    gint64      updated_us,
                                    gpointer    user_data);

typedef void (*KioskOutboxForeachFunc) (KioskRequest *request,
                                        gpointer      user_data);

GQuark        kiosk_outbox_error_quark         (void);
KioskOutbox  *kiosk_outbox_new                 (KioskStore               *store,
                                                KioskClock               *clock,
                                                const char               *code_prefix,
                                                GError                  **error);
char         *kiosk_outbox_new_short_code      (KioskOutbox              *self);
KioskRequest *kiosk_outbox_enqueue             (KioskOutbox              *self,
                                                const KioskRequestDraft  *draft,
                                                const char               *actor,
                                                GError                  **error);
KioskRequest *kiosk_outbox_get                 (KioskOutbox              *self,
                                                const char               *id_or_code,
                                                GError                  **error);
GPtrArray    *kiosk_outbox_list                (KioskOutbox              *self,
                                                int                       state,
                                                GError                  **error);
gboolean      kiosk_outbox_foreach             (KioskOutbox              *self,
                                                int                       state,
                                                KioskOutboxForeachFunc    func,
                                                gpointer                  user_data,
                                                GError                  **error);
gboolean      kiosk_outbox_foreach_first       (KioskOutbox              *self,
                                                int                       state,
                                                guint                     limit,
                                                KioskOutboxForeachFunc    func,
                                                gpointer                  user_data,
                                                GError                  **error);
gboolean      kiosk_outbox_count_by_state      (KioskOutbox              *self,
                                                guint                     counts[KIOSK_REQUEST_N_STATES],
                                                GError                  **error);
gboolean      kiosk_outbox_count_active        (KioskOutbox              *self,
                                                guint                     counts[KIOSK_REQUEST_N_STATES],
                                                GError                  **error);
GPtrArray    *kiosk_outbox_list_events         (KioskOutbox              *self,
                                                const char               *id,
                                                GError                  **error);
gint64        kiosk_outbox_get_next_due        (KioskOutbox              *self);
gint64        kiosk_outbox_get_oldest_undelivered (KioskOutbox           *self);
gint64        kiosk_outbox_get_last_delivered  (KioskOutbox              *self);

GPtrArray    *kiosk_outbox_claim_due           (KioskOutbox              *self,
                                                guint                     max,
                                                GError                  **error);

gboolean      kiosk_outbox_set_routes          (KioskOutbox              *self,
                                                GHashTable               *routes,
                                                GError                  **error);
GPtrArray    *kiosk_outbox_claim_due_for       (KioskOutbox              *self,
                                                const char * const       *targets,
                                                const char               *default_target,
                                                guint                     max,
                                                GPtrArray               **out_targets,
                                                GError                  **error);
gint64        kiosk_outbox_get_next_due_for    (KioskOutbox              *self,
                                                const char * const       *targets,
                                                const char               *default_target);
char         *kiosk_outbox_dup_waiting_service (KioskOutbox              *self,
                                                const char               *target,
                                                const char               *default_target);
gboolean      kiosk_outbox_set_city_status     (KioskOutbox              *self,
                                                const char               *request_id,
                                                const char               *status,
                                                const char               *note,
                                                GError                  **error);
GPtrArray    *kiosk_outbox_list_city_status_due (KioskOutbox             *self,
                                                 const char              *target,
                                                 gint64                   since_us,
                                                 guint                    max,
                                                 GError                 **error);
gboolean      kiosk_outbox_get_city_status     (KioskOutbox              *self,
                                                const char               *request_id,
                                                char                    **out_status,
                                                char                    **out_note,
                                                gint64                   *out_updated,
                                                GError                  **error);
gboolean      kiosk_outbox_add_receipt_digest  (KioskOutbox              *self,
                                                const char               *request_id,
                                                const char               *sha256,
                                                GError                  **error);
KioskRequest *kiosk_outbox_get_by_receipt_digest (KioskOutbox            *self,
                                                  const char             *sha256,
                                                  GError                **error);
KioskRequest *kiosk_outbox_mark_delivered      (KioskOutbox              *self,
                                                const char               *id,
                                                const char               *remote_ref,
                                                GError                  **error);
KioskRequest *kiosk_outbox_mark_retry          (KioskOutbox              *self,
                                                const char               *id,
                                                gint64                    next_attempt_us,
                                                const char               *why,
                                                GError                  **error);
KioskRequest *kiosk_outbox_release             (KioskOutbox              *self,
                                                const char               *id,
                                                const char               *why,
                                                GError                  **error);
KioskRequest *kiosk_outbox_mark_rejected       (KioskOutbox              *self,
                                                const char               *id,
                                                const char               *message,
                                                GError                  **error);
gboolean      kiosk_outbox_apply               (KioskOutbox              *self,
                                                const KioskOutcomeRecord *records,
                                                guint                     n,
                                                GPtrArray               **out_requests,
                                                GPtrArray               **out_errors,
                                                GError                  **error);
KioskRequest *kiosk_outbox_retry_now           (KioskOutbox              *self,
                                                const char               *id,
                                                const char               *actor,
                                                GError                  **error);
KioskRequest *kiosk_outbox_cancel              (KioskOutbox              *self,
                                                const char               *id,
                                                const char               *reason,
                                                const char               *actor,
                                                GError                  **error);
KioskRequest *kiosk_outbox_mark_handled        (KioskOutbox              *self,
                                                const char               *id,
                                                const char               *detail,
                                                const char               *actor,
                                                GError                  **error);
KioskRequest *kiosk_outbox_purge               (KioskOutbox              *self,
                                                const char               *id,
                                                const char               *detail,
                                                GError                  **error);
guint         kiosk_outbox_purge_many          (KioskOutbox              *self,
                                                const char *const        *ids,
                                                const char *const        *details,
                                                const gint64             *updated_us,
                                                guint                     n,
                                                GError                  **error);
gboolean      kiosk_outbox_foreach_age         (KioskOutbox              *self,
                                                KioskRequestState         state,
                                                KioskOutboxAgeFunc        func,
                                                gpointer                  user_data,
                                                GError                  **error);
guint         kiosk_outbox_recover             (KioskOutbox              *self,
                                                GError                  **error);

G_END_DECLS

/* kiosk-request.h
 *
 * SPDX-FileCopyrightText: 2026 Stadtkiosk contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/**
 * KioskRequestState:
 *
 * Where a request is on its way; see DESIGN.md for the legal transitions.
 */
typedef enum
{
  KIOSK_REQUEST_QUEUED,
  KIOSK_REQUEST_SENDING,
  KIOSK_REQUEST_DELIVERED,
  KIOSK_REQUEST_REJECTED,
  KIOSK_REQUEST_CANCELLED,
  KIOSK_REQUEST_HANDLED,
  KIOSK_REQUEST_PURGED,
  KIOSK_REQUEST_N_STATES,
} KioskRequestState;

/**
 * KioskRequestFlags:
 * @KIOSK_REQUEST_FLAG_ASSISTED: a clerk filled it in on the citizen's behalf
 * @KIOSK_REQUEST_FLAG_IMPORTED: it came in from an exported queue or a scanned receipt
 */
typedef enum
{
  KIOSK_REQUEST_FLAG_NONE     = 0,
  KIOSK_REQUEST_FLAG_ASSISTED = 1 << 0,
  KIOSK_REQUEST_FLAG_IMPORTED = 1 << 1,
} KioskRequestFlags;

/**
 * KioskAnswersFormat:
 * @KIOSK_ANSWERS_JSON: canonical JSON of the visible answers
 * @KIOSK_ANSWERS_SEALED: the sealed QR payload; only the city can open it
 */
typedef enum
{
  KIOSK_ANSWERS_JSON,
  KIOSK_ANSWERS_SEALED,
} KioskAnswersFormat;

/**
 * KioskRequestDraft:
 * @id: (nullable): the UUIDv4 to use; %NULL for a new one
 * @short_code: (nullable): the short code to use; %NULL for a new one
 * @service_id: the catalogue service
 * @service_version: its version
 * @locale: the language the citizen used, e.g. "de"
 * @answers: canonical JSON of the visible answers, or the sealed payload
 * @answers_format: which of the two @answers is
 * @flags: assisted, imported
 * @created_us: 0 for now; an imported request keeps its kiosk's time
 * @origin_kiosk_id: (nullable): the kiosk an imported request was made on;
 *   %NULL for this one
 * @receipt_payload: (nullable): the receipt's QR payload when it is not
 *   @answers (sealed answers too large for the QR code: a reference-only
 *   payload sealed once, kiosk_sealer_receipt_for_draft()); %NULL otherwise
 *
 * What a new request is made of.  Callers that must know the id and short
 * code before storing (to seal them into the receipt's payload) generate them
 * first with g_uuid_string_random() and kiosk_outbox_new_short_code().
 */
typedef struct
{
  const char         *id;
  const char         *short_code;
  const char         *service_id;
  guint               service_version;
  const char         *locale;
  GBytes             *answers;
  KioskAnswersFormat  answers_format;
  KioskRequestFlags   flags;
  gint64              created_us;
  const char         *origin_kiosk_id;
  GBytes             *receipt_payload;
} KioskRequestDraft;

#define KIOSK_TYPE_REQUEST_STATE (kiosk_request_state_get_type ())
#define KIOSK_TYPE_REQUEST (kiosk_request_get_type ())

GType kiosk_request_state_get_type (void) G_GNUC_CONST;

G_DECLARE_FINAL_TYPE (KioskRequest, kiosk_request, KIOSK, REQUEST, GObject)

const char         *kiosk_request_state_to_string       (KioskRequestState  state);
gboolean            kiosk_request_state_from_string     (const char        *str,
                                                         KioskRequestState *out_state);
gboolean            kiosk_request_state_can_transition  (KioskRequestState  from,
                                                         KioskRequestState  to);

const char         *kiosk_request_get_id                (KioskRequest      *self);
const char         *kiosk_request_get_short_code        (KioskRequest      *self);
const char         *kiosk_request_get_service_id        (KioskRequest      *self);
guint               kiosk_request_get_service_version   (KioskRequest      *self);
const char         *kiosk_request_get_locale            (KioskRequest      *self);
gint64              kiosk_request_get_created           (KioskRequest      *self);
gint64              kiosk_request_get_updated           (KioskRequest      *self);
KioskRequestState   kiosk_request_get_state             (KioskRequest      *self);
guint               kiosk_request_get_attempts          (KioskRequest      *self);
gint64              kiosk_request_get_next_attempt      (KioskRequest      *self);
const char         *kiosk_request_get_last_error        (KioskRequest      *self);
const char         *kiosk_request_get_remote_ref        (KioskRequest      *self);
KioskRequestFlags   kiosk_request_get_flags             (KioskRequest      *self);
GBytes             *kiosk_request_get_answers           (KioskRequest      *self);
GBytes             *kiosk_request_get_receipt_payload   (KioskRequest      *self);
KioskAnswersFormat  kiosk_request_get_answers_format    (KioskRequest      *self);
const char         *kiosk_request_get_origin_kiosk_id   (KioskRequest      *self);

/**
 * KioskRequestEvent:
 *
 * One line of a request's append-only history.
 */
typedef struct
{
  gint64             seq;
  gint64             at_us;
  KioskRequestState  from_state;   /* KIOSK_REQUEST_N_STATES for "created" */
  KioskRequestState  to_state;
  char              *actor;
  char              *detail;
} KioskRequestEvent;

void kiosk_request_event_free (KioskRequestEvent *event);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (KioskRequestEvent, kiosk_request_event_free)

G_END_DECLS

/* kiosk-citizen-status.h
 *
 * SPDX-FileCopyrightText: 2026 Stadtkiosk contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "kiosk-clock.h"
#include "kiosk-outbox.h"

G_BEGIN_DECLS

#define KIOSK_CITIZEN_STATUS_ERROR (kiosk_citizen_status_error_quark ())

typedef enum
{
  KIOSK_CITIZEN_STATUS_ERROR_NOT_A_CODE,   /* mistyped: wrong format or check character */
  KIOSK_CITIZEN_STATUS_ERROR_UNKNOWN,      /* a valid code, but not of this kiosk */
  KIOSK_CITIZEN_STATUS_ERROR_SLOW_DOWN,    /* too many wrong codes: wait */
  KIOSK_CITIZEN_STATUS_ERROR_UNREACHABLE,  /* not here, and the city's system could not be asked */
  KIOSK_CITIZEN_STATUS_ERROR_UNREADABLE_SCAN, /* a receipt's QR code, scanned cut short or misread */
} KioskCitizenStatusError;

/**
 * KioskCitizenStep:
 * @KIOSK_CITIZEN_STEP_SAVED: saved on this kiosk, not yet sent
 * @KIOSK_CITIZEN_STEP_SENT: the city's system has it
 * @KIOSK_CITIZEN_STEP_RECEIVED: the city confirmed it
 * @KIOSK_CITIZEN_STEP_IN_PROGRESS: the city works on it
 * @KIOSK_CITIZEN_STEP_DONE: done (by the city, or at the counter)
 * @KIOSK_CITIZEN_STEP_SEE_COUNTER: it could not go on by itself: ask at
 *   the counter (refused, cancelled)
 *
 * Where a request stands, in the words a citizen needs.
 */
typedef enum
{
  KIOSK_CITIZEN_STEP_SAVED,
  KIOSK_CITIZEN_STEP_SENT,
  KIOSK_CITIZEN_STEP_RECEIVED,
  KIOSK_CITIZEN_STEP_IN_PROGRESS,
  KIOSK_CITIZEN_STEP_DONE,
  KIOSK_CITIZEN_STEP_SEE_COUNTER,
} KioskCitizenStep;

/**
 * KioskCitizenStatus:
 * @short_code: the request's code
 * @service_id: its service
 * @created: when it was saved (Unix µs)
 * @step: where it stands
 * @city_note: (nullable): what the city wrote back, when a target brings it,
 *   as stored: plain text, or a JSON object of language code to text (the
 *   hub's); show it with kiosk_citizen_status_dup_note()
 * @city_updated: when the kiosk learnt the city's status (Unix µs), 0 if
 *   the city has said nothing yet
 *
 * What the status page may show.  Never the answers.
 */
typedef struct
{
  char             *short_code;
  char             *service_id;
  gint64            created;
  KioskCitizenStep  step;
  char             *city_note;
  gint64            city_updated;
} KioskCitizenStatus;

#define KIOSK_TYPE_STATUS_GUARD (kiosk_status_guard_get_type ())

G_DECLARE_FINAL_TYPE (KioskStatusGuard, kiosk_status_guard, KIOSK, STATUS_GUARD, GObject)

GQuark              kiosk_citizen_status_error_quark (void);
KioskCitizenStep    kiosk_citizen_step_for           (KioskRequestState   state,
                                                      const char         *city_status);
KioskStatusGuard   *kiosk_status_guard_new           (KioskClock         *clock);
guint               kiosk_status_guard_get_wait      (KioskStatusGuard   *self);
KioskCitizenStatus *kiosk_citizen_status_lookup      (KioskOutbox        *outbox,
                                                      KioskStatusGuard   *guard,
                                                      const char         *typed,
                                                      GError            **error);
KioskCitizenStatus *kiosk_citizen_status_lookup_here (KioskOutbox        *outbox,
                                                      KioskStatusGuard   *guard,
                                                      const char         *typed,
                                                      char              **out_key,
                                                      gboolean           *out_scanned,
                                                      GError            **error);
gboolean            kiosk_citizen_status_is_scan     (const char         *typed);
void                kiosk_status_guard_record_miss   (KioskStatusGuard   *self);
char               *kiosk_citizen_status_dup_note    (const KioskCitizenStatus *status,
                                                      const char         *language);
void                kiosk_citizen_status_free        (KioskCitizenStatus *status);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (KioskCitizenStatus, kiosk_citizen_status_free)

G_END_DECLS

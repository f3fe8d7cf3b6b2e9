/* kiosk-payload.h
 *
 * SPDX-FileCopyrightText: 2026 Stadtkiosk contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>
#include <json-glib/json-glib.h>

#include "kiosk-keys.h"
#include "kiosk-outbox.h"

G_BEGIN_DECLS

#define KIOSK_PAYLOAD_ERROR (kiosk_payload_error_quark ())

typedef enum
{
  KIOSK_PAYLOAD_ERROR_NOT_PAYLOAD,     /* not a Stadtkiosk receipt code at all */
  KIOSK_PAYLOAD_ERROR_MALFORMED,       /* wrong characters, impossible lengths */
  KIOSK_PAYLOAD_ERROR_TRUNCATED,       /* shorter than it announces: incomplete scan */
  KIOSK_PAYLOAD_ERROR_FUTURE_VERSION,  /* made by a newer Stadtkiosk */
  KIOSK_PAYLOAD_ERROR_WRONG_CITY_KEY,  /* sealed to another city key */
  KIOSK_PAYLOAD_ERROR_TAMPERED,        /* seal or signature does not verify */
  KIOSK_PAYLOAD_ERROR_UNKNOWN_KIOSK,   /* signed by a kiosk that is not trusted */
  KIOSK_PAYLOAD_ERROR_TOO_LARGE,       /* not even the reference fits the cap */
  KIOSK_PAYLOAD_ERROR_INVALID,         /* bad input to seal (id, strings too long) */
} KioskPayloadError;

#define KIOSK_PAYLOAD_VERSION       1
#define KIOSK_PAYLOAD_TEXT_MAGIC    "5750"
#define KIOSK_PAYLOAD_HEADER_BYTES  10

typedef enum
{
  KIOSK_PAYLOAD_FLAG_NONE           = 0,
  KIOSK_PAYLOAD_FLAG_REFERENCE_ONLY = 1 << 0,
  KIOSK_PAYLOAD_FLAG_DEMO           = 1 << 1,
} KioskPayloadFlags;

/**
 * KioskPayloadFields:
 *
 * What goes into a payload.  @answers is the canonical JSON of the visible
 * answers; @created_us is rounded down to whole seconds.
 */
typedef struct
{
  const char *id;
  const char *short_code;
  const char *kiosk_id;
  const char *service_id;
  guint       service_version;
  const char *locale;
  gint64      created_us;
  GBytes     *answers;
} KioskPayloadFields;

#define KIOSK_TYPE_PAYLOAD (kiosk_payload_get_type ())

G_DECLARE_FINAL_TYPE (KioskPayload, kiosk_payload, KIOSK, PAYLOAD, GObject)

GQuark        kiosk_payload_error_quark        (void);

GBytes       *kiosk_payload_seal               (const KioskPayloadFields  *fields,
                                                const KioskSigningKey     *signer,
                                                const KioskCityKey        *city,
                                                gboolean                   demo,
                                                gsize                      cap,
                                                GError                   **error);
GBytes       *kiosk_payload_seal_reference     (const KioskPayloadFields  *fields,
                                                const KioskSigningKey     *signer,
                                                const KioskCityKey        *city,
                                                gboolean                   demo,
                                                GError                   **error);
gboolean      kiosk_payload_peek               (GBytes                    *payload,
                                                KioskPayloadFlags         *out_flags,
                                                GError                   **error);
KioskPayload *kiosk_payload_open               (GBytes                    *payload,
                                                KioskKeys                 *keys,
                                                GError                   **error);

/* kiosk-payload-text.c: the payload as digits for a QR code */
char         *kiosk_payload_encode_qr_text     (GBytes                    *payload);
GBytes       *kiosk_payload_decode_qr_text     (const char                *text,
                                                GError                   **error);
gsize         kiosk_payload_qr_text_length     (gsize                      n_bytes);
char         *kiosk_payload_dup_digest         (GBytes                    *payload);
char         *kiosk_payload_dup_text_digest    (const char                *text,
                                                GError                   **error);

gboolean      kiosk_payload_fill_draft         (KioskPayload              *self,
                                                GBytes                    *payload,
                                                KioskRequestDraft         *draft,
                                                GError                   **error);

const char   *kiosk_payload_get_id             (KioskPayload              *self);
const char   *kiosk_payload_get_short_code     (KioskPayload              *self);
const char   *kiosk_payload_get_kiosk_id       (KioskPayload              *self);
const char   *kiosk_payload_get_service_id     (KioskPayload              *self);
guint         kiosk_payload_get_service_version (KioskPayload             *self);
const char   *kiosk_payload_get_locale         (KioskPayload              *self);
gint64        kiosk_payload_get_created        (KioskPayload              *self);
GBytes       *kiosk_payload_get_answers        (KioskPayload              *self);
gboolean      kiosk_payload_is_reference_only  (KioskPayload              *self);
gboolean      kiosk_payload_is_demo            (KioskPayload              *self);
JsonNode     *kiosk_payload_to_json            (KioskPayload              *self);

G_END_DECLS

/* kiosk-sealer.c
 *
 * SPDX-FileCopyrightText: 2026 Stadtkiosk contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "kiosk-receipt"

#include "config.h"

#include "kiosk-sealer.h"
#include "kiosk-seal-policy.h"

#include "kiosk-keys.h"
#include "kiosk-payload.h"

/* The kiosk's crypto policy, in one place: when answers are sealed at rest
 * and what a receipt's QR code carries.  kiosk-payload.c is the codec it
 * uses and decides nothing; kiosk_context_submit() and
 * kiosk_receipt_new_for_request() ask here. */

/**
 * kiosk_sealer_seal_at_rest:
 * @config: the kiosk's configuration
 * @clock: the kiosk's clock
 * @draft: a request about to be enqueued, with @id, @short_code and JSON answers
 * @out_sealed: (out) (transfer full) (nullable): the sealed answers, or %NULL
 *
 * When a city key is configured (or the keys are in demo mode), seals the
 * draft's answers into a full payload (no size cap) and points
 * @draft->answers at it with format %KIOSK_ANSWERS_SEALED: the kiosk then
 * cannot read what it stored.  Keep @out_sealed alive until the draft is
 * enqueued.  Without a city key, @draft stays as it is and @out_sealed is
 * %NULL.  A city key without a usable signing key is an error.
 *
 * If @draft->created_us is 0 it is set to now, so that the stored request
 * and its payload carry the same time.
 *
 * Returns: %FALSE with @error set when a city key is configured but the
 *   kiosk cannot sign (missing or wrong signing key).  The caller then
 *   refuses the request, as kiosk_context_submit() does: answers are never
 *   stored in clear behind the admin's back when sealing was configured.
 */
gboolean
kiosk_sealer_seal_at_rest (KioskConfig        *config,
                           KioskClock         *clock,
                           KioskRequestDraft  *draft,
                           GBytes            **out_sealed,
                           GError            **error)
{
  g_autoptr(KioskKeys) keys = NULL;
  KioskPayloadFields fields = { 0 };
  KioskSealPolicy policy;
  GBytes *sealed;

  g_return_val_if_fail (KIOSK_IS_CONFIG (config), FALSE);
  g_return_val_if_fail (KIOSK_IS_CLOCK (clock), FALSE);
  g_return_val_if_fail (draft != NULL && draft->id != NULL && draft->short_code != NULL, FALSE);
  g_return_val_if_fail (out_sealed != NULL, FALSE);

  *out_sealed = NULL;
  if (draft->answers_format == KIOSK_ANSWERS_SEALED)
    return TRUE;

  /* A city key that is configured or was installed but is gone refuses
   * the request (kiosk-seal-policy.c): never a silent clear copy. */
  if (!kiosk_seal_policy_get (config, &policy, error))
    return FALSE;
  if (policy != KIOSK_SEAL_POLICY_SEAL)
    return TRUE;

  keys = kiosk_keys_load_for_kiosk (config, error);
  if (keys == NULL)
    {
      g_prefix_error (error, "cannot seal the answers for storage: ");
      return FALSE;
    }

  if (draft->created_us == 0)
    draft->created_us = kiosk_clock_get_now (clock);

  fields.id = draft->id;
  fields.short_code = draft->short_code;
  fields.kiosk_id = kiosk_config_get_kiosk_id (config);
  fields.service_id = draft->service_id;
  fields.service_version = draft->service_version;
  fields.locale = draft->locale;
  fields.created_us = draft->created_us;
  fields.answers = draft->answers;

  sealed = kiosk_payload_seal (&fields, keys->signing, keys->city, keys->demo, 0, error);
  if (sealed == NULL)
    return FALSE;
  draft->answers = sealed;
  draft->answers_format = KIOSK_ANSWERS_SEALED;
  *out_sealed = sealed;
  return TRUE;
}

/**
 * kiosk_sealer_receipt_for_draft:
 * @config: the kiosk's configuration
 * @draft: a request about to be enqueued, its answers sealed at rest
 *   (kiosk_sealer_seal_at_rest())
 *
 * Sealed answers too large for the QR code (`[keys] payload-cap`) make a
 * reference-only receipt.  Sealed afresh on every print, each print would
 * show a different QR code, and the hub document could not name the one
 * printed: so it is sealed once, here, stored with the request
 * (@draft->receipt_payload) and printed every time (#16: a scanned slip is
 * found by its payload's digest).
 *
 * Returns: (transfer full) (nullable): the reference-only payload, or %NULL
 *   when the stored payload fits the QR code (it is the QR payload), the
 *   answers are not sealed, or the request came from another kiosk;
 *   %NULL with @error set when the keys cannot be loaded
 */
GBytes *
kiosk_sealer_receipt_for_draft (KioskConfig              *config,
                                const KioskRequestDraft  *draft,
                                GError                  **error)
{
  g_autoptr(KioskKeys) keys = NULL;
  KioskPayloadFields fields = { 0 };

  g_return_val_if_fail (KIOSK_IS_CONFIG (config), NULL);
  g_return_val_if_fail (draft != NULL && draft->id != NULL && draft->short_code != NULL, NULL);

  if (draft->answers_format != KIOSK_ANSWERS_SEALED || draft->answers == NULL ||
      (draft->flags & KIOSK_REQUEST_FLAG_IMPORTED) != 0 ||
      g_bytes_get_size (draft->answers) <= kiosk_config_get_payload_cap (config))
    return NULL;

  keys = kiosk_keys_load_for_kiosk (config, error);
  if (keys == NULL)
    {
      g_prefix_error (error, "cannot make the receipt's QR code: ");
      return NULL;
    }
  fields.id = draft->id;
  fields.short_code = draft->short_code;
  fields.kiosk_id = kiosk_config_get_kiosk_id (config);
  fields.created_us = draft->created_us;
  return kiosk_payload_seal_reference (&fields, keys->signing, keys->city, keys->demo, error);
}

/**
 * kiosk_sealer_payload_for_request:
 * @config: the kiosk's configuration
 * @request: a stored request
 *
 * The QR payload for a stored request's receipt: the stored sealed payload
 * itself when it fits the cap, else a fresh one (full or reference-only),
 * signed with the kiosk's key and sealed to the city's.
 *
 * Returns: (transfer full): the binary payload, or %NULL with @error set
 *   (a #KioskKeysError when the keys are missing: never an unsigned or
 *   unsealed code)
 */
GBytes *
kiosk_sealer_payload_for_request (KioskConfig   *config,
                                  KioskRequest  *request,
                                  GError       **error)
{
  g_autoptr(KioskKeys) keys = NULL;
  GBytes *answers;
  gsize cap;
  KioskPayloadFields fields = { 0 };

  g_return_val_if_fail (KIOSK_IS_CONFIG (config), NULL);
  g_return_val_if_fail (KIOSK_IS_REQUEST (request), NULL);

  keys = kiosk_keys_load_for_kiosk (config, error);
  if (keys == NULL)
    {
      g_prefix_error (error, "cannot make the receipt's QR code: ");
      return NULL;
    }

  answers = kiosk_request_get_answers (request);
  cap = kiosk_config_get_payload_cap (config);

  /* Sealed once when the request was stored: the same code on every
   * print (kiosk_sealer_receipt_for_draft()). */
  if (kiosk_request_get_receipt_payload (request) != NULL &&
      g_bytes_get_size (kiosk_request_get_receipt_payload (request)) <= cap &&
      kiosk_payload_peek (kiosk_request_get_receipt_payload (request), NULL, NULL))
    return g_bytes_ref (kiosk_request_get_receipt_payload (request));

  if (answers != NULL && kiosk_request_get_answers_format (request) == KIOSK_ANSWERS_SEALED &&
      g_bytes_get_size (answers) <= cap && kiosk_payload_peek (answers, NULL, NULL))
    return g_bytes_ref (answers);

  fields.id = kiosk_request_get_id (request);
  fields.short_code = kiosk_request_get_short_code (request);
  fields.kiosk_id = kiosk_config_get_kiosk_id (config);
  fields.service_id = kiosk_request_get_service_id (request);
  fields.service_version = kiosk_request_get_service_version (request);
  fields.locale = kiosk_request_get_locale (request);
  fields.created_us = kiosk_request_get_created (request);
  /* Sealed at rest but too large for the QR, or purged: the kiosk cannot
   * read the answers, so the code can only carry the reference. */
  if (answers == NULL || kiosk_request_get_answers_format (request) == KIOSK_ANSWERS_SEALED)
    return kiosk_payload_seal_reference (&fields, keys->signing, keys->city, keys->demo, error);
  fields.answers = answers;
  return kiosk_payload_seal (&fields, keys->signing, keys->city, keys->demo, cap, error);
}

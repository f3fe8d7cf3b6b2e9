/* kiosk-scan.c
 *
 * SPDX-FileCopyrightText: 2026 Stadtkiosk contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "kiosk-staff"

#include "config.h"

#include "kiosk-scan.h"
#include "kiosk-submission-target.h"

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "kiosk-json-private.h"
#include "kiosk-short-code.h"

/* A USB scanner is a keyboard: it types the QR text and Enter into whatever
 * has the focus.  A clerk may type the short code from the slip instead.
 * Both end here. */

void
kiosk_scan_free (KioskScan *scan)
{
  if (scan == NULL)
    return;
  g_free (scan->short_code);
  g_clear_object (&scan->request);
  g_clear_object (&scan->payload);
  g_clear_pointer (&scan->sealed, g_bytes_unref);
  g_free (scan);
}

/**
 * kiosk_scan_lookup:
 * @context: the kiosk or counter
 * @keys: (nullable): keys with the city's secret and the trusted kiosks, to
 *   open receipts; %NULL where there are none (a kiosk)
 * @text: what the scanner or the clerk typed
 *
 * Returns: (transfer full): what @text is, or %NULL with @error set: a
 *   #KioskPayloadError for a damaged, forged or foreign code, a
 *   #KioskShortCodeError for a mistyped short code, or
 *   %KIOSK_OUTBOX_ERROR_NOT_FOUND for a short code this outbox does not hold
 */
KioskScan *
kiosk_scan_lookup (KioskContext  *context,
                   KioskKeys     *keys,
                   const char    *text,
                   GError       **error)
{
  g_autoptr(KioskScan) scan = g_new0 (KioskScan, 1);
  g_autofree char *clean = NULL;
  KioskOutbox *outbox;

  g_return_val_if_fail (KIOSK_IS_CONTEXT (context), NULL);
  g_return_val_if_fail (text != NULL, NULL);

  outbox = kiosk_context_get_outbox (context);
  clean = g_strstrip (g_strdup (text));

  if (!g_str_has_prefix (clean, KIOSK_PAYLOAD_TEXT_MAGIC))
    {
      /* Typed by hand: a short code. */
      scan->short_code = kiosk_short_code_normalize (clean, error);
      if (scan->short_code == NULL)
        return NULL;
      scan->request = kiosk_outbox_get (outbox, scan->short_code, error);
      if (scan->request == NULL)
        return NULL;
      return g_steal_pointer (&scan);
    }

  scan->sealed = kiosk_payload_decode_qr_text (clean, error);
  if (scan->sealed == NULL)
    return NULL;
  if (!kiosk_payload_peek (scan->sealed, NULL, error))
    return NULL;

  if (keys == NULL || keys->city == NULL || !keys->city->has_secret)
    {
      scan->sealed_only = TRUE;
      return g_steal_pointer (&scan);
    }

  scan->payload = kiosk_payload_open (scan->sealed, keys, error);
  if (scan->payload == NULL)
    return NULL;
  scan->short_code = g_strdup (kiosk_payload_get_short_code (scan->payload));
  scan->request = kiosk_outbox_get (outbox, kiosk_payload_get_id (scan->payload), NULL);
  return g_steal_pointer (&scan);
}

/* Asking the backend */

typedef struct
{
  KioskBackendKnows  knows;
  char              *status;
} Answer;

static void
answer_free (Answer *answer)
{
  g_free (answer->status);
  g_free (answer);
}

static void
ask_done_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = NULL;
  Answer *answer;
  guint status = 0;

  body = kiosk_submission_target_lookup_finish (KIOSK_SUBMISSION_TARGET (object), result, &status, &error);
  if (body == NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_FAILED,
                               "the city's system did not answer: %s", error->message);
      return;
    }
  answer = g_new0 (Answer, 1);
  if (status == SOUP_STATUS_OK)
    {
      g_autoptr(JsonNode) root = kiosk_json_parse_bytes (body, KIOSK_JSON_OUTSIDE_DEPTH, NULL);

      answer->knows = KIOSK_BACKEND_HAS_IT;
      if (root != NULL && JSON_NODE_HOLDS_OBJECT (root))
        {
          JsonObject *o = json_node_get_object (root);

          JsonNode *status_node = json_object_get_member (o, "status");
          const char *text = status_node != NULL && JSON_NODE_HOLDS_VALUE (status_node) &&
                             json_node_get_value_type (status_node) == G_TYPE_STRING
                             ? json_node_get_string (status_node) : NULL;

          /* Shown to a clerk as it came: a short printable word, or nothing
           * (a non-string "status" hit a critical in json-glib, #12). */
          if (text != NULL && g_utf8_validate (text, -1, NULL) && g_utf8_strlen (text, -1) <= 64)
            {
              gboolean printable = TRUE;

              for (const char *p = text; *p != '\0' && printable; p = g_utf8_next_char (p))
                printable = g_unichar_isprint (g_utf8_get_char (p));
              if (printable)
                answer->status = g_strdup (text);
            }
        }
    }
  else if (status == SOUP_STATUS_NOT_FOUND)
    answer->knows = KIOSK_BACKEND_LACKS_IT;
  else
    {
      answer_free (answer);
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_FAILED,
                               "the city's system answered HTTP %u %s", status,
                               soup_status_get_phrase (status) != NULL ? soup_status_get_phrase (status) : "");
      return;
    }
  g_task_return_pointer (task, answer, (GDestroyNotify) answer_free);
}

/**
 * kiosk_scan_ask_backend_async:
 *
 * Asks the backend (GET /v1/submissions/{id}) whether it has the request,
 * through a #KioskSubmissionTarget: the same token, CA file and
 * certificate pin as every delivery.
 */
void
kiosk_scan_ask_backend_async (KioskContext        *context,
                              const char          *request_id,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(KioskSubmissionTarget) target = NULL;
  g_autoptr(GError) error = NULL;
  KioskConfig *config;

  g_return_if_fail (KIOSK_IS_CONTEXT (context));
  g_return_if_fail (request_id != NULL);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, kiosk_scan_ask_backend_async);
  config = kiosk_context_get_config (context);
  if (*kiosk_config_get_backend_url (config) == '\0')
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_INITIALIZED,
                               "no backend is configured ([backend] url in %s)",
                               kiosk_config_get_path (config) != NULL ? kiosk_config_get_path (config) : "kiosk.conf");
      return;
    }
  target = kiosk_submission_target_new (config, kiosk_context_get_clock (context), 1, &error);
  if (target == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  kiosk_submission_target_lookup_async (target, request_id, cancellable, ask_done_cb, g_steal_pointer (&task));
}

/**
 * kiosk_scan_ask_backend_finish:
 * @out_status: (out) (optional) (transfer full): the backend's status word
 */
gboolean
kiosk_scan_ask_backend_finish (GAsyncResult       *result,
                               KioskBackendKnows  *out_knows,
                               char              **out_status,
                               GError            **error)
{
  Answer *answer;

  g_return_val_if_fail (G_IS_TASK (result), FALSE);

  answer = g_task_propagate_pointer (G_TASK (result), error);
  if (answer == NULL)
    return FALSE;
  if (out_knows != NULL)
    *out_knows = answer->knows;
  if (out_status != NULL)
    *out_status = g_steal_pointer (&answer->status);
  answer_free (answer);
  return TRUE;
}

/**
 * kiosk_scan_enqueue:
 *
 * Queues an opened receipt in this (counter's) outbox, marked imported, so
 * that the sync delivers it from here.  The request keeps its id, so a
 * second scan adds nothing (%KIOSK_OUTBOX_ERROR_EXISTS).  A reference-only
 * receipt carries no answers and cannot be delivered from a counter.
 *
 * Returns: (transfer full): the queued request, or %NULL with @error set
 */
KioskRequest *
kiosk_scan_enqueue (KioskContext  *context,
                    KioskScan     *scan,
                    const char    *actor,
                    GError       **error)
{
  KioskRequestDraft draft = { 0 };

  g_return_val_if_fail (KIOSK_IS_CONTEXT (context), NULL);
  g_return_val_if_fail (scan != NULL, NULL);

  if (scan->payload == NULL || scan->sealed == NULL)
    {
      g_set_error (error, KIOSK_PAYLOAD_ERROR, KIOSK_PAYLOAD_ERROR_INVALID,
                   "the receipt has not been opened: only a counter with the city's key can deliver it");
      return NULL;
    }
  if (!kiosk_payload_fill_draft (scan->payload, scan->sealed, &draft, error))
    return NULL;
  return kiosk_outbox_enqueue (kiosk_context_get_outbox (context), &draft, actor, error);
}

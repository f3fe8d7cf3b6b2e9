/* kiosk-target.c
 *
 * SPDX-FileCopyrightText: 2026 Stadtkiosk contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "kiosk-delivery"

#include "config.h"

#include <libsoup/soup.h>
#include <stdlib.h>

#include "kiosk-target.h"
#include "kiosk-http.h"

/* The interface every delivery target implements, and the classification
 * rules they share, so that our API, Open311 and CouchDB treat the same HTTP
 * answer the same way. */

G_DEFINE_INTERFACE (KioskTarget, kiosk_target, G_TYPE_OBJECT)
G_DEFINE_QUARK (kiosk-target-error-quark, kiosk_target_error)
G_DEFINE_BOXED_TYPE (KioskOutcome, kiosk_outcome, kiosk_outcome_copy, kiosk_outcome_free)

static void
kiosk_target_default_init (KioskTargetInterface *iface)
{
}

KioskOutcome *
kiosk_outcome_new (KioskOutcomeKind  kind,
                   guint             status,
                   const char       *message)
{
  KioskOutcome *outcome = g_new0 (KioskOutcome, 1);

  outcome->kind = kind;
  outcome->status = status;
  outcome->message = g_strdup (message);
  outcome->retry_after_us = -1;
  return outcome;
}

KioskOutcome *
kiosk_outcome_copy (const KioskOutcome *outcome)
{
  KioskOutcome *copy = g_memdup2 (outcome, sizeof *outcome);

  copy->remote_ref = g_strdup (outcome->remote_ref);
  copy->message = g_strdup (outcome->message);
  return copy;
}

void
kiosk_outcome_free (KioskOutcome *outcome)
{
  if (outcome == NULL)
    return;
  g_free (outcome->remote_ref);
  g_free (outcome->message);
  g_free (outcome);
}

const char *
kiosk_outcome_kind_to_string (KioskOutcomeKind kind)
{
  switch (kind)
    {
    case KIOSK_OUTCOME_DELIVERED: return "delivered";
    case KIOSK_OUTCOME_RETRY: return "retry";
    case KIOSK_OUTCOME_PAUSE: return "pause";
    case KIOSK_OUTCOME_REJECTED: return "rejected";
    default: return "unknown";
    }
}

/**
 * kiosk_target_classify_status:
 * @status: an HTTP status of a delivery attempt
 *
 * The rules of issue 4: 2xx delivered; 408, 425, 429, 5xx retry; 401, 403,
 * 404, 405, 410 and 3xx (the endpoint is wrong, not the request) pause;
 * every other 4xx rejects the request.
 */
KioskOutcomeKind
kiosk_target_classify_status (guint status)
{
  if (status >= 200 && status < 300)
    return KIOSK_OUTCOME_DELIVERED;
  if (status == 408 || status == 425 || status == 429 || status >= 500)
    return KIOSK_OUTCOME_RETRY;
  if (status == 401 || status == 403 || status == 404 || status == 405 || status == 410 ||
      (status >= 300 && status < 400))
    return KIOSK_OUTCOME_PAUSE;
  if (status >= 400 && status < 500)
    return KIOSK_OUTCOME_REJECTED;
  /* 1xx as a final answer or nonsense: the server is confused; try later. */
  return KIOSK_OUTCOME_RETRY;
}

/**
 * kiosk_target_parse_retry_after:
 * @value: (nullable): a Retry-After header: seconds or an HTTP date
 * @now_us: now, for the date form
 *
 * Returns: the delay in µs, capped at %KIOSK_TARGET_RETRY_AFTER_CAP_US; 0 for
 *   a date in the past; -1 when @value is missing or unreadable
 */
gint64
kiosk_target_parse_retry_after (const char *value,
                                gint64      now_us)
{
  g_autoptr(GDateTime) date = NULL;
  gint64 delay;

  if (value == NULL)
    return -1;
  while (g_ascii_isspace (*value))
    value++;
  if (*value == '\0')
    return -1;

  if (g_ascii_isdigit (*value))
    {
      guint64 seconds;
      char *end = NULL;

      seconds = g_ascii_strtoull (value, &end, 10);
      while (end != NULL && g_ascii_isspace (*end))
        end++;
      if (end == NULL || *end != '\0')
        return -1;
      if (seconds > (guint64) (KIOSK_TARGET_RETRY_AFTER_CAP_US / G_USEC_PER_SEC))
        return KIOSK_TARGET_RETRY_AFTER_CAP_US;
      return (gint64) seconds * G_USEC_PER_SEC;
    }

  date = soup_date_time_new_from_http_string (value);
  if (date == NULL)
    return -1;
  delay = g_date_time_to_unix (date) * G_USEC_PER_SEC - now_us;
  return CLAMP (delay, 0, KIOSK_TARGET_RETRY_AFTER_CAP_US);
}

/**
 * kiosk_target_classify_error:
 * @error: why an attempt got no HTTP answer
 *
 * TLS failures pause (a wrong CA file or pin is configuration); everything
 * else (refused, reset, timed out, no route, name not resolved) is retried
 * and hints that the network may be down.
 *
 * Returns: (transfer full): the outcome
 */
KioskOutcome *
kiosk_target_classify_error (const GError *error)
{
  KioskOutcome *outcome;

  if (error->domain == G_TLS_ERROR)
    {
      g_autofree char *message = g_strdup_printf ("TLS failure: %s", error->message);

      return kiosk_outcome_new (KIOSK_OUTCOME_PAUSE, 0, message);
    }

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT))
    outcome = kiosk_outcome_new (KIOSK_OUTCOME_RETRY, 0, KIOSK_HTTP_TOO_SLOW ": no complete answer within "
                                 "[backend] timeout");
  else if (g_error_matches (error, KIOSK_HTTP_ERROR, KIOSK_HTTP_ERROR_TOO_LARGE))
    {
      g_autofree char *message = g_strdup_printf ("unusable answer: %s", error->message);

      /* The server answered: not a sign of the network being down. */
      return kiosk_outcome_new (KIOSK_OUTCOME_RETRY, 0, message);
    }
  else
    {
      g_autofree char *message = g_strdup_printf ("no answer: %s", error->message);

      outcome = kiosk_outcome_new (KIOSK_OUTCOME_RETRY, 0, message);
    }
  outcome->offline_hint = TRUE;
  return outcome;
}

void
kiosk_target_deliver_async (KioskTarget         *self,
                            KioskRequest        *request,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_return_if_fail (KIOSK_IS_TARGET (self));
  g_return_if_fail (KIOSK_IS_REQUEST (request));

  KIOSK_TARGET_GET_IFACE (self)->deliver_async (self, request, cancellable, callback, user_data);
}

/**
 * kiosk_target_deliver_finish:
 *
 * Returns: (transfer full): the outcome, or %NULL with @error set when cancelled
 */
KioskOutcome *
kiosk_target_deliver_finish (KioskTarget   *self,
                             GAsyncResult  *result,
                             GError       **error)
{
  g_return_val_if_fail (KIOSK_IS_TARGET (self), NULL);

  return KIOSK_TARGET_GET_IFACE (self)->deliver_finish (self, result, error);
}

void
kiosk_target_probe_async (KioskTarget         *self,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_return_if_fail (KIOSK_IS_TARGET (self));

  KIOSK_TARGET_GET_IFACE (self)->probe_async (self, cancellable, callback, user_data);
}

/**
 * kiosk_target_probe_finish:
 *
 * Returns: (transfer full): the outcome, or %NULL with @error set when cancelled
 */
KioskOutcome *
kiosk_target_probe_finish (KioskTarget   *self,
                           GAsyncResult  *result,
                           GError       **error)
{
  g_return_val_if_fail (KIOSK_IS_TARGET (self), NULL);

  return KIOSK_TARGET_GET_IFACE (self)->probe_finish (self, result, error);
}

char *
kiosk_target_describe (KioskTarget *self)
{
  g_return_val_if_fail (KIOSK_IS_TARGET (self), NULL);

  if (KIOSK_TARGET_GET_IFACE (self)->describe == NULL)
    return g_strdup (G_OBJECT_TYPE_NAME (self));
  return KIOSK_TARGET_GET_IFACE (self)->describe (self);
}

/**
 * kiosk_target_get_max_in_flight:
 *
 * Returns: how many deliveries @self wants to be given at once, between 1
 *   and %KIOSK_TARGET_MAX_IN_FLIGHT; %KIOSK_TARGET_DEFAULT_IN_FLIGHT when it
 *   does not say
 */
guint
kiosk_target_get_max_in_flight (KioskTarget *self)
{
  guint n;

  g_return_val_if_fail (KIOSK_IS_TARGET (self), KIOSK_TARGET_DEFAULT_IN_FLIGHT);

  if (KIOSK_TARGET_GET_IFACE (self)->get_max_in_flight == NULL)
    return KIOSK_TARGET_DEFAULT_IN_FLIGHT;
  n = KIOSK_TARGET_GET_IFACE (self)->get_max_in_flight (self);
  return CLAMP (n, 1, KIOSK_TARGET_MAX_IN_FLIGHT);
}

/* kiosk-clerk.c
 *
 * SPDX-FileCopyrightText: 2026 Stadtkiosk contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "kiosk-staff"

#include "config.h"

#include "kiosk-clerk.h"

#include "kiosk-i18n-private.h"

#include <gio/gio.h>
#include <string.h>

/* What a clerk does to a request, as one call: the outbox transition and the
 * audit line with the role, so that the kiosk's clerk screen, the counter
 * and stadtkioskctl cannot forget the second half. */

G_DEFINE_QUARK (kiosk-clerk-error-quark, kiosk_clerk_error)

const char *
kiosk_clerk_action_to_string (KioskClerkAction action)
{
  switch (action)
    {
    case KIOSK_CLERK_RETRY_NOW:
      return "retry";
    case KIOSK_CLERK_REQUEUE:
      return "requeue";
    case KIOSK_CLERK_CANCEL:
      return "cancel";
    case KIOSK_CLERK_HANDLED:
      return "handled";
    default:
      g_return_val_if_reached ("unknown");
    }
}

/**
 * kiosk_clerk_can:
 *
 * Whether @action applies to @request in its present state; the UI shows
 * only the actions that do.
 */
gboolean
kiosk_clerk_can (KioskRequest     *request,
                 KioskClerkAction  action)
{
  KioskRequestState state;

  g_return_val_if_fail (KIOSK_IS_REQUEST (request), FALSE);

  state = kiosk_request_get_state (request);
  switch (action)
    {
    case KIOSK_CLERK_RETRY_NOW:
      return state == KIOSK_REQUEST_QUEUED;
    case KIOSK_CLERK_REQUEUE:
      return state == KIOSK_REQUEST_REJECTED;
    case KIOSK_CLERK_CANCEL:
      return state == KIOSK_REQUEST_QUEUED || state == KIOSK_REQUEST_REJECTED;
    case KIOSK_CLERK_HANDLED:
      return state != KIOSK_REQUEST_HANDLED && state != KIOSK_REQUEST_PURGED &&
             state != KIOSK_REQUEST_SENDING;
    default:
      return FALSE;
    }
}

/**
 * kiosk_clerk_act:
 * @context: the kiosk or counter
 * @role: who acts (clerk or admin)
 * @id_or_code: the request's id or short code
 * @action: what to do
 * @reason: (nullable): why; required for %KIOSK_CLERK_CANCEL, a note for
 *   %KIOSK_CLERK_HANDLED
 *
 * Does @action and writes it to the audit log with @role.
 *
 * Returns: (transfer full): the request afterwards, or %NULL with @error set
 */
KioskRequest *
kiosk_clerk_act (KioskContext      *context,
                 KioskRole          role,
                 const char        *id_or_code,
                 KioskClerkAction   action,
                 const char        *reason,
                 GError           **error)
{
  KioskOutbox *outbox;
  g_autoptr(KioskRequest) before = NULL;
  g_autoptr(KioskRequest) after = NULL;
  g_autofree char *actor = NULL;
  g_autofree char *detail = NULL;
  g_autofree char *clean_reason = NULL;

  g_return_val_if_fail (KIOSK_IS_CONTEXT (context), NULL);
  g_return_val_if_fail (id_or_code != NULL, NULL);

  outbox = kiosk_context_get_outbox (context);
  before = kiosk_outbox_get (outbox, id_or_code, error);
  if (before == NULL)
    return NULL;

  clean_reason = g_strstrip (g_strdup (reason != NULL ? reason : ""));
  if (action == KIOSK_CLERK_CANCEL && *clean_reason == '\0')
    {
      g_set_error (error, KIOSK_CLERK_ERROR, KIOSK_CLERK_ERROR_NEEDS_REASON,
                   _("Say why request %s is cancelled."), kiosk_request_get_short_code (before));
      return NULL;
    }
  if (!kiosk_clerk_can (before, action))
    {
      g_set_error (error, KIOSK_CLERK_ERROR, KIOSK_CLERK_ERROR_NOT_ALLOWED,
                   "request %s is %s: cannot %s it", kiosk_request_get_short_code (before),
                   kiosk_request_state_to_string (kiosk_request_get_state (before)),
                   kiosk_clerk_action_to_string (action));
      return NULL;
    }

  actor = g_strdup (kiosk_role_to_string (role));
  switch (action)
    {
    case KIOSK_CLERK_RETRY_NOW:
    case KIOSK_CLERK_REQUEUE:
      after = kiosk_outbox_retry_now (outbox, kiosk_request_get_id (before), actor, error);
      break;
    case KIOSK_CLERK_CANCEL:
      after = kiosk_outbox_cancel (outbox, kiosk_request_get_id (before), clean_reason, actor, error);
      break;
    case KIOSK_CLERK_HANDLED:
      after = kiosk_outbox_mark_handled (outbox, kiosk_request_get_id (before),
                                         *clean_reason != '\0' ? clean_reason : NULL, actor, error);
      break;
    default:
      g_assert_not_reached ();
    }
  if (after == NULL)
    return NULL;

  detail = *clean_reason != '\0' ?
    g_strdup_printf ("%s: %s", kiosk_request_get_short_code (after), clean_reason) :
    g_strdup (kiosk_request_get_short_code (after));
  kiosk_context_audit (context, actor, kiosk_clerk_action_to_string (action), detail);

  return g_steal_pointer (&after);
}

/**
 * kiosk_clerk_format_age:
 *
 * "5 min", "3 h", "2 days": how long ago, for a clerk.
 */
char *
kiosk_clerk_format_age (gint64 age_us)
{
  gint64 minutes = MAX (age_us, 0) / (60 * G_USEC_PER_SEC);

  if (minutes < 1)
    return g_strdup (_("just now"));
  if (minutes < 60)
    return g_strdup_printf (_("%d min"), (int) minutes);
  if (minutes < 48 * 60)
    return g_strdup_printf (_("%d h"), (int) (minutes / 60));
  return g_strdup_printf (_("%d days"), (int) (minutes / (24 * 60)));
}

/**
 * kiosk_clerk_format_ago:
 *
 * "gerade eben", "vor 8 Minuten", "vor 2 Tagen": how long ago, as a whole
 * phrase with its plural, so that every language gets its grammar (a
 * number pasted into "vor %s" gave "vor 2 Tage", in English "just now ago").
 */
char *
kiosk_clerk_format_ago (gint64 age_us)
{
  gint64 minutes = MAX (age_us, 0) / (60 * G_USEC_PER_SEC);
  int n;

  if (minutes < 1)
    return g_strdup (_("just now"));
  if (minutes < 60)
    {
      n = (int) minutes;
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d minute ago", "%d minutes ago", n), n);
    }
  if (minutes < 48 * 60)
    {
      n = (int) (minutes / 60);
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d hour ago", "%d hours ago", n), n);
    }
  n = (int) (minutes / (24 * 60));
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d day ago", "%d days ago", n), n);
}

/**
 * kiosk_clerk_format_in:
 *
 * "in 2 Minuten", "in 3 Stunden": how long until, as a whole phrase.
 */
char *
kiosk_clerk_format_in (gint64 delay_us)
{
  gint64 minutes = (MAX (delay_us, 0) + 59 * G_USEC_PER_SEC) / (60 * G_USEC_PER_SEC);
  int n;

  if (minutes < 1)
    return g_strdup (_("in less than a minute"));
  if (minutes < 60)
    {
      n = (int) minutes;
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "in %d minute", "in %d minutes", n), n);
    }
  if (minutes < 48 * 60)
    {
      n = (int) (minutes / 60);
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "in %d hour", "in %d hours", n), n);
    }
  n = (int) (minutes / (24 * 60));
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "in %d day", "in %d days", n), n);
}

/**
 * kiosk_clerk_describe_problem:
 *
 * The request's situation in plain words for a clerk: what went wrong last
 * and what happens next.  Never the answers.
 *
 * Returns: (transfer full): a sentence or two
 */
/* A delivery's trouble in plain words for the clerk, from the technical
 * text the target stored (English, from libsoup, GIO or the server): what
 * it means for the clerk, not what the socket said. */
static const char *
plain_trouble (const char *technical)
{
  g_autofree char *t = g_ascii_strdown (technical != NULL ? technical : "", -1);

  if (*t == '\0' || strstr (t, "no connection") != NULL || strstr (t, "offline") != NULL)
    return _("There is no connection to the city's system.");
  if (strstr (t, "timeout") != NULL || strstr (t, "timed out") != NULL || strstr (t, "deadline") != NULL ||
      strstr (t, "no answer") != NULL || strstr (t, "no complete answer") != NULL)
    return _("The city's system did not answer in time.");
  if (strstr (t, "certificate") != NULL || strstr (t, "tls") != NULL || strstr (t, "pin-sha256") != NULL ||
      strstr (t, "handshake") != NULL)
    return _("The secure connection to the city's system failed: its certificate was not accepted.");
  if (strstr (t, "http 5") != NULL || strstr (t, "http 429") != NULL || strstr (t, "http 408") != NULL ||
      strstr (t, "http 425") != NULL)
    return _("The city's system is busy or has a fault right now.");
  if (strstr (t, "resolv") != NULL || strstr (t, "connect") != NULL || strstr (t, "refused") != NULL ||
      strstr (t, "unreachable") != NULL || strstr (t, "network") != NULL || strstr (t, "host") != NULL)
    return _("There is no connection to the city's system.");
  return _("The city's system could not be reached.");
}

/**
 * kiosk_clerk_describe_connection_error:
 * @error: why the kiosk could not talk to the city's system
 *
 * Returns: (transfer full): what it means, in plain words for a clerk
 *   ("The city's system did not answer in time."); the technical message
 *   is for the log and the admin, not for the counter
 */
char *
kiosk_clerk_describe_connection_error (const GError *error)
{
  g_return_val_if_fail (error != NULL, NULL);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_INITIALIZED))
    return g_strdup (_("No connection to the city's system is set up on this kiosk."));
  if (error->domain == G_TLS_ERROR)
    return g_strdup (plain_trouble ("tls"));
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT))
    return g_strdup (plain_trouble ("timeout"));
  if (error->domain == G_RESOLVER_ERROR ||
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED) ||
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_HOST_UNREACHABLE) ||
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NETWORK_UNREACHABLE))
    return g_strdup (plain_trouble ("no connection"));
  return g_strdup (plain_trouble (error->message));
}

/**
 * kiosk_clerk_describe_delivery_trouble:
 * @technical: (nullable): what the target stored as the last error
 *
 * Returns: (transfer full): what it means, in plain words for a clerk
 */
char *
kiosk_clerk_describe_delivery_trouble (const char *technical)
{
  return g_strdup (plain_trouble (technical));
}

char *
kiosk_clerk_describe_problem (KioskRequest *request,
                              gint64        now_us)
{
  const char *last_error;
  KioskRequestState state;

  g_return_val_if_fail (KIOSK_IS_REQUEST (request), NULL);

  last_error = kiosk_request_get_last_error (request);
  state = kiosk_request_get_state (request);
  switch (state)
    {
    case KIOSK_REQUEST_QUEUED:
      if (kiosk_request_get_attempts (request) == 0)
        return g_strdup (_("Waiting to be sent."));
      else
        {
          g_autofree char *when = kiosk_clerk_format_in (kiosk_request_get_next_attempt (request) - now_us);

          /* Plain words; the technical text is in the request's details. */
          if (kiosk_request_get_next_attempt (request) <= now_us)
            /* TRANSLATORS: %s is a whole sentence, e.g. "The city's system did not answer in time." */
            return g_strdup_printf (_("Not sent yet: %s Trying again now."), plain_trouble (last_error));
          /* TRANSLATORS: the first %s is a whole sentence, the second e.g. "in 5 minutes" */
          return g_strdup_printf (_("Not sent yet: %s Next try %s."), plain_trouble (last_error), when);
        }
    case KIOSK_REQUEST_SENDING:
      return g_strdup (_("Being sent right now."));
    case KIOSK_REQUEST_DELIVERED:
      return g_strdup (_("The city has received it."));
    case KIOSK_REQUEST_REJECTED:
      return g_strdup_printf (_("The city's system refused it: %s. Check it with the citizen, "
                                "then re-queue or cancel it."),
                              last_error != NULL ? last_error : _("no reason given"));
    case KIOSK_REQUEST_CANCELLED:
      return g_strdup_printf (_("Cancelled: %s"), last_error != NULL ? last_error : "");
    case KIOSK_REQUEST_HANDLED:
      return g_strdup (_("Done at the counter."));
    case KIOSK_REQUEST_PURGED:
      return g_strdup (_("Delivered; the answers have been erased after the retention period."));
    case KIOSK_REQUEST_N_STATES:
    default:
      return g_strdup ("");
    }
}

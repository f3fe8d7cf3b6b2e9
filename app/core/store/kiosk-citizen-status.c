/* kiosk-citizen-status.c
 *
 * SPDX-FileCopyrightText: 2026 Stadtkiosk contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "kiosk-store"

#include "config.h"

#include "kiosk-citizen-status.h"

#include "kiosk-payload.h"
#include "kiosk-short-code.h"

#include <json-glib/json-glib.h>
#include <string.h>

/* "Was ist aus meinem Anliegen geworden?": a citizen types the code of a
 * receipt and sees where the request stands, never its answers.  Codes are
 * short and carry a check character, so guessing one at random is already
 * unlikely; the guard makes trying many of them slow: after FREE_TRIES wrong
 * codes in a row, every further try waits twice as long as the one before
 * (from BASE_WAIT_S up to MAX_WAIT_S).  A right code does not reset the
 * count, so a known code cannot be used to go on guessing quickly; wrong
 * tries are forgotten FORGET_S seconds after the last one. */

#define FREE_TRIES   3
#define BASE_WAIT_S  5
#define MAX_WAIT_S   300
#define FORGET_S     (15 * 60)

struct _KioskStatusGuard
{
  GObject     parent_instance;

  KioskClock *clock;
  guint       failures;       /* wrong codes in a row, not yet forgotten */
  gint64      last_failure;   /* clock time of the last one */
  gint64      next_allowed;   /* no try before this clock time */
};

G_DEFINE_FINAL_TYPE (KioskStatusGuard, kiosk_status_guard, G_TYPE_OBJECT)

G_DEFINE_QUARK (kiosk-citizen-status-error-quark, kiosk_citizen_status_error)

static void
forget_old_failures (KioskStatusGuard *self,
                     gint64            now)
{
  if (self->failures > 0 && now - self->last_failure >= FORGET_S * G_USEC_PER_SEC)
    {
      self->failures = 0;
      self->next_allowed = 0;
    }
}

static void
record_failure (KioskStatusGuard *self)
{
  gint64 now = kiosk_clock_get_now (self->clock);
  guint wait_s = 0;

  forget_old_failures (self, now);
  self->failures++;
  self->last_failure = now;
  if (self->failures >= FREE_TRIES)
    {
      guint doublings = MIN (self->failures - FREE_TRIES, 16);

      wait_s = MIN ((guint) BASE_WAIT_S << doublings, MAX_WAIT_S);
    }
  self->next_allowed = now + (gint64) wait_s * G_USEC_PER_SEC;
}

static void
kiosk_status_guard_finalize (GObject *object)
{
  KioskStatusGuard *self = KIOSK_STATUS_GUARD (object);

  g_clear_object (&self->clock);
  G_OBJECT_CLASS (kiosk_status_guard_parent_class)->finalize (object);
}

static void
kiosk_status_guard_class_init (KioskStatusGuardClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = kiosk_status_guard_finalize;
}

static void
kiosk_status_guard_init (KioskStatusGuard *self)
{
}

/**
 * kiosk_status_guard_new:
 * @clock: the kiosk's clock
 *
 * One guard per kiosk, not per session: starting over must not reset it.
 */
KioskStatusGuard *
kiosk_status_guard_new (KioskClock *clock)
{
  KioskStatusGuard *self;

  g_return_val_if_fail (KIOSK_IS_CLOCK (clock), NULL);

  self = g_object_new (KIOSK_TYPE_STATUS_GUARD, NULL);
  self->clock = g_object_ref (clock);
  return self;
}

/**
 * kiosk_status_guard_get_wait:
 *
 * Returns: the seconds to wait before the next try may be made, or 0
 */
guint
kiosk_status_guard_get_wait (KioskStatusGuard *self)
{
  gint64 now;

  g_return_val_if_fail (KIOSK_IS_STATUS_GUARD (self), 0);

  now = kiosk_clock_get_now (self->clock);
  forget_old_failures (self, now);
  if (now >= self->next_allowed)
    return 0;
  return (guint) ((self->next_allowed - now + G_USEC_PER_SEC - 1) / G_USEC_PER_SEC);
}

/**
 * kiosk_citizen_step_for:
 * @state: the request's state on this kiosk
 * @city_status: (nullable): what the city's system reported back
 *   (kiosk_outbox_get_city_status()): the hub's and the Submission API's
 *   "received", "in_progress", "done", "rejected" / "refused", or
 *   Open311's "open" (the city has it) and "closed"
 *
 * Returns: where the request stands for the citizen
 */
KioskCitizenStep
kiosk_citizen_step_for (KioskRequestState  state,
                        const char        *city_status)
{
  switch (state)
    {
    case KIOSK_REQUEST_QUEUED:
    case KIOSK_REQUEST_SENDING:
      return KIOSK_CITIZEN_STEP_SAVED;
    case KIOSK_REQUEST_REJECTED:
    case KIOSK_REQUEST_CANCELLED:
      return KIOSK_CITIZEN_STEP_SEE_COUNTER;
    case KIOSK_REQUEST_HANDLED:
      return KIOSK_CITIZEN_STEP_DONE;
    case KIOSK_REQUEST_DELIVERED:
    case KIOSK_REQUEST_PURGED:
      if (g_strcmp0 (city_status, "received") == 0 || g_strcmp0 (city_status, "open") == 0)
        return KIOSK_CITIZEN_STEP_RECEIVED;
      if (g_strcmp0 (city_status, "in_progress") == 0)
        return KIOSK_CITIZEN_STEP_IN_PROGRESS;
      if (g_strcmp0 (city_status, "done") == 0 || g_strcmp0 (city_status, "closed") == 0)
        return KIOSK_CITIZEN_STEP_DONE;
      if (g_strcmp0 (city_status, "rejected") == 0 || g_strcmp0 (city_status, "refused") == 0)
        return KIOSK_CITIZEN_STEP_SEE_COUNTER;
      return KIOSK_CITIZEN_STEP_SENT;
    case KIOSK_REQUEST_N_STATES:
    default:
      g_return_val_if_reached (KIOSK_CITIZEN_STEP_SEE_COUNTER);
    }
}

/**
 * kiosk_status_guard_record_miss:
 *
 * Counts a wrong code that was not found elsewhere either (the hub, #16):
 * a code unknown at the backend slows the next try down like one unknown
 * here.
 */
void
kiosk_status_guard_record_miss (KioskStatusGuard *self)
{
  g_return_if_fail (KIOSK_IS_STATUS_GUARD (self));
  record_failure (self);
}

/* What the page may show of a stored request: never its answers. */
static KioskCitizenStatus *
status_for_request (KioskOutbox  *outbox,
                    KioskRequest *request)
{
  KioskCitizenStatus *status = g_new0 (KioskCitizenStatus, 1);
  g_autofree char *city_status = NULL;
  g_autoptr(GError) local_error = NULL;

  status->short_code = g_strdup (kiosk_request_get_short_code (request));
  status->service_id = g_strdup (kiosk_request_get_service_id (request));
  status->created = kiosk_request_get_created (request);
  /* What the city said, whichever target brought it back (the hub, the
   * Submission API, Open311: kiosk_outbox_set_city_status()).  A store
   * that cannot say shows the kiosk's own state: never worse than before. */
  if (!kiosk_outbox_get_city_status (outbox, kiosk_request_get_id (request), &city_status,
                                     &status->city_note, &status->city_updated, &local_error))
    g_debug ("the city's status of a request cannot be read: %s", local_error->message);
  status->step = kiosk_citizen_step_for (kiosk_request_get_state (request), city_status);
  return status;
}

/**
 * kiosk_citizen_status_is_scan:
 * @typed: what is in the status page's entry
 *
 * Whether @typed is a receipt's QR code as a scanner types it: the receipt
 * text's digits, starting with %KIOSK_PAYLOAD_TEXT_MAGIC (a short code has
 * letters).  A scan cut short counts too.
 */
gboolean
kiosk_citizen_status_is_scan (const char *typed)
{
  gsize digits = 0;
  gboolean magic_seen = FALSE;
  const char *magic = KIOSK_PAYLOAD_TEXT_MAGIC;

  g_return_val_if_fail (typed != NULL, FALSE);

  for (const char *c = typed; *c != '\0'; c++)
    {
      if (g_ascii_isspace (*c))
        continue;
      if (!g_ascii_isdigit (*c))
        return FALSE;
      if (digits < strlen (magic) && *c != magic[digits])
        return FALSE;
      digits++;
      magic_seen = digits >= strlen (magic);
    }
  return magic_seen && digits >= 16;
}

/**
 * kiosk_citizen_status_lookup_here:
 * @outbox: this kiosk's outbox
 * @guard: the kiosk's guard against guessing
 * @typed: what the citizen typed: any case, with or without dashes or
 *   spaces; or a receipt's QR code as the scanner typed it
 * @out_key: (out) (optional): the code as it is written when @typed is
 *   one; for a scan the receipt's digest (kiosk_payload_dup_text_digest())
 * @out_scanned: (out) (optional): whether @typed was a scan
 *
 * Looks on this kiosk only.  A code (or a scan) that is well formed but not
 * here is %KIOSK_CITIZEN_STATUS_ERROR_UNKNOWN and is *not* counted: the
 * caller asks the backend and counts it with kiosk_status_guard_record_miss()
 * when the backend does not know it either.  A mistyped code and a try while
 * the guard says wait are counted / refused as in kiosk_citizen_status_lookup();
 * a scan that cannot be read is %KIOSK_CITIZEN_STATUS_ERROR_UNREADABLE_SCAN
 * and not counted (nothing was looked up).
 *
 * Returns: (transfer full): where the request stands, or %NULL with @error set
 */
KioskCitizenStatus *
kiosk_citizen_status_lookup_here (KioskOutbox       *outbox,
                                  KioskStatusGuard  *guard,
                                  const char        *typed,
                                  char             **out_key,
                                  gboolean          *out_scanned,
                                  GError           **error)
{
  g_autoptr(KioskRequest) request = NULL;
  g_autofree char *code = NULL;
  gboolean scanned;
  guint wait_s;

  g_return_val_if_fail (KIOSK_IS_OUTBOX (outbox), NULL);
  g_return_val_if_fail (KIOSK_IS_STATUS_GUARD (guard), NULL);
  g_return_val_if_fail (typed != NULL, NULL);

  if (out_key != NULL)
    *out_key = NULL;
  scanned = kiosk_citizen_status_is_scan (typed);
  if (out_scanned != NULL)
    *out_scanned = scanned;
  wait_s = kiosk_status_guard_get_wait (guard);
  if (wait_s > 0)
    {
      g_set_error (error, KIOSK_CITIZEN_STATUS_ERROR, KIOSK_CITIZEN_STATUS_ERROR_SLOW_DOWN,
                   "wait %u s before the next try", wait_s);
      return NULL;
    }

  if (scanned)
    {
      g_autoptr(GError) local_error = NULL;
      g_autofree char *digest = kiosk_payload_dup_text_digest (typed, &local_error);

      /* A citizen holding a slip to the scanner is no guesser, and a scan
       * that cannot be read asks nobody anything: not counted. */
      if (digest == NULL)
        {
          g_set_error (error, KIOSK_CITIZEN_STATUS_ERROR, KIOSK_CITIZEN_STATUS_ERROR_UNREADABLE_SCAN,
                       "the scanned receipt cannot be read: %s", local_error->message);
          return NULL;
        }
      request = kiosk_outbox_get_by_receipt_digest (outbox, digest, NULL);
      if (out_key != NULL)
        *out_key = g_steal_pointer (&digest);
      if (request == NULL)
        {
          g_set_error_literal (error, KIOSK_CITIZEN_STATUS_ERROR, KIOSK_CITIZEN_STATUS_ERROR_UNKNOWN,
                               "no receipt of this kiosk has this QR code");
          return NULL;
        }
      return status_for_request (outbox, request);
    }

  code = kiosk_short_code_normalize (typed, NULL);
  if (code == NULL)
    {
      record_failure (guard);
      g_set_error_literal (error, KIOSK_CITIZEN_STATUS_ERROR, KIOSK_CITIZEN_STATUS_ERROR_NOT_A_CODE,
                           "not a receipt code");
      return NULL;
    }
  if (out_key != NULL)
    *out_key = g_strdup (code);
  /* Only by code: the outbox would also find a request by its UUID, which
   * a citizen never sees. */
  request = kiosk_outbox_get (outbox, code, NULL);
  if (request == NULL || g_strcmp0 (kiosk_request_get_short_code (request), code) != 0)
    {
      g_set_error_literal (error, KIOSK_CITIZEN_STATUS_ERROR, KIOSK_CITIZEN_STATUS_ERROR_UNKNOWN,
                           "no request with this code on this kiosk");
      return NULL;
    }
  return status_for_request (outbox, request);
}

/**
 * kiosk_citizen_status_lookup:
 * @outbox: this kiosk's outbox
 * @guard: the kiosk's guard against guessing
 * @typed: what the citizen typed: any case, with or without dashes or
 *   spaces; or a receipt's QR code as the scanner typed it
 *
 * This kiosk only; every wrong code counts, and so does a scan of a
 * receipt this kiosk did not print (docs/hub.md says why) (kiosk_citizen_status_lookup_async()
 * in kiosk-citizen-status-remote.c also asks the hub).
 *
 * Returns: (transfer full): where the request stands, or %NULL with @error
 *   set in %KIOSK_CITIZEN_STATUS_ERROR
 */
KioskCitizenStatus *
kiosk_citizen_status_lookup (KioskOutbox       *outbox,
                             KioskStatusGuard  *guard,
                             const char        *typed,
                             GError           **error)
{
  GError *local_error = NULL;
  KioskCitizenStatus *status;

  status = kiosk_citizen_status_lookup_here (outbox, guard, typed, NULL, NULL, &local_error);
  if (g_error_matches (local_error, KIOSK_CITIZEN_STATUS_ERROR, KIOSK_CITIZEN_STATUS_ERROR_UNKNOWN))
    record_failure (guard);
  if (local_error != NULL)
    g_propagate_error (error, local_error);
  return status;
}

#define NOTE_MAX_CHARS 500

/* A note as a person may read it on the kiosk: valid UTF-8, no control
 * characters but line breaks, trimmed, at most NOTE_MAX_CHARS characters;
 * %NULL when nothing is left. */
static char *
readable_note (const char *text)
{
  g_autofree char *valid = g_utf8_make_valid (text, -1);
  GString *out = g_string_new (NULL);
  const char *p = valid;

  for (guint n = 0; *p != '\0' && n < NOTE_MAX_CHARS; p = g_utf8_next_char (p), n++)
    {
      gunichar c = g_utf8_get_char (p);

      if (c == '\n' || !g_unichar_iscntrl (c))
        g_string_append_unichar (out, c);
      else
        g_string_append_c (out, ' ');
    }
  if (*p != '\0')
    g_string_append (out, "…");
  g_strstrip (out->str);
  g_string_set_size (out, strlen (out->str));
  if (out->len == 0)
    {
      g_string_free (out, TRUE);
      return NULL;
    }
  return g_string_free (out, FALSE);
}

/**
 * kiosk_citizen_status_dup_note:
 * @language: the citizen's language, e.g. "tr"
 *
 * The city's note in @language: a note in several languages (the hub's
 * `{"de": …, "en": …}`) in @language, else German, else the first; a plain
 * note as it is.  Made safe to show: valid UTF-8, no control characters,
 * at most 500 characters.
 *
 * Returns: (transfer full) (nullable): the note, %NULL when there is none
 */
char *
kiosk_citizen_status_dup_note (const KioskCitizenStatus *status,
                               const char               *language)
{
  g_autoptr(JsonParser) parser = NULL;
  JsonObject *object;
  const char *picked = NULL;

  g_return_val_if_fail (status != NULL, NULL);

  if (status->city_note == NULL)
    return NULL;
  if (status->city_note[0] != '{')
    return readable_note (status->city_note);

  parser = json_parser_new ();
  if (!json_parser_load_from_data (parser, status->city_note, -1, NULL) ||
      !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    return readable_note (status->city_note);
  object = json_node_get_object (json_parser_get_root (parser));
  for (guint i = 0; picked == NULL && i < 2; i++)
    {
      const char *code = i == 0 ? language : "de";
      JsonNode *node = code != NULL ? json_object_get_member (object, code) : NULL;

      if (node != NULL && JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
        picked = json_node_get_string (node);
    }
  if (picked == NULL)
    {
      g_autoptr(GList) members = json_object_get_values (object);

      for (GList *l = members; picked == NULL && l != NULL; l = l->next)
        if (JSON_NODE_HOLDS_VALUE (l->data) && json_node_get_value_type (l->data) == G_TYPE_STRING)
          picked = json_node_get_string (l->data);
    }
  return picked != NULL ? readable_note (picked) : NULL;
}

void
kiosk_citizen_status_free (KioskCitizenStatus *status)
{
  if (status == NULL)
    return;
  g_free (status->short_code);
  g_free (status->service_id);
  g_free (status->city_note);
  g_free (status);
}

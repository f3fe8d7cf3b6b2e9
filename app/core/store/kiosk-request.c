/* kiosk-request.c
 *
 * SPDX-FileCopyrightText: 2026 Stadtkiosk contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "kiosk-store"

#include "config.h"

#include "kiosk-request-private.h"

/* A KioskRequest is an immutable snapshot of one outbox row.  The outbox
 * hands out a fresh one after every change (KioskOutbox::request-changed),
 * so a listener never sees a half-updated request.
 */

struct _KioskRequest
{
  GObject             parent_instance;

  char               *id;
  char               *short_code;
  char               *service_id;
  guint               service_version;
  char               *locale;
  gint64              created_us;
  gint64              updated_us;
  GBytes             *answers;         /* NULL once purged */
  KioskRequestState   state;
  guint               attempts;
  gint64              next_attempt_us;
  char               *last_error;
  char               *remote_ref;
  KioskRequestFlags   flags;
  KioskAnswersFormat  answers_format;
  char               *origin_kiosk_id; /* NULL when made on this kiosk */
  GBytes             *receipt_payload; /* the QR payload when it is not @answers (#16) */
};

G_DEFINE_FINAL_TYPE (KioskRequest, kiosk_request, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_SHORT_CODE,
  PROP_SERVICE_ID,
  PROP_STATE,
  PROP_ATTEMPTS,
  PROP_LAST_ERROR,
  PROP_REMOTE_REF,
  N_PROPS,
};

static GParamSpec *properties[N_PROPS];

static const char * const state_names[] = {
  [KIOSK_REQUEST_QUEUED] = "queued",
  [KIOSK_REQUEST_SENDING] = "sending",
  [KIOSK_REQUEST_DELIVERED] = "delivered",
  [KIOSK_REQUEST_REJECTED] = "rejected",
  [KIOSK_REQUEST_CANCELLED] = "cancelled",
  [KIOSK_REQUEST_HANDLED] = "handled",
  [KIOSK_REQUEST_PURGED] = "purged",
};

G_STATIC_ASSERT (G_N_ELEMENTS (state_names) == KIOSK_REQUEST_N_STATES);

G_DEFINE_ENUM_TYPE (KioskRequestState, kiosk_request_state,
  G_DEFINE_ENUM_VALUE (KIOSK_REQUEST_QUEUED, "queued"),
  G_DEFINE_ENUM_VALUE (KIOSK_REQUEST_SENDING, "sending"),
  G_DEFINE_ENUM_VALUE (KIOSK_REQUEST_DELIVERED, "delivered"),
  G_DEFINE_ENUM_VALUE (KIOSK_REQUEST_REJECTED, "rejected"),
  G_DEFINE_ENUM_VALUE (KIOSK_REQUEST_CANCELLED, "cancelled"),
  G_DEFINE_ENUM_VALUE (KIOSK_REQUEST_HANDLED, "handled"),
  G_DEFINE_ENUM_VALUE (KIOSK_REQUEST_PURGED, "purged"),
  G_DEFINE_ENUM_VALUE (KIOSK_REQUEST_N_STATES, "n-states"))

const char *
kiosk_request_state_to_string (KioskRequestState state)
{
  g_return_val_if_fail (state < KIOSK_REQUEST_N_STATES, NULL);

  return state_names[state];
}

gboolean
kiosk_request_state_from_string (const char        *str,
                                 KioskRequestState *out_state)
{
  for (guint i = 0; i < KIOSK_REQUEST_N_STATES; i++)
    {
      if (g_strcmp0 (str, state_names[i]) == 0)
        {
          *out_state = i;
          return TRUE;
        }
    }
  return FALSE;
}

/**
 * kiosk_request_state_can_transition:
 *
 * The state machine of DESIGN.md:
 *
 *     queued -> sending -> delivered -> purged
 *     sending -> queued (retry, or recovery at start)
 *     sending -> rejected -> queued (re-queued by a clerk)
 *     queued, rejected -> cancelled
 *     any but handled -> handled (done at the counter)
 *     queued -> queued (retry now: a new due time)
 *
 * Returns: whether @from may go to @to
 */
gboolean
kiosk_request_state_can_transition (KioskRequestState from,
                                    KioskRequestState to)
{
  if (to == KIOSK_REQUEST_HANDLED)
    return from != KIOSK_REQUEST_HANDLED && from < KIOSK_REQUEST_N_STATES;

  switch (from)
    {
    case KIOSK_REQUEST_QUEUED:
      return to == KIOSK_REQUEST_SENDING || to == KIOSK_REQUEST_CANCELLED || to == KIOSK_REQUEST_QUEUED;
    case KIOSK_REQUEST_SENDING:
      return to == KIOSK_REQUEST_DELIVERED || to == KIOSK_REQUEST_QUEUED || to == KIOSK_REQUEST_REJECTED;
    case KIOSK_REQUEST_DELIVERED:
      return to == KIOSK_REQUEST_PURGED;
    case KIOSK_REQUEST_REJECTED:
      return to == KIOSK_REQUEST_QUEUED || to == KIOSK_REQUEST_CANCELLED;
    case KIOSK_REQUEST_CANCELLED:
    case KIOSK_REQUEST_HANDLED:
      return to == KIOSK_REQUEST_PURGED;
    case KIOSK_REQUEST_PURGED:
    case KIOSK_REQUEST_N_STATES:
    default:
      return FALSE;
    }
}

static void
kiosk_request_finalize (GObject *object)
{
  KioskRequest *self = (KioskRequest *)object;

  g_free (self->id);
  g_free (self->short_code);
  g_free (self->service_id);
  g_free (self->locale);
  g_clear_pointer (&self->answers, g_bytes_unref);
  g_free (self->last_error);
  g_free (self->remote_ref);
  g_free (self->origin_kiosk_id);
  g_clear_pointer (&self->receipt_payload, g_bytes_unref);

  G_OBJECT_CLASS (kiosk_request_parent_class)->finalize (object);
}

static void
kiosk_request_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  KioskRequest *self = KIOSK_REQUEST (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_string (value, self->id);
      break;
    case PROP_SHORT_CODE:
      g_value_set_string (value, self->short_code);
      break;
    case PROP_SERVICE_ID:
      g_value_set_string (value, self->service_id);
      break;
    case PROP_STATE:
      g_value_set_enum (value, self->state);
      break;
    case PROP_ATTEMPTS:
      g_value_set_uint (value, self->attempts);
      break;
    case PROP_LAST_ERROR:
      g_value_set_string (value, self->last_error);
      break;
    case PROP_REMOTE_REF:
      g_value_set_string (value, self->remote_ref);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kiosk_request_class_init (KioskRequestClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = kiosk_request_finalize;
  object_class->get_property = kiosk_request_get_property;

  properties[PROP_ID] =
    g_param_spec_string ("id", NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_SHORT_CODE] =
    g_param_spec_string ("short-code", NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_SERVICE_ID] =
    g_param_spec_string ("service-id", NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_STATE] =
    g_param_spec_enum ("state", NULL, NULL, KIOSK_TYPE_REQUEST_STATE, KIOSK_REQUEST_QUEUED,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_ATTEMPTS] =
    g_param_spec_uint ("attempts", NULL, NULL, 0, G_MAXUINT, 0, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_LAST_ERROR] =
    g_param_spec_string ("last-error", NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_REMOTE_REF] =
    g_param_spec_string ("remote-ref", NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
kiosk_request_init (KioskRequest *self)
{
}

static char *
dup_column_text (sqlite3_stmt *stmt,
                 int           col)
{
  const unsigned char *text = sqlite3_column_text (stmt, col);

  return text != NULL ? g_strdup ((const char *) text) : NULL;
}

KioskRequest *
_kiosk_request_new_from_row (sqlite3_stmt *stmt)
{
  KioskRequest *self = g_object_new (KIOSK_TYPE_REQUEST, NULL);
  g_autofree char *state = NULL;
  g_autofree char *format = NULL;

  self->id = dup_column_text (stmt, 0);
  self->short_code = dup_column_text (stmt, 1);
  self->service_id = dup_column_text (stmt, 2);
  self->service_version = (guint) sqlite3_column_int (stmt, 3);
  self->locale = dup_column_text (stmt, 4);
  self->created_us = sqlite3_column_int64 (stmt, 5);
  self->updated_us = sqlite3_column_int64 (stmt, 6);
  if (sqlite3_column_type (stmt, 7) != SQLITE_NULL)
    self->answers = g_bytes_new (sqlite3_column_blob (stmt, 7), sqlite3_column_bytes (stmt, 7));
  state = dup_column_text (stmt, 8);
  if (!kiosk_request_state_from_string (state, &self->state))
    g_assert_not_reached (); /* the schema's CHECK constraint allows no other value */
  self->attempts = (guint) sqlite3_column_int (stmt, 9);
  self->next_attempt_us = sqlite3_column_int64 (stmt, 10);
  self->last_error = dup_column_text (stmt, 11);
  self->remote_ref = dup_column_text (stmt, 12);
  self->flags = (KioskRequestFlags) sqlite3_column_int (stmt, 13);
  format = dup_column_text (stmt, 14);
  self->answers_format = g_strcmp0 (format, "sealed") == 0 ? KIOSK_ANSWERS_SEALED : KIOSK_ANSWERS_JSON;
  self->origin_kiosk_id = dup_column_text (stmt, 15);
  if (sqlite3_column_type (stmt, 16) != SQLITE_NULL)
    self->receipt_payload = g_bytes_new (sqlite3_column_blob (stmt, 16), sqlite3_column_bytes (stmt, 16));

  return self;
}

/* The snapshot of a request just inserted, as the row now reads: what
 * kiosk_outbox_enqueue() wrote from @draft, without reading it back.  @id
 * and @short_code are the ones it stored (the draft's may be %NULL). */
KioskRequest *
_kiosk_request_new_queued (const KioskRequestDraft *draft,
                           const char              *id,
                           const char              *short_code,
                           gint64                   now_us)
{
  KioskRequest *self;

  g_assert (draft != NULL && id != NULL && short_code != NULL);

  self = g_object_new (KIOSK_TYPE_REQUEST, NULL);
  self->id = g_strdup (id);
  self->short_code = g_strdup (short_code);
  self->service_id = g_strdup (draft->service_id);
  self->service_version = draft->service_version;
  self->locale = g_strdup (draft->locale);
  self->created_us = draft->created_us != 0 ? draft->created_us : now_us;
  self->updated_us = now_us;
  self->answers = g_bytes_ref (draft->answers);
  self->state = KIOSK_REQUEST_QUEUED;
  self->attempts = 0;
  self->next_attempt_us = now_us;
  self->flags = draft->flags;
  self->answers_format = draft->answers_format;
  self->origin_kiosk_id = g_strdup (draft->origin_kiosk_id);
  self->receipt_payload = draft->receipt_payload != NULL ? g_bytes_ref (draft->receipt_payload) : NULL;

  return self;
}

/* Sets the columns a transition changes, so that a snapshot read inside
 * the transaction that changed its row reads as the row now does, without
 * reading it back (kiosk_outbox_claim_due(), kiosk_outbox_apply()).  Only
 * for a snapshot nobody else holds yet: it emits no notifications. */
void
_kiosk_request_set_progress (KioskRequest      *self,
                             KioskRequestState  state,
                             gint64             updated_us,
                             guint              attempts,
                             gint64             next_attempt_us,
                             const char        *last_error,
                             const char        *remote_ref)
{
  char *error_copy = g_strdup (last_error);
  char *ref_copy = g_strdup (remote_ref);

  g_assert (state != KIOSK_REQUEST_PURGED);   /* that one also drops the answers */

  self->state = state;
  self->updated_us = updated_us;
  self->attempts = attempts;
  self->next_attempt_us = next_attempt_us;
  g_free (self->last_error);
  self->last_error = error_copy;
  g_free (self->remote_ref);
  self->remote_ref = ref_copy;
}

#define GETTER(type, name, field, fallback)                     \
  type                                                          \
  kiosk_request_get_##name (KioskRequest *self)                 \
  {                                                             \
    g_return_val_if_fail (KIOSK_IS_REQUEST (self), fallback);   \
    return self->field;                                         \
  }

GETTER (const char *, id, id, NULL)
GETTER (const char *, short_code, short_code, NULL)
GETTER (const char *, service_id, service_id, NULL)
GETTER (guint, service_version, service_version, 0)
GETTER (const char *, locale, locale, NULL)
GETTER (gint64, created, created_us, 0)
GETTER (gint64, updated, updated_us, 0)
GETTER (KioskRequestState, state, state, KIOSK_REQUEST_QUEUED)
GETTER (guint, attempts, attempts, 0)
GETTER (gint64, next_attempt, next_attempt_us, 0)
GETTER (const char *, last_error, last_error, NULL)
GETTER (const char *, remote_ref, remote_ref, NULL)
GETTER (KioskRequestFlags, flags, flags, 0)
GETTER (GBytes *, answers, answers, NULL)
GETTER (KioskAnswersFormat, answers_format, answers_format, KIOSK_ANSWERS_JSON)
GETTER (const char *, origin_kiosk_id, origin_kiosk_id, NULL)
GETTER (GBytes *, receipt_payload, receipt_payload, NULL)

#undef GETTER

void
kiosk_request_event_free (KioskRequestEvent *event)
{
  if (event == NULL)
    return;
  g_free (event->actor);
  g_free (event->detail);
  g_free (event);
}

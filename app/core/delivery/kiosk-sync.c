/* kiosk-sync.c
 *
 * SPDX-FileCopyrightText: 2026 Stadtkiosk contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "kiosk-delivery"

#include "config.h"

#include "kiosk-catalog.h"
#include "kiosk-catalog-bundle.h"
#include "kiosk-purge.h"
#include "kiosk-routes.h"
#include "kiosk-store-private.h"
#include "kiosk-submission-target.h"
#include "kiosk-sync.h"
#include "kiosk-sync-pause.h"
#include "kiosk-sync-private.h"

#include <string.h>

/* Delivers the outbox through a KioskTarget, in the background.
 *
 * Everything is asynchronous on the thread-default main context of the
 * thread that created the sync; the main loop never waits for the network.
 * There is one timer at a time, on the KioskClock, so tests drive days of
 * backoff with a fake clock and can count every wakeup:
 *
 *   offline  → the timer is the next health probe (backoff over failed probes)
 *   online   → the timer is the next due request, or the sync interval
 *   paused   → the timer resumes after the backoff cap (a fixed token may
 *              have been installed meanwhile); kiosk_sync_resume() at once
 *
 * GNetworkMonitor only prompts an early probe; the probe decides.  A request
 * that got no answer at all goes back with backoff and makes the sync probe
 * before it claims more, so a dead network costs one request's attempt, not
 * the whole queue's.
 */

#define PROBE_MIN_GAP_US (5 * G_USEC_PER_SEC)
/* Requests claimed per transaction: as many as one batch of outcomes, so a
 * drain costs two commits per batch (measured on disk: 16 per batch reached
 * about 0.5 of the ceiling, 64 about 0.6). */
#define CLAIM_BATCH KIOSK_SYNC_OUTCOME_BATCH
/* Delivery outcomes are recorded in batches (group commit): at the latest
 * when OUTCOME_BATCH are waiting, when OUTCOME_DELAY_MS have passed since
 * the first of them (on the KioskClock), or when nothing is in flight any more,
 * whichever comes first.
 *
 * Why this is safe: an outcome that is not committed yet when the process
 * dies leaves its request `sending` in the database; kiosk_outbox_recover()
 * turns it back into `queued` on the next start and the sync sends it again.
 * That is a replay under the same idempotency key (the request's UUID): the
 * backend answers it from its idempotency store with its first answer, so
 * nothing is lost and nothing is stored twice.  test-sync-faults' kill test
 * SIGKILLs `stadtkioskctl sync` while batches are pending and checks exactly
 * that.  What a batch saves is the fsync of a synchronous=FULL COMMIT per
 * request: on a real disk that fsync, not the network, bounded the drain. */
#define OUTCOME_BATCH KIOSK_SYNC_OUTCOME_BATCH
#define OUTCOME_DELAY_MS KIOSK_SYNC_OUTCOME_DELAY_MS
/* A batch the database refused is tried again this much later. */
#define OUTCOME_RETRY_MS 1000
/* While online, the city's status of requests delivered in the last
 * CITY_STATUS_WINDOW_US is asked for at most this often (routed syncs). */
#define CITY_STATUS_INTERVAL_US (G_GINT64_CONSTANT (900) * G_USEC_PER_SEC)
#define CITY_STATUS_WINDOW_US (G_GINT64_CONSTANT (30) * 24 * 3600 * G_USEC_PER_SEC)
/* While online, the catalogue is pulled (If-None-Match) at most this often. */
#define CATALOG_PULL_INTERVAL_US (G_GINT64_CONSTANT (3600) * G_USEC_PER_SEC)

struct _KioskSync
{
  GObject          parent_instance;

  KioskContext    *context;
  gboolean         routes_at_start;  /* kiosk_sync_new_routed_at_start() */
  gboolean         status_unread;    /* the same: read when first asked, or at start */
  KioskConfig     *config;
  KioskClock      *clock;
  KioskOutbox     *outbox;
  KioskTarget     *target;           /* NULL while the configuration is unusable */
  gboolean         own_target;       /* made from the config, so resume remakes it */
  KioskRoutes     *routes;           /* kiosk_sync_new(): each service by its own target (the
                                      * one above is the probed one); NULL: one target for all */
  KioskTargetKind  primary;          /* routes: the kind of the probed target */
  char            *routing_problem;

  GCancellable    *cancellable;
  GNetworkMonitor *monitor;
  gulong           monitor_handler;
  gulong           work_due_handler;
  gulong           changed_handler;

  gboolean         started;
  GList           *once_tasks;       /* GTask*, run_once callers waiting */
  GList           *check_tasks;      /* GTask*, check callers waiting for a probe */
  GQueue           ready;            /* KioskRequest*, claimed (sending) but not yet sent */
  GArray          *outcomes;         /* KioskOutcomeRecord with owned strings, not yet recorded */
  guint            outcome_timer_id;

  KioskSyncState   state;
  char            *pause_reason;
  char            *last_error;
  guint            in_flight;
  guint            in_flight_lane[KIOSK_TARGET_N_KINDS + 1];  /* by lane; [N_KINDS]: one target for all */
  gboolean         probing;
  gboolean         need_probe;       /* a delivery got no answer: probe before claiming */
  guint            probe_failures;
  gint64           last_probe;
  gint64           resume_at;        /* paused: when to try again by itself */

  guint            timer_id;
  gint64           timer_due;
  guint            wakeups;
  guint            status_idle;

  gint64           last_success;
  gint64           next_attempt;
  gint64           oldest_undelivered;
  gboolean         alert;
  guint            counts[KIOSK_REQUEST_N_STATES];
  gint64           catalog_as_of;
  gint64           last_catalog_pull;
  gint64           last_status_pull;

  GRand           *rand;
  guint            purge_timer;      /* kiosk-purge.c: at start and hourly */
  gboolean         pause_local;      /* this pause concerns this process only: not persisted */
  gboolean         pausing;          /* recording the outcomes before a pause */
};

G_DEFINE_FINAL_TYPE (KioskSync, kiosk_sync, G_TYPE_OBJECT)
G_DEFINE_QUARK (kiosk-sync-error-quark, kiosk_sync_error)

enum {
  PROP_0,
  PROP_STATE,
  PROP_PAUSE_REASON,
  PROP_LAST_ERROR,
  PROP_LAST_SUCCESS,
  PROP_NEXT_ATTEMPT,
  PROP_OLDEST_UNDELIVERED,
  PROP_ALERT,
  PROP_IN_FLIGHT,
  PROP_N_QUEUED,
  PROP_N_SENDING,
  PROP_N_REJECTED,
  PROP_N_DELIVERED,
  PROP_CATALOG_AS_OF,
  PROP_ROUTING_PROBLEM,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void refresh_status (KioskSync *self);

enum {
  CATALOG_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void pump (KioskSync *self);
static void reschedule (KioskSync *self);
static void start_probe (KioskSync *self);
static gboolean ensure_target (KioskSync *self);

GType
kiosk_sync_state_get_type (void)
{
  static gsize type = 0;

  if (g_once_init_enter (&type))
    {
      static const GEnumValue values[] = {
        { KIOSK_SYNC_OFFLINE, "KIOSK_SYNC_OFFLINE", "offline" },
        { KIOSK_SYNC_ONLINE, "KIOSK_SYNC_ONLINE", "online" },
        { KIOSK_SYNC_SYNCING, "KIOSK_SYNC_SYNCING", "syncing" },
        { KIOSK_SYNC_PAUSED, "KIOSK_SYNC_PAUSED", "paused" },
        { 0, NULL, NULL }
      };
      g_once_init_leave (&type, g_enum_register_static ("KioskSyncState", values));
    }
  return type;
}

const char *
kiosk_sync_state_to_string (KioskSyncState state)
{
  switch (state)
    {
    case KIOSK_SYNC_OFFLINE: return "offline";
    case KIOSK_SYNC_ONLINE: return "online";
    case KIOSK_SYNC_SYNCING: return "syncing";
    case KIOSK_SYNC_PAUSED: return "paused";
    default: return "unknown";
    }
}

/**
 * _kiosk_sync_backoff_delay:
 * @attempts: attempts made so far (>= 1)
 * @retry_after_us: what the server asked for, or -1
 * @random: a uniformly random number
 *
 * Full jitter: uniform in [0, min (cap, base · 2^(attempts-1))], at least one
 * second, and never less than @retry_after_us.
 */
gint64
_kiosk_sync_backoff_delay (guint   attempts,
                           gint64  retry_after_us,
                           guint32 random)
{
  gint64 ceiling = KIOSK_SYNC_BACKOFF_BASE_US;
  gint64 delay;

  for (guint i = 1; i < attempts && ceiling < KIOSK_SYNC_BACKOFF_CAP_US; i++)
    ceiling *= 2;
  ceiling = MIN (ceiling, KIOSK_SYNC_BACKOFF_CAP_US);

  delay = (gint64) (((guint64) random * (guint64) ceiling) / G_MAXUINT32);
  delay = MAX (delay, G_USEC_PER_SEC);
  if (retry_after_us > delay)
    delay = MIN (retry_after_us, KIOSK_TARGET_RETRY_AFTER_CAP_US);
  return delay;
}

static gboolean
is_active (KioskSync *self)
{
  return self->started || self->once_tasks != NULL || self->check_tasks != NULL;
}

/* kiosk_sync_stop() cancels the work in flight; work asked for afterwards
 * gets a fresh cancellable. */
static void
renew_cancellable (KioskSync *self)
{
  if (self->cancellable == NULL || g_cancellable_is_cancelled (self->cancellable))
    {
      g_clear_object (&self->cancellable);
      self->cancellable = g_cancellable_new ();
    }
}

static void
set_state (KioskSync      *self,
           KioskSyncState  state)
{
  gboolean pause_changed;

  if (self->state == state)
    return;
  g_debug ("state %s -> %s", kiosk_sync_state_to_string (self->state), kiosk_sync_state_to_string (state));
  pause_changed = (self->state == KIOSK_SYNC_PAUSED) != (state == KIOSK_SYNC_PAUSED);
  self->state = state;
  /* Every process (alerts, the admin screen) sees the pause (#12). */
  if (pause_changed && !self->pause_local)
    _kiosk_sync_pause_persist (kiosk_context_get_store (self->context),
                               state == KIOSK_SYNC_PAUSED ? self->pause_reason : NULL,
                               kiosk_clock_get_now (self->clock));
  if (pause_changed && state != KIOSK_SYNC_PAUSED)
    self->pause_local = FALSE;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
  /* A pause raises the admin alert at once. */
  if (pause_changed)
    refresh_status (self);
}

static void
set_string (KioskSync   *self,
            char       **field,
            const char  *value,
            guint        prop)
{
  if (g_strcmp0 (*field, value) == 0)
    return;
  g_free (*field);
  *field = g_strdup (value);
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop]);
}

static void
set_int64 (KioskSync *self,
           gint64    *field,
           gint64     value,
           guint      prop)
{
  if (*field == value)
    return;
  *field = value;
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop]);
}

static void
finish_once_tasks (KioskSync    *self,
                   const GError *error)
{
  GList *tasks = g_steal_pointer (&self->once_tasks);

  for (GList *l = tasks; l != NULL; l = l->next)
    {
      g_autoptr(GTask) task = l->data;

      if (error != NULL)
        g_task_return_error (task, g_error_copy (error));
      else
        g_task_return_boolean (task, TRUE);
    }
  g_list_free (tasks);

  refresh_status (self);
  if (!is_active (self) && self->timer_id != 0)
    {
      kiosk_clock_remove_timeout (self->clock, self->timer_id);
      self->timer_id = 0;
    }
}

static void
finish_check_tasks (KioskSync *self)
{
  GList *tasks = g_steal_pointer (&self->check_tasks);

  for (GList *l = tasks; l != NULL; l = l->next)
    {
      g_autoptr(GTask) task = l->data;

      g_task_return_boolean (task, self->state != KIOSK_SYNC_OFFLINE && self->state != KIOSK_SYNC_PAUSED);
    }
  g_list_free (tasks);
}

static void
pause_with (KioskSync  *self,
            const char *reason)
{
  set_string (self, &self->pause_reason, reason, PROP_PAUSE_REASON);
  if (self->state != KIOSK_SYNC_PAUSED)
    self->resume_at = kiosk_clock_get_now (self->clock) + KIOSK_SYNC_BACKOFF_CAP_US;
  set_state (self, KIOSK_SYNC_PAUSED);

  if (self->once_tasks != NULL && self->in_flight == 0)
    {
      g_autoptr(GError) error = g_error_new (KIOSK_SYNC_ERROR, KIOSK_SYNC_ERROR_PAUSED,
                                             "sync paused: %s", reason);

      finish_once_tasks (self, error);
    }
  finish_check_tasks (self);
  reschedule (self);
}

/* Routed: the target probed for reachability is the default one's, or any
 * that can deliver; only when none can is the whole sync paused. */
static gboolean
ensure_routed_target (KioskSync *self)
{
  const char *problem = NULL;

  self->primary = kiosk_routes_choose_primary (self->routes, &problem);
  if (self->primary == KIOSK_TARGET_N_KINDS)
    {
      pause_with (self, problem != NULL ? problem : "no delivery target is configured");
      return FALSE;
    }
  self->target = g_object_ref (kiosk_routes_get_target (self->routes, self->primary));
  self->own_target = TRUE;
  return TRUE;
}

/* Routed: only the lane whose configuration is wrong waits, and when it was
 * the probed one another takes its place (probed next).  Returns %FALSE when
 * the whole sync has to pause. */
static gboolean
pause_lane (KioskSync       *self,
            KioskTargetKind  kind,
            const char      *reason)
{
  const char *problem = NULL;

  if (self->routes == NULL)
    return FALSE;
  kiosk_routes_pause (self->routes, kind, reason, kiosk_clock_get_now (self->clock) + KIOSK_SYNC_BACKOFF_CAP_US);
  refresh_status (self);
  if (kind != self->primary)
    return TRUE;
  if (kiosk_routes_choose_primary (self->routes, &problem) == KIOSK_TARGET_N_KINDS)
    return FALSE;
  g_clear_object (&self->target);
  return ensure_target (self);
}

/* Makes the target from the configuration; a failure pauses with the reason. */
static gboolean
ensure_target (KioskSync *self)
{
  g_autoptr(GError) error = NULL;

  if (self->target != NULL)
    return TRUE;
  if (self->routes != NULL)
    return ensure_routed_target (self);

  self->target = KIOSK_TARGET (kiosk_submission_target_new (self->config, self->clock,
                                                            KIOSK_SYNC_MAX_IN_FLIGHT, &error));
  if (self->target == NULL)
    {
      pause_with (self, error->message);
      return FALSE;
    }
  self->own_target = TRUE;
  return TRUE;
}

/* Routed and running: now and then ask the city about recent deliveries. */
static void
pull_city_status (KioskSync *self)
{
  gint64 now = kiosk_clock_get_now (self->clock);

  if (self->routes == NULL || !self->started ||
      (self->last_status_pull != 0 && now - self->last_status_pull < CITY_STATUS_INTERVAL_US))
    return;
  self->last_status_pull = now;
  kiosk_routes_pull_city_status (self->routes, now - CITY_STATUS_WINDOW_US, self->cancellable);
}

static gboolean
timer_fired_cb (gpointer user_data)
{
  KioskSync *self = user_data;

  self->timer_id = 0;
  self->wakeups++;

  switch (self->state)
    {
    case KIOSK_SYNC_PAUSED:
      kiosk_sync_resume (self);
      break;
    case KIOSK_SYNC_OFFLINE:
      start_probe (self);
      break;
    case KIOSK_SYNC_ONLINE:
    case KIOSK_SYNC_SYNCING:
    default:
      refresh_status (self);
      pull_city_status (self);
      pump (self);
      break;
    }
  return G_SOURCE_REMOVE;
}

static void
set_timer (KioskSync *self,
           gint64     due)
{
  gint64 now = kiosk_clock_get_now (self->clock);
  gint64 delay_ms;

  if (self->timer_id != 0 && self->timer_due == due)
    return;
  if (self->timer_id != 0)
    kiosk_clock_remove_timeout (self->clock, self->timer_id);
  self->timer_id = 0;
  if (due < 0)
    return;

  /* Round up: a timer that fires a fraction early finds nothing due and
   * would re-arm itself at 0 ms, over and over. */
  delay_ms = (MAX (due - now, 0) + 999) / 1000;
  self->timer_due = due;
  self->timer_id = kiosk_clock_add_timeout (self->clock, (guint) MIN (delay_ms, G_MAXUINT32 / 2),
                                            timer_fired_cb, self, NULL);
}

/* Routed: requests whose target cannot deliver are not due. */
static gint64
get_next_due (KioskSync *self)
{
  if (self->routes != NULL)
    return kiosk_routes_get_next_due (self->routes);
  return kiosk_outbox_get_next_due (self->outbox);
}

/* Chooses the one timer for the current state. */
static void
reschedule (KioskSync *self)
{
  gint64 now = kiosk_clock_get_now (self->clock);
  gint64 due = -1;
  gint64 next_due = -2;   /* not read yet */

  if (!is_active (self))
    {
      set_timer (self, -1);
      return;
    }

  switch (self->state)
    {
    case KIOSK_SYNC_PAUSED:
      /* A one-off run does not wait for the pause to end. */
      due = self->started ? MAX (self->resume_at, now) : -1;
      break;

    case KIOSK_SYNC_OFFLINE:
      if (self->probing)
        due = -1;
      else
        {
          gint64 ceiling = KIOSK_SYNC_BACKOFF_BASE_US;

          /* Equal jitter for probes: spread kiosks out, but never hammer. */
          for (guint i = 1; i < self->probe_failures && ceiling < KIOSK_SYNC_BACKOFF_CAP_US; i++)
            ceiling *= 2;
          ceiling = MIN (ceiling, KIOSK_SYNC_BACKOFF_CAP_US);
          due = self->last_probe + ceiling / 2 + g_rand_int_range (self->rand, 0, (gint32) (ceiling / 2 / 1000)) * 1000;
          due = MAX (due, now);
        }
      break;

    case KIOSK_SYNC_ONLINE:
    case KIOSK_SYNC_SYNCING:
    default:
      if (self->in_flight > 0 || self->probing)
        {
          /* Each completion pumps again; keep one fallback timer and spare
           * the database a query per request while draining. */
          if (self->timer_id == 0 && self->started)
            set_timer (self, now + (gint64) kiosk_config_get_sync_interval (self->config) * G_USEC_PER_SEC);
          return;
        }
      {
        gint64 interval = (gint64) kiosk_config_get_sync_interval (self->config) * G_USEC_PER_SEC;

        /* Something due now that pump () did not claim means the database
         * refused: try again in a second, not at once (a 0 ms timer would
         * spin). */
        next_due = get_next_due (self);
        due = now + interval;
        if (next_due >= 0)
          due = MIN (due, MAX (next_due, now + G_USEC_PER_SEC * (next_due <= now)));
        if (!self->started)
          due = -1;   /* a one-off run ends instead of waiting */
      }
      break;
    }

  set_timer (self, due);
  if (self->state == KIOSK_SYNC_PAUSED)
    set_int64 (self, &self->next_attempt, due, PROP_NEXT_ATTEMPT);
  else if (self->state != KIOSK_SYNC_OFFLINE || self->probing)
    set_int64 (self, &self->next_attempt, next_due != -2 ? next_due : get_next_due (self),
               PROP_NEXT_ATTEMPT);
  else
    set_int64 (self, &self->next_attempt, due, PROP_NEXT_ATTEMPT);
}

static void
clear_outcome_record (gpointer data)
{
  KioskOutcomeRecord *record = data;

  g_free ((char *) record->id);
  g_free ((char *) record->text);
}

static GArray *
outcome_array_new (void)
{
  GArray *array = g_array_sized_new (FALSE, TRUE, sizeof (KioskOutcomeRecord), OUTCOME_BATCH);

  g_array_set_clear_func (array, clear_outcome_record);
  return array;
}

static void set_outcome_timer (KioskSync *self, guint delay_ms);

/* Records the waiting outcomes in one transaction (see OUTCOME_BATCH). */
static void
flush_outcomes (KioskSync *self)
{
  g_autoptr(GArray) outcomes = NULL;
  g_autoptr(GPtrArray) errors = NULL;
  g_autoptr(GError) error = NULL;

  if (self->outcome_timer_id != 0)
    {
      kiosk_clock_remove_timeout (self->clock, self->outcome_timer_id);
      self->outcome_timer_id = 0;
    }
  if (self->outcomes == NULL || self->outcomes->len == 0 || self->outbox == NULL)
    return;

  /* Listeners of the outbox's signals may get here again. */
  outcomes = g_steal_pointer (&self->outcomes);
  self->outcomes = outcome_array_new ();

  if (!kiosk_outbox_apply (self->outbox, (const KioskOutcomeRecord *) (void *) outcomes->data, outcomes->len,
                           NULL, &errors, &error))
    {
      /* The database refused (disk full, I/O error): nothing was written,
       * the requests are still `sending`.  Keep the outcomes for another
       * try; should the process end first, recovery re-queues them. */
      g_debug ("cannot record %u outcomes: %s", outcomes->len, error->message);
      set_string (self, &self->last_error, error->message, PROP_LAST_ERROR);
      g_array_prepend_vals (self->outcomes, outcomes->data, outcomes->len);
      g_array_set_clear_func (outcomes, NULL);   /* the strings moved */
      set_outcome_timer (self, OUTCOME_RETRY_MS);
      return;
    }

  for (guint i = 0; i < errors->len; i++)
    {
      const GError *record_error = errors->pdata[i];

      if (record_error == NULL)
        continue;
      /* A clerk may have marked it handled meanwhile: skipped, the others
       * are recorded.  Anything else is worth showing. */
      g_debug ("cannot record the outcome for %s: %s",
               g_array_index (outcomes, KioskOutcomeRecord, i).id, record_error->message);
      if (!g_error_matches (record_error, KIOSK_OUTBOX_ERROR, KIOSK_OUTBOX_ERROR_ILLEGAL_TRANSITION))
        set_string (self, &self->last_error, record_error->message, PROP_LAST_ERROR);
    }
}

static gboolean
outcome_timer_cb (gpointer user_data)
{
  KioskSync *self = user_data;

  self->outcome_timer_id = 0;
  flush_outcomes (self);
  return G_SOURCE_REMOVE;
}

static void
set_outcome_timer (KioskSync *self,
                   guint      delay_ms)
{
  if (self->outcome_timer_id != 0)
    kiosk_clock_remove_timeout (self->clock, self->outcome_timer_id);
  self->outcome_timer_id = kiosk_clock_add_timeout (self->clock, delay_ms, outcome_timer_cb, self, NULL);
}

static void
delivered_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(KioskRequest) request = user_data;
  KioskSync *self = g_object_get_data (G_OBJECT (request), "kiosk-sync");
  g_autoptr(KioskOutcome) outcome = NULL;
  g_autoptr(GError) error = NULL;
  KioskOutcomeRecord record = { 0 };
  const char *pause_reason = NULL;
  KioskTargetKind kind = self->routes != NULL ? kiosk_routes_kind_of (request) : self->primary;
  gint64 now;

  /* The request carries the sync's reference for us. */
  g_object_set_data (G_OBJECT (request), "kiosk-sync", NULL);

  outcome = kiosk_target_deliver_finish (KIOSK_TARGET (object), result, &error);
  self->in_flight--;
  {
    guint lane = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (request), "kiosk-sync-lane"));

    if (lane > 0 && self->in_flight_lane[lane - 1] > 0)
      self->in_flight_lane[lane - 1]--;
  }
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_IN_FLIGHT]);
  now = kiosk_clock_get_now (self->clock);

  record.id = g_strdup (kiosk_request_get_id (request));
  if (outcome == NULL)
    {
      /* Cancelled: put it back as it was, without blame. */
      record.mark = KIOSK_OUTBOX_MARK_RELEASE;
      record.text = g_strdup ("sync stopped");
    }
  else
    {
      switch (outcome->kind)
        {
        case KIOSK_OUTCOME_DELIVERED:
          record.mark = KIOSK_OUTBOX_MARK_DELIVERED;
          record.text = g_strdup (outcome->remote_ref);
          set_int64 (self, &self->last_success, now, PROP_LAST_SUCCESS);
          break;

        case KIOSK_OUTCOME_REJECTED:
          record.mark = KIOSK_OUTBOX_MARK_REJECTED;
          record.text = g_strdup (outcome->message);
          break;

        case KIOSK_OUTCOME_PAUSE:
          record.mark = KIOSK_OUTBOX_MARK_RELEASE;
          record.text = g_strdup (outcome->message);
          set_string (self, &self->last_error, outcome->message, PROP_LAST_ERROR);
          if (!pause_lane (self, kind, outcome->message) && self->state != KIOSK_SYNC_PAUSED)
            pause_reason = outcome->message;
          break;

        case KIOSK_OUTCOME_RETRY:
        default:
          {
            gint64 delay = _kiosk_sync_backoff_delay (MAX (kiosk_request_get_attempts (request), 1),
                                                      outcome->retry_after_us,
                                                      g_rand_int (self->rand));

            record.mark = KIOSK_OUTBOX_MARK_RETRY;
            record.next_attempt_us = now + delay;
            record.text = g_strdup (outcome->message);
            set_string (self, &self->last_error, outcome->message, PROP_LAST_ERROR);
            /* The probe speaks for the primary target's network only. */
            if (outcome->offline_hint && kind == self->primary)
              self->need_probe = TRUE;
          }
          break;
        }
    }

  g_array_append_val (self->outcomes, record);
  /* Whatever decides about the whole queue (a pause, the end of a run)
   * happens only with every outcome so far recorded. */
  if (self->outcomes->len >= OUTCOME_BATCH || self->in_flight == 0 || pause_reason != NULL)
    {
      /* Recording a released request emits ::work-due; with a pause
       * coming, that must not send another request before it. */
      self->pausing = pause_reason != NULL;
      flush_outcomes (self);
      self->pausing = FALSE;
    }
  else if (self->outcome_timer_id == 0)
    set_outcome_timer (self, OUTCOME_DELAY_MS);

  if (pause_reason != NULL)
    pause_with (self, pause_reason);

  pump (self);
  g_object_unref (self);
}

static void
background_pull_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  /* Failures are in #KioskSync:last-error; the last good catalogue stays. */
  kiosk_sync_pull_catalog_finish (KIOSK_SYNC (object), result, NULL, NULL);
}

static void
probed_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  KioskSync *self = user_data;
  g_autoptr(KioskOutcome) outcome = NULL;
  g_autoptr(GError) error = NULL;

  outcome = kiosk_target_probe_finish (KIOSK_TARGET (object), result, &error);
  self->probing = FALSE;

  if (outcome == NULL)
    ;  /* cancelled */
  else if (outcome->kind == KIOSK_OUTCOME_DELIVERED)
    {
      self->probe_failures = 0;
      self->need_probe = FALSE;
      if (self->state == KIOSK_SYNC_OFFLINE)
        set_state (self, KIOSK_SYNC_ONLINE);
      if (self->started &&
          (self->last_catalog_pull == 0 ||
           kiosk_clock_get_now (self->clock) - self->last_catalog_pull >= CATALOG_PULL_INTERVAL_US))
        kiosk_sync_pull_catalog_async (self, self->cancellable, background_pull_cb, NULL);
    }
  else if (outcome->kind == KIOSK_OUTCOME_PAUSE)
    {
      self->need_probe = FALSE;
      if (pause_lane (self, self->primary, outcome->message))
        start_probe (self);
      else
        pause_with (self, outcome->message);
    }
  else
    {
      g_autofree char *why = NULL;
      g_autofree char *where = kiosk_target_describe (self->target);

      self->probe_failures++;
      self->need_probe = FALSE;
      why = g_strdup_printf ("backend %s unreachable: %s", where, outcome->message);
      set_string (self, &self->last_error, why, PROP_LAST_ERROR);
      set_state (self, KIOSK_SYNC_OFFLINE);
      if (self->once_tasks != NULL && self->in_flight == 0)
        {
          g_autoptr(GError) offline = g_error_new_literal (KIOSK_SYNC_ERROR, KIOSK_SYNC_ERROR_OFFLINE, why);

          finish_once_tasks (self, offline);
        }
    }

  finish_check_tasks (self);
  pump (self);
  g_object_unref (self);
}

static void
start_probe (KioskSync *self)
{
  if (self->probing || self->state == KIOSK_SYNC_PAUSED || !ensure_target (self))
    return;

  self->probing = TRUE;
  self->last_probe = kiosk_clock_get_now (self->clock);
  set_timer (self, -1);
  kiosk_target_probe_async (self->target, self->cancellable, probed_cb, g_object_ref (self));
}

/* Puts claimed requests that were not sent yet back, without blame, in one
 * transaction. */
static void
release_ready (KioskSync  *self,
               const char *why)
{
  g_autoptr(GPtrArray) held = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GArray) records = g_array_new (FALSE, TRUE, sizeof (KioskOutcomeRecord));
  g_autoptr(GError) error = NULL;
  KioskRequest *request;

  while ((request = g_queue_pop_head (&self->ready)) != NULL)
    {
      KioskOutcomeRecord record = { .id = kiosk_request_get_id (request), .mark = KIOSK_OUTBOX_MARK_RELEASE,
                                    .text = why };

      g_ptr_array_add (held, request);
      g_array_append_val (records, record);
    }
  /* A failure leaves them `sending` until recovery re-queues them. */
  if (records->len > 0 &&
      !kiosk_outbox_apply (self->outbox, (const KioskOutcomeRecord *) (void *) records->data, records->len,
                           NULL, NULL, &error))
    g_debug ("cannot release %u claimed requests: %s", records->len, error->message);
}

/* The first claimed request whose lane may take one more delivery, taken
 * off the ready queue, with its target (NULL: its lane was paused after
 * the claim) and lane; NULL when the queue is empty or every lane waiting
 * in it is full. */
static KioskRequest *
next_ready (KioskSync    *self,
            KioskTarget **out_target,
            guint        *out_lane)
{
  /* A lane found full is asked once, not once per request waiting in it
   * (the hub's lane holds up to 200 while the ready queue holds 64). */
  gboolean full[KIOSK_TARGET_N_KINDS + 1] = { FALSE, };

  for (GList *l = self->ready.head; l != NULL; l = l->next)
    {
      KioskRequest *request = l->data;
      KioskTarget *target;
      guint lane;

      if (self->routes != NULL)
        {
          lane = kiosk_routes_kind_of (request);
          target = lane < KIOSK_TARGET_N_KINDS ? kiosk_routes_get_target (self->routes, lane) : NULL;
        }
      else
        {
          lane = KIOSK_TARGET_N_KINDS;
          target = self->target;
        }
      if (full[lane])
        continue;
      if (target != NULL && self->in_flight_lane[lane] >= kiosk_target_get_max_in_flight (target))
        {
          full[lane] = TRUE;
          continue;
        }
      g_queue_delete_link (&self->ready, l);
      *out_target = target;
      *out_lane = lane;
      return request;
    }
  *out_target = NULL;
  *out_lane = 0;
  return NULL;
}

/* Claims what is due and sends it, up to each target's in-flight limit. */
static void
pump (KioskSync *self)
{
  /* A mere check (kiosk_sync_check_async()) sends nothing. */
  if (!self->started && self->once_tasks == NULL)
    {
      reschedule (self);
      return;
    }

  if (self->state == KIOSK_SYNC_PAUSED)
    {
      release_ready (self, "sync paused");
      if (self->in_flight == 0 && self->once_tasks != NULL)
        {
          g_autoptr(GError) error = g_error_new (KIOSK_SYNC_ERROR, KIOSK_SYNC_ERROR_PAUSED,
                                                 "sync paused: %s", self->pause_reason);
          finish_once_tasks (self, error);
        }
      reschedule (self);
      return;
    }

  if (self->need_probe && self->state != KIOSK_SYNC_OFFLINE && !self->probing)
    start_probe (self);

  if (self->state == KIOSK_SYNC_OFFLINE || self->probing || self->need_probe)
    {
      release_ready (self, "waiting for the backend");
      if (self->state == KIOSK_SYNC_OFFLINE && !self->probing && self->once_tasks != NULL && self->in_flight == 0)
        {
          g_autoptr(GError) error = g_error_new (KIOSK_SYNC_ERROR, KIOSK_SYNC_ERROR_OFFLINE, "%s",
                                                 self->last_error != NULL ? self->last_error : "backend unreachable");
          finish_once_tasks (self, error);
        }
      reschedule (self);
      return;
    }

  for (;;)
    {
      KioskRequest *request;
      KioskTarget *target;
      guint lane;

      /* Each target gets as many deliveries at once as it asks for
       * (kiosk_target_get_max_in_flight(): 4, or a whole _bulk_docs batch
       * for the hub).  More are claimed only when none is waiting; when
       * every waiting request's lane is full, this round is over. */
      request = next_ready (self, &target, &lane);
      if (request == NULL && !g_queue_is_empty (&self->ready))
        break;  /* every waiting request's lane is full */
      if (request == NULL)
        {
          g_autoptr(GPtrArray) claimed = NULL;
          g_autoptr(GError) error = NULL;

          /* One transaction claims a batch: the claim is durable
           * bookkeeping per request, and in batches it costs a fraction. */
          if (self->routes != NULL)
            claimed = kiosk_routes_claim (self->routes, CLAIM_BATCH, &error);
          else
            claimed = kiosk_outbox_claim_due (self->outbox, CLAIM_BATCH, &error);
          /* Another process delivers (#12): stand aside, don't spin. */
          if (claimed == NULL && g_error_matches (error, KIOSK_OUTBOX_ERROR, KIOSK_OUTBOX_ERROR_BUSY))
            {
              self->pause_local = TRUE;
              pause_with (self, error->message);
              break;
            }
          if (claimed == NULL)
            {
              set_string (self, &self->last_error, error->message, PROP_LAST_ERROR);
              if (self->once_tasks != NULL && self->in_flight == 0)
                {
                  g_autoptr(GError) store_error = g_error_new (KIOSK_SYNC_ERROR, KIOSK_SYNC_ERROR_STORE,
                                                               "%s", error->message);
                  finish_once_tasks (self, store_error);
                }
              break;
            }
          if (claimed->len == 0)
            break;
          for (guint i = 0; i < claimed->len; i++)
            g_queue_push_tail (&self->ready, g_object_ref (claimed->pdata[i]));
          continue;
        }

      if (target == NULL)
        {
          /* Its lane was paused after the claim: back to the queue. */
          KioskOutcomeRecord record = { .id = g_strdup (kiosk_request_get_id (request)),
                                        .mark = KIOSK_OUTBOX_MARK_RELEASE, .text = g_strdup ("target paused") };

          g_array_append_val (self->outcomes, record);
          flush_outcomes (self);
          g_object_unref (request);
          continue;
        }
      self->in_flight++;
      self->in_flight_lane[lane]++;
      g_object_set_data (G_OBJECT (request), "kiosk-sync-lane", GUINT_TO_POINTER (lane + 1));
      g_object_set_data (G_OBJECT (request), "kiosk-sync", g_object_ref (self));
      kiosk_target_deliver_async (target, request, self->cancellable,
                                  delivered_cb, request);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_IN_FLIGHT]);
    }

  set_state (self, self->in_flight > 0 ? KIOSK_SYNC_SYNCING : KIOSK_SYNC_ONLINE);
  if (self->in_flight == 0 && self->once_tasks != NULL)
    finish_once_tasks (self, NULL);
  reschedule (self);
}

static gboolean
status_idle_cb (gpointer user_data)
{
  KioskSync *self = user_data;

  self->status_idle = 0;
  refresh_status (self);
  return G_SOURCE_REMOVE;
}

static void
request_changed_cb (KioskOutbox  *outbox,
                    KioskRequest *request,
                    KioskSync    *self)
{
  KioskRequestState state = kiosk_request_get_state (request);

  /* A request queued, or gone from the queue otherwise than delivered,
   * may start or end a lane's routing problem; the drain's own changes
   * cannot. */
  if (self->routes != NULL && state != KIOSK_REQUEST_SENDING && state != KIOSK_REQUEST_DELIVERED)
    kiosk_routes_queue_changed (self->routes);
  /* Counting is a query; coalesce bursts into one refresh. */
  if (self->status_idle == 0)
    self->status_idle = g_timeout_add_full (G_PRIORITY_LOW, 100, status_idle_cb, self, NULL);
}

static void
work_due_cb (KioskOutbox *outbox,
             KioskSync   *self)
{
  if (self->started && self->state != KIOSK_SYNC_PAUSED && !self->pausing)
    pump (self);
}

static void
network_changed_cb (GNetworkMonitor *monitor,
                    gboolean         available,
                    KioskSync       *self)
{
  gint64 now = kiosk_clock_get_now (self->clock);

  /* Only a hint: probe soon, not more often than every few seconds. */
  if (!self->started || self->state != KIOSK_SYNC_OFFLINE || self->probing || !available)
    return;
  if (now - self->last_probe >= PROBE_MIN_GAP_US)
    start_probe (self);
  else
    set_timer (self, self->last_probe + PROBE_MIN_GAP_US);
}

static void
kiosk_sync_dispose (GObject *object)
{
  KioskSync *self = (KioskSync *)object;

  kiosk_sync_stop (self);
  flush_outcomes (self);
  /* A batch the database refused twice is left to recovery. */
  if (self->outcome_timer_id != 0)
    kiosk_clock_remove_timeout (self->clock, self->outcome_timer_id);
  self->outcome_timer_id = 0;
  g_clear_handle_id (&self->status_idle, g_source_remove);
  if (self->outbox != NULL)
    {
      g_clear_signal_handler (&self->work_due_handler, self->outbox);
      g_clear_signal_handler (&self->changed_handler, self->outbox);
    }
  g_clear_object (&self->target);
  g_clear_pointer (&self->routes, kiosk_routes_free);
  g_clear_object (&self->outbox);
  g_clear_object (&self->clock);
  g_clear_object (&self->config);
  g_clear_object (&self->context);
  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (kiosk_sync_parent_class)->dispose (object);
}

static void
kiosk_sync_finalize (GObject *object)
{
  KioskSync *self = (KioskSync *)object;

  g_free (self->pause_reason);
  g_free (self->last_error);
  g_free (self->routing_problem);
  g_clear_pointer (&self->outcomes, g_array_unref);
  g_rand_free (self->rand);

  G_OBJECT_CLASS (kiosk_sync_parent_class)->finalize (object);
}

/* The queue's counts, its oldest request and the last delivery are read
 * by kiosk_sync_refresh_status(); a sync made before the kiosk's first
 * frame reads them when first asked. */
static void
ensure_status (KioskSync *self)
{
  if (self->status_unread)
    refresh_status (self);
}

static void
kiosk_sync_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  KioskSync *self = KIOSK_SYNC (object);

  switch (prop_id)
    {
    case PROP_STATE:
      g_value_set_enum (value, self->state);
      break;
    case PROP_PAUSE_REASON:
      g_value_set_string (value, self->pause_reason);
      break;
    case PROP_LAST_ERROR:
      g_value_set_string (value, self->last_error);
      break;
    case PROP_LAST_SUCCESS:
      ensure_status (self);
      g_value_set_int64 (value, self->last_success);
      break;
    case PROP_NEXT_ATTEMPT:
      ensure_status (self);
      g_value_set_int64 (value, self->next_attempt);
      break;
    case PROP_OLDEST_UNDELIVERED:
      ensure_status (self);
      g_value_set_int64 (value, self->oldest_undelivered);
      break;
    case PROP_ALERT:
      ensure_status (self);
      g_value_set_boolean (value, self->alert);
      break;
    case PROP_IN_FLIGHT:
      g_value_set_uint (value, self->in_flight);
      break;
    case PROP_N_QUEUED:
      ensure_status (self);
      g_value_set_uint (value, self->counts[KIOSK_REQUEST_QUEUED]);
      break;
    case PROP_N_SENDING:
      ensure_status (self);
      g_value_set_uint (value, self->counts[KIOSK_REQUEST_SENDING]);
      break;
    case PROP_N_REJECTED:
      ensure_status (self);
      g_value_set_uint (value, self->counts[KIOSK_REQUEST_REJECTED]);
      break;
    case PROP_N_DELIVERED:
      ensure_status (self);
      g_value_set_uint (value, self->counts[KIOSK_REQUEST_DELIVERED]);
      break;
    case PROP_CATALOG_AS_OF:
      g_value_set_int64 (value, self->catalog_as_of);
      break;
    case PROP_ROUTING_PROBLEM:
      g_value_set_string (value, self->routing_problem);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kiosk_sync_class_init (KioskSyncClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->dispose = kiosk_sync_dispose;
  object_class->finalize = kiosk_sync_finalize;
  object_class->get_property = kiosk_sync_get_property;

  properties[PROP_STATE] =
    g_param_spec_enum ("state", NULL, "online, offline, syncing or paused",
                       KIOSK_TYPE_SYNC_STATE, KIOSK_SYNC_OFFLINE, flags);
  properties[PROP_PAUSE_REASON] =
    g_param_spec_string ("pause-reason", NULL, "why the queue is paused, naming the config key", NULL, flags);
  properties[PROP_LAST_ERROR] =
    g_param_spec_string ("last-error", NULL, "the last delivery or probe failure", NULL, flags);
  properties[PROP_LAST_SUCCESS] =
    g_param_spec_int64 ("last-success", NULL, "µs of the last delivery, 0 for none", 0, G_MAXINT64, 0, flags);
  properties[PROP_NEXT_ATTEMPT] =
    g_param_spec_int64 ("next-attempt", NULL, "µs of the next attempt or probe, -1 for none", -1, G_MAXINT64, -1, flags);
  properties[PROP_OLDEST_UNDELIVERED] =
    g_param_spec_int64 ("oldest-undelivered", NULL, "creation µs of the oldest undelivered request, -1 for none",
                        -1, G_MAXINT64, -1, flags);
  properties[PROP_ALERT] =
    g_param_spec_boolean ("alert", NULL, "paused, or a request older than [backend] alert-age-hours is undelivered",
                          FALSE, flags);
  properties[PROP_IN_FLIGHT] =
    g_param_spec_uint ("in-flight", NULL, "requests being sent now", 0, G_MAXUINT, 0, flags);
  properties[PROP_N_QUEUED] = g_param_spec_uint ("n-queued", NULL, NULL, 0, G_MAXUINT, 0, flags);
  properties[PROP_N_SENDING] = g_param_spec_uint ("n-sending", NULL, NULL, 0, G_MAXUINT, 0, flags);
  properties[PROP_N_REJECTED] = g_param_spec_uint ("n-rejected", NULL, NULL, 0, G_MAXUINT, 0, flags);
  properties[PROP_N_DELIVERED] = g_param_spec_uint ("n-delivered", NULL, NULL, 0, G_MAXUINT, 0, flags);
  properties[PROP_CATALOG_AS_OF] =
    g_param_spec_int64 ("catalog-as-of", NULL, "µs when the active catalogue was imported, 0 for the bundled one",
                        0, G_MAXINT64, 0, flags);
  properties[PROP_ROUTING_PROBLEM] =
    g_param_spec_string ("routing-problem", NULL,
                         "services waiting for a target that cannot deliver, one line each, naming the config key",
                         NULL, flags);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * KioskSync::catalog-changed:
   *
   * A pulled catalogue was validated and is now the active one; reload it
   * with kiosk_catalog_load_active().
   */
  signals[CATALOG_CHANGED] = g_signal_new ("catalog-changed",
                                           G_TYPE_FROM_CLASS (klass),
                                           G_SIGNAL_RUN_LAST,
                                           0, NULL, NULL, NULL,
                                           G_TYPE_NONE, 0);
}

static void
kiosk_sync_init (KioskSync *self)
{
  self->state = KIOSK_SYNC_OFFLINE;
  self->next_attempt = -1;
  self->oldest_undelivered = -1;
  self->rand = g_rand_new ();
  self->cancellable = g_cancellable_new ();
  self->outcomes = outcome_array_new ();
}

static KioskSync *
sync_new (KioskContext *context,
          KioskTarget  *target,
          gboolean      read_status)
{
  KioskSync *self = g_object_new (KIOSK_TYPE_SYNC, NULL);

  self->context = g_object_ref (context);
  self->config = g_object_ref (kiosk_context_get_config (context));
  self->clock = g_object_ref (kiosk_context_get_clock (context));
  self->outbox = g_object_ref (kiosk_context_get_outbox (context));
  if (target != NULL)
    self->target = g_object_ref (target);

  self->changed_handler = g_signal_connect (self->outbox, "request-changed",
                                            G_CALLBACK (request_changed_cb), self);
  self->work_due_handler = g_signal_connect (self->outbox, "work-due", G_CALLBACK (work_due_cb), self);
  self->catalog_as_of = kiosk_catalog_get_active_imported (kiosk_context_get_store (context));
  self->status_unread = TRUE;
  if (read_status)
    refresh_status (self);

  return self;
}

/**
 * kiosk_sync_new_for_target:
 * @context: the kiosk
 * @target: (nullable): how requests leave; %NULL for our Submission API as
 *   configured in [backend]
 *
 * Returns: (transfer full): a stopped sync
 */
KioskSync *
kiosk_sync_new_for_target (KioskContext *context,
                           KioskTarget  *target)
{
  g_return_val_if_fail (KIOSK_IS_CONTEXT (context), NULL);
  g_return_val_if_fail (target == NULL || KIOSK_IS_TARGET (target), NULL);

  return sync_new (context, target, TRUE);
}

/**
 * kiosk_sync_new:
 * @context: the kiosk
 *
 * A sync through our Submission API as configured in [backend].  A
 * configuration it cannot use (no URL, unreadable token or CA file) does not
 * fail here: the sync starts paused with the reason.
 *
 * Returns: (transfer full): a stopped sync
 */
KioskSync *
kiosk_sync_new (KioskContext *context)
{
  KioskSync *self;

  g_return_val_if_fail (KIOSK_IS_CONTEXT (context), NULL);

  /* The status is read once, with the routing table there. */
  self = sync_new (context, NULL, FALSE);
  self->routes = kiosk_routes_new (context, KIOSK_SYNC_MAX_IN_FLIGHT);
  refresh_status (self);
  return self;
}

/**
 * kiosk_sync_new_routed_at_start:
 *
 * Like kiosk_sync_new(), but the routing table (which needs the whole
 * catalogue) is read at kiosk_sync_start(), not now: the kiosk's window
 * makes its sync before its first frame and starts it after.  The
 * queue's counts and times are read when first asked for, or at the
 * start: counting 100,000 requests is not for the first frame.
 *
 * Returns: (transfer full): a stopped sync
 */
KioskSync *
kiosk_sync_new_routed_at_start (KioskContext *context)
{
  KioskSync *self;

  g_return_val_if_fail (KIOSK_IS_CONTEXT (context), NULL);

  self = sync_new (context, NULL, FALSE);

  self->routes = kiosk_routes_new (context, KIOSK_SYNC_MAX_IN_FLIGHT);
  self->routes_at_start = TRUE;
  return self;
}

/**
 * kiosk_sync_start:
 *
 * Probes the backend and from then on delivers whatever falls due, until
 * kiosk_sync_stop().
 */
void
kiosk_sync_start (KioskSync *self)
{
  g_return_if_fail (KIOSK_IS_SYNC (self));

  if (self->started)
    return;
  self->started = TRUE;
  if (self->routes_at_start)
    refresh_status (self);
  /* The running kiosk erases answers past their retention (#12). */
  self->purge_timer = kiosk_purge_schedule (self->context);

  renew_cancellable (self);

  self->monitor = g_network_monitor_get_default ();
  if (self->monitor != NULL)
    self->monitor_handler = g_signal_connect (self->monitor, "network-changed",
                                              G_CALLBACK (network_changed_cb), self);

  if (self->state == KIOSK_SYNC_PAUSED)
    reschedule (self);
  else
    start_probe (self);
}

/**
 * kiosk_sync_stop:
 *
 * Cancels what is in flight (those requests go back to the queue as they
 * were) and stops the timers.
 */
void
kiosk_sync_stop (KioskSync *self)
{
  g_return_if_fail (KIOSK_IS_SYNC (self));

  if (self->monitor != NULL)
    {
      g_clear_signal_handler (&self->monitor_handler, self->monitor);
      self->monitor = NULL;
    }
  self->started = FALSE;
  if (self->purge_timer != 0)
    kiosk_purge_unschedule (self->context, self->purge_timer);
  self->purge_timer = 0;
  if (self->outbox != NULL)
    release_ready (self, "sync stopped");
  flush_outcomes (self);
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  if (self->timer_id != 0 && self->clock != NULL)
    kiosk_clock_remove_timeout (self->clock, self->timer_id);
  self->timer_id = 0;
}

/**
 * kiosk_sync_resume:
 *
 * Leaves the paused state, re-reading the configuration's token and CA file,
 * and probes the backend again.  Called after an admin fixed the
 * configuration, and on its own after the backoff cap.
 */
void
kiosk_sync_resume (KioskSync *self)
{
  g_return_if_fail (KIOSK_IS_SYNC (self));

  if (self->state != KIOSK_SYNC_PAUSED)
    return;
  if (self->own_target)
    g_clear_object (&self->target);
  if (self->routes != NULL)
    kiosk_routes_reset (self->routes);
  set_string (self, &self->pause_reason, NULL, PROP_PAUSE_REASON);
  set_state (self, KIOSK_SYNC_OFFLINE);
  start_probe (self);
}

/**
 * kiosk_sync_run_once_async:
 *
 * Probes the backend and delivers everything that is due now, then finishes.
 * Works on a started sync too (it then finishes when the queue has nothing
 * due left).  Fails with %KIOSK_SYNC_ERROR_OFFLINE or
 * %KIOSK_SYNC_ERROR_PAUSED when nothing could be sent.
 */
void
kiosk_sync_run_once_async (KioskSync           *self,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (KIOSK_IS_SYNC (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, kiosk_sync_run_once_async);

  renew_cancellable (self);

  self->once_tasks = g_list_append (self->once_tasks, g_steal_pointer (&task));
  if (self->state == KIOSK_SYNC_PAUSED)
    pump (self);
  else if (self->state == KIOSK_SYNC_OFFLINE || !self->started)
    {
      set_state (self, KIOSK_SYNC_OFFLINE);
      start_probe (self);
    }
  else
    pump (self);
}

gboolean
kiosk_sync_run_once_finish (KioskSync     *self,
                            GAsyncResult  *result,
                            GError       **error)
{
  g_return_val_if_fail (KIOSK_IS_SYNC (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/**
 * kiosk_sync_check_async:
 *
 * Probes the backend now and updates #KioskSync:state, sending nothing.
 * Finishes with %TRUE when it is reachable and usable.
 */
void
kiosk_sync_check_async (KioskSync           *self,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (KIOSK_IS_SYNC (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, kiosk_sync_check_async);
  renew_cancellable (self);
  self->check_tasks = g_list_append (self->check_tasks, g_steal_pointer (&task));
  if (self->state == KIOSK_SYNC_PAUSED)
    finish_check_tasks (self);
  else if (!self->probing)
    start_probe (self);
}

gboolean
kiosk_sync_check_finish (KioskSync     *self,
                         GAsyncResult  *result,
                         GError       **error)
{
  g_return_val_if_fail (KIOSK_IS_SYNC (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/**
 * kiosk_sync_refresh_status:
 *
 * Re-reads queue depths, the oldest undelivered request and the alert from
 * the database and notifies what changed.  Runs by itself after changes; call
 * it when something outside this process may have changed the queue.
 */
void
kiosk_sync_refresh_status (KioskSync *self)
{
  g_return_if_fail (KIOSK_IS_SYNC (self));

  /* Someone else may have changed the queue: the routing problems too. */
  if (self->routes != NULL)
    kiosk_routes_queue_changed (self->routes);
  refresh_status (self);
}

static void
refresh_status (KioskSync *self)
{
  guint counts[KIOSK_REQUEST_N_STATES];
  static const guint count_props[][2] = {
    { KIOSK_REQUEST_QUEUED, PROP_N_QUEUED },
    { KIOSK_REQUEST_SENDING, PROP_N_SENDING },
    { KIOSK_REQUEST_REJECTED, PROP_N_REJECTED },
    { KIOSK_REQUEST_DELIVERED, PROP_N_DELIVERED },
  };
  gint64 oldest;
  gint64 alert_age;
  gboolean alert;

  g_object_freeze_notify (G_OBJECT (self));

  if (self->status_unread)
    {
      self->status_unread = FALSE;
      set_int64 (self, &self->last_success, MAX (kiosk_outbox_get_last_delivered (self->outbox), 0),
                 PROP_LAST_SUCCESS);
    }

  /* The four states the properties show; kiosk_sync_get_counts() counts
   * the others when asked. */
  if (kiosk_outbox_count_active (self->outbox, counts, NULL))
    {
      for (guint i = 0; i < G_N_ELEMENTS (count_props); i++)
        if (self->counts[count_props[i][0]] != counts[count_props[i][0]])
          g_object_notify_by_pspec (G_OBJECT (self), properties[count_props[i][1]]);
      memcpy (self->counts, counts, sizeof counts);
    }

  oldest = kiosk_outbox_get_oldest_undelivered (self->outbox);
  set_int64 (self, &self->oldest_undelivered, oldest, PROP_OLDEST_UNDELIVERED);
  /* A sync that is not running has no timer of its own: the queue's next
   * due time is the best answer (for `sync status`). */
  if (!is_active (self))
    set_int64 (self, &self->next_attempt, get_next_due (self), PROP_NEXT_ATTEMPT);

  alert_age = (gint64) kiosk_config_get_alert_age_hours (self->config) * 3600 * G_USEC_PER_SEC;
  if (self->routes != NULL && (!self->routes_at_start || self->started))
    {
      g_autofree char *problem = NULL;

      kiosk_routes_refresh (self->routes);
      problem = kiosk_routes_dup_problems (self->routes);
      set_string (self, &self->routing_problem, problem, PROP_ROUTING_PROBLEM);
    }
  alert = self->state == KIOSK_SYNC_PAUSED || self->routing_problem != NULL ||
          (oldest >= 0 && kiosk_clock_get_now (self->clock) - oldest > alert_age);
  if (alert != self->alert)
    {
      self->alert = alert;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ALERT]);
    }

  g_object_thaw_notify (G_OBJECT (self));
}

KioskTarget *
kiosk_sync_get_target (KioskSync *self)
{
  g_return_val_if_fail (KIOSK_IS_SYNC (self), NULL);
  return self->target;
}

KioskSyncState
kiosk_sync_get_state (KioskSync *self)
{
  g_return_val_if_fail (KIOSK_IS_SYNC (self), KIOSK_SYNC_OFFLINE);
  return self->state;
}

const char *
kiosk_sync_get_pause_reason (KioskSync *self)
{
  g_return_val_if_fail (KIOSK_IS_SYNC (self), NULL);
  return self->pause_reason;
}

/**
 * kiosk_sync_get_routing_problem:
 *
 * Returns: (nullable): one line per target that cannot deliver while a
 *   service's requests wait for it, e.g. "service report-problem is delivered
 *   through Open311, but [open311] endpoint is not set"
 */
const char *
kiosk_sync_get_routing_problem (KioskSync *self)
{
  g_return_val_if_fail (KIOSK_IS_SYNC (self), NULL);
  return self->routing_problem;
}

const char *
kiosk_sync_get_last_error (KioskSync *self)
{
  g_return_val_if_fail (KIOSK_IS_SYNC (self), NULL);
  return self->last_error;
}

gint64
kiosk_sync_get_last_success (KioskSync *self)
{
  g_return_val_if_fail (KIOSK_IS_SYNC (self), 0);
  ensure_status (self);
  return self->last_success;
}

gint64
kiosk_sync_get_next_attempt (KioskSync *self)
{
  g_return_val_if_fail (KIOSK_IS_SYNC (self), -1);
  ensure_status (self);
  return self->next_attempt;
}

gint64
kiosk_sync_get_oldest_undelivered (KioskSync *self)
{
  g_return_val_if_fail (KIOSK_IS_SYNC (self), -1);
  ensure_status (self);
  return self->oldest_undelivered;
}

gboolean
kiosk_sync_get_alert (KioskSync *self)
{
  g_return_val_if_fail (KIOSK_IS_SYNC (self), FALSE);
  ensure_status (self);
  return self->alert;
}

guint
kiosk_sync_get_in_flight (KioskSync *self)
{
  g_return_val_if_fail (KIOSK_IS_SYNC (self), 0);
  return self->in_flight;
}

/**
 * kiosk_sync_get_counts:
 * @counts: (out caller-allocates): queue depth per #KioskRequestState
 *
 * Read when asked, every state (`sync status`); the properties follow
 * queued, sending, rejected and delivered only.
 */
void
kiosk_sync_get_counts (KioskSync *self,
                       guint      counts[KIOSK_REQUEST_N_STATES])
{
  g_return_if_fail (KIOSK_IS_SYNC (self));
  if (kiosk_outbox_count_by_state (self->outbox, counts, NULL))
    return;
  /* The database cannot be read now: what the last refresh saw. */
  ensure_status (self);
  memcpy (counts, self->counts, sizeof self->counts);
}

gint64
kiosk_sync_get_catalog_as_of (KioskSync *self)
{
  g_return_val_if_fail (KIOSK_IS_SYNC (self), 0);
  return self->catalog_as_of;
}

static void
catalog_fetched_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  KioskSync *self = g_task_get_source_object (task);
  KioskStore *store = kiosk_context_get_store (self->context);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GBytes) unwrapped = NULL;
  g_autofree char *etag = NULL;
  g_autofree char *source = NULL;
  g_autofree char *where = NULL;

  bytes = kiosk_submission_target_fetch_catalog_finish (KIOSK_SUBMISSION_TARGET (object), result, &etag, &error);
  if (error != NULL)
    {
      set_string (self, &self->last_error, error->message, PROP_LAST_ERROR);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (bytes == NULL)
    {
      /* 304: what we have is current. */
      g_task_return_boolean (task, TRUE);
      return;
    }

  where = kiosk_target_describe (KIOSK_TARGET (object));
  source = g_strdup_printf ("%s/v1/catalog", where);
  /* With [keys] catalog-public-key: a signed bundle only, never older
   * than the active catalogue (the rule of `catalog import`). */
  unwrapped = kiosk_catalog_bundle_unwrap (store, kiosk_config_get_catalog_public_key_file (self->config),
                                           bytes, source, &error);
  if (unwrapped == NULL || !kiosk_catalog_store_active (store, unwrapped, source, etag, &error))
    {
      gint64 as_of = kiosk_catalog_get_active_imported (store);
      g_autofree char *kept = NULL;
      g_autofree char *message = NULL;

      if (as_of > 0)
        {
          g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (as_of / G_USEC_PER_SEC);
          g_autofree char *text = g_date_time_format_iso8601 (utc);

          kept = g_strdup_printf ("the last good one (as of %s) stays active", text);
        }
      else
        kept = g_strdup ("the bundled one stays active");
      message = g_strdup_printf ("catalogue from %s refused, %s:\n%s", source, kept, error->message);
      set_string (self, &self->last_error, message, PROP_LAST_ERROR);
      g_task_return_new_error (task, KIOSK_SYNC_ERROR, KIOSK_SYNC_ERROR_CATALOG, "%s", message);
      return;
    }

  set_int64 (self, &self->catalog_as_of, kiosk_catalog_get_active_imported (store), PROP_CATALOG_AS_OF);
  g_object_set_data (G_OBJECT (task), "changed", GINT_TO_POINTER (TRUE));
  g_signal_emit (self, signals[CATALOG_CHANGED], 0);
  g_task_return_boolean (task, TRUE);
}

/**
 * kiosk_sync_pull_catalog_async:
 *
 * Fetches the catalogue from GET /v1/catalog with the active one's ETag as
 * If-None-Match.  A new one goes through the same validation as a local file
 * (kiosk_catalog_store_active()); a bad one is refused with every problem
 * listed (%KIOSK_SYNC_ERROR_CATALOG) and the last good one stays active.
 * #KioskSync:catalog-as-of says how old the active one is.
 */
void
kiosk_sync_pull_catalog_async (KioskSync           *self,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autofree char *etag = NULL;
  KioskTarget *target;

  g_return_if_fail (KIOSK_IS_SYNC (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, kiosk_sync_pull_catalog_async);

  if (self->target == NULL && !ensure_target (self))
    {
      g_task_return_new_error (task, KIOSK_SYNC_ERROR, KIOSK_SYNC_ERROR_PAUSED, "%s", self->pause_reason);
      return;
    }
  target = self->target;
  if (self->routes != NULL && !KIOSK_IS_SUBMISSION_TARGET (self->target) &&
      kiosk_routes_get_target (self->routes, KIOSK_TARGET_SUBMISSION) != NULL)
    target = kiosk_routes_get_target (self->routes, KIOSK_TARGET_SUBMISSION);
  if (!KIOSK_IS_SUBMISSION_TARGET (target))
    {
      g_task_return_new_error (task, KIOSK_SYNC_ERROR, KIOSK_SYNC_ERROR_UNSUPPORTED,
                               "the configured target has no catalogue to pull");
      return;
    }

  self->last_catalog_pull = kiosk_clock_get_now (self->clock);
  etag = kiosk_catalog_dup_active_etag (kiosk_context_get_store (self->context));
  kiosk_submission_target_fetch_catalog_async (KIOSK_SUBMISSION_TARGET (target), etag,
                                               cancellable, catalog_fetched_cb, g_steal_pointer (&task));
}

gboolean
kiosk_sync_pull_catalog_finish (KioskSync     *self,
                                GAsyncResult  *result,
                                gboolean      *out_changed,
                                GError       **error)
{
  g_return_val_if_fail (KIOSK_IS_SYNC (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  if (out_changed != NULL)
    *out_changed = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (result), "changed"));
  return g_task_propagate_boolean (G_TASK (result), error);
}

guint
_kiosk_sync_get_wakeups (KioskSync *self)
{
  return self->wakeups;
}

gboolean
_kiosk_sync_is_idle (KioskSync *self)
{
  return self->in_flight == 0 && !self->probing;
}

void
_kiosk_sync_set_seed (KioskSync *self,
                      guint32    seed)
{
  g_rand_set_seed (self->rand, seed);
}

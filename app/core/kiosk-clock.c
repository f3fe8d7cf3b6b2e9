/* kiosk-clock.c
 *
 * SPDX-FileCopyrightText: 2026 Stadtkiosk contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "kiosk-core"

#include "config.h"

#include "kiosk-clock.h"

/* A clock that the whole core asks for "now" and for timers, so that tests can
 * drive days of backoff or an idle timeout in microseconds.  The system clock
 * maps timers to GSources on the thread-default main context; the fake clock
 * keeps them in a list and fires those that fall due when it is advanced.
 */

typedef struct
{
  guint          id;
  gint64         due_us;       /* fake time at which the timer fires next */
  guint          interval_ms;
  GSourceFunc    func;
  gpointer       user_data;
  GDestroyNotify destroy;
} FakeTimer;

struct _KioskClock
{
  GObject  parent_instance;

  gboolean fake;
  gint64   fake_now_us;
  GList   *fake_timers;        /* FakeTimer*, unordered */
  guint    next_fake_id;
  GHashTable *system_timers;   /* source id -> SystemTimer*, destroyed on finalize */
};

G_DEFINE_FINAL_TYPE (KioskClock, kiosk_clock, G_TYPE_OBJECT)

enum {
  ADVANCED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* A real GSource's bookkeeping, so that the clock can destroy what is left of
 * its timers when it goes away, and ids of timers that already ran are not
 * removed twice. */
typedef struct
{
  KioskClock     *clock;       /* unowned; cleared when the clock finalizes */
  guint           id;
  GSourceFunc     func;
  gpointer        user_data;
  GDestroyNotify  destroy;
} SystemTimer;

static gboolean
system_timer_fired_cb (gpointer data)
{
  SystemTimer *timer = data;

  return timer->func (timer->user_data);
}

static void
system_timer_destroyed_cb (gpointer data)
{
  SystemTimer *timer = data;

  if (timer->clock != NULL)
    g_hash_table_remove (timer->clock->system_timers, GUINT_TO_POINTER (timer->id));
  if (timer->destroy != NULL)
    timer->destroy (timer->user_data);
  g_free (timer);
}

static void
fake_timer_free (FakeTimer *timer)
{
  if (timer->destroy != NULL)
    timer->destroy (timer->user_data);
  g_free (timer);
}

static void
kiosk_clock_finalize (GObject *object)
{
  KioskClock *self = (KioskClock *)object;

  g_list_free_full (self->fake_timers, (GDestroyNotify) fake_timer_free);
  {
    GHashTableIter iter;
    gpointer key, value;
    g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (guint));

    g_hash_table_iter_init (&iter, self->system_timers);
    while (g_hash_table_iter_next (&iter, &key, &value))
      {
        SystemTimer *timer = value;
        guint id = GPOINTER_TO_UINT (key);

        timer->clock = NULL;
        g_array_append_val (ids, id);
      }
    g_hash_table_steal_all (self->system_timers);
    for (guint i = 0; i < ids->len; i++)
      g_source_remove (g_array_index (ids, guint, i));
    g_hash_table_unref (self->system_timers);
  }

  G_OBJECT_CLASS (kiosk_clock_parent_class)->finalize (object);
}

static void
kiosk_clock_class_init (KioskClockClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = kiosk_clock_finalize;

  /**
   * KioskClock::advanced:
   *
   * Emitted after a fake clock moved forward and fired its due timers.
   */
  signals[ADVANCED] = g_signal_new ("advanced",
                                    G_TYPE_FROM_CLASS (klass),
                                    G_SIGNAL_RUN_LAST,
                                    0, NULL, NULL, NULL,
                                    G_TYPE_NONE, 0);
}

static void
kiosk_clock_init (KioskClock *self)
{
  self->system_timers = g_hash_table_new (NULL, NULL);
  self->next_fake_id = 1;
}

/**
 * kiosk_clock_new_system:
 *
 * Returns: (transfer full): a clock that reads the real time.
 */
KioskClock *
kiosk_clock_new_system (void)
{
  return g_object_new (KIOSK_TYPE_CLOCK, NULL);
}

/**
 * kiosk_clock_new_fake:
 * @start_unix_us: the wall-clock time it starts at, in µs since the epoch
 *
 * Returns: (transfer full): a clock that only moves on kiosk_clock_advance().
 */
KioskClock *
kiosk_clock_new_fake (gint64 start_unix_us)
{
  KioskClock *self = g_object_new (KIOSK_TYPE_CLOCK, NULL);

  self->fake = TRUE;
  self->fake_now_us = start_unix_us;

  return self;
}

gboolean
kiosk_clock_is_fake (KioskClock *self)
{
  g_return_val_if_fail (KIOSK_IS_CLOCK (self), FALSE);

  return self->fake;
}

/**
 * kiosk_clock_get_now:
 *
 * Returns: the wall-clock time in microseconds since the Unix epoch.
 */
gint64
kiosk_clock_get_now (KioskClock *self)
{
  g_return_val_if_fail (KIOSK_IS_CLOCK (self), 0);

  if (self->fake)
    return self->fake_now_us;

  return g_get_real_time ();
}

/**
 * kiosk_clock_dup_now_local:
 *
 * Returns: (transfer full): now, in the local time zone.
 */
GDateTime *
kiosk_clock_dup_now_local (KioskClock *self)
{
  g_autoptr(GDateTime) utc = NULL;

  g_return_val_if_fail (KIOSK_IS_CLOCK (self), NULL);

  utc = g_date_time_new_from_unix_utc (kiosk_clock_get_now (self) / G_USEC_PER_SEC);

  return g_date_time_to_local (utc);
}

static gint
compare_due (gconstpointer a,
             gconstpointer b)
{
  const FakeTimer *ta = a;
  const FakeTimer *tb = b;

  if (ta->due_us != tb->due_us)
    return ta->due_us < tb->due_us ? -1 : 1;
  return (gint) ta->id - (gint) tb->id;
}

/**
 * kiosk_clock_advance:
 * @us: how far to move, in microseconds
 *
 * Moves a fake clock forward, firing every timer that falls due on the way,
 * in order of due time; a timer that returns %G_SOURCE_CONTINUE fires again
 * one interval later, as a GSource would.
 */
void
kiosk_clock_advance (KioskClock *self,
                     gint64      us)
{
  gint64 target;

  g_return_if_fail (KIOSK_IS_CLOCK (self));
  g_return_if_fail (self->fake);
  g_return_if_fail (us >= 0);

  target = self->fake_now_us + us;

  for (;;)
    {
      FakeTimer *timer;
      gboolean again;

      self->fake_timers = g_list_sort (self->fake_timers, compare_due);
      if (self->fake_timers == NULL)
        break;
      timer = self->fake_timers->data;
      if (timer->due_us > target)
        break;

      self->fake_now_us = MAX (self->fake_now_us, timer->due_us);
      again = timer->func (timer->user_data);

      /* The callback may have removed the timer itself. */
      if (g_list_find (self->fake_timers, timer) == NULL)
        continue;
      if (again)
        {
          timer->due_us = self->fake_now_us + (gint64) MAX (timer->interval_ms, 1) * 1000;
        }
      else
        {
          self->fake_timers = g_list_remove (self->fake_timers, timer);
          fake_timer_free (timer);
        }
    }

  self->fake_now_us = target;
  g_signal_emit (self, signals[ADVANCED], 0);
}

/**
 * kiosk_clock_add_timeout:
 *
 * Like g_timeout_add_full() but on this clock's time.
 *
 * Returns: an id for kiosk_clock_remove_timeout()
 */
guint
kiosk_clock_add_timeout (KioskClock     *self,
                         guint           interval_ms,
                         GSourceFunc     func,
                         gpointer        user_data,
                         GDestroyNotify  destroy)
{
  g_return_val_if_fail (KIOSK_IS_CLOCK (self), 0);
  g_return_val_if_fail (func != NULL, 0);

  if (self->fake)
    {
      FakeTimer *timer = g_new0 (FakeTimer, 1);

      timer->id = self->next_fake_id++;
      timer->due_us = self->fake_now_us + (gint64) interval_ms * 1000;
      timer->interval_ms = interval_ms;
      timer->func = func;
      timer->user_data = user_data;
      timer->destroy = destroy;
      self->fake_timers = g_list_prepend (self->fake_timers, timer);

      return timer->id;
    }
  else
    {
      SystemTimer *timer = g_new0 (SystemTimer, 1);

      timer->clock = self;
      timer->func = func;
      timer->user_data = user_data;
      timer->destroy = destroy;
      timer->id = g_timeout_add_full (G_PRIORITY_DEFAULT, interval_ms,
                                      system_timer_fired_cb, timer,
                                      system_timer_destroyed_cb);
      g_hash_table_insert (self->system_timers, GUINT_TO_POINTER (timer->id), timer);

      return timer->id;
    }
}

void
kiosk_clock_remove_timeout (KioskClock *self,
                            guint       id)
{
  g_return_if_fail (KIOSK_IS_CLOCK (self));

  if (id == 0)
    return;

  if (self->fake)
    {
      for (GList *l = self->fake_timers; l != NULL; l = l->next)
        {
          FakeTimer *timer = l->data;

          if (timer->id == id)
            {
              self->fake_timers = g_list_delete_link (self->fake_timers, l);
              fake_timer_free (timer);
              return;
            }
        }
    }
  else
    {
      /* A timer that already ran to completion is no longer in the table. */
      if (g_hash_table_contains (self->system_timers, GUINT_TO_POINTER (id)))
        g_source_remove (id);
    }
}

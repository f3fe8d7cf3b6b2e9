/* kiosk-info-background.c
 *
 * SPDX-FileCopyrightText: 2026 Stadtkiosk contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "kiosk-info"

#include "config.h"

#include "kiosk-info-background.h"

#include "kiosk-info.h"

/* The info cards are fetched a minute after the start and then every 30
 * minutes, so that the cache is fresh before anyone opens the page.
 *
 * The timer is a tick a minute on a KioskClock: the window gives it a
 * system clock (real time, whatever a test does to the kiosk's own clock),
 * a test a fake one.  Pulls are due by counting ticks, not by reading the
 * clock's time, so that a wall clock set back (NTP at boot) delays nothing.
 * A tick while a pull still runs is skipped; the catalogue's cards are read
 * at each pull, so a catalogue pulled meanwhile is fetched for.
 */

struct _KioskInfoBackground
{
  GObject       parent_instance;

  KioskContext *context;
  KioskSession *session;        /* its catalogue names the cards */
  KioskClock   *timer_clock;
  guint         timer_id;       /* on timer_clock; 0 when stopped */
  guint64       ticks;          /* since the start */
  guint64       last_pull;      /* the tick of the last pull; 0 for none yet */
  gboolean      running;
  guint         n_started;
  guint         n_done;
};

G_DEFINE_FINAL_TYPE (KioskInfoBackground, kiosk_info_background, G_TYPE_OBJECT)

static void
pulled_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(KioskInfoBackground) self = user_data;
  g_autoptr(GPtrArray) results = kiosk_info_pull_finish (result, NULL);
  guint failed = 0;

  self->running = FALSE;
  self->n_done++;
  for (guint i = 0; results != NULL && i < results->len; i++)
    if (!((KioskInfoPullResult *) results->pdata[i])->ok)
      failed++;
  g_debug ("background pull done, %u of %u failed (copies kept)", failed, results != NULL ? results->len : 0);
}

static gboolean
tick_cb (gpointer user_data)
{
  KioskInfoBackground *self = user_data;
  KioskInfoPullOptions options;
  GPtrArray *cards;

  self->ticks++;
  if (self->running || (self->last_pull != 0 && self->ticks - self->last_pull < KIOSK_INFO_BACKGROUND_EVERY))
    return G_SOURCE_CONTINUE;
  cards = kiosk_catalog_get_info_cards (kiosk_session_get_catalog (self->session));
  if (cards->len == 0)
    return G_SOURCE_CONTINUE;
  self->last_pull = self->ticks;
  self->running = TRUE;
  self->n_started++;
  kiosk_info_pull_options_init (&options, kiosk_context_get_config (self->context));
  kiosk_info_pull_async (kiosk_context_get_store (self->context), kiosk_context_get_clock (self->context), cards,
                         &options, NULL, pulled_cb, g_object_ref (self));
  return G_SOURCE_CONTINUE;
}

static void
kiosk_info_background_dispose (GObject *object)
{
  KioskInfoBackground *self = (KioskInfoBackground *)object;

  kiosk_info_background_stop (self);
  g_clear_object (&self->session);
  g_clear_object (&self->context);
  g_clear_object (&self->timer_clock);

  G_OBJECT_CLASS (kiosk_info_background_parent_class)->dispose (object);
}

static void
kiosk_info_background_class_init (KioskInfoBackgroundClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = kiosk_info_background_dispose;
}

static void
kiosk_info_background_init (KioskInfoBackground *self)
{
}

/**
 * kiosk_info_background_new:
 * @context: the kiosk's context (store, config, and the clock the cache's
 *   times are read from)
 * @session: the citizen session, whose catalogue names the cards
 * @timer_clock: the clock the ticks run on
 *
 * Returns: (transfer full): the background pulls, not started yet
 */
KioskInfoBackground *
kiosk_info_background_new (KioskContext *context,
                           KioskSession *session,
                           KioskClock   *timer_clock)
{
  KioskInfoBackground *self;

  g_return_val_if_fail (KIOSK_IS_CONTEXT (context), NULL);
  g_return_val_if_fail (KIOSK_IS_SESSION (session), NULL);
  g_return_val_if_fail (KIOSK_IS_CLOCK (timer_clock), NULL);

  self = g_object_new (KIOSK_TYPE_INFO_BACKGROUND, NULL);
  self->context = g_object_ref (context);
  self->session = g_object_ref (session);
  self->timer_clock = g_object_ref (timer_clock);
  return self;
}

/**
 * kiosk_info_background_start:
 *
 * Starts the ticks.  The timer holds a reference on @self until
 * kiosk_info_background_stop() or the timer's removal from its clock.
 *
 * Returns: the timer's id on the timer clock (for a system clock, a
 *   GSource id)
 */
guint
kiosk_info_background_start (KioskInfoBackground *self)
{
  g_return_val_if_fail (KIOSK_IS_INFO_BACKGROUND (self), 0);
  g_return_val_if_fail (self->timer_id == 0, self->timer_id);

  self->timer_id = kiosk_clock_add_timeout (self->timer_clock, KIOSK_INFO_BACKGROUND_TICK_S * 1000, tick_cb,
                                            g_object_ref (self), g_object_unref);
  return self->timer_id;
}

/**
 * kiosk_info_background_stop:
 *
 * Stops the ticks; a pull in flight finishes.
 */
void
kiosk_info_background_stop (KioskInfoBackground *self)
{
  guint id;

  g_return_if_fail (KIOSK_IS_INFO_BACKGROUND (self));

  id = self->timer_id;
  self->timer_id = 0;
  if (id != 0 && self->timer_clock != NULL)
    {
      g_object_ref (self);
      kiosk_clock_remove_timeout (self->timer_clock, id);
      g_object_unref (self);
    }
}

/* How many pulls were started and have finished: for tests. */
guint
kiosk_info_background_get_n_started (KioskInfoBackground *self)
{
  g_return_val_if_fail (KIOSK_IS_INFO_BACKGROUND (self), 0);
  return self->n_started;
}

guint
kiosk_info_background_get_n_done (KioskInfoBackground *self)
{
  g_return_val_if_fail (KIOSK_IS_INFO_BACKGROUND (self), 0);
  return self->n_done;
}

/* kiosk-idle.c
 *
 * SPDX-FileCopyrightText: 2026 Stadtkiosk contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "stadtkiosk"

#include "config.h"

#include "kiosk-idle-private.h"

/* Watches for a citizen who walked away.  After @timeout_s seconds without
 * input it raises "warning" (the "Are you still there?" countdown, WCAG
 * 2.2.1), and @warning_s seconds later "expired" (the session reset).  Any
 * input resets it.  It runs on a KioskClock so that tests drive it with a
 * fake clock: one timer ticks each second while a session is running, and
 * an input only stores the time, so a stream of motion events costs
 * nothing. */

struct _KioskIdle
{
  GObject     parent_instance;

  KioskClock *clock;
  guint       timeout_s;
  guint       warning_s;
  guint       tick_id;         /* clock timer while running, else 0 */
  gint64      last_input_us;   /* clock time of the last input */
  gboolean    warning;
  guint       remaining;       /* seconds left while warning */
  GtkMediaStream *cue;         /* the sound as the warning begins; made on first use */
  guint       cues_played;     /* for tests */
};

enum {
  PROP_0,
  PROP_RUNNING,
  PROP_WARNING,
  PROP_REMAINING,
  N_PROPS,
};

enum {
  EXPIRED,
  N_SIGNALS,
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (KioskIdle, kiosk_idle, G_TYPE_OBJECT)

/* A sound as the warning begins, for a person who has turned away from
 * the screen.  Without a media backend or a sound device GTK only records
 * an error on the stream; the warning on the screen is the same. */
static void
play_cue (KioskIdle *self)
{
  if (self->cue == NULL)
    self->cue = gtk_media_file_new_for_resource ("/de/hildesheim/Stadtkiosk/sounds/idle-warning.wav");
  if (gtk_media_stream_get_error (self->cue) == NULL)
    {
      gtk_media_stream_seek (self->cue, 0);
      gtk_media_stream_play (self->cue);
    }
  self->cues_played++;
}

static void
set_warning (KioskIdle *self,
             gboolean   warning,
             guint      remaining)
{
  if (warning && !self->warning)
    play_cue (self);

  if (self->remaining != remaining)
    {
      self->remaining = remaining;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_REMAINING]);
    }
  if (self->warning != warning)
    {
      self->warning = warning;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_WARNING]);
    }
}

static gboolean
tick_cb (gpointer user_data)
{
  KioskIdle *self = user_data;
  gint64 idle_s = (kiosk_clock_get_now (self->clock) - self->last_input_us) / G_USEC_PER_SEC;
  gint64 total = (gint64) self->timeout_s + self->warning_s;

  if (idle_s >= total)
    {
      g_object_ref (self);
      self->tick_id = 0;
      set_warning (self, FALSE, 0);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RUNNING]);
      g_signal_emit (self, signals[EXPIRED], 0);
      g_object_unref (self);
      return G_SOURCE_REMOVE;
    }
  if (idle_s >= self->timeout_s)
    set_warning (self, TRUE, (guint) (total - idle_s));
  else
    set_warning (self, FALSE, 0);

  return G_SOURCE_CONTINUE;
}

static gboolean
input_cb (GtkEventControllerLegacy *controller,
          GdkEvent                 *event,
          KioskIdle                *self)
{
  switch (gdk_event_get_event_type (event))
    {
    case GDK_MOTION_NOTIFY:
    case GDK_BUTTON_PRESS:
    case GDK_BUTTON_RELEASE:
    case GDK_KEY_PRESS:
    case GDK_KEY_RELEASE:
    case GDK_SCROLL:
    case GDK_TOUCH_BEGIN:
    case GDK_TOUCH_UPDATE:
    case GDK_TOUCH_END:
    case GDK_TOUCHPAD_SWIPE:
    case GDK_TOUCHPAD_PINCH:
      kiosk_idle_poke (self);
      break;
    case GDK_DELETE:
    case GDK_ENTER_NOTIFY:
    case GDK_LEAVE_NOTIFY:
    case GDK_FOCUS_CHANGE:
    case GDK_PROXIMITY_IN:
    case GDK_PROXIMITY_OUT:
    case GDK_DRAG_ENTER:
    case GDK_DRAG_LEAVE:
    case GDK_DRAG_MOTION:
    case GDK_DROP_START:
    case GDK_PAD_BUTTON_PRESS:
    case GDK_PAD_BUTTON_RELEASE:
    case GDK_PAD_RING:
    case GDK_PAD_STRIP:
    case GDK_PAD_GROUP_MODE:
    case GDK_GRAB_BROKEN:
    case GDK_TOUCH_CANCEL:
    case GDK_TOUCHPAD_HOLD:
    case GDK_EVENT_LAST:
    default:
      break;
    }
  return GDK_EVENT_PROPAGATE;
}

static void
kiosk_idle_dispose (GObject *object)
{
  KioskIdle *self = (KioskIdle *)object;

  if (self->clock != NULL && self->tick_id != 0)
    kiosk_clock_remove_timeout (self->clock, self->tick_id);
  self->tick_id = 0;
  g_clear_object (&self->clock);
  if (self->cue != NULL)
    gtk_media_stream_pause (self->cue);
  g_clear_object (&self->cue);

  G_OBJECT_CLASS (kiosk_idle_parent_class)->dispose (object);
}

static void
kiosk_idle_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  KioskIdle *self = KIOSK_IDLE (object);

  switch (prop_id)
    {
    case PROP_RUNNING:
      g_value_set_boolean (value, self->tick_id != 0);
      break;
    case PROP_WARNING:
      g_value_set_boolean (value, self->warning);
      break;
    case PROP_REMAINING:
      g_value_set_uint (value, self->remaining);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kiosk_idle_class_init (KioskIdleClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = kiosk_idle_dispose;
  object_class->get_property = kiosk_idle_get_property;

  properties[PROP_RUNNING] =
    g_param_spec_boolean ("running", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_WARNING] =
    g_param_spec_boolean ("warning", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_REMAINING] =
    g_param_spec_uint ("remaining", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * KioskIdle::expired:
   *
   * Nobody touched the kiosk for the timeout plus the warning: end the session.
   */
  signals[EXPIRED] = g_signal_new ("expired",
                                   G_TYPE_FROM_CLASS (klass),
                                   G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL,
                                   G_TYPE_NONE, 0);
}

static void
kiosk_idle_init (KioskIdle *self)
{
}

KioskIdle *
kiosk_idle_new (KioskClock *clock,
                guint       timeout_s,
                guint       warning_s)
{
  KioskIdle *self;

  g_return_val_if_fail (KIOSK_IS_CLOCK (clock), NULL);
  g_return_val_if_fail (timeout_s > 0, NULL);

  self = g_object_new (KIOSK_TYPE_IDLE, NULL);
  self->clock = g_object_ref (clock);
  self->timeout_s = timeout_s;
  self->warning_s = warning_s;

  return self;
}

/**
 * kiosk_idle_attach:
 * @widget: usually the window
 *
 * Counts every pointer, touch and key event that reaches @widget as input.
 * The controller runs in the capture phase, so no child can swallow an
 * event before the watcher sees it.
 */
void
kiosk_idle_attach (KioskIdle *self,
                   GtkWidget *widget)
{
  GtkEventController *controller;

  g_return_if_fail (KIOSK_IS_IDLE (self));
  g_return_if_fail (GTK_IS_WIDGET (widget));

  controller = gtk_event_controller_legacy_new ();
  gtk_event_controller_set_propagation_phase (controller, GTK_PHASE_CAPTURE);
  g_signal_connect_object (controller, "event", G_CALLBACK (input_cb), self, 0);
  gtk_widget_add_controller (widget, controller);
}

void
kiosk_idle_start (KioskIdle *self)
{
  g_return_if_fail (KIOSK_IS_IDLE (self));

  self->last_input_us = kiosk_clock_get_now (self->clock);
  set_warning (self, FALSE, 0);
  if (self->tick_id != 0)
    return;
  self->tick_id = kiosk_clock_add_timeout (self->clock, 1000, tick_cb, self, NULL);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RUNNING]);
}

void
kiosk_idle_stop (KioskIdle *self)
{
  g_return_if_fail (KIOSK_IS_IDLE (self));

  set_warning (self, FALSE, 0);
  if (self->tick_id == 0)
    return;
  kiosk_clock_remove_timeout (self->clock, self->tick_id);
  self->tick_id = 0;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RUNNING]);
}

/**
 * kiosk_idle_poke:
 *
 * Someone is there: start counting again and drop a warning.
 */
void
kiosk_idle_poke (KioskIdle *self)
{
  g_return_if_fail (KIOSK_IS_IDLE (self));

  self->last_input_us = kiosk_clock_get_now (self->clock);
  if (self->warning)
    set_warning (self, FALSE, 0);
}

gboolean
kiosk_idle_get_running (KioskIdle *self)
{
  g_return_val_if_fail (KIOSK_IS_IDLE (self), FALSE);
  return self->tick_id != 0;
}

gboolean
kiosk_idle_get_warning (KioskIdle *self)
{
  g_return_val_if_fail (KIOSK_IS_IDLE (self), FALSE);
  return self->warning;
}

guint
kiosk_idle_get_remaining (KioskIdle *self)
{
  g_return_val_if_fail (KIOSK_IS_IDLE (self), 0);
  return self->remaining;
}

/* For tests: how often the warning's sound was started. */
guint
_kiosk_idle_get_cues_played (KioskIdle *self)
{
  g_return_val_if_fail (KIOSK_IS_IDLE (self), 0);
  return self->cues_played;
}

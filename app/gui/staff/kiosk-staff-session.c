/* kiosk-staff-session.c
 *
 * SPDX-FileCopyrightText: 2026 Stadtkiosk contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "stadtkiosk-staff"

#include "config.h"

#include "kiosk-staff-session.h"

/* Who is unlocked, and for how long.  A staff session ends like a citizen's
 * does: on "log out", and after [session] staff-idle-timeout seconds without
 * a touch or a key.  The timer runs on the context's KioskClock so that
 * tests move time by hand.  Every begin and end goes to the audit log. */

struct _KioskStaffSession
{
  GObject       parent_instance;

  KioskContext *context;
  KioskRole     role;
  gint64        last_activity_us;
  guint         timer_id;
  guint         timeout_s;
};

enum {
  PROP_0,
  PROP_ROLE,
  PROP_REMAINING,
  N_PROPS,
};

enum {
  ENDED,
  N_SIGNALS,
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (KioskStaffSession, kiosk_staff_session, G_TYPE_OBJECT)

static void
stop_timer (KioskStaffSession *self)
{
  if (self->timer_id != 0)
    {
      kiosk_clock_remove_timeout (kiosk_context_get_clock (self->context), self->timer_id);
      self->timer_id = 0;
    }
}

static gboolean
tick_cb (gpointer user_data)
{
  KioskStaffSession *self = user_data;

  if (self->role == KIOSK_ROLE_NONE)
    {
      self->timer_id = 0;
      return G_SOURCE_REMOVE;
    }
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_REMAINING]);
  if (self->timeout_s > 0 && kiosk_staff_session_get_remaining (self) == 0)
    {
      self->timer_id = 0;
      kiosk_staff_session_end (self, "idle");
      return G_SOURCE_REMOVE;
    }
  return G_SOURCE_CONTINUE;
}

static void
activity_cb (KioskStaffSession *self)
{
  kiosk_staff_session_poke (self);
}

static gboolean
key_pressed_cb (GtkEventControllerKey *controller,
                guint                  keyval,
                guint                  keycode,
                GdkModifierType        state,
                KioskStaffSession     *self)
{
  kiosk_staff_session_poke (self);
  return GDK_EVENT_PROPAGATE;
}

static void
kiosk_staff_session_dispose (GObject *object)
{
  KioskStaffSession *self = (KioskStaffSession *) object;

  if (self->context != NULL)
    stop_timer (self);
  g_clear_object (&self->context);

  G_OBJECT_CLASS (kiosk_staff_session_parent_class)->dispose (object);
}

static void
kiosk_staff_session_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  KioskStaffSession *self = KIOSK_STAFF_SESSION (object);

  switch (prop_id)
    {
    case PROP_ROLE:
      g_value_set_int (value, self->role);
      break;
    case PROP_REMAINING:
      g_value_set_uint (value, kiosk_staff_session_get_remaining (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kiosk_staff_session_class_init (KioskStaffSessionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = kiosk_staff_session_dispose;
  object_class->get_property = kiosk_staff_session_get_property;

  properties[PROP_ROLE] =
    g_param_spec_int ("role", NULL, NULL, KIOSK_ROLE_NONE, KIOSK_ROLE_ADMIN, KIOSK_ROLE_NONE,
                      G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_REMAINING] =
    g_param_spec_uint ("remaining", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * KioskStaffSession::ended:
   * @why: "logout", "idle" or another word the caller gave
   *
   * The staff screens must close now.
   */
  signals[ENDED] = g_signal_new ("ended", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                 NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
}

static void
kiosk_staff_session_init (KioskStaffSession *self)
{
}

KioskStaffSession *
kiosk_staff_session_new (KioskContext *context)
{
  KioskStaffSession *self;

  g_return_val_if_fail (KIOSK_IS_CONTEXT (context), NULL);

  self = g_object_new (KIOSK_TYPE_STAFF_SESSION, NULL);
  self->context = g_object_ref (context);
  self->timeout_s = kiosk_config_get_staff_idle_timeout (kiosk_context_get_config (context));
  return self;
}

KioskContext *
kiosk_staff_session_get_context (KioskStaffSession *self)
{
  g_return_val_if_fail (KIOSK_IS_STAFF_SESSION (self), NULL);
  return self->context;
}

/**
 * kiosk_staff_session_begin:
 *
 * A PIN was accepted for @role: starts the idle timer and logs the unlock.
 */
void
kiosk_staff_session_begin (KioskStaffSession *self,
                           KioskRole          role)
{
  g_return_if_fail (KIOSK_IS_STAFF_SESSION (self));
  g_return_if_fail (role == KIOSK_ROLE_CLERK || role == KIOSK_ROLE_ADMIN);

  if (self->role != KIOSK_ROLE_NONE)
    kiosk_staff_session_end (self, "switched");

  self->role = role;
  self->last_activity_us = kiosk_clock_get_now (kiosk_context_get_clock (self->context));
  kiosk_context_audit (self->context, kiosk_role_to_string (role), "unlock", NULL);
  stop_timer (self);
  if (self->timeout_s > 0)
    self->timer_id = kiosk_clock_add_timeout (kiosk_context_get_clock (self->context), 1000,
                                            tick_cb, self, NULL);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ROLE]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_REMAINING]);
}

/**
 * kiosk_staff_session_end:
 * @why: why it ended, for the audit log ("logout", "idle")
 */
void
kiosk_staff_session_end (KioskStaffSession *self,
                         const char        *why)
{
  KioskRole role;

  g_return_if_fail (KIOSK_IS_STAFF_SESSION (self));

  if (self->role == KIOSK_ROLE_NONE)
    return;
  role = self->role;
  self->role = KIOSK_ROLE_NONE;
  stop_timer (self);
  kiosk_context_audit (self->context, kiosk_role_to_string (role), "lock", why);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ROLE]);
  g_signal_emit (self, signals[ENDED], 0, why);
}

void
kiosk_staff_session_poke (KioskStaffSession *self)
{
  g_return_if_fail (KIOSK_IS_STAFF_SESSION (self));

  if (self->role == KIOSK_ROLE_NONE)
    return;
  self->last_activity_us = kiosk_clock_get_now (kiosk_context_get_clock (self->context));
}

/**
 * kiosk_staff_session_attach:
 *
 * Any key, click or touch inside @widget counts as activity.
 */
void
kiosk_staff_session_attach (KioskStaffSession *self,
                            GtkWidget         *widget)
{
  GtkEventController *key = gtk_event_controller_key_new ();
  GtkGesture *click = gtk_gesture_click_new ();

  g_return_if_fail (KIOSK_IS_STAFF_SESSION (self));

  gtk_event_controller_set_propagation_phase (key, GTK_PHASE_CAPTURE);
  g_signal_connect_object (key, "key-pressed", G_CALLBACK (key_pressed_cb), self, 0);
  gtk_widget_add_controller (widget, key);

  gtk_event_controller_set_propagation_phase (GTK_EVENT_CONTROLLER (click), GTK_PHASE_CAPTURE);
  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (click), 0);
  g_signal_connect_object (click, "pressed", G_CALLBACK (activity_cb), self, G_CONNECT_SWAPPED);
  gtk_widget_add_controller (widget, GTK_EVENT_CONTROLLER (click));
}

KioskRole
kiosk_staff_session_get_role (KioskStaffSession *self)
{
  g_return_val_if_fail (KIOSK_IS_STAFF_SESSION (self), KIOSK_ROLE_NONE);
  return self->role;
}

const char *
kiosk_staff_session_get_role_name (KioskStaffSession *self)
{
  g_return_val_if_fail (KIOSK_IS_STAFF_SESSION (self), NULL);
  return kiosk_role_to_string (self->role);
}

guint
kiosk_staff_session_get_timeout (KioskStaffSession *self)
{
  g_return_val_if_fail (KIOSK_IS_STAFF_SESSION (self), 0);
  return self->timeout_s;
}

/**
 * kiosk_staff_session_set_timeout:
 * @timeout_s: seconds without activity before the session ends; 0 for
 *   never (a counter workstation, guarded by its desktop session)
 */
void
kiosk_staff_session_set_timeout (KioskStaffSession *self,
                                 guint              timeout_s)
{
  g_return_if_fail (KIOSK_IS_STAFF_SESSION (self));
  self->timeout_s = timeout_s;
}

/**
 * kiosk_staff_session_get_remaining:
 *
 * Seconds until the idle logout; 0 when nobody is unlocked.
 */
guint
kiosk_staff_session_get_remaining (KioskStaffSession *self)
{
  gint64 idle_us;
  gint64 left_us;

  g_return_val_if_fail (KIOSK_IS_STAFF_SESSION (self), 0);

  if (self->role == KIOSK_ROLE_NONE || self->timeout_s == 0)
    return 0;
  idle_us = kiosk_clock_get_now (kiosk_context_get_clock (self->context)) - self->last_activity_us;
  left_us = (gint64) self->timeout_s * G_USEC_PER_SEC - idle_us;
  return left_us <= 0 ? 0 : (guint) ((left_us + G_USEC_PER_SEC - 1) / G_USEC_PER_SEC);
}

/**
 * kiosk_staff_session_audit:
 *
 * Logs @action by the unlocked role, and counts as activity.
 */
void
kiosk_staff_session_audit (KioskStaffSession *self,
                           const char        *action,
                           const char        *detail)
{
  g_return_if_fail (KIOSK_IS_STAFF_SESSION (self));

  kiosk_staff_session_poke (self);
  kiosk_context_audit (self->context,
                       self->role != KIOSK_ROLE_NONE ? kiosk_role_to_string (self->role) : "system",
                       action, detail);
}

/**
 * kiosk_staff_clear_list:
 *
 * Removes every row (gtk_list_box_remove_all() is GTK 4.12).
 */
void
kiosk_staff_clear_list (GtkListBox *list)
{
  GtkWidget *child;

  g_return_if_fail (GTK_IS_LIST_BOX (list));
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (list))) != NULL)
    gtk_list_box_remove (list, child);
}

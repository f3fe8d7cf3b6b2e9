/* kiosk-pin-pad.c
 *
 * SPDX-FileCopyrightText: 2026 Stadtkiosk contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "stadtkiosk-staff"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "kiosk-pin-pad.h"

/* Large digits, no echo (a dot per digit, never the digit), one message for
 * every failure (wrong PIN, waiting, locked out), and the wait the PIN file
 * imposes shown as a countdown.  Argon2id takes a noticeable moment, so the
 * check runs in a thread while the pad shows it is busy. */

#define MAX_DIGITS 12

struct _KioskPinPad
{
  AdwBin        parent_instance;

  KioskContext *context;
  GString      *digits;
  GCancellable *cancellable;
  guint         countdown_id;
  gboolean      busy;

  GtkLabel     *dots_label;
  GtkLabel     *message_label;
  GtkLabel     *countdown_label;
  GtkGrid      *keypad;
  GtkWidget    *ok_button;
  GtkWidget    *cancel_button;
};

enum {
  UNLOCKED,
  CANCELLED,
  N_SIGNALS,
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (KioskPinPad, kiosk_pin_pad, ADW_TYPE_BIN)

static void
update_dots (KioskPinPad *self)
{
  g_autoptr(GString) dots = g_string_new (NULL);

  for (gsize i = 0; i < self->digits->len; i++)
    g_string_append (dots, i == 0 ? "●" : " ●");
  gtk_label_set_text (self->dots_label, self->digits->len > 0 ? dots->str : " ");
  gtk_widget_set_sensitive (self->ok_button, self->digits->len > 0 && !self->busy);
}

static void
wipe_digits (KioskPinPad *self)
{
  /* The PIN does not linger in memory longer than the check needs it. */
  memset (self->digits->str, 0, self->digits->len);
  g_string_truncate (self->digits, 0);
  update_dots (self);
}

static gint64
seconds_to_wait (KioskPinPad *self)
{
  KioskPins *pins = kiosk_context_get_pins (self->context);
  gint64 now = kiosk_clock_get_now (kiosk_context_get_clock (self->context));
  gint64 until = kiosk_pins_get_wait_until (pins);

  return until > now ? (until - now + G_USEC_PER_SEC - 1) / G_USEC_PER_SEC : 0;
}

static void
set_keys_sensitive (KioskPinPad *self,
                    gboolean     sensitive)
{
  gtk_widget_set_sensitive (GTK_WIDGET (self->keypad), sensitive);
  update_dots (self);
}

static gboolean
countdown_cb (gpointer user_data)
{
  KioskPinPad *self = user_data;
  gint64 left = seconds_to_wait (self);

  if (left <= 0)
    {
      self->countdown_id = 0;
      /* The line stays, empty, so that the keypad does not move. */
      gtk_label_set_text (self->countdown_label, " ");
      set_keys_sensitive (self, TRUE);
      return G_SOURCE_REMOVE;
    }
  else
    {
      g_autofree char *text = g_strdup_printf (_("You can try again in %d:%02d."),
                                               (int) (left / 60), (int) (left % 60));

      gtk_label_set_text (self->countdown_label, text);
      return G_SOURCE_CONTINUE;
    }
}

static void
start_countdown (KioskPinPad *self)
{
  if (self->countdown_id != 0)
    kiosk_clock_remove_timeout (kiosk_context_get_clock (self->context), self->countdown_id);
  self->countdown_id = 0;
  if (seconds_to_wait (self) <= 0)
    return;
  set_keys_sensitive (self, FALSE);
  countdown_cb (self);
  self->countdown_id = kiosk_clock_add_timeout (kiosk_context_get_clock (self->context), 1000,
                                                countdown_cb, self, NULL);
}

static void
verify_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  KioskPins *pins = source_object;
  GError *error = NULL;
  KioskRole role = kiosk_pins_verify (pins, task_data, &error);

  if (role == KIOSK_ROLE_NONE)
    g_task_return_error (task, error);
  else
    g_task_return_int (task, role);
}

static void
verified_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  KioskPinPad *self = user_data;
  g_autoptr(GError) error = NULL;
  gssize role = g_task_propagate_int (G_TASK (result), &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_object_unref (self);
      return;
    }

  self->busy = FALSE;
  gtk_widget_remove_css_class (GTK_WIDGET (self), "busy");
  if (error != NULL)
    {
      /* The same words whatever went wrong: the pad tells an onlooker
       * nothing about the PIN, the counter or the lockout. */
      gtk_label_set_text (self->message_label, _("PIN not accepted."));
      gtk_widget_add_css_class (GTK_WIDGET (self->message_label), "error");
      set_keys_sensitive (self, TRUE);
      start_countdown (self);
    }
  else
    {
      kiosk_pin_pad_reset (self);
      g_signal_emit (self, signals[UNLOCKED], 0, (int) role);
    }
  g_object_unref (self);
}

static void
digit_clicked_cb (GtkButton   *button,
                  KioskPinPad *self)
{
  const char *digit = g_object_get_data (G_OBJECT (button), "digit");

  kiosk_pin_pad_press_digit (self, digit[0]);
}

static void
backspace_clicked_cb (KioskPinPad *self)
{
  if (self->digits->len > 0)
    {
      self->digits->str[self->digits->len - 1] = '\0';
      g_string_truncate (self->digits, self->digits->len - 1);
    }
  update_dots (self);
}

static void
ok_clicked_cb (KioskPinPad *self)
{
  kiosk_pin_pad_submit (self);
}

static void
cancel_clicked_cb (KioskPinPad *self)
{
  kiosk_pin_pad_reset (self);
  g_signal_emit (self, signals[CANCELLED], 0);
}

static gboolean
key_pressed_cb (GtkEventControllerKey *controller,
                guint                  keyval,
                guint                  keycode,
                GdkModifierType        state,
                KioskPinPad           *self)
{
  guint32 c = gdk_keyval_to_unicode (keyval);

  if (c >= '0' && c <= '9')
    {
      kiosk_pin_pad_press_digit (self, (char) c);
      return GDK_EVENT_STOP;
    }
  switch (keyval)
    {
    case GDK_KEY_BackSpace:
      backspace_clicked_cb (self);
      return GDK_EVENT_STOP;
    case GDK_KEY_Return:
    case GDK_KEY_KP_Enter:
      kiosk_pin_pad_submit (self);
      return GDK_EVENT_STOP;
    case GDK_KEY_Escape:
      cancel_clicked_cb (self);
      return GDK_EVENT_STOP;
    default:
      return GDK_EVENT_PROPAGATE;
    }
}

static GtkWidget *
make_key (const char *label,
          const char *accessible)
{
  GtkWidget *button = gtk_button_new_with_label (label);

  gtk_widget_add_css_class (button, "kiosk-pin-key");
  gtk_widget_set_focus_on_click (button, FALSE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, accessible, -1);
  return button;
}

static void
kiosk_pin_pad_dispose (GObject *object)
{
  KioskPinPad *self = (KioskPinPad *) object;

  g_cancellable_cancel (self->cancellable);
  if (self->countdown_id != 0 && self->context != NULL)
    kiosk_clock_remove_timeout (kiosk_context_get_clock (self->context), self->countdown_id);
  self->countdown_id = 0;
  g_clear_object (&self->context);

  G_OBJECT_CLASS (kiosk_pin_pad_parent_class)->dispose (object);
}

static void
kiosk_pin_pad_finalize (GObject *object)
{
  KioskPinPad *self = (KioskPinPad *) object;

  memset (self->digits->str, 0, self->digits->allocated_len);
  g_string_free (self->digits, TRUE);
  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (kiosk_pin_pad_parent_class)->finalize (object);
}

static void
kiosk_pin_pad_class_init (KioskPinPadClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = kiosk_pin_pad_dispose;
  object_class->finalize = kiosk_pin_pad_finalize;

  /**
   * KioskPinPad::unlocked:
   * @role: the #KioskRole the PIN opened
   */
  signals[UNLOCKED] = g_signal_new ("unlocked", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                    NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_INT);
  signals[CANCELLED] = g_signal_new ("cancelled", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                     NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class, "/de/hildesheim/Stadtkiosk/staff/kiosk-pin-pad.ui");
  gtk_widget_class_bind_template_child (widget_class, KioskPinPad, dots_label);
  gtk_widget_class_bind_template_child (widget_class, KioskPinPad, message_label);
  gtk_widget_class_bind_template_child (widget_class, KioskPinPad, countdown_label);
  gtk_widget_class_bind_template_child (widget_class, KioskPinPad, keypad);
  gtk_widget_class_bind_template_child (widget_class, KioskPinPad, ok_button);
  gtk_widget_class_bind_template_child (widget_class, KioskPinPad, cancel_button);
  gtk_widget_class_bind_template_callback (widget_class, ok_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, cancel_clicked_cb);
  gtk_widget_class_set_css_name (widget_class, "kiosk-pin-pad");
}

static void
kiosk_pin_pad_init (KioskPinPad *self)
{
  GtkEventController *keys;
  GtkWidget *backspace;

  self->digits = g_string_sized_new (MAX_DIGITS + 1);
  self->cancellable = g_cancellable_new ();
  gtk_widget_init_template (GTK_WIDGET (self));

  for (guint i = 1; i <= 10; i++)
    {
      guint digit = i % 10;
      char text[2] = { (char) ('0' + digit), '\0' };
      g_autofree char *name = g_strdup_printf (_("Digit %u"), digit);
      GtkWidget *key = make_key (text, name);

      g_object_set_data_full (G_OBJECT (key), "digit", g_strdup (text), g_free);
      g_signal_connect (key, "clicked", G_CALLBACK (digit_clicked_cb), self);
      if (digit == 0)
        gtk_grid_attach (self->keypad, key, 1, 3, 1, 1);
      else
        gtk_grid_attach (self->keypad, key, (int) ((digit - 1) % 3), (int) ((digit - 1) / 3), 1, 1);
    }
  backspace = make_key ("⌫", _("Delete the last digit"));
  g_signal_connect_swapped (backspace, "clicked", G_CALLBACK (backspace_clicked_cb), self);
  gtk_grid_attach (self->keypad, backspace, 0, 3, 1, 1);

  keys = gtk_event_controller_key_new ();
  g_signal_connect (keys, "key-pressed", G_CALLBACK (key_pressed_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), keys);
  gtk_widget_set_focusable (GTK_WIDGET (self), TRUE);

  update_dots (self);
}

GtkWidget *
kiosk_pin_pad_new (KioskContext *context)
{
  KioskPinPad *self;

  g_return_val_if_fail (KIOSK_IS_CONTEXT (context), NULL);

  self = g_object_new (KIOSK_TYPE_PIN_PAD, NULL);
  self->context = g_object_ref (context);
  start_countdown (self);
  return GTK_WIDGET (self);
}

/**
 * kiosk_pin_pad_reset:
 *
 * Forgets the digits and the last message; a running wait stays.
 */
void
kiosk_pin_pad_reset (KioskPinPad *self)
{
  g_return_if_fail (KIOSK_IS_PIN_PAD (self));

  wipe_digits (self);
  gtk_label_set_text (self->message_label, _("Enter your staff PIN."));
  gtk_widget_remove_css_class (GTK_WIDGET (self->message_label), "error");
  if (self->context != NULL)
    start_countdown (self);
}

void
kiosk_pin_pad_press_digit (KioskPinPad *self,
                           char         digit)
{
  g_return_if_fail (KIOSK_IS_PIN_PAD (self));
  g_return_if_fail (digit >= '0' && digit <= '9');

  if (self->busy || !gtk_widget_get_sensitive (GTK_WIDGET (self->keypad)) || self->digits->len >= MAX_DIGITS)
    return;
  g_string_append_c (self->digits, digit);
  update_dots (self);
}

void
kiosk_pin_pad_submit (KioskPinPad *self)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (KIOSK_IS_PIN_PAD (self));

  if (self->busy || self->digits->len == 0 || seconds_to_wait (self) > 0)
    return;

  self->busy = TRUE;
  gtk_widget_add_css_class (GTK_WIDGET (self), "busy");
  gtk_label_set_text (self->message_label, _("Checking…"));
  gtk_widget_remove_css_class (GTK_WIDGET (self->message_label), "error");
  set_keys_sensitive (self, FALSE);

  task = g_task_new (kiosk_context_get_pins (self->context), self->cancellable, verified_cb, g_object_ref (self));
  g_task_set_task_data (task, g_strdup (self->digits->str), g_free);
  wipe_digits (self);
  g_task_run_in_thread (task, verify_thread);
}

guint
kiosk_pin_pad_get_n_digits (KioskPinPad *self)
{
  g_return_val_if_fail (KIOSK_IS_PIN_PAD (self), 0);
  return (guint) self->digits->len;
}

const char *
kiosk_pin_pad_get_message (KioskPinPad *self)
{
  g_return_val_if_fail (KIOSK_IS_PIN_PAD (self), NULL);
  return gtk_label_get_text (self->message_label);
}

gboolean
kiosk_pin_pad_get_busy (KioskPinPad *self)
{
  g_return_val_if_fail (KIOSK_IS_PIN_PAD (self), FALSE);
  return self->busy;
}

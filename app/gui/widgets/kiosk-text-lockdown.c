/* kiosk-text-lockdown.c
 *
 * SPDX-FileCopyrightText: 2026 Stadtkiosk contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "stadtkiosk"

#include "config.h"

#include "kiosk-text-lockdown.h"

/* No desktop leaks on the kiosk: GTK's text widgets open an English
 * Cut/Copy/Paste/Select All/Insert Emoji menu on a right click (GtkText
 * pops it up directly, not through its "menu.popup" action), on the Menu
 * key and Shift+F10, and an emoji chooser on Ctrl+. or Ctrl+;.  None of it
 * belongs on a public terminal with its own on-screen keyboard:
 *
 *  - a capture-phase gesture on the window claims every secondary click
 *    before any widget sees it (nothing on the kiosk uses one);
 *  - a capture-phase long press claims a long press on a text field, so
 *    that GTK's touch selection (and its bubble) does not start there;
 *    elsewhere it steps aside (the 3 s hold on the city's name needs it);
 *  - each text widget that takes the focus gets its "menu.popup" and
 *    "misc.insert-emoji" actions disabled, no emoji hints, and no emoji
 *    completion. */

static gboolean
is_text (GtkWidget *widget)
{
  return GTK_IS_TEXT (widget) || GTK_IS_TEXT_VIEW (widget);
}

static GtkWidget *
text_at (GtkWidget *widget,
         double     x,
         double     y)
{
  for (GtkWidget *w = gtk_widget_pick (widget, x, y, GTK_PICK_DEFAULT);
       w != NULL;
       w = gtk_widget_get_parent (w))
    if (is_text (w))
      return w;
  return NULL;
}

static void
secondary_pressed_cb (GtkGestureClick *gesture,
                      int              n_press,
                      double           x,
                      double           y,
                      gpointer         user_data)
{
  gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
}

static void
long_pressed_cb (GtkGestureLongPress *gesture,
                 double               x,
                 double               y,
                 gpointer             user_data)
{
  GtkWidget *window = gtk_event_controller_get_widget (GTK_EVENT_CONTROLLER (gesture));

  gtk_gesture_set_state (GTK_GESTURE (gesture),
                         text_at (window, x, y) != NULL ? GTK_EVENT_SEQUENCE_CLAIMED
                                                        : GTK_EVENT_SEQUENCE_DENIED);
}

/**
 * kiosk_text_lockdown_widget:
 * @widget: a #GtkText, #GtkTextView, or a widget holding one (#GtkEntry)
 *
 * Takes the context menu and the emoji chooser away from @widget.
 */
void
kiosk_text_lockdown_widget (GtkWidget *widget)
{
  GtkInputHints hints = GTK_INPUT_HINT_NONE;

  g_return_if_fail (GTK_IS_WIDGET (widget));

  if (GTK_IS_ENTRY (widget))
    g_object_set (widget, "enable-emoji-completion", FALSE, "show-emoji-icon", FALSE, NULL);
  if (!is_text (widget))
    {
      for (GtkWidget *child = gtk_widget_get_first_child (widget);
           child != NULL;
           child = gtk_widget_get_next_sibling (child))
        kiosk_text_lockdown_widget (child);
      return;
    }
  if (g_object_get_data (G_OBJECT (widget), "kiosk-text-lockdown") != NULL)
    return;
  g_object_set_data (G_OBJECT (widget), "kiosk-text-lockdown", GINT_TO_POINTER (TRUE));

  gtk_widget_action_set_enabled (widget, "menu.popup", FALSE);
  gtk_widget_action_set_enabled (widget, "misc.insert-emoji", FALSE);
  g_object_get (widget, "input-hints", &hints, NULL);
  g_object_set (widget, "input-hints", hints | GTK_INPUT_HINT_NO_EMOJI, NULL);
  if (GTK_IS_TEXT (widget))
    g_object_set (widget, "enable-emoji-completion", FALSE, NULL);
}

static void
focus_changed_cb (GtkWindow *window)
{
  GtkWidget *focus = gtk_window_get_focus (window);

  for (GtkWidget *w = focus; w != NULL; w = gtk_widget_get_parent (w))
    if (is_text (w))
      {
        kiosk_text_lockdown_widget (w);
        break;
      }
}

/**
 * kiosk_text_lockdown_attach:
 * @window: a kiosk window
 *
 * No text field in @window opens a context menu or an emoji chooser.
 */
void
kiosk_text_lockdown_attach (GtkWindow *window)
{
  GtkGesture *secondary;
  GtkGesture *long_press;

  g_return_if_fail (GTK_IS_WINDOW (window));

  secondary = gtk_gesture_click_new ();
  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (secondary), GDK_BUTTON_SECONDARY);
  gtk_event_controller_set_propagation_phase (GTK_EVENT_CONTROLLER (secondary), GTK_PHASE_CAPTURE);
  g_signal_connect (secondary, "pressed", G_CALLBACK (secondary_pressed_cb), NULL);
  gtk_widget_add_controller (GTK_WIDGET (window), GTK_EVENT_CONTROLLER (secondary));

  long_press = gtk_gesture_long_press_new ();
  gtk_gesture_single_set_touch_only (GTK_GESTURE_SINGLE (long_press), TRUE);
  gtk_event_controller_set_propagation_phase (GTK_EVENT_CONTROLLER (long_press), GTK_PHASE_CAPTURE);
  g_signal_connect (long_press, "pressed", G_CALLBACK (long_pressed_cb), NULL);
  gtk_widget_add_controller (GTK_WIDGET (window), GTK_EVENT_CONTROLLER (long_press));

  g_signal_connect (window, "notify::focus-widget", G_CALLBACK (focus_changed_cb), NULL);
}

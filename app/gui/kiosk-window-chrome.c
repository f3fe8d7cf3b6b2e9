/* kiosk-window-chrome.c: the window's own chrome
 *
 * What stays on screen whatever the page: the top bar (the city's name,
 * large text, high contrast, read aloud, start over), the texts of the
 * idle and discard questions, and the on-screen keyboard, which shows
 * under a focused text field in the session's layout.
 *
 * SPDX-FileCopyrightText: 2026 Stadtkiosk contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "stadtkiosk"

#include "config.h"

#include <glib/gi18n.h>

#include "kiosk-window-private.h"
#include "kiosk-field-row.h"
#include "kiosk-session.h"
#include "kiosk-speech.h"

static void
set_accessible_label (gpointer    widget,
                      const char *label)
{
  /* Speech says the same as a screen reader would. */
  kiosk_speech_set_accessible_label (GTK_WIDGET (widget), label);
}

/**
 * _kiosk_window_set_title:
 * @text: the city's name, or the Escape question
 * @question: @text is a question: shown even if cut ("Press Escape
 *   again to…"), where the name gives way whole
 *
 * The top bar's title.  The name is never shown cut: where the buttons
 * leave too little room it becomes "Stadtkiosk" (the full name stays the
 * title label's, in the accessible tree), and the buttons wrap their
 * labels to leave that much.
 */
void
_kiosk_window_set_title (KioskWindow *self,
                         const char  *text,
                         gboolean     question)
{
  gtk_label_set_text (self->title_label, text);
  gtk_label_set_ellipsize (self->title_label, question ? PANGO_ELLIPSIZE_END : PANGO_ELLIPSIZE_NONE);
  adw_squeezer_set_switch_threshold_policy (self->title_squeezer,
                                            question ? ADW_FOLD_THRESHOLD_POLICY_MINIMUM
                                                     : ADW_FOLD_THRESHOLD_POLICY_NATURAL);
}

/* @text on two lines, broken at the space nearest its middle; NULL if it
 * has no space. */
static char *
two_lines (const char *text)
{
  glong half = g_utf8_strlen (text, -1) / 2;
  const char *best = NULL;
  glong best_distance = G_MAXLONG;
  glong i = 0;
  char *out;

  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p), i++)
    if (*p == ' ' && ABS (i - half) < best_distance)
      {
        best = p;
        best_distance = ABS (i - half);
      }
  if (best == NULL)
    return NULL;
  out = g_strdup (text);
  out[best - text] = '\n';
  return out;
}

/* A top bar button shows its text on one line where there is room, else
 * on two (Ukrainian or Russian with large text would push the bar past
 * the screen).  Not a wrapping label: GTK 4.8 measures one inside a
 * button inconsistently ("reports a minimum width of 93, but minimum
 * width for height of 1048576 is 99"); a squeezer picks between two
 * fixed texts.  The button's accessible label is set apart. */
static void
set_chrome_label (gpointer    button,
                  const char *text)
{
  GtkWidget *squeezer = gtk_button_get_child (GTK_BUTTON (button));
  g_autofree char *broken = two_lines (text);
  GtkWidget *one, *two;

  if (!ADW_IS_SQUEEZER (squeezer))
    {
      squeezer = adw_squeezer_new ();
      adw_squeezer_set_homogeneous (ADW_SQUEEZER (squeezer), FALSE);
      adw_squeezer_set_transition_type (ADW_SQUEEZER (squeezer), ADW_SQUEEZER_TRANSITION_TYPE_NONE);
      adw_squeezer_add (ADW_SQUEEZER (squeezer), gtk_label_new (NULL));
      two = gtk_label_new (NULL);
      gtk_label_set_justify (GTK_LABEL (two), GTK_JUSTIFY_CENTER);
      adw_squeezer_add (ADW_SQUEEZER (squeezer), two);
      gtk_button_set_child (GTK_BUTTON (button), squeezer);
    }
  one = gtk_widget_get_first_child (squeezer);
  two = gtk_widget_get_next_sibling (one);
  gtk_label_set_text (GTK_LABEL (one), text);
  gtk_label_set_text (GTK_LABEL (two), broken != NULL ? broken : text);
}

/* The strings of the window's own chrome; the pages get theirs from their
 * templates when they are built. */
void
_kiosk_window_retranslate_chrome (KioskWindow *self)
{
  _kiosk_window_set_title (self, _("Stadtkiosk Hildesheim"), FALSE);
  set_chrome_label (self->large_text_button, _("Large text"));
  set_accessible_label (self->large_text_button, _("Large text"));
  set_chrome_label (self->contrast_button, _("High contrast"));
  set_accessible_label (self->contrast_button, _("High contrast"));
  set_chrome_label (self->start_over_button, _("Start over"));
  set_accessible_label (self->start_over_button, _("Start over and delete my entries"));
  gtk_label_set_text (self->idle_title, _("Are you still there?"));
  gtk_button_set_label (self->more_time_button, _("I need more time"));
  set_accessible_label (self->more_time_button, _("I need more time"));
  gtk_label_set_text (self->discard_title, _("Delete all your answers?"));
  gtk_label_set_text (self->discard_body, _("If you leave this form now, everything you have entered is deleted."));
  gtk_button_set_label (self->discard_yes_button, _("Yes, delete everything"));
  set_accessible_label (self->discard_yes_button, _("Yes, delete everything"));
  gtk_button_set_label (self->discard_no_button, _("No, keep filling in"));
  set_accessible_label (self->discard_no_button, _("No, keep filling in"));
  set_accessible_label (self->keyboard, _("On-screen keyboard"));
  set_chrome_label (self->read_aloud_button, _("Read aloud"));
  set_accessible_label (self->read_aloud_button, _("Read aloud"));
}

void
_kiosk_window_update_chrome (KioskWindow *self)
{
  const char *page = gtk_stack_get_visible_child_name (self->stack);

  /* On the welcome page nothing can be started over yet. */
  gtk_widget_set_visible (GTK_WIDGET (self->start_over_button),
                          g_strcmp0 (page, "welcome") != 0);
  /* The welcome page lists the languages itself; on the done page the
   * receipt is already printed in the session's. */
  gtk_widget_set_sensitive (self->language_button,
                            g_strcmp0 (page, "welcome") != 0 && g_strcmp0 (page, "done") != 0
                            && g_strcmp0 (page, "staff") != 0);
}

void
_kiosk_window_update_keyboard (KioskWindow *self)
{
  GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (self));
  GtkWidget *target = NULL;
  GtkInputPurpose purpose = GTK_INPUT_PURPOSE_FREE_FORM;

  for (GtkWidget *w = focus; w != NULL; w = gtk_widget_get_parent (w))
    if (GTK_IS_TEXT (w) || GTK_IS_TEXT_VIEW (w))
      {
        target = w;
        break;
      }

  if (target != NULL && gtk_widget_is_ancestor (target, GTK_WIDGET (self->stack)))
    {
      g_object_get (target, "input-purpose", &purpose, NULL);
      kiosk_keyboard_set_layout (self->keyboard,
                                 kiosk_keyboard_layout_for_purpose (purpose, kiosk_session_get_language (self->session)));
      gtk_revealer_set_reveal_child (self->keyboard_revealer, TRUE);
      /* Page headers shrink while the keyboard takes the lower half, so
       * that the field and its label keep room on a 1280x800 screen. */
      gtk_widget_add_css_class (GTK_WIDGET (self), "kiosk-keyboard-open");
    }
  else
    {
      gtk_revealer_set_reveal_child (self->keyboard_revealer, FALSE);
      gtk_widget_remove_css_class (GTK_WIDGET (self), "kiosk-keyboard-open");
    }
}

/* The on-screen keyboard takes the lower part of the screen; the field
 * being typed into must stay visible above it, with its label. */
void
_kiosk_window_scroll_focus_into_view (KioskWindow *self)
{
  kiosk_scroll_into_view (gtk_root_get_focus (GTK_ROOT (self)));
}

void
_kiosk_window_focus_changed (KioskWindow *self)
{
  _kiosk_window_update_keyboard (self);
  _kiosk_window_scroll_focus_into_view (self);
}

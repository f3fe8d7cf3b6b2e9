/* kiosk-window-actions.c
 *
 * SPDX-FileCopyrightText: 2026 Stadtkiosk contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "stadtkiosk"

#include "config.h"

#include <glib/gi18n.h>

#include "kiosk-window-private.h"
#include "kiosk-staff-screen.h"
#include "kiosk-done-page.h"
#include "kiosk-form-page.h"
#include "kiosk-review-page.h"
#include "kiosk-status-page.h"
#include "kiosk-info-page.h"

/* What the citizen's taps do: the kiosk.* actions of the window, from
 * "start" to "print this", each asking the session and showing a page. */

static void
show_step (KioskWindow *self,
           guint        step)
{
  kiosk_session_set_step (self->session, step);
  kiosk_form_page_show_step (KIOSK_FORM_PAGE (self->form_page), kiosk_session_get_form (self->session),
                             step, kiosk_session_get_language (self->session));
  kiosk_window_show_page (self, "form");
  /* Enter in a field means "next", as on paper forms on the web. */
  gtk_window_set_default_widget (GTK_WINDOW (self),
                                 kiosk_form_page_get_next_button (KIOSK_FORM_PAGE (self->form_page)));
  kiosk_form_page_focus_first (KIOSK_FORM_PAGE (self->form_page));
}

static void
show_review (KioskWindow *self)
{
  kiosk_review_page_set_form (KIOSK_REVIEW_PAGE (self->review_page), kiosk_session_get_form (self->session),
                              kiosk_session_get_language (self->session));
  kiosk_window_show_page (self, "review");
}

static void
show_catalog_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  kiosk_window_show_page (KIOSK_WINDOW (widget), "catalog");
}

static void
open_service_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  KioskWindow *self = KIOSK_WINDOW (widget);
  const char *id = g_variant_get_string (parameter, NULL);

  _kiosk_window_ensure_pages (self);
  if (!kiosk_session_open_service (self->session, id))
    return;
  /* The service page follows the session's service. */
  _kiosk_window_clear_form_page (self);
  kiosk_window_show_page (self, "service");
}

static void
begin_form_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  KioskWindow *self = KIOSK_WINDOW (widget);
  KioskService *service = kiosk_session_get_service (self->session);
  KioskForm *form;

  if (service == NULL)
    return;

  if (kiosk_service_get_offline_mode (service) == KIOSK_OFFLINE_REFER)
    {
      kiosk_done_page_set_refer (KIOSK_DONE_PAGE (self->done_page), service,
                                 kiosk_session_get_language (self->session));
      kiosk_window_show_page (self, "done");
      return;
    }

  if (!kiosk_session_begin_form (self->session))
    return;
  form = kiosk_session_get_form (self->session);
  if (kiosk_session_get_step (self->session) < kiosk_form_get_n_steps (form))
    show_step (self, kiosk_session_get_step (self->session));
  else
    show_review (self);
}

static void
next_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  KioskWindow *self = KIOSK_WINDOW (widget);
  KioskForm *form = kiosk_session_get_form (self->session);
  guint step;

  if (form == NULL || !g_str_equal (kiosk_window_get_page_name (self), "form"))
    return;
  if (!kiosk_form_page_validate (KIOSK_FORM_PAGE (self->form_page)))
    return;
  step = kiosk_session_get_next_step (self->session, kiosk_session_get_step (self->session) + 1);
  if (step < kiosk_form_get_n_steps (form))
    show_step (self, step);
  else
    show_review (self);
}

static void
back_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  KioskWindow *self = KIOSK_WINDOW (widget);
  const char *page = kiosk_window_get_page_name (self);
  KioskForm *form = kiosk_session_get_form (self->session);
  guint from;
  guint step;

  if (form == NULL)
    return;
  from = g_str_equal (page, "review") ? kiosk_form_get_n_steps (form) : kiosk_session_get_step (self->session);
  if (kiosk_session_get_previous_step (self->session, from, &step))
    show_step (self, step);
  else
    kiosk_window_show_page (self, "service");
}

static void
edit_step_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  KioskWindow *self = KIOSK_WINDOW (widget);
  guint step = g_variant_get_uint32 (parameter);

  if (kiosk_session_get_sent (self->session) || !kiosk_session_step_is_visible (self->session, step))
    return;
  show_step (self, step);
}

static void
send_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  KioskWindow *self = KIOSK_WINDOW (widget);
  g_autoptr(GError) error = NULL;

  if (!kiosk_session_submit (self->session, &error))
    {
      if (g_error_matches (error, KIOSK_SESSION_ERROR, KIOSK_SESSION_ERROR_INVALID))
        {
          show_step (self, kiosk_session_get_step (self->session));
          kiosk_form_page_validate (KIOSK_FORM_PAGE (self->form_page));
        }
      else if (g_error_matches (error, KIOSK_SESSION_ERROR, KIOSK_SESSION_ERROR_NOT_STORED))
        /* Nothing was stored: say so calmly and let the person try again
         * or ask at the counter.  The answers are still in the form. */
        kiosk_review_page_set_message (KIOSK_REVIEW_PAGE (self->review_page),
                                       _("Your request could not be saved on this kiosk. Nothing was sent. Please try again in a moment, or ask at the counter."));
      return;
    }

  kiosk_done_page_set_request (KIOSK_DONE_PAGE (self->done_page),
                               kiosk_session_get_request (self->session),
                               kiosk_session_get_service (self->session),
                               kiosk_session_get_qr_text (self->session));
  kiosk_session_print_receipt (self->session);
  kiosk_window_show_page (self, "done");
}

/* "Print this" on a refer service's end page. */
static void
print_refer_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  KioskWindow *self = KIOSK_WINDOW (widget);

  if (!g_str_equal (kiosk_window_get_page_name (self), "done"))
    return;
  kiosk_session_print_refer (self->session);
}

/* Staff mode (staff branch): the hidden gesture or Ctrl+Alt+K opens the PIN
 * pad over a fresh session; leaving it (log out, idle, cancel) resets the
 * kiosk for the next citizen. */
static void
staff_closed_cb (KioskWindow *self)
{
  kiosk_window_reset_session (self);
}

static void
staff_assist_cb (KioskWindow *self)
{
  kiosk_staff_screen_lock (KIOSK_STAFF_SCREEN (self->staff_screen));
  kiosk_window_reset_session (self);
  kiosk_session_set_assisted (self->session, TRUE);
  kiosk_window_show_page (self, "catalog");
}

static void
staff_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  KioskWindow *self = KIOSK_WINDOW (widget);

  kiosk_window_reset_session (self);
  if (self->staff_screen == NULL)
    {
      self->staff_screen = kiosk_staff_screen_new (self->context);
      g_signal_connect_object (self->staff_screen, "closed", G_CALLBACK (staff_closed_cb), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (self->staff_screen, "assist", G_CALLBACK (staff_assist_cb), self, G_CONNECT_SWAPPED);
      gtk_stack_add_named (self->stack, self->staff_screen, "staff");
    }
  kiosk_idle_stop (self->idle);
  gtk_stack_set_visible_child_name (self->stack, "staff");
  gtk_widget_grab_focus (kiosk_staff_screen_get_pin_pad (KIOSK_STAFF_SCREEN (self->staff_screen)));
}

static gboolean
logo_held_cb (gpointer user_data)
{
  KioskWindow *self = user_data;

  self->logo_hold_id = 0;
  gtk_widget_activate_action (GTK_WIDGET (self), "kiosk.staff", NULL);
  return G_SOURCE_REMOVE;
}

static void
logo_pressed_cb (KioskWindow *self)
{
  g_clear_handle_id (&self->logo_hold_id, g_source_remove);
  self->logo_hold_id = g_timeout_add (3000, logo_held_cb, self);
}

static void
logo_released_cb (KioskWindow *self)
{
  /* Let go before 3 s: nothing happens. */
  g_clear_handle_id (&self->logo_hold_id, g_source_remove);
}

static void
start_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  kiosk_window_show_page (KIOSK_WINDOW (widget), "catalog");
}

static void
language_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  KioskWindow *self = KIOSK_WINDOW (widget);
  const char *language = g_variant_get_string (parameter, NULL);

  if (!g_strv_contains (_kiosk_window_get_languages (self), language))
    return;
  _kiosk_window_apply_language (self, language);
}

/* "Was ist aus meinem Anliegen geworden?" */
/* "Informationen": the catalogue's info cards, from the cache (issue 19) */
static void
info_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  KioskWindow *self = KIOSK_WINDOW (widget);

  _kiosk_window_ensure_pages (self);
  if (self->info_page == NULL)
    {
      self->info_page = kiosk_info_page_new (self->context, kiosk_session_get_catalog (self->session),
                                             kiosk_session_get_language (self->session));
      gtk_stack_add_named (self->stack, self->info_page, "info");
    }
  else
    kiosk_info_page_refresh (KIOSK_INFO_PAGE (self->info_page));
  kiosk_window_show_page (self, "info");
  kiosk_info_page_pull (KIOSK_INFO_PAGE (self->info_page));
}

static void
status_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  KioskWindow *self = KIOSK_WINDOW (widget);

  _kiosk_window_ensure_pages (self);
  if (self->status_guard == NULL)
    self->status_guard = kiosk_status_guard_new (kiosk_context_get_clock (self->context));
  if (self->status_page == NULL)
    {
      self->status_page = kiosk_status_page_new (kiosk_context_get_outbox (self->context), self->status_guard,
                                                 kiosk_session_get_catalog (self->session),
                                                 kiosk_session_get_language (self->session));
      gtk_stack_add_named (self->stack, self->status_page, "status");
    }
  kiosk_window_show_page (self, "status");
  gtk_widget_grab_focus (kiosk_status_page_get_code_entry (KIOSK_STATUS_PAGE (self->status_page)));
}

static void
start_over_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  kiosk_window_reset_session (KIOSK_WINDOW (widget));
}

static void
more_time_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  KioskWindow *self = KIOSK_WINDOW (widget);

  kiosk_idle_poke (self->idle);
}

/* Ending a session: nothing of one person may reach the next. */

static void
close_transients (KioskWindow *self)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = g_list_model_get_n_items (toplevels); i > 0; i--)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i - 1);

      if (window != GTK_WINDOW (self) &&
          gtk_window_get_transient_for (window) == GTK_WINDOW (self))
        gtk_window_destroy (window);
    }
}

static void
collect_widgets (GtkWidget *widget,
                 GPtrArray *out)
{
  g_ptr_array_add (out, g_object_ref (widget));
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_widgets (child, out);
}

/* Clearing an entry runs its handlers, which may change the widget tree,
 * so the widgets are collected (and held) first. */
static void
close_popovers_and_clear (GtkWidget *widget)
{
  g_autoptr(GPtrArray) widgets = g_ptr_array_new_with_free_func (g_object_unref);

  collect_widgets (widget, widgets);
  for (guint i = 0; i < widgets->len; i++)
    {
      GtkWidget *w = g_ptr_array_index (widgets, i);

      if (GTK_IS_POPOVER (w))
        gtk_popover_popdown (GTK_POPOVER (w));
      else if (GTK_IS_TEXT (w))
        gtk_editable_set_text (GTK_EDITABLE (w), "");
      else if (GTK_IS_TEXT_VIEW (w))
        gtk_text_buffer_set_text (gtk_text_view_get_buffer (GTK_TEXT_VIEW (w)), "", 0);
    }
}

/**
 * kiosk_window_reset_session:
 *
 * Ends the citizen's session: closes dialogs and popovers, clears every
 * entry and the clipboard, drops the answers, and shows the welcome page
 * in the kiosk's first language with the display toggles off.
 */
void
kiosk_window_reset_session (KioskWindow *self)
{
  GdkClipboard *clipboard;

  g_return_if_fail (KIOSK_IS_WINDOW (self));

  kiosk_idle_stop (self->idle);
  close_transients (self);
  close_popovers_and_clear (GTK_WIDGET (self));
  _kiosk_window_clear_form_page (self);
  /* Also ends a staff "Assist" and forgets the catalogue: one pulled
   * during the session is shown to the next person. */
  kiosk_session_reset (self->session);

  clipboard = gtk_widget_get_clipboard (GTK_WIDGET (self));
  gdk_clipboard_set_text (clipboard, "");
  clipboard = gtk_widget_get_primary_clipboard (GTK_WIDGET (self));
  gdk_clipboard_set_text (clipboard, "");

  g_object_set (self, "high-contrast", FALSE, "large-text", FALSE, NULL);
  gtk_window_set_focus (GTK_WINDOW (self), NULL);
  _kiosk_window_apply_language (self, kiosk_session_get_language (self->session));
  kiosk_window_show_page (self, "welcome");
}

void
_kiosk_window_class_actions_init (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "kiosk.start", NULL, start_action);
  gtk_widget_class_install_action (widget_class, "kiosk.language", "s", language_action);
  gtk_widget_class_install_action (widget_class, "kiosk.start-over", NULL, start_over_action);
  gtk_widget_class_install_action (widget_class, "kiosk.status", NULL, status_action);
  gtk_widget_class_install_action (widget_class, "kiosk.info", NULL, info_action);
  gtk_widget_class_install_action (widget_class, "kiosk.more-time", NULL, more_time_action);
  gtk_widget_class_install_action (widget_class, "kiosk.show-catalog", NULL, show_catalog_action);
  gtk_widget_class_install_action (widget_class, "kiosk.open-service", "s", open_service_action);
  gtk_widget_class_install_action (widget_class, "kiosk.begin-form", NULL, begin_form_action);
  gtk_widget_class_install_action (widget_class, "kiosk.next", NULL, next_action);
  gtk_widget_class_install_action (widget_class, "kiosk.back", NULL, back_action);
  gtk_widget_class_install_action (widget_class, "kiosk.edit-step", "u", edit_step_action);
  gtk_widget_class_install_action (widget_class, "kiosk.send", NULL, send_action);
  gtk_widget_class_install_action (widget_class, "kiosk.print-refer", NULL, print_refer_action);
  gtk_widget_class_install_action (widget_class, "kiosk.staff", NULL, staff_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_k, GDK_CONTROL_MASK | GDK_ALT_MASK, "kiosk.staff", NULL);

  /* Keyboard-only use: Escape goes one step back. */
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "kiosk.back", NULL);
}

void
_kiosk_window_actions_init (KioskWindow *self)
{
  GtkGesture *hold;

  /* Staff: press and hold the city's name for 3 s (GtkGestureLongPress
   * cannot wait that long on GTK 4.8). */
  hold = gtk_gesture_click_new ();
  g_signal_connect_swapped (hold, "pressed", G_CALLBACK (logo_pressed_cb), self);
  g_signal_connect_swapped (hold, "released", G_CALLBACK (logo_released_cb), self);
  g_signal_connect_swapped (hold, "stopped", G_CALLBACK (logo_released_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self->title_label), GTK_EVENT_CONTROLLER (hold));

}

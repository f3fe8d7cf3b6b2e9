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
#include "kiosk-catalog-page.h"
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
  /* The form page follows the session's step; shown again, it starts
   * afresh (no messages, at its top). */
  kiosk_session_set_step (self->session, step);
  kiosk_form_page_show_step (KIOSK_FORM_PAGE (self->form_page));
  kiosk_speech_page_changed (self->speech);
  kiosk_window_show_page (self, "form");
  /* Enter in a field means "next", as on paper forms on the web. */
  gtk_window_set_default_widget (GTK_WINDOW (self),
                                 kiosk_form_page_get_next_button (KIOSK_FORM_PAGE (self->form_page)));
  kiosk_form_page_focus_first (KIOSK_FORM_PAGE (self->form_page));
}

static void
show_review (KioskWindow *self)
{
  kiosk_review_page_update (KIOSK_REVIEW_PAGE (self->review_page));
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
    {
      /* Its form is damaged (said in the log), or it is no longer offered:
       * never a tap that does nothing. */
      kiosk_catalog_page_show_unavailable (KIOSK_CATALOG_PAGE (self->catalog_page));
      return;
    }
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
    {
      /* The focus is on the first wrong field: read it with its error. */
      kiosk_speech_describe_focus (self->speech, gtk_window_get_focus (GTK_WINDOW (self)));
      return;
    }
  step = kiosk_session_get_next_step (self->session, kiosk_session_get_step (self->session) + 1);
  if (step < kiosk_form_get_n_steps (form))
    show_step (self, step);
  else
    show_review (self);
}

/* One tap must not lose everything: leaving a form that holds answers
 * ("Start over", "Cancel", "Back" or Escape on the first step) first asks,
 * on an opaque layer inside the window with two large buttons. */
static gboolean
answers_would_be_lost (KioskWindow *self)
{
  KioskForm *form = kiosk_session_get_form (self->session);
  const char *page = kiosk_window_get_page_name (self);

  return form != NULL &&
         !kiosk_session_get_sent (self->session) &&
         (g_str_equal (page, "form") || g_str_equal (page, "review")) &&
         kiosk_form_has_answers (form);
}

static void
set_page_reachable (KioskWindow *self,
                    gboolean     reachable)
{
  /* Under the question, nothing of the page can take the focus or a key. */
  gtk_widget_set_sensitive (GTK_WIDGET (self->stack), reachable);
  gtk_widget_set_sensitive (self->top_bar, reachable);
}

static void
ask_before_discarding (KioskWindow  *self,
                       KioskDiscard  discard)
{
  self->discard = discard;
  g_weak_ref_set (&self->discard_focus, gtk_root_get_focus (GTK_ROOT (self)));
  gtk_widget_set_visible (self->discard_overlay, TRUE);
  set_page_reachable (self, FALSE);
  gtk_widget_grab_focus (GTK_WIDGET (self->discard_no_button));
  _kiosk_window_update_keyboard (self);
}

void
_kiosk_window_hide_discard (KioskWindow *self)
{
  self->discard = KIOSK_DISCARD_NONE;
  gtk_widget_set_visible (self->discard_overlay, FALSE);
  set_page_reachable (self, TRUE);
}

static void
leave_form_for_service (KioskWindow *self)
{
  KioskForm *form = kiosk_session_get_form (self->session);

  if (form != NULL)
    kiosk_form_clear (form);
  _kiosk_window_clear_form_page (self);
  kiosk_window_show_page (self, "service");
}

static void
keep_answers_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  KioskWindow *self = KIOSK_WINDOW (widget);
  g_autoptr(GtkWidget) focus = g_weak_ref_get (&self->discard_focus);

  if (self->discard == KIOSK_DISCARD_NONE)
    return;
  _kiosk_window_hide_discard (self);
  g_weak_ref_set (&self->discard_focus, NULL);
  /* Back where the person was, field and keyboard included. */
  if (focus != NULL && gtk_widget_is_ancestor (focus, GTK_WIDGET (self)))
    gtk_widget_grab_focus (focus);
  _kiosk_window_update_keyboard (self);
}

static void
discard_answers_action (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  KioskWindow *self = KIOSK_WINDOW (widget);
  KioskDiscard discard = self->discard;

  _kiosk_window_hide_discard (self);
  g_weak_ref_set (&self->discard_focus, NULL);
  if (discard == KIOSK_DISCARD_START_OVER)
    kiosk_window_reset_session (self);
  else if (discard == KIOSK_DISCARD_BACK)
    leave_form_for_service (self);
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

  /* Escape while the question is up means "No". */
  if (self->discard != KIOSK_DISCARD_NONE)
    {
      gtk_widget_activate_action (widget, "kiosk.keep-answers", NULL);
      return;
    }
  if (form == NULL)
    return;
  from = g_str_equal (page, "review") ? kiosk_form_get_n_steps (form) : kiosk_session_get_step (self->session);
  if (kiosk_session_get_previous_step (self->session, from, &step))
    show_step (self, step);
  else if (answers_would_be_lost (self))
    ask_before_discarding (self, KIOSK_DISCARD_BACK);
  else
    kiosk_window_show_page (self, "service");
}

void
_kiosk_window_disarm_escape (KioskWindow *self)
{
  if (!self->escape_armed)
    return;
  self->escape_armed = FALSE;
  _kiosk_window_set_title (self, _("Stadtkiosk Hildesheim"), FALSE);
}

/* Escape goes back one page, but asks first (a second Escape), so that a
 * person who cannot see the screen does not lose their place by a slip. */
static void
escape_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  KioskWindow *self = KIOSK_WINDOW (widget);
  const char *page = kiosk_window_get_page_name (self);
  const char *question = _("Press Escape again to go back. Your answers are kept.");

  if (!g_str_equal (page, "form") && !g_str_equal (page, "review") && !g_str_equal (page, "service"))
    return;
  if (!self->escape_armed)
    {
      self->escape_armed = TRUE;
      _kiosk_window_set_title (self, question, TRUE);
      kiosk_speech_say (self->speech, question);
      return;
    }
  _kiosk_window_disarm_escape (self);
  if (g_str_equal (page, "service"))
    kiosk_window_show_page (self, "catalog");
  else
    back_action (widget, NULL, NULL);
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
  kiosk_done_page_set_next_steps (KIOSK_DONE_PAGE (self->done_page),
                                  kiosk_service_get_next_steps (kiosk_session_get_service (self->session),
                                                                kiosk_session_get_language (self->session)));
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
  const char *staff_language;

  kiosk_window_reset_session (self);
  /* Staff screens speak the office's language ([staff] language, by
   * default the kiosk's first), never the last citizen's; leaving staff
   * mode resets to the kiosk's first language again. */
  staff_language = kiosk_config_get_staff_language (kiosk_context_get_config (self->context));
  if (g_strcmp0 (staff_language, kiosk_session_get_language (self->session)) != 0)
    _kiosk_window_apply_language (self, staff_language);
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
logo_hold_stop (KioskWindow *self)
{
  if (self->logo_hold_id != 0)
    kiosk_clock_remove_timeout (kiosk_context_get_clock (self->context), self->logo_hold_id);
  self->logo_hold_id = 0;
}

/* The hold runs on the kiosk's clock (the fake one in tests) from the
 * finger's touching down to its lifting off, and nothing else ends it. */
static void
logo_pressed_cb (KioskWindow *self)
{
  logo_hold_stop (self);
  self->logo_hold_id = kiosk_clock_add_timeout (kiosk_context_get_clock (self->context),
                                                3000, logo_held_cb, self, NULL);
}

static void
logo_released_cb (KioskWindow *self)
{
  /* Let go before 3 s: nothing happens. */
  logo_hold_stop (self);
}

static void
logo_dragged_cb (KioskWindow *self,
                 double       offset_x,
                 double       offset_y)
{
  /* A finger that slides away (scrolling, a swipe) is not holding. */
  if (ABS (offset_x) > 48 || ABS (offset_y) > 48)
    logo_hold_stop (self);
}

void
_kiosk_window_stop_logo_hold (KioskWindow *self)
{
  logo_hold_stop (self);
}

static void
start_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  kiosk_window_show_page (KIOSK_WINDOW (widget), "catalog");
}

/* After a language switch mid-session: the same page again, built in the
 * new language from the session's state, answers and step included. */
static void
restore_page (KioskWindow *self,
              const char  *page)
{
  KioskForm *form = kiosk_session_get_form (self->session);

  if (page == NULL || g_str_equal (page, "welcome"))
    return;
  _kiosk_window_ensure_pages (self);
  if (g_str_equal (page, "service") && kiosk_session_get_service (self->session) != NULL)
    {
      /* The new service page shows the session's service from the start. */
      kiosk_window_show_page (self, "service");
    }
  else if (g_str_equal (page, "form") && form != NULL)
    show_step (self, kiosk_session_get_step (self->session));
  else if (g_str_equal (page, "review") && form != NULL)
    show_review (self);
  else if (g_str_equal (page, "status"))
    gtk_widget_activate_action (GTK_WIDGET (self), "kiosk.status", NULL);
  else
    kiosk_window_show_page (self, "catalog");
}

static void
language_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  KioskWindow *self = KIOSK_WINDOW (widget);
  const char *language = g_variant_get_string (parameter, NULL);
  g_autofree char *page = NULL;

  if (!g_strv_contains (_kiosk_window_get_languages (self), language))
    return;
  page = g_strdup (kiosk_window_get_page_name (self));
  _kiosk_window_apply_language (self, language);
  restore_page (self, page);
}

/* "Vorlesen", and the keypad's help key: speech on for this session, and
 * the page and the focused control read (again). */
static void
read_aloud_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  KioskWindow *self = KIOSK_WINDOW (widget);

  kiosk_speech_set_active (self->speech, TRUE);
  kiosk_speech_repeat (self->speech);
}

static void
speech_adjust_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  KioskWindow *self = KIOSK_WINDOW (widget);
  int volume = 0, rate = 0;

  g_variant_get (parameter, "(ii)", &volume, &rate);
  kiosk_speech_adjust (self->speech, volume, rate);
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
      /* With a hub, codes of other kiosks are asked there; without one,
       * of the Submission API when the kiosk has one (#16). */
      {
        KioskConfig *config = kiosk_context_get_config (self->context);
        const char *url = kiosk_config_get_couchdb_url (config);
        const char *api_url = kiosk_config_get_backend_url (config);

        if (self->status_hub == NULL && url != NULL && *url != '\0')
          {
            g_autoptr(GError) error = NULL;

            self->status_hub = kiosk_couchdb_target_new (config, kiosk_context_get_clock (self->context), 1, &error);
            if (self->status_hub == NULL)
              g_message ("the status page cannot ask the hub: %s", error->message);
          }
        else if (self->status_api == NULL && (url == NULL || *url == '\0') && api_url != NULL && *api_url != '\0')
          {
            g_autoptr(GError) error = NULL;

            self->status_api = kiosk_submission_target_new (config, kiosk_context_get_clock (self->context), 1, &error);
            if (self->status_api == NULL)
              g_message ("the status page cannot ask the Submission API: %s", error->message);
          }
        kiosk_status_page_set_hub (KIOSK_STATUS_PAGE (self->status_page), self->status_hub);
        kiosk_status_page_set_api (KIOSK_STATUS_PAGE (self->status_page), self->status_api);
      }
    }
  kiosk_window_show_page (self, "status");
  gtk_widget_grab_focus (kiosk_status_page_get_code_entry (KIOSK_STATUS_PAGE (self->status_page)));
}

static void
start_over_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  KioskWindow *self = KIOSK_WINDOW (widget);

  if (self->discard != KIOSK_DISCARD_NONE)
    return;
  if (answers_would_be_lost (self))
    ask_before_discarding (self, KIOSK_DISCARD_START_OVER);
  else
    kiosk_window_reset_session (self);
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
  /* Silence at once; the next person starts speech again. */
  kiosk_speech_reset (self->speech);
  _kiosk_window_hide_discard (self);
  g_weak_ref_set (&self->discard_focus, NULL);
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
  gtk_widget_class_install_action (widget_class, "kiosk.read-aloud", NULL, read_aloud_action);
  gtk_widget_class_install_action (widget_class, "kiosk.escape", NULL, escape_action);
  gtk_widget_class_install_action (widget_class, "kiosk.speech-adjust", "(ii)", speech_adjust_action);
  /* The keypad (docs/accessibility.md): help repeats, volume and rate. */
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F1, 0, "kiosk.read-aloud", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Help, 0, "kiosk.read-aloud", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F7, 0, "kiosk.speech-adjust", "(ii)", 0, -10);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F8, 0, "kiosk.speech-adjust", "(ii)", 0, 10);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F9, 0, "kiosk.speech-adjust", "(ii)", -10, 0);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F10, 0, "kiosk.speech-adjust", "(ii)", 10, 0);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_AudioLowerVolume, 0, "kiosk.speech-adjust", "(ii)", -10, 0);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_AudioRaiseVolume, 0, "kiosk.speech-adjust", "(ii)", 10, 0);
  gtk_widget_class_install_action (widget_class, "kiosk.status", NULL, status_action);
  gtk_widget_class_install_action (widget_class, "kiosk.info", NULL, info_action);
  gtk_widget_class_install_action (widget_class, "kiosk.more-time", NULL, more_time_action);
  gtk_widget_class_install_action (widget_class, "kiosk.show-catalog", NULL, show_catalog_action);
  gtk_widget_class_install_action (widget_class, "kiosk.open-service", "s", open_service_action);
  gtk_widget_class_install_action (widget_class, "kiosk.begin-form", NULL, begin_form_action);
  gtk_widget_class_install_action (widget_class, "kiosk.next", NULL, next_action);
  gtk_widget_class_install_action (widget_class, "kiosk.back", NULL, back_action);
  gtk_widget_class_install_action (widget_class, "kiosk.keep-answers", NULL, keep_answers_action);
  gtk_widget_class_install_action (widget_class, "kiosk.discard-answers", NULL, discard_answers_action);
  gtk_widget_class_install_action (widget_class, "kiosk.edit-step", "u", edit_step_action);
  gtk_widget_class_install_action (widget_class, "kiosk.send", NULL, send_action);
  gtk_widget_class_install_action (widget_class, "kiosk.print-refer", NULL, print_refer_action);
  gtk_widget_class_install_action (widget_class, "kiosk.staff", NULL, staff_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_k, GDK_CONTROL_MASK | GDK_ALT_MASK, "kiosk.staff", NULL);

  /* Keyboard-only use: Escape goes one step back, after asking once
   * (escape_action). */
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "kiosk.escape", NULL);
}

void
_kiosk_window_actions_init (KioskWindow *self)
{
  GtkGesture *hold;

  /* Staff: press and hold the city's name for 3 s.  Neither
   * GtkGestureLongPress (it cannot wait that long on GTK 4.8) nor
   * GtkGestureClick (its "stopped" comes at the double-click timeout,
   * 0.4 s) can tell a 3 s hold; a drag gesture begins on the press and ends
   * only on the release or a cancel. */
  hold = gtk_gesture_drag_new ();
  gtk_gesture_single_set_touch_only (GTK_GESTURE_SINGLE (hold), FALSE);
  g_signal_connect_swapped (hold, "drag-begin", G_CALLBACK (logo_pressed_cb), self);
  g_signal_connect_swapped (hold, "drag-update", G_CALLBACK (logo_dragged_cb), self);
  g_signal_connect_swapped (hold, "drag-end", G_CALLBACK (logo_released_cb), self);
  g_signal_connect_swapped (hold, "cancel", G_CALLBACK (logo_released_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self->title_squeezer), GTK_EVENT_CONTROLLER (hold));

}

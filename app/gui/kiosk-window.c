/* kiosk-window.c
 *
 * SPDX-FileCopyrightText: 2026 Stadtkiosk contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "stadtkiosk"

#include "config.h"

#include <glib/gi18n.h>

#include "kiosk-window.h"
#include "kiosk-session.h"
#include "kiosk-staff-screen.h"
#include "kiosk-catalog-page.h"
#include "kiosk-done-page.h"
#include "kiosk-form-page.h"
#include "kiosk-review-page.h"
#include "kiosk-service-page.h"
#include "kiosk-welcome-page.h"

/* The kiosk window holds one citizen's session: the pages, the language,
 * the display toggles and the idle watcher.  A session ends on "start over",
 * after the done page and when the idle countdown runs out; the reset then
 * throws away every page widget and builds new ones, so that nothing typed
 * by one person (entries, undo stacks, scroll positions, open popovers) can
 * be reached by the next. */

struct _KioskWindow
{
  AdwApplicationWindow  parent_instance;

  /* template */
  GtkOverlay           *overlay;
  GtkWidget            *top_bar;
  GtkLabel             *title_label;
  GtkToggleButton      *large_text_button;
  GtkToggleButton      *contrast_button;
  GtkButton            *start_over_button;
  GtkStack             *stack;
  GtkRevealer          *keyboard_revealer;
  KioskKeyboard        *keyboard;
  GtkWidget            *idle_overlay;
  GtkLabel             *idle_title;
  GtkLabel             *idle_countdown;
  GtkButton            *more_time_button;

  KioskContext         *context;
  KioskSession         *session;         /* the citizen's; reset, never replaced */
  KioskIdle            *idle;
  gboolean              high_contrast;
  gboolean              large_text;
  gboolean              online;
  KioskSync            *sync;            /* nullable: no sync in tests */

  GtkWidget            *staff_screen;    /* staff: PIN pad, clerk, admin (lazy) */
  guint                 logo_hold_id;    /* staff: the 3 s hold on the city's name */

  GtkWidget            *welcome_page;
  GtkWidget            *catalog_page;
  GtkWidget            *service_page;
  GtkWidget            *form_page;
  GtkWidget            *review_page;
  GtkWidget            *done_page;
};

enum {
  PROP_0,
  PROP_HIGH_CONTRAST,
  PROP_LARGE_TEXT,
  N_PROPS,
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (KioskWindow, kiosk_window, ADW_TYPE_APPLICATION_WINDOW)

static const char * const *
configured_languages (KioskWindow *self)
{
  return kiosk_config_get_languages (kiosk_context_get_config (self->context));
}

static void
set_accessible_label (gpointer    widget,
                      const char *label)
{
  gtk_accessible_update_property (GTK_ACCESSIBLE (widget),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, label,
                                  -1);
}

/* The strings of the window's own chrome; the pages get theirs from their
 * templates when they are built. */
static void
retranslate_chrome (KioskWindow *self)
{
  gtk_label_set_text (self->title_label, _("Stadtkiosk Hildesheim"));
  gtk_button_set_label (GTK_BUTTON (self->large_text_button), _("Large text"));
  set_accessible_label (self->large_text_button, _("Large text"));
  gtk_button_set_label (GTK_BUTTON (self->contrast_button), _("High contrast"));
  set_accessible_label (self->contrast_button, _("High contrast"));
  gtk_button_set_label (self->start_over_button, _("Start over"));
  set_accessible_label (self->start_over_button, _("Start over and delete my entries"));
  gtk_label_set_text (self->idle_title, _("Are you still there?"));
  gtk_button_set_label (self->more_time_button, _("I need more time"));
  set_accessible_label (self->more_time_button, _("I need more time"));
  set_accessible_label (self->keyboard, _("On-screen keyboard"));
}

static void
update_chrome (KioskWindow *self)
{
  const char *page = gtk_stack_get_visible_child_name (self->stack);

  /* On the welcome page nothing can be started over yet. */
  gtk_widget_set_visible (GTK_WIDGET (self->start_over_button),
                          g_strcmp0 (page, "welcome") != 0);
}

static void
update_keyboard (KioskWindow *self)
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
 * being typed into must stay visible above it, with its label: the whole
 * field (a form row, class kiosk-field) when there is one. */
static void
scroll_focus_into_view (KioskWindow *self)
{
  GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (self));
  GtkWidget *shown;
  GtkWidget *scroller;
  graphene_rect_t bounds;
  GtkAdjustment *adj;
  double height;

  if (focus == NULL)
    return;
  shown = focus;
  for (GtkWidget *w = focus; w != NULL; w = gtk_widget_get_parent (w))
    if (gtk_widget_has_css_class (w, "kiosk-field"))
      {
        shown = w;
        break;
      }
  scroller = gtk_widget_get_ancestor (shown, GTK_TYPE_SCROLLED_WINDOW);
  if (scroller == NULL || !gtk_widget_compute_bounds (shown, scroller, &bounds))
    return;
  adj = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scroller));
  height = gtk_widget_get_height (scroller);
  if (bounds.origin.y < 0 || bounds.origin.y + bounds.size.height > height)
    {
      /* Its top a little below the top when it fits or not; a tall
       * field (a long text) then shows its beginning. */
      double delta = bounds.origin.y - 12;

      if (bounds.size.height + 24 <= height && bounds.origin.y >= 0)
        delta = bounds.origin.y + bounds.size.height + 12 - height;
      gtk_adjustment_set_value (adj, gtk_adjustment_get_value (adj) + delta);
    }
}

static void
focus_changed_cb (KioskWindow *self)
{
  update_keyboard (self);
  scroll_focus_into_view (self);
}

static void
rebuild_pages (KioskWindow *self)
{
  GtkWidget *child;

  gtk_window_set_default_widget (GTK_WINDOW (self), NULL);
  gtk_window_set_focus (GTK_WINDOW (self), NULL);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->stack))) != NULL)
    gtk_stack_remove (self->stack, child);

  self->catalog_page = NULL;
  self->service_page = NULL;
  self->form_page = NULL;
  self->review_page = NULL;
  self->done_page = NULL;
  self->staff_screen = NULL;   /* staff: built again on the next unlock */

  /* Only the welcome page is built now; the others when a session starts,
   * which keeps the kiosk's start (and its first frame) short. */
  self->welcome_page = kiosk_welcome_page_new (configured_languages (self),
                                               kiosk_session_get_language (self->session));
  kiosk_welcome_page_set_online (KIOSK_WELCOME_PAGE (self->welcome_page), self->online);
  gtk_stack_add_named (self->stack, self->welcome_page, "welcome");

  gtk_stack_set_visible_child_name (self->stack, "welcome");
  update_chrome (self);
}

static void
ensure_session_pages (KioskWindow *self)
{
  if (self->catalog_page != NULL)
    return;

  self->catalog_page = kiosk_catalog_page_new (kiosk_session_get_catalog (self->session),
                                               kiosk_session_get_language (self->session));
  gtk_stack_add_named (self->stack, self->catalog_page, "catalog");
  self->service_page = kiosk_service_page_new ();
  gtk_stack_add_named (self->stack, self->service_page, "service");
  self->form_page = kiosk_form_page_new ();
  gtk_stack_add_named (self->stack, self->form_page, "form");
  self->review_page = kiosk_review_page_new ();
  gtk_stack_add_named (self->stack, self->review_page, "review");
  self->done_page = kiosk_done_page_new (self->session);
  gtk_stack_add_named (self->stack, self->done_page, "done");
}

/* Switches every string of the UI at once: gettext is pointed at the
 * language, and the pages are built anew from their templates. */
static void
apply_language (KioskWindow *self,
                const char  *language)
{
  kiosk_session_set_language (self->session, language);
  kiosk_use_language (language);

  gtk_widget_set_default_direction (g_str_equal (language, "ar") ? GTK_TEXT_DIR_RTL
                                                                  : GTK_TEXT_DIR_LTR);
  kiosk_keyboard_set_language (self->keyboard, language);
  retranslate_chrome (self);
  rebuild_pages (self);
}

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

static void
idle_expired_cb (KioskWindow *self)
{
  g_debug ("Session ended after the idle timeout");
  kiosk_window_reset_session (self);
}

static void
idle_warning_changed_cb (KioskWindow *self)
{
  gboolean warning = kiosk_idle_get_warning (self->idle);
  guint remaining = kiosk_idle_get_remaining (self->idle);

  if (warning)
    {
      g_autofree char *text =
        g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                      "Everything you entered will be deleted in %u second.",
                                      "Everything you entered will be deleted in %u seconds.",
                                      remaining),
                         remaining);

      gtk_label_set_text (self->idle_countdown, text);
    }
  if (gtk_widget_get_visible (self->idle_overlay) != warning)
    {
      gtk_widget_set_visible (self->idle_overlay, warning);
      if (warning)
        gtk_widget_grab_focus (GTK_WIDGET (self->more_time_button));
    }
}


/* Nothing typed into the form page stays in its widgets. */
static void
clear_form_page (KioskWindow *self)
{
  if (self->form_page != NULL)
    kiosk_form_page_clear (KIOSK_FORM_PAGE (self->form_page));
}

/* A double or triple tap must make one request: "send" is off while the
 * form is being sent and once it was. */
static void
update_send_action (KioskWindow *self)
{
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "kiosk.send",
                                 !kiosk_session_get_sending (self->session) &&
                                 !kiosk_session_get_sent (self->session));
}

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
sync_state_changed_cb (KioskWindow *self)
{
  KioskSyncState state = kiosk_sync_get_state (self->sync);

  self->online = state == KIOSK_SYNC_ONLINE || state == KIOSK_SYNC_SYNCING;
  if (self->welcome_page != NULL && KIOSK_IS_WELCOME_PAGE (self->welcome_page))
    kiosk_welcome_page_set_online (KIOSK_WELCOME_PAGE (self->welcome_page), self->online);
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

  ensure_session_pages (self);
  if (!kiosk_session_open_service (self->session, id))
    return;
  clear_form_page (self);
  kiosk_service_page_set_service (KIOSK_SERVICE_PAGE (self->service_page),
                                  kiosk_session_get_service (self->session),
                                  kiosk_session_get_language (self->session), self->online);
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

  if (!g_strv_contains (configured_languages (self), language))
    return;
  apply_language (self, language);
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

/* For tests/bench/bench-startup: the monotonic time of the first frame
 * that was painted, on stdout, once. */
static void
first_paint_cb (GdkFrameClock *clock,
                KioskWindow   *self)
{
  g_print ("first-paint %" G_GINT64_FORMAT "\n", g_get_monotonic_time ());
  fflush (stdout);
  g_signal_handlers_disconnect_by_func (clock, first_paint_cb, self);
}

static void
kiosk_window_realize (GtkWidget *widget)
{
  GTK_WIDGET_CLASS (kiosk_window_parent_class)->realize (widget);

  if (g_getenv ("STADTKIOSK_REPORT_FIRST_PAINT") != NULL)
    g_signal_connect (gtk_widget_get_frame_clock (widget), "after-paint",
                      G_CALLBACK (first_paint_cb), widget);
}

/* A public terminal cannot be closed by its users: Alt+F4 and the like are
 * refused.  The session manager (cage + systemd) stops the process instead. */
static gboolean
kiosk_window_close_request (GtkWindow *window)
{
  return TRUE;
}

/* Ctrl+Shift+I / Ctrl+Shift+D would open the GTK Inspector. */
static gboolean
kiosk_window_enable_debugging (GtkWindow *window,
                               gboolean   toggle)
{
  return TRUE;
}

static void
set_css_flag (KioskWindow *self,
              gboolean    *field,
              gboolean     value,
              const char  *css_class,
              GParamSpec  *pspec)
{
  if (*field == value)
    return;
  *field = value;
  if (value)
    gtk_widget_add_css_class (GTK_WIDGET (self), css_class);
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self), css_class);
  g_object_notify_by_pspec (G_OBJECT (self), pspec);
}

static void
kiosk_window_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  KioskWindow *self = KIOSK_WINDOW (object);

  switch (prop_id)
    {
    case PROP_HIGH_CONTRAST:
      g_value_set_boolean (value, self->high_contrast);
      break;
    case PROP_LARGE_TEXT:
      g_value_set_boolean (value, self->large_text);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kiosk_window_set_property (GObject      *object,
                           guint         prop_id,
                           const GValue *value,
                           GParamSpec   *pspec)
{
  KioskWindow *self = KIOSK_WINDOW (object);

  switch (prop_id)
    {
    case PROP_HIGH_CONTRAST:
      set_css_flag (self, &self->high_contrast, g_value_get_boolean (value),
                    "kiosk-high-contrast", pspec);
      break;
    case PROP_LARGE_TEXT:
      set_css_flag (self, &self->large_text, g_value_get_boolean (value),
                    "kiosk-large-text", pspec);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kiosk_window_dispose (GObject *object)
{
  KioskWindow *self = (KioskWindow *)object;

  g_clear_handle_id (&self->logo_hold_id, g_source_remove);
  if (self->idle != NULL)
    kiosk_idle_stop (self->idle);
  g_clear_object (&self->idle);
  g_clear_object (&self->session);
  if (self->sync != NULL)
    g_signal_handlers_disconnect_by_data (self->sync, self);
  g_clear_object (&self->sync);
  g_clear_object (&self->context);

  G_OBJECT_CLASS (kiosk_window_parent_class)->dispose (object);
}

static void
kiosk_window_class_init (KioskWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = kiosk_window_dispose;
  object_class->get_property = kiosk_window_get_property;
  object_class->set_property = kiosk_window_set_property;
  widget_class->realize = kiosk_window_realize;
  window_class->close_request = kiosk_window_close_request;
  window_class->enable_debugging = kiosk_window_enable_debugging;

  properties[PROP_HIGH_CONTRAST] =
    g_param_spec_boolean ("high-contrast", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_LARGE_TEXT] =
    g_param_spec_boolean ("large-text", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (KIOSK_TYPE_KEYBOARD);
  gtk_widget_class_set_template_from_resource (widget_class, "/de/hildesheim/Stadtkiosk/kiosk-window.ui");
  gtk_widget_class_bind_template_child (widget_class, KioskWindow, overlay);
  gtk_widget_class_bind_template_child (widget_class, KioskWindow, top_bar);
  gtk_widget_class_bind_template_child (widget_class, KioskWindow, title_label);
  gtk_widget_class_bind_template_child (widget_class, KioskWindow, large_text_button);
  gtk_widget_class_bind_template_child (widget_class, KioskWindow, contrast_button);
  gtk_widget_class_bind_template_child (widget_class, KioskWindow, start_over_button);
  gtk_widget_class_bind_template_child (widget_class, KioskWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, KioskWindow, keyboard_revealer);
  gtk_widget_class_bind_template_child (widget_class, KioskWindow, keyboard);
  gtk_widget_class_bind_template_child (widget_class, KioskWindow, idle_overlay);
  gtk_widget_class_bind_template_child (widget_class, KioskWindow, idle_title);
  gtk_widget_class_bind_template_child (widget_class, KioskWindow, idle_countdown);
  gtk_widget_class_bind_template_child (widget_class, KioskWindow, more_time_button);

  gtk_widget_class_install_property_action (widget_class, "kiosk.high-contrast", "high-contrast");
  gtk_widget_class_install_property_action (widget_class, "kiosk.large-text", "large-text");
  gtk_widget_class_install_action (widget_class, "kiosk.start", NULL, start_action);
  gtk_widget_class_install_action (widget_class, "kiosk.language", "s", language_action);
  gtk_widget_class_install_action (widget_class, "kiosk.start-over", NULL, start_over_action);
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

static void
kiosk_window_init (KioskWindow *self)
{
  GtkGesture *hold;

  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_widget_add_css_class (GTK_WIDGET (self), "kiosk");

  /* Staff: press and hold the city's name for 3 s (GtkGestureLongPress
   * cannot wait that long on GTK 4.8). */
  hold = gtk_gesture_click_new ();
  g_signal_connect_swapped (hold, "pressed", G_CALLBACK (logo_pressed_cb), self);
  g_signal_connect_swapped (hold, "released", G_CALLBACK (logo_released_cb), self);
  g_signal_connect_swapped (hold, "stopped", G_CALLBACK (logo_released_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self->title_label), GTK_EVENT_CONTROLLER (hold));

  g_signal_connect (self, "notify::focus-widget", G_CALLBACK (focus_changed_cb), NULL);
  g_signal_connect_swapped (self->stack, "notify::visible-child-name",
                            G_CALLBACK (update_chrome), self);
  g_signal_connect_swapped (self->keyboard_revealer, "notify::child-revealed",
                            G_CALLBACK (scroll_focus_into_view), self);
}

/**
 * kiosk_window_new_for_context:
 * @context: the kiosk's core
 *
 * The window without an application, for tests.  A kiosk without a core
 * shows a #KioskOutOfServiceWindow instead.
 */
KioskWindow *
kiosk_window_new_for_context (KioskContext *context)
{
  KioskWindow *self;
  KioskConfig *config;

  g_return_val_if_fail (KIOSK_IS_CONTEXT (context), NULL);

  self = g_object_new (KIOSK_TYPE_WINDOW, NULL);
  self->context = g_object_ref (context);
  self->session = kiosk_session_new (context);
  g_signal_connect_object (self->session, "notify::sending", G_CALLBACK (update_send_action),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->session, "notify::sent", G_CALLBACK (update_send_action),
                           self, G_CONNECT_SWAPPED);
  config = kiosk_context_get_config (context);
  self->idle = kiosk_idle_new (kiosk_context_get_clock (context),
                               kiosk_config_get_idle_timeout (config),
                               kiosk_config_get_idle_warning (config));
  kiosk_idle_attach (self->idle, GTK_WIDGET (self));
  g_signal_connect_object (self->idle, "expired", G_CALLBACK (idle_expired_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->idle, "notify::warning", G_CALLBACK (idle_warning_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->idle, "notify::remaining", G_CALLBACK (idle_warning_changed_cb), self, G_CONNECT_SWAPPED);

  apply_language (self, kiosk_session_get_language (self->session));

  return self;
}

/**
 * kiosk_window_set_sync:
 *
 * Shows @sync's connection state on the welcome page.
 */
void
kiosk_window_set_sync (KioskWindow *self,
                       KioskSync   *sync)
{
  g_return_if_fail (KIOSK_IS_WINDOW (self));

  if (self->sync != NULL)
    g_signal_handlers_disconnect_by_data (self->sync, self);
  g_set_object (&self->sync, sync);
  if (sync != NULL)
    {
      g_signal_connect_object (sync, "notify::state", G_CALLBACK (sync_state_changed_cb),
                               self, G_CONNECT_SWAPPED);
      sync_state_changed_cb (self);
    }
}

KioskWindow *
kiosk_window_new (KioskApplication *app)
{
  KioskWindow *self = kiosk_window_new_for_context (kiosk_application_get_context (app));

  gtk_window_set_application (GTK_WINDOW (self), GTK_APPLICATION (app));
  kiosk_window_set_sync (self, kiosk_application_get_sync (app));

  return self;
}

const char *
kiosk_window_get_page_name (KioskWindow *self)
{
  g_return_val_if_fail (KIOSK_IS_WINDOW (self), NULL);
  return gtk_stack_get_visible_child_name (self->stack);
}

GtkWidget *
kiosk_window_get_page (KioskWindow *self)
{
  g_return_val_if_fail (KIOSK_IS_WINDOW (self), NULL);
  return gtk_stack_get_visible_child (self->stack);
}

const char *
kiosk_window_get_language (KioskWindow *self)
{
  g_return_val_if_fail (KIOSK_IS_WINDOW (self), NULL);
  return kiosk_session_get_language (self->session);
}

KioskIdle *
kiosk_window_get_idle (KioskWindow *self)
{
  g_return_val_if_fail (KIOSK_IS_WINDOW (self), NULL);
  return self->idle;
}

KioskKeyboard *
kiosk_window_get_keyboard (KioskWindow *self)
{
  g_return_val_if_fail (KIOSK_IS_WINDOW (self), NULL);
  return self->keyboard;
}

gboolean
kiosk_window_get_keyboard_shown (KioskWindow *self)
{
  g_return_val_if_fail (KIOSK_IS_WINDOW (self), FALSE);
  return gtk_revealer_get_reveal_child (self->keyboard_revealer);
}

void
kiosk_window_show_page (KioskWindow *self,
                        const char  *name)
{
  g_return_if_fail (KIOSK_IS_WINDOW (self));

  if (!g_str_equal (name, "welcome"))
    ensure_session_pages (self);
  /* Nothing of the previous page keeps the focus or the Enter key. */
  gtk_window_set_default_widget (GTK_WINDOW (self), NULL);
  gtk_window_set_focus (GTK_WINDOW (self), NULL);
  gtk_stack_set_visible_child_name (self->stack, name);
  if (g_str_equal (name, "welcome"))
    kiosk_idle_stop (self->idle);
  else if (!kiosk_idle_get_running (self->idle))
    kiosk_idle_start (self->idle);
  update_keyboard (self);
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
  clear_form_page (self);
  /* Also ends a staff "Assist" and forgets the catalogue: one pulled
   * during the session is shown to the next person. */
  kiosk_session_reset (self->session);

  clipboard = gtk_widget_get_clipboard (GTK_WIDGET (self));
  gdk_clipboard_set_text (clipboard, "");
  clipboard = gtk_widget_get_primary_clipboard (GTK_WIDGET (self));
  gdk_clipboard_set_text (clipboard, "");

  g_object_set (self, "high-contrast", FALSE, "large-text", FALSE, NULL);
  gtk_window_set_focus (GTK_WINDOW (self), NULL);
  apply_language (self, kiosk_session_get_language (self->session));
  kiosk_window_show_page (self, "welcome");
}

KioskForm *
kiosk_window_get_form (KioskWindow *self)
{
  g_return_val_if_fail (KIOSK_IS_WINDOW (self), NULL);
  return kiosk_session_get_form (self->session);
}

KioskRequest *
kiosk_window_get_request (KioskWindow *self)
{
  g_return_val_if_fail (KIOSK_IS_WINDOW (self), NULL);
  return kiosk_session_get_request (self->session);
}

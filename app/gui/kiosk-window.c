/* kiosk-window.c
 *
 * SPDX-FileCopyrightText: 2026 Stadtkiosk contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "stadtkiosk"

#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>

#include "kiosk-window.h"
#include "kiosk-language-button.h"
#include "kiosk-speech.h"
#include "kiosk-a11y.h"
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
  GtkWidget            *language_button;
  GtkWidget            *read_aloud_button;
  KioskSpeech          *speech;          /* reads the screen aloud, see kiosk-speech.c */
  gboolean              escape_armed;    /* Escape once asked "again to go back?" */
  GtkStack             *stack;
  GtkRevealer          *keyboard_revealer;
  KioskKeyboard        *keyboard;
  GtkWidget            *idle_overlay;
  GtkLabel             *idle_title;
  GtkLabel             *idle_countdown;
  GtkButton            *more_time_button;

  KioskContext         *context;
  char                 *startup_error;
  KioskIdle            *idle;
  char                 *language;        /* the session's, e.g. "de" */
  gboolean              high_contrast;
  gboolean              large_text;
  gboolean              online;
  KioskSync            *sync;            /* nullable: no sync in tests */
  KioskPrinter         *printer;         /* from [printer]; NULL if it is misconfigured */
  char                 *printer_error;   /* why there is no printer */

  /* The session.  Everything here is dropped on reset. */
  KioskCatalog         *catalog;
  KioskService         *service;
  KioskForm            *form;
  KioskForm            *sent_form;       /* the form that was enqueued; never twice */
  KioskRequest         *request;
  guint                 step;
  gboolean              sending;
  gboolean              assisted;        /* staff: a clerk fills it in for someone */
  gboolean              refer_printing;  /* a refer slip is on its way; one per tap */

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

static const char *
default_language (KioskWindow *self)
{
  const char * const *languages = NULL;

  if (self->context != NULL)
    languages = kiosk_config_get_languages (kiosk_context_get_config (self->context));
  if (languages != NULL && languages[0] != NULL)
    return languages[0];
  return "de";
}

static const char * const *
configured_languages (KioskWindow *self)
{
  static const char * const fallback[] = { "de", "en", NULL };

  if (self->context != NULL)
    return kiosk_config_get_languages (kiosk_context_get_config (self->context));
  return fallback;
}

static void
set_accessible_label (gpointer    widget,
                      const char *label)
{
  /* Speech says the same as a screen reader would. */
  kiosk_speech_set_accessible_label (GTK_WIDGET (widget), label);
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
  gtk_button_set_label (GTK_BUTTON (self->read_aloud_button), _("Read aloud"));
  set_accessible_label (self->read_aloud_button, _("Read aloud"));
}

static void
update_chrome (KioskWindow *self)
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
                                 kiosk_keyboard_layout_for_purpose (purpose, self->language));
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

  if (self->context == NULL)
    {
      /* The kiosk could not open its database or configuration: it must
       * not invite anyone to fill in a form it cannot save.  The reason is
       * for the staff; the citizen is sent to the counter. */
      GtkWidget *page = adw_status_page_new ();
      GtkWidget *detail = gtk_label_new (self->startup_error);

      adw_status_page_set_icon_name (ADW_STATUS_PAGE (page), "dialog-warning-symbolic");
      adw_status_page_set_title (ADW_STATUS_PAGE (page), _("This kiosk is out of service"));
      adw_status_page_set_description (ADW_STATUS_PAGE (page),
                                       _("Requests cannot be saved here right now. Please ask at the counter; "
                                         "the staff can help you there."));
      gtk_label_set_wrap (GTK_LABEL (detail), TRUE);
      gtk_label_set_max_width_chars (GTK_LABEL (detail), 80);
      gtk_widget_add_css_class (detail, "dim-label");
      adw_status_page_set_child (ADW_STATUS_PAGE (page), detail);
      gtk_widget_add_css_class (page, "kiosk-out-of-service");
      self->welcome_page = page;
      gtk_stack_add_named (self->stack, page, "welcome");
      gtk_widget_action_set_enabled (GTK_WIDGET (self), "kiosk.start", FALSE);
      gtk_stack_set_visible_child_name (self->stack, "welcome");
      update_chrome (self);
      return;
    }

  /* Only the welcome page is built now; the others when a session starts,
   * which keeps the kiosk's start (and its first frame) short. */
  self->welcome_page = kiosk_welcome_page_new (configured_languages (self), self->language);
  kiosk_welcome_page_set_online (KIOSK_WELCOME_PAGE (self->welcome_page), self->online);
  gtk_stack_add_named (self->stack, self->welcome_page, "welcome");

  gtk_stack_set_visible_child_name (self->stack, "welcome");
  update_chrome (self);
}

static void load_catalog (KioskWindow *self);

static void
ensure_session_pages (KioskWindow *self)
{
  if (self->catalog_page != NULL)
    return;
  if (self->catalog == NULL)
    load_catalog (self);

  self->catalog_page = kiosk_catalog_page_new (self->catalog, self->language);
  gtk_stack_add_named (self->stack, self->catalog_page, "catalog");
  self->service_page = kiosk_service_page_new ();
  gtk_stack_add_named (self->stack, self->service_page, "service");
  self->form_page = kiosk_form_page_new ();
  gtk_stack_add_named (self->stack, self->form_page, "form");
  self->review_page = kiosk_review_page_new ();
  gtk_stack_add_named (self->stack, self->review_page, "review");
  self->done_page = kiosk_done_page_new ();
  gtk_stack_add_named (self->stack, self->done_page, "done");
}

/* Switches every string of the UI at once: gettext is pointed at the
 * language, and the pages are built anew from their templates. */
static void
apply_language (KioskWindow *self,
                const char  *language)
{
  const char *locale = kiosk_language_get_locale (language);

  g_free (self->language);
  self->language = g_strdup (language);

  /* The core translates into the session language itself (kiosk-language.c);
   * GTK and the .ui templates go through gettext, pointed at it here. */
  kiosk_language_set_current (language);
  g_setenv ("LANGUAGE", kiosk_language_get_gettext_languages (language) != NULL
                        ? kiosk_language_get_gettext_languages (language) : language, TRUE);
  /* Where the locale is generated, GTK's own strings switch too; where it
   * is not, ours still do through LANGUAGE. */
  if (locale == NULL || setlocale (LC_MESSAGES, locale) == NULL)
    {
      const char *current = setlocale (LC_MESSAGES, NULL);

      /* gettext ignores LANGUAGE in the plain C locale (a kiosk started
       * by systemd without LANG); C.UTF-8 always exists and honours it. */
      if (current == NULL || g_str_equal (current, "C") || g_str_equal (current, "POSIX"))
        setlocale (LC_MESSAGES, "C.UTF-8");
    }
  /* Setting the text domain again makes gettext drop its cached lookups. */
  textdomain (GETTEXT_PACKAGE);

  gtk_widget_set_default_direction (kiosk_language_is_rtl (language) ? GTK_TEXT_DIR_RTL
                                                                     : GTK_TEXT_DIR_LTR);
  kiosk_keyboard_set_language (self->keyboard, language);
  retranslate_chrome (self);
  kiosk_language_button_set_languages (KIOSK_LANGUAGE_BUTTON (self->language_button),
                                       configured_languages (self), language);
  if (self->speech != NULL)
    kiosk_speech_set_language (self->speech, language);
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
        {
          g_autofree char *said = g_strdup_printf ("%s %s", gtk_label_get_text (self->idle_title),
                                                   gtk_label_get_text (self->idle_countdown));

          kiosk_speech_say (self->speech, said);
          gtk_widget_grab_focus (GTK_WIDGET (self->more_time_button));
        }
    }
}


static void
load_catalog (KioskWindow *self)
{
  g_autoptr(GError) error = NULL;

  g_clear_object (&self->catalog);
  if (self->context != NULL)
    self->catalog = kiosk_catalog_load_active (kiosk_context_get_store (self->context), &error);
  if (self->catalog == NULL)
    {
      /* The demo catalogue is bundled and always valid: a citizen never
       * sees an empty kiosk because the database could not be read. */
      if (error != NULL)
        g_warning ("Could not load the catalogue, showing the demo: %s", error->message);
      self->catalog = kiosk_catalog_new_demo ();
    }
}

static void
drop_session (KioskWindow *self)
{
  if (self->form != NULL)
    kiosk_form_clear (self->form);
  if (self->form_page != NULL)
    kiosk_form_page_clear (KIOSK_FORM_PAGE (self->form_page));
  g_clear_object (&self->form);
  g_clear_object (&self->sent_form);
  g_clear_object (&self->request);
  g_clear_object (&self->service);
  self->step = 0;
  self->sending = FALSE;
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "kiosk.send", TRUE);
}

static gboolean
step_visible (KioskWindow *self,
              guint        step)
{
  return step < kiosk_form_get_n_steps (self->form) &&
         kiosk_form_step_is_visible (self->form, step);
}

static void
show_step (KioskWindow *self,
           guint        step)
{
  self->step = step;
  kiosk_form_set_current_step (self->form, step);
  kiosk_form_page_show_step (KIOSK_FORM_PAGE (self->form_page), self->form, step, self->language);
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
  kiosk_review_page_set_form (KIOSK_REVIEW_PAGE (self->review_page), self->form, self->language);
  kiosk_window_show_page (self, "review");
}

static void
request_changed_cb (KioskWindow  *self,
                    KioskRequest *request)
{
  if (self->request == NULL ||
      g_strcmp0 (kiosk_request_get_id (request), kiosk_request_get_id (self->request)) != 0)
    return;
  g_set_object (&self->request, request);
  kiosk_done_page_set_state (KIOSK_DONE_PAGE (self->done_page), kiosk_request_get_state (request));
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
  KioskService *service;

  ensure_session_pages (self);
  service = kiosk_catalog_lookup (self->catalog, id);
  if (service == NULL)
    return;
  drop_session (self);
  self->service = g_object_ref (service);
  kiosk_service_page_set_service (KIOSK_SERVICE_PAGE (self->service_page), service,
                                  self->language, self->online);
  kiosk_window_show_page (self, "service");
}

static void
begin_form_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  KioskWindow *self = KIOSK_WINDOW (widget);
  KioskConfig *config;

  if (self->service == NULL)
    return;

  if (kiosk_service_get_offline_mode (self->service) == KIOSK_OFFLINE_REFER)
    {
      kiosk_done_page_set_refer (KIOSK_DONE_PAGE (self->done_page), self->service, self->language);
      kiosk_window_show_page (self, "done");
      return;
    }

  g_clear_object (&self->form);
  config = self->context != NULL ? kiosk_context_get_config (self->context) : NULL;
  self->form = kiosk_form_new (self->service,
                               config != NULL ? kiosk_config_get_postal_codes (config) : NULL,
                               self->context != NULL ? kiosk_context_get_clock (self->context) : NULL);
  for (guint i = 0; i < kiosk_form_get_n_steps (self->form); i++)
    if (step_visible (self, i))
      {
        show_step (self, i);
        return;
      }
  show_review (self);
}

static void
next_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  KioskWindow *self = KIOSK_WINDOW (widget);

  if (self->form == NULL || !g_str_equal (kiosk_window_get_page_name (self), "form"))
    return;
  if (!kiosk_form_page_validate (KIOSK_FORM_PAGE (self->form_page)))
    {
      /* The focus is on the first wrong field: read it with its error. */
      kiosk_speech_describe_focus (self->speech, gtk_window_get_focus (GTK_WINDOW (self)));
      return;
    }
  for (guint i = self->step + 1; i < kiosk_form_get_n_steps (self->form); i++)
    if (step_visible (self, i))
      {
        show_step (self, i);
        return;
      }
  show_review (self);
}

static void
back_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  KioskWindow *self = KIOSK_WINDOW (widget);
  const char *page = kiosk_window_get_page_name (self);
  guint from;

  if (self->form == NULL)
    return;
  from = g_str_equal (page, "review") ? kiosk_form_get_n_steps (self->form) : self->step;
  for (guint i = from; i > 0; i--)
    if (step_visible (self, i - 1))
      {
        show_step (self, i - 1);
        return;
      }
  kiosk_window_show_page (self, "service");
}

static void
disarm_escape (KioskWindow *self)
{
  if (!self->escape_armed)
    return;
  self->escape_armed = FALSE;
  gtk_label_set_text (self->title_label, _("Stadtkiosk Hildesheim"));
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
      gtk_label_set_text (self->title_label, question);
      kiosk_speech_say (self->speech, question);
      return;
    }
  disarm_escape (self);
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

  if (self->form == NULL || self->sent_form == self->form || !step_visible (self, step))
    return;
  show_step (self, step);
}

/* A slip being printed: a stored request's receipt or form, or a refer
 * service's slip (no request).  Its result is shown only on the done page
 * it was printed from: after a reset that page is gone. */
typedef struct
{
  GWeakRef  window;
  GWeakRef  done_page;
  char     *request_id;   /* NULL: a refer slip */
} PrintJob;

static void
print_job_free (PrintJob *job)
{
  g_weak_ref_clear (&job->window);
  g_weak_ref_clear (&job->done_page);
  g_free (job->request_id);
  g_free (job);
}

static const char *
print_failed_text (gboolean refer)
{
  return refer
         ? _("The printer is not working right now. Please take a photo of the QR code or write down the web address.")
         : _("The printer is not working right now. Your request is saved all the same; please write down your code.");
}

static void
receipt_printed_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  PrintJob *job = user_data;
  g_autoptr(KioskWindow) self = g_weak_ref_get (&job->window);
  g_autoptr(GtkWidget) done_page = g_weak_ref_get (&job->done_page);
  g_autoptr(GError) error = NULL;
  g_autofree char *where = kiosk_printer_print_finish (KIOSK_PRINTER (source), result, &error);
  gboolean refer = job->request_id == NULL;

  if (error != NULL)
    {
      g_autofree char *detail = g_strdup_printf ("%s: %s", refer ? "refer slip" : job->request_id,
                                                 error->message);

      g_message ("%s%s not printed: %s", refer ? "Refer slip" : "Receipt of request ",
                 refer ? "" : job->request_id, error->message);
      /* For the clerk screen's alerts and the admin's diagnostics. */
      if (self != NULL && self->context != NULL)
        kiosk_context_audit (self->context, "system", "print failed", detail);
    }
  else
    g_debug ("%s%s printed: %s", refer ? "Refer slip" : "Receipt of request ",
             refer ? "" : job->request_id, where);
  if (self != NULL && refer)
    self->refer_printing = FALSE;

  /* The person may have gone, and the next one must not see this. */
  if (self != NULL && done_page != NULL && done_page == self->done_page &&
      (refer || (self->request != NULL &&
                 g_strcmp0 (kiosk_request_get_id (self->request), job->request_id) == 0)))
    {
      if (error != NULL)
        kiosk_done_page_set_print_status (KIOSK_DONE_PAGE (self->done_page), print_failed_text (refer), TRUE);
      else
        kiosk_done_page_set_print_status (KIOSK_DONE_PAGE (self->done_page),
                                          refer ? _("Please take the slip from the printer.")
                                                : _("Please take your receipt from the printer."),
                                          FALSE);
    }
  print_job_free (job);
}

/* @request: (nullable): %NULL for a refer slip */
static void
print_receipt (KioskWindow  *self,
               KioskReceipt *receipt,
               KioskRequest *request)
{
  PrintJob *job;
  gboolean refer = request == NULL;

  if (self->printer == NULL && self->printer_error == NULL)
    {
      g_autoptr(GError) error = NULL;

      self->printer = kiosk_printer_new_from_config (kiosk_context_get_config (self->context), &error);
      if (self->printer == NULL)
        {
          g_message ("No printer: %s", error->message);
          self->printer_error = g_strdup (error->message);
        }
    }

  if (self->printer == NULL)
    {
      kiosk_done_page_set_print_status (KIOSK_DONE_PAGE (self->done_page), print_failed_text (refer), TRUE);
      return;
    }
  if (kiosk_printer_get_kind (self->printer) == KIOSK_PRINTER_NONE)
    {
      kiosk_done_page_set_print_status (KIOSK_DONE_PAGE (self->done_page),
                                        refer
                                        ? _("This kiosk has no printer. Please take a photo of the QR code or write down the web address.")
                                        : _("This kiosk has no printer. Please write down your code or take a photo of the QR code."),
                                        FALSE);
      return;
    }

  job = g_new0 (PrintJob, 1);
  g_weak_ref_init (&job->window, self);
  g_weak_ref_init (&job->done_page, self->done_page);
  job->request_id = refer ? NULL : g_strdup (kiosk_request_get_id (request));
  if (refer)
    self->refer_printing = TRUE;
  kiosk_done_page_set_print_status (KIOSK_DONE_PAGE (self->done_page),
                                    refer ? _("Printing…") : _("Your receipt is being printed…"), FALSE);
  /* Not cancelled on a session reset: the receipt of a person who walked
   * away still comes out, and the request is stored either way. */
  kiosk_printer_print_async (self->printer, receipt, NULL, receipt_printed_cb, job);
}

/* A `print` service's slip is the filled-in form to take to the office
 * (kiosk_receipt_use_form_layout() sets the layout, help and hours; the
 * answers come from the live form here, as the review page shows them);
 * others show answers only where the catalogue allows it. */
static void
add_answers_to_receipt (KioskWindow  *self,
                        KioskReceipt *receipt)
{
  GPtrArray *fields;

  if (kiosk_service_get_offline_mode (self->service) != KIOSK_OFFLINE_PRINT &&
      !kiosk_service_get_receipt_shows_answers (self->service))
    return;

  fields = kiosk_service_get_fields (self->service);
  for (guint i = 0; i < fields->len; i++)
    {
      KioskField *field = g_ptr_array_index (fields, i);
      const char *id = kiosk_field_get_id (field);
      g_autofree char *value = NULL;

      if (!kiosk_field_is_input (field) || !kiosk_form_is_visible (self->form, id) ||
          kiosk_form_get_value (self->form, id) == NULL)
        continue;
      value = kiosk_format_answer (field, kiosk_form_get_value (self->form, id), self->language);
      kiosk_receipt_add_answer (receipt, kiosk_field_get_label (field, self->language), value);
    }
}

static void
send_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  KioskWindow *self = KIOSK_WINDOW (widget);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) answers = NULL;
  g_autoptr(GPtrArray) errors = NULL;
  g_autoptr(KioskRequest) request = NULL;
  g_autoptr(KioskReceipt) receipt = NULL;
  g_autofree char *qr_text = NULL;
  KioskRequestDraft draft = { 0 };

  /* A double or triple tap must make one request: the action is switched
   * off before anything else happens, and a form that was enqueued once is
   * never enqueued again, whatever the button state. */
  if (self->form == NULL || self->sending || self->sent_form == self->form || self->context == NULL)
    return;
  self->sending = TRUE;
  gtk_widget_action_set_enabled (widget, "kiosk.send", FALSE);

  if (!kiosk_form_validate_all (self->form, self->language, &errors))
    {
      KioskFieldError *first = errors->len > 0 ? g_ptr_array_index (errors, 0) : NULL;
      KioskField *field = first != NULL ? kiosk_service_lookup_field (self->service, first->field_id) : NULL;

      self->sending = FALSE;
      gtk_widget_action_set_enabled (widget, "kiosk.send", TRUE);
      if (field != NULL)
        {
          show_step (self, kiosk_field_get_step (field));
          kiosk_form_page_validate (KIOSK_FORM_PAGE (self->form_page));
        }
      return;
    }

  answers = kiosk_form_to_json (self->form);
  draft.service_id = kiosk_service_get_id (self->service);
  draft.service_version = kiosk_service_get_version (self->service);
  draft.locale = self->language;
  draft.answers = answers;
  draft.answers_format = KIOSK_ANSWERS_JSON;
  if (self->assisted)
    draft.flags |= KIOSK_REQUEST_FLAG_ASSISTED;
  /* Sealed to the city's key at rest when one is configured. */
  request = kiosk_context_submit (self->context, &draft,
                                  self->assisted ? "clerk" : "citizen", &error);
  if (request == NULL)
    {
      /* Nothing was stored: say so calmly and let the person try again or
       * ask at the counter.  The answers are still in the form. */
      g_message ("Could not store a request for %s: %s", draft.service_id, error->message);
      self->sending = FALSE;
      gtk_widget_action_set_enabled (widget, "kiosk.send", TRUE);
      kiosk_review_page_set_message (KIOSK_REVIEW_PAGE (self->review_page),
                                     _("Your request could not be saved on this kiosk. Nothing was sent. Please try again in a moment, or ask at the counter."));
      return;
    }

  g_set_object (&self->sent_form, self->form);
  g_set_object (&self->request, request);
  self->sending = FALSE;

  /* The request is committed; what follows may fail without losing it. */
  receipt = kiosk_receipt_new_for_request (self->context, request,
                                           kiosk_service_get_title (self->service, self->language),
                                           self->language, &error);
  if (receipt != NULL)
    {
      if (kiosk_service_get_offline_mode (self->service) == KIOSK_OFFLINE_PRINT)
        kiosk_receipt_use_form_layout (receipt, self->service, NULL, self->language, NULL);
      add_answers_to_receipt (self, receipt);
      qr_text = g_strdup (kiosk_qr_get_text (kiosk_receipt_get_qr (receipt)));
    }
  else
    {
      g_message ("No receipt for %s: %s", kiosk_request_get_short_code (request), error->message);
      g_clear_error (&error);
      qr_text = g_strdup (kiosk_request_get_short_code (request));
    }
  kiosk_done_page_set_request (KIOSK_DONE_PAGE (self->done_page), request, self->service, qr_text);
  if (receipt == NULL)
    kiosk_done_page_set_print_status (KIOSK_DONE_PAGE (self->done_page),
                                      _("The receipt cannot be printed right now. Your request is saved; please write down your code."),
                                      TRUE);
  else
    print_receipt (self, receipt, request);
  kiosk_window_show_page (self, "done");
}

/* "Print this" on a refer service's end page: the web address, its QR
 * code and the office hours on paper, for a person without a phone.
 * Nothing of the citizen is stored or printed. */
static void
print_refer_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  KioskWindow *self = KIOSK_WINDOW (widget);
  g_autoptr(KioskReceipt) receipt = NULL;
  g_autoptr(GError) error = NULL;

  if (self->service == NULL || self->context == NULL || self->refer_printing ||
      kiosk_service_get_offline_mode (self->service) != KIOSK_OFFLINE_REFER ||
      !g_str_equal (kiosk_window_get_page_name (self), "done"))
    return;

  receipt = kiosk_receipt_new_refer (kiosk_service_get_title (self->service, self->language),
                                     kiosk_service_get_refer_url (self->service),
                                     kiosk_service_get_office_hours (self->service, self->language),
                                     self->language, &error);
  if (receipt == NULL)
    {
      g_message ("No refer slip for %s: %s", kiosk_service_get_id (self->service), error->message);
      kiosk_done_page_set_print_status (KIOSK_DONE_PAGE (self->done_page), print_failed_text (TRUE), TRUE);
      return;
    }
  print_receipt (self, receipt, NULL);
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
  self->assisted = TRUE;
  kiosk_window_show_page (self, "catalog");
}

static void
staff_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  KioskWindow *self = KIOSK_WINDOW (widget);

  if (self->context == NULL)
    return;
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
  KioskWindow *self = KIOSK_WINDOW (widget);

  if (self->context == NULL)
    return;
  kiosk_window_show_page (self, "catalog");
}

/* After a language switch mid-session: the same page again, built in the
 * new language from the session's state, answers and step included. */
static void
restore_page (KioskWindow *self,
              const char  *page)
{
  if (page == NULL || g_str_equal (page, "welcome") || self->context == NULL)
    return;
  ensure_session_pages (self);
  if (g_str_equal (page, "service") && self->service != NULL)
    {
      kiosk_service_page_set_service (KIOSK_SERVICE_PAGE (self->service_page), self->service,
                                      self->language, self->online);
      kiosk_window_show_page (self, "service");
    }
  else if (g_str_equal (page, "form") && self->form != NULL)
    show_step (self, self->step);
  else if (g_str_equal (page, "review") && self->form != NULL)
    show_review (self);
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

  if (!g_strv_contains (configured_languages (self), language))
    return;
  page = g_strdup (gtk_stack_get_visible_child_name (self->stack));
  apply_language (self, language);
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
  drop_session (self);
  g_clear_object (&self->catalog);
  g_clear_object (&self->printer);
  if (self->sync != NULL)
    g_signal_handlers_disconnect_by_data (self->sync, self);
  g_clear_object (&self->sync);
  g_clear_object (&self->speech);
  g_clear_object (&self->context);

  G_OBJECT_CLASS (kiosk_window_parent_class)->dispose (object);
}

static void
kiosk_window_finalize (GObject *object)
{
  KioskWindow *self = (KioskWindow *)object;

  g_free (self->language);
  g_free (self->startup_error);
  g_free (self->printer_error);

  G_OBJECT_CLASS (kiosk_window_parent_class)->finalize (object);
}

static void
kiosk_window_class_init (KioskWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = kiosk_window_dispose;
  object_class->finalize = kiosk_window_finalize;
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
  g_type_ensure (KIOSK_TYPE_LANGUAGE_BUTTON);
  gtk_widget_class_set_template_from_resource (widget_class, "/de/hildesheim/Stadtkiosk/kiosk-window.ui");
  gtk_widget_class_bind_template_child (widget_class, KioskWindow, overlay);
  gtk_widget_class_bind_template_child (widget_class, KioskWindow, top_bar);
  gtk_widget_class_bind_template_child (widget_class, KioskWindow, title_label);
  gtk_widget_class_bind_template_child (widget_class, KioskWindow, large_text_button);
  gtk_widget_class_bind_template_child (widget_class, KioskWindow, contrast_button);
  gtk_widget_class_bind_template_child (widget_class, KioskWindow, start_over_button);
  gtk_widget_class_bind_template_child (widget_class, KioskWindow, language_button);
  gtk_widget_class_bind_template_child (widget_class, KioskWindow, read_aloud_button);
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
  gtk_widget_class_install_action (widget_class, "kiosk.read-aloud", NULL, read_aloud_action);
  gtk_widget_class_install_action (widget_class, "kiosk.escape", NULL, escape_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "kiosk.escape", NULL);
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
 * @context: (nullable): the kiosk's core, %NULL if it failed to start
 * @startup_error: (nullable): why it failed
 *
 * The window without an application, for tests.
 */
KioskWindow *
kiosk_window_new_for_context (KioskContext *context,
                              const char   *startup_error)
{
  KioskWindow *self = g_object_new (KIOSK_TYPE_WINDOW, NULL);
  KioskClock *clock = NULL;
  KioskConfig *config = NULL;

  self->context = context != NULL ? g_object_ref (context) : NULL;
  self->startup_error = g_strdup (startup_error);

  if (context != NULL)
    {
      clock = kiosk_context_get_clock (context);
      config = kiosk_context_get_config (context);
      self->idle = kiosk_idle_new (clock,
                                   kiosk_config_get_idle_timeout (config),
                                   kiosk_config_get_idle_warning (config));
    }
  else
    {
      g_autoptr(KioskClock) system_clock = kiosk_clock_new_system ();

      self->idle = kiosk_idle_new (system_clock, 90, 30);
    }
  kiosk_idle_attach (self->idle, GTK_WIDGET (self));
  g_signal_connect_object (self->idle, "expired", G_CALLBACK (idle_expired_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->idle, "notify::warning", G_CALLBACK (idle_warning_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->idle, "notify::remaining", G_CALLBACK (idle_warning_changed_cb), self, G_CONNECT_SWAPPED);

  if (context != NULL)
    g_signal_connect_object (kiosk_context_get_outbox (context), "request-changed",
                             G_CALLBACK (request_changed_cb), self, G_CONNECT_SWAPPED);
  /* Speech: [accessibility] speech; without a context, none. */
  self->speech = kiosk_speech_new (kiosk_speech_mode_from_string (
    context != NULL ? kiosk_config_get_speech (kiosk_context_get_config (context)) : "off"));
  kiosk_speech_attach (self->speech, GTK_WINDOW (self), self->stack, GTK_WIDGET (self->keyboard));
  kiosk_a11y_track_stack (self->stack);
  kiosk_a11y_track_revealer (self->keyboard_revealer);
  gtk_widget_set_visible (self->read_aloud_button, kiosk_speech_get_mode (self->speech) == KIOSK_SPEECH_BUTTON);
  apply_language (self, default_language (self));

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
kiosk_window_new (KioskApplication *app,
                  gboolean          fullscreen)
{
  KioskWindow *self = kiosk_window_new_for_context (kiosk_application_get_context (app),
                                                    kiosk_application_get_startup_error (app));

  gtk_window_set_application (GTK_WINDOW (self), GTK_APPLICATION (app));
  kiosk_window_set_sync (self, kiosk_application_get_sync (app));
  if (fullscreen)
    {
      GListModel *monitors = gdk_display_get_monitors (gtk_widget_get_display (GTK_WIDGET (self)));
      g_autoptr(GdkMonitor) monitor = g_list_model_get_item (monitors, 0);

      /* Without a window manager (bare X, as in tests and in `./dev run`
       * without a display) fullscreen is only a wish: fill the first
       * monitor too. */
      if (monitor != NULL)
        {
          GdkRectangle geometry;

          gdk_monitor_get_geometry (monitor, &geometry);
          gtk_window_set_default_size (GTK_WINDOW (self), geometry.width, geometry.height);
        }
      gtk_window_fullscreen (GTK_WINDOW (self));
    }
  else
    gtk_window_set_default_size (GTK_WINDOW (self), 1280, 800);

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
  return self->language;
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
  disarm_escape (self);
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
  /* Silence at once; the next person starts speech again. */
  if (self->speech != NULL)
    kiosk_speech_reset (self->speech);
  close_transients (self);
  close_popovers_and_clear (GTK_WIDGET (self));
  drop_session (self);
  self->assisted = FALSE;   /* staff: only the session "Assist" started */
  /* A catalogue pulled during the session is shown to the next person. */
  g_clear_object (&self->catalog);

  clipboard = gtk_widget_get_clipboard (GTK_WIDGET (self));
  gdk_clipboard_set_text (clipboard, "");
  clipboard = gtk_widget_get_primary_clipboard (GTK_WIDGET (self));
  gdk_clipboard_set_text (clipboard, "");

  g_object_set (self, "high-contrast", FALSE, "large-text", FALSE, NULL);
  gtk_window_set_focus (GTK_WINDOW (self), NULL);
  apply_language (self, default_language (self));
  kiosk_window_show_page (self, "welcome");
}

KioskForm *
kiosk_window_get_form (KioskWindow *self)
{
  g_return_val_if_fail (KIOSK_IS_WINDOW (self), NULL);
  return self->form;
}

KioskRequest *
kiosk_window_get_request (KioskWindow *self)
{
  g_return_val_if_fail (KIOSK_IS_WINDOW (self), NULL);
  return self->request;
}

/* kiosk-window.c
 *
 * SPDX-FileCopyrightText: 2026 Stadtkiosk contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "stadtkiosk"

#include "config.h"

#include <glib/gi18n.h>

#include "kiosk-window-private.h"
#include "kiosk-a11y.h"
#include "kiosk-text-lockdown.h"
#include "kiosk-field-row.h"
#include "kiosk-language-button.h"
#include "kiosk-session.h"
#include "kiosk-staff-screen.h"
#include "kiosk-catalog-page.h"
#include "kiosk-done-page.h"
#include "kiosk-form-page.h"
#include "kiosk-review-page.h"
#include "kiosk-service-page.h"
#include "kiosk-status-page.h"
#include "kiosk-info-page.h"
#include "kiosk-welcome-page.h"

enum {
  PROP_0,
  PROP_HIGH_CONTRAST,
  PROP_LARGE_TEXT,
  N_PROPS,
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (KioskWindow, kiosk_window, ADW_TYPE_APPLICATION_WINDOW)

const char * const *
_kiosk_window_get_languages (KioskWindow *self)
{
  return kiosk_config_get_languages (kiosk_context_get_config (self->context));
}

static void
catalog_loaded_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(KioskWindow) self = user_data;
  g_autoptr(KioskCatalog) catalog = kiosk_session_load_catalog_finish (KIOSK_SESSION (object), result, NULL);

  if (catalog != NULL && self->welcome_page != NULL && KIOSK_IS_WELCOME_PAGE (self->welcome_page))
    kiosk_welcome_page_set_has_info (KIOSK_WELCOME_PAGE (self->welcome_page),
                                     kiosk_catalog_get_info_cards (catalog)->len > 0);
}

static gboolean
load_catalog_cb (gpointer user_data)
{
  KioskWindow *self = user_data;

  kiosk_session_load_catalog_async (self->session, NULL, catalog_loaded_cb, g_object_ref (self));
  return G_SOURCE_REMOVE;
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
  self->status_page = NULL;
  self->info_page = NULL;
  self->staff_screen = NULL;   /* staff: built again on the next unlock */

  /* Only the welcome page is built now; the others when a session starts,
   * which keeps the kiosk's start (and its first frame) short. */
  self->welcome_page = kiosk_welcome_page_new (_kiosk_window_get_languages (self),
                                               kiosk_session_get_language (self->session));
  kiosk_welcome_page_set_online (KIOSK_WELCOME_PAGE (self->welcome_page), self->online);
  /* Whether to offer the information cards needs the catalogue; a large
   * one is read in a worker thread once the welcome page is up, so the
   * first frame does not wait for it. */
  g_idle_add_full (G_PRIORITY_LOW, load_catalog_cb, g_object_ref (self), g_object_unref);
  gtk_stack_add_named (self->stack, self->welcome_page, "welcome");

  gtk_stack_set_visible_child_name (self->stack, "welcome");
  _kiosk_window_update_chrome (self);
}

void
_kiosk_window_ensure_pages (KioskWindow *self)
{
  if (self->catalog_page != NULL)
    return;

  self->catalog_page = kiosk_catalog_page_new (kiosk_session_get_catalog (self->session),
                                               kiosk_session_get_language (self->session));
  gtk_stack_add_named (self->stack, self->catalog_page, "catalog");
  self->service_page = kiosk_service_page_new (self->session);
  kiosk_service_page_set_online (KIOSK_SERVICE_PAGE (self->service_page), self->online);
  gtk_stack_add_named (self->stack, self->service_page, "service");
  self->form_page = kiosk_form_page_new (self->session);
  gtk_stack_add_named (self->stack, self->form_page, "form");
  self->review_page = kiosk_review_page_new (self->session);
  gtk_stack_add_named (self->stack, self->review_page, "review");
  self->done_page = kiosk_done_page_new (self->session);
  gtk_stack_add_named (self->stack, self->done_page, "done");
}

/* Switches every string of the UI at once: gettext is pointed at the
 * language, and the pages are built anew from their templates. */
void
_kiosk_window_apply_language (KioskWindow *self,
                              const char  *language)
{
  kiosk_session_set_language (self->session, language);
  /* The language table's locale and gettext chain (kiosk-language.c). */
  kiosk_use_language (language);

  gtk_widget_set_default_direction (kiosk_language_is_rtl (language) ? GTK_TEXT_DIR_RTL
                                                                     : GTK_TEXT_DIR_LTR);
  kiosk_keyboard_set_language (self->keyboard, language);
  _kiosk_window_retranslate_chrome (self);
  kiosk_language_button_set_languages (KIOSK_LANGUAGE_BUTTON (self->language_button),
                                       _kiosk_window_get_languages (self), language);
  if (self->speech != NULL)
    kiosk_speech_set_language (self->speech, language);
  rebuild_pages (self);
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


/* Nothing typed into the form page stays in its widgets. */
void
_kiosk_window_clear_form_page (KioskWindow *self)
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
sync_state_changed_cb (KioskWindow *self)
{
  KioskSyncState state = kiosk_sync_get_state (self->sync);

  self->online = state == KIOSK_SYNC_ONLINE || state == KIOSK_SYNC_SYNCING;
  if (self->welcome_page != NULL && KIOSK_IS_WELCOME_PAGE (self->welcome_page))
    kiosk_welcome_page_set_online (KIOSK_WELCOME_PAGE (self->welcome_page), self->online);
  if (self->service_page != NULL)
    kiosk_service_page_set_online (KIOSK_SERVICE_PAGE (self->service_page), self->online);
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

  _kiosk_window_stop_logo_hold (self);
  g_weak_ref_set (&self->discard_focus, NULL);
  g_clear_handle_id (&self->info_pull_id, g_source_remove);
  if (self->idle != NULL)
    kiosk_idle_stop (self->idle);
  g_clear_object (&self->idle);
  g_clear_object (&self->session);
  g_clear_object (&self->status_guard);
  g_clear_object (&self->status_hub);
  g_clear_object (&self->status_api);
  if (self->sync != NULL)
    g_signal_handlers_disconnect_by_data (self->sync, self);
  g_clear_object (&self->sync);
  g_clear_object (&self->speech);
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
  g_type_ensure (KIOSK_TYPE_LANGUAGE_BUTTON);
  gtk_widget_class_set_template_from_resource (widget_class, "/de/hildesheim/Stadtkiosk/kiosk-window.ui");
  gtk_widget_class_bind_template_child (widget_class, KioskWindow, overlay);
  gtk_widget_class_bind_template_child (widget_class, KioskWindow, top_bar);
  gtk_widget_class_bind_template_child (widget_class, KioskWindow, title_squeezer);
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
  gtk_widget_class_bind_template_child (widget_class, KioskWindow, discard_overlay);
  gtk_widget_class_bind_template_child (widget_class, KioskWindow, discard_title);
  gtk_widget_class_bind_template_child (widget_class, KioskWindow, discard_body);
  gtk_widget_class_bind_template_child (widget_class, KioskWindow, discard_yes_button);
  gtk_widget_class_bind_template_child (widget_class, KioskWindow, discard_no_button);

  gtk_widget_class_install_property_action (widget_class, "kiosk.high-contrast", "high-contrast");
  gtk_widget_class_install_property_action (widget_class, "kiosk.large-text", "large-text");
  _kiosk_window_class_actions_init (widget_class);
}

static void
kiosk_window_init (KioskWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_widget_add_css_class (GTK_WIDGET (self), "kiosk");
  _kiosk_window_actions_init (self);
  kiosk_text_lockdown_attach (GTK_WINDOW (self));

  g_signal_connect (self, "notify::focus-widget", G_CALLBACK (_kiosk_window_focus_changed), NULL);
  g_signal_connect_swapped (self->stack, "notify::visible-child-name",
                            G_CALLBACK (_kiosk_window_update_chrome), self);
  g_signal_connect_swapped (self->keyboard_revealer, "notify::child-revealed",
                            G_CALLBACK (_kiosk_window_scroll_focus_into_view), self);
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
  /* Speech: [accessibility] speech. */
  self->speech = kiosk_speech_new (kiosk_speech_mode_from_string (kiosk_config_get_speech (config)));
  kiosk_speech_set_clock (self->speech, kiosk_context_get_clock (context));
  kiosk_speech_attach (self->speech, GTK_WINDOW (self), self->stack, GTK_WIDGET (self->keyboard));
  kiosk_a11y_track_stack (self->stack);
  kiosk_a11y_track_revealer (self->keyboard_revealer);
  gtk_widget_set_visible (self->read_aloud_button, kiosk_speech_get_mode (self->speech) == KIOSK_SPEECH_BUTTON);

  _kiosk_window_apply_language (self, kiosk_session_get_language (self->session));

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
  /* The running kiosk keeps its info cards fresh (issue 19). */
  self->info_pull_id = kiosk_info_start_background_pulls (self->context, self->session);

  return self;
}

const char *
kiosk_window_get_page_name (KioskWindow *self)
{
  g_return_val_if_fail (KIOSK_IS_WINDOW (self), NULL);
  return gtk_stack_get_visible_child_name (self->stack);
}

GtkWidget *
_kiosk_window_get_page (KioskWindow *self)
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
_kiosk_window_get_idle (KioskWindow *self)
{
  g_return_val_if_fail (KIOSK_IS_WINDOW (self), NULL);
  return self->idle;
}

KioskKeyboard *
_kiosk_window_get_keyboard (KioskWindow *self)
{
  g_return_val_if_fail (KIOSK_IS_WINDOW (self), NULL);
  return self->keyboard;
}

gboolean
_kiosk_window_get_keyboard_shown (KioskWindow *self)
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
    _kiosk_window_ensure_pages (self);
  _kiosk_window_disarm_escape (self);
  /* Nothing of the previous page keeps the focus or the Enter key. */
  gtk_window_set_default_widget (GTK_WINDOW (self), NULL);
  gtk_window_set_focus (GTK_WINDOW (self), NULL);
  gtk_stack_set_visible_child_name (self->stack, name);
  if (g_str_equal (name, "welcome"))
    kiosk_idle_stop (self->idle);
  else if (!kiosk_idle_get_running (self->idle))
    kiosk_idle_start (self->idle);
  _kiosk_window_update_keyboard (self);
}

KioskForm *
_kiosk_window_get_form (KioskWindow *self)
{
  g_return_val_if_fail (KIOSK_IS_WINDOW (self), NULL);
  return kiosk_session_get_form (self->session);
}

KioskRequest *
_kiosk_window_get_request (KioskWindow *self)
{
  g_return_val_if_fail (KIOSK_IS_WINDOW (self), NULL);
  return kiosk_session_get_request (self->session);
}

KioskSession *
_kiosk_window_get_session (KioskWindow *self)
{
  g_return_val_if_fail (KIOSK_IS_WINDOW (self), NULL);
  return self->session;
}

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
  char                 *startup_error;
  KioskIdle            *idle;
  char                 *language;        /* the session's, e.g. "de" */
  gboolean              high_contrast;
  gboolean              large_text;
  gboolean              online;

  GtkWidget            *welcome_page;
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
                                 kiosk_keyboard_layout_for_purpose (purpose, self->language));
      gtk_revealer_set_reveal_child (self->keyboard_revealer, TRUE);
    }
  else
    {
      gtk_revealer_set_reveal_child (self->keyboard_revealer, FALSE);
    }
}

static void
focus_changed_cb (KioskWindow *self)
{
  update_keyboard (self);
}

static void
rebuild_pages (KioskWindow *self)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->stack))) != NULL)
    gtk_stack_remove (self->stack, child);

  self->welcome_page = kiosk_welcome_page_new (configured_languages (self), self->language);
  kiosk_welcome_page_set_online (KIOSK_WELCOME_PAGE (self->welcome_page), self->online);
  gtk_stack_add_named (self->stack, self->welcome_page, "welcome");

  gtk_stack_set_visible_child_name (self->stack, "welcome");
  update_chrome (self);
}

static const char *
locale_for_language (const char *language)
{
  static const struct {
    const char *code;
    const char *locale;
  } locales[] = {
    { "de", "de_DE.UTF-8" },
    { "en", "en_US.UTF-8" },
    { "ar", "ar_EG.UTF-8" },
    { "tr", "tr_TR.UTF-8" },
    { "uk", "uk_UA.UTF-8" },
    { "ru", "ru_RU.UTF-8" },
    { "pl", "pl_PL.UTF-8" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (locales); i++)
    if (g_str_equal (locales[i].code, language))
      return locales[i].locale;
  return NULL;
}

/* Switches every string of the UI at once: gettext is pointed at the
 * language, and the pages are built anew from their templates. */
static void
apply_language (KioskWindow *self,
                const char  *language)
{
  const char *locale = locale_for_language (language);

  g_free (self->language);
  self->language = g_strdup (language);

  g_setenv ("LANGUAGE", language, TRUE);
  /* Where the locale is generated, GTK's own strings switch too; where it
   * is not, ours still do through LANGUAGE. */
  if (locale != NULL)
    setlocale (LC_MESSAGES, locale);
  /* Setting the text domain again makes gettext drop its cached lookups. */
  textdomain (GETTEXT_PACKAGE);

  gtk_widget_set_default_direction (g_str_equal (language, "ar") ? GTK_TEXT_DIR_RTL
                                                                  : GTK_TEXT_DIR_LTR);
  kiosk_keyboard_set_language (self->keyboard, language);
  retranslate_chrome (self);
  rebuild_pages (self);
}

static void
close_transients (KioskWindow *self)
{
  g_autoptr(GListModel) toplevels = gtk_window_get_toplevels ();

  for (guint i = g_list_model_get_n_items (toplevels); i > 0; i--)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i - 1);

      if (window != GTK_WINDOW (self) &&
          gtk_window_get_transient_for (window) == GTK_WINDOW (self))
        gtk_window_destroy (window);
    }
}

static void
close_popovers_and_clear (GtkWidget *widget)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    close_popovers_and_clear (child);

  if (GTK_IS_POPOVER (widget))
    gtk_popover_popdown (GTK_POPOVER (widget));
  else if (GTK_IS_TEXT (widget))
    gtk_editable_set_text (GTK_EDITABLE (widget), "");
  else if (GTK_IS_TEXT_VIEW (widget))
    gtk_text_buffer_set_text (gtk_text_view_get_buffer (GTK_TEXT_VIEW (widget)), "", 0);
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

static void
start_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  KioskWindow *self = KIOSK_WINDOW (widget);

  kiosk_window_show_page (self, "welcome");
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

  if (self->idle != NULL)
    kiosk_idle_stop (self->idle);
  g_clear_object (&self->idle);
  g_clear_object (&self->context);

  G_OBJECT_CLASS (kiosk_window_parent_class)->dispose (object);
}

static void
kiosk_window_finalize (GObject *object)
{
  KioskWindow *self = (KioskWindow *)object;

  g_free (self->language);
  g_free (self->startup_error);

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
}

static void
kiosk_window_init (KioskWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_widget_add_css_class (GTK_WIDGET (self), "kiosk");

  g_signal_connect (self, "notify::focus-widget", G_CALLBACK (focus_changed_cb), NULL);
  g_signal_connect_swapped (self->stack, "notify::visible-child-name",
                            G_CALLBACK (update_chrome), self);
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

  apply_language (self, default_language (self));

  return self;
}

KioskWindow *
kiosk_window_new (KioskApplication *app,
                  gboolean          fullscreen)
{
  KioskWindow *self = kiosk_window_new_for_context (kiosk_application_get_context (app),
                                                    kiosk_application_get_startup_error (app));

  gtk_window_set_application (GTK_WINDOW (self), GTK_APPLICATION (app));
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

  clipboard = gtk_widget_get_clipboard (GTK_WIDGET (self));
  gdk_clipboard_set_text (clipboard, "");
  clipboard = gtk_widget_get_primary_clipboard (GTK_WIDGET (self));
  gdk_clipboard_set_text (clipboard, "");

  g_object_set (self, "high-contrast", FALSE, "large-text", FALSE, NULL);
  gtk_window_set_focus (GTK_WINDOW (self), NULL);
  apply_language (self, default_language (self));
  kiosk_window_show_page (self, "welcome");
}

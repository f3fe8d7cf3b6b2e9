/* kiosk-speech.c
 *
 * SPDX-FileCopyrightText: 2026 Stadtkiosk contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "kiosk-speech"

#include "config.h"

#include "kiosk-speech.h"

#include <glib/gi18n.h>

#ifdef HAVE_SPEECHD
#include <libspeechd.h>
#endif

#include "kiosk-language.h"

/* Speech output for people who cannot see the screen, through
 * speech-dispatcher (the speech layer Orca uses; espeak-ng voices for
 * every kiosk language).  It reads what the screen shows, from the widget
 * tree and the kiosk's style classes: on a page change the page's heading
 * and text, then the focused control's label, value, help and error; what
 * the on-screen keyboard typed; the code on the done page letter by
 * letter.  Everything goes out at "message" priority, which
 * speech-dispatcher queues and speaks in order; the help key and the end
 * of a session (idle wipe included) cancel what is still queued.
 *
 * Without speech-dispatcher (not built with it, or no server) the kiosk
 * works as before and says so once in the log. */

struct _KioskSpeech
{
  GObject          parent_instance;

  KioskSpeechMode  mode;
  gboolean         active;        /* speaking in this session */
  char            *language;      /* the session's, e.g. "ls" */
  int              volume;        /* -100..100 */
  int              rate;          /* -100..100 */
  GtkWindow       *window;        /* weak */
  GtkStack        *stack;         /* weak */
  gboolean         tried;         /* connecting failed once: do not retry */
  guint            idle_id;       /* coalesces page and focus changes */
  GtkWidget       *watched;       /* weak: the focused toggle, its state is said */
  gboolean         page_changed;
  gboolean         focus_changed;
#ifdef HAVE_SPEECHD
  SPDConnection   *connection;
#endif
};

G_DEFINE_FINAL_TYPE (KioskSpeech, kiosk_speech, G_TYPE_OBJECT)

#ifdef HAVE_SPEECHD
static SPDConnection *
ensure_connection (KioskSpeech *self)
{
  char *error = NULL;

  if (self->connection != NULL || self->tried)
    return self->connection;
  self->tried = TRUE;
  /* The address comes from $SPEECHD_ADDRESS or the user's runtime dir;
   * autospawn starts the server in a session that has none running. */
  self->connection = spd_open2 ("stadtkiosk", "session", NULL, SPD_MODE_SINGLE, NULL, TRUE, &error);
  if (self->connection == NULL)
    {
      g_message ("Speech output is not available: %s", error != NULL ? error : "no speech-dispatcher");
      free (error);
      return NULL;
    }
  spd_set_data_mode (self->connection, SPD_DATA_TEXT);
  spd_set_volume (self->connection, self->volume);
  spd_set_voice_rate (self->connection, self->rate);
  if (self->language != NULL)
    spd_set_language (self->connection, kiosk_language_get_speech_language (self->language));
  return self->connection;
}
#endif

static void
kiosk_speech_dispose (GObject *object)
{
  KioskSpeech *self = KIOSK_SPEECH (object);

  if (self->watched != NULL)
    g_signal_handlers_disconnect_by_data (self->watched, self);
  g_clear_weak_pointer (&self->watched);
  g_clear_weak_pointer (&self->window);
  g_clear_weak_pointer (&self->stack);
  g_clear_handle_id (&self->idle_id, g_source_remove);
#ifdef HAVE_SPEECHD
  if (self->connection != NULL)
    {
      spd_cancel (self->connection);
      spd_close (self->connection);
      self->connection = NULL;
    }
#endif

  G_OBJECT_CLASS (kiosk_speech_parent_class)->dispose (object);
}

static void
kiosk_speech_finalize (GObject *object)
{
  KioskSpeech *self = KIOSK_SPEECH (object);

  g_free (self->language);

  G_OBJECT_CLASS (kiosk_speech_parent_class)->finalize (object);
}

static void
kiosk_speech_class_init (KioskSpeechClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = kiosk_speech_dispose;
  object_class->finalize = kiosk_speech_finalize;
}

static void
kiosk_speech_init (KioskSpeech *self)
{
}

/**
 * kiosk_speech_mode_from_string:
 * @mode: (nullable): "off", "button" or "always", as in [accessibility] speech
 *
 * Returns: the mode; "button" for anything else
 */
KioskSpeechMode
kiosk_speech_mode_from_string (const char *mode)
{
  if (g_strcmp0 (mode, "off") == 0)
    return KIOSK_SPEECH_OFF;
  if (g_strcmp0 (mode, "always") == 0)
    return KIOSK_SPEECH_ALWAYS;
  return KIOSK_SPEECH_BUTTON;
}

KioskSpeech *
kiosk_speech_new (KioskSpeechMode mode)
{
  KioskSpeech *self = g_object_new (KIOSK_TYPE_SPEECH, NULL);

  self->mode = mode;
  self->active = mode == KIOSK_SPEECH_ALWAYS;
  return self;
}

KioskSpeechMode
kiosk_speech_get_mode (KioskSpeech *self)
{
  g_return_val_if_fail (KIOSK_IS_SPEECH (self), KIOSK_SPEECH_OFF);
  return self->mode;
}

gboolean
kiosk_speech_get_active (KioskSpeech *self)
{
  g_return_val_if_fail (KIOSK_IS_SPEECH (self), FALSE);
  return self->active;
}

/**
 * kiosk_speech_set_active:
 *
 * Starts (the "Vorlesen" button) or stops speaking for this session.
 * With speech off nothing is ever spoken.
 */
void
kiosk_speech_set_active (KioskSpeech *self,
                         gboolean     active)
{
  g_return_if_fail (KIOSK_IS_SPEECH (self));

  if (self->mode == KIOSK_SPEECH_OFF)
    return;
  if (!active)
    kiosk_speech_stop (self);
  self->active = active;
}

void
kiosk_speech_set_language (KioskSpeech *self,
                           const char  *language)
{
  g_return_if_fail (KIOSK_IS_SPEECH (self));

  g_free (self->language);
  self->language = g_strdup (language);
#ifdef HAVE_SPEECHD
  if (self->connection != NULL && language != NULL)
    spd_set_language (self->connection, kiosk_language_get_speech_language (language));
#endif
}

/**
 * kiosk_speech_say:
 *
 * Queues @text to be spoken in the session's language, if speech is on
 * for this session.
 */
void
kiosk_speech_say (KioskSpeech *self,
                  const char  *text)
{
  g_return_if_fail (KIOSK_IS_SPEECH (self));

  if (!self->active || text == NULL || *text == '\0')
    return;
#ifdef HAVE_SPEECHD
  if (ensure_connection (self) != NULL)
    spd_say (self->connection, SPD_MESSAGE, text);
#endif
}

void
kiosk_speech_stop (KioskSpeech *self)
{
  g_return_if_fail (KIOSK_IS_SPEECH (self));

#ifdef HAVE_SPEECHD
  if (self->connection != NULL)
    spd_cancel (self->connection);
#endif
}

/**
 * kiosk_speech_reset:
 *
 * The session ended (finish, start over, idle wipe): silence at once, and
 * the next person presses "Vorlesen" again unless speech is always on.
 */
void
kiosk_speech_reset (KioskSpeech *self)
{
  g_return_if_fail (KIOSK_IS_SPEECH (self));

  kiosk_speech_stop (self);
  g_clear_handle_id (&self->idle_id, g_source_remove);
  self->page_changed = self->focus_changed = FALSE;
  self->active = self->mode == KIOSK_SPEECH_ALWAYS;
}

/**
 * kiosk_speech_adjust:
 *
 * Louder/quieter and faster/slower, in steps, from the keypad.
 */
void
kiosk_speech_adjust (KioskSpeech *self,
                     int          volume_delta,
                     int          rate_delta)
{
  g_return_if_fail (KIOSK_IS_SPEECH (self));

  self->volume = CLAMP (self->volume + volume_delta, -100, 100);
  self->rate = CLAMP (self->rate + rate_delta, -100, 100);
#ifdef HAVE_SPEECHD
  if (self->connection != NULL)
    {
      spd_set_volume (self->connection, self->volume);
      spd_set_voice_rate (self->connection, self->rate);
    }
#endif
}

/**
 * kiosk_speech_spell:
 * @text: e.g. a short code "HSK-K3FA-9Q2C"
 *
 * Returns: (transfer full): @text letter by letter, groups apart:
 *   "H S K, K 3 F A, 9 Q 2 C"
 */
char *
kiosk_speech_spell (const char *text)
{
  GString *out = g_string_new (NULL);
  gboolean group_start = TRUE;

  g_return_val_if_fail (text != NULL, NULL);

  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (!g_unichar_isalnum (c))
        {
          if (out->len > 0 && !group_start)
            g_string_append (out, ",");
          group_start = TRUE;
          continue;
        }
      if (out->len > 0)
        g_string_append_c (out, ' ');
      g_string_append_unichar (out, c);
      group_start = FALSE;
    }
  return g_string_free (out, FALSE);
}

static void
append_sentence (GString    *out,
                 const char *text)
{
  g_autofree char *clean = NULL;

  if (text == NULL)
    return;
  /* A line break is a pause on screen, not a word. */
  clean = g_strstrip (g_strdelimit (g_strdup (text), "\n", ' '));
  if (*clean == '\0')
    return;
  if (out->len > 0)
    g_string_append (out, out->str[out->len - 1] == '.' || out->str[out->len - 1] == ':'
                          || out->str[out->len - 1] == '?' || out->str[out->len - 1] == '!'
                          ? " " : ". ");
  g_string_append (out, clean);
}

static void
collect_page_text (GtkWidget *page,
                   GtkWidget *widget,
                   GString   *out)
{
  if (!gtk_widget_get_visible (widget) || !gtk_widget_get_child_visible (widget))
    return;
  /* Controls and the form's fields are read when they get the focus. */
  if (GTK_IS_BUTTON (widget) || GTK_IS_CHECK_BUTTON (widget) || GTK_IS_EDITABLE (widget)
      || GTK_IS_TEXT_VIEW (widget) || gtk_widget_has_css_class (widget, "kiosk-field"))
    return;
  if (GTK_IS_LABEL (widget))
    {
      const char *text = gtk_label_get_text (GTK_LABEL (widget));

      if (gtk_widget_has_css_class (widget, "kiosk-code"))
        {
          g_autofree char *spelled = kiosk_speech_spell (text);

          append_sentence (out, spelled);
        }
      else
        append_sentence (out, text);
      return;
    }
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_page_text (page, child, out);
}

/**
 * kiosk_speech_page_text:
 * @page: a page of the kiosk
 *
 * Returns: (transfer full): what the page says, heading first, without its
 *   controls (read when focused); a code (style class kiosk-code) spelled
 */
char *
kiosk_speech_page_text (GtkWidget *page)
{
  GString *out = g_string_new (NULL);

  g_return_val_if_fail (GTK_IS_WIDGET (page), NULL);

  collect_page_text (page, page, out);
  return g_string_free (out, FALSE);
}

static GtkWidget *
find_class (GtkWidget  *widget,
            const char *css_class)
{
  if (gtk_widget_has_css_class (widget, css_class))
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_class (child, css_class);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static const char *
label_of (GtkWidget *row,
          const char *css_class)
{
  GtkWidget *label = find_class (row, css_class);

  if (label == NULL || !GTK_IS_LABEL (label) || !gtk_widget_get_visible (label))
    return NULL;
  return gtk_label_get_text (GTK_LABEL (label));
}

static GtkWidget *
first_label (GtkWidget *widget)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found;

      if (GTK_IS_LABEL (child) && gtk_widget_get_visible (child))
        return child;
      if ((found = first_label (child)) != NULL)
        return found;
    }
  return NULL;
}

/**
 * kiosk_speech_set_accessible_label:
 * @widget: a control
 * @label: what it does, when its visible label says too little ("Change"
 *   → "Change “Where?”")
 *
 * Sets the accessible label, and the same for speech (GTK 4.8 cannot
 * read an accessible property back).
 */
void
kiosk_speech_set_accessible_label (GtkWidget  *widget,
                                   const char *label)
{
  g_return_if_fail (GTK_IS_WIDGET (widget));

  gtk_accessible_update_property (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
  g_object_set_data_full (G_OBJECT (widget), "kiosk-speech-label", g_strdup (label), g_free);
}

static char *
button_text (GtkWidget *button)
{
  const char *label = g_object_get_data (G_OBJECT (button), "kiosk-speech-label");

  if (label != NULL)
    return g_strdup (label);
  if (GTK_IS_CHECK_BUTTON (button))
    label = gtk_check_button_get_label (GTK_CHECK_BUTTON (button));
  else if (GTK_IS_BUTTON (button))
    label = gtk_button_get_label (GTK_BUTTON (button));
  if (label == NULL)
    {
      /* A tile or an icon button: the first label inside it. */
      GtkWidget *found = find_class (button, "kiosk-tile-title");

      if (found == NULL)
        found = first_label (button);
      if (found != NULL && GTK_IS_LABEL (found))
        label = gtk_label_get_text (GTK_LABEL (found));
    }
  return g_strdup (label);
}

/**
 * kiosk_speech_describe_widget:
 * @focus: the focused widget
 *
 * Returns: (transfer full) (nullable): what to say about it: in a form
 *   field its label, value, help and error; on a button its label
 */
char *
kiosk_speech_describe_widget (GtkWidget *focus)
{
  GString *out = g_string_new (NULL);
  GtkWidget *control = NULL;
  GtkWidget *row = NULL;

  g_return_val_if_fail (focus == NULL || GTK_IS_WIDGET (focus), NULL);

  for (GtkWidget *w = focus; w != NULL; w = gtk_widget_get_parent (w))
    {
      if (control == NULL && (GTK_IS_BUTTON (w) || GTK_IS_CHECK_BUTTON (w) || GTK_IS_EDITABLE (w)
                              || GTK_IS_TEXT_VIEW (w)))
        control = w;
      if (gtk_widget_has_css_class (w, "kiosk-field"))
        {
          row = w;
          break;
        }
    }
  if (control != NULL && GTK_IS_EDITABLE (control))
    {
      /* An entry's inner GtkText: the GtkEntry is the control. */
      GtkWidget *parent = gtk_widget_get_parent (control);

      if (parent != NULL && GTK_IS_EDITABLE (parent))
        control = parent;
    }
  if (control == NULL)
    return g_string_free (out, TRUE);

  if (row != NULL)
    append_sentence (out, label_of (row, "kiosk-field-label"));

  if (gtk_widget_get_ancestor (control, GTK_TYPE_MENU_BUTTON) != NULL)
    {
      /* The language button: a menu button showing the language's name. */
      g_autofree char *text = button_text (control);
      g_autofree char *said = g_strdup_printf (_("Language: %s. Choose another language"), text);

      append_sentence (out, said);
    }
  else if (GTK_IS_CHECK_BUTTON (control))
    {
      g_autofree char *text = button_text (control);

      append_sentence (out, text);
      append_sentence (out, gtk_check_button_get_active (GTK_CHECK_BUTTON (control))
                            ? _("selected") : _("not selected"));
    }
  else if (GTK_IS_TOGGLE_BUTTON (control))
    {
      g_autofree char *text = button_text (control);

      append_sentence (out, text);
      append_sentence (out, gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (control)) ? _("on") : _("off"));
    }
  else if (GTK_IS_BUTTON (control))
    {
      g_autofree char *text = button_text (control);

      append_sentence (out, text);
      append_sentence (out, _("button"));
    }
  else if (GTK_IS_EDITABLE (control) || GTK_IS_TEXT_VIEW (control))
    {
      g_autofree char *value = NULL;

      if (GTK_IS_TEXT_VIEW (control))
        {
          GtkTextBuffer *buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (control));
          GtkTextIter start, end;

          gtk_text_buffer_get_bounds (buffer, &start, &end);
          value = gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
        }
      else
        value = g_strdup (gtk_editable_get_text (GTK_EDITABLE (control)));
      if (row == NULL && g_object_class_find_property (G_OBJECT_GET_CLASS (control), "placeholder-text") != NULL)
        {
          g_autofree char *placeholder = NULL;

          g_object_get (control, "placeholder-text", &placeholder, NULL);
          append_sentence (out, placeholder);
        }
      append_sentence (out, value != NULL && *value != '\0' ? value : _("empty"));
    }

  if (row != NULL)
    {
      append_sentence (out, label_of (row, "kiosk-help"));
      append_sentence (out, label_of (row, "kiosk-error"));
    }
  return g_string_free (out, FALSE);
}

void
kiosk_speech_read_page (KioskSpeech *self,
                        GtkWidget   *page)
{
  g_autofree char *text = NULL;

  g_return_if_fail (KIOSK_IS_SPEECH (self));

  if (!self->active || page == NULL)
    return;
  text = kiosk_speech_page_text (page);
  kiosk_speech_say (self, text);
}

void
kiosk_speech_describe_focus (KioskSpeech *self,
                             GtkWidget   *focus)
{
  g_autofree char *text = NULL;

  g_return_if_fail (KIOSK_IS_SPEECH (self));

  if (!self->active || focus == NULL)
    return;
  text = kiosk_speech_describe_widget (focus);
  kiosk_speech_say (self, text);
}

/**
 * kiosk_speech_repeat:
 *
 * The help key: the page and the focused control again.
 */
void
kiosk_speech_repeat (KioskSpeech *self)
{
  g_return_if_fail (KIOSK_IS_SPEECH (self));

  if (!self->active)
    return;
  kiosk_speech_stop (self);
  if (self->stack != NULL)
    kiosk_speech_read_page (self, gtk_stack_get_visible_child (self->stack));
  if (self->window != NULL)
    kiosk_speech_describe_focus (self, gtk_window_get_focus (self->window));
}

/* A language switch or a new step rebuilds pages and moves the focus
 * several times in one go: what is said is the state once it settled,
 * the page first, then the focused control. */
static gboolean
settled_cb (gpointer user_data)
{
  KioskSpeech *self = user_data;

  self->idle_id = 0;
  if (self->page_changed && self->stack != NULL)
    kiosk_speech_read_page (self, gtk_stack_get_visible_child (self->stack));
  if (self->focus_changed && self->window != NULL)
    kiosk_speech_describe_focus (self, gtk_window_get_focus (self->window));
  self->page_changed = self->focus_changed = FALSE;
  return G_SOURCE_REMOVE;
}

static void
schedule (KioskSpeech *self,
          gboolean     page)
{
  if (!self->active)
    return;
  if (page)
    self->page_changed = TRUE;
  else
    self->focus_changed = TRUE;
  if (self->idle_id == 0)
    self->idle_id = g_idle_add_full (G_PRIORITY_LOW, settled_cb, self, NULL);
}

/**
 * kiosk_speech_page_changed:
 *
 * The visible page shows something new without a page change (the next
 * step of a form): it is read again once things settled.
 */
void
kiosk_speech_page_changed (KioskSpeech *self)
{
  g_return_if_fail (KIOSK_IS_SPEECH (self));
  schedule (self, TRUE);
}

static void
page_changed_cb (GtkStack    *stack,
                 GParamSpec  *pspec,
                 KioskSpeech *self)
{
  /* Not cancelled: what is queued about the last page is short (one
   * control), and a cancel would race with it; the help key cancels. */
  schedule (self, TRUE);
}

/* Enter on a focused option or toggle: its new state is said. */
static void
toggled_cb (GtkWidget   *widget,
            GParamSpec  *pspec,
            KioskSpeech *self)
{
  schedule (self, FALSE);
}

static void
focus_changed_cb (GtkWindow   *window,
                  GParamSpec  *pspec,
                  KioskSpeech *self)
{
  GtkWidget *focus = gtk_window_get_focus (window);

  if (self->watched != NULL)
    g_signal_handlers_disconnect_by_data (self->watched, self);
  g_clear_weak_pointer (&self->watched);
  if (focus != NULL && (GTK_IS_CHECK_BUTTON (focus) || GTK_IS_TOGGLE_BUTTON (focus)))
    {
      g_set_weak_pointer (&self->watched, focus);
      g_signal_connect (focus, "notify::active", G_CALLBACK (toggled_cb), self);
    }
  schedule (self, FALSE);
}

static void
key_typed_cb (GtkWidget   *keyboard,
              const char  *key,
              const char  *spoken,
              KioskSpeech *self)
{
  kiosk_speech_say (self, spoken);
}

/**
 * kiosk_speech_attach:
 * @window: the kiosk window: its focus is described
 * @stack: the pages: a new page is read
 * @keyboard: (nullable): the on-screen keyboard: what it types is said
 */
void
kiosk_speech_attach (KioskSpeech *self,
                     GtkWindow   *window,
                     GtkStack    *stack,
                     GtkWidget   *keyboard)
{
  g_return_if_fail (KIOSK_IS_SPEECH (self));
  g_return_if_fail (GTK_IS_WINDOW (window));
  g_return_if_fail (GTK_IS_STACK (stack));

  g_set_weak_pointer (&self->window, window);
  g_set_weak_pointer (&self->stack, stack);
  g_signal_connect_object (stack, "notify::visible-child", G_CALLBACK (page_changed_cb), self, 0);
  g_signal_connect_object (window, "notify::focus-widget", G_CALLBACK (focus_changed_cb), self, 0);
  if (keyboard != NULL)
    g_signal_connect_object (keyboard, "key-typed", G_CALLBACK (key_typed_cb), self, 0);
}

/* test-language.c — the session language wins over the process locale
 *
 * SPDX-FileCopyrightText: 2026 Stadtkiosk contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <locale.h>

#include "kiosk-window-private.h"
#include "kiosk-form-page.h"
#include "kiosk-i18n.h"
#include "kiosk-language-button.h"
#include "kiosk-test-util.h"
#include "kiosk-gui-test-util.h"

/* Started as systemd starts the kiosk: LANG=C.UTF-8, no $LANGUAGE. */

#define IDLE_SINGULAR "Everything you entered will be deleted in %u second."
#define IDLE_PLURAL   "Everything you entered will be deleted in %u seconds."

typedef struct
{
  char         *state_dir;
  KioskClock   *clock;
  KioskContext *context;
  KioskWindow  *window;
} Fixture;

static void
flush (void)
{
  for (guint i = 0; i < 1000 && g_main_context_iteration (NULL, FALSE); i++)
    ;
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KioskConfig) config = NULL;
  g_autofree char *path = NULL;

  f->state_dir = g_dir_make_tmp ("stadtkiosk-lang-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (f->state_dir, "kiosk.conf", NULL);
  g_file_set_contents (path, data != NULL ? data : "[kiosk]\nlanguages=de;en;ls;ar;\n", -1, &error);
  g_assert_no_error (error);
  config = kiosk_config_new_from_file (path, &error);
  g_assert_no_error (error);
  kiosk_config_set_state_dir (config, f->state_dir);
  f->clock = kiosk_clock_new_fake (G_GINT64_CONSTANT (1790000000) * G_USEC_PER_SEC);
  f->context = kiosk_context_new (config, f->clock, &error);
  g_assert_no_error (error);
  f->window = kiosk_window_new_for_context (f->context);
  gtk_window_set_default_size (GTK_WINDOW (f->window), 1280, 800);
  gtk_window_present (GTK_WINDOW (f->window));
  flush ();
}

static void
fixture_set_up_all (Fixture       *f,
                    gconstpointer  data)
{
  fixture_set_up (f, "[kiosk]\nlanguages=de;en;ar;tr;uk;ru;pl;ls;\n");
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  gtk_window_destroy (GTK_WINDOW (f->window));
  flush ();
  g_clear_object (&f->context);
  g_clear_object (&f->clock);
  kiosk_test_rm_rf (f->state_dir);
  g_free (f->state_dir);
}

static void
activate (Fixture    *f,
          const char *action,
          GVariant   *parameter)
{
  g_assert_true (gtk_widget_activate_action_variant (GTK_WIDGET (f->window), action, parameter));
  flush ();
}

static GtkWidget *
find_label (GtkWidget  *widget,
            const char *text)
{
  if (GTK_IS_LABEL (widget) && g_strcmp0 (gtk_label_get_text (GTK_LABEL (widget)), text) == 0)
    return widget;
  if (GTK_IS_BUTTON (widget) && g_strcmp0 (gtk_button_get_label (GTK_BUTTON (widget)), text) == 0)
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_label (child, text);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static const char *
empty_description_error (Fixture *f)
{
  KioskFormPage *form_page;

  activate (f, "kiosk.start", NULL);
  activate (f, "kiosk.open-service", g_variant_new_string ("report-problem"));
  activate (f, "kiosk.begin-form", NULL);
  form_page = KIOSK_FORM_PAGE (_kiosk_window_get_page (f->window));
  activate (f, "kiosk.next", NULL);
  return kiosk_form_page_get_error (form_page, "description");
}

/* Every string follows the session: the UI, the core's validation, the
 * core's yes/no, GLib-translated plurals (the idle warning). */
static void
test_c_utf8 (Fixture       *f,
             gconstpointer  data)
{
  GtkWidget *welcome = _kiosk_window_get_page (f->window);

  g_assert_cmpstr (setlocale (LC_CTYPE, NULL), ==, "C.UTF-8");
  g_assert_cmpstr (kiosk_window_get_language (f->window), ==, "de");
  g_assert_nonnull (find_label (welcome, "Tippen Sie hier, um zu beginnen"));
  /* Leichte Sprache is offered by that name. */
  g_assert_nonnull (find_label (welcome, "Leichte Sprache"));

  g_assert_cmpstr (empty_description_error (f), ==, "Füllen Sie „Beschreibung“ aus.");
  g_assert_cmpstr (kiosk_language_pgettext (NULL, "answer", "No"), ==, "Nein");
  g_assert_cmpstr (g_dngettext (GETTEXT_PACKAGE, IDLE_SINGULAR, IDLE_PLURAL, 5), ==,
                   "Alles, was Sie eingegeben haben, wird in %u Sekunden gelöscht.");

  /* English: the same, in English. */
  activate (f, "kiosk.language", g_variant_new_string ("en"));
  g_assert_cmpstr (empty_description_error (f), ==, "Fill in “Description”.");
  g_assert_cmpstr (g_dngettext (GETTEXT_PACKAGE, IDLE_SINGULAR, IDLE_PLURAL, 5), ==, IDLE_PLURAL);

  /* Leichte Sprache: its own texts or German, never English. */
  activate (f, "kiosk.language", g_variant_new_string ("ls"));
  g_assert_cmpstr (kiosk_window_get_language (f->window), ==, "ls");
  g_assert_false (g_str_has_prefix (empty_description_error (f), "Fill in"));
  g_assert_cmpint (gtk_widget_get_default_direction (), ==, GTK_TEXT_DIR_LTR);

  activate (f, "kiosk.language", g_variant_new_string ("ar"));
  g_assert_cmpint (gtk_widget_get_default_direction (), ==, GTK_TEXT_DIR_RTL);
  activate (f, "kiosk.start-over", NULL);
  g_assert_cmpint (gtk_widget_get_default_direction (), ==, GTK_TEXT_DIR_LTR);
}

static GtkWidget *
find_type (GtkWidget *widget,
           GType      type)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type))
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_type (child, type);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* The language button in the top bar switches mid-form: same page, same
 * step, the answers kept, the texts in the new language; Arabic mirrors. */
static void
test_switch_keeps_answers (Fixture       *f,
                           gconstpointer  data)
{
  KioskLanguageButton *button = KIOSK_LANGUAGE_BUTTON (find_type (GTK_WIDGET (f->window), KIOSK_TYPE_LANGUAGE_BUTTON));
  KioskFormPage *form_page;
  GtkWidget *description;
  GtkTextBuffer *buffer;
  g_autofree char *text = NULL;
  GtkTextIter start, end;

  g_assert_nonnull (button);
  /* Not on the welcome page, which lists the languages itself. */
  g_assert_false (gtk_widget_is_sensitive (GTK_WIDGET (button)));

  activate (f, "kiosk.start", NULL);
  g_assert_true (gtk_widget_is_sensitive (GTK_WIDGET (button)));
  activate (f, "kiosk.open-service", g_variant_new_string ("report-problem"));
  activate (f, "kiosk.begin-form", NULL);
  form_page = KIOSK_FORM_PAGE (_kiosk_window_get_page (f->window));
  description = kiosk_form_page_get_input (form_page, "description");
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (GTK_TEXT_VIEW (description)), "Loch im Weg", -1);
  flush ();
  g_assert_nonnull (find_label (GTK_WIDGET (form_page), "Schritt 1 von 3"));

  /* The popover lists every offered language by its own name. */
  kiosk_language_button_popup (button);
  flush ();
  g_assert_nonnull (kiosk_language_button_get_choice (button, "ls"));
  g_assert_cmpstr (gtk_button_get_label (GTK_BUTTON (kiosk_language_button_get_choice (button, "ar"))), ==, "العربية");
  g_signal_emit_by_name (kiosk_language_button_get_choice (button, "en"), "clicked");
  flush ();

  g_assert_cmpstr (kiosk_window_get_language (f->window), ==, "en");
  g_assert_cmpstr (kiosk_window_get_page_name (f->window), ==, "form");
  form_page = KIOSK_FORM_PAGE (_kiosk_window_get_page (f->window));
  g_assert_cmpuint (kiosk_form_page_get_step (form_page), ==, 0);
  g_assert_nonnull (find_label (GTK_WIDGET (form_page), "Step 1 of 3"));
  g_assert_null (find_label (GTK_WIDGET (form_page), "Schritt 1 von 3"));
  buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (kiosk_form_page_get_input (form_page, "description")));
  gtk_text_buffer_get_bounds (buffer, &start, &end);
  text = gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
  g_assert_cmpstr (text, ==, "Loch im Weg");
  g_assert_cmpstr (json_node_get_string (kiosk_form_get_value (_kiosk_window_get_form (f->window), "description")), ==,
                   "Loch im Weg");

  activate (f, "kiosk.language", g_variant_new_string ("ar"));
  g_assert_cmpstr (kiosk_window_get_page_name (f->window), ==, "form");
  g_assert_cmpint (gtk_widget_get_direction (_kiosk_window_get_page (f->window)), ==, GTK_TEXT_DIR_RTL);
  g_assert_cmpstr (json_node_get_string (kiosk_form_get_value (_kiosk_window_get_form (f->window), "description")), ==,
                   "Loch im Weg");
}

/* A walk in every language: the form, its keyboard in the language's
 * letters, the direction; Latin letters one key away. */
static void
test_every_language (Fixture       *f,
                     gconstpointer  data)
{
  const struct { const char *lang; KioskKeyboardLayout layout; GtkTextDirection dir; } cases[] = {
    { "de", KIOSK_KEYBOARD_QWERTZ, GTK_TEXT_DIR_LTR }, { "en", KIOSK_KEYBOARD_QWERTY, GTK_TEXT_DIR_LTR },
    { "ar", KIOSK_KEYBOARD_ARABIC, GTK_TEXT_DIR_RTL }, { "tr", KIOSK_KEYBOARD_TURKISH, GTK_TEXT_DIR_LTR },
    { "uk", KIOSK_KEYBOARD_UKRAINIAN, GTK_TEXT_DIR_LTR }, { "ru", KIOSK_KEYBOARD_RUSSIAN, GTK_TEXT_DIR_LTR },
    { "pl", KIOSK_KEYBOARD_POLISH, GTK_TEXT_DIR_LTR }, { "ls", KIOSK_KEYBOARD_QWERTZ, GTK_TEXT_DIR_LTR },
  };
  KioskKeyboard *keyboard = _kiosk_window_get_keyboard (f->window);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      KioskFormPage *form_page;
      GtkWidget *description;

      g_test_message ("language %s", cases[i].lang);
      activate (f, "kiosk.language", g_variant_new_string (cases[i].lang));
      g_assert_cmpstr (kiosk_window_get_language (f->window), ==, cases[i].lang);
      g_assert_cmpstr (kiosk_language_get_current (), ==, cases[i].lang);
      activate (f, "kiosk.start", NULL);
      activate (f, "kiosk.open-service", g_variant_new_string ("report-problem"));
      activate (f, "kiosk.begin-form", NULL);
      g_assert_cmpstr (kiosk_window_get_page_name (f->window), ==, "form");
      form_page = KIOSK_FORM_PAGE (_kiosk_window_get_page (f->window));
      g_assert_cmpint (gtk_widget_get_direction (GTK_WIDGET (form_page)), ==, cases[i].dir);
      description = kiosk_form_page_get_input (form_page, "description");
      gtk_widget_grab_focus (description);
      flush ();
      g_assert_true (_kiosk_window_get_keyboard_shown (f->window));
      g_assert_cmpint (kiosk_keyboard_get_layout (keyboard), ==, cases[i].layout);
      /* It types into the field. */
      g_signal_emit_by_name (kiosk_keyboard_get_key (keyboard, "SPACE"), "clicked");
      flush ();
      {
        GtkTextBuffer *buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (description));

        g_assert_cmpint (gtk_text_buffer_get_char_count (buffer), ==, 1);
      }
      if (cases[i].layout != KIOSK_KEYBOARD_QWERTZ && cases[i].layout != KIOSK_KEYBOARD_QWERTY)
        {
          g_signal_emit_by_name (kiosk_keyboard_get_key (keyboard, "LATIN"), "clicked");
          g_assert_cmpint (kiosk_keyboard_get_layout (keyboard), ==, KIOSK_KEYBOARD_QWERTY);
        }
      activate (f, "kiosk.start-over", NULL);
    }
}

/* The service page and the status page stay, rebuilt in the new
 * language (restore_page in kiosk-window-actions.c). */
static void
test_switch_keeps_page (Fixture       *f,
                        gconstpointer  data)
{
  activate (f, "kiosk.start", NULL);
  activate (f, "kiosk.open-service", g_variant_new_string ("report-problem"));
  g_assert_cmpstr (kiosk_window_get_page_name (f->window), ==, "service");
  g_assert_nonnull (find_label (_kiosk_window_get_page (f->window), "Problem im öffentlichen Raum melden"));
  activate (f, "kiosk.language", g_variant_new_string ("en"));
  g_assert_cmpstr (kiosk_window_get_page_name (f->window), ==, "service");
  g_assert_nonnull (find_label (_kiosk_window_get_page (f->window), "Report a problem in public space"));
  g_assert_null (find_label (_kiosk_window_get_page (f->window), "Problem im öffentlichen Raum melden"));

  activate (f, "kiosk.status", NULL);
  g_assert_cmpstr (kiosk_window_get_page_name (f->window), ==, "status");
  g_assert_nonnull (find_label (_kiosk_window_get_page (f->window), "What became of my request?"));
  activate (f, "kiosk.language", g_variant_new_string ("de"));
  g_assert_cmpstr (kiosk_window_get_page_name (f->window), ==, "status");
  g_assert_nonnull (find_label (_kiosk_window_get_page (f->window), "Was ist aus meinem Anliegen geworden?"));
}

/* Staff screens speak the office's language: [staff] language, or the
 * kiosk's first; never the language the last citizen chose.  Leaving
 * staff mode gives the next citizen the kiosk's first language. */
static void
test_staff_language (Fixture       *f,
                     gconstpointer  data)
{
  const char *expected = g_strrstr (data, "[staff]") != NULL ? "Enter your staff PIN." : "Geben Sie Ihre Personal-PIN ein.";

  activate (f, "kiosk.language", g_variant_new_string ("uk"));
  activate (f, "kiosk.start", NULL);
  g_assert_nonnull (find_label (_kiosk_window_get_page (f->window), "Що ви хочете зробити?"));
  activate (f, "kiosk.staff", NULL);
  g_assert_cmpstr (kiosk_window_get_page_name (f->window), ==, "staff");
  g_assert_nonnull (find_label (_kiosk_window_get_page (f->window), expected));
  g_assert_null (find_label (_kiosk_window_get_page (f->window), "Введіть свій PIN-код персоналу."));

  kiosk_window_reset_session (f->window);
  flush ();
  g_assert_cmpstr (kiosk_window_get_language (f->window), ==, "de");
  g_assert_nonnull (find_label (_kiosk_window_get_page (f->window), "Willkommen am Stadtkiosk"));
}

/* The top bar's title is never cut ("Stadtk…" next to five Ukrainian
 * buttons): in every language, with and without large text, on a form
 * page (all five buttons), the title shown gets its whole natural width,
 * and the bar fits 1280 px.  In Ukrainian the full name does not fit:
 * the same measure sees it too wide (the harness sees a cut). */
static void
test_title_fits (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(GtkCssProvider) css = gtk_css_provider_new ();
  GdkDisplay *display = gtk_widget_get_display (GTK_WIDGET (f->window));
  const char * const *languages = kiosk_language_get_supported ();
  GtkWidget *squeezer = GTK_WIDGET (f->window->title_squeezer);
  gboolean saw_short = FALSE;

  gtk_css_provider_load_from_resource (css, "/de/hildesheim/Stadtkiosk/style.css");
  gtk_style_context_add_provider_for_display (display, GTK_STYLE_PROVIDER (css),
                                              GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
  for (guint i = 0; languages[i] != NULL; i++)
    for (guint large = 0; large < 2; large++)
      {
        GtkWidget *shown;
        int natural = 0, full = 0, bar_min = 0;

        activate (f, "kiosk.language", g_variant_new_string (languages[i]));
        activate (f, "kiosk.start", NULL);
        activate (f, "kiosk.open-service", g_variant_new_string ("report-problem"));
        activate (f, "kiosk.begin-form", NULL);
        g_assert_cmpstr (kiosk_window_get_page_name (f->window), ==, "form");
        g_object_set (f->window, "large-text", (gboolean) large, NULL);
        kiosk_gui_test_settle (GTK_WIDGET (f->window));

        shown = adw_squeezer_get_visible_child (f->window->title_squeezer);
        g_assert_nonnull (shown);
        gtk_widget_measure (shown, GTK_ORIENTATION_HORIZONTAL, -1, NULL, &natural, NULL, NULL);
        gtk_widget_measure (GTK_WIDGET (f->window->title_label), GTK_ORIENTATION_HORIZONTAL, -1,
                            NULL, &full, NULL, NULL);
        gtk_widget_measure (f->window->top_bar, GTK_ORIENTATION_HORIZONTAL, -1, &bar_min, NULL, NULL, NULL);
        g_test_message ("%s%s: title \"%s\" %d px of %d, full name %d px, bar at least %d px", languages[i],
                        large ? " (large text)" : "", gtk_label_get_text (GTK_LABEL (shown)), natural,
                        gtk_widget_get_width (squeezer), full, bar_min);
        g_assert_cmpint (gtk_widget_get_width (squeezer), >=, natural);
        g_assert_cmpint (bar_min, <=, 1280);
        g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (f->window)), <=, 1280);
        if (g_str_equal (languages[i], "uk") && !large)
          {
            /* Negative control: the full name would have been cut. */
            g_assert_true (shown != GTK_WIDGET (f->window->title_label));
            g_assert_cmpint (full, >, gtk_widget_get_width (squeezer));
            saw_short = TRUE;
          }
        activate (f, "kiosk.start-over", NULL);
        if (kiosk_window_get_page_name (f->window) != NULL && !g_str_equal (kiosk_window_get_page_name (f->window), "welcome"))
          kiosk_window_reset_session (f->window);
        flush ();
      }
  g_assert_true (saw_short);
  gtk_style_context_remove_provider_for_display (display, GTK_STYLE_PROVIDER (css));
}

/* With all eight languages the welcome page has two rows of language
 * buttons; it must still fit a 1280x800 screen below the top bar without
 * scrolling (the logo gives way).  Measured with the kiosk's style sheet. */
static int
welcome_height (GtkWidget *content)
{
  int natural = 0;

  gtk_widget_measure (content, GTK_ORIENTATION_VERTICAL, 1280, NULL, &natural, NULL, NULL);
  return natural;
}

static void
test_welcome_fits (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GtkCssProvider) css = gtk_css_provider_new ();
  GdkDisplay *display = gtk_widget_get_display (GTK_WIDGET (f->window));
  GtkWidget *page;
  GtkWidget *content;
  GtkWidget *logo;
  const char * const *languages = kiosk_language_get_supported ();
  int bar = 0;
  int available;

  gtk_css_provider_load_from_resource (css, "/de/hildesheim/Stadtkiosk/style.css");
  gtk_style_context_add_provider_for_display (display, GTK_STYLE_PROVIDER (css),
                                              GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
  for (guint i = 0; languages[i] != NULL; i++)
    {
      activate (f, "kiosk.language", g_variant_new_string (languages[i]));
      g_assert_cmpstr (kiosk_window_get_page_name (f->window), ==, "welcome");
      page = _kiosk_window_get_page (f->window);
      /* AdwBin > GtkScrolledWindow > GtkViewport > the page's box */
      content = gtk_widget_get_first_child (gtk_widget_get_first_child (gtk_widget_get_first_child (page)));
      g_assert_true (GTK_IS_BOX (content));
      gtk_widget_measure (f->window->top_bar, GTK_ORIENTATION_VERTICAL, 1280, NULL, &bar, NULL, NULL);
      available = 800 - bar;
      g_test_message ("%s: welcome page %d px, %d px below the top bar",
                      languages[i], welcome_height (content), available);
      g_assert_cmpint (welcome_height (content), <=, available);

      /* Negative control: with the logo the same measure sees the page
       * run off the screen. */
      logo = gtk_widget_get_first_child (content);
      g_assert_true (GTK_IS_IMAGE (logo));
      g_assert_false (gtk_widget_get_visible (logo));
      gtk_widget_set_visible (logo, TRUE);
      g_assert_cmpint (welcome_height (content), >, available);
      gtk_widget_set_visible (logo, FALSE);
    }
  gtk_style_context_remove_provider_for_display (display, GTK_STYLE_PROVIDER (css));
}

/* Negative control: without kiosk_i18n_init(), GLib decides at its first
 * g_dgettext() under C.UTF-8 never to translate, and a German session
 * later still gets English from it.  This is what the harness must see. */
static void
test_unprimed_control (void)
{
  if (g_test_subprocess ())
    {
      setlocale (LC_ALL, "");
      bindtextdomain (GETTEXT_PACKAGE, g_getenv ("STADTKIOSK_LOCALEDIR"));
      bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
      textdomain (GETTEXT_PACKAGE);
      (void) g_dgettext (GETTEXT_PACKAGE, "Next");
      g_setenv ("LANGUAGE", "de", TRUE);
      setlocale (LC_MESSAGES, "de_DE.UTF-8");
      textdomain (GETTEXT_PACKAGE);
      g_print ("%s\n", g_dngettext (GETTEXT_PACKAGE, IDLE_SINGULAR, IDLE_PLURAL, 5));
      return;
    }
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_test_trap_assert_passed ();
  g_test_trap_assert_stdout ("*" IDLE_PLURAL "*");
}

int
main (int    argc,
      char **argv)
{
  g_auto(GStrv) names = g_listenv ();

  for (guint i = 0; names[i] != NULL; i++)
    if (g_str_has_prefix (names[i], "LC_"))
      g_unsetenv (names[i]);
  g_setenv ("LANG", "C.UTF-8", TRUE);
  g_unsetenv ("LANGUAGE");

  /* The control's subprocess sets gettext up itself, unprimed. */
  for (int i = 1; i < argc; i++)
    if (g_str_equal (argv[i], "--GTestSubprocess"))
      {
        g_test_init (&argc, &argv, NULL);
        g_test_add_func ("/kiosk/gui/language/unprimed-control", test_unprimed_control);
        return g_test_run ();
      }

  kiosk_i18n_init (g_getenv ("STADTKIOSK_LOCALEDIR"));
  gtk_test_init (&argc, &argv, NULL);
  /* No blinking cursor: see kiosk_gui_test_init_display (). */
  g_object_set (gtk_settings_get_default (), "gtk-cursor-blink", FALSE, NULL);
  /* gtk_test_init() switches to en_US.UTF-8; back to the kiosk's. */
  setlocale (LC_ALL, "C.UTF-8");
  adw_init ();

  g_test_add ("/kiosk/gui/language/c-utf8", Fixture, NULL, fixture_set_up, test_c_utf8, fixture_tear_down);
  g_test_add ("/kiosk/gui/language/switch-keeps-answers", Fixture, NULL, fixture_set_up, test_switch_keeps_answers,
              fixture_tear_down);
  g_test_add ("/kiosk/gui/language/every-language", Fixture, NULL, fixture_set_up_all, test_every_language,
              fixture_tear_down);
  g_test_add ("/kiosk/gui/language/switch-keeps-page", Fixture, NULL, fixture_set_up, test_switch_keeps_page,
              fixture_tear_down);
  g_test_add ("/kiosk/gui/language/welcome-fits", Fixture, NULL, fixture_set_up_all, test_welcome_fits,
              fixture_tear_down);
  g_test_add_func ("/kiosk/gui/language/unprimed-control", test_unprimed_control);
  g_test_add ("/kiosk/gui/language/title-fits", Fixture, NULL, fixture_set_up_all, test_title_fits,
              fixture_tear_down);
  g_test_add ("/kiosk/gui/language/staff-first-language", Fixture, "[kiosk]\nlanguages=de;en;uk;\n",
              fixture_set_up, test_staff_language, fixture_tear_down);
  g_test_add ("/kiosk/gui/language/staff-setting", Fixture, "[kiosk]\nlanguages=de;en;uk;\n[staff]\nlanguage=en\n",
              fixture_set_up, test_staff_language, fixture_tear_down);

  return g_test_run ();
}

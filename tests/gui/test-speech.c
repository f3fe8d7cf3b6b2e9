/* test-speech.c — what the kiosk says, heard through a private
 * speech-dispatcher whose only output module writes the text to a file
 *
 * SPDX-FileCopyrightText: 2026 Stadtkiosk contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <gio/gunixsocketaddress.h>
#include <glib/gstdio.h>
#include <locale.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>

#include "kiosk-window-private.h"
#include "kiosk-fake-portal.h"
#include "kiosk-form-page.h"
#include "kiosk-info-page.h"
#include "kiosk-i18n.h"
#include "kiosk-speech.h"
#include "kiosk-speech-private.h"
#include "kiosk-test-util.h"
#include "kiosk-gui-test-util.h"

#ifdef GDK_WINDOWING_X11
#include <gdk/x11/gdkx.h>
#endif

typedef struct
{
  char         *state_dir;
  char         *log;         /* one line per message: LANGUAGE|TEXT */
  GPid          server;
  KioskClock   *clock;
  KioskContext *context;
  KioskWindow  *window;
  guint         heard;       /* lines of the log already checked */
} Fixture;

static void
flush (void)
{
  for (guint i = 0; i < 1000 && g_main_context_iteration (NULL, FALSE); i++)
    ;
}

static char *
write_file (const char *dir,
            const char *name,
            const char *text)
{
  g_autoptr(GError) error = NULL;
  char *path = g_build_filename (dir, name, NULL);

  g_file_set_contents (path, text, -1, &error);
  g_assert_no_error (error);
  return path;
}

/* The test server ends with the test, also one that failed on purpose
 * (a negative control's subprocess) or crashed before its tear-down. */
static void
die_with_parent (gpointer data)
{
  prctl (PR_SET_PDEATHSIG, SIGTERM);
}

/* speech-dispatcher as DESIGN.md describes it: libao's null driver (no
 * sound device), and an sd_generic module that appends what it should
 * say, with the language, to a file. */
static gboolean
start_server (Fixture *f)
{
  g_autofree char *server = g_find_program_in_path ("speech-dispatcher");
  g_autofree char *conf = g_build_filename (f->state_dir, "speechd", NULL);
  g_autofree char *modules = g_build_filename (conf, "modules", NULL);
  g_autofree char *logdir = g_build_filename (f->state_dir, "speechd-log", NULL);
  g_autofree char *socket = g_build_filename (f->state_dir, "speechd.sock", NULL);
  g_autofree char *address = g_strconcat ("unix_socket:", socket, NULL);
  g_autofree char *speechd_conf = NULL;
  g_autofree char *module_conf = NULL;
  g_autofree char *p1 = NULL, *p2 = NULL, *p3 = NULL, *p4 = NULL;
  g_auto(GStrv) env = g_get_environ ();
  g_autoptr(GError) error = NULL;
  const char *langs[] = { "de", "en", "ar", "tr", "uk", "ru", "pl" };
  g_autoptr(GString) module = g_string_new (NULL);

  if (server == NULL)
    return FALSE;
  g_assert_cmpint (g_mkdir_with_parents (modules, 0700), ==, 0);
  g_assert_cmpint (g_mkdir_with_parents (logdir, 0700), ==, 0);
  speechd_conf = g_strdup_printf ("AudioOutputMethod \"libao\"\nDefaultModule logger\n"
                                  "AddModule \"logger\" \"sd_generic\" \"logger.conf\"\n"
                                  "LogLevel 3\nLogDir \"%s\"\n", logdir);
  g_string_append_printf (module, "GenericExecuteSynth \"printf '%%s|%%s\\\\n' '$LANGUAGE' '$DATA' >> %s\"\n", f->log);
  for (guint i = 0; i < G_N_ELEMENTS (langs); i++)
    g_string_append_printf (module, "GenericLanguage \"%s\" \"%s\" \"utf-8\"\n", langs[i], langs[i]);
  g_string_append (module, "AddVoice \"de\" \"MALE1\" \"de\"\n");
  /* One line per message: sd_generic cuts at sentence ends unless given
   * a delimiter of its own (an empty one does not stop it). */
  g_string_append (module, "GenericMaxChunkLength 100000\nGenericDelimiters \"¤\"\n");
  module_conf = g_strdup (module->str);
  p1 = write_file (conf, "speechd.conf", speechd_conf);
  p2 = write_file (modules, "logger.conf", module_conf);
  p3 = write_file (conf, "logger.conf", module_conf);
  p4 = write_file (f->state_dir, ".libao", "default_driver=null\n");

  env = g_environ_setenv (env, "HOME", f->state_dir, TRUE);
  {
    const char *argv[] = { server, "-s", "-c", "unix_socket", "-S", socket, "-C", conf, "-t", "0", NULL };

    g_spawn_async (NULL, (char **) argv, env, G_SPAWN_DO_NOT_REAP_CHILD | G_SPAWN_STDOUT_TO_DEV_NULL
                   | G_SPAWN_STDERR_TO_DEV_NULL, die_with_parent, NULL, &f->server, &error);
    g_assert_no_error (error);
  }
  /* Wait for its socket (a condition, not a time). */
  for (guint i = 0; i < 1000 && !g_file_test (socket, G_FILE_TEST_EXISTS); i++)
    g_usleep (10000);
  g_assert_true (g_file_test (socket, G_FILE_TEST_EXISTS));
  g_setenv ("SPEECHD_ADDRESS", address, TRUE);
  return TRUE;
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KioskConfig) config = NULL;
  g_autofree char *path = NULL;

  f->state_dir = g_dir_make_tmp ("stadtkiosk-speech-XXXXXX", &error);
  g_assert_no_error (error);
  f->log = g_build_filename (f->state_dir, "spoken.log", NULL);
  if (!start_server (f))
    return;
  path = g_build_filename (f->state_dir, "kiosk.conf", NULL);
  g_file_set_contents (path, data != NULL ? data : "[kiosk]\nlanguages=de;en;\n[accessibility]\nspeech=button\n",
                       -1, &error);
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
pulled_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  GPtrArray **out = user_data;

  *out = kiosk_info_pull_finish (result, NULL);
}

/* 2026-12-07 09:00 UTC, the fake portal's "today" */
#define INFO_T0 (G_GINT64_CONSTANT (1796634000) * G_USEC_PER_SEC)

/* The demo catalogue's info cards, their cache filled from the fake
 * portal (as test-info-page does), speech always on, a PDF printer. */
static void
fixture_set_up_info (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KioskConfig) config = NULL;
  g_autoptr(KioskFakePortal) portal = NULL;
  g_autoptr(KioskCatalog) local = NULL;
  g_autoptr(GBytes) bytes = kiosk_catalog_dup_demo_bytes ();
  g_autoptr(GString) json = g_string_new_len (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  g_autoptr(GBytes) local_bytes = NULL;
  g_autoptr(GPtrArray) results = NULL;
  KioskInfoPullOptions options = { 10, 1024 * 1024, NULL };
  g_autofree char *path = NULL;
  g_autofree char *pdf = NULL;
  g_autofree char *conf = NULL;
  GDate today;

  f->state_dir = g_dir_make_tmp ("stadtkiosk-speech-XXXXXX", &error);
  g_assert_no_error (error);
  f->log = g_build_filename (f->state_dir, "spoken.log", NULL);
  if (!start_server (f))
    return;
  pdf = g_build_filename (f->state_dir, "pdf", NULL);
  g_assert_cmpint (g_mkdir (pdf, 0700), ==, 0);
  path = g_build_filename (f->state_dir, "kiosk.conf", NULL);
  /* A long idle timeout: the stale check moves the clock by 15 minutes. */
  conf = g_strdup_printf ("[kiosk]\nlanguages=de;en;\n[session]\nidle-timeout=1800\n"
                          "[accessibility]\nspeech=always\n[printer]\nbackend=pdf:%s\n", pdf);
  g_file_set_contents (path, conf, -1, &error);
  g_assert_no_error (error);
  config = kiosk_config_new_from_file (path, &error);
  g_assert_no_error (error);
  kiosk_config_set_state_dir (config, f->state_dir);
  f->clock = kiosk_clock_new_fake (INFO_T0);
  f->context = kiosk_context_new (config, f->clock, &error);
  g_assert_no_error (error);

  g_date_clear (&today, 1);
  g_date_set_dmy (&today, 7, G_DATE_DECEMBER, 2026);
  portal = kiosk_fake_portal_new (0, &today, &error);
  g_assert_no_error (error);
  g_string_replace (json, "http://127.0.0.1:8472", kiosk_fake_portal_get_url (portal), 0);
  local_bytes = g_bytes_new (json->str, json->len);
  local = kiosk_catalog_new_from_bytes (local_bytes, "demo-local", &error);
  g_assert_no_error (error);
  kiosk_info_pull_async (kiosk_context_get_store (f->context), f->clock, kiosk_catalog_get_info_cards (local),
                         &options, NULL, pulled_cb, &results);
  while (results == NULL)
    g_main_context_iteration (NULL, TRUE);
  for (guint i = 0; i < results->len; i++)
    g_assert_true (((KioskInfoPullResult *) results->pdata[i])->ok);

  f->window = kiosk_window_new_for_context (f->context);
  gtk_window_set_default_size (GTK_WINDOW (f->window), 1280, 800);
  gtk_window_present (GTK_WINDOW (f->window));
  flush ();
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  if (f->window != NULL)
    {
      gtk_window_destroy (GTK_WINDOW (f->window));
      flush ();
    }
  g_clear_object (&f->context);
  g_clear_object (&f->clock);
  if (f->server != 0)
    {
      kill (f->server, SIGTERM);
      waitpid (f->server, NULL, 0);
      g_spawn_close_pid (f->server);
    }
  g_unsetenv ("SPEECHD_ADDRESS");
  kiosk_test_rm_rf (f->state_dir);
  g_free (f->state_dir);
  g_free (f->log);
}

static GStrv
read_log (Fixture *f)
{
  g_autofree char *text = NULL;

  if (!g_file_get_contents (f->log, &text, NULL, NULL))
    return g_new0 (char *, 1);
  g_strchomp (text);
  if (*text == '\0')
    return g_new0 (char *, 1);
  return g_strsplit (text, "\n", -1);
}

/* Waits until the server has spoken @n more messages, then checks they
 * are exactly @expected (LANGUAGE|TEXT, in order).  A NULL entry in
 * @expected matches any text. */
static void
assert_heard (Fixture           *f,
              const char * const *expected)
{
  guint n = g_strv_length ((GStrv) expected);
  g_auto(GStrv) lines = NULL;

  for (guint i = 0; i < 2000; i++)
    {
      g_clear_pointer (&lines, g_strfreev);
      flush ();
      lines = read_log (f);
      if (g_strv_length (lines) >= f->heard + n)
        break;
      g_usleep (5000);
    }
  for (guint i = 0; i < n; i++)
    {
      const char *line = f->heard + i < g_strv_length (lines) ? lines[f->heard + i] : "(nothing)";

      g_test_message ("heard: %s", line);
      if (!g_pattern_match_simple (expected[i], line))
        g_error ("message %u: heard \"%s\", expected \"%s\"", f->heard + i, line, expected[i]);
    }
  f->heard += n;
}

static void
activate (Fixture    *f,
          const char *action,
          GVariant   *parameter)
{
  g_assert_true (gtk_widget_activate_action_variant (GTK_WIDGET (f->window), action, parameter));
  flush ();
}

static GtkCheckButton *
find_option (GtkWidget  *widget,
             const char *value)
{
  if (GTK_IS_CHECK_BUTTON (widget) &&
      g_strcmp0 (g_object_get_data (G_OBJECT (widget), "kiosk-value"), value) == 0)
    return GTK_CHECK_BUTTON (widget);
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkCheckButton *found = find_option (child, value);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static void
test_spell (void)
{
  g_autofree char *a = kiosk_speech_spell ("HSK-K3FA-9Q2C");
  g_autofree char *b = kiosk_speech_spell ("ab");

  g_assert_cmpstr (a, ==, "H S K, K 3 F A, 9 Q 2 C");
  g_assert_cmpstr (b, ==, "a b");
  g_assert_cmpint (kiosk_speech_mode_from_string ("off"), ==, KIOSK_SPEECH_OFF);
  g_assert_cmpint (kiosk_speech_mode_from_string ("always"), ==, KIOSK_SPEECH_ALWAYS);
  g_assert_cmpint (kiosk_speech_mode_from_string ("button"), ==, KIOSK_SPEECH_BUTTON);
}

/* A control whose accessible label says more than its visible text is
 * spoken by the accessible label, set in a template or in code, as a
 * screen reader would; its accessible description follows.  The plain
 * button is the control: without a label set, the visible text. */
static void
test_accessible_label (void)
{
  g_autoptr(GtkBuilder) builder = gtk_builder_new ();
  g_autoptr(GError) error = NULL;
  GtkWidget *window = gtk_window_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *plain = gtk_button_new_with_label ("Back");
  GtkWidget *coded = gtk_button_new_with_label ("Back");
  GtkWidget *entry = gtk_entry_new ();
  GtkWidget *templated;
  g_autofree char *said_plain = NULL;
  g_autofree char *said_coded = NULL;
  g_autofree char *said_templated = NULL;
  g_autofree char *said_entry = NULL;

  g_assert_true (gtk_builder_add_from_string (builder,
    "<interface><object class=\"GtkButton\" id=\"b\"><property name=\"label\">Back</property>"
    "<accessibility><property name=\"label\">Back to the previous step</property></accessibility>"
    "</object></interface>", -1, &error));
  g_assert_no_error (error);
  templated = GTK_WIDGET (gtk_builder_get_object (builder, "b"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (coded), GTK_ACCESSIBLE_PROPERTY_LABEL, "Back to all services",
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, "Stand: 7 December", -1);
  gtk_accessible_update_property (GTK_ACCESSIBLE (entry), GTK_ACCESSIBLE_PROPERTY_LABEL, "Your street", -1);
  gtk_entry_set_placeholder_text (GTK_ENTRY (entry), "e.g. Almsstraße");
  gtk_box_append (GTK_BOX (box), plain);
  gtk_box_append (GTK_BOX (box), coded);
  gtk_box_append (GTK_BOX (box), templated);
  gtk_box_append (GTK_BOX (box), entry);
  gtk_window_set_child (GTK_WINDOW (window), box);

  said_plain = kiosk_speech_describe_widget (plain);
  said_coded = kiosk_speech_describe_widget (coded);
  said_templated = kiosk_speech_describe_widget (templated);
  said_entry = kiosk_speech_describe_widget (entry);
  g_test_message ("plain: %s; coded: %s; template: %s; entry: %s", said_plain, said_coded, said_templated, said_entry);
  g_assert_true (g_str_has_prefix (said_plain, "Back. "));
  g_assert_true (g_str_has_prefix (said_coded, "Back to all services. "));
  g_assert_true (g_str_has_suffix (said_coded, ". Stand: 7 December"));
  g_assert_true (g_str_has_prefix (said_templated, "Back to the previous step. "));
  g_assert_true (g_str_has_prefix (said_entry, "Your street. e.g. Almsstraße. "));
  gtk_window_destroy (GTK_WINDOW (window));
}

/* A citizen presses "Vorlesen" and is read the pages, the focused
 * fields, the errors and the result, in the session language. */
static void
test_walk (Fixture       *f,
           gconstpointer  data)
{
  KioskFormPage *form_page;
  KioskKeyboard *keyboard;

  if (f->window == NULL)
    {
      g_test_skip ("speech-dispatcher is not installed (./dev installs it)");
      return;
    }

  /* Negative control first: until "Vorlesen", nothing is said. */
  activate (f, "kiosk.start", NULL);
  activate (f, "kiosk.start-over", NULL);
  {
    g_auto(GStrv) lines = read_log (f);
    g_assert_cmpuint (g_strv_length (lines), ==, 0);
  }

  activate (f, "kiosk.read-aloud", NULL);
  {
    const char *expected[] = { "de|Willkommen am Stadtkiosk. Anliegen an die Stadt Hildesheim – ohne Termin. "
                               "Sie erhalten einen Beleg auf Papier. "
                               "Offline – Ihr Anliegen wird hier gespeichert und später gesendet", NULL };
    assert_heard (f, expected);
  }
  activate (f, "kiosk.start", NULL);
  {
    const char *expected[] = { "de|Was möchten Sie erledigen?", NULL };
    assert_heard (f, expected);
  }
  activate (f, "kiosk.open-service", g_variant_new_string ("report-problem"));
  {
    const char *expected[] = { "de|*", NULL };
    assert_heard (f, expected);
  }
  activate (f, "kiosk.begin-form", NULL);
  {
    const char *expected[] = { "de|Problem im öffentlichen Raum melden. Was ist los? Schritt 1 von 3",
                               "de|Art des Problems. Wilder Müll. nicht ausgewählt", NULL };
    assert_heard (f, expected);
  }
  form_page = KIOSK_FORM_PAGE (_kiosk_window_get_page (f->window));

  /* Typed on the on-screen keyboard: each key said. */
  gtk_widget_grab_focus (kiosk_form_page_get_input (form_page, "description"));
  flush ();
  {
    const char *expected[] = { "de|Beschreibung. leer. Was genau ist zu sehen? Seit wann?", NULL };
    assert_heard (f, expected);
  }
  keyboard = _kiosk_window_get_keyboard (f->window);
  g_assert_true (kiosk_keyboard_press (keyboard, "l"));
  g_assert_true (kiosk_keyboard_press (keyboard, "o"));
  g_assert_true (kiosk_keyboard_press (keyboard, "BACKSPACE"));
  {
    const char *expected[] = { "de|l", "de|o", "de|Letztes Zeichen löschen", NULL };
    assert_heard (f, expected);
  }

  /* In English now: the same page, in English. */
  activate (f, "kiosk.language", g_variant_new_string ("en"));
  {
    const char *expected[] = { "en|Report a problem in public space. What is wrong? Step 1 of 3",
                               "en|Kind of problem. Dumped rubbish. not selected", NULL };
    assert_heard (f, expected);
  }

  /* Next with nothing answered: the error is read with its field. */
  activate (f, "kiosk.next", NULL);
  {
    const char *expected[] = { "en|Kind of problem. Dumped rubbish. not selected. Choose an answer for “Kind of problem”.", NULL };
    assert_heard (f, expected);
  }
  form_page = KIOSK_FORM_PAGE (_kiosk_window_get_page (f->window));
  gtk_check_button_set_active (find_option (GTK_WIDGET (form_page), "pothole"), TRUE);
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (GTK_TEXT_VIEW (kiosk_form_page_get_input (form_page, "description"))),
                            "Deep pothole", -1);
  flush ();
  activate (f, "kiosk.next", NULL);
  {
    const char *expected[] = { "en|Report a problem in public space. Where? Step 2 of 3",
                               "en|Location. empty. Street and number, crossing or bus stop, "
                               "e.g. \"Almsstraße 15\" or \"Bahnhofsplatz stop\".", NULL };
    assert_heard (f, expected);
  }
  gtk_editable_set_text (GTK_EDITABLE (kiosk_form_page_get_input (form_page, "location")), "Almsstraße 15");
  activate (f, "kiosk.next", NULL);
  {
    const char *expected[] = { "en|Report a problem in public space. Feedback. Step 3 of 3",
                               "en|Would you like feedback by e-mail? (optional). Yes. not selected", NULL };
    assert_heard (f, expected);
  }
  activate (f, "kiosk.next", NULL);
  {
    const char *expected[] = { "en|Report a problem in public space. Please check your answers. "
                               "Tap “Change” to correct something. Nothing is sent before you confirm. "
                               "What is wrong? Kind of problem. Pothole or damaged pavement. Description. Deep pothole. "
                               "Where? Location. Almsstraße 15. Feedback. Would you like feedback by e-mail? No", NULL };
    assert_heard (f, expected);
  }
  activate (f, "kiosk.send", NULL);
  g_assert_cmpstr (kiosk_window_get_page_name (f->window), ==, "done");
  {
    g_autofree char *spelled = kiosk_speech_spell (kiosk_request_get_short_code (_kiosk_window_get_request (f->window)));
    g_autofree char *pattern = g_strdup_printf ("en|Thank you! Your request is saved. Your code. %s. *", spelled);
    const char *expected[] = { pattern, NULL };
    assert_heard (f, expected);
  }

  /* Left alone: the warning is spoken, then the idle wipe silences it;
   * the next person starts without speech. */
  kiosk_clock_advance (f->clock, 91 * G_USEC_PER_SEC);
  flush ();
  {
    const char *expected[] = { "en|Are you still there? Everything you entered will be deleted in * seconds.",
                               "en|I need more time. button", NULL };
    assert_heard (f, expected);
  }
  kiosk_clock_advance (f->clock, 31 * G_USEC_PER_SEC);
  flush ();
  g_assert_cmpstr (kiosk_window_get_page_name (f->window), ==, "welcome");
  activate (f, "kiosk.start", NULL);
  /* Whatever was queued has reached the server (or was dropped). */
  g_assert_true (_kiosk_speech_flush (f->window->speech, 10 * G_USEC_PER_SEC));
  {
    g_auto(GStrv) lines = read_log (f);
    g_assert_cmpuint (g_strv_length (lines), ==, f->heard);
  }
}

static GtkWidget *
find_named (GtkWidget  *widget,
            const char *name)
{
  if (gtk_widget_get_mapped (widget) && GTK_IS_BUTTON (widget) && g_strcmp0 (gtk_widget_get_name (widget), name) == 0)
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_named (child, name);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* Issue #19: the info page speaks like the rest: its cards with their
 * "Stand", a card's items, a value past its max_age as not current, the
 * waste dates of a street, and what the printer did. */
static void
test_info (Fixture       *f,
           gconstpointer  data)
{
  g_autofree char *stand = NULL;
  g_autofree char *card = NULL;
  g_autofree char *parken = NULL;
  g_autofree char *dates = NULL;
  GtkWidget *page;
  GtkWidget *entry;

  if (f->window == NULL)
    {
      g_test_skip ("speech-dispatcher is not installed (./dev installs it)");
      return;
    }
  stand = kiosk_info_format_stand (INFO_T0);
  {
    const char *expected[] = { "de|Willkommen am Stadtkiosk.*", "de|*", NULL };
    assert_heard (f, expected);
  }
  activate (f, "kiosk.info", NULL);
  page = _kiosk_window_get_page (f->window);
  g_assert_true (KIOSK_IS_INFO_PAGE (page));
  {
    const char *expected[] = { "de|Informationen. Aus den offenen Daten der Stadt.*", NULL };
    assert_heard (f, expected);
  }

  /* A card, focused: its title, then its text and "Stand". */
  gtk_widget_grab_focus (find_named (page, "abfall"));
  flush ();
  card = g_strdup_printf ("de|Wann wird bei mir abgeholt? Schaltfläche. *%s*", stand);
  {
    const char *expected[] = { card, NULL };
    assert_heard (f, expected);
  }

  /* A list card: read as a page, with its "Stand" and items. */
  g_signal_emit_by_name (find_named (page, "parken"), "clicked");
  flush ();
  parken = g_strdup_printf ("de|*%s*Parkhaus Rathaus: 9*", stand);
  {
    const char *expected[] = { parken, "de|Alle Informationen. Schaltfläche", NULL };
    assert_heard (f, expected);
  }
  /* Past its max_age (900 s): said to be not current. */
  kiosk_clock_advance (f->clock, 901 * G_USEC_PER_SEC);
  g_assert_true (kiosk_info_page_open_card (KIOSK_INFO_PAGE (page), "parken"));
  flush ();
  {
    const char *expected[] = { "de|*nicht aktuell*Parkhaus Rathaus: 9*", NULL };
    assert_heard (f, expected);
  }

  /* The waste card: the street is asked for; a street it does not know is
   * said once; the dates of one it knows are read. */
  g_assert_true (gtk_widget_activate_action (page, "info.back", NULL));
  flush ();
  {
    /* The focus lands on the first card. */
    const char *expected[] = { "de|Informationen.*", card, NULL };
    assert_heard (f, expected);
  }
  g_signal_emit_by_name (find_named (page, "abfall"), "clicked");
  flush ();
  {
    const char *expected[] = { "de|Wann wird bei mir abgeholt? Ihre Straße. Tippen Sie die ersten Buchstaben Ihrer Straße.*",
                               "de|Ihre Straße. z. B. Almsstraße. leer", NULL };
    assert_heard (f, expected);
  }
  entry = kiosk_info_page_get_street_entry (KIOSK_INFO_PAGE (page));
  gtk_editable_set_text (GTK_EDITABLE (entry), "Goschenstr");
  flush ();
  gtk_editable_set_text (GTK_EDITABLE (entry), "Goschenstra");
  flush ();
  {
    const char *expected[] = { "de|Diese Straße steht nicht im Abfuhrkalender. Bitte prüfen Sie die Schreibweise.", NULL };
    assert_heard (f, expected);
  }
  gtk_editable_set_text (GTK_EDITABLE (entry), "alms");
  flush ();
  g_signal_emit_by_name (find_named (page, "Almsstraße"), "clicked");
  flush ();
  dates = g_strdup_printf ("de|Wann wird bei mir abgeholt? Ihre Straße. Nächste Abfuhrtermine: Almsstraße. "
                           "Bioabfall — Mittwoch, 09.12.2026. Restmüll — Montag, 14.12.2026. "
                           "Gelber Sack — Freitag, 18.12.2026. Altpapier — Sonntag, 03.01.2027. %s", stand);
  {
    const char *expected[] = { dates, "de|Termine drucken. Schaltfläche", NULL };
    assert_heard (f, expected);
  }
  g_assert_true (gtk_widget_activate_action (page, "info.print", NULL));
  {
    const char *expected[] = { "de|Bitte nehmen Sie den Zettel aus dem Drucker.", NULL };
    assert_heard (f, expected);
  }
}

/* ---- the same request by real key events (xdotool under Xvfb) ---- */

#define REAL_KEYS_TITLE "stadtkiosk-speech-real-keys"

static gboolean
run_xdotool (const char * const *args)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  int status = 0;

  g_ptr_array_add (argv, (gpointer) "xdotool");
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);
  g_spawn_sync (NULL, (char **) argv->pdata, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDERR_TO_DEV_NULL,
                NULL, NULL, NULL, NULL, &status, &error);
  g_assert_no_error (error);
  return g_spawn_check_wait_status (status, NULL);
}

typedef struct
{
  guint released;   /* key releases the window saw */
  guint expected;
} KeyCount;

static gboolean
key_seen_cb (GtkEventControllerLegacy *legacy,
             GdkEvent                 *event,
             gpointer                  user_data)
{
  KeyCount *count = user_data;

  if (gdk_event_get_event_type (event) == GDK_KEY_RELEASE)
    count->released++;
  return GDK_EVENT_PROPAGATE;
}

static gboolean
keys_arrived (gpointer data)
{
  KeyCount *count = data;

  return count->released >= count->expected;
}

/* Presses @keys (xdotool key names, e.g. "Tab", "Return") on the X server:
 * they reach GTK as a person's keypad would send them; waits until the
 * window has seen every release. */
static void
send_keys (KeyCount           *count,
           const char * const *keys)
{
  g_autoptr(GPtrArray) args = g_ptr_array_new ();

  g_ptr_array_add (args, (gpointer) "key");
  g_ptr_array_add (args, (gpointer) "--delay");
  g_ptr_array_add (args, (gpointer) "30");
  for (guint i = 0; keys[i] != NULL; i++)
    {
      g_ptr_array_add (args, (gpointer) keys[i]);
      count->expected++;
    }
  g_ptr_array_add (args, NULL);
  g_assert_true (run_xdotool ((const char * const *) args->pdata));
  g_assert_true (kiosk_gui_test_wait_for (keys_arrived, count));
}

/* Types @text with real key events, one release per character. */
static void
type_text (KeyCount   *count,
           const char *text)
{
  g_assert_true (run_xdotool ((const char *[]) { "type", "--delay", "30", text, NULL }));
  count->expected += g_utf8_strlen (text, -1);
  g_assert_true (kiosk_gui_test_wait_for (keys_arrived, count));
}

/* Real Tab presses until the focused control is said to be @pattern;
 * every control on the way is heard, exactly as described. */
static void
real_tab_to (Fixture    *f,
             KeyCount   *count,
             const char *pattern)
{
  GtkWidget *last = gtk_window_get_focus (GTK_WINDOW (f->window));

  for (guint i = 0; i < 80; i++)
    {
      GtkWidget *focus;
      g_autofree char *said = NULL;

      send_keys (count, (const char *[]) { "Tab", NULL });
      flush ();
      focus = gtk_window_get_focus (GTK_WINDOW (f->window));
      said = focus != NULL ? kiosk_speech_describe_widget (focus) : NULL;
      if (said == NULL || *said == '\0' || focus == last)
        continue;
      last = focus;
      {
        g_autofree char *line = g_strconcat (kiosk_window_get_language (f->window), "|", said, NULL);
        const char *expected[] = { line, NULL };

        assert_heard (f, expected);
      }
      if (g_pattern_match_simple (pattern, said))
        return;
    }
  g_error ("no control said \"%s\" within 80 real tabs", pattern);
}

static gboolean
on_done_page (gpointer data)
{
  return g_str_equal (kiosk_window_get_page_name (data), "done");
}

/* A whole request by the X server's key events: Tab, Return, Space,
 * Escape and typing; GTK's own key handling moves the focus and
 * activates, and the speech log is the only guide. */
static void
test_real_keys (Fixture       *f,
                gconstpointer  data)
{
  KeyCount count = { 0, 0 };
  g_autofree char *xdotool = g_find_program_in_path ("xdotool");
  gboolean x11 = FALSE;
  GtkEventController *legacy;
  GtkWidget *focus;
  g_autofree char *spelled = NULL;
  g_autofree char *pattern = NULL;

  if (f->window == NULL)
    {
      g_test_skip ("speech-dispatcher is not installed (./dev installs it)");
      return;
    }
#ifdef GDK_WINDOWING_X11
  x11 = GDK_IS_X11_DISPLAY (gdk_display_get_default ());
#endif
  if (xdotool == NULL || !x11)
    {
      g_test_skip ("needs xdotool and an X display (xvfb-run)");
      return;
    }
  legacy = gtk_event_controller_legacy_new ();
  gtk_event_controller_set_propagation_phase (legacy, GTK_PHASE_CAPTURE);
  g_signal_connect (legacy, "event", G_CALLBACK (key_seen_cb), &count);
  gtk_widget_add_controller (GTK_WIDGET (f->window), legacy);
  gtk_window_set_title (GTK_WINDOW (f->window), REAL_KEYS_TITLE);
  flush ();

  /* Negative control: with another window holding the X focus, the same
   * key reaches that one, and the kiosk's count does not move. */
  {
    GtkWidget *decoy = gtk_window_new ();
    GtkEventController *seen = gtk_event_controller_legacy_new ();
    KeyCount decoy_count = { 0, 0 };

    gtk_window_set_title (GTK_WINDOW (decoy), REAL_KEYS_TITLE "-decoy");
    g_signal_connect (seen, "event", G_CALLBACK (key_seen_cb), &decoy_count);
    gtk_widget_add_controller (decoy, seen);
    gtk_window_present (GTK_WINDOW (decoy));
    flush ();
    g_assert_true (run_xdotool ((const char *[]) { "search", "--sync", "--name", REAL_KEYS_TITLE "-decoy",
                                                   "windowfocus", "--sync", "%1", NULL }));
    send_keys (&decoy_count, (const char *[]) { "Tab", NULL });
    g_assert_cmpuint (count.released, ==, 0);
    gtk_window_destroy (GTK_WINDOW (decoy));
    flush ();
  }

  /* No window manager under Xvfb: give the window the X input focus. */
  g_assert_true (run_xdotool ((const char *[]) { "search", "--sync", "--name", REAL_KEYS_TITLE,
                                                 "windowfocus", "--sync", "%1", NULL }));
  {
    const char *expected[] = { "de|Willkommen am Stadtkiosk.*", "de|Große Schrift. aus", NULL };
    assert_heard (f, expected);
  }
  real_tab_to (f, &count, "Tippen Sie hier*");
  send_keys (&count, (const char *[]) { "Return", NULL });
  {
    const char *expected[] = { "de|Was möchten Sie erledigen?", NULL };
    assert_heard (f, expected);
  }
  real_tab_to (f, &count, "Problem im öffentlichen Raum melden*");
  send_keys (&count, (const char *[]) { "Return", NULL });
  {
    const char *expected[] = { "de|Problem im öffentlichen Raum melden. *", NULL };
    assert_heard (f, expected);
  }
  real_tab_to (f, &count, "Los geht*");
  send_keys (&count, (const char *[]) { "Return", NULL });
  {
    const char *expected[] = { "de|*Schritt 1 von 3", "de|Art des Problems. Wilder Müll. nicht ausgewählt", NULL };
    assert_heard (f, expected);
  }
  real_tab_to (f, &count, "Art des Problems. Schlagloch*");
  send_keys (&count, (const char *[]) { "space", NULL });
  {
    const char *expected[] = { "de|Art des Problems. Schlagloch oder Gehwegschaden. ausgewählt", NULL };
    assert_heard (f, expected);
  }
  real_tab_to (f, &count, "Beschreibung. *");
  type_text (&count, "Tiefes Loch");
  focus = gtk_window_get_focus (GTK_WINDOW (f->window));
  {
    GtkTextBuffer *buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (focus));
    GtkTextIter start, end;
    g_autofree char *typed = NULL;

    gtk_text_buffer_get_bounds (buffer, &start, &end);
    typed = gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
    g_assert_cmpstr (typed, ==, "Tiefes Loch");
  }
  real_tab_to (f, &count, "Weiter*");
  send_keys (&count, (const char *[]) { "Return", NULL });
  {
    const char *expected[] = { "de|*Schritt 2 von 3", "de|Ort. leer.*", NULL };
    assert_heard (f, expected);
  }
  /* Escape asks first; a second one goes back, the answers kept. */
  send_keys (&count, (const char *[]) { "Escape", NULL });
  {
    const char *expected[] = { "de|Drücken Sie noch einmal Escape, um zurückzugehen. Ihre Antworten bleiben erhalten.",
                               NULL };
    assert_heard (f, expected);
  }
  send_keys (&count, (const char *[]) { "Escape", NULL });
  {
    const char *expected[] = { "de|*Schritt 1 von 3", "de|Art des Problems. *", NULL };
    assert_heard (f, expected);
  }
  real_tab_to (f, &count, "Weiter*");
  send_keys (&count, (const char *[]) { "Return", NULL });
  {
    const char *expected[] = { "de|*Schritt 2 von 3", "de|Ort. leer.*", NULL };
    assert_heard (f, expected);
  }
  /* The focus is in "Ort": typed there, Return goes to the next step. */
  type_text (&count, "Marktplatz 1");
  send_keys (&count, (const char *[]) { "Return", NULL });
  {
    const char *expected[] = { "de|*Schritt 3 von 3", "de|*", NULL };
    assert_heard (f, expected);
  }
  real_tab_to (f, &count, "Meine Angaben prüfen*");
  send_keys (&count, (const char *[]) { "Return", NULL });
  {
    const char *expected[] = { "de|*Tiefes Loch*Marktplatz 1*", NULL };
    assert_heard (f, expected);
  }
  real_tab_to (f, &count, "Anliegen absenden*");
  send_keys (&count, (const char *[]) { "Return", NULL });
  g_assert_true (kiosk_gui_test_wait_for (on_done_page, f->window));
  spelled = kiosk_speech_spell (kiosk_request_get_short_code (_kiosk_window_get_request (f->window)));
  pattern = g_strdup_printf ("de|*%s*", spelled);
  {
    const char *expected[] = { pattern, NULL };
    assert_heard (f, expected);
  }
  g_test_message ("%u key releases from the X server", count.released);
}

/* Tab, as the keypad's arrow/Tab key does, until the focused control is
 * said to be @pattern; every control passed on the way must be heard,
 * exactly as described.  A person who cannot see finds a control so. */
static void
tab_to (Fixture    *f,
        const char *pattern)
{
  GtkWidget *last = gtk_window_get_focus (GTK_WINDOW (f->window));

  for (guint i = 0; i < 80; i++)
    {
      GtkWidget *focus;
      g_autofree char *said = NULL;

      /* What GtkWindow's Tab binding does (gtk_window_move_focus). */
      if (!gtk_widget_child_focus (GTK_WIDGET (f->window), GTK_DIR_TAB_FORWARD))
        {
          gtk_window_set_focus (GTK_WINDOW (f->window), NULL);
          gtk_widget_child_focus (GTK_WIDGET (f->window), GTK_DIR_TAB_FORWARD);
        }
      flush ();
      focus = gtk_window_get_focus (GTK_WINDOW (f->window));
      said = focus != NULL ? kiosk_speech_describe_widget (focus) : NULL;
      if (said == NULL || *said == '\0' || focus == last)
        continue;
      last = focus;
      {
        g_autofree char *line = g_strconcat (kiosk_window_get_language (f->window), "|", said, NULL);
        const char *expected[] = { line, NULL };

        /* g_pattern_match_simple: a literal '*' or '?' in @said would be a
         * wildcard; harmless here, the texts are checked elsewhere. */
        assert_heard (f, expected);
      }
      if (g_pattern_match_simple (pattern, said))
        return;
    }
  g_error ("no control said \"%s\" within 80 tabs", pattern);
}

/* Enter (or the keypad's select key) on the focused control. */
static void
press_enter (Fixture *f)
{
  GtkWidget *focus = gtk_window_get_focus (GTK_WINDOW (f->window));

  g_assert_nonnull (focus);
  g_assert_true (gtk_widget_activate (focus));
  flush ();
}

/* A whole request by keys and speech alone: Tab to find, Enter to choose,
 * typing into fields; what is said is the only guide. */
static void
test_keys_only (Fixture       *f,
                gconstpointer  data)
{
  GtkWidget *focus;
  g_autofree char *spelled = NULL;
  g_autofree char *pattern = NULL;

  if (f->window == NULL)
    {
      g_test_skip ("speech-dispatcher is not installed (./dev installs it)");
      return;
    }
  {
    /* The page, then the control GTK focused first. */
    const char *expected[] = { "de|Willkommen am Stadtkiosk.*", "de|Große Schrift. aus", NULL };
    assert_heard (f, expected);
  }
  tab_to (f, "Tippen Sie hier*");
  press_enter (f);
  {
    const char *expected[] = { "de|Was möchten Sie erledigen?", NULL };
    assert_heard (f, expected);
  }
  tab_to (f, "Problem im öffentlichen Raum melden*");
  press_enter (f);
  {
    const char *expected[] = { "de|Problem im öffentlichen Raum melden. *", NULL };
    assert_heard (f, expected);
  }
  tab_to (f, "Los geht*");
  press_enter (f);
  {
    const char *expected[] = { "de|*Schritt 1 von 3", "de|Art des Problems. Wilder Müll. nicht ausgewählt", NULL };
    assert_heard (f, expected);
  }
  tab_to (f, "Art des Problems. Schlagloch*");
  press_enter (f);
  {
    const char *expected[] = { "de|Art des Problems. Schlagloch oder Gehwegschaden. ausgewählt", NULL };
    assert_heard (f, expected);
  }
  tab_to (f, "Beschreibung. *");
  focus = gtk_window_get_focus (GTK_WINDOW (f->window));
  gtk_text_buffer_insert_at_cursor (gtk_text_view_get_buffer (GTK_TEXT_VIEW (focus)), "Tiefes Loch", -1);
  tab_to (f, "Weiter*");
  press_enter (f);
  {
    const char *expected[] = { "de|*Schritt 2 von 3", "de|Ort. leer.*", NULL };
    assert_heard (f, expected);
  }
  /* Escape asks first; a second Escape goes back, the answers kept. */
  activate (f, "kiosk.escape", NULL);
  {
    const char *expected[] = { "de|Drücken Sie noch einmal Escape, um zurückzugehen. Ihre Antworten bleiben erhalten.",
                               NULL };
    assert_heard (f, expected);
  }
  g_assert_cmpuint (kiosk_form_page_get_step (KIOSK_FORM_PAGE (_kiosk_window_get_page (f->window))), ==, 1);
  activate (f, "kiosk.escape", NULL);
  g_assert_cmpuint (kiosk_form_page_get_step (KIOSK_FORM_PAGE (_kiosk_window_get_page (f->window))), ==, 0);
  {
    const char *expected[] = { "de|*Schritt 1 von 3", "de|Art des Problems. *", NULL };
    assert_heard (f, expected);
  }
  tab_to (f, "Weiter*");
  press_enter (f);
  {
    const char *expected[] = { "de|*Schritt 2 von 3", "de|Ort. leer.*", NULL };
    assert_heard (f, expected);
  }
  focus = gtk_window_get_focus (GTK_WINDOW (f->window));
  {
    int pos = 0;

    gtk_editable_insert_text (GTK_EDITABLE (focus), "Almsstraße 15", -1, &pos);
  }
  tab_to (f, "Weiter*");
  press_enter (f);
  {
    const char *expected[] = { "de|*Schritt 3 von 3", "de|*", NULL };
    assert_heard (f, expected);
  }
  tab_to (f, "Meine Angaben prüfen*");
  press_enter (f);
  {
    const char *expected[] = { "de|*Almsstraße 15*", NULL };
    assert_heard (f, expected);
  }
  tab_to (f, "Anliegen absenden*");
  press_enter (f);
  /* Enter on a button clicks it after its press animation (GtkButton). */
  for (guint i = 0; i < 1000 && !g_str_equal (kiosk_window_get_page_name (f->window), "done"); i++)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpstr (kiosk_window_get_page_name (f->window), ==, "done");
  spelled = kiosk_speech_spell (kiosk_request_get_short_code (_kiosk_window_get_request (f->window)));
  pattern = g_strdup_printf ("de|*%s*", spelled);
  {
    const char *expected[] = { pattern, NULL };
    assert_heard (f, expected);
  }
}

/* A speech-dispatcher that accepts the connection and reads what it is
 * sent but never answers (hung, overloaded): a thread of its own, so it
 * keeps reading while the main loop is tested. */
typedef struct
{
  GSocket      *listener;
  GCancellable *cancellable;
  GThread      *thread;
  char         *dir;
  gsize         received;    /* atomic-ish: bytes read, for the record */
} MuteServer;

static gpointer
mute_server_main (gpointer data)
{
  MuteServer *m = data;

  for (;;)
    {
      g_autoptr(GSocket) client = g_socket_accept (m->listener, m->cancellable, NULL);
      char buffer[4096];
      gssize n;

      if (client == NULL)
        break;
      while ((n = g_socket_receive (client, buffer, sizeof buffer, m->cancellable, NULL)) > 0)
        m->received += n;
      if (g_cancellable_is_cancelled (m->cancellable))
        break;
    }
  return NULL;
}

static MuteServer *
mute_server_start (void)
{
  g_autoptr(GError) error = NULL;
  MuteServer *m = g_new0 (MuteServer, 1);
  g_autofree char *path = NULL;
  g_autofree char *address = NULL;
  g_autoptr(GSocketAddress) socket_address = NULL;

  m->dir = g_dir_make_tmp ("stadtkiosk-mute-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (m->dir, "speechd.sock", NULL);
  m->listener = g_socket_new (G_SOCKET_FAMILY_UNIX, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_DEFAULT, &error);
  g_assert_no_error (error);
  socket_address = g_unix_socket_address_new (path);
  g_assert_true (g_socket_bind (m->listener, socket_address, FALSE, &error));
  g_assert_no_error (error);
  g_assert_true (g_socket_listen (m->listener, &error));
  g_assert_no_error (error);
  m->cancellable = g_cancellable_new ();
  m->thread = g_thread_new ("mute-speechd", mute_server_main, m);
  address = g_strconcat ("unix_socket:", path, NULL);
  g_setenv ("SPEECHD_ADDRESS", address, TRUE);
  return m;
}

static void
mute_server_stop (MuteServer *m)
{
  g_cancellable_cancel (m->cancellable);
  g_thread_join (m->thread);
  g_socket_close (m->listener, NULL);
  g_object_unref (m->listener);
  g_object_unref (m->cancellable);
  g_unsetenv ("SPEECHD_ADDRESS");
  kiosk_test_rm_rf (m->dir);
  g_free (m->dir);
  g_free (m);
}

static gboolean
tick_cb (gpointer user_data)
{
  gint64 *fired_at = user_data;

  *fired_at = g_get_monotonic_time ();
  return G_SOURCE_REMOVE;
}

/* What a citizen does with speech on, then the idle wipe; every call
 * must come back at once and a 50 ms timeout must fire about on time.
 * Bounds are generous (a loaded machine): 1 s for the calls, 2 s for
 * the timeout. */
static void
drive_and_check_responsive (KioskSpeech *speech)
{
  gint64 start, took, fired_at = 0;
  guint iterations = 0;

  start = g_get_monotonic_time ();
  kiosk_speech_set_language (speech, "de");
  for (guint i = 0; i < 5; i++)
    {
      g_autofree char *text = g_strdup_printf ("Satz %u", i);

      kiosk_speech_say (speech, text);
    }
  kiosk_speech_adjust (speech, 10, 10);
  kiosk_speech_reset (speech);    /* what the idle wipe does */
  kiosk_speech_say (speech, "Willkommen");
  kiosk_speech_stop (speech);
  took = g_get_monotonic_time () - start;
  g_test_message ("speech calls took %" G_GINT64_FORMAT " us", took);
  if (took > G_USEC_PER_SEC)
    g_error ("main loop blocked: the speech calls took %" G_GINT64_FORMAT " us", took);

  start = g_get_monotonic_time ();
  g_timeout_add (50, tick_cb, &fired_at);
  while (fired_at == 0 && iterations++ < 200)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpint (fired_at, !=, 0);
  g_test_message ("50 ms timeout fired after %" G_GINT64_FORMAT " us, %u iterations",
                  fired_at - start, iterations);
  g_assert_cmpint (fired_at - start, <, 2 * G_USEC_PER_SEC);
}

static void
test_mute_server (void)
{
  MuteServer *m = mute_server_start ();
  KioskSpeech *speech = kiosk_speech_new (KIOSK_SPEECH_ALWAYS);
  gint64 start;

  drive_and_check_responsive (speech);
  /* The worker is stuck in the server's (missing) answer to its first
   * command, the connection: that has the longer limit (an auto-started
   * server loads its modules first), so a short per-call limit alone does
   * not switch speech off ... */
  _kiosk_speech_set_stall_limit (speech, 100 * G_TIME_SPAN_MILLISECOND);
  g_usleep (200 * G_TIME_SPAN_MILLISECOND);
  g_assert_true (_kiosk_speech_get_available (speech));
  /* ... but past the connection's limit speech is off, and calls stay
   * prompt. */
  _kiosk_speech_set_connect_limit (speech, 100 * G_TIME_SPAN_MILLISECOND);
  g_assert_false (_kiosk_speech_get_available (speech));
  drive_and_check_responsive (speech);
  /* Dispose does not wait for the stuck worker. */
  start = g_get_monotonic_time ();
  g_object_unref (speech);
  g_assert_cmpint (g_get_monotonic_time () - start, <, G_USEC_PER_SEC);
  mute_server_stop (m);
}

/* Negative control: with say made synchronous again (as the calls were
 * on the main loop), the same check sees the block. */
static void
test_mute_server_control (void)
{
  if (g_test_subprocess ())
    {
      MuteServer *m = mute_server_start ();
      KioskSpeech *speech = kiosk_speech_new (KIOSK_SPEECH_ALWAYS);

      _kiosk_speech_set_synchronous (speech, TRUE);
      drive_and_check_responsive (speech);
      g_object_unref (speech);
      mute_server_stop (m);
      return;
    }
  g_test_trap_subprocess (NULL, 30 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_failed ();
  g_test_trap_assert_stderr ("*main loop blocked*");
}

static void
log_cb (const char     *domain,
        GLogLevelFlags  level,
        const char     *message,
        gpointer        user_data)
{
  g_ptr_array_add (user_data, g_strdup (message));
}

/* Speech switched off by a hung server comes back at the start of a
 * later session, once the pause between tries is over (fake clock), and
 * the log says each change once.  @advance: let the pause pass (FALSE is
 * the negative control: nothing may be heard then). */
static void
recover (gboolean advance)
{
  Fixture f = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) logged = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *server = g_find_program_in_path ("speech-dispatcher");
  MuteServer *m;
  KioskClock *clock;
  KioskSpeech *speech;
  guint handler;

  if (server == NULL)
    {
      g_test_skip ("speech-dispatcher is not installed (./dev installs it)");
      return;
    }
  f.state_dir = g_dir_make_tmp ("stadtkiosk-speech-XXXXXX", &error);
  g_assert_no_error (error);
  f.log = g_build_filename (f.state_dir, "spoken.log", NULL);
  handler = g_log_set_handler ("kiosk-speech", G_LOG_LEVEL_MESSAGE, log_cb, logged);

  m = mute_server_start ();
  clock = kiosk_clock_new_fake (G_GINT64_CONSTANT (1790000000) * G_USEC_PER_SEC);
  speech = kiosk_speech_new (KIOSK_SPEECH_ALWAYS);
  kiosk_speech_set_clock (speech, clock);
  _kiosk_speech_set_stall_limit (speech, 100 * G_TIME_SPAN_MILLISECOND);
  _kiosk_speech_set_connect_limit (speech, 100 * G_TIME_SPAN_MILLISECOND);
  kiosk_speech_set_language (speech, "de");
  kiosk_speech_say (speech, "Hallo");
  g_usleep (200 * G_TIME_SPAN_MILLISECOND);
  g_assert_false (_kiosk_speech_get_available (speech));
  g_assert_false (_kiosk_speech_get_available (speech));
  kiosk_speech_say (speech, "Noch einmal");
  g_assert_cmpuint (logged->len, ==, 1);
  g_assert_true (g_pattern_match_simple ("Speech output is not available: speech-dispatcher has not answered *",
                                         g_ptr_array_index (logged, 0)));

  /* A working server is there now; the next session starts within the
   * pause (30 s after the failure): speech stays off, nothing logged. */
  g_assert_true (start_server (&f));
  kiosk_clock_advance (clock, 29 * G_USEC_PER_SEC);
  kiosk_speech_reset (speech);
  kiosk_speech_say (speech, "Zu früh");
  g_assert_false (_kiosk_speech_get_available (speech));
  g_assert_cmpuint (logged->len, ==, 1);

  /* The session after the pause: connected again, heard, logged once. */
  if (advance)
    kiosk_clock_advance (clock, 2 * G_USEC_PER_SEC);
  kiosk_speech_reset (speech);
  kiosk_speech_say (speech, "Wieder da");
  {
    const char *expected[] = { "de|Wieder da", NULL };

    assert_heard (&f, expected);
  }
  g_assert_true (_kiosk_speech_get_available (speech));
  g_assert_cmpuint (logged->len, ==, 2);
  g_assert_cmpstr (g_ptr_array_index (logged, 1), ==, "Speech output is available again");
  {
    g_auto(GStrv) lines = read_log (&f);

    /* Nothing said while it was off comes late. */
    g_assert_cmpuint (g_strv_length (lines), ==, 1);
  }

  g_log_remove_handler ("kiosk-speech", handler);
  g_object_unref (speech);
  g_object_unref (clock);
  mute_server_stop (m);
  fixture_tear_down (&f, NULL);
}

static void
test_recovery (void)
{
  recover (TRUE);
}

/* Negative control: without the pause over, the check hears nothing. */
static void
test_recovery_control (void)
{
  g_autofree char *server = g_find_program_in_path ("speech-dispatcher");

  if (server == NULL)
    {
      g_test_skip ("speech-dispatcher is not installed (./dev installs it)");
      return;
    }
  if (g_test_subprocess ())
    {
      recover (FALSE);
      return;
    }
  g_test_trap_subprocess (NULL, 60 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_failed ();
  g_test_trap_assert_stderr ("*heard \"(nothing)\", expected \"de|Wieder da\"*");
}

int
main (int    argc,
      char **argv)
{
  kiosk_i18n_init (g_getenv ("STADTKIOSK_LOCALEDIR"));
  gtk_test_init (&argc, &argv, NULL);
  /* No blinking cursor: see kiosk_gui_test_init_display (). */
  g_object_set (gtk_settings_get_default (), "gtk-cursor-blink", FALSE, NULL);
  adw_init ();
  /* Pages switch at once: during a transition the old page still takes
   * the focus, which no keypad user would meet. */
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);

  g_test_add_func ("/kiosk/speech/spell", test_spell);
  g_test_add_func ("/kiosk/speech/accessible-label", test_accessible_label);
  g_test_add_func ("/kiosk/speech/mute-server", test_mute_server);
  g_test_add_func ("/kiosk/speech/mute-server-control", test_mute_server_control);
  g_test_add_func ("/kiosk/speech/recovery", test_recovery);
  g_test_add_func ("/kiosk/speech/recovery-control", test_recovery_control);
  g_test_add ("/kiosk/speech/walk", Fixture, NULL, fixture_set_up, test_walk, fixture_tear_down);
  g_test_add ("/kiosk/speech/info", Fixture, NULL, fixture_set_up_info, test_info, fixture_tear_down);
  g_test_add ("/kiosk/speech/real-keys", Fixture, "[kiosk]\nlanguages=de;en;\n[accessibility]\nspeech=always\n",
              fixture_set_up, test_real_keys, fixture_tear_down);
  g_test_add ("/kiosk/speech/keys-only", Fixture, "[kiosk]\nlanguages=de;en;\n[accessibility]\nspeech=always\n",
              fixture_set_up, test_keys_only, fixture_tear_down);

  return g_test_run ();
}

/* test-language.c
 *
 * SPDX-FileCopyrightText: 2026 Stadtkiosk contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
#include <libintl.h>
#include <locale.h>

#include "stadtkiosk-core.h"

/* The one language table. */
static void
test_table (void)
{
  const char * const *codes = kiosk_language_get_supported ();

  g_assert_true (g_strv_contains (codes, "de"));
  g_assert_true (g_strv_contains (codes, "ls"));
  g_assert_cmpuint (g_strv_length ((GStrv) codes), ==, 8);
  for (guint i = 0; codes[i] != NULL; i++)
    {
      g_assert_true (kiosk_language_is_supported (codes[i]));
      g_assert_nonnull (kiosk_language_get_locale (codes[i]));
      g_assert_nonnull (kiosk_language_get_speech_language (codes[i]));
      g_assert_cmpstr (kiosk_language_get_native_name (codes[i]), !=, codes[i]);
      g_assert_cmpint (kiosk_language_is_rtl (codes[i]), ==, g_str_equal (codes[i], "ar"));
    }
  g_assert_cmpstr (kiosk_language_get_native_name ("ls"), ==, "Leichte Sprache");
  g_assert_cmpstr (kiosk_language_get_native_name ("tr"), ==, "Türkçe");
  g_assert_cmpstr (kiosk_language_get_native_name ("xx"), ==, "xx");
  /* Leichte Sprache: German locale and voice, its own catalogue first. */
  g_assert_cmpstr (kiosk_language_get_locale ("ls"), ==, "de_DE.UTF-8");
  g_assert_cmpstr (kiosk_language_get_gettext_languages ("ls"), ==, "ls:de");
  g_assert_cmpstr (kiosk_language_get_speech_language ("ls"), ==, "de");

  g_assert_cmpstr (kiosk_language_from_locale ("de_DE.UTF-8"), ==, "de");
  g_assert_cmpstr (kiosk_language_from_locale ("pl-PL"), ==, "pl");
  g_assert_cmpstr (kiosk_language_from_locale ("ls"), ==, "ls");
  g_assert_null (kiosk_language_from_locale ("fr"));
  g_assert_null (kiosk_language_from_locale ("d"));
  g_assert_null (kiosk_language_from_locale (NULL));
  g_assert_false (kiosk_language_is_supported ("DE"));
}

/* Numbers as people of the language write them, whatever the locale. */
static void
test_numbers (void)
{
  const struct { const char *lang; double value; const char *text; } cases[] = {
    { "de", 2.5, "2,5" }, { "ls", 2.5, "2,5" }, { "pl", -0.25, "-0,25" }, { "en", 2.5, "2.5" },
    { "de", 3, "3" }, { "de", 1234.5, "1234,5" }, { "xx", 2.5, "2.5" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *text = kiosk_language_format_number (cases[i].lang, cases[i].value);

      g_assert_cmpstr (text, ==, cases[i].text);
    }
}

typedef struct
{
  char *dir;
} Fixture;

static void
write_mo (const char *dir,
          const char *lang,
          const char *po)
{
  g_autofree char *lc = g_build_filename (dir, lang, "LC_MESSAGES", NULL);
  g_autofree char *po_path = g_build_filename (dir, "in.po", NULL);
  g_autofree char *mo_path = g_build_filename (lc, GETTEXT_PACKAGE ".mo", NULL);
  g_autofree char *header = g_strdup_printf ("msgid \"\"\nmsgstr \"Content-Type: text/plain; charset=UTF-8\\n\"\n\n%s", po);
  const char *argv[] = { "msgfmt", "-o", mo_path, po_path, NULL };
  g_autoptr(GError) error = NULL;
  int status = 0;

  g_assert_cmpint (g_mkdir_with_parents (lc, 0700), ==, 0);
  g_file_set_contents (po_path, header, -1, &error);
  g_assert_no_error (error);
  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, NULL, &status, &error);
  g_assert_no_error (error);
  g_spawn_check_wait_status (status, &error);
  g_assert_no_error (error);
}

/* Catalogues of our own making, so the test does not depend on what the
 * translators have done so far: German, Leichte Sprache with one text
 * only (the rest must fall back to German, not English), Russian with
 * three plural forms. */
static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autofree char *msgfmt = g_find_program_in_path ("msgfmt");

  f->dir = g_dir_make_tmp ("test-language-XXXXXX", NULL);
  g_assert_nonnull (f->dir);
  if (msgfmt == NULL)
    return;
  write_mo (f->dir, "de",
            "msgid \"Please enter text.\"\nmsgstr \"Bitte geben Sie einen Text ein.\"\n\n"
            "msgid \"Next\"\nmsgstr \"Weiter\"\n\n"
            "msgctxt \"answer\"\nmsgid \"No\"\nmsgstr \"Nein\"\n\n"
            "msgid \"%u second\"\nmsgid_plural \"%u seconds\"\nmsgstr[0] \"%u Sekunde\"\nmsgstr[1] \"%u Sekunden\"\n\n"
            "msgid \"Wednesday\"\nmsgstr \"Mittwoch\"\n\n"
            "msgid \"%m/%d/%Y\"\nmsgstr \"%d.%m.%Y\"\n");
  write_mo (f->dir, "ls",
            "msgid \"Please enter text.\"\nmsgstr \"Bitte schreiben Sie hier etwas.\"\n");
  write_mo (f->dir, "ru",
            "msgid \"%u second\"\nmsgid_plural \"%u seconds\"\n"
            "msgstr[0] \"%u секунда\"\nmsgstr[1] \"%u секунды\"\nmsgstr[2] \"%u секунд\"\n");
  bindtextdomain (GETTEXT_PACKAGE, f->dir);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_autofree char *cmd = g_strdup_printf ("rm -rf '%s'", f->dir);

  g_assert_cmpint (system (cmd), ==, 0);
  g_free (f->dir);
  kiosk_language_set_current (NULL);
}

static gboolean
need_msgfmt (void)
{
  g_autofree char *msgfmt = g_find_program_in_path ("msgfmt");

  if (msgfmt == NULL)
    g_test_skip ("msgfmt (package gettext) is not installed");
  return msgfmt != NULL;
}

/* The session language wins over the process locale and $LANGUAGE. */
static void
test_session_wins (Fixture       *f,
                   gconstpointer  data)
{
  if (!need_msgfmt ())
    return;
  g_assert_nonnull (setlocale (LC_ALL, "C.UTF-8"));
  g_setenv ("LANGUAGE", "en", TRUE);

  g_assert_cmpstr (kiosk_language_gettext ("de", "Please enter text."), ==, "Bitte geben Sie einen Text ein.");
  g_assert_cmpstr (kiosk_language_pgettext ("de", "answer", "No"), ==, "Nein");
  g_assert_cmpstr (kiosk_language_gettext ("en", "Please enter text."), ==, "Please enter text.");
  g_assert_cmpstr (kiosk_language_gettext ("de_DE.UTF-8", "Next"), ==, "Weiter");
  /* A language without a catalogue keeps the English source. */
  g_assert_cmpstr (kiosk_language_gettext ("tr", "Next"), ==, "Next");

  /* Negative control: the process's own gettext, asked the same under the
   * same conditions, stays English — the harness sees the difference. */
  g_assert_cmpstr (dgettext (GETTEXT_PACKAGE, "Please enter text."), ==, "Please enter text.");
  g_assert_cmpstr (g_dgettext (GETTEXT_PACKAGE, "Next"), ==, "Next");

  /* The current session language serves lookups without one. */
  g_assert_cmpstr (kiosk_language_gettext (NULL, "Next"), ==, "Next");
  kiosk_language_set_current ("de");
  g_assert_cmpstr (kiosk_language_gettext (NULL, "Next"), ==, "Weiter");
  g_assert_cmpstr (kiosk_language_get_current (), ==, "de");

  g_unsetenv ("LANGUAGE");
  setlocale (LC_ALL, "C");
}

/* The info cards' words follow the session too: the waste card's dates
 * were looked up with the process's gettext (kiosk-info-waste.c and
 * kiosk-info-cache.c included <glib/gi18n-lib.h>), so under C.UTF-8 a
 * German citizen read "Wednesday, 12/09/2026" (the assertion fails so on
 * the old code). */
static void
test_info_dates (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(GDate) date = g_date_new_dmy (9, G_DATE_DECEMBER, 2026);
  g_autofree char *german = NULL;
  g_autofree char *english = NULL;
  const char *previous;

  if (!need_msgfmt ())
    return;
  g_assert_nonnull (setlocale (LC_ALL, "C.UTF-8"));
  previous = kiosk_language_push_thread ("de");
  german = kiosk_waste_date_format (date);
  kiosk_language_pop_thread (previous);
  previous = kiosk_language_push_thread ("en");
  english = kiosk_waste_date_format (date);
  kiosk_language_pop_thread (previous);
  g_assert_cmpstr (german, ==, "Mittwoch, 09.12.2026");
  g_assert_cmpstr (english, ==, "Wednesday, 12/09/2026");
  setlocale (LC_ALL, "C");
}

/* A thread's language overrides the session's until it is popped. */
static void
test_thread (Fixture       *f,
             gconstpointer  data)
{
  const char *previous;

  if (!need_msgfmt ())
    return;
  kiosk_language_set_current ("de");
  previous = kiosk_language_push_thread ("en");
  g_assert_cmpstr (kiosk_language_gettext (NULL, "Next"), ==, "Next");
  g_assert_cmpstr (kiosk_language_get_current (), ==, "en");
  kiosk_language_pop_thread (previous);
  g_assert_cmpstr (kiosk_language_gettext (NULL, "Next"), ==, "Weiter");
  /* NULL keeps the language in force. */
  previous = kiosk_language_push_thread (NULL);
  g_assert_cmpstr (kiosk_language_gettext (NULL, "Next"), ==, "Weiter");
  kiosk_language_pop_thread (previous);
}

/* Leichte Sprache: its own text where there is one, else German (not
 * English): glibc has no "ls" locale, and it needs none. */
static void
test_easy_german (Fixture       *f,
                  gconstpointer  data)
{
  if (!need_msgfmt ())
    return;
  g_assert_nonnull (setlocale (LC_ALL, "C.UTF-8"));
  g_assert_cmpstr (kiosk_language_gettext ("ls", "Please enter text."), ==, "Bitte schreiben Sie hier etwas.");
  g_assert_cmpstr (kiosk_language_gettext ("ls", "Next"), ==, "Weiter");
  g_assert_cmpstr (kiosk_language_pgettext ("ls", "answer", "No"), ==, "Nein");
  g_assert_cmpstr (kiosk_language_gettext ("ls", "Unknown"), ==, "Unknown");
  setlocale (LC_ALL, "C");
}

/* Plural forms by each language's rule. */
static void
test_plural (Fixture       *f,
             gconstpointer  data)
{
  const struct { const char *lang; gulong n; const char *form; } cases[] = {
    { "de", 1, "%u Sekunde" }, { "de", 0, "%u Sekunden" }, { "de", 5, "%u Sekunden" },
    { "ru", 1, "%u секунда" }, { "ru", 3, "%u секунды" }, { "ru", 5, "%u секунд" },
    { "ru", 11, "%u секунд" }, { "ru", 21, "%u секунда" }, { "ru", 22, "%u секунды" },
    { "en", 1, "%u second" }, { "en", 2, "%u seconds" },
    /* Polish has no catalogue here: the English forms. */
    { "pl", 2, "%u seconds" },
  };

  if (!need_msgfmt ())
    return;
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    g_assert_cmpstr (kiosk_language_ngettext (cases[i].lang, "%u second", "%u seconds", cases[i].n), ==,
                     cases[i].form);
}

/* A damaged catalogue gives no translations, and no crash. */
static void
test_damaged (Fixture       *f,
              gconstpointer  data)
{
  g_autofree char *lc = g_build_filename (f->dir, "uk", "LC_MESSAGES", NULL);
  g_autofree char *mo = g_build_filename (lc, GETTEXT_PACKAGE ".mo", NULL);
  /* The magic number, then a count of messages far beyond the file. */
  const guint8 bad[] = { 0xde, 0x12, 0x04, 0x95, 0, 0, 0, 0, 0xff, 0xff, 0xff, 0x0f,
                         28, 0, 0, 0, 28, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 };
  g_autoptr(GError) error = NULL;

  bindtextdomain (GETTEXT_PACKAGE, f->dir);
  g_assert_cmpint (g_mkdir_with_parents (lc, 0700), ==, 0);
  g_file_set_contents (mo, (const char *) bad, sizeof bad, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (kiosk_language_gettext ("uk", "Next"), ==, "Next");
  g_assert_cmpstr (kiosk_language_ngettext ("uk", "%u second", "%u seconds", 3), ==, "%u seconds");
}

/* Every truncation and a byte flipped at every offset of a real catalogue:
 * never a crash or a read outside the file (run under ASan), at most a
 * lookup that finds nothing. */
static void
test_truncated (Fixture       *f,
                gconstpointer  data)
{
  g_autofree char *mo = g_build_filename (f->dir, "de", "LC_MESSAGES", GETTEXT_PACKAGE ".mo", NULL);
  g_autofree char *contents = NULL;
  gsize size = 0;

  if (!need_msgfmt ())
    return;
  g_assert_true (g_file_get_contents (mo, &contents, &size, NULL));
  g_assert_cmpuint (size, >, 28);
  for (gsize n = 0; n <= size; n++)
    {
      g_autofree char *dir = g_strdup_printf ("%s/t%" G_GSIZE_FORMAT, f->dir, n);
      g_autofree char *lc = g_build_filename (dir, "de", "LC_MESSAGES", NULL);
      g_autofree char *path = g_build_filename (lc, GETTEXT_PACKAGE ".mo", NULL);
      g_autofree char *bytes = g_memdup2 (contents, size);
      const char *text;

      /* The first half: cut at n; the second: whole, with byte n-1 flipped. */
      gboolean cut = n < size / 2;

      g_assert_cmpint (g_mkdir_with_parents (lc, 0700), ==, 0);
      if (!cut)
        bytes[n - 1] ^= 0x5a;
      g_assert_true (g_file_set_contents (path, bytes, cut ? (gssize) n : (gssize) size, NULL));
      bindtextdomain (GETTEXT_PACKAGE, dir);
      text = kiosk_language_gettext ("de", "Next");
      g_assert_nonnull (text);
      /* A cut file has the translation whole or not at all. */
      if (cut)
        g_assert_true (g_str_equal (text, "Next") || g_str_equal (text, "Weiter"));
      (void) kiosk_language_ngettext ("de", "%u second", "%u seconds", 2);
      (void) kiosk_language_pgettext ("de", "answer", "No");
    }
  /* And the whole catalogue still works. */
  bindtextdomain (GETTEXT_PACKAGE, f->dir);
  g_assert_cmpstr (kiosk_language_gettext ("de", "Next"), ==, "Weiter");
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/kiosk/language/table", test_table);
  g_test_add_func ("/kiosk/language/numbers", test_numbers);
  g_test_add ("/kiosk/language/session-wins", Fixture, NULL, fixture_set_up, test_session_wins, fixture_tear_down);
  g_test_add ("/kiosk/language/thread", Fixture, NULL, fixture_set_up, test_thread, fixture_tear_down);
  g_test_add ("/kiosk/language/info-dates", Fixture, NULL, fixture_set_up, test_info_dates, fixture_tear_down);
  g_test_add ("/kiosk/language/easy-german", Fixture, NULL, fixture_set_up, test_easy_german, fixture_tear_down);
  g_test_add ("/kiosk/language/plural", Fixture, NULL, fixture_set_up, test_plural, fixture_tear_down);
  g_test_add ("/kiosk/language/damaged", Fixture, NULL, fixture_set_up, test_damaged, fixture_tear_down);
  g_test_add ("/kiosk/language/truncated", Fixture, NULL, fixture_set_up, test_truncated, fixture_tear_down);

  return g_test_run ();
}

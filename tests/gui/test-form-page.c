/* test-form-page.c — the form page and its field rows, as a citizen meets them
 *
 * SPDX-FileCopyrightText: 2026 Stadtkiosk contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Issue #16, third wave: messages that say what to do, the town pre-filled,
 * dates in the session's format, the three-box date input on the number pad,
 * and nothing moving under the finger when a conditional field appears.
 * Each failed on the code before its fix (issue #16, the stop's closing note).
 */

#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>
#include <string.h>

#include "kiosk-window-private.h"
#include "kiosk-form-page.h"
#include "kiosk-review-page.h"
#include "kiosk-done-page.h"
#include "kiosk-field-row.h"
#include "kiosk-test-util.h"
#include "kiosk-gui-test-util.h"

typedef struct
{
  char         *state_dir;
  KioskClock   *clock;
  KioskContext *context;
  KioskWindow  *window;
} Fixture;

#define flush kiosk_gui_test_flush
#define find_label kiosk_gui_test_find_label
#define find_option kiosk_gui_test_find_option

static void
fixture_set_up_with (Fixture    *f,
                     const char *config_text)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KioskConfig) config = NULL;
  g_autofree char *path = NULL;
  g_autoptr(GString) text = g_string_new (config_text != NULL ? config_text : "");

  f->state_dir = g_dir_make_tmp ("stadtkiosk-gui-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (f->state_dir, "kiosk.conf", NULL);
  g_string_replace (text, "@STATE@", f->state_dir, 0);
  g_file_set_contents (path, text->str, -1, &error);
  g_assert_no_error (error);
  config = kiosk_config_new_from_file (path, &error);
  g_assert_no_error (error);
  kiosk_config_set_state_dir (config, f->state_dir);
  if (kiosk_config_get_keys_demo (config))
    {
      kiosk_keys_ensure_demo (config, &error);
      g_assert_no_error (error);
    }
  /* 2026-09-21, a Monday */
  f->clock = kiosk_clock_new_fake (G_GINT64_CONSTANT (1790000000) * G_USEC_PER_SEC);
  f->context = kiosk_context_new (config, f->clock, &error);
  g_assert_no_error (error);
  f->window = kiosk_window_new_for_context (f->context);
  gtk_window_set_title (GTK_WINDOW (f->window), "stadtkiosk-form-page-test");
  gtk_window_set_default_size (GTK_WINDOW (f->window), 1280, 800);
  gtk_window_present (GTK_WINDOW (f->window));
  flush ();
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  fixture_set_up_with (f, data);
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

static KioskFormPage *
open_form (Fixture    *f,
           const char *service)
{
  activate (f, "kiosk.start", NULL);
  activate (f, "kiosk.open-service", g_variant_new_string (service));
  activate (f, "kiosk.begin-form", NULL);
  g_assert_cmpstr (kiosk_window_get_page_name (f->window), ==, "form");
  return KIOSK_FORM_PAGE (_kiosk_window_get_page (f->window));
}

/* The entries of an address or a date row, in order. */
static GPtrArray *
row_entries (KioskFormPage *page,
             const char    *field_id)
{
  GtkWidget *row = kiosk_form_page_get_field_row (page, field_id);
  GPtrArray *entries = g_ptr_array_new ();
  GtkWidget *w;

  g_assert_nonnull (row);
  for (w = gtk_widget_get_first_child (row); w != NULL; w = gtk_widget_get_next_sibling (w))
    if (GTK_IS_GRID (w))
      for (GtkWidget *c = gtk_widget_get_first_child (w); c != NULL; c = gtk_widget_get_next_sibling (c))
        if (GTK_IS_ENTRY (c))
          g_ptr_array_add (entries, c);
  /* A grid's children are in insertion order, which is the parts' order. */
  return entries;
}

static void
type_into (GtkWidget  *entry,
           const char *text)
{
  gtk_editable_set_text (GTK_EDITABLE (entry), text);
  flush ();
}

static gboolean
summary_lists (KioskFormPage *page,
               const char    *message)
{
  return find_label (kiosk_form_page_get_error_summary (page), message) != NULL;
}

/* Messages say what to do: the postal code names the city and gives an
 * example, a missing answer names its question (the summary lists them
 * together).  Before: "Bitte geben Sie eine fünfstellige Postleitzahl ein."
 * and "Bitte füllen Sie dieses Feld aus." for every empty text field. */
static void
test_messages_say_what_to_do (Fixture       *f,
                              gconstpointer  data)
{
  KioskFormPage *page = open_form (f, "library-card");
  g_autoptr(GPtrArray) address = row_entries (page, "address");
  g_autofree char *name_message = NULL;
  KioskField *name_field;

  g_assert_cmpuint (address->len, ==, 4);
  type_into (address->pdata[0], "Almsstraße");
  type_into (address->pdata[1], "12");
  type_into (address->pdata[2], "3113");
  activate (f, "kiosk.next", NULL);
  g_assert_cmpstr (kiosk_form_page_get_error (page, "address"), ==,
                   "Geben Sie eine Postleitzahl in Hildesheim ein, zum Beispiel 31134.");

  /* An empty name: the message names the question. */
  name_field = kiosk_field_row_get_field (KIOSK_FIELD_ROW (kiosk_form_page_get_field_row (page, "name")));
  name_message = g_strdup_printf ("Füllen Sie „%s“ aus.", kiosk_field_get_label (name_field, "de"));
  g_assert_cmpstr (kiosk_form_page_get_error (page, "name"), ==, name_message);
  g_assert_true (summary_lists (page, name_message));
  g_assert_false (summary_lists (page, "Bitte füllen Sie dieses Feld aus."));

  /* With the name there, the postal code box takes the focus. */
  type_into (kiosk_form_page_get_input (page, "name"), "Erika Mustermann");
  {
    g_autoptr(GPtrArray) date = row_entries (page, "birth-date");

    type_into (date->pdata[0], "9");
    type_into (date->pdata[1], "3");
    type_into (date->pdata[2], "1961");
  }
  activate (f, "kiosk.next", NULL);
  g_assert_true (gtk_window_get_focus (GTK_WINDOW (f->window)) == address->pdata[2] ||
                 gtk_widget_is_ancestor (gtk_window_get_focus (GTK_WINDOW (f->window)), address->pdata[2]));

  type_into (address->pdata[2], "30159");
  g_assert_cmpstr (kiosk_form_page_get_error (page, "address"), ==,
                   "Diese Postleitzahl liegt nicht in Hildesheim. "
                   "Geben Sie eine Postleitzahl von Hildesheim ein: 31134–31141.");
  type_into (address->pdata[2], "31134");
  g_assert_null (kiosk_form_page_get_error (page, "address"));
}

/* The catalogue's own message for the lamp post's number says what to type,
 * with an example. */
static void
test_catalogue_message (Fixture       *f,
                        gconstpointer  data)
{
  KioskFormPage *page = open_form (f, "report-problem");
  GtkCheckButton *light = find_option (GTK_WIDGET (page), "street-light");
  const char *message;

  g_assert_nonnull (light);
  gtk_check_button_set_active (light, TRUE);
  flush ();
  type_into (kiosk_form_page_get_input (page, "lamp-number"), "12 345");
  activate (f, "kiosk.next", NULL);
  message = kiosk_form_page_get_error (page, "lamp-number");
  g_assert_nonnull (message);
  g_assert_nonnull (strstr (message, "zum Beispiel 12-345"));
  g_assert_true (g_str_has_prefix (message, "Geben Sie die Nummer vom Schild am Mast ein"));
}

/* "Ort" is pre-filled with the city's name ([kiosk] city), and it is not
 * an answer until the person types in the address.  Before: empty. */
static void
test_town_prefilled (Fixture       *f,
                     gconstpointer  data)
{
  KioskFormPage *page = open_form (f, "library-card");
  g_autoptr(GPtrArray) address = row_entries (page, "address");
  KioskForm *form = _kiosk_window_get_form (f->window);
  JsonNode *value;
  JsonObject *object;

  g_assert_cmpuint (address->len, ==, 4);
  g_assert_cmpstr (gtk_editable_get_text (address->pdata[3]), ==, "Hildesheim");
  g_assert_null (kiosk_form_get_value (form, "address"));
  g_assert_false (kiosk_form_has_answers (form));

  type_into (address->pdata[0], "Almsstraße");
  value = kiosk_form_get_value (form, "address");
  g_assert_nonnull (value);
  object = json_node_get_object (value);
  g_assert_cmpstr (json_object_get_string_member (object, "city"), ==, "Hildesheim");
  g_assert_cmpstr (json_object_get_string_member (object, "street"), ==, "Almsstraße");
}

/* Another city: the key is read and named in messages. */
static void
test_town_from_config (Fixture       *f,
                       gconstpointer  data)
{
  KioskFormPage *page = open_form (f, "library-card");
  g_autoptr(GPtrArray) address = row_entries (page, "address");

  g_assert_cmpstr (gtk_editable_get_text (address->pdata[3]), ==, "Sarstedt");
  type_into (address->pdata[0], "Steinstraße");
  activate (f, "kiosk.next", NULL);
  g_assert_cmpstr (kiosk_form_page_get_error (page, "address"), ==,
                   "Geben Sie die Hausnummer ein, zum Beispiel 12 oder 12a.");
  type_into (address->pdata[1], "3");
  type_into (address->pdata[2], "1");
  g_assert_cmpstr (kiosk_form_page_get_error (page, "address"), ==,
                   "Geben Sie eine Postleitzahl in Sarstedt ein, zum Beispiel 31157.");
}

/* Three boxes, Tag Monat Jahr, each on the number pad; an impossible date
 * is named with what to check, and the wrong box takes the focus.  Before:
 * one entry with the placeholder "TT.MM.JJJJ". */
static void
test_date_boxes (Fixture       *f,
                 gconstpointer  data)
{
  KioskFormPage *page = open_form (f, "library-card");
  g_autoptr(GPtrArray) date = row_entries (page, "birth-date");
  GtkWidget *row = kiosk_form_page_get_field_row (page, "birth-date");
  KioskForm *form = _kiosk_window_get_form (f->window);
  KioskKeyboard *keyboard = _kiosk_window_get_keyboard (f->window);
  JsonNode *value;

  g_assert_cmpuint (date->len, ==, 3);
  g_assert_nonnull (find_label (row, "Tag"));
  g_assert_nonnull (find_label (row, "Monat"));
  g_assert_nonnull (find_label (row, "Jahr"));
  for (guint i = 0; i < date->len; i++)
    {
      g_assert_cmpint (gtk_entry_get_input_purpose (date->pdata[i]), ==, GTK_INPUT_PURPOSE_DIGITS);
      gtk_widget_grab_focus (date->pdata[i]);
      flush ();
      g_assert_cmpint (kiosk_keyboard_get_layout (keyboard), ==, KIOSK_KEYBOARD_NUMERIC);
    }
  g_assert_cmpint (gtk_entry_get_max_length (date->pdata[0]), ==, 2);
  g_assert_cmpint (gtk_entry_get_max_length (date->pdata[1]), ==, 2);
  g_assert_cmpint (gtk_entry_get_max_length (date->pdata[2]), ==, 4);

  type_into (kiosk_form_page_get_input (page, "name"), "Erika Mustermann");
  /* Typed on the number pad into the day box. */
  gtk_widget_grab_focus (date->pdata[0]);
  g_assert_true (kiosk_keyboard_press (keyboard, "3"));
  g_assert_true (kiosk_keyboard_press (keyboard, "1"));
  type_into (date->pdata[1], "2");
  type_into (date->pdata[2], "1980");
  activate (f, "kiosk.next", NULL);
  g_assert_cmpstr (kiosk_form_page_get_error (page, "birth-date"), ==,
                   "Dieser Monat hat nur 29 Tage. Prüfen Sie Tag und Monat.");
  g_assert_true (gtk_widget_is_ancestor (gtk_window_get_focus (GTK_WINDOW (f->window)), date->pdata[0]) ||
                 gtk_window_get_focus (GTK_WINDOW (f->window)) == date->pdata[0]);
  g_assert_true (gtk_widget_has_css_class (date->pdata[0], "kiosk-invalid-input"));
  g_assert_false (gtk_widget_has_css_class (date->pdata[2], "kiosk-invalid-input"));

  type_into (date->pdata[1], "13");
  g_assert_cmpstr (kiosk_form_page_get_error (page, "birth-date"), ==,
                   "Geben Sie den Monat als Zahl von 1 bis 12 ein, zum Beispiel 3 für März.");
  type_into (date->pdata[1], "12");
  type_into (date->pdata[2], "80");
  /* A corrected message goes; a new one waits for "Weiter". */
  activate (f, "kiosk.next", NULL);
  g_assert_cmpstr (kiosk_form_page_get_error (page, "birth-date"), ==,
                   "Geben Sie das Jahr mit vier Ziffern ein, zum Beispiel 2026.");
  type_into (date->pdata[2], "1980");
  g_assert_null (kiosk_form_page_get_error (page, "birth-date"));
  value = kiosk_form_get_value (form, "birth-date");
  g_assert_cmpstr (json_node_get_string (value), ==, "1980-12-31");
}

static void
fill_residence_certificate (Fixture *f)
{
  static const char * const values[][2] = {
    { "name", "\"Erika Mustermann\"" },
    { "birth-date", "\"1970-01-31\"" },
    { "address", "{\"street\":\"Almsstraße\",\"house_number\":\"12\",\"postal_code\":\"31134\",\"city\":\"Hildesheim\"}" },
  };
  KioskForm *form = _kiosk_window_get_form (f->window);

  for (guint i = 0; i < G_N_ELEMENTS (values); i++)
    {
      g_autoptr(JsonNode) node = json_from_string (values[i][1], NULL);

      kiosk_form_set_value (form, values[i][0], node);
    }
}

static char *
pdf_text (const char *dir)
{
  g_autofree char *pdftotext = g_find_program_in_path ("pdftotext");
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  g_autofree char *path = NULL;
  const char *name;
  char *out = NULL;
  int status = 0;

  while (d != NULL && (name = g_dir_read_name (d)) != NULL && path == NULL)
    if (g_str_has_suffix (name, ".pdf"))
      path = g_build_filename (dir, name, NULL);
  if (path == NULL || pdftotext == NULL)
    return NULL;
  g_assert_true (g_spawn_sync (NULL, (char *[]) { pdftotext, (char *) "-q", path, (char *) "-", NULL }, NULL,
                               G_SPAWN_DEFAULT, NULL, NULL, &out, NULL, &status, NULL));
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  return out;
}

static gboolean
pdf_written (gpointer data)
{
  Fixture *f = data;
  g_autoptr(GDir) d = g_dir_open (f->state_dir, 0, NULL);
  const char *name;

  while (d != NULL && (name = g_dir_read_name (d)) != NULL)
    if (g_str_has_suffix (name, ".pdf"))
      return TRUE;
  return FALSE;
}

/* Dates as the session writes them, never ISO: the review page and the
 * printed form in English show 31/01/1970 (before: 1970-01-31), in German
 * 31.01.1970; the receipt's own date too (before: 2026-09-21, 16:53). */
static void
test_dates_in_session_format (Fixture       *f,
                              gconstpointer  data)
{
  const char *language = g_str_equal (g_test_get_path () + strlen ("/kiosk/gui/form-page/dates-"), "en") ? "en" : "de";
  gboolean english = g_str_equal (language, "en");
  const char *shown = english ? "31/01/1970" : "31.01.1970";
  const char *today = english ? "21/09/2026" : "21.09.2026";
  GtkWidget *review;
  g_autofree char *text = NULL;

  activate (f, "kiosk.start", NULL);
  activate (f, "kiosk.language", g_variant_new_string (language));
  activate (f, "kiosk.open-service", g_variant_new_string ("residence-certificate"));
  activate (f, "kiosk.begin-form", NULL);
  fill_residence_certificate (f);
  activate (f, "kiosk.next", NULL);
  g_assert_cmpstr (kiosk_window_get_page_name (f->window), ==, "review");
  review = _kiosk_window_get_page (f->window);
  g_assert_nonnull (find_label (review, shown));
  g_assert_null (find_label (review, "1970-01-31"));

  activate (f, "kiosk.send", NULL);
  g_assert_cmpstr (kiosk_window_get_page_name (f->window), ==, "done");
  g_assert_true (kiosk_gui_test_wait_for (pdf_written, f));
  text = pdf_text (f->state_dir);
  if (text == NULL)
    {
      g_test_skip ("pdftotext is not installed (Debian package poppler-utils)");
      return;
    }
  g_assert_nonnull (strstr (text, shown));
  g_assert_null (strstr (text, "1970-01-31"));
  g_assert_nonnull (strstr (text, today));
  g_assert_null (strstr (text, "2026-09-21"));
}


static double
top_of (GtkWidget *widget,
        GtkWidget *window)
{
  graphene_rect_t bounds;

  g_assert_true (gtk_widget_compute_bounds (widget, window, &bounds));
  return bounds.origin.y;
}

/* Nothing moves under the finger: tapping "Straßenlaterne" shows the lamp
 * post's number below the question, and the description a person is about
 * to tap next stays where it was; so it does when the field goes again.
 * Before: the description moved down by the new field's height (122 px
 * at 1280×800). */
static void
test_nothing_moves (Fixture       *f,
                    gconstpointer  data)
{
  KioskFormPage *page = open_form (f, "report-problem");
  GtkWidget *window = GTK_WIDGET (f->window);
  GtkWidget *description = kiosk_form_page_get_input (page, "description");
  GtkWidget *lamp = kiosk_form_page_get_input (page, "lamp-number");
  double before, after;

  kiosk_gui_test_settle (window);
  g_assert_false (kiosk_form_page_is_field_shown (page, "lamp-number"));
  /* Not shown means not reachable: no focus, no taps, not in the AT tree. */
  g_assert_false (gtk_widget_is_sensitive (lamp));
  before = top_of (description, window);

  gtk_check_button_set_active (find_option (GTK_WIDGET (page), "street-light"), TRUE);
  kiosk_gui_test_settle (window);
  g_assert_true (kiosk_form_page_is_field_shown (page, "lamp-number"));
  g_assert_true (gtk_widget_is_sensitive (lamp));
  after = top_of (description, window);
  g_test_message ("description at %.0f px before, %.0f px after the lamp post's number appeared", before, after);
  g_assert_cmpfloat (after, ==, before);

  gtk_check_button_set_active (find_option (GTK_WIDGET (page), "pothole"), TRUE);
  kiosk_gui_test_settle (window);
  g_assert_false (kiosk_form_page_is_field_shown (page, "lamp-number"));
  g_assert_cmpfloat (top_of (description, window), ==, before);
}


/* #11: the form and review pages are bound to the session, as the service
 * and done pages are: they show its form at its step in its language and
 * empty themselves when the form goes. */
static void
test_follows_session (Fixture       *f,
                      gconstpointer  data)
{
  KioskFormPage *page = open_form (f, "report-problem");
  KioskSession *session = _kiosk_window_get_session (f->window);
  GtkWidget *review;

  g_assert_nonnull (kiosk_form_page_get_field_row (page, "kind"));
  /* The session moves to step 2: the page shows it. */
  kiosk_session_set_step (session, 1);
  flush ();
  g_assert_cmpuint (kiosk_form_page_get_step (page), ==, 1);
  g_assert_nonnull (kiosk_form_page_get_field_row (page, "location"));
  g_assert_null (kiosk_form_page_get_field_row (page, "kind"));
  g_assert_nonnull (find_label (GTK_WIDGET (page), "Ort"));
  /* Its language: the catalogue's texts follow. */
  kiosk_session_set_language (session, "en");
  flush ();
  g_assert_nonnull (find_label (GTK_WIDGET (page), "Location"));
  kiosk_session_set_language (session, "de");
  flush ();

  /* The review page shows the session's answers and forgets them with
   * the form. */
  gtk_editable_set_text (GTK_EDITABLE (kiosk_form_page_get_input (page, "location")), "Almsstraße 15");
  activate (f, "kiosk.next", NULL);
  g_assert_cmpstr (kiosk_window_get_page_name (f->window), ==, "form");
  g_assert_nonnull (kiosk_form_page_get_field_row (page, "wants-feedback"));
  kiosk_session_set_step (session, 0);
  flush ();
  g_assert_nonnull (kiosk_form_page_get_field_row (page, "kind"));

  review = gtk_stack_get_child_by_name (f->window->stack, "review");
  g_assert_nonnull (review);
  kiosk_review_page_update (KIOSK_REVIEW_PAGE (review));
  g_assert_nonnull (find_label (review, "Almsstraße 15"));
  g_assert_true (kiosk_session_open_service (session, "bulky-waste"));
  flush ();
  g_assert_null (find_label (review, "Almsstraße 15"));
  g_assert_null (kiosk_form_page_get_field_row (page, "kind"));
}

/* The gap between an option's ring and its text (style.css: 12 px) lies
 * between them in either direction.  Before: a bare margin-right, so in
 * Arabic, where the ring stands to the right of its text, the ring
 * touched the text and the gap lay on the ring's outer side. */
static void
test_option_gap_follows_direction (Fixture       *f,
                                   gconstpointer  data)
{
  static const char *languages[] = { "de", "ar" };

  for (guint i = 0; i < G_N_ELEMENTS (languages); i++)
    {
      GtkCheckButton *option;
      GtkWidget *ring = NULL;
      GtkWidget *text = NULL;
      graphene_rect_t ring_bounds, text_bounds;
      double gap;

      activate (f, "kiosk.start-over", NULL);
      activate (f, "kiosk.language", g_variant_new_string (languages[i]));
      g_assert_cmpstr (kiosk_window_get_language (f->window), ==, languages[i]);
      open_form (f, "report-problem");
      option = find_option (GTK_WIDGET (_kiosk_window_get_page (f->window)), "street-light");
      g_assert_nonnull (option);
      kiosk_gui_test_settle (GTK_WIDGET (f->window));
      for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (option)); child != NULL;
           child = gtk_widget_get_next_sibling (child))
        if (g_str_equal (gtk_widget_get_css_name (child), "radio") || g_str_equal (gtk_widget_get_css_name (child), "check"))
          ring = child;
        else if (GTK_IS_LABEL (child))
          text = child;
      g_assert_nonnull (ring);
      g_assert_nonnull (text);
      g_assert_true (gtk_widget_compute_bounds (ring, GTK_WIDGET (option), &ring_bounds));
      g_assert_true (gtk_widget_compute_bounds (text, GTK_WIDGET (option), &text_bounds));
      if (g_str_equal (languages[i], "ar"))
        gap = ring_bounds.origin.x - (text_bounds.origin.x + text_bounds.size.width);
      else
        gap = text_bounds.origin.x - (ring_bounds.origin.x + ring_bounds.size.width);
      g_test_message ("%s: ring at x %.0f, text at x %.0f to %.0f, gap %.0f", languages[i],
                      ring_bounds.origin.x, text_bounds.origin.x, text_bounds.origin.x + text_bounds.size.width, gap);
      g_assert_cmpfloat (gap, >=, 12);
    }
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GtkCssProvider) css = NULL;

  setlocale (LC_ALL, "C.UTF-8");
  g_setenv ("LANGUAGE", "de", TRUE);
  bindtextdomain (GETTEXT_PACKAGE, g_getenv ("STADTKIOSK_LOCALEDIR"));
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  kiosk_gui_test_init_display ();
  /* The kiosk's own style, as KioskApplication (an AdwApplication) loads it. */
  css = gtk_css_provider_new ();
  gtk_css_provider_load_from_resource (css, "/de/hildesheim/Stadtkiosk/style.css");
  gtk_style_context_add_provider_for_display (gdk_display_get_default (), GTK_STYLE_PROVIDER (css),
                                              GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);

  g_test_add ("/kiosk/gui/form-page/option-gap-follows-direction", Fixture, "[kiosk]\nlanguages=de;en;ar;\n",
              fixture_set_up, test_option_gap_follows_direction, fixture_tear_down);
  g_test_add ("/kiosk/gui/form-page/messages", Fixture, NULL,
              fixture_set_up, test_messages_say_what_to_do, fixture_tear_down);
  g_test_add ("/kiosk/gui/form-page/catalogue-message", Fixture, NULL,
              fixture_set_up, test_catalogue_message, fixture_tear_down);
  g_test_add ("/kiosk/gui/form-page/town-prefilled", Fixture, NULL,
              fixture_set_up, test_town_prefilled, fixture_tear_down);
  g_test_add ("/kiosk/gui/form-page/town-from-config", Fixture,
              "[kiosk]\ncity=Sarstedt\n[catalog]\npostal-codes=31157;\n",
              fixture_set_up, test_town_from_config, fixture_tear_down);
  g_test_add ("/kiosk/gui/form-page/date-boxes", Fixture, NULL,
              fixture_set_up, test_date_boxes, fixture_tear_down);
  g_test_add ("/kiosk/gui/form-page/nothing-moves", Fixture, NULL,
              fixture_set_up, test_nothing_moves, fixture_tear_down);
  g_test_add ("/kiosk/gui/form-page/follows-session", Fixture, NULL,
              fixture_set_up, test_follows_session, fixture_tear_down);
  g_test_add ("/kiosk/gui/form-page/dates-de", Fixture,
              "[keys]\nmode=demo\n[printer]\nbackend=pdf:@STATE@\n",
              fixture_set_up, test_dates_in_session_format, fixture_tear_down);
  g_test_add ("/kiosk/gui/form-page/dates-en", Fixture,
              "[keys]\nmode=demo\n[printer]\nbackend=pdf:@STATE@\n",
              fixture_set_up, test_dates_in_session_format, fixture_tear_down);

  return g_test_run ();
}

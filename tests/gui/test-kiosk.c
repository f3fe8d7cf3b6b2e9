/* test-kiosk.c — the citizen kiosk under Xvfb
 *
 * SPDX-FileCopyrightText: 2026 Stadtkiosk contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <locale.h>
#include <sqlite3.h>

#include "kiosk-window-private.h"
#include "kiosk-out-of-service-window.h"
#include "kiosk-catalog-page.h"
#include "kiosk-done-page.h"
#include "kiosk-form-page.h"
#include "kiosk-review-page.h"
#include "kiosk-welcome-page.h"
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
#define find_mapped kiosk_gui_test_find_mapped

/* The state directory and the context; the window comes after
 * (fixture_open_window()), so that a test may store something first. */
static void
fixture_make_context (Fixture    *f,
                      const char *config_text)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KioskConfig) config = NULL;

  f->state_dir = g_dir_make_tmp ("stadtkiosk-gui-XXXXXX", &error);
  g_assert_no_error (error);
  if (config_text != NULL)
    {
      g_autofree char *path = g_build_filename (f->state_dir, "kiosk.conf", NULL);
      g_autoptr(GString) text = g_string_new (config_text);

      g_string_replace (text, "@STATE@", f->state_dir, 0);
      g_file_set_contents (path, text->str, -1, &error);
      g_assert_no_error (error);
      config = kiosk_config_new_from_file (path, &error);
      g_assert_no_error (error);
    }
  else
    config = kiosk_config_new_default ();
  kiosk_config_set_state_dir (config, f->state_dir);
  if (kiosk_config_get_keys_demo (config))
    {
      kiosk_keys_ensure_demo (config, &error);
      g_assert_no_error (error);
    }

  f->clock = kiosk_clock_new_fake (G_GINT64_CONSTANT (1790000000) * G_USEC_PER_SEC);
  f->context = kiosk_context_new (config, f->clock, &error);
  g_assert_no_error (error);
}

static void
fixture_open_window (Fixture *f)
{
  f->window = kiosk_window_new_for_context (f->context);
  gtk_window_set_default_size (GTK_WINDOW (f->window), 1280, 800);
  gtk_window_present (GTK_WINDOW (f->window));
  flush ();
}

static void
fixture_set_up_with (Fixture    *f,
                     const char *config_text)
{
  fixture_make_context (f, config_text);
  fixture_open_window (f);
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  fixture_set_up_with (f, NULL);
}

static void
fixture_set_up_rtl (Fixture       *f,
                    gconstpointer  data)
{
  fixture_set_up_with (f, "[kiosk]\nlanguages=de;en;ar;\n");
}

static void
fixture_set_up_printing (Fixture       *f,
                         gconstpointer  data)
{
  fixture_set_up_with (f, "[keys]\nmode=demo\n[printer]\nbackend=pdf:@STATE@\n");
}

static void
fixture_set_up_no_printer (Fixture       *f,
                           gconstpointer  data)
{
  fixture_set_up_with (f, "[keys]\nmode=demo\n[printer]\nbackend=none\n");
}

static void
fixture_set_up_broken_printer (Fixture       *f,
                               gconstpointer  data)
{
  fixture_set_up_with (f, "[keys]\nmode=demo\n[printer]\nbackend=pdf:@STATE@/no/such/dir\n");
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
page (Fixture *f)
{
  return _kiosk_window_get_page (f->window);
}

static void
type_keys (Fixture    *f,
           const char *keys)
{
  KioskKeyboard *keyboard = _kiosk_window_get_keyboard (f->window);
  g_auto(GStrv) list = g_strsplit (keys, " ", -1);

  for (guint i = 0; list[i] != NULL; i++)
    {
      GtkWidget *key = kiosk_keyboard_get_key (keyboard, list[i]);

      g_assert_nonnull (key);
      /* A key never takes the focus away from the field it types into. */
      g_assert_false (gtk_widget_get_focusable (key));
      g_signal_emit_by_name (key, "clicked");
    }
  flush ();
}

static guint
count_requests (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) all = kiosk_outbox_list (kiosk_context_get_outbox (f->context), -1, &error);

  g_assert_no_error (error);
  return all->len;
}

/* welcome → catalogue → report-problem form up to its review page */
static void
walk_to_review (Fixture *f)
{
  KioskFormPage *form_page;
  GtkWidget *description;

  activate (f, "kiosk.start", NULL);
  g_assert_cmpstr (kiosk_window_get_page_name (f->window), ==, "catalog");
  activate (f, "kiosk.open-service", g_variant_new_string ("report-problem"));
  g_assert_cmpstr (kiosk_window_get_page_name (f->window), ==, "service");
  activate (f, "kiosk.begin-form", NULL);
  g_assert_cmpstr (kiosk_window_get_page_name (f->window), ==, "form");
  form_page = KIOSK_FORM_PAGE (page (f));

  gtk_check_button_set_active (find_option (page (f), "litter"), TRUE);
  description = kiosk_form_page_get_input (form_page, "description");
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (GTK_TEXT_VIEW (description)),
                            "Sperrmüll neben dem Spielplatz", -1);
  activate (f, "kiosk.next", NULL);
  g_assert_cmpuint (kiosk_form_page_get_step (form_page), ==, 1);
  gtk_editable_set_text (GTK_EDITABLE (kiosk_form_page_get_input (form_page, "location")), "Almsstraße 15");
  activate (f, "kiosk.next", NULL);
  g_assert_cmpuint (kiosk_form_page_get_step (form_page), ==, 2);
  activate (f, "kiosk.next", NULL);
  g_assert_cmpstr (kiosk_window_get_page_name (f->window), ==, "review");
}

/* Waits on conditions: the print status of a done page, a step of the
 * form page. */
typedef struct
{
  KioskDonePage *done;
  const char    *contains;
} PrintWait;

static gboolean
print_status_contains (gpointer data)
{
  PrintWait *wait = data;
  const char *status = kiosk_done_page_get_print_status (wait->done);

  return status != NULL && strstr (status, wait->contains) != NULL;
}

static void
wait_for_print_status (KioskDonePage *done,
                       const char    *contains)
{
  PrintWait wait = { done, contains };

  g_assert_true (kiosk_gui_test_wait_for (print_status_contains, &wait));
}

static gboolean
form_left_step_1 (gpointer data)
{
  return kiosk_form_page_get_step (KIOSK_FORM_PAGE (data)) != 1;
}

typedef struct
{
  Fixture   *f;
  GtkWidget *row;
  GtkWidget *scroller;
} RowWait;

/* The keyboard is up and the page has scrolled the whole row into view. */
static gboolean
row_in_view (gpointer data)
{
  RowWait *wait = data;
  GtkAdjustment *adjustment = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (wait->scroller));
  graphene_rect_t bounds;

  return _kiosk_window_get_keyboard_shown (wait->f->window) &&
         gtk_widget_compute_bounds (wait->row, wait->scroller, &bounds) && bounds.origin.y >= 0 &&
         bounds.origin.y + bounds.size.height <= gtk_widget_get_height (wait->scroller) &&
         gtk_adjustment_get_value (adjustment) > 0;
}

/* The field being typed into stays in sight above the on-screen keyboard,
 * label included: it used to scroll only as far as the input, leaving the
 * label behind the keyboard or above the top. */
static void
test_field_above_keyboard (Fixture       *f,
                           gconstpointer  data)
{
  KioskFormPage *form_page;
  GtkWidget *entry;
  GtkWidget *row;
  GtkWidget *scroller;
  GtkWidget *label;
  GtkAdjustment *adjustment;
  graphene_rect_t bounds;
  g_autoptr(GtkCssProvider) css = gtk_css_provider_new ();

  /* Sizes as on the kiosk: the application loads its style sheet, the
   * tests do not. */
  gtk_css_provider_load_from_resource (css, "/de/hildesheim/Stadtkiosk/style.css");
  gtk_style_context_add_provider_for_display (gtk_widget_get_display (GTK_WIDGET (f->window)), GTK_STYLE_PROVIDER (css),
                                              GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);

  /* The kiosk starts with its keyboard hidden and without keys: its first
   * frame does not wait for them (#18). */
  g_assert_cmpuint (kiosk_gui_test_count_keys (GTK_WIDGET (_kiosk_window_get_keyboard (f->window))), ==, 0);

  activate (f, "kiosk.start", NULL);
  activate (f, "kiosk.open-service", g_variant_new_string ("report-problem"));
  activate (f, "kiosk.begin-form", NULL);
  g_assert_cmpstr (kiosk_window_get_page_name (f->window), ==, "form");
  form_page = KIOSK_FORM_PAGE (page (f));
  kiosk_gui_test_settle (GTK_WIDGET (f->window));

  /* A text entry below five choices, shown by one of them. */
  gtk_check_button_set_active (find_option (page (f), "street-light"), TRUE);
  kiosk_gui_test_settle (GTK_WIDGET (f->window));
  entry = kiosk_form_page_get_input (form_page, "lamp-number");
  g_assert_true (gtk_widget_is_visible (entry));
  row = entry;
  while (row != NULL && !gtk_widget_has_css_class (row, "kiosk-field"))
    row = gtk_widget_get_parent (row);
  g_assert_nonnull (row);
  label = kiosk_gui_test_first_label (row);
  g_assert_nonnull (label);
  g_assert_nonnull (strstr (gtk_label_get_text (GTK_LABEL (label)), "Nummer am Laternenmast"));
  scroller = gtk_widget_get_ancestor (row, GTK_TYPE_SCROLLED_WINDOW);
  adjustment = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scroller));
  g_assert_cmpfloat (gtk_adjustment_get_value (adjustment), ==, 0);

  gtk_widget_grab_focus (entry);
  /* Until the keyboard is up and the page has scrolled; the checks below
   * then decide. */
  {
    RowWait wait = { f, row, scroller };

    kiosk_gui_test_wait_for (row_in_view, &wait);
  }
  kiosk_gui_test_settle (GTK_WIDGET (f->window));   /* and it stays so */
  g_assert_true (_kiosk_window_get_keyboard_shown (f->window));
  g_assert_cmpuint (kiosk_gui_test_count_keys (GTK_WIDGET (_kiosk_window_get_keyboard (f->window))), >, 10);

  g_assert_true (gtk_widget_compute_bounds (row, scroller, &bounds));
  g_test_message ("field at %.0f..%.0f in a view of %d, scrolled by %.0f of %.0f",
                  bounds.origin.y, bounds.origin.y + bounds.size.height, gtk_widget_get_height (scroller),
                  gtk_adjustment_get_value (adjustment), gtk_adjustment_get_upper (adjustment));
  g_assert_cmpfloat (bounds.origin.y, >=, 0);
  g_assert_cmpfloat (bounds.origin.y + bounds.size.height, <=, gtk_widget_get_height (scroller));
  g_assert_true (gtk_widget_compute_bounds (label, scroller, &bounds));
  g_assert_cmpfloat (bounds.origin.y, >=, 0);
  /* It had to scroll for that, or the test would prove nothing. */
  g_assert_cmpfloat (gtk_adjustment_get_value (adjustment), >, 0);

  gtk_style_context_remove_provider_for_display (gtk_widget_get_display (GTK_WIDGET (f->window)), GTK_STYLE_PROVIDER (css));
}

static void
test_walk (Fixture       *f,
           gconstpointer  data)
{
  KioskFormPage *form_page;
  KioskCatalogPage *catalog_page;
  GtkWidget *location;
  KioskRequest *request;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) stored = NULL;
  g_autoptr(GPtrArray) due = NULL;
  g_autoptr(KioskRequest) delivered = NULL;
  g_autofree char *answers = NULL;
  g_autofree char *saved_text = NULL;

  g_assert_cmpstr (kiosk_window_get_page_name (f->window), ==, "welcome");

  activate (f, "kiosk.start", NULL);
  g_assert_cmpstr (kiosk_window_get_page_name (f->window), ==, "catalog");
  catalog_page = KIOSK_CATALOG_PAGE (page (f));
  g_assert_cmpuint (kiosk_catalog_page_get_n_tiles (catalog_page), >=, 5);

  /* Search, typed on the on-screen keyboard into the focused search entry. */
  gtk_widget_grab_focus (kiosk_catalog_page_get_search_entry (catalog_page));
  flush ();
  g_assert_true (_kiosk_window_get_keyboard_shown (f->window));
  type_keys (f, "l a t e r n e");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (kiosk_catalog_page_get_search_entry (catalog_page))), ==, "laterne");
  kiosk_catalog_page_set_query (catalog_page, "laterne");
  g_assert_cmpuint (kiosk_catalog_page_get_n_tiles (catalog_page), ==, 1);

  activate (f, "kiosk.open-service", g_variant_new_string ("report-problem"));
  g_assert_cmpstr (kiosk_window_get_page_name (f->window), ==, "service");
  activate (f, "kiosk.begin-form", NULL);
  g_assert_cmpstr (kiosk_window_get_page_name (f->window), ==, "form");
  form_page = KIOSK_FORM_PAGE (page (f));
  g_assert_cmpuint (kiosk_form_page_get_step (form_page), ==, 0);

  /* Next with nothing filled in: the step stays, with messages at the fields. */
  activate (f, "kiosk.next", NULL);
  g_assert_cmpstr (kiosk_window_get_page_name (f->window), ==, "form");
  g_assert_cmpuint (kiosk_form_page_get_step (form_page), ==, 0);
  g_assert_nonnull (kiosk_form_page_get_error (form_page, "kind"));
  g_assert_nonnull (kiosk_form_page_get_error (form_page, "description"));

  /* Answering makes a message go away at once. */
  gtk_check_button_set_active (find_option (page (f), "pothole"), TRUE);
  flush ();
  g_assert_null (kiosk_form_page_get_error (form_page, "kind"));
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (GTK_TEXT_VIEW (kiosk_form_page_get_input (form_page, "description"))),
                            "Tiefes Schlagloch vor der Einfahrt", -1);
  flush ();
  g_assert_null (kiosk_form_page_get_error (form_page, "description"));
  activate (f, "kiosk.next", NULL);
  g_assert_cmpuint (kiosk_form_page_get_step (form_page), ==, 1);
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (find_label (page (f), "Schritt 2 von 3"))), ==, "Schritt 2 von 3");

  /* The location typed with the on-screen keyboard, shift and umlaut included. */
  location = kiosk_form_page_get_input (form_page, "location");
  gtk_widget_grab_focus (location);
  flush ();
  g_assert_true (_kiosk_window_get_keyboard_shown (f->window));
  g_assert_cmpint (kiosk_keyboard_get_layout (_kiosk_window_get_keyboard (f->window)), ==, KIOSK_KEYBOARD_QWERTZ);
  type_keys (f, "SHIFT a l m s s t r a ß e SPACE 1 5 5 BACKSPACE");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (location)), ==, "Almsstraße 15");
  g_assert_true (gtk_widget_has_focus (location) || gtk_widget_is_ancestor (gtk_root_get_focus (GTK_ROOT (f->window)), location));
  /* Enter in the field goes to the next step, as with a physical keyboard. */
  g_signal_emit_by_name (gtk_root_get_focus (GTK_ROOT (f->window)), "activate");
  /* The default button clicks after its press animation. */
  kiosk_gui_test_wait_for (form_left_step_1, form_page);
  g_assert_cmpuint (kiosk_form_page_get_step (form_page), ==, 2);
  activate (f, "kiosk.next", NULL);
  g_assert_cmpstr (kiosk_window_get_page_name (f->window), ==, "review");
  g_assert_nonnull (find_label (page (f), "Almsstraße 15"));
  g_assert_nonnull (find_label (page (f), "Schlagloch oder Gehwegschaden"));

  /* "Change" goes back to the step, and forward again to the review. */
  activate (f, "kiosk.edit-step", g_variant_new_uint32 (1));
  g_assert_cmpstr (kiosk_window_get_page_name (f->window), ==, "form");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (kiosk_form_page_get_input (form_page, "location"))), ==, "Almsstraße 15");
  activate (f, "kiosk.next", NULL);
  activate (f, "kiosk.next", NULL);
  g_assert_cmpstr (kiosk_window_get_page_name (f->window), ==, "review");

  g_assert_cmpuint (count_requests (f), ==, 0);
  activate (f, "kiosk.send", NULL);
  g_assert_cmpstr (kiosk_window_get_page_name (f->window), ==, "done");

  stored = kiosk_outbox_list (kiosk_context_get_outbox (f->context), -1, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (stored->len, ==, 1);
  request = g_ptr_array_index (stored, 0);
  g_assert_cmpstr (kiosk_request_get_service_id (request), ==, "report-problem");
  g_assert_cmpint (kiosk_request_get_state (request), ==, KIOSK_REQUEST_QUEUED);
  g_assert_cmpstr (kiosk_request_get_locale (request), ==, "de");
  answers = g_strndup (g_bytes_get_data (kiosk_request_get_answers (request), NULL),
                       g_bytes_get_size (kiosk_request_get_answers (request)));
  g_assert_nonnull (strstr (answers, "\"location\":\"Almsstraße 15\""));
  g_assert_nonnull (strstr (answers, "\"kind\":\"pothole\""));

  g_assert_cmpstr (kiosk_done_page_get_code (KIOSK_DONE_PAGE (page (f))), ==, kiosk_request_get_short_code (request));
  g_assert_nonnull (kiosk_done_page_get_qr_text (KIOSK_DONE_PAGE (page (f))));
  saved_text = g_strdup (kiosk_done_page_get_state_text (KIOSK_DONE_PAGE (page (f))));
  g_assert_nonnull (strstr (saved_text, "Gespeichert"));

  /* Delivered in the background: the done page follows live. */
  due = kiosk_outbox_claim_due (kiosk_context_get_outbox (f->context), 10, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (due->len, ==, 1);
  delivered = kiosk_outbox_mark_delivered (kiosk_context_get_outbox (f->context),
                                           kiosk_request_get_id (request), "CITY-1", &error);
  g_assert_no_error (error);
  flush ();
  g_assert_cmpstr (kiosk_done_page_get_state_text (KIOSK_DONE_PAGE (page (f))), ==, "An die Stadt gesendet.");

  activate (f, "kiosk.start-over", NULL);
  g_assert_cmpstr (kiosk_window_get_page_name (f->window), ==, "welcome");
  g_assert_null (_kiosk_window_get_form (f->window));
  g_assert_null (_kiosk_window_get_request (f->window));
}

static guint
count_files (const char *dir,
             const char *suffix)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;
  guint n = 0;

  while (d != NULL && (name = g_dir_read_name (d)) != NULL)
    n += g_str_has_suffix (name, suffix);
  return n;
}

static void
test_printing (Fixture       *f,
               gconstpointer  data)
{
  KioskDonePage *done;
  const char *status;

  walk_to_review (f);
  activate (f, "kiosk.send", NULL);
  done = KIOSK_DONE_PAGE (page (f));
  /* The sealed payload, in digits, is what the QR code on screen carries. */
  g_assert_cmpuint (strspn (kiosk_done_page_get_qr_text (done), "0123456789"), ==,
                    strlen (kiosk_done_page_get_qr_text (done)));
  g_assert_cmpuint (strlen (kiosk_done_page_get_qr_text (done)), >, 50);

  wait_for_print_status (done, "Bitte nehmen Sie Ihren Beleg aus dem Drucker.");
  status = kiosk_done_page_get_print_status (done);
  g_assert_cmpstr (status, ==, "Bitte nehmen Sie Ihren Beleg aus dem Drucker.");
  g_assert_cmpuint (count_files (f->state_dir, ".pdf"), ==, 1);
  g_assert_cmpuint (count_requests (f), ==, 1);
}

/* The first PDF in @dir as text, or NULL without pdftotext. */
static char *
first_pdf_text (const char *dir)
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
  g_assert_nonnull (path);
  if (pdftotext == NULL)
    return NULL;
  g_assert_true (g_spawn_sync (NULL, (char *[]) { pdftotext, (char *) "-q", path, (char *) "-", NULL }, NULL,
                               G_SPAWN_DEFAULT, NULL, NULL, &out, NULL, &status, NULL));
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  return out;
}

/* A `print` service's done page prints the filled-in form for the
 * office: the answers under their labels, in the citizen's language. */
static void
test_print_form (Fixture       *f,
                 gconstpointer  data)
{
  static const char * const values[][2] = {
    { "name", "\"Erika Mustermann\"" },
    { "birth-date", "\"1970-01-31\"" },
    { "address", "{\"street\":\"Almsstraße\",\"house_number\":\"12\",\"postal_code\":\"31134\",\"city\":\"Hildesheim\"}" },
  };
  KioskDonePage *done;
  KioskForm *form;
  g_autofree char *text = NULL;

  activate (f, "kiosk.start", NULL);
  activate (f, "kiosk.open-service", g_variant_new_string ("residence-certificate"));
  activate (f, "kiosk.begin-form", NULL);
  g_assert_cmpstr (kiosk_window_get_page_name (f->window), ==, "form");
  form = _kiosk_window_get_form (f->window);
  for (guint i = 0; i < G_N_ELEMENTS (values); i++)
    {
      g_autoptr(JsonNode) node = json_from_string (values[i][1], NULL);

      g_assert_nonnull (node);
      kiosk_form_set_value (form, values[i][0], node);
    }
  activate (f, "kiosk.send", NULL);
  g_assert_cmpstr (kiosk_window_get_page_name (f->window), ==, "done");
  done = KIOSK_DONE_PAGE (page (f));
  g_assert_false (gtk_widget_get_visible (kiosk_done_page_get_print_button (done)));

  wait_for_print_status (done, "Bitte nehmen Sie Ihren Beleg aus dem Drucker.");
  g_assert_cmpstr (kiosk_done_page_get_print_status (done), ==, "Bitte nehmen Sie Ihren Beleg aus dem Drucker.");
  g_assert_cmpuint (count_files (f->state_dir, ".pdf"), ==, 1);
  g_assert_cmpuint (count_requests (f), ==, 1);

  text = first_pdf_text (f->state_dir);
  if (text == NULL)
    {
      g_test_skip ("pdftotext is not installed (Debian package poppler-utils)");
      return;
    }
  g_assert_nonnull (strstr (text, "Antrag – bitte ins Bürgeramt mitbringen"));
  g_assert_nonnull (strstr (text, "Vor- und Nachname"));
  g_assert_nonnull (strstr (text, "Erika Mustermann"));
  g_assert_nonnull (strstr (text, "31.01.1970"));
  g_assert_nonnull (strstr (text, "Almsstraße 12, 31134 Hildesheim"));
  g_assert_nonnull (strstr (text, "Datum, Unterschrift"));
  g_assert_nonnull (strstr (text, "Personalausweises"));
  g_assert_nonnull (strstr (text, kiosk_done_page_get_code (done)));
}

static gboolean
button_is_touch_sized (gpointer data)
{
  int min_height = 0;

  gtk_widget_measure (GTK_WIDGET (data), GTK_ORIENTATION_VERTICAL, -1, &min_height, NULL, NULL, NULL);
  return min_height >= 48;
}

/* A refer service's end page prints the web address on a tap of "Print
 * this": one slip for a double tap, nothing stored. */
static void
test_refer_print (Fixture       *f,
                  gconstpointer  data)
{
  KioskDonePage *done;
  GtkWidget *button;
  g_autofree char *text = NULL;

  activate (f, "kiosk.start", NULL);
  activate (f, "kiosk.open-service", g_variant_new_string ("resident-parking"));
  activate (f, "kiosk.begin-form", NULL);
  g_assert_cmpstr (kiosk_window_get_page_name (f->window), ==, "done");
  done = KIOSK_DONE_PAGE (page (f));
  button = kiosk_done_page_get_print_button (done);
  g_assert_true (gtk_widget_get_visible (button));
  g_assert_cmpstr (gtk_actionable_get_action_name (GTK_ACTIONABLE (button)), ==, "kiosk.print-refer");
  {
    /* The kiosk's style sheet (the application loads it; the tests do
     * not) makes it a large touch target. */
    g_autoptr(GtkCssProvider) css = gtk_css_provider_new ();
    int min_height = 0;

    gtk_css_provider_load_from_resource (css, "/de/hildesheim/Stadtkiosk/style.css");
    gtk_style_context_add_provider_for_display (gtk_widget_get_display (button), GTK_STYLE_PROVIDER (css),
                                                GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
    /* GTK restyles on the next frame: measuring at once sometimes saw the
     * old style (34 px) under load. Wait for it, then measure. */
    kiosk_gui_test_wait_for (button_is_touch_sized, button);
    gtk_widget_measure (button, GTK_ORIENTATION_VERTICAL, -1, &min_height, NULL, NULL, NULL);
    g_assert_cmpint (min_height, >=, 48);
    gtk_style_context_remove_provider_for_display (gtk_widget_get_display (button), GTK_STYLE_PROVIDER (css));
  }
  g_assert_null (kiosk_done_page_get_print_status (done));

  g_signal_emit_by_name (button, "clicked");
  g_signal_emit_by_name (button, "clicked");
  g_assert_cmpstr (kiosk_done_page_get_print_status (done), ==, "Wird gedruckt …");
  wait_for_print_status (done, "Bitte nehmen Sie den Zettel aus dem Drucker.");
  g_assert_cmpstr (kiosk_done_page_get_print_status (done), ==, "Bitte nehmen Sie den Zettel aus dem Drucker.");
  flush ();
  g_assert_cmpuint (count_files (f->state_dir, ".pdf"), ==, 1);
  g_assert_cmpuint (count_requests (f), ==, 0);

  text = first_pdf_text (f->state_dir);
  if (text != NULL)
    {
      g_assert_nonnull (strstr (text, "https://www.hildesheim.de"));
      g_assert_nonnull (strstr (text, "Bewohnerparkausweis"));
      g_assert_nonnull (strstr (text, "Markt 1"));
    }
  else
    g_test_skip ("pdftotext is not installed (Debian package poppler-utils): "
                 "the printed slip's text was not checked");

  /* Another service opened in the same session starts without the
   * message (the done page widget is the same one). */
  activate (f, "kiosk.open-service", g_variant_new_string ("resident-parking"));
  activate (f, "kiosk.begin-form", NULL);
  g_assert_true (KIOSK_DONE_PAGE (page (f)) == done);
  g_assert_null (kiosk_done_page_get_print_status (done));

  /* The next person's done page has no trace of it, and a request's done
   * page has no "Print this". */
  activate (f, "kiosk.start-over", NULL);
  walk_to_review (f);
  activate (f, "kiosk.send", NULL);
  done = KIOSK_DONE_PAGE (page (f));
  g_assert_false (gtk_widget_get_visible (kiosk_done_page_get_print_button (done)));
  gtk_widget_activate_action (GTK_WIDGET (f->window), "kiosk.print-refer", NULL);
  flush ();
  g_assert_cmpstr (kiosk_done_page_get_print_status (done), !=, "Wird gedruckt …");
}

#define KEEP_THE_RECEIPT "Bewahren Sie den Beleg auf. Mit dem Code findet die Stadt Ihr Anliegen; " \
                         "der QR-Code darauf ist eine Kopie Ihres Anliegens."

/* Without a receipt the page does not ask to keep one, and "write down
 * your code" is on screen at 1280×800 without scrolling.  Before, it stood
 * last, cut off by the action bar, under "Keep the receipt" (found on the
 * walk of the status page, h16c). */
static void
assert_no_paper_message_seen (KioskDonePage *done)
{
  GtkWidget *message = kiosk_gui_test_find_label (GTK_WIDGET (done), kiosk_done_page_get_print_status (done));
  GtkWidget *keep = kiosk_gui_test_find_label (GTK_WIDGET (done), KEEP_THE_RECEIPT);
  GtkWidget *scroller;
  graphene_rect_t bounds;

  g_assert_nonnull (message);
  g_assert_true (keep == NULL || !gtk_widget_get_visible (keep));
  scroller = gtk_widget_get_ancestor (message, GTK_TYPE_SCROLLED_WINDOW);
  g_assert_nonnull (scroller);
  g_assert_cmpfloat (gtk_adjustment_get_value (gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scroller))), ==, 0);
  g_assert_true (gtk_widget_compute_bounds (message, scroller, &bounds));
  g_test_message ("printer message: y %.0f to %.0f, viewport 0 to %d", bounds.origin.y,
                  bounds.origin.y + bounds.size.height, gtk_widget_get_height (scroller));
  g_assert_cmpfloat (bounds.origin.y, >=, 0);
  g_assert_cmpfloat (bounds.origin.y + bounds.size.height, <=, gtk_widget_get_height (scroller));
}

static void
test_no_printer (Fixture       *f,
                 gconstpointer  data)
{
  KioskDonePage *done;

  walk_to_review (f);
  activate (f, "kiosk.send", NULL);
  done = KIOSK_DONE_PAGE (page (f));
  wait_for_print_status (done, "keinen Drucker");
  g_assert_cmpstr (kiosk_done_page_get_print_status (done), ==,
                   "Dieser Kiosk hat keinen Drucker. Bitte notieren Sie sich Ihren Code oder fotografieren Sie den QR-Code.");
  kiosk_gui_test_settle (GTK_WIDGET (f->window));
  assert_no_paper_message_seen (done);
}

static void
test_printer_failure (Fixture       *f,
                      gconstpointer  data)
{
  KioskDonePage *done;

  walk_to_review (f);
  activate (f, "kiosk.send", NULL);
  done = KIOSK_DONE_PAGE (page (f));

  wait_for_print_status (done, "funktioniert");
  /* A calm message, the code still on screen, the request kept, and the
   * failure on record for the clerk's alerts. */
  g_assert_nonnull (strstr (kiosk_done_page_get_print_status (done), "gespeichert"));
  g_assert_cmpstr (kiosk_done_page_get_code (done), !=, "");
  g_assert_cmpuint (count_requests (f), ==, 1);
  g_assert_cmpuint (kiosk_audit_count_since (kiosk_context_get_store (f->context), "print failed", 0, NULL, NULL),
                    ==, 1);
  kiosk_gui_test_settle (GTK_WIDGET (f->window));
  assert_no_paper_message_seen (done);
}

static void
test_double_tap (Fixture       *f,
                 gconstpointer  data)
{
  GtkWidget *send;

  walk_to_review (f);
  send = kiosk_review_page_get_send_button (KIOSK_REVIEW_PAGE (page (f)));

  /* Three taps in a row, before the main loop runs, and more after. */
  g_signal_emit_by_name (send, "clicked");
  g_signal_emit_by_name (send, "clicked");
  gtk_widget_activate_action (GTK_WIDGET (f->window), "kiosk.send", NULL);
  flush ();
  g_signal_emit_by_name (send, "clicked");
  activate (f, "kiosk.send", NULL);

  g_assert_cmpstr (kiosk_window_get_page_name (f->window), ==, "done");
  g_assert_cmpuint (count_requests (f), ==, 1);

  /* Going back from the done page cannot reopen the sent form either. */
  activate (f, "kiosk.edit-step", g_variant_new_uint32 (0));
  g_assert_cmpstr (kiosk_window_get_page_name (f->window), ==, "done");
  activate (f, "kiosk.send", NULL);
  g_assert_cmpuint (count_requests (f), ==, 1);
}

static void
test_conditional (Fixture       *f,
                  gconstpointer  data)
{
  KioskFormPage *form_page;
  GtkWidget *lamp;

  activate (f, "kiosk.start", NULL);
  activate (f, "kiosk.open-service", g_variant_new_string ("report-problem"));
  activate (f, "kiosk.begin-form", NULL);
  form_page = KIOSK_FORM_PAGE (page (f));

  lamp = kiosk_form_page_get_field_row (form_page, "lamp-number");
  g_assert_nonnull (lamp);
  /* Hidden by its condition; its space is kept (#16 item 4). */
  g_assert_false (kiosk_form_page_is_field_shown (form_page, "lamp-number"));

  gtk_check_button_set_active (find_option (page (f), "street-light"), TRUE);
  flush ();
  g_assert_true (kiosk_form_page_is_field_shown (form_page, "lamp-number"));
  g_assert_true (kiosk_form_is_visible (_kiosk_window_get_form (f->window), "lamp-number"));
  gtk_editable_set_text (GTK_EDITABLE (kiosk_form_page_get_input (form_page, "lamp-number")), "L-1234");

  gtk_check_button_set_active (find_option (page (f), "graffiti"), TRUE);
  flush ();
  g_assert_false (kiosk_form_page_is_field_shown (form_page, "lamp-number"));

  /* A hidden field is not sent, even though it was filled in. */
  {
    g_autoptr(GBytes) json = kiosk_form_to_json (_kiosk_window_get_form (f->window));
    g_autofree char *text = g_strndup (g_bytes_get_data (json, NULL), g_bytes_get_size (json));

    g_assert_null (strstr (text, "L-1234"));
  }

  /* The e-mail field of the last step appears with "yes, feedback". */
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (GTK_TEXT_VIEW (kiosk_form_page_get_input (form_page, "description"))),
                            "Graffiti an der Brücke", -1);
  activate (f, "kiosk.next", NULL);
  gtk_editable_set_text (GTK_EDITABLE (kiosk_form_page_get_input (form_page, "location")), "Innerstebrücke");
  activate (f, "kiosk.next", NULL);
  g_assert_false (kiosk_form_page_is_field_shown (form_page, "email"));
  gtk_check_button_set_active (find_option (page (f), "true"), TRUE);
  flush ();
  g_assert_true (kiosk_form_page_is_field_shown (form_page, "email"));
  activate (f, "kiosk.next", NULL);
  g_assert_cmpstr (kiosk_window_get_page_name (f->window), ==, "form");
  g_assert_nonnull (kiosk_form_page_get_error (form_page, "email"));

  /* The e-mail keyboard has the @ and .de keys. */
  gtk_widget_grab_focus (kiosk_form_page_get_input (form_page, "email"));
  flush ();
  g_assert_cmpint (kiosk_keyboard_get_layout (_kiosk_window_get_keyboard (f->window)), ==, KIOSK_KEYBOARD_EMAIL);
  type_keys (f, "a @ b .de");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (kiosk_form_page_get_input (form_page, "email"))), ==, "a@b.de");
  g_assert_null (kiosk_form_page_get_error (form_page, "email"));
  activate (f, "kiosk.next", NULL);
  g_assert_cmpstr (kiosk_window_get_page_name (f->window), ==, "review");
}

static void
clipboard_read_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  char **out = user_data;
  g_autoptr(GError) error = NULL;

  *out = gdk_clipboard_read_text_finish (GDK_CLIPBOARD (source), result, &error);
  if (*out == NULL)
    *out = g_strdup ("");
}

static void
test_idle_wipe (Fixture       *f,
                gconstpointer  data)
{
  KioskIdle *idle = _kiosk_window_get_idle (f->window);
  GtkWidget *description;
  GtkWidget *old_page;
  GdkClipboard *clipboard;
  g_autofree char *clip = NULL;

  walk_to_review (f);
  activate (f, "kiosk.edit-step", g_variant_new_uint32 (0));
  old_page = page (f);
  g_object_add_weak_pointer (G_OBJECT (old_page), (gpointer *) &old_page);
  description = kiosk_form_page_get_input (KIOSK_FORM_PAGE (old_page), "description");
  /* The answer is on screen before the wipe, in its text view and on the
   * review page: the checks after the wipe can see it if it stays. */
  g_assert_true (kiosk_gui_test_find_text (old_page, "Sperrmüll neben dem Spielplatz") == description);
  g_assert_nonnull (find_label (GTK_WIDGET (f->window), "Sperrmüll neben dem Spielplatz"));
  clipboard = gtk_widget_get_clipboard (GTK_WIDGET (f->window));
  gdk_clipboard_set_text (clipboard, "Sperrmüll neben dem Spielplatz");
  g_object_set (f->window, "large-text", TRUE, NULL);

  /* 90 s without input: nothing yet; then the warning with a countdown. */
  kiosk_idle_poke (idle);
  kiosk_clock_advance (f->clock, 89 * G_USEC_PER_SEC);
  flush ();
  g_assert_false (kiosk_idle_get_warning (idle));
  kiosk_clock_advance (f->clock, 2 * G_USEC_PER_SEC);
  flush ();
  g_assert_true (kiosk_idle_get_warning (idle));
  g_assert_cmpuint (kiosk_idle_get_remaining (idle), <=, 30);
  g_assert_cmpuint (kiosk_idle_get_remaining (idle), >, 25);
  g_assert_nonnull (find_label (GTK_WIDGET (f->window), "Sind Sie noch da?"));
  g_assert_true (gtk_widget_get_visible (gtk_widget_get_parent (gtk_widget_get_parent (find_label (GTK_WIDGET (f->window), "Sind Sie noch da?")))));

  /* "I need more time" keeps everything. */
  activate (f, "kiosk.more-time", NULL);
  g_assert_false (kiosk_idle_get_warning (idle));
  kiosk_clock_advance (f->clock, 100 * G_USEC_PER_SEC);
  flush ();
  g_assert_true (kiosk_idle_get_warning (idle));
  g_assert_cmpstr (kiosk_window_get_page_name (f->window), ==, "form");
  g_assert_nonnull (old_page);

  /* Then nobody: the session is wiped. */
  kiosk_clock_advance (f->clock, 31 * G_USEC_PER_SEC);
  flush ();
  g_assert_false (kiosk_idle_get_warning (idle));
  g_assert_false (kiosk_idle_get_running (idle));
  g_assert_cmpstr (kiosk_window_get_page_name (f->window), ==, "welcome");
  g_assert_null (_kiosk_window_get_form (f->window));
  g_assert_null (old_page);   /* the page with the answers is gone, not hidden */
  g_assert_null (find_label (GTK_WIDGET (f->window), "Sperrmüll neben dem Spielplatz"));
  g_assert_null (kiosk_gui_test_find_text (GTK_WIDGET (f->window), "Sperrmüll neben dem Spielplatz"));
  g_assert_false (_kiosk_window_get_keyboard_shown (f->window));
  g_assert_false (gtk_widget_has_css_class (GTK_WIDGET (f->window), "kiosk-large-text"));

  gdk_clipboard_read_text_async (clipboard, NULL, clipboard_read_cb, &clip);
  while (clip == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpstr (clip, ==, "");

  /* The next person starts on an empty form. */
  activate (f, "kiosk.start", NULL);
  activate (f, "kiosk.open-service", g_variant_new_string ("report-problem"));
  activate (f, "kiosk.begin-form", NULL);
  g_assert_null (kiosk_form_get_value (_kiosk_window_get_form (f->window), "description"));
  g_assert_cmpuint (count_requests (f), ==, 0);
}

static void
test_language (Fixture       *f,
               gconstpointer  data)
{
  KioskCatalogPage *catalog_page;

  g_assert_cmpstr (kiosk_window_get_language (f->window), ==, "de");
  g_assert_nonnull (find_label (page (f), "Tippen Sie hier, um zu beginnen"));

  activate (f, "kiosk.language", g_variant_new_string ("en"));
  g_assert_cmpstr (kiosk_window_get_language (f->window), ==, "en");
  g_assert_nonnull (find_label (page (f), "Tap to start"));
  g_assert_null (find_label (page (f), "Tippen Sie hier, um zu beginnen"));
  g_assert_nonnull (find_label (GTK_WIDGET (f->window), "High contrast"));

  /* The catalogue's own texts follow the session language too. */
  activate (f, "kiosk.start", NULL);
  catalog_page = KIOSK_CATALOG_PAGE (page (f));
  g_assert_nonnull (find_label (GTK_WIDGET (catalog_page), "Report a problem in public space"));
  g_assert_nonnull (find_label (GTK_WIDGET (catalog_page), "What would you like to do?"));
  /* An English session types on QWERTY. */
  gtk_widget_grab_focus (kiosk_catalog_page_get_search_entry (catalog_page));
  flush ();
  g_assert_cmpint (kiosk_keyboard_get_layout (_kiosk_window_get_keyboard (f->window)), ==, KIOSK_KEYBOARD_QWERTY);

  /* The next person gets the kiosk's first language back. */
  activate (f, "kiosk.start-over", NULL);
  g_assert_cmpstr (kiosk_window_get_language (f->window), ==, "de");
  g_assert_nonnull (find_label (page (f), "Tippen Sie hier, um zu beginnen"));
  g_assert_nonnull (find_label (GTK_WIDGET (f->window), "Hoher Kontrast"));

  /* A language the kiosk does not offer is refused. */
  activate (f, "kiosk.language", g_variant_new_string ("xx"));
  g_assert_cmpstr (kiosk_window_get_language (f->window), ==, "de");
}

static void
test_rtl (Fixture       *f,
          gconstpointer  data)
{
  KioskKeyboard *keyboard = _kiosk_window_get_keyboard (f->window);

  g_assert_cmpint (gtk_widget_get_default_direction (), ==, GTK_TEXT_DIR_LTR);
  activate (f, "kiosk.language", g_variant_new_string ("ar"));
  g_assert_cmpint (gtk_widget_get_default_direction (), ==, GTK_TEXT_DIR_RTL);
  g_assert_cmpint (gtk_widget_get_direction (page (f)), ==, GTK_TEXT_DIR_RTL);
  /* The arrow keys point the way the cursor moves on screen. */
  g_assert_cmpstr (gtk_button_get_label (GTK_BUTTON (kiosk_keyboard_get_key (keyboard, "LEFT"))), ==, "→");

  activate (f, "kiosk.start-over", NULL);
  g_assert_cmpint (gtk_widget_get_default_direction (), ==, GTK_TEXT_DIR_LTR);
}

static void
test_keyboard (void)
{
  GtkWidget *window = gtk_window_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *entry = gtk_entry_new ();
  GtkWidget *keyboard = kiosk_keyboard_new ();

  gtk_box_append (GTK_BOX (box), entry);
  gtk_box_append (GTK_BOX (box), keyboard);
  gtk_window_set_child (GTK_WINDOW (window), box);
  gtk_window_present (GTK_WINDOW (window));
  flush ();

  /* Nothing focused: nothing typed. */
  gtk_window_set_focus (GTK_WINDOW (window), NULL);
  g_assert_false (kiosk_keyboard_press (KIOSK_KEYBOARD (keyboard), "a"));

  gtk_widget_grab_focus (entry);
  g_assert_true (kiosk_keyboard_press (KIOSK_KEYBOARD (keyboard), "SHIFT"));
  kiosk_keyboard_press (KIOSK_KEYBOARD (keyboard), "ü");
  kiosk_keyboard_press (KIOSK_KEYBOARD (keyboard), "b");
  kiosk_keyboard_press (KIOSK_KEYBOARD (keyboard), "e");
  kiosk_keyboard_press (KIOSK_KEYBOARD (keyboard), "LEFT");
  kiosk_keyboard_press (KIOSK_KEYBOARD (keyboard), "r");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (entry)), ==, "Übre");
  kiosk_keyboard_press (KIOSK_KEYBOARD (keyboard), "RIGHT");
  kiosk_keyboard_press (KIOSK_KEYBOARD (keyboard), "BACKSPACE");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (entry)), ==, "Übr");

  g_assert_cmpint (kiosk_keyboard_layout_for_purpose (GTK_INPUT_PURPOSE_PHONE, "de"), ==, KIOSK_KEYBOARD_PHONE);
  g_assert_cmpint (kiosk_keyboard_layout_for_purpose (GTK_INPUT_PURPOSE_NUMBER, "en"), ==, KIOSK_KEYBOARD_NUMERIC);
  g_assert_cmpint (kiosk_keyboard_layout_for_purpose (GTK_INPUT_PURPOSE_FREE_FORM, "en"), ==, KIOSK_KEYBOARD_QWERTY);
  kiosk_keyboard_set_layout (KIOSK_KEYBOARD (keyboard), KIOSK_KEYBOARD_PHONE);
  g_assert_nonnull (kiosk_keyboard_get_key (KIOSK_KEYBOARD (keyboard), "+"));
  g_assert_null (kiosk_keyboard_get_key (KIOSK_KEYBOARD (keyboard), "q"));
  /* Letters are one tap away from the number pads. */
  kiosk_keyboard_set_layout (KIOSK_KEYBOARD (keyboard), KIOSK_KEYBOARD_NUMERIC);
  g_assert_true (kiosk_keyboard_press (KIOSK_KEYBOARD (keyboard), "ABC"));
  g_assert_nonnull (kiosk_keyboard_get_key (KIOSK_KEYBOARD (keyboard), "q"));
  kiosk_keyboard_set_layout (KIOSK_KEYBOARD (keyboard), KIOSK_KEYBOARD_QWERTZ);
  g_assert_nonnull (kiosk_keyboard_get_key (KIOSK_KEYBOARD (keyboard), "ß"));
  g_assert_true (gtk_widget_has_focus (entry) ||
                 gtk_widget_is_ancestor (gtk_root_get_focus (GTK_ROOT (window)), entry));

  gtk_window_destroy (GTK_WINDOW (window));
}

/* A kiosk whose database cannot be opened does not invite anyone to fill in
 * a form: it says it is out of service and sends people to the counter. */
static void
test_out_of_service (void)
{
  GtkWidget *window;

  kiosk_use_language ("de");
  window = kiosk_out_of_service_window_new ("/var/lib/stadtkiosk/stadtkiosk.db is damaged");
  gtk_window_present (GTK_WINDOW (window));
  flush ();
  g_assert_true (find_mapped (window, ADW_TYPE_STATUS_PAGE));
  g_assert_false (find_mapped (window, KIOSK_TYPE_WELCOME_PAGE));
  g_assert_nonnull (find_label (window, "/var/lib/stadtkiosk/stadtkiosk.db is damaged"));
  g_assert_nonnull (find_label (window, "Dieser Kiosk ist außer Betrieb"));
  /* Nothing there starts a session. */
  g_assert_false (gtk_widget_activate_action (window, "kiosk.start", NULL));
  flush ();
  g_assert_false (find_mapped (window, KIOSK_TYPE_WELCOME_PAGE));
  gtk_window_destroy (GTK_WINDOW (window));
  flush ();
}

/* A public terminal cannot be closed from its screen and does not open the
 * GTK Inspector (Ctrl+Shift+I / Ctrl+Shift+D emit ::enable-debugging).
 * Negative control: a plain GtkWindow does open it here, so the test can
 * see an Inspector when there is one. */
static void
test_lockdown (Fixture       *f,
               gconstpointer  data)
{
  GListModel *toplevels = gtk_window_get_toplevels ();
  guint before;
  gboolean handled = FALSE;
  GtkWidget *plain;

  flush ();
  before = g_list_model_get_n_items (toplevels);

  gtk_window_close (GTK_WINDOW (f->window));
  flush ();
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (f->window)));

  g_signal_emit_by_name (f->window, "enable-debugging", TRUE, &handled);
  flush ();
  g_assert_cmpuint (g_list_model_get_n_items (toplevels), ==, before);

  plain = gtk_window_new ();
  gtk_window_present (GTK_WINDOW (plain));
  flush ();
  g_signal_emit_by_name (plain, "enable-debugging", TRUE, &handled);
  flush ();
  g_assert_cmpuint (g_list_model_get_n_items (toplevels), >, before + 1);

  /* The Inspector's windows stay until the process ends: GTK 4.8 warns
   * when they are destroyed ("GtkInspectorTreeData ... still has children"),
   * and this is the last test. */
}

/* A tile whose service cannot be opened (here: its form cannot be read
 * again from the stored row, which changed under the kiosk) says so on the
 * page instead of doing nothing, and the notice goes at the next search.
 * The control: the same tap before the damage opens the service. */
static void
test_service_unavailable (void)
{
  Fixture fx = { 0 }, *f = &fx;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) demo = kiosk_catalog_dup_demo_bytes ();
  GtkWidget *catalog_page;
  GtkWidget *notice;
  sqlite3 *db = NULL;

  fixture_make_context (f, NULL);
  /* Stored, so that its forms are read from the row when opened. */
  g_assert_true (kiosk_catalog_store_active (kiosk_context_get_store (f->context), demo, "test", NULL, &error));
  g_assert_no_error (error);
  fixture_open_window (f);

  activate (f, "kiosk.start", NULL);
  g_assert_cmpstr (kiosk_window_get_page_name (f->window), ==, "catalog");
  catalog_page = page (f);
  g_assert_false (kiosk_catalog_page_get_unavailable_shown (KIOSK_CATALOG_PAGE (catalog_page)));
  activate (f, "kiosk.open-service", g_variant_new_string ("library-card"));
  g_assert_cmpstr (kiosk_window_get_page_name (f->window), ==, "service");
  activate (f, "kiosk.show-catalog", NULL);
  g_assert_cmpstr (kiosk_window_get_page_name (f->window), ==, "catalog");

  g_assert_cmpint (sqlite3_open (kiosk_store_get_path (kiosk_context_get_store (f->context)), &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "UPDATE catalogs SET json = json || ' '", NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);

  g_test_expect_message ("kiosk-catalog", G_LOG_LEVEL_WARNING, "*stored catalogue *: it is * bytes long, but * were loaded*");
  activate (f, "kiosk.open-service", g_variant_new_string ("report-problem"));
  g_test_assert_expected_messages ();
  g_assert_cmpstr (kiosk_window_get_page_name (f->window), ==, "catalog");
  g_assert_true (kiosk_catalog_page_get_unavailable_shown (KIOSK_CATALOG_PAGE (catalog_page)));
  /* what a person reads (the tests run in German) */
  notice = find_label (catalog_page, "Dieser Dienst lässt sich hier gerade nicht öffnen. Bitte fragen Sie am Schalter.");
  g_assert_nonnull (notice);
  g_assert_true (gtk_widget_get_mapped (notice));

  kiosk_catalog_page_set_query (KIOSK_CATALOG_PAGE (catalog_page), "Ausweis");
  g_assert_false (kiosk_catalog_page_get_unavailable_shown (KIOSK_CATALOG_PAGE (catalog_page)));
  fixture_tear_down (f, NULL);
}

int
main (int    argc,
      char **argv)
{
  /* Our strings switch through LANGUAGE, which gettext ignores in the
   * plain C locale. */
  setlocale (LC_ALL, "C.UTF-8");
  g_setenv ("LANGUAGE", "de", TRUE);
  bindtextdomain (GETTEXT_PACKAGE, g_getenv ("STADTKIOSK_LOCALEDIR"));
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  kiosk_gui_test_init_display ();

  g_test_add_func ("/kiosk/gui/keyboard", test_keyboard);
  g_test_add ("/kiosk/gui/walk", Fixture, NULL, fixture_set_up, test_walk, fixture_tear_down);
  g_test_add ("/kiosk/gui/field-above-keyboard", Fixture, NULL, fixture_set_up, test_field_above_keyboard,
              fixture_tear_down);
  g_test_add ("/kiosk/gui/double-tap", Fixture, NULL, fixture_set_up, test_double_tap, fixture_tear_down);
  g_test_add ("/kiosk/gui/conditional", Fixture, NULL, fixture_set_up, test_conditional, fixture_tear_down);
  g_test_add ("/kiosk/gui/idle-wipe", Fixture, NULL, fixture_set_up, test_idle_wipe, fixture_tear_down);
  g_test_add ("/kiosk/gui/language", Fixture, NULL, fixture_set_up, test_language, fixture_tear_down);
  g_test_add ("/kiosk/gui/printing", Fixture, NULL, fixture_set_up_printing, test_printing, fixture_tear_down);
  g_test_add ("/kiosk/gui/print-form", Fixture, NULL, fixture_set_up_printing, test_print_form, fixture_tear_down);
  g_test_add ("/kiosk/gui/refer-print", Fixture, NULL, fixture_set_up_printing, test_refer_print, fixture_tear_down);
  g_test_add ("/kiosk/gui/printer-failure", Fixture, NULL, fixture_set_up_broken_printer, test_printer_failure, fixture_tear_down);
  g_test_add ("/kiosk/gui/no-printer", Fixture, NULL, fixture_set_up_no_printer, test_no_printer, fixture_tear_down);
  g_test_add ("/kiosk/gui/rtl", Fixture, NULL, fixture_set_up_rtl, test_rtl, fixture_tear_down);
  g_test_add_func ("/kiosk/gui/out-of-service", test_out_of_service);
  g_test_add_func ("/kiosk/gui/service-unavailable", test_service_unavailable);
  g_test_add ("/kiosk/gui/lockdown", Fixture, NULL, fixture_set_up, test_lockdown, fixture_tear_down);

  return g_test_run ();
}

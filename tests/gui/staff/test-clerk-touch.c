/* test-clerk-touch.c — the clerk's screen on a touch kiosk (#16, item 9)
 *
 * SPDX-FileCopyrightText: 2026 Stadtkiosk contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * In the kiosk window at 1280×800, as a clerk meets it after the PIN: the
 * on-screen keyboard fits with the scan field above it and has the Enter
 * key the field asks for; connection trouble in plain German; the city's
 * case number; services by their titles.
 */

#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>
#include <string.h>

#include "kiosk-clerk-page.h"
#include "kiosk-pin-pad.h"
#include "kiosk-staff-screen.h"
#include "kiosk-window-private.h"
#include "kiosk-gui-test-util.h"
#include "kiosk-test-util.h"

#define CLERK_PIN "482913"
#define T0 (G_GINT64_CONSTANT (1790000000) * G_USEC_PER_SEC)

typedef struct
{
  char             *dir;
  KioskClock       *clock;
  KioskContext     *context;
  KioskWindow      *window;
  KioskClerkPage   *page;
} Fixture;

#define flush kiosk_gui_test_flush

static KioskRequest *
enqueue (Fixture    *f,
         const char *service_id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) answers = g_bytes_new_static ("{\"name\":\"Erika Mustermann\"}", 27);
  KioskRequestDraft draft = {
    .service_id = service_id,
    .service_version = 1,
    .locale = "de",
    .answers = answers,
  };
  KioskRequest *request = kiosk_outbox_enqueue (kiosk_context_get_outbox (f->context), &draft, "test", &error);

  g_assert_no_error (error);
  return request;
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KioskConfig) config = NULL;
  g_autofree char *conf = NULL;
  g_autofree char *text = NULL;
  KioskStaffScreen *screen;
  KioskPinPad *pad;

  f->dir = g_dir_make_tmp ("stadtkiosk-clerk-touch-XXXXXX", &error);
  g_assert_no_error (error);
  conf = g_build_filename (f->dir, "kiosk.conf", NULL);
  text = g_strdup_printf ("[kiosk]\nid=bib-1\nstate-dir=%s\n[keys]\nmode=demo\n", f->dir);
  g_assert_true (g_file_set_contents (conf, text, -1, NULL));
  config = kiosk_config_new_from_file (conf, &error);
  g_assert_no_error (error);
  f->clock = kiosk_clock_new_fake (T0);
  f->context = kiosk_context_new (config, f->clock, &error);
  g_assert_no_error (error);
  g_assert_true (kiosk_pins_set (kiosk_context_get_pins (f->context), KIOSK_ROLE_CLERK, CLERK_PIN, &error));

  /* A queue long enough to fill the screen. */
  for (guint i = 0; i < 8; i++)
    g_object_unref (enqueue (f, i % 2 ? "bulky-waste" : "library-card"));

  f->window = kiosk_window_new_for_context (f->context);
  gtk_window_set_title (GTK_WINDOW (f->window), "stadtkiosk-clerk-touch-test");
  gtk_window_set_default_size (GTK_WINDOW (f->window), 1280, 800);
  gtk_window_present (GTK_WINDOW (f->window));
  flush ();
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "kiosk.staff", NULL));
  flush ();
  screen = KIOSK_STAFF_SCREEN (_kiosk_window_get_page (f->window));
  pad = KIOSK_PIN_PAD (kiosk_staff_screen_get_pin_pad (screen));
  for (const char *p = CLERK_PIN; *p != '\0'; p++)
    kiosk_pin_pad_press_digit (pad, *p);
  kiosk_pin_pad_submit (pad);
  while (kiosk_pin_pad_get_busy (pad))
    g_main_context_iteration (NULL, TRUE);
  flush ();
  g_assert_cmpstr (kiosk_staff_screen_get_visible (screen), ==, "queue");
  f->page = KIOSK_CLERK_PAGE (kiosk_staff_screen_get_clerk_page (screen));

}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  gtk_window_destroy (GTK_WINDOW (f->window));
  flush ();
  g_clear_object (&f->context);
  g_clear_object (&f->clock);
  kiosk_test_rm_rf (f->dir);
  g_free (f->dir);
}

static graphene_rect_t
bounds_in_window (Fixture   *f,
                  GtkWidget *widget)
{
  graphene_rect_t b;

  g_assert_true (gtk_widget_compute_bounds (widget, GTK_WIDGET (f->window), &b));
  return b;
}

static gboolean
keyboard_shown (gpointer data)
{
  Fixture *f = data;

  return _kiosk_window_get_keyboard_shown (f->window) &&
         gtk_widget_get_mapped (GTK_WIDGET (_kiosk_window_get_keyboard (f->window)));
}

/* The scan field says "… und Eingabe drücken": the keyboard that opens
 * under it fits on the screen, leaves the field in sight and has an Enter
 * key that looks the code up.  Before: no Enter key at all. */
static void
test_keyboard (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(KioskRequest) request = enqueue (f, "bulky-waste");
  KioskKeyboard *keyboard = _kiosk_window_get_keyboard (f->window);
  GtkWidget *entry = kiosk_clerk_page_get_scan_entry (f->page);
  GtkWidget *enter;
  graphene_rect_t kb, field, key;
  int height = gtk_widget_get_height (GTK_WIDGET (f->window));
  int width = gtk_widget_get_width (GTK_WIDGET (f->window));

  gtk_widget_grab_focus (entry);
  g_assert_true (kiosk_gui_test_wait_for (keyboard_shown, f));
  kiosk_gui_test_settle (GTK_WIDGET (f->window));

  kb = bounds_in_window (f, GTK_WIDGET (keyboard));
  field = bounds_in_window (f, entry);
  g_assert_cmpint (height, <=, 800);
  g_test_message ("window %d×%d; keyboard y %.0f–%.0f; scan field y %.0f–%.0f",
                  width, height, kb.origin.y, kb.origin.y + kb.size.height,
                  field.origin.y, field.origin.y + field.size.height);
  /* The keyboard is whole on the screen, the field above it. */
  g_assert_cmpfloat (kb.origin.y + kb.size.height, <=, height + 0.5);
  g_assert_cmpfloat (kb.origin.x, >=, -0.5);
  g_assert_cmpfloat (kb.origin.x + kb.size.width, <=, width + 0.5);
  g_assert_cmpfloat (field.origin.y, >=, 0);
  g_assert_cmpfloat (field.origin.y + field.size.height, <=, kb.origin.y);

  /* Enter, on screen, large enough to tap. */
  enter = kiosk_keyboard_get_key (keyboard, "ENTER");
  g_assert_nonnull (enter);
  key = bounds_in_window (f, enter);
  g_assert_cmpfloat (key.origin.x + key.size.width, <=, width + 0.5);
  g_assert_cmpfloat (key.origin.y + key.size.height, <=, height + 0.5);
  g_assert_cmpfloat (key.size.height, >=, 48);
  g_assert_cmpstr (gtk_button_get_label (GTK_BUTTON (enter)), ==, "Eingabe ↵");

  /* The code as a clerk types it, then Enter: found. */
  gtk_editable_set_text (GTK_EDITABLE (entry), kiosk_request_get_short_code (request));
  gtk_editable_set_position (GTK_EDITABLE (entry), -1);
  g_signal_emit_by_name (enter, "clicked");
  flush ();
  g_assert_nonnull (kiosk_clerk_page_get_scanned (f->page));
  g_assert_cmpstr (kiosk_request_get_id (kiosk_clerk_page_get_scanned (f->page)), ==, kiosk_request_get_id (request));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (entry)), ==, "");
}

static gboolean
any_label_contains (GtkWidget  *widget,
                    const char *text)
{
  if (GTK_IS_LABEL (widget) && gtk_widget_get_visible (widget) &&
      strstr (gtk_label_get_text (GTK_LABEL (widget)), text) != NULL)
    return TRUE;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL; child = gtk_widget_get_next_sibling (child))
    if (any_label_contains (child, text))
      return TRUE;
  return FALSE;
}

/* A request that could not be sent says why in plain German in its row,
 * not "(no answer from the city's server (timeout))"; the technical words
 * stay in the request's details.  Before: the English text in the row. */
static void
test_plain_errors (Fixture       *f,
                   gconstpointer  data)
{
  KioskOutbox *outbox = kiosk_context_get_outbox (f->context);
  g_autoptr(GPtrArray) claimed = kiosk_outbox_claim_due (outbox, 100, NULL);
  g_autoptr(KioskRequest) retried = NULL;
  const char *result;

  g_assert_nonnull (claimed);
  g_assert_cmpuint (claimed->len, >, 1);
  retried = kiosk_outbox_mark_retry (outbox, kiosk_request_get_id (claimed->pdata[0]), T0 + 300 * G_USEC_PER_SEC,
                                     "no answer from the city's server (timeout)", NULL);
  g_clear_object (&(KioskRequest *) { kiosk_outbox_mark_retry (outbox, kiosk_request_get_id (claimed->pdata[1]),
                                                               T0 + 300 * G_USEC_PER_SEC,
                                                               "Could not connect to kiosk-api.hildesheim.example: Connection refused",
                                                               NULL) });
  kiosk_clerk_page_refresh (f->page);
  flush ();
  g_assert_true (any_label_contains (GTK_WIDGET (f->page),
                                     "Noch nicht gesendet: Das System der Stadt hat nicht rechtzeitig geantwortet. "
                                     "Nächster Versuch in 5 Minuten."));
  g_assert_true (any_label_contains (GTK_WIDGET (f->page),
                                     "Noch nicht gesendet: Keine Verbindung zum System der Stadt."));
  g_assert_false (any_label_contains (GTK_WIDGET (f->page), "no answer from the city's server"));
  g_assert_false (any_label_contains (GTK_WIDGET (f->page), "Connection refused"));

  /* In the details of the one request, the technical words too. */
  kiosk_clerk_page_scan (f->page, kiosk_request_get_short_code (retried));
  result = kiosk_clerk_page_get_scan_result (f->page);
  g_assert_nonnull (strstr (result, "Das System der Stadt hat nicht rechtzeitig geantwortet."));
  g_assert_nonnull (strstr (result, "Technische Angabe: no answer from the city's server (timeout)"));
}

/* Delivered: the city's case number is shown with the request; a service
 * the catalogue no longer has is named as such, not by its bare id.
 * Before: neither the case number nor more than "old-service". */
static void
test_case_number_and_names (Fixture       *f,
                            gconstpointer  data)
{
  KioskOutbox *outbox = kiosk_context_get_outbox (f->context);
  g_autoptr(KioskRequest) request = enqueue (f, "bulky-waste");
  g_autoptr(KioskRequest) gone = enqueue (f, "old-service");
  g_autoptr(GPtrArray) claimed = kiosk_outbox_claim_due (outbox, 100, NULL);
  g_autoptr(KioskRequest) delivered = NULL;
  g_autoptr(GError) error = NULL;
  const char *result;

  delivered = kiosk_outbox_mark_delivered (outbox, kiosk_request_get_id (request), "HI-2026-004711", &error);
  g_assert_no_error (error);
  kiosk_clerk_page_scan (f->page, kiosk_request_get_short_code (request));
  result = kiosk_clerk_page_get_scan_result (f->page);
  g_assert_nonnull (strstr (result, "Sperrmüll-Abholung anmelden"));
  g_assert_nonnull (strstr (result, "Aktenzeichen der Stadt: HI-2026-004711"));

  kiosk_clerk_page_scan (f->page, kiosk_request_get_short_code (gone));
  result = kiosk_clerk_page_get_scan_result (f->page);
  g_assert_nonnull (strstr (result, "Dienst „old-service“ (nicht mehr im Katalog)"));
}


/* The PIN pad, the way in for a clerk, fits in the kiosk window at
 * 1280×800 with its top bar.  Before: the window needed 877 px. */
static void
test_pin_pad_fits (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("stadtkiosk-pin-fit-XXXXXX", &error);
  g_autoptr(KioskConfig) config = kiosk_config_new_default ();
  g_autoptr(KioskClock) clock = kiosk_clock_new_fake (T0);
  g_autoptr(KioskContext) context = NULL;
  KioskWindow *window;
  int min = 0;

  kiosk_config_set_state_dir (config, dir);
  context = kiosk_context_new (config, clock, &error);
  g_assert_no_error (error);
  window = kiosk_window_new_for_context (context);
  gtk_window_set_default_size (GTK_WINDOW (window), 1280, 800);
  gtk_window_present (GTK_WINDOW (window));
  flush ();
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "kiosk.staff", NULL));
  flush ();
  gtk_widget_measure (GTK_WIDGET (window), GTK_ORIENTATION_VERTICAL, 1280, &min, NULL, NULL, NULL);
  g_test_message ("the window needs %d px for the PIN pad", min);
  g_assert_cmpint (min, <=, 800);
  gtk_window_destroy (GTK_WINDOW (window));
  flush ();
  g_clear_object (&context);
  kiosk_test_rm_rf (dir);
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

  g_test_add ("/kiosk/staff/clerk-touch/keyboard", Fixture, NULL, fixture_set_up, test_keyboard, fixture_tear_down);
  g_test_add ("/kiosk/staff/clerk-touch/plain-errors", Fixture, NULL,
              fixture_set_up, test_plain_errors, fixture_tear_down);
  g_test_add ("/kiosk/staff/clerk-touch/case-number-and-names", Fixture, NULL,
              fixture_set_up, test_case_number_and_names, fixture_tear_down);
  g_test_add_func ("/kiosk/staff/clerk-touch/pin-pad-fits", test_pin_pad_fits);
  return g_test_run ();
}

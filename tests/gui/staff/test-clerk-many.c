/* test-clerk-many.c — the clerk page with more requests than it lists (#18)
 *
 * With 500 requests waiting the page lists KIOSK_CLERK_PAGE_MAX_ROWS of
 * them, the oldest first, says how many more there are, and the scan field
 * finds one beyond the cap by its short code and lists it first.  The
 * control: a page without the cap (as before #18) lists all 500 and shows
 * no such line, so the test sees what it looks for.
 *
 * SPDX-FileCopyrightText: 2026 Stadtkiosk contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>
#include <string.h>

#include "kiosk-clerk-page.h"
#include "kiosk-clerk-page-private.h"
#include "kiosk-gui-test-util.h"
#include "kiosk-test-util.h"

#define T0 (G_GINT64_CONSTANT (1790000000) * G_USEC_PER_SEC)
#define N_REQUESTS 500

typedef struct
{
  char              *dir;
  KioskClock        *clock;
  KioskContext      *context;
  KioskStaffSession *session;
  GPtrArray         *requests;  /* KioskRequest, oldest first */
  GtkWindow         *window;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KioskConfig) config = kiosk_config_new_default ();
  KioskOutbox *outbox;
  g_autoptr(GBytes) answers = g_bytes_new_static ("{\"name\":\"Erika\"}", 16);

  f->dir = g_dir_make_tmp ("stadtkiosk-clerk-many-XXXXXX", &error);
  g_assert_no_error (error);
  kiosk_config_set_state_dir (config, f->dir);
  f->clock = kiosk_clock_new_fake (T0);
  f->context = kiosk_context_new (config, f->clock, &error);
  g_assert_no_error (error);
  outbox = kiosk_context_get_outbox (f->context);

  /* One a second: the order on the page (oldest first) is known. */
  f->requests = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < N_REQUESTS; i++)
    {
      KioskRequestDraft draft = {
        .service_id = "bulky-waste", .service_version = 1, .locale = "de", .answers = answers,
      };
      KioskRequest *request = kiosk_outbox_enqueue (outbox, &draft, "citizen", &error);

      g_assert_no_error (error);
      g_ptr_array_add (f->requests, request);
      kiosk_clock_advance (f->clock, G_USEC_PER_SEC);
    }

  f->session = kiosk_staff_session_new (f->context);
  kiosk_staff_session_begin (f->session, KIOSK_ROLE_CLERK);
  f->window = GTK_WINDOW (gtk_window_new ());
  gtk_window_set_default_size (f->window, 1280, 800);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  gtk_window_destroy (f->window);
  kiosk_gui_test_flush ();
  _kiosk_clerk_page_set_default_max_rows (KIOSK_CLERK_PAGE_MAX_ROWS);
  g_clear_pointer (&f->requests, g_ptr_array_unref);
  g_clear_object (&f->session);
  g_clear_object (&f->context);
  g_clear_object (&f->clock);
  kiosk_test_rm_rf (f->dir);
  g_free (f->dir);
}

static KioskClerkPage *
open_page (Fixture *f)
{
  GtkWidget *page = kiosk_clerk_page_new (f->session);

  gtk_window_set_child (f->window, page);
  gtk_window_present (f->window);
  kiosk_gui_test_flush ();
  return KIOSK_CLERK_PAGE (page);
}

/* Whether the page has a row for @request: its short code alone in a
 * label (the scan result shows it within more text). */
static gboolean
has_row_for (KioskClerkPage *page,
             KioskRequest   *request)
{
  return kiosk_gui_test_find_label (GTK_WIDGET (page), kiosk_request_get_short_code (request)) != NULL;
}

static void
test_capped (Fixture       *f,
             gconstpointer  data)
{
  KioskClerkPage *page = open_page (f);
  GtkWidget *more = _kiosk_clerk_page_get_more_label (page);
  KioskRequest *first = g_ptr_array_index (f->requests, 0);
  KioskRequest *last_shown = g_ptr_array_index (f->requests, KIOSK_CLERK_PAGE_MAX_ROWS - 1);
  KioskRequest *beyond = g_ptr_array_index (f->requests, N_REQUESTS - 100);
  g_autofree char *expected = g_strdup_printf ("%u more not shown", N_REQUESTS - KIOSK_CLERK_PAGE_MAX_ROWS);
  g_autofree char *typed = NULL;

  /* At most the cap, the oldest first, and the line saying how many more. */
  g_assert_cmpuint (kiosk_clerk_page_get_n_rows (page), ==, KIOSK_CLERK_PAGE_MAX_ROWS);
  g_assert_cmpuint (kiosk_clerk_page_get_n_hidden (page), ==, N_REQUESTS - KIOSK_CLERK_PAGE_MAX_ROWS);
  g_assert_true (gtk_widget_get_mapped (more));
  g_test_message ("%s", gtk_label_get_text (GTK_LABEL (more)));
  g_assert_nonnull (strstr (gtk_label_get_text (GTK_LABEL (more)), expected));
  g_assert_nonnull (strstr (gtk_label_get_text (GTK_LABEL (more)), "scan or type a code"));
  g_assert_true (has_row_for (page, first));
  g_assert_true (has_row_for (page, last_shown));
  g_assert_false (has_row_for (page, beyond));

  /* The short code typed in finds a request beyond the cap ... */
  typed = g_ascii_strdown (kiosk_request_get_short_code (beyond), -1);
  kiosk_clerk_page_scan (page, typed);
  kiosk_gui_test_flush ();
  g_assert_nonnull (kiosk_clerk_page_get_scanned (page));
  g_assert_cmpstr (kiosk_request_get_id (kiosk_clerk_page_get_scanned (page)), ==, kiosk_request_get_id (beyond));
  g_assert_nonnull (strstr (kiosk_clerk_page_get_scan_result (page), kiosk_request_get_short_code (beyond)));
  /* ... and lists it first, with its row and actions. */
  g_assert_true (has_row_for (page, beyond));
  g_assert_cmpuint (kiosk_clerk_page_get_n_rows (page), ==, KIOSK_CLERK_PAGE_MAX_ROWS + 1);
  g_assert_cmpuint (kiosk_clerk_page_get_n_hidden (page), ==, N_REQUESTS - KIOSK_CLERK_PAGE_MAX_ROWS - 1);

  /* Once it is handled it leaves the list, and the count follows. */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(KioskRequest) cancelled = kiosk_clerk_act (f->context, KIOSK_ROLE_CLERK, kiosk_request_get_id (beyond),
                                                         KIOSK_CLERK_CANCEL, "Doppelt", &error);

    g_assert_no_error (error);
    g_assert_nonnull (cancelled);
  }
  kiosk_clerk_page_refresh (page);
  g_assert_false (has_row_for (page, beyond));
  g_assert_cmpuint (kiosk_clerk_page_get_n_rows (page), ==, KIOSK_CLERK_PAGE_MAX_ROWS);
  g_assert_cmpuint (kiosk_clerk_page_get_n_hidden (page), ==, N_REQUESTS - KIOSK_CLERK_PAGE_MAX_ROWS - 1);
}

/* Control: without the cap (the page before #18) every request has a row
 * and there is no line. */
static void
test_uncapped (Fixture       *f,
               gconstpointer  data)
{
  KioskClerkPage *page;

  _kiosk_clerk_page_set_default_max_rows (G_MAXUINT);
  page = open_page (f);
  g_assert_cmpuint (kiosk_clerk_page_get_n_rows (page), ==, N_REQUESTS);
  g_assert_cmpuint (kiosk_clerk_page_get_n_hidden (page), ==, 0);
  g_assert_false (gtk_widget_get_visible (_kiosk_clerk_page_get_more_label (page)));
  g_assert_true (has_row_for (page, g_ptr_array_index (f->requests, N_REQUESTS - 100)));
}

int
main (int    argc,
      char **argv)
{
  setlocale (LC_ALL, "C.UTF-8");
  g_setenv ("LANGUAGE", "en", TRUE);
  bindtextdomain (GETTEXT_PACKAGE, g_getenv ("STADTKIOSK_LOCALEDIR"));
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  gtk_test_init (&argc, &argv, NULL);
  g_object_set (gtk_settings_get_default (), "gtk-cursor-blink", FALSE, NULL);
  adw_init ();

  g_test_add ("/kiosk/staff/clerk-many/capped", Fixture, NULL, fixture_set_up, test_capped, fixture_tear_down);
  g_test_add ("/kiosk/staff/clerk-many/uncapped", Fixture, NULL, fixture_set_up, test_uncapped, fixture_tear_down);

  return g_test_run ();
}

/* test-clerk-catalog.c — the clerk page's first open with a large catalogue (#18)
 *
 * A counter workstation has not read the catalogue when the clerk page
 * first opens; a federal-size one takes a second to validate.  The page
 * then shows its rows at once with the service ids, loads the catalogue in
 * a worker thread, and shows the titles when it is there; a page opened
 * later has the titles at once.  A small catalogue is read at once, as
 * before.  The control: with the catalogue read before the first frame (as
 * before #18), the large one's titles are there at once, so the test sees
 * the difference it looks for.
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

typedef struct
{
  char              *dir;
  KioskClock        *clock;
  KioskContext      *context;
  KioskStaffSession *session;
  GtkWindow         *window;
} Fixture;

/* A catalogue of @n services "sN", titled "Antrag N", each with a summary
 * of @summary_length bytes (to make it large). */
static GBytes *
catalog_json (guint n,
              gsize summary_length)
{
  g_autoptr(GString) json = g_string_new ("{\"format\":1,\"version\":\"clerk-1\",\"categories\":"
                                          "[{\"id\":\"general\",\"title\":{\"de\":\"Allgemein\"}}],"
                                          "\"services\":[");
  g_autofree char *summary = g_strnfill (summary_length, 'x');

  for (guint i = 0; i < n; i++)
    g_string_append_printf (json, "%s{\"id\":\"s%u\",\"version\":1,\"title\":{\"de\":\"Antrag %u\",\"en\":\"Antrag %u\"},"
                            "\"summary\":{\"de\":\"%s\"},\"category\":\"general\",\"offline\":\"queue\","
                            "\"steps\":[{\"title\":{\"de\":\"Schritt\"},\"fields\":[{\"id\":\"note\","
                            "\"type\":\"text\",\"label\":{\"de\":\"Notiz\"}}]}]}",
                            i ? "," : "", i, i, i, summary);
  g_string_append (json, "]}");
  return g_string_free_to_bytes (g_steal_pointer (&json));
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KioskConfig) config = kiosk_config_new_default ();
  g_autoptr(GBytes) answers = g_bytes_new_static ("{\"note\":\"Laterne\"}", 18);
  gboolean large = GPOINTER_TO_INT (data);
  /* Over 1 MiB (read in a worker thread), or a few KiB. */
  g_autoptr(GBytes) json = large ? catalog_json (300, 4000) : catalog_json (30, 40);
  KioskOutbox *outbox;

  if (large)
    g_assert_cmpuint (g_bytes_get_size (json), >, 1024 * 1024);
  else
    g_assert_cmpuint (g_bytes_get_size (json), <, 1024 * 1024);
  f->dir = g_dir_make_tmp ("stadtkiosk-clerk-catalog-XXXXXX", &error);
  g_assert_no_error (error);
  kiosk_config_set_state_dir (config, f->dir);
  f->clock = kiosk_clock_new_fake (T0);
  {
    /* Stored by one context, as a catalogue pull would; the page gets a
     * new one that has not read it yet. */
    g_autoptr(KioskContext) writer = kiosk_context_new (config, f->clock, &error);

    g_assert_no_error (error);
    kiosk_catalog_store_active (kiosk_context_get_store (writer), json, "test", NULL, &error);
    g_assert_no_error (error);
  }
  f->context = kiosk_context_new (config, f->clock, &error);
  g_assert_no_error (error);
  outbox = kiosk_context_get_outbox (f->context);
  for (guint i = 1; i <= 3; i++)
    {
      g_autofree char *service_id = g_strdup_printf ("s%u", i);
      KioskRequestDraft draft = {
        .service_id = service_id, .service_version = 1, .locale = "de", .answers = answers,
      };
      g_autoptr(KioskRequest) request = kiosk_outbox_enqueue (outbox, &draft, "citizen", &error);

      g_assert_no_error (error);
      g_assert_cmpstr (kiosk_request_get_service_id (request), ==, service_id);
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
  _kiosk_clerk_page_set_catalog_in_thread (TRUE);
  g_clear_object (&f->session);
  g_clear_object (&f->context);
  g_clear_object (&f->clock);
  kiosk_test_rm_rf (f->dir);
  g_free (f->dir);
}

static gboolean
shows (KioskClerkPage *page,
       const char     *text)
{
  return kiosk_gui_test_find_label (GTK_WIDGET (page), text) != NULL;
}

static gboolean
hang_guard_cb (gpointer user_data)
{
  g_error ("the catalogue was not loaded within a minute");
  return G_SOURCE_REMOVE;
}

/* Runs the main loop until the page has its titles. */
static void
wait_for_titles (KioskClerkPage *page)
{
  guint guard = g_timeout_add_seconds (60, hang_guard_cb, NULL);

  while (_kiosk_clerk_page_get_titles_pending (page))
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (guard);
  kiosk_gui_test_flush ();
}

static KioskClerkPage *
new_page (Fixture *f)
{
  GtkWidget *page = kiosk_clerk_page_new (f->session);

  gtk_window_set_child (f->window, page);
  gtk_window_present (f->window);
  return KIOSK_CLERK_PAGE (page);
}

static void
test_large (Fixture       *f,
            gconstpointer  data)
{
  KioskClerkPage *page = new_page (f);

  /* The rows are there at once, named by the service id ... */
  g_assert_true (_kiosk_clerk_page_get_titles_pending (page));
  g_assert_cmpuint (kiosk_clerk_page_get_n_rows (page), ==, 3);
  g_assert_true (shows (page, "s1"));
  g_assert_false (shows (page, "Antrag 1"));

  /* ... and the titles follow when the catalogue is read. */
  wait_for_titles (page);
  g_assert_cmpuint (kiosk_clerk_page_get_n_rows (page), ==, 3);
  g_assert_true (shows (page, "Antrag 1"));
  g_assert_true (shows (page, "Antrag 3"));
  g_assert_false (shows (page, "s1"));

  /* The context holds it now: the next page has the titles at once. */
  page = new_page (f);
  g_assert_false (_kiosk_clerk_page_get_titles_pending (page));
  g_assert_true (shows (page, "Antrag 2"));
}

/* A small catalogue is read at once: titles from the start. */
static void
test_small (Fixture       *f,
            gconstpointer  data)
{
  KioskClerkPage *page = new_page (f);

  g_assert_false (_kiosk_clerk_page_get_titles_pending (page));
  g_assert_true (shows (page, "Antrag 1"));
  g_assert_false (shows (page, "s1"));
}

/* Control: the large catalogue read before the first frame, as before. */
static void
test_large_read_first (Fixture       *f,
                       gconstpointer  data)
{
  KioskClerkPage *page;

  _kiosk_clerk_page_set_catalog_in_thread (FALSE);
  page = new_page (f);
  g_assert_false (_kiosk_clerk_page_get_titles_pending (page));
  g_assert_true (shows (page, "Antrag 1"));
  g_assert_false (shows (page, "s1"));
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

  g_test_add ("/kiosk/staff/clerk-catalog/large", Fixture, GINT_TO_POINTER (TRUE),
              fixture_set_up, test_large, fixture_tear_down);
  g_test_add ("/kiosk/staff/clerk-catalog/small", Fixture, GINT_TO_POINTER (FALSE),
              fixture_set_up, test_small, fixture_tear_down);
  g_test_add ("/kiosk/staff/clerk-catalog/large-read-first", Fixture, GINT_TO_POINTER (TRUE),
              fixture_set_up, test_large_read_first, fixture_tear_down);

  return g_test_run ();
}

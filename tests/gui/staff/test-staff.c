/* test-staff.c — the staff screens under Xvfb
 *
 * SPDX-FileCopyrightText: 2026 Stadtkiosk contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <locale.h>
#include <string.h>

#include "kiosk-admin-page.h"
#include "kiosk-clerk-page.h"
#include "kiosk-language.h"
#include "kiosk-counter-window.h"
#include "kiosk-pin-pad.h"
#include "kiosk-staff-screen.h"
#include "kiosk-window-private.h"
#include "kiosk-gui-test-util.h"
#include "kiosk-test-util.h"

#define CLERK_PIN "482913"
#define ADMIN_PIN "730561"
#define T0 (G_GINT64_CONSTANT (1790000000) * G_USEC_PER_SEC)

typedef struct
{
  char         *dir;
  char         *conf;
  KioskClock   *clock;
  KioskContext *context;
  GtkWindow    *window;
  KioskStaffScreen *screen;
} Fixture;

#define flush kiosk_gui_test_flush


static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KioskConfig) config = NULL;
  g_autofree char *text = NULL;

  f->dir = g_dir_make_tmp ("stadtkiosk-staff-XXXXXX", &error);
  g_assert_no_error (error);
  f->conf = g_build_filename (f->dir, "kiosk.conf", NULL);
  text = g_strdup_printf ("# Test kiosk\n[kiosk]\nid=bib-1\nstate-dir=%s\nlocation=Stadtbibliothek\n"
                          "[session]\nstaff-idle-timeout=120\n[keys]\nmode=demo\n", f->dir);
  g_assert_true (g_file_set_contents (f->conf, text, -1, NULL));
  config = kiosk_config_new_from_file (f->conf, &error);
  g_assert_no_error (error);
  f->clock = kiosk_clock_new_fake (T0);
  f->context = kiosk_context_new (config, f->clock, &error);
  g_assert_no_error (error);
  g_assert_true (kiosk_pins_set (kiosk_context_get_pins (f->context), KIOSK_ROLE_CLERK, CLERK_PIN, &error));
  g_assert_true (kiosk_pins_set (kiosk_context_get_pins (f->context), KIOSK_ROLE_ADMIN, ADMIN_PIN, &error));
  g_assert_no_error (error);

  f->screen = KIOSK_STAFF_SCREEN (kiosk_staff_screen_new (f->context));
  f->window = GTK_WINDOW (gtk_window_new ());
  gtk_window_set_default_size (f->window, 1280, 800);
  gtk_window_set_child (f->window, GTK_WIDGET (f->screen));
  gtk_window_present (f->window);
  flush ();
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  gtk_window_destroy (f->window);
  flush ();
  g_clear_object (&f->context);
  g_clear_object (&f->clock);
  kiosk_test_rm_rf (f->dir);
  g_free (f->dir);
  g_free (f->conf);
}

static void
type_pin (KioskPinPad *pad,
          const char  *pin)
{
  for (const char *p = pin; *p != '\0'; p++)
    kiosk_pin_pad_press_digit (pad, *p);
  kiosk_pin_pad_submit (pad);
  /* Argon2id runs in a thread. */
  while (kiosk_pin_pad_get_busy (pad))
    g_main_context_iteration (NULL, TRUE);
  flush ();
}

static gboolean
audit_has (Fixture    *f,
           const char *role,
           const char *action,
           const char *detail)
{
  g_autoptr(GPtrArray) entries = kiosk_audit_list (kiosk_context_get_store (f->context), 0, NULL);

  for (guint i = 0; entries != NULL && i < entries->len; i++)
    {
      KioskAuditEntry *e = entries->pdata[i];

      if (g_str_equal (e->role, role) && g_str_equal (e->action, action) &&
          (detail == NULL || (e->detail != NULL && strstr (e->detail, detail) != NULL)))
        return TRUE;
    }
  return FALSE;
}

static void
unlock (Fixture    *f,
        const char *pin)
{
  type_pin (KIOSK_PIN_PAD (kiosk_staff_screen_get_pin_pad (f->screen)), pin);
  g_assert_cmpstr (kiosk_staff_screen_get_visible (f->screen), ==, "queue");
}

static void
test_pin_pad (Fixture       *f,
              gconstpointer  data)
{
  KioskPinPad *pad = KIOSK_PIN_PAD (kiosk_staff_screen_get_pin_pad (f->screen));
  g_autofree char *first = NULL;

  g_assert_cmpstr (kiosk_staff_screen_get_visible (f->screen), ==, "pin");

  /* No echo: digits become dots, and the count is all that shows. */
  kiosk_pin_pad_press_digit (pad, '1');
  kiosk_pin_pad_press_digit (pad, '9');
  g_assert_cmpuint (kiosk_pin_pad_get_n_digits (pad), ==, 2);
  kiosk_pin_pad_reset (pad);

  type_pin (pad, "111222");
  first = g_strdup (kiosk_pin_pad_get_message (pad));
  g_assert_cmpstr (first, ==, _("PIN not accepted."));
  type_pin (pad, "999000");
  g_assert_cmpstr (kiosk_pin_pad_get_message (pad), ==, first);

  /* The third failure imposes a wait: the same words, a countdown, and the
   * keypad ignores digits until it is over. */
  type_pin (pad, "555666");
  g_assert_cmpstr (kiosk_pin_pad_get_message (pad), ==, first);
  g_assert_cmpint (kiosk_pins_get_wait_until (kiosk_context_get_pins (f->context)), >, T0);
  kiosk_pin_pad_press_digit (pad, '4');
  g_assert_cmpuint (kiosk_pin_pad_get_n_digits (pad), ==, 0);
  /* Even the right PIN is refused while waiting, with the same message. */
  kiosk_clock_advance (f->clock, 1 * G_USEC_PER_SEC);
  flush ();
  g_assert_cmpstr (kiosk_staff_screen_get_visible (f->screen), ==, "pin");

  kiosk_clock_advance (f->clock, 60 * G_USEC_PER_SEC);
  flush ();
  unlock (f, CLERK_PIN);
  g_assert_cmpint (kiosk_staff_session_get_role (kiosk_staff_screen_get_session (f->screen)), ==, KIOSK_ROLE_CLERK);
  g_assert_true (audit_has (f, "clerk", "unlock", NULL));
}

static void
count_cb (guint *n)
{
  (*n)++;
}

static void
test_idle_logout (Fixture       *f,
                  gconstpointer  data)
{
  KioskStaffSession *session = kiosk_staff_screen_get_session (f->screen);
  guint closed = 0;

  g_signal_connect_swapped (f->screen, "closed", G_CALLBACK (count_cb), &closed);
  unlock (f, ADMIN_PIN);
  g_assert_cmpint (kiosk_staff_session_get_role (session), ==, KIOSK_ROLE_ADMIN);
  g_assert_cmpuint (kiosk_staff_session_get_remaining (session), ==, 120);

  /* Activity pushes the logout back ... */
  kiosk_clock_advance (f->clock, 100 * G_USEC_PER_SEC);
  kiosk_staff_session_poke (session);
  kiosk_clock_advance (f->clock, 100 * G_USEC_PER_SEC);
  flush ();
  g_assert_cmpstr (kiosk_staff_screen_get_visible (f->screen), ==, "queue");
  g_assert_cmpuint (closed, ==, 0);

  /* ... and two quiet minutes end the session. */
  kiosk_clock_advance (f->clock, 21 * G_USEC_PER_SEC);
  flush ();
  g_assert_cmpint (kiosk_staff_session_get_role (session), ==, KIOSK_ROLE_NONE);
  g_assert_cmpstr (kiosk_staff_screen_get_visible (f->screen), ==, "pin");
  g_assert_cmpuint (closed, ==, 1);
  g_assert_true (audit_has (f, "admin", "lock", "idle"));
}

static KioskRequest *
enqueue_sealed (Fixture  *f,
                char    **out_text)
{
  g_autoptr(GError) error = NULL;
  KioskOutbox *outbox = kiosk_context_get_outbox (f->context);
  g_autofree char *id = g_uuid_string_random ();
  g_autofree char *code = kiosk_outbox_new_short_code (outbox);
  g_autoptr(GBytes) answers = g_bytes_new_static ("{\"name\":\"Erika\"}", 16);
  g_autoptr(GBytes) sealed = NULL;
  g_autoptr(KioskKeys) keys = kiosk_keys_load_for_kiosk (kiosk_context_get_config (f->context), &error);
  KioskRequestDraft draft = {
    .id = id, .short_code = code, .service_id = "bulky-waste", .service_version = 1,
    .locale = "de", .answers = answers,
  };
  KioskRequest *request;

  g_assert_no_error (error);
  g_assert_true (kiosk_sealer_seal_at_rest (kiosk_context_get_config (f->context),
                                            kiosk_context_get_clock (f->context),
                                            &draft, &sealed, &error));
  g_assert_no_error (error);
  request = kiosk_outbox_enqueue (outbox, &draft, "citizen", &error);
  g_assert_no_error (error);
  if (out_text != NULL)
    {
      KioskPayloadFields fields = {
        .id = id, .short_code = code, .kiosk_id = "bib-1", .service_id = "bulky-waste",
        .service_version = 1, .locale = "de", .created_us = kiosk_request_get_created (request),
        .answers = answers,
      };
      g_autoptr(GBytes) qr = kiosk_payload_seal (&fields, keys->signing, keys->city, TRUE, 650, &error);

      g_assert_no_error (error);
      *out_text = kiosk_payload_encode_qr_text (qr);
    }
  return request;
}

static void
test_clerk_scan (Fixture       *f,
                 gconstpointer  data)
{
  g_autofree char *text = NULL;
  g_autoptr(KioskRequest) request = enqueue_sealed (f, &text);
  g_autoptr(KioskRequest) other = enqueue_sealed (f, NULL);
  KioskClerkPage *page = KIOSK_CLERK_PAGE (kiosk_staff_screen_get_clerk_page (f->screen));
  g_autoptr(GError) error = NULL;
  g_autofree char *forged = NULL;
  gsize n;

  unlock (f, CLERK_PIN);
  g_assert_cmpuint (kiosk_clerk_page_get_n_rows (page), ==, 2);

  /* Without the city's key (a real kiosk) a receipt cannot be opened. */
  kiosk_clerk_page_scan (page, text);
  g_assert_nonnull (strstr (kiosk_clerk_page_get_scan_result (page), _("short code")));

  /* With it (demo keys hold it): opened, verified and shown, no answers. */
  kiosk_clerk_page_set_keys (page, kiosk_keys_load_for_counter (kiosk_context_get_config (f->context),
                                                                NULL, NULL, &error));
  g_assert_no_error (error);
  kiosk_clerk_page_scan (page, text);
  g_test_message ("%s", kiosk_clerk_page_get_scan_result (page));
  g_assert_nonnull (strstr (kiosk_clerk_page_get_scan_result (page), kiosk_request_get_short_code (request)));
  g_assert_null (strstr (kiosk_clerk_page_get_scan_result (page), "Erika"));
  g_assert_true (kiosk_clerk_page_get_scanned (page) != NULL);
  g_assert_cmpstr (kiosk_request_get_id (kiosk_clerk_page_get_scanned (page)), ==, kiosk_request_get_id (request));

  /* One digit changed: not genuine. */
  forged = g_strdup (text);
  n = strlen (forged);
  forged[n - 3] = forged[n - 3] == '1' ? '2' : '1';
  kiosk_clerk_page_scan (page, forged);
  g_test_message ("%s", kiosk_clerk_page_get_scan_result (page));
  g_assert_null (kiosk_clerk_page_get_scanned (page));

  /* The short code typed by hand finds it too, case and dashes forgiven. */
  {
    g_autofree char *typed = g_ascii_strdown (kiosk_request_get_short_code (other), -1);
    kiosk_clerk_page_scan (page, typed);
    g_assert_nonnull (kiosk_clerk_page_get_scanned (page));
    g_assert_cmpstr (kiosk_request_get_id (kiosk_clerk_page_get_scanned (page)), ==, kiosk_request_get_id (other));
  }
  g_assert_true (audit_has (f, "clerk", "scan", kiosk_request_get_short_code (request)));
}

/* The first widget below @root (itself included) of @type whose action is
 * @action with the string target @id (or any target when @id is NULL and
 * @action is NULL: the first widget of @type). */
static GtkWidget *
find_widget (GtkWidget  *root,
             GType       type,
             const char *action,
             const char *id)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (root, type))
    {
      if (action == NULL)
        return root;
      if (GTK_IS_ACTIONABLE (root) &&
          g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (root)), action) == 0 &&
          gtk_actionable_get_action_target_value (GTK_ACTIONABLE (root)) != NULL &&
          g_str_equal (g_variant_get_string (gtk_actionable_get_action_target_value (GTK_ACTIONABLE (root)), NULL), id))
        return root;
    }
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_widget (child, type, action, id);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* A row's buttons act on that row's request: the id travels as the
 * action's target. */
static void
test_clerk_row_actions (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(KioskRequest) request = enqueue_sealed (f, NULL);
  g_autoptr(KioskRequest) other = enqueue_sealed (f, NULL);
  g_autoptr(KioskRequest) after = NULL;
  KioskClerkPage *page = KIOSK_CLERK_PAGE (kiosk_staff_screen_get_clerk_page (f->screen));
  g_autoptr(GError) error = NULL;
  GtkWidget *retry;
  GtkWidget *row;
  GtkWidget *entry;
  GtkWidget *confirm;

  unlock (f, CLERK_PIN);
  g_assert_cmpuint (kiosk_clerk_page_get_n_rows (page), ==, 2);

  retry = find_widget (GTK_WIDGET (page), GTK_TYPE_BUTTON, "clerk.retry-now", kiosk_request_get_id (request));
  g_assert_nonnull (retry);
  row = gtk_widget_get_ancestor (retry, GTK_TYPE_LIST_BOX_ROW);
  g_assert_nonnull (row);
  entry = find_widget (row, GTK_TYPE_ENTRY, NULL, NULL);
  g_assert_nonnull (entry);
  /* The confirm button follows the entry in the revealed box. */
  confirm = gtk_widget_get_next_sibling (entry);
  g_assert_true (GTK_IS_BUTTON (confirm));

  /* Without a reason nothing is cancelled.  (gtk_widget_activate() on a
   * button only clicks it after an animation; emit the click itself.) */
  g_signal_emit_by_name (confirm, "clicked");
  after = kiosk_outbox_get (kiosk_context_get_outbox (f->context), kiosk_request_get_id (request), &error);
  g_assert_no_error (error);
  g_assert_cmpint (kiosk_request_get_state (after), ==, KIOSK_REQUEST_QUEUED);
  g_assert_cmpuint (kiosk_clerk_page_get_n_rows (page), ==, 2);
  g_clear_object (&after);

  /* The list was rebuilt: find the row again. */
  retry = find_widget (GTK_WIDGET (page), GTK_TYPE_BUTTON, "clerk.retry-now", kiosk_request_get_id (request));
  row = gtk_widget_get_ancestor (retry, GTK_TYPE_LIST_BOX_ROW);
  entry = find_widget (row, GTK_TYPE_ENTRY, NULL, NULL);
  gtk_editable_set_text (GTK_EDITABLE (entry), "came to the counter");
  g_signal_emit_by_name (gtk_widget_get_next_sibling (entry), "clicked");
  after = kiosk_outbox_get (kiosk_context_get_outbox (f->context), kiosk_request_get_id (request), &error);
  g_assert_no_error (error);
  g_assert_cmpint (kiosk_request_get_state (after), ==, KIOSK_REQUEST_CANCELLED);
  g_clear_object (&after);

  /* Only that one: the other request is untouched and still listed. */
  after = kiosk_outbox_get (kiosk_context_get_outbox (f->context), kiosk_request_get_id (other), &error);
  g_assert_no_error (error);
  g_assert_cmpint (kiosk_request_get_state (after), ==, KIOSK_REQUEST_QUEUED);
  g_assert_cmpuint (kiosk_clerk_page_get_n_rows (page), ==, 1);
  g_assert_nonnull (find_widget (GTK_WIDGET (page), GTK_TYPE_BUTTON, "clerk.retry-now", kiosk_request_get_id (other)));
  g_assert_null (find_widget (GTK_WIDGET (page), GTK_TYPE_BUTTON, "clerk.retry-now", kiosk_request_get_id (request)));
}

static void
test_admin_settings (Fixture       *f,
                     gconstpointer  data)
{
  KioskAdminPage *page = KIOSK_ADMIN_PAGE (kiosk_staff_screen_get_admin_page (f->screen));
  g_autoptr(GError) error = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autofree char *drop_in = NULL;
  g_autoptr(KioskConfig) reread = NULL;

  unlock (f, ADMIN_PIN);
  kiosk_staff_screen_show_admin (f->screen);
  kiosk_admin_page_refresh (page);
  flush ();
  g_assert_cmpstr (kiosk_staff_screen_get_visible (f->screen), ==, "admin");

  /* Settings go to a drop-in in the state directory (the kiosk's unit
   * keeps /etc read-only); the administrator's file is never rewritten. */
  drop_in = g_build_filename (f->dir, "kiosk.conf.d", "50-admin-screen.conf", NULL);
  g_assert_true (g_file_get_contents (f->conf, &before, NULL, NULL));

  /* A bad value never stays, and the message names the key and the file. */
  kiosk_admin_page_set_setting (page, "backend", "sync-interval", "2");
  g_assert_false (kiosk_admin_page_save_settings (page, &error));
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, "sync-interval"));
  g_assert_nonnull (strstr (error->message, drop_in));
  g_clear_error (&error);
  g_assert_false (g_file_test (drop_in, G_FILE_TEST_EXISTS));

  kiosk_admin_page_set_setting (page, "backend", "sync-interval", "30");
  kiosk_admin_page_set_setting (page, "kiosk", "location", "Rathaus, Markt 1");
  g_assert_true (kiosk_admin_page_save_settings (page, &error));
  g_assert_no_error (error);
  reread = kiosk_config_new_from_file (f->conf, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (kiosk_config_get_location (reread), ==, "Rathaus, Markt 1");
  g_assert_cmpuint (kiosk_config_get_sync_interval (reread), ==, 30);
  g_assert_cmpstr (kiosk_config_get_source (reread, "kiosk", "location"), ==, drop_in);
  g_assert_cmpstr (kiosk_config_get_source (reread, "kiosk", "id"), ==, f->conf);
  g_assert_true (g_file_get_contents (f->conf, &after, NULL, NULL));
  g_assert_cmpstr (before, ==, after);
  g_clear_pointer (&after, g_free);

  /* Setting a value back to the file's removes it from the drop-in. */
  kiosk_admin_page_set_setting (page, "kiosk", "location", "Stadtbibliothek");
  g_assert_true (kiosk_admin_page_save_settings (page, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (drop_in, &after, NULL, NULL));
  g_assert_null (strstr (after, "location"));
  g_assert_nonnull (strstr (after, "sync-interval=30"));
  g_assert_true (audit_has (f, "admin", "settings", "kiosk.location"));
}

static void
test_admin_export (Fixture       *f,
                   gconstpointer  data)
{
  KioskAdminPage *page = KIOSK_ADMIN_PAGE (kiosk_staff_screen_get_admin_page (f->screen));
  g_autoptr(KioskRequest) request = enqueue_sealed (f, NULL);
  g_autofree char *media = g_build_filename (f->dir, "media", NULL);
  g_autofree char *stick = g_build_filename (media, "kiosk", "STICK", NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  g_autoptr(GPtrArray) found = NULL;

  g_assert_cmpint (g_mkdir_with_parents (stick, 0700), ==, 0);
  g_setenv ("STADTKIOSK_MEDIA_DIRS", media, TRUE);
  found = kiosk_staff_list_removable (NULL);
  g_assert_cmpuint (found->len, >=, 1);

  unlock (f, ADMIN_PIN);
  kiosk_admin_page_refresh (page);
  g_assert_true (kiosk_admin_page_export_queue (page, stick, &path, &error));
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (path, stick));
  g_assert_true (g_file_test (path, G_FILE_TEST_EXISTS));
  g_assert_true (audit_has (f, "admin", "queue export", "1 requests"));
  g_clear_pointer (&found, g_ptr_array_unref);
  found = kiosk_staff_list_removable (".skq");
  g_assert_cmpuint (found->len, ==, 1);
  g_unsetenv ("STADTKIOSK_MEDIA_DIRS");
}

/* The kiosk window opens staff mode on Ctrl+Alt+K (the action behind it and
 * behind the long press on the city's name), and "Assist" starts a citizen
 * session; logging out returns to the welcome page. */
static void
test_window (Fixture       *f,
             gconstpointer  data)
{
  KioskWindow *window = kiosk_window_new_for_context (f->context);
  GtkWidget *stack_child;
  KioskStaffScreen *screen;

  gtk_window_present (GTK_WINDOW (window));
  flush ();
  g_assert_cmpstr (kiosk_window_get_page_name (window), ==, "welcome");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "kiosk.staff", NULL));
  flush ();
  g_assert_cmpstr (kiosk_window_get_page_name (window), ==, "staff");
  stack_child = _kiosk_window_get_page (window);
  g_assert_true (KIOSK_IS_STAFF_SCREEN (stack_child));
  screen = KIOSK_STAFF_SCREEN (stack_child);

  type_pin (KIOSK_PIN_PAD (kiosk_staff_screen_get_pin_pad (screen)), CLERK_PIN);
  g_assert_cmpstr (kiosk_staff_screen_get_visible (screen), ==, "queue");
  kiosk_clerk_page_assist (KIOSK_CLERK_PAGE (kiosk_staff_screen_get_clerk_page (screen)));
  flush ();
  /* The staff screen is gone with the session it belonged to. */
  g_assert_cmpstr (kiosk_window_get_page_name (window), ==, "catalog");
  g_assert_true (audit_has (f, "clerk", "assist", NULL));
  g_assert_true (audit_has (f, "clerk", "lock", "logout"));

  /* The clerk fills in a request for someone: it is stored as assisted. */
  {
    g_autoptr(JsonParser) parser = json_parser_new ();
    g_autoptr(GError) error = NULL;
    g_autoptr(GPtrArray) queued = NULL;
    KioskRequest *request;

    gtk_widget_activate_action (GTK_WIDGET (window), "kiosk.open-service", "s", "smart-city-idea");
    gtk_widget_activate_action (GTK_WIDGET (window), "kiosk.begin-form", NULL);
    flush ();
    g_assert_nonnull (_kiosk_window_get_form (window));
    g_assert_true (json_parser_load_from_data (parser, "{\"kind\":\"idea\",\"headline\":\"More benches\","
                                               "\"text\":\"Benches along the Innerste, please.\"}", -1, NULL));
    g_assert_true (kiosk_form_load_json (_kiosk_window_get_form (window), json_parser_get_root (parser), &error));
    g_assert_no_error (error);
    gtk_widget_activate_action (GTK_WIDGET (window), "kiosk.send", NULL);
    flush ();
    queued = kiosk_outbox_list (kiosk_context_get_outbox (f->context), KIOSK_REQUEST_QUEUED, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (queued->len, ==, 1);
    request = g_ptr_array_index (queued, 0);
    g_assert_cmpstr (kiosk_request_get_service_id (request), ==, "smart-city-idea");
    g_assert_true (kiosk_request_get_flags (request) & KIOSK_REQUEST_FLAG_ASSISTED);
  }

  /* The next citizen's request is not assisted. */
  kiosk_window_reset_session (window);
  {
    g_autoptr(JsonParser) parser = json_parser_new ();
    g_autoptr(GPtrArray) queued = NULL;
    guint n_assisted;

    gtk_widget_activate_action (GTK_WIDGET (window), "kiosk.start", NULL);
    gtk_widget_activate_action (GTK_WIDGET (window), "kiosk.open-service", "s", "smart-city-idea");
    gtk_widget_activate_action (GTK_WIDGET (window), "kiosk.begin-form", NULL);
    flush ();
    g_assert_true (json_parser_load_from_data (parser, "{\"kind\":\"praise\",\"headline\":\"Nice kiosk\","
                                               "\"text\":\"Easy to use.\"}", -1, NULL));
    g_assert_true (kiosk_form_load_json (_kiosk_window_get_form (window), json_parser_get_root (parser), NULL));
    gtk_widget_activate_action (GTK_WIDGET (window), "kiosk.send", NULL);
    flush ();
    queued = kiosk_outbox_list (kiosk_context_get_outbox (f->context), KIOSK_REQUEST_QUEUED, NULL);
    g_assert_cmpuint (queued->len, ==, 2);
    n_assisted = 0;
    for (guint i = 0; i < queued->len; i++)
      if (kiosk_request_get_flags (g_ptr_array_index (queued, i)) & KIOSK_REQUEST_FLAG_ASSISTED)
        n_assisted++;
    g_assert_cmpuint (n_assisted, ==, 1);
  }
  kiosk_window_reset_session (window);

  /* Back in, then log out: the welcome page for the next person. */
  gtk_widget_activate_action (GTK_WIDGET (window), "kiosk.staff", NULL);
  flush ();
  screen = KIOSK_STAFF_SCREEN (_kiosk_window_get_page (window));
  type_pin (KIOSK_PIN_PAD (kiosk_staff_screen_get_pin_pad (screen)), ADMIN_PIN);
  kiosk_staff_screen_lock (screen);
  flush ();
  g_assert_cmpstr (kiosk_window_get_page_name (window), ==, "welcome");
  gtk_window_destroy (GTK_WINDOW (window));
  flush ();
}

static double
key_y (Fixture   *f,
       GtkWidget *key)
{
  graphene_rect_t b;

  kiosk_gui_test_settle (GTK_WIDGET (f->window));
  g_assert_true (gtk_widget_compute_bounds (key, GTK_WIDGET (f->window), &b));
  return b.origin.y;
}

/* Issue #16, 4: the wait message does not move the keypad under the
 * clerk's finger, neither when it appears nor when it goes. */
static void
test_pin_pad_still (Fixture       *f,
                    gconstpointer  data)
{
  KioskPinPad *pad = KIOSK_PIN_PAD (kiosk_staff_screen_get_pin_pad (f->screen));
  GtkWidget *five = kiosk_gui_test_find_label (GTK_WIDGET (pad), "5");
  double before;

  g_assert_nonnull (five);
  before = key_y (f, five);
  type_pin (pad, "111222");
  type_pin (pad, "999000");
  type_pin (pad, "555666");
  g_assert_cmpint (kiosk_pins_get_wait_until (kiosk_context_get_pins (f->context)), >, T0);
  g_assert_cmpfloat (key_y (f, five), ==, before);
  kiosk_clock_advance (f->clock, 120 * G_USEC_PER_SEC);
  flush ();
  g_assert_cmpfloat (key_y (f, five), ==, before);
}

/* Service titles on the staff screen follow the language the kiosk speaks
 * now, Leichte Sprache included (it is not a two-letter prefix of
 * $LANGUAGE, which is "ls:de"), and German where none was set. */
static void
test_service_title_language (Fixture       *f,
                             gconstpointer  data)
{
  g_autofree char *ls = NULL;
  g_autofree char *en = NULL;
  g_autofree char *none = NULL;

  kiosk_language_set_current ("ls");
  g_setenv ("LANGUAGE", "ls:de", TRUE);
  ls = kiosk_staff_service_title (f->context, "bulky-waste");
  kiosk_language_set_current ("en");
  en = kiosk_staff_service_title (f->context, "bulky-waste");
  kiosk_language_set_current (NULL);
  none = kiosk_staff_service_title (f->context, "bulky-waste");
  g_unsetenv ("LANGUAGE");

  g_assert_cmpstr (ls, ==, "Sperr·müll abholen lassen");
  g_assert_cmpstr (en, ==, "Book a bulky-waste pickup");
  g_assert_cmpstr (none, ==, "Sperrmüll-Abholung anmelden");
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
  /* No blinking cursor: see kiosk_gui_test_init_display (). */
  g_object_set (gtk_settings_get_default (), "gtk-cursor-blink", FALSE, NULL);
  adw_init ();

  g_test_add ("/kiosk/staff/pin-pad", Fixture, NULL, fixture_set_up, test_pin_pad, fixture_tear_down);
  g_test_add ("/kiosk/staff/service-title-language", Fixture, NULL, fixture_set_up,
              test_service_title_language, fixture_tear_down);
  g_test_add ("/kiosk/staff/idle-logout", Fixture, NULL, fixture_set_up, test_idle_logout, fixture_tear_down);
  g_test_add ("/kiosk/staff/pin-pad-still", Fixture, NULL, fixture_set_up, test_pin_pad_still, fixture_tear_down);
  g_test_add ("/kiosk/staff/clerk-scan", Fixture, NULL, fixture_set_up, test_clerk_scan, fixture_tear_down);
  g_test_add ("/kiosk/staff/clerk-row-actions", Fixture, NULL, fixture_set_up, test_clerk_row_actions, fixture_tear_down);
  g_test_add ("/kiosk/staff/admin-settings", Fixture, NULL, fixture_set_up, test_admin_settings, fixture_tear_down);
  g_test_add ("/kiosk/staff/window", Fixture, NULL, fixture_set_up, test_window, fixture_tear_down);
  g_test_add ("/kiosk/staff/admin-export", Fixture, NULL, fixture_set_up, test_admin_export, fixture_tear_down);

  return g_test_run ();
}

/* kiosk-screenshots.c — renders every page of the kiosk to PNG
 *
 * SPDX-FileCopyrightText: 2026 Stadtkiosk contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Usage: kiosk-screenshots OUTDIR [WIDTH HEIGHT]   (under Xvfb; see take-screenshots)
 *
 * Walks the real window through a demo session with a fake clock and a
 * throw-away state directory, and saves what the window draws.  Nothing in
 * the kiosk itself knows about screenshots.
 */

#include "config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <locale.h>
#include <string.h>

#include "kiosk-window-private.h"
#include "kiosk-catalog-page.h"
#include "kiosk-form-page.h"
#include "kiosk-status-page.h"
#include "kiosk-payload.h"
#include "kiosk-gui-test-util.h"

#define find_option kiosk_gui_test_find_option

static KioskWindow *window;
static const char *outdir;
static KioskCouchdbTarget *silent_hub;   /* accepts, never answers */

static KioskCouchdbTarget *answering_hub;  /* knows one slip of another kiosk */
static char *view_row;                      /* its view row, with a valid code */

/* The hub's side of a scan of another kiosk's slip: the view's row (never
 * the answers), then the city's status document. */
static gboolean
answer_cb (GThreadedSocketService *service,
           GSocketConnection      *connection,
           GObject                *source,
           gpointer                user_data)
{
  GInputStream *in = g_io_stream_get_input_stream (G_IO_STREAM (connection));
  GOutputStream *out = g_io_stream_get_output_stream (G_IO_STREAM (connection));
  const char *body = NULL;
  g_autofree char *answer = NULL;
  char buf[4096];
  gssize n;

  n = g_input_stream_read (in, buf, sizeof buf - 1, NULL, NULL);
  if (n <= 0)
    return TRUE;
  buf[n] = '\0';
  if (strstr (buf, "_view/citizen_status_by_receipt") != NULL)
    body = view_row;
  else if (strstr (buf, "status%3A0b5e4d1c-0000-4000-8000-000000000042") != NULL)
    body = "{\"type\":\"status\",\"request_id\":\"0b5e4d1c-0000-4000-8000-000000000042\","
           "\"status\":\"received\",\"updated\":\"2026-11-03T08:00:00Z\","
           "\"note\":{\"de\":\"Wir melden uns mit einem Termin.\","
           "\"en\":\"We will get back to you with a date.\","
           "\"ar\":\"سنتواصل معك لتحديد موعد.\"}}";
  answer = body != NULL
           ? g_strdup_printf ("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                              "Content-Length: %zu\r\nConnection: close\r\n\r\n%s", strlen (body), body)
           : g_strdup ("HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
  g_output_stream_write_all (out, answer, strlen (answer), NULL, NULL, NULL);
  return TRUE;
}

/* A hub that accepts the connection and never answers. */
static gboolean
swallow_cb (GSocketService    *service,
            GSocketConnection *connection,
            GObject           *source,
            gpointer           user_data)
{
  g_ptr_array_add (user_data, g_object_ref (connection));
  return TRUE;
}

static void
flush (void)
{
  gint64 until = g_get_monotonic_time () + 300 * 1000;

  /* Let transitions, size allocation and the frame clock settle. */
  while (g_get_monotonic_time () < until)
    g_main_context_iteration (NULL, FALSE);
}

static void
shoot (const char *name)
{
  g_autoptr(GdkPaintable) paintable = NULL;
  g_autoptr(GtkSnapshot) snapshot = gtk_snapshot_new ();
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree char *path = g_strdup_printf ("%s/%s.png", outdir, name);
  int w, h;

  flush ();
  w = gtk_widget_get_width (GTK_WIDGET (window));
  h = gtk_widget_get_height (GTK_WIDGET (window));
  paintable = gtk_widget_paintable_new (GTK_WIDGET (window));
  gdk_paintable_snapshot (paintable, snapshot, w, h);
  node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
  texture = gsk_renderer_render_texture (gtk_native_get_renderer (GTK_NATIVE (window)), node,
                                         &GRAPHENE_RECT_INIT (0, 0, w, h));
  if (!gdk_texture_save_to_png (texture, path))
    g_error ("Could not write %s", path);
  g_print ("%s\n", path);
}

static void
act (const char *action,
     GVariant   *parameter)
{
  gtk_widget_activate_action_variant (GTK_WIDGET (window), action, parameter);
  flush ();
}

static void
session (const char *lang)
{
  KioskFormPage *form;
  g_autofree char *n = NULL;
  g_autofree char *code = NULL;

#define SHOT(page) G_STMT_START { g_free (n); n = g_strdup_printf ("%s-%s", lang, page); shoot (n); } G_STMT_END

  act ("kiosk.start-over", NULL);
  act ("kiosk.language", g_variant_new_string (lang));
  SHOT ("01-welcome");
  act ("kiosk.start", NULL);
  SHOT ("02-catalog");
  gtk_widget_grab_focus (kiosk_catalog_page_get_search_entry (KIOSK_CATALOG_PAGE (_kiosk_window_get_page (window))));
  kiosk_catalog_page_set_query (KIOSK_CATALOG_PAGE (_kiosk_window_get_page (window)),
                                g_str_equal (lang, "de") ? "müll" : "rubbish");
  SHOT ("03-search-keyboard");
  kiosk_catalog_page_set_query (KIOSK_CATALOG_PAGE (_kiosk_window_get_page (window)),
                                g_str_equal (lang, "de") ? "Fahrradständer" : "bicycle stand");
  SHOT ("03b-search-not-found");
  act ("kiosk.open-service", g_variant_new_string ("report-problem"));
  SHOT ("04-service");
  act ("kiosk.begin-form", NULL);
  act ("kiosk.next", NULL);
  SHOT ("05-form-errors");
  form = KIOSK_FORM_PAGE (_kiosk_window_get_page (window));
  gtk_check_button_set_active (find_option (GTK_WIDGET (form), "street-light"), TRUE);
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (GTK_TEXT_VIEW (kiosk_form_page_get_input (form, "description"))),
                            g_str_equal (lang, "de") ? "Die Laterne vor dem Haus flackert seit Tagen."
                                                     : "The street light in front of the house has been flickering for days.", -1);
  gtk_widget_grab_focus (kiosk_form_page_get_input (form, "lamp-number"));
  gtk_editable_set_text (GTK_EDITABLE (kiosk_form_page_get_input (form, "lamp-number")), "L-204");
  SHOT ("06-form-conditional-keyboard");
  /* "Start over" with answers asks first (#16). */
  act ("kiosk.start-over", NULL);
  SHOT ("06b-discard-question");
  act ("kiosk.keep-answers", NULL);
  act ("kiosk.next", NULL);
  gtk_editable_set_text (GTK_EDITABLE (kiosk_form_page_get_input (form, "location")), "Almsstraße 15");
  act ("kiosk.next", NULL);
  gtk_check_button_set_active (find_option (GTK_WIDGET (form), "true"), TRUE);
  gtk_editable_set_text (GTK_EDITABLE (kiosk_form_page_get_input (form, "email")), "maria@example.de");
  gtk_window_set_focus (GTK_WINDOW (window), NULL);
  SHOT ("07-form-step3");
  act ("kiosk.next", NULL);
  SHOT ("08-review");
  act ("kiosk.send", NULL);
  SHOT ("09-done");
  code = g_strdup (kiosk_request_get_short_code (_kiosk_window_get_request (window)));

  /* The idle warning, over the done page. */
  kiosk_clock_advance (kiosk_context_get_clock (g_object_get_data (G_OBJECT (window), "ctx")), 95 * G_USEC_PER_SEC);
  SHOT ("10-idle-warning");
  act ("kiosk.more-time", NULL);

  act ("kiosk.start-over", NULL);
  act ("kiosk.language", g_variant_new_string (lang));
  act ("kiosk.start", NULL);
  act ("kiosk.open-service", g_variant_new_string ("resident-parking"));
  act ("kiosk.begin-form", NULL);
  SHOT ("11-refer");
  act ("kiosk.start-over", NULL);
  act ("kiosk.language", g_variant_new_string (lang));
  g_object_set (window, "high-contrast", TRUE, "large-text", TRUE, NULL);
  act ("kiosk.start", NULL);
  SHOT ("12-high-contrast-large-text");
  act ("kiosk.start-over", NULL);
  g_object_set (window, "high-contrast", FALSE, "large-text", FALSE, NULL);
  act ("kiosk.language", g_variant_new_string (lang));
  act ("kiosk.status", NULL);
  /* The city has it and writes back (#16): delivered, then its status. */
  {
    KioskOutbox *outbox = kiosk_context_get_outbox (g_object_get_data (G_OBJECT (window), "ctx"));
    g_autoptr(KioskRequest) request = kiosk_outbox_get (outbox, code, NULL);
    g_autoptr(GPtrArray) claimed = kiosk_outbox_claim_due (outbox, 100, NULL);
    g_autoptr(KioskRequest) delivered = NULL;

    if (request != NULL)
      delivered = kiosk_outbox_mark_delivered (outbox, kiosk_request_get_id (request), "HI-2026-004711", NULL);
    if (delivered != NULL)
      kiosk_outbox_set_city_status (outbox, kiosk_request_get_id (request), "in_progress",
                                    "{\"de\":\"Die Laterne wird am Donnerstag repariert.\","
                                    "\"en\":\"The street light will be repaired on Thursday.\","
                                    "\"ar\":\"سيتم إصلاح مصباح الشارع يوم الخميس.\"}", NULL);
  }
  gtk_editable_set_text (GTK_EDITABLE (kiosk_status_page_get_code_entry (KIOSK_STATUS_PAGE (_kiosk_window_get_page (window)))),
                         code);
  kiosk_status_page_look_up (KIOSK_STATUS_PAGE (_kiosk_window_get_page (window)));
  gtk_window_set_focus (GTK_WINDOW (window), NULL);
  SHOT ("14-status");

  /* The same slip held to the scanner (#16): its QR code is the payload
   * sealed at rest, found by its digest. */
  {
    KioskStatusPage *page = KIOSK_STATUS_PAGE (_kiosk_window_get_page (window));
    KioskContext *context = g_object_get_data (G_OBJECT (window), "ctx");
    g_autoptr(KioskRequest) request = kiosk_outbox_get (kiosk_context_get_outbox (context), code, NULL);
    g_autoptr(KioskReceipt) receipt = NULL;

    if (request != NULL)
      receipt = kiosk_receipt_new_for_request (context, request, NULL, lang, NULL);
    if (receipt != NULL)
      {
        gtk_editable_set_text (GTK_EDITABLE (kiosk_status_page_get_code_entry (page)),
                               kiosk_qr_get_text (kiosk_receipt_get_qr (receipt)));
        kiosk_status_page_look_up (page);
        gtk_window_set_focus (GTK_WINDOW (window), NULL);
        SHOT ("14d-status-scanned");
      }
  }

  /* A code of another kiosk, with a hub that does not answer: "asking the
   * city's system", then after the deadline "could not ask" (#16). */
  {
    KioskStatusPage *page = KIOSK_STATUS_PAGE (_kiosk_window_get_page (window));
    g_autofree char *other = kiosk_short_code_generate ("HSK");
    gint64 until;

    kiosk_status_page_set_hub (page, silent_hub);
    gtk_editable_set_text (GTK_EDITABLE (kiosk_status_page_get_code_entry (page)), other);
    kiosk_status_page_look_up (page);
    gtk_window_set_focus (GTK_WINDOW (window), NULL);
    SHOT ("14b-status-asking");
    until = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
    while (kiosk_status_page_is_busy (page) && g_get_monotonic_time () < until)
      g_main_context_iteration (NULL, TRUE);
    SHOT ("14c-status-unreachable");
    kiosk_status_page_set_hub (page, NULL);
  }

  /* A slip of another kiosk held to the scanner: the hub knows it by its
   * digest (#16). */
  {
    KioskStatusPage *page = KIOSK_STATUS_PAGE (_kiosk_window_get_page (window));
    guint8 bytes[KIOSK_PAYLOAD_HEADER_BYTES + 128] = { 'S', 'K', KIOSK_PAYLOAD_VERSION, 0, 1, 2, 3, 4, 0, 128 };
    g_autoptr(GBytes) payload = NULL;
    g_autofree char *text = NULL;
    gint64 until;

    for (guint i = KIOSK_PAYLOAD_HEADER_BYTES; i < sizeof bytes; i++)
      bytes[i] = (guint8) (i * 7);
    payload = g_bytes_new (bytes, sizeof bytes);
    text = kiosk_payload_encode_qr_text (payload);
    kiosk_status_page_set_hub (page, answering_hub);
    gtk_editable_set_text (GTK_EDITABLE (kiosk_status_page_get_code_entry (page)), text);
    kiosk_status_page_look_up (page);
    until = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
    while (kiosk_status_page_is_busy (page) && g_get_monotonic_time () < until)
      g_main_context_iteration (NULL, TRUE);
    gtk_window_set_focus (GTK_WINDOW (window), NULL);
    SHOT ("14e-status-scanned-hub");
    kiosk_status_page_set_hub (page, NULL);
  }

  /* A date in three boxes on the number pad, the town pre-filled, and
   * messages that say what to do (#16). */
  act ("kiosk.start-over", NULL);
  act ("kiosk.language", g_variant_new_string (lang));
  act ("kiosk.start", NULL);
  act ("kiosk.open-service", g_variant_new_string ("library-card"));
  act ("kiosk.begin-form", NULL);
  form = KIOSK_FORM_PAGE (_kiosk_window_get_page (window));
  gtk_editable_set_text (GTK_EDITABLE (kiosk_form_page_get_input (form, "name")), "Maria Muster");
  {
    const char * const date[] = { "31", "2", "1980" };
    const char * const address[] = { "Almsstraße", "15", "3113" };
    GPtrArray *rows[2] = { g_ptr_array_new (), g_ptr_array_new () };
    const char *ids[2] = { "birth-date", "address" };

    for (guint r = 0; r < 2; r++)
      for (GtkWidget *w = gtk_widget_get_first_child (kiosk_form_page_get_field_row (form, ids[r]));
           w != NULL; w = gtk_widget_get_next_sibling (w))
        if (GTK_IS_GRID (w))
          for (GtkWidget *c = gtk_widget_get_first_child (w); c != NULL; c = gtk_widget_get_next_sibling (c))
            if (GTK_IS_ENTRY (c))
              g_ptr_array_add (rows[r], c);
    for (guint i = 0; i < 3 && i < rows[0]->len; i++)
      gtk_editable_set_text (GTK_EDITABLE (rows[0]->pdata[i]), date[i]);
    for (guint i = 0; i < 3 && i < rows[1]->len; i++)
      gtk_editable_set_text (GTK_EDITABLE (rows[1]->pdata[i]), address[i]);
    g_ptr_array_unref (rows[0]);
    g_ptr_array_unref (rows[1]);
  }
  flush ();
  act ("kiosk.next", NULL);
  /* Without the keyboard: the summary and the messages in sight. */
  gtk_window_set_focus (GTK_WINDOW (window), NULL);
  flush ();
  {
    /* The date's boxes at the top, the address below them. */
    GtkWidget *row = kiosk_form_page_get_field_row (form, "birth-date");
    GtkWidget *scroller = gtk_widget_get_ancestor (row, GTK_TYPE_SCROLLED_WINDOW);
    GtkWidget *content = gtk_widget_get_first_child (gtk_scrolled_window_get_child (GTK_SCROLLED_WINDOW (scroller)));
    graphene_rect_t b;

    if (gtk_widget_compute_bounds (row, content, &b))
      gtk_adjustment_set_value (gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scroller)),
                                b.origin.y - 12);
    flush ();
  }
  SHOT ("05c-form-date-address");
  act ("kiosk.start-over", NULL);
  act ("kiosk.discard-answers", NULL);
  act ("kiosk.start-over", NULL);
#undef SHOT
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KioskConfig) config = NULL;
  g_autoptr(KioskClock) clock = NULL;
  g_autoptr(KioskContext) context = NULL;
  g_autoptr(GtkCssProvider) css = NULL;
  g_autofree char *state_dir = NULL;
  g_autofree char *conf = NULL;
  int width = 1280, height = 800;
  const char *only = g_getenv ("SCREENSHOT_LANGUAGES");
  g_auto(GStrv) languages = NULL;
  g_autofree char *config_text = NULL;
  g_autofree char *language_list = NULL;

  if (argc < 2)
    {
      g_printerr ("usage: %s OUTDIR [WIDTH HEIGHT]\n", argv[0]);
      return 2;
    }
  outdir = argv[1];
  if (argc >= 4)
    {
      width = atoi (argv[2]);
      height = atoi (argv[3]);
    }

  setlocale (LC_ALL, "C.UTF-8");
  g_setenv ("LANGUAGE", "de", TRUE);
  bindtextdomain (GETTEXT_PACKAGE, g_getenv ("STADTKIOSK_LOCALEDIR"));
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
  gtk_init ();
  adw_init ();
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_FORCE_LIGHT);
  css = gtk_css_provider_new ();
  gtk_css_provider_load_from_resource (css, "/de/hildesheim/Stadtkiosk/style.css");
  gtk_style_context_add_provider_for_display (gdk_display_get_default (), GTK_STYLE_PROVIDER (css),
                                              GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
  gtk_icon_theme_add_resource_path (gtk_icon_theme_get_for_display (gdk_display_get_default ()),
                                    "/de/hildesheim/Stadtkiosk/icons");

  state_dir = g_dir_make_tmp ("stadtkiosk-shots-XXXXXX", &error);
  g_assert_no_error (error);
  conf = g_build_filename (state_dir, "kiosk.conf", NULL);
  /* Any languages of the table (kiosk-language.c), German first as on a
   * kiosk; the welcome page offers the ones photographed. */
  languages = g_strsplit_set (only != NULL ? only : "de en ar", " ;,", -1);
  for (guint i = 0; languages[i] != NULL; i++)
    if (*languages[i] != '\0' && !kiosk_language_is_supported (languages[i]))
      g_error ("SCREENSHOT_LANGUAGES: \"%s\" is not a language of the kiosk", languages[i]);
  {
    GString *list = g_string_new ("de;");

    for (guint i = 0; languages[i] != NULL; i++)
      if (*languages[i] != '\0' && !g_str_equal (languages[i], "de"))
        g_string_append_printf (list, "%s;", languages[i]);
    language_list = g_string_free (list, FALSE);
  }
  config_text = g_strdup_printf ("[kiosk]\nlanguages=%s\n[keys]\nmode=demo\n", language_list);
  g_file_set_contents (conf, config_text, -1, &error);
  g_assert_no_error (error);
  config = kiosk_config_new_from_file (conf, &error);
  g_assert_no_error (error);
  kiosk_config_set_state_dir (config, state_dir);
  if (!kiosk_keys_ensure_demo (config, &error))
    g_error ("%s", error->message);
  clock = kiosk_clock_new_fake (G_GINT64_CONSTANT (1795000000) * G_USEC_PER_SEC);
  context = kiosk_context_new (config, clock, &error);
  g_assert_no_error (error);

  {
    g_autoptr(GSocketService) service = g_socket_service_new ();
    g_autofree char *hub_conf = g_build_filename (state_dir, "hub.conf", NULL);
    g_autofree char *hub_text = NULL;
    g_autoptr(KioskConfig) hub_config = NULL;
    GPtrArray *kept = g_ptr_array_new_with_free_func (g_object_unref);
    guint16 port = g_socket_listener_add_any_inet_port (G_SOCKET_LISTENER (service), NULL, &error);

    g_assert_no_error (error);
    g_object_set_data_full (G_OBJECT (service), "kept", kept, (GDestroyNotify) g_ptr_array_unref);
    g_signal_connect (service, "incoming", G_CALLBACK (swallow_cb), kept);
    g_socket_service_start (service);
    g_object_set_data_full (G_OBJECT (context), "silent-service", g_steal_pointer (&service), g_object_unref);
    hub_text = g_strdup_printf ("[kiosk]\nstate-dir=%s\n[couchdb]\nurl=http://127.0.0.1:%u/stadtkiosk\n",
                                state_dir, port);
    g_file_set_contents (hub_conf, hub_text, -1, &error);
    g_assert_no_error (error);
    hub_config = kiosk_config_new_from_file (hub_conf, &error);
    g_assert_no_error (error);
    silent_hub = kiosk_couchdb_target_new (hub_config, clock, 1, &error);
    g_assert_no_error (error);
  }
  {
    g_autoptr(GSocketService) service = g_threaded_socket_service_new (4);
    g_autofree char *hub_conf = g_build_filename (state_dir, "answering-hub.conf", NULL);
    g_autofree char *hub_text = NULL;
    g_autoptr(KioskConfig) hub_config = NULL;
    guint16 port = g_socket_listener_add_any_inet_port (G_SOCKET_LISTENER (service), NULL, &error);

    g_assert_no_error (error);
    g_signal_connect (service, "run", G_CALLBACK (answer_cb), NULL);
    g_socket_service_start (service);
    g_object_set_data_full (G_OBJECT (context), "answering-service", g_steal_pointer (&service), g_object_unref);
    hub_text = g_strdup_printf ("[kiosk]\nstate-dir=%s\n[couchdb]\nurl=http://127.0.0.1:%u/stadtkiosk\n",
                                state_dir, port);
    g_file_set_contents (hub_conf, hub_text, -1, &error);
    g_assert_no_error (error);
    hub_config = kiosk_config_new_from_file (hub_conf, &error);
    g_assert_no_error (error);
    {
      g_autofree char *other_code = kiosk_short_code_generate ("HSK");

      view_row = g_strdup_printf ("{\"rows\":[{\"id\":\"0b5e4d1c-0000-4000-8000-000000000042\",\"value\":{"
                                  "\"service_id\":\"bulky-waste\",\"created\":\"2026-11-02T09:30:00Z\","
                                  "\"kiosk_id\":\"rathaus-1\",\"short_code\":\"%s\"}}]}", other_code);
    }
    answering_hub = kiosk_couchdb_target_new (hub_config, clock, 1, &error);
    g_assert_no_error (error);
  }

  window = kiosk_window_new_for_context (context);
  g_object_set_data (G_OBJECT (window), "ctx", context);
  gtk_window_set_default_size (GTK_WINDOW (window), width, height);
  gtk_window_present (GTK_WINDOW (window));
  flush ();

  for (guint i = 0; languages[i] != NULL; i++)
    if (*languages[i] != '\0')
      session (languages[i]);

  gtk_window_destroy (GTK_WINDOW (window));
  g_clear_object (&silent_hub);
  g_clear_object (&answering_hub);
  g_free (view_row);
  return 0;
}

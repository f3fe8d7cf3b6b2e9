/* staff-screenshots.c — the staff screens, for docs/screenshots
 *
 * SPDX-FileCopyrightText: 2026 Stadtkiosk contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Usage (see docs/staff.md):
 *   xvfb-run -a -s '-screen 0 1280x800x24' staff-screenshots OUTDIR
 * Shows each staff screen with demo data, and takes the picture with
 * ImageMagick's `import -window root` as a person would see it.
 */

#include "config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <locale.h>
#include <string.h>

#include "kiosk-admin-page.h"
#include "kiosk-clerk-page.h"
#include "kiosk-counter-window.h"
#include "kiosk-pin-pad.h"
#include "kiosk-staff-screen.h"

static void
wait_ms (guint ms)
{
  gint64 end = g_get_monotonic_time () + ms * 1000;

  while (g_get_monotonic_time () < end)
    {
      while (g_main_context_iteration (NULL, FALSE))
        ;
      g_usleep (10000);
    }
}

static void
shoot (const char *dir,
       const char *name)
{
  g_autofree char *path = g_strdup_printf ("%s/staff-%s.png", dir, name);
  g_autoptr(GError) error = NULL;
  const char *argv[] = { "import", "-window", "root", "-depth", "8", path, NULL };
  int status = 0;

  wait_ms (1200);
  if (!g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, NULL, &status, &error) ||
      !g_spawn_check_wait_status (status, &error))
    g_printerr ("staff-screenshots: %s: %s\n", path, error->message);
  else
    g_print ("%s\n", path);
}

/* Scrolls the first scrolled window inside @widget to its end. */
static gboolean
scroll_to_end (GtkWidget *widget)
{
  if (GTK_IS_SCROLLED_WINDOW (widget))
    {
      GtkAdjustment *adj = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (widget));

      wait_ms (300);
      gtk_adjustment_set_value (adj, gtk_adjustment_get_upper (adj) - gtk_adjustment_get_page_size (adj));
      return TRUE;
    }
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c != NULL; c = gtk_widget_get_next_sibling (c))
    if (scroll_to_end (c))
      return TRUE;
  return FALSE;
}

static GtkWidget *
show (GtkWidget *child)
{
  GtkWidget *window = gtk_window_new ();

  gtk_window_set_decorated (GTK_WINDOW (window), FALSE);
  gtk_window_set_default_size (GTK_WINDOW (window), 1280, 800);
  gtk_window_set_child (GTK_WINDOW (window), child);
  gtk_window_present (GTK_WINDOW (window));
  return window;
}

static KioskRequest *
enqueue (KioskContext *context,
         const char   *service)
{
  g_autoptr(GBytes) answers = g_bytes_new_static ("{\"name\":\"Erika\"}", 16);
  g_autofree char *id = g_uuid_string_random ();
  g_autofree char *code = kiosk_outbox_new_short_code (kiosk_context_get_outbox (context));
  g_autoptr(GBytes) sealed = NULL;
  KioskRequestDraft draft = {
    .id = id, .short_code = code, .service_id = service, .service_version = 1,
    .locale = "de", .answers = answers,
  };

  kiosk_sealer_seal_at_rest (kiosk_context_get_config (context),
                             kiosk_context_get_clock (context),
                             &draft, &sealed, NULL);
  return kiosk_outbox_enqueue (kiosk_context_get_outbox (context), &draft, "citizen", NULL);
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *state = NULL;
  g_autofree char *conf = NULL;
  g_autofree char *text = NULL;
  g_autofree char *media = NULL;
  g_autoptr(KioskConfig) config = NULL;
  g_autoptr(KioskClock) clock = NULL;
  g_autoptr(KioskContext) context = NULL;
  KioskOutbox *outbox;
  GtkWidget *screen;
  GtkWidget *window;
  KioskCounterWindow *counter;
  const char *services[] = { "bulky-waste", "report-problem", "library-card", "bulky-waste", "dog-tax" };

  if (argc != 2)
    {
      g_printerr ("usage: staff-screenshots OUTDIR\n");
      return 2;
    }
  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, g_getenv ("STADTKIOSK_LOCALEDIR") != NULL ?
                  g_getenv ("STADTKIOSK_LOCALEDIR") : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
  gtk_init ();
  adw_init ();

  state = g_dir_make_tmp ("staff-shots-XXXXXX", NULL);
  media = g_build_filename (state, "media", "kiosk", "USB-STICK", NULL);
  g_mkdir_with_parents (media, 0700);
  g_free (media);
  media = g_build_filename (state, "media", NULL);
  g_setenv ("STADTKIOSK_MEDIA_DIRS", media, TRUE);
  conf = g_build_filename (state, "kiosk.conf", NULL);
  text = g_strdup_printf ("[kiosk]\nid=stadtbibliothek-1\nstate-dir=%s\n"
                          "location=Stadtbibliothek Hildesheim, Judenstraße 1\n"
                          "[backend]\nurl=https://kiosk-api.hildesheim.example/\n"
                          "[printer]\nbackend=pdf:%s\n[keys]\nmode=demo\n", state, state);
  g_file_set_contents (conf, text, -1, NULL);
  config = kiosk_config_new_from_file (conf, &error);
  if (config == NULL)
    {
      g_printerr ("staff-screenshots: %s\n", error->message);
      return 1;
    }
  clock = kiosk_clock_new_fake (g_get_real_time () - 30 * G_TIME_SPAN_HOUR);
  context = kiosk_context_new (config, clock, &error);
  if (context == NULL)
    {
      g_printerr ("staff-screenshots: %s\n", error->message);
      return 1;
    }
  kiosk_pins_set (kiosk_context_get_pins (context), KIOSK_ROLE_CLERK, "482913", NULL);
  kiosk_pins_set (kiosk_context_get_pins (context), KIOSK_ROLE_ADMIN, "730561", NULL);

  /* A day of a kiosk without a network: queued ones that failed, one the
   * backend refused. */
  outbox = kiosk_context_get_outbox (context);
  for (guint i = 0; i < G_N_ELEMENTS (services); i++)
    {
      g_autoptr(KioskRequest) r = enqueue (context, services[i]);
      kiosk_clock_advance (clock, (gint64) (3 + i * 2) * G_TIME_SPAN_HOUR);
    }
  {
    g_autoptr(GPtrArray) claimed = kiosk_outbox_claim_due (outbox, 10, NULL);
    gint64 now = kiosk_clock_get_now (clock);

    for (guint i = 0; claimed != NULL && i < claimed->len; i++)
      {
        const char *id = kiosk_request_get_id (claimed->pdata[i]);
        g_autoptr(KioskRequest) r = i == 1 ?
          kiosk_outbox_mark_rejected (outbox, id, "postal code 30159 is not in Hildesheim", NULL) :
          kiosk_outbox_mark_retry (outbox, id, now + (gint64) (5 + i) * 60 * G_USEC_PER_SEC,
                                   "no answer from the city's server (timeout)", NULL);
      }
  }

  /* The PIN pad, and the same after three wrong PINs. */
  screen = kiosk_staff_screen_new (context);
  window = show (screen);
  shoot (argv[1], "pin");
  for (guint i = 0; i < 3; i++)
    {
      KioskPinPad *pad = KIOSK_PIN_PAD (kiosk_staff_screen_get_pin_pad (KIOSK_STAFF_SCREEN (screen)));
      const char *wrong = "271828";

      for (const char *p = wrong; *p != '\0'; p++)
        kiosk_pin_pad_press_digit (pad, *p);
      kiosk_pin_pad_submit (pad);
      while (kiosk_pin_pad_get_busy (pad))
        g_main_context_iteration (NULL, TRUE);
    }
  shoot (argv[1], "pin-wait");
  gtk_window_destroy (GTK_WINDOW (window));
  kiosk_pins_reset_lockout (kiosk_context_get_pins (context), NULL);

  /* The clerk's queue, with a scanned receipt. */
  screen = kiosk_staff_screen_new (context);
  window = show (screen);
  {
    KioskPinPad *pad = KIOSK_PIN_PAD (kiosk_staff_screen_get_pin_pad (KIOSK_STAFF_SCREEN (screen)));
    KioskClerkPage *page = KIOSK_CLERK_PAGE (kiosk_staff_screen_get_clerk_page (KIOSK_STAFF_SCREEN (screen)));
    g_autoptr(GPtrArray) queued = kiosk_outbox_list (outbox, KIOSK_REQUEST_QUEUED, NULL);

    for (const char *p = "730561"; *p != '\0'; p++)
      kiosk_pin_pad_press_digit (pad, *p);
    kiosk_pin_pad_submit (pad);
    while (kiosk_pin_pad_get_busy (pad))
      g_main_context_iteration (NULL, TRUE);
    kiosk_clerk_page_set_keys (page, kiosk_keys_load_for_counter (config, NULL, NULL, NULL));
    if (queued != NULL && queued->len > 0)
      kiosk_clerk_page_scan (page, kiosk_request_get_short_code (queued->pdata[0]));
    shoot (argv[1], "clerk");

    kiosk_staff_screen_show_admin (KIOSK_STAFF_SCREEN (screen));
    kiosk_admin_page_refresh (KIOSK_ADMIN_PAGE (kiosk_staff_screen_get_admin_page (KIOSK_STAFF_SCREEN (screen))));
    shoot (argv[1], "admin");
    scroll_to_end (kiosk_staff_screen_get_admin_page (KIOSK_STAFF_SCREEN (screen)));
    shoot (argv[1], "admin-diagnostics");
  }
  gtk_window_destroy (GTK_WINDOW (window));

  /* The counter window, after importing an exported queue. */
  {
    g_autofree char *file = g_build_filename (state, "media", "kiosk", "USB-STICK", "stadtkiosk-bib-1.skq", NULL);
    g_autofree char *cstate = g_build_filename (state, "counter", NULL);
    g_autofree char *cconf = g_build_filename (state, "counter.conf", NULL);
    g_autofree char *demo = kiosk_keys_dup_demo_dir (config);
    g_autofree char *ctext = NULL;
    g_autoptr(KioskConfig) cconfig = NULL;
    g_autoptr(KioskContext) ccontext = NULL;

    kiosk_queue_export (context, file, NULL, NULL);
    ctext = g_strdup_printf ("[kiosk]\nid=buergeramt-counter\nstate-dir=%s\n"
                             "[keys]\ncity-secret-key=%s/city.key\ntrusted-kiosks=%s/kiosk.pub;\n",
                             cstate, demo, demo);
    g_file_set_contents (cconf, ctext, -1, NULL);
    cconfig = kiosk_config_new_from_file (cconf, &error);
    ccontext = cconfig != NULL ? kiosk_context_new (cconfig, clock, &error) : NULL;
    if (ccontext == NULL)
      {
        g_printerr ("staff-screenshots: counter: %s\n", error->message);
        return 1;
      }
    counter = kiosk_counter_window_new (NULL, ccontext);
    gtk_window_set_default_size (GTK_WINDOW (counter), 1280, 800);
    gtk_window_present (GTK_WINDOW (counter));
    if (!kiosk_counter_window_import (counter, file, &error))
      g_printerr ("staff-screenshots: import: %s\n", error->message);
    {
      /* A citizen brings a receipt whose request never left the kiosk. */
      g_autoptr(KioskKeys) keys = kiosk_keys_load_for_kiosk (config, NULL);
      const char *json = "{\"address\":\"Almsstraße 12\",\"items\":[\"sofa\",\"wardrobe\"]}";
      g_autoptr(GBytes) answers = g_bytes_new_static (json, strlen (json));
      g_autofree char *id = g_uuid_string_random ();
      g_autofree char *code = kiosk_outbox_new_short_code (outbox);
      KioskPayloadFields fields = {
        .id = id, .short_code = code, .kiosk_id = "stadtbibliothek-1", .service_id = "bulky-waste",
        .service_version = 1, .locale = "de", .created_us = kiosk_clock_get_now (clock), .answers = answers,
      };
      g_autoptr(GBytes) qr = keys != NULL ? kiosk_payload_seal (&fields, keys->signing, keys->city, TRUE, 650, NULL) : NULL;
      g_autofree char *qr_text = qr != NULL ? kiosk_payload_encode_qr_text (qr) : NULL;

      if (qr_text != NULL)
        kiosk_clerk_page_scan (KIOSK_CLERK_PAGE (kiosk_counter_window_get_clerk_page (counter)), qr_text);
    }
    shoot (argv[1], "counter");
    gtk_window_destroy (GTK_WINDOW (counter));
  }

  return 0;
}

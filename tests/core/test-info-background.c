/* test-info-background.c: the info cards' pulls while the kiosk runs
 *
 * SPDX-FileCopyrightText: 2026 Stadtkiosk contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "kiosk-fake-portal.h"
#include "kiosk-info-background.h"
#include "kiosk-test-util.h"
#include "stadtkiosk-core.h"

#define T0 (G_GINT64_CONSTANT (1796634000) * G_USEC_PER_SEC)
#define MINUTE (G_GINT64_CONSTANT (60) * G_USEC_PER_SEC)

typedef struct
{
  char            *dir;
  KioskConfig     *config;
  KioskClock      *clock;
  KioskContext    *context;
  KioskSession    *session;
  KioskFakePortal *portal;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *conf = NULL;
  g_autofree char *text = NULL;
  g_autofree char *json = NULL;
  g_autoptr(GBytes) bytes = NULL;
  const char *url;
  GDate today;

  f->dir = g_dir_make_tmp ("test-info-background-XXXXXX", &error);
  g_assert_no_error (error);
  conf = g_build_filename (f->dir, "kiosk.conf", NULL);
  text = g_strdup_printf ("[kiosk]\nid=kiosk-a\nstate-dir=%s\n[keys]\nseal=off\n", f->dir);
  g_assert_true (g_file_set_contents (conf, text, -1, NULL));
  f->config = kiosk_config_new_from_file (conf, &error);
  g_assert_no_error (error);
  f->clock = kiosk_clock_new_fake (T0);
  f->context = kiosk_context_new (f->config, f->clock, &error);
  g_assert_no_error (error);

  g_date_clear (&today, 1);
  g_date_set_dmy (&today, 7, G_DATE_DECEMBER, 2026);
  f->portal = kiosk_fake_portal_new (0, &today, &error);
  g_assert_no_error (error);
  url = kiosk_fake_portal_get_url (f->portal);
  /* Two cards (data == NULL), or none. */
  json = g_strdup_printf (
    "{\"format\": 1, \"version\": \"t\","
    " \"categories\": [{\"id\": \"c\", \"title\": {\"de\": \"C\"}}],"
    " \"services\": [{\"id\": \"s\", \"version\": 1, \"title\": {\"de\": \"S\"}, \"summary\": {\"de\": \"S\"},"
    "   \"offline\": \"queue\", \"category\": \"c\","
    "   \"steps\": [{\"id\": \"a\", \"title\": {\"de\": \"A\"},"
    "     \"fields\": [{\"id\": \"f\", \"type\": \"text\", \"label\": {\"de\": \"F\"}}]}]}]%s%s%s%s%s}",
    data == NULL ? ", \"info\": [{\"id\": \"news\", \"title\": {\"de\": \"Neuigkeiten\"}, "
                   "\"source\": {\"type\": \"feed\", \"url\": \"" : "",
    data == NULL ? url : "",
    data == NULL ? "/news.rss\"}}, {\"id\": \"smart\", \"title\": {\"de\": \"Smart City\"}, "
                   "\"source\": {\"type\": \"feed\", \"url\": \"" : "",
    data == NULL ? url : "",
    data == NULL ? "/news.atom\"}}]" : "");
  bytes = g_bytes_new (json, strlen (json));
  g_assert_true (kiosk_catalog_store_active (kiosk_context_get_store (f->context), bytes, "test", NULL, &error));
  g_assert_no_error (error);
  f->session = kiosk_session_new (f->context);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_assert_finalize_object (f->session);
  g_clear_pointer (&f->portal, kiosk_fake_portal_free);
  g_assert_finalize_object (f->context);
  g_clear_object (&f->config);
  g_assert_finalize_object (f->clock);
  kiosk_test_rm_rf (f->dir);
  g_free (f->dir);
}

/* Waits (on the condition, not on time) until @n pulls have finished. */
static void
wait_done (KioskInfoBackground *background,
           guint                n)
{
  while (kiosk_info_background_get_n_done (background) < n)
    g_main_context_iteration (NULL, TRUE);
}

static gint64
checked_at (Fixture    *f,
            const char *card_id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KioskInfoEntry) entry = kiosk_info_cache_lookup (kiosk_context_get_store (f->context), card_id, &error);

  g_assert_no_error (error);
  return entry != NULL && entry->body != NULL ? entry->checked_at : 0;
}

/* The first pull a minute after the start, then every 30 minutes; none
 * after the stop, and the timer lets the object go. */
static void
test_ticks (Fixture       *f,
            gconstpointer  data)
{
  KioskInfoBackground *background = kiosk_info_background_new (f->context, f->session, f->clock);

  kiosk_info_background_start (background);

  kiosk_clock_advance (f->clock, MINUTE - 1);
  g_assert_cmpuint (kiosk_info_background_get_n_started (background), ==, 0);
  g_assert_cmpuint (kiosk_fake_portal_get_requests (f->portal), ==, 0);

  kiosk_clock_advance (f->clock, 1);
  g_assert_cmpuint (kiosk_info_background_get_n_started (background), ==, 1);
  wait_done (background, 1);
  g_assert_cmpuint (kiosk_fake_portal_get_requests (f->portal), ==, 2);
  g_assert_cmpint (checked_at (f, "news"), ==, T0 + MINUTE);
  g_assert_cmpint (checked_at (f, "smart"), ==, T0 + MINUTE);

  /* 29 more minutes: not yet. */
  kiosk_clock_advance (f->clock, 29 * MINUTE);
  g_assert_cmpuint (kiosk_info_background_get_n_started (background), ==, 1);

  /* The 30th minute after the first pull: the second. */
  kiosk_clock_advance (f->clock, MINUTE);
  g_assert_cmpuint (kiosk_info_background_get_n_started (background), ==, 2);
  wait_done (background, 2);
  g_assert_cmpuint (kiosk_fake_portal_get_requests (f->portal), ==, 4);
  g_assert_cmpint (checked_at (f, "news"), ==, T0 + 31 * MINUTE);

  /* Two hours in one step fire four ticks at their due times; each pull
   * runs while the fake clock stands, so only the first starts. */
  kiosk_clock_advance (f->clock, 120 * MINUTE);
  g_assert_cmpuint (kiosk_info_background_get_n_started (background), ==, 3);
  wait_done (background, 3);

  kiosk_info_background_stop (background);
  kiosk_clock_advance (f->clock, 600 * MINUTE);
  g_assert_cmpuint (kiosk_info_background_get_n_started (background), ==, 3);
  g_assert_finalize_object (background);
}

/* A catalogue without cards: ticks, but nothing is fetched. */
static void
test_no_cards (Fixture       *f,
               gconstpointer  data)
{
  KioskInfoBackground *background = kiosk_info_background_new (f->context, f->session, f->clock);

  kiosk_info_background_start (background);
  kiosk_clock_advance (f->clock, 90 * MINUTE);
  g_assert_cmpuint (kiosk_info_background_get_n_started (background), ==, 0);
  g_assert_cmpuint (kiosk_fake_portal_get_requests (f->portal), ==, 0);
  kiosk_info_background_stop (background);
  g_assert_finalize_object (background);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/kiosk/info-background/ticks", Fixture, NULL, fixture_set_up, test_ticks, fixture_tear_down);
  g_test_add ("/kiosk/info-background/no-cards", Fixture, "none", fixture_set_up, test_no_cards, fixture_tear_down);

  return g_test_run ();
}

/* fuzz-info.c: libFuzzer target for the info readers' glue
 *
 * The first byte picks the reader (iCalendar, RSS/Atom, JSON with
 * pointers), the rest is the document.  Whatever a reader accepts must come
 * out as items with a non-empty UTF-8 title and UTF-8 texts, and the waste
 * card's street search and date lookup must run over it; whatever it refuses
 * must say so in KIOSK_INFO_ERROR with a message.  libical and libxml2 are
 * not instrumented here; the glue around them is.
 *
 * SPDX-FileCopyrightText: 2026 Stadtkiosk contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <stdint.h>
#include <string.h>

#include "stadtkiosk-core.h"

int LLVMFuzzerInitialize (int *argc, char ***argv);
int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

static gboolean canary;
static KioskCatalog *catalog;

static const char catalog_json[] =
  "{\"format\": 1, \"version\": \"fuzz\", \"categories\": [{\"id\": \"c\", \"title\": {\"de\": \"C\"}}],"
  " \"services\": [{\"id\": \"s\", \"version\": 1, \"title\": {\"de\": \"S\"}, \"summary\": {\"de\": \"S\"},"
  "   \"offline\": \"queue\", \"category\": \"c\", \"steps\": [{\"id\": \"a\", \"title\": {\"de\": \"A\"},"
  "   \"fields\": [{\"id\": \"f\", \"type\": \"text\", \"label\": {\"de\": \"F\"}}]}]}],"
  " \"info\": ["
  "  {\"id\": \"ical\", \"kind\": \"waste\", \"title\": {\"de\": \"A\"}, \"source\": {\"type\": \"ical\", \"url\": \"http://x/\"}},"
  "  {\"id\": \"feed\", \"title\": {\"de\": \"N\"}, \"source\": {\"type\": \"feed\", \"url\": \"http://x/\"}},"
  "  {\"id\": \"json\", \"title\": {\"de\": \"P\"}, \"source\": {\"type\": \"json\", \"url\": \"http://x/\","
  "   \"items\": \"/p\", \"title\": \"/n\", \"text\": \"/t/0\", \"value\": \"/v\", \"time\": \"/s\"}}]}";

static const char *const seeds[] = {
  "\0BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nUID:1\r\nDTSTART;VALUE=DATE:20261208\r\n"
  "SUMMARY:Restmüll\r\nLOCATION:Almsstraße\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\nUID:2\r\n"
  "DTSTART:20261209T070000Z\r\nSUMMARY:Bioabfall\r\nLOCATION:Zingel\r\nDESCRIPTION:<b>früh</b> &amp; so\r\n"
  "END:VEVENT\r\nEND:VCALENDAR\r\n",
  "\1<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>T</title><item><title>Nachricht</title>"
  "<description>&lt;p&gt;Text&lt;/p&gt;</description><pubDate>Mon, 07 Dec 2026 08:00:00 +0100</pubDate></item>"
  "</channel></rss>",
  "\1<feed xmlns=\"http://www.w3.org/2005/Atom\"><entry><title>E</title><summary>S</summary>"
  "<updated>2026-12-06T09:00:00Z</updated></entry></feed>",
  /* A feed item whose title is most of the input: the negative control's
   * planted bug (a digit in a feed item's title) is then one byte changed
   * away in most places, and a working fuzzer reaches it within thousands
   * of runs, not the 780,000 the short titles above took (run-short's
   * 60 s did not always hold them).  No digit here: the control must be
   * reached by mutation, not read from a seed. */
  "\1<rss version=\"2.0\"><channel><title>T</title><item><title>Sperrung der Almsstraße wegen "
  "Bauarbeiten: Umleitung über den Zingel und die Kaiserstraße, die Busse fahren ohne Halt am "
  "Hauptbahnhof und am Bernwardsplatz, Fußgänger gehen über die Brücke am Ratsbauhof</title>"
  "<description>Umleitung</description></item></channel></rss>",
  "\2{\"p\": [{\"n\": \"Parkhaus\", \"t\": [\"frei\"], \"v\": 12, \"s\": \"2026-12-07T08:00:00Z\"},"
  " {\"n\": 3, \"v\": 1.5, \"s\": 1796634000}]}",
};

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  g_autoptr(GBytes) bytes = g_bytes_new_static (catalog_json, strlen (catalog_json));
  const char *seeds_dir = g_getenv ("KIOSK_FUZZ_SEEDS_DIR");

  g_log_set_always_fatal (G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING);
  /* The harness's negative control (run-short): a planted bug that only a
   * working fuzzer reaches, through an accepted feed item. */
  canary = g_getenv ("KIOSK_FUZZ_CANARY") != NULL;
  catalog = kiosk_catalog_new_from_bytes (bytes, "fuzz", NULL);
  if (catalog == NULL)
    abort ();
  if (seeds_dir != NULL)
    for (guint i = 0; i < G_N_ELEMENTS (seeds); i++)
      {
        g_autofree char *name = g_strdup_printf ("%s/seed-info-%u", seeds_dir, i);

        g_file_set_contents (name, seeds[i], 1 + strlen (seeds[i] + 1), NULL);
      }
  return 0;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GPtrArray) items = NULL;
  GPtrArray *cards = kiosk_catalog_get_info_cards (catalog);
  KioskInfoCard *card;

  if (size < 1)
    return 0;
  card = cards->pdata[data[0] % 3];
  body = g_bytes_new (data + 1, size - 1);
  items = kiosk_info_parse (card, body, &error);
  if (items == NULL)
    {
      if (error == NULL || error->domain != KIOSK_INFO_ERROR || error->message[0] == '\0')
        __builtin_trap ();
      return 0;
    }
  if (error != NULL)
    __builtin_trap ();
  for (guint i = 0; i < items->len; i++)
    {
      KioskInfoItem *item = items->pdata[i];

      if (item->title == NULL || item->title[0] == '\0' || !g_utf8_validate (item->title, -1, NULL))
        __builtin_trap ();
      if (item->text != NULL && !g_utf8_validate (item->text, -1, NULL))
        __builtin_trap ();
      if (item->location != NULL && !g_utf8_validate (item->location, -1, NULL))
        __builtin_trap ();
      if (canary && data[0] % 3 == 1 && strpbrk (item->title, "0123456789") != NULL)
        __builtin_trap ();
    }
  if (kiosk_info_card_get_kind (card) == KIOSK_INFO_KIND_WASTE)
    {
      g_auto(GStrv) streets = kiosk_info_waste_streets (items, items->len > 0 ? ((KioskInfoItem *) items->pdata[0])->title : "");
      GDate today;

      g_date_clear (&today, 1);
      g_date_set_dmy (&today, 7, G_DATE_DECEMBER, 2026);
      for (guint i = 0; streets[i] != NULL; i++)
        {
          g_autoptr(GArray) dates = kiosk_info_waste_next (items, streets[i], &today);

          for (guint j = 0; j < dates->len; j++)
            if (!g_date_valid (&g_array_index (dates, KioskWasteDate, j).date))
              __builtin_trap ();
        }
    }
  return 0;
}

/* kiosk-fake-portal.c: the city's open-data portal, on 127.0.0.1
 *
 * Serves a CKAN package_show for the dataset "abfallkalender",
 * /abfall.ics (a waste-collection calendar for a few Hildesheim
 * streets, its dates generated relative to the day it is given), /news.rss,
 * /news.atom and /parken.json, each with an ETag that answers 304 when it
 * matches; faults break every document at once.  Runs in its own thread.
 *
 * SPDX-FileCopyrightText: 2026 Stadtkiosk contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "kiosk-fake-portal.h"
#include "kiosk-test-server.h"

#include <string.h>
#include <libsoup/soup.h>

struct _KioskFakePortal
{
  GMutex                mutex;
  KioskTestServer      *server;
  char                 *url;
  char                 *ics;
  /* under mutex: */
  KioskFakePortalFault  fault;
  guint                 requests;
  guint                 not_modified;
};

#define ETAG "\"portal-v1\""

static const char *const streets[] = {
  "Almsstraße", "Bahnhofsallee", "Hindenburgplatz", "Osterstraße", "Schuhstraße", "Zingel",
};

static const struct
{
  const char *type;
  guint       every;   /* days */
} wastes[] = {
  { "Restmüll", 14 },
  { "Bioabfall", 7 },
  { "Gelber Sack", 14 },
  { "Altpapier", 28 },
};

/**
 * kiosk_fake_portal_waste_ics:
 * @today: the day the dates are relative to
 *
 * Returns: (transfer full): an iCalendar calendar with collection dates
 *   from a week before @today to eight weeks after it.
 */
char *
kiosk_fake_portal_waste_ics (const GDate *today)
{
  GString *s = g_string_new ("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Stadtkiosk//Fake portal//DE\r\n"
                             "X-WR-CALNAME:Abfuhrkalender Hildesheim (Demo)\r\n");
  guint uid = 0;

  for (guint st = 0; st < G_N_ELEMENTS (streets); st++)
    for (guint w = 0; w < G_N_ELEMENTS (wastes); w++)
      {
        /* Each street and waste type has its own weekday in the cycle. */
        guint offset = (st * 3 + w * 2) % wastes[w].every;

        for (int d = -7 + (int) offset; d <= 56; d += (int) wastes[w].every)
          {
            GDate date = *today;
            char buf[16];

            if (d >= 0)
              g_date_add_days (&date, d);
            else
              g_date_subtract_days (&date, -d);
            g_date_strftime (buf, sizeof buf, "%Y%m%d", &date);
            g_string_append_printf (s, "BEGIN:VEVENT\r\nUID:abfall-%u@fake-portal\r\nDTSTAMP:20260101T000000Z\r\n"
                                    "DTSTART;VALUE=DATE:%s\r\nSUMMARY:%s\r\nLOCATION:%s\r\nEND:VEVENT\r\n",
                                    ++uid, buf, wastes[w].type, streets[st]);
          }
      }
  g_string_append (s, "END:VCALENDAR\r\n");
  return g_string_free (s, FALSE);
}

static const char rss[] =
  "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
  "<rss version=\"2.0\"><channel><title>Stadt Hildesheim</title><link>https://example.invalid/</link>"
  "<description>Neuigkeiten</description>"
  "<item><title>Stadtbibliothek: neue Öffnungszeiten</title>"
  "<description>&lt;p&gt;Ab Januar ist die Bibliothek auch &lt;b&gt;samstags&lt;/b&gt; geöffnet.&lt;/p&gt;</description>"
  "<pubDate>Mon, 07 Dec 2026 08:00:00 +0100</pubDate></item>"
  "<item><title>Weihnachtsmarkt auf dem Marktplatz</title>"
  "<description>Täglich von 11 bis 21 Uhr.</description>"
  "<pubDate>Fri, 27 Nov 2026 10:30:00 +0100</pubDate></item>"
  "</channel></rss>\n";

static const char atom[] =
  "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
  "<feed xmlns=\"http://www.w3.org/2005/Atom\"><title>Smart City Hildesheim</title>"
  "<id>urn:fake:portal</id><updated>2026-12-07T08:00:00Z</updated>"
  "<entry><title>Integrationsportal: neue Datensätze</title><id>urn:fake:1</id>"
  "<updated>2026-12-06T09:00:00Z</updated><summary>Parkhäuser und Luftqualität als offene Daten.</summary></entry>"
  "</feed>\n";

static const char parken[] =
  "{\"stand\": \"2026-12-07T08:00:00Z\", \"parkhaeuser\": ["
  "{\"name\": \"Parkhaus Am Bahnhof\", \"frei\": 112, \"gesamt\": 420},"
  "{\"name\": \"Parkhaus Rathaus\", \"frei\": 9, \"gesamt\": 260}]}";

static char *
nested (const char *open,
        const char *middle,
        const char *close,
        guint       depth)
{
  GString *s = g_string_new (NULL);

  for (guint i = 0; i < depth; i++)
    g_string_append (s, open);
  g_string_append (s, middle);
  for (guint i = 0; i < depth; i++)
    g_string_append (s, close);
  return g_string_free (s, FALSE);
}

static char *
document (KioskFakePortal      *self,
          const char           *path,
          KioskFakePortalFault  fault,
          const char          **out_type)
{
  gboolean ics = g_str_equal (path, "/abfall.ics");
  gboolean json = g_str_equal (path, "/parken.json");

  *out_type = ics ? "text/calendar" : json ? "application/json" : "application/xml";
  switch (fault)
    {
    case KIOSK_FAKE_PORTAL_MALFORMED:
      if (ics)
        return g_strdup ("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nUID:x\r\n"
                         "DTSTART;VALUE=DATE:2026-13-45\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n");
      if (json)
        return g_strdup ("{\"parkhaeuser\": [{\"name\": \"A\", \"frei\": 1},]}");
      return g_strdup ("<rss version=\"2.0\"><channel><item><title>kaputt</item></channel></rss>");
    case KIOSK_FAKE_PORTAL_DEEP:
      if (ics)
        return nested ("BEGIN:VCALENDAR\r\n", "", "END:VCALENDAR\r\n", 400);
      if (json)
        return nested ("{\"parkhaeuser\":", "[]", "}", 400);
      if (g_str_equal (path, "/news.atom"))
        return nested ("<feed>", "", "</feed>", 400);
      return nested ("<rss><channel>", "", "</channel></rss>", 400);
    case KIOSK_FAKE_PORTAL_OK:
    case KIOSK_FAKE_PORTAL_OVERSIZED:
    case KIOSK_FAKE_PORTAL_HTTP_500:
    default:
      if (ics)
        return g_strdup (self->ics);
      if (json)
        return g_strdup (parken);
      if (g_str_equal (path, "/news.atom"))
        return g_strdup (atom);
      return g_strdup (rss);
    }
}

static void
server_cb (SoupServer        *server,
           SoupServerMessage *msg,
           const char        *path,
           GHashTable        *query,
           gpointer           user_data)
{
  KioskFakePortal *self = user_data;
  SoupMessageHeaders *request = soup_server_message_get_request_headers (msg);
  SoupMessageHeaders *response = soup_server_message_get_response_headers (msg);
  KioskFakePortalFault fault;
  g_autofree char *body = NULL;
  const char *type;
  const char *match;

  g_mutex_lock (&self->mutex);
  self->requests++;
  fault = self->fault;
  g_mutex_unlock (&self->mutex);

  /* CKAN: package_show of one dataset, its newest ICS resource being the
   * calendar (an older one is gone, a newer CSV is of no use to us). */
  if (g_str_equal (path, "/api/3/action/package_show"))
    {
      const char *id = query != NULL ? g_hash_table_lookup (query, "id") : NULL;
      g_autofree char *answer = NULL;

      if (g_strcmp0 (id, "abfallkalender") != 0)
        {
          static const char missing[] = "{\"success\": false, \"error\": {\"message\": \"Not found\", \"__type\": \"Not Found Error\"}}";

          soup_server_message_set_status (msg, SOUP_STATUS_NOT_FOUND, NULL);
          soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_STATIC, missing, strlen (missing));
          return;
        }
      answer = g_strdup_printf ("{\"success\": true, \"result\": {\"name\": \"abfallkalender\", \"resources\": ["
                                "{\"format\": \"ICS\", \"url\": \"%s/old.ics\", \"created\": \"2025-01-01T00:00:00\"},"
                                "{\"format\": \"ics\", \"url\": \"%s/abfall.ics\", \"created\": \"2025-01-01T00:00:00\","
                                " \"last_modified\": \"2026-11-30T08:00:00\"},"
                                "{\"format\": \"CSV\", \"url\": \"%s/abfall.csv\", \"last_modified\": \"2026-12-01T08:00:00\"}"
                                "]}}", self->url, self->url, self->url);
      soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
      soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_COPY, answer, strlen (answer));
      return;
    }
  if (!g_str_equal (path, "/abfall.ics") && !g_str_equal (path, "/news.rss")
      && !g_str_equal (path, "/news.atom") && !g_str_equal (path, "/parken.json"))
    {
      soup_server_message_set_status (msg, SOUP_STATUS_NOT_FOUND, NULL);
      return;
    }
  if (fault == KIOSK_FAKE_PORTAL_HTTP_500)
    {
      soup_server_message_set_status (msg, SOUP_STATUS_INTERNAL_SERVER_ERROR, NULL);
      return;
    }
  match = soup_message_headers_get_one (request, "If-None-Match");
  if (fault == KIOSK_FAKE_PORTAL_OK && match != NULL && strstr (match, ETAG) != NULL)
    {
      g_mutex_lock (&self->mutex);
      self->not_modified++;
      g_mutex_unlock (&self->mutex);
      soup_server_message_set_status (msg, SOUP_STATUS_NOT_MODIFIED, NULL);
      return;
    }
  body = document (self, path, fault, &type);
  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
  if (fault == KIOSK_FAKE_PORTAL_OK)
    soup_message_headers_replace (response, "ETag", ETAG);
  if (fault == KIOSK_FAKE_PORTAL_OVERSIZED)
    {
      SoupMessageBody *out = soup_server_message_get_response_body (msg);

      soup_message_headers_set_encoding (response, SOUP_ENCODING_CHUNKED);
      soup_message_headers_set_content_type (response, type, NULL);
      for (guint i = 0; i < 64; i++)
        {
          char *chunk = g_malloc (65536);

          memset (chunk, ' ', 65536);
          soup_message_body_append_take (out, (guchar *) chunk, 65536);
        }
      soup_message_body_append (out, SOUP_MEMORY_COPY, body, strlen (body));
      soup_message_body_complete (out);
      return;
    }
  soup_server_message_set_response (msg, type, SOUP_MEMORY_COPY, body, strlen (body));
}

/**
 * kiosk_fake_portal_new:
 * @port: the port on 127.0.0.1, 0 for any free one
 * @today: the day the waste calendar's dates are relative to
 * @error: where a failure to listen is explained
 */
KioskFakePortal *
kiosk_fake_portal_new (guint         port,
                       const GDate  *today,
                       GError      **error)
{
  KioskFakePortal *self = g_new0 (KioskFakePortal, 1);

  g_mutex_init (&self->mutex);
  self->ics = kiosk_fake_portal_waste_ics (today);
  self->server = kiosk_test_server_start ("fake-portal", port, NULL, server_cb, self, error);
  if (self->server == NULL)
    {
      kiosk_fake_portal_free (self);
      return NULL;
    }
  self->url = g_strdup (kiosk_test_server_get_url (self->server));
  return self;
}

void
kiosk_fake_portal_free (KioskFakePortal *self)
{
  if (self == NULL)
    return;
  kiosk_test_server_stop (self->server);
  g_free (self->url);
  g_free (self->ics);
  g_mutex_clear (&self->mutex);
  g_free (self);
}

const char *
kiosk_fake_portal_get_url (KioskFakePortal *self)
{
  return self->url;
}

void
kiosk_fake_portal_set_fault (KioskFakePortal      *self,
                             KioskFakePortalFault  fault)
{
  g_mutex_lock (&self->mutex);
  self->fault = fault;
  g_mutex_unlock (&self->mutex);
}

guint
kiosk_fake_portal_get_requests (KioskFakePortal *self)
{
  guint n;

  g_mutex_lock (&self->mutex);
  n = self->requests;
  g_mutex_unlock (&self->mutex);
  return n;
}

guint
kiosk_fake_portal_get_not_modified (KioskFakePortal *self)
{
  guint n;

  g_mutex_lock (&self->mutex);
  n = self->not_modified;
  g_mutex_unlock (&self->mutex);
  return n;
}

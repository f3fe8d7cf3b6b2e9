/* fake-open311.c: the fake Open311 GeoReport v2 server as a program
 *
 *   fake-open311 --port N [--api-key-file F] [--faults SPEC] [--services FILE]
 *
 * ./dev run starts it as `fake-open311 --port 8471`, so that the demo
 * catalogue's "Problem im öffentlichen Raum melden" goes to an issue
 * tracker as in a city with Open311 (README.md, docs/open311.md).
 *
 * SPDX-FileCopyrightText: 2026 Stadtkiosk contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "fake-open311"

#include "config.h"

#include <locale.h>

#include "kiosk-fake-open311.h"
#include "kiosk-test-server.h"

static const char demo_service[] =
  "{\"service_code\":\"report-problem\",\"service_name\":\"Problem im öffentlichen Raum\","
  "\"description\":\"Wilder Müll, defekte Straßenlaterne, Schlagloch oder Graffiti\",\"metadata\":true,"
  "\"type\":\"realtime\",\"keywords\":\"Müll,Laterne,Schlagloch,Graffiti\",\"group\":\"Straße\"}";
static const char demo_definition[] =
  "{\"service_code\":\"report-problem\",\"attributes\":["
  "{\"variable\":true,\"code\":\"kind\",\"datatype\":\"singlevaluelist\",\"required\":true,\"order\":1,"
  "\"description\":\"Art des Problems\",\"values\":[{\"key\":\"litter\",\"name\":\"Wilder Müll\"},"
  "{\"key\":\"street-light\",\"name\":\"Straßenlaterne defekt\"},{\"key\":\"pothole\",\"name\":\"Schlagloch\"},"
  "{\"key\":\"graffiti\",\"name\":\"Graffiti\"},{\"key\":\"other\",\"name\":\"Etwas anderes\"}]},"
  "{\"variable\":true,\"code\":\"lamp-number\",\"datatype\":\"string\",\"required\":false,\"order\":2,"
  "\"description\":\"Nummer am Laternenmast\"}]}";

int
main (int    argc,
      char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new ("- Stadtkiosk fake Open311 GeoReport v2 server");
  g_autoptr(GError) error = NULL;
  g_autoptr(KioskFakeOpen311) server = NULL;
  g_autofree char *faults_spec = NULL;
  g_autofree char *key_file = NULL;
  g_autofree char *key = NULL;
  int port = 8471;
  KioskFakeOpen311Faults faults = { 0 };
  GOptionEntry entries[] = {
    { "port", 'p', 0, G_OPTION_ARG_INT, &port, "Port on 127.0.0.1 (0: any free one; default 8471)", "N" },
    { "api-key-file", 0, 0, G_OPTION_ARG_FILENAME, &key_file, "Require the API key in this file", "FILE" },
    { "faults", 0, 0, G_OPTION_ARG_STRING, &faults_spec,
      "Faults, e.g. drop-before=10,drop-after=10,unavailable=10,token=20:2,list-unavailable=5", "SPEC" },
    { NULL }
  };

  setlocale (LC_ALL, "");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("fake-open311: %s\n", error->message);
      return 2;
    }
  if (faults_spec != NULL && !kiosk_fake_open311_parse_faults (faults_spec, &faults, &error))
    {
      g_printerr ("fake-open311: --faults: %s\n", error->message);
      return 2;
    }
  if (key_file != NULL)
    {
      if (!g_file_get_contents (key_file, &key, NULL, &error))
        {
          g_printerr ("fake-open311: %s\n", error->message);
          return 2;
        }
      g_strstrip (key);
    }

  server = kiosk_fake_open311_new ((guint) port, key, &error);
  if (server == NULL)
    {
      g_printerr ("fake-open311: cannot listen on 127.0.0.1:%d: %s\n", port, error->message);
      return 1;
    }
  kiosk_fake_open311_add_service (server, "report-problem", demo_service, demo_definition);
  kiosk_fake_open311_set_faults (server, &faults);
  g_print ("fake Open311 GeoReport v2 on %s\n", kiosk_fake_open311_get_url (server));

  kiosk_test_server_run_until_signal ();
  return 0;
}

/* bench-big-state.c: a kiosk state directory at city scale
 *
 *   bench-big-state STATE_DIR [N_REQUESTS [N_SERVICES]]
 *
 * Writes STATE_DIR/stadtkiosk.db with N_REQUESTS requests (default
 * 100,000; about 700 bytes of answers each, the last 1 in 50 still
 * queued, the rest delivered, as after a year of citizens) and a
 * generated catalogue of N_SERVICES services (default 6,000, the size of
 * the federal service catalogue) as the active one.  For bench-startup
 * (--big-state), the clerk and queue benchmarks.  Written with
 * synchronous=OFF and many requests per transaction: this prepares a
 * benchmark, it measures nothing.
 *
 * SPDX-FileCopyrightText: 2026 Stadtkiosk contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "stadtkiosk-core.h"
#include "kiosk-store-private.h"
#include "bench-catalog-gen.h"

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KioskStore) store = NULL;
  g_autoptr(KioskClock) clock = NULL;
  g_autoptr(KioskOutbox) outbox = NULL;
  g_autoptr(GBytes) catalog = NULL;
  g_autofree char *path = NULL;
  g_autofree char *filler = g_strnfill (560, 'x');
  guint n_requests, n_services;
  gint64 t0 = g_get_monotonic_time ();

  if (argc < 2)
    {
      fprintf (stderr, "usage: bench-big-state STATE_DIR [N_REQUESTS [N_SERVICES]]\n");
      return 2;
    }
  n_requests = argc > 2 ? (guint) atoi (argv[2]) : 100000;
  n_services = argc > 3 ? (guint) atoi (argv[3]) : 6000;
  path = g_build_filename (argv[1], "stadtkiosk.db", NULL);

  store = _kiosk_store_open_full (path, KIOSK_STORE_SYNC_OFF, kiosk_store_get_latest_version (), &error);
  if (store == NULL)
    g_error ("%s", error->message);
  /* A year ago, one request every few minutes. */
  clock = kiosk_clock_new_fake (g_get_real_time () - G_GINT64_CONSTANT (365) * 24 * 3600 * G_USEC_PER_SEC);
  outbox = kiosk_outbox_new (store, clock, "HSK", &error);
  if (outbox == NULL)
    g_error ("%s", error->message);

  for (guint i = 0; i < n_requests; i++)
    {
      g_autofree char *json = g_strdup_printf ("{\"kind\":\"litter\",\"description\":\"Request %u %s\","
                                               "\"location\":\"Almsstraße %u\"}", i, filler, i % 200);
      g_autoptr(GBytes) answers = g_bytes_new_take (json, strlen (json));
      g_autoptr(KioskRequest) request = NULL;
      KioskRequestDraft draft = {
        .service_id = "service-001", .service_version = 1, .locale = "de", .answers = answers,
      };

      json = NULL;
      request = kiosk_outbox_enqueue (outbox, &draft, "citizen", &error);
      if (request == NULL)
        g_error ("request %u: %s", i, error->message);
      kiosk_clock_advance (clock, 300 * G_USEC_PER_SEC);
    }
  if (!_kiosk_store_exec (store,
                          "UPDATE requests SET state = 'delivered', target = 'submission',"
                          "  remote_ref = 'CITY-' || rowid WHERE rowid % 50 != 0", &error))
    g_error ("%s", error->message);

  catalog = bench_catalog_generate (n_services);
  if (!kiosk_catalog_store_active (store, catalog, "bench-big-state", NULL, &error))
    g_error ("%s", error->message);
  if (!_kiosk_store_exec (store, "PRAGMA wal_checkpoint(TRUNCATE)", &error))
    g_error ("%s", error->message);

  printf ("%s: %u requests, %u services (%.1f MiB catalogue), %.1f MiB, written in %.1f s\n",
          path, n_requests, n_services, g_bytes_get_size (catalog) / 1048576.0,
          kiosk_store_get_size (store) / 1048576.0, (g_get_monotonic_time () - t0) / 1e6);
  return 0;
}

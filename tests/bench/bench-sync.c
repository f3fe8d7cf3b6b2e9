/* bench-sync.c: drain 10,000 queued requests into the fake backend
 *
 * Prints the sync's requests per second and, in the same run against the
 * same backend, the ceiling: a plain keep-alive libsoup client with as many
 * requests in flight as the sync, posting bodies built beforehand and
 * recording nothing.  The ratio is what the kiosk's bookkeeping (a durable
 * claim and a durable outcome per request) costs.
 *
 *   bench-sync [N [OLD]]  (default 10000, 0)
 *
 * OLD: that many requests of earlier days are in the database first
 * (erased after their retention, as they stay for the history), so that
 * the drain is measured at city scale too: the status the sync refreshes
 * while it drains counts the whole table.
 *
 * The kiosk's database lives in /dev/shm unless SYNC_TEST_DISK is set, so
 * that the figure is the sync's and not the disk's; run with
 * SYNC_TEST_DISK=1 for the disk-bound figure.
 *
 * SPDX-FileCopyrightText: 2026 Stadtkiosk contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <libsoup/soup.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "kiosk-fake-backend.h"
#include "kiosk-store-private.h"
#include "kiosk-sync-test-util.h"

typedef struct
{
  SoupSession *session;
  const char  *url;
  const char  *body_format;   /* with @ID@ where the id goes */
  guint        to_send;
  guint        in_flight;
  guint        done;
  guint        failed;
} Ceiling;

static void ceiling_send (Ceiling *c);

static void
ceiling_done_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  Ceiling *c = user_data;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;
  SoupMessage *msg = soup_session_get_async_result_message (SOUP_SESSION (object), result);

  body = soup_session_send_and_read_finish (SOUP_SESSION (object), result, &error);
  if (error != NULL || soup_message_get_status (msg) != 201)
    c->failed++;
  c->in_flight--;
  c->done++;
  ceiling_send (c);
}

static void
ceiling_send (Ceiling *c)
{
  while (c->to_send > 0 && c->in_flight < KIOSK_SYNC_MAX_IN_FLIGHT)
    {
      g_autoptr(SoupMessage) msg = soup_message_new ("POST", c->url);
      g_autofree char *id = g_uuid_string_random ();
      g_autoptr(GString) text = g_string_new (c->body_format);
      g_autoptr(GBytes) body = NULL;

      g_string_replace (text, "@ID@", id, 1);
      body = g_string_free_to_bytes (g_steal_pointer (&text));
      soup_message_add_flags (msg, SOUP_MESSAGE_IDEMPOTENT);
      soup_message_headers_replace (soup_message_get_request_headers (msg), "Idempotency-Key", id);
      soup_message_set_request_body_from_bytes (msg, "application/json", body);
      c->to_send--;
      c->in_flight++;
      soup_session_send_and_read_async (c->session, msg, G_PRIORITY_DEFAULT, NULL, ceiling_done_cb, c);
    }
}

static double
measure_ceiling (KioskFakeBackend *backend,
                 SoupSession      *session,
                 guint             n)
{
  g_autofree char *url = g_strdup_printf ("%s/v1/submissions", kiosk_fake_backend_get_url (backend));
  Ceiling c = { 0 };
  gint64 start;
  double seconds;

  /* The same shape and size as the sync's bodies. */
  c.body_format = "{\"id\":\"@ID@\",\"short_code\":\"HSK-AAAA-AAAA\",\"kiosk_id\":\"test-kiosk\","
                  "\"service_id\":\"sperrmuell\",\"service_version\":1,\"created\":\"2026-11-26T10:00:00Z\","
                  "\"locale\":\"de\",\"assisted\":false,\"imported\":false,\"answers_format\":\"json\","
                  "\"answers\":{\"name\":\"Erika Mustermann\",\"plz\":\"31134\",\"n\":1}}";
  c.session = session;
  c.url = url;
  c.to_send = n;

  start = g_get_monotonic_time ();
  ceiling_send (&c);
  while (c.done < n)
    g_main_context_iteration (NULL, TRUE);
  seconds = (double) (g_get_monotonic_time () - start) / G_USEC_PER_SEC;

  if (c.failed > 0)
    g_printerr ("bench-sync: ceiling client: %u of %u failed\n", c.failed, n);
  return n / seconds;
}

static int
compare_double (gconstpointer a,
                gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y;
}

int
main (int    argc,
      char **argv)
{
  enum { ROUNDS = 5 };
  guint n = argc > 1 ? (guint) strtoul (argv[1], NULL, 10) : 10000;
  guint slice = MAX (n / ROUNDS, 1);
  guint old = argc > 2 ? (guint) strtoul (argv[2], NULL, 10) : 0;
  g_autoptr(GError) error = NULL;
  g_autoptr(KioskFakeBackend) backend = NULL;
  SyncKiosk *kiosk;
  double ratios[ROUNDS];
  double sync_seconds = 0, ceiling_seconds = 0, enqueue_seconds = 0;
  guint connections_before;
  guint sync_connections = 0;
  g_autoptr(SoupSession) session = NULL;

  g_setenv ("GIO_USE_PROXY_RESOLVER", "dummy", TRUE);
  kiosk_fake_backend_raise_fd_limit ();
  backend = kiosk_fake_backend_new (0, NULL, 0, NULL, &error);
  if (backend == NULL)
    {
      g_printerr ("bench-sync: %s\n", error->message);
      return 1;
    }
  kiosk = sync_kiosk_new (kiosk_fake_backend_get_url (backend), NULL, NULL, FALSE);
  if (old > 0)
    {
      sqlite3 *db = _kiosk_store_get_db (kiosk_context_get_store (kiosk->context));
      g_autofree char *sql = g_strdup_printf (
        "WITH RECURSIVE n (i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < %u) "
        "INSERT INTO requests (id, short_code, service_id, service_version, locale, created_us, updated_us, state) "
        "SELECT printf ('old-%%08d', i), printf ('o%%010d', i), 'bulky-waste', 1, 'de', i, i, 'purged' FROM n",
        old);
      char *message = NULL;

      if (sqlite3_exec (db, sql, NULL, NULL, &message) != SQLITE_OK)
        {
          g_printerr ("bench-sync: cannot write the old requests: %s\n", message);
          sync_kiosk_free (kiosk);
          return 1;
        }
      g_print ("bench-sync: %u old requests in the database first\n", old);
    }
  /* One session for every round: connection churn would hit libsoup 3.2.3's
   * SoupServer leak of client-closed idle connections. */
  session = g_object_new (SOUP_TYPE_SESSION, "max-conns-per-host", KIOSK_SYNC_MAX_IN_FLIGHT + 1, NULL);

  /* The machine may be shared: interleave ceiling and sync in rounds so
   * that both see the same load, and report the median ratio. */
  for (guint round = 0; round < ROUNDS; round++)
    {
      double ceiling, rate, seconds;
      gint64 start = g_get_monotonic_time ();

      for (guint i = 0; i < slice; i++)
        {
          g_autofree char *answers = g_strdup_printf ("{\"name\":\"Erika Mustermann\",\"plz\":\"31134\",\"n\":%u}", i);

          g_object_unref (sync_kiosk_enqueue (kiosk, answers));
        }
      enqueue_seconds += (double) (g_get_monotonic_time () - start) / G_USEC_PER_SEC;

      start = g_get_monotonic_time ();
      ceiling = measure_ceiling (backend, session, slice);
      ceiling_seconds += (double) (g_get_monotonic_time () - start) / G_USEC_PER_SEC;

      connections_before = kiosk_fake_backend_get_n_connections (backend);
      start = g_get_monotonic_time ();
      if (!sync_kiosk_run_once (kiosk, &error))
        {
          g_printerr ("bench-sync: %s\n", error->message);
          sync_kiosk_free (kiosk);
          return 1;
        }
      seconds = (double) (g_get_monotonic_time () - start) / G_USEC_PER_SEC;
      sync_seconds += seconds;
      sync_connections += kiosk_fake_backend_get_n_connections (backend) - connections_before;
      rate = slice / seconds;
      ratios[round] = rate / ceiling;
      g_print ("bench-sync: round %u: ceiling %.0f req/s, KioskSync %.0f req/s, ratio %.2f\n",
               round + 1, ceiling, rate, ratios[round]);
    }

  if (sync_kiosk_count (kiosk, KIOSK_REQUEST_DELIVERED) != slice * ROUNDS ||
      kiosk_fake_backend_get_n_stored (backend) != 2 * slice * ROUNDS)
    {
      g_printerr ("bench-sync: only %u of %u delivered\n", sync_kiosk_count (kiosk, KIOSK_REQUEST_DELIVERED),
                  slice * ROUNDS);
      sync_kiosk_free (kiosk);
      return 1;
    }

  qsort (ratios, ROUNDS, sizeof ratios[0], (int (*) (const void *, const void *)) compare_double);
  g_print ("bench-sync: %u requests queued in %.2f s (database in %s)\n", slice * ROUNDS, enqueue_seconds, kiosk->dir);
  g_print ("bench-sync: ceiling (plain keep-alive libsoup client, %d in flight): %.0f req/s\n",
           KIOSK_SYNC_MAX_IN_FLIGHT, slice * ROUNDS / ceiling_seconds);
  g_print ("bench-sync: KioskSync drained %u requests: %.0f req/s over %u connections\n",
           slice * ROUNDS, slice * ROUNDS / sync_seconds, sync_connections);
  g_print ("bench-sync: ratio %.2f of the ceiling overall, median of rounds %.2f (target >= 0.8, #18)\n",
           ceiling_seconds / sync_seconds, ratios[ROUNDS / 2]);

  sync_kiosk_free (kiosk);
  return 0;
}

/* bench-hub.c: drain N queued requests into a CouchDB-compatible hub
 * (pouchdb-server, in memory) through the CouchDB target, against a plain
 * _bulk_docs client posting the same documents in the same run
 *
 *   bench-hub [N] [--target-only] [--four] [--frozen-clock]   (N: default 10000)
 *
 * The target posts batches of KIOSK_COUCHDB_BULK_MAX (100) documents as one
 * _bulk_docs each, one at the hub and the next prepared meanwhile; the
 * plain client posts the same documents 100 per POST, one POST at a time,
 * and records nothing: the ratio is what the kiosk's durable bookkeeping
 * and per-document classification cost.  The same run also drains with no
 * batch prepared ahead (the "before").  Each line says the CPU seconds of
 * both sides: this process (the sync, the target, SQLite; or the plain
 * client) and the pouchdb-server process (node).
 *
 * The requests are created 1 ms apart on the kiosk's (fake) clock, as real
 * ones are.  --frozen-clock creates them all in the same microsecond, as
 * this benchmark did before: every claim then sorts all queued requests
 * (the claim orders by next attempt, then creation; the index covers only
 * the first), which is most of the kiosk's work.
 *
 * --target-only: only the target's drain (for a profiler); --four: also
 * the batches of four the sync had before the target could ask for more,
 * and the plain client with four per POST.  Prints figures; never fails on
 * time.
 *
 * SPDX-FileCopyrightText: 2026 Stadtkiosk contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <libsoup/soup.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include "kiosk-couchdb-target-private.h"
#include "kiosk-hub-test-util.h"
#include "kiosk-sync-test-util.h"
#include "kiosk-test-util.h"

/* One measured drain: wall time and the CPU time of each side. */
typedef struct
{
  double wall;
  double kiosk_cpu;   /* this process: the sync and the target, or the plain client */
  double hub_cpu;     /* the pouchdb-server process */
} Figures;

typedef struct
{
  gint64 start;
  double kiosk_cpu;
  double hub_cpu;
} Stopwatch;

static double
self_cpu_seconds (void)
{
  struct rusage usage;

  g_assert_cmpint (getrusage (RUSAGE_SELF, &usage), ==, 0);
  return (double) usage.ru_utime.tv_sec + usage.ru_utime.tv_usec / 1e6 +
         (double) usage.ru_stime.tv_sec + usage.ru_stime.tv_usec / 1e6;
}

static void
stopwatch_start (Stopwatch *watch,
                 HubPeer   *peer)
{
  watch->hub_cpu = hub_peer_get_cpu_seconds (peer);
  watch->kiosk_cpu = self_cpu_seconds ();
  watch->start = g_get_monotonic_time ();
}

static void
stopwatch_stop (Stopwatch *watch,
                HubPeer   *peer,
                Figures   *out)
{
  out->wall = (double) (g_get_monotonic_time () - watch->start) / G_USEC_PER_SEC;
  out->kiosk_cpu = self_cpu_seconds () - watch->kiosk_cpu;
  out->hub_cpu = hub_peer_get_cpu_seconds (peer) - watch->hub_cpu;
}

static char *
create_db (HubPeer    *peer,
           const char *name)
{
  g_autofree char *url = g_strdup_printf ("%s/%s", hub_peer_get_url (peer), name);
  g_autoptr(JsonNode) answer = NULL;
  guint status;

  answer = hub_http ("PUT", url, NULL, &status);
  g_assert_cmpuint (status, ==, 201);
  return g_steal_pointer (&url);
}

typedef struct
{
  gboolean done;
  guint    status;
} Post;

static void
posted_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  Post *post = user_data;
  g_autoptr(GBytes) body = soup_session_send_and_read_finish (SOUP_SESSION (object), result, NULL);

  post->status = body != NULL ? soup_message_get_status (soup_session_get_async_result_message (SOUP_SESSION (object), result)) : 0;
  post->done = TRUE;
}

/* The plain client: the same documents, @batch per POST, one at a time. */
static void
plain_client (HubPeer    *peer,
              const char *db,
              GPtrArray  *docs,
              guint       batch,
              Figures    *out)
{
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autofree char *url = g_strconcat (db, "/_bulk_docs", NULL);
  Stopwatch watch;

  stopwatch_start (&watch, peer);
  for (guint i = 0; i < docs->len; i += batch)
    {
      g_autoptr(GString) body = g_string_new ("{\"docs\":[");
      g_autoptr(SoupMessage) message = soup_message_new ("POST", url);
      g_autoptr(GBytes) bytes = NULL;
      Post post = { 0 };

      for (guint j = i; j < MIN (i + batch, docs->len); j++)
        {
          GBytes *doc = docs->pdata[j];

          if (j > i)
            g_string_append_c (body, ',');
          g_string_append_len (body, g_bytes_get_data (doc, NULL), (gssize) g_bytes_get_size (doc));
        }
      g_string_append (body, "]}");
      bytes = g_string_free_to_bytes (g_steal_pointer (&body));
      soup_message_add_flags (message, SOUP_MESSAGE_IDEMPOTENT);
      soup_message_set_request_body_from_bytes (message, "application/json", bytes);
      soup_session_send_and_read_async (session, message, G_PRIORITY_DEFAULT, NULL, posted_cb, &post);
      while (!post.done)
        g_main_context_iteration (NULL, TRUE);
      g_assert_cmpuint (post.status, ==, 201);
    }
  stopwatch_stop (&watch, peer, out);
}

static gboolean frozen_clock;

/* The sync and the CouchDB target draining @n fresh requests into @db,
 * @batch_max documents per _bulk_docs, the next batch prepared while one
 * is at the hub when @ahead.  With @docs, the documents it sent are added
 * to it. */
static void
drain_target (HubPeer    *peer,
              const char *db,
              guint       n,
              guint       batch_max,
              gboolean    ahead,
              GPtrArray  *docs,
              Figures    *out)
{
  g_autofree char *conf = g_strdup_printf ("[couchdb]\nurl=%s", db);
  g_autoptr(KioskCouchdbTarget) target = NULL;
  g_autoptr(GPtrArray) all = NULL;
  g_autoptr(GError) error = NULL;
  SyncKiosk *kiosk;
  Stopwatch watch;

  kiosk = sync_kiosk_new ("http://127.0.0.1:9", NULL, conf, TRUE);
  target = kiosk_couchdb_target_new (kiosk->config, kiosk->clock, KIOSK_SYNC_MAX_IN_FLIGHT, &error);
  g_assert_no_error (error);
  _kiosk_couchdb_target_set_batch_max (target, batch_max);
  _kiosk_couchdb_target_set_prepare_ahead (target, ahead);
  g_assert_cmpuint (kiosk_target_get_max_in_flight (KIOSK_TARGET (target)), ==, batch_max * (ahead ? 2 : 1));
  g_clear_object (&kiosk->sync);
  kiosk->sync = kiosk_sync_new_for_target (kiosk->context, KIOSK_TARGET (target));
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *answers = g_strdup_printf ("{\"name\":\"Erika Mustermann\",\"plz\":\"31134\",\"n\":%u}", i);

      g_object_unref (sync_kiosk_enqueue (kiosk, answers));
      if (!frozen_clock)
        kiosk_clock_advance (kiosk->clock, 1000);
    }
  if (docs != NULL)
    {
      all = kiosk_outbox_list (kiosk->outbox, -1, NULL);
      for (guint i = 0; i < all->len; i++)
        g_ptr_array_add (docs, kiosk_couchdb_target_build_doc (target, all->pdata[i], NULL, NULL));
    }

  stopwatch_start (&watch, peer);
  kiosk_sync_start (kiosk->sync);
  g_assert_cmpuint (sync_kiosk_drain (kiosk, 1000), <, 1000);
  stopwatch_stop (&watch, peer, out);
  g_assert_cmpuint (sync_kiosk_count (kiosk, KIOSK_REQUEST_DELIVERED), ==, n);
  g_assert_cmpuint (hub_count_type (db, "submission", NULL), ==, n);
  sync_kiosk_free (kiosk);
}

/* A fresh pouchdb-server for each measurement: one process holding all
 * four databases in memory got slower with every 10,000 documents, which
 * favoured whatever ran first. */
static HubPeer *
fresh_peer (char **out_db)
{
  HubPeer *peer = hub_peer_start (NULL, 0);

  if (peer != NULL)
    *out_db = create_db (peer, "stadtkiosk");
  return peer;
}

#define MAX_ROUNDS 9

static void
add_figures (Figures       *sum,
             const Figures *round)
{
  sum->wall += round->wall;
  sum->kiosk_cpu += round->kiosk_cpu;
  sum->hub_cpu += round->hub_cpu;
}

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y;
}

static double
median (double *values,
        guint   n)
{
  qsort (values, n, sizeof (double), (int (*) (const void *, const void *)) compare_doubles);
  return n % 2 == 1 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
}

static void
print_line (const char    *what,
            guint          n,
            const Figures *figures)
{
  g_print ("  %-46s %7.2f s %7.0f req/s   CPU: kiosk %6.2f s (%5.1f us/req), hub %6.2f s\n",
           what, figures->wall, n / figures->wall, figures->kiosk_cpu, figures->kiosk_cpu * 1e6 / n,
           figures->hub_cpu);
}

int
main (int   argc,
      char *argv[])
{
  guint n = 10000;
  gboolean target_only = FALSE;
  gboolean four = FALSE;
  HubPeer *peer;
  g_autoptr(GPtrArray) docs = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  Figures target = { 0 }, target1 = { 0 }, plain = { 0 }, target4 = { 0 }, plain4 = { 0 };
  double ratios[MAX_ROUNDS], ratios1[MAX_ROUNDS];
  guint rounds = 3;
  char *db = NULL;

  for (int i = 1; i < argc; i++)
    {
      if (g_str_equal (argv[i], "--target-only"))
        target_only = TRUE;
      else if (g_str_equal (argv[i], "--four"))
        four = TRUE;
      else if (g_str_equal (argv[i], "--frozen-clock"))
        frozen_clock = TRUE;
      else if (g_str_equal (argv[i], "--rounds") && i + 1 < argc)
        {
          rounds = (guint) atoi (argv[++i]);
          rounds = CLAMP (rounds, 1, MAX_ROUNDS);
        }
      else
        n = (guint) atoi (argv[i]);
    }

  {
    double load[3];

    if (getloadavg (load, 3) == 3)
      g_print ("bench-hub: load average at the start: %.2f %.2f %.2f\n", load[0], load[1], load[2]);
  }

  /* In each round: the target as it drains now (a batch of
   * KIOSK_COUCHDB_BULK_MAX at the hub, the next prepared); the plain client
   * with the same documents, 100 per POST; the target with nothing prepared
   * ahead, as before.  Rounds interleave them, so that a shared machine's
   * load hits all three alike. */
  for (guint round = 0; round < rounds; round++)
    {
      Figures now_round, plain_round, before_round;

      peer = fresh_peer (&db);
      if (peer == NULL)
        {
          g_print ("bench-hub: pouchdb-server is not installed (./dev installs it); skipped\n");
          return 77;
        }
      drain_target (peer, db, n, KIOSK_COUCHDB_BULK_MAX, TRUE, round == 0 ? docs : NULL, &now_round);
      hub_peer_free (peer);
      g_free (db);
      add_figures (&target, &now_round);
      if (target_only)
        {
          print_line ("target", n, &now_round);
          continue;
        }

      peer = fresh_peer (&db);
      plain_client (peer, db, docs, KIOSK_COUCHDB_BULK_MAX, &plain_round);
      hub_peer_free (peer);
      g_free (db);
      add_figures (&plain, &plain_round);

      peer = fresh_peer (&db);
      drain_target (peer, db, n, KIOSK_COUCHDB_BULK_MAX, FALSE, NULL, &before_round);
      hub_peer_free (peer);
      g_free (db);
      add_figures (&target1, &before_round);

      ratios[round] = plain_round.wall / now_round.wall;
      ratios1[round] = plain_round.wall / before_round.wall;
      g_print ("bench-hub: round %u: target %.2f s, plain %.2f s, none prepared %.2f s: ratio %.2f, none prepared %.2f\n",
               round + 1, now_round.wall, plain_round.wall, before_round.wall, ratios[round], ratios1[round]);
    }
  if (target_only)
    return 0;

  if (four)
    {
      peer = fresh_peer (&db);
      drain_target (peer, db, n, 4, FALSE, NULL, &target4);
      hub_peer_free (peer);
      g_free (db);

      peer = fresh_peer (&db);
      plain_client (peer, db, docs, 4, &plain4);
      hub_peer_free (peer);
      g_free (db);
    }

  g_print ("bench-hub: %u requests into pouchdb-server (in memory, a fresh one for each drain)%s, "
           "%u rounds, the sums:\n", n, frozen_clock ? ", all created in the same microsecond" : "", rounds);
  {
    g_autofree char *now = g_strdup_printf ("target, %u per _bulk_docs, next one prepared", KIOSK_COUCHDB_BULK_MAX);
    g_autofree char *ceiling = g_strdup_printf ("plain _bulk_docs client, %u per POST", KIOSK_COUCHDB_BULK_MAX);
    g_autofree char *before = g_strdup_printf ("target, %u per _bulk_docs, none prepared", KIOSK_COUCHDB_BULK_MAX);

    print_line (now, n * rounds, &target);
    print_line (ceiling, n * rounds, &plain);
    print_line (before, n * rounds, &target1);
  }
  if (four)
    {
      print_line ("target, 4 per _bulk_docs, none prepared", n, &target4);
      print_line ("plain _bulk_docs client, 4 per POST", n, &plain4);
    }
  g_print ("  ratio target / plain, %u per POST: %.2f overall, median of rounds %.2f (issue 13 asks >= 0.8)\n",
           KIOSK_COUCHDB_BULK_MAX, plain.wall / target.wall, median (ratios, rounds));
  g_print ("  before, none prepared: %.2f overall, median of rounds %.2f\n",
           plain.wall / target1.wall, median (ratios1, rounds));
  /* With no core to spare, the two sides cannot overlap and the wall time
   * is their CPU time added up. */
  g_print ("  CPU per request: kiosk %.1f us, plain client %.1f us; hub for the target / for the plain client %.2f; "
           "CPU of both sides, plain / target: %.2f\n",
           target.kiosk_cpu * 1e6 / (n * rounds), plain.kiosk_cpu * 1e6 / (n * rounds), target.hub_cpu / plain.hub_cpu,
           (plain.kiosk_cpu + plain.hub_cpu) / (target.kiosk_cpu + target.hub_cpu));
  if (four)
    g_print ("  batches of 4: target(4) / plain 100 per POST: %.2f; target(4) / plain 4 per POST: %.2f\n",
             plain.wall / rounds / target4.wall, plain4.wall / target4.wall);
  {
    double load[3];

    if (getloadavg (load, 3) == 3)
      g_print ("  load average at the end: %.2f %.2f %.2f\n", load[0], load[1], load[2]);
  }
  return 0;
}

/* test-sync-faults.c: exactly once under faults, and under SIGKILL
 *
 * SPDX-FileCopyrightText: 2026 Stadtkiosk contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <signal.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>

#include "kiosk-fake-backend.h"
#include "kiosk-sync-private.h"
#include "kiosk-sync-test-util.h"

#define ANSWERS "{\"name\":\"Erika Mustermann\",\"plz\":\"31134\",\"n\":%u}"

static void
enqueue_many (SyncKiosk *kiosk,
              guint      n)
{
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *answers = g_strdup_printf (ANSWERS, i);

      g_object_unref (sync_kiosk_enqueue (kiosk, answers));
    }
}

/* Every stored request at the backend exactly once, every row delivered. */
static void
assert_exactly_once (SyncKiosk        *kiosk,
                     KioskFakeBackend *backend,
                     guint             n)
{
  g_autoptr(GPtrArray) all = kiosk_outbox_list (kiosk->outbox, -1, NULL);

  g_assert_cmpuint (all->len, ==, n);
  for (guint i = 0; i < all->len; i++)
    {
      KioskRequest *request = all->pdata[i];

      g_assert_cmpstr (kiosk_request_state_to_string (kiosk_request_get_state (request)), ==, "delivered");
      g_assert_nonnull (kiosk_request_get_remote_ref (request));
      g_assert_cmpuint (kiosk_fake_backend_count_id (backend, kiosk_request_get_id (request)), ==, 1);
    }
  g_assert_cmpuint (kiosk_fake_backend_get_n_unique (backend), ==, n);
  g_assert_cmpuint (kiosk_fake_backend_get_n_stored (backend), ==, n);
}

static void
run_faulty (KioskFakeBackendFlags  flags,
            guint                 *out_stored,
            guint                 *out_max_copies)
{
  enum { N = 1000 };
  g_autoptr(GError) error = NULL;
  g_autoptr(KioskFakeBackend) backend = kiosk_fake_backend_new (0, NULL, flags, NULL, &error);
  SyncKiosk *kiosk;
  KioskFakeFaults faults = { .drop_before_pct = 10, .drop_after_pct = 20 };
  guint rounds;

  g_assert_no_error (error);
  kiosk_fake_backend_set_faults (backend, &faults);
  kiosk_fake_backend_set_seed (backend, g_test_rand_int ());
  kiosk = sync_kiosk_new (kiosk_fake_backend_get_url (backend), NULL, NULL, TRUE);
  enqueue_many (kiosk, N);

  kiosk_sync_start (kiosk->sync);
  rounds = sync_kiosk_drain (kiosk, 10000);
  g_assert_cmpuint (rounds, <, 10000);
  g_test_message ("%u requests: %u POSTs received, %u stored, %u connections, %u clock jumps",
                  N, kiosk_fake_backend_get_n_received (backend), kiosk_fake_backend_get_n_stored (backend),
                  kiosk_fake_backend_get_n_connections (backend), rounds);

  g_assert_cmpuint (sync_kiosk_count (kiosk, KIOSK_REQUEST_DELIVERED), ==, N);
  /* The faults really happened: far more POSTs than requests. */
  g_assert_cmpuint (kiosk_fake_backend_get_n_received (backend), >, N + N / 5);
  if (!(flags & KIOSK_FAKE_BACKEND_NO_IDEMPOTENCY))
    assert_exactly_once (kiosk, backend, N);

  *out_stored = kiosk_fake_backend_get_n_stored (backend);
  *out_max_copies = kiosk_fake_backend_get_max_copies (backend);
  sync_kiosk_free (kiosk);
}

/* 1,000 requests, 20 % of connections dropped after processing, 10 % before:
 * the backend holds each exactly once and every row ends delivered. */
static void
test_exactly_once (void)
{
  guint stored, max_copies;

  run_faulty (0, &stored, &max_copies);
  g_assert_cmpuint (stored, ==, 1000);
  g_assert_cmpuint (max_copies, ==, 1);
}

/* Negative control: the same run against a backend without its idempotency
 * store must show duplicates, or the harness above proves nothing. */
static void
test_exactly_once_control (void)
{
  guint stored, max_copies;

  run_faulty (KIOSK_FAKE_BACKEND_NO_IDEMPOTENCY, &stored, &max_copies);
  g_test_message ("without idempotency store: %u stored for 1000 requests, max %u copies", stored, max_copies);
  g_assert_cmpuint (stored, >, 1000);
  g_assert_cmpuint (max_copies, >, 1);
}

static GPid
spawn_ctl (SyncKiosk  *kiosk,
           const char *mode)
{
  const char *ctl = g_getenv ("STADTKIOSK_CTL");
  g_autoptr(GError) error = NULL;
  GPid pid = 0;
  const char *argv[] = { ctl, "--config", kiosk->conf_path, "sync", mode, NULL };

  g_assert_nonnull (ctl);
  g_spawn_async (NULL, (char **) argv, NULL,
                 G_SPAWN_DO_NOT_REAP_CHILD | G_SPAWN_STDOUT_TO_DEV_NULL | G_SPAWN_STDERR_TO_DEV_NULL,
                 NULL, NULL, &pid, &error);
  g_assert_no_error (error);
  return pid;
}

static int
wait_child (GPid pid)
{
  int status = 0;

  g_assert_cmpint (waitpid (pid, &status, 0), ==, pid);
  return status;
}

/* Requests still `sending` here that the backend already stored: their
 * outcome was lost with the process (typically waiting in a batch). */
static guint
count_unrecorded (SyncKiosk        *kiosk,
                  KioskFakeBackend *backend)
{
  g_autoptr(GPtrArray) sending = kiosk_outbox_list (kiosk->outbox, KIOSK_REQUEST_SENDING, NULL);
  guint n = 0;

  for (guint i = 0; i < sending->len; i++)
    if (kiosk_fake_backend_count_id (backend, kiosk_request_get_id (sending->pdata[i])) > 0)
      n++;
  return n;
}

static void
run_kills (KioskFakeBackendFlags  flags,
           guint                  n_requests,
           guint                  rounds,
           KioskFakeBackend     **out_backend,
           SyncKiosk            **out_kiosk)
{
  g_autoptr(GError) error = NULL;
  KioskFakeBackend *backend = kiosk_fake_backend_new (0, NULL, flags, NULL, &error);
  /* A little server time per request, so that kills land while requests
   * are being processed: stored at the backend, not yet marked here. */
  KioskFakeFaults faults = { .delay_pct = 100, .delay_ms = 15 };
  SyncKiosk *kiosk;
  guint killed_sending = 0;
  guint killed_unrecorded = 0;

  g_assert_no_error (error);
  kiosk_fake_backend_set_faults (backend, &faults);
  kiosk = sync_kiosk_new (kiosk_fake_backend_get_url (backend), NULL, NULL, FALSE);
  enqueue_many (kiosk, n_requests);

  for (guint round = 0; round < rounds; round++)
    {
      guint received = kiosk_fake_backend_get_n_received (backend);
      GPid pid = spawn_ctl (kiosk, NULL);
      int status;

      /* Kill while the sync is delivering, however slowly the machine
       * starts it: wait for its first POST, then a moment less than a
       * batch takes (4 requests of 15 ms each). */
      for (guint waited = 0; waited < 10000 && kiosk_fake_backend_get_n_received (backend) == received; waited++)
        g_usleep (2000);
      g_usleep (g_test_rand_int_range (0, 40000));
      g_assert_cmpint (kill (pid, SIGKILL), ==, 0);
      status = wait_child (pid);
      g_assert_true (WIFSIGNALED (status));
      killed_sending += sync_kiosk_count (kiosk, KIOSK_REQUEST_SENDING);
      killed_unrecorded += count_unrecorded (kiosk, backend);
    }

  /* Restart once more and let it finish. */
  for (guint tries = 0; tries < 5 && sync_kiosk_count (kiosk, KIOSK_REQUEST_DELIVERED) < n_requests; tries++)
    {
      int status = wait_child (spawn_ctl (kiosk, "--once"));

      g_assert_true (WIFEXITED (status));
      g_assert_cmpint (WEXITSTATUS (status), ==, 0);
    }

  g_test_message ("%u kills; %u requests were mid-flight when killed, %u of them answered but not recorded; "
                  "backend: %u POSTs, %u stored, %u unique",
                  rounds, killed_sending, killed_unrecorded, kiosk_fake_backend_get_n_received (backend),
                  kiosk_fake_backend_get_n_stored (backend), kiosk_fake_backend_get_n_unique (backend));
  /* The harness must have hit requests in flight, or it tested nothing. */
  g_assert_cmpuint (killed_sending, >, 0);
  /* ... and kills that lost outcomes waiting for their batch's commit. */
  g_assert_cmpuint (killed_unrecorded, >, 0);

  *out_backend = backend;
  *out_kiosk = kiosk;
}

/* SIGKILL `stadtkioskctl sync` at random moments, restart each time: nothing
 * lost, nothing duplicated at the backend. */
static void
test_kill (void)
{
  enum { N = 400, ROUNDS = 32 };
  KioskFakeBackend *backend;
  SyncKiosk *kiosk;

  run_kills (0, N, ROUNDS, &backend, &kiosk);
  assert_exactly_once (kiosk, backend, N);
  /* Some were sent twice (killed after the backend stored them): the
   * idempotency store answered those from memory. */
  g_assert_cmpuint (kiosk_fake_backend_get_n_received (backend), >, N);

  sync_kiosk_free (kiosk);
  kiosk_fake_backend_free (backend);
}

/* Negative control: the same kills against a backend that stores every POST
 * show duplicates. */
static void
test_kill_control (void)
{
  enum { N = 150, ROUNDS = 12 };
  KioskFakeBackend *backend;
  SyncKiosk *kiosk;

  run_kills (KIOSK_FAKE_BACKEND_NO_IDEMPOTENCY, N, ROUNDS, &backend, &kiosk);
  g_assert_cmpuint (sync_kiosk_count (kiosk, KIOSK_REQUEST_DELIVERED), ==, N);
  g_assert_cmpuint (kiosk_fake_backend_get_max_copies (backend), >, 1);

  sync_kiosk_free (kiosk);
  kiosk_fake_backend_free (backend);
}

int
main (int    argc,
      char **argv)
{
  /* Loopback needs no proxy; libproxy's C++ exceptions also trip ASan. */
  g_setenv ("GIO_USE_PROXY_RESOLVER", "dummy", TRUE);
  g_test_init (&argc, &argv, NULL);
  kiosk_fake_backend_raise_fd_limit ();

  g_test_add_func ("/kiosk/sync/exactly-once", test_exactly_once);
  g_test_add_func ("/kiosk/sync/exactly-once-control", test_exactly_once_control);
  g_test_add_func ("/kiosk/sync/kill", test_kill);
  g_test_add_func ("/kiosk/sync/kill-control", test_kill_control);

  return g_test_run ();
}

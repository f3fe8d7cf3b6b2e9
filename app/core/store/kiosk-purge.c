/* kiosk-purge.c
 *
 * SPDX-FileCopyrightText: 2026 Stadtkiosk contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "kiosk-purge"

#include "config.h"

#include "kiosk-purge.h"

#include "kiosk-catalog.h"
#include "kiosk-outbox.h"
#include "kiosk-service.h"
#include "kiosk-store-private.h"

#include <string.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif

/* Retention (DESIGN: delivered ──> purged).  The answers of a request that
 * is done with (delivered, handled at the counter, or cancelled) are erased
 * once it has been so for its service's retention_days; the row keeps its
 * id, short code, service, times and history, so a clerk can still say what
 * happened to it.  Nothing undelivered is ever purged.
 *
 * Erased means erased.  The store runs with PRAGMA secure_delete = ON, so
 * SQLite overwrites the freed cell and any freed overflow page with zeros
 * instead of leaving them in free space; and after a purge the WAL is
 * checkpointed with TRUNCATE, so no old frame holding the page as it was
 * stays in the -wal file.  test-purge searches the files' bytes for the
 * answer text: found before the purge (the negative control), gone after.
 *
 * The kiosk purges when its sync starts and every hour after
 * (kiosk_purge_schedule()), a small batch per idle turn of the main loop;
 * `stadtkioskctl store purge [--dry-run]` purges now. */

static const KioskRequestState done_states[] = {
  KIOSK_REQUEST_DELIVERED,
  KIOSK_REQUEST_HANDLED,
  KIOSK_REQUEST_CANCELLED,
};

/* A request past its retention, for the purge. */
typedef struct
{
  guint  days;
  gint64 updated_us;  /* as scanned: changed since, it is not purged */
  char   id[];
} DueItem;

typedef struct
{
  KioskCatalog *catalog;  /* nullable */
  gint64        now;
  GPtrArray    *items;    /* DueItem */
  GPtrArray    *due;      /* KioskRequest, only if the caller wants them */
} DueScan;

/* The purge's transactions: one fsync per batch, not per request (at 100
 * requests a batch, 45,000 purged in seconds, not minutes).  The kiosk's
 * own purge does a smaller batch per main-loop turn, so that a citizen's
 * tap waits for one batch at most (#18). */
#define PURGE_BATCH       256
#define PURGE_SLICE_BATCH 32

static void
consider (DueScan    *scan,
          const char *id,
          const char *service_id,
          gint64      updated_us,
          gboolean   *out_due)
{
  KioskService *service = scan->catalog != NULL && service_id != NULL ?
    kiosk_catalog_lookup_any (scan->catalog, service_id) : NULL;
  guint days = service != NULL ? kiosk_service_get_retention_days (service) : KIOSK_PURGE_DEFAULT_RETENTION_DAYS;
  DueItem *item;

  *out_due = scan->now - updated_us >= (gint64) days * 24 * 3600 * G_USEC_PER_SEC;
  if (!*out_due)
    return;
  item = g_malloc (sizeof (DueItem) + strlen (id) + 1);
  item->days = days;
  item->updated_us = updated_us;
  strcpy (item->id, id);
  g_ptr_array_add (scan->items, item);
}

static void
collect_due_age_cb (const char *id,
                    const char *service_id,
                    gint64      updated_us,
                    gpointer    user_data)
{
  gboolean due;

  consider (user_data, id, service_id, updated_us, &due);
}

/* kiosk_outbox_foreach() hands over the reference. */
static void
collect_due_cb (KioskRequest *request,
                gpointer      user_data)
{
  g_autoptr(KioskRequest) owned = request;
  DueScan *scan = user_data;
  gboolean due;

  consider (scan, kiosk_request_get_id (request), kiosk_request_get_service_id (request),
            kiosk_request_get_updated (request), &due);
  if (due)
    g_ptr_array_add (scan->due, g_steal_pointer (&owned));
}

/* Every done request past its retention, oldest change first not promised.
 * Only ids, services and times are read unless @due wants the requests. */
static GPtrArray *
scan_due (KioskContext  *context,
          GPtrArray     *due,
          GError       **error)
{
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(KioskCatalog) catalog = NULL;
  KioskOutbox *outbox = kiosk_context_get_outbox (context);
  DueScan scan;

  /* No readable catalogue is no reason to keep answers for ever: the
   * default retention then applies.  The context's shared copy: a second
   * one cost a full parse and 60 MB at federal size (#18). */
  catalog = kiosk_context_dup_active_catalog (context, NULL);

  /* Streamed, and of the requests due only the ids are kept unless the
   * caller wants the requests: listing every one done held all of them at
   * once, some 100 MB at 100,000 requests (#18). */
  scan.catalog = catalog;
  scan.now = kiosk_clock_get_now (kiosk_context_get_clock (context));
  scan.items = items;
  scan.due = due;
  for (guint s = 0; s < G_N_ELEMENTS (done_states); s++)
    {
      gboolean ok = due != NULL
        ? kiosk_outbox_foreach (outbox, done_states[s], collect_due_cb, &scan, error)
        : kiosk_outbox_foreach_age (outbox, done_states[s], collect_due_age_cb, &scan, error);

      if (!ok)
        return NULL;
    }
  return g_steal_pointer (&items);
}

/* Purges items[first .. first + n) in one transaction. */
static gboolean
purge_batch (KioskOutbox  *outbox,
             GPtrArray    *items,
             guint         first,
             guint         n,
             guint        *out_purged,
             GError      **error)
{
  g_autofree const char **ids = g_new (const char *, n);
  g_autofree gint64 *updated = g_new (gint64, n);
  g_autoptr(GPtrArray) details = g_ptr_array_new_full (n, g_free);
  guint purged;

  for (guint i = 0; i < n; i++)
    {
      DueItem *item = items->pdata[first + i];

      ids[i] = item->id;
      updated[i] = item->updated_us;
      g_ptr_array_add (details, g_strdup_printf ("answers erased: the service's retention of %u days is over",
                                                 item->days));
    }
  purged = kiosk_outbox_purge_many (outbox, ids, (const char *const *) details->pdata, updated, n, error);
  if (purged == G_MAXUINT)
    return FALSE;
  *out_purged += purged;
  return TRUE;
}

/* The old pages live on in WAL frames until a checkpoint copies the new
 * ones back and TRUNCATE empties the file. */
static gboolean
checkpoint (KioskContext  *context,
            GError       **error)
{
  return _kiosk_store_exec (kiosk_context_get_store (context), "PRAGMA wal_checkpoint(TRUNCATE)", error);
}

/**
 * kiosk_purge_run:
 * @dry_run: only find them; change nothing
 * @out_requests: (out) (optional) (transfer full) (element-type KioskRequest):
 *   the requests due (as they were before): purged, or that would be
 *
 * Erases the answers of every done request past its service's retention,
 * now, in batches of one transaction each.
 *
 * Returns: %TRUE, or %FALSE with @error set (what was purged before the
 *   error stays purged)
 */
gboolean
kiosk_purge_run (KioskContext  *context,
                 gboolean       dry_run,
                 GPtrArray    **out_requests,
                 GError       **error)
{
  g_autoptr(GPtrArray) due = out_requests != NULL ? g_ptr_array_new_with_free_func (g_object_unref) : NULL;
  g_autoptr(GPtrArray) items = NULL;
  KioskOutbox *outbox;
  guint purged = 0;

  g_return_val_if_fail (KIOSK_IS_CONTEXT (context), FALSE);

  outbox = kiosk_context_get_outbox (context);
  items = scan_due (context, due, error);
  if (items == NULL)
    return FALSE;

  if (!dry_run && items->len > 0)
    {
      for (guint first = 0; first < items->len; first += PURGE_BATCH)
        if (!purge_batch (outbox, items, first, MIN (PURGE_BATCH, items->len - first), &purged, error))
          return FALSE;
      if (!checkpoint (context, error))
        return FALSE;
    }

  if (out_requests != NULL)
    *out_requests = g_steal_pointer (&due);
  return TRUE;
}

/* The kiosk's own purge: at start and hourly, one small batch per idle
 * turn of the main loop, below drawing and input. */
typedef struct
{
  KioskContext *context;
  GPtrArray    *items;     /* DueItem; NULL between runs */
  guint         next;
  guint         purged;
  guint         slice_id;  /* the idle source of a run in progress */
  gint64        started_us;
} PurgeJob;

/* The scan read a row of every request done (one page each, scattered
 * over the file: 13 MB at 3,400 delivered in bench-big-state's database),
 * and the connection's page cache kept 2 MB of them, which the kiosk does
 * not read again soon.  Given back when a run ends, to the system too:
 * glibc keeps freed pages in the middle of the heap otherwise. */
static void
purge_job_finish (PurgeJob *job)
{
  g_clear_pointer (&job->items, g_ptr_array_unref);
  job->slice_id = 0;
  sqlite3_db_release_memory (_kiosk_store_get_db (kiosk_context_get_store (job->context)));
#ifdef __GLIBC__
  malloc_trim (0);
#endif
}

static gboolean
purge_slice_cb (gpointer user_data)
{
  PurgeJob *job = user_data;
  g_autoptr(GError) error = NULL;
  guint n = MIN (PURGE_SLICE_BATCH, job->items->len - job->next);

  /* The checkpoint has a turn of its own: it grows with the WAL. */
  if (n == 0)
    {
      if (!checkpoint (job->context, &error))
        g_message ("retention purge: checkpoint failed (the next run retries): %s", error->message);
      g_message ("retention purge: answers of %u requests erased in %.1f s", job->purged,
                 (g_get_monotonic_time () - job->started_us) / (double) G_USEC_PER_SEC);
      purge_job_finish (job);
      return G_SOURCE_REMOVE;
    }

  if (!purge_batch (kiosk_context_get_outbox (job->context), job->items, job->next, n, &job->purged, &error))
    {
      /* The hourly run has no one to tell but the log; the next run retries. */
      g_message ("retention purge failed after %u requests (the next run retries): %s",
                 job->purged, error->message);
      purge_job_finish (job);
      return G_SOURCE_REMOVE;
    }
  job->next += n;
  return G_SOURCE_CONTINUE;
}

static gboolean
purge_tick_cb (gpointer user_data)
{
  PurgeJob *job = user_data;
  g_autoptr(GError) error = NULL;

  /* Still at it (tens of thousands due): this hour's scan waits. */
  if (job->slice_id != 0)
    return G_SOURCE_CONTINUE;

  job->items = scan_due (job->context, NULL, &error);
  if (job->items == NULL)
    {
      g_message ("retention purge failed (the next run retries): %s", error->message);
      return G_SOURCE_CONTINUE;
    }
  if (job->items->len == 0)
    {
      purge_job_finish (job);
      return G_SOURCE_CONTINUE;
    }
  job->next = 0;
  job->purged = 0;
  job->started_us = g_get_monotonic_time ();
  job->slice_id = g_idle_add_full (G_PRIORITY_LOW, purge_slice_cb, job, NULL);
  return G_SOURCE_CONTINUE;
}

static void
purge_job_free (gpointer data)
{
  PurgeJob *job = data;

  g_clear_handle_id (&job->slice_id, g_source_remove);
  purge_job_finish (job);
  g_object_unref (job->context);
  g_free (job);
}

/**
 * kiosk_purge_schedule:
 *
 * Purges now and then every hour on the context's clock, until
 * kiosk_purge_unschedule(): the due requests are found at once (ids and
 * times only), their answers erased a batch per idle turn of the thread
 * default main loop, so a kiosk with tens of thousands due stays
 * responsive while it purges.
 *
 * Returns: the timer's id
 */
guint
kiosk_purge_schedule (KioskContext *context)
{
  PurgeJob *job;

  g_return_val_if_fail (KIOSK_IS_CONTEXT (context), 0);

  job = g_new0 (PurgeJob, 1);
  job->context = g_object_ref (context);
  purge_tick_cb (job);
  return kiosk_clock_add_timeout (kiosk_context_get_clock (context), KIOSK_PURGE_INTERVAL_MS,
                                  purge_tick_cb, job, purge_job_free);
}

/**
 * kiosk_purge_unschedule:
 * @id: from kiosk_purge_schedule(), or 0
 *
 * Stops the hourly purge, and a run in progress after its current batch.
 */
void
kiosk_purge_unschedule (KioskContext *context,
                        guint         id)
{
  g_return_if_fail (KIOSK_IS_CONTEXT (context));

  if (id != 0)
    kiosk_clock_remove_timeout (kiosk_context_get_clock (context), id);
}

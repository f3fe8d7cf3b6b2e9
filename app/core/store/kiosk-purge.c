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
 * (kiosk_purge_schedule()); `stadtkioskctl store purge [--dry-run]` purges
 * now. */

static const KioskRequestState done_states[] = {
  KIOSK_REQUEST_DELIVERED,
  KIOSK_REQUEST_HANDLED,
  KIOSK_REQUEST_CANCELLED,
};

/* A request past its retention, for the purge: its id and the days. */
typedef struct
{
  guint days;
  char  id[];
} DueItem;

typedef struct
{
  KioskCatalog *catalog;  /* nullable */
  gint64        now;
  GPtrArray    *items;    /* DueItem */
  GPtrArray    *due;      /* KioskRequest, only if the caller wants them */
} DueScan;

/* kiosk_outbox_foreach() hands over the reference. */
static void
collect_due_cb (KioskRequest *request,
                gpointer      user_data)
{
  g_autoptr(KioskRequest) owned = request;
  DueScan *scan = user_data;
  KioskService *service = scan->catalog != NULL ?
    kiosk_catalog_lookup_any (scan->catalog, kiosk_request_get_service_id (request)) : NULL;
  guint days = service != NULL ? kiosk_service_get_retention_days (service) : KIOSK_PURGE_DEFAULT_RETENTION_DAYS;

  if (scan->now - kiosk_request_get_updated (request) >= (gint64) days * 24 * 3600 * G_USEC_PER_SEC)
    {
      const char *id = kiosk_request_get_id (request);
      DueItem *item = g_malloc (sizeof (DueItem) + strlen (id) + 1);

      item->days = days;
      strcpy (item->id, id);
      g_ptr_array_add (scan->items, item);
      if (scan->due != NULL)
        g_ptr_array_add (scan->due, g_steal_pointer (&owned));
    }
}

/**
 * kiosk_purge_run:
 * @dry_run: only find them; change nothing
 * @out_requests: (out) (optional) (transfer full) (element-type KioskRequest):
 *   the requests purged (as they were before), or that would be
 *
 * Erases the answers of every done request past its service's retention.
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
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(KioskCatalog) catalog = NULL;
  DueScan scan;
  KioskOutbox *outbox;
  KioskStore *store;
  gint64 now;

  g_return_val_if_fail (KIOSK_IS_CONTEXT (context), FALSE);

  outbox = kiosk_context_get_outbox (context);
  store = kiosk_context_get_store (context);
  now = kiosk_clock_get_now (kiosk_context_get_clock (context));
  /* No readable catalogue is no reason to keep answers for ever: the
   * default retention then applies.  The context's shared copy: a second
   * one cost a full parse and 60 MB at federal size (#18). */
  catalog = kiosk_context_dup_active_catalog (context, NULL);

  /* Streamed, and of the requests due only the ids are kept unless the
   * caller wants the requests: listing every one done held all of them at
   * once, some 100 MB at 100,000 requests (#18). */
  scan.catalog = catalog;
  scan.now = now;
  scan.items = items;
  scan.due = due;
  for (guint s = 0; s < G_N_ELEMENTS (done_states); s++)
    if (!kiosk_outbox_foreach (outbox, done_states[s], collect_due_cb, &scan, error))
      return FALSE;

  if (!dry_run && items->len > 0)
    {
      for (guint i = 0; i < items->len; i++)
        {
          DueItem *item = items->pdata[i];
          g_autoptr(KioskRequest) purged = NULL;
          g_autofree char *detail = g_strdup_printf ("answers erased: the service's retention of %u days is over",
                                                     item->days);

          purged = kiosk_outbox_purge (outbox, item->id, detail, error);
          if (purged == NULL)
            return FALSE;
        }
      /* The old pages live on in WAL frames until a checkpoint copies the
       * new ones back and TRUNCATE empties the file. */
      if (!_kiosk_store_exec (store, "PRAGMA wal_checkpoint(TRUNCATE)", error))
        return FALSE;
    }

  if (out_requests != NULL)
    *out_requests = g_steal_pointer (&due);
  return TRUE;
}

static gboolean
purge_cb (gpointer user_data)
{
  KioskContext *context = user_data;
  g_autoptr(GError) error = NULL;

  /* The hourly run has no one to tell but the log; the next run retries. */
  if (!kiosk_purge_run (context, FALSE, NULL, &error))
    g_message ("retention purge failed (the next run retries): %s", error->message);
  return G_SOURCE_CONTINUE;
}

/**
 * kiosk_purge_schedule:
 *
 * Purges now and then every hour on the context's clock, until
 * kiosk_purge_unschedule().
 *
 * Returns: the timer's id
 */
guint
kiosk_purge_schedule (KioskContext *context)
{
  g_return_val_if_fail (KIOSK_IS_CONTEXT (context), 0);

  purge_cb (context);
  return kiosk_clock_add_timeout (kiosk_context_get_clock (context), KIOSK_PURGE_INTERVAL_MS,
                                  purge_cb, g_object_ref (context), g_object_unref);
}

void
kiosk_purge_unschedule (KioskContext *context,
                        guint         id)
{
  g_return_if_fail (KIOSK_IS_CONTEXT (context));

  if (id != 0)
    kiosk_clock_remove_timeout (kiosk_context_get_clock (context), id);
}

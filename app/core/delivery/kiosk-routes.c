/* kiosk-routes.c
 *
 * SPDX-FileCopyrightText: 2026 Stadtkiosk contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "kiosk-delivery"

#include "config.h"

#include "kiosk-routes.h"

#include "kiosk-catalog.h"
#include "kiosk-open311-target.h"
#include "kiosk-target-factory.h"

/* Which target delivers which request, for KioskSync.
 *
 * One lane per kind of target (Submission API, Open311, CouchDB hub), each
 * with its own target, made from its config group when first needed, and
 * its own trouble: a configuration it cannot use, or a pause an answer asked
 * for (a refused API key).  A lane in trouble holds its requests queued;
 * the other lanes keep delivering.  Nothing is ever delivered by another
 * lane than the one its service names (or `[kiosk] default-target` for a
 * service without a target, or one the catalogue no longer has).
 *
 * The routing table lives in the database connection (a temporary table,
 * kiosk_outbox_set_routes()), so claims pick exactly the requests of the
 * lanes that can deliver; a claim pins the request to its lane. */

typedef struct
{
  KioskTarget *target;       /* NULL until made, or when it cannot be */
  gboolean     made;         /* tried to make it since the last reset */
  char        *problem;      /* why this lane cannot deliver, or NULL */
  gint64       resume_at;    /* a paused lane: when to try again; 0 for a config problem */
} Lane;

struct _KioskRoutes
{
  KioskContext    *context;
  guint            max_connections;
  KioskTargetKind  default_kind;
  KioskCatalog    *catalog;
  gint64           catalog_imported;   /* of the catalogue in hand; -1 before the first */
  Lane             lanes[KIOSK_TARGET_N_KINDS];
  const char      *usable[KIOSK_TARGET_N_KINDS + 1];
  /* kiosk_routes_dup_problems()'s last answer.  Each lane that cannot
   * deliver costs a scan of the queued requests (40 ms at 20,000 queued),
   * and the sync asks ten times a second while it drains; so it is read
   * again only when a lane or the routing table changed, the queue changed
   * other than by delivery (kiosk_routes_queue_changed()), or it is
   * PROBLEMS_MAX_AGE old. */
  char            *problems;
  gboolean         problems_stale;
  gint64           problems_read_us;   /* monotonic */
};

#define PROBLEMS_MAX_AGE (10 * G_USEC_PER_SEC)

#define REQUEST_KIND_KEY "kiosk-routes-kind"

static const char *
kind_title (KioskTargetKind kind)
{
  switch (kind)
    {
    case KIOSK_TARGET_OPEN311: return "Open311";
    case KIOSK_TARGET_COUCHDB: return "the CouchDB hub";
    case KIOSK_TARGET_SUBMISSION:
    case KIOSK_TARGET_N_KINDS:
    default: return "the Submission API";
    }
}

KioskRoutes *
kiosk_routes_new (KioskContext *context,
                  guint         max_connections)
{
  KioskRoutes *self = g_new0 (KioskRoutes, 1);

  self->context = g_object_ref (context);
  self->max_connections = max_connections;
  self->catalog_imported = -1;
  self->problems_stale = TRUE;
  if (!kiosk_target_kind_from_string (kiosk_config_get_default_target (kiosk_context_get_config (context)),
                                      &self->default_kind))
    self->default_kind = KIOSK_TARGET_SUBMISSION;
  return self;
}

/* The caller marks the problems stale. */
static void
lane_clear (Lane *lane)
{
  g_clear_object (&lane->target);
  g_clear_pointer (&lane->problem, g_free);
  lane->made = FALSE;
  lane->resume_at = 0;
}

void
kiosk_routes_free (KioskRoutes *self)
{
  if (self == NULL)
    return;
  for (guint i = 0; i < KIOSK_TARGET_N_KINDS; i++)
    lane_clear (&self->lanes[i]);
  g_clear_object (&self->catalog);
  g_clear_object (&self->context);
  g_free (self->problems);
  g_free (self);
}

/* Re-reads the routing table when the active catalogue changed. */
static void
refresh_catalog (KioskRoutes *self)
{
  KioskStore *store = kiosk_context_get_store (self->context);
  gint64 imported = kiosk_catalog_get_active_imported (store);
  g_autoptr(KioskCatalog) catalog = NULL;
  g_autoptr(GHashTable) routes = NULL;
  GPtrArray *services;
  g_autoptr(GError) error = NULL;

  if (imported == self->catalog_imported && self->catalog != NULL)
    return;
  /* The context's copy, shared with the citizens' sessions. */
  catalog = kiosk_context_dup_active_catalog (self->context, &error);
  if (catalog == NULL)
    {
      g_debug ("cannot load the active catalogue for routing: %s", error->message);
      return;
    }
  routes = g_hash_table_new (g_str_hash, g_str_equal);
  services = kiosk_catalog_get_all_services (catalog);
  for (guint i = 0; i < services->len; i++)
    {
      KioskService *service = services->pdata[i];

      if (kiosk_service_has_target (service))
        g_hash_table_insert (routes, (gpointer) kiosk_service_get_id (service),
                             (gpointer) kiosk_target_kind_to_string (kiosk_service_get_target_kind (service)));
    }
  if (!kiosk_outbox_set_routes (kiosk_context_get_outbox (self->context), routes, &error))
    {
      g_debug ("cannot set the routing table: %s", error->message);
      return;
    }
  g_set_object (&self->catalog, catalog);
  self->catalog_imported = imported;
  self->problems_stale = TRUE;
  if (KIOSK_IS_OPEN311_TARGET (self->lanes[KIOSK_TARGET_OPEN311].target))
    kiosk_open311_target_set_catalog (KIOSK_OPEN311_TARGET (self->lanes[KIOSK_TARGET_OPEN311].target),
                                      self->catalog);
}

/**
 * kiosk_routes_refresh:
 *
 * Follows a new catalogue, makes the targets not tried since the last reset
 * and ends the pauses whose time has come.
 */
void
kiosk_routes_refresh (KioskRoutes *self)
{
  KioskConfig *config = kiosk_context_get_config (self->context);
  KioskClock *clock = kiosk_context_get_clock (self->context);
  gint64 now = kiosk_clock_get_now (clock);
  guint n = 0;

  refresh_catalog (self);

  for (guint kind = 0; kind < KIOSK_TARGET_N_KINDS; kind++)
    {
      Lane *lane = &self->lanes[kind];

      if (lane->resume_at > 0 && lane->resume_at <= now)
        {
          lane_clear (lane);
          self->problems_stale = TRUE;
        }
      if (!lane->made)
        {
          g_autoptr(GError) error = NULL;

          lane->made = TRUE;
          self->problems_stale = TRUE;
          lane->target = kiosk_target_new_for_kind (kind, config, clock, self->max_connections, &error);
          if (lane->target == NULL)
            lane->problem = g_strdup (error->message);
          else if (KIOSK_IS_OPEN311_TARGET (lane->target))
            kiosk_open311_target_set_catalog (KIOSK_OPEN311_TARGET (lane->target), self->catalog);
        }
      if (lane->target != NULL && lane->problem == NULL)
        self->usable[n++] = kiosk_target_kind_to_string (kind);
    }
  self->usable[n] = NULL;
}

/**
 * kiosk_routes_reset:
 *
 * Forgets every target and pause: the next refresh makes them anew from the
 * configuration (kiosk_sync_resume()).
 */
void
kiosk_routes_reset (KioskRoutes *self)
{
  for (guint i = 0; i < KIOSK_TARGET_N_KINDS; i++)
    lane_clear (&self->lanes[i]);
  self->usable[0] = NULL;
  self->problems_stale = TRUE;
}

/**
 * kiosk_routes_queue_changed:
 *
 * Says that a request was queued, or left the queue other than by being
 * delivered: kiosk_routes_dup_problems() looks again.
 */
void
kiosk_routes_queue_changed (KioskRoutes *self)
{
  self->problems_stale = TRUE;
}

KioskTargetKind
kiosk_routes_get_default (KioskRoutes *self)
{
  return self->default_kind;
}

/* Returns: (transfer none) (nullable): the lane's target while it can deliver */
KioskTarget *
kiosk_routes_get_target (KioskRoutes     *self,
                         KioskTargetKind  kind)
{
  Lane *lane;

  g_return_val_if_fail (kind < KIOSK_TARGET_N_KINDS, NULL);

  lane = &self->lanes[kind];
  return lane->problem == NULL ? lane->target : NULL;
}

/**
 * kiosk_routes_choose_primary:
 * @out_problem: (out): when none can deliver, why the default one cannot
 *
 * The lane whose target the sync probes for reachability: the default one
 * if it can deliver, else the first one that can.
 *
 * Returns: its kind, or %KIOSK_TARGET_N_KINDS when no lane can deliver
 */
KioskTargetKind
kiosk_routes_choose_primary (KioskRoutes  *self,
                             const char  **out_problem)
{
  kiosk_routes_refresh (self);
  if (kiosk_routes_get_target (self, self->default_kind) != NULL)
    return self->default_kind;
  for (guint kind = 0; kind < KIOSK_TARGET_N_KINDS; kind++)
    if (kiosk_routes_get_target (self, kind) != NULL)
      return kind;
  *out_problem = self->lanes[self->default_kind].problem;
  return KIOSK_TARGET_N_KINDS;
}

/**
 * kiosk_routes_pause:
 *
 * Holds one lane's requests until @until_us (an answer said its
 * configuration is wrong); the others go on.
 */
void
kiosk_routes_pause (KioskRoutes     *self,
                    KioskTargetKind  kind,
                    const char      *reason,
                    gint64           until_us)
{
  Lane *lane;

  g_return_if_fail (kind < KIOSK_TARGET_N_KINDS);

  lane = &self->lanes[kind];
  if (lane->problem != NULL)
    return;
  lane->problem = g_strdup (reason);
  lane->resume_at = until_us;
  self->problems_stale = TRUE;
  kiosk_routes_refresh (self);
}

/**
 * kiosk_routes_claim:
 *
 * Claims due requests of the lanes that can deliver, each marked with its
 * lane (kiosk_routes_kind_of()).
 *
 * Returns: (transfer full) (element-type KioskRequest): the claimed requests
 */
GPtrArray *
kiosk_routes_claim (KioskRoutes  *self,
                    guint         max,
                    GError      **error)
{
  g_autoptr(GPtrArray) kinds = NULL;
  GPtrArray *claimed;

  kiosk_routes_refresh (self);
  if (self->usable[0] == NULL)
    return g_ptr_array_new_with_free_func (g_object_unref);
  claimed = kiosk_outbox_claim_due_for (kiosk_context_get_outbox (self->context), self->usable,
                                        kiosk_target_kind_to_string (self->default_kind), max, &kinds, error);
  if (claimed == NULL)
    return NULL;
  for (guint i = 0; i < claimed->len; i++)
    {
      KioskTargetKind kind = self->default_kind;

      kiosk_target_kind_from_string (kinds->pdata[i], &kind);
      g_object_set_data (claimed->pdata[i], REQUEST_KIND_KEY, GUINT_TO_POINTER (kind + 1));
    }
  return claimed;
}

/* Returns: the lane a request was claimed for, or %KIOSK_TARGET_N_KINDS */
KioskTargetKind
kiosk_routes_kind_of (KioskRequest *request)
{
  guint tag = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (request), REQUEST_KIND_KEY));

  return tag == 0 ? KIOSK_TARGET_N_KINDS : tag - 1;
}

/* Returns: the next due time of a request a lane can deliver now, or -1 */
gint64
kiosk_routes_get_next_due (KioskRoutes *self)
{
  if (self->usable[0] == NULL)
    return -1;
  return kiosk_outbox_get_next_due_for (kiosk_context_get_outbox (self->context), self->usable,
                                        kiosk_target_kind_to_string (self->default_kind));
}

/**
 * kiosk_routes_dup_problems:
 *
 * Returns: (transfer full) (nullable): for each lane that cannot deliver
 *   while a request waits for it, one line naming a waiting service and
 *   why, e.g. "service report-problem is delivered through Open311, but
 *   [open311] endpoint is not set"; %NULL when nothing waits in vain.
 *   The last answer again unless something may have changed it (see
 *   KioskRoutes.problems)
 */
char *
kiosk_routes_dup_problems (KioskRoutes *self)
{
  g_autoptr(GString) text = NULL;
  gint64 now = g_get_monotonic_time ();

  if (!self->problems_stale && now - self->problems_read_us < PROBLEMS_MAX_AGE)
    return g_strdup (self->problems);
  self->problems_stale = FALSE;
  self->problems_read_us = now;

  for (guint kind = 0; kind < KIOSK_TARGET_N_KINDS; kind++)
    {
      Lane *lane = &self->lanes[kind];
      g_autofree char *service = NULL;

      if (lane->problem == NULL)
        continue;
      service = kiosk_outbox_dup_waiting_service (kiosk_context_get_outbox (self->context),
                                                  kiosk_target_kind_to_string (kind),
                                                  kiosk_target_kind_to_string (self->default_kind));
      if (service == NULL)
        continue;
      if (text == NULL)
        text = g_string_new (NULL);
      else
        g_string_append_c (text, '\n');
      g_string_append_printf (text, "service %s is delivered through %s, but %s", service, kind_title (kind),
                              lane->problem);
    }
  g_free (self->problems);
  self->problems = text != NULL ? g_string_free (g_steal_pointer (&text), FALSE) : NULL;
  return g_strdup (self->problems);
}

/* Asking the city what became of delivered requests ------------------- */

typedef struct
{
  KioskOutbox *outbox;
  GHashTable  *ids;   /* the city's reference -> request id */
} StatusPull;

static void
status_pull_free (StatusPull *pull)
{
  g_clear_object (&pull->outbox);
  g_clear_pointer (&pull->ids, g_hash_table_unref);
  g_free (pull);
}

static void
city_status_fetched_cb (GObject      *object,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  StatusPull *pull = user_data;
  g_autoptr(GPtrArray) statuses = NULL;
  g_autoptr(GError) error = NULL;

  statuses = kiosk_open311_target_fetch_status_finish (KIOSK_OPEN311_TARGET (object), result, &error);
  if (statuses == NULL)
    g_debug ("cannot ask Open311 for the city's status: %s", error->message);
  for (guint i = 0; statuses != NULL && i < statuses->len; i++)
    {
      KioskOpen311Status *status = statuses->pdata[i];
      const char *id = g_hash_table_lookup (pull->ids, status->service_request_id);
      g_autoptr(GError) store_error = NULL;

      if (id != NULL && status->status != NULL &&
          !kiosk_outbox_set_city_status (pull->outbox, id, status->status, status->status_notes, &store_error))
        g_debug ("cannot store the city's status of %s: %s", id, store_error->message);
    }
  status_pull_free (pull);
}

/**
 * kiosk_routes_pull_city_status:
 * @since_us: ask about requests delivered since then
 *
 * Asks the targets that can tell (Open311 today) what the city says about
 * requests they delivered recently, and stores it as the requests' city
 * status and note (kiosk_outbox_set_city_status()).  In the background;
 * failures only cost this round.
 */
void
kiosk_routes_pull_city_status (KioskRoutes  *self,
                               gint64        since_us,
                               GCancellable *cancellable)
{
  KioskTarget *target = kiosk_routes_get_target (self, KIOSK_TARGET_OPEN311);
  KioskOutbox *outbox = kiosk_context_get_outbox (self->context);
  g_autoptr(GPtrArray) pairs = NULL;
  g_autoptr(GPtrArray) refs = NULL;
  StatusPull *pull;

  if (target == NULL)
    return;
  pairs = kiosk_outbox_list_city_status_due (outbox, "open311", since_us, KIOSK_ROUTES_STATUS_BATCH, NULL);
  if (pairs == NULL || pairs->len == 0)
    return;
  pull = g_new0 (StatusPull, 1);
  pull->outbox = g_object_ref (outbox);
  pull->ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  refs = g_ptr_array_new ();
  for (guint i = 0; i + 1 < pairs->len; i += 2)
    {
      g_hash_table_replace (pull->ids, g_strdup (pairs->pdata[i + 1]), g_strdup (pairs->pdata[i]));
      g_ptr_array_add (refs, pairs->pdata[i + 1]);
    }
  g_ptr_array_add (refs, NULL);
  kiosk_open311_target_fetch_status_async (KIOSK_OPEN311_TARGET (target), (const char * const *) refs->pdata,
                                           cancellable, city_status_fetched_cb, pull);
}

/* Services whose answers leave in clear ---------------------------------- */

typedef struct
{
  gint64      imported;       /* of the catalogue the set was made from */
  GHashTable *open311;        /* service ids delivered through Open311 */
} ClearCache;

static void
clear_cache_free (ClearCache *cache)
{
  g_clear_pointer (&cache->open311, g_hash_table_unref);
  g_free (cache);
}

/**
 * kiosk_routes_delivers_in_clear:
 * @context: the kiosk
 * @service_id: a service of the active catalogue
 *
 * Whether the service's target needs the answers themselves: Open311 puts
 * them into the form fields of the city's issue tracker, so they cannot be
 * sealed at rest (kiosk_context_submit()).  Cached per active catalogue.
 *
 * Returns: %TRUE for a service delivered through Open311
 */
gboolean
kiosk_routes_delivers_in_clear (KioskContext *context,
                                const char   *service_id)
{
  KioskStore *store = kiosk_context_get_store (context);
  ClearCache *cache = g_object_get_data (G_OBJECT (context), "kiosk-routes-clear");
  gint64 imported = kiosk_catalog_get_active_imported (store);

  if (cache == NULL || cache->imported != imported)
    {
      /* The context's shared copy, not a parse of its own (#18). */
      g_autoptr(KioskCatalog) catalog = kiosk_context_dup_active_catalog (context, NULL);
      GPtrArray *services;

      cache = g_new0 (ClearCache, 1);
      cache->imported = imported;
      cache->open311 = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
      services = catalog != NULL ? kiosk_catalog_get_all_services (catalog) : NULL;
      for (guint i = 0; services != NULL && i < services->len; i++)
        if (kiosk_service_get_target_kind (services->pdata[i]) == KIOSK_TARGET_OPEN311)
          g_hash_table_add (cache->open311, g_strdup (kiosk_service_get_id (services->pdata[i])));
      g_object_set_data_full (G_OBJECT (context), "kiosk-routes-clear", cache, (GDestroyNotify) clear_cache_free);
    }
  return g_hash_table_contains (cache->open311, service_id);
}

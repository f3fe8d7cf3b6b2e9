/* kiosk-context.c
 *
 * SPDX-FileCopyrightText: 2026 Stadtkiosk contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "kiosk-core"

#include "config.h"

#include "kiosk-audit.h"
#include "kiosk-catalog-private.h"

#ifdef __GLIBC__
#include <malloc.h>
#endif
#include "kiosk-context.h"
#include "kiosk-routes.h"
#include "kiosk-sealer.h"

/* The one object the GUI and the CLI are handed: it owns one of each core
 * part, so that nothing in the core is global and tests can build as many
 * independent kiosks as they like. */

struct _KioskContext
{
  GObject      parent_instance;

  KioskConfig *config;
  KioskClock  *clock;
  KioskStore  *store;
  KioskOutbox *outbox;
  KioskPins   *pins;

  /* The active catalogue, shared by the citizens' sessions and the
   * delivery's routing table, and read again only when another one was
   * stored (a 6,000-service catalogue is 16 MiB of JSON, seconds to
   * validate and some 100 MB once loaded: one copy, read once). */
  KioskCatalog *catalog;
  gint64        catalog_imported;
  GPtrArray    *catalog_waiting;   /* GTasks waiting for the worker thread's parse, or NULL */
};

G_DEFINE_FINAL_TYPE (KioskContext, kiosk_context, G_TYPE_OBJECT)

static void
kiosk_context_dispose (GObject *object)
{
  KioskContext *self = (KioskContext *)object;

  g_clear_object (&self->catalog);
  g_clear_object (&self->pins);
  g_clear_object (&self->outbox);
  g_clear_object (&self->store);
  g_clear_object (&self->clock);
  g_clear_object (&self->config);

  G_OBJECT_CLASS (kiosk_context_parent_class)->dispose (object);
}

static void
kiosk_context_class_init (KioskContextClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = kiosk_context_dispose;
}

static void
kiosk_context_init (KioskContext *self)
{
}

/**
 * kiosk_context_dup_db_path:
 *
 * Returns: (transfer full): where the database of @config's kiosk lives
 */
char *
kiosk_context_dup_db_path (KioskConfig *config)
{
  g_return_val_if_fail (KIOSK_IS_CONFIG (config), NULL);

  return g_build_filename (kiosk_config_get_state_dir (config), "stadtkiosk.db", NULL);
}

/**
 * kiosk_context_new:
 * @config: the kiosk's configuration
 * @clock: (nullable): the clock; %NULL for the system clock
 *
 * Opens the kiosk's database in the configured state directory (creating it
 * on first use) and sets up the outbox.
 *
 * Returns: (transfer full): the context, or %NULL with @error set
 */
KioskContext *
kiosk_context_new (KioskConfig  *config,
                   KioskClock   *clock,
                   GError      **error)
{
  return kiosk_context_new_with_flags (config, clock, KIOSK_STORE_OPEN_DEFAULT, error);
}

/**
 * kiosk_context_new_with_flags:
 * @flags: how the database is opened; %KIOSK_STORE_OPEN_DEFER_CHECK for the
 *   kiosk's window (see kiosk_store_open_with_flags())
 *
 * Like kiosk_context_new().
 *
 * Returns: (transfer full): the context, or %NULL with @error set
 */
KioskContext *
kiosk_context_new_with_flags (KioskConfig          *config,
                              KioskClock           *clock,
                              KioskStoreOpenFlags   flags,
                              GError              **error)
{
  g_autoptr(KioskContext) self = NULL;
  g_autofree char *db_path = NULL;

  g_return_val_if_fail (KIOSK_IS_CONFIG (config), NULL);
  g_return_val_if_fail (clock == NULL || KIOSK_IS_CLOCK (clock), NULL);

  self = g_object_new (KIOSK_TYPE_CONTEXT, NULL);
  self->config = g_object_ref (config);
  self->clock = clock != NULL ? g_object_ref (clock) : kiosk_clock_new_system ();

  db_path = kiosk_context_dup_db_path (config);
  self->store = kiosk_store_open_with_flags (db_path, flags, error);
  if (self->store == NULL)
    return NULL;

  self->outbox = kiosk_outbox_new (self->store, self->clock, kiosk_config_get_code_prefix (config), error);
  if (self->outbox == NULL)
    return NULL;

  {
    g_autofree char *pins_path = g_build_filename (kiosk_config_get_state_dir (config), "staff-pins", NULL);
    self->pins = kiosk_pins_new (pins_path, self->clock);
  }

  return g_steal_pointer (&self);
}

KioskConfig *
kiosk_context_get_config (KioskContext *self)
{
  g_return_val_if_fail (KIOSK_IS_CONTEXT (self), NULL);
  return self->config;
}

KioskClock *
kiosk_context_get_clock (KioskContext *self)
{
  g_return_val_if_fail (KIOSK_IS_CONTEXT (self), NULL);
  return self->clock;
}

KioskStore *
kiosk_context_get_store (KioskContext *self)
{
  g_return_val_if_fail (KIOSK_IS_CONTEXT (self), NULL);
  return self->store;
}

KioskOutbox *
kiosk_context_get_outbox (KioskContext *self)
{
  g_return_val_if_fail (KIOSK_IS_CONTEXT (self), NULL);
  return self->outbox;
}

/**
 * kiosk_context_get_pins:
 *
 * Returns: (transfer none): the staff PINs (`staff-pins` in the state directory)
 */
KioskPins *
kiosk_context_get_pins (KioskContext *self)
{
  g_return_val_if_fail (KIOSK_IS_CONTEXT (self), NULL);
  return self->pins;
}

/**
 * kiosk_context_audit:
 * @role: who
 * @action: what
 * @detail: (nullable): more, without personal data
 *
 * Writes a line to the audit log.  An audit line that cannot be written
 * (a full disk) must not stop a clerk's work; it is reported to the log.
 *
 * Returns: whether the line was written
 */
gboolean
kiosk_context_audit (KioskContext *self,
                     const char   *role,
                     const char   *action,
                     const char   *detail)
{
  g_autoptr(GError) error = NULL;

  g_return_val_if_fail (KIOSK_IS_CONTEXT (self), FALSE);

  if (!kiosk_audit_log (self->store, self->clock, role, action, detail, &error))
    {
      g_message ("audit log: %s", error->message);
      return FALSE;
    }
  return TRUE;
}

/**
 * kiosk_context_submit:
 * @draft: a new request from a citizen, a clerk or the CLI; answers in JSON
 * @actor: who submits it, for the request's history
 *
 * The one way a new request enters this kiosk's outbox.  It gives the
 * request its id and short code, and when a city key is configured (or the
 * keys are in demo mode) it stores the answers signed and sealed to the city
 * instead of in clear (kiosk_sealer_seal_at_rest()): the kiosk cannot read
 * what it stored.  Returns only after COMMIT.
 *
 * Keys that are configured but missing or wrong are an error: the request is
 * not stored in clear behind the admin's back.
 *
 * Returns: (transfer full): the stored request, or %NULL with @error set
 */
KioskRequest *
kiosk_context_submit (KioskContext            *self,
                      const KioskRequestDraft *draft,
                      const char              *actor,
                      GError                 **error)
{
  KioskRequestDraft sealed_draft;
  g_autofree char *id = NULL;
  g_autofree char *code = NULL;
  g_autoptr(GBytes) sealed = NULL;
  g_autoptr(GBytes) receipt = NULL;

  g_return_val_if_fail (KIOSK_IS_CONTEXT (self), NULL);
  g_return_val_if_fail (draft != NULL, NULL);

  sealed_draft = *draft;
  if (sealed_draft.id == NULL)
    sealed_draft.id = id = g_uuid_string_random ();
  if (sealed_draft.short_code == NULL)
    sealed_draft.short_code = code = kiosk_outbox_new_short_code (self->outbox);
  /* The body names the kiosk the request was made on, frozen now: read from
   * the configuration at delivery, a changed [kiosk] id made an undelivered
   * request conflict with itself (422) for good (#12). */
  if (sealed_draft.origin_kiosk_id == NULL)
    sealed_draft.origin_kiosk_id = kiosk_config_get_kiosk_id (self->config);

  /* Open311 needs the answers themselves for the city's form fields: a
   * service delivered that way is stored in clear (docs/open311.md). */
  if (!kiosk_routes_delivers_in_clear (self, draft->service_id) &&
      !kiosk_sealer_seal_at_rest (self->config, self->clock, &sealed_draft, &sealed, error))
    return NULL;
  /* Sealed answers too large for the QR code: the receipt's reference-only
   * code is sealed now, once, so that every print and the hub document
   * show the same one (#16). */
  if (sealed != NULL)
    {
      g_autoptr(GError) local_error = NULL;

      /* The request matters more than its receipt: without it every print
       * is sealed afresh, as before. */
      receipt = kiosk_sealer_receipt_for_draft (self->config, &sealed_draft, &local_error);
      if (local_error != NULL)
        g_message ("the receipt's code for %s is sealed at print time: %s",
                   sealed_draft.short_code, local_error->message);
      sealed_draft.receipt_payload = receipt;
    }

  return kiosk_outbox_enqueue (self->outbox, &sealed_draft, actor, error);
}

/**
 * kiosk_context_dup_active_catalog:
 *
 * The active catalogue as kiosk_catalog_load_active() reads it, kept for as
 * long as no other one is stored; the service switches (enable/disable)
 * are read again on every call.  It does not keep its JSON text
 * (kiosk_catalog_get_bytes() returns %NULL), and reads each service's form
 * when it is first asked for (kiosk-catalog-forms.c).
 *
 * Returns: (transfer full): the catalogue, or %NULL with @error set
 */
KioskCatalog *
kiosk_context_dup_active_catalog (KioskContext  *self,
                                  GError       **error)
{
  gint64 imported;
  g_autoptr(KioskCatalog) full = NULL;
  g_autoptr(KioskCatalog) catalog = NULL;

  g_return_val_if_fail (KIOSK_IS_CONTEXT (self), NULL);

  imported = kiosk_catalog_get_active_imported (self->store);
  if (self->catalog != NULL && imported == self->catalog_imported)
    {
      if (!_kiosk_catalog_apply_overrides (self->catalog, self->store, error))
        return NULL;
      return g_object_ref (self->catalog);
    }
  full = kiosk_catalog_load_active (self->store, error);
  if (full == NULL)
    return NULL;
  /* The shared copy keeps neither its JSON text (16 MB at federal size)
   * nor its forms (40 MB), which it reads again when a service is opened
   * (kiosk-catalog-forms.c); whoever needs the text loads the catalogue
   * with kiosk_catalog_load_active().  A large one is read with
   * kiosk_context_load_active_catalog_async(), which parses it in a thread
   * of its own. */
  catalog = _kiosk_catalog_dup_without_forms (full, kiosk_store_get_path (self->store));
  g_set_object (&self->catalog, catalog);
  self->catalog_imported = imported;
  return g_steal_pointer (&catalog);
}

static void
parse_catalog_thread (GTask        *task,
                      gpointer      source_object,
                      gpointer      task_data,
                      GCancellable *cancellable)
{
  const char *source = g_object_get_data (G_OBJECT (task), "kiosk-source");
  const char *db_path = g_object_get_data (G_OBJECT (task), "kiosk-db-path");
  gint64 seq = *(gint64 *) g_object_get_data (G_OBJECT (task), "kiosk-seq");
  gsize size = *(gsize *) task_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = _kiosk_catalog_read_stored (db_path, seq, size, &error);
  KioskCatalog *catalog = NULL;

  /* The shared copy, without its forms (kiosk-catalog-forms.c). */
  if (bytes != NULL)
    catalog = _kiosk_catalog_new_without_forms (bytes, source, seq, db_path, &error);

  if (catalog == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, catalog, g_object_unref);
}

static void
catalog_parsed_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  KioskContext *self = KIOSK_CONTEXT (object);
  g_autoptr(GPtrArray) waiting = g_steal_pointer (&self->catalog_waiting);
  g_autoptr(KioskCatalog) catalog = g_task_propagate_pointer (G_TASK (result), NULL);
  gint64 imported = *(gint64 *) g_object_get_data (G_OBJECT (result), "kiosk-imported");
  GError *error = NULL;
  KioskCatalog *active;

  /* Still the newest, and not read meanwhile: keep it.  Otherwise (or if
   * it does not load) the usual way decides. */
  if (catalog != NULL && imported == kiosk_catalog_get_active_imported (self->store) &&
      (self->catalog == NULL || self->catalog_imported != imported))
    {
      g_set_object (&self->catalog, catalog);
      self->catalog_imported = imported;
    }
  active = kiosk_context_dup_active_catalog (self, &error);
#ifdef __GLIBC__
  /* The parse's JSON tree was freed in the worker thread's arena, which
   * glibc does not give back by itself: some 55 MB for 6,000 services.
   * Before the callers hear of it: one may start a long job (the kiosk
   * starts its sync and the retention purge), and the pages stayed until
   * that was done (#18). */
  malloc_trim (0);
#endif
  for (guint i = 0; i < waiting->len; i++)
    {
      GTask *task = waiting->pdata[i];

      if (active == NULL)
        g_task_return_error (task, g_error_copy (error));
      else
        g_task_return_pointer (task, g_object_ref (active), g_object_unref);
    }
  g_clear_error (&error);
  g_clear_object (&active);
}

/* A stored catalogue smaller than this is read at once (a few ms); a
 * larger one in a worker thread. */
#define CATALOG_THREAD_BYTES (1024 * 1024)

/**
 * kiosk_context_active_catalog_is_quick:
 *
 * Whether kiosk_context_dup_active_catalog() returns at once: the copy
 * held is current, or the stored catalogue is small enough to read in a
 * few milliseconds.  A page that must not wait for a large one loads it
 * with kiosk_context_load_active_catalog_async() instead.
 *
 * Returns: %TRUE if reading the active catalogue does not take long
 */
gboolean
kiosk_context_active_catalog_is_quick (KioskContext *self)
{
  g_return_val_if_fail (KIOSK_IS_CONTEXT (self), FALSE);

  if (self->catalog != NULL && kiosk_catalog_get_active_imported (self->store) == self->catalog_imported)
    return TRUE;
  return _kiosk_catalog_store_get_newest_size (self->store) < CATALOG_THREAD_BYTES;
}


/**
 * kiosk_context_load_active_catalog_async:
 *
 * Like kiosk_context_dup_active_catalog(), but a large catalogue is
 * validated in a worker thread: a kiosk with a federal-size catalogue
 * paints its first frame without waiting for it.
 */
void
kiosk_context_load_active_catalog_async (KioskContext        *self,
                                         GCancellable        *cancellable,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GTask) parse = NULL;
  g_autofree char *source = NULL;
  gint64 imported;
  gint64 seq = 0;
  gsize size = 0;
  const char *db_path;

  g_return_if_fail (KIOSK_IS_CONTEXT (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, kiosk_context_load_active_catalog_async);
  /* One parse at a time: later callers wait for the one in flight. */
  if (self->catalog_waiting != NULL)
    {
      g_ptr_array_add (self->catalog_waiting, g_steal_pointer (&task));
      return;
    }
  imported = kiosk_catalog_get_active_imported (self->store);
  db_path = kiosk_store_get_path (self->store);
  /* The worker reads the text itself, on a connection of its own: not
   * the main loop, and one copy (kiosk-catalog-forms.c). */
  if ((self->catalog == NULL || imported != self->catalog_imported) &&
      db_path != NULL && *db_path != '\0' && !g_str_equal (db_path, ":memory:") &&
      !_kiosk_catalog_store_get_newest_row (self->store, &seq, &source, &size))
    size = 0;
  if (size < CATALOG_THREAD_BYTES)
    {
      GError *error = NULL;
      KioskCatalog *active = kiosk_context_dup_active_catalog (self, &error);

      if (active == NULL)
        g_task_return_error (task, error);
      else
        g_task_return_pointer (task, active, g_object_unref);
      return;
    }
  self->catalog_waiting = g_ptr_array_new_with_free_func (g_object_unref);
  g_ptr_array_add (self->catalog_waiting, g_steal_pointer (&task));
  /* The parse itself is not cancelled: others may wait for it. */
  parse = g_task_new (self, NULL, catalog_parsed_cb, NULL);
  g_object_set_data_full (G_OBJECT (parse), "kiosk-source", g_steal_pointer (&source), g_free);
  g_object_set_data_full (G_OBJECT (parse), "kiosk-imported", g_memdup2 (&imported, sizeof imported), g_free);
  g_object_set_data_full (G_OBJECT (parse), "kiosk-seq", g_memdup2 (&seq, sizeof seq), g_free);
  g_object_set_data_full (G_OBJECT (parse), "kiosk-db-path", g_strdup (db_path), g_free);
  g_task_set_task_data (parse, g_memdup2 (&size, sizeof size), g_free);
  g_task_run_in_thread (parse, parse_catalog_thread);
}

/**
 * kiosk_context_load_active_catalog_finish:
 *
 * Returns: (transfer full): the catalogue, or %NULL with @error set
 */
KioskCatalog *
kiosk_context_load_active_catalog_finish (KioskContext  *self,
                                          GAsyncResult  *result,
                                          GError       **error)
{
  g_return_val_if_fail (KIOSK_IS_CONTEXT (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

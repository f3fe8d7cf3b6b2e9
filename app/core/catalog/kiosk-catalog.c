/* kiosk-catalog.c: the service catalogue as a model: lookup, categories, search
 *
 * SPDX-FileCopyrightText: 2026 Stadtkiosk contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "kiosk-catalog"

#include "config.h"

#include "kiosk-catalog.h"

#include <string.h>

#include "kiosk-catalog-private.h"
#include "kiosk-catalog-resources.h"
#include "kiosk-search-private.h"

static void list_model_iface_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (KioskCatalog, kiosk_catalog, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, list_model_iface_init))

G_DEFINE_QUARK (kiosk-catalog-error-quark, kiosk_catalog_error)

/* ------------------------------------------------------------------ */
/* GObject and GListModel                                              */

static GType
list_model_get_item_type (GListModel *model)
{
  return KIOSK_TYPE_SERVICE;
}

static guint
list_model_get_n_items (GListModel *model)
{
  return KIOSK_CATALOG (model)->items->len;
}

static gpointer
list_model_get_item (GListModel *model,
                     guint       position)
{
  KioskCatalog *self = KIOSK_CATALOG (model);

  if (position >= self->items->len)
    return NULL;
  return g_object_ref (self->items->pdata[position]);
}

static void
list_model_iface_init (GListModelInterface *iface)
{
  iface->get_item_type = list_model_get_item_type;
  iface->get_n_items = list_model_get_n_items;
  iface->get_item = list_model_get_item;
}

static void
kiosk_catalog_finalize (GObject *object)
{
  KioskCatalog *self = (KioskCatalog *)object;

  g_clear_pointer (&self->search, _kiosk_search_index_free);
  g_clear_pointer (&self->search_vocabulary, g_bytes_unref);
  g_clear_pointer (&self->bytes, g_bytes_unref);
  g_free (self->version);
  g_clear_pointer (&self->items, g_ptr_array_unref);
  g_clear_pointer (&self->by_id, g_hash_table_unref);
  g_clear_pointer (&self->services, g_ptr_array_unref);
  g_clear_pointer (&self->categories, g_ptr_array_unref);
  g_clear_pointer (&self->info_cards, g_ptr_array_unref);

  G_OBJECT_CLASS (kiosk_catalog_parent_class)->finalize (object);
}

static void
kiosk_catalog_class_init (KioskCatalogClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = kiosk_catalog_finalize;
}

static void
kiosk_catalog_init (KioskCatalog *self)
{
  self->categories = g_ptr_array_new_with_free_func (g_object_unref);
  self->services = g_ptr_array_new_with_free_func (g_object_unref);
  self->items = g_ptr_array_new ();
  self->by_id = g_hash_table_new (g_str_hash, g_str_equal);
}

void
_kiosk_catalog_rebuild_items (KioskCatalog *self)
{
  guint old_n = self->items->len;

  g_ptr_array_set_size (self->items, 0);
  for (guint i = 0; i < self->services->len; i++)
    if (kiosk_service_get_enabled (self->services->pdata[i]))
      g_ptr_array_add (self->items, self->services->pdata[i]);
  g_list_model_items_changed (G_LIST_MODEL (self), 0, old_n, self->items->len);
}

/* ------------------------------------------------------------------ */
/* Public API                                                          */

/**
 * kiosk_catalog_new_from_bytes:
 * @json: the catalogue as JSON
 * @source_name: how errors name it (a file name or URL)
 *
 * Loads and validates a catalogue.  A catalogue with any problem is refused
 * whole: the error (%KIOSK_CATALOG_ERROR_INVALID) lists every problem, one
 * per line, as "<source_name>: <JSON pointer>: <what was expected>".
 *
 * Returns: (transfer full) (nullable): the catalogue
 */
KioskCatalog *
kiosk_catalog_new_from_bytes (GBytes      *json,
                              const char  *source_name,
                              GError     **error)
{
  g_autoptr(KioskCatalog) self = NULL;

  g_return_val_if_fail (json != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  self = g_object_new (KIOSK_TYPE_CATALOG, NULL);
  if (!_kiosk_catalog_parse (self, json, source_name != NULL ? source_name : "catalogue", error))
    return NULL;
  return g_steal_pointer (&self);
}

KioskCatalog *
kiosk_catalog_new_from_file (const char  *path,
                             GError     **error)
{
  g_autofree char *contents = NULL;
  gsize len;

  g_return_val_if_fail (path != NULL, NULL);

  if (!g_file_get_contents (path, &contents, &len, error))
    return NULL;
  {
    g_autoptr(GBytes) bytes = g_bytes_new_take (g_steal_pointer (&contents), len);

    return kiosk_catalog_new_from_bytes (bytes, path, error);
  }
}

/**
 * kiosk_catalog_dup_demo_bytes:
 *
 * Returns: (transfer full): the bundled Hildesheim demo catalogue as JSON
 */
GBytes *
kiosk_catalog_dup_demo_bytes (void)
{
  return g_resource_lookup_data (kiosk_catalog_get_resource (),
                                 "/de/hildesheim/Stadtkiosk/catalog/demo.json",
                                 G_RESOURCE_LOOKUP_FLAGS_NONE, NULL);
}

/**
 * kiosk_catalog_new_demo:
 *
 * The bundled demo catalogue, so that a first start works offline.  The test
 * suite proves it valid.
 *
 * Returns: (transfer full): the demo catalogue
 */
KioskCatalog *
kiosk_catalog_new_demo (void)
{
  g_autoptr(GBytes) bytes = kiosk_catalog_dup_demo_bytes ();
  g_autoptr(GError) error = NULL;
  KioskCatalog *self;

  g_assert (bytes != NULL);
  self = kiosk_catalog_new_from_bytes (bytes, "resource:///de/hildesheim/Stadtkiosk/catalog/demo.json", &error);
  if (self == NULL)
    g_error ("The bundled demo catalogue is invalid (the tests should have caught this):\n%s", error->message);
  return self;
}

/**
 * kiosk_catalog_get_bytes:
 *
 * Returns: (transfer none) (nullable): the JSON the catalogue was loaded
 *   from; %NULL for the copy KioskContext shares
 *   (kiosk_context_dup_active_catalog()), which does not keep it
 */
/* Drops the JSON text the catalogue keeps for kiosk_catalog_get_bytes():
 * 16 MB of the 80 MB a federal-size catalogue takes in memory, and the
 * kiosk's shared copy never needs it. */
void
_kiosk_catalog_drop_bytes (KioskCatalog *self)
{
  g_return_if_fail (KIOSK_IS_CATALOG (self));
  g_clear_pointer (&self->bytes, g_bytes_unref);
}

GBytes *
kiosk_catalog_get_bytes (KioskCatalog *self)
{
  g_return_val_if_fail (KIOSK_IS_CATALOG (self), NULL);
  return self->bytes;
}

const char *
kiosk_catalog_get_version (KioskCatalog *self)
{
  g_return_val_if_fail (KIOSK_IS_CATALOG (self), NULL);
  return self->version;
}

/**
 * kiosk_catalog_lookup:
 *
 * Returns: (transfer none) (nullable): the enabled service @service_id
 */
KioskService *
kiosk_catalog_lookup (KioskCatalog *self,
                      const char   *service_id)
{
  KioskService *service;

  g_return_val_if_fail (KIOSK_IS_CATALOG (self), NULL);
  g_return_val_if_fail (service_id != NULL, NULL);

  service = g_hash_table_lookup (self->by_id, service_id);
  if (service == NULL || !kiosk_service_get_enabled (service))
    return NULL;
  return service;
}

/**
 * kiosk_catalog_lookup_any:
 *
 * Returns: (transfer none) (nullable): the service @service_id, also when disabled
 */
KioskService *
kiosk_catalog_lookup_any (KioskCatalog *self,
                          const char   *service_id)
{
  g_return_val_if_fail (KIOSK_IS_CATALOG (self), NULL);
  g_return_val_if_fail (service_id != NULL, NULL);
  return g_hash_table_lookup (self->by_id, service_id);
}

/**
 * kiosk_catalog_prepare_search:
 *
 * Builds what the forgiving search needs (the catalogue's vocabulary) now
 * rather than at the first typo: tens of milliseconds for thousands of
 * services, better spent while nobody is typing.
 */
void
kiosk_catalog_prepare_search (KioskCatalog *self)
{
  g_return_if_fail (KIOSK_IS_CATALOG (self));

  if (self->search == NULL)
    self->search = _kiosk_search_index_new (self->items, self->search_vocabulary);
  _kiosk_search_index_prepare (self->search);
}

/**
 * kiosk_catalog_search:
 * @query: words typed by the citizen
 *
 * Finds enabled services whose titles, keywords or option labels, in any
 * language, contain every word of @query, ignoring case and accents
 * ("muell", "müll" and "mull" all find "Müll") and forgiving a typo, a
 * different ending or a compound (see kiosk-search.c).  Exact finds come
 * first; otherwise the catalogue's order is kept.
 *
 * Returns: (transfer full): a list model of KioskService
 */
GListModel *
kiosk_catalog_search (KioskCatalog *self,
                      const char   *query)
{
  GListStore *store;
  g_autofree char *folded = NULL;
  g_autoptr(GArray) hits = NULL;
  g_autofree gpointer *found = NULL;

  g_return_val_if_fail (KIOSK_IS_CATALOG (self), NULL);

  if (self->search == NULL)
    self->search = _kiosk_search_index_new (self->items, self->search_vocabulary);
  folded = _kiosk_fold (query != NULL && g_utf8_validate (query, -1, NULL) ? query : "", TRUE);
  hits = _kiosk_search_index_run (self->search, folded);

  found = g_new (gpointer, hits->len + 1);
  for (guint i = 0; i < hits->len; i++)
    found[i] = self->items->pdata[g_array_index (hits, KioskSearchHit, i).index];
  store = g_list_store_new (KIOSK_TYPE_SERVICE);
  g_list_store_splice (store, 0, 0, found, hits->len);
  return G_LIST_MODEL (store);
}

/**
 * kiosk_catalog_get_categories:
 *
 * Returns: (transfer none) (element-type KioskCategory): the categories in order
 */
GPtrArray *
kiosk_catalog_get_categories (KioskCatalog *self)
{
  g_return_val_if_fail (KIOSK_IS_CATALOG (self), NULL);
  return self->categories;
}

/**
 * kiosk_catalog_lookup_category:
 *
 * Returns: (transfer none) (nullable): the category
 */
KioskCategory *
kiosk_catalog_lookup_category (KioskCatalog *self,
                               const char   *category_id)
{
  g_return_val_if_fail (KIOSK_IS_CATALOG (self), NULL);

  for (guint i = 0; i < self->categories->len; i++)
    if (g_strcmp0 (kiosk_category_get_id (self->categories->pdata[i]), category_id) == 0)
      return self->categories->pdata[i];
  return NULL;
}

/**
 * kiosk_catalog_list_category:
 *
 * Returns: (transfer full): the enabled services of a category, in catalogue order
 */
GListModel *
kiosk_catalog_list_category (KioskCatalog *self,
                             const char   *category_id)
{
  GListStore *store;

  g_return_val_if_fail (KIOSK_IS_CATALOG (self), NULL);

  store = g_list_store_new (KIOSK_TYPE_SERVICE);
  for (guint i = 0; i < self->items->len; i++)
    if (g_strcmp0 (kiosk_service_get_category_id (self->items->pdata[i]), category_id) == 0)
      g_list_store_append (store, self->items->pdata[i]);
  return G_LIST_MODEL (store);
}

/**
 * kiosk_catalog_get_all_services:
 *
 * Returns: (transfer none) (element-type KioskService): every service,
 *   disabled ones included, in catalogue order
 */
GPtrArray *
kiosk_catalog_get_all_services (KioskCatalog *self)
{
  g_return_val_if_fail (KIOSK_IS_CATALOG (self), NULL);
  return self->services;
}

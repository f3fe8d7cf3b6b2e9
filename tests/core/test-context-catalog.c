/* test-context-catalog.c — one copy of the active catalogue per kiosk
 *
 * SPDX-FileCopyrightText: 2026 Stadtkiosk contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "stadtkiosk-core.h"
#include "kiosk-session.h"
#include "kiosk-test-util.h"
#include "../bench/bench-catalog-gen.h"

typedef struct
{
  char         *dir;
  KioskContext *context;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KioskConfig) config = kiosk_config_new_default ();

  f->dir = g_dir_make_tmp ("stadtkiosk-context-XXXXXX", &error);
  g_assert_no_error (error);
  kiosk_config_set_state_dir (config, f->dir);
  f->context = kiosk_context_new (config, NULL, &error);
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_assert_finalize_object (f->context);
  kiosk_test_rm_rf (f->dir);
  g_free (f->dir);
}

static void
loaded_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  KioskCatalog **out = user_data;
  g_autoptr(GError) error = NULL;

  *out = kiosk_context_load_active_catalog_finish (KIOSK_CONTEXT (object), result, &error);
  g_assert_no_error (error);
}

/* A large stored catalogue (over 1 MiB) is validated in a worker thread;
 * two callers at once share the one parse; the sessions and the routing
 * table get the same object afterwards, until another catalogue is stored.
 * The control: a catalogue stored later is read anew. */
static void
test_shared (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) big = bench_catalog_generate (600);
  g_autoptr(KioskCatalog) first = NULL;
  g_autoptr(KioskCatalog) second = NULL;
  g_autoptr(KioskCatalog) again = NULL;
  g_autoptr(KioskCatalog) other = NULL;
  g_autoptr(KioskSession) session = kiosk_session_new (f->context);
  KioskStore *store = kiosk_context_get_store (f->context);

  /* Nothing stored (the demo): read at once. */
  g_assert_true (kiosk_context_active_catalog_is_quick (f->context));
  g_assert_cmpuint (g_bytes_get_size (big), >, 1024 * 1024);
  g_assert_true (kiosk_catalog_store_active (store, big, "test", NULL, &error));
  g_assert_no_error (error);
  /* Large and not held yet: a page loads it asynchronously. */
  g_assert_false (kiosk_context_active_catalog_is_quick (f->context));

  kiosk_context_load_active_catalog_async (f->context, NULL, loaded_cb, &first);
  kiosk_context_load_active_catalog_async (f->context, NULL, loaded_cb, &second);
  while (first == NULL || second == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (first == second);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (first)), ==, 600);
  g_assert_true (kiosk_context_active_catalog_is_quick (f->context));
  /* The shared copy does not keep its JSON text (#18); one loaded for
   * itself does (the control). */
  g_assert_null (kiosk_catalog_get_bytes (first));
  {
    g_autoptr(KioskCatalog) own = kiosk_catalog_load_active (store, &error);

    g_assert_no_error (error);
    g_assert_true (g_bytes_equal (kiosk_catalog_get_bytes (own), big));
  }

  again = kiosk_context_dup_active_catalog (f->context, &error);
  g_assert_no_error (error);
  g_assert_true (again == first);
  g_assert_true (kiosk_session_get_catalog (session) == first);

  /* A service switched off on this kiosk is gone from the shared copy too. */
  g_assert_true (kiosk_catalog_set_service_enabled (store, "service-001", FALSE, &error));
  g_clear_object (&again);
  again = kiosk_context_dup_active_catalog (f->context, &error);
  g_assert_null (kiosk_catalog_lookup (again, "service-001"));

  /* Another catalogue stored: read anew.  (Its import time differs from
   * the first one's by at least a microsecond.) */
  g_usleep (2);
  g_clear_pointer (&big, g_bytes_unref);
  big = bench_catalog_generate (3);
  g_assert_true (kiosk_catalog_store_active (store, big, "test", NULL, &error));
  /* Not held, but small: read at once. */
  g_assert_true (kiosk_context_active_catalog_is_quick (f->context));
  other = kiosk_context_dup_active_catalog (f->context, &error);
  g_assert_no_error (error);
  g_assert_true (other != first);
  g_assert_null (kiosk_catalog_get_bytes (other));
  /* three services, service-001 still switched off */
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (other)), ==, 2);
  g_clear_object (&session);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add ("/kiosk/context/catalog-shared", Fixture, NULL, fixture_set_up, test_shared, fixture_tear_down);
  return g_test_run ();
}

/* fuzz-catalog.c: libFuzzer target for the catalogue loader
 *
 * Feeds arbitrary bytes to kiosk_catalog_new_from_bytes(); whatever loads
 * is exercised further (search, a form per service with its defaults,
 * validation and canonical JSON), and so is its copy with forms on demand
 * (kiosk-catalog-forms.c), whose forms must read again, each as loaded,
 * and its search file (kiosk-search-file.c), whose mapped titles,
 * summaries, search texts and vocabulary must be the ones loaded.
 * The same bytes also go through the Open311 import, which reads the same
 * kind of untrusted JSON.
 *
 * SPDX-FileCopyrightText: 2026 Stadtkiosk contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "stadtkiosk-core.h"
#include "kiosk-catalog-private.h"
#include "kiosk-search-private.h"

int LLVMFuzzerInitialize (int *argc, char ***argv);
int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

static gboolean canary;
static char *search_dir;
static char *search_path;

static void
remove_search_file (void)
{
  g_unlink (search_path);
  g_rmdir (search_dir);
}

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  search_dir = g_dir_make_tmp ("fuzz-catalog-XXXXXX", NULL);
  g_assert (search_dir != NULL);
  search_path = g_build_filename (search_dir, "kiosk.db.search", NULL);
  atexit (remove_search_file);

  /* The core must never warn and carry on: make that a crash. */
  g_log_set_always_fatal (G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING);
  canary = g_getenv ("KIOSK_FUZZ_CANARY") != NULL;
  return 0;
}

static void
exercise (KioskCatalog *catalog,
          const char   *query)
{
  GPtrArray *services = kiosk_catalog_get_all_services (catalog);
  g_autoptr(KioskClock) clock = kiosk_clock_new_fake (G_GINT64_CONSTANT (1795694400) * G_USEC_PER_SEC);
  const char * const postal_codes[] = { "31134-31141", NULL };
  g_autoptr(GListModel) found = kiosk_catalog_search (catalog, query);

  for (guint i = 0; i < services->len && i < 16; i++)
    {
      KioskService *service = services->pdata[i];
      g_autoptr(KioskForm) form = kiosk_form_new (service, postal_codes, clock);
      g_autoptr(GPtrArray) errors = NULL;
      g_autoptr(GBytes) json = NULL;
      GPtrArray *fields = kiosk_service_get_fields (service);

      (void) kiosk_service_get_title (service, "en");
      kiosk_form_validate_all (form, "en", &errors);
      for (guint f = 0; f < fields->len; f++)
        kiosk_form_is_visible (form, kiosk_field_get_id (fields->pdata[f]));
      json = kiosk_form_to_json (form);
      kiosk_form_clear (form);
    }
}

static gboolean
same_text (const KioskText *a,
           const KioskText *b)
{
  if (a == NULL || b == NULL)
    return a == b;
  return a->size == b->size && memcmp (a, b, a->size) == 0;
}

/* The search file of what loaded holds exactly its texts. */
static void
check_search_file (KioskCatalog *catalog)
{
  GPtrArray *services = kiosk_catalog_get_all_services (catalog);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) vocabulary = _kiosk_search_vocabulary_build (services);
  KioskSearchFile *file = _kiosk_search_file_open (services, search_path, &error);

  if (file == NULL)
    __builtin_trap ();
  for (guint i = 0; i < services->len; i++)
    {
      KioskService *service = services->pdata[i];

      if (!same_text (_kiosk_search_file_get_title (file, i, FALSE), service->title) ||
          !same_text (_kiosk_search_file_get_title (file, i, TRUE), service->summary) ||
          strcmp (_kiosk_search_file_get_text (file, i, FALSE), service->search_expanded) != 0 ||
          strcmp (_kiosk_search_file_get_text (file, i, TRUE), service->search_stripped) != 0)
        __builtin_trap ();
    }
  if (!g_bytes_equal (_kiosk_search_file_get_vocabulary (file), vocabulary))
    __builtin_trap ();
  _kiosk_search_file_free (file);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GBytes) bytes = g_bytes_new (data, size);
  g_autoptr(KioskCatalog) catalog = NULL;
  g_autoptr(GBytes) imported = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *query = NULL;

  catalog = kiosk_catalog_new_from_bytes (bytes, "fuzz", &error);
  /* Negative control for the harness (tests/fuzz/run-short): with
   * KIOSK_FUZZ_CANARY set, any valid catalogue "crashes", and the fuzzer
   * must find one. */
  if (catalog != NULL && canary)
    __builtin_trap ();
  if (catalog != NULL)
    {
      g_autoptr(KioskCatalog) on_demand = _kiosk_catalog_dup_without_forms (catalog, NULL);
      GPtrArray *services = kiosk_catalog_get_all_services (catalog);

      query = g_utf8_make_valid ((const char *) data, MIN (size, 16));
      exercise (catalog, query);
      /* Every form reads again from its byte range (a failure warns, which
       * is fatal here), and is the one loaded. */
      for (guint i = 0; i < services->len; i++)
        {
          KioskService *full = services->pdata[i];
          KioskService *lazy = kiosk_catalog_get_all_services (on_demand)->pdata[i];

          if (kiosk_service_get_n_steps (lazy) != kiosk_service_get_n_steps (full) ||
              kiosk_service_get_fields (lazy)->len != kiosk_service_get_fields (full)->len ||
              g_strcmp0 (kiosk_service_get_help (lazy, "en"), kiosk_service_get_help (full, "en")) != 0)
            __builtin_trap ();
        }
      exercise (on_demand, query);
      check_search_file (catalog);
    }
  else if (error == NULL || error->message == NULL)
    __builtin_trap ();   /* every refusal says why */
  g_clear_error (&error);

  imported = kiosk_open311_import (bytes, NULL, "fuzz", &error);
  if (imported != NULL)
    {
      g_autoptr(KioskCatalog) from_open311 = kiosk_catalog_new_from_bytes (imported, "fuzz-open311", NULL);

      if (from_open311 != NULL)
        exercise (from_open311, "a");
    }
  return 0;
}

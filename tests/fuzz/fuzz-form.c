/* fuzz-form.c: libFuzzer target for answers (stadtkioskctl enqueue --answers)
 *
 * Loads arbitrary bytes as the answers to every demo service, validates
 * them, makes the canonical JSON and formats each answer for people.
 *
 * SPDX-FileCopyrightText: 2026 Stadtkiosk contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <stdint.h>

#include "stadtkiosk-core.h"

int LLVMFuzzerInitialize (int *argc, char ***argv);
int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

static KioskCatalog *demo;
static KioskClock *fake_clock;
static gboolean canary;

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  g_log_set_always_fatal (G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING);
  demo = kiosk_catalog_new_demo ();
  fake_clock = kiosk_clock_new_fake (G_GINT64_CONSTANT (1795694400) * G_USEC_PER_SEC);
  canary = g_getenv ("KIOSK_FUZZ_CANARY") != NULL;
  return 0;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  const char * const postal_codes[] = { "31134-31141", NULL };
  g_autoptr(JsonParser) parser = json_parser_new ();
  GPtrArray *services = kiosk_catalog_get_all_services (demo);
  JsonNode *root;

  if (!json_parser_load_from_data (parser, (const char *) data, size, NULL))
    return 0;
  root = json_parser_get_root (parser);
  if (root == NULL)
    return 0;

  for (guint i = 0; i < services->len; i++)
    {
      KioskService *service = services->pdata[i];
      g_autoptr(KioskForm) form = kiosk_form_new (service, postal_codes, fake_clock);
      g_autoptr(GPtrArray) errors = NULL;
      g_autoptr(GBytes) json = NULL;
      GPtrArray *fields = kiosk_service_get_fields (service);

      if (kiosk_form_load_json (form, root, NULL))
        {
          /* Negative control (tests/fuzz/run-short): with KIOSK_FUZZ_CANARY
           * set, any non-empty set of valid answers "crashes". */
          if (canary && JSON_NODE_HOLDS_OBJECT (root) && json_object_get_size (json_node_get_object (root)) > 0 &&
              kiosk_form_validate_all (form, "de", NULL))
            __builtin_trap ();
        }
      else
        {
          /* Also set the whole document as the answer of every field. */
          for (guint f = 0; f < fields->len; f++)
            kiosk_form_set_value (form, kiosk_field_get_id (fields->pdata[f]), root);
        }
      kiosk_form_validate_all (form, "de", &errors);
      for (guint f = 0; f < fields->len; f++)
        {
          KioskField *field = fields->pdata[f];
          g_autofree char *text = kiosk_field_format_answer (field, kiosk_form_get_value (form, kiosk_field_get_id (field)), "en");

          if (text != NULL && !g_utf8_validate (text, -1, NULL))
            __builtin_trap ();
        }
      json = kiosk_form_to_json (form);
    }
  return 0;
}

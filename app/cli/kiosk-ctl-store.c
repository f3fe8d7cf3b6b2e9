/* kiosk-ctl-store.c: store purge
 *
 * SPDX-FileCopyrightText: 2026 Stadtkiosk contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "kiosk-ctl.h"
#include "kiosk-purge.h"

int
kiosk_ctl_store_purge (KioskCtl  *ctl,
                       int        argc,
                       char     **argv)
{
  gboolean dry_run = FALSE;
  const GOptionEntry entries[] = {
    { "dry-run", 0, 0, G_OPTION_ARG_NONE, &dry_run, "Only list what would be purged", NULL },
    { NULL }
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) requests = NULL;
  KioskContext *context;

  if (!kiosk_ctl_parse (ctl, "- erase the answers of done requests past their service's retention",
                        entries, &argc, &argv, 0, 0))
    return KIOSK_CTL_EXIT_USAGE;
  context = kiosk_ctl_get_context (ctl, &error);
  if (context == NULL)
    return kiosk_ctl_fail (ctl, error);
  if (!kiosk_purge_run (context, dry_run, &requests, &error))
    return kiosk_ctl_fail (ctl, error);

  if (ctl->json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      g_autoptr(JsonNode) root = NULL;

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "dry_run");
      json_builder_add_boolean_value (builder, dry_run);
      json_builder_set_member_name (builder, "purged");
      json_builder_begin_array (builder);
      for (guint i = 0; i < requests->len; i++)
        json_builder_add_string_value (builder, kiosk_request_get_short_code (requests->pdata[i]));
      json_builder_end_array (builder);
      json_builder_end_object (builder);
      root = json_builder_get_root (builder);
      kiosk_ctl_print_json (root);
    }
  else
    {
      for (guint i = 0; i < requests->len; i++)
        g_print ("%s %s (%s)\n", dry_run ? "would purge" : "purged",
                 kiosk_request_get_short_code (requests->pdata[i]),
                 kiosk_request_state_to_string (kiosk_request_get_state (requests->pdata[i])));
      g_print ("%u request%s %s\n", requests->len, requests->len == 1 ? "" : "s",
               dry_run ? "past retention (nothing changed: --dry-run)" : "purged");
    }
  return KIOSK_CTL_EXIT_OK;
}

/* kiosk-ctl-info.c: stadtkioskctl info pull | list | waste
 *
 * SPDX-FileCopyrightText: 2026 Stadtkiosk contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "kiosk-ctl.h"

#include <stdio.h>

typedef struct
{
  GMainLoop *loop;
  GPtrArray *results;
  GError    *error;
} PullRun;

static void
pull_done_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  PullRun *run = user_data;

  run->results = kiosk_info_pull_finish (result, &run->error);
  g_main_loop_quit (run->loop);
}

static GPtrArray *
load_cards (KioskCtl      *ctl,
            KioskContext **out_context,
            GError       **error)
{
  g_autoptr(KioskCatalog) catalog = NULL;
  KioskContext *context = kiosk_ctl_get_context (ctl, error);

  if (context == NULL)
    return NULL;
  catalog = kiosk_catalog_load_active (kiosk_context_get_store (context), error);
  if (catalog == NULL)
    return NULL;
  *out_context = context;
  return g_ptr_array_ref (kiosk_catalog_get_info_cards (catalog));
}

int
kiosk_ctl_info_pull (KioskCtl  *ctl,
                     int        argc,
                     char     **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) cards = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  KioskContext *context = NULL;
  KioskConfig *config;
  KioskInfoPullOptions options;
  PullRun run = { 0 };
  guint failed = 0;

  if (!kiosk_ctl_parse (ctl, "- fetch every info card's source now", NULL, &argc, &argv, 0, 0))
    return KIOSK_CTL_EXIT_USAGE;
  cards = load_cards (ctl, &context, &error);
  if (cards == NULL)
    return kiosk_ctl_fail (ctl, error);
  config = kiosk_context_get_config (context);
  kiosk_info_pull_options_init (&options, config);

  loop = g_main_loop_new (NULL, FALSE);
  run.loop = loop;
  kiosk_info_pull_async (kiosk_context_get_store (context), kiosk_context_get_clock (context), cards, &options,
                         NULL, pull_done_cb, &run);
  g_main_loop_run (loop);
  if (run.results == NULL)
    {
      int status = kiosk_ctl_fail (ctl, run.error);

      g_clear_error (&run.error);
      return status;
    }

  if (ctl->json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      g_autoptr(JsonNode) node = NULL;

      json_builder_begin_array (builder);
      for (guint i = 0; i < run.results->len; i++)
        {
          KioskInfoPullResult *r = run.results->pdata[i];

          json_builder_begin_object (builder);
          json_builder_set_member_name (builder, "card");
          json_builder_add_string_value (builder, r->card_id);
          json_builder_set_member_name (builder, "ok");
          json_builder_add_boolean_value (builder, r->ok);
          json_builder_set_member_name (builder, "changed");
          json_builder_add_boolean_value (builder, r->changed);
          json_builder_set_member_name (builder, "error");
          if (r->error != NULL)
            json_builder_add_string_value (builder, r->error);
          else
            json_builder_add_null_value (builder);
          json_builder_end_object (builder);
        }
      json_builder_end_array (builder);
      node = json_builder_get_root (builder);
      kiosk_ctl_print_json (node);
    }
  for (guint i = 0; i < run.results->len; i++)
    {
      KioskInfoPullResult *r = run.results->pdata[i];

      if (!r->ok)
        failed++;
      if (ctl->json)
        continue;
      if (r->ok)
        g_print ("%s: %s\n", r->card_id, r->changed ? "updated" : "unchanged");
      else
        g_print ("%s: failed, keeping the last good copy: %s\n", r->card_id, r->error);
    }
  g_ptr_array_unref (run.results);
  return failed > 0 ? KIOSK_CTL_EXIT_FAILURE : KIOSK_CTL_EXIT_OK;
}

int
kiosk_ctl_info_list (KioskCtl  *ctl,
                     int        argc,
                     char     **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) cards = NULL;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  KioskContext *context = NULL;
  KioskStore *store;
  guint stale_hours;
  guint n_local = 0;
  gint64 now;

  if (!kiosk_ctl_parse (ctl, "- each info card's source, age and state", NULL, &argc, &argv, 0, 0))
    return KIOSK_CTL_EXIT_USAGE;
  cards = load_cards (ctl, &context, &error);
  if (cards == NULL)
    return kiosk_ctl_fail (ctl, error);
  store = kiosk_context_get_store (context);
  stale_hours = kiosk_config_get_info_stale_hours (kiosk_context_get_config (context));
  now = kiosk_clock_get_now (kiosk_context_get_clock (context));

  json_builder_begin_array (builder);
  for (guint i = 0; i < cards->len; i++)
    {
      KioskInfoCard *card = cards->pdata[i];
      g_autoptr(KioskInfoEntry) entry = kiosk_info_cache_lookup (store, kiosk_info_card_get_id (card), &error);
      KioskInfoState state;
      gint64 age = -1;

      if (error != NULL)
        return kiosk_ctl_fail (ctl, error);
      state = kiosk_info_entry_get_state (entry, now, stale_hours);
      if (entry != NULL && entry->body != NULL)
        age = (now - entry->fetched_at) / G_USEC_PER_SEC;
      if (kiosk_info_card_is_local (card))
        n_local++;
      if (ctl->json)
        {
          json_builder_begin_object (builder);
          json_builder_set_member_name (builder, "id");
          json_builder_add_string_value (builder, kiosk_info_card_get_id (card));
          json_builder_set_member_name (builder, "type");
          json_builder_add_string_value (builder, kiosk_info_source_type_to_string (kiosk_info_card_get_source_type (card)));
          json_builder_set_member_name (builder, "url");
          if (kiosk_info_card_get_url (card) != NULL)
            json_builder_add_string_value (builder, kiosk_info_card_get_url (card));
          else
            json_builder_add_null_value (builder);
          json_builder_set_member_name (builder, "ckan_dataset");
          if (kiosk_info_card_get_ckan_dataset (card) != NULL)
            json_builder_add_string_value (builder, kiosk_info_card_get_ckan_dataset (card));
          else
            json_builder_add_null_value (builder);
          json_builder_set_member_name (builder, "state");
          json_builder_add_string_value (builder, kiosk_info_state_to_string (state));
          json_builder_set_member_name (builder, "local");
          json_builder_add_boolean_value (builder, kiosk_info_card_is_local (card));
          json_builder_set_member_name (builder, "age_seconds");
          if (age >= 0)
            json_builder_add_int_value (builder, age);
          else
            json_builder_add_null_value (builder);
          json_builder_set_member_name (builder, "fetched_at");
          if (age >= 0)
            {
              g_autofree char *when = kiosk_ctl_format_time (entry->fetched_at);

              json_builder_add_string_value (builder, when);
            }
          else
            json_builder_add_null_value (builder);
          json_builder_set_member_name (builder, "error");
          if (entry != NULL && entry->error != NULL)
            json_builder_add_string_value (builder, entry->error);
          else
            json_builder_add_null_value (builder);
          json_builder_end_object (builder);
        }
      else
        {
          g_autofree char *when = age >= 0 ? kiosk_ctl_format_time (entry->fetched_at) : g_strdup ("never");

          g_print ("%-16s %-5s %-7s %-22s %s\n", kiosk_info_card_get_id (card),
                   kiosk_info_source_type_to_string (kiosk_info_card_get_source_type (card)),
                   kiosk_info_state_to_string (state), when,
                   kiosk_info_card_get_url (card) != NULL ? kiosk_info_card_get_url (card)
                   : kiosk_info_card_get_ckan_dataset (card));
          if (entry != NULL && entry->error != NULL)
            g_print ("%-16s last attempt: %s\n", "", entry->error);
        }
    }
  json_builder_end_array (builder);
  if (ctl->json)
    {
      g_autoptr(JsonNode) node = json_builder_get_root (builder);

      kiosk_ctl_print_json (node);
    }
  else if (n_local > 0)
    /* The bundled demo catalogue's cards: nothing answers there on an
     * installed kiosk (docs/install.md, "Information cards"). */
    g_print ("\n%u of %u cards fetch from this machine (127.0.0.1), as the demo catalogue's do.\n"
             "Put the city's own sources into its catalogue's \"info\" section; see install.md,\n"
             "\"Information cards\".\n", n_local, cards->len);
  return KIOSK_CTL_EXIT_OK;
}

int
kiosk_ctl_info_waste (KioskCtl  *ctl,
                      int        argc,
                      char     **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) cards = NULL;
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(GDateTime) now = NULL;
  g_auto(GStrv) streets = NULL;
  g_autoptr(GArray) dates = NULL;
  KioskContext *context = NULL;
  KioskInfoCard *card = NULL;
  GDate today;
  gint64 fetched_at = 0;
  g_autofree char *slip = NULL;
  g_autofree char *locale = NULL;
  const GOptionEntry entries[] = {
    { "slip", 0, 0, G_OPTION_ARG_FILENAME, &slip, "Also draw the printed slip to FILE (PNG, 80 mm)", "FILE" },
    { "locale", 0, 0, G_OPTION_ARG_STRING, &locale, "Language of the slip (default de)", "LANG" },
    { NULL }
  };

  if (!kiosk_ctl_parse (ctl, "STREET - the next collection dates in a street (from the cached waste calendar)",
                        entries, &argc, &argv, 1, 1))
    return KIOSK_CTL_EXIT_USAGE;
  cards = load_cards (ctl, &context, &error);
  if (cards == NULL)
    return kiosk_ctl_fail (ctl, error);
  for (guint i = 0; i < cards->len && card == NULL; i++)
    if (kiosk_info_card_get_kind (cards->pdata[i]) == KIOSK_INFO_KIND_WASTE)
      card = cards->pdata[i];
  if (card == NULL)
    return kiosk_ctl_usage (ctl, "the active catalogue has no waste card");
  items = kiosk_info_load_items (kiosk_context_get_store (context), card, &fetched_at, &error);
  if (items == NULL)
    return kiosk_ctl_fail (ctl, error);
  streets = kiosk_info_waste_streets (items, argv[1]);
  if (streets[0] == NULL)
    {
      g_printerr ("No street matches \"%s\" in the cached calendar\n", argv[1]);
      return KIOSK_CTL_EXIT_FAILURE;
    }
  now = g_date_time_new_from_unix_local (kiosk_clock_get_now (kiosk_context_get_clock (context)) / G_USEC_PER_SEC);
  g_date_clear (&today, 1);
  g_date_set_dmy (&today, g_date_time_get_day_of_month (now), g_date_time_get_month (now), g_date_time_get_year (now));
  dates = kiosk_info_waste_next (items, streets[0], &today);
  g_print ("%s\n", streets[0]);
  for (guint i = 0; i < dates->len; i++)
    {
      KioskWasteDate *d = &g_array_index (dates, KioskWasteDate, i);
      char buf[32];

      g_date_strftime (buf, sizeof buf, "%Y-%m-%d", &d->date);
      g_print ("  %s  %s\n", buf, d->waste_type);
    }
  if (slip != NULL)
    {
      const char *lang = locale != NULL ? locale : "de";
      g_autoptr(KioskReceipt) receipt = kiosk_info_waste_receipt (kiosk_info_card_get_title (card, lang), streets[0],
                                                                  dates, fetched_at, lang);

      if (!kiosk_receipt_render_png (receipt, slip, KIOSK_RECEIPT_DOTS_80MM, &error))
        return kiosk_ctl_fail (ctl, error);
    }
  return KIOSK_CTL_EXIT_OK;
}

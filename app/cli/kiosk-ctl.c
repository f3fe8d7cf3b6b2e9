/* kiosk-ctl.c: stadtkioskctl, every core capability without a screen
 *
 * SPDX-FileCopyrightText: 2026 Stadtkiosk contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "stadtkioskctl"

#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>
#include <stdio.h>
#include <string.h>

#include "kiosk-ctl.h"

static const KioskCtlCommand commands[] = {
  { "init", "[--demo] [--config-out FILE]", "create the state directory and database", kiosk_ctl_init },
  { "status", "", "kiosk, database and queue at a glance", kiosk_ctl_status },
  { "config check", "", "check the configuration and its drop-ins, show each value and its source", kiosk_ctl_config_check },
  { "enqueue", "--service ID --answers FILE [--locale LANG]", "store a new request", kiosk_ctl_enqueue },
  { "queue list", "[--state STATE]", "list requests", kiosk_ctl_queue_list },
  { "queue show", "ID|CODE", "one request with its history", kiosk_ctl_queue_show },
  { "queue retry", "ID|CODE", "make a queued request due now, or re-queue a rejected one", kiosk_ctl_queue_retry },
  { "queue cancel", "ID|CODE --reason TEXT", "cancel a queued or rejected request", kiosk_ctl_queue_cancel },
  { "store set-aside", "", "keep a damaged database aside and start a new one", kiosk_ctl_store_set_aside },
  { "store purge", "[--dry-run]", "erase the answers of done requests past their retention", kiosk_ctl_store_purge },
  /* Catalogue */
  { "catalog validate", "FILE", "check a catalogue file; lists every problem", kiosk_ctl_catalog_validate },
  { "catalog import", "FILE|URL [--open311] [--etag ETAG]", "validate a catalogue (or Open311 services.json, from a file or a live endpoint) and make it the active one", kiosk_ctl_catalog_import },
  { "catalog list", "[--locale LANG]", "services of the active catalogue", kiosk_ctl_catalog_list },
  { "catalog show", "ID [--locale LANG]", "one service with its steps and fields", kiosk_ctl_catalog_show },
  { "service enable", "ID", "offer a service on this kiosk again", kiosk_ctl_service_enable },
  { "service disable", "ID", "stop offering a service on this kiosk", kiosk_ctl_service_disable },
  { "service list", "[--catalog FILE] [--locale LANG]", "services of a catalogue file or the active one, also invalid ones", kiosk_ctl_service_list },
  { "service export", "ID [--catalog FILE] [--output FILE]", "write one service as a small file to share", kiosk_ctl_service_export },
  { "service import", "SERVICE_FILE [--catalog FILE] [--replace|--copy] [--yes]", "take a shared service into a catalogue file or the active one (backup kept)", kiosk_ctl_service_import },
  { "service validate", "SERVICE_FILE [--catalog FILE]", "check a shared service file, as part of a catalogue; changes nothing", kiosk_ctl_service_validate },
  /* staff */
  { "pin set", "clerk|admin", "set a staff PIN (read from standard input)", kiosk_ctl_pin_set },
  { "pin reset-lockout", "", "clear the wrong-PIN counter and lockout", kiosk_ctl_pin_reset_lockout },
  { "audit", "[--limit N]", "who did what on this kiosk, newest first", kiosk_ctl_audit },
  { "queue export", "FILE", "write undelivered requests, sealed and signed, to FILE (USB stick)", kiosk_ctl_queue_export },
  { "queue import", "FILE [--city-key F] [--trust F] [--no-deliver]", "verify a kiosk's queue file, queue and deliver it", kiosk_ctl_queue_import },
  { "alerts", "[--no-probe]", "what needs a person (exit 1 when anything does)", kiosk_ctl_alerts },
  /* Sync */
  { "sync", "[--once]", "deliver queued requests (until stopped, or what is due now)", kiosk_ctl_sync },
  { "sync status", "[--no-probe]", "online/offline/paused, queue depth, last success, alert", kiosk_ctl_sync_status },
  { "catalog pull", "", "fetch the catalogue from the backend (ETag), validate, activate", kiosk_ctl_catalog_pull },
  /* The CouchDB hub */
  { "hub setup", "[--url URL] [--user NAME --password-file F] [--design F]", "create the hub's database, _security and design document", kiosk_ctl_hub_setup },
  { "hub add-kiosk", "ID --kiosk-password-file F [--url URL] [--user NAME --password-file F]", "create a kiosk's hub user (kiosk-ID, role kiosk)", kiosk_ctl_hub_add_kiosk },
  { "hub pull", "", "read the city's status for this kiosk's requests from the hub", kiosk_ctl_hub_pull },
  { "hub heartbeat", "", "write this kiosk's heartbeat (kiosk:ID) to the hub", kiosk_ctl_hub_heartbeat },
  { "hub run", "", "deliver into the hub, write heartbeats, read the city's status (until stopped)", kiosk_ctl_hub_run },
  { "hub pull-catalog", "", "take the signed catalogue the hub distributes (needs [keys] catalog-public-key)", kiosk_ctl_hub_pull_catalog },
  { "catalog publish", "BUNDLE [--url URL] [--user NAME --password-file F]", "put a signed catalogue bundle on the hub (city)", kiosk_ctl_catalog_publish },
  { "fleet status", "[--url URL] [--user NAME --password-file F]", "every kiosk's heartbeat; silent or alerting ones flagged (exit 1)", kiosk_ctl_fleet_status },
  { "inbox list", "[--status S] [--service ID] [--url URL] [--user NAME --password-file F]", "requests at the hub, newest first (city)", kiosk_ctl_inbox_list },
  { "inbox show", "ID|CODE [--locale LANG] [--city-key F] [--trust F]", "one request at the hub, sealed answers opened (city)", kiosk_ctl_inbox_show },
  { "inbox set-status", "ID|CODE STATUS [--note TEXT] [--lang LANG]", "the city's status for a request; flows back to the kiosk", kiosk_ctl_inbox_set_status },
  { "keys generate-catalog", "--secret FILE --public FILE", "create the key pair that signs catalogues (city IT)", kiosk_ctl_keys_generate_catalog },
  { "catalog sign", "FILE --key FILE --output BUNDLE", "sign a catalogue into a bundle kiosks with [keys] catalog-public-key accept", kiosk_ctl_catalog_sign },
  /* Receipts */
  { "keys generate", "[--output FILE] [--force]", "create this kiosk's signing key, print its public key", kiosk_ctl_keys_generate },
  { "keys generate-city", "--secret FILE --public FILE", "create a city key pair (for the city's IT)", kiosk_ctl_keys_generate_city },
  { "keys import-city", "FILE", "install the city's public key on this kiosk", kiosk_ctl_keys_import_city },
  { "receipt decode", "TEXT|--stdin [--city-key FILE] [--trust FILE...]", "verify, open and show a scanned receipt", kiosk_ctl_receipt_decode },
  { "receipt import", "TEXT|--stdin [--city-key FILE] [--trust FILE...]", "queue a scanned receipt's request here (counter)", kiosk_ctl_receipt_import },
  { "receipt render", "ID|CODE --format png|pdf|escpos --output FILE [--width 58|80]", "draw a request's receipt to a file", kiosk_ctl_receipt_render },
  { "receipt render-refer", "SERVICE_ID --format png|pdf|escpos --output FILE [--width 58|80] [--locale LANG]", "draw the slip a refer service prints", kiosk_ctl_receipt_render_refer },
  { "info pull", "", "fetch every info card's source now (keeps the last good copy on failure)", kiosk_ctl_info_pull },
  { "info list", "", "each info card's source, age and state (ok, failed, stale, none)", kiosk_ctl_info_list },
  { "info waste", "STREET [--slip FILE.png] [--locale LANG]", "next waste collection dates in a street, from the cached calendar", kiosk_ctl_info_waste },
  { "receipt print", "ID|CODE", "print (or reprint) a request's receipt", kiosk_ctl_receipt_print },
};

static void
print_help (FILE *out)
{
  fprintf (out,
           "Usage: stadtkioskctl [--config FILE] [--state-dir DIR] COMMAND [ARGS] [--json]\n"
           "\n"
           "Runs a Stadtkiosk from the command line (over SSH, in scripts, in tests).\n"
           "\n"
           "Commands:\n");
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    {
      g_autofree char *synopsis = g_strdup_printf ("%s %s", commands[i].name, commands[i].args);
      if (strlen (synopsis) <= 44)
        fprintf (out, "  %-44s %s\n", synopsis, commands[i].summary);
      else
        fprintf (out, "  %s\n  %-44s %s\n", synopsis, "", commands[i].summary);
    }
  fprintf (out,
           "\n"
           "Options:\n"
           "  --config FILE     configuration (default: $STADTKIOSK_CONFIG or %s)\n"
           "  --state-dir DIR   use DIR for the database instead of the configured one\n"
           "  --json            machine-readable output (every command)\n"
           "  COMMAND --help    the command's own options\n"
           "\n"
           "Exit status: 0 success, 1 failure (the message says what and where), 2 usage error.\n",
           DEFAULT_CONFIG_FILE);
}

KioskConfig *
kiosk_ctl_get_config (KioskCtl  *ctl,
                      GError   **error)
{
  if (ctl->config == NULL)
    {
      g_autoptr(GError) local_error = NULL;
      g_autoptr(KioskConfig) config = kiosk_config_new_from_file (ctl->config_path, &local_error);

      if (config == NULL)
        {
          /* Without a configuration file the defaults serve, as long as
           * nobody asked for that particular file. */
          if (ctl->config_given ||
              !g_error_matches (local_error, KIOSK_CONFIG_ERROR, KIOSK_CONFIG_ERROR_NOT_FOUND))
            {
              g_propagate_error (error, g_steal_pointer (&local_error));
              return NULL;
            }
          config = kiosk_config_new_default ();
        }

      for (const char * const *w = kiosk_config_get_warnings (config); *w != NULL; w++)
        g_printerr ("warning: %s\n", *w);

      if (ctl->state_dir != NULL)
        kiosk_config_set_state_dir (config, ctl->state_dir);
      ctl->config = g_steal_pointer (&config);
    }
  return ctl->config;
}

KioskContext *
kiosk_ctl_get_context (KioskCtl  *ctl,
                       GError   **error)
{
  if (ctl->context == NULL)
    {
      KioskConfig *config = kiosk_ctl_get_config (ctl, error);

      if (config == NULL)
        return NULL;
      ctl->context = kiosk_context_new (config, NULL, error);
    }
  return ctl->context;
}

/* For commands that only read: the database is opened with the bounded
 * integrity check (kiosk_store_open_with_flags()), not the full one, whose
 * cost grows with the data.  Damage in what such a command reads is still
 * an error (SQLITE_CORRUPT); it writes nothing. */
KioskContext *
kiosk_ctl_get_context_for_reading (KioskCtl  *ctl,
                                   GError   **error)
{
  if (ctl->context == NULL)
    {
      KioskConfig *config = kiosk_ctl_get_config (ctl, error);

      if (config == NULL)
        return NULL;
      ctl->context = kiosk_context_new_with_flags (config, NULL, KIOSK_STORE_OPEN_DEFER_CHECK, error);
    }
  return ctl->context;
}

/**
 * kiosk_ctl_parse:
 *
 * Parses a command's options (plus --json) and checks the number of
 * positional arguments left.  Prints the usage and returns FALSE on error;
 * the caller then exits with %KIOSK_CTL_EXIT_USAGE.
 */
gboolean
kiosk_ctl_parse (KioskCtl            *ctl,
                 const char          *synopsis,
                 const GOptionEntry  *entries,
                 int                 *argc,
                 char              ***argv,
                 int                  min_args,
                 int                  max_args)
{
  g_autoptr(GOptionContext) context = g_option_context_new (synopsis);
  g_autoptr(GError) error = NULL;
  const GOptionEntry common[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &ctl->json, "Machine-readable output", NULL },
    { NULL }
  };

  g_option_context_set_help_enabled (context, TRUE);
  if (entries != NULL)
    g_option_context_add_main_entries (context, entries, NULL);
  g_option_context_add_main_entries (context, common, NULL);

  if (!g_option_context_parse (context, argc, argv, &error))
    {
      g_printerr ("stadtkioskctl: %s\n", error->message);
      return FALSE;
    }
  /* (*argv)[0] is the command name. */
  if (*argc - 1 < min_args || (max_args >= 0 && *argc - 1 > max_args))
    {
      g_autofree char *help = g_option_context_get_help (context, TRUE, NULL);
      g_printerr ("stadtkioskctl: wrong number of arguments\n%s", help);
      return FALSE;
    }
  return TRUE;
}

int
kiosk_ctl_fail (KioskCtl     *ctl,
                const GError *error)
{
  if (ctl->json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      g_autoptr(JsonNode) node = NULL;

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "error");
      json_builder_add_string_value (builder, error->message);
      json_builder_set_member_name (builder, "domain");
      json_builder_add_string_value (builder, g_quark_to_string (error->domain));
      json_builder_set_member_name (builder, "code");
      json_builder_add_int_value (builder, error->code);
      json_builder_end_object (builder);
      node = json_builder_get_root (builder);
      kiosk_ctl_print_json (node);
    }
  g_printerr ("stadtkioskctl: %s\n", error->message);
  return KIOSK_CTL_EXIT_FAILURE;
}

int
kiosk_ctl_usage (KioskCtl   *ctl,
                 const char *message)
{
  g_printerr ("stadtkioskctl: %s\n", message);
  return KIOSK_CTL_EXIT_USAGE;
}

void
kiosk_ctl_print_json (JsonNode *node)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autofree char *text = NULL;

  json_generator_set_pretty (generator, TRUE);
  json_generator_set_root (generator, node);
  text = json_generator_to_data (generator, NULL);
  g_print ("%s\n", text);
}

char *
kiosk_ctl_format_time (gint64 unix_us)
{
  g_autoptr(GDateTime) utc = NULL;
  g_autoptr(GDateTime) local = NULL;

  if (unix_us <= 0)
    return g_strdup ("-");
  utc = g_date_time_new_from_unix_utc (unix_us / G_USEC_PER_SEC);
  local = g_date_time_to_local (utc);
  return g_date_time_format (local, "%Y-%m-%d %H:%M:%S");
}

static void
ctl_clear (KioskCtl *ctl)
{
  g_clear_object (&ctl->context);
  g_clear_object (&ctl->config);
  g_free (ctl->config_path);
  g_free (ctl->state_dir);
}

int
main (int    argc,
      char **argv)
{
  KioskCtl ctl = { 0 };
  g_autoptr(GPtrArray) rest = g_ptr_array_new ();
  int status;
  int i;

  setlocale (LC_ALL, "");
  /* STADTKIOSK_LOCALEDIR: translations from a build tree (./dev, tests). */
  bindtextdomain (GETTEXT_PACKAGE, g_getenv ("STADTKIOSK_LOCALEDIR") != NULL
                                   ? g_getenv ("STADTKIOSK_LOCALEDIR") : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  /* Global options stand before the command. */
  for (i = 1; i < argc; i++)
    {
      const char *arg = argv[i];

      if (g_str_equal (arg, "--help") || g_str_equal (arg, "-h"))
        {
          print_help (stdout);
          return KIOSK_CTL_EXIT_OK;
        }
      else if (g_str_equal (arg, "--version"))
        {
          g_print ("stadtkioskctl %s\n", PACKAGE_VERSION);
          return KIOSK_CTL_EXIT_OK;
        }
      else if ((g_str_equal (arg, "--config") || g_str_equal (arg, "--state-dir")) && i + 1 < argc)
        {
          const char *value = argv[++i];

          if (g_str_equal (arg, "--config"))
            {
              g_free (ctl.config_path);
              ctl.config_path = g_strdup (value);
              ctl.config_given = TRUE;
            }
          else
            {
              g_free (ctl.state_dir);
              ctl.state_dir = g_canonicalize_filename (value, NULL);
            }
        }
      else if (g_str_has_prefix (arg, "--config=") || g_str_has_prefix (arg, "--state-dir="))
        {
          const char *value = strchr (arg, '=') + 1;

          if (g_str_has_prefix (arg, "--config="))
            {
              g_free (ctl.config_path);
              ctl.config_path = g_strdup (value);
              ctl.config_given = TRUE;
            }
          else
            {
              g_free (ctl.state_dir);
              ctl.state_dir = g_canonicalize_filename (value, NULL);
            }
        }
      else if (g_str_equal (arg, "--json"))
        ctl.json = TRUE;
      else if (arg[0] == '-')
        {
          g_printerr ("stadtkioskctl: unknown option %s (see stadtkioskctl --help)\n", arg);
          return KIOSK_CTL_EXIT_USAGE;
        }
      else
        break;
    }

  if (i >= argc)
    {
      print_help (stderr);
      return KIOSK_CTL_EXIT_USAGE;
    }

  if (ctl.config_path == NULL)
    {
      ctl.config_given = g_getenv ("STADTKIOSK_CONFIG") != NULL && *g_getenv ("STADTKIOSK_CONFIG") != '\0';
      ctl.config_path = kiosk_config_get_default_path ();
    }

  /* Find the longest command name that matches the words that follow. */
  {
    const KioskCtlCommand *found = NULL;
    int words = 0;

    for (guint c = 0; c < G_N_ELEMENTS (commands); c++)
      {
        g_auto(GStrv) parts = g_strsplit (commands[c].name, " ", -1);
        int n = (int) g_strv_length (parts);
        gboolean match = i + n <= argc;

        for (int k = 0; match && k < n; k++)
          match = g_str_equal (parts[k], argv[i + k]);
        if (match && n > words)
          {
            found = &commands[c];
            words = n;
          }
      }

    if (found == NULL)
      {
        g_printerr ("stadtkioskctl: unknown command '%s' (see stadtkioskctl --help)\n", argv[i]);
        ctl_clear (&ctl);
        return KIOSK_CTL_EXIT_USAGE;
      }

    {
      g_autofree char *name = g_strdup_printf ("stadtkioskctl %s", found->name);
      int sub_argc;

      g_ptr_array_add (rest, name);
      for (int k = i + words; k < argc; k++)
        g_ptr_array_add (rest, argv[k]);
      g_ptr_array_add (rest, NULL);
      sub_argc = (int) rest->len - 1;

      status = found->func (&ctl, sub_argc, (char **) rest->pdata);
    }
  }

  ctl_clear (&ctl);
  return status;
}

/* kiosk-ctl-staff.c: PINs and the audit log
 *
 * SPDX-FileCopyrightText: 2026 Stadtkiosk contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "stadtkioskctl"

#include "config.h"

#include <stdio.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "kiosk-ctl.h"

/* Reads one line from stdin; on a terminal without echo. */
static char *
read_secret (const char *prompt)
{
  struct termios old, quiet;
  gboolean tty = isatty (STDIN_FILENO);
  char buf[128];
  char *line;

  if (tty)
    {
      g_printerr ("%s", prompt);
      tcgetattr (STDIN_FILENO, &old);
      quiet = old;
      quiet.c_lflag &= ~ECHO;
      tcsetattr (STDIN_FILENO, TCSAFLUSH, &quiet);
    }
  line = fgets (buf, sizeof buf, stdin);
  if (tty)
    {
      tcsetattr (STDIN_FILENO, TCSAFLUSH, &old);
      g_printerr ("\n");
    }
  if (line == NULL)
    return NULL;
  buf[strcspn (buf, "\r\n")] = '\0';
  return g_strdup (buf);
}

int
kiosk_ctl_pin_set (KioskCtl  *ctl,
                   int        argc,
                   char     **argv)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *pin = NULL;
  KioskContext *context;
  KioskRole role;

  if (!kiosk_ctl_parse (ctl, "clerk|admin  (the PIN is read from standard input)", NULL, &argc, &argv, 1, 1))
    return KIOSK_CTL_EXIT_USAGE;
  if (!kiosk_role_from_string (argv[1], &role))
    return kiosk_ctl_usage (ctl, "pin set takes clerk or admin");

  pin = read_secret ("New PIN (6 to 12 digits): ");
  if (pin == NULL)
    return kiosk_ctl_usage (ctl, "no PIN on standard input");
  if (isatty (STDIN_FILENO))
    {
      g_autofree char *again = read_secret ("The same PIN again: ");

      if (g_strcmp0 (pin, again) != 0)
        {
          g_printerr ("stadtkioskctl: the two PINs differ; nothing was changed\n");
          return KIOSK_CTL_EXIT_FAILURE;
        }
    }

  context = kiosk_ctl_get_context (ctl, &error);
  if (context == NULL)
    return kiosk_ctl_fail (ctl, error);
  if (!kiosk_pins_set (kiosk_context_get_pins (context), role, pin, &error))
    return kiosk_ctl_fail (ctl, error);
  kiosk_context_audit (context, "admin", "pin set", argv[1]);

  if (ctl->json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      g_autoptr(JsonNode) root = NULL;

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "role");
      json_builder_add_string_value (builder, argv[1]);
      json_builder_set_member_name (builder, "set");
      json_builder_add_boolean_value (builder, TRUE);
      json_builder_end_object (builder);
      root = json_builder_get_root (builder);
      kiosk_ctl_print_json (root);
    }
  else
    g_print ("The %s PIN is set.\n", argv[1]);
  return KIOSK_CTL_EXIT_OK;
}

int
kiosk_ctl_pin_reset_lockout (KioskCtl  *ctl,
                             int        argc,
                             char     **argv)
{
  g_autoptr(GError) error = NULL;
  KioskContext *context;

  if (!kiosk_ctl_parse (ctl, "", NULL, &argc, &argv, 0, 0))
    return KIOSK_CTL_EXIT_USAGE;
  context = kiosk_ctl_get_context (ctl, &error);
  if (context == NULL)
    return kiosk_ctl_fail (ctl, error);
  if (!kiosk_pins_reset_lockout (kiosk_context_get_pins (context), &error))
    return kiosk_ctl_fail (ctl, error);
  kiosk_context_audit (context, "admin", "pin reset-lockout", NULL);
  if (!ctl->json)
    g_print ("Wrong-PIN counter cleared; the PIN pad accepts PINs again.\n");
  else
    g_print ("{ \"reset\" : true }\n");
  return KIOSK_CTL_EXIT_OK;
}

int
kiosk_ctl_audit (KioskCtl  *ctl,
                 int        argc,
                 char     **argv)
{
  gint limit = 50;
  const GOptionEntry entries[] = {
    { "limit", 0, 0, G_OPTION_ARG_INT, &limit, "The newest N lines (default 50, 0 for all)", "N" },
    { NULL }
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) entries_list = NULL;
  KioskContext *context;

  if (!kiosk_ctl_parse (ctl, "", entries, &argc, &argv, 0, 0))
    return KIOSK_CTL_EXIT_USAGE;
  if (limit < 0)
    return kiosk_ctl_usage (ctl, "--limit must be 0 or more");
  context = kiosk_ctl_get_context (ctl, &error);
  if (context == NULL)
    return kiosk_ctl_fail (ctl, error);
  entries_list = kiosk_audit_list (kiosk_context_get_store (context), (guint) limit, &error);
  if (entries_list == NULL)
    return kiosk_ctl_fail (ctl, error);

  if (ctl->json)
    {
      g_autoptr(JsonArray) array = json_array_new ();
      g_autoptr(JsonNode) root = json_node_new (JSON_NODE_ARRAY);

      for (guint i = 0; i < entries_list->len; i++)
        {
          KioskAuditEntry *e = entries_list->pdata[i];
          JsonObject *o = json_object_new ();

          json_object_set_int_member (o, "at_us", e->at_us);
          json_object_set_string_member (o, "role", e->role);
          json_object_set_string_member (o, "action", e->action);
          if (e->detail != NULL)
            json_object_set_string_member (o, "detail", e->detail);
          json_array_add_object_element (array, o);
        }
      json_node_set_array (root, array);
      kiosk_ctl_print_json (root);
    }
  else
    for (guint i = 0; i < entries_list->len; i++)
      {
        KioskAuditEntry *e = entries_list->pdata[i];
        g_autofree char *at = kiosk_ctl_format_time (e->at_us);

        g_print ("%s  %-7s %-20s %s\n", at, e->role, e->action, e->detail ? e->detail : "");
      }
  return KIOSK_CTL_EXIT_OK;
}

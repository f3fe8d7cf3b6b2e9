/* kiosk-alerts.c
 *
 * SPDX-FileCopyrightText: 2026 Stadtkiosk contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "kiosk-staff"

#include "config.h"

#include "kiosk-alerts.h"
#include "kiosk-audit.h"
#include "kiosk-seal-policy.h"
#include "kiosk-sync-pause.h"
#include "kiosk-catalog-bundle.h"
#include "kiosk-info.h"

#include <errno.h>
#include "kiosk-i18n-private.h"
#include <glib/gstdio.h>
#include <unistd.h>

/* Everything that needs a person, in one list: for `stadtkioskctl alerts`
 * (monitoring over SSH) and the admin screen's diagnostics. */

const char *
kiosk_alert_kind_to_string (KioskAlertKind kind)
{
  switch (kind)
    {
    case KIOSK_ALERT_OLD_UNDELIVERED:
      return "old-undelivered";
    case KIOSK_ALERT_REJECTED:
      return "rejected";
    case KIOSK_ALERT_SYNC_PAUSED:
      return "sync-paused";
    case KIOSK_ALERT_STORE_DAMAGED:
      return "store-damaged";
    case KIOSK_ALERT_PRINTER:
      return "printer";
    case KIOSK_ALERT_BACKEND_SLOW:
      return "backend-slow";
    case KIOSK_ALERT_PRIVACY:
      return "privacy";
    case KIOSK_ALERT_CATALOG:
      return "catalog";
    case KIOSK_ALERT_INFO_STALE:
      return "info-stale";
    default:
      g_return_val_if_reached ("unknown");
    }
}

void
kiosk_alert_free (KioskAlert *alert)
{
  if (alert == NULL)
    return;
  g_free (alert->message);
  g_free (alert->request_id);
  g_free (alert);
}

static void
add (GPtrArray      *alerts,
     KioskAlertKind  kind,
     const char     *request_id,
     char           *message)
{
  KioskAlert *alert = g_new0 (KioskAlert, 1);

  alert->kind = kind;
  alert->message = message;
  alert->request_id = g_strdup (request_id);
  g_ptr_array_add (alerts, alert);
}

static void
check_set_aside (GPtrArray  *alerts,
                 const char *db_path)
{
  g_autofree char *dir_name = g_path_get_dirname (db_path);
  g_autofree char *base = g_path_get_basename (db_path);
  g_autofree char *prefix = g_strconcat (base, ".damaged-", NULL);
  g_autoptr(GDir) dir = g_dir_open (dir_name, 0, NULL);
  const char *name;

  if (dir == NULL)
    return;
  while ((name = g_dir_read_name (dir)) != NULL)
    if (g_str_has_prefix (name, prefix) && !g_str_has_suffix (name, "-wal") && !g_str_has_suffix (name, "-shm"))
      add (alerts, KIOSK_ALERT_STORE_DAMAGED, NULL,
           g_strdup_printf (_("A damaged database was set aside as %s/%s. Requests in it are not in "
                              "the queue; keep the file for the city's IT."), dir_name, name));
}

/* Only what can be seen without printing: the device or directory is
 * there and writable.  A CUPS queue's state is the print system's. */
static void
check_printer (GPtrArray   *alerts,
               KioskConfig *config)
{
  const char *printer = kiosk_config_get_printer (config);
  const char *target = NULL;

  if (g_str_has_prefix (printer, "pdf:"))
    target = printer + 4;
  else if (g_str_has_prefix (printer, "escpos:") && printer[7] == '/')
    target = printer + 7;
  if (target == NULL || *target == '\0')
    return;

  if (access (target, W_OK) != 0)
    {
      int errsv = errno;

      add (alerts, KIOSK_ALERT_PRINTER, NULL,
           g_strdup_printf (_("The printer %s cannot be written to (%s). Receipts cannot be printed; "
                              "requests are still saved. Check the cable and paper, or [printer] backend in %s."),
                            target, g_strerror (errsv),
                            kiosk_config_get_path (config) != NULL ? kiosk_config_get_path (config) : "kiosk.conf"));
    }
}

/**
 * kiosk_alerts_collect:
 * @config: the configuration
 * @context: (nullable): the open kiosk, or %NULL when it could not be opened
 * @open_error: (nullable): why @context could not be opened
 * @pause_reason: (nullable): the sync's pause reason, when it is paused
 * @now_us: the time to measure ages against
 *
 * Never fails: a problem reading the queue is itself an alert.
 *
 * Returns: (transfer full) (element-type KioskAlert): the alerts, worst first
 */
GPtrArray *
kiosk_alerts_collect (KioskConfig  *config,
                      KioskContext *context,
                      const GError *open_error,
                      const char   *pause_reason,
                      gint64        now_us)
{
  g_autoptr(GPtrArray) alerts = g_ptr_array_new_with_free_func ((GDestroyNotify) kiosk_alert_free);
  g_autofree char *db_path = NULL;
  g_autofree char *persisted_pause = NULL;

  g_return_val_if_fail (KIOSK_IS_CONFIG (config), NULL);

  db_path = kiosk_context_dup_db_path (config);
  if (open_error != NULL)
    add (alerts, KIOSK_ALERT_STORE_DAMAGED, NULL,
         g_strdup_printf (_("The queue cannot be opened: %s"), open_error->message));
  check_set_aside (alerts, db_path);

  /* A pause of the process that delivers, when the caller has none of its
   * own (alerts probes only the health check; the admin screen asks
   * nothing). */
  if (pause_reason == NULL && context != NULL)
    persisted_pause = kiosk_sync_dup_persisted_pause (kiosk_context_get_store (context));
  if (pause_reason != NULL || persisted_pause != NULL)
    add (alerts, KIOSK_ALERT_SYNC_PAUSED, NULL,
         g_strdup_printf (_("Sending is paused: %s"), pause_reason != NULL ? pause_reason : persisted_pause));

  /* A standing alert while answers would be stored in clear, or cannot be
   * stored at all because the city key went missing (#12). */
  {
    g_autofree char *seal = kiosk_seal_policy_dup_warning (config);

    if (seal != NULL)
      add (alerts, KIOSK_ALERT_PRIVACY, NULL, g_strdup_printf (_("Privacy: %s"), seal));
  }

  if (context != NULL)
    {
      KioskOutbox *outbox = kiosk_context_get_outbox (context);
      gint64 limit_us = (gint64) kiosk_config_get_alert_age_hours (config) * 3600 * G_USEC_PER_SEC;
      const KioskRequestState undelivered[] = { KIOSK_REQUEST_QUEUED, KIOSK_REQUEST_SENDING };
      g_autoptr(GPtrArray) rejected = NULL;
      g_autoptr(GError) error = NULL;
      guint n_old = 0;
      gint64 oldest = G_MAXINT64;
      g_autofree char *oldest_code = NULL;

      for (guint s = 0; s < G_N_ELEMENTS (undelivered); s++)
        {
          g_autoptr(GPtrArray) list = kiosk_outbox_list (outbox, undelivered[s], &error);

          if (list == NULL)
            break;
          for (guint i = 0; i < list->len; i++)
            {
              KioskRequest *request = g_ptr_array_index (list, i);
              gint64 created = kiosk_request_get_created (request);

              if (now_us - created < limit_us)
                continue;
              n_old++;
              if (created < oldest)
                {
                  oldest = created;
                  g_free (oldest_code);
                  oldest_code = g_strdup (kiosk_request_get_short_code (request));
                }
            }
        }
      if (n_old > 0)
        add (alerts, KIOSK_ALERT_OLD_UNDELIVERED, NULL,
             g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                           "%u request has waited longer than %u h to be sent (oldest: %s, %.1f h).",
                                           "%u requests have waited longer than %u h to be sent (oldest: %s, %.1f h).",
                                           n_old),
                              n_old, kiosk_config_get_alert_age_hours (config), oldest_code,
                              (double) (now_us - oldest) / (3600.0 * G_USEC_PER_SEC)));

      if (error == NULL)
        rejected = kiosk_outbox_list (outbox, KIOSK_REQUEST_REJECTED, &error);
      for (guint i = 0; rejected != NULL && i < rejected->len; i++)
        {
          KioskRequest *request = g_ptr_array_index (rejected, i);

          add (alerts, KIOSK_ALERT_REJECTED, kiosk_request_get_id (request),
               g_strdup_printf (_("Request %s was refused by the city's system: %s"),
                                kiosk_request_get_short_code (request),
                                kiosk_request_get_last_error (request) != NULL ?
                                kiosk_request_get_last_error (request) : _("no reason given")));
        }
      if (error != NULL)
        add (alerts, KIOSK_ALERT_STORE_DAMAGED, NULL,
             g_strdup_printf (_("The queue cannot be read: %s"), error->message));
    }

  check_printer (alerts, config);

  /* A catalogue bundle refused (unsigned, forged, older): the last good
   * one runs, but somebody tried to change it. */
  if (context != NULL)
    {
      g_autofree char *refused = kiosk_store_get_setting (kiosk_context_get_store (context),
                                                          KIOSK_CATALOG_BUNDLE_REFUSED_SETTING);

      if (refused != NULL && *refused != '\0')
        add (alerts, KIOSK_ALERT_CATALOG, NULL,
             g_strdup_printf (_("A catalogue was refused; the last good one stays: %s"), refused));
    }

  /* What the printer itself said when it failed, whatever its kind: the
   * kiosk writes "print failed" to the audit log. */
  if (context != NULL)
    {
      g_autofree char *last = NULL;
      guint failed = kiosk_audit_count_since (kiosk_context_get_store (context), "print failed",
                                              now_us - (gint64) 24 * 3600 * G_USEC_PER_SEC, &last, NULL);

      if (failed > 0)
        add (alerts, KIOSK_ALERT_PRINTER, NULL,
             g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                           "%u receipt could not be printed in the last 24 hours (last: %s). "
                                           "The requests are saved; reprint from the clerk screen.",
                                           "%u receipts could not be printed in the last 24 hours (last: %s). "
                                           "The requests are saved; reprint from the clerk screen.",
                                           failed),
                              failed, last != NULL ? last : "?"));
    }

  /* Information cards whose copy is older than [info] stale-hours (app/core/info). */
  if (context != NULL)
    {
      g_autoptr(GPtrArray) stale = kiosk_info_collect_stale (kiosk_context_get_store (context),
                                                             kiosk_config_get_info_stale_hours (config), now_us);

      for (guint i = 0; i < stale->len; i++)
        add (alerts, KIOSK_ALERT_INFO_STALE, NULL, g_strdup (stale->pdata[i]));
    }

  return g_steal_pointer (&alerts);
}

/**
 * kiosk_alerts_add:
 * @alerts: (element-type KioskAlert): from kiosk_alerts_collect()
 * @request_id: (nullable): the request concerned
 * @message: plain words naming what and where
 *
 * Adds what a caller found out itself (a probe it just made).
 */
void
kiosk_alerts_add (GPtrArray      *alerts,
                  KioskAlertKind  kind,
                  const char     *request_id,
                  const char     *message)
{
  g_return_if_fail (alerts != NULL);
  g_return_if_fail (message != NULL);

  add (alerts, kind, request_id, g_strdup (message));
}

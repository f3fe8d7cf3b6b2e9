/* kiosk-ctl.h: shared parts of stadtkioskctl's commands
 *
 * SPDX-FileCopyrightText: 2026 Stadtkiosk contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

#include "stadtkiosk-core.h"

G_BEGIN_DECLS

/* Exit codes, as documented in --help and the README. */
#define KIOSK_CTL_EXIT_OK      0
#define KIOSK_CTL_EXIT_FAILURE 1
#define KIOSK_CTL_EXIT_USAGE   2

typedef struct _KioskCtl KioskCtl;

struct _KioskCtl
{
  char         *config_path;   /* --config, STADTKIOSK_CONFIG or the system file */
  gboolean      config_given;  /* the path was asked for, so it must exist */
  char         *state_dir;     /* --state-dir override */
  gboolean      json;          /* --json */
  KioskConfig  *config;        /* loaded on first use */
  KioskContext *context;       /* opened on first use */
};

typedef int (*KioskCtlCommandFunc) (KioskCtl  *ctl,
                                    int        argc,
                                    char     **argv);

typedef struct
{
  const char          *name;      /* one or two words, e.g. "queue list" */
  const char          *args;      /* synopsis of its arguments */
  const char          *summary;
  KioskCtlCommandFunc  func;
} KioskCtlCommand;

KioskConfig  *kiosk_ctl_get_config     (KioskCtl          *ctl,
                                        GError           **error);
KioskContext *kiosk_ctl_get_context    (KioskCtl          *ctl,
                                        GError           **error);
KioskContext *kiosk_ctl_get_context_for_reading (KioskCtl   *ctl,
                                                 GError    **error);
gboolean      kiosk_ctl_parse          (KioskCtl          *ctl,
                                        const char        *synopsis,
                                        const GOptionEntry *entries,
                                        int               *argc,
                                        char            ***argv,
                                        int                min_args,
                                        int                max_args);
int           kiosk_ctl_fail           (KioskCtl          *ctl,
                                        const GError      *error);
int           kiosk_ctl_usage          (KioskCtl          *ctl,
                                        const char        *message);
void          kiosk_ctl_print_json     (JsonNode          *node);
JsonNode     *kiosk_ctl_request_to_json (KioskRequest     *request,
                                        gboolean           with_answers);
char         *kiosk_ctl_format_time    (gint64             unix_us);

/* The command groups; each file adds its commands to the table in kiosk-ctl.c. */
int kiosk_ctl_init          (KioskCtl *ctl, int argc, char **argv);
int kiosk_ctl_status        (KioskCtl *ctl, int argc, char **argv);
int kiosk_ctl_config_check  (KioskCtl *ctl, int argc, char **argv);
int kiosk_ctl_enqueue       (KioskCtl *ctl, int argc, char **argv);
int kiosk_ctl_queue_list    (KioskCtl *ctl, int argc, char **argv);
int kiosk_ctl_queue_show    (KioskCtl *ctl, int argc, char **argv);
int kiosk_ctl_queue_retry   (KioskCtl *ctl, int argc, char **argv);
int kiosk_ctl_queue_cancel  (KioskCtl *ctl, int argc, char **argv);
int kiosk_ctl_store_set_aside (KioskCtl *ctl, int argc, char **argv);
int kiosk_ctl_store_purge (KioskCtl *ctl, int argc, char **argv);
/* Sync: kiosk-ctl-sync.c */
int kiosk_ctl_sync          (KioskCtl *ctl, int argc, char **argv);
int kiosk_ctl_sync_status   (KioskCtl *ctl, int argc, char **argv);
int kiosk_ctl_catalog_pull  (KioskCtl *ctl, int argc, char **argv);

/* The CouchDB hub (kiosk-ctl-hub.c) */
int kiosk_ctl_hub_setup     (KioskCtl *ctl, int argc, char **argv);
int kiosk_ctl_hub_add_kiosk (KioskCtl *ctl, int argc, char **argv);
int kiosk_ctl_hub_pull      (KioskCtl *ctl, int argc, char **argv);
int kiosk_ctl_hub_heartbeat (KioskCtl *ctl, int argc, char **argv);
int kiosk_ctl_hub_run       (KioskCtl *ctl, int argc, char **argv);
int kiosk_ctl_hub_pull_catalog (KioskCtl *ctl, int argc, char **argv);
int kiosk_ctl_catalog_publish  (KioskCtl *ctl, int argc, char **argv);
int kiosk_ctl_fleet_status  (KioskCtl *ctl, int argc, char **argv);
int kiosk_ctl_keys_generate_catalog (KioskCtl *ctl, int argc, char **argv);
int kiosk_ctl_catalog_sign  (KioskCtl *ctl, int argc, char **argv);
int kiosk_ctl_inbox_list    (KioskCtl *ctl, int argc, char **argv);
int kiosk_ctl_inbox_show    (KioskCtl *ctl, int argc, char **argv);
int kiosk_ctl_inbox_set_status (KioskCtl *ctl, int argc, char **argv);
GBytes *kiosk_ctl_catalog_unwrap (KioskCtl    *ctl,
                                  GBytes      *bytes,
                                  const char  *what,
                                  GError     **error);

/* staff (kiosk-ctl-staff.c) */
int kiosk_ctl_pin_set           (KioskCtl *ctl, int argc, char **argv);
int kiosk_ctl_pin_reset_lockout (KioskCtl *ctl, int argc, char **argv);
int kiosk_ctl_audit             (KioskCtl *ctl, int argc, char **argv);
int kiosk_ctl_queue_export      (KioskCtl *ctl, int argc, char **argv);
int kiosk_ctl_queue_import      (KioskCtl *ctl, int argc, char **argv);
int kiosk_ctl_alerts            (KioskCtl *ctl, int argc, char **argv);

/* Catalogue (kiosk-ctl-catalog.c) */
int kiosk_ctl_catalog_validate (KioskCtl *ctl, int argc, char **argv);
int kiosk_ctl_catalog_import   (KioskCtl *ctl, int argc, char **argv);
int kiosk_ctl_catalog_list     (KioskCtl *ctl, int argc, char **argv);
int kiosk_ctl_catalog_show     (KioskCtl *ctl, int argc, char **argv);
int kiosk_ctl_service_enable   (KioskCtl *ctl, int argc, char **argv);
int kiosk_ctl_service_disable  (KioskCtl *ctl, int argc, char **argv);
GBytes *kiosk_ctl_validate_answers (KioskCtl    *ctl,
                                    const char  *service_id,
                                    JsonNode    *answers,
                                    const char  *answers_file,
                                    const char  *locale,
                                    guint       *out_version,
                                    GError     **error);
/* Receipts: keys and receipts (kiosk-ctl-keys.c, kiosk-ctl-receipt.c). */
int kiosk_ctl_keys_generate      (KioskCtl *ctl, int argc, char **argv);
int kiosk_ctl_keys_generate_city (KioskCtl *ctl, int argc, char **argv);
int kiosk_ctl_keys_import_city   (KioskCtl *ctl, int argc, char **argv);
int kiosk_ctl_receipt_decode     (KioskCtl *ctl, int argc, char **argv);
int kiosk_ctl_receipt_import     (KioskCtl *ctl, int argc, char **argv);
int kiosk_ctl_receipt_render     (KioskCtl *ctl, int argc, char **argv);
int kiosk_ctl_receipt_print      (KioskCtl *ctl, int argc, char **argv);
int kiosk_ctl_receipt_render_refer (KioskCtl *ctl, int argc, char **argv);

/* Services as files, the builder's sharing (kiosk-ctl-service.c) */
int kiosk_ctl_service_list     (KioskCtl *ctl, int argc, char **argv);
int kiosk_ctl_service_export   (KioskCtl *ctl, int argc, char **argv);
int kiosk_ctl_service_import   (KioskCtl *ctl, int argc, char **argv);
int kiosk_ctl_service_validate (KioskCtl *ctl, int argc, char **argv);

/* Information cards (kiosk-ctl-info.c) */
int kiosk_ctl_info_pull  (KioskCtl *ctl, int argc, char **argv);
int kiosk_ctl_info_list  (KioskCtl *ctl, int argc, char **argv);
int kiosk_ctl_info_waste (KioskCtl *ctl, int argc, char **argv);

G_END_DECLS

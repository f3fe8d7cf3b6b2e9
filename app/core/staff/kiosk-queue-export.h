/* kiosk-queue-export.h
 *
 * SPDX-FileCopyrightText: 2026 Stadtkiosk contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

#include "kiosk-context.h"
#include "kiosk-keys.h"

G_BEGIN_DECLS

#define KIOSK_QUEUE_EXPORT_ERROR (kiosk_queue_export_error_quark ())

typedef enum
{
  KIOSK_QUEUE_EXPORT_ERROR_NOT_EXPORT,      /* not a Stadtkiosk queue file at all */
  KIOSK_QUEUE_EXPORT_ERROR_MALFORMED,       /* damaged or incomplete (a half-written stick) */
  KIOSK_QUEUE_EXPORT_ERROR_FUTURE_VERSION,  /* made by a newer Stadtkiosk */
  KIOSK_QUEUE_EXPORT_ERROR_UNTRUSTED,       /* signed by a kiosk this counter does not trust */
  KIOSK_QUEUE_EXPORT_ERROR_TAMPERED,        /* the signature or a payload does not verify */
  KIOSK_QUEUE_EXPORT_ERROR_NOTHING,         /* nothing to export */
  KIOSK_QUEUE_EXPORT_ERROR_IO,              /* cannot write or read the file */
} KioskQueueExportError;

#define KIOSK_QUEUE_EXPORT_MAGIC   "STADTKIOSK-QUEUE"
#define KIOSK_QUEUE_EXPORT_VERSION 1

/**
 * KioskQueueExportResult:
 * @exported: requests written to the file
 * @skipped_unsealed: undelivered requests left out because their answers are
 *   stored readable (made before a city key was installed); they stay queued
 *
 * What kiosk_queue_export() did.
 */
typedef struct
{
  guint exported;
  guint skipped_unsealed;
} KioskQueueExportResult;

/**
 * KioskQueueImport:
 * @kiosk_id: the kiosk that made the file
 * @exported_us: when it made it
 * @n_requests: how many requests the file holds
 * @added: how many were new here and are now queued for delivery
 * @already: how many this outbox held already (imported before): skipped
 * @added_ids: (element-type utf8): the ids of the @added requests
 */
typedef struct
{
  char      *kiosk_id;
  gint64     exported_us;
  guint      n_requests;
  guint      added;
  guint      already;
  GPtrArray *added_ids;
} KioskQueueImport;

GQuark            kiosk_queue_export_error_quark (void);
gboolean          kiosk_queue_export             (KioskContext            *context,
                                                  const char              *path,
                                                  KioskQueueExportResult  *out_result,
                                                  GError                 **error);
KioskQueueImport *kiosk_queue_import             (KioskContext            *context,
                                                  KioskKeys               *keys,
                                                  const char              *path,
                                                  GError                 **error);
void              kiosk_queue_import_free        (KioskQueueImport        *import);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (KioskQueueImport, kiosk_queue_import_free)

G_END_DECLS

/* kiosk-open311-target.h
 *
 * SPDX-FileCopyrightText: 2026 Stadtkiosk contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "kiosk-catalog.h"
#include "kiosk-clock.h"
#include "kiosk-config.h"
#include "kiosk-target.h"

G_BEGIN_DECLS

/* Bytes of an Open311 answer read at the most; a longer one is refused. */
#define KIOSK_OPEN311_BODY_CAP (4 * 1024 * 1024)
/* The longest one exchange may take, whatever the server trickles. */
#define KIOSK_OPEN311_DEADLINE_S 120
/* Open311's description holds 4,000 characters at the most. */
#define KIOSK_OPEN311_DESCRIPTION_MAX 4000

/**
 * KioskOpen311Status:
 * @service_request_id: the city's id
 * @status: "open" or "closed" (as the server says)
 * @status_notes: (nullable): the city's note
 *
 * What `GET /requests.json?service_request_id=…` says about one request.
 */
typedef struct
{
  char *service_request_id;
  char *status;
  char *status_notes;
} KioskOpen311Status;

void kiosk_open311_status_free (KioskOpen311Status *status);

#define KIOSK_TYPE_OPEN311_TARGET (kiosk_open311_target_get_type ())

G_DECLARE_FINAL_TYPE (KioskOpen311Target, kiosk_open311_target, KIOSK, OPEN311_TARGET, GObject)

KioskOpen311Target *kiosk_open311_target_new            (KioskConfig         *config,
                                                         KioskClock          *clock,
                                                         guint                max_connections,
                                                         GError             **error);
KioskOpen311Target *kiosk_open311_target_new_for_url    (const char          *url,
                                                         KioskConfig         *config,
                                                         KioskClock          *clock,
                                                         guint                max_connections,
                                                         GError             **error);
void                kiosk_open311_target_import_async   (KioskOpen311Target  *self,
                                                         const char          *version,
                                                         GCancellable        *cancellable,
                                                         GAsyncReadyCallback  callback,
                                                         gpointer             user_data);
GBytes             *kiosk_open311_target_import_finish  (KioskOpen311Target  *self,
                                                         GAsyncResult        *result,
                                                         GError             **error);
void                kiosk_open311_target_set_catalog    (KioskOpen311Target  *self,
                                                         KioskCatalog        *catalog);
GBytes             *kiosk_open311_target_build_form     (KioskOpen311Target  *self,
                                                         KioskRequest        *request,
                                                         GError             **error);
void                kiosk_open311_target_fetch_status_async  (KioskOpen311Target  *self,
                                                              const char * const  *service_request_ids,
                                                              GCancellable        *cancellable,
                                                              GAsyncReadyCallback  callback,
                                                              gpointer             user_data);
GPtrArray          *kiosk_open311_target_fetch_status_finish (KioskOpen311Target  *self,
                                                              GAsyncResult        *result,
                                                              GError             **error);
void                kiosk_open311_target_fetch_async    (KioskOpen311Target  *self,
                                                         const char          *path,
                                                         GCancellable        *cancellable,
                                                         GAsyncReadyCallback  callback,
                                                         gpointer             user_data);
GBytes             *kiosk_open311_target_fetch_finish   (KioskOpen311Target  *self,
                                                         GAsyncResult        *result,
                                                         GError             **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (KioskOpen311Status, kiosk_open311_status_free)

G_END_DECLS

/* kiosk-target-factory.c
 *
 * SPDX-FileCopyrightText: 2026 Stadtkiosk contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "kiosk-delivery"

#include "config.h"

#include "kiosk-target-factory.h"

#include "kiosk-couchdb-target.h"
#include "kiosk-open311-target.h"
#include "kiosk-submission-target.h"

/**
 * kiosk_target_new_for_kind:
 * @kind: the kind of target a service names (or `[kiosk] default-target`)
 * @config: where the target's settings are
 * @max_connections: connections to keep open to the target at the most
 *
 * Makes the target that delivers the services of @kind, from its config
 * group ([backend], [open311], [couchdb]).
 *
 * Returns: (transfer full): the target, or %NULL with @error naming the
 *   missing or broken setting (%KIOSK_TARGET_ERROR_CONFIG)
 */
KioskTarget *
kiosk_target_new_for_kind (KioskTargetKind   kind,
                           KioskConfig      *config,
                           KioskClock       *clock,
                           guint             max_connections,
                           GError          **error)
{
  g_return_val_if_fail (KIOSK_IS_CONFIG (config), NULL);
  g_return_val_if_fail (KIOSK_IS_CLOCK (clock), NULL);

  switch (kind)
    {
    case KIOSK_TARGET_SUBMISSION:
      return KIOSK_TARGET (kiosk_submission_target_new (config, clock, max_connections, error));
    case KIOSK_TARGET_OPEN311:
      return KIOSK_TARGET (kiosk_open311_target_new (config, clock, max_connections, error));
    case KIOSK_TARGET_COUCHDB:
      return KIOSK_TARGET (kiosk_couchdb_target_new (config, clock, max_connections, error));
    case KIOSK_TARGET_N_KINDS:
    default:
      g_set_error (error, KIOSK_TARGET_ERROR, KIOSK_TARGET_ERROR_CONFIG, "no target of kind %d", kind);
      return NULL;
    }
}

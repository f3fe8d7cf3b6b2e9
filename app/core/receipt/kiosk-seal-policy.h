/* kiosk-seal-policy.h: whether answers may be stored in clear
 *
 * SPDX-FileCopyrightText: 2026 Stadtkiosk contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "kiosk-config.h"

G_BEGIN_DECLS

/**
 * KioskSealPolicy:
 * @KIOSK_SEAL_POLICY_SEAL: a city key is there (or demo keys): answers are
 *   sealed at rest
 * @KIOSK_SEAL_POLICY_CLEAR_OFF: `[keys] seal = off`: in clear, as the
 *   configuration says explicitly
 * @KIOSK_SEAL_POLICY_CLEAR_NO_KEY: real mode and no city key was ever
 *   installed: in clear, and reported (config check, a standing alert)
 */
typedef enum
{
  KIOSK_SEAL_POLICY_SEAL,
  KIOSK_SEAL_POLICY_CLEAR_OFF,
  KIOSK_SEAL_POLICY_CLEAR_NO_KEY,
} KioskSealPolicy;

gboolean  kiosk_seal_policy_get         (KioskConfig      *config,
                                         KioskSealPolicy  *out_policy,
                                         GError          **error);
gboolean  kiosk_seal_policy_remember    (KioskConfig      *config,
                                         GError          **error);
char     *kiosk_seal_policy_dup_warning (KioskConfig      *config);

G_END_DECLS

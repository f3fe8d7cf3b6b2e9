/* kiosk-pins.h
 *
 * SPDX-FileCopyrightText: 2026 Stadtkiosk contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

#include "kiosk-clock.h"

G_BEGIN_DECLS

#define KIOSK_PINS_ERROR (kiosk_pins_error_quark ())

typedef enum
{
  KIOSK_PINS_ERROR_REFUSED,     /* wrong PIN, waiting or locked: one message for all */
  KIOSK_PINS_ERROR_WEAK,        /* the new PIN is too easy */
  KIOSK_PINS_ERROR_FILE,        /* the PIN file cannot be read or written, or is not 0600 */
} KioskPinsError;

typedef enum
{
  KIOSK_ROLE_NONE,
  KIOSK_ROLE_CLERK,
  KIOSK_ROLE_ADMIN,
} KioskRole;

/* Wrong PINs: no wait for the first KIOSK_PINS_FREE_FAILURES, then a wait that
 * doubles from 2 s, and a lockout of KIOSK_PINS_LOCKOUT_SECONDS from the
 * KIOSK_PINS_LOCKOUT_FAILURES-th on. */
#define KIOSK_PINS_FREE_FAILURES   2
#define KIOSK_PINS_LOCKOUT_FAILURES 8
#define KIOSK_PINS_LOCKOUT_SECONDS (15 * 60)

#define KIOSK_TYPE_PINS (kiosk_pins_get_type ())

G_DECLARE_FINAL_TYPE (KioskPins, kiosk_pins, KIOSK, PINS, GObject)

GQuark      kiosk_pins_error_quark    (void);
const char *kiosk_role_to_string      (KioskRole    role);
gboolean    kiosk_role_from_string    (const char  *str,
                                       KioskRole   *out_role);
KioskPins  *kiosk_pins_new            (const char  *path,
                                       KioskClock  *clock);
gboolean    kiosk_pins_set            (KioskPins   *self,
                                       KioskRole    role,
                                       const char  *pin,
                                       GError     **error);
gboolean    kiosk_pins_is_set         (KioskPins   *self,
                                       KioskRole    role);
KioskRole   kiosk_pins_verify         (KioskPins   *self,
                                       const char  *pin,
                                       GError     **error);
gint64      kiosk_pins_get_wait_until (KioskPins   *self);
guint       kiosk_pins_get_failures   (KioskPins   *self);
gboolean    kiosk_pins_reset_lockout  (KioskPins   *self,
                                       GError     **error);

G_END_DECLS

/* stadtkiosk-core.h: everything the GUI and the CLI may use of the core.
 *
 * SPDX-FileCopyrightText: 2026 Stadtkiosk contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "kiosk-alerts.h"
#include "kiosk-audit.h"
#include "kiosk-clerk.h"
#include "kiosk-clock.h"
#include "kiosk-config.h"
#include "kiosk-context.h"
#include "kiosk-keys.h"
#include "kiosk-outbox.h"
#include "kiosk-pins.h"
#include "kiosk-payload.h"
#include "kiosk-printer.h"
#include "kiosk-qr.h"
#include "kiosk-queue-export.h"
#include "kiosk-receipt.h"
#include "kiosk-sealer.h"
#include "kiosk-scan.h"
#include "kiosk-request.h"
#include "kiosk-request-json.h"
#include "kiosk-short-code.h"
#include "kiosk-store.h"
#include "kiosk-open311-target.h"
#include "kiosk-submission-target.h"
#include "kiosk-target-factory.h"
#include "kiosk-sync.h"
#include "kiosk-target.h"
#include "kiosk-catalog.h"
#include "kiosk-citizen-status.h"
#include "kiosk-field.h"
#include "kiosk-info.h"
#include "kiosk-form.h"
#include "kiosk-open311.h"
#include "kiosk-service.h"

/* kiosk-speech-private.h — test-only entry points of KioskSpeech
 *
 * SPDX-FileCopyrightText: 2026 Stadtkiosk contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "kiosk-speech.h"

G_BEGIN_DECLS

gboolean _kiosk_speech_flush            (KioskSpeech *self,
                                         gint64       timeout);
void     _kiosk_speech_set_synchronous  (KioskSpeech *self,
                                         gboolean     synchronous);
void     _kiosk_speech_set_stall_limit  (KioskSpeech *self,
                                         gint64       limit);
void     _kiosk_speech_set_connect_limit (KioskSpeech *self,
                                         gint64       limit);
gboolean _kiosk_speech_get_available    (KioskSpeech *self);

G_END_DECLS

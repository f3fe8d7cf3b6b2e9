/* kiosk-speech.h
 *
 * SPDX-FileCopyrightText: 2026 Stadtkiosk contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "kiosk-clock.h"

G_BEGIN_DECLS

typedef enum
{
  KIOSK_SPEECH_OFF,
  KIOSK_SPEECH_BUTTON,     /* "Vorlesen" starts it for one session */
  KIOSK_SPEECH_ALWAYS,     /* a kiosk with a headphone jack for it */
} KioskSpeechMode;

#define KIOSK_TYPE_SPEECH (kiosk_speech_get_type ())

G_DECLARE_FINAL_TYPE (KioskSpeech, kiosk_speech, KIOSK, SPEECH, GObject)

KioskSpeechMode  kiosk_speech_mode_from_string (const char  *mode);
KioskSpeech     *kiosk_speech_new              (KioskSpeechMode mode);
void             kiosk_speech_set_clock        (KioskSpeech *self,
                                                KioskClock  *clock);
KioskSpeechMode  kiosk_speech_get_mode         (KioskSpeech *self);
gboolean         kiosk_speech_get_active       (KioskSpeech *self);
void             kiosk_speech_set_active       (KioskSpeech *self,
                                                gboolean     active);
void             kiosk_speech_set_language     (KioskSpeech *self,
                                                const char  *language);
void             kiosk_speech_attach           (KioskSpeech *self,
                                                GtkWindow   *window,
                                                GtkStack    *stack,
                                                GtkWidget   *keyboard);
void             kiosk_speech_say              (KioskSpeech *self,
                                                const char  *text);
void             kiosk_speech_page_changed     (KioskSpeech *self);
void             kiosk_speech_notify_page_changed (GtkWidget *widget);
void             kiosk_speech_announce         (GtkWidget   *widget,
                                                const char  *text);
void             kiosk_speech_read_page        (KioskSpeech *self,
                                                GtkWidget   *page);
void             kiosk_speech_describe_focus   (KioskSpeech *self,
                                                GtkWidget   *focus);
void             kiosk_speech_repeat           (KioskSpeech *self);
void             kiosk_speech_stop             (KioskSpeech *self);
void             kiosk_speech_reset            (KioskSpeech *self);
void             kiosk_speech_adjust           (KioskSpeech *self,
                                                int          volume_delta,
                                                int          rate_delta);
char            *kiosk_speech_spell            (const char  *text);
void             kiosk_speech_set_accessible_label (GtkWidget *widget,
                                                const char  *label);
char            *kiosk_speech_describe_widget  (GtkWidget   *focus);
char            *kiosk_speech_page_text        (GtkWidget   *page);

G_END_DECLS

/* kiosk-window-private.h
 *
 * SPDX-FileCopyrightText: 2026 Stadtkiosk contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "kiosk-window.h"
#include "kiosk-session.h"
#include "kiosk-speech.h"

G_BEGIN_DECLS

/* The kiosk window holds the pages of one citizen's session (the
 * KioskSession holds the session itself), the display toggles and the idle
 * watcher.  A session ends on "start over", after the done page and when
 * the idle countdown runs out; the reset then throws away every page
 * widget and builds new ones, so that nothing typed by one person
 * (entries, undo stacks, scroll positions, open popovers) can be reached
 * by the next.  kiosk-window.c builds the window and its pages;
 * kiosk-window-actions.c holds what the citizen's taps do and the reset
 * that ends a session. */

/* What the question "Delete all your answers?" is asked for. */
typedef enum
{
  KIOSK_DISCARD_NONE,
  KIOSK_DISCARD_START_OVER,   /* "Start over", "Cancel": back to the welcome page */
  KIOSK_DISCARD_BACK,         /* "Back" or Escape on the first step: the service page */
} KioskDiscard;

struct _KioskWindow
{
  AdwApplicationWindow  parent_instance;

  /* template */
  GtkOverlay           *overlay;
  GtkWidget            *top_bar;
  AdwSqueezer          *title_squeezer;
  GtkLabel             *title_label;
  GtkToggleButton      *large_text_button;
  GtkToggleButton      *contrast_button;
  GtkButton            *start_over_button;
  GtkWidget            *language_button;  /* KioskLanguageButton */
  GtkWidget            *read_aloud_button;
  GtkStack             *stack;
  GtkRevealer          *keyboard_revealer;
  KioskKeyboard        *keyboard;
  GtkWidget            *idle_overlay;
  GtkLabel             *idle_title;
  GtkLabel             *idle_countdown;
  GtkButton            *more_time_button;
  GtkWidget            *discard_overlay;
  GtkLabel             *discard_title;
  GtkLabel             *discard_body;
  GtkButton            *discard_yes_button;
  GtkButton            *discard_no_button;

  KioskContext         *context;
  KioskSession         *session;         /* the citizen's; reset, never replaced */
  KioskIdle            *idle;
  gboolean              high_contrast;
  gboolean              large_text;
  gboolean              online;
  KioskSync            *sync;            /* nullable: no sync in tests */
  KioskSpeech          *speech;          /* reads the screen aloud, see kiosk-speech.c */
  gboolean              escape_armed;    /* Escape once asked "again to go back?" */

  GtkWidget            *staff_screen;    /* staff: PIN pad, clerk, admin (lazy) */
  guint                 logo_hold_id;    /* staff: the 3 s hold on the city's name */
  KioskDiscard          discard;         /* what "Yes, delete everything" would do */
  GWeakRef              discard_focus;   /* the focus before asking, for "No" */

  GtkWidget            *welcome_page;
  GtkWidget            *catalog_page;
  GtkWidget            *service_page;
  GtkWidget            *form_page;
  GtkWidget            *review_page;
  GtkWidget            *done_page;
  GtkWidget            *status_page;      /* "what became of my request?" */
  KioskStatusGuard     *status_guard;     /* one per kiosk: starting over does not reset it */
  KioskCouchdbTarget   *status_hub;       /* nullable: the status page asks it for other kiosks' codes */
  KioskSubmissionTarget *status_api;      /* nullable: without a hub, the Submission API is asked */
  GtkWidget            *info_page;        /* "Informationen" (issue 19), lazy */
  guint                 info_pull_id;     /* background pulls of the info cards (the app, not tests) */
};

/* kiosk-window.c */
const char * const *_kiosk_window_get_languages    (KioskWindow *self);
void                _kiosk_window_ensure_pages     (KioskWindow *self);
void                _kiosk_window_apply_language   (KioskWindow *self,
                                                    const char  *language);
void                _kiosk_window_clear_form_page  (KioskWindow *self);

/* kiosk-window-chrome.c */
void                _kiosk_window_set_title              (KioskWindow *self,
                                                          const char  *text,
                                                          gboolean     question);
void                _kiosk_window_retranslate_chrome     (KioskWindow *self);
void                _kiosk_window_update_chrome          (KioskWindow *self);
void                _kiosk_window_update_keyboard        (KioskWindow *self);
void                _kiosk_window_scroll_focus_into_view (KioskWindow *self);
void                _kiosk_window_focus_changed          (KioskWindow *self);

/* kiosk-window-actions.c */
void                _kiosk_window_class_actions_init (GtkWidgetClass *widget_class);
void                _kiosk_window_actions_init       (KioskWindow    *self);
void                _kiosk_window_disarm_escape      (KioskWindow    *self);
void                _kiosk_window_stop_logo_hold     (KioskWindow    *self);
void                _kiosk_window_hide_discard       (KioskWindow    *self);

/* For tests */
GtkWidget          *_kiosk_window_get_page           (KioskWindow *self);
KioskIdle          *_kiosk_window_get_idle           (KioskWindow *self);
KioskKeyboard      *_kiosk_window_get_keyboard       (KioskWindow *self);
gboolean            _kiosk_window_get_keyboard_shown (KioskWindow *self);
KioskForm          *_kiosk_window_get_form           (KioskWindow *self);
KioskRequest       *_kiosk_window_get_request        (KioskWindow *self);
KioskSession       *_kiosk_window_get_session        (KioskWindow *self);

G_END_DECLS

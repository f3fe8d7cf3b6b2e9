/* kiosk-speech.c
 *
 * SPDX-FileCopyrightText: 2026 Stadtkiosk contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "kiosk-speech"

#include "config.h"

#include "kiosk-speech.h"
#include "kiosk-speech-private.h"

#include <glib/gi18n.h>
#include <signal.h>
#include <pthread.h>

#ifdef HAVE_SPEECHD
#include <libspeechd.h>
#endif

#include "kiosk-language.h"

/* Speech output for people who cannot see the screen, through
 * speech-dispatcher (the speech layer Orca uses; espeak-ng voices for
 * every kiosk language).  It reads what the screen shows, from the widget
 * tree and the kiosk's style classes: on a page change the page's heading
 * and text, then the focused control's label, value, help and error; what
 * the on-screen keyboard typed; the code on the done page letter by
 * letter.  Everything goes out at "message" priority, which
 * speech-dispatcher queues and speaks in order; the help key and the end
 * of a session (idle wipe included) cancel what is still queued.
 *
 * Every libspeechd call (connect, language, rate, volume, say, cancel,
 * close) runs on one worker thread per KioskSpeech, which owns the
 * SPDConnection and takes small commands from a GAsyncQueue: libspeechd
 * waits for the server's answer to each command, and a server that
 * accepts but never answers must not freeze a public terminal.  The main
 * loop only enqueues.  A command the worker has been waiting on for longer
 * than STALL_LIMIT (the connection: CONNECT_LIMIT) makes speech
 * unavailable, and so does a connection that fails.  At the start of the
 * next citizen session (kiosk_speech_reset) the connection is tried again
 * on a fresh worker, with a growing pause between tries (RETRY_FIRST,
 * doubling, at most RETRY_MAX); a worker stuck in a server that never
 * answers is left behind, and after MAX_STUCK of them speech stays off
 * until the kiosk restarts.  The log says it once per change of state
 * (unavailable, available again), never with what was to be said.
 *
 * Without speech-dispatcher (not built with it, or no server) the kiosk
 * works as before and says so once in the log. */

#define STALL_LIMIT   (3 * G_USEC_PER_SEC)
/* Connecting may start speech-dispatcher (autospawn), which loads its
 * output modules before it answers: spd-say with autospawn and the
 * espeak-ng module took 0.5, 0.8 and 1.4 s on the 2-core build machine under load; a
 * cold boot of a kiosk PC (disk cache empty, the session starting up)
 * takes longer, and a false "unavailable" costs a whole session. */
#define CONNECT_LIMIT (15 * G_USEC_PER_SEC)
#define JOIN_WAIT     (200 * G_TIME_SPAN_MILLISECOND)
#define RETRY_FIRST   (30 * G_USEC_PER_SEC)
#define RETRY_MAX     (15 * 60 * G_USEC_PER_SEC)
#define MAX_STUCK     3

typedef enum
{
  STATE_UNKNOWN,
  STATE_UP,
  STATE_DOWN,
} SpeechState;

typedef enum
{
  CMD_SAY,
  CMD_LANGUAGE,
  CMD_VOLUME_RATE,
  CMD_CANCEL,
  CMD_FLUSH,
  CMD_CONNECT,
  CMD_QUIT,
} CommandKind;

typedef struct
{
  CommandKind kind;
  char       *text;        /* SAY: what; LANGUAGE: speech language */
  int         volume;
  int         rate;
  guint       generation;  /* SAY: dropped if a cancel came after it */
  guint       serial;      /* FLUSH */
} Command;

/* Shared by the KioskSpeech and its worker; reference counted, so a
 * worker detached on dispose (stuck in libspeechd) still has it. */
typedef struct
{
  gatomicrefcount  ref;
  GAsyncQueue     *queue;      /* of Command */
  GMutex           lock;
  GCond            cond;
  guint            generation; /* atomic: bumped by stop, before its CANCEL */
  gint64           busy_since; /* lock: monotonic start of the call in progress, 0 idle */
  gboolean         connecting; /* lock: that call is the connection */
  gboolean         connected;  /* lock */
  gboolean         connect_failed; /* lock */
  char            *connect_error;  /* lock: libspeechd's reason */
  guint            flushed;    /* lock: serial of the last FLUSH done */
  gboolean         finished;   /* lock: the worker returned */
  gboolean         unavailable;/* lock: stalled; this worker speaks no more */
  int              volume;     /* initial values for the connection */
  int              rate;
} Worker;

static Worker *
worker_ref (Worker *w)
{
  g_atomic_ref_count_inc (&w->ref);
  return w;
}

static void
command_free (gpointer data)
{
  Command *cmd = data;

  g_free (cmd->text);
  g_free (cmd);
}

static void
worker_unref (Worker *w)
{
  if (!g_atomic_ref_count_dec (&w->ref))
    return;
  g_async_queue_unref (w->queue);
  g_free (w->connect_error);
  g_mutex_clear (&w->lock);
  g_cond_clear (&w->cond);
  g_free (w);
}

struct _KioskSpeech
{
  GObject          parent_instance;

  KioskSpeechMode  mode;
  gboolean         active;        /* speaking in this session */
  char            *language;      /* the session's, e.g. "ls" */
  int              volume;        /* -100..100 */
  int              rate;          /* -100..100 */
  GtkWindow       *window;        /* weak */
  GtkStack        *stack;         /* weak */
  guint            idle_id;       /* coalesces page and focus changes */
  GtkWidget       *watched;       /* weak: the focused toggle, its state is said */
  gboolean         page_changed;
  gboolean         focus_changed;
  Worker          *worker;        /* NULL until something is to be said */
  GThread         *thread;
  guint            flush_serial;
  gboolean         synchronous;   /* tests only: say waits for the worker */
  gint64           stall_limit;
  gint64           connect_limit;
  KioskClock      *clock;         /* nullable: the backoff's time */
  SpeechState      state;         /* as last logged */
  gboolean         failure_counted; /* this worker's failure is in failures */
  guint            failures;      /* in a row, for the backoff */
  gint64           retry_at;      /* clock time of the next try */
  GPtrArray       *abandoned;     /* of Worker: left behind, maybe stuck */
  gboolean         given_up_logged;
};

G_DEFINE_FINAL_TYPE (KioskSpeech, kiosk_speech, G_TYPE_OBJECT)

/* ---- the worker thread: the only place libspeechd is called ---- */

#ifdef HAVE_SPEECHD
static void
set_busy (Worker   *w,
          gboolean  busy,
          gboolean  connecting)
{
  g_mutex_lock (&w->lock);
  w->busy_since = busy ? g_get_monotonic_time () : 0;
  w->connecting = busy && connecting;
  g_mutex_unlock (&w->lock);
}
#endif

static gpointer
worker_main (gpointer data)
{
  Worker *w = data;
#ifdef HAVE_SPEECHD
  SPDConnection *connection = NULL;
  gboolean tried = FALSE;
#endif
  sigset_t pipe;

  /* libspeechd write()s to the socket: a server that went away must give
   * EPIPE on this thread, not SIGPIPE ending the kiosk. */
  sigemptyset (&pipe);
  sigaddset (&pipe, SIGPIPE);
  pthread_sigmask (SIG_BLOCK, &pipe, NULL);

  for (;;)
    {
      Command *cmd = g_async_queue_pop (w->queue);
      gboolean quit = cmd->kind == CMD_QUIT;

      if (cmd->kind == CMD_FLUSH)
        {
          g_mutex_lock (&w->lock);
          w->flushed = MAX (w->flushed, cmd->serial);
          g_cond_broadcast (&w->cond);
          g_mutex_unlock (&w->lock);
          command_free (cmd);
          continue;
        }
      if (cmd->kind == CMD_SAY && cmd->generation != (guint) g_atomic_int_get (&w->generation))
        {
          /* Queued before a stop: meant for the previous citizen. */
          command_free (cmd);
          continue;
        }
#ifdef HAVE_SPEECHD
      if (connection == NULL && !tried && !quit && cmd->kind != CMD_CANCEL)
        {
          char *error = NULL;

          tried = TRUE;
          set_busy (w, TRUE, TRUE);
          /* The address comes from $SPEECHD_ADDRESS or the user's runtime
           * dir; autospawn starts the server in a session that has none. */
          connection = spd_open2 ("stadtkiosk", "session", NULL, SPD_MODE_SINGLE, NULL, TRUE, &error);
          if (connection != NULL)
            {
              spd_set_data_mode (connection, SPD_DATA_TEXT);
              spd_set_volume (connection, w->volume);
              spd_set_voice_rate (connection, w->rate);
            }
          g_mutex_lock (&w->lock);
          w->connected = connection != NULL;
          w->connect_failed = connection == NULL;
          if (connection == NULL)
            w->connect_error = g_strdup (error != NULL ? error : "no speech-dispatcher");
          g_mutex_unlock (&w->lock);
          free (error);
        }
      set_busy (w, TRUE, FALSE);
      if (connection != NULL)
        switch (cmd->kind)
          {
          case CMD_SAY:
            spd_say (connection, SPD_MESSAGE, cmd->text);
            break;
          case CMD_LANGUAGE:
            spd_set_language (connection, cmd->text);
            break;
          case CMD_VOLUME_RATE:
            spd_set_volume (connection, cmd->volume);
            spd_set_voice_rate (connection, cmd->rate);
            break;
          case CMD_CANCEL:
            spd_cancel (connection);
            break;
          case CMD_QUIT:
            spd_cancel (connection);
            spd_close (connection);
            connection = NULL;
            break;
          case CMD_FLUSH:
          case CMD_CONNECT:
          default:
            break;
          }
      set_busy (w, FALSE, FALSE);
#endif
      command_free (cmd);
      if (quit)
        break;
    }

  g_mutex_lock (&w->lock);
  w->finished = TRUE;
  g_cond_broadcast (&w->cond);
  g_mutex_unlock (&w->lock);
  worker_unref (w);
  return NULL;
}

/* ---- the main loop's side: enqueue, never wait ---- */

static gint64
now (KioskSpeech *self)
{
  return self->clock != NULL ? kiosk_clock_get_now (self->clock) : g_get_monotonic_time ();
}

static gint64
backoff (guint failures)
{
  gint64 pause = RETRY_FIRST;

  for (guint i = 1; i < failures && pause < RETRY_MAX; i++)
    pause *= 2;
  return MIN (pause, RETRY_MAX);
}

/* Looks at the worker, logs a change of state once, and counts a failure
 * for the backoff.  Returns: %FALSE if speech is unavailable now. */
static gboolean
check_available (KioskSpeech *self)
{
  Worker *w = self->worker;
  gboolean stalled, failed, connected, connecting;
  g_autofree char *reason = NULL;
  gint64 busy_since;

  if (w == NULL)
    return self->state != STATE_DOWN;
  g_mutex_lock (&w->lock);
  busy_since = w->busy_since;
  if (busy_since != 0
      && g_get_monotonic_time () - busy_since > (w->connecting ? self->connect_limit : self->stall_limit))
    w->unavailable = TRUE;
  stalled = w->unavailable;
  failed = w->connect_failed;
  connected = w->connected;
  connecting = w->connecting;
  reason = g_strdup (w->connect_error);
  g_mutex_unlock (&w->lock);

  if (stalled || failed)
    {
      if (!self->failure_counted)
        {
          self->failure_counted = TRUE;
          self->failures++;
          self->retry_at = now (self) + backoff (self->failures);
        }
      if (self->state != STATE_DOWN)
        {
          /* Never what was to be said: it may be a citizen's answer. */
          if (stalled)
            g_message ("Speech output is not available: speech-dispatcher has not answered for more "
                       "than %.1f s; trying again at the start of a session",
                       (double) (connecting ? self->connect_limit : self->stall_limit) / G_USEC_PER_SEC);
          else
            g_message ("Speech output is not available: %s; trying again at the start of a session", reason);
          self->state = STATE_DOWN;
        }
      return FALSE;
    }
  if (connected)
    {
      if (self->state == STATE_DOWN)
        g_message ("Speech output is available again");
      self->state = STATE_UP;
      self->failures = 0;
    }
  return TRUE;
}

/* Lets go of the worker without waiting for it: what it still has queued
 * is dropped, and it closes the connection once its current call returns
 * (at once, unless it is stuck in a server that never answers). */
static void
abandon_worker (KioskSpeech *self)
{
  Worker *w = self->worker;
  Command *cmd = g_new0 (Command, 1);

  g_atomic_int_inc (&w->generation);
  cmd->kind = CMD_QUIT;
  g_async_queue_push_front (w->queue, cmd);
  g_thread_unref (self->thread);
  self->thread = NULL;
  self->worker = NULL;
  if (self->abandoned == NULL)
    self->abandoned = g_ptr_array_new_with_free_func ((GDestroyNotify) worker_unref);
  g_ptr_array_add (self->abandoned, w);
}

static guint
count_stuck (KioskSpeech *self)
{
  guint stuck = 0;

  if (self->abandoned == NULL)
    return 0;
  for (guint i = self->abandoned->len; i > 0; i--)
    {
      Worker *w = g_ptr_array_index (self->abandoned, i - 1);
      gboolean finished;

      g_mutex_lock (&w->lock);
      finished = w->finished;
      g_mutex_unlock (&w->lock);
      if (finished)
        g_ptr_array_remove_index_fast (self->abandoned, i - 1);
      else
        stuck++;
    }
  return stuck;
}

static Worker *ensure_worker (KioskSpeech *self);

/* At the start of a session: speech that went away is tried again once
 * its pause is over, on a fresh worker that connects at once, so the
 * state is known (and logged) before anyone presses "Vorlesen". */
static void
retry_if_due (KioskSpeech *self)
{
  Command *cmd;

  if (self->mode == KIOSK_SPEECH_OFF || self->worker == NULL || check_available (self))
    return;
  /* (More than the longest pause ahead: the clock was set back.) */
  if (now (self) < self->retry_at && self->retry_at - now (self) <= RETRY_MAX)
    {
      g_debug ("Speech output: next try in %" G_GINT64_FORMAT " s",
               (self->retry_at - now (self)) / G_USEC_PER_SEC);
      return;
    }
  if (count_stuck (self) >= MAX_STUCK)
    {
      /* Each stuck worker holds a thread and a socket; a server that hung
       * this often needs a restart (the watchdog or a person). */
      if (!self->given_up_logged)
        g_message ("Speech output stays off until the kiosk restarts: speech-dispatcher hung %u times",
                   MAX_STUCK);
      self->given_up_logged = TRUE;
      return;
    }
  g_debug ("Speech output: trying to connect again (failure %u)", self->failures);
  abandon_worker (self);
  self->failure_counted = FALSE;
  cmd = g_new0 (Command, 1);
  cmd->kind = CMD_CONNECT;
  g_async_queue_push (ensure_worker (self)->queue, cmd);
}

static Worker *
ensure_worker (KioskSpeech *self)
{
  Worker *w;

  if (self->worker != NULL)
    return self->worker;
  w = g_new0 (Worker, 1);
  g_atomic_ref_count_init (&w->ref);
  w->queue = g_async_queue_new_full (command_free);
  g_mutex_init (&w->lock);
  g_cond_init (&w->cond);
  w->volume = self->volume;
  w->rate = self->rate;
  self->worker = w;
  self->thread = g_thread_new ("kiosk-speech", worker_main, worker_ref (w));
  if (self->language != NULL)
    {
      Command *cmd = g_new0 (Command, 1);

      cmd->kind = CMD_LANGUAGE;
      cmd->text = g_strdup (kiosk_language_get_speech_language (self->language));
      g_async_queue_push (w->queue, cmd);
    }
  return w;
}

/* Queues @cmd for the worker; TRUE if it was queued.  @start: start the
 * worker (and so connect) if there is none yet. */
static gboolean
enqueue (KioskSpeech *self,
         Command     *cmd,
         gboolean     start)
{
  if (self->worker == NULL && !start)
    {
      command_free (cmd);
      return FALSE;
    }
  ensure_worker (self);
  if (!check_available (self))
    {
      command_free (cmd);
      return FALSE;
    }
  g_async_queue_push (self->worker->queue, cmd);
  return TRUE;
}

/**
 * _kiosk_speech_flush:
 * @timeout: how long to wait at most, in microseconds
 *
 * Tests only: waits until the worker has handled every command queued
 * before.  This blocks the caller.
 *
 * Returns: %TRUE if it did within @timeout (or there is no worker)
 */
gboolean
_kiosk_speech_flush (KioskSpeech *self,
                     gint64       timeout)
{
  Command *cmd;
  guint serial;
  gboolean done;
  gint64 end = g_get_monotonic_time () + timeout;

  g_return_val_if_fail (KIOSK_IS_SPEECH (self), FALSE);

  if (self->worker == NULL)
    return TRUE;
  cmd = g_new0 (Command, 1);
  cmd->kind = CMD_FLUSH;
  cmd->serial = serial = ++self->flush_serial;
  g_async_queue_push (self->worker->queue, cmd);
  g_mutex_lock (&self->worker->lock);
  while (self->worker->flushed < serial && !self->worker->finished)
    if (!g_cond_wait_until (&self->worker->cond, &self->worker->lock, end))
      break;
  done = self->worker->flushed >= serial;
  g_mutex_unlock (&self->worker->lock);
  return done;
}

/**
 * _kiosk_speech_set_synchronous:
 *
 * Tests only (the negative control of the hung-server test): every say
 * waits for the worker to finish it, on the caller's thread, as the
 * speech calls did when they ran on the main loop.  The wait is bounded
 * by 4 s so the control ends by itself.
 */
void
_kiosk_speech_set_synchronous (KioskSpeech *self,
                               gboolean     synchronous)
{
  g_return_if_fail (KIOSK_IS_SPEECH (self));
  self->synchronous = synchronous;
}

/**
 * _kiosk_speech_set_stall_limit:
 *
 * Tests only: how long a command may wait for the server before speech
 * counts as unavailable (default 3 s).
 */
void
_kiosk_speech_set_stall_limit (KioskSpeech *self,
                               gint64       limit)
{
  g_return_if_fail (KIOSK_IS_SPEECH (self));
  self->stall_limit = limit;
}

/**
 * _kiosk_speech_set_connect_limit:
 *
 * Tests only: the same for the connection (default CONNECT_LIMIT).
 */
void
_kiosk_speech_set_connect_limit (KioskSpeech *self,
                                 gint64       limit)
{
  g_return_if_fail (KIOSK_IS_SPEECH (self));
  self->connect_limit = limit;
}

/**
 * _kiosk_speech_get_available:
 *
 * Returns: %FALSE while the server is stalled or unreachable
 */
gboolean
_kiosk_speech_get_available (KioskSpeech *self)
{
  g_return_val_if_fail (KIOSK_IS_SPEECH (self), FALSE);
  return check_available (self);
}

static void
kiosk_speech_dispose (GObject *object)
{
  KioskSpeech *self = KIOSK_SPEECH (object);

  if (self->watched != NULL)
    g_signal_handlers_disconnect_by_data (self->watched, self);
  g_clear_weak_pointer (&self->watched);
  if (self->window != NULL && g_object_get_data (G_OBJECT (self->window), "kiosk-speech") == self)
    g_object_set_data (G_OBJECT (self->window), "kiosk-speech", NULL);
  g_clear_weak_pointer (&self->window);
  g_clear_weak_pointer (&self->stack);
  g_clear_handle_id (&self->idle_id, g_source_remove);
  g_clear_pointer (&self->abandoned, g_ptr_array_unref);
  g_clear_object (&self->clock);
  if (self->worker != NULL)
    {
      Worker *w = self->worker;
      Command *cmd = g_new0 (Command, 1);
      gboolean finished;
      gint64 end = g_get_monotonic_time () + JOIN_WAIT;

      /* Drop what is queued, then cancel and close on the worker. */
      g_atomic_int_inc (&w->generation);
      cmd->kind = CMD_QUIT;
      g_async_queue_push_front (w->queue, cmd);
      g_mutex_lock (&w->lock);
      while (!w->finished)
        if (!g_cond_wait_until (&w->cond, &w->lock, end))
          break;
      finished = w->finished;
      g_mutex_unlock (&w->lock);
      /* A worker stuck in libspeechd (a server that never answers) cannot
       * be interrupted: libspeechd has no timeout and no way to abort a
       * call from another thread.  Joining it would hang the kiosk, so it
       * is detached: it holds its own reference to the shared state, and
       * quits (closing the connection) once the call returns, or ends
       * with the process. */
      if (finished)
        g_thread_join (self->thread);
      else
        g_thread_unref (self->thread);
      self->thread = NULL;
      self->worker = NULL;
      worker_unref (w);
    }

  G_OBJECT_CLASS (kiosk_speech_parent_class)->dispose (object);
}

static void
kiosk_speech_finalize (GObject *object)
{
  KioskSpeech *self = KIOSK_SPEECH (object);

  g_free (self->language);

  G_OBJECT_CLASS (kiosk_speech_parent_class)->finalize (object);
}

static void
kiosk_speech_class_init (KioskSpeechClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = kiosk_speech_dispose;
  object_class->finalize = kiosk_speech_finalize;
}

static void
kiosk_speech_init (KioskSpeech *self)
{
  self->stall_limit = STALL_LIMIT;
  self->connect_limit = CONNECT_LIMIT;
}

/**
 * kiosk_speech_mode_from_string:
 * @mode: (nullable): "off", "button" or "always", as in [accessibility] speech
 *
 * Returns: the mode; "button" for anything else
 */
KioskSpeechMode
kiosk_speech_mode_from_string (const char *mode)
{
  if (g_strcmp0 (mode, "off") == 0)
    return KIOSK_SPEECH_OFF;
  if (g_strcmp0 (mode, "always") == 0)
    return KIOSK_SPEECH_ALWAYS;
  return KIOSK_SPEECH_BUTTON;
}

KioskSpeech *
kiosk_speech_new (KioskSpeechMode mode)
{
  KioskSpeech *self = g_object_new (KIOSK_TYPE_SPEECH, NULL);

  self->mode = mode;
  self->active = mode == KIOSK_SPEECH_ALWAYS;
  return self;
}

/**
 * kiosk_speech_set_clock:
 * @clock: (nullable): the kiosk's clock, for the pause between tries to
 *   reach speech-dispatcher again (a fake one in tests)
 */
void
kiosk_speech_set_clock (KioskSpeech *self,
                        KioskClock  *clock)
{
  g_return_if_fail (KIOSK_IS_SPEECH (self));
  g_set_object (&self->clock, clock);
}

KioskSpeechMode
kiosk_speech_get_mode (KioskSpeech *self)
{
  g_return_val_if_fail (KIOSK_IS_SPEECH (self), KIOSK_SPEECH_OFF);
  return self->mode;
}

gboolean
kiosk_speech_get_active (KioskSpeech *self)
{
  g_return_val_if_fail (KIOSK_IS_SPEECH (self), FALSE);
  return self->active;
}

/**
 * kiosk_speech_set_active:
 *
 * Starts (the "Vorlesen" button) or stops speaking for this session.
 * With speech off nothing is ever spoken.
 */
void
kiosk_speech_set_active (KioskSpeech *self,
                         gboolean     active)
{
  g_return_if_fail (KIOSK_IS_SPEECH (self));

  if (self->mode == KIOSK_SPEECH_OFF)
    return;
  if (!active)
    kiosk_speech_stop (self);
  self->active = active;
}

void
kiosk_speech_set_language (KioskSpeech *self,
                           const char  *language)
{
  g_return_if_fail (KIOSK_IS_SPEECH (self));

  g_free (self->language);
  self->language = g_strdup (language);
  if (language != NULL)
    {
      Command *cmd = g_new0 (Command, 1);

      cmd->kind = CMD_LANGUAGE;
      cmd->text = g_strdup (kiosk_language_get_speech_language (language));
      /* Without a worker yet, it gets the language when it starts. */
      enqueue (self, cmd, FALSE);
    }
}

/**
 * kiosk_speech_say:
 *
 * Queues @text to be spoken in the session's language, if speech is on
 * for this session.
 */
void
kiosk_speech_say (KioskSpeech *self,
                  const char  *text)
{
  g_return_if_fail (KIOSK_IS_SPEECH (self));

  if (!self->active || text == NULL || *text == '\0')
    return;
#ifdef HAVE_SPEECHD
  {
    Command *cmd = g_new0 (Command, 1);

    cmd->kind = CMD_SAY;
    cmd->text = g_strdup (text);
    cmd->generation = g_atomic_int_get (&ensure_worker (self)->generation);
    if (enqueue (self, cmd, TRUE) && self->synchronous)
      _kiosk_speech_flush (self, 4 * G_USEC_PER_SEC);
  }
#endif
}

void
kiosk_speech_stop (KioskSpeech *self)
{
  Command *cmd;

  g_return_if_fail (KIOSK_IS_SPEECH (self));

  if (self->worker == NULL)
    return;
  /* First drop what is still queued (the worker skips utterances of an
   * older generation: the next citizen must not hear the previous one's
   * answers), then cancel what the server is speaking. */
  g_atomic_int_inc (&self->worker->generation);
  cmd = g_new0 (Command, 1);
  cmd->kind = CMD_CANCEL;
  enqueue (self, cmd, FALSE);
}

/**
 * kiosk_speech_reset:
 *
 * The session ended (finish, start over, idle wipe): silence at once, and
 * the next person presses "Vorlesen" again unless speech is always on.
 * Speech that went away (hung or unreachable server) is tried again here
 * once its pause is over.
 */
void
kiosk_speech_reset (KioskSpeech *self)
{
  g_return_if_fail (KIOSK_IS_SPEECH (self));

  kiosk_speech_stop (self);
  g_clear_handle_id (&self->idle_id, g_source_remove);
  self->page_changed = self->focus_changed = FALSE;
  self->active = self->mode == KIOSK_SPEECH_ALWAYS;
  retry_if_due (self);
}

/**
 * kiosk_speech_adjust:
 *
 * Louder/quieter and faster/slower, in steps, from the keypad.
 */
void
kiosk_speech_adjust (KioskSpeech *self,
                     int          volume_delta,
                     int          rate_delta)
{
  g_return_if_fail (KIOSK_IS_SPEECH (self));

  self->volume = CLAMP (self->volume + volume_delta, -100, 100);
  self->rate = CLAMP (self->rate + rate_delta, -100, 100);
  if (self->worker != NULL)
    {
      Command *cmd = g_new0 (Command, 1);

      cmd->kind = CMD_VOLUME_RATE;
      cmd->volume = self->volume;
      cmd->rate = self->rate;
      enqueue (self, cmd, FALSE);
    }
}

/**
 * kiosk_speech_spell:
 * @text: e.g. a short code "HSK-K3FA-9Q2C"
 *
 * Returns: (transfer full): @text letter by letter, groups apart:
 *   "H S K, K 3 F A, 9 Q 2 C"
 */
char *
kiosk_speech_spell (const char *text)
{
  GString *out = g_string_new (NULL);
  gboolean group_start = TRUE;

  g_return_val_if_fail (text != NULL, NULL);

  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (!g_unichar_isalnum (c))
        {
          if (out->len > 0 && !group_start)
            g_string_append (out, ",");
          group_start = TRUE;
          continue;
        }
      if (out->len > 0)
        g_string_append_c (out, ' ');
      g_string_append_unichar (out, c);
      group_start = FALSE;
    }
  return g_string_free (out, FALSE);
}

static void
append_sentence (GString    *out,
                 const char *text)
{
  g_autofree char *clean = NULL;

  if (text == NULL)
    return;
  /* A line break is a pause on screen, not a word. */
  clean = g_strstrip (g_strdelimit (g_strdup (text), "\n", ' '));
  if (*clean == '\0')
    return;
  if (out->len > 0)
    g_string_append (out, out->str[out->len - 1] == '.' || out->str[out->len - 1] == ':'
                          || out->str[out->len - 1] == '?' || out->str[out->len - 1] == '!'
                          ? " " : ". ");
  g_string_append (out, clean);
}

static void
collect_page_text (GtkWidget *page,
                   GtkWidget *widget,
                   GString   *out)
{
  if (!gtk_widget_get_visible (widget) || !gtk_widget_get_child_visible (widget))
    return;
  /* Controls and the form's fields are read when they get the focus. */
  if (GTK_IS_BUTTON (widget) || GTK_IS_CHECK_BUTTON (widget) || GTK_IS_EDITABLE (widget)
      || GTK_IS_TEXT_VIEW (widget) || gtk_widget_has_css_class (widget, "kiosk-field"))
    return;
  if (GTK_IS_LABEL (widget))
    {
      const char *text = gtk_label_get_text (GTK_LABEL (widget));

      if (gtk_widget_has_css_class (widget, "kiosk-code"))
        {
          g_autofree char *spelled = kiosk_speech_spell (text);

          append_sentence (out, spelled);
        }
      else
        append_sentence (out, text);
      return;
    }
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_page_text (page, child, out);
}

/**
 * kiosk_speech_page_text:
 * @page: a page of the kiosk
 *
 * Returns: (transfer full): what the page says, heading first, without its
 *   controls (read when focused); a code (style class kiosk-code) spelled
 */
char *
kiosk_speech_page_text (GtkWidget *page)
{
  GString *out = g_string_new (NULL);

  g_return_val_if_fail (GTK_IS_WIDGET (page), NULL);

  collect_page_text (page, page, out);
  return g_string_free (out, FALSE);
}

static GtkWidget *
find_class (GtkWidget  *widget,
            const char *css_class)
{
  if (gtk_widget_has_css_class (widget, css_class))
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_class (child, css_class);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static const char *
label_of (GtkWidget *row,
          const char *css_class)
{
  GtkWidget *label = find_class (row, css_class);

  if (label == NULL || !GTK_IS_LABEL (label) || !gtk_widget_get_visible (label))
    return NULL;
  return gtk_label_get_text (GTK_LABEL (label));
}

static GtkWidget *
first_label (GtkWidget *widget)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found;

      if (GTK_IS_LABEL (child) && gtk_widget_get_visible (child))
        return child;
      if ((found = first_label (child)) != NULL)
        return found;
    }
  return NULL;
}

/**
 * kiosk_speech_set_accessible_label:
 * @widget: a control
 * @label: what it does, when its visible label says too little ("Change"
 *   → "Change “Where?”")
 *
 * Sets the accessible label, and the same for speech (GTK 4.8 cannot
 * read an accessible property back).
 */
void
kiosk_speech_set_accessible_label (GtkWidget  *widget,
                                   const char *label)
{
  g_return_if_fail (GTK_IS_WIDGET (widget));

  gtk_accessible_update_property (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
  g_object_set_data_full (G_OBJECT (widget), "kiosk-speech-label", g_strdup (label), g_free);
}

/* A string property of @widget's accessible, if set.  GTK 4.8 has no
 * getter (gtk_accessible_get_... came later); its public test API reads
 * the AT context's value, whatever the AT backend: checked against a value
 * no label holds, the mismatch returns the real one as text. */
static char *
accessible_string (GtkWidget             *widget,
                   GtkAccessibleProperty  property)
{
  char *value;

  if (!gtk_test_accessible_has_property (GTK_ACCESSIBLE (widget), property))
    return NULL;
  value = gtk_test_accessible_check_property (GTK_ACCESSIBLE (widget), property, "\x01kiosk\x01");
  if (value != NULL && *value == '\0')
    g_clear_pointer (&value, g_free);
  return value;
}

static char *
button_text (GtkWidget *button)
{
  const char *label = g_object_get_data (G_OBJECT (button), "kiosk-speech-label");
  char *accessible;

  if (label != NULL)
    return g_strdup (label);
  /* The accessible label, where one is set ("Back" is "Back to the
   * previous step"): speech says what a screen reader would. */
  if ((accessible = accessible_string (button, GTK_ACCESSIBLE_PROPERTY_LABEL)) != NULL)
    return accessible;
  if (GTK_IS_CHECK_BUTTON (button))
    label = gtk_check_button_get_label (GTK_CHECK_BUTTON (button));
  else if (GTK_IS_BUTTON (button))
    label = gtk_button_get_label (GTK_BUTTON (button));
  if (label == NULL)
    {
      /* A tile or an icon button: the first label inside it. */
      GtkWidget *found = find_class (button, "kiosk-tile-title");

      if (found == NULL)
        found = first_label (button);
      if (found != NULL && GTK_IS_LABEL (found))
        label = gtk_label_get_text (GTK_LABEL (found));
    }
  return g_strdup (label);
}

/**
 * kiosk_speech_describe_widget:
 * @focus: the focused widget
 *
 * Returns: (transfer full) (nullable): what to say about it: in a form
 *   field its label, value, help and error; on a button its label
 */
char *
kiosk_speech_describe_widget (GtkWidget *focus)
{
  GString *out = g_string_new (NULL);
  GtkWidget *control = NULL;
  GtkWidget *row = NULL;

  g_return_val_if_fail (focus == NULL || GTK_IS_WIDGET (focus), NULL);

  for (GtkWidget *w = focus; w != NULL; w = gtk_widget_get_parent (w))
    {
      if (control == NULL && (GTK_IS_BUTTON (w) || GTK_IS_CHECK_BUTTON (w) || GTK_IS_EDITABLE (w)
                              || GTK_IS_TEXT_VIEW (w)))
        control = w;
      if (gtk_widget_has_css_class (w, "kiosk-field"))
        {
          row = w;
          break;
        }
    }
  if (control != NULL && GTK_IS_EDITABLE (control))
    {
      /* An entry's inner GtkText: the GtkEntry is the control. */
      GtkWidget *parent = gtk_widget_get_parent (control);

      if (parent != NULL && GTK_IS_EDITABLE (parent))
        control = parent;
    }
  if (control == NULL)
    return g_string_free (out, TRUE);

  if (row != NULL)
    append_sentence (out, label_of (row, "kiosk-field-label"));

  if (gtk_widget_get_ancestor (control, GTK_TYPE_MENU_BUTTON) != NULL)
    {
      /* The language button: a menu button showing the language's name. */
      g_autofree char *text = button_text (control);
      g_autofree char *said = g_strdup_printf (_("Language: %s. Choose another language"), text);

      append_sentence (out, said);
    }
  else if (GTK_IS_CHECK_BUTTON (control))
    {
      g_autofree char *text = button_text (control);

      append_sentence (out, text);
      append_sentence (out, gtk_check_button_get_active (GTK_CHECK_BUTTON (control))
                            ? _("selected") : _("not selected"));
    }
  else if (GTK_IS_TOGGLE_BUTTON (control))
    {
      g_autofree char *text = button_text (control);

      append_sentence (out, text);
      append_sentence (out, gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (control)) ? _("on") : _("off"));
    }
  else if (GTK_IS_BUTTON (control))
    {
      g_autofree char *text = button_text (control);
      g_autofree char *description = accessible_string (control, GTK_ACCESSIBLE_PROPERTY_DESCRIPTION);

      append_sentence (out, text);
      append_sentence (out, _("button"));
      /* What more it says, e.g. an info card's text and "Stand". */
      append_sentence (out, description);
    }
  else if (GTK_IS_EDITABLE (control) || GTK_IS_TEXT_VIEW (control))
    {
      g_autofree char *value = NULL;

      if (GTK_IS_TEXT_VIEW (control))
        {
          GtkTextBuffer *buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (control));
          GtkTextIter start, end;

          gtk_text_buffer_get_bounds (buffer, &start, &end);
          value = gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
        }
      else
        value = g_strdup (gtk_editable_get_text (GTK_EDITABLE (control)));
      if (row == NULL)
        {
          /* Outside a form field: its accessible label names it. */
          g_autofree char *name = accessible_string (control, GTK_ACCESSIBLE_PROPERTY_LABEL);

          append_sentence (out, name);
        }
      if (row == NULL && g_object_class_find_property (G_OBJECT_GET_CLASS (control), "placeholder-text") != NULL)
        {
          g_autofree char *placeholder = NULL;

          g_object_get (control, "placeholder-text", &placeholder, NULL);
          append_sentence (out, placeholder);
        }
      append_sentence (out, value != NULL && *value != '\0' ? value : _("empty"));
    }

  if (row != NULL)
    {
      append_sentence (out, label_of (row, "kiosk-help"));
      append_sentence (out, label_of (row, "kiosk-error"));
    }
  return g_string_free (out, FALSE);
}

void
kiosk_speech_read_page (KioskSpeech *self,
                        GtkWidget   *page)
{
  g_autofree char *text = NULL;

  g_return_if_fail (KIOSK_IS_SPEECH (self));

  if (!self->active || page == NULL)
    return;
  text = kiosk_speech_page_text (page);
  kiosk_speech_say (self, text);
}

void
kiosk_speech_describe_focus (KioskSpeech *self,
                             GtkWidget   *focus)
{
  g_autofree char *text = NULL;

  g_return_if_fail (KIOSK_IS_SPEECH (self));

  if (!self->active || focus == NULL)
    return;
  text = kiosk_speech_describe_widget (focus);
  kiosk_speech_say (self, text);
}

/**
 * kiosk_speech_repeat:
 *
 * The help key: the page and the focused control again.
 */
void
kiosk_speech_repeat (KioskSpeech *self)
{
  g_return_if_fail (KIOSK_IS_SPEECH (self));

  if (!self->active)
    return;
  kiosk_speech_stop (self);
  if (self->stack != NULL)
    kiosk_speech_read_page (self, gtk_stack_get_visible_child (self->stack));
  if (self->window != NULL)
    kiosk_speech_describe_focus (self, gtk_window_get_focus (self->window));
}

/* A language switch or a new step rebuilds pages and moves the focus
 * several times in one go: what is said is the state once it settled,
 * the page first, then the focused control. */
static gboolean
settled_cb (gpointer user_data)
{
  KioskSpeech *self = user_data;

  self->idle_id = 0;
  if (self->page_changed && self->stack != NULL)
    kiosk_speech_read_page (self, gtk_stack_get_visible_child (self->stack));
  if (self->focus_changed && self->window != NULL)
    kiosk_speech_describe_focus (self, gtk_window_get_focus (self->window));
  self->page_changed = self->focus_changed = FALSE;
  return G_SOURCE_REMOVE;
}

static void
schedule (KioskSpeech *self,
          gboolean     page)
{
  if (!self->active)
    return;
  if (page)
    self->page_changed = TRUE;
  else
    self->focus_changed = TRUE;
  if (self->idle_id == 0)
    self->idle_id = g_idle_add_full (G_PRIORITY_LOW, settled_cb, self, NULL);
}

/**
 * kiosk_speech_page_changed:
 *
 * The visible page shows something new without a page change (the next
 * step of a form): it is read again once things settled.
 */
void
kiosk_speech_page_changed (KioskSpeech *self)
{
  g_return_if_fail (KIOSK_IS_SPEECH (self));
  schedule (self, TRUE);
}

/**
 * kiosk_speech_notify_page_changed:
 * @widget: a widget of a page that shows something new in place (an info
 *   card opened, the dates of a street)
 *
 * Has the kiosk's speech, if it is on, read the page again once things
 * settled.  Pages need not know the speech object: it is found through
 * @widget's window.
 */
void
kiosk_speech_notify_page_changed (GtkWidget *widget)
{
  GtkRoot *root;
  KioskSpeech *self;

  g_return_if_fail (GTK_IS_WIDGET (widget));

  root = gtk_widget_get_root (widget);
  if (root == NULL)
    return;
  self = g_object_get_data (G_OBJECT (root), "kiosk-speech");
  if (self != NULL)
    kiosk_speech_page_changed (self);
}

/**
 * kiosk_speech_announce:
 * @widget: a widget of the page that has news
 * @text: what to say, e.g. "Please take the slip from the printer."
 *
 * Says @text through @widget's window's speech, if it is on.
 */
void
kiosk_speech_announce (GtkWidget  *widget,
                       const char *text)
{
  GtkRoot *root;
  KioskSpeech *self;

  g_return_if_fail (GTK_IS_WIDGET (widget));

  root = gtk_widget_get_root (widget);
  if (root == NULL)
    return;
  self = g_object_get_data (G_OBJECT (root), "kiosk-speech");
  if (self != NULL)
    kiosk_speech_say (self, text);
}

static void
page_changed_cb (GtkStack    *stack,
                 GParamSpec  *pspec,
                 KioskSpeech *self)
{
  /* Not cancelled: what is queued about the last page is short (one
   * control), and a cancel would race with it; the help key cancels. */
  schedule (self, TRUE);
}

/* Enter on a focused option or toggle: its new state is said. */
static void
toggled_cb (GtkWidget   *widget,
            GParamSpec  *pspec,
            KioskSpeech *self)
{
  schedule (self, FALSE);
}

static void
focus_changed_cb (GtkWindow   *window,
                  GParamSpec  *pspec,
                  KioskSpeech *self)
{
  GtkWidget *focus = gtk_window_get_focus (window);

  if (self->watched != NULL)
    g_signal_handlers_disconnect_by_data (self->watched, self);
  g_clear_weak_pointer (&self->watched);
  if (focus != NULL && (GTK_IS_CHECK_BUTTON (focus) || GTK_IS_TOGGLE_BUTTON (focus)))
    {
      g_set_weak_pointer (&self->watched, focus);
      g_signal_connect (focus, "notify::active", G_CALLBACK (toggled_cb), self);
    }
  schedule (self, FALSE);
}

static void
key_typed_cb (GtkWidget   *keyboard,
              const char  *key,
              const char  *spoken,
              KioskSpeech *self)
{
  kiosk_speech_say (self, spoken);
}

/**
 * kiosk_speech_attach:
 * @window: the kiosk window: its focus is described
 * @stack: the pages: a new page is read
 * @keyboard: (nullable): the on-screen keyboard: what it types is said
 */
void
kiosk_speech_attach (KioskSpeech *self,
                     GtkWindow   *window,
                     GtkStack    *stack,
                     GtkWidget   *keyboard)
{
  g_return_if_fail (KIOSK_IS_SPEECH (self));
  g_return_if_fail (GTK_IS_WINDOW (window));
  g_return_if_fail (GTK_IS_STACK (stack));

  g_set_weak_pointer (&self->window, window);
  g_set_weak_pointer (&self->stack, stack);
  /* For kiosk_speech_notify_page_changed (); the window owns us. */
  g_object_set_data (G_OBJECT (window), "kiosk-speech", self);
  g_signal_connect_object (stack, "notify::visible-child", G_CALLBACK (page_changed_cb), self, 0);
  g_signal_connect_object (window, "notify::focus-widget", G_CALLBACK (focus_changed_cb), self, 0);
  if (keyboard != NULL)
    g_signal_connect_object (keyboard, "key-typed", G_CALLBACK (key_typed_cb), self, 0);
}

/* kiosk-lock.c
 *
 * SPDX-FileCopyrightText: 2026 Stadtkiosk contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "kiosk-lock"

#include "config.h"

#include "kiosk-lock.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

/* An exclusive flock(2) on a file beside the database.  The kernel drops it
 * when the process dies, however it dies (SIGKILL, power cut), so there is
 * no stale lock to clean up and no lease to time out.  flock locks belong
 * to the open file description: two opens in one process exclude each other
 * as two processes do, which lets tests run both sides in one process.
 *
 * The holder writes "pid\ncommand\n" into the file, for the message the
 * other side shows; the lock itself is the flock, never the contents. */

struct _KioskLock
{
  int   fd;
  char *path;
};

G_DEFINE_QUARK (kiosk-lock-error-quark, kiosk_lock_error)

static char *
read_holder (int fd)
{
  char buf[256];
  ssize_t n = pread (fd, buf, sizeof buf - 1, 0);
  g_auto(GStrv) lines = NULL;

  if (n <= 0)
    return g_strdup ("another process");
  buf[n] = '\0';
  lines = g_strsplit (buf, "\n", 3);
  if (lines[0] == NULL || *lines[0] == '\0')
    return g_strdup ("another process");
  for (char *p = lines[1] != NULL ? lines[1] : NULL; p != NULL && *p != '\0'; p++)
    if (!g_ascii_isprint (*p))
      *p = '?';
  if (lines[1] != NULL && *lines[1] != '\0')
    return g_strdup_printf ("%s, process %s", lines[1], lines[0]);
  return g_strdup_printf ("process %s", lines[0]);
}

static char *
own_command (void)
{
  g_autofree char *cmdline = NULL;
  gsize len = 0;

  if (!g_file_get_contents ("/proc/self/cmdline", &cmdline, &len, NULL) || len == 0)
    return g_strdup (g_get_prgname () != NULL ? g_get_prgname () : "?");
  /* Arguments are NUL-separated: the program's base name and its first
   * word that is not an option say enough ("stadtkioskctl sync"). */
  {
    g_autofree char *base = g_path_get_basename (cmdline);
    const char *p = cmdline + strlen (cmdline) + 1;

    while (p < cmdline + len && (*p == '-' || *p == '\0'))
      {
        /* Skip an option and, for --config/--state-dir, its value. */
        gboolean takes_value = g_str_equal (p, "--config") || g_str_equal (p, "--state-dir");

        p += strlen (p) + 1;
        if (takes_value && p < cmdline + len)
          p += strlen (p) + 1;
      }
    if (p < cmdline + len)
      return g_strdup_printf ("%s %s", base, p);
    return g_steal_pointer (&base);
  }
}

/**
 * kiosk_lock_try_acquire:
 * @path: the lock file; created if missing
 * @wait_ms: how long to keep trying while another holds it: a command
 *   that takes the lock for a moment (queue cancel) is waited for, a
 *   process that delivers for hours is not
 *
 * Returns: (transfer full): the lock, held until kiosk_lock_release() or
 *   the process ends; %NULL with %KIOSK_LOCK_ERROR_HELD naming the holder
 *   ("stadtkioskctl sync, process 1234") when another holds it
 */
KioskLock *
kiosk_lock_try_acquire (const char  *path,
                        guint        wait_ms,
                        GError     **error)
{
  gint64 give_up = g_get_monotonic_time () + (gint64) wait_ms * 1000;
  g_autofree char *text = NULL;
  g_autofree char *command = NULL;
  KioskLock *lock;
  int fd;

  g_return_val_if_fail (path != NULL, NULL);

  fd = g_open (path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
  if (fd < 0)
    {
      int saved = errno;

      g_set_error (error, KIOSK_LOCK_ERROR, KIOSK_LOCK_ERROR_FAILED,
                   "cannot open the lock file %s: %s", path, g_strerror (saved));
      return NULL;
    }
  while (flock (fd, LOCK_EX | LOCK_NB) != 0)
    {
      int saved = errno;

      if (saved == EINTR)
        continue;
      if (saved == EWOULDBLOCK && g_get_monotonic_time () < give_up)
        {
          g_usleep (10 * 1000);
          continue;
        }
      if (saved == EWOULDBLOCK)
        {
          g_autofree char *holder = read_holder (fd);

          g_set_error (error, KIOSK_LOCK_ERROR, KIOSK_LOCK_ERROR_HELD, "%s", holder);
        }
      else
        g_set_error (error, KIOSK_LOCK_ERROR, KIOSK_LOCK_ERROR_FAILED,
                     "cannot lock %s: %s", path, g_strerror (saved));
      g_close (fd, NULL);
      return NULL;
    }

  command = own_command ();
  text = g_strdup_printf ("%d\n%s\n", (int) getpid (), command);
  if (ftruncate (fd, 0) != 0 || pwrite (fd, text, strlen (text), 0) < 0)
    {
      /* The contents are only for messages; the flock is the lock. */
    }

  lock = g_new0 (KioskLock, 1);
  lock->fd = fd;
  lock->path = g_strdup (path);
  return lock;
}

void
kiosk_lock_release (KioskLock *lock)
{
  if (lock == NULL)
    return;
  /* Empty the file first, so that no one reads a holder that is gone. */
  if (ftruncate (lock->fd, 0) != 0)
    {
      /* Only the message suffers. */
    }
  flock (lock->fd, LOCK_UN);
  g_close (lock->fd, NULL);
  g_free (lock->path);
  g_free (lock);
}

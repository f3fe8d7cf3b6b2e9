/* kiosk-file.c
 *
 * SPDX-FileCopyrightText: 2026 Stadtkiosk contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "kiosk-file"

#include "config.h"

#include "kiosk-file.h"

#include <errno.h>
#include <fcntl.h>
#include <gio/gio.h>
#include <glib/gstdio.h>
#include <sys/stat.h>
#include <unistd.h>

/**
 * kiosk_file_read_bounded:
 * @path: the file
 * @max_bytes: the most it may hold
 * @out_contents: (out): the contents, NUL-terminated
 * @out_length: (out) (optional): their length
 *
 * g_file_get_contents() for a file someone else may have put there: it
 * refuses what is not a regular file (a FIFO or /dev/zero hung
 * g_file_get_contents()) and a file larger than @max_bytes before reading
 * any of it, and stops reading at @max_bytes should the file grow.  The
 * open does not block on a FIFO (O_NONBLOCK) and follows no symlink to a
 * device, since the check is on the opened file.
 *
 * Returns: %TRUE, or %FALSE with @error set as "PATH: why" (a #GFileError or
 *   %G_IO_ERROR_INVALID_DATA)
 */
gboolean
kiosk_file_read_bounded (const char  *path,
                         gsize        max_bytes,
                         char       **out_contents,
                         gsize       *out_length,
                         GError     **error)
{
  g_autofree char *contents = NULL;
  struct stat st;
  gsize capacity;
  gsize length = 0;
  int fd;

  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (out_contents != NULL, FALSE);

  fd = g_open (path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY, 0);
  if (fd < 0)
    {
      int saved = errno;

      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved), "%s: %s", path, g_strerror (saved));
      return FALSE;
    }
  if (fstat (fd, &st) != 0 || !S_ISREG (st.st_mode))
    {
      g_close (fd, NULL);
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   "%s: not a regular file (a pipe, a device or a directory is not read)", path);
      return FALSE;
    }
  if ((guint64) st.st_size > max_bytes)
    {
      g_close (fd, NULL);
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   "%s: %" G_GUINT64_FORMAT " bytes is more than the %" G_GSIZE_FORMAT " bytes such a file may have",
                   path, (guint64) st.st_size, max_bytes);
      return FALSE;
    }

  /* The file may grow after fstat(): read up to one byte past the cap,
   * growing the buffer as needed, so growth is seen and bounded. */
  capacity = (gsize) st.st_size + 1;
  contents = g_malloc (capacity + 1);
  while (length <= max_bytes)
    {
      gssize n;

      if (length == capacity)
        {
          capacity = MIN (max_bytes + 1, capacity * 2);
          contents = g_realloc (contents, capacity + 1);
        }
      n = read (fd, contents + length, capacity - length);
      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        {
          int saved = errno;

          g_close (fd, NULL);
          g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved), "%s: %s", path, g_strerror (saved));
          return FALSE;
        }
      if (n == 0)
        break;
      length += (gsize) n;
    }
  g_close (fd, NULL);
  if (length > max_bytes)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   "%s: more than the %" G_GSIZE_FORMAT " bytes such a file may have", path, max_bytes);
      return FALSE;
    }
  contents[length] = '\0';
  *out_contents = g_steal_pointer (&contents);
  if (out_length != NULL)
    *out_length = length;
  return TRUE;
}

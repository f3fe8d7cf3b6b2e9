/* kiosk-test-util.c
 *
 * SPDX-FileCopyrightText: 2026 Stadtkiosk contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "kiosk-test-util.h"

#include <glib/gstdio.h>

/**
 * kiosk_test_rm_rf:
 * @path: a file or a directory a test made
 *
 * Removes @path and everything below it.  Symbolic links are removed, not
 * followed.
 */
void
kiosk_test_rm_rf (const char *path)
{
  if (g_file_test (path, G_FILE_TEST_IS_DIR) && !g_file_test (path, G_FILE_TEST_IS_SYMLINK))
    {
      g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
      const char *name;

      while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *child = g_build_filename (path, name, NULL);

          kiosk_test_rm_rf (child);
        }
      g_rmdir (path);
    }
  else
    g_unlink (path);
}

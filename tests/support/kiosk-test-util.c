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

/**
 * kiosk_test_running_under_lsan:
 *
 * Under LeakSanitizer (clang 14, glibc 2.36) a process that made an HTTPS
 * handshake crashes at exit: its tracer reads a garbage DTLS range of the
 * GnuTLS worker thread ("Tracer caught signal 11").  Tests that do a
 * handshake stand aside there; they run in every other build, the plain
 * core suite included.
 *
 * Returns: %TRUE in an AddressSanitizer/LeakSanitizer build
 */
gboolean
kiosk_test_running_under_lsan (void)
{
#if defined(__has_feature)
#  if __has_feature(address_sanitizer) || __has_feature(leak_sanitizer)
  return TRUE;
#  endif
#endif
#if defined(__SANITIZE_ADDRESS__)
  return TRUE;
#else
  return FALSE;
#endif
}

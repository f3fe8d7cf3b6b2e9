/* bench-proc.c — what the benchmarks read from /proc about themselves
 *
 * SPDX-FileCopyrightText: 2026 Stadtkiosk contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "bench-proc.h"

#include <string.h>

/* This process's PSS in MB, or -1. */
double
bench_pss_mb (void)
{
  g_autofree char *text = NULL;
  const char *line;

  if (!g_file_get_contents ("/proc/self/smaps_rollup", &text, NULL, NULL) ||
      (line = strstr (text, "\nPss:")) == NULL)
    return -1;
  return g_ascii_strtod (line + 5, NULL) / 1024.0;
}

/* Private_Clean + Private_Dirty in MB: this process's own pages only.  PSS
 * also carries a share of the libraries, which moves as other GTK programs
 * on the machine start and stop. */
double
bench_private_mb (void)
{
  g_autofree char *text = NULL;
  const char *clean, *dirty;

  if (!g_file_get_contents ("/proc/self/smaps_rollup", &text, NULL, NULL) ||
      (clean = strstr (text, "\nPrivate_Clean:")) == NULL ||
      (dirty = strstr (text, "\nPrivate_Dirty:")) == NULL)
    return -1;
  return (g_ascii_strtod (clean + 15, NULL) + g_ascii_strtod (dirty + 15, NULL)) / 1024.0;
}

/* The one-minute load average, or -1. */
double
bench_load_average (void)
{
  g_autofree char *text = NULL;

  if (!g_file_get_contents ("/proc/loadavg", &text, NULL, NULL))
    return -1;
  return g_ascii_strtod (text, NULL);
}

/* The mappings of files whose names end in @suffix: their size and their
 * PSS in MB (0 when there are none). */
void
bench_mapped_file_mb (const char *suffix,
                      double     *size_mb,
                      double     *pss_mb)
{
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;
  gboolean in_it = FALSE;

  *size_mb = *pss_mb = 0;
  if (!g_file_get_contents ("/proc/self/smaps", &text, NULL, NULL))
    return;
  lines = g_strsplit (text, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      const char *line = lines[i];

      /* A mapping's first line: "start-end perms offset dev inode path" */
      if (g_ascii_isxdigit (line[0]) && strchr (line, '-') != NULL && strchr (line, ' ') > strchr (line, '-'))
        in_it = g_str_has_suffix (line, suffix);
      else if (in_it && g_str_has_prefix (line, "Size:"))
        *size_mb += g_ascii_strtod (line + 5, NULL) / 1024.0;
      else if (in_it && g_str_has_prefix (line, "Pss:"))
        *pss_mb += g_ascii_strtod (line + 4, NULL) / 1024.0;
    }
}

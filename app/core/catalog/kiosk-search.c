/* kiosk-search.c
 *
 * SPDX-FileCopyrightText: 2026 Stadtkiosk contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "kiosk-catalog"

#include "config.h"

#include <string.h>

#include "kiosk-search-private.h"

/* Search that forgives, for people typing on a touch screen: every word of
 * the query must be found in a service's folded text (titles, keywords,
 * option labels in every language), but a word is also found
 *  - with one typo (two in words of eight letters and more): "spermüll";
 *  - by its stem: "abholen" finds "Abholung" (a shared beginning of all but
 *    the last two letters, at least four);
 *  - as two parts of a compound: "Strassenlaterne" finds a text with
 *    "Straßen…" and "…laterne".
 * An exact find scores more than a forgiving one, so the best come first.
 * The catalogue asks for forgiveness only when no service is found exactly,
 * so that typing stays fast in a catalogue of thousands of services. */

#define EXACT_SCORE   4
#define FORGIVEN_SCORE 1
#define MIN_FORGIVING 4        /* letters; shorter words are only found exactly */
#define MAX_TOKEN     64       /* bytes; longer tokens are only found exactly */

/* Optimal string alignment distance (Damerau-Levenshtein with adjacent
 * transpositions), giving up as soon as it exceeds @limit. */
static guint
bounded_distance (const char *a,
                  gsize       la,
                  const char *b,
                  gsize       lb,
                  guint       limit)
{
  guint rows[3][MAX_TOKEN + 1];
  guint *prev2 = rows[0], *prev = rows[1], *cur = rows[2];

  g_assert (la <= MAX_TOKEN && lb <= MAX_TOKEN);

  if ((la > lb ? la - lb : lb - la) > limit)
    return limit + 1;
  for (gsize j = 0; j <= lb; j++)
    prev[j] = j;
  for (gsize i = 1; i <= la; i++)
    {
      guint row_min;
      guint *tmp;

      cur[0] = i;
      row_min = cur[0];
      for (gsize j = 1; j <= lb; j++)
        {
          guint cost = a[i - 1] == b[j - 1] ? 0 : 1;
          guint v = MIN (MIN (prev[j] + 1, cur[j - 1] + 1), prev[j - 1] + cost);

          if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
            v = MIN (v, prev2[j - 2] + 1);
          cur[j] = v;
          row_min = MIN (row_min, v);
        }
      if (row_min > limit)
        return limit + 1;
      tmp = prev2; prev2 = prev; prev = cur; cur = tmp;
    }
  return prev[lb];
}

static gsize
common_prefix (const char *a,
               gsize       la,
               const char *b,
               gsize       lb)
{
  gsize n = 0;

  while (n < la && n < lb && a[n] == b[n])
    n++;
  return n;
}

/* Whether @word is, forgivingly, one of the tokens of @text. */
static gboolean
matches_a_token (const char *text,
                 const char *word,
                 gsize       len)
{
  guint limit = len >= 8 ? 2 : 1;
  gsize stem = MAX (MIN_FORGIVING, len - 2);
  const char *p = text;

  while (*p != '\0')
    {
      const char *start;
      gsize tlen;

      while (*p != '\0' && !g_ascii_isalnum (*p) && !((guchar) *p & 0x80))
        p++;
      start = p;
      while (*p != '\0' && (g_ascii_isalnum (*p) || ((guchar) *p & 0x80)))
        p++;
      tlen = p - start;
      if (tlen == 0 || tlen > MAX_TOKEN)
        continue;
      if (bounded_distance (word, len, start, tlen, limit) <= limit)
        return TRUE;
      if (common_prefix (word, len, start, tlen) >= stem && tlen + 2 >= len)
        return TRUE;
    }
  return FALSE;
}

/* "strassenlaterne" in a text that has "strassen" and "laterne". */
static gboolean
matches_as_compound (const char *text,
                     const char *word,
                     gsize       len)
{
  char head[MAX_TOKEN + 1];

  for (gsize cut = MIN_FORGIVING; cut + MIN_FORGIVING <= len; cut++)
    {
      memcpy (head, word, cut);
      head[cut] = '\0';
      if (strstr (text, head) != NULL && strstr (text, word + cut) != NULL)
        return TRUE;
    }
  return FALSE;
}

/**
 * _kiosk_search_score:
 * @expanded: the service's search text, folded with ü -> ue
 * @stripped: the same, folded with ü -> u
 * @words: the query's folded words (empty strings are skipped)
 * @forgive: whether a word may also be found with a typo, a stem or as a
 *   compound
 *
 * Returns: 0 when a word is not found, else a score: higher is better
 */
guint
_kiosk_search_score (const char  *expanded,
                     const char  *stripped,
                     char       **words,
                     gboolean     forgive)
{
  guint score = 1;

  for (char **w = words; *w != NULL; w++)
    {
      gsize len = strlen (*w);

      if (len == 0)
        continue;
      if (strstr (expanded, *w) != NULL || strstr (stripped, *w) != NULL)
        score += EXACT_SCORE;
      else if (forgive && len >= MIN_FORGIVING && len <= MAX_TOKEN &&
               (matches_a_token (expanded, *w, len) || matches_a_token (stripped, *w, len) ||
                matches_as_compound (expanded, *w, len)))
        score += FORGIVEN_SCORE;
      else
        return 0;
    }
  return score;
}

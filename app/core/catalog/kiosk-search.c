/* kiosk-search.c
 *
 * SPDX-FileCopyrightText: 2026 Stadtkiosk contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "kiosk-catalog"

#include "config.h"

#include <string.h>

#include "kiosk-catalog-private.h"
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
 * Forgiveness is asked for only when no service is found exactly.
 *
 * It runs at every keystroke, in catalogues of thousands of services
 * (bench-search), so:
 *  - typing on narrows: when the query only grew, the exact pass looks at
 *    the previous query's finds only;
 *  - the forgiving pass does not compare the word with every token of
 *    every service: it first finds the few words of the catalogue's
 *    vocabulary (built once: kiosk_catalog_prepare_search(), or the first
 *    forgiving search; or read with the texts from the search file of a
 *    stored catalogue, kiosk-search-file.c) that the word could mean, then
 *    looks for those in the services' texts. */

#define EXACT_SCORE    4
#define FORGIVEN_SCORE 1
#define MIN_FORGIVING  4        /* letters; shorter words are only found exactly */
#define MAX_TOKEN      64       /* bytes; longer tokens are only found exactly */
#define MAX_MEANINGS   64       /* vocabulary words one typed word may stand for */

struct _KioskSearchIndex
{
  GPtrArray    *items;        /* borrowed KioskService*, the catalogue's enabled ones */
  GBytes       *vocabulary;   /* every distinct token of the search texts: see below; NULL until needed */
  char         *last_query;   /* folded; the query of last_hits */
  GArray       *last_hits;    /* KioskSearchHit of an exact pass, or NULL */
};

/* What a typed word may stand for in the forgiving pass. */
typedef struct
{
  const char *word;
  gboolean    exact_somewhere;    /* a substring of some token: try exactly first */
  GPtrArray  *meanings;           /* char*, borrowed from the vocabulary */
  GPtrArray  *compound_cuts;      /* GUINT_TO_POINTER (cut) where head and tail exist */
} Forgiving;

static inline gboolean
is_token_char (char c)
{
  return g_ascii_isalnum (c) || ((guchar) c & 0x80);
}

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

/* How _kiosk_search_index_run() splits a query into words. */
#define WORD_SEPARATORS " \t\n,;-/"

/* Adds the pieces of @text between WORD_SEPARATORS that are not in @seen
 * yet to @out, each after a '\n'. */
static void
add_pieces (GString    *out,
            GHashTable *seen,
            const char *text)
{
  const char *p = text + strspn (text, WORD_SEPARATORS);

  while (*p != '\0')
    {
      gsize len = strcspn (p, WORD_SEPARATORS);
      char *piece = g_strndup (p, len);

      if (!g_hash_table_contains (seen, piece))
        {
          if (out->len > 0)
            g_string_append_c (out, '\n');
          g_string_append_len (out, p, len);
          g_hash_table_add (seen, piece);
        }
      else
        g_free (piece);
      p += len;
      p += strspn (p, WORD_SEPARATORS);
    }
}

/**
 * _kiosk_search_compact:
 * @expanded: (inout): a service's text folded with ü as "ue"
 * @stripped: (inout): the same text folded with ü as "u"
 *
 * Makes both texts as short as they can be for the same finds: each piece
 * between word separators once, and of the stripped text only what the
 * expanded one lacks.  A query's words never hold a separator, so a word
 * is in a text exactly when it is in one of its pieces: whether a word is
 * found, exactly, as a compound's parts (which are looked for in the
 * expanded text only, and it keeps every piece of its own) or through the
 * vocabulary (whose words come in the same order) does not change.  The
 * demo catalogue's texts shrink to a third (/kiosk/catalog/search/
 * compact-finds-the-same); the generated federal-size one's search file,
 * which also holds titles and summaries, from 4.9 to 2.5 MB
 * (bench-catalog-memory).
 */
void
_kiosk_search_compact (char **expanded,
                       char **stripped)
{
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  GString *e = g_string_sized_new (strlen (*expanded));
  GString *s = g_string_sized_new (strlen (*stripped));

  add_pieces (e, seen, *expanded);
  add_pieces (s, seen, *stripped);
  g_free (*expanded);
  g_free (*stripped);
  /* copied to their length: a GString keeps what it grew to */
  *expanded = g_strndup (e->str, e->len);
  *stripped = g_strndup (s->str, s->len);
  g_string_free (e, TRUE);
  g_string_free (s, TRUE);
}

static void
add_tokens (GString    *vocabulary,
            GHashTable *seen,
            const char *text)
{
  const char *p = text;

  while (*p != '\0')
    {
      const char *start;
      char token[MAX_TOKEN + 1];
      gsize len;

      while (*p != '\0' && !is_token_char (*p))
        p++;
      start = p;
      while (*p != '\0' && is_token_char (*p))
        p++;
      len = p - start;
      if (len < MIN_FORGIVING - 2 || len > MAX_TOKEN)
        continue;
      memcpy (token, start, len);
      token[len] = '\0';
      if (!g_hash_table_contains (seen, token))
        {
          g_hash_table_add (seen, g_strndup (start, len));
          g_string_append_len (vocabulary, token, len + 1);
        }
    }
}

/**
 * _kiosk_search_vocabulary_build:
 * @services: KioskService*
 *
 * The vocabulary of @services' search texts: every distinct token, in the
 * order first seen, each followed by a NUL, and an empty one at the end.
 * One block, so that it can be written to the search file and read from
 * its mapping as it is.
 *
 * Returns: (transfer full): the vocabulary
 */
GBytes *
_kiosk_search_vocabulary_build (GPtrArray *services)
{
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  GString *vocabulary = g_string_new (NULL);

  for (guint i = 0; i < services->len; i++)
    {
      KioskService *service = services->pdata[i];

      add_tokens (vocabulary, seen, service->search_expanded);
      add_tokens (vocabulary, seen, service->search_stripped);
    }
  g_string_append_c (vocabulary, '\0');
  return g_string_free_to_bytes (vocabulary);
}

void
_kiosk_search_index_prepare (KioskSearchIndex *index)
{
  if (index->vocabulary == NULL)
    index->vocabulary = _kiosk_search_vocabulary_build (index->items);
}

/* The vocabulary words @word may stand for, and the cuts at which it is a
 * compound of two parts that both occur in the vocabulary. */
static void
forgiving_init (KioskSearchIndex *index,
                Forgiving        *f,
                const char       *word)
{
  gsize len = strlen (word);
  guint limit = len >= 8 ? 2 : 1;
  gsize stem = MAX (MIN_FORGIVING, len - 2);

  f->word = word;
  f->meanings = g_ptr_array_new ();
  f->compound_cuts = g_ptr_array_new ();
  f->exact_somewhere = FALSE;
  if (len < MIN_FORGIVING || len > MAX_TOKEN)
    return;

  for (const char *token = g_bytes_get_data (index->vocabulary, NULL), *next;
       *token != '\0' && f->meanings->len < MAX_MEANINGS; token = next)
    {
      gsize tlen = strlen (token);

      next = token + tlen + 1;
      if (bounded_distance (word, len, token, tlen, limit) <= limit ||
          (common_prefix (word, len, token, tlen) >= stem && tlen + 2 >= len))
        g_ptr_array_add (f->meanings, (gpointer) token);
    }

  for (gsize cut = MIN_FORGIVING; cut + MIN_FORGIVING <= len; cut++)
    {
      char head[MAX_TOKEN + 1];
      gboolean head_found = FALSE, tail_found = FALSE;

      memcpy (head, word, cut);
      head[cut] = '\0';
      for (const char *token = g_bytes_get_data (index->vocabulary, NULL);
           *token != '\0' && !(head_found && tail_found); token += strlen (token) + 1)
        {
          head_found = head_found || strstr (token, head) != NULL;
          tail_found = tail_found || strstr (token, word + cut) != NULL;
        }
      if (head_found && tail_found)
        g_ptr_array_add (f->compound_cuts, GUINT_TO_POINTER (cut));
    }
}

static void
forgiving_clear (Forgiving *f)
{
  g_clear_pointer (&f->meanings, g_ptr_array_unref);
  g_clear_pointer (&f->compound_cuts, g_ptr_array_unref);
}

static gboolean
forgiven_in (const Forgiving *f,
             const char      *expanded,
             const char      *stripped)
{
  for (guint m = 0; m < f->meanings->len; m++)
    if (strstr (expanded, f->meanings->pdata[m]) != NULL || strstr (stripped, f->meanings->pdata[m]) != NULL)
      return TRUE;
  for (guint c = 0; c < f->compound_cuts->len; c++)
    {
      guint cut = GPOINTER_TO_UINT (f->compound_cuts->pdata[c]);
      char head[MAX_TOKEN + 1];

      memcpy (head, f->word, cut);
      head[cut] = '\0';
      if (strstr (expanded, head) != NULL && strstr (expanded, f->word + cut) != NULL)
        return TRUE;
    }
  return FALSE;
}

/* 0 when a word is not found, else the score.  @forgiving is NULL for the
 * exact pass, else one entry per word. */
static guint
score (KioskService    *service,
       char           **words,
       const Forgiving *forgiving)
{
  guint total = 1;

  for (guint w = 0; words[w] != NULL; w++)
    {
      if (words[w][0] == '\0')
        continue;
      if (strstr (service->search_expanded, words[w]) != NULL || strstr (service->search_stripped, words[w]) != NULL)
        total += EXACT_SCORE;
      else if (forgiving != NULL && forgiven_in (&forgiving[w], service->search_expanded, service->search_stripped))
        total += FORGIVEN_SCORE;
      else
        return 0;
    }
  return total;
}

/* Best first; equal scores in catalogue order (g_array_sort is not stable). */
static int
compare_hits (gconstpointer a,
              gconstpointer b)
{
  const KioskSearchHit *x = a, *y = b;

  if (x->score != y->score)
    return x->score > y->score ? -1 : 1;
  return x->index < y->index ? -1 : x->index > y->index;
}

/**
 * _kiosk_search_index_new:
 * @items: the enabled services
 * @vocabulary: (nullable): their vocabulary, as
 *   _kiosk_search_vocabulary_build() gives it (or of more services); %NULL
 *   to build it when needed
 */
KioskSearchIndex *
_kiosk_search_index_new (GPtrArray *items,
                         GBytes    *vocabulary)
{
  KioskSearchIndex *index = g_new0 (KioskSearchIndex, 1);

  index->items = g_ptr_array_ref (items);
  index->vocabulary = vocabulary != NULL ? g_bytes_ref (vocabulary) : NULL;
  return index;
}

void
_kiosk_search_index_free (KioskSearchIndex *index)
{
  if (index == NULL)
    return;
  g_ptr_array_unref (index->items);
  g_clear_pointer (&index->vocabulary, g_bytes_unref);
  g_free (index->last_query);
  g_clear_pointer (&index->last_hits, g_array_unref);
  g_free (index);
}

/**
 * _kiosk_search_index_run:
 * @folded: the query, folded with _kiosk_fold (…, TRUE)
 *
 * Returns: (transfer full): KioskSearchHit, best first
 */
GArray *
_kiosk_search_index_run (KioskSearchIndex *index,
                         const char       *folded)
{
  g_auto(GStrv) words = g_strsplit_set (folded, WORD_SEPARATORS, -1);
  GArray *hits = g_array_new (FALSE, FALSE, sizeof (KioskSearchHit));
  gboolean narrowing = index->last_hits != NULL && index->last_query != NULL &&
                       g_str_has_prefix (folded, index->last_query);
  guint n = narrowing ? index->last_hits->len : index->items->len;
  guint n_words = g_strv_length (words);
  Forgiving *forgiving;

  /* Exactly: after the previous query's finds only, when it only grew. */
  for (guint i = 0; i < n; i++)
    {
      guint item = narrowing ? g_array_index (index->last_hits, KioskSearchHit, i).index : i;
      KioskSearchHit hit = { item, score (index->items->pdata[item], words, NULL) };

      if (hit.score > 0)
        g_array_append_val (hits, hit);
    }
  g_clear_pointer (&index->last_hits, g_array_unref);
  g_free (index->last_query);
  index->last_query = NULL;
  if (hits->len > 0)
    {
      index->last_hits = g_array_copy (hits);
      index->last_query = g_strdup (folded);
      g_array_sort (hits, compare_hits);
      return hits;
    }

  /* Forgivingly, over every service. */
  _kiosk_search_index_prepare (index);
  forgiving = g_new0 (Forgiving, n_words + 1);
  for (guint w = 0; w < n_words; w++)
    forgiving_init (index, &forgiving[w], words[w]);
  for (guint i = 0; i < index->items->len; i++)
    {
      KioskSearchHit hit = { i, score (index->items->pdata[i], words, forgiving) };

      if (hit.score > 0)
        g_array_append_val (hits, hit);
    }
  for (guint w = 0; w < n_words; w++)
    forgiving_clear (&forgiving[w]);
  g_free (forgiving);
  g_array_sort (hits, compare_hits);
  return hits;
}

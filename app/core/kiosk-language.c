/* kiosk-language.c
 *
 * SPDX-FileCopyrightText: 2026 Stadtkiosk contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "kiosk-language"

#include "config.h"

#include "kiosk-language.h"

#include <libintl.h>
#include <string.h>

/* The one table of the languages a citizen can choose, and a translation
 * lookup that follows the session's language instead of the process's.
 *
 * Why not gettext with setlocale/uselocale: the kiosk runs under
 * LANG=C.UTF-8 (systemd), glibc honours $LANGUAGE over the locale for
 * every thread at once, GLib's g_dgettext() decides once per process
 * whether to translate at all, and "ls" (Leichte Sprache) has no glibc
 * locale.  So the core reads the compiled catalogues (the same .mo files
 * gettext uses, from the directory bound with bindtextdomain()) itself:
 * a lookup depends only on the language asked for.  The GUI still points
 * gettext at the session language for GTK and the .ui templates. */

typedef guint (*PluralFunc) (gulong n);

static guint plural_germanic (gulong n) { return n != 1; }

static guint
plural_slavic (gulong n)
{
  return n % 10 == 1 && n % 100 != 11 ? 0
       : n % 10 >= 2 && n % 10 <= 4 && (n % 100 < 10 || n % 100 >= 20) ? 1 : 2;
}

static guint
plural_polish (gulong n)
{
  return n == 1 ? 0 : n % 10 >= 2 && n % 10 <= 4 && (n % 100 < 10 || n % 100 >= 20) ? 1 : 2;
}

static guint
plural_arabic (gulong n)
{
  return n == 0 ? 0 : n == 1 ? 1 : n == 2 ? 2
       : n % 100 >= 3 && n % 100 <= 10 ? 3 : n % 100 >= 11 ? 4 : 5;
}

typedef struct
{
  const char *code;          /* what [kiosk] languages, catalogues and --locale use */
  const char *native_name;   /* offered by its own name: people look for a word they can read */
  const char *locale;        /* a glibc locale for GTK's own strings, dates in GTK */
  const char *gettext;       /* $LANGUAGE for gettext: the catalogues in order */
  const char *speech;        /* the speech synthesiser's language */
  gboolean    rtl;
  PluralFunc  plural;
  const char *decimal;       /* the decimal mark in numbers shown to people */
} LanguageInfo;

static const LanguageInfo languages[] = {
  { "de", "Deutsch",        "de_DE.UTF-8", "de",    "de", FALSE, plural_germanic, "," },
  { "en", "English",        "en_US.UTF-8", "en",    "en", FALSE, plural_germanic, "." },
  { "ar", "العربية",        "ar_EG.UTF-8", "ar",    "ar", TRUE,  plural_arabic, "." },
  { "tr", "Türkçe",         "tr_TR.UTF-8", "tr",    "tr", FALSE, plural_germanic, "," },
  { "uk", "Українська",     "uk_UA.UTF-8", "uk",    "uk", FALSE, plural_slavic, "," },
  { "ru", "Русский",        "ru_RU.UTF-8", "ru",    "ru", FALSE, plural_slavic, "," },
  { "pl", "Polski",         "pl_PL.UTF-8", "pl",    "pl", FALSE, plural_polish, "," },
  /* Leichte Sprache: easy-to-read German.  glibc has no such locale, so
   * GTK's own strings and dates are German; our texts come from ls.mo,
   * and anything it lacks from de.mo rather than from English. */
  { "ls", "Leichte Sprache", "de_DE.UTF-8", "ls:de", "de", FALSE, plural_germanic, "," },
};

static const char * const supported[] = { "de", "en", "ar", "tr", "uk", "ru", "pl", "ls", NULL };

static const LanguageInfo *
lookup (const char *code)
{
  if (code == NULL)
    return NULL;
  for (guint i = 0; i < G_N_ELEMENTS (languages); i++)
    if (g_str_equal (languages[i].code, code))
      return &languages[i];
  return NULL;
}

/**
 * kiosk_language_get_supported:
 *
 * Returns: (transfer none): the codes of every language the kiosk offers
 */
const char * const *
kiosk_language_get_supported (void)
{
  return supported;
}

gboolean
kiosk_language_is_supported (const char *code)
{
  return lookup (code) != NULL;
}

/**
 * kiosk_language_from_locale:
 * @locale: (nullable): a language code or locale name, e.g. "tr",
 *   "de_DE.UTF-8", "pl-PL"
 *
 * Returns: (nullable): the supported language @locale names, or %NULL
 */
const char *
kiosk_language_from_locale (const char *locale)
{
  char lang[4] = { 0 };
  gsize n;
  const LanguageInfo *info;

  if (locale == NULL)
    return NULL;
  n = strcspn (locale, "_-.@");
  if (n < 2 || n > 3)
    return NULL;
  memcpy (lang, locale, n);
  info = lookup (lang);
  return info != NULL ? info->code : NULL;
}

/**
 * kiosk_language_get_native_name:
 * @code: a language code
 *
 * Returns: the language's name in itself ("Türkçe"), or @code if unknown
 */
const char *
kiosk_language_get_native_name (const char *code)
{
  const LanguageInfo *info = lookup (code);

  return info != NULL ? info->native_name : code;
}

/**
 * kiosk_language_get_locale:
 *
 * Returns: (nullable): the glibc locale for @code ("ls" gives German's)
 */
const char *
kiosk_language_get_locale (const char *code)
{
  const LanguageInfo *info = lookup (code);

  return info != NULL ? info->locale : NULL;
}

/**
 * kiosk_language_get_gettext_languages:
 *
 * Returns: (nullable): the value for $LANGUAGE that makes gettext use
 *   @code's catalogues ("ls:de" for Leichte Sprache)
 */
const char *
kiosk_language_get_gettext_languages (const char *code)
{
  const LanguageInfo *info = lookup (code);

  return info != NULL ? info->gettext : NULL;
}

/**
 * kiosk_language_get_speech_language:
 *
 * Returns: (nullable): the language a speech synthesiser speaks @code in
 */
const char *
kiosk_language_get_speech_language (const char *code)
{
  const LanguageInfo *info = lookup (code);

  return info != NULL ? info->speech : NULL;
}

gboolean
kiosk_language_is_rtl (const char *code)
{
  const LanguageInfo *info = lookup (code);

  return info != NULL && info->rtl;
}

/* The session language: the process's (one kiosk, one citizen at a time),
 * and a per-thread override for code that works for another language
 * than the session's, such as a receipt reprinted at the counter. */
static const char *current;                 /* interned */
static _Thread_local const char *thread_current;

/**
 * kiosk_language_set_current:
 * @code: (nullable): the session language, or %NULL for none
 *
 * Sets the language the core's messages are in when no language is
 * passed: validation, dates, yes/no, alerts, the clerk's status lines.
 */
void
kiosk_language_set_current (const char *code)
{
  g_atomic_pointer_set (&current, code != NULL ? g_intern_string (code) : NULL);
}

const char *
kiosk_language_get_current (void)
{
  if (thread_current != NULL)
    return thread_current;
  return g_atomic_pointer_get (&current);
}

/**
 * kiosk_language_push_thread:
 * @code: (nullable): the language for this thread's lookups until the
 *   matching pop; %NULL keeps the one in force
 *
 * Returns: (nullable): what to hand to kiosk_language_pop_thread()
 */
const char *
kiosk_language_push_thread (const char *code)
{
  const char *previous = thread_current;

  if (code != NULL)
    thread_current = g_intern_string (code);
  return previous;
}

void
kiosk_language_pop_thread (const char *previous)
{
  thread_current = previous;
}

/* A compiled message catalogue (GNU .mo), read once and kept for the
 * life of the process: msgid (with "context\004" in front where there is
 * one) -> the translation, plural forms separated by NUL. */
typedef struct
{
  GBytes     *bytes;
  GHashTable *messages;    /* const char * -> Translation *, both into bytes */
} Catalogue;

typedef struct
{
  const char *text;
  gsize       len;         /* all forms, without the final NUL */
} Translation;

static GMutex catalogues_lock;
static GHashTable *catalogues;   /* path -> Catalogue * (NULL: none there) */

static guint32
read_u32 (const guint8 *data,
          gsize         offset,
          gboolean      swap)
{
  guint32 v;

  memcpy (&v, data + offset, 4);
  return swap ? GUINT32_SWAP_LE_BE (v) : v;
}

/* Reads a .mo file defensively: a damaged catalogue gives no translations
 * (the texts stay in the fallback language), never a crash. */
static Catalogue *
catalogue_load (const char *path)
{
  g_autofree char *contents = NULL;
  gsize size = 0;
  const guint8 *data;
  guint32 magic, n, originals, translations;
  gboolean swap;
  Catalogue *catalogue;

  if (!g_file_get_contents (path, &contents, &size, NULL) || size < 20)
    return NULL;
  data = (const guint8 *) contents;
  memcpy (&magic, data, 4);
  if (magic == 0x950412de)
    swap = FALSE;
  else if (magic == 0xde120495)
    swap = TRUE;
  else
    return NULL;
  n = read_u32 (data, 8, swap);
  originals = read_u32 (data, 12, swap);
  translations = read_u32 (data, 16, swap);
  if (n > size / 16 || originals > size || translations > size
      || (gsize) n * 8 > size - originals || (gsize) n * 8 > size - translations)
    return NULL;

  catalogue = g_new0 (Catalogue, 1);
  catalogue->messages = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);
  for (guint32 i = 0; i < n; i++)
    {
      guint32 olen = read_u32 (data, originals + 8 * i, swap);
      guint32 ooff = read_u32 (data, originals + 8 * i + 4, swap);
      guint32 tlen = read_u32 (data, translations + 8 * i, swap);
      guint32 toff = read_u32 (data, translations + 8 * i + 4, swap);
      Translation *t;

      if (ooff >= size || olen >= size - ooff || data[ooff + olen] != '\0'
          || toff >= size || tlen >= size - toff || data[toff + tlen] != '\0')
        continue;
      if (olen == 0 || tlen == 0)   /* the header, or an empty translation */
        continue;
      t = g_new (Translation, 1);
      t->text = (const char *) data + toff;
      t->len = tlen;
      g_hash_table_replace (catalogue->messages, (gpointer) (data + ooff), t);
    }
  catalogue->bytes = g_bytes_new_take (g_steal_pointer (&contents), size);
  return catalogue;
}

static Catalogue *
catalogue_for (const char *gettext_code)
{
  const char *dir = bindtextdomain (GETTEXT_PACKAGE, NULL);
  g_autofree char *path = NULL;
  Catalogue *catalogue;

  if (dir == NULL)
    return NULL;
  path = g_build_filename (dir, gettext_code, "LC_MESSAGES", GETTEXT_PACKAGE ".mo", NULL);

  g_mutex_lock (&catalogues_lock);
  if (catalogues == NULL)
    catalogues = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  if (!g_hash_table_lookup_extended (catalogues, path, NULL, (gpointer *) &catalogue))
    {
      catalogue = catalogue_load (path);
      g_hash_table_insert (catalogues, g_strdup (path), catalogue);
    }
  g_mutex_unlock (&catalogues_lock);
  return catalogue;
}

/* Finds @key in the catalogues of @code's chain ("ls" then "de"). */
static const Translation *
find (const LanguageInfo *info,
      const char         *key)
{
  g_auto(GStrv) chain = g_strsplit (info->gettext, ":", -1);

  for (guint i = 0; chain[i] != NULL; i++)
    {
      Catalogue *catalogue = catalogue_for (chain[i]);
      const Translation *t;

      if (catalogue == NULL)
        continue;
      t = g_hash_table_lookup (catalogue->messages, key);
      if (t != NULL)
        return t;
    }
  return NULL;
}

static const LanguageInfo *
resolve (const char *code)
{
  const char *lang = kiosk_language_from_locale (code != NULL ? code : kiosk_language_get_current ());

  return lookup (lang);
}

/**
 * kiosk_language_gettext:
 * @code: (nullable): a language code or locale; %NULL for the current one
 * @msgid: the English source text
 *
 * Translates @msgid into @code's language from the compiled catalogues,
 * whatever the process locale and $LANGUAGE say.  Without a language
 * (none passed, none current) it asks gettext as the process would.
 *
 * Returns: (transfer none): the translation, or @msgid
 */
const char *
kiosk_language_gettext (const char *code,
                        const char *msgid)
{
  const LanguageInfo *info;
  const Translation *t;

  g_return_val_if_fail (msgid != NULL, NULL);

  if (code == NULL && kiosk_language_get_current () == NULL)
    return dgettext (GETTEXT_PACKAGE, msgid);
  info = resolve (code);
  if (info == NULL || *msgid == '\0')
    return msgid;
  t = find (info, msgid);
  return t != NULL ? t->text : msgid;
}

/**
 * kiosk_language_pgettext:
 * @context: the msgctxt, as for C_()
 *
 * Like kiosk_language_gettext() for a message with a context.
 */
const char *
kiosk_language_pgettext (const char *code,
                         const char *context,
                         const char *msgid)
{
  g_autofree char *key = NULL;
  const LanguageInfo *info;
  const Translation *t;

  g_return_val_if_fail (context != NULL, NULL);
  g_return_val_if_fail (msgid != NULL, NULL);

  if (code == NULL && kiosk_language_get_current () == NULL)
    return g_dpgettext2 (GETTEXT_PACKAGE, context, msgid);
  info = resolve (code);
  if (info == NULL)
    return msgid;
  key = g_strconcat (context, "\004", msgid, NULL);
  t = find (info, key);
  return t != NULL ? t->text : msgid;
}

/**
 * kiosk_language_ngettext:
 * @n: the number the message is about
 *
 * Like kiosk_language_gettext() with the plural form for @n by the
 * language's rule.
 */
const char *
kiosk_language_ngettext (const char *code,
                         const char *msgid,
                         const char *msgid_plural,
                         gulong      n)
{
  const LanguageInfo *info;
  const Translation *t;
  const char *form;
  guint index;

  g_return_val_if_fail (msgid != NULL, NULL);
  g_return_val_if_fail (msgid_plural != NULL, NULL);

  if (code == NULL && kiosk_language_get_current () == NULL)
    return dngettext (GETTEXT_PACKAGE, msgid, msgid_plural, n);
  info = resolve (code);
  t = info != NULL ? find (info, msgid) : NULL;
  if (t == NULL)
    return n == 1 ? msgid : msgid_plural;

  /* Forms beyond those the catalogue has fall back to its last one. */
  index = info->plural (n);
  form = t->text;
  for (guint i = 0; i < index; i++)
    {
      const char *next = form + strlen (form) + 1;

      if (next > t->text + t->len)
        break;
      form = next;
    }
  return form;
}

/**
 * kiosk_language_format_number:
 * @code: (nullable): a language code or locale; %NULL for the current one
 *
 * Returns: (transfer full): @value as people of @code's language write it
 *   ("2,5" in German), whatever the process locale
 */
char *
kiosk_language_format_number (const char *code,
                              double      value)
{
  const LanguageInfo *info = resolve (code);
  char buf[G_ASCII_DTOSTR_BUF_SIZE];
  GString *out;

  g_ascii_formatd (buf, sizeof buf, "%.15g", value);
  if (info == NULL || g_str_equal (info->decimal, "."))
    return g_strdup (buf);
  out = g_string_new (buf);
  g_string_replace (out, ".", info->decimal, 1);
  return g_string_free (out, FALSE);
}

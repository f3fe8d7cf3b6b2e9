/* kiosk-service.c: a catalogue service, its steps and categories
 *
 * SPDX-FileCopyrightText: 2026 Stadtkiosk contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "kiosk-catalog"

#include "config.h"

#include "kiosk-service.h"

#include <stdio.h>
#include <string.h>

#include "kiosk-catalog-private.h"

G_DEFINE_FINAL_TYPE (KioskCategory, kiosk_category, G_TYPE_OBJECT)
G_DEFINE_FINAL_TYPE (KioskStep, kiosk_step, G_TYPE_OBJECT)
G_DEFINE_FINAL_TYPE (KioskService, kiosk_service, G_TYPE_OBJECT)

/* Copies @entries and their strings into one block, codes with '_'. */
KioskText *
_kiosk_text_new (const KioskTextEntry *entries,
                 guint                 n_entries)
{
  gsize size = sizeof (KioskText) + n_entries * sizeof (((KioskText *) NULL)->entries[0]);
  KioskText *texts;
  char *strings;

  for (guint i = 0; i < n_entries; i++)
    size += strlen (entries[i].lang) + 1 + strlen (entries[i].text) + 1;
  /* Catalogue texts are far smaller (kiosk_catalog_new_from_bytes() reads
   * at most a few hundred MB); a block must be able to say its size. */
  g_assert (size <= G_MAXUINT32);
  texts = g_malloc (size);
  texts->size = (guint32) size;
  texts->n_entries = n_entries;
  strings = (char *) &texts->entries[n_entries];
  for (guint i = 0; i < n_entries; i++)
    {
      texts->entries[i].lang = (guint32) (strings - (char *) texts);
      strings = g_stpcpy (strings, entries[i].lang) + 1;
      g_strdelimit ((char *) texts + texts->entries[i].lang, "-", '_');
      texts->entries[i].text = (guint32) (strings - (char *) texts);
      strings = g_stpcpy (strings, entries[i].text) + 1;
    }
  return texts;
}

static gconstpointer
text_get (gconstpointer  texts,
          const char    *lang)
{
  const KioskText *t = texts;

  for (guint i = 0; i < t->n_entries; i++)
    if (strcmp (_kiosk_text_get_lang (t, i), lang) == 0)
      return _kiosk_text_get_string (t, i);
  return NULL;
}

static gconstpointer
keywords_get (gconstpointer  keywords,
              const char    *lang)
{
  return g_hash_table_lookup ((GHashTable *) keywords, lang);
}

/* Fallback order: the locale as given (e.g. "pt_BR"), its language ("pt"),
 * German, English.  Locale names may carry an encoding or modifier
 * ("uk_UA.UTF-8", "sr@latin") and use '-' or '_'. */
static gconstpointer
locale_lookup (gconstpointer   by_lang,
               gconstpointer (*get) (gconstpointer by_lang, const char *lang),
               const char     *locale)
{
  gconstpointer found;

  if (by_lang == NULL)
    return NULL;

  if (locale != NULL && *locale != '\0')
    {
      char lang[32];
      gsize n = strcspn (locale, ".@");

      if (n < sizeof lang)
        {
          memcpy (lang, locale, n);
          lang[n] = '\0';
          for (char *p = lang; *p; p++)
            if (*p == '-')
              *p = '_';
          if ((found = get (by_lang, lang)) != NULL)
            return found;
          lang[strcspn (lang, "_")] = '\0';
          if ((found = get (by_lang, lang)) != NULL)
            return found;
        }
    }
  if ((found = get (by_lang, "de")) != NULL)
    return found;
  return get (by_lang, "en");
}

const char *
_kiosk_text_lookup (const KioskText *texts,
                    const char      *locale)
{
  return locale_lookup (texts, text_get, locale);
}

/* @nfd without its combining marks; with @expand_umlauts, a diaeresis on
 * a, o or u becomes an 'e' after it. */
static char *
strip_marks (const char *nfd,
             gboolean    expand_umlauts)
{
  GString *out = g_string_sized_new (strlen (nfd));
  gsize len;

  for (const char *p = nfd; *p; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_ismark (c))
        {
          if (c == 0x0308 && expand_umlauts && out->len > 0 &&
              strchr ("aou", out->str[out->len - 1]) != NULL)
            g_string_append_c (out, 'e');
          continue;
        }
      g_string_append_unichar (out, c);
    }
  /* Kept for as long as the catalogue, two per service: without the
   * GString's spare room (up to twice the length; 2.4 MB at 6,000). */
  len = out->len;
  return g_realloc (g_string_free (out, FALSE), len + 1);
}

/* Folds @text for search: case-folded, accents removed.  With
 * @expand_umlauts, ä ö ü become ae oe ue (the German way of typing them
 * without the keys), otherwise a o u; ß becomes ss either way. */
char *
_kiosk_fold (const char *text,
             gboolean    expand_umlauts)
{
  g_autofree char *folded = g_utf8_casefold (text, -1);
  g_autofree char *nfd = g_utf8_normalize (folded, -1, G_NORMALIZE_NFD);

  return strip_marks (nfd, expand_umlauts);
}

/* Both folds of @text at once: ü -> ue and ü -> u. */
void
_kiosk_fold_both (const char  *text,
                  char       **out_expanded,
                  char       **out_stripped)
{
  g_autofree char *folded = g_utf8_casefold (text, -1);
  g_autofree char *nfd = g_utf8_normalize (folded, -1, G_NORMALIZE_NFD);

  *out_expanded = strip_marks (nfd, TRUE);
  *out_stripped = strip_marks (nfd, FALSE);
}

gboolean
_kiosk_date_parse (const char *text,
                   GDate      *out_date)
{
  guint y, m, d;
  int n = 0;

  if (text == NULL || strlen (text) != 10 ||
      sscanf (text, "%4u-%2u-%2u%n", &y, &m, &d, &n) != 3 || n != 10 ||
      text[4] != '-' || text[7] != '-' ||
      !g_ascii_isdigit (text[0]) || !g_ascii_isdigit (text[5]) || !g_ascii_isdigit (text[8]) ||
      !g_date_valid_dmy (d, m, y))
    return FALSE;
  g_date_clear (out_date, 1);
  g_date_set_dmy (out_date, d, m, y);
  return TRUE;
}

/* A date spec: "today", "+Nd", "-Nw", "+Nm", "+Ny" (relative to @today),
 * or a fixed "YYYY-MM-DD".  @today may be NULL to only check the syntax. */
gboolean
_kiosk_date_spec_resolve (const char *spec,
                          GDate      *today,
                          GDate      *out_date)
{
  GDate tmp;
  char *end = NULL;
  gint64 n;

  if (out_date == NULL)
    out_date = &tmp;

  if (spec == NULL)
    return FALSE;
  if (g_str_equal (spec, "today"))
    {
      if (today != NULL)
        *out_date = *today;
      return TRUE;
    }
  if (spec[0] == '+' || spec[0] == '-')
    {
      if (!g_ascii_isdigit (spec[1]))
        return FALSE;
      n = g_ascii_strtoll (spec + 1, &end, 10);
      if (end == NULL || end[0] == '\0' || end[1] != '\0' || n > 36500 || strchr ("dwmy", end[0]) == NULL)
        return FALSE;
      if (today == NULL)
        return TRUE;
      *out_date = *today;
      switch (end[0])
        {
        case 'w':
          n *= 7;
          G_GNUC_FALLTHROUGH;
        case 'd':
          if (spec[0] == '+')
            g_date_add_days (out_date, n);
          else
            g_date_subtract_days (out_date, n);
          break;
        case 'm':
          if (spec[0] == '+')
            g_date_add_months (out_date, n);
          else
            g_date_subtract_months (out_date, n);
          break;
        case 'y':
        default:
          if (spec[0] == '+')
            g_date_add_years (out_date, n);
          else
            g_date_subtract_years (out_date, n);
          break;
        }
      return TRUE;
    }
  return _kiosk_date_parse (spec, out_date);
}

/* KioskCategory */

static void
kiosk_category_finalize (GObject *object)
{
  KioskCategory *self = (KioskCategory *)object;

  g_free (self->id);
  g_free (self->icon);
  g_clear_pointer (&self->title, g_free);
  G_OBJECT_CLASS (kiosk_category_parent_class)->finalize (object);
}

static void
kiosk_category_class_init (KioskCategoryClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = kiosk_category_finalize;
}

static void
kiosk_category_init (KioskCategory *self)
{
}

KioskCategory *
_kiosk_category_new (void)
{
  return g_object_new (KIOSK_TYPE_CATEGORY, NULL);
}

const char *
kiosk_category_get_id (KioskCategory *self)
{
  g_return_val_if_fail (KIOSK_IS_CATEGORY (self), NULL);
  return self->id;
}

const char *
kiosk_category_get_icon (KioskCategory *self)
{
  g_return_val_if_fail (KIOSK_IS_CATEGORY (self), NULL);
  return self->icon;
}

const char *
kiosk_category_get_title (KioskCategory *self,
                          const char    *locale)
{
  g_return_val_if_fail (KIOSK_IS_CATEGORY (self), NULL);
  return _kiosk_text_lookup (self->title, locale);
}

/* KioskStep */

static void
kiosk_step_finalize (GObject *object)
{
  KioskStep *self = (KioskStep *)object;

  g_clear_pointer (&self->title, g_free);
  g_clear_pointer (&self->fields, g_ptr_array_unref);
  G_OBJECT_CLASS (kiosk_step_parent_class)->finalize (object);
}

static void
kiosk_step_class_init (KioskStepClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = kiosk_step_finalize;
}

static void
kiosk_step_init (KioskStep *self)
{
  self->fields = g_ptr_array_new_with_free_func (g_object_unref);
}

KioskStep *
_kiosk_step_new (void)
{
  return g_object_new (KIOSK_TYPE_STEP, NULL);
}

const char *
kiosk_step_get_title (KioskStep  *self,
                      const char *locale)
{
  g_return_val_if_fail (KIOSK_IS_STEP (self), NULL);
  return _kiosk_text_lookup (self->title, locale);
}

/**
 * kiosk_step_get_fields:
 *
 * Returns: (transfer none) (element-type KioskField): the step's fields in order
 */
GPtrArray *
kiosk_step_get_fields (KioskStep *self)
{
  g_return_val_if_fail (KIOSK_IS_STEP (self), NULL);
  return self->fields;
}

/* KioskService */

const char *
kiosk_offline_mode_to_string (KioskOfflineMode mode)
{
  switch (mode)
    {
    case KIOSK_OFFLINE_QUEUE:
      return "queue";
    case KIOSK_OFFLINE_PRINT:
      return "print";
    case KIOSK_OFFLINE_REFER:
      return "refer";
    default:
      return NULL;
    }
}

/**
 * kiosk_target_kind_to_string:
 *
 * Returns: the word the catalogue and `[kiosk] default-target` use:
 *   "submission", "open311" or "couchdb"
 */
const char *
kiosk_target_kind_to_string (KioskTargetKind kind)
{
  switch (kind)
    {
    case KIOSK_TARGET_SUBMISSION:
      return "submission";
    case KIOSK_TARGET_OPEN311:
      return "open311";
    case KIOSK_TARGET_COUCHDB:
      return "couchdb";
    case KIOSK_TARGET_N_KINDS:
    default:
      return NULL;
    }
}

gboolean
kiosk_target_kind_from_string (const char      *text,
                               KioskTargetKind *out_kind)
{
  g_return_val_if_fail (out_kind != NULL, FALSE);

  for (guint i = 0; i < KIOSK_TARGET_N_KINDS; i++)
    if (g_strcmp0 (text, kiosk_target_kind_to_string (i)) == 0)
      {
        *out_kind = i;
        return TRUE;
      }
  return FALSE;
}

static void
kiosk_service_finalize (GObject *object)
{
  KioskService *self = (KioskService *)object;

  g_free (self->id);
  if (!self->texts_mapped)
    {
      g_free (self->title);
      g_free (self->summary);
      g_free (self->search_expanded);
      g_free (self->search_stripped);
    }
  g_clear_pointer (&self->help, g_free);
  g_clear_pointer (&self->next_steps, g_free);
  g_clear_pointer (&self->office_hours, g_free);
  g_clear_pointer (&self->keywords, g_hash_table_unref);
  g_free (self->icon);
  g_free (self->category_id);
  g_free (self->refer_url);
  g_free (self->open311_code);
  g_clear_pointer (&self->open311_attributes, g_hash_table_unref);
  g_clear_pointer (&self->open311_roles, g_hash_table_unref);
  g_clear_pointer (&self->fields_by_id, g_hash_table_unref);
  g_clear_pointer (&self->fields, g_ptr_array_unref);
  g_clear_pointer (&self->steps, g_ptr_array_unref);
  /* after the mapped texts: the source holds their mapping */
  g_clear_pointer (&self->form_source, _kiosk_form_source_unref);
  G_OBJECT_CLASS (kiosk_service_parent_class)->finalize (object);
}

static void
kiosk_service_class_init (KioskServiceClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = kiosk_service_finalize;
}

static void
kiosk_service_init (KioskService *self)
{
  self->steps = g_ptr_array_new_with_free_func (g_object_unref);
  self->fields = g_ptr_array_new_with_free_func (g_object_unref);
  self->fields_by_id = g_hash_table_new (g_str_hash, g_str_equal);
  self->keywords = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) g_strfreev);
  self->enabled = TRUE;
  self->receipt_shows_answers = TRUE;
}

KioskService *
_kiosk_service_new (void)
{
  return g_object_new (KIOSK_TYPE_SERVICE, NULL);
}

void
_kiosk_service_set_enabled (KioskService *self,
                            gboolean      enabled)
{
  self->enabled = !!enabled;
}

/* The form of a catalogue with forms on demand: read again from the
 * catalogue's text on first use, under the source's lock, so that two
 * threads (the window, the Open311 delivery) read it once.
 *
 * Returns: %FALSE with @error set if it could not be read (said once in
 *   the log); the service then has no steps and no fields */
gboolean
_kiosk_service_ensure_form (KioskService  *self,
                            GError       **error)
{
  GMutex *lock;

  if (g_atomic_pointer_get (&self->steps) == NULL)
    {
      lock = _kiosk_form_source_get_lock (self->form_source);
      g_mutex_lock (lock);
      if (self->steps == NULL)
        {
          g_autoptr(GError) local_error = NULL;
          g_autofree char *text = _kiosk_form_source_read (self->form_source, self->text_offset,
                                                           self->text_length, &local_error);

          if (text == NULL ||
              !_kiosk_catalog_parse_form (self, text, self->text_length,
                                          _kiosk_form_source_get_name (self->form_source), &local_error))
            {
              g_warning ("%s", local_error->message);
              self->form_failed = TRUE;
              self->fields = g_ptr_array_new_with_free_func (g_object_unref);
              self->fields_by_id = g_hash_table_new (g_str_hash, g_str_equal);
              g_atomic_pointer_set (&self->steps, g_ptr_array_new_with_free_func (g_object_unref));
            }
        }
      g_mutex_unlock (lock);
    }
  if (self->form_failed)
    {
      g_set_error (error, KIOSK_CATALOG_ERROR, KIOSK_CATALOG_ERROR_FAILED,
                   "the form of service \"%s\" could not be read from the stored catalogue", self->id);
      return FALSE;
    }
  return TRUE;
}

static inline void
ensure_form (KioskService *self)
{
  if (G_UNLIKELY (g_atomic_pointer_get (&self->steps) == NULL))
    _kiosk_service_ensure_form (self, NULL);
}

const char *
kiosk_service_get_id (KioskService *self)
{
  g_return_val_if_fail (KIOSK_IS_SERVICE (self), NULL);
  return self->id;
}

guint
kiosk_service_get_version (KioskService *self)
{
  g_return_val_if_fail (KIOSK_IS_SERVICE (self), 0);
  return self->version;
}

const char *
kiosk_service_get_icon (KioskService *self)
{
  g_return_val_if_fail (KIOSK_IS_SERVICE (self), NULL);
  return self->icon;
}

const char *
kiosk_service_get_category_id (KioskService *self)
{
  g_return_val_if_fail (KIOSK_IS_SERVICE (self), NULL);
  return self->category_id;
}

/**
 * kiosk_service_get_title:
 * @locale: (nullable): the citizen's language
 *
 * Returns: the title in @locale, else German (always present), else English
 */
const char *
kiosk_service_get_title (KioskService *self,
                         const char   *locale)
{
  g_return_val_if_fail (KIOSK_IS_SERVICE (self), NULL);
  return _kiosk_text_lookup (self->title, locale);
}

const char *
kiosk_service_get_summary (KioskService *self,
                           const char   *locale)
{
  g_return_val_if_fail (KIOSK_IS_SERVICE (self), NULL);
  return _kiosk_text_lookup (self->summary, locale);
}

/**
 * kiosk_service_get_next_steps:
 *
 * What happens after the request was sent, and when ("Sie erhalten den
 * Termin innerhalb von 2 Wochen per Post"): shown on the done page and
 * printed on the receipt.
 *
 * Returns: (nullable): the text in @locale, or the catalogue's fallback
 */
const char *
kiosk_service_get_next_steps (KioskService *self,
                              const char   *locale)
{
  g_return_val_if_fail (KIOSK_IS_SERVICE (self), NULL);
  ensure_form (self);
  return _kiosk_text_lookup (self->next_steps, locale);
}

/**
 * kiosk_service_get_help:
 *
 * Returns: (nullable): the longer help text
 */
const char *
kiosk_service_get_help (KioskService *self,
                        const char   *locale)
{
  g_return_val_if_fail (KIOSK_IS_SERVICE (self), NULL);
  ensure_form (self);
  return _kiosk_text_lookup (self->help, locale);
}

/**
 * kiosk_service_get_keywords:
 *
 * Returns: (nullable) (transfer none): the keywords in @locale (same fallback as texts)
 */
const char * const *
kiosk_service_get_keywords (KioskService *self,
                            const char   *locale)
{
  g_return_val_if_fail (KIOSK_IS_SERVICE (self), NULL);
  ensure_form (self);
  return locale_lookup (self->keywords, keywords_get, locale);
}

KioskOfflineMode
kiosk_service_get_offline_mode (KioskService *self)
{
  g_return_val_if_fail (KIOSK_IS_SERVICE (self), KIOSK_OFFLINE_QUEUE);
  return self->offline;
}

/**
 * kiosk_service_get_refer_url:
 *
 * Returns: (nullable): where a `refer` service is done online
 */
const char *
kiosk_service_get_refer_url (KioskService *self)
{
  g_return_val_if_fail (KIOSK_IS_SERVICE (self), NULL);
  return self->refer_url;
}

const char *
kiosk_service_get_office_hours (KioskService *self,
                                const char   *locale)
{
  g_return_val_if_fail (KIOSK_IS_SERVICE (self), NULL);
  ensure_form (self);
  return _kiosk_text_lookup (self->office_hours, locale);
}

KioskTargetKind
kiosk_service_get_target_kind (KioskService *self)
{
  g_return_val_if_fail (KIOSK_IS_SERVICE (self), KIOSK_TARGET_SUBMISSION);
  return self->target;
}

/**
 * kiosk_service_has_target:
 *
 * Returns: %TRUE when the catalogue names the service's target; %FALSE when
 *   `[kiosk] default-target` decides (kiosk_service_get_target_kind() then
 *   says %KIOSK_TARGET_SUBMISSION)
 */
gboolean
kiosk_service_has_target (KioskService *self)
{
  g_return_val_if_fail (KIOSK_IS_SERVICE (self), FALSE);
  return self->target_explicit;
}

/**
 * kiosk_service_get_open311_attribute:
 * @field_id: a field of the service
 *
 * Returns: (nullable): the Open311 attribute code the target's
 *   `"attributes"` maps @field_id to, or %NULL when it names none
 */
const char *
kiosk_service_get_open311_attribute (KioskService *self,
                                     const char   *field_id)
{
  g_return_val_if_fail (KIOSK_IS_SERVICE (self), NULL);
  g_return_val_if_fail (field_id != NULL, NULL);

  if (self->open311_attributes == NULL)
    return NULL;
  return g_hash_table_lookup (self->open311_attributes, field_id);
}

/**
 * kiosk_service_get_open311_attributes:
 *
 * Returns: (transfer none) (nullable) (element-type utf8 utf8): the target's
 *   `"attributes"` (field id -> attribute code), %NULL when it has none
 */
GHashTable *
kiosk_service_get_open311_attributes (KioskService *self)
{
  g_return_val_if_fail (KIOSK_IS_SERVICE (self), NULL);
  return self->open311_attributes;
}

/**
 * kiosk_service_get_open311_field:
 * @role: "description", "address", "lat", "long", "email", "first_name",
 *   "last_name" or "phone"
 *
 * Returns: (nullable): the field the Open311 target names for @role, or
 *   %NULL when it names none
 */
const char *
kiosk_service_get_open311_field (KioskService *self,
                                 const char   *role)
{
  g_return_val_if_fail (KIOSK_IS_SERVICE (self), NULL);
  g_return_val_if_fail (role != NULL, NULL);

  if (self->open311_roles == NULL)
    return NULL;
  return g_hash_table_lookup (self->open311_roles, role);
}

/**
 * kiosk_service_get_open311_code:
 *
 * Returns: (nullable): the Open311 service code (always a string) when the
 *   target is %KIOSK_TARGET_OPEN311
 */
const char *
kiosk_service_get_open311_code (KioskService *self)
{
  g_return_val_if_fail (KIOSK_IS_SERVICE (self), NULL);
  return self->open311_code;
}

guint
kiosk_service_get_retention_days (KioskService *self)
{
  g_return_val_if_fail (KIOSK_IS_SERVICE (self), 0);
  return self->retention_days;
}

gboolean
kiosk_service_get_receipt_shows_answers (KioskService *self)
{
  g_return_val_if_fail (KIOSK_IS_SERVICE (self), FALSE);
  return self->receipt_shows_answers;
}

/**
 * kiosk_service_get_enabled:
 *
 * Returns: %FALSE when an admin disabled the service on this kiosk
 */
gboolean
kiosk_service_get_enabled (KioskService *self)
{
  g_return_val_if_fail (KIOSK_IS_SERVICE (self), FALSE);
  return self->enabled;
}

guint
kiosk_service_get_n_steps (KioskService *self)
{
  g_return_val_if_fail (KIOSK_IS_SERVICE (self), 0);
  ensure_form (self);
  return self->steps->len;
}

/**
 * kiosk_service_get_step:
 *
 * Returns: (transfer none): step @i
 */
KioskStep *
kiosk_service_get_step (KioskService *self,
                        guint         i)
{
  g_return_val_if_fail (KIOSK_IS_SERVICE (self), NULL);
  ensure_form (self);
  g_return_val_if_fail (i < self->steps->len, NULL);
  return self->steps->pdata[i];
}

/**
 * kiosk_service_lookup_field:
 *
 * Returns: (transfer none) (nullable): the field with @field_id
 */
KioskField *
kiosk_service_lookup_field (KioskService *self,
                            const char   *field_id)
{
  g_return_val_if_fail (KIOSK_IS_SERVICE (self), NULL);
  ensure_form (self);
  return g_hash_table_lookup (self->fields_by_id, field_id);
}

/**
 * kiosk_service_get_fields:
 *
 * Returns: (transfer none) (element-type KioskField): every field of every step, in order
 */
GPtrArray *
kiosk_service_get_fields (KioskService *self)
{
  g_return_val_if_fail (KIOSK_IS_SERVICE (self), NULL);
  ensure_form (self);
  return self->fields;
}

/* kiosk-info-card.c: the catalogue's "info" section
 *
 * SPDX-FileCopyrightText: 2026 Stadtkiosk contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "kiosk-info"

#include "config.h"

#include "kiosk-info.h"

#include <string.h>

#include "kiosk-catalog-private.h"
#include "kiosk-info-private.h"

struct _KioskInfoCard
{
  gatomicrefcount      ref_count;
  char                *id;
  KioskInfoKind        kind;
  KioskText           *title;
  KioskText           *text;        /* may be NULL */
  char                *icon;
  char                *category;    /* may be NULL */
  KioskInfoSourceType  source_type;
  char                *url;         /* NULL for a ckan card: resolved at each pull */
  char                *ckan_dataset; /* a CKAN dataset id on [info] ckan-url, or NULL */
  char                *items_ptr;   /* json: the array of items, "" = the root */
  char                *title_ptr;   /* json: within one item */
  char                *text_ptr;
  char                *time_ptr;
  char                *value_ptr;
  guint                max_age;     /* json: seconds a live value stays current; 0 = no limit */
};

G_DEFINE_QUARK (kiosk-info-error-quark, kiosk_info_error)

#define MAX_ID_LENGTH 64

static void
add_error (GPtrArray  *errors,
           const char *source,
           const char *ptr,
           const char *format,
           ...) G_GNUC_PRINTF (4, 5);

static void
add_error (GPtrArray  *errors,
           const char *source,
           const char *ptr,
           const char *format,
           ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  g_ptr_array_add (errors, g_strdup_printf ("%s: %s: %s", source, ptr, message));
}

static gboolean
valid_id (const char *id)
{
  gsize len = strlen (id);

  if (len == 0 || len > MAX_ID_LENGTH)
    return FALSE;
  if (!g_ascii_islower (*id) && !g_ascii_isdigit (*id))
    return FALSE;
  for (const char *p = id; *p; p++)
    if (!g_ascii_islower (*p) && !g_ascii_isdigit (*p) && *p != '-' && *p != '_' && *p != '.')
      return FALSE;
  return TRUE;
}

static gboolean
member_allowed (const char         *name,
                const char * const *allowed)
{
  if (g_str_has_prefix (name, "x-"))
    return TRUE;
  return g_strv_contains (allowed, name);
}

static void
check_members (GPtrArray            *errors,
               const char           *source,
               const char           *ptr,
               const KioskJsonValue *object,
               const char * const   *allowed)
{
  for (const KioskJsonValue *m = object->first; m != NULL; m = m->next)
    if (!member_allowed (m->name, allowed))
      {
        g_autofree char *list = g_strjoinv (", ", (char **) allowed);
        g_autofree char *p = g_strconcat (ptr, "/", m->name, NULL);

        add_error (errors, source, p, "unknown member \"%s\" (expected one of: %s)", m->name, list);
      }
}

static char *
read_string (GPtrArray            *errors,
             const char           *source,
             const char           *ptr,
             const KioskJsonValue *object,
             const char           *name,
             gboolean              required,
             const char           *what)
{
  const KioskJsonValue *node = kiosk_json_get_member (object, name);

  if (node == NULL)
    {
      if (required)
        add_error (errors, source, ptr, "\"%s\" missing; expected %s", name, what);
      return NULL;
    }
  if (!kiosk_json_is_string (node) || (*node->string == '\0' && required))
    {
      add_error (errors, source, ptr, "\"%s\": expected %s, found %s", name, what,
                 kiosk_json_is_string (node) ? "an empty string" : kiosk_json_describe (node));
      return NULL;
    }
  return g_strdup (node->string);
}

static KioskText *
read_text (GPtrArray            *errors,
           const char           *source,
           const char           *ptr,
           const KioskJsonValue *object,
           const char           *name,
           gboolean              required)
{
  const KioskJsonValue *node = kiosk_json_get_member (object, name);
  g_autofree KioskTextEntry *entries = NULL;
  guint n = 0;

  if (node == NULL && !required)
    return NULL;
  if (node == NULL || node->type != KIOSK_JSON_OBJECT)
    {
      add_error (errors, source, ptr, "\"%s\": expected texts by language, at least German: {\"de\": \"…\"}, found %s",
                 name, node == NULL ? "nothing" : kiosk_json_describe (node));
      return NULL;
    }
  entries = g_new0 (KioskTextEntry, node->n_children + 1);
  for (const KioskJsonValue *value = node->first; value != NULL; value = value->next)
    {
      if (!kiosk_json_is_string (value) || *value->string == '\0')
        {
          add_error (errors, source, ptr, "\"%s/%s\": expected a non-empty text, found %s", name, value->name,
                     kiosk_json_is_string (value) ? "an empty string" : kiosk_json_describe (value));
          continue;
        }
      entries[n].lang = value->name;
      entries[n].text = value->string;
      n++;
    }
  if (kiosk_json_get_member (node, "de") == NULL)
    add_error (errors, source, ptr, "\"%s\": missing German text (\"de\"); other languages fall back to it", name);
  return _kiosk_text_new (entries, n);
}

static gboolean
valid_pointer (const char *pointer)
{
  return pointer != NULL && (*pointer == '\0' || *pointer == '/');
}

static gboolean
valid_url (const char *url)
{
  g_autoptr(GUri) uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);

  return uri != NULL
         && (g_strcmp0 (g_uri_get_scheme (uri), "http") == 0 || g_strcmp0 (g_uri_get_scheme (uri), "https") == 0)
         && g_uri_get_host (uri) != NULL && *g_uri_get_host (uri) != '\0';
}

static void
read_source (GPtrArray            *errors,
             const char           *source,
             const char           *ptr,
             const KioskJsonValue *object,
             KioskInfoCard        *card)
{
  static const char * const source_members[] = {
    "type", "url", "dataset", "resource", "items", "title", "text", "time", "value", "max_age", NULL
  };
  const KioskJsonValue *node = kiosk_json_get_member (object, "source");
  g_autofree char *sp = g_strconcat (ptr, "/source", NULL);
  g_autofree char *type = NULL;
  const KioskJsonValue *max_age;

  if (node == NULL || node->type != KIOSK_JSON_OBJECT)
    {
      add_error (errors, source, ptr, "\"source\": expected {\"type\": \"ical\"|\"feed\"|\"json\", \"url\": …}, found %s",
                 node == NULL ? "nothing" : kiosk_json_describe (node));
      return;
    }
  check_members (errors, source, sp, node, source_members);
  type = read_string (errors, source, sp, node, "type", TRUE, "\"ical\", \"feed\", \"json\" or \"ckan\"");
  if (g_strcmp0 (type, "ckan") == 0)
    {
      g_autofree char *resource = NULL;

      /* A dataset on the city's CKAN portal: its newest resource of the
       * named kind is fetched and read like that kind of source. */
      card->ckan_dataset = read_string (errors, source, sp, node, "dataset", TRUE, "a CKAN dataset id or name");
      if (card->ckan_dataset != NULL && !valid_id (card->ckan_dataset))
        add_error (errors, source, sp, "\"dataset\": \"%s\" is not a CKAN dataset name; expected lower-case "
                   "letters, digits, '-' or '_'", card->ckan_dataset);
      resource = read_string (errors, source, sp, node, "resource", TRUE, "\"ical\", \"feed\" or \"json\"");
      g_free (type);
      type = g_steal_pointer (&resource);
      if (kiosk_json_get_member (node, "url") != NULL)
        add_error (errors, source, sp, "\"url\": a \"ckan\" source has no URL; the portal is [info] ckan-url");
    }
  else if (kiosk_json_get_member (node, "dataset") != NULL || kiosk_json_get_member (node, "resource") != NULL)
    add_error (errors, source, sp, "\"dataset\" and \"resource\" belong to a \"ckan\" source only");
  if (g_strcmp0 (type, "ical") == 0)
    card->source_type = KIOSK_INFO_SOURCE_ICAL;
  else if (g_strcmp0 (type, "feed") == 0)
    card->source_type = KIOSK_INFO_SOURCE_FEED;
  else if (g_strcmp0 (type, "json") == 0)
    card->source_type = KIOSK_INFO_SOURCE_JSON;
  else if (type != NULL)
    add_error (errors, source, sp, "\"%s\": \"%s\" is not a source type; expected \"ical\", \"feed\" or \"json\"%s",
               card->ckan_dataset != NULL ? "resource" : "type", type,
               card->ckan_dataset != NULL ? "" : " (or \"ckan\")");

  if (card->ckan_dataset == NULL)
    {
      card->url = read_string (errors, source, sp, node, "url", TRUE, "an http:// or https:// URL");
      if (card->url != NULL && !valid_url (card->url))
        add_error (errors, source, sp, "\"url\": \"%s\" is not an http:// or https:// URL", card->url);
    }

  card->items_ptr = read_string (errors, source, sp, node, "items", FALSE, "a JSON pointer");
  card->title_ptr = read_string (errors, source, sp, node, "title", FALSE, "a JSON pointer");
  card->text_ptr = read_string (errors, source, sp, node, "text", FALSE, "a JSON pointer");
  card->time_ptr = read_string (errors, source, sp, node, "time", FALSE, "a JSON pointer");
  card->value_ptr = read_string (errors, source, sp, node, "value", FALSE, "a JSON pointer");
  {
    const char * const names[] = { "items", "title", "text", "time", "value" };
    const char *values[] = { card->items_ptr, card->title_ptr, card->text_ptr, card->time_ptr, card->value_ptr };

    for (guint i = 0; i < G_N_ELEMENTS (names); i++)
      {
        if (values[i] != NULL && card->source_type != KIOSK_INFO_SOURCE_JSON)
          add_error (errors, source, sp, "\"%s\": only a \"json\" source names JSON pointers", names[i]);
        else if (values[i] != NULL && !valid_pointer (values[i]))
          add_error (errors, source, sp, "\"%s\": \"%s\" is not a JSON pointer; expected \"\" or one starting with \"/\"",
                     names[i], values[i]);
      }
  }
  if (card->source_type == KIOSK_INFO_SOURCE_JSON && card->title_ptr == NULL)
    add_error (errors, source, sp, "\"title\" missing; a \"json\" source needs a JSON pointer to each item's title");

  max_age = kiosk_json_get_member (node, "max_age");
  if (max_age != NULL)
    {
      if (max_age->type != KIOSK_JSON_INTEGER || max_age->integer < 1 || max_age->integer > 7 * 24 * 3600)
        add_error (errors, source, sp, "\"max_age\": expected seconds between 1 and 604800, found %s",
                   kiosk_json_describe (max_age));
      else
        card->max_age = (guint) max_age->integer;
    }
}

static KioskInfoCard *
parse_card (GPtrArray            *errors,
            const char           *source,
            const char           *ptr,
            const KioskJsonValue *object)
{
  static const char * const card_members[] = {
    "id", "kind", "title", "text", "icon", "category", "source", NULL
  };
  g_autoptr(KioskInfoCard) card = g_new0 (KioskInfoCard, 1);
  g_autofree char *kind = NULL;
  guint n_errors = errors->len;

  g_atomic_ref_count_init (&card->ref_count);
  if (object->type != KIOSK_JSON_OBJECT)
    {
      add_error (errors, source, ptr, "expected an info card {\"id\": …, \"title\": …, \"source\": …}, found %s",
                 kiosk_json_describe (object));
      return NULL;
    }
  check_members (errors, source, ptr, object, card_members);
  card->id = read_string (errors, source, ptr, object, "id", TRUE, "a card id");
  if (card->id != NULL && !valid_id (card->id))
    add_error (errors, source, ptr, "\"id\": \"%s\" is not a valid id; expected lower-case letters a-z, digits, "
               "'-', '_' or '.', at most %u characters", card->id, MAX_ID_LENGTH);
  kind = read_string (errors, source, ptr, object, "kind", FALSE, "\"list\" or \"waste\"");
  if (kind == NULL || g_str_equal (kind, "list"))
    card->kind = KIOSK_INFO_KIND_LIST;
  else if (g_str_equal (kind, "waste"))
    card->kind = KIOSK_INFO_KIND_WASTE;
  else
    add_error (errors, source, ptr, "\"kind\": \"%s\" is not a card kind; expected \"list\" or \"waste\"", kind);
  card->title = read_text (errors, source, ptr, object, "title", TRUE);
  card->text = read_text (errors, source, ptr, object, "text", FALSE);
  card->icon = read_string (errors, source, ptr, object, "icon", FALSE, "an icon name");
  if (card->icon == NULL)
    card->icon = g_strdup ("dialog-information-symbolic");
  card->category = read_string (errors, source, ptr, object, "category", FALSE, "a category id");
  read_source (errors, source, ptr, object, card);
  if (card->kind == KIOSK_INFO_KIND_WASTE && card->source_type != KIOSK_INFO_SOURCE_ICAL
      && (card->url != NULL || card->ckan_dataset != NULL))
    add_error (errors, source, ptr, "\"kind\": a \"waste\" card reads collection dates from an \"ical\" source");

  if (errors->len > n_errors)
    return NULL;
  return g_steal_pointer (&card);
}

GPtrArray *
_kiosk_info_cards_parse (const KioskJsonValue *info,
                         const char           *source,
                         GPtrArray            *errors)
{
  g_autoptr(GPtrArray) cards = g_ptr_array_new_with_free_func ((GDestroyNotify) kiosk_info_card_unref);
  g_autoptr(GHashTable) ids = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);
  guint i = 0;

  if (info->type != KIOSK_JSON_ARRAY)
    {
      add_error (errors, source, "/info", "expected an array of info cards, found %s", kiosk_json_describe (info));
      return g_steal_pointer (&cards);
    }
  for (const KioskJsonValue *node = info->first; node != NULL; node = node->next, i++)
    {
      g_autofree char *p = g_strdup_printf ("/info/%u", i);
      KioskInfoCard *card = parse_card (errors, source, p, node);
      const char *first;

      if (card == NULL)
        continue;
      first = g_hash_table_lookup (ids, card->id);
      if (first != NULL)
        {
          add_error (errors, source, p, "\"id\": duplicate info card id \"%s\" (already used at %s)", card->id, first);
          kiosk_info_card_unref (card);
          continue;
        }
      g_hash_table_insert (ids, card->id, g_strdup (p));
      g_ptr_array_add (cards, card);
    }
  return g_steal_pointer (&cards);
}

/**
 * kiosk_catalog_get_info_cards:
 * @catalog: a catalogue
 *
 * Returns: (transfer none) (element-type KioskInfoCard): the catalogue's
 *   info cards, in catalogue order; empty when it has none.
 */
GPtrArray *
kiosk_catalog_get_info_cards (KioskCatalog *catalog)
{
  g_return_val_if_fail (KIOSK_IS_CATALOG (catalog), NULL);

  if (catalog->info_cards == NULL)
    catalog->info_cards = g_ptr_array_new_with_free_func ((GDestroyNotify) kiosk_info_card_unref);
  return catalog->info_cards;
}

KioskInfoCard *
kiosk_info_card_ref (KioskInfoCard *card)
{
  g_return_val_if_fail (card != NULL, NULL);

  g_atomic_ref_count_inc (&card->ref_count);
  return card;
}

void
kiosk_info_card_unref (KioskInfoCard *card)
{
  g_return_if_fail (card != NULL);

  if (!g_atomic_ref_count_dec (&card->ref_count))
    return;
  g_free (card->id);
  g_free (card->title);
  g_free (card->text);
  g_free (card->icon);
  g_free (card->category);
  g_free (card->url);
  g_free (card->ckan_dataset);
  g_free (card->items_ptr);
  g_free (card->title_ptr);
  g_free (card->text_ptr);
  g_free (card->time_ptr);
  g_free (card->value_ptr);
  g_free (card);
}

const char *
kiosk_info_card_get_id (KioskInfoCard *card)
{
  return card->id;
}

KioskInfoKind
kiosk_info_card_get_kind (KioskInfoCard *card)
{
  return card->kind;
}

const char *
kiosk_info_card_get_title (KioskInfoCard *card,
                           const char    *locale)
{
  return _kiosk_text_lookup (card->title, locale);
}

const char *
kiosk_info_card_get_text (KioskInfoCard *card,
                          const char    *locale)
{
  return card->text != NULL ? _kiosk_text_lookup (card->text, locale) : NULL;
}

const char *
kiosk_info_card_get_icon (KioskInfoCard *card)
{
  return card->icon;
}

const char *
kiosk_info_card_get_category (KioskInfoCard *card)
{
  return card->category;
}

KioskInfoSourceType
kiosk_info_card_get_source_type (KioskInfoCard *card)
{
  return card->source_type;
}

const char *
kiosk_info_card_get_url (KioskInfoCard *card)
{
  return card->url;
}

/**
 * kiosk_info_card_is_local:
 * @card: a card
 *
 * Whether the card's URL names this machine (127.0.0.1, ::1, localhost), as
 * the bundled demo catalogue's cards do: on an installed kiosk nothing
 * answers there until the city puts its own sources into its catalogue.
 *
 * Returns: %TRUE for a local URL; %FALSE for another host or a CKAN card
 */
gboolean
kiosk_info_card_is_local (KioskInfoCard *card)
{
  g_autoptr(GUri) uri = NULL;
  const char *host;

  if (card->url == NULL)
    return FALSE;
  uri = g_uri_parse (card->url, G_URI_FLAGS_NONE, NULL);
  host = uri != NULL ? g_uri_get_host (uri) : NULL;
  return host != NULL && (g_ascii_strcasecmp (host, "localhost") == 0 || g_str_equal (host, "::1")
                          || g_str_has_prefix (host, "127."));
}

/* The CKAN dataset a card reads, or NULL when it names its URL itself. */
const char *
kiosk_info_card_get_ckan_dataset (KioskInfoCard *card)
{
  return card->ckan_dataset;
}

guint
kiosk_info_card_get_max_age (KioskInfoCard *card)
{
  return card->max_age;
}

const char *
kiosk_info_source_type_to_string (KioskInfoSourceType type)
{
  switch (type)
    {
    case KIOSK_INFO_SOURCE_ICAL: return "ical";
    case KIOSK_INFO_SOURCE_FEED: return "feed";
    case KIOSK_INFO_SOURCE_JSON: return "json";
    default: return "unknown";
    }
}

/* The parser needs the pointers; it lives in kiosk-info-parse.c. */
const char *_kiosk_info_card_get_pointer (KioskInfoCard *card,
                                          guint          which);

const char *
_kiosk_info_card_get_pointer (KioskInfoCard *card,
                              guint          which)
{
  switch (which)
    {
    case 0: return card->items_ptr != NULL ? card->items_ptr : "";
    case 1: return card->title_ptr;
    case 2: return card->text_ptr;
    case 3: return card->time_ptr;
    case 4: return card->value_ptr;
    default: return NULL;
    }
}

/* kiosk-info-parse.c: iCalendar, RSS 2.0 / Atom and JSON into info items
 *
 * Every document comes from outside the kiosk, so each reader is strict:
 * what it cannot read completely it refuses with a message naming the place,
 * and the caller keeps the last good copy.  No reader touches the network or
 * the file system (libxml2 runs with XML_PARSE_NONET and without entity
 * substitution or DTD loading), and every one bounds its nesting: libxml2
 * refuses elements deeper than 256 without XML_PARSE_HUGE, KioskJson at
 * MAX_JSON_DEPTH, and an iCalendar stream is flat by nature (libical nests
 * components, which we bound to MAX_ICAL_DEPTH before handing it over).
 *
 * SPDX-FileCopyrightText: 2026 Stadtkiosk contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "kiosk-info"

#include "config.h"

#include "kiosk-info.h"

#include <string.h>
#include <libical/ical.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libsoup/soup.h>

#include "kiosk-info-private.h"

#define MAX_JSON_DEPTH 32
#define MAX_ICAL_DEPTH 8
#define MAX_ITEMS 5000
#define MAX_TEXT 4000

const char *_kiosk_info_card_get_pointer (KioskInfoCard *card,
                                          guint          which);

void
kiosk_info_item_free (KioskInfoItem *item)
{
  if (item == NULL)
    return;
  g_free (item->title);
  g_free (item->text);
  g_free (item->location);
  g_free (item->value);
  g_free (item);
}

/* Tags out, entities of the five XML kinds decoded, white space collapsed,
 * cut at MAX_TEXT characters: a feed's HTML is shown as plain text.
 *
 * @in is made valid UTF-8 first: the document was, but libical's
 * unescaping is not UTF-8-aware ("\ß" in a LOCATION came back as a lone
 * byte of the ß; found by fuzz-info). */
static char *
plain_text (const char *raw)
{
  g_autofree char *in = NULL;
  GString *out;
  gboolean in_tag = FALSE;
  gboolean space = TRUE;

  if (raw == NULL)
    return NULL;
  in = g_utf8_make_valid (raw, -1);
  out = g_string_new (NULL);
  for (const char *p = in; *p != '\0'; p++)
    {
      if (in_tag)
        {
          in_tag = *p != '>';
          continue;
        }
      if (*p == '<')
        {
          in_tag = TRUE;
          if (!space)
            g_string_append_c (out, ' ');
          space = TRUE;
          continue;
        }
      if (g_ascii_isspace (*p))
        {
          if (!space)
            g_string_append_c (out, ' ');
          space = TRUE;
          continue;
        }
      space = FALSE;
      if (p[0] == '&' && p[1] == '#')
        {
          /* A numeric character reference (&#228; &#xE4;), as feeds put
           * them into escaped HTML; one that is not a character stays text. */
          gboolean hex = p[2] == 'x' || p[2] == 'X';
          const char *digits = p + (hex ? 3 : 2);
          const char *semi = strchr (digits, ';');
          g_autofree char *number = semi != NULL && semi > digits && semi - digits <= 8
                                    ? g_strndup (digits, semi - digits) : NULL;
          guint64 value = 0;

          if (number != NULL && g_ascii_string_to_unsigned (number, hex ? 16 : 10, 1, 0x10FFFF, &value, NULL)
              && g_unichar_validate ((gunichar) value) && !g_unichar_iscntrl ((gunichar) value))
            {
              g_string_append_unichar (out, (gunichar) value);
              p = semi;
              continue;
            }
        }
      if (*p == '&')
        {
          static const struct { const char *name; char c; } entities[] = {
            { "&amp;", '&' }, { "&lt;", '<' }, { "&gt;", '>' }, { "&quot;", '"' }, { "&apos;", '\'' },
            { "&nbsp;", ' ' },
          };
          gboolean done = FALSE;

          for (guint i = 0; i < G_N_ELEMENTS (entities) && !done; i++)
            if (g_str_has_prefix (p, entities[i].name))
              {
                g_string_append_c (out, entities[i].c);
                p += strlen (entities[i].name) - 1;
                done = TRUE;
              }
          if (done)
            continue;
        }
      g_string_append_c (out, *p);
    }
  while (out->len > 0 && out->str[out->len - 1] == ' ')
    g_string_truncate (out, out->len - 1);
  if (g_utf8_strlen (out->str, -1) > MAX_TEXT)
    {
      const char *end = g_utf8_offset_to_pointer (out->str, MAX_TEXT);

      g_string_truncate (out, end - out->str);
      g_string_append (out, "…");
    }
  if (out->len == 0)
    {
      g_string_free (out, TRUE);
      return NULL;
    }
  return g_string_free (out, FALSE);
}

static gboolean
check_utf8 (GBytes      *body,
            const char  *what,
            GError     **error)
{
  gsize len;
  const char *data = g_bytes_get_data (body, &len);
  const char *end;

  if (len == 0)
    {
      g_set_error (error, KIOSK_INFO_ERROR, KIOSK_INFO_ERROR_INVALID, "%s: the document is empty", what);
      return FALSE;
    }
  if (!g_utf8_validate (data, len, &end))
    {
      g_set_error (error, KIOSK_INFO_ERROR, KIOSK_INFO_ERROR_INVALID, "%s: not UTF-8 at byte %" G_GSIZE_FORMAT,
                   what, (gsize) (end - data));
      return FALSE;
    }
  return TRUE;
}

/* iCalendar ---------------------------------------------------------- */

static gboolean
ical_depth_ok (const char *data,
               gsize       len)
{
  guint depth = 0;
  const char *p = data;
  const char *end = data + len;

  while (p < end)
    {
      const char *eol = memchr (p, '\n', end - p);
      gsize n = (eol != NULL ? eol : end) - p;

      if (n >= 6 && g_ascii_strncasecmp (p, "BEGIN:", 6) == 0 && ++depth > MAX_ICAL_DEPTH)
        return FALSE;
      if (n >= 4 && g_ascii_strncasecmp (p, "END:", 4) == 0 && depth > 0)
        depth--;
      p = eol != NULL ? eol + 1 : end;
    }
  return TRUE;
}

static GPtrArray *
parse_ical (GBytes  *body,
            GError **error)
{
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func ((GDestroyNotify) kiosk_info_item_free);
  g_autofree char *text = NULL;
  icalcomponent *root;
  icalcomponent *calendar;
  gsize len;
  const char *data = g_bytes_get_data (body, &len);
  guint n = 0;

  if (!check_utf8 (body, "iCalendar", error))
    return NULL;
  if (!ical_depth_ok (data, len))
    {
      g_set_error (error, KIOSK_INFO_ERROR, KIOSK_INFO_ERROR_INVALID,
                   "iCalendar: components nested deeper than %d", MAX_ICAL_DEPTH);
      return NULL;
    }
  text = g_strndup (data, len);
  if (!g_str_has_prefix (text, "BEGIN:VCALENDAR"))
    {
      g_set_error_literal (error, KIOSK_INFO_ERROR, KIOSK_INFO_ERROR_INVALID,
                           "iCalendar: expected the document to start with BEGIN:VCALENDAR");
      return NULL;
    }
  icalerror_set_errors_are_fatal (0);
  root = icalparser_parse_string (text);
  icalerror_clear_errno ();
  if (root == NULL)
    {
      g_set_error_literal (error, KIOSK_INFO_ERROR, KIOSK_INFO_ERROR_INVALID, "iCalendar: libical could not read it");
      return NULL;
    }
  /* Several calendars in one stream come back wrapped in an XROOT. */
  calendar = icalcomponent_isa (root) == ICAL_VCALENDAR_COMPONENT
             ? root : icalcomponent_get_first_component (root, ICAL_VCALENDAR_COMPONENT);
  if (calendar == NULL || icalcomponent_count_errors (root) > 0)
    {
      icalproperty *bad = calendar != NULL
                          ? icalcomponent_get_first_property (calendar, ICAL_XLICERROR_PROPERTY) : NULL;
      icalcomponent *sub;

      for (sub = calendar != NULL ? icalcomponent_get_first_component (calendar, ICAL_ANY_COMPONENT) : NULL;
           bad == NULL && sub != NULL;
           sub = icalcomponent_get_next_component (calendar, ICAL_ANY_COMPONENT))
        bad = icalcomponent_get_first_property (sub, ICAL_XLICERROR_PROPERTY);
      g_set_error (error, KIOSK_INFO_ERROR, KIOSK_INFO_ERROR_INVALID, "iCalendar: %s",
                   calendar == NULL ? "no VCALENDAR"
                   : bad != NULL ? icalproperty_get_xlicerror (bad) : "libical reports errors");
      icalcomponent_free (root);
      return NULL;
    }

  for (icalcomponent *event = icalcomponent_get_first_component (calendar, ICAL_VEVENT_COMPONENT);
       event != NULL;
       event = icalcomponent_get_next_component (calendar, ICAL_VEVENT_COMPONENT), n++)
    {
      g_autoptr(KioskInfoItem) item = g_new0 (KioskInfoItem, 1);
      const char *summary = icalcomponent_get_summary (event);
      struct icaltimetype start = icalcomponent_get_dtstart (event);

      if (n >= MAX_ITEMS)
        {
          g_set_error (error, KIOSK_INFO_ERROR, KIOSK_INFO_ERROR_INVALID, "iCalendar: more than %d events", MAX_ITEMS);
          icalcomponent_free (root);
          return NULL;
        }
      if (summary == NULL || *summary == '\0' || icaltime_is_null_time (start) || !icaltime_is_valid_time (start))
        {
          const char *uid = icalcomponent_get_uid (event);

          g_set_error (error, KIOSK_INFO_ERROR, KIOSK_INFO_ERROR_INVALID,
                       "iCalendar: event %u (UID %s) has no %s", n + 1, uid != NULL ? uid : "none",
                       summary == NULL || *summary == '\0' ? "SUMMARY" : "valid DTSTART");
          icalcomponent_free (root);
          return NULL;
        }
      item->title = plain_text (summary);
      item->text = plain_text (icalcomponent_get_description (event));
      item->location = plain_text (icalcomponent_get_location (event));
      item->all_day = start.is_date;
      if (start.is_date)
        {
          g_autoptr(GDateTime) dt = g_date_time_new_utc (start.year, start.month, start.day, 0, 0, 0);

          item->time = dt != NULL ? g_date_time_to_unix (dt) : 0;
        }
      else
        item->time = icaltime_as_timet_with_zone (start, start.zone != NULL ? start.zone
                                                  : icaltimezone_get_utc_timezone ());
      if (item->title == NULL)
        continue;
      g_ptr_array_add (items, g_steal_pointer (&item));
    }
  icalcomponent_free (root);
  return g_steal_pointer (&items);
}

/* RSS 2.0 and Atom ---------------------------------------------------- */

static xmlNode *
child_element (xmlNode    *parent,
               const char *name)
{
  for (xmlNode *c = parent->children; c != NULL; c = c->next)
    if (c->type == XML_ELEMENT_NODE && strcmp ((const char *) c->name, name) == 0)
      return c;
  return NULL;
}

static char *
child_text (xmlNode    *parent,
            const char *name)
{
  xmlNode *c = child_element (parent, name);
  xmlChar *content;
  char *text;

  if (c == NULL)
    return NULL;
  content = xmlNodeGetContent (c);
  text = plain_text ((const char *) content);
  xmlFree (content);
  return text;
}

static gint64
feed_time (const char *text)
{
  g_autoptr(GDateTime) dt = NULL;

  if (text == NULL)
    return 0;
  dt = g_date_time_new_from_iso8601 (text, NULL);
  if (dt == NULL)
    dt = soup_date_time_new_from_http_string (text);
  return dt != NULL ? g_date_time_to_unix (dt) : 0;
}

static GPtrArray *
parse_feed (GBytes  *body,
            GError **error)
{
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func ((GDestroyNotify) kiosk_info_item_free);
  gsize len;
  const char *data = g_bytes_get_data (body, &len);
  xmlDoc *doc;
  xmlNode *root;
  xmlNode *parent = NULL;
  const char *entry_name = NULL;
  gboolean atom = FALSE;
  guint n = 0;

  if (len == 0 || len > G_MAXINT)
    {
      g_set_error_literal (error, KIOSK_INFO_ERROR, KIOSK_INFO_ERROR_INVALID, "feed: the document is empty");
      return NULL;
    }
  doc = xmlReadMemory (data, (int) len, "feed.xml", NULL,
                       XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING | XML_PARSE_NOCDATA);
  if (doc == NULL)
    {
      const xmlError *xe = xmlGetLastError ();

      g_set_error (error, KIOSK_INFO_ERROR, KIOSK_INFO_ERROR_INVALID, "feed: not well-formed XML%s%s",
                   xe != NULL && xe->message != NULL ? ": " : "",
                   xe != NULL && xe->message != NULL ? g_strchomp (xe->message) : "");
      xmlResetLastError ();
      return NULL;
    }
  root = xmlDocGetRootElement (doc);
  if (root != NULL && strcmp ((const char *) root->name, "rss") == 0)
    {
      parent = child_element (root, "channel");
      entry_name = "item";
    }
  else if (root != NULL && strcmp ((const char *) root->name, "feed") == 0)
    {
      parent = root;
      entry_name = "entry";
      atom = TRUE;
    }
  if (parent == NULL)
    {
      g_set_error (error, KIOSK_INFO_ERROR, KIOSK_INFO_ERROR_INVALID,
                   "feed: expected <rss><channel> (RSS 2.0) or <feed> (Atom), found <%s>",
                   root != NULL ? (const char *) root->name : "nothing");
      xmlFreeDoc (doc);
      return NULL;
    }
  for (xmlNode *c = parent->children; c != NULL; c = c->next)
    {
      g_autoptr(KioskInfoItem) item = NULL;
      g_autofree char *when = NULL;

      if (c->type != XML_ELEMENT_NODE || strcmp ((const char *) c->name, entry_name) != 0)
        continue;
      if (++n > MAX_ITEMS)
        {
          g_set_error (error, KIOSK_INFO_ERROR, KIOSK_INFO_ERROR_INVALID, "feed: more than %d entries", MAX_ITEMS);
          xmlFreeDoc (doc);
          return NULL;
        }
      item = g_new0 (KioskInfoItem, 1);
      item->title = child_text (c, "title");
      if (item->title == NULL)
        {
          g_set_error (error, KIOSK_INFO_ERROR, KIOSK_INFO_ERROR_INVALID, "feed: <%s> %u (line %ld) has no <title>",
                       entry_name, n, xmlGetLineNo (c));
          xmlFreeDoc (doc);
          return NULL;
        }
      if (atom)
        {
          item->text = child_text (c, "summary");
          if (item->text == NULL)
            item->text = child_text (c, "content");
          when = child_text (c, "updated");
          if (when == NULL)
            when = child_text (c, "published");
        }
      else
        {
          item->text = child_text (c, "description");
          when = child_text (c, "pubDate");
        }
      item->time = feed_time (when);
      g_ptr_array_add (items, g_steal_pointer (&item));
    }
  xmlFreeDoc (doc);
  return g_steal_pointer (&items);
}

/* JSON with JSON pointers --------------------------------------------- */

const KioskJsonValue *
_kiosk_info_json_pointer (const KioskJsonValue *root,
                          const char           *pointer)
{
  const KioskJsonValue *node = root;
  const char *p = pointer;

  if (pointer == NULL)
    return NULL;
  while (node != NULL && *p == '/')
    {
      const char *end = strchr (p + 1, '/');
      g_autofree char *token = g_strndup (p + 1, end != NULL ? (gsize) (end - p - 1) : strlen (p + 1));
      GString *name = g_string_new (NULL);

      for (const char *t = token; *t != '\0'; t++)
        {
          if (t[0] == '~' && t[1] == '0')
            g_string_append_c (name, '~'), t++;
          else if (t[0] == '~' && t[1] == '1')
            g_string_append_c (name, '/'), t++;
          else
            g_string_append_c (name, *t);
        }
      if (node->type == KIOSK_JSON_OBJECT)
        node = kiosk_json_get_member (node, name->str);
      else if (node->type == KIOSK_JSON_ARRAY)
        {
          guint64 index;
          const KioskJsonValue *c;

          if (!g_ascii_string_to_unsigned (name->str, 10, 0, G_MAXUINT, &index, NULL))
            c = NULL;
          else
            for (c = node->first; c != NULL && index > 0; c = c->next)
              index--;
          node = c;
        }
      else
        node = NULL;
      g_string_free (name, TRUE);
      p = end != NULL ? end : p + strlen (p);
    }
  return *p == '\0' ? node : NULL;
}

static char *
json_scalar_text (const KioskJsonValue *value)
{
  if (value == NULL)
    return NULL;
  switch (value->type)
    {
    case KIOSK_JSON_STRING:
      return plain_text (value->string);
    case KIOSK_JSON_INTEGER:
      return g_strdup_printf ("%" G_GINT64_FORMAT, value->integer);
    case KIOSK_JSON_DOUBLE:
      {
        char buf[G_ASCII_DTOSTR_BUF_SIZE];

        return g_strdup (g_ascii_formatd (buf, sizeof buf, "%.6g", value->number));
      }
    case KIOSK_JSON_BOOLEAN:
      return g_strdup (value->boolean ? "true" : "false");
    default:
      return NULL;
    }
}

static GPtrArray *
parse_json (KioskInfoCard *card,
            GBytes        *body,
            GError       **error)
{
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func ((GDestroyNotify) kiosk_info_item_free);
  g_autoptr(KioskJson) doc = NULL;
  g_autoptr(GError) parse_error = NULL;
  gsize len;
  const char *data = g_bytes_get_data (body, &len);
  const char *items_ptr = _kiosk_info_card_get_pointer (card, 0);
  const KioskJsonValue *list;
  guint i = 0;

  if (len == 0)
    {
      g_set_error_literal (error, KIOSK_INFO_ERROR, KIOSK_INFO_ERROR_INVALID, "JSON: the document is empty");
      return NULL;
    }
  doc = kiosk_json_parse (data, len, MAX_JSON_DEPTH, &parse_error);
  if (doc == NULL)
    {
      g_set_error (error, KIOSK_INFO_ERROR, KIOSK_INFO_ERROR_INVALID, "JSON: %s", parse_error->message);
      return NULL;
    }
  list = _kiosk_info_json_pointer (kiosk_json_get_root (doc), items_ptr);
  if (list == NULL || (list->type != KIOSK_JSON_ARRAY && list->type != KIOSK_JSON_OBJECT))
    {
      g_set_error (error, KIOSK_INFO_ERROR, KIOSK_INFO_ERROR_INVALID,
                   "JSON: \"%s\" names %s; expected an array of items (or one object)",
                   items_ptr, list == NULL ? "nothing" : kiosk_json_describe (list));
      return NULL;
    }
  for (const KioskJsonValue *node = list->type == KIOSK_JSON_ARRAY ? list->first : list;
       node != NULL;
       node = list->type == KIOSK_JSON_ARRAY ? node->next : NULL, i++)
    {
      g_autoptr(KioskInfoItem) item = g_new0 (KioskInfoItem, 1);
      const KioskJsonValue *title = _kiosk_info_json_pointer (node, _kiosk_info_card_get_pointer (card, 1));
      const KioskJsonValue *when = _kiosk_info_json_pointer (node, _kiosk_info_card_get_pointer (card, 3));

      if (i >= MAX_ITEMS)
        {
          g_set_error (error, KIOSK_INFO_ERROR, KIOSK_INFO_ERROR_INVALID, "JSON: more than %d items", MAX_ITEMS);
          return NULL;
        }
      item->title = json_scalar_text (title);
      if (item->title == NULL)
        {
          g_set_error (error, KIOSK_INFO_ERROR, KIOSK_INFO_ERROR_INVALID,
                       "JSON: item %u: \"%s\" names %s; expected a text or number for the title", i,
                       _kiosk_info_card_get_pointer (card, 1), title == NULL ? "nothing" : kiosk_json_describe (title));
          return NULL;
        }
      item->text = json_scalar_text (_kiosk_info_json_pointer (node, _kiosk_info_card_get_pointer (card, 2)));
      item->value = json_scalar_text (_kiosk_info_json_pointer (node, _kiosk_info_card_get_pointer (card, 4)));
      if (kiosk_json_is_string (when))
        item->time = feed_time (when->string);
      else if (when != NULL && when->type == KIOSK_JSON_INTEGER)
        item->time = when->integer;
      g_ptr_array_add (items, g_steal_pointer (&item));
    }
  return g_steal_pointer (&items);
}

/**
 * kiosk_info_parse:
 * @card: the card whose source type and pointers apply
 * @body: the document as fetched
 * @error: where a refusal is explained
 *
 * Returns: (transfer full) (element-type KioskInfoItem): the items, or
 *   %NULL with @error set when the document is refused.
 */
GPtrArray *
kiosk_info_parse (KioskInfoCard  *card,
                  GBytes         *body,
                  GError        **error)
{
  g_return_val_if_fail (card != NULL, NULL);
  g_return_val_if_fail (body != NULL, NULL);

  switch (kiosk_info_card_get_source_type (card))
    {
    case KIOSK_INFO_SOURCE_ICAL:
      return parse_ical (body, error);
    case KIOSK_INFO_SOURCE_FEED:
      return parse_feed (body, error);
    case KIOSK_INFO_SOURCE_JSON:
      return parse_json (card, body, error);
    default:
      g_set_error_literal (error, KIOSK_INFO_ERROR, KIOSK_INFO_ERROR_INVALID, "unknown source type");
      return NULL;
    }
}

/* kiosk-json.c: a strict, read-only JSON document in one arena
 *
 * See kiosk-json-private.h for why it exists.  A recursive descent over
 * the bytes; the caller's depth limit bounds the recursion.  Values and
 * the unescaped strings are carved out of blocks that grow with the
 * document and are freed together.
 *
 * SPDX-FileCopyrightText: 2026 Stadtkiosk contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "kiosk-catalog"

#include "config.h"

#include "kiosk-json-private.h"

#include <math.h>
#include <string.h>

#define FIRST_BLOCK_SIZE (16 * 1024)
#define MAX_BLOCK_SIZE   (1024 * 1024)
/* Objects with more members than this check for duplicates with a hash
 * table instead of comparing with every earlier name. */
#define LINEAR_DUPLICATE_CHECK 16

typedef struct _Block Block;
struct _Block
{
  Block *prev;
  gsize  size;
  gsize  used;
  /* the memory follows, aligned for any value */
  max_align_t data[];
};

struct _KioskJson
{
  const KioskJsonValue *root;
  Block                *block;
  gsize                 next_block_size;
};

typedef struct
{
  KioskJson  *doc;
  const char *start;
  const char *p;
  const char *end;
  guint       max_depth;
  gboolean    columns_in_bytes;  /* the text is not UTF-8: count bytes */
  GError    **error;
} Parser;

G_DEFINE_QUARK (kiosk-json-error-quark, kiosk_json_error)

static gpointer
arena_alloc (KioskJson *doc,
             gsize      size,
             gsize      align)
{
  Block *b = doc->block;
  gsize offset;

  if (b != NULL)
    {
      offset = (b->used + align - 1) & ~(align - 1);
      if (offset + size <= b->size)
        {
          b->used = offset + size;
          return (char *) b->data + offset;
        }
    }

  /* A new block, at least big enough; blocks double up to a limit so that
   * a small document stays small and a large one needs few of them. */
  {
    gsize block_size = MAX (doc->next_block_size, size);

    b = g_malloc (sizeof (Block) + block_size);
    b->prev = doc->block;
    b->size = block_size;
    b->used = size;
    doc->block = b;
    doc->next_block_size = MIN (doc->next_block_size * 2, MAX_BLOCK_SIZE);
    return b->data;
  }
}

static KioskJsonValue *
new_value (Parser        *parser,
           KioskJsonType  type)
{
  KioskJsonValue *v = arena_alloc (parser->doc, sizeof (KioskJsonValue), G_ALIGNOF (KioskJsonValue));

  memset (v, 0, sizeof *v);
  v->type = type;
  return v;
}

/* Errors say where: line and column (in characters), both from 1. */
static gboolean fail_at (Parser     *parser,
                         const char *at,
                         gint        code,
                         const char *format,
                         ...) G_GNUC_PRINTF (4, 5);

static gboolean
fail_at (Parser     *parser,
         const char *at,
         gint        code,
         const char *format,
         ...)
{
  g_autofree char *message = NULL;
  const char *line_start = parser->start;
  guint line = 1;
  guint column = 1;
  va_list args;

  for (const char *q = parser->start; q < at; q++)
    if (*q == '\n')
      {
        line++;
        line_start = q + 1;
      }
  for (const char *q = line_start; q < at; q++)
    if (parser->columns_in_bytes || ((guchar) *q & 0xc0) != 0x80)
      column++;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error (parser->error, KIOSK_JSON_ERROR, code, "line %u, column %u: %s", line, column, message);
  return FALSE;
}

static void
skip_whitespace (Parser *parser)
{
  const char *p = parser->p;

  while (p < parser->end && (*p == ' ' || *p == '\n' || *p == '\r' || *p == '\t'))
    p++;
  parser->p = p;
}

static const char *
describe_char (const char *p,
               const char *end,
               char        buf[16])
{
  if (p >= end)
    return "end of the text";
  if ((guchar) *p < 0x20 || *p == 0x7f)
    g_snprintf (buf, 16, "byte 0x%02x", (guchar) *p);
  else if ((guchar) *p < 0x80)
    g_snprintf (buf, 16, "'%c'", *p);
  else
    {
      gunichar c = g_utf8_get_char_validated (p, end - p);
      char utf8[7] = { 0 };

      if (c == (gunichar) -1 || c == (gunichar) -2)
        return "a byte that is not UTF-8";
      g_unichar_to_utf8 (c, utf8);
      g_snprintf (buf, 16, "'%s'", utf8);
    }
  return buf;
}

static int
hex_digit (char c)
{
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  if (c >= 'A' && c <= 'F')
    return c - 'A' + 10;
  return -1;
}

/* Four hex digits after "\u"; -1 if they are not. */
static gint32
read_hex4 (const char *p,
           const char *end)
{
  gint32 value = 0;

  if (end - p < 4)
    return -1;
  for (guint i = 0; i < 4; i++)
    {
      int d = hex_digit (p[i]);

      if (d < 0)
        return -1;
      value = value * 16 + d;
    }
  return value;
}

/* At the opening quote.  Returns the string in the arena, or NULL. */
static const char *
parse_string (Parser *parser)
{
  const char *start = parser->p + 1;
  const char *p = start;
  const char *end = parser->end;
  char *out;
  char *o;

  /* Most strings have no escapes: find the closing quote and copy. */
  while (p < end && *p != '"' && *p != '\\' && (guchar) *p >= 0x20)
    p++;
  if (p < end && *p == '"')
    {
      out = arena_alloc (parser->doc, p - start + 1, 1);
      memcpy (out, start, p - start);
      out[p - start] = '\0';
      parser->p = p + 1;
      return out;
    }

  /* Escapes: find the end first; the unescaped text is never longer. */
  for (; p < end && *p != '"'; p++)
    {
      if ((guchar) *p < 0x20)
        {
          fail_at (parser, p, KIOSK_JSON_ERROR_INVALID,
                   "a control character (byte 0x%02x) inside a string; write it as \\n, \\t or \\u00XX",
                   (guchar) *p);
          return NULL;
        }
      if (*p == '\\')
        p++;
    }
  if (p >= end)
    {
      fail_at (parser, parser->p, KIOSK_JSON_ERROR_INVALID, "this string has no closing quote");
      return NULL;
    }

  out = arena_alloc (parser->doc, p - start + 1, 1);
  o = out;
  for (p = start; *p != '"'; )
    {
      const char *escape = p;
      gint32 c;

      if (*p != '\\')
        {
          *o++ = *p++;
          continue;
        }
      p++;
      switch (*p++)
        {
        case '"': *o++ = '"'; continue;
        case '\\': *o++ = '\\'; continue;
        case '/': *o++ = '/'; continue;
        case 'b': *o++ = '\b'; continue;
        case 'f': *o++ = '\f'; continue;
        case 'n': *o++ = '\n'; continue;
        case 'r': *o++ = '\r'; continue;
        case 't': *o++ = '\t'; continue;
        case 'u':
          break;
        default:
          {
            char buf[16];

            if (g_ascii_isgraph (p[-1]))
              fail_at (parser, escape, KIOSK_JSON_ERROR_INVALID,
                       "\\%c is not an escape JSON knows (\\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX)", p[-1]);
            else
              fail_at (parser, escape, KIOSK_JSON_ERROR_INVALID,
                       "a backslash before %s is not an escape JSON knows (\\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX)",
                       describe_char (p - 1, end, buf));
            return NULL;
          }
        }

      c = read_hex4 (p, end);
      if (c < 0)
        {
          fail_at (parser, escape, KIOSK_JSON_ERROR_INVALID, "\\u must be followed by four hex digits");
          return NULL;
        }
      p += 4;
      if (c == 0)
        {
          fail_at (parser, escape, KIOSK_JSON_ERROR_INVALID, "\\u0000 (a NUL character) is not allowed in text");
          return NULL;
        }
      if (c >= 0xdc00 && c <= 0xdfff)
        {
          fail_at (parser, escape, KIOSK_JSON_ERROR_INVALID,
                   "\\u%04x is the second half of a surrogate pair without the first", (guint) c);
          return NULL;
        }
      if (c >= 0xd800 && c <= 0xdbff)
        {
          gint32 low = -1;

          if (end - p >= 6 && p[0] == '\\' && p[1] == 'u')
            low = read_hex4 (p + 2, end);
          if (low < 0xdc00 || low > 0xdfff)
            {
              fail_at (parser, escape, KIOSK_JSON_ERROR_INVALID,
                       "\\u%04x is the first half of a surrogate pair without the second", (guint) c);
              return NULL;
            }
          p += 6;
          c = 0x10000 + ((c - 0xd800) << 10) + (low - 0xdc00);
        }
      /* At most 4 bytes from at least 6 of input. */
      o += g_unichar_to_utf8 (c, o);
    }
  *o = '\0';
  parser->p = p + 1;
  return out;
}

static gboolean
parse_number (Parser         *parser,
              KioskJsonValue *v)
{
  const char *start = parser->p;
  const char *p = start;
  const char *end = parser->end;
  gboolean negative = FALSE;
  gboolean integer = TRUE;
  guint64 magnitude = 0;
  gboolean overflow = FALSE;

  if (*p == '-')
    {
      negative = TRUE;
      p++;
    }
  if (p >= end || !g_ascii_isdigit (*p))
    return fail_at (parser, start, KIOSK_JSON_ERROR_INVALID, "a number needs a digit after '-'");
  if (*p == '0' && p + 1 < end && g_ascii_isdigit (p[1]))
    return fail_at (parser, start, KIOSK_JSON_ERROR_INVALID, "a number may not start with 0 (write 7, not 07)");
  for (; p < end && g_ascii_isdigit (*p); p++)
    {
      guint d = *p - '0';

      if (magnitude > (G_MAXUINT64 - d) / 10)
        overflow = TRUE;
      else
        magnitude = magnitude * 10 + d;
    }
  if (p < end && *p == '.')
    {
      integer = FALSE;
      p++;
      if (p >= end || !g_ascii_isdigit (*p))
        return fail_at (parser, start, KIOSK_JSON_ERROR_INVALID, "a number needs a digit after '.'");
      while (p < end && g_ascii_isdigit (*p))
        p++;
    }
  if (p < end && (*p == 'e' || *p == 'E'))
    {
      integer = FALSE;
      p++;
      if (p < end && (*p == '+' || *p == '-'))
        p++;
      if (p >= end || !g_ascii_isdigit (*p))
        return fail_at (parser, start, KIOSK_JSON_ERROR_INVALID, "a number needs a digit in its exponent");
      while (p < end && g_ascii_isdigit (*p))
        p++;
    }

  if (integer && !overflow &&
      (negative ? magnitude <= (guint64) G_MAXINT64 + 1 : magnitude <= (guint64) G_MAXINT64))
    {
      v->type = KIOSK_JSON_INTEGER;
      /* -(2^63) has no positive twin: negate in unsigned arithmetic. */
      v->integer = negative ? (gint64) (~magnitude + 1) : (gint64) magnitude;
    }
  else
    {
      char buf[64];
      g_autofree char *heap = NULL;
      const char *text;
      gsize n = p - start;

      /* g_ascii_strtod wants a terminated string and ignores the locale. */
      if (n < sizeof buf)
        {
          memcpy (buf, start, n);
          buf[n] = '\0';
          text = buf;
        }
      else
        text = heap = g_strndup (start, n);
      v->type = KIOSK_JSON_DOUBLE;
      v->number = g_ascii_strtod (text, NULL);
      if (!isfinite (v->number))
        return fail_at (parser, start, KIOSK_JSON_ERROR_INVALID, "the number %s is too large", text);
    }
  parser->p = p;
  return TRUE;
}

static gboolean
expect_literal (Parser     *parser,
                const char *word)
{
  gsize n = strlen (word);

  if ((gsize) (parser->end - parser->p) < n || memcmp (parser->p, word, n) != 0)
    {
      char buf[16];

      return fail_at (parser, parser->p, KIOSK_JSON_ERROR_INVALID,
                      "unexpected %s; expected a value (a string, number, object, array, true, false or null)",
                      describe_char (parser->p, parser->end, buf));
    }
  parser->p += n;
  return TRUE;
}

static const KioskJsonValue *parse_value (Parser *parser,
                                          guint   depth);

/* Is @name already a member of the object whose members start at @first? */
static gboolean
is_duplicate (const KioskJsonValue  *first,
              guint                  n_members,
              GHashTable           **names,
              const char            *name)
{
  if (n_members < LINEAR_DUPLICATE_CHECK)
    {
      for (const KioskJsonValue *m = first; m != NULL; m = m->next)
        if (strcmp (m->name, name) == 0)
          return TRUE;
      return FALSE;
    }
  if (*names == NULL)
    {
      *names = g_hash_table_new (g_str_hash, g_str_equal);
      for (const KioskJsonValue *m = first; m != NULL; m = m->next)
        g_hash_table_add (*names, (char *) m->name);
    }
  return !g_hash_table_add (*names, (char *) name);
}

/* Where @v's text is, so that a caller can read one object again later
 * (the catalogue's forms on demand) without the whole document. */
static const KioskJsonValue *
set_extent (Parser         *parser,
            KioskJsonValue *v,
            const char     *opened)
{
  if ((gsize) (parser->end - parser->start) <= G_MAXUINT32)
    {
      v->offset = (guint32) (opened - parser->start);
      v->length = (guint32) (parser->p - opened);
    }
  return v;
}

static const KioskJsonValue *
parse_container (Parser *parser,
                 guint   depth)
{
  gboolean is_object = *parser->p == '{';
  KioskJsonValue *v = new_value (parser, is_object ? KIOSK_JSON_OBJECT : KIOSK_JSON_ARRAY);
  g_autoptr(GHashTable) names = NULL;
  const KioskJsonValue **link = &v->first;
  const char *opened = parser->p;
  char close = is_object ? '}' : ']';

  if (depth >= parser->max_depth)
    {
      fail_at (parser, parser->p, KIOSK_JSON_ERROR_TOO_DEEP, "JSON nested deeper than %u levels", parser->max_depth);
      return NULL;
    }
  parser->p++;
  skip_whitespace (parser);
  if (parser->p < parser->end && *parser->p == close)
    {
      parser->p++;
      return set_extent (parser, v, opened);
    }

  for (;;)
    {
      const char *name = NULL;
      const char *name_at = parser->p;
      KioskJsonValue *child;
      char buf[16];

      if (is_object)
        {
          if (parser->p >= parser->end || *parser->p != '"')
            {
              fail_at (parser, parser->p, KIOSK_JSON_ERROR_INVALID, "unexpected %s; expected a member name in double quotes",
                       describe_char (parser->p, parser->end, buf));
              return NULL;
            }
          if ((name = parse_string (parser)) == NULL)
            return NULL;
          if (is_duplicate (v->first, v->n_children, &names, name))
            {
              g_autofree char *shown = NULL;

              /* A name can be as long as the file; the message need not. */
              if (g_utf8_strlen (name, -1) > 60)
                {
                  g_autofree char *start = g_utf8_substring (name, 0, 60);

                  shown = g_strconcat (start, "…", NULL);
                }
              fail_at (parser, name_at, KIOSK_JSON_ERROR_INVALID, "\"%s\" appears twice in this object",
                       shown != NULL ? shown : name);
              return NULL;
            }
          skip_whitespace (parser);
          if (parser->p >= parser->end || *parser->p != ':')
            {
              fail_at (parser, parser->p, KIOSK_JSON_ERROR_INVALID, "unexpected %s; expected ':' after the member name",
                       describe_char (parser->p, parser->end, buf));
              return NULL;
            }
          parser->p++;
          skip_whitespace (parser);
        }

      /* The values are ours until the document is done. */
      child = (KioskJsonValue *) parse_value (parser, depth + 1);
      if (child == NULL)
        return NULL;
      child->name = name;
      *link = child;
      link = &child->next;
      v->n_children++;

      skip_whitespace (parser);
      if (parser->p < parser->end && *parser->p == ',')
        {
          parser->p++;
          skip_whitespace (parser);
          if (parser->p < parser->end && *parser->p == close)
            {
              fail_at (parser, parser->p, KIOSK_JSON_ERROR_INVALID, "a comma before '%c' (JSON has no trailing commas)", close);
              return NULL;
            }
          continue;
        }
      if (parser->p < parser->end && *parser->p == close)
        {
          parser->p++;
          return set_extent (parser, v, opened);
        }
      fail_at (parser, parser->p, KIOSK_JSON_ERROR_INVALID, "unexpected %s; expected ',' or '%c'",
               describe_char (parser->p, parser->end, buf), close);
      return NULL;
    }
}

static const KioskJsonValue *
parse_value (Parser *parser,
             guint   depth)
{
  KioskJsonValue *v;
  char buf[16];

  if (parser->p >= parser->end)
    {
      fail_at (parser, parser->p, KIOSK_JSON_ERROR_INVALID, "the text ends where a value was expected");
      return NULL;
    }
  switch (*parser->p)
    {
    case '{':
    case '[':
      return parse_container (parser, depth);
    case '"':
      v = new_value (parser, KIOSK_JSON_STRING);
      v->string = parse_string (parser);
      return v->string != NULL ? v : NULL;
    case 't':
      v = new_value (parser, KIOSK_JSON_BOOLEAN);
      v->boolean = TRUE;
      return expect_literal (parser, "true") ? v : NULL;
    case 'f':
      v = new_value (parser, KIOSK_JSON_BOOLEAN);
      return expect_literal (parser, "false") ? v : NULL;
    case 'n':
      v = new_value (parser, KIOSK_JSON_NULL);
      return expect_literal (parser, "null") ? v : NULL;
    case '-':
    case '0': case '1': case '2': case '3': case '4':
    case '5': case '6': case '7': case '8': case '9':
      v = new_value (parser, KIOSK_JSON_INTEGER);
      return parse_number (parser, v) ? v : NULL;
    default:
      fail_at (parser, parser->p, KIOSK_JSON_ERROR_INVALID,
               "unexpected %s; expected a value (a string, number, object, array, true, false or null)",
               describe_char (parser->p, parser->end, buf));
      return NULL;
    }
}

/**
 * kiosk_json_parse:
 * @data: the text
 * @len: its length in bytes
 * @max_depth: how deeply arrays and objects may nest; deeper is refused
 * @error: return location for a #KIOSK_JSON_ERROR
 *
 * Parses one JSON value (RFC 8259), refusing what json-glib would let
 * through but a catalogue should not contain (see the header).
 *
 * Returns: (transfer full): the document, or %NULL with @error set to
 *   "line L, column C: what is wrong"
 */
KioskJson *
kiosk_json_parse (const char  *data,
                  gsize        len,
                  guint        max_depth,
                  GError     **error)
{
  g_autoptr(KioskJson) doc = NULL;
  Parser parser = { NULL, data, data, data + len, max_depth, FALSE, error };
  const char *invalid = NULL;

  g_return_val_if_fail (data != NULL || len == 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  doc = parser.doc = g_new0 (KioskJson, 1);
  /* Blocks in proportion to the text: values take about twice its size. */
  doc->next_block_size = CLAMP (len / 4, FIRST_BLOCK_SIZE, MAX_BLOCK_SIZE);

  if (!g_utf8_validate_len (data, len, &invalid))
    {
      parser.columns_in_bytes = TRUE;
      fail_at (&parser, invalid, KIOSK_JSON_ERROR_INVALID,
               *invalid == '\0' ? "a NUL byte; JSON is text" : "a byte that is not UTF-8 (byte %" G_GSIZE_FORMAT ")",
               (gsize) (invalid - data));
      return NULL;
    }
  if (len >= 3 && memcmp (data, "\xef\xbb\xbf", 3) == 0)
    parser.p += 3;

  skip_whitespace (&parser);
  if (parser.p >= parser.end)
    {
      fail_at (&parser, parser.p, KIOSK_JSON_ERROR_INVALID, "no JSON value, the text is empty");
      return NULL;
    }
  doc->root = parse_value (&parser, 0);
  if (doc->root == NULL)
    return NULL;
  skip_whitespace (&parser);
  if (parser.p < parser.end)
    {
      char buf[16];

      fail_at (&parser, parser.p, KIOSK_JSON_ERROR_INVALID, "unexpected %s after the end of the JSON value",
               describe_char (parser.p, parser.end, buf));
      return NULL;
    }
  return g_steal_pointer (&doc);
}

void
kiosk_json_free (KioskJson *doc)
{
  Block *b;

  if (doc == NULL)
    return;
  while ((b = doc->block) != NULL)
    {
      doc->block = b->prev;
      g_free (b);
    }
  g_free (doc);
}

const KioskJsonValue *
kiosk_json_get_root (KioskJson *doc)
{
  g_return_val_if_fail (doc != NULL, NULL);

  return doc->root;
}

/**
 * kiosk_json_get_member:
 * @object: (nullable): a value
 * @name: a member name
 *
 * Returns: (nullable): the member @name of @object; %NULL when @object is
 *   %NULL, not an object, or has no such member
 */
const KioskJsonValue *
kiosk_json_get_member (const KioskJsonValue *object,
                       const char           *name)
{
  if (object == NULL || object->type != KIOSK_JSON_OBJECT)
    return NULL;
  /* Catalogue objects have a dozen members: a hash table would cost more
   * to build than the scans it saves. */
  for (const KioskJsonValue *m = object->first; m != NULL; m = m->next)
    if (strcmp (m->name, name) == 0)
      return m;
  return NULL;
}

/* An integer or a double, as a double. */
double
kiosk_json_get_number (const KioskJsonValue *value)
{
  g_return_val_if_fail (kiosk_json_is_number (value), 0.0);

  return value->type == KIOSK_JSON_INTEGER ? (double) value->integer : value->number;
}

/* What the value is, for messages: "expected …, found a string". */
const char *
kiosk_json_describe (const KioskJsonValue *value)
{
  if (value == NULL)
    return "nothing";
  switch (value->type)
    {
    case KIOSK_JSON_OBJECT:
      return "an object";
    case KIOSK_JSON_ARRAY:
      return "an array";
    case KIOSK_JSON_NULL:
      return "null";
    case KIOSK_JSON_STRING:
      return "a string";
    case KIOSK_JSON_BOOLEAN:
      return "true/false";
    case KIOSK_JSON_INTEGER:
    case KIOSK_JSON_DOUBLE:
    default:
      return "a number";
    }
}

/**
 * kiosk_json_to_node:
 * @value: a value
 *
 * Copies @value and everything in it into json-glib's nodes, for what
 * outlives the document (a field's default, a condition's values).
 *
 * Returns: (transfer full): a new #JsonNode
 */
JsonNode *
kiosk_json_to_node (const KioskJsonValue *value)
{
  JsonNode *node;

  g_return_val_if_fail (value != NULL, NULL);

  switch (value->type)
    {
    case KIOSK_JSON_OBJECT:
      {
        JsonObject *object = json_object_new ();

        for (const KioskJsonValue *m = value->first; m != NULL; m = m->next)
          json_object_set_member (object, m->name, kiosk_json_to_node (m));
        node = json_node_init_object (json_node_alloc (), object);
        json_object_unref (object);
        return node;
      }
    case KIOSK_JSON_ARRAY:
      {
        JsonArray *array = json_array_sized_new (value->n_children);

        for (const KioskJsonValue *e = value->first; e != NULL; e = e->next)
          json_array_add_element (array, kiosk_json_to_node (e));
        node = json_node_init_array (json_node_alloc (), array);
        json_array_unref (array);
        return node;
      }
    case KIOSK_JSON_STRING:
      return json_node_init_string (json_node_alloc (), value->string);
    case KIOSK_JSON_BOOLEAN:
      return json_node_init_boolean (json_node_alloc (), value->boolean);
    case KIOSK_JSON_INTEGER:
      return json_node_init_int (json_node_alloc (), value->integer);
    case KIOSK_JSON_DOUBLE:
      return json_node_init_double (json_node_alloc (), value->number);
    case KIOSK_JSON_NULL:
    default:
      return json_node_init_null (json_node_alloc ());
    }
}

/**
 * kiosk_json_parse_node:
 * @data: (nullable): the text, as it came from outside
 * @len: its length in bytes
 * @max_depth: how deeply arrays and objects may nest; deeper is refused
 * @error: return location for a #KIOSK_JSON_ERROR
 *
 * The one way in for JSON that comes from outside the kiosk (server
 * answers, imported queues and catalogues, scanned receipts): the strict
 * reader with its depth limit first, and only what it accepted handed to
 * json-glib.  json-glib's own parser recurses without a limit, so 200 KB of
 * "[" overflowed the stack inside it.
 *
 * Returns: (transfer full): the root node, or %NULL with @error set
 */
JsonNode *
kiosk_json_parse_node (const char  *data,
                       gsize        len,
                       guint        max_depth,
                       GError     **error)
{
  g_autoptr(KioskJson) doc = NULL;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  doc = kiosk_json_parse (data != NULL ? data : "", data != NULL ? len : 0, max_depth, error);
  if (doc == NULL)
    return NULL;
  return kiosk_json_to_node (kiosk_json_get_root (doc));
}

/**
 * kiosk_json_parse_bytes:
 * @bytes: (nullable): the text
 *
 * kiosk_json_parse_node() on @bytes; %NULL bytes are an empty text.
 */
JsonNode *
kiosk_json_parse_bytes (GBytes  *bytes,
                        guint    max_depth,
                        GError **error)
{
  gsize len = 0;
  const char *data = bytes != NULL ? g_bytes_get_data (bytes, &len) : NULL;

  return kiosk_json_parse_node (data, len, max_depth, error);
}

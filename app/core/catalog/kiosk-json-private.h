/* kiosk-json-private.h: a strict, read-only JSON document in one arena
 *
 * The catalogue loader reads a whole catalogue (1.4 MB for 500 services)
 * once and keeps none of its nodes.  json-glib's JsonParser spends 70-100 ms
 * on such a file, nearly all of it allocating and freeing one
 * reference-counted node or hash table per value, which alone is more than
 * the 50 ms the whole load may take.  KioskJson parses RFC 8259 into
 * values that live in a few large blocks and are freed at once.
 *
 * It is stricter than json-glib where a catalogue is better refused than
 * guessed at: text must be UTF-8, a member name may appear only once in an
 * object, "\u0000" and lone surrogates are refused, numbers must fit a
 * double.  A leading UTF-8 byte order mark is skipped (RFC 8259 allows it;
 * editors on Windows write it).  tests/fuzz/fuzz-json.c checks that
 * whatever KioskJson accepts, json-glib reads the same way.
 *
 * JSON that comes from outside (server answers, queue files, Open311
 * imports, scanned receipts) is read with kiosk_json_parse_node(): this
 * reader with a depth limit first, then json-glib nodes for the code that
 * works on them; json-glib's own parser has no depth limit.
 *
 * SPDX-FileCopyrightText: 2026 Stadtkiosk contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define KIOSK_JSON_ERROR (kiosk_json_error_quark ())

typedef enum
{
  KIOSK_JSON_ERROR_INVALID,    /* not JSON, or JSON this reader refuses */
  KIOSK_JSON_ERROR_TOO_DEEP,   /* nested deeper than the caller allows */
} KioskJsonError;

typedef enum
{
  KIOSK_JSON_NULL,
  KIOSK_JSON_BOOLEAN,
  KIOSK_JSON_INTEGER,   /* no fraction or exponent, and fits a gint64 */
  KIOSK_JSON_DOUBLE,
  KIOSK_JSON_STRING,
  KIOSK_JSON_ARRAY,
  KIOSK_JSON_OBJECT,
} KioskJsonType;

typedef struct _KioskJson      KioskJson;
typedef struct _KioskJsonValue KioskJsonValue;

struct _KioskJsonValue
{
  KioskJsonType         type;
  guint                 n_children;  /* array, object: elements or members */
  const char           *name;        /* a member: its name; otherwise NULL */
  const KioskJsonValue *next;        /* the next element or member of the parent */
  guint32               offset;      /* array, object: where its text starts, in bytes */
  guint32               length;      /*   and how long it is, brackets included; both 0
                                      *   in a text of 4 GB or more */
  union
  {
    gboolean              boolean;
    gint64                integer;
    double                number;
    const char           *string;    /* UTF-8 without NUL, so a C string */
    const KioskJsonValue *first;     /* array, object: the first child */
  };
};

GQuark                kiosk_json_error_quark (void);

KioskJson            *kiosk_json_parse       (const char           *data,
                                              gsize                 len,
                                              guint                 max_depth,
                                              GError              **error);
void                  kiosk_json_free        (KioskJson            *doc);
const KioskJsonValue *kiosk_json_get_root    (KioskJson            *doc);

const KioskJsonValue *kiosk_json_get_member  (const KioskJsonValue *object,
                                              const char           *name);
double                kiosk_json_get_number  (const KioskJsonValue *value);
const char           *kiosk_json_describe    (const KioskJsonValue *value);
JsonNode             *kiosk_json_to_node     (const KioskJsonValue *value);

/* How deeply JSON from outside may nest: answers are flat objects, a
 * problem body or a queue file a few levels; 32 is far from both and from
 * the stack. */
#define KIOSK_JSON_OUTSIDE_DEPTH 32

JsonNode             *kiosk_json_parse_node  (const char           *data,
                                              gsize                 len,
                                              guint                 max_depth,
                                              GError              **error);
JsonNode             *kiosk_json_parse_bytes (GBytes               *bytes,
                                              guint                 max_depth,
                                              GError              **error);

static inline gboolean
kiosk_json_is_string (const KioskJsonValue *value)
{
  return value != NULL && value->type == KIOSK_JSON_STRING;
}

static inline gboolean
kiosk_json_is_number (const KioskJsonValue *value)
{
  return value != NULL && (value->type == KIOSK_JSON_INTEGER || value->type == KIOSK_JSON_DOUBLE);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (KioskJson, kiosk_json_free)

G_END_DECLS

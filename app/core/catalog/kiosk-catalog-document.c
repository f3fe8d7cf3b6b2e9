/* kiosk-catalog-document.c: a catalogue being edited (the service builder)
 *
 * The builder edits the catalogue's JSON tree itself, not the loaded
 * KioskCatalog: what it saves is what it read, plus the changes, in the
 * canonical layout of kiosk-catalog-writer.c.  After every change the
 * kiosk's own loader (kiosk_catalog_new_from_bytes) checks the whole tree,
 * so the builder's problems are exactly the kiosk's, each with its JSON
 * pointer; a valid tree also gives the KioskCatalog the preview runs on.
 *
 * SPDX-FileCopyrightText: 2026 Stadtkiosk contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "kiosk-catalog"

#include "config.h"

#include "kiosk-catalog-document.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <string.h>

#include "kiosk-catalog-bundle.h"
#include "kiosk-catalog-private.h"
#include "kiosk-file.h"
#include "kiosk-json-private.h"

/* The loader's name for the bytes it checks; stripped from its messages. */
#define CHECK_SOURCE "catalog"
#define MAX_SERVICE_FILE (1024 * 1024)

struct _KioskCatalogDocument
{
  GObject       parent_instance;

  char         *source;     /* file name or "active catalogue", for messages */
  JsonNode     *root;       /* the catalogue's JSON object */
  GPtrArray    *problems;   /* KioskCatalogProblem* of the last check */
  KioskCatalog *catalog;    /* the last check's catalogue, if it had no problems */
  gboolean      dirty;      /* changed since the last check */
};

enum {
  CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (KioskCatalogDocument, kiosk_catalog_document, G_TYPE_OBJECT)
G_DEFINE_QUARK (kiosk-catalog-document-error-quark, kiosk_catalog_document_error)

/* Where a member the builder adds goes among the existing ones: before the
 * first member that comes later in this order (the order of docs/catalog.md
 * and the demo).  Members already there keep their places. */
static const char * const root_order[] = { "$schema", "format", "version", "categories", "services", "info", NULL };
static const char * const service_order[] = {
  "id", "version", "enabled", "title", "summary", "help", "next_steps", "icon", "category", "keywords",
  "offline", "refer_url", "office_hours", "target", "retention_days", "receipt_shows_answers", "steps", NULL
};
static const char * const step_order[] = { "id", "title", "fields", NULL };
static const char * const field_order[] = {
  "id", "type", "required", "personal", "purpose", "label", "help", "text", "max_length", "min", "max",
  "integer", "pattern", "pattern_message", "options", "default", "required_message", "visible_if", NULL
};
static const char * const text_order[] = { "de", "en", "tr", "ar", "uk", "ru", "pl", "ls", NULL };

/* json_node_copy() shares objects and arrays; the builder needs copies it
 * can change on their own. */
static JsonNode *
deep_copy (JsonNode *node)
{
  JsonNode *copy;

  switch (json_node_get_node_type (node))
    {
    case JSON_NODE_OBJECT:
      {
        JsonObject *object = json_object_new ();
        JsonObjectIter iter;
        const char *name;
        JsonNode *member;

        json_object_iter_init_ordered (&iter, json_node_get_object (node));
        while (json_object_iter_next_ordered (&iter, &name, &member))
          json_object_set_member (object, name, deep_copy (member));
        copy = json_node_new (JSON_NODE_OBJECT);
        json_node_take_object (copy, object);
        return copy;
      }
    case JSON_NODE_ARRAY:
      {
        JsonArray *source = json_node_get_array (node);
        JsonArray *array = json_array_sized_new (json_array_get_length (source));

        for (guint i = 0; i < json_array_get_length (source); i++)
          json_array_add_element (array, deep_copy (json_array_get_element (source, i)));
        copy = json_node_new (JSON_NODE_ARRAY);
        json_node_take_array (copy, array);
        return copy;
      }
    case JSON_NODE_VALUE:
    case JSON_NODE_NULL:
    default:
      return json_node_copy (node);
    }
}

void
kiosk_catalog_problem_free (KioskCatalogProblem *problem)
{
  if (problem == NULL)
    return;
  g_free (problem->pointer);
  g_free (problem->message);
  g_free (problem);
}

static int
rank_of (const char * const *order,
         const char         *name)
{
  for (int i = 0; order != NULL && order[i] != NULL; i++)
    if (g_str_equal (order[i], name))
      return i;
  return G_MAXINT;
}

static const char * const *
order_for_pointer (const char *pointer)
{
  g_auto(GStrv) parts = g_strsplit (pointer, "/", -1);
  guint n = g_strv_length (parts);

  /* "" -> root; /services/N; /services/N/steps/M; …/fields/K */
  if (n <= 1)
    return root_order;
  if (n == 3 && g_str_equal (parts[1], "services"))
    return service_order;
  if (n == 5 && g_str_equal (parts[3], "steps"))
    return step_order;
  if (n == 7 && g_str_equal (parts[5], "fields"))
    return field_order;
  return NULL;
}

/* Sets @name on @object; a new member goes to its place in @order. */
static void
object_set_ordered (JsonObject         *object,
                    const char * const *order,
                    const char         *name,
                    JsonNode           *value)
{
  g_autoptr(GList) members = NULL;
  g_autoptr(GPtrArray) moved_names = NULL;
  g_autoptr(GPtrArray) moved_nodes = NULL;
  int rank;
  gboolean after = FALSE;

  if (json_object_has_member (object, name) || order == NULL)
    {
      json_object_set_member (object, name, value);
      return;
    }
  rank = rank_of (order, name);
  members = json_object_get_members (object);
  moved_names = g_ptr_array_new_with_free_func (g_free);
  moved_nodes = g_ptr_array_new_with_free_func ((GDestroyNotify) json_node_unref);
  for (GList *l = members; l != NULL; l = l->next)
    {
      if (!after && rank != G_MAXINT && rank_of (order, l->data) > rank)
        after = TRUE;
      if (after)
        {
          g_ptr_array_add (moved_names, g_strdup (l->data));
          g_ptr_array_add (moved_nodes, json_node_ref (json_object_get_member (object, l->data)));
        }
    }
  for (guint i = 0; i < moved_names->len; i++)
    json_object_remove_member (object, moved_names->pdata[i]);
  json_object_set_member (object, name, value);
  for (guint i = 0; i < moved_names->len; i++)
    json_object_set_member (object, moved_names->pdata[i], json_node_ref (moved_nodes->pdata[i]));
}

/* RFC 6901. */
static JsonNode *
pointer_lookup (JsonNode   *root,
                const char *pointer)
{
  g_auto(GStrv) parts = NULL;
  JsonNode *node = root;

  if (pointer == NULL || *pointer == '\0')
    return root;
  if (*pointer != '/')
    return NULL;
  parts = g_strsplit (pointer + 1, "/", -1);
  for (guint i = 0; parts[i] != NULL && node != NULL; i++)
    {
      GString *token = g_string_new (NULL);
      g_autofree char *name = NULL;

      for (const char *p = parts[i]; *p; p++)
        {
          if (p[0] == '~' && p[1] == '0')
            g_string_append_c (token, '~'), p++;
          else if (p[0] == '~' && p[1] == '1')
            g_string_append_c (token, '/'), p++;
          else
            g_string_append_c (token, *p);
        }
      name = g_string_free (token, FALSE);
      if (JSON_NODE_HOLDS_OBJECT (node))
        node = json_object_get_member (json_node_get_object (node), name);
      else if (JSON_NODE_HOLDS_ARRAY (node))
        {
          JsonArray *array = json_node_get_array (node);
          guint64 index;

          if (!g_ascii_string_to_unsigned (name, 10, 0, G_MAXUINT, &index, NULL) ||
              index >= json_array_get_length (array))
            return NULL;
          node = json_array_get_element (array, index);
        }
      else
        return NULL;
    }
  return node;
}

static int
index_after (const char *pointer,
             const char *name)
{
  g_autofree char *needle = g_strdup_printf ("/%s/", name);
  const char *p = strstr (pointer, needle);
  guint64 index;
  g_autofree char *digits = NULL;
  const char *end;

  if (p == NULL)
    return -1;
  p += strlen (needle);
  end = p;
  while (g_ascii_isdigit (*end))
    end++;
  digits = g_strndup (p, end - p);
  if (!g_ascii_string_to_unsigned (digits, 10, 0, G_MAXINT, &index, NULL))
    return -1;
  return (int) index;
}

static KioskCatalogProblem *
problem_from_line (const char *line)
{
  KioskCatalogProblem *problem = g_new0 (KioskCatalogProblem, 1);
  const char *rest = line;
  const char *colon;

  if (g_str_has_prefix (rest, CHECK_SOURCE ": "))
    rest += strlen (CHECK_SOURCE ": ");
  colon = strstr (rest, ": ");
  if (colon != NULL && (rest[0] == '/' || g_str_has_prefix (rest, "(document)")))
    {
      problem->pointer = rest[0] == '/' ? g_strndup (rest, colon - rest) : g_strdup ("");
      problem->message = g_strdup (colon + 2);
    }
  else
    {
      problem->pointer = g_strdup ("");
      problem->message = g_strdup (rest);
    }
  problem->service = g_str_has_prefix (problem->pointer, "/services/") ? index_after (problem->pointer, "services") : -1;
  problem->step = problem->service >= 0 ? index_after (problem->pointer, "steps") : -1;
  problem->field = problem->step >= 0 ? index_after (problem->pointer, "fields") : -1;
  return problem;
}

/* Runs the kiosk's loader over the tree as it would be saved. */
static void
check (KioskCatalogDocument *self)
{
  g_autoptr(GBytes) bytes = kiosk_catalog_write_canonical (self->root);
  g_autoptr(GError) error = NULL;

  g_ptr_array_set_size (self->problems, 0);
  g_clear_object (&self->catalog);
  self->catalog = kiosk_catalog_new_from_bytes (bytes, CHECK_SOURCE, &error);
  if (self->catalog == NULL)
    {
      g_auto(GStrv) lines = g_strsplit (error->message, "\n", -1);

      for (guint i = 0; lines[i] != NULL; i++)
        if (*lines[i] != '\0')
          g_ptr_array_add (self->problems, problem_from_line (lines[i]));
    }
}

/* The check runs when someone asks for its result, so a burst of changes
 * (typing a title) costs one check, not one per key. */
static void
ensure_checked (KioskCatalogDocument *self)
{
  if (!self->dirty)
    return;
  self->dirty = FALSE;
  check (self);
}

static void
changed (KioskCatalogDocument *self)
{
  self->dirty = TRUE;
  g_signal_emit (self, signals[CHANGED], 0);
}

static void
kiosk_catalog_document_finalize (GObject *object)
{
  KioskCatalogDocument *self = KIOSK_CATALOG_DOCUMENT (object);

  g_clear_pointer (&self->source, g_free);
  g_clear_pointer (&self->root, json_node_unref);
  g_clear_pointer (&self->problems, g_ptr_array_unref);
  g_clear_object (&self->catalog);

  G_OBJECT_CLASS (kiosk_catalog_document_parent_class)->finalize (object);
}

static void
kiosk_catalog_document_class_init (KioskCatalogDocumentClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = kiosk_catalog_document_finalize;

  /**
   * KioskCatalogDocument::changed:
   *
   * The tree changed.  The loader checks it again when the problems, the
   * validity or the catalogue are asked for next.
   */
  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
kiosk_catalog_document_init (KioskCatalogDocument *self)
{
  self->problems = g_ptr_array_new_with_free_func ((GDestroyNotify) kiosk_catalog_problem_free);
}

/* ------------------------------------------------------------------ */
/* Opening                                                             */

/**
 * kiosk_catalog_document_new_from_bytes:
 * @bytes: a catalogue's JSON (a signed bundle is not taken: open the
 *   catalogue it carries)
 * @source: a name for messages (the file)
 *
 * Opens a catalogue for editing.  It must be JSON (read as strictly as the
 * kiosk reads it) with an object at the top; it need not be a valid
 * catalogue: its problems are listed by kiosk_catalog_document_get_problems().
 *
 * Returns: (transfer full) (nullable): the document
 */
KioskCatalogDocument *
kiosk_catalog_document_new_from_bytes (GBytes      *bytes,
                                       const char  *source,
                                       GError     **error)
{
  g_autoptr(KioskCatalogDocument) self = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (bytes != NULL, NULL);

  if (source == NULL)
    source = "catalogue";
  if (kiosk_catalog_bundle_is_bundle (bytes))
    {
      g_set_error (error, KIOSK_CATALOG_DOCUMENT_ERROR, KIOSK_CATALOG_DOCUMENT_ERROR_FAILED,
                   "%s: this is a signed bundle; open the catalogue it was made from", source);
      return NULL;
    }
  root = kiosk_json_parse_bytes (bytes, KIOSK_JSON_OUTSIDE_DEPTH, &local_error);
  if (root == NULL)
    {
      g_set_error (error, KIOSK_CATALOG_DOCUMENT_ERROR, KIOSK_CATALOG_DOCUMENT_ERROR_FAILED,
                   "%s: not valid JSON: %s", source, local_error->message);
      return NULL;
    }
  if (!JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error (error, KIOSK_CATALOG_DOCUMENT_ERROR, KIOSK_CATALOG_DOCUMENT_ERROR_FAILED,
                   "%s: expected a catalogue (a JSON object), found something else", source);
      return NULL;
    }
  self = g_object_new (KIOSK_TYPE_CATALOG_DOCUMENT, NULL);
  self->source = g_strdup (source);
  self->root = g_steal_pointer (&root);
  check (self);
  return g_steal_pointer (&self);
}

KioskCatalogDocument *
kiosk_catalog_document_new_from_file (const char  *path,
                                      GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  char *contents = NULL;
  gsize len;
  g_autoptr(GBytes) bytes = NULL;

  g_return_val_if_fail (path != NULL, NULL);

  if (!kiosk_file_read_bounded (path, KIOSK_FILE_MAX_CATALOG, &contents, &len, &local_error))
    {
      g_set_error (error, KIOSK_CATALOG_DOCUMENT_ERROR, KIOSK_CATALOG_DOCUMENT_ERROR_FAILED,
                   "%s", local_error->message);
      return NULL;
    }
  bytes = g_bytes_new_take (contents, len);
  return kiosk_catalog_document_new_from_bytes (bytes, path, error);
}

/**
 * kiosk_catalog_document_new_from_active:
 *
 * Opens the catalogue this kiosk uses (the newest stored one that loads,
 * else the bundled demo).
 */
KioskCatalogDocument *
kiosk_catalog_document_new_from_active (KioskStore  *store,
                                        GError     **error)
{
  g_autoptr(KioskCatalog) catalog = NULL;

  g_return_val_if_fail (KIOSK_IS_STORE (store), NULL);

  catalog = kiosk_catalog_load_active (store, error);
  if (catalog == NULL)
    return NULL;
  return kiosk_catalog_document_new_from_bytes (kiosk_catalog_get_bytes (catalog), "active catalogue", error);
}

const char *
kiosk_catalog_document_get_source (KioskCatalogDocument *self)
{
  g_return_val_if_fail (KIOSK_IS_CATALOG_DOCUMENT (self), NULL);
  return self->source;
}

/**
 * kiosk_catalog_document_get_root:
 *
 * Returns: (transfer none): the JSON tree; read it, change it only through
 *   the document
 */
JsonNode *
kiosk_catalog_document_get_root (KioskCatalogDocument *self)
{
  g_return_val_if_fail (KIOSK_IS_CATALOG_DOCUMENT (self), NULL);
  return self->root;
}

JsonNode *
kiosk_catalog_document_lookup (KioskCatalogDocument *self,
                               const char           *pointer)
{
  g_return_val_if_fail (KIOSK_IS_CATALOG_DOCUMENT (self), NULL);
  return pointer_lookup (self->root, pointer);
}

/**
 * kiosk_catalog_document_to_bytes:
 *
 * Returns: (transfer full): the catalogue in the canonical layout
 */
GBytes *
kiosk_catalog_document_to_bytes (KioskCatalogDocument *self)
{
  g_return_val_if_fail (KIOSK_IS_CATALOG_DOCUMENT (self), NULL);
  return kiosk_catalog_write_canonical (self->root);
}

/**
 * kiosk_catalog_document_get_problems:
 *
 * Returns: (transfer none) (element-type KioskCatalogProblem): what the
 *   kiosk's loader found in the tree, in its order; empty when valid
 */
GPtrArray *
kiosk_catalog_document_get_problems (KioskCatalogDocument *self)
{
  g_return_val_if_fail (KIOSK_IS_CATALOG_DOCUMENT (self), NULL);
  ensure_checked (self);
  return self->problems;
}

gboolean
kiosk_catalog_document_is_valid (KioskCatalogDocument *self)
{
  g_return_val_if_fail (KIOSK_IS_CATALOG_DOCUMENT (self), FALSE);
  ensure_checked (self);
  return self->catalog != NULL;
}

/* "<prefix>: <pointer>: <message>" per line, as the kiosk writes them. */
char *
kiosk_catalog_document_format_problems (KioskCatalogDocument *self,
                                        const char           *prefix)
{
  GString *out = g_string_new (NULL);

  g_return_val_if_fail (KIOSK_IS_CATALOG_DOCUMENT (self), NULL);

  ensure_checked (self);
  for (guint i = 0; i < self->problems->len; i++)
    {
      KioskCatalogProblem *p = self->problems->pdata[i];

      g_string_append_printf (out, "%s%s: %s: %s", i > 0 ? "\n" : "", prefix != NULL ? prefix : self->source,
                              *p->pointer != '\0' ? p->pointer : "(document)", p->message);
    }
  return g_string_free (out, FALSE);
}

/**
 * kiosk_catalog_document_get_catalog:
 *
 * Returns: (transfer none) (nullable): the catalogue as the kiosk loads it,
 *   %NULL while there are problems
 */
KioskCatalog *
kiosk_catalog_document_get_catalog (KioskCatalogDocument *self)
{
  g_return_val_if_fail (KIOSK_IS_CATALOG_DOCUMENT (self), NULL);
  ensure_checked (self);
  return self->catalog;
}

static void
collect_languages (JsonNode   *node,
                   GPtrArray  *langs,
                   guint       depth)
{
  if (depth > 40)
    return;
  if (JSON_NODE_HOLDS_OBJECT (node))
    {
      JsonObject *object = json_node_get_object (node);
      JsonObjectIter iter;
      const char *name;
      JsonNode *member;

      /* A text is an object that has "de" and only strings. */
      if (json_object_has_member (object, "de") && JSON_NODE_HOLDS_VALUE (json_object_get_member (object, "de")) &&
          json_node_get_value_type (json_object_get_member (object, "de")) == G_TYPE_STRING)
        {
          json_object_iter_init_ordered (&iter, object);
          while (json_object_iter_next_ordered (&iter, &name, &member))
            if (!g_ptr_array_find_with_equal_func (langs, name, g_str_equal, NULL))
              g_ptr_array_add (langs, g_strdup (name));
          return;
        }
      json_object_iter_init_ordered (&iter, object);
      while (json_object_iter_next_ordered (&iter, &name, &member))
        if (!g_str_equal (name, "keywords"))
          collect_languages (member, langs, depth + 1);
    }
  else if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);

      for (guint i = 0; i < json_array_get_length (array); i++)
        collect_languages (json_array_get_element (array, i), langs, depth + 1);
    }
}

/**
 * kiosk_catalog_document_dup_languages:
 *
 * Returns: (transfer full): the languages the catalogue's texts use, German
 *   first, then in the order of po/LINGUAS, then others as found
 */
GStrv
kiosk_catalog_document_dup_languages (KioskCatalogDocument *self)
{
  g_autoptr(GPtrArray) found = g_ptr_array_new_with_free_func (g_free);
  GPtrArray *sorted = g_ptr_array_new ();

  g_return_val_if_fail (KIOSK_IS_CATALOG_DOCUMENT (self), NULL);

  collect_languages (self->root, found, 0);
  for (guint i = 0; text_order[i] != NULL; i++)
    if (i == 0 || g_ptr_array_find_with_equal_func (found, text_order[i], g_str_equal, NULL))
      g_ptr_array_add (sorted, g_strdup (text_order[i]));
  for (guint i = 0; i < found->len; i++)
    if (rank_of (text_order, found->pdata[i]) == G_MAXINT)
      g_ptr_array_add (sorted, g_strdup (found->pdata[i]));
  g_ptr_array_add (sorted, NULL);
  return (GStrv) g_ptr_array_free (sorted, FALSE);
}

/* ------------------------------------------------------------------ */
/* Members and texts                                                   */

static JsonObject *
object_at (KioskCatalogDocument  *self,
           const char            *pointer,
           GError               **error)
{
  JsonNode *node = pointer_lookup (self->root, pointer);

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    {
      g_set_error (error, KIOSK_CATALOG_DOCUMENT_ERROR, KIOSK_CATALOG_DOCUMENT_ERROR_NOT_FOUND,
                   "%s: no object at %s", self->source, *pointer ? pointer : "(document)");
      return NULL;
    }
  return json_node_get_object (node);
}

/**
 * kiosk_catalog_document_set_member:
 * @pointer: the object's JSON pointer, e.g. "/services/0/steps/1/fields/2"
 * @name: the member
 * @value: (nullable) (transfer none): its new value (copied), or %NULL to
 *   remove it
 *
 * Sets any member; a new one goes to its usual place among the others.
 */
gboolean
kiosk_catalog_document_set_member (KioskCatalogDocument  *self,
                                   const char            *pointer,
                                   const char            *name,
                                   JsonNode              *value,
                                   GError               **error)
{
  JsonObject *object;

  g_return_val_if_fail (KIOSK_IS_CATALOG_DOCUMENT (self), FALSE);
  g_return_val_if_fail (pointer != NULL && name != NULL, FALSE);

  object = object_at (self, pointer, error);
  if (object == NULL)
    return FALSE;
  if (value == NULL)
    {
      if (!json_object_has_member (object, name))
        return TRUE;
      json_object_remove_member (object, name);
    }
  else
    object_set_ordered (object, order_for_pointer (pointer), name, deep_copy (value));
  changed (self);
  return TRUE;
}

/**
 * kiosk_catalog_document_set_text:
 * @text: (nullable): the text; %NULL or "" removes this language (and the
 *   member, when no language is left)
 */
gboolean
kiosk_catalog_document_set_text (KioskCatalogDocument  *self,
                                 const char            *pointer,
                                 const char            *name,
                                 const char            *lang,
                                 const char            *text,
                                 GError               **error)
{
  JsonObject *object;
  JsonNode *texts;

  g_return_val_if_fail (KIOSK_IS_CATALOG_DOCUMENT (self), FALSE);
  g_return_val_if_fail (pointer != NULL && name != NULL && lang != NULL, FALSE);

  object = object_at (self, pointer, error);
  if (object == NULL)
    return FALSE;
  texts = json_object_get_member (object, name);
  if (texts != NULL && !JSON_NODE_HOLDS_OBJECT (texts))
    {
      g_set_error (error, KIOSK_CATALOG_DOCUMENT_ERROR, KIOSK_CATALOG_DOCUMENT_ERROR_NOT_FOUND,
                   "%s: %s/%s is not a text by language", self->source, pointer, name);
      return FALSE;
    }
  if (text == NULL || *text == '\0')
    {
      if (texts == NULL || !json_object_has_member (json_node_get_object (texts), lang))
        return TRUE;
      json_object_remove_member (json_node_get_object (texts), lang);
      if (json_object_get_size (json_node_get_object (texts)) == 0)
        json_object_remove_member (object, name);
    }
  else
    {
      if (texts == NULL)
        {
          texts = json_node_init_object (json_node_alloc (), json_object_new ());
          object_set_ordered (object, order_for_pointer (pointer), name, texts);
        }
      object_set_ordered (json_node_get_object (texts), text_order, lang, json_node_init_string (json_node_alloc (), text));
    }
  changed (self);
  return TRUE;
}

/**
 * kiosk_catalog_document_get_text:
 *
 * Returns: (nullable): the text in exactly @lang (no fallback: a missing
 *   translation is %NULL)
 */
const char *
kiosk_catalog_document_get_text (KioskCatalogDocument *self,
                                 const char           *pointer,
                                 const char           *name,
                                 const char           *lang)
{
  JsonNode *node;
  JsonNode *text;

  g_return_val_if_fail (KIOSK_IS_CATALOG_DOCUMENT (self), NULL);

  node = pointer_lookup (self->root, pointer);
  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return NULL;
  node = json_object_get_member (json_node_get_object (node), name);
  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return NULL;
  text = json_object_get_member (json_node_get_object (node), lang);
  if (text == NULL || !JSON_NODE_HOLDS_VALUE (text) || json_node_get_value_type (text) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (text);
}

/* ------------------------------------------------------------------ */
/* Services                                                            */

static JsonArray *
array_member (JsonNode   *node,
              const char *name)
{
  JsonNode *member;

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return NULL;
  member = json_object_get_member (json_node_get_object (node), name);
  if (member == NULL || !JSON_NODE_HOLDS_ARRAY (member))
    return NULL;
  return json_node_get_array (member);
}

static JsonArray *
services_array (KioskCatalogDocument *self,
                gboolean              create)
{
  JsonArray *services = array_member (self->root, "services");

  if (services == NULL && create)
    {
      services = json_array_new ();
      object_set_ordered (json_node_get_object (self->root), root_order, "services",
                          json_node_init_array (json_node_alloc (), services));
      json_array_unref (services);
    }
  return services;
}

static JsonNode *
service_node (KioskCatalogDocument  *self,
              guint                  service,
              GError               **error)
{
  JsonArray *services = services_array (self, FALSE);
  JsonNode *node;

  if (services == NULL || service >= json_array_get_length (services) ||
      !JSON_NODE_HOLDS_OBJECT ((node = json_array_get_element (services, service))))
    {
      g_set_error (error, KIOSK_CATALOG_DOCUMENT_ERROR, KIOSK_CATALOG_DOCUMENT_ERROR_NOT_FOUND,
                   "%s: there is no service %u", self->source, service);
      return NULL;
    }
  return node;
}

static const char *
string_member (JsonObject *object,
               const char *name)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, name) : NULL;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

guint
kiosk_catalog_document_get_n_services (KioskCatalogDocument *self)
{
  JsonArray *services;

  g_return_val_if_fail (KIOSK_IS_CATALOG_DOCUMENT (self), 0);
  services = services_array (self, FALSE);
  return services != NULL ? json_array_get_length (services) : 0;
}

const char *
kiosk_catalog_document_get_service_id (KioskCatalogDocument *self,
                                       guint                 service)
{
  JsonNode *node;

  g_return_val_if_fail (KIOSK_IS_CATALOG_DOCUMENT (self), NULL);
  node = service_node (self, service, NULL);
  return node != NULL ? string_member (json_node_get_object (node), "id") : NULL;
}

int
kiosk_catalog_document_find_service (KioskCatalogDocument *self,
                                     const char           *id)
{
  guint n = kiosk_catalog_document_get_n_services (self);

  for (guint i = 0; i < n; i++)
    if (g_strcmp0 (kiosk_catalog_document_get_service_id (self, i), id) == 0)
      return (int) i;
  return -1;
}

gboolean
kiosk_catalog_document_get_service_enabled (KioskCatalogDocument *self,
                                            guint                 service)
{
  JsonNode *node = service_node (self, service, NULL);
  JsonNode *enabled;

  if (node == NULL)
    return FALSE;
  enabled = json_object_get_member (json_node_get_object (node), "enabled");
  if (enabled == NULL || !JSON_NODE_HOLDS_VALUE (enabled) || json_node_get_value_type (enabled) != G_TYPE_BOOLEAN)
    return TRUE;
  return json_node_get_boolean (enabled);
}

static gboolean
valid_id (const char *id)
{
  if (id == NULL || *id == '\0' || strlen (id) > 64)
    return FALSE;
  if (!g_ascii_islower (id[0]) && !g_ascii_isdigit (id[0]))
    return FALSE;
  for (const char *p = id; *p; p++)
    if (!g_ascii_islower (*p) && !g_ascii_isdigit (*p) && *p != '-' && *p != '_' && *p != '.')
      return FALSE;
  return TRUE;
}

static gboolean
check_new_id (KioskCatalogDocument  *self,
              const char            *id,
              const char            *what,
              GError               **error)
{
  if (!valid_id (id))
    {
      g_set_error (error, KIOSK_CATALOG_DOCUMENT_ERROR, KIOSK_CATALOG_DOCUMENT_ERROR_INVALID,
                   "\"%s\" is not a usable %s id: lower-case letters, digits, '-', '_' and '.', "
                   "starting with a letter or digit, at most 64 characters", id != NULL ? id : "", what);
      return FALSE;
    }
  return TRUE;
}

static JsonNode *
take_object (JsonObject *object)
{
  JsonNode *node = json_node_new (JSON_NODE_OBJECT);

  json_node_take_object (node, object);
  return node;
}

static JsonNode *
text_node (const char *de)
{
  JsonObject *object = json_object_new ();

  json_object_set_string_member (object, "de", de);
  return take_object (object);
}

static JsonNode *
new_field_node (const char     *id,
                KioskFieldType  type,
                const char     *label_de)
{
  JsonObject *field = json_object_new ();

  json_object_set_string_member (field, "id", id);
  json_object_set_string_member (field, "type", kiosk_field_type_to_string (type));
  if (type == KIOSK_FIELD_INFO)
    json_object_set_member (field, "text", text_node (label_de));
  else
    json_object_set_member (field, "label", text_node (label_de));
  if (type == KIOSK_FIELD_CHOICE || type == KIOSK_FIELD_MULTICHOICE)
    {
      JsonArray *options = json_array_new ();

      for (guint i = 1; i <= 2; i++)
        {
          JsonObject *option = json_object_new ();
          g_autofree char *value = g_strdup_printf ("option-%u", i);
          g_autofree char *label = g_strdup_printf ("Auswahl %u", i);

          json_object_set_string_member (option, "value", value);
          json_object_set_member (option, "label", text_node (label));
          json_array_add_object_element (options, option);
        }
      json_object_set_array_member (field, "options", options);
    }
  if (type == KIOSK_FIELD_CONSENT)
    json_object_set_boolean_member (field, "required", TRUE);
  return take_object (field);
}

/**
 * kiosk_catalog_document_add_service:
 * @id: the new service's id
 * @title_de: its German title
 *
 * Appends a service that is valid as it is: the first category, `queue`
 * offline, one step asking for a description.
 *
 * Returns: its index, or -1
 */
int
kiosk_catalog_document_add_service (KioskCatalogDocument  *self,
                                    const char            *id,
                                    const char            *title_de,
                                    GError               **error)
{
  JsonObject *service;
  JsonArray *steps;
  JsonObject *step;
  JsonArray *fields;
  JsonArray *categories;
  JsonArray *services;
  const char *category = "general";

  g_return_val_if_fail (KIOSK_IS_CATALOG_DOCUMENT (self), -1);

  if (!check_new_id (self, id, "service", error))
    return -1;
  if (kiosk_catalog_document_find_service (self, id) >= 0)
    {
      g_set_error (error, KIOSK_CATALOG_DOCUMENT_ERROR, KIOSK_CATALOG_DOCUMENT_ERROR_EXISTS,
                   "there is a service \"%s\" already", id);
      return -1;
    }
  categories = array_member (self->root, "categories");
  if (categories != NULL && json_array_get_length (categories) > 0 &&
      JSON_NODE_HOLDS_OBJECT (json_array_get_element (categories, 0)) &&
      string_member (json_array_get_object_element (categories, 0), "id") != NULL)
    category = string_member (json_array_get_object_element (categories, 0), "id");

  service = json_object_new ();
  json_object_set_string_member (service, "id", id);
  json_object_set_int_member (service, "version", 1);
  json_object_set_member (service, "title", text_node (title_de != NULL && *title_de ? title_de : id));
  json_object_set_member (service, "summary", text_node (title_de != NULL && *title_de ? title_de : id));
  json_object_set_string_member (service, "category", category);
  json_object_set_string_member (service, "offline", "queue");
  steps = json_array_new ();
  step = json_object_new ();
  json_object_set_member (step, "title", text_node (title_de != NULL && *title_de ? title_de : id));
  fields = json_array_new ();
  json_array_add_element (fields, new_field_node ("description", KIOSK_FIELD_TEXTAREA, "Beschreibung"));
  json_object_set_array_member (step, "fields", fields);
  json_array_add_object_element (steps, step);
  json_object_set_array_member (service, "steps", steps);

  services = services_array (self, TRUE);
  json_array_add_object_element (services, service);
  changed (self);
  return (int) json_array_get_length (services) - 1;
}

static char *
free_service_id (KioskCatalogDocument *self,
                 const char           *base)
{
  for (guint n = 2; ; n++)
    {
      g_autofree char *id = g_strdup_printf ("%.58s-%u", base, n);

      if (kiosk_catalog_document_find_service (self, id) < 0)
        return g_steal_pointer (&id);
    }
}

/**
 * kiosk_catalog_document_copy_service:
 * @new_id: (nullable): the copy's id; %NULL: "<id>-2", "<id>-3", …
 *
 * Inserts a copy right after the service, at version 1.
 *
 * Returns: the copy's index, or -1
 */
int
kiosk_catalog_document_copy_service (KioskCatalogDocument  *self,
                                     guint                  service,
                                     const char            *new_id,
                                     GError               **error)
{
  JsonNode *node;
  g_autoptr(JsonNode) copy = NULL;
  g_autofree char *id = NULL;
  JsonArray *services;
  g_autoptr(GPtrArray) elements = NULL;

  g_return_val_if_fail (KIOSK_IS_CATALOG_DOCUMENT (self), -1);

  node = service_node (self, service, error);
  if (node == NULL)
    return -1;
  id = new_id != NULL ? g_strdup (new_id)
                      : free_service_id (self, string_member (json_node_get_object (node), "id") ?: "service");
  if (!check_new_id (self, id, "service", error))
    return -1;
  if (kiosk_catalog_document_find_service (self, id) >= 0)
    {
      g_set_error (error, KIOSK_CATALOG_DOCUMENT_ERROR, KIOSK_CATALOG_DOCUMENT_ERROR_EXISTS,
                   "there is a service \"%s\" already", id);
      return -1;
    }
  copy = deep_copy (node);
  json_object_set_string_member (json_node_get_object (copy), "id", id);
  json_object_set_int_member (json_node_get_object (copy), "version", 1);

  /* JsonArray cannot insert: take the elements out and put them back. */
  services = services_array (self, FALSE);
  elements = g_ptr_array_new_with_free_func ((GDestroyNotify) json_node_unref);
  while (json_array_get_length (services) > service + 1)
    {
      g_ptr_array_add (elements, json_node_ref (json_array_get_element (services, service + 1)));
      json_array_remove_element (services, service + 1);
    }
  json_array_add_element (services, g_steal_pointer (&copy));
  for (guint i = 0; i < elements->len; i++)
    json_array_add_element (services, json_node_ref (elements->pdata[i]));
  changed (self);
  return (int) service + 1;
}

static void
array_insert (JsonArray *array,
              guint      at,
              JsonNode  *node)
{
  g_autoptr(GPtrArray) tail = g_ptr_array_new_with_free_func ((GDestroyNotify) json_node_unref);

  while (json_array_get_length (array) > at)
    {
      g_ptr_array_add (tail, json_node_ref (json_array_get_element (array, at)));
      json_array_remove_element (array, at);
    }
  json_array_add_element (array, node);
  for (guint i = 0; i < tail->len; i++)
    json_array_add_element (array, json_node_ref (tail->pdata[i]));
}

static JsonNode *
array_take (JsonArray *array,
            guint      at)
{
  JsonNode *node = json_node_ref (json_array_get_element (array, at));

  json_array_remove_element (array, at);
  return node;
}

static gboolean
move_in_array (KioskCatalogDocument  *self,
               JsonArray             *array,
               guint                  from,
               guint                  to,
               const char            *what,
               GError               **error)
{
  guint n = array != NULL ? json_array_get_length (array) : 0;

  if (from >= n || to >= n)
    {
      g_set_error (error, KIOSK_CATALOG_DOCUMENT_ERROR, KIOSK_CATALOG_DOCUMENT_ERROR_NOT_FOUND,
                   "%s: cannot move %s %u to %u: there are %u", self->source, what, from, to, n);
      return FALSE;
    }
  if (from == to)
    return TRUE;
  array_insert (array, to, array_take (array, from));
  changed (self);
  return TRUE;
}

gboolean
kiosk_catalog_document_remove_service (KioskCatalogDocument  *self,
                                       guint                  service,
                                       GError               **error)
{
  g_return_val_if_fail (KIOSK_IS_CATALOG_DOCUMENT (self), FALSE);

  if (service_node (self, service, error) == NULL)
    return FALSE;
  json_array_remove_element (services_array (self, FALSE), service);
  changed (self);
  return TRUE;
}

gboolean
kiosk_catalog_document_move_service (KioskCatalogDocument  *self,
                                     guint                  from,
                                     guint                  to,
                                     GError               **error)
{
  g_return_val_if_fail (KIOSK_IS_CATALOG_DOCUMENT (self), FALSE);
  return move_in_array (self, services_array (self, FALSE), from, to, "service", error);
}

/**
 * kiosk_catalog_document_set_service_enabled:
 *
 * A disabled service stays in the catalogue ("enabled": false) but the
 * kiosk does not offer it.  Enabling removes the member again.
 */
gboolean
kiosk_catalog_document_set_service_enabled (KioskCatalogDocument  *self,
                                            guint                  service,
                                            gboolean               enabled,
                                            GError               **error)
{
  g_autofree char *pointer = g_strdup_printf ("/services/%u", service);
  g_autoptr(JsonNode) value = NULL;

  g_return_val_if_fail (KIOSK_IS_CATALOG_DOCUMENT (self), FALSE);

  if (service_node (self, service, error) == NULL)
    return FALSE;
  if (!enabled)
    value = json_node_init_boolean (json_node_alloc (), FALSE);
  return kiosk_catalog_document_set_member (self, pointer, "enabled", value, error);
}

/**
 * kiosk_catalog_document_add_category:
 * @id: the new category's id
 * @title_de: its German title
 *
 * Appends a category (icon: the kiosk's default).
 *
 * Returns: its index, or -1
 */
int
kiosk_catalog_document_add_category (KioskCatalogDocument  *self,
                                     const char            *id,
                                     const char            *title_de,
                                     GError               **error)
{
  JsonArray *categories;
  JsonObject *category;

  g_return_val_if_fail (KIOSK_IS_CATALOG_DOCUMENT (self), -1);

  if (!check_new_id (self, id, "category", error))
    return -1;
  if (kiosk_catalog_document_find_category (self, id) >= 0)
    {
      g_set_error (error, KIOSK_CATALOG_DOCUMENT_ERROR, KIOSK_CATALOG_DOCUMENT_ERROR_EXISTS,
                   "there is a category \"%s\" already", id);
      return -1;
    }
  categories = array_member (self->root, "categories");
  if (categories == NULL)
    {
      categories = json_array_new ();
      object_set_ordered (json_node_get_object (self->root), root_order, "categories",
                          json_node_init_array (json_node_alloc (), categories));
      json_array_unref (categories);
    }
  category = json_object_new ();
  json_object_set_string_member (category, "id", id);
  json_object_set_member (category, "title", text_node (title_de != NULL && *title_de ? title_de : id));
  json_array_add_object_element (categories, category);
  changed (self);
  return (int) json_array_get_length (categories) - 1;
}

int
kiosk_catalog_document_find_category (KioskCatalogDocument *self,
                                      const char           *id)
{
  JsonArray *categories;

  g_return_val_if_fail (KIOSK_IS_CATALOG_DOCUMENT (self), -1);

  categories = array_member (self->root, "categories");
  for (guint i = 0; categories != NULL && i < json_array_get_length (categories); i++)
    {
      JsonNode *c = json_array_get_element (categories, i);

      if (JSON_NODE_HOLDS_OBJECT (c) && g_strcmp0 (string_member (json_node_get_object (c), "id"), id) == 0)
        return (int) i;
    }
  return -1;
}

/* ------------------------------------------------------------------ */
/* Steps and fields                                                    */

char *
kiosk_catalog_document_step_pointer (guint service,
                                     guint step)
{
  return g_strdup_printf ("/services/%u/steps/%u", service, step);
}

char *
kiosk_catalog_document_field_pointer (guint service,
                                      guint step,
                                      guint field)
{
  return g_strdup_printf ("/services/%u/steps/%u/fields/%u", service, step, field);
}

static JsonArray *
steps_array (KioskCatalogDocument  *self,
             guint                  service,
             GError               **error)
{
  JsonNode *node = service_node (self, service, error);
  JsonArray *steps;

  if (node == NULL)
    return NULL;
  steps = array_member (node, "steps");
  if (steps == NULL)
    {
      steps = json_array_new ();
      object_set_ordered (json_node_get_object (node), service_order, "steps",
                          json_node_init_array (json_node_alloc (), steps));
      json_array_unref (steps);
    }
  return steps;
}

static JsonArray *
fields_array (KioskCatalogDocument  *self,
              guint                  service,
              guint                  step,
              GError               **error)
{
  JsonArray *steps = steps_array (self, service, error);
  JsonNode *node;
  JsonArray *fields;

  if (steps == NULL)
    return NULL;
  if (step >= json_array_get_length (steps) || !JSON_NODE_HOLDS_OBJECT ((node = json_array_get_element (steps, step))))
    {
      g_set_error (error, KIOSK_CATALOG_DOCUMENT_ERROR, KIOSK_CATALOG_DOCUMENT_ERROR_NOT_FOUND,
                   "%s: service %u has no step %u", self->source, service, step);
      return NULL;
    }
  fields = array_member (node, "fields");
  if (fields == NULL)
    {
      fields = json_array_new ();
      object_set_ordered (json_node_get_object (node), step_order, "fields",
                          json_node_init_array (json_node_alloc (), fields));
      json_array_unref (fields);
    }
  return fields;
}

static JsonObject *
field_object (KioskCatalogDocument  *self,
              guint                  service,
              guint                  step,
              guint                  field,
              GError               **error)
{
  JsonArray *fields = fields_array (self, service, step, error);
  JsonNode *node;

  if (fields == NULL)
    return NULL;
  if (field >= json_array_get_length (fields) || !JSON_NODE_HOLDS_OBJECT ((node = json_array_get_element (fields, field))))
    {
      g_set_error (error, KIOSK_CATALOG_DOCUMENT_ERROR, KIOSK_CATALOG_DOCUMENT_ERROR_NOT_FOUND,
                   "%s: step %u of service %u has no field %u", self->source, step, service, field);
      return NULL;
    }
  return json_node_get_object (node);
}

guint
kiosk_catalog_document_get_n_steps (KioskCatalogDocument *self,
                                    guint                 service)
{
  JsonNode *node = service_node (self, service, NULL);
  JsonArray *steps = array_member (node, "steps");

  return steps != NULL ? json_array_get_length (steps) : 0;
}

guint
kiosk_catalog_document_get_n_fields (KioskCatalogDocument *self,
                                     guint                 service,
                                     guint                 step)
{
  JsonNode *node = service_node (self, service, NULL);
  JsonArray *steps = array_member (node, "steps");
  JsonArray *fields;

  if (steps == NULL || step >= json_array_get_length (steps))
    return 0;
  fields = array_member (json_array_get_element (steps, step), "fields");
  return fields != NULL ? json_array_get_length (fields) : 0;
}

/**
 * kiosk_catalog_document_get_field:
 *
 * Returns: (transfer none) (nullable): the field's JSON object, to read
 */
JsonObject *
kiosk_catalog_document_get_field (KioskCatalogDocument *self,
                                  guint                 service,
                                  guint                 step,
                                  guint                 field)
{
  g_return_val_if_fail (KIOSK_IS_CATALOG_DOCUMENT (self), NULL);
  if (field >= kiosk_catalog_document_get_n_fields (self, service, step))
    return NULL;
  return field_object (self, service, step, field, NULL);
}

gboolean
kiosk_catalog_document_add_step (KioskCatalogDocument  *self,
                                 guint                  service,
                                 guint                  at,
                                 const char            *title_de,
                                 GError               **error)
{
  JsonArray *steps;
  JsonObject *step;

  g_return_val_if_fail (KIOSK_IS_CATALOG_DOCUMENT (self), FALSE);

  steps = steps_array (self, service, error);
  if (steps == NULL)
    return FALSE;
  step = json_object_new ();
  json_object_set_member (step, "title", text_node (title_de != NULL && *title_de ? title_de : "Schritt"));
  json_object_set_array_member (step, "fields", json_array_new ());
  array_insert (steps, MIN (at, json_array_get_length (steps)), json_node_init_object (json_node_alloc (), step));
  json_object_unref (step);
  changed (self);
  return TRUE;
}

gboolean
kiosk_catalog_document_remove_step (KioskCatalogDocument  *self,
                                    guint                  service,
                                    guint                  step,
                                    GError               **error)
{
  JsonArray *steps;

  g_return_val_if_fail (KIOSK_IS_CATALOG_DOCUMENT (self), FALSE);

  steps = steps_array (self, service, error);
  if (steps == NULL)
    return FALSE;
  if (step >= json_array_get_length (steps))
    {
      g_set_error (error, KIOSK_CATALOG_DOCUMENT_ERROR, KIOSK_CATALOG_DOCUMENT_ERROR_NOT_FOUND,
                   "%s: service %u has no step %u", self->source, service, step);
      return FALSE;
    }
  json_array_remove_element (steps, step);
  changed (self);
  return TRUE;
}

gboolean
kiosk_catalog_document_move_step (KioskCatalogDocument  *self,
                                  guint                  service,
                                  guint                  from,
                                  guint                  to,
                                  GError               **error)
{
  JsonArray *steps;

  g_return_val_if_fail (KIOSK_IS_CATALOG_DOCUMENT (self), FALSE);

  steps = steps_array (self, service, error);
  if (steps == NULL)
    return FALSE;
  return move_in_array (self, steps, from, to, "step", error);
}

static gboolean
service_has_field (KioskCatalogDocument *self,
                   guint                 service,
                   const char           *id)
{
  guint n_steps = kiosk_catalog_document_get_n_steps (self, service);

  for (guint s = 0; s < n_steps; s++)
    {
      guint n = kiosk_catalog_document_get_n_fields (self, service, s);

      for (guint f = 0; f < n; f++)
        if (g_strcmp0 (string_member (kiosk_catalog_document_get_field (self, service, s, f), "id"), id) == 0)
          return TRUE;
    }
  return FALSE;
}

gboolean
kiosk_catalog_document_add_field (KioskCatalogDocument  *self,
                                  guint                  service,
                                  guint                  step,
                                  guint                  at,
                                  const char            *id,
                                  KioskFieldType         type,
                                  const char            *label_de,
                                  GError               **error)
{
  JsonArray *fields;

  g_return_val_if_fail (KIOSK_IS_CATALOG_DOCUMENT (self), FALSE);

  if (!check_new_id (self, id, "field", error))
    return FALSE;
  fields = fields_array (self, service, step, error);
  if (fields == NULL)
    return FALSE;
  if (service_has_field (self, service, id))
    {
      g_set_error (error, KIOSK_CATALOG_DOCUMENT_ERROR, KIOSK_CATALOG_DOCUMENT_ERROR_EXISTS,
                   "the service has a field \"%s\" already", id);
      return FALSE;
    }
  array_insert (fields, MIN (at, json_array_get_length (fields)),
                new_field_node (id, type, label_de != NULL && *label_de ? label_de : id));
  changed (self);
  return TRUE;
}

gboolean
kiosk_catalog_document_remove_field (KioskCatalogDocument  *self,
                                     guint                  service,
                                     guint                  step,
                                     guint                  field,
                                     GError               **error)
{
  g_return_val_if_fail (KIOSK_IS_CATALOG_DOCUMENT (self), FALSE);

  if (field_object (self, service, step, field, error) == NULL)
    return FALSE;
  json_array_remove_element (fields_array (self, service, step, NULL), field);
  changed (self);
  return TRUE;
}

/**
 * kiosk_catalog_document_move_field:
 *
 * Moves a field within its step or to another step of the same service.
 * A condition that then looks at a later field is listed as a problem.
 */
gboolean
kiosk_catalog_document_move_field (KioskCatalogDocument  *self,
                                   guint                  service,
                                   guint                  step,
                                   guint                  field,
                                   guint                  to_step,
                                   guint                  to,
                                   GError               **error)
{
  JsonArray *from_fields;
  JsonArray *to_fields;

  g_return_val_if_fail (KIOSK_IS_CATALOG_DOCUMENT (self), FALSE);

  if (field_object (self, service, step, field, error) == NULL)
    return FALSE;
  to_fields = fields_array (self, service, to_step, error);
  if (to_fields == NULL)
    return FALSE;
  from_fields = fields_array (self, service, step, NULL);
  if (from_fields == to_fields)
    return move_in_array (self, from_fields, field, to, "field", error);
  array_insert (to_fields, MIN (to, json_array_get_length (to_fields)), array_take (from_fields, field));
  changed (self);
  return TRUE;
}

/**
 * kiosk_catalog_document_copy_field:
 * @out_id: (out) (optional): the copy's id (the same, or "<id>-2" when taken)
 *
 * Reuses a field of another (or the same) service.  Its condition is left
 * behind: it names fields of the other service.
 */
gboolean
kiosk_catalog_document_copy_field (KioskCatalogDocument  *self,
                                   guint                  from_service,
                                   guint                  from_step,
                                   guint                  from_field,
                                   guint                  service,
                                   guint                  step,
                                   guint                  at,
                                   char                 **out_id,
                                   GError               **error)
{
  JsonObject *source;
  JsonArray *fields;
  g_autoptr(JsonNode) copy = NULL;
  g_autofree char *id = NULL;
  const char *base;

  g_return_val_if_fail (KIOSK_IS_CATALOG_DOCUMENT (self), FALSE);

  source = field_object (self, from_service, from_step, from_field, error);
  if (source == NULL)
    return FALSE;
  fields = fields_array (self, service, step, error);
  if (fields == NULL)
    return FALSE;
  {
    g_autoptr(JsonNode) wrapped = json_node_init_object (json_node_alloc (), source);

    copy = deep_copy (wrapped);
  }
  base = string_member (json_node_get_object (copy), "id") ?: "field";
  id = g_strdup (base);
  for (guint n = 2; service_has_field (self, service, id); n++)
    {
      g_free (id);
      id = g_strdup_printf ("%.58s-%u", base, n);
    }
  json_object_set_string_member (json_node_get_object (copy), "id", id);
  if (json_object_has_member (json_node_get_object (copy), "visible_if"))
    json_object_remove_member (json_node_get_object (copy), "visible_if");
  array_insert (fields, MIN (at, json_array_get_length (fields)), g_steal_pointer (&copy));
  if (out_id != NULL)
    *out_id = g_steal_pointer (&id);
  changed (self);
  return TRUE;
}

/**
 * kiosk_catalog_document_set_field_type:
 *
 * Changes a field's type and drops the members the new type does not have
 * (options when it is no longer a choice, limits, …); a choice gets two
 * options to start from, an info field a text.
 */
gboolean
kiosk_catalog_document_set_field_type (KioskCatalogDocument  *self,
                                       guint                  service,
                                       guint                  step,
                                       guint                  field,
                                       KioskFieldType         type,
                                       GError               **error)
{
  JsonObject *object;
  const char * const *allowed = _kiosk_catalog_field_members (type);
  g_autoptr(GList) members = NULL;
  g_autoptr(JsonNode) fresh = NULL;
  JsonObject *fresh_object;

  g_return_val_if_fail (KIOSK_IS_CATALOG_DOCUMENT (self), FALSE);

  object = field_object (self, service, step, field, error);
  if (object == NULL)
    return FALSE;
  members = json_object_get_members (object);
  for (GList *l = members; l != NULL; l = l->next)
    if (!g_str_has_prefix (l->data, "x-") && !g_strv_contains (allowed, l->data))
      json_object_remove_member (object, l->data);
  /* The default rarely fits another type. */
  if (json_object_has_member (object, "default"))
    json_object_remove_member (object, "default");
  json_object_set_string_member (object, "type", kiosk_field_type_to_string (type));

  fresh = new_field_node ("x", type, string_member (object, "id"));
  fresh_object = json_node_get_object (fresh);
  if (type == KIOSK_FIELD_INFO && !json_object_has_member (object, "text"))
    object_set_ordered (object, field_order, "text", deep_copy (json_object_get_member (fresh_object, "text")));
  if (type != KIOSK_FIELD_INFO && !json_object_has_member (object, "label"))
    object_set_ordered (object, field_order, "label", deep_copy (json_object_get_member (fresh_object, "label")));
  if ((type == KIOSK_FIELD_CHOICE || type == KIOSK_FIELD_MULTICHOICE) && !json_object_has_member (object, "options"))
    object_set_ordered (object, field_order, "options", deep_copy (json_object_get_member (fresh_object, "options")));
  changed (self);
  return TRUE;
}

gboolean
kiosk_catalog_document_add_option (KioskCatalogDocument  *self,
                                   guint                  service,
                                   guint                  step,
                                   guint                  field,
                                   const char            *value,
                                   const char            *label_de,
                                   GError               **error)
{
  JsonObject *object;
  JsonNode *options;
  JsonObject *option;

  g_return_val_if_fail (KIOSK_IS_CATALOG_DOCUMENT (self), FALSE);
  g_return_val_if_fail (value != NULL, FALSE);

  object = field_object (self, service, step, field, error);
  if (object == NULL)
    return FALSE;
  options = json_object_get_member (object, "options");
  if (options == NULL || !JSON_NODE_HOLDS_ARRAY (options))
    {
      object_set_ordered (object, field_order, "options", json_node_init_array (json_node_alloc (), json_array_new ()));
      json_array_unref (json_node_get_array (json_object_get_member (object, "options")));
      options = json_object_get_member (object, "options");
    }
  option = json_object_new ();
  json_object_set_string_member (option, "value", value);
  json_object_set_member (option, "label", text_node (label_de != NULL && *label_de ? label_de : value));
  json_array_add_object_element (json_node_get_array (options), option);
  changed (self);
  return TRUE;
}

gboolean
kiosk_catalog_document_remove_option (KioskCatalogDocument  *self,
                                      guint                  service,
                                      guint                  step,
                                      guint                  field,
                                      guint                  option,
                                      GError               **error)
{
  JsonObject *object;
  JsonNode *options;

  g_return_val_if_fail (KIOSK_IS_CATALOG_DOCUMENT (self), FALSE);

  object = field_object (self, service, step, field, error);
  if (object == NULL)
    return FALSE;
  options = json_object_get_member (object, "options");
  if (options == NULL || !JSON_NODE_HOLDS_ARRAY (options) || option >= json_array_get_length (json_node_get_array (options)))
    {
      g_set_error (error, KIOSK_CATALOG_DOCUMENT_ERROR, KIOSK_CATALOG_DOCUMENT_ERROR_NOT_FOUND,
                   "%s: the field has no option %u", self->source, option);
      return FALSE;
    }
  json_array_remove_element (json_node_get_array (options), option);
  changed (self);
  return TRUE;
}

/* ------------------------------------------------------------------ */
/* Conditions                                                          */

/**
 * kiosk_catalog_document_condition_fields:
 *
 * Returns: (transfer container) (element-type utf8): the ids of the fields
 *   a condition of this field may look at: the input fields before it in
 *   the service (the loader refuses later ones, which rules out cycles)
 */
GPtrArray *
kiosk_catalog_document_condition_fields (KioskCatalogDocument *self,
                                         guint                 service,
                                         guint                 step,
                                         guint                 field)
{
  GPtrArray *ids = g_ptr_array_new ();

  g_return_val_if_fail (KIOSK_IS_CATALOG_DOCUMENT (self), ids);

  for (guint s = 0; s <= step && s < kiosk_catalog_document_get_n_steps (self, service); s++)
    {
      guint n = kiosk_catalog_document_get_n_fields (self, service, s);

      for (guint f = 0; f < n && (s < step || f < field); f++)
        {
          JsonObject *object = kiosk_catalog_document_get_field (self, service, s, f);
          const char *id = string_member (object, "id");

          if (id != NULL && g_strcmp0 (string_member (object, "type"), "info") != 0)
            g_ptr_array_add (ids, (char *) id);
        }
    }
  return ids;
}

/**
 * kiosk_catalog_condition_operators:
 *
 * Returns: (transfer none): the tests a condition may make on a field of
 *   @type: "equals", "not_equals", "in", "is_set"; an address only
 *   "is_set", an info field none
 */
const char * const *
kiosk_catalog_condition_operators (KioskFieldType type)
{
  static const char * const all[] = { "equals", "not_equals", "in", "is_set", NULL };
  static const char * const yes_no[] = { "equals", "not_equals", "is_set", NULL };
  static const char * const set_only[] = { "is_set", NULL };
  static const char * const none[] = { NULL };

  switch (type)
    {
    case KIOSK_FIELD_INFO:
      return none;
    case KIOSK_FIELD_ADDRESS:
      return set_only;
    case KIOSK_FIELD_BOOLEAN:
    case KIOSK_FIELD_CONSENT:
      return yes_no;
    case KIOSK_FIELD_TEXT:
    case KIOSK_FIELD_TEXTAREA:
    case KIOSK_FIELD_NUMBER:
    case KIOSK_FIELD_DATE:
    case KIOSK_FIELD_CHOICE:
    case KIOSK_FIELD_MULTICHOICE:
    case KIOSK_FIELD_EMAIL:
    case KIOSK_FIELD_PHONE:
    default:
      return all;
    }
}

/**
 * kiosk_catalog_field_members:
 *
 * Returns: (transfer none): the members a field of @type may have, as the
 *   loader checks them (the property editor shows these)
 */
const char * const *
kiosk_catalog_field_members (KioskFieldType type)
{
  return _kiosk_catalog_field_members (type);
}

/**
 * kiosk_catalog_document_set_condition:
 * @on_field: (nullable): the earlier field to look at; %NULL removes the
 *   condition
 * @op: "equals", "not_equals", "in" or "is_set"
 * @value: (transfer none): what to compare with (for "in" an array, for
 *   "is_set" a boolean)
 *
 * Gives a field one test as its condition.  Only fields and operators the
 * pickers offer are taken; whether the value fits the field is the loader's
 * to say (a problem at …/visible_if).
 */
gboolean
kiosk_catalog_document_set_condition (KioskCatalogDocument  *self,
                                      guint                  service,
                                      guint                  step,
                                      guint                  field,
                                      const char            *on_field,
                                      const char            *op,
                                      JsonNode              *value,
                                      GError               **error)
{
  JsonObject *object;
  g_autoptr(GPtrArray) candidates = NULL;
  JsonObject *condition;
  KioskFieldType type = KIOSK_FIELD_TEXT;

  g_return_val_if_fail (KIOSK_IS_CATALOG_DOCUMENT (self), FALSE);

  object = field_object (self, service, step, field, error);
  if (object == NULL)
    return FALSE;
  if (on_field == NULL)
    {
      if (json_object_has_member (object, "visible_if"))
        {
          json_object_remove_member (object, "visible_if");
          changed (self);
        }
      return TRUE;
    }
  candidates = kiosk_catalog_document_condition_fields (self, service, step, field);
  if (!g_ptr_array_find_with_equal_func (candidates, on_field, g_str_equal, NULL))
    {
      g_set_error (error, KIOSK_CATALOG_DOCUMENT_ERROR, KIOSK_CATALOG_DOCUMENT_ERROR_INVALID,
                   "a condition may only look at an earlier field of the service; \"%s\" is not one", on_field);
      return FALSE;
    }
  for (guint s = 0; s < kiosk_catalog_document_get_n_steps (self, service); s++)
    for (guint f = 0; f < kiosk_catalog_document_get_n_fields (self, service, s); f++)
      {
        JsonObject *other = kiosk_catalog_document_get_field (self, service, s, f);

        if (g_strcmp0 (string_member (other, "id"), on_field) == 0)
          kiosk_field_type_from_string (string_member (other, "type"), &type);
      }
  if (op == NULL || !g_strv_contains (kiosk_catalog_condition_operators (type), op))
    {
      g_set_error (error, KIOSK_CATALOG_DOCUMENT_ERROR, KIOSK_CATALOG_DOCUMENT_ERROR_INVALID,
                   "\"%s\" is not a test for a %s field", op != NULL ? op : "", kiosk_field_type_to_string (type));
      return FALSE;
    }
  if (value == NULL)
    {
      g_set_error (error, KIOSK_CATALOG_DOCUMENT_ERROR, KIOSK_CATALOG_DOCUMENT_ERROR_INVALID,
                   "the condition needs a value to compare with");
      return FALSE;
    }
  condition = json_object_new ();
  json_object_set_string_member (condition, "field", on_field);
  json_object_set_member (condition, op, deep_copy (value));
  object_set_ordered (object, field_order, "visible_if", json_node_init_object (json_node_alloc (), condition));
  json_object_unref (condition);
  changed (self);
  return TRUE;
}

/* ------------------------------------------------------------------ */
/* Export and import of one service                                    */

static char *
service_checksum (JsonNode *service)
{
  g_autoptr(GBytes) bytes = kiosk_catalog_write_canonical (service);

  return g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, bytes);
}

/**
 * kiosk_catalog_document_export_service:
 *
 * A small file with one service, the category it is in, and the SHA-256 of
 * the service's canonical JSON, so that a damaged or edited file is noticed
 * on import:
 * `{"stadtkiosk-service": 1, "category": {…}, "service": {…}, "sha256": "…"}`.
 *
 * Returns: (transfer full) (nullable): the file's bytes
 */
GBytes *
kiosk_catalog_document_export_service (KioskCatalogDocument  *self,
                                       guint                  service,
                                       GError               **error)
{
  JsonNode *node;
  const char *category;
  JsonArray *categories;
  g_autoptr(JsonNode) root = NULL;
  JsonObject *object;
  g_autofree char *sum = NULL;

  g_return_val_if_fail (KIOSK_IS_CATALOG_DOCUMENT (self), NULL);

  node = service_node (self, service, error);
  if (node == NULL)
    return NULL;
  object = json_object_new ();
  root = json_node_init_object (json_node_alloc (), object);
  json_object_unref (object);
  json_object_set_int_member (object, "stadtkiosk-service", KIOSK_SERVICE_FILE_FORMAT);
  category = string_member (json_node_get_object (node), "category");
  categories = array_member (self->root, "categories");
  for (guint i = 0; categories != NULL && category != NULL && i < json_array_get_length (categories); i++)
    {
      JsonNode *c = json_array_get_element (categories, i);

      if (JSON_NODE_HOLDS_OBJECT (c) && g_strcmp0 (string_member (json_node_get_object (c), "id"), category) == 0)
        json_object_set_member (object, "category", deep_copy (c));
    }
  json_object_set_member (object, "service", deep_copy (node));
  sum = service_checksum (node);
  json_object_set_string_member (object, "sha256", sum);
  return kiosk_catalog_write_canonical (root);
}

G_GNUC_PRINTF (3, 4) static gboolean
import_error (GError     **error,
              const char  *source,
              const char  *format,
              ...)
{
  va_list args;
  g_autofree char *message = NULL;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error (error, KIOSK_CATALOG_DOCUMENT_ERROR, KIOSK_CATALOG_DOCUMENT_ERROR_IMPORT, "%s: %s", source, message);
  return FALSE;
}

/* Problems of @doc at /services/@index (or its category), as lines about
 * the service file: /services/N/… becomes /service/…. */
static char *
problems_of_import (KioskCatalogDocument *doc,
                    guint                 index,
                    const char           *source,
                    const char           *category)
{
  g_autofree char *prefix = g_strdup_printf ("/services/%u", index);
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < doc->problems->len; i++)
    {
      KioskCatalogProblem *p = doc->problems->pdata[i];
      const char *where = NULL;
      const char *rest = "";

      if (g_str_has_prefix (p->pointer, prefix) && (p->pointer[strlen (prefix)] == '\0' || p->pointer[strlen (prefix)] == '/'))
        {
          where = "/service";
          rest = p->pointer + strlen (prefix);
        }
      else if (category != NULL && g_str_has_prefix (p->pointer, "/categories/"))
        {
          where = "/category";
          rest = strchr (p->pointer + strlen ("/categories/"), '/');
          if (rest == NULL)
            rest = "";
        }
      else
        continue;
      g_string_append_printf (out, "%s%s: %s%s: %s", out->len > 0 ? "\n" : "", source, where, rest, p->message);
    }
  return g_string_free (out, FALSE);
}

/**
 * kiosk_catalog_document_import_service:
 * @bytes: an exported service file
 * @source: its name, for messages
 * @mode: what to do when the catalogue has a service with that id
 *
 * Takes one service into the catalogue.  The file is refused, with every
 * reason naming the file and the place in it, when it is not such a file,
 * when the service does not match its checksum (changed after export), or
 * when the kiosk's loader finds problems with the service in this
 * catalogue.  Nothing changes then.  The service's category is added when
 * the catalogue has none with its id.
 *
 * Returns: the service's index in the catalogue, or -1
 */
int
kiosk_catalog_document_import_service (KioskCatalogDocument    *self,
                                       GBytes                  *bytes,
                                       const char              *source,
                                       KioskCatalogImportMode   mode,
                                       GError                 **error)
{
  static const char * const members[] = { "stadtkiosk-service", "category", "service", "sha256", NULL };
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autoptr(KioskCatalogDocument) trial = NULL;
  g_autoptr(GList) names = NULL;
  JsonObject *object;
  JsonNode *marker;
  JsonNode *service;
  JsonNode *category;
  JsonNode *sum;
  g_autofree char *computed = NULL;
  g_autofree char *id = NULL;
  g_autofree char *problems = NULL;
  const char *category_id = NULL;
  JsonArray *services;
  JsonArray *categories;
  gboolean category_added = FALSE;
  int existing;
  int index;
  guint n_before;

  g_return_val_if_fail (KIOSK_IS_CATALOG_DOCUMENT (self), -1);
  g_return_val_if_fail (bytes != NULL, -1);

  if (source == NULL)
    source = "service file";
  if (g_bytes_get_size (bytes) > MAX_SERVICE_FILE)
    return import_error (error, source, "too large for one service (%zu bytes; at most %d)",
                         g_bytes_get_size (bytes), MAX_SERVICE_FILE), -1;
  root = kiosk_json_parse_bytes (bytes, KIOSK_JSON_OUTSIDE_DEPTH, &local_error);
  if (root == NULL)
    return import_error (error, source, "not valid JSON: %s", local_error->message), -1;
  if (!JSON_NODE_HOLDS_OBJECT (root))
    return import_error (error, source, "(document): expected an exported service "
                         "{\"stadtkiosk-service\": 1, \"service\": {…}, \"sha256\": …}"), -1;
  object = json_node_get_object (root);
  marker = json_object_get_member (object, "stadtkiosk-service");
  if (marker == NULL || !JSON_NODE_HOLDS_VALUE (marker) || json_node_get_value_type (marker) != G_TYPE_INT64)
    return import_error (error, source, "/stadtkiosk-service: missing; this is not a service exported by "
                         "the Stadtkiosk builder (a whole catalogue is imported with `stadtkioskctl catalog import`)"), -1;
  if (json_node_get_int (marker) != KIOSK_SERVICE_FILE_FORMAT)
    return import_error (error, source, "/stadtkiosk-service: format %" G_GINT64_FORMAT " is not supported; "
                         "this Stadtkiosk reads format %d", json_node_get_int (marker), KIOSK_SERVICE_FILE_FORMAT), -1;
  names = json_object_get_members (object);
  for (GList *l = names; l != NULL; l = l->next)
    if (!g_strv_contains (members, l->data))
      return import_error (error, source, "/%s: unknown member (expected stadtkiosk-service, category, service, sha256)",
                           (const char *) l->data), -1;
  service = json_object_get_member (object, "service");
  if (service == NULL || !JSON_NODE_HOLDS_OBJECT (service))
    return import_error (error, source, "/service: missing; expected the service as an object"), -1;
  sum = json_object_get_member (object, "sha256");
  if (sum == NULL || !JSON_NODE_HOLDS_VALUE (sum) || json_node_get_value_type (sum) != G_TYPE_STRING)
    return import_error (error, source, "/sha256: missing; expected the checksum the builder writes on export"), -1;
  computed = service_checksum (service);
  if (g_ascii_strcasecmp (computed, json_node_get_string (sum)) != 0)
    return import_error (error, source, "/service: does not match its checksum (/sha256): the service was "
                         "changed or damaged after it was exported; export it again from the original"), -1;
  category = json_object_get_member (object, "category");
  if (category != NULL && !JSON_NODE_HOLDS_OBJECT (category))
    return import_error (error, source, "/category: expected a category {\"id\": …, \"title\": …}"), -1;
  if (category != NULL)
    category_id = string_member (json_node_get_object (category), "id");

  id = g_strdup (string_member (json_node_get_object (service), "id"));
  if (id == NULL)
    return import_error (error, source, "/service/id: missing; expected the service's id"), -1;
  existing = kiosk_catalog_document_find_service (self, id);
  if (existing >= 0 && mode == KIOSK_CATALOG_IMPORT_NEW)
    {
      g_set_error (error, KIOSK_CATALOG_DOCUMENT_ERROR, KIOSK_CATALOG_DOCUMENT_ERROR_EXISTS,
                   "%s: the catalogue has a service \"%s\" already; replace it or import a copy", source, id);
      return -1;
    }

  /* Try it on a copy of the tree, so that a refused import changes nothing. */
  trial = g_object_new (KIOSK_TYPE_CATALOG_DOCUMENT, NULL);
  trial->source = g_strdup (self->source);
  trial->root = deep_copy (self->root);
  n_before = 0;
  categories = array_member (trial->root, "categories");
  if (category_id != NULL)
    {
      gboolean found = FALSE;

      for (guint i = 0; categories != NULL && i < json_array_get_length (categories); i++)
        if (JSON_NODE_HOLDS_OBJECT (json_array_get_element (categories, i)) &&
            g_strcmp0 (string_member (json_array_get_object_element (categories, i), "id"), category_id) == 0)
          found = TRUE;
      if (!found)
        {
          if (categories == NULL)
            {
              categories = json_array_new ();
              object_set_ordered (json_node_get_object (trial->root), root_order, "categories",
                                  json_node_init_array (json_node_alloc (), categories));
              json_array_unref (categories);
            }
          json_array_add_element (categories, deep_copy (category));
          category_added = TRUE;
        }
    }
  services = services_array (trial, TRUE);
  n_before = json_array_get_length (services);
  service = deep_copy (service);
  if (existing >= 0 && mode == KIOSK_CATALOG_IMPORT_REPLACE)
    {
      json_array_remove_element (services, existing);
      array_insert (services, existing, service);
      index = existing;
    }
  else
    {
      if (existing >= 0)
        {
          g_autofree char *new_id = free_service_id (self, id);

          json_object_set_string_member (json_node_get_object (service), "id", new_id);
        }
      json_array_add_element (services, service);
      index = (int) n_before;
    }
  check (trial);
  problems = problems_of_import (trial, index, source, category_added ? category_id : NULL);
  if (*problems != '\0')
    {
      g_set_error (error, KIOSK_CATALOG_DOCUMENT_ERROR, KIOSK_CATALOG_DOCUMENT_ERROR_IMPORT,
                   "%s", problems);
      return -1;
    }

  g_clear_pointer (&self->root, json_node_unref);
  self->root = g_steal_pointer (&trial->root);
  changed (self);
  return index;
}

/* ------------------------------------------------------------------ */
/* Saving                                                              */

static gboolean
refuse_invalid (KioskCatalogDocument  *self,
                GError               **error)
{
  g_autofree char *problems = NULL;

  if (kiosk_catalog_document_is_valid (self))
    return TRUE;
  problems = kiosk_catalog_document_format_problems (self, NULL);
  g_set_error (error, KIOSK_CATALOG_DOCUMENT_ERROR, KIOSK_CATALOG_DOCUMENT_ERROR_INVALID,
               "not saved: the kiosk would refuse this catalogue (%u problem%s):\n%s",
               self->problems->len, self->problems->len == 1 ? "" : "s", problems);
  return FALSE;
}

/* The first of FILE.bak, FILE.bak.1, … that does not exist: a backup is
 * never overwritten. */
static char *
free_backup_name (const char *path)
{
  g_autofree char *name = g_strconcat (path, ".bak", NULL);

  for (guint n = 1; g_file_test (name, G_FILE_TEST_EXISTS); n++)
    {
      g_free (name);
      name = g_strdup_printf ("%s.bak.%u", path, n);
    }
  return g_steal_pointer (&name);
}

static gboolean
write_with_backup (const char             *path,
                   GBytes                 *bytes,
                   KioskCatalogSaveFlags   flags,
                   char                  **out_backup,
                   GError                **error)
{
  g_autofree char *old = NULL;
  gsize old_len = 0;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *backup = NULL;

  if (g_file_get_contents (path, &old, &old_len, &local_error))
    {
      if (old_len == g_bytes_get_size (bytes) && memcmp (old, g_bytes_get_data (bytes, NULL), old_len) == 0)
        return TRUE;   /* the same bytes: nothing to replace */
      if ((flags & KIOSK_CATALOG_SAVE_CONFIRMED) == 0)
        {
          g_set_error (error, KIOSK_CATALOG_DOCUMENT_ERROR, KIOSK_CATALOG_DOCUMENT_ERROR_NEEDS_CONFIRM,
                       "%s exists and is different; saving over it needs a confirmation (a backup is kept)", path);
          return FALSE;
        }
      backup = free_backup_name (path);
      if (!g_file_set_contents_full (backup, old, old_len, G_FILE_SET_CONTENTS_CONSISTENT, 0644, error))
        {
          g_prefix_error (error, "not saved: no backup of %s could be made: ", path);
          return FALSE;
        }
    }
  else if (!g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
    {
      g_set_error (error, KIOSK_CATALOG_DOCUMENT_ERROR, KIOSK_CATALOG_DOCUMENT_ERROR_FAILED,
                   "not saved: %s", local_error->message);
      return FALSE;
    }
  if (!g_file_set_contents_full (path, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes),
                                 G_FILE_SET_CONTENTS_CONSISTENT | G_FILE_SET_CONTENTS_DURABLE, 0644, error))
    return FALSE;
  if (out_backup != NULL)
    *out_backup = g_steal_pointer (&backup);
  return TRUE;
}

/**
 * kiosk_catalog_document_save:
 * @flags: %KIOSK_CATALOG_SAVE_CONFIRMED to replace a file with other content
 * @out_backup: (out) (optional) (nullable): where the replaced file was kept
 *
 * Writes the catalogue in the canonical layout.  Refused, with every
 * problem, when the kiosk would not load it; refused with
 * %KIOSK_CATALOG_DOCUMENT_ERROR_NEEDS_CONFIRM when @path holds something
 * else and @flags does not confirm; the old file is then kept as
 * `PATH.bak` (or `.bak.1`, … : no backup is overwritten).  The file is
 * replaced atomically.
 */
gboolean
kiosk_catalog_document_save (KioskCatalogDocument   *self,
                             const char             *path,
                             KioskCatalogSaveFlags   flags,
                             char                  **out_backup,
                             GError                **error)
{
  g_autoptr(GBytes) bytes = NULL;

  g_return_val_if_fail (KIOSK_IS_CATALOG_DOCUMENT (self), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  if (out_backup != NULL)
    *out_backup = NULL;
  if (!refuse_invalid (self, error))
    return FALSE;
  bytes = kiosk_catalog_document_to_bytes (self);
  return write_with_backup (path, bytes, flags, out_backup, error);
}

/**
 * kiosk_catalog_document_save_bundle:
 * @secret_key: the catalogue signing key (`stadtkioskctl keys generate-catalog`)
 *
 * Signs the canonical bytes into a bundle, as `stadtkioskctl catalog sign`
 * does, and writes it like kiosk_catalog_document_save().
 */
gboolean
kiosk_catalog_document_save_bundle (KioskCatalogDocument   *self,
                                    const char             *path,
                                    const char             *secret_key,
                                    KioskCatalogSaveFlags   flags,
                                    char                  **out_backup,
                                    GError                **error)
{
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GBytes) bundle = NULL;

  g_return_val_if_fail (KIOSK_IS_CATALOG_DOCUMENT (self), FALSE);
  g_return_val_if_fail (path != NULL && secret_key != NULL, FALSE);

  if (out_backup != NULL)
    *out_backup = NULL;
  if (!refuse_invalid (self, error))
    return FALSE;
  bytes = kiosk_catalog_document_to_bytes (self);
  bundle = kiosk_catalog_bundle_sign (bytes, kiosk_catalog_get_version (self->catalog), secret_key, error);
  if (bundle == NULL)
    return FALSE;
  return write_with_backup (path, bundle, flags, out_backup, error);
}

/**
 * kiosk_catalog_document_activate:
 * @flags: %KIOSK_CATALOG_SAVE_CONFIRMED: replacing the active catalogue is
 *   wanted
 * @backup_dir: where the catalogue in use is kept first
 * @out_backup: (out) (optional) (nullable): that file
 *
 * Makes the catalogue this kiosk's active one.  Without the confirmation
 * nothing happens (%KIOSK_CATALOG_DOCUMENT_ERROR_NEEDS_CONFIRM); with it,
 * the catalogue in use is first written to @backup_dir (the database keeps
 * the last five as well).
 */
gboolean
kiosk_catalog_document_activate (KioskCatalogDocument   *self,
                                 KioskStore             *store,
                                 KioskCatalogSaveFlags   flags,
                                 const char             *backup_dir,
                                 char                  **out_backup,
                                 GError                **error)
{
  g_autoptr(KioskCatalog) active = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char *name = NULL;
  g_autofree char *backup = NULL;
  GBytes *old;

  g_return_val_if_fail (KIOSK_IS_CATALOG_DOCUMENT (self), FALSE);
  g_return_val_if_fail (KIOSK_IS_STORE (store), FALSE);
  g_return_val_if_fail (backup_dir != NULL, FALSE);

  if (out_backup != NULL)
    *out_backup = NULL;
  if (!refuse_invalid (self, error))
    return FALSE;
  if ((flags & KIOSK_CATALOG_SAVE_CONFIRMED) == 0)
    {
      g_set_error (error, KIOSK_CATALOG_DOCUMENT_ERROR, KIOSK_CATALOG_DOCUMENT_ERROR_NEEDS_CONFIRM,
                   "replacing the kiosk's active catalogue needs a confirmation (a backup is kept)");
      return FALSE;
    }
  active = kiosk_catalog_load_active (store, error);
  if (active == NULL)
    return FALSE;
  old = kiosk_catalog_get_bytes (active);
  if (g_mkdir_with_parents (backup_dir, 0700) != 0)
    {
      int saved = errno;

      g_set_error (error, KIOSK_CATALOG_DOCUMENT_ERROR, KIOSK_CATALOG_DOCUMENT_ERROR_FAILED,
                   "not activated: cannot create %s for the backup: %s", backup_dir, g_strerror (saved));
      return FALSE;
    }
  name = g_strdup_printf ("catalog-%s.json", kiosk_catalog_get_version (active));
  g_strdelimit (name, "/\\", '_');
  backup = g_build_filename (backup_dir, name, NULL);
  {
    g_autofree char *free_name = free_backup_name (backup);

    g_free (backup);
    backup = g_steal_pointer (&free_name);
  }
  if (!g_file_set_contents_full (backup, g_bytes_get_data (old, NULL), g_bytes_get_size (old),
                                 G_FILE_SET_CONTENTS_CONSISTENT | G_FILE_SET_CONTENTS_DURABLE, 0600, error))
    {
      g_prefix_error (error, "not activated: no backup of the active catalogue could be made: ");
      return FALSE;
    }
  bytes = kiosk_catalog_document_to_bytes (self);
  if (!kiosk_catalog_store_active (store, bytes, self->source, NULL, error))
    return FALSE;
  if (out_backup != NULL)
    *out_backup = g_steal_pointer (&backup);
  return TRUE;
}

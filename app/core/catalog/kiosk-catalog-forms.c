/* kiosk-catalog-forms.c: a catalogue's forms, read on demand
 *
 * A federal-size catalogue (6,000 services) takes 61 MB once loaded, two
 * thirds of it the forms: steps, fields, their texts in every language,
 * options and conditions.  A kiosk shows a handful of those forms a day.
 * KioskContext's shared catalogue therefore keeps of each service what the
 * catalogue page, the search and the delivery need: after the load has
 * validated the whole catalogue, it keeps a copy without the forms and
 * without the texts shown only once a service is open (help, next steps,
 * office hours) and its keywords, which the search has in its folded text
 * (_kiosk_catalog_dup_without_forms()).  The first kiosk_service_get_step(),
 * _get_fields(), _lookup_field(), _get_help(), … reads the service's JSON
 * object again from where the catalogue came from and parses that one
 * object, once, whichever thread asks first (the window, the Open311
 * delivery).
 *
 * Where it came from is, for a stored catalogue, its row in the kiosk's
 * database: rows of the catalogs table are never changed once written and
 * their seq is never reused (AUTOINCREMENT), so the service's byte range
 * is read with sqlite3_blob_read() on a private read-only connection,
 * without the other 16 MB of text.  A catalogue with no row (the bundled
 * demo, whose text is in the program's read-only data) keeps a reference
 * to its text instead.
 *
 * Anything that does not match (the row gone or of another length, the
 * object not the service loaded) is damage: it is logged once, and the
 * service has no form; kiosk_session_open_service() then refuses it.
 *
 * SPDX-FileCopyrightText: 2026 Stadtkiosk contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "kiosk-catalog"

#include "config.h"

#include "kiosk-catalog.h"

#include <sqlite3.h>
#include <string.h>

#include "kiosk-catalog-private.h"
#include "kiosk-search-private.h"

/* The private connection reads one service's pages at a time; its page
 * cache need not hold more than a few of them (KiB when negative). */
#define FORM_SOURCE_CACHE "PRAGMA cache_size = -256"

struct _KioskFormSource
{
  gatomicrefcount  ref_count;
  GMutex           lock;       /* the connection, and every service's form while it is read */
  char            *name;       /* for messages */
  GBytes          *bytes;      /* the text itself, or: */
  char            *db_path;    /*   its row in this database */
  gint64           seq;
  gsize            length;     /* the text's length when it was loaded */
  sqlite3         *db;         /* opened on the first read */
  KioskSearchFile *search;     /* the services' search texts, or NULL: on the heap */
};

static KioskFormSource *
form_source_new (void)
{
  KioskFormSource *self = g_new0 (KioskFormSource, 1);

  g_atomic_ref_count_init (&self->ref_count);
  g_mutex_init (&self->lock);
  return self;
}

KioskFormSource *
_kiosk_form_source_ref (KioskFormSource *self)
{
  g_atomic_ref_count_inc (&self->ref_count);
  return self;
}

void
_kiosk_form_source_unref (KioskFormSource *self)
{
  if (!g_atomic_ref_count_dec (&self->ref_count))
    return;
  if (self->db != NULL)
    sqlite3_close (self->db);
  g_clear_pointer (&self->bytes, g_bytes_unref);
  g_clear_pointer (&self->search, _kiosk_search_file_free);
  g_free (self->db_path);
  g_free (self->name);
  g_mutex_clear (&self->lock);
  g_free (self);
}

const char *
_kiosk_form_source_get_name (KioskFormSource *self)
{
  return self->name;
}

GMutex *
_kiosk_form_source_get_lock (KioskFormSource *self)
{
  return &self->lock;
}

static char *
read_row (KioskFormSource  *self,
          guint32           offset,
          guint32           length,
          GError          **error)
{
  sqlite3_blob *blob = NULL;
  g_autofree char *text = NULL;
  int rc;

  if (self->db == NULL)
    {
      rc = sqlite3_open_v2 (self->db_path, &self->db, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, NULL);
      if (rc == SQLITE_OK)
        rc = sqlite3_exec (self->db, FORM_SOURCE_CACHE, NULL, NULL, NULL);
      if (rc != SQLITE_OK)
        {
          g_set_error (error, KIOSK_CATALOG_ERROR, KIOSK_CATALOG_ERROR_FAILED, "%s: cannot open it: %s",
                       self->name, self->db != NULL ? sqlite3_errmsg (self->db) : sqlite3_errstr (rc));
          g_clear_pointer (&self->db, sqlite3_close);
          return NULL;
        }
      sqlite3_busy_timeout (self->db, 2000);
    }

  rc = sqlite3_blob_open (self->db, "main", "catalogs", "json", self->seq, 0, &blob);
  if (rc != SQLITE_OK)
    {
      g_set_error (error, KIOSK_CATALOG_ERROR, KIOSK_CATALOG_ERROR_FAILED, "%s: the row is gone: %s",
                   self->name, sqlite3_errmsg (self->db));
      return NULL;
    }
  if ((gsize) sqlite3_blob_bytes (blob) != self->length)
    {
      g_set_error (error, KIOSK_CATALOG_ERROR, KIOSK_CATALOG_ERROR_FAILED,
                   "%s: it is %d bytes long, but %" G_GSIZE_FORMAT " were loaded",
                   self->name, sqlite3_blob_bytes (blob), self->length);
      sqlite3_blob_close (blob);
      return NULL;
    }
  text = g_malloc (length + 1);
  rc = sqlite3_blob_read (blob, text, length, offset);
  sqlite3_blob_close (blob);
  if (rc != SQLITE_OK)
    {
      g_set_error (error, KIOSK_CATALOG_ERROR, KIOSK_CATALOG_ERROR_FAILED, "%s: reading bytes %u to %u: %s",
                   self->name, offset, offset + length, sqlite3_errstr (rc));
      return NULL;
    }
  text[length] = '\0';
  return g_steal_pointer (&text);
}

/**
 * _kiosk_catalog_read_stored:
 * @db_path: the kiosk's database
 * @seq: a row of its catalogs table
 * @size: the size of its text (_kiosk_catalog_store_get_newest_row())
 *
 * Reads a stored catalogue's text in the calling thread, on a private
 * read-only connection, straight into the returned block: a worker thread
 * reads it, not the main loop (7–28 ms at federal size), and it is copied
 * once, not twice (SQLite's value, then a GBytes of it).
 *
 * Returns: (transfer full): the text, or %NULL with @error set
 */
GBytes *
_kiosk_catalog_read_stored (const char  *db_path,
                            gint64       seq,
                            gsize        size,
                            GError     **error)
{
  KioskFormSource *source;
  char *text;

  if (size == 0 || size > G_MAXINT)
    {
      g_set_error (error, KIOSK_CATALOG_ERROR, KIOSK_CATALOG_ERROR_FAILED,
                   "%s: stored catalogue %" G_GINT64_FORMAT ": it is %" G_GSIZE_FORMAT " bytes long",
                   db_path, seq, size);
      return NULL;
    }
  source = form_source_new ();
  source->db_path = g_strdup (db_path);
  source->seq = seq;
  source->length = size;
  source->name = g_strdup_printf ("%s: stored catalogue %" G_GINT64_FORMAT, db_path, seq);
  text = read_row (source, 0, (guint32) size, error);
  _kiosk_form_source_unref (source);
  return text != NULL ? g_bytes_new_take (text, size) : NULL;
}

/* Called with the lock held (_kiosk_service_ensure_form()).
 *
 * Returns: (transfer full): bytes @offset to @offset + @length of the
 *   catalogue's text, NUL-terminated; %NULL with @error set */
char *
_kiosk_form_source_read (KioskFormSource  *self,
                         guint32           offset,
                         guint32           length,
                         GError          **error)
{
  if (length == 0 || (gsize) offset + length > self->length)
    {
      g_set_error (error, KIOSK_CATALOG_ERROR, KIOSK_CATALOG_ERROR_FAILED,
                   "%s: bytes %u to %u are not in the text", self->name, offset, offset + length);
      return NULL;
    }
  if (self->bytes != NULL)
    return g_strndup ((const char *) g_bytes_get_data (self->bytes, NULL) + offset, length);
  return read_row (self, offset, length, error);
}

static KioskText *
text_dup (const KioskText *text)
{
  return text != NULL ? g_memdup2 (text, text->size) : NULL;
}

/* A string table's copy; @own_keys: FALSE for static keys. */
static GHashTable *
table_dup (GHashTable *table,
           gboolean    own_keys)
{
  GHashTable *copy;
  GHashTableIter iter;
  gpointer key, value;

  if (table == NULL)
    return NULL;
  copy = g_hash_table_new_full (g_str_hash, g_str_equal, own_keys ? g_free : NULL, g_free);
  g_hash_table_iter_init (&iter, table);
  while (g_hash_table_iter_next (&iter, &key, &value))
    g_hash_table_insert (copy, own_keys ? g_strdup (key) : key, g_strdup (value));
  return copy;
}

/* Everything of @service but its form, which @source reads again with
 * the texts shown only once a service is open (help, next steps, office
 * hours) and its keywords (the search has them in its folded text).
 * Every other member of KioskService must be copied here.  @index: its
 * place among the catalogue's services, in @source's search file. */
static KioskService *
service_dup_without_form (KioskService    *service,
                          guint            index,
                          KioskFormSource *source)
{
  KioskService *copy = _kiosk_service_new ();

  copy->id = g_strdup (service->id);
  copy->version = service->version;
  copy->icon = g_strdup (service->icon);
  copy->category_id = g_strdup (service->category_id);
  copy->offline = service->offline;
  copy->refer_url = g_strdup (service->refer_url);
  copy->target = service->target;
  copy->target_explicit = service->target_explicit;
  copy->open311_code = g_strdup (service->open311_code);
  copy->open311_attributes = table_dup (service->open311_attributes, TRUE);
  copy->open311_roles = table_dup (service->open311_roles, FALSE);
  copy->retention_days = service->retention_days;
  copy->receipt_shows_answers = service->receipt_shows_answers;
  copy->enabled = service->enabled;
  if (source->search != NULL)
    {
      /* read-only, like the rest of a catalogue */
      copy->title = (KioskText *) _kiosk_search_file_get_title (source->search, index, FALSE);
      copy->summary = (KioskText *) _kiosk_search_file_get_title (source->search, index, TRUE);
      copy->search_expanded = (char *) _kiosk_search_file_get_text (source->search, index, FALSE);
      copy->search_stripped = (char *) _kiosk_search_file_get_text (source->search, index, TRUE);
      copy->texts_mapped = TRUE;
    }
  else
    {
      copy->title = text_dup (service->title);
      copy->summary = text_dup (service->summary);
      copy->search_expanded = g_strdup (service->search_expanded);
      copy->search_stripped = g_strdup (service->search_stripped);
    }

  g_clear_pointer (&copy->keywords, g_hash_table_unref);
  g_clear_pointer (&copy->fields_by_id, g_hash_table_unref);
  g_clear_pointer (&copy->fields, g_ptr_array_unref);
  g_clear_pointer (&copy->steps, g_ptr_array_unref);
  copy->form_source = _kiosk_form_source_ref (source);
  copy->text_offset = service->text_offset;
  copy->text_length = service->text_length;
  return copy;
}

/* The search texts of a stored catalogue live in a file next to the
 * database, mapped (kiosk-search-file.c); if it cannot be written, the
 * copy keeps them on the heap and the kiosk searches as before. */
static KioskSearchFile *
open_search_file (KioskCatalog *self,
                  const char   *db_path)
{
  g_autofree char *path = _kiosk_search_file_path (db_path);
  g_autoptr(GError) error = NULL;
  KioskSearchFile *file = _kiosk_search_file_open (self->services, path, &error);

  if (file == NULL)
    g_message ("The search keeps its texts in memory: %s", error->message);
  return file;
}

/**
 * _kiosk_catalog_dup_without_forms:
 * @db_path: (nullable): the database holding row @self->stored_seq
 *
 * For KioskContext's shared copy, which the kiosk keeps for as long as it
 * runs: a copy of @self without its forms and its JSON text, reading each
 * form on demand (see the top of this file).
 *
 * A copy rather than @self with its forms freed: the forms were allocated
 * among the rest, service by service, and freeing them would leave pages
 * that each hold a few bytes still in use; the allocator could give
 * little of it back.  Call it before @self is shared, and unref @self
 * after; for a large catalogue, in another thread than the one that
 * parsed it (_kiosk_catalog_new_without_forms()).
 *
 * Returns: (transfer full): the copy; @self itself (a new reference,
 *   without its text) if one of its services has no byte range
 */
KioskCatalog *
_kiosk_catalog_dup_without_forms (KioskCatalog *self,
                                  const char   *db_path)
{
  KioskFormSource *source;
  KioskCatalog *copy;
  gboolean has_ranges;

  g_return_val_if_fail (KIOSK_IS_CATALOG (self), NULL);

  has_ranges = self->bytes != NULL;

  for (guint i = 0; has_ranges && i < self->services->len; i++)
    has_ranges = ((KioskService *) self->services->pdata[i])->text_length > 0;
  if (!has_ranges)
    {
      _kiosk_catalog_drop_bytes (self);
      return g_object_ref (self);
    }

  source = form_source_new ();
  source->length = g_bytes_get_size (self->bytes);
  if (self->stored_seq > 0 && db_path != NULL && *db_path != '\0' && !g_str_equal (db_path, ":memory:"))
    {
      source->db_path = g_strdup (db_path);
      source->seq = self->stored_seq;
      source->name = g_strdup_printf ("%s: stored catalogue %" G_GINT64_FORMAT, db_path, self->stored_seq);
      source->search = open_search_file (self, db_path);
    }
  else
    {
      /* Bundled in the program, or loaded without a row: a catalogue
       * from a resource costs no heap to keep; others keep their text. */
      source->bytes = g_bytes_ref (self->bytes);
      source->name = g_strdup_printf ("catalogue %s", self->version != NULL ? self->version : "");
    }

  copy = g_object_new (KIOSK_TYPE_CATALOG, NULL);
  copy->version = g_strdup (self->version);
  copy->stored_seq = self->stored_seq;
  for (guint i = 0; i < self->categories->len; i++)
    g_ptr_array_add (copy->categories, g_object_ref (self->categories->pdata[i]));
  if (self->info_cards != NULL)
    copy->info_cards = g_ptr_array_ref (self->info_cards);
  if (source->search != NULL)
    copy->search_vocabulary = g_bytes_ref (_kiosk_search_file_get_vocabulary (source->search));
  for (guint i = 0; i < self->services->len; i++)
    {
      KioskService *service = service_dup_without_form (self->services->pdata[i], i, source);

      g_ptr_array_add (copy->services, service);
      if (g_hash_table_lookup (self->by_id, service->id) == self->services->pdata[i])
        g_hash_table_insert (copy->by_id, service->id, service);
      if (service->enabled)
        g_ptr_array_add (copy->items, service);
    }
  _kiosk_form_source_unref (source);
  return copy;
}

typedef struct
{
  GBytes     *bytes;
  const char *source;
  GError     *error;
} FullParse;

static gpointer
full_parse_thread (gpointer data)
{
  FullParse *parse = data;

  return kiosk_catalog_new_from_bytes (parse->bytes, parse->source, &parse->error);
}

/**
 * _kiosk_catalog_new_without_forms:
 * @seq: its row in @db_path's catalogs table; 0 if none
 *
 * Validates @bytes in full and returns the catalogue as
 * _kiosk_catalog_dup_without_forms() gives it, for a large catalogue in a
 * worker thread (kiosk_context_load_active_catalog_async()).
 *
 * The full catalogue is parsed in a thread of its own, which glibc gives
 * an arena of its own: freed after the copy, it leaves that arena empty,
 * and its pages go back to the system.  Parsed in the caller's thread, the
 * copy would fill the holes the parse left among its objects, and each
 * small block of the copy would keep a page of the freed 61 MB (federal
 * size) resident: 24 MB, measured with bench-catalog-memory.
 *
 * Returns: (transfer full): the catalogue, or %NULL with @error set
 */
KioskCatalog *
_kiosk_catalog_new_without_forms (GBytes      *bytes,
                                  const char  *source,
                                  gint64       seq,
                                  const char  *db_path,
                                  GError     **error)
{
  FullParse parse = { bytes, source, NULL };
  g_autoptr(KioskCatalog) full = NULL;

  full = g_thread_join (g_thread_new ("catalog-parse", full_parse_thread, &parse));
  if (full == NULL)
    {
      g_propagate_error (error, parse.error);
      return NULL;
    }
  full->stored_seq = seq;
  return _kiosk_catalog_dup_without_forms (full, db_path);
}

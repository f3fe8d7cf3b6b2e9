/* kiosk-search-file.c: what the search reads and shows of a stored
 * catalogue's services, in a file the kiosk maps read-only
 *
 * The search looks for every typed word in each service's folded text:
 * titles, keywords and every option label, in every language, twice (ü as
 * "ue" and as "u"); it shows the titles and summaries of what it finds.
 * At federal size (6,000 services) that was 5.4 MB of the shared
 * catalogue's 7.7 MB (#18).  Kept on the heap, it is resident from the
 * start for as long as the kiosk runs, though a kiosk shows a few dozen
 * services at a time.
 *
 * So the shared copy of a stored catalogue reads them, and the vocabulary
 * of the forgiving search, from a file next to the database
 * ("<database>.search"), mapped read-only, as GTK does with its icon
 * caches: a page costs memory only once a search or a tile has read it,
 * and being clean, the kernel may drop it again when memory runs short.
 *
 * The file is a cache.  Whenever the kiosk loads a catalogue it compares
 * what the file should hold with what it holds (read, not mapped), and
 * writes it anew if they differ in any byte: a catalogue stored since, a
 * database restored from elsewhere, a file damaged or cut short.  It is
 * written to a new file that then replaces the old one, never in place:
 * a file that is mapped must not shrink under the kiosk.  If it cannot be
 * written (a full disk, a read-only state directory), the caller keeps
 * the texts on the heap, as before.
 *
 * Layout, in the byte order of the machine that wrote it:
 *   Header
 *   guint32 offsets[4 × n_services]   of each service's texts, below
 *   for each service: its title and summary (KioskText blocks, which
 *     hold no pointers; offset 0 if it has none), its expanded and
 *     stripped search text, each followed by a NUL; every block padded
 *     to 4 bytes
 *   the vocabulary (_kiosk_search_vocabulary_build()), ending in two NULs
 *
 * SPDX-FileCopyrightText: 2026 Stadtkiosk contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "kiosk-catalog"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "kiosk-catalog.h"
#include "kiosk-catalog-private.h"
#include "kiosk-search-private.h"

#define SEARCH_FILE_MAGIC  "SKSEARCH"
#define SEARCH_FILE_FORMAT 2
#define N_TEXTS            4     /* per service, in this order: */
#define TEXT_TITLE         0
#define TEXT_SUMMARY       1
#define TEXT_EXPANDED      2
#define TEXT_STRIPPED      3
#define PADDED(n)          (((n) + 3) & ~(gsize) 3)

typedef struct
{
  char    magic[8];
  guint32 format;
  guint32 n_services;
  guint32 vocabulary;   /* where it begins */
  guint32 size;         /* of the whole file */
} Header;

G_STATIC_ASSERT (sizeof (Header) == 24);

struct _KioskSearchFile
{
  GMappedFile   *map;
  const char    *data;
  gsize          size;
  const guint32 *offsets;
  guint          n_services;
  GBytes        *vocabulary;   /* in the mapping */
};

/* Either compares what it is given with the next bytes of @in, or writes
 * it to @out. */
typedef struct
{
  FILE     *in;
  FILE     *out;
  gboolean  differs;
} Emit;

static void
emit (Emit       *e,
      const void *data,
      gsize       len)
{
  const char *p = data;

  if (e->out != NULL)
    {
      if (len > 0)
        fwrite (data, 1, len, e->out);
      return;
    }
  while (!e->differs && len > 0)
    {
      char buf[16 * 1024];
      gsize n = MIN (len, sizeof buf);

      if (fread (buf, 1, n, e->in) != n || memcmp (buf, p, n) != 0)
        e->differs = TRUE;
      p += n;
      len -= n;
    }
}

/* The service's text @which (TEXT_…): where it starts and how long it is
 * in the file, before padding; NULL if it has none. */
static gconstpointer
text_of (KioskService *service,
         guint         which,
         gsize        *len)
{
  const char *string = NULL;

  switch (which)
    {
    case TEXT_TITLE:
      *len = service->title != NULL ? service->title->size : 0;
      return service->title;
    case TEXT_SUMMARY:
      *len = service->summary != NULL ? service->summary->size : 0;
      return service->summary;
    case TEXT_EXPANDED:
      string = service->search_expanded;
      break;
    case TEXT_STRIPPED:
      string = service->search_stripped;
      break;
    default:
      g_assert_not_reached ();
    }
  if (string == NULL)
    string = "";
  *len = strlen (string) + 1;
  return string;
}

static void
emit_all (Emit          *e,
          GPtrArray     *services,
          const Header  *header,
          const guint32 *offsets,
          GBytes        *vocabulary)
{
  static const char zeros[4] = { 0 };

  emit (e, header, sizeof *header);
  emit (e, offsets, N_TEXTS * sizeof (guint32) * services->len);
  for (guint i = 0; i < services->len && !e->differs; i++)
    for (guint which = 0; which < N_TEXTS; which++)
      {
        gsize len;
        gconstpointer text = text_of (services->pdata[i], which, &len);

        if (text == NULL)
          continue;
        emit (e, text, len);
        emit (e, zeros, PADDED (len) - len);
      }
  emit (e, g_bytes_get_data (vocabulary, NULL), g_bytes_get_size (vocabulary));
}

/* Where each text will be; FALSE if the file would be 4 GiB or more. */
static gboolean
lay_out (GPtrArray *services,
         GBytes    *vocabulary,
         Header    *header,
         guint32   *offsets)
{
  guint64 pos = sizeof (Header) + N_TEXTS * sizeof (guint32) * (guint64) services->len;

  memset (header, 0, sizeof *header);
  memcpy (header->magic, SEARCH_FILE_MAGIC, sizeof header->magic);
  header->format = SEARCH_FILE_FORMAT;
  header->n_services = services->len;
  for (guint i = 0; i < services->len; i++)
    for (guint which = 0; which < N_TEXTS; which++)
      {
        gsize len;

        if (text_of (services->pdata[i], which, &len) == NULL)
          {
            offsets[N_TEXTS * i + which] = 0;
            continue;
          }
        offsets[N_TEXTS * i + which] = (guint32) pos;
        pos += PADDED (len);
        if (pos > G_MAXUINT32)
          return FALSE;
      }
  header->vocabulary = (guint32) pos;
  pos += g_bytes_get_size (vocabulary);
  if (pos > G_MAXUINT32)
    return FALSE;
  header->size = (guint32) pos;
  return TRUE;
}

/* @path mapped, if it holds exactly what would be written.  The mapping
 * is of the file compared: a file written meanwhile by another process
 * (for another catalogue) replaces the name, not the file compared. */
static GMappedFile *
map_if_same (const char    *path,
             GPtrArray     *services,
             const Header  *header,
             const guint32 *offsets,
             GBytes        *vocabulary)
{
  Emit e = { NULL, NULL, FALSE };
  GMappedFile *map = NULL;
  struct stat st;
  int fd, fd_read;

  fd = g_open (path, O_RDONLY | O_CLOEXEC, 0);
  if (fd < 0)
    return NULL;
  if (fstat (fd, &st) != 0 || !S_ISREG (st.st_mode) || st.st_size != header->size ||
      (fd_read = dup (fd)) < 0)
    {
      close (fd);
      return NULL;
    }
  e.in = fdopen (fd_read, "rb");
  if (e.in == NULL)
    close (fd_read);
  else
    {
      emit_all (&e, services, header, offsets, vocabulary);
      fclose (e.in);
      if (!e.differs)
        map = g_mapped_file_new_from_fd (fd, FALSE, NULL);
    }
  close (fd);
  return map;
}

/* A write cut off (power lost, the kiosk killed) leaves its temporary
 * file, 2.5 MB at federal size, which nothing would ever remove.  Removed
 * before the next write; one younger than an hour may be another
 * process's write in progress. */
static void
remove_stale_writes (const char *path)
{
  g_autofree char *dir_name = g_path_get_dirname (path);
  g_autofree char *base = g_path_get_basename (path);
  g_autoptr(GDir) dir = g_dir_open (dir_name, 0, NULL);
  gsize base_len = strlen (base);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *stale = NULL;
      struct stat st;

      /* g_mkstemp_full()'s names: "<base>.XXXXXX" */
      if (strlen (name) != base_len + 7 || strncmp (name, base, base_len) != 0 || name[base_len] != '.')
        continue;
      stale = g_build_filename (dir_name, name, NULL);
      if (g_lstat (stale, &st) == 0 && S_ISREG (st.st_mode) &&
          st.st_mtime + 3600 < g_get_real_time () / G_USEC_PER_SEC)
        g_unlink (stale);
    }
}

/* Writes the file anew, under a temporary name that then replaces
 * @path, and maps what it wrote. */
static GMappedFile *
write_and_map (const char     *path,
               GPtrArray      *services,
               const Header   *header,
               const guint32  *offsets,
               GBytes         *vocabulary,
               GError        **error)
{
  g_autofree char *tmp = g_strconcat (path, ".XXXXXX", NULL);
  Emit e = { NULL, NULL, FALSE };
  GMappedFile *map = NULL;
  int fd, fd_write = -1, saved = 0;

  remove_stale_writes (path);
  fd = g_mkstemp_full (tmp, O_RDWR | O_CLOEXEC, 0644);
  if (fd < 0 || (fd_write = dup (fd)) < 0 || (e.out = fdopen (fd_write, "w")) == NULL)
    saved = errno;
  else
    {
      emit_all (&e, services, header, offsets, vocabulary);
      if (fflush (e.out) != 0 || ferror (e.out))
        saved = errno != 0 ? errno : EIO;
      if (fclose (e.out) != 0 && saved == 0)
        saved = errno;
      fd_write = -1;
      if (saved == 0)
        map = g_mapped_file_new_from_fd (fd, FALSE, NULL);
      if (map == NULL && saved == 0)
        saved = EIO;
      if (map != NULL && g_rename (tmp, path) != 0)
        {
          saved = errno;
          g_clear_pointer (&map, g_mapped_file_unref);
        }
    }
  if (fd_write >= 0)
    close (fd_write);
  if (fd >= 0)
    close (fd);
  if (map == NULL)
    {
      if (fd >= 0)
        g_unlink (tmp);
      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved), "%s: cannot write it: %s",
                   path, g_strerror (saved));
    }
  return map;
}

/* Checks what the texts' pointers rely on: offsets inside the file, and a
 * NUL at its end, so that no text is read past it. */
static KioskSearchFile *
file_from_map (GMappedFile  *map,
               const char   *path,
               guint         n_services,
               GError      **error)
{
  const char *data = g_mapped_file_get_contents (map);
  gsize size = g_mapped_file_get_length (map);
  KioskSearchFile *self;
  Header header;

  if (data == NULL || size < sizeof header)
    goto damaged;
  memcpy (&header, data, sizeof header);
  if (memcmp (header.magic, SEARCH_FILE_MAGIC, sizeof header.magic) != 0 || header.format != SEARCH_FILE_FORMAT ||
      header.n_services != n_services || header.size != size ||
      sizeof header + N_TEXTS * sizeof (guint32) * (guint64) n_services > header.vocabulary ||
      header.vocabulary >= size || data[size - 1] != '\0')
    goto damaged;

  self = g_new0 (KioskSearchFile, 1);
  self->map = g_mapped_file_ref (map);
  self->data = data;
  self->size = size;
  self->offsets = (const guint32 *) (gconstpointer) (data + sizeof header);   /* the mapping is page-aligned */
  self->n_services = n_services;
  self->vocabulary = g_bytes_new_with_free_func (data + header.vocabulary, size - header.vocabulary,
                                                 (GDestroyNotify) g_mapped_file_unref, g_mapped_file_ref (map));
  return self;

damaged:
  g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_FAILED, "%s: it changed while it was read", path);
  return NULL;
}

/**
 * _kiosk_search_file_path:
 *
 * Returns: (transfer full): where the search file of @db_path's
 *   catalogues is
 */
char *
_kiosk_search_file_path (const char *db_path)
{
  return g_strconcat (db_path, ".search", NULL);
}

/**
 * _kiosk_search_file_open:
 * @services: every service of a catalogue, with their search texts
 * @path: the file (_kiosk_search_file_path())
 *
 * Maps @path after making sure it holds @services' search texts and their
 * vocabulary (see the top of this file), writing it if not.
 *
 * Returns: (transfer full): the file, or %NULL with @error set
 */
KioskSearchFile *
_kiosk_search_file_open (GPtrArray   *services,
                         const char  *path,
                         GError     **error)
{
  g_autoptr(GBytes) vocabulary = _kiosk_search_vocabulary_build (services);
  g_autofree guint32 *offsets = g_new (guint32, N_TEXTS * (gsize) services->len + 1);
  g_autoptr(GMappedFile) map = NULL;
  Header header;

  if (!lay_out (services, vocabulary, &header, offsets))
    {
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_FAILED, "%s: the search texts are 4 GiB or more", path);
      return NULL;
    }
  map = map_if_same (path, services, &header, offsets, vocabulary);
  if (map == NULL)
    map = write_and_map (path, services, &header, offsets, vocabulary, error);
  if (map == NULL)
    return NULL;
  return file_from_map (map, path, services->len, error);
}

void
_kiosk_search_file_free (KioskSearchFile *self)
{
  if (self == NULL)
    return;
  g_bytes_unref (self->vocabulary);
  g_mapped_file_unref (self->map);
  g_free (self);
}

static guint32
offset_of (KioskSearchFile *self,
           guint            service,
           guint            which)
{
  guint32 offset;

  if (service >= self->n_services)
    return 0;
  offset = self->offsets[N_TEXTS * service + which];
  return offset < self->size ? offset : 0;
}

/**
 * _kiosk_search_file_get_text:
 * @service: its index among the catalogue's services
 *
 * Returns: (transfer none): the service's folded search text, in the
 *   mapping; "" if @service is not in the file
 */
const char *
_kiosk_search_file_get_text (KioskSearchFile *self,
                             guint            service,
                             gboolean         stripped)
{
  guint32 offset = offset_of (self, service, stripped ? TEXT_STRIPPED : TEXT_EXPANDED);

  return offset != 0 ? self->data + offset : "";
}

/**
 * _kiosk_search_file_get_title:
 * @service: its index among the catalogue's services
 *
 * Returns: (transfer none) (nullable): the service's title (@summary:
 *   FALSE) or summary, in the mapping; %NULL if it has none
 */
const KioskText *
_kiosk_search_file_get_title (KioskSearchFile *self,
                              guint            service,
                              gboolean         summary)
{
  guint32 offset = offset_of (self, service, summary ? TEXT_SUMMARY : TEXT_TITLE);

  return offset != 0 ? (const KioskText *) (gconstpointer) (self->data + offset) : NULL;
}

/**
 * _kiosk_search_file_get_vocabulary:
 *
 * Returns: (transfer none): the vocabulary of the forgiving search, in the
 *   mapping (the GBytes keeps the mapping)
 */
GBytes *
_kiosk_search_file_get_vocabulary (KioskSearchFile *self)
{
  return self->vocabulary;
}

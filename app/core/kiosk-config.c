/* kiosk-config.c
 *
 * SPDX-FileCopyrightText: 2026 Stadtkiosk contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "kiosk-core"

#include "config.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <sys/stat.h>

#include "kiosk-config.h"
#include "kiosk-file.h"
#include "kiosk-language.h"

/* The kiosk's settings, from one keyfile.  Every key is described once in
 * key_specs below: its group, type, limits and default.  Loading checks each
 * value against its spec and names file, group, key, value and what is
 * allowed when it does not fit; all such errors of a file are reported at
 * once, so that an admin fixes them in one go.
 */

typedef enum
{
  KIND_STRING,      /* free text, up to max characters */
  KIND_ID,          /* [a-z0-9][a-z0-9-]*, up to max characters */
  KIND_CODE_PREFIX, /* 2 to 4 characters of the Crockford base32 alphabet */
  KIND_PATH,        /* absolute path, or empty */
  KIND_URL,         /* http:// or https:// URL, or empty */
  KIND_UINT,        /* whole number between min and max */
  KIND_ENUM,        /* one of the words in choices */
  KIND_LANGUAGES,   /* list of supported language codes, German first or included */
  KIND_LANGUAGE,    /* one supported language code, or empty */
  KIND_PRINTER,     /* none | pdf:DIR | cups:QUEUE | escpos:DEVICE | escpos:HOST:PORT */
  KIND_SHA256,      /* 64 hex digits, or empty */
  KIND_PATHS,       /* list of absolute paths */
  KIND_POSTAL_CODES,/* list of 5-digit codes or ranges NNNNN-NNNNN */
  KIND_PLACE,       /* a place's name: a letter, no control characters, up to max; or empty */
} Kind;

typedef struct
{
  const char *group;
  const char *key;
  Kind        kind;
  guint       min;
  guint       max;
  const char *choices;  /* KIND_ENUM: '|'-separated */
  const char *def;      /* default, in keyfile syntax */
  gsize       offset;   /* into KioskConfig */
} KeySpec;

struct _KioskConfig
{
  GObject   parent_instance;

  char     *path;
  GStrv     warnings;

  char     *kiosk_id;
  char     *code_prefix;
  char     *location;
  char     *city;
  char     *state_dir;
  GStrv     languages;

  guint     idle_timeout;
  guint     idle_warning;
  guint     staff_idle_timeout;

  char     *backend_url;
  char     *token_file;
  char     *ca_file;
  char     *pin_sha256;
  guint     sync_interval;
  guint     request_timeout;
  guint     alert_age_hours;

  char     *couchdb_url;         /* server and database */
  char     *couchdb_user;
  char     *couchdb_password_file;
  char     *couchdb_ca_file;
  char     *couchdb_pin_sha256;
  guint     heartbeat_interval;

  char     *printer;
  guint     paper_width;
  char     *qr_mode;

  char     *keys_mode;
  char     *seal;
  char     *signing_key_file;
  char     *city_public_key_file;
  char     *city_secret_key_file;
  char     *catalog_public_key_file;
  GStrv     trusted_kiosk_files;
  guint     payload_cap;

  GStrv     postal_codes;        /* expanded to single codes */
  char     *catalog_file;

  char     *default_target;
  char     *open311_endpoint;
  char     *open311_api_key_file;
  char     *open311_jurisdiction_id;
  char     *open311_ca_file;
  char     *open311_pin_sha256;

  guint     info_stale_hours;
  guint     info_timeout;
  guint     info_max_kib;
  char     *info_ckan_url;
  char     *info_ca_file;
  char     *info_pin_sha256;
  char       *drop_in_dir;        /* <state-dir>/kiosk.conf.d as loaded, or NULL */
  GHashTable *sources;            /* "group.key" -> file that set it; absent = default */
  char     *speech;              /* off | button | always */
  char     *staff_language;      /* "" = the kiosk's first language */
};

G_DEFINE_FINAL_TYPE (KioskConfig, kiosk_config, G_TYPE_OBJECT)
G_DEFINE_QUARK (kiosk-config-error-quark, kiosk_config_error)

#define OFF(field) G_STRUCT_OFFSET (KioskConfig, field)


static const KeySpec key_specs[] = {
  { "kiosk", "id", KIND_ID, 1, 32, NULL, "demo-kiosk", OFF (kiosk_id) },
  { "kiosk", "code-prefix", KIND_CODE_PREFIX, 2, 4, NULL, "HSK", OFF (code_prefix) },
  { "kiosk", "location", KIND_STRING, 0, 120, NULL, "Stadtbibliothek Hildesheim, Judenstraße 1", OFF (location) },
  /* Named in address messages, pre-filled as an address's town (#16). */
  { "kiosk", "city", KIND_PLACE, 0, 60, NULL, "Hildesheim", OFF (city) },
  { "kiosk", "state-dir", KIND_PATH, 0, 0, NULL, "/var/lib/stadtkiosk", OFF (state_dir) },
  { "kiosk", "languages", KIND_LANGUAGES, 0, 0, NULL, "de;en;", OFF (languages) },
  { "kiosk", "default-target", KIND_ENUM, 0, 0, "submission|couchdb", "submission", OFF (default_target) },

  { "session", "idle-timeout", KIND_UINT, 30, 1800, NULL, "90", OFF (idle_timeout) },
  /* WCAG 2.2.1: at least 20 s to ask for more time. */
  { "session", "idle-warning", KIND_UINT, 20, 120, NULL, "30", OFF (idle_warning) },
  { "session", "staff-idle-timeout", KIND_UINT, 30, 1800, NULL, "120", OFF (staff_idle_timeout) },

  { "backend", "url", KIND_URL, 0, 0, NULL, "", OFF (backend_url) },
  { "backend", "token-file", KIND_PATH, 0, 0, NULL, "", OFF (token_file) },
  { "backend", "ca-file", KIND_PATH, 0, 0, NULL, "", OFF (ca_file) },
  { "backend", "pin-sha256", KIND_SHA256, 0, 0, NULL, "", OFF (pin_sha256) },
  { "backend", "sync-interval", KIND_UINT, 5, 3600, NULL, "60", OFF (sync_interval) },
  { "backend", "timeout", KIND_UINT, 2, 300, NULL, "30", OFF (request_timeout) },
  { "backend", "alert-age-hours", KIND_UINT, 1, 720, NULL, "24", OFF (alert_age_hours) },

  { "couchdb", "url", KIND_URL, 0, 0, NULL, "", OFF (couchdb_url) },
  { "couchdb", "user", KIND_STRING, 0, 120, NULL, "", OFF (couchdb_user) },
  { "couchdb", "password-file", KIND_PATH, 0, 0, NULL, "", OFF (couchdb_password_file) },
  { "couchdb", "ca-file", KIND_PATH, 0, 0, NULL, "", OFF (couchdb_ca_file) },
  { "couchdb", "pin-sha256", KIND_SHA256, 0, 0, NULL, "", OFF (couchdb_pin_sha256) },
  { "couchdb", "heartbeat-interval", KIND_UINT, 10, 86400, NULL, "300", OFF (heartbeat_interval) },

  { "printer", "backend", KIND_PRINTER, 0, 0, NULL, "none", OFF (printer) },
  { "printer", "paper-width", KIND_ENUM, 0, 0, "58|80", "80", OFF (paper_width) },
  { "printer", "qr-mode", KIND_ENUM, 0, 0, "native|raster", "native", OFF (qr_mode) },

  { "keys", "mode", KIND_ENUM, 0, 0, "real|demo", "real", OFF (keys_mode) },
  { "keys", "seal", KIND_ENUM, 0, 0, "on|off", "on", OFF (seal) },
  { "keys", "signing-key", KIND_PATH, 0, 0, NULL, "", OFF (signing_key_file) },
  { "keys", "city-public-key", KIND_PATH, 0, 0, NULL, "", OFF (city_public_key_file) },
  { "keys", "city-secret-key", KIND_PATH, 0, 0, NULL, "", OFF (city_secret_key_file) },
  { "keys", "catalog-public-key", KIND_PATH, 0, 0, NULL, "", OFF (catalog_public_key_file) },
  { "keys", "trusted-kiosks", KIND_PATHS, 0, 0, NULL, "", OFF (trusted_kiosk_files) },
  { "keys", "payload-cap", KIND_UINT, 100, 2000, NULL, "650", OFF (payload_cap) },

  { "info", "stale-hours", KIND_UINT, 1, 720, NULL, "24", OFF (info_stale_hours) },
  { "info", "timeout", KIND_UINT, 2, 300, NULL, "20", OFF (info_timeout) },
  { "info", "max-kib", KIND_UINT, 16, 65536, NULL, "2048", OFF (info_max_kib) },
  { "info", "ckan-url", KIND_URL, 0, 0, NULL, "", OFF (info_ckan_url) },
  { "info", "ca-file", KIND_PATH, 0, 0, NULL, "", OFF (info_ca_file) },
  { "info", "pin-sha256", KIND_SHA256, 0, 0, NULL, "", OFF (info_pin_sha256) },

  { "catalog", "postal-codes", KIND_POSTAL_CODES, 0, 0, NULL, "31134-31141;", OFF (postal_codes) },
  { "catalog", "file", KIND_PATH, 0, 0, NULL, "", OFF (catalog_file) },

  { "open311", "endpoint", KIND_URL, 0, 0, NULL, "", OFF (open311_endpoint) },
  { "open311", "api-key-file", KIND_PATH, 0, 0, NULL, "", OFF (open311_api_key_file) },
  { "open311", "jurisdiction-id", KIND_STRING, 0, 200, NULL, "", OFF (open311_jurisdiction_id) },
  { "open311", "ca-file", KIND_PATH, 0, 0, NULL, "", OFF (open311_ca_file) },
  { "open311", "pin-sha256", KIND_SHA256, 0, 0, NULL, "", OFF (open311_pin_sha256) },
  { "accessibility", "speech", KIND_ENUM, 0, 0, "off|button|always", "button", OFF (speech) },
  { "staff", "language", KIND_LANGUAGE, 0, 0, NULL, "", OFF (staff_language) },
};

#undef OFF

static gboolean
spec_is_list (const KeySpec *spec)
{
  return spec->kind == KIND_LANGUAGES || spec->kind == KIND_PATHS || spec->kind == KIND_POSTAL_CODES;
}

static gboolean
spec_is_uint (const KeySpec *spec)
{
  return spec->kind == KIND_UINT || (spec->kind == KIND_ENUM && g_str_equal (spec->key, "paper-width"));
}

static gpointer
field_ptr (KioskConfig   *self,
           const KeySpec *spec)
{
  return G_STRUCT_MEMBER_P (self, spec->offset);
}

static gboolean
is_crockford (char c)
{
  return g_ascii_isdigit (c) ||
         (c >= 'A' && c <= 'Z' && c != 'I' && c != 'L' && c != 'O' && c != 'U');
}

static gboolean
expand_postal_codes (char      **items,
                     GPtrArray  *out,
                     char      **why)
{
  for (guint i = 0; items[i] != NULL; i++)
    {
      const char *item = g_strstrip (items[i]);
      guint64 from, to;
      char *end = NULL;

      if (*item == '\0')
        continue;
      if (!g_ascii_string_to_unsigned (item, 10, 0, 99999, &from, NULL))
        {
          if (strlen (item) != 11 || item[5] != '-')
            goto bad;
          {
            g_autofree char *a = g_strndup (item, 5);
            if (!g_ascii_string_to_unsigned (a, 10, 0, 99999, &from, NULL) ||
                !g_ascii_string_to_unsigned (item + 6, 10, 0, 99999, &to, NULL) ||
                to < from || to - from > 1000)
              goto bad;
          }
        }
      else
        {
          if (strlen (item) != 5)
            goto bad;
          to = from;
        }
      for (guint64 c = from; c <= to; c++)
        g_ptr_array_add (out, g_strdup_printf ("%05u", (guint) c));
      continue;

    bad:
      (void) end;
      *why = g_strdup_printf ("'%s' is not a 5-digit postal code or a range like 31134-31141", item);
      return FALSE;
    }
  return TRUE;
}

/* Checks one raw value against its spec and stores it.  On a bad value it
 * returns FALSE and sets *why to what is allowed. */
static gboolean
apply_value (KioskConfig   *self,
             const KeySpec *spec,
             const char    *raw,
             char         **why)
{
  gpointer ptr = field_ptr (self, spec);
  g_autofree char *value = g_strstrip (g_strdup (raw));

  switch (spec->kind)
    {
    case KIND_STRING:
      if (!g_utf8_validate (value, -1, NULL) || g_utf8_strlen (value, -1) > spec->max)
        {
          *why = g_strdup_printf ("text of at most %u characters", spec->max);
          return FALSE;
        }
      break;

    case KIND_PLACE:
      {
        gboolean letter = FALSE;
        gboolean control = FALSE;

        if (g_utf8_validate (value, -1, NULL))
          for (const char *c = value; *c; c = g_utf8_next_char (c))
            {
              gunichar u = g_utf8_get_char (c);

              letter = letter || g_unichar_isalpha (u);
              control = control || g_unichar_iscntrl (u);
            }
        if (*value != '\0' &&
            (!g_utf8_validate (value, -1, NULL) || !letter || control || g_utf8_strlen (value, -1) > spec->max))
          {
            *why = g_strdup_printf ("the name of a place: letters, at most %u characters "
                                    "(e.g. Hildesheim), or empty", spec->max);
            return FALSE;
          }
      }
      break;

    case KIND_ID:
      if (*value == '\0' || strlen (value) > spec->max || !g_ascii_isalnum (value[0]))
        goto bad_id;
      for (const char *c = value; *c; c++)
        if (!(g_ascii_islower (*c) || g_ascii_isdigit (*c) || *c == '-'))
          goto bad_id;
      break;
    bad_id:
      *why = g_strdup_printf ("1 to %u characters: lower-case letters, digits and '-', "
                              "starting with a letter or digit", spec->max);
      return FALSE;

    case KIND_CODE_PREFIX:
      {
        gsize len = strlen (value);

        if (len < spec->min || len > spec->max)
          goto bad_prefix;
        for (const char *c = value; *c; c++)
          if (!is_crockford (*c))
            goto bad_prefix;
        break;
      }
    bad_prefix:
      *why = g_strdup ("2 to 4 characters of 0-9 and A-Z without I, L, O, U (e.g. HSK); I, L, O and U are left out because they read as 1, 1, 0 and V");
      return FALSE;

    case KIND_LANGUAGE:
      if (*value != '\0' && !kiosk_language_is_supported (value))
        {
          g_autofree char *list = g_strjoinv (", ", (char **) kiosk_language_get_supported ());

          *why = g_strdup_printf ("a language code from %s, or empty for the first of [kiosk] languages", list);
          return FALSE;
        }
      break;

    case KIND_PATH:
      if (*value != '\0' && !g_path_is_absolute (value))
        {
          *why = g_strdup ("an absolute path (starting with /), or empty");
          return FALSE;
        }
      break;

    case KIND_URL:
      if (*value != '\0')
        {
          g_autoptr(GUri) uri = g_uri_parse (value, G_URI_FLAGS_NONE, NULL);

          if (uri == NULL ||
              (g_strcmp0 (g_uri_get_scheme (uri), "http") != 0 &&
               g_strcmp0 (g_uri_get_scheme (uri), "https") != 0) ||
              g_uri_get_host (uri) == NULL || *g_uri_get_host (uri) == '\0')
            {
              *why = g_strdup ("an http:// or https:// URL such as https://kiosk-api.hildesheim.de, or empty for no backend");
              return FALSE;
            }
          /* Drop a trailing slash so that paths can be appended. */
          while (g_str_has_suffix (value, "/"))
            value[strlen (value) - 1] = '\0';
        }
      break;

    case KIND_UINT:
      {
        guint64 n;

        if (!g_ascii_string_to_unsigned (value, 10, spec->min, spec->max, &n, NULL))
          {
            *why = g_strdup_printf ("a whole number from %u to %u", spec->min, spec->max);
            return FALSE;
          }
        *(guint *) ptr = (guint) n;
        return TRUE;
      }

    case KIND_ENUM:
      {
        g_auto(GStrv) choices = g_strsplit (spec->choices, "|", -1);

        if (!g_strv_contains ((const char * const *) choices, value))
          {
            g_autofree char *list = g_strjoinv (", ", choices);
            *why = g_strdup_printf ("one of %s", list);
            return FALSE;
          }
        if (spec_is_uint (spec))
          {
            *(guint *) ptr = (guint) g_ascii_strtoull (value, NULL, 10);
            return TRUE;
          }
        break;
      }

    case KIND_PRINTER:
      if (!(g_str_equal (value, "none") ||
            (g_str_has_prefix (value, "pdf:") && g_path_is_absolute (value + 4)) ||
            (g_str_has_prefix (value, "cups:") && value[5] != '\0') ||
            (g_str_has_prefix (value, "escpos:") && value[7] != '\0')))
        {
          *why = g_strdup ("none, pdf:/absolute/dir, cups:QUEUE, escpos:/dev/usb/lpN or escpos:HOST:9100");
          return FALSE;
        }
      break;

    case KIND_SHA256:
      if (*value != '\0')
        {
          gsize n = 0;

          for (const char *c = value; *c; c++)
            if (g_ascii_isxdigit (*c))
              n++;
            else if (*c != ':')
              n = 1000;
          if (n != 64)
            {
              *why = g_strdup ("64 hexadecimal digits (colons allowed), the SHA-256 of the server certificate");
              return FALSE;
            }
        }
      break;

    case KIND_LANGUAGES:
    case KIND_PATHS:
    case KIND_POSTAL_CODES:
      {
        g_auto(GStrv) items = g_strsplit_set (value, ";,", -1);
        g_autoptr(GPtrArray) out = g_ptr_array_new_with_free_func (g_free);

        if (spec->kind == KIND_POSTAL_CODES)
          {
            if (!expand_postal_codes (items, out, why))
              return FALSE;
          }
        else
          {
            for (guint i = 0; items[i] != NULL; i++)
              {
                const char *item = g_strstrip (items[i]);

                if (*item == '\0')
                  continue;
                if (spec->kind == KIND_LANGUAGES && !kiosk_language_is_supported (item))
                  {
                    g_autofree char *list = g_strjoinv (", ", (char **) kiosk_language_get_supported ());
                    *why = g_strdup_printf ("language codes from %s, separated by ';' ('%s' is not one)", list, item);
                    return FALSE;
                  }
                if (spec->kind == KIND_PATHS && !g_path_is_absolute (item))
                  {
                    *why = g_strdup_printf ("absolute paths separated by ';' ('%s' is not absolute)", item);
                    return FALSE;
                  }
                if (!g_ptr_array_find_with_equal_func (out, item, g_str_equal, NULL))
                  g_ptr_array_add (out, g_strdup (item));
              }
          }
        if (spec->kind == KIND_LANGUAGES && !g_ptr_array_find_with_equal_func (out, "de", g_str_equal, NULL))
          {
            *why = g_strdup ("a list that includes de (German is always offered)");
            return FALSE;
          }
        g_ptr_array_add (out, NULL);
        g_strfreev (*(GStrv *) ptr);
        *(GStrv *) ptr = (GStrv) g_ptr_array_free (g_steal_pointer (&out), FALSE);
        return TRUE;
      }

    default:
      g_assert_not_reached ();
    }

  g_free (*(char **) ptr);
  *(char **) ptr = g_steal_pointer (&value);
  return TRUE;
}

static void
apply_defaults (KioskConfig *self)
{
  for (guint i = 0; i < G_N_ELEMENTS (key_specs); i++)
    {
      g_autofree char *why = NULL;

      if (!apply_value (self, &key_specs[i], key_specs[i].def, &why))
        g_error ("default of [%s] %s is invalid: %s", key_specs[i].group, key_specs[i].key, why);
    }
}

static const KeySpec *
find_spec (const char *group,
           const char *key)
{
  for (guint i = 0; i < G_N_ELEMENTS (key_specs); i++)
    if (g_str_equal (key_specs[i].group, group) && g_str_equal (key_specs[i].key, key))
      return &key_specs[i];
  return NULL;
}

/* Drop-ins.  Settings saved on the admin screen cannot go to
 * /etc/stadtkiosk/kiosk.conf: the kiosk runs with /etc read-only
 * (ProtectSystem=strict) and its user does not own it.  They go to
 * <state-dir>/kiosk.conf.d/NAME.conf instead, which is read after the main
 * file, in name order, and overrides it key by key.  The state directory
 * itself and the [keys] group (whose receipts are sealed to whom, whose
 * signatures are trusted) stay with the administrator's file: a drop-in that
 * sets them is ignored with a warning. */

static void
record_sources (KioskConfig *self,
                GKeyFile    *keyfile,
                const char  *path)
{
  g_auto(GStrv) groups = g_key_file_get_groups (keyfile, NULL);

  for (guint g = 0; groups[g] != NULL; g++)
    {
      g_auto(GStrv) keys = g_key_file_get_keys (keyfile, groups[g], NULL, NULL);

      for (guint k = 0; keys != NULL && keys[k] != NULL; k++)
        if (find_spec (groups[g], keys[k]) != NULL)
          g_hash_table_replace (self->sources,
                                g_strdup_printf ("%s.%s", groups[g], keys[k]),
                                g_strdup (path));
    }
}

static gboolean
drop_in_may_set (const KeySpec *spec)
{
  return !g_str_equal (spec->group, "keys") && spec->offset != G_STRUCT_OFFSET (KioskConfig, state_dir);
}

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return g_strcmp0 (*(const char * const *) a, *(const char * const *) b);
}

static void
merge_drop_ins (KioskConfig *self,
                GPtrArray   *warnings,
                GString     *problems)
{
  g_autoptr(GDir) dir = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  const char *name;

  self->drop_in_dir = g_build_filename (self->state_dir, "kiosk.conf.d", NULL);
  dir = g_dir_open (self->drop_in_dir, 0, &error);
  if (dir == NULL)
    {
      /* No directory is the normal case; one we may not read is not. */
      if (!g_error_matches (error, G_FILE_ERROR, G_FILE_ERROR_NOENT) &&
          !g_error_matches (error, G_FILE_ERROR, G_FILE_ERROR_NOTDIR))
        g_ptr_array_add (warnings,
                         g_strdup_printf ("%s: drop-ins not read (%s); the kiosk may run with other values",
                                          self->drop_in_dir, error->message));
      return;
    }
  while ((name = g_dir_read_name (dir)) != NULL)
    if (name[0] != '.' && g_str_has_suffix (name, ".conf"))
      g_ptr_array_add (names, g_strdup (name));
  g_ptr_array_sort (names, compare_names);

  for (guint i = 0; i < names->len; i++)
    {
      g_autofree char *path = g_build_filename (self->drop_in_dir, g_ptr_array_index (names, i), NULL);
      g_autoptr(GKeyFile) keyfile = g_key_file_new ();
      g_autoptr(GError) local_error = NULL;
      g_auto(GStrv) groups = NULL;

      if (!g_key_file_load_from_file (keyfile, path, G_KEY_FILE_NONE, &local_error))
        {
          g_string_append_printf (problems, "%s%s: %s", problems->len ? "\n" : "", path, local_error->message);
          continue;
        }
      groups = g_key_file_get_groups (keyfile, NULL);
      for (guint g = 0; groups[g] != NULL; g++)
        {
          g_auto(GStrv) keys = g_key_file_get_keys (keyfile, groups[g], NULL, NULL);

          for (guint k = 0; keys != NULL && keys[k] != NULL; k++)
            {
              const KeySpec *spec = find_spec (groups[g], keys[k]);
              g_autofree char *raw = NULL;
              g_autofree char *why = NULL;

              if (spec == NULL)
                {
                  g_ptr_array_add (warnings, g_strdup_printf ("%s: [%s] %s: unknown key, ignored",
                                                              path, groups[g], keys[k]));
                  continue;
                }
              if (!drop_in_may_set (spec))
                {
                  g_ptr_array_add (warnings, g_strdup_printf ("%s: [%s] %s: only %s may set this key, ignored",
                                                              path, groups[g], keys[k], self->path));
                  continue;
                }
              raw = g_key_file_get_value (keyfile, groups[g], keys[k], NULL);
              if (!apply_value (self, spec, raw, &why))
                {
                  g_string_append_printf (problems, "%s%s: [%s] %s = '%s': expected %s",
                                          problems->len ? "\n" : "", path, groups[g], keys[k], raw, why);
                  continue;
                }
              g_hash_table_replace (self->sources,
                                    g_strdup_printf ("%s.%s", groups[g], keys[k]),
                                    g_strdup (path));
            }
        }
    }
}

static void
kiosk_config_finalize (GObject *object)
{
  KioskConfig *self = (KioskConfig *)object;

  g_free (self->path);
  g_strfreev (self->warnings);
  g_free (self->drop_in_dir);
  g_clear_pointer (&self->sources, g_hash_table_unref);
  for (guint i = 0; i < G_N_ELEMENTS (key_specs); i++)
    {
      const KeySpec *spec = &key_specs[i];

      if (spec_is_uint (spec))
        continue;
      if (spec_is_list (spec))
        g_clear_pointer ((GStrv *) field_ptr (self, spec), g_strfreev);
      else
        g_clear_pointer ((char **) field_ptr (self, spec), g_free);
    }

  G_OBJECT_CLASS (kiosk_config_parent_class)->finalize (object);
}

static void
kiosk_config_class_init (KioskConfigClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = kiosk_config_finalize;
}

static void
kiosk_config_init (KioskConfig *self)
{
  apply_defaults (self);
  self->warnings = g_new0 (char *, 1);
  self->sources = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
}

/**
 * kiosk_config_new_default:
 *
 * Returns: (transfer full): a configuration with every key at its default.
 */
KioskConfig *
kiosk_config_new_default (void)
{
  return g_object_new (KIOSK_TYPE_CONFIG, NULL);
}

/**
 * kiosk_config_get_default_path:
 *
 * Returns: (transfer full): `$STADTKIOSK_CONFIG` if set, else the system file.
 */
char *
kiosk_config_get_default_path (void)
{
  const char *env = g_getenv ("STADTKIOSK_CONFIG");

  if (env != NULL && *env != '\0')
    return g_strdup (env);
  return g_strdup (DEFAULT_CONFIG_FILE);
}

/* GKeyFile keeps the last of two equal keys in a group without a word: an
 * admin who added "url=" at the end of [backend] and forgot the first one
 * never learns which is used.  Refused here, naming both lines. */
static gboolean
check_duplicate_keys (const char  *path,
                      const char  *text,
                      GError     **error)
{
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autofree char *group = g_strdup ("");

  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_autofree char *line = g_strstrip (g_strdup (lines[i]));
      g_autofree char *key = NULL;
      g_autofree char *where = NULL;
      const char *eq;
      gpointer first;

      if (*line == '\0' || *line == '#')
        continue;
      if (*line == '[')
        {
          g_free (group);
          group = g_strdup (line);
          continue;
        }
      if ((eq = strchr (line, '=')) == NULL)
        continue;   /* GKeyFile reports what it cannot read */
      key = g_strstrip (g_strndup (line, (gsize) (eq - line)));
      where = g_strdup_printf ("%s %s", group, key);
      if (g_hash_table_lookup_extended (seen, where, NULL, &first))
        {
          g_set_error (error, KIOSK_CONFIG_ERROR, KIOSK_CONFIG_ERROR_PARSE,
                       "%s: line %u: %s = is given a second time (first on line %u); say it once",
                       path, i + 1, where, GPOINTER_TO_UINT (first));
          return FALSE;
        }
      g_hash_table_insert (seen, g_steal_pointer (&where), GUINT_TO_POINTER (i + 1));
    }
  return TRUE;
}

/**
 * kiosk_config_new_from_file:
 * @path: the keyfile
 *
 * Loads and checks @path, then the drop-ins `*.conf` in
 * `<state-dir>/kiosk.conf.d/` in name order, each overriding it key by key
 * (kiosk_config_get_source() tells which file set a value).  Keys that are
 * absent keep their defaults; unknown keys are kept as warnings
 * (kiosk_config_get_warnings()); every invalid value is listed in the one
 * error.
 *
 * Returns: (transfer full): the configuration, or %NULL with @error set
 */
KioskConfig *
kiosk_config_new_from_file (const char  *path,
                            GError     **error)
{
  g_autoptr(KioskConfig) self = NULL;
  g_autoptr(GKeyFile) keyfile = g_key_file_new ();
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GPtrArray) warnings = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GString) problems = g_string_new (NULL);
  g_auto(GStrv) groups = NULL;
  g_autofree char *text = NULL;
  gsize text_len = 0;

  g_return_val_if_fail (path != NULL, NULL);

  /* Bounded and never a pipe: a FIFO given as --config hung the process. */
  if (!kiosk_file_read_bounded (path, KIOSK_FILE_MAX_CONFIG, &text, &text_len, &local_error))
    {
      if (g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
        g_set_error (error, KIOSK_CONFIG_ERROR, KIOSK_CONFIG_ERROR_NOT_FOUND,
                     "%s: no such configuration file (give one with --config or STADTKIOSK_CONFIG)", path);
      else
        g_set_error (error, KIOSK_CONFIG_ERROR, KIOSK_CONFIG_ERROR_PARSE, "%s", local_error->message);
      return NULL;
    }
  if (!check_duplicate_keys (path, text, error))
    return NULL;
  if (!g_key_file_load_from_data (keyfile, text, text_len, G_KEY_FILE_NONE, &local_error))
    {
      g_set_error (error, KIOSK_CONFIG_ERROR, KIOSK_CONFIG_ERROR_PARSE,
                   "%s: %s", path, local_error->message);
      return NULL;
    }

  self = g_object_new (KIOSK_TYPE_CONFIG, NULL);
  self->path = g_strdup (path);

  groups = g_key_file_get_groups (keyfile, NULL);
  for (guint g = 0; groups[g] != NULL; g++)
    {
      g_auto(GStrv) keys = g_key_file_get_keys (keyfile, groups[g], NULL, NULL);

      for (guint k = 0; keys != NULL && keys[k] != NULL; k++)
        {
          const KeySpec *spec = find_spec (groups[g], keys[k]);
          g_autofree char *raw = NULL;
          g_autofree char *why = NULL;

          if (spec == NULL)
            {
              g_ptr_array_add (warnings,
                               g_strdup_printf ("%s: [%s] %s: unknown key, ignored",
                                                path, groups[g], keys[k]));
              continue;
            }

          raw = g_key_file_get_value (keyfile, groups[g], keys[k], NULL);
          if (!apply_value (self, spec, raw, &why))
            g_string_append_printf (problems, "%s%s: [%s] %s = '%s': expected %s",
                                    problems->len ? "\n" : "", path, groups[g], keys[k], raw, why);
        }
    }

  record_sources (self, keyfile, path);
  if (problems->len == 0)
    merge_drop_ins (self, warnings, problems);

  if (problems->len > 0)
    {
      g_set_error_literal (error, KIOSK_CONFIG_ERROR, KIOSK_CONFIG_ERROR_INVALID, problems->str);
      return NULL;
    }

  g_ptr_array_add (warnings, NULL);
  g_strfreev (self->warnings);
  self->warnings = (GStrv) g_ptr_array_free (g_steal_pointer (&warnings), FALSE);

  return g_steal_pointer (&self);
}

const char * const *
kiosk_config_get_warnings (KioskConfig *self)
{
  g_return_val_if_fail (KIOSK_IS_CONFIG (self), NULL);
  return (const char * const *) self->warnings;
}

const char *
kiosk_config_get_path (KioskConfig *self)
{
  g_return_val_if_fail (KIOSK_IS_CONFIG (self), NULL);
  return self->path;
}

#define STRING_GETTER(name, field)                       \
  const char *                                           \
  kiosk_config_get_##name (KioskConfig *self)            \
  {                                                      \
    g_return_val_if_fail (KIOSK_IS_CONFIG (self), NULL); \
    return self->field;                                  \
  }
#define UINT_GETTER(name, field)                         \
  guint                                                  \
  kiosk_config_get_##name (KioskConfig *self)            \
  {                                                      \
    g_return_val_if_fail (KIOSK_IS_CONFIG (self), 0);    \
    return self->field;                                  \
  }
#define STRV_GETTER(name, field)                         \
  const char * const *                                   \
  kiosk_config_get_##name (KioskConfig *self)            \
  {                                                      \
    g_return_val_if_fail (KIOSK_IS_CONFIG (self), NULL); \
    return (const char * const *) self->field;           \
  }

STRING_GETTER (kiosk_id, kiosk_id)
STRING_GETTER (code_prefix, code_prefix)
STRING_GETTER (location, location)
STRING_GETTER (city, city)
STRING_GETTER (state_dir, state_dir)
STRV_GETTER (languages, languages)
UINT_GETTER (idle_timeout, idle_timeout)
UINT_GETTER (idle_warning, idle_warning)
UINT_GETTER (staff_idle_timeout, staff_idle_timeout)
STRING_GETTER (backend_url, backend_url)
STRING_GETTER (info_ckan_url, info_ckan_url)
STRING_GETTER (info_ca_file, info_ca_file)
STRING_GETTER (info_pin_sha256, info_pin_sha256)
STRING_GETTER (token_file, token_file)
STRING_GETTER (couchdb_url, couchdb_url)
STRING_GETTER (catalog_public_key_file, catalog_public_key_file)
STRING_GETTER (couchdb_user, couchdb_user)
STRING_GETTER (couchdb_password_file, couchdb_password_file)
STRING_GETTER (couchdb_ca_file, couchdb_ca_file)
STRING_GETTER (couchdb_pin_sha256, couchdb_pin_sha256)
UINT_GETTER (heartbeat_interval, heartbeat_interval)
STRING_GETTER (ca_file, ca_file)
STRING_GETTER (pin_sha256, pin_sha256)
UINT_GETTER (sync_interval, sync_interval)
UINT_GETTER (request_timeout, request_timeout)
UINT_GETTER (alert_age_hours, alert_age_hours)
UINT_GETTER (info_stale_hours, info_stale_hours)
UINT_GETTER (info_timeout, info_timeout)
UINT_GETTER (info_max_kib, info_max_kib)
STRING_GETTER (printer, printer)
UINT_GETTER (paper_width, paper_width)
STRING_GETTER (qr_mode, qr_mode)
STRING_GETTER (city_public_key_file, city_public_key_file)
STRING_GETTER (city_secret_key_file, city_secret_key_file)
STRV_GETTER (trusted_kiosk_files, trusted_kiosk_files)
UINT_GETTER (payload_cap, payload_cap)
STRV_GETTER (postal_codes, postal_codes)
STRING_GETTER (catalog_file, catalog_file)
STRING_GETTER (default_target, default_target)
STRING_GETTER (open311_endpoint, open311_endpoint)
STRING_GETTER (open311_api_key_file, open311_api_key_file)
STRING_GETTER (open311_jurisdiction_id, open311_jurisdiction_id)
STRING_GETTER (open311_ca_file, open311_ca_file)
STRING_GETTER (open311_pin_sha256, open311_pin_sha256)
STRING_GETTER (speech, speech)

/**
 * kiosk_config_get_staff_language:
 *
 * Returns: the language of the staff screens: [staff] language, or the
 *   first of [kiosk] languages when that is empty
 */
const char *
kiosk_config_get_staff_language (KioskConfig *self)
{
  g_return_val_if_fail (KIOSK_IS_CONFIG (self), NULL);

  if (self->staff_language != NULL && *self->staff_language != '\0')
    return self->staff_language;
  return self->languages != NULL && self->languages[0] != NULL ? self->languages[0] : "de";
}

#undef STRING_GETTER
#undef UINT_GETTER
#undef STRV_GETTER

/**
 * kiosk_config_get_signing_key_file:
 *
 * Returns: the kiosk's Ed25519 key file; by default `kiosk-signing.key` in
 *   the state directory
 */
const char *
kiosk_config_get_signing_key_file (KioskConfig *self)
{
  g_return_val_if_fail (KIOSK_IS_CONFIG (self), NULL);

  if (self->signing_key_file == NULL || *self->signing_key_file == '\0')
    {
      g_free (self->signing_key_file);
      self->signing_key_file = g_build_filename (self->state_dir, "kiosk-signing.key", NULL);
    }
  return self->signing_key_file;
}

gboolean
kiosk_config_get_keys_demo (KioskConfig *self)
{
  g_return_val_if_fail (KIOSK_IS_CONFIG (self), FALSE);
  return g_str_equal (self->keys_mode, "demo");
}

/* `[keys] seal = off`: the admin chose to store answers in clear without a
 * city key (see kiosk-seal-policy.c). */
gboolean
kiosk_config_get_seal_off (KioskConfig *self)
{
  g_return_val_if_fail (KIOSK_IS_CONFIG (self), FALSE);
  return self->seal != NULL && g_str_equal (self->seal, "off");
}

void
kiosk_config_set_state_dir (KioskConfig *self,
                            const char  *state_dir)
{
  g_return_if_fail (KIOSK_IS_CONFIG (self));
  g_return_if_fail (state_dir != NULL && g_path_is_absolute (state_dir));

  /* A signing key that follows the state directory follows it here too. */
  if (self->signing_key_file != NULL && self->state_dir != NULL)
    {
      g_autofree char *old_default = g_build_filename (self->state_dir, "kiosk-signing.key", NULL);

      if (g_str_equal (old_default, self->signing_key_file))
        g_clear_pointer (&self->signing_key_file, g_free);
    }
  g_free (self->state_dir);
  self->state_dir = g_strdup (state_dir);
}

/* A secret in a file of its own (token, API key): refused when group or
 * others can read it, since it opens the city's system. */
static char *
read_secret_file (const char  *path,
                  const char  *what,
                  const char  *key,
                  GError     **error)
{
  GStatBuf st;
  g_autofree char *contents = NULL;

  if (g_stat (path, &st) != 0)
    {
      int errsv = errno;
      g_set_error (error, KIOSK_CONFIG_ERROR, KIOSK_CONFIG_ERROR_NOT_FOUND,
                   "%s %s (%s): %s", what, path, key, g_strerror (errsv));
      return NULL;
    }
  if ((st.st_mode & 077) != 0)
    {
      g_set_error (error, KIOSK_CONFIG_ERROR, KIOSK_CONFIG_ERROR_INSECURE,
                   "%s %s is readable by group or others (mode %04o); run: chmod 600 %s",
                   what, path, (guint) (st.st_mode & 07777), path);
      return NULL;
    }
  if (!kiosk_file_read_bounded (path, KIOSK_FILE_MAX_CONFIG, &contents, NULL, error))
    return NULL;
  g_strstrip (contents);
  if (*contents == '\0')
    {
      g_set_error (error, KIOSK_CONFIG_ERROR, KIOSK_CONFIG_ERROR_INVALID,
                   "%s %s is empty", what, path);
      return NULL;
    }
  return g_steal_pointer (&contents);
}

/**
 * kiosk_config_read_token:
 *
 * Reads the bearer token.  A token file that group or others can read is
 * refused: the token opens the city's backend.
 *
 * Returns: (transfer full) (nullable): the token, %NULL with @error set, or
 *   %NULL without error when no token file is configured
 */
char *
kiosk_config_read_token (KioskConfig  *self,
                         GError      **error)
{
  g_return_val_if_fail (KIOSK_IS_CONFIG (self), NULL);

  if (self->token_file == NULL || *self->token_file == '\0')
    return NULL;
  return read_secret_file (self->token_file, "token file", "[backend] token-file", error);
}

/**
 * kiosk_config_read_open311_api_key:
 *
 * Reads the Open311 API key, refused like the token when group or others
 * can read its file.
 *
 * Returns: (transfer full) (nullable): the key, %NULL with @error set, or
 *   %NULL without error when no key file is configured
 */
char *
kiosk_config_read_open311_api_key (KioskConfig  *self,
                                   GError      **error)
{
  g_return_val_if_fail (KIOSK_IS_CONFIG (self), NULL);

  if (self->open311_api_key_file == NULL || *self->open311_api_key_file == '\0')
    return NULL;
  return read_secret_file (self->open311_api_key_file, "API key file", "[open311] api-key-file", error);
}

/**
 * kiosk_config_to_data:
 *
 * Returns: (transfer full): the configuration as a keyfile, every key written
 */
char *
kiosk_config_to_data (KioskConfig *self)
{
  g_autoptr(GKeyFile) keyfile = g_key_file_new ();

  g_return_val_if_fail (KIOSK_IS_CONFIG (self), NULL);

  for (guint i = 0; i < G_N_ELEMENTS (key_specs); i++)
    {
      const KeySpec *spec = &key_specs[i];
      gpointer ptr = field_ptr (self, spec);

      if (spec_is_uint (spec))
        g_key_file_set_integer (keyfile, spec->group, spec->key, (gint) *(guint *) ptr);
      else if (spec_is_list (spec))
        {
          GStrv list = *(GStrv *) ptr;
          g_key_file_set_string_list (keyfile, spec->group, spec->key,
                                      (const char * const *) list, list ? g_strv_length (list) : 0);
        }
      else
        g_key_file_set_string (keyfile, spec->group, spec->key, *(char **) ptr ? *(char **) ptr : "");
    }

  return g_key_file_to_data (keyfile, NULL, NULL);
}

/**
 * kiosk_config_get_drop_in_dir:
 *
 * Returns: (nullable): the directory whose `*.conf` files override the main
 *   file (`<state-dir>/kiosk.conf.d`, the state directory of the main file),
 *   or %NULL for a configuration that was not loaded from a file
 */
const char *
kiosk_config_get_drop_in_dir (KioskConfig *self)
{
  g_return_val_if_fail (KIOSK_IS_CONFIG (self), NULL);
  return self->drop_in_dir;
}

/**
 * kiosk_config_get_source:
 * @group: a group such as `backend`
 * @key: a key in @group such as `url`
 *
 * Returns: (nullable): the file whose value for @group/@key is in effect, or
 *   %NULL when the key has its default value
 */
const char *
kiosk_config_get_source (KioskConfig *self,
                         const char  *group,
                         const char  *key)
{
  g_autofree char *name = NULL;

  g_return_val_if_fail (KIOSK_IS_CONFIG (self), NULL);
  g_return_val_if_fail (group != NULL && key != NULL, NULL);

  name = g_strdup_printf ("%s.%s", group, key);
  return g_hash_table_lookup (self->sources, name);
}

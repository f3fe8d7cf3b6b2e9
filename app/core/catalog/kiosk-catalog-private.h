/* kiosk-catalog-private.h: the catalogue's data, shared by the loader, the
 * form and the tests.  Nothing outside app/core includes this.
 *
 * SPDX-FileCopyrightText: 2026 Stadtkiosk contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

#include "kiosk-catalog.h"
#include "kiosk-field.h"
#include "kiosk-service.h"

G_BEGIN_DECLS

/* Localized texts: language code -> text, in the catalogue's order.  A
 * catalogue of 500 services has 15,000 of them, so each is one block: the
 * entries, then their strings, which the entries find by their offset
 * from the block's start.  Having no pointers, a block can be written to
 * a file and used where the file is mapped (kiosk-search-file.c).  Codes
 * are stored with '_' ("pt_BR").  _kiosk_text_new() makes one of: */
typedef struct
{
  const char *lang;
  const char *text;
} KioskTextEntry;

typedef struct _KioskText
{
  guint32 size;        /* of the whole block, in bytes */
  guint32 n_entries;
  struct
  {
    guint32 lang;      /* offsets from the block's start */
    guint32 text;
  } entries[];
} KioskText;

static inline const char *
_kiosk_text_get_lang (const KioskText *texts,
                      guint            i)
{
  return (const char *) texts + texts->entries[i].lang;
}

static inline const char *
_kiosk_text_get_string (const KioskText *texts,
                        guint            i)
{
  return (const char *) texts + texts->entries[i].text;
}

typedef enum
{
  KIOSK_CONDITION_EQUALS,
  KIOSK_CONDITION_NOT_EQUALS,
  KIOSK_CONDITION_IN,
  KIOSK_CONDITION_IS_SET,
  KIOSK_CONDITION_ALL,
  KIOSK_CONDITION_ANY,
} KioskConditionKind;

typedef struct _KioskCondition KioskCondition;

struct _KioskCondition
{
  KioskConditionKind  kind;
  char               *field;      /* equals, not_equals, in, is_set */
  JsonNode           *value;      /* equals, not_equals: a scalar; in: an array */
  gboolean            is_set;     /* is_set: true = must have an answer, false = must not */
  GPtrArray          *children;   /* all, any: KioskCondition* */
};

typedef struct
{
  char       *value;
  KioskText  *label;
} KioskOption;

struct _KioskField
{
  GObject            parent_instance;

  char              *id;
  KioskFieldType     type;
  guint              step;
  KioskText         *label;
  KioskText         *help;
  KioskText         *text;               /* info */
  KioskText         *required_message;   /* custom "required" message */
  KioskText         *pattern_message;
  gboolean           required;
  gboolean           personal;
  JsonNode          *default_value;
  GPtrArray         *options;            /* KioskOption* */
  KioskInputPurpose  purpose;
  guint              max_length;         /* 0: no limit */
  gboolean           has_min;
  gboolean           has_max;
  double             min;
  double             max;
  gboolean           integer;
  char              *min_date;           /* date spec: today, +2d, -1y, 2027-01-31 */
  char              *max_date;
  char              *pattern_source;
  GRegex            *pattern;
  KioskCondition    *visible_if;
};

struct _KioskStep
{
  GObject     parent_instance;

  KioskText  *title;
  GPtrArray  *fields;    /* KioskField* */
};

struct _KioskCategory
{
  GObject     parent_instance;

  char       *id;
  char       *icon;
  KioskText  *title;
};

/* Where a catalogue's text is read again for a service's form on demand
 * (kiosk-catalog-forms.c): its row in the kiosk's database, or the text
 * itself when it has no row (the bundled demo, a file). */
typedef struct _KioskFormSource KioskFormSource;

/* A new member must be copied in kiosk-catalog-forms.c too
 * (service_dup_without_form()). */
struct _KioskService
{
  GObject           parent_instance;

  char             *id;
  guint             version;
  KioskText        *title;
  KioskText        *summary;
  KioskText         *help;
  KioskText        *next_steps;        /* what happens after sending, and when */
  KioskText        *office_hours;
  GHashTable       *keywords;          /* language -> GStrv */
  char             *icon;
  char             *category_id;
  KioskOfflineMode  offline;
  char             *refer_url;
  KioskTargetKind   target;
  gboolean          target_explicit;   /* FALSE: [kiosk] default-target decides */
  char             *open311_code;
  GHashTable       *open311_attributes; /* field id -> attribute code, or NULL */
  GHashTable       *open311_roles;      /* "description", "address", "email", … -> field id, or NULL */
  guint             retention_days;
  gboolean          receipt_shows_answers;
  gboolean          enabled;
  /* The form.  KioskContext's shared catalogue holds it on demand
   * (kiosk-catalog-forms.c): steps is NULL, and so are help, next_steps,
   * office_hours and keywords, until _kiosk_service_ensure_form() parses
   * them from form_source on first use.  steps is set last, atomically, so
   * that another thread sees all of them or none. */
  GPtrArray        *steps;             /* KioskStep* */
  GPtrArray        *fields;            /* KioskField*, every step, in order */
  GHashTable       *fields_by_id;      /* borrowed KioskField* */
  KioskFormSource  *form_source;       /* NULL: the form is always here */
  guint32           text_offset;       /* the service's JSON object in the catalogue's text */
  guint32           text_length;       /*   0 if the text was 4 GB or more */
  gboolean          form_failed;       /* said once: the form could not be read again */
  char             *search_expanded;   /* titles + keywords, folded: ü -> ue */
  char             *search_stripped;   /* the same, folded: ü -> u */
  gboolean          texts_mapped;      /* title, summary and both search texts are in
                                        * form_source's search file, not ours */
};

KioskText      *_kiosk_text_new            (const KioskTextEntry *entries,
                                            guint                 n_entries);
const char     *_kiosk_text_lookup         (const KioskText      *texts,
                                            const char           *locale);
void            _kiosk_condition_free      (KioskCondition *condition);
char           *_kiosk_fold                (const char     *text,
                                            gboolean        expand_umlauts);
void            _kiosk_fold_both           (const char     *text,
                                            char          **out_expanded,
                                            char          **out_stripped);
gboolean        _kiosk_date_spec_resolve   (const char     *spec,
                                            GDate          *today,
                                            GDate          *out_date);
gboolean        _kiosk_date_parse          (const char     *text,
                                            GDate          *out_date);
void            _kiosk_service_set_enabled (KioskService   *self,
                                            gboolean        enabled);
KioskCategory  *_kiosk_category_new        (void);
KioskStep      *_kiosk_step_new            (void);
KioskService   *_kiosk_service_new         (void);
KioskField     *_kiosk_field_new           (void);
void            _kiosk_option_free         (KioskOption    *option);

/* The catalogue object, shared by kiosk-catalog.c (the model),
 * kiosk-catalog-loader.c (which fills it) and kiosk-catalog-store.c. */
struct _KioskCatalog
{
  GObject     parent_instance;

  GBytes     *bytes;        /* the JSON it was loaded from */
  char       *version;
  GPtrArray  *categories;   /* KioskCategory* */
  GPtrArray  *services;     /* KioskService*, every one, in catalogue order */
  GPtrArray  *items;        /* borrowed KioskService*: the enabled ones (the list model) */
  GHashTable *by_id;        /* borrowed KioskService* */
  struct _KioskSearchIndex *search;   /* made on the first search */
  GBytes     *search_vocabulary;      /* from the search file, or NULL: built when needed */
  GPtrArray  *info_cards;   /* KioskInfoCard*, the "info" section (app/core/info) */
  gint64      stored_seq;   /* its row in the catalogs table; 0 if not from the store */
};

gboolean        _kiosk_catalog_parse         (KioskCatalog   *self,
                                              GBytes         *bytes,
                                              const char     *source,
                                              GError        **error);
void            _kiosk_catalog_rebuild_items (KioskCatalog   *self);
const char * const *_kiosk_catalog_field_members (KioskFieldType type);
gint64          _kiosk_catalog_store_get_newest_size (KioskStore *store);
gboolean        _kiosk_catalog_store_get_newest_row (KioskStore  *store,
                                                     gint64      *out_seq,
                                                     char       **out_source,
                                                     gsize       *out_size);
GBytes         *_kiosk_catalog_read_stored      (const char   *db_path,
                                                 gint64        seq,
                                                 gsize         size,
                                                 GError      **error);
void            _kiosk_catalog_drop_bytes       (KioskCatalog  *self);
KioskCatalog   *_kiosk_catalog_dup_without_forms (KioskCatalog *self,
                                                  const char   *db_path);
KioskCatalog   *_kiosk_catalog_new_without_forms (GBytes       *bytes,
                                                  const char   *source,
                                                  gint64        seq,
                                                  const char   *db_path,
                                                  GError      **error);
gboolean        _kiosk_catalog_parse_form       (KioskService  *service,
                                                 const char    *text,
                                                 gsize          length,
                                                 const char    *source,
                                                 GError       **error);
gboolean        _kiosk_service_ensure_form      (KioskService  *self,
                                                 GError       **error);
KioskFormSource *_kiosk_form_source_ref         (KioskFormSource *self);
void            _kiosk_form_source_unref        (KioskFormSource *self);
char           *_kiosk_form_source_read         (KioskFormSource *self,
                                                 guint32          offset,
                                                 guint32          length,
                                                 GError         **error);
const char     *_kiosk_form_source_get_name     (KioskFormSource *self);
GMutex         *_kiosk_form_source_get_lock     (KioskFormSource *self);
gboolean        _kiosk_catalog_apply_overrides  (KioskCatalog  *self,
                                                 KioskStore    *store,
                                                 GError       **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (KioskCondition, _kiosk_condition_free)

G_END_DECLS

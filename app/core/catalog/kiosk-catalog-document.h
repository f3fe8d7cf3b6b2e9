/* kiosk-catalog-document.h: a catalogue being edited (the service builder)
 *
 * SPDX-FileCopyrightText: 2026 Stadtkiosk contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "kiosk-catalog.h"
#include "kiosk-field.h"
#include "kiosk-store.h"

G_BEGIN_DECLS

#define KIOSK_CATALOG_DOCUMENT_ERROR (kiosk_catalog_document_error_quark ())

typedef enum
{
  KIOSK_CATALOG_DOCUMENT_ERROR_INVALID,         /* the catalogue has problems; the message lists them */
  KIOSK_CATALOG_DOCUMENT_ERROR_NOT_FOUND,       /* no such service, step, field or member */
  KIOSK_CATALOG_DOCUMENT_ERROR_EXISTS,          /* the id is taken */
  KIOSK_CATALOG_DOCUMENT_ERROR_NEEDS_CONFIRM,   /* saving would replace something; ask first */
  KIOSK_CATALOG_DOCUMENT_ERROR_IMPORT,          /* a service file that is damaged, changed or invalid */
  KIOSK_CATALOG_DOCUMENT_ERROR_FAILED,          /* reading or writing failed */
} KioskCatalogDocumentError;

/**
 * KioskCatalogProblem:
 * @pointer: where, as a JSON pointer into the catalogue ("" for the whole)
 * @message: what is wrong, as the kiosk's loader says it
 * @service: the service's index, or -1
 * @step: the step's index, or -1
 * @field: the field's index in its step, or -1
 */
typedef struct
{
  char *pointer;
  char *message;
  int   service;
  int   step;
  int   field;
} KioskCatalogProblem;

typedef enum
{
  KIOSK_CATALOG_IMPORT_NEW,       /* refuse when the id exists (EXISTS) */
  KIOSK_CATALOG_IMPORT_REPLACE,   /* replace the service with that id, in its place */
  KIOSK_CATALOG_IMPORT_COPY,      /* keep both: the import gets a new id */
} KioskCatalogImportMode;

typedef enum
{
  KIOSK_CATALOG_SAVE_NONE      = 0,
  KIOSK_CATALOG_SAVE_CONFIRMED = 1 << 0,   /* replacing a different file is wanted (a backup is made) */
} KioskCatalogSaveFlags;

/* The marker of an exported service file, and its format. */
#define KIOSK_SERVICE_FILE_FORMAT 1

#define KIOSK_TYPE_CATALOG_DOCUMENT (kiosk_catalog_document_get_type ())

G_DECLARE_FINAL_TYPE (KioskCatalogDocument, kiosk_catalog_document, KIOSK, CATALOG_DOCUMENT, GObject)

GQuark                kiosk_catalog_document_error_quark (void);
GBytes               *kiosk_catalog_write_canonical      (JsonNode              *node);

KioskCatalogDocument *kiosk_catalog_document_new_from_bytes (GBytes            *bytes,
                                                             const char        *source,
                                                             GError           **error);
KioskCatalogDocument *kiosk_catalog_document_new_from_file  (const char        *path,
                                                             GError           **error);
KioskCatalogDocument *kiosk_catalog_document_new_from_active (KioskStore       *store,
                                                             GError           **error);

const char           *kiosk_catalog_document_get_source   (KioskCatalogDocument *self);
JsonNode             *kiosk_catalog_document_get_root     (KioskCatalogDocument *self);
JsonNode             *kiosk_catalog_document_lookup       (KioskCatalogDocument *self,
                                                           const char           *pointer);
GBytes               *kiosk_catalog_document_to_bytes     (KioskCatalogDocument *self);
GPtrArray            *kiosk_catalog_document_get_problems (KioskCatalogDocument *self);
gboolean              kiosk_catalog_document_is_valid     (KioskCatalogDocument *self);
char                 *kiosk_catalog_document_format_problems (KioskCatalogDocument *self,
                                                              const char           *prefix);
KioskCatalog         *kiosk_catalog_document_get_catalog  (KioskCatalogDocument *self);
GStrv                 kiosk_catalog_document_dup_languages (KioskCatalogDocument *self);

/* Any member, anywhere (the property editor) */
gboolean  kiosk_catalog_document_set_member   (KioskCatalogDocument *self,
                                               const char           *pointer,
                                               const char           *name,
                                               JsonNode             *value,
                                               GError              **error);
gboolean  kiosk_catalog_document_set_text     (KioskCatalogDocument *self,
                                               const char           *pointer,
                                               const char           *name,
                                               const char           *lang,
                                               const char           *text,
                                               GError              **error);
const char *kiosk_catalog_document_get_text   (KioskCatalogDocument *self,
                                               const char           *pointer,
                                               const char           *name,
                                               const char           *lang);

/* Services */
guint       kiosk_catalog_document_get_n_services   (KioskCatalogDocument *self);
const char *kiosk_catalog_document_get_service_id   (KioskCatalogDocument *self,
                                                     guint                 service);
int         kiosk_catalog_document_find_service     (KioskCatalogDocument *self,
                                                     const char           *id);
gboolean    kiosk_catalog_document_get_service_enabled (KioskCatalogDocument *self,
                                                        guint                 service);
int         kiosk_catalog_document_add_service      (KioskCatalogDocument *self,
                                                     const char           *id,
                                                     const char           *title_de,
                                                     GError              **error);
int         kiosk_catalog_document_copy_service     (KioskCatalogDocument *self,
                                                     guint                 service,
                                                     const char           *new_id,
                                                     GError              **error);
gboolean    kiosk_catalog_document_remove_service   (KioskCatalogDocument *self,
                                                     guint                 service,
                                                     GError              **error);
gboolean    kiosk_catalog_document_move_service     (KioskCatalogDocument *self,
                                                     guint                 from,
                                                     guint                 to,
                                                     GError              **error);
gboolean    kiosk_catalog_document_set_service_enabled (KioskCatalogDocument *self,
                                                        guint                 service,
                                                        gboolean              enabled,
                                                        GError              **error);

/* Categories */
int         kiosk_catalog_document_add_category     (KioskCatalogDocument *self,
                                                     const char           *id,
                                                     const char           *title_de,
                                                     GError              **error);
int         kiosk_catalog_document_find_category    (KioskCatalogDocument *self,
                                                     const char           *id);

/* Steps and fields */
char       *kiosk_catalog_document_step_pointer     (guint service,
                                                     guint step);
char       *kiosk_catalog_document_field_pointer    (guint service,
                                                     guint step,
                                                     guint field);
guint       kiosk_catalog_document_get_n_steps      (KioskCatalogDocument *self,
                                                     guint                 service);
guint       kiosk_catalog_document_get_n_fields     (KioskCatalogDocument *self,
                                                     guint                 service,
                                                     guint                 step);
JsonObject *kiosk_catalog_document_get_field        (KioskCatalogDocument *self,
                                                     guint                 service,
                                                     guint                 step,
                                                     guint                 field);
gboolean    kiosk_catalog_document_add_step         (KioskCatalogDocument *self,
                                                     guint                 service,
                                                     guint                 at,
                                                     const char           *title_de,
                                                     GError              **error);
gboolean    kiosk_catalog_document_remove_step      (KioskCatalogDocument *self,
                                                     guint                 service,
                                                     guint                 step,
                                                     GError              **error);
gboolean    kiosk_catalog_document_move_step        (KioskCatalogDocument *self,
                                                     guint                 service,
                                                     guint                 from,
                                                     guint                 to,
                                                     GError              **error);
gboolean    kiosk_catalog_document_add_field        (KioskCatalogDocument *self,
                                                     guint                 service,
                                                     guint                 step,
                                                     guint                 at,
                                                     const char           *id,
                                                     KioskFieldType        type,
                                                     const char           *label_de,
                                                     GError              **error);
gboolean    kiosk_catalog_document_remove_field     (KioskCatalogDocument *self,
                                                     guint                 service,
                                                     guint                 step,
                                                     guint                 field,
                                                     GError              **error);
gboolean    kiosk_catalog_document_move_field       (KioskCatalogDocument *self,
                                                     guint                 service,
                                                     guint                 step,
                                                     guint                 field,
                                                     guint                 to_step,
                                                     guint                 to,
                                                     GError              **error);
gboolean    kiosk_catalog_document_copy_field       (KioskCatalogDocument *self,
                                                     guint                 from_service,
                                                     guint                 from_step,
                                                     guint                 from_field,
                                                     guint                 service,
                                                     guint                 step,
                                                     guint                 at,
                                                     char                **out_id,
                                                     GError              **error);
gboolean    kiosk_catalog_document_set_field_type   (KioskCatalogDocument *self,
                                                     guint                 service,
                                                     guint                 step,
                                                     guint                 field,
                                                     KioskFieldType        type,
                                                     GError              **error);
gboolean    kiosk_catalog_document_add_option       (KioskCatalogDocument *self,
                                                     guint                 service,
                                                     guint                 step,
                                                     guint                 field,
                                                     const char           *value,
                                                     const char           *label_de,
                                                     GError              **error);
gboolean    kiosk_catalog_document_remove_option    (KioskCatalogDocument *self,
                                                     guint                 service,
                                                     guint                 step,
                                                     guint                 field,
                                                     guint                 option,
                                                     GError              **error);

/* Conditions: one test on an earlier field, from pickers */
GPtrArray          *kiosk_catalog_document_condition_fields (KioskCatalogDocument *self,
                                                             guint                 service,
                                                             guint                 step,
                                                             guint                 field);
const char * const *kiosk_catalog_condition_operators       (KioskFieldType        type);
const char * const *kiosk_catalog_field_members             (KioskFieldType        type);
gboolean            kiosk_catalog_document_set_condition    (KioskCatalogDocument *self,
                                                             guint                 service,
                                                             guint                 step,
                                                             guint                 field,
                                                             const char           *on_field,
                                                             const char           *op,
                                                             JsonNode             *value,
                                                             GError              **error);

/* Sharing one service */
GBytes     *kiosk_catalog_document_export_service   (KioskCatalogDocument *self,
                                                     guint                 service,
                                                     GError              **error);
int         kiosk_catalog_document_import_service   (KioskCatalogDocument *self,
                                                     GBytes               *bytes,
                                                     const char           *source,
                                                     KioskCatalogImportMode mode,
                                                     GError              **error);

/* Leaving the builder */
gboolean    kiosk_catalog_document_save             (KioskCatalogDocument *self,
                                                     const char           *path,
                                                     KioskCatalogSaveFlags flags,
                                                     char                **out_backup,
                                                     GError              **error);
gboolean    kiosk_catalog_document_save_bundle      (KioskCatalogDocument *self,
                                                     const char           *path,
                                                     const char           *secret_key,
                                                     KioskCatalogSaveFlags flags,
                                                     char                **out_backup,
                                                     GError              **error);
gboolean    kiosk_catalog_document_activate         (KioskCatalogDocument *self,
                                                     KioskStore           *store,
                                                     KioskCatalogSaveFlags flags,
                                                     const char           *backup_dir,
                                                     char                **out_backup,
                                                     GError              **error);

void        kiosk_catalog_problem_free              (KioskCatalogProblem *problem);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (KioskCatalogProblem, kiosk_catalog_problem_free)

G_END_DECLS

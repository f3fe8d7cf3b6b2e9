/* kiosk-info.h: information cards fed from the city's open data
 *
 * SPDX-FileCopyrightText: 2026 Stadtkiosk contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "kiosk-catalog.h"
#include "kiosk-clock.h"
#include "kiosk-config.h"
#include "kiosk-receipt.h"
#include "kiosk-store.h"

G_BEGIN_DECLS

#define KIOSK_INFO_ERROR (kiosk_info_error_quark ())

typedef enum
{
  KIOSK_INFO_ERROR_INVALID,   /* the document is not what the card's source type promises */
  KIOSK_INFO_ERROR_TOO_LARGE, /* over the body cap */
  KIOSK_INFO_ERROR_NETWORK,   /* no answer, timeout, HTTP error */
  KIOSK_INFO_ERROR_STORE,     /* the database refused */
} KioskInfoError;

typedef enum
{
  KIOSK_INFO_SOURCE_ICAL,
  KIOSK_INFO_SOURCE_FEED,
  KIOSK_INFO_SOURCE_JSON,
} KioskInfoSourceType;

typedef enum
{
  KIOSK_INFO_KIND_LIST,   /* a list of items: news, events, values */
  KIOSK_INFO_KIND_WASTE,  /* "Wann wird bei mir abgeholt?": street -> dates */
} KioskInfoKind;

typedef struct _KioskInfoCard KioskInfoCard;

/* One entry a source yields, whatever its type. */
typedef struct
{
  char   *title;      /* SUMMARY, <title>, the title pointer */
  char   *text;       /* DESCRIPTION, <description>/<summary>, the text pointer; may be NULL */
  char   *location;   /* iCalendar LOCATION (the street for waste dates); may be NULL */
  char   *value;      /* JSON: the value pointer as text; may be NULL */
  gint64  time;       /* Unix seconds (UTC); 0 when the source gives none */
  gboolean all_day;   /* iCalendar DATE values: time is that day's 00:00 UTC */
} KioskInfoItem;

/* A card's cached copy and what happened at the last attempt. */
typedef struct
{
  char   *card_id;
  char   *url;
  GBytes *body;           /* the last good copy; NULL if there never was one */
  char   *etag;
  char   *last_modified;
  gint64  fetched_at;     /* Unix µs when the copy was fetched (or confirmed by 304); 0 = never */
  gint64  checked_at;     /* Unix µs of the last attempt */
  char   *error;          /* why the last attempt failed; NULL when it did not */
} KioskInfoEntry;

typedef enum
{
  KIOSK_INFO_STATE_NONE,    /* never fetched */
  KIOSK_INFO_STATE_OK,      /* a copy younger than stale-hours, last attempt fine */
  KIOSK_INFO_STATE_FAILED,  /* the last attempt failed; the last good copy is shown */
  KIOSK_INFO_STATE_STALE,   /* the copy is older than stale-hours: an alert */
  KIOSK_INFO_STATE_UNREACHABLE, /* tried, never got a copy: the source is wrong or down */
} KioskInfoState;

GQuark               kiosk_info_error_quark      (void);

/* Cards (kiosk-info-card.c) */
KioskInfoCard       *kiosk_info_card_ref         (KioskInfoCard  *card);
void                 kiosk_info_card_unref       (KioskInfoCard  *card);
const char          *kiosk_info_card_get_id      (KioskInfoCard  *card);
KioskInfoKind        kiosk_info_card_get_kind    (KioskInfoCard  *card);
const char          *kiosk_info_card_get_title   (KioskInfoCard  *card,
                                                  const char     *locale);
const char          *kiosk_info_card_get_text    (KioskInfoCard  *card,
                                                  const char     *locale);
const char          *kiosk_info_card_get_icon    (KioskInfoCard  *card);
const char          *kiosk_info_card_get_category (KioskInfoCard *card);
KioskInfoSourceType  kiosk_info_card_get_source_type (KioskInfoCard *card);
const char          *kiosk_info_card_get_url     (KioskInfoCard  *card);
const char          *kiosk_info_card_get_ckan_dataset (KioskInfoCard *card);
gboolean             kiosk_info_card_is_local    (KioskInfoCard  *card);
guint                kiosk_info_card_get_max_age (KioskInfoCard  *card);
const char          *kiosk_info_source_type_to_string (KioskInfoSourceType type);
GPtrArray           *kiosk_catalog_get_info_cards (KioskCatalog  *catalog);

/* Reading a source's document (kiosk-info-parse.c) */
void                 kiosk_info_item_free        (KioskInfoItem  *item);
GPtrArray           *kiosk_info_parse            (KioskInfoCard  *card,
                                                  GBytes         *body,
                                                  GError        **error);

/* The cache and the fetch (kiosk-info-cache.c) */
void                 kiosk_info_entry_free       (KioskInfoEntry *entry);
KioskInfoEntry      *kiosk_info_cache_lookup     (KioskStore     *store,
                                                  const char     *card_id,
                                                  GError        **error);
KioskInfoState       kiosk_info_entry_get_state  (KioskInfoEntry *entry,
                                                  gint64          now_us,
                                                  guint           stale_hours);
const char          *kiosk_info_state_to_string  (KioskInfoState  state);
char                *kiosk_info_format_stand     (gint64          fetched_at_us);
GPtrArray           *kiosk_info_load_items       (KioskStore     *store,
                                                  KioskInfoCard  *card,
                                                  gint64         *out_fetched_at,
                                                  GError        **error);

/* What one card's pull did. */
typedef struct
{
  char     *card_id;
  gboolean  ok;        /* a good copy arrived or was confirmed (304) */
  gboolean  changed;   /* a new copy replaced the cached one */
  char     *error;     /* why not, when !ok; the last good copy stays */
} KioskInfoPullResult;

void                 kiosk_info_pull_result_free (KioskInfoPullResult *result);

GPtrArray           *kiosk_info_collect_stale    (KioskStore     *store,
                                                  guint           stale_hours,
                                                  gint64          now_us);

typedef struct
{
  guint  timeout_seconds;   /* overall deadline for one card's fetch */
  gsize  max_bytes;         /* body cap */
  const char *ckan_url;     /* [info] ckan-url, for "ckan" cards; NULL or "" if none */
  const char *ca_file;      /* [info] ca-file: trust only these CAs; NULL or "" for the system's */
  const char *pin_sha256;   /* [info] pin-sha256: the portal's certificate; NULL or "" for none */
} KioskInfoPullOptions;

void                 kiosk_info_pull_options_init (KioskInfoPullOptions *options,
                                                   KioskConfig          *config);

void                 kiosk_info_pull_async       (KioskStore     *store,
                                                  KioskClock     *clock,
                                                  GPtrArray      *cards,
                                                  const KioskInfoPullOptions *options,
                                                  GCancellable   *cancellable,
                                                  GAsyncReadyCallback callback,
                                                  gpointer        user_data);
GPtrArray           *kiosk_info_pull_finish      (GAsyncResult   *result,
                                                  GError        **error);

/* Waste collection (kiosk-info-waste.c) */
typedef struct
{
  char  *waste_type;   /* "Restmüll", "Bioabfall", … as the feed names it */
  GDate  date;
} KioskWasteDate;

GStrv                kiosk_info_waste_streets    (GPtrArray      *items,
                                                  const char     *typed);
GArray              *kiosk_info_waste_next       (GPtrArray      *items,
                                                  const char     *street,
                                                  const GDate    *today);
void                 kiosk_waste_date_clear      (KioskWasteDate *date);
char                *kiosk_waste_date_format     (const GDate    *date);
KioskReceipt        *kiosk_info_waste_receipt    (const char     *title,
                                                  const char     *street,
                                                  GArray         *dates,
                                                  gint64          fetched_at_us,
                                                  const char     *locale);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (KioskInfoCard, kiosk_info_card_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (KioskInfoItem, kiosk_info_item_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (KioskInfoEntry, kiosk_info_entry_free)

G_END_DECLS

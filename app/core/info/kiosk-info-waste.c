/* kiosk-info-waste.c: "Wann wird bei mir abgeholt?"
 *
 * A waste-collection calendar is an iCalendar feed with one all-day event
 * per street, waste type and date: LOCATION names the street, SUMMARY the
 * waste type ("Restmüll", "Bioabfall", "Gelber Sack", "Altpapier").  That is
 * how the German municipal feeds we know of are shaped; a feed that puts
 * the street elsewhere needs its own reader here.
 *
 * SPDX-FileCopyrightText: 2026 Stadtkiosk contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "kiosk-info"

#include "config.h"

#include "kiosk-info.h"

#include "kiosk-i18n-private.h"
#include <string.h>

#include "kiosk-catalog-private.h"

/* "Almsstraße" matches "almsstr", "Alms str" and "almsstrasse". */
static gboolean
street_matches (const char *street_folded,
                const char *typed_folded)
{
  g_autofree char *a = g_strdelimit (g_strdup (street_folded), " -.", ' ');
  g_autofree char *b = g_strdelimit (g_strdup (typed_folded), " -.", ' ');
  g_autofree char *a_compact = NULL;
  g_autofree char *b_compact = NULL;
  g_auto(GStrv) a_words = g_strsplit (a, " ", -1);
  g_auto(GStrv) b_words = g_strsplit (b, " ", -1);

  a_compact = g_strjoinv ("", a_words);
  b_compact = g_strjoinv ("", b_words);
  return strstr (a_compact, b_compact) != NULL;
}

/* g_ptr_array_sort hands pointers to the elements. */
static int
compare_streets (gconstpointer a,
                 gconstpointer b)
{
  return g_utf8_collate (*(const char * const *) a, *(const char * const *) b);
}

/**
 * kiosk_info_waste_streets:
 * @items: (element-type KioskInfoItem): a waste calendar's items
 * @typed: (nullable): what the citizen typed so far
 *
 * Returns: (transfer full): the streets the feed knows that match @typed
 *   (every street when it is empty), sorted, each once.
 */
GStrv
kiosk_info_waste_streets (GPtrArray  *items,
                          const char *typed)
{
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GPtrArray) out = g_ptr_array_new ();
  g_autofree char *typed_folded = NULL;

  g_return_val_if_fail (items != NULL, NULL);

  if (typed != NULL)
    {
      g_autofree char *stripped = g_strstrip (g_strdup (typed));

      if (*stripped != '\0')
        typed_folded = _kiosk_fold (stripped, TRUE);
    }
  for (guint i = 0; i < items->len; i++)
    {
      KioskInfoItem *item = items->pdata[i];
      g_autofree char *folded = NULL;

      if (item->location == NULL || g_hash_table_contains (seen, item->location))
        continue;
      g_hash_table_add (seen, item->location);
      folded = _kiosk_fold (item->location, TRUE);
      if (typed_folded == NULL || street_matches (folded, typed_folded))
        g_ptr_array_add (out, g_strdup (item->location));
    }
  g_ptr_array_sort (out, compare_streets);
  g_ptr_array_add (out, NULL);
  return (GStrv) g_ptr_array_free (g_steal_pointer (&out), FALSE);
}

void
kiosk_waste_date_clear (KioskWasteDate *date)
{
  g_clear_pointer (&date->waste_type, g_free);
}

static int
compare_dates (gconstpointer a,
               gconstpointer b)
{
  const KioskWasteDate *x = a;
  const KioskWasteDate *y = b;
  int c = g_date_compare (&x->date, &y->date);

  return c != 0 ? c : g_utf8_collate (x->waste_type, y->waste_type);
}

/**
 * kiosk_info_waste_next:
 * @items: (element-type KioskInfoItem): a waste calendar's items
 * @street: the street, as kiosk_info_waste_streets() gave it
 * @today: the kiosk's date
 *
 * Returns: (transfer full) (element-type KioskWasteDate): for each waste
 *   type collected in @street, the next date on or after @today, soonest
 *   first.
 */
GArray *
kiosk_info_waste_next (GPtrArray   *items,
                       const char  *street,
                       const GDate *today)
{
  g_autoptr(GHashTable) next = g_hash_table_new (g_str_hash, g_str_equal); /* borrowed type -> item */
  GArray *out = g_array_new (FALSE, TRUE, sizeof (KioskWasteDate));
  GHashTableIter iter;
  gpointer key;
  gpointer value;

  g_return_val_if_fail (items != NULL, NULL);
  g_return_val_if_fail (street != NULL, NULL);
  g_return_val_if_fail (today != NULL && g_date_valid (today), NULL);

  g_array_set_clear_func (out, (GDestroyNotify) kiosk_waste_date_clear);
  for (guint i = 0; i < items->len; i++)
    {
      KioskInfoItem *item = items->pdata[i];
      KioskInfoItem *best;
      GDate date;

      g_autoptr(GDateTime) in_range = NULL;

      if (g_strcmp0 (item->location, street) != 0 || item->time == 0)
        continue;
      /* A date GLib cannot hold (a feed's year 99999, found by fuzz-info)
       * is no collection date. */
      in_range = item->all_day ? g_date_time_new_from_unix_utc (item->time)
                               : g_date_time_new_from_unix_local (item->time);
      if (in_range == NULL)
        continue;
      g_date_clear (&date, 1);
      g_date_set_time_t (&date, (time_t) item->time);
      /* All-day events are stored at 00:00 UTC; read them as that date. */
      if (item->all_day)
        {
          g_autoptr(GDateTime) dt = g_date_time_new_from_unix_utc (item->time);

          g_date_set_dmy (&date, g_date_time_get_day_of_month (dt), g_date_time_get_month (dt),
                          g_date_time_get_year (dt));
        }
      if (g_date_compare (&date, today) < 0)
        continue;
      best = g_hash_table_lookup (next, item->title);
      if (best == NULL || item->time < best->time)
        g_hash_table_insert (next, item->title, item);
    }
  g_hash_table_iter_init (&iter, next);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      KioskInfoItem *item = value;
      g_autoptr(GDateTime) dt = item->all_day ? g_date_time_new_from_unix_utc (item->time)
                                              : g_date_time_new_from_unix_local (item->time);
      KioskWasteDate entry = { 0 };

      if (dt == NULL)
        continue;
      entry.waste_type = g_strdup (item->title);
      g_date_clear (&entry.date, 1);
      g_date_set_dmy (&entry.date, g_date_time_get_day_of_month (dt), g_date_time_get_month (dt),
                      g_date_time_get_year (dt));
      g_array_append_val (out, entry);
    }
  g_array_sort (out, compare_dates);
  return out;
}

/* The weekday in the kiosk's language (LC_MESSAGES), not the machine's
 * LC_TIME, which a kiosk switching languages per citizen leaves alone. */
static const char * const weekdays[] = {
  NULL, N_("Monday"), N_("Tuesday"), N_("Wednesday"), N_("Thursday"), N_("Friday"), N_("Saturday"), N_("Sunday"),
};

/**
 * kiosk_waste_date_format:
 * @date: a collection date
 *
 * Returns: (transfer full): the date as the kiosk shows it, "Mittwoch,
 *   09.12.2026" in German.
 */
char *
kiosk_waste_date_format (const GDate *date)
{
  g_autoptr(GDateTime) dt = g_date_time_new_local (g_date_get_year (date), g_date_get_month (date),
                                                   g_date_get_day (date), 12, 0, 0);
  /* Translators: a date, see g_date_time_format(): "09.12.2026" in German */
  g_autofree char *day = g_date_time_format (dt, _("%m/%d/%Y"));

  /* Translators: weekday, date: "Mittwoch, 09.12.2026" */
  return g_strdup_printf (_("%s, %s"), _(weekdays[g_date_get_weekday (date)]), day);
}

/**
 * kiosk_info_waste_receipt:
 * @title: the card's title in the citizen's language
 * @street: the street
 * @dates: (element-type KioskWasteDate): from kiosk_info_waste_next()
 * @fetched_at_us: when the calendar was fetched
 * @locale: the citizen's language
 *
 * Returns: (transfer full): a slip with the street and its next dates,
 *   drawn and printed like every receipt.
 */
KioskReceipt *
kiosk_info_waste_receipt (const char *title,
                          const char *street,
                          GArray     *dates,
                          gint64      fetched_at_us,
                          const char *locale)
{
  KioskReceipt *receipt = kiosk_receipt_new ();
  g_autofree char *heading = g_strdup_printf ("%s\n%s", title, street);
  /* The dates, weekdays and "Stand" in the slip's language, whatever the
   * process's (`stadtkioskctl info waste --slip --locale`, #15). */
  const char *previous = kiosk_language_push_thread (locale);
  g_autofree char *stand = kiosk_info_format_stand (fetched_at_us);

  kiosk_receipt_set_layout (receipt, KIOSK_RECEIPT_LAYOUT_INFO);
  kiosk_receipt_set_locale (receipt, locale);
  kiosk_receipt_set_service_title (receipt, heading);
  for (guint i = 0; i < dates->len; i++)
    {
      KioskWasteDate *d = &g_array_index (dates, KioskWasteDate, i);
      g_autofree char *when = kiosk_waste_date_format (&d->date);

      kiosk_receipt_add_answer (receipt, d->waste_type, when);
    }
  kiosk_receipt_set_office_hours (receipt, stand);
  kiosk_language_pop_thread (previous);
  return receipt;
}

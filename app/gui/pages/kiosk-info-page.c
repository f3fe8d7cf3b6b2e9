/* kiosk-info-page.c: "Informationen": the catalogue's info cards
 *
 * Shows each card's cached copy at once (never waits for the network) with
 * its "as of" time, and starts a background pull when it is shown; the
 * pull's results replace what is shown when they arrive.  Nothing here
 * opens a browser: feed links are not followed, only their text is shown.
 *
 * SPDX-FileCopyrightText: 2026 Stadtkiosk contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "stadtkiosk"

#include "config.h"

#include <glib/gi18n.h>

#include "kiosk-info-page.h"
#include "kiosk-speech.h"

#include "kiosk-info-background.h"

#define MAX_ITEMS_SHOWN 30
#define MAX_STREETS_SHOWN 12
#define PULL_AT_MOST_EVERY (15 * 60 * G_USEC_PER_SEC)

struct _KioskInfoPage
{
  AdwBin         parent_instance;

  GtkStack      *stack;
  GtkFlowBox    *cards_box;
  GtkLabel      *list_title;
  GtkLabel      *list_stand;
  GtkBox        *list_items;
  GtkLabel      *waste_title;
  GtkEntry      *street_entry;
  GtkFlowBox    *streets_box;
  GtkLabel      *waste_hint;
  GtkBox        *dates_box;
  GtkLabel      *waste_stand;
  GtkWidget     *print_button;
  GtkLabel      *print_label;

  KioskContext  *context;
  KioskCatalog  *catalog;
  char          *language;
  KioskInfoCard *card;           /* the card open, or NULL */
  GPtrArray     *items;          /* its items */
  gint64         fetched_at;     /* its copy's time, µs; 0 = none */
  char          *street;         /* the waste card's chosen street */
  GArray        *dates;          /* KioskWasteDate for @street */
  KioskPrinter  *printer;
  GCancellable  *cancellable;
  gint64         last_pull;
  gboolean       no_match_said;  /* speech: "no street of that name" */
};

G_DEFINE_FINAL_TYPE (KioskInfoPage, kiosk_info_page, ADW_TYPE_BIN)

static void
clear_box (GtkWidget *box)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (box)) != NULL)
    {
      if (GTK_IS_FLOW_BOX (box))
        gtk_flow_box_remove (GTK_FLOW_BOX (box), child);
      else
        gtk_box_remove (GTK_BOX (box), child);
    }
}

static GtkWidget *
label_new (const char *text,
           const char *css_class)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  if (css_class != NULL)
    gtk_widget_add_css_class (label, css_class);
  return label;
}

static char *
stand_text (KioskInfoPage *self,
            KioskInfoCard *card,
            gint64         fetched_at)
{
  g_autofree char *stand = NULL;
  gint64 now = kiosk_clock_get_now (kiosk_context_get_clock (self->context));
  guint max_age = kiosk_info_card_get_max_age (card);

  if (fetched_at == 0)
    {
      g_autoptr(KioskInfoEntry) entry = kiosk_info_cache_lookup (kiosk_context_get_store (self->context),
                                                                 kiosk_info_card_get_id (card), NULL);

      /* Tried and never answered (a wrong or a demo source): say so, do
       * not promise data. */
      if (kiosk_info_entry_get_state (entry, now, 0) == KIOSK_INFO_STATE_UNREACHABLE)
        return g_strdup (_("This information is not available at the moment."));
      return g_strdup (_("No data yet. The kiosk fetches it as soon as it is online."));
    }
  stand = kiosk_info_format_stand (fetched_at);
  /* Live values past their max_age are shown as old, never as current. */
  if (max_age > 0 && now - fetched_at > (gint64) max_age * G_USEC_PER_SEC)
    return g_strdup_printf (_("%s — not current: these values may have changed since."), stand);
  return g_steal_pointer (&stand);
}

static void
load_card (KioskInfoPage *self,
           KioskInfoCard *card)
{
  g_autoptr(GError) error = NULL;

  g_clear_pointer (&self->items, g_ptr_array_unref);
  self->items = kiosk_info_load_items (kiosk_context_get_store (self->context), card, &self->fetched_at, &error);
  if (self->items == NULL)
    {
      /* A copy that no longer reads (e.g. the card's pointers changed):
       * shown as no data, never as a crash. */
      g_message ("info card %s: %s", kiosk_info_card_get_id (card), error->message);
      self->items = g_ptr_array_new ();
      self->fetched_at = 0;
    }
}

static void
show_list (KioskInfoPage *self)
{
  g_autofree char *stand = NULL;

  gtk_label_set_text (self->list_title, kiosk_info_card_get_title (self->card, self->language));
  stand = stand_text (self, self->card, self->fetched_at);
  gtk_label_set_text (self->list_stand, stand);
  clear_box (GTK_WIDGET (self->list_items));
  for (guint i = 0; i < self->items->len && i < MAX_ITEMS_SHOWN; i++)
    {
      KioskInfoItem *item = self->items->pdata[i];
      GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
      g_autofree char *heading = NULL;

      gtk_widget_add_css_class (box, "card");
      gtk_widget_add_css_class (box, "kiosk-info-item");
      heading = item->value != NULL ? g_strdup_printf ("%s: %s", item->title, item->value) : g_strdup (item->title);
      gtk_box_append (GTK_BOX (box), label_new (heading, "kiosk-info-title"));
      if (item->text != NULL)
        gtk_box_append (GTK_BOX (box), label_new (item->text, "kiosk-lead"));
      if (item->time != 0 && kiosk_info_card_get_kind (self->card) == KIOSK_INFO_KIND_LIST)
        {
          g_autoptr(GDateTime) dt = g_date_time_new_from_unix_local (item->time);
          /* Translators: date and time data was fetched, see g_date_time_format() */
          g_autofree char *when = g_date_time_format (dt, _("%m/%d/%Y, %H:%M"));

          gtk_box_append (GTK_BOX (box), label_new (when, "dim-label"));
        }
      gtk_box_append (self->list_items, box);
    }
  gtk_stack_set_visible_child_name (self->stack, "list");
  /* Speech: the card as a page of its own (title, "Stand", items). */
  kiosk_speech_notify_page_changed (GTK_WIDGET (self));
}

static void show_dates (KioskInfoPage *self);

static void
street_clicked_cb (GtkButton     *button,
                   KioskInfoPage *self)
{
  g_free (self->street);
  self->street = g_strdup (gtk_widget_get_name (GTK_WIDGET (button)));
  show_dates (self);
  /* Off the entry, so that the on-screen keyboard makes room for the dates. */
  if (gtk_widget_get_visible (self->print_button))
    gtk_widget_grab_focus (self->print_button);
}

static void
update_streets (KioskInfoPage *self)
{
  const char *typed = gtk_editable_get_text (GTK_EDITABLE (self->street_entry));
  g_auto(GStrv) streets = NULL;
  guint n;

  clear_box (GTK_WIDGET (self->streets_box));
  if (self->items == NULL)
    return;
  streets = kiosk_info_waste_streets (self->items, typed);
  n = g_strv_length (streets);
  if (self->items->len == 0)
    gtk_label_set_text (self->waste_hint, _("No collection dates yet. The kiosk fetches them as soon as it is online."));
  else if (n == 0)
    {
      const char *hint = _("No street of that name in the collection calendar. Please check the spelling.");

      /* Speech: said once when the typing stops matching, not per key;
       * again only after a street matched. */
      if (!self->no_match_said)
        kiosk_speech_announce (GTK_WIDGET (self), hint);
      self->no_match_said = TRUE;
      gtk_label_set_text (self->waste_hint, hint);
    }
  else if (*typed == '\0')
    gtk_label_set_text (self->waste_hint, _("Type the first letters of your street."));
  else
    {
      gtk_label_set_text (self->waste_hint, "");
      self->no_match_said = FALSE;
    }
  if (*typed == '\0')
    return;
  for (guint i = 0; i < n && i < MAX_STREETS_SHOWN; i++)
    {
      GtkWidget *button = gtk_button_new_with_label (streets[i]);

      gtk_widget_set_name (button, streets[i]);
      gtk_widget_add_css_class (button, "pill");
      gtk_widget_add_css_class (button, "kiosk-info-street");
      g_signal_connect_object (button, "clicked", G_CALLBACK (street_clicked_cb), self, 0);
      gtk_flow_box_append (self->streets_box, button);
    }
}

static void
street_changed_cb (GtkEditable   *editable,
                   KioskInfoPage *self)
{
  update_streets (self);
}

static void
show_dates (KioskInfoPage *self)
{
  g_autoptr(GDateTime) now = NULL;
  g_autofree char *heading = NULL;
  g_autofree char *stand = NULL;
  GDate today;

  g_clear_pointer (&self->dates, g_array_unref);
  clear_box (GTK_WIDGET (self->dates_box));
  gtk_widget_set_visible (self->print_button, FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->print_label), FALSE);
  if (self->street == NULL || self->items == NULL)
    return;

  now = g_date_time_new_from_unix_local (kiosk_clock_get_now (kiosk_context_get_clock (self->context)) / G_USEC_PER_SEC);
  g_date_clear (&today, 1);
  g_date_set_dmy (&today, g_date_time_get_day_of_month (now), g_date_time_get_month (now), g_date_time_get_year (now));
  self->dates = kiosk_info_waste_next (self->items, self->street, &today);
  /* Translators: heading above a street's collection dates */
  heading = g_strdup_printf (_("Next collections in %s"), self->street);
  gtk_box_append (self->dates_box, label_new (heading, "kiosk-info-title"));
  for (guint i = 0; i < self->dates->len; i++)
    {
      KioskWasteDate *d = &g_array_index (self->dates, KioskWasteDate, i);
      g_autofree char *when = kiosk_waste_date_format (&d->date);
      g_autofree char *line = g_strdup_printf ("%s — %s", d->waste_type, when);
      GtkWidget *label = label_new (line, "kiosk-lead");

      gtk_widget_add_css_class (label, "kiosk-info-date");
      gtk_box_append (self->dates_box, label);
    }
  if (self->dates->len == 0)
    gtk_box_append (self->dates_box, label_new (_("No further dates in the calendar for this street."), NULL));
  stand = stand_text (self, self->card, self->fetched_at);
  gtk_label_set_text (self->waste_stand, stand);
  gtk_widget_set_visible (self->print_button, self->dates->len > 0);
  /* Speech: the dates are read with the rest of the view. */
  kiosk_speech_notify_page_changed (GTK_WIDGET (self));
}

static void
show_waste (KioskInfoPage *self)
{
  g_autofree char *stand = stand_text (self, self->card, self->fetched_at);

  gtk_label_set_text (self->waste_title, kiosk_info_card_get_title (self->card, self->language));
  gtk_label_set_text (self->waste_stand, stand);
  self->no_match_said = FALSE;
  update_streets (self);
  show_dates (self);
  gtk_stack_set_visible_child_name (self->stack, "waste");
  kiosk_speech_notify_page_changed (GTK_WIDGET (self));
}

static void
card_clicked_cb (GtkButton     *button,
                 KioskInfoPage *self)
{
  kiosk_info_page_open_card (self, gtk_widget_get_name (GTK_WIDGET (button)));
}

static GtkWidget *
card_button_new (KioskInfoPage *self,
                 KioskInfoCard *card)
{
  GtkWidget *button = gtk_button_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 18);
  GtkWidget *texts = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *image = gtk_image_new_from_icon_name (kiosk_info_card_get_icon (card));
  const char *title = kiosk_info_card_get_title (card, self->language);
  const char *text = kiosk_info_card_get_text (card, self->language);
  g_autoptr(KioskInfoEntry) entry = kiosk_info_cache_lookup (kiosk_context_get_store (self->context),
                                                             kiosk_info_card_get_id (card), NULL);
  g_autofree char *stand = stand_text (self, card, entry != NULL && entry->body != NULL ? entry->fetched_at : 0);
  g_autofree char *description = NULL;

  gtk_image_set_pixel_size (GTK_IMAGE (image), 48);
  gtk_accessible_update_property (GTK_ACCESSIBLE (image), GTK_ACCESSIBLE_PROPERTY_LABEL, "", -1);
  gtk_box_append (GTK_BOX (box), image);
  gtk_widget_set_hexpand (texts, TRUE);
  gtk_box_append (GTK_BOX (texts), label_new (title, "kiosk-info-title"));
  if (text != NULL)
    gtk_box_append (GTK_BOX (texts), label_new (text, NULL));
  gtk_box_append (GTK_BOX (texts), label_new (stand, "dim-label"));
  gtk_box_append (GTK_BOX (box), texts);
  gtk_button_set_child (GTK_BUTTON (button), box);
  gtk_widget_set_name (button, kiosk_info_card_get_id (card));
  gtk_widget_add_css_class (button, "card");
  gtk_widget_add_css_class (button, "kiosk-info-card");
  /* Speech and screen readers: the title names the card, its text and
   * "Stand" (or "not current") describe it. */
  description = text != NULL ? g_strconcat (text, " ", stand, NULL) : g_strdup (stand);
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, title,
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, description, -1);
  g_signal_connect_object (button, "clicked", G_CALLBACK (card_clicked_cb), self, 0);
  return button;
}

static void
printed_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(KioskInfoPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *where = kiosk_printer_print_finish (KIOSK_PRINTER (object), result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (where == NULL)
    g_message ("Printing the waste dates failed: %s", error->message);
  gtk_label_set_text (self->print_label, where != NULL ? _("Please take the slip from the printer.")
                                                       : _("The printer is not working right now. Please write down the dates."));
  gtk_widget_set_visible (GTK_WIDGET (self->print_label), TRUE);
  kiosk_speech_announce (GTK_WIDGET (self), gtk_label_get_text (self->print_label));
  gtk_widget_set_sensitive (self->print_button, TRUE);
}

static void
print_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  KioskInfoPage *self = KIOSK_INFO_PAGE (widget);
  g_autoptr(KioskReceipt) receipt = NULL;
  g_autoptr(GError) error = NULL;

  if (self->card == NULL || self->street == NULL || self->dates == NULL || self->dates->len == 0)
    return;
  if (self->printer == NULL)
    self->printer = kiosk_printer_new_from_config (kiosk_context_get_config (self->context), &error);
  if (self->printer == NULL || kiosk_printer_get_kind (self->printer) == KIOSK_PRINTER_NONE)
    {
      gtk_label_set_text (self->print_label, _("This kiosk has no printer. Please write down the dates."));
      gtk_widget_set_visible (GTK_WIDGET (self->print_label), TRUE);
      kiosk_speech_announce (GTK_WIDGET (self), gtk_label_get_text (self->print_label));
      return;
    }
  receipt = kiosk_info_waste_receipt (kiosk_info_card_get_title (self->card, self->language), self->street,
                                      self->dates, self->fetched_at, self->language);
  gtk_widget_set_sensitive (self->print_button, FALSE);
  kiosk_printer_print_async (self->printer, receipt, self->cancellable, printed_cb, g_object_ref (self));
}

static void
back_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  KioskInfoPage *self = KIOSK_INFO_PAGE (widget);

  self->card = NULL;
  g_clear_pointer (&self->street, g_free);
  gtk_editable_set_text (GTK_EDITABLE (self->street_entry), "");
  kiosk_info_page_refresh (self);
  kiosk_speech_notify_page_changed (GTK_WIDGET (self));
}

static void
pulled_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(KioskInfoPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) results = kiosk_info_pull_finish (result, &error);

  if (results == NULL)
    return;
  /* Only the overview is redrawn: a citizen reading a card is not
   * interrupted; the card shows the new copy when opened again. */
  if (self->card == NULL)
    kiosk_info_page_refresh (self);
}

static void
kiosk_info_page_dispose (GObject *object)
{
  KioskInfoPage *self = (KioskInfoPage *)object;

  g_cancellable_cancel (self->cancellable);
  G_OBJECT_CLASS (kiosk_info_page_parent_class)->dispose (object);
}

static void
kiosk_info_page_finalize (GObject *object)
{
  KioskInfoPage *self = (KioskInfoPage *)object;

  g_clear_object (&self->context);
  g_clear_object (&self->catalog);
  g_clear_object (&self->printer);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->items, g_ptr_array_unref);
  g_clear_pointer (&self->dates, g_array_unref);
  g_free (self->street);
  g_free (self->language);
  G_OBJECT_CLASS (kiosk_info_page_parent_class)->finalize (object);
}

static void
kiosk_info_page_class_init (KioskInfoPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = kiosk_info_page_dispose;
  object_class->finalize = kiosk_info_page_finalize;

  gtk_widget_class_set_template_from_resource (widget_class, "/de/hildesheim/Stadtkiosk/pages/kiosk-info-page.ui");
  gtk_widget_class_bind_template_child (widget_class, KioskInfoPage, stack);
  gtk_widget_class_bind_template_child (widget_class, KioskInfoPage, cards_box);
  gtk_widget_class_bind_template_child (widget_class, KioskInfoPage, list_title);
  gtk_widget_class_bind_template_child (widget_class, KioskInfoPage, list_stand);
  gtk_widget_class_bind_template_child (widget_class, KioskInfoPage, list_items);
  gtk_widget_class_bind_template_child (widget_class, KioskInfoPage, waste_title);
  gtk_widget_class_bind_template_child (widget_class, KioskInfoPage, street_entry);
  gtk_widget_class_bind_template_child (widget_class, KioskInfoPage, streets_box);
  gtk_widget_class_bind_template_child (widget_class, KioskInfoPage, waste_hint);
  gtk_widget_class_bind_template_child (widget_class, KioskInfoPage, dates_box);
  gtk_widget_class_bind_template_child (widget_class, KioskInfoPage, waste_stand);
  gtk_widget_class_bind_template_child (widget_class, KioskInfoPage, print_button);
  gtk_widget_class_bind_template_child (widget_class, KioskInfoPage, print_label);
  gtk_widget_class_install_action (widget_class, "info.back", NULL, back_action);
  gtk_widget_class_install_action (widget_class, "info.print", NULL, print_action);
}

static void
kiosk_info_page_init (KioskInfoPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
  g_signal_connect_object (self->street_entry, "changed", G_CALLBACK (street_changed_cb), self, 0);
}

/**
 * kiosk_info_page_new:
 * @context: the kiosk's context (store, clock, config)
 * @catalog: the active catalogue, whose info cards are shown
 * @language: the citizen's language
 */
GtkWidget *
kiosk_info_page_new (KioskContext *context,
                     KioskCatalog *catalog,
                     const char   *language)
{
  KioskInfoPage *self;

  g_return_val_if_fail (KIOSK_IS_CONTEXT (context), NULL);
  g_return_val_if_fail (KIOSK_IS_CATALOG (catalog), NULL);

  self = g_object_new (KIOSK_TYPE_INFO_PAGE, NULL);
  self->context = g_object_ref (context);
  self->catalog = g_object_ref (catalog);
  self->language = g_strdup (language);
  kiosk_info_page_refresh (self);
  return GTK_WIDGET (self);
}

/**
 * kiosk_info_page_refresh:
 * @self: the page
 *
 * Shows the overview of all cards from the cache.
 */
void
kiosk_info_page_refresh (KioskInfoPage *self)
{
  GPtrArray *cards;

  g_return_if_fail (KIOSK_IS_INFO_PAGE (self));

  self->card = NULL;
  clear_box (GTK_WIDGET (self->cards_box));
  cards = kiosk_catalog_get_info_cards (self->catalog);
  for (guint i = 0; i < cards->len; i++)
    gtk_flow_box_append (self->cards_box, card_button_new (self, cards->pdata[i]));
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->cards_box));
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    gtk_widget_set_focusable (child, FALSE);
  gtk_stack_set_visible_child_name (self->stack, "cards");
}

/**
 * kiosk_info_page_pull:
 * @self: the page
 *
 * Fetches every card in the background, at most every 15 minutes; the
 * overview is redrawn when it is done.
 */
void
kiosk_info_page_pull (KioskInfoPage *self)
{
  KioskConfig *config;
  KioskInfoPullOptions options;
  gint64 now;

  g_return_if_fail (KIOSK_IS_INFO_PAGE (self));

  now = kiosk_clock_get_now (kiosk_context_get_clock (self->context));
  if (self->last_pull != 0 && now - self->last_pull < PULL_AT_MOST_EVERY)
    return;
  self->last_pull = now;
  config = kiosk_context_get_config (self->context);
  kiosk_info_pull_options_init (&options, config);
  kiosk_info_pull_async (kiosk_context_get_store (self->context), kiosk_context_get_clock (self->context),
                         kiosk_catalog_get_info_cards (self->catalog), &options, self->cancellable,
                         pulled_cb, g_object_ref (self));
}

/**
 * kiosk_info_page_open_card:
 * @self: the page
 * @card_id: a card of the catalogue
 *
 * Returns: %TRUE if the card exists and is now shown
 */
gboolean
kiosk_info_page_open_card (KioskInfoPage *self,
                           const char    *card_id)
{
  GPtrArray *cards;

  g_return_val_if_fail (KIOSK_IS_INFO_PAGE (self), FALSE);

  cards = kiosk_catalog_get_info_cards (self->catalog);
  for (guint i = 0; i < cards->len; i++)
    if (g_strcmp0 (kiosk_info_card_get_id (cards->pdata[i]), card_id) == 0)
      {
        self->card = cards->pdata[i];
        load_card (self, self->card);
        if (kiosk_info_card_get_kind (self->card) == KIOSK_INFO_KIND_WASTE)
          {
            show_waste (self);
            gtk_widget_grab_focus (GTK_WIDGET (self->street_entry));
          }
        else
          show_list (self);
        return TRUE;
      }
  return FALSE;
}

GtkWidget *
kiosk_info_page_get_street_entry (KioskInfoPage *self)
{
  g_return_val_if_fail (KIOSK_IS_INFO_PAGE (self), NULL);

  return GTK_WIDGET (self->street_entry);
}

/* "cards", "list" or "waste": for tests. */
const char *
kiosk_info_page_get_view (KioskInfoPage *self)
{
  g_return_val_if_fail (KIOSK_IS_INFO_PAGE (self), NULL);

  return gtk_stack_get_visible_child_name (self->stack);
}

/* Background pulls while the kiosk runs ------------------------------- */

/**
 * kiosk_info_start_background_pulls:
 * @context: the kiosk's context
 * @session: the citizen session, whose catalogue names the cards
 *
 * Fetches the info cards a minute after the start and then every 30
 * minutes (KioskInfoBackground), so that the cache is fresh before anyone
 * opens the page.  The ticks run on a system clock of their own, not on
 * the context's: GUI tests move a fake context clock by minutes and must
 * not start pulls by it.
 *
 * Returns: the periodic source's id, for g_source_remove()
 */
guint
kiosk_info_start_background_pulls (KioskContext *context,
                                   KioskSession *session)
{
  g_autoptr(KioskClock) clock = kiosk_clock_new_system ();
  g_autoptr(KioskInfoBackground) background = NULL;

  g_return_val_if_fail (KIOSK_IS_CONTEXT (context), 0);
  g_return_val_if_fail (KIOSK_IS_SESSION (session), 0);

  /* The timer holds the background, the background its clock; removing
   * the source lets both go. */
  background = kiosk_info_background_new (context, session, clock);
  return kiosk_info_background_start (background);
}

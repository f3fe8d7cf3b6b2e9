/* kiosk-inbox-page.c
 *
 * SPDX-FileCopyrightText: 2026 Stadtkiosk contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "stadtkiosk-counter"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "kiosk-inbox-page.h"

/* The clerk's inbox at the counter (`stadtkiosk --counter` with [couchdb]
 * url set): the requests in the city's hub, newest first, filtered by
 * status and service; one opened with its answers under their labels
 * (sealed ones opened with the city's key, kiosk-hub-inbox.c); and the
 * city's status with a note in German and the kiosk's other languages,
 * which flows back to the kiosk.  Large targets: a clerk at a counter may
 * well use a touch screen. */

struct _KioskInboxPage
{
  GtkBox              parent_instance;

  KioskContext       *context;
  KioskHubInbox      *inbox;
  KioskKeys          *keys;           /* nullable: no city key here */
  KioskCatalog       *catalog;        /* titles and labels */
  GCancellable       *cancellable;
  guint               busy;

  GListStore         *entries;        /* KioskInboxEntry, newest first */
  GtkFilterListModel *filtered;
  GtkStringList      *service_ids;    /* the service filter's ids; "" for all */
  JsonObject         *open_doc;       /* the submission shown on the right */
  char               *open_id;
  GHashTable         *note_entries;   /* language code → GtkEntry */
  char               *message;

  GtkDropDown        *status_filter;
  GtkDropDown        *service_filter;
  GtkLabel           *list_status;
  GtkListBox         *request_list;
  GtkLabel           *detail_title;
  GtkLabel           *detail_meta;
  GtkListBox         *answers_list;
  GtkWidget          *answer_box;
  GtkToggleButton    *received_button;
  GtkToggleButton    *in_progress_button;
  GtkToggleButton    *done_button;
  GtkToggleButton    *rejected_button;
  GtkBox             *notes_box;
  GtkLabel           *detail_status;
};

G_DEFINE_FINAL_TYPE (KioskInboxPage, kiosk_inbox_page, GTK_TYPE_BOX)

/* The status filter's entries, in the order of the .ui's string list. */
static const char * const filter_statuses[] = { NULL, KIOSK_INBOX_STATUS_NEW, "received", "in_progress", "done", "rejected" };

static const char *
status_title (const char *status)
{
  if (g_strcmp0 (status, "received") == 0)
    return _("Received");
  if (g_strcmp0 (status, "in_progress") == 0)
    return _("In progress");
  if (g_strcmp0 (status, "done") == 0)
    return _("Done");
  if (g_strcmp0 (status, "rejected") == 0)
    return _("Rejected");
  return C_("request status", "New");
}

static const char *
service_title (KioskInboxPage *self,
               const char     *service_id)
{
  KioskService *service = self->catalog != NULL ? kiosk_catalog_lookup_any (self->catalog, service_id) : NULL;
  const char *title = service != NULL ? kiosk_service_get_title (service, kiosk_language_get_current ()) : NULL;

  return title != NULL ? title : service_id;
}

/* "2027-01-15T08:00:00Z" as local time, "15.01.2027 09:00". */
static char *
format_created (const char *created)
{
  g_autoptr(GDateTime) utc = created != NULL ? g_date_time_new_from_iso8601 (created, NULL) : NULL;
  g_autoptr(GDateTime) local = NULL;

  if (utc == NULL)
    return g_strdup (created != NULL ? created : "");
  local = g_date_time_to_local (utc);
  return g_date_time_format (local, "%d.%m.%Y %H:%M");
}

static void
set_message (KioskInboxPage *self,
             GtkLabel       *label,
             const char     *text,
             gboolean        error)
{
  gtk_label_set_text (label, text);
  if (error)
    gtk_widget_add_css_class (GTK_WIDGET (label), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (label), "error");
  if (label == self->detail_status || error)
    {
      g_free (self->message);
      self->message = g_strdup (text);
    }
}

/* ---- The list ---------------------------------------------------------------- */

static GtkWidget *
create_row_cb (gpointer item,
               gpointer user_data)
{
  KioskInboxPage *self = user_data;
  KioskInboxEntry *entry = item;
  g_autofree char *title = NULL;
  g_autofree char *when = format_created (kiosk_inbox_entry_get_created (entry));
  g_autofree char *subtitle = NULL;
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *status = gtk_label_new (status_title (kiosk_inbox_entry_get_status (entry)));

  title = g_strdup_printf ("%s · %s", kiosk_inbox_entry_get_short_code (entry),
                           service_title (self, kiosk_inbox_entry_get_service_id (entry)));
  /* TRANSLATORS: a request in the counter's list: when, and from which kiosk */
  subtitle = g_strdup_printf (_("%s · kiosk %s"), when, kiosk_inbox_entry_get_kiosk_id (entry));
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  gtk_widget_set_size_request (row, -1, 64);
  gtk_widget_add_css_class (status, "heading");
  if (g_str_equal (kiosk_inbox_entry_get_status (entry), KIOSK_INBOX_STATUS_NEW))
    gtk_widget_add_css_class (status, "accent");
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), status);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
  return row;
}

static gboolean
filter_cb (gpointer item,
           gpointer user_data)
{
  KioskInboxPage *self = user_data;
  KioskInboxEntry *entry = item;
  guint status = gtk_drop_down_get_selected (self->status_filter);
  guint service = gtk_drop_down_get_selected (self->service_filter);

  if (status > 0 && status < G_N_ELEMENTS (filter_statuses) &&
      g_strcmp0 (kiosk_inbox_entry_get_status (entry), filter_statuses[status]) != 0)
    return FALSE;
  if (service > 0 && service != GTK_INVALID_LIST_POSITION && service < g_list_model_get_n_items (G_LIST_MODEL (self->service_ids)) &&
      g_strcmp0 (kiosk_inbox_entry_get_service_id (entry), gtk_string_list_get_string (self->service_ids, service)) != 0)
    return FALSE;
  return TRUE;
}

static void
filter_changed_cb (KioskInboxPage *self)
{
  GtkFilter *filter = gtk_filter_list_model_get_filter (self->filtered);

  if (filter != NULL)
    gtk_filter_changed (filter, GTK_FILTER_CHANGE_DIFFERENT);
}

/* The service filter: every service that has requests, by title. */
static void
fill_service_filter (KioskInboxPage *self)
{
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GtkStringList) titles = gtk_string_list_new (NULL);
  g_autofree char *previous = NULL;
  guint selected = 0;
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->entries));

  if (gtk_drop_down_get_selected (self->service_filter) > 0 &&
      gtk_drop_down_get_selected (self->service_filter) < g_list_model_get_n_items (G_LIST_MODEL (self->service_ids)))
    previous = g_strdup (gtk_string_list_get_string (self->service_ids, gtk_drop_down_get_selected (self->service_filter)));

  g_clear_object (&self->service_ids);
  self->service_ids = gtk_string_list_new (NULL);
  gtk_string_list_append (self->service_ids, "");
  gtk_string_list_append (titles, _("All services"));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(KioskInboxEntry) entry = g_list_model_get_item (G_LIST_MODEL (self->entries), i);
      const char *id = kiosk_inbox_entry_get_service_id (entry);

      if (g_hash_table_contains (seen, id))
        continue;
      g_hash_table_add (seen, (gpointer) id);
      if (g_strcmp0 (previous, id) == 0)
        selected = g_list_model_get_n_items (G_LIST_MODEL (self->service_ids));
      gtk_string_list_append (self->service_ids, id);
      gtk_string_list_append (titles, service_title (self, id));
    }
  gtk_drop_down_set_model (self->service_filter, G_LIST_MODEL (titles));
  gtk_drop_down_set_selected (self->service_filter, selected);
}

static void
listed_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(KioskInboxPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) list = NULL;
  g_autofree char *text = NULL;
  guint more = 0;
  guint n;

  self->busy--;
  /* One page from the top (kiosk-hub-inbox.c): the newest, their statuses. */
  list = kiosk_hub_inbox_list_page_finish (KIOSK_HUB_INBOX (object), result, NULL, &more, &error);
  if (list == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          text = g_strdup_printf (_("The hub cannot be read: %s"), error->message);
          set_message (self, self->list_status, text, TRUE);
        }
      return;
    }
  n = g_list_model_get_n_items (list);
  {
    g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (g_object_unref);

    for (guint i = 0; i < n; i++)
      g_ptr_array_add (items, g_list_model_get_item (list, i));
    g_list_store_splice (self->entries, 0, g_list_model_get_n_items (G_LIST_MODEL (self->entries)),
                         items->pdata, items->len);
  }
  fill_service_filter (self);
  if (more > 0)
    /* TRANSLATORS: the list is cut; older requests: the command line */
    text = g_strdup_printf (_("The newest %u requests in the hub (older ones: stadtkioskctl inbox list)"), n);
  else
    text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u request in the hub", "%u requests in the hub", n), n);
  set_message (self, self->list_status, text, FALSE);
}

/**
 * kiosk_inbox_page_refresh:
 *
 * Reads the hub's requests again (the filters stay).
 */
void
kiosk_inbox_page_refresh (KioskInboxPage *self)
{
  g_return_if_fail (KIOSK_IS_INBOX_PAGE (self));

  g_clear_object (&self->catalog);
  self->catalog = kiosk_catalog_load_active (kiosk_context_get_store (self->context), NULL);
  if (self->catalog == NULL)
    self->catalog = kiosk_catalog_new_demo ();
  self->busy++;
  set_message (self, self->list_status, _("Reading the hub…"), FALSE);
  kiosk_hub_inbox_list_async (self->inbox, self->cancellable, listed_cb, g_object_ref (self));
}

static void
refresh_clicked_cb (KioskInboxPage *self)
{
  kiosk_inbox_page_refresh (self);
}

/* ---- One request --------------------------------------------------------------- */

/* An answer as a clerk reads it. */
static char *
value_text (JsonNode *value)
{
  if (value == NULL || JSON_NODE_HOLDS_NULL (value))
    return g_strdup ("–");
  if (JSON_NODE_HOLDS_VALUE (value))
    {
      GType type = json_node_get_value_type (value);

      if (type == G_TYPE_STRING)
        return g_strdup (json_node_get_string (value));
      if (type == G_TYPE_BOOLEAN)
        return g_strdup (json_node_get_boolean (value) ? _("Yes") : _("No"));
    }
  if (JSON_NODE_HOLDS_ARRAY (value))
    {
      g_autoptr(GString) text = g_string_new (NULL);
      JsonArray *array = json_node_get_array (value);

      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          g_autofree char *one = value_text (json_array_get_element (array, i));

          if (i > 0)
            g_string_append (text, ", ");
          g_string_append (text, one);
        }
      return g_string_free (g_steal_pointer (&text), FALSE);
    }
  {
    g_autoptr(JsonGenerator) generator = json_generator_new ();

    json_generator_set_root (generator, value);
    return json_generator_to_data (generator, NULL);
  }
}

static void
clear_answers (KioskInboxPage *self)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->answers_list))) != NULL)
    gtk_list_box_remove (self->answers_list, child);
  gtk_widget_set_visible (GTK_WIDGET (self->answers_list), FALSE);
}

static void
show_answers (KioskInboxPage *self,
              JsonObject     *doc)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) answers = kiosk_hub_inbox_open_answers (doc, self->keys, &error);
  const char *service_id = json_object_get_string_member_with_default (doc, "service_id", "");
  KioskService *service = self->catalog != NULL ? kiosk_catalog_lookup_any (self->catalog, service_id) : NULL;
  const char *language = kiosk_language_get_current ();
  g_autoptr(GList) members = NULL;

  clear_answers (self);
  if (answers == NULL || !JSON_NODE_HOLDS_OBJECT (answers))
    {
      g_autofree char *text = g_strdup_printf (_("The answers cannot be shown: %s"),
                                               error != NULL ? error->message : _("they are not a JSON object"));

      set_message (self, self->detail_status, text, TRUE);
      return;
    }
  members = json_object_get_members (json_node_get_object (answers));
  for (GList *l = members; l != NULL; l = l->next)
    {
      KioskField *field = service != NULL ? kiosk_service_lookup_field (service, l->data) : NULL;
      const char *label = field != NULL ? kiosk_field_get_label (field, language) : NULL;
      JsonNode *answer = json_object_get_member (json_node_get_object (answers), l->data);
      /* A choice under its option's label in the clerk's language; the
       * stored value when this catalogue does not know the option. */
      g_autofree char *value = field != NULL ? kiosk_field_format_answer (field, answer, language) : NULL;
      GtkWidget *row = adw_action_row_new ();

      if (value == NULL)
        value = value_text (answer);
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      /* Under its label, not its field id; the id only when this
       * workstation's catalogue does not know the field. */
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), label != NULL ? label : (const char *) l->data);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), value);
      gtk_list_box_append (self->answers_list, row);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->answers_list), members != NULL);
}

static GtkToggleButton *
status_button (KioskInboxPage *self,
               const char     *status)
{
  if (g_strcmp0 (status, "received") == 0)
    return self->received_button;
  if (g_strcmp0 (status, "in_progress") == 0)
    return self->in_progress_button;
  if (g_strcmp0 (status, "done") == 0)
    return self->done_button;
  if (g_strcmp0 (status, "rejected") == 0)
    return self->rejected_button;
  return NULL;
}

static const char *
chosen_status (KioskInboxPage *self)
{
  const char * const all[] = { "received", "in_progress", "done", "rejected" };

  for (guint i = 0; i < G_N_ELEMENTS (all); i++)
    if (gtk_toggle_button_get_active (status_button (self, all[i])))
      return all[i];
  return NULL;
}

static void
fetched_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(KioskInboxPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) doc = NULL;
  g_autoptr(JsonObject) status_doc = NULL;
  g_autofree char *when = NULL;
  g_autofree char *meta = NULL;
  const char *status;
  JsonObject *note = NULL;
  GHashTableIter iter;
  gpointer key, value;

  self->busy--;
  doc = kiosk_hub_inbox_fetch_finish (KIOSK_HUB_INBOX (object), result, &status_doc, &error);
  if (doc == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_autofree char *text = g_strdup_printf (_("The request cannot be read: %s"), error->message);

          set_message (self, self->detail_status, text, TRUE);
        }
      return;
    }
  g_clear_pointer (&self->open_doc, json_object_unref);
  self->open_doc = json_object_ref (doc);
  g_free (self->open_id);
  self->open_id = g_strdup (json_object_get_string_member_with_default (doc, "_id", ""));

  status = status_doc != NULL ? json_object_get_string_member_with_default (status_doc, "status", NULL) : NULL;
  if (!kiosk_inbox_status_is_valid (status))
    status = KIOSK_INBOX_STATUS_NEW;
  when = format_created (json_object_get_string_member_with_default (doc, "created", NULL));
  gtk_label_set_text (self->detail_title, json_object_get_string_member_with_default (doc, "short_code", ""));
  /* TRANSLATORS: service · kiosk · when · the city's status */
  meta = g_strdup_printf (_("%s · Kiosk %s · %s · Status: %s"),
                          service_title (self, json_object_get_string_member_with_default (doc, "service_id", "")),
                          json_object_get_string_member_with_default (doc, "kiosk_id", ""), when,
                          status_title (status));
  gtk_label_set_text (self->detail_meta, meta);
  set_message (self, self->detail_status, "", FALSE);
  show_answers (self, doc);

  /* The city's answer so far, to change. */
  if (status_button (self, status) != NULL)
    gtk_toggle_button_set_active (status_button (self, status), TRUE);
  else
    {
      gtk_toggle_button_set_active (self->received_button, FALSE);
      gtk_toggle_button_set_active (self->in_progress_button, FALSE);
      gtk_toggle_button_set_active (self->done_button, FALSE);
      gtk_toggle_button_set_active (self->rejected_button, FALSE);
    }
  if (status_doc != NULL && json_object_has_member (status_doc, "note") &&
      JSON_NODE_HOLDS_OBJECT (json_object_get_member (status_doc, "note")))
    note = json_object_get_object_member (status_doc, "note");
  g_hash_table_iter_init (&iter, self->note_entries);
  while (g_hash_table_iter_next (&iter, &key, &value))
    gtk_editable_set_text (GTK_EDITABLE (value),
                           note != NULL ? json_object_get_string_member_with_default (note, key, "") : "");
  gtk_widget_set_sensitive (self->answer_box, TRUE);
}

static void
open_entry (KioskInboxPage  *self,
            KioskInboxEntry *entry)
{
  gtk_widget_set_sensitive (self->answer_box, FALSE);
  clear_answers (self);
  gtk_label_set_text (self->detail_title, kiosk_inbox_entry_get_short_code (entry));
  gtk_label_set_text (self->detail_meta, "");
  set_message (self, self->detail_status, _("Reading the request…"), FALSE);
  self->busy++;
  kiosk_hub_inbox_fetch_async (self->inbox, kiosk_inbox_entry_get_id (entry), self->cancellable,
                               fetched_cb, g_object_ref (self));
}

static void
row_activated_cb (KioskInboxPage *self,
                  GtkListBoxRow  *row)
{
  g_autoptr(KioskInboxEntry) entry = g_list_model_get_item (G_LIST_MODEL (self->filtered),
                                                            (guint) gtk_list_box_row_get_index (row));

  if (entry != NULL)
    open_entry (self, entry);
}

/**
 * kiosk_inbox_page_open:
 * @short_code: a request's short code, as the list shows it
 *
 * Opens the request, as a tap on its row does.
 *
 * Returns: %FALSE when the list (as last read) has no such request
 */
gboolean
kiosk_inbox_page_open (KioskInboxPage *self,
                       const char     *short_code)
{
  guint n;

  g_return_val_if_fail (KIOSK_IS_INBOX_PAGE (self), FALSE);

  n = g_list_model_get_n_items (G_LIST_MODEL (self->filtered));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(KioskInboxEntry) entry = g_list_model_get_item (G_LIST_MODEL (self->filtered), i);

      if (g_strcmp0 (kiosk_inbox_entry_get_short_code (entry), short_code) == 0)
        {
          GtkListBoxRow *row = gtk_list_box_get_row_at_index (self->request_list, (int) i);

          if (row != NULL)
            gtk_list_box_select_row (self->request_list, row);
          open_entry (self, entry);
          return TRUE;
        }
    }
  return FALSE;
}

/* ---- The city's answer ------------------------------------------------------------ */

static void
saved_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(KioskInboxPage) self = user_data;
  g_autoptr(GError) error = NULL;

  self->busy--;
  gtk_widget_set_sensitive (self->answer_box, TRUE);
  if (!kiosk_hub_inbox_set_status_finish (KIOSK_HUB_INBOX (object), result, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_autofree char *text = g_strdup_printf (_("The status was not saved: %s"), error->message);

          set_message (self, self->detail_status, text, TRUE);
        }
      return;
    }
  set_message (self, self->detail_status,
               _("Saved. The kiosk shows the new status after its next round with the hub."), FALSE);
  kiosk_inbox_page_refresh (self);
}

static void
save_clicked_cb (KioskInboxPage *self)
{
  g_autoptr(JsonObject) note = json_object_new ();
  const char *status = chosen_status (self);
  GHashTableIter iter;
  gpointer key, value;

  if (self->open_doc == NULL)
    return;
  if (status == NULL)
    {
      set_message (self, self->detail_status, _("Choose a status first."), TRUE);
      return;
    }
  g_hash_table_iter_init (&iter, self->note_entries);
  while (g_hash_table_iter_next (&iter, &key, &value))
    json_object_set_string_member (note, key, gtk_editable_get_text (GTK_EDITABLE (value)));
  gtk_widget_set_sensitive (self->answer_box, FALSE);
  set_message (self, self->detail_status, _("Saving…"), FALSE);
  self->busy++;
  kiosk_hub_inbox_set_status_async (self->inbox, self->open_doc, status, note, self->cancellable,
                                    saved_cb, g_object_ref (self));
}

/* One note field per language: German first, then the kiosk's others. */
static void
add_note_entries (KioskInboxPage *self)
{
  const char * const *configured = kiosk_config_get_languages (kiosk_context_get_config (self->context));
  g_autoptr(GPtrArray) codes = g_ptr_array_new ();

  g_ptr_array_add (codes, (gpointer) "de");
  for (guint i = 0; configured != NULL && configured[i] != NULL; i++)
    if (!g_str_equal (configured[i], "de") && kiosk_language_is_supported (configured[i]))
      g_ptr_array_add (codes, (gpointer) configured[i]);

  for (guint i = 0; i < codes->len; i++)
    {
      const char *code = codes->pdata[i];
      const char *name = kiosk_language_get_native_name (code);
      GtkWidget *row = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
      GtkWidget *label = gtk_label_new (name != NULL ? name : code);
      GtkWidget *entry = gtk_entry_new ();
      g_autofree char *accessible = NULL;

      /* The language beside its field: a filled field shows no placeholder. */
      gtk_label_set_xalign (GTK_LABEL (label), 0);
      gtk_label_set_width_chars (GTK_LABEL (label), 14);
      gtk_box_append (GTK_BOX (row), label);
      gtk_widget_set_hexpand (entry, TRUE);
      gtk_widget_set_size_request (entry, -1, 56);
      /* TRANSLATORS: the placeholder of a note field, %s is a language's own name */
      accessible = g_strdup_printf (_("Note in %s"), name != NULL ? name : code);
      gtk_entry_set_placeholder_text (GTK_ENTRY (entry), accessible);
      gtk_accessible_update_property (GTK_ACCESSIBLE (entry), GTK_ACCESSIBLE_PROPERTY_LABEL, accessible, -1);
      if (kiosk_language_is_rtl (code))
        gtk_widget_set_direction (entry, GTK_TEXT_DIR_RTL);
      gtk_entry_set_max_length (GTK_ENTRY (entry), 500);
      gtk_box_append (GTK_BOX (row), entry);
      gtk_box_append (self->notes_box, row);
      g_hash_table_insert (self->note_entries, g_strdup (code), entry);
    }
}

/* ---- GObject ------------------------------------------------------------------------- */

static void
kiosk_inbox_page_dispose (GObject *object)
{
  KioskInboxPage *self = (KioskInboxPage *)object;

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  if (self->request_list != NULL)
    gtk_list_box_bind_model (self->request_list, NULL, NULL, NULL, NULL);
  g_clear_object (&self->filtered);
  g_clear_object (&self->entries);
  g_clear_object (&self->service_ids);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->catalog);
  g_clear_object (&self->inbox);
  g_clear_object (&self->context);
  g_clear_pointer (&self->keys, kiosk_keys_free);
  g_clear_pointer (&self->open_doc, json_object_unref);
  g_clear_pointer (&self->note_entries, g_hash_table_unref);
  gtk_widget_dispose_template (GTK_WIDGET (self), KIOSK_TYPE_INBOX_PAGE);

  G_OBJECT_CLASS (kiosk_inbox_page_parent_class)->dispose (object);
}

static void
kiosk_inbox_page_finalize (GObject *object)
{
  KioskInboxPage *self = (KioskInboxPage *)object;

  g_free (self->open_id);
  g_free (self->message);

  G_OBJECT_CLASS (kiosk_inbox_page_parent_class)->finalize (object);
}

static void
kiosk_inbox_page_class_init (KioskInboxPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = kiosk_inbox_page_dispose;
  object_class->finalize = kiosk_inbox_page_finalize;

  gtk_widget_class_set_template_from_resource (widget_class, "/de/hildesheim/Stadtkiosk/counter/kiosk-inbox-page.ui");
  gtk_widget_class_bind_template_child (widget_class, KioskInboxPage, status_filter);
  gtk_widget_class_bind_template_child (widget_class, KioskInboxPage, service_filter);
  gtk_widget_class_bind_template_child (widget_class, KioskInboxPage, list_status);
  gtk_widget_class_bind_template_child (widget_class, KioskInboxPage, request_list);
  gtk_widget_class_bind_template_child (widget_class, KioskInboxPage, detail_title);
  gtk_widget_class_bind_template_child (widget_class, KioskInboxPage, detail_meta);
  gtk_widget_class_bind_template_child (widget_class, KioskInboxPage, answers_list);
  gtk_widget_class_bind_template_child (widget_class, KioskInboxPage, answer_box);
  gtk_widget_class_bind_template_child (widget_class, KioskInboxPage, received_button);
  gtk_widget_class_bind_template_child (widget_class, KioskInboxPage, in_progress_button);
  gtk_widget_class_bind_template_child (widget_class, KioskInboxPage, done_button);
  gtk_widget_class_bind_template_child (widget_class, KioskInboxPage, rejected_button);
  gtk_widget_class_bind_template_child (widget_class, KioskInboxPage, notes_box);
  gtk_widget_class_bind_template_child (widget_class, KioskInboxPage, detail_status);
  gtk_widget_class_bind_template_callback (widget_class, filter_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, refresh_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, row_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, save_clicked_cb);
}

static void
kiosk_inbox_page_init (KioskInboxPage *self)
{
  GtkCustomFilter *filter;

  self->service_ids = gtk_string_list_new (NULL);
  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
  self->note_entries = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->entries = g_list_store_new (KIOSK_TYPE_INBOX_ENTRY);
  filter = gtk_custom_filter_new (filter_cb, self, NULL);
  self->filtered = gtk_filter_list_model_new (G_LIST_MODEL (g_object_ref (self->entries)), GTK_FILTER (filter));
  gtk_list_box_bind_model (self->request_list, G_LIST_MODEL (self->filtered), create_row_cb, self, NULL);
  {
    g_autoptr(GtkStringList) titles = gtk_string_list_new ((const char * const []) { _("All services"), NULL });

    gtk_string_list_append (self->service_ids, "");
    gtk_drop_down_set_model (self->service_filter, G_LIST_MODEL (titles));
  }
}

/**
 * kiosk_inbox_page_new:
 * @inbox: the hub, with a city user's login
 * @keys: (transfer full) (nullable): the city's key and trusted kiosks, to
 *   open sealed requests
 *
 * Returns: (transfer floating): the page; call kiosk_inbox_page_refresh()
 */
GtkWidget *
kiosk_inbox_page_new (KioskContext  *context,
                      KioskHubInbox *inbox,
                      KioskKeys     *keys)
{
  KioskInboxPage *self;

  g_return_val_if_fail (KIOSK_IS_CONTEXT (context), NULL);
  g_return_val_if_fail (KIOSK_IS_HUB_INBOX (inbox), NULL);

  self = g_object_new (KIOSK_TYPE_INBOX_PAGE, NULL);
  self->context = g_object_ref (context);
  self->inbox = g_object_ref (inbox);
  self->keys = keys;
  add_note_entries (self);
  return GTK_WIDGET (self);
}

/* Returns: whether a read or a write is on its way */
gboolean
kiosk_inbox_page_is_busy (KioskInboxPage *self)
{
  g_return_val_if_fail (KIOSK_IS_INBOX_PAGE (self), FALSE);
  return self->busy > 0;
}

/* Returns: how many requests the list shows (after the filters) */
guint
kiosk_inbox_page_get_n_shown (KioskInboxPage *self)
{
  g_return_val_if_fail (KIOSK_IS_INBOX_PAGE (self), 0);
  return g_list_model_get_n_items (G_LIST_MODEL (self->filtered));
}

/* Returns: (nullable): the id of the request shown on the right */
const char *
kiosk_inbox_page_get_open_id (KioskInboxPage *self)
{
  g_return_val_if_fail (KIOSK_IS_INBOX_PAGE (self), NULL);
  return self->open_id;
}

/* Returns: (nullable): the last message about the open request, or the
 *   last error */
const char *
kiosk_inbox_page_get_message (KioskInboxPage *self)
{
  g_return_val_if_fail (KIOSK_IS_INBOX_PAGE (self), NULL);
  return self->message;
}

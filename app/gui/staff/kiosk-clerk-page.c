/* kiosk-clerk-page.c
 *
 * SPDX-FileCopyrightText: 2026 Stadtkiosk contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "stadtkiosk-staff"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "kiosk-clerk-page.h"
#include "kiosk-clerk-page-private.h"

#include "kiosk-language.h"
#include "kiosk-clerk-row.h"

/* The clerk's view of the queue: counts by state, then one row per request
 * that is not done (short code, service, age, attempts, what went wrong in
 * plain words, next try) with the actions that apply to it.  Never the
 * citizen's answers.  At the top, the scan field: a USB scanner types the
 * receipt's QR text and Enter into it.
 *
 * At city scale thousands of requests can wait (the network was down for a
 * day); a GtkListBox builds a template row for each, which took 71–98 s
 * for 2,000 (#18).  So at most KIOSK_CLERK_PAGE_MAX_ROWS rows are listed, the
 * most urgent first (rejected, then queued, then sending; oldest first in
 * each), with a line saying how many more there are and that the scan
 * field finds any of them by its code.  A request found that way beyond
 * the cap is listed first, with its row and actions, until the next scan. */

static guint default_max_rows = KIOSK_CLERK_PAGE_MAX_ROWS;
static gboolean catalog_in_thread = TRUE;

struct _KioskClerkPage
{
  AdwBin             parent_instance;

  KioskStaffSession *session;
  KioskKeys         *keys;
  KioskRequest      *scanned;
  KioskScan         *scan;
  GCancellable      *cancellable;
  guint              refresh_id;
  gboolean           counter;

  GtkBox            *counts_box;
  GtkEntry          *scan_entry;
  GtkLabel          *scan_result_label;
  GtkWidget         *scan_actions;
  GtkWidget         *ask_button;
  GtkWidget         *deliver_button;
  GtkWidget         *handled_button;
  GtkWidget         *assist_button;
  GtkListBox        *list;
  GListStore        *requests;  /* KioskRequest: the rows of @list */
  /* While a refresh fills @requests, for create_row_cb(): */
  KioskCatalog      *refresh_catalog;
  char              *refresh_language;
  gint64             refresh_now;
  GtkLabel          *status_label;
  GtkLabel          *empty_label;
  GtkLabel          *more_label;
  guint              max_rows;
  guint              n_hidden;  /* listed requests without a row */
  gboolean           catalog_loading;  /* kiosk_context_load_active_catalog_async() */
  gboolean           catalog_failed;
};

enum {
  ASSIST,
  N_SIGNALS,
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (KioskClerkPage, kiosk_clerk_page, ADW_TYPE_BIN)

static KioskContext *
get_context (KioskClerkPage *self)
{
  return kiosk_staff_session_get_context (self->session);
}

/* The language service titles are shown in on the staff screen: the one
 * the kiosk speaks now (kiosk-language.c, set with the session's), German
 * where none was set (the counter workstation). */
static char *
dup_staff_language (void)
{
  const char *language = kiosk_language_get_current ();

  return g_strdup (language != NULL && *language != '\0' ? language : "de");
}

/* @service_id's title in @catalog (which may be %NULL).  A service the
 * catalogue no longer has (a newer catalogue dropped it, or the request
 * came from another kiosk) is named as such, not by its bare id. */
static char *
lookup_title (KioskCatalog *catalog,
              const char   *language,
              const char   *service_id)
{
  KioskService *service = catalog != NULL ? kiosk_catalog_lookup_any (catalog, service_id) : NULL;

  g_assert (language != NULL);

  if (service != NULL)
    return g_strdup (kiosk_service_get_title (service, language));
  /* TRANSLATORS: %s is a service's id, e.g. "bulky-waste" */
  return g_strdup_printf (_("Service “%s” (no longer in the catalogue)"), service_id);
}

char *
kiosk_staff_service_title (KioskContext *context,
                           const char   *service_id)
{
  g_autoptr(KioskCatalog) catalog = kiosk_context_dup_active_catalog (context, NULL);
  g_autofree char *language = dup_staff_language ();

  return lookup_title (catalog, language, service_id);
}

/**
 * kiosk_staff_describe_request:
 *
 * Several lines for a clerk: short code, service, state, age, attempts and
 * what went wrong.  Never the answers.
 */
char *
kiosk_staff_describe_request (KioskContext *context,
                              KioskRequest *request)
{
  gint64 now = kiosk_clock_get_now (kiosk_context_get_clock (context));
  g_autofree char *title = kiosk_staff_service_title (context, kiosk_request_get_service_id (request));
  g_autofree char *age = kiosk_clerk_format_ago (now - kiosk_request_get_created (request));
  g_autofree char *problem = kiosk_clerk_describe_problem (request, now);
  GString *text = g_string_new (NULL);
  KioskRequestFlags flags = kiosk_request_get_flags (request);

  g_string_append_printf (text, "%s · %s\n", kiosk_request_get_short_code (request), title);
  g_string_append_printf (text, g_dngettext (GETTEXT_PACKAGE, "%s · made %s · %u attempt",
                                            "%s · made %s · %u attempts",
                                            kiosk_request_get_attempts (request)),
                          kiosk_clerk_row_state_title (kiosk_request_get_state (request)), age,
                          kiosk_request_get_attempts (request));
  if (flags & KIOSK_REQUEST_FLAG_ASSISTED)
    g_string_append_printf (text, " · %s", _("assisted"));
  /* Every request names its kiosk since #12; only an imported one says so. */
  if ((flags & KIOSK_REQUEST_FLAG_IMPORTED) && kiosk_request_get_origin_kiosk_id (request) != NULL)
    g_string_append_printf (text, " · %s", kiosk_request_get_origin_kiosk_id (request));
  g_string_append_printf (text, "\n%s", problem);
  /* The city's own case number, once it has the request: what the
   * citizen is asked for when they call the office. */
  if (kiosk_request_get_remote_ref (request) != NULL && *kiosk_request_get_remote_ref (request) != '\0')
    {
      g_string_append_c (text, '\n');
      g_string_append_printf (text, _("City's case number: %s"), kiosk_request_get_remote_ref (request));
    }
  /* The technical words stay available, below the plain ones. */
  if (kiosk_request_get_state (request) == KIOSK_REQUEST_QUEUED && kiosk_request_get_last_error (request) != NULL)
    {
      g_string_append_c (text, '\n');
      g_string_append_printf (text, _("Technical detail: %s"), kiosk_request_get_last_error (request));
    }
  return g_string_free (text, FALSE);
}

static void
set_status (KioskClerkPage *self,
            const char     *text,
            gboolean        error)
{
  gtk_label_set_text (self->status_label, text);
  gtk_widget_set_visible (GTK_WIDGET (self->status_label), *text != '\0');
  if (error)
    gtk_widget_add_css_class (GTK_WIDGET (self->status_label), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->status_label), "error");
}

static void
act (KioskClerkPage   *self,
     const char       *id,
     KioskClerkAction  action,
     const char       *reason)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KioskRequest) after = NULL;

  kiosk_staff_session_poke (self->session);
  after = kiosk_clerk_act (get_context (self), kiosk_staff_session_get_role (self->session),
                           id, action, reason, &error);
  if (after == NULL)
    set_status (self, error->message, TRUE);
  else
    {
      g_autofree char *text = NULL;

      switch (action)
        {
        case KIOSK_CLERK_RETRY_NOW:
          text = g_strdup_printf (_("%s will be sent at the next chance."), kiosk_request_get_short_code (after));
          break;
        case KIOSK_CLERK_REQUEUE:
          text = g_strdup_printf (_("%s is back in the queue."), kiosk_request_get_short_code (after));
          break;
        case KIOSK_CLERK_CANCEL:
          text = g_strdup_printf (_("%s is cancelled."), kiosk_request_get_short_code (after));
          break;
        case KIOSK_CLERK_HANDLED:
        default:
          text = g_strdup_printf (_("%s is marked as handled."), kiosk_request_get_short_code (after));
          break;
        }
      set_status (self, text, FALSE);
    }
  kiosk_clerk_page_refresh (self);
}

/* The row actions: each carries the request's id as its target. */

static void
retry_now_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *param)
{
  act (KIOSK_CLERK_PAGE (widget), g_variant_get_string (param, NULL), KIOSK_CLERK_RETRY_NOW, NULL);
}

static void
requeue_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *param)
{
  act (KIOSK_CLERK_PAGE (widget), g_variant_get_string (param, NULL), KIOSK_CLERK_REQUEUE, NULL);
}

static void
handled_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *param)
{
  act (KIOSK_CLERK_PAGE (widget), g_variant_get_string (param, NULL), KIOSK_CLERK_HANDLED, NULL);
}

/* Target (id, reason): the reason is what the clerk typed in the row. */
static void
cancel_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  const char *id;
  const char *reason;

  g_variant_get (param, "(&s&s)", &id, &reason);
  act (KIOSK_CLERK_PAGE (widget), id, KIOSK_CLERK_CANCEL, reason);
}

static void
printed_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(KioskClerkPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *where = kiosk_printer_print_finish (KIOSK_PRINTER (object), result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (where == NULL)
    {
      g_autofree char *text = g_strdup_printf (_("The receipt could not be printed: %s"), error->message);
      set_status (self, text, TRUE);
    }
  else
    set_status (self, _("The receipt is printed again."), FALSE);
}

static void
reprint_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *param)
{
  KioskClerkPage *self = KIOSK_CLERK_PAGE (widget);
  const char *id = g_variant_get_string (param, NULL);
  KioskContext *context = get_context (self);
  g_autoptr(GError) error = NULL;
  g_autoptr(KioskRequest) request = kiosk_outbox_get (kiosk_context_get_outbox (context), id, &error);
  g_autoptr(KioskReceipt) receipt = NULL;
  g_autoptr(KioskPrinter) printer = NULL;
  g_autofree char *title = NULL;

  if (request != NULL)
    {
      title = kiosk_staff_service_title (context, kiosk_request_get_service_id (request));
      receipt = kiosk_receipt_new_for_request (context, request, title, kiosk_request_get_locale (request), &error);
    }
  if (receipt != NULL)
    printer = kiosk_printer_new_from_config (kiosk_context_get_config (context), &error);
  if (printer == NULL)
    {
      g_autofree char *text = g_strdup_printf (_("The receipt could not be printed: %s"), error->message);
      set_status (self, text, TRUE);
      return;
    }
  kiosk_staff_session_audit (self->session, "reprint", kiosk_request_get_short_code (request));
  set_status (self, _("Printing…"), FALSE);
  kiosk_printer_print_async (printer, receipt, self->cancellable, printed_cb, g_object_ref (self));
}

static GtkWidget *
create_row_cb (gpointer item,
               gpointer user_data)
{
  KioskClerkPage *self = user_data;
  KioskRequest *request = item;
  g_autofree char *title = NULL;

  g_assert (self->refresh_language != NULL);

  /* Until the catalogue is there, the service's id stands for its title. */
  if (self->refresh_catalog == NULL && self->catalog_loading)
    title = g_strdup (kiosk_request_get_service_id (request));
  else
    title = lookup_title (self->refresh_catalog, self->refresh_language, kiosk_request_get_service_id (request));
  return kiosk_clerk_row_new (request, title, self->refresh_now, self->counter);
}

static void
update_counts (KioskClerkPage *self,
               const guint     counts[KIOSK_REQUEST_N_STATES])
{
  const KioskRequestState shown[] = {
    KIOSK_REQUEST_QUEUED, KIOSK_REQUEST_SENDING, KIOSK_REQUEST_REJECTED,
    KIOSK_REQUEST_DELIVERED, KIOSK_REQUEST_CANCELLED, KIOSK_REQUEST_HANDLED,
  };
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->counts_box))) != NULL)
    gtk_box_remove (self->counts_box, child);

  for (guint i = 0; i < G_N_ELEMENTS (shown); i++)
    {
      GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
      g_autofree char *number = g_strdup_printf ("%u", counts[shown[i]]);
      g_autofree char *a11y = g_strdup_printf ("%s: %u", kiosk_clerk_row_state_title (shown[i]), counts[shown[i]]);
      GtkWidget *n = gtk_label_new (number);
      GtkWidget *label = gtk_label_new (kiosk_clerk_row_state_title (shown[i]));

      gtk_widget_add_css_class (box, "kiosk-staff-count");
      if (shown[i] == KIOSK_REQUEST_REJECTED && counts[shown[i]] > 0)
        gtk_widget_add_css_class (box, "kiosk-staff-count-alert");
      gtk_widget_add_css_class (n, "kiosk-staff-count-number");
      gtk_box_append (GTK_BOX (box), n);
      gtk_box_append (GTK_BOX (box), label);
      gtk_accessible_update_property (GTK_ACCESSIBLE (box), GTK_ACCESSIBLE_PROPERTY_LABEL, a11y, -1);
      gtk_box_append (self->counts_box, box);
    }
}

static gboolean
refresh_idle_cb (gpointer user_data)
{
  KioskClerkPage *self = user_data;

  self->refresh_id = 0;
  kiosk_clerk_page_refresh (self);
  return G_SOURCE_REMOVE;
}

static void
request_changed_cb (KioskOutbox    *outbox,
                    KioskRequest   *request,
                    KioskClerkPage *self)
{
  if (self->refresh_id == 0)
    self->refresh_id = g_idle_add (refresh_idle_cb, self);
}

static void
show_scanned (KioskClerkPage *self,
              const char     *text,
              gboolean        error)
{
  gtk_label_set_text (self->scan_result_label, text);
  gtk_widget_set_visible (GTK_WIDGET (self->scan_result_label), TRUE);
  if (error)
    {
      gtk_widget_add_css_class (GTK_WIDGET (self->scan_result_label), "kiosk-staff-scan-error");
      gtk_widget_remove_css_class (GTK_WIDGET (self->scan_result_label), "kiosk-staff-scan-ok");
    }
  else
    {
      gtk_widget_add_css_class (GTK_WIDGET (self->scan_result_label), "kiosk-staff-scan-ok");
      gtk_widget_remove_css_class (GTK_WIDGET (self->scan_result_label), "kiosk-staff-scan-error");
    }
}

static void
update_scan_actions (KioskClerkPage *self)
{
  gboolean opened = self->scan != NULL && self->scan->payload != NULL;

  gtk_widget_set_visible (self->ask_button, self->counter && (opened || self->scanned != NULL));
  gtk_widget_set_visible (self->deliver_button, self->counter && opened && self->scanned == NULL);
  gtk_widget_set_visible (self->handled_button,
                          self->scanned != NULL && kiosk_clerk_can (self->scanned, KIOSK_CLERK_HANDLED));
  gtk_widget_set_visible (self->scan_actions,
                          gtk_widget_get_visible (self->ask_button) ||
                          gtk_widget_get_visible (self->deliver_button) ||
                          gtk_widget_get_visible (self->handled_button));
}

static char *
describe_payload (KioskClerkPage *self,
                  KioskPayload   *payload)
{
  KioskContext *context = get_context (self);
  g_autofree char *title = kiosk_staff_service_title (context, kiosk_payload_get_service_id (payload));
  g_autoptr(GDateTime) created = g_date_time_new_from_unix_local (kiosk_payload_get_created (payload) / G_USEC_PER_SEC);
  g_autofree char *when = g_date_time_format (created, "%d.%m.%Y %H:%M");
  GString *text = g_string_new (NULL);

  g_string_append_printf (text, _("Genuine receipt from kiosk %s, made %s."),
                          kiosk_payload_get_kiosk_id (payload), when);
  /* The service by its title, also for a receipt that carries only the
   * reference (the id is looked up in the catalogue like any other). */
  g_string_append_printf (text, "\n%s · %s", kiosk_payload_get_short_code (payload), title);
  if (kiosk_payload_is_demo (payload))
    g_string_append_printf (text, "\n%s", _("DEMO receipt: not a real request."));
  if (self->counter && kiosk_payload_get_answers (payload) != NULL)
    {
      /* The counter is where a clerk works on the request: the answers are
       * shown here, and only here. */
      GBytes *answers = kiosk_payload_get_answers (payload);
      g_autoptr(JsonParser) parser = json_parser_new ();

      g_string_append_printf (text, "\n\n%s", _("Answers:"));
      if (json_parser_load_from_data (parser, g_bytes_get_data (answers, NULL),
                                      (gssize) g_bytes_get_size (answers), NULL) &&
          JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
        {
          JsonObject *object = json_node_get_object (json_parser_get_root (parser));
          g_autoptr(GList) members = json_object_get_members (object);

          for (GList *l = members; l != NULL; l = l->next)
            {
              JsonNode *node = json_object_get_member (object, l->data);
              g_autofree char *value = NULL;

              if (JSON_NODE_HOLDS_ARRAY (node))
                {
                  g_autoptr(GString) joined = g_string_new (NULL);
                  JsonArray *array = json_node_get_array (node);

                  for (guint i = 0; i < json_array_get_length (array); i++)
                    {
                      g_autofree char *item = json_to_string (json_array_get_element (array, i), FALSE);
                      g_string_append_printf (joined, "%s%s", i > 0 ? ", " : "", item);
                    }
                  value = g_string_free (g_steal_pointer (&joined), FALSE);
                }
              else if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
                value = g_strdup (json_node_get_string (node));
              else
                value = json_to_string (node, FALSE);
              g_string_append_printf (text, "\n%s: %s", (const char *) l->data, value);
            }
        }
      else
        g_string_append_len (text, g_bytes_get_data (answers, NULL), (gssize) g_bytes_get_size (answers));
    }
  return g_string_free (text, FALSE);
}

static void
scan_activated_cb (GtkEntry       *entry,
                   KioskClerkPage *self)
{
  g_autofree char *text = g_strdup (gtk_editable_get_text (GTK_EDITABLE (entry)));

  kiosk_clerk_page_scan (self, text);
  gtk_editable_set_text (GTK_EDITABLE (entry), "");
  gtk_widget_grab_focus (GTK_WIDGET (entry));
}

static void
assist_clicked_cb (KioskClerkPage *self)
{
  kiosk_clerk_page_assist (self);
}

static void
handled_clicked_cb (KioskClerkPage *self)
{
  if (self->scanned != NULL)
    {
      g_autofree char *id = g_strdup (kiosk_request_get_id (self->scanned));

      act (self, id, KIOSK_CLERK_HANDLED, NULL);
      g_clear_object (&self->scanned);
      self->scanned = kiosk_outbox_get (kiosk_context_get_outbox (get_context (self)), id, NULL);
      update_scan_actions (self);
    }
}

static void
asked_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(KioskClerkPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *status = NULL;
  KioskBackendKnows knows;

  if (!kiosk_scan_ask_backend_finish (result, &knows, &status, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          /* Plain words for the counter; the technical ones go to the log. */
          g_autofree char *plain = kiosk_clerk_describe_connection_error (error);
          g_autofree char *text = g_strdup_printf (_("Could not ask the city's system: %s"), plain);

          g_info ("asking the city's system: %s", error->message);
          set_status (self, text, TRUE);
        }
      return;
    }
  if (knows == KIOSK_BACKEND_HAS_IT)
    {
      g_autofree char *text = g_strdup_printf (_("The city's system has this request (status: %s). "
                                                 "Nothing to deliver."), status != NULL ? status : "-");
      set_status (self, text, FALSE);
      gtk_widget_set_visible (self->deliver_button, FALSE);
    }
  else
    set_status (self, _("The city's system does not have this request yet. Deliver it from here."), FALSE);
}

static void
ask_clicked_cb (KioskClerkPage *self)
{
  const char *id = self->scanned != NULL ? kiosk_request_get_id (self->scanned) :
                   self->scan != NULL && self->scan->payload != NULL ? kiosk_payload_get_id (self->scan->payload) : NULL;

  if (id == NULL)
    return;
  kiosk_staff_session_audit (self->session, "ask backend", self->scan != NULL ? self->scan->short_code : NULL);
  set_status (self, _("Asking the city's system…"), FALSE);
  kiosk_scan_ask_backend_async (get_context (self), id, self->cancellable, asked_cb, g_object_ref (self));
}

static void
delivered_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(KioskClerkPage) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!kiosk_sync_run_once_finish (KIOSK_SYNC (object), result, &error) &&
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  kiosk_sync_stop (KIOSK_SYNC (object));
  if (self->scanned != NULL)
    {
      g_autoptr(KioskRequest) now = kiosk_outbox_get (kiosk_context_get_outbox (get_context (self)),
                                                      kiosk_request_get_id (self->scanned), NULL);
      if (now != NULL && kiosk_request_get_state (now) == KIOSK_REQUEST_DELIVERED)
        set_status (self, _("Delivered to the city."), FALSE);
      else
        {
          g_autofree char *plain = error != NULL ? kiosk_clerk_describe_connection_error (error)
                                   : kiosk_clerk_describe_delivery_trouble (now != NULL ? kiosk_request_get_last_error (now) : NULL);
          g_autofree char *text = g_strdup_printf (_("Not delivered yet; it stays queued here: %s"), plain);

          set_status (self, text, TRUE);
        }
      g_set_object (&self->scanned, now);
      update_scan_actions (self);
    }
  kiosk_clerk_page_refresh (self);
}

static void
deliver_clicked_cb (KioskClerkPage *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KioskRequest) request = NULL;
  g_autoptr(KioskSync) sync = NULL;

  if (self->scan == NULL)
    return;
  request = kiosk_scan_enqueue (get_context (self), self->scan, kiosk_staff_session_get_role_name (self->session), &error);
  if (request == NULL)
    {
      set_status (self, error->message, TRUE);
      return;
    }
  kiosk_staff_session_audit (self->session, "deliver from counter", kiosk_request_get_short_code (request));
  g_set_object (&self->scanned, request);
  set_status (self, _("Delivering…"), FALSE);
  sync = kiosk_sync_new (get_context (self));
  kiosk_sync_run_once_async (sync, self->cancellable, delivered_cb, g_object_ref (self));
}

static void
kiosk_clerk_page_dispose (GObject *object)
{
  KioskClerkPage *self = (KioskClerkPage *) object;

  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->refresh_id, g_source_remove);
  g_clear_object (&self->session);
  g_clear_object (&self->scanned);
  g_clear_pointer (&self->scan, kiosk_scan_free);
  g_clear_pointer (&self->keys, kiosk_keys_free);

  G_OBJECT_CLASS (kiosk_clerk_page_parent_class)->dispose (object);
}

static void
kiosk_clerk_page_finalize (GObject *object)
{
  KioskClerkPage *self = (KioskClerkPage *) object;

  g_clear_object (&self->cancellable);
  g_clear_object (&self->requests);
  G_OBJECT_CLASS (kiosk_clerk_page_parent_class)->finalize (object);
}

static void
kiosk_clerk_page_class_init (KioskClerkPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = kiosk_clerk_page_dispose;
  object_class->finalize = kiosk_clerk_page_finalize;

  /**
   * KioskClerkPage::assist:
   *
   * The clerk wants to fill in a request on a citizen's behalf: the window
   * starts a citizen session whose request is marked assisted.
   */
  signals[ASSIST] = g_signal_new ("assist", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                  NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class, "/de/hildesheim/Stadtkiosk/staff/kiosk-clerk-page.ui");
  gtk_widget_class_bind_template_child (widget_class, KioskClerkPage, counts_box);
  gtk_widget_class_bind_template_child (widget_class, KioskClerkPage, scan_entry);
  gtk_widget_class_bind_template_child (widget_class, KioskClerkPage, scan_result_label);
  gtk_widget_class_bind_template_child (widget_class, KioskClerkPage, scan_actions);
  gtk_widget_class_bind_template_child (widget_class, KioskClerkPage, ask_button);
  gtk_widget_class_bind_template_child (widget_class, KioskClerkPage, deliver_button);
  gtk_widget_class_bind_template_child (widget_class, KioskClerkPage, handled_button);
  gtk_widget_class_bind_template_child (widget_class, KioskClerkPage, assist_button);
  gtk_widget_class_bind_template_child (widget_class, KioskClerkPage, list);
  gtk_widget_class_bind_template_child (widget_class, KioskClerkPage, status_label);
  gtk_widget_class_bind_template_child (widget_class, KioskClerkPage, empty_label);
  gtk_widget_class_bind_template_child (widget_class, KioskClerkPage, more_label);
  gtk_widget_class_bind_template_callback (widget_class, scan_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, assist_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, handled_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, ask_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, deliver_clicked_cb);

  gtk_widget_class_install_action (widget_class, "clerk.retry-now", "s", retry_now_action);
  gtk_widget_class_install_action (widget_class, "clerk.requeue", "s", requeue_action);
  gtk_widget_class_install_action (widget_class, "clerk.handled", "s", handled_action);
  gtk_widget_class_install_action (widget_class, "clerk.reprint", "s", reprint_action);
  gtk_widget_class_install_action (widget_class, "clerk.cancel", "(ss)", cancel_action);
}

static void
kiosk_clerk_page_init (KioskClerkPage *self)
{
  self->cancellable = g_cancellable_new ();
  self->requests = g_list_store_new (KIOSK_TYPE_REQUEST);
  self->max_rows = default_max_rows;
  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_list_box_bind_model (self->list, G_LIST_MODEL (self->requests), create_row_cb, self, NULL);
}

GtkWidget *
kiosk_clerk_page_new (KioskStaffSession *session)
{
  KioskClerkPage *self;

  g_return_val_if_fail (KIOSK_IS_STAFF_SESSION (session), NULL);

  self = g_object_new (KIOSK_TYPE_CLERK_PAGE, NULL);
  self->session = g_object_ref (session);
  g_signal_connect_object (kiosk_context_get_outbox (get_context (self)), "request-changed",
                           G_CALLBACK (request_changed_cb), self, 0);
  kiosk_clerk_page_refresh (self);
  return GTK_WIDGET (self);
}

/**
 * kiosk_clerk_page_assist:
 *
 * "Assist a citizen": logged, then ::assist asks the window for a citizen
 * session whose request is marked assisted.
 */
void
kiosk_clerk_page_assist (KioskClerkPage *self)
{
  g_return_if_fail (KIOSK_IS_CLERK_PAGE (self));

  kiosk_staff_session_audit (self->session, "assist", NULL);
  g_signal_emit (self, signals[ASSIST], 0);
}

/**
 * kiosk_clerk_page_set_counter_mode:
 *
 * At the counter: no reprint, no assist; ask the backend, deliver from
 * here and mark handled instead.
 */
void
kiosk_clerk_page_set_counter_mode (KioskClerkPage *self,
                                   gboolean        counter)
{
  g_return_if_fail (KIOSK_IS_CLERK_PAGE (self));

  self->counter = counter;
  gtk_widget_set_visible (self->assist_button, !counter);
  update_scan_actions (self);
  kiosk_clerk_page_refresh (self);
}

/**
 * kiosk_clerk_page_set_keys:
 * @keys: (transfer full) (nullable): keys to open receipts with
 */
void
kiosk_clerk_page_set_keys (KioskClerkPage *self,
                           KioskKeys      *keys)
{
  g_return_if_fail (KIOSK_IS_CLERK_PAGE (self));

  g_clear_pointer (&self->keys, kiosk_keys_free);
  self->keys = keys;
}

static void
collect_cb (KioskRequest *request,
            gpointer      user_data)
{
  g_ptr_array_add (user_data, request);
}

static gboolean is_listed (KioskRequest *request);

static gboolean
has_id (GPtrArray  *rows,
        const char *id)
{
  for (guint i = 0; i < rows->len; i++)
    if (g_strcmp0 (kiosk_request_get_id (rows->pdata[i]), id) == 0)
      return TRUE;
  return FALSE;
}

static void
catalog_loaded_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(KioskClerkPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(KioskCatalog) catalog = kiosk_context_load_active_catalog_finish (KIOSK_CONTEXT (object), result, &error);

  self->catalog_loading = FALSE;
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || g_cancellable_is_cancelled (self->cancellable))
    return;
  /* A catalogue that cannot be read: the refresh reads it as before. */
  if (catalog == NULL)
    self->catalog_failed = TRUE;
  kiosk_clerk_page_refresh (self);
}

/* The catalogue for the rows' titles, if it can be had at once (the
 * context holds it, or it is small).  A large one the context does not hold
 * yet (the first open on a counter workstation with a federal-size
 * catalogue, which takes a second to validate) is loaded in a worker
 * thread, and the page is filled again when it is there: the first frame
 * does not wait for it. */
static KioskCatalog *
dup_catalog_for_refresh (KioskClerkPage *self)
{
  KioskContext *context = get_context (self);

  if (!catalog_in_thread || self->catalog_failed || kiosk_context_active_catalog_is_quick (context))
    return kiosk_context_dup_active_catalog (context, NULL);
  if (!self->catalog_loading)
    {
      self->catalog_loading = TRUE;
      kiosk_context_load_active_catalog_async (context, self->cancellable, catalog_loaded_cb, g_object_ref (self));
    }
  return NULL;
}

void
kiosk_clerk_page_refresh (KioskClerkPage *self)
{
  KioskOutbox *outbox;
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func (g_object_unref);
  guint counts[KIOSK_REQUEST_N_STATES] = { 0 };
  const KioskRequestState listed[] = { KIOSK_REQUEST_REJECTED, KIOSK_REQUEST_QUEUED, KIOSK_REQUEST_SENDING };
  guint n_listed = 0;

  g_return_if_fail (KIOSK_IS_CLERK_PAGE (self));

  outbox = kiosk_context_get_outbox (get_context (self));
  if (!kiosk_outbox_count_by_state (outbox, counts, NULL))
    memset (counts, 0, sizeof counts);
  update_counts (self, counts);

  /* Only the rows shown are read: the counts above say how many wait, and
   * reading all of them (2,000 at city scale) only to count them cost more
   * than the page itself. */
  for (guint s = 0; s < G_N_ELEMENTS (listed); s++)
    {
      n_listed += counts[listed[s]];
      if (rows->len < self->max_rows)
        kiosk_outbox_foreach_first (outbox, listed[s], self->max_rows - rows->len, collect_cb, rows, NULL);
    }
  /* A request found by its code beyond the cap is listed first, as it is
   * now (it may have been sent or cancelled meanwhile). */
  if (self->scanned != NULL && !has_id (rows, kiosk_request_get_id (self->scanned)))
    {
      g_autoptr(KioskRequest) pinned = kiosk_outbox_get (outbox, kiosk_request_get_id (self->scanned), NULL);

      if (pinned != NULL && is_listed (pinned))
        g_ptr_array_insert (rows, 0, g_steal_pointer (&pinned));
    }
  /* The counts and the rows are two reads: never a negative "more". */
  self->n_hidden = n_listed > rows->len ? n_listed - rows->len : 0;

  /* The catalogue is looked up once per refresh: create_row_cb() runs for
   * every new item while the store is spliced, and reads these. */
  self->refresh_catalog = dup_catalog_for_refresh (self);
  self->refresh_language = dup_staff_language ();
  self->refresh_now = kiosk_clock_get_now (kiosk_context_get_clock (get_context (self)));
  g_list_store_splice (self->requests, 0, g_list_model_get_n_items (G_LIST_MODEL (self->requests)),
                       rows->pdata, rows->len);
  g_clear_object (&self->refresh_catalog);
  g_clear_pointer (&self->refresh_language, g_free);

  gtk_widget_set_visible (GTK_WIDGET (self->empty_label), rows->len == 0);
  gtk_widget_set_visible (GTK_WIDGET (self->list), rows->len > 0);
  if (self->n_hidden > 0)
    {
      /* TRANSLATORS: below the list of requests on the clerk's screen when
       * there are too many to show; %u is how many are not listed.  The
       * scan field at the top finds any request by its short code. */
      g_autofree char *more = g_strdup_printf (_("%u more not shown — scan or type a code to find one."),
                                               self->n_hidden);
      gtk_label_set_text (self->more_label, more);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->more_label), self->n_hidden > 0);
}

/* Whether @request has a row on the page now. */
static gboolean
has_row (KioskClerkPage *self,
         KioskRequest   *request)
{
  GListModel *model = G_LIST_MODEL (self->requests);

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(KioskRequest) row = g_list_model_get_item (model, i);

      if (g_strcmp0 (kiosk_request_get_id (row), kiosk_request_get_id (request)) == 0)
        return TRUE;
    }
  return FALSE;
}

static gboolean
is_listed (KioskRequest *request)
{
  KioskRequestState state = kiosk_request_get_state (request);

  return state == KIOSK_REQUEST_REJECTED || state == KIOSK_REQUEST_QUEUED || state == KIOSK_REQUEST_SENDING;
}

/**
 * kiosk_clerk_page_scan:
 * @text: the QR text a scanner typed, or a short code
 *
 * Looks @text up and shows what it is.
 */
void
kiosk_clerk_page_scan (KioskClerkPage *self,
                       const char     *text)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *clean = NULL;
  KioskContext *context;

  g_return_if_fail (KIOSK_IS_CLERK_PAGE (self));

  context = get_context (self);
  kiosk_staff_session_poke (self->session);
  g_clear_object (&self->scanned);
  g_clear_pointer (&self->scan, kiosk_scan_free);
  set_status (self, "", FALSE);
  clean = g_strstrip (g_strdup (text));
  if (*clean == '\0')
    return;

  self->scan = kiosk_scan_lookup (context, self->keys, text, &error);
  if (self->scan == NULL)
    {
      g_autofree char *message = NULL;

      if (g_error_matches (error, KIOSK_PAYLOAD_ERROR, KIOSK_PAYLOAD_ERROR_TRUNCATED))
        message = g_strdup (_("The scan is incomplete. Scan the code again, holding the slip flat."));
      else if (g_error_matches (error, KIOSK_PAYLOAD_ERROR, KIOSK_PAYLOAD_ERROR_TAMPERED) ||
               g_error_matches (error, KIOSK_PAYLOAD_ERROR, KIOSK_PAYLOAD_ERROR_UNKNOWN_KIOSK))
        message = g_strdup_printf (_("This receipt is NOT genuine: %s"), error->message);
      else if (g_error_matches (error, KIOSK_OUTBOX_ERROR, KIOSK_OUTBOX_ERROR_NOT_FOUND))
        message = g_strdup (_("No request with this code on this kiosk."));
      else
        message = g_strdup_printf (_("Not a receipt code: %s"), error->message);
      kiosk_staff_session_audit (self->session, "scan", "refused");
      show_scanned (self, message, TRUE);
      update_scan_actions (self);
      return;
    }

  self->scanned = self->scan->request != NULL ? g_object_ref (self->scan->request) : NULL;
  kiosk_staff_session_audit (self->session, "scan", self->scan->short_code);
  if (self->scan->sealed_only)
    show_scanned (self, _("A Stadtkiosk receipt, sealed to the city's key: only a counter workstation can "
                          "open and check it. Type the short code printed on the slip to find it here."), FALSE);
  else if (self->scan->payload != NULL)
    {
      g_autofree char *text_shown = describe_payload (self, self->scan->payload);
      g_autofree char *problem = self->scanned != NULL ?
        kiosk_clerk_describe_problem (self->scanned, kiosk_clock_get_now (kiosk_context_get_clock (context))) :
        g_strdup (_("Not in this workstation's queue."));
      g_autofree char *full = g_strdup_printf ("%s\n\n%s", text_shown, problem);

      show_scanned (self, full, FALSE);
    }
  else
    {
      g_autofree char *description = kiosk_staff_describe_request (context, self->scanned);
      show_scanned (self, description, FALSE);
    }
  update_scan_actions (self);
  /* Found beyond the cap: list it first, with its actions. */
  if (self->scanned != NULL && self->n_hidden > 0 && is_listed (self->scanned) && !has_row (self, self->scanned))
    kiosk_clerk_page_refresh (self);
}

GtkWidget *
kiosk_clerk_page_get_scan_entry (KioskClerkPage *self)
{
  g_return_val_if_fail (KIOSK_IS_CLERK_PAGE (self), NULL);
  return GTK_WIDGET (self->scan_entry);
}

const char *
kiosk_clerk_page_get_scan_result (KioskClerkPage *self)
{
  g_return_val_if_fail (KIOSK_IS_CLERK_PAGE (self), NULL);
  return gtk_label_get_text (self->scan_result_label);
}

KioskRequest *
kiosk_clerk_page_get_scanned (KioskClerkPage *self)
{
  g_return_val_if_fail (KIOSK_IS_CLERK_PAGE (self), NULL);
  return self->scanned;
}

guint
kiosk_clerk_page_get_n_rows (KioskClerkPage *self)
{
  g_return_val_if_fail (KIOSK_IS_CLERK_PAGE (self), 0);
  return g_list_model_get_n_items (G_LIST_MODEL (self->requests));
}

/**
 * kiosk_clerk_page_get_n_hidden:
 *
 * How many requests that need a clerk have no row (beyond the cap).
 */
guint
kiosk_clerk_page_get_n_hidden (KioskClerkPage *self)
{
  g_return_val_if_fail (KIOSK_IS_CLERK_PAGE (self), 0);
  return self->n_hidden;
}

/* For the benchmark's baseline: FALSE reads a large catalogue before the
 * first frame, as before. */
void
_kiosk_clerk_page_set_catalog_in_thread (gboolean in_thread)
{
  catalog_in_thread = in_thread;
}

/* Whether the rows wait for the catalogue (they show service ids), for
 * tests and the benchmark. */
gboolean
_kiosk_clerk_page_get_titles_pending (KioskClerkPage *self)
{
  g_return_val_if_fail (KIOSK_IS_CLERK_PAGE (self), FALSE);
  return self->catalog_loading;
}

/* The line below the list, for tests. */
GtkWidget *
_kiosk_clerk_page_get_more_label (KioskClerkPage *self)
{
  g_return_val_if_fail (KIOSK_IS_CLERK_PAGE (self), NULL);
  return GTK_WIDGET (self->more_label);
}

/* For the benchmark's and the test's baseline: pages made from now on list
 * at most @max_rows rows (G_MAXUINT: all, as before #18). */
void
_kiosk_clerk_page_set_default_max_rows (guint max_rows)
{
  default_max_rows = max_rows;
}

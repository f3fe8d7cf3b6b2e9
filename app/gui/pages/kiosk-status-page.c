/* kiosk-status-page.c
 *
 * SPDX-FileCopyrightText: 2026 Stadtkiosk contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "stadtkiosk"

#include "config.h"

#include <glib/gi18n.h>

#include "kiosk-status-page.h"

#include "kiosk-field-row.h"

/* "Was ist aus meinem Anliegen geworden?": the citizen types the code of a
 * receipt, or holds the slip's QR code to the scanner (found by its digest,
 * kiosk-citizen-status.c), and sees the service, the day and where the
 * request stands — never its answers.  What is typed goes with the
 * session (the page is rebuilt for every citizen). */

struct _KioskStatusPage
{
  AdwBin            parent_instance;

  KioskOutbox      *outbox;
  KioskStatusGuard *guard;
  KioskCatalog     *catalog;
  char             *language;
  KioskCouchdbTarget *hub;          /* nullable: codes of other kiosks are asked here */
  KioskSubmissionTarget *api;      /* without a hub: the Submission API */
  GCancellable     *cancellable;    /* the lookup at the hub under way */
  gboolean          scanned;        /* the last lookup was a receipt's QR code */

  GtkWidget        *code_entry;
  GtkLabel         *message_label;
  GtkWidget        *lookup_box;
  GtkWidget        *scroller;
  GtkWidget        *result_box;
  GtkLabel         *service_label;
  GtkLabel         *date_label;
  GtkWidget        *steps_box;
  GtkLabel         *note_label;
};

G_DEFINE_FINAL_TYPE (KioskStatusPage, kiosk_status_page, ADW_TYPE_BIN)

static void
clear_box (GtkWidget *box)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (box)) != NULL)
    gtk_box_remove (GTK_BOX (box), child);
}

static void
add_step (KioskStatusPage *self,
          const char      *text,
          gboolean         reached,
          gboolean         current)
{
  GtkWidget *row = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *icon = gtk_image_new_from_icon_name (reached ? "emblem-ok-symbolic" : "content-loading-symbolic");
  GtkWidget *label = gtk_label_new (text);

  gtk_image_set_pixel_size (GTK_IMAGE (icon), 24);
  gtk_accessible_update_property (GTK_ACCESSIBLE (icon), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  reached ? _("done") : _("not yet"), -1);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_widget_add_css_class (row, "kiosk-status-step");
  if (reached)
    gtk_widget_add_css_class (row, "kiosk-reached");
  if (current)
    gtk_widget_add_css_class (row, "kiosk-current");
  gtk_box_append (GTK_BOX (row), icon);
  gtk_box_append (GTK_BOX (row), label);
  gtk_box_append (GTK_BOX (self->steps_box), row);
}

static void
show_status (KioskStatusPage          *self,
             const KioskCitizenStatus *status)
{
  static const char *steps[] = {
    N_("Saved here on the kiosk"),
    N_("Sent to the city"),
    N_("Received by the city"),
    N_("In progress"),
    N_("Done"),
  };
  KioskService *service = kiosk_catalog_lookup (self->catalog, status->service_id);
  g_autoptr(GDateTime) created = g_date_time_new_from_unix_local (status->created / G_USEC_PER_SEC);
  /* The date as the form and the receipt write it, in the page's language
   * from the language table (kiosk-language.c), not the process locale. */
  g_autofree char *day = g_date_time_format (created,
                                             kiosk_language_pgettext (self->language, "date format", "%d/%m/%Y"));
  /* A scan found at the hub without a code in its view shows no code. */
  g_autofree char *date = status->short_code != NULL && *status->short_code != '\0'
                          ? g_strdup_printf (_("Saved on %s with the code %s"), day, status->short_code)
                          : g_strdup_printf (_("Saved on %s"), day);

  gtk_label_set_text (self->service_label,
                      service != NULL ? kiosk_service_get_title (service, self->language) : status->service_id);
  gtk_label_set_text (self->date_label, date);
  clear_box (self->steps_box);
  if (status->step == KIOSK_CITIZEN_STEP_SEE_COUNTER)
    {
      add_step (self, _(steps[0]), TRUE, FALSE);
      add_step (self, _("It could not go on by itself. Please ask at the counter."), FALSE, TRUE);
    }
  else
    {
      for (guint i = 0; i < G_N_ELEMENTS (steps); i++)
        add_step (self, _(steps[i]), i <= (guint) status->step, i == (guint) status->step);
    }
  /* The city's note in the citizen's language (the hub sends several),
   * and when the kiosk heard from the city, in the page's date format. */
  {
    g_autofree char *note = kiosk_citizen_status_dup_note (status, self->language);
    g_autoptr(GString) text = g_string_new (NULL);

    if (note != NULL)
      g_string_append_printf (text, _("The city writes: %s"), note);
    if (status->city_updated > 0)
      {
        g_autoptr(GDateTime) updated = g_date_time_new_from_unix_local (status->city_updated / G_USEC_PER_SEC);
        g_autofree char *when = g_date_time_format (updated,
                                                    kiosk_language_pgettext (self->language, "date format", "%d/%m/%Y"));

        if (text->len > 0)
          g_string_append_c (text, '\n');
        g_string_append_printf (text, _("Last news from the city: %s"), when);
      }
    gtk_widget_set_visible (GTK_WIDGET (self->note_label), text->len > 0);
    gtk_label_set_text (self->note_label, text->str);
  }
  gtk_widget_set_visible (GTK_WIDGET (self->message_label), FALSE);
  gtk_widget_set_visible (self->result_box, TRUE);
  /* A scan leaves a wall of digits: show the code the slip prints instead. */
  if (self->scanned)
    gtk_editable_set_text (GTK_EDITABLE (self->code_entry), status->short_code != NULL ? status->short_code : "");
  /* The focus goes from the entry to the answer: while the entry has it the
   * on-screen keyboard covers the lower half of a 1280×800 screen, and the
   * answer with it.  The next scan or key brings the entry back
   * (key_pressed_cb). */
  gtk_widget_grab_focus (self->result_box);
}

/* The message appears below the entry, and with the on-screen keyboard up
 * at 1280×800 the page shows little more than the entry: keep both in
 * sight, or a wrong code got no visible answer at all.  Done again
 * whenever the visible height or the page's changes (the message laid out,
 * the keyboard opening), as the form page does for its fields. */
static void
reveal_lookup (KioskStatusPage *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkWidget *focus = root != NULL ? gtk_root_get_focus (root) : NULL;

  if (gtk_widget_get_visible (GTK_WIDGET (self->message_label)) &&
      focus != NULL && gtk_widget_is_ancestor (focus, self->lookup_box))
    kiosk_scroll_into_view (self->lookup_box);
}

static void
show_message (KioskStatusPage *self,
              const char      *text)
{
  gtk_widget_set_visible (self->result_box, FALSE);
  gtk_label_set_text (self->message_label, text);
  gtk_widget_set_visible (GTK_WIDGET (self->message_label), TRUE);
  reveal_lookup (self);
}

static void
show_error (KioskStatusPage *self,
            const GError    *error)
{
  g_autofree char *text = NULL;

  if (g_error_matches (error, KIOSK_CITIZEN_STATUS_ERROR, KIOSK_CITIZEN_STATUS_ERROR_SLOW_DOWN))
    {
      guint wait_s = kiosk_status_guard_get_wait (self->guard);

      text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                           "Please wait %u second, then try again.",
                                           "Please wait %u seconds, then try again.", wait_s),
                              wait_s);
    }
  else if (g_error_matches (error, KIOSK_CITIZEN_STATUS_ERROR, KIOSK_CITIZEN_STATUS_ERROR_UNREACHABLE))
    text = g_strdup (_("We could not ask the city's system right now. Please ask at the counter."));
  else if (g_error_matches (error, KIOSK_CITIZEN_STATUS_ERROR, KIOSK_CITIZEN_STATUS_ERROR_UNREADABLE_SCAN))
    text = g_strdup (_("The QR code could not be read completely. Please scan it again, "
                       "or type the code printed on your receipt."));
  else if (self->scanned &&
           g_error_matches (error, KIOSK_CITIZEN_STATUS_ERROR, KIOSK_CITIZEN_STATUS_ERROR_UNKNOWN))
    text = g_strdup (_("This receipt could not be found by its QR code. "
                       "Please type the code printed on your receipt, or ask at the counter."));
  else if ((self->hub != NULL || self->api != NULL) &&
           g_error_matches (error, KIOSK_CITIZEN_STATUS_ERROR, KIOSK_CITIZEN_STATUS_ERROR_UNKNOWN))
    text = g_strdup (_("This code is not known, neither here nor in the city's system. "
                       "Please check the code, or ask at the counter."));
  else if (g_error_matches (error, KIOSK_CITIZEN_STATUS_ERROR, KIOSK_CITIZEN_STATUS_ERROR_UNKNOWN))
    text = g_strdup (_("This code is not known on this kiosk. Was the receipt printed here? "
                       "Otherwise, please ask at the counter."));
  else
    text = g_strdup (_("This is not a receipt code. Please check the letters and digits, "
                       "for example HSK-K3FA-9Q2C."));
  show_message (self, text);
  /* The scanner's digits are of no use to type over: an empty entry. */
  if (self->scanned)
    gtk_editable_set_text (GTK_EDITABLE (self->code_entry), "");
}

static void
looked_up_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(KioskStatusPage) self = user_data;
  g_autoptr(KioskCitizenStatus) status = NULL;
  g_autoptr(GError) error = NULL;

  status = kiosk_citizen_status_lookup_finish (result, NULL, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;   /* a newer lookup, or the page went away */
  g_clear_object (&self->cancellable);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "status.look-up", TRUE);
  gtk_widget_remove_css_class (GTK_WIDGET (self->message_label), "kiosk-busy");
  gtk_widget_add_css_class (GTK_WIDGET (self->message_label), "kiosk-error");
  if (status == NULL)
    show_error (self, error);
  else
    show_status (self, status);
}

/**
 * kiosk_status_page_look_up:
 *
 * Looks up what is in the code entry and shows the answer.  Without a hub
 * or a Submission API the answer is there when this returns; with one, a
 * code this kiosk does not know is asked there and the page says "asking
 * the city" until the answer or the deadline (kiosk_status_page_is_busy()).
 */
void
kiosk_status_page_look_up (KioskStatusPage *self)
{
  g_autoptr(KioskCitizenStatus) status = NULL;
  g_autoptr(GError) error = NULL;
  const char *typed;

  g_return_if_fail (KIOSK_IS_STATUS_PAGE (self));

  typed = gtk_editable_get_text (GTK_EDITABLE (self->code_entry));
  if (self->hub != NULL || self->api != NULL)
    {
      if (self->cancellable != NULL)
        return;   /* one at a time: the button is off meanwhile */
      self->scanned = kiosk_citizen_status_is_scan (typed);
      self->cancellable = g_cancellable_new ();
      gtk_widget_action_set_enabled (GTK_WIDGET (self), "status.look-up", FALSE);
      gtk_widget_set_visible (self->result_box, FALSE);
      gtk_label_set_text (self->message_label, _("Asking the city's system …"));
      gtk_widget_remove_css_class (GTK_WIDGET (self->message_label), "kiosk-error");
      gtk_widget_add_css_class (GTK_WIDGET (self->message_label), "kiosk-busy");
      gtk_widget_set_visible (GTK_WIDGET (self->message_label), TRUE);
      reveal_lookup (self);
      kiosk_citizen_status_lookup_async (self->outbox, self->guard, self->hub, self->api, typed,
                                         KIOSK_CITIZEN_STATUS_HUB_DEADLINE_S, self->cancellable,
                                         looked_up_cb, g_object_ref (self));
      return;
    }
  self->scanned = kiosk_citizen_status_is_scan (typed);
  status = kiosk_citizen_status_lookup (self->outbox, self->guard, typed, &error);
  if (status == NULL)
    show_error (self, error);
  else
    show_status (self, status);
}

/**
 * kiosk_status_page_set_hub:
 * @hub: (nullable): the hub to ask for codes of other kiosks
 */
void
kiosk_status_page_set_hub (KioskStatusPage    *self,
                           KioskCouchdbTarget *hub)
{
  g_return_if_fail (KIOSK_IS_STATUS_PAGE (self));
  g_return_if_fail (hub == NULL || KIOSK_IS_COUCHDB_TARGET (hub));

  g_set_object (&self->hub, hub);
}

/**
 * kiosk_status_page_set_api:
 * @api: (nullable): the Submission API, asked for codes of other kiosks
 *   when there is no hub
 */
void
kiosk_status_page_set_api (KioskStatusPage       *self,
                           KioskSubmissionTarget *api)
{
  g_return_if_fail (KIOSK_IS_STATUS_PAGE (self));
  g_return_if_fail (api == NULL || KIOSK_IS_SUBMISSION_TARGET (api));

  g_set_object (&self->api, api);
}

/**
 * kiosk_status_page_is_busy:
 *
 * Returns: whether the page is waiting for the hub
 */
gboolean
kiosk_status_page_is_busy (KioskStatusPage *self)
{
  g_return_val_if_fail (KIOSK_IS_STATUS_PAGE (self), FALSE);
  return self->cancellable != NULL;
}

/**
 * kiosk_status_page_get_message:
 *
 * Returns: the message under the entry, "" when none is shown
 */
const char *
kiosk_status_page_get_message (KioskStatusPage *self)
{
  g_return_val_if_fail (KIOSK_IS_STATUS_PAGE (self), NULL);
  return gtk_widget_get_visible (GTK_WIDGET (self->message_label)) ? gtk_label_get_text (self->message_label) : "";
}

/* The citizen left the page (another page, start over, the idle wipe):
 * stop asking the hub, so that nothing waits for the deadline. */
static void
kiosk_status_page_unmap (GtkWidget *widget)
{
  KioskStatusPage *self = KIOSK_STATUS_PAGE (widget);

  if (self->cancellable != NULL)
    {
      g_cancellable_cancel (self->cancellable);
      g_clear_object (&self->cancellable);
      gtk_widget_action_set_enabled (GTK_WIDGET (self), "status.look-up", TRUE);
      gtk_widget_remove_css_class (GTK_WIDGET (self->message_label), "kiosk-busy");
      gtk_widget_add_css_class (GTK_WIDGET (self->message_label), "kiosk-error");
      gtk_widget_set_visible (GTK_WIDGET (self->message_label), FALSE);
    }
  GTK_WIDGET_CLASS (kiosk_status_page_parent_class)->unmap (widget);
}

static void
look_up_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  kiosk_status_page_look_up (KIOSK_STATUS_PAGE (widget));
}

static void
code_activated_cb (KioskStatusPage *self)
{
  kiosk_status_page_look_up (self);
}

/* A key typed while the answer has the focus (a scanner's digits, or a
 * keyboard) goes into the entry, in place of the code looked up. */
static gboolean
key_pressed_cb (GtkEventControllerKey *controller,
                guint                  keyval,
                guint                  keycode,
                GdkModifierType        state,
                KioskStatusPage       *self)
{
  GtkWidget *text = GTK_WIDGET (gtk_editable_get_delegate (GTK_EDITABLE (self->code_entry)));
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkWidget *focus = root != NULL ? gtk_root_get_focus (root) : NULL;

  if (focus == NULL || (focus != self->result_box && !gtk_widget_is_ancestor (focus, self->result_box)))
    return FALSE;
  if (gdk_keyval_to_unicode (keyval) == 0 || (state & (GDK_CONTROL_MASK | GDK_ALT_MASK)) != 0)
    return FALSE;
  gtk_widget_grab_focus (self->code_entry);
  gtk_editable_select_region (GTK_EDITABLE (self->code_entry), 0, -1);
  return gtk_event_controller_key_forward (GTK_EVENT_CONTROLLER_KEY (controller), text);
}

static void
kiosk_status_page_dispose (GObject *object)
{
  KioskStatusPage *self = KIOSK_STATUS_PAGE (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->hub);
  g_clear_object (&self->api);
  g_clear_object (&self->outbox);
  g_clear_object (&self->guard);
  g_clear_object (&self->catalog);
  G_OBJECT_CLASS (kiosk_status_page_parent_class)->dispose (object);
}

static void
kiosk_status_page_finalize (GObject *object)
{
  KioskStatusPage *self = KIOSK_STATUS_PAGE (object);

  g_free (self->language);
  G_OBJECT_CLASS (kiosk_status_page_parent_class)->finalize (object);
}

static void
kiosk_status_page_class_init (KioskStatusPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = kiosk_status_page_dispose;
  object_class->finalize = kiosk_status_page_finalize;
  widget_class->unmap = kiosk_status_page_unmap;

  gtk_widget_class_set_template_from_resource (widget_class, "/de/hildesheim/Stadtkiosk/pages/kiosk-status-page.ui");
  gtk_widget_class_bind_template_child (widget_class, KioskStatusPage, code_entry);
  gtk_widget_class_bind_template_child (widget_class, KioskStatusPage, message_label);
  gtk_widget_class_bind_template_child (widget_class, KioskStatusPage, lookup_box);
  gtk_widget_class_bind_template_child (widget_class, KioskStatusPage, scroller);
  gtk_widget_class_bind_template_child (widget_class, KioskStatusPage, result_box);
  gtk_widget_class_bind_template_child (widget_class, KioskStatusPage, service_label);
  gtk_widget_class_bind_template_child (widget_class, KioskStatusPage, date_label);
  gtk_widget_class_bind_template_child (widget_class, KioskStatusPage, steps_box);
  gtk_widget_class_bind_template_child (widget_class, KioskStatusPage, note_label);
  gtk_widget_class_install_action (widget_class, "status.look-up", NULL, look_up_action);
}

static void
kiosk_status_page_init (KioskStatusPage *self)
{
  GtkEventController *keys;

  gtk_widget_init_template (GTK_WIDGET (self));
  g_signal_connect_swapped (self->code_entry, "activate", G_CALLBACK (code_activated_cb), self);
  keys = gtk_event_controller_key_new ();
  g_signal_connect (keys, "key-pressed", G_CALLBACK (key_pressed_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), keys);
  g_signal_connect_object (gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (self->scroller)),
                           "changed", G_CALLBACK (reveal_lookup), self, G_CONNECT_SWAPPED);
}

GtkWidget *
kiosk_status_page_new (KioskOutbox      *outbox,
                       KioskStatusGuard *guard,
                       KioskCatalog     *catalog,
                       const char       *language)
{
  KioskStatusPage *self;

  g_return_val_if_fail (KIOSK_IS_OUTBOX (outbox), NULL);
  g_return_val_if_fail (KIOSK_IS_STATUS_GUARD (guard), NULL);
  g_return_val_if_fail (KIOSK_IS_CATALOG (catalog), NULL);

  self = g_object_new (KIOSK_TYPE_STATUS_PAGE, NULL);
  self->outbox = g_object_ref (outbox);
  self->guard = g_object_ref (guard);
  self->catalog = g_object_ref (catalog);
  self->language = g_strdup (language);
  return GTK_WIDGET (self);
}

GtkWidget *
kiosk_status_page_get_code_entry (KioskStatusPage *self)
{
  g_return_val_if_fail (KIOSK_IS_STATUS_PAGE (self), NULL);
  return self->code_entry;
}

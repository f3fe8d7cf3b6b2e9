/* kiosk-done-page.c
 *
 * SPDX-FileCopyrightText: 2026 Stadtkiosk contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "stadtkiosk"

#include "config.h"

#include <glib/gi18n.h>

#include "kiosk-done-page.h"
#include "kiosk-qr-view.h"

/* The end of a citizen's path: the short code in large type, the request's
 * state as it changes ("saved" → "sent"), the QR code and what the printer
 * did.  It is only shown once the outbox has committed the request. */

struct _KioskDonePage
{
  AdwBin        parent_instance;

  GtkLabel     *title_label;
  GtkWidget    *main_box;
  GtkWidget    *code_caption;
  GtkLabel     *code_label;
  GtkImage     *state_icon;
  GtkLabel     *state_label;
  GtkLabel     *next_steps_label;
  GtkLabel     *detail_label;
  GtkLabel     *print_label;
  KioskQrView  *qr_view;
  GtkWidget    *print_button;

  KioskOfflineMode mode;
  KioskSession    *session;
};

G_DEFINE_FINAL_TYPE (KioskDonePage, kiosk_done_page, ADW_TYPE_BIN)

/* What the printer did, in words: a refer slip or a request's receipt.
 * Without a receipt, "Keep the receipt" (or "Take the printed form to the
 * office") would tell the citizen to keep what they do not have: that line
 * gives way to "write down your code" (a refer page's line is its web
 * address and office hours, and stays). */
static void
print_status_changed_cb (KioskDonePage *self)
{
  KioskService *service = kiosk_session_get_service (self->session);
  gboolean refer = service != NULL && kiosk_service_get_offline_mode (service) == KIOSK_OFFLINE_REFER;
  KioskPrintStatus status = kiosk_session_get_print_status (self->session);
  gboolean no_paper = status == KIOSK_PRINT_STATUS_FAILED || status == KIOSK_PRINT_STATUS_NO_PRINTER ||
                      status == KIOSK_PRINT_STATUS_NO_RECEIPT;

  gtk_widget_set_visible (GTK_WIDGET (self->detail_label), refer || !no_paper);
  switch (status)
    {
    case KIOSK_PRINT_STATUS_PRINTING:
      kiosk_done_page_set_print_status (self, refer ? _("Printing…") : _("Your receipt is being printed…"), FALSE);
      break;
    case KIOSK_PRINT_STATUS_PRINTED:
      kiosk_done_page_set_print_status (self,
                                        refer ? _("Please take the slip from the printer.")
                                              : _("Please take your receipt from the printer."),
                                        FALSE);
      break;
    case KIOSK_PRINT_STATUS_FAILED:
      kiosk_done_page_set_print_status (self,
                                        refer
                                        ? _("The printer is not working right now. Please take a photo of the QR code or write down the web address.")
                                        : _("The printer is not working right now. Your request is saved all the same; please write down your code."),
                                        TRUE);
      break;
    case KIOSK_PRINT_STATUS_NO_PRINTER:
      kiosk_done_page_set_print_status (self,
                                        refer
                                        ? _("This kiosk has no printer. Please take a photo of the QR code or write down the web address.")
                                        : _("This kiosk has no printer. Please write down your code or take a photo of the QR code."),
                                        FALSE);
      break;
    case KIOSK_PRINT_STATUS_NO_RECEIPT:
      kiosk_done_page_set_print_status (self,
                                        _("The receipt cannot be printed right now. Your request is saved; please write down your code."),
                                        TRUE);
      break;
    case KIOSK_PRINT_STATUS_NONE:
    default:
      /* Another service was opened: its page starts without a message. */
      kiosk_done_page_set_print_status (self, NULL, FALSE);
      break;
    }
}

/* The outbox delivers the request in the background: the page follows. */
static void
request_changed_cb (KioskDonePage *self)
{
  KioskRequest *request = kiosk_session_get_request (self->session);

  if (request != NULL)
    kiosk_done_page_set_state (self, kiosk_request_get_state (request));
}

static void
kiosk_done_page_dispose (GObject *object)
{
  KioskDonePage *self = KIOSK_DONE_PAGE (object);

  g_clear_object (&self->session);

  G_OBJECT_CLASS (kiosk_done_page_parent_class)->dispose (object);
}

static void
kiosk_done_page_class_init (KioskDonePageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = kiosk_done_page_dispose;

  g_type_ensure (KIOSK_TYPE_QR_VIEW);
  gtk_widget_class_set_template_from_resource (widget_class, "/de/hildesheim/Stadtkiosk/pages/kiosk-done-page.ui");
  gtk_widget_class_bind_template_child (widget_class, KioskDonePage, title_label);
  gtk_widget_class_bind_template_child (widget_class, KioskDonePage, main_box);
  gtk_widget_class_bind_template_child (widget_class, KioskDonePage, code_caption);
  gtk_widget_class_bind_template_child (widget_class, KioskDonePage, code_label);
  gtk_widget_class_bind_template_child (widget_class, KioskDonePage, state_icon);
  gtk_widget_class_bind_template_child (widget_class, KioskDonePage, state_label);
  gtk_widget_class_bind_template_child (widget_class, KioskDonePage, next_steps_label);
  gtk_widget_class_bind_template_child (widget_class, KioskDonePage, detail_label);
  gtk_widget_class_bind_template_child (widget_class, KioskDonePage, print_label);
  gtk_widget_class_bind_template_child (widget_class, KioskDonePage, qr_view);
  gtk_widget_class_bind_template_child (widget_class, KioskDonePage, print_button);
}

static void
kiosk_done_page_init (KioskDonePage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_widget_set_visible (GTK_WIDGET (self->print_label), FALSE);
  gtk_widget_set_visible (self->print_button, FALSE);
}

/**
 * kiosk_done_page_new:
 * @session: the citizen's session, whose request and print status it shows
 */
GtkWidget *
kiosk_done_page_new (KioskSession *session)
{
  KioskDonePage *self;

  g_return_val_if_fail (KIOSK_IS_SESSION (session), NULL);

  self = g_object_new (KIOSK_TYPE_DONE_PAGE, NULL);
  self->session = g_object_ref (session);
  g_signal_connect_object (session, "notify::print-status",
                           G_CALLBACK (print_status_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (session, "notify::request",
                           G_CALLBACK (request_changed_cb), self, G_CONNECT_SWAPPED);
  return GTK_WIDGET (self);
}

void
kiosk_done_page_set_request (KioskDonePage *self,
                             KioskRequest  *request,
                             KioskService  *service,
                             const char    *qr_text)
{
  g_autofree char *accessible = NULL;

  g_return_if_fail (KIOSK_IS_DONE_PAGE (self));
  g_return_if_fail (KIOSK_IS_REQUEST (request));

  self->mode = kiosk_service_get_offline_mode (service);
  gtk_widget_set_visible (self->print_button, FALSE);
  gtk_label_set_text (self->title_label, _("Thank you! Your request is saved."));
  gtk_widget_set_visible (self->code_caption, TRUE);
  gtk_label_set_text (self->code_label, kiosk_request_get_short_code (request));
  /* Read out character by character, so that it can be written down. */
  accessible = g_strjoinv (" ", (char **) (const char * const[]) { _("Your code"), kiosk_request_get_short_code (request), NULL });
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->code_label),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, accessible, -1);
  kiosk_qr_view_set_text (self->qr_view, qr_text);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->qr_view),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("QR code with a copy of your request"), -1);

  if (self->mode == KIOSK_OFFLINE_PRINT)
    gtk_label_set_text (self->detail_label,
                        _("Take the printed form to the office. Keep the code: with it the city finds your request."));
  else
    gtk_label_set_text (self->detail_label,
                        _("Keep the receipt. With the code the city finds your request; the QR code on it is a copy of your request."));
  kiosk_done_page_set_state (self, kiosk_request_get_state (request));
}

void
kiosk_done_page_set_state (KioskDonePage     *self,
                           KioskRequestState  state)
{
  g_return_if_fail (KIOSK_IS_DONE_PAGE (self));

  switch (state)
    {
    case KIOSK_REQUEST_DELIVERED:
    case KIOSK_REQUEST_HANDLED:
      gtk_image_set_from_icon_name (self->state_icon, "emblem-ok-symbolic");
      gtk_label_set_text (self->state_label, _("Sent to the city."));
      break;
    case KIOSK_REQUEST_SENDING:
      gtk_image_set_from_icon_name (self->state_icon, "mail-send-symbolic");
      gtk_label_set_text (self->state_label, _("Saved on this kiosk. Sending it to the city now…"));
      break;
    case KIOSK_REQUEST_REJECTED:
      gtk_image_set_from_icon_name (self->state_icon, "dialog-information-symbolic");
      gtk_label_set_text (self->state_label,
                          _("Saved on this kiosk. The city needs a clerk to look at it; nothing is lost."));
      break;
    case KIOSK_REQUEST_QUEUED:
    case KIOSK_REQUEST_CANCELLED:
    case KIOSK_REQUEST_PURGED:
    case KIOSK_REQUEST_N_STATES:
    default:
      gtk_image_set_from_icon_name (self->state_icon, "document-save-symbolic");
      gtk_label_set_text (self->state_label,
                          _("Saved on this kiosk. It will be sent to the city as soon as there is a connection."));
      break;
    }
}

void
kiosk_done_page_set_refer (KioskDonePage *self,
                           KioskService  *service,
                           const char    *locale)
{
  const char *hours;
  const char *url;
  g_autofree char *detail = NULL;

  g_return_if_fail (KIOSK_IS_DONE_PAGE (self));

  kiosk_done_page_set_next_steps (self, NULL);

  self->mode = KIOSK_OFFLINE_REFER;
  url = kiosk_service_get_refer_url (service);
  hours = kiosk_service_get_office_hours (service, locale);
  gtk_label_set_text (self->title_label, kiosk_service_get_title (service, locale));
  gtk_widget_set_visible (self->code_caption, FALSE);
  gtk_label_set_text (self->code_label, "");
  gtk_image_set_from_icon_name (self->state_icon, "web-browser-symbolic");
  gtk_label_set_text (self->state_label,
                      _("This service is online. Scan the QR code with your phone, print it to take home, or visit the office."));
  if (hours != NULL && *hours != '\0')
    detail = g_strdup_printf ("%s\n%s", url != NULL ? url : "", hours);
  else
    detail = g_strdup (url != NULL ? url : "");
  gtk_label_set_text (self->detail_label, detail);
  /* On paper for those without a phone: kiosk.print-refer. */
  gtk_widget_set_visible (self->print_button, url != NULL && *url != '\0');
  kiosk_qr_view_set_text (self->qr_view, url);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->qr_view),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("QR code with the web address"), -1);
}

/**
 * kiosk_done_page_set_print_status:
 * @message: (nullable): what the printer did, %NULL to hide
 * @failed: whether it is a calm "could not print" message
 */
void
kiosk_done_page_set_print_status (KioskDonePage *self,
                                  const char    *message,
                                  gboolean       failed)
{
  g_return_if_fail (KIOSK_IS_DONE_PAGE (self));

  gtk_widget_set_visible (GTK_WIDGET (self->print_label), message != NULL);
  gtk_label_set_text (self->print_label, message != NULL ? message : "");
  if (failed)
    gtk_widget_add_css_class (GTK_WIDGET (self->print_label), "kiosk-notice");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->print_label), "kiosk-notice");
}

/**
 * kiosk_done_page_get_print_button:
 *
 * Returns: (transfer none): "Print this" of a refer service's end page
 */
GtkWidget *
kiosk_done_page_get_print_button (KioskDonePage *self)
{
  g_return_val_if_fail (KIOSK_IS_DONE_PAGE (self), NULL);
  return self->print_button;
}

const char *
kiosk_done_page_get_state_text (KioskDonePage *self)
{
  g_return_val_if_fail (KIOSK_IS_DONE_PAGE (self), NULL);
  return gtk_label_get_text (self->state_label);
}

const char *
kiosk_done_page_get_code (KioskDonePage *self)
{
  g_return_val_if_fail (KIOSK_IS_DONE_PAGE (self), NULL);
  return gtk_label_get_text (self->code_label);
}

const char *
kiosk_done_page_get_qr_text (KioskDonePage *self)
{
  g_return_val_if_fail (KIOSK_IS_DONE_PAGE (self), NULL);
  return kiosk_qr_view_get_text (self->qr_view);
}

/**
 * kiosk_done_page_get_print_status:
 *
 * Returns: (nullable): the printer message shown, %NULL if none
 */
const char *
kiosk_done_page_get_print_status (KioskDonePage *self)
{
  g_return_val_if_fail (KIOSK_IS_DONE_PAGE (self), NULL);

  if (!gtk_widget_get_visible (GTK_WIDGET (self->print_label)))
    return NULL;
  return gtk_label_get_text (self->print_label);
}

/**
 * kiosk_done_page_set_next_steps:
 * @text: (nullable): what happens next and when, from the catalogue
 *
 * Shows the service's next steps, or nothing when it has none.
 */
void
kiosk_done_page_set_next_steps (KioskDonePage *self,
                                const char    *text)
{
  g_return_if_fail (KIOSK_IS_DONE_PAGE (self));

  gtk_label_set_text (self->next_steps_label, text != NULL ? text : "");
  gtk_widget_set_visible (GTK_WIDGET (self->next_steps_label), text != NULL && *text != '\0');
}

const char *
kiosk_done_page_get_next_steps (KioskDonePage *self)
{
  g_return_val_if_fail (KIOSK_IS_DONE_PAGE (self), NULL);

  if (!gtk_widget_get_visible (GTK_WIDGET (self->next_steps_label)))
    return NULL;
  return gtk_label_get_text (self->next_steps_label);
}

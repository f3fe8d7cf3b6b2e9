/* kiosk-clerk-row.c
 *
 * SPDX-FileCopyrightText: 2026 Stadtkiosk contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "stadtkiosk-staff"

#include "config.h"

#include <glib/gi18n.h>

#include "kiosk-clerk-row.h"

/* One request in the clerk's queue: short code, service, state, age,
 * attempts, what went wrong in plain words, and the buttons that apply.
 * Never the citizen's answers.  The buttons activate the clerk page's
 * row actions (clerk.retry-now, clerk.requeue, clerk.reprint,
 * clerk.handled, clerk.cancel) with the request's id as their target. */

struct _KioskClerkRow
{
  GtkListBoxRow  parent_instance;

  KioskRequest  *request;

  GtkLabel      *code_label;
  GtkLabel      *title_label;
  GtkLabel      *meta_label;
  GtkLabel      *problem_label;
  GtkWidget     *retry_button;
  GtkWidget     *requeue_button;
  GtkWidget     *reprint_button;
  GtkWidget     *handled_button;
  GtkWidget     *cancel_button;
  GtkRevealer   *revealer;
  GtkEntry      *reason_entry;
  GtkWidget     *confirm_button;
};

G_DEFINE_FINAL_TYPE (KioskClerkRow, kiosk_clerk_row, GTK_TYPE_LIST_BOX_ROW)

static void
cancel_clicked_cb (KioskClerkRow *self)
{
  gtk_revealer_set_reveal_child (self->revealer, !gtk_revealer_get_reveal_child (self->revealer));
  if (gtk_revealer_get_reveal_child (self->revealer))
    gtk_widget_grab_focus (GTK_WIDGET (self->reason_entry));
}

/* The target needs the reason as typed, so the confirm button and the
 * entry's Enter activate clerk.cancel here. */
static void
cancel_confirmed_cb (KioskClerkRow *self)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "clerk.cancel", "(ss)",
                              kiosk_request_get_id (self->request),
                              gtk_editable_get_text (GTK_EDITABLE (self->reason_entry)));
}

/* Shows @button for @request, with an accessible name that says which.
 * The action is set here, with its target: a template action without a
 * target would not match the action's parameter type. */
static void
show_button (GtkWidget    *button,
             const char   *action,
             KioskRequest *request,
             const char   *accessible)
{
  g_assert (GTK_IS_BUTTON (button));

  gtk_actionable_set_action_target (GTK_ACTIONABLE (button), "s", kiosk_request_get_id (request));
  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), action);
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, accessible, -1);
  gtk_widget_set_visible (button, TRUE);
}

static void
kiosk_clerk_row_dispose (GObject *object)
{
  KioskClerkRow *self = KIOSK_CLERK_ROW (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), KIOSK_TYPE_CLERK_ROW);
  g_clear_object (&self->request);

  G_OBJECT_CLASS (kiosk_clerk_row_parent_class)->dispose (object);
}

static void
kiosk_clerk_row_class_init (KioskClerkRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = kiosk_clerk_row_dispose;

  gtk_widget_class_set_template_from_resource (widget_class, "/de/hildesheim/Stadtkiosk/staff/kiosk-clerk-row.ui");
  gtk_widget_class_bind_template_child (widget_class, KioskClerkRow, code_label);
  gtk_widget_class_bind_template_child (widget_class, KioskClerkRow, title_label);
  gtk_widget_class_bind_template_child (widget_class, KioskClerkRow, meta_label);
  gtk_widget_class_bind_template_child (widget_class, KioskClerkRow, problem_label);
  gtk_widget_class_bind_template_child (widget_class, KioskClerkRow, retry_button);
  gtk_widget_class_bind_template_child (widget_class, KioskClerkRow, requeue_button);
  gtk_widget_class_bind_template_child (widget_class, KioskClerkRow, reprint_button);
  gtk_widget_class_bind_template_child (widget_class, KioskClerkRow, handled_button);
  gtk_widget_class_bind_template_child (widget_class, KioskClerkRow, cancel_button);
  gtk_widget_class_bind_template_child (widget_class, KioskClerkRow, revealer);
  gtk_widget_class_bind_template_child (widget_class, KioskClerkRow, reason_entry);
  gtk_widget_class_bind_template_child (widget_class, KioskClerkRow, confirm_button);
  gtk_widget_class_bind_template_callback (widget_class, cancel_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, cancel_confirmed_cb);
}

static void
kiosk_clerk_row_init (KioskClerkRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

const char *
kiosk_clerk_row_state_title (KioskRequestState state)
{
  switch (state)
    {
    case KIOSK_REQUEST_QUEUED:
      return C_("request state", "Waiting");
    case KIOSK_REQUEST_SENDING:
      return C_("request state", "Sending");
    case KIOSK_REQUEST_DELIVERED:
      return C_("request state", "Delivered");
    case KIOSK_REQUEST_REJECTED:
      return C_("request state", "Refused");
    case KIOSK_REQUEST_CANCELLED:
      return C_("request state", "Cancelled");
    case KIOSK_REQUEST_HANDLED:
      return C_("request state", "Handled");
    case KIOSK_REQUEST_PURGED:
      return C_("request state", "Erased");
    case KIOSK_REQUEST_N_STATES:
    default:
      return "";
    }
}

/**
 * kiosk_clerk_row_new:
 * @service_title: the request's service, in the staff screen's language
 * @now: the time ages and next tries are counted from
 * @counter: at a counter workstation (Handled instead of Reprint)
 *
 * Returns: (transfer floating): the row for @request
 */
GtkWidget *
kiosk_clerk_row_new (KioskRequest *request,
                     const char   *service_title,
                     gint64        now,
                     gboolean      counter)
{
  KioskClerkRow *self;
  const char *code;
  KioskRequestState state;
  g_autofree char *age = NULL;
  g_autofree char *problem = NULL;
  g_autofree char *meta = NULL;
  g_autofree char *name = NULL;

  g_return_val_if_fail (KIOSK_IS_REQUEST (request), NULL);
  g_return_val_if_fail (service_title != NULL, NULL);

  self = g_object_new (KIOSK_TYPE_CLERK_ROW, NULL);
  self->request = g_object_ref (request);
  code = kiosk_request_get_short_code (request);
  state = kiosk_request_get_state (request);
  age = kiosk_clerk_format_ago (now - kiosk_request_get_created (request));
  problem = kiosk_clerk_describe_problem (request, now);
  meta = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s · %s · %u attempt",
                                       "%s · %s · %u attempts", kiosk_request_get_attempts (request)),
                          kiosk_clerk_row_state_title (state), age, kiosk_request_get_attempts (request));
  name = g_strdup_printf (_("Request %s, %s"), code, service_title);

  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL, name, -1);
  if (state == KIOSK_REQUEST_REJECTED)
    gtk_widget_add_css_class (GTK_WIDGET (self), "kiosk-staff-row-rejected");
  gtk_label_set_text (self->code_label, code);
  gtk_label_set_text (self->title_label, service_title);
  gtk_label_set_text (self->meta_label, meta);
  gtk_label_set_text (self->problem_label, problem);

  if (kiosk_clerk_can (request, KIOSK_CLERK_RETRY_NOW))
    {
      g_autofree char *a11y = g_strdup_printf (_("Retry %s now"), code);
      show_button (self->retry_button, "clerk.retry-now", request, a11y);
    }
  if (kiosk_clerk_can (request, KIOSK_CLERK_REQUEUE))
    {
      g_autofree char *a11y = g_strdup_printf (_("Put %s back in the queue"), code);
      show_button (self->requeue_button, "clerk.requeue", request, a11y);
    }
  if (!counter)
    {
      g_autofree char *a11y = g_strdup_printf (_("Print the receipt of %s again"), code);
      show_button (self->reprint_button, "clerk.reprint", request, a11y);
    }
  if (counter && kiosk_clerk_can (request, KIOSK_CLERK_HANDLED))
    {
      g_autofree char *a11y = g_strdup_printf (_("Mark %s as handled"), code);
      show_button (self->handled_button, "clerk.handled", request, a11y);
    }
  if (kiosk_clerk_can (request, KIOSK_CLERK_CANCEL))
    {
      g_autofree char *a11y = g_strdup_printf (_("Cancel %s"), code);
      g_autofree char *entry_name = g_strdup_printf (_("Why %s is cancelled"), code);
      g_autofree char *confirm_name = g_strdup_printf (_("Cancel %s with this reason"), code);

      gtk_accessible_update_property (GTK_ACCESSIBLE (self->cancel_button), GTK_ACCESSIBLE_PROPERTY_LABEL, a11y, -1);
      gtk_widget_set_visible (self->cancel_button, TRUE);
      gtk_accessible_update_property (GTK_ACCESSIBLE (self->reason_entry), GTK_ACCESSIBLE_PROPERTY_LABEL, entry_name, -1);
      gtk_accessible_update_property (GTK_ACCESSIBLE (self->confirm_button), GTK_ACCESSIBLE_PROPERTY_LABEL, confirm_name, -1);
    }

  return GTK_WIDGET (self);
}

KioskRequest *
kiosk_clerk_row_get_request (KioskClerkRow *self)
{
  g_return_val_if_fail (KIOSK_IS_CLERK_ROW (self), NULL);
  return self->request;
}

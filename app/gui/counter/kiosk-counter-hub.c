/* kiosk-counter-hub.c
 *
 * SPDX-FileCopyrightText: 2026 Stadtkiosk contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "stadtkiosk-counter"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "kiosk-counter-hub.h"
#include "kiosk-inbox-page.h"

/**
 * kiosk_counter_hub_attach:
 * @content: the counter window's content (receipts and queue files); it
 *   must be a child of a vertical #GtkBox
 *
 * With [couchdb] url set, puts @content and the hub inbox side by side as
 * two views of an #AdwViewStack, the inbox first, with a switcher above
 * them.  The inbox logs in as [couchdb] user (a city user at a counter)
 * and opens sealed requests with the city's key ([keys]).
 *
 * Returns: (transfer none) (nullable): the inbox page, or %NULL when no
 *   hub is configured
 */
GtkWidget *
kiosk_counter_hub_attach (GtkWidget    *content,
                          KioskContext *context)
{
  KioskConfig *config = kiosk_context_get_config (context);
  g_autoptr(GError) error = NULL;
  g_autoptr(KioskHubInbox) inbox = NULL;
  g_autoptr(GtkWidget) keep = NULL;
  GtkWidget *parent = gtk_widget_get_parent (content);
  GtkWidget *page = NULL;
  GtkWidget *stack;
  GtkWidget *switcher;
  AdwViewStackPage *view;

  g_return_val_if_fail (GTK_IS_BOX (parent), NULL);

  if (*kiosk_config_get_couchdb_url (config) == '\0')
    return NULL;

  stack = adw_view_stack_new ();
  gtk_widget_set_vexpand (stack, TRUE);
  inbox = kiosk_hub_inbox_new (config, NULL, NULL, NULL, &error);
  if (inbox != NULL)
    {
      g_autoptr(GError) keys_error = NULL;
      KioskKeys *keys = kiosk_keys_load_for_counter (config, NULL, NULL, &keys_error);

      /* Without a key the inbox still lists and answers; a sealed request
       * says why it cannot be opened. */
      if (keys == NULL)
        g_debug ("hub inbox without a city key: %s", keys_error->message);
      page = kiosk_inbox_page_new (context, inbox, keys);
      view = adw_view_stack_add_titled (ADW_VIEW_STACK (stack), page, "inbox", _("Hub inbox"));
    }
  else
    {
      g_autofree char *text = g_strdup_printf (_("The hub inbox cannot be used: %s"), error->message);
      GtkWidget *label = gtk_label_new (text);

      gtk_label_set_wrap (GTK_LABEL (label), TRUE);
      gtk_widget_add_css_class (label, "error");
      view = adw_view_stack_add_titled (ADW_VIEW_STACK (stack), label, "inbox", _("Hub inbox"));
    }
  adw_view_stack_page_set_icon_name (view, "mail-unread-symbolic");

  keep = g_object_ref (content);
  gtk_box_remove (GTK_BOX (parent), content);
  view = adw_view_stack_add_titled (ADW_VIEW_STACK (stack), content, "receipts", _("Receipts and queue files"));
  adw_view_stack_page_set_icon_name (view, "document-open-symbolic");

  switcher = adw_view_switcher_new ();
  adw_view_switcher_set_stack (ADW_VIEW_SWITCHER (switcher), ADW_VIEW_STACK (stack));
  adw_view_switcher_set_policy (ADW_VIEW_SWITCHER (switcher), ADW_VIEW_SWITCHER_POLICY_WIDE);
  gtk_widget_set_size_request (switcher, -1, 56);
  gtk_widget_set_margin_top (switcher, 8);
  gtk_widget_set_margin_bottom (switcher, 4);
  gtk_widget_set_halign (switcher, GTK_ALIGN_CENTER);
  gtk_box_append (GTK_BOX (parent), switcher);
  gtk_box_append (GTK_BOX (parent), stack);

  if (page != NULL)
    kiosk_inbox_page_refresh (KIOSK_INBOX_PAGE (page));
  return page;
}

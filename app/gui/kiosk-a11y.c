/* kiosk-a11y.c
 *
 * SPDX-FileCopyrightText: 2026 Stadtkiosk contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "stadtkiosk"

#include "config.h"

#include "kiosk-a11y.h"

/* GTK 4.8 leaves widgets that are only "child-invisible" in the
 * accessibility tree (gtk_accessible_should_present() looks at
 * gtk_widget_get_visible() and the hidden state): the pages a GtkStack is
 * not showing and the on-screen keyboard while its GtkRevealer is closed.
 * A screen reader would read them as if they were on screen.  These mark
 * them hidden while they are. */

static void
update_stack (GtkStack *stack)
{
  GtkWidget *visible = gtk_stack_get_visible_child (stack);

  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (stack));
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    gtk_accessible_update_state (GTK_ACCESSIBLE (child), GTK_ACCESSIBLE_STATE_HIDDEN, child != visible, -1);
}

static void
stack_changed_cb (GtkStack *stack)
{
  update_stack (stack);
}

/**
 * kiosk_a11y_track_stack:
 *
 * Keeps every page of @stack but the visible one out of the
 * accessibility tree.
 */
void
kiosk_a11y_track_stack (GtkStack *stack)
{
  g_autoptr(GtkSelectionModel) pages = NULL;

  g_return_if_fail (GTK_IS_STACK (stack));

  g_signal_connect (stack, "notify::visible-child", G_CALLBACK (stack_changed_cb), NULL);
  pages = gtk_stack_get_pages (stack);
  g_signal_connect_object (pages, "items-changed", G_CALLBACK (stack_changed_cb), stack, G_CONNECT_SWAPPED);
  update_stack (stack);
}

static void
revealer_changed_cb (GtkRevealer *revealer)
{
  GtkWidget *child = gtk_revealer_get_child (revealer);

  if (child != NULL)
    gtk_accessible_update_state (GTK_ACCESSIBLE (child), GTK_ACCESSIBLE_STATE_HIDDEN,
                                 !gtk_revealer_get_reveal_child (revealer), -1);
}

/**
 * kiosk_a11y_track_revealer:
 *
 * Keeps @revealer's child out of the accessibility tree while it is
 * closed (or closing).
 */
void
kiosk_a11y_track_revealer (GtkRevealer *revealer)
{
  g_return_if_fail (GTK_IS_REVEALER (revealer));

  g_signal_connect (revealer, "notify::reveal-child", G_CALLBACK (revealer_changed_cb), NULL);
  revealer_changed_cb (revealer);
}

/* kiosk-staff-screen.c
 *
 * SPDX-FileCopyrightText: 2026 Stadtkiosk contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "stadtkiosk-staff"

#include "config.h"

#include <glib/gi18n.h>

#include "kiosk-admin-page.h"
#include "kiosk-clerk-page.h"
#include "kiosk-pin-pad.h"
#include "kiosk-staff-screen.h"

/* What the hidden gesture opens on a kiosk: the PIN pad, then the clerk's
 * queue (and, for an admin, the admin screen beside it).  It ends on "log
 * out", on idle, or on "cancel" at the PIN pad; then ::closed tells the
 * window to go back to the citizen's welcome page. */

struct _KioskStaffScreen
{
  AdwBin             parent_instance;

  KioskContext      *context;
  KioskStaffSession *session;
  GtkWidget         *pin_pad;
  GtkWidget         *clerk_page;
  GtkWidget         *admin_page;

  GtkStack          *stack;
  AdwViewStack      *views;
  AdwViewSwitcher   *switcher;
  GtkLabel          *role_label;
  GtkLabel          *remaining_label;
};

enum {
  CLOSED,
  ASSIST,
  N_SIGNALS,
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (KioskStaffScreen, kiosk_staff_screen, ADW_TYPE_BIN)

void
kiosk_staff_load_css (void)
{
  static gboolean loaded;
  g_autoptr(GtkCssProvider) css = NULL;

  if (loaded || gdk_display_get_default () == NULL)
    return;
  loaded = TRUE;
  css = gtk_css_provider_new ();
  gtk_css_provider_load_from_resource (css, "/de/hildesheim/Stadtkiosk/staff/staff.css");
  gtk_style_context_add_provider_for_display (gdk_display_get_default (), GTK_STYLE_PROVIDER (css),
                                              GTK_STYLE_PROVIDER_PRIORITY_APPLICATION + 1);
}

static void
remaining_changed_cb (KioskStaffScreen *self)
{
  guint left = kiosk_staff_session_get_remaining (self->session);
  g_autofree char *text = g_strdup_printf (_("Logs out in %u:%02u"), left / 60, left % 60);

  gtk_label_set_text (self->remaining_label, text);
}

static void
unlocked_cb (KioskStaffScreen *self,
             int               role)
{
  kiosk_staff_session_begin (self->session, role);
  gtk_label_set_text (self->role_label, role == KIOSK_ROLE_ADMIN ? _("Admin") : _("Clerk"));
  gtk_widget_set_visible (GTK_WIDGET (self->switcher), role == KIOSK_ROLE_ADMIN);
  adw_view_stack_page_set_visible (adw_view_stack_get_page (self->views, self->admin_page),
                                   role == KIOSK_ROLE_ADMIN);
  adw_view_stack_set_visible_child (self->views, self->clerk_page);
  kiosk_clerk_page_refresh (KIOSK_CLERK_PAGE (self->clerk_page));
  if (role == KIOSK_ROLE_ADMIN)
    kiosk_admin_page_refresh (KIOSK_ADMIN_PAGE (self->admin_page));
  gtk_stack_set_visible_child_name (self->stack, "staff");
  remaining_changed_cb (self);
  gtk_widget_grab_focus (kiosk_clerk_page_get_scan_entry (KIOSK_CLERK_PAGE (self->clerk_page)));
}

static void
cancelled_cb (KioskStaffScreen *self)
{
  g_signal_emit (self, signals[CLOSED], 0);
}

static void
session_ended_cb (KioskStaffScreen *self,
                  const char       *why)
{
  kiosk_pin_pad_reset (KIOSK_PIN_PAD (self->pin_pad));
  gtk_stack_set_visible_child_name (self->stack, "pin");
  g_signal_emit (self, signals[CLOSED], 0);
}

static void
logout_clicked_cb (KioskStaffScreen *self)
{
  kiosk_staff_session_end (self->session, "logout");
}

static void
assist_cb (KioskStaffScreen *self)
{
  g_signal_emit (self, signals[ASSIST], 0);
}

static void
kiosk_staff_screen_dispose (GObject *object)
{
  KioskStaffScreen *self = (KioskStaffScreen *) object;

  if (self->session != NULL)
    {
      /* Ends quietly: the widgets are going. */
      g_signal_handlers_disconnect_by_data (self->session, self);
      kiosk_staff_session_end (self->session, "closed");
    }
  g_clear_object (&self->session);
  g_clear_object (&self->context);

  G_OBJECT_CLASS (kiosk_staff_screen_parent_class)->dispose (object);
}

static void
kiosk_staff_screen_class_init (KioskStaffScreenClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = kiosk_staff_screen_dispose;

  /**
   * KioskStaffScreen::closed:
   *
   * Staff mode is over (log out, idle, or cancelled at the PIN pad): show
   * the citizen's welcome page.
   */
  signals[CLOSED] = g_signal_new ("closed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                  NULL, NULL, NULL, G_TYPE_NONE, 0);
  /**
   * KioskStaffScreen::assist:
   *
   * Start a citizen session whose request is marked
   * %KIOSK_REQUEST_FLAG_ASSISTED.
   */
  signals[ASSIST] = g_signal_new ("assist", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                  NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class, "/de/hildesheim/Stadtkiosk/staff/kiosk-staff-screen.ui");
  gtk_widget_class_bind_template_child (widget_class, KioskStaffScreen, stack);
  gtk_widget_class_bind_template_child (widget_class, KioskStaffScreen, views);
  gtk_widget_class_bind_template_child (widget_class, KioskStaffScreen, switcher);
  gtk_widget_class_bind_template_child (widget_class, KioskStaffScreen, role_label);
  gtk_widget_class_bind_template_child (widget_class, KioskStaffScreen, remaining_label);
  gtk_widget_class_bind_template_callback (widget_class, logout_clicked_cb);
}

static void
kiosk_staff_screen_init (KioskStaffScreen *self)
{
  kiosk_staff_load_css ();
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
kiosk_staff_screen_new (KioskContext *context)
{
  KioskStaffScreen *self;
  AdwViewStackPage *page;

  g_return_val_if_fail (KIOSK_IS_CONTEXT (context), NULL);

  self = g_object_new (KIOSK_TYPE_STAFF_SCREEN, NULL);
  self->context = g_object_ref (context);
  self->session = kiosk_staff_session_new (context);
  kiosk_staff_session_attach (self->session, GTK_WIDGET (self));
  g_signal_connect_object (self->session, "ended", G_CALLBACK (session_ended_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->session, "notify::remaining", G_CALLBACK (remaining_changed_cb), self,
                           G_CONNECT_SWAPPED);

  self->pin_pad = kiosk_pin_pad_new (context);
  g_signal_connect_object (self->pin_pad, "unlocked", G_CALLBACK (unlocked_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->pin_pad, "cancelled", G_CALLBACK (cancelled_cb), self, G_CONNECT_SWAPPED);
  gtk_stack_add_named (self->stack, self->pin_pad, "pin");

  self->clerk_page = kiosk_clerk_page_new (self->session);
  g_signal_connect_object (self->clerk_page, "assist", G_CALLBACK (assist_cb), self, G_CONNECT_SWAPPED);
  page = adw_view_stack_add_titled (self->views, self->clerk_page, "queue", _("Queue"));
  adw_view_stack_page_set_icon_name (page, "view-list-symbolic");
  self->admin_page = kiosk_admin_page_new (self->session);
  page = adw_view_stack_add_titled (self->views, self->admin_page, "admin", _("Administration"));
  adw_view_stack_page_set_icon_name (page, "emblem-system-symbolic");

  gtk_stack_set_visible_child_name (self->stack, "pin");
  return GTK_WIDGET (self);
}

KioskStaffSession *
kiosk_staff_screen_get_session (KioskStaffScreen *self)
{
  g_return_val_if_fail (KIOSK_IS_STAFF_SCREEN (self), NULL);
  return self->session;
}

GtkWidget *
kiosk_staff_screen_get_pin_pad (KioskStaffScreen *self)
{
  g_return_val_if_fail (KIOSK_IS_STAFF_SCREEN (self), NULL);
  return self->pin_pad;
}

GtkWidget *
kiosk_staff_screen_get_clerk_page (KioskStaffScreen *self)
{
  g_return_val_if_fail (KIOSK_IS_STAFF_SCREEN (self), NULL);
  return self->clerk_page;
}

GtkWidget *
kiosk_staff_screen_get_admin_page (KioskStaffScreen *self)
{
  g_return_val_if_fail (KIOSK_IS_STAFF_SCREEN (self), NULL);
  return self->admin_page;
}

/**
 * kiosk_staff_screen_get_visible:
 *
 * Returns: "pin", "queue" or "admin"
 */
const char *
kiosk_staff_screen_get_visible (KioskStaffScreen *self)
{
  g_return_val_if_fail (KIOSK_IS_STAFF_SCREEN (self), NULL);

  if (g_strcmp0 (gtk_stack_get_visible_child_name (self->stack), "pin") == 0)
    return "pin";
  return adw_view_stack_get_visible_child_name (self->views);
}

void
kiosk_staff_screen_show_admin (KioskStaffScreen *self)
{
  g_return_if_fail (KIOSK_IS_STAFF_SCREEN (self));

  if (kiosk_staff_session_get_role (self->session) == KIOSK_ROLE_ADMIN)
    adw_view_stack_set_visible_child (self->views, self->admin_page);
}

/**
 * kiosk_staff_screen_lock:
 *
 * Ends the staff session (if any) and shows the PIN pad again.
 */
void
kiosk_staff_screen_lock (KioskStaffScreen *self)
{
  g_return_if_fail (KIOSK_IS_STAFF_SCREEN (self));

  if (kiosk_staff_session_get_role (self->session) != KIOSK_ROLE_NONE)
    {
      /* ::ended resets the pad and emits ::closed, after which the window
       * may already have dropped this screen: touch nothing here. */
      kiosk_staff_session_end (self->session, "logout");
      return;
    }
  kiosk_pin_pad_reset (KIOSK_PIN_PAD (self->pin_pad));
  gtk_stack_set_visible_child_name (self->stack, "pin");
}

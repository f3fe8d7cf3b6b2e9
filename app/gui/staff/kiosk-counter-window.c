/* kiosk-counter-window.c
 *
 * SPDX-FileCopyrightText: 2026 Stadtkiosk contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "stadtkiosk-staff"

#include "config.h"

#include <glib/gi18n.h>

#include "kiosk-admin-page.h"
#include "kiosk-clerk-page.h"
#include "kiosk-counter-hub.h"
#include "kiosk-counter-window.h"
#include "kiosk-staff-screen.h"

/* `stadtkiosk --counter`: a normal window on a clerk's workstation that
 * holds the city's secret key.  Scan a receipt (or type its short code),
 * see the request, ask the backend whether it has it, deliver it from here
 * if not, mark it handled; and import a queue file from a kiosk.  The
 * desktop session guards the workstation, so there is no PIN and no idle
 * logout here; every action is still in the audit log. */

struct _KioskCounterWindow
{
  AdwApplicationWindow  parent_instance;

  KioskContext         *context;
  KioskStaffSession    *session;
  KioskKeys            *keys;
  GtkWidget            *clerk_page;
  GtkWidget            *inbox_page;      /* [couchdb] url set: the hub inbox (#13) */
  GCancellable         *cancellable;

  GtkBox               *content_box;
  GtkLabel             *keys_banner;
  GtkEntry             *import_entry;
  GtkListBox           *import_list;
  GtkLabel             *import_status;
};

G_DEFINE_FINAL_TYPE (KioskCounterWindow, kiosk_counter_window, ADW_TYPE_APPLICATION_WINDOW)

static void
set_status (KioskCounterWindow *self,
            const char         *text,
            gboolean            error)
{
  gtk_label_set_text (self->import_status, text);
  if (error)
    gtk_widget_add_css_class (GTK_WIDGET (self->import_status), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->import_status), "error");
}

static void
delivered_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(KioskCounterWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  guint counts[KIOSK_REQUEST_N_STATES] = { 0 };
  g_autofree char *text = NULL;

  kiosk_sync_run_once_finish (KIOSK_SYNC (object), result, &error);
  kiosk_sync_stop (KIOSK_SYNC (object));
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  kiosk_outbox_count_by_state (kiosk_context_get_outbox (self->context), counts, NULL);
  if (error != NULL)
    text = g_strdup_printf (_("%s Not delivered yet (%s); they stay queued and are sent when the "
                              "city's system answers."), gtk_label_get_text (self->import_status), error->message);
  else
    text = g_strdup_printf (_("%s Sent. Still waiting here: %u."), gtk_label_get_text (self->import_status),
                            counts[KIOSK_REQUEST_QUEUED]);
  set_status (self, text, error != NULL);
  kiosk_clerk_page_refresh (KIOSK_CLERK_PAGE (self->clerk_page));
}

/**
 * kiosk_counter_window_import:
 *
 * Verifies and queues a kiosk's queue file, then delivers in the
 * background.  The result shows in the window.
 */
gboolean
kiosk_counter_window_import (KioskCounterWindow  *self,
                             const char          *path,
                             GError             **error)
{
  g_autoptr(KioskQueueImport) import = NULL;
  g_autoptr(KioskSync) sync = NULL;
  g_autofree char *detail = NULL;
  g_autofree char *text = NULL;

  g_return_val_if_fail (KIOSK_IS_COUNTER_WINDOW (self), FALSE);

  if (self->keys == NULL)
    {
      g_set_error (error, KIOSK_KEYS_ERROR, KIOSK_KEYS_ERROR_MISSING,
                   "this workstation has no city key and no trusted kiosks: see [keys] in the configuration");
      return FALSE;
    }
  import = kiosk_queue_import (self->context, self->keys, path, error);
  if (import == NULL)
    return FALSE;
  detail = g_strdup_printf ("%s from kiosk %s: %u added, %u already here", path, import->kiosk_id,
                            import->added, import->already);
  kiosk_staff_session_audit (self->session, "queue import", detail);
  text = g_strdup_printf (_("%u requests from kiosk %s: %u new, %u imported before."),
                          import->n_requests, import->kiosk_id, import->added, import->already);
  set_status (self, text, FALSE);
  kiosk_clerk_page_refresh (KIOSK_CLERK_PAGE (self->clerk_page));

  if (import->added > 0)
    {
      sync = kiosk_sync_new (self->context);
      kiosk_sync_run_once_async (sync, self->cancellable, delivered_cb, g_object_ref (self));
    }
  return TRUE;
}

static void
import_path (KioskCounterWindow *self,
             const char         *path)
{
  g_autoptr(GError) error = NULL;

  if (!kiosk_counter_window_import (self, path, &error))
    {
      g_autofree char *text = g_strdup_printf (_("Not imported: %s"), error->message);
      set_status (self, text, TRUE);
    }
}

static void
import_activated_cb (KioskCounterWindow *self)
{
  g_autofree char *path = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->import_entry))));

  if (*path != '\0')
    import_path (self, path);
}

static void
import_listed_cb (GtkButton          *button,
                  KioskCounterWindow *self)
{
  import_path (self, g_object_get_data (G_OBJECT (button), "path"));
}

static void
refresh_media (KioskCounterWindow *self)
{
  g_autoptr(GPtrArray) found = kiosk_staff_list_removable (".skq");

  kiosk_staff_clear_list (self->import_list);
  for (guint i = 0; i < found->len; i++)
    {
      const char *path = g_ptr_array_index (found, i);
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *button = gtk_button_new_with_label (_("Import"));
      g_autofree char *a11y = g_strdup_printf (_("Import the queue file %s"), path);

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), path);
      gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
      gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, a11y, -1);
      g_object_set_data_full (G_OBJECT (button), "path", g_strdup (path), g_free);
      g_signal_connect (button, "clicked", G_CALLBACK (import_listed_cb), self);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);
      gtk_list_box_append (self->import_list, row);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->import_list), found->len > 0);
}

static void
refresh_clicked_cb (KioskCounterWindow *self)
{
  refresh_media (self);
  kiosk_clerk_page_refresh (KIOSK_CLERK_PAGE (self->clerk_page));
}

static void
kiosk_counter_window_dispose (GObject *object)
{
  KioskCounterWindow *self = (KioskCounterWindow *) object;

  g_cancellable_cancel (self->cancellable);
  if (self->session != NULL)
    kiosk_staff_session_end (self->session, "closed");
  g_clear_object (&self->session);
  g_clear_pointer (&self->keys, kiosk_keys_free);
  g_clear_object (&self->context);

  G_OBJECT_CLASS (kiosk_counter_window_parent_class)->dispose (object);
}

static void
kiosk_counter_window_finalize (GObject *object)
{
  KioskCounterWindow *self = (KioskCounterWindow *) object;

  g_clear_object (&self->cancellable);
  G_OBJECT_CLASS (kiosk_counter_window_parent_class)->finalize (object);
}

static void
kiosk_counter_window_class_init (KioskCounterWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = kiosk_counter_window_dispose;
  object_class->finalize = kiosk_counter_window_finalize;

  gtk_widget_class_set_template_from_resource (widget_class, "/de/hildesheim/Stadtkiosk/staff/kiosk-counter-window.ui");
  gtk_widget_class_bind_template_child (widget_class, KioskCounterWindow, content_box);
  gtk_widget_class_bind_template_child (widget_class, KioskCounterWindow, keys_banner);
  gtk_widget_class_bind_template_child (widget_class, KioskCounterWindow, import_entry);
  gtk_widget_class_bind_template_child (widget_class, KioskCounterWindow, import_list);
  gtk_widget_class_bind_template_child (widget_class, KioskCounterWindow, import_status);
  gtk_widget_class_bind_template_callback (widget_class, import_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, refresh_clicked_cb);
}

static void
kiosk_counter_window_init (KioskCounterWindow *self)
{
  self->cancellable = g_cancellable_new ();
  kiosk_staff_load_css ();
  gtk_widget_init_template (GTK_WIDGET (self));
}

KioskCounterWindow *
kiosk_counter_window_new (GtkApplication *app,
                          KioskContext   *context)
{
  KioskCounterWindow *self;
  g_autoptr(GError) error = NULL;

  g_return_val_if_fail (app == NULL || GTK_IS_APPLICATION (app), NULL);
  g_return_val_if_fail (KIOSK_IS_CONTEXT (context), NULL);

  self = g_object_new (KIOSK_TYPE_COUNTER_WINDOW, "application", app, NULL);
  self->context = g_object_ref (context);
  self->session = kiosk_staff_session_new (context);
  kiosk_staff_session_set_timeout (self->session, 0);
  kiosk_staff_session_begin (self->session, KIOSK_ROLE_CLERK);

  self->keys = kiosk_keys_load_for_counter (kiosk_context_get_config (context), NULL, NULL, &error);
  if (self->keys == NULL)
    {
      g_autofree char *text = g_strdup_printf (_("Receipts cannot be opened here: %s"), error->message);

      gtk_label_set_text (self->keys_banner, text);
      gtk_widget_set_visible (GTK_WIDGET (self->keys_banner), TRUE);
    }

  self->clerk_page = kiosk_clerk_page_new (self->session);
  kiosk_clerk_page_set_counter_mode (KIOSK_CLERK_PAGE (self->clerk_page), TRUE);
  if (self->keys != NULL)
    {
      /* The page keeps its own copy; the window needs one for imports. */
      g_autoptr(GError) again = NULL;
      kiosk_clerk_page_set_keys (KIOSK_CLERK_PAGE (self->clerk_page),
                                 kiosk_keys_load_for_counter (kiosk_context_get_config (context), NULL, NULL, &again));
    }
  gtk_widget_set_vexpand (self->clerk_page, TRUE);
  gtk_box_append (self->content_box, self->clerk_page);
  self->inbox_page = kiosk_counter_hub_attach (GTK_WIDGET (self->content_box), context);
  refresh_media (self);
  gtk_widget_grab_focus (kiosk_clerk_page_get_scan_entry (KIOSK_CLERK_PAGE (self->clerk_page)));
  return self;
}

GtkWidget *
kiosk_counter_window_get_clerk_page (KioskCounterWindow *self)
{
  g_return_val_if_fail (KIOSK_IS_COUNTER_WINDOW (self), NULL);
  return self->clerk_page;
}

/* Returns: (transfer none) (nullable): the hub inbox, when a hub is configured */
GtkWidget *
kiosk_counter_window_get_inbox_page (KioskCounterWindow *self)
{
  g_return_val_if_fail (KIOSK_IS_COUNTER_WINDOW (self), NULL);
  return self->inbox_page;
}

const char *
kiosk_counter_window_get_status (KioskCounterWindow *self)
{
  g_return_val_if_fail (KIOSK_IS_COUNTER_WINDOW (self), NULL);
  return gtk_label_get_text (self->import_status);
}

/* kiosk-admin-page.c
 *
 * SPDX-FileCopyrightText: 2026 Stadtkiosk contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "stadtkiosk-staff"

#include "config.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <libsoup/soup.h>
#include <sodium.h>
#include <sqlite3.h>

#include "kiosk-admin-page.h"

#include "kiosk-builder-window.h"

/* The admin's screen on the kiosk itself: settings (written to the
 * configuration file after the same validation the kiosk runs at start),
 * the catalogue (switch services off and on, import one from a USB stick,
 * pull one from the server), the queue export for days without a network,
 * and diagnostics.  There is no file chooser on a kiosk: removable media are
 * listed from /media and /run/media, and a path can be typed. */

typedef struct
{
  const char *group;
  const char *key;
  const char *title;
} SettingSpec;

static const SettingSpec settings[] = {
  { "kiosk", "id", N_("Kiosk id") },
  { "kiosk", "location", N_("Location") },
  { "kiosk", "languages", N_("Offered languages (e.g. de;en;ar;)") },
  { "backend", "url", N_("Backend URL") },
  { "backend", "token-file", N_("Token file") },
  { "backend", "sync-interval", N_("Sync interval (seconds)") },
  { "session", "idle-timeout", N_("Citizen idle timeout (seconds)") },
  { "session", "idle-warning", N_("Idle warning (seconds)") },
  { "session", "staff-idle-timeout", N_("Staff idle timeout (seconds)") },
  { "printer", "backend", N_("Printer (none, pdf:DIR, cups:QUEUE, escpos:DEVICE)") },
  { "printer", "paper-width", N_("Paper width (58 or 80 mm)") },
};

struct _KioskAdminPage
{
  AdwBin              parent_instance;

  KioskStaffSession  *session;
  GCancellable       *cancellable;
  GtkWidget          *setting_rows[G_N_ELEMENTS (settings)];

  AdwPreferencesGroup *settings_group;
  GtkLabel           *settings_status;
  AdwPreferencesGroup *catalog_group;
  GtkLabel           *catalog_status;
  AdwEntryRow        *catalog_path_row;
  GtkListBox         *catalog_media_list;
  GtkListBox         *services_list;
  AdwEntryRow        *export_path_row;
  GtkListBox         *export_media_list;
  GtkLabel           *export_status;
  GtkLabel           *health_label;
  GtkLabel           *disk_label;
  GtkLabel           *versions_label;
  GtkLabel           *alerts_label;
  GtkLabel           *log_label;
};

G_DEFINE_FINAL_TYPE (KioskAdminPage, kiosk_admin_page, ADW_TYPE_BIN)

static KioskContext *
get_context (KioskAdminPage *self)
{
  return kiosk_staff_session_get_context (self->session);
}

static void
set_label (GtkLabel   *label,
           const char *text,
           gboolean    error)
{
  gtk_label_set_text (label, text);
  if (error)
    gtk_widget_add_css_class (GTK_WIDGET (label), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (label), "error");
}

/* Removable media */

static void
collect (GPtrArray  *out,
         const char *dir,
         const char *suffix,
         guint       depth)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;

  if (d == NULL)
    return;
  while ((name = g_dir_read_name (d)) != NULL && out->len < 200)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);

      if (name[0] == '.')
        continue;
      if (g_file_test (path, G_FILE_TEST_IS_DIR))
        {
          if (suffix == NULL && depth >= 1)
            g_ptr_array_add (out, g_strdup (path));
          if (depth < 3)
            collect (out, path, suffix, depth + 1);
        }
      else if (suffix != NULL && depth >= 1 && g_str_has_suffix (name, suffix))
        g_ptr_array_add (out, g_strdup (path));
    }
}

static int
compare_paths (gconstpointer a,
               gconstpointer b)
{
  /* g_ptr_array_sort hands pointers to the elements. */
  return g_strcmp0 (*(const char * const *) a, *(const char * const *) b);
}

/**
 * kiosk_staff_list_removable:
 * @suffix: (nullable): files ending so, or %NULL for the mounted directories
 *
 * What is on removable media: under /media and /run/media (or the
 * colon-separated $STADTKIOSK_MEDIA_DIRS, for tests).
 *
 * Returns: (transfer full) (element-type utf8): sorted paths
 */
GPtrArray *
kiosk_staff_list_removable (const char *suffix)
{
  const char *env = g_getenv ("STADTKIOSK_MEDIA_DIRS");
  g_auto(GStrv) roots = g_strsplit (env != NULL ? env : "/media:/run/media", ":", -1);
  GPtrArray *out = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; roots[i] != NULL; i++)
    if (*roots[i] != '\0')
      collect (out, roots[i], suffix, 0);
  g_ptr_array_sort (out, compare_paths);
  return out;
}

/* Settings */

/* The value the kiosk has for group/key without the admin screen's drop-in:
 * the main file's, else the default. */
static char *
base_value (GKeyFile    *main_file,
            GKeyFile    *defaults,
            const char  *group,
            const char  *key)
{
  char *value = g_key_file_get_value (main_file, group, key, NULL);

  if (value == NULL)
    value = g_key_file_get_value (defaults, group, key, NULL);
  return value != NULL ? g_strstrip (value) : g_strdup ("");
}

/* The value in effect: from the file that set it (main file or a drop-in),
 * as the admin typed it there, else the default. */
static char *
effective_value (KioskConfig *config,
                 GKeyFile    *defaults,
                 const char  *group,
                 const char  *key)
{
  const char *source = kiosk_config_get_source (config, group, key);
  g_autoptr(GKeyFile) file = g_key_file_new ();
  char *value = NULL;

  if (source != NULL && g_key_file_load_from_file (file, source, G_KEY_FILE_NONE, NULL))
    value = g_key_file_get_value (file, group, key, NULL);
  if (value == NULL)
    value = g_key_file_get_value (defaults, group, key, NULL);
  return value != NULL ? g_strstrip (value) : g_strdup ("");
}

/* The configuration as it is on disk now: the running one was loaded at
 * start, and settings saved since then are in the drop-in already. */
static KioskConfig *
reload_config (KioskConfig *config)
{
  KioskConfig *fresh = NULL;

  if (kiosk_config_get_path (config) != NULL)
    fresh = kiosk_config_new_from_file (kiosk_config_get_path (config), NULL);
  return fresh != NULL ? fresh : g_object_ref (config);
}

static GKeyFile *
default_values (void)
{
  g_autoptr(KioskConfig) config = kiosk_config_new_default ();
  g_autofree char *data = kiosk_config_to_data (config);
  GKeyFile *keyfile = g_key_file_new ();

  g_key_file_load_from_data (keyfile, data, (gsize) -1, G_KEY_FILE_NONE, NULL);
  return keyfile;
}

/**
 * kiosk_staff_write_config:
 * @config: the running configuration
 * @changes: group/key/value as the admin screen shows them
 * @out_changed: (out) (optional): "group.key, …" of what differs
 *
 * Saves the settings to the drop-in `50-admin-screen.conf` in the
 * configuration's drop-in directory (`<state-dir>/kiosk.conf.d`): the kiosk
 * cannot write /etc/stadtkiosk/kiosk.conf (its unit makes /etc read-only),
 * and the administrator's file stays as the administrator wrote it.  The
 * drop-in holds only the values that differ from that file.  The whole
 * configuration is then loaded again with the same validation as at start;
 * if that fails the previous drop-in is put back, so a bad value never
 * stays, and the error names the key and what was expected.
 */
gboolean
kiosk_staff_write_config (KioskConfig  *config,
                          GKeyFile     *changes,
                          char        **out_changed,
                          GError      **error)
{
  const char *path = kiosk_config_get_path (config);
  const char *dir = kiosk_config_get_drop_in_dir (config);
  g_autoptr(GKeyFile) main_file = g_key_file_new ();
  g_autoptr(GKeyFile) defaults = default_values ();
  g_autoptr(GKeyFile) drop_in = g_key_file_new ();
  g_autoptr(GString) changed = g_string_new (NULL);
  g_autoptr(KioskConfig) check = NULL;
  g_autoptr(KioskConfig) current = reload_config (config);
  g_autoptr(GError) local_error = NULL;
  g_autofree char *drop_in_path = NULL;
  g_autofree char *old_data = NULL;
  g_autofree char *data = NULL;
  g_autofree char *tmp = NULL;
  g_auto(GStrv) groups = NULL;
  gsize length;

  if (path == NULL || dir == NULL)
    {
      g_set_error (error, KIOSK_CONFIG_ERROR, KIOSK_CONFIG_ERROR_NOT_FOUND,
                   "this kiosk runs without a configuration file; create %s first", DEFAULT_CONFIG_FILE);
      return FALSE;
    }
  if (!g_key_file_load_from_file (main_file, path, G_KEY_FILE_NONE, error))
    {
      g_prefix_error (error, "%s: ", path);
      return FALSE;
    }
  if (g_mkdir_with_parents (dir, 0750) != 0)
    {
      int errsv = errno;

      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (errsv),
                   "cannot create %s: %s", dir, g_strerror (errsv));
      return FALSE;
    }
  drop_in_path = g_build_filename (dir, "50-admin-screen.conf", NULL);
  if (!g_file_get_contents (drop_in_path, &old_data, NULL, &local_error) &&
      !g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
    {
      g_propagate_prefixed_error (error, g_steal_pointer (&local_error), "%s: ", drop_in_path);
      return FALSE;
    }
  if (old_data != NULL)
    g_key_file_load_from_data (drop_in, old_data, (gsize) -1, G_KEY_FILE_KEEP_COMMENTS, NULL);
  else
    g_key_file_set_comment (drop_in, NULL, NULL,
                            " Settings saved on the kiosk's admin screen.  They override\n"
                            " the same keys of the main configuration file; check the result\n"
                            " with: stadtkioskctl config check", NULL);

  groups = g_key_file_get_groups (changes, NULL);
  for (guint g = 0; groups[g] != NULL; g++)
    {
      g_auto(GStrv) keys = g_key_file_get_keys (changes, groups[g], NULL, NULL);

      for (guint k = 0; keys != NULL && keys[k] != NULL; k++)
        {
          g_autofree char *value = g_key_file_get_value (changes, groups[g], keys[k], NULL);
          g_autofree char *before = effective_value (current, defaults, groups[g], keys[k]);
          g_autofree char *base = base_value (main_file, defaults, groups[g], keys[k]);

          if (g_strcmp0 (value, base) == 0)
            g_key_file_remove_key (drop_in, groups[g], keys[k], NULL);
          else
            g_key_file_set_value (drop_in, groups[g], keys[k], value);
          if (g_strcmp0 (before, value) != 0)
            g_string_append_printf (changed, "%s%s.%s", changed->len > 0 ? ", " : "", groups[g], keys[k]);
        }
    }
  if (out_changed != NULL)
    *out_changed = g_strdup (changed->str);
  if (changed->len == 0)
    return TRUE;

  data = g_key_file_to_data (drop_in, &length, NULL);
  tmp = g_strconcat (drop_in_path, ".new", NULL);
  if (!g_file_set_contents_full (tmp, data, (gssize) length, G_FILE_SET_CONTENTS_CONSISTENT, 0640, error) ||
      g_rename (tmp, drop_in_path) != 0)
    {
      int errsv = errno;

      if (error != NULL && *error == NULL)
        g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (errsv),
                     "cannot write %s: %s", drop_in_path, g_strerror (errsv));
      g_unlink (tmp);
      return FALSE;
    }

  check = kiosk_config_new_from_file (path, error);
  if (check == NULL)
    {
      /* Put the previous drop-in back: what failed must not be loaded at
       * the next start. */
      if (old_data != NULL)
        g_file_set_contents_full (drop_in_path, old_data, -1, G_FILE_SET_CONTENTS_CONSISTENT, 0640, NULL);
      else
        g_unlink (drop_in_path);
      return FALSE;
    }
  return TRUE;
}

static void
load_settings (KioskAdminPage *self)
{
  g_autoptr(KioskConfig) config = reload_config (kiosk_context_get_config (get_context (self)));
  g_autoptr(GKeyFile) defaults = default_values ();

  /* The values in effect (main file, the drop-ins over it, defaults). */
  for (guint i = 0; i < G_N_ELEMENTS (settings); i++)
    {
      g_autofree char *value = effective_value (config, defaults, settings[i].group, settings[i].key);

      gtk_editable_set_text (GTK_EDITABLE (self->setting_rows[i]), value);
    }
}

void
kiosk_admin_page_set_setting (KioskAdminPage *self,
                              const char     *group,
                              const char     *key,
                              const char     *value)
{
  g_return_if_fail (KIOSK_IS_ADMIN_PAGE (self));

  for (guint i = 0; i < G_N_ELEMENTS (settings); i++)
    if (g_str_equal (settings[i].group, group) && g_str_equal (settings[i].key, key))
      gtk_editable_set_text (GTK_EDITABLE (self->setting_rows[i]), value);
}

gboolean
kiosk_admin_page_save_settings (KioskAdminPage  *self,
                                GError         **error)
{
  g_autoptr(GKeyFile) changes = g_key_file_new ();
  g_autofree char *changed = NULL;

  g_return_val_if_fail (KIOSK_IS_ADMIN_PAGE (self), FALSE);

  for (guint i = 0; i < G_N_ELEMENTS (settings); i++)
    {
      g_autofree char *value = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->setting_rows[i]))));

      g_key_file_set_value (changes, settings[i].group, settings[i].key, value);
    }
  if (!kiosk_staff_write_config (kiosk_context_get_config (get_context (self)), changes, &changed, error))
    return FALSE;
  if (*changed != '\0')
    kiosk_staff_session_audit (self->session, "settings", changed);
  return TRUE;
}

static void
save_clicked_cb (KioskAdminPage *self)
{
  g_autoptr(GError) error = NULL;

  if (!kiosk_admin_page_save_settings (self, &error))
    set_label (self->settings_status, error->message, TRUE);
  else
    set_label (self->settings_status, _("Saved. The kiosk uses the new settings after its next restart."), FALSE);
}

static void
test_printed_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(KioskAdminPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *where = kiosk_printer_print_finish (KIOSK_PRINTER (object), result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (where == NULL)
    {
      g_autofree char *text = g_strdup_printf (_("The test print failed: %s"), error->message);
      set_label (self->settings_status, text, TRUE);
    }
  else
    {
      g_autofree char *text = g_strdup_printf (_("Test page sent to %s."), where);
      set_label (self->settings_status, text, FALSE);
    }
}

static void
test_print_clicked_cb (KioskAdminPage *self)
{
  KioskConfig *config = kiosk_context_get_config (get_context (self));
  g_autoptr(GError) error = NULL;
  g_autoptr(KioskReceipt) receipt = kiosk_receipt_new ();
  g_autoptr(KioskPrinter) printer = NULL;
  g_autoptr(GDateTime) now = kiosk_clock_dup_now_local (kiosk_context_get_clock (get_context (self)));

  kiosk_receipt_set_service_title (receipt, _("Test print"));
  kiosk_receipt_set_short_code (receipt, "TEST-0000-0000");
  kiosk_receipt_set_location (receipt, kiosk_config_get_location (config));
  kiosk_receipt_set_created (receipt, g_date_time_to_unix (now) * G_USEC_PER_SEC);
  kiosk_receipt_set_demo (receipt, TRUE);
  printer = kiosk_printer_new_from_config (config, &error);
  if (printer == NULL)
    {
      set_label (self->settings_status, error->message, TRUE);
      return;
    }
  kiosk_staff_session_audit (self->session, "test print", kiosk_printer_get_spec (printer));
  set_label (self->settings_status, _("Printing a test page…"), FALSE);
  kiosk_printer_print_async (printer, receipt, self->cancellable, test_printed_cb, g_object_ref (self));
}

/* Catalogue */

static void
service_switched_cb (GtkSwitch      *sw,
                     GParamSpec     *pspec,
                     KioskAdminPage *self)
{
  const char *id = g_object_get_data (G_OBJECT (sw), "service-id");
  gboolean enabled = gtk_switch_get_active (sw);
  g_autoptr(GError) error = NULL;

  if (!kiosk_catalog_set_service_enabled (kiosk_context_get_store (get_context (self)), id, enabled, &error))
    {
      set_label (self->catalog_status, error->message, TRUE);
      return;
    }
  kiosk_staff_session_audit (self->session, enabled ? "service enable" : "service disable", id);
}

static void
refresh_services (KioskAdminPage *self)
{
  KioskContext *context = get_context (self);
  g_autoptr(GError) error = NULL;
  g_autoptr(KioskCatalog) catalog = kiosk_catalog_load_active (kiosk_context_get_store (context), &error);
  GPtrArray *services;

  kiosk_staff_clear_list (self->services_list);
  if (catalog == NULL)
    {
      set_label (self->catalog_status, error->message, TRUE);
      return;
    }
  services = kiosk_catalog_get_all_services (catalog);
  for (guint i = 0; i < services->len; i++)
    {
      KioskService *service = g_ptr_array_index (services, i);
      const char *id = kiosk_service_get_id (service);
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *sw = gtk_switch_new ();
      g_autofree char *a11y = g_strdup_printf (_("Offer %s on this kiosk"), kiosk_service_get_title (service, "de"));

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), kiosk_service_get_title (service, "de"));
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), id);
      gtk_switch_set_active (GTK_SWITCH (sw), kiosk_catalog_lookup (catalog, id) != NULL);
      gtk_widget_set_valign (sw, GTK_ALIGN_CENTER);
      gtk_accessible_update_property (GTK_ACCESSIBLE (sw), GTK_ACCESSIBLE_PROPERTY_LABEL, a11y, -1);
      g_object_set_data_full (G_OBJECT (sw), "service-id", g_strdup (id), g_free);
      g_signal_connect (sw, "notify::active", G_CALLBACK (service_switched_cb), self);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), sw);
      adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), sw);
      gtk_list_box_append (self->services_list, row);
    }
  {
    g_autofree char *text = g_strdup_printf (_("Catalogue version %s, %u services."),
                                             kiosk_catalog_get_version (catalog) != NULL ?
                                             kiosk_catalog_get_version (catalog) : "-", services->len);
    set_label (self->catalog_status, text, FALSE);
  }
}

gboolean
kiosk_admin_page_import_catalog (KioskAdminPage  *self,
                                 const char      *path,
                                 GError         **error)
{
  g_autoptr(KioskCatalog) catalog = NULL;
  g_autofree char *contents = NULL;
  g_autoptr(GBytes) bytes = NULL;
  gsize length;

  g_return_val_if_fail (KIOSK_IS_ADMIN_PAGE (self), FALSE);

  /* Validated whole; on any problem the last good one stays active. */
  catalog = kiosk_catalog_new_from_file (path, error);
  if (catalog == NULL)
    return FALSE;
  if (!g_file_get_contents (path, &contents, &length, error))
    return FALSE;
  bytes = g_bytes_new_take (g_steal_pointer (&contents), length);
  if (!kiosk_catalog_store_active (kiosk_context_get_store (get_context (self)), bytes, path, NULL, error))
    return FALSE;
  kiosk_staff_session_audit (self->session, "catalog import", path);
  refresh_services (self);
  return TRUE;
}

static void
import_path (KioskAdminPage *self,
             const char     *path)
{
  g_autoptr(GError) error = NULL;

  if (!kiosk_admin_page_import_catalog (self, path, &error))
    {
      g_autofree char *text = g_strdup_printf (_("Not imported; the catalogue in use stays.\n%s"), error->message);
      set_label (self->catalog_status, text, TRUE);
    }
  else
    {
      g_autofree char *text = g_strdup_printf (_("Imported %s. The kiosk offers it from now on."), path);
      set_label (self->catalog_status, text, FALSE);
    }
}

static void
import_typed_cb (KioskAdminPage *self)
{
  g_autofree char *path = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->catalog_path_row))));

  if (*path != '\0')
    import_path (self, path);
}

static void
import_listed_cb (GtkButton      *button,
                  KioskAdminPage *self)
{
  import_path (self, g_object_get_data (G_OBJECT (button), "path"));
}

static void
fill_media_list (KioskAdminPage *self,
                 GtkListBox     *list,
                 const char     *suffix,
                 const char     *action,
                 GCallback       callback)
{
  g_autoptr(GPtrArray) found = kiosk_staff_list_removable (suffix);

  kiosk_staff_clear_list (list);
  for (guint i = 0; i < found->len; i++)
    {
      const char *path = g_ptr_array_index (found, i);
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *button = gtk_button_new_with_label (action);
      g_autofree char *a11y = g_strdup_printf ("%s: %s", action, path);

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), path);
      gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
      gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, a11y, -1);
      g_object_set_data_full (G_OBJECT (button), "path", g_strdup (path), g_free);
      g_signal_connect (button, "clicked", callback, self);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);
      gtk_list_box_append (list, row);
    }
  if (found->len == 0)
    {
      GtkWidget *row = adw_action_row_new ();

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), suffix != NULL ?
                                     _("No catalogue file (.json) on a USB stick under /media or /run/media") :
                                     _("No USB stick found under /media or /run/media"));
      gtk_list_box_append (list, row);
    }
}

static void
pulled_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(KioskAdminPage) self = user_data;
  g_autoptr(GError) error = NULL;
  gboolean changed = FALSE;

  if (!kiosk_sync_pull_catalog_finish (KIOSK_SYNC (object), result, &changed, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_autofree char *text = g_strdup_printf (_("Not pulled; the catalogue in use stays.\n%s"), error->message);
          set_label (self->catalog_status, text, TRUE);
        }
    }
  else
    {
      set_label (self->catalog_status, changed ? _("A new catalogue was pulled and is in use.")
                                               : _("The server has no newer catalogue."), FALSE);
      refresh_services (self);
    }
  kiosk_sync_stop (KIOSK_SYNC (object));
}

static void
pull_clicked_cb (KioskAdminPage *self)
{
  g_autoptr(KioskSync) sync = kiosk_sync_new (get_context (self));

  kiosk_staff_session_audit (self->session, "catalog pull", NULL);
  set_label (self->catalog_status, _("Asking the server…"), FALSE);
  kiosk_sync_pull_catalog_async (sync, self->cancellable, pulled_cb, g_object_ref (self));
}

/* The service builder (#20), on the active catalogue: saving there asks
 * first and keeps a backup. */
static void
builder_clicked_cb (KioskAdminPage *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KioskCatalogDocument) document = NULL;
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  KioskBuilderWindow *window;

  document = kiosk_catalog_document_new_from_active (kiosk_context_get_store (get_context (self)), &error);
  if (document == NULL)
    {
      set_label (self->catalog_status, error->message, TRUE);
      return;
    }
  kiosk_staff_session_audit (self->session, "builder open", NULL);
  window = kiosk_builder_window_new (GTK_IS_WINDOW (root) ? gtk_window_get_application (GTK_WINDOW (root)) : NULL,
                                     get_context (self), document, NULL, NULL);
  if (GTK_IS_WINDOW (root))
    gtk_window_set_transient_for (GTK_WINDOW (window), GTK_WINDOW (root));
  gtk_window_present (GTK_WINDOW (window));
}

/* Queue export */

gboolean
kiosk_admin_page_export_queue (KioskAdminPage  *self,
                               const char      *dir,
                               char           **out_path,
                               GError         **error)
{
  KioskContext *context;
  g_autoptr(GDateTime) now = NULL;
  g_autofree char *stamp = NULL;
  g_autofree char *name = NULL;
  g_autofree char *path = NULL;
  g_autofree char *detail = NULL;
  KioskQueueExportResult result;

  g_return_val_if_fail (KIOSK_IS_ADMIN_PAGE (self), FALSE);

  context = get_context (self);
  now = kiosk_clock_dup_now_local (kiosk_context_get_clock (context));
  stamp = g_date_time_format (now, "%Y%m%d-%H%M%S");
  name = g_strdup_printf ("stadtkiosk-%s-%s.skq", kiosk_config_get_kiosk_id (kiosk_context_get_config (context)), stamp);
  path = g_file_test (dir, G_FILE_TEST_IS_DIR) ? g_build_filename (dir, name, NULL) : g_strdup (dir);
  if (!kiosk_queue_export (context, path, &result, error))
    return FALSE;
  detail = g_strdup_printf ("%u requests to %s", result.exported, path);
  kiosk_staff_session_audit (self->session, "queue export", detail);
  if (out_path != NULL)
    *out_path = g_steal_pointer (&path);
  return TRUE;
}

static void
export_to (KioskAdminPage *self,
           const char     *dir)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;

  if (!kiosk_admin_page_export_queue (self, dir, &path, &error))
    set_label (self->export_status, error->message, TRUE);
  else
    {
      g_autofree char *text = g_strdup_printf (_("Written to %s. Take it to a counter workstation; "
                                                 "the requests also stay queued here."), path);
      set_label (self->export_status, text, FALSE);
    }
}

static void
export_typed_cb (KioskAdminPage *self)
{
  g_autofree char *dir = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->export_path_row))));

  if (*dir != '\0')
    export_to (self, dir);
}

static void
export_listed_cb (GtkButton      *button,
                  KioskAdminPage *self)
{
  export_to (self, g_object_get_data (G_OBJECT (button), "path"));
}

/* Diagnostics */

static void
checked_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(KioskAdminPage) self = user_data;
  KioskSync *sync = KIOSK_SYNC (object);
  g_autoptr(GError) error = NULL;
  g_autofree char *where = kiosk_sync_get_target (sync) != NULL ? kiosk_target_describe (kiosk_sync_get_target (sync)) : NULL;

  if (!kiosk_sync_check_finish (sync, result, &error) && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (error == NULL)
    {
      g_autofree char *text = g_strdup_printf (_("The city's system at %s answers."), where != NULL ? where : "-");
      set_label (self->health_label, text, FALSE);
    }
  else
    {
      g_autofree char *text = g_strdup_printf (_("No good answer from %s: %s"), where != NULL ? where : "-",
                                               kiosk_sync_get_pause_reason (sync) != NULL ?
                                               kiosk_sync_get_pause_reason (sync) : error->message);
      set_label (self->health_label, text, TRUE);
    }
  kiosk_sync_stop (sync);
}

static void
health_clicked_cb (KioskAdminPage *self)
{
  g_autoptr(KioskSync) sync = kiosk_sync_new (get_context (self));

  kiosk_staff_session_audit (self->session, "health check", NULL);
  set_label (self->health_label, _("Checking…"), FALSE);
  kiosk_sync_check_async (sync, self->cancellable, checked_cb, g_object_ref (self));
}

static void
refresh_diagnostics (KioskAdminPage *self)
{
  KioskContext *context = get_context (self);
  KioskConfig *config = kiosk_context_get_config (context);
  g_autoptr(GFile) dir = g_file_new_for_path (kiosk_config_get_state_dir (config));
  g_autoptr(GFileInfo) fs = g_file_query_filesystem_info (dir, G_FILE_ATTRIBUTE_FILESYSTEM_FREE ","
                                                          G_FILE_ATTRIBUTE_FILESYSTEM_SIZE, NULL, NULL);
  g_autofree char *db_size = g_format_size ((guint64) MAX (kiosk_store_get_size (kiosk_context_get_store (context)), 0));
  g_autofree char *free_text = NULL;
  g_autofree char *disk = NULL;
  g_autofree char *versions = NULL;
  g_autoptr(GPtrArray) alerts = NULL;
  g_autoptr(GPtrArray) log = NULL;
  g_autoptr(GString) text = g_string_new (NULL);

  if (fs != NULL)
    {
      g_autofree char *total = g_format_size (g_file_info_get_attribute_uint64 (fs, G_FILE_ATTRIBUTE_FILESYSTEM_SIZE));
      g_autofree char *avail = g_format_size (g_file_info_get_attribute_uint64 (fs, G_FILE_ATTRIBUTE_FILESYSTEM_FREE));

      free_text = g_strdup_printf (_("%s free of %s"), avail, total);
    }
  disk = g_strdup_printf (_("Database %s (%s); disk: %s"), db_size,
                          kiosk_store_get_path (kiosk_context_get_store (context)),
                          free_text != NULL ? free_text : _("unknown"));
  gtk_label_set_text (self->disk_label, disk);

  versions = g_strdup_printf ("Stadtkiosk %s · GLib %u.%u.%u · GTK %u.%u.%u · libadwaita %u.%u.%u · "
                              "SQLite %s · libsodium %s · libsoup %u.%u.%u",
                              PACKAGE_VERSION, glib_major_version, glib_minor_version, glib_micro_version,
                              gtk_get_major_version (), gtk_get_minor_version (), gtk_get_micro_version (),
                              adw_get_major_version (), adw_get_minor_version (), adw_get_micro_version (),
                              sqlite3_libversion (), sodium_version_string (),
                              soup_get_major_version (), soup_get_minor_version (), soup_get_micro_version ());
  gtk_label_set_text (self->versions_label, versions);

  alerts = kiosk_alerts_collect (config, context, NULL, NULL, kiosk_clock_get_now (kiosk_context_get_clock (context)));
  for (guint i = 0; i < alerts->len; i++)
    g_string_append_printf (text, "%s• %s", i > 0 ? "\n" : "", ((KioskAlert *) alerts->pdata[i])->message);
  set_label (self->alerts_label, alerts->len > 0 ? text->str : _("No alerts."), alerts->len > 0);

  g_string_truncate (text, 0);
  log = kiosk_audit_list (kiosk_context_get_store (context), 12, NULL);
  for (guint i = 0; log != NULL && i < log->len; i++)
    {
      KioskAuditEntry *e = log->pdata[i];
      g_autoptr(GDateTime) at = g_date_time_new_from_unix_local (e->at_us / G_USEC_PER_SEC);
      g_autofree char *when = g_date_time_format (at, "%d.%m. %H:%M");

      g_string_append_printf (text, "%s%s  %s  %s%s%s", i > 0 ? "\n" : "", when, e->role, e->action,
                              e->detail != NULL ? "  " : "", e->detail != NULL ? e->detail : "");
    }
  gtk_label_set_text (self->log_label, text->str);
}

static void
kiosk_admin_page_dispose (GObject *object)
{
  KioskAdminPage *self = (KioskAdminPage *) object;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->session);

  G_OBJECT_CLASS (kiosk_admin_page_parent_class)->dispose (object);
}

static void
kiosk_admin_page_finalize (GObject *object)
{
  KioskAdminPage *self = (KioskAdminPage *) object;

  g_clear_object (&self->cancellable);
  G_OBJECT_CLASS (kiosk_admin_page_parent_class)->finalize (object);
}

static void
kiosk_admin_page_class_init (KioskAdminPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = kiosk_admin_page_dispose;
  object_class->finalize = kiosk_admin_page_finalize;

  gtk_widget_class_set_template_from_resource (widget_class, "/de/hildesheim/Stadtkiosk/staff/kiosk-admin-page.ui");
  gtk_widget_class_bind_template_child (widget_class, KioskAdminPage, settings_group);
  gtk_widget_class_bind_template_child (widget_class, KioskAdminPage, settings_status);
  gtk_widget_class_bind_template_child (widget_class, KioskAdminPage, catalog_group);
  gtk_widget_class_bind_template_child (widget_class, KioskAdminPage, catalog_status);
  gtk_widget_class_bind_template_child (widget_class, KioskAdminPage, catalog_path_row);
  gtk_widget_class_bind_template_child (widget_class, KioskAdminPage, catalog_media_list);
  gtk_widget_class_bind_template_child (widget_class, KioskAdminPage, services_list);
  gtk_widget_class_bind_template_child (widget_class, KioskAdminPage, export_path_row);
  gtk_widget_class_bind_template_child (widget_class, KioskAdminPage, export_media_list);
  gtk_widget_class_bind_template_child (widget_class, KioskAdminPage, export_status);
  gtk_widget_class_bind_template_child (widget_class, KioskAdminPage, health_label);
  gtk_widget_class_bind_template_child (widget_class, KioskAdminPage, disk_label);
  gtk_widget_class_bind_template_child (widget_class, KioskAdminPage, versions_label);
  gtk_widget_class_bind_template_child (widget_class, KioskAdminPage, alerts_label);
  gtk_widget_class_bind_template_child (widget_class, KioskAdminPage, log_label);
  gtk_widget_class_bind_template_callback (widget_class, save_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, test_print_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, import_typed_cb);
  gtk_widget_class_bind_template_callback (widget_class, pull_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, builder_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, export_typed_cb);
  gtk_widget_class_bind_template_callback (widget_class, health_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, kiosk_admin_page_refresh);
}

static void
kiosk_admin_page_init (KioskAdminPage *self)
{
  self->cancellable = g_cancellable_new ();
  gtk_widget_init_template (GTK_WIDGET (self));

  for (guint i = 0; i < G_N_ELEMENTS (settings); i++)
    {
      GtkWidget *row = adw_entry_row_new ();

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _(settings[i].title));
      adw_preferences_group_add (self->settings_group, row);
      self->setting_rows[i] = row;
    }
}

GtkWidget *
kiosk_admin_page_new (KioskStaffSession *session)
{
  KioskAdminPage *self;

  g_return_val_if_fail (KIOSK_IS_STAFF_SESSION (session), NULL);

  self = g_object_new (KIOSK_TYPE_ADMIN_PAGE, NULL);
  self->session = g_object_ref (session);
  return GTK_WIDGET (self);
}

/**
 * kiosk_admin_page_refresh:
 *
 * Reads everything again: settings, catalogue, media, diagnostics.
 */
void
kiosk_admin_page_refresh (KioskAdminPage *self)
{
  g_return_if_fail (KIOSK_IS_ADMIN_PAGE (self));

  load_settings (self);
  refresh_services (self);
  fill_media_list (self, self->catalog_media_list, ".json", _("Import"), G_CALLBACK (import_listed_cb));
  fill_media_list (self, self->export_media_list, NULL, _("Export here"), G_CALLBACK (export_listed_cb));
  refresh_diagnostics (self);
}

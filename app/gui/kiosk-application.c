/* kiosk-application.c
 *
 * SPDX-FileCopyrightText: 2026 Stadtkiosk contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "stadtkiosk"

#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>

#include "kiosk-application.h"
#include "kiosk-application-private.h"

#include "kiosk-seal-policy.h"
#include "kiosk-window.h"
#include "kiosk-out-of-service-window.h"
#include "kiosk-counter-window.h"
#include "kiosk-builder-window.h"
#include "kiosk-automount.h"
#include "kiosk-watchdog.h"

struct _KioskApplication
{
  AdwApplication  parent_instance;

  KioskContext   *context;
  KioskSync      *sync;
  KioskHubAgent  *hub_agent;     /* [couchdb] url set: heartbeats and the city's answers */
  char           *config_path;
  char           *state_dir;
  gboolean        windowed;
  gboolean        counter;       /* --counter: the counter workstation window (staff) */
  gboolean        builder;       /* --builder [FILE]: the service builder (#20) */
  char           *builder_file;  /* its FILE, or NULL: the active catalogue */
  KioskCatalogDocument *builder_document;   /* FILE, opened before start-up */
  char           *catalog_key;   /* --catalog-key: sign what the builder saves */
  char           *startup_error;   /* shown instead of the kiosk when set */

  /* The database's full integrity check, deferred past the first frame
   * (kiosk-store.c); the sync starts once it passed. */
  GCancellable   *check_cancellable;
  gboolean        first_frame;     /* the kiosk window painted once */
  gboolean        check_held;      /* tests: not yet, see the private header */
  gboolean        check_started;
  gboolean        store_checked;   /* the check passed */
};

G_DEFINE_FINAL_TYPE (KioskApplication, kiosk_application, ADW_TYPE_APPLICATION)

static void
load_context (KioskApplication *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KioskConfig) config = NULL;
  g_autofree char *path = self->config_path ? g_strdup (self->config_path) : kiosk_config_get_default_path ();

  config = kiosk_config_new_from_file (path, &error);
  if (config == NULL && self->config_path == NULL &&
      g_error_matches (error, KIOSK_CONFIG_ERROR, KIOSK_CONFIG_ERROR_NOT_FOUND) &&
      g_getenv ("STADTKIOSK_CONFIG") == NULL)
    {
      g_clear_error (&error);
      config = kiosk_config_new_default ();
    }
  if (config == NULL)
    {
      g_warning ("%s", error->message);
      self->startup_error = g_strdup (error->message);
      return;
    }
  for (const char * const *w = kiosk_config_get_warnings (config); *w != NULL; w++)
    g_message ("%s", *w);
  if (self->state_dir != NULL)
    kiosk_config_set_state_dir (config, self->state_dir);

  /* The kiosk's window starts with the bounded part of the integrity check
   * only, so that its start does not grow with the data; the full check
   * runs after the first frame (see store_checked_cb).  The counter
   * workstation checks in full first, as the CLI does. */
  self->context = kiosk_context_new_with_flags (config, NULL,
                                                self->counter ? KIOSK_STORE_OPEN_DEFAULT
                                                              : KIOSK_STORE_OPEN_DEFER_CHECK,
                                                &error);
  if (self->context == NULL)
    {
      g_warning ("%s", error->message);
      self->startup_error = g_strdup (error->message);
      return;
    }

  /* A city key that is configured or was installed, but is gone: nothing
   * could be saved sealed, and nothing is stored in clear (#12).  The
   * citizen is sent to the counter, the staff read which file is missing;
   * what is queued is still delivered. */
  {
    KioskSealPolicy policy;
    g_autoptr(KioskKeys) keys = NULL;

    if (!kiosk_seal_policy_get (config, &policy, &error) ||
        (policy == KIOSK_SEAL_POLICY_SEAL && (keys = kiosk_keys_load_for_kiosk (config, &error)) == NULL))
      {
        g_message ("out of service: %s", error->message);
        self->startup_error = g_strdup (error->message);
      }
  }

  /* Delivery runs in the background for as long as the kiosk runs; the
   * welcome page shows its honest connection state.  It starts once the
   * first frame is up (see activate). */
  self->sync = kiosk_sync_new_routed_at_start (self->context);

  /* With a hub, the kiosk also writes its heartbeat and follows the
   * city's status documents (docs/hub.md).  A hub that is configured but
   * unusable is the sync's alert (its lane names the setting). */
  if (*kiosk_config_get_couchdb_url (config) != '\0')
    {
      g_autoptr(GError) hub_error = NULL;
      g_autoptr(KioskCouchdbTarget) hub = kiosk_couchdb_target_new (config, kiosk_context_get_clock (self->context),
                                                                    2, &hub_error);

      if (hub != NULL)
        self->hub_agent = kiosk_hub_agent_new (self->context, hub, self->sync);
      else
        g_warning ("no hub heartbeats: %s", hub_error->message);
    }
}

/* Fills the screen, or a development-sized window with --windowed. */
static void
place_window (GtkWindow *window,
              gboolean   fullscreen)
{
  if (fullscreen)
    {
      GListModel *monitors = gdk_display_get_monitors (gtk_widget_get_display (GTK_WIDGET (window)));
      g_autoptr(GdkMonitor) monitor = g_list_model_get_item (monitors, 0);

      /* Without a window manager (bare X, as in tests and in `./dev run`
       * without a display) fullscreen is only a wish: fill the first
       * monitor too. */
      if (monitor != NULL)
        {
          GdkRectangle geometry;

          gdk_monitor_get_geometry (monitor, &geometry);
          gtk_window_set_default_size (window, geometry.width, geometry.height);
        }
      gtk_window_fullscreen (window);
    }
  else
    gtk_window_set_default_size (window, 1280, 800);
}

static void
start_sync (KioskApplication *self)
{
  if (self->sync != NULL)
    kiosk_sync_start (self->sync);
  if (self->hub_agent != NULL)
    kiosk_hub_agent_start (self->hub_agent);
}

/* Damage found after the first frame: refused as at start.  The kiosk
 * window goes, and with it whatever a citizen was typing: it was not sent
 * and is not kept (nothing can be saved to a damaged database, and a form
 * half-filled must not stay on a public screen).  The out-of-service
 * window says so, in the language on the screen, and names the file for
 * the staff.  Nothing is delivered from a damaged database either: the
 * sync has not started, and the store refuses every write. */
static void
go_out_of_service (KioskApplication *self,
                   const char       *reason)
{
  GtkWindow *old = gtk_application_get_active_window (GTK_APPLICATION (self));
  GtkWidget *window;

  g_message ("out of service: %s", reason);
  g_free (self->startup_error);
  self->startup_error = g_strdup (reason);

  window = kiosk_out_of_service_window_new (reason);
  kiosk_out_of_service_window_set_interrupted (KIOSK_OUT_OF_SERVICE_WINDOW (window), TRUE);
  gtk_window_set_application (GTK_WINDOW (window), GTK_APPLICATION (self));
  place_window (GTK_WINDOW (window), !self->windowed);
  gtk_window_present (GTK_WINDOW (window));
  if (old != NULL && old != GTK_WINDOW (window))
    gtk_window_destroy (old);
}

/* The routing table needs the catalogue: the sync starts once the
 * context has it (read in a worker thread when it is large, and shared
 * with the sessions), so that it does not read it on the main loop. */
static void
catalog_ready_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(KioskApplication) self = user_data;
  g_autoptr(KioskCatalog) catalog = kiosk_context_load_active_catalog_finish (KIOSK_CONTEXT (object), result, NULL);

  if (!g_cancellable_is_cancelled (self->check_cancellable))
    start_sync (self);
}

static void
store_checked_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(KioskApplication) self = user_data;
  g_autoptr(GError) error = NULL;

  if (kiosk_store_check_integrity_finish (KIOSK_STORE (object), result, &error))
    {
      self->store_checked = TRUE;
      kiosk_context_load_active_catalog_async (self->context, self->check_cancellable,
                                               catalog_ready_cb, g_object_ref (self));
      return;
    }
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (g_error_matches (error, KIOSK_STORE_ERROR, KIOSK_STORE_ERROR_DAMAGED))
    {
      go_out_of_service (self, error->message);
      return;
    }
  /* The check could not run (its read-only connection was refused): the
   * open already read header and schema; say so, and go on. */
  g_message ("the database's integrity check could not run: %s", error->message);
  self->store_checked = TRUE;
  kiosk_context_load_active_catalog_async (self->context, self->check_cancellable,
                                           catalog_ready_cb, g_object_ref (self));
}

static void
start_store_check (KioskApplication *self)
{
  if (self->check_started || self->check_held || !self->first_frame || self->context == NULL)
    return;
  self->check_started = TRUE;
  self->check_cancellable = g_cancellable_new ();
  kiosk_store_check_integrity_async (kiosk_context_get_store (self->context), self->check_cancellable,
                                     store_checked_cb, g_object_ref (self));
}

static gboolean
first_frame_idle_cb (gpointer user_data)
{
  KioskApplication *self = user_data;

  self->first_frame = TRUE;
  start_store_check (self);
  return G_SOURCE_REMOVE;
}

/* Probing the backend, TLS set-up included, and the integrity check wait
 * for the first frame: a person sees the kiosk before it knows it is
 * online or whole. */
static void
first_frame_cb (GdkFrameClock    *clock,
                KioskApplication *self)
{
  g_signal_handlers_disconnect_by_func (clock, first_frame_cb, self);
  g_idle_add_full (G_PRIORITY_LOW, first_frame_idle_cb, g_object_ref (self), g_object_unref);
}

static void
kiosk_application_startup (GApplication *app)
{
  KioskApplication *self = KIOSK_APPLICATION (app);

  /* AdwApplication loads style.css, and GtkApplication adds the icons,
   * from the resource base path (/de/hildesheim/Stadtkiosk, from the
   * application id): nothing to load here. */
  G_APPLICATION_CLASS (kiosk_application_parent_class)->startup (app);

  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_FORCE_LIGHT);

  load_context (self);
  /* Under systemd the main loop proves it is alive; see kiosk-watchdog.c. */
  kiosk_watchdog_start ();
  /* USB sticks under cage, where no desktop mounts them (the unit asks). */
  kiosk_automount_start ();
}

static void
kiosk_application_activate (GApplication *app)
{
  KioskApplication *self = KIOSK_APPLICATION (app);
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (app));

  if (window == NULL && (self->context == NULL || (self->startup_error != NULL && !self->counter)))
    {
      /* Without its core the kiosk cannot save a request: it says so, in
       * German, and sends people to the counter. */
      kiosk_use_language ("de");
      window = GTK_WINDOW (kiosk_out_of_service_window_new (self->startup_error));
      gtk_window_set_application (window, GTK_APPLICATION (app));
      place_window (window, !self->windowed);
    }
  else if (window == NULL && self->counter)
    {
      /* A staff screen: the office's language (docs/staff.md). */
      kiosk_use_language (kiosk_config_get_staff_language (kiosk_context_get_config (self->context)));
      window = GTK_WINDOW (kiosk_counter_window_new (GTK_APPLICATION (app), self->context));
    }
  else if (window == NULL && self->builder)
    {
      g_autoptr(KioskCatalogDocument) document = NULL;
      g_autoptr(GError) error = NULL;

      /* The builder is a staff screen too. */
      kiosk_use_language (kiosk_config_get_staff_language (kiosk_context_get_config (self->context)));
      document = self->builder_document != NULL
                 ? g_object_ref (self->builder_document)
                 : kiosk_catalog_document_new_from_active (kiosk_context_get_store (self->context), &error);
      if (document == NULL)
        {
          g_printerr ("stadtkiosk: %s\n", error->message);
          return;
        }
      window = GTK_WINDOW (kiosk_builder_window_new (GTK_APPLICATION (app), self->context, document,
                                                     self->builder_file, self->catalog_key));
    }
  else if (window == NULL)
    {
      window = GTK_WINDOW (kiosk_window_new (self));
      place_window (window, !self->windowed);
      gtk_window_present (window);
      g_signal_connect_object (gtk_widget_get_frame_clock (GTK_WIDGET (window)), "after-paint",
                               G_CALLBACK (first_frame_cb), self, 0);
      return;
    }
  gtk_window_present (window);
}

static int
kiosk_application_handle_local_options (GApplication *app,
                                        GVariantDict *options)
{
  KioskApplication *self = KIOSK_APPLICATION (app);
  const char *value = NULL;

  if (g_variant_dict_contains (options, "version"))
    {
      g_print ("stadtkiosk %s\n", PACKAGE_VERSION);
      return 0;
    }
  if (g_variant_dict_lookup (options, "config", "^&ay", &value))
    self->config_path = g_strdup (value);
  if (g_variant_dict_lookup (options, "state-dir", "^&ay", &value))
    self->state_dir = g_canonicalize_filename (value, NULL);
  self->windowed = g_variant_dict_contains (options, "windowed");
  self->counter = g_variant_dict_contains (options, "counter");
  self->builder = g_variant_dict_contains (options, "builder");
  if (g_variant_dict_lookup (options, "catalog-key", "^&ay", &value))
    self->catalog_key = g_canonicalize_filename (value, NULL);
  {
    g_autofree const char **rest = NULL;

    /* stadtkiosk --builder [FILE] */
    if (g_variant_dict_lookup (options, G_OPTION_REMAINING, "^a&ay", &rest) && rest != NULL && rest[0] != NULL)
      {
        if (!self->builder || rest[1] != NULL)
          {
            g_printerr ("stadtkiosk: unexpected argument \"%s\" (only --builder takes a FILE)\n", rest[self->builder ? 1 : 0]);
            return 2;
          }
        self->builder_file = g_canonicalize_filename (rest[0], NULL);
      }
    /* A file that cannot be opened is said at once, with exit status 1. */
    if (self->builder_file != NULL)
      {
        g_autoptr(GError) error = NULL;

        self->builder_document = kiosk_catalog_document_new_from_file (self->builder_file, &error);
        if (self->builder_document == NULL)
          {
            g_printerr ("stadtkiosk: %s\n", error->message);
            return 1;
          }
      }
  }

  return -1;
}

static void
kiosk_application_dispose (GObject *object)
{
  KioskApplication *self = (KioskApplication *)object;

  g_cancellable_cancel (self->check_cancellable);
  g_clear_object (&self->check_cancellable);
  if (self->hub_agent != NULL)
    kiosk_hub_agent_stop (self->hub_agent);
  g_clear_object (&self->hub_agent);
  if (self->sync != NULL)
    kiosk_sync_stop (self->sync);
  g_clear_object (&self->sync);
  g_clear_object (&self->context);
  g_clear_object (&self->builder_document);

  G_OBJECT_CLASS (kiosk_application_parent_class)->dispose (object);
}

static void
kiosk_application_finalize (GObject *object)
{
  KioskApplication *self = (KioskApplication *)object;

  g_free (self->config_path);
  g_free (self->state_dir);
  g_free (self->startup_error);
  g_free (self->builder_file);
  g_free (self->catalog_key);

  G_OBJECT_CLASS (kiosk_application_parent_class)->finalize (object);
}

static void
kiosk_application_class_init (KioskApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->dispose = kiosk_application_dispose;
  object_class->finalize = kiosk_application_finalize;
  app_class->startup = kiosk_application_startup;
  app_class->activate = kiosk_application_activate;
  app_class->handle_local_options = kiosk_application_handle_local_options;
}

static void
kiosk_application_init (KioskApplication *self)
{
  const GOptionEntry entries[] = {
    { "config", 'c', 0, G_OPTION_ARG_FILENAME, NULL, N_("Configuration file"), N_("FILE") },
    { "state-dir", 0, 0, G_OPTION_ARG_FILENAME, NULL, N_("State directory (database)"), N_("DIR") },
    { "windowed", 0, 0, G_OPTION_ARG_NONE, NULL, N_("Run in a normal window (development)"), NULL },
    { "counter", 0, 0, G_OPTION_ARG_NONE, NULL, N_("Counter workstation: scan receipts, import queue files"), NULL },
    { "builder", 0, 0, G_OPTION_ARG_NONE, NULL, N_("Service builder: edit FILE, or the active catalogue"), NULL },
    { "catalog-key", 0, 0, G_OPTION_ARG_FILENAME, NULL, N_("Builder: also save a bundle signed with this key"), N_("FILE") },
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, NULL, NULL, N_("[FILE]") },
    { "version", 0, 0, G_OPTION_ARG_NONE, NULL, N_("Print the version"), NULL },
    { NULL }
  };

  g_application_add_main_option_entries (G_APPLICATION (self), entries);
}

KioskApplication *
kiosk_application_new (void)
{
  return g_object_new (KIOSK_TYPE_APPLICATION,
                       "application-id", APP_ID,
                       "flags", G_APPLICATION_NON_UNIQUE,
                       NULL);
}

KioskContext *
kiosk_application_get_context (KioskApplication *self)
{
  g_return_val_if_fail (KIOSK_IS_APPLICATION (self), NULL);
  return self->context;
}

const char *
kiosk_application_get_startup_error (KioskApplication *self)
{
  g_return_val_if_fail (KIOSK_IS_APPLICATION (self), NULL);
  return self->startup_error;
}

KioskSync *
kiosk_application_get_sync (KioskApplication *self)
{
  g_return_val_if_fail (KIOSK_IS_APPLICATION (self), NULL);
  return self->sync;
}

/**
 * kiosk_use_language:
 * @language: a language code, e.g. "de"
 *
 * Points gettext, and GTK's own strings where the locale is generated, at
 * @language; widgets built afterwards from their templates speak it.
 */
void
kiosk_use_language (const char *language)
{
  const char *locale;
  const char *chain;

  g_return_if_fail (language != NULL);

  /* One table for every language (app/core/kiosk-language.c).  The core
   * translates into the session language itself; GTK and the .ui
   * templates go through gettext, pointed at it here ("ls:de" for
   * Leichte Sprache: German where a text has no ls translation). */
  kiosk_language_set_current (language);
  locale = kiosk_language_get_locale (language);
  chain = kiosk_language_get_gettext_languages (language);
  g_setenv ("LANGUAGE", chain != NULL ? chain : language, TRUE);
  /* Where the locale is generated, GTK's own strings switch too; where it
   * is not, ours still do through LANGUAGE. */
  if (locale == NULL || setlocale (LC_MESSAGES, locale) == NULL)
    {
      const char *current = setlocale (LC_MESSAGES, NULL);

      /* gettext ignores LANGUAGE in the plain C locale (a kiosk started
       * by systemd without LANG); C.UTF-8 always exists and honours it. */
      if (current == NULL || g_str_equal (current, "C") || g_str_equal (current, "POSIX"))
        setlocale (LC_MESSAGES, "C.UTF-8");
    }
  /* Setting the text domain again makes gettext drop its cached lookups. */
  textdomain (GETTEXT_PACKAGE);
}

/* kiosk-application-private.h */

void
_kiosk_application_set_store_check_held (KioskApplication *self,
                                         gboolean          held)
{
  g_return_if_fail (KIOSK_IS_APPLICATION (self));

  self->check_held = held;
  start_store_check (self);
}

gboolean
_kiosk_application_get_store_checked (KioskApplication *self)
{
  g_return_val_if_fail (KIOSK_IS_APPLICATION (self), FALSE);
  return self->store_checked;
}

/* kiosk-session.c
 *
 * SPDX-FileCopyrightText: 2026 Stadtkiosk contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "kiosk-session"

#include "config.h"

#include "kiosk-session.h"

#include "kiosk-catalog-private.h"
#include "kiosk-config.h"
#include "kiosk-language.h"
#include "kiosk-outbox.h"
#include "kiosk-qr.h"
#include "kiosk-receipt.h"

/* One citizen at the kiosk, from the service they pick to the receipt in
 * their hand: the service, the form and its step, the request once it is
 * stored, and what the printer did.  No GTK: the window binds its pages to
 * these properties, and tests and benchmarks drive whole sessions without a
 * display.  kiosk_session_reset() forgets everything of the citizen; the
 * printer (not the citizen's) stays. */

struct _KioskSession
{
  GObject           parent_instance;

  KioskContext     *context;
  KioskPrinter     *printer;         /* from [printer]; NULL until first used or if misconfigured */
  char             *printer_error;   /* why there is no printer */
  gboolean          refer_printing;  /* a refer slip is on its way; one per tap */

  /* The citizen's.  Everything below is dropped on reset. */
  guint             serial;          /* bumped on reset: late print results are ignored */
  char             *language;        /* the session's, e.g. "de" */
  gboolean          assisted;        /* staff: a clerk fills it in for someone */
  KioskCatalog     *catalog;         /* loaded on first use, so that a pulled one shows next */
  KioskService     *service;
  KioskForm        *form;
  KioskForm        *sent_form;       /* the form that was enqueued; never twice */
  guint             step;
  gboolean          sending;
  KioskRequest     *request;
  KioskReceipt     *receipt;         /* the stored request's, until printed */
  char             *qr_text;         /* what the receipt's QR code carries */
  KioskPrintStatus  print_status;

  KioskCatalog     *fixed_catalog;   /* kiosk_session_set_catalog(): kept across resets */
};

enum {
  PROP_0,
  PROP_CONTEXT,
  PROP_LANGUAGE,
  PROP_ASSISTED,
  PROP_SERVICE,
  PROP_FORM,
  PROP_STEP,
  PROP_SENDING,
  PROP_SENT,
  PROP_REQUEST,
  PROP_PRINT_STATUS,
  N_PROPS,
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (KioskSession, kiosk_session, G_TYPE_OBJECT)
G_DEFINE_ENUM_TYPE (KioskPrintStatus, kiosk_print_status,
  G_DEFINE_ENUM_VALUE (KIOSK_PRINT_STATUS_NONE, "none"),
  G_DEFINE_ENUM_VALUE (KIOSK_PRINT_STATUS_PRINTING, "printing"),
  G_DEFINE_ENUM_VALUE (KIOSK_PRINT_STATUS_PRINTED, "printed"),
  G_DEFINE_ENUM_VALUE (KIOSK_PRINT_STATUS_FAILED, "failed"),
  G_DEFINE_ENUM_VALUE (KIOSK_PRINT_STATUS_NO_PRINTER, "no-printer"),
  G_DEFINE_ENUM_VALUE (KIOSK_PRINT_STATUS_NO_RECEIPT, "no-receipt"))
G_DEFINE_QUARK (kiosk-session-error-quark, kiosk_session_error)

static void
set_print_status (KioskSession     *self,
                  KioskPrintStatus  status)
{
  if (self->print_status == status)
    return;
  self->print_status = status;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PRINT_STATUS]);
}

static void
set_sending (KioskSession *self,
             gboolean      sending)
{
  if (self->sending == sending)
    return;
  self->sending = sending;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SENDING]);
}

/* Drops the citizen's service and everything that followed from it: what
 * "open another service" and a reset have in common. */
static void
drop_service (KioskSession *self)
{
  gboolean had_form = self->form != NULL;
  gboolean had_sent = self->sent_form != NULL;
  gboolean had_request = self->request != NULL;
  gboolean had_service = self->service != NULL;
  gboolean had_step = self->step != 0;

  g_object_freeze_notify (G_OBJECT (self));
  if (self->form != NULL)
    kiosk_form_clear (self->form);
  g_clear_object (&self->form);
  g_clear_object (&self->sent_form);
  g_clear_object (&self->request);
  g_clear_object (&self->receipt);
  g_clear_pointer (&self->qr_text, g_free);
  g_clear_object (&self->service);
  self->step = 0;
  self->serial++;
  set_sending (self, FALSE);
  set_print_status (self, KIOSK_PRINT_STATUS_NONE);
  if (had_service)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SERVICE]);
  if (had_form)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FORM]);
  if (had_step)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STEP]);
  if (had_sent)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SENT]);
  if (had_request)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_REQUEST]);
  g_object_thaw_notify (G_OBJECT (self));
}

static void
request_changed_cb (KioskSession *self,
                    KioskRequest *request)
{
  if (self->request == NULL ||
      g_strcmp0 (kiosk_request_get_id (request), kiosk_request_get_id (self->request)) != 0)
    return;
  g_set_object (&self->request, request);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_REQUEST]);
}

/* A slip being printed: a stored request's receipt or form, or a refer
 * service's slip (no request).  Its result is shown only in the session it
 * was printed for: after a reset the citizen is gone. */
typedef struct
{
  GWeakRef  session;
  guint     serial;
  char     *request_id;   /* NULL: a refer slip */
} PrintJob;

static void
print_job_free (PrintJob *job)
{
  g_weak_ref_clear (&job->session);
  g_free (job->request_id);
  g_free (job);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PrintJob, print_job_free)

static void
slip_printed_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(PrintJob) job = user_data;
  g_autoptr(KioskSession) self = g_weak_ref_get (&job->session);
  g_autoptr(GError) error = NULL;
  g_autofree char *where = kiosk_printer_print_finish (KIOSK_PRINTER (source), result, &error);
  gboolean refer = job->request_id == NULL;

  if (error != NULL)
    {
      g_autofree char *detail = g_strdup_printf ("%s: %s", refer ? "refer slip" : job->request_id,
                                                 error->message);

      g_message ("%s%s not printed: %s", refer ? "Refer slip" : "Receipt of request ",
                 refer ? "" : job->request_id, error->message);
      /* For the clerk screen's alerts and the admin's diagnostics. */
      if (self != NULL)
        kiosk_context_audit (self->context, "system", "print failed", detail);
    }
  else
    g_debug ("%s%s printed: %s", refer ? "Refer slip" : "Receipt of request ",
             refer ? "" : job->request_id, where);
  if (self == NULL)
    return;
  if (refer)
    self->refer_printing = FALSE;

  /* The person may have gone, and the next one must not see this. */
  if (job->serial == self->serial &&
      (refer || (self->request != NULL &&
                 g_strcmp0 (kiosk_request_get_id (self->request), job->request_id) == 0)))
    set_print_status (self, error != NULL ? KIOSK_PRINT_STATUS_FAILED : KIOSK_PRINT_STATUS_PRINTED);
}

/* @request: (nullable): %NULL for a refer slip */
static void
print_slip (KioskSession *self,
            KioskReceipt *receipt,
            KioskRequest *request)
{
  PrintJob *job;
  gboolean refer = request == NULL;

  if (self->printer == NULL && self->printer_error == NULL)
    {
      g_autoptr(GError) error = NULL;

      self->printer = kiosk_printer_new_from_config (kiosk_context_get_config (self->context), &error);
      if (self->printer == NULL)
        {
          g_message ("No printer: %s", error->message);
          self->printer_error = g_strdup (error->message);
        }
    }

  if (self->printer == NULL)
    {
      set_print_status (self, KIOSK_PRINT_STATUS_FAILED);
      return;
    }
  if (kiosk_printer_get_kind (self->printer) == KIOSK_PRINTER_NONE)
    {
      set_print_status (self, KIOSK_PRINT_STATUS_NO_PRINTER);
      return;
    }

  job = g_new0 (PrintJob, 1);
  g_weak_ref_init (&job->session, self);
  job->serial = self->serial;
  job->request_id = refer ? NULL : g_strdup (kiosk_request_get_id (request));
  if (refer)
    self->refer_printing = TRUE;
  set_print_status (self, KIOSK_PRINT_STATUS_PRINTING);
  /* Not cancelled on a session reset: the receipt of a person who walked
   * away still comes out, and the request is stored either way. */
  kiosk_printer_print_async (self->printer, receipt, NULL, slip_printed_cb, job);
}

static void
kiosk_session_dispose (GObject *object)
{
  KioskSession *self = (KioskSession *)object;

  if (self->context != NULL)
    g_signal_handlers_disconnect_by_data (kiosk_context_get_outbox (self->context), self);
  if (self->form != NULL)
    kiosk_form_clear (self->form);
  g_clear_object (&self->form);
  g_clear_object (&self->sent_form);
  g_clear_object (&self->request);
  g_clear_object (&self->receipt);
  g_clear_object (&self->service);
  g_clear_object (&self->fixed_catalog);
  g_clear_object (&self->catalog);
  g_clear_object (&self->printer);
  g_clear_object (&self->context);

  G_OBJECT_CLASS (kiosk_session_parent_class)->dispose (object);
}

static void
kiosk_session_finalize (GObject *object)
{
  KioskSession *self = (KioskSession *)object;

  g_free (self->language);
  g_free (self->qr_text);
  g_free (self->printer_error);

  G_OBJECT_CLASS (kiosk_session_parent_class)->finalize (object);
}

static void
kiosk_session_constructed (GObject *object)
{
  KioskSession *self = (KioskSession *)object;

  G_OBJECT_CLASS (kiosk_session_parent_class)->constructed (object);

  g_assert (KIOSK_IS_CONTEXT (self->context));
  self->language = g_strdup (kiosk_session_get_default_language (self));
  g_signal_connect_object (kiosk_context_get_outbox (self->context), "request-changed",
                           G_CALLBACK (request_changed_cb), self, G_CONNECT_SWAPPED);
}

static void
kiosk_session_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  KioskSession *self = KIOSK_SESSION (object);

  switch (prop_id)
    {
    case PROP_CONTEXT:
      g_value_set_object (value, self->context);
      break;
    case PROP_LANGUAGE:
      g_value_set_string (value, self->language);
      break;
    case PROP_ASSISTED:
      g_value_set_boolean (value, self->assisted);
      break;
    case PROP_SERVICE:
      g_value_set_object (value, self->service);
      break;
    case PROP_FORM:
      g_value_set_object (value, self->form);
      break;
    case PROP_STEP:
      g_value_set_uint (value, self->step);
      break;
    case PROP_SENDING:
      g_value_set_boolean (value, self->sending);
      break;
    case PROP_SENT:
      g_value_set_boolean (value, kiosk_session_get_sent (self));
      break;
    case PROP_REQUEST:
      g_value_set_object (value, self->request);
      break;
    case PROP_PRINT_STATUS:
      g_value_set_enum (value, self->print_status);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kiosk_session_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  KioskSession *self = KIOSK_SESSION (object);

  switch (prop_id)
    {
    case PROP_CONTEXT:
      self->context = g_value_dup_object (value);
      break;
    case PROP_LANGUAGE:
      kiosk_session_set_language (self, g_value_get_string (value));
      break;
    case PROP_ASSISTED:
      kiosk_session_set_assisted (self, g_value_get_boolean (value));
      break;
    case PROP_STEP:
      kiosk_session_set_step (self, g_value_get_uint (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kiosk_session_class_init (KioskSessionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = kiosk_session_constructed;
  object_class->dispose = kiosk_session_dispose;
  object_class->finalize = kiosk_session_finalize;
  object_class->get_property = kiosk_session_get_property;
  object_class->set_property = kiosk_session_set_property;

  properties[PROP_CONTEXT] =
    g_param_spec_object ("context", NULL, NULL, KIOSK_TYPE_CONTEXT,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_LANGUAGE] =
    g_param_spec_string ("language", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_ASSISTED] =
    g_param_spec_boolean ("assisted", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SERVICE] =
    g_param_spec_object ("service", NULL, NULL, KIOSK_TYPE_SERVICE,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_FORM] =
    g_param_spec_object ("form", NULL, NULL, KIOSK_TYPE_FORM,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_STEP] =
    g_param_spec_uint ("step", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SENDING] =
    g_param_spec_boolean ("sending", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_SENT] =
    g_param_spec_boolean ("sent", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_REQUEST] =
    g_param_spec_object ("request", NULL, NULL, KIOSK_TYPE_REQUEST,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_PRINT_STATUS] =
    g_param_spec_enum ("print-status", NULL, NULL, KIOSK_TYPE_PRINT_STATUS, KIOSK_PRINT_STATUS_NONE,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
kiosk_session_init (KioskSession *self)
{
}

/**
 * kiosk_session_new:
 * @context: the kiosk's core
 *
 * Returns: (transfer full): an empty session in the kiosk's first language
 */
KioskSession *
kiosk_session_new (KioskContext *context)
{
  g_return_val_if_fail (KIOSK_IS_CONTEXT (context), NULL);

  return g_object_new (KIOSK_TYPE_SESSION, "context", context, NULL);
}

KioskContext *
kiosk_session_get_context (KioskSession *self)
{
  g_return_val_if_fail (KIOSK_IS_SESSION (self), NULL);
  return self->context;
}

/**
 * kiosk_session_get_default_language:
 *
 * Returns: the kiosk's first configured language, which every session
 *   starts in
 */
const char *
kiosk_session_get_default_language (KioskSession *self)
{
  const char * const *languages;

  g_return_val_if_fail (KIOSK_IS_SESSION (self), NULL);

  languages = kiosk_config_get_languages (kiosk_context_get_config (self->context));
  if (languages != NULL && languages[0] != NULL)
    return languages[0];
  /* The language table's first, German. */
  return kiosk_language_get_supported ()[0];
}

const char *
kiosk_session_get_language (KioskSession *self)
{
  g_return_val_if_fail (KIOSK_IS_SESSION (self), NULL);
  return self->language;
}

/**
 * kiosk_session_set_language:
 * @language: a language code, e.g. "de"
 *
 * The language of labels, the receipt and the stored request's locale.
 * The caller checks it against the configured languages.
 */
void
kiosk_session_set_language (KioskSession *self,
                            const char   *language)
{
  g_return_if_fail (KIOSK_IS_SESSION (self));
  g_return_if_fail (language != NULL);
  g_return_if_fail (kiosk_language_is_supported (language));

  if (g_strcmp0 (self->language, language) == 0)
    return;
  g_free (self->language);
  self->language = g_strdup (language);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LANGUAGE]);
}

gboolean
kiosk_session_get_assisted (KioskSession *self)
{
  g_return_val_if_fail (KIOSK_IS_SESSION (self), FALSE);
  return self->assisted;
}

/**
 * kiosk_session_set_assisted:
 *
 * Staff: a clerk fills in the form for someone; the request is flagged
 * and its audit entry names the clerk's role.
 */
void
kiosk_session_set_assisted (KioskSession *self,
                            gboolean      assisted)
{
  g_return_if_fail (KIOSK_IS_SESSION (self));

  assisted = !!assisted;
  if (self->assisted == assisted)
    return;
  self->assisted = assisted;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ASSISTED]);
}

/**
 * kiosk_session_get_catalog:
 *
 * The active catalogue, read from the store on first use in a session (a
 * catalogue pulled during one session is shown to the next person), or
 * the bundled demo when the store has none or cannot be read.
 *
 * Returns: (transfer none): the catalogue
 */
KioskCatalog *
kiosk_session_get_catalog (KioskSession *self)
{
  g_autoptr(GError) error = NULL;

  g_return_val_if_fail (KIOSK_IS_SESSION (self), NULL);

  if (self->fixed_catalog != NULL)
    return self->fixed_catalog;
  if (self->catalog != NULL)
    return self->catalog;
  self->catalog = kiosk_context_dup_active_catalog (self->context, &error);
  if (self->catalog == NULL)
    {
      /* The demo catalogue is bundled and always valid: a citizen never
       * sees an empty kiosk because the database could not be read. */
      if (error != NULL)
        g_warning ("Could not load the catalogue, showing the demo: %s", error->message);
      self->catalog = kiosk_catalog_new_demo ();
    }
  return self->catalog;
}

/**
 * kiosk_session_set_catalog:
 * @catalog: (nullable): the catalogue to use instead of the active one, or
 *   %NULL for the active one again
 *
 * For the service builder's preview (#20): the session runs on a catalogue
 * being edited.  The service and answers are dropped; resets keep it.
 */
void
kiosk_session_set_catalog (KioskSession *self,
                           KioskCatalog *catalog)
{
  g_return_if_fail (KIOSK_IS_SESSION (self));
  g_return_if_fail (catalog == NULL || KIOSK_IS_CATALOG (catalog));

  g_object_freeze_notify (G_OBJECT (self));
  drop_service (self);
  g_set_object (&self->fixed_catalog, catalog);
  g_clear_object (&self->catalog);
  g_object_thaw_notify (G_OBJECT (self));
}

/**
 * kiosk_session_peek_catalog:
 *
 * Returns: (transfer none) (nullable): the catalogue if it was read in this
 *   session, without reading it
 */
KioskCatalog *
kiosk_session_peek_catalog (KioskSession *self)
{
  g_return_val_if_fail (KIOSK_IS_SESSION (self), NULL);
  return self->fixed_catalog != NULL ? self->fixed_catalog : self->catalog;
}

static void
catalog_loaded_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  KioskSession *self = g_task_get_source_object (task);
  g_autoptr(KioskCatalog) catalog = kiosk_context_load_active_catalog_finish (KIOSK_CONTEXT (object), result, NULL);

  /* Read meanwhile (a citizen was quicker), or it does not load: the
   * session reads it its usual way (the demo at worst). */
  if (self->catalog == NULL && catalog != NULL)
    self->catalog = g_steal_pointer (&catalog);
  g_task_return_pointer (task, g_object_ref (kiosk_session_get_catalog (self)), g_object_unref);
}

/**
 * kiosk_session_load_catalog_async:
 *
 * Reads the active catalogue as kiosk_session_get_catalog() does, but a
 * large one is validated in a worker thread
 * (kiosk_context_load_active_catalog_async()), so that a kiosk with a
 * federal-size catalogue paints its first frame (and starts the next
 * session) without waiting for it.  kiosk_session_get_catalog() meanwhile
 * still reads it at once.
 */
void
kiosk_session_load_catalog_async (KioskSession        *self,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (KIOSK_IS_SESSION (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, kiosk_session_load_catalog_async);
  /* The builder's preview catalogue, or one read already. */
  if (kiosk_session_peek_catalog (self) != NULL)
    {
      g_task_return_pointer (task, g_object_ref (kiosk_session_peek_catalog (self)), g_object_unref);
      return;
    }
  kiosk_context_load_active_catalog_async (self->context, cancellable, catalog_loaded_cb, g_steal_pointer (&task));
}

/**
 * kiosk_session_load_catalog_finish:
 *
 * Returns: (transfer full): the session's catalogue
 */
KioskCatalog *
kiosk_session_load_catalog_finish (KioskSession  *self,
                                   GAsyncResult  *result,
                                   GError       **error)
{
  g_return_val_if_fail (KIOSK_IS_SESSION (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

KioskService *
kiosk_session_get_service (KioskSession *self)
{
  g_return_val_if_fail (KIOSK_IS_SESSION (self), NULL);
  return self->service;
}

/**
 * kiosk_session_open_service:
 * @service_id: a service of the catalogue
 *
 * Starts over with @service_id: the answers to another service are gone.
 *
 * Returns: %FALSE, and nothing changed, if the catalogue has no such
 *   service, or its form cannot be read (kiosk-catalog-forms.c)
 */
gboolean
kiosk_session_open_service (KioskSession *self,
                            const char   *service_id)
{
  KioskService *service;

  g_return_val_if_fail (KIOSK_IS_SESSION (self), FALSE);
  g_return_val_if_fail (service_id != NULL, FALSE);

  service = kiosk_catalog_lookup (kiosk_session_get_catalog (self), service_id);
  /* A form read on demand that cannot be read (damage, said in the log)
   * is not offered half: the service stays closed, like a disabled one. */
  if (service == NULL || !_kiosk_service_ensure_form (service, NULL))
    return FALSE;
  g_object_freeze_notify (G_OBJECT (self));
  drop_service (self);
  self->service = g_object_ref (service);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SERVICE]);
  g_object_thaw_notify (G_OBJECT (self));
  return TRUE;
}

/**
 * kiosk_session_begin_form:
 *
 * A new, empty form for the service, on its first visible step (or, when
 * no step is visible, on the review: step n_steps).
 *
 * Returns: %FALSE without a service or for a `refer` service, which has
 *   no form: its end page sends the citizen elsewhere
 */
gboolean
kiosk_session_begin_form (KioskSession *self)
{
  KioskConfig *config;

  g_return_val_if_fail (KIOSK_IS_SESSION (self), FALSE);

  if (self->service == NULL ||
      kiosk_service_get_offline_mode (self->service) == KIOSK_OFFLINE_REFER)
    return FALSE;

  config = kiosk_context_get_config (self->context);
  g_object_freeze_notify (G_OBJECT (self));
  if (self->form != NULL)
    kiosk_form_clear (self->form);
  g_clear_object (&self->form);
  self->form = kiosk_form_new (self->service, kiosk_config_get_postal_codes (config),
                               kiosk_context_get_clock (self->context));
  kiosk_form_set_city (self->form, kiosk_config_get_city (config));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FORM]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SENT]);
  kiosk_session_set_step (self, kiosk_session_get_next_step (self, 0));
  g_object_thaw_notify (G_OBJECT (self));
  return TRUE;
}

/**
 * kiosk_session_get_form:
 *
 * Returns: (transfer none) (nullable): the form being filled in
 */
KioskForm *
kiosk_session_get_form (KioskSession *self)
{
  g_return_val_if_fail (KIOSK_IS_SESSION (self), NULL);
  return self->form;
}

guint
kiosk_session_get_step (KioskSession *self)
{
  g_return_val_if_fail (KIOSK_IS_SESSION (self), 0);
  return self->step;
}

/**
 * kiosk_session_set_step:
 * @step: a step of the form, or its number of steps for the review
 */
void
kiosk_session_set_step (KioskSession *self,
                        guint         step)
{
  g_return_if_fail (KIOSK_IS_SESSION (self));

  if (self->form != NULL && step < kiosk_form_get_n_steps (self->form))
    kiosk_form_set_current_step (self->form, step);
  if (self->step == step)
    return;
  self->step = step;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STEP]);
}

/**
 * kiosk_session_step_is_visible:
 *
 * Returns: whether @step exists and its conditions show it
 */
gboolean
kiosk_session_step_is_visible (KioskSession *self,
                               guint         step)
{
  g_return_val_if_fail (KIOSK_IS_SESSION (self), FALSE);

  return self->form != NULL &&
         step < kiosk_form_get_n_steps (self->form) &&
         kiosk_form_step_is_visible (self->form, step);
}

/**
 * kiosk_session_get_next_step:
 * @from: the first step to consider
 *
 * Returns: the first visible step from @from on, or the form's number of
 *   steps (the review) when none is left
 */
guint
kiosk_session_get_next_step (KioskSession *self,
                             guint         from)
{
  guint n_steps;

  g_return_val_if_fail (KIOSK_IS_SESSION (self), 0);

  if (self->form == NULL)
    return 0;
  n_steps = kiosk_form_get_n_steps (self->form);
  for (guint i = from; i < n_steps; i++)
    if (kiosk_session_step_is_visible (self, i))
      return i;
  return n_steps;
}

/**
 * kiosk_session_get_previous_step:
 * @from: the step (or review) to go back from
 * @out_step: (out): the last visible step before @from
 *
 * Returns: %FALSE when there is none: back leads out of the form
 */
gboolean
kiosk_session_get_previous_step (KioskSession *self,
                                 guint         from,
                                 guint        *out_step)
{
  g_return_val_if_fail (KIOSK_IS_SESSION (self), FALSE);
  g_return_val_if_fail (out_step != NULL, FALSE);

  for (guint i = from; i > 0; i--)
    if (kiosk_session_step_is_visible (self, i - 1))
      {
        *out_step = i - 1;
        return TRUE;
      }
  return FALSE;
}

gboolean
kiosk_session_get_sending (KioskSession *self)
{
  g_return_val_if_fail (KIOSK_IS_SESSION (self), FALSE);
  return self->sending;
}

/**
 * kiosk_session_get_sent:
 *
 * Returns: whether the current form was stored; it never is twice
 */
gboolean
kiosk_session_get_sent (KioskSession *self)
{
  g_return_val_if_fail (KIOSK_IS_SESSION (self), FALSE);
  return self->form != NULL && self->sent_form == self->form;
}

/**
 * kiosk_session_submit:
 *
 * Checks every answer, stores the request in the outbox (sealed to the
 * city's key at rest when one is configured) and makes its receipt.  A
 * second call for the same form is refused, so a double tap makes one
 * request.  Once stored, the request stays stored whatever follows: a
 * receipt that cannot be made sets #KioskSession:print-status to
 * %KIOSK_PRINT_STATUS_NO_RECEIPT and the QR text falls back to the
 * short code.
 *
 * On %KIOSK_SESSION_ERROR_INVALID the step is set to the first step with
 * a wrong answer.
 *
 * Returns: %TRUE when the request is stored, with #KioskSession:request set
 */
gboolean
kiosk_session_submit (KioskSession  *self,
                      GError       **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GBytes) answers = NULL;
  g_autoptr(GPtrArray) errors = NULL;
  g_autoptr(KioskRequest) request = NULL;
  g_autoptr(KioskReceipt) receipt = NULL;
  KioskRequestDraft draft = { 0 };
  KioskService *service;
  const char *language;

  g_return_val_if_fail (KIOSK_IS_SESSION (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (self->form == NULL || self->sending || kiosk_session_get_sent (self))
    {
      g_set_error_literal (error, KIOSK_SESSION_ERROR, KIOSK_SESSION_ERROR_BUSY,
                           "there is no form to send, or it is being sent or was sent");
      return FALSE;
    }
  set_sending (self, TRUE);
  service = self->service;
  language = self->language;

  if (!kiosk_form_validate_all (self->form, language, &errors))
    {
      KioskFieldError *first = errors->len > 0 ? g_ptr_array_index (errors, 0) : NULL;
      KioskField *field = first != NULL ? kiosk_service_lookup_field (service, first->field_id) : NULL;

      if (field != NULL)
        kiosk_session_set_step (self, kiosk_field_get_step (field));
      set_sending (self, FALSE);
      g_set_error (error, KIOSK_SESSION_ERROR, KIOSK_SESSION_ERROR_INVALID,
                   "the answer to \"%s\" is missing or wrong",
                   first != NULL ? first->field_id : "?");
      return FALSE;
    }

  answers = kiosk_form_to_json (self->form);
  draft.service_id = kiosk_service_get_id (service);
  draft.service_version = kiosk_service_get_version (service);
  draft.locale = language;
  draft.answers = answers;
  draft.answers_format = KIOSK_ANSWERS_JSON;
  if (self->assisted)
    draft.flags |= KIOSK_REQUEST_FLAG_ASSISTED;
  request = kiosk_context_submit (self->context, &draft,
                                  self->assisted ? "clerk" : "citizen", &local_error);
  if (request == NULL)
    {
      /* Nothing was stored; the answers are still in the form. */
      g_message ("Could not store a request for %s: %s", draft.service_id, local_error->message);
      set_sending (self, FALSE);
      g_set_error (error, KIOSK_SESSION_ERROR, KIOSK_SESSION_ERROR_NOT_STORED,
                   "the request could not be stored: %s", local_error->message);
      return FALSE;
    }

  g_object_freeze_notify (G_OBJECT (self));
  g_set_object (&self->sent_form, self->form);
  g_set_object (&self->request, request);
  set_sending (self, FALSE);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SENT]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_REQUEST]);

  /* The request is committed; what follows may fail without losing it.
   * A `print` service's slip is the filled-in form to take to the office;
   * others show the answers only where the catalogue allows it. */
  g_clear_object (&self->receipt);
  g_clear_pointer (&self->qr_text, g_free);
  receipt = kiosk_receipt_new_for_request (self->context, request,
                                           kiosk_service_get_title (service, language),
                                           language, &local_error);
  if (receipt != NULL)
    kiosk_receipt_set_next_steps (receipt, kiosk_service_get_next_steps (service, language));
  if (receipt != NULL &&
      kiosk_service_get_offline_mode (service) == KIOSK_OFFLINE_PRINT &&
      !kiosk_receipt_use_form_layout (receipt, service, answers, language, &local_error))
    g_clear_object (&receipt);
  else if (receipt != NULL &&
           kiosk_service_get_offline_mode (service) != KIOSK_OFFLINE_PRINT &&
           kiosk_service_get_receipt_shows_answers (service) &&
           !kiosk_receipt_add_answers (receipt, service, answers, language, &local_error))
    g_clear_object (&receipt);

  if (receipt != NULL)
    {
      self->qr_text = g_strdup (kiosk_qr_get_text (kiosk_receipt_get_qr (receipt)));
      self->receipt = g_steal_pointer (&receipt);
    }
  else
    {
      g_message ("No receipt for %s: %s", kiosk_request_get_short_code (request), local_error->message);
      self->qr_text = g_strdup (kiosk_request_get_short_code (request));
      set_print_status (self, KIOSK_PRINT_STATUS_NO_RECEIPT);
    }
  g_object_thaw_notify (G_OBJECT (self));
  return TRUE;
}

/**
 * kiosk_session_get_request:
 *
 * Returns: (transfer none) (nullable): the stored request, kept up to date
 *   as the outbox delivers it
 */
KioskRequest *
kiosk_session_get_request (KioskSession *self)
{
  g_return_val_if_fail (KIOSK_IS_SESSION (self), NULL);
  return self->request;
}

/**
 * kiosk_session_get_qr_text:
 *
 * Returns: (nullable): what the stored request's QR code carries: the
 *   sealed payload in digits, or its short code when there is no receipt
 */
const char *
kiosk_session_get_qr_text (KioskSession *self)
{
  g_return_val_if_fail (KIOSK_IS_SESSION (self), NULL);
  return self->qr_text;
}

/**
 * kiosk_session_print_receipt:
 *
 * Prints the stored request's receipt, once; #KioskSession:print-status
 * follows the printer.  Without a receipt (see kiosk_session_submit())
 * nothing happens.
 */
void
kiosk_session_print_receipt (KioskSession *self)
{
  g_autoptr(KioskReceipt) receipt = NULL;

  g_return_if_fail (KIOSK_IS_SESSION (self));

  if (self->receipt == NULL || self->request == NULL)
    return;
  receipt = g_steal_pointer (&self->receipt);
  print_slip (self, receipt, self->request);
}

/**
 * kiosk_session_print_refer:
 *
 * "Print this" on a `refer` service's end page: the web address, its QR
 * code and the office hours on paper, for a person without a phone.
 * Nothing of the citizen is stored or printed.  One slip at a time.
 */
void
kiosk_session_print_refer (KioskSession *self)
{
  g_autoptr(KioskReceipt) receipt = NULL;
  g_autoptr(GError) error = NULL;
  const char *language;

  g_return_if_fail (KIOSK_IS_SESSION (self));

  if (self->service == NULL || self->refer_printing ||
      kiosk_service_get_offline_mode (self->service) != KIOSK_OFFLINE_REFER)
    return;

  language = self->language;
  receipt = kiosk_receipt_new_refer (kiosk_service_get_title (self->service, language),
                                     kiosk_service_get_refer_url (self->service),
                                     kiosk_service_get_office_hours (self->service, language),
                                     language, &error);
  if (receipt == NULL)
    {
      g_message ("No refer slip for %s: %s", kiosk_service_get_id (self->service), error->message);
      set_print_status (self, KIOSK_PRINT_STATUS_FAILED);
      return;
    }
  print_slip (self, receipt, NULL);
}

KioskPrintStatus
kiosk_session_get_print_status (KioskSession *self)
{
  g_return_val_if_fail (KIOSK_IS_SESSION (self), KIOSK_PRINT_STATUS_NONE);
  return self->print_status;
}

/**
 * kiosk_session_reset:
 *
 * Forgets everything of the citizen: service, answers, request, print
 * status, the assisted flag and the language (back to the kiosk's first).
 * The catalogue is read again on next use.  A slip still printing comes
 * out, but its result is no longer reported.
 */
void
kiosk_session_reset (KioskSession *self)
{
  g_return_if_fail (KIOSK_IS_SESSION (self));

  g_object_freeze_notify (G_OBJECT (self));
  drop_service (self);
  g_clear_object (&self->catalog);
  kiosk_session_set_assisted (self, FALSE);
  kiosk_session_set_language (self, kiosk_session_get_default_language (self));
  g_object_thaw_notify (G_OBJECT (self));
}

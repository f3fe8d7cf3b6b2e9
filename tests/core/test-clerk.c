/* test-clerk.c: the clerk's actions and the alerts, at the core
 *
 * SPDX-FileCopyrightText: 2026 Stadtkiosk contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "stadtkiosk-core.h"
#include "kiosk-test-util.h"

#define T0 (G_GINT64_CONSTANT (1800000000) * G_USEC_PER_SEC)
#define SECRET "Erika Mustermann, Almsstraße 1"

typedef struct
{
  char         *dir;
  KioskClock   *clock;
  KioskConfig  *config;
  KioskContext *context;
} Fixture;


static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  const char *printer = data;
  g_autofree char *conf = NULL;
  g_autofree char *text = NULL;

  f->dir = g_dir_make_tmp ("test-clerk-XXXXXX", &error);
  g_assert_no_error (error);
  conf = g_build_filename (f->dir, "kiosk.conf", NULL);
  /* In clear on purpose ([keys] seal = off): otherwise a real-mode kiosk
   * without the city's key has a standing privacy alert (#12). */
  text = g_strdup_printf ("[kiosk]\nid=kiosk-a\nstate-dir=%s\n[backend]\nalert-age-hours=24\n"
                          "[printer]\nbackend=%s\n[keys]\nseal=off\n", f->dir, printer != NULL ? printer : "none");
  g_assert_true (g_file_set_contents (conf, text, -1, NULL));
  f->config = kiosk_config_new_from_file (conf, &error);
  g_assert_no_error (error);
  f->clock = kiosk_clock_new_fake (T0);
  f->context = kiosk_context_new (f->config, f->clock, &error);
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_assert_finalize_object (f->context);
  g_clear_object (&f->config);
  g_clear_object (&f->clock);
  kiosk_test_rm_rf (f->dir);
  g_free (f->dir);
}

static KioskRequest *
enqueue (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) answers = g_bytes_new_static ("{\"name\":\"" SECRET "\"}", strlen ("{\"name\":\"" SECRET "\"}"));
  KioskRequestDraft draft = {
    .service_id = "sperrmuell", .service_version = 1, .locale = "de", .answers = answers,
  };
  KioskRequest *request = kiosk_outbox_enqueue (kiosk_context_get_outbox (f->context), &draft, "citizen", &error);

  g_assert_no_error (error);
  return request;
}

/* Takes @request through sending to rejected, as the sync would. */
static void
reject (Fixture      *f,
        KioskRequest *request)
{
  KioskOutbox *outbox = kiosk_context_get_outbox (f->context);
  g_autoptr(GError) error = NULL;
  g_autoptr(KioskRequest) due = kiosk_outbox_retry_now (outbox, kiosk_request_get_id (request), "test", NULL);
  g_autoptr(GPtrArray) claimed = kiosk_outbox_claim_due (outbox, 100, &error);
  g_autoptr(KioskRequest) rejected = NULL;

  g_assert_nonnull (due);
  g_assert_no_error (error);
  g_assert_cmpuint (claimed->len, >=, 1);
  for (guint i = 0; i < claimed->len; i++)
    {
      KioskRequest *r = g_ptr_array_index (claimed, i);

      if (!g_str_equal (kiosk_request_get_id (r), kiosk_request_get_id (request)))
        g_clear_object (&(KioskRequest *) { kiosk_outbox_release (outbox, kiosk_request_get_id (r), "test", NULL) });
    }
  rejected = kiosk_outbox_mark_rejected (outbox, kiosk_request_get_id (request),
                                         "postal code 99999 is not in Hildesheim", &error);
  g_assert_no_error (error);
}

static gboolean
audit_has (Fixture    *f,
           const char *role,
           const char *action,
           const char *detail_part)
{
  g_autoptr(GPtrArray) entries = kiosk_audit_list (kiosk_context_get_store (f->context), 100, NULL);

  g_assert_nonnull (entries);
  for (guint i = 0; i < entries->len; i++)
    {
      KioskAuditEntry *e = g_ptr_array_index (entries, i);

      if (g_str_equal (e->role, role) && g_str_equal (e->action, action) &&
          e->detail != NULL && strstr (e->detail, detail_part) != NULL)
        return TRUE;
    }
  return FALSE;
}

static void
test_actions (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KioskRequest) a = enqueue (f);
  g_autoptr(KioskRequest) b = enqueue (f);
  g_autoptr(KioskRequest) after = NULL;
  g_autofree char *words = NULL;

  /* Retry now: a queued request waiting for its next try becomes due. */
  {
    g_autoptr(GPtrArray) claimed = kiosk_outbox_claim_due (kiosk_context_get_outbox (f->context), 100, &error);
    for (guint i = 0; i < claimed->len; i++)
      g_clear_object (&(KioskRequest *) {
        kiosk_outbox_mark_retry (kiosk_context_get_outbox (f->context),
                                 kiosk_request_get_id (g_ptr_array_index (claimed, i)),
                                 T0 + 600 * G_USEC_PER_SEC, "no answer from the server", NULL) });
  }
  after = kiosk_outbox_get (kiosk_context_get_outbox (f->context), kiosk_request_get_id (a), &error);
  words = kiosk_clerk_describe_problem (after, kiosk_clock_get_now (f->clock));
  g_test_message ("%s", words);
  /* Plain words, not the technical ones (#16, item 9). */
  g_assert_cmpstr (words, ==, "Not sent yet: The city's system did not answer in time. Next try in 10 minutes.");
  g_assert_null (strstr (words, "Mustermann"));
  g_clear_object (&after);
  g_clear_pointer (&words, g_free);

  after = kiosk_clerk_act (f->context, KIOSK_ROLE_CLERK, kiosk_request_get_short_code (a),
                           KIOSK_CLERK_RETRY_NOW, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (kiosk_request_get_next_attempt (after), <=, kiosk_clock_get_now (f->clock));
  g_assert_true (audit_has (f, "clerk", "retry", kiosk_request_get_short_code (a)));
  g_clear_object (&after);

  /* A queued request cannot be "re-queued", nor cancelled without a reason. */
  after = kiosk_clerk_act (f->context, KIOSK_ROLE_CLERK, kiosk_request_get_id (b), KIOSK_CLERK_REQUEUE, NULL, &error);
  g_assert_error (error, KIOSK_CLERK_ERROR, KIOSK_CLERK_ERROR_NOT_ALLOWED);
  g_assert_null (after);
  g_clear_error (&error);
  after = kiosk_clerk_act (f->context, KIOSK_ROLE_CLERK, kiosk_request_get_id (b), KIOSK_CLERK_CANCEL, "   ", &error);
  g_assert_error (error, KIOSK_CLERK_ERROR, KIOSK_CLERK_ERROR_NEEDS_REASON);
  g_clear_error (&error);

  /* Rejected → re-queued → rejected again → cancelled with a reason. */
  reject (f, b);
  after = kiosk_outbox_get (kiosk_context_get_outbox (f->context), kiosk_request_get_id (b), &error);
  g_assert_true (kiosk_clerk_can (after, KIOSK_CLERK_REQUEUE));
  g_assert_false (kiosk_clerk_can (after, KIOSK_CLERK_RETRY_NOW));
  words = kiosk_clerk_describe_problem (after, kiosk_clock_get_now (f->clock));
  g_assert_nonnull (strstr (words, "postal code 99999"));
  g_clear_object (&after);

  after = kiosk_clerk_act (f->context, KIOSK_ROLE_CLERK, kiosk_request_get_id (b), KIOSK_CLERK_REQUEUE, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (kiosk_request_get_state (after), ==, KIOSK_REQUEST_QUEUED);
  g_assert_true (audit_has (f, "clerk", "requeue", kiosk_request_get_short_code (b)));
  g_clear_object (&after);

  reject (f, b);
  after = kiosk_clerk_act (f->context, KIOSK_ROLE_ADMIN, kiosk_request_get_id (b), KIOSK_CLERK_CANCEL,
                           " citizen came to the counter ", &error);
  g_assert_no_error (error);
  g_assert_cmpint (kiosk_request_get_state (after), ==, KIOSK_REQUEST_CANCELLED);
  g_assert_cmpstr (kiosk_request_get_last_error (after), ==, "citizen came to the counter");
  g_assert_true (audit_has (f, "admin", "cancel", "citizen came to the counter"));
  g_clear_object (&after);

  /* Cancelled is final for the queue; handled at the counter still works. */
  after = kiosk_clerk_act (f->context, KIOSK_ROLE_CLERK, kiosk_request_get_id (b), KIOSK_CLERK_RETRY_NOW, NULL, &error);
  g_assert_error (error, KIOSK_CLERK_ERROR, KIOSK_CLERK_ERROR_NOT_ALLOWED);
  g_clear_error (&error);
  after = kiosk_clerk_act (f->context, KIOSK_ROLE_CLERK, kiosk_request_get_id (a), KIOSK_CLERK_HANDLED,
                           "handed over on paper", &error);
  g_assert_no_error (error);
  g_assert_cmpint (kiosk_request_get_state (after), ==, KIOSK_REQUEST_HANDLED);
  g_assert_true (audit_has (f, "clerk", "handled", "handed over on paper"));

  /* Unknown request: the outbox's own error. */
  g_clear_object (&after);
  after = kiosk_clerk_act (f->context, KIOSK_ROLE_CLERK, "HSK-0000-0000", KIOSK_CLERK_HANDLED, NULL, &error);
  g_assert_null (after);
  g_assert_error (error, KIOSK_OUTBOX_ERROR, KIOSK_OUTBOX_ERROR_NOT_FOUND);
}

static gboolean
has_alert (GPtrArray      *alerts,
           KioskAlertKind  kind)
{
  for (guint i = 0; i < alerts->len; i++)
    if (((KioskAlert *) g_ptr_array_index (alerts, i))->kind == kind)
      return TRUE;
  return FALSE;
}

static void
test_alerts (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(KioskRequest) a = enqueue (f);
  g_autoptr(KioskRequest) b = NULL;
  g_autoptr(GPtrArray) alerts = NULL;
  g_autoptr(GError) open_error = g_error_new (KIOSK_STORE_ERROR, KIOSK_STORE_ERROR_DAMAGED, "kiosk.db is damaged");
  g_autofree char *db = kiosk_context_dup_db_path (f->config);
  g_autofree char *aside = g_strconcat (db, ".damaged-20260101-120000", NULL);

  /* A fresh queue, no printer: nothing to say. */
  alerts = kiosk_alerts_collect (f->config, f->context, NULL, NULL, kiosk_clock_get_now (f->clock));
  g_assert_cmpuint (alerts->len, ==, 0);
  g_clear_pointer (&alerts, g_ptr_array_unref);

  /* A day and an hour later, with a rejected one and a paused sync. */
  kiosk_clock_advance (f->clock, 25 * G_TIME_SPAN_HOUR);
  b = enqueue (f);
  reject (f, b);
  alerts = kiosk_alerts_collect (f->config, f->context, NULL, "the backend refused the token (HTTP 401)",
                                 kiosk_clock_get_now (f->clock));
  for (guint i = 0; i < alerts->len; i++)
    g_test_message ("%s: %s", kiosk_alert_kind_to_string (((KioskAlert *) alerts->pdata[i])->kind),
                    ((KioskAlert *) alerts->pdata[i])->message);
  g_assert_cmpuint (alerts->len, ==, 3);
  g_assert_true (has_alert (alerts, KIOSK_ALERT_OLD_UNDELIVERED));
  g_assert_nonnull (strstr (((KioskAlert *) alerts->pdata[1])->message, kiosk_request_get_short_code (a)));
  g_assert_true (has_alert (alerts, KIOSK_ALERT_REJECTED));
  g_assert_true (has_alert (alerts, KIOSK_ALERT_SYNC_PAUSED));
  for (guint i = 0; i < alerts->len; i++)
    g_assert_null (strstr (((KioskAlert *) alerts->pdata[i])->message, "Mustermann"));
  g_clear_pointer (&alerts, g_ptr_array_unref);

  /* A database that would not open, and one set aside earlier. */
  g_assert_true (g_file_set_contents (aside, "x", 1, NULL));
  alerts = kiosk_alerts_collect (f->config, NULL, open_error, NULL, kiosk_clock_get_now (f->clock));
  g_assert_cmpuint (alerts->len, ==, 2);
  g_assert_true (has_alert (alerts, KIOSK_ALERT_STORE_DAMAGED));
}

static void
test_printer_alert (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GPtrArray) alerts = kiosk_alerts_collect (f->config, f->context, NULL, NULL,
                                                      kiosk_clock_get_now (f->clock));

  g_assert_cmpuint (alerts->len, ==, 1);
  g_assert_true (has_alert (alerts, KIOSK_ALERT_PRINTER));
  g_assert_nonnull (strstr (((KioskAlert *) alerts->pdata[0])->message, "/nonexistent/lp0"));
}

/* A printer that failed while printing (a network printer out of paper, say)
 * is an alert for a day after the kiosk wrote "print failed" to the log. */
static void
test_print_failed_alert (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(GPtrArray) none = NULL;
  g_autoptr(GPtrArray) alerts = NULL;
  g_autoptr(GPtrArray) later = NULL;

  /* Negative control: no failure logged, no alert. */
  none = kiosk_alerts_collect (f->config, f->context, NULL, NULL, kiosk_clock_get_now (f->clock));
  g_assert_false (has_alert (none, KIOSK_ALERT_PRINTER));

  g_assert_true (kiosk_context_audit (f->context, "system", "print failed", "HSK-0000-0000: no paper"));
  g_assert_true (kiosk_context_audit (f->context, "system", "print failed", "HSK-1111-1111: no paper"));
  alerts = kiosk_alerts_collect (f->config, f->context, NULL, NULL, kiosk_clock_get_now (f->clock));
  g_assert_true (has_alert (alerts, KIOSK_ALERT_PRINTER));
  for (guint i = 0; i < alerts->len; i++)
    {
      KioskAlert *alert = alerts->pdata[i];

      if (alert->kind == KIOSK_ALERT_PRINTER)
        {
          g_assert_nonnull (strstr (alert->message, "2 receipts could not be printed"));
          g_assert_nonnull (strstr (alert->message, "HSK-1111-1111: no paper"));
        }
    }

  kiosk_clock_advance (f->clock, (gint64) 25 * 3600 * G_USEC_PER_SEC);
  later = kiosk_alerts_collect (f->config, f->context, NULL, NULL, kiosk_clock_get_now (f->clock));
  g_assert_false (has_alert (later, KIOSK_ALERT_PRINTER));
}

/* Connection trouble in plain words for the counter, whatever GIO,
 * libsoup or the server said. */
static void
test_plain_trouble (void)
{
  struct { GQuark domain; int code; const char *message; const char *plain; } cases[] = {
    { G_IO_ERROR, G_IO_ERROR_TIMED_OUT, "Socket I/O timed out", "The city's system did not answer in time." },
    { G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED, "Could not connect: Connection refused",
      "There is no connection to the city's system." },
    { G_RESOLVER_ERROR, G_RESOLVER_ERROR_NOT_FOUND, "Error resolving “x”: Name or service not known",
      "There is no connection to the city's system." },
    { G_TLS_ERROR, G_TLS_ERROR_BAD_CERTIFICATE, "Unacceptable TLS certificate",
      "The secure connection to the city's system failed: its certificate was not accepted." },
    { G_IO_ERROR, G_IO_ERROR_NOT_INITIALIZED, "no backend is configured ([backend] url in kiosk.conf)",
      "No connection to the city's system is set up on this kiosk." },
    { G_IO_ERROR, G_IO_ERROR_FAILED, "the city's system answered HTTP 503 Service Unavailable",
      "The city's system is busy or has a fault right now." },
    { G_IO_ERROR, G_IO_ERROR_FAILED, "the city's system did not answer: Could not connect: Connection refused",
      "There is no connection to the city's system." },
    { G_IO_ERROR, G_IO_ERROR_FAILED, "something nobody expected", "The city's system could not be reached." },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = g_error_new_literal (cases[i].domain, cases[i].code, cases[i].message);
      g_autofree char *plain = kiosk_clerk_describe_connection_error (error);

      g_assert_cmpstr (plain, ==, cases[i].plain);
    }
  {
    g_autofree char *plain = kiosk_clerk_describe_delivery_trouble ("no complete answer within the deadline");
    g_autofree char *none = kiosk_clerk_describe_delivery_trouble (NULL);

    g_assert_cmpstr (plain, ==, "The city's system did not answer in time.");
    g_assert_cmpstr (none, ==, "There is no connection to the city's system.");
  }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/kiosk/clerk/plain-trouble", test_plain_trouble);
  g_test_add ("/kiosk/clerk/actions", Fixture, NULL, fixture_set_up, test_actions, fixture_tear_down);
  g_test_add ("/kiosk/clerk/alerts", Fixture, NULL, fixture_set_up, test_alerts, fixture_tear_down);
  g_test_add ("/kiosk/clerk/printer-alert", Fixture, "escpos:/nonexistent/lp0",
              fixture_set_up, test_printer_alert, fixture_tear_down);
  g_test_add ("/kiosk/clerk/print-failed-alert", Fixture, NULL, fixture_set_up, test_print_failed_alert,
              fixture_tear_down);

  return g_test_run ();
}

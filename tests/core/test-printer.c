/* test-printer.c
 *
 * SPDX-FileCopyrightText: 2026 Stadtkiosk contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "stadtkiosk-core.h"
#include "kiosk-test-escpos.h"
#include "kiosk-test-zbar.h"
#include "kiosk-test-util.h"

typedef struct
{
  char         *dir;
  KioskConfig  *config;
  KioskContext *context;
  KioskRequest *request;
  KioskReceipt *receipt;
} Fixture;


static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  g_autofree char *text = NULL;
  g_autoptr(GBytes) answers = g_bytes_new_static ("{\"a\":1}", 7);
  KioskRequestDraft draft = {
    .service_id = "streetlight-defect", .service_version = 1, .locale = "de",
    .answers = answers, .answers_format = KIOSK_ANSWERS_JSON,
  };

  f->dir = g_dir_make_tmp ("test-printer-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (f->dir, "kiosk.conf", NULL);
  text = g_strdup_printf ("[kiosk]\nid=kiosk-bib-1\nstate-dir=%s/state\n[keys]\nmode=demo\n", f->dir);
  g_assert_true (g_file_set_contents (path, text, -1, NULL));
  f->config = kiosk_config_new_from_file (path, &error);
  g_assert_no_error (error);
  f->context = kiosk_context_new (f->config, NULL, &error);
  g_assert_no_error (error);
  f->request = kiosk_outbox_enqueue (kiosk_context_get_outbox (f->context), &draft, "test", &error);
  g_assert_no_error (error);
  f->receipt = kiosk_receipt_new_for_request (f->context, f->request, "Straßenlaterne defekt", "de", &error);
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_clear_object (&f->receipt);
  g_clear_object (&f->request);
  g_clear_object (&f->context);
  g_clear_object (&f->config);
  kiosk_test_rm_rf (f->dir);
  g_free (f->dir);
}

static void
printed_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  GTask *done = user_data;
  GError *error = NULL;
  char *where = kiosk_printer_print_finish (KIOSK_PRINTER (object), result, &error);

  if (where != NULL)
    g_task_return_pointer (done, where, g_free);
  else
    g_task_return_error (done, error);
  g_object_unref (done);
}

static void
noop_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
}

static char *
print_and_wait (KioskPrinter  *printer,
                KioskReceipt  *receipt,
                GError       **error)
{
  g_autoptr(GTask) done = g_task_new (NULL, NULL, noop_cb, NULL);

  kiosk_printer_print_async (printer, receipt, NULL, printed_cb, g_object_ref (done));
  while (!g_task_get_completed (done))
    g_main_context_iteration (NULL, TRUE);
  return g_task_propagate_pointer (done, error);
}

static void
assert_request_kept (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KioskRequest) again = kiosk_outbox_get (kiosk_context_get_outbox (f->context),
                                                    kiosk_request_get_id (f->request), &error);

  g_assert_no_error (error);
  g_assert_cmpint (kiosk_request_get_state (again), ==, KIOSK_REQUEST_QUEUED);
}

/* A fake network receipt printer on 127.0.0.1. */

typedef enum
{
  FAKE_OK,          /* answers the paper status: paper present */
  FAKE_NO_PAPER,    /* answers: paper end */
  FAKE_SILENT,      /* does not answer status queries */
} FakeMode;

typedef struct
{
  GSocketService *service;
  guint16         port;
  FakeMode        mode;
  GByteArray     *received;
  gboolean        closed;
  guint           connections;
} FakePrinter;

typedef struct
{
  FakePrinter       *fake;
  GSocketConnection *connection;
  guint8             buf[4096];
  gboolean           first;
} FakeConn;

static void fake_read (FakeConn *c);

static void
fake_read_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  FakeConn *c = user_data;
  gssize n = g_input_stream_read_finish (G_INPUT_STREAM (object), result, NULL);
  const guint8 *data = c->buf;

  if (n <= 0)
    {
      c->fake->closed = TRUE;
      g_object_unref (c->connection);
      g_free (c);
      return;
    }
  if (c->first && n >= 3 && data[0] == 0x10 && data[1] == 0x04 && data[2] == 0x04)
    {
      if (c->fake->mode != FAKE_SILENT)
        {
          guint8 status = c->fake->mode == FAKE_NO_PAPER ? 0x72 : 0x12;
          GOutputStream *out = g_io_stream_get_output_stream (G_IO_STREAM (c->connection));

          g_assert_true (g_output_stream_write_all (out, &status, 1, NULL, NULL, NULL));
        }
      data += 3;
      n -= 3;
    }
  c->first = FALSE;
  g_byte_array_append (c->fake->received, data, (guint) n);
  fake_read (c);
}

static void
fake_read (FakeConn *c)
{
  g_input_stream_read_async (g_io_stream_get_input_stream (G_IO_STREAM (c->connection)),
                             c->buf, sizeof c->buf, G_PRIORITY_DEFAULT, NULL, fake_read_cb, c);
}

static gboolean
fake_incoming_cb (GSocketService    *service,
                  GSocketConnection *connection,
                  GObject           *source,
                  gpointer           user_data)
{
  FakePrinter *fake = user_data;
  FakeConn *c = g_new0 (FakeConn, 1);

  fake->connections++;
  c->fake = fake;
  c->connection = g_object_ref (connection);
  c->first = TRUE;
  fake_read (c);
  return TRUE;
}

static FakePrinter *
fake_printer_new (FakeMode mode)
{
  FakePrinter *fake = g_new0 (FakePrinter, 1);
  g_autoptr(GInetAddress) lo = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) addr = g_inet_socket_address_new (lo, 0);
  g_autoptr(GSocketAddress) effective = NULL;
  g_autoptr(GError) error = NULL;

  fake->mode = mode;
  fake->received = g_byte_array_new ();
  fake->service = g_socket_service_new ();
  g_assert_true (g_socket_listener_add_address (G_SOCKET_LISTENER (fake->service), addr, G_SOCKET_TYPE_STREAM,
                                                G_SOCKET_PROTOCOL_TCP, NULL, &effective, &error));
  g_assert_no_error (error);
  fake->port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (effective));
  g_signal_connect (fake->service, "incoming", G_CALLBACK (fake_incoming_cb), fake);
  g_socket_service_start (fake->service);
  return fake;
}

static void
fake_printer_free (FakePrinter *fake)
{
  g_socket_service_stop (fake->service);
  g_socket_listener_close (G_SOCKET_LISTENER (fake->service));
  g_object_unref (fake->service);
  g_byte_array_unref (fake->received);
  g_free (fake);
}

static void
wait_closed (FakePrinter *fake)
{
  while (!fake->closed)
    g_main_context_iteration (NULL, TRUE);
}

static void
test_network (Fixture       *f,
              gconstpointer  data)
{
  FakePrinter *fake = fake_printer_new (FAKE_OK);
  g_autofree char *spec = g_strdup_printf ("escpos:127.0.0.1:%u", fake->port);
  g_autoptr(GError) error = NULL;
  g_autoptr(KioskPrinter) printer = kiosk_printer_new (spec, 58, KIOSK_RECEIPT_QR_RASTER, &error);
  g_autofree char *where = NULL;
  g_autoptr(GBytes) got = NULL;
  g_autoptr(KioskTestEscpos) doc = NULL;
  guint found = 0;

  g_assert_no_error (error);
  g_assert_cmpint (kiosk_printer_get_kind (printer), ==, KIOSK_PRINTER_ESCPOS_NETWORK);
  where = print_and_wait (printer, f->receipt, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (where, ==, spec);
  wait_closed (fake);

  got = g_bytes_new (fake->received->data, fake->received->len);
  doc = kiosk_test_escpos_decode (got, &error);
  g_assert_no_error (error);
  g_assert_true (doc->cut);
  g_assert_nonnull (strstr (doc->text->str, kiosk_request_get_short_code (f->request)));
  for (guint i = 0; i < doc->rasters->len; i++)
    {
      g_autoptr(GPtrArray) codes = kiosk_test_zbar_scan_surface (doc->rasters->pdata[i]);

      if (codes->len == 1)
        {
          g_assert_cmpstr (codes->pdata[0], ==, kiosk_qr_get_text (kiosk_receipt_get_qr (f->receipt)));
          found++;
        }
    }
  g_assert_cmpuint (found, ==, 1);

  /* Reprint: the same bytes again. */
  fake->closed = FALSE;
  g_byte_array_set_size (fake->received, 0);
  g_clear_pointer (&where, g_free);
  where = print_and_wait (printer, f->receipt, &error);
  g_assert_no_error (error);
  wait_closed (fake);
  g_assert_cmpuint (fake->received->len, ==, g_bytes_get_size (got));
  g_assert_cmpuint (fake->connections, ==, 2);

  fake_printer_free (fake);
}

static void
test_network_no_paper (Fixture       *f,
                       gconstpointer  data)
{
  FakePrinter *fake = fake_printer_new (FAKE_NO_PAPER);
  g_autofree char *spec = g_strdup_printf ("escpos:127.0.0.1:%u", fake->port);
  g_autoptr(GError) error = NULL;
  g_autoptr(KioskPrinter) printer = kiosk_printer_new (spec, 80, KIOSK_RECEIPT_QR_NATIVE, &error);
  g_autofree char *where = NULL;

  where = print_and_wait (printer, f->receipt, &error);
  g_assert_null (where);
  g_assert_error (error, KIOSK_PRINTER_ERROR, KIOSK_PRINTER_ERROR_NO_PAPER);
  g_assert_nonnull (strstr (error->message, "out of paper"));
  wait_closed (fake);
  g_assert_cmpuint (fake->received->len, ==, 0);
  assert_request_kept (f);
  fake_printer_free (fake);
}

static void
test_network_silent (Fixture       *f,
                     gconstpointer  data)
{
  FakePrinter *fake = fake_printer_new (FAKE_SILENT);
  g_autofree char *spec = g_strdup_printf ("escpos:127.0.0.1:%u", fake->port);
  g_autoptr(GError) error = NULL;
  g_autoptr(KioskPrinter) printer = kiosk_printer_new (spec, 80, KIOSK_RECEIPT_QR_NATIVE, &error);
  g_autofree char *where = NULL;

  /* A printer without status support still prints (after 2 s). */
  where = print_and_wait (printer, f->receipt, &error);
  g_assert_no_error (error);
  wait_closed (fake);
  g_assert_cmpuint (fake->received->len, >, 100);
  fake_printer_free (fake);
}

static void
test_network_offline (Fixture       *f,
                      gconstpointer  data)
{
  FakePrinter *fake = fake_printer_new (FAKE_OK);
  guint16 port = fake->port;
  g_autofree char *spec = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(KioskPrinter) printer = NULL;
  g_autofree char *where = NULL;

  /* Nothing listens on the port any more. */
  fake_printer_free (fake);
  spec = g_strdup_printf ("escpos:127.0.0.1:%u", port);
  printer = kiosk_printer_new (spec, 80, KIOSK_RECEIPT_QR_NATIVE, &error);
  kiosk_printer_set_timeout (printer, 3);
  where = print_and_wait (printer, f->receipt, &error);
  g_assert_null (where);
  g_assert_error (error, KIOSK_PRINTER_ERROR, KIOSK_PRINTER_ERROR_OFFLINE);
  g_assert_nonnull (strstr (error->message, spec));
  assert_request_kept (f);
}

static void
test_device (Fixture       *f,
             gconstpointer  data)
{
  g_autofree char *dev = g_build_filename (f->dir, "lp0", NULL);
  g_autofree char *spec = g_strdup_printf ("escpos:%s", dev);
  g_autoptr(GError) error = NULL;
  g_autoptr(KioskPrinter) printer = kiosk_printer_new (spec, 80, KIOSK_RECEIPT_QR_NATIVE, &error);
  g_autofree char *where = NULL;
  g_autofree char *contents = NULL;
  gsize len = 0;

  g_assert_cmpint (kiosk_printer_get_kind (printer), ==, KIOSK_PRINTER_ESCPOS_DEVICE);

  /* Unplugged: an error, and no plain file appears in its place. */
  where = print_and_wait (printer, f->receipt, &error);
  g_assert_null (where);
  g_assert_error (error, KIOSK_PRINTER_ERROR, KIOSK_PRINTER_ERROR_UNAVAILABLE);
  g_assert_nonnull (strstr (error->message, dev));
  g_assert_cmpstr (kiosk_printer_get_last_error (printer), ==, error->message);
  g_assert_false (g_file_test (dev, G_FILE_TEST_EXISTS));
  assert_request_kept (f);
  g_clear_error (&error);

  /* Plugged in (a file stands in for the device node). */
  g_assert_true (g_file_set_contents (dev, "", 0, NULL));
  where = print_and_wait (printer, f->receipt, &error);
  g_assert_no_error (error);
  g_assert_null (kiosk_printer_get_last_error (printer));
  g_assert_true (g_file_get_contents (dev, &contents, &len, NULL));
  {
    g_autoptr(GBytes) bytes = g_bytes_new (contents, len);
    g_autoptr(KioskTestEscpos) doc = kiosk_test_escpos_decode (bytes, &error);

    g_assert_no_error (error);
    g_assert_cmpuint (doc->qr_data->len, ==, 1);
    g_assert_cmpstr (doc->qr_data->pdata[0], ==, kiosk_qr_get_text (kiosk_receipt_get_qr (f->receipt)));
  }
}

static void
test_pdf_dir (Fixture       *f,
              gconstpointer  data)
{
  g_autofree char *out = g_build_filename (f->dir, "printed", NULL);
  g_autofree char *spec = g_strdup_printf ("pdf:%s", out);
  g_autoptr(GError) error = NULL;
  g_autoptr(KioskPrinter) printer = kiosk_printer_new (spec, 80, KIOSK_RECEIPT_QR_NATIVE, &error);
  g_autofree char *first = NULL;
  g_autofree char *second = NULL;
  g_autofree char *contents = NULL;

  first = print_and_wait (printer, f->receipt, &error);
  g_assert_null (first);
  g_assert_error (error, KIOSK_PRINTER_ERROR, KIOSK_PRINTER_ERROR_UNAVAILABLE);
  g_clear_error (&error);

  g_assert_cmpint (g_mkdir (out, 0700), ==, 0);
  first = print_and_wait (printer, f->receipt, &error);
  g_assert_no_error (error);
  second = print_and_wait (printer, f->receipt, &error);   /* reprint */
  g_assert_no_error (error);
  g_assert_cmpstr (first, !=, second);
  g_assert_true (g_str_has_prefix (first, out));
  g_assert_true (g_file_get_contents (second, &contents, NULL, NULL));
  g_assert_true (g_str_has_prefix (contents, "%PDF-"));
}

static void
test_specs (void)
{
  const char *bad[] = { "", "pdf:relative", "cups:", "escpos:", "lpt1", "cups:a b" };
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(KioskPrinter) p = kiosk_printer_new (bad[i], 80, KIOSK_RECEIPT_QR_NATIVE, &error);

      g_assert_null (p);
      g_assert_error (error, KIOSK_PRINTER_ERROR, KIOSK_PRINTER_ERROR_INVALID);
      g_clear_error (&error);
    }
  {
    g_autoptr(KioskPrinter) p = kiosk_printer_new ("none", 80, KIOSK_RECEIPT_QR_NATIVE, &error);
    g_assert_no_error (error);
    g_assert_cmpint (kiosk_printer_get_kind (p), ==, KIOSK_PRINTER_NONE);
  }
  {
    g_autoptr(KioskPrinter) p = kiosk_printer_new ("none", 72, KIOSK_RECEIPT_QR_NATIVE, &error);
    g_assert_null (p);
    g_assert_error (error, KIOSK_PRINTER_ERROR, KIOSK_PRINTER_ERROR_INVALID);
  }
}

/* CUPS: tests/cups-setup starts a private cupsd with a cups-pdf queue and
 * exports CUPS_SERVER; without it the test is skipped with the reason. */
static void
test_cups (Fixture       *f,
           gconstpointer  data)
{
  const char *queue = g_getenv ("KIOSK_TEST_CUPS_QUEUE");
  const char *outdir = g_getenv ("KIOSK_TEST_CUPS_OUT");
  g_autofree char *spec = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(KioskPrinter) printer = NULL;
  g_autofree char *where = NULL;

  if (queue == NULL || outdir == NULL)
    {
      g_test_skip ("no CUPS queue (KIOSK_TEST_CUPS_QUEUE unset: cupsd or printer-driver-cups-pdf "
                   "missing, see tests/cups-setup)");
      return;
    }
  spec = g_strdup_printf ("cups:%s", queue);
  printer = kiosk_printer_new (spec, 80, KIOSK_RECEIPT_QR_NATIVE, &error);
  g_assert_no_error (error);
  where = print_and_wait (printer, f->receipt, &error);
  g_assert_no_error (error);
  g_assert_nonnull (strstr (where, "request id"));

  /* The job comes out of the queue as a PDF with our text in it. */
  {
    const char *code = kiosk_request_get_short_code (f->request);
    g_autofree char *pdftoppm = g_find_program_in_path ("pdftoppm");
    g_autofree char *printed = NULL;

    for (guint tries = 0; printed == NULL && tries < 100; tries++)
      {
        g_autoptr(GDir) dir = g_dir_open (outdir, 0, NULL);
        const char *name;

        while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
          if (strstr (name, code) != NULL || g_str_equal (name, "receipt.pdf"))
            printed = g_build_filename (outdir, name, NULL);
        if (printed == NULL)
          g_usleep (200 * 1000);
      }
    g_assert_nonnull (printed);
    /* cups-pdf turns text into outlines, so read the page as a picture:
     * the QR code on it must be the receipt's. */
    if (pdftoppm != NULL)
      {
        g_autofree char *prefix = g_build_filename (f->dir, "cups-page", NULL);
        g_autofree char *png = g_strconcat (prefix, ".png", NULL);
        const char *argv[] = { pdftoppm, "-r", "200", "-png", "-singlefile", printed, prefix, NULL };
        g_autoptr(GPtrArray) codes = NULL;
        int status = 0;

        /* The backend may still be writing. */
        for (guint tries = 0; tries < 50; tries++)
          {
            g_clear_pointer (&codes, g_ptr_array_unref);
            g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL,
                                         NULL, NULL, &status, &error));
            codes = kiosk_test_zbar_scan_png (png);
            if (codes->len > 0)
              break;
            g_usleep (200 * 1000);
          }
        g_assert_cmpuint (codes->len, ==, 1);
        g_assert_cmpstr (codes->pdata[0], ==, kiosk_qr_get_text (kiosk_receipt_get_qr (f->receipt)));
      }
    else
      g_test_skip ("pdftoppm is not installed (Debian package poppler-utils): "
                   "the printed page's QR code was not read back");
    g_remove (printed);
  }

  /* Negative control: an unknown queue is an error naming it. */
  {
    g_autoptr(KioskPrinter) none = kiosk_printer_new ("cups:no-such-queue", 80, KIOSK_RECEIPT_QR_NATIVE, &error);
    g_autofree char *w = print_and_wait (none, f->receipt, &error);

    g_assert_null (w);
    g_assert_error (error, KIOSK_PRINTER_ERROR, KIOSK_PRINTER_ERROR_UNAVAILABLE);
    g_assert_nonnull (strstr (error->message, "no-such-queue"));
  }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  g_test_add_func ("/kiosk/printer/specs", test_specs);
  ADD ("/kiosk/printer/network", test_network);
  ADD ("/kiosk/printer/network-no-paper", test_network_no_paper);
  ADD ("/kiosk/printer/network-silent", test_network_silent);
  ADD ("/kiosk/printer/network-offline", test_network_offline);
  ADD ("/kiosk/printer/device", test_device);
  ADD ("/kiosk/printer/pdf-dir", test_pdf_dir);
  ADD ("/kiosk/printer/cups", test_cups);
#undef ADD

  return g_test_run ();
}

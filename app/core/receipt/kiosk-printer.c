/* kiosk-printer.c
 *
 * SPDX-FileCopyrightText: 2026 Stadtkiosk contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "kiosk-receipt"

#include "config.h"

#include "kiosk-printer.h"

#include <gio/gfiledescriptorbased.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>
#ifdef __linux__
# include <linux/lp.h>
#endif

/* Where receipts go ([printer] backend):
 *
 *   none                 nothing is printed (the screen shows the code)
 *   pdf:DIR              one PDF per print in DIR (archive, tests)
 *   cups:QUEUE           the PDF, sent with `lp -d QUEUE` (no libcups needed;
 *                        GtkPrintOperation crashes without a dialog on GTK 4.8)
 *   escpos:/dev/usb/lpN  ESC/POS bytes written to the device
 *   escpos:HOST[:PORT]   ESC/POS over TCP (port 9100 by default); the paper
 *                        sensor is asked first (DLE EOT 4) so that "no paper"
 *                        is reported instead of a silent blank slip
 *
 * Printing never touches the request: a failed print is an error for the
 * UI and the admin, and the receipt can be printed again. */

#define DLE 0x10
#define EOT 0x04

struct _KioskPrinter
{
  GObject             parent_instance;

  char               *spec;
  KioskPrinterKind    kind;
  char               *target;     /* directory, queue, device or host:port */
  guint               paper_mm;
  KioskReceiptQrMode  qr_mode;
  guint               timeout;    /* seconds, network printers */
  char               *last_error; /* of the last print, NULL if it worked */
};

enum {
  PROP_0,
  PROP_LAST_ERROR,
  N_PROPS,
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (KioskPrinter, kiosk_printer, G_TYPE_OBJECT)

G_DEFINE_QUARK (kiosk-printer-error-quark, kiosk_printer_error)

typedef struct
{
  GBytes            *data;
  char              *where;
  char              *tmp_path;
  GSocketConnection *connection;
  GCancellable      *status_cancellable;
  guint              status_timeout_id;
  guint8             status;
} PrintJob;

static void
print_job_free (PrintJob *job)
{
  g_clear_pointer (&job->data, g_bytes_unref);
  g_free (job->where);
  if (job->tmp_path != NULL)
    {
      g_unlink (job->tmp_path);
      g_free (job->tmp_path);
    }
  g_clear_object (&job->connection);
  g_clear_handle_id (&job->status_timeout_id, g_source_remove);
  g_clear_object (&job->status_cancellable);
  g_free (job);
}

/* What the UI and the admin see: the outcome of the last print. */
static void
set_last_error (KioskPrinter *self,
                const char   *message)
{
  if (g_strcmp0 (self->last_error, message) == 0)
    return;
  g_free (self->last_error);
  self->last_error = g_strdup (message);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LAST_ERROR]);
}

static void
return_error (GTask      *task,
              int         code,
              const char *format,
              ...) G_GNUC_PRINTF (3, 4);

static void
return_error (GTask      *task,
              int         code,
              const char *format,
              ...)
{
  va_list ap;
  g_autofree char *msg = NULL;

  va_start (ap, format);
  msg = g_strdup_vprintf (format, ap);
  va_end (ap);
  set_last_error (g_task_get_source_object (task), msg);
  g_task_return_new_error (task, KIOSK_PRINTER_ERROR, code, "%s", msg);
}

static void
return_where (GTask *task)
{
  PrintJob *job = g_task_get_task_data (task);

  set_last_error (g_task_get_source_object (task), NULL);
  g_task_return_pointer (task, g_strdup (job->where), g_free);
}

/* The USB status line and the network status byte say the same. */
static void
return_no_paper (GTask *task)
{
  KioskPrinter *self = g_task_get_source_object (task);

  return_error (task, KIOSK_PRINTER_ERROR_NO_PAPER,
                "printer %s is out of paper; the request is saved, print the receipt again after refilling",
                self->spec);
}

/* pdf:DIR */

static void
pdf_written_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;

  if (!g_file_replace_contents_finish (G_FILE (object), result, NULL, &error))
    return_error (task, KIOSK_PRINTER_ERROR_FAILED, "cannot write the receipt PDF: %s", error->message);
  else
    return_where (task);
}

static void
print_pdf (KioskPrinter *self,
           GTask        *task,
           KioskReceipt *receipt)
{
  PrintJob *job = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *stamp = g_date_time_format (now, "%Y%m%d-%H%M%S");
  const char *code = kiosk_receipt_get_short_code (receipt) ? kiosk_receipt_get_short_code (receipt) : "receipt";
  g_autoptr(GFile) file = NULL;

  if (!g_file_test (self->target, G_FILE_TEST_IS_DIR))
    {
      return_error (task, KIOSK_PRINTER_ERROR_UNAVAILABLE,
                    "printer %s: the directory %s does not exist", self->spec, self->target);
      return;
    }
  job->data = kiosk_receipt_render_pdf (receipt, self->paper_mm, &error);
  if (job->data == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  for (guint n = 1; job->where == NULL || g_file_test (job->where, G_FILE_TEST_EXISTS); n++)
    {
      g_autofree char *name = n == 1 ? g_strdup_printf ("%s-%s.pdf", code, stamp)
                                     : g_strdup_printf ("%s-%s-%u.pdf", code, stamp, n);
      g_free (job->where);
      job->where = g_build_filename (self->target, name, NULL);
    }
  file = g_file_new_for_path (job->where);
  g_file_replace_contents_bytes_async (file, job->data, NULL, FALSE, G_FILE_CREATE_NONE,
                                       g_task_get_cancellable (task), pdf_written_cb, g_object_ref (task));
}

/* cups:QUEUE */

static void
lp_done_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  KioskPrinter *self = g_task_get_source_object (task);
  PrintJob *job = g_task_get_task_data (task);
  GSubprocess *lp = G_SUBPROCESS (object);
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;

  if (!g_subprocess_communicate_utf8_finish (lp, result, &out, &err, &error))
    {
      return_error (task, KIOSK_PRINTER_ERROR_FAILED, "printer %s: lp failed: %s", self->spec, error->message);
      return;
    }
  if (!g_subprocess_get_successful (lp))
    {
      const char *why = err != NULL && *err != '\0' ? g_strstrip (err) : "no message";

      return_error (task,
                    strstr (why, "does not exist") != NULL || strstr (why, "connect") != NULL
                    ? KIOSK_PRINTER_ERROR_UNAVAILABLE : KIOSK_PRINTER_ERROR_FAILED,
                    "printer %s: lp refused the receipt: %s", self->spec, why);
      return;
    }
  g_free (job->where);
  job->where = g_strdup_printf ("%s (%s)", self->spec, out != NULL ? g_strstrip (out) : "sent");
  return_where (task);
}

static void
print_cups (KioskPrinter *self,
            GTask        *task,
            KioskReceipt *receipt)
{
  PrintJob *job = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocess) lp = NULL;
  const char *title = kiosk_receipt_get_short_code (receipt) ? kiosk_receipt_get_short_code (receipt) : "Stadtkiosk";
  int fd;

  job->data = kiosk_receipt_render_pdf (receipt, self->paper_mm, &error);
  if (job->data == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  fd = g_file_open_tmp ("stadtkiosk-receipt-XXXXXX.pdf", &job->tmp_path, &error);
  if (fd < 0)
    {
      return_error (task, KIOSK_PRINTER_ERROR_FAILED, "printer %s: %s", self->spec, error->message);
      return;
    }
  close (fd);
  if (!g_file_set_contents (job->tmp_path, g_bytes_get_data (job->data, NULL),
                            (gssize) g_bytes_get_size (job->data), &error))
    {
      return_error (task, KIOSK_PRINTER_ERROR_FAILED, "printer %s: %s", self->spec, error->message);
      return;
    }
  lp = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE, &error,
                         "lp", "-d", self->target, "-t", title, "--", job->tmp_path, NULL);
  if (lp == NULL)
    {
      return_error (task, KIOSK_PRINTER_ERROR_UNAVAILABLE,
                    "printer %s: cannot run lp (Debian package cups-client): %s", self->spec, error->message);
      return;
    }
  g_subprocess_communicate_utf8_async (lp, NULL, g_task_get_cancellable (task), lp_done_cb, g_object_ref (task));
}

/* escpos:/dev/… */

static void
device_closed_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  KioskPrinter *self = g_task_get_source_object (task);
  g_autoptr(GError) error = NULL;

  if (!g_output_stream_close_finish (G_OUTPUT_STREAM (object), result, &error))
    return_error (task, KIOSK_PRINTER_ERROR_FAILED, "printer %s: %s", self->spec, error->message);
  else
    return_where (task);
}

static void
device_written_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  KioskPrinter *self = g_task_get_source_object (task);
  g_autoptr(GError) error = NULL;

  if (!g_output_stream_write_all_finish (G_OUTPUT_STREAM (object), result, NULL, &error))
    {
      return_error (task, KIOSK_PRINTER_ERROR_FAILED, "printer %s: writing failed: %s (switched off or out of paper?)",
                    self->spec, error->message);
      return;
    }
  g_output_stream_close_async (G_OUTPUT_STREAM (object), G_PRIORITY_DEFAULT, g_task_get_cancellable (task),
                               device_closed_cb, g_object_ref (task));
}

static void
device_opened_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  KioskPrinter *self = g_task_get_source_object (task);
  PrintJob *job = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GFileOutputStream) stream = g_file_append_to_finish (G_FILE (object), result, &error);
  gsize len;
  const guint8 *data;

  if (stream == NULL)
    {
      return_error (task,
                    g_error_matches (error, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED)
                    ? KIOSK_PRINTER_ERROR_UNAVAILABLE : KIOSK_PRINTER_ERROR_FAILED,
                    "printer %s: cannot open %s: %s", self->spec, self->target, error->message);
      return;
    }
#ifdef __linux__
  /* A USB printer (usblp) reports its port status: paper out is bit 5.
   * Anything that is not such a device (ENOTTY) just gets the bytes. */
  if (G_IS_FILE_DESCRIPTOR_BASED (stream))
    {
      int status = 0;
      int fd = g_file_descriptor_based_get_fd (G_FILE_DESCRIPTOR_BASED (stream));

      if (ioctl (fd, LPGETSTATUS, &status) == 0 && (status & LP_POUTPA) != 0)
        {
          return_no_paper (task);
          return;
        }
    }
#endif
  data = g_bytes_get_data (job->data, &len);
  g_output_stream_write_all_async (G_OUTPUT_STREAM (stream), data, len, G_PRIORITY_DEFAULT,
                                   g_task_get_cancellable (task), device_written_cb, g_object_ref (task));
}

static void
print_device (KioskPrinter *self,
              GTask        *task)
{
  PrintJob *job = g_task_get_task_data (task);
  g_autoptr(GFile) file = g_file_new_for_path (self->target);

  /* Never create the device node as a plain file. */
  if (!g_file_test (self->target, G_FILE_TEST_EXISTS))
    {
      return_error (task, KIOSK_PRINTER_ERROR_UNAVAILABLE,
                    "printer %s: the device %s does not exist (switched off or unplugged?)",
                    self->spec, self->target);
      return;
    }
  job->where = g_strdup (self->spec);
  g_file_append_to_async (file, G_FILE_CREATE_NONE, G_PRIORITY_DEFAULT, g_task_get_cancellable (task),
                          device_opened_cb, g_object_ref (task));
}

/* escpos:HOST:PORT */

static void
network_closed_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  KioskPrinter *self = g_task_get_source_object (task);
  g_autoptr(GError) error = NULL;

  if (!g_io_stream_close_finish (G_IO_STREAM (object), result, &error))
    return_error (task, KIOSK_PRINTER_ERROR_FAILED, "printer %s: %s", self->spec, error->message);
  else
    return_where (task);
}

static void
network_written_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  KioskPrinter *self = g_task_get_source_object (task);
  PrintJob *job = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  if (!g_output_stream_write_all_finish (G_OUTPUT_STREAM (object), result, NULL, &error))
    {
      return_error (task, KIOSK_PRINTER_ERROR_OFFLINE, "printer %s stopped answering while printing: %s",
                    self->spec, error->message);
      return;
    }
  g_io_stream_close_async (G_IO_STREAM (job->connection), G_PRIORITY_DEFAULT, g_task_get_cancellable (task),
                           network_closed_cb, g_object_ref (task));
}

static void
network_send (GTask *task)
{
  PrintJob *job = g_task_get_task_data (task);
  GOutputStream *out = g_io_stream_get_output_stream (G_IO_STREAM (job->connection));
  gsize len;
  const guint8 *data = g_bytes_get_data (job->data, &len);

  g_output_stream_write_all_async (out, data, len, G_PRIORITY_DEFAULT, g_task_get_cancellable (task),
                                   network_written_cb, g_object_ref (task));
}

static gboolean
status_timeout_cb (gpointer user_data)
{
  PrintJob *job = user_data;

  job->status_timeout_id = 0;
  g_cancellable_cancel (job->status_cancellable);
  return G_SOURCE_REMOVE;
}

static void
status_read_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  PrintJob *job = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  gssize n = g_input_stream_read_finish (G_INPUT_STREAM (object), result, &error);

  g_clear_handle_id (&job->status_timeout_id, g_source_remove);
  if (g_task_return_error_if_cancelled (task))
    return;
  /* A valid status byte has bits 1 and 4 set and bits 0 and 7 clear;
   * bits 5 and 6 mean "paper end".  No answer: a printer without status
   * support, so print anyway. */
  if (n == 1 && (job->status & 0x93) == 0x12 && (job->status & 0x60) == 0x60)
    {
      return_no_paper (task);
      return;
    }
  network_send (task);
}

static void
status_asked_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  KioskPrinter *self = g_task_get_source_object (task);
  PrintJob *job = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  GInputStream *in;

  if (!g_output_stream_write_all_finish (G_OUTPUT_STREAM (object), result, NULL, &error))
    {
      return_error (task, KIOSK_PRINTER_ERROR_OFFLINE, "printer %s does not answer: %s", self->spec, error->message);
      return;
    }
  in = g_io_stream_get_input_stream (G_IO_STREAM (job->connection));
  job->status_cancellable = g_cancellable_new ();
  job->status_timeout_id = g_timeout_add (2000, status_timeout_cb, job);
  g_input_stream_read_async (in, &job->status, 1, G_PRIORITY_DEFAULT, job->status_cancellable,
                             status_read_cb, g_object_ref (task));
}

static void
network_connected_cb (GObject      *object,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  static const guint8 ask_paper[] = { DLE, EOT, 4 };
  g_autoptr(GTask) task = user_data;
  KioskPrinter *self = g_task_get_source_object (task);
  PrintJob *job = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  job->connection = g_socket_client_connect_to_host_finish (G_SOCKET_CLIENT (object), result, &error);
  if (job->connection == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_task_return_error (task, g_steal_pointer (&error));
      else
        return_error (task,
                      error->domain == G_RESOLVER_ERROR ? KIOSK_PRINTER_ERROR_UNAVAILABLE : KIOSK_PRINTER_ERROR_OFFLINE,
                      "printer %s does not answer: %s (switched off, or not on the network?)",
                      self->spec, error->message);
      return;
    }
  g_output_stream_write_all_async (g_io_stream_get_output_stream (G_IO_STREAM (job->connection)),
                                   ask_paper, sizeof ask_paper, G_PRIORITY_DEFAULT,
                                   g_task_get_cancellable (task), status_asked_cb, g_object_ref (task));
}

static void
print_network (KioskPrinter *self,
               GTask        *task)
{
  PrintJob *job = g_task_get_task_data (task);
  g_autoptr(GSocketClient) client = g_socket_client_new ();

  job->where = g_strdup (self->spec);
  g_socket_client_set_timeout (client, self->timeout);
  /* A receipt printer is on the local network: never through a proxy. */
  g_socket_client_set_enable_proxy (client, FALSE);
  g_socket_client_connect_to_host_async (client, self->target, 9100, g_task_get_cancellable (task),
                                         network_connected_cb, g_object_ref (task));
}

/* The object */

static void
kiosk_printer_finalize (GObject *object)
{
  KioskPrinter *self = (KioskPrinter *) object;

  g_free (self->spec);
  g_free (self->target);
  g_free (self->last_error);

  G_OBJECT_CLASS (kiosk_printer_parent_class)->finalize (object);
}

static void
kiosk_printer_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  KioskPrinter *self = KIOSK_PRINTER (object);

  switch (prop_id)
    {
    case PROP_LAST_ERROR:
      g_value_set_string (value, self->last_error);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kiosk_printer_class_init (KioskPrinterClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = kiosk_printer_finalize;
  object_class->get_property = kiosk_printer_get_property;

  /**
   * KioskPrinter:last-error:
   *
   * The message of the last failed print, or %NULL once a print worked:
   * for the UI's printer notice and the admin's status page.
   */
  properties[PROP_LAST_ERROR] =
    g_param_spec_string ("last-error", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
kiosk_printer_init (KioskPrinter *self)
{
  self->timeout = 10;
}

/**
 * kiosk_printer_new:
 * @spec: none, pdf:DIR, cups:QUEUE, escpos:/dev/usb/lpN or escpos:HOST[:PORT]
 * @paper_mm: 58 or 80
 * @qr_mode: how ESC/POS printers get the QR code
 */
KioskPrinter *
kiosk_printer_new (const char          *spec,
                   guint                paper_mm,
                   KioskReceiptQrMode   qr_mode,
                   GError             **error)
{
  g_autoptr(KioskPrinter) self = g_object_new (KIOSK_TYPE_PRINTER, NULL);

  g_return_val_if_fail (spec != NULL, NULL);

  if (paper_mm != 58 && paper_mm != 80)
    {
      g_set_error (error, KIOSK_PRINTER_ERROR, KIOSK_PRINTER_ERROR_INVALID,
                   "[printer] paper-width %u is not supported (58 or 80)", paper_mm);
      return NULL;
    }
  self->spec = g_strdup (spec);
  self->paper_mm = paper_mm;
  self->qr_mode = qr_mode;

  if (g_str_equal (spec, "none"))
    self->kind = KIOSK_PRINTER_NONE;
  else if (g_str_has_prefix (spec, "pdf:") && g_path_is_absolute (spec + 4))
    self->kind = KIOSK_PRINTER_PDF;
  else if (g_str_has_prefix (spec, "cups:") && spec[5] != '\0' && strpbrk (spec + 5, " /\t") == NULL)
    self->kind = KIOSK_PRINTER_CUPS;
  else if (g_str_has_prefix (spec, "escpos:/"))
    self->kind = KIOSK_PRINTER_ESCPOS_DEVICE;
  else if (g_str_has_prefix (spec, "escpos:") && spec[7] != '\0')
    self->kind = KIOSK_PRINTER_ESCPOS_NETWORK;
  else
    {
      g_set_error (error, KIOSK_PRINTER_ERROR, KIOSK_PRINTER_ERROR_INVALID,
                   "[printer] backend '%s' is not one of none, pdf:/absolute/dir, cups:QUEUE, "
                   "escpos:/dev/usb/lpN, escpos:HOST:9100", spec);
      return NULL;
    }
  if (self->kind != KIOSK_PRINTER_NONE)
    self->target = g_strdup (strchr (spec, ':') + 1);
  return g_steal_pointer (&self);
}

KioskPrinter *
kiosk_printer_new_from_config (KioskConfig  *config,
                               GError      **error)
{
  g_return_val_if_fail (KIOSK_IS_CONFIG (config), NULL);

  return kiosk_printer_new (kiosk_config_get_printer (config),
                            kiosk_config_get_paper_width (config),
                            g_strcmp0 (kiosk_config_get_qr_mode (config), "raster") == 0
                            ? KIOSK_RECEIPT_QR_RASTER : KIOSK_RECEIPT_QR_NATIVE,
                            error);
}

KioskPrinterKind
kiosk_printer_get_kind (KioskPrinter *self)
{
  g_return_val_if_fail (KIOSK_IS_PRINTER (self), KIOSK_PRINTER_NONE);
  return self->kind;
}

const char *
kiosk_printer_get_spec (KioskPrinter *self)
{
  g_return_val_if_fail (KIOSK_IS_PRINTER (self), NULL);
  return self->spec;
}

const char *
kiosk_printer_get_last_error (KioskPrinter *self)
{
  g_return_val_if_fail (KIOSK_IS_PRINTER (self), NULL);
  return self->last_error;
}

/* How long a network printer may take to accept the connection. */
void
kiosk_printer_set_timeout (KioskPrinter *self,
                           guint         seconds)
{
  g_return_if_fail (KIOSK_IS_PRINTER (self));
  self->timeout = seconds;
}

/**
 * kiosk_printer_print_async:
 *
 * Prints @receipt.  Call again to reprint.  The result says where the
 * receipt went; a failure is a #KioskPrinterError naming the printer and
 * the likely cause.
 */
void
kiosk_printer_print_async (KioskPrinter        *self,
                           KioskReceipt        *receipt,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;
  PrintJob *job;

  g_return_if_fail (KIOSK_IS_PRINTER (self));
  g_return_if_fail (KIOSK_IS_RECEIPT (receipt));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, kiosk_printer_print_async);
  job = g_new0 (PrintJob, 1);
  g_task_set_task_data (task, job, (GDestroyNotify) print_job_free);

  switch (self->kind)
    {
    case KIOSK_PRINTER_NONE:
      job->where = g_strdup ("none");
      return_where (task);
      break;

    case KIOSK_PRINTER_PDF:
      print_pdf (self, task, receipt);
      break;

    case KIOSK_PRINTER_CUPS:
      print_cups (self, task, receipt);
      break;

    case KIOSK_PRINTER_ESCPOS_DEVICE:
    case KIOSK_PRINTER_ESCPOS_NETWORK:
      job->data = kiosk_receipt_render_escpos (receipt, self->paper_mm, self->qr_mode, &error);
      if (job->data == NULL)
        g_task_return_error (task, g_steal_pointer (&error));
      else if (self->kind == KIOSK_PRINTER_ESCPOS_DEVICE)
        print_device (self, task);
      else
        print_network (self, task);
      break;

    default:
      g_assert_not_reached ();
    }
}

/**
 * kiosk_printer_print_finish:
 *
 * Returns: (transfer full): where the receipt went ("none" when no printer
 *   is configured), or %NULL with @error set
 */
char *
kiosk_printer_print_finish (KioskPrinter  *self,
                            GAsyncResult  *result,
                            GError       **error)
{
  g_return_val_if_fail (KIOSK_IS_PRINTER (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

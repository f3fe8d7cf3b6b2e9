/* kiosk-ctl-receipt.c: receipt decode, render and print
 *
 * SPDX-FileCopyrightText: 2026 Stadtkiosk contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "stadtkioskctl"

#include "config.h"

#include <gio/gunixinputstream.h>
#include <stdio.h>
#include <string.h>

#include "kiosk-ctl.h"

static const char *
payload_reason (const GError *error)
{
  if (error->domain != KIOSK_PAYLOAD_ERROR)
    return "error";
  switch ((KioskPayloadError) error->code)
    {
    case KIOSK_PAYLOAD_ERROR_NOT_PAYLOAD: return "not-a-receipt";
    case KIOSK_PAYLOAD_ERROR_MALFORMED: return "malformed";
    case KIOSK_PAYLOAD_ERROR_TRUNCATED: return "truncated";
    case KIOSK_PAYLOAD_ERROR_FUTURE_VERSION: return "future-version";
    case KIOSK_PAYLOAD_ERROR_WRONG_CITY_KEY: return "wrong-city-key";
    case KIOSK_PAYLOAD_ERROR_TAMPERED: return "tampered";
    case KIOSK_PAYLOAD_ERROR_UNKNOWN_KIOSK: return "unknown-kiosk";
    case KIOSK_PAYLOAD_ERROR_TOO_LARGE: return "too-large";
    case KIOSK_PAYLOAD_ERROR_INVALID: return "invalid";
    default: return "error";
    }
}

/* Like kiosk_ctl_fail(), with a stable "reason" for scripts. */
static int
fail_decode (KioskCtl     *ctl,
             const GError *error)
{
  if (ctl->json)
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();
      g_autoptr(JsonNode) root = NULL;

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "error");
      json_builder_add_string_value (b, error->message);
      json_builder_set_member_name (b, "reason");
      json_builder_add_string_value (b, payload_reason (error));
      json_builder_set_member_name (b, "domain");
      json_builder_add_string_value (b, g_quark_to_string (error->domain));
      json_builder_set_member_name (b, "code");
      json_builder_add_int_value (b, error->code);
      json_builder_end_object (b);
      root = json_builder_get_root (b);
      kiosk_ctl_print_json (root);
    }
  g_printerr ("stadtkioskctl: receipt %s: %s\n", payload_reason (error), error->message);
  return KIOSK_CTL_EXIT_FAILURE;
}

/* A scanned receipt is a few KiB; more is not a scan. */
#define MAX_SCAN_TEXT (256 * 1024)

static char *
read_stdin (GError **error)
{
  g_autoptr(GInputStream) in = g_unix_input_stream_new (0, FALSE);
  g_autofree char *text = g_malloc (MAX_SCAN_TEXT + 1);
  gsize len = 0;

  if (!g_input_stream_read_all (in, text, MAX_SCAN_TEXT + 1, &len, NULL, error))
    {
      g_prefix_error (error, "standard input: ");
      return NULL;
    }
  /* Empty input was a NULL string here, and a crash in the caller. */
  if (len == 0)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                           "standard input: empty, no scanned text");
      return NULL;
    }
  if (len > MAX_SCAN_TEXT)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   "standard input: more than %u KiB, not a scanned receipt", MAX_SCAN_TEXT / 1024);
      return NULL;
    }
  text[len] = '\0';
  return g_steal_pointer (&text);
}

/* Reads, verifies and opens a scanned receipt; on failure prints the error
 * and returns the exit status in @status. */
static KioskPayload *
open_scanned (KioskCtl            *ctl,
              const char          *arg,
              gboolean             from_stdin,
              const char          *city_key,
              const char * const  *trust,
              GBytes             **out_bytes,
              int                 *status)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KioskKeys) keys = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char *text = NULL;
  KioskPayload *payload;
  KioskConfig *config;

  if (from_stdin)
    {
      text = read_stdin (&error);
      if (text == NULL)
        {
          *status = kiosk_ctl_fail (ctl, error);
          return NULL;
        }
    }
  else
    text = g_strdup (arg);

  /* The text first: a bad scan is reported even without keys. */
  bytes = kiosk_payload_decode_qr_text (text, &error);
  if (bytes == NULL || !kiosk_payload_peek (bytes, NULL, &error))
    {
      *status = fail_decode (ctl, error);
      return NULL;
    }

  config = kiosk_ctl_get_config (ctl, &error);
  if (config == NULL)
    {
      *status = kiosk_ctl_fail (ctl, error);
      return NULL;
    }
  keys = kiosk_keys_load_for_counter (config, city_key, trust, &error);
  if (keys == NULL)
    {
      *status = kiosk_ctl_fail (ctl, error);
      return NULL;
    }
  payload = kiosk_payload_open (bytes, keys, &error);
  if (payload == NULL)
    {
      *status = fail_decode (ctl, error);
      return NULL;
    }
  if (out_bytes != NULL)
    *out_bytes = g_steal_pointer (&bytes);
  return payload;
}

int
kiosk_ctl_receipt_decode (KioskCtl  *ctl,
                          int        argc,
                          char     **argv)
{
  gboolean from_stdin = FALSE;
  g_autofree char *city_key = NULL;
  g_auto(GStrv) trust = NULL;
  const GOptionEntry entries[] = {
    { "stdin", 0, 0, G_OPTION_ARG_NONE, &from_stdin, "Read the scanned text from standard input", NULL },
    { "city-key", 0, 0, G_OPTION_ARG_FILENAME, &city_key, "The city's secret key (default: [keys] city-secret-key)", "FILE" },
    { "trust", 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &trust, "A trusted kiosk's public key (repeatable; default: [keys] trusted-kiosks)", "FILE" },
    { NULL }
  };
  g_autoptr(KioskPayload) payload = NULL;
  int status = KIOSK_CTL_EXIT_FAILURE;

  if (!kiosk_ctl_parse (ctl, "[TEXT]", entries, &argc, &argv, 0, 1))
    return KIOSK_CTL_EXIT_USAGE;
  if (from_stdin == (argc == 2))
    return kiosk_ctl_usage (ctl, "receipt decode needs the scanned TEXT or --stdin (one of the two)");

  payload = open_scanned (ctl, argv[1], from_stdin, city_key, (const char * const *) trust, NULL, &status);
  if (payload == NULL)
    return status;

  if (ctl->json)
    {
      g_autoptr(JsonNode) root = kiosk_payload_to_json (payload);
      kiosk_ctl_print_json (root);
    }
  else
    {
      g_autofree char *created = kiosk_ctl_format_time (kiosk_payload_get_created (payload));
      GBytes *answers = kiosk_payload_get_answers (payload);

      g_print ("Receipt:   %s%s\n", kiosk_payload_get_short_code (payload),
               kiosk_payload_is_demo (payload) ? "   (DEMO keys: not a real request)" : "");
      g_print ("Id:        %s\n", kiosk_payload_get_id (payload));
      g_print ("Kiosk:     %s (signature verified)\n", kiosk_payload_get_kiosk_id (payload));
      g_print ("Created:   %s\n", created);
      if (kiosk_payload_is_reference_only (payload))
        g_print ("Answers:   not on the slip (reference only); the kiosk holds them and sends them to the city\n");
      else
        {
          g_print ("Service:   %s (version %u), %s\n", kiosk_payload_get_service_id (payload),
                   kiosk_payload_get_service_version (payload), kiosk_payload_get_locale (payload));
          g_print ("Answers:   %.*s\n", (int) g_bytes_get_size (answers), (const char *) g_bytes_get_data (answers, NULL));
        }
    }
  return KIOSK_CTL_EXIT_OK;
}

int
kiosk_ctl_receipt_import (KioskCtl  *ctl,
                          int        argc,
                          char     **argv)
{
  gboolean from_stdin = FALSE;
  g_autofree char *city_key = NULL;
  g_auto(GStrv) trust = NULL;
  const GOptionEntry entries[] = {
    { "stdin", 0, 0, G_OPTION_ARG_NONE, &from_stdin, "Read the scanned text from standard input", NULL },
    { "city-key", 0, 0, G_OPTION_ARG_FILENAME, &city_key, "The city's secret key (default: [keys] city-secret-key)", "FILE" },
    { "trust", 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &trust, "A trusted kiosk's public key (repeatable)", "FILE" },
    { NULL }
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(KioskPayload) payload = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(KioskRequest) request = NULL;
  KioskRequestDraft draft;
  KioskContext *context;
  gboolean known = FALSE;
  int status = KIOSK_CTL_EXIT_FAILURE;

  if (!kiosk_ctl_parse (ctl, "[TEXT]", entries, &argc, &argv, 0, 1))
    return KIOSK_CTL_EXIT_USAGE;
  if (from_stdin == (argc == 2))
    return kiosk_ctl_usage (ctl, "receipt import needs the scanned TEXT or --stdin (one of the two)");

  payload = open_scanned (ctl, argv[1], from_stdin, city_key, (const char * const *) trust, &bytes, &status);
  if (payload == NULL)
    return status;
  if (!kiosk_payload_fill_draft (payload, bytes, &draft, &error))
    return kiosk_ctl_fail (ctl, error);
  context = kiosk_ctl_get_context (ctl, &error);
  if (context == NULL)
    return kiosk_ctl_fail (ctl, error);

  request = kiosk_outbox_enqueue (kiosk_context_get_outbox (context), &draft, "counter", &error);
  if (request == NULL && g_error_matches (error, KIOSK_OUTBOX_ERROR, KIOSK_OUTBOX_ERROR_EXISTS))
    {
      /* Scanned twice, or the kiosk's queue was imported already. */
      g_clear_error (&error);
      request = kiosk_outbox_get (kiosk_context_get_outbox (context), draft.id, &error);
      known = request != NULL;
    }
  if (request == NULL)
    return kiosk_ctl_fail (ctl, error);

  if (ctl->json)
    {
      g_autoptr(JsonNode) root = kiosk_ctl_request_to_json (request, FALSE);

      json_object_set_boolean_member (json_node_get_object (root), "already_known", known);
      kiosk_ctl_print_json (root);
    }
  else if (known)
    g_print ("%s is already here (%s)\n", kiosk_request_get_short_code (request),
             kiosk_request_state_to_string (kiosk_request_get_state (request)));
  else
    g_print ("%s imported from kiosk %s; it will be sent to the city\n",
             kiosk_request_get_short_code (request), kiosk_payload_get_kiosk_id (payload));
  return KIOSK_CTL_EXIT_OK;
}

/* The service of a request in the active catalogue, or %NULL (with a
 * reason on stderr) when it is not there: the slip is then the plain
 * receipt. */
static KioskService *
service_for (KioskContext *context,
             const char   *service_id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KioskCatalog) catalog = kiosk_catalog_load_active (kiosk_context_get_store (context), &error);
  KioskService *service;

  if (catalog == NULL)
    {
      g_printerr ("Note: no catalogue (%s); drawing the plain receipt\n", error->message);
      return NULL;
    }
  service = kiosk_catalog_lookup_any (catalog, service_id);
  if (service == NULL)
    {
      g_printerr ("Note: service \"%s\" is not in the catalogue; drawing the plain receipt\n", service_id);
      return NULL;
    }
  return g_object_ref (service);
}

/* A request's slip: the filled-in form for a `print` service (with the
 * answers when they are stored readable, not sealed), else the receipt. */
static KioskReceipt *
receipt_for (KioskCtl    *ctl,
             const char  *id_or_code,
             const char  *title,
             GError     **error)
{
  KioskContext *context = kiosk_ctl_get_context (ctl, error);
  g_autoptr(KioskRequest) request = NULL;
  g_autoptr(KioskReceipt) receipt = NULL;
  g_autoptr(KioskService) service = NULL;
  const char *locale;

  if (context == NULL)
    return NULL;
  request = kiosk_outbox_get (kiosk_context_get_outbox (context), id_or_code, error);
  if (request == NULL)
    return NULL;
  locale = kiosk_request_get_locale (request);
  service = service_for (context, kiosk_request_get_service_id (request));
  if (title == NULL && service != NULL)
    title = kiosk_service_get_title (service, locale);
  receipt = kiosk_receipt_new_for_request (context, request, title, locale, error);
  if (receipt == NULL)
    return NULL;
  if (service != NULL && kiosk_service_get_offline_mode (service) == KIOSK_OFFLINE_PRINT)
    {
      GBytes *answers = kiosk_request_get_answers_format (request) == KIOSK_ANSWERS_JSON
                        ? kiosk_request_get_answers (request) : NULL;

      if (!kiosk_receipt_use_form_layout (receipt, service, answers, locale, error))
        return NULL;
    }
  return g_steal_pointer (&receipt);
}

/* Writes @receipt as png, pdf or escpos. */
static gboolean
write_receipt (KioskReceipt        *receipt,
               const char          *format,
               const char          *output,
               gint                 width,
               KioskReceiptQrMode   qr_mode,
               GError             **error)
{
  g_autoptr(GBytes) bytes = NULL;

  if (g_str_equal (format, "png"))
    return kiosk_receipt_render_png (receipt, output,
                                     width == 58 ? KIOSK_RECEIPT_DOTS_58MM : KIOSK_RECEIPT_DOTS_80MM, error);
  bytes = g_str_equal (format, "pdf")
          ? kiosk_receipt_render_pdf (receipt, (guint) width, error)
          : kiosk_receipt_render_escpos (receipt, (guint) width, qr_mode, error);
  return bytes != NULL &&
         g_file_set_contents (output, g_bytes_get_data (bytes, NULL), (gssize) g_bytes_get_size (bytes), error);
}

/* The options `receipt render` and `receipt render-refer` share: checked,
 * with the paper width and QR mode defaulting to the configuration.
 * Returns -1 when they are good, else the exit status to return. */
static int
render_options (KioskCtl           *ctl,
                const char         *command,
                const char         *format,
                const char         *output,
                const char         *qr,
                gint               *inout_width,
                KioskReceiptQrMode *out_qr_mode)
{
  g_autoptr(GError) error = NULL;
  KioskConfig *config;

  if (format == NULL || output == NULL)
    {
      g_autofree char *message = g_strdup_printf ("%s needs --format png|pdf|escpos and --output FILE", command);
      return kiosk_ctl_usage (ctl, message);
    }
  if (!g_str_equal (format, "png") && !g_str_equal (format, "pdf") && !g_str_equal (format, "escpos"))
    return kiosk_ctl_usage (ctl, "--format must be png, pdf or escpos");
  if (*inout_width != 0 && *inout_width != 58 && *inout_width != 80)
    return kiosk_ctl_usage (ctl, "--width must be 58 or 80");
  if (qr != NULL && !g_str_equal (qr, "native") && !g_str_equal (qr, "raster"))
    return kiosk_ctl_usage (ctl, "--qr must be native or raster");

  config = kiosk_ctl_get_config (ctl, &error);
  if (config == NULL)
    return kiosk_ctl_fail (ctl, error);
  if (*inout_width == 0)
    *inout_width = (gint) kiosk_config_get_paper_width (config);
  *out_qr_mode = g_strcmp0 (qr != NULL ? qr : kiosk_config_get_qr_mode (config), "raster") == 0
                 ? KIOSK_RECEIPT_QR_RASTER : KIOSK_RECEIPT_QR_NATIVE;
  return -1;
}

int
kiosk_ctl_receipt_render (KioskCtl  *ctl,
                          int        argc,
                          char     **argv)
{
  g_autofree char *format = NULL;
  g_autofree char *output = NULL;
  g_autofree char *title = NULL;
  g_autofree char *qr = NULL;
  gint width = 0;
  const GOptionEntry entries[] = {
    { "format", 0, 0, G_OPTION_ARG_STRING, &format, "png, pdf or escpos", "FORMAT" },
    { "output", 0, 0, G_OPTION_ARG_FILENAME, &output, "Write to FILE", "FILE" },
    { "width", 0, 0, G_OPTION_ARG_INT, &width, "Paper width, 58 or 80 mm (default: [printer] paper-width)", "MM" },
    { "title", 0, 0, G_OPTION_ARG_STRING, &title, "Service title to print (default: the service id)", "TEXT" },
    { "qr", 0, 0, G_OPTION_ARG_STRING, &qr, "ESC/POS QR code: native or raster (default: [printer] qr-mode)", "MODE" },
    { NULL }
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(KioskReceipt) receipt = NULL;
  KioskReceiptQrMode qr_mode;
  int status;

  if (!kiosk_ctl_parse (ctl, "ID|CODE", entries, &argc, &argv, 1, 1))
    return KIOSK_CTL_EXIT_USAGE;
  if ((status = render_options (ctl, "receipt render", format, output, qr, &width, &qr_mode)) >= 0)
    return status;

  receipt = receipt_for (ctl, argv[1], title, &error);
  if (receipt == NULL)
    return kiosk_ctl_fail (ctl, error);

  if (!write_receipt (receipt, format, output, width, qr_mode, &error))
    return kiosk_ctl_fail (ctl, error);

  if (ctl->json)
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();
      g_autoptr(JsonNode) root = NULL;

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "output");
      json_builder_add_string_value (b, output);
      json_builder_set_member_name (b, "format");
      json_builder_add_string_value (b, format);
      json_builder_set_member_name (b, "layout");
      json_builder_add_string_value (b, kiosk_receipt_get_layout (receipt) == KIOSK_RECEIPT_LAYOUT_FORM ? "form" : "receipt");
      json_builder_set_member_name (b, "qr_text");
      json_builder_add_string_value (b, kiosk_qr_get_text (kiosk_receipt_get_qr (receipt)));
      json_builder_set_member_name (b, "qr_version");
      json_builder_add_int_value (b, kiosk_qr_get_version (kiosk_receipt_get_qr (receipt)));
      json_builder_end_object (b);
      root = json_builder_get_root (b);
      kiosk_ctl_print_json (root);
    }
  else
    g_print ("%s written (%s%s, %d mm, QR version %u)\n", output, format,
             kiosk_receipt_get_layout (receipt) == KIOSK_RECEIPT_LAYOUT_FORM ? ", the form for the office" : "",
             width, kiosk_qr_get_version (kiosk_receipt_get_qr (receipt)));
  return KIOSK_CTL_EXIT_OK;
}

/* receipt render-refer: the slip a `refer` service prints (web address,
 * its QR code, office hours); nothing is stored, so no request needed. */
int
kiosk_ctl_receipt_render_refer (KioskCtl  *ctl,
                                int        argc,
                                char     **argv)
{
  g_autofree char *format = NULL;
  g_autofree char *output = NULL;
  g_autofree char *locale = NULL;
  g_autofree char *qr = NULL;
  gint width = 0;
  const GOptionEntry entries[] = {
    { "format", 0, 0, G_OPTION_ARG_STRING, &format, "png, pdf or escpos", "FORMAT" },
    { "output", 0, 0, G_OPTION_ARG_FILENAME, &output, "Write to FILE", "FILE" },
    { "width", 0, 0, G_OPTION_ARG_INT, &width, "Paper width, 58 or 80 mm (default: [printer] paper-width)", "MM" },
    { "locale", 0, 0, G_OPTION_ARG_STRING, &locale, "Language of the slip (default: de)", "LANG" },
    { "qr", 0, 0, G_OPTION_ARG_STRING, &qr, "ESC/POS QR code: native or raster (default: [printer] qr-mode)", "MODE" },
    { NULL }
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(KioskCatalog) catalog = NULL;
  g_autoptr(KioskReceipt) receipt = NULL;
  KioskContext *context;
  KioskService *service;
  KioskReceiptQrMode qr_mode;
  int status;
  const char *lang;

  if (!kiosk_ctl_parse (ctl, "SERVICE_ID", entries, &argc, &argv, 1, 1))
    return KIOSK_CTL_EXIT_USAGE;
  if ((status = render_options (ctl, "receipt render-refer", format, output, qr, &width, &qr_mode)) >= 0)
    return status;
  lang = locale != NULL ? locale : "de";

  context = kiosk_ctl_get_context (ctl, &error);
  if (context == NULL)
    return kiosk_ctl_fail (ctl, error);

  catalog = kiosk_catalog_load_active (kiosk_context_get_store (context), &error);
  if (catalog == NULL)
    return kiosk_ctl_fail (ctl, error);
  service = kiosk_catalog_lookup_any (catalog, argv[1]);
  if (service == NULL)
    {
      g_set_error (&error, KIOSK_RECEIPT_ERROR, KIOSK_RECEIPT_ERROR_INVALID,
                   "service \"%s\" is not in the catalogue (version %s)", argv[1], kiosk_catalog_get_version (catalog));
      return kiosk_ctl_fail (ctl, error);
    }
  if (kiosk_service_get_offline_mode (service) != KIOSK_OFFLINE_REFER)
    {
      g_set_error (&error, KIOSK_RECEIPT_ERROR, KIOSK_RECEIPT_ERROR_INVALID,
                   "service \"%s\" is not a \"refer\" service (its \"offline\" is not \"refer\"); "
                   "render one of its requests with: receipt render ID|CODE", argv[1]);
      return kiosk_ctl_fail (ctl, error);
    }
  receipt = kiosk_receipt_new_refer (kiosk_service_get_title (service, lang), kiosk_service_get_refer_url (service),
                                     kiosk_service_get_office_hours (service, lang), lang, &error);
  if (receipt == NULL || !write_receipt (receipt, format, output, width, qr_mode, &error))
    return kiosk_ctl_fail (ctl, error);

  if (ctl->json)
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();
      g_autoptr(JsonNode) root = NULL;

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "output");
      json_builder_add_string_value (b, output);
      json_builder_set_member_name (b, "format");
      json_builder_add_string_value (b, format);
      json_builder_set_member_name (b, "layout");
      json_builder_add_string_value (b, "refer");
      json_builder_set_member_name (b, "url");
      json_builder_add_string_value (b, kiosk_receipt_get_url (receipt));
      json_builder_set_member_name (b, "qr_version");
      json_builder_add_int_value (b, kiosk_qr_get_version (kiosk_receipt_get_qr (receipt)));
      json_builder_end_object (b);
      root = json_builder_get_root (b);
      kiosk_ctl_print_json (root);
    }
  else
    g_print ("%s written (%s, %d mm, refer slip for %s)\n", output, format, width, kiosk_receipt_get_url (receipt));
  return KIOSK_CTL_EXIT_OK;
}

static void
printed_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

int
kiosk_ctl_receipt_print (KioskCtl  *ctl,
                         int        argc,
                         char     **argv)
{
  g_autofree char *title = NULL;
  const GOptionEntry entries[] = {
    { "title", 0, 0, G_OPTION_ARG_STRING, &title, "Service title to print (default: the service id)", "TEXT" },
    { NULL }
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(KioskReceipt) receipt = NULL;
  g_autoptr(KioskPrinter) printer = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autofree char *where = NULL;
  KioskConfig *config;

  if (!kiosk_ctl_parse (ctl, "ID|CODE", entries, &argc, &argv, 1, 1))
    return KIOSK_CTL_EXIT_USAGE;
  config = kiosk_ctl_get_config (ctl, &error);
  if (config == NULL)
    return kiosk_ctl_fail (ctl, error);
  printer = kiosk_printer_new_from_config (config, &error);
  if (printer == NULL)
    return kiosk_ctl_fail (ctl, error);
  receipt = receipt_for (ctl, argv[1], title, &error);
  if (receipt == NULL)
    return kiosk_ctl_fail (ctl, error);

  kiosk_printer_print_async (printer, receipt, NULL, printed_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  where = kiosk_printer_print_finish (printer, result, &error);
  if (where == NULL)
    {
      g_autofree char *detail = g_strdup_printf ("%s: %s", argv[1], error->message);
      KioskContext *context = kiosk_ctl_get_context (ctl, NULL);

      if (context != NULL)
        kiosk_context_audit (context, "cli", "print failed", detail);
      return kiosk_ctl_fail (ctl, error);
    }

  if (ctl->json)
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();
      g_autoptr(JsonNode) root = NULL;

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "printed");
      json_builder_add_string_value (b, where);
      json_builder_end_object (b);
      root = json_builder_get_root (b);
      kiosk_ctl_print_json (root);
    }
  else if (kiosk_printer_get_kind (printer) == KIOSK_PRINTER_NONE)
    g_print ("No printer configured ([printer] backend=none); nothing printed.\n");
  else
    g_print ("Printed: %s\n", where);
  return KIOSK_CTL_EXIT_OK;
}

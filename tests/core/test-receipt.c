/* test-receipt.c
 *
 * SPDX-FileCopyrightText: 2026 Stadtkiosk contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
#include <libintl.h>
#include <locale.h>
#include <string.h>

#include "stadtkiosk-core.h"
#include "kiosk-test-escpos.h"
#include "kiosk-test-zbar.h"
#include "kiosk-test-util.h"

#define ANSWERS "{\"address\":\"Almsstraße 12, 31134 Hildesheim\",\"description\":\"Laterne defekt\",\"name\":\"Erika Mustermann\"}"

typedef struct
{
  char         *dir;
  KioskConfig  *config;
  KioskContext *context;
  KioskKeys    *counter;
} Fixture;


static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  const char *mode = data != NULL ? data : "demo";
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  g_autofree char *text = NULL;

  f->dir = g_dir_make_tmp ("test-receipt-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (f->dir, "kiosk.conf", NULL);
  text = g_strdup_printf ("[kiosk]\nid=kiosk-bib-1\nstate-dir=%s/state\n"
                          "location=Stadtbibliothek Hildesheim, Judenstraße 1\n"
                          "[keys]\nmode=%s\n", f->dir, mode);
  g_assert_true (g_file_set_contents (path, text, -1, NULL));
  f->config = kiosk_config_new_from_file (path, &error);
  g_assert_no_error (error);
  f->context = kiosk_context_new (f->config, NULL, &error);
  g_assert_no_error (error);
  if (g_str_equal (mode, "demo"))
    {
      f->counter = kiosk_keys_load_for_counter (f->config, NULL, NULL, &error);
      g_assert_no_error (error);
    }
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_clear_object (&f->context);
  g_clear_object (&f->config);
  g_clear_pointer (&f->counter, kiosk_keys_free);
  if (g_getenv ("KIOSK_KEEP_TEST_DIR") == NULL)
    kiosk_test_rm_rf (f->dir);
  else
    g_test_message ("kept %s", f->dir);
  g_free (f->dir);
}

static KioskRequest *
enqueue (Fixture    *f,
         const char *answers)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = g_bytes_new (answers, strlen (answers));
  KioskRequestDraft draft = {
    .service_id = "streetlight-defect", .service_version = 2, .locale = "de",
    .answers = bytes, .answers_format = KIOSK_ANSWERS_JSON,
  };
  KioskRequest *request = kiosk_outbox_enqueue (kiosk_context_get_outbox (f->context), &draft, "test", &error);

  g_assert_no_error (error);
  return request;
}

static void
assert_opens_to (Fixture      *f,
                 const char   *text,
                 KioskRequest *request,
                 gboolean      reference_only)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = kiosk_payload_decode_qr_text (text, &error);
  g_autoptr(KioskPayload) opened = NULL;

  g_assert_no_error (error);
  opened = kiosk_payload_open (bytes, f->counter, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (kiosk_payload_get_id (opened), ==, kiosk_request_get_id (request));
  g_assert_cmpstr (kiosk_payload_get_short_code (opened), ==, kiosk_request_get_short_code (request));
  g_assert_cmpint (kiosk_payload_get_created (opened), ==,
                   kiosk_request_get_created (request) / G_USEC_PER_SEC * G_USEC_PER_SEC);
  g_assert_true (kiosk_payload_is_demo (opened));
  g_assert_cmpint (kiosk_payload_is_reference_only (opened), ==, reference_only);
  if (!reference_only)
    {
      g_assert_cmpstr (kiosk_payload_get_service_id (opened), ==, kiosk_request_get_service_id (request));
      g_assert_true (g_bytes_equal (kiosk_payload_get_answers (opened), kiosk_request_get_answers (request)));
    }
}

/* Renders @receipt to @name in the test's directory, @width dots wide, and
 * returns the codes zbar reads in the picture. */
static GPtrArray *
render_and_scan (Fixture      *f,
                 KioskReceipt *receipt,
                 const char   *name,
                 int           width)
{
  g_autofree char *png = g_build_filename (f->dir, name, NULL);
  g_autoptr(GError) error = NULL;

  g_assert_true (kiosk_receipt_render_png (receipt, png, width, &error));
  g_assert_no_error (error);
  return kiosk_test_zbar_scan_png (png);
}

/* Request → receipt PNG → zbar on the whole slip → open → same request. */
static void
test_png_round_trip (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(KioskRequest) request = enqueue (f, ANSWERS);
  g_autoptr(GError) error = NULL;
  g_autoptr(KioskReceipt) receipt = NULL;

  receipt = kiosk_receipt_new_for_request (f->context, request, "Straßenlaterne defekt", "de", &error);
  g_assert_no_error (error);
  g_assert_true (kiosk_receipt_get_demo (receipt));

  for (guint w = 0; w < 2; w++)
    {
      int width = w == 0 ? KIOSK_RECEIPT_DOTS_58MM : KIOSK_RECEIPT_DOTS_80MM;
      g_autofree char *name = g_strdup_printf ("receipt-%d.png", width);
      g_autoptr(GPtrArray) found = render_and_scan (f, receipt, name, width);

      g_assert_cmpuint (found->len, ==, 1);
      g_assert_cmpstr (found->pdata[0], ==, kiosk_qr_get_text (kiosk_receipt_get_qr (receipt)));
      assert_opens_to (f, found->pdata[0], request, FALSE);
    }
  g_assert_finalize_object (g_steal_pointer (&receipt));
}

static char *
pdf_to_text (Fixture *f,
             GBytes  *pdf)
{
  g_autofree char *pdftotext = g_find_program_in_path ("pdftotext");
  g_autofree char *path = g_build_filename (f->dir, "receipt.pdf", NULL);
  g_autoptr(GError) error = NULL;
  char *out = NULL;
  const char *argv[] = { NULL, "-q", NULL, "-", NULL };
  int status = 0;

  if (pdftotext == NULL)
    return NULL;
  g_assert_true (g_file_set_contents (path, g_bytes_get_data (pdf, NULL), (gssize) g_bytes_get_size (pdf), NULL));
  argv[0] = pdftotext;
  argv[2] = path;
  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, NULL, &status, &error));
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  return out;
}

static void
test_pdf_text (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(KioskRequest) request = enqueue (f, ANSWERS);
  g_autoptr(GError) error = NULL;
  g_autoptr(KioskReceipt) receipt = NULL;
  g_autoptr(GBytes) pdf = NULL;
  g_autofree char *text = NULL;

  receipt = kiosk_receipt_new_for_request (f->context, request, "Straßenlaterne defekt", "de", &error);
  g_assert_no_error (error);
  pdf = kiosk_receipt_render_pdf (receipt, 80, &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (g_bytes_get_data (pdf, NULL), "%PDF-"));

  text = pdf_to_text (f, pdf);
  if (text == NULL)
    {
      g_test_skip ("pdftotext is not installed (Debian package poppler-utils)");
      return;
    }
  g_assert_nonnull (strstr (text, kiosk_request_get_short_code (request)));
  g_assert_nonnull (strstr (text, "Straßenlaterne defekt"));
  g_assert_nonnull (strstr (text, "DEMO"));
  g_assert_nonnull (strstr (text, "Saved"));
  g_assert_nonnull (strstr (text, "Judenstraße 1"));
  /* No personal data in clear text. */
  g_assert_null (strstr (text, "Mustermann"));
  g_assert_null (strstr (text, "Almsstraße"));

  /* Negative control: a service that shows answers does print them. */
  kiosk_receipt_add_answer (receipt, "Name", "Erika Mustermann");
  g_clear_pointer (&pdf, g_bytes_unref);
  g_clear_pointer (&text, g_free);
  pdf = kiosk_receipt_render_pdf (receipt, 58, &error);
  g_assert_no_error (error);
  text = pdf_to_text (f, pdf);
  g_assert_nonnull (strstr (text, "Mustermann"));

  /* Unsupported paper. */
  g_clear_pointer (&pdf, g_bytes_unref);
  pdf = kiosk_receipt_render_pdf (receipt, 110, &error);
  g_assert_null (pdf);
  g_assert_error (error, KIOSK_RECEIPT_ERROR, KIOSK_RECEIPT_ERROR_INVALID);
}

static void
test_escpos_native (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(KioskRequest) request = enqueue (f, ANSWERS);
  g_autoptr(GError) error = NULL;
  g_autoptr(KioskReceipt) receipt = NULL;

  receipt = kiosk_receipt_new_for_request (f->context, request, "Straßenlaterne defekt", "de", &error);
  g_assert_no_error (error);
  kiosk_receipt_set_next_steps (receipt, "Sie erhalten den Termin innerhalb von 2 Wochen per Post.");

  for (guint paper = 58; paper <= 80; paper += 22)
    {
      g_autoptr(GBytes) bytes = kiosk_receipt_render_escpos (receipt, paper, KIOSK_RECEIPT_QR_NATIVE, &error);
      g_autoptr(KioskTestEscpos) doc = NULL;

      g_assert_no_error (error);
      doc = kiosk_test_escpos_decode (bytes, &error);
      g_assert_no_error (error);
      g_assert_true (g_str_has_prefix (doc->commands->str, "ESC@ ESCt "));
      g_assert_true (g_str_has_suffix (doc->commands->str, "ESCd GSV "));
      g_assert_true (doc->cut);
      g_assert_nonnull (strstr (doc->commands->str, "QR-model QR-size QR-ec QR-store QR-print"));
      g_assert_cmpuint (doc->qr_data->len, ==, 1);
      g_assert_cmpuint (doc->qr_printed, ==, 1);
      g_assert_cmpuint (doc->qr_ec, ==, '2');   /* level Q */
      g_assert_cmpstr (doc->qr_data->pdata[0], ==, kiosk_qr_get_text (kiosk_receipt_get_qr (receipt)));
      assert_opens_to (f, doc->qr_data->pdata[0], request, FALSE);
      /* Text as printer text (converted back from CP1252). */
      g_assert_nonnull (strstr (doc->text->str, kiosk_request_get_short_code (request)));
      g_assert_nonnull (strstr (doc->text->str, "Straßenlaterne defekt"));
      g_assert_null (strstr (doc->text->str, "Mustermann"));
      /* The service's next steps are printed (words may wrap to lines). */
      g_assert_nonnull (strstr (doc->text->str, "Sie erhalten den"));
      g_assert_nonnull (strstr (doc->text->str, "Post."));
      /* The two DEMO banners are drawn, at the paper's width. */
      g_assert_cmpuint (doc->rasters->len, ==, 2);
      g_assert_cmpuint (doc->raster_bytes_per_row, ==, paper == 58 ? 48 : 72);
      /* Every text line fits the paper (font A: 32 / 48 columns). */
      {
        g_auto(GStrv) lines = g_strsplit (doc->text->str, "\n", -1);

        for (guint k = 0; lines[k] != NULL; k++)
          g_assert_cmpuint (g_utf8_strlen (lines[k], -1), <=, paper == 58 ? 32 : 48);
      }
    }
}

static void
test_escpos_raster (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(KioskRequest) request = enqueue (f, ANSWERS);
  g_autoptr(GError) error = NULL;
  g_autoptr(KioskReceipt) receipt = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(KioskTestEscpos) doc = NULL;
  guint decoded = 0;

  receipt = kiosk_receipt_new_for_request (f->context, request, "Straßenlaterne defekt", "de", &error);
  g_assert_no_error (error);
  bytes = kiosk_receipt_render_escpos (receipt, 58, KIOSK_RECEIPT_QR_RASTER, &error);
  g_assert_no_error (error);
  doc = kiosk_test_escpos_decode (bytes, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (doc->qr_data->len, ==, 0);
  g_assert_cmpuint (doc->rasters->len, ==, 3);
  for (guint i = 0; i < doc->rasters->len; i++)
    {
      g_autoptr(GPtrArray) found = kiosk_test_zbar_scan_surface (doc->rasters->pdata[i]);

      if (found->len == 0)
        continue;
      g_assert_cmpuint (found->len, ==, 1);
      assert_opens_to (f, found->pdata[0], request, FALSE);
      decoded++;
    }
  g_assert_cmpuint (decoded, ==, 1);
}

static void
test_arabic (Fixture       *f,
             gconstpointer  data)
{
  const char *title = "الإبلاغ عن عطل في إنارة الشارع";
  g_autoptr(KioskRequest) request = enqueue (f, ANSWERS);
  g_autoptr(GError) error = NULL;
  g_autoptr(KioskReceipt) arabic = NULL;
  g_autoptr(KioskReceipt) latin = NULL;
  g_autoptr(GBytes) a = NULL;
  g_autoptr(GBytes) l = NULL;
  g_autoptr(KioskTestEscpos) da = NULL;
  g_autoptr(KioskTestEscpos) dl = NULL;
  g_autoptr(GPtrArray) found = NULL;

  arabic = kiosk_receipt_new_for_request (f->context, request, title, "ar", &error);
  g_assert_no_error (error);
  latin = kiosk_receipt_new_for_request (f->context, request, "Straßenlaterne defekt", "de", &error);
  g_assert_no_error (error);

  a = kiosk_receipt_render_escpos (arabic, 80, KIOSK_RECEIPT_QR_NATIVE, &error);
  l = kiosk_receipt_render_escpos (latin, 80, KIOSK_RECEIPT_QR_NATIVE, &error);
  g_assert_no_error (error);
  da = kiosk_test_escpos_decode (a, &error);
  dl = kiosk_test_escpos_decode (l, &error);
  g_assert_no_error (error);
  /* The Arabic title is one more raster; the Latin one is printer text. */
  g_assert_cmpuint (da->rasters->len, ==, dl->rasters->len + 1);
  g_assert_null (strstr (da->text->str, "Straßenlaterne"));
  g_assert_nonnull (strstr (dl->text->str, "Straßenlaterne"));
  g_assert_nonnull (strstr (da->text->str, kiosk_request_get_short_code (request)));

  found = render_and_scan (f, arabic, "arabic.png", 576);
  g_assert_cmpuint (found->len, ==, 1);
}

static void
test_no_keys (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(KioskRequest) request = enqueue (f, ANSWERS);
  g_autoptr(GError) error = NULL;
  g_autoptr(KioskReceipt) receipt = NULL;
  g_autoptr(KioskRequest) again = NULL;

  receipt = kiosk_receipt_new_for_request (f->context, request, "Straßenlaterne defekt", "de", &error);
  g_assert_null (receipt);
  g_assert_error (error, KIOSK_KEYS_ERROR, KIOSK_KEYS_ERROR_MISSING);
  g_assert_nonnull (strstr (error->message, "signing-key"));
  g_clear_error (&error);

  /* The request is still there, queued. */
  again = kiosk_outbox_get (kiosk_context_get_outbox (f->context), kiosk_request_get_short_code (request), &error);
  g_assert_no_error (error);
  g_assert_cmpint (kiosk_request_get_state (again), ==, KIOSK_REQUEST_QUEUED);
}

static void
test_sealed_at_rest (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) answers = g_bytes_new_static (ANSWERS, strlen (ANSWERS));
  g_autoptr(GBytes) sealed = NULL;
  g_autoptr(KioskRequest) request = NULL;
  g_autoptr(KioskReceipt) receipt = NULL;
  g_autofree char *id = g_uuid_string_random ();
  g_autofree char *code = kiosk_outbox_new_short_code (kiosk_context_get_outbox (f->context));
  g_autofree char *stored_text = NULL;
  KioskRequestDraft draft = {
    .id = id, .short_code = code, .service_id = "streetlight-defect", .service_version = 2,
    .locale = "de", .answers = answers, .answers_format = KIOSK_ANSWERS_JSON,
  };

  g_assert_true (kiosk_sealer_seal_at_rest (kiosk_context_get_config (f->context),
                                            kiosk_context_get_clock (f->context),
                                            &draft, &sealed, &error));
  g_assert_no_error (error);
  request = kiosk_outbox_enqueue (kiosk_context_get_outbox (f->context), &draft, "test", &error);
  g_assert_no_error (error);
  receipt = kiosk_receipt_new_for_request (f->context, request, "Laterne", "de", &error);
  g_assert_no_error (error);
  /* The stored payload is the QR payload. */
  stored_text = kiosk_payload_encode_qr_text (kiosk_request_get_answers (request));
  g_assert_cmpstr (kiosk_qr_get_text (kiosk_receipt_get_qr (receipt)), ==, stored_text);
}

static void
test_reference_only (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GString) big = g_string_new ("{\"description\":\"");
  g_autoptr(KioskRequest) request = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(KioskReceipt) receipt = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(KioskTestEscpos) doc = NULL;
  guint32 seed = 7;

  for (guint i = 0; i < 1500; i++)
    {
      seed = seed * 1103515245 + 12345;
      g_string_append_c (big, "abcdefghijklmnopqrstuvwxyz0123456789 "[(seed >> 16) % 37]);
    }
  g_string_append (big, "\"}");
  request = enqueue (f, big->str);
  receipt = kiosk_receipt_new_for_request (f->context, request, "Anliegen", "de", &error);
  g_assert_no_error (error);
  bytes = kiosk_receipt_render_escpos (receipt, 80, KIOSK_RECEIPT_QR_NATIVE, &error);
  doc = kiosk_test_escpos_decode (bytes, &error);
  g_assert_no_error (error);
  assert_opens_to (f, doc->qr_data->pdata[0], request, TRUE);
  g_assert_nonnull (strstr (doc->text->str, "only your reference number"));
  g_assert_nonnull (strstr (doc->text->str, "stored on this kiosk"));
}

/* The receipt speaks the request's language, whatever the process locale. */
static void
test_locale (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(KioskRequest) request = enqueue (f, ANSWERS);
  g_autoptr(GError) error = NULL;
  g_autofree char *podir = g_build_filename (g_getenv ("G_TEST_BUILDDIR"), "..", "po", NULL);
  g_autofree char *mo = g_build_filename (podir, "de", "LC_MESSAGES", GETTEXT_PACKAGE ".mo", NULL);
  g_autofree char *saved_language = g_strdup (g_getenv ("LANGUAGE"));
  locale_t probe = newlocale (LC_MESSAGES_MASK, "de_DE.UTF-8", (locale_t) 0);
  const char *langs[] = { "de", "en" };
  const char *expect[] = { "Ihre Vorgangsnummer", "Your reference number" };

  if (probe == (locale_t) 0)
    {
      g_test_skip ("the de_DE.UTF-8 locale is not generated (./dev generates it)");
      return;
    }
  freelocale (probe);
  if (!g_file_test (mo, G_FILE_TEST_EXISTS))
    {
      g_test_skip ("po/de/LC_MESSAGES/" GETTEXT_PACKAGE ".mo is not built");
      return;
    }
  bindtextdomain (GETTEXT_PACKAGE, podir);
  g_unsetenv ("LANGUAGE");

  for (guint i = 0; i < G_N_ELEMENTS (langs); i++)
    {
      g_autoptr(KioskReceipt) receipt = kiosk_receipt_new_for_request (f->context, request, "Laterne", langs[i], &error);
      g_autoptr(GBytes) bytes = NULL;
      g_autoptr(KioskTestEscpos) doc = NULL;

      g_assert_no_error (error);
      bytes = kiosk_receipt_render_escpos (receipt, 80, KIOSK_RECEIPT_QR_NATIVE, &error);
      doc = kiosk_test_escpos_decode (bytes, &error);
      g_assert_no_error (error);
      g_assert_nonnull (strstr (doc->text->str, expect[i]));
      g_assert_null (strstr (doc->text->str, expect[1 - i]));
    }
  /* The process locale is untouched. */
  g_assert_cmpstr (setlocale (LC_MESSAGES, NULL), ==, "C");

  if (saved_language != NULL)
    g_setenv ("LANGUAGE", saved_language, TRUE);
}

/* The largest code (version 25) on the narrowest paper still scans, as a
 * raster, in the PNG and in the PDF rendered at printer resolution. */
static void
test_max_on_58mm (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GString) big = g_string_new ("{\"d\":\"");
  g_autoptr(KioskRequest) request = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(KioskReceipt) receipt = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(KioskTestEscpos) doc = NULL;
  g_autoptr(GPtrArray) found = NULL;
  guint32 seed = 3;
  guint decoded = 0;

  /* Just under the cap: 560 incompressible answer bytes. */
  for (guint i = 0; i < 560; i++)
    {
      seed = seed * 1103515245 + 12345;
      g_string_append_c (big, "abcdefghijklmnopqrstuvwxyz0123456789 "[(seed >> 16) % 37]);
    }
  g_string_append (big, "\"}");
  request = enqueue (f, big->str);
  receipt = kiosk_receipt_new_for_request (f->context, request, "Anliegen", "de", &error);
  g_assert_no_error (error);
  g_test_message ("QR version %u", kiosk_qr_get_version (kiosk_receipt_get_qr (receipt)));
  g_assert_cmpuint (kiosk_qr_get_version (kiosk_receipt_get_qr (receipt)), >=, 24);

  bytes = kiosk_receipt_render_escpos (receipt, 58, KIOSK_RECEIPT_QR_RASTER, &error);
  doc = kiosk_test_escpos_decode (bytes, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < doc->rasters->len; i++)
    {
      g_autoptr(GPtrArray) codes = kiosk_test_zbar_scan_surface (doc->rasters->pdata[i]);

      if (codes->len == 1)
        {
          assert_opens_to (f, codes->pdata[0], request, FALSE);
          decoded++;
        }
    }
  g_assert_cmpuint (decoded, ==, 1);

  found = render_and_scan (f, receipt, "max58.png", KIOSK_RECEIPT_DOTS_58MM);
  g_assert_cmpuint (found->len, ==, 1);
  assert_opens_to (f, found->pdata[0], request, FALSE);
}

#define FORM_ANSWERS "{\"address\":{\"city\":\"Hildesheim\",\"house_number\":\"12\",\"postal_code\":\"31134\"," \
                     "\"street\":\"Almsstraße\"},\"birth-date\":\"1970-01-31\",\"copies\":2,\"kind\":\"simple\"," \
                     "\"name\":\"Erika Mustermann\"}"

static KioskService *
demo_service (const char *id)
{
  g_autoptr(KioskCatalog) catalog = kiosk_catalog_new_demo ();
  KioskService *service = kiosk_catalog_lookup (catalog, id);

  g_assert_nonnull (service);
  return g_object_ref (service);
}

/* A `print` service's slip is the form for the office: every answer under
 * its catalogue label, signature line, what to bring, office hours, and
 * the sealed code still opens to the request. */
static void
test_form (Fixture       *f,
           gconstpointer  data)
{
  g_autoptr(KioskService) service = demo_service ("residence-certificate");
  g_autoptr(GBytes) answers = g_bytes_new_static (FORM_ANSWERS, strlen (FORM_ANSWERS));
  g_autoptr(GBytes) bad = g_bytes_new_static ("[1]", 3);
  g_autoptr(KioskRequest) request = enqueue (f, FORM_ANSWERS);
  g_autoptr(GError) error = NULL;
  g_autoptr(KioskReceipt) receipt = NULL;
  g_autoptr(KioskReceipt) plain = NULL;
  g_autoptr(GBytes) pdf = NULL;
  g_autoptr(GBytes) escpos = NULL;
  g_autoptr(KioskTestEscpos) doc = NULL;
  g_autoptr(GPtrArray) found = NULL;
  g_autofree char *text = NULL;
  g_autofree char *plain_text = NULL;
  const char * const expected[] = {
    "Application", "Meldebescheinigung",
    "First and last name", "Erika Mustermann", "Date of birth", "Current address", "Almsstraße 12",
    "Kind of certificate", "Simple certificate", "Copies",
    "Date, signature", "Please bring", "ID card or passport", "Where and when", "Markt 1",
    NULL,
  };

  receipt = kiosk_receipt_new_for_request (f->context, request, "Meldebescheinigung", "en", &error);
  g_assert_no_error (error);
  g_assert_false (kiosk_receipt_use_form_layout (receipt, service, bad, "en", &error));
  g_assert_error (error, KIOSK_RECEIPT_ERROR, KIOSK_RECEIPT_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "residence-certificate"));
  g_clear_error (&error);
  g_assert_cmpint (kiosk_receipt_get_layout (receipt), ==, KIOSK_RECEIPT_LAYOUT_RECEIPT);
  g_assert_true (kiosk_receipt_use_form_layout (receipt, service, answers, "en", &error));
  g_assert_no_error (error);
  g_assert_cmpint (kiosk_receipt_get_layout (receipt), ==, KIOSK_RECEIPT_LAYOUT_FORM);

  /* The code is the request's sealed copy, as on the receipt. */
  found = render_and_scan (f, receipt, "form.png", KIOSK_RECEIPT_DOTS_80MM);
  g_assert_cmpuint (found->len, ==, 1);
  assert_opens_to (f, found->pdata[0], request, FALSE);

  /* ESC/POS from the same blocks: the answers as printer text, a QR. */
  escpos = kiosk_receipt_render_escpos (receipt, 58, KIOSK_RECEIPT_QR_NATIVE, &error);
  g_assert_no_error (error);
  doc = kiosk_test_escpos_decode (escpos, &error);
  g_assert_no_error (error);
  g_assert_nonnull (strstr (doc->text->str, "Erika Mustermann"));
  g_assert_nonnull (strstr (doc->text->str, "Date, signature"));
  g_assert_cmpuint (doc->qr_data->len, ==, 1);
  assert_opens_to (f, doc->qr_data->pdata[0], request, FALSE);

  pdf = kiosk_receipt_render_pdf (receipt, 80, &error);
  g_assert_no_error (error);
  text = pdf_to_text (f, pdf);
  if (text == NULL)
    {
      g_test_skip ("pdftotext is not installed (Debian package poppler-utils)");
      return;
    }
  for (guint i = 0; expected[i] != NULL; i++)
    {
      g_test_message ("looking for %s", expected[i]);
      g_assert_nonnull (strstr (text, expected[i]));
    }
  g_assert_nonnull (strstr (text, kiosk_request_get_short_code (request)));

  /* Control: the plain receipt of the same request has none of it. */
  plain = kiosk_receipt_new_for_request (f->context, request, "Meldebescheinigung", "en", &error);
  g_assert_no_error (error);
  g_clear_pointer (&pdf, g_bytes_unref);
  pdf = kiosk_receipt_render_pdf (plain, 80, &error);
  g_assert_no_error (error);
  plain_text = pdf_to_text (f, pdf);
  g_assert_null (strstr (plain_text, "First and last name"));
  g_assert_null (strstr (plain_text, "Mustermann"));
  g_assert_null (strstr (plain_text, "Date, signature"));
}

/* A form whose answers are sealed at rest says where they are. */
static void
test_form_sealed (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(KioskService) service = demo_service ("residence-certificate");
  g_autoptr(KioskRequest) request = enqueue (f, FORM_ANSWERS);
  g_autoptr(GError) error = NULL;
  g_autoptr(KioskReceipt) receipt = NULL;
  g_autoptr(GBytes) pdf = NULL;
  g_autofree char *text = NULL;

  receipt = kiosk_receipt_new_for_request (f->context, request, "Meldebescheinigung", "en", &error);
  g_assert_no_error (error);
  g_assert_true (kiosk_receipt_use_form_layout (receipt, service, NULL, "en", &error));
  pdf = kiosk_receipt_render_pdf (receipt, 80, &error);
  g_assert_no_error (error);
  text = pdf_to_text (f, pdf);
  if (text == NULL)
    {
      g_test_skip ("pdftotext is not installed (Debian package poppler-utils)");
      return;
    }
  g_assert_nonnull (strstr (text, "sealed code below"));
  g_assert_nonnull (strstr (text, "Date, signature"));
  g_assert_null (strstr (text, "Mustermann"));
}

/* A `refer` service's slip: the address in clear text and as a QR a phone
 * opens to exactly that address; no reference number, nothing stored. */
static void
test_refer (Fixture       *f,
            gconstpointer  data)
{
  const char *url = "https://www.hildesheim.de/buergerservice/bewohnerparken?x=1&lang=de";
  g_autoptr(GError) error = NULL;
  g_autoptr(KioskReceipt) receipt = NULL;
  g_autoptr(GBytes) pdf = NULL;
  g_autofree char *text = NULL;

  g_assert_null (kiosk_receipt_new_refer ("Bewohnerparkausweis", NULL, NULL, "en", &error));
  g_assert_error (error, KIOSK_RECEIPT_ERROR, KIOSK_RECEIPT_ERROR_INVALID);
  g_clear_error (&error);

  receipt = kiosk_receipt_new_refer ("Bewohnerparkausweis", url,
                                     "Citizens' office, Markt 1: Mon–Wed 8 am–4 pm", "en", &error);
  g_assert_no_error (error);
  g_assert_cmpint (kiosk_receipt_get_layout (receipt), ==, KIOSK_RECEIPT_LAYOUT_REFER);
  g_assert_cmpstr (kiosk_receipt_get_url (receipt), ==, url);
  g_assert_null (kiosk_receipt_get_short_code (receipt));

  for (guint w = 0; w < 2; w++)
    {
      int width = w == 0 ? KIOSK_RECEIPT_DOTS_58MM : KIOSK_RECEIPT_DOTS_80MM;
      g_autofree char *name = g_strdup_printf ("refer-%d.png", width);
      g_autoptr(GPtrArray) found = render_and_scan (f, receipt, name, width);

      g_assert_cmpuint (found->len, ==, 1);
      g_assert_cmpstr (found->pdata[0], ==, url);
    }

  for (guint mode = 0; mode < 2; mode++)
    {
      g_autoptr(GBytes) bytes = kiosk_receipt_render_escpos (receipt, 80, mode == 0 ? KIOSK_RECEIPT_QR_NATIVE
                                                                                     : KIOSK_RECEIPT_QR_RASTER, &error);
      g_autoptr(KioskTestEscpos) doc = NULL;

      g_assert_no_error (error);
      doc = kiosk_test_escpos_decode (bytes, &error);
      g_assert_no_error (error);
      g_assert_true (doc->cut);
      if (mode == 0)
        {
          g_assert_cmpuint (doc->qr_data->len, ==, 1);
          g_assert_cmpstr (doc->qr_data->pdata[0], ==, url);
        }
      else
        {
          g_autoptr(GPtrArray) found = NULL;

          g_assert_cmpuint (doc->rasters->len, ==, 1);
          found = kiosk_test_zbar_scan_surface (doc->rasters->pdata[0]);
          g_assert_cmpuint (found->len, ==, 1);
          g_assert_cmpstr (found->pdata[0], ==, url);
        }
    }

  pdf = kiosk_receipt_render_pdf (receipt, 80, &error);
  g_assert_no_error (error);
  text = pdf_to_text (f, pdf);
  if (text == NULL)
    {
      g_test_skip ("pdftotext is not installed (Debian package poppler-utils)");
      return;
    }
  g_assert_nonnull (strstr (text, "Bewohnerparkausweis"));
  g_assert_nonnull (strstr (text, "online only"));
  g_assert_nonnull (strstr (text, "Markt 1"));
  /* The address may wrap; compare without white space. */
  {
    g_autoptr(GString) joined = g_string_new (NULL);

    for (const char *p = text; *p; p++)
      if (!g_ascii_isspace (*p))
        g_string_append_c (joined, *p);
    g_assert_nonnull (strstr (joined->str, url));
  }
  g_assert_null (strstr (text, "reference number"));
  g_assert_null (strstr (text, "DEMO"));
  g_assert_finalize_object (g_steal_pointer (&receipt));
}

int
main (int    argc,
      char **argv)
{
  g_setenv ("LANGUAGE", "C", TRUE);
  g_test_init (&argc, &argv, NULL);

#define ADD(path, mode, func) g_test_add (path, Fixture, mode, fixture_set_up, func, fixture_tear_down)
  ADD ("/kiosk/receipt/png-round-trip", NULL, test_png_round_trip);
  ADD ("/kiosk/receipt/pdf-text", NULL, test_pdf_text);
  ADD ("/kiosk/receipt/escpos-native", NULL, test_escpos_native);
  ADD ("/kiosk/receipt/escpos-raster", NULL, test_escpos_raster);
  ADD ("/kiosk/receipt/arabic", NULL, test_arabic);
  ADD ("/kiosk/receipt/no-keys", "real", test_no_keys);
  ADD ("/kiosk/receipt/sealed-at-rest", NULL, test_sealed_at_rest);
  ADD ("/kiosk/receipt/reference-only", NULL, test_reference_only);
  ADD ("/kiosk/receipt/locale", NULL, test_locale);
  ADD ("/kiosk/receipt/max-on-58mm", NULL, test_max_on_58mm);
  ADD ("/kiosk/receipt/form", NULL, test_form);
  ADD ("/kiosk/receipt/form-sealed", NULL, test_form_sealed);
  ADD ("/kiosk/receipt/refer", NULL, test_refer);
#undef ADD

  return g_test_run ();
}

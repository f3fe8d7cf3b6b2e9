/* kiosk-sync-test-util.c
 *
 * SPDX-FileCopyrightText: 2026 Stadtkiosk contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "kiosk-sync-test-util.h"

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "kiosk-sync-private.h"
#include "kiosk-test-util.h"

SyncKiosk *
sync_kiosk_new (const char *url,
                const char *token,
                const char *backend_extra,
                gboolean    fake_clock)
{
  SyncKiosk *kiosk = g_new0 (SyncKiosk, 1);
  g_autoptr(GString) conf = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  const char *base = g_file_test ("/dev/shm", G_FILE_TEST_IS_DIR) && g_getenv ("SYNC_TEST_DISK") == NULL
                     ? "/dev/shm" : g_get_tmp_dir ();
  g_autofree char *template = g_build_filename (base, "kiosk-sync-XXXXXX", NULL);

  kiosk->dir = g_mkdtemp (g_steal_pointer (&template));
  g_assert_nonnull (kiosk->dir);

  g_string_append_printf (conf, "[kiosk]\nid=test-kiosk\nstate-dir=%s\n\n[backend]\nurl=%s\ntimeout=2\n",
                          kiosk->dir, url);
  if (token != NULL)
    {
      g_autofree char *token_path = g_build_filename (kiosk->dir, "token", NULL);

      g_assert_true (g_file_set_contents (token_path, token, -1, NULL));
      g_assert_cmpint (g_chmod (token_path, 0600), ==, 0);
      g_string_append_printf (conf, "token-file=%s\n", token_path);
    }
  if (backend_extra != NULL)
    g_string_append_printf (conf, "%s\n", backend_extra);

  kiosk->conf_path = g_build_filename (kiosk->dir, "kiosk.conf", NULL);
  g_assert_true (g_file_set_contents (kiosk->conf_path, conf->str, -1, NULL));
  kiosk->config = kiosk_config_new_from_file (kiosk->conf_path, &error);
  g_assert_no_error (error);

  kiosk->clock = fake_clock ? kiosk_clock_new_fake (G_GINT64_CONSTANT (1800000000) * G_USEC_PER_SEC)
                            : kiosk_clock_new_system ();
  kiosk->context = kiosk_context_new (kiosk->config, kiosk->clock, &error);
  g_assert_no_error (error);
  kiosk->outbox = kiosk_context_get_outbox (kiosk->context);
  kiosk->sync = kiosk_sync_new (kiosk->context);
  return kiosk;
}

void
sync_kiosk_free (SyncKiosk *kiosk)
{
  kiosk_sync_stop (kiosk->sync);
  while (!_kiosk_sync_is_idle (kiosk->sync))
    g_main_context_iteration (NULL, TRUE);
  g_clear_object (&kiosk->sync);
  g_clear_object (&kiosk->context);
  g_clear_object (&kiosk->config);
  g_clear_object (&kiosk->clock);
  /* Let libsoup's pending closures run. */
  while (g_main_context_iteration (NULL, FALSE))
    ;
  kiosk_test_rm_rf (kiosk->dir);
  g_free (kiosk->dir);
  g_free (kiosk->conf_path);
  g_free (kiosk);
}

KioskRequest *
sync_kiosk_enqueue (SyncKiosk  *kiosk,
                    const char *answers_json)
{
  g_autoptr(GBytes) answers = g_bytes_new (answers_json, strlen (answers_json));
  g_autoptr(GError) error = NULL;
  KioskRequestDraft draft = {
    .service_id = "sperrmuell",
    .service_version = 1,
    .locale = "de",
    .answers = answers,
    .answers_format = KIOSK_ANSWERS_JSON,
  };
  KioskRequest *request = kiosk_outbox_enqueue (kiosk->outbox, &draft, "test", &error);

  g_assert_no_error (error);
  return request;
}

void
sync_kiosk_wait_idle (SyncKiosk *kiosk)
{
  while (!_kiosk_sync_is_idle (kiosk->sync))
    g_main_context_iteration (NULL, TRUE);
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

static void
run_once_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  GError **error = user_data;
  gboolean ok = kiosk_sync_run_once_finish (KIOSK_SYNC (object), result, error);

  g_assert_true (ok == (*error == NULL));
  g_object_set_data (object, "done", GINT_TO_POINTER (1));
}

gboolean
sync_kiosk_run_once (SyncKiosk  *kiosk,
                     GError    **error)
{
  GError *local_error = NULL;

  g_object_set_data (G_OBJECT (kiosk->sync), "done", NULL);
  kiosk_sync_run_once_async (kiosk->sync, NULL, run_once_cb, &local_error);
  while (g_object_get_data (G_OBJECT (kiosk->sync), "done") == NULL)
    g_main_context_iteration (NULL, TRUE);
  sync_kiosk_wait_idle (kiosk);
  if (local_error != NULL)
    {
      g_propagate_error (error, local_error);
      return FALSE;
    }
  return TRUE;
}

guint
sync_kiosk_count (SyncKiosk         *kiosk,
                  KioskRequestState  state)
{
  guint counts[KIOSK_REQUEST_N_STATES];

  g_assert_true (kiosk_outbox_count_by_state (kiosk->outbox, counts, NULL));
  return counts[state];
}

/* With a started sync on a fake clock: deliver, and whenever nothing is in
 * flight, jump to the next timer.  Returns the rounds used. */
guint
sync_kiosk_drain (SyncKiosk *kiosk,
                  guint      max_rounds)
{
  guint round;

  for (round = 0; round < max_rounds; round++)
    {
      gint64 next;
      gint64 now;

      sync_kiosk_wait_idle (kiosk);
      if (sync_kiosk_count (kiosk, KIOSK_REQUEST_QUEUED) == 0 &&
          sync_kiosk_count (kiosk, KIOSK_REQUEST_SENDING) == 0)
        break;
      next = kiosk_sync_get_next_attempt (kiosk->sync);
      now = kiosk_clock_get_now (kiosk->clock);
      if (next < 0)
        next = kiosk_outbox_get_next_due (kiosk->outbox);
      kiosk_clock_advance (kiosk->clock, MAX (next - now, 0) + 1000);
    }
  if (round == max_rounds)
    g_test_message ("drain stuck: state %s, %u queued, %u sending, %u in flight, next attempt %" G_GINT64_FORMAT
                    " (now %" G_GINT64_FORMAT "), next due %" G_GINT64_FORMAT ", last error %s",
                    kiosk_sync_state_to_string (kiosk_sync_get_state (kiosk->sync)),
                    sync_kiosk_count (kiosk, KIOSK_REQUEST_QUEUED), sync_kiosk_count (kiosk, KIOSK_REQUEST_SENDING),
                    kiosk_sync_get_in_flight (kiosk->sync), kiosk_sync_get_next_attempt (kiosk->sync),
                    kiosk_clock_get_now (kiosk->clock), kiosk_outbox_get_next_due (kiosk->outbox),
                    kiosk_sync_get_last_error (kiosk->sync));
  return round;
}

/* Runs on the backend's thread; the keys are only read. */
/**
 * sync_kiosk_open_sealed_cb:
 * @user_data: a #KioskKeys holding the city secret key and trusted kiosks
 *
 * A #KioskFakeOpenFunc that opens sealed payloads as the city would.
 */
char *
sync_kiosk_open_sealed_cb (GBytes      *sealed,
                const char  *request_id,
                gpointer     user_data,
                GError     **error)
{
  KioskKeys *keys = user_data;
  g_autoptr(KioskPayload) payload = kiosk_payload_open (sealed, keys, error);
  GBytes *answers;
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonNode *node = NULL;
  guint n_answers = 0;

  if (payload == NULL)
    return NULL;
  if (g_strcmp0 (kiosk_payload_get_id (payload), request_id) != 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   "the sealed payload is request %s, not %s",
                   kiosk_payload_get_id (payload), request_id);
      return NULL;
    }
  answers = kiosk_payload_get_answers (payload);
  if (answers != NULL &&
      json_parser_load_from_data (parser, g_bytes_get_data (answers, NULL), g_bytes_get_size (answers), NULL))
    node = json_parser_get_root (parser);
  if (node != NULL && JSON_NODE_HOLDS_OBJECT (node))
    n_answers = json_object_get_size (json_node_get_object (node));
  return g_strdup_printf ("%s version %u from kiosk %s, %u answers, signature good",
                          kiosk_payload_get_service_id (payload),
                          kiosk_payload_get_service_version (payload),
                          kiosk_payload_get_kiosk_id (payload), n_answers);
}

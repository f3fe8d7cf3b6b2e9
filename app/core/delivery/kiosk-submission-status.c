/* kiosk-submission-status.c
 *
 * SPDX-FileCopyrightText: 2026 Stadtkiosk contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "kiosk-submission-status"

#include "config.h"

#include "kiosk-submission-status.h"

#include "kiosk-json-private.h"

#include <json-glib/json-glib.h>

/* The city's status for requests delivered through our Submission API, read
 * with GET /v1/submissions/{id} and stored where every target's status goes
 * (kiosk_outbox_set_city_status()).  Only recently delivered requests whose
 * status is not final are asked about, at most
 * KIOSK_SUBMISSION_STATUS_MAX_PER_ROUND per round and one at a time, so a
 * kiosk with a long history never floods the city's system. */

static const char * const statuses[] = { "received", "in_progress", "done", "refused", NULL };

typedef struct
{
  KioskOutbox *outbox;
  GPtrArray   *ids;        /* request ids still to ask about */
  guint        next;
  guint        n_updated;
} Pull;

static void
pull_free (Pull *pull)
{
  g_clear_object (&pull->outbox);
  g_clear_pointer (&pull->ids, g_ptr_array_unref);
  g_free (pull);
}

static void ask_next (GTask *task);

static void
looked_up_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Pull *pull = g_task_get_task_data (task);
  const char *id = pull->ids->pdata[pull->next];
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(JsonNode) root = NULL;
  guint status = 0;
  JsonObject *object_answer;
  JsonNode *node;
  const char *city_status;

  body = kiosk_submission_target_lookup_finish (KIOSK_SUBMISSION_TARGET (object), result, &status, &error);
  if (body == NULL)
    {
      /* No answer at all: the next round tries again. */
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  pull->next++;
  /* The strict reader with its depth limit (#12). */
  if (status == 200 && g_bytes_get_size (body) <= 64 * 1024)
    root = kiosk_json_parse_bytes (body, KIOSK_JSON_OUTSIDE_DEPTH, NULL);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_debug ("status of %s: HTTP %u or not a status object; skipped", id, status);
      ask_next (g_steal_pointer (&task));
      return;
    }
  object_answer = json_node_get_object (root);
  node = json_object_get_member (object_answer, "status");
  city_status = node != NULL && JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING
                ? json_node_get_string (node) : NULL;
  if (city_status == NULL || !g_strv_contains (statuses, city_status))
    {
      g_debug ("status of %s: unknown status; skipped", id);
      ask_next (g_steal_pointer (&task));
      return;
    }
  if (!kiosk_outbox_set_city_status (pull->outbox, id, city_status, NULL, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  pull->n_updated++;
  ask_next (g_steal_pointer (&task));
}

static void
ask_next (GTask *task)
{
  Pull *pull = g_task_get_task_data (task);

  if (pull->next >= pull->ids->len)
    {
      g_task_return_boolean (task, TRUE);
      g_object_unref (task);
      return;
    }
  kiosk_submission_target_lookup_async (g_task_get_source_object (task), pull->ids->pdata[pull->next],
                                        g_task_get_cancellable (task), looked_up_cb, task);
}

/**
 * kiosk_submission_status_pull_async:
 * @now_us: now, for the window of recently delivered requests
 *
 * Asks the Submission API about recently delivered requests whose city
 * status is not final yet, and stores what it says.
 */
void
kiosk_submission_status_pull_async (KioskSubmissionTarget *target,
                                    KioskOutbox           *outbox,
                                    gint64                 now_us,
                                    GCancellable          *cancellable,
                                    GAsyncReadyCallback    callback,
                                    gpointer               user_data)
{
  GTask *task;
  Pull *pull;
  g_autoptr(GPtrArray) delivered = NULL;
  g_autoptr(GError) error = NULL;

  g_return_if_fail (KIOSK_IS_SUBMISSION_TARGET (target));
  g_return_if_fail (KIOSK_IS_OUTBOX (outbox));

  task = g_task_new (target, cancellable, callback, user_data);
  g_task_set_source_tag (task, kiosk_submission_status_pull_async);
  pull = g_new0 (Pull, 1);
  pull->outbox = g_object_ref (outbox);
  pull->ids = g_ptr_array_new_with_free_func (g_free);
  g_task_set_task_data (task, pull, (GDestroyNotify) pull_free);

  delivered = kiosk_outbox_list (outbox, KIOSK_REQUEST_DELIVERED, &error);
  if (delivered == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      g_object_unref (task);
      return;
    }
  /* Newest first: the list is oldest first. */
  for (guint i = delivered->len; i > 0 && pull->ids->len < KIOSK_SUBMISSION_STATUS_MAX_PER_ROUND; i--)
    {
      KioskRequest *request = delivered->pdata[i - 1];
      g_autofree char *city_status = NULL;

      if (now_us - kiosk_request_get_updated (request) > KIOSK_SUBMISSION_STATUS_WINDOW_US)
        continue;
      if (!kiosk_outbox_get_city_status (outbox, kiosk_request_get_id (request), &city_status, NULL, NULL, NULL))
        continue;
      if (g_strcmp0 (city_status, "done") == 0 || g_strcmp0 (city_status, "refused") == 0)
        continue;
      g_ptr_array_add (pull->ids, g_strdup (kiosk_request_get_id (request)));
    }
  ask_next (task);
}

gboolean
kiosk_submission_status_pull_finish (KioskSubmissionTarget  *target,
                                     GAsyncResult           *result,
                                     guint                  *out_n_updated,
                                     GError                **error)
{
  Pull *pull;

  g_return_val_if_fail (g_task_is_valid (result, target), FALSE);

  pull = g_task_get_task_data (G_TASK (result));
  if (out_n_updated != NULL)
    *out_n_updated = pull->n_updated;
  return g_task_propagate_boolean (G_TASK (result), error);
}

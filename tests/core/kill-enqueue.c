/* kill-enqueue.c: the victim of test-kill
 *
 * Enqueues requests of about 1 KB through the real outbox as fast as it can
 * and appends the id of each one to an acknowledgement file once
 * kiosk_outbox_enqueue() returned: that is the moment the kiosk tells the
 * citizen "saved".  test-kill kills it with SIGKILL at random moments.
 *
 * With --ack-before-commit it acknowledges first and stores afterwards, as a
 * broken kiosk would: the negative control, which must lose requests.
 *
 * SPDX-FileCopyrightText: 2026 Stadtkiosk contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "kiosk-outbox.h"

static void
append_line (int         fd,
             const char *id)
{
  g_autofree char *line = g_strconcat (id, "\n", NULL);
  gsize len = strlen (line);

  /* One write() of a short line to an O_APPEND file is atomic. */
  if (write (fd, line, len) != (ssize_t) len)
    g_error ("cannot write the acknowledgement");
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *db = NULL;
  g_autofree char *acks = NULL;
  gboolean ack_before_commit = FALSE;
  const GOptionEntry entries[] = {
    { "db", 0, 0, G_OPTION_ARG_FILENAME, &db, "Database", "FILE" },
    { "acks", 0, 0, G_OPTION_ARG_FILENAME, &acks, "Acknowledgements", "FILE" },
    { "ack-before-commit", 0, 0, G_OPTION_ARG_NONE, &ack_before_commit, "Negative control", NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(KioskStore) store = NULL;
  g_autoptr(KioskClock) clock = kiosk_clock_new_system ();
  g_autoptr(KioskOutbox) outbox = NULL;
  g_autofree char *filler = g_strnfill (1000, 'x');
  g_autofree char *json = g_strdup_printf ("{\"description\":\"%s\"}", filler);
  g_autoptr(GBytes) answers = g_bytes_new (json, strlen (json));
  int fd;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error) || db == NULL || acks == NULL)
    g_error ("usage: kill-enqueue --db FILE --acks FILE [--ack-before-commit]");

  store = kiosk_store_open (db, &error);
  if (store == NULL)
    g_error ("%s", error->message);
  outbox = kiosk_outbox_new (store, clock, "HSK", &error);
  if (outbox == NULL)
    g_error ("%s", error->message);

  fd = open (acks, O_WRONLY | O_APPEND | O_CREAT, 0600);
  if (fd < 0)
    g_error ("cannot open %s", acks);

  for (;;)
    {
      g_autofree char *id = g_uuid_string_random ();
      g_autoptr(KioskRequest) request = NULL;
      KioskRequestDraft draft = {
        .id = id,
        .service_id = "report-problem",
        .service_version = 1,
        .locale = "de",
        .answers = answers,
      };

      if (ack_before_commit)
        append_line (fd, id);
      request = kiosk_outbox_enqueue (outbox, &draft, "kill-test", &error);
      if (request == NULL)
        g_error ("%s", error->message);
      if (!ack_before_commit)
        append_line (fd, id);
    }
}

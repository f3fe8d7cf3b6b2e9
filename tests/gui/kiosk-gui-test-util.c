/* kiosk-gui-test-util.c — what the GUI tests share
 *
 * SPDX-FileCopyrightText: 2026 Stadtkiosk contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "kiosk-gui-test-util.h"

/**
 * kiosk_gui_test_init_display:
 *
 * Switches GTK's animations off: the keyboard's revealer and the page
 * stack's crossfade then finish at once, and a test waits for what it
 * looks for instead of for time to pass.
 *
 * The text cursor's blinking too: under bare Xvfb a window that is not
 * active gets no focus-out events (docs: DESIGN's platform pitfalls), so a
 * GtkText whose blink timer fires after the focus moved warns "did not
 * receive a focus-out event" — a fatal warning in the tests, at a moment
 * that depends on the machine's load.
 */
void
kiosk_gui_test_init_display (void)
{
  g_object_set (gtk_settings_get_default (),
                "gtk-enable-animations", FALSE,
                "gtk-cursor-blink", FALSE,
                NULL);
}

/**
 * kiosk_gui_test_flush:
 *
 * Runs what is ready to run, without waiting for more.
 */
void
kiosk_gui_test_flush (void)
{
  for (guint i = 0; i < 1000 && g_main_context_iteration (NULL, FALSE); i++)
    ;
}

static gboolean
wake_cb (gpointer data)
{
  return G_SOURCE_CONTINUE;
}

/**
 * kiosk_gui_test_wait_for:
 * @condition: what the test waits for
 *
 * Runs the main loop until @condition holds: frames, idle callbacks and
 * the results of threads (a printer writing a PDF) arrive meanwhile.  A
 * small timer only keeps the loop from sleeping forever; after 3,000
 * rounds (some 30 s) it gives up, and the caller's assertion fails.
 *
 * Returns: whether @condition holds
 */
gboolean
kiosk_gui_test_wait_for (KioskGuiTestCondition condition,
                         gpointer              data)
{
  guint wake = g_timeout_add (10, wake_cb, NULL);
  gboolean done = condition (data);

  for (guint i = 0; i < 3000 && !done; i++)
    {
      g_main_context_iteration (NULL, TRUE);
      done = condition (data);
    }
  g_source_remove (wake);
  kiosk_gui_test_flush ();
  return done;
}

static void
after_paint_cb (GdkFrameClock *clock,
                guint         *painted)
{
  /* A frame clock paints only when asked: ask for the next one too. */
  if (++(*painted) < 2)
    gdk_frame_clock_request_phase (clock, GDK_FRAME_CLOCK_PHASE_PAINT);
}

static gboolean
painted_twice (gpointer data)
{
  return *(guint *) data >= 2;
}

/**
 * kiosk_gui_test_settle:
 * @widget: a widget in a shown window
 *
 * Waits until two more frames of @widget's window are painted, so that
 * layout and the idle callbacks it queued (scrolling a field into view)
 * have run.
 */
void
kiosk_gui_test_settle (GtkWidget *widget)
{
  GdkFrameClock *clock = gtk_widget_get_frame_clock (widget);
  guint painted = 0;
  gulong id;

  kiosk_gui_test_flush ();
  if (clock == NULL)
    return;
  id = g_signal_connect (clock, "after-paint", G_CALLBACK (after_paint_cb), &painted);
  gtk_widget_queue_draw (widget);
  gdk_frame_clock_request_phase (clock, GDK_FRAME_CLOCK_PHASE_PAINT);
  if (kiosk_gui_test_wait_for (painted_twice, &painted) == FALSE)
    g_warning ("no frame was painted");
  g_signal_handler_disconnect (clock, id);
}

/**
 * kiosk_gui_test_find_label:
 *
 * Returns: (nullable): the first label or button in @widget, depth first,
 *   whose text is @text
 */
GtkWidget *
kiosk_gui_test_find_label (GtkWidget  *widget,
                           const char *text)
{
  if (GTK_IS_LABEL (widget) && g_strcmp0 (gtk_label_get_text (GTK_LABEL (widget)), text) == 0)
    return widget;
  if (GTK_IS_BUTTON (widget) && g_strcmp0 (gtk_button_get_label (GTK_BUTTON (widget)), text) == 0)
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = kiosk_gui_test_find_label (child, text);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/**
 * kiosk_gui_test_find_text:
 *
 * Like kiosk_gui_test_find_label(), and also finds @text typed into an
 * entry or a text view: where a citizen's answer could still be read.
 *
 * Returns: (nullable): the widget showing @text
 */
GtkWidget *
kiosk_gui_test_find_text (GtkWidget  *widget,
                          const char *text)
{
  if (GTK_IS_TEXT_VIEW (widget))
    {
      GtkTextBuffer *buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (widget));
      GtkTextIter start, end;
      g_autofree char *contents = NULL;

      gtk_text_buffer_get_bounds (buffer, &start, &end);
      contents = gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
      if (g_strcmp0 (contents, text) == 0)
        return widget;
    }
  if (GTK_IS_EDITABLE (widget) && g_strcmp0 (gtk_editable_get_text (GTK_EDITABLE (widget)), text) == 0)
    return widget;
  if (GTK_IS_LABEL (widget) && g_strcmp0 (gtk_label_get_text (GTK_LABEL (widget)), text) == 0)
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = kiosk_gui_test_find_text (child, text);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/**
 * kiosk_gui_test_find_option:
 * @value: an option's value in the catalogue, e.g. "litter"
 *
 * Returns: (nullable): the check button of a choice, multichoice or
 *   yes/no field that stands for @value
 */
GtkCheckButton *
kiosk_gui_test_find_option (GtkWidget  *widget,
                            const char *value)
{
  if (GTK_IS_CHECK_BUTTON (widget) &&
      g_strcmp0 (g_object_get_data (G_OBJECT (widget), "kiosk-value"), value) == 0)
    return GTK_CHECK_BUTTON (widget);
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkCheckButton *found = kiosk_gui_test_find_option (child, value);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/**
 * kiosk_gui_test_first_label:
 *
 * Returns: (nullable): the first visible label in @widget, depth first: a
 *   field's own label
 */
GtkWidget *
kiosk_gui_test_first_label (GtkWidget *widget)
{
  if (GTK_IS_LABEL (widget) && gtk_widget_get_visible (widget))
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = kiosk_gui_test_first_label (child);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/**
 * kiosk_gui_test_find_mapped:
 *
 * Returns: whether a mapped widget of @type is in @widget
 */
gboolean
kiosk_gui_test_find_mapped (GtkWidget *widget,
                            GType      type)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type) && gtk_widget_get_mapped (widget))
    return TRUE;
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (kiosk_gui_test_find_mapped (child, type))
      return TRUE;
  return FALSE;
}

/**
 * kiosk_gui_test_count_keys:
 *
 * Returns: how many of the on-screen keyboard's key buttons are in @widget
 */
guint
kiosk_gui_test_count_keys (GtkWidget *widget)
{
  guint n = GTK_IS_BUTTON (widget) && g_object_get_data (G_OBJECT (widget), "kiosk-key") != NULL;

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    n += kiosk_gui_test_count_keys (child);
  return n;
}

/* test-a11y.c — the accessibility tree, through GTK's test AT context
 *
 * SPDX-FileCopyrightText: 2026 Stadtkiosk contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "kiosk-a11y.h"
#include "kiosk-window-private.h"
#include "kiosk-form-page.h"
#include "kiosk-test-util.h"

typedef struct
{
  char         *state_dir;
  KioskClock   *clock;
  KioskContext *context;
  KioskWindow  *window;
} Fixture;

static void
flush (void)
{
  for (guint i = 0; i < 1000 && g_main_context_iteration (NULL, FALSE); i++)
    ;
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KioskConfig) config = kiosk_config_new_default ();

  f->state_dir = g_dir_make_tmp ("stadtkiosk-a11y-XXXXXX", &error);
  g_assert_no_error (error);
  kiosk_config_set_state_dir (config, f->state_dir);
  f->clock = kiosk_clock_new_fake (G_GINT64_CONSTANT (1790000000) * G_USEC_PER_SEC);
  f->context = kiosk_context_new (config, f->clock, &error);
  g_assert_no_error (error);
  f->window = kiosk_window_new_for_context (f->context);
  gtk_window_set_default_size (GTK_WINDOW (f->window), 1280, 800);
  gtk_window_present (GTK_WINDOW (f->window));
  flush ();
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  gtk_window_destroy (GTK_WINDOW (f->window));
  flush ();
  g_clear_object (&f->context);
  g_clear_object (&f->clock);
  kiosk_test_rm_rf (f->state_dir);
  g_free (f->state_dir);
}

static void
activate (Fixture    *f,
          const char *action,
          GVariant   *parameter)
{
  g_assert_true (gtk_widget_activate_action_variant (GTK_WIDGET (f->window), action, parameter));
  flush ();
}

static gboolean
is_hidden (GtkWidget *widget)
{
  g_autofree char *failed = gtk_test_accessible_check_state (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_STATE_HIDDEN,
                                                             TRUE);

  return failed == NULL;
}

/* Every page but the visible one is out of the tree. */
static void
assert_only_visible_page (Fixture *f)
{
  GtkWidget *page = _kiosk_window_get_page (f->window);
  GtkWidget *stack = gtk_widget_get_parent (page);
  guint shown = 0;

  g_assert_true (GTK_IS_STACK (stack));
  for (GtkWidget *child = gtk_widget_get_first_child (stack); child != NULL; child = gtk_widget_get_next_sibling (child))
    {
      g_assert_cmpint (is_hidden (child), ==, child != page);
      shown += !is_hidden (child);
    }
  g_assert_cmpuint (shown, ==, 1);
}

/* A control's name: its label property, or the text it shows. */
static gboolean
has_name (GtkWidget *widget)
{
  const char *text = NULL;

  if (gtk_test_accessible_has_property (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_PROPERTY_LABEL))
    return TRUE;
  if (GTK_IS_CHECK_BUTTON (widget))
    text = gtk_check_button_get_label (GTK_CHECK_BUTTON (widget));
  else if (GTK_IS_BUTTON (widget))
    text = gtk_button_get_label (GTK_BUTTON (widget));
  if (text != NULL && *text != '\0')
    return TRUE;
  /* Content such as a tile: a label inside names it. */
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL; child = gtk_widget_get_next_sibling (child))
    if ((GTK_IS_LABEL (child) && *gtk_label_get_text (GTK_LABEL (child)) != '\0') || has_name (child))
      return TRUE;
  return FALSE;
}

static guint
assert_controls_named (GtkWidget *widget)
{
  guint n = 0;

  if (!gtk_widget_get_visible (widget) || is_hidden (widget))
    return 0;
  if (GTK_IS_BUTTON (widget) || GTK_IS_CHECK_BUTTON (widget))
    {
      GtkAccessibleRole role = gtk_accessible_get_accessible_role (GTK_ACCESSIBLE (widget));

      if (!has_name (widget))
        g_error ("a %s without a name", G_OBJECT_TYPE_NAME (widget));
      g_assert_true (role == GTK_ACCESSIBLE_ROLE_BUTTON || role == GTK_ACCESSIBLE_ROLE_CHECKBOX
                     || role == GTK_ACCESSIBLE_ROLE_RADIO);
      n++;
    }
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL; child = gtk_widget_get_next_sibling (child))
    n += assert_controls_named (child);
  return n;
}

static GtkWidget *
find_class (GtkWidget  *widget,
            const char *css_class)
{
  if (gtk_widget_has_css_class (widget, css_class))
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_class (child, css_class);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static void
test_tree (Fixture       *f,
           gconstpointer  data)
{
  GtkWidget *keyboard = GTK_WIDGET (_kiosk_window_get_keyboard (f->window));
  KioskFormPage *form_page;
  GtkWidget *description;
  GtkWidget *row;
  GtkWidget *error;

  /* Welcome: one page in the tree, no keyboard. */
  assert_only_visible_page (f);
  g_assert_true (is_hidden (keyboard));
  g_assert_cmpuint (assert_controls_named (GTK_WIDGET (f->window)), >, 3);
  g_assert_cmpint (gtk_accessible_get_accessible_role (GTK_ACCESSIBLE (keyboard)), ==, GTK_ACCESSIBLE_ROLE_GROUP);

  activate (f, "kiosk.start", NULL);
  assert_only_visible_page (f);
  g_assert_cmpuint (assert_controls_named (GTK_WIDGET (f->window)), >, 5);

  activate (f, "kiosk.open-service", g_variant_new_string ("report-problem"));
  activate (f, "kiosk.begin-form", NULL);
  assert_only_visible_page (f);
  form_page = KIOSK_FORM_PAGE (_kiosk_window_get_page (f->window));
  g_assert_cmpuint (assert_controls_named (GTK_WIDGET (form_page)), >, 3);

  /* A required field says so, and its error describes it. */
  description = kiosk_form_page_get_input (form_page, "description");
  gtk_test_accessible_assert_property (GTK_ACCESSIBLE (description), GTK_ACCESSIBLE_PROPERTY_REQUIRED, TRUE);
  row = description;
  while (row != NULL && !gtk_widget_has_css_class (row, "kiosk-field"))
    row = gtk_widget_get_parent (row);
  g_assert_nonnull (row);
  error = find_class (row, "kiosk-error");
  g_assert_nonnull (error);
  gtk_test_accessible_assert_relation (GTK_ACCESSIBLE (description), GTK_ACCESSIBLE_RELATION_DESCRIBED_BY, error, NULL);
  activate (f, "kiosk.next", NULL);
  g_assert_true (gtk_widget_get_visible (error));
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (error)), ==, kiosk_form_page_get_error (form_page, "description"));

  /* The keyboard is in the tree while it is on screen, and only then. */
  gtk_widget_grab_focus (description);
  flush ();
  g_assert_true (_kiosk_window_get_keyboard_shown (f->window));
  g_assert_false (is_hidden (keyboard));
  activate (f, "kiosk.start-over", NULL);
  g_assert_true (is_hidden (keyboard));
  assert_only_visible_page (f);
}

/* Negative control: GTK 4.8 by itself leaves a stack's hidden page in
 * the tree; the check above sees the difference kiosk_a11y makes. */
static void
test_control (void)
{
  GtkWidget *window = gtk_window_new ();
  GtkWidget *stack = gtk_stack_new ();
  GtkWidget *a = gtk_label_new ("a");
  GtkWidget *b = gtk_label_new ("b");

  gtk_stack_add_named (GTK_STACK (stack), a, "a");
  gtk_stack_add_named (GTK_STACK (stack), b, "b");
  gtk_window_set_child (GTK_WINDOW (window), stack);
  gtk_window_present (GTK_WINDOW (window));
  flush ();
  g_assert_true (gtk_stack_get_visible_child (GTK_STACK (stack)) == a);
  g_assert_false (is_hidden (b));

  kiosk_a11y_track_stack (GTK_STACK (stack));
  g_assert_true (is_hidden (b));
  g_assert_false (is_hidden (a));
  gtk_stack_set_visible_child (GTK_STACK (stack), b);
  g_assert_true (is_hidden (a));
  g_assert_false (is_hidden (b));
  gtk_window_destroy (GTK_WINDOW (window));
  flush ();
}

int
main (int    argc,
      char **argv)
{
  /* GTK's test AT context: its state can be asked. */
  g_setenv ("GTK_A11Y", "test", TRUE);
  gtk_test_init (&argc, &argv, NULL);
  /* No blinking cursor: see kiosk_gui_test_init_display (). */
  g_object_set (gtk_settings_get_default (), "gtk-cursor-blink", FALSE, NULL);
  adw_init ();
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);

  g_test_add_func ("/kiosk/a11y/gtk-leaves-hidden-pages", test_control);
  g_test_add ("/kiosk/a11y/tree", Fixture, NULL, fixture_set_up, test_tree, fixture_tear_down);

  return g_test_run ();
}

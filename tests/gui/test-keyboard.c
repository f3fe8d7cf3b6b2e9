/* test-keyboard.c — the on-screen keyboard of every session language
 *
 * SPDX-FileCopyrightText: 2026 Stadtkiosk contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <locale.h>

#include "kiosk-gui-test-util.h"
#include "kiosk-keyboard.h"

typedef struct
{
  GtkWidget     *window;
  GtkWidget     *entry;
  KioskKeyboard *keyboard;
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
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);

  f->window = gtk_window_new ();
  f->entry = gtk_entry_new ();
  f->keyboard = KIOSK_KEYBOARD (kiosk_keyboard_new ());
  gtk_box_append (GTK_BOX (box), f->entry);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (f->keyboard));
  gtk_window_set_child (GTK_WINDOW (f->window), box);
  gtk_window_present (GTK_WINDOW (f->window));
  gtk_window_set_focus (GTK_WINDOW (f->window), f->entry);
  flush ();
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  gtk_window_destroy (GTK_WINDOW (f->window));
  flush ();
}

static void
collect_keys (GtkWidget *widget,
              GPtrArray *out)
{
  if (GTK_IS_BUTTON (widget) && g_object_get_data (G_OBJECT (widget), "kiosk-key") != NULL)
    g_ptr_array_add (out, widget);
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_keys (child, out);
}

static gboolean
is_special (const char *id)
{
  const char *specials[] = { "SHIFT", "BACKSPACE", "SPACE", "LEFT", "RIGHT", "ABC", "LATIN", "NATIVE", "ENTER", NULL };

  return g_strv_contains (specials, id);
}

/* Taps every letter key, shifted or not, and checks that the entry gets
 * exactly what the key shows.  Returns every label seen. */
static GString *
type_every_key (Fixture  *f,
                gboolean  shift)
{
  g_autoptr(GPtrArray) keys = g_ptr_array_new ();
  GString *seen = g_string_new (" ");

  collect_keys (GTK_WIDGET (f->keyboard), keys);
  g_assert_cmpuint (keys->len, >, 20);
  for (guint i = 0; i < keys->len; i++)
    {
      const char *id = g_object_get_data (keys->pdata[i], "kiosk-key");
      GtkWidget *button;
      g_autofree char *label = NULL;

      if (is_special (id))
        continue;
      if (shift)
        g_assert_true (kiosk_keyboard_press (f->keyboard, "SHIFT"));
      /* Shift relabels the keys; the button is looked up again. */
      button = kiosk_keyboard_get_key (f->keyboard, id);
      g_assert_nonnull (button);
      label = g_strdup (gtk_button_get_label (GTK_BUTTON (button)));
      gtk_editable_set_text (GTK_EDITABLE (f->entry), "");
      g_signal_emit_by_name (button, "clicked");
      g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (f->entry)), ==, label);
      g_string_append_printf (seen, "%s ", label);
    }
  return seen;
}

static void
assert_has (GString    *seen,
            const char *letters)
{
  g_auto(GStrv) list = g_strsplit (letters, " ", -1);

  for (guint i = 0; list[i] != NULL; i++)
    {
      g_autofree char *needle = g_strdup_printf (" %s ", list[i]);

      if (strstr (seen->str, needle) == NULL)
        g_error ("the keyboard has no key %s (has:%s)", list[i], seen->str);
    }
}

static void
test_layouts (Fixture       *f,
              gconstpointer  data)
{
  const struct {
    const char          *language;
    KioskKeyboardLayout  layout;
    const char          *letters;
    const char          *capitals;
  } cases[] = {
    { "de", KIOSK_KEYBOARD_QWERTZ, "q w e r t z ä ö ü ß", "Ä Ö Ü" },
    { "ls", KIOSK_KEYBOARD_QWERTZ, "z ä ö ü", "Ä" },
    { "en", KIOSK_KEYBOARD_QWERTY, "q w e r t y", "Q Y" },
    { "tr", KIOSK_KEYBOARD_TURKISH, "q w e r t y ç ğ ı i ö ş ü", "Ç Ğ I İ Ö Ş Ü" },
    { "pl", KIOSK_KEYBOARD_POLISH, "q w e r t y ą ć ę ł ń ó ś ź ż", "Ą Ć Ę Ł Ń Ó Ś Ź Ż" },
    { "uk", KIOSK_KEYBOARD_UKRAINIAN, "й ц у к е н г і ї є ґ '", "Й Ц І Ї Є Ґ" },
    { "ru", KIOSK_KEYBOARD_RUSSIAN, "й ц у к е н ы э ъ ё", "Й Ц Ы Э Ъ Ё" },
    { "ar", KIOSK_KEYBOARD_ARABIC, "ض ص ث ق ف غ ع ه خ ح ج د ش س ي ب ل ا ت ن م ك ط ئ ء ؤ ر لا ى ة و ز ظ ذ ،", NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GString) plain = NULL;
      g_autoptr(GString) capitals = NULL;

      g_test_message ("language %s", cases[i].language);
      kiosk_keyboard_set_language (f->keyboard, cases[i].language);
      kiosk_keyboard_set_layout (f->keyboard,
                                 kiosk_keyboard_layout_for_purpose (GTK_INPUT_PURPOSE_FREE_FORM, cases[i].language));
      g_assert_cmpint (kiosk_keyboard_get_layout (f->keyboard), ==, cases[i].layout);

      plain = type_every_key (f, FALSE);
      assert_has (plain, cases[i].letters);
      if (cases[i].capitals != NULL)
        {
          capitals = type_every_key (f, TRUE);
          assert_has (capitals, cases[i].capitals);
        }
      else
        g_assert_null (kiosk_keyboard_get_key (f->keyboard, "SHIFT"));

      /* Latin letters one tap away, and back. */
      if (cases[i].layout != KIOSK_KEYBOARD_QWERTZ && cases[i].layout != KIOSK_KEYBOARD_QWERTY)
        {
          GtkWidget *native;

          g_assert_nonnull (kiosk_keyboard_get_key (f->keyboard, "LATIN"));
          g_signal_emit_by_name (kiosk_keyboard_get_key (f->keyboard, "LATIN"), "clicked");
          g_assert_cmpint (kiosk_keyboard_get_layout (f->keyboard), ==, KIOSK_KEYBOARD_QWERTY);
          g_assert_nonnull (kiosk_keyboard_get_key (f->keyboard, "q"));
          native = kiosk_keyboard_get_key (f->keyboard, "NATIVE");
          g_assert_nonnull (native);
          g_assert_cmpstr (gtk_button_get_label (GTK_BUTTON (native)), !=, "ABC");
          g_signal_emit_by_name (native, "clicked");
          g_assert_cmpint (kiosk_keyboard_get_layout (f->keyboard), ==, cases[i].layout);
        }
      else
        g_assert_null (kiosk_keyboard_get_key (f->keyboard, "LATIN"));

      /* The number pad's ABC gives the session's letters. */
      kiosk_keyboard_set_layout (f->keyboard, KIOSK_KEYBOARD_NUMERIC);
      g_signal_emit_by_name (kiosk_keyboard_get_key (f->keyboard, "ABC"), "clicked");
      g_assert_cmpint (kiosk_keyboard_get_layout (f->keyboard), ==, cases[i].layout);
    }
}

/* The Turkish i's: the capital of i is İ and that of ı is I, whatever
 * the process locale's case rules say (g_utf8_strup ("i") is "I" outside
 * a Turkish locale; the layouts test alone would not see that, since the
 * label and the typed text would agree on the wrong letter). */
static void
test_control (Fixture       *f,
              gconstpointer  data)
{
  kiosk_keyboard_set_language (f->keyboard, "tr");
  kiosk_keyboard_set_layout (f->keyboard, KIOSK_KEYBOARD_TURKISH);
  g_assert_true (kiosk_keyboard_press (f->keyboard, "SHIFT"));
  g_assert_cmpstr (gtk_button_get_label (GTK_BUTTON (kiosk_keyboard_get_key (f->keyboard, "i"))), ==, "İ");
  g_assert_cmpstr (gtk_button_get_label (GTK_BUTTON (kiosk_keyboard_get_key (f->keyboard, "ı"))), ==, "I");
  g_assert_true (kiosk_keyboard_press (f->keyboard, "i"));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (f->entry)), ==, "İ");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (f->entry)), !=, "I");
}

/* The keys are built when needed, not with the keyboard (#18: a kiosk
 * starts with its keyboard hidden, and its first frame need not wait for
 * fifty buttons), and are there whenever the keyboard is on the screen. */
static void
test_keys_when_needed (void)
{
  GtkWidget *window = gtk_window_new ();
  g_autoptr(KioskKeyboard) keyboard = g_object_ref_sink (KIOSK_KEYBOARD (kiosk_keyboard_new ()));
  g_autoptr(KioskKeyboard) shown = g_object_ref_sink (KIOSK_KEYBOARD (kiosk_keyboard_new ()));

  g_assert_cmpuint (kiosk_gui_test_count_keys (GTK_WIDGET (keyboard)), ==, 0);
  kiosk_keyboard_set_language (keyboard, "uk");
  g_assert_cmpuint (kiosk_gui_test_count_keys (GTK_WIDGET (keyboard)), ==, 0);
  /* Given a layout (as the window does before it shows the keyboard). */
  kiosk_keyboard_set_layout (keyboard, kiosk_keyboard_layout_for_purpose (GTK_INPUT_PURPOSE_FREE_FORM, "uk"));
  g_assert_cmpuint (kiosk_gui_test_count_keys (GTK_WIDGET (keyboard)), >, 30);
  g_assert_nonnull (kiosk_keyboard_get_key (keyboard, "ї"));
  /* A language set while hidden: the old keys go, the new come when asked. */
  kiosk_keyboard_set_language (keyboard, "de");
  g_assert_cmpuint (kiosk_gui_test_count_keys (GTK_WIDGET (keyboard)), ==, 0);
  /* Keys pressed while none is built (Shift, a letter with nothing
   * focused): nothing breaks, and nothing is built for it. */
  g_assert_true (kiosk_keyboard_press (keyboard, "SHIFT"));
  g_assert_false (kiosk_keyboard_press (keyboard, "a"));
  g_assert_cmpuint (kiosk_gui_test_count_keys (GTK_WIDGET (keyboard)), ==, 0);
  kiosk_keyboard_set_layout (keyboard, KIOSK_KEYBOARD_QWERTZ);
  g_assert_nonnull (kiosk_keyboard_get_key (keyboard, "ß"));
  g_assert_null (kiosk_keyboard_get_key (keyboard, "ї"));

  /* Shown without a layout given: the keys of the current one. */
  kiosk_keyboard_set_language (shown, "de");
  g_assert_cmpuint (kiosk_gui_test_count_keys (GTK_WIDGET (shown)), ==, 0);
  gtk_window_set_child (GTK_WINDOW (window), GTK_WIDGET (shown));
  gtk_window_present (GTK_WINDOW (window));
  flush ();
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (shown)));
  g_assert_cmpuint (kiosk_gui_test_count_keys (GTK_WIDGET (shown)), >, 30);
  /* On the screen, a new language changes the keys at once. */
  kiosk_keyboard_set_language (shown, "pl");
  g_assert_cmpuint (kiosk_gui_test_count_keys (GTK_WIDGET (shown)), >, 30);
  gtk_window_destroy (GTK_WINDOW (window));
  flush ();
}

int
main (int    argc,
      char **argv)
{
  gtk_test_init (&argc, &argv, NULL);
  /* No blinking cursor: see kiosk_gui_test_init_display (). */
  g_object_set (gtk_settings_get_default (), "gtk-cursor-blink", FALSE, NULL);

  g_test_add ("/kiosk/keyboard/layouts", Fixture, NULL, fixture_set_up, test_layouts, fixture_tear_down);
  g_test_add ("/kiosk/keyboard/turkish-i", Fixture, NULL, fixture_set_up, test_control, fixture_tear_down);
  g_test_add_func ("/kiosk/keyboard/keys-when-needed", test_keys_when_needed);

  return g_test_run ();
}

/* kiosk-keyboard.c
 *
 * SPDX-FileCopyrightText: 2026 Stadtkiosk contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "stadtkiosk"

#include "config.h"

#include <glib/gi18n.h>

#include "kiosk-keyboard.h"

/* The on-screen keyboard.  No system keyboard works under the kiosk
 * compositor, so the app brings its own.  Its keys can never take the focus:
 * they type into whatever editable has it, the way a physical keyboard
 * would, so an entry keeps its cursor, selection and max-length. */

struct _KioskKeyboard
{
  GtkWidget            parent_instance;

  GtkWidget           *rows;        /* GtkBox of GtkBox rows */
  GHashTable          *keys;        /* key id -> GtkButton (unowned) */
  KioskKeyboardLayout  layout;
  char                *language;    /* the session language; picks QWERTZ for e-mail in German */
  gboolean             shift;
};

G_DEFINE_FINAL_TYPE (KioskKeyboard, kiosk_keyboard, GTK_TYPE_WIDGET)

enum {
  KEY_TYPED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* Rows of space-separated keys.  Words in capitals are special keys. */
static const char * const qwertz_rows[] = {
  "1 2 3 4 5 6 7 8 9 0 ß",
  "q w e r t z u i o p ü",
  "a s d f g h j k l ö ä",
  "SHIFT y x c v b n m , . - BACKSPACE",
  "LEFT SPACE RIGHT",
  NULL
};

static const char * const qwerty_rows[] = {
  "1 2 3 4 5 6 7 8 9 0",
  "q w e r t y u i o p",
  "a s d f g h j k l '",
  "SHIFT z x c v b n m , . - BACKSPACE",
  "LEFT SPACE RIGHT",
  NULL
};

static const char * const email_de_rows[] = {
  "1 2 3 4 5 6 7 8 9 0",
  "q w e r t z u i o p ü",
  "a s d f g h j k l ö ä",
  "SHIFT y x c v b n m - _ BACKSPACE",
  "LEFT @ . .de .com RIGHT",
  NULL
};

static const char * const email_en_rows[] = {
  "1 2 3 4 5 6 7 8 9 0",
  "q w e r t y u i o p",
  "a s d f g h j k l",
  "SHIFT z x c v b n m - _ BACKSPACE",
  "LEFT @ . .de .com RIGHT",
  NULL
};

/* The letters of each session language, as on its usual physical
 * keyboard, each with a key to Latin letters (LATIN) for e-mail addresses
 * and street names; QWERTY then has a key back (NATIVE). */
static const char * const turkish_rows[] = {
  "1 2 3 4 5 6 7 8 9 0",
  "q w e r t y u ı o p ğ ü",
  "a s d f g h j k l ş i",
  "SHIFT z x c v b n m ö ç . BACKSPACE",
  "LATIN LEFT SPACE RIGHT",
  NULL
};

static const char * const polish_rows[] = {
  "1 2 3 4 5 6 7 8 9 0",
  "ą ć ę ł ń ó ś ź ż",
  "q w e r t y u i o p",
  "a s d f g h j k l",
  "SHIFT z x c v b n m , . - BACKSPACE",
  "LATIN LEFT SPACE RIGHT",
  NULL
};

static const char * const ukrainian_rows[] = {
  "' 1 2 3 4 5 6 7 8 9 0",
  "й ц у к е н г ш щ з х ї",
  "ф і в а п р о л д ж є",
  "SHIFT ґ я ч с м и т ь б ю BACKSPACE",
  "LATIN LEFT , SPACE . RIGHT",
  NULL
};

static const char * const russian_rows[] = {
  "ё 1 2 3 4 5 6 7 8 9 0",
  "й ц у к е н г ш щ з х ъ",
  "ф ы в а п р о л д ж э",
  "SHIFT я ч с м и т ь б ю BACKSPACE",
  "LATIN LEFT , SPACE . RIGHT",
  NULL
};

/* Arabic letters have no capitals: no shift. */
static const char * const arabic_rows[] = {
  "ذ 1 2 3 4 5 6 7 8 9 0",
  "ض ص ث ق ف غ ع ه خ ح ج د",
  "ش س ي ب ل ا ت ن م ك ط",
  "ئ ء ؤ ر لا ى ة و ز ظ BACKSPACE",
  "LATIN LEFT ، SPACE . RIGHT",
  NULL
};

static const char * const numeric_rows[] = {
  "7 8 9",
  "4 5 6",
  "1 2 3",
  ". 0 ,",
  "ABC LEFT BACKSPACE RIGHT",
  NULL
};

static const char * const phone_rows[] = {
  "1 2 3",
  "4 5 6",
  "7 8 9",
  "+ 0 BACKSPACE",
  "ABC LEFT / - SPACE RIGHT",
  NULL
};

static const char * const *
rows_for_layout (KioskKeyboardLayout layout)
{
  switch (layout)
    {
    case KIOSK_KEYBOARD_QWERTY:
      return qwerty_rows;
    case KIOSK_KEYBOARD_NUMERIC:
      return numeric_rows;
    case KIOSK_KEYBOARD_PHONE:
      return phone_rows;
    case KIOSK_KEYBOARD_EMAIL:
      return email_de_rows;
    case KIOSK_KEYBOARD_TURKISH:
      return turkish_rows;
    case KIOSK_KEYBOARD_POLISH:
      return polish_rows;
    case KIOSK_KEYBOARD_UKRAINIAN:
      return ukrainian_rows;
    case KIOSK_KEYBOARD_RUSSIAN:
      return russian_rows;
    case KIOSK_KEYBOARD_ARABIC:
      return arabic_rows;
    case KIOSK_KEYBOARD_QWERTZ:
    default:
      return qwertz_rows;
    }
}

/* The letters of each session language, and the label of the key that
 * brings them back from Latin letters. */
static const struct {
  const char          *language;
  KioskKeyboardLayout  layout;
  const char          *sample;
} letters[] = {
  { "de", KIOSK_KEYBOARD_QWERTZ, "ABC" }, { "ls", KIOSK_KEYBOARD_QWERTZ, "ABC" },
  { "tr", KIOSK_KEYBOARD_TURKISH, "ÇĞŞ" }, { "pl", KIOSK_KEYBOARD_POLISH, "ĄĆĘ" },
  { "uk", KIOSK_KEYBOARD_UKRAINIAN, "АБВ" }, { "ru", KIOSK_KEYBOARD_RUSSIAN, "АБВ" },
  { "ar", KIOSK_KEYBOARD_ARABIC, "أبج" },
};

static KioskKeyboardLayout
letters_for_language (const char *language)
{
  for (guint i = 0; i < G_N_ELEMENTS (letters); i++)
    if (g_strcmp0 (letters[i].language, language) == 0)
      return letters[i].layout;
  return KIOSK_KEYBOARD_QWERTY;
}

static const char *
native_sample (const char *language)
{
  for (guint i = 0; i < G_N_ELEMENTS (letters); i++)
    if (g_strcmp0 (letters[i].language, language) == 0)
      return letters[i].sample;
  return "ABC";
}

static const char *
special_label (const char *id,
               const char **accessible)
{
  if (g_str_equal (id, "SHIFT"))
    {
      *accessible = _("Capital letter");
      return "⇧";
    }
  if (g_str_equal (id, "BACKSPACE"))
    {
      *accessible = _("Delete the last character");
      return "⌫";
    }
  if (g_str_equal (id, "SPACE"))
    {
      *accessible = _("Space");
      return _("Space");
    }
  if (g_str_equal (id, "ENTER"))
    {
      /* What a field's hint asks for ("… und Eingabe drücken"): a scan
       * field looks up, a form field goes on, a text area breaks the line. */
      *accessible = C_("keyboard key", "Enter");
      return C_("keyboard key", "Enter ↵");
    }
  if (g_str_equal (id, "ABC"))
    {
      *accessible = _("Letters");
      return "ABC";
    }
  if (g_str_equal (id, "LATIN"))
    {
      *accessible = _("Latin letters");
      return "ABC";
    }
  if (g_str_equal (id, "NATIVE"))
    {
      /* rebuild() labels it with letters of the session's alphabet. */
      *accessible = _("Letters of my language");
      return "…";
    }
  if (g_str_equal (id, "LEFT"))
    {
      *accessible = _("Move the cursor back");
      return gtk_widget_get_default_direction () == GTK_TEXT_DIR_RTL ? "→" : "←";
    }
  if (g_str_equal (id, "RIGHT"))
    {
      *accessible = _("Move the cursor forward");
      return gtk_widget_get_default_direction () == GTK_TEXT_DIR_RTL ? "←" : "→";
    }
  return NULL;
}

/* The editable that a key press goes to: the focus widget or, for an
 * entry's inner GtkText, the text itself. */
GtkEditable *
kiosk_keyboard_find_target (GtkWidget *focus)
{
  for (GtkWidget *w = focus; w != NULL; w = gtk_widget_get_parent (w))
    if (GTK_IS_EDITABLE (w))
      return GTK_EDITABLE (w);
  return NULL;
}

static GtkTextView *
find_text_view (GtkWidget *focus)
{
  for (GtkWidget *w = focus; w != NULL; w = gtk_widget_get_parent (w))
    if (GTK_IS_TEXT_VIEW (w))
      return GTK_TEXT_VIEW (w);
  return NULL;
}

static char *
shifted (KioskKeyboard *self,
         const char    *text)
{
  if (!self->shift || g_str_equal (text, "ß"))
    return g_strdup (text);
  /* Turkish has two i's, each with its own capital, whatever the
   * process locale's case rules say. */
  if (self->layout == KIOSK_KEYBOARD_TURKISH && g_str_equal (text, "i"))
    return g_strdup ("İ");
  if (self->layout == KIOSK_KEYBOARD_TURKISH && g_str_equal (text, "ı"))
    return g_strdup ("I");
  return g_utf8_strup (text, -1);
}

static void
update_labels (KioskKeyboard *self)
{
  GHashTableIter iter;
  gpointer key, value;

  g_hash_table_iter_init (&iter, self->keys);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      const char *id = key;
      const char *accessible = NULL;
      g_autofree char *label = NULL;

      if (special_label (id, &accessible) != NULL)
        continue;
      label = shifted (self, id);
      gtk_button_set_label (GTK_BUTTON (value), label);
    }

  if (g_hash_table_lookup (self->keys, "SHIFT") != NULL)
    {
      GtkWidget *shift = g_hash_table_lookup (self->keys, "SHIFT");

      if (self->shift)
        gtk_widget_add_css_class (shift, "kiosk-key-latched");
      else
        gtk_widget_remove_css_class (shift, "kiosk-key-latched");
    }
}

static void
type_into_text_view (GtkTextView *view,
                     const char  *id,
                     const char  *text)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (view);
  GtkTextIter iter;

  if (g_str_equal (id, "BACKSPACE"))
    {
      if (!gtk_text_buffer_delete_selection (buffer, TRUE, TRUE))
        {
          gtk_text_buffer_get_iter_at_mark (buffer, &iter, gtk_text_buffer_get_insert (buffer));
          gtk_text_buffer_backspace (buffer, &iter, TRUE, TRUE);
        }
      return;
    }
  if (g_str_equal (id, "LEFT") || g_str_equal (id, "RIGHT"))
    {
      /* LEFT is "back" in the text's logical order; in right-to-left
       * layouts its key is drawn as → and sits on the right. */
      gboolean forward = g_str_equal (id, "RIGHT");

      gtk_text_buffer_get_iter_at_mark (buffer, &iter, gtk_text_buffer_get_insert (buffer));
      if (forward)
        gtk_text_iter_forward_cursor_position (&iter);
      else
        gtk_text_iter_backward_cursor_position (&iter);
      gtk_text_buffer_place_cursor (buffer, &iter);
      return;
    }
  gtk_text_buffer_delete_selection (buffer, TRUE, TRUE);
  gtk_text_buffer_insert_interactive_at_cursor (buffer, text, -1, TRUE);
}

static void
type_into_editable (GtkEditable *editable,
                    const char  *id,
                    const char  *text)
{
  int pos = gtk_editable_get_position (editable);
  int start, end;

  if (g_str_equal (id, "BACKSPACE"))
    {
      if (gtk_editable_get_selection_bounds (editable, &start, &end))
        gtk_editable_delete_selection (editable);
      else if (pos > 0)
        gtk_editable_delete_text (editable, pos - 1, pos);
      return;
    }
  if (g_str_equal (id, "LEFT") || g_str_equal (id, "RIGHT"))
    {
      gboolean forward = g_str_equal (id, "RIGHT");

      gtk_editable_set_position (editable, MAX (0, pos + (forward ? 1 : -1)));
      return;
    }
  if (gtk_editable_get_selection_bounds (editable, &start, &end))
    {
      gtk_editable_delete_selection (editable);
      pos = start;
    }
  gtk_editable_insert_text (editable, text, -1, &pos);
  gtk_editable_set_position (editable, pos);
}

/* Tells listeners (speech) what a key did, in words for the special keys. */
static void
emit_typed (KioskKeyboard *self,
            const char    *key,
            const char    *text)
{
  const char *accessible = NULL;

  if (special_label (key, &accessible) != NULL && accessible != NULL)
    text = accessible;
  g_signal_emit (self, signals[KEY_TYPED], 0, key, text);
}

static gboolean press_enter (KioskKeyboard *self,
                             GtkWidget     *focus);

/**
 * kiosk_keyboard_press:
 * @key: a key's text ("a", "@", ".de") or SHIFT, BACKSPACE, SPACE, LEFT, RIGHT
 *
 * Types @key into the focused editable, as a tap on its button does.
 *
 * Returns: %TRUE if something had the focus to type into
 */
gboolean
kiosk_keyboard_press (KioskKeyboard *self,
                      const char    *key)
{
  GtkRoot *root;
  GtkWidget *focus;
  GtkEditable *editable;
  GtkTextView *view;
  g_autofree char *text = NULL;

  g_return_val_if_fail (KIOSK_IS_KEYBOARD (self), FALSE);
  g_return_val_if_fail (key != NULL, FALSE);

  if (g_str_equal (key, "SHIFT"))
    {
      self->shift = !self->shift;
      update_labels (self);
      emit_typed (self, key, NULL);
      return TRUE;
    }
  /* A number pad is a guess from the field's purpose; letters stay one
   * tap away (a lamp post's number can be "L-204"). */
  if (g_str_equal (key, "ABC") || g_str_equal (key, "NATIVE"))
    {
      kiosk_keyboard_set_layout (self, letters_for_language (self->language));
      return TRUE;
    }
  if (g_str_equal (key, "LATIN"))
    {
      kiosk_keyboard_set_layout (self, KIOSK_KEYBOARD_QWERTY);
      return TRUE;
    }

  root = gtk_widget_get_root (GTK_WIDGET (self));
  focus = root != NULL ? gtk_root_get_focus (root) : NULL;
  if (g_str_equal (key, "ENTER"))
    return press_enter (self, focus);
  text = g_str_equal (key, "SPACE") ? g_strdup (" ") : shifted (self, key);

  if ((view = find_text_view (focus)) != NULL)
    type_into_text_view (view, key, text);
  else if ((editable = kiosk_keyboard_find_target (focus)) != NULL)
    type_into_editable (editable, key, text);
  else
    return FALSE;
  emit_typed (self, key, text);

  /* Shift is one-shot, as on a phone. */
  if (self->shift && g_utf8_strlen (text, -1) == 1)
    {
      self->shift = FALSE;
      update_labels (self);
    }
  return TRUE;
}

/* Enter, as on a physical keyboard: a new line in a text area, else the
 * focused entry is activated (its own handler, or the window's default:
 * "Next" on a form). */
static gboolean
press_enter (KioskKeyboard *self,
             GtkWidget     *focus)
{
  GtkTextView *view = find_text_view (focus);
  GtkEditable *editable;
  GtkWidget *text;

  if (view != NULL)
    {
      type_into_text_view (view, "ENTER", "\n");
      emit_typed (self, "ENTER", "\n");
      return TRUE;
    }
  editable = kiosk_keyboard_find_target (focus);
  if (editable == NULL)
    return FALSE;
  /* GtkText's "activate" is what Return emits: its entry passes it on to
   * its own handlers, and it activates the window's default widget when
   * the entry activates the default.  (gtk_widget_activate() does
   * nothing: GtkText has no activate signal for it.) */
  text = GTK_WIDGET (editable);
  while (!GTK_IS_TEXT (text) && GTK_IS_EDITABLE (text) && gtk_editable_get_delegate (GTK_EDITABLE (text)) != NULL)
    text = GTK_WIDGET (gtk_editable_get_delegate (GTK_EDITABLE (text)));
  if (!GTK_IS_TEXT (text))
    return FALSE;
  emit_typed (self, "ENTER", NULL);
  g_signal_emit_by_name (text, "activate");
  return TRUE;
}

static void
key_clicked_cb (GtkButton     *button,
                KioskKeyboard *self)
{
  kiosk_keyboard_press (self, g_object_get_data (G_OBJECT (button), "kiosk-key"));
}

static void
forget_keys (KioskKeyboard *self)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (self->rows)) != NULL)
    gtk_box_remove (GTK_BOX (self->rows), child);
  g_hash_table_remove_all (self->keys);
}

static void
rebuild (KioskKeyboard *self)
{
  const char * const *rows = rows_for_layout (self->layout);

  forget_keys (self);

  if (self->layout == KIOSK_KEYBOARD_EMAIL && g_strcmp0 (self->language, "de") != 0)
    rows = email_en_rows;

  for (guint r = 0; rows[r] != NULL; r++)
    {
      g_autofree char *row_text = NULL;
      g_auto(GStrv) ids = NULL;
      GtkWidget *row;

      /* Latin letters in a session with other letters: a key back to them. */
      if (rows[r + 1] == NULL
          && (self->layout == KIOSK_KEYBOARD_QWERTY || self->layout == KIOSK_KEYBOARD_EMAIL)
          && letters_for_language (self->language) != KIOSK_KEYBOARD_QWERTY
          && letters_for_language (self->language) != KIOSK_KEYBOARD_QWERTZ)
        row_text = g_strconcat ("NATIVE ", rows[r], NULL);
      else
        row_text = g_strdup (rows[r]);
      /* Every layout ends with Enter. */
      if (rows[r + 1] == NULL)
        {
          g_autofree char *with_enter = g_strconcat (row_text, " ENTER", NULL);

          g_free (row_text);
          row_text = g_steal_pointer (&with_enter);
        }
      ids = g_strsplit (row_text, " ", -1);
      row = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);

      gtk_widget_set_halign (row, GTK_ALIGN_CENTER);
      gtk_box_set_homogeneous (GTK_BOX (row), FALSE);
      /* The layouts are physical ones (Latin letters, number and phone
       * pads): they keep their order in a right-to-left interface.  Only
       * the cursor keys trade places, so that the key drawn pointing left
       * stays on the left. */
      gtk_widget_set_direction (row, GTK_TEXT_DIR_LTR);
      if (gtk_widget_get_default_direction () == GTK_TEXT_DIR_RTL)
        for (guint k = 0; ids[k] != NULL; k++)
          {
            if (g_str_equal (ids[k], "LEFT"))
              {
                g_free (ids[k]);
                ids[k] = g_strdup ("RIGHT");
              }
            else if (g_str_equal (ids[k], "RIGHT"))
              {
                g_free (ids[k]);
                ids[k] = g_strdup ("LEFT");
              }
          }
      for (guint k = 0; ids[k] != NULL; k++)
        {
          const char *accessible = NULL;
          const char *special = special_label (ids[k], &accessible);
          g_autofree char *label = g_str_equal (ids[k], "NATIVE") ? g_strdup (native_sample (self->language))
                                   : special != NULL ? g_strdup (special) : shifted (self, ids[k]);
          GtkWidget *button = gtk_button_new_with_label (label);

          gtk_widget_set_focusable (button, FALSE);
          gtk_widget_set_focus_on_click (button, FALSE);
          gtk_widget_add_css_class (button, "kiosk-key");
          if (special != NULL)
            gtk_widget_add_css_class (button, "kiosk-key-special");
          if (g_str_equal (ids[k], "SPACE"))
            gtk_widget_add_css_class (button, "kiosk-key-space");
          if (g_str_equal (ids[k], "ENTER"))
            gtk_widget_add_css_class (button, "kiosk-key-enter");
          gtk_accessible_update_property (GTK_ACCESSIBLE (button),
                                          GTK_ACCESSIBLE_PROPERTY_LABEL,
                                          accessible != NULL ? accessible : label,
                                          -1);
          g_object_set_data_full (G_OBJECT (button), "kiosk-key", g_strdup (ids[k]), g_free);
          g_signal_connect (button, "clicked", G_CALLBACK (key_clicked_cb), self);
          gtk_box_append (GTK_BOX (row), button);
          g_hash_table_insert (self->keys, g_strdup (ids[k]), button);
        }
      gtk_box_append (GTK_BOX (self->rows), row);
    }
}

/* The keys of the current layout, unless they are there (see init). */
static void
ensure_keys (KioskKeyboard *self)
{
  if (g_hash_table_size (self->keys) == 0)
    rebuild (self);
}

/* Shown without being given a layout first (the kiosk window and the
 * builder's preview always give one). */
static void
kiosk_keyboard_map (GtkWidget *widget)
{
  ensure_keys (KIOSK_KEYBOARD (widget));
  GTK_WIDGET_CLASS (kiosk_keyboard_parent_class)->map (widget);
}

static void
kiosk_keyboard_dispose (GObject *object)
{
  KioskKeyboard *self = (KioskKeyboard *)object;

  g_clear_pointer (&self->rows, gtk_widget_unparent);

  G_OBJECT_CLASS (kiosk_keyboard_parent_class)->dispose (object);
}

static void
kiosk_keyboard_finalize (GObject *object)
{
  KioskKeyboard *self = (KioskKeyboard *)object;

  g_hash_table_unref (self->keys);
  g_free (self->language);

  G_OBJECT_CLASS (kiosk_keyboard_parent_class)->finalize (object);
}

static void
kiosk_keyboard_class_init (KioskKeyboardClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = kiosk_keyboard_dispose;
  object_class->finalize = kiosk_keyboard_finalize;
  widget_class->map = kiosk_keyboard_map;

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "kiosk-keyboard");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);

  /**
   * KioskKeyboard::key-typed:
   * @key: the key's id ("a", "BACKSPACE")
   * @spoken: what it typed, or what a special key did, in words
   *
   * A key typed into the focused field (or shift was toggled).
   */
  signals[KEY_TYPED] = g_signal_new ("key-typed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                     NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_STRING);
}

static void
kiosk_keyboard_init (KioskKeyboard *self)
{
  self->keys = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->rows = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  gtk_widget_set_parent (self->rows, GTK_WIDGET (self));
  gtk_widget_set_focusable (GTK_WIDGET (self), FALSE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("On-screen keyboard"),
                                  -1);
  /* The keys are built when the keyboard is given its layout (just before
   * it is shown), is shown, or is asked for a key: a kiosk starts with the
   * keyboard hidden, and its first frame does not wait for some fifty
   * buttons (#18). */
}

GtkWidget *
kiosk_keyboard_new (void)
{
  return g_object_new (KIOSK_TYPE_KEYBOARD, NULL);
}

void
kiosk_keyboard_set_layout (KioskKeyboard       *self,
                           KioskKeyboardLayout  layout)
{
  g_return_if_fail (KIOSK_IS_KEYBOARD (self));

  if (self->layout == layout && g_hash_table_size (self->keys) > 0)
    return;
  self->layout = layout;
  self->shift = FALSE;
  rebuild (self);
}

void
kiosk_keyboard_set_language (KioskKeyboard *self,
                             const char    *language)
{
  g_return_if_fail (KIOSK_IS_KEYBOARD (self));

  g_free (self->language);
  self->language = g_strdup (language);
  self->shift = FALSE;
  /* On the screen, the keys change at once; else when next needed. */
  if (gtk_widget_get_mapped (GTK_WIDGET (self)))
    rebuild (self);
  else
    forget_keys (self);
}

KioskKeyboardLayout
kiosk_keyboard_get_layout (KioskKeyboard *self)
{
  g_return_val_if_fail (KIOSK_IS_KEYBOARD (self), KIOSK_KEYBOARD_QWERTZ);
  return self->layout;
}

/**
 * kiosk_keyboard_layout_for_purpose:
 * @purpose: the focused field's input purpose
 * @language: the session language, e.g. "de"
 *
 * Returns: the layout that fits the field: digits for numbers and postal
 *   codes, the phone pad, the e-mail keys, else the session's letters.
 */
KioskKeyboardLayout
kiosk_keyboard_layout_for_purpose (GtkInputPurpose  purpose,
                                   const char      *language)
{
  switch (purpose)
    {
    case GTK_INPUT_PURPOSE_DIGITS:
    case GTK_INPUT_PURPOSE_NUMBER:
    case GTK_INPUT_PURPOSE_PIN:
      return KIOSK_KEYBOARD_NUMERIC;
    case GTK_INPUT_PURPOSE_PHONE:
      return KIOSK_KEYBOARD_PHONE;
    case GTK_INPUT_PURPOSE_EMAIL:
      return KIOSK_KEYBOARD_EMAIL;
    case GTK_INPUT_PURPOSE_FREE_FORM:
    case GTK_INPUT_PURPOSE_ALPHA:
    case GTK_INPUT_PURPOSE_URL:
    case GTK_INPUT_PURPOSE_NAME:
    case GTK_INPUT_PURPOSE_PASSWORD:
    case GTK_INPUT_PURPOSE_TERMINAL:
    default:
      return letters_for_language (language);
    }
}

/**
 * kiosk_keyboard_get_key:
 *
 * Returns: (transfer none) (nullable): the button of @key in the current layout
 */
GtkWidget *
kiosk_keyboard_get_key (KioskKeyboard *self,
                        const char    *key)
{
  g_return_val_if_fail (KIOSK_IS_KEYBOARD (self), NULL);

  ensure_keys (self);
  return g_hash_table_lookup (self->keys, key);
}

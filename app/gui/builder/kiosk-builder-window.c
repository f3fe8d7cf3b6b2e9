/* kiosk-builder-window.c: the service builder (stadtkiosk --builder)
 *
 * Services on the left, the selected service's texts and fields in the
 * middle, the live preview on the right, the loader's problems below.
 * Every edit goes through KioskCatalogDocument, which runs the kiosk's
 * loader again; the editor's widgets are only rebuilt when the selection or
 * the structure changes, so typing is never interrupted.
 *
 * The window is built in code rather than from a .ui template: most of it
 * is rows and grids that follow the catalogue (one entry per language and
 * text, one row per field and option).
 *
 * SPDX-FileCopyrightText: 2026 Stadtkiosk contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "stadtkiosk"

#include "config.h"

#include <glib/gi18n.h>
#include <stdlib.h>
#include <string.h>

#include "kiosk-builder-window.h"

#include "kiosk-file.h"

struct _KioskBuilderWindow
{
  AdwApplicationWindow   parent_instance;

  KioskContext          *context;
  KioskCatalogDocument  *doc;
  char                  *path;         /* the file, or NULL: the active catalogue */
  char                  *secret_key;   /* sign a bundle beside the file when set */
  GStrv                  languages;    /* columns of the text grids */
  int                    service;      /* selected, or -1 */
  int                    step;         /* selected field's step, or -1 */
  int                    field;        /* selected field in its step, or -1 */
  gboolean               filling;      /* widgets are being filled: ignore their signals */
  guint                  preview_idle;

  AdwWindowTitle        *title;
  AdwToastOverlay       *toasts;
  GtkListBox            *services_list;
  GtkSwitch             *enabled_switch;
  GtkNotebook           *notebook;
  GtkWidget             *service_box;   /* the "Service" page's content, rebuilt */
  GtkListBox            *fields_list;
  GtkWidget             *field_box;     /* the property editor, rebuilt */
  GtkDropDown           *new_field_type;
  GtkDropDown           *reuse_field;   /* "service / field" of every other service */
  GPtrArray             *reuse_refs;    /* guint[3] per entry: service, step, field */
  GtkLabel              *problems_label;
  GtkListBox            *problems_list;
  KioskBuilderPreview   *preview;
  GtkDropDown           *preview_language;
};

G_DEFINE_FINAL_TYPE (KioskBuilderWindow, kiosk_builder_window, ADW_TYPE_APPLICATION_WINDOW)

static const char * const field_types[] = {
  "text", "textarea", "number", "date", "choice", "multichoice", "boolean", "consent", "address", "email", "phone", "info", NULL
};

static void rebuild_all (KioskBuilderWindow *self);
static void rebuild_editor (KioskBuilderWindow *self);
static void rebuild_field_editor (KioskBuilderWindow *self);
static void fill_fields (KioskBuilderWindow *self);
static gboolean rebuild_editor_idle_cb (gpointer data);

static void
toast (KioskBuilderWindow *self,
       const char         *message)
{
  adw_toast_overlay_add_toast (self->toasts, adw_toast_new (message));
}

static void
show_error (KioskBuilderWindow *self,
            const char         *heading,
            const char         *message)
{
  GtkWidget *dialog = adw_message_dialog_new (GTK_WINDOW (self), heading, message);

  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("Close"));
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
report (KioskBuilderWindow *self,
        GError             *error)
{
  if (error != NULL)
    toast (self, error->message);
}

static const char *
string_member (JsonObject *object,
               const char *name)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, name) : NULL;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

static JsonObject *
service_object (KioskBuilderWindow *self)
{
  g_autofree char *pointer = NULL;
  JsonNode *node;

  if (self->service < 0)
    return NULL;
  pointer = g_strdup_printf ("/services/%d", self->service);
  node = kiosk_catalog_document_lookup (self->doc, pointer);
  return node != NULL && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

static char *
service_pointer (KioskBuilderWindow *self)
{
  return g_strdup_printf ("/services/%d", self->service);
}

/* ------------------------------------------------------------------ */
/* Problems and the preview                                            */

static void fill_problems (KioskBuilderWindow *self);

static gboolean
preview_idle_cb (gpointer data)
{
  KioskBuilderWindow *self = data;

  self->preview_idle = 0;
  fill_problems (self);
  kiosk_builder_preview_show (self->preview, kiosk_catalog_document_get_catalog (self->doc),
                              self->service >= 0 ? kiosk_catalog_document_get_service_id (self->doc, self->service) : NULL);
  return G_SOURCE_REMOVE;
}

static void
schedule_preview (KioskBuilderWindow *self)
{
  if (self->preview_idle == 0)
    self->preview_idle = g_timeout_add (300, preview_idle_cb, self);
}

static void
problem_activated_cb (KioskBuilderWindow *self,
                      GtkListBoxRow      *row)
{
  KioskCatalogProblem *problem = g_object_get_data (G_OBJECT (row), "problem");

  if (problem == NULL || problem->service < 0)
    return;
  kiosk_builder_window_select (self, problem->service, problem->step, problem->field);
}

static void
fill_problems (KioskBuilderWindow *self)
{
  GPtrArray *problems = kiosk_catalog_document_get_problems (self->doc);
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->problems_list))) != NULL)
    gtk_list_box_remove (self->problems_list, child);
  if (problems->len == 0)
    gtk_label_set_text (self->problems_label, _("No problems: the kiosk accepts this catalogue."));
  else
    {
      g_autofree char *text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u problem: the kiosk would refuse this catalogue. Click one to go there.",
                                                            "%u problems: the kiosk would refuse this catalogue. Click one to go there.",
                                                            problems->len), problems->len);

      gtk_label_set_text (self->problems_label, text);
    }
  for (guint i = 0; i < problems->len; i++)
    {
      KioskCatalogProblem *p = problems->pdata[i];
      g_autofree char *text = g_strdup_printf ("%s: %s", *p->pointer ? p->pointer : "/", p->message);
      GtkWidget *label = gtk_label_new (text);
      GtkWidget *row = gtk_list_box_row_new ();

      gtk_label_set_wrap (GTK_LABEL (label), TRUE);
      gtk_label_set_xalign (GTK_LABEL (label), 0);
      gtk_widget_add_css_class (label, "error");
      gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), label);
      /* The problem lives as long as this check's list; rows go with it. */
      g_object_set_data (G_OBJECT (row), "problem", p);
      gtk_list_box_append (self->problems_list, row);
    }
}

static void
fill_services (KioskBuilderWindow *self)
{
  guint n = kiosk_catalog_document_get_n_services (self->doc);
  GtkWidget *child;

  self->filling = TRUE;
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->services_list))) != NULL)
    gtk_list_box_remove (self->services_list, child);
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *pointer = g_strdup_printf ("/services/%u", i);
      const char *title = kiosk_catalog_document_get_text (self->doc, pointer, "title", "de");
      const char *id = kiosk_catalog_document_get_service_id (self->doc, i);
      gboolean enabled = kiosk_catalog_document_get_service_enabled (self->doc, i);
      g_autofree char *markup = NULL;
      GtkWidget *label = gtk_label_new (NULL);

      {
        g_autofree char *t = g_markup_escape_text (title != NULL ? title : "", -1);
        g_autofree char *d = g_markup_escape_text (id != NULL ? id : "", -1);

        markup = g_strdup_printf ("%s\n<small>%s%s</small>", t, d, enabled ? "" : _(" · switched off"));
      }
      gtk_label_set_markup (GTK_LABEL (label), markup);
      gtk_label_set_xalign (GTK_LABEL (label), 0);
      gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
      if (!enabled)
        gtk_widget_add_css_class (label, "dim-label");
      gtk_list_box_append (self->services_list, label);
    }
  if (self->service >= 0 && (guint) self->service < n)
    gtk_list_box_select_row (self->services_list, gtk_list_box_get_row_at_index (self->services_list, self->service));
  self->filling = FALSE;
}

/* Typing changes the document on every key; the loader's check, the
 * problems and the preview follow once the typing pauses. */
static void
document_changed_cb (KioskBuilderWindow *self)
{
  if (self->preview_idle != 0)
    g_source_remove (self->preview_idle);
  self->preview_idle = g_timeout_add (300, preview_idle_cb, self);
}

/* ------------------------------------------------------------------ */
/* Texts by language, side by side                                    */

static void
mark_missing (GtkWidget  *entry,
              const char *text,
              gboolean    german_set)
{
  if ((text == NULL || *text == '\0') && german_set)
    {
      gtk_widget_add_css_class (entry, "warning");
      gtk_entry_set_placeholder_text (GTK_ENTRY (entry), _("missing"));
    }
  else
    gtk_widget_remove_css_class (entry, "warning");
}

static void
text_changed_cb (GtkEditable        *entry,
                 KioskBuilderWindow *self)
{
  const char *pointer = g_object_get_data (G_OBJECT (entry), "pointer");
  const char *member = g_object_get_data (G_OBJECT (entry), "member");
  const char *lang = g_object_get_data (G_OBJECT (entry), "lang");
  const char *text = gtk_editable_get_text (entry);
  g_autoptr(GError) error = NULL;

  if (self->filling)
    return;
  if (g_str_equal (member, "keywords"))
    {
      JsonNode *node = kiosk_catalog_document_lookup (self->doc, pointer);
      JsonObject *service = node != NULL && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
      JsonNode *old = service != NULL ? json_object_get_member (service, "keywords") : NULL;
      g_autoptr(JsonNode) keywords = NULL;
      JsonObject *object;
      JsonArray *array = json_array_new ();
      g_auto(GStrv) words = g_strsplit (text, ",", -1);

      /* A fresh object, so that the document's is not changed behind its back. */
      object = json_object_new ();
      if (old != NULL && JSON_NODE_HOLDS_OBJECT (old))
        {
          JsonObjectIter iter;
          const char *name;
          JsonNode *value;

          json_object_iter_init_ordered (&iter, json_node_get_object (old));
          while (json_object_iter_next_ordered (&iter, &name, &value))
            json_object_set_member (object, name, json_node_copy (value));
        }
      for (guint i = 0; words[i] != NULL; i++)
        {
          g_strstrip (words[i]);
          if (*words[i] != '\0')
            json_array_add_string_element (array, words[i]);
        }
      if (json_array_get_length (array) > 0)
        json_object_set_array_member (object, lang, array);
      else
        {
          json_array_unref (array);
          json_object_remove_member (object, lang);
        }
      keywords = json_node_new (JSON_NODE_OBJECT);
      json_node_take_object (keywords, object);
      kiosk_catalog_document_set_member (self->doc, pointer, "keywords",
                                         json_object_get_size (object) > 0 ? keywords : NULL, &error);
    }
  else
    kiosk_catalog_document_set_text (self->doc, pointer, member, lang, text, &error);
  report (self, error);
  if (g_str_equal (member, "title"))
    {
      fill_services (self);
      fill_fields (self);
    }
  mark_missing (GTK_WIDGET (entry), text,
                g_strcmp0 (lang, "de") != 0 && kiosk_catalog_document_get_text (self->doc, pointer, member, "de") != NULL);
}

static char *
keywords_text (KioskBuilderWindow *self,
               const char         *pointer,
               const char         *lang)
{
  JsonNode *node = kiosk_catalog_document_lookup (self->doc, pointer);
  JsonNode *keywords;
  JsonNode *list;
  GString *out = g_string_new (NULL);

  if (node != NULL && JSON_NODE_HOLDS_OBJECT (node) &&
      (keywords = json_object_get_member (json_node_get_object (node), "keywords")) != NULL &&
      JSON_NODE_HOLDS_OBJECT (keywords) &&
      (list = json_object_get_member (json_node_get_object (keywords), lang)) != NULL &&
      JSON_NODE_HOLDS_ARRAY (list))
    {
      JsonArray *array = json_node_get_array (list);

      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          JsonNode *word = json_array_get_element (array, i);

          if (JSON_NODE_HOLDS_VALUE (word) && json_node_get_value_type (word) == G_TYPE_STRING)
            g_string_append_printf (out, "%s%s", out->len ? ", " : "", json_node_get_string (word));
        }
    }
  return g_string_free (out, FALSE);
}

/* One row per text, one column per language; empty cells of a text that
 * has German are marked "missing". */
static GtkWidget *
texts_grid (KioskBuilderWindow  *self,
            const char          *pointer,
            const char * const  *members,
            const char * const  *captions)
{
  GtkWidget *grid = gtk_grid_new ();
  GtkWidget *scroller = gtk_scrolled_window_new ();

  gtk_grid_set_row_spacing (GTK_GRID (grid), 6);
  gtk_grid_set_column_spacing (GTK_GRID (grid), 6);
  for (guint l = 0; self->languages[l] != NULL; l++)
    {
      GtkWidget *head = gtk_label_new (self->languages[l]);

      gtk_widget_add_css_class (head, "heading");
      gtk_grid_attach (GTK_GRID (grid), head, l + 1, 0, 1, 1);
    }
  for (guint m = 0; members[m] != NULL; m++)
    {
      GtkWidget *caption = gtk_label_new (captions[m]);
      const char *german = kiosk_catalog_document_get_text (self->doc, pointer, members[m], "de");

      gtk_label_set_xalign (GTK_LABEL (caption), 0);
      gtk_grid_attach (GTK_GRID (grid), caption, 0, m + 1, 1, 1);
      for (guint l = 0; self->languages[l] != NULL; l++)
        {
          GtkWidget *entry = gtk_entry_new ();
          g_autofree char *keywords = NULL;
          const char *text;
          g_autofree char *name = g_strdup_printf ("%s (%s)", captions[m], self->languages[l]);

          if (g_str_equal (members[m], "keywords"))
            text = keywords = keywords_text (self, pointer, self->languages[l]);
          else
            text = kiosk_catalog_document_get_text (self->doc, pointer, members[m], self->languages[l]);
          gtk_editable_set_text (GTK_EDITABLE (entry), text != NULL ? text : "");
          gtk_editable_set_width_chars (GTK_EDITABLE (entry), 16);
          gtk_accessible_update_property (GTK_ACCESSIBLE (entry), GTK_ACCESSIBLE_PROPERTY_LABEL, name, -1);
          if (!g_str_equal (members[m], "keywords"))
            mark_missing (entry, text, l > 0 && german != NULL);
          g_object_set_data_full (G_OBJECT (entry), "pointer", g_strdup (pointer), g_free);
          g_object_set_data (G_OBJECT (entry), "member", (gpointer) members[m]);
          g_object_set_data_full (G_OBJECT (entry), "lang", g_strdup (self->languages[l]), g_free);
          g_signal_connect (entry, "changed", G_CALLBACK (text_changed_cb), self);
          gtk_grid_attach (GTK_GRID (grid), entry, l + 1, m + 1, 1, 1);
        }
    }
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scroller), GTK_POLICY_AUTOMATIC, GTK_POLICY_NEVER);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scroller), grid);
  return scroller;
}

/* ------------------------------------------------------------------ */
/* Small property widgets                                              */

/* A number as JSON: a whole one as an integer. */
static gboolean
number_text (const char  *text,
             JsonNode   **out_value)
{
  char *end = NULL;
  double number = g_ascii_strtod (text, &end);

  if (end == text || end == NULL || *end != '\0')
    return FALSE;
  if (number == (gint64) number && strpbrk (text, ".eE") == NULL)
    *out_value = json_node_init_int (json_node_alloc (), (gint64) number);
  else
    *out_value = json_node_init_double (json_node_alloc (), number);
  return TRUE;
}

static void
member_entry_changed_cb (GtkEditable        *entry,
                         KioskBuilderWindow *self)
{
  const char *pointer = g_object_get_data (G_OBJECT (entry), "pointer");
  const char *member = g_object_get_data (G_OBJECT (entry), "member");
  const char *kind = g_object_get_data (G_OBJECT (entry), "kind");
  const char *text = gtk_editable_get_text (entry);
  g_autoptr(JsonNode) value = NULL;
  g_autoptr(GError) error = NULL;

  if (self->filling)
    return;
  if (*text == '\0')
    value = NULL;
  else if (g_strcmp0 (kind, "number") == 0)
    {
      if (!number_text (text, &value))
        value = json_node_init_string (json_node_alloc (), text);   /* the loader names it */
    }
  else if (g_strcmp0 (kind, "int") == 0)
    {
      guint64 number;

      if (g_ascii_string_to_unsigned (text, 10, 0, G_MAXINT32, &number, NULL))
        value = json_node_init_int (json_node_alloc (), (gint64) number);
      else
        value = json_node_init_string (json_node_alloc (), text);
    }
  else if (g_strcmp0 (kind, "default") == 0)
    {
      const char *type = g_object_get_data (G_OBJECT (entry), "type");

      if (g_strcmp0 (type, "boolean") == 0 && (g_str_equal (text, "true") || g_str_equal (text, "false")))
        value = json_node_init_boolean (json_node_alloc (), g_str_equal (text, "true"));
      else if (g_strcmp0 (type, "number") == 0 && number_text (text, &value))
        ;
      else if (g_strcmp0 (type, "multichoice") == 0)
        {
          JsonArray *array = json_array_new ();
          g_auto(GStrv) parts = g_strsplit (text, ",", -1);

          for (guint i = 0; parts[i] != NULL; i++)
            if (*g_strstrip (parts[i]) != '\0')
              json_array_add_string_element (array, parts[i]);
          value = json_node_new (JSON_NODE_ARRAY);
          json_node_take_array (value, array);
        }
      else
        value = json_node_init_string (json_node_alloc (), text);
    }
  else
    value = json_node_init_string (json_node_alloc (), text);
  kiosk_catalog_document_set_member (self->doc, pointer, member, value, &error);
  report (self, error);
  if (g_str_equal (member, "id"))
    {
      fill_services (self);
      fill_fields (self);
    }
}

static GtkWidget *
member_entry (KioskBuilderWindow *self,
              const char         *pointer,
              const char         *member,
              const char         *kind)
{
  GtkWidget *entry = gtk_entry_new ();
  JsonNode *node = kiosk_catalog_document_lookup (self->doc, pointer);
  JsonNode *value = node != NULL && JSON_NODE_HOLDS_OBJECT (node) ? json_object_get_member (json_node_get_object (node), member) : NULL;
  g_autofree char *text = NULL;

  if (value != NULL && JSON_NODE_HOLDS_VALUE (value))
    {
      GType type = json_node_get_value_type (value);

      if (type == G_TYPE_STRING)
        text = g_strdup (json_node_get_string (value));
      else if (type == G_TYPE_INT64)
        text = g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (value));
      else if (type == G_TYPE_BOOLEAN)
        text = g_strdup (json_node_get_boolean (value) ? "true" : "false");
      else
        {
          char buf[G_ASCII_DTOSTR_BUF_SIZE];

          text = g_strdup (g_ascii_dtostr (buf, sizeof buf, json_node_get_double (value)));
        }
    }
  else if (value != NULL && JSON_NODE_HOLDS_ARRAY (value))
    {
      GString *s = g_string_new (NULL);
      JsonArray *array = json_node_get_array (value);

      for (guint i = 0; i < json_array_get_length (array); i++)
        if (JSON_NODE_HOLDS_VALUE (json_array_get_element (array, i)))
          g_string_append_printf (s, "%s%s", s->len ? ", " : "", json_array_get_string_element (array, i));
      text = g_string_free (s, FALSE);
    }
  gtk_editable_set_text (GTK_EDITABLE (entry), text != NULL ? text : "");
  g_object_set_data_full (G_OBJECT (entry), "pointer", g_strdup (pointer), g_free);
  g_object_set_data_full (G_OBJECT (entry), "member", g_strdup (member), g_free);
  g_object_set_data_full (G_OBJECT (entry), "kind", g_strdup (kind), g_free);
  g_signal_connect (entry, "changed", G_CALLBACK (member_entry_changed_cb), self);
  return entry;
}

static void
member_check_toggled_cb (GtkCheckButton     *check,
                         KioskBuilderWindow *self)
{
  const char *pointer = g_object_get_data (G_OBJECT (check), "pointer");
  const char *member = g_object_get_data (G_OBJECT (check), "member");
  g_autoptr(JsonNode) value = NULL;
  g_autoptr(GError) error = NULL;

  if (self->filling)
    return;
  /* The default is left out: false for most members, true for a few. */
  if (g_object_get_data (G_OBJECT (check), "default-true") != NULL)
    {
      if (!gtk_check_button_get_active (check))
        value = json_node_init_boolean (json_node_alloc (), FALSE);
    }
  else if (gtk_check_button_get_active (check))
    value = json_node_init_boolean (json_node_alloc (), TRUE);
  kiosk_catalog_document_set_member (self->doc, pointer, member, value, &error);
  report (self, error);
}

static GtkWidget *
member_check (KioskBuilderWindow *self,
              const char         *pointer,
              const char         *member,
              const char         *label)
{
  GtkWidget *check = gtk_check_button_new_with_label (label);
  JsonNode *node = kiosk_catalog_document_lookup (self->doc, pointer);
  JsonNode *value = node != NULL && JSON_NODE_HOLDS_OBJECT (node) ? json_object_get_member (json_node_get_object (node), member) : NULL;

  gtk_check_button_set_active (GTK_CHECK_BUTTON (check), value != NULL && JSON_NODE_HOLDS_VALUE (value) &&
                               json_node_get_value_type (value) == G_TYPE_BOOLEAN && json_node_get_boolean (value));
  g_object_set_data_full (G_OBJECT (check), "pointer", g_strdup (pointer), g_free);
  g_object_set_data_full (G_OBJECT (check), "member", g_strdup (member), g_free);
  g_signal_connect (check, "toggled", G_CALLBACK (member_check_toggled_cb), self);
  return check;
}

static void
member_choice_cb (GtkDropDown        *dropdown,
                  GParamSpec         *pspec,
                  KioskBuilderWindow *self)
{
  const char *pointer = g_object_get_data (G_OBJECT (dropdown), "pointer");
  const char *member = g_object_get_data (G_OBJECT (dropdown), "member");
  const char * const *values = g_object_get_data (G_OBJECT (dropdown), "values");
  guint selected = gtk_drop_down_get_selected (dropdown);
  g_autoptr(JsonNode) value = NULL;
  g_autoptr(GError) error = NULL;

  if (self->filling || selected == GTK_INVALID_LIST_POSITION)
    return;
  if (g_str_equal (member, "target"))
    {
      /* (default) removes the target; a type keeps nothing else of the old one. */
      if (selected > 0)
        {
          JsonObject *object = json_object_new ();

          json_object_set_string_member (object, "type", values[selected]);
          if (g_str_equal (values[selected], "open311"))
            json_object_set_string_member (object, "service_code", "");
          value = json_node_new (JSON_NODE_OBJECT);
          json_node_take_object (value, object);
        }
    }
  else
    value = json_node_init_string (json_node_alloc (), values[selected]);
  kiosk_catalog_document_set_member (self->doc, pointer, member, value, &error);
  report (self, error);
}

static GtkWidget *
member_choice (KioskBuilderWindow *self,
               const char         *pointer,
               const char         *member,
               const char * const *values,
               const char         *current)
{
  GtkWidget *dropdown = gtk_drop_down_new_from_strings (values);

  for (guint i = 0; values[i] != NULL; i++)
    if (g_strcmp0 (values[i], current) == 0)
      gtk_drop_down_set_selected (GTK_DROP_DOWN (dropdown), i);
  g_object_set_data_full (G_OBJECT (dropdown), "pointer", g_strdup (pointer), g_free);
  g_object_set_data_full (G_OBJECT (dropdown), "member", g_strdup (member), g_free);
  g_object_set_data_full (G_OBJECT (dropdown), "values", g_strdupv ((char **) values), (GDestroyNotify) g_strfreev);
  g_signal_connect (dropdown, "notify::selected", G_CALLBACK (member_choice_cb), self);
  return dropdown;
}

static void
add_property (GtkGrid    *grid,
              guint      *row,
              const char *caption,
              GtkWidget  *widget)
{
  GtkWidget *label = gtk_label_new (caption);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_accessible_update_property (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_PROPERTY_LABEL, caption, -1);
  gtk_grid_attach (grid, label, 0, *row, 1, 1);
  gtk_widget_set_hexpand (widget, TRUE);
  gtk_grid_attach (grid, widget, 1, *row, 1, 1);
  (*row)++;
}

static GtkWidget *
property_grid (void)
{
  GtkWidget *grid = gtk_grid_new ();

  gtk_grid_set_row_spacing (GTK_GRID (grid), 6);
  gtk_grid_set_column_spacing (GTK_GRID (grid), 12);
  return grid;
}

static void
clear_box (GtkWidget *box)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (box)) != NULL)
    gtk_box_remove (GTK_BOX (box), child);
}

static GtkWidget *
heading (const char *text)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_widget_add_css_class (label, "heading");
  gtk_widget_set_margin_top (label, 12);
  return label;
}

/* ------------------------------------------------------------------ */
/* The "Service" page                                                  */

static void
new_category_clicked_cb (GtkButton          *button,
                         KioskBuilderWindow *self)
{
  GtkEditable *entry = g_object_get_data (G_OBJECT (button), "entry");
  g_autofree char *id = g_strdup (gtk_editable_get_text (entry));
  g_autofree char *pointer = NULL;
  g_autoptr(JsonNode) value = NULL;
  g_autoptr(GError) error = NULL;

  if (self->service < 0 || kiosk_catalog_document_add_category (self->doc, g_strstrip (id), id, &error) < 0)
    {
      report (self, error);
      return;
    }
  pointer = service_pointer (self);
  value = json_node_init_string (json_node_alloc (), id);
  kiosk_catalog_document_set_member (self->doc, pointer, "category", value, &error);
  report (self, error);
  /* Out of this handler: the button is about to be replaced. */
  g_idle_add_full (G_PRIORITY_DEFAULT, rebuild_editor_idle_cb, g_object_ref (self), g_object_unref);
}

static void
rebuild_service_page (KioskBuilderWindow *self)
{
  static const char * const members[] = { "title", "summary", "help", "next_steps", "keywords", NULL };
  static const char * const offline[] = { "queue", "print", "refer", NULL };
  static const char * const targets[] = { "(default)", "submission", "couchdb", "open311", NULL };
  const char *captions[6];
  JsonObject *service = service_object (self);
  g_autofree char *pointer = NULL;
  GtkWidget *grid;
  guint row = 0;
  g_autoptr(GPtrArray) categories = g_ptr_array_new ();
  JsonNode *array;
  JsonNode *target;

  clear_box (self->service_box);
  if (service == NULL)
    return;
  captions[0] = _("Title");
  captions[1] = _("Summary");
  captions[2] = _("Help");
  captions[3] = _("What happens next");
  captions[4] = _("Keywords (comma-separated)");
  captions[5] = NULL;
  pointer = service_pointer (self);

  gtk_box_append (GTK_BOX (self->service_box), heading (_("Texts in every language (missing translations are marked)")));
  gtk_box_append (GTK_BOX (self->service_box), texts_grid (self, pointer, members, captions));

  gtk_box_append (GTK_BOX (self->service_box), heading (_("Properties")));
  grid = property_grid ();
  add_property (GTK_GRID (grid), &row, _("Id"), member_entry (self, pointer, "id", NULL));
  add_property (GTK_GRID (grid), &row, _("Version"), member_entry (self, pointer, "version", "int"));
  add_property (GTK_GRID (grid), &row, _("Icon"), member_entry (self, pointer, "icon", NULL));
  array = kiosk_catalog_document_lookup (self->doc, "/categories");
  for (guint i = 0; array != NULL && JSON_NODE_HOLDS_ARRAY (array) && i < json_array_get_length (json_node_get_array (array)); i++)
    {
      JsonNode *c = json_array_get_element (json_node_get_array (array), i);

      if (JSON_NODE_HOLDS_OBJECT (c) && string_member (json_node_get_object (c), "id") != NULL)
        g_ptr_array_add (categories, (char *) string_member (json_node_get_object (c), "id"));
    }
  g_ptr_array_add (categories, NULL);
  add_property (GTK_GRID (grid), &row, _("Category"),
                member_choice (self, pointer, "category", (const char * const *) categories->pdata,
                               string_member (service, "category")));
  add_property (GTK_GRID (grid), &row, _("Without a connection"),
                member_choice (self, pointer, "offline", offline, string_member (service, "offline")));
  add_property (GTK_GRID (grid), &row, _("Web address (refer)"), member_entry (self, pointer, "refer_url", NULL));
  target = json_object_get_member (service, "target");
  add_property (GTK_GRID (grid), &row, _("Delivered to"),
                member_choice (self, pointer, "target", targets,
                               target != NULL && JSON_NODE_HOLDS_OBJECT (target) ? string_member (json_node_get_object (target), "type") : "(default)"));
  add_property (GTK_GRID (grid), &row, _("Days personal answers are kept"), member_entry (self, pointer, "retention_days", "int"));
  {
    GtkWidget *check = member_check (self, pointer, "receipt_shows_answers", _("The receipt prints the answers"));
    JsonNode *shows = json_object_get_member (service, "receipt_shows_answers");

    g_object_set_data (G_OBJECT (check), "default-true", GINT_TO_POINTER (1));
    self->filling = TRUE;
    gtk_check_button_set_active (GTK_CHECK_BUTTON (check), shows == NULL || !JSON_NODE_HOLDS_VALUE (shows) ||
                                 json_node_get_value_type (shows) != G_TYPE_BOOLEAN || json_node_get_boolean (shows));
    self->filling = FALSE;
    add_property (GTK_GRID (grid), &row, "", check);
  }
  gtk_box_append (GTK_BOX (self->service_box), grid);

  /* The service's category: its title in every language, or a new one. */
  {
    static const char * const category_members[] = { "title", NULL };
    const char *category_captions[] = { _("Category title"), NULL };
    int c = kiosk_catalog_document_find_category (self->doc, string_member (service, "category"));
    GtkWidget *line = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
    GtkWidget *entry = gtk_entry_new ();
    GtkWidget *add = gtk_button_new_with_label (_("New category"));

    gtk_box_append (GTK_BOX (self->service_box), heading (_("Category")));
    if (c >= 0)
      {
        g_autofree char *cp = g_strdup_printf ("/categories/%d", c);

        gtk_box_append (GTK_BOX (self->service_box), texts_grid (self, cp, category_members, category_captions));
      }
    gtk_entry_set_placeholder_text (GTK_ENTRY (entry), _("Id of the new category"));
    gtk_accessible_update_property (GTK_ACCESSIBLE (entry), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Id of the new category"), -1);
    gtk_widget_set_name (add, "new-category");
    g_object_set_data (G_OBJECT (add), "entry", entry);
    g_signal_connect (add, "clicked", G_CALLBACK (new_category_clicked_cb), self);
    gtk_box_append (GTK_BOX (line), entry);
    gtk_box_append (GTK_BOX (line), add);
    gtk_box_append (GTK_BOX (self->service_box), line);
  }
}

/* ------------------------------------------------------------------ */
/* The "Fields" page                                                   */

static void
fill_fields (KioskBuilderWindow *self)
{
  GtkWidget *child;
  guint n_steps;

  self->filling = TRUE;
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->fields_list))) != NULL)
    gtk_list_box_remove (self->fields_list, child);
  if (self->service < 0)
    {
      self->filling = FALSE;
      return;
    }
  n_steps = kiosk_catalog_document_get_n_steps (self->doc, self->service);
  for (guint s = 0; s < n_steps; s++)
    {
      g_autofree char *sp = kiosk_catalog_document_step_pointer (self->service, s);
      const char *title = kiosk_catalog_document_get_text (self->doc, sp, "title", "de");
      g_autofree char *text = g_strdup_printf (_("Step %u: %s"), s + 1, title != NULL ? title : "");
      GtkWidget *label = gtk_label_new (text);
      GtkWidget *row = gtk_list_box_row_new ();
      guint n = kiosk_catalog_document_get_n_fields (self->doc, self->service, s);

      gtk_label_set_xalign (GTK_LABEL (label), 0);
      gtk_widget_add_css_class (label, "heading");
      gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), label);
      g_object_set_data (G_OBJECT (row), "step", GINT_TO_POINTER (s));
      g_object_set_data (G_OBJECT (row), "field", GINT_TO_POINTER (-1));
      gtk_list_box_append (self->fields_list, row);
      for (guint f = 0; f < n; f++)
        {
          JsonObject *field = kiosk_catalog_document_get_field (self->doc, self->service, s, f);
          g_autofree char *ftext = g_strdup_printf ("    %s · %s%s", string_member (field, "id") ?: "?",
                                                    string_member (field, "type") ?: "?",
                                                    json_object_has_member (field, "visible_if") ? _(" · with condition") : "");
          GtkWidget *flabel = gtk_label_new (ftext);
          GtkWidget *frow = gtk_list_box_row_new ();

          gtk_label_set_xalign (GTK_LABEL (flabel), 0);
          gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (frow), flabel);
          g_object_set_data (G_OBJECT (frow), "step", GINT_TO_POINTER (s));
          g_object_set_data (G_OBJECT (frow), "field", GINT_TO_POINTER (f));
          gtk_list_box_append (self->fields_list, frow);
          if ((int) s == self->step && (int) f == self->field)
            gtk_list_box_select_row (self->fields_list, GTK_LIST_BOX_ROW (frow));
        }
      if ((int) s == self->step && self->field < 0)
        gtk_list_box_select_row (self->fields_list, GTK_LIST_BOX_ROW (row));
    }
  self->filling = FALSE;
}

static void
option_remove_clicked_cb (GtkButton          *button,
                          KioskBuilderWindow *self)
{
  g_autoptr(GError) error = NULL;

  kiosk_catalog_document_remove_option (self->doc, self->service, self->step, self->field,
                                        GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (button), "option")), &error);
  report (self, error);
  rebuild_field_editor (self);
}

static void
option_add_clicked_cb (KioskBuilderWindow *self)
{
  JsonObject *field = kiosk_catalog_document_get_field (self->doc, self->service, self->step, self->field);
  JsonNode *options = field != NULL ? json_object_get_member (field, "options") : NULL;
  guint n = options != NULL && JSON_NODE_HOLDS_ARRAY (options) ? json_array_get_length (json_node_get_array (options)) : 0;
  g_autofree char *value = g_strdup_printf ("option-%u", n + 1);
  g_autofree char *label = g_strdup_printf (_("Option %u"), n + 1);
  g_autoptr(GError) error = NULL;

  kiosk_catalog_document_add_option (self->doc, self->service, self->step, self->field, value, label, &error);
  report (self, error);
  rebuild_field_editor (self);
}

static gboolean
rebuild_editor_idle_cb (gpointer data)
{
  KioskBuilderWindow *self = data;

  /* The window may have closed in between. */
  if (self->doc != NULL)
    rebuild_editor (self);
  return G_SOURCE_REMOVE;
}

static void
type_selected_cb (GtkDropDown        *dropdown,
                  GParamSpec         *pspec,
                  KioskBuilderWindow *self)
{
  KioskFieldType type;
  g_autoptr(GError) error = NULL;

  if (self->filling || !kiosk_field_type_from_string (field_types[gtk_drop_down_get_selected (dropdown)], &type))
    return;
  kiosk_catalog_document_set_field_type (self->doc, self->service, self->step, self->field, type, &error);
  report (self, error);
  /* Out of this handler: the dropdown is about to be replaced. */
  g_idle_add_full (G_PRIORITY_DEFAULT, rebuild_editor_idle_cb, g_object_ref (self), g_object_unref);
}

/* The condition: "show only if FIELD OPERATOR VALUE". */
static const char *
operator_caption (const char *op)
{
  if (g_str_equal (op, "equals"))
    return _("is");
  if (g_str_equal (op, "not_equals"))
    return _("is not");
  if (g_str_equal (op, "in"))
    return _("is one of (comma-separated)");
  return _("is answered (true) / not answered (false)");
}

static JsonObject *
field_by_id (KioskBuilderWindow *self,
             const char         *id)
{
  for (guint s = 0; s < kiosk_catalog_document_get_n_steps (self->doc, self->service); s++)
    for (guint f = 0; f < kiosk_catalog_document_get_n_fields (self->doc, self->service, s); f++)
      {
        JsonObject *object = kiosk_catalog_document_get_field (self->doc, self->service, s, f);

        if (g_strcmp0 (string_member (object, "id"), id) == 0)
          return object;
      }
  return NULL;
}

typedef struct
{
  GtkDropDown *field;
  GtkDropDown *op;
  GtkEntry    *value;
  GtkDropDown *options; /* the chosen field's option values, when it has some */
  GPtrArray   *ids;     /* "" (always), then the earlier fields */
  GPtrArray   *ops;     /* the operators for the chosen field */
  GPtrArray   *values;  /* the option values in @options */
  gboolean     filling;
} ConditionWidgets;

static void
condition_widgets_free (ConditionWidgets *c)
{
  g_ptr_array_unref (c->ids);
  g_ptr_array_unref (c->ops);
  g_ptr_array_unref (c->values);
  g_free (c);
}

static void
fill_operators (ConditionWidgets   *c,
                KioskBuilderWindow *self,
                const char         *current)
{
  guint selected = gtk_drop_down_get_selected (c->field);
  const char *id = selected != GTK_INVALID_LIST_POSITION && selected > 0 ? c->ids->pdata[selected] : NULL;
  KioskFieldType type = KIOSK_FIELD_TEXT;
  g_autoptr(GtkStringList) list = gtk_string_list_new (NULL);
  const char * const *ops;

  if (id != NULL)
    kiosk_field_type_from_string (string_member (field_by_id (self, id), "type") ?: "", &type);
  ops = kiosk_catalog_condition_operators (type);
  g_ptr_array_set_size (c->ops, 0);
  for (guint i = 0; id != NULL && ops[i] != NULL; i++)
    {
      g_ptr_array_add (c->ops, (char *) ops[i]);
      gtk_string_list_append (list, operator_caption (ops[i]));
    }
  gtk_drop_down_set_model (c->op, G_LIST_MODEL (list));
  for (guint i = 0; i < c->ops->len; i++)
    if (g_strcmp0 (c->ops->pdata[i], current) == 0)
      gtk_drop_down_set_selected (c->op, i);

  /* A choice's values to pick from, so that no one has to type them. */
  {
    g_autoptr(GtkStringList) values = gtk_string_list_new (NULL);
    JsonObject *field = id != NULL ? field_by_id (self, id) : NULL;
    JsonNode *options = field != NULL ? json_object_get_member (field, "options") : NULL;

    g_ptr_array_set_size (c->values, 0);
    for (guint i = 0; options != NULL && JSON_NODE_HOLDS_ARRAY (options) && i < json_array_get_length (json_node_get_array (options)); i++)
      {
        JsonNode *option = json_array_get_element (json_node_get_array (options), i);
        const char *value = JSON_NODE_HOLDS_OBJECT (option) ? string_member (json_node_get_object (option), "value") : NULL;

        if (value != NULL)
          {
            g_ptr_array_add (c->values, g_strdup (value));
            gtk_string_list_append (values, value);
          }
      }
    c->filling = TRUE;
    gtk_drop_down_set_model (c->options, G_LIST_MODEL (values));
    gtk_drop_down_set_selected (c->options, GTK_INVALID_LIST_POSITION);
    c->filling = FALSE;
    gtk_widget_set_visible (GTK_WIDGET (c->options), c->values->len > 0);
  }
}

static void
condition_option_selected_cb (GtkDropDown *dropdown,
                              GParamSpec  *pspec,
                              gpointer     data)
{
  ConditionWidgets *c = g_object_get_data (G_OBJECT (dropdown), "condition");
  guint selected = gtk_drop_down_get_selected (dropdown);
  guint op = gtk_drop_down_get_selected (c->op);
  const char *text = gtk_editable_get_text (GTK_EDITABLE (c->value));
  g_autofree char *joined = NULL;

  if (c->filling || selected == GTK_INVALID_LIST_POSITION || selected >= c->values->len)
    return;
  /* "is one of" collects values; the other tests take one. */
  if (op < c->ops->len && g_str_equal (c->ops->pdata[op], "in") && *text != '\0')
    joined = g_strdup_printf ("%s, %s", text, (const char *) c->values->pdata[selected]);
  else
    joined = g_strdup (c->values->pdata[selected]);
  gtk_editable_set_text (GTK_EDITABLE (c->value), joined);
}

static void
condition_field_selected_cb (GtkDropDown        *dropdown,
                             GParamSpec         *pspec,
                             KioskBuilderWindow *self)
{
  ConditionWidgets *c = g_object_get_data (G_OBJECT (dropdown), "condition");

  fill_operators (c, self, NULL);
}

static void
condition_apply_clicked_cb (GtkButton          *button,
                            KioskBuilderWindow *self)
{
  ConditionWidgets *c = g_object_get_data (G_OBJECT (button), "condition");
  guint selected = gtk_drop_down_get_selected (c->field);
  guint op_index = gtk_drop_down_get_selected (c->op);
  const char *id = selected != GTK_INVALID_LIST_POSITION && selected > 0 ? c->ids->pdata[selected] : NULL;
  const char *op = op_index != GTK_INVALID_LIST_POSITION && op_index < c->ops->len ? c->ops->pdata[op_index] : NULL;
  const char *text = gtk_editable_get_text (GTK_EDITABLE (c->value));
  g_autoptr(JsonNode) value = NULL;
  g_autoptr(GError) error = NULL;
  KioskFieldType type = KIOSK_FIELD_TEXT;

  if (id != NULL)
    kiosk_field_type_from_string (string_member (field_by_id (self, id), "type") ?: "", &type);
  if (id == NULL)
    ;
  else if (g_strcmp0 (op, "in") == 0)
    {
      JsonArray *array = json_array_new ();
      g_auto(GStrv) parts = g_strsplit (text, ",", -1);

      for (guint i = 0; parts[i] != NULL; i++)
        if (*g_strstrip (parts[i]) != '\0')
          json_array_add_string_element (array, parts[i]);
      value = json_node_new (JSON_NODE_ARRAY);
      json_node_take_array (value, array);
    }
  else if (g_strcmp0 (op, "is_set") == 0 || type == KIOSK_FIELD_BOOLEAN || type == KIOSK_FIELD_CONSENT)
    {
      g_autofree char *word = g_strstrip (g_strdup (text));

      value = json_node_init_boolean (json_node_alloc (), !g_str_equal (word, "false"));
    }
  else if (type == KIOSK_FIELD_NUMBER && number_text (text, &value))
    ;
  else
    value = json_node_init_string (json_node_alloc (), text);
  if (!kiosk_catalog_document_set_condition (self->doc, self->service, self->step, self->field, id, op, value, &error))
    report (self, error);
  else
    fill_fields (self);
}

static GtkWidget *
condition_editor (KioskBuilderWindow *self)
{
  ConditionWidgets *c = g_new0 (ConditionWidgets, 1);
  JsonObject *field = kiosk_catalog_document_get_field (self->doc, self->service, self->step, self->field);
  JsonNode *visible_if = json_object_get_member (field, "visible_if");
  JsonObject *condition = visible_if != NULL && JSON_NODE_HOLDS_OBJECT (visible_if) ? json_node_get_object (visible_if) : NULL;
  g_autoptr(GPtrArray) earlier = kiosk_catalog_document_condition_fields (self->doc, self->service, self->step, self->field);
  g_autoptr(GtkStringList) names = gtk_string_list_new (NULL);
  const char *current_op = NULL;
  g_autofree char *current_value = NULL;
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *apply = gtk_button_new_with_label (_("Set condition"));

  c->ids = g_ptr_array_new_with_free_func (g_free);
  c->ops = g_ptr_array_new ();
  c->values = g_ptr_array_new_with_free_func (g_free);
  c->options = GTK_DROP_DOWN (gtk_drop_down_new (NULL, NULL));
  gtk_accessible_update_property (GTK_ACCESSIBLE (c->options), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Pick an option"), -1);
  g_object_set_data (G_OBJECT (c->options), "condition", c);
  g_signal_connect (c->options, "notify::selected", G_CALLBACK (condition_option_selected_cb), NULL);
  g_ptr_array_add (c->ids, g_strdup (""));
  gtk_string_list_append (names, _("(always shown)"));
  for (guint i = 0; i < earlier->len; i++)
    {
      g_ptr_array_add (c->ids, g_strdup (earlier->pdata[i]));
      gtk_string_list_append (names, earlier->pdata[i]);
    }
  c->field = GTK_DROP_DOWN (gtk_drop_down_new (G_LIST_MODEL (g_object_ref (names)), NULL));
  c->op = GTK_DROP_DOWN (gtk_drop_down_new (NULL, NULL));
  c->value = GTK_ENTRY (gtk_entry_new ());
  gtk_accessible_update_property (GTK_ACCESSIBLE (c->field), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Show only if the field"), -1);
  gtk_accessible_update_property (GTK_ACCESSIBLE (c->op), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Test"), -1);
  gtk_accessible_update_property (GTK_ACCESSIBLE (c->value), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Value"), -1);
  /* A simple condition is shown as it is; all/any are kept as they are. */
  if (condition != NULL && string_member (condition, "field") != NULL)
    {
      static const char * const ops[] = { "equals", "not_equals", "in", "is_set", NULL };

      for (guint i = 0; i < c->ids->len; i++)
        if (g_str_equal (c->ids->pdata[i], string_member (condition, "field")))
          gtk_drop_down_set_selected (c->field, i);
      for (guint i = 0; ops[i] != NULL; i++)
        {
          JsonNode *v = json_object_get_member (condition, ops[i]);

          if (v == NULL)
            continue;
          current_op = ops[i];
          if (JSON_NODE_HOLDS_ARRAY (v))
            {
              GString *s = g_string_new (NULL);

              for (guint k = 0; k < json_array_get_length (json_node_get_array (v)); k++)
                {
                  JsonNode *e = json_array_get_element (json_node_get_array (v), k);

                  if (JSON_NODE_HOLDS_VALUE (e) && json_node_get_value_type (e) == G_TYPE_STRING)
                    g_string_append_printf (s, "%s%s", s->len ? ", " : "", json_node_get_string (e));
                }
              current_value = g_string_free (s, FALSE);
            }
          else if (JSON_NODE_HOLDS_VALUE (v) && json_node_get_value_type (v) == G_TYPE_STRING)
            current_value = g_strdup (json_node_get_string (v));
          else if (JSON_NODE_HOLDS_VALUE (v) && json_node_get_value_type (v) == G_TYPE_BOOLEAN)
            current_value = g_strdup (json_node_get_boolean (v) ? "true" : "false");
          else if (JSON_NODE_HOLDS_VALUE (v))
            current_value = g_strdup_printf ("%g", json_node_get_double (v));
        }
    }
  else if (condition != NULL)
    current_value = g_strdup (_("(a combined condition: edit it in the file)"));
  fill_operators (c, self, current_op);
  gtk_editable_set_text (GTK_EDITABLE (c->value), current_value != NULL ? current_value : "");
  g_object_set_data (G_OBJECT (c->field), "condition", c);
  g_object_set_data_full (G_OBJECT (apply), "condition", c, (GDestroyNotify) condition_widgets_free);
  g_signal_connect (c->field, "notify::selected", G_CALLBACK (condition_field_selected_cb), self);
  g_signal_connect (apply, "clicked", G_CALLBACK (condition_apply_clicked_cb), self);
  gtk_widget_set_hexpand (GTK_WIDGET (c->value), TRUE);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (c->field));
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (c->op));
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (c->options));
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (c->value));
  gtk_box_append (GTK_BOX (box), apply);
  gtk_widget_set_name (apply, "condition-apply");
  return box;
}

static void
rebuild_field_editor (KioskBuilderWindow *self)
{
  JsonObject *field;
  g_autofree char *pointer = NULL;
  const char *type_name;
  KioskFieldType type = KIOSK_FIELD_TEXT;
  const char * const *allowed;
  GtkWidget *grid;
  GtkWidget *dropdown;
  guint row = 0;

  clear_box (self->field_box);
  if (self->service < 0 || self->step < 0)
    return;
  if (self->field < 0)
    {
      /* A step: its title in every language. */
      static const char * const members[] = { "title", NULL };
      const char *captions[] = { _("Step title"), NULL };
      g_autofree char *sp = kiosk_catalog_document_step_pointer (self->service, self->step);

      gtk_box_append (GTK_BOX (self->field_box), heading (_("Step")));
      gtk_box_append (GTK_BOX (self->field_box), texts_grid (self, sp, members, captions));
      return;
    }
  field = kiosk_catalog_document_get_field (self->doc, self->service, self->step, self->field);
  if (field == NULL)
    return;
  pointer = kiosk_catalog_document_field_pointer (self->service, self->step, self->field);
  type_name = string_member (field, "type");
  kiosk_field_type_from_string (type_name != NULL ? type_name : "", &type);
  allowed = kiosk_catalog_field_members (type);

  grid = property_grid ();
  self->filling = TRUE;
  add_property (GTK_GRID (grid), &row, _("Id"), member_entry (self, pointer, "id", NULL));
  dropdown = gtk_drop_down_new_from_strings (field_types);
  for (guint i = 0; field_types[i] != NULL; i++)
    if (g_strcmp0 (field_types[i], type_name) == 0)
      gtk_drop_down_set_selected (GTK_DROP_DOWN (dropdown), i);
  g_signal_connect (dropdown, "notify::selected", G_CALLBACK (type_selected_cb), self);
  add_property (GTK_GRID (grid), &row, _("Type"), dropdown);
  if (g_strv_contains (allowed, "required"))
    add_property (GTK_GRID (grid), &row, "", member_check (self, pointer, "required", _("An answer is required")));
  if (g_strv_contains (allowed, "personal"))
    add_property (GTK_GRID (grid), &row, "", member_check (self, pointer, "personal", _("Personal (masked, erased after the retention days)")));
  if (g_strv_contains (allowed, "default") && type != KIOSK_FIELD_ADDRESS)
    {
      GtkWidget *entry = member_entry (self, pointer, "default", "default");

      g_object_set_data_full (G_OBJECT (entry), "type", g_strdup (type_name), g_free);
      add_property (GTK_GRID (grid), &row, _("Default answer"), entry);
    }
  if (g_strv_contains (allowed, "purpose"))
    {
      static const char * const purposes[] = { "free", "name", "email", "phone", "number", "postal-code", NULL };

      add_property (GTK_GRID (grid), &row, _("On-screen keyboard"),
                    member_choice (self, pointer, "purpose", purposes, string_member (field, "purpose") ?: "free"));
    }
  if (g_strv_contains (allowed, "max_length"))
    add_property (GTK_GRID (grid), &row, _("At most this many characters"), member_entry (self, pointer, "max_length", "int"));
  if (g_strv_contains (allowed, "min"))
    add_property (GTK_GRID (grid), &row, type == KIOSK_FIELD_DATE ? _("Earliest date (today, +2d, 2027-01-31)") : _("Smallest number"),
                  member_entry (self, pointer, "min", type == KIOSK_FIELD_NUMBER ? "number" : NULL));
  if (g_strv_contains (allowed, "max"))
    add_property (GTK_GRID (grid), &row, type == KIOSK_FIELD_DATE ? _("Latest date") : _("Largest number"),
                  member_entry (self, pointer, "max", type == KIOSK_FIELD_NUMBER ? "number" : NULL));
  if (g_strv_contains (allowed, "integer"))
    add_property (GTK_GRID (grid), &row, "", member_check (self, pointer, "integer", _("Whole numbers only")));
  if (g_strv_contains (allowed, "pattern"))
    add_property (GTK_GRID (grid), &row, _("Pattern the answer must match"), member_entry (self, pointer, "pattern", NULL));
  self->filling = FALSE;
  gtk_box_append (GTK_BOX (self->field_box), grid);

  {
    const char *members[6];
    const char *captions[6];
    guint n = 0;

    if (g_strv_contains (allowed, "label"))
      members[n] = "label", captions[n++] = _("Label");
    if (g_strv_contains (allowed, "text"))
      members[n] = "text", captions[n++] = _("Text");
    if (g_strv_contains (allowed, "help"))
      members[n] = "help", captions[n++] = _("Help");
    if (g_strv_contains (allowed, "pattern_message"))
      members[n] = "pattern_message", captions[n++] = _("Message when the pattern does not match");
    if (g_strv_contains (allowed, "required_message"))
      members[n] = "required_message", captions[n++] = _("Message when the answer is missing");
    members[n] = NULL;
    captions[n] = NULL;
    gtk_box_append (GTK_BOX (self->field_box), heading (_("Texts")));
    gtk_box_append (GTK_BOX (self->field_box), texts_grid (self, pointer, members, captions));
  }

  if (type == KIOSK_FIELD_CHOICE || type == KIOSK_FIELD_MULTICHOICE)
    {
      JsonNode *options = json_object_get_member (field, "options");
      guint n = options != NULL && JSON_NODE_HOLDS_ARRAY (options) ? json_array_get_length (json_node_get_array (options)) : 0;
      GtkWidget *add = gtk_button_new_with_label (_("Add option"));
      static const char * const members[] = { "label", NULL };

      gtk_box_append (GTK_BOX (self->field_box), heading (_("Options (value, then its label in every language)")));
      for (guint i = 0; i < n; i++)
        {
          g_autofree char *op = g_strdup_printf ("%s/options/%u", pointer, i);
          GtkWidget *line = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
          GtkWidget *value = member_entry (self, op, "value", NULL);
          GtkWidget *remove = gtk_button_new_from_icon_name ("list-remove-symbolic");
          const char *captions[] = { "", NULL };

          gtk_editable_set_width_chars (GTK_EDITABLE (value), 12);
          gtk_accessible_update_property (GTK_ACCESSIBLE (value), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Value"), -1);
          gtk_accessible_update_property (GTK_ACCESSIBLE (remove), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Remove option"), -1);
          g_object_set_data (G_OBJECT (remove), "option", GUINT_TO_POINTER (i));
          g_signal_connect (remove, "clicked", G_CALLBACK (option_remove_clicked_cb), self);
          gtk_box_append (GTK_BOX (line), value);
          gtk_box_append (GTK_BOX (line), texts_grid (self, op, members, captions));
          gtk_box_append (GTK_BOX (line), remove);
          gtk_box_append (GTK_BOX (self->field_box), line);
        }
      g_signal_connect_swapped (add, "clicked", G_CALLBACK (option_add_clicked_cb), self);
      gtk_widget_set_halign (add, GTK_ALIGN_START);
      gtk_box_append (GTK_BOX (self->field_box), add);
    }

  gtk_box_append (GTK_BOX (self->field_box), heading (_("Show only if (earlier fields only)")));
  gtk_box_append (GTK_BOX (self->field_box), condition_editor (self));
}

/* The fields of the other services, for "Reuse field". */
static void
fill_reuse (KioskBuilderWindow *self)
{
  g_autoptr(GtkStringList) names = gtk_string_list_new (NULL);
  guint n = kiosk_catalog_document_get_n_services (self->doc);

  g_ptr_array_set_size (self->reuse_refs, 0);
  for (guint s = 0; s < n; s++)
    {
      if ((int) s == self->service)
        continue;
      for (guint st = 0; st < kiosk_catalog_document_get_n_steps (self->doc, s); st++)
        for (guint f = 0; f < kiosk_catalog_document_get_n_fields (self->doc, s, st); f++)
          {
            JsonObject *field = kiosk_catalog_document_get_field (self->doc, s, st, f);
            g_autofree char *name = g_strdup_printf ("%s / %s", kiosk_catalog_document_get_service_id (self->doc, s) ?: "?",
                                                     string_member (field, "id") ?: "?");
            guint *ref = g_new (guint, 3);

            ref[0] = s, ref[1] = st, ref[2] = f;
            g_ptr_array_add (self->reuse_refs, ref);
            gtk_string_list_append (names, name);
          }
    }
  gtk_drop_down_set_model (self->reuse_field, G_LIST_MODEL (names));
}

static void
reuse_field_action (GtkWidget  *widget,
                    const char *name,
                    GVariant   *param)
{
  KioskBuilderWindow *self = KIOSK_BUILDER_WINDOW (widget);
  guint selected = gtk_drop_down_get_selected (self->reuse_field);
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;
  const guint *ref;
  int step = self->step >= 0 ? self->step : 0;
  guint at;

  if (self->service < 0 || selected == GTK_INVALID_LIST_POSITION || selected >= self->reuse_refs->len ||
      kiosk_catalog_document_get_n_steps (self->doc, self->service) == 0)
    return;
  ref = self->reuse_refs->pdata[selected];
  at = self->field >= 0 ? (guint) self->field + 1 : kiosk_catalog_document_get_n_fields (self->doc, self->service, step);
  if (kiosk_catalog_document_copy_field (self->doc, ref[0], ref[1], ref[2], self->service, step, at, &id, &error))
    kiosk_builder_window_select (self, self->service, step, at);
  report (self, error);
}

static void
rebuild_editor (KioskBuilderWindow *self)
{
  rebuild_service_page (self);
  fill_fields (self);
  fill_reuse (self);
  rebuild_field_editor (self);
  self->filling = TRUE;
  gtk_switch_set_active (self->enabled_switch, self->service >= 0 && kiosk_catalog_document_get_service_enabled (self->doc, self->service));
  self->filling = FALSE;
}

static void
rebuild_all (KioskBuilderWindow *self)
{
  fill_services (self);
  rebuild_editor (self);
  fill_problems (self);
  schedule_preview (self);
}

/* ------------------------------------------------------------------ */
/* Selection                                                           */

static void
service_selected_cb (GtkListBox         *list,
                     GtkListBoxRow      *row,
                     KioskBuilderWindow *self)
{
  if (self->filling || row == NULL)
    return;
  self->service = gtk_list_box_row_get_index (row);
  self->step = kiosk_catalog_document_get_n_steps (self->doc, self->service) > 0 ? 0 : -1;
  self->field = -1;
  rebuild_editor (self);
  schedule_preview (self);
}

static void
field_selected_cb (GtkListBox         *list,
                   GtkListBoxRow      *row,
                   KioskBuilderWindow *self)
{
  if (self->filling || row == NULL)
    return;
  self->step = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (row), "step"));
  self->field = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (row), "field"));
  rebuild_field_editor (self);
}

static void
enabled_switched_cb (GtkSwitch          *sw,
                     GParamSpec         *pspec,
                     KioskBuilderWindow *self)
{
  g_autoptr(GError) error = NULL;

  if (self->filling || self->service < 0)
    return;
  kiosk_catalog_document_set_service_enabled (self->doc, self->service, gtk_switch_get_active (sw), &error);
  report (self, error);
  fill_services (self);
}

/* ------------------------------------------------------------------ */
/* Actions                                                             */

static char *
free_id (KioskBuilderWindow *self,
         const char         *base)
{
  g_autofree char *id = g_strdup (base);

  for (guint n = 2; kiosk_catalog_document_find_service (self->doc, id) >= 0; n++)
    {
      g_free (id);
      id = g_strdup_printf ("%s-%u", base, n);
    }
  return g_steal_pointer (&id);
}

static void
new_service_action (GtkWidget  *widget,
                    const char *name,
                    GVariant   *param)
{
  KioskBuilderWindow *self = KIOSK_BUILDER_WINDOW (widget);
  g_autofree char *id = free_id (self, "new-service");
  g_autoptr(GError) error = NULL;
  int index = kiosk_catalog_document_add_service (self->doc, id, _("New service"), &error);

  report (self, error);
  if (index >= 0)
    kiosk_builder_window_select (self, index, 0, -1);
}

static void
copy_service_action (GtkWidget  *widget,
                     const char *name,
                     GVariant   *param)
{
  KioskBuilderWindow *self = KIOSK_BUILDER_WINDOW (widget);
  g_autoptr(GError) error = NULL;
  int index;

  if (self->service < 0)
    return;
  index = kiosk_catalog_document_copy_service (self->doc, self->service, NULL, &error);
  report (self, error);
  if (index >= 0)
    kiosk_builder_window_select (self, index, 0, -1);
}

static void
remove_service_action (GtkWidget  *widget,
                       const char *name,
                       GVariant   *param)
{
  KioskBuilderWindow *self = KIOSK_BUILDER_WINDOW (widget);
  g_autoptr(GError) error = NULL;

  if (self->service < 0)
    return;
  kiosk_catalog_document_remove_service (self->doc, self->service, &error);
  report (self, error);
  kiosk_builder_window_select (self, MIN (self->service, (int) kiosk_catalog_document_get_n_services (self->doc) - 1), 0, -1);
}

static void
move_service_action (GtkWidget  *widget,
                     const char *name,
                     GVariant   *param)
{
  KioskBuilderWindow *self = KIOSK_BUILDER_WINDOW (widget);
  int to = self->service + (g_str_equal (name, "builder.service-up") ? -1 : 1);

  if (self->service < 0 || to < 0 || to >= (int) kiosk_catalog_document_get_n_services (self->doc))
    return;
  if (kiosk_catalog_document_move_service (self->doc, self->service, to, NULL))
    kiosk_builder_window_select (self, to, self->step, self->field);
}

static void
add_step_action (GtkWidget  *widget,
                 const char *name,
                 GVariant   *param)
{
  KioskBuilderWindow *self = KIOSK_BUILDER_WINDOW (widget);
  guint at;
  g_autoptr(GError) error = NULL;

  if (self->service < 0)
    return;
  at = self->step >= 0 ? (guint) self->step + 1 : kiosk_catalog_document_get_n_steps (self->doc, self->service);
  if (kiosk_catalog_document_add_step (self->doc, self->service, at, _("New step"), &error))
    kiosk_builder_window_select (self, self->service, at, -1);
  report (self, error);
}

static char *
free_field_id (KioskBuilderWindow *self)
{
  for (guint n = 1; ; n++)
    {
      g_autofree char *id = g_strdup_printf ("field-%u", n);

      if (field_by_id (self, id) == NULL)
        return g_steal_pointer (&id);
    }
}

static void
add_field_action (GtkWidget  *widget,
                  const char *name,
                  GVariant   *param)
{
  KioskBuilderWindow *self = KIOSK_BUILDER_WINDOW (widget);
  g_autofree char *id = NULL;
  KioskFieldType type = KIOSK_FIELD_TEXT;
  guint at;
  g_autoptr(GError) error = NULL;

  if (self->service < 0)
    return;
  if (self->step < 0)
    {
      if (kiosk_catalog_document_get_n_steps (self->doc, self->service) == 0 &&
          !kiosk_catalog_document_add_step (self->doc, self->service, 0, _("New step"), &error))
        {
          report (self, error);
          return;
        }
      self->step = 0;
    }
  id = free_field_id (self);
  kiosk_field_type_from_string (field_types[gtk_drop_down_get_selected (self->new_field_type)], &type);
  at = self->field >= 0 ? (guint) self->field + 1 : kiosk_catalog_document_get_n_fields (self->doc, self->service, self->step);
  if (kiosk_catalog_document_add_field (self->doc, self->service, self->step, at, id, type, _("New question"), &error))
    kiosk_builder_window_select (self, self->service, self->step, at);
  report (self, error);
}

static void
move_field_action (GtkWidget  *widget,
                   const char *name,
                   GVariant   *param)
{
  KioskBuilderWindow *self = KIOSK_BUILDER_WINDOW (widget);
  gboolean up = g_str_equal (name, "builder.field-up");
  g_autoptr(GError) error = NULL;

  if (self->service < 0 || self->step < 0)
    return;
  if (self->field < 0)
    {
      int to = self->step + (up ? -1 : 1);

      if (to >= 0 && to < (int) kiosk_catalog_document_get_n_steps (self->doc, self->service) &&
          kiosk_catalog_document_move_step (self->doc, self->service, self->step, to, &error))
        kiosk_builder_window_select (self, self->service, to, -1);
    }
  else
    {
      int to = self->field + (up ? -1 : 1);
      int to_step = self->step;
      guint n = kiosk_catalog_document_get_n_fields (self->doc, self->service, self->step);

      /* Past the ends of a step: into the step before or after. */
      if (to < 0 && self->step > 0)
        {
          to_step = self->step - 1;
          to = kiosk_catalog_document_get_n_fields (self->doc, self->service, to_step);
        }
      else if (to >= (int) n && self->step + 1 < (int) kiosk_catalog_document_get_n_steps (self->doc, self->service))
        {
          to_step = self->step + 1;
          to = 0;
        }
      if (to < 0 || (to_step == self->step && to >= (int) n))
        return;
      if (kiosk_catalog_document_move_field (self->doc, self->service, self->step, self->field, to_step, to, &error))
        kiosk_builder_window_select (self, self->service, to_step, to);
    }
  report (self, error);
}

static void
remove_field_action (GtkWidget  *widget,
                     const char *name,
                     GVariant   *param)
{
  KioskBuilderWindow *self = KIOSK_BUILDER_WINDOW (widget);
  g_autoptr(GError) error = NULL;

  if (self->service < 0 || self->step < 0)
    return;
  if (self->field < 0)
    kiosk_catalog_document_remove_step (self->doc, self->service, self->step, &error);
  else
    kiosk_catalog_document_remove_field (self->doc, self->service, self->step, self->field, &error);
  report (self, error);
  kiosk_builder_window_select (self, self->service, self->field < 0 ? MAX (self->step - 1, 0) : self->step, -1);
}

static void
save_response_cb (AdwMessageDialog   *dialog,
                  const char         *response,
                  KioskBuilderWindow *self)
{
  g_autoptr(GError) error = NULL;

  if (!g_str_equal (response, "replace"))
    return;
  if (!kiosk_builder_window_save (self, TRUE, &error))
    show_error (self, _("Not saved"), error->message);
}

static void
save_action (GtkWidget  *widget,
             const char *name,
             GVariant   *param)
{
  KioskBuilderWindow *self = KIOSK_BUILDER_WINDOW (widget);
  g_autoptr(GError) error = NULL;
  GtkWidget *dialog;
  g_autofree char *body = NULL;

  if (kiosk_builder_window_save (self, FALSE, &error))
    return;
  if (!g_error_matches (error, KIOSK_CATALOG_DOCUMENT_ERROR, KIOSK_CATALOG_DOCUMENT_ERROR_NEEDS_CONFIRM))
    {
      show_error (self, _("Not saved"), error->message);
      return;
    }
  if (self->path != NULL)
    body = g_strdup_printf (_("%s already holds another catalogue. The old file is kept as a backup beside it."), self->path);
  else
    body = g_strdup (_("The kiosk will offer this catalogue from now on. The catalogue in use is kept as a backup."));
  dialog = adw_message_dialog_new (GTK_WINDOW (self), self->path != NULL ? _("Replace the file?") : _("Replace the kiosk's catalogue?"), body);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog), "cancel", _("Cancel"), "replace", _("Replace"), NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "replace", ADW_RESPONSE_DESTRUCTIVE);
  g_signal_connect_object (dialog, "response", G_CALLBACK (save_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
export_response_cb (GtkNativeDialog    *chooser,
                    int                 response,
                    KioskBuilderWindow *self)
{
  g_autoptr(GFile) file = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;

  if (response == GTK_RESPONSE_ACCEPT && self->service >= 0)
    {
      file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
      path = g_file_get_path (file);
      bytes = kiosk_catalog_document_export_service (self->doc, self->service, &error);
      if (bytes != NULL && g_file_set_contents (path, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), &error))
        toast (self, _("Service exported"));
      else
        show_error (self, _("Not exported"), error->message);
    }
  g_object_unref (chooser);
}

static void
export_action (GtkWidget  *widget,
               const char *name,
               GVariant   *param)
{
  KioskBuilderWindow *self = KIOSK_BUILDER_WINDOW (widget);
  GtkFileChooserNative *chooser;
  g_autofree char *suggested = NULL;

  if (self->service < 0)
    return;
  chooser = gtk_file_chooser_native_new (_("Export service"), GTK_WINDOW (self), GTK_FILE_CHOOSER_ACTION_SAVE, NULL, NULL);
  suggested = g_strdup_printf ("%s.service.json", kiosk_catalog_document_get_service_id (self->doc, self->service));
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), suggested);
  g_signal_connect (chooser, "response", G_CALLBACK (export_response_cb), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static void
import_bytes (KioskBuilderWindow     *self,
              GBytes                 *bytes,
              const char             *source,
              KioskCatalogImportMode  mode);

static void
import_exists_response_cb (AdwMessageDialog   *dialog,
                           const char         *response,
                           KioskBuilderWindow *self)
{
  GBytes *bytes = g_object_get_data (G_OBJECT (dialog), "bytes");
  const char *source = g_object_get_data (G_OBJECT (dialog), "source");

  if (g_str_equal (response, "replace"))
    import_bytes (self, bytes, source, KIOSK_CATALOG_IMPORT_REPLACE);
  else if (g_str_equal (response, "copy"))
    import_bytes (self, bytes, source, KIOSK_CATALOG_IMPORT_COPY);
}

static void
import_bytes (KioskBuilderWindow     *self,
              GBytes                 *bytes,
              const char             *source,
              KioskCatalogImportMode  mode)
{
  g_autoptr(GError) error = NULL;
  int index = kiosk_catalog_document_import_service (self->doc, bytes, source, mode, &error);

  if (index >= 0)
    {
      kiosk_builder_window_select (self, index, 0, -1);
      toast (self, _("Service imported"));
    }
  else if (g_error_matches (error, KIOSK_CATALOG_DOCUMENT_ERROR, KIOSK_CATALOG_DOCUMENT_ERROR_EXISTS))
    {
      GtkWidget *dialog = adw_message_dialog_new (GTK_WINDOW (self), _("This service exists already"), error->message);

      adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog), "cancel", _("Cancel"),
                                        "copy", _("Import a copy"), "replace", _("Replace"), NULL);
      g_object_set_data_full (G_OBJECT (dialog), "bytes", g_bytes_ref (bytes), (GDestroyNotify) g_bytes_unref);
      g_object_set_data_full (G_OBJECT (dialog), "source", g_strdup (source), g_free);
      g_signal_connect_object (dialog, "response", G_CALLBACK (import_exists_response_cb), self, 0);
      gtk_window_present (GTK_WINDOW (dialog));
    }
  else
    show_error (self, _("Not imported"), error->message);
}

static void
import_response_cb (GtkNativeDialog    *chooser,
                    int                 response,
                    KioskBuilderWindow *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
      g_autofree char *path = g_file_get_path (file);

      kiosk_builder_window_import_file (self, path);
    }
  g_object_unref (chooser);
}

static void
import_action (GtkWidget  *widget,
               const char *name,
               GVariant   *param)
{
  KioskBuilderWindow *self = KIOSK_BUILDER_WINDOW (widget);
  GtkFileChooserNative *chooser = gtk_file_chooser_native_new (_("Import service"), GTK_WINDOW (self),
                                                               GTK_FILE_CHOOSER_ACTION_OPEN, NULL, NULL);

  g_signal_connect (chooser, "response", G_CALLBACK (import_response_cb), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static void
preview_language_cb (GtkDropDown        *dropdown,
                     GParamSpec         *pspec,
                     KioskBuilderWindow *self)
{
  guint selected = gtk_drop_down_get_selected (dropdown);

  if (selected != GTK_INVALID_LIST_POSITION && self->languages[selected] != NULL)
    kiosk_builder_preview_set_language (self->preview, self->languages[selected]);
}

/* ------------------------------------------------------------------ */
/* The object                                                          */

static void
kiosk_builder_window_dispose (GObject *object)
{
  KioskBuilderWindow *self = KIOSK_BUILDER_WINDOW (object);

  g_clear_handle_id (&self->preview_idle, g_source_remove);
  if (self->doc != NULL)
    g_signal_handlers_disconnect_by_data (self->doc, self);
  g_clear_object (&self->doc);
  g_clear_object (&self->context);

  G_OBJECT_CLASS (kiosk_builder_window_parent_class)->dispose (object);
}

static void
kiosk_builder_window_finalize (GObject *object)
{
  KioskBuilderWindow *self = KIOSK_BUILDER_WINDOW (object);

  g_free (self->path);
  g_free (self->secret_key);
  g_strfreev (self->languages);
  g_clear_pointer (&self->reuse_refs, g_ptr_array_unref);

  G_OBJECT_CLASS (kiosk_builder_window_parent_class)->finalize (object);
}

static void
kiosk_builder_window_class_init (KioskBuilderWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = kiosk_builder_window_dispose;
  object_class->finalize = kiosk_builder_window_finalize;

  gtk_widget_class_install_action (widget_class, "builder.new-service", NULL, new_service_action);
  gtk_widget_class_install_action (widget_class, "builder.copy-service", NULL, copy_service_action);
  gtk_widget_class_install_action (widget_class, "builder.remove-service", NULL, remove_service_action);
  gtk_widget_class_install_action (widget_class, "builder.service-up", NULL, move_service_action);
  gtk_widget_class_install_action (widget_class, "builder.service-down", NULL, move_service_action);
  gtk_widget_class_install_action (widget_class, "builder.add-step", NULL, add_step_action);
  gtk_widget_class_install_action (widget_class, "builder.add-field", NULL, add_field_action);
  gtk_widget_class_install_action (widget_class, "builder.field-up", NULL, move_field_action);
  gtk_widget_class_install_action (widget_class, "builder.field-down", NULL, move_field_action);
  gtk_widget_class_install_action (widget_class, "builder.remove", NULL, remove_field_action);
  gtk_widget_class_install_action (widget_class, "builder.reuse-field", NULL, reuse_field_action);
  gtk_widget_class_install_action (widget_class, "builder.save", NULL, save_action);
  gtk_widget_class_install_action (widget_class, "builder.export", NULL, export_action);
  gtk_widget_class_install_action (widget_class, "builder.import", NULL, import_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_s, GDK_CONTROL_MASK, "builder.save", NULL);
}

static GtkWidget *
action_button (const char *label,
               const char *action)
{
  GtkWidget *button = gtk_button_new_with_label (label);

  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), action);
  return button;
}

static GtkWidget *
scrolled (GtkWidget *child)
{
  GtkWidget *scroller = gtk_scrolled_window_new ();

  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scroller), GTK_POLICY_NEVER, GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scroller), child);
  gtk_widget_set_vexpand (scroller, TRUE);
  return scroller;
}

static void
kiosk_builder_window_init (KioskBuilderWindow *self)
{
  self->service = -1;
  self->step = -1;
  self->field = -1;
  self->reuse_refs = g_ptr_array_new_with_free_func (g_free);
}

static void
build_ui (KioskBuilderWindow *self)
{
  GtkWidget *header = adw_header_bar_new ();
  GtkWidget *outer = gtk_paned_new (GTK_ORIENTATION_HORIZONTAL);
  GtkWidget *inner = gtk_paned_new (GTK_ORIENTATION_HORIZONTAL);
  GtkWidget *root = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *column = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *buttons;
  GtkWidget *center = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *fields_page = gtk_paned_new (GTK_ORIENTATION_HORIZONTAL);
  GtkWidget *fields_column = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *preview_column = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *enabled_row = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *label;
  GtkWidget *save;
  g_autoptr(GtkStringList) langs = gtk_string_list_new ((const char * const *) self->languages);

  self->title = ADW_WINDOW_TITLE (adw_window_title_new (_("Service builder"), self->path != NULL ? self->path : _("the kiosk's active catalogue")));
  adw_header_bar_set_title_widget (ADW_HEADER_BAR (header), GTK_WIDGET (self->title));
  save = action_button (self->path != NULL ? _("Save") : _("Activate on this kiosk"), "builder.save");
  gtk_widget_add_css_class (save, "suggested-action");
  adw_header_bar_pack_start (ADW_HEADER_BAR (header), save);
  adw_header_bar_pack_start (ADW_HEADER_BAR (header), action_button (_("Export service…"), "builder.export"));
  adw_header_bar_pack_start (ADW_HEADER_BAR (header), action_button (_("Import service…"), "builder.import"));
  gtk_box_append (GTK_BOX (root), header);

  /* Services */
  self->services_list = GTK_LIST_BOX (gtk_list_box_new ());
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->services_list), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Services"), -1);
  g_signal_connect (self->services_list, "row-selected", G_CALLBACK (service_selected_cb), self);
  gtk_box_append (GTK_BOX (column), heading (_("Services")));
  gtk_box_append (GTK_BOX (column), scrolled (GTK_WIDGET (self->services_list)));
  buttons = gtk_flow_box_new ();
  gtk_flow_box_set_selection_mode (GTK_FLOW_BOX (buttons), GTK_SELECTION_NONE);
  gtk_flow_box_append (GTK_FLOW_BOX (buttons), action_button (_("New"), "builder.new-service"));
  gtk_flow_box_append (GTK_FLOW_BOX (buttons), action_button (_("Copy"), "builder.copy-service"));
  gtk_flow_box_append (GTK_FLOW_BOX (buttons), action_button (_("Up"), "builder.service-up"));
  gtk_flow_box_append (GTK_FLOW_BOX (buttons), action_button (_("Down"), "builder.service-down"));
  gtk_flow_box_append (GTK_FLOW_BOX (buttons), action_button (_("Remove"), "builder.remove-service"));
  gtk_box_append (GTK_BOX (column), buttons);
  self->enabled_switch = GTK_SWITCH (gtk_switch_new ());
  label = gtk_label_new (_("Offered on the kiosk"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->enabled_switch), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Offered on the kiosk"), -1);
  g_signal_connect (self->enabled_switch, "notify::active", G_CALLBACK (enabled_switched_cb), self);
  gtk_box_append (GTK_BOX (enabled_row), label);
  gtk_box_append (GTK_BOX (enabled_row), GTK_WIDGET (self->enabled_switch));
  gtk_box_append (GTK_BOX (column), enabled_row);
  gtk_widget_set_size_request (column, 240, -1);
  gtk_widget_set_margin_start (column, 6);

  /* Service page and fields page */
  self->notebook = GTK_NOTEBOOK (gtk_notebook_new ());
  self->service_box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  gtk_widget_set_margin_start (self->service_box, 12);
  gtk_widget_set_margin_end (self->service_box, 12);
  {
    GtkWidget *s = scrolled (self->service_box);

    gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (s), GTK_POLICY_AUTOMATIC, GTK_POLICY_AUTOMATIC);
    gtk_notebook_append_page (self->notebook, s, gtk_label_new (_("Service")));
  }

  self->fields_list = GTK_LIST_BOX (gtk_list_box_new ());
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->fields_list), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Steps and fields"), -1);
  g_signal_connect (self->fields_list, "row-selected", G_CALLBACK (field_selected_cb), self);
  gtk_box_append (GTK_BOX (fields_column), scrolled (GTK_WIDGET (self->fields_list)));
  self->new_field_type = GTK_DROP_DOWN (gtk_drop_down_new_from_strings (field_types));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->new_field_type), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Type of the new field"), -1);
  buttons = gtk_flow_box_new ();
  gtk_flow_box_set_selection_mode (GTK_FLOW_BOX (buttons), GTK_SELECTION_NONE);
  gtk_flow_box_append (GTK_FLOW_BOX (buttons), GTK_WIDGET (self->new_field_type));
  gtk_flow_box_append (GTK_FLOW_BOX (buttons), action_button (_("Add field"), "builder.add-field"));
  gtk_flow_box_append (GTK_FLOW_BOX (buttons), action_button (_("Add step"), "builder.add-step"));
  gtk_flow_box_append (GTK_FLOW_BOX (buttons), action_button (_("Up"), "builder.field-up"));
  gtk_flow_box_append (GTK_FLOW_BOX (buttons), action_button (_("Down"), "builder.field-down"));
  gtk_flow_box_append (GTK_FLOW_BOX (buttons), action_button (_("Remove"), "builder.remove"));
  gtk_box_append (GTK_BOX (fields_column), buttons);
  self->reuse_field = GTK_DROP_DOWN (gtk_drop_down_new (NULL, NULL));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->reuse_field), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Field to reuse"), -1);
  gtk_box_append (GTK_BOX (fields_column), GTK_WIDGET (self->reuse_field));
  gtk_box_append (GTK_BOX (fields_column), action_button (_("Reuse field"), "builder.reuse-field"));
  gtk_widget_set_size_request (fields_column, 220, -1);
  self->field_box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  gtk_widget_set_margin_start (self->field_box, 12);
  gtk_widget_set_margin_end (self->field_box, 12);
  gtk_paned_set_start_child (GTK_PANED (fields_page), fields_column);
  {
    GtkWidget *s = scrolled (self->field_box);

    /* Wide text grids scroll sideways rather than push the preview away. */
    gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (s), GTK_POLICY_AUTOMATIC, GTK_POLICY_AUTOMATIC);
    gtk_paned_set_end_child (GTK_PANED (fields_page), s);
  }
  gtk_paned_set_shrink_start_child (GTK_PANED (fields_page), FALSE);
  gtk_notebook_append_page (self->notebook, fields_page, gtk_label_new (_("Steps and fields")));
  gtk_widget_set_vexpand (GTK_WIDGET (self->notebook), TRUE);
  gtk_box_append (GTK_BOX (center), GTK_WIDGET (self->notebook));

  /* Problems */
  self->problems_label = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_xalign (self->problems_label, 0);
  gtk_label_set_wrap (self->problems_label, TRUE);
  gtk_widget_add_css_class (GTK_WIDGET (self->problems_label), "heading");
  gtk_box_append (GTK_BOX (center), GTK_WIDGET (self->problems_label));
  self->problems_list = GTK_LIST_BOX (gtk_list_box_new ());
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->problems_list), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Problems"), -1);
  gtk_list_box_set_activate_on_single_click (self->problems_list, TRUE);
  g_signal_connect_swapped (self->problems_list, "row-activated", G_CALLBACK (problem_activated_cb), self);
  {
    GtkWidget *s = scrolled (GTK_WIDGET (self->problems_list));

    gtk_widget_set_vexpand (s, FALSE);
    gtk_scrolled_window_set_min_content_height (GTK_SCROLLED_WINDOW (s), 120);
    gtk_box_append (GTK_BOX (center), s);
  }

  /* Preview */
  gtk_box_append (GTK_BOX (preview_column), heading (_("Preview, as the citizen sees it")));
  self->preview_language = GTK_DROP_DOWN (gtk_drop_down_new (G_LIST_MODEL (g_object_ref (langs)), NULL));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->preview_language), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Preview language"), -1);
  g_signal_connect (self->preview_language, "notify::selected", G_CALLBACK (preview_language_cb), self);
  gtk_box_append (GTK_BOX (preview_column), GTK_WIDGET (self->preview_language));
  self->preview = KIOSK_BUILDER_PREVIEW (kiosk_builder_preview_new (self->context));
  gtk_widget_set_vexpand (GTK_WIDGET (self->preview), TRUE);
  gtk_box_append (GTK_BOX (preview_column), GTK_WIDGET (self->preview));
  gtk_widget_set_size_request (preview_column, 380, -1);
  gtk_widget_set_margin_end (preview_column, 12);
  gtk_widget_set_margin_bottom (preview_column, 12);

  gtk_paned_set_start_child (GTK_PANED (inner), center);
  gtk_paned_set_end_child (GTK_PANED (inner), preview_column);
  gtk_paned_set_shrink_end_child (GTK_PANED (inner), FALSE);
  gtk_paned_set_start_child (GTK_PANED (outer), column);
  gtk_paned_set_end_child (GTK_PANED (outer), inner);
  gtk_paned_set_shrink_start_child (GTK_PANED (outer), FALSE);
  gtk_paned_set_position (GTK_PANED (outer), 260);
  gtk_paned_set_position (GTK_PANED (inner), 860);
  gtk_paned_set_position (GTK_PANED (fields_page), 240);
  gtk_widget_set_vexpand (outer, TRUE);
  gtk_box_append (GTK_BOX (root), outer);

  self->toasts = ADW_TOAST_OVERLAY (adw_toast_overlay_new ());
  adw_toast_overlay_set_child (self->toasts, root);
  adw_application_window_set_content (ADW_APPLICATION_WINDOW (self), GTK_WIDGET (self->toasts));
  gtk_window_set_default_size (GTK_WINDOW (self), 1600, 960);
}

/**
 * kiosk_builder_window_new:
 * @document: the catalogue to edit
 * @path: (nullable): the file it is saved to; %NULL: it is the kiosk's
 *   active catalogue, and "save" activates it (with a confirmation)
 * @secret_key: (nullable): a catalogue signing key: saving then also
 *   writes PATH.bundle
 */
KioskBuilderWindow *
kiosk_builder_window_new (GtkApplication       *app,
                          KioskContext         *context,
                          KioskCatalogDocument *document,
                          const char           *path,
                          const char           *secret_key)
{
  KioskBuilderWindow *self;
  g_auto(GStrv) found = NULL;
  g_autoptr(GPtrArray) langs = g_ptr_array_new_with_free_func (g_free);

  g_return_val_if_fail (KIOSK_IS_CONTEXT (context), NULL);
  g_return_val_if_fail (KIOSK_IS_CATALOG_DOCUMENT (document), NULL);

  self = g_object_new (KIOSK_TYPE_BUILDER_WINDOW, "application", app, NULL);
  self->context = g_object_ref (context);
  self->doc = g_object_ref (document);
  self->path = g_strdup (path);
  self->secret_key = g_strdup (secret_key);

  /* The columns: the catalogue's languages and the kiosk's, German first. */
  found = kiosk_catalog_document_dup_languages (document);
  for (guint i = 0; found[i] != NULL; i++)
    g_ptr_array_add (langs, g_strdup (found[i]));
  for (const char * const *l = kiosk_config_get_languages (kiosk_context_get_config (context)); l != NULL && *l != NULL; l++)
    if (!g_ptr_array_find_with_equal_func (langs, *l, g_str_equal, NULL))
      g_ptr_array_add (langs, g_strdup (*l));
  g_ptr_array_add (langs, NULL);
  self->languages = (GStrv) g_ptr_array_steal (langs, NULL);

  build_ui (self);
  g_signal_connect_swapped (self->doc, "changed", G_CALLBACK (document_changed_cb), self);
  if (kiosk_catalog_document_get_n_services (document) > 0)
    self->service = 0, self->step = kiosk_catalog_document_get_n_steps (document, 0) > 0 ? 0 : -1;
  rebuild_all (self);
  return self;
}

KioskCatalogDocument *
kiosk_builder_window_get_document (KioskBuilderWindow *self)
{
  g_return_val_if_fail (KIOSK_IS_BUILDER_WINDOW (self), NULL);
  return self->doc;
}

KioskBuilderPreview *
kiosk_builder_window_get_preview (KioskBuilderWindow *self)
{
  g_return_val_if_fail (KIOSK_IS_BUILDER_WINDOW (self), NULL);
  return self->preview;
}

GtkListBox *
kiosk_builder_window_get_problems_list (KioskBuilderWindow *self)
{
  g_return_val_if_fail (KIOSK_IS_BUILDER_WINDOW (self), NULL);
  return self->problems_list;
}

int
kiosk_builder_window_get_service (KioskBuilderWindow *self)
{
  g_return_val_if_fail (KIOSK_IS_BUILDER_WINDOW (self), -1);
  return self->service;
}

/**
 * kiosk_builder_window_select:
 * @step: the step, or -1 for the service's page
 * @field: the field in @step, or -1 for the step itself
 *
 * Shows a service, and a step or field of it on the fields page.
 */
void
kiosk_builder_window_select (KioskBuilderWindow *self,
                             int                 service,
                             int                 step,
                             int                 field)
{
  g_return_if_fail (KIOSK_IS_BUILDER_WINDOW (self));

  self->service = service;
  self->step = step;
  self->field = field;
  if (service >= 0 && step >= (int) kiosk_catalog_document_get_n_steps (self->doc, service))
    self->step = -1, self->field = -1;
  fill_services (self);
  rebuild_editor (self);
  fill_problems (self);
  if (step >= 0)
    gtk_notebook_set_current_page (self->notebook, 1);
  else
    gtk_notebook_set_current_page (self->notebook, 0);
  schedule_preview (self);
}

/* Rebuilds every widget from the document (after changes made to it
 * directly, as tests do). */
void
kiosk_builder_window_refresh (KioskBuilderWindow *self)
{
  g_return_if_fail (KIOSK_IS_BUILDER_WINDOW (self));

  rebuild_all (self);
  g_clear_handle_id (&self->preview_idle, g_source_remove);
  preview_idle_cb (self);
}

/**
 * kiosk_builder_window_save:
 * @confirmed: replacing another file or the active catalogue is wanted
 *
 * Saves to the file (and a signed PATH.bundle when a key is at hand), or
 * activates the catalogue on this kiosk when it came from there.
 */
gboolean
kiosk_builder_window_save (KioskBuilderWindow  *self,
                           gboolean             confirmed,
                           GError             **error)
{
  KioskCatalogSaveFlags flags = confirmed ? KIOSK_CATALOG_SAVE_CONFIRMED : KIOSK_CATALOG_SAVE_NONE;
  g_autofree char *backup = NULL;
  g_autofree char *message = NULL;

  g_return_val_if_fail (KIOSK_IS_BUILDER_WINDOW (self), FALSE);

  if (self->path != NULL)
    {
      if (!kiosk_catalog_document_save (self->doc, self->path, flags, &backup, error))
        return FALSE;
      if (self->secret_key != NULL)
        {
          g_autofree char *bundle = g_strconcat (self->path, ".bundle", NULL);

          if (!kiosk_catalog_document_save_bundle (self->doc, bundle, self->secret_key, KIOSK_CATALOG_SAVE_CONFIRMED, NULL, error))
            return FALSE;
        }
    }
  else
    {
      g_autofree char *dir = g_build_filename (kiosk_config_get_state_dir (kiosk_context_get_config (self->context)),
                                               "catalog-backups", NULL);

      if (!kiosk_catalog_document_activate (self->doc, kiosk_context_get_store (self->context), flags, dir, &backup, error))
        return FALSE;
    }
  if (backup != NULL)
    message = g_strdup_printf (_("Saved. The previous version is kept as %s."), backup);
  else
    message = g_strdup (_("Saved."));
  toast (self, message);
  return TRUE;
}

/**
 * kiosk_builder_window_import_file:
 * @path: an exported service file
 *
 * What "Import service…" does with the chosen file: imports it, or asks
 * "replace or copy?" when the id exists, or shows why it was refused.
 */
void
kiosk_builder_window_import_file (KioskBuilderWindow *self,
                                  const char         *path)
{
  g_autoptr(GError) error = NULL;
  char *contents = NULL;
  gsize len = 0;

  g_return_if_fail (KIOSK_IS_BUILDER_WINDOW (self));
  g_return_if_fail (path != NULL);

  if (kiosk_file_read_bounded (path, KIOSK_FILE_MAX_CATALOG, &contents, &len, &error))
    {
      g_autoptr(GBytes) bytes = g_bytes_new_take (contents, len);

      import_bytes (self, bytes, path, KIOSK_CATALOG_IMPORT_NEW);
    }
  else
    show_error (self, _("Not imported"), error->message);
}

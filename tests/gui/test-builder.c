/* test-builder.c: the service builder, under Xvfb (#20)
 *
 * Builds a service of three steps with a choice, a condition and a
 * pattern, answers it in the preview (the kiosk's field rows on a
 * KioskSession), saves it, and has the kiosk's loader, `stadtkioskctl
 * catalog validate` and a KioskSession that sends it accept the file.
 *
 * BUILDER_SCREENSHOT_DIR=DIR leaves a picture of the window for the docs.
 *
 * SPDX-FileCopyrightText: 2026 Stadtkiosk contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>
#include <locale.h>
#include <string.h>

#include "kiosk-admin-page.h"
#include "kiosk-builder-window.h"
#include "kiosk-staff-session.h"
#include "kiosk-field-row.h"
#include "kiosk-form-page.h"
#include "kiosk-window-private.h"
#include "kiosk-gui-test-util.h"
#include "kiosk-session.h"
#include "kiosk-test-util.h"

#define flush kiosk_gui_test_flush

typedef struct
{
  char                 *dir;
  char                 *path;
  KioskClock           *clock;
  KioskContext         *context;
  KioskCatalogDocument *doc;
  KioskBuilderWindow   *window;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KioskConfig) config = kiosk_config_new_default ();
  g_autofree char *demo = g_build_filename (g_getenv ("G_TEST_SRCDIR"), "..", "data", "catalog", "demo.json", NULL);
  char *contents = NULL;
  gsize len = 0;

  f->dir = g_dir_make_tmp ("stadtkiosk-builder-XXXXXX", &error);
  g_assert_no_error (error);
  kiosk_config_set_state_dir (config, f->dir);
  f->clock = kiosk_clock_new_fake (G_GINT64_CONSTANT (1790000000) * G_USEC_PER_SEC);
  f->context = kiosk_context_new (config, f->clock, &error);
  g_assert_no_error (error);
  f->path = g_build_filename (f->dir, "catalog.json", NULL);
  g_assert_true (g_file_get_contents (demo, &contents, &len, NULL));
  g_assert_true (g_file_set_contents (f->path, contents, len, NULL));
  g_free (contents);
  f->doc = kiosk_catalog_document_new_from_file (f->path, &error);
  g_assert_no_error (error);
  f->window = kiosk_builder_window_new (NULL, f->context, f->doc, f->path, NULL);
  gtk_window_set_default_size (GTK_WINDOW (f->window), 1600, 960);
  gtk_window_present (GTK_WINDOW (f->window));
  flush ();
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  gtk_window_destroy (GTK_WINDOW (f->window));
  flush ();
  g_clear_object (&f->doc);
  g_clear_object (&f->context);
  g_clear_object (&f->clock);
  kiosk_test_rm_rf (f->dir);
  g_free (f->dir);
  g_free (f->path);
}

/* The text entry the builder made for @member in @lang. */
static GtkWidget *
find_text_entry (GtkWidget  *widget,
                 const char *member,
                 const char *lang)
{
  if (GTK_IS_ENTRY (widget) && g_strcmp0 (g_object_get_data (G_OBJECT (widget), "member"), member) == 0 &&
      g_strcmp0 (g_object_get_data (G_OBJECT (widget), "lang"), lang) == 0)
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_text_entry (child, member, lang);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static GtkWidget *
find_label_prefix (GtkWidget  *widget,
                   const char *prefix)
{
  if (GTK_IS_LABEL (widget) && g_str_has_prefix (gtk_label_get_text (GTK_LABEL (widget)), prefix))
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_label_prefix (child, prefix);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static GtkWidget *
find_named (GtkWidget  *widget,
            const char *name)
{
  if (g_strcmp0 (gtk_widget_get_name (widget), name) == 0)
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_named (child, name);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* The category's title grid, once the editor was rebuilt. */
static GtkWidget *
find_category_entry (GtkWidget *widget)
{
  if (GTK_IS_ENTRY (widget) && g_str_has_prefix (g_object_get_data (G_OBJECT (widget), "pointer") ?: "", "/categories/"))
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_category_entry (child);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static gboolean
category_title_shown (gpointer data)
{
  GtkWidget *entry = find_category_entry (data);

  return entry != NULL && g_strcmp0 (gtk_editable_get_text (GTK_EDITABLE (entry)), "neighbourhood") == 0;
}

static KioskFieldRow *
preview_row (Fixture    *f,
             const char *id)
{
  GPtrArray *rows = kiosk_builder_preview_get_rows (kiosk_builder_window_get_preview (f->window));

  for (guint i = 0; i < rows->len; i++)
    if (g_str_equal (kiosk_field_get_id (kiosk_field_row_get_field (rows->pdata[i])), id))
      return rows->pdata[i];
  return NULL;
}

static gboolean
problems_empty (gpointer data)
{
  return gtk_list_box_get_row_at_index (GTK_LIST_BOX (data), 0) == NULL;
}

static void
shoot (GtkWidget  *window,
       const char *name)
{
  const char *dir = g_getenv ("BUILDER_SCREENSHOT_DIR");
  g_autoptr(GdkPaintable) paintable = NULL;
  g_autoptr(GtkSnapshot) snapshot = NULL;
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree char *path = NULL;
  int w, h;

  if (dir == NULL)
    return;
  kiosk_gui_test_settle (window);
  path = g_strdup_printf ("%s/%s.png", dir, name);
  snapshot = gtk_snapshot_new ();
  w = gtk_widget_get_width (window);
  h = gtk_widget_get_height (window);
  paintable = gtk_widget_paintable_new (window);
  gdk_paintable_snapshot (paintable, snapshot, w, h);
  node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
  texture = gsk_renderer_render_texture (gtk_native_get_renderer (GTK_NATIVE (window)), node,
                                         &GRAPHENE_RECT_INIT (0, 0, w, h));
  g_assert_true (gdk_texture_save_to_png (texture, path));
}

static void
set_member (Fixture    *f,
            const char *pointer,
            const char *name,
            JsonNode   *value)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (kiosk_catalog_document_set_member (f->doc, pointer, name, value, &error));
  g_assert_no_error (error);
  json_node_unref (value);
}

static void
test_build_preview_save (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  GtkWidget *entry;
  int s;
  g_autofree char *sp = NULL;
  g_autofree char *detail = NULL;
  GtkListBox *problems;
  GtkListBoxRow *row;
  KioskFieldRow *kind_row;
  KioskFieldRow *detail_row;
  g_autoptr(KioskCatalog) saved = NULL;

  /* A new service, from the "New" button's action. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "builder.new-service", NULL));
  s = kiosk_builder_window_get_service (f->window);
  g_assert_cmpint (s, ==, (int) kiosk_catalog_document_get_n_services (f->doc) - 1);
  g_assert_cmpstr (kiosk_catalog_document_get_service_id (f->doc, s), ==, "new-service");
  sp = g_strdup_printf ("/services/%d", s);

  /* Texts side by side: typing the English title sets it; Turkish is marked missing. */
  kiosk_builder_window_select (f->window, s, -1, -1);
  entry = find_text_entry (GTK_WIDGET (f->window), "title", "en");
  g_assert_nonnull (entry);
  gtk_editable_set_text (GTK_EDITABLE (entry), "Street party");
  g_assert_cmpstr (kiosk_catalog_document_get_text (f->doc, sp, "title", "en"), ==, "Street party");
  g_assert_true (gtk_widget_has_css_class (find_text_entry (GTK_WIDGET (f->window), "title", "tr"), "warning"));
  entry = find_text_entry (GTK_WIDGET (f->window), "title", "de");
  gtk_editable_set_text (GTK_EDITABLE (entry), "Straßenfest anmelden");

  /* A category of its own, from the Service tab. */
  {
    GtkWidget *add = find_named (GTK_WIDGET (f->window), "new-category");

    gtk_editable_set_text (GTK_EDITABLE (g_object_get_data (G_OBJECT (add), "entry")), "neighbourhood");
    g_signal_emit_by_name (add, "clicked");
    g_assert_cmpint (kiosk_catalog_document_find_category (f->doc, "neighbourhood"), >=, 0);
    g_assert_cmpstr (json_object_get_string_member (json_node_get_object (kiosk_catalog_document_lookup (f->doc, sp)), "category"),
                     ==, "neighbourhood");
    g_assert_true (kiosk_gui_test_wait_for (category_title_shown, f->window));
    /* Its German title, typed in the category's row. */
    gtk_editable_set_text (GTK_EDITABLE (find_category_entry (GTK_WIDGET (f->window))), "Nachbarschaft");
    g_assert_cmpstr (kiosk_catalog_document_get_text (f->doc, "/categories/7", "title", "de"), ==, "Nachbarschaft");
  }

  /* "The receipt prints the answers" is on by default: off writes false, on removes it. */
  {
    GtkWidget *label = kiosk_gui_test_find_label (GTK_WIDGET (f->window), _("The receipt prints the answers"));
    GtkCheckButton *check = GTK_CHECK_BUTTON (gtk_widget_get_ancestor (label, GTK_TYPE_CHECK_BUTTON));
    g_autofree char *member = g_strdup_printf ("%s/receipt_shows_answers", sp);

    g_assert_true (gtk_check_button_get_active (check));
    gtk_check_button_set_active (check, FALSE);
    g_assert_false (json_node_get_boolean (kiosk_catalog_document_lookup (f->doc, member)));
    gtk_check_button_set_active (check, TRUE);
    g_assert_null (kiosk_catalog_document_lookup (f->doc, member));
  }

  /* Three steps, from the "Add step" action. */
  kiosk_builder_window_select (f->window, s, 0, -1);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "builder.add-step", NULL));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "builder.add-step", NULL));
  g_assert_cmpuint (kiosk_catalog_document_get_n_steps (f->doc, s), ==, 3);
  /* An empty step is a problem the list shows. */
  g_assert_false (kiosk_catalog_document_is_valid (f->doc));
  problems = kiosk_builder_window_get_problems_list (f->window);
  g_assert_nonnull (gtk_list_box_get_row_at_index (problems, 0));

  /* Step 1: a choice and a text that shows only for one option, with a pattern. */
  g_assert_true (kiosk_catalog_document_add_field (f->doc, s, 0, 1, "kind", KIOSK_FIELD_CHOICE, "Art des Festes", &error));
  {
    g_autofree char *kind = kiosk_catalog_document_field_pointer (s, 0, 1);

    g_assert_true (kiosk_catalog_document_set_text (f->doc, kind, "label", "en", "Kind of party", &error));
  }
  g_assert_true (kiosk_catalog_document_add_field (f->doc, s, 0, 2, "postcode", KIOSK_FIELD_TEXT, "Postleitzahl", &error));
  detail = kiosk_catalog_document_field_pointer (s, 0, 2);
  set_member (f, detail, "pattern", json_node_init_string (json_node_alloc (), "[0-9]{5}"));
  set_member (f, detail, "required", json_node_init_boolean (json_node_alloc (), TRUE));
  {
    g_autoptr(JsonNode) value = json_node_init_string (json_node_alloc (), "option-2");

    g_assert_true (kiosk_catalog_document_set_condition (f->doc, s, 0, 2, "kind", "equals", value, &error));
  }
  /* Step 2 and 3: a note and a consent. */
  g_assert_true (kiosk_catalog_document_add_field (f->doc, s, 1, 0, "note", KIOSK_FIELD_TEXTAREA, "Anmerkung", &error));
  g_assert_true (kiosk_catalog_document_add_field (f->doc, s, 2, 0, "agree", KIOSK_FIELD_CONSENT, "Ich bin einverstanden", &error));
  g_assert_no_error (error);

  /* The pattern has no message: a problem; its row jumps to the field. */
  g_assert_false (kiosk_catalog_document_is_valid (f->doc));
  kiosk_builder_window_select (f->window, 0, -1, -1);
  row = gtk_list_box_get_row_at_index (problems, 0);
  g_assert_nonnull (row);
  g_assert_null (gtk_list_box_get_row_at_index (problems, 1));
  g_signal_emit_by_name (problems, "row-activated", row);
  g_assert_cmpint (kiosk_builder_window_get_service (f->window), ==, s);
  entry = find_text_entry (GTK_WIDGET (f->window), "pattern_message", "de");
  g_assert_nonnull (entry);
  /* Nothing invalid leaves the builder. */
  g_assert_false (kiosk_builder_window_save (f->window, TRUE, &error));
  g_assert_error (error, KIOSK_CATALOG_DOCUMENT_ERROR, KIOSK_CATALOG_DOCUMENT_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "pattern_message"));
  g_clear_error (&error);
  gtk_editable_set_text (GTK_EDITABLE (entry), "Bitte fünf Ziffern.");
  g_assert_true (kiosk_catalog_document_is_valid (f->doc));
  /* The list follows when the typing pauses. */
  g_assert_true (kiosk_gui_test_wait_for (problems_empty, problems));

  /* The condition's pickers: the options of "kind" to pick from, then "Set condition". */
  kiosk_builder_window_select (f->window, s, 0, 2);
  {
    GtkWidget *apply = find_named (GTK_WIDGET (f->window), "condition-apply");
    GtkWidget *box = gtk_widget_get_parent (apply);
    GtkWidget *field_picker = gtk_widget_get_first_child (box);
    GtkWidget *op_picker = gtk_widget_get_next_sibling (field_picker);
    GtkWidget *option_picker = gtk_widget_get_next_sibling (op_picker);
    GtkWidget *value = gtk_widget_get_next_sibling (option_picker);
    JsonObject *condition;

    g_assert_true (gtk_widget_get_visible (option_picker));
    g_assert_cmpuint (g_list_model_get_n_items (gtk_drop_down_get_model (GTK_DROP_DOWN (option_picker))), ==, 2);
    /* Earlier fields only: (always shown), description, kind. */
    g_assert_cmpuint (g_list_model_get_n_items (gtk_drop_down_get_model (GTK_DROP_DOWN (field_picker))), ==, 3);
    gtk_drop_down_set_selected (GTK_DROP_DOWN (option_picker), 0);
    g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (value)), ==, "option-1");
    g_signal_emit_by_name (apply, "clicked");
    condition = json_object_get_object_member (kiosk_catalog_document_get_field (f->doc, s, 0, 2), "visible_if");
    g_assert_cmpstr (json_object_get_string_member (condition, "equals"), ==, "option-1");
    gtk_drop_down_set_selected (GTK_DROP_DOWN (option_picker), 1);
    g_signal_emit_by_name (apply, "clicked");
    condition = json_object_get_object_member (kiosk_catalog_document_get_field (f->doc, s, 0, 2), "visible_if");
    g_assert_cmpstr (json_object_get_string_member (condition, "equals"), ==, "option-2");
  }

  /* The preview: the kiosk's rows, conditions reacting. */
  kiosk_builder_window_refresh (f->window);
  kind_row = preview_row (f, "kind");
  detail_row = preview_row (f, "postcode");
  g_assert_nonnull (kind_row);
  g_assert_nonnull (detail_row);
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (detail_row)));
  gtk_check_button_set_active (kiosk_gui_test_find_option (GTK_WIDGET (kind_row), "option-2"), TRUE);
  flush ();
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (detail_row)));
  /* The kiosk's keyboard comes up for a text field and types into it. */
  gtk_widget_grab_focus (kiosk_field_row_get_focus_target (detail_row));
  flush ();
  g_assert_nonnull (kiosk_builder_preview_get_keyboard (kiosk_builder_window_get_preview (f->window)));
  g_assert_true (kiosk_keyboard_press (kiosk_builder_preview_get_keyboard (kiosk_builder_window_get_preview (f->window)), "3"));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (kiosk_field_row_get_input (detail_row))), ==, "3");
  gtk_editable_set_text (GTK_EDITABLE (kiosk_field_row_get_input (detail_row)), "311");
  g_assert_false (kiosk_builder_preview_next (kiosk_builder_window_get_preview (f->window)));
  g_assert_cmpstr (kiosk_field_row_get_error (detail_row), ==, "Bitte fünf Ziffern.");
  gtk_editable_set_text (GTK_EDITABLE (kiosk_field_row_get_input (detail_row)), "31134");
  g_assert_null (kiosk_field_row_get_error (detail_row));
  shoot (GTK_WIDGET (f->window), "builder");

  /* The preview's language. */
  kiosk_builder_preview_set_language (kiosk_builder_window_get_preview (f->window), "en");
  g_assert_nonnull (find_label_prefix (GTK_WIDGET (kiosk_builder_window_get_preview (f->window)), "Kind of party"));
  g_assert_null (find_label_prefix (GTK_WIDGET (kiosk_builder_window_get_preview (f->window)), "Art des Festes"));
  /* The kiosk's own words too, as the citizen reads them in English. */
  g_assert_nonnull (find_label_prefix (GTK_WIDGET (kiosk_builder_window_get_preview (f->window)), "Kind of party (optional)"));
  g_assert_nonnull (find_label_prefix (GTK_WIDGET (kiosk_builder_window_get_preview (f->window)), "Step 1 of 3"));
  kiosk_builder_preview_set_language (kiosk_builder_window_get_preview (f->window), "de");

  g_assert_true (kiosk_builder_preview_next (kiosk_builder_window_get_preview (f->window)));
  g_assert_nonnull (preview_row (f, "note"));

  /* Reuse a field of another service, then take it out again. */
  kiosk_builder_window_select (f->window, s, 1, 0);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "builder.reuse-field", NULL));
  g_assert_cmpuint (kiosk_catalog_document_get_n_fields (f->doc, s, 1), ==, 2);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "builder.remove", NULL));
  g_assert_cmpuint (kiosk_catalog_document_get_n_fields (f->doc, s, 1), ==, 1);
  g_assert_true (kiosk_catalog_document_is_valid (f->doc));

  /* The kiosk's large text in the preview. */
  {
    GtkWidget *label = kiosk_gui_test_find_label (GTK_WIDGET (kiosk_builder_window_get_preview (f->window)), _("Large text"));

    g_assert_nonnull (label);
    gtk_check_button_set_active (GTK_CHECK_BUTTON (gtk_widget_get_ancestor (label, GTK_TYPE_CHECK_BUTTON)), TRUE);
  }
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (kiosk_builder_window_get_preview (f->window)), "kiosk-large-text"));

  /* Save: the file exists and differs, so only with a confirmation, and a backup. */
  g_assert_false (kiosk_builder_window_save (f->window, FALSE, &error));
  g_assert_error (error, KIOSK_CATALOG_DOCUMENT_ERROR, KIOSK_CATALOG_DOCUMENT_ERROR_NEEDS_CONFIRM);
  g_clear_error (&error);
  g_assert_true (kiosk_builder_window_save (f->window, TRUE, &error));
  g_assert_no_error (error);
  {
    g_autofree char *backup = g_strconcat (f->path, ".bak", NULL);

    g_assert_true (g_file_test (backup, G_FILE_TEST_EXISTS));
  }

  /* The kiosk's loader accepts it... */
  saved = kiosk_catalog_new_from_file (f->path, &error);
  g_assert_no_error (error);
  g_assert_nonnull (kiosk_catalog_lookup (saved, "new-service"));
  /* ...and so does `stadtkioskctl catalog validate`... */
  {
    const char *argv[] = { g_getenv ("STADTKIOSK_CTL"), "--state-dir", f->dir, "catalog", "validate", f->path, NULL };
    int status = 0;

    g_assert_nonnull (argv[0]);
    g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_STDOUT_TO_DEV_NULL, NULL, NULL, NULL, NULL, &status, &error);
    g_assert_no_error (error);
    g_assert_true (g_spawn_check_wait_status (status, NULL));
  }
  /* ...and a kiosk session walks it to the end and stores the request. */
  {
    g_autoptr(KioskSession) session = kiosk_session_new (f->context);
    KioskForm *form;
    g_autoptr(JsonNode) kind = json_node_init_string (json_node_alloc (), "option-2");
    g_autoptr(JsonNode) postcode = json_node_init_string (json_node_alloc (), "31134");
    g_autoptr(JsonNode) agree = json_node_init_boolean (json_node_alloc (), TRUE);

    kiosk_session_set_catalog (session, saved);
    g_assert_true (kiosk_session_open_service (session, "new-service"));
    g_assert_true (kiosk_session_begin_form (session));
    form = kiosk_session_get_form (session);
    kiosk_form_set_value (form, "kind", kind);
    kiosk_form_set_value (form, "postcode", postcode);
    kiosk_form_set_value (form, "agree", agree);
    g_assert_true (kiosk_session_submit (session, &error));
    g_assert_no_error (error);
    g_assert_nonnull (kiosk_session_get_request (session));
    g_assert_cmpstr (kiosk_request_get_service_id (kiosk_session_get_request (session)), ==, "new-service");
  }
  /* ...and the kiosk itself, made the active catalogue, walks it to "sent". */
  {
    g_autoptr(GBytes) bytes = kiosk_catalog_document_to_bytes (f->doc);
    g_autoptr(GPtrArray) before = NULL;
    g_autoptr(GPtrArray) after = NULL;
    KioskWindow *kiosk;
    KioskFormPage *form_page;

    g_assert_true (kiosk_catalog_store_active (kiosk_context_get_store (f->context), bytes, f->path, NULL, &error));
    g_assert_no_error (error);
    before = kiosk_outbox_list (kiosk_context_get_outbox (f->context), -1, &error);
    kiosk = kiosk_window_new_for_context (f->context);
    gtk_window_present (GTK_WINDOW (kiosk));
    flush ();
    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (kiosk), "kiosk.start", NULL));
    g_assert_true (gtk_widget_activate_action_variant (GTK_WIDGET (kiosk), "kiosk.open-service", g_variant_new_string ("new-service")));
    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (kiosk), "kiosk.begin-form", NULL));
    flush ();
    g_assert_cmpstr (kiosk_window_get_page_name (kiosk), ==, "form");
    form_page = KIOSK_FORM_PAGE (_kiosk_window_get_page (kiosk));
    gtk_check_button_set_active (kiosk_gui_test_find_option (GTK_WIDGET (form_page), "option-2"), TRUE);
    flush ();
    gtk_editable_set_text (GTK_EDITABLE (kiosk_form_page_get_input (form_page, "postcode")), "31134");
    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (kiosk), "kiosk.next", NULL));
    flush ();
    g_assert_cmpuint (kiosk_form_page_get_step (form_page), ==, 1);
    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (kiosk), "kiosk.next", NULL));
    flush ();
    g_assert_cmpuint (kiosk_form_page_get_step (form_page), ==, 2);
    gtk_check_button_set_active (GTK_CHECK_BUTTON (kiosk_form_page_get_input (form_page, "agree")), TRUE);
    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (kiosk), "kiosk.next", NULL));
    flush ();
    g_assert_cmpstr (kiosk_window_get_page_name (kiosk), ==, "review");
    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (kiosk), "kiosk.send", NULL));
    flush ();
    g_assert_cmpstr (kiosk_window_get_page_name (kiosk), ==, "done");
    after = kiosk_outbox_list (kiosk_context_get_outbox (f->context), -1, &error);
    g_assert_cmpuint (after->len, ==, before->len + 1);
    gtk_window_destroy (GTK_WINDOW (kiosk));
    flush ();
  }
}

/* The admin page opens the builder on the active catalogue. */
static void
test_from_admin_page (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(KioskStaffSession) session = kiosk_staff_session_new (f->context);
  GtkWidget *window = gtk_window_new ();
  GtkWidget *page = kiosk_admin_page_new (session);
  GtkWidget *button;
  GListModel *toplevels;
  KioskBuilderWindow *builder = NULL;

  gtk_window_set_child (GTK_WINDOW (window), page);
  gtk_window_present (GTK_WINDOW (window));
  flush ();
  button = kiosk_gui_test_find_label (page, _("Service builder"));
  g_assert_nonnull (button);
  if (!GTK_IS_BUTTON (button))
    button = gtk_widget_get_ancestor (button, GTK_TYPE_BUTTON);
  g_signal_emit_by_name (button, "clicked");
  flush ();
  toplevels = gtk_window_get_toplevels ();
  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) w = g_list_model_get_item (toplevels, i);

      if (KIOSK_IS_BUILDER_WINDOW (w) && w != G_OBJECT (f->window))
        builder = KIOSK_BUILDER_WINDOW (w);
    }
  g_assert_nonnull (builder);
  /* Nothing imported yet: the active catalogue is the bundled demo. */
  g_assert_cmpint (kiosk_catalog_document_find_service (kiosk_builder_window_get_document (builder), "bulky-waste"), >=, 0);
  g_assert_cmpstr (kiosk_catalog_document_get_source (kiosk_builder_window_get_document (builder)), ==, "active catalogue");
  /* Saving there is activating, and asks first. */
  {
    g_autoptr(GError) error = NULL;

    g_assert_false (kiosk_builder_window_save (builder, FALSE, &error));
    g_assert_error (error, KIOSK_CATALOG_DOCUMENT_ERROR, KIOSK_CATALOG_DOCUMENT_ERROR_NEEDS_CONFIRM);
  }
  gtk_window_destroy (GTK_WINDOW (builder));
  gtk_window_destroy (GTK_WINDOW (window));
  flush ();
}

static AdwMessageDialog *
find_dialog (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) w = g_list_model_get_item (toplevels, i);

      if (ADW_IS_MESSAGE_DIALOG (w) && gtk_widget_get_visible (GTK_WIDGET (w)))
        return ADW_MESSAGE_DIALOG (w);
    }
  return NULL;
}

/* "Import service…" with a file: an id that exists asks replace or copy;
 * a tampered file is refused with what and where, and nothing changes. */
static void
test_import_asks (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) exported = NULL;
  g_autofree char *file = g_build_filename (f->dir, "bulky-waste.service.json", NULL);
  g_autofree char *tampered = g_build_filename (f->dir, "tampered.service.json", NULL);
  guint n = kiosk_catalog_document_get_n_services (f->doc);
  AdwMessageDialog *dialog;
  g_autofree char *text = NULL;

  exported = kiosk_catalog_document_export_service (f->doc, kiosk_catalog_document_find_service (f->doc, "bulky-waste"), &error);
  g_assert_no_error (error);
  g_assert_true (g_file_set_contents (file, g_bytes_get_data (exported, NULL), g_bytes_get_size (exported), NULL));

  kiosk_builder_window_import_file (f->window, file);
  flush ();
  dialog = find_dialog ();
  g_assert_nonnull (dialog);
  g_assert_true (adw_message_dialog_has_response (dialog, "replace"));
  g_assert_true (adw_message_dialog_has_response (dialog, "copy"));
  adw_message_dialog_response (dialog, "copy");
  flush ();
  g_assert_cmpuint (kiosk_catalog_document_get_n_services (f->doc), ==, n + 1);
  g_assert_cmpstr (kiosk_catalog_document_get_service_id (f->doc, n), ==, "bulky-waste-2");
  g_assert_cmpint (kiosk_builder_window_get_service (f->window), ==, (int) n);

  /* A changed file: refused, with the file and the place in the message. */
  text = g_strdup (g_bytes_get_data (exported, NULL));
  strstr (text, "Sperrm")[5] = 'n';
  g_assert_true (g_file_set_contents (tampered, text, -1, NULL));
  while ((dialog = find_dialog ()) != NULL)
    gtk_window_destroy (GTK_WINDOW (dialog));
  kiosk_builder_window_import_file (f->window, tampered);
  flush ();
  dialog = find_dialog ();
  g_assert_nonnull (dialog);
  g_assert_nonnull (strstr (adw_message_dialog_get_body (dialog), "/service: does not match its checksum"));
  g_assert_nonnull (strstr (adw_message_dialog_get_body (dialog), "tampered.service.json"));
  g_assert_cmpuint (kiosk_catalog_document_get_n_services (f->doc), ==, n + 1);
  gtk_window_destroy (GTK_WINDOW (dialog));
  flush ();
}

int
main (int    argc,
      char **argv)
{
  setlocale (LC_ALL, "C.UTF-8");
  g_setenv ("LANGUAGE", "de", TRUE);
  bindtextdomain (GETTEXT_PACKAGE, g_getenv ("STADTKIOSK_LOCALEDIR"));
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  kiosk_gui_test_init_display ();

  g_test_add ("/kiosk/gui/builder/build-preview-save", Fixture, NULL, fixture_set_up,
              test_build_preview_save, fixture_tear_down);

  g_test_add ("/kiosk/gui/builder/from-admin-page", Fixture, NULL, fixture_set_up,
              test_from_admin_page, fixture_tear_down);

  g_test_add ("/kiosk/gui/builder/import-asks", Fixture, NULL, fixture_set_up,
              test_import_asks, fixture_tear_down);

  return g_test_run ();
}

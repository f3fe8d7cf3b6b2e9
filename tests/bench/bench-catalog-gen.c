/* bench-catalog-gen.c: a generated catalogue for the benchmarks
 *
 * SPDX-FileCopyrightText: 2026 Stadtkiosk contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "bench-catalog-gen.h"

static void
add_text (JsonBuilder *b,
          const char  *member,
          const char  *de,
          const char  *en,
          guint        n)
{
  g_autofree char *de_text = g_strdup_printf ("%s %u", de, n);
  g_autofree char *en_text = g_strdup_printf ("%s %u", en, n);

  json_builder_set_member_name (b, member);
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "de");
  json_builder_add_string_value (b, de_text);
  json_builder_set_member_name (b, "en");
  json_builder_add_string_value (b, en_text);
  json_builder_end_object (b);
}

static void
add_field (JsonBuilder *b,
           const char  *id,
           const char  *type)
{
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "id");
  json_builder_add_string_value (b, id);
  json_builder_set_member_name (b, "type");
  json_builder_add_string_value (b, type);
}

/* A realistic service: three steps, twelve fields of every kind, options,
 * a pattern, conditions on earlier fields. */
static void
add_service (JsonBuilder *b,
             guint        n)
{
  g_autofree char *id = g_strdup_printf ("service-%03u", n);

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "id");
  json_builder_add_string_value (b, id);
  json_builder_set_member_name (b, "version");
  json_builder_add_int_value (b, 1 + n % 5);
  add_text (b, "title", "Dienstleistung für Bürgerinnen und Bürger", "Service for citizens", n);
  add_text (b, "summary", "Eine kurze Beschreibung, was hier beantragt wird", "A short description of what is applied for", n);
  add_text (b, "help", "Längere Hilfe mit Hinweisen zu Unterlagen und Gebühren", "Longer help about documents and fees", n);
  json_builder_set_member_name (b, "category");
  json_builder_add_string_value (b, n % 2 ? "one" : "two");
  json_builder_set_member_name (b, "keywords");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "de");
  json_builder_begin_array (b);
  json_builder_add_string_value (b, "Müll");
  json_builder_add_string_value (b, "Straße");
  json_builder_add_string_value (b, "Antrag");
  json_builder_end_array (b);
  json_builder_end_object (b);
  json_builder_set_member_name (b, "offline");
  json_builder_add_string_value (b, "queue");
  json_builder_set_member_name (b, "retention_days");
  json_builder_add_int_value (b, 30);
  json_builder_set_member_name (b, "steps");
  json_builder_begin_array (b);

  json_builder_begin_object (b);
  add_text (b, "title", "Anliegen", "Concern", n);
  json_builder_set_member_name (b, "fields");
  json_builder_begin_array (b);
  add_field (b, "kind", "choice");
  add_text (b, "label", "Art", "Kind", n);
  json_builder_set_member_name (b, "required");
  json_builder_add_boolean_value (b, TRUE);
  json_builder_set_member_name (b, "options");
  json_builder_begin_array (b);
  for (guint o = 0; o < 6; o++)
    {
      g_autofree char *value = g_strdup_printf ("option-%u", o);

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "value");
      json_builder_add_string_value (b, value);
      add_text (b, "label", "Möglichkeit", "Option", o);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_end_object (b);
  add_field (b, "detail", "text");
  add_text (b, "label", "Einzelheiten", "Details", n);
  json_builder_set_member_name (b, "max_length");
  json_builder_add_int_value (b, 200);
  json_builder_set_member_name (b, "visible_if");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "field");
  json_builder_add_string_value (b, "kind");
  json_builder_set_member_name (b, "in");
  json_builder_begin_array (b);
  json_builder_add_string_value (b, "option-1");
  json_builder_add_string_value (b, "option-2");
  json_builder_end_array (b);
  json_builder_end_object (b);
  json_builder_end_object (b);
  add_field (b, "description", "textarea");
  add_text (b, "label", "Beschreibung", "Description", n);
  json_builder_set_member_name (b, "max_length");
  json_builder_add_int_value (b, 2000);
  json_builder_end_object (b);
  add_field (b, "count", "number");
  add_text (b, "label", "Anzahl", "Count", n);
  json_builder_set_member_name (b, "min");
  json_builder_add_int_value (b, 1);
  json_builder_set_member_name (b, "max");
  json_builder_add_int_value (b, 99);
  json_builder_set_member_name (b, "integer");
  json_builder_add_boolean_value (b, TRUE);
  json_builder_end_object (b);
  json_builder_end_array (b);
  json_builder_end_object (b);

  json_builder_begin_object (b);
  add_text (b, "title", "Termin", "Date", n);
  json_builder_set_member_name (b, "fields");
  json_builder_begin_array (b);
  add_field (b, "when", "date");
  add_text (b, "label", "Wunschtermin", "Preferred date", n);
  json_builder_set_member_name (b, "min");
  json_builder_add_string_value (b, "+2d");
  json_builder_set_member_name (b, "max");
  json_builder_add_string_value (b, "+90d");
  json_builder_end_object (b);
  add_field (b, "extras", "multichoice");
  add_text (b, "label", "Extras", "Extras", n);
  json_builder_set_member_name (b, "options");
  json_builder_begin_array (b);
  for (guint o = 0; o < 4; o++)
    {
      g_autofree char *value = g_strdup_printf ("extra-%u", o);

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "value");
      json_builder_add_string_value (b, value);
      add_text (b, "label", "Extra", "Extra", o);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_end_object (b);
  add_field (b, "reply", "boolean");
  add_text (b, "label", "Antwort gewünscht?", "Reply wanted?", n);
  json_builder_end_object (b);
  add_field (b, "hint", "info");
  add_text (b, "text", "Hinweis", "Note", n);
  json_builder_end_object (b);
  json_builder_end_array (b);
  json_builder_end_object (b);

  json_builder_begin_object (b);
  add_text (b, "title", "Kontakt", "Contact", n);
  json_builder_set_member_name (b, "fields");
  json_builder_begin_array (b);
  add_field (b, "name", "text");
  add_text (b, "label", "Name", "Name", n);
  json_builder_set_member_name (b, "personal");
  json_builder_add_boolean_value (b, TRUE);
  json_builder_set_member_name (b, "pattern");
  json_builder_add_string_value (b, "[^0-9]+");
  add_text (b, "pattern_message", "Bitte ohne Ziffern", "Please without digits", n);
  json_builder_end_object (b);
  add_field (b, "email", "email");
  add_text (b, "label", "E-Mail", "E-mail", n);
  json_builder_set_member_name (b, "personal");
  json_builder_add_boolean_value (b, TRUE);
  json_builder_set_member_name (b, "visible_if");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "all");
  json_builder_begin_array (b);
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "field");
  json_builder_add_string_value (b, "reply");
  json_builder_set_member_name (b, "equals");
  json_builder_add_boolean_value (b, TRUE);
  json_builder_end_object (b);
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "field");
  json_builder_add_string_value (b, "name");
  json_builder_set_member_name (b, "is_set");
  json_builder_add_boolean_value (b, TRUE);
  json_builder_end_object (b);
  json_builder_end_array (b);
  json_builder_end_object (b);
  json_builder_end_object (b);
  add_field (b, "phone", "phone");
  add_text (b, "label", "Telefon", "Phone", n);
  json_builder_end_object (b);
  add_field (b, "address", "address");
  add_text (b, "label", "Adresse", "Address", n);
  json_builder_set_member_name (b, "personal");
  json_builder_add_boolean_value (b, TRUE);
  json_builder_end_object (b);
  add_field (b, "consent", "consent");
  add_text (b, "label", "Einverstanden", "Agreed", n);
  json_builder_end_object (b);
  json_builder_end_array (b);
  json_builder_end_object (b);

  json_builder_end_array (b);
  json_builder_end_object (b);
}

GBytes *
bench_catalog_generate (guint n_services)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  gsize len;
  char *text;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "format");
  json_builder_add_int_value (b, 1);
  json_builder_set_member_name (b, "version");
  json_builder_add_string_value (b, "bench");
  json_builder_set_member_name (b, "categories");
  json_builder_begin_array (b);
  for (guint i = 0; i < 2; i++)
    {
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "id");
      json_builder_add_string_value (b, i ? "one" : "two");
      add_text (b, "title", "Kategorie", "Category", i);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_set_member_name (b, "services");
  json_builder_begin_array (b);
  for (guint i = 0; i < n_services; i++)
    add_service (b, i);
  json_builder_end_array (b);
  json_builder_end_object (b);

  root = json_builder_get_root (b);
  /* Compact, as the Submission API serves it (GET /v1/catalog). */
  json_generator_set_root (generator, root);
  text = json_generator_to_data (generator, &len);
  return g_bytes_new_take (text, len);
}


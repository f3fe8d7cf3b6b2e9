/* test-form.c
 *
 * SPDX-FileCopyrightText: 2026 Stadtkiosk contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <locale.h>
#include <string.h>

#include "stadtkiosk-core.h"

/* 2026-11-26 12:00 UTC: the same calendar day in every time zone from -11 to +11. */
#define NOW_US (G_GINT64_CONSTANT (1795694400) * G_USEC_PER_SEC)

static const char * const hildesheim[] = { "31134-31141", NULL };

typedef struct
{
  KioskCatalog *catalog;
  KioskClock   *clock;
  KioskForm    *form;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "fixtures", "catalog", "good-all-types.json", NULL);
  g_autoptr(GError) error = NULL;

  f->catalog = kiosk_catalog_new_from_file (path, &error);
  g_assert_no_error (error);
  f->clock = kiosk_clock_new_fake (NOW_US);
  f->form = kiosk_form_new (kiosk_catalog_lookup (f->catalog, "all"), hildesheim, f->clock);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_assert_finalize_object (f->form);
  g_assert_finalize_object (f->clock);
  g_assert_finalize_object (f->catalog);
}

static void
set_string (KioskForm  *form,
            const char *field,
            const char *value)
{
  g_autoptr(JsonNode) node = json_node_init_string (json_node_alloc (), value);

  g_assert_true (kiosk_form_set_value (form, field, node));
}

static void
set_json (KioskForm  *form,
          const char *field,
          const char *json)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = json_from_string (json, &error);

  g_assert_no_error (error);
  g_assert_true (kiosk_form_set_value (form, field, node));
}

static void
assert_message (KioskForm  *form,
                const char *field,
                const char *locale,
                const char *expected)
{
  g_autofree char *message = kiosk_form_validate_field (form, field, locale);

  g_assert_cmpstr (message, ==, expected);
}

static char *
to_json (KioskForm *form)
{
  g_autoptr(GBytes) bytes = kiosk_form_to_json (form);

  return g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
}

static void
test_defaults (Fixture       *f,
               gconstpointer  data)
{
  g_autofree char *json = to_json (f->form);

  g_assert_cmpuint (kiosk_form_get_n_steps (f->form), ==, 2);
  g_assert_true (kiosk_form_get_service (f->form) == kiosk_catalog_lookup (f->catalog, "all"));
  /* A date default "today" is resolved with the form's clock. */
  g_assert_cmpstr (json, ==, "{\"born\":\"2026-11-26\",\"count\":2,\"extras\":[\"x\"],\"kind\":\"a\",\"yes\":false}");
  g_assert_null (kiosk_form_get_value (f->form, "name"));
  g_assert_cmpstr (json_node_get_string (kiosk_form_get_value (f->form, "kind")), ==, "a");
}

static void
changed_cb (KioskForm  *form,
            const char *field_id,
            GPtrArray  *log)
{
  g_ptr_array_add (log, g_strdup (field_id != NULL ? field_id : "(all)"));
}

static void
test_visibility (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(GPtrArray) log = g_ptr_array_new_with_free_func (g_free);

  g_signal_connect (f->form, "changed", G_CALLBACK (changed_cb), log);

  /* not_equals */
  g_assert_true (kiosk_form_is_visible (f->form, "story"));
  set_string (f->form, "kind", "c");
  g_assert_false (kiosk_form_is_visible (f->form, "story"));
  g_assert_cmpuint (log->len, ==, 1);
  g_assert_cmpstr (log->pdata[0], ==, "kind");

  /* equals on a multichoice: contains */
  g_assert_false (kiosk_form_is_visible (f->form, "y-detail"));
  set_json (f->form, "extras", "[\"x\", \"y\"]");
  g_assert_true (kiosk_form_is_visible (f->form, "y-detail"));

  /* any(yes == true, all(kind in [b, c], name is set)) */
  g_assert_false (kiosk_form_is_visible (f->form, "mail"));
  set_string (f->form, "name", "Erika");
  g_assert_true (kiosk_form_is_visible (f->form, "mail"));
  set_string (f->form, "kind", "a");
  g_assert_false (kiosk_form_is_visible (f->form, "mail"));
  set_json (f->form, "yes", "true");
  g_assert_true (kiosk_form_is_visible (f->form, "mail"));
  set_string (f->form, "name", "   ");          /* blank is not an answer */
  g_assert_true (kiosk_form_is_visible (f->form, "mail"));

  /* is_set false; a hidden field's answer does not count */
  set_string (f->form, "mail", "a@example.de");
  g_assert_false (kiosk_form_is_visible (f->form, "tel"));
  set_json (f->form, "yes", "false");
  g_assert_false (kiosk_form_is_visible (f->form, "mail"));
  g_assert_true (kiosk_form_is_visible (f->form, "tel"));

  /* numbers compare by value: 3.0 equals 3 */
  g_assert_false (kiosk_form_is_visible (f->form, "note"));
  set_json (f->form, "count", "3.0");
  g_assert_true (kiosk_form_is_visible (f->form, "note"));

  /* clearing */
  g_assert_true (kiosk_form_set_value (f->form, "count", NULL));
  g_assert_false (kiosk_form_is_visible (f->form, "note"));
  g_assert_null (kiosk_form_get_value (f->form, "count"));

  /* unknown and info fields take no answer */
  g_assert_false (kiosk_form_set_value (f->form, "nope", NULL));
  g_assert_false (kiosk_form_set_value (f->form, "note", NULL));
  g_assert_false (kiosk_form_is_visible (f->form, "nope"));

  g_assert_true (kiosk_form_step_is_visible (f->form, 0));
  g_assert_true (kiosk_form_step_is_visible (f->form, 1));
}

static void
test_required (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GPtrArray) errors = NULL;
  KioskFieldError *e;

  set_json (f->form, "kind", "null");
  /* custom required message in the citizen's language */
  assert_message (f->form, "kind", "de", "Bitte eine Art wählen.");
  assert_message (f->form, "kind", "en", "Please pick a kind.");
  assert_message (f->form, "kind", "tr", "Bitte eine Art wählen.");
  /* built-in messages */
  assert_message (f->form, "home", "de", "Enter the address: street, house number, postal code and town.");
  assert_message (f->form, "ok", "de", "Tap the box to agree. Without your agreement the request cannot be sent.");
  set_json (f->form, "ok", "false");
  assert_message (f->form, "ok", "de", "Tap the box to agree. Without your agreement the request cannot be sent.");
  set_json (f->form, "ok", "true");
  assert_message (f->form, "ok", "de", NULL);
  /* not required, no answer: fine */
  assert_message (f->form, "name", "de", NULL);
  assert_message (f->form, "weight", "de", NULL);
  /* hidden and info fields are never wrong */
  assert_message (f->form, "y-detail", "de", NULL);
  assert_message (f->form, "note", "de", NULL);
  assert_message (f->form, "no-such-field", "de", NULL);

  set_json (f->form, "extras", "[\"y\"]");
  assert_message (f->form, "y-detail", "de", "Fill in “Zu Y”.");
  set_string (f->form, "y-detail", "  \t ");
  assert_message (f->form, "y-detail", "de", "Fill in “Zu Y”.");

  g_assert_false (kiosk_form_validate_step (f->form, 0, "en", &errors));
  g_assert_cmpuint (errors->len, ==, 1);
  e = errors->pdata[0];
  g_assert_cmpstr (e->field_id, ==, "kind");
  g_assert_cmpstr (e->message, ==, "Please pick a kind.");
  g_clear_pointer (&errors, g_ptr_array_unref);

  g_assert_false (kiosk_form_validate_step (f->form, 1, "en", &errors));
  g_assert_cmpuint (errors->len, ==, 2);
  g_assert_cmpstr (((KioskFieldError *) errors->pdata[0])->field_id, ==, "y-detail");
  g_assert_cmpstr (((KioskFieldError *) errors->pdata[1])->field_id, ==, "home");
  g_clear_pointer (&errors, g_ptr_array_unref);

  g_assert_false (kiosk_form_validate_all (f->form, "en", &errors));
  g_assert_cmpuint (errors->len, ==, 3);
  g_clear_pointer (&errors, g_ptr_array_unref);
  g_assert_false (kiosk_form_validate_all (f->form, "en", NULL));
}

static void
test_text_rules (Fixture       *f,
                 gconstpointer  data)
{
  set_string (f->form, "code", "3113");
  assert_message (f->form, "code", "de", "Fünf Ziffern.");
  assert_message (f->form, "code", "en", "Five digits.");
  /* the whole answer must match, not a part of it */
  set_string (f->form, "code", "311345");
  assert_message (f->form, "code", "en", "Five digits.");
  set_string (f->form, "code", "x31134");
  assert_message (f->form, "code", "en", "Five digits.");
  set_string (f->form, "code", "31134");
  assert_message (f->form, "code", "en", NULL);

  /* max_length counts characters, not bytes */
  set_string (f->form, "story", "ääääääääääääääääääää");
  assert_message (f->form, "story", "de", NULL);
  set_string (f->form, "story", "ääääääääääääääääääääx");
  assert_message (f->form, "story", "de", "Please enter at most 20 characters.");
  set_string (f->form, "story", "zwei\nZeilen");
  assert_message (f->form, "story", "de", NULL);
  set_string (f->form, "name", "zwei\nZeilen");
  assert_message (f->form, "name", "de", "Please enter a single line.");
  set_json (f->form, "name", "42");
  assert_message (f->form, "name", "de", "Please enter text.");
  /* json-glib lets a non-JSON octal escape make bytes that are not UTF-8 */
  set_json (f->form, "name", "\"Br\\374cke\"");
  g_assert_false (g_utf8_validate (json_node_get_string (kiosk_form_get_value (f->form, "name")), -1, NULL));
  assert_message (f->form, "name", "de", "Please enter text.");
  set_json (f->form, "home", "{\"street\": \"Markt\\374\", \"house_number\": \"1\", \"postal_code\": \"31134\", \"city\": \"Hildesheim\"}");
  assert_message (f->form, "home", "de", "Please enter the address as street, house number, postal code and town.");

  set_json (f->form, "yes", "true");
  set_string (f->form, "mail", "erika.example.de");
  assert_message (f->form, "mail", "de", "Please enter a valid e-mail address, e.g. name@example.de.");
  set_string (f->form, "mail", "erika@example");
  assert_message (f->form, "mail", "de", "Please enter a valid e-mail address, e.g. name@example.de.");
  set_string (f->form, "mail", "erika @example.de");
  assert_message (f->form, "mail", "de", "Please enter a valid e-mail address, e.g. name@example.de.");
  set_string (f->form, "mail", "erika@mail.example.de");
  assert_message (f->form, "mail", "de", NULL);

  set_json (f->form, "yes", "false");
  set_string (f->form, "tel", "0512");
  assert_message (f->form, "tel", "de", "Please enter a phone number using digits, e.g. 05121 301-0.");
  set_string (f->form, "tel", "05121 30x");
  assert_message (f->form, "tel", "de", "Please enter a phone number using digits, e.g. 05121 301-0.");
  set_string (f->form, "tel", "05121 +301");
  assert_message (f->form, "tel", "de", "Please enter a phone number using digits, e.g. 05121 301-0.");
  set_string (f->form, "tel", "+49 (5121) 301-0");
  assert_message (f->form, "tel", "de", NULL);
}

static void
test_number_rules (Fixture       *f,
                   gconstpointer  data)
{
  set_json (f->form, "count", "0");
  assert_message (f->form, "count", "de", "Please enter a number from 1 to 10.");
  set_json (f->form, "count", "11");
  assert_message (f->form, "count", "de", "Please enter a number from 1 to 10.");
  set_json (f->form, "count", "2.5");
  assert_message (f->form, "count", "de", "Please enter a whole number.");
  set_json (f->form, "count", "\"3\"");
  assert_message (f->form, "count", "de", "Please enter a number.");
  set_json (f->form, "count", "10");
  assert_message (f->form, "count", "de", NULL);
  set_json (f->form, "weight", "0.25");
  /* English (this test binds no catalogue): the English decimal point. */
  assert_message (f->form, "weight", "en", "Please enter a number of at least 0.5.");
  set_json (f->form, "weight", "0.5");
  assert_message (f->form, "weight", "de", NULL);

  /* Found by fuzz-form: numbers beyond gint64 are checked without an
   * undefined cast (UBSan in the sanitizer suite watches this), and the
   * canonical JSON keeps them as numbers. */
  set_json (f->form, "count", "1111111111111111111111111111111111111111111111111111111111.");
  assert_message (f->form, "count", "de", "Please enter a number from 1 to 10.");
  set_json (f->form, "weight", "1e300");
  {
    g_autoptr(GBytes) json = kiosk_form_to_json (f->form);

    g_assert_nonnull (json);
  }
}

static void
test_date_rules (Fixture       *f,
                 gconstpointer  data)
{
  /* min +2d, max +1m relative to 2026-11-26 */
  set_string (f->form, "when", "2026-11-27");
  assert_message (f->form, "when", "de", "Please choose a date on or after 28/11/2026.");
  set_string (f->form, "when", "2026-11-28");
  assert_message (f->form, "when", "de", NULL);
  set_string (f->form, "when", "2026-12-26");
  assert_message (f->form, "when", "de", NULL);
  set_string (f->form, "when", "2026-12-27");
  assert_message (f->form, "when", "de", "Please choose a date on or before 26/12/2026.");
  set_string (f->form, "when", "2026-02-30");
  assert_message (f->form, "when", "de", "This month has only 28 days. Check the day and the month.");
  g_assert_cmpstr (kiosk_form_get_invalid_part (f->form, "when"), ==, "day");
  set_string (f->form, "when", "26.11.2026");
  assert_message (f->form, "when", "de", "Enter the date as day, month and year, for example 26/11/2026.");
  g_assert_null (kiosk_form_get_invalid_part (f->form, "when"));
  /* What the kiosk's three boxes send when they are not a date yet: the
   * box to correct is named. */
  set_string (f->form, "when", "2026--7");
  assert_message (f->form, "when", "de", "Enter the month as a number from 1 to 12, for example 3 for March.");
  g_assert_cmpstr (kiosk_form_get_invalid_part (f->form, "when"), ==, "month");
  set_string (f->form, "when", "2026-13-7");
  assert_message (f->form, "when", "de", "Enter the month as a number from 1 to 12, for example 3 for March.");
  set_string (f->form, "when", "2026-12-");
  assert_message (f->form, "when", "de", "Enter the day as a number from 1 to 31.");
  g_assert_cmpstr (kiosk_form_get_invalid_part (f->form, "when"), ==, "day");
  set_string (f->form, "when", "2026-12-32");
  assert_message (f->form, "when", "de", "Enter the day as a number from 1 to 31.");
  set_string (f->form, "when", "26-12-7");
  assert_message (f->form, "when", "de", "Enter the year with four digits, for example 2026.");
  g_assert_cmpstr (kiosk_form_get_invalid_part (f->form, "when"), ==, "year");
  set_string (f->form, "when", "2027-2-29");
  assert_message (f->form, "when", "de", "This month has only 28 days. Check the day and the month.");
  /* A date, but not as it is stored: the kiosk sends 2026-12-07. */
  set_string (f->form, "when", "2026-12-7");
  assert_message (f->form, "when", "de", "Enter the date as day, month and year, for example 26/11/2026.");
  g_assert_null (kiosk_form_get_invalid_part (f->form, "when"));
  set_string (f->form, "when", "2026-12-07");
  assert_message (f->form, "when", "de", NULL);

  /* The limits move with the clock. */
  kiosk_clock_advance (f->clock, 2 * G_TIME_SPAN_DAY);
  set_string (f->form, "when", "2026-11-29");
  assert_message (f->form, "when", "de", "Please choose a date on or after 30/11/2026.");

  set_string (f->form, "born", "1899-12-31");
  assert_message (f->form, "born", "de", "Please choose a date on or after 01/01/1900.");
}

static void
test_choice_rules (Fixture       *f,
                   gconstpointer  data)
{
  set_string (f->form, "kind", "d");
  assert_message (f->form, "kind", "de", "Please choose one of the offered options.");
  set_json (f->form, "kind", "[\"a\"]");
  assert_message (f->form, "kind", "de", "Please choose one of the offered options.");
  set_json (f->form, "extras", "[\"x\", \"x\"]");
  assert_message (f->form, "extras", "de", "Please choose each option only once.");
  set_json (f->form, "extras", "[\"x\", \"z\"]");
  assert_message (f->form, "extras", "de", "Please choose one of the offered options.");
  set_json (f->form, "extras", "\"x\"");
  assert_message (f->form, "extras", "de", "Please choose one of the offered options.");
  set_json (f->form, "extras", "[]");
  assert_message (f->form, "extras", "de", NULL);
  set_json (f->form, "yes", "\"ja\"");
  assert_message (f->form, "yes", "de", "Please answer yes or no.");
}

static void
test_address_rules (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(KioskForm) anywhere = NULL;

  set_json (f->form, "home", "{\"street\": \"Markt\", \"house_number\": \"1\", \"postal_code\": \"31134\", \"city\": \"Hildesheim\"}");
  assert_message (f->form, "home", "de", NULL);
  set_json (f->form, "home", "{\"street\": \"Markt\", \"house_number\": \"1\", \"postal_code\": \"31141\", \"city\": \"Hildesheim\"}");
  assert_message (f->form, "home", "de", NULL);
  set_json (f->form, "home", "{\"street\": \"Markt\", \"house_number\": \"1\", \"postal_code\": \"31142\", \"city\": \"Hildesheim\"}");
  assert_message (f->form, "home", "de", "This postal code is outside the city. Possible postal codes: 31134–31141.");
  set_json (f->form, "home", "{\"street\": \"Markt\", \"house_number\": \"1\", \"postal_code\": \"3113\", \"city\": \"Hildesheim\"}");
  assert_message (f->form, "home", "de", "Enter a postal code with five digits, for example 31134.");
  set_json (f->form, "home", "{\"street\": \"\", \"house_number\": \"1\", \"postal_code\": \"31134\", \"city\": \"Hildesheim\"}");
  assert_message (f->form, "home", "de", "Enter the name of the street, without the house number.");
  set_json (f->form, "home", "{\"street\": \"Markt\", \"postal_code\": \"31134\", \"city\": \"Hildesheim\"}");
  assert_message (f->form, "home", "de", "Enter the house number, for example 12 or 12a.");
  set_json (f->form, "home", "{\"street\": \"Markt\", \"house_number\": \"1\", \"city\": \"Hildesheim\"}");
  assert_message (f->form, "home", "de", "Enter a postal code with five digits, for example 31134.");
  set_json (f->form, "home", "{\"street\": \"Markt\", \"house_number\": \"1\", \"postal_code\": \"31134\"}");
  assert_message (f->form, "home", "de", "Please enter the town.");
  set_json (f->form, "home", "{\"street\": \"Markt\", \"house_number\": 1, \"postal_code\": \"31134\", \"city\": \"Hildesheim\"}");
  assert_message (f->form, "home", "de", "Please enter the address as street, house number, postal code and town.");
  set_json (f->form, "home", "{\"street\": \"Markt\", \"floor\": \"2\"}");
  assert_message (f->form, "home", "de", "Please enter the address as street, house number, postal code and town.");
  set_json (f->form, "home", "{\"street\": \"\", \"city\": \"\"}");
  assert_message (f->form, "home", "de", "Enter the address: street, house number, postal code and town.");
  set_string (f->form, "home", "Markt 1");
  assert_message (f->form, "home", "de", "Please enter the address.");

  /* With the city's name ([kiosk] city) the messages name it. */
  kiosk_form_set_city (f->form, "Hildesheim");
  g_assert_cmpstr (kiosk_form_get_city (f->form), ==, "Hildesheim");
  set_json (f->form, "home", "{\"street\": \"Markt\", \"house_number\": \"1\", \"postal_code\": \"3113\", \"city\": \"Hildesheim\"}");
  assert_message (f->form, "home", "de", "Enter a postal code in Hildesheim, for example 31134.");
  g_assert_cmpstr (kiosk_form_get_invalid_part (f->form, "home"), ==, "postal_code");
  set_json (f->form, "home", "{\"street\": \"Markt\", \"house_number\": \"1\", \"postal_code\": \"30159\", \"city\": \"Hildesheim\"}");
  assert_message (f->form, "home", "de", "This postal code is not in Hildesheim. Enter a postal code of Hildesheim: 31134–31141.");
  set_json (f->form, "home", "{\"street\": \"Markt\", \"house_number\": \"1\", \"postal_code\": \"31134\", \"city\": \" \"}");
  assert_message (f->form, "home", "de", "Enter the town, for example Hildesheim.");
  kiosk_form_set_city (f->form, "");
  g_assert_null (kiosk_form_get_city (f->form));

  /* Without a configured list, any five-digit code will do. */
  anywhere = kiosk_form_new (kiosk_catalog_lookup (f->catalog, "all"), NULL, f->clock);
  set_json (anywhere, "home", "{\"street\": \"Unter den Linden\", \"house_number\": \"1\", \"postal_code\": \"10117\", \"city\": \"Berlin\"}");
  assert_message (anywhere, "home", "de", NULL);
  g_clear_object (&anywhere);

  {
    const char * const list[] = { "31139", "31137-31138", "31134", "garbage", NULL };

    anywhere = kiosk_form_new (kiosk_catalog_lookup (f->catalog, "all"), list, f->clock);
    set_json (anywhere, "home", "{\"street\": \"A\", \"house_number\": \"1\", \"postal_code\": \"31135\", \"city\": \"H\"}");
    assert_message (anywhere, "home", "de", "This postal code is outside the city. Possible postal codes: 31134, 31137–31139.");
    set_json (anywhere, "home", "{\"street\": \"A\", \"house_number\": \"1\", \"postal_code\": \"31138\", \"city\": \"H\"}");
    assert_message (anywhere, "home", "de", NULL);
  }
  g_clear_object (&anywhere);
  anywhere = kiosk_form_new (kiosk_catalog_lookup (f->catalog, "all"), NULL, f->clock);
  set_json (anywhere, "home", "{\"street\": \"A\", \"house_number\": \"1\", \"postal_code\": \"311\", \"city\": \"H\"}");
  assert_message (anywhere, "home", "de", "Please enter a postal code with five digits.");
}

static void
test_canonical_json (Fixture       *f,
                     gconstpointer  data)
{
  g_autofree char *json = NULL;
  g_autoptr(GPtrArray) errors = NULL;

  set_string (f->form, "name", "Erika Mustermann");
  set_string (f->form, "story", "Bitte \"prüfen\"");   /* hidden below: kind c */
  set_json (f->form, "home", "{\"street\": \"Markt\", \"city\": \"Hildesheim\", \"postal_code\": \"31134\", \"house_number\": \"1\"}");
  set_json (f->form, "count", "4.0");
  set_json (f->form, "ok", "true");
  set_string (f->form, "kind", "c");
  set_string (f->form, "mail", "erika@example.de");
  set_string (f->form, "tel", "05121 1");             /* hidden: mail is set */
  set_string (f->form, "code", "");                    /* empty: left out */

  g_assert_true (kiosk_form_validate_all (f->form, "de", &errors));
  g_assert_cmpuint (errors->len, ==, 0);
  json = to_json (f->form);
  g_assert_cmpstr (json, ==,
                   "{\"born\":\"2026-11-26\",\"count\":4,\"extras\":[\"x\"],"
                   "\"home\":{\"city\":\"Hildesheim\",\"house_number\":\"1\",\"postal_code\":\"31134\",\"street\":\"Markt\"},"
                   "\"kind\":\"c\",\"mail\":\"erika@example.de\",\"name\":\"Erika Mustermann\",\"ok\":true,\"yes\":false}");

  /* The hidden answer is kept (the citizen may go back) but not sent. */
  g_assert_nonnull (kiosk_form_get_value (f->form, "story"));
  set_string (f->form, "kind", "a");
  g_free (json);
  json = to_json (f->form);
  g_assert_nonnull (strstr (json, "\"story\":\"Bitte \\\"prüfen\\\"\""));
}

static void
test_load_json (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) good = json_from_string ("{\"name\": \"Max\", \"kind\": \"b\"}", NULL);
  g_autoptr(JsonNode) unknown = json_from_string ("{\"name\": \"Max\", \"nmae\": \"x\", \"note\": \"info\"}", NULL);
  g_autoptr(JsonNode) array = json_from_string ("[1]", NULL);

  g_assert_true (kiosk_form_load_json (f->form, good, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (json_node_get_string (kiosk_form_get_value (f->form, "kind")), ==, "b");

  g_assert_false (kiosk_form_load_json (f->form, unknown, &error));
  g_assert_error (error, KIOSK_FORM_ERROR, KIOSK_FORM_ERROR_UNKNOWN_FIELD);
  g_assert_cmpstr (error->message, ==,
                   "service \"all\" has no input field \"nmae\", \"note\" (its fields: kind, code, name, story, "
                   "count, weight, when, born, extras, y-detail, yes, mail, tel, home, ok)");
  g_clear_error (&error);
  /* nothing was changed */
  g_assert_cmpstr (json_node_get_string (kiosk_form_get_value (f->form, "name")), ==, "Max");

  g_assert_false (kiosk_form_load_json (f->form, array, &error));
  g_assert_error (error, KIOSK_FORM_ERROR, KIOSK_FORM_ERROR_INVALID);
}

static void
test_clear (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(GPtrArray) log = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *before = to_json (f->form);
  g_autofree char *after = NULL;

  set_string (f->form, "name", "Erika Mustermann");
  set_json (f->form, "count", "7");
  kiosk_form_set_current_step (f->form, 1);
  g_assert_cmpuint (kiosk_form_get_current_step (f->form), ==, 1);

  g_signal_connect (f->form, "changed", G_CALLBACK (changed_cb), log);
  kiosk_form_clear (f->form);
  g_assert_cmpuint (log->len, ==, 1);
  g_assert_cmpstr (log->pdata[0], ==, "(all)");
  g_assert_null (kiosk_form_get_value (f->form, "name"));
  g_assert_cmpuint (kiosk_form_get_current_step (f->form), ==, 0);
  after = to_json (f->form);
  g_assert_cmpstr (after, ==, before);
}

/* Leaving a form asks first only when that would lose something a person
 * typed or chose; the catalogue's defaults and blanks are not answers. */
static void
test_has_answers (Fixture       *f,
                  gconstpointer  data)
{
  g_assert_false (kiosk_form_has_answers (f->form));
  set_string (f->form, "name", "  \t ");
  g_assert_false (kiosk_form_has_answers (f->form));
  set_string (f->form, "kind", "a");             /* the default again */
  g_assert_false (kiosk_form_has_answers (f->form));
  set_string (f->form, "kind", "c");
  g_assert_true (kiosk_form_has_answers (f->form));
  set_string (f->form, "kind", "a");
  set_string (f->form, "name", "Erika");
  g_assert_true (kiosk_form_has_answers (f->form));
  kiosk_form_clear (f->form);
  g_assert_false (kiosk_form_has_answers (f->form));
}

static void
assert_formatted (KioskForm  *form,
                  const char *field_id,
                  const char *json,
                  const char *locale,
                  const char *expected)
{
  KioskField *field = kiosk_service_lookup_field (kiosk_form_get_service (form), field_id);
  g_autoptr(JsonNode) value = json != NULL ? json_from_string (json, NULL) : NULL;
  g_autofree char *text = kiosk_field_format_answer (field, value, locale);

  g_assert_nonnull (field);
  g_assert_cmpstr (text, ==, expected);
}

static void
test_format_answer (Fixture       *f,
                    gconstpointer  data)
{
  assert_formatted (f->form, "kind", "\"b\"", "de", "B");
  assert_formatted (f->form, "kind", "\"gone\"", "de", "gone");   /* an option no longer offered */
  assert_formatted (f->form, "extras", "[\"x\", \"y\"]", "de", "X, Y");
  assert_formatted (f->form, "yes", "true", "de", "Yes");
  assert_formatted (f->form, "ok", "true", "de", "Agreed");
  assert_formatted (f->form, "born", "\"2026-02-28\"", "de", "28/02/2026");
  assert_formatted (f->form, "count", "4", "de", "4");
  assert_formatted (f->form, "weight", "0.75", "de", "0,75");   /* the decimal comma */
  assert_formatted (f->form, "weight", "0.75", "en", "0.75");
  assert_formatted (f->form, "home", "{\"street\": \"Markt\", \"house_number\": \"1\", \"postal_code\": \"31134\", \"city\": \"Hildesheim\"}",
                    "de", "Markt 1, 31134 Hildesheim");
  assert_formatted (f->form, "name", "\"Erika\"", "de", "Erika");
  assert_formatted (f->form, "name", "42", "de", "42");            /* wrong shape: shown as JSON */
  assert_formatted (f->form, "name", NULL, "de", NULL);
  assert_formatted (f->form, "name", "\"Br\\374cke\"", "de", "Br\357\277\275cke");   /* U+FFFD, never broken text */
  assert_formatted (f->form, "note", "\"x\"", "de", NULL);        /* info */
}

static void
test_date_limits (Fixture       *f,
                  gconstpointer  data)
{
  GDate date;

  g_assert_true (kiosk_form_get_date_min (f->form, "when", &date));
  g_assert_cmpuint (g_date_get_day (&date), ==, 28);
  g_assert_cmpuint (g_date_get_month (&date), ==, 11);
  g_assert_true (kiosk_form_get_date_max (f->form, "when", &date));
  g_assert_cmpuint (g_date_get_day (&date), ==, 26);
  g_assert_cmpuint (g_date_get_month (&date), ==, 12);
  g_assert_true (kiosk_form_get_date_min (f->form, "born", &date));
  g_assert_cmpuint (g_date_get_year (&date), ==, 1900);
  g_assert_false (kiosk_form_get_date_min (f->form, "name", &date));
  g_assert_false (kiosk_form_get_date_max (f->form, "nope", &date));
}

/* The built-in messages are translated; the German catalogue compiled by
 * the build is used. */
static void
test_translated (Fixture       *f,
                 gconstpointer  data)
{
  g_autofree char *localedir = g_test_build_filename (G_TEST_BUILT, "..", "po", NULL);
  g_autofree char *mo = g_build_filename (localedir, "de", "LC_MESSAGES", GETTEXT_PACKAGE ".mo", NULL);

  if (!g_file_test (mo, G_FILE_TEST_EXISTS))
    {
      g_test_skip ("German message catalogue not built");
      return;
    }
  if (setlocale (LC_ALL, "C.UTF-8") == NULL)
    {
      g_test_skip ("no C.UTF-8 locale");
      return;
    }
  bindtextdomain (GETTEXT_PACKAGE, localedir);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  /* The language passed wins over the process's: $LANGUAGE says English. */
  g_setenv ("LANGUAGE", "en", TRUE);

  set_json (f->form, "home", "{\"street\": \"Markt\", \"house_number\": \"1\", \"postal_code\": \"31142\", \"city\": \"Hildesheim\"}");
  assert_message (f->form, "home", "de", "Diese Postleitzahl liegt außerhalb der Stadt. Mögliche Postleitzahlen: 31134–31141.");
  set_string (f->form, "when", "2026-11-27");
  assert_message (f->form, "when", "de", "Bitte wählen Sie den 28.11.2026 oder ein späteres Datum.");
  set_string (f->form, "story", "123456789012345678901");
  assert_message (f->form, "story", "de", "Bitte geben Sie höchstens 20 Zeichen ein.");
  set_json (f->form, "kind", "null");
  assert_message (f->form, "kind", "de", "Bitte eine Art wählen.");   /* the catalogue's own */
  assert_formatted (f->form, "yes", "false", "de", "Nein");
  /* Numbers with the German decimal comma. */
  set_json (f->form, "weight", "0.25");
  assert_message (f->form, "weight", "de", "Bitte geben Sie eine Zahl ab 0,5 ein.");
  set_json (f->form, "weight", "1");
  assert_formatted (f->form, "born", "\"2026-02-28\"", "de", "28.02.2026");

  g_unsetenv ("LANGUAGE");
  setlocale (LC_ALL, "C");
}

/* Answers files are read as strictly as catalogues: nothing is cut. */
static void
test_parse_answers (void)
{
  const struct { const char *text; gsize len; const char *message; } refused[] = {
    { "{\"a\": \"\\u0000x\"}", 0, "not valid JSON: line 1, column 8: \\u0000 (a NUL character) is not allowed in text" },
    { "{\"a\": \"x\"}\0{\"b\": 1}", 19, "not valid JSON: line 1, column 11: a NUL byte; JSON is text" },
    { "{\"a\": 1, \"a\": 2}", 0, "not valid JSON: line 1, column 10: \"a\" appears twice in this object" },
    { "[1]", 0, "the answers must be a JSON object {\"field id\": answer, …}" },
    { "", 0, "not valid JSON: line 1, column 1: no JSON value, the text is empty" },
  };
  const char *good = "{\"name\": \"Erika\", \"address\": {\"street\": \"Almsstra\\u00dfe\"}, \"n\": 2}";
  g_autoptr(GBytes) bytes = g_bytes_new_static (good, strlen (good));
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) answers = kiosk_form_parse_answers (bytes, &error);
  JsonObject *object;

  g_assert_no_error (error);
  object = json_node_get_object (answers);
  g_assert_cmpstr (json_object_get_string_member (object, "name"), ==, "Erika");
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (object, "address"), "street"), ==,
                   "Almsstraße");
  g_assert_cmpint (json_object_get_int_member (object, "n"), ==, 2);

  for (guint i = 0; i < G_N_ELEMENTS (refused); i++)
    {
      g_autoptr(GBytes) b = g_bytes_new_static (refused[i].text, refused[i].len ? refused[i].len : strlen (refused[i].text));
      g_autoptr(GError) e = NULL;
      g_autoptr(JsonNode) none = kiosk_form_parse_answers (b, &e);

      g_assert_null (none);
      g_assert_error (e, KIOSK_FORM_ERROR, KIOSK_FORM_ERROR_INVALID);
      g_assert_cmpstr (e->message, ==, refused[i].message);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/kiosk/form/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("defaults", test_defaults);
  ADD ("visibility", test_visibility);
  ADD ("required", test_required);
  ADD ("text-rules", test_text_rules);
  ADD ("number-rules", test_number_rules);
  ADD ("date-rules", test_date_rules);
  ADD ("choice-rules", test_choice_rules);
  ADD ("address-rules", test_address_rules);
  ADD ("canonical-json", test_canonical_json);
  ADD ("load-json", test_load_json);
  g_test_add_func ("/kiosk/form/parse-answers", test_parse_answers);
  ADD ("clear", test_clear);
  ADD ("has-answers", test_has_answers);
  ADD ("format-answer", test_format_answer);
  ADD ("date-limits", test_date_limits);
  ADD ("translated", test_translated);
#undef ADD

  return g_test_run ();
}

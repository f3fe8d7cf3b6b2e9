/* test-short-code.c
 *
 * SPDX-FileCopyrightText: 2026 Stadtkiosk contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "kiosk-short-code.h"

static const char alphabet[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

static void
test_generate_valid (void)
{
  for (guint i = 0; i < 1000; i++)
    {
      g_autofree char *code = kiosk_short_code_generate ("HSK");

      g_assert_cmpuint (strlen (code), ==, 13);
      g_assert_true (g_str_has_prefix (code, "HSK-"));
      g_assert_cmpint (code[8], ==, '-');
      g_assert_true (kiosk_short_code_is_valid (code));
    }
}

static void
test_normalize_typed (void)
{
  g_autofree char *code = kiosk_short_code_generate ("HSK");
  g_autofree char *lower = g_ascii_strdown (code, -1);
  g_autoptr(GString) nodash = g_string_new (NULL);
  g_autoptr(GString) spaced = g_string_new (NULL);
  g_autofree char *a = NULL;
  g_autofree char *b = NULL;
  g_autofree char *c = NULL;

  for (const char *p = code; *p; p++)
    {
      if (*p != '-')
        g_string_append_c (nodash, *p);
      g_string_append_c (spaced, *p == '-' ? ' ' : *p);
    }

  a = kiosk_short_code_normalize (lower, NULL);
  b = kiosk_short_code_normalize (nodash->str, NULL);
  c = kiosk_short_code_normalize (spaced->str, NULL);
  g_assert_cmpstr (a, ==, code);
  g_assert_cmpstr (b, ==, code);
  g_assert_cmpstr (c, ==, code);
}

/* Characters that read alike are folded: O is 0, I and L are 1. */
static void
test_normalize_folds (void)
{
  char body[] = "0110000";
  g_autofree char *prefixed = g_strconcat ("HSK", body, NULL);
  char check = kiosk_short_code_check_char (prefixed, -1);
  g_autofree char *canonical = g_strdup_printf ("HSK-0110-000%c", check);
  g_autofree char *typed = g_strdup_printf ("hsk-OIL0-ooo%c", g_ascii_tolower (check));
  g_autofree char *normal = NULL;
  g_autoptr(GError) error = NULL;

  normal = kiosk_short_code_normalize (typed, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (normal, ==, canonical);
}

/* Every single wrong character and every swap of two characters in the
 * random part is caught by the check character. */
static void
test_check_catches_typos (void)
{
  for (guint round = 0; round < 200; round++)
    {
      g_autofree char *code = kiosk_short_code_generate ("HSK");
      int positions[] = { 4, 5, 6, 7, 9, 10, 11, 12 };

      for (guint p = 0; p < G_N_ELEMENTS (positions); p++)
        {
          for (guint k = 0; k < 32; k++)
            {
              g_autofree char *typo = g_strdup (code);
              g_autoptr(GError) error = NULL;
              g_autofree char *normal = NULL;

              if (alphabet[k] == code[positions[p]])
                continue;
              typo[positions[p]] = alphabet[k];
              normal = kiosk_short_code_normalize (typo, &error);
              g_assert_null (normal);
              g_assert_error (error, KIOSK_SHORT_CODE_ERROR, KIOSK_SHORT_CODE_ERROR_CHECK);
            }
        }

      for (guint p = 0; p < G_N_ELEMENTS (positions); p++)
        for (guint q = p + 1; q < G_N_ELEMENTS (positions); q++)
        {
          g_autofree char *swapped = g_strdup (code);
          int i = positions[p], j = positions[q];
          char t;

          if (swapped[i] == swapped[j])
            continue;
          t = swapped[i]; swapped[i] = swapped[j]; swapped[j] = t;
          g_assert_false (kiosk_short_code_is_valid (swapped));
          g_assert_null (kiosk_short_code_normalize (swapped, NULL));
        }
    }
}

static void
test_bad_format (void)
{
  const char *bad[] = { "", "HSK", "HSK-1234", "HSK-1234-567U", "H-1234-5678", "HSK-12#4-5678",
                        "TOOLONGPREFIX-1234-5678" };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *normal = kiosk_short_code_normalize (bad[i], &error);

      g_assert_null (normal);
      g_assert_error (error, KIOSK_SHORT_CODE_ERROR, KIOSK_SHORT_CODE_ERROR_FORMAT);
      g_assert_nonnull (strstr (error->message, "HSK-K3FA-9Q2C"));
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/kiosk/short-code/generate-valid", test_generate_valid);
  g_test_add_func ("/kiosk/short-code/normalize-typed", test_normalize_typed);
  g_test_add_func ("/kiosk/short-code/normalize-folds", test_normalize_folds);
  g_test_add_func ("/kiosk/short-code/check-catches-typos", test_check_catches_typos);
  g_test_add_func ("/kiosk/short-code/bad-format", test_bad_format);

  return g_test_run ();
}

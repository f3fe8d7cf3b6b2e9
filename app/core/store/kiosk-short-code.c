/* kiosk-short-code.c
 *
 * SPDX-FileCopyrightText: 2026 Stadtkiosk contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "kiosk-store"

#include "config.h"

#include <sodium.h>
#include <string.h>

#include "kiosk-short-code.h"

/* Short codes are what a human reads off a receipt and types at a counter:
 *
 *   HSK-K3FA-9Q2C
 *   ^^^ ^^^^ ^^^^
 *   |   |    └── 3 more random characters and 1 check character
 *   |   └─────── 4 random characters
 *   └─────────── the kiosk's prefix, 2 to 4 characters
 *
 * All characters come from Crockford's base32 alphabet (no I, L, O, U), so
 * what is hard to tell apart is folded on input: O reads as 0, I and L as 1.
 * 7 random characters give 35 bits, and the outbox refuses a code that is
 * already taken.  The check character is a weighted sum in GF(32) over
 * prefix and random part: it catches every single wrong character and every
 * swap of two characters.  (Luhn mod 32 misses the swap of 0 and Z;
 * Crockford's own mod-37 check would add symbols * ~ $ = U that are awkward
 * to read and to type.)
 */

G_DEFINE_QUARK (kiosk-short-code-error-quark, kiosk_short_code_error)

static const char alphabet[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

static int
char_value (char c)
{
  const char *p;

  c = g_ascii_toupper (c);
  if (c == 'O')
    c = '0';
  else if (c == 'I' || c == 'L')
    c = '1';
  if (c == '\0' || (p = strchr (alphabet, c)) == NULL)
    return -1;
  return (int) (p - alphabet);
}

/* Multiplication in GF(32), modulo the primitive polynomial x^5 + x^2 + 1. */
static guint
gf32_mul (guint a,
          guint b)
{
  guint product = 0;

  while (b != 0)
    {
      if (b & 1)
        product ^= a;
      b >>= 1;
      a <<= 1;
      if (a & 0x20)
        a ^= 0x25;
    }
  return product;
}

/**
 * kiosk_short_code_check_char:
 * @chars: Crockford characters (dashes are skipped)
 * @len: length of @chars, or -1
 *
 * The check character c makes  c + sum (a^(i+1) * v_i) = 0  in GF(32),
 * where v_i is the value of the i-th character and a a primitive element.
 * All weights differ and none is zero, so any single wrong character and
 * any swap of two characters (the check included) changes the sum.
 *
 * Returns: the check character of @chars
 */
char
kiosk_short_code_check_char (const char *chars,
                             gssize      len)
{
  guint sum = 0;
  guint weight = 1;

  if (len < 0)
    len = strlen (chars);

  for (gssize i = 0; i < len; i++)
    {
      int v = char_value (chars[i]);

      if (v < 0)
        continue;
      weight = gf32_mul (weight, 2);   /* a^(i+1); a = x = 2 */
      sum ^= gf32_mul ((guint) v, weight);
    }

  return alphabet[sum];
}

/**
 * kiosk_short_code_generate:
 * @prefix: the kiosk's code prefix (validated by the configuration)
 *
 * Returns: (transfer full): a new random code such as `HSK-K3FA-9Q2C`
 */
char *
kiosk_short_code_generate (const char *prefix)
{
  char body[8];
  g_autofree char *checked = NULL;

  g_return_val_if_fail (prefix != NULL && *prefix != '\0', NULL);

  /* From the system's CSPRNG (libsodium), not GLib's Mersenne Twister:
   * enough observed codes would give away that generator's state and so
   * the codes other citizens are about to be given. */
  if (sodium_init () < 0)
    g_error ("libsodium cannot be initialised");
  for (guint i = 0; i < 7; i++)
    body[i] = alphabet[randombytes_uniform (32)];
  body[7] = '\0';

  checked = g_strconcat (prefix, body, NULL);

  return g_strdup_printf ("%s-%.4s-%.3s%c", prefix, body, body + 4,
                          kiosk_short_code_check_char (checked, -1));
}

/**
 * kiosk_short_code_normalize:
 * @typed: what a person typed: any case, with or without dashes or spaces
 *
 * Returns: (transfer full): the canonical code, or %NULL with @error set when
 *   the format or the check character is wrong
 */
char *
kiosk_short_code_normalize (const char  *typed,
                            GError     **error)
{
  g_autoptr(GString) chars = g_string_new (NULL);
  const char *prefix_end;
  gsize prefix_len;

  g_return_val_if_fail (typed != NULL, NULL);

  /* The prefix is whatever stands before the first dash; without dashes the
   * last 8 characters are the random part and the check. */
  for (const char *c = typed; *c; c++)
    {
      if (*c == '-' || *c == ' ' || *c == '\t')
        continue;
      if (char_value (*c) < 0)
        {
          g_set_error (error, KIOSK_SHORT_CODE_ERROR, KIOSK_SHORT_CODE_ERROR_FORMAT,
                       "'%s' is not a receipt code: '%c' cannot appear in one (codes look like HSK-K3FA-9Q2C)",
                       typed, *c);
          return NULL;
        }
      g_string_append_c (chars, alphabet[char_value (*c)]);
    }

  prefix_end = strchr (typed, '-');
  prefix_len = chars->len >= 8 ? chars->len - 8 : 0;
  if (prefix_end != NULL)
    {
      gsize typed_prefix = 0;

      for (const char *c = typed; c < prefix_end; c++)
        if (*c != ' ')
          typed_prefix++;
      if (typed_prefix != prefix_len)
        prefix_len = 0;
    }

  if (prefix_len < 2 || prefix_len > 4)
    {
      g_set_error (error, KIOSK_SHORT_CODE_ERROR, KIOSK_SHORT_CODE_ERROR_FORMAT,
                   "'%s' is not a receipt code: it should look like HSK-K3FA-9Q2C", typed);
      return NULL;
    }

  if (kiosk_short_code_check_char (chars->str, chars->len - 1) != chars->str[chars->len - 1])
    {
      g_set_error (error, KIOSK_SHORT_CODE_ERROR, KIOSK_SHORT_CODE_ERROR_CHECK,
                   "'%s' is not a valid receipt code: a character is mistyped (the check does not match)",
                   typed);
      return NULL;
    }

  return g_strdup_printf ("%.*s-%.4s-%.4s", (int) prefix_len, chars->str,
                          chars->str + prefix_len, chars->str + prefix_len + 4);
}

/**
 * kiosk_short_code_is_valid:
 *
 * Returns: whether @code is a short code in canonical form with a correct check
 */
gboolean
kiosk_short_code_is_valid (const char *code)
{
  g_autofree char *normal = NULL;

  g_return_val_if_fail (code != NULL, FALSE);

  normal = kiosk_short_code_normalize (code, NULL);
  return normal != NULL && g_str_equal (normal, code);
}

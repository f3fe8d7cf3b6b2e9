/* kiosk-pins.c
 *
 * SPDX-FileCopyrightText: 2026 Stadtkiosk contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "kiosk-staff"

#include "config.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <sodium.h>
#include <string.h>

#include "kiosk-pins.h"
#include "kiosk-lock.h"

/* Staff PINs: Argon2id hashes (libsodium's crypto_pwhash_str) in a keyfile of
 * mode 0600, next to the failure counter, so that the growing delay and the
 * lockout survive a restart.  The file is read again on every attempt: a
 * second process (stadtkioskctl pin set) may have changed it.
 *
 * A PIN only opens the staff screens.  It never guards or derives data keys.
 *
 *   [pins]
 *   clerk=$argon2id$v=19$m=65536,t=2,p=1$...
 *   admin=$argon2id$...
 *   [lockout]
 *   failures=3
 *   wait-until-us=1764000012000000
 */

#define MIN_PIN_DIGITS 6
#define MAX_PIN_DIGITS 12

struct _KioskPins
{
  GObject     parent_instance;

  char       *path;
  KioskClock *clock;
};

G_DEFINE_FINAL_TYPE (KioskPins, kiosk_pins, G_TYPE_OBJECT)
G_DEFINE_QUARK (kiosk-pins-error-quark, kiosk_pins_error)

static const char * const role_names[] = { "none", "clerk", "admin" };

const char *
kiosk_role_to_string (KioskRole role)
{
  g_return_val_if_fail (role <= KIOSK_ROLE_ADMIN, NULL);
  return role_names[role];
}

gboolean
kiosk_role_from_string (const char *str,
                        KioskRole  *out_role)
{
  for (guint i = KIOSK_ROLE_CLERK; i <= KIOSK_ROLE_ADMIN; i++)
    {
      if (g_strcmp0 (str, role_names[i]) == 0)
        {
          *out_role = i;
          return TRUE;
        }
    }
  return FALSE;
}

static void
set_refused (GError **error)
{
  /* The same words for a wrong PIN, a wait and a lockout: nothing to learn
   * from them about which PINs exist. */
  g_set_error_literal (error, KIOSK_PINS_ERROR, KIOSK_PINS_ERROR_REFUSED,
                       "PIN not accepted.");
}

static GKeyFile *
load (KioskPins  *self,
      GError    **error)
{
  g_autoptr(GKeyFile) keyfile = g_key_file_new ();
  g_autoptr(GError) local_error = NULL;
  GStatBuf st;

  if (g_stat (self->path, &st) != 0)
    {
      if (errno == ENOENT)
        return g_steal_pointer (&keyfile);
      g_set_error (error, KIOSK_PINS_ERROR, KIOSK_PINS_ERROR_FILE,
                   "cannot read the PIN file %s: %s", self->path, g_strerror (errno));
      return NULL;
    }
  if ((st.st_mode & 077) != 0)
    {
      g_set_error (error, KIOSK_PINS_ERROR, KIOSK_PINS_ERROR_FILE,
                   "the PIN file %s is readable by group or others (mode %04o); run: chmod 600 %s",
                   self->path, (guint) (st.st_mode & 07777), self->path);
      return NULL;
    }
  if (!g_key_file_load_from_file (keyfile, self->path, G_KEY_FILE_NONE, &local_error))
    {
      g_set_error (error, KIOSK_PINS_ERROR, KIOSK_PINS_ERROR_FILE,
                   "cannot read the PIN file %s: %s", self->path, local_error->message);
      return NULL;
    }
  return g_steal_pointer (&keyfile);
}

static gboolean
save (KioskPins  *self,
      GKeyFile   *keyfile,
      GError    **error)
{
  g_autofree char *data = g_key_file_to_data (keyfile, NULL, NULL);
  g_autofree char *dir = g_path_get_dirname (self->path);
  g_autoptr(GError) local_error = NULL;

  if (g_mkdir_with_parents (dir, 0750) != 0 ||
      !g_file_set_contents_full (self->path, data, -1,
                                 G_FILE_SET_CONTENTS_CONSISTENT | G_FILE_SET_CONTENTS_DURABLE,
                                 0600, &local_error))
    {
      g_set_error (error, KIOSK_PINS_ERROR, KIOSK_PINS_ERROR_FILE,
                   "cannot write the PIN file %s: %s", self->path,
                   local_error != NULL ? local_error->message : g_strerror (errno));
      return FALSE;
    }
  return TRUE;
}

/* The counter is read, changed and written back: without a lock between
 * processes (the kiosk, stadtkioskctl) and threads, eight concurrent wrong
 * PINs counted once or twice.  Every verify, set and reset holds an flock
 * on PATH.lock for the whole read-check-write (the file itself is replaced
 * on save, so it cannot carry the lock).  Attempts queue behind it, so one
 * that comes during a wait another attempt just started is refused too. */
#define LOCK_WAIT_MS (30 * 1000)

static KioskLock *
lock_file (KioskPins  *self,
           GError    **error)
{
  g_autofree char *path = g_strconcat (self->path, ".lock", NULL);
  g_autofree char *dir = g_path_get_dirname (self->path);
  g_autoptr(GError) local_error = NULL;
  KioskLock *lock;

  g_mkdir_with_parents (dir, 0750);
  lock = kiosk_lock_try_acquire (path, LOCK_WAIT_MS, &local_error);
  if (lock == NULL)
    g_set_error (error, KIOSK_PINS_ERROR, KIOSK_PINS_ERROR_FILE,
                 "the PIN file %s is busy (%s)", self->path, local_error->message);
  return lock;
}

static void
kiosk_pins_finalize (GObject *object)
{
  KioskPins *self = (KioskPins *)object;

  g_free (self->path);
  g_clear_object (&self->clock);

  G_OBJECT_CLASS (kiosk_pins_parent_class)->finalize (object);
}

static void
kiosk_pins_class_init (KioskPinsClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = kiosk_pins_finalize;
}

static void
kiosk_pins_init (KioskPins *self)
{
}

/**
 * kiosk_pins_new:
 * @path: the PIN file (created on the first kiosk_pins_set())
 * @clock: the clock for delays and lockouts
 *
 * Returns: (transfer full): the PIN keeper
 */
KioskPins *
kiosk_pins_new (const char *path,
                KioskClock *clock)
{
  KioskPins *self;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (KIOSK_IS_CLOCK (clock), NULL);

  if (sodium_init () < 0)
    g_error ("libsodium cannot be initialised");

  self = g_object_new (KIOSK_TYPE_PINS, NULL);
  self->path = g_strdup (path);
  self->clock = g_object_ref (clock);
  return self;
}

static gboolean
check_strength (const char  *pin,
                GError     **error)
{
  gsize len = strlen (pin);
  gboolean same = TRUE, up = TRUE, down = TRUE;

  if (len < MIN_PIN_DIGITS || len > MAX_PIN_DIGITS)
    goto weak;
  for (gsize i = 0; i < len; i++)
    {
      if (!g_ascii_isdigit (pin[i]))
        goto weak;
      if (i > 0)
        {
          same = same && pin[i] == pin[i - 1];
          up = up && pin[i] == pin[i - 1] + 1;
          down = down && pin[i] == pin[i - 1] - 1;
        }
    }
  if (same || up || down)
    {
      g_set_error (error, KIOSK_PINS_ERROR, KIOSK_PINS_ERROR_WEAK,
                   "a PIN of one repeated digit or a run like 123456 is too easy to guess");
      return FALSE;
    }
  return TRUE;

weak:
  g_set_error (error, KIOSK_PINS_ERROR, KIOSK_PINS_ERROR_WEAK,
               "a PIN has %d to %d digits and nothing else", MIN_PIN_DIGITS, MAX_PIN_DIGITS);
  return FALSE;
}

/**
 * kiosk_pins_set:
 * @role: clerk or admin
 * @pin: 6 to 12 digits, not one repeated digit, not a run
 *
 * Stores the Argon2id hash of @pin for @role.  Clerk and admin PINs must
 * differ: a PIN names its role.
 */
gboolean
kiosk_pins_set (KioskPins   *self,
                KioskRole    role,
                const char  *pin,
                GError     **error)
{
  g_autoptr(KioskLock) lock = NULL;
  g_autoptr(GKeyFile) keyfile = NULL;
  g_autofree char *other = NULL;
  char hash[crypto_pwhash_STRBYTES];
  KioskRole other_role = role == KIOSK_ROLE_CLERK ? KIOSK_ROLE_ADMIN : KIOSK_ROLE_CLERK;

  g_return_val_if_fail (KIOSK_IS_PINS (self), FALSE);
  g_return_val_if_fail (role == KIOSK_ROLE_CLERK || role == KIOSK_ROLE_ADMIN, FALSE);
  g_return_val_if_fail (pin != NULL, FALSE);

  if (!check_strength (pin, error))
    return FALSE;
  lock = lock_file (self, error);
  if (lock == NULL)
    return FALSE;
  keyfile = load (self, error);
  if (keyfile == NULL)
    return FALSE;

  other = g_key_file_get_string (keyfile, "pins", kiosk_role_to_string (other_role), NULL);
  if (other != NULL && crypto_pwhash_str_verify (other, pin, strlen (pin)) == 0)
    {
      g_set_error (error, KIOSK_PINS_ERROR, KIOSK_PINS_ERROR_WEAK,
                   "the clerk and the admin PIN must differ");
      return FALSE;
    }

  if (crypto_pwhash_str (hash, pin, strlen (pin),
                         crypto_pwhash_OPSLIMIT_INTERACTIVE, crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
    {
      g_set_error (error, KIOSK_PINS_ERROR, KIOSK_PINS_ERROR_FILE,
                   "not enough memory to hash the PIN");
      return FALSE;
    }
  g_key_file_set_string (keyfile, "pins", kiosk_role_to_string (role), hash);
  return save (self, keyfile, error);
}

gboolean
kiosk_pins_is_set (KioskPins *self,
                   KioskRole  role)
{
  g_autoptr(GKeyFile) keyfile = NULL;

  g_return_val_if_fail (KIOSK_IS_PINS (self), FALSE);

  keyfile = load (self, NULL);
  return keyfile != NULL && g_key_file_has_key (keyfile, "pins", kiosk_role_to_string (role), NULL);
}

static gint64
wait_after (guint failures)
{
  if (failures >= KIOSK_PINS_LOCKOUT_FAILURES)
    return (gint64) KIOSK_PINS_LOCKOUT_SECONDS * G_USEC_PER_SEC;
  if (failures <= KIOSK_PINS_FREE_FAILURES)
    return 0;
  return ((gint64) 1 << (failures - KIOSK_PINS_FREE_FAILURES)) * G_USEC_PER_SEC;
}

/**
 * kiosk_pins_verify:
 * @pin: what was typed
 *
 * Checks @pin against both roles' hashes (both, always, so the time taken
 * says nothing).  While a wait or a lockout runs, every attempt is refused
 * without being checked.  A failure counts and the wait grows; success
 * resets the counter.
 *
 * Returns: the role the PIN opens, or %KIOSK_ROLE_NONE with @error set
 *   (%KIOSK_PINS_ERROR_REFUSED, always "PIN not accepted.")
 */
KioskRole
kiosk_pins_verify (KioskPins   *self,
                   const char  *pin,
                   GError     **error)
{
  g_autoptr(KioskLock) lock = NULL;
  g_autoptr(GKeyFile) keyfile = NULL;
  g_autofree char *clerk = NULL;
  g_autofree char *admin = NULL;
  gint64 now, wait_until;
  guint failures;
  KioskRole role = KIOSK_ROLE_NONE;
  gboolean clerk_ok, admin_ok;

  g_return_val_if_fail (KIOSK_IS_PINS (self), KIOSK_ROLE_NONE);
  g_return_val_if_fail (pin != NULL, KIOSK_ROLE_NONE);

  lock = lock_file (self, error);
  if (lock == NULL)
    return KIOSK_ROLE_NONE;
  keyfile = load (self, error);
  if (keyfile == NULL)
    return KIOSK_ROLE_NONE;

  now = kiosk_clock_get_now (self->clock);
  wait_until = g_key_file_get_int64 (keyfile, "lockout", "wait-until-us", NULL);
  failures = (guint) g_key_file_get_integer (keyfile, "lockout", "failures", NULL);
  if (now < wait_until)
    {
      set_refused (error);
      return KIOSK_ROLE_NONE;
    }

  clerk = g_key_file_get_string (keyfile, "pins", "clerk", NULL);
  admin = g_key_file_get_string (keyfile, "pins", "admin", NULL);
  clerk_ok = clerk != NULL && crypto_pwhash_str_verify (clerk, pin, strlen (pin)) == 0;
  admin_ok = admin != NULL && crypto_pwhash_str_verify (admin, pin, strlen (pin)) == 0;
  if (admin_ok)
    role = KIOSK_ROLE_ADMIN;
  else if (clerk_ok)
    role = KIOSK_ROLE_CLERK;

  if (role != KIOSK_ROLE_NONE)
    {
      if (failures != 0)
        {
          g_key_file_remove_group (keyfile, "lockout", NULL);
          if (!save (self, keyfile, error))
            return KIOSK_ROLE_NONE;
        }
      return role;
    }

  failures++;
  g_key_file_set_integer (keyfile, "lockout", "failures", (gint) failures);
  g_key_file_set_int64 (keyfile, "lockout", "wait-until-us", now + wait_after (failures));
  if (!save (self, keyfile, error))
    return KIOSK_ROLE_NONE;
  set_refused (error);
  return KIOSK_ROLE_NONE;
}

/**
 * kiosk_pins_get_wait_until:
 *
 * Returns: until when attempts are refused (µs since the epoch; in the past
 *   when there is no wait)
 */
gint64
kiosk_pins_get_wait_until (KioskPins *self)
{
  g_autoptr(GKeyFile) keyfile = NULL;

  g_return_val_if_fail (KIOSK_IS_PINS (self), 0);

  keyfile = load (self, NULL);
  return keyfile != NULL ? g_key_file_get_int64 (keyfile, "lockout", "wait-until-us", NULL) : 0;
}

guint
kiosk_pins_get_failures (KioskPins *self)
{
  g_autoptr(GKeyFile) keyfile = NULL;

  g_return_val_if_fail (KIOSK_IS_PINS (self), 0);

  keyfile = load (self, NULL);
  return keyfile != NULL ? (guint) g_key_file_get_integer (keyfile, "lockout", "failures", NULL) : 0;
}

/**
 * kiosk_pins_reset_lockout:
 *
 * Clears the failure counter and any wait (an admin over SSH).
 */
gboolean
kiosk_pins_reset_lockout (KioskPins  *self,
                          GError    **error)
{
  g_autoptr(KioskLock) lock = NULL;
  g_autoptr(GKeyFile) keyfile = NULL;

  g_return_val_if_fail (KIOSK_IS_PINS (self), FALSE);

  lock = lock_file (self, error);
  if (lock == NULL)
    return FALSE;
  keyfile = load (self, error);
  if (keyfile == NULL)
    return FALSE;
  g_key_file_remove_group (keyfile, "lockout", NULL);
  return save (self, keyfile, error);
}

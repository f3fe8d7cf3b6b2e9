/* test-automount.c
 *
 * SPDX-FileCopyrightText: 2026 Stadtkiosk contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <gio/gio.h>

#include "kiosk-automount.h"

/* Which volumes the kiosk mounts by itself: only unmounted ones on a
 * removable drive that GIO may and would automount.  A stub volume and
 * drive stand in for what udisks2 reports through GIO (no USB stick here). */

#define TEST_TYPE_DRIVE (test_drive_get_type ())
G_DECLARE_FINAL_TYPE (TestDrive, test_drive, TEST, DRIVE, GObject)
struct _TestDrive { GObject parent_instance; gboolean removable; gboolean media_removable; };
static gboolean drive_is_removable (GDrive *d) { return TEST_DRIVE (d)->removable; }
static gboolean drive_is_media_removable (GDrive *d) { return TEST_DRIVE (d)->media_removable; }
static void
test_drive_iface_init (GDriveIface *iface)
{
  iface->is_removable = drive_is_removable;
  iface->is_media_removable = drive_is_media_removable;
}
G_DEFINE_FINAL_TYPE_WITH_CODE (TestDrive, test_drive, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_DRIVE, test_drive_iface_init))
static void test_drive_class_init (TestDriveClass *klass) { }
static void test_drive_init (TestDrive *self) { }

#define TEST_TYPE_VOLUME (test_volume_get_type ())
G_DECLARE_FINAL_TYPE (TestVolume, test_volume, TEST, VOLUME, GObject)
struct _TestVolume { GObject parent_instance; GDrive *drive; gboolean mounted; gboolean can_mount; gboolean automount; };
static GDrive *volume_get_drive (GVolume *v) { return TEST_VOLUME (v)->drive ? g_object_ref (TEST_VOLUME (v)->drive) : NULL; }
/* Any object stands for "a mount exists"; the code only tests for NULL. */
static GMount *volume_get_mount (GVolume *v) { return TEST_VOLUME (v)->mounted ? (GMount *) g_object_new (G_TYPE_OBJECT, NULL) : NULL; }
static gboolean volume_can_mount (GVolume *v) { return TEST_VOLUME (v)->can_mount; }
static gboolean volume_should_automount (GVolume *v) { return TEST_VOLUME (v)->automount; }
static void
test_volume_iface_init (GVolumeIface *iface)
{
  iface->get_drive = volume_get_drive;
  iface->get_mount = volume_get_mount;
  iface->can_mount = volume_can_mount;
  iface->should_automount = volume_should_automount;
}
G_DEFINE_FINAL_TYPE_WITH_CODE (TestVolume, test_volume, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_VOLUME, test_volume_iface_init))
static void
test_volume_finalize (GObject *object)
{
  g_clear_object (&TEST_VOLUME (object)->drive);
  G_OBJECT_CLASS (test_volume_parent_class)->finalize (object);
}
static void test_volume_class_init (TestVolumeClass *klass) { G_OBJECT_CLASS (klass)->finalize = test_volume_finalize; }
static void test_volume_init (TestVolume *self) { }

static gboolean
decide (gboolean has_drive,
        gboolean removable,
        gboolean media_removable,
        gboolean mounted,
        gboolean can_mount,
        gboolean automount)
{
  g_autoptr(TestVolume) volume = g_object_new (TEST_TYPE_VOLUME, NULL);

  if (has_drive)
    {
      TestDrive *drive = g_object_new (TEST_TYPE_DRIVE, NULL);

      drive->removable = removable;
      drive->media_removable = media_removable;
      volume->drive = G_DRIVE (drive);
    }
  volume->mounted = mounted;
  volume->can_mount = can_mount;
  volume->automount = automount;
  return kiosk_automount_should_mount (G_VOLUME (volume));
}

static void
test_should_mount (void)
{
  /* A USB stick (the positive case, which proves the stubs are seen). */
  g_assert_true (decide (TRUE, TRUE, FALSE, FALSE, TRUE, TRUE));
  /* A card in a reader: removable media. */
  g_assert_true (decide (TRUE, FALSE, TRUE, FALSE, TRUE, TRUE));
  /* An internal disk, a volume without a drive (e.g. from fstab). */
  g_assert_false (decide (TRUE, FALSE, FALSE, FALSE, TRUE, TRUE));
  g_assert_false (decide (FALSE, FALSE, FALSE, FALSE, TRUE, TRUE));
  /* Already mounted, not mountable, or one GIO would not automount. */
  g_assert_false (decide (TRUE, TRUE, FALSE, TRUE, TRUE, TRUE));
  g_assert_false (decide (TRUE, TRUE, FALSE, FALSE, FALSE, TRUE));
  g_assert_false (decide (TRUE, TRUE, FALSE, FALSE, TRUE, FALSE));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/kiosk/automount/should-mount", test_should_mount);

  return g_test_run ();
}

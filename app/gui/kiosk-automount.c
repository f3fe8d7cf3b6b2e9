/* kiosk-automount.c
 *
 * SPDX-FileCopyrightText: 2026 Stadtkiosk contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "stadtkiosk-automount"

#include "config.h"

#include "kiosk-automount.h"

/* Mounts USB sticks as they are plugged in, so that the admin screen finds
 * them under /media for the queue export or a catalogue import.  On a
 * desktop the shell or the file manager does this; in cage nothing does.
 * GIO's volume monitor sees removable drives through udisks2 (the gvfs
 * udisks2 volume monitor, on the session bus), and g_volume_mount() asks
 * udisks2, whose polkit rule (50-stadtkiosk.rules) lets the stadtkiosk
 * user mount removable drives and nothing else.  Only drives that say
 * they are removable are mounted here, whatever polkit would allow.
 *
 * The session unit turns it on (STADTKIOSK_AUTOMOUNT=1): a kiosk started
 * by hand on a desktop leaves mounting to the desktop. */

static GVolumeMonitor *monitor;

/**
 * kiosk_automount_should_mount:
 * @volume: a volume the monitor reported
 *
 * Returns: %TRUE for a not yet mounted volume on a removable drive that
 *   GIO may mount and would automount
 */
gboolean
kiosk_automount_should_mount (GVolume *volume)
{
  g_autoptr(GDrive) drive = NULL;
  g_autoptr(GMount) mount = NULL;

  g_return_val_if_fail (G_IS_VOLUME (volume), FALSE);

  mount = g_volume_get_mount (volume);
  if (mount != NULL || !g_volume_can_mount (volume) || !g_volume_should_automount (volume))
    return FALSE;
  drive = g_volume_get_drive (volume);
  return drive != NULL && (g_drive_is_removable (drive) || g_drive_is_media_removable (drive));
}

static void
volume_mounted_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  GVolume *volume = G_VOLUME (object);
  g_autoptr(GError) error = NULL;
  g_autofree char *name = g_volume_get_name (volume);
  g_autoptr(GMount) mount = NULL;
  g_autoptr(GFile) root = NULL;
  g_autofree char *path = NULL;

  if (!g_volume_mount_finish (volume, result, &error))
    {
      /* The admin screen still offers to type a path. */
      g_message ("could not mount the USB stick '%s': %s", name, error->message);
      return;
    }
  mount = g_volume_get_mount (volume);
  root = mount != NULL ? g_mount_get_root (mount) : NULL;
  path = root != NULL ? g_file_get_path (root) : NULL;
  g_message ("mounted the USB stick '%s' at %s", name, path != NULL ? path : "(unknown)");
}

static void
mount_if_wanted (GVolume *volume)
{
  if (!kiosk_automount_should_mount (volume))
    return;
  g_volume_mount (volume, G_MOUNT_MOUNT_NONE, NULL, NULL, volume_mounted_cb, NULL);
}

static void
volume_added_cb (GVolumeMonitor *volume_monitor,
                 GVolume        *volume,
                 gpointer        user_data)
{
  mount_if_wanted (volume);
}

/**
 * kiosk_automount_start:
 *
 * Mounts removable volumes that are present now and those plugged in
 * later, for the life of the process, when `STADTKIOSK_AUTOMOUNT=1` is set
 * (the session unit sets it).
 */
void
kiosk_automount_start (void)
{
  GList *volumes;

  if (g_strcmp0 (g_getenv ("STADTKIOSK_AUTOMOUNT"), "1") != 0 || monitor != NULL)
    return;

  monitor = g_volume_monitor_get ();
  g_signal_connect (monitor, "volume-added", G_CALLBACK (volume_added_cb), NULL);
  volumes = g_volume_monitor_get_volumes (monitor);
  for (GList *l = volumes; l != NULL; l = l->next)
    mount_if_wanted (l->data);
  g_list_free_full (volumes, g_object_unref);
}

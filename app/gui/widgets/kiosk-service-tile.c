/* kiosk-service-tile.c
 *
 * SPDX-FileCopyrightText: 2026 Stadtkiosk contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "stadtkiosk"

#include "config.h"

#include "kiosk-service-tile.h"

/* One service on the catalogue page: a large button with the service's
 * icon, title and a short summary, which opens the service.
 *
 * The page keeps its tiles and binds each to another service as a citizen
 * types (kiosk-catalog-page.c), instead of building new ones per keystroke:
 * building and styling 60 tiles cost most of a keystroke's frame (#18).  A
 * tile bound again to the service it shows changes nothing, so GTK neither
 * measures nor lays it out again.  The children are built in code, not from
 * a template, as the page builds up to 60 of them at once. */

struct _KioskServiceTile
{
  GtkButton     parent_instance;

  GtkWidget    *image;
  GtkWidget    *title_label;
  GtkWidget    *summary_label;

  KioskService *service;     /* the one shown, NULL until bound */
  char         *locale;
};

G_DEFINE_FINAL_TYPE (KioskServiceTile, kiosk_service_tile, GTK_TYPE_BUTTON)

static void
kiosk_service_tile_dispose (GObject *object)
{
  KioskServiceTile *self = (KioskServiceTile *)object;

  g_clear_object (&self->service);

  G_OBJECT_CLASS (kiosk_service_tile_parent_class)->dispose (object);
}

static void
kiosk_service_tile_finalize (GObject *object)
{
  KioskServiceTile *self = (KioskServiceTile *)object;

  g_free (self->locale);

  G_OBJECT_CLASS (kiosk_service_tile_parent_class)->finalize (object);
}

static void
kiosk_service_tile_class_init (KioskServiceTileClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = kiosk_service_tile_dispose;
  object_class->finalize = kiosk_service_tile_finalize;
}

static void
kiosk_service_tile_init (KioskServiceTile *self)
{
  GtkWidget *grid = gtk_grid_new ();
  GtkWidget *text = gtk_box_new (GTK_ORIENTATION_VERTICAL, 4);

  self->image = gtk_image_new ();
  self->title_label = gtk_label_new (NULL);
  self->summary_label = gtk_label_new (NULL);

  gtk_image_set_pixel_size (GTK_IMAGE (self->image), 48);
  gtk_widget_set_valign (self->image, GTK_ALIGN_START);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->image),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, "", -1);
  gtk_label_set_xalign (GTK_LABEL (self->title_label), 0);
  gtk_label_set_wrap (GTK_LABEL (self->title_label), TRUE);
  gtk_label_set_max_width_chars (GTK_LABEL (self->title_label), 24);
  gtk_label_set_width_chars (GTK_LABEL (self->title_label), 18);
  gtk_widget_add_css_class (self->title_label, "kiosk-tile-title");
  gtk_label_set_xalign (GTK_LABEL (self->summary_label), 0);
  gtk_label_set_wrap (GTK_LABEL (self->summary_label), TRUE);
  gtk_label_set_lines (GTK_LABEL (self->summary_label), 3);
  gtk_label_set_max_width_chars (GTK_LABEL (self->summary_label), 30);
  gtk_label_set_width_chars (GTK_LABEL (self->summary_label), 18);
  gtk_label_set_ellipsize (GTK_LABEL (self->summary_label), PANGO_ELLIPSIZE_END);
  gtk_widget_add_css_class (self->summary_label, "kiosk-tile-summary");
  gtk_box_append (GTK_BOX (text), self->title_label);
  gtk_box_append (GTK_BOX (text), self->summary_label);
  /* A grid, not a horizontal GtkBox: the box checks the text column's
   * width for an endless height against its minimum width, and wrapped
   * labels with a line limit disagree there (a Gtk-CRITICAL on the Arabic
   * catalogue, whose titles hold German words in brackets). */
  gtk_grid_set_column_spacing (GTK_GRID (grid), 16);
  gtk_grid_attach (GTK_GRID (grid), self->image, 0, 0, 1, 1);
  gtk_grid_attach (GTK_GRID (grid), text, 1, 0, 1, 1);
  gtk_widget_set_hexpand (text, TRUE);
  gtk_button_set_child (GTK_BUTTON (self), grid);
  gtk_widget_add_css_class (GTK_WIDGET (self), "kiosk-tile");
}

GtkWidget *
kiosk_service_tile_new (void)
{
  return g_object_new (KIOSK_TYPE_SERVICE_TILE, NULL);
}

/**
 * kiosk_service_tile_bind:
 * @service: the service to show
 * @locale: the language to show it in
 *
 * Shows @service on the tile; its button then opens @service
 * (`kiosk.open-service`), and its accessible name is the title and summary.
 *
 * Returns: %TRUE if the tile changed, %FALSE if it showed @service already
 */
gboolean
kiosk_service_tile_bind (KioskServiceTile *self,
                         KioskService     *service,
                         const char       *locale)
{
  const char *title, *summary, *icon;
  g_autofree char *accessible = NULL;

  g_return_val_if_fail (KIOSK_IS_SERVICE_TILE (self), FALSE);
  g_return_val_if_fail (KIOSK_IS_SERVICE (service), FALSE);

  if (self->service == service && g_strcmp0 (self->locale, locale) == 0)
    return FALSE;

  g_set_object (&self->service, service);
  g_free (self->locale);
  self->locale = g_strdup (locale);

  title = kiosk_service_get_title (service, locale);
  summary = kiosk_service_get_summary (service, locale);
  icon = kiosk_service_get_icon (service);
  if (icon == NULL || *icon == '\0')
    icon = "document-edit-symbolic";
  accessible = g_strdup_printf ("%s. %s", title, summary != NULL ? summary : "");

  if (g_strcmp0 (gtk_image_get_icon_name (GTK_IMAGE (self->image)), icon) != 0)
    gtk_image_set_from_icon_name (GTK_IMAGE (self->image), icon);
  gtk_label_set_text (GTK_LABEL (self->title_label), title);
  gtk_label_set_text (GTK_LABEL (self->summary_label), summary != NULL ? summary : "");
  gtk_actionable_set_action_name (GTK_ACTIONABLE (self), "kiosk.open-service");
  gtk_actionable_set_action_target (GTK_ACTIONABLE (self), "s", kiosk_service_get_id (service));
  gtk_widget_set_name (GTK_WIDGET (self), kiosk_service_get_id (service));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, accessible, -1);
  return TRUE;
}

/**
 * kiosk_service_tile_get_service:
 *
 * Returns: (transfer none) (nullable): the service shown, if bound
 */
KioskService *
kiosk_service_tile_get_service (KioskServiceTile *self)
{
  g_return_val_if_fail (KIOSK_IS_SERVICE_TILE (self), NULL);
  return self->service;
}

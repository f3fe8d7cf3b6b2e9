/* kiosk-catalog-page.c
 *
 * SPDX-FileCopyrightText: 2026 Stadtkiosk contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "stadtkiosk"

#include "config.h"

#include <glib/gi18n.h>

#include "kiosk-catalog-page.h"
#include "kiosk-catalog-page-private.h"
#include "kiosk-service-tile.h"
#include "kiosk-speech.h"

/* Categories across the top, then the services as large tiles with an icon
 * and a one-line summary.  Searching covers every language of the
 * catalogue, so a person can type the word they know.
 *
 * At most MAX_TILES tiles are built: a catalogue the size of the federal
 * one has 6,000 services, and one typed letter finds most of them.  Six
 * thousand tiles take seconds to build and lay out, far more than a frame,
 * and nobody scrolls through them; a last tile asks for another word or a
 * category instead (tests/bench/bench-catalog-page.c measures both).
 *
 * The tiles are kept from one keystroke to the next and bound to the new
 * results (kiosk-service-tile.c); building 60 new ones per keystroke cost
 * most of the frame. */

#define MAX_TILES 60

struct _KioskCatalogPage
{
  AdwBin        parent_instance;

  GtkWidget    *search_entry;
  GtkWidget    *categories_box;
  GtkWidget    *tiles_box;
  GtkWidget    *not_found_tile;
  GtkWidget    *more_tile;
  GtkWidget    *unavailable_label;

  KioskCatalog *catalog;
  char         *locale;
  char         *category_id;   /* NULL for all */
  guint         n_tiles;
  guint         n_results;
  guint         max_tiles;
  GPtrArray    *tiles;         /* of KioskServiceTile, in the flow box's order */
  char         *shown_query;   /* what the tiles were found for */
  gboolean      reuse_tiles;
};

G_DEFINE_FINAL_TYPE (KioskCatalogPage, kiosk_catalog_page, ADW_TYPE_BIN)

/* A new tile at the end of the pool, as a flow box child of its own. */
static KioskServiceTile *
add_tile (KioskCatalogPage *self)
{
  GtkWidget *tile = kiosk_service_tile_new ();

  gtk_flow_box_append (GTK_FLOW_BOX (self->tiles_box), tile);
  /* Only the tile buttons are focus stops, not the flow box children. */
  gtk_widget_set_focusable (gtk_widget_get_parent (tile), FALSE);
  g_ptr_array_add (self->tiles, tile);
  return KIOSK_SERVICE_TILE (tile);
}

/* Drops the tiles from @keep on. */
static void
trim_tiles (KioskCatalogPage *self,
            guint             keep)
{
  while (self->tiles->len > keep)
    {
      GtkWidget *tile = g_ptr_array_steal_index (self->tiles, self->tiles->len - 1);

      gtk_flow_box_remove (GTK_FLOW_BOX (self->tiles_box), gtk_widget_get_parent (tile));
    }
}

/* Tile i shows result i.  The tiles are kept and bound again rather than
 * built per keystroke; those beyond the results are hidden, not destroyed,
 * and a tile that shows the same service as before is left alone. */
static void
fill_tiles (KioskCatalogPage *self,
            GListModel       *model)
{
  guint n_results = model != NULL ? g_list_model_get_n_items (model) : 0;
  guint n = MIN (n_results, self->max_tiles);
  guint i;

  if (!self->reuse_tiles)
    trim_tiles (self, 0);

  for (i = 0; i < n; i++)
    {
      g_autoptr(KioskService) service = g_list_model_get_item (model, i);
      KioskServiceTile *tile = i < self->tiles->len ? g_ptr_array_index (self->tiles, i) : add_tile (self);

      kiosk_service_tile_bind (tile, service, self->locale);
      gtk_widget_set_visible (gtk_widget_get_parent (GTK_WIDGET (tile)), TRUE);
    }
  for (; i < self->tiles->len; i++)
    gtk_widget_set_visible (gtk_widget_get_parent (g_ptr_array_index (self->tiles, i)), FALSE);

  self->n_tiles = n;
  self->n_results = n_results;
  gtk_widget_set_visible (self->not_found_tile, n == 0);
  gtk_widget_set_visible (self->more_tile, n < n_results);
}

static void
refresh (KioskCatalogPage *self)
{
  g_autofree char *query = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->search_entry))));
  g_autoptr(GListModel) model = NULL;

  /* whatever the citizen does next, the notice has been read */
  gtk_widget_set_visible (self->unavailable_label, FALSE);
  if (self->catalog == NULL)
    {
      fill_tiles (self, NULL);
      return;
    }
  if (*query != '\0')
    model = kiosk_catalog_search (self->catalog, query);
  else if (self->category_id != NULL)
    model = kiosk_catalog_list_category (self->catalog, self->category_id);
  else
    model = g_object_ref (G_LIST_MODEL (self->catalog));

  fill_tiles (self, model);
  g_free (self->shown_query);
  self->shown_query = g_strdup (query);
  /* While searching, the results take the place of the categories, so that
   * they stay visible above the on-screen keyboard. */
  gtk_widget_set_visible (self->categories_box, *query == '\0');

  for (GtkWidget *child = gtk_widget_get_first_child (self->categories_box);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *button = gtk_flow_box_child_get_child (GTK_FLOW_BOX_CHILD (child));
      const char *id = g_object_get_data (G_OBJECT (button), "kiosk-category");

      gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (button),
                                    *query == '\0' &&
                                    g_strcmp0 (id, self->category_id) == 0);
    }
}

static void
search_changed_cb (KioskCatalogPage *self)
{
  g_autofree char *query = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->search_entry))));

  /* kiosk_catalog_page_set_query() and _set_category() have searched for
   * this text already. */
  if (g_strcmp0 (query, self->shown_query) == 0)
    return;
  refresh (self);
}

static void
category_clicked_cb (GtkButton        *button,
                     KioskCatalogPage *self)
{
  kiosk_catalog_page_set_category (self, g_object_get_data (G_OBJECT (button), "kiosk-category"));
}

static void
add_category_button (KioskCatalogPage *self,
                     const char       *id,
                     const char       *icon,
                     const char       *title)
{
  GtkWidget *button = gtk_toggle_button_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 8);

  if (icon != NULL && *icon != '\0')
    {
      GtkWidget *image = gtk_image_new_from_icon_name (icon);

      gtk_accessible_update_property (GTK_ACCESSIBLE (image),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, "", -1);
      gtk_box_append (GTK_BOX (box), image);
    }
  gtk_box_append (GTK_BOX (box), gtk_label_new (title));
  gtk_button_set_child (GTK_BUTTON (button), box);
  gtk_widget_add_css_class (button, "kiosk-category");
  gtk_accessible_update_property (GTK_ACCESSIBLE (button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, title, -1);
  g_object_set_data_full (G_OBJECT (button), "kiosk-category", g_strdup (id), g_free);
  g_signal_connect (button, "clicked", G_CALLBACK (category_clicked_cb), self);
  gtk_flow_box_append (GTK_FLOW_BOX (self->categories_box), button);
  gtk_widget_set_focusable (gtk_widget_get_parent (button), FALSE);
}

static void
kiosk_catalog_page_dispose (GObject *object)
{
  KioskCatalogPage *self = (KioskCatalogPage *)object;

  g_clear_object (&self->catalog);

  G_OBJECT_CLASS (kiosk_catalog_page_parent_class)->dispose (object);
}

static void
kiosk_catalog_page_finalize (GObject *object)
{
  KioskCatalogPage *self = (KioskCatalogPage *)object;

  g_free (self->locale);
  g_free (self->category_id);
  g_free (self->shown_query);
  g_ptr_array_unref (self->tiles);

  G_OBJECT_CLASS (kiosk_catalog_page_parent_class)->finalize (object);
}

static void
kiosk_catalog_page_class_init (KioskCatalogPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = kiosk_catalog_page_dispose;
  object_class->finalize = kiosk_catalog_page_finalize;

  gtk_widget_class_set_template_from_resource (widget_class, "/de/hildesheim/Stadtkiosk/pages/kiosk-catalog-page.ui");
  gtk_widget_class_bind_template_child (widget_class, KioskCatalogPage, search_entry);
  gtk_widget_class_bind_template_child (widget_class, KioskCatalogPage, categories_box);
  gtk_widget_class_bind_template_child (widget_class, KioskCatalogPage, tiles_box);
  gtk_widget_class_bind_template_child (widget_class, KioskCatalogPage, not_found_tile);
  gtk_widget_class_bind_template_child (widget_class, KioskCatalogPage, more_tile);
  gtk_widget_class_bind_template_child (widget_class, KioskCatalogPage, unavailable_label);
}

static void
kiosk_catalog_page_init (KioskCatalogPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->max_tiles = MAX_TILES;
  self->tiles = g_ptr_array_new ();
  self->reuse_tiles = TRUE;
  g_signal_connect_swapped (self->search_entry, "search-changed", G_CALLBACK (search_changed_cb), self);
}

/* The forgiving search's vocabulary, built while nobody types yet. */
static gboolean
prepare_search_cb (gpointer user_data)
{
  kiosk_catalog_prepare_search (KIOSK_CATALOG (user_data));
  return G_SOURCE_REMOVE;
}

GtkWidget *
kiosk_catalog_page_new (KioskCatalog *catalog,
                        const char   *locale)
{
  KioskCatalogPage *self = g_object_new (KIOSK_TYPE_CATALOG_PAGE, NULL);

  self->catalog = catalog != NULL ? g_object_ref (catalog) : NULL;
  self->locale = g_strdup (locale);

  if (catalog != NULL)
    {
      GPtrArray *categories = kiosk_catalog_get_categories (catalog);

      g_idle_add_full (G_PRIORITY_LOW, prepare_search_cb, g_object_ref (catalog), g_object_unref);

      add_category_button (self, NULL, "view-grid-symbolic", _("All services"));
      for (guint i = 0; categories != NULL && i < categories->len; i++)
        {
          KioskCategory *category = g_ptr_array_index (categories, i);

          add_category_button (self,
                               kiosk_category_get_id (category),
                               kiosk_category_get_icon (category),
                               kiosk_category_get_title (category, locale));
        }
    }
  refresh (self);

  return GTK_WIDGET (self);
}

void
kiosk_catalog_page_set_query (KioskCatalogPage *self,
                              const char       *query)
{
  g_return_if_fail (KIOSK_IS_CATALOG_PAGE (self));

  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), query != NULL ? query : "");
  refresh (self);
}

void
kiosk_catalog_page_set_category (KioskCatalogPage *self,
                                 const char       *category_id)
{
  g_return_if_fail (KIOSK_IS_CATALOG_PAGE (self));

  g_free (self->category_id);
  self->category_id = g_strdup (category_id);
  if (*gtk_editable_get_text (GTK_EDITABLE (self->search_entry)) != '\0')
    gtk_editable_set_text (GTK_EDITABLE (self->search_entry), "");
  refresh (self);
}

guint
kiosk_catalog_page_get_n_tiles (KioskCatalogPage *self)
{
  g_return_val_if_fail (KIOSK_IS_CATALOG_PAGE (self), 0);
  return self->n_tiles;
}

GtkWidget *
kiosk_catalog_page_get_search_entry (KioskCatalogPage *self)
{
  g_return_val_if_fail (KIOSK_IS_CATALOG_PAGE (self), NULL);
  return self->search_entry;
}

/**
 * kiosk_catalog_page_show_unavailable:
 *
 * Says, on the page and aloud when speech is on, that the service just
 * tapped cannot be opened here (kiosk_session_open_service() refused it:
 * its form could not be read, or it is no longer offered).  The notice
 * goes when the citizen searches or picks a category.
 */
void
kiosk_catalog_page_show_unavailable (KioskCatalogPage *self)
{
  g_return_if_fail (KIOSK_IS_CATALOG_PAGE (self));

  gtk_widget_set_visible (self->unavailable_label, TRUE);
  kiosk_speech_announce (GTK_WIDGET (self), gtk_label_get_text (GTK_LABEL (self->unavailable_label)));
}

gboolean
kiosk_catalog_page_get_unavailable_shown (KioskCatalogPage *self)
{
  g_return_val_if_fail (KIOSK_IS_CATALOG_PAGE (self), FALSE);
  return gtk_widget_get_visible (self->unavailable_label);
}

/**
 * kiosk_catalog_page_get_n_results:
 *
 * Returns: how many services the search or category found; at most
 *   MAX_TILES of them have a tile (kiosk_catalog_page_get_n_tiles())
 */
guint
kiosk_catalog_page_get_n_results (KioskCatalogPage *self)
{
  g_return_val_if_fail (KIOSK_IS_CATALOG_PAGE (self), 0);
  return self->n_results;
}

/* kiosk-catalog-page-private.h */

void
_kiosk_catalog_page_set_max_tiles (KioskCatalogPage *self,
                                   guint             max_tiles)
{
  g_return_if_fail (KIOSK_IS_CATALOG_PAGE (self));

  self->max_tiles = max_tiles;
  trim_tiles (self, max_tiles);
  refresh (self);
}

void
_kiosk_catalog_page_set_reuse_tiles (KioskCatalogPage *self,
                                     gboolean          reuse)
{
  g_return_if_fail (KIOSK_IS_CATALOG_PAGE (self));

  self->reuse_tiles = reuse;
}

GtkWidget *
_kiosk_catalog_page_get_tile (KioskCatalogPage *self,
                              guint             index)
{
  g_return_val_if_fail (KIOSK_IS_CATALOG_PAGE (self), NULL);

  return index < self->n_tiles ? g_ptr_array_index (self->tiles, index) : NULL;
}

gboolean
_kiosk_catalog_page_get_more_shown (KioskCatalogPage *self)
{
  g_return_val_if_fail (KIOSK_IS_CATALOG_PAGE (self), FALSE);
  return gtk_widget_get_visible (self->more_tile);
}

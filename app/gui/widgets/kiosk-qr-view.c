/* kiosk-qr-view.c
 *
 * SPDX-FileCopyrightText: 2026 Stadtkiosk contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "stadtkiosk"

#include "config.h"

#include <qrencode.h>

#include "kiosk-qr-view.h"

/* A QR code on screen, drawn as crisp squares with a quiet zone. */

#define QUIET_ZONE 4

struct _KioskQrView
{
  GtkWidget  parent_instance;

  char      *text;
  QRcode    *code;
};

G_DEFINE_FINAL_TYPE (KioskQrView, kiosk_qr_view, GTK_TYPE_WIDGET)

static void
kiosk_qr_view_snapshot (GtkWidget   *widget,
                        GtkSnapshot *snapshot)
{
  KioskQrView *self = KIOSK_QR_VIEW (widget);
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  int modules, size, module, x0, y0;
  GdkRGBA white = { 1, 1, 1, 1 };
  GdkRGBA black = { 0, 0, 0, 1 };

  if (self->code == NULL)
    return;

  modules = self->code->width + 2 * QUIET_ZONE;
  size = MIN (width, height);
  module = MAX (1, size / modules);
  size = module * modules;
  x0 = (width - size) / 2;
  y0 = (height - size) / 2;

  gtk_snapshot_append_color (snapshot, &white, &GRAPHENE_RECT_INIT (x0, y0, size, size));
  for (int y = 0; y < self->code->width; y++)
    for (int x = 0; x < self->code->width; x++)
      if (self->code->data[y * self->code->width + x] & 1)
        gtk_snapshot_append_color (snapshot, &black,
                                   &GRAPHENE_RECT_INIT (x0 + (x + QUIET_ZONE) * module,
                                                        y0 + (y + QUIET_ZONE) * module,
                                                        module, module));
}

static void
kiosk_qr_view_measure (GtkWidget      *widget,
                       GtkOrientation  orientation,
                       int             for_size,
                       int            *minimum,
                       int            *natural,
                       int            *minimum_baseline,
                       int            *natural_baseline)
{
  KioskQrView *self = KIOSK_QR_VIEW (widget);
  int modules = self->code != NULL ? self->code->width + 2 * QUIET_ZONE : 0;

  *minimum = modules * 3;
  *natural = MAX (modules * 5, 240);
}

static void
kiosk_qr_view_finalize (GObject *object)
{
  KioskQrView *self = (KioskQrView *)object;

  g_free (self->text);
  g_clear_pointer (&self->code, QRcode_free);

  G_OBJECT_CLASS (kiosk_qr_view_parent_class)->finalize (object);
}

static void
kiosk_qr_view_class_init (KioskQrViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = kiosk_qr_view_finalize;
  widget_class->snapshot = kiosk_qr_view_snapshot;
  widget_class->measure = kiosk_qr_view_measure;
  gtk_widget_class_set_css_name (widget_class, "kiosk-qr");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
kiosk_qr_view_init (KioskQrView *self)
{
}

GtkWidget *
kiosk_qr_view_new (void)
{
  return g_object_new (KIOSK_TYPE_QR_VIEW, NULL);
}

void
kiosk_qr_view_set_text (KioskQrView *self,
                        const char  *text)
{
  g_return_if_fail (KIOSK_IS_QR_VIEW (self));

  g_free (self->text);
  self->text = g_strdup (text);
  g_clear_pointer (&self->code, QRcode_free);

  /* libqrencode picks numeric mode for runs of digits by itself. */
  if (text != NULL && *text != '\0')
    self->code = QRcode_encodeString (text, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
  gtk_widget_queue_resize (GTK_WIDGET (self));
}

const char *
kiosk_qr_view_get_text (KioskQrView *self)
{
  g_return_val_if_fail (KIOSK_IS_QR_VIEW (self), NULL);
  return self->text;
}

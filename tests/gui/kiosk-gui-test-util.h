/* kiosk-gui-test-util.h — what the GUI tests share
 *
 * SPDX-FileCopyrightText: 2026 Stadtkiosk contributors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

typedef gboolean (*KioskGuiTestCondition) (gpointer data);

void            kiosk_gui_test_init_display (void);
void            kiosk_gui_test_flush        (void);
gboolean        kiosk_gui_test_wait_for     (KioskGuiTestCondition  condition,
                                             gpointer               data);
void            kiosk_gui_test_settle       (GtkWidget             *widget);
GtkWidget      *kiosk_gui_test_find_label   (GtkWidget             *widget,
                                             const char            *text);
GtkWidget      *kiosk_gui_test_find_text    (GtkWidget             *widget,
                                             const char            *text);
GtkCheckButton *kiosk_gui_test_find_option  (GtkWidget             *widget,
                                             const char            *value);
GtkWidget      *kiosk_gui_test_first_label  (GtkWidget             *widget);
gboolean        kiosk_gui_test_find_mapped  (GtkWidget             *widget,
                                             GType                  type);
guint           kiosk_gui_test_count_keys   (GtkWidget             *widget);

G_END_DECLS

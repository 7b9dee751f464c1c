/*
 * ui_menu: a vertical menu (our own, not libmenuw, which sizes Thai labels
 * by code points and misaligns them) with hotkeys, a highlight bar and
 * sub-menus, plus ui_list_nav, the cursor-in-a-list logic the menu, the
 * dialogs and the pick list share.
 *
 * A menu taller than the room below its parent's row moves up; one taller
 * than the screen scrolls, and its border says how many items are above
 * and below ("▲ 3", "▼ 3 more"), so nothing is hidden without a sign.
 *
 * Labels are aligned by display width.  Moving the bar redraws only the row
 * it leaves and the row it enters (about 300 bytes on the wire for Thai
 * rows, doc/probes.md section 7); a scroll redraws the visible rows.
 *
 * Ownership: a ui_menu and its items are borrowed (usually static or built
 * by the screen engine from screens/menu.ini).
 */
#ifndef ESIS_UI_MENU_H
#define ESIS_UI_MENU_H

#include <stdbool.h>
#include "esis/ui_draw.h"

struct ui_menu;

typedef struct ui_menu_item {
    const char *label;           /* shown, already in the user's language */
    const char *help;            /* help text for F1, or NULL */
    ui_key      hotkey;          /* a character that chooses it, or 0 */
    int         id;              /* returned when a leaf is chosen (>= 0) */
    const struct ui_menu *sub;   /* a sub-menu, or NULL for a leaf */
} ui_menu_item;

typedef struct ui_menu {
    const char         *title;
    const ui_menu_item *items;
    int                 n;
} ui_menu;

/* ---- a cursor in a list of n rows shown `rows` at a time ------------- */
typedef struct ui_list_nav {
    int n;      /* items */
    int rows;   /* visible rows (>= 1) */
    int sel;    /* selected item */
    int top;    /* first visible item */
} ui_list_nav;

typedef enum ui_list_change {
    UI_LIST_NONE = 0,  /* not a movement key, or nothing moved */
    UI_LIST_SEL,       /* only sel changed: redraw the old and new row */
    UI_LIST_SCROLL,    /* top changed: redraw the visible rows */
} ui_list_change;

/* Up/Down, PgUp/PgDn, Home/End (and the keymap's page/home/end actions).
 * *old_sel gets the previous selection. */
ui_list_change ui_list_nav_key(ui_list_nav *nav, const ui_keymap *km,
                               ui_key k, int *old_sel);
/* Put sel at i (clamped) and scroll so it is visible. */
ui_list_change ui_list_nav_set(ui_list_nav *nav, int i);

/* Results of ui_menu_run besides an item id (>= 0). */
#define UI_MENU_BACK  (-1)   /* Esc at the top menu */
#define UI_MENU_QUIT  (-2)   /* quit action */
#define UI_MENU_LANG  (-3)   /* lang_toggle: the caller switches and reruns */
#define UI_MENU_SMALL (-4)   /* the terminal became smaller than the caller's
                                minimum (ui_menu_path.min_rows/min_cols) */

/* Where the user is in a menu tree, kept between runs, so that after the
 * chosen item ends (a list, a report) the same sub-menu opens again with
 * its bar where it was: Esc goes back to where the user came from, not to
 * the top.  sel[k] is the bar in the menu k levels down; depth is how many
 * sub-menus were open when the item was chosen. */
enum { UI_MENU_DEPTH = 8 };
typedef struct ui_menu_path {
    int sel[UI_MENU_DEPTH];
    int depth;
    int min_rows, min_cols;   /* below these the run returns UI_MENU_SMALL */
} ui_menu_path;

/* Index of the item whose hotkey is k, or -1. */
int ui_menu_hotkey(const ui_menu *m, ui_key k);

/* Run the menu at (y, x) of the screen, sub-menus opening to the right.
 * Returns the chosen leaf's id or UI_MENU_*.  *sel (may be NULL) keeps the
 * bar position between calls. */
int ui_menu_run(ui_ctx *ctx, const ui_menu *m, int y, int x, int *sel);
/* The same, opening again the sub-menus of *path (and updating it). */
int ui_menu_run_path(ui_ctx *ctx, const ui_menu *m, int y, int x,
                     ui_menu_path *path);

#endif

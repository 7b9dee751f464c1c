/*
 * ui_menu: list navigation and the vertical menu with sub-menus (see the
 * header for why not libmenuw).
 *
 * A menu is a box on its own panel.  A sub-menu is another ui_menu_run on
 * a panel to the right, so Esc in it returns to the parent with the parent
 * untouched on screen.
 */
#include <string.h>
#include <curses.h>
#include <panel.h>
#include "esis/text.h"
#include "esis/ui_dialog.h"
#include "esis/ui_menu.h"

static void ui_list_nav_clamp(ui_list_nav *nav)
{
    if (nav->rows < 1)
        nav->rows = 1;
    if (nav->sel >= nav->n)
        nav->sel = nav->n - 1;
    if (nav->sel < 0)
        nav->sel = 0;
    if (nav->top > nav->sel)
        nav->top = nav->sel;
    if (nav->sel >= nav->top + nav->rows)
        nav->top = nav->sel - nav->rows + 1;
    if (nav->top > nav->n - nav->rows)
        nav->top = nav->n - nav->rows;
    if (nav->top < 0)
        nav->top = 0;
}

ui_list_change ui_list_nav_set(ui_list_nav *nav, int i)
{
    int old_sel = nav->sel, old_top = nav->top;
    nav->sel = i;
    ui_list_nav_clamp(nav);
    if (nav->top != old_top)
        return UI_LIST_SCROLL;
    return nav->sel != old_sel ? UI_LIST_SEL : UI_LIST_NONE;
}

ui_list_change ui_list_nav_key(ui_list_nav *nav, const ui_keymap *km,
                               ui_key k, int *old_sel)
{
    int target = nav->sel;
    if (old_sel)
        *old_sel = nav->sel;
    if (nav->n <= 0)
        return UI_LIST_NONE;
    if (ui_key_is(k, KEY_UP))
        target--;
    else if (ui_key_is(k, KEY_DOWN))
        target++;
    else if (ui_keys_is(km, k, UI_ACT_PAGE_UP) || ui_key_is(k, KEY_PPAGE))
        target -= nav->rows;
    else if (ui_keys_is(km, k, UI_ACT_PAGE_DOWN) || ui_key_is(k, KEY_NPAGE))
        target += nav->rows;
    else if (ui_keys_is(km, k, UI_ACT_HOME) || ui_key_is(k, KEY_HOME))
        target = 0;
    else if (ui_keys_is(km, k, UI_ACT_END) || ui_key_is(k, KEY_END))
        target = nav->n - 1;
    else
        return UI_LIST_NONE;
    return ui_list_nav_set(nav, target);
}

int ui_menu_hotkey(const ui_menu *m, ui_key k)
{
    if (!ui_key_is_char(k))
        return -1;
    ui_key lower = (k >= 'A' && k <= 'Z') ? k + 32 : k;
    for (int i = 0; i < m->n; i++) {
        ui_key h = m->items[i].hotkey;
        if (h >= 'A' && h <= 'Z')
            h += 32;
        if (h != 0 && h == lower)
            return i;
    }
    return -1;
}

/* ---- drawing ---------------------------------------------------------- */

typedef struct ui_menu_view {
    ui_ctx        *ctx;
    const ui_menu *m;
    WINDOW        *win;
    PANEL         *panel;
    ui_list_nav    nav;
    int            y, x, h, w;
} ui_menu_view;

static void ui_menu_draw_row(ui_menu_view *v, int i)
{
    int row = i - v->nav.top;
    if (row < 0 || row >= v->nav.rows)
        return;
    const ui_menu_item *it = &v->m->items[i];
    bool sel = i == v->nav.sel;
    int attr = sel ? v->ctx->attr_select : 0;
    char key[8] = "  ";
    if (it->hotkey && it->hotkey < 0x80)
        key[0] = (char)it->hotkey;
    else if (it->hotkey)
        key[text_utf8_encode((unsigned)it->hotkey, key)] = '\0';
    /* '>' as well as the reverse bar: the selection shows without colour
     * and even without reverse video */
    ui_draw_text(v->win, 1 + row, 1, sel ? ">" : " ", 1, 'l', attr);
    ui_draw_text(v->win, 1 + row, 2, key, 2, 'l', attr | A_BOLD);
    ui_draw_text(v->win, 1 + row, 4, it->label, v->w - 7, 'l', attr);
    ui_draw_text(v->win, 1 + row, v->w - 3, it->sub ? ">" : " ", 2, 'l', attr);
}

/* On the bottom border, when items are hidden: "▲ 2 ▼ 3 more". */
static void ui_menu_draw_more(ui_menu_view *v)
{
    int above = v->nav.top, below = v->m->n - (v->nav.top + v->nav.rows);
    if (above <= 0 && below <= 0)
        return;
    char more[96] = "", part[48];
    if (above > 0) {
        snprintf(part, sizeof part, " ▲ %d", above);
        strcat(more, part);
    }
    if (below > 0) {
        snprintf(part, sizeof part, " ▼ %d", below);
        strcat(more, part);
    }
    snprintf(part, sizeof part, " %.32s ", ui_msg(v->ctx, "ui.menu_more"));
    strcat(more, part);
    int w = text_width(more);
    if (w > v->w - 2)
        w = v->w - 2;
    ui_draw_text(v->win, v->h - 1, v->w - 1 - w, more, w, 'l', A_BOLD);
}

static void ui_menu_draw_all(ui_menu_view *v)
{
    werase(v->win);
    ui_draw_box(v->ctx, v->win, 0, 0, v->h, v->w, v->m->title);
    for (int i = v->nav.top; i < v->nav.top + v->nav.rows && i < v->m->n; i++)
        ui_menu_draw_row(v, i);
    ui_menu_draw_more(v);
}

static int ui_menu_open(ui_menu_view *v, int y, int x)
{
    int wmax = 0;
    for (int i = 0; i < v->m->n; i++) {
        int w = text_width(v->m->items[i].label);
        if (w > wmax)
            wmax = w;
    }
    int tw = v->m->title ? text_width(v->m->title) + 6 : 0;
    v->w = wmax + 7 > tw ? wmax + 7 : tw;
    if (v->w > COLS)
        v->w = COLS;
    int avail = LINES - 3 - y;   /* keep the status and hint rows free */
    if (v->m->n + 2 > avail && y > 1) {
        /* move up (not over the title row) rather than hide items */
        y = LINES - 3 - (v->m->n + 2);
        y = y < 1 ? 1 : y;
        avail = LINES - 3 - y;
    }
    v->h = v->m->n + 2 <= avail ? v->m->n + 2 : avail;
    if (v->h < 3)
        v->h = 3;
    if (v->m->n > v->h - 2) {
        /* wide enough for "▲ n ▼ n more" on the bottom border */
        char more[64];
        snprintf(more, sizeof more, "-- ▲ %d ▼ %d %.32s --", v->m->n, v->m->n,
                 ui_msg(v->ctx, "ui.menu_more"));
        int mw = text_width(more);
        v->w = v->w > mw ? v->w : mw;
        v->w = v->w > COLS ? COLS : v->w;
    }
    if (x + v->w > COLS)
        x = COLS - v->w;
    if (y + v->h > LINES)
        y = LINES - v->h;
    v->y = y < 0 ? 0 : y;
    v->x = x < 0 ? 0 : x;
    v->nav.n = v->m->n;
    v->nav.rows = v->h - 2;
    ui_list_nav_set(&v->nav, v->nav.sel);
    v->win = newwin(v->h, v->w, v->y, v->x);
    if (!v->win)
        return -1;
    v->panel = new_panel(v->win);
    ui_menu_draw_all(v);
    return 0;
}

static void ui_menu_close(ui_menu_view *v)
{
    if (v->panel)
        del_panel(v->panel);
    if (v->win)
        delwin(v->win);
    v->panel = NULL;
    v->win = NULL;
    ui_draw_restore();
}

static void ui_menu_help(ui_menu_view *v)
{
    static const ui_hint hints[] = {
        {UI_ACT_EDIT, "ui.hint_choose"}, {UI_ACT_BACK, "ui.hint_back"},
        {UI_ACT_QUIT, "ui.hint_quit"}, {UI_ACT_LANG_TOGGLE, "ui.hint_lang"},
    };
    const ui_menu_item *it = &v->m->items[v->nav.sel];
    ui_dialog_help(v->ctx, v->m->title, hints, 4, it->help);
}

static bool ui_menu_too_small(const ui_menu_path *path)
{
    return LINES < path->min_rows || COLS < path->min_cols;
}

/* Run the menu `level` levels down the path. */
static int ui_menu_run_level(ui_ctx *ctx, const ui_menu *m, int y, int x,
                             ui_menu_path *path, int level)
{
    int *sel = &path->sel[level];
    ui_menu_view v = {.ctx = ctx, .m = m, .nav = {.sel = *sel}};
    if (m->n <= 0 || ui_menu_open(&v, y, x) != 0)
        return UI_MENU_BACK;
    /* a sub-menu open when the last item was chosen opens again */
    bool reopen = path->depth > level && level + 1 < UI_MENU_DEPTH;
    int result = UI_MENU_BACK;
    for (;;) {
        int chosen = -1, old;
        ui_key k = 0;
        if (reopen) {
            reopen = false;
            if (v.nav.sel >= m->n || !m->items[v.nav.sel].sub) {
                path->depth = level;   /* the tree changed (a role, a file) */
                continue;
            }
            chosen = v.nav.sel;
            goto open_item;
        }
        update_panels();
        doupdate();
        k = ui_keys_read();
        ui_list_change ch = ui_list_nav_key(&v.nav, &ctx->keys, k, &old);
        if (ch == UI_LIST_SEL) {
            ui_menu_draw_row(&v, old);
            ui_menu_draw_row(&v, v.nav.sel);
            continue;
        }
        if (ch == UI_LIST_SCROLL) {
            ui_menu_draw_all(&v);
            continue;
        }
        int hk = ui_menu_hotkey(m, k);
        if (hk >= 0) {
            old = v.nav.sel;
            ui_list_nav_set(&v.nav, hk);
            ui_menu_draw_all(&v);
            chosen = hk;
        } else if (k == UI_KEY_ENTER || ui_key_is(k, KEY_RIGHT) ||
                   ui_keys_is(&ctx->keys, k, UI_ACT_EDIT)) {
            chosen = v.nav.sel;
        } else if (ui_key_is(k, KEY_RESIZE)) {
            ui_menu_close(&v);
            if (ui_menu_too_small(path)) {
                /* the caller says so, alone on the screen */
                path->depth = level;
                result = UI_MENU_SMALL;
                break;
            }
            if (ctx->redraw)
                ctx->redraw(ctx->redraw_user);
            if (ui_menu_open(&v, y, x) != 0)
                break;
            continue;
        } else if (ui_keys_is(&ctx->keys, k, UI_ACT_HELP)) {
            ui_menu_help(&v);
            continue;
        } else if (ui_keys_is(&ctx->keys, k, UI_ACT_REDRAW)) {
            clearok(curscr, TRUE);
            continue;
        } else if (ui_keys_is(&ctx->keys, k, UI_ACT_BACK) ||
                   ui_key_is(k, KEY_LEFT)) {
            result = UI_MENU_BACK;
            break;
        } else if (ui_keys_is(&ctx->keys, k, UI_ACT_QUIT)) {
            result = UI_MENU_QUIT;
            break;
        } else if (ui_keys_is(&ctx->keys, k, UI_ACT_LANG_TOGGLE)) {
            path->depth = level;
            result = UI_MENU_LANG;
            break;
        } else {
            beep();
            continue;
        }
    open_item:;
        const ui_menu_item *it = &m->items[chosen];
        *sel = v.nav.sel;
        if (!it->sub) {
            path->depth = level;
            result = it->id;
            break;
        }
        if (level + 1 >= UI_MENU_DEPTH) {
            beep();
            continue;
        }
        if (path->depth <= level)
            path->sel[level + 1] = 0;   /* a sub-menu opened anew starts at the top */
        int r = ui_menu_run_level(ctx, it->sub, v.y + 1 + chosen - v.nav.top,
                                  v.x + v.w - 2, path, level + 1);
        if (r != UI_MENU_BACK) {
            result = r;
            break;
        }
        path->depth = level;   /* Esc in the sub-menu: back here */
        if (ui_menu_too_small(path)) {
            result = UI_MENU_SMALL;
            break;
        }
    }
    *sel = v.nav.sel;
    ui_menu_close(&v);
    return result;
}

int ui_menu_run_path(ui_ctx *ctx, const ui_menu *m, int y, int x,
                     ui_menu_path *path)
{
    return ui_menu_run_level(ctx, m, y, x, path, 0);
}

int ui_menu_run(ui_ctx *ctx, const ui_menu *m, int y, int x, int *sel)
{
    ui_menu_path path = {.sel = {sel ? *sel : 0}};
    int r = ui_menu_run_level(ctx, m, y, x, &path, 0);
    if (sel)
        *sel = path.sel[0];
    return r;
}

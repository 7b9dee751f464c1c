/*
 * ui_dialog: modal overlays on panels (see the header).
 *
 * Every dialog is an overlay: a window on a new panel centred on the
 * screen, drawn once, then only the rows that change are redrawn.  Closing
 * deletes the panel and touches stdscr so ncurses sends back exactly the
 * cells the overlay covered.
 */
#include <stdlib.h>
#include <string.h>
#include <curses.h>
#include <panel.h>
#include "esis/text.h"
#include "esis/ui_dialog.h"
#include "esis/ui_lineedit.h"
#include "esis/ui_menu.h"

int ui_overlay_open(ui_ctx *ctx, ui_overlay *o, int h, int w,
                           const char *title)
{
    if (w > COLS)
        w = COLS;
    if (h > LINES)
        h = LINES;
    o->h = h;
    o->w = w;
    o->win = newwin(h, w, (LINES - h) / 2, (COLS - w) / 2);
    if (!o->win)
        return -1;
    o->panel = new_panel(o->win);
    wbkgdset(o->win, ' ' | (chtype)ctx->attr_dialog);
    werase(o->win);
    ui_draw_box(ctx, o->win, 0, 0, h, w, title);
    return 0;
}

void ui_overlay_close(ui_overlay *o)
{
    if (o->panel)
        del_panel(o->panel);
    if (o->win)
        delwin(o->win);
    o->panel = NULL;
    o->win = NULL;
    ui_draw_restore();
    doupdate();
}

static void ui_overlay_show(void)
{
    update_panels();
    doupdate();
}

/* After KEY_RESIZE: the caller repaints the screen under us. */
static void ui_dialog_resized(ui_ctx *ctx, ui_overlay *o)
{
    ui_overlay_close(o);
    if (ctx->redraw)
        ctx->redraw(ctx->redraw_user);
}

int ui_dialog_wrap(const char *s, int width,
                   void (*fn)(const char *line, size_t n, void *user),
                   void *user)
{
    int lines = 0;
    if (width < 1)
        width = 1;
    while (s && *s) {
        const char *nl = strchr(s, '\n');
        size_t para = nl ? (size_t)(nl - s) : strlen(s);
        size_t fit = text_prefix_for_width(s, width, NULL);
        size_t take = fit < para ? fit : para;
        if (take < para) {
            /* prefer the last space inside the part that fits */
            size_t sp = take;
            while (sp > 0 && s[sp] != ' ')
                sp--;
            if (sp > 0)
                take = sp;
        }
        if (take == 0 && para > 0)   /* one cluster wider than width */
            take = (size_t)text_utf8_decode(s, para, &(unsigned){0});
        if (fn)
            fn(s, take, user);
        lines++;
        s += take;
        if (*s == ' ' && take < para)
            s++;
        else if (*s == '\n')
            s++;
    }
    return lines;
}

/* ---- message, help: wrapped text in a box --------------------------- */

typedef struct ui_text_sink {
    WINDOW *win;
    int     row, width, max_rows;
    char   *buf;
} ui_text_sink;

static void ui_text_sink_line(const char *line, size_t n, void *user)
{
    ui_text_sink *t = user;
    if (t->row >= t->max_rows || !t->win)
        return;
    char tmp[1024];
    if (n >= sizeof tmp)
        n = sizeof tmp - 1;
    memcpy(tmp, line, n);
    tmp[n] = '\0';
    ui_draw_text(t->win, 1 + t->row, 2, tmp, t->width, 'l', A_NORMAL);
    t->row++;
}

static void ui_dialog_text(ui_ctx *ctx, const char *title, const char *text)
{
    for (;;) {
        int w = COLS - 4 < 70 ? COLS - 4 : 70;
        int lines = ui_dialog_wrap(text, w - 4, NULL, NULL);
        int h = lines + 2 > LINES - 2 ? LINES - 2 : lines + 2;
        ui_overlay o;
        if (ui_overlay_open(ctx, &o, h, w, title) != 0)
            return;
        ui_text_sink sink = {o.win, 0, w - 4, h - 2, NULL};
        ui_dialog_wrap(text, w - 4, ui_text_sink_line, &sink);
        ui_overlay_show();
        ui_key k = ui_keys_read();
        if (ui_key_is(k, KEY_RESIZE)) {
            ui_dialog_resized(ctx, &o);
            continue;
        }
        ui_overlay_close(&o);
        return;
    }
}

void ui_dialog_message(ui_ctx *ctx, const char *title, const char *text)
{
    ui_dialog_text(ctx, title, text);
}

void ui_dialog_help(ui_ctx *ctx, const char *title, const ui_hint *hints,
                    int n, const char *field_help)
{
    /* One text: the field's help first (what the user asked about), a
     * blank line, then "label: keys" per hint. */
    size_t cap = 256 + (field_help ? strlen(field_help) : 0);
    for (int i = 0; i < n; i++)
        cap += 128 + strlen(ui_msg(ctx, hints[i].msg_key));
    char *text = malloc(cap);
    if (!text)
        return;
    size_t used = 0;
    if (field_help && *field_help) {
        int k = snprintf(text, cap, "%s\n\n", field_help);
        used = k > 0 ? (size_t)k : 0;
    }
    for (int i = 0; i < n; i++) {
        char keys[96];
        ui_keys_label_all(&ctx->keys, hints[i].action, keys, sizeof keys);
        int k = snprintf(text + used, cap - used, "%s: %s\n",
                         ui_msg(ctx, hints[i].msg_key), keys);
        if (k > 0)
            used += (size_t)k;
    }
    ui_dialog_text(ctx, title ? title : ui_msg(ctx, "ui.help"), text);
    free(text);
}

/* ---- confirm ----------------------------------------------------------- */

static void ui_confirm_buttons(ui_ctx *ctx, ui_overlay *o, int row, bool yes)
{
    const char *y = ui_msg(ctx, "ui.yes"), *n = ui_msg(ctx, "ui.no");
    char by[64], bn[64];
    snprintf(by, sizeof by, yes ? "[%s]" : " %s ", y);
    snprintf(bn, sizeof bn, yes ? " %s " : "[%s]", n);
    int wy = text_width(by), wn = text_width(bn);
    int x = (o->w - wy - wn - 4) / 2;
    ui_draw_text(o->win, row, x, by, wy, 'l', yes ? ctx->attr_select : 0);
    ui_draw_text(o->win, row, x + wy + 4, bn, wn, 'l',
                 yes ? 0 : ctx->attr_select);
}

bool ui_dialog_confirm(ui_ctx *ctx, const char *question)
{
    bool yes = false;
    for (;;) {
        int w = text_width(question) + 6;
        if (w < 30)
            w = 30;
        if (w > COLS - 2)
            w = COLS - 2;
        int lines = ui_dialog_wrap(question, w - 4, NULL, NULL);
        ui_overlay o;
        if (ui_overlay_open(ctx, &o, lines + 4, w, NULL) != 0)
            return false;
        ui_text_sink sink = {o.win, 0, w - 4, lines, NULL};
        ui_dialog_wrap(question, w - 4, ui_text_sink_line, &sink);
        ui_confirm_buttons(ctx, &o, lines + 2, yes);
        for (;;) {
            ui_overlay_show();
            ui_key k = ui_keys_read();
            if (ui_key_is(k, KEY_RESIZE)) {
                ui_dialog_resized(ctx, &o);
                break;
            }
            /* y / n, and the same keys on the Thai Kedmanee layout */
            if (k == 'y' || k == 'Y' || k == 0x0E31) {
                ui_overlay_close(&o);
                return true;
            }
            if (k == 'n' || k == 'N' || k == 0x0E37 ||
                ui_keys_is(&ctx->keys, k, UI_ACT_BACK)) {
                ui_overlay_close(&o);
                return false;
            }
            if (k == UI_KEY_ENTER) {
                ui_overlay_close(&o);
                return yes;
            }
            if (k == UI_KEY_TAB || ui_key_is(k, KEY_LEFT) ||
                ui_key_is(k, KEY_RIGHT) || ui_key_is(k, KEY_BTAB)) {
                yes = !yes;
                ui_confirm_buttons(ctx, &o, lines + 2, yes);
            } else {
                beep();
            }
        }
    }
}

/* ---- prompt ------------------------------------------------------------ */

bool ui_dialog_prompt(ui_ctx *ctx, const char *title, const char *label,
                      char *buf, size_t bufsz, int max_chars)
{
    ui_lineedit *ed = ui_lineedit_new(max_chars, UI_LE_ANY);
    if (!ed)
        return false;
    ui_lineedit_set_utf8(ed, buf);
    bool ok = false;
    int old_cursor = curs_set(1);
    for (bool done = false; !done;) {
        int w = COLS - 4 < 64 ? COLS - 4 : 64;
        ui_overlay o;
        if (ui_overlay_open(ctx, &o, 4, w, title) != 0)
            break;
        ui_draw_text(o.win, 1, 2, label, w - 4, 'l', A_NORMAL);
        for (;;) {
            ui_lineedit_draw(ed, o.win, 2, 2, w - 4, ctx->attr_field);
            update_panels();
            doupdate();
            ui_key k = ui_keys_read();
            if (ui_key_is(k, KEY_RESIZE)) {
                ui_dialog_resized(ctx, &o);
                break;
            }
            if (k == UI_KEY_ENTER) {
                snprintf(buf, bufsz, "%s", ui_lineedit_text_utf8(ed));
                ok = done = true;
            } else if (ui_keys_is(&ctx->keys, k, UI_ACT_BACK)) {
                done = true;
            } else {
                ui_lineedit_result r = ui_lineedit_key(ed, k);
                /* the answer goes into buf whole or the key is refused:
                 * a reason or a path is never cut on Enter */
                if (r == UI_LE_CHANGED && strlen(ui_lineedit_text_utf8(ed)) >= bufsz) {
                    ui_lineedit_key(ed, 127);
                    r = UI_LE_REFUSED;
                }
                if (r == UI_LE_REFUSED || r == UI_LE_IGNORED)
                    beep();
            }
            if (done) {
                ui_overlay_close(&o);
                break;
            }
        }
    }
    if (old_cursor != ERR)
        curs_set(old_cursor);
    ui_lineedit_free(ed);
    return ok;
}

/* ---- list and pick list ---------------------------------------------- */

typedef struct ui_listbox {
    ui_ctx      *ctx;
    ui_overlay   o;
    ui_list_nav  nav;
    int          first_row;  /* window row of the first item */
    int          width;
    const char *(*line)(void *user, int i, char *tmp, size_t tmpsz);
    void        *user;
} ui_listbox;

static void ui_listbox_row(ui_listbox *lb, int i)
{
    int r = i - lb->nav.top;
    if (r < 0 || r >= lb->nav.rows)
        return;
    char tmp[512];
    const char *s = i < lb->nav.n ? lb->line(lb->user, i, tmp, sizeof tmp) : "";
    bool sel = i == lb->nav.sel && i < lb->nav.n;
    int attr = sel ? lb->ctx->attr_select : 0;
    ui_draw_text(lb->o.win, lb->first_row + r, 1, sel ? ">" : " ", 1, 'l', attr);
    ui_draw_text(lb->o.win, lb->first_row + r, 2, s, lb->width, 'l', attr);
}

static void ui_listbox_rows(ui_listbox *lb)
{
    for (int i = lb->nav.top; i < lb->nav.top + lb->nav.rows; i++)
        ui_listbox_row(lb, i);
}

/* Redraw after a navigation change; false when k was not navigation. */
static bool ui_listbox_nav(ui_listbox *lb, ui_key k)
{
    int old;
    ui_list_change ch = ui_list_nav_key(&lb->nav, &lb->ctx->keys, k, &old);
    if (ch == UI_LIST_SEL) {
        ui_listbox_row(lb, old);
        ui_listbox_row(lb, lb->nav.sel);
    } else if (ch == UI_LIST_SCROLL) {
        ui_listbox_rows(lb);
    }
    return ch != UI_LIST_NONE || ui_key_is(k, KEY_UP) || ui_key_is(k, KEY_DOWN);
}

static const char *ui_lines_line(void *user, int i, char *tmp, size_t tmpsz)
{
    (void)tmp;
    (void)tmpsz;
    return ((const char *const *)user)[i];
}

int ui_dialog_list(ui_ctx *ctx, const char *title, const char *const *lines,
                   int n, int initial)
{
    ui_listbox lb = {.ctx = ctx, .line = ui_lines_line, .user = (void *)lines,
                     .nav = {.n = n, .sel = initial}, .first_row = 1};
    for (;;) {
        int wmax = title ? text_width(title) + 4 : 10;
        for (int i = 0; i < n; i++)
            if (text_width(lines[i]) > wmax)
                wmax = text_width(lines[i]);
        int w = wmax + 4 > COLS - 2 ? COLS - 2 : wmax + 4;
        int h = n + 2 > LINES - 2 ? LINES - 2 : n + 2;
        if (ui_overlay_open(ctx, &lb.o, h < 3 ? 3 : h, w, title) != 0)
            return -1;
        lb.width = w - 3;
        lb.nav.rows = lb.o.h - 2;
        ui_list_nav_set(&lb.nav, lb.nav.sel);
        ui_listbox_rows(&lb);
        for (;;) {
            ui_overlay_show();
            ui_key k = ui_keys_read();
            if (ui_key_is(k, KEY_RESIZE)) {
                ui_dialog_resized(ctx, &lb.o);
                break;
            }
            if (ui_listbox_nav(&lb, k))
                continue;
            if (k == UI_KEY_ENTER && n > 0) {
                ui_overlay_close(&lb.o);
                return lb.nav.sel;
            }
            if (ui_keys_is(&ctx->keys, k, UI_ACT_BACK) ||
                ui_keys_is(&ctx->keys, k, UI_ACT_QUIT)) {
                ui_overlay_close(&lb.o);
                return -1;
            }
            beep();
        }
    }
}

static bool ui_contains_ascii_ci(const char *hay, const char *needle)
{
    if (!hay)
        return false;
    size_t n = strlen(needle);
    for (; *hay; hay++) {
        size_t i = 0;
        while (i < n) {
            char a = hay[i], b = needle[i];
            if (a >= 'A' && a <= 'Z')
                a += 32;
            if (b >= 'A' && b <= 'Z')
                b += 32;
            if (a != b)
                break;
            i++;
        }
        if (i == n)
            return true;
    }
    return n == 0;
}

bool ui_dialog_pick_matches(const ui_pick_item *item, const char *filter)
{
    if (!filter || !*filter)
        return true;
    return ui_contains_ascii_ci(item->code, filter) ||
           ui_contains_ascii_ci(item->label, filter);
}

typedef struct ui_pick_view {
    const ui_pick_item *items;
    int                *idx;   /* indexes of the items that match */
} ui_pick_view;

static const char *ui_pick_line(void *user, int i, char *tmp, size_t tmpsz)
{
    ui_pick_view *pv = user;
    const ui_pick_item *it = &pv->items[pv->idx[i]];
    char code[64];
    text_fit(code, sizeof code, it->code, 8, 'l', true);
    snprintf(tmp, tmpsz, "%s %s", code, it->label ? it->label : "");
    return tmp;
}

static int ui_pick_filter(const ui_pick_item *items, int n, const char *f,
                          int *idx)
{
    int m = 0;
    for (int i = 0; i < n; i++)
        if (ui_dialog_pick_matches(&items[i], f))
            idx[m++] = i;
    return m;
}

int ui_dialog_pick(ui_ctx *ctx, const char *title, const ui_pick_item *items,
                   int n, const char *current_code)
{
    int *idx = calloc((size_t)(n > 0 ? n : 1), sizeof *idx);
    ui_lineedit *ed = ui_lineedit_new(40, UI_LE_ANY);
    ui_pick_view pv = {items, idx};
    ui_listbox lb = {.ctx = ctx, .line = ui_pick_line, .user = &pv,
                     .first_row = 2};
    int result = -1;
    if (!idx || !ed)
        goto cleanup;
    lb.nav.n = ui_pick_filter(items, n, "", idx);
    for (int i = 0; current_code && i < n; i++)
        if (items[i].code && strcmp(items[i].code, current_code) == 0)
            lb.nav.sel = i;
    for (bool done = false; !done;) {
        int h = n + 3 > LINES - 2 ? LINES - 2 : n + 3;
        int w = COLS - 4 < 60 ? COLS - 4 : 60;
        if (ui_overlay_open(ctx, &lb.o, h < 5 ? 5 : h, w, title) != 0)
            break;
        lb.width = w - 3;
        lb.nav.rows = lb.o.h - 3;
        ui_list_nav_set(&lb.nav, lb.nav.sel);
        ui_listbox_rows(&lb);
        for (;;) {
            ui_draw_text(lb.o.win, 1, 1, "/", 1, 'l', A_BOLD);
            ui_lineedit_draw(ed, lb.o.win, 1, 2, w - 4, ctx->attr_field);
            ui_overlay_show();
            ui_key k = ui_keys_read();
            if (ui_key_is(k, KEY_RESIZE)) {
                ui_dialog_resized(ctx, &lb.o);
                break;
            }
            if (ui_listbox_nav(&lb, k))
                continue;
            if (k == UI_KEY_ENTER) {
                result = lb.nav.n > 0 ? idx[lb.nav.sel] : -1;
                done = lb.nav.n > 0;
            } else if (ui_keys_is(&ctx->keys, k, UI_ACT_BACK)) {
                done = true;
            } else {
                ui_lineedit_result r = ui_lineedit_key(ed, k);
                if (r == UI_LE_CHANGED) {
                    lb.nav.n = ui_pick_filter(items, n,
                                              ui_lineedit_text_utf8(ed), idx);
                    lb.nav.sel = 0;
                    lb.nav.top = 0;
                    ui_listbox_rows(&lb);
                } else if (r != UI_LE_MOVED) {
                    beep();
                }
            }
            if (done) {
                ui_overlay_close(&lb.o);
                break;
            }
        }
    }
cleanup:
    ui_lineedit_free(ed);
    free(idx);
    return result;
}

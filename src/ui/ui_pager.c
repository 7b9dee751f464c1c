/*
 * ui_pager: scrolling through lines of text (include/esis/ui_pager.h).
 * Layout: the title bar on row 0, the heading (if any) on row 1, the lines
 * below, the status line and the key hints at the bottom.
 */
#include <stdlib.h>
#include <string.h>
#include <curses.h>
#include "esis/ui_dialog.h"
#include "esis/ui_pager.h"

int ui_pager_add(ui_pager *p, const char *line)
{
    const char *s = line ? line : "";
    do {
        size_t len = strcspn(s, "\n");
        if (p->n == p->cap) {
            int cap = p->cap ? p->cap * 2 : 64;
            char **v = realloc(p->lines, (size_t)cap * sizeof *v);
            if (!v)
                return -1;
            p->lines = v;
            p->cap = cap;
        }
        if (!(p->lines[p->n] = strndup(s, len)))
            return -1;
        p->n++;
        s += len;
    } while (*s++ == '\n' && *s);
    return 0;
}

void ui_pager_clear(ui_pager *p)
{
    for (int i = 0; i < p->n; i++)
        free(p->lines[i]);
    free(p->lines);
    p->lines = NULL;
    p->n = p->cap = 0;
}

void ui_pager_set_status(ui_pager *p, ui_status_kind kind, const char *msg)
{
    strncpy(p->status, msg ? msg : "", sizeof p->status - 1);
    p->status[sizeof p->status - 1] = '\0';
    p->status_kind = kind;
}

static int ui_pager_first_row(const ui_pager *p)
{
    return p->heading ? 2 : 1;
}

static void ui_pager_row(ui_pager *p, int i)
{
    if (i < p->nav.top || i >= p->nav.top + p->nav.rows)
        return;
    int y = ui_pager_first_row(p) + i - p->nav.top;
    const char *s = i < p->n ? p->lines[i] : "";
    ui_draw_text(stdscr, y, 0, s, COLS, 'l', i == p->nav.sel && i < p->n ? p->ctx->attr_select : 0);
}

static void ui_pager_rows(ui_pager *p)
{
    for (int i = p->nav.top; i < p->nav.top + p->nav.rows; i++)
        ui_pager_row(p, i);
}

static void ui_pager_paint(ui_pager *p)
{
    p->nav.n = p->n;
    p->nav.rows = LINES - 3 - (p->heading ? 1 : 0);
    if (p->nav.rows < 1)
        p->nav.rows = 1;
    ui_list_nav_set(&p->nav, p->nav.sel);
    werase(stdscr);
    ui_draw_title(p->ctx, stdscr, p->title, p->right);
    if (p->heading)
        ui_draw_text(stdscr, 1, 0, p->heading, COLS, 'l', p->ctx->attr_heading);
    ui_pager_rows(p);
    ui_draw_status(p->ctx, stdscr, p->status_kind, p->status);
    ui_draw_hints(p->ctx, stdscr, p->hints, p->nhints);
}

static void ui_pager_redraw(void *user)
{
    ui_pager_paint(user);
    wnoutrefresh(stdscr);
}

ui_key ui_pager_run(ui_pager *p, const ui_key *keys, int n)
{
    void (*old_redraw)(void *) = p->ctx->redraw;
    void *old_user = p->ctx->redraw_user;
    p->ctx->redraw = ui_pager_redraw;
    p->ctx->redraw_user = p;
    curs_set(0);
    ui_pager_paint(p);
    ui_key k;
    for (;;) {
        wnoutrefresh(stdscr);
        doupdate();
        k = ui_keys_read();
        if (ui_key_is(k, KEY_RESIZE)) {
            ui_pager_paint(p);
            continue;
        }
        bool mine = false;
        for (int i = 0; i < n && !mine; i++)
            mine = keys[i] == k;
        if (mine || k == UI_KEY_ESC || ui_keys_is(&p->ctx->keys, k, UI_ACT_BACK) ||
            ui_keys_is(&p->ctx->keys, k, UI_ACT_QUIT))
            break;
        if (ui_keys_is(&p->ctx->keys, k, UI_ACT_HELP)) {
            ui_dialog_help(p->ctx, p->title, p->hints, p->nhints, NULL);
            continue;
        }
        int old;
        ui_list_change ch = ui_list_nav_key(&p->nav, &p->ctx->keys, k, &old);
        if (ch == UI_LIST_SEL) {
            ui_pager_row(p, old);
            ui_pager_row(p, p->nav.sel);
        } else if (ch == UI_LIST_SCROLL) {
            ui_pager_rows(p);
        } else {
            beep();
        }
    }
    p->ctx->redraw = old_redraw;
    p->ctx->redraw_user = old_user;
    return k;
}

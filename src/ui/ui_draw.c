/*
 * ui_draw: width-correct text output, bars and boxes (see the header).
 *
 * Screen layout shared by every screen:
 *   row 0          title bar
 *   rows 1..H-3    the body (a menu, table or form)
 *   row H-2        status line (messages, flag of the current field)
 *   row H-1        key-hint bar
 */
#include <stdlib.h>
#include <string.h>
#include <curses.h>
#include <panel.h>
#include "esis/conf.h"
#include "esis/text.h"
#include "esis/ui_draw.h"

enum { UI_PAIR_TITLE = 1, UI_PAIR_ERROR, UI_PAIR_WARNING, UI_PAIR_SELECT,
       UI_PAIR_HINT };

void ui_ctx_init(ui_ctx *ctx, const struct esis_conf *conf,
                 const ui_keymap *keys, bool want_color)
{
    memset(ctx, 0, sizeof *ctx);
    ctx->conf = conf;
    if (keys)
        ctx->keys = *keys;
    else
        ui_keys_default(&ctx->keys);
    const char *no_color = getenv("NO_COLOR");
    ctx->color = want_color && !(no_color && *no_color) && stdscr &&
                 has_colors();
    ctx->attr_title = A_REVERSE | A_BOLD;
    ctx->attr_status = A_NORMAL;
    ctx->attr_error = A_BOLD;
    ctx->attr_warning = A_BOLD;
    ctx->attr_hint_key = A_BOLD;
    ctx->attr_hint_text = A_REVERSE;
    ctx->attr_select = A_REVERSE;
    ctx->attr_field = A_UNDERLINE;
    ctx->attr_field_focus = A_UNDERLINE | A_BOLD;
    ctx->attr_heading = A_BOLD | A_UNDERLINE;
    ctx->attr_dialog = A_NORMAL;
    if (!ctx->color)
        return;
    start_color();
    use_default_colors();
    init_pair(UI_PAIR_TITLE, COLOR_WHITE, COLOR_BLUE);
    init_pair(UI_PAIR_ERROR, COLOR_RED, -1);
    init_pair(UI_PAIR_WARNING, COLOR_YELLOW, -1);
    init_pair(UI_PAIR_SELECT, COLOR_BLACK, COLOR_CYAN);
    init_pair(UI_PAIR_HINT, COLOR_BLACK, COLOR_CYAN);
    ctx->attr_title = A_BOLD | (int)COLOR_PAIR(UI_PAIR_TITLE);
    ctx->attr_error |= (int)COLOR_PAIR(UI_PAIR_ERROR);
    ctx->attr_warning |= (int)COLOR_PAIR(UI_PAIR_WARNING);
    ctx->attr_select = A_REVERSE | (int)COLOR_PAIR(UI_PAIR_SELECT);
    ctx->attr_hint_text = (int)COLOR_PAIR(UI_PAIR_HINT);
}

const char *ui_msg(const ui_ctx *ctx, const char *key)
{
    if (!ctx || !ctx->conf)
        return key;
    return ctx->lang ? conf_msg_lang(ctx->conf, ctx->lang, key)
                     : conf_msg(ctx->conf, key);
}

char ui_status_marker(ui_status_kind kind)
{
    return kind == UI_STATUS_ERROR ? '!' : kind == UI_STATUS_WARNING ? '?' : ' ';
}

int ui_draw_text(ui_window *win, int y, int x, const char *s, int width,
                 char align, int attr)
{
    if (width <= 0)
        return 0;
    if (!s)
        s = "";
    char small[512];
    size_t need = strlen(s) + (size_t)width + 8;
    char *fit = need <= sizeof small ? small : malloc(need);
    wchar_t wsmall[256];
    wchar_t *w = NULL;
    if (!fit)
        return 0;
    size_t n = text_fit(fit, need, s, width, align, true);
    w = n < sizeof wsmall / sizeof wsmall[0] ? wsmall : malloc((n + 1) * sizeof *w);
    if (w) {
        int nw = 0;
        for (size_t i = 0; i < n;) {
            unsigned cp;
            i += (size_t)text_utf8_decode(fit + i, n - i, &cp);
            w[nw++] = (wchar_t)cp;
        }
        attr_t old_attr;
        short old_pair;
        wattr_get(win, &old_attr, &old_pair, NULL);
        wattrset(win, attr);
        mvwaddnwstr(win, y, x, w, nw);
        wattr_set(win, old_attr, old_pair, NULL);
    }
    if (w != wsmall)
        free(w);
    if (fit != small)
        free(fit);
    return width;
}

size_t ui_hints_format(const ui_ctx *ctx, const ui_hint *hints, int n,
                       int width, char *out, size_t outsz)
{
    size_t used = 0;
    int cols = 0;
    if (outsz == 0)
        return 0;
    out[0] = '\0';
    for (int i = 0; i < n; i++) {
        char key[16], item[256];
        ui_keys_label(&ctx->keys, hints[i].action, key, sizeof key);
        int len = snprintf(item, sizeof item, "%s%s %s", used ? "  " : "", key,
                           ui_msg(ctx, hints[i].msg_key));
        if (len < 0 || (size_t)len >= sizeof item)
            continue;
        int w = text_width(item);
        if (cols + w > width || used + (size_t)len + 1 > outsz)
            break;
        memcpy(out + used, item, (size_t)len + 1);
        used += (size_t)len;
        cols += w;
    }
    return used;
}

void ui_draw_title(const ui_ctx *ctx, ui_window *win, const char *title,
                   const char *right)
{
    int cols = getmaxx(win);
    int rw = right ? text_width(right) : 0;
    if (rw > cols / 2)
        rw = cols / 2;
    ui_draw_text(win, 0, 0, "", 1, 'l', ctx->attr_title);
    ui_draw_text(win, 0, 1, title, cols - rw - 2, 'l', ctx->attr_title);
    if (rw > 0)
        ui_draw_text(win, 0, cols - rw - 1, right, rw, 'r', ctx->attr_title);
    ui_draw_text(win, 0, cols - 1, "", 1, 'l', ctx->attr_title);
}

void ui_draw_status(const ui_ctx *ctx, ui_window *win, ui_status_kind kind,
                    const char *msg)
{
    int rows = getmaxy(win), cols = getmaxx(win);
    int attr = kind == UI_STATUS_ERROR ? ctx->attr_error
             : kind == UI_STATUS_WARNING ? ctx->attr_warning : ctx->attr_status;
    char mark[3] = {ui_status_marker(kind), ' ', '\0'};
    if (!msg || !*msg) {
        ui_draw_text(win, rows - 2, 0, "", cols, 'l', ctx->attr_status);
        return;
    }
    ui_draw_text(win, rows - 2, 0, mark, 2, 'l', attr);
    ui_draw_text(win, rows - 2, 2, msg, cols - 2, 'l', attr);
}

void ui_draw_hints(const ui_ctx *ctx, ui_window *win, const ui_hint *hints,
                   int n)
{
    int rows = getmaxy(win), cols = getmaxx(win);
    int x = 0;
    for (int i = 0; i < n; i++) {
        char key[16];
        const char *label = ui_msg(ctx, hints[i].msg_key);
        ui_keys_label(&ctx->keys, hints[i].action, key, sizeof key);
        int kw = text_width(key), lw = text_width(label);
        int sep = x > 0 ? 1 : 0;
        if (x + sep + kw + lw + 2 > cols)
            break;
        if (sep)
            x += ui_draw_text(win, rows - 1, x, "", 1, 'l', 0);
        /* "F2 บันทึก": the key in bold, then the label in reverse */
        x += ui_draw_text(win, rows - 1, x, key, kw, 'l', ctx->attr_hint_key);
        x += ui_draw_text(win, rows - 1, x, "", 1, 'l', 0);
        x += ui_draw_text(win, rows - 1, x, label, lw + 1, 'l',
                          ctx->attr_hint_text);
    }
    if (x < cols)
        ui_draw_text(win, rows - 1, x, "", cols - x, 'l', A_NORMAL);
}

void ui_draw_box(const ui_ctx *ctx, ui_window *win, int y, int x, int h,
                 int w, const char *title)
{
    (void)ctx;
    if (h < 2 || w < 2)
        return;
    mvwaddch(win, y, x, ACS_ULCORNER);
    mvwhline(win, y, x + 1, ACS_HLINE, w - 2);
    mvwaddch(win, y, x + w - 1, ACS_URCORNER);
    mvwvline(win, y + 1, x, ACS_VLINE, h - 2);
    mvwvline(win, y + 1, x + w - 1, ACS_VLINE, h - 2);
    mvwaddch(win, y + h - 1, x, ACS_LLCORNER);
    mvwhline(win, y + h - 1, x + 1, ACS_HLINE, w - 2);
    mvwaddch(win, y + h - 1, x + w - 1, ACS_LRCORNER);
    if (title && *title && w > 6) {
        int tw = text_width(title);
        if (tw > w - 6)
            tw = w - 6;
        ui_draw_text(win, y, x + 2, " ", 1, 'l', A_NORMAL);
        ui_draw_text(win, y, x + 3, title, tw, 'l', A_BOLD);
        ui_draw_text(win, y, x + 3 + tw, " ", 1, 'l', A_NORMAL);
    }
}

void ui_draw_restore(void)
{
    touchwin(stdscr);
    wnoutrefresh(stdscr);
    for (PANEL *p = panel_above(NULL); p; p = panel_above(p))
        touchwin(panel_window(p));
    update_panels();
}

int ui_draw_body_rows(ui_window *win)
{
    int rows = getmaxy(win) - 3;
    return rows > 0 ? rows : 0;
}

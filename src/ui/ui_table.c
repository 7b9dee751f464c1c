/*
 * ui_table: the virtual table (see the header for the contract with the
 * data source and why the table never holds more than a screenful).
 *
 * The window of rows is replaced or shifted as a whole:
 *   - an arrow inside the window only moves the cursor (2 rows redrawn);
 *   - an arrow at its edge fetches one row and shifts the window;
 *   - PgDn/PgUp fetch a screenful after/before the window;
 *   - Home/End ask first/last; search asks search(prefix).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <curses.h>
#include "esis/text.h"
#include "esis/ui_table.h"

int ui_table_row_set(ui_table_row *r, int ncols, const char *const *cells,
                     char flag, const char *anchor)
{
    r->cells = calloc((size_t)ncols, sizeof *r->cells);
    r->anchor = strdup(anchor ? anchor : "");
    r->flag = flag ? flag : ' ';
    if (!r->cells || !r->anchor)
        goto fail;
    for (int i = 0; i < ncols; i++) {
        r->cells[i] = strdup(cells && cells[i] ? cells[i] : "");
        if (!r->cells[i])
            goto fail;
    }
    return 0;
fail:
    ui_table_row_clear(r, ncols);
    return -1;
}

void ui_table_row_clear(ui_table_row *r, int ncols)
{
    if (r->cells)
        for (int i = 0; i < ncols; i++)
            free(r->cells[i]);
    free(r->cells);
    free(r->anchor);
    memset(r, 0, sizeof *r);
}

static void ui_table_clear_rows(ui_table *t, ui_table_row *rows, int n)
{
    for (int i = 0; i < n; i++)
        ui_table_row_clear(&rows[i], t->ncols);
}

/* ---- fetching ----------------------------------------------------------- */

enum ui_fetch_kind { UI_F_PAGE, UI_F_FIRST, UI_F_LAST, UI_F_SEARCH };

/* Ask the source for up to n rows into a fresh array; *out owns them. */
static int ui_table_ask(ui_table *t, enum ui_fetch_kind kind,
                        const char *arg, ui_fetch_dir dir, int n,
                        ui_table_row **out)
{
    *out = NULL;
    if (n <= 0)
        return 0;
    ui_table_row *rows = calloc((size_t)n, sizeof *rows);
    if (!rows)
        return -1;
    int got = -1;
    switch (kind) {
    case UI_F_PAGE:
        got = t->src.fetch_page(t->src.user, arg, dir, n, rows);
        break;
    case UI_F_FIRST:
        got = t->src.first(t->src.user, n, rows);
        break;
    case UI_F_LAST:
        got = t->src.last(t->src.user, n, rows);
        break;
    case UI_F_SEARCH:
        got = t->src.search ? t->src.search(t->src.user, arg, n, rows) : 0;
        break;
    }
    if (got < 0 || got > n) {
        ui_table_clear_rows(t, rows, n);
        free(rows);
        t->error = true;
        return -1;
    }
    t->fetched_rows += got;
    *out = rows;
    return got;
}

/* Make rows[0..n) the window (taking ownership). */
static void ui_table_take(ui_table *t, ui_table_row *rows, int n, int cursor)
{
    ui_table_clear_rows(t, t->rows, t->nrows);
    memcpy(t->rows, rows, (size_t)n * sizeof *rows);
    t->nrows = n;
    t->cursor = cursor < 0 ? 0 : cursor >= n ? (n > 0 ? n - 1 : 0) : cursor;
    t->dirty |= UI_TABLE_DIRTY_ROWS | UI_TABLE_DIRTY_PROMPT;
}

static int ui_table_load(ui_table *t, enum ui_fetch_kind kind, const char *arg,
                         ui_fetch_dir dir, int cursor)
{
    ui_table_row *rows;
    int got = ui_table_ask(t, kind, arg, dir, t->cap, &rows);
    if (got < 0)
        return -1;
    ui_table_take(t, rows, got, cursor);
    free(rows);
    return got;
}

int ui_table_reload(ui_table *t)
{
    if (t->nrows == 0)
        return ui_table_load(t, UI_F_FIRST, NULL, UI_FETCH_AT, 0);
    char *anchor = strdup(t->rows[0].anchor);
    if (!anchor)
        return -1;
    int got = ui_table_load(t, UI_F_PAGE, anchor, UI_FETCH_AT, t->cursor);
    free(anchor);
    /* the top row may be gone (deleted): fall back to the start */
    if (got == 0)
        got = ui_table_load(t, UI_F_FIRST, NULL, UI_FETCH_AT, 0);
    else if (got > 0 && got < t->cap) {
        /* near the end: fill the window from the back */
        got = ui_table_load(t, UI_F_LAST, NULL, UI_FETCH_AT, t->cursor);
    }
    return got;
}

/* Shift by one row at an edge: dir 1 appends after the last row. */
static bool ui_table_step(ui_table *t, int dir)
{
    if (t->nrows == 0)
        return false;
    ui_table_row *one;
    const char *anchor = dir > 0 ? t->rows[t->nrows - 1].anchor
                                 : t->rows[0].anchor;
    int got = ui_table_ask(t, UI_F_PAGE, anchor,
                           dir > 0 ? UI_FETCH_AFTER : UI_FETCH_BEFORE, 1, &one);
    if (got <= 0) {
        free(one);
        return false;
    }
    if (dir > 0) {
        if (t->nrows == t->cap) {
            ui_table_row_clear(&t->rows[0], t->ncols);
            memmove(t->rows, t->rows + 1, (size_t)(t->nrows - 1) * sizeof *t->rows);
            t->nrows--;
        }
        t->rows[t->nrows++] = one[0];
        t->cursor = t->nrows - 1;
    } else {
        if (t->nrows == t->cap)
            ui_table_row_clear(&t->rows[--t->nrows], t->ncols);
        memmove(t->rows + 1, t->rows, (size_t)t->nrows * sizeof *t->rows);
        t->rows[0] = one[0];
        t->nrows++;
        t->cursor = 0;
    }
    free(one);
    t->dirty |= UI_TABLE_DIRTY_ROWS;
    return true;
}

/* A page after (dir 1) or before (dir -1) the window. */
static bool ui_table_page(ui_table *t, int dir)
{
    if (t->nrows == 0)
        return false;
    ui_table_row *more;
    const char *anchor = dir > 0 ? t->rows[t->nrows - 1].anchor
                                 : t->rows[0].anchor;
    int got = ui_table_ask(t, UI_F_PAGE, anchor,
                           dir > 0 ? UI_FETCH_AFTER : UI_FETCH_BEFORE, t->cap,
                           &more);
    if (got < 0)
        return false;
    if (got == 0) {
        free(more);
        int edge = dir > 0 ? t->nrows - 1 : 0;
        if (t->cursor == edge)
            return false;
        t->old_cursor = t->cursor;
        t->cursor = edge;
        t->dirty |= UI_TABLE_DIRTY_CURSOR;
        return true;
    }
    /* Keep the window full: the rows not pushed out stay. */
    int keep = t->cap - got;
    if (keep > t->nrows)
        keep = t->nrows;
    ui_table_row *win = calloc((size_t)t->cap, sizeof *win);
    if (!win) {
        ui_table_clear_rows(t, more, got);
        free(more);
        return false;
    }
    if (dir > 0) {
        memcpy(win, t->rows + t->nrows - keep, (size_t)keep * sizeof *win);
        memcpy(win + keep, more, (size_t)got * sizeof *win);
        ui_table_clear_rows(t, t->rows, t->nrows - keep);
    } else {
        memcpy(win, more, (size_t)got * sizeof *win);
        memcpy(win + got, t->rows, (size_t)keep * sizeof *win);
        ui_table_clear_rows(t, t->rows + keep, t->nrows - keep);
    }
    t->nrows = 0;   /* moved into win */
    ui_table_take(t, win, keep + got, got < t->cap ? (dir > 0 ? keep + got - 1 : 0)
                                                  : t->cursor);
    free(win);
    free(more);
    return true;
}

/* ---- lifetime --------------------------------------------------------- */

static int ui_table_set_area(ui_table *t, int y, int x, int h, int w)
{
    int cap = h - 2 > 1 ? h - 2 : 1;
    if (cap != t->cap) {
        if (t->nrows > cap) {
            /* keep the cursor's row on screen */
            int drop_front = t->cursor >= cap ? t->cursor - cap + 1 : 0;
            ui_table_clear_rows(t, t->rows, drop_front);
            memmove(t->rows, t->rows + drop_front,
                    (size_t)(t->nrows - drop_front) * sizeof *t->rows);
            t->nrows -= drop_front;
            t->cursor -= drop_front;
            ui_table_clear_rows(t, t->rows + cap, t->nrows - cap);
            t->nrows = cap;
        }
        ui_table_row *r = realloc(t->rows, (size_t)cap * sizeof *r);
        if (!r)
            return -1;
        t->rows = r;
        t->cap = cap;
    }
    t->y = y;
    t->x = x;
    t->h = h;
    t->w = w;
    t->dirty = UI_TABLE_DIRTY_ALL;
    return 0;
}

ui_table *ui_table_new(ui_ctx *ctx, const ui_table_col *cols, int ncols,
                       const ui_table_source *src, int y, int x, int h, int w)
{
    if (ncols < 1 || ncols > UI_TABLE_MAX_COLS)
        return NULL;
    ui_table *t = calloc(1, sizeof *t);
    if (!t)
        return NULL;
    t->ctx = ctx;
    t->cols = cols;
    t->ncols = ncols;
    t->src = *src;
    t->sort_col = -1;
    t->prompt = ui_lineedit_new(60, UI_LE_ANY);
    if (!t->prompt || ui_table_set_area(t, y, x, h, w) != 0) {
        ui_table_free(t);
        return NULL;
    }
    ui_table_load(t, UI_F_FIRST, NULL, UI_FETCH_AT, 0);
    return t;
}

void ui_table_free(ui_table *t)
{
    if (!t)
        return;
    ui_table_clear_rows(t, t->rows, t->nrows);
    free(t->rows);
    ui_lineedit_free(t->prompt);
    free(t->filter);
    free(t->saved_anchor);
    free(t);
}

int ui_table_resize(ui_table *t, int y, int x, int h, int w)
{
    int old_cap = t->cap;
    if (ui_table_set_area(t, y, x, h, w) != 0)
        return -1;
    return t->cap > old_cap ? ui_table_reload(t) : 0;
}

const ui_table_row *ui_table_current(const ui_table *t)
{
    return t->nrows > 0 ? &t->rows[t->cursor] : NULL;
}

/* ---- prompts ---------------------------------------------------------- */

static void ui_table_prompt_start(ui_table *t, ui_table_mode mode,
                                  const char *text)
{
    t->mode = mode;
    t->search_failed = false;
    ui_lineedit_set_utf8(t->prompt, text);
    free(t->saved_anchor);
    t->saved_anchor = t->nrows ? strdup(t->rows[0].anchor) : NULL;
    t->saved_cursor = t->cursor;
    t->dirty |= UI_TABLE_DIRTY_PROMPT;
}

/* Tell a narrowing source that the search is over (search with "" and 0). */
static void ui_table_search_end(ui_table *t)
{
    if (t->src.search)
        t->src.search(t->src.user, "", 0, NULL);
}

static void ui_table_search_now(ui_table *t)
{
    const char *q = ui_lineedit_text_utf8(t->prompt);
    if (!*q) {
        t->search_failed = false;
        ui_table_search_end(t);
        if (t->saved_anchor)
            ui_table_load(t, UI_F_PAGE, t->saved_anchor, UI_FETCH_AT,
                          t->saved_cursor);
        return;
    }
    ui_table_row *rows;
    int got = ui_table_ask(t, UI_F_SEARCH, q, UI_FETCH_AT, t->cap, &rows);
    t->search_failed = got <= 0;
    if (got > 0)
        ui_table_take(t, rows, got, 0);
    else if (got == 0)
        t->bell = true;
    free(rows);
    t->dirty |= UI_TABLE_DIRTY_PROMPT;
}

static void ui_table_prompt_end(ui_table *t, bool accept)
{
    ui_table_mode mode = t->mode;
    t->mode = UI_TABLE_BROWSE;
    t->dirty |= UI_TABLE_DIRTY_PROMPT;
    if (mode == UI_TABLE_SEARCH && !accept)
        ui_table_search_end(t);
    if (mode == UI_TABLE_SEARCH && !accept && t->saved_anchor)
        ui_table_load(t, UI_F_PAGE, t->saved_anchor, UI_FETCH_AT,
                      t->saved_cursor);
    if (mode == UI_TABLE_FILTER && accept && t->src.filter) {
        free(t->filter);
        t->filter = strdup(ui_lineedit_text_utf8(t->prompt));
        if (t->src.filter(t->src.user, t->filter ? t->filter : "") != 0)
            t->error = true;
        ui_table_load(t, UI_F_FIRST, NULL, UI_FETCH_AT, 0);
    }
}

static ui_action ui_table_prompt_key(ui_table *t, ui_key k)
{
    const ui_keymap *km = &t->ctx->keys;
    if (t->mode == UI_TABLE_SORT) {
        t->mode = UI_TABLE_BROWSE;
        t->dirty |= UI_TABLE_DIRTY_PROMPT | UI_TABLE_DIRTY_HEAD;   /* numbers off */
        int col = k >= '1' && k <= '9' ? (int)(k - '1') : -1;
        if (col < 0 || col >= t->ncols || !t->cols[col].sortable || !t->src.sort) {
            t->bell = !ui_keys_is(km, k, UI_ACT_BACK);
            return UI_ACT_NONE;
        }
        t->sort_desc = col == t->sort_col ? !t->sort_desc : false;
        t->sort_col = col;
        if (t->src.sort(t->src.user, col, t->sort_desc) != 0)
            t->error = true;
        t->dirty |= UI_TABLE_DIRTY_HEAD;
        ui_table_load(t, UI_F_FIRST, NULL, UI_FETCH_AT, 0);
        return UI_ACT_NONE;
    }
    if (k == UI_KEY_ENTER) {
        ui_table_prompt_end(t, true);
        return UI_ACT_NONE;
    }
    if (ui_keys_is(km, k, UI_ACT_BACK)) {
        ui_table_prompt_end(t, false);
        return UI_ACT_NONE;
    }
    ui_lineedit_result r = ui_lineedit_key(t->prompt, k);
    if (r == UI_LE_CHANGED && t->mode == UI_TABLE_SEARCH)
        ui_table_search_now(t);
    else if (r == UI_LE_REFUSED || r == UI_LE_IGNORED)
        t->bell = true;
    t->dirty |= UI_TABLE_DIRTY_PROMPT;
    return UI_ACT_NONE;
}

/* ---- keys ------------------------------------------------------------- */

static void ui_table_move(ui_table *t, int dir)
{
    int to = t->cursor + dir;
    if (to >= 0 && to < t->nrows) {
        t->old_cursor = t->cursor;
        t->cursor = to;
        t->dirty |= UI_TABLE_DIRTY_CURSOR;
    } else if (!ui_table_step(t, dir)) {
        t->bell = true;
    }
}

ui_action ui_table_key(ui_table *t, ui_key k)
{
    const ui_keymap *km = &t->ctx->keys;
    t->bell = false;
    if (t->mode != UI_TABLE_BROWSE)
        return ui_table_prompt_key(t, k);
    if (ui_key_is(k, KEY_UP))
        ui_table_move(t, -1);
    else if (ui_key_is(k, KEY_DOWN))
        ui_table_move(t, 1);
    else if (ui_keys_is(km, k, UI_ACT_PAGE_DOWN))
        t->bell = !ui_table_page(t, 1);
    else if (ui_keys_is(km, k, UI_ACT_PAGE_UP))
        t->bell = !ui_table_page(t, -1);
    else if (ui_keys_is(km, k, UI_ACT_HOME))
        ui_table_load(t, UI_F_FIRST, NULL, UI_FETCH_AT, 0);
    else if (ui_keys_is(km, k, UI_ACT_END))
        ui_table_load(t, UI_F_LAST, NULL, UI_FETCH_AT, t->cap);
    else if (ui_keys_is(km, k, UI_ACT_SEARCH))
        ui_table_prompt_start(t, UI_TABLE_SEARCH, "");
    else if (ui_keys_is(km, k, UI_ACT_FILTER) && t->src.filter)
        ui_table_prompt_start(t, UI_TABLE_FILTER, t->filter ? t->filter : "");
    else if (ui_keys_is(km, k, UI_ACT_SORT) && t->src.sort) {
        t->mode = UI_TABLE_SORT;
        /* the headings show the numbers to press */
        t->dirty |= UI_TABLE_DIRTY_PROMPT | UI_TABLE_DIRTY_HEAD;
    } else if (ui_keys_is(km, k, UI_ACT_REDRAW)) {
        t->dirty = UI_TABLE_DIRTY_ALL;
    } else {
        static const ui_action passed[] = {
            UI_ACT_EDIT, UI_ACT_ADD, UI_ACT_DELETE, UI_ACT_BACK, UI_ACT_QUIT,
            UI_ACT_HELP, UI_ACT_LANG_TOGGLE, UI_ACT_FLAGS, UI_ACT_SAVE,
            UI_ACT_ACTIONS, UI_ACT_HISTORY,
        };
        ui_action a = ui_keys_action(km, k, passed,
                                     (int)(sizeof passed / sizeof passed[0]));
        if (a != UI_ACT_NONE)
            return (a == UI_ACT_EDIT || a == UI_ACT_DELETE) && t->nrows == 0
                       ? UI_ACT_NONE : a;
        if (ui_key_is_char(k)) {
            /* typing in a list starts a search with what was typed */
            ui_table_prompt_start(t, UI_TABLE_SEARCH, "");
            return ui_table_prompt_key(t, k);
        }
        t->bell = true;
    }
    return UI_ACT_NONE;
}

/* ---- drawing ---------------------------------------------------------- */

/* Column x positions: the flag column (2), then each column plus a space. */
static int ui_table_col_x(const ui_table *t, int c)
{
    int x = 2;
    for (int i = 0; i < c; i++)
        x += t->cols[i].width + 1;
    return x;
}

static void ui_table_draw_cells(ui_table *t, WINDOW *win, int row,
                                const char *flag, char *const *cells, int attr,
                                bool head)
{
    int y = t->y + row;
    ui_draw_text(win, y, t->x, flag, 2, 'l', attr | (head ? 0 : A_BOLD));
    int x = 2;
    for (int c = 0; c < t->ncols && x < t->w; c++) {
        x = ui_table_col_x(t, c);
        int cw = t->cols[c].width;
        if (x + cw > t->w)
            cw = t->w - x;
        if (cw <= 0)
            break;
        ui_draw_text(win, y, t->x + x, cells[c], cw, head ? 'l' : t->cols[c].align,
                     attr);
        if (x + cw < t->w)
            ui_draw_text(win, y, t->x + x + cw, "", 1, 'l', attr);
        x += cw + 1;
    }
    if (x < t->w)
        ui_draw_text(win, y, t->x + x, "", t->w - x, 'l', attr);
}

static void ui_table_draw_head(ui_table *t, WINDOW *win)
{
    char *heads[UI_TABLE_MAX_COLS];
    char buf[UI_TABLE_MAX_COLS][96];
    for (int c = 0; c < t->ncols; c++) {
        /* "1 ชื่อ^": the number chooses the column when sorting */
        const char *mark = c == t->sort_col ? (t->sort_desc ? "v" : "^") : "";
        if (t->mode == UI_TABLE_SORT && t->cols[c].sortable)
            snprintf(buf[c], sizeof buf[c], "%d %s%s", c + 1, t->cols[c].heading, mark);
        else
            snprintf(buf[c], sizeof buf[c], "%s%s", t->cols[c].heading, mark);
        heads[c] = buf[c];
    }
    ui_table_draw_cells(t, win, 0, "", heads, t->ctx->attr_heading, true);
}

static void ui_table_draw_row(ui_table *t, WINDOW *win, int i)
{
    if (i < 0 || i >= t->cap)
        return;
    if (i >= t->nrows) {
        ui_draw_text(win, t->y + 1 + i, t->x, "", t->w, 'l', 0);
        return;
    }
    ui_table_row *r = &t->rows[i];
    char flag[3] = {r->flag ? r->flag : ' ', ' ', '\0'};
    bool sel = i == t->cursor;
    /* the '>' and the flag keep the row readable without reverse video */
    if (sel && flag[0] == ' ')
        flag[0] = '>';
    ui_table_draw_cells(t, win, 1 + i, flag, r->cells,
                        sel ? t->ctx->attr_select : 0, false);
}

/* n with a comma between thousands (49,422), as the reports print it. */
static void ui_table_group(long n, char *out, size_t outsz)
{
    char d[24];
    int len = snprintf(d, sizeof d, "%ld", n < 0 ? 0 : n), k = 0;
    for (int i = 0; i < len && (size_t)k + 2 < outsz; i++) {
        if (i > 0 && (len - i) % 3 == 0)
            out[k++] = ',';
        out[k++] = d[i];
    }
    out[k] = '\0';
}

/* F6: the prompt and the columns by name, "1 ชื่อ  2 นามสกุล ...", the
 * numbers being the ones the headings show while it is asked. */
static void ui_table_sort_info(const ui_table *t, char *out, size_t outsz)
{
    size_t k = (size_t)snprintf(out, outsz, "%s", ui_msg(t->ctx, "ui.sort_prompt"));
    for (int c = 0; c < t->ncols && c < 9 && k < outsz; c++)
        if (t->cols[c].sortable)
            k += (size_t)snprintf(out + k, outsz - k, "  %d %s", c + 1, t->cols[c].heading);
}

void ui_table_info(const ui_table *t, char *out, size_t outsz)
{
    if (t->mode == UI_TABLE_SORT) {
        ui_table_sort_info(t, out, outsz);
        return;
    }
    /* the row markers explained where they are seen */
    bool marked = false;
    for (int i = 0; i < t->nrows && !marked; i++)
        marked = t->rows[i].flag == '!' || t->rows[i].flag == '?';
    long n = t->src.row_count_estimate ? t->src.row_count_estimate(t->src.user) : -1;
    char num[40] = "", g[32];
    if (n >= 0) {
        /* exact as counted; a capped count says it is a lower bound */
        ui_table_group(n, g, sizeof g);
        if (!t->src.row_count_exact)
            snprintf(num, sizeof num, "~%s ", g);
        else
            snprintf(num, sizeof num, "%s%s ", g, t->src.row_count_exact(t->src.user) ? "" : "+");
    }
    snprintf(out, outsz, "%s%s%s%s%s%s", num, ui_msg(t->ctx, "ui.rows"),
             t->filter && *t->filter ? "  / " : "",
             t->filter && *t->filter ? t->filter : "",
             marked ? "   " : "", marked ? ui_msg(t->ctx, "ui.marker_legend") : "");
}

static int ui_table_draw_prompt(ui_table *t, WINDOW *win)
{
    int y = t->y + t->h - 1;
    if (t->mode == UI_TABLE_BROWSE || t->mode == UI_TABLE_SORT) {
        char info[1024];
        ui_table_info(t, info, sizeof info);
        ui_draw_text(win, y, t->x, info, t->w, 'l', 0);
        return -1;
    }
    const char *label = ui_msg(t->ctx, t->mode == UI_TABLE_SEARCH
                                           ? "ui.search_prompt" : "ui.filter_prompt");
    int lw = text_width(label) + 1;
    if (lw > t->w / 2)
        lw = t->w / 2;
    ui_draw_text(win, y, t->x, label, lw, 'l', A_BOLD);
    const char *nf = t->search_failed ? ui_msg(t->ctx, "ui.not_found") : "";
    int nw = *nf ? text_width(nf) + 3 : 0;
    if (nw > t->w / 4)
        nw = t->w / 4;
    int fw = t->w - lw - nw;
    int cx = ui_lineedit_draw(t->prompt, win, y, t->x + lw, fw, t->ctx->attr_field);
    if (nw) {
        char tmp[128];
        snprintf(tmp, sizeof tmp, " ! %s", nf);
        ui_draw_text(win, y, t->x + lw + fw, tmp, nw, 'l', t->ctx->attr_error);
    }
    return cx;
}

void ui_table_draw(ui_table *t, WINDOW *win)
{
    if (t->dirty & UI_TABLE_DIRTY_HEAD)
        ui_table_draw_head(t, win);
    if (t->dirty & UI_TABLE_DIRTY_ROWS) {
        for (int i = 0; i < t->cap; i++)
            ui_table_draw_row(t, win, i);
    } else if (t->dirty & UI_TABLE_DIRTY_CURSOR) {
        ui_table_draw_row(t, win, t->old_cursor);
        ui_table_draw_row(t, win, t->cursor);
    }
    int cx = -1;
    if (t->dirty & UI_TABLE_DIRTY_PROMPT || t->mode == UI_TABLE_SEARCH ||
        t->mode == UI_TABLE_FILTER)
        cx = ui_table_draw_prompt(t, win);
    if (cx >= 0) {
        curs_set(1);
        wmove(win, t->y + t->h - 1, cx);
    } else {
        curs_set(0);
    }
    t->dirty = 0;
    t->old_cursor = t->cursor;
}

ui_action ui_table_run(ui_table *t)
{
    for (;;) {
        ui_table_draw(t, stdscr);
        wnoutrefresh(stdscr);
        doupdate();
        ui_key k = ui_keys_read();
        if (ui_key_is(k, KEY_RESIZE)) {
            if (t->ctx->redraw)
                t->ctx->redraw(t->ctx->redraw_user);
            ui_table_resize(t, t->y, t->x, LINES - 2 - t->y, COLS - t->x);
            continue;
        }
        ui_action a = ui_table_key(t, k);
        if (t->bell)
            beep();
        if (a != UI_ACT_NONE)
            return a;
    }
}

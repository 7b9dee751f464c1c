/*
 * ui_form_view: drawing a ui_form and its key loop with the dialogs (pick
 * list, flag list, help, discard question).  The logic is in ui_form.c.
 *
 * Row layout of a field (x from the left):
 *   0        '>' on the current field (readable without attributes)
 *   1        the label, padded to the widest label, '*' when required
 *   box      the value, underlined, padded to the field's width; a value
 *            wider than the box shows '…' where it is cut (the field being
 *            typed in scrolls to the cursor, the others show their start)
 *   box+w+1  the flag marker: '!' error, '?' warning
 *   then     for a code field, the label of the code from its list
 * Moving between fields redraws the two rows involved; typing redraws the
 * current field's box only.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <curses.h>
#include "esis/text.h"
#include "esis/ui_form.h"
#include "esis/ui_signal.h"

static const ui_hint ui_form_hints[] = {
    {UI_ACT_HELP, "ui.hint_help"},   {UI_ACT_SAVE, "ui.hint_save"},
    {UI_ACT_FLAGS, "ui.hint_flags"}, {UI_ACT_PICK, "ui.hint_pick"},
    {UI_ACT_BACK, "ui.hint_back"},   {UI_ACT_QUIT, "ui.hint_quit"},
    {UI_ACT_NEXT_FIELD, "ui.hint_next"}, {UI_ACT_PREV_FIELD, "ui.hint_prev"},
    {UI_ACT_HISTORY, "ui.hint_history"},
};
#define UI_FORM_NHINTS 6   /* the bar shows the first six; help shows all */

static void ui_form_layout(ui_form *f, WINDOW *win)
{
    int cols = getmaxx(win);
    f->y = 1;
    f->h = ui_draw_body_rows(win);
    if (f->h < 1)
        f->h = 1;
    f->label_w = 0;
    for (int i = 0; i < f->n; i++) {
        int w = text_width(f->fields[i].label) + (f->fields[i].required ? 1 : 0);
        if (w > f->label_w)
            f->label_w = w;
    }
    if (f->label_w > cols / 3)
        f->label_w = cols / 3;
    if (f->cur < f->top)
        f->top = f->cur;
    if (f->cur >= f->top + f->h)
        f->top = f->cur - f->h + 1;
}

static int ui_form_box_x(const ui_form *f) { return 1 + f->label_w + 1; }

static int ui_form_box_w(const ui_form *f, WINDOW *win, int i)
{
    int w = f->fields[i].width > 0 ? f->fields[i].width : 10;
    if (f->fields[i].type == UI_FIELD_DATE && w < 11)
        w = 11;   /* DD/MM/YYYY and the cursor after it */
    else if (f->fields[i].max_chars == w)
        w++;      /* a full code or ID and the cursor after it, unscrolled */
    int room = getmaxx(win) - ui_form_box_x(f) - 3;
    return w < room ? w : room;
}

static const char *ui_form_code_label(const ui_form *f, int i, const char *v)
{
    const ui_field_desc *d = &f->fields[i];
    for (int k = 0; d->type == UI_FIELD_CODE && k < d->nitems; k++)
        if (strcmp(d->items[k].code, v) == 0)
            return d->items[k].label;
    return "";
}

/* Draw field i; returns the screen column of its cursor. */
static int ui_form_draw_field(ui_form *f, WINDOW *win, int i)
{
    int row = f->y + i - f->top;
    if (i < f->top || i >= f->top + f->h || i >= f->n)
        return -1;
    const ui_field_desc *d = &f->fields[i];
    bool focus = i == f->cur;
    char label[256];
    snprintf(label, sizeof label, "%s%s", d->label, d->required ? "*" : "");
    ui_draw_text(win, row, 0, focus ? ">" : " ", 1, 'l', A_BOLD);
    ui_draw_text(win, row, 1, label, f->label_w, 'l', focus ? A_BOLD : 0);
    ui_draw_text(win, row, 1 + f->label_w, "", 1, 'l', 0);
    int bx = ui_form_box_x(f), bw = ui_form_box_w(f, win, i);
    int attr = focus ? f->ctx->attr_field_focus : f->ctx->attr_field;
    if (d->read_only)
        attr = focus ? A_BOLD : 0;
    int cx;
    if (d->type == UI_FIELD_YESNO) {
        int v = f->yesno[i];
        const char *text = v < 0 ? "" : ui_msg(f->ctx, v ? "ui.yes" : "ui.no");
        char box[128];
        snprintf(box, sizeof box, "[%c] %s", v == 1 ? 'x' : ' ', text);
        ui_draw_text(win, row, bx, box, bw, 'l', attr);
        cx = bx + 1;
    } else if (focus) {
        /* plain text on an underlined rest while typing: see
         * ui_lineedit_draw_split for the bytes this saves per key; a long
         * value scrolls, with '…' at each end cut off */
        cx = ui_lineedit_draw_split(f->eds[i], win, row, bx, bw,
                                    !d->read_only ? (int)A_NORMAL : attr, attr);
    } else {
        /* another field shows its start, '…' when more follows */
        ui_lineedit_draw_rest(f->eds[i], win, row, bx, bw, attr);
        cx = bx;
    }
    char mark[2] = {ui_form_marker(f, i), '\0'};
    int mattr = mark[0] == '!' ? f->ctx->attr_error
              : mark[0] == '?' ? f->ctx->attr_warning : 0;
    ui_draw_text(win, row, bx + bw, " ", 1, 'l', 0);
    ui_draw_text(win, row, bx + bw + 1, mark, 1, 'l', mattr);
    int rest = getmaxx(win) - (bx + bw + 2);
    const char *extra = d->type == UI_FIELD_CODE
                      ? ui_form_code_label(f, i, ui_form_value(f, i)) : "";
    char pad[256];
    snprintf(pad, sizeof pad, " %s", extra);
    ui_draw_text(win, row, bx + bw + 2, pad, rest, 'l', 0);
    return cx;
}

void ui_form_draw(ui_form *f, ui_window *win)
{
    int old_top = f->top;
    ui_form_layout(f, win);
    if (f->top != old_top)
        f->dirty |= UI_FORM_DIRTY_FIELDS;
    if (f->dirty & UI_FORM_DIRTY_ALL) {
        ui_draw_title(f->ctx, win, f->title, f->modified ? "*" : "");
        ui_draw_hints(f->ctx, win, ui_form_hints, UI_FORM_NHINTS);
        f->dirty |= UI_FORM_DIRTY_FIELDS | UI_FORM_DIRTY_STATUS;
    }
    if (f->dirty & UI_FORM_DIRTY_FIELDS) {
        for (int r = 0; r < f->h; r++)
            if (f->top + r >= f->n)
                ui_draw_text(win, f->y + r, 0, "", getmaxx(win), 'l', 0);
        for (int i = f->top; i < f->top + f->h && i < f->n; i++)
            ui_form_draw_field(f, win, i);
    } else if (f->dirty & UI_FORM_DIRTY_CUR && f->old_cur != f->cur) {
        ui_form_draw_field(f, win, f->old_cur);
    }
    if (f->dirty & UI_FORM_DIRTY_STATUS)
        ui_draw_status(f->ctx, win, f->status_kind, f->status);
    /* the current field last, so the terminal cursor ends up in it */
    int cx = ui_form_draw_field(f, win, f->cur);
    if (cx >= 0) {
        wmove(win, f->y + f->cur - f->top, cx);
        curs_set(f->fields[f->cur].read_only ? 0 : 1);
    }
    f->dirty = 0;
    f->old_cur = f->cur;
}

/* The flag list: one line per flag, "! label: message"; choosing one goes
 * to its field. */
static void ui_form_show_flags(ui_form *f)
{
    if (f->flags.n == 0) {
        ui_dialog_message(f->ctx, ui_msg(f->ctx, "ui.flags_title"),
                          ui_msg(f->ctx, "ui.no_flags"));
        return;
    }
    char **lines = calloc((size_t)f->flags.n, sizeof *lines);
    if (!lines)
        return;
    int n = 0;
    for (int k = 0; k < f->flags.n; k++) {
        const ui_form_flag *fl = &f->flags.v[k];
        const char *label = fl->field >= 0 ? f->fields[fl->field].label : "";
        size_t len = strlen(label) + strlen(fl->message) + 8;
        lines[n] = malloc(len);
        if (!lines[n])
            break;
        snprintf(lines[n], len, "%c %s%s%s", fl->severity, label,
                 *label ? ": " : "", fl->message);
        n++;
    }
    int chosen = ui_dialog_list(f->ctx, ui_msg(f->ctx, "ui.flags_title"),
                                (const char *const *)lines, n, 0);
    if (chosen >= 0 && f->flags.v[chosen].field >= 0)
        ui_form_goto(f, f->flags.v[chosen].field);
    for (int k = 0; k < n; k++)
        free(lines[k]);
    free(lines);
}

ui_form_result ui_form_run(ui_form *f)
{
    f->dirty |= UI_FORM_DIRTY_ALL;
    for (;;) {
        ui_form_draw(f, stdscr);
        wnoutrefresh(stdscr);
        doupdate();
        if (ui_signal_pending() != UI_STOP_NONE)
            return UI_FORM_STOPPED;
        ui_key k = ui_keys_read();
        if (ui_signal_pending() != UI_STOP_NONE)
            return UI_FORM_STOPPED;   /* the Esc it read is not the user's */
        if (ui_key_is(k, KEY_RESIZE)) {
            f->dirty |= UI_FORM_DIRTY_ALL;
            continue;
        }
        bool was_modified = f->modified;
        ui_form_result r = ui_form_key(f, k);
        if (f->modified != was_modified)
            f->dirty |= UI_FORM_DIRTY_ALL;   /* the '*' in the title */
        const ui_field_desc *d = &f->fields[f->cur];
        switch (r) {
        case UI_FORM_CONTINUE:
            break;
        case UI_FORM_WANT_PICK: {
            int item = ui_dialog_pick(f->ctx, d->label, d->items, d->nitems,
                                      ui_form_value(f, f->cur));
            if (item >= 0)
                ui_form_pick_done(f, item);
            break;
        }
        case UI_FORM_WANT_FLAGS:
            ui_form_show_flags(f);
            break;
        case UI_FORM_WANT_HELP: {
            char help[2048];
            ui_form_field_help(f, f->cur, help, sizeof help);
            ui_dialog_help(f->ctx, f->title, ui_form_hints,
                           (int)(sizeof ui_form_hints / sizeof ui_form_hints[0]), help);
            break;
        }
        case UI_FORM_WANT_DISCARD:
        case UI_FORM_WANT_QUIT:
            if (ui_dialog_confirm(f->ctx, ui_msg(f->ctx, "ui.discard")))
                return r == UI_FORM_WANT_QUIT ? UI_FORM_QUIT : UI_FORM_CANCELLED;
            break;
        case UI_FORM_SAVED:
            f->dirty |= UI_FORM_DIRTY_ALL;
            ui_form_draw(f, stdscr);
            return r;
        case UI_FORM_CANCELLED:
        case UI_FORM_QUIT:
        case UI_FORM_STOPPED:
        case UI_FORM_WANT_HISTORY:
            return r;
        }
    }
}

/*
 * ui_lineedit: the Thai-aware single-line editor (see the header for why).
 *
 * Invariants kept by every function here:
 *   - buf[len] == 0 and len < cap; typing stops at max_chars characters
 *     (marks not counted), a value set from outside is kept whole;
 *   - cur and scroll are cluster boundaries (never just before a mark);
 *   - typing never puts a combining mark first (a stored value that starts
 *     with one is kept as it is: nothing read is changed).
 * Widths come from the text layer (text_cp_width), so the editor and every
 * table column agree on how wide a string is.
 */
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <curses.h>
#include <thai/thinp.h>
#include <thai/thwchar.h>
#include "esis/text.h"
#include "esis/ui_lineedit.h"

/* Room for need code points and the NUL. */
static int ui_lineedit_reserve(ui_lineedit *ed, int need)
{
    if (need < ed->cap)
        return 0;
    int cap = ed->cap ? ed->cap : 16;
    while (cap <= need)
        cap *= 2;
    wchar_t *b = realloc(ed->buf, (size_t)cap * sizeof *b);
    if (!b)
        return -1;
    ed->buf = b;
    ed->cap = cap;
    return 0;
}

ui_lineedit *ui_lineedit_new(int max_chars, ui_lineedit_accept accept)
{
    if (max_chars < 1)
        max_chars = 1;
    ui_lineedit *ed = calloc(1, sizeof *ed);
    if (!ed)
        return NULL;
    if (ui_lineedit_reserve(ed, max_chars < 64 ? max_chars : 64) != 0) {
        free(ed);
        return NULL;
    }
    ed->buf[0] = 0;
    ed->max_chars = max_chars;
    ed->accept = accept;
    return ed;
}

void ui_lineedit_free(ui_lineedit *ed)
{
    if (!ed)
        return;
    free(ed->buf);
    free(ed->utf8);
    free(ed);
}

static bool ui_lineedit_is_mark(wchar_t c)
{
    return c != 0 && text_cp_is_combining((unsigned)c);
}

int ui_lineedit_next_boundary(const ui_lineedit *ed, int i)
{
    if (i >= ed->len)
        return ed->len;
    i++;
    while (i < ed->len && ui_lineedit_is_mark(ed->buf[i]))
        i++;
    return i;
}

int ui_lineedit_prev_boundary(const ui_lineedit *ed, int i)
{
    if (i <= 0)
        return 0;
    i--;
    while (i > 0 && ui_lineedit_is_mark(ed->buf[i]))
        i--;
    return i;
}

int ui_lineedit_width(const ui_lineedit *ed, int from, int to)
{
    int w = 0;
    for (int i = from; i < to && i < ed->len; i++)
        w += text_cp_width((unsigned)ed->buf[i]);
    return w;
}

static void ui_lineedit_changed(ui_lineedit *ed)
{
    ed->modified = true;
    ed->utf8_valid = false;
}

int ui_lineedit_set_utf8(ui_lineedit *ed, const char *s)
{
    int rc = 0;
    size_t n = s ? strlen(s) : 0;
    ed->len = 0;
    /* at most one code point per byte: one reservation */
    if (ui_lineedit_reserve(ed, n > (size_t)INT_MAX / 2 ? INT_MAX / 2 : (int)n) != 0)
        n = 0, rc = -1;
    while (n > 0) {
        unsigned cp;
        int used = text_utf8_decode(s, n, &cp);
        ed->buf[ed->len++] = (wchar_t)cp;
        s += used;
        n -= (size_t)used;
    }
    ed->buf[ed->len] = 0;
    ed->cur = ed->len;
    ed->scroll = 0;
    ed->utf8_valid = false;
    ed->modified = false;
    ed->full_pending = false;
    return rc;
}

int ui_lineedit_chars(const ui_lineedit *ed)
{
    int n = 0;
    for (int i = 0; i < ed->len; i++)
        n += !ui_lineedit_is_mark(ed->buf[i]);
    return n;
}

int ui_lineedit_chars_utf8(const char *s)
{
    int n = 0;
    for (size_t len = s ? strlen(s) : 0; len > 0;) {
        unsigned cp;
        int used = text_utf8_decode(s, len, &cp);
        n += !text_cp_is_combining(cp);
        s += used;
        len -= (size_t)used;
    }
    return n;
}

const char *ui_lineedit_text_utf8(ui_lineedit *ed)
{
    if (ed->utf8_valid && ed->utf8)
        return ed->utf8;
    char *p = realloc(ed->utf8, (size_t)ed->len * 4 + 1);
    if (!p)
        return "";
    ed->utf8 = p;
    for (int i = 0; i < ed->len; i++)
        p += text_utf8_encode((unsigned)ed->buf[i], p);
    *p = '\0';
    ed->utf8_valid = true;
    return ed->utf8;
}

static bool ui_lineedit_is_digit(wchar_t c)
{
    return (c >= '0' && c <= '9') || (c >= 0x0E50 && c <= 0x0E59);
}

static bool ui_lineedit_type_ok(const ui_lineedit *ed, wchar_t c)
{
    switch (ed->accept) {
    case UI_LE_NUMBER:
        return ui_lineedit_is_digit(c) || c == '-' || c == '.' || c == ',';
    case UI_LE_DATE:
        return ui_lineedit_is_digit(c) || c == '/';
    case UI_LE_CODE:
        return c != ' ';
    case UI_LE_ANY:
        break;
    }
    return true;
}

/* libthai's input sequence check works on TIS-620; a character outside
 * Thai is given as itself when ASCII and as 'A' (an ordinary letter)
 * otherwise, so a mark after any non-Thai letter is judged like after 'A'. */
static thchar_t ui_lineedit_tis(wchar_t c)
{
    if (c == 0)
        return 0;
    if (c < 0x80)
        return (thchar_t)c;
    thchar_t t = th_uni2tis(c);
    return t == THCHAR_ERR ? (thchar_t)'A' : t;
}

/* Marks are not counted, but a field is still bounded: a base and at
 * most three marks a character (Thai has two at most). */
enum { UI_LINEEDIT_MARKS_PER_CHAR = 4 };

ui_lineedit_refusal ui_lineedit_check_insert(const ui_lineedit *ed, wchar_t c)
{
    if (!ui_key_is_char((ui_key)c) || !ui_lineedit_type_ok(ed, c))
        return UI_LE_WHY_KIND;
    bool mark = ui_lineedit_is_mark(c);
    if ((!mark && ui_lineedit_chars(ed) >= ed->max_chars) ||
        ed->len >= ed->max_chars * UI_LINEEDIT_MARKS_PER_CHAR)
        return UI_LE_WHY_FULL;
    wchar_t prev = ed->cur > 0 ? ed->buf[ed->cur - 1] : 0;
    if (c >= 0x0E00 && c <= 0x0E7F)
        return th_isaccept(ui_lineedit_tis(prev), ui_lineedit_tis(c),
                           ISC_BASICCHECK) ? UI_LE_WHY_NONE : UI_LE_WHY_SEQUENCE;
    if (mark && (prev == 0 || prev == ' '))
        return UI_LE_WHY_SEQUENCE;
    return UI_LE_WHY_NONE;
}

bool ui_lineedit_can_insert(const ui_lineedit *ed, wchar_t c)
{
    return ui_lineedit_check_insert(ed, c) == UI_LE_WHY_NONE;
}

static ui_lineedit_result ui_lineedit_refuse(ui_lineedit *ed,
                                             ui_lineedit_refusal why)
{
    ed->last_refusal = why;
    return UI_LE_REFUSED;
}

static ui_lineedit_result ui_lineedit_insert(ui_lineedit *ed, wchar_t c)
{
    ui_lineedit_refusal why = ui_lineedit_check_insert(ed, c);
    /* The marks of a character refused for want of room go with it: they
     * must not land on the last character that fitted. */
    if (ed->full_pending && ui_lineedit_is_mark(c))
        why = UI_LE_WHY_FULL;
    ed->full_pending = why == UI_LE_WHY_FULL;
    if (why != UI_LE_WHY_NONE)
        return ui_lineedit_refuse(ed, why);
    if (ui_lineedit_reserve(ed, ed->len + 1) != 0)
        return ui_lineedit_refuse(ed, UI_LE_WHY_FULL);
    memmove(ed->buf + ed->cur + 1, ed->buf + ed->cur,
            (size_t)(ed->len - ed->cur + 1) * sizeof *ed->buf);
    ed->buf[ed->cur] = c;
    ed->len++;
    ed->cur++;
    /* A base typed in front of marks cannot happen (the cursor is on a
     * boundary), and a mark extends the cluster before it: the cursor stays
     * after it, which is still a boundary. */
    ui_lineedit_changed(ed);
    return UI_LE_CHANGED;
}

static void ui_lineedit_remove(ui_lineedit *ed, int from, int to)
{
    memmove(ed->buf + from, ed->buf + to,
            (size_t)(ed->len - to + 1) * sizeof *ed->buf);
    ed->len -= to - from;
    ui_lineedit_changed(ed);
}

static ui_lineedit_result ui_lineedit_backspace(ui_lineedit *ed)
{
    if (ed->cur == 0)
        return ui_lineedit_refuse(ed, UI_LE_WHY_MOVE);
    /* One code point: the last mark of the cluster, or its base when it
     * has no marks left.  Removing a base that still has marks would leave
     * orphan marks, so then the whole cluster goes. */
    int from = ed->cur - 1;
    if (!ui_lineedit_is_mark(ed->buf[from]))
        from = ui_lineedit_prev_boundary(ed, ed->cur);
    ui_lineedit_remove(ed, from, ed->cur);
    ed->cur = from;
    if (ed->scroll > ed->cur)
        ed->scroll = ed->cur;
    return UI_LE_CHANGED;
}

ui_lineedit_result ui_lineedit_key(ui_lineedit *ed, ui_key key)
{
    int old = ed->cur;
    if (ui_key_is_char(key))
        return ui_lineedit_insert(ed, (wchar_t)key);
    ed->full_pending = false;
    if (key == 127 || key == 8 || ui_key_is(key, KEY_BACKSPACE))
        return ui_lineedit_backspace(ed);
    if (ui_key_is(key, KEY_DC)) {
        if (ed->cur >= ed->len)
            return ui_lineedit_refuse(ed, UI_LE_WHY_MOVE);
        ui_lineedit_remove(ed, ed->cur, ui_lineedit_next_boundary(ed, ed->cur));
        return UI_LE_CHANGED;
    }
    if (ui_key_is(key, KEY_LEFT))
        ed->cur = ui_lineedit_prev_boundary(ed, ed->cur);
    else if (ui_key_is(key, KEY_RIGHT))
        ed->cur = ui_lineedit_next_boundary(ed, ed->cur);
    else if (ui_key_is(key, KEY_HOME))
        ed->cur = 0;
    else if (ui_key_is(key, KEY_END))
        ed->cur = ed->len;
    else
        return UI_LE_IGNORED;
    return ed->cur == old ? ui_lineedit_refuse(ed, UI_LE_WHY_MOVE) : UI_LE_MOVED;
}

/* The end of the whole clusters from `from` that fit in width columns. */
static int ui_lineedit_fit(const ui_lineedit *ed, int from, int width)
{
    int n = from, w = 0;
    while (n < ed->len) {
        int next = ui_lineedit_next_boundary(ed, n);
        int cw = ui_lineedit_width(ed, n, next);
        if (w + cw > width)
            break;
        w += cw;
        n = next;
    }
    return n;
}

void ui_lineedit_view(ui_lineedit *ed, int width, int *count, int *cursor_col)
{
    if (width < 1)
        width = 1;
    if (ed->scroll > ed->cur)
        ed->scroll = ed->cur;
    /* Keep one column free for the cursor when it stands after the text. */
    int room = ed->cur == ed->len ? width - 1 : width;
    if (room < 1)
        room = 1;
    while (ed->scroll < ed->cur) {
        int end = ui_lineedit_next_boundary(ed, ed->cur);
        if (ed->cur == ed->len)
            end = ed->len;
        if (ui_lineedit_width(ed, ed->scroll, end) <= room)
            break;
        ed->scroll = ui_lineedit_next_boundary(ed, ed->scroll);
    }
    /* Scroll back when the text got shorter and more of it fits. */
    while (ed->scroll > 0) {
        int p = ui_lineedit_prev_boundary(ed, ed->scroll);
        if (ui_lineedit_width(ed, p, ed->len) > width - 1)
            break;
        ed->scroll = p;
    }
    int n = ui_lineedit_fit(ed, ed->scroll, width);
    if (count)
        *count = n - ed->scroll;
    if (cursor_col)
        *cursor_col = ui_lineedit_width(ed, ed->scroll, ed->cur);
}

void ui_lineedit_view_ends(ui_lineedit *ed, int width, int *count,
                           int *cursor_col, bool *left, bool *right)
{
    /* A marker takes a column from the text, which may cut more of it and
     * call for the other marker: at most three rounds, markers only added. */
    bool l = false, r = false;
    int n = 0, col = 0;
    for (int round = 0; round < 3; round++) {
        int w = width - (l ? 1 : 0) - (r ? 1 : 0);
        ui_lineedit_view(ed, w < 1 ? 1 : w, &n, &col);
        bool nl = l || ed->scroll > 0, nr = r || ed->scroll + n < ed->len;
        if (nl == l && nr == r)
            break;
        l = nl;
        r = nr;
    }
    if (count)
        *count = n;
    if (cursor_col)
        *cursor_col = col + (l ? 1 : 0);
    if (left)
        *left = l && ed->scroll > 0;
    if (right)
        *right = r && ed->scroll + n < ed->len;
}

int ui_lineedit_draw(ui_lineedit *ed, ui_window *win, int y, int x, int width,
                     int attr)
{
    return ui_lineedit_draw_split(ed, win, y, x, width, attr, attr);
}

/* Draw count code points from `from` in the box, '…' at the cut ends. */
static void ui_lineedit_put(ui_lineedit *ed, ui_window *win, int y, int x,
                            int width, int from, int count, bool left,
                            bool right, int text_attr, int pad_attr)
{
    static const wchar_t ellipsis[] = {0x2026, 0};
    int used = ui_lineedit_width(ed, from, from + count) + (left ? 1 : 0);
    attr_t old_attr;
    short old_pair;
    wattr_get(win, &old_attr, &old_pair, NULL);
    wattrset(win, text_attr);
    wmove(win, y, x);
    if (left)
        waddnwstr(win, ellipsis, 1);
    if (count > 0)
        waddnwstr(win, ed->buf + from, count);
    wattrset(win, pad_attr);
    for (int i = used; i < width - (right ? 1 : 0); i++)
        waddch(win, ' ');
    if (right) {
        wattrset(win, text_attr);
        waddnwstr(win, ellipsis, 1);
    }
    wattr_set(win, old_attr, old_pair, NULL);
}

int ui_lineedit_draw_split(ui_lineedit *ed, ui_window *win, int y, int x,
                           int width, int text_attr, int pad_attr)
{
    int count, col;
    bool left, right;
    ui_lineedit_view_ends(ed, width, &count, &col, &left, &right);
    ui_lineedit_put(ed, win, y, x, width, ed->scroll, count, left, right,
                    text_attr, pad_attr);
    wmove(win, y, x + col);
    return x + col;
}

void ui_lineedit_draw_rest(ui_lineedit *ed, ui_window *win, int y, int x,
                           int width, int attr)
{
    bool cut = ui_lineedit_width(ed, 0, ed->len) > width;
    int n = ui_lineedit_fit(ed, 0, cut ? width - 1 : width);
    ui_lineedit_put(ed, win, y, x, width, 0, n, false, cut, attr, attr);
}

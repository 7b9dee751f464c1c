/* Tests of ui_table: paging against a fake keyset source (the table never
 * asks for more than a screenful), search, sort, filter, dirty tracking,
 * and Thai column alignment drawn on a curses screen written to /dev/null. */
#include "testutil.h"
#include <curses.h>
#include <locale.h>
#include "esis/ui_table.h"
#include "esis/ui_menu.h"
#include "esis/ui_dialog.h"
#include "esis/text.h"

#define NROWS 1000
static const char *const names[] = {"สมชาย", "ผู้อำนวยการ", "ที่อยู่", "Alice",
                                    "นักเรียน"};

/* The fake source: rows 0..NROWS-1, anchor = "%06d" of the row number,
 * optionally descending, optionally filtered to rows divisible by k. */
typedef struct fake {
    bool desc;
    int  modulo;      /* filter: keep rows with i % modulo == 0 (0 = all) */
    int  calls;
    int  max_n;       /* the largest n ever asked */
} fake;

static bool fake_keep(const fake *f, int i) { return f->modulo == 0 || i % f->modulo == 0; }

/* position in display order -> row number, and back */
static int fake_row(const fake *f, int pos) { return f->desc ? NROWS - 1 - pos : pos; }

static void fake_fill(fake *f, int pos, ui_table_row *out)
{
    int i = fake_row(f, pos);
    char id[16], num[16], anchor[16];
    snprintf(id, sizeof id, "%06d", i);
    snprintf(num, sizeof num, "%d", i * 7);
    snprintf(anchor, sizeof anchor, "%06d", i);
    const char *cells[3] = {id, names[i % 5], num};
    ui_table_row_set(out, 3, cells, i % 10 == 3 ? '!' : i % 10 == 4 ? '?' : ' ', anchor);
    (void)f;
}

static int fake_pos_of(const fake *f, const char *anchor)
{
    int i = atoi(anchor);
    return f->desc ? NROWS - 1 - i : i;
}

/* Collect up to n kept rows from pos going in dir (+1/-1). */
static int fake_collect(fake *f, int pos, int dir, int n, ui_table_row *out)
{
    int idx[NROWS], got = 0;
    for (int p = pos; p >= 0 && p < NROWS && got < n; p += dir)
        if (fake_keep(f, fake_row(f, p)))
            idx[got++] = p;
    for (int k = 0; k < got; k++)
        fake_fill(f, dir > 0 ? idx[k] : idx[got - 1 - k], &out[k]);
    return got;
}

static int fake_fetch(void *user, const char *anchor, ui_fetch_dir dir, int n,
                      ui_table_row *out)
{
    fake *f = user;
    f->calls++;
    if (n > f->max_n)
        f->max_n = n;
    int pos = fake_pos_of(f, anchor);
    if (dir == UI_FETCH_AFTER)
        return fake_collect(f, pos + 1, 1, n, out);
    if (dir == UI_FETCH_BEFORE)
        return fake_collect(f, pos - 1, -1, n, out);
    return fake_collect(f, pos, 1, n, out);
}

static int fake_first(void *user, int n, ui_table_row *out)
{
    fake *f = user;
    f->calls++;
    return fake_collect(f, 0, 1, n, out);
}

static int fake_last(void *user, int n, ui_table_row *out)
{
    fake *f = user;
    f->calls++;
    return fake_collect(f, NROWS - 1, -1, n, out);
}

/* search: rows whose id starts with prefix, from the first one */
static int fake_search(void *user, const char *prefix, int n, ui_table_row *out)
{
    fake *f = user;
    f->calls++;
    for (int p = 0; p < NROWS; p++) {
        char id[16];
        snprintf(id, sizeof id, "%06d", fake_row(f, p));
        if (fake_keep(f, fake_row(f, p)) && strncmp(id, prefix, strlen(prefix)) == 0)
            return fake_collect(f, p, 1, n, out);
    }
    return 0;
}

static long fake_count(void *user) { fake *f = user; return f->modulo ? NROWS / f->modulo : NROWS; }
static int fake_sort(void *user, int col, bool desc) { (void)col; ((fake *)user)->desc = desc; return 0; }
static int fake_filter(void *user, const char *text) { ((fake *)user)->modulo = atoi(text); return 0; }

static const ui_table_col cols[3] = {
    {"รหัส", 8, 'l', true}, {"ชื่อ", 14, 'l', true}, {"จำนวน", 7, 'r', false},
};

typedef struct fixture { fake f; ui_ctx ctx; ui_table *t; } fixture;

static int setup(void **state)
{
    fixture *fx = calloc(1, sizeof *fx);
    ui_ctx_init(&fx->ctx, NULL, NULL, false);
    ui_table_source src = {&fx->f, fake_fetch, fake_first, fake_last, fake_search,
                           fake_count, fake_sort, fake_filter, NULL};
    fx->t = ui_table_new(&fx->ctx, cols, 3, &src, 1, 0, 12, 80); /* 10 data rows */
    *state = fx;
    return fx->t ? 0 : -1;
}

static int teardown(void **state)
{
    fixture *fx = *state;
    ui_table_free(fx->t);
    free(fx);
    return 0;
}

static const char *cur_id(ui_table *t) { return ui_table_current(t)->cells[0]; }
static void press(ui_table *t, ui_key k) { ui_table_key(t, k); }

static void test_first_page_and_cursor_moves(void **state)
{
    fixture *fx = *state;
    ui_table *t = fx->t;
    assert_int_equal(t->cap, 10);
    assert_int_equal(t->nrows, 10);
    assert_string_equal(cur_id(t), "000000");
    t->dirty = 0;
    press(t, UI_KEY_C(KEY_DOWN));
    assert_string_equal(cur_id(t), "000001");
    /* inside the window only the cursor rows are redrawn, nothing fetched */
    assert_int_equal(t->dirty, UI_TABLE_DIRTY_CURSOR);
    assert_int_equal(t->old_cursor, 0);
    press(t, UI_KEY_C(KEY_UP));
    press(t, UI_KEY_C(KEY_UP));
    assert_true(t->bell);             /* at the very top */
    assert_string_equal(cur_id(t), "000000");
}

static void test_scroll_by_one_at_edge(void **state)
{
    fixture *fx = *state;
    ui_table *t = fx->t;
    for (int i = 0; i < 10; i++)
        press(t, UI_KEY_C(KEY_DOWN));
    assert_string_equal(cur_id(t), "000010");
    assert_string_equal(t->rows[0].cells[0], "000001");
    assert_int_equal(t->nrows, 10);
    press(t, UI_KEY_C(KEY_UP));
    for (int i = 0; i < 9; i++)
        press(t, UI_KEY_C(KEY_UP));
    assert_string_equal(cur_id(t), "000000");
    assert_string_equal(t->rows[9].cells[0], "000009");
}

static void test_paging_home_end(void **state)
{
    fixture *fx = *state;
    ui_table *t = fx->t;
    press(t, UI_KEY_C(KEY_NPAGE));
    assert_string_equal(t->rows[0].cells[0], "000010");
    press(t, UI_KEY_CTRL('V'));       /* the Ctrl fallback of page_down */
    assert_string_equal(t->rows[0].cells[0], "000020");
    press(t, UI_KEY_C(KEY_PPAGE));
    assert_string_equal(t->rows[0].cells[0], "000010");
    press(t, UI_KEY_C(KEY_END));
    assert_string_equal(cur_id(t), "000999");
    assert_string_equal(t->rows[0].cells[0], "000990");
    press(t, UI_KEY_C(KEY_NPAGE));    /* nothing after the end */
    assert_true(t->bell);
    press(t, UI_KEY_C(KEY_PPAGE));
    press(t, UI_KEY_C(KEY_HOME));
    assert_string_equal(cur_id(t), "000000");
    /* the table never asked for more than a screenful */
    assert_true(fx->f.max_n <= t->cap);
    assert_true(t->fetched_rows < 100);
}

static void test_page_near_end_keeps_window_full(void **state)
{
    fixture *fx = *state;
    ui_table *t = fx->t;
    press(t, UI_KEY_C(KEY_END));
    for (int i = 0; i < 4; i++)
        press(t, UI_KEY_C(KEY_UP));
    press(t, UI_KEY_C(KEY_PPAGE));    /* 980..989 */
    assert_string_equal(t->rows[0].cells[0], "000980");
    press(t, UI_KEY_C(KEY_NPAGE));
    assert_int_equal(t->nrows, 10);
    assert_string_equal(t->rows[9].cells[0], "000999");
}

static void test_incremental_search(void **state)
{
    fixture *fx = *state;
    ui_table *t = fx->t;
    press(t, UI_KEY_C(KEY_NPAGE));
    press(t, '/');
    assert_int_equal(t->mode, UI_TABLE_SEARCH);
    int calls = fx->f.calls;
    press(t, '0');
    press(t, '0');
    press(t, '0');
    press(t, '5');
    assert_int_equal(fx->f.calls, calls + 4);   /* asked at every keystroke */
    assert_string_equal(cur_id(t), "000500");
    press(t, '9');
    press(t, '9');
    assert_string_equal(cur_id(t), "000599");
    press(t, '9');                               /* 0005999: no such row */
    assert_true(t->search_failed);
    assert_string_equal(cur_id(t), "000599");
    press(t, 127);
    assert_false(t->search_failed);
    press(t, UI_KEY_ESC);                        /* cancel: back where we were */
    assert_int_equal(t->mode, UI_TABLE_BROWSE);
    assert_string_equal(t->rows[0].cells[0], "000010");
    /* typing a character starts a search too; Enter keeps the result */
    press(t, '0');
    press(t, '0');
    press(t, '0');
    press(t, '7');
    press(t, UI_KEY_ENTER);
    assert_int_equal(t->mode, UI_TABLE_BROWSE);
    assert_string_equal(cur_id(t), "000700");
}

static void test_sort_and_filter(void **state)
{
    fixture *fx = *state;
    ui_table *t = fx->t;
    press(t, UI_KEY_C(KEY_F(6)));
    assert_int_equal(t->mode, UI_TABLE_SORT);
    press(t, '1');
    assert_int_equal(t->sort_col, 0);
    assert_false(t->sort_desc);
    press(t, UI_KEY_CTRL('O'));
    press(t, '1');                               /* same column: reversed */
    assert_true(t->sort_desc);
    assert_string_equal(cur_id(t), "000999");
    press(t, UI_KEY_C(KEY_F(6)));
    press(t, '3');                               /* not sortable */
    assert_true(t->bell);
    assert_int_equal(t->sort_col, 0);

    press(t, UI_KEY_C(KEY_F(5)));
    assert_int_equal(t->mode, UI_TABLE_FILTER);
    press(t, '1');
    press(t, '0');
    press(t, '0');
    press(t, UI_KEY_ENTER);
    assert_string_equal(t->filter, "100");
    assert_string_equal(cur_id(t), "000900");
    assert_string_equal(t->rows[1].cells[0], "000800");
    assert_int_equal(t->nrows, 10);
    char info[128];
    ui_table_info(t, info, sizeof info);
    assert_non_null(strstr(info, "~10"));
    assert_null(strstr(info, "ui.marker_legend"));   /* rows 0, 100...: no marker */
}

/* Issue 16 (6): F6 offers the columns by name, with the numbers the
 * headings then show (they were not redrawn: a number no heading showed);
 * the '!' and '?' row markers are explained beside the count while a row
 * on the screen has one. */
static void test_sort_by_name_and_legend(void **state)
{
    fixture *fx = *state;
    ui_table *t = fx->t;
    char info[1024];
    ui_table_info(t, info, sizeof info);
    assert_non_null(strstr(info, "ui.marker_legend"));   /* rows 3 and 4 */
    t->dirty = 0;
    press(t, UI_KEY_C(KEY_F(6)));
    assert_true(t->dirty & UI_TABLE_DIRTY_HEAD);
    ui_table_info(t, info, sizeof info);
    assert_non_null(strstr(info, "ui.sort_prompt"));
    assert_non_null(strstr(info, "1 รหัส"));
    assert_non_null(strstr(info, "2 ชื่อ"));
    assert_null(strstr(info, "จำนวน"));                /* not sortable */
    t->dirty = 0;
    press(t, '2');
    assert_int_equal(t->sort_col, 1);
    assert_true(t->dirty & UI_TABLE_DIRTY_HEAD);         /* the numbers go */
}

/* Issue 16 (6): a count the source says is exact is shown as it is, with
 * thousands grouped (49,422, never "~49421"); a lower bound says so. */
static long count_49422(void *user) { (void)user; return 49422; }
static bool said_exact;
static bool count_exact(void *user) { (void)user; return said_exact; }

static void test_count_exact_or_bound(void **state)
{
    fixture *fx = *state;
    ui_table *t = fx->t;
    char info[128];
    t->src.row_count_estimate = count_49422;
    t->src.row_count_exact = count_exact;
    said_exact = true;
    ui_table_info(t, info, sizeof info);
    assert_non_null(strstr(info, "49,422 "));
    assert_null(strchr(info, '~'));
    said_exact = false;
    ui_table_info(t, info, sizeof info);
    assert_non_null(strstr(info, "49,422+ "));
}

static void test_actions_passed_to_caller(void **state)
{
    fixture *fx = *state;
    ui_table *t = fx->t;
    assert_int_equal(ui_table_key(t, UI_KEY_ENTER), UI_ACT_EDIT);
    assert_int_equal(ui_table_key(t, UI_KEY_C(KEY_IC)), UI_ACT_ADD);
    assert_int_equal(ui_table_key(t, UI_KEY_C(KEY_F(8))), UI_ACT_DELETE);
    assert_int_equal(ui_table_key(t, UI_KEY_C(KEY_F(10))), UI_ACT_QUIT);
    assert_int_equal(ui_table_key(t, UI_KEY_CTRL('Q')), UI_ACT_QUIT);
    assert_int_equal(ui_table_key(t, UI_KEY_ESC), UI_ACT_BACK);
    assert_int_equal(ui_table_key(t, UI_KEY_C(KEY_F(1))), UI_ACT_HELP);
}

static void test_reload_and_resize(void **state)
{
    fixture *fx = *state;
    ui_table *t = fx->t;
    press(t, UI_KEY_C(KEY_NPAGE));
    press(t, UI_KEY_C(KEY_DOWN));
    ui_table_reload(t);
    assert_string_equal(t->rows[0].cells[0], "000010");
    assert_string_equal(cur_id(t), "000011");
    ui_table_resize(t, 1, 0, 22, 80);            /* 20 data rows */
    assert_int_equal(t->cap, 20);
    assert_int_equal(t->nrows, 20);
    assert_string_equal(t->rows[0].cells[0], "000010");
    for (int i = 0; i < 8; i++)
        press(t, UI_KEY_C(KEY_DOWN));
    ui_table_resize(t, 1, 0, 7, 80);             /* 5 rows: cursor stays visible */
    assert_int_equal(t->nrows, 5);
    assert_string_equal(cur_id(t), "000019");
}

/* Display column of screen cell x: the screen is a grid, so x itself. */
static void test_draw_thai_aligned(void **state)
{
    fixture *fx = *state;
    FILE *out = fopen("/dev/null", "w"), *in = fopen("/dev/null", "r");
    SCREEN *scr = newterm("vt100", out, in);
    assert_non_null(scr);
    ui_table *t = fx->t;
    t->dirty = UI_TABLE_DIRTY_ALL;
    ui_table_draw(t, stdscr);
    /* every row's name column starts at x = 2 + 8 + 1 = 11 and the number
     * column ends at 11 + 14 + 1 + 7 - 1 = 32, whatever Thai is in between */
    for (int r = 0; r < 10; r++) {
        cchar_t cc;
        wchar_t wch[CCHARW_MAX + 1];
        attr_t a;
        short pair;
        mvwin_wch(stdscr, 2 + r, 11, &cc);
        getcchar(&cc, wch, &a, &pair, NULL);
        unsigned first;
        text_utf8_decode(names[r % 5], strlen(names[r % 5]), &first);
        assert_int_equal((unsigned)wch[0], first);
        mvwin_wch(stdscr, 2 + r, 32, &cc);
        getcchar(&cc, wch, &a, &pair, NULL);
        char num[16];
        snprintf(num, sizeof num, "%d", r * 7);
        assert_int_equal(wch[0], num[strlen(num) - 1]);
        /* flag column: '!' for rows 3, '?' for 4, '>' for the cursor */
        mvwin_wch(stdscr, 2 + r, 0, &cc);
        getcchar(&cc, wch, &a, &pair, NULL);
        assert_int_equal(wch[0], r == 0 ? '>' : r == 3 ? '!' : r == 4 ? '?' : ' ');
    }
    endwin();
    delscreen(scr);
    fclose(out);
    fclose(in);
}

static void test_list_nav(void **state)
{
    (void)state;
    ui_keymap km;
    ui_keys_default(&km);
    ui_list_nav nav = {.n = 30, .rows = 10};
    int old;
    assert_int_equal(ui_list_nav_key(&nav, &km, UI_KEY_C(KEY_DOWN), &old), UI_LIST_SEL);
    assert_int_equal(old, 0);
    assert_int_equal(ui_list_nav_key(&nav, &km, UI_KEY_C(KEY_NPAGE), &old), UI_LIST_SCROLL);
    assert_int_equal(nav.sel, 11);
    assert_int_equal(nav.top, 2);
    assert_int_equal(ui_list_nav_key(&nav, &km, UI_KEY_C(KEY_END), &old), UI_LIST_SCROLL);
    assert_int_equal(nav.sel, 29);
    assert_int_equal(nav.top, 20);
    assert_int_equal(ui_list_nav_key(&nav, &km, UI_KEY_C(KEY_DOWN), &old), UI_LIST_NONE);
    assert_int_equal(ui_list_nav_key(&nav, &km, 'x', &old), UI_LIST_NONE);
    ui_menu_item items[] = {{"นักเรียน", NULL, '1', 1, NULL}, {"ครู", NULL, 'T', 2, NULL}};
    ui_menu m = {"เมนู", items, 2};
    assert_int_equal(ui_menu_hotkey(&m, '1'), 0);
    assert_int_equal(ui_menu_hotkey(&m, 't'), 1);
    assert_int_equal(ui_menu_hotkey(&m, 'z'), -1);
}

static void wrap_count(const char *line, size_t n, void *user)
{
    (void)line;
    int *w = user;
    (void)n;
    (*w)++;
}

static void test_pick_filter_and_wrap(void **state)
{
    (void)state;
    ui_pick_item it = {"P1", "ประถมศึกษาปีที่ 1"};
    assert_true(ui_dialog_pick_matches(&it, "p1"));
    assert_true(ui_dialog_pick_matches(&it, "ประถม"));
    assert_true(ui_dialog_pick_matches(&it, ""));
    assert_false(ui_dialog_pick_matches(&it, "M1"));
    int lines = 0;
    assert_int_equal(ui_dialog_wrap("ผู้อำนวยการ ที่อยู่ abc", 10, wrap_count, &lines), 2);
    assert_int_equal(lines, 2);
    assert_int_equal(ui_dialog_wrap("a\nb\n\nc", 10, NULL, NULL), 4);
    /* Thai with no spaces is cut at cluster boundaries */
    assert_int_equal(ui_dialog_wrap("ผู้อำนวยการผู้อำนวยการ", 9, NULL, NULL), 2);
}

int main(void)
{
    setlocale(LC_ALL, "C.UTF-8");
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_first_page_and_cursor_moves, setup, teardown),
        cmocka_unit_test_setup_teardown(test_scroll_by_one_at_edge, setup, teardown),
        cmocka_unit_test_setup_teardown(test_paging_home_end, setup, teardown),
        cmocka_unit_test_setup_teardown(test_page_near_end_keeps_window_full, setup, teardown),
        cmocka_unit_test_setup_teardown(test_incremental_search, setup, teardown),
        cmocka_unit_test_setup_teardown(test_sort_and_filter, setup, teardown),
        cmocka_unit_test_setup_teardown(test_count_exact_or_bound, setup, teardown),
        cmocka_unit_test_setup_teardown(test_sort_by_name_and_legend, setup, teardown),
        cmocka_unit_test_setup_teardown(test_actions_passed_to_caller, setup, teardown),
        cmocka_unit_test_setup_teardown(test_reload_and_resize, setup, teardown),
        cmocka_unit_test_setup_teardown(test_draw_thai_aligned, setup, teardown),
        cmocka_unit_test(test_list_nav),
        cmocka_unit_test(test_pick_filter_and_wrap),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

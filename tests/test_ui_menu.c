/* Tests of ui_menu on a curses screen fed from a pipe (keys) and written to
 * /dev/null: a menu taller than the screen says how many items it hides
 * above and below (issue 16: the unit's menu hid 3 of its items with no
 * sign), and ui_menu_run_path opens again the sub-menu an item was chosen
 * in (Esc from a report went back to the main menu). */
#include "testutil.h"
#include <curses.h>
#include <panel.h>
#include <locale.h>
#include <unistd.h>
#include "esis/text.h"
#include "esis/ui_menu.h"

enum { NITEMS = 30 };

typedef struct fixture {
    ui_ctx        ctx;
    ui_menu_item  items[NITEMS];
    char          labels[NITEMS][16];
    ui_menu       m;
    SCREEN       *scr;
    FILE         *out, *in;
    int           keys;   /* the pipe's write end */
} fixture;

static int setup(void **state)
{
    fixture *fx = calloc(1, sizeof *fx);
    int p[2];
    if (!fx || pipe(p) != 0)
        return -1;
    ui_ctx_init(&fx->ctx, NULL, NULL, false);
    for (int i = 0; i < NITEMS; i++) {
        snprintf(fx->labels[i], sizeof fx->labels[i], "item %02d", i % 100);
        fx->items[i] = (ui_menu_item){fx->labels[i], NULL, i == 0 ? 'a' : 0, i, NULL};
    }
    fx->m = (ui_menu){"menu", fx->items, NITEMS};
    fx->keys = p[1];
    fx->in = fdopen(p[0], "r");
    fx->out = fopen("/dev/null", "w");
    setenv("LINES", "24", 1);
    setenv("COLUMNS", "80", 1);
    fx->scr = newterm("vt100", fx->out, fx->in);
    *state = fx;
    return fx->scr ? 0 : -1;
}

/* The screens of the tests, kept to the end: delscreen does not free what
 * the panel library hangs on a screen (its bottom panel), so a deleted
 * screen leaks it; a kept one stays reachable. */
static SCREEN *kept_screens[8];
static int nkept_screens;

static int teardown(void **state)
{
    fixture *fx = *state;
    endwin();
    if (nkept_screens < (int)(sizeof kept_screens / sizeof kept_screens[0]))
        kept_screens[nkept_screens++] = fx->scr;
    else
        delscreen(fx->scr);
    fclose(fx->out);
    fclose(fx->in);
    close(fx->keys);
    free(fx);
    return 0;
}

/* Row y of what the terminal was last sent, as UTF-8. */
static void row_text(int y, char *out, size_t outsz)
{
    size_t k = 0;
    for (int x = 0; x < COLS && k + 8 < outsz; x++) {
        cchar_t cc;
        wchar_t wch[CCHARW_MAX + 1];
        attr_t a;
        short pair;
        mvwin_wch(curscr, y, x, &cc);
        getcchar(&cc, wch, &a, &pair, NULL);
        for (int j = 0; wch[j] && k + 8 < outsz; j++)
            k += (size_t)text_utf8_encode((unsigned)wch[j], out + k);
    }
    out[k] = '\0';
}

static bool screen_has(const char *s)
{
    char row[1024];
    for (int y = 0; y < LINES; y++) {
        row_text(y, row, sizeof row);
        if (strstr(row, s))
            return true;
    }
    return false;
}

static void test_hidden_items_are_counted(void **state)
{
    fixture *fx = *state;
    /* 30 items, 18 rows of them at 80x24: 12 below, none above */
    assert_int_equal(write(fx->keys, "a", 1), 1);
    int sel = 0;
    assert_int_equal(ui_menu_run(&fx->ctx, &fx->m, 2, 2, &sel), 0);
    assert_true(screen_has("item 00"));
    assert_false(screen_has("item 29"));
    assert_true(screen_has("\u25bc 12 ui.menu_more"));
    assert_false(screen_has("\u25b2"));
    /* the bar on the last item: 12 above, none below */
    sel = NITEMS - 1;
    assert_int_equal(write(fx->keys, "a", 1), 1);
    assert_int_equal(ui_menu_run(&fx->ctx, &fx->m, 2, 2, &sel), 0);
    assert_true(screen_has("item 29"));
    assert_true(screen_has("\u25b2 12 ui.menu_more"));
    assert_false(screen_has("\u25bc"));
}

/* A sub-menu whose item was chosen opens again on the next run, its bar
 * where it was, without a key; Esc in it goes back to the parent. */
static void test_path_reopens_the_sub_menu(void **state)
{
    fixture *fx = *state;
    ui_menu_item sub_items[2] = {{"leaf x", NULL, 'x', 100, NULL},
                                 {"leaf y", NULL, 'y', 101, NULL}};
    ui_menu sub = {"sub", sub_items, 2};
    ui_menu_item top_items[2] = {{"plain", NULL, 'p', 1, NULL},
                                 {"submenu", NULL, 's', -1, &sub}};
    ui_menu top = {"top", top_items, 2};
    ui_menu_path path = {0};
    assert_int_equal(write(fx->keys, "sy", 2), 2);
    assert_int_equal(ui_menu_run_path(&fx->ctx, &top, 2, 2, &path), 101);
    assert_int_equal(path.depth, 1);
    assert_int_equal(path.sel[0], 1);
    assert_int_equal(path.sel[1], 1);
    /* the next run: straight into the sub-menu, where 'x' is a key */
    assert_int_equal(write(fx->keys, "x", 1), 1);
    assert_int_equal(ui_menu_run_path(&fx->ctx, &top, 2, 2, &path), 100);
    assert_int_equal(path.depth, 1);
    /* Esc in the sub-menu (then its read-ahead), then a top item */
    assert_int_equal(write(fx->keys, "\x1b", 1), 1);
    usleep(1200 * 1000);   /* longer than any ESCDELAY: a lone Esc */
    assert_int_equal(write(fx->keys, "p", 1), 1);
    assert_int_equal(ui_menu_run_path(&fx->ctx, &top, 2, 2, &path), 1);
    assert_int_equal(path.depth, 0);
}

int main(void)
{
    setlocale(LC_ALL, "C.UTF-8");
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_hidden_items_are_counted, setup, teardown),
        cmocka_unit_test_setup_teardown(test_path_reopens_the_sub_menu, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

/* Tests of ui_filechooser's plain parts: which names are listed, their
 * order, and Tab completion, on a directory the test makes. */
#include "fixture.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <dirent.h>
#include <iniparser/iniparser.h>
#include "esis/app.h"
#include "esis/io.h"
#include "esis/ui_actions.h"
#include "esis/ui_filechooser.h"

static void touch(const char *dir, const char *name)
{
    char p[1024];
    snprintf(p, sizeof p, "%s/%s", dir, name);
    FILE *f = fopen(p, "w");
    assert_non_null(f);
    fputs("x\n", f);
    fclose(f);
}

static void sub(const char *dir, const char *name)
{
    char p[1024];
    snprintf(p, sizeof p, "%s/%s", dir, name);
    assert_int_equal(mkdir(p, 0700), 0);
}

static void test_wanted(void **state)
{
    (void)state;
    assert_true(ui_fc_wanted("a.csv", false));
    assert_true(ui_fc_wanted("A.CSV", false));
    assert_true(ui_fc_wanted("ครู.XlSx", false));
    assert_true(ui_fc_wanted("list.txt", false));
    assert_false(ui_fc_wanted("a.csv.bak", false));
    assert_false(ui_fc_wanted(".csv", false));        /* hidden, not a CSV named "" */
    assert_false(ui_fc_wanted(".hidden.csv", false));
    assert_false(ui_fc_wanted("report.pdf", false));
    assert_true(ui_fc_wanted("data", true));
    assert_true(ui_fc_wanted("..", true));
    assert_false(ui_fc_wanted(".", true));
    assert_false(ui_fc_wanted(".git", true));
}

static char *make_dir(void)
{
    char tmpl[64];
    assert_int_equal(fx_tmpdir(tmpl, sizeof tmpl, "fc"), 0);
    char *d = strdup(tmpl);
    touch(d, "staff_2567.csv");
    touch(d, "staff_2568.CSV");
    touch(d, "ครูอัตราจ้าง.xlsx");
    touch(d, "notes.pdf");
    touch(d, ".secret.csv");
    touch(d, "b.txt");
    sub(d, "zeta");
    sub(d, "staff_old");
    return d;
}

static void rm_dir(char *d)
{
    assert_int_equal(fx_rmtree(d), 0);
    free(d);
}

static void test_read_sorted(void **state)
{
    (void)state;
    char *d = make_dir();
    ui_fc_list l;
    assert_int_equal(ui_fc_read(d, &l), 0);
    /* .., directories by name, then the wanted files by name */
    const char *want[] = {"..", "staff_old", "zeta", "b.txt", "staff_2567.csv",
                          "staff_2568.CSV", "ครูอัตราจ้าง.xlsx"};
    assert_int_equal(l.n, 7);
    for (int i = 0; i < l.n; i++)
        assert_string_equal(l.v[i].name, want[i]);
    assert_true(l.v[1].dir);
    assert_false(l.v[3].dir);
    assert_int_equal(l.v[3].size, 2);
    ui_fc_list_free(&l);
    assert_int_equal(ui_fc_read("/", &l), 0);   /* no way up from the root */
    for (int i = 0; i < l.n; i++)
        assert_string_not_equal(l.v[i].name, "..");
    ui_fc_list_free(&l);
    assert_int_equal(ui_fc_read("/nonexistent/esis", &l), -1);
    rm_dir(d);
}

static void test_common_prefix(void **state)
{
    (void)state;
    ui_fc_entry v[] = {{"..", true, 0}, {"staff_old", true, 0}, {"staff_2567.csv", false, 0},
                       {"staff_2568.csv", false, 0}, {"ครูอัตราจ้าง.xlsx", false, 0},
                       {"ครูประจำ.csv", false, 0}};
    ui_fc_list l = {v, 6};
    char out[256];
    assert_int_equal(ui_fc_common_prefix(&l, "st", out, sizeof out), 3);
    assert_string_equal(out, "staff_");
    assert_int_equal(ui_fc_common_prefix(&l, "staff_2", out, sizeof out), 2);
    assert_string_equal(out, "staff_256");
    assert_int_equal(ui_fc_common_prefix(&l, "staff_2567", out, sizeof out), 1);
    assert_string_equal(out, "staff_2567.csv");
    /* a single directory gets its '/', to go on typing inside it */
    assert_int_equal(ui_fc_common_prefix(&l, "staff_o", out, sizeof out), 1);
    assert_string_equal(out, "staff_old/");
    assert_int_equal(ui_fc_common_prefix(&l, "x", out, sizeof out), 0);
    assert_string_equal(out, "x");
    /* Thai: never half a character (อ and ป differ in their last byte) */
    assert_int_equal(ui_fc_common_prefix(&l, "ค", out, sizeof out), 2);
    assert_string_equal(out, "ครู");
    assert_int_equal(ui_fc_common_prefix(&l, "", out, sizeof out), 5);
    assert_string_equal(out, "");
}

static void test_complete_path(void **state)
{
    (void)state;
    char *d = make_dir();
    char typed[1024], out[1024];
    touch(d, "staff_old/inner_staff.csv");
    /* relative to the current directory */
    assert_int_equal(ui_fc_complete(d, "staff_2567", out, sizeof out), 1);
    assert_string_equal(out, "staff_2567.csv");
    assert_int_equal(ui_fc_complete(d, "staff_old/in", out, sizeof out), 1);
    assert_string_equal(out, "staff_old/inner_staff.csv");
    /* absolute, the directory part kept as typed */
    snprintf(typed, sizeof typed, "%s/ครูอั", d);
    assert_int_equal(ui_fc_complete("/", typed, out, sizeof out), 1);
    snprintf(typed, sizeof typed, "%s/ครูอัตราจ้าง.xlsx", d);
    assert_string_equal(out, typed);
    snprintf(typed, sizeof typed, "%s/nope/x", d);
    assert_int_equal(ui_fc_complete("/", typed, out, sizeof out), -1);
    rm_dir(d);
}

static void test_display_safe(void **state)
{
    (void)state;
    char *s = ui_fc_display("evil\x1b]0;x\x07\nname\t.csv");
    assert_string_equal(s, "evil^[]0;x^G^Jname^I.csv");
    free(s);
    s = ui_fc_display("ครูอัตราจ้าง.csv");
    assert_string_equal(s, "ครูอัตราจ้าง.csv");
    free(s);
}

/* Every kind of conf/import (the tests run in the source tree): its table
 * has a screen, and that screen offers the import (ui_action_import_kind
 * finds a kind for the table, one whose mapping targets it). */
static void test_every_kind_has_its_screen(void **state)
{
    (void)state;
    esis_app app;
    memset(&app, 0, sizeof app);
    app.home = ".";
    DIR *d = opendir("conf/import");
    assert_non_null(d);
    struct dirent *e;
    int kinds = 0;
    while ((e = readdir(d))) {
        size_t n = strlen(e->d_name);
        if (n < 5 || strcmp(e->d_name + n - 4, ".ini"))
            continue;
        char kind[256], err[256], found[256], path[600];
        snprintf(kind, sizeof kind, "%.*s", (int)(n - 4), e->d_name);
        io_mapping *m = io_mapping_load(".", kind, err, sizeof err);
        assert_non_null(m);
        assert_true(ui_action_import_kind(&app, m->table, found, sizeof found));
        io_mapping *f = io_mapping_load(".", found, err, sizeof err);
        assert_non_null(f);
        assert_string_equal(f->table, m->table);
        snprintf(path, sizeof path, "screens/%s.ini", m->table);
        dictionary *ini = iniparser_load(path);
        if (!ini)
            fail_msg("kind %s: no screen for table %s", kind, m->table);
        assert_string_equal(iniparser_getstring(ini, "screen:table", ""), m->table);
        iniparser_freedict(ini);
        io_mapping_free(f);
        io_mapping_free(m);
        kinds++;
    }
    closedir(d);
    assert_true(kinds >= 7);
    char found[64];
    assert_false(ui_action_import_kind(&app, "rounds", found, sizeof found));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_wanted),
        cmocka_unit_test(test_read_sorted),
        cmocka_unit_test(test_common_prefix),
        cmocka_unit_test(test_complete_path),
        cmocka_unit_test(test_display_safe),
        cmocka_unit_test(test_every_kind_has_its_screen),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

/* Tests of ui_screens: every shipped screen definition loads and matches
 * the schema and the code lists; a typo is an error naming file, section
 * and key. */
#include "fixture.h"
#include <unistd.h>
#include "esis/conf.h"
#include "esis/db.h"
#include "esis/ui_screens.h"

typedef struct fixture {
    char         dbpath[256];
    char         tmpdir[256];
    sqlite3     *db;
    esis_schema *schema;
    esis_conf   *conf;
} fixture;

static int setup(void **state)
{
    fixture *fx = calloc(1, sizeof *fx);
    char err[512];
    fx_db_path(fx->dbpath, sizeof fx->dbpath, "screens");
    if (db_open(fx->dbpath, true, 5000, &fx->db, err, sizeof err) != SQLITE_OK ||
        db_schema_load(fx->db, &fx->schema, err, sizeof err) != SQLITE_OK ||
        conf_load(fx_home(), &fx->conf, err, sizeof err) != 0) {
        fprintf(stderr, "setup: %s\n", err);
        return -1;
    }
    snprintf(fx->tmpdir, sizeof fx->tmpdir, "/tmp/esis_test_screens_%d", (int)getpid());
    *state = fx;
    return 0;
}

static int teardown(void **state)
{
    fixture *fx = *state;
    char cmd[1200];
    snprintf(cmd, sizeof cmd, "rm -rf '%s' '%s' '%s-wal' '%s-shm'", fx->tmpdir,
             fx->dbpath, fx->dbpath, fx->dbpath);
    if (system(cmd) != 0)
        fprintf(stderr, "teardown: %s failed\n", cmd);
    schema_free(fx->schema);
    db_close(fx->db);
    conf_free(fx->conf);
    free(fx);
    return 0;
}

static void test_shipped_screens_load(void **state)
{
    fixture *fx = *state;
    char dir[512], err[1024] = "";
    snprintf(dir, sizeof dir, "%s/screens", fx_home());
    ui_screens *s = NULL;
    int rc = ui_screens_load(dir, fx->schema, fx->conf, &s, err, sizeof err);
    if (rc != 0)
        fprintf(stderr, "%s\n", err);
    assert_int_equal(rc, 0);
    const ui_screen *st = ui_screens_find(s, "students");
    assert_non_null(st);
    assert_string_equal(st->table, "students");
    assert_true(st->nlist > 0 && st->nform > st->nlist);
    assert_true(ui_screen_may_edit(st, "school"));
    assert_false(ui_screen_may_edit(st, "viewer"));
    assert_non_null(ui_screens_menu(s, "main"));
    /* the widget descriptions come out in both languages */
    ui_field_desc *th = ui_screen_form_fields(st, 0), *en = ui_screen_form_fields(st, 1);
    ui_table_col *cols = ui_screen_list_cols(st, 1);
    assert_string_equal(th[1].column, en[1].column);
    assert_string_not_equal(th[1].label, en[1].label);
    assert_non_null(cols[0].heading);
    for (int i = 0; i < st->nform; i++)
        if (th[i].type == UI_FIELD_CODE)
            assert_true(th[i].nitems > 0);
    free(th);
    free(en);
    free(cols);
    ui_screens_free(s);
}

/* Copy the shipped screens to tmpdir and apply a sed expression to file. */
static void broken_copy(fixture *fx, const char *file, const char *sed)
{
    char cmd[4096];
    snprintf(cmd, sizeof cmd, "rm -rf '%s' && cp -R '%s/screens' '%s' && sed -i '%s' '%s/%s'",
             fx->tmpdir, fx_home(), fx->tmpdir, sed, fx->tmpdir, file);
    assert_int_equal(system(cmd), 0);
}

static void expect_error(fixture *fx, const char *file, const char *sed,
                         const char *want)
{
    char err[1024] = "";
    ui_screens *s = NULL;
    broken_copy(fx, file, sed);
    assert_int_equal(ui_screens_load(fx->tmpdir, fx->schema, fx->conf, &s, err, sizeof err), -1);
    assert_null(s);
    if (!strstr(err, want))
        fprintf(stderr, "got: %s\nwant: %s\n", err, want);
    assert_non_null(strstr(err, want));
}

static void test_errors_name_file_section_key(void **state)
{
    fixture *fx = *state;
    expect_error(fx, "students.ini", "s/^table        = students/table = studnets/",
                 "students.ini [screen] table: no table or view 'studnets'");
    expect_error(fx, "students.ini", "s/^\\[field.prefix\\]/[field.prefixx]/",
                 "students.ini [field.prefixx]: table students has no column 'prefixx'");
    expect_error(fx, "students.ini", "0,/^required   = yes/s//requried   = yes/",
                 "students.ini [field.citizen_id] requried: unknown key");
    expect_error(fx, "students.ini", "0,/^lookup     = prefix/s//lookup     = prefixes/",
                 "[field.prefix] lookup: no code list 'prefixes'");
    expect_error(fx, "students.ini", "0,/^type       = text/s//type       = txt/",
                 "[field.citizen_id] type: 'txt' is not one of");
    expect_error(fx, "students.ini", "s/^filters      = grade/filters      = grdae/",
                 "[screen] filters: table students has no column 'grdae'");
    expect_error(fx, "menu.ini", "s/^screen   = students/screen   = student/",
                 "menu.ini [item.");
    expect_error(fx, "menu.ini", "s/^action   = check/action   = chekc/",
                 "action: unknown action 'chekc'");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_shipped_screens_load, setup, teardown),
        cmocka_unit_test_setup_teardown(test_errors_name_file_section_key, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

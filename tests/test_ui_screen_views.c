/* test_ui_screen_views: the list source and the form logic of the screen
 * engine over a real database with the shipped screens, conf and rules, no
 * terminal: cells (code labels, BE dates), flag markers, filters by label,
 * search kept and ended, the form's rule flags, a refused and an accepted
 * save, a conflict that keeps the typed values, defaults for new records,
 * delete through the gate. */
#include "fixture.h"
#include "screens_fixture.h"
#include <unistd.h>
#include "esis/app.h"
#include "esis/db.h"
#include "esis/ui_screen_list.h"
#include <curses.h>

typedef struct fx {
    esis_app      app;
    ui_ctx        ctx;
    ui_screens   *screens;
    ui_screen_env env;
    char          path[256];
} fx;

static int setup(void **state)
{
    fx *f = calloc(1, sizeof *f);
    fx_db_path(f->path, sizeof f->path, "views");
    if (app_open(&f->app, "esis", f->path, APP_CONF | APP_DB | APP_CREATE | APP_RULES) != 0) {
        fprintf(stderr, "%s\n", f->app.err);
        return -1;
    }
    rules_env env;
    conf_round r;
    app_rules_env(&f->app, NULL, &env, &r);
    char sql[2048];
    snprintf(sql, sizeof sql,
        "INSERT INTO schools(school_code, name_th, amphoe) VALUES ('1031000001','โรงเรียนบ้านสุ่ม','นางรอง');"
        "INSERT INTO rounds(round_code, collection, academic_year, round_no, as_of, opens, closes, state)"
        " VALUES ('%s','dmc',%d,%d,'2024-06-10','2000-01-01','2999-12-31','open');"
        "INSERT INTO students(round_code, school_code, citizen_id, prefix, first_name, last_name, gender,"
        " birth_date, nationality, grade, room) VALUES"
        " ('%s','1031000001','1101700207366','เด็กชาย','สมชาย','ใจดี','1','2016-05-01','TH','P2',1),"
        " ('%s','1031000001','1101700207374','เด็กหญิง','ปิยะนุช','แก้วมณี','2','2016-07-01','TH','P3',1);"
        "INSERT INTO flags(table_name, row_id, rule_id, severity) VALUES ('students', 1, 'x', 'warning');",
        r.code, r.year, r.number, r.code, r.code);
    exec_ok(f->app.db, sql);
    if (fx_screens_open(&f->app, &f->screens, &f->ctx, &f->env) != 0)
        return -1;
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fx *f = *state;
    fx_screens_close(&f->app, f->screens);
    unlink(f->path);
    free(f);
    return 0;
}

static ui_screen_list *open_students(fx *f)
{
    char err[256];
    ui_screen_list *l = ui_screen_list_open(&f->env, ui_screens_find(f->screens, "students"),
                                            1, 21, 80, err, sizeof err);
    if (!l)
        fprintf(stderr, "%s\n", err);
    assert_non_null(l);
    return l;
}

static void test_list_cells_and_flags(void **state)
{
    fx *f = *state;
    ui_screen_list *l = open_students(f);
    ui_table *t = l->table;
    assert_int_equal(t->nrows, 2);
    /* Thai order by last name: แก้วมณี before ใจดี; prefix code 2 shown as
     * its label, grade P3 as ป.3 */
    assert_string_equal(t->rows[0].cells[3], "แก้วมณี");
    assert_string_equal(t->rows[0].cells[1], "เด็กหญิง");
    assert_string_equal(t->rows[0].cells[4], "ป.3");
    assert_int_equal(t->rows[1].flag, '?');
    assert_int_equal(t->rows[0].flag, ' ');
    assert_true(ui_screen_list_current_id(l) == 2);
    ui_screen_list_free(l);
}

static void test_list_filter_and_search(void **state)
{
    fx *f = *state;
    ui_screen_list *l = open_students(f);
    ui_table_source src = ui_screen_list_source(l);
    char err[256];
    assert_int_equal(ui_screen_list_filter(l, "ชั้น=ป.2", err, sizeof err), 0);
    assert_int_equal(ui_table_reload(l->table), 1);
    assert_string_equal(l->table->rows[0].cells[2], "สมชาย");
    assert_int_equal(ui_screen_list_filter(l, "grade=P3", err, sizeof err), 0);
    ui_table_reload(l->table);
    assert_string_equal(l->table->rows[0].cells[2], "ปิยะนุช");
    assert_int_equal(ui_screen_list_filter(l, "nonsense", err, sizeof err), -1);
    assert_non_null(strstr(err, "nonsense"));
    assert_int_equal(ui_screen_list_filter(l, "", err, sizeof err), 0);
    /* search narrows; "" with 0 ends it */
    ui_table_row rows[5];
    memset(rows, 0, sizeof rows);
    assert_int_equal(src.search(src.user, "ปิยะ", 5, rows), 1);
    ui_table_row_clear(&rows[0], l->sc->nlist);
    assert_int_equal(src.search(src.user, "", 0, NULL), 0);
    assert_int_equal(src.first(src.user, 5, rows), 2);
    ui_table_row_clear(&rows[0], l->sc->nlist);
    ui_table_row_clear(&rows[1], l->sc->nlist);
    ui_screen_list_free(l);
}

static const ui_screen *students(fx *f)
{
    return ui_screens_find(f->screens, "students");
}

static void set_field(ui_screen_form *sf, const char *col, const char *v)
{
    int i = ui_form_field_index(sf->form, col);
    assert_true(i >= 0);
    ui_form_set_value(sf->form, i, v);
    ui_form_check_field(sf->form, i);
}

static void test_form_new_refused_then_saved(void **state)
{
    fx *f = *state;
    char err[256];
    ui_screen_form *sf = ui_screen_form_open(&f->env, students(f), 0, err, sizeof err);
    assert_non_null(sf);
    /* defaults: the round and the schema's status */
    assert_string_equal(record_get(sf->rec, "round_code"), f->env.round.code);
    assert_string_equal(record_get(sf->rec, "status"), "1");
    set_field(sf, "school_code", "1031000001");
    set_field(sf, "citizen_id", "1234567890129");
    int id_field = ui_form_field_index(sf->form, "citizen_id");
    assert_int_equal(ui_form_marker(sf->form, id_field), '!');
    set_field(sf, "prefix", "เด็กชาย");
    set_field(sf, "first_name", "ทดสอบ");
    set_field(sf, "last_name", "ใจงาม");
    set_field(sf, "gender", "1");
    set_field(sf, "birth_date", "01/05/2561");
    set_field(sf, "nationality", "TH");
    set_field(sf, "grade", "P1");
    set_field(sf, "room", "1");
    assert_int_equal(ui_form_try_save(sf->form), UI_FORM_CONTINUE);
    assert_non_null(strstr(sf->form->status, "เลขประจำตัว"));
    set_field(sf, "citizen_id", "1234567890121");
    assert_int_equal(ui_form_marker(sf->form, id_field), ' ');
    assert_int_equal(ui_form_try_save(sf->form), UI_FORM_SAVED);
    assert_true(sf->rec->id > 0);
    assert_int_equal(db_query_int(f->app.db, 0, "SELECT count(*) FROM students WHERE citizen_id ="
                                  " '1234567890121' AND birth_date = '2018-05-01'", (const char *)NULL), 1);
    ui_screen_form_free(sf);
}

static void test_form_conflict_keeps_values(void **state)
{
    fx *f = *state;
    char err[512];
    ui_screen_form *sf = ui_screen_form_open(&f->env, students(f), 1, err, sizeof err);
    assert_non_null(sf);
    /* someone else saves first */
    exec_ok(f->app.db, "UPDATE students SET room = 3, row_version = row_version + 1,"
                       " updated_by = 'somsri' WHERE id = 1");
    set_field(sf, "first_name", "สมชาติ");
    assert_int_equal(ui_form_try_save(sf->form), UI_FORM_CONTINUE);
    assert_non_null(strstr(sf->form->status, "somsri"));
    assert_non_null(strstr(sf->form->status, "room"));
    assert_string_equal(ui_form_value(sf->form, ui_form_field_index(sf->form, "first_name")), "สมชาติ");
    /* F2 again saves the user's values over it */
    assert_int_equal(ui_form_try_save(sf->form), UI_FORM_SAVED);
    assert_int_equal(db_query_int(f->app.db, 0, "SELECT count(*) FROM students WHERE id = 1"
                                  " AND first_name = 'สมชาติ'", (const char *)NULL), 1);
    ui_screen_form_free(sf);
    /* a record that is gone */
    assert_null(ui_screen_form_open(&f->env, students(f), 999, err, sizeof err));
    assert_true(*err != '\0');
}

/* Issue 15 (6): a conflict keeps both sides.  Another person, on a second
 * connection to the same file, changes room and last_name; this user,
 * whose form was open before, changes first_name and last_name.  The
 * first F2 meets the conflict: the form takes their room (a field this
 * user never touched), keeps this user's last_name with a '?' flag that
 * names the field both changed; the second F2 saves only this user's
 * changes: their room stays 4, checked with plain SQL. */
static void test_form_conflict_keeps_both_sides(void **state)
{
    fx *f = *state;
    char err[512];
    ui_screen_form *sf = ui_screen_form_open(&f->env, students(f), 2, err, sizeof err);
    assert_non_null(sf);
    sqlite3 *other = NULL;
    assert_int_equal(db_open(f->path, false, 5000, &other, err, sizeof err), SQLITE_OK);
    db_session s = { "somsri", "test", "staff", true, true, true, NULL, 0 };
    db_session_set(other, &s);
    esis_record *theirs = db_record_load(other, schema_table(f->app.schema, "students"), 2);
    assert_non_null(theirs);
    record_set(theirs, "room", "4");
    record_set(theirs, "last_name", "แก้วมณีรัตน์");
    db_save_info info;
    assert_int_equal(db_record_save(other, theirs, false, &info), DB_SAVED);
    record_free(theirs);
    db_close(other);

    set_field(sf, "first_name", "ปิยะนุชนาถ");
    set_field(sf, "last_name", "แก้วมณีวงศ์");
    int room = ui_form_field_index(sf->form, "room");
    int last = ui_form_field_index(sf->form, "last_name");
    assert_int_equal(ui_form_key(sf->form, UI_KEY_C(KEY_F(2))), UI_FORM_CONTINUE);
    assert_non_null(strstr(sf->form->status, "somsri"));
    /* their room is on the form now; the field both changed keeps mine,
     * flagged, and is named on the status line */
    assert_string_equal(ui_form_value(sf->form, room), "4");
    assert_string_equal(ui_form_value(sf->form, last), "แก้วมณีวงศ์");
    assert_int_equal(ui_form_marker(sf->form, last), '?');
    assert_non_null(strstr(sf->form->status, sf->form->fields[last].label));
    assert_int_equal(ui_form_key(sf->form, UI_KEY_C(KEY_F(2))), UI_FORM_SAVED);
    assert_int_equal(db_query_int(f->app.db, 0, "SELECT count(*) FROM students WHERE id = 2"
                                  " AND room = 4 AND first_name = 'ปิยะนุชนาถ'"
                                  " AND last_name = 'แก้วมณีวงศ์'", (const char *)NULL), 1);
    ui_screen_form_free(sf);
}

static void test_delete_and_scope(void **state)
{
    fx *f = *state;
    char err[512];
    char *none[] = { "9999999999" };
    db_session s = { "somsri", "test", "school", false, true, false, none, 1 };
    db_session_set(f->app.db, &s);
    assert_int_equal(ui_screen_record_delete(&f->env, students(f), 2, err, sizeof err), 1);
    assert_true(*err != '\0');
    db_session_set(f->app.db, NULL);
    assert_int_equal(ui_screen_record_delete(&f->env, students(f), 2, err, sizeof err), 0);
    assert_int_equal(db_query_int(f->app.db, -1, "SELECT count(*) FROM students WHERE id = 2",
                                  (const char *)NULL), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_list_cells_and_flags),
        cmocka_unit_test(test_list_filter_and_search),
        cmocka_unit_test(test_form_new_refused_then_saved),
        cmocka_unit_test(test_form_conflict_keeps_values),
        cmocka_unit_test(test_form_conflict_keeps_both_sides),
        cmocka_unit_test(test_delete_and_scope),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}

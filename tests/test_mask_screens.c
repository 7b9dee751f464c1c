/* test_mask_screens: every screen of screens/ *.ini, read as each role the
 * way the screen engine reads it (its list through db_cursor, its form
 * through db_record_load), with citizen IDs planted in every table a screen
 * shows and quoted in findings: a role that sees masked IDs (the viewer)
 * meets no unmasked ID anywhere, the findings screen included; a role that
 * sees them (the office) does meet them, so the test can fail. */
#include "fixture.h"
#include "esis/conf.h"
#include "esis/db_cursor.h"
#include "esis/record.h"

#include <dirent.h>
#include <iniparser/iniparser.h>

#define ID1 "1103702071811"
#define ID2 "2210400000011"

static char path[128];

static const db_session OFFICE = { "boss", "test", "admin", true, true, true, NULL, 0 };
static const db_session VIEWER = { "view1", "test", "viewer", true, false, false, NULL, 0 };

/* A 13-digit run, also with dashes: an unmasked ID. */
static bool has_id(const char *v)
{
    if (!v) return false;
    int digits = 0;
    for (const char *p = v; ; p++) {
        if (*p >= '0' && *p <= '9') digits++;
        else if (*p == '-' && digits > 0 && p[1] >= '0' && p[1] <= '9') continue;
        else { if (digits >= 13) return true; digits = 0; }
        if (!*p) break;
    }
    return false;
}

typedef struct seen { const char *screen; long ids, rows; bool fail_on_id; } seen;

static void look(seen *s, const char *what, const char *v)
{
    if (!has_id(v)) return;
    s->ids++;
    if (s->fail_on_id) fail_msg("screen %s, %s: an unmasked ID: %s", s->screen, what, v);
}

typedef struct collect { sqlite3 *db; const esis_table *t; seen *s; db_cursor *c; int ncols; const char *const *cols; } collect;

static int on_row_values(void *user, const db_cursor_row *row)
{
    collect *k = user;
    k->s->rows++;
    for (int i = 0; i < k->ncols; i++) look(k->s, k->cols[i], row->values[i]);
    if (row->id > 0 && k->t->id_col >= 0) {
        esis_record *r = db_record_load(k->db, k->t, row->id);
        for (int i = 0; r && i < k->t->ncols; i++) look(k->s, k->t->cols[i], r->values[i]);
        record_free(r);
    }
    return 0;
}

/* One screen: its list columns and form fields that are columns of its table. */
static void read_screen(sqlite3 *db, const esis_schema *schema, const char *file, seen *s)
{
    char why[256];
    dictionary *ini = conf_ini_load(file, why, sizeof why);
    assert_non_null(ini);
    const char *table = iniparser_getstring(ini, "screen:table", NULL);
    const esis_table *t = table ? schema_table(schema, table) : NULL;
    if (!t) { iniparser_freedict(ini); return; }
    char words[2048];
    snprintf(words, sizeof words, "%s %s", iniparser_getstring(ini, "list:columns", ""),
             iniparser_getstring(ini, "form:fields", ""));
    const char *cols[128];
    int n = 0;
    for (char *save = NULL, *w = strtok_r(words, " ,\t", &save); w && n < 128; w = strtok_r(NULL, " ,\t", &save)) {
        bool dup = false;
        for (int i = 0; i < n; i++) dup |= !strcmp(cols[i], w);
        if (!dup && schema_col(t, w) >= 0) cols[n++] = w;
    }
    db_cursor_def def = { .table = table, .cols = cols, .ncols = n };
    char err[512] = "";
    db_cursor *c = db_cursor_open(db, schema, &def, err, sizeof err);
    if (!c) fail_msg("%s: %s", file, err);
    collect k = { db, t, s, c, n, cols };
    assert_true(db_cursor_fetch(c, DB_PAGE_FIRST, NULL, 1000, on_row_values, &k) >= 0);
    db_cursor_free(c);
    iniparser_freedict(ini);
}

static void every_screen(sqlite3 *db, const esis_schema *schema, seen *total, bool fail_on_id)
{
    char dir[512];
    snprintf(dir, sizeof dir, "%s/screens", fx_home());
    DIR *dp = opendir(dir);
    assert_non_null(dp);
    struct dirent *e;
    int screens = 0;
    while ((e = readdir(dp))) {
        size_t len = strlen(e->d_name);
        if (len < 5 || strcmp(e->d_name + len - 4, ".ini") || !strcmp(e->d_name, "menu.ini")) continue;
        char file[800];
        snprintf(file, sizeof file, "%s/%s", dir, e->d_name);
        seen s = { e->d_name, 0, 0, fail_on_id };
        read_screen(db, schema, file, &s);
        total->ids += s.ids;
        total->rows += s.rows;
        screens++;
    }
    closedir(dp);
    assert_true(screens >= 25);
}

static void test_every_screen_masks_for_the_viewer(void **state)
{
    (void)state;
    fx_db_path(path, sizeof path, "mask_screens");
    sqlite3 *db = NULL;
    char err[512];
    assert_int_equal(db_open(path, true, 5000, &db, err, sizeof err), SQLITE_OK);
    exec_ok(db,
        "INSERT INTO schools(school_code, name_th, amphoe) VALUES ('1031000001','โรงเรียน','นางรอง');"
        "INSERT INTO rounds(round_code, collection, academic_year, round_no, as_of, opens, closes, state)"
        " VALUES ('2567-1','dmc',2567,1,'2024-06-10','2000-01-01','2999-12-31','open');"
        "INSERT INTO students(round_code, school_code, citizen_id, first_name, last_name, grade, birth_date,"
        " father_id, mother_id) VALUES ('2567-1','1031000001','" ID1 "','ก','ข','P1','2016-05-01','" ID2 "','" ID2 "');"
        "INSERT INTO staff(school_code, citizen_id, first_name, last_name, position, phone)"
        " VALUES ('1031000001','" ID2 "','ค','ง','TEA','0812345678');"
        "INSERT INTO student_moves(citizen_id, round_code, move_date, school_code)"
        " VALUES ('" ID1 "','2567-1','2024-06-01','1031000001');"
        "INSERT INTO flags(round_code, table_name, row_id, row_key, school_code, rule_id, severity, field,"
        " message_th, message_en) VALUES ('2567-1','students',1,'" ID1 "','1031000001','dmc.x','error',"
        " 'citizen_id','เลขประจำตัวประชาชน " ID1 " ผิด เกิด 01/05/2559','ID " ID1 " is wrong');"
        "INSERT INTO quarantine(kind, school_code, round_code, row_no, fields, reasons)"
        " VALUES ('dmc','1031000001','2567-1',1,'{\"citizen_id\":\"" ID1 "\"}','x');");
    esis_schema *schema = NULL;
    assert_int_equal(db_schema_load(db, &schema, err, sizeof err), SQLITE_OK);

    seen office = { "all", 0, 0, false };
    db_session_set(db, &OFFICE);
    every_screen(db, schema, &office, false);
    assert_true(office.rows > 0);
    assert_true(office.ids >= 5);      /* the IDs are there to be masked */

    seen viewer = { "all", 0, 0, true };
    db_session_set(db, &VIEWER);
    every_screen(db, schema, &viewer, true);
    assert_int_equal(viewer.rows, office.rows);
    assert_int_equal(viewer.ids, 0);

    db_session_set(db, NULL);
    schema_free(schema);
    db_close(db);
    unlink_db(path);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_screen_masks_for_the_viewer),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

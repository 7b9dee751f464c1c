/* Shared by the unit-layer tests (test_workflow, test_unit_forms,
 * test_survey): an esis_app over a fresh database in a temporary
 * directory (fixture.h: conf/ from fx_home), two schools, and the sessions
 * the tests switch between. */
#ifndef ESIS_UNIT_FIXTURE_H
#define ESIS_UNIT_FIXTURE_H

#include "fixture.h"
#include "esis/app.h"
#include "esis/db.h"

#include <sys/stat.h>
#include <unistd.h>

typedef struct fixture {
    char dir[64];
    char db[128];
    esis_app app;
} fixture;

static db_session __attribute__((unused)) fx_staff    = { "staff1", "test", "staff", true, true, true, NULL, 0 };
static db_session __attribute__((unused)) fx_director = { "director1", "test", "director", true, true, true, NULL, 0 };
static db_session __attribute__((unused)) fx_admin    = { "admin1", "test", "admin", true, true, true, NULL, 0 };
static db_session __attribute__((unused)) fx_viewer   = { "viewer1", "test", "viewer", true, false, false, NULL, 0 };
static db_session __attribute__((unused)) fx_group_head = { "head1", "test", "group_head", true, true, true, NULL, 0 };
/* deputy1 holds a delegation when a test records one; deputy2 never. */
static db_session __attribute__((unused)) fx_deputy   = { "deputy1", "test", "deputy", true, true, true, NULL, 0 };
static db_session __attribute__((unused)) fx_deputy2  = { "deputy2", "test", "deputy", true, true, true, NULL, 0 };
static char *fx_school_codes[] = { "1074000001" };
static db_session __attribute__((unused)) fx_school   = { "school1", "test", "school", false, true, true, fx_school_codes, 1 };

/* The accounts behind the sessions (decisions look up the approver's and
 * a delegation's accounts), and a delegation from director1 to deputy1
 * covering today. */
static __attribute__((unused)) void fx_accounts(sqlite3 *db)
{
    const db_session *was = db_session_get(db);
    db_session_set(db, NULL);
    exec_ok(db, "INSERT INTO users(login, display_name, role, position) VALUES"
                " ('director1', 'นายผู้อำนวย การเขต', 'director', 'ผู้อำนวยการสำนักงานเขตพื้นที่การศึกษา'),"
                " ('deputy1', 'นางรอง ผู้อำนวยการ', 'deputy', 'รองผู้อำนวยการ'),"
                " ('deputy2', 'นายรอง สอง', 'deputy', 'รองผู้อำนวยการ'),"
                " ('head1', 'นางหัวหน้า กลุ่มงาน', 'group_head', 'ผู้อำนวยการกลุ่มนโยบายและแผน'),"
                " ('staff1', 'นางสาวเจ้าหน้าที่ ข้อมูล', 'staff', 'นักวิเคราะห์นโยบายและแผน'),"
                " ('admin1', 'นายดูแล ระบบ', 'admin', 'นักวิชาการคอมพิวเตอร์'),"
                " ('viewer1', NULL, 'viewer', NULL), ('school1', 'นายครู โรงเรียน', 'school', 'ครู')");
    exec_ok(db, "INSERT INTO user_schools(login, school_code) VALUES ('school1', '1074000001')");
    exec_ok(db, "INSERT INTO delegations(from_login, to_login, starts, ends, note) VALUES ('director1', 'deputy1',"
                " date('now','localtime','-1 day'), date('now','localtime','+7 days'), 'ไปราชการ')");
    db_session_set(db, was);
}

/* Write conf/<sub>/bad.ini with text under a second home in the test's
 * directory, for a loader's error cases; home gets that home's path. */
static __attribute__((unused)) void fx_bad_conf(const fixture *f, const char *sub, const char *text,
                                                char *home, size_t homesz)
{
    char dir[200], path[300], cmd[300];
    snprintf(home, homesz, "%s/home", f->dir);
    snprintf(dir, sizeof dir, "%s/home/conf/%s", f->dir, sub);
    snprintf(cmd, sizeof cmd, "mkdir -p '%s'", dir);
    assert_int_equal(system(cmd), 0);
    snprintf(path, sizeof path, "%s/bad.ini", dir);
    FILE *fp = fopen(path, "w");
    assert_non_null(fp);
    fputs(text, fp);
    fclose(fp);
}

static __attribute__((unused)) long long fx_count(sqlite3 *db, const char *sql)
{
    return db_query_int(db, -1, sql, (const char *)NULL);
}

static int fx_setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    if (!f) return -1;
    if (fx_tmpdir(f->dir, sizeof f->dir, "unit")) return -1;
    snprintf(f->db, sizeof f->db, "%s/t.db", f->dir);
    esis_app *app = &f->app;
    if (fx_app_open(app, f->db, false) != 0) return -1;
    db_session_set(app->db, &fx_staff);
    exec_ok(app->db, "INSERT INTO schools(school_code, name_th, amphoe) VALUES"
                     " ('1074000001', 'บ้านหนึ่ง', 'เมือง'), ('1074000002', 'วัดสอง', 'บ้านแพ้ว')");
    *state = f;
    return 0;
}

static int fx_teardown(void **state)
{
    fixture *f = *state;
    app_close(&f->app);
    int rc = fx_rmtree(f->dir);
    free(f);
    return rc;
}

#endif

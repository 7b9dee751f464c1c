/* test_rounds: rounds from the calendar, submission states and who may move
 * them, carrying students into the next round with promotion, moves. */
#include "fixture.h"
#include "esis/db.h"
#include "esis/rounds.h"

#include <unistd.h>

static char path[256];
static esis_conf *conf;

static sqlite3 *fresh(void)
{
    fx_db_path(path, sizeof path, "rounds");
    sqlite3 *db;
    char err[512];
    assert_int_equal(db_open(path, true, 5000, &db, err, sizeof err), SQLITE_OK);
    assert_int_equal(db_exec(db, "INSERT INTO schools(school_code, name_th, amphoe) VALUES"
                                 " ('1074000001','โรงเรียนบ้านสุ่ม','เมือง'), ('1074000002','โรงเรียนวัดดอน','เมือง')",
                             err, sizeof err), SQLITE_OK);
    return db;
}

static int setup(void **state)
{
    (void)state;
    conf = fx_conf();
    return conf ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    conf_free(conf);
    return 0;
}

static db_session office = { "staff1", "test", "staff", true, true, true, NULL, 0 };
static char *mine[] = { "1074000001" };
static db_session school = { "school1", "test", "school", false, true, true, mine, 1 };

static void test_ensure(void **state)
{
    (void)state;
    sqlite3 *db = fresh();
    char err[512];
    assert_int_equal(rounds_ensure_years(db, conf, 2568, err, sizeof err), 0);
    assert_int_equal(db_query_int(db, 0, "SELECT count(*) FROM rounds", (const char *)NULL), 10);
    assert_int_equal(db_query_int(db, 0, "SELECT count(*) FROM rounds WHERE round_code = '2567-3'"
                                         " AND as_of = '2025-03-31' AND previous_round = '2567-2'", (const char *)NULL), 1);
    /* Any academic year works, even one the calendar does not list. */
    assert_int_equal(rounds_ensure(db, conf, "2550-2", err, sizeof err), 0);
    assert_int_equal(db_query_int(db, 0, "SELECT count(*) FROM rounds WHERE round_code = '2550-2'"
                                         " AND as_of = '2007-11-10'", (const char *)NULL), 1);
    assert_int_equal(rounds_ensure(db, conf, "2567-9", err, sizeof err), -1);
    char prev[24];
    assert_true(rounds_previous("2567-1", prev, sizeof prev));
    assert_string_equal(prev, "2566-3");
    db_close(db);
    unlink(path);
}

static void test_submission_flow(void **state)
{
    (void)state;
    sqlite3 *db = fresh();
    char err[512];
    assert_int_equal(rounds_ensure(db, conf, "2567-1", err, sizeof err), 0);
    db_session_set(db, &school);
    /* Errors block a submission. */
    assert_int_equal(rounds_submission_act(db, "2567-1", "1074000001", ROUNDS_SUBMIT, 3, NULL, NULL, err, sizeof err), -1);
    assert_non_null(strstr(err, "3 error"));
    /* Another school's submission is out of reach. */
    assert_int_equal(rounds_submission_act(db, "2567-1", "1074000002", ROUNDS_SUBMIT, 0, NULL, NULL, err, sizeof err), -1);
    assert_int_equal(rounds_submission_act(db, "2567-1", "1074000001", ROUNDS_SUBMIT, 0, NULL, NULL, err, sizeof err), 0);
    /* A school cannot confirm itself. */
    assert_int_equal(rounds_submission_act(db, "2567-1", "1074000001", ROUNDS_CONFIRM, 0, NULL, NULL, err, sizeof err), -1);
    db_session_set(db, &office);
    /* Returning needs a reason. */
    assert_int_equal(rounds_submission_act(db, "2567-1", "1074000001", ROUNDS_RETURN, 0, "", NULL, err, sizeof err), -1);
    assert_int_equal(rounds_submission_act(db, "2567-1", "1074000001", ROUNDS_RETURN, 0,
                                           "ห้องเรียน ป.3 ไม่ครบ", NULL, err, sizeof err), 0);
    assert_int_equal(db_query_int(db, 0, "SELECT count(*) FROM submissions WHERE state = 'returned'"
                                         " AND reason = 'ห้องเรียน ป.3 ไม่ครบ' AND reopened_until IS NOT NULL",
                                  (const char *)NULL), 1);
    /* Confirming returned data is refused; submit again, then confirm. */
    assert_int_equal(rounds_submission_act(db, "2567-1", "1074000001", ROUNDS_CONFIRM, 0, NULL, NULL, err, sizeof err), -1);
    db_session_set(db, &school);
    assert_int_equal(rounds_submission_act(db, "2567-1", "1074000001", ROUNDS_SUBMIT, 0, NULL, NULL, err, sizeof err), 0);
    db_session_set(db, &office);
    assert_int_equal(rounds_submission_act(db, "2567-1", "1074000001", ROUNDS_CONFIRM, 0, NULL, NULL, err, sizeof err), 0);
    assert_int_equal(db_query_int(db, 0, "SELECT count(*) FROM submissions WHERE state = 'confirmed'"
                                         " AND confirmed_by = 'staff1' AND submitted_by = 'school1'", (const char *)NULL), 1);
    /* Every step is in the audit trail. */
    assert_true(db_query_int(db, 0, "SELECT count(*) FROM audit WHERE table_name = 'submissions'", (const char *)NULL) >= 5);
    db_session_set(db, NULL);
    db_close(db);
    unlink(path);
}

static void add_student(sqlite3 *db, const char *round, const char *school, const char *id, const char *grade)
{
    char sql[512], err[256];
    snprintf(sql, sizeof sql, "INSERT INTO students(round_code, school_code, citizen_id, first_name, last_name, grade)"
                              " VALUES ('%s','%s','%s','ชื่อ','นามสกุล','%s')", round, school, id, grade);
    assert_int_equal(db_exec(db, sql, err, sizeof err), SQLITE_OK);
}

/* Issue 14: `round plan` turned an open round holding 49,421 students back
 * to planned without asking.  Back to planned, or out of locked, a round
 * holding students or submissions needs force; forward needs nothing; a
 * round without data needs nothing.  The state is read back with SQL. */
static void test_state_needs_force(void **state)
{
    (void)state;
    sqlite3 *db = fresh();
    char err[512];
    db_session_set(db, &office);
    assert_int_equal(rounds_ensure_years(db, conf, 2568, err, sizeof err), 0);
    assert_int_equal(db_exec(db, "UPDATE rounds SET state = 'open' WHERE round_code IN ('2568-1', '2568-2')", err, sizeof err), SQLITE_OK);
    add_student(db, "2568-1", "1074000001", "1101700230705", "P1");
    add_student(db, "2568-1", "1074000002", "1101700230713", "P2");
    rounds_held held;
    assert_int_equal(rounds_set_state(db, "2568-1", "planned", false, &held, err, sizeof err), 1);
    assert_int_equal(held.students, db_query_int(db, -1, "SELECT count(*) FROM students WHERE round_code = '2568-1'", (const char *)NULL));
    assert_int_equal(db_query_int(db, -1, "SELECT count(*) FROM rounds WHERE round_code = '2568-1' AND state = 'open'", (const char *)NULL), 1);
    /* forward: no question; out of locked: the question again */
    assert_int_equal(rounds_set_state(db, "2568-1", "locked", false, NULL, err, sizeof err), 0);
    assert_int_equal(rounds_set_state(db, "2568-1", "open", false, NULL, err, sizeof err), 1);
    assert_int_equal(db_query_int(db, -1, "SELECT count(*) FROM rounds WHERE round_code = '2568-1' AND state = 'locked'", (const char *)NULL), 1);
    assert_int_equal(rounds_set_state(db, "2568-1", "planned", true, NULL, err, sizeof err), 0);
    assert_int_equal(db_query_int(db, -1, "SELECT count(*) FROM rounds WHERE round_code = '2568-1' AND state = 'planned'", (const char *)NULL), 1);
    /* a round with no student and no submission under way: no question */
    assert_int_equal(rounds_set_state(db, "2568-2", "planned", false, NULL, err, sizeof err), 0);
    /* a submission under way is data too */
    assert_int_equal(rounds_set_state(db, "2568-2", "open", false, NULL, err, sizeof err), 0);
    assert_int_equal(rounds_submission_touch(db, "2568-2", "1074000001"), 0);
    assert_int_equal(rounds_set_state(db, "2568-2", "planned", false, &held, err, sizeof err), 1);
    assert_int_equal(held.submissions, 1);
    /* a school officer changes no round */
    db_session_set(db, &school);
    assert_int_equal(rounds_set_state(db, "2568-2", "closed", true, NULL, err, sizeof err), -1);
    db_session_set(db, NULL);
    sqlite3_close(db);
    unlink(path);
}

static void test_next_year_and_moves(void **state)
{
    (void)state;
    sqlite3 *db = fresh();
    char err[512];
    assert_int_equal(rounds_ensure(db, conf, "2567-3", err, sizeof err), 0);
    add_student(db, "2567-3", "1074000001", "1103702071811", "K3");
    add_student(db, "2567-3", "1074000001", "1000000000001", "P6");
    add_student(db, "2567-3", "1074000001", "1000000000002", "P2");
    add_student(db, "2567-3", "1074000002", "1000000000003", "M3");
    add_student(db, "2567-3", "1074000002", "1000000000004", "M1");
    add_student(db, "2567-3", "1074000002", "1000000000005", "K0");   /* pre-kindergarten */
    /* One moved out during the year: not carried. */
    assert_int_equal(rounds_record_move(db, "2567-3", "1000000000004", "1074000002", "1074000001", NULL,
                                        "01/03/2568", "ย้ายตามผู้ปกครอง", err, sizeof err), 0);
    assert_int_equal(db_query_int(db, 0, "SELECT count(*) FROM student_moves WHERE to_school = '1074000001'"
                                         " AND move_date = '2025-03-01'", (const char *)NULL), 1);
    long carried, graduated;
    assert_int_equal(rounds_start_from(db, conf, "2567-3", "2568-1", &carried, &graduated, err, sizeof err), 0);
    assert_int_equal(carried, 3);
    assert_int_equal(graduated, 2);
    assert_int_equal(db_query_int(db, 0, "SELECT count(*) FROM students WHERE round_code = '2568-1'"
                                         " AND ((citizen_id = '1103702071811' AND grade = 'P1')"
                                         " OR (citizen_id = '1000000000002' AND grade = 'P3')"
                                         " OR (citizen_id = '1000000000005' AND grade = 'K1'))", (const char *)NULL), 3);
    /* Running it again adds nothing. */
    assert_int_equal(rounds_start_from(db, conf, "2567-3", "2568-1", &carried, &graduated, err, sizeof err), 0);
    assert_int_equal(carried, 0);
    /* Within a year, grades stay. */
    assert_int_equal(rounds_start_from(db, conf, "2568-1", "2568-2", &carried, &graduated, err, sizeof err), 0);
    assert_int_equal(carried, 3);
    assert_int_equal(db_query_int(db, 0, "SELECT count(*) FROM students WHERE round_code = '2568-2' AND grade = 'P3'",
                                  (const char *)NULL), 1);
    expect_student_counts(db);
    /* A school officer cannot start a round. */
    db_session_set(db, &school);
    assert_int_equal(rounds_start_from(db, conf, "2568-2", "2568-3", &carried, &graduated, err, sizeof err), -1);
    db_session_set(db, NULL);
    db_close(db);
    unlink(path);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ensure),
        cmocka_unit_test(test_submission_flow),
        cmocka_unit_test(test_next_year_and_moves),
        cmocka_unit_test(test_state_needs_force),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}

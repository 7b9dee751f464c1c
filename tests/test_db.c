/* test_db: opening, migrations, Thai collation, audit triggers, the save
 * gate (scope, versions), backup. */
#include "fixture.h"
#include "esis/auth.h"
#include "esis/db.h"
#include "esis/strbuf.h"

#include <dirent.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

static char path[256];

static sqlite3 *open_fresh(void)
{
    fx_db_path(path, sizeof path, "db");
    sqlite3 *db = NULL;
    char err[512];
    assert_int_equal(db_open(path, true, 5000, &db, err, sizeof err), SQLITE_OK);
    return db;
}

static void add_schools(sqlite3 *db)
{
    exec_ok(db, "INSERT INTO schools(school_code, name_th, amphoe) VALUES"
                " ('1074000001','โรงเรียนบ้านสุ่ม','เมือง'), ('1074000002','โรงเรียนวัดดอน','กระทุ่มแบน');"
                "INSERT INTO rounds(round_code, collection, academic_year, round_no, as_of, opens, closes, state)"
                " VALUES ('2567-1','dmc',2567,1,'2024-06-10','2000-01-01','2999-12-31','open');");
}

static void test_open_pragmas(void **state)
{
    (void)state;
    sqlite3 *db = open_fresh();
    assert_int_equal(db_schema_version(db), db_schema_version_latest());
    assert_int_equal(db_query_int(db, 0, "PRAGMA foreign_keys", (const char *)NULL), 1);
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_prepare_v2(db, "PRAGMA journal_mode", -1, &st, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    assert_string_equal((const char *)sqlite3_column_text(st, 0), "wal");
    sqlite3_finalize(st);
    /* Every table of the data model is there and catalogued. */
    const char *tables[] = { "schools", "rounds", "submissions", "students", "staff", "ict_devices",
                             "equipment", "buildings", "service_areas", "users", "audit", "drafts",
                             "service_requests", "coordination_records", "analysis_records",
                             "access_requests", "evaluations", "survey_answers" };
    for (size_t i = 0; i < sizeof tables / sizeof *tables; i++)
        assert_int_equal(db_query_int(db, 0, "SELECT count(*) FROM esis_tables WHERE name = ?1", tables[i], (const char *)NULL), 1);
    db_close(db);
    /* Reopening applies nothing twice. */
    char err[512];
    assert_int_equal(db_open(path, false, 5000, &db, err, sizeof err), SQLITE_OK);
    assert_int_equal(db_schema_version(db), db_schema_version_latest());
    db_close(db);
    unlink(path);
}

static void test_thai_collation(void **state)
{
    (void)state;
    sqlite3 *db = open_fresh();
    exec_ok(db, "CREATE TEMP TABLE n(name TEXT); INSERT INTO n VALUES"
                " ('ไพโรจน์'),('กมล'),('ขวัญ'),('เกศินี'),('ก้า'),('แก้ว'),('กา'),('ปรีชา'),('ก่า');");
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_prepare_v2(db, "SELECT group_concat(name, ' ') FROM"
                                            " (SELECT name FROM n ORDER BY name COLLATE thai)", -1, &st, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    assert_string_equal((const char *)sqlite3_column_text(st, 0), "กมล กา ก่า ก้า เกศินี แก้ว ขวัญ ปรีชา ไพโรจน์");
    sqlite3_finalize(st);
    db_close(db);
    unlink(path);
}

static db_session office = { "staff1", "test", "staff", true, true, true, NULL, 0 };

static void test_save_audit_version(void **state)
{
    (void)state;
    sqlite3 *db = open_fresh();
    add_schools(db);
    esis_schema *s;
    char err[512];
    assert_int_equal(db_schema_load(db, &s, err, sizeof err), SQLITE_OK);
    const esis_table *t = schema_table(s, "students");
    assert_non_null(t);
    assert_true(t->school_col >= 0 && t->round_col >= 0 && t->version_col >= 0);
    db_session_set(db, &office);

    esis_record *r = record_new(t);
    record_set(r, "round_code", "2567-1");
    record_set(r, "school_code", "1074000001");
    record_set(r, "citizen_id", "1103702071811");
    record_set(r, "first_name", "สมชาย");
    record_set(r, "last_name", "ใจดี");
    db_save_info info;
    assert_int_equal(db_record_save(db, r, false, &info), DB_SAVED);
    assert_true(r->id > 0);
    assert_int_equal(r->version, 1);

    /* Two users hold version 1; the first save wins, the second is refused
     * with who and what. */
    esis_record *a = db_record_load(db, t, r->id), *b = db_record_load(db, t, r->id);
    record_set(a, "first_name", "สมชัย");
    assert_int_equal(db_record_save(db, a, false, &info), DB_SAVED);
    assert_int_equal(a->version, 2);
    db_session other = office;
    other.login = "staff2";
    db_session_set(db, &other);
    record_set(b, "last_name", "ใจงาม");
    assert_int_equal(db_record_save(db, b, false, &info), DB_CONFLICT);
    assert_string_equal(info.conflict_by, "staff1");
    assert_non_null(strstr(info.conflict_fields, "first_name"));
    db_session_set(db, &office);

    /* The audit trail: insert + one update, with who and the changed value. */
    assert_int_equal(db_query_int(db, 0, "SELECT count(*) FROM audit WHERE table_name='students' AND row_id=?1",
                                  "1", (const char *)NULL), 2);
    assert_int_equal(db_query_int(db, 0, "SELECT count(*) FROM audit WHERE action='update' AND actor='staff1'"
                                         " AND json_extract(old_values,'$.first_name')='สมชาย'"
                                         " AND json_extract(new_values,'$.first_name')='สมชัย'"
                                         " AND new_values NOT LIKE '%last_name%'", (const char *)NULL), 1);
    /* The audit trail cannot be changed. */
    assert_int_not_equal(db_exec(db, "DELETE FROM audit", err, sizeof err), SQLITE_OK);
    assert_non_null(strstr(err, "audit trail"));
    assert_int_not_equal(db_exec(db, "UPDATE audit SET actor='x'", err, sizeof err), SQLITE_OK);

    record_free(r); record_free(a); record_free(b);
    schema_free(s);
    db_session_set(db, NULL);
    db_close(db);
    unlink(path);
}

/* The students' counts follow every kind of write, one row at a time and
 * in a deferred load (db_index_defer/flush), and a ROLLBACK takes a load's
 * counts away with its rows. */
static void test_student_counts(void **state)
{
    (void)state;
    sqlite3 *db = open_fresh();
    add_schools(db);
    exec_ok(db, "INSERT INTO students(round_code, school_code, citizen_id, grade, gender, poor) VALUES"
                " ('2567-1', '1074000001', 'A1', 'P1', '1', 0), ('2567-1', '1074000001', 'A2', 'P1', '1', 1),"
                " ('2567-1', '1074000001', 'A3', NULL, NULL, 0), ('2567-1', '1074000002', 'A4', 'M1', '2', 0)");
    expect_student_counts(db);
    assert_int_equal(db_query_int(db, 0, "SELECT n FROM student_counts WHERE school_code = '1074000001'"
                                         " AND grade = 'P1' AND poor = 0", (const char *)NULL), 1);
    exec_ok(db, "UPDATE students SET grade = 'P2', poor = 1 WHERE citizen_id = 'A1'");
    exec_ok(db, "UPDATE students SET status = '2' WHERE citizen_id = 'A3'");
    exec_ok(db, "UPDATE students SET school_code = '1074000002' WHERE citizen_id = 'A2'");
    exec_ok(db, "UPDATE students SET first_name = 'x' WHERE citizen_id = 'A4'");   /* not counted */
    expect_student_counts(db);
    exec_ok(db, "DELETE FROM students WHERE citizen_id = 'A4'");
    expect_student_counts(db);
    assert_int_equal(db_query_int(db, -1, "SELECT count(*) FROM student_counts WHERE grade = 'M1'",
                                  (const char *)NULL), 0);
    /* a load: inserted, changed and deleted while deferred, counted at the end */
    char err[512] = "";
    exec_ok(db, "BEGIN");
    exec_ok(db, "INSERT INTO rounds(round_code, collection, academic_year, round_no, as_of, opens, closes, state)"
                " VALUES ('2567-2', 'dmc', 2567, 2, '2024-11-10', '2000-01-01', '2999-12-31', 'open')");
    assert_int_equal(db_index_defer(db, "students", err, sizeof err), SQLITE_OK);
    exec_ok(db, "INSERT INTO students(round_code, school_code, citizen_id, grade, gender) VALUES"
                " ('2567-1', '1074000001', 'B1', 'P3', '2'), ('2567-1', '1074000001', 'B2', 'P3', '2'),"
                " ('2567-1', '1074000002', 'B3', 'P4', '1'), ('2567-1', '1074000001', 'B4', NULL, NULL),"
                " ('2567-1', '1074000001', 'B5', '', ''), ('2567-2', '1074000001', 'B6', 'P1', '1')");
    exec_ok(db, "UPDATE students SET grade = 'P5' WHERE citizen_id IN ('B2', 'A1')");
    exec_ok(db, "DELETE FROM students WHERE citizen_id = 'B3'");
    assert_int_equal(db_index_flush(db, err, sizeof err), SQLITE_OK);
    exec_ok(db, "COMMIT");
    expect_student_counts(db);
    assert_int_equal(db_query_int(db, 0, "SELECT n FROM student_counts WHERE round_code = '2567-1'"
                                         " AND school_code = '1074000001' AND grade = '' AND status = '1'",
                                  (const char *)NULL), 2);   /* B4 (NULL) and B5 ('') */
    /* a load rolled back leaves the counts as they were */
    long long before = db_query_int(db, -1, "SELECT sum(n) FROM student_counts", (const char *)NULL);
    exec_ok(db, "BEGIN");
    assert_int_equal(db_index_defer(db, "students", err, sizeof err), SQLITE_OK);
    exec_ok(db, "INSERT INTO students(round_code, school_code, citizen_id, grade) VALUES"
                " ('2567-1', '1074000001', 'C1', 'P6')");
    assert_int_equal(db_index_flush(db, err, sizeof err), SQLITE_OK);
    exec_ok(db, "ROLLBACK");
    assert_int_equal(db_query_int(db, -1, "SELECT sum(n) FROM student_counts", (const char *)NULL), before);
    expect_student_counts(db);
    db_close(db);
    unlink(path);
}

/* student_stays: the pairs of a student with the same child at the same
 * school in the round before, through every write path: inserts in either
 * order of rounds, status, school, ID and round changed, deletes, and a
 * bulk load whose new rows pair with old ones both ways. */
static void test_student_stays(void **state)
{
    (void)state;
    sqlite3 *db = open_fresh();
    add_schools(db);
    exec_ok(db, "INSERT OR IGNORE INTO rounds(round_code, collection, academic_year, round_no, as_of, opens, closes, state)"
                " VALUES ('2566-3', 'dmc', 2566, 3, '2024-03-31', '2000-01-01', '2999-12-31', 'open'),"
                " ('2567-2', 'dmc', 2567, 2, '2024-11-10', '2000-01-01', '2999-12-31', 'open'),"
                " ('2567-3', 'dmc', 2567, 3, '2025-03-31', '2000-01-01', '2999-12-31', 'open')");
    /* the round after first, then the one before: both directions */
    exec_ok(db, "INSERT INTO students(round_code, school_code, citizen_id) VALUES"
                " ('2567-2', '1074000001', 'A1'), ('2567-2', '1074000001', 'A2'), ('2567-2', '1074000002', 'A3')");
    exec_ok(db, "INSERT INTO students(round_code, school_code, citizen_id) VALUES"
                " ('2567-1', '1074000001', 'A1'), ('2567-1', '1074000001', 'A2'), ('2567-1', '1074000001', 'A3'),"
                " ('2566-3', '1074000001', 'A1'), ('2567-3', '1074000001', 'A1')");
    expect_student_counts(db);
    assert_int_equal(db_query_int(db, -1, "SELECT n FROM student_stays WHERE round_code = '2567-2'"
                                          " AND school_code = '1074000001'", (const char *)NULL), 2);
    assert_int_equal(db_query_int(db, -1, "SELECT n FROM student_stays WHERE round_code = '2567-1'",
                                  (const char *)NULL), 1);   /* A1 from 2566-3 */
    exec_ok(db, "UPDATE students SET status = '2' WHERE citizen_id = 'A2' AND round_code = '2567-1'");
    expect_student_counts(db);
    exec_ok(db, "UPDATE students SET school_code = '1074000002' WHERE citizen_id = 'A3' AND round_code = '2567-1'");
    expect_student_counts(db);
    exec_ok(db, "UPDATE students SET citizen_id = 'A9' WHERE citizen_id = 'A1' AND round_code = '2567-2'");
    expect_student_counts(db);
    /* a row moved into the round after its partner's own */
    exec_ok(db, "UPDATE students SET round_code = '2567-2' WHERE citizen_id = 'A1' AND round_code = '2567-3'");
    expect_student_counts(db);
    exec_ok(db, "UPDATE students SET status = '1' WHERE citizen_id = 'A2'");
    exec_ok(db, "DELETE FROM students WHERE citizen_id = 'A1' AND round_code = '2567-1'");
    expect_student_counts(db);
    assert_int_equal(db_query_int(db, -1, "SELECT count(*) FROM student_stays WHERE n <= 0", (const char *)NULL), 0);
    /* a load into the middle round: new rows pair with the round before
     * and with old rows of the round after, and an old row updated during
     * the load pairs with a new one */
    char err[512] = "";
    exec_ok(db, "BEGIN");
    assert_int_equal(db_index_defer(db, "students", err, sizeof err), SQLITE_OK);
    exec_ok(db, "INSERT INTO students(round_code, school_code, citizen_id) VALUES"
                " ('2567-1', '1074000001', 'A1'), ('2567-1', '1074000001', 'B1'), ('2567-2', '1074000001', 'B1'),"
                " ('2566-3', '1074000001', 'B1'), ('2567-1', '1074000001', 'A9'), ('2567-1', '1074000002', 'B2')");
    exec_ok(db, "UPDATE students SET status = '1' WHERE round_code = '2567-2'");
    exec_ok(db, "UPDATE students SET school_code = '1074000002' WHERE citizen_id = 'A9' AND round_code = '2567-2'");
    exec_ok(db, "UPDATE students SET status = '3' WHERE citizen_id = 'B2'");
    exec_ok(db, "DELETE FROM students WHERE citizen_id = 'B1' AND round_code = '2566-3'");
    assert_int_equal(db_index_flush(db, err, sizeof err), SQLITE_OK);
    exec_ok(db, "COMMIT");
    expect_student_counts(db);
    /* per-row upkeep again after the load, and a load rolled back */
    exec_ok(db, "UPDATE students SET status = '2' WHERE citizen_id = 'B1' AND round_code = '2567-1'");
    expect_student_counts(db);
    exec_ok(db, "BEGIN");
    assert_int_equal(db_index_defer(db, "students", err, sizeof err), SQLITE_OK);
    exec_ok(db, "INSERT INTO students(round_code, school_code, citizen_id) VALUES ('2567-3', '1074000001', 'A2')");
    assert_int_equal(db_index_flush(db, err, sizeof err), SQLITE_OK);
    exec_ok(db, "ROLLBACK");
    expect_student_counts(db);
    db_close(db);
    unlink(path);
}

static void test_scope_gate(void **state)
{
    (void)state;
    sqlite3 *db = open_fresh();
    add_schools(db);
    esis_schema *s;
    char err[512];
    assert_int_equal(db_schema_load(db, &s, err, sizeof err), SQLITE_OK);
    const esis_table *t = schema_table(s, "students");
    char *mine[] = { "1074000001" };
    db_session school = { "school1", "test", "school", false, true, true, mine, 1 };
    db_session viewer = { "viewer1", "test", "viewer", true, false, false, NULL, 0 };

    db_session_set(db, &school);
    assert_true(db_scope_allows(db, "1074000001"));
    assert_false(db_scope_allows(db, "1074000002"));
    esis_record *r = record_new(t);
    record_set(r, "round_code", "2567-1");
    record_set(r, "school_code", "1074000002");
    record_set(r, "citizen_id", "1103702071811");
    db_save_info info;
    assert_int_equal(db_record_save(db, r, false, &info), DB_DENIED);
    record_set(r, "school_code", "1074000001");
    assert_int_equal(db_record_save(db, r, false, &info), DB_SAVED);
    /* Moving the row into another school by editing its key is refused. */
    record_set(r, "school_code", "1074000002");
    assert_int_equal(db_record_save(db, r, false, &info), DB_DENIED);
    record_set(r, "school_code", "1074000001");
    /* Reading another school's row through the gate finds nothing. */
    db_session_set(db, &office);
    esis_record *other = record_new(t);
    record_set(other, "round_code", "2567-1");
    record_set(other, "school_code", "1074000002");
    record_set(other, "citizen_id", "1103702071812");
    assert_int_equal(db_record_save(db, other, false, &info), DB_SAVED);
    db_session_set(db, &school);
    assert_null(db_record_load(db, t, other->id));
    char buf[64];
    strbuf q = STRBUF_INIT;
    strbuf_addf(&q, "SELECT count(*) FROM students WHERE %s", db_scope_sql(db, "school_code", buf, sizeof buf));
    assert_int_equal(db_query_int(db, -1, strbuf_str(&q), (const char *)NULL), 1);
    strbuf_free(&q);

    /* A viewer reads masked IDs and changes nothing. */
    db_session_set(db, &viewer);
    esis_record *v = db_record_load(db, t, r->id);
    assert_non_null(v);
    assert_string_not_equal(record_get(v, "citizen_id"), "1103702071811");
    assert_non_null(strchr(record_get(v, "citizen_id"), 'x'));
    assert_int_equal(db_record_save(db, v, false, &info), DB_DENIED);

    record_free(r); record_free(other); record_free(v);
    schema_free(s);
    db_session_set(db, NULL);
    db_close(db);
    unlink(path);
}

static void test_round_window(void **state)
{
    (void)state;
    sqlite3 *db = open_fresh();
    add_schools(db);
    exec_ok(db, "INSERT INTO rounds(round_code, collection, academic_year, round_no, as_of, opens, closes, state)"
                " VALUES ('2566-1','dmc',2566,1,'2023-06-10','2023-05-16','2023-06-10','closed')");
    esis_schema *s;
    char err[512];
    assert_int_equal(db_schema_load(db, &s, err, sizeof err), SQLITE_OK);
    char *mine[] = { "1074000001" };
    db_session school = { "school1", "test", "school", false, true, true, mine, 1 };
    db_session_set(db, &school);
    esis_record *r = record_new(schema_table(s, "students"));
    record_set(r, "round_code", "2566-1");
    record_set(r, "school_code", "1074000001");
    record_set(r, "citizen_id", "1103702071811");
    db_save_info info;
    assert_int_equal(db_record_save(db, r, false, &info), DB_CLOSED);
    /* The office corrects at any time. */
    db_session_set(db, &office);
    db_save_result res = db_record_save(db, r, false, &info);
    if (res != DB_SAVED) fprintf(stderr, "%s\n", info.message);
    assert_int_equal(res, DB_SAVED);
    /* Reopened for the school: it may write again. */
    exec_ok(db, "INSERT INTO submissions(round_code, school_code, state, reopened_until)"
                " VALUES ('2566-1','1074000001','returned','2999-01-01')");
    db_session_set(db, &school);
    record_set(r, "first_name", "มาลี");
    res = db_record_save(db, r, false, &info);
    if (res != DB_SAVED) fprintf(stderr, "%s\n", info.message);
    assert_int_equal(res, DB_SAVED);
    record_free(r);
    schema_free(s);
    db_session_set(db, NULL);
    db_close(db);
    unlink(path);
}

static void test_backup_and_check(void **state)
{
    (void)state;
    sqlite3 *db = open_fresh();
    add_schools(db);
    char dest[300], err[512];
    snprintf(dest, sizeof dest, "%s.bak", path);
    unlink(dest);
    assert_int_equal(db_backup(db, dest, err, sizeof err), SQLITE_OK);
    assert_int_equal(db_check_file(dest, err, sizeof err), SQLITE_OK);
    /* Not a database: refused with a reason. */
    FILE *fp = fopen(dest, "wb");
    fputs("this is not a database", fp);
    fclose(fp);
    assert_int_not_equal(db_check_file(dest, err, sizeof err), SQLITE_OK);
    unlink(dest);
    db_close(db);
    unlink(path);
}

/* Issue 15: a backup that hits a full disk left a partial file that looked
 * like a backup.  A file size limit (SIGXFSZ ignored: the write fails with
 * EFBIG, as on a full disk) makes the copy fail half way: no file is left,
 * neither the backup nor its temporary name, and an older backup at the
 * same path is kept whole. */
static void test_failed_backup_leaves_nothing(void **state)
{
    (void)state;
    sqlite3 *db = open_fresh();
    add_schools(db);
    char err[512], dest[320], dir[290];
    exec_ok(db, "CREATE TABLE filler(x); WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 2000)"
                " INSERT INTO filler SELECT randomblob(200) FROM n");
    snprintf(dir, sizeof dir, "%s.dir", path);
    mkdir(dir, 0700);
    snprintf(dest, sizeof dest, "%s/b.db", dir);
    struct rlimit old, small = { 64 * 1024, 64 * 1024 };
    void (*was)(int) = signal(SIGXFSZ, SIG_IGN);
    assert_int_equal(getrlimit(RLIMIT_FSIZE, &old), 0);
    small.rlim_max = old.rlim_max;
    assert_int_equal(setrlimit(RLIMIT_FSIZE, &small), 0);
    int rc = db_backup(db, dest, err, sizeof err);
    setrlimit(RLIMIT_FSIZE, &old);
    assert_int_not_equal(rc, SQLITE_OK);
    DIR *d = opendir(dir);
    assert_non_null(d);
    int left = 0;
    for (struct dirent *e; (e = readdir(d));) left += e->d_name[0] != '.';
    closedir(d);
    assert_int_equal(left, 0);
    /* an older backup there: a failed new one leaves it as it was */
    assert_int_equal(db_backup(db, dest, err, sizeof err), SQLITE_OK);
    exec_ok(db, "INSERT INTO filler SELECT randomblob(200) FROM filler");
    setrlimit(RLIMIT_FSIZE, &small);
    rc = db_backup(db, dest, err, sizeof err);
    setrlimit(RLIMIT_FSIZE, &old);
    signal(SIGXFSZ, was);
    assert_int_not_equal(rc, SQLITE_OK);
    assert_int_equal(db_check_file(dest, err, sizeof err), SQLITE_OK);
    sqlite3 *b;
    assert_int_equal(sqlite3_open_v2(dest, &b, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    assert_int_equal(db_query_int(b, -1, "SELECT count(*) FROM filler", (const char *)NULL), 2000);
    sqlite3_close(b);
    unlink(dest);
    rmdir(dir);
    db_close(db);
    unlink(path);
}

/* Restore keeps the audit rows written after the backup (from the copy of
 * the live database taken aside), in order, with their actors; the data is
 * the backup's. */
static void test_restore_keeps_later_audit(void **state)
{
    (void)state;
    sqlite3 *db = open_fresh();
    add_schools(db);
    char err[512], bak[300], prior[300];
    snprintf(bak, sizeof bak, "%s.bak", path);
    snprintf(prior, sizeof prior, "%s.prior", path);
    unlink(bak);
    unlink(prior);
    assert_int_equal(db_backup(db, bak, err, sizeof err), SQLITE_OK);
    long long at_backup = db_query_int(db, -1, "SELECT max(id) FROM audit", (const char *)NULL);
    exec_ok(db, "UPDATE schools SET name_th = 'โรงเรียนหลังสำรอง' WHERE school_code = '1074000001'");
    exec_ok(db, "DELETE FROM schools WHERE school_code = '1074000002'");
    char since[32];
    snprintf(since, sizeof since, "%lld", at_backup);
    long long after = db_query_int(db, -1, "SELECT count(*) FROM audit WHERE id > ?1", since, (const char *)NULL);
    assert_true(after >= 2);
    assert_int_equal(db_backup(db, prior, err, sizeof err), SQLITE_OK);
    long kept = -1;
    assert_int_equal(db_restore_keeping(db, bak, prior, &kept, err, sizeof err), SQLITE_OK);
    assert_int_equal(kept, after);
    assert_int_equal(db_query_int(db, -1, "SELECT count(*) FROM schools", (const char *)NULL), 2);
    assert_int_equal(db_query_int(db, -1, "SELECT count(*) FROM schools WHERE name_th = 'โรงเรียนหลังสำรอง'", (const char *)NULL), 0);
    /* the later rows, the same as in the copy aside, in the same order */
    sqlite3_stmt *st;
    char sql[900];
    snprintf(sql, sizeof sql, "SELECT count(*) FROM (SELECT actor, table_name, action, coalesce(old_values, ''),"
                              " coalesce(new_values, '') FROM audit WHERE id > %lld AND action <> 'restore'"
                              " EXCEPT SELECT actor, table_name, action, coalesce(old_values, ''), coalesce(new_values, '')"
                              " FROM p.audit WHERE id > %lld)", at_backup, at_backup);
    char attach[400];
    snprintf(attach, sizeof attach, "ATTACH '%s' AS p", prior);
    exec_ok(db, attach);
    assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    assert_int_equal(sqlite3_column_int(st, 0), 0);
    sqlite3_finalize(st);
    exec_ok(db, "DETACH p");
    snprintf(since, sizeof since, "%lld", after);
    assert_int_equal(db_query_int(db, -1, "SELECT count(*) FROM audit WHERE action = 'restore'"
                                          " AND json_extract(new_values, '$.audit_rows_kept') = CAST(?1 AS INTEGER)",
                                  since, (const char *)NULL), 1);
    unlink(bak);
    unlink(prior);
    db_close(db);
    unlink(path);
}

static void test_passwords(void **state)
{
    (void)state;
    char *h = auth_hash_password("รหัสผ่าน-1");
    assert_non_null(h);
    assert_true(strncmp(h, "$y$", 3) == 0);
    assert_true(auth_check_password(h, "รหัสผ่าน-1"));
    assert_false(auth_check_password(h, "รหัสผ่าน-2"));
    assert_false(auth_check_password("", "x"));
    free(h);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_open_pragmas),
        cmocka_unit_test(test_thai_collation),
        cmocka_unit_test(test_save_audit_version),
        cmocka_unit_test(test_student_counts),
        cmocka_unit_test(test_student_stays),
        cmocka_unit_test(test_scope_gate),
        cmocka_unit_test(test_round_window),
        cmocka_unit_test(test_backup_and_check),
        cmocka_unit_test(test_failed_backup_leaves_nothing),
        cmocka_unit_test(test_restore_keeps_later_audit),
        cmocka_unit_test(test_passwords),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

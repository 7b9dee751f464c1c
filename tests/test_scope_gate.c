/* test_scope_gate: the ways around the scope gate, tried as every role.
 *
 * Each attack is written as a report file and as a query rule into a
 * temporary directory, loaded and (when it loads) run as an administrator,
 * office staff, a viewer and a school officer of school A.  Whatever
 * happens, a school officer gets no row of school B, a viewer no unmasked
 * ID, and nobody writes anything: the database's content is compared,
 * through a connection of its own, before and after. */
#include "fixture.h"
#include "esis/conf.h"
#include "esis/db_gate.h"
#include "esis/report.h"
#include "esis/rules.h"
#include "esis/strbuf.h"

#include <sys/resource.h>
#include <sys/stat.h>

#define SCHOOL_A "1074000001"
#define SCHOOL_B "1074000002"
#define ID_A "1100000000011"
#define ID_B "2200000000022"

typedef struct fixture {
    char         path[128], dir[128];
    sqlite3     *db;
    esis_conf   *conf;
    esis_schema *schema;
} fixture;

static char *school_a[] = { SCHOOL_A };
static const db_session ROLES[] = {
    { "boss", "test", "admin", true, true, true, NULL, 0 },
    { "staff1", "test", "staff", true, true, true, NULL, 0 },
    { "view1", "test", "viewer", true, false, false, NULL, 0 },
    { "sch1", "test", "school", false, true, true, school_a, 1 },
};
enum { NROLES = sizeof ROLES / sizeof ROLES[0] };

/* Each attack returns (when it runs at all) a column v and a column sc. */
static const char *const ATTACKS[] = {
    "SELECT citizen_id AS v, school_code AS sc FROM students WHERE esis_may_see(school_code) OR 1",
    "SELECT citizen_id AS v, school_code AS sc FROM students WHERE (esis_may_see(school_code) OR 1) AND 1",
    "SELECT v, sc FROM (SELECT citizen_id AS v, school_code AS sc FROM students) WHERE 1",
    "SELECT citizen_id AS v, school_code AS sc FROM students UNION ALL SELECT citizen_id, school_code FROM \"students\"",
    "SELECT citizen_id AS v, school_code AS sc FROM main.students",
    "SELECT citizen_id AS v, school_code AS sc FROM \"main\".\"students\"",
    "SELECT citizen_id AS v, school_code AS sc FROM temp.students",
    "WITH students AS (SELECT * FROM students) SELECT citizen_id AS v, school_code AS sc FROM students",
    "WITH x AS (SELECT * FROM main.students) SELECT citizen_id AS v, school_code AS sc FROM x",
    "SELECT (SELECT group_concat(citizen_id) FROM students) AS v, 'x' AS sc",
    "SELECT (SELECT citizen_id FROM students WHERE school_code = '" SCHOOL_B "') AS v, 'x' AS sc",
    "SELECT s.citizen_id AS v, s.school_code AS sc FROM schools k JOIN students s ON s.school_code = k.school_code",
    "SELECT father_id AS v, school_code AS sc FROM students",
    "SELECT citizen_id AS v, school_code AS sc FROM staff",
    "SELECT sql AS v, name AS sc FROM sqlite_master",
    "SELECT sql AS v, name AS sc FROM sqlite_schema",
    "SELECT sql AS v, name AS sc FROM sqlite_temp_master",
    "SELECT login AS v, role AS sc FROM users",
    "SELECT new_values AS v, school_code AS sc FROM audit",
    "SELECT fields AS v, login AS sc FROM drafts",
    "SELECT name AS v, type AS sc FROM pragma_table_info('students')",
    "SELECT name AS v, file AS sc FROM pragma_database_list",
    "SELECT load_extension('/tmp/nothing') AS v, 'x' AS sc",
    "SELECT esis_state() AS v, 'x' AS sc",
    "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT x AS v, 'x' AS sc FROM c",
    "UPDATE users SET role = 'admin' RETURNING login AS v, role AS sc",
    "DELETE FROM students RETURNING citizen_id AS v, school_code AS sc",
    "INSERT INTO schools(school_code, name_th) VALUES ('1099999999', 'x') RETURNING school_code AS v, name_th AS sc",
    "ATTACH 'file:/tmp/esis_gate_attack.db' AS x",
    "DETACH temp",
    "PRAGMA writable_schema = 1",
    "PRAGMA query_only = 0",
    "PRAGMA main.journal_mode = DELETE",
    "CREATE TEMP VIEW leak AS SELECT * FROM main.students",
    "CREATE TEMP TRIGGER t AFTER INSERT ON schools BEGIN SELECT 1; END",
    "CREATE TEMP TABLE x(a)",
    "DROP VIEW temp.students",
    "BEGIN IMMEDIATE",
    "SELECT citizen_id AS v, school_code AS sc FROM students; DELETE FROM users",
};
enum { NATTACKS = sizeof ATTACKS / sizeof ATTACKS[0] };

/* Everything that a write could change, read on a connection of its own. */
static char *snapshot(const char *path)
{
    sqlite3 *raw = NULL;
    assert_int_equal(sqlite3_open_v2(path, &raw, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    sqlite3_stmt *st = NULL;
    const char *sql =
        "SELECT (SELECT group_concat(login || role, ',') FROM users)"
        " || (SELECT count(*) || group_concat(citizen_id) FROM students)"
        " || (SELECT count(*) FROM schools) || (SELECT count(*) FROM audit)"
        " || (SELECT group_concat(name || coalesce(sql, ''), ';') FROM sqlite_schema)";
    assert_int_equal(sqlite3_prepare_v2(raw, sql, -1, &st, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    char *s = strdup((const char *)sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
    sqlite3_close(raw);
    return s;
}

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    char err[512] = "";
    fx_db_path(f->path, sizeof f->path, "gate");
    snprintf(f->dir, sizeof f->dir, "/tmp/esis_test_gate_%d", (int)getpid());
    mkdir(f->dir, 0700);
    if (db_open(f->path, true, 5000, &f->db, err, sizeof err) != SQLITE_OK ||
        db_schema_load(f->db, &f->schema, err, sizeof err) != SQLITE_OK) { fprintf(stderr, "%s\n", err); return -1; }
    if (conf_load(fx_home(), &f->conf, err, sizeof err)) { fprintf(stderr, "%s\n", err); return -1; }
    exec_ok(f->db,
        "INSERT INTO schools(school_code, name_th, amphoe) VALUES ('" SCHOOL_A "','A','x'), ('" SCHOOL_B "','B','y');"
        "INSERT INTO rounds(round_code, collection, academic_year, round_no, as_of, opens, closes, state)"
        " VALUES ('2567-1','dmc',2567,1,'2024-06-10','2000-01-01','2999-12-31','open');"
        "INSERT INTO users(login, role) VALUES ('boss','admin'), ('sch1','school');"
        "INSERT INTO students(round_code, school_code, citizen_id, first_name, last_name, grade, father_id)"
        " VALUES ('2567-1','" SCHOOL_A "','" ID_A "','ก','ข','P1','1100000000099'),"
        " ('2567-1','" SCHOOL_B "','" ID_B "','ค','ง','P1','2200000000099');"
        "INSERT INTO staff(school_code, citizen_id, first_name, last_name, position) VALUES"
        " ('" SCHOOL_B "','2200000000033','จ','ฉ','TEA');");
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    schema_free(f->schema);
    db_close(f->db);
    conf_free(f->conf);
    unlink_db(f->path);
    char p[300];
    snprintf(p, sizeof p, "%s/x.ini", f->dir);
    unlink(p);
    rmdir(f->dir);
    free(f);
    return 0;
}

static void write_file(const fixture *f, const char *text)
{
    char p[300];
    snprintf(p, sizeof p, "%s/x.ini", f->dir);
    FILE *fp = fopen(p, "w");
    assert_non_null(fp);
    fputs(text, fp);
    fclose(fp);
}

/* What a role may never get: a row of another school, an unmasked ID. */
static void expect_allowed(const db_session *who, const char *attack, const char *v, const char *sc)
{
    bool other = (v && (strstr(v, ID_B) || strstr(v, "2200000000033") || strstr(v, "2200000000099"))) ||
                 (sc && !strcmp(sc, SCHOOL_B));
    if (!who->all_schools && other)
        fail_msg("%s got school B's row (v=%s, sc=%s) through: %s", who->role, v, sc ? sc : "", attack);
    if (!who->see_personal && v) {
        for (const char *p = v; *p; p++) {
            size_t n = strspn(p, "0123456789");
            if (n >= 13) fail_msg("%s got an unmasked ID (%s) through: %s", who->role, v, attack);
            p += n ? n - 1 : 0;
        }
    }
}

/* The data's schema name (esis_ and 16 hex digits) is never shown. */
static void expect_no_schema_name(const char *err)
{
    for (const char *p = err; (p = strstr(p, "esis_")) != NULL; p++)
        if (strspn(p + 5, "0123456789abcdef") >= 16) fail_msg("the schema name shown: %s", err);
}

typedef struct seen { const db_session *who; const char *attack; long rows; } seen;

static int on_row(void *ctx, const report_def *rep, const report_row *row)
{
    (void)rep;
    seen *s = ctx;
    if (row->total) return 0;
    s->rows++;
    expect_allowed(s->who, s->attack, row->text[0], row->text[1]);
    return 0;
}

static void test_reports_cannot_leave_their_scope(void **state)
{
    fixture *f = *state;
    char *before = snapshot(f->path);
    int refused = 0, ran = 0;
    for (int a = 0; a < NATTACKS; a++) {
        char text[2048];
        snprintf(text, sizeof text, "[report]\ntitle_th = x\ncollection = dmc\n[query]\n1 = %s\n"
                 "[col.1]\nfield = v\nheading_th = v\nwidth = 20\n[col.2]\nfield = sc\nheading_th = s\nwidth = 10\n",
                 ATTACKS[a]);
        write_file(f, text);
        for (int r = 0; r < NROLES; r++) {
            db_session_set(f->db, &ROLES[r]);
            report_set *set = NULL;
            char err[1024] = "";
            if (report_load_dir(f->db, f->conf, f->dir, &set, err, sizeof err) != 0) {
                refused++;
                expect_no_schema_name(err);
                continue;
            }
            seen s = { &ROLES[r], ATTACKS[a], 0 };
            report_params p = { 0 };
            report_run(set, report_find(set, "x"), &p, on_row, &s, err, sizeof err);
            ran++;
            report_set_free(set);
        }
    }
    db_session_set(f->db, NULL);
    char *after = snapshot(f->path);
    assert_string_equal(before, after);
    /* every write, PRAGMA, ATTACH, CREATE, schema read and read of the
     * base tables is refused at load, for every role */
    assert_true(refused >= 25 * NROLES);
    assert_true(ran > 0);
    free(before);
    free(after);
}

typedef struct hits { const db_session *who; const char *attack; long n; } hits;

static int on_hit(const rules_hit *h, void *user)
{
    hits *x = user;
    x->n++;
    expect_allowed(x->who, x->attack, h->key, h->school_code);
    expect_allowed(x->who, x->attack, h->message, NULL);
    return 0;
}

static void test_query_rules_cannot_leave_their_scope(void **state)
{
    fixture *f = *state;
    char *before = snapshot(f->path);
    rules_env env = { .academic_year = 2567, .round_code = "2567-1" };
    int refused = 0;
    for (int a = 0; a < NATTACKS; a++) {
        char text[2048];
        bool select = !strncmp(ATTACKS[a], "SELECT", 6) || !strncmp(ATTACKS[a], "WITH", 4);
        if (select && !strchr(ATTACKS[a], ';'))
            snprintf(text, sizeof text, "[zz.x]\ntable = students\nseverity = error\nfields = citizen_id\n"
                     "query = SELECT 0 AS row_id, sc AS school_code, v AS key, v AS value FROM (%s)\n"
                     "message_th = {key} {value}\nmessage_en = {key} {value}\n", ATTACKS[a]);
        else
            snprintf(text, sizeof text, "[zz.x]\ntable = students\nseverity = error\nfields = citizen_id\n"
                     "query = %s\nmessage_th = {key}\nmessage_en = {key}\n", ATTACKS[a]);
        write_file(f, text);
        for (int r = 0; r < NROLES; r++) {
            db_session_set(f->db, &ROLES[r]);
            char err[1024] = "";
            rules_set *rs = rules_load(f->dir, f->schema, f->conf, f->db, err, sizeof err);
            if (!rs) {
                refused++;
                expect_no_schema_name(err);
                continue;
            }
            hits x = { &ROLES[r], ATTACKS[a], 0 };
            const char *school = ROLES[r].all_schools ? NULL : SCHOOL_A;
            rules_check_round(rs, f->db, &env, school, "en", on_hit, &x, err, sizeof err);
            rules_free(rs);
        }
    }
    db_session_set(f->db, NULL);
    char *after = snapshot(f->path);
    assert_string_equal(before, after);
    assert_true(refused >= 25 * NROLES);
    free(before);
    free(after);
}

/* The same query, the scope of each session: school A's officer counts
 * A's student, the office both, through the same view names. */
static void test_views_follow_the_session(void **state)
{
    fixture *f = *state;
    db_gate *g = NULL;
    char err[512] = "";
    assert_int_equal(db_gate_open(f->db, &ROLES[3], DB_GATE_MASK, &g, err, sizeof err), SQLITE_OK);
    const int want[NROLES] = { 2, 2, 2, 1 };
    for (int r = 0; r < NROLES; r++) {
        db_gate_session(g, &ROLES[r]);
        sqlite3_stmt *st = NULL;
        assert_int_equal(db_gate_prepare(g, "SELECT count(*), max(citizen_id) FROM students", &st, NULL,
                                         err, sizeof err), SQLITE_OK);
        assert_int_equal(sqlite3_step(st), SQLITE_ROW);
        assert_int_equal(sqlite3_column_int(st, 0), want[r]);
        const char *max = (const char *)sqlite3_column_text(st, 1);
        if (!ROLES[r].see_personal) assert_string_equal(max, "2xxxxxxxxxx22");
        else assert_string_equal(max, ROLES[r].all_schools ? ID_B : ID_A);
        sqlite3_finalize(st);
    }
    /* a run past its budget is stopped, and says so */
    db_gate_session(g, &ROLES[0]);
    db_gate_budget(g, 50);
    sqlite3_stmt *st = NULL;
    assert_int_equal(db_gate_prepare(g, "SELECT count(*) FROM students a, students b, students c, students d,"
                                        " students e, students f, students g, students h, students i,"
                                        " students j, students k, students l, students m, students n,"
                                        " students o, students p, students q, students r, students s,"
                                        " students t, students u, students v, students w, students x,"
                                        " students y, students z, students aa, students ab, students ac,"
                                        " students ad, students ae, students af, students ag, students ah",
                                     &st, NULL, err, sizeof err), SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_INTERRUPT);
    assert_non_null(strstr(db_gate_error(g), "time budget"));
    sqlite3_finalize(st);
    db_gate_close(g);
}

/* Counts the stored findings of the rule across schools handed on. */
static int count_hit(const rules_hit *h, void *user)
{
    if (h->stored && !strcmp(h->rule_id, "dmc.duplicate_across_schools")) ++*(long *)user;
    return 0;
}

/* A child enrolled at two schools: the office's check finds it at both;
 * a school officer's check cannot see the other school, so it does not
 * run the rules across schools and leaves the office's findings stored. */
static void test_school_check_keeps_findings_across_schools(void **state)
{
    fixture *f = *state;
    char err[1024] = "", dir[600];
    snprintf(dir, sizeof dir, "%s/conf/rules", fx_home());
    exec_ok(f->db, "INSERT INTO students(round_code, school_code, citizen_id, first_name, last_name, grade)"
                   " VALUES ('2567-1','" SCHOOL_B "','" ID_A "','ก','ข','P1')");
    rules_set *rs = rules_load(dir, f->schema, f->conf, f->db, err, sizeof err);
    if (!rs) fail_msg("%s", err);
    rules_env env = { .academic_year = 2567, .round_code = "2567-1" };
    const char *dup = "SELECT count(*) FROM flags WHERE rule_id = 'dmc.duplicate_across_schools'"
                      " AND school_code = '" SCHOOL_A "'";
    long n = 0;
    db_session_set(f->db, &ROLES[0]);
    assert_int_equal(rules_check_store(rs, f->db, &env, NULL, "en", count_hit, &n, NULL, err, sizeof err), 0);
    assert_int_equal(db_query_int(f->db, -1, dup, (const char *)NULL), 1);
    assert_int_equal(n, 0);            /* found now, not handed on */
    db_session_set(f->db, &ROLES[3]);
    rules_store_counts counts = { 0, 0 };
    assert_int_equal(rules_check_store(rs, f->db, &env, NULL, "en", count_hit, &n, &counts, err, sizeof err), 0);
    db_session_set(f->db, NULL);
    assert_int_equal(db_query_int(f->db, -1, dup, (const char *)NULL), 1);
    /* the school's check hands the office's finding on, once, and counts
     * it among its errors (a school cannot submit past it) */
    assert_int_equal(n, 1);
    assert_true(counts.errors >= 1);
    exec_ok(f->db, "DELETE FROM flags; DELETE FROM students WHERE school_code = '" SCHOOL_B "'"
                   " AND citizen_id = '" ID_A "'");
    rules_free(rs);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_reports_cannot_leave_their_scope),
        cmocka_unit_test(test_query_rules_cannot_leave_their_scope),
        cmocka_unit_test(test_views_follow_the_session),
        cmocka_unit_test(test_school_check_keeps_findings_across_schools),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}

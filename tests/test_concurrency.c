/* test_concurrency: many processes writing one database at once.
 *
 *   - 8 processes, each with its own connection (db_open), insert new
 *     students and update shared rows in short transactions for
 *     ESIS_CONC_SECONDS seconds (3 by default), while the parent takes
 *     online backups: at the end every write is there, the audit has one
 *     row per write, and no process ever saw SQLITE_BUSY or "database is
 *     locked" (every failure is counted);
 *   - 8 processes opening one new database at the same moment all get it
 *     migrated once;
 *   - two sessions editing one record: the second save is refused with the
 *     first user's login and fields, the first value is in the table and
 *     the audit, the second is kept as the second user's draft.
 */
#include "fixture.h"
#include "esis/db.h"
#include "esis/draft.h"

#include <signal.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

enum { NPROC = 8, NSHARED = 4 };

static char path[256];

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int seconds(void)
{
    const char *s = getenv("ESIS_CONC_SECONDS");
    int n = s ? atoi(s) : 3;
    return n > 0 ? n : 3;
}

static esis_record *student(const esis_table *t, const char *id, const char *name)
{
    esis_record *r = record_new(t);
    record_set(r, "round_code", "2567-1");
    record_set(r, "school_code", "1074000001");
    record_set(r, "citizen_id", id);
    record_set(r, "first_name", name);
    return r;
}

static sqlite3 *setup(void)
{
    fx_db_path(path, sizeof path, "conc");
    sqlite3 *db = NULL;
    char err[512];
    assert_int_equal(db_open(path, true, 5000, &db, err, sizeof err), SQLITE_OK);
    exec_ok(db, "INSERT INTO schools(school_code, name_th, amphoe) VALUES ('1074000001','โรงเรียนบ้านสุ่ม','เมือง');"
                "INSERT INTO rounds(round_code, collection, academic_year, round_no, as_of, opens, closes, state)"
                " VALUES ('2567-1','dmc',2567,1,'2024-06-10','2000-01-01','2999-12-31','open');");
    return db;
}

/* ---- many writers ------------------------------------------------------ */

typedef struct tally {
    long inserts, updates, conflicts, failures, busy;
    char first_failure[200];
} tally;

static void failed(tally *t, const char *what)
{
    t->failures++;
    if (strstr(what, "locked") || strstr(what, "busy")) t->busy++;
    if (!t->first_failure[0]) snprintf(t->first_failure, sizeof t->first_failure, "%s", what);
}

static void writer(int w, int secs, long long *shared, tally *t)
{
    sqlite3 *db = NULL;
    esis_schema *s = NULL;
    char err[512], login[16];
    if (db_open(path, false, 5000, &db, err, sizeof err) != SQLITE_OK) { failed(t, err); return; }
    if (db_schema_load(db, &s, err, sizeof err) != SQLITE_OK) { failed(t, err); db_close(db); return; }
    snprintf(login, sizeof login, "w%d", w);
    db_session me = { login, "test:concurrency", "staff", true, true, true, NULL, 0 };
    db_session_set(db, &me);
    const esis_table *tb = schema_table(s, "students");
    double end = now() + secs;
    for (long seq = 0; now() < end; seq++) {
        char id[32], note[32];
        snprintf(id, sizeof id, "%02d%011ld", w, seq);
        esis_record *r = student(tb, id, "ใหม่");
        db_save_info info;
        db_save_result res = db_record_save(db, r, false, &info);
        record_free(r);
        if (res == DB_SAVED) t->inserts++;
        else failed(t, info.message);
        /* Update a shared row; a conflict means someone saved it in
         * between: read it again and retry, as a user would. */
        snprintf(note, sizeof note, "w%d-%ld", w, seq);
        for (int attempt = 0; attempt < 1000; attempt++) {
            esis_record *u = db_record_load(db, tb, shared[seq % NSHARED]);
            if (!u) { failed(t, sqlite3_errmsg(db)); break; }
            record_set(u, "status_note", note);
            res = db_record_save(db, u, false, &info);
            record_free(u);
            if (res == DB_CONFLICT) { t->conflicts++; continue; }
            if (res == DB_SAVED) t->updates++;
            else failed(t, info.message);
            break;
        }
    }
    schema_free(s);
    db_session_set(db, NULL);
    db_close(db);
}

static void test_many_writers(void **state)
{
    (void)state;
    sqlite3 *db = setup();
    esis_schema *s;
    char err[512];
    assert_int_equal(db_schema_load(db, &s, err, sizeof err), SQLITE_OK);
    const esis_table *tb = schema_table(s, "students");
    db_session setup_s = { "setup", "test", "staff", true, true, true, NULL, 0 };
    db_session_set(db, &setup_s);
    long long shared[NSHARED];
    for (int i = 0; i < NSHARED; i++) {
        char id[32];
        snprintf(id, sizeof id, "99%011d", i);
        esis_record *r = student(tb, id, "ร่วม");
        db_save_info info;
        assert_int_equal(db_record_save(db, r, false, &info), DB_SAVED);
        shared[i] = r->id;
        record_free(r);
    }
    /* A child must not inherit an open connection (SQLite forbids using
     * one across fork, and it would die holding it): close before forking,
     * open again for the backups. */
    schema_free(s);
    db_session_set(db, NULL);
    db_close(db);
    int secs = seconds();
    int fds[NPROC][2];
    pid_t pids[NPROC];
    double t0 = now();
    for (int w = 0; w < NPROC; w++) {
        assert_int_equal(pipe(fds[w]), 0);
        pids[w] = fork();
        assert_true(pids[w] >= 0);
        if (pids[w] == 0) {
            close(fds[w][0]);
            tally t;
            memset(&t, 0, sizeof t);
            writer(w, secs, shared, &t);
            ssize_t n = write(fds[w][1], &t, sizeof t);
            _exit(n == (ssize_t)sizeof t ? 0 : 1);
        }
        close(fds[w][1]);
    }
    assert_int_equal(db_open(path, false, 5000, &db, err, sizeof err), SQLITE_OK);
    /* Meanwhile: online backups of the live database, each checked. */
    int backups = 0;
    char bak[300];
    snprintf(bak, sizeof bak, "%s.bak", path);
    while (now() < t0 + secs - 0.5) {
        unlink_db(bak);
        int brc = db_backup(db, bak, err, sizeof err);
        if (brc) fprintf(stderr, "backup: %s\n", err);
        assert_int_equal(brc, SQLITE_OK);
        assert_int_equal(db_check_file(bak, err, sizeof err), SQLITE_OK);
        backups++;
        struct timespec ts = { 0, 300 * 1000000L };
        nanosleep(&ts, NULL);
    }
    unlink_db(bak);
    tally sum;
    memset(&sum, 0, sizeof sum);
    for (int w = 0; w < NPROC; w++) {
        tally t;
        memset(&t, 0, sizeof t);
        assert_int_equal(read(fds[w][0], &t, sizeof t), (ssize_t)sizeof t);
        close(fds[w][0]);
        int status = 0;
        waitpid(pids[w], &status, 0);
        assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
        if (t.failures) fprintf(stderr, "writer %d: %ld failures, first: %s\n", w, t.failures, t.first_failure);
        /* Every write of this writer is there, and audited once. */
        char pfx[16], actor[16];
        snprintf(pfx, sizeof pfx, "%02d", w);
        snprintf(actor, sizeof actor, "w%d", w);
        assert_int_equal(db_query_int(db, -1, "SELECT count(*) FROM students WHERE substr(citizen_id,1,2) = ?1"
                                              " AND citizen_id NOT LIKE '99%'", pfx, (const char *)NULL), t.inserts);
        assert_int_equal(db_query_int(db, -1, "SELECT count(*) FROM audit WHERE actor = ?1 AND action = 'insert'",
                                      actor, (const char *)NULL), t.inserts);
        assert_int_equal(db_query_int(db, -1, "SELECT count(*) FROM audit WHERE actor = ?1 AND action = 'update'",
                                      actor, (const char *)NULL), t.updates);
        sum.inserts += t.inserts; sum.updates += t.updates; sum.conflicts += t.conflicts;
        sum.failures += t.failures; sum.busy += t.busy;
    }
    double took = now() - t0;
    /* No lost update: the shared rows' versions count every update. */
    assert_int_equal(db_query_int(db, -1, "SELECT sum(row_version - 1) FROM students WHERE citizen_id LIKE '99%'",
                                  (const char *)NULL), sum.updates);
    assert_int_equal(db_query_int(db, 0, "SELECT count(*) FROM pragma_integrity_check WHERE integrity_check = 'ok'",
                                  (const char *)NULL), 1);
    fprintf(stderr, "concurrency: %d processes, %.1f s: %ld inserts + %ld updates = %ld writes"
                    " (%.0f/s), %ld version conflicts retried, %d online backups, %ld failures, %ld busy/locked\n",
            NPROC, took, sum.inserts, sum.updates, sum.inserts + sum.updates,
            (double)(sum.inserts + sum.updates) / took, sum.conflicts, backups, sum.failures, sum.busy);
    assert_int_equal(sum.failures, 0);
    assert_int_equal(sum.busy, 0);
    assert_true(sum.inserts > NPROC);
    assert_true(sum.updates > NPROC);
    db_close(db);
    unlink_db(path);
}

/* ---- many first opens -------------------------------------------------- */

static void test_simultaneous_first_open(void **state)
{
    (void)state;
    fx_db_path(path, sizeof path, "conc_open");
    int gate[2];
    assert_int_equal(pipe(gate), 0);
    pid_t pids[NPROC];
    for (int w = 0; w < NPROC; w++) {
        pids[w] = fork();
        if (pids[w] == 0) {
            close(gate[1]);
            char c;
            if (read(gate[0], &c, 1) < 0) _exit(3);   /* all start when the gate closes */
            sqlite3 *db = NULL;
            char err[512];
            int rc = db_open(path, true, 5000, &db, err, sizeof err);
            if (rc) fprintf(stderr, "first open %d: %s\n", w, err);
            int ok = rc == SQLITE_OK && db_schema_version(db) == db_schema_version_latest();
            db_close(db);
            _exit(ok ? 0 : 1);
        }
    }
    close(gate[0]);
    close(gate[1]);
    int good = 0;
    for (int w = 0; w < NPROC; w++) {
        int status = 0;
        waitpid(pids[w], &status, 0);
        good += WIFEXITED(status) && WEXITSTATUS(status) == 0;
    }
    assert_int_equal(good, NPROC);
    sqlite3 *db = NULL;
    char err[512];
    assert_int_equal(db_open(path, false, 5000, &db, err, sizeof err), SQLITE_OK);
    /* Migrated once: one catalogue row per table, not eight. */
    assert_int_equal(db_query_int(db, 0, "SELECT count(*) FROM esis_tables WHERE name = 'students'",
                                  (const char *)NULL), 1);
    db_close(db);
    unlink_db(path);
}

/* ---- two sessions, one record ----------------------------------------- */

static void test_two_sessions_one_record(void **state)
{
    (void)state;
    sqlite3 *a = setup();
    sqlite3 *b = NULL;
    char err[512];
    assert_int_equal(db_open(path, false, 5000, &b, err, sizeof err), SQLITE_OK);
    esis_schema *s;
    assert_int_equal(db_schema_load(a, &s, err, sizeof err), SQLITE_OK);
    const esis_table *tb = schema_table(s, "students");
    db_session malee = { "malee", "tui:students", "staff", true, true, true, NULL, 0 };
    db_session somchai = { "somchai", "tui:students", "staff", true, true, true, NULL, 0 };
    db_session_set(a, &malee);
    db_session_set(b, &somchai);
    esis_record *r = student(tb, "1103702071811", "สมชาย");
    db_save_info info;
    assert_int_equal(db_record_save(a, r, false, &info), DB_SAVED);

    /* Both open the form at version 1. */
    esis_record *ra = db_record_load(a, tb, r->id), *rb = db_record_load(b, tb, r->id);
    record_set(ra, "first_name", "สมชัย");
    record_set(rb, "first_name", "สมศักดิ์");
    record_set(rb, "grade", "P2");
    assert_int_equal(db_record_save(a, ra, false, &info), DB_SAVED);
    /* The second save is refused, naming who and which fields. */
    assert_int_equal(db_record_save(b, rb, false, &info), DB_CONFLICT);
    assert_string_equal(info.conflict_by, "malee");
    assert_non_null(strstr(info.conflict_fields, "first_name"));
    assert_non_null(strstr(info.message, "malee"));
    /* The caller keeps the second user's values as their draft. */
    long long id = 0;
    assert_int_equal(db_draft_save_record(b, "students", rb, "first_name", DB_DRAFT_CONFLICT, &id, err, sizeof err), 0);

    /* Both values are recorded: the first in the table and the audit ... */
    esis_record *now_r = db_record_load(a, tb, r->id);
    assert_string_equal(record_get(now_r, "first_name"), "สมชัย");
    assert_int_equal(now_r->version, 2);
    assert_int_equal(db_query_int(a, 0, "SELECT count(*) FROM audit WHERE actor = 'malee' AND action = 'update'"
                                        " AND json_extract(new_values, '$.first_name') = 'สมชัย'", (const char *)NULL), 1);
    assert_int_equal(db_query_int(a, 0, "SELECT count(*) FROM audit WHERE actor = 'somchai'", (const char *)NULL), 0);
    /* ... the second in somchai's draft, with the version he edited. */
    db_draft_entry *d = db_draft_load(b, id, err, sizeof err);
    assert_non_null(d);
    assert_string_equal(d->reason, "conflict");
    assert_int_equal(d->row_id, r->id);
    assert_int_equal(d->row_version, 1);
    esis_record *back = record_new(tb);
    db_draft_to_record(d, back);
    assert_string_equal(record_get(back, "first_name"), "สมศักดิ์");
    assert_string_equal(record_get(back, "grade"), "P2");
    /* Resolved: he takes the current version and saves his value over it. */
    back->version = now_r->version;
    assert_int_equal(db_record_save(b, back, false, &info), DB_SAVED);
    assert_int_equal(db_draft_delete(b, id, err, sizeof err), 0);
    assert_null(db_draft_load(a, id, err, sizeof err));   /* never malee's */

    db_draft_free(d);
    record_free(r); record_free(ra); record_free(rb); record_free(now_r); record_free(back);
    schema_free(s);
    db_session_set(a, NULL); db_session_set(b, NULL);
    db_close(b); db_close(a);
    unlink_db(path);
}

/* ---- a read left open ------------------------------------------------- */

/* A connection that still has a statement stepping on an old snapshot can
 * never take the write lock: db_begin says so at once (SQLITE_BUSY_SNAPSHOT)
 * instead of waiting out its patience. */
static void test_begin_with_stale_read(void **state)
{
    (void)state;
    sqlite3 *a = setup(), *b = NULL;
    char err[512];
    assert_int_equal(db_open(path, false, 5000, &b, err, sizeof err), SQLITE_OK);
    sqlite3_stmt *st = NULL;
    assert_int_equal(sqlite3_prepare_v2(a, "SELECT school_code FROM schools", -1, &st, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);            /* a's read snapshot is open */
    exec_ok(b, "UPDATE schools SET phone = '034000000'");     /* b commits a newer one */
    double t0 = now();
    int rc = db_begin(a);
    assert_int_equal(rc, SQLITE_BUSY_SNAPSHOT);
    assert_true(now() - t0 < 1.0);
    sqlite3_finalize(st);                                       /* the read ends ... */
    assert_int_equal(db_begin(a), SQLITE_OK);                   /* ... and a may write */
    db_rollback(a);
    db_close(b);
    db_close(a);
    unlink_db(path);
}

int main(void)
{
    signal(SIGPIPE, SIG_IGN);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_many_writers),
        cmocka_unit_test(test_simultaneous_first_open),
        cmocka_unit_test(test_two_sessions_one_record),
        cmocka_unit_test(test_begin_with_stale_read),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

/*
 * rules_bench: how long the batch check of a large district takes.
 *
 * Generates N students (default 1,000,000) in 300 schools into a fresh
 * database made by the real migrations (a few in every thousand with
 * mistakes, some duplicated across schools), then times, separately:
 *   1. every record rule over every student, through a cursor (records
 *      point into the statement's text, as in rules_check_round);
 *   2. the cross-school duplicate query (dmc.duplicate_across_schools);
 *   3. the whole rules_check_round.
 * Not a test: run by hand or with `make bench` (bench/run).
 *
 *   build/bench/rules_bench [N] [DBFILE]      (ESIS_HOME must point at the tree)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "esis/conf.h"
#include "esis/db.h"
#include "esis/rules.h"

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static double cpu(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static void die(const char *what, const char *err)
{
    fprintf(stderr, "rules_bench: %s: %s\n", what, err);
    exit(2);
}

/* A valid 13-digit ID from a serial number. */
static void make_id(long serial, char out[14])
{
    char buf[32];
    snprintf(buf, sizeof buf, "1%011ld", serial % 100000000000L);
    memcpy(out, buf, 13);
    int sum = 0;
    for (int i = 0; i < 12; i++) sum += (out[i] - '0') * (13 - i);
    out[12] = (char)('0' + (11 - sum % 11) % 10);
    out[13] = '\0';
}

static void generate(sqlite3 *db, long n)
{
    static const char *grades[] = {"K1","K2","K3","P1","P2","P3","P4","P5","P6","M1","M2","M3"};
    static const int ages[] = {3,4,5,6,7,8,9,10,11,12,13,14};
    char err[256];
    if (db_exec(db, "INSERT INTO rounds(round_code, collection, academic_year, round_no, as_of,"
                    " opens, closes) VALUES ('2567-1','dmc',2567,1,'2024-06-10','2024-05-16','2024-06-10')",
                err, sizeof err) != 0) die("rounds", err);
    db_exec(db, "BEGIN", err, sizeof err);
    sqlite3_stmt *sc, *st;
    sqlite3_prepare_v2(db, "INSERT INTO schools(school_code, name_th, amphoe, principal_name)"
                           " VALUES (?, 'โรงเรียนบ้านทดสอบ', 'เมือง', 'นายทดสอบ')", -1, &sc, NULL);
    for (int s = 0; s < 300; s++) {
        char code[24];
        snprintf(code, sizeof code, "10%08d", s + 1);
        sqlite3_bind_text(sc, 1, code, -1, SQLITE_TRANSIENT);
        sqlite3_step(sc);
        sqlite3_reset(sc);
    }
    sqlite3_finalize(sc);
    sqlite3_prepare_v2(db, "INSERT INTO students(round_code, school_code, citizen_id, prefix,"
        " first_name, last_name, gender, birth_date, nationality, grade, room, status)"
        " VALUES ('2567-1', ?, ?, ?, ?, ?, ?, ?, 'TH', ?, ?, '1')", -1, &st, NULL);
    srand(42);
    for (long i = 0; i < n; i++) {
        char school[24], id[14], first[32], last[32], birth[24], room[16];
        int s = (int)(i % 300), g = (int)((i / 300) % 12);
        /* 1 in 2000 is the same child in a second school */
        long serial = (i % 2000 == 1999) ? i - 1 : i;
        make_id(serial + 1, id);
        if (i % 1000 == 7) id[12] = (char)('0' + (id[12] - '0' + 1) % 10); /* bad check digit */
        snprintf(school, sizeof school, "10%08d", serial == i ? s + 1 : (s + 7) % 300 + 1);
        int boy = (int)(i & 1);
        snprintf(first, sizeof first, "ชื่อ%ld", serial);
        snprintf(last, sizeof last, "นามสกุล%ld", serial % 5000);
        int age = ages[g] + (i % 997 == 0 ? -3 : 0);
        snprintf(birth, sizeof birth, "%04d-%02d-%02d", 2024 - age - 1, 1 + (int)(i % 12),
                 1 + (int)(i % 28));
        if (i % 5000 == 3) snprintf(birth, sizeof birth, "2017-02-31");
        snprintf(room, sizeof room, "%d", 1 + (int)(i % 3));
        sqlite3_bind_text(st, 1, school, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(st, 2, id, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(st, 3, boy ? "เด็กชาย" : "เด็กหญิง", -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 4, first, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(st, 5, last, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(st, 6, boy ? "1" : "2", -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 7, birth, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(st, 8, grades[g], -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 9, room, -1, SQLITE_TRANSIENT);
        if (sqlite3_step(st) != SQLITE_DONE) die("insert", sqlite3_errmsg(db));
        sqlite3_reset(st);
    }
    sqlite3_finalize(st);
    db_exec(db, "COMMIT", err, sizeof err);
}

typedef struct tally { long errors, warnings, dups; } tally;

static int count(const rules_hit *h, void *user)
{
    tally *t = user;
    if (h->severity == RULES_ERROR) t->errors++; else t->warnings++;
    if (!strcmp(h->rule_id, "dmc.duplicate_across_schools")) t->dups++;
    return 0;
}

int main(int argc, char **argv)
{
    long n = argc > 1 ? atol(argv[1]) : 1000000;
    const char *path = argc > 2 ? argv[2] : "/tmp/esis-rules-bench.db";
    const char *home = getenv("ESIS_HOME") ? getenv("ESIS_HOME") : ".";
    char err[1024];
    esis_conf *conf;
    if (conf_load(home, &conf, err, sizeof err) != 0) die("conf", err);
    sqlite3 *db;
    bool fresh = access(path, F_OK) != 0;
    if (db_open(path, true, 5000, &db, err, sizeof err) != SQLITE_OK) die("db", err);
    if (fresh) {
        double t0 = now();
        generate(db, n);
        printf("generated %ld students in %.2f s (kept in %s)\n", n, now() - t0, path);
    }
    esis_schema *schema;
    if (db_schema_load(db, &schema, err, sizeof err) != 0) die("schema", err);
    char dir[4200];
    snprintf(dir, sizeof dir, "%s/conf/rules", home);
    rules_set *rs = rules_load(dir, schema, conf, db, err, sizeof err);
    if (!rs) die("rules", err);
    rules_env env = { .academic_year = 2567, .as_of = {2024, 6, 10}, .today = {2024, 7, 1},
                      .round_code = "2567-1" };

    /* 1. record rules only, through a cursor */
    const esis_table *t = schema_table(schema, "students");
    sqlite3_stmt *st;
    sqlite3_prepare_v2(db, "SELECT * FROM students WHERE round_code = '2567-1'", -1, &st, NULL);
    char **vals = calloc((size_t)t->ncols, sizeof *vals);
    esis_record rec = { .table = t, .values = vals };
    rules_flags fl = { 0 };
    long rows = 0, errors = 0, warnings = 0;
    double t0 = now(), c0 = cpu();
    while (sqlite3_step(st) == SQLITE_ROW) {
        for (int c = 0; c < t->ncols; c++) vals[c] = (char *)sqlite3_column_text(st, c);
        rules_eval_record(rs, &rec, &env, &fl);
        errors += fl.errors;
        warnings += fl.warnings;
        rules_flags_clear(&fl);
        rows++;
    }
    double t_records = now() - t0, c_records = cpu() - c0;
    sqlite3_finalize(st);
    rules_flags_free(&fl);
    free(vals);
    printf("record rules, every column fetched: %ld students in %.2f s (cpu %.2f s; %ld errors, %ld warnings)\n",
           rows, t_records, c_records, errors, warnings);

    /* 2. the cross-school duplicate query alone */
    sqlite3_stmt *q;
    const char *dup_sql =
        "SELECT count(*) FROM students s JOIN students o ON o.round_code = s.round_code"
        " AND o.citizen_id = s.citizen_id AND o.school_code <> s.school_code"
        " WHERE s.round_code = '2567-1' AND s.status <> '2' AND o.status <> '2'";
    t0 = now(); c0 = cpu();
    sqlite3_prepare_v2(db, dup_sql, -1, &q, NULL);
    sqlite3_step(q);
    long dups = sqlite3_column_int64(q, 0);
    sqlite3_finalize(q);
    printf("duplicate self-join alone: %ld rows in %.2f s (cpu %.2f s)\n", dups, now() - t0, cpu() - c0);

    /* 3. the whole batch check */
    tally tl = { 0 };
    t0 = now(); c0 = cpu();
    if (rules_check_round(rs, db, &env, NULL, "th", count, &tl, err, sizeof err) != 0)
        die("check", err);
    double t_all = now() - t0, c_all = cpu() - c0;
    printf("rules_check_round (all rules): %.2f s (cpu %.2f s; %ld errors, %ld warnings, %ld duplicates)\n",
           t_all, c_all, tl.errors, tl.warnings, tl.dups);
    rules_free(rs);
    schema_free(schema);
    db_close(db);
    conf_free(conf);
    return 0;
}

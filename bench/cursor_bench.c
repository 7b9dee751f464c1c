/*
 * cursor_bench: how fast a list opens and jumps at N students (default
 * 1,000,000 in one round): the first page, the last page, the page after a
 * row in the middle, the row count, and a Thai search (FTS5 trigram and a
 * two-letter prefix), each timed through db_cursor exactly as the TUI asks.
 *
 * The database is generated once (N students with Thai names through every
 * trigger: audit, FTS, sort keys) and kept at the path given, so a second
 * run only measures.  Usage: cursor_bench N DBFILE [ROUND [QUERY]]
 * (an existing esis database, such as bench/run's, is measured in ROUND,
 * default 2567-1; QUERY is one more Thai search, a name of that database).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "esis/db.h"
#include "esis/db_cursor.h"

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1000.0 + ts.tv_nsec / 1e6;
}

static int remember(void *user, const db_cursor_row *r)
{
    snprintf(user, 512, "%s", r->anchor);
    return 0;
}

static int generate(sqlite3 *db, long n)
{
    char err[512], sql[4096];
    snprintf(sql, sizeof sql,
        "BEGIN;"
        "WITH RECURSIVE g(value) AS (SELECT 1 UNION ALL SELECT value + 1 FROM g WHERE value < 500)"
        " INSERT INTO schools(school_code, name_th, amphoe) SELECT printf('10310%%05d', value),"
        " 'โรงเรียนบ้าน' || value, 'นางรอง' FROM g;"
        "INSERT INTO rounds(round_code, collection, academic_year, round_no, as_of, opens, closes, state)"
        " VALUES ('2567-1','dmc',2567,1,'2024-06-10','2024-05-16','2024-07-10','open');"
        "CREATE TEMP TABLE fn(i INTEGER PRIMARY KEY, v TEXT);"
        "INSERT INTO fn(v) VALUES ('สมชาย'),('ปิยะนุช'),('กมล'),('เกศินี'),('ขวัญใจ'),('ไพโรจน์'),"
        " ('แก้ว'),('ณัฐพล'),('อรอุมา'),('ธนากร'),('ศิริพร'),('ภูมิพัฒน์'),('ชุติมา');"
        "CREATE TEMP TABLE ln(i INTEGER PRIMARY KEY, v TEXT);"
        "INSERT INTO ln(v) VALUES ('ใจดี'),('แก้วมณี'),('สุขสม'),('เกษม'),('ขาวสะอาด'),('ทองดี'),"
        " ('บุญมา'),('ศรีสุข'),('โพธิ์ทอง'),('มั่นคง'),('รักไทย'),('วงศ์ใหญ่'),('อินทร์แก้ว'),"
        " ('ประเสริฐ'),('ดวงดี'),('เพชรรัตน์'),('นาคสวัสดิ์'),('พึ่งบุญ'),('ยิ้มแย้ม'),('ชัยมงคล'),"
        " ('ฤทธิ์เดช'),('หอมจันทร์'),('เลิศล้ำ'),('ไชยวงศ์'),('ฉิมพลี'),('งามยิ่ง'),('จันทร์เพ็ญ'),"
        " ('ซื่อตรง'),('ดำรง'),('ตั้งใจ'),('ถาวร'),('ธรรมดี'),('นิลสุวรรณ'),('บัวบาน'),('ปานทอง');"
        "WITH RECURSIVE g(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM g WHERE n < %ld)"
        " INSERT INTO students(round_code, school_code, citizen_id, first_name, last_name, grade, room)"
        " SELECT '2567-1', printf('10310%%05d', 1 + n %% 500), printf('%%013d', n),"
        "  (SELECT v FROM fn WHERE i = 1 + n %% 13),"
        "  (SELECT v FROM ln WHERE i = 1 + n %% 35) || (SELECT v FROM ln WHERE i = 1 + (n / 35) %% 35),"
        "  'P' || (1 + n %% 6), 1 + n %% 4 FROM g;"
        "COMMIT; ANALYZE;", n);
    if (db_exec(db, sql, err, sizeof err) != SQLITE_OK) {
        fprintf(stderr, "generate: %s\n", err);
        return -1;
    }
    return 0;
}

int main(int argc, char **argv)
{
    long n = argc > 1 ? atol(argv[1]) : 1000000;
    const char *path = argc > 2 ? argv[2] : "/tmp/esis-cursor-bench.db";
    const char *round = argc > 3 ? argv[3] : "2567-1";
    const char *extra = argc > 4 ? argv[4] : NULL;
    bool fresh = access(path, F_OK) != 0;
    sqlite3 *db;
    char err[512];
    if (db_open(path, true, 5000, &db, err, sizeof err) != SQLITE_OK) {
        fprintf(stderr, "%s\n", err);
        return 1;
    }
    if (fresh) {
        double t = now_ms();
        if (generate(db, n) != 0)
            return 1;
        printf("generated %ld students in %.1f s\n", n, (now_ms() - t) / 1000);
    }
    esis_schema *schema;
    db_schema_load(db, &schema, err, sizeof err);
    const char *cols[] = { "citizen_id", "prefix", "first_name", "last_name", "grade", "room", "school_code" };
    const char *search[] = { "citizen_id", "first_name", "last_name" };
    db_cursor_def def = { "students", cols, 7, "last_name", round, search, 3, "students_fts",
                          "student_counts" };   /* as screens/students.ini */
    char anchor[512] = "";
    printf("%-44s %10s %6s\n", "operation (20-row pages)", "ms", "rows");
    double t = now_ms();
    db_cursor *c = db_cursor_open(db, schema, &def, err, sizeof err);
    if (!c) { fprintf(stderr, "cursor: %s\n", err); return 1; }
    int got = db_cursor_fetch(c, DB_PAGE_FIRST, NULL, 20, remember, anchor);
    printf("%-44s %10.2f %6d\n", "open + first page (sorted by last_name)", now_ms() - t, got);
    t = now_ms();
    got = db_cursor_fetch(c, DB_PAGE_LAST, NULL, 20, remember, anchor);
    printf("%-44s %10.2f %6d\n", "End: last page", now_ms() - t, got);
    t = now_ms();
    got = db_cursor_fetch(c, DB_PAGE_BEFORE, anchor, 20, remember, anchor);
    printf("%-44s %10.2f %6d\n", "PgUp from the end", now_ms() - t, got);
    bool exact;
    t = now_ms();
    long cnt = db_cursor_count(c, &exact);
    printf("%-44s %10.2f %6ld\n", "row count (once per list, then cached)", now_ms() - t, cnt);
    t = now_ms();
    db_cursor_sort(c, "room", true);
    got = db_cursor_fetch(c, DB_PAGE_FIRST, NULL, 20, remember, anchor);
    printf("%-44s %10.2f %6d\n", "sort by room (no index): first page", now_ms() - t, got);
    db_cursor_sort(c, "last_name", false);
    const char *queries[] = { "ทองดี", "สมชาย", "นิลสุวรรณปานทอง", "กม", "0000000123", extra };
    for (int i = 0; i < (extra ? 6 : 5); i++) {
        db_cursor_search(c, queries[i]);
        t = now_ms();
        got = db_cursor_fetch(c, DB_PAGE_FIRST, NULL, 20, remember, anchor);
        double a = now_ms() - t;
        t = now_ms();
        cnt = db_cursor_count(c, &exact);
        char what[96];
        snprintf(what, sizeof what, "search '%s': page / count %ld%s", queries[i], cnt, exact ? "" : "+");
        printf("%-44s %6.2f/%.1f %4d\n", what, a, now_ms() - t, got);
    }
    db_cursor_free(c);
    /* the office's dashboard (screens/submissions.ini): a row a school,
     * sorted by code (the schools' index), by Thai name and by students
     * (every school's row made, then sorted) */
    const char *dcols[] = { "school_code", "name_th", "state", "students", "errors", "warnings", "last_change" };
    const char *dsearch[] = { "school_code", "name_th" };
    db_cursor_def dash = { "submission_overview", dcols, 7, "school_code", round, dsearch, 2, NULL, NULL };
    t = now_ms();
    c = db_cursor_open(db, schema, &dash, err, sizeof err);
    if (!c) { fprintf(stderr, "dashboard: %s\n", err); return 1; }
    got = db_cursor_fetch(c, DB_PAGE_FIRST, NULL, 20, remember, anchor);
    printf("%-44s %10.2f %6d\n", "dashboard: open + first page (by code)", now_ms() - t, got);
    t = now_ms();
    db_cursor_sort(c, "name_th", false);
    got = db_cursor_fetch(c, DB_PAGE_FIRST, NULL, 20, remember, anchor);
    printf("%-44s %10.2f %6d\n", "dashboard: sorted by name, first page", now_ms() - t, got);
    t = now_ms();
    db_cursor_sort(c, "students", true);
    got = db_cursor_fetch(c, DB_PAGE_FIRST, NULL, 20, remember, anchor);
    printf("%-44s %10.2f %6d\n", "dashboard: sorted by students, first page", now_ms() - t, got);
    db_cursor_free(c);
    schema_free(schema);
    db_close(db);
    return 0;
}

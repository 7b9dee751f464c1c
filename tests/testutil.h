/* Shared by the cmocka tests: includes in the order cmocka wants. */
#ifndef ESIS_TESTUTIL_H
#define ESIS_TESTUTIL_H
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "esis/db.h"

/* Run SQL a test needs to succeed; on failure the test fails, naming the
 * statement and SQLite's words. */
static inline void exec_ok(sqlite3 *db, const char *sql)
{
    char err[512] = "";
    if (db_exec(db, sql, err, sizeof err) != SQLITE_OK)
        fail_msg("%s: %s", sql, err);
}

/* student_counts (migration 10) holds exactly the students' GROUP BY:
 * no group missing, none extra, no count off, no empty group left; and
 * student_stays (migration 11) exactly the pairs of each round and school
 * with the round before. */
static inline void expect_student_counts(sqlite3 *db)
{
    const char *diff =
        "SELECT count(*) FROM ("
        " SELECT round_code, school_code, coalesce(grade, ''), coalesce(gender, ''), status, poor, count(*)"
        " FROM students GROUP BY 1, 2, 3, 4, 5, 6"
        " EXCEPT SELECT round_code, school_code, grade, gender, status, poor, n FROM student_counts)";
    const char *extra =
        "SELECT count(*) FROM (SELECT round_code, school_code, grade, gender, status, poor, n FROM student_counts"
        " EXCEPT SELECT round_code, school_code, coalesce(grade, ''), coalesce(gender, ''), status, poor, count(*)"
        " FROM students GROUP BY 1, 2, 3, 4, 5, 6)";
    long long missing = db_query_int(db, -1, diff, (const char *)NULL);
    long long wrong = db_query_int(db, -1, extra, (const char *)NULL);
    if (missing != 0 || wrong != 0)
        fail_msg("student_counts: %lld groups missing or off, %lld extra", missing, wrong);
    /* student_stays against the pairs found by brute force, the round
     * before written out here rather than through esis_round_prev */
    const char *pairs =
        " SELECT x.round_code, x.school_code, count(*) FROM students x JOIN students y"
        " ON y.round_code = CASE substr(x.round_code, 6) WHEN '1' THEN (substr(x.round_code, 1, 4) - 1) || '-3'"
        " WHEN '2' THEN substr(x.round_code, 1, 4) || '-1' WHEN '3' THEN substr(x.round_code, 1, 4) || '-2' END"
        " AND y.school_code = x.school_code AND y.citizen_id = x.citizen_id"
        " WHERE x.status = '1' AND y.status = '1' GROUP BY 1, 2";
    char q[1200];
    snprintf(q, sizeof q, "SELECT count(*) FROM (%s EXCEPT SELECT round_code, school_code, n FROM student_stays)", pairs);
    missing = db_query_int(db, -1, q, (const char *)NULL);
    snprintf(q, sizeof q, "SELECT count(*) FROM (SELECT round_code, school_code, n FROM student_stays EXCEPT %s)", pairs);
    wrong = db_query_int(db, -1, q, (const char *)NULL);
    if (missing != 0 || wrong != 0)
        fail_msg("student_stays: %lld schools missing or off, %lld extra", missing, wrong);
}

/* Remove a test's database file with its WAL and shared-memory files. */
static inline void unlink_db(const char *path)
{
    char side[4200];
    unlink(path);
    snprintf(side, sizeof side, "%s-wal", path); unlink(side);
    snprintf(side, sizeof side, "%s-shm", path); unlink(side);
}
#endif

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

/* Remove a test's database file with its WAL and shared-memory files. */
static inline void unlink_db(const char *path)
{
    char side[4200];
    unlink(path);
    snprintf(side, sizeof side, "%s-wal", path); unlink(side);
    snprintf(side, sizeof side, "%s-shm", path); unlink(side);
}
#endif

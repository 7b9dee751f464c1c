/*
 * auth_lockout.c: the failed passwords of shared accounts (the
 * login_failures table, migration 17), the delay they impose and the lock.
 *
 * Why in the database and not in the process: a guesser on the shared
 * server starts as many processes as they like, and each would start
 * afresh.  With the count in the file, every process sees the same count:
 * a try within the delay after the last failure is refused without
 * checking, and after AUTH_MAX_FAILURES the account is locked for every
 * process until an administrator unlocks it.  So a guesser gets at most
 * AUTH_MAX_FAILURES tries, however many processes they start.
 *
 * Each failure is written with the Unix login of whoever tried as the
 * audit's actor (a session made for that one write), so the administrator
 * reads who tried which account, and when, with `esis audit --table
 * login_failures`.
 */
#include "esis/auth.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

int auth_failure_delay_ms(int failures, int unit_ms)
{
    if (failures <= 0) return 0;
    if (unit_ms <= 0) unit_ms = AUTH_DELAY_UNIT_MS;
    long long ms = unit_ms;
    for (int i = 1; i < failures && ms < AUTH_DELAY_MAX_MS; i++) ms *= 2;
    return (int)(ms < AUTH_DELAY_MAX_MS ? ms : AUTH_DELAY_MAX_MS);
}

int auth_failures_get(sqlite3 *db, const char *login, auth_failures *f)
{
    memset(f, 0, sizeof *f);
    sqlite3_stmt *st = NULL;
    if (db_prepare(db, "SELECT failures, locked,"
                       " CAST((julianday('now') - julianday(last_failure)) * 86400000 AS INTEGER)"
                       " FROM login_failures WHERE login = ?1", &st) != SQLITE_OK)
        return -1;
    sqlite3_bind_text(st, 1, login, -1, SQLITE_STATIC);
    int rc = db_step(st);
    if (rc == SQLITE_ROW) {
        f->failures = sqlite3_column_int(st, 0);
        f->locked = sqlite3_column_int(st, 1) != 0;
        f->since_ms = sqlite3_column_int64(st, 2);
    }
    sqlite3_finalize(st);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : -1;
}

/* Run sql with ?1 = login, ?2 = who tried, as a session of its own: the
 * audit's actor is the Unix login at the keyboard, not 'system'. */
static int write_as(sqlite3 *db, const char *sql, const char *login, const char *tried_by,
                    const char *origin)
{
    db_session who = { tried_by, origin, "", false, false, false, NULL, 0 };
    const db_session *before = db_session_get(db);
    db_session_set(db, &who);
    sqlite3_stmt *st = NULL;
    int rc = db_prepare(db, sql, &st);
    if (rc == SQLITE_OK) {
        sqlite3_bind_text(st, 1, login, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 2, tried_by, -1, SQLITE_STATIC);
        sqlite3_bind_int(st, 3, AUTH_MAX_FAILURES);
        rc = db_step(st);
    }
    sqlite3_finalize(st);
    db_session_set(db, before);
    return rc == SQLITE_DONE || rc == SQLITE_ROW ? 0 : -1;
}

int auth_failure_record(sqlite3 *db, const char *login, const char *tried_by, const char *origin)
{
    if (write_as(db, "INSERT INTO login_failures(login, failures, locked, tried_by)"
                     " VALUES (?1, 1, 1 >= ?3, ?2)"
                     " ON CONFLICT(login) DO UPDATE SET failures = failures + 1,"
                     " last_failure = strftime('%Y-%m-%dT%H:%M:%f','now'),"
                     " locked = failures + 1 >= ?3, tried_by = ?2",
                 login, tried_by, origin ? origin : "esis") != 0)
        return -1;
    auth_failures f;
    if (auth_failures_get(db, login, &f) != 0) return -1;
    return f.failures;
}

int auth_failures_clear(sqlite3 *db, const char *login, const char *tried_by, const char *origin)
{
    auth_failures f;
    if (auth_failures_get(db, login, &f) != 0) return -1;
    if (f.failures == 0) return 0;   /* nothing to clear: no audit row for nothing */
    return write_as(db, "DELETE FROM login_failures WHERE login = ?1 AND ?2 IS NOT NULL AND ?3 > 0",
                    login, tried_by, origin ? origin : "esis");
}

void auth_sleep_ms(int ms)
{
    if (ms <= 0) return;
    struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000L };
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR) {}
}

/*
 * db_backup.c: a consistent copy of a live database (SQLite's online backup
 * API: committed data only, while others keep writing), and the check a copy
 * must pass before it is restored.
 */
#include "db_internal.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

int db_backup(sqlite3 *db, const char *dest_path, char *err, size_t errsz)
{
    sqlite3 *dest = NULL;
    int rc = sqlite3_open_v2(dest_path, &dest, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL);
    if (rc != SQLITE_OK) {
        snprintf(err, errsz, "%s: %s", dest_path, dest ? sqlite3_errmsg(dest) : sqlite3_errstr(rc));
        sqlite3_close(dest);
        return rc;
    }
    sqlite3_backup *b = sqlite3_backup_init(dest, "main", db, "main");
    if (!b) {
        snprintf(err, errsz, "%s: %s", dest_path, sqlite3_errmsg(dest));
        sqlite3_close(dest);
        return SQLITE_ERROR;
    }
    /* Copy in slices so a writer is never held off for long; a busy source
     * is waited for. */
    do {
        rc = sqlite3_backup_step(b, 256);
        if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED) {
            struct timespec ts = { 0, 50 * 1000000L };
            nanosleep(&ts, NULL);
        }
    } while (rc == SQLITE_OK || rc == SQLITE_BUSY || rc == SQLITE_LOCKED);
    sqlite3_backup_finish(b);
    if (rc != SQLITE_DONE) {
        snprintf(err, errsz, "%s: %s", dest_path, sqlite3_errstr(rc));
        sqlite3_close(dest);
        return rc;
    }
    rc = sqlite3_close(dest);
    return rc;
}

int db_check_file(const char *path, char *err, size_t errsz)
{
    sqlite3 *db = NULL;
    int rc = sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL);
    if (rc != SQLITE_OK) {
        snprintf(err, errsz, "%s: %s", path, db ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
        sqlite3_close(db);
        return rc;
    }
    sqlite3_stmt *st = NULL;
    rc = sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &st, NULL);
    if (rc == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW) {
        const char *r = (const char *)sqlite3_column_text(st, 0);
        if (!r || strcmp(r, "ok")) {
            snprintf(err, errsz, "%s: integrity check failed: %s", path, r ? r : "?");
            rc = SQLITE_CORRUPT;
        }
    } else {
        snprintf(err, errsz, "%s: not an esis database (%s)", path, sqlite3_errmsg(db));
        rc = SQLITE_NOTADB;
    }
    sqlite3_finalize(st);
    if (rc == SQLITE_OK) {
        int v = -1;
        if (sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &st, NULL) == SQLITE_OK &&
            sqlite3_step(st) == SQLITE_ROW)
            v = sqlite3_column_int(st, 0);
        sqlite3_finalize(st);
        int has = 0;
        if (sqlite3_prepare_v2(db, "SELECT count(*) FROM sqlite_schema WHERE name = 'esis_tables'",
                               -1, &st, NULL) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
            has = sqlite3_column_int(st, 0);
        sqlite3_finalize(st);
        if (!has || v < 1) {
            snprintf(err, errsz, "%s: not an esis database", path);
            rc = SQLITE_NOTADB;
        } else if (v > db_schema_version_latest()) {
            snprintf(err, errsz, "%s: schema version %d is newer than this esis (%d)", path, v,
                     db_schema_version_latest());
            rc = SQLITE_ERROR;
        }
    }
    sqlite3_close(db);
    return rc;
}

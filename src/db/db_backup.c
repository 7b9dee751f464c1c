/*
 * db_backup.c: a consistent copy of a live database (SQLite's online backup
 * API: committed data only, while others keep writing), and the check a copy
 * must pass before it is restored.
 */
#include "db_internal.h"
#include "esis/strbuf.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* Copy the live database into path (a new file), all pages in one step. */
static int backup_into(sqlite3 *db, const char *path, const char *shown, char *err, size_t errsz)
{
    sqlite3 *dest = NULL;
    int rc = sqlite3_open_v2(path, &dest, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL);
    if (rc != SQLITE_OK) {
        snprintf(err, errsz, "%s: %s", shown, dest ? sqlite3_errmsg(dest) : sqlite3_errstr(rc));
        sqlite3_close(dest);
        return rc;
    }
    sqlite3_backup *b = sqlite3_backup_init(dest, "main", db, "main");
    if (!b) {
        snprintf(err, errsz, "%s: %s", shown, sqlite3_errmsg(dest));
        sqlite3_close(dest);
        return SQLITE_ERROR;
    }
    /* All pages in one step, under one read transaction on the source.  In
     * WAL mode a reader never holds a writer off, so this costs the others
     * nothing, and it is the only way that finishes under steady writes:
     * copied in slices, every commit by another connection restarts the
     * copy from the first page, and with sessions saving all day a large
     * database might never be copied (seen in test_concurrency: 8 writers
     * let a sliced copy finish only every few seconds on a small file).
     * A busy source (a checkpoint running) is waited for. */
    do {
        rc = sqlite3_backup_step(b, -1);
        if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED) {
            struct timespec ts = { 0, 50 * 1000000L };
            nanosleep(&ts, NULL);
        }
    } while (rc == SQLITE_OK || rc == SQLITE_BUSY || rc == SQLITE_LOCKED);
    sqlite3_backup_finish(b);
    if (rc != SQLITE_DONE) {
        snprintf(err, errsz, "%s: %s", shown, sqlite3_errstr(rc));
        sqlite3_close(dest);
        return rc;
    }
    /* The copy carries the live database's WAL flag; make it one
     * self-contained file (no -wal/-shm beside it) to move or archive. */
    rc = sqlite3_exec(dest, "PRAGMA journal_mode=DELETE", NULL, NULL, NULL);
    if (rc != SQLITE_OK) snprintf(err, errsz, "%s: %s", shown, sqlite3_errmsg(dest));
    int crc = sqlite3_close(dest);
    if (rc == SQLITE_OK && crc != SQLITE_OK) snprintf(err, errsz, "%s: %s", shown, sqlite3_errstr(crc));
    return rc != SQLITE_OK ? rc : crc;
}

/* Remove a temporary copy and whatever SQLite left beside it. */
static void remove_copy(const char *path)
{
    static const char *const side[] = { "", "-journal", "-wal", "-shm" };
    char p[4200];
    for (int i = 0; i < 4; i++) {
        snprintf(p, sizeof p, "%s%s", path, side[i]);
        unlink(p);
    }
}

/* The copy is written under a temporary name beside dest_path (the same
 * directory, so the rename cannot cross file systems), checked, fsynced
 * and only then renamed into place: a backup that fails half way (a full
 * disk, a quota, a kill) leaves no partial file that looks like a backup,
 * and an existing backup being replaced stays whole until the new one is. */
int db_backup(sqlite3 *db, const char *dest_path, char *err, size_t errsz)
{
    size_t n = strlen(dest_path) + 16;
    char *tmp = malloc(n);
    if (!tmp) { snprintf(err, errsz, "out of memory"); return SQLITE_NOMEM; }
    snprintf(tmp, n, "%s.partXXXXXX", dest_path);
    int fd = mkstemp(tmp);
    if (fd < 0) {
        snprintf(err, errsz, "%s: %s", dest_path, strerror(errno));
        free(tmp);
        return SQLITE_CANTOPEN;
    }
    close(fd);
    int rc = backup_into(db, tmp, dest_path, err, errsz);
    if (rc == SQLITE_OK) rc = db_check_file(tmp, err, errsz);
    if (rc == SQLITE_OK && (fd = open(tmp, O_RDONLY)) >= 0) {
        if (fsync(fd) != 0) { snprintf(err, errsz, "%s: %s", dest_path, strerror(errno)); rc = SQLITE_IOERR; }
        close(fd);
    }
    if (rc == SQLITE_OK && rename(tmp, dest_path) != 0) {
        snprintf(err, errsz, "%s: %s", dest_path, strerror(errno));
        rc = SQLITE_CANTOPEN;
    }
    if (rc != SQLITE_OK) remove_copy(tmp);
    free(tmp);
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

/* Restoring copies the checked file over the live database with the backup
 * API, the live connection being the destination.  Why this way and not by
 * renaming a file into place: other sessions hold the old file open; a
 * rename would leave them writing to a deleted inode (their work lost) and
 * the -wal/-shm of the old file would be applied to the new one.  Through
 * the backup API the copy is one write transaction on the live database:
 * a session that is reading keeps its snapshot, then sees the restored data
 * on its next transaction (the schema cookie moves, so its statements are
 * prepared again); a session that wants to write waits for the lock like
 * for any other writer. */
/* The audit rows of the database as it was (prior_path, the safety copy)
 * written after the restored copy was made: those past `after`, the
 * restored copy's last audit row.  Appended with new ids in their order,
 * their times and actors kept, so the restore does not erase the record of
 * what was done since the backup (the data it describes is gone; the trail
 * of who did it is not).  Read on a connection of their own rather than
 * through ATTACH, which a guarded connection may refuse.  *kept gets the
 * count.  0 or an error with err. */
static int keep_audit(sqlite3 *db, const char *prior_path, sqlite3_int64 after, long *kept,
                      char *err, size_t errsz)
{
    strbuf cols = STRBUF_INIT, marks = STRBUF_INIT, sql = STRBUF_INIT;
    sqlite3_stmt *st = NULL, *read = NULL, *write = NULL;
    sqlite3 *prior = NULL;
    int n = 0, rc = db_prepare(db, "SELECT name FROM pragma_table_info('audit') WHERE name <> 'id' ORDER BY cid", &st);
    while (rc == SQLITE_OK && db_step(st) == SQLITE_ROW) {
        strbuf_addf(&cols, "%s\"%s\"", n ? ", " : "", (const char *)sqlite3_column_text(st, 0));
        strbuf_addf(&marks, "%s?", n++ ? ", " : "");
    }
    sqlite3_finalize(st);
    if (rc == SQLITE_OK && (cols.failed || marks.failed || !n)) rc = SQLITE_NOMEM;
    if (rc == SQLITE_OK) rc = sqlite3_open_v2(prior_path, &prior, SQLITE_OPEN_READONLY, NULL);
    if (rc == SQLITE_OK) {
        strbuf_addf(&sql, "SELECT %s FROM audit WHERE id > ?1 ORDER BY id", strbuf_str(&cols));
        rc = sql.failed ? SQLITE_NOMEM : sqlite3_prepare_v2(prior, strbuf_str(&sql), -1, &read, NULL);
    }
    if (rc == SQLITE_OK) {
        strbuf_reset(&sql);
        strbuf_addf(&sql, "INSERT INTO audit(%s) VALUES (%s)", strbuf_str(&cols), strbuf_str(&marks));
        rc = sql.failed ? SQLITE_NOMEM : db_prepare(db, strbuf_str(&sql), &write);
    }
    bool in_tx = rc == SQLITE_OK && (rc = db_begin(db)) == SQLITE_OK;
    if (rc == SQLITE_OK) {
        sqlite3_bind_int64(read, 1, after);
        int step = SQLITE_DONE;
        while (rc == SQLITE_OK && (step = sqlite3_step(read)) == SQLITE_ROW) {
            for (int i = 0; i < n; i++) sqlite3_bind_value(write, i + 1, sqlite3_column_value(read, i));
            rc = db_step(write) == SQLITE_DONE ? SQLITE_OK : SQLITE_ERROR;
            sqlite3_reset(write);
            if (rc == SQLITE_OK) (*kept)++;
        }
        if (rc == SQLITE_OK && step != SQLITE_DONE) rc = step;
    }
    if (rc == SQLITE_OK) rc = db_commit(db);
    if (rc != SQLITE_OK) {
        snprintf(err, errsz, "keeping the audit rows of %s: %s", prior_path,
                 prior && sqlite3_errcode(prior) != SQLITE_OK ? sqlite3_errmsg(prior) : sqlite3_errmsg(db));
        if (in_tx) db_rollback(db);
        *kept = 0;
    }
    sqlite3_finalize(read);
    sqlite3_finalize(write);
    sqlite3_close(prior);
    strbuf_free(&cols);
    strbuf_free(&marks);
    strbuf_free(&sql);
    return rc;
}

int db_restore(sqlite3 *db, const char *src_path, char *err, size_t errsz)
{
    return db_restore_keeping(db, src_path, NULL, NULL, err, errsz);
}

int db_restore_keeping(sqlite3 *db, const char *src_path, const char *prior_path, long *kept,
                       char *err, size_t errsz)
{
    long kept_rows = 0;
    if (kept) *kept = 0;
    const db_session *s = db_session_get(db);
    if (s && (!s->role || strcmp(s->role, "admin"))) {
        snprintf(err, errsz, "only an administrator may restore the database ('%s' is %s)",
                 s->login ? s->login : "?", s->role ? s->role : "?");
        return SQLITE_AUTH;
    }
    int rc = db_check_file(src_path, err, errsz);
    if (rc != SQLITE_OK) return rc;
    sqlite3 *src = NULL;
    rc = sqlite3_open_v2(src_path, &src, SQLITE_OPEN_READONLY, NULL);
    if (rc != SQLITE_OK) {
        snprintf(err, errsz, "%s: %s", src_path, src ? sqlite3_errmsg(src) : sqlite3_errstr(rc));
        sqlite3_close(src);
        return rc;
    }
    sqlite3_busy_timeout(src, 5000);
    sqlite3_backup *b = sqlite3_backup_init(db, "main", src, "main");
    if (!b) {
        snprintf(err, errsz, "restoring %s: %s", src_path, sqlite3_errmsg(db));
        sqlite3_close(src);
        return SQLITE_ERROR;
    }
    /* All pages in one step: the live database changes in one write
     * transaction.  A busy destination (another writer) is waited for. */
    int waited = 0;
    while ((rc = sqlite3_backup_step(b, -1)) == SQLITE_BUSY || rc == SQLITE_LOCKED) {
        if (waited >= 120000) break;
        struct timespec ts = { 0, 50 * 1000000L };
        nanosleep(&ts, NULL);
        waited += 50;
    }
    int frc = sqlite3_backup_finish(b);
    sqlite3_close(src);
    if (rc != SQLITE_DONE) {
        snprintf(err, errsz, "restoring %s: %s", src_path,
                 (rc & 0xff) == SQLITE_READONLY ? "the page sizes differ (the copy is not from this esis)"
                                                : sqlite3_errstr(rc));
        return rc;
    }
    if (frc != SQLITE_OK) {
        snprintf(err, errsz, "restoring %s: %s", src_path, sqlite3_errstr(frc));
        return frc;
    }
    /* The copy's last audit row, before a migration adds any. */
    sqlite3_int64 last = db_query_int(db, 0, "SELECT coalesce(max(id), 0) FROM audit", (const char *)NULL);
    /* A copy made by an older esis is brought up to date. */
    rc = db_migrate(db, err, errsz);
    if (rc != SQLITE_OK) return rc;
    if (prior_path && (rc = keep_audit(db, prior_path, last, &kept_rows, err, errsz)) != SQLITE_OK) return rc;
    if (kept) *kept = kept_rows;
    sqlite3_stmt *st = NULL;
    rc = db_prepare(db, "INSERT INTO audit(actor, origin, table_name, action, new_values)"
                        " VALUES (esis_actor(), esis_origin(), '*database*', 'restore',"
                        " json_object('file', ?1, 'schema_version', ?2, 'safety_copy', ?3,"
                        " 'audit_rows_kept', ?4))", &st);
    if (rc == SQLITE_OK) {
        sqlite3_bind_text(st, 1, src_path, -1, SQLITE_STATIC);
        sqlite3_bind_int(st, 2, db_schema_version(db));
        sqlite3_bind_text(st, 3, prior_path, -1, SQLITE_STATIC);
        sqlite3_bind_int64(st, 4, kept_rows);
        rc = db_step(st) == SQLITE_DONE ? SQLITE_OK : SQLITE_ERROR;
    }
    if (rc != SQLITE_OK) snprintf(err, errsz, "recording the restore: %s", sqlite3_errmsg(db));
    sqlite3_finalize(st);
    return rc;
}

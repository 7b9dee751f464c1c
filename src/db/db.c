/*
 * db.c: opening a connection, the SQL functions esis registers on it,
 * migrations, and transactions that wait instead of failing.
 *
 * Why the session lives behind an SQL function: the audit triggers must know
 * who is writing, and a trigger can only reach C through a function.  SQLite
 * 3.40 (Debian 12) has no sqlite3_set_clientdata, so the per-connection state
 * is the user data of the registered functions, and db_session_set reaches
 * it by calling esis_state() once.
 */
#include "db_internal.h"
#include "esis/db_gate.h"
#include "esis/rounds.h"
#include "esis/text.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

typedef struct db_state {
    const db_session *session;
    int bulk;                  /* > 0 while a bulk load runs: see db_bulk_begin */
    int ndefer;                /* tables whose index upkeep waits: db_index.c */
    struct { char table[DB_DEFER_NAME]; long long after; } defer[DB_DEFER_MAX];
    /* Gates of this connection (db_gate.c): kept open to be lent again, and
     * lent now.  An installed esis can open no further connection to its
     * database once it has given up the group, so the gates it will need
     * are opened before (db_gate_reserve) and handed back, not closed. */
    db_gate *gate_pool[DB_GATE_POOL];
    int ngate_pool;
    db_gate *gate_lent[DB_GATE_LENT];
    int ngate_lent;
} db_state;

/* How long a writer keeps trying past the busy timeout before giving up. */
enum { DB_PATIENCE_MS = 120000 };

static void sleep_ms(int ms)
{
    struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000L };
    nanosleep(&ts, NULL);
}

/* ---- SQL functions -------------------------------------------------- */

static void fn_state(sqlite3_context *cx, int argc, sqlite3_value **argv)
{
    (void)argc; (void)argv;
    sqlite3_result_int64(cx, (sqlite3_int64)(intptr_t)sqlite3_user_data(cx));
}

static void fn_actor(sqlite3_context *cx, int argc, sqlite3_value **argv)
{
    (void)argc; (void)argv;
    const db_state *st = sqlite3_user_data(cx);
    const char *who = st->session && st->session->login ? st->session->login : "system";
    sqlite3_result_text(cx, who, -1, SQLITE_TRANSIENT);
}

/* 0 while a bulk load runs on this connection: its inserts are summarised
 * by one audit row instead of one each (see db_bulk_begin). */
static void fn_audit_row(sqlite3_context *cx, int argc, sqlite3_value **argv)
{
    (void)argc; (void)argv;
    const db_state *st = sqlite3_user_data(cx);
    sqlite3_result_int(cx, st->bulk == 0);
}

/* esis_index_deferred(table, rowid): 1 when the index triggers must leave
 * that row alone because db_index_flush will index it (db_index.c). */
static void fn_index_deferred(sqlite3_context *cx, int argc, sqlite3_value **argv)
{
    (void)argc;
    const db_state *st = sqlite3_user_data(cx);
    int deferred = 0;
    if (st->ndefer > 0) {
        const char *t = (const char *)sqlite3_value_text(argv[0]);
        long long id = sqlite3_value_int64(argv[1]);
        for (int i = 0; t && i < st->ndefer && !deferred; i++)
            deferred = id > st->defer[i].after && !strcmp(t, st->defer[i].table);
    }
    sqlite3_result_int(cx, deferred);
}

static void fn_origin(sqlite3_context *cx, int argc, sqlite3_value **argv)
{
    (void)argc; (void)argv;
    const db_state *st = sqlite3_user_data(cx);
    const char *o = st->session && st->session->origin ? st->session->origin : "esis";
    sqlite3_result_text(cx, o, -1, SQLITE_TRANSIENT);
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static bool session_sees(const db_session *s, const char *code)
{
    if (!s) return true;                 /* no session: esis itself (init, migrations) */
    if (s->all_schools) return true;
    if (!code || !s->nschools) return false;
    return bsearch(&code, s->schools, (size_t)s->nschools, sizeof *s->schools, cmp_str) != NULL;
}

static void fn_may_see(sqlite3_context *cx, int argc, sqlite3_value **argv)
{
    (void)argc;
    const db_state *st = sqlite3_user_data(cx);
    const char *code = (const char *)sqlite3_value_text(argv[0]);
    sqlite3_result_int(cx, session_sees(st->session, code));
}

/* mask(value): the value as those without the right to personal data see it. */
static void fn_mask(sqlite3_context *cx, int argc, sqlite3_value **argv)
{
    (void)argc;
    const char *v = (const char *)sqlite3_value_text(argv[0]);
    if (!v) { sqlite3_result_null(cx); return; }
    size_t n = strlen(v);
    char *out = malloc(n + 1);
    if (!out) { sqlite3_result_error_nomem(cx); return; }
    text_mask_id(v, out);
    sqlite3_result_text(cx, out, -1, free);
}

/* thai_key(text): the BLOB whose byte order is Thai order (sort_keys). */
static void fn_thai_key(sqlite3_context *cx, int argc, sqlite3_value **argv)
{
    (void)argc;
    const char *v = (const char *)sqlite3_value_text(argv[0]);
    size_t n = v ? (size_t)sqlite3_value_bytes(argv[0]) : 0, len = 0;
    unsigned char *key = text_thai_sortkey(v ? v : "", n, &len);
    if (!key) { sqlite3_result_error_nomem(cx); return; }
    sqlite3_result_blob(cx, key, (int)len, free);
}

/* esis_round_prev(code), esis_round_next(code): the round before and after
 * in the same collection (rounds_previous, rounds_next), NULL for a code
 * that is not a round's.  The triggers of student_stays (migration 11)
 * pair each student with the same child in the neighbouring rounds. */
static void round_step(sqlite3_context *cx, sqlite3_value *v, bool (*step)(const char *, char *, size_t))
{
    const char *code = (const char *)sqlite3_value_text(v);
    char out[32];
    if (code && step(code, out, sizeof out)) sqlite3_result_text(cx, out, -1, SQLITE_TRANSIENT);
    else sqlite3_result_null(cx);
}

static void fn_round_prev(sqlite3_context *cx, int argc, sqlite3_value **argv)
{
    (void)argc;
    round_step(cx, argv[0], rounds_previous);
}

static void fn_round_next(sqlite3_context *cx, int argc, sqlite3_value **argv)
{
    (void)argc;
    round_step(cx, argv[0], rounds_next);
}

static int collate_thai(void *u, int alen, const void *a, int blen, const void *b)
{
    (void)u;
    return text_thai_collate(a, (size_t)alen, b, (size_t)blen);
}

static int register_functions(sqlite3 *db, db_state *st)
{
    int rc = sqlite3_create_function_v2(db, "esis_state", 0, SQLITE_UTF8, st, fn_state, NULL, NULL, free);
    if (rc != SQLITE_OK) { free(st); return rc; }
    int flags = SQLITE_UTF8;
    rc = sqlite3_create_function_v2(db, "esis_actor", 0, flags, st, fn_actor, NULL, NULL, NULL);
    if (rc == SQLITE_OK) rc = sqlite3_create_function_v2(db, "esis_origin", 0, flags, st, fn_origin, NULL, NULL, NULL);
    if (rc == SQLITE_OK) rc = sqlite3_create_function_v2(db, "esis_audit_row", 0, flags, st, fn_audit_row, NULL, NULL, NULL);
    if (rc == SQLITE_OK) rc = sqlite3_create_function_v2(db, "esis_index_deferred", 2, flags, st, fn_index_deferred, NULL, NULL, NULL);
    if (rc == SQLITE_OK) rc = sqlite3_create_function_v2(db, "esis_may_see", 1, flags, st, fn_may_see, NULL, NULL, NULL);
    if (rc == SQLITE_OK) rc = sqlite3_create_function_v2(db, "esis_mask", 1, flags | SQLITE_DETERMINISTIC, NULL, fn_mask, NULL, NULL, NULL);
    if (rc == SQLITE_OK) rc = sqlite3_create_function_v2(db, "thai_key", 1, flags | SQLITE_DETERMINISTIC, NULL, fn_thai_key, NULL, NULL, NULL);
    if (rc == SQLITE_OK) rc = sqlite3_create_function_v2(db, "esis_round_prev", 1, flags | SQLITE_DETERMINISTIC,
                                                         NULL, fn_round_prev, NULL, NULL, NULL);
    if (rc == SQLITE_OK) rc = sqlite3_create_function_v2(db, "esis_round_next", 1, flags | SQLITE_DETERMINISTIC,
                                                         NULL, fn_round_next, NULL, NULL, NULL);
    if (rc == SQLITE_OK) rc = sqlite3_create_collation_v2(db, "thai", SQLITE_UTF8, NULL, collate_thai, NULL);
    return rc;
}

static db_state *state_of(sqlite3 *db)
{
    sqlite3_stmt *st = NULL;
    db_state *s = NULL;
    if (sqlite3_prepare_v2(db, "SELECT esis_state()", -1, &st, NULL) == SQLITE_OK &&
        sqlite3_step(st) == SQLITE_ROW)
        s = (db_state *)(intptr_t)sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return s;
}

void db_session_set(sqlite3 *db, const db_session *s)
{
    db_state *st = state_of(db);
    if (st) st->session = s;
}

void db_bulk_begin(sqlite3 *db)
{
    db_state *st = state_of(db);
    if (st) st->bulk++;
}

void db_bulk_cancel(sqlite3 *db)
{
    db_state *st = state_of(db);
    if (st && st->bulk > 0) st->bulk--;
}

int db_bulk_end(sqlite3 *db, const char *table, const char *what, long long rows)
{
    db_state *st = state_of(db);
    if (st && st->bulk > 0) st->bulk--;
    sqlite3_stmt *q = NULL;
    int rc = db_prepare(db, "INSERT INTO audit(actor, origin, table_name, row_key, action, new_values)"
                            " VALUES (esis_actor(), esis_origin(), ?1, ?2, 'bulk_insert',"
                            " json_object('what', ?2, 'rows', ?3))", &q);
    if (rc == SQLITE_OK) {
        sqlite3_bind_text(q, 1, table, -1, SQLITE_STATIC);
        sqlite3_bind_text(q, 2, what, -1, SQLITE_STATIC);
        sqlite3_bind_int64(q, 3, rows);
        rc = db_step(q) == SQLITE_DONE ? SQLITE_OK : SQLITE_ERROR;
    }
    sqlite3_finalize(q);
    return rc;
}

int db_state_defer(sqlite3 *db, const char *table, long long after)
{
    db_state *st = state_of(db);
    if (!st || st->ndefer == DB_DEFER_MAX || strlen(table) >= DB_DEFER_NAME) return -1;
    snprintf(st->defer[st->ndefer].table, DB_DEFER_NAME, "%s", table);
    st->defer[st->ndefer++].after = after;
    return 0;
}

bool db_state_undefer(sqlite3 *db, char table[DB_DEFER_NAME], long long *after)
{
    db_state *st = state_of(db);
    if (!st || st->ndefer == 0) return false;
    st->ndefer--;
    memcpy(table, st->defer[st->ndefer].table, DB_DEFER_NAME);
    *after = st->defer[st->ndefer].after;
    return true;
}

const db_session *db_session_get(sqlite3 *db)
{
    db_state *st = state_of(db);
    return st ? st->session : NULL;
}

bool db_scope_allows(sqlite3 *db, const char *school_code)
{
    return session_sees(db_session_get(db), school_code);
}

bool db_scope_allows_write(sqlite3 *db, const char *school_code)
{
    const db_session *s = db_session_get(db);
    if (s && !s->may_write) return false;
    return session_sees(s, school_code);
}

const char *db_scope_sql(sqlite3 *db, const char *col, char *buf, size_t bufsz)
{
    const db_session *s = db_session_get(db);
    if (!s || s->all_schools) snprintf(buf, bufsz, "1");
    else snprintf(buf, bufsz, "esis_may_see(%s)", col);
    return buf;
}

/* ---- gates kept for lending (db_gate.c) ---------------------------- */

db_gate *db_state_gate_take(sqlite3 *db)
{
    db_state *st = state_of(db);
    if (!st || st->ngate_pool == 0 || st->ngate_lent == DB_GATE_LENT) return NULL;
    db_gate *g = st->gate_pool[--st->ngate_pool];
    st->gate_lent[st->ngate_lent++] = g;
    return g;
}

bool db_state_gate_lend(sqlite3 *db, db_gate *g)
{
    db_state *st = state_of(db);
    if (!st || st->ngate_lent == DB_GATE_LENT) return false;
    st->gate_lent[st->ngate_lent++] = g;
    return true;
}

bool db_state_gate_keep(sqlite3 *db, db_gate *g)
{
    db_state *st = state_of(db);
    if (!st) return false;
    for (int i = 0; i < st->ngate_lent; i++)
        if (st->gate_lent[i] == g) {
            st->gate_lent[i] = st->gate_lent[--st->ngate_lent];
            break;
        }
    if (st->ngate_pool == DB_GATE_POOL) return false;
    st->gate_pool[st->ngate_pool++] = g;
    return true;
}

/* ---- open, close ---------------------------------------------------- */

/* A connection to path with what every esis connection has: extended
 * result codes, a busy wait, and esis's SQL functions and collation.
 * NOMUTEX: a connection is used by one thread (a batch check's workers
 * open their own, db_open_reader), so SQLite's per-call locking is pure
 * cost. */
int db_open_connection(const char *path, int flags, int busy_timeout_ms, sqlite3 **out,
                       char *err, size_t errsz)
{
    *out = NULL;
    sqlite3 *db = NULL;
    int rc = sqlite3_open_v2(path, &db, flags | SQLITE_OPEN_NOMUTEX, NULL);
    if (rc != SQLITE_OK) {
        snprintf(err, errsz, "%s: %s", path, db ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
        sqlite3_close(db);
        return rc;
    }
    sqlite3_extended_result_codes(db, 1);
    sqlite3_busy_timeout(db, busy_timeout_ms);
    db_state *st = calloc(1, sizeof *st);
    rc = st ? register_functions(db, st) : SQLITE_NOMEM;
    if (rc != SQLITE_OK) {
        snprintf(err, errsz, "%s: %s", path, sqlite3_errstr(rc));
        sqlite3_close(db);
        return rc;
    }
    *out = db;
    return SQLITE_OK;
}

int db_open(const char *path, bool create, int busy_timeout_ms, sqlite3 **out,
            char *err, size_t errsz)
{
    *out = NULL;
    /* SQLite counts every allocation under one global mutex (memory
     * statistics esis never reads): with a batch check's threads that lock
     * is taken millions of times from both processors.  Only possible
     * before the library starts, so the first open does it; later calls
     * are refused by SQLite, harmlessly. */
    sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
    sqlite3 *db = NULL;
    int rc = db_open_connection(path, SQLITE_OPEN_READWRITE | (create ? SQLITE_OPEN_CREATE : 0),
                     busy_timeout_ms > 0 ? busy_timeout_ms : 5000, &db, err, errsz);
    if (rc != SQLITE_OK) return rc;
    rc = db_exec(db, "PRAGMA journal_mode=WAL; PRAGMA foreign_keys=ON;"
                     " PRAGMA synchronous=NORMAL;", err, errsz);
    if (rc == SQLITE_OK) {
        /* A file that is not a database fails here, not on first use. */
        rc = db_exec(db, "SELECT count(*) FROM sqlite_schema", err, errsz);
    }
    if (rc == SQLITE_OK) rc = db_migrate(db, err, errsz);
    if (rc != SQLITE_OK) {
        char tmp[512];
        snprintf(tmp, sizeof tmp, "%s", err);
        snprintf(err, errsz, "%s: %s", path, tmp);
        sqlite3_close(db);
        return rc;
    }
    *out = db;
    return SQLITE_OK;
}

int db_open_reader(sqlite3 *db, sqlite3 **out, char *err, size_t errsz)
{
    *out = NULL;
    const char *path = sqlite3_db_filename(db, "main");
    if (!path || !*path) {
        snprintf(err, errsz, "in-memory database: no second connection");
        return SQLITE_CANTOPEN;
    }
    sqlite3 *r = NULL;
    int rc = db_open_connection(path, SQLITE_OPEN_READONLY, DB_PATIENCE_MS, &r, err, errsz);
    if (rc != SQLITE_OK) return rc;
    /* the session (scope, masking) belongs to the caller's connection: a
     * reader sees what its SQL asks for, so its callers filter by school */
    rc = db_exec(r, "PRAGMA query_only = ON", err, errsz);
    if (rc != SQLITE_OK) {
        sqlite3_close(r);
        return rc;
    }
    *out = r;
    return SQLITE_OK;
}

void db_close(sqlite3 *db)
{
    if (!db) return;
    db_state *st = state_of(db);
    if (st) {
        /* the kept gates close with their connection; a gate still lent
         * closes by itself later, no longer handed back */
        for (int i = 0; i < st->ngate_pool; i++) db_gate_destroy(st->gate_pool[i]);
        for (int i = 0; i < st->ngate_lent; i++) db_gate_orphan(st->gate_lent[i]);
        st->ngate_pool = st->ngate_lent = 0;
    }
    /* close_v2: a statement someone forgot to finalize keeps the
     * connection alive until it is, instead of failing the close; FTS5's own
     * statements are its to finalize, not ours. */
    sqlite3_close_v2(db);
}

/* ---- statements that wait ------------------------------------------- */

static bool is_busy(int rc)
{
    rc &= 0xff;
    return rc == SQLITE_BUSY || rc == SQLITE_LOCKED;
}

int db_exec(sqlite3 *db, const char *sql, char *err, size_t errsz)
{
    char *msg = NULL;
    int rc, waited = 0;
    while ((rc = sqlite3_exec(db, sql, NULL, NULL, &msg)) != SQLITE_OK && is_busy(rc) &&
           waited < DB_PATIENCE_MS) {
        sqlite3_free(msg); msg = NULL;
        sleep_ms(50); waited += 50;
    }
    if (rc != SQLITE_OK && err)
        snprintf(err, errsz, "%s", msg ? msg : sqlite3_errstr(rc));
    sqlite3_free(msg);
    return rc;
}

int db_prepare(sqlite3 *db, const char *sql, sqlite3_stmt **st)
{
    int rc, waited = 0;
    while ((rc = sqlite3_prepare_v2(db, sql, -1, st, NULL)) != SQLITE_OK && is_busy(rc) &&
           waited < DB_PATIENCE_MS) {
        sleep_ms(50); waited += 50;
    }
    return rc;
}

int db_step(sqlite3_stmt *st)
{
    int rc, waited = 0;
    while (is_busy(rc = sqlite3_step(st)) && waited < DB_PATIENCE_MS) {
        sqlite3_reset(st);
        sleep_ms(50); waited += 50;
    }
    return rc;
}

/* BEGIN IMMEDIATE takes the write lock at once: a deferred transaction that
 * reads first and then writes fails instantly with SQLITE_BUSY, whatever the
 * busy timeout (probes.md, SQLite case 3).  Once it succeeds, no statement of
 * the transaction can be busy: the connection holds the WAL write lock and
 * readers never block a writer.
 *
 * Waiting: the busy handler (sqlite3_busy_timeout) waits first; past it we
 * retry with a growing, jittered back-off (so eight writers that woke
 * together do not collide again in step) until DB_PATIENCE_MS.
 *
 * One busy code is not worth waiting for: SQLITE_BUSY_SNAPSHOT means this
 * connection still has a read open (a statement not reset) on an old
 * snapshot, and no amount of waiting makes it writable.  That is a bug in
 * the caller, reported at once instead of after two minutes. */
int db_begin(sqlite3 *db)
{
    int waited = 0, pause = 5;
    unsigned jitter = (unsigned)(uintptr_t)db ^ (unsigned)time(NULL);
    for (;;) {
        int rc = sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL);
        if (rc == SQLITE_OK || !is_busy(rc) || rc == SQLITE_BUSY_SNAPSHOT || waited >= DB_PATIENCE_MS)
            return rc;
        jitter = jitter * 1103515245u + 12345u;
        int ms = pause + (int)(jitter >> 16) % (pause + 1);
        sleep_ms(ms);
        waited += ms;
        if (pause < 200) pause *= 2;
    }
}

int db_commit(sqlite3 *db)
{
    /* In WAL mode a commit does not wait for readers; the loop covers a
     * rollback-journal database (a restored old file) all the same. */
    return db_exec(db, "COMMIT", NULL, 0);
}

void db_rollback(sqlite3 *db)
{
    if (!sqlite3_get_autocommit(db)) sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
}

long long db_query_int(sqlite3 *db, long long def, const char *sql, ...)
{
    sqlite3_stmt *st = NULL;
    long long v = def;
    if (db_prepare(db, sql, &st) != SQLITE_OK) return def;
    va_list ap;
    va_start(ap, sql);
    for (int i = 1; i <= sqlite3_bind_parameter_count(st); i++) {
        const char *p = va_arg(ap, const char *);
        if (!p) break;
        sqlite3_bind_text(st, i, p, -1, SQLITE_TRANSIENT);
    }
    va_end(ap);
    if (db_step(st) == SQLITE_ROW && sqlite3_column_type(st, 0) != SQLITE_NULL)
        v = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return v;
}

/* ---- migrations ----------------------------------------------------- */

int db_schema_version(sqlite3 *db)
{
    return (int)db_query_int(db, -1, "PRAGMA user_version", (const char *)NULL);
}

int db_schema_version_latest(void)
{
    return DB_MIGRATIONS[DB_NMIGRATIONS - 1].version;
}

int db_migrate(sqlite3 *db, char *err, size_t errsz)
{
    int have = db_schema_version(db);
    if (have < 0) { snprintf(err, errsz, "%s", sqlite3_errmsg(db)); return SQLITE_ERROR; }
    if (have > db_schema_version_latest()) {
        snprintf(err, errsz, "schema version %d is newer than this esis knows (%d)",
                 have, db_schema_version_latest());
        return SQLITE_ERROR;
    }
    for (int i = 0; i < DB_NMIGRATIONS; i++) {
        const db_migration *m = &DB_MIGRATIONS[i];
        if (m->version <= have) continue;
        int rc = db_begin(db);
        if (rc != SQLITE_OK) {
            snprintf(err, errsz, "migration %d (%s): %s", m->version, m->what, sqlite3_errmsg(db));
            return rc;
        }
        /* Another process may have applied it while we waited for the
         * lock (several sessions opening a new database at once): read
         * the version again under the lock. */
        have = db_schema_version(db);
        if (m->version <= have) { db_rollback(db); continue; }
        rc = db_exec(db, m->sql, err, errsz);
        if (rc == SQLITE_OK) rc = db_audit_triggers(db, err, errsz);
        if (rc == SQLITE_OK) {
            char sql[64];
            snprintf(sql, sizeof sql, "PRAGMA user_version=%d", m->version);
            rc = db_exec(db, sql, err, errsz);
        }
        if (rc == SQLITE_OK) rc = db_commit(db);
        if (rc != SQLITE_OK) {
            char tmp[400];
            snprintf(tmp, sizeof tmp, "%s", err ? err : "");
            snprintf(err, errsz, "migration %d (%s): %s", m->version, m->what, tmp);
            db_rollback(db);
            return rc;
        }
    }
    return SQLITE_OK;
}

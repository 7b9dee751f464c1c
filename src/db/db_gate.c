/*
 * db_gate.c: the read-only, scoped connection for the SQL of report files
 * and query rules (include/esis/db_gate.h says what it allows and why).
 *
 * Why an attached database under a random name, not the file as "main":
 * the authorizer tells a read of students through its view from a direct
 * one by the innermost view or CTE that makes it (its last argument), and
 * a query can name a CTE "students" too.  What a query cannot do is name
 * the schema the data is in, so a CTE of its own can only read the views.
 */
#include "db_internal.h"
#include "esis/db_gate.h"
#include "esis/strbuf.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/random.h>
#include <time.h>

struct db_gate {
    sqlite3          *db;
    sqlite3          *home;         /* the connection it is lent by and handed back to (NULL: none) */
    sqlite3          *copy_of;      /* an in-memory database (tests): copied in at each prepare */
    char              src[32];      /* the schema name of the data */
    char            **views;        /* tables read through a scoped view */
    int               nviews;
    char            **direct;       /* tables read as they are */
    int               ndirect;
    unsigned          flags;
    const db_session *session;
    char             *built;        /* the session the views were made for */
    bool              building;     /* esis's own SQL: the authorizer lets it */
    char              why[256];     /* the first refusal of the last prepare */
    long long         budget_ms;
    struct timespec   deadline;
    bool              timed_out;
};

/* Tables no report or rule reads, whatever the role: accounts, the audit
 * trail (old and new values of every school), drafts of forms, requests
 * with contact details, the search index and sort keys of names. */
static const char *const SECRET[] = {
    "users", "user_schools", "audit", "drafts", "access_requests", "service_requests",
    "sort_keys", NULL,
};

static bool secret(const char *t)
{
    for (int i = 0; SECRET[i]; i++)
        if (!strcmp(t, SECRET[i])) return true;
    return !strncmp(t, "sqlite_", 7) || strstr(t, "_fts") != NULL;
}

static bool listed(char *const *v, int n, const char *name)
{
    for (int i = 0; i < n; i++)
        if (!strcmp(v[i], name)) return true;
    return false;
}

static void refuse(db_gate *g, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Keep the first refusal of a prepare: the one that names the cause. */
static void refuse(db_gate *g, const char *fmt, ...)
{
    if (g->why[0]) return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(g->why, sizeof g->why, fmt, ap);
    va_end(ap);
}

/* ---- the authorizer --------------------------------------------------- */

static int gate_read(db_gate *g, const char *table, const char *col, const char *dbname,
                     const char *inner)
{
    if (!table || !dbname) return SQLITE_DENY;
    if (!strcmp(dbname, "temp")) {
        if (listed(g->views, g->nviews, table) || !strcmp(table, "esis_gate_schools")) return SQLITE_OK;
    } else if (!strcmp(dbname, g->src)) {
        if (listed(g->direct, g->ndirect, table)) return SQLITE_OK;
        /* the scoped view of the same name reading its own table */
        if (inner && !strcmp(inner, table) && listed(g->views, g->nviews, table)) return SQLITE_OK;
        /* "no column read" of a table that a view was flattened into
         * (SELECT count(*) FROM students): no value comes out of it, and
         * no query can name the data's schema to read it otherwise */
        if (col && !*col && listed(g->views, g->nviews, table)) return SQLITE_OK;
        if (listed(g->views, g->nviews, table)) {
            refuse(g, "reads the table %s around its scoped view (read it as %s)", table, table);
            return SQLITE_DENY;
        }
    }
    refuse(g, "reads %s, which reports and rules may not read", table);
    return SQLITE_DENY;
}

static const char *action_name(int action)
{
    switch (action) {
    case SQLITE_INSERT: return "INSERT";
    case SQLITE_UPDATE: return "UPDATE";
    case SQLITE_DELETE: return "DELETE";
    case SQLITE_TRANSACTION: return "a transaction";
    case SQLITE_SAVEPOINT: return "a savepoint";
    case SQLITE_ALTER_TABLE: return "ALTER TABLE";
    case SQLITE_CREATE_TEMP_VIEW: case SQLITE_CREATE_VIEW: return "CREATE VIEW";
    case SQLITE_CREATE_TEMP_TRIGGER: case SQLITE_CREATE_TRIGGER: return "CREATE TRIGGER";
    case SQLITE_CREATE_TEMP_TABLE: case SQLITE_CREATE_TABLE: return "CREATE TABLE";
    case SQLITE_CREATE_INDEX: case SQLITE_CREATE_TEMP_INDEX: return "CREATE INDEX";
    case SQLITE_CREATE_VTABLE: return "CREATE VIRTUAL TABLE";
    default: return "DROP, ANALYZE or the like";
    }
}

static int gate_authorize(void *user, int action, const char *a3, const char *a4,
                          const char *dbname, const char *inner)
{
    db_gate *g = user;
    if (g->building) return SQLITE_OK;
    switch (action) {
    case SQLITE_SELECT:
        return SQLITE_OK;
    case SQLITE_READ:
        return gate_read(g, a3, a4, dbname, inner);
    case SQLITE_FUNCTION:
        /* load_extension is off on the connection too; esis_state hands
         * out a pointer that is no business of a query */
        if (a4 && strcasecmp(a4, "load_extension") && strcasecmp(a4, "fts3_tokenizer") &&
            strcasecmp(a4, "esis_state") && strcasecmp(a4, "report_sqlfn_state"))
            return SQLITE_OK;
        refuse(g, "calls %s(), which reports and rules may not call", a4 ? a4 : "?");
        return SQLITE_DENY;
    case SQLITE_RECURSIVE:
        refuse(g, "uses a recursive CTE, which reports and rules may not use");
        return SQLITE_DENY;
    case SQLITE_PRAGMA:
        refuse(g, "runs PRAGMA %s: reports and rules only read", a3 ? a3 : "");
        return SQLITE_DENY;
    case SQLITE_ATTACH:
    case SQLITE_DETACH:
        refuse(g, "attaches or detaches a database: reports and rules only read");
        return SQLITE_DENY;
    default:
        refuse(g, "does more than read (%s%s%s): reports and rules only read", action_name(action),
               a3 ? " " : "", a3 ? a3 : "");
        return SQLITE_DENY;
    }
}

/* Past the run's budget: interrupt it (checked every few thousand steps). */
static int gate_progress(void *user)
{
    db_gate *g = user;
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    if (now.tv_sec > g->deadline.tv_sec ||
        (now.tv_sec == g->deadline.tv_sec && now.tv_nsec > g->deadline.tv_nsec)) {
        g->timed_out = true;
        return 1;
    }
    return 0;
}

/* ---- esis's own SQL on the gate ---------------------------------------- */

static int trusted_exec(db_gate *g, const char *sql, char *err, size_t errsz)
{
    g->building = true;
    int rc = db_exec(g->db, sql, err, errsz);
    g->building = false;
    return rc;
}

/* The tables of the data: each a scoped view (it has school rows) or
 * read as it is (no school rows, no personal column, not secret). */
static int classify(db_gate *g, char *err, size_t errsz)
{
    strbuf sql = STRBUF_INIT;
    strbuf_addf(&sql, "SELECT m.name, EXISTS (SELECT 1 FROM pragma_table_info(m.name, '%s') p"
                      " WHERE p.name = 'school_code'),"
                      " coalesce((SELECT t.personal_cols FROM \"%s\".esis_tables t WHERE t.name = m.name), '')"
                      " FROM \"%s\".sqlite_schema m WHERE m.type = 'table'", g->src, g->src, g->src);
    sqlite3_stmt *st = NULL;
    g->building = true;
    int rc = sql.failed ? SQLITE_NOMEM : db_prepare(g->db, strbuf_str(&sql), &st);
    strbuf_free(&sql);
    while (rc == SQLITE_OK && (rc = db_step(st)) == SQLITE_ROW) {
        rc = SQLITE_OK;
        const char *name = (const char *)sqlite3_column_text(st, 0);
        bool school = sqlite3_column_int(st, 1) != 0;
        const char *personal = (const char *)sqlite3_column_text(st, 2);
        if (!name || secret(name) || (!school && personal && *personal)) continue;
        char ***v = school ? &g->views : &g->direct;
        int *n = school ? &g->nviews : &g->ndirect;
        char **nv = realloc(*v, (size_t)(*n + 1) * sizeof *nv);
        if (nv) *v = nv;
        if (!nv || !(nv[*n] = strdup(name))) { rc = SQLITE_NOMEM; break; }
        (*n)++;
    }
    if (rc == SQLITE_DONE) rc = SQLITE_OK;
    if (rc != SQLITE_OK) snprintf(err, errsz, "the gate's tables: %s", sqlite3_errmsg(g->db));
    sqlite3_finalize(st);
    g->building = false;
    return rc;
}

/* What the views depend on: all schools or which, masked or not. */
static char *session_signature(const db_gate *g)
{
    const db_session *s = g->session;
    strbuf sb = STRBUF_INIT;
    bool mask = (g->flags & DB_GATE_MASK) && s && !s->see_personal;
    strbuf_add(&sb, mask ? "M" : "P");
    if (!s || s->all_schools) strbuf_add(&sb, "*");
    else for (int i = 0; i < s->nschools; i++) strbuf_addf(&sb, " %s", s->schools[i]);
    return strbuf_take(&sb);
}

/* The SELECT list of a table's view: its columns, personal ones masked. */
static int view_columns(db_gate *g, const char *table, bool mask, strbuf *sb)
{
    if (!mask) { strbuf_add(sb, "*"); return SQLITE_OK; }
    sqlite3_stmt *st = NULL;
    strbuf q = STRBUF_INIT;
    strbuf_addf(&q, "SELECT p.name, (SELECT 1 FROM \"%s\".esis_tables t WHERE t.name = ?1"
                    " AND instr(' ' || t.personal_cols || ' ', ' ' || p.name || ' ') > 0)"
                    " FROM pragma_table_info(?1, '%s') p ORDER BY p.cid", g->src, g->src);
    int rc = q.failed ? SQLITE_NOMEM : db_prepare(g->db, strbuf_str(&q), &st);
    strbuf_free(&q);
    if (rc != SQLITE_OK) return rc;
    sqlite3_bind_text(st, 1, table, -1, SQLITE_STATIC);
    int n = 0;
    while ((rc = db_step(st)) == SQLITE_ROW) {
        const char *c = (const char *)sqlite3_column_text(st, 0);
        if (sqlite3_column_int(st, 1)) strbuf_addf(sb, "%sesis_mask(\"%s\") AS \"%s\"", n ? ", " : "", c, c);
        else strbuf_addf(sb, "%s\"%s\"", n ? ", " : "", c);
        n++;
    }
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? SQLITE_OK : rc;
}

/* Make the views (and the table of schools) for the current session. */
static int build_views(db_gate *g, char *err, size_t errsz)
{
    char *sig = session_signature(g);
    if (!sig) { snprintf(err, errsz, "out of memory"); return SQLITE_NOMEM; }
    db_session_set(g->db, g->session);
    if (g->built && !strcmp(g->built, sig)) { free(sig); return SQLITE_OK; }
    const db_session *s = g->session;
    bool all = !s || s->all_schools;
    bool mask = sig[0] == 'M';
    strbuf sql = STRBUF_INIT;
    strbuf_add(&sql, "PRAGMA query_only = 0; DELETE FROM temp.esis_gate_schools;");
    for (int i = 0; !all && i < s->nschools; i++) {
        char *q = sqlite3_mprintf("INSERT OR IGNORE INTO temp.esis_gate_schools VALUES (%Q);", s->schools[i]);
        if (q) strbuf_add(&sql, q);
        else sql.failed = true;
        sqlite3_free(q);
    }
    int rc = SQLITE_OK;
    g->building = true;
    for (int i = 0; i < g->nviews && rc == SQLITE_OK; i++) {
        const char *t = g->views[i];
        strbuf_addf(&sql, "DROP VIEW IF EXISTS temp.\"%s\"; CREATE TEMP VIEW \"%s\" AS SELECT ", t, t);
        rc = view_columns(g, t, mask, &sql);
        strbuf_addf(&sql, " FROM \"%s\".\"%s\"%s;", g->src, t,
                    all ? "" : " WHERE school_code IN (SELECT school_code FROM temp.esis_gate_schools)");
    }
    g->building = false;
    strbuf_add(&sql, "PRAGMA query_only = 1;");
    if (rc == SQLITE_OK && sql.failed) rc = SQLITE_NOMEM;
    if (rc == SQLITE_OK) rc = trusted_exec(g, strbuf_str(&sql), err, errsz);
    else snprintf(err, errsz, "the gate's views: %s", sqlite3_errstr(rc));
    strbuf_free(&sql);
    if (rc != SQLITE_OK) { free(sig); free(g->built); g->built = NULL; return rc; }
    free(g->built);
    g->built = sig;
    return SQLITE_OK;
}

/* ---- open, close ------------------------------------------------------- */

/* "file:" URI of a path (every byte but the unreserved ones escaped). */
static char *file_uri(const char *path)
{
    strbuf sb = STRBUF_INIT;
    strbuf_add(&sb, "file:");
    for (const unsigned char *p = (const unsigned char *)path; *p; p++) {
        if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
            strchr("/._-~", *p))
            strbuf_addc(&sb, (char)*p);
        else
            strbuf_addf(&sb, "%%%02X", *p);
    }
    strbuf_add(&sb, "?mode=ro");
    return strbuf_take(&sb);
}

static int attach_data(db_gate *g, const char *path, char *err, size_t errsz)
{
    unsigned char r[8];
    if (getrandom(r, sizeof r, 0) != (ssize_t)sizeof r) {
        snprintf(err, errsz, "no random bytes for the gate");
        return SQLITE_ERROR;
    }
    snprintf(g->src, sizeof g->src, "esis_%02x%02x%02x%02x%02x%02x%02x%02x",
             r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7]);
    char *uri = path ? file_uri(path) : strdup(":memory:");
    sqlite3_stmt *st = NULL;
    int rc = uri ? db_prepare(g->db, "ATTACH ?1 AS ?2", &st) : SQLITE_NOMEM;
    if (rc == SQLITE_OK) {
        sqlite3_bind_text(st, 1, uri, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 2, g->src, -1, SQLITE_STATIC);
        rc = db_step(st) == SQLITE_DONE ? SQLITE_OK : sqlite3_errcode(g->db);
    }
    if (rc != SQLITE_OK) snprintf(err, errsz, "%s: %s", path ? path : ":memory:", sqlite3_errmsg(g->db));
    sqlite3_finalize(st);
    free(uri);
    return rc;
}

/* What the connection may never do, whatever the authorizer says. */
static int lock_down(db_gate *g, char *err, size_t errsz)
{
    int off = 0;
    sqlite3_db_config(g->db, SQLITE_DBCONFIG_ENABLE_LOAD_EXTENSION, 0, &off);
    sqlite3_db_config(g->db, SQLITE_DBCONFIG_DEFENSIVE, 1, &off);
    sqlite3_db_config(g->db, SQLITE_DBCONFIG_ENABLE_TRIGGER, 0, &off);
    sqlite3_limit(g->db, SQLITE_LIMIT_ATTACHED, 0);
    sqlite3_limit(g->db, SQLITE_LIMIT_LENGTH, 16 * 1024 * 1024);
    sqlite3_limit(g->db, SQLITE_LIMIT_SQL_LENGTH, 1024 * 1024);
    char sql[256];
    /* no memory map (resident memory must not grow with the file), a
     * page cache as a batch check's workers had */
    snprintf(sql, sizeof sql, "PRAGMA \"%s\".mmap_size = 0; PRAGMA \"%s\".cache_size = -16384;"
             " CREATE TEMP TABLE esis_gate_schools(school_code TEXT PRIMARY KEY) WITHOUT ROWID;",
             g->src, g->src);
    int rc = trusted_exec(g, sql, err, errsz);
    if (rc == SQLITE_OK) {
        sqlite3_set_authorizer(g->db, gate_authorize, g);
        sqlite3_progress_handler(g->db, 4096, gate_progress, g);
    }
    return rc;
}

/* An in-memory database has no file for a second connection: the gate
 * reads a copy of it instead, taken again at each prepare (the databases
 * of tests and fuzzers, a few pages).  The copy is read-only too. */
static int copy_in(db_gate *g, char *err, size_t errsz)
{
    sqlite3_int64 size = 0;
    unsigned char *bytes = sqlite3_serialize(g->copy_of, "main", &size, 0);
    if (!bytes) { snprintf(err, errsz, "cannot copy the in-memory database"); return SQLITE_NOMEM; }
    g->building = true;          /* sqlite3_deserialize runs an ATTACH of its own */
    int rc = sqlite3_deserialize(g->db, g->src, bytes, size, size,
                                 SQLITE_DESERIALIZE_FREEONCLOSE | SQLITE_DESERIALIZE_READONLY);
    g->building = false;
    if (rc != SQLITE_OK) snprintf(err, errsz, "cannot copy the in-memory database: %s", sqlite3_errstr(rc));
    return rc;
}

/* A gate as a new one is: the session, flags and budget it is lent for,
 * no refusal, and the views of that session (build_views makes them again
 * only when the session's signature differs from the one they were made
 * for, so a gate lent again to the same session keeps its views). */
static int gate_ready(db_gate *g, const db_session *s, unsigned flags, char *err, size_t errsz)
{
    g->flags = flags;
    g->session = s;
    g->budget_ms = 600000;
    g->timed_out = false;
    g->why[0] = '\0';
    return build_views(g, err, errsz);
}

static int gate_open_new(sqlite3 *db, db_gate **out, char *err, size_t errsz)
{
    *out = NULL;
    const char *path = sqlite3_db_filename(db, "main");
    db_gate *g = calloc(1, sizeof *g);
    if (!g) { snprintf(err, errsz, "out of memory"); return SQLITE_NOMEM; }
    int rc = db_open_connection(":memory:", SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_URI,
                                120000, &g->db, err, errsz);
    if (rc == SQLITE_OK) rc = attach_data(g, path && *path ? path : NULL, err, errsz);
    if (rc == SQLITE_OK && !(path && *path)) {
        g->copy_of = db;
        rc = copy_in(g, err, errsz);
    }
    if (rc == SQLITE_OK) rc = classify(g, err, errsz);
    if (rc == SQLITE_OK) rc = lock_down(g, err, errsz);
    if (rc != SQLITE_OK) { db_gate_destroy(g); return rc; }
    *out = g;
    return SQLITE_OK;
}

int db_gate_open(sqlite3 *db, const db_session *s, unsigned flags, db_gate **out,
                 char *err, size_t errsz)
{
    *out = NULL;
    db_gate *g = db_state_gate_take(db);
    if (!g) {
        int rc = gate_open_new(db, &g, err, errsz);
        if (rc != SQLITE_OK) return rc;
        if (!g->copy_of && db_state_gate_lend(db, g)) g->home = db;
    } else {
        g->home = db;
    }
    int rc = gate_ready(g, s, flags, err, errsz);
    if (rc != SQLITE_OK) { db_gate_close(g); return rc; }
    *out = g;
    return SQLITE_OK;
}

int db_gate_reserve(sqlite3 *db, int n, char *err, size_t errsz)
{
    for (int i = 0; i < n; i++) {
        db_gate *g = NULL;
        int rc = gate_open_new(db, &g, err, errsz);
        if (rc != SQLITE_OK) return rc;
        /* one read now: it opens the data's -wal and -shm, which SQLite
         * keeps open for the connection's life (include/esis/privilege.h) */
        rc = gate_ready(g, NULL, 0, err, errsz);
        if (rc == SQLITE_OK) {
            char sql[96];
            snprintf(sql, sizeof sql, "SELECT count(*) FROM \"%s\".sqlite_schema", g->src);
            rc = trusted_exec(g, sql, err, errsz);
        }
        if (rc != SQLITE_OK || !db_state_gate_keep(db, g)) { db_gate_destroy(g); return rc; }
    }
    return SQLITE_OK;
}

void db_gate_orphan(db_gate *g)
{
    if (g) g->home = NULL;
}

void db_gate_close(db_gate *g)
{
    if (!g) return;
    if (g->home && !g->copy_of && db_state_gate_keep(g->home, g)) {
        g->home = NULL;
        return;
    }
    db_gate_destroy(g);
}

void db_gate_destroy(db_gate *g)
{
    if (!g) return;
    db_close(g->db);
    for (int i = 0; i < g->nviews; i++) free(g->views[i]);
    for (int i = 0; i < g->ndirect; i++) free(g->direct[i]);
    free(g->views);
    free(g->direct);
    free(g->built);
    free(g);
}

void db_gate_session(db_gate *g, const db_session *s)
{
    g->session = s;
}

void db_gate_budget(db_gate *g, long long ms)
{
    g->budget_ms = ms;
}

sqlite3 *db_gate_handle(const db_gate *g)
{
    return g->db;
}

/* SQLite's message with the data's schema name taken out (an error such
 * as "access to <schema>.students.id is prohibited" would hand it over). */
static void scrubbed(const db_gate *g, const char *msg, char *out, size_t outsz)
{
    size_t n = 0, sl = strlen(g->src);
    for (const char *p = msg; *p && n + 1 < outsz; ) {
        if (!strncmp(p, g->src, sl)) {
            n += (size_t)snprintf(out + n, outsz - n, "data");
            p += sl;
        } else {
            out[n++] = *p++;
        }
    }
    out[n < outsz ? n : outsz - 1] = '\0';
}

const char *db_gate_error(const db_gate *g)
{
    static _Thread_local char buf[512];
    if (g->timed_out) {
        snprintf(buf, sizeof buf, "stopped: over its time budget of %lld s", g->budget_ms / 1000);
        return buf;
    }
    scrubbed(g, sqlite3_errmsg(g->db), buf, sizeof buf);
    return buf;
}

int db_gate_prepare(db_gate *g, const char *sql, sqlite3_stmt **st, const char **tail,
                    char *err, size_t errsz)
{
    *st = NULL;
    int rc = g->copy_of ? copy_in(g, err, errsz) : SQLITE_OK;
    if (rc == SQLITE_OK) rc = build_views(g, err, errsz);
    if (rc != SQLITE_OK) return rc;
    g->why[0] = '\0';
    g->timed_out = false;
    clock_gettime(CLOCK_MONOTONIC, &g->deadline);
    g->deadline.tv_sec += (time_t)(g->budget_ms / 1000);
    g->deadline.tv_nsec += (long)(g->budget_ms % 1000) * 1000000L;
    if (g->deadline.tv_nsec >= 1000000000L) { g->deadline.tv_sec++; g->deadline.tv_nsec -= 1000000000L; }
    rc = sqlite3_prepare_v2(g->db, sql, -1, st, tail);
    if (rc == SQLITE_OK && *st && !sqlite3_stmt_readonly(*st)) {
        refuse(g, "does more than read: reports and rules only read");
        sqlite3_finalize(*st);
        *st = NULL;
        rc = SQLITE_AUTH;
    }
    if (rc != SQLITE_OK) {
        if (g->why[0]) snprintf(err, errsz, "%s", g->why);
        else scrubbed(g, sqlite3_errmsg(g->db), err, errsz);
        if ((rc & 0xff) == SQLITE_AUTH || g->why[0]) rc = SQLITE_AUTH;
    }
    return rc;
}

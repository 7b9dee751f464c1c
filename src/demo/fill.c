/*
 * fill.c: the database sink: the generator's rows into an esis database.
 *
 * One prepared INSERT per table, built from the table's column list, and
 * one transaction per batch (a table, or a round of students), split every
 * 100,000 rows so the WAL stays small with a million students.  The rows go
 * through the audit and full-text triggers like any other insert: that is
 * why the connection must come from db_open (the triggers call
 * esis_actor()), except that the FTS and sort-key rows of each
 * transaction's new rows are built at its end in one statement per index
 * (db_index_defer/flush).
 */
#include "demo_internal.h"
#include "esis/db.h"
#include "esis/strbuf.h"

#include <stdio.h>
#include <string.h>

#define FILL_TABLES 16
#define FILL_COMMIT_EVERY 100000L

typedef struct fill_ctx {
    sqlite3 *db;
    const demo_table *tables[FILL_TABLES];
    sqlite3_stmt *stmts[FILL_TABLES];
    int ntables;
    bool in_tx;
    long rows_in_tx;
    char *err;
    size_t errsz;
} fill_ctx;

static sqlite3_stmt *statement(fill_ctx *f, const demo_table *t)
{
    for (int i = 0; i < f->ntables; i++)
        if (f->tables[i] == t) return f->stmts[i];
    if (f->ntables == FILL_TABLES) return NULL;
    strbuf sql = STRBUF_INIT;
    strbuf_addf(&sql, "INSERT INTO %s(", t->name);
    for (int i = 0; i < t->ncols; i++)
        strbuf_addf(&sql, "%s%s", i ? "," : "", t->cols[i].db);
    strbuf_add(&sql, ") VALUES (");
    for (int i = 0; i < t->ncols; i++) strbuf_add(&sql, i ? ",?" : "?");
    strbuf_add(&sql, ")");
    if (sql.failed) {
        strbuf_free(&sql);
        snprintf(f->err, f->errsz, "demo: out of memory");
        return NULL;
    }
    sqlite3_stmt *st = NULL;
    int rc = db_prepare(f->db, strbuf_str(&sql), &st);
    strbuf_free(&sql);
    if (rc != SQLITE_OK) {
        snprintf(f->err, f->errsz, "demo: %s: %s", t->name, sqlite3_errmsg(f->db));
        return NULL;
    }
    f->tables[f->ntables] = t;
    f->stmts[f->ntables++] = st;
    return st;
}

/* The big tables' FTS and sort keys are built once per transaction, at its
 * end, by db_index_flush (see db_index.c): a third of the fill's time when
 * the triggers did it row by row. */
static const char *const DEFERRED_TABLES[] = { "schools", "staff", "students" };

static int commit(fill_ctx *f)
{
    if (!f->in_tx) return 0;
    f->in_tx = false;
    f->rows_in_tx = 0;
    char why[256] = "";
    if (db_index_flush(f->db, why, sizeof why) != SQLITE_OK) {
        snprintf(f->err, f->errsz, "demo: indexes: %s", why);
        db_rollback(f->db);
        return -1;
    }
    if (db_commit(f->db) != SQLITE_OK) {
        snprintf(f->err, f->errsz, "demo: commit: %s", sqlite3_errmsg(f->db));
        return -1;
    }
    return 0;
}

static int fill_row(void *user, const demo_table *t, const char *const *v)
{
    fill_ctx *f = user;
    if (!t || f->rows_in_tx >= FILL_COMMIT_EVERY) {
        if (commit(f)) return -1;
        if (!t) return 0;
    }
    if (!f->in_tx) {
        if (db_begin(f->db) != SQLITE_OK) {
            snprintf(f->err, f->errsz, "demo: begin: %s", sqlite3_errmsg(f->db));
            return -1;
        }
        f->in_tx = true;
        char why[256] = "";
        for (size_t i = 0; i < sizeof DEFERRED_TABLES / sizeof DEFERRED_TABLES[0]; i++)
            if (db_index_defer(f->db, DEFERRED_TABLES[i], why, sizeof why) != SQLITE_OK) {
                snprintf(f->err, f->errsz, "demo: indexes: %s", why);
                return -1;
            }
    }
    sqlite3_stmt *st = statement(f, t);
    if (!st) return -1;
    for (int i = 0; i < t->ncols; i++) {
        if (v[i]) sqlite3_bind_text(st, i + 1, v[i], -1, SQLITE_STATIC);
        else sqlite3_bind_null(st, i + 1);
    }
    int rc = db_step(st);
    sqlite3_reset(st);
    if (rc != SQLITE_DONE) {
        snprintf(f->err, f->errsz, "demo: %s row for school %s: %s", t->name,
                 v[0] ? v[0] : "?", sqlite3_errmsg(f->db));
        return -1;
    }
    f->rows_in_tx++;
    return 0;
}

int demo_fill_counted(sqlite3 *db, const demo_opts *o, demo_counts *counts,
                      char *err, size_t errsz)
{
    demo_world w;
    demo_counts local;
    if (!counts) counts = &local;
    memset(counts, 0, sizeof *counts);
    if (db_query_int(db, -1, "SELECT (SELECT count(*) FROM schools) + (SELECT count(*) FROM rounds)"
                             " + (SELECT count(*) FROM students)", (const char *)NULL) != 0) {
        snprintf(err, errsz, "demo: the database is not empty (or not an esis database)");
        return -1;
    }
    if (demo_world_init(&w, o, err, errsz)) return -1;
    /* Each insert fires the audit and full-text triggers, so SQLite keeps a
     * statement journal per row: in a temporary file that is ~16 writes a
     * row, in memory none.  A larger page cache keeps the indexes' pages
     * from spilling mid-transaction.  Both are put back afterwards. */
    long long temp_store = db_query_int(db, 0, "PRAGMA temp_store", (const char *)NULL);
    long long cache = db_query_int(db, -2000, "PRAGMA cache_size", (const char *)NULL);
    db_exec(db, "PRAGMA temp_store=MEMORY; PRAGMA cache_size=-262144", NULL, 0);
    fill_ctx f = { .db = db, .err = err, .errsz = errsz };
    /* A bulk load: one audit row for the whole district, not one a row. */
    db_bulk_begin(db);
    int rc = demo_generate(&w, DEMO_GEN_ALL, (1u << DEMO_ROUNDS_MAX) - 1, fill_row, &f, counts);
    if (!rc) rc = commit(&f);
    if (rc && f.in_tx) { db_index_cancel(db); db_rollback(db); }
    if (!rc) {
        char what[160];
        snprintf(what, sizeof what, "demo district: %ld schools, %ld student rows, seed %lu",
                 counts->schools, counts->students, o->seed);
        rc = db_bulk_end(db, "*", what, counts->schools + counts->students + counts->staff + counts->buildings)
             == SQLITE_OK ? 0 : -1;
        if (rc) snprintf(err, errsz, "demo: audit: %s", sqlite3_errmsg(db));
    } else {
        db_bulk_cancel(db);
    }
    for (int i = 0; i < f.ntables; i++) sqlite3_finalize(f.stmts[i]);
    char restore[96];
    snprintf(restore, sizeof restore, "PRAGMA temp_store=%lld; PRAGMA cache_size=%lld",
             temp_store, cache);
    db_exec(db, restore, NULL, 0);
    demo_world_free(&w);
    return rc ? -1 : 0;
}

int demo_fill(sqlite3 *db, const demo_opts *o, char *err, size_t errsz)
{
    return demo_fill_counted(db, o, NULL, err, errsz);
}

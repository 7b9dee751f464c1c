/*
 * db_index.c: the search and sort indexes of a bulk load, built once at its
 * end instead of one row at a time.
 *
 * Two side structures follow every row of the big tables: the trigram FTS5
 * index (students_fts, migration 2) and the Thai sort keys (sort_keys,
 * migration 4), each kept by triggers.  Fired per row, those triggers were
 * two thirds of an import's CPU: each runs a sub-program, FTS5 adds one
 * row's trigrams to its pending list, and each sort key lands at a random
 * place of a large B-tree.  The same work as one INSERT ... SELECT per index
 * over the new rows is several times cheaper.
 *
 * So, inside the caller's transaction, db_index_defer(db, table) notes the
 * table's largest rowid and turns on a per-connection flag that the
 * triggers' WHEN clause reads through esis_index_deferred(table, rowid)
 * (migration 6): rows above that rowid are left alone by every index
 * trigger (insert, update, delete), so a row inserted and then changed or
 * deleted by the same load costs nothing until the end.  db_index_flush
 * turns the flag off and inserts the index rows of every row above the
 * mark as the table holds it then, in the same transaction: after COMMIT
 * the indexes are exactly what the per-row triggers would have made, and
 * a ROLLBACK takes the rows and their (unwritten) index rows away together.
 * Rows at or below the mark (those an import updates) keep their per-row
 * upkeep throughout.
 *
 * Which indexes a table has is read from the schema: FTS5 tables whose
 * content= is the table, the sort_key_cols catalogue, and the steps of the
 * index_upkeep catalogue (migration 10: the students' counts).
 */
#include "db_internal.h"
#include "esis/strbuf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The index rows of the new rows in every FTS5 table whose external
 * content is `table`; its columns come from pragma table_info. */
static int flush_fts(sqlite3 *db, const char *table, long long after, char *err, size_t errsz)
{
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(db, "SELECT name, sql FROM sqlite_schema WHERE type = 'table'"
                                " AND sql LIKE 'CREATE VIRTUAL TABLE%fts5%'", -1, &st, NULL);
    if (rc != SQLITE_OK) { snprintf(err, errsz, "%s", sqlite3_errmsg(db)); return rc; }
    char want[160];
    snprintf(want, sizeof want, "content='%s'", table);
    strbuf sql = STRBUF_INIT;
    while (rc == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW) {
        const char *name = (const char *)sqlite3_column_text(st, 0);
        const char *def = (const char *)sqlite3_column_text(st, 1);
        if (!def || !strstr(def, want)) continue;
        const char *rid = strstr(def, "content_rowid='");
        char rowid[64] = "rowid";
        if (rid && sscanf(rid + 15, "%63[A-Za-z0-9_]", rowid) != 1) snprintf(rowid, sizeof rowid, "rowid");
        /* INSERT INTO fts(rowid, a, b) SELECT id, a, b FROM table WHERE id > after */
        strbuf cols = STRBUF_INIT;
        sqlite3_stmt *ti = NULL;
        rc = sqlite3_prepare_v2(db, "SELECT name FROM pragma_table_info(?1) ORDER BY cid", -1, &ti, NULL);
        if (rc == SQLITE_OK) {
            sqlite3_bind_text(ti, 1, name, -1, SQLITE_STATIC);
            while (sqlite3_step(ti) == SQLITE_ROW)
                strbuf_addf(&cols, ", \"%s\"", (const char *)sqlite3_column_text(ti, 0));
        }
        sqlite3_finalize(ti);
        strbuf_reset(&sql);
        strbuf_addf(&sql, "INSERT INTO \"%s\"(rowid%s) SELECT \"%s\"%s FROM \"%s\" WHERE \"%s\" > %lld",
                    name, strbuf_str(&cols), rowid, strbuf_str(&cols), table, rowid, after);
        strbuf_free(&cols);
        if (rc == SQLITE_OK)
            rc = sql.failed ? SQLITE_NOMEM : db_exec(db, strbuf_str(&sql), err, errsz);
    }
    sqlite3_finalize(st);
    strbuf_free(&sql);
    return rc;
}

/* The Thai sort keys of the new rows, for every column of sort_key_cols. */
static int flush_sort_keys(sqlite3 *db, const char *table, long long after, char *err, size_t errsz)
{
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(db, "SELECT col, grp_col FROM sort_key_cols WHERE tbl = ?1", -1, &st, NULL);
    if (rc != SQLITE_OK) { snprintf(err, errsz, "%s", sqlite3_errmsg(db)); return rc; }
    sqlite3_bind_text(st, 1, table, -1, SQLITE_STATIC);
    strbuf sql = STRBUF_INIT;
    while (rc == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW) {
        const char *col = (const char *)sqlite3_column_text(st, 0);
        const char *grp = (const char *)sqlite3_column_text(st, 1);
        strbuf_reset(&sql);
        strbuf_add(&sql, "INSERT OR REPLACE INTO sort_keys(tbl, col, grp, key, row_id) SELECT ");
        strbuf_add_sql_literal(&sql, table);
        strbuf_add(&sql, ", ");
        strbuf_add_sql_literal(&sql, col);
        if (grp && *grp) strbuf_addf(&sql, ", \"%s\"", grp);
        else strbuf_add(&sql, ", ''");
        strbuf_addf(&sql, ", thai_key(\"%s\"), id FROM \"%s\" WHERE id > %lld", col, table, after);
        rc = sql.failed ? SQLITE_NOMEM : db_exec(db, strbuf_str(&sql), err, errsz);
    }
    sqlite3_finalize(st);
    strbuf_free(&sql);
    return rc;
}

/* The table's other deferred upkeep: each step of index_upkeep (SQL whose
 * ?1 is the rowid above which the load's rows are), in name order. */
static int flush_steps(sqlite3 *db, const char *table, long long after, char *err, size_t errsz)
{
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(db, "SELECT name, step FROM index_upkeep WHERE tbl = ?1 ORDER BY name",
                                -1, &st, NULL);
    if (rc != SQLITE_OK) { snprintf(err, errsz, "%s", sqlite3_errmsg(db)); return rc; }
    sqlite3_bind_text(st, 1, table, -1, SQLITE_STATIC);
    while (rc == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW) {
        const char *name = (const char *)sqlite3_column_text(st, 0);
        sqlite3_stmt *step = NULL;
        rc = sqlite3_prepare_v2(db, (const char *)sqlite3_column_text(st, 1), -1, &step, NULL);
        if (rc == SQLITE_OK) {
            sqlite3_bind_int64(step, 1, after);
            rc = db_step(step) == SQLITE_DONE ? SQLITE_OK : SQLITE_ERROR;
        }
        if (rc != SQLITE_OK) snprintf(err, errsz, "%s: %s", name, sqlite3_errmsg(db));
        sqlite3_finalize(step);
    }
    sqlite3_finalize(st);
    return rc;
}

int db_index_defer(sqlite3 *db, const char *table, char *err, size_t errsz)
{
    char q[200];
    snprintf(q, sizeof q, "SELECT coalesce(max(rowid), 0) FROM \"%s\"", table);
    long long after = db_query_int(db, -1, q, (const char *)NULL);
    if (after < 0) { snprintf(err, errsz, "%s: %s", table, sqlite3_errmsg(db)); return SQLITE_ERROR; }
    if (db_state_defer(db, table, after) != 0) {
        snprintf(err, errsz, "%s: too many tables deferred at once", table);
        return SQLITE_ERROR;
    }
    return SQLITE_OK;
}

int db_index_flush(sqlite3 *db, char *err, size_t errsz)
{
    char table[DB_DEFER_NAME];
    long long after;
    int rc = SQLITE_OK;
    /* Each table's deferral ends before its rows are indexed: the INSERTs
     * below fire no trigger of the table itself, but nothing is left
     * deferred behind them either. */
    while (rc == SQLITE_OK && db_state_undefer(db, table, &after)) {
        rc = flush_fts(db, table, after, err, errsz);
        if (rc == SQLITE_OK) rc = flush_sort_keys(db, table, after, err, errsz);
        if (rc == SQLITE_OK) rc = flush_steps(db, table, after, err, errsz);
    }
    if (rc != SQLITE_OK) db_index_cancel(db);
    return rc;
}

void db_index_cancel(sqlite3 *db)
{
    char table[DB_DEFER_NAME];
    long long after;
    while (db_state_undefer(db, table, &after)) {}
}

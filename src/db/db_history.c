/*
 * db_history.c: the audit trail read back, through the gate.
 *
 * The audit triggers (db_audit.c) write one row per change with the changed
 * fields as two JSON objects (old and new).  Readers want fields, not JSON:
 * for each audit row we split both objects with SQLite's json_each, join
 * them by key and hand the callback a list of (field, old, new) in column
 * order.  Nothing here parses JSON in C.
 *
 * The gate: rows are limited with db_scope_sql on audit.school_code, so a
 * school officer sees the history of their schools only, and rows of no
 * school (users, rounds, the office's own work) not at all.  Personal
 * values (the table's personal columns in the esis_tables catalogue, also
 * where they appear in the natural key) are masked for sessions that may
 * not see personal data, exactly as db_record_load masks them.
 *
 * The WHERE clause is built from the filters that are set (no "?1 IS NULL
 * OR ..." patterns) so SQLite can use the audit_row and audit_school
 * indexes.
 */
#include "db_internal.h"
#include "esis/strbuf.h"
#include "esis/text.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char SPLIT_SQL[] =
    "SELECT key, max(o), max(n) FROM ("
    " SELECT key, id AS ord, 0 AS side, value AS o, NULL AS n FROM json_each(?1)"
    " UNION ALL SELECT key, id, 1, NULL, value FROM json_each(?2))"
    " GROUP BY key ORDER BY min(side * 1000000000 + ord)";

/* Is `word` one of the space-separated words of `list`? */
static bool has_word(const char *list, const char *word)
{
    size_t n = strlen(word);
    for (const char *p = list; p && *p;) {
        while (*p == ' ') p++;
        const char *e = strchr(p, ' ');
        size_t len = e ? (size_t)(e - p) : strlen(p);
        if (len == n && len && !strncmp(p, word, n)) return true;
        p = e ? e : p + len;
    }
    return false;
}

static char *dup_or_null(const unsigned char *s)
{
    return s ? strdup((const char *)s) : NULL;
}

/* The natural key with its personal components masked ("2567-1/1074000001/1xxxxxxxxxx11"). */
static char *masked_key(const char *key, const char *key_cols, const char *personal)
{
    char *out = strdup(key);
    if (!out) return NULL;
    char cols[256];
    snprintf(cols, sizeof cols, "%s", key_cols);
    char *part = out, *save = NULL;
    for (char *c = strtok_r(cols, " ", &save); c && part; c = strtok_r(NULL, " ", &save)) {
        char *slash = strchr(part, '/');
        if (slash) *slash = '\0';
        if (has_word(personal, c)) text_mask_id(part, part);
        if (slash) *slash = '/';
        part = slash ? slash + 1 : NULL;
    }
    return out;
}

typedef struct changes {
    db_change *v;
    int n;
} changes;

static void changes_free(changes *c)
{
    for (int i = 0; i < c->n; i++) {
        free((char *)c->v[i].field);
        free((char *)c->v[i].old_value);
        free((char *)c->v[i].new_value);
    }
    free(c->v);
    c->v = NULL;
    c->n = 0;
}

static int split_changes(sqlite3_stmt *split, const char *old_json, const char *new_json,
                         const char *personal, bool mask, changes *out)
{
    sqlite3_reset(split);
    sqlite3_bind_text(split, 1, old_json, -1, SQLITE_STATIC);
    sqlite3_bind_text(split, 2, new_json, -1, SQLITE_STATIC);
    int rc;
    while ((rc = db_step(split)) == SQLITE_ROW) {
        db_change *v = realloc(out->v, sizeof *v * (size_t)(out->n + 1));
        if (!v) return SQLITE_NOMEM;
        out->v = v;
        db_change *c = &v[out->n++];
        c->field = dup_or_null(sqlite3_column_text(split, 0));
        c->old_value = dup_or_null(sqlite3_column_text(split, 1));
        c->new_value = dup_or_null(sqlite3_column_text(split, 2));
        if (!c->field) return SQLITE_NOMEM;
        if (mask && has_word(personal, c->field)) {
            if (c->old_value) text_mask_id(c->old_value, (char *)c->old_value);
            if (c->new_value) text_mask_id(c->new_value, (char *)c->new_value);
        }
    }
    return rc == SQLITE_DONE ? SQLITE_OK : rc;
}

/* Build the query for filter f; parameters are bound in the same order. */
static void build_sql(sqlite3 *db, const db_history_filter *f, strbuf *sql)
{
    char scope[128];
    strbuf_addf(sql, "SELECT a.id, a.at, a.actor, a.origin, a.table_name, coalesce(a.row_id, 0),"
                     " coalesce(a.row_key, ''), a.school_code, a.round_code, a.action,"
                     " a.old_values, a.new_values, coalesce(t.personal_cols, ''), coalesce(t.key_cols, '')"
                     " FROM audit a LEFT JOIN esis_tables t ON t.name = a.table_name WHERE %s",
                db_scope_sql(db, "a.school_code", scope, sizeof scope));
    int k = 0;
    if (f->table) strbuf_addf(sql, " AND a.table_name = ?%d", ++k);
    if (f->table && f->row_id > 0) strbuf_addf(sql, " AND a.row_id = ?%d", ++k);
    if (f->school_code) strbuf_addf(sql, " AND a.school_code = ?%d", ++k);
    if (f->round_code) strbuf_addf(sql, " AND a.round_code = ?%d", ++k);
    if (f->actor) strbuf_addf(sql, " AND a.actor = ?%d", ++k);
    if (f->since) strbuf_addf(sql, " AND a.at >= ?%d", ++k);
    if (f->until) strbuf_addf(sql, " AND a.at < ?%d", ++k);
    strbuf_addf(sql, " ORDER BY a.id%s", f->newest_first ? " DESC" : "");
    if (f->limit > 0) strbuf_addf(sql, " LIMIT %d", f->limit);
}

static void bind_filter(sqlite3_stmt *st, const db_history_filter *f)
{
    int k = 0;
    if (f->table) sqlite3_bind_text(st, ++k, f->table, -1, SQLITE_STATIC);
    if (f->table && f->row_id > 0) sqlite3_bind_int64(st, ++k, f->row_id);
    if (f->school_code) sqlite3_bind_text(st, ++k, f->school_code, -1, SQLITE_STATIC);
    if (f->round_code) sqlite3_bind_text(st, ++k, f->round_code, -1, SQLITE_STATIC);
    if (f->actor) sqlite3_bind_text(st, ++k, f->actor, -1, SQLITE_STATIC);
    if (f->since) sqlite3_bind_text(st, ++k, f->since, -1, SQLITE_STATIC);
    if (f->until) sqlite3_bind_text(st, ++k, f->until, -1, SQLITE_STATIC);
}

#define COL_TEXT(st, i) ((const char *)sqlite3_column_text((st), (i)))

/* A row a bulk import inserted has no audit row of its own (db_bulk_begin:
 * one summary row for the load); import_rows says which import made it.
 * Its history starts with that: when, who, which import and file, and the
 * row's key as it stands.  Returns fn's value, 0 when the row was not
 * imported (or is not the session's to see), or -1 on an error. */
static int import_entry(sqlite3 *db, const db_history_filter *f, db_history_fn fn, void *ctx)
{
    if (!f->table || f->row_id <= 0) return 0;
    sqlite3_stmt *st = NULL, *row = NULL;
    char sql[400];
    if (db_prepare(db, "SELECT i.id, i.started_at, i.by_login, i.file, i.round_code, coalesce(t.key_cols, '')"
                       " FROM import_rows r JOIN imports i ON i.id = r.import_id"
                       " LEFT JOIN esis_tables t ON t.name = r.table_name"
                       " WHERE r.table_name = ?1 AND ?2 BETWEEN r.first_id AND r.last_id"
                       " ORDER BY r.first_id DESC LIMIT 1", &st) != SQLITE_OK) return -1;
    sqlite3_bind_text(st, 1, f->table, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, f->row_id);
    int rc = db_step(st);
    if (rc != SQLITE_ROW) { sqlite3_finalize(st); return rc == SQLITE_DONE ? 0 : -1; }
    /* the school of the row, for the gate (a table of no school: the office's) */
    const db_session *s = db_session_get(db);
    char *school = NULL;
    snprintf(sql, sizeof sql, "SELECT school_code FROM \"%s\" WHERE id = ?1", f->table);
    if (sqlite3_prepare_v2(db, sql, -1, &row, NULL) == SQLITE_OK) {
        sqlite3_bind_int64(row, 1, f->row_id);
        if (sqlite3_step(row) == SQLITE_ROW && sqlite3_column_text(row, 0))
            school = strdup((const char *)sqlite3_column_text(row, 0));
    }
    sqlite3_finalize(row);
    int out = 0;
    if (!s || s->all_schools || (school && db_scope_allows(db, school))) {
        char origin[600];
        snprintf(origin, sizeof origin, "import %lld %s", (long long)sqlite3_column_int64(st, 0), COL_TEXT(st, 3));
        db_history_entry e = {
            0, COL_TEXT(st, 1), COL_TEXT(st, 2), origin, f->table, f->row_id, "",
            school, COL_TEXT(st, 4), "import_insert", NULL, 0,
        };
        out = fn(&e, ctx);
    }
    free(school);
    sqlite3_finalize(st);
    return out;
}

int db_history(sqlite3 *db, const db_history_filter *filter, db_history_fn fn, void *ctx,
               char *err, size_t errsz)
{
    db_history_filter none;
    memset(&none, 0, sizeof none);
    const db_history_filter *f = filter ? filter : &none;
    const db_session *s = db_session_get(db);
    bool mask = s && !s->see_personal;
    strbuf sql = STRBUF_INIT;
    build_sql(db, f, &sql);
    sqlite3_stmt *st = NULL, *split = NULL;
    int rc = sql.failed ? SQLITE_NOMEM : db_prepare(db, strbuf_str(&sql), &st);
    if (rc == SQLITE_OK) rc = db_prepare(db, SPLIT_SQL, &split);
    if (rc != SQLITE_OK) {
        snprintf(err, errsz, "reading the audit trail: %s", sqlite3_errmsg(db));
        goto cleanup;
    }
    bind_filter(st, f);
    if (!f->newest_first) {
        int r = import_entry(db, f, fn, ctx);
        if (r < 0) { rc = SQLITE_ERROR; snprintf(err, errsz, "reading the imports: %s", sqlite3_errmsg(db)); goto cleanup; }
        if (r) { rc = SQLITE_OK; goto cleanup; }
    }
    while ((rc = db_step(st)) == SQLITE_ROW) {
        const char *personal = COL_TEXT(st, 12);
        changes ch = { NULL, 0 };
        rc = split_changes(split, COL_TEXT(st, 10), COL_TEXT(st, 11), personal, mask, &ch);
        char *key = mask && *personal ? masked_key(COL_TEXT(st, 6), COL_TEXT(st, 13), personal) : NULL;
        if (rc == SQLITE_OK) {
            db_history_entry e = {
                sqlite3_column_int64(st, 0), COL_TEXT(st, 1), COL_TEXT(st, 2), COL_TEXT(st, 3),
                COL_TEXT(st, 4), sqlite3_column_int64(st, 5), key ? key : COL_TEXT(st, 6),
                COL_TEXT(st, 7), COL_TEXT(st, 8), COL_TEXT(st, 9), ch.v, ch.n,
            };
            int stop = fn(&e, ctx);
            free(key);
            changes_free(&ch);
            if (stop) { rc = SQLITE_DONE; break; }
        } else {
            free(key);
            changes_free(&ch);
            break;
        }
    }
    if (rc == SQLITE_DONE && f->newest_first && import_entry(db, f, fn, ctx) < 0) rc = SQLITE_ERROR;
    if (rc != SQLITE_DONE) snprintf(err, errsz, "reading the audit trail: %s", sqlite3_errmsg(db));
    else rc = SQLITE_OK;
cleanup:
    sqlite3_finalize(split);
    sqlite3_finalize(st);
    strbuf_free(&sql);
    return rc;
}

int db_history_record(sqlite3 *db, const char *table, long long row_id,
                      db_history_fn fn, void *ctx, char *err, size_t errsz)
{
    db_history_filter f;
    memset(&f, 0, sizeof f);
    f.table = table;
    f.row_id = row_id;
    return db_history(db, &f, fn, ctx, err, errsz);
}

int db_history_school(sqlite3 *db, const char *school_code, const char *round_code,
                      db_history_fn fn, void *ctx, char *err, size_t errsz)
{
    db_history_filter f;
    memset(&f, 0, sizeof f);
    f.school_code = school_code;
    f.round_code = round_code;
    f.newest_first = true;
    return db_history(db, &f, fn, ctx, err, errsz);
}

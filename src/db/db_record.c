/*
 * db_record.c: the schema as the database describes it, and reading and
 * writing records through the one gate.
 *
 * A save is one short transaction: scope check on the school the row belongs
 * to (before and after the change, so a row cannot be moved into or out of
 * another school), the round's window for school officers, the optimistic
 * version check (UPDATE ... WHERE row_version = ?), the write; the audit row
 * comes from the table's triggers.  When the version check fails nothing is
 * written and the caller learns who saved in between and which fields
 * differ, so the user can decide with both values in front of them.
 */
#include "db_internal.h"
#include "esis/strbuf.h"
#include "esis/text.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- schema --------------------------------------------------------- */

static char **split_words(const char *s, int *n)
{
    *n = 0;
    char **v = NULL;
    char *buf = strdup(s ? s : "");
    if (!buf) return NULL;
    for (char *save = NULL, *w = strtok_r(buf, " ", &save); w; w = strtok_r(NULL, " ", &save)) {
        char **nv = realloc(v, sizeof *v * (size_t)(*n + 1));
        if (!nv) break;
        v = nv;
        if (!(v[*n] = strdup(w))) break;
        (*n)++;
    }
    free(buf);
    return v;
}

static int table_load(sqlite3 *db, esis_table *t, const char *name, const char *keys,
                      int audited, const char *personal, const char *collection)
{
    memset(t, 0, sizeof *t);
    t->id_col = t->school_col = t->round_col = t->version_col = -1;
    t->name = strdup(name);
    t->collection = strdup(collection ? collection : "");
    t->audited = audited != 0;
    t->key_cols = split_words(keys, &t->nkey);
    if (!t->name || !t->collection) return SQLITE_NOMEM;
    int npers = 0;
    char **pers = split_words(personal, &npers);

    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(db, "SELECT name, upper(type), \"notnull\" FROM pragma_table_info(?1) ORDER BY cid",
                                -1, &st, NULL);
    if (rc == SQLITE_OK) {
        sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
        while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
            int i = t->ncols;
            char **c = realloc(t->cols, sizeof *c * (size_t)(i + 1));
            if (c) t->cols = c;
            char **ty = realloc(t->types, sizeof *ty * (size_t)(i + 1));
            if (ty) t->types = ty;
            bool *nn = realloc(t->notnull, sizeof *nn * (size_t)(i + 1));
            if (nn) t->notnull = nn;
            bool *pp = realloc(t->personal, sizeof *pp * (size_t)(i + 1));
            if (pp) t->personal = pp;
            if (!c || !ty || !nn || !pp) { rc = SQLITE_NOMEM; break; }
            t->cols[i] = strdup((const char *)sqlite3_column_text(st, 0));
            t->types[i] = strdup((const char *)sqlite3_column_text(st, 1));
            t->notnull[i] = sqlite3_column_int(st, 2) != 0;
            t->personal[i] = false;
            t->ncols++;
            if (!t->cols[i] || !t->types[i]) { rc = SQLITE_NOMEM; break; }
            for (int k = 0; k < npers; k++)
                if (!strcmp(pers[k], t->cols[i])) t->personal[i] = true;
            if (!strcmp(t->cols[i], "id")) t->id_col = i;
            else if (!strcmp(t->cols[i], "school_code")) t->school_col = i;
            else if (!strcmp(t->cols[i], "round_code")) t->round_col = i;
            else if (!strcmp(t->cols[i], "row_version")) t->version_col = i;
        }
        if (rc == SQLITE_DONE) rc = SQLITE_OK;
    }
    sqlite3_finalize(st);
    for (int k = 0; k < npers; k++) free(pers[k]);
    free(pers);
    return rc;
}

int db_schema_load(sqlite3 *db, esis_schema **out, char *err, size_t errsz)
{
    *out = NULL;
    esis_schema *s = calloc(1, sizeof *s);
    if (!s) { snprintf(err, errsz, "out of memory"); return SQLITE_NOMEM; }
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(db, "SELECT name, key_cols, audited, personal_cols, collection"
                                    " FROM esis_tables ORDER BY name", -1, &st, NULL);
    while (rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        esis_table *v = realloc(s->tables, sizeof *v * (size_t)(s->ntables + 1));
        if (!v) { rc = SQLITE_NOMEM; break; }
        s->tables = v;
        rc = table_load(db, &s->tables[s->ntables++],
                        (const char *)sqlite3_column_text(st, 0),
                        (const char *)sqlite3_column_text(st, 1),
                        sqlite3_column_int(st, 2),
                        (const char *)sqlite3_column_text(st, 3),
                        (const char *)sqlite3_column_text(st, 4));
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) {
        snprintf(err, errsz, "reading the schema: %s", sqlite3_errstr(rc));
        schema_free(s);
        return rc == SQLITE_OK ? SQLITE_ERROR : rc;
    }
    *out = s;
    return SQLITE_OK;
}

/* ---- reading -------------------------------------------------------- */

void db_record_from_stmt(esis_record *r, sqlite3_stmt *st)
{
    const esis_table *t = r->table;
    int n = sqlite3_column_count(st);
    for (int i = 0; i < t->ncols && i < n; i++) {
        const char *v = (const char *)sqlite3_column_text(st, i);
        record_set_i(r, i, v);
    }
    /* A table without an id column (rounds) is read with its rowid after
     * its columns (load_where): that is the handle an update or a delete
     * finds the row by, so its natural key may be edited in place. */
    r->id = t->id_col >= 0 ? sqlite3_column_int64(st, t->id_col)
          : n > t->ncols   ? sqlite3_column_int64(st, t->ncols) : 0;
    r->version = t->version_col >= 0 ? sqlite3_column_int64(st, t->version_col) : 0;
}

static void mask_personal(sqlite3 *db, esis_record *r)
{
    const db_session *s = db_session_get(db);
    if (!s || s->see_personal) return;
    for (int i = 0; i < r->table->ncols; i++) {
        if (!r->table->personal[i] || !r->values[i]) continue;
        text_mask_id(r->values[i], r->values[i]);
    }
}

static esis_record *load_where(sqlite3 *db, const esis_table *t, const char *where,
                               long long id, const char **key)
{
    strbuf sql = STRBUF_INIT;
    strbuf_addf(&sql, "SELECT *%s FROM %s WHERE %s", t->id_col < 0 ? ", rowid" : "", t->name, where);
    sqlite3_stmt *st = NULL;
    esis_record *r = NULL;
    int rc = db_prepare(db, strbuf_str(&sql), &st);
    if (rc != SQLITE_OK && t->id_col < 0) {
        /* a view has no rowid: its rows are shown, never saved */
        strbuf_reset(&sql);
        strbuf_addf(&sql, "SELECT * FROM %s WHERE %s", t->name, where);
        rc = db_prepare(db, strbuf_str(&sql), &st);
    }
    if (rc == SQLITE_OK) {
        if (key) for (int i = 0; i < t->nkey; i++) sqlite3_bind_text(st, i + 1, key[i], -1, SQLITE_STATIC);
        else sqlite3_bind_int64(st, 1, id);
        if (db_step(st) == SQLITE_ROW && (r = record_new(t)) != NULL) {
            db_record_from_stmt(r, st);
            if (t->school_col >= 0 && !db_scope_allows(db, record_get_i(r, t->school_col))) {
                record_free(r);
                r = NULL;
            }
        }
    }
    sqlite3_finalize(st);
    strbuf_free(&sql);
    if (r) mask_personal(db, r);
    return r;
}

esis_record *db_record_load(sqlite3 *db, const esis_table *t, long long id)
{
    return load_where(db, t, t->id_col >= 0 ? "id = ?1" : "rowid = ?1", id, NULL);
}

esis_record *db_record_find(sqlite3 *db, const esis_table *t, const char **key)
{
    strbuf w = STRBUF_INIT;
    for (int i = 0; i < t->nkey; i++)
        strbuf_addf(&w, "%s\"%s\" = ?%d", i ? " AND " : "", t->key_cols[i], i + 1);
    esis_record *r = t->nkey ? load_where(db, t, strbuf_str(&w), 0, key) : NULL;
    strbuf_free(&w);
    return r;
}

/* ---- writing -------------------------------------------------------- */

/* The column a saved row is found by: id, or the rowid of a table without
 * one (db_record_from_stmt). */
static const char *row_handle(const esis_table *t)
{
    return t->id_col >= 0 ? "id" : "rowid";
}

static bool bookkeeping_col(const esis_table *t, int i)
{
    const char *c = t->cols[i];
    return i == t->id_col || i == t->version_col || !strcmp(c, "created_at") ||
           !strcmp(c, "updated_at") || !strcmp(c, "updated_by");
}

static const char *login_of(sqlite3 *db)
{
    const db_session *s = db_session_get(db);
    return s && s->login ? s->login : "system";
}

/* A school officer writes only while the round is open for the school:
 * inside its window (or reopened for the school by the office) and not yet
 * submitted.  The office corrects at any time; a locked round is closed to
 * all but administrators. */
static db_save_result round_allows(sqlite3 *db, const char *round, const char *school,
                                   db_save_info *info)
{
    const db_session *s = db_session_get(db);
    if (!s || !round) return DB_SAVED;
    sqlite3_stmt *st = NULL;
    db_save_result res = DB_SAVED;
    const char *sql =
        "SELECT r.state, date('now','localtime') BETWEEN r.opens AND r.closes,"
        " coalesce(sub.reopened_until >= date('now','localtime'), 0), coalesce(sub.state, 'not_started')"
        " FROM rounds r LEFT JOIN submissions sub ON sub.round_code = r.round_code AND sub.school_code = ?2"
        " WHERE r.round_code = ?1";
    if (db_prepare(db, sql, &st) != SQLITE_OK) return DB_FAILED;
    sqlite3_bind_text(st, 1, round, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, school, -1, SQLITE_STATIC);
    if (db_step(st) != SQLITE_ROW) {
        snprintf(info->message, sizeof info->message, "round %s does not exist", round);
        res = DB_INVALID;
    } else {
        const char *state = (const char *)sqlite3_column_text(st, 0);
        bool in_window = sqlite3_column_int(st, 1), reopened = sqlite3_column_int(st, 2);
        const char *sub = (const char *)sqlite3_column_text(st, 3);
        if (!strcmp(state, "locked") && strcmp(s->role, "admin")) {
            snprintf(info->message, sizeof info->message, "round %s is locked", round);
            res = DB_CLOSED;
        } else if (!s->all_schools) {
            if (!reopened && (strcmp(state, "open") || !in_window)) {
                snprintf(info->message, sizeof info->message, "round %s is not open for entry", round);
                res = DB_CLOSED;
            } else if (!strcmp(sub, "submitted") || !strcmp(sub, "confirmed")) {
                snprintf(info->message, sizeof info->message,
                         "school %s has %s round %s", school, sub, round);
                res = DB_CLOSED;
            }
        }
    }
    sqlite3_finalize(st);
    return res;
}

db_save_result db_write_allowed(sqlite3 *db, const esis_table *t, const char *school,
                                const char *old_school, bool has_old, const char *round,
                                db_save_info *info)
{
    const db_session *s = db_session_get(db);
    if (s && !s->may_write) {
        snprintf(info->message, sizeof info->message, "%s may not change data", s->login);
        return DB_DENIED;
    }
    if (t->school_col >= 0) {
        if (!db_scope_allows_write(db, school) || (has_old && !db_scope_allows_write(db, old_school))) {
            snprintf(info->message, sizeof info->message, "school %s is outside %s's schools",
                     school ? school : "?", s ? s->login : "?");
            return DB_DENIED;
        }
    } else if (s && !s->all_schools) {
        /* Tables that belong to no school (rounds, users, the unit's work)
         * are the office's. */
        snprintf(info->message, sizeof info->message, "%s may not change %s", s->login, t->name);
        return DB_DENIED;
    }
    if (t->round_col >= 0) return round_allows(db, round, t->school_col >= 0 ? school : NULL, info);
    return DB_SAVED;
}

static db_save_result check_write(sqlite3 *db, const esis_record *r, const esis_record *old,
                                  db_save_info *info)
{
    const esis_table *t = r->table;
    return db_write_allowed(db, t, record_get_i(r, t->school_col),
                            old ? record_get_i(old, t->school_col) : NULL, old != NULL,
                            record_get_i(r, t->round_col), info);
}

static db_save_result constraint_result(sqlite3 *db, int rc, db_save_info *info)
{
    snprintf(info->message, sizeof info->message, "%s", sqlite3_errmsg(db));
    return (rc & 0xff) == SQLITE_CONSTRAINT ? DB_INVALID : DB_FAILED;
}

static db_save_result do_insert(sqlite3 *db, esis_record *r, db_save_info *info)
{
    const esis_table *t = r->table;
    strbuf sql = STRBUF_INIT, vals = STRBUF_INIT;
    strbuf_addf(&sql, "INSERT INTO %s (", t->name);
    int n = 0;
    for (int i = 0; i < t->ncols; i++) {
        if (bookkeeping_col(t, i) || !r->values[i]) continue;
        strbuf_addf(&sql, "%s\"%s\"", n ? ", " : "", t->cols[i]);
        strbuf_addf(&vals, "%s?%d", n ? ", " : "", n + 1);
        n++;
    }
    strbuf_addf(&sql, "%supdated_by) VALUES (%s%s?%d)", n ? ", " : "", strbuf_str(&vals), n ? ", " : "", n + 1);
    sqlite3_stmt *st = NULL;
    db_save_result res = DB_SAVED;
    int rc = db_prepare(db, strbuf_str(&sql), &st);
    if (rc == SQLITE_OK) {
        int k = 0;
        for (int i = 0; i < t->ncols; i++) {
            if (bookkeeping_col(t, i) || !r->values[i]) continue;
            sqlite3_bind_text(st, ++k, r->values[i], -1, SQLITE_STATIC);
        }
        sqlite3_bind_text(st, ++k, login_of(db), -1, SQLITE_STATIC);
        rc = db_step(st);
    }
    if (rc == SQLITE_DONE) {
        r->id = sqlite3_last_insert_rowid(db);
        r->version = 1;
    } else {
        res = constraint_result(db, rc, info);
    }
    sqlite3_finalize(st);
    strbuf_free(&sql); strbuf_free(&vals);
    return res;
}

/* Somebody saved between our read and our write: say who and what. */
static db_save_result conflict(sqlite3 *db, const esis_record *r, const esis_record *cur,
                               db_save_info *info)
{
    const esis_table *t = r->table;
    if (!cur) {
        snprintf(info->message, sizeof info->message, "the record was deleted by someone else");
        return DB_CONFLICT;
    }
    int ub = schema_col(t, "updated_by"), ua = schema_col(t, "updated_at");
    snprintf(info->conflict_by, sizeof info->conflict_by, "%s", record_get_i(cur, ub) ? record_get_i(cur, ub) : "?");
    snprintf(info->conflict_at, sizeof info->conflict_at, "%s", record_get_i(cur, ua) ? record_get_i(cur, ua) : "?");
    strbuf f = STRBUF_INIT;
    for (int i = 0; i < t->ncols; i++) {
        if (bookkeeping_col(t, i)) continue;
        const char *a = record_get_i(r, i), *b = record_get_i(cur, i);
        if ((a || b) && (!a || !b || strcmp(a, b))) strbuf_addf(&f, "%s%s", f.len ? " " : "", t->cols[i]);
    }
    snprintf(info->conflict_fields, sizeof info->conflict_fields, "%s", strbuf_str(&f));
    snprintf(info->message, sizeof info->message, "%s saved this record at %s (fields: %s)",
             info->conflict_by, info->conflict_at, strbuf_str(&f));
    strbuf_free(&f);
    (void)db;
    return DB_CONFLICT;
}

/* Columns an update leaves as stored: the bookkeeping ones, personal data
 * the user was shown masked, and an empty value in a NOT NULL column with a
 * default (a record that never read that column back, such as one just
 * inserted with the default). */
static bool skip_on_update(const esis_table *t, const esis_record *r, int i, bool keep_personal)
{
    return bookkeeping_col(t, i) || (keep_personal && t->personal[i]) ||
           (t->notnull[i] && !record_get_i(r, i));
}

static db_save_result do_update(sqlite3 *db, esis_record *r, const esis_record *cur,
                                db_save_info *info)
{
    const esis_table *t = r->table;
    const db_session *s = db_session_get(db);
    bool keep_personal = s && !s->see_personal;
    strbuf sql = STRBUF_INIT;
    strbuf_addf(&sql, "UPDATE %s SET ", t->name);
    int n = 0;
    for (int i = 0; i < t->ncols; i++) {
        if (skip_on_update(t, r, i, keep_personal)) continue;
        strbuf_addf(&sql, "\"%s\" = ?%d, ", t->cols[i], ++n);
    }
    strbuf_addf(&sql, "updated_by = ?%d, updated_at = strftime('%%Y-%%m-%%dT%%H:%%M:%%S','now')", n + 1);
    if (t->version_col >= 0)
        strbuf_addf(&sql, ", row_version = row_version + 1 WHERE %s = ?%d AND row_version = ?%d",
                    row_handle(t), n + 2, n + 3);
    else
        strbuf_addf(&sql, " WHERE %s = ?%d", row_handle(t), n + 2);
    sqlite3_stmt *st = NULL;
    db_save_result res = DB_SAVED;
    int rc = db_prepare(db, strbuf_str(&sql), &st);
    if (rc == SQLITE_OK) {
        int k = 0;
        for (int i = 0; i < t->ncols; i++) {
            if (skip_on_update(t, r, i, keep_personal)) continue;
            sqlite3_bind_text(st, ++k, record_get_i(r, i), -1, SQLITE_STATIC);
        }
        sqlite3_bind_text(st, ++k, login_of(db), -1, SQLITE_STATIC);
        sqlite3_bind_int64(st, ++k, r->id);
        if (t->version_col >= 0) sqlite3_bind_int64(st, ++k, r->version);
        rc = db_step(st);
    }
    if (rc != SQLITE_DONE) res = constraint_result(db, rc, info);
    else if (sqlite3_changes(db) == 0) res = conflict(db, r, cur, info);
    else r->version++;
    sqlite3_finalize(st);
    strbuf_free(&sql);
    return res;
}

static db_save_result finish(sqlite3 *db, bool in_tx, db_save_result res, db_save_info *info)
{
    if (in_tx) return res;
    if (res == DB_SAVED && db_commit(db) != SQLITE_OK) {
        snprintf(info->message, sizeof info->message, "%s", sqlite3_errmsg(db));
        res = DB_FAILED;
    }
    if (res != DB_SAVED) db_rollback(db);
    return res;
}

db_save_result db_record_save(sqlite3 *db, esis_record *r, bool in_tx, db_save_info *info)
{
    memset(info, 0, sizeof *info);
    if (!in_tx && db_begin(db) != SQLITE_OK) {
        snprintf(info->message, sizeof info->message, "%s", sqlite3_errmsg(db));
        return DB_FAILED;
    }
    esis_record *cur = NULL;
    db_save_result res = DB_SAVED;
    if (r->id > 0) {
        /* Read the stored row unmasked and unscoped: the scope check below
         * decides, with both the old and the new school in hand. */
        const db_session *s = db_session_get(db);
        db_session_set(db, NULL);
        cur = db_record_load(db, r->table, r->id);
        db_session_set(db, s);
        if (!cur) {
            snprintf(info->message, sizeof info->message, "the record was deleted by someone else");
            res = DB_CONFLICT;
        }
    }
    if (res == DB_SAVED) res = check_write(db, r, cur, info);
    if (res == DB_SAVED) res = r->id > 0 ? do_update(db, r, cur, info) : do_insert(db, r, info);
    record_free(cur);
    return finish(db, in_tx, res, info);
}

db_save_result db_record_delete(sqlite3 *db, const esis_record *r, bool in_tx, db_save_info *info)
{
    memset(info, 0, sizeof *info);
    if (!in_tx && db_begin(db) != SQLITE_OK) {
        snprintf(info->message, sizeof info->message, "%s", sqlite3_errmsg(db));
        return DB_FAILED;
    }
    const db_session *s = db_session_get(db);
    db_session_set(db, NULL);
    esis_record *cur = db_record_load(db, r->table, r->id);
    db_session_set(db, s);
    db_save_result res = DB_SAVED;
    if (!cur) {
        snprintf(info->message, sizeof info->message, "the record was deleted by someone else");
        res = DB_CONFLICT;
    }
    if (res == DB_SAVED) res = check_write(db, cur, cur, info);
    if (res == DB_SAVED && r->table->version_col >= 0 && cur->version != r->version)
        res = conflict(db, r, cur, info);
    if (res == DB_SAVED) {
        char sql[128];
        snprintf(sql, sizeof sql, "DELETE FROM %s WHERE %s = ?1", r->table->name, row_handle(r->table));
        sqlite3_stmt *st = NULL;
        int rc = db_prepare(db, sql, &st);
        if (rc == SQLITE_OK) { sqlite3_bind_int64(st, 1, r->id); rc = db_step(st); }
        if (rc != SQLITE_DONE) res = constraint_result(db, rc, info);
        sqlite3_finalize(st);
    }
    record_free(cur);
    return finish(db, in_tx, res, info);
}

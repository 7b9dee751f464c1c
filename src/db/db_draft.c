/*
 * db_draft.c: forms kept as typed (see include/esis/draft.h for when and
 * why).
 *
 * The fields are one JSON object built here with strbuf's JSON string
 * escaping and checked by SQLite's json() on insert; reading splits it back
 * with json_each, in the order the columns were saved.  The drafts table is
 * not audited: it holds work in progress, not data, and its rows are the
 * author's alone (every query here has "login = the session's login").
 */
#include "esis/draft.h"
#include "esis/db.h"
#include "esis/strbuf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *session_login(sqlite3 *db, char *err, size_t errsz)
{
    const db_session *s = db_session_get(db);
    if (s && s->login && *s->login) return s->login;
    snprintf(err, errsz, "drafts belong to a user, and no user is logged in on this connection");
    return NULL;
}

static bool reason_ok(const char *r)
{
    static const char *const REASONS[] = { DB_DRAFT_HANGUP, DB_DRAFT_TERMINATE, DB_DRAFT_INTERRUPT,
                                           DB_DRAFT_CONFLICT, DB_DRAFT_MANUAL };
    for (size_t i = 0; r && i < sizeof REASONS / sizeof *REASONS; i++)
        if (!strcmp(r, REASONS[i])) return true;
    return false;
}

int db_draft_save(sqlite3 *db, const char *screen, const char *table, long long row_id,
               long long row_version, int n, const char *const *columns,
               const char *const *values, const char *focus, const char *reason,
               long long *id_out, char *err, size_t errsz)
{
    const char *login = session_login(db, err, errsz);
    if (!login) return -1;
    if (!screen || !*screen || !table || !*table) {
        snprintf(err, errsz, "a draft needs its screen and table");
        return -1;
    }
    if (!reason_ok(reason)) {
        snprintf(err, errsz, "draft reason '%s' is not hangup, terminate, interrupt, conflict or manual",
                 reason ? reason : "");
        return -1;
    }
    strbuf json = STRBUF_INIT;
    strbuf_addc(&json, '{');
    for (int i = 0; i < n; i++) {
        if (i) strbuf_addc(&json, ',');
        strbuf_add_json_string(&json, columns[i]);
        strbuf_addc(&json, ':');
        strbuf_add_json_string(&json, values[i]);
    }
    strbuf_addc(&json, '}');
    if (json.failed) { strbuf_free(&json); snprintf(err, errsz, "out of memory"); return -1; }

    int rc = db_begin(db);
    sqlite3_stmt *st = NULL;
    if (rc == SQLITE_OK && row_id > 0) {
        /* One draft per user, screen and existing row: the newest wins. */
        rc = db_prepare(db, "DELETE FROM drafts WHERE login = ?1 AND screen = ?2 AND table_name = ?3"
                            " AND row_id = ?4", &st);
        if (rc == SQLITE_OK) {
            sqlite3_bind_text(st, 1, login, -1, SQLITE_STATIC);
            sqlite3_bind_text(st, 2, screen, -1, SQLITE_STATIC);
            sqlite3_bind_text(st, 3, table, -1, SQLITE_STATIC);
            sqlite3_bind_int64(st, 4, row_id);
            rc = db_step(st) == SQLITE_DONE ? SQLITE_OK : SQLITE_ERROR;
        }
        sqlite3_finalize(st);
        st = NULL;
    }
    if (rc == SQLITE_OK)
        rc = db_prepare(db, "INSERT INTO drafts(login, screen, table_name, row_id, row_version, fields,"
                            " focus, saved_at, reason) VALUES (?1, ?2, ?3, ?4, ?5, json(?6), ?7,"
                            " strftime('%Y-%m-%dT%H:%M:%f','now'), ?8)", &st);
    if (rc == SQLITE_OK) {
        sqlite3_bind_text(st, 1, login, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 2, screen, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 3, table, -1, SQLITE_STATIC);
        if (row_id > 0) sqlite3_bind_int64(st, 4, row_id);
        if (row_id > 0) sqlite3_bind_int64(st, 5, row_version);
        sqlite3_bind_text(st, 6, strbuf_str(&json), -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 7, focus, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 8, reason, -1, SQLITE_STATIC);
        rc = db_step(st) == SQLITE_DONE ? SQLITE_OK : SQLITE_ERROR;
    }
    long long id = rc == SQLITE_OK ? sqlite3_last_insert_rowid(db) : 0;
    if (rc != SQLITE_OK) snprintf(err, errsz, "saving the draft of %s: %s", screen, sqlite3_errmsg(db));
    sqlite3_finalize(st);
    strbuf_free(&json);
    if (rc == SQLITE_OK && (rc = db_commit(db)) != SQLITE_OK)
        snprintf(err, errsz, "saving the draft of %s: %s", screen, sqlite3_errmsg(db));
    if (rc != SQLITE_OK) { db_rollback(db); return -1; }
    if (id_out) *id_out = id;
    return 0;
}

int db_draft_save_record(sqlite3 *db, const char *screen, const esis_record *r,
                      const char *focus, const char *reason, long long *id_out,
                      char *err, size_t errsz)
{
    const esis_table *t = r->table;
    const char **cols = calloc((size_t)t->ncols + 1, sizeof *cols);
    const char **vals = calloc((size_t)t->ncols + 1, sizeof *vals);
    int n = 0, rc = -1;
    if (!cols || !vals) {
        snprintf(err, errsz, "out of memory");
    } else {
        for (int i = 0; i < t->ncols; i++) {
            if (i == t->id_col || i == t->version_col || !r->values[i]) continue;
            cols[n] = t->cols[i];
            vals[n++] = r->values[i];
        }
        rc = db_draft_save(db, screen, t->name, r->id, r->version, n, cols, vals, focus, reason,
                        id_out, err, errsz);
    }
    free(cols);
    free(vals);
    return rc;
}

static char *col_dup(sqlite3_stmt *st, int i)
{
    const unsigned char *s = sqlite3_column_text(st, i);
    return s ? strdup((const char *)s) : NULL;
}

static void entry_clear(db_draft_entry *d)
{
    free(d->login); free(d->screen); free(d->table_name); free(d->focus);
    free(d->saved_at); free(d->reason); free(d->fields_json);
    for (int i = 0; i < d->nfields; i++) { free(d->columns[i]); free(d->values[i]); }
    free(d->columns); free(d->values);
    memset(d, 0, sizeof *d);
}

static const char SELECT_DRAFT[] =
    "SELECT id, login, screen, table_name, coalesce(row_id, 0), coalesce(row_version, 0),"
    " focus, saved_at, reason, fields FROM drafts";

static bool entry_from(sqlite3_stmt *st, db_draft_entry *d)
{
    memset(d, 0, sizeof *d);
    d->id = sqlite3_column_int64(st, 0);
    d->login = col_dup(st, 1);
    d->screen = col_dup(st, 2);
    d->table_name = col_dup(st, 3);
    d->row_id = sqlite3_column_int64(st, 4);
    d->row_version = sqlite3_column_int64(st, 5);
    d->focus = col_dup(st, 6);
    d->saved_at = col_dup(st, 7);
    d->reason = col_dup(st, 8);
    d->fields_json = col_dup(st, 9);
    return d->login && d->screen && d->table_name && d->fields_json;
}

int db_draft_list(sqlite3 *db, db_draft_entry **out, int *n, char *err, size_t errsz)
{
    *out = NULL;
    *n = 0;
    const char *login = session_login(db, err, errsz);
    if (!login) return -1;
    char sql[256];
    snprintf(sql, sizeof sql, "%s WHERE login = ?1 ORDER BY saved_at DESC, id DESC", SELECT_DRAFT);
    sqlite3_stmt *st = NULL;
    if (db_prepare(db, sql, &st) != SQLITE_OK) {
        snprintf(err, errsz, "listing drafts: %s", sqlite3_errmsg(db));
        return -1;
    }
    sqlite3_bind_text(st, 1, login, -1, SQLITE_STATIC);
    int rc;
    while ((rc = db_step(st)) == SQLITE_ROW) {
        db_draft_entry *v = realloc(*out, sizeof *v * (size_t)(*n + 1));
        if (!v) { rc = SQLITE_NOMEM; break; }
        *out = v;
        bool ok = entry_from(st, &v[*n]);
        (*n)++;
        if (!ok) { rc = SQLITE_NOMEM; break; }
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) {
        snprintf(err, errsz, "listing drafts: %s", rc == SQLITE_NOMEM ? "out of memory" : sqlite3_errmsg(db));
        db_draft_list_free(*out, *n);
        *out = NULL;
        *n = 0;
        return -1;
    }
    return 0;
}

void db_draft_list_free(db_draft_entry *v, int n)
{
    for (int i = 0; i < n; i++) entry_clear(&v[i]);
    free(v);
}

void db_draft_free(db_draft_entry *d)
{
    if (!d) return;
    entry_clear(d);
    free(d);
}

static int split_fields(sqlite3 *db, db_draft_entry *d)
{
    sqlite3_stmt *st = NULL;
    if (db_prepare(db, "SELECT key, value FROM json_each(?1) ORDER BY id", &st) != SQLITE_OK) return -1;
    sqlite3_bind_text(st, 1, d->fields_json, -1, SQLITE_STATIC);
    int rc;
    while ((rc = db_step(st)) == SQLITE_ROW) {
        char **c = realloc(d->columns, sizeof *c * (size_t)(d->nfields + 1));
        if (c) d->columns = c;
        char **v = realloc(d->values, sizeof *v * (size_t)(d->nfields + 1));
        if (v) d->values = v;
        if (!c || !v) { rc = SQLITE_NOMEM; break; }
        d->columns[d->nfields] = col_dup(st, 0);
        d->values[d->nfields] = col_dup(st, 1);
        d->nfields++;
        if (!d->columns[d->nfields - 1]) { rc = SQLITE_NOMEM; break; }
    }
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? 0 : -1;
}

db_draft_entry *db_draft_load(sqlite3 *db, long long id, char *err, size_t errsz)
{
    const char *login = session_login(db, err, errsz);
    if (!login) return NULL;
    char sql[256];
    snprintf(sql, sizeof sql, "%s WHERE id = ?1 AND login = ?2", SELECT_DRAFT);
    sqlite3_stmt *st = NULL;
    db_draft_entry *d = NULL;
    if (db_prepare(db, sql, &st) != SQLITE_OK) {
        snprintf(err, errsz, "loading draft %lld: %s", id, sqlite3_errmsg(db));
        return NULL;
    }
    sqlite3_bind_int64(st, 1, id);
    sqlite3_bind_text(st, 2, login, -1, SQLITE_STATIC);
    if (db_step(st) != SQLITE_ROW) {
        snprintf(err, errsz, "draft %lld is not one of %s's drafts", id, login);
    } else if (!(d = calloc(1, sizeof *d)) || !entry_from(st, d) || split_fields(db, d) != 0) {
        snprintf(err, errsz, "loading draft %lld: out of memory or a damaged draft", id);
        db_draft_free(d);
        d = NULL;
    }
    sqlite3_finalize(st);
    return d;
}

int db_draft_to_record(const db_draft_entry *d, esis_record *r)
{
    int set = 0;
    for (int i = 0; i < d->nfields; i++) {
        int c = schema_col(r->table, d->columns[i]);
        if (c < 0 || c == r->table->id_col || c == r->table->version_col) continue;
        if (record_set_i(r, c, d->values[i]) == 0) set++;
    }
    r->id = d->row_id;
    r->version = d->row_version;
    return set;
}

int db_draft_delete(sqlite3 *db, long long id, char *err, size_t errsz)
{
    const char *login = session_login(db, err, errsz);
    if (!login) return -1;
    sqlite3_stmt *st = NULL;
    int rc = db_begin(db);
    if (rc == SQLITE_OK) rc = db_prepare(db, "DELETE FROM drafts WHERE id = ?1 AND login = ?2", &st);
    if (rc == SQLITE_OK) {
        sqlite3_bind_int64(st, 1, id);
        sqlite3_bind_text(st, 2, login, -1, SQLITE_STATIC);
        rc = db_step(st) == SQLITE_DONE ? SQLITE_OK : SQLITE_ERROR;
    }
    int changed = rc == SQLITE_OK ? sqlite3_changes(db) : 0;
    sqlite3_finalize(st);
    if (rc == SQLITE_OK) rc = db_commit(db);
    if (rc != SQLITE_OK) {
        snprintf(err, errsz, "deleting draft %lld: %s", id, sqlite3_errmsg(db));
        db_rollback(db);
        return -1;
    }
    if (!changed) {
        snprintf(err, errsz, "draft %lld is not one of %s's drafts", id, login);
        return -1;
    }
    return 0;
}

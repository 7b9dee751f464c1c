/*
 * db_audit.c: the audit triggers, made from the esis_tables catalogue.
 *
 * Why triggers and not C: a trigger catches every write, whichever code path
 * makes it, so no future command can forget the audit.  The triggers call
 * esis_actor() and esis_origin(), which exist only on connections esis
 * opened; a write from another tool (the sqlite3 shell) therefore fails
 * rather than leaving an unattributed change.  Reads from other tools still
 * work, and so does PRAGMA integrity_check.
 *
 * Each audit row holds the values that changed, as JSON objects: all columns
 * on insert (new) and delete (old), only the changed ones on update.  The
 * bookkeeping columns (row_version, created_at, updated_at, updated_by) are
 * left out: the audit row itself says who and when.
 *
 * Secrets (users.password_hash) are recorded as "(hidden)": the trail says
 * a password was set or changed, never the hash, which anyone who may read
 * the audit could otherwise try to crack offline.
 *
 * The audit table has BEFORE UPDATE and BEFORE DELETE triggers that raise an
 * error: it cannot be edited, through esis or otherwise.
 */
#include "db_internal.h"
#include "esis/strbuf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static bool bookkeeping(const char *col)
{
    return !strcmp(col, "row_version") || !strcmp(col, "created_at") ||
           !strcmp(col, "updated_at") || !strcmp(col, "updated_by");
}

static bool secret(const char *col)
{
    return !strcmp(col, "password_hash");
}

/* p."col", or for a secret column a marker that says only whether it is set. */
static void value_of(strbuf *sb, const char *p, const char *col)
{
    if (secret(col)) strbuf_addf(sb, "iif(%s.\"%s\" IS NULL, NULL, '(hidden)')", p, col);
    else strbuf_addf(sb, "%s.\"%s\"", p, col);
}

typedef struct cols {
    char **v;
    int n;
    bool has_school, has_round, has_id;
} cols;

static void cols_free(cols *c)
{
    for (int i = 0; i < c->n; i++) free(c->v[i]);
    free(c->v);
}

static int cols_load(sqlite3 *db, const char *table, cols *c)
{
    memset(c, 0, sizeof *c);
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(db, "SELECT name FROM pragma_table_info(?1) ORDER BY cid", -1, &st, NULL);
    if (rc != SQLITE_OK) return rc;
    sqlite3_bind_text(st, 1, table, -1, SQLITE_STATIC);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *name = (const char *)sqlite3_column_text(st, 0);
        char **v = realloc(c->v, sizeof *v * (size_t)(c->n + 1));
        if (!v) { rc = SQLITE_NOMEM; break; }
        c->v = v;
        c->v[c->n] = strdup(name);
        if (!c->v[c->n]) { rc = SQLITE_NOMEM; break; }
        c->n++;
        if (!strcmp(name, "school_code")) c->has_school = true;
        if (!strcmp(name, "round_code")) c->has_round = true;
        if (!strcmp(name, "id")) c->has_id = true;
    }
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? SQLITE_OK : rc;
}

/* json_object('a', p.a, 'b', p.b, ...) over the non-bookkeeping columns.
 * SQLite limits a function to 127 arguments, so a table of more than 60
 * such columns is built as json_patch() of two objects (no esis table has
 * more than 120). */
static void json_of(strbuf *sb, const cols *c, const char *p)
{
    int n = 0;
    for (int i = 0; i < c->n; i++) n += !bookkeeping(c->v[i]);
    bool split = n > 60;
    strbuf_add(sb, split ? "json_patch(json_object(" : "json_object(");
    int pairs = 0;
    for (int i = 0; i < c->n; i++) {
        if (bookkeeping(c->v[i])) continue;
        if (split && pairs == 60) strbuf_add(sb, "), json_object(");
        else if (pairs) strbuf_add(sb, ", ");
        strbuf_addf(sb, "'%s', ", c->v[i]);
        value_of(sb, p, c->v[i]);
        pairs++;
    }
    strbuf_add(sb, split ? "))" : ")");
}

/* (SELECT json_group_object(k, v) FROM (SELECT 'a' k, old.a v WHERE old.a IS NOT new.a UNION ALL ...)) */
static void json_changed(strbuf *sb, const cols *c, const char *side)
{
    strbuf_add(sb, "(SELECT json_group_object(k, v) FROM (");
    bool first = true;
    for (int i = 0; i < c->n; i++) {
        if (bookkeeping(c->v[i])) continue;
        if (!first) strbuf_add(sb, " UNION ALL ");
        strbuf_addf(sb, "SELECT '%s' AS k, ", c->v[i]);
        value_of(sb, side, c->v[i]);
        strbuf_addf(sb, " AS v WHERE old.\"%s\" IS NOT new.\"%s\"", c->v[i], c->v[i]);
        first = false;
    }
    strbuf_add(sb, "))");
}

static void key_expr(strbuf *sb, const char *key_cols, const char *p)
{
    char buf[256];
    snprintf(buf, sizeof buf, "%s", key_cols);
    bool first = true;
    for (char *save = NULL, *k = strtok_r(buf, " ", &save); k; k = strtok_r(NULL, " ", &save)) {
        if (!first) strbuf_add(sb, " || '/' || ");
        strbuf_addf(sb, "coalesce(%s.\"%s\", '')", p, k);
        first = false;
    }
    if (first) strbuf_add(sb, "NULL");
}

static void trigger_sql(strbuf *sb, const char *t, const char *key_cols, const cols *c)
{
    static const char *const acts[] = { "insert", "update", "delete" };
    for (int a = 0; a < 3; a++) {
        const char *p = a == 2 ? "old" : "new";
        strbuf_addf(sb, "DROP TRIGGER IF EXISTS audit_%s_%s;", t, acts[a]);
        strbuf_addf(sb, "CREATE TRIGGER audit_%s_%s AFTER %s ON %s", t, acts[a], acts[a], t);
        if (a == 0) strbuf_add(sb, " WHEN esis_audit_row()");
        if (a == 1) {
            /* Only a change of a real field is worth a row. */
            strbuf_add(sb, " WHEN ");
            bool first = true;
            for (int i = 0; i < c->n; i++) {
                if (bookkeeping(c->v[i])) continue;
                strbuf_addf(sb, "%sold.\"%s\" IS NOT new.\"%s\"", first ? "" : " OR ", c->v[i], c->v[i]);
                first = false;
            }
        }
        strbuf_add(sb, " BEGIN INSERT INTO audit(actor, origin, table_name, row_id, row_key,"
                       " school_code, round_code, action, old_values, new_values) VALUES ("
                       "esis_actor(), esis_origin(), ");
        strbuf_add_sql_literal(sb, t);
        strbuf_addf(sb, ", %s, ", c->has_id ? (a == 2 ? "old.id" : "new.id") : "NULL");
        key_expr(sb, key_cols, p);
        strbuf_addf(sb, ", %s%s, %s%s, '%s', ",
                    c->has_school ? p : "NULL", c->has_school ? ".school_code" : "",
                    c->has_round ? p : "NULL", c->has_round ? ".round_code" : "", acts[a]);
        if (a == 0) { strbuf_add(sb, "NULL, "); json_of(sb, c, "new"); }
        else if (a == 2) { json_of(sb, c, "old"); strbuf_add(sb, ", NULL"); }
        else { json_changed(sb, c, "old"); strbuf_add(sb, ", "); json_changed(sb, c, "new"); }
        strbuf_add(sb, "); END;");
    }
}

int db_audit_triggers(sqlite3 *db, char *err, size_t errsz)
{
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(db, "SELECT name, key_cols FROM esis_tables WHERE audited ORDER BY name",
                                -1, &st, NULL);
    if (rc != SQLITE_OK) {
        snprintf(err, errsz, "%s", sqlite3_errmsg(db));
        return rc;
    }
    strbuf sb = STRBUF_INIT;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *t = (const char *)sqlite3_column_text(st, 0);
        const char *k = (const char *)sqlite3_column_text(st, 1);
        cols c;
        if ((rc = cols_load(db, t, &c)) != SQLITE_OK) break;
        trigger_sql(&sb, t, k, &c);
        cols_free(&c);
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE && rc != SQLITE_OK) {
        snprintf(err, errsz, "audit triggers: %s", sqlite3_errstr(rc));
        strbuf_free(&sb);
        return rc;
    }
    strbuf_add(&sb,
        "DROP TRIGGER IF EXISTS audit_no_update;"
        "CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit"
        " BEGIN SELECT RAISE(ABORT, 'the audit trail cannot be changed'); END;"
        "DROP TRIGGER IF EXISTS audit_no_delete;"
        "CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit"
        " BEGIN SELECT RAISE(ABORT, 'the audit trail cannot be changed'); END;");
    if (sb.failed) { strbuf_free(&sb); snprintf(err, errsz, "out of memory"); return SQLITE_NOMEM; }
    rc = db_exec(db, strbuf_str(&sb), err, errsz);
    strbuf_free(&sb);
    return rc;
}

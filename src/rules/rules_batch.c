/*
 * rules_batch: checks a whole round (the office's "verify the data" step).
 *
 * Record rules run over one cursor per table (SELECT * of the round, or of
 * one school); the record handed to the evaluator points straight into the
 * statement's column text, so a million rows are checked without copying a
 * value.  Query rules (duplicates across schools, counts against EMIS, ...)
 * then run as SQL with named parameters :round :school :year :as_of
 * :prev_round.  Every flag goes to the caller's callback; storing them is
 * the caller's business (esis check writes the flags table).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sqlite3.h>
#include "rules_internal.h"
#include "esis/strbuf.h"
#include "esis/conf.h"

typedef struct batch {
    const rules_set *rs;
    sqlite3         *db;
    const rules_env *env;
    expr_env         xenv;
    const char      *school;
    const char      *lang;
    char             prev_round[32];
    rules_hit_fn     fn;
    void            *user;
    char            *err;
    size_t           errsz;
} batch;

/* The round before: from the rounds table, else by the DMC numbering
 * (2567-2 -> 2567-1, 2567-1 -> 2566-3). */
static void previous_round(batch *b)
{
    b->prev_round[0] = '\0';
    const char *code = b->env->round_code;
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(b->db, "SELECT previous_round FROM rounds WHERE round_code = ?",
                           -1, &st, NULL) == SQLITE_OK) {
        sqlite3_bind_text(st, 1, code, -1, SQLITE_STATIC);
        if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0))
            snprintf(b->prev_round, sizeof b->prev_round, "%s",
                     (const char *)sqlite3_column_text(st, 0));
        sqlite3_finalize(st);
    }
    int year, no;
    char tail;
    if (!b->prev_round[0] && sscanf(code, "%d-%d%c", &year, &no, &tail) == 2) {
        if (no > 1)
            snprintf(b->prev_round, sizeof b->prev_round, "%d-%d", year, no - 1);
        else
            snprintf(b->prev_round, sizeof b->prev_round, "%d-3", year - 1);
    }
}

static long long rules_pragma(sqlite3 *db, const char *sql)
{
    sqlite3_stmt *st;
    long long v = 0;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK) {
        if (sqlite3_step(st) == SQLITE_ROW) v = sqlite3_column_int64(st, 0);
        sqlite3_finalize(st);
    }
    return v;
}

static int emit(batch *b, const rules_rule *r, long long row_id, const char *key,
                const char *school, char *th, char *en)
{
    int rc = -1;
    if (th && en) {
        rules_hit h = {
            .table = r->table->name, .key = key, .school_code = school,
            .rule_id = r->id, .severity = r->severity,
            .field = r->nfields ? r->fields[0] : NULL,
            .message = strcmp(b->lang, "en") == 0 ? en : th,
            .message_th = th, .message_en = en, .row_id = row_id,
        };
        rc = b->fn(&h, b->user) ? 1 : 0;
    } else
        snprintf(b->err, b->errsz, "out of memory");
    free(th);
    free(en);
    return rc;
}

/* The natural key of a row for messages and the flags table: the key
 * columns other than round and school (a student's ID), or the id. */
static void row_key(const esis_table *t, const char *const *vals, long long id,
                    char *out, size_t outsz)
{
    size_t n = 0;
    out[0] = '\0';
    for (int k = 0; k < t->nkey; k++) {
        int c = -1;
        for (int i = 0; i < t->ncols && c < 0; i++)
            if (strcmp(t->cols[i], t->key_cols[k]) == 0) c = i;
        if (c < 0 || ((c == t->round_col || c == t->school_col) && t->nkey > 1))
            continue;
        n += (size_t)snprintf(out + n, n < outsz ? outsz - n : 0, "%s%s",
                              n ? " " : "", vals[c] ? vals[c] : "");
        if (n >= outsz) break;
    }
    if (!out[0])
        snprintf(out, outsz, "%lld", id);
}

/* The columns some record rule of t, its key or a message reads: only
 * those are fetched (turning every column of a wide table into text, or
 * even copying it into a register, costs more than the rules). */
static int *used_columns(const batch *b, const esis_table *t, int *nused)
{
    bool *mask = calloc((size_t)t->ncols, sizeof *mask);
    int *used = calloc((size_t)t->ncols + 1, sizeof *used);
    if (!mask || !used) { free(mask); free(used); return NULL; }
    for (int k = 0; k < b->rs->n; k++)
        if (b->rs->v[k].check && b->rs->v[k].table == t)
            rules_mark_columns(&b->rs->v[k], mask);
    for (int k = 0; k < t->nkey; k++)
        for (int c = 0; c < t->ncols; c++)
            if (strcmp(t->cols[c], t->key_cols[k]) == 0) mask[c] = true;
    if (t->school_col >= 0) mask[t->school_col] = true;
    *nused = 0;
    for (int c = 0; c < t->ncols; c++)
        if (mask[c]) used[(*nused)++] = c;
    free(mask);
    return used;
}

/* SELECT rowid, <used columns> of the round (and school), in rowid order:
 * the round's rows are found on the (round_code, ...) index, then read in
 * the table's own order, so a million rows are one forward pass over the
 * table instead of a jump per row (the index's order is not the table's). */
static sqlite3_stmt *rows_prepare(batch *b, const esis_table *t, const int *used, int nused)
{
    strbuf sql = STRBUF_INIT;
    strbuf_add(&sql, "SELECT rowid");
    for (int u = 0; u < nused; u++) strbuf_addf(&sql, ", \"%s\"", t->cols[used[u]]);
    strbuf_addf(&sql, " FROM \"%s\"", t->name);
    if (t->round_col >= 0 || (t->school_col >= 0 && b->school)) {
        strbuf_addf(&sql, " WHERE rowid IN (SELECT rowid FROM \"%s\" WHERE 1%s%s) ORDER BY rowid", t->name,
                    t->round_col >= 0 ? " AND round_code = :round" : "",
                    t->school_col >= 0 && b->school ? " AND school_code = :school" : "");
    }
    sqlite3_stmt *st = NULL;
    if (sql.failed) snprintf(b->err, b->errsz, "out of memory");
    else if (sqlite3_prepare_v2(b->db, strbuf_str(&sql), -1, &st, NULL) != SQLITE_OK) {
        snprintf(b->err, b->errsz, "%s: %s", t->name, sqlite3_errmsg(b->db));
        st = NULL;
    }
    strbuf_free(&sql);
    if (!st) return NULL;
    int i;
    if ((i = sqlite3_bind_parameter_index(st, ":round")))
        sqlite3_bind_text(st, i, b->env->round_code, -1, SQLITE_STATIC);
    if ((i = sqlite3_bind_parameter_index(st, ":school")))
        sqlite3_bind_text(st, i, b->school, -1, SQLITE_STATIC);
    return st;
}

static int check_table(batch *b, const esis_table *t)
{
    int nused = 0;
    int *used = used_columns(b, t, &nused);
    const char **vals = calloc((size_t)t->ncols, sizeof *vals);
    /* the record rules of this table that apply, once */
    const rules_rule **rules = calloc((size_t)b->rs->n + 1, sizeof *rules);
    if (!used || !vals || !rules) {
        free(used); free(vals); free(rules);
        snprintf(b->err, b->errsz, "out of memory");
        return -1;
    }
    int nrules = 0;
    for (int k = 0; k < b->rs->n; k++) {
        const rules_rule *r = &b->rs->v[k];
        if (r->check && r->table == t && rules_applies(r, b->env)) rules[nrules++] = r;
    }
    sqlite3_stmt *st = rows_prepare(b, t, used, nused);
    if (!st) { free(used); free(vals); free(rules); return -1; }
    int rc = 0, step;
    char key[256];
    while (rc == 0 && (step = sqlite3_step(st)) == SQLITE_ROW) {
        for (int u = 0; u < nused; u++)
            vals[used[u]] = (const char *)sqlite3_column_text(st, u + 1);
        for (int k = 0; k < nrules && rc == 0; k++) {
            const rules_rule *r = rules[k];
            if (!rules_rule_fails(r, vals, &b->xenv))
                continue;
            long long id = sqlite3_column_int64(st, 0);
            row_key(t, vals, id, key, sizeof key);
            const char *school = t->school_col >= 0 ? vals[t->school_col] : NULL;
            rc = emit(b, r, id, key, school,
                      rules_render(r, &r->msg_th, vals, &b->xenv, NULL, NULL, NULL),
                      rules_render(r, &r->msg_en, vals, &b->xenv, NULL, NULL, NULL));
        }
    }
    if (rc == 0 && step != SQLITE_DONE) {
        snprintf(b->err, b->errsz, "%s: %s", t->name, sqlite3_errmsg(b->db));
        rc = -1;
    }
    free(vals);
    free(used);
    free(rules);
    sqlite3_finalize(st);
    return rc;
}

static int run_query(batch *b, const rules_rule *r)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(b->db, r->query, -1, &st, NULL) != SQLITE_OK) {
        snprintf(b->err, b->errsz, "%s: [%s] query: %s", r->file, r->id, sqlite3_errmsg(b->db));
        return -1;
    }
    char as_of[16];
    text_date_iso(b->env->as_of, as_of);
    int i;
    if ((i = sqlite3_bind_parameter_index(st, ":round")))
        sqlite3_bind_text(st, i, b->env->round_code, -1, SQLITE_STATIC);
    if ((i = sqlite3_bind_parameter_index(st, ":school"))) {
        if (b->school) sqlite3_bind_text(st, i, b->school, -1, SQLITE_STATIC);
        else sqlite3_bind_null(st, i);
    }
    if ((i = sqlite3_bind_parameter_index(st, ":year")))
        sqlite3_bind_int(st, i, b->env->academic_year);
    if ((i = sqlite3_bind_parameter_index(st, ":as_of")))
        sqlite3_bind_text(st, i, as_of, -1, SQLITE_TRANSIENT);
    if ((i = sqlite3_bind_parameter_index(st, ":prev_round")))
        sqlite3_bind_text(st, i, b->prev_round, -1, SQLITE_STATIC);
    /* :conf_NAME is a threshold of esis.ini (checked at load). */
    for (i = 1; i <= sqlite3_bind_parameter_count(st); i++) {
        const char *name = sqlite3_bind_parameter_name(st, i);
        double v;
        if (name && !strncmp(name, ":conf_", 6) && b->rs->conf && conf_number(b->rs->conf, name + 6, &v))
            sqlite3_bind_double(st, i, v);
    }
    int rc = 0, step;
    while (rc == 0 && (step = sqlite3_step(st)) == SQLITE_ROW) {
        long long id = sqlite3_column_int64(st, 0);
        const char *school = (const char *)sqlite3_column_text(st, 1);
        const char *key = (const char *)sqlite3_column_text(st, 2);
        const char *value = (const char *)sqlite3_column_text(st, 3);
        rc = emit(b, r, id, key, school,
                  rules_render(r, &r->msg_th, NULL, &b->xenv, value, key, school),
                  rules_render(r, &r->msg_en, NULL, &b->xenv, value, key, school));
    }
    if (rc == 0 && step != SQLITE_DONE) {
        snprintf(b->err, b->errsz, "%s: [%s] query: %s", r->file, r->id, sqlite3_errmsg(b->db));
        rc = -1;
    }
    sqlite3_finalize(st);
    return rc;
}

int rules_check_round(const rules_set *rs, struct sqlite3 *db,
                      const rules_env *env, const char *school_code,
                      const char *lang, rules_hit_fn fn, void *user,
                      char *err, size_t errsz)
{
    if (!rs || !db || !env || !env->round_code || !fn) {
        snprintf(err, errsz, "rules_check_round: missing argument");
        return -1;
    }
    batch b = { .rs = rs, .db = db, .env = env, .xenv = rules_expr_env(env),
                .school = school_code, .lang = lang ? lang : "th",
                .fn = fn, .user = user, .err = err, .errsz = errsz };
    previous_round(&b);
    /* The batch reads the round's rows once and the query rules walk the
     * indexes: read through a memory map, a page costs no system call and
     * no copy (half of the check's time through pread); a larger page cache
     * keeps the indexes the query rules revisit.  Both put back after. */
    long long old_mmap = rules_pragma(db, "PRAGMA mmap_size");
    long long old_cache = rules_pragma(db, "PRAGMA cache_size");
    sqlite3_exec(db, "PRAGMA mmap_size = 1073741824; PRAGMA cache_size = -16384", NULL, NULL, NULL);
    int rc = 0;
    /* Each table with record rules once, in the order its first rule comes. */
    for (int k = 0; k < rs->n && rc == 0; k++) {
        const rules_rule *r = &rs->v[k];
        bool first = r->check != NULL;
        for (int j = 0; j < k && first; j++)
            first = !(rs->v[j].check && rs->v[j].table == r->table);
        if (first)
            rc = check_table(&b, r->table);
    }
    for (int k = 0; k < rs->n && rc == 0; k++)
        if (rs->v[k].query && rules_applies(&rs->v[k], env))
            rc = run_query(&b, &rs->v[k]);
    char restore[96];
    snprintf(restore, sizeof restore, "PRAGMA mmap_size = %lld; PRAGMA cache_size = %lld", old_mmap, old_cache);
    sqlite3_exec(db, restore, NULL, NULL, NULL);
    return rc < 0 ? -1 : 0;
}

/*
 * db_cursor.c: keyset paging over any table or view (see db_cursor.h for
 * the contract and how each kind of column sorts).
 *
 * Every fetch builds one SELECT from the cursor's state:
 *
 *   SELECT s.id, <columns>, <sort value>, <tie-break values>
 *   FROM <table> s                      -- or sort_keys k CROSS JOIN <table> s
 *   WHERE <scope> AND <round> AND <filters> AND <search>
 *     AND (<sort>, <tie-break>) > (?, ?)   -- the anchor, for AFTER/BEFORE/AT
 *   ORDER BY <sort>, <tie-break> LIMIT n
 *
 * Why the row-value comparison: it is the one form SQLite turns into an index
 * range scan, so the page after any row costs the same at row 10 and at row
 * 999,990, and "the last page" is the same scan read backwards.  Pages before
 * an anchor are scanned backwards and handed out reversed.
 *
 * Thai-sorted columns with keys in sort_keys (migration 4) are scanned in the
 * key index, joining each row by id; CROSS JOIN fixes that loop order
 * (otherwise the planner may prefer a filter's index and sort everything).
 * With a search the match list is usually small, so the planner is left to
 * start from the FTS index instead.
 */
#include "db_cursor_internal.h"
#include "esis/strbuf.h"
#include "esis/text.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { DB_CURSOR_MAX_TB = 4, DB_CURSOR_COUNT_CAP = 10000, DB_CURSOR_MAX_PAGE = 1000 };

typedef enum db_sort_kind { SORT_KEYED, SORT_NUMBER, SORT_BINARY, SORT_THAI } db_sort_kind;

struct db_cursor {
    sqlite3          *db;
    const esis_table *t;
    int              *cols;       /* column indexes of the returned columns */
    int               ncols;
    char             *round;
    int              *search;     /* column indexes searched by prefix */
    int               nsearch;
    char             *fts;
    int               sort;       /* column index, -1: the tie-break */
    bool              desc;
    db_sort_kind      kind;
    char             *key_grp;    /* keyed sort: "" or the group column */
    int               tb[DB_CURSOR_MAX_TB];
    int               ntb;
    int              *fcol;       /* filters */
    char            **fval;
    int               nf;
    char             *text;       /* search text, "" when none */
    bool              dense;      /* the search matches many rows */
    char             *counts;     /* def->count_from, or NULL */
    bool             *counted;    /* per column of t: the counts table has it */
    long              count;      /* cached count, -1 unknown */
    bool              count_exact;
    char              err[256];
};

/* ---- small helpers ------------------------------------------------------- */

static bool ends_with(const char *s, const char *suffix)
{
    size_t a = strlen(s), b = strlen(suffix);
    return a >= b && strcmp(s + a - b, suffix) == 0;
}

static bool numeric_type(const char *type)
{
    return strstr(type, "INT") || strstr(type, "REAL") || strstr(type, "NUM") ||
           strstr(type, "FLOA") || strstr(type, "DOUB");
}

/* Text that holds codes, IDs and ISO dates: byte order is its order. */
static bool code_like(const char *col)
{
    return ends_with(col, "_code") || ends_with(col, "_id") || ends_with(col, "_date") ||
           ends_with(col, "_on") || ends_with(col, "_at") || !strcmp(col, "login") ||
           !strcmp(col, "grade") || !strcmp(col, "id");
}

static bool masked(const db_cursor *c, int col)
{
    const db_session *s = db_session_get(c->db);
    return c->t->personal[col] && s && !s->see_personal;
}

/* ---- open, settings ------------------------------------------------------- */

static int col_of(db_cursor *c, const char *name, const char *what)
{
    int i = name ? schema_col(c->t, name) : -1;
    if (i < 0)
        snprintf(c->err, sizeof c->err, "%s: %s: no column '%s'", c->t->name, what,
                 name ? name : "(null)");
    return i;
}

/* The sort kind of column i; keyed when sort_key_cols lists it and its
 * group is usable (a table grouped by round needs the round fixed). */
static db_sort_kind sort_kind(db_cursor *c, int i)
{
    free(c->key_grp);
    c->key_grp = NULL;
    if (i < 0)
        return SORT_NUMBER;
    sqlite3_stmt *st = NULL;
    if (db_prepare(c->db, "SELECT grp_col FROM sort_key_cols WHERE tbl = ?1 AND col = ?2",
                   &st) == SQLITE_OK) {
        sqlite3_bind_text(st, 1, c->t->name, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 2, c->t->cols[i], -1, SQLITE_STATIC);
        if (db_step(st) == SQLITE_ROW) {
            const char *g = (const char *)sqlite3_column_text(st, 0);
            if (!*g || (c->round && !strcmp(g, "round_code")))
                c->key_grp = strdup(g);
        }
    }
    sqlite3_finalize(st);
    if (c->key_grp)
        return SORT_KEYED;
    if (numeric_type(c->t->types[i]))
        return SORT_NUMBER;
    return code_like(c->t->cols[i]) ? SORT_BINARY : SORT_THAI;
}

/* The counts table of def->count_from: which of the table's columns it
 * holds, and that it holds n and what every window is narrowed by (the
 * round, the school of the session's scope). */
static int counts_open(db_cursor *c, const char *counts)
{
    c->counts = strdup(counts);
    c->counted = calloc((size_t)c->t->ncols + 1, sizeof *c->counted);
    if (!c->counts || !c->counted)
        return -1;
    sqlite3_stmt *st = NULL;
    bool has_n = false;
    int seen = 0;
    if (db_prepare(c->db, "SELECT name FROM pragma_table_info(?1)", &st) == SQLITE_OK) {
        sqlite3_bind_text(st, 1, counts, -1, SQLITE_STATIC);
        while (db_step(st) == SQLITE_ROW) {
            const char *name = (const char *)sqlite3_column_text(st, 0);
            int i = schema_col(c->t, name);
            if (i >= 0)
                c->counted[i] = true;
            has_n |= !strcmp(name, "n");
            seen++;
        }
    }
    sqlite3_finalize(st);
    if (!seen) {
        snprintf(c->err, sizeof c->err, "%s: count_from: no table '%s'", c->t->name, counts);
        return -1;
    }
    const char *lacks = !has_n ? "n"
                      : c->round && !c->counted[c->t->round_col] ? "round_code"
                      : c->t->school_col >= 0 && !c->counted[c->t->school_col] ? "school_code" : NULL;
    if (lacks) {
        snprintf(c->err, sizeof c->err, "%s: count_from: '%s' has no column %s", c->t->name, counts, lacks);
        return -1;
    }
    return 0;
}

db_cursor *db_cursor_open(sqlite3 *db, const esis_schema *schema,
                          const db_cursor_def *def, char *err, size_t errsz)
{
    const esis_table *t = schema_table(schema, def->table);
    if (!t) {
        snprintf(err, errsz, "no table or view '%s'", def->table);
        return NULL;
    }
    db_cursor *c = calloc(1, sizeof *c);
    if (!c) {
        snprintf(err, errsz, "out of memory");
        return NULL;
    }
    c->db = db;
    c->t = t;
    c->count = -1;
    c->sort = -1;
    c->text = strdup("");
    c->cols = calloc((size_t)def->ncols + 1, sizeof *c->cols);
    c->search = calloc((size_t)def->nsearch + 1, sizeof *c->search);
    if (!c->text || !c->cols || !c->search)
        goto fail;
    c->ncols = def->ncols;
    for (int i = 0; i < def->ncols; i++)
        if ((c->cols[i] = col_of(c, def->cols[i], "column")) < 0)
            goto fail;
    c->nsearch = def->nsearch;
    for (int i = 0; i < def->nsearch; i++)
        if ((c->search[i] = col_of(c, def->search_cols[i], "search")) < 0)
            goto fail;
    if (def->round_code && t->round_col >= 0 && !(c->round = strdup(def->round_code)))
        goto fail;
    if (def->search_fts && !(c->fts = strdup(def->search_fts)))
        goto fail;
    if (def->count_from && counts_open(c, def->count_from) != 0)
        goto fail;
    if (t->id_col >= 0) {
        c->tb[c->ntb++] = t->id_col;
    } else {
        for (int k = 0; k < t->nkey && c->ntb < DB_CURSOR_MAX_TB; k++)
            if ((c->tb[c->ntb++] = col_of(c, t->key_cols[k], "key")) < 0)
                goto fail;
    }
    if (c->ntb == 0) {
        snprintf(c->err, sizeof c->err, "%s: no id and no key columns to page by", t->name);
        goto fail;
    }
    if (db_cursor_sort(c, def->sort, false) != 0)
        goto fail;
    return c;
fail:
    snprintf(err, errsz, "%s", *c->err ? c->err : "out of memory");
    db_cursor_free(c);
    return NULL;
}

void db_cursor_free(db_cursor *c)
{
    if (!c)
        return;
    db_cursor_filters_clear(c);
    free(c->fcol);
    free(c->fval);
    free(c->cols);
    free(c->search);
    free(c->round);
    free(c->fts);
    free(c->counts);
    free(c->counted);
    free(c->key_grp);
    free(c->text);
    free(c);
}

int db_cursor_sort(db_cursor *c, const char *col, bool desc)
{
    int i = -1;
    if (col && (i = col_of(c, col, "sort")) < 0)
        return -1;
    c->sort = i;
    c->desc = desc;
    c->kind = sort_kind(c, i);
    return 0;
}

const char *db_cursor_sort_col(const db_cursor *c)
{
    return c->sort >= 0 ? c->t->cols[c->sort] : NULL;
}

bool db_cursor_sort_desc(const db_cursor *c)
{
    return c->desc;
}

int db_cursor_filter(db_cursor *c, const char *col, const char *value)
{
    int i = col_of(c, col, "filter");
    if (i < 0)
        return -1;
    c->count = -1;
    for (int k = 0; k < c->nf; k++) {
        if (c->fcol[k] != i)
            continue;
        free(c->fval[k]);
        if (value) {
            return (c->fval[k] = strdup(value)) ? 0 : -1;
        }
        c->nf--;
        memmove(c->fcol + k, c->fcol + k + 1, (size_t)(c->nf - k) * sizeof *c->fcol);
        memmove(c->fval + k, c->fval + k + 1, (size_t)(c->nf - k) * sizeof *c->fval);
        return 0;
    }
    if (!value)
        return 0;
    int *fc = realloc(c->fcol, (size_t)(c->nf + 1) * sizeof *fc);
    if (fc)
        c->fcol = fc;
    char **fv = realloc(c->fval, (size_t)(c->nf + 1) * sizeof *fv);
    if (fv)
        c->fval = fv;
    if (!fc || !fv || !(c->fval[c->nf] = strdup(value)))
        return -1;
    c->fcol[c->nf++] = i;
    return 0;
}

void db_cursor_filters_clear(db_cursor *c)
{
    for (int k = 0; k < c->nf; k++)
        free(c->fval[k]);
    c->nf = 0;
    c->count = -1;
}

int db_cursor_nfilters(const db_cursor *c)
{
    return c->nf;
}

static size_t code_points(const char *s)
{
    size_t n = 0;
    for (; *s; s++)
        n += ((unsigned char)*s & 0xC0) != 0x80;
    return n;
}

static bool use_keys(const db_cursor *c)
{
    return c->kind == SORT_KEYED;
}

static void fts_phrase(strbuf *phrase, const char *text)
{
    strbuf_addc(phrase, '"');
    for (const char *s = text; *s; s++) {
        if (*s == '"')
            strbuf_addc(phrase, '"');
        strbuf_addc(phrase, *s);
    }
    strbuf_addc(phrase, '"');
}

/* Which loop to start from: a search matching thousands of rows finds a
 * page soonest by walking the sort index and testing each row; a rare one
 * by taking its few matches and sorting them.  One capped probe of the FTS
 * index per search text decides. */
static bool search_is_dense(db_cursor *c)
{
    strbuf sql = STRBUF_INIT, phrase = STRBUF_INIT;
    strbuf_addf(&sql, "SELECT count(*) FROM (SELECT 1 FROM \"%s\" WHERE \"%s\" MATCH ?1 LIMIT 2000)",
                c->fts, c->fts);
    fts_phrase(&phrase, c->text);
    sqlite3_stmt *st = NULL;
    long n = 0;
    if (!sql.failed && !phrase.failed && db_prepare(c->db, strbuf_str(&sql), &st) == SQLITE_OK) {
        sqlite3_bind_text(st, 1, strbuf_str(&phrase), -1, SQLITE_STATIC);
        if (db_step(st) == SQLITE_ROW)
            n = (long)sqlite3_column_int64(st, 0);
    }
    sqlite3_finalize(st);
    strbuf_free(&sql);
    strbuf_free(&phrase);
    return n >= 2000;
}

int db_cursor_search(db_cursor *c, const char *text)
{
    char *t = strdup(text ? text : "");
    if (!t)
        return -1;
    free(c->text);
    c->text = text_trim(t);
    c->count = -1;
    c->dense = false;
    if (c->fts && code_points(c->text) >= 3 && use_keys(c))
        c->dense = search_is_dense(c);
    return 0;
}

const char *db_cursor_search_text(const db_cursor *c)
{
    return c->text;
}

const char *db_cursor_error(const db_cursor *c)
{
    return c->err;
}

/* ---- building the query --------------------------------------------------- */

typedef struct db_query {
    strbuf  sql;
    db_val  par[64];
    int     npar;
} db_query;

static void par_text(db_query *q, const char *s)
{
    if (q->npar >= (int)(sizeof q->par / sizeof q->par[0]))
        return;
    db_val *v = &q->par[q->npar++];
    v->type = SQLITE_TEXT;
    v->bytes = strdup(s);
    v->n = v->bytes ? (int)strlen(v->bytes) : 0;
}

static void par_val(db_query *q, const db_val *src)
{
    if (q->npar >= (int)(sizeof q->par / sizeof q->par[0]))
        return;
    db_val *v = &q->par[q->npar++];
    *v = *src;
    if (src->bytes && (v->bytes = malloc((size_t)src->n + 1)) != NULL)
        memcpy(v->bytes, src->bytes, (size_t)src->n + 1);
}

static void query_free(db_query *q)
{
    strbuf_free(&q->sql);
    for (int i = 0; i < q->npar; i++)
        db_val_clear(&q->par[i]);
    q->npar = 0;
}

/* The sort expression as compared (with its collation) and as selected. */
static void sort_expr(const db_cursor *c, strbuf *sb, bool collate)
{
    if (c->sort < 0)
        strbuf_addf(sb, "s.\"%s\"", c->t->cols[c->tb[0]]);
    else if (use_keys(c))
        strbuf_add(sb, "k.key");
    else
        strbuf_addf(sb, "s.\"%s\"%s", c->t->cols[c->sort],
                    collate && c->kind == SORT_THAI ? " COLLATE thai" : "");
}

static void tb_list(const db_cursor *c, strbuf *sb, const char *dir)
{
    for (int k = 0; k < c->ntb; k++)
        strbuf_addf(sb, "%s%s%s%s", k ? ", " : "",
                    use_keys(c) ? "k.row_id" : "s.\"", use_keys(c) ? "" : c->t->cols[c->tb[k]],
                    use_keys(c) ? "" : "\"");
    if (dir)
        strbuf_addf(sb, " %s", dir);
}

/* Append LIKE 'text%' escaping % and _ with a backslash. */
static void like_param(db_query *q, const char *text, bool substring)
{
    strbuf p = STRBUF_INIT;
    if (substring)
        strbuf_addc(&p, '%');
    for (const char *s = text; *s; s++) {
        if (*s == '%' || *s == '_' || *s == '\\')
            strbuf_addc(&p, '\\');
        strbuf_addc(&p, *s);
    }
    strbuf_addc(&p, '%');
    par_text(q, strbuf_str(&p));
    strbuf_free(&p);
}

/* Searching: a rare text of 3 characters or more through the trigram index
 * (restricted to the columns the session may see); a common one, or a short
 * one, tested row by row as the sort index is walked: LIKE '%text%' or
 * LIKE 'text%' (both case-blind for ASCII only, as trigram is; Thai as
 * typed). */
static void search_cond(const db_cursor *c, db_query *q)
{
    strbuf *sb = &q->sql;
    bool substring = c->fts && code_points(c->text) >= 3;
    if (substring && !c->dense) {
        strbuf phrase = STRBUF_INIT;
        bool any_masked = false;
        for (int k = 0; k < c->nsearch; k++)
            any_masked |= masked(c, c->search[k]);
        if (any_masked) {
            strbuf_addc(&phrase, '{');
            for (int k = 0; k < c->nsearch; k++)
                if (!masked(c, c->search[k]))
                    strbuf_addf(&phrase, " %s", c->t->cols[c->search[k]]);
            strbuf_add(&phrase, " } : ");
        }
        fts_phrase(&phrase, c->text);
        strbuf_addf(sb, " AND s.id IN (SELECT rowid FROM \"%s\" WHERE \"%s\" MATCH ?)",
                    c->fts, c->fts);
        par_text(q, strbuf_str(&phrase));
        strbuf_free(&phrase);
        return;
    }
    strbuf_add(sb, " AND (0");
    for (int k = 0; k < c->nsearch; k++) {
        if (masked(c, c->search[k]))
            continue;
        strbuf_addf(sb, " OR s.\"%s\" LIKE ? ESCAPE '\\'", c->t->cols[c->search[k]]);
        like_param(q, c->text, substring);
    }
    strbuf_addc(sb, ')');
}

/* FROM and the narrowing conditions, shared by fetch and count. */
/* The session's scope, the round and the filters, on the rows as s. */
static void narrowing(const db_cursor *c, db_query *q, bool round_unindexed)
{
    strbuf *sb = &q->sql;
    char scope[128];
    if (c->t->school_col >= 0)
        strbuf_addf(sb, " AND %s", db_scope_sql(c->db, "s.school_code", scope, sizeof scope));
    if (c->round) {
        strbuf_add(sb, round_unindexed ? " AND +s.round_code = ?" : " AND s.round_code = ?");
        par_text(q, c->round);
    }
    for (int k = 0; k < c->nf; k++) {
        strbuf_addf(sb, " AND s.\"%s\" = ?", c->t->cols[c->fcol[k]]);
        par_text(q, c->fval[k]);
    }
}

static void from_where(const db_cursor *c, db_query *q, bool keys)
{
    strbuf *sb = &q->sql;
    if (keys)
        strbuf_addf(sb, " FROM sort_keys k %s \"%s\" s ON s.id = k.row_id"
                        " WHERE k.tbl = ? AND k.col = ? AND k.grp = ?",
                    *c->text && !c->dense ? "JOIN" : "CROSS JOIN", c->t->name);
    else
        strbuf_addf(sb, " FROM \"%s\" s WHERE 1", c->t->name);
    if (keys) {
        par_text(q, c->t->name);
        par_text(q, c->t->cols[c->sort]);
        par_text(q, *c->key_grp ? c->round : "");
    }
    /* Without a sort index the window is read whole and top-n sorted: a
     * sequential scan beats a million lookups through the round's index
     * (3.6 s against 0.3 s), so "+" keeps that index out. */
    narrowing(c, q, !keys && c->sort >= 0);
    if (*c->text)
        search_cond(c, q);
}

/* (S, tb...) op (?, ?...), with NULL sort values placed first. */
static void keyset_cond(const db_cursor *c, db_query *q, const db_val *anchor,
                        bool greater, bool inclusive)
{
    strbuf *sb = &q->sql;
    const char *op = greater ? (inclusive ? ">=" : ">") : (inclusive ? "<=" : "<");
    bool has_sort = c->sort >= 0;
    bool nullable = has_sort && !use_keys(c) && !c->t->notnull[c->sort];
    strbuf s = STRBUF_INIT, tb = STRBUF_INIT;
    sort_expr(c, &s, true);
    tb_list(c, &tb, NULL);
    if (has_sort && anchor[0].type == SQLITE_NULL) {
        strbuf_addf(sb, " AND ((%s IS NULL AND (%s) %s (", strbuf_str(&s), strbuf_str(&tb), op);
        for (int k = 0; k < c->ntb; k++) {
            strbuf_add(sb, k ? ", ?" : "?");
            par_val(q, &anchor[1 + k]);
        }
        strbuf_add(sb, "))");
        if (greater)
            strbuf_addf(sb, " OR %s IS NOT NULL", strbuf_str(&s));
        strbuf_addc(sb, ')');
    } else {
        strbuf_addf(sb, " AND ((%s%s%s) %s (", has_sort ? strbuf_str(&s) : "",
                    has_sort ? ", " : "", strbuf_str(&tb), op);
        for (int k = has_sort ? 0 : 1; k <= c->ntb; k++) {
            strbuf_add(sb, k > (has_sort ? 0 : 1) ? ", ?" : "?");
            par_val(q, &anchor[k]);
        }
        strbuf_addf(sb, ")%s%s%s)", nullable && !greater ? " OR " : "",
                    nullable && !greater ? strbuf_str(&s) : "",
                    nullable && !greater ? " IS NULL" : "");
    }
    strbuf_free(&s);
    strbuf_free(&tb);
}

/* ---- fetching -------------------------------------------------------------- */

typedef struct db_page_row {
    long long id;
    char    **values;
    char     *anchor;
} db_page_row;

static void page_rows_free(db_page_row *rows, int n, int ncols)
{
    for (int i = 0; i < n; i++) {
        for (int k = 0; k < ncols; k++)
            free(rows[i].values[k]);
        free(rows[i].values);
        free(rows[i].anchor);
    }
    free(rows);
}

/* SELECT list: id, the columns (personal ones masked), the sort value and
 * the tie-break values that make the anchor. */
static void select_list(const db_cursor *c, strbuf *sb)
{
    strbuf_add(sb, c->t->id_col >= 0 ? "SELECT s.id" : "SELECT 0");
    for (int k = 0; k < c->ncols; k++) {
        const char *name = c->t->cols[c->cols[k]];
        if (masked(c, c->cols[k]))
            strbuf_addf(sb, ", esis_mask(s.\"%s\")", name);
        else
            strbuf_addf(sb, ", s.\"%s\"", name);
    }
    strbuf_add(sb, ", ");
    sort_expr(c, sb, false);
    strbuf_add(sb, ", ");
    tb_list(c, sb, NULL);
}

static int run_page(db_cursor *c, db_query *q, int n, db_page_row *rows)
{
    sqlite3_stmt *st = NULL;
    if (db_prepare(c->db, strbuf_str(&q->sql), &st) != SQLITE_OK) {
        snprintf(c->err, sizeof c->err, "%s", sqlite3_errmsg(c->db));
        return -1;
    }
    for (int i = 0; i < q->npar; i++)
        db_val_bind(st, i + 1, &q->par[i]);
    int got = 0, rc;
    while (got < n && (rc = db_step(st)) == SQLITE_ROW) {
        db_page_row *r = &rows[got];
        r->values = calloc((size_t)c->ncols + 1, sizeof *r->values);
        if (!r->values)
            break;
        got++;
        r->id = sqlite3_column_int64(st, 0);
        for (int k = 0; k < c->ncols; k++) {
            const char *v = (const char *)sqlite3_column_text(st, 1 + k);
            r->values[k] = v ? strdup(v) : NULL;
        }
        strbuf a = STRBUF_INIT;
        for (int k = 0; k <= c->ntb; k++)
            db_anchor_add(&a, st, 1 + c->ncols + k);
        r->anchor = strbuf_take(&a);
    }
    if (got < n && rc != SQLITE_DONE && rc != SQLITE_ROW) {
        snprintf(c->err, sizeof c->err, "%s", sqlite3_errmsg(c->db));
        sqlite3_finalize(st);
        return -1;
    }
    sqlite3_finalize(st);
    return got;
}

int db_cursor_fetch(db_cursor *c, db_page_where where, const char *anchor,
                    int n, db_cursor_row_fn fn, void *user)
{
    db_val a[DB_CURSOR_MAX_TB + 1];
    memset(a, 0, sizeof a);
    *c->err = '\0';
    if (n < 1 || n > DB_CURSOR_MAX_PAGE) {
        snprintf(c->err, sizeof c->err, "page size %d out of range", n);
        return -1;
    }
    bool keyed = where >= DB_PAGE_AT;
    if (keyed && (!anchor || db_anchor_parse(anchor, a, c->ntb + 1) != 0)) {
        snprintf(c->err, sizeof c->err, "bad anchor '%s'", anchor ? anchor : "(null)");
        for (int k = 0; k <= c->ntb; k++)
            db_val_clear(&a[k]);
        return -1;
    }
    /* In ascending terms: do we want rows above the anchor, and is the scan
     * the display order reversed? */
    bool greater = (where != DB_PAGE_BEFORE && where != DB_PAGE_LAST) != c->desc;
    bool reverse = where == DB_PAGE_BEFORE || where == DB_PAGE_LAST;
    db_query q = { STRBUF_INIT, {{0}}, 0 };
    select_list(c, &q.sql);
    from_where(c, &q, use_keys(c));
    if (keyed)
        keyset_cond(c, &q, a, greater, where == DB_PAGE_AT);
    const char *dir = greater ? "ASC" : "DESC";
    strbuf_add(&q.sql, " ORDER BY ");
    if (c->sort >= 0) {
        sort_expr(c, &q.sql, true);
        strbuf_addf(&q.sql, " %s, ", dir);
    }
    for (int k = 0; k < c->ntb; k++) {
        strbuf tb = STRBUF_INIT;
        if (use_keys(c))
            strbuf_add(&tb, "k.row_id");
        else
            strbuf_addf(&tb, "s.\"%s\"", c->t->cols[c->tb[k]]);
        strbuf_addf(&q.sql, "%s%s %s", k ? ", " : "", strbuf_str(&tb), dir);
        strbuf_free(&tb);
    }
    strbuf_addf(&q.sql, " LIMIT %d", n);
    for (int k = 0; k <= c->ntb; k++)
        db_val_clear(&a[k]);
    if (q.sql.failed) {
        query_free(&q);
        snprintf(c->err, sizeof c->err, "out of memory");
        return -1;
    }
    db_page_row *rows = calloc((size_t)n, sizeof *rows);
    int got = rows ? run_page(c, &q, n, rows) : -1;
    query_free(&q);
    if (got < 0) {
        free(rows);
        return -1;
    }
    for (int i = 0; i < got; i++) {
        const db_page_row *r = &rows[reverse ? got - 1 - i : i];
        db_cursor_row row = { r->id, (const char *const *)r->values, r->anchor };
        if (fn && fn(user, &row) != 0)
            break;
    }
    page_rows_free(rows, got, c->ncols);
    return got;
}

/* ---- counting -------------------------------------------------------------- */

/* Run a query of one number and free it: the number, or -1 with c->err. */
static long count_run(db_cursor *c, db_query *q)
{
    sqlite3_stmt *st = NULL;
    long n = -1;
    if (!q->sql.failed && db_prepare(c->db, strbuf_str(&q->sql), &st) == SQLITE_OK) {
        for (int i = 0; i < q->npar; i++)
            db_val_bind(st, i + 1, &q->par[i]);
        if (db_step(st) == SQLITE_ROW)
            n = (long)sqlite3_column_int64(st, 0);
    }
    if (n < 0)
        snprintf(c->err, sizeof c->err, "%s", q->sql.failed ? "out of memory" : sqlite3_errmsg(c->db));
    sqlite3_finalize(st);
    query_free(q);
    return n;
}

static long count_query(db_cursor *c, long cap)
{
    db_query q = { STRBUF_INIT, {{0}}, 0 };
    strbuf_add(&q.sql, cap > 0 ? "SELECT count(*) FROM (SELECT 1" : "SELECT count(*)");
    from_where(c, &q, false);
    if (cap > 0)
        strbuf_addf(&q.sql, " LIMIT %ld)", cap);
    return count_run(c, &q);
}

/* The window counted from def->count_from instead of its rows (a few rows
 * a school there: the same time at 7 million students as at 50,000), when
 * that table holds what narrows it: no search, and every filter on one of
 * its columns with a value (the counts table keeps NULL and '' as one).
 * -2 when it does not apply, -1 on error. */
static long count_from_counts(db_cursor *c)
{
    if (!c->counts || *c->text)
        return -2;
    for (int k = 0; k < c->nf; k++)
        if (!c->counted[c->fcol[k]] || !*c->fval[k])
            return -2;
    db_query q = { STRBUF_INIT, {{0}}, 0 };
    strbuf_addf(&q.sql, "SELECT coalesce(sum(s.n), 0) FROM \"%s\" s WHERE 1", c->counts);
    narrowing(c, &q, false);
    return count_run(c, &q);
}

void db_cursor_recount(db_cursor *c)
{
    c->count = -1;
}

/* Searching recounts at every key, so it counts only up to the cap; the
 * whole window is counted exactly once (an index scan: tens of
 * milliseconds at a million rows) and kept until the narrowing changes. */
long db_cursor_count(db_cursor *c, bool *exact)
{
    if (c->count >= 0) {
        *exact = c->count_exact;
        return c->count;
    }
    long n = count_from_counts(c);
    if (n != -2) {
        c->count = n < 0 ? -1 : n;
        c->count_exact = *exact = n >= 0;
        return n;
    }
    long cap = *c->text ? DB_CURSOR_COUNT_CAP / 10 : DB_CURSOR_COUNT_CAP;
    n = count_query(c, cap + 1);
    bool ex = n >= 0 && n <= cap;
    if (n > cap && !*c->text) {
        long all = count_query(c, 0);
        if (all >= 0) {
            n = all;
            ex = true;
        }
    } else if (n > cap) {
        n = cap;
    }
    c->count = n;
    c->count_exact = ex;
    *exact = ex;
    return n;
}

/*
 * rules_batch: checks a whole round (the office's "verify the data" step).
 *
 * The check is planned as tasks: the record rules of each table over a
 * range of its rows (the round's rows lie together, so a range is one
 * forward pass over the table, no index, no sort), then each query rule
 * (duplicates across schools, counts against EMIS, ...) as SQL with named
 * parameters :round :school :year :as_of :prev_round.  A large round is run
 * by one worker thread per processor, each on its own read-only connection
 * (db_open_reader), while the caller's thread hands the flags to the
 * callback in task order: the same flags in the same order as one pass,
 * which is what a small round (or an in-memory database) gets.  Workers run
 * the query rules first (long single statements) and may not run more
 * than a few range tasks ahead of the emitter, so the flags waiting in
 * memory stay few.  The record handed to the evaluator points straight
 * into the statement's column text; a per-task memo keeps what a column's
 * text was read as (a date, a number) for the rules of that row.  Storing
 * the flags is the caller's business (esis check writes the flags table).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <pthread.h>
#include <unistd.h>
#include <sqlite3.h>
#include "rules_internal.h"
#include "esis/strbuf.h"
#include "esis/conf.h"
#include "esis/db.h"
#include "esis/db_gate.h"
#include "esis/text.h"

/* A flag a task found, kept until the task's turn to be emitted. */
typedef struct batch_hit {
    const rules_rule *r;
    long long         row_id;
    char             *key, *school, *th, *en; /* owned */
    char             *value;    /* a query rule's: th and en made when emitted */
} batch_hit;

/* One piece of the check: the record rules of a table over a range of its
 * rows, or one query rule.  Tasks are emitted in the order they were made,
 * which is the order a single pass would find the flags in. */
typedef struct batch_task {
    const esis_table *t;        /* record rules of t ... */
    long long         lo, hi;   /* ... over rowids lo..hi (dense) */
    bool              sparse;   /* ... or the round's rows found by its index */
    const rules_rule *q;        /* or one query rule */
    bool              stored;   /* ... whose stored findings are handed on (run_stored) */
    batch_hit        *hits;
    int               nhits, cap;
    int               state;    /* TASK_WAITING, TASK_RUNNING, TASK_DONE */
    int               rc;
    char              err[512];
} batch_task;

enum { TASK_WAITING, TASK_RUNNING, TASK_DONE };

typedef struct batch {
    const rules_set *rs;
    sqlite3         *db;
    const db_session *session;  /* db's, read once in the caller's thread */
    db_gate         *gate;      /* the query rules' connection when run here */
    bool             mask;      /* findings masked: the session may not see personal data */
    const rules_env *env;
    expr_env         xenv;
    const char      *school;
    const char      *lang;
    char             prev_round[32];
    rules_hit_fn     fn;
    void            *user;
    char            *err;
    size_t           errsz;
    /* the plan, and the workers' hand-over (parallel runs only) */
    batch_task      *tasks;
    int              ntasks, taskcap;
    int              next;      /* first task no worker has taken */
    int              qnext;     /* where to look for a query rule not yet taken */
    int              emitted;   /* tasks whose flags went to fn */
    int              window;    /* how far workers may run ahead of emitted */
    bool             stop;      /* fn said stop, or a task failed */
    pthread_mutex_t  mu;
    pthread_cond_t   cv;
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


/* ---- flags: found by a task, emitted by the caller's thread ---------- */

static void hit_free(batch_hit *h)
{
    free(h->key); free(h->school); free(h->th); free(h->en); free(h->value);
}

static void task_clear(batch_task *tk)
{
    for (int i = 0; i < tk->nhits; i++) hit_free(&tk->hits[i]);
    free(tk->hits);
    tk->hits = NULL;
    tk->nhits = tk->cap = 0;
}

/* A finding as the session may see it: for one who may not see personal
 * data, the IDs in its key and messages masked (text_mask_ids_in, the rule
 * every screen and command follows). */
static int emit_as(batch *b, const rules_rule *r, long long row_id, const char *key,
                   const char *school, const char *th, const char *en, bool stored)
{
    char *mk = NULL, *mth = NULL, *men = NULL;
    if (b->mask) {
        mk = text_mask_ids_in_dup(key);
        mth = text_mask_ids_in_dup(th);
        men = text_mask_ids_in_dup(en);
        if ((key && !mk) || (th && !mth) || (en && !men)) {
            free(mk); free(mth); free(men);
            snprintf(b->err, b->errsz, "out of memory");
            return -1;
        }
        key = mk; th = mth; en = men;
    }
    rules_hit h = {
        .table = r->table->name, .key = key, .school_code = school,
        .rule_id = r->id, .severity = r->severity,
        .field = r->nfields ? r->fields[0] : NULL,
        .message = strcmp(b->lang, "en") == 0 ? en : th,
        .message_th = th, .message_en = en, .row_id = row_id, .stored = stored,
    };
    int rc = b->fn(&h, b->user) ? 1 : 0;
    free(mk); free(mth); free(men);
    return rc;
}

static int emit(batch *b, const rules_rule *r, long long row_id, const char *key,
                const char *school, const char *th, const char *en)
{
    return emit_as(b, r, row_id, key, school, th, en, false);
}

/* A new kept flag at the end of tk's, with copies of key, school and
 * value; NULL (tk->err says so) when out of memory. */
static batch_hit *hit_push(batch_task *tk, const rules_rule *r, long long row_id,
                           const char *key, const char *school, const char *value)
{
    if (tk->nhits == tk->cap) {
        int cap = tk->cap ? tk->cap * 2 : 64;
        batch_hit *v = realloc(tk->hits, (size_t)cap * sizeof *v);
        if (!v) { snprintf(tk->err, sizeof tk->err, "out of memory"); return NULL; }
        tk->hits = v;
        tk->cap = cap;
    }
    batch_hit *h = &tk->hits[tk->nhits];
    *h = (batch_hit){ .r = r, .row_id = row_id, .key = strdup(key ? key : ""),
                      .school = school ? strdup(school) : NULL, .value = value ? strdup(value) : NULL };
    if (!h->key || (school && !h->school) || (value && !h->value)) {
        hit_free(h);
        snprintf(tk->err, sizeof tk->err, "out of memory");
        return NULL;
    }
    tk->nhits++;
    return h;
}

/* A flag of task tk: straight to fn when the task runs on the caller's
 * thread (no copy), else kept in the task.  Takes th and en.  Returns 0, 1
 * (stop) or -1 (out of memory, tk->err says so). */
static int found(batch *b, batch_task *tk, bool direct, const rules_rule *r, long long row_id,
                 const char *key, const char *school, char *th, char *en)
{
    int rc = -1;
    if (!th || !en) {
        snprintf(tk->err, sizeof tk->err, "out of memory");
    } else if (direct) {
        rc = emit(b, r, row_id, key, school, th, en);
    } else {
        batch_hit *h = hit_push(tk, r, row_id, key, school, NULL);
        if (h) {
            h->th = th;
            h->en = en;
            return 0;
        }
    }
    free(th);
    free(en);
    return rc;
}

/* A query rule's flag: its messages are made from key, value and school
 * only, so a kept flag keeps those and the messages are made when it is
 * emitted (query rules run first and wait longest: at the size of the
 * country their flags, each with both messages, were most of the check's
 * memory). */
static int found_query(batch *b, batch_task *tk, bool direct, const rules_rule *r, long long row_id,
                       const char *key, const char *school, const char *value)
{
    if (direct)
        return found(b, tk, direct, r, row_id, key, school,
                     rules_render(r, &r->msg_th, NULL, &b->xenv, value, key, school),
                     rules_render(r, &r->msg_en, NULL, &b->xenv, value, key, school));
    return hit_push(tk, r, row_id, key, school, value) ? 0 : -1;
}

/* ---- record rules over a table's rows ------------------------------- */

/* The rows of a task: rowid, then the used columns.  A dense range is read
 * straight from the table (rowid BETWEEN: one forward pass, no index, no
 * sort); scattered rows are found on the (round_code, ...) index and then
 * read in the table's order. */
static sqlite3_stmt *rows_prepare(batch *b, sqlite3 *db, const batch_task *tk,
                                  const int *used, int nused, char *err, size_t errsz)
{
    const esis_table *t = tk->t;
    strbuf sql = STRBUF_INIT;
    strbuf_add(&sql, "SELECT rowid");
    for (int u = 0; u < nused; u++) strbuf_addf(&sql, ", \"%s\"", t->cols[used[u]]);
    strbuf_addf(&sql, " FROM \"%s\"", t->name);
    const char *round = t->round_col >= 0 ? " AND round_code = :round" : "";
    const char *school = t->school_col >= 0 && b->school ? " AND school_code = :school" : "";
    if (tk->sparse)
        strbuf_addf(&sql, " WHERE rowid IN (SELECT rowid FROM \"%s\" WHERE 1%s%s) ORDER BY rowid",
                    t->name, round, school);
    else    /* "+": a filter on the range, not a reason to walk an index */
        strbuf_addf(&sql, " WHERE rowid BETWEEN :lo AND :hi%s%s",
                    t->round_col >= 0 ? " AND +round_code = :round" : "",
                    t->school_col >= 0 && b->school ? " AND +school_code = :school" : "");
    sqlite3_stmt *st = NULL;
    if (sql.failed) snprintf(err, errsz, "out of memory");
    else if (sqlite3_prepare_v2(db, strbuf_str(&sql), -1, &st, NULL) != SQLITE_OK) {
        snprintf(err, errsz, "%s: %s", t->name, sqlite3_errmsg(db));
        st = NULL;
    }
    strbuf_free(&sql);
    if (!st) return NULL;
    int i;
    if ((i = sqlite3_bind_parameter_index(st, ":round")))
        sqlite3_bind_text(st, i, b->env->round_code, -1, SQLITE_STATIC);
    if ((i = sqlite3_bind_parameter_index(st, ":school")))
        sqlite3_bind_text(st, i, b->school, -1, SQLITE_STATIC);
    if ((i = sqlite3_bind_parameter_index(st, ":lo"))) sqlite3_bind_int64(st, i, tk->lo);
    if ((i = sqlite3_bind_parameter_index(st, ":hi"))) sqlite3_bind_int64(st, i, tk->hi);
    return st;
}

static bool stopped(batch *b)
{
    pthread_mutex_lock(&b->mu);
    bool s = b->stop;
    pthread_mutex_unlock(&b->mu);
    return s;
}

static int check_rows(batch *b, sqlite3 *db, batch_task *tk, bool direct)
{
    const esis_table *t = tk->t;
    expr_env xenv = b->xenv;
    int nused = 0;
    int *used = used_columns(b, t, &nused);
    const char **vals = calloc((size_t)t->ncols, sizeof *vals);
    /* the record rules of this table that apply, once */
    const rules_rule **rules = calloc((size_t)b->rs->n + 1, sizeof *rules);
    if (!used || !vals || !rules) {
        free(used); free(vals); free(rules);
        snprintf(tk->err, sizeof tk->err, "out of memory");
        return -1;
    }
    int nrules = 0;
    for (int k = 0; k < b->rs->n; k++) {
        const rules_rule *r = &b->rs->v[k];
        if (r->check && r->table == t && rules_applies(r, b->env)) rules[nrules++] = r;
    }
    expr_memo memo = { .row = 0, .ncols = t->ncols, .slot = calloc((size_t)t->ncols, sizeof *memo.slot) };
    sqlite3_stmt *st = memo.slot ? rows_prepare(b, db, tk, used, nused, tk->err, sizeof tk->err) : NULL;
    if (!memo.slot) snprintf(tk->err, sizeof tk->err, "out of memory");
    if (!st) { free(used); free(vals); free(rules); free(memo.slot); return -1; }
    xenv.memo = &memo;
    int rc = 0, step;
    long n = 0;
    char key[256];
    while (rc == 0 && (step = sqlite3_step(st)) == SQLITE_ROW) {
        if (!direct && (++n & 4095) == 0 && stopped(b)) break;
        for (int u = 0; u < nused; u++)
            vals[used[u]] = (const char *)sqlite3_column_text(st, u + 1);
        if (++memo.row == 0) {          /* wrapped: forget every slot */
            memset(memo.slot, 0, (size_t)t->ncols * sizeof *memo.slot);
            memo.row = 1;
        }
        for (int k = 0; k < nrules && rc == 0; k++) {
            const rules_rule *r = rules[k];
            if (!rules_rule_fails(r, vals, &xenv))
                continue;
            long long id = sqlite3_column_int64(st, 0);
            row_key(t, vals, id, key, sizeof key);
            const char *school = t->school_col >= 0 ? vals[t->school_col] : NULL;
            rc = found(b, tk, direct, r, id, key, school,
                       rules_render(r, &r->msg_th, vals, &xenv, NULL, NULL, NULL),
                       rules_render(r, &r->msg_en, vals, &xenv, NULL, NULL, NULL));
        }
    }
    if (rc == 0 && step != SQLITE_DONE && step != SQLITE_ROW) {
        snprintf(tk->err, sizeof tk->err, "%s: %s", t->name, sqlite3_errmsg(db));
        rc = -1;
    }
    free(vals);
    free(used);
    free(rules);
    free(memo.slot);
    sqlite3_finalize(st);
    return rc;
}

/* ---- query rules ----------------------------------------------------- */

/* A query rule runs on a gate (esis/db_gate.h): read only, through views
 * of the session's schools, whatever its SQL says. */
static int run_query(batch *b, db_gate *gate, batch_task *tk, bool direct)
{
    const rules_rule *r = tk->q;
    sqlite3_stmt *st;
    char why[256];
    if (!gate) {
        snprintf(tk->err, sizeof tk->err, "%s: [%s] query: no read-only connection", r->file, r->id);
        return -1;
    }
    if (db_gate_prepare(gate, r->query, &st, NULL, why, sizeof why) != SQLITE_OK || !st) {
        snprintf(tk->err, sizeof tk->err, "%s: [%s] query: %s", r->file, r->id, why);
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
        rc = found_query(b, tk, direct, r, id, key, school, value);
    }
    if (rc == 0 && step != SQLITE_DONE) {
        snprintf(tk->err, sizeof tk->err, "%s: [%s] query: %s", r->file, r->id, db_gate_error(gate));
        rc = -1;
    }
    sqlite3_finalize(st);
    return rc;
}

/* A rule across schools in a school officer's check: their gate cannot
 * show it the other schools, so the findings of the office's last check
 * are handed on as stored (rules_hit.stored), on the caller's thread and
 * connection; the school's counts, and the refusal to submit with errors,
 * still hold them. */
static int run_stored(batch *b, batch_task *tk)
{
    const rules_rule *r = tk->q;
    sqlite3_stmt *st = NULL;
    if (db_prepare(b->db, "SELECT coalesce(row_id, 0), row_key, school_code, message_th, message_en"
                          " FROM flags WHERE round_code = ?1 AND rule_id = ?2"
                          " AND (?3 IS NULL OR school_code = ?3) AND esis_may_see(school_code)"
                          " ORDER BY id", &st) != SQLITE_OK) {
        snprintf(tk->err, sizeof tk->err, "flags: %s", sqlite3_errmsg(b->db));
        return -1;
    }
    sqlite3_bind_text(st, 1, b->env->round_code, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, r->id, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, b->school, -1, SQLITE_STATIC);
    int rc = 0, step;
    while (rc == 0 && (step = db_step(st)) == SQLITE_ROW)
        rc = emit_as(b, r, sqlite3_column_int64(st, 0), (const char *)sqlite3_column_text(st, 1),
                     (const char *)sqlite3_column_text(st, 2), (const char *)sqlite3_column_text(st, 3),
                     (const char *)sqlite3_column_text(st, 4), true);
    if (rc == 0 && step != SQLITE_DONE) {
        snprintf(tk->err, sizeof tk->err, "flags: %s", sqlite3_errmsg(b->db));
        rc = -1;
    }
    sqlite3_finalize(st);
    return rc;
}

static int task_run(batch *b, sqlite3 *db, db_gate *gate, batch_task *tk, bool direct)
{
    if (tk->stored) return run_stored(b, tk);
    return tk->q ? run_query(b, gate, tk, direct) : check_rows(b, db, tk, direct);
}

/* ---- the plan -------------------------------------------------------- */

static batch_task *task_add(batch *b)
{
    if (b->ntasks == b->taskcap) {
        int cap = b->taskcap ? b->taskcap * 2 : 32;
        batch_task *v = realloc(b->tasks, (size_t)cap * sizeof *v);
        if (!v) return NULL;
        b->tasks = v;
        b->taskcap = cap;
    }
    batch_task *tk = &b->tasks[b->ntasks++];
    memset(tk, 0, sizeof *tk);
    return tk;
}

/* Rows per task when the check runs in parallel: small enough to share
 * the work out evenly, large enough that a task's set-up does not count. */
enum { ROWS_PER_TASK = 32768, MAX_TASKS_PER_TABLE = 256 };

/* The tasks of table t: where the round's (and school's) rows lie, then
 * pieces of that range, or one sparse task when they are scattered (more
 * than half the range belongs to other rounds). */
static int plan_table(batch *b, const esis_table *t, bool parallel)
{
    strbuf sql = STRBUF_INIT;
    strbuf_addf(&sql, "SELECT min(rowid), max(rowid), count(*) FROM \"%s\" WHERE 1%s%s", t->name,
                t->round_col >= 0 ? " AND round_code = :round" : "",
                t->school_col >= 0 && b->school ? " AND school_code = :school" : "");
    sqlite3_stmt *st = NULL;
    if (sql.failed || sqlite3_prepare_v2(b->db, strbuf_str(&sql), -1, &st, NULL) != SQLITE_OK) {
        snprintf(b->err, b->errsz, "%s: %s", t->name, sql.failed ? "out of memory" : sqlite3_errmsg(b->db));
        strbuf_free(&sql);
        return -1;
    }
    strbuf_free(&sql);
    int i;
    if ((i = sqlite3_bind_parameter_index(st, ":round")))
        sqlite3_bind_text(st, i, b->env->round_code, -1, SQLITE_STATIC);
    if ((i = sqlite3_bind_parameter_index(st, ":school")))
        sqlite3_bind_text(st, i, b->school, -1, SQLITE_STATIC);
    long long lo = 0, hi = -1, count = 0;
    int step = sqlite3_step(st);
    if (step == SQLITE_ROW) {
        lo = sqlite3_column_int64(st, 0);
        hi = sqlite3_column_int64(st, 1);
        count = sqlite3_column_int64(st, 2);
    }
    sqlite3_finalize(st);
    if (step != SQLITE_ROW) {
        snprintf(b->err, b->errsz, "%s: %s", t->name, sqlite3_errmsg(b->db));
        return -1;
    }
    if (count == 0) return 0;
    long long span = hi - lo + 1;
    if (span > 2 * count) {
        batch_task *tk = task_add(b);
        if (!tk) goto nomem;
        tk->t = t;
        tk->sparse = true;
        return 0;
    }
    long long per = ROWS_PER_TASK;
    const char *e = getenv("ESIS_CHECK_ROWS_PER_TASK");   /* tests: many pieces of few rows */
    if (e && strtol(e, NULL, 10) > 0) per = strtol(e, NULL, 10);
    long long pieces = parallel ? count / per + 1 : 1;
    if (pieces > MAX_TASKS_PER_TABLE) pieces = MAX_TASKS_PER_TABLE;
    for (long long p = 0; p < pieces; p++) {
        batch_task *tk = task_add(b);
        if (!tk) goto nomem;
        tk->t = t;
        tk->lo = lo + span * p / pieces;
        tk->hi = lo + span * (p + 1) / pieces - 1;
    }
    return 0;
nomem:
    snprintf(b->err, b->errsz, "out of memory");
    return -1;
}

/* A record rule that this check runs (switched on, and for this year). */
static bool record_rule_on(const rules_rule *r, const rules_env *env)
{
    return r->check && rules_applies(r, env);
}

/* Each table with record rules that apply once, in the order its first
 * such rule comes (a table whose rules are all off, by --rule or by year,
 * is not read at all); then every query rule that applies, in file order. */
static int plan(batch *b, bool parallel)
{
    const rules_set *rs = b->rs;
    for (int k = 0; k < rs->n; k++) {
        const rules_rule *r = &rs->v[k];
        bool first = record_rule_on(r, b->env);
        for (int j = 0; j < k && first; j++)
            first = !(record_rule_on(&rs->v[j], b->env) && rs->v[j].table == r->table);
        if (first && plan_table(b, r->table, parallel) != 0) return -1;
    }
    for (int k = 0; k < rs->n; k++) {
        if (!rs->v[k].query || !rules_applies(&rs->v[k], b->env)) continue;
        batch_task *tk = task_add(b);
        if (!tk) { snprintf(b->err, b->errsz, "out of memory"); return -1; }
        tk->q = &rs->v[k];
        /* it needs other schools' rows, which a school officer's gate
         * does not show (it would find nothing, or the wrong thing): the
         * office's stored findings instead, handed on by the caller's
         * thread (no worker takes a task already done) */
        if (rs->v[k].across_schools && b->session && !b->session->all_schools) {
            tk->stored = true;
            tk->state = TASK_DONE;
        }
    }
    return 0;
}

/* ---- running it ------------------------------------------------------ */

typedef struct batch_worker {
    batch     *b;
    sqlite3   *db;
    db_gate   *gate;
    pthread_t  thread;
    bool       started;
} batch_worker;

/* Take the next task, as long as it is within the window of the emitter
 * (so flags waiting to be emitted stay few), run it, hand it back. */
static void *worker_main(void *arg)
{
    batch_worker *w = arg;
    batch *b = w->b;
    pthread_mutex_lock(&b->mu);
    for (;;) {
        /* query rules first, whatever their place: each is one long piece
         * of SQL, which would otherwise end the check alone on one thread */
        batch_task *tk = NULL;
        while (b->qnext < b->ntasks && !tk) {
            batch_task *q = &b->tasks[b->qnext++];
            if (q->q && q->state == TASK_WAITING) tk = q;
        }
        while (!tk && !b->stop && b->next < b->ntasks && b->next >= b->emitted + b->window)
            pthread_cond_wait(&b->cv, &b->mu);
        while (!tk && !b->stop && b->next < b->ntasks && b->tasks[b->next].state != TASK_WAITING)
            b->next++;
        if (b->stop || (!tk && b->next >= b->ntasks)) break;
        if (!tk) tk = &b->tasks[b->next++];
        tk->state = TASK_RUNNING;
        pthread_mutex_unlock(&b->mu);
        tk->rc = task_run(b, w->db, w->gate, tk, false);
        pthread_mutex_lock(&b->mu);
        tk->state = TASK_DONE;
        if (tk->rc < 0) b->stop = true;
        pthread_cond_broadcast(&b->cv);
    }
    pthread_mutex_unlock(&b->mu);
    return NULL;
}

/* The caller's thread: each task's flags to fn, in task order. */
static int emit_in_order(batch *b)
{
    int rc = 0;
    for (int i = 0; i < b->ntasks && rc == 0; i++) {
        batch_task *tk = &b->tasks[i];
        pthread_mutex_lock(&b->mu);
        while (tk->state != TASK_DONE && !(b->stop && tk->state == TASK_WAITING))
            pthread_cond_wait(&b->cv, &b->mu);
        bool done = tk->state == TASK_DONE;
        pthread_mutex_unlock(&b->mu);
        if (!done) break;              /* stopped by a failure further on */
        if (tk->stored && (tk->rc = run_stored(b, tk)) > 0) rc = tk->rc;
        if (tk->rc < 0) {
            snprintf(b->err, b->errsz, "%s", tk->err);
            rc = -1;
        }
        for (int h = 0; h < tk->nhits && rc == 0; h++) {
            batch_hit *x = &tk->hits[h];
            if (!x->th && !x->en) {     /* a query rule's: its messages now */
                x->th = rules_render(x->r, &x->r->msg_th, NULL, &b->xenv, x->value, x->key, x->school);
                x->en = rules_render(x->r, &x->r->msg_en, NULL, &b->xenv, x->value, x->key, x->school);
                if (!x->th || !x->en) {
                    snprintf(b->err, b->errsz, "out of memory");
                    rc = -1;
                    break;
                }
            }
            rc = emit(b, x->r, x->row_id, x->key, x->school, x->th, x->en);
            free(x->th); free(x->en);
            x->th = x->en = NULL;
        }
        task_clear(tk);
        pthread_mutex_lock(&b->mu);
        b->emitted = i + 1;
        if (rc != 0) b->stop = true;
        pthread_cond_broadcast(&b->cv);
        pthread_mutex_unlock(&b->mu);
    }
    return rc;
}

/* How many threads read the rows: one per processor, none for a small
 * round (a thread and a connection cost more than they save there). */
/* ESIS_CHECK_THREADS=N sets the number (1: none), whatever the size. */
static int worker_count(const batch *b)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    const char *e = getenv("ESIS_CHECK_THREADS");
    if (e && *e) {
        n = strtol(e, NULL, 10);
    } else {
        long rows = 0;
        for (int i = 0; i < b->ntasks; i++)
            if (b->tasks[i].t) rows += b->tasks[i].sparse ? ROWS_PER_TASK : b->tasks[i].hi - b->tasks[i].lo + 1;
        if (rows < 2 * ROWS_PER_TASK) return 0;
    }
    if (n < 2) return 0;
    return n > 16 ? 16 : (int)n;
}

/* run_parallel's answer when no worker could start (no second connection
 * to an in-memory database, no thread): the caller runs the tasks itself */
enum { NOT_RUN = 2 };

static int run_parallel(batch *b, int nworkers)
{
    batch_worker *w = calloc((size_t)nworkers, sizeof *w);
    if (!w) return NOT_RUN;
    int opened = 0;
    char err[512] = "";
    for (; opened < nworkers; opened++) {
        if (db_open_reader(b->db, &w[opened].db, err, sizeof err) != SQLITE_OK) break;
        if (db_gate_open(b->db, b->session, 0, &w[opened].gate, err, sizeof err) != SQLITE_OK) {
            db_close(w[opened].db);
            break;
        }
        w[opened].b = b;
        /* no memory map: a mapped page counts in the resident memory of
         * each worker, and memory must not grow with the database */
        sqlite3_exec(w[opened].db, "PRAGMA mmap_size = 0; PRAGMA cache_size = -16384",
                     NULL, NULL, NULL);
    }
    int rc = NOT_RUN;
    if (opened == nworkers) {
        b->window = 4 * nworkers;
        int started = 0;
        for (; started < nworkers; started++) {
            if (pthread_create(&w[started].thread, NULL, worker_main, &w[started]) != 0) break;
            w[started].started = true;
        }
        int erc = 0;
        if (started > 0) {
            erc = emit_in_order(b);
            pthread_mutex_lock(&b->mu);
            b->stop = true;
            pthread_cond_broadcast(&b->cv);
            pthread_mutex_unlock(&b->mu);
        }
        for (int i = 0; i < nworkers; i++)
            if (w[i].started) pthread_join(w[i].thread, NULL);
        /* the workers are done: a failure in a task after the last one
         * emitted (which stopped the emitter) can be read now */
        for (int i = 0; i < b->ntasks && erc == 0; i++)
            if (b->tasks[i].rc < 0) {
                snprintf(b->err, b->errsz, "%s", b->tasks[i].err);
                erc = -1;
            }
        if (started > 0) rc = erc < 0 ? -1 : 0;
    }
    for (int i = 0; i < opened; i++) { db_close(w[i].db); db_gate_close(w[i].gate); }
    free(w);
    return rc;
}

static int run_sequential(batch *b)
{
    int rc = 0;
    for (int i = 0; i < b->ntasks && rc == 0; i++) {
        if (b->tasks[i].q && !b->gate &&
            db_gate_open(b->db, b->session, 0, &b->gate, b->tasks[i].err, sizeof b->tasks[i].err) != SQLITE_OK) {
            snprintf(b->err, b->errsz, "%s", b->tasks[i].err);
            return -1;
        }
        rc = task_run(b, b->db, b->gate, &b->tasks[i], true);
        if (rc < 0) snprintf(b->err, b->errsz, "%s", b->tasks[i].err);
    }
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
    b.session = db_session_get(db);
    b.mask = b.session && !b.session->see_personal;
    previous_round(&b);
    pthread_mutex_init(&b.mu, NULL);
    pthread_cond_init(&b.cv, NULL);
    /* A large round is checked by worker threads, each on its own read
     * connection, while this thread hands their flags to fn in order; a
     * small one (or an in-memory database) here, on db.  The workers see
     * committed data: the check's caller holds no uncommitted change to
     * the checked tables (rules_check_store has only emptied the flags). */
    int rc = plan(&b, true);
    int nworkers = rc == 0 ? worker_count(&b) : 0;
    if (rc == 0)
        rc = nworkers > 0 ? run_parallel(&b, nworkers) : NOT_RUN;
    if (rc == NOT_RUN) {
        /* one pass here, with a larger page cache for the indexes the
         * query rules revisit; put back after */
        long long old_cache = rules_pragma(db, "PRAGMA cache_size");
        sqlite3_exec(db, "PRAGMA cache_size = -16384", NULL, NULL, NULL);
        rc = run_sequential(&b);
        char restore[64];
        snprintf(restore, sizeof restore, "PRAGMA cache_size = %lld", old_cache);
        sqlite3_exec(db, restore, NULL, NULL, NULL);
    }
    for (int i = 0; i < b.ntasks; i++) task_clear(&b.tasks[i]);
    free(b.tasks);
    db_gate_close(b.gate);
    pthread_mutex_destroy(&b.mu);
    pthread_cond_destroy(&b.cv);
    return rc < 0 ? -1 : 0;
}

/*
 * import: a CSV file of one kind into its table, every row checked.
 *
 *   file -> csv_reader (a row at a time, with its line) -> header mapping ->
 *   normalisers -> record -> rules_eval_record -> upsert or quarantine
 *
 * Two threads, when the machine has two processors: a reader parses,
 * normalises and checks rows (no database: the record rules are pure) and
 * hands them, in file order, through a small ring of row slots to the
 * caller's thread, which owns the connection and does everything that
 * touches it (the school's gate, the upsert, the quarantine, the rejects
 * file).  The reader also handles the header, while the writer is still
 * waiting for its first row, so the connection is never used by both at
 * once.  Reading and checking were a third of an import; now they run
 * beside the writes.  ESIS_IMPORT_THREADS=1 keeps it to one thread.
 *
 * Why one transaction: an import is all or nothing.  BEGIN IMMEDIATE before
 * the first row, COMMIT after the last; any database failure, Ctrl-C,
 * SIGTERM or SIGHUP ends in ROLLBACK, and the rejects file of that attempt
 * is removed, so the database and the disk are as they were.  Rejected rows
 * are part of the transaction too (the quarantine table), so a second run
 * does not find the quarantine of a failed first one.
 *
 * Why an upsert on the natural key and not db_record_save: a save builds
 * and prepares its SQL per call, which is right for a form and far too slow
 * for a million DMC rows.  Here one statement is prepared per import, for
 * exactly the columns the file has (a column missing from the file is left
 * alone on update, never emptied), and the data layer's own gate is asked,
 * once per run of rows of one school (db_write_allowed: the session may
 * write, the school is within its scope, the round is open for it), the
 * columns' defaults are the data layer's (db_column_default,
 * db_record_defaults), and the audit triggers fire on every real change.
 * An unchanged row is not rewritten, so importing the same file twice
 * changes nothing and audits nothing.  Values are cleaned by the one
 * normaliser the forms use too (esis/norm.h).
 *
 * A key given twice in the file is a conflict, not an update: the file is
 * read once beforehand for such keys (import_keys.c) and both rows are
 * rejected, each naming the other.  A key of an earlier file's record is
 * an update; the summary counts new, updated, unchanged, rejected rows and
 * blank lines (separators only, skipped).  Each inserted row is traceable
 * to the import (import_rows: runs of ids), each update is audited with its
 * old values and the import in its origin.
 *
 * The rejects file: row, reasons, raw (a row that could not be parsed, as
 * read), then the file's header; never overwritten (a new name, and the
 * summary says so).
 *
 * Memory: the reader holds one record; here one record, the ring's slots
 * (PIPE_SLOTS rows, at most PIPE_BYTES of fields waiting) and the
 * statements.  Only the scan for repeated keys grows with the file: 8
 * bytes a row while it runs, then the repeated keys alone.
 */
#include "esis/io.h"
#include "esis/app.h"
#include "esis/auth.h"
#include "esis/db.h"
#include "esis/rounds.h"
#include "esis/rules.h"
#include "esis/strbuf.h"
#include "esis/text.h"
#include "io_internal.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* Set by the signal handler while an import runs; the only mutable static
 * state, as the house rules allow for signal handlers. */
static volatile sig_atomic_t interrupted;

static void on_signal(int sig)
{
    (void)sig;
    interrupted = 1;
}

typedef struct bind_col {
    int map;          /* mapping column, or -1 for round_code / academic_year */
    int tcol;         /* table column */
    const char *fixed;/* value for map == -1 */
} bind_col;

/* One data row on its way from the reader to the writer: a copy of the row
 * as read, its normalised values and what the reader found wrong. */
typedef struct row_slot {
    io_csv_row row;        /* fields and lens point into the slot's arrays */
    char *buf;             /* the fields' bytes, each NUL-terminated */
    size_t bufcap, bytes;
    char **fields;
    size_t *lens;
    int fieldcap;
    char **vals;           /* normalised value per mapping column */
    size_t *valcap;
    strbuf reasons;        /* the row's shape, its values, its key */
    strbuf rule_reasons;   /* the error-level rules' messages */
    int warnings;          /* warning-level flags */
    bool oom;
    bool blank;            /* only separators (a blank spreadsheet row): skipped */
    char *raw;             /* a bad row's text as read, for the rejects file */
    size_t rawcap;
} row_slot;

enum { PIPE_SLOTS = 64, PIPE_BYTES = 8 << 20 };

/* The ring between the reader thread and the writer.  The reader fills the
 * slot after the queued ones without the lock (the writer does not look at
 * it until count says so); the writer takes slots[head]. */
typedef struct row_pipe {
    pthread_mutex_t mu;
    pthread_cond_t can_put, can_take;
    row_slot slots[PIPE_SLOTS];
    int head, count;
    size_t bytes;          /* field bytes queued */
    bool done;             /* the reader has finished */
    bool stop;             /* the writer wants no more rows */
    /* the reader's result */
    int read_rc;
    io_csv_stats st;
    char err[1024];
} row_pipe;

typedef struct importer {
    esis_app *app;
    sqlite3 *db;
    const io_mapping *m;
    const esis_table *t;
    const char *kind, *path;
    const io_read_opts *opts; /* delimiter, sheet (NULL: found) */
    io_summary *sum;
    int status;            /* 0 going on; 1 failure; 2 refused */
    bool began;
    long long rowid_before; /* the table's last rowid before the import */
    bool bulk;           /* inside db_bulk_begin: inserts summarised by one audit row */
    bool deferred;       /* inside db_index_defer: FTS and sort keys built at the end */
    const db_session *who; /* the session, read once (db_session_get runs a statement) */
    io_header h;
    char **hdr;            /* the file's header names (owned) */
    int nhdr;
    bind_col *binds;
    int nbind;
    sqlite3_stmt *upsert, *quarantine, *school_exists;
    esis_record *rec;      /* the reader's: the record the rules see */
    rules_flags flags;
    rules_env env;
    conf_round round;
    const char *round_code;/* NULL for tables without rounds */
    char year[12];
    row_pipe *pipe;
    bool threaded;         /* a reader thread fills the pipe */
    strbuf json, scratch;
    FILE *rejects;
    /* the last school checked, and whether it passed (rows come sorted) */
    char *last_school;
    const char *last_school_reason;
    io_keys keys;          /* the keys this file gives twice (import_keys.c) */
    strbuf keytext, others;/* the reader's scratch for them */
    /* The session while the import runs: the caller's, its origin naming
     * the import, so every audit row of an update says which import made
     * it. */
    db_session sess;
    char origin[160];
    bool sess_set;
    /* the run of ids inserted last, for import_rows (one row a run) */
    long long run_first, run_last;
    sqlite3_stmt *run_insert;
} importer;

static const char *msg(const importer *im, const char *key)
{
    return app_msg(im->app, key);
}

/* Add one reason ("; " between reasons), filled from a message template. */
static void reason_add(const importer *im, strbuf *reasons, const char *key, const char *const *kv)
{
    if (reasons->len) strbuf_add(reasons, "; ");
    io_msg_fill(reasons, msg(im, key), kv);
}

static void refuse(importer *im, int status, const char *key, const char *const *kv)
{
    strbuf sb = STRBUF_INIT;
    io_msg_fill(&sb, msg(im, key), kv);
    snprintf(im->sum->message, sizeof im->sum->message, "%s", strbuf_str(&sb));
    strbuf_free(&sb);
    im->status = status;
}

static void fail_db(importer *im, const char *what)
{
    const char *kv[] = { "what", what, "error", sqlite3_errmsg(im->db), NULL };
    refuse(im, 1, "io.db_failed", kv);
}

/* ---- setting up, once the header is known ---------------------------- */

static int header_copy(importer *im, const io_csv_row *row)
{
    im->hdr = calloc((size_t)row->nfields + 1, sizeof *im->hdr);
    if (!im->hdr) return -1;
    for (int i = 0; i < row->nfields; i++)
        if (!(im->hdr[i] = strdup(row->fields[i]))) return -1;
    im->nhdr = row->nfields;
    return 0;
}

static bool is_key(const esis_table *t, const char *col)
{
    for (int k = 0; k < t->nkey; k++)
        if (!strcmp(t->key_cols[k], col)) return true;
    return false;
}

/* The columns this file writes: those of the mapping it has, plus the round
 * and the academic year when the table has them and the file does not. */
static int binds_make(importer *im)
{
    const esis_table *t = im->t;
    im->binds = calloc((size_t)im->m->ncols + 2, sizeof *im->binds);
    if (!im->binds) return -1;
    bool has_year = false;
    for (int c = 0; c < im->m->ncols; c++) {
        if (im->h.file_of[c] < 0) continue;
        int tc = schema_col(t, im->m->cols[c].column);
        if (!strcmp(im->m->cols[c].column, "academic_year")) has_year = true;
        im->binds[im->nbind++] = (bind_col){ c, tc, NULL };
    }
    if (t->round_col >= 0)
        im->binds[im->nbind++] = (bind_col){ -1, t->round_col, im->round.code };
    int yc = schema_col(t, "academic_year");
    if (yc >= 0 && !has_year)
        im->binds[im->nbind++] = (bind_col){ -1, yc, im->year };
    return 0;
}

/* INSERT ... ON CONFLICT(key) DO UPDATE SET (changed columns only). */
static int upsert_prepare(importer *im)
{
    const esis_table *t = im->t;
    strbuf sql = STRBUF_INIT, vals = STRBUF_INIT, set = STRBUF_INIT, diff = STRBUF_INIT;
    strbuf_addf(&sql, "INSERT INTO \"%s\" (", t->name);
    for (int i = 0; i < im->nbind; i++) {
        const char *col = t->cols[im->binds[i].tcol];
        char *dflt = t->notnull[im->binds[i].tcol] ? db_column_default(im->db, t->name, col) : NULL;
        strbuf_addf(&sql, "%s\"%s\"", i ? ", " : "", col);
        if (dflt) strbuf_addf(&vals, "%scoalesce(?%d, %s)", i ? ", " : "", i + 1, dflt);
        else strbuf_addf(&vals, "%s?%d", i ? ", " : "", i + 1);
        free(dflt);
        if (is_key(t, col)) continue;
        strbuf_addf(&set, "\"%s\" = excluded.\"%s\", ", col, col);
        strbuf_addf(&diff, "%s\"%s\" IS NOT excluded.\"%s\"", diff.len ? " OR " : "", col, col);
    }
    strbuf_addf(&sql, ", updated_by) VALUES (%s, ?%d) ON CONFLICT (", strbuf_str(&vals), im->nbind + 1);
    for (int k = 0; k < t->nkey; k++) strbuf_addf(&sql, "%s\"%s\"", k ? ", " : "", t->key_cols[k]);
    if (diff.len)
        strbuf_addf(&sql, ") DO UPDATE SET %srow_version = row_version + 1,"
                    " updated_at = strftime('%%Y-%%m-%%dT%%H:%%M:%%S','now'),"
                    " updated_by = excluded.updated_by WHERE %s",
                    strbuf_str(&set), strbuf_str(&diff));
    else
        strbuf_add(&sql, ") DO NOTHING");
    int rc = sql.failed ? SQLITE_NOMEM : db_prepare(im->db, strbuf_str(&sql), &im->upsert);
    strbuf_free(&sql); strbuf_free(&vals); strbuf_free(&set); strbuf_free(&diff);
    return rc;
}

static int import_row_start(importer *im)
{
    const db_session *s = db_session_get(im->db);
    sqlite3_stmt *st = NULL;
    int rc = db_prepare(im->db, "INSERT INTO imports(kind, file, round_code, by_login)"
                        " VALUES (?1, ?2, ?3, ?4)", &st);
    if (rc != SQLITE_OK) return rc;
    sqlite3_bind_text(st, 1, im->kind, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, im->path, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, im->round_code, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, s && s->login ? s->login : "system", -1, SQLITE_STATIC);
    rc = db_step(st);
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) return rc;
    im->sum->import_id = (long)sqlite3_last_insert_rowid(im->db);
    return SQLITE_OK;
}

static int statements_prepare(importer *im)
{
    int rc = upsert_prepare(im);
    if (rc == SQLITE_OK)
        rc = db_prepare(im->db, "INSERT INTO quarantine(import_id, kind, round_code, school_code,"
                        " row_no, fields, reasons) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                        &im->quarantine);
    if (rc == SQLITE_OK && strcmp(im->t->name, "schools") && im->t->school_col >= 0)
        rc = db_prepare(im->db, "SELECT 1 FROM schools WHERE school_code = ?1", &im->school_exists);
    if (rc == SQLITE_OK)
        rc = db_prepare(im->db, "INSERT INTO import_rows(import_id, table_name, first_id, last_id)"
                        " VALUES (?1, ?2, ?3, ?4)", &im->run_insert);
    return rc;
}

static void on_header(importer *im, const io_csv_row *row)
{
    char line[24], err[512] = "";
    snprintf(line, sizeof line, "%ld", row->line_no);
    if (row->status != IO_ROW_OK) {
        /* the row's own message filled first: it has {line} and {column} */
        char byte[24], column[24];
        snprintf(line, sizeof line, "%ld", row->err_line ? row->err_line : row->line_no);
        snprintf(byte, sizeof byte, "%ld", row->err_byte);
        snprintf(column, sizeof column, "%d", row->err_column);
        const char *rkv[] = { "line", line, "byte", byte, "column", column, NULL };
        strbuf why = STRBUF_INIT;
        io_msg_fill(&why, msg(im, io_row_status_key(row->status)), rkv);
        const char *kv[] = { "file", im->path, "line", line, "why", strbuf_str(&why), NULL };
        refuse(im, 2, "io.bad_header", kv);
        strbuf_free(&why);
        return;
    }
    if (io_header_bind(im->m, row->fields, row->nfields, &im->h, err, sizeof err) != 0) {
        char name[256] = "", spellings[1024] = "", scan[24];
        bool missing = !strstr(err, "twice") &&
            io_header_missing(im->m, row->fields, row->nfields, name, sizeof name, spellings, sizeof spellings);
        snprintf(scan, sizeof scan, "%d", IO_HEADER_SCAN);
        const char *kv[] = { "file", im->path, "column", missing ? name : err, "spellings", spellings,
                             "line", line, "scan", scan, NULL };
        refuse(im, 2, missing ? "io.missing_column" : "io.column_twice", kv);
        return;
    }
    if (im->h.unknown) {
        const char *kv[] = { "file", im->path, "columns", im->h.unknown, NULL };
        strbuf sb = STRBUF_INIT;
        io_msg_fill(&sb, msg(im, "io.unknown_columns"), kv);
        snprintf(im->sum->warning, sizeof im->sum->warning, "%s", strbuf_str(&sb));
        strbuf_free(&sb);
    }
    if (header_copy(im, row) != 0 || binds_make(im) != 0) { refuse(im, 1, "io.no_memory", NULL); return; }
    /* Columns the file does not have get their declared default in the
     * record the rules see (status '1', poor 0), as a new row would in the
     * table: the form's own defaults (db_record_defaults). */
    if (db_record_defaults(im->db, im->rec) != SQLITE_OK) { fail_db(im, "defaults"); return; }
    /* A table of no school is the office's: the gate says so once. */
    if (im->t->school_col < 0) {
        db_save_info info;
        if (db_write_allowed(im->db, im->t, NULL, NULL, false, im->round_code, &info) != DB_SAVED) {
            refuse(im, 2, "io.may_not_write", NULL);
            return;
        }
    }
    if (db_begin(im->db) != SQLITE_OK) { fail_db(im, "BEGIN"); return; }
    db_bulk_begin(im->db);
    im->bulk = true;
    {
        char q[160];
        snprintf(q, sizeof q, "SELECT coalesce(max(rowid), 0) FROM \"%s\"", im->m->table);
        im->rowid_before = db_query_int(im->db, 0, q, (const char *)NULL);
    }
    im->began = true;
    if (im->round_code) {
        char rerr[512] = "";
        if (rounds_ensure(im->db, im->app->conf, im->round_code, rerr, sizeof rerr) != 0) {
            fail_db(im, "rounds");
            return;
        }
    }
    if (db_index_defer(im->db, im->m->table, err, sizeof err) != SQLITE_OK) {
        fail_db(im, "index");
        return;
    }
    im->deferred = true;
    if (import_row_start(im) != SQLITE_OK || statements_prepare(im) != SQLITE_OK) {
        fail_db(im, "prepare");
        return;
    }
    if (im->who) {
        im->sess = *im->who;
        snprintf(im->origin, sizeof im->origin, "%s import %ld", im->who->origin ? im->who->origin : "esis",
                 im->sum->import_id);
        im->sess.origin = im->origin;
        db_session_set(im->db, &im->sess);
        im->sess_set = true;
    }
}

/* ---- one data row: the reader's half -------------------------------- */

/* The slot's own copy of the row: the reader's buffers are reused at the
 * next row, and the writer gets to this one later. */
static int slot_copy(row_slot *s, const io_csv_row *row)
{
    size_t need = 0;
    for (int i = 0; i < row->nfields; i++) need += row->lens[i] + 1;
    if (need > s->bufcap) {
        char *b = realloc(s->buf, need);
        if (!b) return -1;
        s->buf = b;
        s->bufcap = need;
    }
    if (row->nfields > s->fieldcap) {
        char **f = realloc(s->fields, (size_t)row->nfields * sizeof *f);
        if (f) s->fields = f;
        size_t *l = f ? realloc(s->lens, (size_t)row->nfields * sizeof *l) : NULL;
        if (!f || !l) return -1;
        s->lens = l;
        s->fieldcap = row->nfields;
    }
    char *p = s->buf;
    for (int i = 0; i < row->nfields; i++) {
        memcpy(p, row->fields[i], row->lens[i]);
        p[row->lens[i]] = '\0';
        s->fields[i] = p;
        s->lens[i] = row->lens[i];
        p += row->lens[i] + 1;
    }
    s->bytes = need;
    s->row = *row;
    s->row.fields = s->fields;
    s->row.lens = s->lens;
    s->row.raw = "";
    s->row.raw_len = 0;
    if (row->status != IO_ROW_OK && row->raw_len) {
        if (row->raw_len + 1 > s->rawcap) {
            char *r = realloc(s->raw, row->raw_len + 1);
            if (!r) return -1;
            s->raw = r;
            s->rawcap = row->raw_len + 1;
        }
        memcpy(s->raw, row->raw, row->raw_len + 1);
        s->row.raw = s->raw;
        s->row.raw_len = row->raw_len;
        s->bytes += row->raw_len;
    }
    return 0;
}

static const char *value_of(const row_slot *s, int c)
{
    return s->vals[c] && *s->vals[c] ? s->vals[c] : NULL;
}

/* Normalise every mapped column present; reasons for those that fail. */
static void row_normalise(const importer *im, row_slot *s)
{
    const io_csv_row *row = &s->row;
    for (int c = 0; c < im->m->ncols; c++) {
        int f = im->h.file_of[c];
        const char *in = f >= 0 && f < row->nfields ? row->fields[f] : "";
        size_t need = (f >= 0 && f < row->nfields ? row->lens[f] : 0) + 32;
        if (need > s->valcap[c]) {
            char *v = realloc(s->vals[c], need);
            if (!v) { s->oom = true; return; }
            s->vals[c] = v;
            s->valcap[c] = need;
        }
        const char *why = NULL;
        if (io_normalise(&im->m->cols[c], im->app->conf, in, s->vals[c], s->valcap[c], &why) != 0) {
            char acc[400] = "";
            if (im->m->cols[c].norm == NORM_CODE && im->app->conf)
                norm_accepted(conf_codes(im->app->conf, im->m->cols[c].code_list),
                              im->app->lang && !strcmp(im->app->lang, "en"), acc, sizeof acc);
            const char *kv[] = { "column", im->m->cols[c].name, "value", in,
                                 "accepted", acc, NULL };
            reason_add(im, &s->reasons, why, kv);
        }
    }
}

/* Every column of the natural key the file has must have a value, and the
 * key must be given once in the file: two rows with one key are both
 * rejected, each naming the other (import_keys.c). */
static void row_keys(importer *im, row_slot *s)
{
    for (int c = 0; c < im->m->ncols; c++) {
        if (im->h.file_of[c] < 0 || value_of(s, c) || !is_key(im->t, im->m->cols[c].column)) continue;
        const char *kv[] = { "column", im->m->cols[c].name, NULL };
        reason_add(im, &s->reasons, "io.empty_key", kv);
    }
    if (s->reasons.len || !im->keys.nent) return;
    if (io_keys_text(&im->keys, im->h.file_of, (const char *const *)s->vals, &im->keytext) != 0) return;
    if (io_keys_others(&im->keys, strbuf_str(&im->keytext), im->keytext.len, s->row.line_no, &im->others) > 0) {
        const char *kv[] = { "rows", strbuf_str(&im->others), NULL };
        reason_add(im, &s->reasons, "io.key_repeated", kv);
    }
}

/* Whether the cells from `from` on are empty or blanks (a spreadsheet's
 * trailing separators are no data). */
static bool cells_blank(const io_csv_row *row, int from)
{
    for (int i = from; i < row->nfields; i++)
        for (size_t k = 0; k < row->lens[i]; k++)
            if (row->fields[i][k] != ' ' && row->fields[i][k] != '\t') return false;
    return true;
}

/* A row of separators only (",,,," or blanks): a blank spreadsheet row. */
static bool row_blank(const io_csv_row *row)
{
    return cells_blank(row, 0);
}

static void row_rules(importer *im, row_slot *s)
{
    if (!im->app->rules) return;
    for (int i = 0; i < im->nbind; i++) {
        const bind_col *b = &im->binds[i];
        record_set_i(im->rec, b->tcol, b->map >= 0 ? value_of(s, b->map) : b->fixed);
    }
    rules_flags_clear(&im->flags);
    if (rules_eval_record(im->app->rules, im->rec, &im->env, &im->flags) < 0) {
        reason_add(im, &s->rule_reasons, "io.rules_failed", NULL);
        return;
    }
    s->warnings = im->flags.warnings;
    bool en = im->app->lang && !strcmp(im->app->lang, "en");
    for (int i = 0; i < im->flags.n; i++) {
        const rules_flag *f = &im->flags.v[i];
        if (f->severity != RULES_ERROR) continue;
        if (s->rule_reasons.len) strbuf_add(&s->rule_reasons, "; ");
        strbuf_add(&s->rule_reasons, en ? f->message_en : f->message_th);
    }
}

/* Everything about a row that needs no database. */
static void row_prepare(importer *im, row_slot *s, const io_csv_row *row)
{
    strbuf_reset(&s->reasons);
    strbuf_reset(&s->rule_reasons);
    s->warnings = 0;
    s->blank = false;
    s->oom = slot_copy(s, row) != 0;
    if (s->oom) return;
    if (row->status == IO_ROW_OK && row_blank(row)) {
        s->blank = true;
        return;
    }
    if (row->status != IO_ROW_OK) {
        char line[24], byte[24], column[24];
        snprintf(line, sizeof line, "%ld", row->err_line);
        snprintf(byte, sizeof byte, "%ld", row->err_byte);
        snprintf(column, sizeof column, "%d", row->err_column);
        const char *kv[] = { "line", line, "byte", byte, "column", column, NULL };
        reason_add(im, &s->reasons, io_row_status_key(row->status), kv);
    } else if (row->nfields > im->nhdr && !cells_blank(row, im->nhdr)) {
        char n[24], h[24];
        snprintf(n, sizeof n, "%d", row->nfields);
        snprintf(h, sizeof h, "%d", im->nhdr);
        const char *kv[] = { "n", n, "header", h, NULL };
        reason_add(im, &s->reasons, "io.row_columns", kv);
    } else {
        row_normalise(im, s);
        if (!s->reasons.len) row_keys(im, s);
        if (!s->reasons.len) row_rules(im, s);
    }
}

/* ---- one data row: the writer's half -------------------------------- */

/* The auth gate and the school's existence, cached for runs of one school. */
static const char *school_check(importer *im, const char *school)
{
    if (im->last_school && !strcmp(im->last_school, school)) return im->last_school_reason;
    free(im->last_school);
    im->last_school = strdup(school);
    const char *why = NULL;
    db_save_info info;
    db_save_result g = db_write_allowed(im->db, im->t, school, NULL, false, im->round_code, &info);
    if (g == DB_DENIED) why = "io.out_of_scope";
    else if (g != DB_SAVED) why = "io.round_closed";
    else if (im->school_exists) {
        sqlite3_reset(im->school_exists);
        sqlite3_bind_text(im->school_exists, 1, school, -1, SQLITE_TRANSIENT);
        if (db_step(im->school_exists) != SQLITE_ROW) why = "io.unknown_school";
    }
    im->last_school_reason = why;
    return why;
}

/* The school's gate, for a row the reader found nothing wrong with: a row
 * of a school the user may not write, or of a closed round, or of an
 * unknown school, is rejected for that alone (its rules' findings would
 * be beside the point). */
static void row_gate(importer *im, row_slot *s)
{
    if (im->t->school_col < 0) return;     /* the gate was passed once (on_header) */
    const char *school = im->m->school_col >= 0 ? value_of(s, im->m->school_col) : NULL;
    const char *why = school_check(im, school ? school : "");
    if (why) {
        const char *kv[] = { "school", school ? school : "", NULL };
        reason_add(im, &s->reasons, why, kv);
    }
}

/* Create path, never replacing a file: 0, or -1 with errno (EEXIST). */
static FILE *create_new(const char *path)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
    if (fd < 0) return NULL;
    FILE *fp = fdopen(fd, "wb");
    if (!fp) close(fd);
    return fp;
}

/* The rejects file of an earlier run is the school's to fix: it is never
 * overwritten.  When the name is taken the file gets the time (and a
 * counter) before its extension, and the summary names it. */
static FILE *rejects_create(importer *im)
{
    io_summary *sum = im->sum;
    FILE *fp = create_new(sum->rejects_path);
    if (fp || errno != EEXIST) return fp;
    char base[4096], stamp[32];
    snprintf(base, sizeof base, "%s", sum->rejects_path);
    char *slash = strrchr(base, '/'), *dot = strrchr(base, '.');
    const char *ext = "";
    if (dot && (!slash || dot > slash + 1)) { ext = sum->rejects_path + (dot - base); *dot = '\0'; }
    time_t now = time(NULL);
    struct tm tm;
    localtime_r(&now, &tm);
    strftime(stamp, sizeof stamp, "%Y%m%d-%H%M%S", &tm);
    for (int n = 1; n < 1000; n++) {
        char path[4200];
        if (n == 1) snprintf(path, sizeof path, "%s-%s%s", base, stamp, ext);
        else snprintf(path, sizeof path, "%s-%s-%d%s", base, stamp, n, ext);
        if (strlen(path) >= sizeof sum->rejects_path) break;
        if ((fp = create_new(path)) != NULL) {
            memcpy(sum->rejects_replaced, sum->rejects_path, sizeof sum->rejects_replaced);
            memcpy(sum->rejects_path, path, strlen(path) + 1);   /* fits: checked above */
            return fp;
        }
        if (errno != EEXIST) return NULL;
    }
    errno = EEXIST;
    return NULL;
}

/* The rejects file: row (the line in the file), reasons and, for a row
 * that could not be parsed, raw (its text as read, so it can be fixed
 * from this file), then the file's own header.  The three lead so that a
 * row with more cells than the header keeps them to the right, none
 * under another column's heading. */
static int rejects_open(importer *im)
{
    if (im->rejects) return 0;
    im->rejects = rejects_create(im);
    if (!im->rejects) return -1;
    fputs("\xEF\xBB\xBF\"row\",\"reasons\",\"raw\"", im->rejects);
    for (int i = 0; i < im->nhdr; i++) {
        fputc(',', im->rejects);
        io_csv_write_field(im->rejects, im->hdr[i]);
    }
    fputs("\r\n", im->rejects);
    return 0;
}

/* A bad row's text for the rejects file: as read, but a byte that is not
 * UTF-8 (or a NUL) becomes U+FFFD, so the file stays readable. */
static void raw_text(strbuf *out, const char *raw, size_t n)
{
    strbuf_reset(out);
    for (size_t i = 0; i < n; ) {
        size_t k = 1;
        unsigned char c = (unsigned char)raw[i];
        if (c >= 0xC0) k = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : 2;
        if (c && i + k <= n && text_utf8_valid(raw + i, k)) {
            strbuf_addn(out, raw + i, k);
            i += k;
        } else {
            strbuf_add(out, "\xEF\xBF\xBD");
            i++;
        }
    }
}

static void reject(importer *im, row_slot *s, const strbuf *reasons)
{
    const io_csv_row *row = &s->row;
    char line[24];
    snprintf(line, sizeof line, "%ld", row->line_no);
    im->sum->rejected++;
    /* the rejects file: the row as read, its line and the reasons */
    if (rejects_open(im) != 0) {
        const char *kv[] = { "file", im->sum->rejects_path, "error", strerror(errno), NULL };
        refuse(im, 1, "io.rejects_failed", kv);
        return;
    }
    io_csv_write_field(im->rejects, line);
    fputc(',', im->rejects);
    io_csv_write_field(im->rejects, strbuf_str(reasons));
    fputc(',', im->rejects);
    /* A row that could not be parsed: its text as read, the cells empty
     * (the parser's part of it would be a wrong copy). */
    bool parsed = row->status == IO_ROW_OK;
    raw_text(&im->scratch, parsed ? "" : row->raw, parsed ? 0 : row->raw_len);
    io_csv_write_field(im->rejects, strbuf_str(&im->scratch));
    int n = parsed && row->nfields > im->nhdr ? row->nfields : im->nhdr;
    for (int i = 0; i < n; i++) {
        fputc(',', im->rejects);
        io_csv_write_field(im->rejects, parsed && i < row->nfields ? row->fields[i] : "");
    }
    fputs("\r\n", im->rejects);
    /* the quarantine table: the same, as JSON.  Only rows of a school the
     * user may write are kept there: a row of another school stays in the
     * rejects file its importer holds, and never lands in that school's
     * queue. */
    const char *school = im->m->school_col >= 0 && row->status == IO_ROW_OK
                         ? value_of(s, im->m->school_col) : NULL;
    const db_session *who = im->who;
    if (who && !who->all_schools && (!school || !db_scope_allows_write(im->db, school))) return;
    if (who && !who->may_write) return;
    strbuf_reset(&im->json);
    strbuf_addc(&im->json, '{');
    for (int i = 0; i < row->nfields && i < im->nhdr; i++) {
        if (i) strbuf_addc(&im->json, ',');
        strbuf_add_json_string(&im->json, im->hdr[i]);
        strbuf_addc(&im->json, ':');
        strbuf_add_json_string(&im->json, text_utf8_valid(row->fields[i], row->lens[i]) &&
                               !memchr(row->fields[i], 0, row->lens[i]) ? row->fields[i] : "");
    }
    strbuf_addc(&im->json, '}');
    sqlite3_stmt *q = im->quarantine;
    sqlite3_reset(q);
    sqlite3_bind_int64(q, 1, im->sum->import_id);
    sqlite3_bind_text(q, 2, im->kind, -1, SQLITE_STATIC);
    sqlite3_bind_text(q, 3, im->round_code, -1, SQLITE_STATIC);
    sqlite3_bind_text(q, 4, school, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(q, 5, row->line_no);
    sqlite3_bind_text(q, 6, strbuf_str(&im->json), -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(q, 7, strbuf_str(reasons), -1, SQLITE_TRANSIENT);
    if (db_step(q) != SQLITE_DONE) fail_db(im, "quarantine");
}

/* The runs of ids this import inserted, one import_rows row a run. */
static void run_flush(importer *im)
{
    if (!im->run_first || im->status != 0) return;
    sqlite3_stmt *q = im->run_insert;
    sqlite3_reset(q);
    sqlite3_bind_int64(q, 1, im->sum->import_id);
    sqlite3_bind_text(q, 2, im->t->name, -1, SQLITE_STATIC);
    sqlite3_bind_int64(q, 3, im->run_first);
    sqlite3_bind_int64(q, 4, im->run_last);
    if (db_step(q) != SQLITE_DONE) fail_db(im, "import_rows");
    im->run_first = im->run_last = 0;
}

static void run_add(importer *im, long long id)
{
    if (im->run_first && id == im->run_last + 1) { im->run_last = id; return; }
    run_flush(im);
    im->run_first = im->run_last = id;
}

static void row_write(importer *im, row_slot *s)
{
    sqlite3_stmt *st = im->upsert;
    sqlite3_reset(st);
    for (int i = 0; i < im->nbind; i++) {
        const bind_col *b = &im->binds[i];
        const char *v = b->map >= 0 ? value_of(s, b->map) : b->fixed;
        if (v) sqlite3_bind_text(st, i + 1, v, -1, SQLITE_STATIC);
        else sqlite3_bind_null(st, i + 1);
    }
    const db_session *who = im->who;
    sqlite3_bind_text(st, im->nbind + 1, who && who->login ? who->login : "system", -1, SQLITE_STATIC);
    /* 0 here, the new row's id after an insert; an update leaves it 0 */
    sqlite3_set_last_insert_rowid(im->db, 0);
    int rc = db_step(st);
    if (rc == SQLITE_DONE) {
        long long id = sqlite3_last_insert_rowid(im->db);
        im->sum->imported++;
        if (id > 0) {
            im->sum->inserted++;
            run_add(im, id);
        } else if (sqlite3_changes(im->db) > 0) {
            im->sum->updated++;
        } else {
            im->sum->unchanged++;
        }
        if (s->warnings > 0) im->sum->warned++;
        return;
    }
    /* A constraint on one row rejects that row; anything else, or a trigger
     * that rolled the transaction back, fails the import. */
    if ((rc & 0xff) == SQLITE_CONSTRAINT && !sqlite3_get_autocommit(im->db)) {
        const char *kv[] = { "error", sqlite3_errmsg(im->db), NULL };
        reason_add(im, &s->reasons, "io.row_db", kv);
        sqlite3_reset(st);
        reject(im, s, &s->reasons);
        return;
    }
    if (sqlite3_get_autocommit(im->db)) im->began = false;
    fail_db(im, "write");
}

/* A prepared row, in file order: the gate, then its upsert or rejection. */
static void row_finish(importer *im, row_slot *s)
{
    if (s->oom) { refuse(im, 1, "io.no_memory", NULL); return; }
    if (s->blank) { im->sum->blank++; return; }
    im->sum->rows++;
    /* a modulo per row, a call per IO_PROGRESS_ROWS: the import is not slowed */
    if (im->opts && im->opts->progress && im->sum->rows % IO_PROGRESS_ROWS == 0)
        im->opts->progress(im->sum->rows, im->opts->progress_user);
    if (!s->reasons.len) row_gate(im, s);
    if (s->reasons.len) reject(im, s, &s->reasons);
    else if (s->rule_reasons.len) reject(im, s, &s->rule_reasons);
    else row_write(im, s);
    if (s->reasons.failed || s->rule_reasons.failed) refuse(im, 1, "io.no_memory", NULL);
}

/* A slot done with gives back a buffer a long row grew, so the ring holds
 * long rows only while they wait (PIPE_BYTES), not for as long as it runs. */
static void slot_trim(row_slot *s, int ncols)
{
    enum { KEEP = 64 << 10 };
    if (s->bufcap > KEEP) { free(s->buf); s->buf = NULL; s->bufcap = 0; }
    if (s->rawcap > KEEP) { free(s->raw); s->raw = NULL; s->rawcap = 0; }
    for (int c = 0; c < ncols; c++)
        if (s->valcap[c] > KEEP) { free(s->vals[c]); s->vals[c] = NULL; s->valcap[c] = 0; }
}

/* ---- the pipe between the two -------------------------------------- */

/* The reader's callback.  The header is handled here in both modes (the
 * writer is waiting for its first row then); a data row is prepared into
 * the next free slot and, with one thread, finished at once. */
static int on_row(const io_csv_row *row, void *user)
{
    importer *im = user;
    if (interrupted) return 1;        /* the writer (or finish) says why */
    if (!im->hdr) {
        on_header(im, row);
        return im->status;
    }
    row_pipe *p = im->pipe;
    if (!im->threaded) {
        row_prepare(im, &p->slots[0], row);
        row_finish(im, &p->slots[0]);
        slot_trim(&p->slots[0], im->m->ncols);
        return im->status;
    }
    pthread_mutex_lock(&p->mu);
    while (!p->stop && (p->count == PIPE_SLOTS || (p->count > 0 && p->bytes > PIPE_BYTES)))
        pthread_cond_wait(&p->can_put, &p->mu);
    bool stop = p->stop;
    row_slot *s = &p->slots[(p->head + p->count) % PIPE_SLOTS];
    pthread_mutex_unlock(&p->mu);
    if (stop) return 1;
    row_prepare(im, s, row);
    pthread_mutex_lock(&p->mu);
    p->count++;
    p->bytes += s->bytes;
    pthread_cond_signal(&p->can_take);
    pthread_mutex_unlock(&p->mu);
    return 0;
}

typedef struct reader_args {
    importer *im;
    FILE *fp;
} reader_args;

static void *reader_main(void *arg)
{
    reader_args *a = arg;
    row_pipe *p = a->im->pipe;
    int r = io_table_read(a->fp, a->im->path, a->im->opts, a->im->m, on_row, a->im, &p->st,
                          p->err, sizeof p->err);
    pthread_mutex_lock(&p->mu);
    p->read_rc = r;
    p->done = true;
    pthread_cond_signal(&p->can_take);
    pthread_mutex_unlock(&p->mu);
    return NULL;
}

/* The writer's loop: every slot in order until the reader is done.  After
 * a failure the rest are taken and dropped, so the reader never waits on
 * a full ring that nobody empties. */
static void writer_loop(importer *im)
{
    row_pipe *p = im->pipe;
    for (;;) {
        pthread_mutex_lock(&p->mu);
        while (p->count == 0 && !p->done) pthread_cond_wait(&p->can_take, &p->mu);
        if (p->count == 0) { pthread_mutex_unlock(&p->mu); break; }
        row_slot *s = &p->slots[p->head];
        pthread_mutex_unlock(&p->mu);
        if (im->status == 0 && interrupted) refuse(im, 1, "io.interrupted", NULL);
        if (im->status == 0) row_finish(im, s);
        slot_trim(s, im->m->ncols);
        pthread_mutex_lock(&p->mu);
        p->head = (p->head + 1) % PIPE_SLOTS;
        p->count--;
        p->bytes -= s->bytes;
        if (im->status != 0) p->stop = true;
        pthread_cond_signal(&p->can_put);
        pthread_mutex_unlock(&p->mu);
    }
}

/* Two threads when there are two processors, unless ESIS_IMPORT_THREADS=1. */
static bool want_thread(void)
{
    const char *e = getenv("ESIS_IMPORT_THREADS");
    if (e && *e) return strtol(e, NULL, 10) > 1;
    return sysconf(_SC_NPROCESSORS_ONLN) > 1;
}

/* Read the whole file through on_row; the reader's result and stats. */
static int read_rows(importer *im, FILE *fp, io_csv_stats *st, char *err, size_t errsz)
{
    row_pipe *p = im->pipe;
    reader_args a = { im, fp };
    pthread_t tid;
    im->threaded = want_thread() && pthread_create(&tid, NULL, reader_main, &a) == 0;
    if (!im->threaded) {
        int r = io_table_read(fp, im->path, im->opts, im->m, on_row, im, st, err, errsz);
        if (im->status == 0 && interrupted) refuse(im, 1, "io.interrupted", NULL);
        return r;
    }
    writer_loop(im);
    pthread_join(tid, NULL);
    im->threaded = false;
    *st = p->st;
    snprintf(err, errsz, "%s", p->err);
    if (im->status == 0 && interrupted) refuse(im, 1, "io.interrupted", NULL);
    return p->read_rc;
}

/* ---- the whole import ------------------------------------------------ */

static void importer_free(importer *im)
{
    sqlite3_finalize(im->upsert);
    sqlite3_finalize(im->quarantine);
    sqlite3_finalize(im->school_exists);
    sqlite3_finalize(im->run_insert);
    io_keys_free(&im->keys);
    strbuf_free(&im->keytext);
    strbuf_free(&im->others);
    record_free(im->rec);
    rules_flags_free(&im->flags);
    io_header_free(&im->h);
    for (int i = 0; im->hdr && i < im->nhdr; i++) free(im->hdr[i]);
    free(im->hdr);
    free(im->binds);
    for (int k = 0; im->pipe && k < PIPE_SLOTS; k++) {
        row_slot *s = &im->pipe->slots[k];
        free(s->buf);
        free(s->raw);
        free(s->fields);
        free(s->lens);
        for (int i = 0; s->vals && i < im->m->ncols; i++) free(s->vals[i]);
        free(s->vals);
        free(s->valcap);
        strbuf_free(&s->reasons);
        strbuf_free(&s->rule_reasons);
    }
    if (im->pipe) {
        pthread_mutex_destroy(&im->pipe->mu);
        pthread_cond_destroy(&im->pipe->can_put);
        pthread_cond_destroy(&im->pipe->can_take);
    }
    free(im->pipe);
    strbuf_free(&im->json);
    strbuf_free(&im->scratch);
    free(im->last_school);
}

/* The mapping, the table, the round: what must hold before reading. */
static int importer_setup(importer *im, const char *round, char *err, size_t errsz)
{
    esis_app *app = im->app;
    if (!app->db || !app->schema || !app->conf) { snprintf(err, errsz, "io_import: no database"); return 1; }
    const db_session *s = im->who = db_session_get(app->db);
    if (s && !s->may_write) {
        snprintf(err, errsz, "%s", app_msg(app, "io.may_not_write"));
        return 1;
    }
    if (!im->t) { snprintf(err, errsz, "%s: no table %s", im->kind, im->m->table); return 2; }
    if (!app_rules_env(app, round, &im->env, &im->round)) {
        const char *kv[] = { "round", round ? round : "", NULL };
        strbuf sb = STRBUF_INIT;
        io_msg_fill(&sb, app_msg(app, "io.bad_round"), kv);
        snprintf(err, errsz, "%s", strbuf_str(&sb));
        strbuf_free(&sb);
        return 2;
    }
    im->env.round_code = im->round.code;
    snprintf(im->year, sizeof im->year, "%d", im->round.year);
    /* The round's row is made inside the import's transaction (on_header),
     * so a refused file leaves even that out. */
    if (im->t->round_col >= 0) im->round_code = im->round.code;
    im->rec = record_new(im->t);
    im->pipe = calloc(1, sizeof *im->pipe);
    if (!im->rec || !im->pipe) { snprintf(err, errsz, "out of memory"); return 1; }
    pthread_mutex_init(&im->pipe->mu, NULL);
    pthread_cond_init(&im->pipe->can_put, NULL);
    pthread_cond_init(&im->pipe->can_take, NULL);
    for (int k = 0; k < PIPE_SLOTS; k++) {
        row_slot *s = &im->pipe->slots[k];
        s->vals = calloc((size_t)im->m->ncols, sizeof *s->vals);
        s->valcap = calloc((size_t)im->m->ncols, sizeof *s->valcap);
        if (!s->vals || !s->valcap) { snprintf(err, errsz, "out of memory"); return 1; }
    }
    return 0;
}

static int finish(importer *im, FILE *fp, const io_csv_stats *st)
{
    (void)fp;
    io_summary *sum = im->sum;
    if (im->status == 0 && !im->hdr) {
        const char *kv[] = { "file", im->path, NULL };
        refuse(im, 2, "io.empty_file", kv);
    }
    if (im->status == 0 && interrupted) refuse(im, 1, "io.interrupted", NULL);
    if (im->rejects && fclose(im->rejects) != 0 && im->status == 0) {
        const char *kv[] = { "file", sum->rejects_path, "error", strerror(errno), NULL };
        refuse(im, 1, "io.rejects_failed", kv);
    }
    im->rejects = NULL;
    if (im->status == 0) run_flush(im);
    if (im->status == 0) {
        sqlite3_stmt *u = NULL;
        int rc = db_prepare(im->db, "UPDATE imports SET rows_read = ?2, rows_imported = ?3,"
                            " rows_rejected = ?4, rows_warned = ?5, rows_new = ?6, rows_updated = ?7,"
                            " rows_unchanged = ?8, rows_blank = ?9 WHERE id = ?1", &u);
        if (rc == SQLITE_OK) {
            sqlite3_bind_int64(u, 1, sum->import_id);
            sqlite3_bind_int64(u, 2, sum->rows);
            sqlite3_bind_int64(u, 3, sum->imported);
            sqlite3_bind_int64(u, 4, sum->rejected);
            sqlite3_bind_int64(u, 5, sum->warned);
            sqlite3_bind_int64(u, 6, sum->inserted);
            sqlite3_bind_int64(u, 7, sum->updated);
            sqlite3_bind_int64(u, 8, sum->unchanged);
            sqlite3_bind_int64(u, 9, sum->blank);
            rc = db_step(u) == SQLITE_DONE ? SQLITE_OK : SQLITE_ERROR;
        }
        sqlite3_finalize(u);
        if (rc == SQLITE_OK && im->deferred) {
            char err[512] = "";
            rc = db_index_flush(im->db, err, sizeof err);
            im->deferred = false;
            if (rc != SQLITE_OK) {      /* the index build's own words */
                const char *kv[] = { "what", "index", "error", err, NULL };
                refuse(im, 1, "io.db_failed", kv);
            }
        }
        if (rc == SQLITE_OK && im->bulk) {
            char what[600];
            snprintf(what, sizeof what, "import %s %s (import %lld)", im->kind, im->path ? im->path : "",
                     (long long)sum->import_id);
            char q[160];
            snprintf(q, sizeof q, "SELECT count(*) FROM \"%s\" WHERE rowid > %lld", im->m->table, im->rowid_before);
            long long inserted = db_query_int(im->db, 0, q, (const char *)NULL);
            /* Nothing new (a re-import that only updated): no summary row;
             * the updates were audited field by field. */
            if (inserted > 0) rc = db_bulk_end(im->db, im->m->table, what, inserted);
            else db_bulk_cancel(im->db);
            im->bulk = false;
        }
        /* statements must be done before COMMIT */
        sqlite3_finalize(im->upsert); im->upsert = NULL;
        sqlite3_finalize(im->quarantine); im->quarantine = NULL;
        sqlite3_finalize(im->school_exists); im->school_exists = NULL;
        sqlite3_finalize(im->run_insert); im->run_insert = NULL;
        if (rc != SQLITE_OK) { if (im->status == 0) fail_db(im, "imports"); }
        else if (db_commit(im->db) != SQLITE_OK) fail_db(im, "COMMIT");
        else im->began = false;
    }
    if (im->status != 0) {
        sqlite3_finalize(im->upsert); im->upsert = NULL;
        sqlite3_finalize(im->quarantine); im->quarantine = NULL;
        sqlite3_finalize(im->school_exists); im->school_exists = NULL;
        sqlite3_finalize(im->run_insert); im->run_insert = NULL;
        if (im->bulk) db_bulk_cancel(im->db);
        im->bulk = false;
        if (im->deferred) db_index_cancel(im->db);
        im->deferred = false;
        if (im->began) db_rollback(im->db);
        im->began = false;
        if (sum->rejected) unlink(sum->rejects_path);
        sum->imported = sum->rejected = sum->warned = 0;
        sum->inserted = sum->updated = sum->unchanged = sum->blank = 0;
        sum->import_id = 0;
        return im->status;
    }
    (void)st;
    if (!sum->rejected) sum->rejects_path[0] = '\0';
    return sum->rejected ? 3 : 0;
}

/* A file that is not a regular one (a pipe, /dev/stdin) copied into a
 * temporary file, *fp then reading that, its name in tmp.  0, or -1. */
static int spool_if_pipe(FILE **fp, char *tmp, size_t tmpsz, char *err, size_t errsz)
{
    struct stat sb;
    /* a directory is refused by the read itself, naming the file */
    if (fstat(fileno(*fp), &sb) == 0 && (S_ISREG(sb.st_mode) || S_ISDIR(sb.st_mode))) return 0;
    const char *dir = getenv("TMPDIR");
    snprintf(tmp, tmpsz, "%s/esis-import-XXXXXX", dir && *dir && strlen(dir) < tmpsz - 24 ? dir : "/tmp");
    int fd = mkstemp(tmp);
    FILE *out = fd >= 0 ? fdopen(fd, "w+b") : NULL;
    if (!out) {
        snprintf(err, errsz, "%s: %s", tmp, strerror(errno));
        if (fd >= 0) { close(fd); unlink(tmp); }
        tmp[0] = '\0';
        return -1;
    }
    char buf[65536];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, *fp)) > 0)
        if (fwrite(buf, 1, n, out) != n) break;
    if (ferror(*fp) || ferror(out) || fflush(out) != 0) {
        snprintf(err, errsz, "%s: %s", tmp, strerror(errno ? errno : EIO));
        fclose(out);
        unlink(tmp);
        tmp[0] = '\0';
        return -1;
    }
    rewind(out);
    fclose(*fp);
    *fp = out;
    return 0;
}

int io_import(esis_app *app, const char *kind, const char *path, const char *round,
              const char *rejects_path, io_summary *out)
{
    return io_import_with(app, kind, path, round, rejects_path, NULL, out);
}

/* Title lines skipped above the header: said beside the other warnings. */
static void skipped_warn(importer *im, const io_csv_stats *st)
{
    if (st->skipped <= 0 || im->status != 0) return;
    char n[24], line[24];
    snprintf(n, sizeof n, "%d", st->skipped);
    snprintf(line, sizeof line, "%ld", st->header_line);
    const char *kv[] = { "file", im->path, "n", n, "line", line, "text", st->skipped_text, NULL };
    strbuf sb = STRBUF_INIT;
    if (im->sum->warning[0]) { strbuf_add(&sb, im->sum->warning); strbuf_add(&sb, "; "); }
    io_msg_fill(&sb, msg(im, "io.skipped_title"), kv);
    snprintf(im->sum->warning, sizeof im->sum->warning, "%s", strbuf_str(&sb));
    strbuf_free(&sb);
}

int io_import_with(esis_app *app, const char *kind, const char *path, const char *round,
                   const char *rejects_path, const io_read_opts *opts, io_summary *out)
{
    memset(out, 0, sizeof *out);
    char err[1024] = "";
    io_mapping *m = io_mapping_load(app->home, kind, err, sizeof err);
    if (!m) { snprintf(out->message, sizeof out->message, "%s", err); return 2; }
    if (io_mapping_check(m, app->schema, err, sizeof err) != 0) {
        snprintf(out->message, sizeof out->message, "%s", err);
        io_mapping_free(m);
        return 2;
    }
    importer im;
    memset(&im, 0, sizeof im);
    im.app = app;
    im.db = app->db;
    im.m = m;
    im.t = schema_table(app->schema, m->table);
    im.kind = kind;
    im.path = path;
    im.opts = opts;
    im.sum = out;
    if (rejects_path) snprintf(out->rejects_path, sizeof out->rejects_path, "%s", rejects_path);
    else snprintf(out->rejects_path, sizeof out->rejects_path, "%s.rejects.csv", path);
    int rc = importer_setup(&im, round, err, sizeof err);
    FILE *fp = NULL;
    char spooled[64] = "";
    if (rc == 0 && !(fp = fopen(path, "rb"))) {
        snprintf(err, sizeof err, "%s: %s", path, strerror(errno));
        rc = 2;
    }
    /* The keys given twice are found by reading the file beforehand
     * (import_keys.c): a pipe is read once into a temporary file. */
    const char *scan_path = path;
    if (rc == 0 && spool_if_pipe(&fp, spooled, sizeof spooled, err, sizeof err) != 0) rc = 1;
    if (spooled[0]) scan_path = spooled;
    if (rc == 0 && io_keys_make(&im.keys, m, im.t) != 0) {
        snprintf(err, sizeof err, "%s", app_msg(app, "io.no_memory"));
        rc = 1;
    }
    /* a file that cannot be read is refused (2) as the import would */
    if (rc == 0) rc = io_keys_scan(&im.keys, scan_path, m, im.t, app->conf, err, sizeof err) < 0 ? 2 : 0;
    if (rc != 0) {
        snprintf(out->message, sizeof out->message, "%s", err);
        if (fp) fclose(fp);
        if (spooled[0]) unlink(spooled);
        importer_free(&im);
        io_mapping_free(m);
        return rc;
    }
    snprintf(out->round, sizeof out->round, "%s", im.round_code ? im.round_code : "-");
    struct sigaction sa, old_int, old_term, old_hup;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    interrupted = 0;
    sigaction(SIGINT, &sa, &old_int);
    sigaction(SIGTERM, &sa, &old_term);
    sigaction(SIGHUP, &sa, &old_hup);

    /* Statement journals (one per upsert: a row may fail alone) go to a
     * temporary file by default: a million small writes.  In memory they are
     * freed at the end of each statement, so memory stays flat; a larger
     * page cache (fixed, whatever the file's size) keeps the indexes'
     * pages.  Both are put back afterwards.  12 MB: as fast as 16 MB at a
     * million students (63 s against 65 s) and 9 MB less at the peak, which
     * the index flush reaches with about a second cache's worth and the
     * WAL index (its -shm file, mapped: 17 MB at 7 million students) adds
     * to; 8 MB was 18 % slower. */
    long long old_temp = db_query_int(app->db, 0, "PRAGMA temp_store", (const char *)NULL);
    long long old_cache = db_query_int(app->db, -2000, "PRAGMA cache_size", (const char *)NULL);
    /* (changing temp_store drops the connection's TEMP objects: only when
     * it is not MEMORY already) */
    if (old_temp != 2) db_exec(app->db, "PRAGMA temp_store = MEMORY", NULL, 0);
    db_exec(app->db, "PRAGMA cache_size = -12288", NULL, 0);

    io_csv_stats st;
    int r = read_rows(&im, fp, &st, err, sizeof err);
    if (r < 0) {
        snprintf(out->message, sizeof out->message, "%s", err);
        im.status = im.hdr ? 1 : 2;
    }
    skipped_warn(&im, &st);
    rc = finish(&im, fp, &st);
    fclose(fp);
    if (spooled[0]) unlink(spooled);
    if (im.sess_set) db_session_set(app->db, im.who);
    char pragma[96];
    if (old_temp != 2) snprintf(pragma, sizeof pragma, "PRAGMA temp_store = %lld; PRAGMA cache_size = %lld",
                                old_temp, old_cache);
    else snprintf(pragma, sizeof pragma, "PRAGMA cache_size = %lld", old_cache);
    db_exec(app->db, pragma, NULL, 0);

    sigaction(SIGINT, &old_int, NULL);
    sigaction(SIGTERM, &old_term, NULL);
    sigaction(SIGHUP, &old_hup, NULL);
    importer_free(&im);
    io_mapping_free(m);
    return rc;
}

void io_msg_fill(strbuf *sb, const char *tmpl, const char *const *kv)
{
    for (const char *p = tmpl ? tmpl : ""; *p; ) {
        const char *close = *p == '{' ? strchr(p, '}') : NULL;
        if (close && kv) {
            size_t n = (size_t)(close - p - 1);
            const char *val = NULL;
            for (int i = 0; kv[i] && kv[i + 1]; i += 2)
                if (strlen(kv[i]) == n && !strncmp(kv[i], p + 1, n)) { val = kv[i + 1]; break; }
            if (val) { strbuf_add(sb, val); p = close + 1; continue; }
        }
        strbuf_addc(sb, *p++);
    }
}

void io_summary_line(esis_app *app, const io_summary *s, char *out, size_t outsz)
{
    char n[7][24];
    snprintf(n[0], sizeof n[0], "%ld", s->imported);
    snprintf(n[1], sizeof n[1], "%ld", s->rejected);
    snprintf(n[2], sizeof n[2], "%ld", s->warned);
    snprintf(n[3], sizeof n[3], "%ld", s->inserted);
    snprintf(n[4], sizeof n[4], "%ld", s->updated);
    snprintf(n[5], sizeof n[5], "%ld", s->unchanged);
    snprintf(n[6], sizeof n[6], "%ld", s->blank);
    const char *kv[] = { "imported", n[0], "rejected", n[1], "warned", n[2],
                         "new", n[3], "updated", n[4], "unchanged", n[5], "blank", n[6],
                         "round", s->round[0] ? s->round : "-",
                         "rejects", s->rejects_path[0] ? s->rejects_path : "-", NULL };
    strbuf sb = STRBUF_INIT;
    io_msg_fill(&sb, app_msg(app, "io.summary"), kv);
    snprintf(out, outsz, "%s", strbuf_str(&sb));
    strbuf_free(&sb);
}

void io_rejects_note(esis_app *app, const io_summary *s, char *out, size_t outsz)
{
    const char *kv[] = { "old", s->rejects_replaced, "file", s->rejects_path, NULL };
    strbuf sb = STRBUF_INIT;
    io_msg_fill(&sb, app_msg(app, "io.rejects_new_name"), kv);
    snprintf(out, outsz, "%s", strbuf_str(&sb));
    strbuf_free(&sb);
}

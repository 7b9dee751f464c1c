/*
 * service_release.c: what `esis serve` writes (see service.h): the least of
 * the personal data.  conf/privacy.ini names, per table of personal data,
 * the aggregate served without an approval of individual records and the
 * columns that go out without being named; everything else goes out only
 * when the approval names it.  Counts from 1 to suppress_below - 1 are
 * written "<5" in every aggregate and report served, with the cells that
 * would give them back by subtraction (grid_suppress), so that no cell
 * singles out a child.  The file's SHA-256 (libgcrypt) goes in the release
 * log.
 */
#include "esis/app.h"
#include "esis/db.h"
#include "esis/io.h"
#include "esis/record.h"
#include "esis/report.h"
#include "esis/strbuf.h"
#include "service_internal.h"
#include "unit_internal.h"

#include <csv.h>
#include <gcrypt.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

char *service_join(char *const *words, int n)
{
    strbuf sb = STRBUF_INIT;
    for (int i = 0; i < n; i++) {
        if (i) strbuf_addc(&sb, ' ');
        strbuf_add(&sb, words[i]);
    }
    if (sb.failed) { strbuf_free(&sb); return NULL; }
    char *s = strbuf_take(&sb);
    return s ? s : strdup("");
}

static bool in_words(char *const *v, int n, const char *w)
{
    for (int i = 0; i < n; i++)
        if (!strcmp(v[i], w)) return true;
    return false;
}

/* ---- conf/privacy.ini --------------------------------------------------- */

static int privacy_open(esis_app *app, unit_ini *L, char *err, size_t errsz)
{
    char full[4200];
    snprintf(full, sizeof full, "%s/conf/privacy.ini", app->home ? app->home : ".");
    return unit_ini_open(L, full, "conf/privacy.ini", err, errsz);
}

/* The table of an export kind (conf/import/<kind>.ini [import] table), or
 * false when kind is not one (a report). */
static int import_table(esis_app *app, const char *kind, service_job *job, char *err, size_t errsz)
{
    char full[4200], shown[256];
    unit_conf_path(app, "import", kind, full, sizeof full, shown, sizeof shown);
    if (access(full, R_OK) != 0) return 0;
    unit_ini L;
    if (unit_ini_open(&L, full, shown, err, errsz)) return -1;
    const char *t = unit_ini_need(&L, "import", "table");
    if (t) snprintf(job->table, sizeof job->table, "%s", t);
    unit_ini_close(&L);
    job->use_io = true;
    return t ? 0 : -1;
}

int service_plan(esis_app *app, const char *kind, service_job *job, char *err, size_t errsz)
{
    if (import_table(app, kind, job, err, errsz)) return -1;
    unit_ini L;
    if (privacy_open(app, &L, err, errsz)) return -1;
    const char *below = unit_ini_get(&L, "serve", "suppress_below");
    job->suppress_below = below ? atoi(below) : 5;
    int rc = 0;
    if (job->use_io && unit_ini_has(&L, job->table)) {
        static const char *const keys[] = { "aggregate", "plain", "year_of", NULL };
        const char *agg = NULL;
        job->personal = true;
        if (unit_ini_check_keys(&L, job->table, keys) || !(agg = unit_ini_need(&L, job->table, "aggregate"))) rc = -1;
        if (!rc) snprintf(job->aggregate, sizeof job->aggregate, "%s", agg);
        if (!rc && (unit_words(unit_ini_get(&L, job->table, "plain"), &job->plain, &job->nplain) ||
                    unit_words(unit_ini_get(&L, job->table, "year_of"), &job->year_of, &job->nyear_of)))
            rc = unit_ini_fail(&L, job->table, NULL, "out of memory");
        const esis_table *t = schema_table(app->schema, job->table);
        for (int i = 0; !rc && t && i < job->nplain; i++)
            if (schema_col(t, job->plain[i]) < 0)
                rc = unit_ini_fail(&L, job->table, "plain", "'%s' is not a column of %s", job->plain[i], job->table);
    }
    unit_ini_close(&L);
    return rc;
}

void service_plan_free(service_job *job)
{
    unit_words_free(job->plain, job->nplain);
    unit_words_free(job->year_of, job->nyear_of);
    free(job->released);
    job->plain = job->year_of = NULL;
    job->nplain = job->nyear_of = 0;
    job->released = NULL;
}

/* ---- writing ---------------------------------------------------------------- */

static void csv_line(FILE *out, const char *const *cells, int n)
{
    for (int i = 0; i < n; i++) {
        if (i) fputc(',', out);
        csv_fwrite(out, cells[i], strlen(cells[i]));
    }
    fputc('\n', out);
}

/* ---- small cells -------------------------------------------------------
 *
 * A served report is held whole (a row a school at most), then its small
 * counts are hidden: a count from 1 to suppress_below - 1 becomes "<N"
 * (primary suppression), and so do the cells that would give one back by
 * subtraction (complementary suppression): while a row (its counts add up
 * to its totals) or a column of the data rows (they add up to the totals
 * row) has exactly one hidden cell, its smallest shown count at or over the
 * threshold is hidden too.  Each pass hides one more cell, so it ends. */

typedef struct grid_row {
    char  **cells;            /* owned */
    double *value;
    bool   *count;            /* an integer count with a value */
    bool   *hide;
    bool    total;
} grid_row;

typedef struct grid {
    int       ncols, below;
    grid_row *rows;
    int       nrows, cap;
} grid;

static void grid_free(grid *g)
{
    for (int r = 0; r < g->nrows; r++) {
        for (int c = 0; g->rows[r].cells && c < g->ncols; c++) free(g->rows[r].cells[c]);
        free(g->rows[r].cells); free(g->rows[r].value); free(g->rows[r].count); free(g->rows[r].hide);
    }
    free(g->rows);
}

static int grid_add(void *ctx, const report_def *rep, const report_row *row)
{
    grid *g = ctx;
    if (g->nrows == g->cap) {
        int cap = g->cap ? g->cap * 2 : 64;
        grid_row *v = realloc(g->rows, sizeof *v * (size_t)cap);
        if (!v) return -1;
        g->rows = v;
        g->cap = cap;
    }
    grid_row *r = &g->rows[g->nrows++];
    size_t n = (size_t)g->ncols + 1;
    r->cells = calloc(n, sizeof *r->cells);
    r->value = calloc(n, sizeof *r->value);
    r->count = calloc(n, sizeof *r->count);
    r->hide = calloc(n, sizeof *r->hide);
    r->total = row->total;
    if (!r->cells || !r->value || !r->count || !r->hide) return -1;
    for (int i = 0; i < g->ncols; i++) {
        if (!(r->cells[i] = strdup(row->plain[i] ? row->plain[i] : ""))) return -1;
        r->value[i] = row->value[i];
        r->count[i] = rep->cols[i].format == REPORT_INT && !row->null[i];
        r->hide[i] = r->count[i] && r->value[i] >= 1 && r->value[i] < g->below;
    }
    return 0;
}

/* Hide the smallest shown count at or over the threshold of row `row`
 * (col < 0) or of column `col` over the data rows; false when none. */
static bool hide_smallest(grid *g, int row, int col)
{
    int best_r = -1, best_c = -1;
    for (int r = row < 0 ? 0 : row; r < (row < 0 ? g->nrows : row + 1); r++)
        for (int c = col < 0 ? 0 : col; c < (col < 0 ? g->ncols : col + 1); c++) {
            const grid_row *x = &g->rows[r];
            if ((row < 0 && x->total) || !x->count[c] || x->hide[c] || x->value[c] < g->below) continue;
            if (best_r < 0 || x->value[c] < g->rows[best_r].value[best_c]) { best_r = r; best_c = c; }
        }
    if (best_r < 0) return false;
    g->rows[best_r].hide[best_c] = true;
    return true;
}

static void grid_suppress(grid *g)
{
    bool changed = true;
    while (changed) {
        changed = false;
        for (int r = 0; r < g->nrows; r++) {
            int n = 0;
            for (int c = 0; c < g->ncols; c++) n += g->rows[r].hide[c];
            if (n == 1 && hide_smallest(g, r, -1)) changed = true;
        }
        for (int c = 0; c < g->ncols; c++) {
            int n = 0;
            for (int r = 0; r < g->nrows; r++) n += !g->rows[r].total && g->rows[r].hide[c];
            if (n == 1 && hide_smallest(g, -1, c)) changed = true;
        }
    }
}

static void grid_write(const grid *g, FILE *out)
{
    char small[16];
    snprintf(small, sizeof small, "<%d", g->below);
    const char *cells[256];
    for (int r = 0; r < g->nrows; r++) {
        for (int c = 0; c < g->ncols && c < 256; c++) cells[c] = g->rows[r].hide[c] ? small : g->rows[r].cells[c];
        csv_line(out, cells, g->ncols < 256 ? g->ncols : 256);
    }
}

static int write_report(service_job *job, const char *name, FILE *out, char *err, size_t errsz)
{
    esis_app *app = job->app;
    char dir[4200];
    snprintf(dir, sizeof dir, "%s/conf/reports", app->home);
    report_set *set = NULL;
    if (report_load_dir(app->db, app->conf, dir, &set, err, errsz)) return -1;
    const report_def *rep = report_find(set, name);
    report_params p = { NULL, 0, NULL, app->lang, 0 };
    grid g = { rep ? rep->ncols : 0, job->suppress_below, NULL, 0, 0 };
    int rc = 0;
    if (!rep) rc = unit_fail(app, err, errsz, "service.unknown_kind", "%s", name);
    if (!rc && rep->ncols > 256) rc = unit_fail(app, err, errsz, "service.unknown_kind", "%s: > 256", name);
    if (!rc && (rep->params & REPORT_P_ROUND) && *job->round) p.round = job->round;
    if (!rc && (rep->params & REPORT_P_YEAR) && *job->round) {
        conf_round r;
        if (conf_round_get(app->conf, job->round, &r)) p.year = r.year;
    }
    if (!rc) {
        err[0] = '\0';
        if (report_run(set, rep, &p, grid_add, &g, err, errsz))
            rc = *err ? -1 : unit_fail(app, err, errsz, "unit.no_memory", NULL);
    }
    if (!rc) {
        const char *head[256];
        for (int i = 0; i < rep->ncols; i++) head[i] = report_heading(&rep->cols[i], app->lang);
        fputs("\xEF\xBB\xBF", out);
        csv_line(out, head, rep->ncols);
        grid_suppress(&g);
        grid_write(&g, out);
        for (int r = 0; r < g.nrows; r++) job->rows += !g.rows[r].total;
    }
    strbuf what = STRBUF_INIT;
    strbuf_addf(&what, "report:%s", name);
    if (!rc && !(job->released = strbuf_take(&what))) rc = unit_fail(app, err, errsz, "unit.no_memory", NULL);
    strbuf_free(&what);
    grid_free(&g);
    report_set_free(set);
    return rc;
}

/* The columns of records under an approval: the plain ones and the named
 * ones as they are, an unnamed date of year_of as its BE year; into sel
 * (SQL) and names (the header and the log).  A named field that is not a
 * column of the table refuses: the approval was for other data. */
static int record_columns(service_job *job, const esis_table *t, strbuf *sel, strbuf *names, char *err, size_t errsz)
{
    char **named = NULL;
    int nnamed = 0;
    if (unit_words(job->grant->fields, &named, &nnamed)) return unit_fail(job->app, err, errsz, "unit.no_memory", NULL);
    int rc = 0;
    for (int i = 0; !rc && i < nnamed; i++)
        if (schema_col(t, named[i]) < 0) rc = unit_fail(job->app, err, errsz, "serve.bad_field", "%s (%s)", named[i], t->name);
    for (int c = 0; !rc && c < t->ncols; c++) {
        const char *col = t->cols[c];
        const char *sep = sel->len ? ", " : "";
        if (in_words(job->plain, job->nplain, col) || in_words(named, nnamed, col)) {
            strbuf_addf(sel, "%s\"%s\"", sep, col);
            strbuf_addf(names, "%s%s", sep[0] ? " " : "", col);
        } else if (in_words(job->year_of, job->nyear_of, col)) {
            strbuf_addf(sel, "%sCASE WHEN length(\"%s\") >= 4 THEN CAST(substr(\"%s\", 1, 4) AS INTEGER) + 543 END",
                        sep, col, col);
            strbuf_addf(names, "%s%s_year_be", sep[0] ? " " : "", col);
        }
    }
    unit_words_free(named, nnamed);
    if (!rc && (sel->failed || names->failed)) rc = unit_fail(job->app, err, errsz, "unit.no_memory", NULL);
    return rc;
}

static int write_records(service_job *job, FILE *out, char *err, size_t errsz)
{
    esis_app *app = job->app;
    const esis_table *t = schema_table(app->schema, job->table);
    if (!t) return unit_fail(app, err, errsz, "service.unknown_kind", "%s", job->table);
    strbuf sel = STRBUF_INIT, names = STRBUF_INIT, sql = STRBUF_INIT;
    int rc = record_columns(job, t, &sel, &names, err, errsz);
    bool by_round = schema_col(t, "round_code") >= 0 && *job->round;
    strbuf_addf(&sql, "SELECT %s FROM \"%s\" WHERE esis_may_see(school_code)%s ORDER BY school_code, id",
                strbuf_str(&sel), t->name, by_round ? " AND round_code = ?1" : "");
    sqlite3_stmt *st = NULL;
    if (!rc && (sql.failed || db_prepare(app->db, strbuf_str(&sql), &st) != SQLITE_OK))
        rc = unit_fail(app, err, errsz, "service.export_failed", "%s", sqlite3_errmsg(app->db));
    char **head = NULL;
    int n = 0;
    if (!rc && unit_words(strbuf_str(&names), &head, &n)) rc = unit_fail(app, err, errsz, "unit.no_memory", NULL);
    const char **cells = rc ? NULL : calloc((size_t)n + 1, sizeof *cells);
    if (!rc && !cells) rc = unit_fail(app, err, errsz, "unit.no_memory", NULL);
    if (!rc) {
        if (by_round) sqlite3_bind_text(st, 1, job->round, -1, SQLITE_STATIC);
        fputs("\xEF\xBB\xBF", out);
        csv_line(out, (const char *const *)head, n);
        int step;
        while ((step = db_step(st)) == SQLITE_ROW) {
            for (int i = 0; i < n; i++) {
                const unsigned char *v = sqlite3_column_text(st, i);
                cells[i] = v ? (const char *)v : "";
            }
            csv_line(out, cells, n);
            job->rows++;
        }
        if (step != SQLITE_DONE) rc = unit_fail(app, err, errsz, "service.export_failed", "%s", sqlite3_errmsg(app->db));
    }
    if (!rc && !(job->released = strbuf_take(&names))) rc = unit_fail(app, err, errsz, "unit.no_memory", NULL);
    free(cells);
    unit_words_free(head, n);
    sqlite3_finalize(st);
    strbuf_free(&sel);
    strbuf_free(&names);
    strbuf_free(&sql);
    return rc;
}

int service_write(void *vjob, FILE *out, char *err, size_t errsz)
{
    service_job *job = vjob;
    esis_app *app = job->app;
    if (job->personal && !job->grant) {
        job->level = "aggregate";
        return write_report(job, job->aggregate, out, err, errsz);
    }
    if (job->personal) {
        job->level = "records";
        return write_records(job, out, err, errsz);
    }
    if (!job->use_io) {
        job->level = "report";
        return write_report(job, job->kind, out, err, errsz);
    }
    /* A kind with no personal data: as `esis export --codes machine`
     * writes it (a served file is read by the requester's program). */
    job->level = "export";
    io_export_opts opts = { true, IO_CODES_MACHINE };
    if (io_export(app, job->kind, *job->round ? job->round : NULL, NULL, &opts, out, &job->rows))
        return unit_fail(app, err, errsz, "service.export_failed", "%s", app->err);
    strbuf what = STRBUF_INIT;
    strbuf_addf(&what, "export:%s", job->kind);
    job->released = strbuf_take(&what);
    strbuf_free(&what);
    return job->released ? 0 : unit_fail(app, err, errsz, "unit.no_memory", NULL);
}

/* ---- checksum ----------------------------------------------------------- */

int service_sha256_file(const char *path, char hex[65])
{
    if (!gcry_control(GCRYCTL_INITIALIZATION_FINISHED_P)) {
        if (!gcry_check_version(NULL)) return -1;
        gcry_control(GCRYCTL_DISABLE_SECMEM, 0);
        gcry_control(GCRYCTL_INITIALIZATION_FINISHED, 0);
    }
    FILE *fp = fopen(path, "rb");
    if (!fp) return -1;
    gcry_md_hd_t h;
    if (gcry_md_open(&h, GCRY_MD_SHA256, 0)) { fclose(fp); return -1; }
    char buf[65536];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, fp)) > 0) gcry_md_write(h, buf, n);
    int rc = ferror(fp) ? -1 : 0;
    fclose(fp);
    const unsigned char *d = gcry_md_read(h, GCRY_MD_SHA256);
    for (int i = 0; !rc && d && i < 32; i++) snprintf(hex + 2 * i, 3, "%02x", d[i]);
    if (!d) rc = -1;
    gcry_md_close(h);
    return rc;
}

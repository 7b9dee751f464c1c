/*
 * service_release.c: what `esis serve` writes (see service.h): the least of
 * the personal data.  conf/privacy.ini names, per table of personal data,
 * the aggregate served without an approval of individual records and the
 * columns that go out without being named; everything else goes out only
 * when the approval names it.  Counts from 1 to suppress_below - 1 are
 * written "<5" in every aggregate and report served, so that no cell
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

bool service_field_known(esis_app *app, const char *field)
{
    unit_ini L;
    char err[512];
    if (privacy_open(app, &L, err, sizeof err)) return false;
    bool known = false;
    const esis_table *t;
    for (int i = 0; !known && app->schema && i < app->schema->ntables; i++)
        known = unit_ini_has(&L, app->schema->tables[i].name) && (t = &app->schema->tables[i]) &&
                schema_col(t, field) >= 0;
    unit_ini_close(&L);
    return known;
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

typedef struct report_out {
    service_job *job;
    FILE        *out;
    const char **cells;
} report_out;

/* A row of a served report: a count from 1 to suppress_below - 1 becomes
 * "<N", in data rows and totals alike. */
static int report_line(void *ctx, const report_def *rep, const report_row *row)
{
    report_out *o = ctx;
    char small[16];
    snprintf(small, sizeof small, "<%d", o->job->suppress_below);
    for (int i = 0; i < rep->ncols; i++) {
        double v = row->value[i];
        bool count = rep->cols[i].format == REPORT_INT && !row->null[i];
        o->cells[i] = count && v >= 1 && v < o->job->suppress_below ? small : row->plain[i];
    }
    csv_line(o->out, o->cells, rep->ncols);
    if (!row->total) o->job->rows++;
    return 0;
}

static int write_report(service_job *job, const char *name, FILE *out, char *err, size_t errsz)
{
    esis_app *app = job->app;
    char dir[4200];
    snprintf(dir, sizeof dir, "%s/conf/reports", app->home);
    report_set *set = NULL;
    if (report_load_dir(app->db, app->conf, dir, &set, err, errsz)) return -1;
    const report_def *rep = report_find(set, name);
    report_params p = { NULL, 0, NULL, app->lang };
    report_out o = { job, out, NULL };
    int rc = 0;
    if (!rep) rc = unit_fail(app, err, errsz, "service.unknown_kind", "%s", name);
    if (!rc && (rep->params & REPORT_P_ROUND) && *job->round) p.round = job->round;
    if (!rc && (rep->params & REPORT_P_YEAR) && *job->round) {
        conf_round r;
        if (conf_round_get(app->conf, job->round, &r)) p.year = r.year;
    }
    if (!rc && !(o.cells = calloc((size_t)rep->ncols + 1, sizeof *o.cells))) rc = unit_fail(app, err, errsz, "unit.no_memory", NULL);
    if (!rc) {
        fputs("\xEF\xBB\xBF", out);
        for (int i = 0; i < rep->ncols; i++) o.cells[i] = report_heading(&rep->cols[i], app->lang);
        csv_line(out, o.cells, rep->ncols);
        if (report_run(set, rep, &p, report_line, &o, err, errsz)) rc = -1;
    }
    strbuf what = STRBUF_INIT;
    strbuf_addf(&what, "report:%s", name);
    if (!rc && !(job->released = strbuf_take(&what))) rc = unit_fail(app, err, errsz, "unit.no_memory", NULL);
    strbuf_free(&what);
    free(o.cells);
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
    /* A kind with no personal data: as `esis export` writes it. */
    job->level = "export";
    if (io_export(app, job->kind, *job->round ? job->round : NULL, NULL, true, out, &job->rows))
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

/*
 * export: the rows of one kind as canonical CSV, the form import reads.
 *
 * The file: a UTF-8 BOM (so spreadsheet programs read Thai), the canonical
 * header (the section order of conf/import/<kind>.ini), every field quoted
 * by csv_fwrite, CRLF line ends, dates as DD/MM/YYYY with the Buddhist Era
 * year (what Thai offices type and expect).  Codes are written as a user
 * reads them, by their label in the configured language (ป.1, ชาย), or as
 * stored when asked for the machine codes (io_export_opts); numbers as
 * SQLite gives them.  A text that a spreadsheet
 * would run as a formula (=, +, -, @, tab, CR first) gets an apostrophe in
 * front (OWASP); import takes it off.  A workbook (io_export_xlsx) has the
 * same header and values, with numbers as numbers and dates as dates.  Import accepts all of this,
 * (a label is one of the spellings of its code) and normalises to exactly
 * what is stored, so export -> import -> export gives the same bytes.  Rows come in natural-key order, so the order is
 * the same too.
 *
 * Privacy: the session's scope limits the rows (db_scope_sql); personal
 * columns (citizen IDs, birth dates, addresses, as the esis_tables
 * catalogue marks them) are masked when asked or when the session may not
 * see personal data: IDs keep their first and last two digits, a birth date
 * keeps its year, other personal text becomes "x".  A masked export is for
 * reading, not for importing back.
 */
#include "esis/io.h"
#include "esis/app.h"
#include "esis/db.h"
#include "esis/strbuf.h"
#include "esis/text.h"
#include "esis/xlsx_writer.h"
#include "io_internal.h"

#include <stdlib.h>
#include <string.h>

/* One value as it goes out: BE dates, masks, codes by their labels. */
static void value_out(const esis_app *app, const io_column *c, const char *v,
                      const io_export_opts *o, bool mask, char *buf, size_t bufsz)
{
    if (!v || !*v) { buf[0] = '\0'; return; }
    text_date d;
    bool date = c->norm == NORM_DATE && text_date_parse(v, &d);
    if (mask && c->personal) {
        if (date) {
            snprintf(buf, bufsz, "xx/xx/%04d", d.year + 543);
        } else if (c->norm == NORM_DIGITS && strlen(v) < bufsz) {
            text_mask_id(v, buf);
        } else {
            snprintf(buf, bufsz, "x");
        }
        return;
    }
    if (c->norm == NORM_CODE && o->codes == IO_CODES_LABELS && app->conf) {
        const char *label = conf_code_label(app->conf, c->code_list, v, app->lang);
        snprintf(buf, bufsz, "%s", label && *label ? label : v);
        return;
    }
    if (date) text_date_be(d, buf);
    else snprintf(buf, bufsz, "%s", v);
}

static int export_fail(esis_app *app, int rc, const char *what)
{
    snprintf(app->err, sizeof app->err, "%s: %s", what, app->db ? sqlite3_errmsg(app->db) : "no database");
    return rc;
}

/* Where the rows go: a CSV stream or a workbook. */
typedef struct sink {
    FILE *fp;               /* CSV */
    xlsx_out *x;            /* or a workbook */
    const char *kind;       /* the sheet's name */
} sink;

static xlsx_kind column_kind(const io_column *c, bool mask)
{
    if (mask && c->personal) return XLSX_TEXT;
    switch (c->norm) {
    case NORM_INT:  return XLSX_INT;
    case NORM_REAL: return XLSX_REAL;
    case NORM_DATE: return XLSX_DATE;
    default:           return XLSX_TEXT;
    }
}

static int sink_header(esis_app *app, const io_mapping *m, bool mask, sink *k)
{
    if (k->x) {
        const char **h = calloc((size_t)m->ncols + 1, sizeof *h);
        xlsx_kind *kinds = calloc((size_t)m->ncols + 1, sizeof *kinds);
        int rc = h && kinds ? 0 : -1;
        for (int c = 0; !rc && c < m->ncols; c++) {
            h[c] = m->cols[c].name;
            kinds[c] = column_kind(&m->cols[c], mask);
        }
        if (!rc) rc = xlsx_out_sheet(k->x, k->kind, NULL, h, kinds, m->ncols, app->err, sizeof app->err);
        else snprintf(app->err, sizeof app->err, "out of memory");
        free(h);
        free(kinds);
        return rc ? 1 : 0;
    }
    fputs("\xEF\xBB\xBF", k->fp);
    for (int c = 0; c < m->ncols; c++) {
        if (c) fputc(',', k->fp);
        io_csv_write_field(k->fp, m->cols[c].name);
    }
    fputs("\r\n", k->fp);
    return 0;
}

/* One row: raw[c] as stored, shown[c] as the CSV writes it. */
static int sink_row(esis_app *app, const io_mapping *m, bool mask, sink *k,
                    const char *const *raw, char **shown)
{
    if (k->x) {
        /* a workbook takes dates as dates (ISO in), the rest as shown */
        const char **cells = calloc((size_t)m->ncols + 1, sizeof *cells);
        if (!cells) { snprintf(app->err, sizeof app->err, "out of memory"); return 1; }
        for (int c = 0; c < m->ncols; c++)
            cells[c] = column_kind(&m->cols[c], mask) == XLSX_DATE && raw[c] ? raw[c] : shown[c];
        int rc = xlsx_out_row(k->x, cells, false, app->err, sizeof app->err) ? 1 : 0;
        free(cells);
        return rc;
    }
    for (int c = 0; c < m->ncols; c++) {
        if (c && fputc(',', k->fp) == EOF) goto fail;
        if (io_csv_write_field(k->fp, shown[c]) != 0) goto fail;
    }
    if (fputs("\r\n", k->fp) == EOF) goto fail;
    return 0;
fail:
    snprintf(app->err, sizeof app->err, "write failed");
    return 1;
}

static int write_rows(esis_app *app, const io_mapping *m, sqlite3_stmt *st,
                      const io_export_opts *o, bool mask, sink *k, long *nrows)
{
    int rc = 0, src;
    char **shown = calloc((size_t)m->ncols + 1, sizeof *shown);
    size_t *cap = calloc((size_t)m->ncols + 1, sizeof *cap);
    const char **raw = calloc((size_t)m->ncols + 1, sizeof *raw);
    if (!shown || !cap || !raw) { rc = 1; snprintf(app->err, sizeof app->err, "out of memory"); goto done; }
    while ((src = db_step(st)) == SQLITE_ROW) {
        for (int c = 0; c < m->ncols && !rc; c++) {
            const char *v = raw[c] = (const char *)sqlite3_column_text(st, c);
            size_t need = (v ? strlen(v) : 0) + 24;
            if (m->cols[c].norm == NORM_CODE) need += 256;      /* a label */
            if (need > cap[c]) {
                char *b = realloc(shown[c], need);
                if (!b) { rc = 1; snprintf(app->err, sizeof app->err, "out of memory"); break; }
                shown[c] = b;
                cap[c] = need;
            }
            /* written one byte in, so the guard can go in front */
            value_out(app, &m->cols[c], v, o, mask, shown[c] + 1, cap[c] - 1);
            if (io_guard_needed(&m->cols[c], shown[c] + 1)) shown[c][0] = '\'';
            else memmove(shown[c], shown[c] + 1, strlen(shown[c] + 1) + 1);
        }
        if (!rc) rc = sink_row(app, m, mask, k, raw, shown);
        if (rc) break;
        (*nrows)++;
    }
    if (!rc && src != SQLITE_DONE) rc = export_fail(app, 1, "export");
done:
    for (int c = 0; shown && c < m->ncols; c++) free(shown[c]);
    free(shown);
    free(cap);
    free(raw);
    return rc;
}

static int export_to(esis_app *app, const char *kind, const char *round, const char *school,
                     const io_export_opts *o, sink *k, long *nrows)
{
    bool mask = o->mask;
    long dummy = 0;
    if (!nrows) nrows = &dummy;
    *nrows = 0;
    io_mapping *m = io_mapping_load(app->home, kind, app->err, sizeof app->err);
    if (!m) return 2;
    if (io_mapping_check(m, app->schema, app->err, sizeof app->err) != 0) {
        io_mapping_free(m);
        return 2;
    }
    const esis_table *t = schema_table(app->schema, m->table);
    const db_session *s = db_session_get(app->db);
    if (s && !s->see_personal) mask = true;

    strbuf sql = STRBUF_INIT;
    char scope[256];
    strbuf_add(&sql, "SELECT ");
    for (int c = 0; c < m->ncols; c++) strbuf_addf(&sql, "%s\"%s\"", c ? ", " : "", m->cols[c].column);
    strbuf_addf(&sql, " FROM \"%s\" WHERE 1", t->name);
    if (t->school_col >= 0)
        strbuf_addf(&sql, " AND %s", db_scope_sql(app->db, "school_code", scope, sizeof scope));
    if (round && t->round_col >= 0) strbuf_add(&sql, " AND round_code = ?1");
    if (school && t->school_col >= 0) strbuf_add(&sql, " AND school_code = ?2");
    strbuf_add(&sql, " ORDER BY ");
    for (int k = 0; k < t->nkey; k++) strbuf_addf(&sql, "%s\"%s\"", k ? ", " : "", t->key_cols[k]);
    if (t->nkey == 0) strbuf_add(&sql, "rowid");

    sqlite3_stmt *st = NULL;
    int rc = 1;
    if (sql.failed || db_prepare(app->db, strbuf_str(&sql), &st) != SQLITE_OK) {
        rc = export_fail(app, 1, "export");
        goto done;
    }
    if (round) sqlite3_bind_text(st, 1, round, -1, SQLITE_STATIC);
    if (school) sqlite3_bind_text(st, 2, school, -1, SQLITE_STATIC);
    rc = sink_header(app, m, mask, k);
    if (rc == 0) rc = write_rows(app, m, st, o, mask, k, nrows);
    if (rc == 0 && k->fp && (fflush(k->fp) != 0 || ferror(k->fp))) {
        snprintf(app->err, sizeof app->err, "write failed");
        rc = 1;
    }
done:
    sqlite3_finalize(st);
    strbuf_free(&sql);
    io_mapping_free(m);
    return rc;
}

int io_export(esis_app *app, const char *kind, const char *round, const char *school,
              const io_export_opts *opts, FILE *fp, long *nrows)
{
    sink k = { fp, NULL, kind };
    return export_to(app, kind, round, school, opts, &k, nrows);
}

int io_export_xlsx(esis_app *app, const char *kind, const char *round, const char *school,
                   const io_export_opts *opts, const char *path, long *nrows)
{
    sink k = { NULL, xlsx_out_open(path, app->err, sizeof app->err), kind };
    if (!k.x) return 1;
    int rc = export_to(app, kind, round, school, opts, &k, nrows);
    char err[512] = "";
    if (xlsx_out_close(k.x, err, sizeof err) != 0 && rc == 0) {
        snprintf(app->err, sizeof app->err, "%s: %s", path, err);
        rc = 1;
    }
    return rc;
}

/*
 * export: the rows of one kind as canonical CSV, the form import reads.
 *
 * The file: a UTF-8 BOM (so spreadsheet programs read Thai), the canonical
 * header (the section order of conf/import/<kind>.ini), every field quoted
 * by csv_fwrite, CRLF line ends, dates as DD/MM/YYYY with the Buddhist Era
 * year (what Thai offices type and expect).  Codes are written as stored
 * (canonical), numbers as SQLite gives them.  Import accepts all of this,
 * and normalises to exactly what is stored, so export -> import -> export
 * gives the same bytes.  Rows come in natural-key order, so the order is
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
#include "io_internal.h"

#include <stdlib.h>
#include <string.h>

/* One value as it goes out: BE dates, masks. */
static void value_out(const io_column *c, const char *v, bool mask, char *buf, size_t bufsz)
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
    if (date) text_date_be(d, buf);
    else snprintf(buf, bufsz, "%s", v);
}

static int export_fail(esis_app *app, int rc, const char *what)
{
    snprintf(app->err, sizeof app->err, "%s: %s", what, app->db ? sqlite3_errmsg(app->db) : "no database");
    return rc;
}

static int write_rows(esis_app *app, const io_mapping *m, sqlite3_stmt *st, bool mask,
                      FILE *fp, long *nrows)
{
    char small[256];
    int rc;
    while ((rc = db_step(st)) == SQLITE_ROW) {
        for (int c = 0; c < m->ncols; c++) {
            const char *v = (const char *)sqlite3_column_text(st, c);
            size_t n = v ? strlen(v) : 0;
            char *buf = n + 16 <= sizeof small ? small : malloc(n + 16);
            if (!buf) { snprintf(app->err, sizeof app->err, "out of memory"); return 1; }
            value_out(&m->cols[c], v, mask, buf, n + 16 <= sizeof small ? sizeof small : n + 16);
            if ((c && fputc(',', fp) == EOF) || io_csv_write_field(fp, buf) != 0) {
                if (buf != small) free(buf);
                snprintf(app->err, sizeof app->err, "write failed");
                return 1;
            }
            if (buf != small) free(buf);
        }
        if (fputs("\r\n", fp) == EOF) { snprintf(app->err, sizeof app->err, "write failed"); return 1; }
        (*nrows)++;
    }
    return rc == SQLITE_DONE ? 0 : export_fail(app, 1, "export");
}

int io_export(esis_app *app, const char *kind, const char *round, const char *school,
              bool mask, FILE *fp, long *nrows)
{
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
    fputs("\xEF\xBB\xBF", fp);
    for (int c = 0; c < m->ncols; c++) {
        if (c) fputc(',', fp);
        io_csv_write_field(fp, m->cols[c].name);
    }
    fputs("\r\n", fp);
    rc = write_rows(app, m, st, mask, fp, nrows);
    if (rc == 0 && (fflush(fp) != 0 || ferror(fp))) {
        snprintf(app->err, sizeof app->err, "write failed");
        rc = 1;
    }
done:
    sqlite3_finalize(st);
    strbuf_free(&sql);
    io_mapping_free(m);
    return rc;
}

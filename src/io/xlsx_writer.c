/*
 * xlsx_writer: workbooks out through libxlsxwriter (see
 * include/esis/xlsx_writer.h).  Used by export (a kind's rows), the report
 * renderer (a report's table) and import (its rejects on request).
 *
 * Why the Buddhist Era date format "[$-1070000]dd/mm/yyyy": the cell holds
 * a true date (Excel's serial) and the format asks Excel to show it in the
 * Thai Buddhist calendar, as a Thai office reads dates; any reader that
 * does not know the calendar still sees a date.
 */
#include "esis/xlsx_writer.h"
#include "esis/io.h"
#include "esis/text.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <xlsxwriter.h>

enum { WIDTH_MIN = 6, WIDTH_MAX = 60 };

struct xlsx_out {
    lxw_workbook *wb;
    lxw_worksheet *ws;
    lxw_format *bold, *title, *fmt_int, *fmt_money, *fmt_pct, *fmt_date, *bold_int, *bold_money;
    xlsx_kind *kinds;
    int *width;             /* per column of the current sheet: display columns */
    int ncols;
    lxw_row_t row;
    int nsheets;
};

static int lxw_fail(lxw_error e, const char *what, char *err, size_t errsz)
{
    snprintf(err, errsz, "%s: %s", what, lxw_strerror(e));
    return -1;
}

xlsx_out *xlsx_out_open(const char *path, char *err, size_t errsz)
{
    xlsx_out *x = calloc(1, sizeof *x);
    lxw_workbook_options o = { .constant_memory = LXW_TRUE, .tmpdir = NULL, .use_zip64 = LXW_FALSE };
    if (!x || !(x->wb = workbook_new_opt(path, &o))) {
        snprintf(err, errsz, "%s: %s", path, strerror(errno ? errno : ENOMEM));
        free(x);
        return NULL;
    }
    x->bold = workbook_add_format(x->wb);
    format_set_bold(x->bold);
    x->title = workbook_add_format(x->wb);
    format_set_bold(x->title);
    format_set_font_size(x->title, 13);
    x->fmt_int = workbook_add_format(x->wb);
    format_set_num_format(x->fmt_int, "#,##0");
    x->fmt_money = workbook_add_format(x->wb);
    format_set_num_format(x->fmt_money, "#,##0.00");
    x->fmt_pct = workbook_add_format(x->wb);
    format_set_num_format(x->fmt_pct, "0.0");
    x->fmt_date = workbook_add_format(x->wb);
    format_set_num_format(x->fmt_date, "[$-1070000]dd/mm/yyyy");
    x->bold_int = workbook_add_format(x->wb);
    format_set_num_format(x->bold_int, "#,##0");
    format_set_bold(x->bold_int);
    x->bold_money = workbook_add_format(x->wb);
    format_set_num_format(x->bold_money, "#,##0.00");
    format_set_bold(x->bold_money);
    return x;
}

/* The widths of the sheet being left, now that all its rows are known. */
static void widths_set(xlsx_out *x)
{
    for (int c = 0; x->ws && c < x->ncols; c++) {
        int w = x->width[c] + 2;
        if (w < WIDTH_MIN) w = WIDTH_MIN;
        if (w > WIDTH_MAX) w = WIDTH_MAX;
        worksheet_set_column(x->ws, (lxw_col_t)c, (lxw_col_t)c, w, NULL);
    }
}

static void width_note(xlsx_out *x, int c, const char *s, xlsx_kind k)
{
    int w = k == XLSX_DATE ? 10 : text_width(s);
    if (k == XLSX_INT || k == XLSX_MONEY || k == XLSX_DECIMAL) w += w / 3;   /* separators */
    if (w > x->width[c]) x->width[c] = w;
}

/* Excel's rules for a sheet name: at most 31 characters, none of []:*?/\ */
static void sheet_name(const char *in, char *out, size_t outsz)
{
    size_t o = 0;
    int chars = 0;
    for (const char *p = in; *p && chars < 31; ) {
        size_t n = 1;
        while ((p[n] & 0xC0) == 0x80) n++;
        if (o + n + 1 > outsz) break;
        if (n == 1 && strchr("[]:*?/\\", *p)) out[o++] = '_';
        else { memcpy(out + o, p, n); o += n; }
        p += n;
        chars++;
    }
    out[o] = '\0';
    if (o == 0) snprintf(out, outsz, "Sheet");
}

int xlsx_out_sheet(xlsx_out *x, const char *name, const char *title,
                   const char *const *headings, const xlsx_kind *kinds, int ncols,
                   char *err, size_t errsz)
{
    widths_set(x);
    char nm[128];
    sheet_name(name, nm, sizeof nm);
    x->ws = workbook_add_worksheet(x->wb, nm);
    if (!x->ws) { snprintf(err, errsz, "%s: cannot add the sheet", nm); return -1; }
    free(x->kinds);
    free(x->width);
    x->kinds = calloc((size_t)ncols + 1, sizeof *x->kinds);
    x->width = calloc((size_t)ncols + 1, sizeof *x->width);
    if (!x->kinds || !x->width) { snprintf(err, errsz, "%s", strerror(ENOMEM)); return -1; }
    memcpy(x->kinds, kinds, sizeof *kinds * (size_t)ncols);
    x->ncols = ncols;
    x->row = 0;
    x->nsheets++;
    lxw_error e;
    if (title && *title) {
        e = worksheet_write_string(x->ws, 0, 0, title, x->title);
        if (e) return lxw_fail(e, nm, err, errsz);
        x->row = 2;                     /* the title, a blank line, the header */
    }
    for (int c = 0; c < ncols; c++) {
        e = worksheet_write_string(x->ws, x->row, (lxw_col_t)c, headings[c] ? headings[c] : "", x->bold);
        if (e) return lxw_fail(e, nm, err, errsz);
        width_note(x, c, headings[c] ? headings[c] : "", XLSX_TEXT);
    }
    worksheet_freeze_panes(x->ws, x->row + 1, 0);
    x->row++;
    return 0;
}

static lxw_format *number_format(const xlsx_out *x, xlsx_kind k, bool bold)
{
    switch (k) {
    case XLSX_INT:     return bold ? x->bold_int : x->fmt_int;
    case XLSX_MONEY:
    case XLSX_DECIMAL: return bold ? x->bold_money : x->fmt_money;
    case XLSX_PERCENT: return x->fmt_pct;
    default:           return bold ? x->bold : NULL;
    }
}

static lxw_error cell_write(xlsx_out *x, int c, const char *v, bool bold)
{
    xlsx_kind k = x->kinds[c];
    lxw_col_t col = (lxw_col_t)c;
    if (k == XLSX_DATE) {
        text_date d;
        if (text_date_parse(v, &d)) {
            lxw_datetime dt = { d.year, d.month, d.day, 0, 0, 0 };
            return worksheet_write_datetime(x->ws, x->row, col, &dt, x->fmt_date);
        }
    } else if (k != XLSX_TEXT) {
        char *end;
        double n = strtod(v, &end);
        if (end != v && !*end) return worksheet_write_number(x->ws, x->row, col, n, number_format(x, k, bold));
    }
    return worksheet_write_string(x->ws, x->row, col, v, bold ? x->bold : NULL);
}

int xlsx_out_row(xlsx_out *x, const char *const *cells, bool bold, char *err, size_t errsz)
{
    for (int c = 0; c < x->ncols; c++) {
        const char *v = cells[c];
        if (!v || !*v) continue;
        lxw_error e = cell_write(x, c, v, bold);
        if (e) return lxw_fail(e, "row", err, errsz);
        width_note(x, c, v, x->kinds[c]);
    }
    x->row++;
    return 0;
}

int xlsx_out_close(xlsx_out *x, char *err, size_t errsz)
{
    int rc = 0;
    if (!x) return -1;
    if (x->nsheets == 0) workbook_add_worksheet(x->wb, NULL);   /* a workbook has a sheet */
    widths_set(x);
    lxw_error e = workbook_close(x->wb);
    if (e) rc = lxw_fail(e, "workbook", err, errsz);
    free(x->kinds);
    free(x->width);
    free(x);
    return rc;
}

int xlsx_to_stream(int (*fill)(void *ctx, const char *path, char *err, size_t errsz),
                   void *ctx, FILE *out, char *err, size_t errsz)
{
    const char *dir = getenv("TMPDIR");
    char path[4096];
    snprintf(path, sizeof path, "%s/esis-xlsx-XXXXXX", dir && *dir ? dir : "/tmp");
    int fd = mkstemp(path);
    if (fd < 0) { snprintf(err, errsz, "%s: %s", path, strerror(errno)); return -1; }
    close(fd);
    int rc = fill(ctx, path, err, errsz);
    FILE *in = rc == 0 ? fopen(path, "rb") : NULL;
    if (rc == 0 && !in) { snprintf(err, errsz, "%s: %s", path, strerror(errno)); rc = -1; }
    char buf[65536];
    size_t n;
    while (in && (n = fread(buf, 1, sizeof buf, in)) > 0)
        if (fwrite(buf, 1, n, out) != n) { snprintf(err, errsz, "write: %s", strerror(errno)); rc = -1; break; }
    if (in) fclose(in);
    unlink(path);
    return rc;
}

/* ---- a CSV file as a workbook ------------------------------------------- */

typedef struct csv_copy {
    xlsx_out *x;
    const char *sheet;
    char err[512];
    int failed;
} csv_copy;

static int csv_copy_row(const io_csv_row *row, void *user)
{
    csv_copy *c = user;
    if (row->status != IO_ROW_OK) return 0;
    if (!c->x->ws) {
        xlsx_kind *k = calloc((size_t)row->nfields + 1, sizeof *k);
        if (!k) return -1;
        int rc = xlsx_out_sheet(c->x, c->sheet, NULL, (const char *const *)row->fields, k,
                                row->nfields, c->err, sizeof c->err);
        free(k);
        return rc;
    }
    int n = row->nfields < c->x->ncols ? row->nfields : c->x->ncols;
    const char **cells = calloc((size_t)c->x->ncols + 1, sizeof *cells);
    if (!cells) return -1;
    for (int i = 0; i < n; i++) cells[i] = row->fields[i];
    int rc = xlsx_out_row(c->x, cells, false, c->err, sizeof c->err);
    free(cells);
    return rc;
}

int io_xlsx_from_csv(const char *csv_path, const char *xlsx_path, const char *sheet,
                     char *err, size_t errsz)
{
    FILE *fp = fopen(csv_path, "rb");
    if (!fp) { snprintf(err, errsz, "%s: %s", csv_path, strerror(errno)); return -1; }
    csv_copy c = { .sheet = sheet };
    c.x = xlsx_out_open(xlsx_path, err, errsz);
    if (!c.x) { fclose(fp); return -1; }
    int rc = io_csv_read(fp, csv_path, NULL, csv_copy_row, &c, NULL, err, errsz);
    fclose(fp);
    if (rc > 0 || rc < 0) {
        if (rc != -1 || !err[0]) snprintf(err, errsz, "%s: %s", xlsx_path, c.err[0] ? c.err : "cannot write");
        xlsx_out_close(c.x, c.err, sizeof c.err);
        unlink(xlsx_path);
        return -1;
    }
    return xlsx_out_close(c.x, err, errsz);
}

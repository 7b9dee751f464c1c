/*
 * report_render: the three outputs of a report, each a row callback of
 * report_run so nothing waits for the whole result.
 *
 *   text  an aligned table for the terminal and for mail: widths come from
 *         the definition (Thai marks are 0 wide, so text_fit pads by display
 *         columns, never by bytes), then the chart as block-character bars;
 *   csv   UTF-8 with a BOM (Excel opens Thai right), headings in the
 *         report's language, numbers without thousands separators, a text
 *         that Excel would run as a formula guarded by an apostrophe;
 *   xlsx  an Excel workbook (xlsx_writer): the title with the round, its
 *         "as of" date and the date printed above a bold, frozen header;
 *         numbers as numbers with thousands separators, dates as dates,
 *         the totals row bold; written to a temporary file and copied to
 *         out (libxlsxwriter writes to a path);
 *   html  one complete page to print: the office's name, the title, the
 *         round and the date in the Buddhist Era, the table with its totals
 *         row, the chart as CSS bars, @media print rules; every text escaped.
 *
 * A chart needs the largest value before the first bar: the table pass
 * records it, and a second run of the query draws the bars.
 */
#include "report_internal.h"
#include "esis/io.h"
#include "esis/rounds.h"
#include "esis/termsafe.h"
#include "esis/text.h"
#include "esis/xlsx_writer.h"

#include <csv.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

bool report_output_parse(const char *s, report_output *out)
{
    if (!s) return false;
    if (!strcmp(s, "text")) *out = REPORT_OUT_TEXT;
    else if (!strcmp(s, "csv")) *out = REPORT_OUT_CSV;
    else if (!strcmp(s, "html")) *out = REPORT_OUT_HTML;
    else if (!strcmp(s, "xlsx")) *out = REPORT_OUT_XLSX;
    else return false;
    return true;
}

/* ---- bars ------------------------------------------------------------- */

size_t report_bar(double value, double max, int width, char *out, size_t outsz)
{
    static const char *const EIGHTHS[8] = { "", "▏", "▎", "▍", "▌", "▋", "▊", "▉" };
    size_t o = 0;
    if (outsz == 0) return 0;
    out[0] = '\0';
    if (width < 0) width = 0;
    long e = 0;
    if (max > 0 && value > 0 && isfinite(value)) {
        double f = value >= max ? 1.0 : value / max;
        e = lround(f * width * 8);
        if (e == 0) e = 1;                  /* a value above zero shows */
    }
    int cols = 0;
    for (; e >= 8 && cols < width && o + 4 < outsz; e -= 8, cols++) {
        memcpy(out + o, "█", 3);
        o += 3;
    }
    if (e > 0 && cols < width && o + 4 < outsz) {
        memcpy(out + o, EIGHTHS[e], 3);
        o += 3;
        cols++;
    }
    for (; cols < width && o + 1 < outsz; cols++) out[o++] = ' ';
    out[o] = '\0';
    return o;
}

size_t report_bar_line_text(const char *label, double value, double max, const char *value_text,
                            int width, char *out, size_t outsz)
{
    char num[64];
    if (value_text) snprintf(num, sizeof num, "%s", value_text);
    else if (fabs(value - round(value)) < 1e-9) snprintf(num, sizeof num, "%.0f", value);
    else snprintf(num, sizeof num, "%.2f", value);
    int numw = text_width(num);
    int labelw = width / 3 > 30 ? 30 : width / 3;
    int barw = width - labelw - numw - 2;
    if (barw < 1) barw = 1;
    size_t o = text_fit(out, outsz, label, labelw, 'l', true);
    if (o + 1 < outsz) { out[o++] = ' '; out[o] = '\0'; }
    o += report_bar(value, max, barw, out + o, outsz - o);
    if (o + 1 < outsz) { out[o++] = ' '; out[o] = '\0'; }
    if (o < outsz) o += (size_t)snprintf(out + o, outsz - o, "%s", num);
    return o < outsz ? o : outsz - 1;
}

size_t report_bar_line(const char *label, double value, double max, int width,
                       char *out, size_t outsz)
{
    return report_bar_line_text(label, value, max, NULL, width, out, outsz);
}

/* ---- shared state of one render --------------------------------------- */

typedef struct render {
    const report_set *set;
    const report_params *params;
    const char *lang;
    FILE *out;
    char *line;          /* one text line */
    size_t linesz;
    double *max;         /* per chart series, from the table pass */
    int series;          /* the series a text chart pass draws */
    long rows;
} render;

static const char *msg(const render *r, const char *key)
{
    return conf_msg_lang(r->set->conf, r->lang, key);
}

/* "ตรวจสอบข้อมูลล่าสุด 04/12/2569 09:15   " for a round; the bytes written. */
static size_t last_checked(const render *r, const char *round, char *buf, size_t bufsz)
{
    char at[24], shown[32];
    if (!bufsz) return 0;
    int n = rounds_last_check(r->set->db, round, at, sizeof at)
          ? snprintf(buf, bufsz, "%s %s   ", msg(r, "period.checked"), text_datetime_be(at, shown, sizeof shown))
          : snprintf(buf, bufsz, "%s   ", msg(r, "period.never_checked"));
    return n > 0 ? (size_t)n : 0;
}

/* "รอบ 2567-1 ข้อมูล ณ วันที่ 10/06/2567  ปีการศึกษา 2567  ..." */
void report_as_of(const report_set *set, const report_def *rep, const report_params *p, char *buf, size_t bufsz)
{
    const render rr = { set, p, report_lang(set, p), NULL, NULL, 0, NULL, 0, 0 }, *r = &rr;
    conf_round rd;
    size_t o = 0;
    buf[0] = '\0';
    if ((rep->params & REPORT_P_ROUND) && p->round && conf_round_get(r->set->conf, p->round, &rd)) {
        char be[11];
        text_date_be(rd.as_of, be);
        o += (size_t)snprintf(buf + o, bufsz - o, "%s %s %s %s   ", msg(r, "report.round"), rd.code,
                              msg(r, "report.as_of"), be);
        if (!p->year)
            o += (size_t)snprintf(buf + o, bufsz - o, "%s %d   ", msg(r, "report.year"), rd.year);
        o += last_checked(r, rd.code, buf + o, o < bufsz ? bufsz - o : 0);
    }
    if (p->year && o < bufsz)
        o += (size_t)snprintf(buf + o, bufsz - o, "%s %d   ", msg(r, "report.year"), p->year);
    /* a report per term: each term's round, its as-of date and the fiscal
     * year that pays it */
    for (int t = 1; (rep->params & REPORT_P_TERM) && t <= 2 && o < bufsz; t++) {
        int fy, year = p->year ? p->year : conf_academic_year(text_date_today());
        if ((p->term && p->term != t) || !conf_term_round(r->set->conf, year, t, &rd, &fy)) continue;
        char be[11];
        text_date_be(rd.as_of, be);
        o += (size_t)snprintf(buf + o, bufsz - o, "%s %d: %s %s %s %s, %s %d, ", msg(r, "report.term"), t,
                              msg(r, "report.round"), rd.code, msg(r, "report.as_of"), be,
                              msg(r, "report.fiscal_year"), fy);
        o += last_checked(r, rd.code, buf + o, o < bufsz ? bufsz - o : 0);
    }
    if (p->school && o < bufsz)
        o += (size_t)snprintf(buf + o, bufsz - o, "%s %s   ", msg(r, "report.school"), p->school);
    char today[11];
    text_date_be(text_date_today(), today);
    if (o < bufsz) snprintf(buf + o, bufsz - o, "%s %s", msg(r, "report.printed"), today);
}

static void meta_line(const render *r, const report_def *rep, char *buf, size_t bufsz)
{
    report_as_of(r->set, rep, r->params, buf, bufsz);
}

static void note_max(render *r, const report_def *rep, const report_row *row)
{
    if (row->total || !rep->chart.present) return;
    for (int k = 0; k < rep->chart.nvalues; k++) {
        double v = row->value[rep->chart.values[k]];
        if (v > r->max[k]) r->max[k] = v;
    }
}

/* ---- text ------------------------------------------------------------- */

static int text_width_total(const report_def *rep)
{
    int w = 0;
    for (int i = 0; i < rep->ncols; i++) w += rep->cols[i].width + (i ? 1 : 0);
    return w;
}

int report_cell_width(const report_column *c, const char *cell)
{
    /* A number wider than its column (a country's totals in a district's
     * widths) is shown whole, pushing the line on: cut, "1,6…" would be a
     * wrong number. */
    bool number = c->format == REPORT_INT || c->format == REPORT_MONEY ||
                  c->format == REPORT_PERCENT || c->format == REPORT_DECIMAL;
    int w = cell && number ? text_width(cell) : 0;
    return w > c->width ? w : c->width;
}

static void text_cells(render *r, const report_def *rep, const char *const *cells, bool heading)
{
    size_t o = 0;
    for (int i = 0; i < rep->ncols; i++) {
        const report_column *c = &rep->cols[i];
        if (i && o + 1 < r->linesz) r->line[o++] = ' ';
        const char *s = heading ? report_heading(c, r->lang) : cells[i];
        int width = heading ? c->width : report_cell_width(c, s);
        o += text_fit(r->line + o, r->linesz - o, s, width, c->align, true);
    }
    r->line[o] = '\0';
    fprintf(r->out, "%s\n", r->line);
}

static void text_rule(render *r, const report_def *rep)
{
    int w = text_width_total(rep);
    for (int i = 0; i < w; i++) fputc('-', r->out);
    fputc('\n', r->out);
}

static int text_row(void *ctx, const report_def *rep, const report_row *row)
{
    render *r = ctx;
    if (row->total) text_rule(r, rep);
    text_cells(r, rep, row->text, false);
    note_max(r, rep, row);
    r->rows++;
    return ferror(r->out) ? 1 : 0;
}

static int text_chart_row(void *ctx, const report_def *rep, const report_row *row)
{
    render *r = ctx;
    if (row->total) return 0;
    int width = text_width_total(rep) < 40 ? 40 : text_width_total(rep);
    int k = rep->chart.values[r->series];
    report_bar_line_text(row->text[rep->chart.label], row->value[k], r->max[r->series], row->text[k],
                         width, r->line, r->linesz);
    fprintf(r->out, "%s\n", r->line);
    return ferror(r->out) ? 1 : 0;
}

/* A report with a chart but too many rows for one to be read: said, not drawn. */
static bool chart_left_out(const render *r, const report_def *rep)
{
    return rep->chart.present && r->rows > REPORT_CHART_MAX_ROWS;
}

/* A chart is drawn when some bar would show. */
static bool chart_worth_drawing(const render *r, const report_def *rep)
{
    if (!rep->chart.present || r->rows == 0 || chart_left_out(r, rep)) return false;
    for (int k = 0; k < rep->chart.nvalues; k++) if (r->max[k] > 0) return true;
    return false;
}

static int render_text(render *r, const report_def *rep, char *err, size_t errsz)
{
    char meta[512];
    meta_line(r, rep, meta, sizeof meta);
    fprintf(r->out, "%s\n%s\n%s\n\n", r->set->conf->office_name_th && strcmp(r->lang, "en")
            ? r->set->conf->office_name_th : r->set->conf->office_name_en ? r->set->conf->office_name_en : "",
            report_title(rep, r->lang), meta);
    text_cells(r, rep, NULL, true);
    text_rule(r, rep);
    int rc = report_run(r->set, rep, r->params, text_row, r, err, errsz);
    if (!rc && chart_left_out(r, rep))
        fprintf(r->out, "\n%s (%ld > %d)\n", msg(r, "report.chart_too_many"), r->rows, REPORT_CHART_MAX_ROWS);
    if (rc || !chart_worth_drawing(r, rep)) return rc;
    for (r->series = 0; r->series < rep->chart.nvalues && !rc; r->series++) {
        const report_column *c = &rep->cols[rep->chart.values[r->series]];
        fprintf(r->out, "\n%s: %s\n", msg(r, "report.chart"), report_heading(c, r->lang));
        rc = report_run(r->set, rep, r->params, text_chart_row, r, err, errsz);
    }
    return rc;
}

/* ---- CSV -------------------------------------------------------------- */

/* A text a spreadsheet would run as a formula (it starts with one of the
 * exports' IO_GUARD_CHARS): not a number column's value. */
static bool formula_like(const report_column *c, const char *s)
{
    if (!*s || !strchr(IO_GUARD_CHARS, *s)) return false;
    return !c || c->format == REPORT_TEXT || c->format == REPORT_CODE || c->format == REPORT_DATE;
}

/* n cells; cols their columns (NULL: text, as the as-of line is). */
static void csv_cells(FILE *out, int n, const report_column *cols, const char *const *cells)
{
    for (int i = 0; i < n; i++) {
        if (i) fputc(',', out);
        if (formula_like(cols ? &cols[i] : NULL, cells[i])) {
            /* OWASP: an apostrophe before it, inside the quotes */
            fputs("\"'", out);
            for (const char *p = cells[i]; *p; p++) { if (*p == '"') fputc('"', out); fputc(*p, out); }
            fputc('"', out);
        } else {
            csv_fwrite(out, cells[i], strlen(cells[i]));
        }
    }
    fputs("\r\n", out);
}

static int csv_row(void *ctx, const report_def *rep, const report_row *row)
{
    render *r = ctx;
    csv_cells(r->out, rep->ncols, rep->cols, row->plain);
    return ferror(r->out) ? 1 : 0;
}

static int render_csv(render *r, const report_def *rep, char *err, size_t errsz)
{
    fputs("\xEF\xBB\xBF", r->out);
    const char **head = calloc((size_t)rep->ncols, sizeof *head);
    if (!head) { snprintf(err, errsz, "out of memory"); return 1; }
    for (int i = 0; i < rep->ncols; i++) head[i] = report_heading(&rep->cols[i], r->lang);
    csv_cells(r->out, rep->ncols, rep->cols, head);
    free(head);
    int rc = report_run(r->set, rep, r->params, csv_row, r, err, errsz);
    /* What the numbers are as of, after them: the heading stays the first
     * line, so a spreadsheet or a script reads the columns as before. */
    char meta[512];
    const char *cell = meta;
    meta_line(r, rep, meta, sizeof meta);
    if (!rc) csv_cells(r->out, 1, NULL, &cell);
    return rc;
}

/* ---- xlsx ------------------------------------------------------------- */

typedef struct xlsx_render {
    render *r;
    const report_def *rep;
    xlsx_out *x;
    char **cells;           /* a row's values as written */
    char **guard;           /* their guarded copies, where needed */
    char err[512];
} xlsx_render;

static xlsx_kind xlsx_kind_of(const report_column *c)
{
    switch (c->format) {
    case REPORT_INT:     return XLSX_INT;
    case REPORT_MONEY:   return XLSX_MONEY;
    case REPORT_PERCENT: return XLSX_PERCENT;
    case REPORT_DECIMAL: return XLSX_DECIMAL;
    case REPORT_DATE:    return XLSX_DATE;
    default:             return XLSX_TEXT;
    }
}

static int xlsx_row(void *ctx, const report_def *rep, const report_row *row)
{
    xlsx_render *xr = ctx;
    const char **cells = (const char **)xr->cells;
    int rc = 0;
    for (int i = 0; i < rep->ncols && !rc; i++) {
        cells[i] = row->plain[i];
        free(xr->guard[i]);
        xr->guard[i] = NULL;
        if (formula_like(&rep->cols[i], row->plain[i]) && xlsx_kind_of(&rep->cols[i]) == XLSX_TEXT) {
            size_t n = strlen(row->plain[i]) + 2;
            if (!(xr->guard[i] = malloc(n))) rc = 1;
            else { snprintf(xr->guard[i], n, "'%s", row->plain[i]); cells[i] = xr->guard[i]; }
        }
    }
    if (!rc && xlsx_out_row(xr->x, cells, row->total, xr->err, sizeof xr->err)) rc = 1;
    return rc;
}

static int xlsx_fill(void *ctx, const char *path, char *err, size_t errsz)
{
    xlsx_render *xr = ctx;
    const report_def *rep = xr->rep;
    render *r = xr->r;
    char meta[512], title[1024];
    meta_line(r, rep, meta, sizeof meta);
    snprintf(title, sizeof title, "%s   %s", report_title(rep, r->lang), meta);
    const char **head = calloc((size_t)rep->ncols + 1, sizeof *head);
    xlsx_kind *kinds = calloc((size_t)rep->ncols + 1, sizeof *kinds);
    xr->cells = calloc((size_t)rep->ncols + 1, sizeof *xr->cells);
    xr->guard = calloc((size_t)rep->ncols + 1, sizeof *xr->guard);
    int rc = head && kinds && xr->cells && xr->guard ? 0 : -1;
    if (rc) snprintf(err, errsz, "out of memory");
    for (int i = 0; !rc && i < rep->ncols; i++) {
        head[i] = report_heading(&rep->cols[i], r->lang);
        kinds[i] = xlsx_kind_of(&rep->cols[i]);
    }
    if (!rc && !(xr->x = xlsx_out_open(path, err, errsz))) rc = -1;
    if (!rc && xlsx_out_sheet(xr->x, rep->name, title, head, kinds, rep->ncols, err, errsz)) rc = -1;
    if (!rc && report_run(r->set, rep, r->params, xlsx_row, xr, err, errsz)) {
        if (xr->err[0]) snprintf(err, errsz, "%s", xr->err);
        rc = -1;
    }
    if (xr->x && xlsx_out_close(xr->x, rc ? xr->err : err, rc ? sizeof xr->err : errsz) && !rc) rc = -1;
    free(head);
    free(kinds);
    free(xr->cells);
    for (int i = 0; xr->guard && i < rep->ncols; i++) free(xr->guard[i]);
    free(xr->guard);
    return rc;
}

static int render_xlsx(render *r, const report_def *rep, char *err, size_t errsz)
{
    xlsx_render xr = { .r = r, .rep = rep };
    return xlsx_to_stream(xlsx_fill, &xr, r->out, err, errsz) ? 1 : 0;
}

/* ---- HTML ------------------------------------------------------------- */

static void html_escape(FILE *out, const char *s)
{
    text_html_escape(out, s, false);
}

static const char HTML_STYLE[] =
    "body{font-family:'TH Sarabun New',Sarabun,'Noto Sans Thai',Tahoma,sans-serif;"
    "font-size:15px;margin:24px;color:#000}\n"
    ".office{font-size:1.1em;font-weight:bold;text-align:center}\n"
    "h1{font-size:1.3em;text-align:center;margin:4px 0}\n"
    ".desc,.meta{text-align:center;margin:2px 0;color:#333}\n"
    "table.report{border-collapse:collapse;width:100%;margin-top:12px}\n"
    "table.report th,table.report td{border:1px solid #555;padding:2px 6px;vertical-align:top}\n"
    "table.report thead th{background:#e8e8e8}\n"
    "table.report tfoot td{font-weight:bold;border-top:2px solid #000}\n"
    "td.r{text-align:right;white-space:nowrap}td.c{text-align:center}\n"
    "table.chart{border-collapse:collapse;width:100%;margin-top:8px}\n"
    "table.chart td{padding:1px 4px}table.chart td.bars{width:65%}\n"
    ".bar{height:9px;margin:1px 0;background:#2b6cb0;-webkit-print-color-adjust:exact;"
    "print-color-adjust:exact}\n"
    ".bar.s1{background:#c05621}.bar.s2{background:#2f855a}.bar.s3{background:#6b46c1}\n"
    ".legend span{display:inline-block;width:12px;height:9px;margin:0 4px 0 12px}\n"
    "@media print{body{margin:0;font-size:13px}@page{size:A4;margin:12mm}"
    "thead{display:table-header-group}tfoot{display:table-row-group}"
    "tr{page-break-inside:avoid}h2{page-break-after:avoid}}\n";

static const char *align_class(char a)
{
    return a == 'r' ? " class=\"r\"" : a == 'c' ? " class=\"c\"" : "";
}

static int html_row(void *ctx, const report_def *rep, const report_row *row)
{
    render *r = ctx;
    if (row->total) fputs("</tbody>\n<tfoot>", r->out);
    fputs("<tr>", r->out);
    for (int i = 0; i < rep->ncols; i++) {
        fprintf(r->out, "<td%s>", align_class(rep->cols[i].align));
        html_escape(r->out, row->text[i]);
        fputs("</td>", r->out);
    }
    fputs("</tr>\n", r->out);
    if (row->total) fputs("</tfoot>\n", r->out);
    note_max(r, rep, row);
    if (!row->total) r->rows++;
    return ferror(r->out) ? 1 : 0;
}

static int html_chart_row(void *ctx, const report_def *rep, const report_row *row)
{
    render *r = ctx;
    if (row->total) return 0;
    double max = 0;
    for (int k = 0; k < rep->chart.nvalues; k++) if (r->max[k] > max) max = r->max[k];
    fputs("<tr><td>", r->out);
    html_escape(r->out, row->text[rep->chart.label]);
    fputs("</td><td class=\"bars\">", r->out);
    for (int k = 0; k < rep->chart.nvalues; k++) {
        double v = row->value[rep->chart.values[k]];
        double pct = max > 0 && v > 0 ? 100.0 * v / max : 0;
        fprintf(r->out, "<div class=\"bar s%d\" style=\"width:%.1f%%\"></div>", k % 4, pct);
    }
    fputs("</td><td class=\"r\">", r->out);
    for (int k = 0; k < rep->chart.nvalues; k++) {
        if (k) fputs(" / ", r->out);
        html_escape(r->out, row->text[rep->chart.values[k]]);
    }
    fputs("</td></tr>\n", r->out);
    return ferror(r->out) ? 1 : 0;
}

static int render_html(render *r, const report_def *rep, char *err, size_t errsz)
{
    FILE *o = r->out;
    const esis_conf *c = r->set->conf;
    const char *office = !strcmp(r->lang, "en") && c->office_name_en ? c->office_name_en : c->office_name_th;
    fprintf(o, "<!DOCTYPE html>\n<html lang=\"%s\">\n<head>\n<meta charset=\"utf-8\">\n<title>", r->lang);
    html_escape(o, report_title(rep, r->lang));
    fprintf(o, "</title>\n<style>\n%s</style>\n</head>\n<body>\n<header>\n<div class=\"office\">", HTML_STYLE);
    html_escape(o, office);
    fputs("</div>\n<h1>", o);
    html_escape(o, report_title(rep, r->lang));
    fputs("</h1>\n", o);
    if (*report_description(rep, r->lang)) {
        fputs("<p class=\"desc\">", o);
        html_escape(o, report_description(rep, r->lang));
        fputs("</p>\n", o);
    }
    char meta[512];
    meta_line(r, rep, meta, sizeof meta);
    fputs("<p class=\"meta\">", o);
    html_escape(o, meta);
    fputs("</p>\n</header>\n<table class=\"report\">\n<thead><tr>", o);
    for (int i = 0; i < rep->ncols; i++) {
        fputs("<th>", o);
        html_escape(o, report_heading(&rep->cols[i], r->lang));
        fputs("</th>", o);
    }
    fputs("</tr></thead>\n<tbody>\n", o);
    int rc = report_run(r->set, rep, r->params, html_row, r, err, errsz);
    if (rc) return rc;
    if (!rep->has_total) fputs("</tbody>\n", o);
    fputs("</table>\n", o);
    if (chart_left_out(r, rep)) {
        fputs("<p class=\"meta\">", o);
        html_escape(o, msg(r, "report.chart_too_many"));
        fprintf(o, " (%ld &gt; %d)</p>\n", r->rows, REPORT_CHART_MAX_ROWS);
    }
    if (chart_worth_drawing(r, rep)) {
        fputs("<section class=\"chart\">\n<h2>", o);
        html_escape(o, msg(r, "report.chart"));
        fputs("</h2>\n<p class=\"legend\">", o);
        for (int k = 0; k < rep->chart.nvalues; k++) {
            fprintf(o, "<span class=\"bar s%d\"></span>", k % 4);
            html_escape(o, report_heading(&rep->cols[rep->chart.values[k]], r->lang));
        }
        fputs("</p>\n<table class=\"chart\">\n", o);
        rc = report_run(r->set, rep, r->params, html_chart_row, r, err, errsz);
        fputs("</table>\n</section>\n", o);
    }
    fputs("</body>\n</html>\n", o);
    return rc;
}

int report_render(const report_set *set, const report_def *rep, const report_params *p,
                  report_output kind, FILE *out, char *err, size_t errsz)
{
    /* Text goes to terminals (and is read there when saved to a file):
     * control characters in the data are shown, never sent.  CSV and HTML
     * have their own escaping (include/esis/termsafe.h). */
    FILE *safe = kind == REPORT_OUT_TEXT ? text_term_open(out) : NULL;
    if (kind == REPORT_OUT_TEXT && !safe) { snprintf(err, errsz, "out of memory"); return 1; }
    render r = { set, p, report_lang(set, p), safe ? safe : out, NULL, 0, NULL, 0, 0 };
    int rc = report_check_params(set, rep, p, err, errsz);
    if (rc) { text_term_close(safe); return rc; }
    /* A text line holds every column at 4 bytes a column plus marks. */
    r.linesz = (size_t)(text_width_total(rep) + 80) * 8 + 64;
    r.line = malloc(r.linesz);
    r.max = calloc((size_t)(rep->chart.nvalues > 0 ? rep->chart.nvalues : 1), sizeof *r.max);
    if (!r.line || !r.max) { snprintf(err, errsz, "out of memory"); rc = 1; }
    else if (kind == REPORT_OUT_TEXT) rc = render_text(&r, rep, err, errsz);
    else if (kind == REPORT_OUT_CSV) rc = render_csv(&r, rep, err, errsz);
    else if (kind == REPORT_OUT_XLSX) rc = render_xlsx(&r, rep, err, errsz);
    else rc = render_html(&r, rep, err, errsz);
    if (safe && text_term_close(safe) != 0 && !rc) { snprintf(err, errsz, "write error"); rc = 1; }
    if (!rc && (fflush(out) != 0 || ferror(out))) { snprintf(err, errsz, "write error"); rc = 1; }
    free(r.line);
    free(r.max);
    return rc;
}

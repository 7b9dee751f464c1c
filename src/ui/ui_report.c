/*
 * ui_report: the report viewer (include/esis/ui_report.h).
 *
 * One run of the query fills the pager's table lines and keeps the chart's
 * label and values per data row; the charts follow the table, scaled to the
 * largest value of each charted column.  A report is an aggregate (per
 * grade, per school), so its rows fit in memory; the pager holds them.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <curses.h>
#include "esis/report.h"
#include "esis/strbuf.h"
#include "esis/text.h"
#include "esis/ui_dialog.h"
#include "esis/ui_pager.h"
#include "esis/ui_report.h"

typedef struct ui_report_chart_row {
    char   *label;
    double *values;
    char  **texts;
} ui_report_chart_row;

typedef struct ui_report_view {
    ui_screen_env       *env;
    const char          *lang;
    ui_pager             pager;
    ui_report_chart_row *chart;
    int                  nchart, capchart;
    bool                 failed;
} ui_report_view;

static const ui_hint ui_report_hints[] = {
    {UI_ACT_HELP, "ui.hint_help"}, {UI_ACT_SAVE, "ui.hint_report_out"},
    {UI_ACT_BACK, "ui.hint_back"},
};

/* Cells cut and padded to their column widths, one space apart (a number
 * wider than its column whole: report_cell_width). */
static void ui_report_line(const report_def *rep, const char *const *cells, bool heading, strbuf *out)
{
    strbuf_reset(out);
    for (int i = 0; i < rep->ncols; i++) {
        char cell[1024];
        int width = heading ? rep->cols[i].width : report_cell_width(&rep->cols[i], cells[i]);
        text_fit(cell, sizeof cell, cells[i], width, rep->cols[i].align, true);
        strbuf_addf(out, "%s%s", i ? " " : "", cell);
    }
}

static int ui_report_keep_chart(ui_report_view *v, const report_def *rep,
                                const report_row *row)
{
    if (v->nchart == v->capchart) {
        int cap = v->capchart ? v->capchart * 2 : 32;
        ui_report_chart_row *c = realloc(v->chart, (size_t)cap * sizeof *c);
        if (!c)
            return -1;
        v->chart = c;
        v->capchart = cap;
    }
    ui_report_chart_row *c = &v->chart[v->nchart];
    int nv = rep->chart.nvalues;
    c->label = strdup(row->text[rep->chart.label]);
    c->values = calloc((size_t)nv + 1, sizeof *c->values);
    c->texts = calloc((size_t)nv + 1, sizeof *c->texts);
    if (!c->label || !c->values || !c->texts)
        return -1;
    for (int k = 0; k < nv; k++) {
        c->values[k] = row->value[rep->chart.values[k]];
        c->texts[k] = strdup(row->text[rep->chart.values[k]]);
    }
    v->nchart++;
    return 0;
}

static int ui_report_row(void *ctx, const report_def *rep, const report_row *row)
{
    ui_report_view *v = ctx;
    strbuf line = STRBUF_INIT;
    ui_report_line(rep, row->text, false, &line);
    int rc = line.failed ? -1 : ui_pager_add(&v->pager, strbuf_str(&line));
    strbuf_free(&line);
    if (rc == 0 && !row->total && rep->chart.present && v->nchart <= REPORT_CHART_MAX_ROWS)
        rc = ui_report_keep_chart(v, rep, row);
    return rc == 0 ? 0 : (v->failed = true, 1);
}

/* The charts: one block per charted column, a bar per data row. */
static void ui_report_charts(ui_report_view *v, const report_def *rep)
{
    int width = COLS - 1;
    for (int k = 0; k < rep->chart.nvalues; k++) {
        double max = 0;
        for (int i = 0; i < v->nchart; i++)
            if (v->chart[i].values[k] > max)
                max = v->chart[i].values[k];
        ui_pager_add(&v->pager, "");
        ui_pager_add(&v->pager, report_heading(&rep->cols[rep->chart.values[k]], v->lang));
        for (int i = 0; i < v->nchart; i++) {
            char bar[2048];
            report_bar_line_text(v->chart[i].label, v->chart[i].values[k], max,
                                 v->chart[i].texts[k], width, bar, sizeof bar);
            ui_pager_add(&v->pager, bar);
        }
    }
}

static void ui_report_free(ui_report_view *v, const report_def *rep)
{
    for (int i = 0; i < v->nchart; i++) {
        for (int k = 0; rep && k < rep->chart.nvalues; k++)
            free(v->chart[i].texts[k]);
        free(v->chart[i].label);
        free(v->chart[i].values);
        free(v->chart[i].texts);
    }
    free(v->chart);
    ui_pager_clear(&v->pager);
}

/* `o`: write the report as HTML, a workbook (.xlsx) or CSV to a file the
 * user names, beside
 * its final name first so that a failure leaves no half file. */
static void ui_report_output(ui_report_view *v, const report_set *set, const report_def *rep,
                             const report_params *p)
{
    ui_screen_env *env = v->env;
    char path[1024] = "", tmp[1100], err[1024] = "", msg[1400];
    if (!ui_dialog_prompt(env->ctx, report_title(rep, v->lang),
                          ui_screen_msg(env, "ui.report_path"), path, sizeof path,
                          (int)sizeof path - 1) || !*path)
        return;
    size_t n = strlen(path);
    bool html = (n > 5 && !strcmp(path + n - 5, ".html")) || (n > 4 && !strcmp(path + n - 4, ".htm"));
    bool xlsx = n > 5 && !strcmp(path + n - 5, ".xlsx");
    snprintf(tmp, sizeof tmp, "%s.part", path);
    FILE *fp = fopen(tmp, "w");
    int rc = fp ? report_render(set, rep, p, html ? REPORT_OUT_HTML : xlsx ? REPORT_OUT_XLSX : REPORT_OUT_CSV,
                                fp, err, sizeof err) : 1;
    if (!fp)
        snprintf(err, sizeof err, "%.900s: %s", path, strerror(errno));
    if (fp && fclose(fp) != 0 && rc == 0) {
        rc = 1;
        snprintf(err, sizeof err, "%.900s: %s", path, strerror(errno));
    }
    if (rc == 0 && rename(tmp, path) != 0) {
        rc = 1;
        snprintf(err, sizeof err, "%.900s: %s", path, strerror(errno));
    }
    if (rc != 0) {
        unlink(tmp);
        snprintf(msg, sizeof msg, "%s %s", ui_screen_msg(env, "ui.cannot_write"), err);
        ui_pager_set_status(&v->pager, UI_STATUS_ERROR, msg);
    } else {
        snprintf(msg, sizeof msg, "%s %s (%s)", ui_screen_msg(env, "ui.report_written"), path,
                 html ? "HTML" : "CSV");
        ui_pager_set_status(&v->pager, UI_STATUS_INFO, msg);
    }
}

/* The as-of line, broken at its "   " separators into lines that fit the
 * screen (the last check must not fall off the right edge). */
static void ui_report_as_of_lines(ui_report_view *v, const char *as_of)
{
    strbuf line = STRBUF_INIT;
    const char *p = as_of;
    while (*p) {
        const char *e = strstr(p, "   ");
        size_t n = e ? (size_t)(e - p) : strlen(p);
        char part[512];
        snprintf(part, sizeof part, "%.*s", (int)n, p);
        if (line.len && text_width(strbuf_str(&line)) + 3 + text_width(part) > COLS - 2) {
            ui_pager_add(&v->pager, strbuf_str(&line));
            strbuf_reset(&line);
        }
        strbuf_addf(&line, "%s%s", line.len ? "   " : "", part);
        p += n;
        while (*p == ' ') p++;
    }
    if (line.len) ui_pager_add(&v->pager, strbuf_str(&line));
    ui_pager_add(&v->pager, "");
    strbuf_free(&line);
}

bool ui_report_run(ui_screen_env *env, const char *name)
{
    ui_report_view v = {.env = env, .lang = env->lang ? "en" : "th"};
    char dir[1200], err[1024] = "";
    snprintf(dir, sizeof dir, "%s/conf/reports", env->app->home);
    report_set *set = NULL;
    const report_def *rep = NULL;
    report_params p = {NULL, 0, NULL, v.lang, 0};
    if (report_load_dir(env->app->db, env->app->conf, dir, &set, err, sizeof err) == 0 &&
        !(rep = report_find(set, name)))
        snprintf(err, sizeof err, "%s: %s", name, ui_screen_msg(env, "report.unknown"));
    if (rep && (rep->params & REPORT_P_ROUND))
        p.round = env->round.code;
    if (rep && report_check_params(set, rep, &p, err, sizeof err) != 0)
        rep = NULL;
    if (rep) {
        /* what the numbers are as of, above them, as on paper */
        char as_of[512];
        report_as_of(set, rep, &p, as_of, sizeof as_of);
        ui_report_as_of_lines(&v, as_of);
    }
    if (rep && report_run(set, rep, &p, ui_report_row, &v, err, sizeof err) != 0 && !*err)
        snprintf(err, sizeof err, "out of memory");
    if (!rep || *err) {
        char msg[1200];
        snprintf(msg, sizeof msg, "%s %s", ui_screen_msg(env, "ui.report_failed"), err);
        ui_dialog_message(env->ctx, name, msg);
        ui_report_free(&v, rep);
        report_set_free(set);
        return false;
    }
    if (rep->chart.present && v.nchart > REPORT_CHART_MAX_ROWS) {
        /* (kept one more than the most a chart draws, to know) */
        ui_pager_add(&v.pager, "");
        ui_pager_add(&v.pager, ui_screen_msg(env, "report.chart_too_many"));
    } else if (rep->chart.present) {
        ui_report_charts(&v, rep);
    }
    const char *headings[64];
    for (int i = 0; i < rep->ncols && i < 64; i++)
        headings[i] = report_heading(&rep->cols[i], v.lang);
    strbuf head = STRBUF_INIT;
    ui_report_line(rep, headings, true, &head);
    char title[512];
    snprintf(title, sizeof title, "%s", report_title(rep, v.lang));
    v.pager = (ui_pager){.ctx = env->ctx, .title = title, .right = env->who,
                         .heading = strbuf_str(&head), .lines = v.pager.lines,
                         .n = v.pager.n, .cap = v.pager.cap, .hints = ui_report_hints,
                         .nhints = 3};
    ui_pager_set_status(&v.pager, UI_STATUS_INFO, report_description(rep, v.lang));
    const ui_key keys[] = {'o', 'O', 0x0E19 /* น: o on the Kedmanee layout */,
                           env->ctx->keys.keys[UI_ACT_SAVE][0]};
    ui_key k;
    while ((k = ui_pager_run(&v.pager, keys, 4)) != UI_KEY_ESC &&
           !ui_keys_is(&env->ctx->keys, k, UI_ACT_QUIT) &&
           !ui_keys_is(&env->ctx->keys, k, UI_ACT_BACK))
        ui_report_output(&v, set, rep, &p);
    strbuf_free(&head);
    ui_report_free(&v, rep);
    report_set_free(set);
    return ui_keys_is(&env->ctx->keys, k, UI_ACT_QUIT);
}

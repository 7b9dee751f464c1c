/*
 * survey_render.c: the summary of a satisfaction survey as text or HTML,
 * on its own page or as a section of the evaluation summary document: the
 * table of items (n, mean, S.D., level), the overall line, a note saying
 * which standard deviation it is and how a mean is read, and a bar chart
 * of the means (report_bar_line for text, CSS bars for HTML).
 */
#include "esis/survey.h"
#include "esis/app.h"
#include "esis/db.h"
#include "esis/report.h"
#include "esis/text.h"
#include "unit_internal.h"

#include <stdlib.h>
#include <string.h>

enum { TEXT_WIDTH = 78, ITEM_W = 34 };

static const char *lang_of(const esis_app *app) { return app->lang ? app->lang : "th"; }
static bool is_en(const esis_app *app) { return !strcmp(lang_of(app), "en"); }

static const char *item_text(const esis_app *app, const survey_def *d, int i)
{
    return is_en(app) ? d->items_en[i] : d->items_th[i];
}

/* "4.51-5.00 มากที่สุด, 3.51-4.50 มาก, ..." */
static void levels_note(const esis_app *app, const survey_def *d, char *buf, size_t bufsz)
{
    size_t o = 0;
    buf[0] = '\0';
    for (int k = SURVEY_LEVELS; k >= 1 && o < bufsz; k--) {
        double hi = k == SURVEY_LEVELS ? 5.0 : d->levels[k + 1].min - 0.01;
        o += (size_t)snprintf(buf + o, bufsz - o, "%s%.2f-%.2f %s", k < SURVEY_LEVELS ? ", " : "",
                              d->levels[k].min, hi, survey_level_label(d, k, lang_of(app)));
    }
}

static void text_row(FILE *out, const char *no, const char *item, const survey_item_stats *s,
                     const char *level)
{
    char a[16], b[ITEM_W * 4 + 64], c[8 * 4], m[16], sd[16], lv[160];
    text_fit(a, sizeof a, no, 4, 'l', false);
    text_fit(b, sizeof b, item, ITEM_W, 'l', true);
    snprintf(c, sizeof c, "%5ld", s->n);
    if (s->n) { snprintf(m, sizeof m, "%8.2f", s->mean); snprintf(sd, sizeof sd, "%6.3f", s->sd); }
    else { snprintf(m, sizeof m, "%8s", "-"); snprintf(sd, sizeof sd, "%6s", "-"); }
    snprintf(lv, sizeof lv, "%s", level);
    fprintf(out, "%s %s %s %s %s  %s\n", a, b, c, m, sd, lv);
}

static void render_text(esis_app *app, const survey_def *d, const survey_stats *st, const char *title,
                        bool fragment, FILE *out)
{
    const char *lang = lang_of(app);
    char buf[1024];
    if (!fragment) {
        snprintf(buf, sizeof buf, "%s: %s", app_msg(app, "survey.summary_title"), title);
        doc_text_heading(app, out, buf, TEXT_WIDTH);
    } else {
        fprintf(out, "\n%s: %s\n", app_msg(app, "survey.summary_title"), title);
    }
    fprintf(out, "%s: %s\n%s: %ld\n\n", app_msg(app, "survey.questionnaire"), is_en(app) ? d->title_en : d->title_th,
            app_msg(app, "survey.respondents"), st->respondents);
    char h1[16], h2[ITEM_W * 4 + 8], h4[64];
    text_fit(h1, sizeof h1, app_msg(app, "survey.h_no"), 4, 'l', true);
    text_fit(h2, sizeof h2, app_msg(app, "survey.h_item"), ITEM_W, 'l', true);
    text_fit(h4, sizeof h4, app_msg(app, "survey.h_mean"), 9, 'r', true);
    fprintf(out, "%s %s %5s%s %6s  %s\n", h1, h2, "n", h4, "S.D.", app_msg(app, "survey.h_level"));
    for (int i = 0; i < TEXT_WIDTH; i++) fputc('-', out);
    fputc('\n', out);
    for (int i = 0; i < d->nitems; i++) {
        char no[16];
        snprintf(no, sizeof no, "%d.", i + 1);
        text_row(out, no, item_text(app, d, i), &st->items[i], survey_level_label(d, st->items[i].level, lang));
    }
    for (int i = 0; i < TEXT_WIDTH; i++) fputc('-', out);
    fputc('\n', out);
    text_row(out, "", app_msg(app, "survey.overall"), &st->overall, survey_level_label(d, st->overall.level, lang));
    levels_note(app, d, buf, sizeof buf);
    fprintf(out, "\n%s\n%s: %s\n", app_msg(app, "survey.sd_note"), app_msg(app, "survey.levels_note"), buf);
    fprintf(out, "\n%s\n", app_msg(app, "survey.chart"));
    char line[1024], label[512], val[16];
    for (int i = 0; i < d->nitems; i++) {
        snprintf(label, sizeof label, "%d. %s", i + 1, item_text(app, d, i));
        snprintf(val, sizeof val, "%.2f", st->items[i].mean);
        report_bar_line_text(label, st->items[i].mean, 5.0, val, TEXT_WIDTH, line, sizeof line);
        fprintf(out, "%s\n", line);
    }
}

static void html_cells(FILE *out, const char *no, const char *item, const survey_item_stats *s,
                       const char *level, bool bold)
{
    fprintf(out, "<tr%s><td>", bold ? " style=\"font-weight:bold\"" : "");
    unit_html_escape(out, no);
    fputs("</td><td>", out);
    unit_html_escape(out, item);
    if (s->n) fprintf(out, "</td><td class=\"r\">%ld</td><td class=\"r\">%.2f</td><td class=\"r\">%.3f</td><td>",
                      s->n, s->mean, s->sd);
    else fprintf(out, "</td><td class=\"r\">0</td><td class=\"r\">-</td><td class=\"r\">-</td><td>");
    unit_html_escape(out, level);
    fputs("</td></tr>\n", out);
}

static void render_html(esis_app *app, const survey_def *d, const survey_stats *st, const char *title,
                        bool fragment, FILE *out)
{
    const char *lang = lang_of(app);
    char buf[1024];
    snprintf(buf, sizeof buf, "%s: %s", app_msg(app, "survey.summary_title"), title);
    if (!fragment) doc_html_begin(app, out, buf);
    else { fputs("<section class=\"survey\">\n<h2>", out); unit_html_escape(out, buf); fputs("</h2>\n", out); }
    fputs("<p>", out);
    unit_html_escape(out, app_msg(app, "survey.questionnaire"));
    fputs(": ", out);
    unit_html_escape(out, is_en(app) ? d->title_en : d->title_th);
    fputs("<br>", out);
    unit_html_escape(out, app_msg(app, "survey.respondents"));
    fprintf(out, ": %ld</p>\n<table class=\"grid\">\n<thead><tr><th>", st->respondents);
    const char *heads[] = { app_msg(app, "survey.h_no"), app_msg(app, "survey.h_item"), "n",
                            app_msg(app, "survey.h_mean"), "S.D.", app_msg(app, "survey.h_level") };
    for (int i = 0; i < 6; i++) {
        unit_html_escape(out, heads[i]);
        fputs(i < 5 ? "</th><th>" : "</th></tr></thead>\n<tbody>\n", out);
    }
    for (int i = 0; i < d->nitems; i++) {
        char no[16];
        snprintf(no, sizeof no, "%d", i + 1);
        html_cells(out, no, item_text(app, d, i), &st->items[i], survey_level_label(d, st->items[i].level, lang), false);
    }
    fputs("</tbody>\n<tfoot>\n", out);
    html_cells(out, "", app_msg(app, "survey.overall"), &st->overall, survey_level_label(d, st->overall.level, lang), true);
    fputs("</tfoot>\n</table>\n<p class=\"note\">", out);
    unit_html_escape(out, app_msg(app, "survey.sd_note"));
    fputs("<br>", out);
    unit_html_escape(out, app_msg(app, "survey.levels_note"));
    levels_note(app, d, buf, sizeof buf);
    fputs(": ", out);
    unit_html_escape(out, buf);
    fputs("</p>\n<h2>", out);
    unit_html_escape(out, app_msg(app, "survey.chart"));
    fputs("</h2>\n<table class=\"grid\">\n", out);
    for (int i = 0; i < d->nitems; i++) {
        fprintf(out, "<tr><td>%d. ", i + 1);
        unit_html_escape(out, item_text(app, d, i));
        fprintf(out, "</td><td style=\"width:45%%\"><div class=\"bar\" style=\"width:%.1f%%\"></div></td>"
                     "<td class=\"r\">%.2f</td></tr>\n", st->items[i].mean * 20.0, st->items[i].mean);
    }
    fputs("</table>\n", out);
    if (fragment) fputs("</section>\n", out);
    else doc_html_end(out);
}

int survey_render(esis_app *app, long long id, doc_output kind, bool fragment, FILE *out,
                  char *err, size_t errsz)
{
    const db_session *s = db_session_get(app->db);
    if (s && !s->all_schools) return unit_fail(app, err, errsz, "doc.not_office", NULL);
    survey_def *d = NULL;
    survey_stats st;
    if (survey_compute(app, id, &d, &st, err, errsz)) return -1;
    char ids[32], title[512] = "";
    snprintf(ids, sizeof ids, "%lld", id);
    sqlite3_stmt *q = NULL;
    if (db_prepare(app->db, "SELECT title FROM surveys WHERE id = ?1", &q) == SQLITE_OK) {
        sqlite3_bind_int64(q, 1, id);
        if (db_step(q) == SQLITE_ROW) snprintf(title, sizeof title, "%s", (const char *)sqlite3_column_text(q, 0));
    }
    sqlite3_finalize(q);
    if (kind == DOC_HTML) render_html(app, d, &st, title, fragment, out);
    else render_text(app, d, &st, title, fragment, out);
    survey_stats_free(&st);
    survey_def_free(d);
    if (fflush(out) || ferror(out)) return unit_fail(app, err, errsz, "unit.cannot_write", NULL);
    return 0;
}

int survey_render_for_evaluation(esis_app *app, long long evaluation_id, doc_output kind, FILE *out,
                                 char *err, size_t errsz)
{
    sqlite3_stmt *st = NULL;
    if (db_prepare(app->db, "SELECT id FROM surveys WHERE evaluation_id = ?1 ORDER BY id", &st) != SQLITE_OK)
        return unit_fail(app, err, errsz, "survey.db", "%s", sqlite3_errmsg(app->db));
    sqlite3_bind_int64(st, 1, evaluation_id);
    long long ids[64];
    int n = 0;
    while (n < 64 && db_step(st) == SQLITE_ROW) ids[n++] = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    for (int i = 0; i < n; i++)
        if (survey_render(app, ids[i], kind, true, out, err, errsz)) return -1;
    return 0;
}

/*
 * booklet.c: the yearly booklet (see booklet.h), rendered by calling the
 * report engine once per section with the year's rounds.
 *
 * The report engine writes a whole HTML page per report.  Rather than give
 * it a second HTML mode, each section is rendered into memory and its body
 * is taken: the office line is dropped (the booklet has one heading), the
 * report's <h1> becomes an <h2>, and the first report's <style> serves the
 * whole booklet.  So the booklet looks exactly like the reports do, and a
 * change of the report style reaches it without a change here.
 */
#include "esis/booklet.h"
#include "esis/app.h"
#include "esis/document.h"
#include "esis/rounds.h"
#include "esis/text.h"
#include "unit_internal.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

typedef struct section {
    const report_def *rep;
    char              round[24];
    int               term;     /* term = 1|2 of a report per term; 0: both */
} section;

/* The parameters of one section's run: the year's round it names, the
 * year for a report that takes one, its term. */
static report_params section_params(const report_params *base, const section *v)
{
    report_params p = *base;
    p.round = *v->round ? v->round : NULL;
    if (!(v->rep->params & REPORT_P_YEAR)) p.year = 0;
    p.term = v->term;
    return p;
}

static const char *lang_of(const esis_app *app) { return app->lang ? app->lang : "th"; }

bool booklet_exists(esis_app *app, const char *name)
{
    char full[4200], shown[256];
    if (!unit_name_ok(name)) return false;
    unit_conf_path(app, "documents", name, full, sizeof full, shown, sizeof shown);
    if (access(full, R_OK) != 0) return false;
    unit_ini L;
    char err[256];
    if (unit_ini_open(&L, full, shown, err, sizeof err)) return false;
    bool yes = unit_ini_has(&L, "booklet");
    unit_ini_close(&L);
    return yes;
}

/* Read the sections and check each against the report set. */
static int load_sections(unit_ini *L, const report_set *set, int year, section **out, int *n, char *title_th,
                         char *title_en, size_t titlesz)
{
    static const char *const keys[] = { "report", "round", "term", NULL };
    static const char *const bkeys[] = { "title_th", "title_en", NULL };
    static const char *const sections[] = { "booklet", "section.", NULL };
    if (unit_ini_check_sections(L, sections) || unit_ini_check_keys(L, "booklet", bkeys)) return -1;
    const char *th = unit_ini_need(L, "booklet", "title_th"), *en = th ? unit_ini_need(L, "booklet", "title_en") : NULL;
    if (!en) return -1;
    snprintf(title_th, titlesz, "%s", th);
    snprintf(title_en, titlesz, "%s", en);
    int count = unit_ini_count(L, "section");
    if (count < 0) return -1;
    if (count == 0) return unit_ini_fail(L, "section.1", NULL, "a booklet needs at least one section");
    section *v = calloc((size_t)count, sizeof *v);
    if (!v) return unit_ini_fail(L, NULL, NULL, "out of memory");
    for (int k = 1; k <= count; k++) {
        char sec[32];
        snprintf(sec, sizeof sec, "section.%d", k);
        section *s = &v[k - 1];
        const char *name = NULL, *round = NULL;
        if (unit_ini_check_keys(L, sec, keys) || !(name = unit_ini_need(L, sec, "report"))) goto fail;
        if (!(s->rep = report_find(set, name))) { unit_ini_fail(L, sec, "report", "no report '%s' in conf/reports", name); goto fail; }
        round = unit_ini_get(L, sec, "round");
        if (round && !(s->rep->params & REPORT_P_ROUND)) { unit_ini_fail(L, sec, "round", "report %s takes no round", name); goto fail; }
        if (!round && (s->rep->params & REPORT_P_ROUND)) { unit_ini_fail(L, sec, "round", "missing: report %s takes a round", name); goto fail; }
        const char *term = unit_ini_get(L, sec, "term");
        if (term && (!(s->rep->params & REPORT_P_TERM) || (strcmp(term, "1") && strcmp(term, "2")))) {
            unit_ini_fail(L, sec, "term", "1 or 2, for a report that takes a term");
            goto fail;
        }
        s->term = term ? atoi(term) : 0;
        if (round) {
            conf_round r;
            snprintf(s->round, sizeof s->round, "%d-%s", year, round);
            if (!conf_round_get(set->conf, s->round, &r)) { unit_ini_fail(L, sec, "round", "'%s' is not 1, 2, 3, emis or bobec", round); goto fail; }
        }
    }
    *out = v;
    *n = count;
    return 0;
fail:
    free(v);
    return -1;
}

/* The part of a report page between <body> and </body>, without the office
 * line, with its title one level down. */
static void put_body(FILE *out, const char *page)
{
    const char *b = strstr(page, "<body>\n"), *e = strstr(page, "</body>");
    if (!b || !e || e < b) return;
    b += 7;
    fputs("<section class=\"booklet\">\n", out);
    while (b < e) {
        const char *office = strstr(b, "<div class=\"office\">");
        const char *h1 = strstr(b, "<h1>");
        const char *next = e;
        if (office && office < next) next = office;
        if (h1 && h1 < next) next = h1;
        fwrite(b, 1, (size_t)(next - b), out);
        if (next == e) break;
        if (next == office) {
            const char *end = strstr(office, "</div>");
            b = end && end < e ? end + 6 : e;
        } else {
            const char *end = strstr(h1, "</h1>");
            if (!end || end > e) break;
            fputs("<h2 class=\"section\">", out);
            fwrite(h1 + 4, 1, (size_t)(end - h1 - 4), out);
            fputs("</h2>", out);
            b = end + 5;
        }
    }
    fputs("</section>\n", out);
}

static int render_html(esis_app *app, const report_set *set, const section *v, int n, const report_params *base,
                       const char *title, FILE *out, char *err, size_t errsz)
{
    int rc = 0;
    bool head = false;
    for (int i = 0; i < n && !rc; i++) {
        char *page = NULL;
        size_t len = 0;
        FILE *mem = open_memstream(&page, &len);
        if (!mem) return unit_fail(app, err, errsz, "unit.no_memory", NULL);
        report_params p = section_params(base, &v[i]);
        rc = report_render(set, v[i].rep, &p, REPORT_OUT_HTML, mem, err, errsz) ? -1 : 0;
        fclose(mem);
        if (!rc && !head) {
            const char *s = strstr(page, "<style>"), *e = s ? strstr(s, "</style>") : NULL;
            fprintf(out, "<!DOCTYPE html>\n<html lang=\"%s\">\n<head>\n<meta charset=\"utf-8\">\n<title>", lang_of(app));
            unit_html_escape(out, title);
            fputs("</title>\n", out);
            if (s && e) fwrite(s, 1, (size_t)(e - s), out);
            else fputs("<style>\n", out);
            fputs("section.booklet{page-break-before:always}h2.section{text-align:center;font-size:1.2em}\n"
                  "h1.booklet{text-align:center;font-size:1.6em;margin-top:30%}\n</style>\n</head>\n<body>\n"
                  "<div class=\"office\">", out);
            unit_html_escape(out, unit_office_name(app, lang_of(app)));
            fputs("</div>\n<h1 class=\"booklet\">", out);
            unit_html_escape(out, title);
            fputs("</h1>\n", out);
            head = true;
        }
        if (!rc) put_body(out, page);
        free(page);
    }
    if (!rc) doc_html_end(out);
    return rc;
}

int booklet_render(esis_app *app, const char *name, int year, report_output kind, FILE *out,
                   char *err, size_t errsz)
{
    if (kind == REPORT_OUT_CSV) return unit_fail(app, err, errsz, "booklet.no_csv", NULL);
    if (year < 2400 || year > 2700) return unit_fail(app, err, errsz, "activity.bad_year", "%d", year);
    char full[4200], shown[256], dir[4200];
    unit_conf_path(app, "documents", name, full, sizeof full, shown, sizeof shown);
    snprintf(dir, sizeof dir, "%s/conf/reports", app->home);
    report_set *set = NULL;
    if (report_load_dir(app->db, app->conf, dir, &set, err, errsz)) return 2;
    unit_ini L;
    section *v = NULL;
    int n = 0, rc = unit_ini_open(&L, full, shown, err, errsz);
    char th[512], en[512], title[600];
    if (!rc) rc = load_sections(&L, set, year, &v, &n, th, en, sizeof th) ? 2 : 0;
    unit_ini_close(&L);
    report_params base = { NULL, year, NULL, app->lang, 0 };
    if (!rc && !rounds_in_year(app->db, year)) {
        snprintf(err, errsz, "%s %d", app_msg(app, "period.no_year"), year);
        rc = 1;
    }
    /* Every section's period before a line is written: a booklet of a
     * year the database does not hold is refused whole, not printed with
     * zeros up to the first section that notices. */
    for (int i = 0; i < n && !rc; i++) {
        report_params p = section_params(&base, &v[i]);
        rc = report_check_params(set, v[i].rep, &p, err, errsz);
    }
    if (!rc) {
        snprintf(title, sizeof title, "%s %d", strcmp(lang_of(app), "en") ? th : en, year);
        if (kind == REPORT_OUT_HTML) {
            rc = render_html(app, set, v, n, &base, title, out, err, errsz);
        } else {
            doc_text_heading(app, out, title, 78);
            for (int i = 0; i < n && !rc; i++) {
                report_params p = section_params(&base, &v[i]);
                fputs("\n\n", out);
                rc = report_render(set, v[i].rep, &p, REPORT_OUT_TEXT, out, err, errsz) ? -1 : 0;
            }
        }
    }
    free(v);
    report_set_free(set);
    return rc;
}

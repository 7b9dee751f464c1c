/*
 * survey.c: questionnaires (conf/surveys), answers typed fast, and the
 * summary every Thai evaluation report carries: per item n, mean, sample
 * standard deviation and the level read from the mean (see survey.h).
 *
 * Sums of answers and of their squares are exact in a double for any
 * realistic number of respondents (answers are 1..5), so the standard
 * deviation comes from them in one pass without a loss worth a second.
 */
#include "esis/survey.h"
#include "esis/app.h"
#include "esis/batch.h"
#include "esis/db.h"
#include "esis/report.h"
#include "esis/text.h"
#include "unit_internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* ---- the questionnaire ---------------------------------------------------- */

void survey_def_free(survey_def *d)
{
    if (!d) return;
    for (int i = 0; i < d->nitems; i++) { free(d->items_th[i]); free(d->items_en[i]); }
    free(d->items_th); free(d->items_en);
    for (int k = 0; k <= SURVEY_LEVELS; k++) { free(d->levels[k].label_th); free(d->levels[k].label_en); }
    free(d->name); free(d->path); free(d->title_th); free(d->title_en);
    free(d);
}

static int load_levels(unit_ini *L, survey_def *d)
{
    static const char *const keys[] = { "label_th", "label_en", "min", NULL };
    for (int k = 1; k <= SURVEY_LEVELS; k++) {
        char sec[32];
        snprintf(sec, sizeof sec, "level.%d", k);
        if (!unit_ini_has(L, sec)) return unit_ini_fail(L, sec, NULL, "missing (levels 1 to 5 are needed)");
        if (unit_ini_check_keys(L, sec, keys)) return -1;
        const char *th = unit_ini_need(L, sec, "label_th"), *en = th ? unit_ini_need(L, sec, "label_en") : NULL;
        const char *min = en ? unit_ini_need(L, sec, "min") : NULL;
        if (!min) return -1;
        char *end;
        double m = strtod(min, &end);
        if (*end || m < 1 || m > 5) return unit_ini_fail(L, sec, "min", "'%s' is not a mean between 1 and 5", min);
        if (k > 1 && m <= d->levels[k - 1].min)
            return unit_ini_fail(L, sec, "min", "must be above level %d's (%.2f)", k - 1, d->levels[k - 1].min);
        if (k == 1 && m > 1) return unit_ini_fail(L, sec, "min", "level 1 must start at 1");
        d->levels[k].min = m;
        if (!(d->levels[k].label_th = strdup(th)) || !(d->levels[k].label_en = strdup(en)))
            return unit_ini_fail(L, sec, NULL, "out of memory");
    }
    return 0;
}

static int load_def(unit_ini *L, survey_def *d)
{
    static const char *const keys[] = { "title_th", "title_en", NULL };
    static const char *const item_keys[] = { "text_th", "text_en", NULL };
    static const char *const sections[] = { "survey", "item.", "level.", NULL };
    if (!unit_ini_has(L, "survey")) return unit_ini_fail(L, "survey", NULL, "the section is missing");
    if (unit_ini_check_keys(L, "survey", keys) || unit_ini_check_sections(L, sections)) return -1;
    const char *th = unit_ini_need(L, "survey", "title_th"), *en = th ? unit_ini_need(L, "survey", "title_en") : NULL;
    if (!en) return -1;
    d->title_th = strdup(th);
    d->title_en = strdup(en);
    int n = unit_ini_count(L, "item");
    if (n < 0) return -1;
    if (n == 0) return unit_ini_fail(L, "item.1", NULL, "a questionnaire needs at least one item");
    if (n > 200) return unit_ini_fail(L, "item.201", NULL, "at most 200 items");
    d->items_th = calloc((size_t)n, sizeof *d->items_th);
    d->items_en = calloc((size_t)n, sizeof *d->items_en);
    if (!d->items_th || !d->items_en) return unit_ini_fail(L, NULL, NULL, "out of memory");
    for (int k = 1; k <= n; k++) {
        char sec[32];
        snprintf(sec, sizeof sec, "item.%d", k);
        d->nitems = k;
        if (unit_ini_check_keys(L, sec, item_keys)) return -1;
        const char *it = unit_ini_need(L, sec, "text_th"), *ie = it ? unit_ini_need(L, sec, "text_en") : NULL;
        if (!ie) return -1;
        if (!(d->items_th[k - 1] = strdup(it)) || !(d->items_en[k - 1] = strdup(ie)))
            return unit_ini_fail(L, sec, NULL, "out of memory");
    }
    return load_levels(L, d);
}

int survey_def_load(esis_app *app, const char *name, survey_def **out, char *err, size_t errsz)
{
    *out = NULL;
    char full[4200], shown[256];
    if (!unit_name_ok(name)) return unit_fail(app, err, errsz, "survey.no_questionnaire", "%s", name ? name : "");
    unit_conf_path(app, "surveys", name, full, sizeof full, shown, sizeof shown);
    if (access(full, R_OK) != 0) return unit_fail(app, err, errsz, "survey.no_questionnaire", "%s", shown);
    survey_def *d = calloc(1, sizeof *d);
    if (!d) return unit_fail(app, err, errsz, "unit.no_memory", NULL);
    d->name = strdup(name);
    d->path = strdup(shown);
    unit_ini L;
    int rc = unit_ini_open(&L, full, d->path ? d->path : shown, err, errsz);
    if (!rc) rc = load_def(&L, d);
    unit_ini_close(&L);
    if (rc) { survey_def_free(d); return -1; }
    *out = d;
    return 0;
}

int survey_create(esis_app *app, const char *questionnaire, const char *title, int year,
                  long long evaluation_id, long long *id, char *err, size_t errsz)
{
    if (!unit_is_office_writer(app->db)) return unit_fail(app, err, errsz, "survey.not_office", NULL);
    survey_def *d = NULL;
    if (survey_def_load(app, questionnaire, &d, err, errsz)) return -1;
    survey_def_free(d);
    if (!title || !*title) return unit_fail(app, err, errsz, "activity.needs_title", NULL);
    if (year < 2400 || year > 2700) return unit_fail(app, err, errsz, "activity.bad_year", "%d", year);
    char years[16], ev[32];
    snprintf(years, sizeof years, "%d", year);
    snprintf(ev, sizeof ev, "%lld", evaluation_id);
    if (evaluation_id > 0 && !db_query_int(app->db, 0, "SELECT count(*) FROM evaluations WHERE id = ?1", ev, (const char *)NULL))
        return unit_fail(app, err, errsz, "doc.not_found", "evaluations %lld", evaluation_id);
    if (unit_gate(app, "surveys", NULL, NULL, err, errsz)) return -1;
    const char *args[] = { questionnaire, title, years, evaluation_id > 0 ? ev : NULL };
    if (unit_exec(app->db, "INSERT INTO surveys(questionnaire, title, academic_year, evaluation_id, updated_by)"
                           " VALUES (?1, ?2, ?3, ?4, esis_actor())", args, 4, NULL, err, errsz))
        return -1;
    if (id) *id = sqlite3_last_insert_rowid(app->db);
    return 0;
}

int survey_level_of(const survey_def *d, double mean)
{
    double r = floor(mean * 100.0 + 0.5) / 100.0;
    for (int k = SURVEY_LEVELS; k >= 1; k--)
        if (r + 1e-9 >= d->levels[k].min) return k;
    return 1;
}

const char *survey_level_label(const survey_def *d, int level, const char *lang)
{
    if (level < 1 || level > SURVEY_LEVELS) return "-";
    return lang && !strcmp(lang, "en") ? d->levels[level].label_en : d->levels[level].label_th;
}

/* ---- answers ----------------------------------------------------------- */

int survey_parse_line(const char *line, int nitems, char *out, const char **why, int *column)
{
    int n = 0;
    const char *p = line;
    while (*p == ' ' || *p == '\t') p++;
    if (!*p || *p == '\n' || *p == '\r' || *p == '#') return 1;
    *column = 0;
    for (; *p && *p != '\n'; p++) {
        if (*p == ' ' || *p == '\t' || *p == '\r') continue;
        if (*p < '1' || *p > '5') {
            *why = "survey.bad_digit";
            *column = n + 1;
            return -1;
        }
        if (n < nitems) out[n] = *p;
        n++;
    }
    if (n != nitems) {
        *why = n < nitems ? "survey.too_few" : "survey.too_many";
        *column = n;
        return -1;
    }
    out[n] = '\0';
    return 0;
}

/* The survey's questionnaire name; 0 or -1 with err. */
static int survey_questionnaire(esis_app *app, long long id, char *name, size_t namesz, char *title,
                                size_t titlesz, char *err, size_t errsz)
{
    sqlite3_stmt *st = NULL;
    int rc = -1;
    if (db_prepare(app->db, "SELECT questionnaire, title FROM surveys WHERE id = ?1", &st) == SQLITE_OK) {
        sqlite3_bind_int64(st, 1, id);
        if (db_step(st) == SQLITE_ROW) {
            snprintf(name, namesz, "%s", (const char *)sqlite3_column_text(st, 0));
            snprintf(title, titlesz, "%s", (const char *)sqlite3_column_text(st, 1));
            rc = 0;
        }
    }
    sqlite3_finalize(st);
    if (rc) unit_fail(app, err, errsz, "survey.not_found", "%lld", id);
    return rc;
}

static int store_line(esis_app *app, long long id, long respondent, const char *digits, char *err, size_t errsz)
{
    char ids[32], resp[32];
    snprintf(ids, sizeof ids, "%lld", id);
    snprintf(resp, sizeof resp, "%ld", respondent);
    const char *args[] = { ids, resp, digits };
    return unit_exec(app->db, "INSERT INTO survey_answers(survey_id, respondent, answers, updated_by)"
                              " VALUES (?1, ?2, ?3, esis_actor())", args, 3, NULL, err, errsz);
}

typedef struct answers_job {
    esis_app         *app;
    long long         id;
    const survey_def *def;
    char             *digits;
    long              next;    /* the next respondent's number */
} answers_job;

static int answer_line(void *ctx, batch *b, long line_no, const char *line, char *why, size_t whysz,
                       char *err, size_t errsz)
{
    (void)b; (void)line_no;
    answers_job *j = ctx;
    const char *key = NULL;
    int column = 0;
    int r = survey_parse_line(line, j->def->nitems, j->digits, &key, &column);
    if (r == 1) return 1;
    if (r < 0) {
        if (!strcmp(key, "survey.bad_digit")) snprintf(why, whysz, "%s %d", app_msg(j->app, key), column);
        else snprintf(why, whysz, "%s (%d/%d)", app_msg(j->app, key), column, j->def->nitems);
        return 2;
    }
    if (store_line(j->app, j->id, j->next, j->digits, err, errsz)) return -1;
    j->next++;
    return 0;
}

int survey_answers_read(esis_app *app, long long id, FILE *in, survey_bad_line_fn report, void *ctx,
                        long *good, long *bad, char *err, size_t errsz)
{
    *good = *bad = 0;
    if (!unit_is_office_writer(app->db)) return unit_fail(app, err, errsz, "survey.not_office", NULL);
    char qname[128], title[512];
    if (survey_questionnaire(app, id, qname, sizeof qname, title, sizeof title, err, errsz)) return -1;
    survey_def *d = NULL;
    if (survey_def_load(app, qname, &d, err, errsz)) return -1;
    answers_job j = { app, id, d, malloc((size_t)d->nitems + 1), 0 };
    batch b;
    int rc = j.digits ? 0 : unit_fail(app, err, errsz, "unit.no_memory", NULL);
    if (!rc) rc = batch_begin(&b, app, report, ctx, err, errsz);
    if (!rc) {
        /* Numbered inside the transaction: a batch running at the same
         * time waits for ours, then numbers after it. */
        char ids[32];
        snprintf(ids, sizeof ids, "%lld", id);
        j.next = (long)db_query_int(app->db, 0, "SELECT coalesce(max(respondent), 0) FROM survey_answers"
                                                " WHERE survey_id = ?1", ids, (const char *)NULL) + 1;
        rc = batch_end(&b, batch_lines(&b, in, answer_line, &j, err, errsz), err, errsz);
        *good = b.stored;
        *bad = b.refused;
    }
    free(j.digits);
    survey_def_free(d);
    return rc;
}

/* ---- statistics ------------------------------------------------------------ */

void survey_stats_free(survey_stats *s)
{
    free(s->items);
    memset(s, 0, sizeof *s);
}

static void finish(const survey_def *d, survey_item_stats *it, double sum, double sumsq)
{
    if (it->n == 0) return;
    it->mean = sum / (double)it->n;
    double var = it->n > 1 ? (sumsq - sum * sum / (double)it->n) / (double)(it->n - 1) : 0;
    it->sd = var > 0 ? sqrt(var) : 0;
    it->level = survey_level_of(d, it->mean);
}

typedef struct accum { survey_stats *st; double *sum, *sumsq; double all, allsq; } accum;

static void add_answers(accum *a, const char *ans)
{
    a->st->respondents++;
    for (int i = 0; i < a->st->nitems && ans[i]; i++) {
        if (ans[i] < '1' || ans[i] > '5') continue;   /* a blank answer */
        double v = ans[i] - '0';
        a->st->items[i].n++;
        a->sum[i] += v;
        a->sumsq[i] += v * v;
        a->st->overall.n++;
        a->all += v;
        a->allsq += v * v;
    }
}

static int accum_begin(const survey_def *d, survey_stats *out, accum *a)
{
    memset(out, 0, sizeof *out);
    memset(a, 0, sizeof *a);
    out->nitems = d->nitems;
    out->items = calloc((size_t)d->nitems, sizeof *out->items);
    a->sum = calloc((size_t)d->nitems, sizeof *a->sum);
    a->sumsq = calloc((size_t)d->nitems, sizeof *a->sumsq);
    a->st = out;
    if (!out->items || !a->sum || !a->sumsq) { free(a->sum); free(a->sumsq); survey_stats_free(out); return -1; }
    return 0;
}

static void accum_end(const survey_def *d, accum *a)
{
    for (int i = 0; i < d->nitems; i++) finish(d, &a->st->items[i], a->sum[i], a->sumsq[i]);
    finish(d, &a->st->overall, a->all, a->allsq);
    free(a->sum);
    free(a->sumsq);
}

int survey_stats_from(const survey_def *d, const char *const *answers, long n, survey_stats *out)
{
    accum a;
    if (accum_begin(d, out, &a)) return -1;
    for (long r = 0; r < n; r++) add_answers(&a, answers[r]);
    accum_end(d, &a);
    return 0;
}

int survey_compute(esis_app *app, long long id, survey_def **def_out, survey_stats *out, char *err, size_t errsz)
{
    char qname[128], title[512];
    *def_out = NULL;
    memset(out, 0, sizeof *out);
    if (survey_questionnaire(app, id, qname, sizeof qname, title, sizeof title, err, errsz)) return -1;
    survey_def *d = NULL;
    if (survey_def_load(app, qname, &d, err, errsz)) return -1;
    accum a;
    if (accum_begin(d, out, &a)) { survey_def_free(d); return unit_fail(app, err, errsz, "unit.no_memory", NULL); }
    sqlite3_stmt *st = NULL;
    int rc = db_prepare(app->db, "SELECT answers FROM survey_answers WHERE survey_id = ?1 ORDER BY respondent", &st);
    if (rc == SQLITE_OK) {
        sqlite3_bind_int64(st, 1, id);
        while (db_step(st) == SQLITE_ROW) add_answers(&a, (const char *)sqlite3_column_text(st, 0));
    }
    sqlite3_finalize(st);
    accum_end(d, &a);
    if (rc != SQLITE_OK) {
        survey_stats_free(out);
        survey_def_free(d);
        return unit_fail(app, err, errsz, "survey.db", "%s", sqlite3_errmsg(app->db));
    }
    *def_out = d;
    return 0;
}

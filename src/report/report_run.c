/*
 * report_run: running a loaded definition.  Parameters are checked against
 * what the report declares, bound by name (a round brings its previous
 * round, its as-of date and its year), and every row is formatted column by
 * column and handed to a callback as SQLite returns it; the sums of the
 * total = sum columns follow as one last row.  Nothing is kept between
 * rows but the sums, so a report over 100,000 students uses the memory of
 * one row.
 *
 * Formatting lives here too (report_format_value) because the TUI, the
 * text table, CSV and HTML must all show a number the same way.
 */
#include "report_internal.h"
#include "esis/conf.h"
#include "esis/db.h"
#include "esis/db_gate.h"
#include "esis/rounds.h"
#include "esis/text.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *report_lang(const report_set *set, const report_params *p)
{
    if (p && p->lang && !strcmp(p->lang, "en")) return "en";
    if (p && p->lang) return "th";
    return set->conf && !strcmp(set->conf->lang, "en") ? "en" : "th";
}

/* ---- formatting ------------------------------------------------------- */

/* "%.*f" of x with a comma every three digits of the integer part. */
static void format_grouped(double x, int decimals, bool group, char *buf, size_t bufsz)
{
    char raw[64];
    snprintf(raw, sizeof raw, "%.*f", decimals, x);
    if (!strcmp(raw, "-0") || !strncmp(raw, "-0.", 3)) {     /* -0.00 reads as 0.00 */
        bool zero = strspn(raw + 1, "0.") == strlen(raw + 1);
        if (zero) memmove(raw, raw + 1, strlen(raw));
    }
    if (!group) { snprintf(buf, bufsz, "%s", raw); return; }
    const char *digits = raw[0] == '-' ? raw + 1 : raw;
    size_t intlen = strcspn(digits, ".");
    char out[96];
    size_t o = 0;
    if (raw[0] == '-') out[o++] = '-';
    for (size_t i = 0; i < intlen; i++) {
        if (i && (intlen - i) % 3 == 0) out[o++] = ',';
        out[o++] = digits[i];
    }
    snprintf(out + o, sizeof out - o, "%s", digits + intlen);
    snprintf(buf, bufsz, "%s", out);
}

static void format_number(const report_column *col, double x, bool plain, char *buf, size_t bufsz)
{
    switch (col->format) {
    case REPORT_INT:     format_grouped(round(x), 0, !plain, buf, bufsz); break;
    case REPORT_MONEY:   format_grouped(x, 2, !plain, buf, bufsz); break;
    case REPORT_DECIMAL: format_grouped(x, col->decimals, !plain, buf, bufsz); break;
    case REPORT_PERCENT: snprintf(buf, bufsz, plain ? "%.1f" : "%.1f%%", x); break;
    default:             format_grouped(x, 2, false, buf, bufsz); break;
    }
}

/* ISO date or date-time -> DD/MM/YYYY (BE) [HH:MM]; anything else as is. */
static void format_date(const char *s, char *buf, size_t bufsz)
{
    text_date d;
    char day[11];
    if (strlen(s) >= 10) {
        memcpy(day, s, 10);
        day[10] = '\0';
        if (text_date_parse(day, &d)) {
            char be[11];
            text_date_be(d, be);
            if (strlen(s) >= 16 && (s[10] == 'T' || s[10] == ' '))
                snprintf(buf, bufsz, "%s %.5s", be, s + 11);
            else
                snprintf(buf, bufsz, "%s", be);
            return;
        }
    }
    snprintf(buf, bufsz, "%s", s);
}

const char *report_format_value(const report_set *set, const report_column *col,
                                sqlite3_value *v, bool plain, const char *lang,
                                char *buf, size_t bufsz)
{
    buf[0] = '\0';
    if (!v || sqlite3_value_type(v) == SQLITE_NULL) return buf;
    const char *s = (const char *)sqlite3_value_text(v);
    switch (col->format) {
    case REPORT_TEXT:
        snprintf(buf, bufsz, "%s", s ? s : "");
        break;
    case REPORT_CODE:
        snprintf(buf, bufsz, "%s", conf_code_label(set->conf, col->code_list, s, lang));
        break;
    case REPORT_DATE:
        format_date(s ? s : "", buf, bufsz);
        break;
    default:
        if (sqlite3_value_numeric_type(v) == SQLITE_TEXT) snprintf(buf, bufsz, "%s", s ? s : "");
        else format_number(col, sqlite3_value_double(v), plain, buf, bufsz);
        break;
    }
    return buf;
}

/* ---- parameters ------------------------------------------------------- */

int report_check_params(const report_set *set, const report_def *rep,
                        const report_params *p, char *err, size_t errsz)
{
    const esis_conf *c = set->conf;
    const char *lang = report_lang(set, p);
    if (p->round && !(rep->params & REPORT_P_ROUND)) {
        snprintf(err, errsz, "%s: %s --round", rep->name, conf_msg_lang(c, lang, "report.no_such_param"));
        return 2;
    }
    if (p->year && !(rep->params & REPORT_P_YEAR)) {
        snprintf(err, errsz, "%s: %s --year", rep->name, conf_msg_lang(c, lang, "report.no_such_param"));
        return 2;
    }
    if (p->term && !(rep->params & REPORT_P_TERM)) {
        snprintf(err, errsz, "%s: %s --term", rep->name, conf_msg_lang(c, lang, "report.no_such_param"));
        return 2;
    }
    if (p->term && p->term != 1 && p->term != 2) {
        snprintf(err, errsz, "%s: %s: %d", rep->name, conf_msg_lang(c, lang, "report.bad_term"), p->term);
        return 2;
    }
    if (p->school && !(rep->params & REPORT_P_SCHOOL)) {
        snprintf(err, errsz, "%s: %s --school", rep->name, conf_msg_lang(c, lang, "report.no_such_param"));
        return 2;
    }
    if (rep->params & REPORT_P_ROUND) {
        conf_round r;
        if (!p->round) {
            snprintf(err, errsz, "%s: %s --round", rep->name, conf_msg_lang(c, lang, "report.needs_param"));
            return 2;
        }
        if (!conf_round_get(c, p->round, &r)) {
            snprintf(err, errsz, "%s: %s", conf_msg_lang(c, lang, "report.bad_round"), p->round);
            return 2;
        }
    }
    if (p->year && (p->year < 2400 || p->year > 2700)) {
        snprintf(err, errsz, "%s: %d", conf_msg_lang(c, lang, "report.bad_year"), p->year);
        return 2;
    }
    return report_check_period(set, rep, p, err, errsz);
}

/* A report priced with conf/rates.ini refuses a fiscal year the file does
 * not give: nothing is carried forward from an earlier year. */
static int check_rates(const report_set *set, const report_def *rep, const char *lang, int fiscal_year,
                       const char *what, char *err, size_t errsz)
{
    const esis_conf *c = set->conf;
    if (!rep->rates || conf_rates_year(c, fiscal_year)) return 0;
    snprintf(err, errsz, "%s: conf/rates.ini [%d]: %s %d%s%s%s", rep->name, fiscal_year,
             conf_msg_lang(c, lang, "rates.no_year"), fiscal_year, what ? " (" : "", what ? what : "",
             what ? ")" : "");
    return 1;
}

/* A term of a year is paid from one DMC round: that round must be in the
 * database with students, and (rates = yes) its fiscal year priced. */
static int check_term(const report_set *set, const report_def *rep, const char *lang, int year, int term,
                      char *err, size_t errsz)
{
    const esis_conf *c = set->conf;
    conf_round r;
    int fy;
    char what[160];
    if (!conf_term_round(c, year, term, &r, &fy)) {
        snprintf(err, errsz, "%s: %s: %d", rep->name, conf_msg_lang(c, lang, "report.bad_term"), term);
        return 2;
    }
    snprintf(what, sizeof what, "%s %d %s %s", conf_msg_lang(c, lang, "report.term"), term,
             conf_msg_lang(c, lang, "report.round"), r.code);
    if (!rounds_exists(set->db, r.code)) {
        snprintf(err, errsz, "%s: %s %s (%s)", rep->name, conf_msg_lang(c, lang, "period.no_round"), r.code, what);
        return 1;
    }
    if (!rounds_has_students(set->db, r.code)) {
        snprintf(err, errsz, "%s: %s %s (%s)", rep->name, conf_msg_lang(c, lang, "period.no_students"), r.code, what);
        return 1;
    }
    return check_rates(set, rep, lang, fy, what, err, errsz);
}

/* The period asked for must be one the database holds, of a collection the
 * report reads: a report of a round that does not exist printed a believable
 * "150 small schools, 0 students", and a DMC report on a B-obec round a
 * table of zeros.  1 (no data) or 2 (the wrong kind of round) with err. */
int report_check_period(const report_set *set, const report_def *rep, const report_params *p,
                        char *err, size_t errsz)
{
    const esis_conf *c = set->conf;
    const char *lang = report_lang(set, p);
    static const char *const COLL[] = { "dmc", "emis", "bobec" };
    conf_round r;
    bool have_round = (rep->params & REPORT_P_ROUND) && p->round && conf_round_get(c, p->round, &r);
    if (have_round) {
        if (!(rep->rounds & (1u << r.collection))) {
            int o = snprintf(err, errsz, "%s: %s", rep->name, conf_msg_lang(c, lang, "period.wrong_collection"));
            for (int k = 0; k < 3 && o > 0 && (size_t)o < errsz; k++)
                if (rep->rounds & (1u << k)) o += snprintf(err + o, errsz - (size_t)o, " %s", COLL[k]);
            if (o > 0 && (size_t)o < errsz)
                snprintf(err + o, errsz - (size_t)o, ", %s %s", conf_msg_lang(c, lang, "period.not_for"), r.code);
            return 2;
        }
        if (!rounds_exists(set->db, r.code)) {
            snprintf(err, errsz, "%s: %s %s", rep->name, conf_msg_lang(c, lang, "period.no_round"), r.code);
            return 1;
        }
        if (r.collection == COLL_DMC && strcmp(rep->collection, "unit") && !rounds_has_students(set->db, r.code)) {
            snprintf(err, errsz, "%s: %s %s", rep->name, conf_msg_lang(c, lang, "period.no_students"), r.code);
            return 1;
        }
    }
    int year = p->year ? p->year : have_round ? r.year : conf_academic_year(text_date_today());
    if (rep->params & REPORT_P_YEAR) {
        if (rounds_in_year(set->db, year) == 0) {
            snprintf(err, errsz, "%s: %s %d", rep->name, conf_msg_lang(c, lang, "period.no_year"), year);
            return 1;
        }
    }
    if (rep->params & REPORT_P_TERM) {
        for (int t = 1; t <= 2; t++) {
            if (p->term && p->term != t) continue;
            int rc = check_term(set, rep, lang, year, t, err, errsz);
            if (rc) return rc;
        }
    } else if (rep->rates && have_round) {
        return check_rates(set, rep, lang, conf_fiscal_year(r.as_of), NULL, err, errsz);
    }
    return 0;
}

/* Bind every named parameter the statement uses. */
static int bind_params(const report_set *set, const report_params *p, sqlite3_stmt *st)
{
    conf_round r;
    bool have_round = p->round && conf_round_get(set->conf, p->round, &r);
    char prev[24] = "", as_of[11] = "";
    if (have_round) {
        if (!rounds_previous(r.code, prev, sizeof prev)) prev[0] = '\0';
        text_date_iso(r.as_of, as_of);
    }
    int year = p->year ? p->year : have_round ? r.year : conf_academic_year(text_date_today());
    for (int i = 1; i <= sqlite3_bind_parameter_count(st); i++) {
        const char *name = sqlite3_bind_parameter_name(st, i);
        int rc = SQLITE_OK;
        if (!name) continue;
        if (!strcmp(name, ":round"))
            rc = have_round ? sqlite3_bind_text(st, i, r.code, -1, SQLITE_TRANSIENT) : sqlite3_bind_null(st, i);
        else if (!strcmp(name, ":prev_round"))
            rc = *prev ? sqlite3_bind_text(st, i, prev, -1, SQLITE_TRANSIENT) : sqlite3_bind_null(st, i);
        else if (!strcmp(name, ":as_of"))
            rc = *as_of ? sqlite3_bind_text(st, i, as_of, -1, SQLITE_TRANSIENT) : sqlite3_bind_null(st, i);
        else if (!strcmp(name, ":year"))
            rc = sqlite3_bind_int(st, i, year);
        else if (!strcmp(name, ":term"))
            rc = p->term ? sqlite3_bind_int(st, i, p->term) : sqlite3_bind_null(st, i);
        else if (!strcmp(name, ":school"))
            rc = p->school ? sqlite3_bind_text(st, i, p->school, -1, SQLITE_TRANSIENT) : sqlite3_bind_null(st, i);
        if (rc != SQLITE_OK) return rc;
    }
    return SQLITE_OK;
}

/* ---- the run ---------------------------------------------------------- */

enum { CELL = 256 };   /* bytes of a formatted number, date or short text */

typedef struct run_state {
    const char **text, **plain;
    double      *value, *sum;
    bool        *null;
    char        *bufs;         /* 2 * ncols * CELL */
} run_state;

static void run_state_free(run_state *s)
{
    free(s->text); free(s->plain); free(s->value); free(s->sum); free(s->null); free(s->bufs);
}

static bool run_state_init(run_state *s, int n)
{
    memset(s, 0, sizeof *s);
    s->text = calloc((size_t)n, sizeof *s->text);
    s->plain = calloc((size_t)n, sizeof *s->plain);
    s->value = calloc((size_t)n, sizeof *s->value);
    s->sum = calloc((size_t)n, sizeof *s->sum);
    s->null = calloc((size_t)n, sizeof *s->null);
    s->bufs = calloc((size_t)n * 2, CELL);
    return s->text && s->plain && s->value && s->sum && s->null && s->bufs;
}

/* Format the current row of st into s; text columns point into SQLite's
 * row (valid until the next step) so a long name is never cut. */
static void format_row(const report_set *set, const report_def *rep, sqlite3_stmt *st,
                       const char *lang, run_state *s)
{
    for (int i = 0; i < rep->ncols; i++) {
        const report_column *c = &rep->cols[i];
        sqlite3_value *v = sqlite3_column_value(st, c->index);
        char *tb = s->bufs + (size_t)i * 2 * CELL, *pb = tb + CELL;
        s->null[i] = sqlite3_column_type(st, c->index) == SQLITE_NULL;
        s->value[i] = s->null[i] ? 0 : sqlite3_column_double(st, c->index);
        if (c->format == REPORT_TEXT) {
            const char *t = (const char *)sqlite3_column_text(st, c->index);
            s->text[i] = s->plain[i] = t ? t : "";
        } else {
            s->text[i] = report_format_value(set, c, v, false, lang, tb, CELL);
            s->plain[i] = c->format == REPORT_CODE || c->format == REPORT_DATE
                        ? s->text[i] : report_format_value(set, c, v, true, lang, pb, CELL);
        }
        if (c->total) s->sum[i] += s->value[i];
    }
}

/* The totals row: sums under total = sum, the word "total" in the first
 * column when that one is not summed. */
static void format_totals(const report_set *set, const report_def *rep, const char *lang, run_state *s)
{
    for (int i = 0; i < rep->ncols; i++) {
        const report_column *c = &rep->cols[i];
        char *tb = s->bufs + (size_t)i * 2 * CELL, *pb = tb + CELL;
        s->null[i] = !c->total;
        s->value[i] = c->total ? s->sum[i] : 0;
        if (c->total) {
            format_number(c, s->sum[i], false, tb, CELL);
            format_number(c, s->sum[i], true, pb, CELL);
            s->text[i] = tb;
            s->plain[i] = pb;
        } else {
            s->text[i] = s->plain[i] = i == 0 ? conf_msg_lang(set->conf, lang, "report.total") : "";
        }
    }
}

int report_run(const report_set *set, const report_def *rep, const report_params *p,
               report_row_fn fn, void *ctx, char *err, size_t errsz)
{
    const char *lang = report_lang(set, p);
    /* the gate reads in the scope of the session of now (a set may be
     * loaded before a login, or run for several sessions in a test) */
    db_gate_session(set->gate, db_session_get(set->db));
    sqlite3 *gdb = db_gate_handle(set->gate);
    if (!report_sqlfn_ensure(gdb, set->conf, lang)) {
        snprintf(err, errsz, "cannot register the report functions: %s", sqlite3_errmsg(gdb));
        return 1;
    }
    sqlite3_stmt *st = NULL;
    run_state s;
    int rc = 0;
    if (!run_state_init(&s, rep->ncols)) { snprintf(err, errsz, "out of memory"); rc = 1; goto done; }
    char why[512];
    if (db_gate_prepare(set->gate, rep->query, &st, NULL, why, sizeof why) != SQLITE_OK) {
        snprintf(err, errsz, "%s: %s", rep->path, why);
        rc = 1;
        goto done;
    }
    if (bind_params(set, p, st) != SQLITE_OK) {
        snprintf(err, errsz, "%s: %s", rep->path, db_gate_error(set->gate));
        rc = 1;
        goto done;
    }
    report_row row = { false, 0, s.text, s.plain, s.value, s.null };
    int step;
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        format_row(set, rep, st, lang, &s);
        row.number++;
        if ((rc = fn(ctx, rep, &row)) != 0) goto done;
    }
    if (step != SQLITE_DONE) {
        snprintf(err, errsz, "%s: %s", rep->path, db_gate_error(set->gate));
        rc = 1;
        goto done;
    }
    if (rep->has_total) {
        format_totals(set, rep, lang, &s);
        row.total = true;
        rc = fn(ctx, rep, &row);
    }
done:
    sqlite3_finalize(st);
    run_state_free(&s);
    return rc;
}

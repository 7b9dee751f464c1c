/*
 * report_sqlfn: the SQL functions through which report queries reach the
 * office's policy numbers in conf/ (size thresholds, subsidy rates per
 * fiscal year and term, grade levels, code labels and groups, the staff
 * norm, the words of messages.ini).  They exist so that a
 * report's SQL stays declarative and no number is written twice: change
 * conf/rates.ini and every report that pays money follows.
 *
 * The functions are registered on the connection the first time a report
 * set is loaded on it and stay until it closes; their context (the conf,
 * the language of the run) is owned by the connection and updated by each
 * load and run, so two sets on one connection never pull the functions
 * from under each other.
 */
#include "report_internal.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct report_sqlfn {
    const esis_conf *conf;
    char             lang[3];
};

static const esis_conf *conf_of(sqlite3_context *cx)
{
    return ((const struct report_sqlfn *)sqlite3_user_data(cx))->conf;
}

static const char *arg_text(sqlite3_value **argv, int i)
{
    return (const char *)sqlite3_value_text(argv[i]);
}

static void fn_size_class(sqlite3_context *cx, int argc, sqlite3_value **argv)
{
    (void)argc;
    if (sqlite3_value_type(argv[0]) == SQLITE_NULL) { sqlite3_result_null(cx); return; }
    long n = (long)sqlite3_value_int64(argv[0]);
    sqlite3_result_text(cx, conf_size_class(conf_of(cx), n), -1, SQLITE_STATIC);
}

/* The yearly rate; an error (not NULL, not 0) when the fiscal year or the
 * component has no figure, so a query can never print a sum with a hole. */
static void fn_rate(sqlite3_context *cx, int argc, sqlite3_value **argv)
{
    (void)argc;
    const struct report_sqlfn *fn = sqlite3_user_data(cx);
    const char *comp = arg_text(argv, 1), *subject = arg_text(argv, 2);
    if (sqlite3_value_type(argv[0]) == SQLITE_NULL || !comp) { sqlite3_result_null(cx); return; }
    double x;
    char why[400];
    int rc = conf_rate_amount(fn->conf, sqlite3_value_int(argv[0]), comp, subject, &x, fn->lang, why, sizeof why);
    if (rc == 2) sqlite3_result_error(cx, why, -1);
    else if (rc == 1) sqlite3_result_null(cx);
    else sqlite3_result_double(cx, x);
}

/* Term t of academic year y: the round it is paid from and its fiscal year.
 * False with the function's result set (NULL for a NULL argument, an error
 * for a term other than 1 or 2). */
static bool term_args(sqlite3_context *cx, sqlite3_value **argv, conf_round *r, int *fy)
{
    if (sqlite3_value_type(argv[0]) == SQLITE_NULL || sqlite3_value_type(argv[1]) == SQLITE_NULL) {
        sqlite3_result_null(cx);
        return false;
    }
    if (!conf_term_round(conf_of(cx), sqlite3_value_int(argv[0]), sqlite3_value_int(argv[1]), r, fy)) {
        sqlite3_result_error(cx, "conf_term_*: the term is 1 or 2", -1);
        return false;
    }
    return true;
}

static void fn_term_rate(sqlite3_context *cx, int argc, sqlite3_value **argv)
{
    (void)argc;
    const struct report_sqlfn *fn = sqlite3_user_data(cx);
    conf_round r;
    int fy;
    const char *comp = arg_text(argv, 2), *grade = arg_text(argv, 3);
    const conf_rate_component *k = conf_rate_component_find(fn->conf, comp);
    if (!term_args(cx, argv, &r, &fy)) return;
    double x;
    char why[400];
    int rc = conf_rate_amount(fn->conf, fy, comp, grade, &x, fn->lang, why, sizeof why);
    if (rc == 2) sqlite3_result_error(cx, why, -1);
    else if (rc == 1 || !k) sqlite3_result_null(cx);
    else sqlite3_result_double(cx, x * k->term_share[sqlite3_value_int(argv[1]) - 1]);
}

static void fn_term_round(sqlite3_context *cx, int argc, sqlite3_value **argv)
{
    (void)argc;
    conf_round r;
    int fy;
    if (term_args(cx, argv, &r, &fy)) sqlite3_result_text(cx, r.code, -1, SQLITE_TRANSIENT);
}

static void fn_term_fiscal_year(sqlite3_context *cx, int argc, sqlite3_value **argv)
{
    (void)argc;
    conf_round r;
    int fy;
    if (term_args(cx, argv, &r, &fy)) sqlite3_result_int(cx, fy);
}

static void fn_rate_label(sqlite3_context *cx, int argc, sqlite3_value **argv)
{
    (void)argc;
    const struct report_sqlfn *fn = sqlite3_user_data(cx);
    const conf_rate_component *k = conf_rate_component_find(fn->conf, arg_text(argv, 0));
    if (!k) { sqlite3_result_null(cx); return; }
    sqlite3_result_text(cx, strcmp(fn->lang, "en") ? k->label_th : k->label_en, -1, SQLITE_TRANSIENT);
}

static void fn_rate_poor_only(sqlite3_context *cx, int argc, sqlite3_value **argv)
{
    (void)argc;
    const conf_rate_component *k = conf_rate_component_find(conf_of(cx), arg_text(argv, 0));
    if (!k) sqlite3_result_null(cx);
    else sqlite3_result_int(cx, k->poor_only);
}

/* Whether a poor student's screening (form นร.01) supports the flag, by
 * conf/rates.ini [poor_screening]: 1 yes, 0 no, NULL when there is no
 * screening data.  The same judgement as the rules dmc.poor_* (which flag
 * each failing part): household income a month at most the limit per
 * member, and the criteria met ("1 4 7", codes of conf/codes.ini
 * [poor_criterion]) at least criteria_min. */
static void fn_poor_supported(sqlite3_context *cx, int argc, sqlite3_value **argv)
{
    (void)argc;
    const esis_conf *c = conf_of(cx);
    if (sqlite3_value_type(argv[0]) == SQLITE_NULL || sqlite3_value_type(argv[1]) == SQLITE_NULL) {
        sqlite3_result_null(cx);
        return;
    }
    double members = sqlite3_value_double(argv[0]), income = sqlite3_value_double(argv[1]);
    const char *crit = arg_text(argv, 2);
    int n = 0;
    bool ok = members >= 1 && income <= members * c->poor_income_per_member_month;
    /* the criteria: codes of conf/codes.ini [poor_criterion], one space apart */
    const conf_codelist *list = conf_codes(c, "poor_criterion");
    for (const char *q = crit; ok && q && *q;) {
        size_t len = strcspn(q, " ");
        char code[16];
        ok = len > 0 && len < sizeof code && (q[len] == '\0' || q[len + 1] != '\0');
        if (ok) {
            snprintf(code, sizeof code, "%.*s", (int)len, q);
            ok = list && conf_code_find(list, code) && !strcmp(conf_code_find(list, code)->code, code);
        }
        n++;
        q += len + (q[len] == ' ');
    }
    sqlite3_result_int(cx, ok && n >= c->poor_criteria_min);
}

static void fn_msg(sqlite3_context *cx, int argc, sqlite3_value **argv)
{
    (void)argc;
    const struct report_sqlfn *fn = sqlite3_user_data(cx);
    const char *key = arg_text(argv, 0);
    if (!key) { sqlite3_result_null(cx); return; }
    sqlite3_result_text(cx, conf_msg_lang(fn->conf, fn->lang, key), -1, SQLITE_TRANSIENT);
}

static void fn_grade_level(sqlite3_context *cx, int argc, sqlite3_value **argv)
{
    (void)argc;
    const char *g = arg_text(argv, 0);
    if (!g) { sqlite3_result_null(cx); return; }
    sqlite3_result_text(cx, conf_grade_level(conf_of(cx), g), -1, SQLITE_TRANSIENT);
}

static void fn_code_label(sqlite3_context *cx, int argc, sqlite3_value **argv)
{
    (void)argc;
    const struct report_sqlfn *fn = sqlite3_user_data(cx);
    const char *list = arg_text(argv, 0), *code = arg_text(argv, 1);
    if (!list || !code) { sqlite3_result_null(cx); return; }
    sqlite3_result_text(cx, conf_code_label(fn->conf, list, code, fn->lang), -1, SQLITE_TRANSIENT);
}

static void fn_code_group(sqlite3_context *cx, int argc, sqlite3_value **argv)
{
    (void)argc;
    const char *list = arg_text(argv, 0), *code = arg_text(argv, 1);
    const conf_code *k = list && code ? conf_code_find(conf_codes(conf_of(cx), list), code) : NULL;
    if (!k) { sqlite3_result_null(cx); return; }
    sqlite3_result_text(cx, k->group, -1, SQLITE_TRANSIENT);
}

static void fn_code_order(sqlite3_context *cx, int argc, sqlite3_value **argv)
{
    (void)argc;
    const char *list = arg_text(argv, 0), *code = arg_text(argv, 1);
    const conf_codelist *l = list ? conf_codes(conf_of(cx), list) : NULL;
    const conf_code *k = l && code ? conf_code_find(l, code) : NULL;
    if (!k) { sqlite3_result_null(cx); return; }
    sqlite3_result_int(cx, (int)(k - l->v));
}

static void fn_students_per_teacher(sqlite3_context *cx, int argc, sqlite3_value **argv)
{
    (void)argc; (void)argv;
    sqlite3_result_double(cx, conf_of(cx)->students_per_teacher);
}

typedef struct fn_entry {
    const char *name;
    int         nargs;
    void      (*fn)(sqlite3_context *, int, sqlite3_value **);
    bool        deterministic;   /* conf_code_label follows the language */
} fn_entry;

static const fn_entry FUNCTIONS[] = {
    { "conf_size_class", 1, fn_size_class, true },
    { "conf_rate", 3, fn_rate, false },
    { "conf_term_rate", 4, fn_term_rate, false },
    { "conf_term_round", 2, fn_term_round, true },
    { "conf_term_fiscal_year", 2, fn_term_fiscal_year, true },
    { "conf_rate_label", 1, fn_rate_label, false },
    { "conf_rate_poor_only", 1, fn_rate_poor_only, true },
    { "conf_msg", 1, fn_msg, false },
    { "conf_poor_supported", 3, fn_poor_supported, true },
    { "conf_grade_level", 1, fn_grade_level, true },
    { "conf_code_label", 2, fn_code_label, false },
    { "conf_code_group", 2, fn_code_group, true },
    { "conf_code_order", 2, fn_code_order, true },
    { "conf_students_per_teacher", 0, fn_students_per_teacher, true },
};
enum { NFUNCTIONS = sizeof FUNCTIONS / sizeof FUNCTIONS[0] };

/* The hidden function that hands back the connection's context, so that
 * every report set and run on the connection finds the same one (as the db
 * layer finds its state with esis_state()). */
static void fn_state(sqlite3_context *cx, int argc, sqlite3_value **argv)
{
    (void)argc; (void)argv;
    sqlite3_result_int64(cx, (sqlite3_int64)(intptr_t)sqlite3_user_data(cx));
}

static struct report_sqlfn *lookup(sqlite3 *db)
{
    sqlite3_stmt *st = NULL;
    struct report_sqlfn *fn = NULL;
    if (sqlite3_prepare_v2(db, "SELECT report_sqlfn_state()", -1, &st, NULL) == SQLITE_OK &&
        sqlite3_step(st) == SQLITE_ROW)
        fn = (struct report_sqlfn *)(intptr_t)sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return fn;
}

struct report_sqlfn *report_sqlfn_ensure(sqlite3 *db, const esis_conf *conf, const char *lang)
{
    struct report_sqlfn *fn = lookup(db);
    if (!fn) {
        fn = calloc(1, sizeof *fn);
        if (!fn) return NULL;
        /* The connection owns fn from here: freed when it closes. */
        if (sqlite3_create_function_v2(db, "report_sqlfn_state", 0, SQLITE_UTF8, fn, fn_state,
                                       NULL, NULL, free) != SQLITE_OK)
            return NULL;
        for (int i = 0; i < NFUNCTIONS; i++) {
            int flags = SQLITE_UTF8 | (FUNCTIONS[i].deterministic ? SQLITE_DETERMINISTIC : 0);
            if (sqlite3_create_function_v2(db, FUNCTIONS[i].name, FUNCTIONS[i].nargs, flags, fn,
                                           FUNCTIONS[i].fn, NULL, NULL, NULL) != SQLITE_OK)
                return NULL;
        }
    }
    fn->conf = conf;
    snprintf(fn->lang, sizeof fn->lang, "%s", lang && !strcmp(lang, "en") ? "en" : "th");
    return fn;
}

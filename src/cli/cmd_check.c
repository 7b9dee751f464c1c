/*
 * cmd_check.c: `esis check` — the batch check of a round (the office's
 * "verify the data" step), for scripts, cron and the officer at a shell.
 *
 *   esis check [--round R] [--school CODE] [--rule ID]... [--format text|csv] [--lang th|en]
 *
 * Prints one line per flag (CSV columns table,key,school_code,rule,
 * severity,field,message), then in the text format a summary per school
 * and per rule.  The flags are also stored in the flags table, replacing
 * the previous check of the same round and schools in one transaction, and
 * each school's submission gets its error and warning counts, so the TUI
 * and the dashboards show the same result (rules_check_store, shared with
 * the TUI's check).  A school officer checks only
 * their own schools.  Exit status: 0 no error-level flag, 1 some, 2 a
 * usage or load error.
 *
 * --rule ID (repeatable, shell patterns: 'dmc.*') checks only those rules:
 * their flags are printed and not stored, so the flags table keeps the
 * last whole check (a part of the rules cannot replace it).
 */
#include "esis/cli.h"
#include "esis/db.h"

#include <csv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct tally { const char *name; long errors, warnings; } tally;

typedef struct check_run {
    esis_app     *app;
    const char   *round;
    bool          csv;
    const char   *lang;
    tally        *schools; int nschools, capschools;
    tally        *rules;   int nrules, caprules;
    long          errors, warnings;
    char          err[512];
} check_run;

/* Count a hit under name (names are copied: hits live only in the
 * callback).  The tallies stay sorted by name and are found by binary
 * search: a round of a million students has 3,000 schools and tens of
 * thousands of flags, and a scan of the list per flag was a tenth of the
 * check.  The summary lists them in that order (school code, rule id). */
static void count(tally **v, int *n, int *cap, const char *name, rules_severity sev)
{
    if (!name) name = "";
    int lo = 0, hi = *n;
    while (lo < hi) {
        int mid = lo + (hi - lo) / 2;
        int c = strcmp((*v)[mid].name, name);
        if (c == 0) { lo = hi = mid; break; }
        if (c < 0) lo = mid + 1;
        else hi = mid;
    }
    int i = lo;
    if (i == *n || strcmp((*v)[i].name, name) != 0) {
        if (*n == *cap) {
            int c = *cap ? *cap * 2 : 32;
            tally *nv = realloc(*v, (size_t)c * sizeof *nv);
            if (!nv) return;
            *v = nv;
            *cap = c;
        }
        char *copy = strdup(name);
        if (!copy) return;
        memmove(&(*v)[i + 1], &(*v)[i], (size_t)(*n - i) * sizeof **v);
        (*v)[i] = (tally){ copy, 0, 0 };
        (*n)++;
    }
    if (sev == RULES_ERROR) (*v)[i].errors++;
    else (*v)[i].warnings++;
}

static void csv_field(const char *s, bool last)
{
    csv_fwrite(stdout, s ? s : "", s ? strlen(s) : 0);
    fputs(last ? "\r\n" : ",", stdout);
}

static int on_hit(const rules_hit *h, void *user)
{
    check_run *c = user;
    const char *sev = h->severity == RULES_ERROR ? "error" : "warning";
    if (c->csv) {
        csv_field(h->table, false);
        csv_field(h->key, false);
        csv_field(h->school_code, false);
        csv_field(h->rule_id, false);
        csv_field(sev, false);
        csv_field(h->field, false);
        csv_field(h->message, true);
    } else {
        printf("%s\t%s\t%s %s\t%s\t%s\t%s\n", h->school_code ? h->school_code : "-",
               app_msg(c->app, h->severity == RULES_ERROR ? "check.error" : "check.warning"),
               h->table, h->key ? h->key : "", h->rule_id, h->field ? h->field : "",
               h->message);
    }
    count(&c->schools, &c->nschools, &c->capschools, h->school_code, h->severity);
    count(&c->rules, &c->nrules, &c->caprules, h->rule_id, h->severity);
    if (h->severity == RULES_ERROR) c->errors++;
    else c->warnings++;
    return 0;
}

static void summary(check_run *c)
{
    printf("\n%s\n", app_msg(c->app, "check.by_school"));
    for (int i = 0; i < c->nschools; i++)
        printf("  %-12s %s %ld, %s %ld\n", c->schools[i].name[0] ? c->schools[i].name : "-",
               app_msg(c->app, "check.errors"), c->schools[i].errors,
               app_msg(c->app, "check.warnings"), c->schools[i].warnings);
    printf("\n%s\n", app_msg(c->app, "check.by_rule"));
    for (int i = 0; i < c->nrules; i++)
        printf("  %-36s %ld\n", c->rules[i].name, c->rules[i].errors + c->rules[i].warnings);
    printf("\n%s: %s %ld, %s %ld\n", app_msg(c->app, "check.total"),
           app_msg(c->app, "check.errors"), c->errors,
           app_msg(c->app, "check.warnings"), c->warnings);
}

static void run_free(check_run *c)
{
    for (int i = 0; i < c->nschools; i++) free((char *)c->schools[i].name);
    for (int i = 0; i < c->nrules; i++) free((char *)c->rules[i].name);
    free(c->schools);
    free(c->rules);
}

static int run(esis_app *app, int argc, char **argv)
{
    const char *round = NULL, *school = NULL, *format = "text", *lang = NULL;
    const char **only = calloc((size_t)argc + 1, sizeof *only);
    int nonly = 0;
    if (!only) return cli_fail(2, "check: out of memory");
    for (int i = 1; i < argc; i++) {
        const char *v;
        if ((v = cli_opt_value(argc, argv, &i, "--rule"))) only[nonly++] = v;
        else if ((v = cli_opt_value(argc, argv, &i, "--round"))) round = v;
        else if ((v = cli_opt_value(argc, argv, &i, "--school"))) school = v;
        else if ((v = cli_opt_value(argc, argv, &i, "--format"))) format = v;
        else if ((v = cli_opt_value(argc, argv, &i, "--lang"))) lang = v;
        else { free(only); return cli_fail(2, "check: unknown argument '%s'", argv[i]); }
    }
    int left = nonly ? rules_select(app->rules, only, nonly) : -1;
    free(only);
    if (left == 0)
        return cli_fail(2, "check: no rule matches --rule (esis rules list shows them)");
    if (strcmp(format, "text") != 0 && strcmp(format, "csv") != 0)
        return cli_fail(2, "check: --format is text or csv, not '%s'", format);
    if (lang && strcmp(lang, "th") != 0 && strcmp(lang, "en") != 0)
        return cli_fail(2, "check: --lang is th or en, not '%s'", lang);
    if (lang) app->lang = lang;
    rules_env env;
    conf_round r;
    if (!app_rules_env(app, round, &env, &r))
        return cli_fail(2, "check: '%s' is not a round code", round);
    int refused = cli_school_in_scope(app, school);
    if (refused)
        return refused;
    check_run c = { .app = app, .round = env.round_code, .csv = format[0] == 'c',
                    .lang = app->lang ? app->lang : "th" };
    if (c.csv)
        fputs("table,key,school_code,rule,severity,field,message\r\n", stdout);
    /* stored as the TUI's check stores it (rules_check_store); a part of
     * the rules only printed */
    int rc;
    const db_session *who = db_session_get(app->db);
    if (left < 0)
        rc = rules_check_store(app->rules, app->db, &env, school, c.lang, on_hit, &c, NULL,
                               c.err, sizeof c.err);
    else if (school || !who || who->all_schools)
        rc = rules_check_round(app->rules, app->db, &env, school, c.lang, on_hit, &c, c.err, sizeof c.err);
    else    /* a school officer: their schools, one by one */
        for (int k = rc = 0; k < who->nschools && rc == 0; k++)
            rc = rules_check_round(app->rules, app->db, &env, who->schools[k], c.lang, on_hit, &c,
                                   c.err, sizeof c.err);
    if (rc != 0) {
        run_free(&c);
        return cli_fail(2, "check: %s", c.err);
    }
    if (!c.csv)
        summary(&c);
    long errors = c.errors;
    run_free(&c);
    return errors ? 1 : 0;
}

const esis_cmd cmd_check = {
    "check", "check [--round R] [--school CODE] [--rule ID]... [--format text|csv] [--lang th|en]",
    "cmd.check", APP_CONF | APP_DB | APP_LOGIN | APP_RULES, run,
};

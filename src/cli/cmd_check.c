/*
 * cmd_check.c: `esis check` — the batch check of a round (the office's
 * "verify the data" step), for scripts, cron and the officer at a shell.
 *
 *   esis check [--round R] [--school CODE] [--format text|csv] [--lang th|en]
 *
 * Prints one line per flag (CSV columns table,key,school_code,rule,
 * severity,field,message), then in the text format a summary per school
 * and per rule.  The flags are also stored in the flags table, replacing
 * the previous check of the same round and schools in one transaction, and
 * each school's submission gets its error and warning counts, so the TUI
 * and the dashboards show the same result.  A school officer checks only
 * their own schools.  Exit status: 0 no error-level flag, 1 some, 2 a
 * usage or load error.
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
    sqlite3_stmt *insert;
    tally        *schools; int nschools, capschools;
    tally        *rules;   int nrules, caprules;
    long          errors, warnings;
    bool          failed;
    char          err[512];
} check_run;

/* Count a hit under name (names are copied: hits live only in the callback). */
static void count(tally **v, int *n, int *cap, const char *name, rules_severity sev)
{
    if (!name) name = "";
    int i = 0;
    while (i < *n && strcmp((*v)[i].name, name) != 0) i++;
    if (i == *n) {
        if (*n == *cap) {
            int c = *cap ? *cap * 2 : 32;
            tally *nv = realloc(*v, (size_t)c * sizeof *nv);
            if (!nv) return;
            *v = nv;
            *cap = c;
        }
        char *copy = strdup(name);
        if (!copy) return;
        (*v)[(*n)++] = (tally){ copy, 0, 0 };
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
    sqlite3_stmt *st = c->insert;
    if (!st) return 0;               /* a viewer's check: printed, not stored */
    sqlite3_bind_text(st, 1, c->round, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, h->table, -1, SQLITE_STATIC);
    if (h->row_id) sqlite3_bind_int64(st, 3, h->row_id);
    else sqlite3_bind_null(st, 3);
    sqlite3_bind_text(st, 4, h->key, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 5, h->school_code, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 6, h->rule_id, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 7, sev, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 8, h->field, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 9, h->message_th, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 10, h->message_en, -1, SQLITE_STATIC);
    int rc = db_step(st);
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    if (rc != SQLITE_DONE) {
        snprintf(c->err, sizeof c->err, "flags: %s", sqlite3_errmsg(c->app->db));
        c->failed = true;
        return 1;
    }
    return 0;
}

/* Forget the previous check of these schools, then count per submission. */
static int store_begin(check_run *c, const char *school)
{
    char err[400];
    if (db_begin(c->app->db) != SQLITE_OK) {
        snprintf(c->err, sizeof c->err, "%s", sqlite3_errmsg(c->app->db));
        return -1;
    }
    sqlite3_stmt *st;
    if (db_prepare(c->app->db, "DELETE FROM flags WHERE round_code = ?1 AND (?2 IS NULL OR school_code = ?2)",
                   &st) != SQLITE_OK)
        goto fail;
    sqlite3_bind_text(st, 1, c->round, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, school, -1, SQLITE_STATIC);
    int rc = db_step(st);
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE)
        goto fail;
    if (!c->insert && db_prepare(c->app->db,
            "INSERT INTO flags(round_code, table_name, row_id, row_key, school_code, rule_id,"
            " severity, field, message_th, message_en) VALUES (?,?,?,?,?,?,?,?,?,?)",
            &c->insert) != SQLITE_OK)
        goto fail;
    return 0;
fail:
    snprintf(err, sizeof err, "%s", sqlite3_errmsg(c->app->db));
    snprintf(c->err, sizeof c->err, "flags: %s", err);
    db_rollback(c->app->db);
    return -1;
}

static int store_finish(check_run *c, const char *school)
{
    sqlite3_stmt *st;
    int rc = db_prepare(c->app->db,
        "UPDATE submissions SET"
        " errors = (SELECT count(*) FROM flags f WHERE f.round_code = submissions.round_code"
        "   AND f.school_code = submissions.school_code AND f.severity = 'error'),"
        " warnings = (SELECT count(*) FROM flags f WHERE f.round_code = submissions.round_code"
        "   AND f.school_code = submissions.school_code AND f.severity = 'warning'),"
        " checked_at = strftime('%Y-%m-%dT%H:%M:%S','now')"
        " WHERE round_code = ?1 AND (?2 IS NULL OR school_code = ?2)", &st);
    if (rc == SQLITE_OK) {
        sqlite3_bind_text(st, 1, c->round, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 2, school, -1, SQLITE_STATIC);
        rc = db_step(st) == SQLITE_DONE ? SQLITE_OK : SQLITE_ERROR;
        sqlite3_finalize(st);
    }
    if (rc != SQLITE_OK || db_commit(c->app->db) != SQLITE_OK) {
        snprintf(c->err, sizeof c->err, "submissions: %s", sqlite3_errmsg(c->app->db));
        db_rollback(c->app->db);
        return -1;
    }
    return 0;
}

/* One school (or all, school NULL): check, store, in one transaction. */
static int check_one(check_run *c, const rules_env *env, const char *school)
{
    /* Those who may not write (viewers) see the findings; the stored flags
     * and the submissions' counts stay as the last writer's check left them. */
    const db_session *who = db_session_get(c->app->db);
    if (who && !who->may_write) {
        char err[512] = "";
        if (rules_check_round(c->app->rules, c->app->db, env, school, c->lang, on_hit, c, err, sizeof err) != 0) {
            snprintf(c->err, sizeof c->err, "%s", err);
            return -1;
        }
        return 0;
    }
    if (store_begin(c, school) < 0)
        return -1;
    char err[512] = "";
    if (rules_check_round(c->app->rules, c->app->db, env, school, c->lang, on_hit, c,
                          err, sizeof err) != 0 || c->failed) {
        if (!c->failed) snprintf(c->err, sizeof c->err, "%s", err);
        db_rollback(c->app->db);
        return -1;
    }
    return store_finish(c, school);
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
    sqlite3_finalize(c->insert);
}

static int run(esis_app *app, int argc, char **argv)
{
    const char *round = NULL, *school = NULL, *format = "text", *lang = NULL;
    for (int i = 1; i < argc; i++) {
        const char *v;
        if ((v = cli_opt_value(argc, argv, &i, "--round"))) round = v;
        else if ((v = cli_opt_value(argc, argv, &i, "--school"))) school = v;
        else if ((v = cli_opt_value(argc, argv, &i, "--format"))) format = v;
        else if ((v = cli_opt_value(argc, argv, &i, "--lang"))) lang = v;
        else return cli_fail(2, "check: unknown argument '%s'", argv[i]);
    }
    if (strcmp(format, "text") != 0 && strcmp(format, "csv") != 0)
        return cli_fail(2, "check: --format is text or csv, not '%s'", format);
    if (lang && strcmp(lang, "th") != 0 && strcmp(lang, "en") != 0)
        return cli_fail(2, "check: --lang is th or en, not '%s'", lang);
    if (lang) app->lang = lang;
    rules_env env;
    conf_round r;
    if (!app_rules_env(app, round, &env, &r))
        return cli_fail(2, "check: '%s' is not a round code", round);
    if (school && !db_scope_allows(app->db, school))
        return cli_fail(2, "check: school %s is not one of yours", school);
    check_run c = { .app = app, .round = env.round_code, .csv = format[0] == 'c',
                    .lang = app->lang ? app->lang : "th" };
    if (c.csv)
        fputs("table,key,school_code,rule,severity,field,message\r\n", stdout);
    const db_session *s = db_session_get(app->db);
    int rc = 0;
    if (school || !s || s->all_schools)
        rc = check_one(&c, &env, school);
    else
        for (int i = 0; i < s->nschools && rc == 0; i++)
            rc = check_one(&c, &env, s->schools[i]);
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
    "check", "check [--round R] [--school CODE] [--format text|csv] [--lang th|en]",
    "cmd.check", APP_CONF | APP_DB | APP_LOGIN | APP_RULES, run,
};

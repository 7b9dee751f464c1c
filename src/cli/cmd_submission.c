/*
 * cmd_submission.c: `esis submission` — each school's state in a round.
 *
 *   esis submission list [--round R] [--state S] [--school CODE]
 *   esis submission submit --school CODE [--round R]
 *   esis submission return --school CODE --reason TEXT [--round R]
 *   esis submission confirm --school CODE [--round R] [--override TEXT]
 *   esis submission reopen --school CODE [--round R] [--until DD/MM/YYYY]
 *
 * A school submits only with no error-level flag: submit runs the round's
 * rules over the school first and stores the findings (as esis check
 * does), so the decision rests on the data as it is now, not on an old
 * check, and the list then shows the count the refusal named.  The list's
 * counts are the open flags, stamped with the check that found them.
 */
#include "esis/cli.h"
#include "esis/db.h"
#include "esis/rounds.h"

#include <stdio.h>
#include <string.h>

/* The office's dashboard from the same view as the TUI's: errors and
 * warnings are the school's open flags counted now, stamped with the check
 * that found them (the school's or the whole round's last); a school never
 * checked shows "-", not 0.  The first line says what the list is as of. */
static int list(esis_app *app, const char *round, const char *state, const char *school)
{
    char scope[128];
    char sql[1400];
    snprintf(sql, sizeof sql,
             "SELECT school_code, name_th, state, students, errors, warnings,"
             " coalesce(strftime('%%Y-%%m-%%dT%%H:%%M', checked, 'localtime'), ''),"
             " coalesce(last_change, ''), coalesce(reason, '')"
             " FROM submission_overview WHERE round_code = ?1 AND %s AND (?2 IS NULL OR state = ?2)"
             " AND (?3 IS NULL OR school_code = ?3) ORDER BY school_code",
             db_scope_sql(app->db, "school_code", scope, sizeof scope));
    sqlite3_stmt *st = NULL;
    if (db_prepare(app->db, sql, &st) != SQLITE_OK) return cli_fail(1, "%s", sqlite3_errmsg(app->db));
    sqlite3_bind_text(st, 1, round, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, state, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, school, -1, SQLITE_STATIC);
    char at[24], shown[32];
    if (rounds_last_check(app->db, round, at, sizeof at))
        printf("%s %s   %s %s\n", app_msg(app, "report.round"), round, app_msg(app, "period.checked"),
               text_datetime_be(at, shown, sizeof shown));
    else
        printf("%s %s   %s\n", app_msg(app, "report.round"), round, app_msg(app, "period.never_checked"));
    printf("%s\n", app_msg(app, "period.errors_as_of"));
    printf("%-10s  %-34s  %-12s %8s %6s %6s  %-16s  %s\n", "school", "name", "state", "students", "errors", "warn",
           "checked", "last change");
    while (db_step(st) == SQLITE_ROW) {
        char name[160], errors[24], warnings[24];
        text_fit(name, sizeof name, (const char *)sqlite3_column_text(st, 1), 34, 'l', true);
        bool checked = sqlite3_column_type(st, 4) != SQLITE_NULL;
        snprintf(errors, sizeof errors, checked ? "%lld" : "-", sqlite3_column_int64(st, 4));
        snprintf(warnings, sizeof warnings, checked ? "%lld" : "-", sqlite3_column_int64(st, 5));
        const char *c = (const char *)sqlite3_column_text(st, 6);
        printf("%-10s  %s  %-12s %8lld %6s %6s  %-16s  %s%s%s\n", (const char *)sqlite3_column_text(st, 0), name,
               (const char *)sqlite3_column_text(st, 2), sqlite3_column_int64(st, 3), errors, warnings,
               *c ? text_datetime_be(c, shown, sizeof shown) : "-", (const char *)sqlite3_column_text(st, 7),
               *(const char *)sqlite3_column_text(st, 8) ? "  " : "", (const char *)sqlite3_column_text(st, 8));
    }
    sqlite3_finalize(st);
    return 0;
}

static int run(esis_app *app, int argc, char **argv)
{
    const char *round = NULL, *school = NULL, *reason = NULL, *until = NULL, *state = NULL, *override = NULL;
    const char *sub = argc > 1 ? argv[1] : "list";
    for (int i = 2; i < argc; i++) {
        const char *v;
        if ((v = cli_opt_value(argc, argv, &i, "--round"))) round = v;
        else if ((v = cli_opt_value(argc, argv, &i, "--school"))) school = v;
        else if ((v = cli_opt_value(argc, argv, &i, "--reason"))) reason = v;
        else if ((v = cli_opt_value(argc, argv, &i, "--until"))) until = v;
        else if ((v = cli_opt_value(argc, argv, &i, "--state"))) state = v;
        else if ((v = cli_opt_value(argc, argv, &i, "--override"))) override = v;
        else return cli_fail(2, "submission: unknown argument '%s'", argv[i]);
    }
    rules_env env;
    conf_round r;
    if (!app_rules_env(app, round, &env, &r)) return cli_fail(2, "'%s' is not a round code", round);
    round = r.code;
    /* the school code as the form and the importer clean it */
    char school_code[64];
    school = cli_norm(NORM_DIGITS, school, school_code, sizeof school_code);
    int refused = cli_school_in_scope(app, school);
    if (refused) return refused;
    if (!strcmp(sub, "list")) return list(app, round, state, school);
    if (!school) return cli_fail(2, "submission %s needs --school CODE", sub);
    char err[600], until_iso[11], until_buf[64];
    const char *until_arg = NULL;
    if (until) {
        /* a date as the form reads it: DD/MM/YYYY BE, Thai digits too */
        text_date d;
        if (!text_date_parse(cli_norm(NORM_DATE, until, until_buf, sizeof until_buf), &d))
            return cli_fail(2, "--until: '%s' is not a date", until);
        text_date_iso(d, until_iso);
        until_arg = until_iso;
    }
    rounds_action act;
    rules_store_counts counts = { 0, 0 };
    if (!strcmp(sub, "submit") || !strcmp(sub, "confirm")) {
        act = !strcmp(sub, "submit") ? ROUNDS_SUBMIT : ROUNDS_CONFIRM;
        if (act == ROUNDS_CONFIRM) reason = override;
        /* Stored like esis check (and the TUI's submit): the list then
         * shows the very count a refusal names. */
        if (rules_check_store(app->rules, app->db, &env, school, app->lang, NULL, NULL, &counts, err, sizeof err) != 0)
            return cli_fail(1, "%s", err);
    } else if (!strcmp(sub, "return")) act = ROUNDS_RETURN;
    else if (!strcmp(sub, "reopen")) act = ROUNDS_REOPEN;
    else return cli_fail(2, "submission: unknown action '%s' (list, submit, return, confirm, reopen)", sub);
    if (rounds_submission_act(app->db, round, school, act, counts.errors, reason, until_arg, err, sizeof err) != 0)
        return cli_fail(1, "%s", err);
    printf("%s %s: %s\n", round, school, sub);
    if (act == ROUNDS_CONFIRM && counts.errors > 0)
        printf("%s: %ld, %s\n", app_msg(app, "submission.override_shown"), counts.errors, override);
    return 0;
}

const esis_cmd cmd_submission = {
    "submission", "submission list|submit|return|confirm|reopen [--school CODE] [--round R] [--reason T] [--override T]",
    "cmd.submit", APP_LOGIN | APP_RULES, run,
};

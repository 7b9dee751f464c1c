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
 * rules over the school first, so the decision rests on the data as it is
 * now, not on an old check.
 */
#include "esis/cli.h"
#include "esis/db.h"
#include "esis/rounds.h"

#include <stdio.h>
#include <string.h>

typedef struct count_ctx { long errors, warnings; } count_ctx;

static int count_hit(const rules_hit *h, void *user)
{
    count_ctx *c = user;
    if (h->severity == RULES_ERROR) c->errors++; else c->warnings++;
    return 0;
}

static int list(esis_app *app, const char *round, const char *state, const char *school)
{
    char scope[128];
    char sql[1400];
    snprintf(sql, sizeof sql,
             "SELECT s.school_code, s.name_th, coalesce(b.state, 'not_started'),"
             " (SELECT coalesce(sum(x.n), 0) FROM student_counts x WHERE x.round_code = ?1"
             " AND x.school_code = s.school_code),"
             " coalesce(b.errors, 0), coalesce(b.warnings, 0), coalesce(b.updated_at, ''), coalesce(b.reason, '')"
             " FROM schools s LEFT JOIN submissions b ON b.school_code = s.school_code AND b.round_code = ?1"
             " WHERE %s AND (?2 IS NULL OR coalesce(b.state, 'not_started') = ?2)"
             " AND (?3 IS NULL OR s.school_code = ?3) ORDER BY s.school_code",
             db_scope_sql(app->db, "s.school_code", scope, sizeof scope));
    sqlite3_stmt *st = NULL;
    if (db_prepare(app->db, sql, &st) != SQLITE_OK) return cli_fail(1, "%s", sqlite3_errmsg(app->db));
    sqlite3_bind_text(st, 1, round, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, state, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, school, -1, SQLITE_STATIC);
    printf("%-10s  %-34s  %-12s %8s %6s %6s  %s\n", "school", "name", "state", "students", "errors", "warn", "last change");
    while (db_step(st) == SQLITE_ROW) {
        char name[160];
        text_fit(name, sizeof name, (const char *)sqlite3_column_text(st, 1), 34, 'l', true);
        printf("%-10s  %s  %-12s %8lld %6lld %6lld  %s%s%s\n", (const char *)sqlite3_column_text(st, 0), name,
               (const char *)sqlite3_column_text(st, 2), sqlite3_column_int64(st, 3), sqlite3_column_int64(st, 4),
               sqlite3_column_int64(st, 5), (const char *)sqlite3_column_text(st, 6),
               *(const char *)sqlite3_column_text(st, 7) ? "  " : "", (const char *)sqlite3_column_text(st, 7));
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
    int refused = cli_school_in_scope(app, school);
    if (refused) return refused;
    if (!strcmp(sub, "list")) return list(app, round, state, school);
    if (!school) return cli_fail(2, "submission %s needs --school CODE", sub);
    char err[600], until_iso[11];
    const char *until_arg = NULL;
    if (until) {
        text_date d;
        if (!text_date_parse(until, &d)) return cli_fail(2, "--until: '%s' is not a date", until);
        text_date_iso(d, until_iso);
        until_arg = until_iso;
    }
    rounds_action act;
    count_ctx counts = { 0, 0 };
    if (!strcmp(sub, "submit") || !strcmp(sub, "confirm")) {
        act = !strcmp(sub, "submit") ? ROUNDS_SUBMIT : ROUNDS_CONFIRM;
        if (act == ROUNDS_CONFIRM) reason = override;
        if (rules_check_round(app->rules, app->db, &env, school, app->lang, count_hit, &counts, err, sizeof err) != 0)
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

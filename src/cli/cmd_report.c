/*
 * cmd_report: `esis report`, the report engine without a screen.
 *
 *   esis report --list
 *   esis report NAME [--round R] [--year Y] [--school CODE]
 *                    [--format text|csv|html] [--out PATH]
 *
 * Definitions are loaded and checked from conf/reports/ each run (a broken
 * one stops with its file, section and key: exit 2).  The round defaults
 * to the current DMC round.  The session of the user who runs it is on the
 * connection, so a school officer's report holds only their school.  With
 * --out the file is written beside its final name and renamed when
 * complete, so a failed run never leaves half a report.
 */
#include "esis/cli.h"
#include "esis/report.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

typedef struct report_args {
    bool        list;
    const char *name, *round, *year, *school, *format, *out;
} report_args;

static int parse_args(esis_app *app, int argc, char **argv, report_args *a)
{
    memset(a, 0, sizeof *a);
    for (int i = 1; i < argc; i++) {
        const char *v;
        if (!strcmp(argv[i], "--list")) a->list = true;
        else if ((v = cli_opt_value(argc, argv, &i, "--round"))) a->round = v;
        else if ((v = cli_opt_value(argc, argv, &i, "--year"))) a->year = v;
        else if ((v = cli_opt_value(argc, argv, &i, "--school"))) a->school = v;
        else if ((v = cli_opt_value(argc, argv, &i, "--format"))) a->format = v;
        else if ((v = cli_opt_value(argc, argv, &i, "--out"))) a->out = v;
        else if (argv[i][0] != '-' && !a->name) a->name = argv[i];
        else return cli_fail(2, "report: %s?\n%s", argv[i], app_msg(app, "report.usage"));
    }
    if (!a->list && !a->name) return cli_fail(2, "%s", app_msg(app, "report.usage"));
    return 0;
}

static int write_report(esis_app *app, const report_set *set, const report_def *rep,
                        const report_params *p, report_output kind, const char *out_path)
{
    char err[1024] = "";
    if (!out_path || !strcmp(out_path, "-")) {
        if (report_render(set, rep, p, kind, stdout, err, sizeof err))
            return cli_fail(1, "report %s: %s", rep->name, err);
        return 0;
    }
    size_t n = strlen(out_path) + 16;
    char *tmp = malloc(n);
    if (!tmp) return cli_fail(1, "out of memory");
    snprintf(tmp, n, "%s.part", out_path);
    FILE *fp = fopen(tmp, "w");
    if (!fp) { free(tmp); return cli_fail(1, "%s %s", app_msg(app, "report.cannot_write"), out_path); }
    int rc = report_render(set, rep, p, kind, fp, err, sizeof err);
    if (fclose(fp) != 0 && !rc) { rc = 1; snprintf(err, sizeof err, "%s %s", app_msg(app, "report.cannot_write"), out_path); }
    if (!rc && rename(tmp, out_path) != 0) { rc = 1; snprintf(err, sizeof err, "%s %s", app_msg(app, "report.cannot_write"), out_path); }
    if (rc) unlink(tmp);
    free(tmp);
    return rc ? cli_fail(rc, "report %s: %s", rep->name, err) : 0;
}

static int run(esis_app *app, int argc, char **argv)
{
    report_args a;
    int rc = parse_args(app, argc, argv, &a);
    if (rc) return rc;
    char dir[4200], err[1024] = "";
    snprintf(dir, sizeof dir, "%s/conf/reports", app->home);
    report_set *set = NULL;
    if ((rc = report_load_dir(app->db, app->conf, dir, &set, err, sizeof err)))
        return cli_fail(rc, "%s", err);
    if (a.list) {
        for (int i = 0; i < set->ndefs; i++) printf("%s\n", set->defs[i].name);
        report_set_free(set);
        return 0;
    }
    const report_def *rep = report_find(set, a.name);
    report_output kind = REPORT_OUT_TEXT;
    report_params p = { a.round, 0, a.school, app->lang };
    conf_round current;
    rules_env env;
    if (!rep) rc = cli_fail(2, "%s: %s", a.name, app_msg(app, "report.unknown"));
    else if (a.format && !report_output_parse(a.format, &kind))
        rc = cli_fail(2, "%s: %s", a.format, app_msg(app, "report.bad_format"));
    else if (a.year && (p.year = atoi(a.year)) <= 0)
        rc = cli_fail(2, "%s: %s", a.year, app_msg(app, "report.bad_year"));
    if (!rc && !p.round && (rep->params & REPORT_P_ROUND) && app_rules_env(app, NULL, &env, &current))
        p.round = current.code;
    if (!rc && report_check_params(set, rep, &p, err, sizeof err)) rc = cli_fail(2, "%s", err);
    if (!rc) rc = write_report(app, set, rep, &p, kind, a.out);
    report_set_free(set);
    return rc;
}

const esis_cmd cmd_report = {
    "report",
    "report --list | NAME [--round R] [--year Y] [--school CODE] [--format text|csv|html] [--out PATH]",
    "cmd.report",
    APP_LOGIN,
    run,
};

/*
 * cmd_report: `esis report`, the report engine without a screen.
 *
 *   esis report --list
 *   esis report NAME [--round R] [--year Y] [--term 1|2] [--school CODE]
 *                    [--format text|csv|html|xlsx] [--out PATH]
 *   esis report booklet [--year Y] [--format text|html] [--out PATH]
 *
 * Definitions are loaded and checked from conf/reports/ each run (a broken
 * one stops with its file, section and key: exit 2).  The round defaults
 * to the current DMC round.  The session of the user who runs it is on the
 * connection, so a school officer's report holds only their school.  With
 * --out the file is written beside its final name and renamed when
 * complete, so a failed run never leaves half a report.
 *
 * A name that is not a report but a composite document of conf/documents
 * (the yearly booklet: a [booklet] listing report sections) is rendered by
 * src/unit/booklet.c for the academic year of --year.
 */
#include "esis/booklet.h"
#include "esis/cli.h"
#include "esis/document.h"
#include "esis/report.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

typedef struct report_args {
    bool        list;
    const char *name, *round, *year, *term, *school, *format, *out;
} report_args;

static int parse_args(esis_app *app, int argc, char **argv, report_args *a)
{
    memset(a, 0, sizeof *a);
    for (int i = 1; i < argc; i++) {
        const char *v;
        if (!strcmp(argv[i], "--list")) a->list = true;
        else if ((v = cli_opt_value(argc, argv, &i, "--round"))) a->round = v;
        else if ((v = cli_opt_value(argc, argv, &i, "--year"))) a->year = v;
        else if ((v = cli_opt_value(argc, argv, &i, "--term"))) a->term = v;
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

/* A composite document of conf/documents (the yearly booklet): the report
 * sections it lists, rendered for one academic year (default: this one). */
typedef struct booklet_job {
    esis_app     *app;
    const char   *name;
    int           year;
    report_output kind;
} booklet_job;

static int booklet_to(void *ctx, FILE *out, char *err, size_t errsz)
{
    booklet_job *j = ctx;
    return booklet_render(j->app, j->name, j->year, j->kind, out, err, errsz);
}

static int run_booklet(esis_app *app, const report_args *a)
{
    booklet_job j = { app, a->name, a->year ? atoi(a->year) : conf_academic_year(text_date_today()), REPORT_OUT_TEXT };
    if (a->format && !report_output_parse(a->format, &j.kind))
        return cli_fail(2, "%s: %s", a->format, app_msg(app, "report.bad_format"));
    if (j.year <= 0) return cli_fail(2, "%s: %s", a->year, app_msg(app, "report.bad_year"));
    char err[1024] = "";
    int rc = doc_write_file(app, a->out, booklet_to, &j, err, sizeof err);
    return rc ? cli_fail(rc == 2 ? 2 : 1, "report %s: %s", a->name, err) : 0;
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
    if (!rep && booklet_exists(app, a.name)) {
        report_set_free(set);
        return run_booklet(app, &a);
    }
    report_output kind = REPORT_OUT_TEXT;
    if ((rc = cli_school_in_scope(app, a.school))) {
        report_set_free(set);
        return rc;
    }
    report_params p = { a.round, 0, a.school, app->lang, 0 };
    conf_round current;
    rules_env env;
    if (!rep) rc = cli_fail(2, "%s: %s", a.name, app_msg(app, "report.unknown"));
    else if (a.format && !report_output_parse(a.format, &kind))
        rc = cli_fail(2, "%s: %s", a.format, app_msg(app, "report.bad_format"));
    else if (a.year && (p.year = atoi(a.year)) <= 0)
        rc = cli_fail(2, "%s: %s", a.year, app_msg(app, "report.bad_year"));
    else if (a.term && ((strcmp(a.term, "1") && strcmp(a.term, "2")) || !(p.term = atoi(a.term))))
        rc = cli_fail(2, "%s: %s", a.term, app_msg(app, "report.bad_term"));
    if (!rc && !p.round && (rep->params & REPORT_P_ROUND) && app_rules_env(app, NULL, &env, &current))
        p.round = current.code;
    if (!rc && (rc = report_check_params(set, rep, &p, err, sizeof err))) rc = cli_fail(rc, "%s", err);
    if (!rc) rc = write_report(app, set, rep, &p, kind, a.out);
    report_set_free(set);
    return rc;
}

const esis_cmd cmd_report = {
    "report",
    "report --list | NAME [--round R] [--year Y] [--term 1|2] [--school CODE] [--format text|csv|html|xlsx] [--out PATH]",
    "cmd.report",
    APP_LOGIN,
    run,
};

/*
 * cmd_survey: `esis survey`, satisfaction surveys on the five-level scale.
 *
 *   esis survey add QUESTIONNAIRE --title T --year Y [--evaluation ID]
 *   esis survey answers SURVEY_ID < answers.txt   one respondent a line: 54455
 *   esis survey summary SURVEY_ID [--format text|html] [--out PATH]
 *
 * The answers are a batch: every bad line is refused with its line number
 * and why, and then nothing is saved (exit 1); fix the lines and run the
 * whole batch again.
 */
#include "esis/cli.h"
#include "esis/survey.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void bad_line(void *ctx, long line_no, const char *why)
{
    esis_app *app = ctx;
    fprintf(stderr, "esis survey: %s %ld: %s\n", app_msg(app, "survey.line"), line_no, why);
}

typedef struct summary_job { esis_app *app; long long id; doc_output kind; } summary_job;

static int summary_to(void *ctx, FILE *out, char *err, size_t errsz)
{
    summary_job *j = ctx;
    return survey_render(j->app, j->id, j->kind, false, out, err, errsz);
}

static int run(esis_app *app, int argc, char **argv)
{
    const char *sub = argc > 1 ? argv[1] : "", *id = NULL, *format = NULL, *out = NULL, *title = NULL,
               *year = NULL, *eval = NULL;
    for (int i = 2; i < argc; i++) {
        const char *v;
        if ((v = cli_opt_value(argc, argv, &i, "--format"))) format = v;
        else if ((v = cli_opt_value(argc, argv, &i, "--title"))) title = v;
        else if ((v = cli_opt_value(argc, argv, &i, "--year"))) year = v;
        else if ((v = cli_opt_value(argc, argv, &i, "--evaluation"))) eval = v;
        else if ((v = cli_opt_value(argc, argv, &i, "--out"))) out = v;
        else if (argv[i][0] != '-' && !id) id = argv[i];
        else return cli_fail(2, "survey: %s?\n%s", argv[i], app_msg(app, "survey.usage"));
    }
    char err[1024] = "";
    if (!strcmp(sub, "add") && id) {
        long long sid = 0;
        /* numbers as the form reads them: Thai digits, "2,567" */
        char y[32], e[32];
        year = cli_norm(NORM_INT, year, y, sizeof y);
        eval = cli_norm(NORM_INT, eval, e, sizeof e);
        if (survey_create(app, id, title, year ? atoi(year) : 0, eval ? atoll(eval) : 0, &sid, err, sizeof err))
            return cli_fail(1, "survey: %s", err);
        printf("%s %lld\n", app_msg(app, "survey.added"), sid);
        return 0;
    }
    long long n;
    if (!cli_parse_id(id, &n)) return cli_fail(2, "%s", app_msg(app, "survey.usage"));
    if (!strcmp(sub, "answers")) {
        long good = 0, bad = 0;
        if (survey_answers_read(app, n, stdin, bad_line, app, &good, &bad, err, sizeof err))
            return cli_fail(1, "survey: %s", err);
        printf("%s %ld\n", app_msg(app, "survey.stored"), good);
        return 0;
    }
    if (!strcmp(sub, "summary")) {
        summary_job j = { app, n, DOC_TEXT };
        if (format && !doc_output_parse(format, &j.kind)) return cli_fail(2, "%s: %s", app_msg(app, "print.bad_format"), format);
        if (doc_write_file(app, out, summary_to, &j, err, sizeof err)) return cli_fail(1, "survey: %s", err);
        return 0;
    }
    return cli_fail(2, "%s", app_msg(app, "survey.usage"));
}

const esis_cmd cmd_survey = {
    "survey",
    "survey add QUESTIONNAIRE --title T --year Y [--evaluation ID] | answers SURVEY_ID (< lines) | summary SURVEY_ID [--format text|html] [--out PATH]",
    "cmd.survey",
    APP_LOGIN,
    run,
};

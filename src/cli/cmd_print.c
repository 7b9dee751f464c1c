/*
 * cmd_print: `esis print`, the unit's forms as documents.
 *
 *   esis print FORM ID [--format text|html] [--out PATH]
 *
 * FORM is a layout of conf/documents/ (coordination_record, info_report,
 * analysis_record, access_request, analysis_report, tracking,
 * evaluation_summary); ID the row of its table.  With --out the file is
 * written whole or not at all.
 */
#include "esis/cli.h"
#include "esis/document.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct print_job {
    esis_app   *app;
    const char *form;
    long long   id;
    doc_output  kind;
} print_job;

static int print_to(void *ctx, FILE *out, char *err, size_t errsz)
{
    print_job *j = ctx;
    return doc_print(j->app, j->form, j->id, j->kind, out, err, errsz);
}

static int run(esis_app *app, int argc, char **argv)
{
    const char *form = NULL, *id = NULL, *format = NULL, *out = NULL;
    for (int i = 1; i < argc; i++) {
        const char *v;
        if ((v = cli_opt_value(argc, argv, &i, "--format"))) format = v;
        else if ((v = cli_opt_value(argc, argv, &i, "--out"))) out = v;
        else if (argv[i][0] != '-' && !form) form = argv[i];
        else if (argv[i][0] != '-' && !id) id = argv[i];
        else return cli_fail(2, "print: %s?\n%s", argv[i], app_msg(app, "print.usage"));
    }
    print_job j = { app, form, 0, DOC_TEXT };
    if (!form || !id) return cli_fail(2, "%s", app_msg(app, "print.usage"));
    if (!cli_parse_id(id, &j.id)) return cli_fail(2, "%s: %s", app_msg(app, "unit.bad_id"), id);
    if (format && !doc_output_parse(format, &j.kind)) return cli_fail(2, "%s: %s", app_msg(app, "print.bad_format"), format);
    char err[1024] = "";
    if (doc_write_file(app, out, print_to, &j, err, sizeof err)) return cli_fail(1, "print: %s", err);
    return 0;
}

const esis_cmd cmd_print = {
    "print",
    "print FORM ID [--format text|html] [--out PATH]",
    "cmd.print",
    APP_LOGIN,
    run,
};

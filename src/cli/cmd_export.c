/*
 * cmd_export.c: `esis export KIND [--round R] [--school CODE] [--mask-ids]
 * [--out PATH] [--format csv|xlsx] [--codes labels|machine]`: canonical CSV
 * (or an Excel workbook) to stdout or a file, coded fields by their labels
 * (ป.1) or, with --codes machine, as stored (P1).  Personal data is
 * masked with --mask-ids, and always for users who may not see it.
 * A --round the database does not hold is refused (exit 1), as import,
 * check and report refuse it: a file with a header and no rows would pass
 * for a round with no students.
 * Exit status: 0, 2 for a usage error or an unknown kind, 1 on failure.
 */
#include "esis/cli.h"
#include "esis/io.h"
#include "esis/rounds.h"
#include "esis/xlsx_writer.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

extern const esis_cmd cmd_export;

/* A workbook to stdout goes through a temporary file (libxlsxwriter
 * writes to a path). */
typedef struct xlsx_job {
    esis_app *app;
    const char *kind, *round, *school;
    const io_export_opts *opts;
    long *n;
    int rc;
} xlsx_job;

static int xlsx_fill(void *ctx, const char *path, char *err, size_t errsz)
{
    xlsx_job *j = ctx;
    (void)err;
    (void)errsz;
    j->rc = io_export_xlsx(j->app, j->kind, j->round, j->school, j->opts, path, j->n);
    return j->rc ? -1 : 0;
}

static int run(esis_app *app, int argc, char **argv)
{
    const char *kind = NULL, *round = NULL, *school = NULL, *out = NULL, *format = "csv";
    const char *codes = "labels";
    bool mask = false;
    for (int i = 1; i < argc; i++) {
        const char *v;
        if ((v = cli_opt_value(argc, argv, &i, "--round"))) round = v;
        else if ((v = cli_opt_value(argc, argv, &i, "--school"))) school = v;
        else if ((v = cli_opt_value(argc, argv, &i, "--out"))) out = v;
        else if ((v = cli_opt_value(argc, argv, &i, "--format"))) format = v;
        else if ((v = cli_opt_value(argc, argv, &i, "--codes"))) codes = v;
        else if (!strcmp(argv[i], "--mask-ids")) mask = true;
        else if (argv[i][0] == '-') return cli_fail(2, "export: unknown option '%s'", argv[i]);
        else if (!kind) kind = argv[i];
        else return cli_fail(2, "export: unexpected argument '%s'", argv[i]);
    }
    if (!kind) return cli_fail(2, "usage: esis %s", cmd_export.usage);
    if (strcmp(format, "csv") && strcmp(format, "xlsx")) return cli_fail(2, "export: --format csv|xlsx");
    if (strcmp(codes, "labels") && strcmp(codes, "machine")) return cli_fail(2, "export: --codes labels|machine");
    io_export_opts opts = { mask, strcmp(codes, "machine") ? IO_CODES_LABELS : IO_CODES_MACHINE };
    int refused = cli_school_in_scope(app, school);
    if (refused) return refused;
    if (round && !rounds_exists(app->db, round)) return cli_fail(1, "%s %s", app_msg(app, "period.no_round"), round);
    FILE *fp = out ? fopen(out, "wb") : stdout;
    if (!fp) return cli_fail(2, "%s: %s", out, strerror(errno));
    long n = 0;
    int rc;
    if (!strcmp(format, "xlsx")) {
        xlsx_job j = { app, kind, round, school, &opts, &n, 0 };
        rc = out ? io_export_xlsx(app, kind, round, school, &opts, out, &n)
                 : xlsx_to_stream(xlsx_fill, &j, fp, app->err, sizeof app->err) ? (j.rc ? j.rc : 1) : 0;
    } else {
        rc = io_export(app, kind, round, school, &opts, fp, &n);
    }
    if (out && fclose(fp) != 0 && rc == 0) {
        rc = 1;
        snprintf(app->err, sizeof app->err, "%s: %s", out, strerror(errno));
    }
    if (rc != 0) {
        if (out) unlink(out);
        return cli_fail(rc, "%s", app->err);
    }
    if (out) fprintf(stderr, "%s: %ld\n", out, n);
    return 0;
}

const esis_cmd cmd_export = {
    "export", "export KIND [--round R] [--school CODE] [--mask-ids] [--out PATH] [--format csv|xlsx]"
    " [--codes labels|machine]", "cmd.export",
    APP_LOGIN, run,
};

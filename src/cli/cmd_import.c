/*
 * cmd_import.c: `esis import KIND FILE [--round R] [--rejects PATH]
 * [--delimiter ,|;|tab] [--sheet NAME] [--rejects-format csv|xlsx]`.
 * FILE is CSV (UTF-8, Windows-874 or UTF-16; the delimiter found unless
 * given) or an Excel workbook (.xlsx: its first sheet unless --sheet).
 *
 * Exit status: 0 every row imported, 3 some rows rejected (see the rejects
 * file), 2 the file cannot be read at all or a required column is missing
 * (nothing changed), 1 any other failure (nothing changed).
 */
#include "esis/cli.h"
#include "esis/io.h"
#include "esis/xlsx_writer.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

extern const esis_cmd cmd_import;

static int run(esis_app *app, int argc, char **argv)
{
    const char *kind = NULL, *file = NULL, *round = NULL, *rejects = NULL, *rformat = "csv";
    io_read_opts opts = { .delimiter = 0, .sheet = NULL };
    for (int i = 1; i < argc; i++) {
        const char *v;
        if ((v = cli_opt_value(argc, argv, &i, "--round"))) round = v;
        else if ((v = cli_opt_value(argc, argv, &i, "--rejects"))) rejects = v;
        else if ((v = cli_opt_value(argc, argv, &i, "--sheet"))) opts.sheet = v;
        else if ((v = cli_opt_value(argc, argv, &i, "--rejects-format"))) rformat = v;
        else if ((v = cli_opt_value(argc, argv, &i, "--delimiter"))) {
            opts.delimiter = !strcmp(v, "tab") || !strcmp(v, "\\t") ? '\t' : v[0];
            if (!opts.delimiter || !strchr(",;\t|", opts.delimiter) || (strlen(v) > 1 && opts.delimiter != '\t'))
                return cli_fail(2, "import: --delimiter: one of , ; tab |");
        }
        else if (argv[i][0] == '-' && argv[i][1]) return cli_fail(2, "import: unknown option '%s'", argv[i]);
        else if (!kind) kind = argv[i];
        else if (!file) file = argv[i];
        else return cli_fail(2, "import: unexpected argument '%s'", argv[i]);
    }
    if (!kind || !file) return cli_fail(2, "usage: esis %s", cmd_import.usage);
    if (strcmp(rformat, "csv") && strcmp(rformat, "xlsx"))
        return cli_fail(2, "import: --rejects-format: csv or xlsx");
    io_summary s;
    int rc = io_import_with(app, kind, file, round, rejects, &opts, &s);
    if (s.warning[0]) fprintf(stderr, "esis: %s\n", s.warning);
    if (rc == 3 && !strcmp(rformat, "xlsx") && s.rejects_path[0]) {
        /* the rejects as a workbook beside (or instead of) the CSV */
        char err[1024] = "", xpath[sizeof s.rejects_path];
        size_t n = strlen(s.rejects_path);
        if (n > 4 && !strcmp(s.rejects_path + n - 4, ".csv")) n -= 4;
        if (snprintf(xpath, sizeof xpath, "%.*s.xlsx", (int)n, s.rejects_path) >= (int)sizeof xpath)
            return cli_fail(2, "%s: too long", s.rejects_path);
        if (io_xlsx_from_csv(s.rejects_path, xpath, "rejects", err, sizeof err) != 0)
            return cli_fail(1, "%s", err);
        if (strcmp(xpath, s.rejects_path)) unlink(s.rejects_path);
        memcpy(s.rejects_path, xpath, sizeof xpath);
    }
    if (s.rejects_replaced[0]) {
        char note[9000];
        io_rejects_note(app, &s, note, sizeof note);
        fprintf(stderr, "esis: %s\n", note);
    }
    if (rc == 0 || rc == 3) {
        char line[1200];
        io_summary_line(app, &s, line, sizeof line);
        printf("%s\n", line);
        return rc;
    }
    return cli_fail(rc, "%s", s.message);
}

const esis_cmd cmd_import = {
    "import", "import KIND FILE [--round R] [--rejects PATH] [--delimiter ,|;|tab] [--sheet NAME]"
    " [--rejects-format csv|xlsx]", "cmd.import",
    APP_LOGIN | APP_RULES, run,
};

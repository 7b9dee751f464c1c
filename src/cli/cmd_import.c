/*
 * cmd_import.c: `esis import KIND FILE [--round R] [--rejects PATH]`.
 *
 * Exit status: 0 every row imported, 3 some rows rejected (see the rejects
 * file), 2 the file cannot be read at all or a required column is missing
 * (nothing changed), 1 any other failure (nothing changed).
 */
#include "esis/cli.h"
#include "esis/io.h"

#include <stdio.h>
#include <string.h>

extern const esis_cmd cmd_import;

static int run(esis_app *app, int argc, char **argv)
{
    const char *kind = NULL, *file = NULL, *round = NULL, *rejects = NULL;
    for (int i = 1; i < argc; i++) {
        const char *v;
        if ((v = cli_opt_value(argc, argv, &i, "--round"))) round = v;
        else if ((v = cli_opt_value(argc, argv, &i, "--rejects"))) rejects = v;
        else if (argv[i][0] == '-' && argv[i][1]) return cli_fail(2, "import: unknown option '%s'", argv[i]);
        else if (!kind) kind = argv[i];
        else if (!file) file = argv[i];
        else return cli_fail(2, "import: unexpected argument '%s'", argv[i]);
    }
    if (!kind || !file) return cli_fail(2, "usage: esis %s", cmd_import.usage);
    io_summary s;
    int rc = io_import(app, kind, file, round, rejects, &s);
    if (s.warning[0]) fprintf(stderr, "esis: %s\n", s.warning);
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
    "import", "import KIND FILE [--round R] [--rejects PATH]", "cmd.import",
    APP_LOGIN | APP_RULES, run,
};

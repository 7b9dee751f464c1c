/*
 * cmd_serve: `esis serve`, step 6 of every collection: serving the data a
 * request asked for.
 *
 *   esis serve ID KIND [--round R] [--out PATH]
 *   esis serve approve ID [--unmask] [--note T]     (the director)
 *   esis serve refuse ID --reason T                 (the director)
 *
 * KIND is an export kind of conf/import/ (dmc, schools, staff, ...) or a
 * report of conf/reports/.  Personal data is masked unless a director
 * approved the request with --unmask.  Every export is logged.
 */
#include "esis/cli.h"
#include "esis/service.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int run(esis_app *app, int argc, char **argv)
{
    const char *words[3] = { NULL, NULL, NULL }, *round = NULL, *out = NULL, *note = NULL, *reason = NULL;
    bool unmask = false;
    int nwords = 0;
    for (int i = 1; i < argc; i++) {
        const char *v;
        if (!strcmp(argv[i], "--unmask")) unmask = true;
        else if ((v = cli_opt_value(argc, argv, &i, "--round"))) round = v;
        else if ((v = cli_opt_value(argc, argv, &i, "--out"))) out = v;
        else if ((v = cli_opt_value(argc, argv, &i, "--note"))) note = v;
        else if ((v = cli_opt_value(argc, argv, &i, "--reason"))) reason = v;
        else if (argv[i][0] != '-' && nwords < 3) words[nwords++] = argv[i];
        else return cli_fail(2, "serve: %s?\n%s", argv[i], app_msg(app, "serve.usage"));
    }
    long long id;
    char err[1024] = "";
    if (nwords == 2 && (!strcmp(words[0], "approve") || !strcmp(words[0], "refuse"))) {
        if (!cli_parse_id(words[1], &id)) return cli_fail(2, "%s: %s", app_msg(app, "unit.bad_id"), words[1]);
        int rc = !strcmp(words[0], "approve") ? service_approve(app, id, unmask, note, err, sizeof err)
                                              : service_refuse(app, id, reason, err, sizeof err);
        if (rc) return cli_fail(1, "serve: %s", err);
        printf("%lld: %s\n", id, app_msg(app, !strcmp(words[0], "approve")
                                              ? (unmask ? "serve.approved_unmask" : "serve.approved") : "serve.refused"));
        return 0;
    }
    if (nwords != 2) return cli_fail(2, "%s", app_msg(app, "serve.usage"));
    if (!cli_parse_id(words[0], &id)) return cli_fail(2, "%s: %s", app_msg(app, "unit.bad_id"), words[0]);
    service_result res;
    if (service_serve(app, id, words[1], round, out, &res, err, sizeof err)) return cli_fail(1, "serve: %s", err);
    printf("%s %s: %ld %s (%s)\n", app_msg(app, "serve.wrote"), res.file, res.rows, app_msg(app, "serve.rows"),
           app_msg(app, res.masked ? "serve.masked" : "serve.unmasked"));
    return 0;
}

const esis_cmd cmd_serve = {
    "serve",
    "serve ID KIND [--round R] [--out PATH] | approve ID [--unmask] [--note T] | refuse ID --reason T",
    "cmd.serve",
    APP_LOGIN,
    run,
};

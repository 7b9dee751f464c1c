/*
 * cmd_serve: `esis serve`, step 6 of every collection: serving the data a
 * request asked for, the least of it (src/unit/service.c).
 *
 *   esis serve ID KIND [--round R] [--out PATH]
 *   esis serve approve ID [--records --kind K --fields "F ..." --until D [--purpose T] [--basis T]] [--note T]
 *                                                   (the director, or a delegated deputy)
 *   esis serve refuse ID --reason T                 (the director, or a delegated deputy)
 *   esis serve log [ID]                             (the director, a deputy, the administrator)
 *
 * KIND is an export kind of conf/import/ (dmc, schools, staff, ...) or a
 * report of conf/reports/.  A kind of personal data goes out as its
 * aggregate unless an approval of records is in force; every release is
 * logged with the file's SHA-256.
 */
#include "esis/cli.h"
#include "esis/service.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int print_release(void *ctx, const service_release *r)
{
    esis_app *app = ctx;
    printf("%lld  %s  %s  %s %lld  %s  %ld %s  %s\n", r->id, r->at, r->by, app_msg(app, "serve.log_request"),
           r->request_id, r->kind, r->rows, app_msg(app, "serve.rows"), r->level);
    printf("  %s\n", r->file);
    printf("  %s: %s | %s: %s | %s: %s\n", app_msg(app, "serve.log_purpose"), r->purpose,
           app_msg(app, "serve.log_basis"), r->legal_basis, app_msg(app, "serve.log_approver"), r->approved_by);
    printf("  %s: %s\n  sha256: %s\n", app_msg(app, "serve.log_fields"), r->fields, r->sha256);
    return 0;
}

static int decide(esis_app *app, const char *what, const char *id_text, const service_approval *ap,
                  const char *reason)
{
    long long id;
    char err[1024] = "";
    if (!cli_parse_id(id_text, &id)) return cli_fail(2, "%s: %s", app_msg(app, "unit.bad_id"), id_text);
    bool approve = !strcmp(what, "approve");
    int rc = approve ? service_approve(app, id, ap, err, sizeof err) : service_refuse(app, id, reason, err, sizeof err);
    if (rc) return cli_fail(1, "serve: %s", err);
    printf("%lld: %s\n", id, app_msg(app, !approve ? "serve.refused" : ap->records ? "serve.approved_records"
                                                                                    : "serve.approved"));
    return 0;
}

static int show_log(esis_app *app, const char *id_text)
{
    long long id = 0;
    char err[1024] = "";
    if (id_text && !cli_parse_id(id_text, &id)) return cli_fail(2, "%s: %s", app_msg(app, "unit.bad_id"), id_text);
    if (service_log_each(app, id, print_release, app, err, sizeof err)) return cli_fail(1, "serve: %s", err);
    return 0;
}

static int run(esis_app *app, int argc, char **argv)
{
    const char *words[3] = { NULL, NULL, NULL }, *round = NULL, *out = NULL, *reason = NULL;
    service_approval ap = { false, NULL, NULL, NULL, NULL, NULL, NULL };
    int nwords = 0;
    for (int i = 1; i < argc; i++) {
        const char *v;
        if (!strcmp(argv[i], "--records")) ap.records = true;
        else if ((v = cli_opt_value(argc, argv, &i, "--round"))) round = v;
        else if ((v = cli_opt_value(argc, argv, &i, "--out"))) out = v;
        else if ((v = cli_opt_value(argc, argv, &i, "--note"))) ap.note = v;
        else if ((v = cli_opt_value(argc, argv, &i, "--reason"))) reason = v;
        else if ((v = cli_opt_value(argc, argv, &i, "--fields"))) ap.fields = v;
        else if ((v = cli_opt_value(argc, argv, &i, "--kind"))) ap.kind = v;
        else if ((v = cli_opt_value(argc, argv, &i, "--until"))) ap.expires = v;
        else if ((v = cli_opt_value(argc, argv, &i, "--purpose"))) ap.purpose = v;
        else if ((v = cli_opt_value(argc, argv, &i, "--basis"))) ap.legal_basis = v;
        else if (argv[i][0] != '-' && nwords < 3) words[nwords++] = argv[i];
        else return cli_fail(2, "serve: %s?\n%s", argv[i], app_msg(app, "serve.usage"));
    }
    if (nwords == 2 && (!strcmp(words[0], "approve") || !strcmp(words[0], "refuse")))
        return decide(app, words[0], words[1], &ap, reason);
    if (nwords >= 1 && nwords <= 2 && !strcmp(words[0], "log")) return show_log(app, words[1]);
    if (nwords != 2) return cli_fail(2, "%s", app_msg(app, "serve.usage"));
    long long id;
    if (!cli_parse_id(words[0], &id)) return cli_fail(2, "%s: %s", app_msg(app, "unit.bad_id"), words[0]);
    service_result res;
    char err[1024] = "";
    if (service_serve(app, id, words[1], round, out, &res, err, sizeof err)) return cli_fail(1, "serve: %s", err);
    printf("%s %s: %ld %s (%s)\nsha256 %s\n", app_msg(app, "serve.wrote"), res.file, res.rows, app_msg(app, "serve.rows"),
           app_msg(app, !strcmp(res.level, "aggregate") ? "serve.aggregate" : !strcmp(res.level, "records") ? "serve.records"
                                                                                                  : "serve.masked"),
           res.sha256);
    return 0;
}

const esis_cmd cmd_serve = {
    "serve",
    "serve ID KIND [--round R] [--out PATH] | approve ID [--records --kind K --fields F --until D [--purpose T] [--basis T]] [--note T]"
    " | refuse ID --reason T | log [ID]",
    "cmd.serve",
    APP_LOGIN,
    run,
};

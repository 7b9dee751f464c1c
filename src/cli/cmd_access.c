/*
 * cmd_access: `esis access`, the director's decision on a request for
 * access to the information system.
 *
 *   esis access approve ID [--create-user] [--note T]
 *   esis access refuse ID --reason T
 *   esis access create-user ID              (an administrator, after approval)
 *
 * An approval sets the access's end (the decision's date + the months
 * asked for); with --create-user it also creates the esis user with the
 * role and schools asked for, ending then: an administrator's act (the
 * auth layer refuses any other session), so a director approves and an
 * administrator runs create-user.  Only the director (or a deputy while
 * delegated) decides, never the administrator (src/unit/decide.c), so
 * --create-user, which needs both, is refused: the two acts are two
 * people's.
 */
#include "esis/access.h"
#include "esis/cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int run(esis_app *app, int argc, char **argv)
{
    const char *sub = argc > 1 ? argv[1] : NULL, *id = NULL, *note = NULL, *reason = NULL;
    bool create_user = false;
    for (int i = 2; i < argc; i++) {
        const char *v;
        if (!strcmp(argv[i], "--create-user")) create_user = true;
        else if ((v = cli_opt_value(argc, argv, &i, "--note"))) note = v;
        else if ((v = cli_opt_value(argc, argv, &i, "--reason"))) reason = v;
        else if (argv[i][0] != '-' && !id) id = argv[i];
        else return cli_fail(2, "access: %s?\n%s", argv[i], app_msg(app, "access.usage"));
    }
    if (!sub || !id || (strcmp(sub, "approve") && strcmp(sub, "refuse") && strcmp(sub, "create-user")))
        return cli_fail(2, "%s", app_msg(app, "access.usage"));
    long long n;
    if (!cli_parse_id(id, &n)) return cli_fail(2, "%s: %s", app_msg(app, "unit.bad_id"), id);
    char err[1024] = "";
    int rc = !strcmp(sub, "approve") ? access_approve(app, n, NULL, note, create_user, err, sizeof err)
           : !strcmp(sub, "refuse") ? access_refuse(app, n, reason, err, sizeof err)
           : access_create_user(app, n, err, sizeof err);
    if (rc) return cli_fail(1, "access: %s", err);
    const char *done = !strcmp(sub, "approve") ? (create_user ? "access.approved_user" : "access.approved")
                     : !strcmp(sub, "refuse") ? "access.refused" : "access.user_created";
    printf("%lld: %s\n", n, app_msg(app, done));
    return 0;
}

const esis_cmd cmd_access = {
    "access",
    "access approve ID [--create-user] [--note T] | refuse ID --reason T | create-user ID",
    "cmd.access",
    APP_LOGIN,
    run,
};

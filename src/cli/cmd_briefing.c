/*
 * cmd_briefing: `esis briefing`, step 2 of every collection.
 *
 *   esis briefing add --date DD/MM/YYYY --title T [--round R] [--kind meeting|letter|online] [--place P]
 *   esis briefing attend ID SCHOOL...
 *
 * The schools that missed a round's briefings: esis report briefing_missed.
 */
#include "esis/briefing.h"
#include "esis/cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int run(esis_app *app, int argc, char **argv)
{
    const char *sub = argc > 1 ? argv[1] : "";
    char err[1024] = "";
    if (!strcmp(sub, "add")) {
        const char *date = NULL, *title = NULL, *round = NULL, *kind = NULL, *place = NULL;
        for (int i = 2; i < argc; i++) {
            const char *v;
            if ((v = cli_opt_value(argc, argv, &i, "--date"))) date = v;
            else if ((v = cli_opt_value(argc, argv, &i, "--title"))) title = v;
            else if ((v = cli_opt_value(argc, argv, &i, "--round"))) round = v;
            else if ((v = cli_opt_value(argc, argv, &i, "--kind"))) kind = v;
            else if ((v = cli_opt_value(argc, argv, &i, "--place"))) place = v;
            else return cli_fail(2, "briefing: %s?\n%s", argv[i], app_msg(app, "briefing.usage"));
        }
        long long id;
        if (briefing_add(app, date, title, round, kind, place, &id, err, sizeof err)) return cli_fail(1, "briefing: %s", err);
        printf("%s %lld\n", app_msg(app, "briefing.added"), id);
        return 0;
    }
    if (!strcmp(sub, "attend") && argc >= 4) {
        long long id;
        if (!cli_parse_id(argv[2], &id)) return cli_fail(2, "%s: %s", app_msg(app, "unit.bad_id"), argv[2]);
        int added = 0;
        if (briefing_attend(app, id, (const char *const *)argv + 3, argc - 3, &added, err, sizeof err))
            return cli_fail(1, "briefing: %s", err);
        printf("%s %d\n", app_msg(app, "briefing.attended"), added);
        return 0;
    }
    return cli_fail(2, "%s", app_msg(app, "briefing.usage"));
}

const esis_cmd cmd_briefing = {
    "briefing",
    "briefing add --date D --title T [--round R] [--kind K] [--place P] | attend ID SCHOOL...",
    "cmd.briefing",
    APP_LOGIN,
    run,
};

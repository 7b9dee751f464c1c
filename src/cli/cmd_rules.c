/*
 * cmd_rules.c: `esis rules` — the rules esis runs, as loaded from
 * conf/rules (so a rule file with a mistake fails here, with its file, rule
 * and column, before any check runs).
 *
 *   esis rules            one line per rule: id, severity, table, message
 *   esis rules --doc      doc/rules.md, generated from the rule files
 */
#include "esis/cli.h"

#include <stdio.h>
#include <string.h>

static int run(esis_app *app, int argc, char **argv)
{
    bool doc = false;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--doc") == 0) doc = true;
        else return cli_fail(2, "rules: unknown argument '%s'", argv[i]);
    }
    if (doc)
        return rules_write_doc(app->rules, stdout) == 0 ? 0 : 1;
    return rules_list(app->rules, stdout, app->lang ? app->lang : "th") == 0 ? 0 : 1;
}

const esis_cmd cmd_rules = {
    "rules", "rules [--doc]", "cmd.rules", APP_CONF | APP_DB | APP_RULES, run,
};

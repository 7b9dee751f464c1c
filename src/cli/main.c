/*
 * main.c: esis's entry point.  Global options, then either a subcommand
 * (one const esis_cmd per file under src/cli/, listed in COMMANDS below) or,
 * with none, the TUI.
 *
 *   esis [--db PATH] [--user NAME] [--lang th|en] [COMMAND [ARGS...]]
 *
 * Exit status: 0 success, 1 a failure or error-level findings, 2 a usage,
 * configuration or load error, 3 an import with rejected rows.
 */
#include "esis/cli.h"
#include "esis/db.h"
#include "esis/privilege.h"
#include "esis/text_locale.h"
#include "esis/ui.h"

#include <locale.h>
#include <sqlite3.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

extern const esis_cmd cmd_init, cmd_user, cmd_check, cmd_rules, cmd_import, cmd_export,
    cmd_demo_csv, cmd_backup, cmd_restore, cmd_audit, cmd_report, cmd_round, cmd_submission,
    cmd_activity, cmd_print, cmd_access, cmd_serve, cmd_briefing, cmd_survey;

static const esis_cmd *const COMMANDS[] = {
    &cmd_init,
    &cmd_user,
    &cmd_check,
    &cmd_rules,
    &cmd_import,
    &cmd_export,
    &cmd_demo_csv,
    &cmd_round,
    &cmd_submission,
    &cmd_report,
    &cmd_audit,
    &cmd_backup,
    &cmd_restore,
    &cmd_activity,
    &cmd_print,
    &cmd_access,
    &cmd_serve,
    &cmd_briefing,
    &cmd_survey,
};
enum { NCOMMANDS = sizeof COMMANDS / sizeof COMMANDS[0] };

const char *cli_opt_value(int argc, char **argv, int *i, const char *name)
{
    size_t n = strlen(name);
    if (strncmp(argv[*i], name, n) != 0) return NULL;
    if (argv[*i][n] == '=') return argv[*i] + n + 1;
    if (argv[*i][n] != '\0') return NULL;
    if (*i + 1 >= argc) return NULL;
    return argv[++*i];
}

bool cli_parse_id(const char *s, long long *id)
{
    char *end;
    if (!s) return false;
    *id = strtoll(s, &end, 10);
    return !*end && *id > 0;
}

int cli_fail(int status, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("esis: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    return status;
}

int cli_school_in_scope(esis_app *app, const char *school)
{
    if (!school || db_scope_allows(app->db, school))
        return 0;
    return cli_fail(1, "%s %s", app_msg(app, "audit.out_of_scope"), school);
}

static void usage(esis_app *app, FILE *fp)
{
    fprintf(fp, "%s\n\n", app_msg(app, "cli.usage"));
    /* Usage lines are long: each on its own line, the summary under it. */
    for (int i = 0; i < NCOMMANDS; i++)
        fprintf(fp, "  esis %s\n      %s\n", COMMANDS[i]->usage, app_msg(app, COMMANDS[i]->summary));
    fprintf(fp, "\n%s\n", app_msg(app, "cli.options"));
}

int main(int argc, char **argv)
{
    /* Installed setgid esis: work with the user's own group from the first
     * instruction; app_open borrows the esis group back only to open the
     * database, then gives it up for good (doc/deploy.md). */
    char perr[200];
    if (privilege_start(perr, sizeof perr) != 0) return cli_fail(1, "%s", perr);
    /* The login's locale, or a UTF-8 LC_CTYPE when it has none (PuTTY sends
     * no LANG); without any, the TUI says so (ui_main), commands go on. */
    (void)text_locale_setup(NULL, NULL, 0);
    esis_app app;
    memset(&app, 0, sizeof app);
    const char *db_path = NULL;
    int i = 1;
    for (; i < argc && argv[i][0] == '-'; i++) {
        const char *v;
        if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
            app_open(&app, argv[0], NULL, APP_CONF);
            usage(&app, stdout);
            app_close(&app);
            return 0;
        } else if (!strcmp(argv[i], "--version")) {
            printf("esis %s (SQLite %s)\n", ESIS_VERSION, sqlite3_libversion());
            return 0;
        } else if ((v = cli_opt_value(argc, argv, &i, "--db"))) {
            db_path = v;
        } else if ((v = cli_opt_value(argc, argv, &i, "--user"))) {
            app.login_as = v;
        } else if ((v = cli_opt_value(argc, argv, &i, "--lang"))) {
            if (strcmp(v, "th") && strcmp(v, "en")) return cli_fail(2, "--lang must be th or en");
            app.lang = v;
        } else {
            return cli_fail(2, "unknown option %s (esis --help lists them)", argv[i]);
        }
    }
    if (i == argc) {
        app.origin = "tui";
        int rc = app_open(&app, argv[0], db_path, APP_LOGIN | APP_RULES);
        if (!rc && privilege_drop(perr, sizeof perr) != 0) {
            snprintf(app.err, sizeof app.err, "%s", perr);
            rc = 1;
        }
        if (rc) { fprintf(stderr, "esis: %s\n", app.err); app_close(&app); return rc; }
        rc = ui_main(&app);
        app_close(&app);
        return rc;
    }
    const esis_cmd *cmd = NULL;
    for (int k = 0; k < NCOMMANDS; k++)
        if (!strcmp(COMMANDS[k]->name, argv[i])) cmd = COMMANDS[k];
    if (!cmd) return cli_fail(2, "unknown command '%s' (esis --help lists them)", argv[i]);
    char origin[64];
    snprintf(origin, sizeof origin, "cli:%s", cmd->name);
    app.origin = origin;
    /* Options after the command may still name the database or the user;
     * they are taken out so that a command sees only its own arguments. */
    char **args = calloc((size_t)argc + 1, sizeof *args);
    if (!args) return cli_fail(1, "out of memory");
    int nargs = 0;
    for (int k = i; k < argc; k++) {
        const char *v;
        int was = k;
        if (k > i && (v = cli_opt_value(argc, argv, &k, "--db"))) { db_path = v; continue; }
        k = was;
        /* esis audit has its own --user (who made a change): there the
         * login of a shared account goes before the command. */
        if (k > i && cmd != &cmd_audit && (v = cli_opt_value(argc, argv, &k, "--user"))) {
            app.login_as = v;
            continue;
        }
        k = was;
        args[nargs++] = argv[k];
    }
    int rc = app_open(&app, argv[0], db_path, cmd->needs);
    if (!rc && privilege_drop(perr, sizeof perr) != 0) rc = cli_fail(1, "%s", perr);
    if (!rc) rc = cmd->run(&app, nargs, args);
    else fprintf(stderr, "esis %s: %s\n", cmd->name, app.err);
    free(args);
    app_close(&app);
    return rc;
}

/*
 * main.c: esis's entry point.  Global options, then either a subcommand
 * (one const esis_cmd per file under src/cli/, listed in COMMANDS below) or,
 * with none, the TUI.
 *
 *   esis [--db PATH] [--config FILE] [--user NAME] [--password-fd N] [--lang th|en] [COMMAND [ARGS...]]
 *
 * Exit status: 0 success, 1 a failure or error-level findings, 2 a usage,
 * configuration or load error, 3 an import with rejected rows.
 */
#include "esis/cli.h"
#include "esis/db.h"
#include "esis/privilege.h"
#include "esis/text_locale.h"
#include "esis/termsafe.h"
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

/* --password-fd N: a descriptor the caller opened for us, N >= 0. */
static bool parse_fd(const char *v, int *fd)
{
    char *end;
    long n = v ? strtol(v, &end, 10) : -1;
    if (!v || !*v || *end || n < 0 || n > 1024) return false;
    *fd = (int)n;
    return true;
}

/* A global option at argv[*i] (before or after the command): 1 taken,
 * 0 not one of them, or -(exit status) on a bad value. */
static int global_option(esis_app *app, int argc, char **argv, int *i, const char **db_path,
                         bool user_too)
{
    const char *v;
    int was = *i;
    if ((v = cli_opt_value(argc, argv, i, "--db"))) { *db_path = v; return 1; }
    *i = was;
    /* settings over the others (include/esis/conf_where.h); app_open says
     * whether an installed esis may read it */
    if ((v = cli_opt_value(argc, argv, i, "--config"))) { app->config_path = v; return 1; }
    *i = was;
    if ((v = cli_opt_value(argc, argv, i, "--password-fd"))) {
        if (!parse_fd(v, &app->password_fd)) return -cli_fail(2, "--password-fd takes a descriptor number");
        app->password_from_fd = true;
        return 1;
    }
    *i = was;
    if (user_too && (v = cli_opt_value(argc, argv, i, "--user"))) { app->login_as = v; return 1; }
    *i = was;
    return 0;
}

static int run_tui(esis_app *app, const char *argv0, const char *db_path, FILE *terminal)
{
    char perr[200];
    app->origin = "tui";
    int rc = app_open(app, argv0, db_path, APP_LOGIN | APP_RULES);
    if (!rc && privilege_drop(perr, sizeof perr) != 0) {
        snprintf(app->err, sizeof app->err, "%s", perr);
        rc = 1;
    }
    if (rc) { fprintf(stderr, "esis: %s\n", app->err); return rc; }
    /* ncurses sends escape sequences on purpose: the real stdout.  What it
     * draws from the data is drawn as characters, not sent as bytes. */
    fflush(stdout);
    FILE *safe = stdout;
    stdout = terminal;
    rc = ui_main(app);
    stdout = safe;
    return rc;
}

static int run(esis_app *app, int argc, char **argv, FILE *terminal)
{
    const char *db_path = NULL;
    int i = 1;
    for (; i < argc && argv[i][0] == '-'; i++) {
        const char *v;
        int g = global_option(app, argc, argv, &i, &db_path, true);
        if (g < 0) return -g;
        if (g) continue;
        if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
            app_open(app, argv[0], NULL, APP_CONF);
            usage(app, stdout);
            return 0;
        } else if (!strcmp(argv[i], "--version")) {
            printf("esis %s (SQLite %s)\n", ESIS_VERSION, sqlite3_libversion());
            return 0;
        } else if ((v = cli_opt_value(argc, argv, &i, "--lang"))) {
            if (strcmp(v, "th") && strcmp(v, "en")) return cli_fail(2, "--lang must be th or en");
            app->lang = v;
        } else {
            return cli_fail(2, "unknown option %s (esis --help lists them)", argv[i]);
        }
    }
    if (i == argc) return run_tui(app, argv[0], db_path, terminal);
    const esis_cmd *cmd = NULL;
    for (int k = 0; k < NCOMMANDS; k++)
        if (!strcmp(COMMANDS[k]->name, argv[i])) cmd = COMMANDS[k];
    if (!cmd) return cli_fail(2, "unknown command '%s' (esis --help lists them)", argv[i]);
    char origin[64];
    snprintf(origin, sizeof origin, "cli:%s", cmd->name);
    app->origin = origin;
    /* Options after the command may still name the database, the user or
     * the password's descriptor; they are taken out so that a command sees
     * only its own arguments.  esis audit has its own --user (who made a
     * change): there the login of a shared account goes before the command. */
    char **args = calloc((size_t)argc + 1, sizeof *args);
    if (!args) return cli_fail(1, "out of memory");
    int nargs = 0;
    for (int k = i; k < argc; k++) {
        int g = k > i ? global_option(app, argc, argv, &k, &db_path, cmd != &cmd_audit) : 0;
        if (g < 0) { free(args); return -g; }
        if (!g) args[nargs++] = argv[k];
    }
    char perr[200];
    int rc = app_open(app, argv[0], db_path, cmd->needs);
    if (!rc && privilege_drop(perr, sizeof perr) != 0) rc = cli_fail(1, "%s", perr);
    if (!rc) rc = cmd->run(app, nargs, args);
    else fprintf(stderr, "esis %s: %s\n", cmd->name, app->err);
    free(args);
    return rc;
}

int main(int argc, char **argv)
{
    /* Installed setgid esis: work with the user's own group from the first
     * instruction; app_open borrows the esis group back only to open the
     * database, then gives it up for good (doc/deploy.md).  And take
     * nothing from the caller that could point it elsewhere: the
     * environment is replaced before anything reads it (doc/security.md). */
    char perr[200];
    if (privilege_start(perr, sizeof perr) != 0) return cli_fail(1, "%s", perr);
    esis_app app;
    memset(&app, 0, sizeof app);
    char ignored[256] = "";
    app.untrusted = privilege_caller_untrusted();
    if (app.untrusted && privilege_clean_environment(ignored, sizeof ignored) != 0)
        return cli_fail(1, "out of memory");
    app.env_ignored = ignored;
    /* The login's locale, or a UTF-8 LC_CTYPE when it has none (PuTTY sends
     * no LANG); without any, the TUI says so (ui_main), commands go on. */
    (void)text_locale_setup(NULL, NULL, 0);
    /* Every byte the commands print reaches the terminal through
     * text_term_safe (include/esis/termsafe.h): data typed by others
     * cannot send escape sequences to whoever reads it. */
    FILE *real_out = stdout, *real_err = stderr;
    FILE *safe_out = text_term_open(real_out), *safe_err = text_term_open(real_err);
    if (!safe_out || !safe_err) {
        text_term_close(safe_out);
        text_term_close(safe_err);
        return cli_fail(1, "out of memory");
    }
    stdout = safe_out;
    stderr = safe_err;
    int rc = run(&app, argc, argv, real_out);
    /* A refusal before the database was opened still holds the saved
     * group: give it up before anything else runs (at exit, too). */
    if (privilege_drop(perr, sizeof perr) != 0 && rc == 0) rc = cli_fail(1, "%s", perr);
    app_close(&app);
    stdout = real_out;
    stderr = real_err;
    if (text_term_close(safe_out) != 0 && rc == 0) rc = 1;   /* stdout could not be written */
    text_term_close(safe_err);
    return rc;
}

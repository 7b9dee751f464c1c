/*
 * cmd_user.c: `esis user` — who may use esis, in which role, for which
 * schools.
 *
 *   esis user add LOGIN --role admin|staff|group_head|deputy|director|school|viewer [--school CODE]...
 *                 [--name "..."] [--position "..."] [--password] [--expires YYYY-MM-DD]
 *   esis user profile LOGIN [--name "..."] [--position "..."]   (printed on forms)
 *   esis user list
 *   esis user disable|enable LOGIN
 *   esis user role LOGIN ROLE [--school CODE]...
 *   esis user passwd LOGIN
 *   esis user unlock LOGIN     (after AUTH_MAX_FAILURES wrong passwords)
 *
 * Only administrators: the command refuses at once (exit 1), and the
 * functions in auth_users.c refuse again for any other caller.  Every change
 * is audited with the administrator as the actor.  --password and passwd
 * ask twice on the terminal, or read ESIS_NEW_PASSWORD (scripts, tests).
 */
#define _GNU_SOURCE 1  /* explicit_bzero */
#include "esis/auth.h"
#include "esis/cli.h"
#include "esis/text.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { MAX_SCHOOLS = 64 };

static void forget(char *pw)
{
    if (pw) { explicit_bzero(pw, strlen(pw)); free(pw); }
}

/* The new password (ESIS_NEW_PASSWORD, or asked twice); NULL after saying why. */
static char *new_password(esis_app *app, const char *login)
{
    const char *env = getenv("ESIS_NEW_PASSWORD");
    char *pw = NULL;
    if (env) {
        pw = strdup(env);
    } else {
        char prompt[160];
        snprintf(prompt, sizeof prompt, "%s %s:", app_msg(app, "user.pw_prompt"), login);
        pw = auth_ask_secret(prompt);
        if (!pw) { cli_fail(1, "%s", app_msg(app, "user.pw_no_tty")); return NULL; }
        char *again = auth_ask_secret(app_msg(app, "user.pw_again"));
        bool same = again && !strcmp(pw, again);
        forget(again);
        if (!same) { forget(pw); cli_fail(1, "%s", app_msg(app, "user.pw_mismatch")); return NULL; }
    }
    if (!pw || !auth_password_acceptable(pw)) {
        forget(pw);
        cli_fail(1, "%s", app_msg(app, "user.pw_weak"));
        return NULL;
    }
    return pw;
}

typedef struct user_args {
    const char *login, *role, *name, *expires, *position;
    const char *schools[MAX_SCHOOLS];
    int nschools;
    bool password;
    char expires_buf[64];   /* --expires as the form cleans a date */
} user_args;

/* Parse argv[2..]: positional words go to login then role. */
static int parse(int argc, char **argv, user_args *a)
{
    memset(a, 0, sizeof *a);
    for (int i = 2; i < argc; i++) {
        const char *v;
        if ((v = cli_opt_value(argc, argv, &i, "--school"))) {
            if (a->nschools == MAX_SCHOOLS) return cli_fail(2, "user: at most %d --school", MAX_SCHOOLS);
            a->schools[a->nschools++] = v;
        } else if ((v = cli_opt_value(argc, argv, &i, "--role"))) a->role = v;
        else if ((v = cli_opt_value(argc, argv, &i, "--name"))) a->name = v;
        else if ((v = cli_opt_value(argc, argv, &i, "--position"))) a->position = v;
        else if ((v = cli_opt_value(argc, argv, &i, "--expires")))
            a->expires = cli_norm(NORM_DATE, v, a->expires_buf, sizeof a->expires_buf);
        else if (!strcmp(argv[i], "--password")) a->password = true;
        else if (argv[i][0] != '-' && !a->login) a->login = argv[i];
        else if (argv[i][0] != '-' && !a->role) a->role = argv[i];
        else return cli_fail(2, "user %s: unknown argument '%s'", argv[1], argv[i]);
    }
    return 0;
}

/* s padded to `cols` display columns (Thai marks take none). */
static void cell(const char *s, int cols)
{
    char buf[256];
    text_fit(buf, sizeof buf, s, cols, 'l', true);
    fputs(buf, stdout);
    putchar(' ');
}

static int print_user(const auth_user_info *u, void *ctx)
{
    const esis_app *app = ctx;
    cell(u->login, 20);
    cell(u->role, 9);
    cell(u->disabled ? app_msg(app, "user.yes") : app_msg(app, "user.no"), 9);
    cell(*u->expires ? u->expires : "-", 11);
    char failed[16];
    snprintf(failed, sizeof failed, "%d", u->failed_logins);
    cell(u->locked ? app_msg(app, "user.locked") : u->failed_logins ? failed : "-", 9);
    printf("%s%s\n", u->schools, u->expired ? "  (expired)" : "");
    return 0;
}

static int list(esis_app *app)
{
    char err[512];
    cell(app_msg(app, "user.col_login"), 20);
    cell(app_msg(app, "user.col_role"), 9);
    cell(app_msg(app, "user.col_disabled"), 9);
    cell(app_msg(app, "user.col_expires"), 11);
    cell(app_msg(app, "user.col_locked"), 9);
    printf("%s\n", app_msg(app, "user.col_schools"));
    if (auth_user_list(app->db, print_user, app, err, sizeof err) != 0) return cli_fail(1, "%s", err);
    return 0;
}

static int run(esis_app *app, int argc, char **argv)
{
    if (!auth_may_admin(app->user)) return cli_fail(1, "%s", app_msg(app, "user.admin_only"));
    const char *sub = argc > 1 ? argv[1] : "list";
    if (!strcmp(sub, "list")) return list(app);
    user_args a;
    int rc = parse(argc, argv, &a);
    if (rc) return rc;
    if (!a.login) return cli_fail(2, "usage: esis %s", "user add|list|disable|enable|role|passwd|profile|unlock LOGIN ...");
    char err[512];
    const char *done = NULL;
    if (!strcmp(sub, "add")) {
        if (!a.role) return cli_fail(2, "usage: esis user add LOGIN --role ROLE [--school CODE]...");
        char *pw = a.password ? new_password(app, a.login) : NULL;
        if (a.password && !pw) return 1;
        rc = auth_user_add(app->db, a.login, a.role, a.schools, a.nschools, a.name, pw, a.expires,
                           err, sizeof err);
        forget(pw);
        if (!rc && a.position) rc = auth_user_set_profile(app->db, a.login, NULL, a.position, err, sizeof err);
        done = "user.added";
    } else if (!strcmp(sub, "profile")) {
        rc = auth_user_set_profile(app->db, a.login, a.name, a.position, err, sizeof err);
        done = "user.profile_set";
    } else if (!strcmp(sub, "disable") || !strcmp(sub, "enable")) {
        bool off = !strcmp(sub, "disable");
        rc = auth_user_set_disabled(app->db, a.login, off, err, sizeof err);
        done = off ? "user.disabled" : "user.enabled";
    } else if (!strcmp(sub, "role")) {
        if (!a.role) return cli_fail(2, "usage: esis user role LOGIN ROLE [--school CODE]...");
        rc = auth_user_set_role(app->db, a.login, a.role, a.schools, a.nschools, err, sizeof err);
        done = "user.role_set";
    } else if (!strcmp(sub, "passwd")) {
        char *pw = new_password(app, a.login);
        if (!pw) return 1;
        rc = auth_user_set_password(app->db, a.login, pw, err, sizeof err);
        forget(pw);
        done = "user.password_set";
    } else if (!strcmp(sub, "unlock")) {
        rc = auth_user_unlock(app->db, a.login, err, sizeof err);
        done = "user.unlocked";
    } else {
        return cli_fail(2, "user: unknown subcommand '%s' (add, list, disable, enable, role, passwd, profile, unlock)", sub);
    }
    if (rc != 0) return cli_fail(1, "%s", err);
    printf("%s %s\n", app_msg(app, done), a.login);
    return 0;
}

const esis_cmd cmd_user = {
    "user", "user add|list|disable|enable|role|passwd|profile|unlock LOGIN [--role R] [--school C]... [--name N] [--position P]", "cmd.user",
    APP_LOGIN, run,
};

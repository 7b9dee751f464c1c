/*
 * app: the one application context.  Everything a command or a screen needs
 * (settings, the database connection, the schema, the rules, who is
 * working) hangs off one esis_app that main() owns and passes down; there are
 * no other mutable globals but the signal flags in ui.
 */
#ifndef ESIS_APP_H
#define ESIS_APP_H

#include <stdbool.h>
#include "esis/conf.h"
#include "esis/record.h"
#include "esis/rules.h"

struct sqlite3;
struct auth_user;

typedef struct esis_app {
    esis_conf        *conf;    /* owned */
    char             *home;    /* owned: directory with conf/ and screens/ */
    char             *db_path; /* owned */
    struct sqlite3   *db;      /* owned */
    esis_schema      *schema;  /* owned */
    rules_set        *rules;   /* owned, NULL until app_load_rules */
    struct auth_user *user;    /* owned: who is working, NULL before login */
    const char       *origin;  /* "cli:import", "tui:students": recorded in the audit */
    const char       *lang;    /* "th" or "en", borrowed from conf unless switched */
    const char       *login_as;/* --user NAME: an esis user of a shared Unix account */
    const char       *config_path; /* --config FILE: settings over the others (conf_where.h) */
    bool              password_from_fd; /* --password-fd N given: */
    int               password_fd;      /* N, read for a shared account's password */
    bool              untrusted;   /* installed setgid, run by someone not root:
                                    * nothing the caller names is trusted */
    const char       *env_ignored; /* ESIS_* variables dropped at start, or "" */
    char              err[1024];
} esis_app;

/* What app_open prepares. */
enum {
    APP_CONF  = 1 << 0,  /* read conf/ */
    APP_DB    = 1 << 1,  /* open the database (must exist and be migrated) */
    APP_RULES = 1 << 2,  /* load conf/rules */
    APP_LOGIN = 1 << 3,  /* identify the user (Unix login or password) */
    APP_CREATE = 1 << 4, /* create the database if missing (init) */
};

/* Prepare what `what` asks for.  The settings are read in the layers of
 * include/esis/conf_where.h (app->config_path is --config's FILE).  db_path
 * NULL means $ESIS_DB, then the path the settings name.  For an untrusted caller (app->untrusted) only
 * the installed settings count: the database is the one they name (a
 * --db naming another is refused), every command that opens it logs in,
 * the login is checked on a read-only connection before the database is
 * opened for work, and init is root's (doc/security.md).  Returns 0, or an exit status (2 for a usage, conf
 * or load error, 1 otherwise) with app->err set. */
int app_open(esis_app *app, const char *argv0, const char *db_path, unsigned what);
void app_close(esis_app *app);

/* The rules environment for a round code (NULL: the current round). */
bool app_rules_env(const esis_app *app, const char *round_code, rules_env *env,
                   conf_round *round_out);

/* A user-visible message in the current language. */
const char *app_msg(const esis_app *app, const char *key);

#endif

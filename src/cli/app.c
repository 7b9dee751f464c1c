/*
 * app.c: preparing the application context for a command or the TUI, and
 * releasing it.  The order matters: settings first (they name the database),
 * then the database (migrated on open), the schema, who is working (their
 * session is attached to the connection before any data is read), and the
 * rules last (they are checked against the schema).
 */
#include "esis/app.h"
#include "esis/conf_where.h"
#include "esis/db_gate.h"
#include "esis/auth.h"
#include "esis/db.h"
#include "esis/privilege.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* An untrusted caller's database is the installed one: refused when a
 * --db names another, when the settings name it relatively (then the
 * caller's current directory would choose it), or to create (init). */
static int untrusted_path(esis_app *app, const char *db_path, unsigned what)
{
    const char *installed = app->conf->db_path;
    if (what & APP_CREATE) {
        snprintf(app->err, sizeof app->err, "%s", app_msg(app, "trust.no_init"));
        return 1;
    }
    if (!installed || installed[0] != '/') {
        snprintf(app->err, sizeof app->err, "%s (%s)", app_msg(app, "trust.db_relative"),
                 installed ? installed : "");
        return 2;
    }
    if (db_path && *db_path && strcmp(db_path, installed) != 0) {
        snprintf(app->err, sizeof app->err, "--db %s: %s %s", db_path, app_msg(app, "trust.db_refused"),
                 installed);
        return 2;
    }
    return 0;
}

int app_open(esis_app *app, const char *argv0, const char *db_path, unsigned what)
{
    if (what & (APP_DB | APP_RULES | APP_LOGIN)) what |= APP_CONF;
    if (what & (APP_RULES | APP_LOGIN)) what |= APP_DB;
    if (what & APP_CONF) {
        app->home = conf_find_home(argv0);
        if (!app->home) { snprintf(app->err, sizeof app->err, "out of memory"); return 1; }
        /* Untrusted, the settings are the installed ones, found from the
         * binary's own path; never the current directory. */
        if (app->untrusted && app->home[0] != '/') {
            snprintf(app->err, sizeof app->err, "%s", app_msg(app, "trust.no_home"));
            return 2;
        }
        conf_where where;
        if (conf_where_find(&where, app->config_path, app->untrusted) != 0) {
            snprintf(app->err, sizeof app->err, "out of memory");
            return 1;
        }
        int crc = conf_load_layered(app->home, where.layers, where.nlayers, &app->conf, app->err,
                                    sizeof app->err);
        bool refused = where.config_refused;
        conf_where_free(&where);
        if (crc != 0) return 2;
        if (!app->lang) app->lang = app->conf->lang;
        /* An untrusted --config outside the system directory: its words
         * come from the settings, so the refusal waits until they are read. */
        if (refused) {
            char sysdir[256];
            conf_where_sysconf(true, sysdir, sizeof sysdir);
            snprintf(app->err, sizeof app->err, "--config %s: %s %s/", app->config_path,
                     app_msg(app, "conf.config_refused"), sysdir);
            return 2;
        }
        if (app->env_ignored && *app->env_ignored)
            fprintf(stderr, "esis: %s %s\n", app_msg(app, "trust.env_ignored"), app->env_ignored);
    }
    if (!(what & APP_DB)) return 0;

    const char *path = db_path;
    if (app->untrusted) {
        int rc = untrusted_path(app, db_path, what);
        if (rc) return rc;
        path = app->conf->db_path;
        what |= APP_LOGIN;
    }
    if (!path || !*path) path = getenv("ESIS_DB");
    if (!path || !*path) path = app->conf->db_path;
    app->db_path = strdup(path);
    if (!app->db_path) { snprintf(app->err, sizeof app->err, "out of memory"); return 1; }
    char err[600];
    /* Installed setgid esis: the group opens the database and its -wal and
     * -shm (db_open reads, which creates them), then is given up for good
     * (include/esis/privilege.h, doc/deploy.md). */
    int raised = privilege_db_enter(path, err, sizeof err);
    if (raised < 0) { snprintf(app->err, sizeof app->err, "%s", err); return 1; }
    if (raised && (what & APP_CREATE) && getuid() != 0) {
        privilege_drop(err, sizeof err);
        snprintf(app->err, sizeof app->err, "%s: %s", path, app_msg(app, "priv.no_create"));
        return 1;
    }
    char perr[200];
    struct stat st;
    if (!(what & APP_CREATE) && stat(path, &st) != 0) {
        privilege_drop(err, sizeof err);
        snprintf(app->err, sizeof app->err, "%s: %s %s", path, app_msg(app, "cli.no_database"), path);
        return 2;
    }
    mode_t old_mask = raised ? umask(007) : 0;
    /* An untrusted caller with no esis account reads one row's absence on
     * a read-only connection and stops: no migration, no session, nothing
     * written in the group's directory (seen in issue 15).  Nor does any
     * untrusted caller migrate: the schema is changed by root
     * (deploy/install.sh), before anyone has logged in. */
    int version = 0;
    if (app->untrusted) {
        int arc = auth_account_exists(path, app->login_as, &version, err, sizeof err);
        if (arc == 0 && version != db_schema_version_latest()) {
            snprintf(err, sizeof err, "%s (%d, %d)", app_msg(app, "trust.needs_upgrade"), version,
                     db_schema_version_latest());
            arc = -1;
        }
        if (arc != 0) {
            if (raised) umask(old_mask);
            privilege_drop(perr, sizeof perr);
            snprintf(app->err, sizeof app->err, "%s", err);
            return 2;
        }
    }
    int orc = db_open(path, (what & APP_CREATE) != 0, app->conf->busy_timeout_ms, &app->db, err, sizeof err);
    /* The read-only gates rules and reports run on are further connections
     * to the same file: opened now, while the group still can (a report
     * set, a rule load and a check at once), then lent and handed back. */
    if (orc == SQLITE_OK && raised) orc = db_gate_reserve(app->db, 3, err, sizeof err);
    if (raised) umask(old_mask);
    if (privilege_drop(perr, sizeof perr) != 0) {
        snprintf(app->err, sizeof app->err, "%s", perr);
        return 1;
    }
    if (orc != SQLITE_OK) {
        snprintf(app->err, sizeof app->err, "%s", err);
        return 2;
    }
    if (db_schema_load(app->db, &app->schema, err, sizeof err) != SQLITE_OK) {
        snprintf(app->err, sizeof app->err, "%s", err);
        return 1;
    }
    if (what & APP_LOGIN) {
        auth_login_opts lo = { app->login_as, app->origin, app->password_from_fd ? app->password_fd : -1,
                               !app->untrusted, 0,
                               app->conf, app->lang };
        app->user = auth_login_with(app->db, &lo, err, sizeof err);
        if (!app->user) { snprintf(app->err, sizeof app->err, "%s", err); return 2; }
        if (app->user->session.origin == NULL) app->user->session.origin = "esis";
        db_session_set(app->db, &app->user->session);
    }
    if (what & APP_RULES) {
        char rdir[4200];
        snprintf(rdir, sizeof rdir, "%s/conf/rules", app->home);
        app->rules = rules_load(rdir, app->schema, app->conf, app->db, err, sizeof err);
        if (!app->rules) { snprintf(app->err, sizeof app->err, "%s", err); return 2; }
    }
    return 0;
}

void app_close(esis_app *app)
{
    if (app->db) { db_session_set(app->db, NULL); db_close(app->db); }
    rules_free(app->rules);
    schema_free(app->schema);
    auth_user_free(app->user);
    conf_free(app->conf);
    free(app->home);
    free(app->db_path);
    memset(app, 0, sizeof *app);
}

bool app_rules_env(const esis_app *app, const char *round_code, rules_env *env, conf_round *round_out)
{
    conf_round r;
    if (round_code) {
        if (!conf_round_get(app->conf, round_code, &r)) return false;
    } else {
        conf_round_current(app->conf, text_date_today(), &r);
    }
    memset(env, 0, sizeof *env);
    env->academic_year = r.year;
    env->as_of = r.as_of;
    env->today = text_date_today();
    if (round_out) *round_out = r;
    env->round_code = round_out ? round_out->code : NULL;
    return true;
}

const char *app_msg(const esis_app *app, const char *key)
{
    return conf_msg_lang(app->conf, app->lang ? app->lang : "th", key);
}

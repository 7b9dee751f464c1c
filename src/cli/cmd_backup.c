/*
 * cmd_backup.c: `esis backup PATH` and `esis restore PATH`.
 *
 * Backup copies the live database with SQLite's online backup API while
 * others keep working (committed data only), then checks the copy.  The
 * copy holds every school's personal data outside the gate, so only
 * administrators may make one, and it is created 0600 (umask 077 while it
 * is written) with the administrator's own rights: by the time a command
 * runs, esis has given up the esis group (doc/deploy.md).
 *
 * Restore checks the file first (integrity, an esis schema, a version this
 * esis knows) and refuses a bad one with the reason (exit 1); then copies
 * it into the live database through the backup API (db_restore explains why
 * that is safe for sessions that are working), applies missing migrations
 * and audits the restore.  Take a backup of the current state first when it
 * may be wanted again: restore does not keep one by itself.
 */
#include "esis/auth.h"
#include "esis/cli.h"
#include "esis/db.h"

#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int backup(esis_app *app, int argc, char **argv)
{
    if (!auth_may_admin(app->user)) return cli_fail(1, "%s", app_msg(app, "backup.admin_only"));
    const char *path = NULL;
    bool force = false;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--force")) force = true;
        else if (argv[i][0] != '-' && !path) path = argv[i];
        else return cli_fail(2, "backup: unknown argument '%s'", argv[i]);
    }
    if (!path) return cli_fail(2, "usage: esis backup PATH [--force]");
    struct stat st;
    if (stat(path, &st) == 0) {
        if (!force) return cli_fail(1, "%s %s", app_msg(app, "backup.exists"), path);
        if (unlink(path) != 0) return cli_fail(1, "%s: cannot replace it", path);
    }
    char err[600];
    mode_t old = umask(077);
    int rc = db_backup(app->db, path, err, sizeof err);
    umask(old);
    if (rc != SQLITE_OK) return cli_fail(1, "%s", err);
    if (db_check_file(path, err, sizeof err) != SQLITE_OK) return cli_fail(1, "%s", err);
    long long size = stat(path, &st) == 0 ? (long long)st.st_size : -1;
    printf("%s %s (%lld bytes, schema %d)\n", app_msg(app, "backup.done"), path, size, db_schema_version(app->db));
    return 0;
}

static int restore(esis_app *app, int argc, char **argv)
{
    if (!auth_may_admin(app->user)) return cli_fail(1, "%s", app_msg(app, "backup.admin_only"));
    if (argc != 2 || argv[1][0] == '-') return cli_fail(2, "usage: esis restore PATH");
    const char *path = argv[1];
    char err[600];
    if (db_check_file(path, err, sizeof err) != SQLITE_OK)
        return cli_fail(1, "%s %s", app_msg(app, "restore.refused"), err);
    if (db_restore(app->db, path, err, sizeof err) != SQLITE_OK)
        return cli_fail(1, "%s %s", app_msg(app, "restore.refused"), err);
    printf("%s %s (schema %d)\n", app_msg(app, "restore.done"), path, db_schema_version(app->db));
    return 0;
}

const esis_cmd cmd_backup = {
    "backup", "backup PATH [--force]", "cmd.backup", APP_LOGIN, backup,
};

const esis_cmd cmd_restore = {
    "restore", "restore PATH", "cmd.restore", APP_LOGIN, restore,
};

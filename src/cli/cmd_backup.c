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
 * The copy is written under a temporary name and renamed when whole and
 * checked (db_backup), so a full disk leaves no partial file, and with
 * --force an old backup is replaced only by a good new one.
 *
 * Restore replaces everything, so it protects the user first:
 *   - it checks the file (integrity, an esis schema, a version this esis
 *     knows) and refuses a bad one with the reason (exit 1);
 *   - it asks on a terminal (type "yes"); without a terminal (a script,
 *     cron) it needs --yes, else exit 2 and nothing changed;
 *   - it copies the live database aside first, to
 *     <database>.before-restore-YYYYMMDD-HHMMSS beside it (or beside the
 *     file being restored, when the administrator may not write beside the
 *     database, as in a deployed install), and says where;
 *   - then it copies the file into the live database through the backup API
 *     (db_restore explains why that is safe for sessions that are working),
 *     applies missing migrations, appends the audit rows written since the
 *     backup was made (taken from the safety copy: the trail of who did what
 *     survives the restore) and audits the restore.
 */
#include "esis/auth.h"
#include "esis/cli.h"
#include "esis/db.h"

#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* An administrator's "CMD PATH [FLAG]": 0, or the exit status of a refusal
 * or a usage error. */
static int admin_args(esis_app *app, int argc, char **argv, const char *flag, const char *usage,
                      const char **path, bool *set)
{
    if (!auth_may_admin(app->user)) return cli_fail(1, "%s", app_msg(app, "backup.admin_only"));
    *path = NULL;
    *set = false;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], flag)) *set = true;
        else if (argv[i][0] != '-' && !*path) *path = argv[i];
        else return cli_fail(2, "%s: unknown argument '%s'", argv[0], argv[i]);
    }
    return *path ? 0 : cli_fail(2, "usage: esis %s", usage);
}

static int backup(esis_app *app, int argc, char **argv)
{
    const char *path;
    bool force;
    int usage = admin_args(app, argc, argv, "--force", "backup PATH [--force]", &path, &force);
    if (usage) return usage;
    struct stat st;
    if (stat(path, &st) == 0) {
        if (!force) return cli_fail(1, "%s %s", app_msg(app, "backup.exists"), path);
    }
    char err[600];
    mode_t old = umask(077);
    int rc = db_backup(app->db, path, err, sizeof err);
    umask(old);
    if (rc != SQLITE_OK) return cli_fail(1, "%s %s", app_msg(app, "backup.failed"), err);
    long long size = stat(path, &st) == 0 ? (long long)st.st_size : -1;
    printf("%s %s (%lld bytes, schema %d)\n", app_msg(app, "backup.done"), path, size, db_schema_version(app->db));
    return 0;
}

/* Ask on the terminal; true when the answer is yes. */
static bool confirmed(esis_app *app, const char *path)
{
    fprintf(stderr, "%s\n%s ", path, app_msg(app, "restore.ask"));
    fflush(stderr);
    char answer[32];
    if (!fgets(answer, sizeof answer, stdin)) return false;
    answer[strcspn(answer, "\r\n")] = '\0';
    return !strcmp(answer, "yes");
}

/* <database>.before-restore-YYYYMMDD-HHMMSS in dir (NULL: beside the live
 * database). */
static int safety_path(esis_app *app, const char *dir, char *out, size_t outsz)
{
    const char *live = sqlite3_db_filename(app->db, "main");
    if (!live || !*live) return -1;
    char stamp[32];
    time_t now = time(NULL);
    struct tm tm;
    localtime_r(&now, &tm);
    strftime(stamp, sizeof stamp, "%Y%m%d-%H%M%S", &tm);
    const char *base = strrchr(live, '/');
    int n = dir ? snprintf(out, outsz, "%s/%s.before-restore-%s", dir, base ? base + 1 : live, stamp)
                : snprintf(out, outsz, "%s.before-restore-%s", live, stamp);
    return n > 0 && (size_t)n < outsz ? 0 : -1;
}

/* The live database copied aside before it is replaced: beside it, or,
 * where the administrator may not write (a deployed install gives the
 * group up before a command runs, doc/deploy.md), beside the file being
 * restored, which is the administrator's own.  0 with the path in out, or
 * the exit status of a refusal. */
static int keep_safety_copy(esis_app *app, const char *restored, char *out, size_t outsz)
{
    char err[600] = "", dir[4200];
    snprintf(dir, sizeof dir, "%s", restored);
    char *slash = strrchr(dir, '/');
    if (slash) *slash = '\0';
    else snprintf(dir, sizeof dir, ".");
    for (int i = 0; i < 2; i++) {
        if (safety_path(app, i ? dir : NULL, out, outsz) != 0)
            return cli_fail(1, "%s %s", app_msg(app, "restore.refused"), "the live database has no file name");
        mode_t old = umask(077);
        int rc = db_backup(app->db, out, err, sizeof err);
        umask(old);
        if (rc == SQLITE_OK) return 0;
    }
    return cli_fail(1, "%s %s", app_msg(app, "restore.refused"), err);
}

static int restore(esis_app *app, int argc, char **argv)
{
    const char *path;
    bool yes;
    int usage = admin_args(app, argc, argv, "--yes", "restore PATH [--yes]", &path, &yes);
    if (usage) return usage;
    char err[600];
    if (db_check_file(path, err, sizeof err) != SQLITE_OK)
        return cli_fail(1, "%s %s", app_msg(app, "restore.refused"), err);
    if (!yes) {
        if (!isatty(STDIN_FILENO)) return cli_fail(2, "%s", app_msg(app, "restore.needs_yes"));
        if (!confirmed(app, path)) return cli_fail(1, "%s", app_msg(app, "restore.cancelled"));
    }
    char safety[4300];
    int refused = keep_safety_copy(app, path, safety, sizeof safety);
    if (refused) return refused;
    printf("%s %s\n", app_msg(app, "restore.safety_copy"), safety);
    long kept = 0;
    if (db_restore_keeping(app->db, path, safety, &kept, err, sizeof err) != SQLITE_OK)
        return cli_fail(1, "%s %s (%s %s)", app_msg(app, "restore.refused"), err,
                        app_msg(app, "restore.safety_copy"), safety);
    printf("%s %ld\n", app_msg(app, "restore.audit_kept"), kept);
    printf("%s %s (schema %d)\n", app_msg(app, "restore.done"), path, db_schema_version(app->db));
    return 0;
}

const esis_cmd cmd_backup = {
    "backup", "backup PATH [--force]", "cmd.backup", APP_LOGIN, backup,
};

const esis_cmd cmd_restore = {
    "restore", "restore PATH [--yes]", "cmd.restore", APP_LOGIN, restore,
};

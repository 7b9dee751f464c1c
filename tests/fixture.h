/*
 * fixture.h: the one place the cmocka tests get what each of them used to
 * set up by hand (issue 17, seen 7: the same helpers copied across 14
 * files): where conf/ is, the settings, a fresh database path or temporary
 * directory, removing it again, and an application context over a new
 * database.  The narrower fixtures build on it (rules_fixture.h,
 * unit_fixture.h, screens_fixture.h).
 *
 * Every function reports a failure on stderr and returns -1 (or NULL), so
 * that a cmocka setup can return it; a test body wraps it in assert_*.
 */
#ifndef ESIS_TEST_FIXTURE_H
#define ESIS_TEST_FIXTURE_H

#include "testutil.h"
#include "esis/app.h"
#include "esis/conf.h"
#include "esis/db.h"
#include "esis/rules.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* The directory holding conf/ and screens/: $ESIS_TEST_HOME (a test may
 * point one binary elsewhere), else $ESIS_HOME (tests/run sets it), else
 * the current directory. */
static __attribute__((unused)) const char *fx_home(void)
{
    const char *h = getenv("ESIS_TEST_HOME");
    if (!h || !*h) h = getenv("ESIS_HOME");
    return h && *h ? h : ".";
}

/* conf_load of fx_home(): the settings, or NULL with the reason on stderr.
 * The caller frees (conf_free). */
static __attribute__((unused)) esis_conf *fx_conf(void)
{
    esis_conf *c = NULL;
    char err[1024] = "";
    if (conf_load(fx_home(), &c, err, sizeof err) != 0) fprintf(stderr, "conf: %s\n", err);
    return c;
}

/* A database path of this test and process, /tmp/esis_test_NAME_PID.db,
 * with whatever an earlier run left there (and its -wal, -shm) removed. */
static __attribute__((unused)) void fx_db_path(char *buf, size_t bufsz, const char *name)
{
    snprintf(buf, bufsz, "/tmp/esis_test_%s_%d.db", name, (int)getpid());
    unlink_db(buf);
}

/* A new, empty directory /tmp/esis-NAME-XXXXXX in buf.  0 or -1. */
static __attribute__((unused)) int fx_tmpdir(char *buf, size_t bufsz, const char *name)
{
    snprintf(buf, bufsz, "/tmp/esis-%s-XXXXXX", name);
    if (mkdtemp(buf)) return 0;
    perror(buf);
    return -1;
}

/* dir and everything in it removed.  0 or -1. */
static __attribute__((unused)) int fx_rmtree(const char *dir)
{
    char cmd[1200];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    return system(cmd) == 0 ? 0 : -1;
}

/* A copy of fx_home()'s conf/ in a new temporary directory (dir gets its
 * path, a home for conf_load), with the sed expression sed_expr applied to
 * conf/FILE: a loader's error case.  0 or -1; fx_rmtree(dir) removes it. */
static __attribute__((unused)) int fx_conf_copy(char *dir, size_t dirsz, const char *file, const char *sed_expr)
{
    char cmd[2000];
    if (fx_tmpdir(dir, dirsz, "conf") != 0) return -1;
    snprintf(cmd, sizeof cmd, "cp -R '%s/conf' '%s/' && sed -i '%s' '%s/conf/%s'", fx_home(), dir, sed_expr,
             dir, file);
    if (system(cmd) == 0) return 0;
    fprintf(stderr, "cannot copy and edit conf/%s: %s\n", file, cmd);
    return -1;
}

/* app over a new database at db_path (created and migrated), the settings
 * of fx_home(), the schema, in English; with_rules: conf/rules loaded too.
 * No session: the test attaches the one it wants.  0, or -1 with the
 * reason on stderr; app_close releases it either way. */
static __attribute__((unused)) int fx_app_open(esis_app *app, const char *db_path, bool with_rules)
{
    char err[1024] = "";
    memset(app, 0, sizeof *app);
    app->lang = "en";
    if (!(app->home = strdup(fx_home())) || conf_load(app->home, &app->conf, err, sizeof err) != 0) {
        fprintf(stderr, "conf: %s\n", err);
        return -1;
    }
    if (db_open(db_path, true, 2000, &app->db, err, sizeof err) != SQLITE_OK ||
        db_schema_load(app->db, &app->schema, err, sizeof err) != SQLITE_OK) {
        fprintf(stderr, "db: %s\n", err);
        return -1;
    }
    if (with_rules) {
        char rdir[4200];
        snprintf(rdir, sizeof rdir, "%s/conf/rules", app->home);
        if (!(app->rules = rules_load(rdir, app->schema, app->conf, app->db, err, sizeof err))) {
            fprintf(stderr, "rules: %s\n", err);
            return -1;
        }
    }
    return 0;
}

#endif

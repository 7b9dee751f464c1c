/*
 * cmd_init.c: `esis init [--db PATH] [--demo [--students N] [--schools M] [--seed S]]`
 *
 * Creates (or brings up to date) the database: the data model, the address
 * reference data from conf/data/thai-admin-areas.csv, the rounds of the
 * current and previous academic year, and the Unix user who runs it as the
 * first administrator.  With --demo it fills a deterministic synthetic
 * district so that every screen and check has something real to show.
 */
#include "esis/cli.h"
#include "esis/auth.h"
#include "esis/db.h"
#include "esis/demo.h"
#include "esis/io.h"
#include "esis/rounds.h"

extern const esis_cmd cmd_init;

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct area_load {
    sqlite3_stmt *st;
    long rows;
    int rc;
} area_load;

static int area_row(const io_csv_row *row, void *user)
{
    area_load *a = user;
    if (row->line_no == 1 || row->status != IO_ROW_OK || row->nfields < 7) return 0;
    sqlite3_reset(a->st);
    for (int i = 0; i < 7; i++) sqlite3_bind_text(a->st, i + 1, row->fields[i], -1, SQLITE_STATIC);
    if (db_step(a->st) != SQLITE_DONE) { a->rc = -1; return 1; }
    a->rows++;
    return 0;
}

/* The address reference data, refreshed from the CSV (it may lag behind
 * administrative changes: replace the file and run init again). */
static int load_admin_areas(esis_app *app)
{
    char path[4200], err[512];
    snprintf(path, sizeof path, "%s/conf/data/thai-admin-areas.csv", app->home);
    FILE *fp = fopen(path, "rb");
    if (!fp) return cli_fail(1, "%s: cannot open", path);
    area_load a = { NULL, 0, 0 };
    int rc = db_begin(app->db);
    if (rc == SQLITE_OK) rc = db_exec(app->db, "DELETE FROM admin_areas", err, sizeof err);
    if (rc == SQLITE_OK)
        rc = db_prepare(app->db, "INSERT INTO admin_areas(province_code, province, amphoe_code, amphoe,"
                                 " tambon_code, tambon, postcode) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)", &a.st);
    if (rc == SQLITE_OK && io_csv_read(fp, path, NULL, area_row, &a, NULL, err, sizeof err) != 0) rc = SQLITE_ERROR;
    if (a.rc) rc = SQLITE_ERROR;
    sqlite3_finalize(a.st);
    fclose(fp);
    if (rc == SQLITE_OK) rc = db_commit(app->db);
    if (rc != SQLITE_OK) {
        db_rollback(app->db);
        return cli_fail(1, "%s: %s", path, sqlite3_errmsg(app->db));
    }
    return 0;
}

static int first_admin(esis_app *app)
{
    char *login = auth_unix_login();
    if (!login) return cli_fail(1, "out of memory");
    int rc = 0;
    if (!db_query_int(app->db, 0, "SELECT count(*) FROM users WHERE login = ?1", login, (const char *)NULL)) {
        char err[512];
        if (auth_user_add(app->db, login, "admin", NULL, 0, login, NULL, NULL, err, sizeof err) != 0)
            rc = cli_fail(1, "%s", err);
        else
            printf("%s %s\n", app_msg(app, "init.first_admin"), login);
    }
    free(login);
    return rc;
}

static int parse_long(const char *v, long lo, long hi, long *out)
{
    char *end;
    long n = v ? strtol(v, &end, 10) : 0;
    if (!v || *end || n < lo || n > hi) return -1;
    *out = n;
    return 0;
}

static int run(esis_app *app, int argc, char **argv)
{
    bool demo = false;
    demo_opts o;
    demo_opts_default(&o);
    for (int i = 1; i < argc; i++) {
        const char *v;
        long n;
        if (!strcmp(argv[i], "--demo")) demo = true;
        else if ((v = cli_opt_value(argc, argv, &i, "--students"))) {
            if (parse_long(v, 1, 100000000, &n)) return cli_fail(2, "--students: '%s' is not a count", v);
            o.students = n; demo = true;
        } else if ((v = cli_opt_value(argc, argv, &i, "--schools"))) {
            if (parse_long(v, 1, 100000, &n)) return cli_fail(2, "--schools: '%s' is not a count", v);
            o.schools = (int)n; demo = true;
        } else if ((v = cli_opt_value(argc, argv, &i, "--seed"))) {
            if (parse_long(v, 0, 2147483647, &n)) return cli_fail(2, "--seed: '%s' is not a number", v);
            o.seed = (unsigned long)n;
        } else return cli_fail(2, "init: unknown argument '%s'\nusage: esis %s", argv[i], cmd_init.usage);
    }
    char err[600];
    int year = conf_academic_year(text_date_today());
    if (demo && db_query_int(app->db, 0, "SELECT count(*) FROM schools", (const char *)NULL) > 0)
        return cli_fail(1, "%s: %s", app->db_path, app_msg(app, "init.not_empty"));
    int rc = load_admin_areas(app);
    if (!rc) rc = first_admin(app);
    if (rc) return rc;
    if (demo) {
        /* The district's "today" is the round the calendar says we are in. */
        conf_round cur;
        conf_round_current(app->conf, text_date_today(), &cur);
        o.year = cur.year;
        o.current_round = cur.number;
        if (demo_fill(app->db, &o, err, sizeof err) != 0 || demo_fill_office(app->db, &o, err, sizeof err) != 0)
            return cli_fail(1, "demo: %s", err);
        printf("%s: %lld %s, %lld %s (%s %d-1..3), %lld %s, %lld %s\n", app->db_path,
               db_query_int(app->db, 0, "SELECT count(*) FROM schools", (const char *)NULL), app_msg(app, "init.schools"),
               db_query_int(app->db, 0, "SELECT count(DISTINCT citizen_id) FROM students", (const char *)NULL),
               app_msg(app, "init.students"), app_msg(app, "init.rounds"), year,
               db_query_int(app->db, 0, "SELECT count(*) FROM staff", (const char *)NULL), app_msg(app, "init.staff"),
               db_query_int(app->db, 0, "SELECT count(*) FROM buildings", (const char *)NULL), app_msg(app, "init.buildings"));
    }
    /* The demo made its rounds; this adds any the calendar has and it lacks. */
    if (db_begin(app->db) != SQLITE_OK || rounds_ensure_years(app->db, app->conf, year, err, sizeof err) != 0 ||
        db_commit(app->db) != SQLITE_OK) {
        db_rollback(app->db);
        return cli_fail(1, "%s", err);
    }
    printf("%s %s (schema %d)\n", app_msg(app, "init.ready"), app->db_path, db_schema_version(app->db));
    return 0;
}

const esis_cmd cmd_init = {
    "init", "init [--db PATH] [--demo [--students N] [--schools M] [--seed S]]", "cmd.init",
    APP_CONF | APP_DB | APP_CREATE, run,
};

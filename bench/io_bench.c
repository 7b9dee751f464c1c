/*
 * io_bench: `esis import dmc` without the CLI, for bench/io_import.sh: a new
 * database with the schools the file names, an office session, the real
 * conf/ and rules; prints seconds and peak memory.
 *   io_bench HOME DB FILE
 */
#include "esis/app.h"
#include "esis/db.h"
#include "esis/io.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

int main(int argc, char **argv)
{
    if (argc != 4) { fprintf(stderr, "usage: io_bench HOME DB FILE\n"); return 2; }
    static db_session office = { "bench", "bench", "staff", true, true, true, NULL, 0 };
    esis_app app;
    char err[1024] = "";
    memset(&app, 0, sizeof app);
    app.home = argv[1];
    app.lang = "en";
    if (conf_load(app.home, &app.conf, err, sizeof err) != 0 ||
        db_open(argv[2], true, 5000, &app.db, err, sizeof err) != SQLITE_OK ||
        db_schema_load(app.db, &app.schema, err, sizeof err) != SQLITE_OK) {
        fprintf(stderr, "%s\n", err);
        return 1;
    }
    char rdir[4200];
    snprintf(rdir, sizeof rdir, "%s/conf/rules", app.home);
    app.rules = rules_load(rdir, app.schema, app.conf, app.db, err, sizeof err);
    if (!app.rules) { fprintf(stderr, "%s\n", err); return 1; }
    if (getenv("IO_BENCH_NO_RULES")) { rules_free(app.rules); app.rules = NULL; }
    db_session_set(app.db, &office);
    if (db_exec(app.db, "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 400)"
                " INSERT OR IGNORE INTO schools(school_code, name_th, amphoe)"
                " SELECT printf('10%08d', i), 'โรงเรียน ' || i, 'เมือง' FROM n", err, sizeof err) != 0) {
        fprintf(stderr, "%s\n", err);
        return 1;
    }
    const char *extra = getenv("IO_BENCH_SQL");  /* experiments: pragmas, dropped triggers */
    if (extra && db_exec(app.db, extra, err, sizeof err) != 0) { fprintf(stderr, "%s\n", err); return 1; }
    struct timespec a, b;
    clock_gettime(CLOCK_MONOTONIC, &a);
    io_summary s;
    int rc = io_import(&app, "dmc", argv[3], "2567-1", NULL, &s);
    clock_gettime(CLOCK_MONOTONIC, &b);
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    char line[1200];
    io_summary_line(&app, &s, line, sizeof line);
    printf("rc=%d %s%s\nio_import seconds=%.2f maxrss_kb=%ld\n", rc, line, s.message,
           (double)(b.tv_sec - a.tv_sec) + (double)(b.tv_nsec - a.tv_nsec) / 1e9, ru.ru_maxrss);
    rules_free(app.rules);
    schema_free(app.schema);
    db_close(app.db);
    conf_free(app.conf);
    return rc == 0 ? 0 : 1;
}

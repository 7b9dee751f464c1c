/*
 * cmd_demo_csv.c: `esis demo-csv DIR`: write the demo district as canonical
 * CSV files (students.csv of the current round, schools.csv, staff.csv,
 * buildings.csv), for the import benchmarks and for trying an import by
 * hand.  Needs no database and no configuration: the files stream to disk,
 * so a million students take seconds and a few megabytes of memory.
 */
#include "esis/cli.h"
#include "esis/demo.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* A whole number from an option's value, within [lo, hi]. */
static int parse_long(const char *opt, const char *s, long lo, long hi, long *out)
{
    char *end = NULL;
    errno = 0;
    long v = s ? strtol(s, &end, 10) : 0;
    if (!s || !*s || *end || errno || v < lo || v > hi)
        return cli_fail(2, "%s: expected a number %ld..%ld, got '%s'", opt, lo, hi, s ? s : "");
    *out = v;
    return 0;
}

static int run(esis_app *app, int argc, char **argv)
{
    (void)app;
    demo_opts o;
    const char *dir = NULL;
    demo_opts_default(&o);
    static const char USAGE[] = "usage: demo-csv DIR [--students N] [--schools M] [--seed S] [--year Y]";
    for (int i = 1; i < argc; i++) {
        const char *val;
        long v = 0;
        int rc = 0;
        if ((val = cli_opt_value(argc, argv, &i, "--students"))) {
            if (!(rc = parse_long("--students", val, 0, DEMO_MAX_STUDENTS, &v))) o.students = v;
        } else if ((val = cli_opt_value(argc, argv, &i, "--schools"))) {
            if (!(rc = parse_long("--schools", val, 1, 99999, &v))) o.schools = (int)v;
        } else if ((val = cli_opt_value(argc, argv, &i, "--seed"))) {
            if (!(rc = parse_long("--seed", val, 1, 2147483647L, &v))) o.seed = (unsigned long)v;
        } else if ((val = cli_opt_value(argc, argv, &i, "--year"))) {
            if (!(rc = parse_long("--year", val, 2500, 2700, &v))) o.year = (int)v;
        } else if (argv[i][0] == '-' || dir) {
            return cli_fail(2, "%s", USAGE);
        } else {
            dir = argv[i];
        }
        if (rc) return rc;
    }
    if (!dir) return cli_fail(2, "%s", USAGE);
    if (o.students == 0) o.fault_rate = -1;   /* nothing to spoil */
    if (mkdir(dir, 0755) != 0 && errno != EEXIST)
        return cli_fail(1, "%s: %s", dir, strerror(errno));
    char err[1024];
    demo_counts c;
    if (demo_write_csv_counted(dir, &o, &c, err, sizeof err))
        return cli_fail(1, "%s", err);
    long faulty = 0;
    for (int k = 1; k < DEMO_FAULT_KINDS; k++) faulty += c.faults[k];
    printf("%s: %ld schools, %ld students (round %s, %ld faulty), %ld staff, %ld buildings\n",
           dir, c.schools, c.students, c.nrounds_filled ? c.round_code[0] : "-", faulty,
           c.staff, c.buildings);
    return 0;
}

const esis_cmd cmd_demo_csv = {
    .name = "demo-csv",
    .usage = "demo-csv DIR [--students N] [--schools M] [--seed S] [--year Y]",
    .summary = "cmd.demo_csv",
    .needs = 0,
    .run = run,
};

/*
 * demo: a deterministic synthetic district, for `esis init --demo`, the
 * tests and the benchmarks.
 *
 * One province (บุรีรัมย์, with its real amphoe and tambon names), a few
 * amphoe, ~150 schools of every OBEC size class, their EMIS profile (classes,
 * staff, ICT, internet, equipment, service areas), B-obec buildings, the
 * collection rounds of the current and the previous academic year with each
 * school's submissions, and every DMC student of every round that has
 * opened, carried from round to round and promoted from year to year.  A
 * share of the student records (fault_rate) carries the mistakes district
 * officers find by hand: the rules engine must find them too.
 *
 * Determinism: everything comes from the seed through the module's own
 * generator (no rand(), no clock); the same options give the same database
 * rows and the same CSV bytes on every machine.  Each student is a pure
 * function of (seed, school, cohort, index), so the generator streams:
 * memory grows with the number of schools, never with the number of
 * students.
 *
 * "Today" in the district is fixed by current_round: round 1 -> 5 June of
 * the current year (DMC round 1 and EMIS open), 2 -> 20 October (DMC round 2
 * and B-obec open), 3 -> 15 March of the next calendar year (DMC round 3
 * open).  Rounds that closed before that day are 'closed', those that have
 * not opened are 'planned' and hold no data.
 */
#ifndef ESIS_DEMO_H
#define ESIS_DEMO_H

#include <stddef.h>
#include <sqlite3.h>

/* The most students a generated district may have: the country is about
 * 7 million (the national benchmark), with room to spare. */
#define DEMO_MAX_STUDENTS 10000000L

typedef struct demo_opts {
    int schools;        /* default 150 */
    long students;      /* students per round, default 50000 */
    int amphoes;        /* default 3, at most demo_amphoes_max() */
    unsigned long seed; /* default 2567; same seed -> same data, byte for byte */
    int year;           /* the current academic year BE (e.g. 2568); the previous one is filled too */
    double fault_rate;  /* share of faulty student records, default 0.03 */
    int current_round;  /* the DMC round open "today": 1..3, default 1 */
} demo_opts;

/* Fill o with the defaults.  demo_fill and demo_write_csv also treat a zero
 * field as its default, so `demo_opts o = {0}; o.students = 1000;` works:
 * fault_rate 0 means the default 0.03, and a negative fault_rate means a
 * district without faulty records. */
void demo_opts_default(demo_opts *o);

/* The kinds of faulty student records the demo makes. */
typedef enum demo_fault {
    DEMO_FAULT_NONE = 0,
    DEMO_FAULT_CHECK_DIGIT,   /* 13 digits, wrong check digit */
    DEMO_FAULT_DUPLICATE,     /* also enrolled in a second school, no move record */
    DEMO_FAULT_OVER_AGE,      /* 4 years older than the grade's normal age */
    DEMO_FAULT_TOO_YOUNG,     /* 3 years younger */
    DEMO_FAULT_NO_FIRST_NAME,
    DEMO_FAULT_NO_LAST_NAME,
    DEMO_FAULT_PREFIX_GENDER, /* a girl's prefix on a boy or the reverse */
    DEMO_FAULT_FUTURE_BIRTH,  /* born after the round's as-of date */
    DEMO_FAULT_ROOM_ZERO,
    DEMO_FAULT_KINDS
} demo_fault;

/* English name of a fault kind ("check_digit"). */
const char *demo_fault_name(demo_fault f);

/* What a fill or a CSV write made.  Student counts are rows (a duplicate
 * counts in both schools); faults count faulty rows by kind. */
typedef struct demo_counts {
    long schools, rounds, submissions, classes, staff, buildings;
    long ict_devices, internet, equipment, service_areas;
    long students;              /* all rounds */
    long student_moves;
    int  nrounds_filled;        /* DMC rounds with students */
    char round_code[6][16];     /* those rounds, oldest first */
    long round_students[6];     /* rows per round */
    long faults[DEMO_FAULT_KINDS];     /* all rounds */
    long round_faults[6];       /* faulty rows per round */
} demo_counts;

/* Fill an open, migrated, empty esis database (db_open from
 * include/esis/db.h: the audit triggers need its functions).  One
 * transaction per table batch (per round for students).  counts may be
 * NULL.  Returns 0, or -1 with err (and the batch in progress rolled back). */
int demo_fill(sqlite3 *db, const demo_opts *o, char *err, size_t errsz);
int demo_fill_counted(sqlite3 *db, const demo_opts *o, demo_counts *counts,
                      char *err, size_t errsz);

/* Write the same data as canonical CSV (UTF-8 BOM, CRLF, every field
 * quoted, dates DD/MM/YYYY BE) into dir: students.csv (the current round's
 * students), schools.csv, staff.csv and buildings.csv.  Streams: memory is
 * independent of the number of students.  dir must exist.  counts may be
 * NULL.  Returns 0 or -1 with err naming the file. */
int demo_write_csv(const char *dir, const demo_opts *o, char *err, size_t errsz);
int demo_write_csv_counted(const char *dir, const demo_opts *o,
                           demo_counts *counts, char *err, size_t errsz);

/* The number of amphoe names the demo knows. */
int demo_amphoes_max(void);

/* The password of the demo's office accounts (director, group_head, staff):
 * a demo is for trying esis, never for a district's real data. */
#define DEMO_PASSWORD "esis-demo"

/* The unit's own work over a filled district (src/demo/office.c): the
 * office's accounts and a few pending requests, a coordination record and a
 * survey, dated in o->year, the records the README's examples name.  Run
 * with no session (esis init) or an administrator's.  Returns 0 or -1 with
 * err. */
int demo_fill_office(sqlite3 *db, const demo_opts *o, char *err, size_t errsz);

#endif

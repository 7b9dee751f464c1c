/*
 * demo_internal.h: what the demo's files share.
 *
 *   names.c     the const tables: Thai names, villages, temples, the
 *               province's amphoe and tambon, occupations, designs.
 *   tables.c    the tables the demo writes, as column lists (database
 *               column, CSV header, whether it is a date or database-only).
 *   world.c     options, the random generator, the schools and the rounds.
 *   students.c  the DMC students of a round, with the faulty ones.
 *   emis.c      rounds, submissions, classes, staff, buildings, ICT,
 *               internet, equipment, service areas.
 *   fill.c      the database sink; csv.c the CSV sink.
 *
 * The generator emits rows as arrays of strings (NULL for SQL NULL) in the
 * order of the table's columns; a sink binds them or writes them.  Dates are
 * ISO (CE) in the row; the CSV sink turns them into BE.
 */
#ifndef ESIS_DEMO_INTERNAL_H
#define ESIS_DEMO_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>
#include "esis/demo.h"
#include "esis/text.h"

/* ---- the random generator --------------------------------------------- */

/* splitmix64: a 64-bit state, good enough statistics for synthetic data,
 * and cheap to seed from a hash of (seed, what, i, j, k) so each entity
 * has its own independent stream. */
typedef struct demo_rng { uint64_t s; } demo_rng;

static inline uint64_t demo_mix64(uint64_t z)
{
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}
static inline uint64_t demo_next(demo_rng *r)
{
    r->s += 0x9e3779b97f4a7c15ULL;
    return demo_mix64(r->s);
}
/* A stream for an entity: tag names the kind, a b c its indices. */
static inline demo_rng demo_rng_for(uint64_t seed, uint64_t tag, uint64_t a,
                                    uint64_t b, uint64_t c)
{
    demo_rng r;
    r.s = demo_mix64(seed ^ demo_mix64(tag + 0x1000193ULL * demo_mix64(a + 1)
          + 0x3c6ef372ULL * demo_mix64(b + 7) + 0x5bd1e995ULL * demo_mix64(c + 13)));
    return r;
}
/* Uniform in [0, 1). */
static inline double demo_unit(demo_rng *r)
{
    return (double)(demo_next(r) >> 11) * (1.0 / 9007199254740992.0);
}
/* Uniform integer in [lo, hi]. */
static inline long demo_range(demo_rng *r, long lo, long hi)
{
    return lo + (long)(demo_next(r) % (uint64_t)(hi - lo + 1));
}
static inline bool demo_chance(demo_rng *r, double p) { return demo_unit(r) < p; }
/* Approximately normal (sum of 4 uniforms, scaled): enough for heights and
 * school sizes, and identical on every libm. */
double demo_gauss(demo_rng *r);
/* Index by weights (w[0..n), any positive scale). */
int demo_pick_weighted(demo_rng *r, const double *w, int n);

/* Tags of the streams (any distinct numbers). */
enum {
    TAG_SCHOOL = 1, TAG_SIZE, TAG_COHORT, TAG_STUDENT, TAG_STUDENT_ROUND,
    TAG_STAFF, TAG_BUILDING, TAG_ICT, TAG_EQUIP, TAG_AREA, TAG_SUBMIT,
    TAG_MOVE, TAG_PARENT, TAG_NAMEPERM
};

/* ---- const tables (names.c) ------------------------------------------- */

typedef struct demo_list { const char *const *v; int n; } demo_list;

typedef struct demo_amphoe {
    const char *name, *code, *postcode;  /* นางรอง, 3104, 31110 */
    double lat, lon;                     /* its centre, roughly */
    demo_list tambons;
} demo_amphoe;

extern const char DEMO_PROVINCE[];       /* บุรีรัมย์ */
extern const char DEMO_PROVINCE_CODE[];  /* 31 */
extern const demo_amphoe DEMO_AMPHOES[];
extern const int DEMO_NAMPHOES;

extern const demo_list DEMO_MALE_NAMES, DEMO_FEMALE_NAMES;
extern const demo_list DEMO_MALE_HEADS, DEMO_MALE_TAILS;
extern const demo_list DEMO_FEMALE_HEADS, DEMO_FEMALE_TAILS;
extern const demo_list DEMO_SURNAMES, DEMO_SURNAME_HEADS, DEMO_SURNAME_MIDS,
                       DEMO_SURNAME_TAILS;
extern const demo_list DEMO_FOREIGN_FIRST[3], DEMO_FOREIGN_LAST[3]; /* MM KH LA */
extern const demo_list DEMO_VILLAGE_HEADS, DEMO_VILLAGE_TAILS, DEMO_WATS;
extern const demo_list DEMO_OCCUPATIONS, DEMO_DESTINATIONS;
extern const demo_list DEMO_MAJORS;      /* by subject group, 10 entries */

typedef struct demo_design {
    const char *type;     /* building_type code */
    const char *code;     /* design code */
    int floors, rooms, classrooms;
    double area;          /* square metres */
    double cost;          /* baht at BE 2560 prices */
} demo_design;
extern const demo_design DEMO_DESIGNS[];
extern const int DEMO_NDESIGNS;

typedef struct demo_item {
    const char *category, *asset_prefix, *name;
    double value;
} demo_item;
extern const demo_item DEMO_ITEMS[];
extern const int DEMO_NITEMS;

static inline const char *demo_list_pick(const demo_list *l, demo_rng *r)
{
    return l->v[demo_range(r, 0, l->n - 1)];
}

/* ---- tables and rows (tables.c) --------------------------------------- */

enum { COL_DATE = 1, COL_DBONLY = 2 };
typedef struct demo_col { const char *db, *csv; int flags; } demo_col;
typedef struct demo_table {
    const char *name;        /* database table */
    const demo_col *cols;
    int ncols;
} demo_table;

#define DEMO_MAXCOLS 64
/* A row being built: values point into buf or at constants. */
typedef struct demo_row {
    const char *v[DEMO_MAXCOLS];
    char buf[8192];
    size_t used;
} demo_row;

void demo_row_reset(demo_row *r);
void demo_row_str(demo_row *r, int col, const char *s);   /* s copied */
void demo_row_const(demo_row *r, int col, const char *s); /* s must outlive the row */
void demo_row_fmt(demo_row *r, int col, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
void demo_row_long(demo_row *r, int col, long v);
void demo_row_date(demo_row *r, int col, text_date d);

extern const demo_table DEMO_T_SCHOOLS, DEMO_T_ROUNDS, DEMO_T_SUBMISSIONS,
    DEMO_T_STUDENTS, DEMO_T_MOVES, DEMO_T_CLASSES, DEMO_T_STAFF,
    DEMO_T_BUILDINGS, DEMO_T_ICT, DEMO_T_INTERNET, DEMO_T_EQUIPMENT,
    DEMO_T_AREAS;

/* Column indices (must follow the order in tables.c). */
enum { SC_CODE, SC_NAME, SC_AMPHOE, SC_CODE8, SC_NAME_EN, SC_TYPE, SC_LEVELS,
       SC_HOUSE, SC_VILLAGE_NO, SC_ROAD, SC_TAMBON, SC_PROVINCE, SC_POSTCODE,
       SC_PHONE, SC_EMAIL, SC_WEBSITE, SC_PRINCIPAL, SC_PRINCIPAL_PHONE,
       SC_LAT, SC_LON, SC_DISTANCE, SC_NETWORK, SC_STATUS, SC_CREATED,
       SC_UPDATED, SC_BY, SC_NCOLS };
enum { ST_SCHOOL, ST_ID, ST_PREFIX, ST_FIRST, ST_LAST, ST_GENDER, ST_BIRTH,
       ST_GRADE, ST_ROOM, ST_FIRST_EN, ST_LAST_EN, ST_NATIONALITY,
       ST_ETHNICITY, ST_RELIGION, ST_ENROL, ST_HOUSE, ST_VILLAGE_NO, ST_ROAD,
       ST_TAMBON, ST_AMPHOE, ST_PROVINCE, ST_POSTCODE, ST_FATHER,
       ST_FATHER_ID, ST_FATHER_OCC, ST_FATHER_INC, ST_MOTHER, ST_MOTHER_ID,
       ST_MOTHER_OCC, ST_MOTHER_INC, ST_GUARDIAN, ST_GUARDIAN_ID,
       ST_GUARDIAN_REL, ST_GUARDIAN_OCC, ST_GUARDIAN_INC, ST_POOR,
       ST_HH_MEMBERS, ST_HH_INCOME, ST_POOR_CRITERIA, ST_POOR_SCREENED,
       ST_DISADVANTAGE, ST_DISABILITY, ST_WEIGHT, ST_HEIGHT, ST_DISTANCE,
       ST_TRAVEL, ST_STATUS, ST_STATUS_DATE, ST_MOVED_TO, ST_STATUS_NOTE,
       ST_ROUND, ST_CREATED, ST_UPDATED, ST_BY, ST_NCOLS };
enum { SF_SCHOOL, SF_ID, SF_PREFIX, SF_FIRST, SF_LAST, SF_GENDER, SF_BIRTH,
       SF_POSITION, SF_STANDING, SF_SUBJECT, SF_QUALIFICATION, SF_MAJOR,
       SF_EMPLOYMENT, SF_START, SF_PHONE, SF_STATUS, SF_CREATED, SF_UPDATED,
       SF_BY, SF_NCOLS };
enum { BD_SCHOOL, BD_NO, BD_TYPE, BD_DESIGN, BD_YEAR, BD_SOURCE, BD_AMOUNT,
       BD_FLOORS, BD_ROOMS, BD_CLASSROOMS, BD_AREA, BD_CONDITION, BD_NEED,
       BD_NOTE, BD_CREATED, BD_UPDATED, BD_BY, BD_NCOLS };
enum { RD_CODE, RD_COLLECTION, RD_YEAR, RD_NO, RD_AS_OF, RD_OPENS, RD_CLOSES,
       RD_STATE, RD_PREVIOUS, RD_CREATED, RD_UPDATED, RD_BY, RD_NCOLS };
enum { SU_ROUND, SU_SCHOOL, SU_STATE, SU_REASON, SU_REOPENED, SU_SUBMITTED_AT,
       SU_SUBMITTED_BY, SU_CONFIRMED_AT, SU_CONFIRMED_BY, SU_CREATED,
       SU_UPDATED, SU_BY, SU_NCOLS };
enum { MV_ID, MV_ROUND, MV_SCHOOL, MV_TO, MV_DESTINATION, MV_DATE, MV_REASON,
       MV_CREATED, MV_UPDATED, MV_BY, MV_NCOLS };
enum { CL_SCHOOL, CL_YEAR, CL_GRADE, CL_ROOMS, CL_STUDENTS, CL_CREATED,
       CL_UPDATED, CL_BY, CL_NCOLS };
enum { IC_SCHOOL, IC_YEAR, IC_TYPE, IC_PURPOSE, IC_OWNED, IC_IN_USE,
       IC_CONDITION, IC_SOURCE, IC_CREATED, IC_UPDATED, IC_BY, IC_NCOLS };
enum { IN_SCHOOL, IN_YEAR, IN_TYPE, IN_PROVIDER, IN_SPEED, IN_WIFI,
       IN_CREATED, IN_UPDATED, IN_BY, IN_NCOLS };
enum { EQ_SCHOOL, EQ_ASSET, EQ_CATEGORY, EQ_NAME, EQ_YEAR, EQ_VALUE, EQ_QTY,
       EQ_CONDITION, EQ_CREATED, EQ_UPDATED, EQ_BY, EQ_NCOLS };
enum { SA_SCHOOL, SA_YEAR, SA_VILLAGE_NO, SA_VILLAGE, SA_TAMBON, SA_AMPHOE,
       SA_PROVINCE, SA_C35, SA_C611, SA_C1214, SA_HERE, SA_ELSEWHERE,
       SA_NOT_ENROLLED, SA_CREATED, SA_UPDATED, SA_BY, SA_NCOLS };

/* ---- the world (world.c) ---------------------------------------------- */

#define DEMO_GRADES 12          /* K1 .. M3 */
#define DEMO_COHORTS 13         /* cohorts seen in two years of K1..M3 */
#define DEMO_ROUNDS_MAX 6       /* DMC rounds of two years */

typedef struct demo_school {
    char code[11], code8[9];
    char name[192];
    char village[96];           /* the village the school stands in */
    char network[96];
    char phone[16];
    int index;
    int amphoe, tambon;         /* indices into DEMO_AMPHOES and its tambons */
    int village_no;
    int type;                   /* 1 primary, 2 extended opportunity */
    int first_grade, last_grade;/* 0 = K1 .. 11 = M3 */
    long size;                  /* target students a round */
    double base;                /* students of a full-weight cohort */
    double cohort_jitter[DEMO_COHORTS];
    double poor_factor, migrant_share;
    long id_offset;             /* unique-ID space of its students */
    int pool;                   /* most students any cohort can have */
    bool has_principal;
    double lat, lon, distance_km;
} demo_school;

typedef struct demo_round {
    char code[16];              /* 2568-1 */
    const char *collection;     /* dmc emis bobec */
    int year;                   /* academic year BE */
    int no;                     /* 1..3 for DMC, 1 otherwise */
    text_date as_of, opens, closes;
    const char *state;          /* closed open planned */
    char previous[16];
    int dmc_index;              /* 0..5 for DMC rounds (prev 1-3, cur 1-3), -1 */
} demo_round;

typedef struct demo_world {
    demo_opts o;
    uint64_t seed;
    demo_school *schools;       /* o.schools, owned */
    demo_round rounds[10];      /* previous year then current: 1 2 3 emis bobec */
    int nrounds;
    text_date today;
    int ce0;                    /* CE year the previous academic year starts in */
    double grade_weight[DEMO_GRADES];
    uint64_t id_mul, id_add;    /* the ID scramble */
} demo_world;

/* Build the world (schools and rounds) from the options; 0 or -1 with err. */
int demo_world_init(demo_world *w, const demo_opts *o, char *err, size_t errsz);
void demo_world_free(demo_world *w);
/* The round by DMC index (0..5) or NULL when that round has not opened. */
const demo_round *demo_world_dmc_round(const demo_world *w, int dmc_index);
/* Grade code of index g ("K1"). */
const char *demo_grade_code(int g);
/* A valid 13-digit ID with first digit cat, body from the unique number u
 * (scrambled), region digits from the amphoe code. */
void demo_make_id(const demo_world *w, char cat, const char *region4,
                  uint64_t u, char out[14]);
/* Thai names. */
void demo_thai_first_name(demo_rng *r, int gender, char *out, size_t outsz);
void demo_thai_last_name(demo_rng *r, char *out, size_t outsz);
/* Students in cohort c of school s at grade g (before joins and moves). */
int demo_cohort_count(const demo_world *w, const demo_school *s, int cohort, int g);
/* When student k of cohort ci of school s joins the school and leaves the
 * district: DMC round indices (0 = the previous year's round 1); present in
 * round i when join_at <= i < leave_at. */
void demo_movement(const demo_world *w, const demo_school *s, int ci, int k,
                   int *join_at, int *leave_at);
/* Rooms of grade g in school s in year index yi (0 previous, 1 current). */
int demo_rooms(const demo_world *w, const demo_school *s, int yi, int g);
/* A deterministic timestamp "YYYY-MM-DDTHH:MM:SS" for rows made on day d. */
void demo_stamp(text_date d, int minute_of_day, char out[20]);

/* ---- emitting ------------------------------------------------------- */

/* A sink receives each row; row NULL means "end of a batch" (a sink with
 * transactions commits then).  Non-zero stops the generator. */
typedef int (*demo_emit_fn)(void *user, const demo_table *t, const char *const *v);

/* Which tables to make, and for students which DMC rounds (bits of
 * dmc_index). */
enum {
    DEMO_GEN_SCHOOLS = 1 << 0, DEMO_GEN_ROUNDS = 1 << 1,
    DEMO_GEN_SUBMISSIONS = 1 << 2, DEMO_GEN_CLASSES = 1 << 3,
    DEMO_GEN_STAFF = 1 << 4, DEMO_GEN_BUILDINGS = 1 << 5,
    DEMO_GEN_EMIS_OTHER = 1 << 6, DEMO_GEN_STUDENTS = 1 << 7,
    DEMO_GEN_MOVES = 1 << 8, DEMO_GEN_ALL = (1 << 9) - 1
};

int demo_emit_schools(const demo_world *w, demo_emit_fn fn, void *u, demo_counts *c);
int demo_emit_rounds(const demo_world *w, demo_emit_fn fn, void *u, demo_counts *c);
int demo_emit_submissions(const demo_world *w, demo_emit_fn fn, void *u, demo_counts *c);
int demo_emit_classes(const demo_world *w, demo_emit_fn fn, void *u, demo_counts *c);
int demo_emit_staff(const demo_world *w, demo_emit_fn fn, void *u, demo_counts *c);
int demo_emit_buildings(const demo_world *w, demo_emit_fn fn, void *u, demo_counts *c);
int demo_emit_emis_other(const demo_world *w, demo_emit_fn fn, void *u, demo_counts *c);
/* Students of one DMC round (and, with moves, the moves into that round). */
int demo_emit_students(const demo_world *w, int dmc_index, bool students,
                       bool moves, demo_emit_fn fn, void *u, demo_counts *c);
/* The principal's name of school s ("" when it has none), for schools.csv. */
void demo_principal_name(const demo_world *w, const demo_school *s, char *out, size_t outsz);

/* Everything `what` asks for, in an order the foreign keys accept;
 * student_rounds is a bit mask of DMC round indices. */
int demo_generate(const demo_world *w, unsigned what, unsigned student_rounds,
                  demo_emit_fn fn, void *u, demo_counts *c);

#endif

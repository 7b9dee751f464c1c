/*
 * students.c: the DMC students of one round, the moves out since the round
 * before, and the faulty records.
 *
 * A student is made from two streams: TAG_MOVE decides when the child joins
 * or leaves the district (cheap, read for every candidate), TAG_STUDENT
 * everything about the child (name, ID, birth, family...).  Both are keyed
 * by (school, cohort, index), so the child is the same in every round; only
 * what depends on the round's date changes (prefix at 15, weight, height,
 * grade across years).
 *
 * Faults belong to the child, not to one round: a record typed wrong stays
 * wrong until someone fixes it, which is what the rules engine is for.  The
 * kinds are those a district officer checks by hand (domain.md); a fault
 * never comes with a second one, so each faulty row fails exactly one
 * check.
 */
#include "demo_internal.h"

#include <stdio.h>
#include <string.h>

enum { NAT_TH, NAT_MM, NAT_KH, NAT_LA };
static const char *const NAT_CODES[4] = { "TH", "MM", "KH", "LA" };

typedef struct person {
    demo_fault fault;
    int dup_pick;               /* where the duplicate's school search starts */
    int gender, nat;
    char id[16];
    char first[96], last[128];
    text_date birth_true, birth;
    double z1, z2;
    const char *religion, *ethnicity;
    char house[16];
    int village_no, tambon;
    char father[256], father_id[14], mother[256], mother_id[14];
    char guardian[256], guardian_id[14];
    const char *f_occ, *m_occ, *g_occ, *g_rel;
    long f_inc, m_inc, g_inc;
    int poor;
    const char *disadvantage, *disability, *travel;
    double distance;
} person;

static text_date add_years(text_date d, int n)
{
    d.year += n;
    if (d.month == 2 && d.day == 29 && !text_date_valid(d)) d.day = 28;
    return d;
}

static text_date add_days(text_date d, long n)
{
    return text_date_from_days(text_date_to_days(d) + n);
}

void demo_movement(const demo_world *w, const demo_school *s, int ci, int k,
                     int *join_at, int *leave_at)
{
    demo_rng r = demo_rng_for(w->seed, TAG_MOVE, (uint64_t)s->index, (uint64_t)ci, (uint64_t)k);
    *leave_at = demo_chance(&r, 0.015) ? (int)demo_range(&r, 1, 5) : 99;
    *join_at = demo_chance(&r, 0.02) ? (int)demo_range(&r, 1, 5) : 0;
}

static void parent_id(const demo_world *w, demo_rng *r, int born_ce, int nat,
                      const char *region, char out[14])
{
    if (nat != NAT_TH) {
        if (demo_chance(r, 0.4)) { out[0] = '\0'; return; }
        demo_make_id(w, demo_chance(r, 0.5) ? '0' : '6', region,
                     (uint64_t)demo_range(r, 0, 9999999), out);
        return;
    }
    demo_make_id(w, born_ce < 1984 ? '3' : '1', region,
                 (uint64_t)demo_range(r, 0, 9999999), out);
}

static long income(demo_rng *r, bool poor, const char *occ)
{
    if (!strcmp(occ, "ไม่ได้ประกอบอาชีพ")) return 0;
    if (poor) return demo_range(r, 0, 36) * 1000;
    return demo_range(r, 48, 300) * 1000 + (demo_chance(r, 0.1) ? demo_range(r, 0, 400) * 1000 : 0);
}

static void family(const demo_world *w, const demo_school *s, demo_rng *r, person *p)
{
    const char *region = DEMO_AMPHOES[s->amphoe].code;
    bool foreign = p->nat != NAT_TH;
    int byear = p->birth_true.year;
    char first[96], last[128];
    const char *plast = p->last[0] ? p->last : "";

    double poor_p = 0.25 * s->poor_factor * (foreign ? 1.6 : 1.0);
    p->poor = demo_chance(r, poor_p);
    p->father[0] = p->father_id[0] = '\0';
    p->f_occ = NULL;
    p->f_inc = -1;
    if (!demo_chance(r, 0.1)) {
        if (foreign) snprintf(first, sizeof first, "%s", demo_list_pick(&DEMO_FOREIGN_FIRST[p->nat - 1], r));
        else demo_thai_first_name(r, 1, first, sizeof first);
        snprintf(p->father, sizeof p->father, "นาย%s %s", first, plast);
        parent_id(w, r, byear - (int)demo_range(r, 22, 42), p->nat, region, p->father_id);
        p->f_occ = demo_list_pick(&DEMO_OCCUPATIONS, r);
        p->f_inc = income(r, p->poor, p->f_occ);
    }
    if (foreign) snprintf(first, sizeof first, "%s", demo_list_pick(&DEMO_FOREIGN_FIRST[p->nat - 1], r));
    else demo_thai_first_name(r, 2, first, sizeof first);
    bool married = demo_chance(r, 0.85);
    if (married) snprintf(last, sizeof last, "%s", plast);
    else if (foreign) snprintf(last, sizeof last, "%s", demo_list_pick(&DEMO_FOREIGN_LAST[p->nat - 1], r));
    else demo_thai_last_name(r, last, sizeof last);
    snprintf(p->mother, sizeof p->mother, "%s%s %s", married ? "นาง" : "นางสาว", first, last);
    parent_id(w, r, byear - (int)demo_range(r, 19, 40), p->nat, region, p->mother_id);
    p->m_occ = demo_list_pick(&DEMO_OCCUPATIONS, r);
    p->m_inc = income(r, p->poor, p->m_occ);

    /* Many children of Isan live with grandparents while the parents work
     * in Bangkok or on the Eastern Seaboard. */
    double x = demo_unit(r);
    if (x < 0.55 || (x < 0.75 && !p->father[0])) {
        p->g_rel = "มารดา";
        snprintf(p->guardian, sizeof p->guardian, "%s", p->mother);
        snprintf(p->guardian_id, sizeof p->guardian_id, "%s", p->mother_id);
        p->g_occ = p->m_occ; p->g_inc = p->m_inc;
    } else if (x < 0.75) {
        p->g_rel = "บิดา";
        snprintf(p->guardian, sizeof p->guardian, "%s", p->father);
        snprintf(p->guardian_id, sizeof p->guardian_id, "%s", p->father_id);
        p->g_occ = p->f_occ; p->g_inc = p->f_inc;
    } else {
        static const char *const rel[] = { "ยาย", "ย่า", "ตา", "ปู่", "ป้า", "น้า", "ลุง", "อา" };
        int i = (int)demo_range(r, 0, 7);
        bool female = i < 2 || i == 4 || (i == 5 && demo_chance(r, 0.6));
        p->g_rel = rel[i];
        if (foreign) snprintf(first, sizeof first, "%s", demo_list_pick(&DEMO_FOREIGN_FIRST[p->nat - 1], r));
        else demo_thai_first_name(r, female ? 2 : 1, first, sizeof first);
        snprintf(p->guardian, sizeof p->guardian, "%s%s %s", female ? "นาง" : "นาย", first, plast);
        int born = byear - (i < 4 ? (int)demo_range(r, 45, 65) : (int)demo_range(r, 25, 45));
        parent_id(w, r, born, p->nat, region, p->guardian_id);
        p->g_occ = i < 4 ? (demo_chance(r, 0.7) ? "เกษตรกร" : "ไม่ได้ประกอบอาชีพ")
                         : demo_list_pick(&DEMO_OCCUPATIONS, r);
        p->g_inc = income(r, p->poor, p->g_occ);
    }
}

static void welfare(demo_rng *r, person *p)
{
    double x = demo_unit(r);
    p->disadvantage = p->poor && x < 0.3 ? "09" : x > 0.996 ? "11" : x > 0.993 ? "03"
                    : p->nat != NAT_TH && x > 0.7 ? "07" : "00";
    static const char *const types[] = { "5", "3", "8", "6", "7", "4", "2", "1", "9" };
    static const double tw[] = { 50, 15, 8, 7, 5, 5, 4, 3, 3 };
    p->disability = demo_chance(r, 0.02) ? types[demo_pick_weighted(r, tw, 9)] : "0";
    p->distance = 0.2 + 12.0 * demo_unit(r) * demo_unit(r);
    if (p->distance < 1.0) p->travel = demo_chance(r, 0.6) ? "1" : "2";
    else if (p->distance < 4.0) p->travel = demo_chance(r, 0.6) ? "3" : demo_chance(r, 0.5) ? "2" : "4";
    else p->travel = demo_chance(r, 0.45) ? "5" : demo_chance(r, 0.6) ? "3" : "4";
}

/* Everything that stays the same from round to round. */
static void make_person(const demo_world *w, const demo_school *s, int ci, int k, person *p)
{
    demo_rng r = demo_rng_for(w->seed, TAG_STUDENT, (uint64_t)s->index, (uint64_t)ci, (uint64_t)k);
    const char *region = DEMO_AMPHOES[s->amphoe].code;
    memset(p, 0, sizeof *p);
    p->fault = demo_chance(&r, w->o.fault_rate)
             ? (demo_fault)demo_range(&r, 1, DEMO_FAULT_KINDS - 1) : DEMO_FAULT_NONE;
    p->dup_pick = (int)demo_range(&r, 1, w->o.schools > 1 ? w->o.schools - 1 : 1);
    p->gender = demo_chance(&r, 0.51) ? 1 : 2;
    p->nat = NAT_TH;
    if (demo_chance(&r, s->migrant_share)) {
        static const double nw[3] = { 0.3, 0.5, 0.2 };
        p->nat = 1 + demo_pick_weighted(&r, nw, 3);
    }
    uint64_t u = (uint64_t)(s->id_offset + (long)ci * s->pool + k);
    if (p->nat == NAT_TH) {
        double x = demo_unit(&r);
        demo_make_id(w, x < 0.95 ? '1' : x < 0.99 ? '2' : '5', region, u, p->id);
    } else {
        double x = demo_unit(&r);
        if (x < 0.4) {
            char tmp[14];
            demo_make_id(w, '0', region, u, tmp);      /* digits only: G + 12 */
            snprintf(p->id, sizeof p->id, "G%.12s", tmp);
        } else {
            demo_make_id(w, x < 0.8 ? '0' : x < 0.9 ? '6' : '7', region, u, p->id);
        }
    }
    if (p->nat == NAT_TH) {
        demo_thai_first_name(&r, p->gender, p->first, sizeof p->first);
        demo_thai_last_name(&r, p->last, sizeof p->last);
    } else {
        snprintf(p->first, sizeof p->first, "%s", demo_list_pick(&DEMO_FOREIGN_FIRST[p->nat - 1], &r));
        snprintf(p->last, sizeof p->last, "%s", demo_list_pick(&DEMO_FOREIGN_LAST[p->nat - 1], &r));
    }
    /* On time for OBEC's two admission rules (conf/rules/dmc.ini): in
     * kindergarten the age a at 16 May of the year the cohort is at grade
     * g, born 17 May of byear - 1 .. 16 May of byear; from ป.1 on the year
     * of birth, byear - 1.  Only 17 May .. 31 December of byear - 1 fits
     * both (a child born January to mid-May is a year late in kindergarten
     * or a year early in primary), so the demo's on-time children are born
     * then; some a year older (a late start or a repeated year, more often
     * among migrant children). */
    int byear = w->ce0 + ci - 14;
    text_date start = { byear - 1, 5, 17 };
    p->birth_true = add_days(start, demo_range(&r, 0, 228));
    if (demo_chance(&r, p->nat == NAT_TH ? 0.03 : 0.25)) p->birth_true = add_years(p->birth_true, -1);
    p->birth = p->birth_true;
    p->z1 = demo_gauss(&r);
    p->z2 = demo_gauss(&r);
    double x = demo_unit(&r);
    p->religion = x < 0.975 ? "BUD" : x < 0.988 ? "CHR" : x < 0.996 ? "ISL" : "NON";
    if (p->nat == NAT_TH) {
        x = demo_unit(&r);
        p->ethnicity = x < 0.72 ? "ไทย" : x < 0.86 ? "เขมร" : x < 0.95 ? "ลาว" : "กูย";
    } else {
        static const char *const eth[4] = { "ไทย", "พม่า", "เขมร", "ลาว" };
        p->ethnicity = eth[p->nat];
    }
    if (demo_chance(&r, 0.15))
        snprintf(p->house, sizeof p->house, "%d/%d", (int)demo_range(&r, 1, 250), (int)demo_range(&r, 1, 9));
    else
        snprintf(p->house, sizeof p->house, "%d", (int)demo_range(&r, 1, 250));
    p->village_no = demo_chance(&r, 0.5) ? s->village_no : (int)demo_range(&r, 1, 15);
    p->tambon = demo_chance(&r, 0.85) ? s->tambon
              : (int)demo_range(&r, 0, DEMO_AMPHOES[s->amphoe].tambons.n - 1);
    family(w, s, &r, p);
    welfare(&r, p);

    switch (p->fault) {
    case DEMO_FAULT_OVER_AGE: p->birth = add_years(p->birth_true, -4); break;
    case DEMO_FAULT_TOO_YOUNG: p->birth = add_years(p->birth_true, 3); break;
    case DEMO_FAULT_FUTURE_BIRTH: {
        text_date last_as_of = { w->ce0 + 2, 3, 31 };   /* the current year's round 3 */
        p->birth = add_days(last_as_of, demo_range(&r, 30, 700));
        break;
    }
    case DEMO_FAULT_CHECK_DIGIT:
        if (p->id[0] == 'G') { p->fault = DEMO_FAULT_NONE; break; }
        p->id[12] = (char)('0' + (p->id[12] - '0' + (int)demo_range(&r, 1, 9)) % 10);
        break;
    default: break;
    }
}

/* The school this student is also (wrongly) enrolled in this round: one
 * that teaches grade g, or -1. */
static int duplicate_school(const demo_world *w, const demo_school *s, const person *p, int g)
{
    int n = w->o.schools;
    for (int j = 0; j < n - 1; j++) {
        int t = (s->index + p->dup_pick + j) % n;
        if (t == s->index) continue;
        const demo_school *o = &w->schools[t];
        if (g >= o->first_grade && g <= o->last_grade) return t;
    }
    return -1;
}

static const char *prefix_for(int gender, int age)
{
    if (age < 15) return gender == 1 ? "เด็กชาย" : "เด็กหญิง";
    return gender == 1 ? "นาย" : "นางสาว";
}

/* The first grade the child had in this school, for the enrolment date. */
static int first_grade_here(const demo_world *w, const demo_school *s, int ci, int k, int g)
{
    int g0 = g;
    while (g0 - 1 >= s->first_grade && k < demo_cohort_count(w, s, ci, g0 - 1))
        g0--;
    return g0;
}

/* The poor-student screening (form นร.01) of a student flagged poor: the
 * household's members, its income a month (the parents' or guardian's
 * yearly incomes over twelve) and the criteria met, drawn from the ID's
 * digits so that the family's other draws stay as they were.  About one
 * poor student in ten has no screening data, for dmc.poor_* to find. */
static void screening(const person *p, const demo_round *rd, demo_row *row)
{
    if (!p->poor) return;
    size_t n = strlen(p->id);
    int d1 = n > 1 ? p->id[n - 2] - '0' : 0, d2 = n > 2 ? p->id[n - 3] - '0' : 0;
    if (d1 < 0 || d1 > 9 || d2 < 0 || d2 > 9 || d1 == 0) return;
    long year = (p->f_inc > 0 ? p->f_inc : 0) + (p->m_inc > 0 ? p->m_inc : 0);
    if (strcmp(p->g_rel, "มารดา") && strcmp(p->g_rel, "บิดา") && p->g_inc > 0) year += p->g_inc;
    static const char *const criteria[] = { "1 4", "2 3 7", "4", "1 2 4 8", "3 5", "7", "1 6", "2 4 7",
                                            "3", "4 7" };
    demo_row_long(row, ST_HH_MEMBERS, 3 + d2 % 5);
    demo_row_long(row, ST_HH_INCOME, year / 12);
    demo_row_const(row, ST_POOR_CRITERIA, criteria[d2]);
    demo_row_date(row, ST_POOR_SCREENED, (text_date){ rd->opens.year, rd->opens.month, 20 });
}

static void student_row(const demo_world *w, const demo_school *s, const demo_round *rd,
                        int ci, int k, int g, int join_at, const person *p, demo_row *row)
{
    int yi = rd->dmc_index / 3;
    demo_row_reset(row);
    demo_row_const(row, ST_SCHOOL, s->code);
    demo_row_str(row, ST_ID, p->id);
    int age = text_age_years(p->birth, rd->as_of);
    int pg = p->fault == DEMO_FAULT_PREFIX_GENDER ? 3 - p->gender : p->gender;
    demo_row_const(row, ST_PREFIX, prefix_for(pg, age));
    if (p->fault != DEMO_FAULT_NO_FIRST_NAME) demo_row_str(row, ST_FIRST, p->first);
    if (p->fault != DEMO_FAULT_NO_LAST_NAME) demo_row_str(row, ST_LAST, p->last);
    demo_row_const(row, ST_GENDER, p->gender == 1 ? "1" : "2");
    demo_row_date(row, ST_BIRTH, p->birth);
    demo_row_const(row, ST_GRADE, demo_grade_code(g));
    demo_row_long(row, ST_ROOM, p->fault == DEMO_FAULT_ROOM_ZERO ? 0
                  : 1 + k % demo_rooms(w, s, yi, g));
    demo_row_const(row, ST_NATIONALITY, NAT_CODES[p->nat]);
    demo_row_const(row, ST_ETHNICITY, p->ethnicity);
    demo_row_const(row, ST_RELIGION, p->religion);
    text_date enrol;
    if (join_at > 0) {
        const demo_round *jr = demo_world_dmc_round(w, join_at);
        enrol = add_days(jr ? jr->opens : rd->opens, -(long)(k % 40) - 5);
    } else {
        int g0 = first_grade_here(w, s, ci, k, g);
        enrol = (text_date){ w->ce0 + yi - (g - g0), 5, 16 };
    }
    demo_row_date(row, ST_ENROL, enrol);
    const demo_amphoe *a = &DEMO_AMPHOES[s->amphoe];
    demo_row_str(row, ST_HOUSE, p->house);
    demo_row_long(row, ST_VILLAGE_NO, p->village_no);
    demo_row_const(row, ST_TAMBON, a->tambons.v[p->tambon]);
    demo_row_const(row, ST_AMPHOE, a->name);
    demo_row_const(row, ST_PROVINCE, DEMO_PROVINCE);
    demo_row_const(row, ST_POSTCODE, a->postcode);
    if (p->father[0]) {
        demo_row_str(row, ST_FATHER, p->father);
        if (p->father_id[0]) demo_row_str(row, ST_FATHER_ID, p->father_id);
        demo_row_const(row, ST_FATHER_OCC, p->f_occ);
        demo_row_long(row, ST_FATHER_INC, p->f_inc);
    }
    demo_row_str(row, ST_MOTHER, p->mother);
    if (p->mother_id[0]) demo_row_str(row, ST_MOTHER_ID, p->mother_id);
    demo_row_const(row, ST_MOTHER_OCC, p->m_occ);
    demo_row_long(row, ST_MOTHER_INC, p->m_inc);
    demo_row_str(row, ST_GUARDIAN, p->guardian);
    if (p->guardian_id[0]) demo_row_str(row, ST_GUARDIAN_ID, p->guardian_id);
    demo_row_const(row, ST_GUARDIAN_REL, p->g_rel);
    demo_row_const(row, ST_GUARDIAN_OCC, p->g_occ);
    demo_row_long(row, ST_GUARDIAN_INC, p->g_inc);
    demo_row_const(row, ST_POOR, p->poor ? "1" : "0");
    screening(p, rd, row);
    demo_row_const(row, ST_DISADVANTAGE, p->disadvantage);
    demo_row_const(row, ST_DISABILITY, p->disability);
    /* Growth from the true age, so a mistyped birth date does not make a
     * giant toddler. */
    double years = (double)(text_date_to_days(rd->as_of) - text_date_to_days(p->birth_true)) / 365.25;
    double h = (75.0 + 6.3 * years) * (1.0 + 0.045 * p->z1);
    double wt = (8.0 + 1.8 * years + 0.09 * years * years) * (1.0 + 0.07 * p->z1 + 0.1 * p->z2);
    demo_row_fmt(row, ST_WEIGHT, "%.1f", wt);
    demo_row_fmt(row, ST_HEIGHT, "%.1f", h);
    demo_row_fmt(row, ST_DISTANCE, "%.1f", p->distance);
    demo_row_const(row, ST_TRAVEL, p->travel);
    demo_row_const(row, ST_STATUS, "1");
    demo_row_const(row, ST_ROUND, rd->code);
    char stamp[20];
    demo_stamp(add_days(rd->opens, s->index % 20), 8 * 60 + k % 480, stamp);
    demo_row_str(row, ST_CREATED, stamp);
    demo_row_str(row, ST_UPDATED, stamp);
    demo_row_const(row, ST_BY, "demo");
}

static int emit_move(const demo_world *w, const demo_school *s, const demo_round *rd,
                     const person *p, int k, demo_emit_fn fn, void *u, demo_counts *c)
{
    demo_row row;
    demo_rng r = demo_rng_for(w->seed, TAG_MOVE, (uint64_t)s->index, (uint64_t)k, 77);
    const demo_round *prev = demo_world_dmc_round(w, rd->dmc_index - 1);
    long from = text_date_to_days(prev->as_of) + 1, to = text_date_to_days(rd->as_of);
    text_date d = text_date_from_days(from + (long)(demo_next(&r) % (uint64_t)(to - from)));
    char stamp[20];
    demo_row_reset(&row);
    demo_row_str(&row, MV_ID, p->id);
    demo_row_const(&row, MV_ROUND, rd->code);
    demo_row_const(&row, MV_SCHOOL, s->code);
    demo_row_const(&row, MV_DESTINATION, demo_list_pick(&DEMO_DESTINATIONS, &r));
    demo_row_date(&row, MV_DATE, d);
    demo_row_const(&row, MV_REASON, demo_chance(&r, 0.8) ? "ย้ายตามผู้ปกครอง" : "ผู้ปกครองย้ายที่ทำงาน");
    demo_stamp(d, 9 * 60 + k % 300, stamp);
    demo_row_str(&row, MV_CREATED, stamp);
    demo_row_str(&row, MV_UPDATED, stamp);
    demo_row_const(&row, MV_BY, "demo");
    if (c) c->student_moves++;
    return fn(u, &DEMO_T_MOVES, row.v);
}

static int emit_student(const demo_world *w, const demo_school *s, const demo_round *rd,
                        int ci, int k, int g, int join_at, int slot,
                        demo_emit_fn fn, void *u, demo_counts *c)
{
    person p;
    demo_row row;
    make_person(w, s, ci, k, &p);
    student_row(w, s, rd, ci, k, g, join_at, &p, &row);
    int dup = p.fault == DEMO_FAULT_DUPLICATE ? duplicate_school(w, s, &p, g) : -1;
    demo_fault f = p.fault == DEMO_FAULT_DUPLICATE && dup < 0 ? DEMO_FAULT_NONE : p.fault;
    int rows = dup >= 0 ? 2 : 1;
    if (c) {
        c->students += rows;
        c->round_students[slot] += rows;
        if (f != DEMO_FAULT_NONE) { c->faults[f] += rows; c->round_faults[slot] += rows; }
    }
    int rc = fn(u, &DEMO_T_STUDENTS, row.v);
    if (rc || dup < 0) return rc;
    const demo_school *t = &w->schools[dup];
    row.v[ST_SCHOOL] = t->code;
    row.v[ST_ROOM] = "1";
    return fn(u, &DEMO_T_STUDENTS, row.v);
}

int demo_emit_students(const demo_world *w, int dmc_index, bool students,
                       bool moves, demo_emit_fn fn, void *u, demo_counts *c)
{
    const demo_round *rd = demo_world_dmc_round(w, dmc_index);
    if (!rd) return 0;
    int yi = dmc_index / 3, slot = 0;
    if (c && students) {
        slot = c->nrounds_filled < DEMO_ROUNDS_MAX ? c->nrounds_filled++ : DEMO_ROUNDS_MAX - 1;
        snprintf(c->round_code[slot], sizeof c->round_code[slot], "%s", rd->code);
    }
    bool may_move = moves && dmc_index > 0 && demo_world_dmc_round(w, dmc_index - 1);
    for (int si = 0; si < w->o.schools; si++) {
        const demo_school *s = &w->schools[si];
        for (int g = s->first_grade; g <= s->last_grade; g++) {
            int ci = yi - g + 11;
            int n = demo_cohort_count(w, s, ci, g);
            /* The grade this cohort had at the round before. */
            int gprev = dmc_index % 3 == 0 ? g - 1 : g;
            int nprev = gprev >= s->first_grade ? demo_cohort_count(w, s, ci, gprev) : 0;
            for (int k = 0; k < n; k++) {
                int join_at, leave_at, rc = 0;
                demo_movement(w, s, ci, k, &join_at, &leave_at);
                if (join_at <= dmc_index && dmc_index < leave_at) {
                    if (students) rc = emit_student(w, s, rd, ci, k, g, join_at, slot, fn, u, c);
                } else if (may_move && leave_at == dmc_index && join_at <= dmc_index - 1 && k < nprev) {
                    person p;
                    make_person(w, s, ci, k, &p);
                    rc = emit_move(w, s, rd, &p, k, fn, u, c);
                }
                if (rc) return rc;
            }
        }
    }
    return fn(u, NULL, NULL);
}

/*
 * emis.c: everything but the students: the schools' profile rows, the
 * rounds and each school's submissions, and the EMIS and B-obec tables
 * (classes, staff, buildings, ICT devices, internet, equipment, service
 * areas).
 *
 * Each school's rows come from streams keyed by the school (and the row's
 * number), so a school's staff or buildings do not change when the number
 * of schools or students does elsewhere.  Sizes follow the school's size:
 * about one teacher per 20 students (never fewer than two), classroom
 * buildings enough for its rooms, devices and equipment in proportion.
 */
#include "demo_internal.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

static text_date add_days(text_date d, long n)
{
    return text_date_from_days(text_date_to_days(d) + n);
}

/* Bookkeeping columns: made on day d, by the demo. */
static void stamp_cols(demo_row *row, int created, text_date d, int minute)
{
    char stamp[20];
    demo_stamp(d, minute, stamp);
    demo_row_str(row, created, stamp);
    demo_row_str(row, created + 1, stamp);
    demo_row_const(row, created + 2, "demo");
}

static text_date first_day(const demo_world *w) { return w->rounds[0].opens; }

static int total_students(const demo_world *w, const demo_school *s, int yi)
{
    int n = 0;
    for (int g = s->first_grade; g <= s->last_grade; g++)
        n += demo_cohort_count(w, s, yi - g + 11, g);
    return n;
}

/* ---- staff ------------------------------------------------------------ */

enum { P_DIR, P_DEP, P_TEA, P_AST, P_RT, P_ED2, P_EMP, P_JAN };
static const char *const POS_CODES[] = { "DIR", "DEP", "TEA", "AST", "RT", "ED2", "EMP", "JAN" };

typedef struct staff_person {
    int gender;
    char prefix[32], first[96], last[128], id[14], phone[16];
    text_date birth, start;
} staff_person;

static void make_staff_person(const demo_world *w, const demo_school *s, int i, int pos,
                              staff_person *p)
{
    static const int age_lo[] = { 45, 40, 28, 23, 23, 25, 25, 30 };
    static const int age_hi[] = { 59, 58, 59, 30, 35, 55, 50, 59 };
    static const double male[] = { 0.6, 0.5, 0.3, 0.3, 0.3, 0.4, 0.4, 0.8 };
    demo_rng r = demo_rng_for(w->seed, TAG_STAFF, (uint64_t)s->index, (uint64_t)i, 0);
    p->gender = demo_chance(&r, male[pos]) ? 1 : 2;
    demo_thai_first_name(&r, p->gender, p->first, sizeof p->first);
    demo_thai_last_name(&r, p->last, sizeof p->last);
    snprintf(p->prefix, sizeof p->prefix, "%s",
             p->gender == 1 ? "นาย" : demo_chance(&r, 0.65) ? "นาง" : "นางสาว");
    int age = (int)demo_range(&r, age_lo[pos], age_hi[pos]);
    text_date b = { w->today.year - age - 1, 1, 1 };
    p->birth = add_days(b, demo_range(&r, 0, 364));
    int first_job = (int)demo_range(&r, 22, 30);
    if (pos == P_AST) first_job = age - (int)demo_range(&r, 0, 1);
    if (first_job > age) first_job = age;
    text_date st = { p->birth.year + first_job, (int)demo_range(&r, 4, 11), 1 };
    p->start = st;
    /* Offices other than the school's amphoe: staff were born anywhere. */
    demo_make_id(w, p->birth.year < 1984 ? '3' : '1', "3101",
                 (uint64_t)s->index * 1000u + (uint64_t)i, p->id);
    snprintf(p->phone, sizeof p->phone, "08%d-%03d-%04d", (int)demo_range(&r, 0, 9),
             (int)demo_range(&r, 0, 999), (int)demo_range(&r, 0, 9999));
}

void demo_principal_name(const demo_world *w, const demo_school *s, char *out, size_t outsz)
{
    staff_person p;
    if (!s->has_principal) { out[0] = '\0'; return; }
    make_staff_person(w, s, 0, P_DIR, &p);
    snprintf(out, outsz, "%s%s %s", p.prefix, p.first, p.last);
}

/* The position of staff member i of school s; -1 past the last. */
static int staff_position(const demo_school *s, int i, demo_rng *r)
{
    int size = (int)s->size;
    int dep = size > 1200 ? 2 : size > 600 ? 1 : 0;
    int teachers = (size + 19) / 20;
    if (teachers < 2) teachers = 2;
    int support = 1 + (size > 120) + (size > 300);   /* janitor, ED2, government employee */
    if (i == 0) return s->has_principal ? P_DIR : -2;  /* index 0 is the principal's */
    i -= 1;
    if (i < dep) return P_DEP;
    i -= dep;
    if (i < teachers) {
        double x = demo_unit(r);
        return x < 0.12 ? P_AST : x < 0.22 ? P_RT : P_TEA;
    }
    i -= teachers;
    if (i < support) return i == 0 ? P_JAN : i == 1 ? P_ED2 : P_EMP;
    return -1;
}

static int emit_staff_member(const demo_world *w, const demo_school *s, int i, int pos,
                             demo_emit_fn fn, void *u)
{
    staff_person p;
    demo_row row;
    demo_rng r = demo_rng_for(w->seed, TAG_STAFF, (uint64_t)s->index, (uint64_t)i, 1);
    make_staff_person(w, s, i, pos, &p);
    demo_row_reset(&row);
    demo_row_const(&row, SF_SCHOOL, s->code);
    demo_row_str(&row, SF_ID, p.id);
    demo_row_str(&row, SF_PREFIX, p.prefix);
    demo_row_str(&row, SF_FIRST, p.first);
    demo_row_str(&row, SF_LAST, p.last);
    demo_row_const(&row, SF_GENDER, p.gender == 1 ? "1" : "2");
    demo_row_date(&row, SF_BIRTH, p.birth);
    demo_row_const(&row, SF_POSITION, POS_CODES[pos]);
    const char *standing = "NONE", *subject = NULL, *qual = "BA", *employ = "CIV";
    double x = demo_unit(&r);
    if (pos == P_DIR || pos == P_DEP) standing = x < 0.55 ? "SPRO" : x < 0.9 ? "PRO" : "EXP";
    else if (pos == P_TEA) standing = x < 0.2 ? "NONE" : x < 0.65 ? "PRO" : x < 0.98 ? "SPRO" : "EXP";
    if (pos == P_TEA || pos == P_AST || pos == P_RT) {
        static const char *const subj[] = { "THA", "MAT", "SCI", "SOC", "HPE", "ART", "CAR", "FOR", "EAR", "GEN" };
        static const double sw[] = { 16, 16, 14, 10, 6, 5, 5, 12, 12, 4 };
        int k = demo_pick_weighted(&r, sw, 10);
        subject = subj[k];
        demo_row_const(&row, SF_MAJOR, k == 9 ? DEMO_MAJORS.v[9] : DEMO_MAJORS.v[k]);
    } else if (pos == P_DIR || pos == P_DEP) {
        demo_row_const(&row, SF_MAJOR, "การบริหารการศึกษา");
    }
    x = demo_unit(&r);
    if (pos == P_JAN || pos == P_EMP) qual = x < 0.6 ? "LB" : "BA";
    else if (pos == P_DIR || pos == P_DEP) qual = x < 0.85 ? "MA" : x < 0.95 ? "BA" : "PHD";
    else qual = x < 0.66 ? "BA" : x < 0.99 ? "MA" : "PHD";
    if (pos == P_RT) employ = "CON";
    else if (pos == P_EMP) employ = "GOV";
    else if (pos == P_JAN) employ = x < 0.5 ? "PER" : "CON";
    demo_row_const(&row, SF_STANDING, standing);
    if (subject) demo_row_const(&row, SF_SUBJECT, subject);
    demo_row_const(&row, SF_QUALIFICATION, qual);
    demo_row_const(&row, SF_EMPLOYMENT, employ);
    demo_row_date(&row, SF_START, p.start);
    demo_row_str(&row, SF_PHONE, p.phone);
    demo_row_const(&row, SF_STATUS, "active");
    stamp_cols(&row, SF_CREATED, first_day(w), 8 * 60 + i);
    return fn(u, &DEMO_T_STAFF, row.v);
}

int demo_emit_staff(const demo_world *w, demo_emit_fn fn, void *u, demo_counts *c)
{
    for (int si = 0; si < w->o.schools; si++) {
        const demo_school *s = &w->schools[si];
        for (int i = 0;; i++) {
            demo_rng r = demo_rng_for(w->seed, TAG_STAFF, (uint64_t)s->index, (uint64_t)i, 2);
            int pos = staff_position(s, i, &r);
            if (pos == -2) continue;
            if (pos < 0) break;
            int rc = emit_staff_member(w, s, i, pos, fn, u);
            if (rc) return rc;
            if (c) c->staff++;
        }
    }
    return fn(u, NULL, NULL);
}

/* ---- schools, rounds, submissions, classes ------------------------------- */

int demo_emit_schools(const demo_world *w, demo_emit_fn fn, void *u, demo_counts *c)
{
    for (int si = 0; si < w->o.schools; si++) {
        const demo_school *s = &w->schools[si];
        const demo_amphoe *a = &DEMO_AMPHOES[s->amphoe];
        demo_rng r = demo_rng_for(w->seed, TAG_SCHOOL, (uint64_t)si, 1, 0);
        demo_row row;
        char principal[256];
        demo_row_reset(&row);
        demo_row_const(&row, SC_CODE, s->code);
        demo_row_const(&row, SC_NAME, s->name);
        demo_row_const(&row, SC_AMPHOE, a->name);
        demo_row_const(&row, SC_CODE8, s->code8);
        demo_row_const(&row, SC_TYPE, s->type == 2 ? "2" : "1");
        demo_row_fmt(&row, SC_LEVELS, "%s-%s", demo_grade_code(s->first_grade),
                     demo_grade_code(s->last_grade));
        demo_row_long(&row, SC_HOUSE, demo_range(&r, 1, 299));
        demo_row_long(&row, SC_VILLAGE_NO, s->village_no);
        demo_row_const(&row, SC_TAMBON, a->tambons.v[s->tambon]);
        demo_row_const(&row, SC_PROVINCE, DEMO_PROVINCE);
        demo_row_const(&row, SC_POSTCODE, a->postcode);
        demo_row_const(&row, SC_PHONE, s->phone);
        demo_principal_name(w, s, principal, sizeof principal);
        if (principal[0]) {
            demo_row_str(&row, SC_PRINCIPAL, principal);
            demo_row_fmt(&row, SC_PRINCIPAL_PHONE, "08%d-%03d-%04d", (int)demo_range(&r, 0, 9),
                         (int)demo_range(&r, 0, 999), (int)demo_range(&r, 0, 9999));
        }
        demo_row_fmt(&row, SC_LAT, "%.5f", s->lat);
        demo_row_fmt(&row, SC_LON, "%.5f", s->lon);
        demo_row_fmt(&row, SC_DISTANCE, "%.1f", s->distance_km);
        demo_row_const(&row, SC_NETWORK, s->network);
        demo_row_const(&row, SC_STATUS, "open");
        stamp_cols(&row, SC_CREATED, first_day(w), 8 * 60);
        int rc = fn(u, &DEMO_T_SCHOOLS, row.v);
        if (rc) return rc;
        if (c) c->schools++;
    }
    return fn(u, NULL, NULL);
}

int demo_emit_rounds(const demo_world *w, demo_emit_fn fn, void *u, demo_counts *c)
{
    for (int i = 0; i < w->nrounds; i++) {
        const demo_round *rd = &w->rounds[i];
        demo_row row;
        demo_row_reset(&row);
        demo_row_const(&row, RD_CODE, rd->code);
        demo_row_const(&row, RD_COLLECTION, rd->collection);
        demo_row_long(&row, RD_YEAR, rd->year);
        demo_row_long(&row, RD_NO, rd->no);
        demo_row_date(&row, RD_AS_OF, rd->as_of);
        demo_row_date(&row, RD_OPENS, rd->opens);
        demo_row_date(&row, RD_CLOSES, rd->closes);
        demo_row_const(&row, RD_STATE, rd->state);
        if (rd->previous[0]) demo_row_const(&row, RD_PREVIOUS, rd->previous);
        stamp_cols(&row, RD_CREATED, add_days(first_day(w), -30), 8 * 60 + i);
        int rc = fn(u, &DEMO_T_ROUNDS, row.v);
        if (rc) return rc;
        if (c) c->rounds++;
    }
    return fn(u, NULL, NULL);
}

static const char *const RETURN_REASONS[] = {
    "นักเรียนซ้ำซ้อนกับโรงเรียนอื่น กรุณาตรวจสอบ",
    "เลขประจำตัวประชาชนไม่ถูกต้อง",
    "จำนวนนักเรียนไม่ตรงกับรอบที่แล้ว โปรดชี้แจง",
    "ข้อมูลน้ำหนักส่วนสูงไม่ครบ",
};

static int emit_submission(const demo_world *w, const demo_round *rd, const demo_school *s,
                           demo_emit_fn fn, void *u)
{
    demo_rng r = demo_rng_for(w->seed, TAG_SUBMIT, (uint64_t)s->index, (uint64_t)(rd - w->rounds), 0);
    static const char *const states[] = { "not_started", "in_progress", "submitted", "returned", "confirmed" };
    static const double open_w[] = { 10, 30, 30, 5, 25 };
    int st = !strcmp(rd->state, "closed") ? (demo_chance(&r, 0.96) ? 4 : 2)
                                          : demo_pick_weighted(&r, open_w, 5);
    long opens = text_date_to_days(rd->opens);
    long end = text_date_to_days(rd->closes);
    long today = text_date_to_days(w->today);
    if (today < end) end = today;
    demo_row row;
    char stamp[20];
    demo_row_reset(&row);
    demo_row_const(&row, SU_ROUND, rd->code);
    demo_row_const(&row, SU_SCHOOL, s->code);
    demo_row_const(&row, SU_STATE, states[st]);
    if (st == 3) demo_row_const(&row, SU_REASON, RETURN_REASONS[demo_range(&r, 0, 3)]);
    long sub = opens + (end > opens ? (long)demo_range(&r, 0, end - opens) : 0);
    if (st >= 2) {
        demo_stamp(text_date_from_days(sub), 9 * 60 + (int)demo_range(&r, 0, 480), stamp);
        demo_row_str(&row, SU_SUBMITTED_AT, stamp);
        demo_row_const(&row, SU_SUBMITTED_BY, s->code);
    }
    if (st == 4) {
        long conf = sub + demo_range(&r, 0, 5);
        if (conf > end) conf = end;
        demo_stamp(text_date_from_days(conf), 13 * 60 + (int)demo_range(&r, 0, 240), stamp);
        demo_row_str(&row, SU_CONFIRMED_AT, stamp);
        demo_row_const(&row, SU_CONFIRMED_BY, "office");
    }
    stamp_cols(&row, SU_CREATED, rd->opens, 8 * 60);
    return fn(u, &DEMO_T_SUBMISSIONS, row.v);
}

int demo_emit_submissions(const demo_world *w, demo_emit_fn fn, void *u, demo_counts *c)
{
    for (int i = 0; i < w->nrounds; i++) {
        const demo_round *rd = &w->rounds[i];
        if (!strcmp(rd->state, "planned")) continue;
        for (int si = 0; si < w->o.schools; si++) {
            int rc = emit_submission(w, rd, &w->schools[si], fn, u);
            if (rc) return rc;
            if (c) c->submissions++;
        }
    }
    return fn(u, NULL, NULL);
}

/* Students of grade g present in the year's first round (EMIS counts as of
 * 10 June): the cohort less those who joined later or had left. */
static int class_students(const demo_world *w, const demo_school *s, int yi, int g)
{
    int ci = yi - g + 11, n = demo_cohort_count(w, s, ci, g), present = 0, dmc = yi * 3;
    for (int k = 0; k < n; k++) {
        int join, leave;
        demo_movement(w, s, ci, k, &join, &leave);
        present += join <= dmc && dmc < leave;
    }
    return present;
}

int demo_emit_classes(const demo_world *w, demo_emit_fn fn, void *u, demo_counts *c)
{
    for (int yi = 0; yi < 2; yi++) {
        const demo_round *emis = &w->rounds[yi * 5 + 3];
        if (!strcmp(emis->state, "planned")) continue;
        for (int si = 0; si < w->o.schools; si++) {
            const demo_school *s = &w->schools[si];
            for (int g = s->first_grade; g <= s->last_grade; g++) {
                demo_row row;
                demo_row_reset(&row);
                demo_row_const(&row, CL_SCHOOL, s->code);
                demo_row_long(&row, CL_YEAR, emis->year);
                demo_row_const(&row, CL_GRADE, demo_grade_code(g));
                demo_row_long(&row, CL_ROOMS, demo_rooms(w, s, yi, g));
                demo_row_long(&row, CL_STUDENTS, class_students(w, s, yi, g));
                stamp_cols(&row, CL_CREATED, emis->opens, 10 * 60 + g);
                int rc = fn(u, &DEMO_T_CLASSES, row.v);
                if (rc) return rc;
                if (c) c->classes++;
            }
        }
    }
    return fn(u, NULL, NULL);
}

/* ---- buildings ----------------------------------------------------------- */

static int pick_design(demo_rng *r, const char *type, int max_classrooms)
{
    int idx[32], n = 0;
    for (int i = 0; i < DEMO_NDESIGNS && n < 32; i++)
        if (!strcmp(DEMO_DESIGNS[i].type, type) &&
            (max_classrooms <= 0 || DEMO_DESIGNS[i].classrooms <= max_classrooms))
            idx[n++] = i;
    if (n == 0)   /* the smallest of the type */
        for (int i = 0; i < DEMO_NDESIGNS && n == 0; i++)
            if (!strcmp(DEMO_DESIGNS[i].type, type)) idx[n++] = i;
    return idx[demo_range(r, 0, n - 1)];
}

static int emit_building(const demo_world *w, const demo_school *s, int no, int design,
                         demo_rng *r, demo_emit_fn fn, void *u)
{
    const demo_design *d = &DEMO_DESIGNS[design];
    int now = w->o.year;
    int year = (int)demo_range(r, 2510, now - 1);
    if (!strncmp(d->code, "สปช", strlen("สปช")) && year < 2526) year = (int)demo_range(r, 2526, 2545);
    if (!strncmp(d->code, "สพฐ", strlen("สพฐ")) && year < 2550) year = (int)demo_range(r, 2550, now - 1);
    if (!strcmp(d->code, "ป.1ฉ") && year > 2530) year = (int)demo_range(r, 2510, 2530);
    int age = now - year;
    int cond = age < 10 ? 1 : age < 25 ? (int)demo_range(r, 1, 2)
             : age < 40 ? (int)demo_range(r, 2, 3) : (int)demo_range(r, 3, 4);
    static const char *const need2[] = { "none", "repair" }, *const need3[] = { "repair", "replace" },
                             *const need4[] = { "replace", "demolish" };
    const char *need = cond == 1 ? "none" : cond == 2 ? need2[demo_range(r, 0, 1)]
                     : cond == 3 ? need3[demo_range(r, 0, 1)] : need4[demo_range(r, 0, 1)];
    static const double srcw[] = { 80, 10, 8, 2 };
    static const char *const src[] = { "OBEC", "LOCAL", "DONATION", "OTHER" };
    double price = 0.15 + 0.85 * (year - 2510) / 50.0;
    demo_row row;
    demo_row_reset(&row);
    demo_row_const(&row, BD_SCHOOL, s->code);
    demo_row_long(&row, BD_NO, no);
    demo_row_const(&row, BD_TYPE, d->type);
    demo_row_const(&row, BD_DESIGN, d->code);
    demo_row_long(&row, BD_YEAR, year);
    demo_row_const(&row, BD_SOURCE, src[demo_pick_weighted(r, srcw, 4)]);
    demo_row_fmt(&row, BD_AMOUNT, "%.0f", floor(d->cost * price / 1000.0) * 1000.0);
    demo_row_long(&row, BD_FLOORS, d->floors);
    demo_row_long(&row, BD_ROOMS, d->rooms);
    demo_row_long(&row, BD_CLASSROOMS, d->classrooms);
    demo_row_fmt(&row, BD_AREA, "%.1f", d->area);
    demo_row_long(&row, BD_CONDITION, cond);
    demo_row_const(&row, BD_NEED, need);
    if (cond == 4) demo_row_const(&row, BD_NOTE, "ชำรุดทรุดโทรม ไม่ปลอดภัยต่อการใช้งาน");
    stamp_cols(&row, BD_CREATED, w->rounds[4].opens, 9 * 60 + no);
    return fn(u, &DEMO_T_BUILDINGS, row.v);
}

int demo_emit_buildings(const demo_world *w, demo_emit_fn fn, void *u, demo_counts *c)
{
    for (int si = 0; si < w->o.schools; si++) {
        const demo_school *s = &w->schools[si];
        demo_rng r = demo_rng_for(w->seed, TAG_BUILDING, (uint64_t)si, 0, 0);
        int rooms = 0, no = 0, rc = 0;
        for (int g = s->first_grade; g <= s->last_grade; g++) rooms += demo_rooms(w, s, 1, g);
        int have = 0;
        while (!rc && have < rooms && no < 12) {
            int d = pick_design(&r, "CLS", rooms - have + 2);
            have += DEMO_DESIGNS[d].classrooms;
            rc = emit_building(w, s, ++no, d, &r, fn, u);
        }
        static const char *const extra[] = { "MPH", "LIB", "TOI", "TOI", "HOU", "CAN", "WAT", "OTH" };
        static const double p[] = { 0.8, 0.3, 1.0, 0.5, 0.5, 0.7, 0.9, 0.3 };
        for (int i = 0; !rc && i < 8; i++) {
            if (!demo_chance(&r, i == 3 && s->size > 300 ? 1.0 : p[i])) continue;
            rc = emit_building(w, s, ++no, pick_design(&r, extra[i], 0), &r, fn, u);
        }
        if (rc) return rc;
        if (c) c->buildings += no;
    }
    return fn(u, NULL, NULL);
}

/* ---- ICT, internet, equipment, service areas ------------------------------ */

static int emit_ict(const demo_world *w, const demo_school *s, int yi, int year,
                    demo_emit_fn fn, void *u, demo_counts *c)
{
    static const char *const type[] = { "PC", "PC", "NB", "NB", "TAB", "PRJ", "PRN", "TV" };
    static const char *const purpose[] = { "TEACH", "ADMIN", "TEACH", "ADMIN", "TEACH", "TEACH", "ADMIN", "TEACH" };
    static const double per[] = { 1.0 / 15, 1.0 / 150, 1.0 / 60, 1.0 / 100, 1.0 / 25, 1.0 / 80, 1.0 / 100, 1.0 / 60 };
    for (int i = 0; i < 8; i++) {
        demo_rng r = demo_rng_for(w->seed, TAG_ICT, (uint64_t)s->index, (uint64_t)i, (uint64_t)yi);
        if (i == 4 && !demo_chance(&r, 0.6)) continue;
        long owned = (long)((double)s->size * per[i] * (0.7 + 0.6 * demo_unit(&r))) + 1 - (yi == 0);
        if (owned < 1) owned = 1;
        long in_use = owned - demo_range(&r, 0, owned / 5);
        static const double sw[] = { 70, 15, 10, 5 };
        static const char *const src[] = { "OBEC", "LOCAL", "DONATION", "OTHER" };
        demo_row row;
        demo_row_reset(&row);
        demo_row_const(&row, IC_SCHOOL, s->code);
        demo_row_long(&row, IC_YEAR, year);
        demo_row_const(&row, IC_TYPE, type[i]);
        demo_row_const(&row, IC_PURPOSE, purpose[i]);
        demo_row_long(&row, IC_OWNED, owned);
        demo_row_long(&row, IC_IN_USE, in_use);
        demo_row_long(&row, IC_CONDITION, in_use == owned ? 1 : 2);
        demo_row_const(&row, IC_SOURCE, src[demo_pick_weighted(&r, sw, 4)]);
        stamp_cols(&row, IC_CREATED, w->rounds[yi * 5 + 3].opens, 11 * 60 + i);
        int rc = fn(u, &DEMO_T_ICT, row.v);
        if (rc) return rc;
        if (c) c->ict_devices++;
    }
    return 0;
}

static int emit_internet(const demo_world *w, const demo_school *s, int yi, int year,
                         demo_emit_fn fn, void *u, demo_counts *c)
{
    demo_rng r = demo_rng_for(w->seed, TAG_ICT, (uint64_t)s->index, 99, (uint64_t)yi);
    static const char *const type[] = { "FIBER", "MOBILE", "ADSL", "SAT", "NONE" };
    static const double tw[] = { 70, 20, 5, 3, 2 };
    static const char *const prov[] = { "NT", "3BB", "TRUE", "AIS" };
    int t = demo_pick_weighted(&r, tw, 5);
    demo_row row;
    demo_row_reset(&row);
    demo_row_const(&row, IN_SCHOOL, s->code);
    demo_row_long(&row, IN_YEAR, year);
    demo_row_const(&row, IN_TYPE, type[t]);
    if (t != 4) {
        demo_row_const(&row, IN_PROVIDER, t == 3 ? "NT" : prov[demo_range(&r, 0, 3)]);
        demo_row_long(&row, IN_SPEED, t == 0 ? 100 * demo_range(&r, 1, 10)
                      : t == 1 ? demo_range(&r, 20, 100) : demo_range(&r, 10, 30));
        demo_row_long(&row, IN_WIFI, 1 + s->size / 100 + demo_range(&r, 0, 2));
    } else {
        demo_row_const(&row, IN_WIFI, "0");
    }
    stamp_cols(&row, IN_CREATED, w->rounds[yi * 5 + 3].opens, 11 * 60 + 30);
    if (c) c->internet++;
    return fn(u, &DEMO_T_INTERNET, row.v);
}

static int emit_equipment(const demo_world *w, const demo_school *s,
                          demo_emit_fn fn, void *u, demo_counts *c)
{
    demo_rng r = demo_rng_for(w->seed, TAG_EQUIP, (uint64_t)s->index, 0, 0);
    int n = 5 + (int)(s->size / 100);
    if (n > DEMO_NITEMS) n = DEMO_NITEMS;
    int start = (int)demo_range(&r, 0, DEMO_NITEMS - 1);
    for (int i = 0; i < n; i++) {
        const demo_item *it = &DEMO_ITEMS[(start + i * 5) % DEMO_NITEMS];  /* 5 is prime to 17 */
        if (!strcmp(it->category, "VEH") && s->size < 300) continue;
        int year = (int)demo_range(&r, w->o.year - 25, w->o.year - 1);
        int age = w->o.year - year;
        demo_row row;
        demo_row_reset(&row);
        demo_row_const(&row, EQ_SCHOOL, s->code);
        demo_row_fmt(&row, EQ_ASSET, "%s-%04d/%d", it->asset_prefix, i + 1, year);
        demo_row_const(&row, EQ_CATEGORY, it->category);
        demo_row_const(&row, EQ_NAME, it->name);
        demo_row_long(&row, EQ_YEAR, year);
        demo_row_fmt(&row, EQ_VALUE, "%.2f", it->value);
        demo_row_long(&row, EQ_QTY, !strcmp(it->asset_prefix, "7110-009")
                      ? (long)s->size : demo_range(&r, 1, 4));
        demo_row_long(&row, EQ_CONDITION, age < 5 ? 1 : age < 12 ? demo_range(&r, 1, 2)
                      : demo_range(&r, 2, 4));
        stamp_cols(&row, EQ_CREATED, w->rounds[3].opens, 12 * 60 + i);
        int rc = fn(u, &DEMO_T_EQUIPMENT, row.v);
        if (rc) return rc;
        if (c) c->equipment++;
    }
    return 0;
}

static int emit_areas(const demo_world *w, const demo_school *s, int yi, int year,
                      demo_emit_fn fn, void *u, demo_counts *c)
{
    demo_rng r = demo_rng_for(w->seed, TAG_AREA, (uint64_t)s->index, 0, 0);
    int n = (int)demo_range(&r, 2, 5);
    int here = total_students(w, s, yi);
    const demo_amphoe *a = &DEMO_AMPHOES[s->amphoe];
    for (int j = 0; j < n; j++) {
        demo_rng v = demo_rng_for(w->seed, TAG_AREA, (uint64_t)s->index, (uint64_t)j + 1, (uint64_t)yi);
        int other = here / (2 * n);
        int share = j == 0 ? here - (n - 1) * other : other;
        int elsewhere = share / 6 + (int)demo_range(&v, 0, 5);
        int not_enrolled = (int)demo_range(&v, 0, 2);
        int total = share + elsewhere + not_enrolled;
        int c35 = total / 4, c1214 = s->type == 2 ? total / 4 : total / 5;
        demo_row row;
        char name[192];
        demo_row_reset(&row);
        demo_row_const(&row, SA_SCHOOL, s->code);
        demo_row_long(&row, SA_YEAR, year);
        demo_row_long(&row, SA_VILLAGE_NO, (s->village_no - 1 + j * 4) % 15 + 1);
        if (j == 0) snprintf(name, sizeof name, "บ้าน%s", s->village);
        else {
            demo_rng nr = demo_rng_for(w->seed, TAG_AREA, (uint64_t)s->index, (uint64_t)j + 1, 0);
            snprintf(name, sizeof name, "บ้าน%s%s", demo_list_pick(&DEMO_VILLAGE_HEADS, &nr),
                     demo_list_pick(&DEMO_VILLAGE_TAILS, &nr));
        }
        demo_row_str(&row, SA_VILLAGE, name);
        demo_row_const(&row, SA_TAMBON, a->tambons.v[s->tambon]);
        demo_row_const(&row, SA_AMPHOE, a->name);
        demo_row_const(&row, SA_PROVINCE, DEMO_PROVINCE);
        demo_row_long(&row, SA_C35, c35);
        demo_row_long(&row, SA_C611, total - c35 - c1214);
        demo_row_long(&row, SA_C1214, c1214);
        demo_row_long(&row, SA_HERE, share);
        demo_row_long(&row, SA_ELSEWHERE, elsewhere);
        demo_row_long(&row, SA_NOT_ENROLLED, not_enrolled);
        stamp_cols(&row, SA_CREATED, w->rounds[yi * 5 + 3].opens, 12 * 60 + 30 + j);
        int rc = fn(u, &DEMO_T_AREAS, row.v);
        if (rc) return rc;
        if (c) c->service_areas++;
    }
    return 0;
}

int demo_emit_emis_other(const demo_world *w, demo_emit_fn fn, void *u, demo_counts *c)
{
    for (int si = 0; si < w->o.schools; si++) {
        const demo_school *s = &w->schools[si];
        int rc = emit_equipment(w, s, fn, u, c);
        for (int yi = 0; !rc && yi < 2; yi++) {
            const demo_round *emis = &w->rounds[yi * 5 + 3];
            if (!strcmp(emis->state, "planned")) continue;
            rc = emit_ict(w, s, yi, emis->year, fn, u, c);
            if (!rc) rc = emit_internet(w, s, yi, emis->year, fn, u, c);
            if (!rc) rc = emit_areas(w, s, yi, emis->year, fn, u, c);
        }
        if (rc) return rc;
    }
    return fn(u, NULL, NULL);
}

/*
 * world.c: the demo district's skeleton: options, the schools and the
 * rounds, and the helpers every table shares (IDs, names, cohort sizes).
 *
 * Why cohorts: a student must be the same person in every round of a year
 * and one grade up the next year, yet the generator may not keep 50,000 (or
 * 1,000,000) students in memory.  So a school's students are numbered
 * within cohorts (the children who start K1 in the same year): student k of
 * cohort c of school s is a pure function of (seed, s, c, k).  A cohort has
 * base * weight(grade) * jitter(s, c) members at a grade, so it grows in
 * kindergarten (children join at K2 and P1), stays whole through primary,
 * and loses its last members at M1 (children who go on to a secondary
 * school).  Cohort index c = year index - grade + 11 runs over 0..12 for the
 * two years of K1..M3.
 */
#include "demo_internal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ID_SPACE 10000000L   /* seven scrambled digits per registration office */

double demo_gauss(demo_rng *r)
{
    double s = demo_unit(r) + demo_unit(r) + demo_unit(r) + demo_unit(r);
    return (s - 2.0) * 1.7320508075688772;  /* variance 4/12 -> 1 */
}

int demo_pick_weighted(demo_rng *r, const double *w, int n)
{
    double total = 0;
    for (int i = 0; i < n; i++) total += w[i];
    double x = demo_unit(r) * total;
    for (int i = 0; i < n; i++) {
        if (x < w[i]) return i;
        x -= w[i];
    }
    return n - 1;
}

void demo_opts_default(demo_opts *o)
{
    o->schools = 150;
    o->students = 50000;
    o->amphoes = 3;
    o->seed = 2567;
    o->year = 2568;
    o->fault_rate = 0.03;
    o->current_round = 1;
}

int demo_amphoes_max(void) { return DEMO_NAMPHOES; }

static const char *const GRADE_CODES[DEMO_GRADES] = {
    "K1", "K2", "K3", "P1", "P2", "P3", "P4", "P5", "P6", "M1", "M2", "M3"
};
const char *demo_grade_code(int g) { return GRADE_CODES[g]; }

static const char *const FAULT_NAMES[DEMO_FAULT_KINDS] = {
    "none", "check_digit", "duplicate", "over_age", "too_young",
    "no_first_name", "no_last_name", "prefix_gender", "future_birth", "room_zero"
};
const char *demo_fault_name(demo_fault f)
{
    return f >= 0 && f < DEMO_FAULT_KINDS ? FAULT_NAMES[f] : "?";
}

void demo_stamp(text_date d, int minute_of_day, char out[20])
{
    unsigned m = (unsigned)minute_of_day % (24u * 60u);
    snprintf(out, 20, "%04u-%02u-%02uT%02u:%02u:00", (unsigned)d.year % 10000u,
             (unsigned)d.month % 100u, (unsigned)d.day % 100u, m / 60u, m % 60u);
}

void demo_make_id(const demo_world *w, char cat, const char *region4,
                  uint64_t u, char out[14])
{
    uint64_t body = (u % ID_SPACE * w->id_mul + w->id_add) % ID_SPACE;
    /* A number past one office's space goes to the next office (the staff
     * of a country, numbered school by school, pass ten million): the same
     * IDs as before below it, none twice above it. */
    char region[8];
    snprintf(region, sizeof region, "%.4s", region4);
    if (u >= (uint64_t)ID_SPACE)
        snprintf(region, sizeof region, "%04d", (atoi(region) + (int)(u / ID_SPACE)) % 10000);
    snprintf(out, 14, "%c%.4s%07lu", cat, region, (unsigned long)body);
    out[12] = (char)('0' + text_thai_id_check_digit(out));
    out[13] = '\0';
}

void demo_thai_first_name(demo_rng *r, int gender, char *out, size_t outsz)
{
    bool male = gender == 1;
    if (demo_chance(r, 0.55)) {
        snprintf(out, outsz, "%s", demo_list_pick(male ? &DEMO_MALE_NAMES : &DEMO_FEMALE_NAMES, r));
        return;
    }
    const char *h = demo_list_pick(male ? &DEMO_MALE_HEADS : &DEMO_FEMALE_HEADS, r);
    const char *t = demo_list_pick(male ? &DEMO_MALE_TAILS : &DEMO_FEMALE_TAILS, r);
    snprintf(out, outsz, "%s%s", h, t);
}

void demo_thai_last_name(demo_rng *r, char *out, size_t outsz)
{
    double x = demo_unit(r);
    if (x < 0.3) {
        snprintf(out, outsz, "%s", demo_list_pick(&DEMO_SURNAMES, r));
    } else {
        const char *h = demo_list_pick(&DEMO_SURNAME_HEADS, r);
        const char *m = x < 0.7 ? "" : demo_list_pick(&DEMO_SURNAME_MIDS, r);
        const char *t = demo_list_pick(&DEMO_SURNAME_TAILS, r);
        if (!strcmp(h, t)) t = "สกุล";
        snprintf(out, outsz, "%s%s%s", h, m, t);
    }
}

int demo_cohort_count(const demo_world *w, const demo_school *s, int cohort, int g)
{
    if (g < s->first_grade || g > s->last_grade || cohort < 0 || cohort >= DEMO_COHORTS)
        return 0;
    return (int)(s->base * w->grade_weight[g] * s->cohort_jitter[cohort] + 0.5);
}

int demo_rooms(const demo_world *w, const demo_school *s, int yi, int g)
{
    int n = demo_cohort_count(w, s, yi - g + 11, g);
    int rooms = (n + 39) / 40;
    return rooms < 1 ? 1 : rooms;
}

/* ---- options ------------------------------------------------------------ */

static int opts_resolve(demo_opts *o, const demo_opts *in, char *err, size_t errsz)
{
    demo_opts d;
    demo_opts_default(&d);
    *o = in ? *in : d;
    if (o->schools == 0) o->schools = d.schools;
    if (o->students == 0) o->students = d.students;
    if (o->amphoes == 0) o->amphoes = d.amphoes;
    if (o->seed == 0) o->seed = d.seed;
    if (o->year == 0) o->year = d.year;
    if (o->fault_rate == 0) o->fault_rate = d.fault_rate;
    if (o->fault_rate < 0) o->fault_rate = 0;
    if (o->current_round == 0) o->current_round = d.current_round;
    /* a school's code ends in its 4-digit serial within its amphoe */
    if (o->amphoes >= 1 && (o->schools < 1 || (o->schools - 1) / o->amphoes + 1 > 9999)) {
        snprintf(err, errsz, "demo: schools must be 1..%d with %d amphoes, not %d",
                 9999 * o->amphoes, o->amphoes, o->schools);
        return -1;
    }
    if (o->students < 0 || o->students > DEMO_MAX_STUDENTS) {
        snprintf(err, errsz, "demo: students must be 0..%ld, not %ld", (long)DEMO_MAX_STUDENTS, o->students);
        return -1;
    }
    if (o->amphoes < 1 || o->amphoes > DEMO_NAMPHOES) {
        snprintf(err, errsz, "demo: amphoes must be 1..%d, not %d", DEMO_NAMPHOES, o->amphoes);
        return -1;
    }
    if (o->year < 2500 || o->year > 2700) {
        snprintf(err, errsz, "demo: year must be a BE year 2500..2700, not %d", o->year);
        return -1;
    }
    if (o->fault_rate > 0.5) {
        snprintf(err, errsz, "demo: fault_rate must be at most 0.5, not %g", o->fault_rate);
        return -1;
    }
    if (o->current_round < 1 || o->current_round > 3) {
        snprintf(err, errsz, "demo: current_round must be 1..3, not %d", o->current_round);
        return -1;
    }
    return 0;
}

/* ---- rounds --------------------------------------------------------------- */

static text_date mkdate(int y, int m, int d) { text_date t = { y, m, d }; return t; }

static void make_rounds(demo_world *w)
{
    static const char *const coll[5] = { "dmc", "dmc", "dmc", "emis", "bobec" };
    static const char *const suffix[5] = { "1", "2", "3", "emis", "bobec" };
    int cur = w->ce0 + 1;
    w->today = w->o.current_round == 1 ? mkdate(cur, 6, 5)
             : w->o.current_round == 2 ? mkdate(cur, 10, 20) : mkdate(cur + 1, 3, 15);
    long today = text_date_to_days(w->today);
    w->nrounds = 0;
    for (int yi = 0; yi < 2; yi++) {
        int ce = w->ce0 + yi, be = w->o.year - 1 + yi;
        for (int i = 0; i < 5; i++) {
            demo_round *r = &w->rounds[w->nrounds++];
            memset(r, 0, sizeof *r);
            snprintf(r->code, sizeof r->code, "%d-%s", be, suffix[i]);
            r->collection = coll[i];
            r->year = be;
            r->no = i < 3 ? i + 1 : 1;
            r->dmc_index = i < 3 ? yi * 3 + i : -1;
            switch (i) {
            case 0: r->as_of = mkdate(ce, 6, 10); r->opens = mkdate(ce, 5, 16); r->closes = mkdate(ce, 6, 10); break;
            case 1: r->as_of = mkdate(ce, 11, 10); r->opens = mkdate(ce, 7, 15); r->closes = mkdate(ce, 11, 10); break;
            case 2: r->as_of = mkdate(ce + 1, 3, 31); r->opens = mkdate(ce + 1, 2, 1); r->closes = mkdate(ce + 1, 4, 30); break;
            case 3: r->as_of = mkdate(ce, 6, 10); r->opens = mkdate(ce, 5, 16); r->closes = mkdate(ce, 6, 30); break;
            default: r->as_of = mkdate(ce, 10, 30); r->opens = mkdate(ce, 10, 1); r->closes = mkdate(ce, 10, 30); break;
            }
            r->state = text_date_to_days(r->closes) < today ? "closed"
                     : text_date_to_days(r->opens) <= today ? "open" : "planned";
            if (i == 0 && yi == 1) snprintf(r->previous, sizeof r->previous, "%d-3", be - 1);
            else if (i == 1 || i == 2) snprintf(r->previous, sizeof r->previous, "%d-%d", be, i);
            else if (i >= 3 && yi == 1) snprintf(r->previous, sizeof r->previous, "%d-%s", be - 1, suffix[i]);
        }
    }
}

const demo_round *demo_world_dmc_round(const demo_world *w, int dmc_index)
{
    for (int i = 0; i < w->nrounds; i++)
        if (w->rounds[i].dmc_index == dmc_index)
            return strcmp(w->rounds[i].state, "planned") ? &w->rounds[i] : NULL;
    return NULL;
}

/* ---- schools -------------------------------------------------------------- */

static unsigned gcd(unsigned a, unsigned b)
{
    while (b) { unsigned t = a % b; a = b; b = t; }
    return a;
}

/* The next unused (head, tail) pair of village names: a fixed permutation of
 * all pairs, so names never repeat until the pairs run out. */
static void next_village(unsigned *counter, char *out, size_t outsz)
{
    unsigned n = (unsigned)(DEMO_VILLAGE_HEADS.n * DEMO_VILLAGE_TAILS.n);
    unsigned mul = 1009u;                      /* a stride prime to n */
    while (gcd(mul, n) != 1) mul += 2;
    for (;;) {
        unsigned i = *counter, round = i / n;
        unsigned j = (i % n * mul + 17u) % n;
        (*counter)++;
        const char *h = DEMO_VILLAGE_HEADS.v[j / (unsigned)DEMO_VILLAGE_TAILS.n];
        const char *t = DEMO_VILLAGE_TAILS.v[j % (unsigned)DEMO_VILLAGE_TAILS.n];
        if (!strcmp(h, t)) continue;
        if (round == 0) snprintf(out, outsz, "%s%s", h, t);
        else snprintf(out, outsz, "%s%s %u", h, t, round + 1);
        return;
    }
}

static const double SIZE_CLASS_EXTENDED[4] = { 0.12, 0.35, 0.45, 0.0 };

static void school_profile(demo_world *w, demo_school *s, int serial, demo_rng *r)
{
    const demo_amphoe *a = &DEMO_AMPHOES[s->amphoe];
    snprintf(s->code, sizeof s->code, "10%s%s%04u", DEMO_PROVINCE_CODE, a->code + 2,
             (unsigned)serial % 10000u);
    snprintf(s->code8, sizeof s->code8, "%s%s%04u", DEMO_PROVINCE_CODE, a->code + 2,
             (unsigned)serial % 10000u);
    snprintf(s->network, sizeof s->network, "เครือข่าย%s %d", a->name, (serial - 1) / 10 + 1);
    snprintf(s->phone, sizeof s->phone, "044-6%02d-%03d", (int)demo_range(r, 0, 99),
             (int)demo_range(r, 0, 999));
    s->village_no = (int)demo_range(r, 1, 15);
    s->has_principal = !demo_chance(r, 0.04);
    s->poor_factor = 0.6 + 0.8 * demo_unit(r);
    s->migrant_share = demo_chance(r, 0.2) ? 0.03 + 0.12 * demo_unit(r) : 0.005 * demo_unit(r);
    s->lat = a->lat + 0.12 * demo_gauss(r);
    s->lon = a->lon + 0.12 * demo_gauss(r);
    double dy = (s->lat - DEMO_AMPHOES[0].lat) * 111.0;
    double dx = (s->lon - DEMO_AMPHOES[0].lon) * 107.5;
    s->distance_km = sqrt(dx * dx + dy * dy) * 1.25 + 0.5;
    for (int c = 0; c < DEMO_COHORTS; c++) s->cohort_jitter[c] = 0.85 + 0.3 * demo_unit(r);
    (void)w;
}

static void school_levels(demo_world *w, demo_school *s, bool anuban, demo_rng *r)
{
    int cls = s->size <= 120 ? 0 : s->size <= 600 ? 1 : s->size <= 1500 ? 2 : 3;
    s->type = !anuban && demo_chance(r, SIZE_CLASS_EXTENDED[cls]) ? 2 : 1;
    s->first_grade = anuban || cls >= 2 || demo_chance(r, 0.5) ? 0 : 1;
    s->last_grade = s->type == 2 ? 11 : 8;
    double wsum = 0;
    for (int g = s->first_grade; g <= s->last_grade; g++) wsum += w->grade_weight[g];
    s->base = (double)s->size / wsum;
    double jmax = 0;
    for (int c = 0; c < DEMO_COHORTS; c++) if (s->cohort_jitter[c] > jmax) jmax = s->cohort_jitter[c];
    s->pool = (int)(s->base * jmax) + 2;
}

static void school_name(demo_school *s, bool anuban, unsigned *village_counter,
                        int *wats_used, demo_rng *r)
{
    const demo_amphoe *a = &DEMO_AMPHOES[s->amphoe];
    char *village = s->village;
    next_village(village_counter, s->village, sizeof s->village);
    double x = demo_unit(r);
    if (anuban)
        snprintf(s->name, sizeof s->name, "โรงเรียนอนุบาล%s", a->name);
    else if (x < 0.15 && *wats_used < DEMO_WATS.n)
        snprintf(s->name, sizeof s->name, "โรงเรียนวัด%s", DEMO_WATS.v[(*wats_used)++]);
    else if (x < 0.22 && s->size > 250)
        snprintf(s->name, sizeof s->name, "โรงเรียนชุมชนบ้าน%s", village);
    else if (x < 0.27 && s->type == 2)
        snprintf(s->name, sizeof s->name, "โรงเรียนบ้าน%sวิทยา", village);
    else
        snprintf(s->name, sizeof s->name, "โรงเรียนบ้าน%s", village);
}

/* School sizes: log-normal (many small schools, a long tail of large ones),
 * scaled to the wanted total, at least 12 students. */
static void school_sizes(demo_world *w)
{
    int n = w->o.schools;
    double *raw = malloc(sizeof *raw * (size_t)n), sum = 0;
    if (!raw) return;
    for (int i = 0; i < n; i++) {
        demo_rng r = demo_rng_for(w->seed, TAG_SIZE, (uint64_t)i, 0, 0);
        raw[i] = exp(1.2 * demo_gauss(&r));
        sum += raw[i];
    }
    for (int i = 0; i < n; i++) {
        long v = (long)(raw[i] / sum * (double)w->o.students + 0.5);
        w->schools[i].size = v < 12 && w->o.students >= 12L * n ? 12 : v;
    }
    free(raw);
}

static int make_schools(demo_world *w, char *err, size_t errsz)
{
    int n = w->o.schools, na = w->o.amphoes;
    w->schools = calloc((size_t)n, sizeof *w->schools);
    if (!w->schools) { snprintf(err, errsz, "demo: out of memory"); return -1; }
    school_sizes(w);
    int *largest = calloc((size_t)na, sizeof *largest);
    if (!largest) { snprintf(err, errsz, "demo: out of memory"); return -1; }
    for (int i = 0; i < na; i++) largest[i] = -1;
    for (int i = 0; i < n; i++) {
        demo_school *s = &w->schools[i];
        s->index = i;
        s->amphoe = i % na;
        if (largest[s->amphoe] < 0 || s->size > w->schools[largest[s->amphoe]].size)
            largest[s->amphoe] = i;
    }
    unsigned village_counter = (unsigned)(w->seed % 1000u);
    int wats_used = 0;
    /* IDs are numbered per amphoe: its code is the ID's registration
     * office, so each has its own ID_SPACE (a country-size district needs
     * more than one) */
    long *offset = calloc((size_t)na, sizeof *offset);
    if (!offset) { free(largest); snprintf(err, errsz, "demo: out of memory"); return -1; }
    for (int i = 0; i < n; i++) {
        demo_school *s = &w->schools[i];
        demo_rng r = demo_rng_for(w->seed, TAG_SCHOOL, (uint64_t)i, 0, 0);
        bool anuban = largest[s->amphoe] == i;
        const demo_amphoe *a = &DEMO_AMPHOES[s->amphoe];
        s->tambon = anuban ? 0 : (int)demo_range(&r, 0, a->tambons.n - 1);
        school_profile(w, s, i / na + 1, &r);
        school_levels(w, s, anuban, &r);
        school_name(s, anuban, &village_counter, &wats_used, &r);
        s->id_offset = offset[s->amphoe];
        offset[s->amphoe] += (long)DEMO_COHORTS * s->pool;
    }
    free(largest);
    long most = 0;
    for (int i = 0; i < na; i++) if (offset[i] > most) most = offset[i];
    free(offset);
    if (most >= ID_SPACE) {
        snprintf(err, errsz, "demo: too many students an amphoe for the ID space (%ld)", most);
        return -1;
    }
    return 0;
}

int demo_world_init(demo_world *w, const demo_opts *o, char *err, size_t errsz)
{
    memset(w, 0, sizeof *w);
    if (opts_resolve(&w->o, o, err, errsz)) return -1;
    w->seed = demo_mix64((uint64_t)w->o.seed * 0x2545F4914F6CDD1DULL + 1);
    w->ce0 = w->o.year - 1 - 543;
    static const double gw[DEMO_GRADES] = { 0.55, 0.85, 0.95, 1, 1, 1, 1, 1, 1, 0.9, 0.9, 0.9 };
    memcpy(w->grade_weight, gw, sizeof gw);
    uint64_t m = demo_mix64(w->seed ^ 0xabcdefULL) % ID_SPACE;
    m |= 1;
    while (m % 5 == 0) m += 2;
    w->id_mul = m;
    w->id_add = demo_mix64(w->seed ^ 0x123457ULL) % ID_SPACE;
    make_rounds(w);
    if (make_schools(w, err, errsz)) { demo_world_free(w); return -1; }
    return 0;
}

void demo_world_free(demo_world *w)
{
    free(w->schools);
    w->schools = NULL;
}

/* ---- everything, in order -------------------------------------------------- */

int demo_generate(const demo_world *w, unsigned what, unsigned student_rounds,
                  demo_emit_fn fn, void *u, demo_counts *c)
{
    int rc = 0;
    if (!rc && (what & DEMO_GEN_SCHOOLS)) rc = demo_emit_schools(w, fn, u, c);
    if (!rc && (what & DEMO_GEN_ROUNDS)) rc = demo_emit_rounds(w, fn, u, c);
    if (!rc && (what & DEMO_GEN_SUBMISSIONS)) rc = demo_emit_submissions(w, fn, u, c);
    if (!rc && (what & DEMO_GEN_CLASSES)) rc = demo_emit_classes(w, fn, u, c);
    if (!rc && (what & DEMO_GEN_STAFF)) rc = demo_emit_staff(w, fn, u, c);
    if (!rc && (what & DEMO_GEN_BUILDINGS)) rc = demo_emit_buildings(w, fn, u, c);
    if (!rc && (what & DEMO_GEN_EMIS_OTHER)) rc = demo_emit_emis_other(w, fn, u, c);
    for (int i = 0; !rc && i < DEMO_ROUNDS_MAX; i++) {
        if (!(student_rounds & (1u << i)) || !demo_world_dmc_round(w, i)) continue;
        rc = demo_emit_students(w, i, (what & DEMO_GEN_STUDENTS) != 0,
                                (what & DEMO_GEN_MOVES) != 0, fn, u, c);
    }
    return rc;
}

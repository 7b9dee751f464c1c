/*
 * test_demo.c: the synthetic district.  A small district (10 schools,
 * 2,000 students a round) is filled once into a temporary database; the
 * tests then check what it holds: counts, valid IDs wherever no fault was
 * planted, ages that fit grades, each planted fault found by the check a
 * district officer would make (and nothing else found), students carried
 * between rounds, determinism of the database rows and of the CSV bytes,
 * and the CSV files' canonical headers.
 */
#include "fixture.h"

#include <sys/stat.h>
#include <unistd.h>

#include "esis/db.h"
#include "esis/demo.h"
#include "esis/text.h"

typedef struct fixture {
    char dir[64];
    char path[128];
    sqlite3 *db;
    demo_opts o;
    demo_counts c;
} fixture;

static void small_opts(demo_opts *o)
{
    demo_opts_default(o);
    o->schools = 10;
    o->students = 2000;
    o->fault_rate = 0.05;
}

static int open_fill(const char *path, const demo_opts *o, sqlite3 **db, demo_counts *c)
{
    char err[512];
    if (db_open(path, true, 5000, db, err, sizeof err) != SQLITE_OK) {
        fprintf(stderr, "%s\n", err);
        return -1;
    }
    if (demo_fill_counted(*db, o, c, err, sizeof err) != 0) {
        fprintf(stderr, "%s\n", err);
        return -1;
    }
    return 0;
}

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    if (!f) return -1;
    if (fx_tmpdir(f->dir, sizeof f->dir, "test-demo")) return -1;
    snprintf(f->path, sizeof f->path, "%s/demo.db", f->dir);
    small_opts(&f->o);
    if (open_fill(f->path, &f->o, &f->db, &f->c)) return -1;
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    db_close(f->db);
    if (fx_rmtree(f->dir) != 0) fprintf(stderr, "could not remove %s\n", f->dir);
    free(f);
    return 0;
}

static long q(sqlite3 *db, const char *sql)
{
    return (long)db_query_int(db, -1, sql, (const char *)NULL);
}

/* ---- counts ---------------------------------------------------------- */

static void test_counts(void **state)
{
    fixture *f = *state;
    sqlite3 *db = f->db;
    assert_int_equal(q(db, "SELECT count(*) FROM schools"), 10);
    assert_int_equal(f->c.schools, 10);
    assert_int_equal(q(db, "SELECT count(*) FROM rounds"), 10);
    assert_int_equal(q(db, "SELECT count(*) FROM rounds WHERE state = 'open'"), 2);  /* DMC 1 and EMIS */
    assert_int_equal(q(db, "SELECT count(*) FROM students"), f->c.students);
    assert_int_equal(q(db, "SELECT count(*) FROM staff"), f->c.staff);
    assert_int_equal(q(db, "SELECT count(*) FROM buildings"), f->c.buildings);
    assert_int_equal(q(db, "SELECT count(*) FROM student_moves"), f->c.student_moves);
    assert_int_equal(q(db, "SELECT count(*) FROM classes"), f->c.classes);
    /* Round 1 of the current year is open: four DMC rounds hold students. */
    assert_int_equal(f->c.nrounds_filled, 4);
    assert_string_equal(f->c.round_code[0], "2567-1");
    assert_string_equal(f->c.round_code[3], "2568-1");
    for (int i = 0; i < 4; i++) {
        assert_in_range(f->c.round_students[i], 1800, 2200);
        char sql[128];
        snprintf(sql, sizeof sql, "SELECT count(*) FROM students WHERE round_code = '%s'", f->c.round_code[i]);
        assert_int_equal(q(db, sql), f->c.round_students[i]);
    }
    /* Every school has staff, a principal or not, buildings, ICT, internet,
     * service areas, classes and a submission for each round that opened. */
    assert_int_equal(q(db, "SELECT count(*) FROM schools s WHERE"
                           " NOT EXISTS (SELECT 1 FROM staff t WHERE t.school_code = s.school_code AND t.position IN ('TEA','AST','RT'))"
                           " OR NOT EXISTS (SELECT 1 FROM buildings b WHERE b.school_code = s.school_code AND b.building_type = 'CLS')"
                           " OR NOT EXISTS (SELECT 1 FROM ict_devices d WHERE d.school_code = s.school_code)"
                           " OR NOT EXISTS (SELECT 1 FROM internet i WHERE i.school_code = s.school_code)"
                           " OR NOT EXISTS (SELECT 1 FROM service_areas a WHERE a.school_code = s.school_code)"
                           " OR NOT EXISTS (SELECT 1 FROM classes c WHERE c.school_code = s.school_code)"), 0);
    assert_int_equal(q(db, "SELECT count(*) FROM submissions"),
                     10 * q(db, "SELECT count(*) FROM rounds WHERE state <> 'planned'"));
    /* The principal's name in the profile is the DIR staff member's. */
    assert_int_equal(q(db, "SELECT count(*) FROM schools s WHERE (principal_name IS NULL) <>"
                           " NOT EXISTS (SELECT 1 FROM staff t WHERE t.school_code = s.school_code AND t.position = 'DIR')"), 0);
    assert_int_equal(q(db, "SELECT count(*) FROM schools s WHERE principal_name IS NOT NULL AND NOT EXISTS"
                           " (SELECT 1 FROM staff t WHERE t.school_code = s.school_code AND t.position = 'DIR'"
                           "  AND s.principal_name = t.prefix || t.first_name || ' ' || t.last_name)"), 0);
    assert_int_equal(q(db, "SELECT count(DISTINCT name_th) FROM schools"), 10);
    assert_int_equal(q(db, "SELECT count(*) FROM schools WHERE length(school_code) <> 10 OR school_code NOT GLOB '1031*'"), 0);
}

static void test_integrity(void **state)
{
    fixture *f = *state;
    sqlite3_stmt *st = NULL;
    assert_int_equal(sqlite3_prepare_v2(f->db, "PRAGMA integrity_check", -1, &st, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    assert_string_equal((const char *)sqlite3_column_text(st, 0), "ok");
    sqlite3_finalize(st);
    assert_int_equal(q(f->db, "SELECT count(*) FROM pragma_foreign_key_check"), 0);
    /* A bulk load: one audit row for the district, none per row; the
     * name-search trigger fired for every student. */
    assert_true(q(f->db, "SELECT count(*) FROM audit WHERE action = 'bulk_insert'") == 1);
    assert_true(q(f->db, "SELECT count(*) FROM audit WHERE table_name = 'students'") == 0);
    assert_true(q(f->db, "SELECT count(*) FROM students_fts WHERE students_fts MATCH 'first_name:สมชาย'") >= 0);
}

/* ---- every fault found, nothing else -------------------------------- */

/* Years from the grade's age by OBEC's admission rules, written out here
 * (not read from conf/rules): kindergarten by full years at 16 May of the
 * academic year (อ.1 3), ป.1 and later by the Buddhist year of birth (ป.1
 * in academic year Y born in Y - 7, each later grade a year earlier).
 * Positive: older. */
static int years_off(text_date b, int g, int year_be)
{
    if (g < 3)
        return text_age_years(b, (text_date){ year_be - 543, 5, 16 }) - (3 + g);
    return (year_be - 7 - (g - 3)) - (b.year + 543);
}

static demo_fault classify(const char *id, const char *prefix, const char *first,
                           const char *last, int gender, const char *birth,
                           const char *grade, int room, const char *as_of, int dup,
                           int year_be)
{
    static const char *const grades[] = { "K1", "K2", "K3", "P1", "P2", "P3", "P4", "P5", "P6", "M1", "M2", "M3" };
    if (dup > 1) return DEMO_FAULT_DUPLICATE;
    bool g_ok = id[0] == 'G' && strlen(id) == 13 && strspn(id + 1, "0123456789") == 12;
    if (!g_ok && !text_thai_id_ok(id)) return DEMO_FAULT_CHECK_DIGIT;
    if (!first || !*first) return DEMO_FAULT_NO_FIRST_NAME;
    if (!last || !*last) return DEMO_FAULT_NO_LAST_NAME;
    bool boy = !strcmp(prefix, "เด็กชาย") || !strcmp(prefix, "นาย");
    if (boy != (gender == 1)) return DEMO_FAULT_PREFIX_GENDER;
    if (room < 1) return DEMO_FAULT_ROOM_ZERO;
    text_date b, at;
    assert_true(text_date_parse(birth, &b));
    assert_true(text_date_parse(as_of, &at));
    if (text_date_to_days(b) > text_date_to_days(at)) return DEMO_FAULT_FUTURE_BIRTH;
    int gi = -1;
    for (int g = 0; g < 12; g++) if (!strcmp(grade, grades[g])) gi = g;
    assert_true(gi >= 0);
    int off = years_off(b, gi, year_be);
    if (off < -1) return DEMO_FAULT_TOO_YOUNG;
    if (off > 2) return DEMO_FAULT_OVER_AGE;
    /* ages fit grades: on time, or a year late (a late start, a repeated
     * year); never early, whatever the round */
    if (off != 0 && off != 1)
        fail_msg("%s born %s in %s of %d: %d years off", id, birth, grade, year_be, off);
    int age = text_age_years(b, at);
    /* Not a fault, but must hold: the prefix fits the age. */
    assert_int_equal(age >= 15, !strncmp(prefix, "น", strlen("น")));
    return DEMO_FAULT_NONE;
}

static void test_faults_found(void **state)
{
    fixture *f = *state;
    long found[DEMO_FAULT_KINDS] = { 0 };
    sqlite3_stmt *st = NULL;
    assert_int_equal(sqlite3_prepare_v2(f->db,
        "SELECT s.citizen_id, s.prefix, s.first_name, s.last_name, s.gender, s.birth_date,"
        " s.grade, s.room, r.as_of,"
        " (SELECT count(*) FROM students d WHERE d.round_code = s.round_code AND d.citizen_id = s.citizen_id),"
        " r.academic_year"
        " FROM students s JOIN rounds r USING (round_code)", -1, &st, NULL), SQLITE_OK);
    while (sqlite3_step(st) == SQLITE_ROW) {
        demo_fault k = classify((const char *)sqlite3_column_text(st, 0),
                                (const char *)sqlite3_column_text(st, 1),
                                (const char *)sqlite3_column_text(st, 2),
                                (const char *)sqlite3_column_text(st, 3),
                                atoi((const char *)sqlite3_column_text(st, 4)),
                                (const char *)sqlite3_column_text(st, 5),
                                (const char *)sqlite3_column_text(st, 6),
                                sqlite3_column_int(st, 7),
                                (const char *)sqlite3_column_text(st, 8),
                                sqlite3_column_int(st, 9), sqlite3_column_int(st, 10));
        found[k]++;
    }
    sqlite3_finalize(st);
    long total = 0;
    for (int k = 1; k < DEMO_FAULT_KINDS; k++) {
        assert_true(f->c.faults[k] > 0);                 /* every kind is there */
        assert_int_equal(found[k], f->c.faults[k]);      /* and only where planted */
        total += found[k];
    }
    assert_int_equal(found[DEMO_FAULT_NONE], f->c.students - total);
    /* About the asked share (5 %), duplicates counting both rows. */
    assert_in_range(total * 1000 / f->c.students, 30, 80);
}

static void test_no_faults_when_asked(void **state)
{
    fixture *f = *state;
    char path[160], err[256];
    sqlite3 *db = NULL;
    demo_counts c;
    demo_opts o;
    small_opts(&o);
    o.schools = 3;
    o.students = 300;
    o.fault_rate = -1;
    snprintf(path, sizeof path, "%s/clean.db", f->dir);
    assert_int_equal(open_fill(path, &o, &db, &c), 0);
    for (int k = 1; k < DEMO_FAULT_KINDS; k++) assert_int_equal(c.faults[k], 0);
    sqlite3_stmt *st = NULL;
    assert_int_equal(sqlite3_prepare_v2(db, "SELECT citizen_id FROM students", -1, &st, NULL), SQLITE_OK);
    while (sqlite3_step(st) == SQLITE_ROW) {
        const char *id = (const char *)sqlite3_column_text(st, 0);
        assert_true(id[0] == 'G' || text_thai_id_ok(id));
    }
    sqlite3_finalize(st);
    /* A filled database is refused. */
    assert_int_equal(demo_fill(db, &o, err, sizeof err), -1);
    assert_non_null(strstr(err, "not empty"));
    db_close(db);
}

/* ---- students carried between rounds ------------------------------- */

static void test_carried_between_rounds(void **state)
{
    fixture *f = *state;
    sqlite3 *db = f->db;
    /* Within a year nobody vanishes without a move record. */
    assert_int_equal(q(db, "SELECT count(*) FROM students a WHERE a.round_code = '2567-1'"
                           " AND NOT EXISTS (SELECT 1 FROM students b WHERE b.round_code = '2567-2' AND b.citizen_id = a.citizen_id)"
                           " AND NOT EXISTS (SELECT 1 FROM student_moves m WHERE m.round_code = '2567-2' AND m.citizen_id = a.citizen_id)"), 0);
    /* Most of round 1 is still there in round 3, same school, same grade. */
    long r1 = q(db, "SELECT count(*) FROM students WHERE round_code = '2567-1'");
    long kept = q(db, "SELECT count(*) FROM students a JOIN students b ON b.citizen_id = a.citizen_id"
                      " AND b.school_code = a.school_code AND b.grade = a.grade"
                      " WHERE a.round_code = '2567-1' AND b.round_code = '2567-3'");
    assert_true(kept * 100 >= r1 * 95);
    /* Across years: promoted one grade; P6 of a primary school leaves. */
    long p3 = q(db, "SELECT count(*) FROM students WHERE round_code = '2567-3' AND grade = 'P3'");
    long p4 = q(db, "SELECT count(*) FROM students a JOIN students b ON b.citizen_id = a.citizen_id"
                    " WHERE a.round_code = '2567-3' AND a.grade = 'P3' AND b.round_code = '2568-1' AND b.grade = 'P4'");
    assert_true(p3 > 0 && p4 * 100 >= p3 * 95);
    assert_int_equal(q(db, "SELECT count(*) FROM students a JOIN students b ON b.citizen_id = a.citizen_id"
                           " AND b.school_code = a.school_code JOIN schools s ON s.school_code = a.school_code"
                           " WHERE a.round_code = '2567-3' AND b.round_code = '2568-1' AND a.grade = 'P6'"
                           " AND s.levels LIKE '%P6'"), 0);
    /* The previous rounds are closed, the current one open. */
    assert_int_equal(q(db, "SELECT count(*) FROM rounds WHERE round_code IN ('2567-1','2567-2','2567-3') AND state = 'closed'"), 3);
    assert_int_equal(q(db, "SELECT count(*) FROM rounds WHERE round_code = '2568-1' AND state = 'open'"
                           " AND as_of = '2025-06-10' AND opens = '2025-05-16' AND closes = '2025-06-10'"), 1);
}

static void test_names_varied(void **state)
{
    fixture *f = *state;
    assert_true(q(f->db, "SELECT count(DISTINCT first_name) FROM students") >= 400);
    assert_true(q(f->db, "SELECT count(DISTINCT last_name) FROM students") >= 800);
    assert_true(q(f->db, "SELECT count(*) FROM students WHERE nationality <> 'TH'") > 0);
    long poor = q(f->db, "SELECT 100 * sum(poor) / count(*) FROM students WHERE round_code = '2568-1'");
    assert_in_range(poor, 12, 40);
}

/* ---- determinism ------------------------------------------------------ */

/* FNV-1a over every value of every demo table, in id order. */
static uint64_t dump_hash(sqlite3 *db)
{
    static const char *const tables[] = { "schools", "rounds", "submissions", "students",
        "student_moves", "classes", "staff", "buildings", "ict_devices", "internet",
        "equipment", "service_areas" };
    uint64_t h = 1469598103934665603ULL;
    for (size_t t = 0; t < sizeof tables / sizeof tables[0]; t++) {
        char sql[96];
        sqlite3_stmt *st = NULL;
        snprintf(sql, sizeof sql, "SELECT * FROM %s ORDER BY rowid", tables[t]);
        assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
        while (sqlite3_step(st) == SQLITE_ROW) {
            for (int i = 0; i < sqlite3_column_count(st); i++) {
                const unsigned char *v = sqlite3_column_text(st, i);
                for (; v && *v; v++) { h ^= *v; h *= 1099511628211ULL; }
                h ^= 0xff; h *= 1099511628211ULL;
            }
        }
        sqlite3_finalize(st);
    }
    return h;
}

static void test_fill_deterministic(void **state)
{
    fixture *f = *state;
    char path[160];
    sqlite3 *db = NULL;
    demo_counts c;
    snprintf(path, sizeof path, "%s/again.db", f->dir);
    assert_int_equal(open_fill(path, &f->o, &db, &c), 0);
    assert_true(dump_hash(db) == dump_hash(f->db));
    assert_memory_equal(&c, &f->c, sizeof c);
    db_close(db);

    /* Another seed, another district. */
    demo_opts o = f->o;
    o.seed = 99;
    snprintf(path, sizeof path, "%s/other.db", f->dir);
    assert_int_equal(open_fill(path, &o, &db, &c), 0);
    assert_true(dump_hash(db) != dump_hash(f->db));
    db_close(db);
}

/* ---- CSV -------------------------------------------------------------- */

static char *slurp(const char *path, long *len)
{
    FILE *fp = fopen(path, "rb");
    if (!fp) return NULL;
    fseek(fp, 0, SEEK_END);
    *len = ftell(fp);
    fseek(fp, 0, SEEK_SET);
    char *buf = malloc((size_t)*len + 1);
    if (buf && fread(buf, 1, (size_t)*len, fp) != (size_t)*len) { free(buf); buf = NULL; }
    if (buf) buf[*len] = '\0';
    fclose(fp);
    return buf;
}

static void test_csv(void **state)
{
    fixture *f = *state;
    static const char *const files[] = { "students.csv", "schools.csv", "staff.csv", "buildings.csv" };
    static const char *const headers[] = {
        "\xEF\xBB\xBF\"school_code\",\"citizen_id\",\"prefix\",\"first_name\",\"last_name\","
        "\"gender\",\"birth_date\",\"grade\",\"room\",\"first_name_en\"",
        "\xEF\xBB\xBF\"school_code\",\"name\",\"amphoe\",\"school_code8\"",
        "\xEF\xBB\xBF\"school_code\",\"citizen_id\",\"prefix\",\"first_name\",\"last_name\"",
        "\xEF\xBB\xBF\"school_code\",\"building_no\",\"building_type\",\"design_code\"",
    };
    char a[160], b[160], err[256];
    demo_counts c;
    snprintf(a, sizeof a, "%s/csv-a", f->dir);
    snprintf(b, sizeof b, "%s/csv-b", f->dir);
    assert_int_equal(mkdir(a, 0700), 0);
    assert_int_equal(mkdir(b, 0700), 0);
    assert_int_equal(demo_write_csv_counted(a, &f->o, &c, err, sizeof err), 0);
    assert_int_equal(demo_write_csv(b, &f->o, err, sizeof err), 0);
    /* The current round's students, the same as in the database. */
    assert_int_equal(c.students, f->c.round_students[3]);
    assert_int_equal(c.staff, f->c.staff);
    assert_int_equal(c.buildings, f->c.buildings);
    for (int i = 0; i < 4; i++) {
        char pa[200], pb[200];
        long la = 0, lb = 0;
        snprintf(pa, sizeof pa, "%s/%s", a, files[i]);
        snprintf(pb, sizeof pb, "%s/%s", b, files[i]);
        char *x = slurp(pa, &la), *y = slurp(pb, &lb);
        assert_non_null(x);
        assert_non_null(y);
        assert_int_equal(la, lb);
        assert_memory_equal(x, y, (size_t)la);
        assert_memory_equal(x, headers[i], strlen(headers[i]));
        long lines = 0;
        for (char *p = x; (p = strstr(p, "\r\n")); p += 2) lines++;
        long want = i == 0 ? c.students : i == 1 ? c.schools : i == 2 ? c.staff : c.buildings;
        assert_int_equal(lines, want + 1);
        if (i == 0) {
            /* No database-only columns; dates in BE. */
            assert_null(strstr(x, "round_code"));
            assert_null(strstr(x, "created_at"));
            char *row = strstr(x, "\r\n") + 2;
            char sid[16] = "", bd[16] = "";
            assert_int_equal(sscanf(row, "\"%*[0-9]\",\"%13[0-9G]\",\"%*[^\"]\",\"%*[^\"]\",\"%*[^\"]\",\"%*[12]\",\"%10[0-9/]\"", sid, bd), 2);
            text_date d;
            assert_true(text_date_parse(bd, &d));   /* DD/MM/YYYY BE */
            char sql[200], iso[11];
            text_date_iso(d, iso);
            snprintf(sql, sizeof sql, "SELECT count(*) FROM students WHERE round_code = '2568-1'"
                     " AND citizen_id = '%s' AND birth_date = '%s'", sid, iso);
            assert_true(q(f->db, sql) >= 1);
        }
        free(x);
        free(y);
    }
}

static int cmp_id(const void *a, const void *b)
{
    return memcmp(a, b, 13);
}

/* A country's staff: numbered school by school, past ten million at
 * 10,000 schools; no citizen ID twice (they wrapped round and repeated
 * 62,000 times at 21,021 schools). */
static void test_staff_ids_unique_at_country_size(void **state)
{
    fixture *f = *state;
    demo_opts o;
    demo_opts_default(&o);
    o.schools = 10100;
    o.students = 20200;
    o.amphoes = 8;
    char dir[160], path[200], err[256] = "";
    snprintf(dir, sizeof dir, "%s/country", f->dir);
    assert_int_equal(mkdir(dir, 0700), 0);
    int rc = demo_write_csv(dir, &o, err, sizeof err);
    if (rc) fprintf(stderr, "%s\n", err);
    assert_int_equal(rc, 0);
    snprintf(path, sizeof path, "%s/staff.csv", dir);
    long len = 0;
    char *x = slurp(path, &len);
    assert_non_null(x);
    long n = 0, cap = 1 << 18;
    char (*ids)[13] = malloc((size_t)cap * sizeof *ids);
    assert_non_null(ids);
    for (char *p = strstr(x, "\r\n"); p && (p = strstr(p + 2, "\",\"")); p = strstr(p, "\r\n")) {
        if (n == cap) {
            cap *= 2;
            ids = realloc(ids, (size_t)cap * sizeof *ids);
            assert_non_null(ids);
        }
        memcpy(ids[n++], p + 3, 13);
    }
    assert_true(n > 20000);
    qsort(ids, (size_t)n, sizeof *ids, cmp_id);
    long twice = 0;
    for (long i = 1; i < n; i++) twice += memcmp(ids[i - 1], ids[i], 13) == 0;
    assert_int_equal(twice, 0);
    free(ids);
    free(x);
}

static void test_bad_options(void **state)
{
    (void)state;
    char err[256];
    demo_opts o;
    demo_opts_default(&o);
    o.amphoes = 99;
    assert_int_equal(demo_write_csv("/nonexistent", &o, err, sizeof err), -1);
    assert_non_null(strstr(err, "amphoes"));
    demo_opts_default(&o);
    o.year = 1999;
    assert_int_equal(demo_write_csv("/nonexistent", &o, err, sizeof err), -1);
    assert_non_null(strstr(err, "year"));
    demo_opts_default(&o);
    o.current_round = 4;
    assert_int_equal(demo_write_csv("/nonexistent", &o, err, sizeof err), -1);
    demo_opts_default(&o);
    o.schools = 2;
    o.students = 10;
    assert_int_equal(demo_write_csv("/nonexistent/dir", &o, err, sizeof err), -1);
    assert_non_null(strstr(err, "/nonexistent/dir/students.csv"));
}

static void test_current_round_three(void **state)
{
    fixture *f = *state;
    char path[160];
    sqlite3 *db = NULL;
    demo_counts c;
    demo_opts o;
    small_opts(&o);
    o.schools = 4;
    o.students = 400;
    o.current_round = 3;
    snprintf(path, sizeof path, "%s/r3.db", f->dir);
    assert_int_equal(open_fill(path, &o, &db, &c), 0);
    assert_int_equal(c.nrounds_filled, 6);
    assert_int_equal(q(db, "SELECT count(*) FROM rounds WHERE state = 'open'"), 1);
    assert_int_equal(q(db, "SELECT count(*) FROM rounds WHERE round_code = '2568-3' AND state = 'open'"
                           " AND as_of = '2026-03-31'"), 1);
    assert_int_equal(q(db, "SELECT count(*) FROM rounds WHERE state = 'planned'"), 0);
    db_close(db);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_counts),
        cmocka_unit_test(test_integrity),
        cmocka_unit_test(test_faults_found),
        cmocka_unit_test(test_no_faults_when_asked),
        cmocka_unit_test(test_carried_between_rounds),
        cmocka_unit_test(test_names_varied),
        cmocka_unit_test(test_fill_deterministic),
        cmocka_unit_test(test_csv),
        cmocka_unit_test(test_staff_ids_unique_at_country_size),
        cmocka_unit_test(test_bad_options),
        cmocka_unit_test(test_current_round_three),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}

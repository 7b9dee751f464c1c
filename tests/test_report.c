/* test_report: the report engine and the shipped reports.  A small district
 * (3 schools, 34 student rows over two rounds, staff, buildings, classes,
 * flags) is built with the real migrations; every report's numbers are
 * compared with values worked out here by hand, with rates and thresholds
 * read from the shipped conf.  Then the outputs (Thai alignment, CSV,
 * HTML escaping), bad definitions, parameters and the scope gate. */
#include "fixture.h"
#include "esis/conf.h"
#include "esis/db.h"
#include "esis/report.h"
#include "esis/strbuf.h"
#include "esis/text.h"

#include <sys/stat.h>
#include <unistd.h>

typedef struct fixture {
    char          path[256];
    sqlite3      *db;
    esis_conf    *conf;
    report_set   *set;
} fixture;

/* School A (เมือง): K1 m f(poor), P1 m m(poor) f(poor), P6 f f, M1 m, and a
 * P2 who moved out (not counted).  B (กระทุ่มแบน): P3 m m f f, P4 m f f(poor).
 * C (กระทุ่มแบน, a name with markup): K2 m f, P5 m m f.
 * Previous round 2566-3: A had A01-A06 and two who left (A90, A91); B had
 * B01-B05; C had nobody. */
static void add_student(strbuf *sb, const char *round, const char *school, const char *id,
                        const char *grade, const char *gender, int poor, const char *status)
{
    strbuf_addf(sb, "INSERT INTO students(round_code, school_code, citizen_id, first_name, last_name,"
                    " gender, grade, room, poor, status) VALUES ('%s','%s','%s','ชื่อ','นามสกุล','%s','%s',1,%d,'%s');",
                round, school, id, gender, grade, poor, status);
}

static void build_district(sqlite3 *db)
{
    exec_ok(db, "INSERT INTO schools(school_code, name_th, amphoe) VALUES"
                " ('1074000001','โรงเรียนบ้านสุ่มผู้ใหญ่','เมือง'),"
                " ('1074000002','โรงเรียนวัดดอนไก่ดี','กระทุ่มแบน'),"
                " ('1074000003','ร.ร. <script>alert(1)</script>','กระทุ่มแบน');"
                "INSERT INTO rounds(round_code, collection, academic_year, round_no, as_of, opens, closes, state)"
                " VALUES ('2567-1','dmc',2567,1,'2024-06-10','2000-01-01','2999-12-31','open'),"
                "        ('2566-3','dmc',2566,3,'2024-03-31','2000-01-01','2999-12-31','closed');");
    strbuf sb = STRBUF_INIT;
    const char *A = "1074000001", *B = "1074000002", *C = "1074000003";
    const char *r = "2567-1";
    add_student(&sb, r, A, "A01", "K1", "1", 0, "1");
    add_student(&sb, r, A, "A02", "K1", "2", 1, "1");
    add_student(&sb, r, A, "A03", "P1", "1", 0, "1");
    add_student(&sb, r, A, "A04", "P1", "1", 1, "1");
    add_student(&sb, r, A, "A05", "P1", "2", 1, "1");
    add_student(&sb, r, A, "A06", "P6", "2", 0, "1");
    add_student(&sb, r, A, "A07", "P6", "2", 0, "1");
    add_student(&sb, r, A, "A08", "M1", "1", 0, "1");
    add_student(&sb, r, A, "A09", "P2", "1", 1, "2");
    const char *bg[] = { "P3", "P3", "P3", "P3", "P4", "P4", "P4" };
    const char *bs[] = { "1", "1", "2", "2", "1", "2", "2" };
    for (int i = 0; i < 7; i++) {
        char id[16];
        snprintf(id, sizeof id, "B%02d", i + 1);
        add_student(&sb, r, B, id, bg[i], bs[i], i == 6, "1");
    }
    add_student(&sb, r, C, "C01", "K2", "1", 0, "1");
    add_student(&sb, r, C, "C02", "K2", "2", 0, "1");
    add_student(&sb, r, C, "C03", "P5", "1", 0, "1");
    add_student(&sb, r, C, "C04", "P5", "1", 0, "1");
    add_student(&sb, r, C, "C05", "P5", "2", 0, "1");
    for (int i = 1; i <= 6; i++) {
        char id[16];
        snprintf(id, sizeof id, "A%02d", i);
        add_student(&sb, "2566-3", A, id, "P1", "1", 0, "1");
    }
    add_student(&sb, "2566-3", A, "A90", "P6", "1", 0, "1");
    add_student(&sb, "2566-3", A, "A91", "P6", "2", 0, "1");
    for (int i = 1; i <= 5; i++) {
        char id[16];
        snprintf(id, sizeof id, "B%02d", i);
        add_student(&sb, "2566-3", B, id, "P2", "1", 0, "1");
    }
    /* Checks, submissions, staff, classes, buildings. */
    strbuf_add(&sb,
        "INSERT INTO flags(round_code, table_name, school_code, rule_id, severity, checked_at) VALUES"
        " ('2567-1','students','1074000001','id.check','error','2024-06-01T09:15:00'),"
        " ('2567-1','students','1074000001','id.check','error','2024-06-01T09:15:00'),"
        " ('2567-1','students','1074000001','age.over','warning','2024-06-01T09:15:00'),"
        " ('2566-3','students','1074000002','id.check','error','2024-03-01T09:00:00');"
        "INSERT INTO submissions(round_code, school_code, state, checked_at) VALUES"
        " ('2567-1','1074000002','submitted','2024-06-05T14:30:00');"
        "INSERT INTO staff(school_code, citizen_id, first_name, last_name, position) VALUES"
        " ('1074000001','S1','ก','ข','DIR'), ('1074000001','S2','ค','ง','TEA'),"
        " ('1074000001','S3','จ','ฉ','TEA'), ('1074000001','S4','ช','ซ','JAN'),"
        " ('1074000003','S5','ฌ','ญ','RT');"
        "INSERT INTO classes(school_code, academic_year, grade, rooms) VALUES"
        " ('1074000001',2567,'K1',1), ('1074000001',2567,'P1',1), ('1074000001',2567,'P6',1),"
        " ('1074000001',2566,'P1',5), ('1074000002',2567,'P3',1), ('1074000002',2567,'P4',1);"
        "INSERT INTO buildings(school_code, building_no, building_type, classrooms, condition, need) VALUES"
        " ('1074000001','1','CLS',2,'1','none'), ('1074000001','2','TOI',0,'3','repair'),"
        " ('1074000002','1','CLS',4,'2','none'), ('1074000003','1','CLS',1,'4','replace');");
    assert_false(sb.failed);
    exec_ok(db, strbuf_str(&sb));
    strbuf_free(&sb);
}

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    fx_db_path(f->path, sizeof f->path, "report");
    char err[1024] = "";
    if (db_open(f->path, true, 5000, &f->db, err, sizeof err) != SQLITE_OK) { fprintf(stderr, "%s\n", err); return -1; }
    if (conf_load(fx_home(), &f->conf, err, sizeof err)) { fprintf(stderr, "%s\n", err); return -1; }
    build_district(f->db);
    char dir[512];
    snprintf(dir, sizeof dir, "%s/conf/reports", fx_home());
    if (report_load_dir(f->db, f->conf, dir, &f->set, err, sizeof err)) { fprintf(stderr, "%s\n", err); return -1; }
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    db_session_set(f->db, NULL);
    report_set_free(f->set);
    db_close(f->db);
    conf_free(f->conf);
    unlink_db(f->path);
    free(f);
    return 0;
}

/* Rows as "cell|cell|...\n" of the plain (CSV) values; the totals row
 * starts with "TOTAL|". */
static int collect(void *ctx, const report_def *rep, const report_row *row)
{
    strbuf *sb = ctx;
    if (row->total) strbuf_add(sb, "TOTAL|");
    for (int i = 0; i < rep->ncols; i++) {
        if (i) strbuf_addc(sb, '|');
        strbuf_add(sb, row->plain[i]);
    }
    strbuf_addc(sb, '\n');
    return 0;
}

static char *run_rows(fixture *f, const char *name, const report_params *p)
{
    const report_def *rep = report_find(f->set, name);
    assert_non_null(rep);
    strbuf sb = STRBUF_INIT;
    char err[1024] = "";
    assert_int_equal(report_check_params(f->set, rep, p, err, sizeof err), 0);
    int rc = report_run(f->set, rep, p, collect, &sb, err, sizeof err);
    if (rc) fprintf(stderr, "%s\n", err);
    assert_int_equal(rc, 0);
    return strbuf_take(&sb);
}

static void assert_has(const char *text, const char *want)
{
    if (!strstr(text, want)) fprintf(stderr, "missing: %s\nin:\n%s\n", want, text);
    assert_non_null(strstr(text, want));
}

static char *render(fixture *f, const char *name, const report_params *p, report_output kind)
{
    FILE *fp = tmpfile();
    assert_non_null(fp);
    char err[1024] = "";
    int rc = report_render(f->set, report_find(f->set, name), p, kind, fp, err, sizeof err);
    if (rc) fprintf(stderr, "%s\n", err);
    assert_int_equal(rc, 0);
    long n = ftell(fp);
    rewind(fp);
    char *buf = calloc(1, (size_t)n + 1);
    assert_int_equal(fread(buf, 1, (size_t)n, fp), (size_t)n);
    fclose(fp);
    return buf;
}

static const report_params ROUND = { "2567-1", 0, NULL, "th", 0 };

/* ---- loading ---------------------------------------------------------- */

static void test_shipped_definitions_load(void **state)
{
    fixture *f = *state;
    const char *names[] = { "students_by_grade", "students_by_grade_district", "students_by_grade_gender",
                            "school_sizes", "school_sizes_by_school", "subsidy", "round_change",
                            "data_quality", "staff_by_position", "teacher_ratio",
                            "buildings_by_condition", "classroom_shortage" };
    for (size_t i = 0; i < sizeof names / sizeof *names; i++) {
        const report_def *r = report_find(f->set, names[i]);
        if (!r) fprintf(stderr, "no report %s\n", names[i]);
        assert_non_null(r);
        assert_true(r->ncols > 0 && *r->title_th && *r->title_en);
    }
    assert_null(report_find(f->set, "nope"));
    /* Sorted by name: --list prints them in order. */
    for (int i = 1; i < f->set->ndefs; i++)
        assert_true(strcmp(f->set->defs[i - 1].name, f->set->defs[i].name) < 0);
}

/* ---- the DMC reports -------------------------------------------------- */

static void test_students_by_grade(void **state)
{
    fixture *f = *state;
    char *rows = run_rows(f, "students_by_grade", &ROUND);
    /* school|K|P1..P6|M|male|female|total */
    assert_has(rows, "โรงเรียนบ้านสุ่มผู้ใหญ่|2|3|0|0|0|0|2|1|4|4|8\n");
    assert_has(rows, "โรงเรียนวัดดอนไก่ดี|0|0|0|4|3|0|0|0|3|4|7\n");
    assert_has(rows, "ร.ร. <script>alert(1)</script>|2|0|0|0|0|3|0|0|3|2|5\n");
    assert_has(rows, "TOTAL|รวม|4|3|0|4|3|3|2|1|10|10|20\n");
    free(rows);
    rows = run_rows(f, "students_by_grade_district", &ROUND);
    assert_has(rows, "กระทุ่มแบน|2|0|0|4|3|3|0|0|6|6|12\n");
    assert_has(rows, "เมือง|2|3|0|0|0|0|2|1|4|4|8\n");
    assert_has(rows, "TOTAL|รวม|4|3|0|4|3|3|2|1|10|10|20\n");
    /* Thai order: กระทุ่มแบน before เมือง. */
    assert_true(strstr(rows, "กระทุ่มแบน") < strstr(rows, "เมือง"));
    free(rows);
    rows = run_rows(f, "students_by_grade_gender", &ROUND);
    /* grade|male|female|total|poor, in grade order */
    assert_has(rows, "อ.1|1|1|2|1\nอ.2|1|1|2|0\nป.1|2|1|3|2\nป.3|2|2|4|0\nป.4|1|2|3|1\n"
                     "ป.5|2|1|3|0\nป.6|0|2|2|0\nม.1|1|0|1|0\nTOTAL|รวม|10|10|20|4\n");
    free(rows);
}

static void test_school_sizes_follow_conf(void **state)
{
    fixture *f = *state;
    char *rows = run_rows(f, "school_sizes", &ROUND);
    /* All three are small under OBEC's thresholds. amphoe|S|M|L|XL|schools|students */
    assert_has(rows, "กระทุ่มแบน|2|0|0|0|2|12\n");
    assert_has(rows, "TOTAL|รวม|3|0|0|0|3|20\n");
    free(rows);
    /* The thresholds are the office's: lower them and the classes follow. */
    int small = f->conf->size_small, medium = f->conf->size_medium, large = f->conf->size_large;
    f->conf->size_small = 5; f->conf->size_medium = 7; f->conf->size_large = 7;
    rows = run_rows(f, "school_sizes", &ROUND);
    assert_has(rows, "กระทุ่มแบน|1|1|0|0|2|12\n");     /* C 5 small, B 7 medium */
    assert_has(rows, "เมือง|0|0|0|1|1|8\n");            /* A 8 extra large */
    free(rows);
    rows = run_rows(f, "school_sizes_by_school", &ROUND);
    assert_has(rows, "1074000001|โรงเรียนบ้านสุ่มผู้ใหญ่|เมือง|8|ขนาดใหญ่พิเศษ\n");
    assert_has(rows, "1074000002|โรงเรียนวัดดอนไก่ดี|กระทุ่มแบน|7|ขนาดกลาง\n");
    free(rows);
    f->conf->size_small = small; f->conf->size_medium = medium; f->conf->size_large = large;
    report_params en = ROUND;
    en.lang = "en";
    rows = run_rows(f, "school_sizes_by_school", &en);
    assert_has(rows, "|8|small\n");
    free(rows);
}

/* The rate of fiscal 2567 (term 1 of academic year 2567: round 2567-1, as
 * of 10 June 2567) read from the shipped conf/rates.ini. */
static double rate2567(const esis_conf *c, const char *comp, const char *grade)
{
    double x = -1;
    assert_int_equal(conf_rate_amount(c, 2567, comp, grade, &x, "en", NULL, 0), 0);
    return x;
}

typedef struct hand_grade { const char *grade; int n, poor; } hand_grade;

/* One school's term-1 row worked out student group by student group:
 * school|term|round|students|poor|screened|total|per_head|textbooks|
 * materials|uniforms|activities|poor_amount|note; the amounts into sums[7].
 * The fixture's poor students have no screening data: none supported. */
static void hand_row(const esis_conf *c, const char *name, const hand_grade *g, int ng, char *out, size_t outsz,
                     double *sums)
{
    /* OBEC pays per head, materials, activities and the poor factor half a
     * term, textbooks and uniforms once, in term 1 */
    static const char *const comp[] = { "per_head", "textbooks", "materials", "uniforms", "activities", "poor" };
    static const double share[] = { 0.5, 1, 0.5, 1, 0.5, 0.5 };
    double v[6] = { 0 }, total = 0;
    int n = 0, poor = 0;
    for (int i = 0; i < ng; i++) {
        n += g[i].n;
        poor += g[i].poor;
        for (int k = 0; k < 6; k++)
            v[k] += (k == 5 ? g[i].poor : g[i].n) * rate2567(c, comp[k], g[i].grade) * share[k];
    }
    for (int k = 0; k < 6; k++) { total += v[k]; sums[k + 1] += v[k]; }
    sums[0] += total;
    snprintf(out, outsz, "%s|1|2567-1|%d|%d|0|%.2f|%.2f|%.2f|%.2f|%.2f|%.2f|%.2f|\n", name, n, poor, total,
             v[0], v[1], v[2], v[3], v[4], v[5]);
}

static void test_subsidy_by_hand(void **state)
{
    fixture *f = *state;
    const esis_conf *c = f->conf;
    /* the fixture's students by grade (studying only; poor among them) */
    static const hand_grade A[] = { { "K1", 2, 1 }, { "P1", 3, 2 }, { "P6", 2, 0 }, { "M1", 1, 0 } };
    static const hand_grade B[] = { { "P3", 4, 0 }, { "P4", 3, 1 } };
    static const hand_grade C[] = { { "K2", 2, 0 }, { "P5", 3, 0 } };
    double sums[7] = { 0 };
    char a[256], b[256], cc[256], want[256];
    hand_row(c, "โรงเรียนบ้านสุ่มผู้ใหญ่", A, 4, a, sizeof a, sums);
    hand_row(c, "โรงเรียนวัดดอนไก่ดี", B, 2, b, sizeof b, sums);
    hand_row(c, "ร.ร. <script>alert(1)</script>", C, 2, cc, sizeof cc, sums);
    /* the shipped per-head rates of fiscal 2567, as published: A's term 1 is
     * half of 2 x 1,836 + 5 x 2,052 + 3,780 */
    assert_true(rate2567(c, "per_head", "K1") == 1836 && rate2567(c, "per_head", "P6") == 2052 &&
                rate2567(c, "per_head", "M1") == 3780 && rate2567(c, "per_head", "M4") == 4104);
    assert_has(a, "|8|3|0|");
    assert_has(a, "|8856.00|");
    report_params t1 = { NULL, 2567, NULL, "th", 1 };
    char *rows = run_rows(f, "subsidy", &t1);
    assert_has(rows, a);
    assert_has(rows, b);
    assert_has(rows, cc);
    snprintf(want, sizeof want, "TOTAL|รวม|||20|4|0|%.2f|%.2f|%.2f|%.2f|%.2f|%.2f|%.2f|\n", sums[0], sums[1],
             sums[2], sums[3], sums[4], sums[5], sums[6]);
    assert_has(rows, want);
    assert_null(strstr(rows, "|2|2567-2|"));       /* term 1 only */
    free(rows);
    /* The display form: baht with thousands separators. */
    char *text = render(f, "subsidy", &t1, REPORT_OUT_TEXT);
    assert_has(text, "8,856.00");
    assert_has(text, "10/06/2567");                  /* the term's round, as of */
    assert_has(text, "2567-1");
    free(text);
    /* One school: --school. */
    report_params one = t1;
    one.school = "1074000002";
    rows = run_rows(f, "subsidy", &one);
    assert_null(strstr(rows, "บ้านสุ่ม"));
    assert_has(rows, b);
    free(rows);
    /* Both terms: term 2 is paid from round 2567-2, which the district does
     * not hold: refused, not filled in from round 1. */
    report_params both = { NULL, 2567, NULL, "en", 0 };
    char err[512] = "";
    assert_int_equal(report_check_params(f->set, report_find(f->set, "subsidy"), &both, err, sizeof err), 1);
    assert_has(err, "2567-2");
    /* --round is not a parameter of a report paid per term. */
    report_params round = ROUND;
    assert_int_equal(report_check_params(f->set, report_find(f->set, "subsidy"), &round, err, sizeof err), 2);
    assert_has(err, "--round");
}

/* A fiscal year with no section in conf/rates.ini is refused before any
 * number, naming the file and the section; conf_rate() in a query raises
 * the same instead of pricing at 0. */
static void test_subsidy_year_without_rates(void **state)
{
    fixture *f = *state;
    esis_conf *c = f->conf;
    for (int i = 0; i < c->nrates; i++)
        if (c->rates[i].fiscal_year == 2567) c->rates[i].fiscal_year = 1;
    report_params t1 = { NULL, 2567, NULL, "en", 1 };
    char err[512] = "";
    assert_int_equal(report_check_params(f->set, report_find(f->set, "subsidy"), &t1, err, sizeof err), 1);
    assert_has(err, "conf/rates.ini [2567]");
    assert_has(err, "no subsidy rates");
    strbuf sb = STRBUF_INIT;
    err[0] = '\0';
    assert_int_equal(report_run(f->set, report_find(f->set, "subsidy"), &t1, collect, &sb, err, sizeof err), 1);
    assert_has(err, "conf/rates.ini [2567]");
    strbuf_free(&sb);
    for (int i = 0; i < c->nrates; i++)
        if (c->rates[i].fiscal_year == 1) c->rates[i].fiscal_year = 2567;
    assert_int_equal(report_check_params(f->set, report_find(f->set, "subsidy"), &t1, err, sizeof err), 0);
}

static void test_round_change(void **state)
{
    fixture *f = *state;
    char *rows = run_rows(f, "round_change", &ROUND);
    /* school|prev|now|diff|new|gone; the previous round of 2567-1 is 2566-3. */
    assert_has(rows, "โรงเรียนบ้านสุ่มผู้ใหญ่|8|8|0|2|2\n");
    assert_has(rows, "โรงเรียนวัดดอนไก่ดี|5|7|2|2|0\n");
    assert_has(rows, "ร.ร. <script>alert(1)</script>|0|5|5|5|0\n");
    assert_has(rows, "TOTAL|รวม|13|20|7|9|2\n");
    free(rows);
}

static void test_data_quality(void **state)
{
    fixture *f = *state;
    char *rows = run_rows(f, "data_quality", &ROUND);
    /* Worst first; flags of another round do not count. */
    assert_true(!strncmp(rows, "โรงเรียนบ้านสุ่มผู้ใหญ่|2|1|ยังไม่เริ่ม|01/06/2567 09:15\n", strlen("โรงเรียนบ้านสุ่มผู้ใหญ่|2|1|ยังไม่เริ่ม|01/06/2567 09:15\n")));
    assert_has(rows, "โรงเรียนวัดดอนไก่ดี|0|0|ส่งแล้ว|05/06/2567 14:30\n");
    assert_has(rows, "TOTAL|รวม|2|1||\n");
    free(rows);
}

/* ---- EMIS and B-obec -------------------------------------------------- */

static void test_emis_bobec(void **state)
{
    fixture *f = *state;
    report_params none = { NULL, 0, NULL, "th", 0 };
    char *rows = run_rows(f, "staff_by_position", &none);
    assert_has(rows, "โรงเรียนบ้านสุ่มผู้ใหญ่|1|2|1|4\n");
    assert_has(rows, "TOTAL|รวม|1|3|1|5\n");
    free(rows);
    /* Norm 20 students a teacher: A 8 students, 2 teachers, needs 1 (+1);
     * B 7 students, none (-1); C 5 students, 1 contract teacher (0). */
    rows = run_rows(f, "teacher_ratio", &ROUND);
    assert_has(rows, "โรงเรียนวัดดอนไก่ดี|7|0|1|-1|\n");
    assert_has(rows, "โรงเรียนบ้านสุ่มผู้ใหญ่|8|2|1|1|4.0\n");
    assert_true(strstr(rows, "วัดดอน") < strstr(rows, "บ้านสุ่ม"));   /* shortage first */
    free(rows);
    rows = run_rows(f, "buildings_by_condition", &none);
    assert_has(rows, "โรงเรียนบ้านสุ่มผู้ใหญ่|1|0|1|0|1|2\n");
    assert_has(rows, "TOTAL|รวม|1|1|1|1|2|4\n");
    free(rows);
    /* 2567: A runs 3 classes in 2 classrooms; B 2 in 4 (not short).  A's
     * 2566 classes do not count. */
    report_params year = { NULL, 2567, NULL, "th", 0 };
    rows = run_rows(f, "classroom_shortage", &year);
    assert_string_equal(rows, "โรงเรียนบ้านสุ่มผู้ใหญ่|เมือง|3|2|1\nTOTAL|รวม||3|2|1\n");
    free(rows);
}

/* ---- outputs ---------------------------------------------------------- */

static void test_text_aligned_with_thai(void **state)
{
    fixture *f = *state;
    const char *names[] = { "students_by_grade", "subsidy", "round_change", "data_quality" };
    const report_params term1 = { NULL, 2567, NULL, "th", 1 };
    for (size_t k = 0; k < sizeof names / sizeof *names; k++) {
        bool wide = !strcmp(names[k], "subsidy");  /* six components: its total comes first */
        char *text = render(f, names[k], wide ? &term1 : &ROUND, REPORT_OUT_TEXT);
        if (getenv("ESIS_TEST_SHOW")) fputs(text, stderr);   /* to look at it */
        /* The table runs from the line after the first blank line to the
         * next blank line (the chart follows). */
        char *p = strstr(text, "\n\n");
        assert_non_null(p);
        p += 2;
        int width = -1, lines = 0;
        while (*p && *p != '\n') {
            char *nl = strchr(p, '\n');
            assert_non_null(nl);
            int w = text_width_n(p, (size_t)(nl - p));
            if (width < 0) width = w;
            if (w != width) fprintf(stderr, "%s: line %d is %d wide, not %d: %.*s\n", names[k], lines, w, width, (int)(nl - p), p);
            assert_int_equal(w, width);
            lines++;
            p = nl + 1;
        }
        assert_true(lines >= 6);           /* header, rule, 3 schools, rule, total */
        assert_true(width <= (wide ? 160 : 80));   /* readable at 80 columns */
        free(text);
    }
    char *text = render(f, "students_by_grade", &ROUND, REPORT_OUT_TEXT);
    assert_has(text, f->conf->office_name_th);
    assert_has(text, "10/06/2567");       /* the round's as-of date in BE */
    assert_has(text, "█");                /* the chart */
    free(text);
}

static void test_csv(void **state)
{
    fixture *f = *state;
    char *csv = render(f, "students_by_grade_gender", &ROUND, REPORT_OUT_CSV);
    assert_true(!strncmp(csv, "\xEF\xBB\xBF\"ชั้น\",\"ชาย\",\"หญิง\",\"รวม\",\"ยากจน\"\r\n", 3 + 45));
    assert_has(csv, "\"ป.1\",\"2\",\"1\",\"3\",\"2\"\r\n");
    assert_has(csv, "\"รวม\",\"10\",\"10\",\"20\",\"4\"\r\n");
    free(csv);
    /* Money has no thousands separator in CSV; English headings. */
    report_params en = ROUND;
    en.lang = "en";
    en.round = NULL;
    en.year = 2567;
    en.term = 1;
    csv = render(f, "subsidy", &en, REPORT_OUT_CSV);
    assert_has(csv, "\"School\",\"Term\",\"Round\",\"Students\"");
    assert_has(csv, "\"8856.00\"");
    assert_has(csv, "\"Total\",\"\",\"\",\"20\"");
    free(csv);
}

static void test_html_escaped(void **state)
{
    fixture *f = *state;
    char *html = render(f, "students_by_grade", &ROUND, REPORT_OUT_HTML);
    assert_true(!strncmp(html, "<!DOCTYPE html>", 15));
    assert_has(html, "<meta charset=\"utf-8\">");
    assert_has(html, "@media print");
    assert_has(html, f->conf->office_name_th);
    assert_has(html, "ร.ร. &lt;script&gt;alert(1)&lt;/script&gt;");
    assert_null(strstr(html, "<script"));
    assert_has(html, "<tfoot><tr><td>รวม</td>");
    assert_has(html, "class=\"bar s0\" style=\"width:100.0%\"");   /* A, the largest */
    assert_has(html, "</html>\n");
    free(html);
}

/* A report of more rows than a chart can show (the country's schools)
 * says so instead of drawing a bar a school, in text and in HTML; a
 * district's report keeps its chart. */
static void test_chart_left_out_for_many_rows(void **state)
{
    fixture *f = *state;
    char *text = render(f, "students_by_grade", &ROUND, REPORT_OUT_TEXT);
    assert_has(text, "แผนภูมิ");
    assert_null(strstr(text, "ไม่แสดงแผนภูมิ"));
    free(text);
    /* committed: reports run on the gate, a second connection */
    exec_ok(f->db, "WITH RECURSIVE g(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM g WHERE i < 400)"
                   " INSERT INTO schools(school_code, name_th, amphoe) SELECT printf('1099%06d', i),"
                   " 'โรงเรียนทดสอบ ' || i, 'ทดสอบ' FROM g");
    text = render(f, "students_by_grade", &ROUND, REPORT_OUT_TEXT);
    assert_has(text, "ไม่แสดงแผนภูมิ");
    assert_null(strstr(text, "█"));
    free(text);
    char *html = render(f, "students_by_grade", &ROUND, REPORT_OUT_HTML);
    assert_has(html, "ไม่แสดงแผนภูมิ");
    assert_null(strstr(html, "class=\"chart\""));
    free(html);
    exec_ok(f->db, "DELETE FROM schools WHERE school_code LIKE '1099%'");
}

static void test_bars(void **state)
{
    (void)state;
    char buf[256];
    report_bar(4, 8, 4, buf, sizeof buf);
    assert_string_equal(buf, "██  ");
    report_bar(1, 8, 1, buf, sizeof buf);
    assert_string_equal(buf, "▏");
    report_bar(3, 8, 2, buf, sizeof buf);     /* 6 eighths */
    assert_string_equal(buf, "▊ ");
    report_bar(0, 8, 3, buf, sizeof buf);
    assert_string_equal(buf, "   ");
    report_bar(9, 8, 3, buf, sizeof buf);     /* clamped */
    assert_string_equal(buf, "███");
    report_bar(0.001, 8, 3, buf, sizeof buf); /* above zero shows */
    assert_string_equal(buf, "▏  ");
    report_bar_line("โรงเรียนบ้านสุ่มผู้ใหญ่มาก", 5, 10, 60, buf, sizeof buf);
    assert_int_equal(text_width(buf), 60);
    assert_non_null(strstr(buf, " 5"));
}

static void test_format_values(void **state)
{
    fixture *f = *state;
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_prepare_v2(f->db, "SELECT 1234567.5, -1234.4, 12.345, '2024-06-10', '2024-06-01T09:15:00', 'P1', NULL",
                                        -1, &st, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    report_column money = { .format = REPORT_MONEY }, integer = { .format = REPORT_INT },
                  pct = { .format = REPORT_PERCENT }, date = { .format = REPORT_DATE },
                  code = { .format = REPORT_CODE, .code_list = "grade" };
    char b[64];
    assert_string_equal(report_format_value(f->set, &money, sqlite3_column_value(st, 0), false, "th", b, sizeof b), "1,234,567.50");
    assert_string_equal(report_format_value(f->set, &money, sqlite3_column_value(st, 0), true, "th", b, sizeof b), "1234567.50");
    assert_string_equal(report_format_value(f->set, &integer, sqlite3_column_value(st, 1), false, "th", b, sizeof b), "-1,234");
    assert_string_equal(report_format_value(f->set, &pct, sqlite3_column_value(st, 2), false, "th", b, sizeof b), "12.3%");
    assert_string_equal(report_format_value(f->set, &date, sqlite3_column_value(st, 3), false, "th", b, sizeof b), "10/06/2567");
    assert_string_equal(report_format_value(f->set, &date, sqlite3_column_value(st, 4), false, "th", b, sizeof b), "01/06/2567 09:15");
    assert_string_equal(report_format_value(f->set, &code, sqlite3_column_value(st, 5), false, "th", b, sizeof b), "ป.1");
    assert_string_equal(report_format_value(f->set, &code, sqlite3_column_value(st, 5), false, "en", b, sizeof b), "P1");
    assert_string_equal(report_format_value(f->set, &money, sqlite3_column_value(st, 6), false, "th", b, sizeof b), "");
    sqlite3_finalize(st);
}

static void test_params_checked(void **state)
{
    fixture *f = *state;
    char err[512];
    report_params p = ROUND;
    p.school = "1074000001";
    assert_int_equal(report_check_params(f->set, report_find(f->set, "school_sizes"), &p, err, sizeof err), 2);
    assert_non_null(strstr(err, "--school"));
    p = ROUND;
    p.round = NULL;
    assert_int_equal(report_check_params(f->set, report_find(f->set, "round_change"), &p, err, sizeof err), 2);
    assert_non_null(strstr(err, "--round"));
    p.round = "2567-9";
    assert_int_equal(report_check_params(f->set, report_find(f->set, "round_change"), &p, err, sizeof err), 2);
    /* a term is 1 or 2, and only for a report paid per term */
    p = (report_params){ NULL, 2567, NULL, "en", 3 };
    assert_int_equal(report_check_params(f->set, report_find(f->set, "subsidy"), &p, err, sizeof err), 2);
    assert_non_null(strstr(err, "the term is 1 or 2"));
    p = ROUND;
    p.term = 1;
    assert_int_equal(report_check_params(f->set, report_find(f->set, "round_change"), &p, err, sizeof err), 2);
    assert_non_null(strstr(err, "--term"));
    p = ROUND;
    assert_int_equal(report_check_params(f->set, report_find(f->set, "staff_by_position"), &p, err, sizeof err), 2);
    p = (report_params){ NULL, 2567, NULL, "th", 0 };
    assert_int_equal(report_check_params(f->set, report_find(f->set, "classroom_shortage"), &p, err, sizeof err), 0);
}

/* ---- bad definitions -------------------------------------------------- */

static const char GOOD_HEAD[] =
    "[report]\ntitle_th = ทดสอบ\ncollection = dmc\nparams = round\n";

static int load_one(fixture *f, const char *text, char *err, size_t errsz)
{
    char dir[256], file[300];
    snprintf(dir, sizeof dir, "/tmp/esis_test_reports_%d", (int)getpid());
    mkdir(dir, 0700);
    snprintf(file, sizeof file, "%s/x.ini", dir);
    FILE *fp = fopen(file, "w");
    assert_non_null(fp);
    fputs(text, fp);
    fclose(fp);
    report_set *s = NULL;
    int rc = report_load_dir(f->db, f->conf, dir, &s, err, errsz);
    report_set_free(s);
    unlink(file);
    rmdir(dir);
    return rc;
}

/* A number wider than its column is shown whole in text, not cut. */
static void test_numbers_never_cut(void **state)
{
    fixture *f = *state;
    char dir[256], file[300], err[1024] = "";
    snprintf(dir, sizeof dir, "/tmp/esis_test_wide_%d", (int)getpid());
    mkdir(dir, 0700);
    snprintf(file, sizeof file, "%s/wide.ini", dir);
    FILE *fp = fopen(file, "w");
    assert_non_null(fp);
    fputs("[report]\ntitle_th = กว้าง\ntitle_en = Wide\ncollection = dmc\nparams = round\n"
          "[query]\n1 = SELECT 'โรงเรียน' AS school, 1234567 AS n, 7 AS m WHERE :round IS NOT NULL\n"
          "[col.1]\nfield = school\nheading_th = ร\nheading_en = S\nwidth = 4\n"
          "[col.2]\nfield = n\nheading_th = น\nheading_en = N\nwidth = 4\nformat = int\n"
          "[col.3]\nfield = m\nheading_th = ม\nheading_en = M\nwidth = 3\nformat = int\n", fp);
    fclose(fp);
    report_set *s = NULL;
    int rc = report_load_dir(f->db, f->conf, dir, &s, err, sizeof err);
    unlink(file);
    rmdir(dir);
    if (rc) fprintf(stderr, "%s\n", err);
    assert_int_equal(rc, 0);
    FILE *out = tmpfile();
    assert_int_equal(report_render(s, report_find(s, "wide"), &ROUND, REPORT_OUT_TEXT, out, err, sizeof err), 0);
    char buf[4096] = "";
    rewind(out);
    size_t n = fread(buf, 1, sizeof buf - 1, out);
    buf[n] = '\0';
    fclose(out);
    assert_has(buf, "1,234,567   7");   /* whole, the next column after it */
    assert_has(buf, "โรง…");            /* text is still cut to its width */
    report_set_free(s);
}

static void expect_refused(fixture *f, const char *text, const char *want)
{
    char err[1024] = "";
    assert_int_equal(load_one(f, text, err, sizeof err), 2);
    if (!strstr(err, want)) fprintf(stderr, "expected '%s', got '%s'\n", want, err);
    assert_non_null(strstr(err, want));
}

static void test_bad_definitions(void **state)
{
    fixture *f = *state;
    char ok[1024], bad[1024], err[1024] = "";
    snprintf(ok, sizeof ok, "%squery = SELECT name_th AS school FROM schools WHERE esis_may_see(school_code)"
             " AND :round IS NOT NULL\n[col.1]\nfield = school\nheading_th = โรงเรียน\nwidth = 20\n", GOOD_HEAD);
    int rc = load_one(f, ok, err, sizeof err);
    if (rc) fprintf(stderr, "%s\n", err);
    assert_int_equal(rc, 0);

    snprintf(bad, sizeof bad, "%squery = SELECT name_th AS school, 1 AS n FROM schools WHERE esis_may_see(school_code)\n"
             "[col.1]\nfield = school\nheading_th = a\nwidth = 20\n[col.2]\nfield = n\nheading_th = b\nwidth = 3\n"
             "[col.3]\nfield = foo\nheading_th = c\nwidth = 3\n", GOOD_HEAD);
    expect_refused(f, bad, "x.ini [col.3] field: 'foo' is not a column of the query");

    /* the scope is the gate's (test_scope_gate tries the ways around it) */
    snprintf(bad, sizeof bad, "%squery = SELECT login AS school FROM users\n"
             "[col.1]\nfield = school\nheading_th = a\nwidth = 20\n", GOOD_HEAD);
    expect_refused(f, bad, "x.ini [report] query: reads users, which reports and rules may not read");

    snprintf(bad, sizeof bad, "%squery = SELECT count(*) AS n FROM students st WHERE esis_may_see(st.school_code)"
             " AND st.school_code = :school\n[col.1]\nfield = n\nheading_th = a\nwidth = 5\n", GOOD_HEAD);
    expect_refused(f, bad, "x.ini [report] params: the query uses :school but params does not declare school");

    snprintf(bad, sizeof bad, "%squery = SELECT nam FROM schools WHERE esis_may_see(school_code)\n"
             "[col.1]\nfield = nam\nheading_th = a\nwidth = 5\n", GOOD_HEAD);
    expect_refused(f, bad, "x.ini [report] query: no such column: nam");

    snprintf(bad, sizeof bad, "%s[query]\n1 = SELECT 1 AS n\n[col.1]\nfield = n\nheading_th = a\nwidth = 5\nformat = code:nolist\n",
             GOOD_HEAD);
    expect_refused(f, bad, "x.ini [col.1] format: 'nolist' is not a code list");

    snprintf(bad, sizeof bad, "%s[query]\n1 = SELECT 1 AS n\n[col.1]\nfield = n\nheading_th = a\nwidht = 5\n", GOOD_HEAD);
    expect_refused(f, bad, "x.ini [col.1] widht: unknown key");

    snprintf(bad, sizeof bad, "%s[query]\n1 = SELECT 1 AS n\n[col.1]\nfield = n\nheading_th = a\nwidth = 5\n"
             "[col.3]\nfield = n\nheading_th = a\nwidth = 5\n", GOOD_HEAD);
    expect_refused(f, bad, "x.ini [report]: columns are numbered [col.1] to [col.3] without gaps");

    snprintf(bad, sizeof bad, "%s[query]\n1 = SELECT 'a' AS t\n[col.1]\nfield = t\nheading_th = a\nwidth = 5\ntotal = sum\n",
             GOOD_HEAD);
    expect_refused(f, bad, "x.ini [col.1] total: only a number column");

    snprintf(bad, sizeof bad, "%s[query]\n1 = DELETE FROM drafts\n[col.1]\nfield = n\nheading_th = a\nwidth = 5\n", GOOD_HEAD);
    expect_refused(f, bad, "x.ini [query]: does more than read");

    snprintf(bad, sizeof bad, "%s[query]\n1 = SELECT 1 AS n\n[col.1]\nfield = n\nheading_th = a\nwidth = 5\n"
             "[chart]\nlabel = n\nvalue = m\n", GOOD_HEAD);
    expect_refused(f, bad, "x.ini [chart] value: 'm' is not the field of a column");

    expect_refused(f, "[report]\ntitle_th = a\nthis line has no equals\n", "x.ini: ");
    expect_refused(f, "[report]\ncollection = dmc\nquery = SELECT 1\n", "x.ini [report] title_th: a title is required");
}

/* ---- scope ------------------------------------------------------------ */

static void test_school_officer_sees_only_their_school(void **state)
{
    fixture *f = *state;
    char *mine[] = { "1074000002" };
    db_session school = { "school2", "test", "school", false, true, true, mine, 1 };
    db_session_set(f->db, &school);
    char *rows = run_rows(f, "students_by_grade", &ROUND);
    assert_string_equal(rows, "โรงเรียนวัดดอนไก่ดี|0|0|0|4|3|0|0|0|3|4|7\nTOTAL|รวม|0|0|0|4|3|0|0|0|3|4|7\n");
    free(rows);
    rows = run_rows(f, "students_by_grade_gender", &ROUND);
    assert_has(rows, "TOTAL|รวม|3|4|7|1\n");
    free(rows);
    rows = run_rows(f, "school_sizes", &ROUND);
    assert_string_equal(rows, "กระทุ่มแบน|1|0|0|0|1|7\nTOTAL|รวม|1|0|0|0|1|7\n");
    free(rows);
    /* Asking for another school gives nothing, not that school. */
    report_params other = { NULL, 2567, "1074000001", "th", 1 };
    rows = run_rows(f, "subsidy", &other);
    assert_string_equal(rows, "TOTAL|รวม|||0|0|0|0.00|0.00|0.00|0.00|0.00|0.00|0.00|\n");
    free(rows);
    db_session_set(f->db, NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_shipped_definitions_load),
        cmocka_unit_test(test_students_by_grade),
        cmocka_unit_test(test_school_sizes_follow_conf),
        cmocka_unit_test(test_subsidy_by_hand),
        cmocka_unit_test(test_subsidy_year_without_rates),
        cmocka_unit_test(test_round_change),
        cmocka_unit_test(test_data_quality),
        cmocka_unit_test(test_emis_bobec),
        cmocka_unit_test(test_text_aligned_with_thai),
        cmocka_unit_test(test_csv),
        cmocka_unit_test(test_html_escaped),
        cmocka_unit_test(test_bars),
        cmocka_unit_test(test_numbers_never_cut),
        cmocka_unit_test(test_chart_left_out_for_many_rows),
        cmocka_unit_test(test_format_values),
        cmocka_unit_test(test_params_checked),
        cmocka_unit_test(test_bad_definitions),
        cmocka_unit_test(test_school_officer_sees_only_their_school),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}

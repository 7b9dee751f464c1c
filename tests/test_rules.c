/*
 * test_rules: the rule files esis ships (conf/rules), the loader's errors
 * on bad files, record rules case by case, query rules on an in-memory
 * database built by the real migrations, and the batch check.
 */
#include "fixture.h"
#include "rules_fixture.h"
#include "esis/rules.h"
#include "esis/text.h"
#include <sys/stat.h>
#include <unistd.h>

typedef struct fx {
    fixture    fix;
    rules_set *rs;
    rules_env  env;
    char       dir[1024];
} fx;

static int setup(void **state)
{
    fx *f = calloc(1, sizeof *f);
    fixture_open(&f->fix);
    snprintf(f->dir, sizeof f->dir, "%s/conf/rules", fx_home());
    char err[1024] = "";
    f->rs = rules_load(f->dir, f->fix.schema, &f->fix.conf, f->fix.db, err, sizeof err);
    if (!f->rs) {
        fprintf(stderr, "rules_load: %s\n", err);
        return -1;
    }
    f->env = (rules_env){ .academic_year = 2567, .as_of = {2024, 6, 10},
                          .today = {2024, 7, 1}, .round_code = "2567-1" };
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fx *f = *state;
    rules_free(f->rs);
    fixture_close(&f->fix);
    free(f);
    return 0;
}

/* A valid student of P1 in academic year 2567 (born in 2560 BE, 2017). */
static const char *const GOOD_STUDENT =
    "round_code=2567-1;school_code=1010720001;citizen_id=1103702071811;prefix=เด็กชาย;"
    "first_name=ผู้ใหญ่;last_name=ใจดี;gender=1;birth_date=2017-01-15;nationality=TH;"
    "grade=P1;room=1;status=1";

/* GOOD_STUDENT with the changes applied ("col=value;..."). */
static esis_record *student(fx *f, const char *changes)
{
    const esis_table *t = schema_table(f->fix.schema, "students");
    esis_record *r = record_new(t);
    char buf[2048];
    snprintf(buf, sizeof buf, "%s;%s", GOOD_STUDENT, changes);
    char *save = NULL;
    for (char *kv = strtok_r(buf, ";", &save); kv; kv = strtok_r(NULL, ";", &save)) {
        char *eq = strchr(kv, '=');
        if (!eq) continue;
        *eq = '\0';
        if (record_set(r, kv, eq + 1) != 0) fail_msg("no column %s", kv);
    }
    return r;
}

static bool has_flag(const rules_flags *fl, const char *rule)
{
    for (int i = 0; i < fl->n; i++)
        if (strcmp(fl->v[i].rule_id, rule) == 0) return true;
    return false;
}

static void test_good_student_passes(void **state)
{
    fx *f = *state;
    esis_record *r = student(f, "");
    rules_flags fl = { 0 };
    assert_int_equal(rules_eval_record(f->rs, r, &f->env, &fl), 0);
    for (int i = 0; i < fl.n; i++)
        print_error("unexpected %s: %s\n", fl.v[i].rule_id, fl.v[i].message_en);
    assert_int_equal(fl.n, 0);
    rules_flags_free(&fl);
    record_free(r);
}

/* One line per case: the change to a good student, the rule, flagged? */
static const struct dmc_case { const char *change, *rule; bool flagged; } DMC_CASES[] = {
    {"citizen_id=", "dmc.id_present", true},
    {"citizen_id=  ", "dmc.id_present", true},
    {"citizen_id=1103702071811", "dmc.id_present", false},
    {"citizen_id=1103702071812", "dmc.id_check_digit", true},
    {"citizen_id=1103702071811", "dmc.id_check_digit", false},
    {"citizen_id=0000000000001", "dmc.id_check_digit", false},  /* sum 0: check digit 1 */
    {"citizen_id=0000000000000", "dmc.id_check_digit", true},
    {"citizen_id=G123456789012", "dmc.id_format", false},
    {"citizen_id=G123456789012", "dmc.id_check_digit", false},
    {"citizen_id=G12345678901", "dmc.id_format", true},
    {"citizen_id=110370207181", "dmc.id_format", true},
    {"citizen_id=1-1037-02071-81-1", "dmc.id_format", true},
    {"citizen_id=๑๑๐๓๗๐๒๐๗๑๘๑๑", "dmc.id_format", true},
    {"citizen_id=", "dmc.id_format", false},
    {"first_name=", "dmc.first_name_present", true},
    {"first_name=ผู้", "dmc.first_name_present", false},
    {"last_name=", "dmc.last_name_present", true},
    {"prefix=", "dmc.prefix_present", true},
    {"prefix=ด.ช.", "dmc.prefix_known", true},
    {"prefix=เด็กหญิง;gender=2", "dmc.prefix_known", false},
    {"prefix=เด็กหญิง", "dmc.prefix_gender", true},
    {"prefix=เด็กหญิง;gender=2", "dmc.prefix_gender", false},
    {"prefix=นาย;gender=2", "dmc.prefix_gender", true},
    {"prefix=นาง;gender=1", "dmc.prefix_gender", true},
    {"prefix=นาง;gender=2;birth_date=2005-01-01;grade=M6", "dmc.prefix_gender", false},
    {"prefix=นาย", "dmc.prefix_age", true},
    /* 15 on the as-of date: 10 June 2009 is the boundary */
    {"prefix=เด็กชาย;birth_date=2009-06-10;grade=M3", "dmc.prefix_age", true},
    {"prefix=เด็กชาย;birth_date=2009-06-11;grade=M3", "dmc.prefix_age", false},
    {"prefix=นาย;birth_date=2009-06-10;grade=M3", "dmc.prefix_age", false},
    {"prefix=นาย;birth_date=2009-06-11;grade=M3", "dmc.prefix_age", true},
    {"prefix=นางสาว;gender=2;birth_date=2008-01-01;grade=M4", "dmc.prefix_age", false},
    {"prefix=เด็กชาย;birth_date=", "dmc.prefix_age", false},
    {"gender=", "dmc.gender_present", true},
    {"gender=3", "dmc.gender_known", true},
    {"gender=ชาย", "dmc.gender_known", true},
    {"gender=2;prefix=เด็กหญิง", "dmc.gender_known", false},
    {"birth_date=", "dmc.birth_date_present", true},
    {"birth_date=2017-02-31", "dmc.birth_date_real", true},
    {"birth_date=2016-02-29", "dmc.birth_date_real", false},
    {"birth_date=2018-13-01", "dmc.birth_date_real", true},
    {"birth_date=31/02/2560", "dmc.birth_date_real", true},
    {"birth_date=2017-02-31", "dmc.age_too_early", false},
    {"birth_date=2017-02-31", "dmc.age_early", false},
    {"birth_date=2024-06-11", "dmc.birth_date_future", true},
    {"birth_date=2024-06-10;grade=K1", "dmc.birth_date_future", false},
    /* P1 in 2567: born in 2560 BE (2017), whatever the day */
    {"birth_date=2017-01-01", "dmc.age_early", false},
    {"birth_date=2017-12-31", "dmc.age_early", false},
    {"birth_date=2017-12-31", "dmc.age_late", false},
    {"birth_date=2018-01-01", "dmc.age_early", true},          /* one year early */
    {"birth_date=2018-01-01", "dmc.age_too_early", false},
    {"birth_date=2018-12-31", "dmc.age_too_early", false},
    {"birth_date=2019-01-01", "dmc.age_too_early", true},      /* two years */
    {"birth_date=2019-01-01", "dmc.age_early", false},
    {"birth_date=2016-12-31", "dmc.age_late", true},           /* one year late */
    {"birth_date=2016-12-31", "dmc.age_far_late", false},
    {"birth_date=2016-01-01", "dmc.age_late", true},
    {"birth_date=2015-12-31", "dmc.age_far_late", true},       /* two years */
    {"birth_date=2015-12-31", "dmc.age_late", false},
    {"birth_date=2015-12-31", "dmc.age_too_early", false},
    /* K1 in 2567: 3 full years at 16 May 2567 (2024): born 17/05/2563-16/05/2564 */
    {"grade=K1;birth_date=2021-05-16", "dmc.age_early", false},
    {"grade=K1;birth_date=2021-05-17", "dmc.age_early", true},
    {"grade=K1;birth_date=2020-05-17", "dmc.age_late", false},
    {"grade=K1;birth_date=2020-05-16", "dmc.age_late", true},
    /* pre-kindergarten: 2 full years at 16 May */
    {"grade=K0;birth_date=2022-05-16", "dmc.age_early", false},
    {"grade=K0;birth_date=2022-05-17", "dmc.age_early", true},
    {"grade=K0;birth_date=2021-05-16", "dmc.age_late", true},
    {"grade=M1;birth_date=2018-01-15", "dmc.age_too_early", true},
    {"grade=X1", "dmc.age_too_early", false},
    {"grade=X1", "dmc.age_far_late", false},
    {"grade=X1", "dmc.grade_known", true},
    {"grade=ป.1", "dmc.grade_known", true},
    {"grade=", "dmc.grade_present", true},
    {"room=0", "dmc.room_number", true},
    {"room=-1", "dmc.room_number", true},
    {"room=1.5", "dmc.room_number", true},
    {"room=๒", "dmc.room_number", true},
    {"room=12", "dmc.room_number", false},
    {"room=", "dmc.room_present", true},
    {"nationality=", "dmc.nationality_present", true},
    {"nationality=ไทย", "dmc.nationality_known", true},
    {"nationality=MM", "dmc.nationality_known", false},
    {"religion=XX", "dmc.religion_known", true},
    {"disability=10", "dmc.disability_known", true},
    {"disability=8", "dmc.disability_known", false},
    {"status=5", "dmc.status_known", true},
    {"status=2", "dmc.moved_out_date", true},
    {"status=2;status_date=2024-05-20", "dmc.moved_out_date", false},
    {"enrol_date=2017-01-01", "dmc.enrol_after_birth", true},
    {"enrol_date=2024-05-16", "dmc.enrol_after_birth", false},
    {"weight_kg=250", "dmc.weight_plausible", true},
    {"weight_kg=21.5", "dmc.weight_plausible", false},
    {"height_cm=12", "dmc.height_plausible", true},
};

static void test_dmc_cases(void **state)
{
    fx *f = *state;
    int bad = 0;
    for (size_t i = 0; i < sizeof DMC_CASES / sizeof DMC_CASES[0]; i++) {
        esis_record *r = student(f, DMC_CASES[i].change);
        rules_flags fl = { 0 };
        assert_true(rules_eval_record(f->rs, r, &f->env, &fl) >= 0);
        if (has_flag(&fl, DMC_CASES[i].rule) != DMC_CASES[i].flagged) {
            print_error("case %zu [%s] %s: want %s\n", i, DMC_CASES[i].change,
                        DMC_CASES[i].rule, DMC_CASES[i].flagged ? "a flag" : "no flag");
            bad++;
        }
        rules_flags_free(&fl);
        record_free(r);
    }
    assert_int_equal(bad, 0);
}


/* Cases for the other collections: a whole record as "col=value;..." of a
 * table, the rule, flagged or not. */
static const struct other_case { const char *table, *record, *rule; bool flagged; } OTHER_CASES[] = {
    {"ict_devices", "school_code=1010720001;academic_year=2567;device_type=PC;owned=10;in_use=12", "emis.ict_in_use_within_owned", true},
    {"ict_devices", "school_code=1010720001;academic_year=2567;device_type=PC;owned=10;in_use=10", "emis.ict_in_use_within_owned", false},
    {"ict_devices", "school_code=1010720001;academic_year=2567;device_type=PC;owned=-1;in_use=0", "emis.ict_counts", true},
    {"ict_devices", "school_code=1010720001;academic_year=2567;device_type=XX;owned=1;in_use=0", "emis.ict_type_known", true},
    {"classes", "school_code=1010720001;academic_year=2567;grade=P7;rooms=2", "emis.classes_grade_known", true},
    {"classes", "school_code=1010720001;academic_year=2567;grade=P6;rooms=2", "emis.classes_grade_known", false},
    {"classes", "school_code=1010720001;academic_year=2567;grade=P6;rooms=-2", "emis.classes_rooms", true},
    {"equipment", "school_code=1010720001;asset_code=A1;name=โต๊ะ;acquired_year=2570", "emis.equipment_year_future", true},
    {"equipment", "school_code=1010720001;asset_code=A1;name=โต๊ะ;acquired_year=2560", "emis.equipment_year_future", false},
    {"equipment", "school_code=1010720001;asset_code=A1;name=โต๊ะ;acquired_year=2017", "emis.equipment_year_future", true},
    {"equipment", "school_code=1010720001;asset_code=A1;name=โต๊ะ;value=-5", "emis.equipment_value", true},
    {"internet", "school_code=1010720001;academic_year=2567;connection_type=FIBER;speed_mbps=0", "emis.internet_speed", true},
    {"internet", "school_code=1010720001;academic_year=2567;connection_type=NONE;speed_mbps=0", "emis.internet_speed", false},
    {"service_areas", "school_code=1010720001;academic_year=2567;village_no=3;village=บ้านหนองบัว;children_6_11=10;enrolled_here=8;enrolled_elsewhere=3;not_enrolled=0", "emis.efa_enrolment_within_children", true},
    {"service_areas", "school_code=1010720001;academic_year=2567;village_no=3;village=บ้านหนองบัว;children_6_11=10;enrolled_here=8;enrolled_elsewhere=1;not_enrolled=1", "emis.efa_out_of_school", true},
    {"service_areas", "school_code=1010720001;academic_year=2567;village_no=3;village=บ้านหนองบัว;children_6_11=10;enrolled_here=8;enrolled_elsewhere=2;not_enrolled=0", "emis.efa_out_of_school", false},
    {"buildings", "school_code=1010720001;building_no=1;building_type=CLS;year_built=2570", "buildings.year_future", true},
    {"buildings", "school_code=1010720001;building_no=1;building_type=CLS;year_built=2567", "buildings.year_future", false},
    {"buildings", "school_code=1010720001;building_no=1;building_type=CLS;floors=0", "buildings.floors", true},
    {"buildings", "school_code=1010720001;building_no=1;building_type=OTH;floors=0", "buildings.floors", false},
    {"buildings", "school_code=1010720001;building_no=1;building_type=CLS;rooms=4;classrooms=6", "buildings.classrooms_within_rooms", true},
    {"staff", "school_code=1010720001;citizen_id=1103702071811;first_name=สมศรี;last_name=ใจดี;status=active", "staff.position_present", true},
    {"staff", "school_code=1010720001;citizen_id=1103702071812;first_name=สมศรี;last_name=ใจดี;position=TEA", "staff.id_valid", true},
    {"schools", "school_code=10107200;name_th=โรงเรียนบ้านสุ่ม;amphoe=เมือง", "schools.code_format", true},
    {"schools", "school_code=1010720001;name_th=โรงเรียนบ้านสุ่ม;amphoe=เมือง", "schools.code_format", false},
};

static void test_other_cases(void **state)
{
    fx *f = *state;
    int bad = 0;
    for (size_t i = 0; i < sizeof OTHER_CASES / sizeof OTHER_CASES[0]; i++) {
        const struct other_case *c = &OTHER_CASES[i];
        esis_record *r = record_new(schema_table(f->fix.schema, c->table));
        char buf[1024];
        snprintf(buf, sizeof buf, "%s", c->record);
        char *save = NULL;
        for (char *kv = strtok_r(buf, ";", &save); kv; kv = strtok_r(NULL, ";", &save)) {
            char *eq = strchr(kv, '=');
            *eq = '\0';
            if (record_set(r, kv, eq + 1) != 0) fail_msg("no column %s.%s", c->table, kv);
        }
        rules_flags fl = { 0 };
        assert_true(rules_eval_record(f->rs, r, &f->env, &fl) >= 0);
        if (has_flag(&fl, c->rule) != c->flagged) {
            print_error("case %zu %s [%s] %s: want %s\n", i, c->table, c->record, c->rule,
                        c->flagged ? "a flag" : "no flag");
            bad++;
        }
        rules_flags_free(&fl);
        record_free(r);
    }
    assert_int_equal(bad, 0);
}

static void test_messages(void **state)
{
    fx *f = *state;
    esis_record *r = student(f, "citizen_id=1103702071812;birth_date=2015-06-10");
    rules_flags fl = { 0 };
    int errors = rules_eval_record(f->rs, r, &f->env, &fl);
    assert_int_equal(errors, 1);
    assert_int_equal(fl.errors, 1);
    assert_int_equal(fl.warnings, 1);
    const rules_flag *id = NULL, *age = NULL;
    for (int i = 0; i < fl.n; i++) {
        if (!strcmp(fl.v[i].rule_id, "dmc.id_check_digit")) id = &fl.v[i];
        if (!strcmp(fl.v[i].rule_id, "dmc.age_far_late")) age = &fl.v[i];
    }
    assert_non_null(id);
    assert_non_null(age);
    assert_string_equal(id->field, "citizen_id");
    assert_int_equal(id->severity, RULES_ERROR);
    assert_string_equal(id->message_th,
        "เลขประจำตัวประชาชน 1103702071812 ผิด: เลขตรวจสอบ (หลักที่ 13) ไม่ตรง");
    assert_string_equal(age->message_en, "Born 10/06/2558: 2 years older than P1, far past its age"
                        " (in academic year 2567, P1 is for children born 01/01/2560 to 31/12/2560):"
                        " check the birth date or the grade, and follow the child up");
    /* the grade as a Thai user writes it: {grade:grade} */
    assert_non_null(strstr(age->message_en, " P1 "));
    assert_non_null(strstr(age->message_th, "ชั้น ป.1 มากถึง 2 ปี"));
    assert_null(strstr(age->message_th, "P1"));
    rules_flags_clear(&fl);
    assert_int_equal(fl.n, 0);

    /* a coded value as people read it: the gender, not its code */
    record_set(r, "prefix", "นาย");
    record_set(r, "gender", "2");
    rules_eval_record(f->rs, r, &f->env, &fl);
    const rules_flag *pg = NULL;
    for (int i = 0; i < fl.n; i++)
        if (!strcmp(fl.v[i].rule_id, "dmc.prefix_gender")) pg = &fl.v[i];
    assert_non_null(pg);
    assert_string_equal(pg->message_th, "คำนำหน้าชื่อ นาย ไม่ตรงกับเพศ (หญิง)");
    assert_string_equal(pg->message_en, "Prefix นาย does not fit the gender (female)");
    rules_flags_clear(&fl);
    record_set(r, "prefix", "เด็กชาย");
    record_set(r, "gender", "1");

    /* dates in messages are shown in the Buddhist Era */
    record_set(r, "birth_date", "2024-06-11");
    record_set(r, "grade", "K1");
    rules_eval_record(f->rs, r, &f->env, &fl);
    bool seen = false;
    for (int i = 0; i < fl.n; i++)
        if (!strcmp(fl.v[i].rule_id, "dmc.birth_date_future")) {
            assert_string_equal(fl.v[i].message_th,
                                "วันเกิด 11/06/2567 อยู่หลังวันที่นับข้อมูล (10/06/2567)");
            seen = true;
        }
    assert_true(seen);
    rules_flags_free(&fl);
    record_free(r);
}

static void test_eval_field(void **state)
{
    fx *f = *state;
    esis_record *r = student(f, "citizen_id=1103702071812;first_name=");
    rules_flags fl = { 0 };
    assert_int_equal(rules_eval_field(f->rs, r, "first_name", &f->env, &fl), 1);
    assert_int_equal(fl.n, 1);
    assert_string_equal(fl.v[0].rule_id, "dmc.first_name_present");
    rules_flags_free(&fl);
    record_free(r);
}

/* Rules loaded from one file a.ini of ini in a new directory dir (at least
 * 64 bytes), with path set to the file; fails the test when they do not
 * load. */
static rules_set *load_one(fx *f, const char *ini, char *dir, char *path, size_t pathsz)
{
    assert_int_equal(fx_tmpdir(dir, 64, "rules"), 0);
    snprintf(path, pathsz, "%s/a.ini", dir);
    FILE *fp = fopen(path, "w");
    assert_non_null(fp);
    fputs(ini, fp);
    fclose(fp);
    char err[512] = "";
    rules_set *rs = rules_load(dir, f->fix.schema, &f->fix.conf, NULL, err, sizeof err);
    if (!rs) fail_msg("%s", err);
    return rs;
}

static void test_from_year_and_enabled(void **state)
{
    fx *f = *state;
    char dir[64], path[256];
    rules_set *rs = load_one(f, "[t.later]\ntable = students\nseverity = warning\nfields = room\n"
          "check = room > 5\nfrom_year = 2568\nmessage_th = x\nmessage_en = x\n"
          "[t.off]\ntable = students\nseverity = error\nfields = room\n"
          "check = room > 5\nenabled = no\nmessage_th = y\nmessage_en = y\n"
          "[t.on]\ntable = students\nseverity = error\nfields = room\n"
          "check = room > 5\nmessage_th = ห้อง {value} ({field})\nmessage_en = z\n", dir, path, sizeof path);
    esis_record *r = student(f, "room=2");
    rules_flags fl = { 0 };
    assert_int_equal(rules_eval_record(rs, r, &f->env, &fl), 1);
    assert_int_equal(fl.n, 1);
    assert_string_equal(fl.v[0].rule_id, "t.on");
    assert_string_equal(fl.v[0].message_th, "ห้อง 2 (room)");
    rules_flags_clear(&fl);
    rules_env later = f->env;
    later.academic_year = 2568;
    rules_eval_record(rs, r, &later, &fl);
    assert_int_equal(fl.n, 2);
    rules_flags_free(&fl);
    record_free(r);
    rules_free(rs);
    unlink(path);
    rmdir(dir);
}

/* like = RULE: the table, fields, when and lets of an earlier rule, where
 * the rule does not set its own */
static void test_like(void **state)
{
    fx *f = *state;
    char dir[64], path[256];
    rules_set *rs = load_one(f, "[t.base]\ntable = students\nseverity = error\nfields = room grade\n"
          "let_twice = number(room) * 2\nlet_more = twice + 1\nwhen = grade = 'P1'\n"
          "check = twice < 10\nmessage_th = a {more}\nmessage_en = a\n"
          "[t.like]\nlike = t.base\nseverity = warning\nlet_twice = number(room) * 3\n"
          "check = twice < 10\nmessage_th = {field} {more} {grade:grade}\nmessage_en = {grade:grade}\n",
          dir, path, sizeof path);
    /* room 4: 8 passes the base, 12 (its own let) fails the like */
    esis_record *r = student(f, "room=4");
    rules_flags fl = { 0 };
    assert_int_equal(rules_eval_record(rs, r, &f->env, &fl), 0);
    assert_int_equal(fl.n, 1);
    assert_string_equal(fl.v[0].rule_id, "t.like");
    assert_int_equal(fl.v[0].severity, RULES_WARNING);
    assert_string_equal(fl.v[0].field, "room");                 /* the base's fields */
    assert_string_equal(fl.v[0].message_th, "room 13 ป.1");     /* its let, then the base's */
    assert_string_equal(fl.v[0].message_en, "P1");
    rules_flags_clear(&fl);
    record_set(r, "grade", "P2");                                /* the base's when */
    assert_int_equal(rules_eval_record(rs, r, &f->env, &fl), 0);
    assert_int_equal(fl.n, 0);
    rules_flags_free(&fl);
    record_free(r);
    rules_free(rs);
    unlink(path);
    rmdir(dir);
}

/* ---- bad rule files ------------------------------------------------------------ */

static const struct bad_case { const char *ini, *want; } BAD_CASES[] = {
    {"[r]\nlike = dmc.id_present\nseverity = error\ncheck = 1\nmessage_th = x\nmessage_en = x\n",
     "bad.ini: [r] like: must name a record rule above it in the same file"},
    {"[q]\ntable = students\nseverity = error\nquery = SELECT 1 AS row_id, 2 AS school_code, 3 AS key, 4 AS value\n"
     "message_th = x\nmessage_en = x\n[r]\nlike = q\nseverity = error\ncheck = 1\nmessage_th = x\nmessage_en = x\n",
     "bad.ini: [r] like: must name a record rule above it in the same file"},
    {"[r]\ntable = students\nseverity = error\ncheck = 1\nmessage_th = ชั้น {grade:grades}\nmessage_en = x\n",
     "bad.ini: [r] message_th: unknown code list 'grades' in {grade:grades}"},
    {"[r]\ntable = students\nseverity = error\ncheck = 1\nmessage_th = x\nmessage_en = {grde:grade}\n",
     "bad.ini: [r] message_en: unknown placeholder {grde}"},
    {"[dmc.id_valid]\ntable = students\nseverity = error\nfields = citizen_id\n"
     "check = thai_id_ok(citizen_id) or g_code_ok(citizn_id)\nmessage_th = x\nmessage_en = x\n",
     "bad.ini: [dmc.id_valid] check: column 37: unknown field 'citizn_id'"},
    {"[r]\ntable = student\nseverity = error\ncheck = 1\nmessage_th = x\nmessage_en = x\n",
     "bad.ini: [r] table: unknown table 'student'"},
    {"[r]\ntable = students\nseverity = fatal\ncheck = 1\nmessage_th = x\nmessage_en = x\n",
     "bad.ini: [r] severity: 'fatal' is neither error nor warning"},
    {"[r]\ntable = students\nseverity = error\ncheck = gender = 'ชาย\nmessage_th = x\nmessage_en = x\n",
     "bad.ini: [r] check: column 10: unterminated string"},
    {"[r]\ntable = students\nseverity = error\ncheck = is_thai(gender)\nmessage_th = x\nmessage_en = x\n",
     "bad.ini: [r] check: column 1: unknown function 'is_thai'"},
    {"[r]\ntable = students\nseverity = error\ncheck = in_list(gender, 'sex')\nmessage_th = x\nmessage_en = x\n",
     "bad.ini: [r] check: column 17: unknown code list 'sex'"},
    {"[r]\ntable = students\nseverity = error\ncheck = 1\nmessage_en = x\n",
     "bad.ini: [r] message_th: missing"},
    {"[r]\ntable = students\nseverity = error\ncheck = 1\nmessage_th = x\n",
     "bad.ini: [r] message_en: missing"},
    {"[r]\ntable = students\nseverity = error\nmessage_th = x\nmessage_en = x\n",
     "bad.ini: [r] needs a check (record rule) or a query (SQL)"},
    {"[r]\ntable = students\nseverity = error\ncheck = 1\nquery = SELECT 1\nmessage_th = x\nmessage_en = x\n",
     "bad.ini: [r] has both check and query"},
    {"[r]\ntable = students\nseverity = error\nfields = citizen grade\ncheck = 1\nmessage_th = x\nmessage_en = x\n",
     "bad.ini: [r] fields: unknown field 'citizen' in table students"},
    {"[r]\ntable = students\nseverity = error\ncheck = 1\nmesage_th = x\nmessage_th = x\nmessage_en = x\n",
     "bad.ini: [r] mesage_th: unknown key"},
    {"[r]\ntable = students\nseverity = error\ncheck = 1\nmessage_th = ค่า {valeu}\nmessage_en = x\n",
     "bad.ini: [r] message_th: unknown placeholder {valeu}"},
    {"[r]\ntable = students\nseverity = error\ncheck = 1\nmessage_th = ค่า {value\nmessage_en = x\n",
     "bad.ini: [r] message_th: '{' without '}'"},
    {"[r]\ntable = students\nseverity = error\ncheck = 1\nfrom_year = 2024x\nmessage_th = x\nmessage_en = x\n",
     "bad.ini: [r] from_year: must be an academic year"},
    {"[r]\ntable = students\nseverity = error\ncheck = 1\nenabled = maybe\nmessage_th = x\nmessage_en = x\n",
     "bad.ini: [r] enabled: must be yes or no"},
    {"[r]\ntable = students\nseverity = error\nlet_age = age_at(birth_dat, today)\ncheck = age > 1\nmessage_th = x\nmessage_en = x\n",
     "bad.ini: [r] let_age: column 8: unknown field 'birth_dat'"},
    {"[r]\ntable = students\nthis line is wrong\n",
     "bad.ini: line 3: no '='"},
    {"[r]\ntable = students\nseverity = error\nquery = SELECT id AS row_id FROM students\n"
     "message_th = x\nmessage_en = x\n",
     "bad.ini: [r] query: must return 4 columns"},
    {"[r]\ntable = students\nseverity = error\nquery = SELECT id AS row_id, school_code, citizen_id AS key, grade AS value FROM studnts\n"
     "message_th = x\nmessage_en = x\n",
     "bad.ini: [r] query: no such table: studnts"},
    {"[r]\ntable = students\nseverity = error\nquery = SELECT id AS row_id, school_code, citizen_id AS key, grade AS value FROM students WHERE round_code = :rnd\n"
     "message_th = x\nmessage_en = x\n",
     "bad.ini: [r] query: unknown parameter :rnd"},
    {"[r]\ntable = students\nseverity = error\nquery = SELECT id AS row_id, school_code, citizen_id AS key, grade AS value FROM students\n"
     "message_th = {first_name}\nmessage_en = x\n",
     "bad.ini: [r] message_th: unknown placeholder {first_name} (a query rule knows"},
};

static void test_bad_files(void **state)
{
    fx *f = *state;
    char dir[64];
    assert_int_equal(fx_tmpdir(dir, sizeof dir, "rules"), 0);
    char path[256];
    snprintf(path, sizeof path, "%s/bad.ini", dir);
    for (size_t i = 0; i < sizeof BAD_CASES / sizeof BAD_CASES[0]; i++) {
        FILE *fp = fopen(path, "w");
        fputs(BAD_CASES[i].ini, fp);
        fclose(fp);
        char err[512] = "";
        rules_set *rs = rules_load(dir, f->fix.schema, &f->fix.conf, f->fix.db, err, sizeof err);
        if (rs) {
            rules_free(rs);
            fail_msg("case %zu loaded", i);
        }
        const char *got = strstr(err, "bad.ini");
        if (!got || strncmp(got, BAD_CASES[i].want, strlen(BAD_CASES[i].want)) != 0)
            fail_msg("case %zu: got '%s', want '%s'", i, err, BAD_CASES[i].want);
    }
    /* a line over iniparser's limit is named, not a silent failure */
    FILE *fp = fopen(path, "w");
    fputs("[r]\ntable = students\nmessage_th = ", fp);
    for (int i = 0; i < 400; i++) fputs("ก", fp);
    fputs("\n", fp);
    fclose(fp);
    char err[512] = "";
    assert_null(rules_load(dir, f->fix.schema, &f->fix.conf, NULL, err, sizeof err));
    assert_non_null(strstr(err, "bad.ini: line 3: longer than 1023 bytes"));
    /* the same rule twice across files */
    fp = fopen(path, "w");
    fputs("[dmc.id_present]\ntable = students\nseverity = error\ncheck = 1\nmessage_th = x\nmessage_en = x\n", fp);
    fclose(fp);
    char path2[256];
    snprintf(path2, sizeof path2, "%s/dmc.ini", dir);
    fp = fopen(path2, "w");
    fputs("[dmc.id_present]\ntable = students\nseverity = error\ncheck = 1\nmessage_th = x\nmessage_en = x\n", fp);
    fclose(fp);
    assert_null(rules_load(dir, f->fix.schema, &f->fix.conf, NULL, err, sizeof err));
    assert_non_null(strstr(err, "dmc.ini: [dmc.id_present] is defined twice (also in"));
    unlink(path2);
    unlink(path);
    rmdir(dir);
    assert_null(rules_load("/nonexistent/rules", f->fix.schema, &f->fix.conf, NULL, err, sizeof err));
    assert_non_null(strstr(err, "/nonexistent/rules"));
}

#include "test_rules_batch.inc"

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_good_student_passes, setup, teardown),
        cmocka_unit_test_setup_teardown(test_dmc_cases, setup, teardown),
        cmocka_unit_test_setup_teardown(test_other_cases, setup, teardown),
        cmocka_unit_test_setup_teardown(test_messages, setup, teardown),
        cmocka_unit_test_setup_teardown(test_eval_field, setup, teardown),
        cmocka_unit_test_setup_teardown(test_like, setup, teardown),
        cmocka_unit_test_setup_teardown(test_from_year_and_enabled, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bad_files, setup, teardown),
        BATCH_TESTS
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

/* Tests for the import header mapping and the value normalisers: Thai and
 * English aliases, required columns, code lists with aliases, BE and ISO
 * dates, digits, numbers; every conf/import file checked against the
 * schema. */
#include "fixture.h"
#include "esis/io.h"
#include "esis/conf.h"
#include "esis/db.h"

static esis_conf *conf;

static int setup(void **state)
{
    (void)state;
    conf = fx_conf();
    return conf ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    conf_free(conf);
    return 0;
}

static io_mapping *load(const char *kind)
{
    char err[512] = "";
    io_mapping *m = io_mapping_load(".", kind, err, sizeof err);
    if (!m) fprintf(stderr, "%s\n", err);
    assert_non_null(m);
    return m;
}

static void test_load_dmc(void **state)
{
    (void)state;
    io_mapping *m = load("dmc");
    static const char *head[] = { "school_code", "citizen_id", "prefix", "first_name",
                                  "last_name", "gender", "birth_date", "grade", "room" };
    assert_string_equal(m->table, "students");
    assert_true(m->ncols > 9);
    for (int i = 0; i < 9; i++) {
        assert_string_equal(m->cols[i].name, head[i]);
        assert_true(m->cols[i].required);
    }
    assert_false(m->cols[9].required);
    assert_int_equal(m->school_col, 0);
    io_mapping_free(m);

    io_mapping *s = load("schools");
    assert_string_equal(s->cols[1].name, "name");
    assert_string_equal(s->cols[1].column, "name_th");
    io_mapping_free(s);
}

static void test_bad_kinds(void **state)
{
    (void)state;
    char err[512];
    assert_null(io_mapping_load(".", "../../etc/passwd", err, sizeof err));
    assert_non_null(strstr(err, "not an import kind"));
    assert_null(io_mapping_load(".", "nosuchkind", err, sizeof err));
    assert_non_null(strstr(err, "nosuchkind.ini"));
}

/* Every mapping names a real table and real columns. */
static void test_all_kinds_match_schema(void **state)
{
    (void)state;
    static const char *kinds[] = { "dmc", "schools", "staff", "buildings", "equipment",
                                   "ict", "service-area" };
    char err[512] = "";
    sqlite3 *db = NULL;
    assert_int_equal(db_open(":memory:", true, 1000, &db, err, sizeof err), SQLITE_OK);
    esis_schema *schema = NULL;
    assert_int_equal(db_schema_load(db, &schema, err, sizeof err), 0);
    for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++) {
        io_mapping *m = load(kinds[i]);
        if (io_mapping_check(m, schema, err, sizeof err) != 0) fail_msg("%s", err);
        for (int c = 0; c < m->ncols; c++)
            if (m->cols[c].norm == NORM_CODE && !conf_codes(conf, m->cols[c].code_list))
                fail_msg("%s: no code list %s", kinds[i], m->cols[c].code_list);
        if (!strcmp(kinds[i], "dmc")) {
            assert_true(m->cols[1].personal);      /* citizen_id */
            assert_false(m->cols[3].personal);     /* first_name */
        }
        io_mapping_free(m);
    }
    schema_free(schema);
    db_close(db);
}

static void test_header_thai_aliases(void **state)
{
    (void)state;
    io_mapping *m = load("dmc");
    char *hdr[] = { "รหัสโรงเรียน", "เลขประจำตัวประชาชน", "คำนำหน้า", "ชื่อ", "นามสกุล",
                    "เพศ", "วันเกิด", "ชั้น", "ห้อง", "สีที่ชอบ", "Shoe size", "" };
    io_header h;
    char err[256] = "";
    assert_int_equal(io_header_bind(m, hdr, 12, &h, err, sizeof err), 0);
    for (int i = 0; i < 9; i++) assert_int_equal(h.file_of[i], i);
    assert_int_equal(h.file_of[9], -1);
    assert_string_equal(h.unknown, "สีที่ชอบ, Shoe size");
    io_header_free(&h);
    io_mapping_free(m);
}

static void test_header_english_any_case(void **state)
{
    (void)state;
    io_mapping *m = load("dmc");
    char *hdr[] = { "ROOM", "Grade", "Birth Date", "gender", "Last-Name", "first name",
                    "Prefix", "CITIZEN_ID", "School Code", "nationality" };
    io_header h;
    char err[256] = "";
    assert_int_equal(io_header_bind(m, hdr, 10, &h, err, sizeof err), 0);
    assert_int_equal(h.file_of[0], 8);
    assert_int_equal(h.file_of[8], 0);
    assert_null(h.unknown);
    io_header_free(&h);
    io_mapping_free(m);
}

static void test_header_missing_and_twice(void **state)
{
    (void)state;
    io_mapping *m = load("dmc");
    char *hdr[] = { "school_code", "citizen_id", "prefix", "first_name", "last_name",
                    "gender", "grade", "room" };
    io_header h;
    char err[256] = "";
    assert_int_equal(io_header_bind(m, hdr, 8, &h, err, sizeof err), -1);
    assert_string_equal(err, "birth_date");
    char *twice[] = { "school_code", "รหัสโรงเรียน" };
    assert_int_equal(io_header_bind(m, twice, 2, &h, err, sizeof err), -1);
    assert_non_null(strstr(err, "twice"));
    io_mapping_free(m);
}

static const io_column *col(const io_mapping *m, const char *name)
{
    for (int i = 0; i < m->ncols; i++)
        if (!strcmp(m->cols[i].name, name)) return &m->cols[i];
    fail_msg("no column %s", name);
    return NULL;
}

static void expect(const io_column *c, const char *in, const char *want)
{
    char out[128];
    const char *why = NULL;
    int rc = io_normalise(c, conf, in, out, sizeof out, &why);
    if (!want) {
        assert_int_equal(rc, -1);
        assert_non_null(why);
        return;
    }
    if (rc != 0) fail_msg("%s '%s': %s", c->name, in, why);
    assert_string_equal(out, want);
}

static void test_normalise_codes(void **state)
{
    (void)state;
    io_mapping *m = load("dmc");
    const io_column *g = col(m, "gender"), *gr = col(m, "grade"), *p = col(m, "prefix");
    expect(g, "1", "1");
    expect(g, "2", "2");
    expect(g, "ชาย", "1");
    expect(g, "หญิง", "2");
    expect(g, "M", "1");
    expect(g, "f", "2");
    expect(g, "3", NULL);
    expect(gr, "อ.1", "K1");
    expect(gr, "ป.3", "P3");
    expect(gr, "ม.2", "M2");
    expect(gr, "K1", "K1");
    expect(gr, "P3", "P3");
    expect(gr, "m2", "M2");
    expect(gr, " ป.๓ ", "P3");
    expect(gr, "ป.9", NULL);
    expect(gr, "", "");
    expect(p, "ด.ช.", "เด็กชาย");
    expect(p, "นาย", "นาย");
    io_mapping_free(m);
}

static void test_normalise_values(void **state)
{
    (void)state;
    io_mapping *m = load("dmc");
    const io_column *d = col(m, "birth_date"), *id = col(m, "citizen_id"),
                    *room = col(m, "room"), *w = col(m, "weight_kg"), *fn = col(m, "first_name");
    expect(d, "15/03/2560", "2017-03-15");
    expect(d, "5/3/2560", "2017-03-05");
    expect(d, "2017-03-15", "2017-03-15");
    expect(d, "๑๕/๐๓/๒๕๖๐", "2017-03-15");
    expect(d, "31/02/2560", NULL);
    expect(d, "15/03/2017", NULL);        /* a CE year in the Thai form */
    expect(d, "yesterday", NULL);
    expect(id, "1-1037-02071-81-1", "1103702071811");
    expect(id, " 1 1037 02071 81 1 ", "1103702071811");
    expect(id, "g123456789012", "G123456789012");
    expect(room, "2", "2");
    expect(room, "1,200", "1200");
    expect(room, "3.0", "3");
    expect(room, "+12", "12");            /* written the one way %lld writes it */
    expect(room, "007", "7");
    expect(room, "-0", "0");
    expect(room, "-012", "-12");
    expect(room, "0", "0");
    expect(room, "-5", "-5");
    expect(room, "๑๒", "12");             /* Thai digits */
    expect(room, "-", NULL);
    expect(room, "two", NULL);
    expect(room, "2.5", NULL);
    expect(w, "45.50", "45.5");
    expect(w, "45", "45");
    expect(w, "045.5", "45.5");           /* as %.15g writes it, or left alone when it is */
    expect(w, "45.", "45");
    expect(w, ".5", "0.5");
    expect(w, "0.5", "0.5");
    expect(w, "-0.25", "-0.25");
    expect(w, "0.0001", "0.0001");
    expect(w, "0.00001", "1e-05");
    expect(w, "1e3", "1000");
    expect(w, "123456789012345", "123456789012345");
    expect(w, "1234567890123456", "1.23456789012346e+15");
    expect(w, "0.1234567890123456", "0.123456789012346");
    expect(w, "heavy", NULL);
    expect(fn, "  สมชาย ", "สมชาย");
    /* text as written: Thai digits, inner spaces, punctuation kept */
    expect(fn, "๑ก", "๑ก");
    expect(fn, " ด.ช. ๒  สมชาย, (ที่ ๓) ", "ด.ช. ๒  สมชาย, (ที่ ๓)");
    expect(fn, "'); DROP TABLE students;--", "'); DROP TABLE students;--");
    char small[4];
    const char *why;
    assert_int_equal(io_normalise(fn, conf, "สมชาย", small, sizeof small, &why), -1);
    assert_string_equal(why, "io.value_too_long");
    io_mapping_free(m);
}

/* Every column of every kind: a text column keeps Thai digits; every
 * other kind reads them as digits (the same declaration the form uses,
 * io_table_norms). */
static void test_normalise_every_column(void **state)
{
    (void)state;
    static const char *const kinds[] = { "dmc", "schools", "staff", "buildings", "equipment", "ict",
                                         "service-area" };
    for (size_t k = 0; k < sizeof kinds / sizeof kinds[0]; k++) {
        io_mapping *m = load(kinds[k]);
        for (int c = 0; c < m->ncols; c++) {
            const io_column *x = &m->cols[c];
            char out[128];
            const char *why;
            if (x->norm == NORM_TEXT) {
                assert_int_equal(io_normalise(x, conf, "๑๒ ก", out, sizeof out, &why), 0);
                assert_string_equal(out, "๑๒ ก");
            } else if (x->norm == NORM_INT || x->norm == NORM_DIGITS || x->norm == NORM_UPPER) {
                assert_int_equal(io_normalise(x, conf, "๑๒", out, sizeof out, &why), 0);
                assert_string_equal(out, "12");
            } else if (x->norm == NORM_REAL) {
                assert_int_equal(io_normalise(x, conf, "๑๒.๕", out, sizeof out, &why), 0);
                assert_string_equal(out, "12.5");
            } else if (x->norm == NORM_DATE) {
                assert_int_equal(io_normalise(x, conf, "๑๕/๐๓/๒๕๖๐", out, sizeof out, &why), 0);
                assert_string_equal(out, "2017-03-15");
            } else {
                assert_int_equal(x->norm, NORM_CODE);
                assert_non_null(conf_codes(conf, x->code_list));
            }
        }
        io_mapping_free(m);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_load_dmc),
        cmocka_unit_test(test_bad_kinds),
        cmocka_unit_test(test_all_kinds_match_schema),
        cmocka_unit_test(test_header_thai_aliases),
        cmocka_unit_test(test_header_english_any_case),
        cmocka_unit_test(test_header_missing_and_twice),
        cmocka_unit_test(test_normalise_codes),
        cmocka_unit_test(test_normalise_values),
        cmocka_unit_test(test_normalise_every_column),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}

/* test_survey: the five-level satisfaction survey against hand-computed
 * values (mean, sample S.D. with n-1, the level read from the mean and its
 * boundaries), answers typed fast with bad lines refused by line number and
 * the others kept, the questionnaire's bad keys, and the summary in text and
 * HTML. */
#include "unit_fixture.h"
#include "esis/survey.h"

#include <math.h>

static survey_def *load_def(fixture *f)
{
    survey_def *d = NULL;
    char err[1024] = "";
    if (survey_def_load(&f->app, "satisfaction", &d, err, sizeof err)) fail_msg("%s", err);
    return d;
}

static void test_stats_by_hand(void **state)
{
    fixture *f = *state;
    survey_def *d = load_def(f);
    assert_int_equal(d->nitems, 5);
    /* Items down the columns: 5,4,4,3,5  5,5,5,5,4  3,3,2,3,3  1,2,2,1,2  1,1,2,1,1 */
    const char *rows[] = { "55311", "45321", "45222", "35311", "54321" };
    survey_stats st;
    assert_int_equal(survey_stats_from(d, rows, 5, &st), 0);
    assert_int_equal(st.respondents, 5);
    /* 5,4,4,3,5: mean 21/5 = 4.20; sum of squares 91; (91 - 21^2/5)/4 = 0.7; sqrt = 0.837 */
    assert_int_equal(st.items[0].n, 5);
    assert_true(fabs(st.items[0].mean - 4.20) < 1e-9);
    assert_true(fabs(st.items[0].sd - 0.83666) < 1e-4);
    assert_int_equal(st.items[0].level, 4);                 /* high, มาก */
    assert_string_equal(survey_level_label(d, st.items[0].level, "th"), "มาก");
    /* 5,5,5,5,4: 4.80, S.D. sqrt(0.2) = 0.447: highest */
    assert_true(fabs(st.items[1].mean - 4.80) < 1e-9);
    assert_true(fabs(st.items[1].sd - 0.44721) < 1e-4);
    assert_int_equal(st.items[1].level, 5);
    /* 3,3,2,3,3: 2.80 medium; 1,2,2,1,2: 1.60 (S.D. sqrt(0.3) = 0.548) low; 1,1,2,1,1: 1.20 lowest */
    assert_true(fabs(st.items[2].mean - 2.80) < 1e-9);
    assert_int_equal(st.items[2].level, 3);
    assert_true(fabs(st.items[3].mean - 1.60) < 1e-9);
    assert_true(fabs(st.items[3].sd - 0.54772) < 1e-4);
    assert_int_equal(st.items[3].level, 2);
    assert_true(fabs(st.items[4].mean - 1.20) < 1e-9);
    assert_int_equal(st.items[4].level, 1);
    assert_string_equal(survey_level_label(d, 1, "en"), "lowest");
    /* Overall: 73 / 25 = 2.92 (medium); (269 - 73^2/25) / 24 = 2.3267, S.D. 1.5253 */
    assert_int_equal(st.overall.n, 25);
    assert_true(fabs(st.overall.mean - 2.92) < 1e-9);
    assert_true(fabs(st.overall.sd - 1.52534) < 1e-4);
    assert_int_equal(st.overall.level, 3);
    survey_stats_free(&st);
    /* One respondent: S.D. 0, not a division by zero. */
    assert_int_equal(survey_stats_from(d, rows, 1, &st), 0);
    assert_true(st.items[0].sd == 0.0);
    survey_stats_free(&st);
    survey_def_free(d);
}

static void test_level_boundaries(void **state)
{
    fixture *f = *state;
    survey_def *d = load_def(f);
    assert_int_equal(survey_level_of(d, 5.00), 5);
    assert_int_equal(survey_level_of(d, 4.51), 5);
    assert_int_equal(survey_level_of(d, 4.505), 5);   /* printed 4.51 */
    assert_int_equal(survey_level_of(d, 4.50), 4);
    assert_int_equal(survey_level_of(d, 3.51), 4);
    assert_int_equal(survey_level_of(d, 3.50), 3);
    assert_int_equal(survey_level_of(d, 2.51), 3);
    assert_int_equal(survey_level_of(d, 2.50), 2);
    assert_int_equal(survey_level_of(d, 1.51), 2);
    assert_int_equal(survey_level_of(d, 1.50), 1);
    assert_int_equal(survey_level_of(d, 1.00), 1);
    survey_def_free(d);
}

static void test_parse_line(void **state)
{
    (void)state;
    char out[8];
    const char *why = NULL;
    int col = -1;
    assert_int_equal(survey_parse_line("54455\n", 5, out, &why, &col), 0);
    assert_string_equal(out, "54455");
    assert_int_equal(survey_parse_line(" 5 4 4 5 5\r\n", 5, out, &why, &col), 0);
    assert_string_equal(out, "54455");
    assert_int_equal(survey_parse_line("\n", 5, out, &why, &col), 1);
    assert_int_equal(survey_parse_line("# group 2\n", 5, out, &why, &col), 1);
    assert_int_equal(survey_parse_line("5445\n", 5, out, &why, &col), -1);
    assert_string_equal(why, "survey.too_few");
    assert_int_equal(col, 4);
    assert_int_equal(survey_parse_line("544555\n", 5, out, &why, &col), -1);
    assert_string_equal(why, "survey.too_many");
    assert_int_equal(survey_parse_line("54065\n", 5, out, &why, &col), -1);
    assert_string_equal(why, "survey.bad_digit");
    assert_int_equal(col, 3);
    assert_int_equal(survey_parse_line("5x455\n", 5, out, &why, &col), -1);
    assert_int_equal(col, 2);
}

typedef struct bad_lines { int n; long line[8]; char why[8][256]; } bad_lines;

static void on_bad(void *ctx, long line_no, const char *why)
{
    bad_lines *b = ctx;
    if (b->n < 8) { b->line[b->n] = line_no; snprintf(b->why[b->n], sizeof b->why[0], "%s", why); }
    b->n++;
}

static long long make_survey(fixture *f)
{
    exec_ok(f->app.db, "INSERT INTO evaluations(kind, academic_year, recorded_on, objective, result, evaluator)"
                       " VALUES ('summary', 2567, '2025-03-20', 'ความพึงพอใจ <ระบบ>', 'ผ่านเกณฑ์', 'นางสาวสุลักขณา รักษา')");
    exec_ok(f->app.db, "INSERT INTO surveys(questionnaire, title, academic_year, evaluation_id)"
                       " VALUES ('satisfaction', 'ความพึงพอใจของโรงเรียน 2567', 2567, 1)");
    return sqlite3_last_insert_rowid(f->app.db);
}

static FILE *text_file(const char *s)
{
    FILE *fp = tmpfile();
    assert_non_null(fp);
    fputs(s, fp);
    rewind(fp);
    return fp;
}

static void test_answers_read(void **state)
{
    fixture *f = *state;
    esis_app *app = &f->app;
    long long id = make_survey(f);
    char err[1024] = "";
    long good = 0, bad = 0;
    bad_lines b = { 0 };
    FILE *in = text_file("55311\n5445\n45321\n# next group\n\n45222\n54865\n35311\n5 4 3 2 1\n");
    /* A batch with bad lines stores nothing (issue 14: a corrected batch run
     * again counted the good lines twice); every bad line is reported. */
    assert_int_equal(survey_answers_read(app, id, in, on_bad, &b, &good, &bad, err, sizeof err), -1);
    fclose(in);
    assert_int_equal(good, 0);
    assert_int_equal(bad, 2);
    assert_non_null(strstr(err, "nothing was saved"));
    assert_non_null(strstr(err, "line 2"));
    assert_int_equal(b.line[0], 2);
    assert_non_null(strstr(b.why[0], "fewer answers"));
    assert_non_null(strstr(b.why[0], "(4/5)"));
    assert_int_equal(b.line[1], 7);
    assert_non_null(strstr(b.why[1], "1 to 5; item 3"));
    assert_int_equal(fx_count(app->db, "SELECT count(*) FROM survey_answers"), 0);
    assert_int_equal(fx_count(app->db, "SELECT count(*) FROM audit WHERE table_name = 'survey_answers'"), 0);
    /* The corrected batch, run again, is stored once. */
    b.n = 0;
    in = text_file("55311\n54455\n45321\n# next group\n\n45222\n54355\n35311\n5 4 3 2 1\n");
    assert_int_equal(survey_answers_read(app, id, in, on_bad, &b, &good, &bad, err, sizeof err), 0);
    fclose(in);
    assert_int_equal(good, 7);
    assert_int_equal(bad, 0);
    assert_int_equal(fx_count(app->db, "SELECT count(*) FROM survey_answers WHERE survey_id = 1"), 7);
    assert_int_equal(fx_count(app->db, "SELECT max(respondent) FROM survey_answers"), 7);
    /* More lines later go on numbering; the audit has who typed them. */
    in = text_file("55555\n");
    assert_int_equal(survey_answers_read(app, id, in, on_bad, &b, &good, &bad, err, sizeof err), 0);
    fclose(in);
    assert_int_equal(fx_count(app->db, "SELECT respondent FROM survey_answers WHERE answers = '55555'"), 8);
    assert_int_equal(fx_count(app->db, "SELECT count(*) FROM audit WHERE table_name = 'survey_answers'"
                                       " AND actor = 'staff1'"), 8);
    /* Viewers do not type answers; an unknown survey is named. */
    db_session_set(app->db, &fx_viewer);
    in = text_file("55555\n");
    assert_int_equal(survey_answers_read(app, id, in, NULL, NULL, &good, &bad, err, sizeof err), -1);
    fclose(in);
    db_session_set(app->db, &fx_staff);
    in = text_file("55555\n");
    assert_int_equal(survey_answers_read(app, 99, in, NULL, NULL, &good, &bad, err, sizeof err), -1);
    fclose(in);
    assert_non_null(strstr(err, "99"));
}

static char *render(fixture *f, long long id, doc_output kind, bool fragment)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&buf, &len);
    char err[1024] = "";
    if (survey_render(&f->app, id, kind, fragment, out, err, sizeof err)) fail_msg("%s", err);
    fclose(out);
    return buf;
}

static void test_summary_output(void **state)
{
    fixture *f = *state;
    long long id = make_survey(f);
    char err[1024] = "";
    long good, bad;
    FILE *in = text_file("55311\n45321\n45222\n35311\n54321\n");
    assert_int_equal(survey_answers_read(&f->app, id, in, NULL, NULL, &good, &bad, err, sizeof err), 0);
    fclose(in);
    char *t = render(f, id, DOC_TEXT, false);
    assert_non_null(strstr(t, "4.20"));
    assert_non_null(strstr(t, "0.837"));
    assert_non_null(strstr(t, "2.92"));
    assert_non_null(strstr(t, "1.525"));
    assert_non_null(strstr(t, "n-1"));
    assert_non_null(strstr(t, "4.51-5.00 highest"));
    assert_non_null(strstr(t, "█"));
    free(t);
    f->app.lang = "th";
    t = render(f, id, DOC_HTML, false);
    assert_non_null(strstr(t, "<!DOCTYPE html>"));
    assert_non_null(strstr(t, "มากที่สุด"));
    assert_non_null(strstr(t, "<td class=\"r\">4.20</td><td class=\"r\">0.837</td><td>มาก</td>"));
    assert_non_null(strstr(t, "n-1"));
    assert_non_null(strstr(t, "class=\"bar\" style=\"width:84.0%\""));
    free(t);
}

static void expect_bad_def(fixture *f, const char *text, const char *want)
{
    char err[1024] = "", newhome[200];
    fx_bad_conf(f, "surveys", text, newhome, sizeof newhome);
    char *home = f->app.home;
    f->app.home = newhome;
    survey_def *d = NULL;
    int rc = survey_def_load(&f->app, "bad", &d, err, sizeof err);
    f->app.home = home;
    assert_int_equal(rc, -1);
    assert_null(d);
    if (!strstr(err, want)) fail_msg("wanted '%s' in '%s'", want, err);
}

static void test_bad_questionnaire(void **state)
{
    fixture *f = *state;
    const char *levels =
        "[level.1]\nlabel_th=a\nlabel_en=a\nmin=1\n[level.2]\nlabel_th=b\nlabel_en=b\nmin=1.51\n"
        "[level.3]\nlabel_th=c\nlabel_en=c\nmin=2.51\n[level.4]\nlabel_th=d\nlabel_en=d\nmin=3.51\n";
    char buf[2048];
    snprintf(buf, sizeof buf, "[survey]\ntitle_th=t\ntitle_en=t\n[item.1]\ntext_th=x\ntext_en=x\n%s", levels);
    expect_bad_def(f, buf, "conf/surveys/bad.ini [level.5]: missing");
    snprintf(buf, sizeof buf, "[survey]\ntitle_th=t\ntitle_en=t\n[item.1]\ntext_th=x\ntext_en=x\n%s"
                              "[level.5]\nlabel_th=e\nlabel_en=e\nmin=3.0\n", levels);
    expect_bad_def(f, buf, "[level.5] min: must be above level 4");
    snprintf(buf, sizeof buf, "[survey]\ntitle_th=t\ntitle_en=t\n[item.1]\ntext=x\n");
    expect_bad_def(f, buf, "[item.1] text: unknown key");
    char err[512];
    survey_def *d = NULL;
    assert_int_equal(survey_def_load(&f->app, "../etc/passwd", &d, err, sizeof err), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_stats_by_hand, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_level_boundaries, fx_setup, fx_teardown),
        cmocka_unit_test(test_parse_line),
        cmocka_unit_test_setup_teardown(test_answers_read, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_summary_output, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_bad_questionnaire, fx_setup, fx_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

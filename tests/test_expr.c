/*
 * test_expr: the rule expression language on its own: parsing, errors with
 * their columns, typing of record text, empty values, every function.
 * Each case is one line of a table: an expression, a record, the result.
 */
#include "testutil.h"
#include "rules_fixture.h"
#include "esis/expr.h"
#include "esis/text.h"
#include <locale.h>
#include <regex.h>
#include <sys/resource.h>
#include <sys/wait.h>

typedef struct fx {
    fixture     fix;
    esis_conf   conf;   /* copy of fix.conf */
    const esis_table *students;
    expr_env    env;
} fx;

static int setup(void **state)
{
    fx *f = calloc(1, sizeof *f);
    fixture_open(&f->fix);
    f->conf = f->fix.conf;
    f->students = schema_table(f->fix.schema, "students");
    f->env.as_of = text_date_to_days((text_date){2024, 6, 10});
    f->env.today = text_date_to_days((text_date){2024, 7, 1});
    f->env.year = 2567;
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fx *f = *state;
    fixture_close(&f->fix);
    free(f);
    return 0;
}

/* "col=value;col=value" into values (pointers into buf). */
static void fill(const esis_table *t, const char *assign, char *buf, size_t bufsz,
                 const char **values)
{
    for (int i = 0; i < t->ncols; i++) values[i] = NULL;
    snprintf(buf, bufsz, "%s", assign);
    char *save = NULL;
    for (char *kv = strtok_r(buf, ";", &save); kv; kv = strtok_r(NULL, ";", &save)) {
        char *eq = strchr(kv, '=');
        assert_non_null(eq);
        *eq = '\0';
        int c = -1;
        for (int i = 0; i < t->ncols; i++)
            if (strcmp(t->cols[i], kv) == 0) c = i;
        assert_true(c >= 0);
        values[c] = eq + 1;
    }
}

/* Evaluate and format: "null", "true", "false", numbers, BE dates, text. */
static void eval_to(fx *f, const char *src, const char *assign, char *out, size_t outsz)
{
    char err[256] = "";
    expr_scope scope = { .table = f->students, .conf = &f->conf };
    expr *e = expr_compile(src, &scope, err, sizeof err);
    if (!e) fail_msg("compile '%s': %s", src, err);
    const char *values[128];
    char buf[1024];
    fill(f->students, assign, buf, sizeof buf, values);
    expr_value v = expr_eval(e, values, &f->env);
    if (v.type == EXPR_NULL) snprintf(out, outsz, "null");
    else expr_format(v, out, outsz);
    expr_free(e);
}

static const struct eval_case { const char *src, *rec, *want; } EVAL_CASES[] = {
    /* literals and arithmetic */
    {"1 + 2 * 3", "", "7"},
    {"(1 + 2) * 3", "", "9"},
    {"-4 + 10 / 4", "", "-1.5"},
    {"1 / 0", "", "null"},
    {"'ก' = \"ก\"", "", "true"},
    /* record text is typed by what it meets */
    {"room > 0", "room=3", "true"},
    {"room > 0", "room=0", "false"},
    {"room > 0", "room=", "false"},
    {"room > 0", "room=  ", "false"},
    {"room > 0", "room=abc", "false"},
    {"room = 3", "room=3.0", "true"},
    {"gender = 1", "gender=1", "true"},
    {"code_group(prefix, 'prefix') = gender", "prefix=นางสาว;gender=2", "true"},
    {"code_group(prefix, 'prefix') = gender", "prefix=นาย;gender=2", "false"},
    {"code_number(prefix, 'prefix')", "prefix=เด็กหญิง", "1"},
    {"code_number(gender, 'gender')", "gender=1", "null"},
    {"matches_conf(school_code, 'school_code_pattern')", "school_code=1010720001", "true"},
    {"matches_conf(school_code, 'school_code_pattern')", "school_code=10107200", "false"},
    {"gender = '1'", "gender=1", "true"},
    {"weight_kg <= height_cm", "weight_kg=12;height_cm=9", "false"},
    {"weight_kg <= height_cm", "weight_kg=9;height_cm=12", "true"},
    /* empty values */
    {"gender != '1'", "", "false"},
    {"gender not in ('1','2')", "", "false"},
    {"gender in ('1','2')", "", "false"},
    {"empty(gender)", "", "true"},
    {"empty(gender)", "gender= ", "true"},
    {"empty(gender)", "gender=1", "false"},
    {"not empty(first_name)", "first_name=สมชาย", "true"},
    {"coalesce(gender, 'x')", "", "x"},
    {"coalesce(gender, 'x')", "gender=2", "2"},
    /* in, between */
    {"gender in ('1','2')", "gender=2", "true"},
    {"gender not in ('1','2')", "gender=3", "true"},
    {"room between 1 and 20", "room=20", "true"},
    {"room between 1 and 20", "room=21", "false"},
    {"room not between 1 and 20", "room=21", "true"},
    {"room between 1 and 20", "", "false"},
    /* boolean logic and precedence */
    {"not 1 = 2", "", "true"},
    {"1 = 1 or 1 = 2 and 1 = 2", "", "true"},
    {"(1 = 1 or 1 = 2) and 1 = 2", "", "false"},
    {"true and not false", "", "true"},
    /* text */
    {"len(first_name)", "first_name=ผู้อำนวยการ", "11"},
    {"len(first_name)", "first_name=Somchai", "7"},
    {"len(first_name)", "", "0"},
    {"matches(citizen_id, '^[0-9]{13}$')", "citizen_id=1103702071811", "true"},
    {"matches(citizen_id, '^[0-9]{13}$')", "citizen_id=110370207181", "false"},
    {"matches(first_name, '^[A-Za-z]+$')", "first_name=ผู้อำนวยการ", "false"},
    {"matches(first_name, '^[A-Za-z]+$')", "first_name=Somchai", "true"},
    {"matches(first_name, 'อำนวย')", "first_name=ผู้อำนวยการ", "true"},
    {"matches(first_name, 'x')", "", "false"},
    /* IDs */
    {"thai_id_ok(citizen_id)", "citizen_id=1103702071811", "true"},
    {"thai_id_ok(citizen_id)", "citizen_id=1103702071812", "false"},
    {"thai_id_ok(citizen_id)", "citizen_id=0103702071810", "false"},
    {"thai_id_ok(citizen_id)", "", "false"},
    {"g_code_ok(citizen_id)", "citizen_id=G123456789012", "true"},
    {"g_code_ok(citizen_id)", "citizen_id=G12345678901", "false"},
    {"g_code_ok(citizen_id)", "citizen_id=g123456789012", "false"},
    /* dates */
    {"is_date(birth_date)", "birth_date=2017-03-15", "true"},
    {"is_date(birth_date)", "birth_date=2017-02-31", "false"},
    {"is_date(birth_date)", "birth_date=2016-02-29", "true"},
    {"is_date(birth_date)", "birth_date=2017-02-29", "false"},
    {"is_date(birth_date)", "birth_date=15/03/2560", "true"},
    {"is_date(birth_date)", "birth_date=31/02/2560", "false"},
    {"is_date(birth_date)", "birth_date=hello", "false"},
    {"date(birth_date)", "birth_date=2017-03-15", "15/03/2560"},
    {"birth_date <= today", "birth_date=2024-07-01", "true"},
    {"birth_date <= today", "birth_date=2024-07-02", "false"},
    {"birth_date <= today", "birth_date=2017-02-31", "false"},
    {"birth_date < date('2020-01-01')", "birth_date=2019-12-31", "true"},
    {"today - birth_date", "birth_date=2024-06-30", "1"},
    {"birth_date + 1", "birth_date=2024-02-28", "29/02/2567"},
    {"age_at(birth_date, round.as_of)", "birth_date=2018-06-10", "6"},
    {"age_at(birth_date, round.as_of)", "birth_date=2018-06-11", "5"},
    {"age_at(birth_date, round.as_of)", "birth_date=2017-02-31", "null"},
    {"age_at(birth_date, round.as_of)", "", "null"},
    {"year(birth_date)", "birth_date=2018-06-10", "2018"},
    /* Buddhist Era years and dates, for the admission rules */
    {"be_year(birth_date)", "birth_date=2018-06-10", "2561"},
    {"be_year(birth_date)", "birth_date=15/06/2562", "2562"},
    {"be_year(birth_date)", "birth_date=2017-02-31", "null"},
    {"be_date(round.year, 5, 16)", "", "16/05/2567"},
    {"be_date(2567, 2, 29)", "", "29/02/2567"},        /* 2024 is a leap year */
    {"be_date(2568, 2, 29)", "", "null"},
    {"be_date(2567, 13, 1)", "", "null"},
    {"be_date(2567.5, 1, 1)", "", "null"},
    {"be_date(room, 1, 1)", "", "null"},
    {"age_at(birth_date, be_date(round.year, 5, 16))", "birth_date=2021-05-16", "3"},
    {"age_at(birth_date, be_date(round.year, 5, 16))", "birth_date=2021-05-17", "2"},
    {"if(room > 2, 'big', 'small')", "room=3", "big"},
    {"if(room > 2, 'big', 'small')", "room=1", "small"},
    {"if(room > 2, 'big', 'small')", "", "small"},
    {"if(true, 1, 1 / 0)", "", "1"},
    {"round.year", "", "2567"},
    {"round.as_of", "", "10/06/2567"},
    /* code lists and settings */
    {"in_list(grade, 'grade')", "grade=P1", "true"},
    {"in_list(grade, 'grade')", "grade=ป.1", "false"},
    {"in_list(grade, 'grade')", "", "false"},
    {"in_list(prefix, 'prefix')", "prefix=เด็กหญิง", "true"},
    {"code_number(grade, 'grade')", "grade=P6", "11"},
    {"code_number(grade, 'grade')", "grade=X9", "null"},
    {"conf('too_young_years')", "", "1"},
    {"code_number(grade,'grade') - conf('too_young_years')", "grade=P1", "5"},
    {"number(room) + 1", "room=4", "5"},
    {"number(first_name)", "first_name=ก", "null"},
    /* keywords are case-insensitive, names too */
    {"GENDER = '1' AND NOT EMPTY(Gender)", "gender=1", "true"},
};

static void test_eval_table(void **state)
{
    fx *f = *state;
    char got[256];
    int bad = 0;
    for (size_t i = 0; i < sizeof EVAL_CASES / sizeof EVAL_CASES[0]; i++) {
        eval_to(f, EVAL_CASES[i].src, EVAL_CASES[i].rec, got, sizeof got);
        if (strcmp(got, EVAL_CASES[i].want) != 0) {
            print_error("case %zu: %s  [%s] -> %s, want %s\n", i, EVAL_CASES[i].src,
                        EVAL_CASES[i].rec, got, EVAL_CASES[i].want);
            bad++;
        }
    }
    assert_int_equal(bad, 0);
}

static const struct err_case { const char *src, *want; } ERR_CASES[] = {
    {"thai_id_ok(citizn_id)", "column 12: unknown field 'citizn_id'"},
    {"gender = 'ชาย", "column 10: unterminated string"},
    {"frobnicate(gender)", "column 1: unknown function 'frobnicate'"},
    {"in_list(grade, 'grades')", "column 16: unknown code list 'grades'"},
    {"conf('too_old')", "column 6: unknown setting 'too_old'"},
    {"matches_conf(gender, 'x_pattern')", "column 22: unknown pattern setting 'x_pattern'"},
    {"gender = ", "column 10: expression ends too early"},
    {"(gender = '1'", "column 14: expected ')'"},
    {"gender = '1' '2'", "column 14: unexpected '2'"},
    {"", "column 1: empty expression"},
    {"matches(gender, '[')", "column 17: bad regular expression"},
    {"matches(gender, '(a{1000}){1000}')", "column 17: regular expression refused: a repetition count over 255"},
    {"matches(gender, '((a{100}){100}){10}')", "column 17: regular expression refused: too large"},
    {"matches(gender, '(((((a{20}){20})*){20})+)')", "column 17: regular expression refused: too large"},
    {"matches(gender, '^(a|b)\\1$')", "column 17: regular expression refused: a back-reference"},
    {"matches(gender, first_name)", "column 17: matches() needs a quoted name or pattern here"},
    {"len(gender, 2)", "column 1: wrong number of arguments to len()"},
    {"gender = 1 ^ 2", "column 12: unexpected character '^'"},
    {"ชื่อ = 1", "column 1: unexpected character (text must be quoted)"},
    {"'ชื่อ' = gendr", "column 10: unknown field 'gendr'"},
    {"gender not like 'x'", "column 12: expected 'in' or 'between' after 'not'"},
};

static void test_errors(void **state)
{
    fx *f = *state;
    expr_scope scope = { .table = f->students, .conf = &f->conf };
    for (size_t i = 0; i < sizeof ERR_CASES / sizeof ERR_CASES[0]; i++) {
        char err[256] = "";
        expr *e = expr_compile(ERR_CASES[i].src, &scope, err, sizeof err);
        if (e) fail_msg("'%s' compiled", ERR_CASES[i].src);
        if (strncmp(err, ERR_CASES[i].want, strlen(ERR_CASES[i].want)) != 0)
            fail_msg("'%s': got '%s', want '%s'", ERR_CASES[i].src, err, ERR_CASES[i].want);
    }
}

/* Pathological patterns under a memory limit: each is refused at compile,
 * quickly, in a child that could not hold regcomp's states of any of them
 * (the first took over 200 MB, nested deeper gigabytes); the patterns of
 * the real rules stay far under the bound. */
static void test_regex_bounded(void **state)
{
    fx *f = *state;
    expr_scope scope = { .table = f->students, .conf = &f->conf };
    static const char *const BAD[] = {
        "matches(gender, '(a{255}){255}')", "matches(gender, '((a{200}){200}){200}')",
        "matches(gender, '(.{100}|b{100}){100}')", "matches(gender, '([0-9]{250}[a-z]{250}){9}')",
    };
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        struct rlimit rl = { 96L * 1024 * 1024, 96L * 1024 * 1024 };
        setrlimit(RLIMIT_AS, &rl);
        alarm(10);
        for (size_t i = 0; i < sizeof BAD / sizeof BAD[0]; i++) {
            char err[256] = "";
            expr *e = expr_compile(BAD[i], &scope, err, sizeof err);
            if (e || !strstr(err, "regular expression refused")) _exit(10 + (int)i);
        }
        _exit(0);
    }
    int status = 0;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 0);
    char err[256] = "";
    expr *ok = expr_compile("matches(citizen_id, '^[0-9]{13}$') or matches(room, '^ *[0-9]+ *$')"
                            " or matches(gender, '^(G[0-9]{12}|[0-9]{13})$')", &scope, err, sizeof err);
    if (!ok) fail_msg("%s", err);
    expr_free(ok);
}

static void test_lets(void **state)
{
    fx *f = *state;
    char err[256] = "";
    expr_scope scope = { .table = f->students, .conf = &f->conf };
    expr *age = expr_compile("age_at(birth_date, round.as_of)", &scope, err, sizeof err);
    assert_non_null(age);
    expr_let lets[] = { { "age", age } };
    scope.lets = lets;
    scope.nlets = 1;
    expr *check = expr_compile("age >= 6", &scope, err, sizeof err);
    assert_non_null(check);
    const char *values[128];
    char buf[256];
    fill(f->students, "birth_date=2018-06-10", buf, sizeof buf, values);
    assert_true(expr_truthy(expr_eval(check, values, &f->env)));
    fill(f->students, "birth_date=2018-06-11", buf, sizeof buf, values);
    assert_false(expr_truthy(expr_eval(check, values, &f->env)));
    int cols[8];
    assert_int_equal(expr_columns(age, cols, 8), 1);
    assert_string_equal(f->students->cols[cols[0]], "birth_date");
    expr_free(check);
    expr_free(age);
}

static void test_g_code_pattern(void **state)
{
    fx *f = *state;
    char err[256] = "";
    expr_scope scope = { .table = f->students, .conf = &f->conf,
                         .g_code_pattern = "^G[0-9]{3}$" };
    expr *e = expr_compile("g_code_ok(citizen_id)", &scope, err, sizeof err);
    assert_non_null(e);
    const char *values[128];
    char buf[256];
    fill(f->students, "citizen_id=G123", buf, sizeof buf, values);
    assert_true(expr_truthy(expr_eval(e, values, &f->env)));
    fill(f->students, "citizen_id=G123456789012", buf, sizeof buf, values);
    assert_false(expr_truthy(expr_eval(e, values, &f->env)));
    expr_free(e);
}

/* matches() gives what regexec gives, whether the pattern takes the fast
 * path (expr_pattern.c) or not: every pattern against every text. */
static void test_matches_like_regexec(void **state)
{
    fx *f = *state;
    static const char *const pats[] = {
        "^[0-9]{13}$", "^G[0-9]{12}$", "^ *[0-9]+ *$", "^[0-9]{10}$", "^[A-Z]{2}[0-9]{1,3}$",
        "^[0-9]{2,}$", "^[KPM][0-9]$", "^a?b$", "^[0-9]+[0-9]$", "^(1|2)$", "^[0-9]{3}", "^.+$",
    };
    static const char *const texts[] = {
        "1234567890123", "123456789012", "12345678901234", "G123456789012", "g123456789012",
        "G12345678901", " 12 ", "12", "  ", "", "1 2", "٣", "ก1", "AB1", "AB1234", "ab12",
        "P1", "M6", "X1", "b", "ab", "aab", "00", "0", "1", "2", "3", "1234",
    };
    char err[256];
    expr_scope scope = { .table = f->students, .conf = &f->conf };
    for (size_t i = 0; i < sizeof pats / sizeof pats[0]; i++) {
        char src[128];
        snprintf(src, sizeof src, "matches(room, '%s')", pats[i]);
        expr *e = expr_compile(src, &scope, err, sizeof err);
        if (!e) fail_msg("compile '%s': %s", src, err);
        regex_t re;
        assert_int_equal(regcomp(&re, pats[i], REG_EXTENDED | REG_NOSUB), 0);
        for (size_t k = 0; k < sizeof texts / sizeof texts[0]; k++) {
            const char *values[128] = { 0 };
            values[schema_col(f->students, "room")] = texts[k];
            bool want = regexec(&re, texts[k], 0, NULL, 0) == 0;
            /* an empty or blank value is empty to the rules: never a match */
            const char *t = texts[k];
            while (*t == ' ') t++;
            if (!*t) want = false;
            bool got = expr_truthy(expr_eval(e, values, &f->env));
            if (got != want) fail_msg("matches('%s', '%s'): %d, regexec %d", texts[k], pats[i], got, want);
        }
        regfree(&re);
        expr_free(e);
    }
}

int main(void)
{
    setlocale(LC_ALL, "C.UTF-8");
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_eval_table, setup, teardown),
        cmocka_unit_test_setup_teardown(test_errors, setup, teardown),
        cmocka_unit_test_setup_teardown(test_lets, setup, teardown),
        cmocka_unit_test_setup_teardown(test_regex_bounded, setup, teardown),
        cmocka_unit_test_setup_teardown(test_g_code_pattern, setup, teardown),
        cmocka_unit_test_setup_teardown(test_matches_like_regexec, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

/* test_conf: the shipped configuration loads; bad values are refused with
 * file, section, key and why; rounds for listed and unlisted years; code
 * lists; messages complete in both languages. */
#include "testutil.h"
#include "esis/conf.h"
#include "esis/norm.h"

#include <iniparser/iniparser.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char *home(void)
{
    const char *h = getenv("ESIS_HOME");
    return h ? h : ".";
}

static void test_loads(void **state)
{
    (void)state;
    esis_conf *c;
    char err[512] = "";
    int rc = conf_load(home(), &c, err, sizeof err);
    if (rc) fprintf(stderr, "%s\n", err);
    assert_int_equal(rc, 0);
    assert_string_equal(c->lang, "th");
    assert_true(c->size_small < c->size_medium);
    assert_string_equal(conf_size_class(c, 120), "small");
    assert_string_equal(conf_size_class(c, 121), "medium");
    assert_string_equal(conf_size_class(c, 1501), "extra_large");
    conf_free(c);
}

static void test_rounds(void **state)
{
    (void)state;
    esis_conf *c;
    char err[512];
    assert_int_equal(conf_load(home(), &c, err, sizeof err), 0);
    conf_round r;
    /* A year the calendar does not list gets the standard dates. */
    assert_true(conf_round_get(c, "2561-3", &r));
    assert_int_equal(r.year, 2561);
    assert_int_equal(r.as_of.year, 2019);   /* 31 March 2562 BE */
    assert_int_equal(r.as_of.month, 3);
    assert_int_equal(r.as_of.day, 31);
    assert_true(conf_round_get(c, "2567-1", &r));
    assert_int_equal(r.as_of.year, 2024);
    assert_int_equal(r.as_of.month, 6);
    assert_int_equal(r.as_of.day, 10);
    assert_true(conf_round_get(c, "2567-bobec", &r));
    assert_int_equal(r.opens.month, 10);
    assert_false(conf_round_get(c, "2567-4", &r));
    assert_false(conf_round_get(c, "67-1", &r));
    assert_false(conf_round_get(c, "abc", &r));
    /* The academic year starts on 16 May. */
    assert_int_equal(conf_academic_year((text_date){ 2024, 5, 15 }), 2566);
    assert_int_equal(conf_academic_year((text_date){ 2024, 5, 16 }), 2567);
    assert_int_equal(conf_academic_year((text_date){ 2025, 3, 31 }), 2567);
    conf_round_current(c, (text_date){ 2024, 6, 1 }, &r);
    assert_string_equal(r.code, "2567-1");
    conf_round_current(c, (text_date){ 2024, 12, 1 }, &r);
    assert_string_equal(r.code, "2567-2");
    conf_free(c);
}

static void test_codes_rates(void **state)
{
    (void)state;
    esis_conf *c;
    char err[512];
    assert_int_equal(conf_load(home(), &c, err, sizeof err), 0);
    const conf_codelist *g = conf_codes(c, "grade");
    assert_non_null(g);
    assert_string_equal(conf_code_find(g, "ป.1")->code, "P1");
    assert_string_equal(conf_code_find(g, "p1")->code, "P1");
    assert_string_equal(conf_code_find(g, "ม3")->code, "M3");
    assert_int_equal(conf_code_find(g, "K1")->number, 3);
    assert_null(conf_code_find(g, "ป.7"));
    assert_string_equal(conf_code_find(conf_codes(c, "gender"), "หญิง")->code, "2");
    assert_string_equal(conf_code_find(conf_codes(c, "gender"), "F")->code, "2");
    assert_string_equal(conf_grade_level(c, "M2"), "lower_secondary");
    /* pre-kindergarten is a level of its own: no kindergarten per-head rate */
    assert_string_equal(conf_grade_level(c, "K0"), "pre_kindergarten");
    assert_int_equal(conf_code_find(g, "เตรียมอนุบาล")->number, 2);
    /* as offices write them (issue 18): full names, spaces, dots, Thai
     * digits, the numeric codes of exports */
    static const struct { const char *in, *code; } spell[] = {
        { "ประถมศึกษาปีที่ 1", "P1" }, { "ประถมศึกษาปีที่ ๑", "P1" }, { "มัธยมศึกษาปีที่ 1", "M1" },
        { "อนุบาล 1", "K1" }, { "อนุบาลปีที่ 1", "K1" }, { "อ. 1", "K1" }, { "ป. 1", "P1" },
        { "ม. 1", "M1" }, { "ป.๖", "P6" }, { "ม ๓", "M3" }, { "04", "P1" }, { "4", "P1" },
        { "10", "M1" }, { " p 2 ", "P2" },
        /* pre-kindergarten (issue 18) */
        { "เตรียมอนุบาล", "K0" }, { "เตรียม อนุบาล", "K0" }, { "K0", "K0" }, { "pre-K", "K0" },
        { "Pre K", "K0" }, { "PK", "K0" }, { "pre-kindergarten", "K0" },
    };
    for (size_t i = 0; i < sizeof spell / sizeof spell[0]; i++) {
        const conf_code *k = conf_code_find(g, spell[i].in);
        if (!k || strcmp(k->code, spell[i].code))
            fail_msg("grade '%s': %s, not %s", spell[i].in, k ? k->code : "none", spell[i].code);
    }
    assert_null(conf_code_find(g, "ป. 7"));
    assert_null(conf_code_find(g, " . "));
    const conf_codelist *pf = conf_codes(c, "prefix");
    assert_string_equal(conf_code_find(pf, "ด.ช")->code, "เด็กชาย");
    assert_string_equal(conf_code_find(pf, "ด.ญ")->code, "เด็กหญิง");
    assert_string_equal(conf_code_find(pf, "ด. ช.")->code, "เด็กชาย");
    assert_string_equal(conf_code_find(pf, "สามเณร")->code, "สามเณร");
    assert_string_equal(conf_code_find(pf, "สามเณร")->group, "1");
    assert_string_equal(conf_code_find(pf, "น.ส")->code, "นางสาว");
    const conf_rate *r = conf_rate_get(c, 2570, "primary");
    assert_non_null(r);
    assert_true(r->per_head == 1900);
    assert_null(conf_rate_get(c, 2500, "primary"));
    assert_string_equal(conf_code_label(c, "grade", "P3", "th"), "ป.3");
    assert_string_equal(conf_code_label(c, "grade", "P3", "en"), "P3");
    conf_free(c);
}

/* Every message key exists in Thai and in English. */
static void test_messages_complete(void **state)
{
    (void)state;
    char path[512];
    snprintf(path, sizeof path, "%s/conf/messages.ini", home());
    dictionary *d = iniparser_load(path);
    assert_non_null(d);
    const char *langs[2] = { "th", "en" };
    int missing = 0;
    for (int l = 0; l < 2; l++) {
        int n = iniparser_getsecnkeys(d, langs[l]);
        const char **keys = calloc((size_t)n + 1, sizeof *keys);
        iniparser_getseckeys(d, langs[l], keys);
        for (int i = 0; i < n; i++) {
            char other[300];
            snprintf(other, sizeof other, "%s:%s", langs[1 - l], strchr(keys[i], ':') + 1);
            if (!iniparser_find_entry(d, other)) { fprintf(stderr, "missing %s\n", other); missing++; }
        }
        free(keys);
    }
    iniparser_freedict(d);
    assert_int_equal(missing, 0);
}

/* Copy the shipped conf into a temp dir and break one value. */
static int broken(const char *file, const char *sed_expr, char *err, size_t errsz)
{
    char dir[128], cmd[1024];
    snprintf(dir, sizeof dir, "/tmp/esis_conf_%d", (int)getpid());
    snprintf(cmd, sizeof cmd, "rm -rf %s && mkdir -p %s && cp -R %s/conf %s/ && sed -i '%s' %s/conf/%s",
             dir, dir, home(), dir, sed_expr, dir, file);
    assert_int_equal(system(cmd), 0);
    esis_conf *c = NULL;
    int rc = conf_load(dir, &c, err, errsz);
    conf_free(c);
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    assert_int_equal(system(cmd), 0);
    return rc;
}

static void test_bad_values(void **state)
{
    (void)state;
    char err[512];
    assert_int_equal(broken("esis.ini", "s/^lang  = auto/lang = fr/", err, sizeof err), 2);
    assert_string_equal(err, "conf/esis.ini [display] lang: 'fr' is not auto, th or en");
    assert_int_equal(broken("esis.ini", "s/^size_medium   = 600/size_medium = 50/", err, sizeof err), 2);
    assert_non_null(strstr(err, "[thresholds] size_medium"));
    assert_int_equal(broken("esis.ini", "s/^too_young_years = 1/too_young_years = one/", err, sizeof err), 2);
    assert_non_null(strstr(err, "conf/esis.ini [thresholds] too_young_years: 'one' is not a whole number"));
    assert_int_equal(broken("rounds.ini", "s|^dmc1_as_of   = 10/06/2568|dmc1_as_of = 31/02/2568|", err, sizeof err), 2);
    assert_string_equal(err, "conf/rounds.ini [2568] dmc1_as_of: '31/02/2568' is not a date (DD/MM/YYYY, BE)");
    assert_int_equal(broken("rates.ini", "s/^primary_per_head         = 1900/primary_per_head = lots/", err, sizeof err), 2);
    assert_non_null(strstr(err, "conf/rates.ini [2566] primary_per_head"));
    assert_int_equal(broken("codes.ini", "s/^04 = P1 .*/04 = P1/", err, sizeof err), 2);
    assert_non_null(strstr(err, "conf/codes.ini [grade] 04"));
    assert_int_equal(broken("esis.ini", "s/^\\[display\\]/display without brackets/", err, sizeof err), 2);
    assert_non_null(strstr(err, "conf/esis.ini"));
    /* a section "[grade:x]" would be a key of [grade] without a value
     * (found by fuzz_ini: a code list then read a NULL) */
    assert_int_equal(broken("codes.ini", "s/^\\[grade\\]/[grade]\\n[grade:x]\\nk = v/", err, sizeof err), 2);
    assert_non_null(strstr(err, "[grade:x] (line"));
    assert_non_null(strstr(err, "a section name cannot hold ':'"));
}

/* The language conf_load settles on for esis.ini's lang line set to
 * setting, under the environment's LC_ALL, LC_MESSAGES, LANG, LANGUAGE
 * (NULL: unset). */
static const char *lang_under(const char *setting, const char *lc_all, const char *lc_messages,
                              const char *lang, const char *language)
{
    static char got[3];
    char dir[128], cmd[1024], err[512];
    snprintf(dir, sizeof dir, "/tmp/esis_conf_lang_%d", (int)getpid());
    snprintf(cmd, sizeof cmd, "rm -rf %s && mkdir -p %s && cp -R %s/conf %s/ && sed -i 's/^lang  = auto/lang = %s/' %s/conf/esis.ini",
             dir, dir, home(), dir, setting, dir);
    assert_int_equal(system(cmd), 0);
    const char *names[4] = {"LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE"};
    const char *values[4] = {lc_all, lc_messages, lang, language};
    char *saved[4];
    for (int i = 0; i < 4; i++) {
        saved[i] = getenv(names[i]) ? strdup(getenv(names[i])) : NULL;
        if (values[i]) setenv(names[i], values[i], 1); else unsetenv(names[i]);
    }
    esis_conf *c = NULL;
    assert_int_equal(conf_load(dir, &c, err, sizeof err), 0);
    snprintf(got, sizeof got, "%s", c->lang);
    conf_free(c);
    for (int i = 0; i < 4; i++) {
        if (saved[i]) setenv(names[i], saved[i], 1); else unsetenv(names[i]);
        free(saved[i]);
    }
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    assert_int_equal(system(cmd), 0);
    return got;
}

/* lang = auto follows the login's locale (th* Thai, another language
 * English, C / POSIX / nothing Thai); th or en in esis.ini win over it. */
static void test_lang_from_environment(void **state)
{
    (void)state;
    assert_string_equal(lang_under("auto", NULL, NULL, "th_TH.UTF-8", NULL), "th");
    assert_string_equal(lang_under("auto", NULL, NULL, "en_US.UTF-8", NULL), "en");
    assert_string_equal(lang_under("auto", NULL, NULL, "de_DE.UTF-8", NULL), "en");
    assert_string_equal(lang_under("auto", NULL, NULL, "C", NULL), "th");
    assert_string_equal(lang_under("auto", NULL, NULL, "C.UTF-8", NULL), "th");
    assert_string_equal(lang_under("auto", NULL, NULL, "POSIX", NULL), "th");
    assert_string_equal(lang_under("auto", NULL, NULL, NULL, NULL), "th");
    assert_string_equal(lang_under("auto", NULL, NULL, "th", NULL), "th");
    assert_string_equal(lang_under("auto", NULL, NULL, "thx_XX", NULL), "en");
    /* LC_ALL over LC_MESSAGES over LANG */
    assert_string_equal(lang_under("auto", "en_GB.UTF-8", "th_TH.UTF-8", "th_TH.UTF-8", NULL), "en");
    assert_string_equal(lang_under("auto", NULL, "th_TH.UTF-8", "en_US.UTF-8", NULL), "th");
    assert_string_equal(lang_under("auto", "C.UTF-8", NULL, "en_US.UTF-8", NULL), "th");
    /* LANGUAGE (gettext) over the locale, except in C */
    assert_string_equal(lang_under("auto", NULL, NULL, "en_US.UTF-8", "th:en"), "th");
    assert_string_equal(lang_under("auto", NULL, NULL, "C", "en"), "th");
    /* an explicit setting wins over the environment */
    assert_string_equal(lang_under("en", NULL, NULL, "th_TH.UTF-8", NULL), "en");
    assert_string_equal(lang_under("th", NULL, NULL, "en_US.UTF-8", NULL), "th");
}

/* An unknown code's message lists what the list accepts, Thai label and
 * code, and stays within its buffer (cut with "…"). */
static void test_accepted_codes(void **state)
{
    (void)state;
    esis_conf *c;
    char err[512];
    assert_int_equal(conf_load(home(), &c, err, sizeof err), 0);
    const conf_codelist *g = conf_codes(c, "grade");
    assert_non_null(g);
    char en[400], thai[400];
    norm_accepted(g, true, en, sizeof en);
    assert_non_null(strstr(en, "K1, K2"));
    norm_accepted(g, false, thai, sizeof thai);
    assert_non_null(strstr(thai, "\xe0\xb8\x9b.1 (P1)"));     /* ป.1 (P1) */
    char small[40];
    norm_accepted(g, false, small, sizeof small);
    assert_true(strlen(small) < sizeof small);
    assert_non_null(strstr(small, "\xe2\x80\xa6"));
    conf_free(c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_loads),
        cmocka_unit_test(test_rounds),
        cmocka_unit_test(test_codes_rates),
        cmocka_unit_test(test_messages_complete),
        cmocka_unit_test(test_bad_values),
        cmocka_unit_test(test_lang_from_environment),
        cmocka_unit_test(test_accepted_codes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

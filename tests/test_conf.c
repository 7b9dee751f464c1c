/* test_conf: the shipped configuration loads; bad values are refused with
 * file, section, key and why; rounds for listed and unlisted years; code
 * lists; messages complete in both languages. */
#include "fixture.h"
#include "esis/conf.h"
#include "esis/conf_where.h"
#include "esis/norm.h"

#include <iniparser/iniparser.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static void test_loads(void **state)
{
    (void)state;
    esis_conf *c;
    char err[512] = "";
    int rc = conf_load(fx_home(), &c, err, sizeof err);
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
    assert_int_equal(conf_load(fx_home(), &c, err, sizeof err), 0);
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
    assert_int_equal(conf_load(fx_home(), &c, err, sizeof err), 0);
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
    /* rates per fiscal year: a grade's own figure, else its level's; a
     * year not listed has none (nothing carried forward) */
    double x = 0;
    char why[256];
    assert_int_equal(conf_rate_amount(c, 2566, "per_head", "P3", &x, "en", why, sizeof why), 0);
    assert_true(x == 1900);
    assert_int_equal(conf_rate_amount(c, 2568, "per_head", "primary", &x, "en", why, sizeof why), 0);
    assert_true(x == 2052);
    assert_int_equal(conf_rate_amount(c, 2568, "textbooks", "P1", &x, "en", why, sizeof why), 0);
    assert_true(x == 656);
    assert_int_equal(conf_rate_amount(c, 2568, "textbooks", "K2", &x, "en", why, sizeof why), 0);
    assert_true(x == 200);
    assert_int_equal(conf_rate_amount(c, 2568, "per_head", "ป.1", &x, "en", why, sizeof why), 0);
    assert_true(x == 2052);
    assert_int_equal(conf_rate_amount(c, 2568, "per_head", "X9", &x, "en", why, sizeof why), 1);
    assert_int_equal(conf_rate_amount(c, 2570, "per_head", "P1", &x, "en", why, sizeof why), 2);
    assert_non_null(strstr(why, "conf/rates.ini [2570]"));
    assert_int_equal(conf_rate_amount(c, 2500, "per_head", "P1", &x, "en", why, sizeof why), 2);
    assert_int_equal(conf_rate_amount(c, 2568, "milk", "P1", &x, "en", why, sizeof why), 2);
    assert_non_null(strstr(why, "conf/rates.ini [2568] milk"));
    assert_false(conf_rates_year(c, 2570));
    assert_true(conf_rates_year(c, 2569));
    /* lunch by the school's pupils: 1-40 36, 41-100 27, 101-120 24, more 22 */
    assert_true(conf_rate_daily(c, 2568, "lunch", 40, &x) && x == 36);
    assert_true(conf_rate_daily(c, 2568, "lunch", 41, &x) && x == 27);
    assert_true(conf_rate_daily(c, 2568, "lunch", 120, &x) && x == 24);
    assert_true(conf_rate_daily(c, 2568, "lunch", 500, &x) && x == 22);
    assert_false(conf_rate_daily(c, 2568, "milk", 10, &x));
    /* terms: 1 from round 1 (10 June: the same fiscal year), 2 from round 2
     * (10 November: the next fiscal year, which starts on 1 October) */
    conf_round r;
    int fy = 0;
    assert_true(conf_term_round(c, 2568, 1, &r, &fy));
    assert_string_equal(r.code, "2568-1");
    assert_int_equal(fy, 2568);
    assert_true(conf_term_round(c, 2568, 2, &r, &fy));
    assert_string_equal(r.code, "2568-2");
    assert_int_equal(fy, 2569);
    assert_false(conf_term_round(c, 2568, 3, &r, &fy));
    assert_int_equal(conf_fiscal_year((text_date){ 2025, 9, 30 }), 2568);
    assert_int_equal(conf_fiscal_year((text_date){ 2025, 10, 1 }), 2569);
    const conf_rate_component *k = conf_rate_component_find(c, "textbooks");
    assert_non_null(k);
    assert_true(k->term_share[0] == 1 && k->term_share[1] == 0);
    assert_true(conf_rate_component_find(c, "poor")->poor_only);
    assert_string_equal(conf_code_label(c, "grade", "P3", "th"), "ป.3");
    assert_string_equal(conf_code_label(c, "grade", "P3", "en"), "P3");
    conf_free(c);
}

/* Every message key exists in Thai and in English. */
static void test_messages_complete(void **state)
{
    (void)state;
    char path[512];
    snprintf(path, sizeof path, "%s/conf/messages.ini", fx_home());
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
    char dir[128];
    assert_int_equal(fx_conf_copy(dir, sizeof dir, file, sed_expr), 0);
    esis_conf *c = NULL;
    int rc = conf_load(dir, &c, err, errsz);
    conf_free(c);
    assert_int_equal(fx_rmtree(dir), 0);
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
    assert_int_equal(broken("rates.ini", "s/^per_head.primary         = 1900/per_head.primary = lots/", err, sizeof err), 2);
    assert_non_null(strstr(err, "conf/rates.ini [2566] per_head.primary: not an amount in baht ('lots')"));
    /* a year that leaves out a level of a component is refused whole */
    assert_int_equal(broken("rates.ini", "/^per_head.upper_secondary = 3800/d", err, sizeof err), 2);
    assert_non_null(strstr(err, "conf/rates.ini [2566] per_head.upper_secondary: missing"));
    assert_int_equal(broken("rates.ini", "s/^textbooks.M6             = 1109/textbooks.M9 = 1109/", err, sizeof err), 2);
    assert_non_null(strstr(err, "not a grade of conf/codes.ini [grade] or a level ('m9')"));
    assert_int_equal(broken("rates.ini", "s/^term2    = 0$/term2 = 0.5/", err, sizeof err), 2);
    assert_non_null(strstr(err, "term1 and term2 must add up to 1"));
    assert_int_equal(broken("rates.ini", "s/^term2_round = 2/term2_round = 4/", err, sizeof err), 2);
    assert_non_null(strstr(err, "conf/rates.ini [allocation] term2_round"));
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
    char dir[128], sed[64], err[512];
    snprintf(sed, sizeof sed, "s/^lang  = auto/lang = %s/", setting);
    assert_int_equal(fx_conf_copy(dir, sizeof dir, "esis.ini", sed), 0);
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
    assert_int_equal(fx_rmtree(dir), 0);
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
    assert_int_equal(conf_load(fx_home(), &c, err, sizeof err), 0);
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


/* ---- the settings files over the packaged esis.ini (conf_where.h) ----- */

static void write_file(const char *path, const char *text)
{
    FILE *fp = fopen(path, "w");
    assert_non_null(fp);
    fputs(text, fp);
    fclose(fp);
}

/* The layers' keys win in order; a relative database path is taken from
 * the directory of the file that named it; a bad value or an unknown key
 * names its file; the per-user layer may set the display only. */
static void test_layers(void **state)
{
    (void)state;
    char dir[64], sys[128], user[128], cfg[128], err[600] = "";
    assert_int_equal(fx_tmpdir(dir, sizeof dir, "layers"), 0);
    snprintf(sys, sizeof sys, "%s/system.ini", dir);
    snprintf(user, sizeof user, "%s/user.ini", dir);
    snprintf(cfg, sizeof cfg, "%s/config.ini", dir);
    write_file(sys, "[database]\npath = data/esis.db\n[thresholds]\nsize_small = 100\n[display]\nlang = th\n");
    write_file(user, "[display]\nlang = en\ncolor = no\n");
    write_file(cfg, "[thresholds]\nsize_small = 90\n");
    conf_layer layers[] = { { sys, false, false }, { user, false, true }, { cfg, true, false } };
    esis_conf *c = NULL;
    assert_int_equal(conf_load_layered(fx_home(), layers, 3, &c, err, sizeof err), 0);
    char want[400];
    snprintf(want, sizeof want, "%s/data/esis.db", dir);
    assert_string_equal(c->db_path, want);           /* beside system.ini, not in "." */
    assert_int_equal(c->size_small, 90);              /* --config over the system file */
    assert_int_equal(c->size_medium, 600);            /* the packaged default */
    assert_string_equal(c->lang, "en");               /* the user's display */
    assert_false(c->color);
    conf_free(c);

    /* a missing optional layer is skipped; a missing --config is an error */
    char none[128];
    snprintf(none, sizeof none, "%s/none.ini", dir);
    conf_layer missing[] = { { none, false, false } };
    assert_int_equal(conf_load_layered(fx_home(), missing, 1, &c, err, sizeof err), 0);
    assert_string_equal(c->db_path, "/var/lib/esis/esis.db");
    conf_free(c);
    missing[0].required = true;
    assert_int_equal(conf_load_layered(fx_home(), missing, 1, &c, err, sizeof err), 2);
    assert_non_null(strstr(err, "none.ini"));

    /* the per-user layer: nothing but [display] lang and color */
    write_file(user, "[database]\npath = /tmp/mine.db\n");
    assert_int_equal(conf_load_layered(fx_home(), layers, 2, &c, err, sizeof err), 2);
    assert_non_null(strstr(err, "user.ini [database]"));
    write_file(user, "[display]\nlang = en\nfont = big\n");
    assert_int_equal(conf_load_layered(fx_home(), layers, 2, &c, err, sizeof err), 2);
    assert_non_null(strstr(err, "user.ini [display] font"));

    /* a bad value, an unknown key, an unknown section: named by their file */
    write_file(cfg, "[thresholds]\nsize_small = many\n");
    assert_int_equal(conf_load_layered(fx_home(), layers + 2, 1, &c, err, sizeof err), 2);
    snprintf(want, sizeof want, "%s [thresholds] size_small: 'many' is not a whole number", cfg);
    assert_non_null(strstr(err, want));
    write_file(cfg, "[database]\npaht = x.db\n");
    assert_int_equal(conf_load_layered(fx_home(), layers + 2, 1, &c, err, sizeof err), 2);
    assert_non_null(strstr(err, "config.ini [database] paht: esis.ini has no such key"));
    write_file(cfg, "[databse]\npath = x.db\n");
    assert_int_equal(conf_load_layered(fx_home(), layers + 2, 1, &c, err, sizeof err), 2);
    assert_non_null(strstr(err, "config.ini [databse]"));
    assert_int_equal(fx_rmtree(dir), 0);
}

/* Which files a run reads: the system file under ESIS_SYSCONFDIR (trusted
 * only), the per-user file under XDG_CONFIG_HOME or HOME, and --config,
 * which an untrusted caller may name only inside the system directory. */
static void test_where(void **state)
{
    (void)state;
    char dir[64], etc[128], inside[160], outside[160], buf[300];
    assert_int_equal(fx_tmpdir(dir, sizeof dir, "where"), 0);
    snprintf(etc, sizeof etc, "%s/etc", dir);
    snprintf(buf, sizeof buf, "%s/esis", etc);
    assert_int_equal(mkdir(etc, 0755) | mkdir(buf, 0755), 0);
    snprintf(inside, sizeof inside, "%s/esis/site.ini", etc);
    snprintf(outside, sizeof outside, "%s/mine.ini", dir);
    write_file(inside, "[display]\nlang = en\n");
    write_file(outside, "[display]\nlang = en\n");
    setenv("ESIS_SYSCONFDIR", etc, 1);
    setenv("HOME", dir, 1);
    unsetenv("XDG_CONFIG_HOME");

    conf_where w;
    assert_int_equal(conf_where_find(&w, outside, false), 0);
    snprintf(buf, sizeof buf, "%s/esis/esis.ini", etc);
    assert_string_equal(w.system, buf);
    snprintf(buf, sizeof buf, "%s/.config/esis/esis.ini", dir);
    assert_string_equal(w.user, buf);
    assert_int_equal(w.nlayers, 3);
    assert_true(w.layers[1].display_only && w.layers[2].required);
    assert_false(w.config_refused);
    conf_where_free(&w);

    /* untrusted: the build's directory, whatever ESIS_SYSCONFDIR says;
     * --config outside it refused and not read */
    char built[200];
    conf_where_sysconf(true, built, sizeof built);   /* /etc/esis unless make SYSCONFDIR=... */
    snprintf(buf, sizeof buf, "%s/esis", etc);
    assert_string_not_equal(built, buf);
    assert_int_equal(conf_where_find(&w, outside, true), 0);
    assert_true(w.config_refused);
    assert_int_equal(w.nlayers, 2);
    snprintf(buf, sizeof buf, "%s/esis.ini", built);
    assert_string_equal(w.system, buf);
    conf_where_free(&w);
    /* trusted, a --config anywhere is read */
    assert_int_equal(conf_where_find(&w, inside, false), 0);
    assert_false(w.config_refused);
    assert_int_equal(w.nlayers, 3);
    conf_where_free(&w);
    unsetenv("ESIS_SYSCONFDIR");
    assert_int_equal(fx_rmtree(dir), 0);
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
        cmocka_unit_test(test_layers),
        cmocka_unit_test(test_where),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

/*
 * conf_rates.c: conf/rates.ini, the money the DMC counts drive: the
 * components of the subsidy ([component.NAME]), the round each term is paid
 * from ([allocation]), the poor-student screening ([poor_screening]) and
 * the figures of each fiscal year ([2568]).
 *
 * Why it is strict: a rate that is missing must stop the money, not turn
 * into 0 or into last year's figure (the subsidy of 2567 was printed at the
 * 2566 rates, 7.4 % short).  So every non-optional component must price
 * every grade of the four funded levels in every year listed, an unknown
 * key is refused with its file, section and key, and a year that is not
 * listed has no amount (conf_rate_amount says which section is missing).
 */
#include "esis/conf.h"

#include <iniparser/iniparser.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const char *const LEVELS[] = { "kindergarten", "primary", "lower_secondary", "upper_secondary" };
enum { NLEVELS = 4 };
static const char FILE_NAME[] = "conf/rates.ini";

static int failf(char *err, size_t errsz, const char *sec, const char *key, const char *why, const char *val)
{
    snprintf(err, errsz, "%s [%s]%s%s: %s%s%s%s", FILE_NAME, sec, key ? " " : "", key ? key : "", why,
             val ? " ('" : "", val ? val : "", val ? "')" : "");
    return 2;
}

static const char *get(dictionary *d, const char *sec, const char *key)
{
    char k[160];
    snprintf(k, sizeof k, "%s:%s", sec, key);
    return iniparser_getstring(d, k, NULL);
}

static bool parse_amount(const char *v, double max, double *out)
{
    char *end;
    if (!v || !*v) return false;
    double x = strtod(v, &end);
    if (*end || end == v || !(x >= 0) || x > max) return false;
    *out = x;
    return true;
}

static bool is_level(const char *s)
{
    for (int i = 0; i < NLEVELS; i++)
        if (!strcmp(s, LEVELS[i])) return true;
    return false;
}

/* A grade of conf/codes.ini [grade] in one of the funded levels (iniparser
 * folds keys to lower case: "textbooks.p1" is P1). */
static const conf_code *funded_grade(const esis_conf *c, const char *code)
{
    const conf_codelist *g = conf_codes(c, "grade");
    for (int i = 0; g && i < g->n; i++)
        if (!strcasecmp(g->v[i].code, code) && is_level(g->v[i].group)) return &g->v[i];
    return NULL;
}

static int load_component(dictionary *d, const char *sec, conf_rate_component *k, char *err, size_t errsz)
{
    static const char *const keys[] = { "label_th", "label_en", "students", "per", "term1", "term2",
                                        "optional", NULL };
    const char *unknown;
    if (conf_ini_unknown_key(d, sec, keys, NULL, &unknown)) return failf(err, errsz, sec, NULL, "out of memory", NULL);
    if (unknown) return failf(err, errsz, sec, unknown, "unknown key", NULL);
    const char *th = get(d, sec, "label_th"), *en = get(d, sec, "label_en");
    if (!th || !*th) return failf(err, errsz, sec, "label_th", "missing", NULL);
    k->label_th = strdup(th);
    k->label_en = strdup(en && *en ? en : th);
    if (!k->label_th || !k->label_en) return failf(err, errsz, sec, NULL, "out of memory", NULL);
    const char *who = get(d, sec, "students"), *per = get(d, sec, "per"), *opt = get(d, sec, "optional");
    if (!who || (strcmp(who, "all") && strcmp(who, "poor")))
        return failf(err, errsz, sec, "students", "all or poor", who);
    k->poor_only = !strcmp(who, "poor");
    if (!per || (strcmp(per, "year") && strcmp(per, "day")))
        return failf(err, errsz, sec, "per", "year or day", per);
    k->per_day = !strcmp(per, "day");
    if (opt && strcmp(opt, "yes") && strcmp(opt, "no")) return failf(err, errsz, sec, "optional", "yes or no", opt);
    k->optional = opt && !strcmp(opt, "yes");
    if (k->per_day) return 0;
    for (int t = 0; t < 2; t++) {
        const char *key = t ? "term2" : "term1", *v = get(d, sec, key);
        if (!parse_amount(v, 1, &k->term_share[t]))
            return failf(err, errsz, sec, key, v ? "a share of the year between 0 and 1" : "missing", v);
    }
    if (fabs(k->term_share[0] + k->term_share[1] - 1) > 1e-9)
        return failf(err, errsz, sec, "term2", "term1 and term2 must add up to 1", NULL);
    return 0;
}

static int add_rate(esis_conf *c, conf_rate r)
{
    conf_rate *v = realloc(c->rates, sizeof *v * (size_t)(c->nrates + 1));
    if (!v) { free(r.subject); return -1; }
    c->rates = v;
    c->rates[c->nrates++] = r;
    return 0;
}

/* One key COMPONENT.SUBJECT = baht of a fiscal year's section. */
static int load_figure(esis_conf *c, dictionary *d, const char *sec, int year, const char *key,
                       char *err, size_t errsz)
{
    const char *name = strchr(key, ':') + 1, *dot = strchr(name, '.');
    const char *v = iniparser_getstring(d, key, NULL);
    char comp[64];
    if (!dot || (size_t)(dot - name) >= sizeof comp)
        return failf(err, errsz, sec, name, "keys are COMPONENT.GRADE or COMPONENT.LEVEL", NULL);
    snprintf(comp, sizeof comp, "%.*s", (int)(dot - name), name);
    const conf_rate_component *k = conf_rate_component_find(c, comp);
    if (!k) return failf(err, errsz, sec, name, "no such [component.NAME]", comp);
    conf_rate r = { year, (int)(k - c->rate_components), NULL, 0, 0 };
    if (!parse_amount(v, 1e6, &r.amount)) return failf(err, errsz, sec, name, "not an amount in baht", v);
    const char *subject = dot + 1;
    if (k->per_day) {
        char *end;
        if (strcmp(subject, "any")) {
            r.pupils = strtol(subject, &end, 10);
            if (*end || r.pupils <= 0) return failf(err, errsz, sec, name, "the largest school (pupils) or any", subject);
        }
    } else {
        const conf_code *g = is_level(subject) ? NULL : funded_grade(c, subject);
        if (!is_level(subject) && !g)
            return failf(err, errsz, sec, name, "not a grade of conf/codes.ini [grade] or a level", subject);
        if (!(r.subject = strdup(g ? g->code : subject))) return failf(err, errsz, sec, NULL, "out of memory", NULL);
    }
    return add_rate(c, r) ? failf(err, errsz, sec, NULL, "out of memory", NULL) : 0;
}

/* Every non-optional yearly component prices every funded grade. */
static int check_year_complete(const esis_conf *c, const char *sec, int year, char *err, size_t errsz)
{
    const conf_codelist *g = conf_codes(c, "grade");
    for (int k = 0; k < c->nrate_components; k++) {
        const conf_rate_component *comp = &c->rate_components[k];
        if (comp->optional) continue;
        if (comp->per_day) {
            double x;
            if (!conf_rate_daily(c, year, comp->name, 1L << 30, &x)) {
                char key[96];
                snprintf(key, sizeof key, "%s.any", comp->name);
                return failf(err, errsz, sec, key, "missing", NULL);
            }
            continue;
        }
        for (int i = 0; g && i < g->n; i++) {
            if (!is_level(g->v[i].group)) continue;
            double x;
            if (conf_rate_amount(c, year, comp->name, g->v[i].code, &x, "en", NULL, 0) != 0) {
                char key[96];
                snprintf(key, sizeof key, "%s.%s", comp->name, g->v[i].group);
                return failf(err, errsz, sec, key, "missing (or a figure for every grade of the level)", NULL);
            }
        }
    }
    return 0;
}

static int load_settings(esis_conf *c, dictionary *d, char *err, size_t errsz)
{
    static const char *const alloc_keys[] = { "term1_round", "term2_round", NULL };
    static const char *const poor_keys[] = { "income_per_member_month", "criteria_min", NULL };
    const char *unknown;
    if (!iniparser_find_entry(d, "allocation")) return failf(err, errsz, "allocation", NULL, "the section is missing", NULL);
    if (conf_ini_unknown_key(d, "allocation", alloc_keys, NULL, &unknown) || unknown)
        return failf(err, errsz, "allocation", unknown, "unknown key", NULL);
    for (int t = 0; t < 2; t++) {
        const char *v = get(d, "allocation", alloc_keys[t]);
        if (!v || strlen(v) != 1 || v[0] < '1' || v[0] > '3')
            return failf(err, errsz, "allocation", alloc_keys[t], "a DMC round, 1 to 3", v);
        c->term_round[t] = v[0] - '0';
    }
    if (!iniparser_find_entry(d, "poor_screening"))
        return failf(err, errsz, "poor_screening", NULL, "the section is missing", NULL);
    if (conf_ini_unknown_key(d, "poor_screening", poor_keys, NULL, &unknown) || unknown)
        return failf(err, errsz, "poor_screening", unknown, "unknown key", NULL);
    const char *v = get(d, "poor_screening", "income_per_member_month");
    if (!parse_amount(v, 1e6, &c->poor_income_per_member_month))
        return failf(err, errsz, "poor_screening", "income_per_member_month", "not an amount in baht", v);
    double n;
    v = get(d, "poor_screening", "criteria_min");
    if (!parse_amount(v, 100, &n) || n != floor(n))
        return failf(err, errsz, "poor_screening", "criteria_min", "a whole number", v);
    c->poor_criteria_min = (int)n;
    return 0;
}

int conf_rates_load(const char *home, esis_conf *c, char *err, size_t errsz)
{
    char path[4096], why[512];
    snprintf(path, sizeof path, "%s/%s", home, FILE_NAME);
    dictionary *d = conf_ini_load(path, why, sizeof why);
    if (!d) { snprintf(err, errsz, "%s: %s", FILE_NAME, why); return 2; }
    int nsec = iniparser_getnsec(d), rc = load_settings(c, d, err, errsz);
    c->rate_components = calloc((size_t)(nsec ? nsec : 1), sizeof *c->rate_components);
    if (!rc && !c->rate_components) rc = failf(err, errsz, "component", NULL, "out of memory", NULL);
    /* components first: a year's keys name them */
    for (int s = 0; s < nsec && !rc; s++) {
        const char *sec = iniparser_getsecname(d, s);
        if (strncmp(sec, "component.", 10)) continue;
        conf_rate_component *k = &c->rate_components[c->nrate_components++];
        if (!sec[10] || !(k->name = strdup(sec + 10))) { rc = failf(err, errsz, sec, NULL, "a component needs a name", NULL); break; }
        rc = load_component(d, sec, k, err, errsz);
    }
    for (int s = 0; s < nsec && !rc; s++) {
        const char *sec = iniparser_getsecname(d, s);
        if (!strncmp(sec, "component.", 10) || !strcmp(sec, "allocation") || !strcmp(sec, "poor_screening"))
            continue;
        char *end;
        long year = strtol(sec, &end, 10);
        if (*end || year < 2400 || year > 2700) {
            rc = failf(err, errsz, sec, NULL, "a section is a fiscal year (BE), a [component.NAME], [allocation] or [poor_screening]", NULL);
            break;
        }
        int nk = iniparser_getsecnkeys(d, sec);
        const char **keys = calloc((size_t)(nk ? nk : 1), sizeof *keys);
        if (!keys) { rc = failf(err, errsz, sec, NULL, "out of memory", NULL); break; }
        iniparser_getseckeys(d, sec, keys);
        for (int i = 0; i < nk && !rc; i++) rc = load_figure(c, d, sec, (int)year, keys[i], err, errsz);
        free(keys);
        if (!rc && nk == 0) rc = failf(err, errsz, sec, NULL, "the year gives no figures", NULL);
        if (!rc) rc = check_year_complete(c, sec, (int)year, err, errsz);
    }
    iniparser_freedict(d);
    return rc;
}

void conf_rates_free(esis_conf *c)
{
    for (int i = 0; i < c->nrates; i++) free(c->rates[i].subject);
    free(c->rates);
    for (int i = 0; i < c->nrate_components; i++) {
        free(c->rate_components[i].name);
        free(c->rate_components[i].label_th);
        free(c->rate_components[i].label_en);
    }
    free(c->rate_components);
}

int conf_fiscal_year(text_date day)
{
    return day.year + 543 + (day.month >= 10 ? 1 : 0);
}

bool conf_rates_year(const esis_conf *c, int fiscal_year)
{
    for (int i = 0; i < c->nrates; i++)
        if (c->rates[i].fiscal_year == fiscal_year) return true;
    return false;
}

const conf_rate_component *conf_rate_component_find(const esis_conf *c, const char *name)
{
    for (int i = 0; name && i < c->nrate_components; i++)
        if (!strcmp(c->rate_components[i].name, name)) return &c->rate_components[i];
    return NULL;
}

static const conf_rate *find_figure(const esis_conf *c, int year, int comp, const char *subject)
{
    for (int i = 0; i < c->nrates; i++) {
        const conf_rate *r = &c->rates[i];
        if (r->fiscal_year == year && r->component == comp && r->subject && !strcmp(r->subject, subject)) return r;
    }
    return NULL;
}

int conf_rate_amount(const esis_conf *c, int fiscal_year, const char *component,
                     const char *grade_or_level, double *out, const char *lang,
                     char *why, size_t whysz)
{
    const conf_rate_component *k = conf_rate_component_find(c, component);
    bool given = false;
    for (int i = 0; k && i < c->nrates && !given; i++)
        given = c->rates[i].fiscal_year == fiscal_year && c->rates[i].component == (int)(k - c->rate_components);
    if (!k || !given) {
        if (why) {
            if (!conf_rates_year(c, fiscal_year))
                snprintf(why, whysz, "%s [%d]: %s %d", FILE_NAME, fiscal_year,
                         conf_msg_lang(c, lang, "rates.no_year"), fiscal_year);
            else
                snprintf(why, whysz, "%s [%d] %s: %s", FILE_NAME, fiscal_year, component ? component : "",
                         conf_msg_lang(c, lang, "rates.no_component"));
        }
        return 2;
    }
    int comp = (int)(k - c->rate_components);
    const conf_rate *r = grade_or_level ? find_figure(c, fiscal_year, comp, grade_or_level) : NULL;
    if (!r && grade_or_level) {
        const conf_code *g = conf_code_find(conf_codes(c, "grade"), grade_or_level);
        if (g) r = find_figure(c, fiscal_year, comp, g->code);
        if (!r && g && is_level(g->group)) r = find_figure(c, fiscal_year, comp, g->group);
    }
    if (!r) return 1;
    *out = r->amount;
    return 0;
}

bool conf_rate_daily(const esis_conf *c, int fiscal_year, const char *component, long pupils, double *out)
{
    const conf_rate_component *k = conf_rate_component_find(c, component);
    const conf_rate *best = NULL;
    for (int i = 0; k && i < c->nrates; i++) {
        const conf_rate *r = &c->rates[i];
        if (r->fiscal_year != fiscal_year || r->component != (int)(k - c->rate_components)) continue;
        if (r->pupils && r->pupils < pupils) continue;
        /* the smallest band that holds the school; "any" (0) last */
        if (!best || (r->pupils && (!best->pupils || r->pupils < best->pupils))) best = r;
    }
    if (!best) return false;
    *out = best->amount;
    return true;
}

bool conf_term_round(const esis_conf *c, int academic_year, int term, conf_round *round, int *fiscal_year)
{
    if (term != 1 && term != 2) return false;
    char code[24];
    snprintf(code, sizeof code, "%d-%d", academic_year, c->term_round[term - 1]);
    if (!conf_round_get(c, code, round)) return false;
    if (fiscal_year) *fiscal_year = conf_fiscal_year(round->as_of);
    return true;
}

/*
 * conf_lists.c: the parts of the configuration that are lists (code lists,
 * rates, messages), the top-level conf_load that reads every file, and
 * where the configuration lives.
 */
#include "conf_internal.h"
#include "esis/text.h"

#include <iniparser/iniparser.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

static int failf(char *err, size_t errsz, const char *file, const char *sec, const char *key,
                 const char *why, const char *val)
{
    snprintf(err, errsz, "%s [%s] %s: %s%s%s%s", file, sec, key ? key : "", why,
             val ? " ('" : "", val ? val : "", val ? "')" : "");
    return 2;
}

static char *trimdup(const char *s, size_t n)
{
    while (n && (*s == ' ' || *s == '\t')) { s++; n--; }
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t')) n--;
    char *r = malloc(n + 1);
    if (!r) return NULL;
    memcpy(r, s, n);
    r[n] = '\0';
    return r;
}

static void code_free(conf_code *k)
{
    free(k->code); free(k->label_th); free(k->label_en); free(k->group);
    for (int i = 0; i < k->naliases; i++) free(k->aliases[i]);
    free(k->aliases);
}

/* "CODE | th | en | aliases | number | group" */
static int parse_code(const char *v, conf_code *k)
{
    memset(k, 0, sizeof *k);
    k->number = -1;
    char *part[6] = { 0 };
    int n = 0;
    const char *p = v ? v : "";
    while (n < 6) {
        const char *bar = strchr(p, '|');
        size_t len = bar ? (size_t)(bar - p) : strlen(p);
        part[n++] = trimdup(p, len);
        if (!bar) break;
        p = bar + 1;
    }
    int rc = 0;
    if (n < 3 || !part[0] || !*part[0]) rc = -1;
    else {
        k->code = part[0]; part[0] = NULL;
        k->label_th = part[1]; part[1] = NULL;
        k->label_en = part[2]; part[2] = NULL;
        if (n > 3 && part[3] && *part[3]) {
            for (char *save = NULL, *w = strtok_r(part[3], " ", &save); w; w = strtok_r(NULL, " ", &save)) {
                char **a = realloc(k->aliases, sizeof *a * (size_t)(k->naliases + 1));
                if (!a) { rc = -1; break; }
                k->aliases = a;
                if (!(a[k->naliases] = strdup(w))) { rc = -1; break; }
                k->naliases++;
            }
        }
        if (n > 4 && part[4] && *part[4]) {
            char *end;
            long num = strtol(part[4], &end, 10);
            if (*end) rc = -1; else k->number = (int)num;
        }
        k->group = n > 5 && part[5] ? part[5] : strdup("");
        if (n > 5) part[5] = NULL;
    }
    for (int i = 0; i < 6; i++) free(part[i]);
    if (rc) code_free(k);
    return rc;
}

static int load_codes(const char *home, esis_conf *c, char *err, size_t errsz)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/conf/codes.ini", home);
    char why[512];
    dictionary *d = conf_ini_load(path, why, sizeof why);
    if (!d) { snprintf(err, errsz, "conf/codes.ini: %s", why); return 2; }
    int rc = 0;
    int nsec = iniparser_getnsec(d);
    c->codes = calloc((size_t)(nsec ? nsec : 1), sizeof *c->codes);
    if (!c->codes) rc = 2;
    for (int s = 0; s < nsec && !rc; s++) {
        const char *sec = iniparser_getsecname(d, s);
        conf_codelist *l = &c->codes[c->ncodes++];
        l->name = strdup(sec);
        int nk = iniparser_getsecnkeys(d, sec);
        const char **keys = calloc((size_t)(nk ? nk : 1), sizeof *keys);
        l->v = calloc((size_t)(nk ? nk : 1), sizeof *l->v);
        if (!l->name || !keys || !l->v) { free(keys); rc = 2; break; }
        iniparser_getseckeys(d, sec, keys);
        for (int i = 0; i < nk && !rc; i++) {
            const char *v = iniparser_getstring(d, keys[i], "");
            if (parse_code(v, &l->v[l->n]) != 0)
                rc = failf(err, errsz, "conf/codes.ini", sec, strchr(keys[i], ':') + 1,
                           "expected CODE | Thai | English | aliases | number | group", v);
            else l->n++;
        }
        free(keys);
    }
    iniparser_freedict(d);
    return rc;
}

/* Implemented in conf_rates.c. */
int conf_rates_load(const char *home, esis_conf *c, char *err, size_t errsz);
void conf_rates_free(esis_conf *c);

int conf_load(const char *home, esis_conf **out, char *err, size_t errsz)
{
    return conf_load_layered(home, NULL, 0, out, err, errsz);
}

int conf_load_layered(const char *home, const conf_layer *layers, int nlayers, esis_conf **out,
                      char *err, size_t errsz)
{
    *out = NULL;
    esis_conf *c = calloc(1, sizeof *c);
    if (!c || !(c->home = strdup(home))) { free(c); snprintf(err, errsz, "out of memory"); return 2; }
    int rc = conf_load_settings_and_rounds(home, layers, nlayers, c, err, errsz);
    if (!rc) rc = load_codes(home, c, err, errsz);
    if (!rc) rc = conf_rates_load(home, c, err, errsz);
    if (!rc) {
        char path[4096];
        snprintf(path, sizeof path, "%s/conf/messages.ini", home);
        char why[512];
        c->messages = conf_ini_load(path, why, sizeof why);
        if (!c->messages) { snprintf(err, errsz, "conf/messages.ini: %s", why); rc = 2; }
    }
    if (!rc && (!conf_codes(c, "grade") || !conf_codes(c, "gender") || !conf_codes(c, "prefix"))) {
        snprintf(err, errsz, "conf/codes.ini: the lists [grade], [gender] and [prefix] are required");
        rc = 2;
    }
    if (rc) { conf_free(c); return rc; }
    *out = c;
    return 0;
}

void conf_free(esis_conf *c)
{
    if (!c) return;
    free(c->home); free(c->db_path); free(c->office_name_th); free(c->office_name_en);
    free(c->g_code_pattern); free(c->school_code_pattern);
    free(c->rounds);
    conf_rates_free(c);
    for (int i = 0; i < c->ncodes; i++) {
        for (int k = 0; k < c->codes[i].n; k++) code_free(&c->codes[i].v[k]);
        free(c->codes[i].v);
        free(c->codes[i].name);
    }
    free(c->codes);
    if (c->messages) iniparser_freedict(c->messages);
    if (c->standard) {
        char **v = c->standard;
        for (int i = 0; i < 15; i++) free(v[i]);
        free(c->standard);
    }
    free(c);
}

const conf_codelist *conf_codes(const esis_conf *c, const char *list)
{
    for (int i = 0; c && i < c->ncodes; i++)
        if (!strcmp(c->codes[i].name, list)) return &c->codes[i];
    return NULL;
}

/* A spelling as people vary it: Thai digits as ASCII, spaces, dots,
 * underscores and dashes left out ("ป. ๑" -> "ป1", "ด.ช" -> "ดช").  Into
 * out (outsz bytes); false when it does not fit. */
static bool code_squeeze(const char *s, char *out, size_t outsz)
{
    size_t o = 0;
    if (strlen(s) >= outsz) return false;
    text_ascii_digits(s, out);
    for (size_t i = 0; out[i]; i++)
        if (!strchr(" ._-\t", out[i])) out[o++] = out[i];
    out[o] = '\0';
    return true;
}

static bool squeezed_equal(const char *want, const char *have)
{
    char a[128];
    return have && code_squeeze(have, a, sizeof a) && a[0] && !strcasecmp(a, want);
}

const conf_code *conf_code_find(const conf_codelist *l, const char *text)
{
    if (!l || !text) return NULL;
    for (int i = 0; i < l->n; i++)
        if (!strcasecmp(l->v[i].code, text)) return &l->v[i];
    for (int i = 0; i < l->n; i++) {
        const conf_code *k = &l->v[i];
        if ((k->label_th && !strcmp(k->label_th, text)) || (k->label_en && !strcasecmp(k->label_en, text)))
            return k;
        for (int a = 0; a < k->naliases; a++)
            if (!strcasecmp(k->aliases[a], text)) return k;
    }
    /* then as written by hand: "ป. 1", "ประถมศึกษาปีที่ ๑", "ด.ช" */
    char want[128];
    if (!code_squeeze(text, want, sizeof want) || !want[0]) return NULL;
    for (int i = 0; i < l->n; i++) {
        const conf_code *k = &l->v[i];
        if (squeezed_equal(want, k->code) || squeezed_equal(want, k->label_th) || squeezed_equal(want, k->label_en))
            return k;
        for (int a = 0; a < k->naliases; a++)
            if (squeezed_equal(want, k->aliases[a])) return k;
    }
    return NULL;
}

const char *conf_code_label(const esis_conf *c, const char *list, const char *code, const char *lang)
{
    const conf_code *k = conf_code_find(conf_codes(c, list), code);
    if (!k) return code ? code : "";
    return lang && !strcmp(lang, "en") ? k->label_en : k->label_th;
}

const char *conf_grade_level(const esis_conf *c, const char *grade)
{
    const conf_code *k = conf_code_find(conf_codes(c, "grade"), grade);
    return k ? k->group : "";
}

bool conf_number(const esis_conf *c, const char *name, double *out)
{
    const struct { const char *n; double v; } set[] = {
        {"too_young_years", c->too_young_years}, {"over_age_years", c->over_age_years},
        {"size_small", c->size_small}, {"size_medium", c->size_medium},
        {"size_large", c->size_large},
        {"students_per_teacher", c->students_per_teacher},
        {"poor_income_per_member_month", c->poor_income_per_member_month},
        {"poor_criteria_min", c->poor_criteria_min},
    };
    for (size_t i = 0; i < sizeof set / sizeof set[0]; i++)
        if (!strcmp(set[i].n, name)) { *out = set[i].v; return true; }
    return false;
}

const char *conf_size_class(const esis_conf *c, long n)
{
    if (n <= c->size_small) return "small";
    if (n <= c->size_medium) return "medium";
    if (n <= c->size_large) return "large";
    return "extra_large";
}

const char *conf_msg_lang(const esis_conf *c, const char *lang, const char *key)
{
    if (!c || !c->messages) return key;
    char k[256];
    snprintf(k, sizeof k, "%s:%s", lang, key);
    const char *v = iniparser_getstring(c->messages, k, NULL);
    if (v) return v;
    snprintf(k, sizeof k, "%s:%s", strcmp(lang, "th") ? "th" : "en", key);
    v = iniparser_getstring(c->messages, k, NULL);
    return v ? v : key;
}

const char *conf_msg(const esis_conf *c, const char *key)
{
    return conf_msg_lang(c, c ? c->lang : "th", key);
}

static bool is_home(const char *dir)
{
    char p[PATH_MAX + 32];
    struct stat st;
    snprintf(p, sizeof p, "%s/conf/esis.ini", dir);
    return stat(p, &st) == 0;
}

char *conf_find_home(const char *argv0)
{
    const char *env = getenv("ESIS_HOME");
    if (env && *env) return strdup(env);
    (void)argv0;
    char exe[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n > 0) {
        exe[n] = '\0';
        char *slash = strrchr(exe, '/');
        if (slash) *slash = '\0';
        /* installed: <prefix>/bin/esis and <prefix>/share/esis;
         * built: <tree>/build/esis; or the tree itself (./esis link). */
        const char *rel[] = { "/../share/esis", "/..", "" };
        for (int i = 0; i < 3; i++) {
            char cand[PATH_MAX + 32];
            snprintf(cand, sizeof cand, "%s%s", exe, rel[i]);
            char real[PATH_MAX];
            if (realpath(cand, real) && is_home(real)) return strdup(real);
        }
    }
    return strdup(".");
}

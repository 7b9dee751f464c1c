/*
 * conf.c: reads conf/esis.ini, rounds.ini, rates.ini, codes.ini and
 * messages.ini with iniparser into an esis_conf, checking every value.
 *
 * Why check everything at start: a typo in a date or a threshold found in
 * the middle of a round would show up as wrong flags or wrong money; found at
 * start it is one line naming the file, section and key.
 */
#include "conf_internal.h"
#include "esis/strbuf.h"
#include "esis/text_locale.h"

#include <iniparser/iniparser.h>
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

/* iniparser reports syntax errors through a callback with no context; the
 * last one is kept here, touched only inside conf_ini_load. */
static _Thread_local char ini_error[512];

static int ini_errback(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(ini_error, sizeof ini_error, fmt, ap);
    va_end(ap);
    size_t len = strlen(ini_error);
    while (len && (ini_error[len - 1] == '\n')) ini_error[--len] = '\0';
    return n;
}

/* iniparser merges a section that appears twice into one, the later keys
 * silently winning (doc/probes.md, section 1), so a rule or a year pasted
 * twice would change behaviour without a word.  The file is read once
 * first, and a section seen twice (names folded as iniparser stores them:
 * ASCII lower case, spaces trimmed) is refused naming both lines. */
typedef struct conf_ini_sec { char *name; int line; } conf_ini_sec;

/* The section name of a "[name]" line, folded as iniparser does, or NULL. */
static char *conf_ini_section(const char *line)
{
    while (*line == ' ' || *line == '\t') line++;
    if (*line != '[') return NULL;
    const char *close = strchr(line, ']');
    if (!close) return NULL;
    line++;
    while (line < close && isspace((unsigned char)*line)) line++;
    while (close > line && isspace((unsigned char)close[-1])) close--;
    char *s = strndup(line, (size_t)(close - line));
    for (char *p = s; p && *p; p++) *p = (char)tolower((unsigned char)*p);
    return s;
}

static int conf_ini_prescan(FILE *fp, char *err, size_t errsz)
{
    conf_ini_sec *secs = NULL;
    int n = 0, cap = 0, lineno = 0, rc = 0;
    char line[1100];
    bool whole = true;
    while (rc == 0 && fgets(line, sizeof line, fp)) {
        bool starts = whole;           /* this piece starts a line */
        whole = strchr(line, '\n') != NULL;
        if (!starts) continue;
        lineno++;
        char *name = conf_ini_section(line);
        if (!name) continue;
        /* iniparser names a key "section:key", so a section "[a:b]" would
         * also be listed as a key of section "a", one without a value */
        if (strchr(name, ':')) {
            if (err) snprintf(err, errsz, "[%s] (line %d): a section name cannot hold ':'", name, lineno);
            rc = -1;
        }
        for (int i = 0; i < n && rc == 0; i++)
            if (!strcmp(secs[i].name, name)) {
                if (err) snprintf(err, errsz, "[%s]: the section appears twice (lines %d and %d)",
                                  name, secs[i].line, lineno);
                rc = -1;
            }
        if (rc == 0 && n == cap) {
            cap = cap ? cap * 2 : 32;
            conf_ini_sec *v = realloc(secs, sizeof *v * (size_t)cap);
            if (!v) { if (err) snprintf(err, errsz, "out of memory"); rc = -1; }
            else secs = v;
        }
        if (rc == 0) secs[n++] = (conf_ini_sec){ name, lineno };
        else free(name);
    }
    for (int i = 0; i < n; i++) free(secs[i].name);
    free(secs);
    return rc;
}

int conf_ini_unknown_key(void *dict, const char *section, const char *const *allowed,
                         const char *allowed_prefix, const char **unknown)
{
    *unknown = NULL;
    int n = iniparser_getsecnkeys(dict, section);
    if (n <= 0) return 0;
    const char **keys = calloc((size_t)n, sizeof *keys);
    if (!keys || !iniparser_getseckeys(dict, section, keys)) { free(keys); return -1; }
    size_t plen = strlen(section) + 1;
    size_t xlen = allowed_prefix ? strlen(allowed_prefix) : 0;
    for (int i = 0; i < n && !*unknown; i++) {
        const char *k = keys[i] + plen;
        bool ok = xlen && !strncmp(k, allowed_prefix, xlen) && k[xlen];
        for (int j = 0; allowed[j] && !ok; j++) ok = !strcmp(k, allowed[j]);
        if (!ok) *unknown = k;
    }
    free(keys);
    return 0;
}

void *conf_ini_load(const char *path, char *why, size_t whysz)
{
    FILE *fp = fopen(path, "r");
    if (!fp) {
        if (why) snprintf(why, whysz, "%s", strerror(errno));
        return NULL;
    }
    int dup = conf_ini_prescan(fp, why, whysz);
    fclose(fp);
    if (dup != 0) return NULL;
    ini_error[0] = '\0';
    iniparser_set_error_callback(ini_errback);
    dictionary *d = iniparser_load(path);
    iniparser_set_error_callback(NULL);
    if (!d && why) snprintf(why, whysz, "%s", ini_error[0] ? ini_error : "cannot be read or parsed");
    return d;
}

typedef struct loader {
    const char *home;
    char *err;
    size_t errsz;
    char file[64];          /* "conf/esis.ini" for messages */
    dictionary *origin;     /* esis.ini's keys set by a layer over it: key -> that file */
} loader;

static int fail(loader *L, const char *section, const char *key, const char *fmt, ...)
{
    char why[400];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(why, sizeof why, fmt, ap);
    va_end(ap);
    char k[256];
    snprintf(k, sizeof k, "%s:%s", section ? section : "", key ? key : "");
    const char *layer = key && L->origin ? iniparser_getstring(L->origin, k, NULL) : NULL;
    if (layer) snprintf(L->err, L->errsz, "%s [%s] %s: %s", layer, section, key, why);
    else if (key) snprintf(L->err, L->errsz, "%s [%s] %s: %s", L->file, section, key, why);
    else if (section) snprintf(L->err, L->errsz, "%s [%s]: %s", L->file, section, why);
    else snprintf(L->err, L->errsz, "%s: %s", L->file, why);
    return 2;
}

static dictionary *load_ini(loader *L, const char *name, bool required)
{
    char path[4096];
    snprintf(L->file, sizeof L->file, "conf/%s", name);
    snprintf(path, sizeof path, "%s/conf/%s", L->home, name);
    if (access(path, R_OK) != 0) {
        if (required) fail(L, NULL, NULL, "cannot read %s: %s", path, strerror(errno));
        return NULL;
    }
    char why[512];
    dictionary *d = conf_ini_load(path, why, sizeof why);
    if (!d) fail(L, NULL, NULL, "%s", why);
    return d;
}

static const char *get(dictionary *d, const char *sec, const char *key)
{
    char k[256];
    snprintf(k, sizeof k, "%s:%s", sec, key);
    return iniparser_getstring(d, k, NULL);
}

/* An integer setting in [lo, hi]; def when absent. */
static int get_int(loader *L, dictionary *d, const char *sec, const char *key, int def,
                   int lo, int hi, int *out)
{
    const char *v = get(d, sec, key);
    if (!v) { *out = def; return 0; }
    char *end;
    errno = 0;
    long n = strtol(v, &end, 10);
    if (errno || end == v || *end || n < lo || n > hi)
        return fail(L, sec, key, "'%s' is not a whole number from %d to %d", v, lo, hi);
    *out = (int)n;
    return 0;
}

static int get_double(loader *L, dictionary *d, const char *sec, const char *key, double def,
                      double lo, double hi, double *out)
{
    const char *v = get(d, sec, key);
    if (!v) { *out = def; return 0; }
    char *end;
    errno = 0;
    double n = strtod(v, &end);
    if (errno || end == v || *end || n < lo || n > hi)
        return fail(L, sec, key, "'%s' is not a number from %g to %g", v, lo, hi);
    *out = n;
    return 0;
}

static int get_bool(loader *L, dictionary *d, const char *sec, const char *key, bool def, bool *out)
{
    const char *v = get(d, sec, key);
    if (!v) { *out = def; return 0; }
    if (!strcasecmp(v, "yes") || !strcasecmp(v, "true") || !strcmp(v, "1") || !strcasecmp(v, "on")) *out = true;
    else if (!strcasecmp(v, "no") || !strcasecmp(v, "false") || !strcmp(v, "0") || !strcasecmp(v, "off")) *out = false;
    else return fail(L, sec, key, "'%s' is not yes or no", v);
    return 0;
}

static int get_str(loader *L, dictionary *d, const char *sec, const char *key, const char *def, char **out)
{
    const char *v = get(d, sec, key);
    *out = strdup(v ? v : def);
    return *out ? 0 : fail(L, sec, key, "out of memory");
}

/* ---- esis.ini ------------------------------------------------------- */

/* esis.ini: the packaged file, the layers over it (conf_layers.c), then
 * every value checked. */
static int load_settings(loader *L, const conf_layer *layers, int nlayers, esis_conf *c)
{
    dictionary *d = load_ini(L, "esis.ini", true);
    if (!d) return 2;
    int rc = 0;
    char *lang = NULL;
    if (!(L->origin = dictionary_new(0))) rc = fail(L, NULL, NULL, "out of memory");
    rc = rc ? rc : conf_layers_merge(d, L->origin, layers, nlayers, L->err, L->errsz);
    rc = rc ? rc : get_str(L, d, "database", "path", "/var/lib/esis/esis.db", &c->db_path);
    /* Relative: beside the file that named it, so that the caller's current
     * directory never chooses the database. */
    if (!rc) {
        char packaged[4200];
        snprintf(packaged, sizeof packaged, "%s/conf/esis.ini", L->home);
        const char *from = iniparser_getstring(L->origin, "database:path", NULL);
        if (conf_path_beside(from ? from : packaged, &c->db_path) != 0) rc = fail(L, NULL, NULL, "out of memory");
    }
    rc = rc ? rc : get_int(L, d, "database", "busy_timeout_ms", 10000, 100, 600000, &c->busy_timeout_ms);
    rc = rc ? rc : get_str(L, d, "display", "lang", "auto", &lang);
    if (!rc && strcmp(lang, "th") && strcmp(lang, "en") && strcmp(lang, "auto"))
        rc = fail(L, "display", "lang", "'%s' is not auto, th or en", lang);
    /* auto: the login's LANG / LC_MESSAGES (th* is Thai), Thai when it says
     * nothing (PuTTY sends no LANG); --lang still wins (app_open) */
    if (!rc) snprintf(c->lang, sizeof c->lang, "%s",
                      strcmp(lang, "auto") ? lang : text_locale_env_lang("th"));
    free(lang);
    rc = rc ? rc : get_bool(L, d, "display", "color", true, &c->color);
    rc = rc ? rc : get_str(L, d, "office", "name_th", "สำนักงานเขตพื้นที่การศึกษาประถมศึกษา", &c->office_name_th);
    rc = rc ? rc : get_str(L, d, "office", "name_en", "Primary Educational Service Area Office", &c->office_name_en);
    rc = rc ? rc : get_int(L, d, "thresholds", "size_small", 120, 1, 100000, &c->size_small);
    rc = rc ? rc : get_int(L, d, "thresholds", "size_medium", 600, 1, 100000, &c->size_medium);
    rc = rc ? rc : get_int(L, d, "thresholds", "size_large", 1500, 1, 100000, &c->size_large);
    if (!rc && !(c->size_small < c->size_medium && c->size_medium < c->size_large))
        rc = fail(L, "thresholds", "size_medium", "size_small < size_medium < size_large must hold (%d, %d, %d)",
                  c->size_small, c->size_medium, c->size_large);
    rc = rc ? rc : get_int(L, d, "thresholds", "too_young_years", 1, 0, 10, &c->too_young_years);
    rc = rc ? rc : get_int(L, d, "thresholds", "over_age_years", 2, 0, 20, &c->over_age_years);
    rc = rc ? rc : get_double(L, d, "thresholds", "students_per_teacher", 20, 1, 200, &c->students_per_teacher);
    rc = rc ? rc : get_str(L, d, "codes", "g_code_pattern", "^G[0-9]{12}$", &c->g_code_pattern);
    rc = rc ? rc : get_str(L, d, "codes", "school_code_pattern", "^[0-9]{10}$", &c->school_code_pattern);
    iniparser_freedict(d);
    if (L->origin) iniparser_freedict(L->origin);
    L->origin = NULL;
    return rc;
}

/* ---- rounds.ini ----------------------------------------------------- */

static const struct { const char *prefix; conf_collection coll; int number; const char *suffix; } ROUND_KINDS[] = {
    { "dmc1", COLL_DMC, 1, "1" }, { "dmc2", COLL_DMC, 2, "2" }, { "dmc3", COLL_DMC, 3, "3" },
    { "emis", COLL_EMIS, 0, "emis" }, { "bobec", COLL_BOBEC, 0, "bobec" },
};
enum { NKINDS = 5 };

/* "DD/MM" of the standard calendar, placed in the academic year: May to
 * December in its first calendar year, January to April in the next. */
static bool standard_date(const char *v, int year_be, text_date *out)
{
    int dd, mm;
    char tail;
    if (!v || sscanf(v, "%d/%d%c", &dd, &mm, &tail) != 2) return false;
    text_date d = { year_be - 543 + (mm <= 4 ? 1 : 0), mm, dd };
    if (!text_date_valid(d)) return false;
    *out = d;
    return true;
}

typedef struct standard_cal { char *v[NKINDS][3]; } standard_cal;
static const char *const DATE_KEYS[3] = { "as_of", "opens", "closes" };

static int load_rounds(loader *L, esis_conf *c)
{
    dictionary *d = load_ini(L, "rounds.ini", true);
    if (!d) return 2;
    int rc = 0;
    /* The standard calendar must be complete: it is what any unlisted year gets. */
    for (int k = 0; k < NKINDS && !rc; k++)
        for (int j = 0; j < 3 && !rc; j++) {
            char key[32];
            snprintf(key, sizeof key, "%s_%s", ROUND_KINDS[k].prefix, DATE_KEYS[j]);
            text_date t;
            const char *v = get(d, "standard", key);
            if (!v) rc = fail(L, "standard", key, "missing");
            else if (!standard_date(v, 2567, &t)) rc = fail(L, "standard", key, "'%s' is not DD/MM", v);
        }
    for (int s = 0; s < iniparser_getnsec(d) && !rc; s++) {
        const char *sec = iniparser_getsecname(d, s);
        if (!strcmp(sec, "standard")) continue;
        char *end;
        long year = strtol(sec, &end, 10);
        if (*end || year < 2400 || year > 2700) { rc = fail(L, sec, NULL, "section must be an academic year (BE), like [2568]"); break; }
        for (int k = 0; k < NKINDS && !rc; k++) {
            conf_round r;
            memset(&r, 0, sizeof r);
            bool any = false;
            for (int j = 0; j < 3 && !rc; j++) {
                char key[32];
                snprintf(key, sizeof key, "%s_%s", ROUND_KINDS[k].prefix, DATE_KEYS[j]);
                const char *v = get(d, sec, key);
                text_date t;
                if (!v) {
                    if (!standard_date(get(d, "standard", key), (int)year, &t)) rc = fail(L, "standard", key, "bad");
                } else {
                    any = true;
                    if (!text_date_parse(v, &t)) rc = fail(L, sec, key, "'%s' is not a date (DD/MM/YYYY, BE)", v);
                }
                if (j == 0) r.as_of = t; else if (j == 1) r.opens = t; else r.closes = t;
            }
            if (rc || !any) continue;
            if (text_date_to_days(r.opens) > text_date_to_days(r.closes)) {
                char key[32];
                snprintf(key, sizeof key, "%s_closes", ROUND_KINDS[k].prefix);
                rc = fail(L, sec, key, "closes before it opens");
                break;
            }
            r.year = (int)year;
            r.number = ROUND_KINDS[k].number;
            r.collection = ROUND_KINDS[k].coll;
            snprintf(r.code, sizeof r.code, "%ld-%s", year, ROUND_KINDS[k].suffix);
            conf_round *v = realloc(c->rounds, sizeof *v * (size_t)(c->nrounds + 1));
            if (!v) { rc = fail(L, sec, NULL, "out of memory"); break; }
            c->rounds = v;
            c->rounds[c->nrounds++] = r;
        }
    }
    /* Keep the standard calendar for years not listed. */
    if (!rc) {
        standard_cal *cal = calloc(1, sizeof *cal);
        if (!cal) rc = fail(L, NULL, NULL, "out of memory");
        for (int k = 0; k < NKINDS && !rc; k++)
            for (int j = 0; j < 3; j++) {
                char key[32];
                snprintf(key, sizeof key, "%s_%s", ROUND_KINDS[k].prefix, DATE_KEYS[j]);
                cal->v[k][j] = strdup(get(d, "standard", key));
            }
        c->standard = cal;
    }
    iniparser_freedict(d);
    return rc;
}

bool conf_round_get(const esis_conf *c, const char *code, conf_round *out)
{
    if (!code) return false;
    char *end;
    long year = strtol(code, &end, 10);
    if (end == code || *end != '-' || year < 2400 || year > 2700) return false;
    const char *suffix = end + 1;
    int k;
    for (k = 0; k < NKINDS; k++)
        if (!strcmp(suffix, ROUND_KINDS[k].suffix)) break;
    if (k == NKINDS) return false;
    for (int i = 0; i < c->nrounds; i++)
        if (!strcmp(c->rounds[i].code, code)) { *out = c->rounds[i]; return true; }
    const standard_cal *cal = c->standard;
    memset(out, 0, sizeof *out);
    snprintf(out->code, sizeof out->code, "%ld-%s", year, suffix);
    out->year = (int)year;
    out->number = ROUND_KINDS[k].number;
    out->collection = ROUND_KINDS[k].coll;
    if (!cal) return false;
    return standard_date(cal->v[k][0], (int)year, &out->as_of) &&
           standard_date(cal->v[k][1], (int)year, &out->opens) &&
           standard_date(cal->v[k][2], (int)year, &out->closes);
}

int conf_academic_year(text_date day)
{
    bool before_start = day.month < 5 || (day.month == 5 && day.day < 16);
    return day.year + 543 - (before_start ? 1 : 0);
}

void conf_round_current(const esis_conf *c, text_date day, conf_round *out)
{
    /* The DMC round whose window holds the day; otherwise the latest round
     * that opened before it (between windows, the office still works on the
     * last one). */
    long today = text_date_to_days(day);
    int year = conf_academic_year(day);
    conf_round best;
    bool have = false;
    for (int y = year - 1; y <= year; y++)
        for (int n = 1; n <= 3; n++) {
            char code[24];
            conf_round r;
            snprintf(code, sizeof code, "%d-%d", y, n);
            if (!conf_round_get(c, code, &r)) continue;
            if (today >= text_date_to_days(r.opens) && today <= text_date_to_days(r.closes)) { *out = r; return; }
            if (text_date_to_days(r.opens) <= today &&
                (!have || text_date_to_days(r.opens) > text_date_to_days(best.opens))) { best = r; have = true; }
        }
    if (have) *out = best;
    else conf_round_get(c, "2567-1", out);
}

int conf_load_settings_and_rounds(const char *home, const conf_layer *layers, int nlayers, esis_conf *c,
                                  char *err, size_t errsz)
{
    loader L = { home, err, errsz, "", NULL };
    int rc = load_settings(&L, layers, nlayers, c);
    return rc ? rc : load_rounds(&L, c);
}

/*
 * report_def: loading and checking the report definitions in
 * conf/reports/ *.ini (the format is in include/esis/report.h).
 *
 * Everything that can be wrong in a definition is found here, at start,
 * and named by file, section and key: an unknown section or key (a typo),
 * a bad align/width/format/total, a query SQLite will not prepare, a
 * parameter the report does not declare, a field that is not a column of
 * the query, a query the data layer's gate refuses (it reads around the
 * scoped views, or does more than read: esis/db_gate.h), a chart naming a
 * field no column shows.  A report that loads runs.
 */
#include "report_internal.h"
#include "esis/conf.h"
#include "esis/db.h"
#include "esis/db_gate.h"
#include "esis/strbuf.h"
#include "esis/text.h"

#include <dirent.h>
#include <errno.h>
#include <iniparser/iniparser.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

typedef struct loader {
    report_set *set;
    report_def *def;
    dictionary *ini;
    char       *err;
    size_t      errsz;
} loader;

static int fail(loader *L, const char *section, const char *key, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static int fail(loader *L, const char *section, const char *key, const char *fmt, ...)
{
    char why[600];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(why, sizeof why, fmt, ap);
    va_end(ap);
    if (key) snprintf(L->err, L->errsz, "%s [%s] %s: %s", L->def->path, section, key, why);
    else if (section) snprintf(L->err, L->errsz, "%s [%s]: %s", L->def->path, section, why);
    else snprintf(L->err, L->errsz, "%s: %s", L->def->path, why);
    return 2;
}

/* The value of section:key, or NULL when absent. */
static const char *get(loader *L, const char *section, const char *key)
{
    char k[128];
    snprintf(k, sizeof k, "%s:%s", section, key);
    return iniparser_getstring(L->ini, k, NULL);
}

/* Every key of the section must be one of `allowed` (NULL-terminated). */
static int check_keys(loader *L, const char *section, const char *const *allowed)
{
    const char *k;
    if (conf_ini_unknown_key(L->ini, section, allowed, NULL, &k)) return fail(L, section, NULL, "out of memory");
    return k ? fail(L, section, k, "unknown key") : 0;
}

static char *dup_or_empty(const char *s) { return strdup(s ? s : ""); }

/* ---- [report] --------------------------------------------------------- */

/* rounds = the collections whose rounds :round may be; by default the
 * report's own collection, any for the unit's reports. */
static int load_rounds(loader *L, const char *collection)
{
    static const char *const NAMES[] = { "dmc", "emis", "bobec" };
    const char *v = get(L, "report", "rounds");
    char words[128];
    snprintf(words, sizeof words, "%s", v ? v : !strcmp(collection, "unit") ? "dmc emis bobec" : collection);
    L->def->rounds = 0;
    for (char *save = NULL, *w = strtok_r(words, " ,\t", &save); w; w = strtok_r(NULL, " ,\t", &save)) {
        int k = 0;
        while (k < 3 && strcmp(w, NAMES[k])) k++;
        if (k == 3) return fail(L, "report", "rounds", "'%s' is not dmc, emis or bobec", w);
        L->def->rounds |= 1u << k;
    }
    return L->def->rounds ? 0 : fail(L, "report", "rounds", "name at least one of dmc, emis, bobec");
}

static int load_header(loader *L)
{
    static const char *const keys[] = { "title_th", "title_en", "description_th", "description_en",
                                        "collection", "rounds", "params", "query", "rates", NULL };
    report_def *d = L->def;
    if (iniparser_find_entry(L->ini, "report") == 0) return fail(L, "report", NULL, "the section is missing");
    int rc = check_keys(L, "report", keys);
    if (rc) return rc;
    const char *t = get(L, "report", "title_th");
    if (!t || !*t) return fail(L, "report", "title_th", "a title is required");
    d->title_th = strdup(t);
    d->title_en = dup_or_empty(get(L, "report", "title_en"));
    if (!*d->title_en) { free(d->title_en); d->title_en = strdup(t); }
    d->description_th = dup_or_empty(get(L, "report", "description_th"));
    d->description_en = dup_or_empty(get(L, "report", "description_en"));
    const char *c = get(L, "report", "collection");
    if (!c || (strcmp(c, "dmc") && strcmp(c, "emis") && strcmp(c, "bobec") && strcmp(c, "unit")))
        return fail(L, "report", "collection", "'%s' is not dmc, emis, bobec or unit", c ? c : "");
    d->collection = strdup(c);
    rc = load_rounds(L, c);
    if (rc) return rc;

    const char *p = get(L, "report", "params");
    char words[256];
    snprintf(words, sizeof words, "%s", p ? p : "");
    for (char *save = NULL, *w = strtok_r(words, " ,\t", &save); w; w = strtok_r(NULL, " ,\t", &save)) {
        if (!strcmp(w, "round")) d->params |= REPORT_P_ROUND;
        else if (!strcmp(w, "year")) d->params |= REPORT_P_YEAR;
        else if (!strcmp(w, "school")) d->params |= REPORT_P_SCHOOL;
        else if (!strcmp(w, "term")) d->params |= REPORT_P_TERM;
        else return fail(L, "report", "params", "'%s' is not round, year, term or school", w);
    }
    /* a term is a term of a year: without the year it means nothing */
    if ((d->params & REPORT_P_TERM) && !(d->params & REPORT_P_YEAR))
        return fail(L, "report", "params", "term needs year");
    const char *r = get(L, "report", "rates");
    if (r && strcmp(r, "yes") && strcmp(r, "no")) return fail(L, "report", "rates", "yes or no, not '%s'", r);
    d->rates = r && !strcmp(r, "yes");
    if (d->rates && !(d->params & (REPORT_P_TERM | REPORT_P_ROUND)))
        return fail(L, "report", "rates", "a report priced with conf/rates.ini takes a round or a term");
    return 0;
}

/* The query: [report] query, or the numbered lines of [query]. */
static int cmp_line_keys(const void *a, const void *b)
{
    const char *ka = strchr(*(const char *const *)a, ':') + 1;
    const char *kb = strchr(*(const char *const *)b, ':') + 1;
    return atoi(ka) - atoi(kb);
}

static int load_query(loader *L)
{
    const char *q = get(L, "report", "query");
    int n = iniparser_find_entry(L->ini, "query") ? iniparser_getsecnkeys(L->ini, "query") : 0;
    if (q && n > 0) return fail(L, "report", "query", "give the query either here or in [query], not both");
    if (q) {
        L->def->query = strdup(q);
        return L->def->query ? 0 : fail(L, "report", "query", "out of memory");
    }
    if (n <= 0) return fail(L, "report", "query", "the query is missing (query = ..., or a [query] section)");
    const char **keys = calloc((size_t)n, sizeof *keys);
    if (!keys) return fail(L, "query", NULL, "out of memory");
    iniparser_getseckeys(L->ini, "query", keys);
    for (int i = 0; i < n; i++) {
        const char *k = keys[i] + strlen("query:");
        char *end;
        long v = strtol(k, &end, 10);
        if (*end || v <= 0) {
            free(keys);
            return fail(L, "query", k, "lines of the query are numbered 1, 2, 3, ...");
        }
    }
    qsort(keys, (size_t)n, sizeof *keys, cmp_line_keys);
    strbuf sb = STRBUF_INIT;
    for (int i = 0; i < n; i++) {
        if (atoi(keys[i] + 6) != i + 1) {
            int rc = fail(L, "query", keys[i] + 6, "line %d is missing", i + 1);
            free(keys); strbuf_free(&sb);
            return rc;
        }
        strbuf_add(&sb, iniparser_getstring(L->ini, keys[i], ""));
        strbuf_addc(&sb, '\n');
    }
    free(keys);
    if (sb.failed) return fail(L, "query", NULL, "out of memory");
    L->def->query = strbuf_take(&sb);
    return 0;
}

/* ---- preparing the query: columns, parameters, scope ----------------- */

static int check_params(loader *L, sqlite3_stmt *st)
{
    static const struct { const char *name; unsigned needs; } PARAMS[] = {
        { ":round", REPORT_P_ROUND }, { ":prev_round", REPORT_P_ROUND }, { ":as_of", REPORT_P_ROUND },
        { ":year", REPORT_P_ROUND | REPORT_P_YEAR }, { ":school", REPORT_P_SCHOOL },
        { ":term", REPORT_P_TERM },
    };
    for (int i = 1; i <= sqlite3_bind_parameter_count(st); i++) {
        const char *name = sqlite3_bind_parameter_name(st, i);
        if (!name) return fail(L, "report", "query", "use named parameters (:round, :year, ...), not ?");
        bool known = false;
        for (size_t k = 0; k < sizeof PARAMS / sizeof PARAMS[0]; k++) {
            if (strcmp(name, PARAMS[k].name)) continue;
            known = true;
            if (!(L->def->params & PARAMS[k].needs))
                return fail(L, "report", "params", "the query uses %s but params does not declare %s", name,
                            PARAMS[k].needs & REPORT_P_SCHOOL ? "school" :
                            PARAMS[k].needs & REPORT_P_TERM ? "term" :
                            PARAMS[k].needs & REPORT_P_YEAR ? "round or year" : "round");
        }
        if (!known)
            return fail(L, "report", "query", "unknown parameter %s (known: :round :prev_round :as_of :year :term :school)", name);
    }
    return 0;
}

/* Prepared on the gate, under its authorizer: a query that reads outside
 * the scoped views, or does anything but read, is refused here, at load,
 * whatever the role of the session that loads it. */
static int prepare_query(loader *L, sqlite3_stmt **out)
{
    sqlite3_stmt *st = NULL;
    const char *tail = NULL;
    char why[512];
    int rc = db_gate_prepare(L->set->gate, L->def->query, &st, &tail, why, sizeof why);
    const char *sec = get(L, "report", "query") ? "report" : "query";
    const char *key = get(L, "report", "query") ? "query" : NULL;
    if (rc != SQLITE_OK || !st) {
        rc = fail(L, sec, key, "%s", st || rc != SQLITE_OK ? why : "the query is empty");
        goto done;
    }
    while (tail && (*tail == ' ' || *tail == '\n' || *tail == '\t' || *tail == ';')) tail++;
    if (tail && *tail) { rc = fail(L, sec, key, "one statement only (found more after ';')"); goto done; }
    if (sqlite3_column_count(st) == 0) { rc = fail(L, sec, key, "the query returns no columns"); goto done; }
    rc = check_params(L, st);
done:
    if (rc) { sqlite3_finalize(st); st = NULL; }
    *out = st;
    return rc;
}

/* ---- [col.N] and [chart] ---------------------------------------------- */

static int column_index(sqlite3_stmt *st, const char *field)
{
    for (int i = 0; i < sqlite3_column_count(st); i++)
        if (!strcasecmp(sqlite3_column_name(st, i), field)) return i;
    return -1;
}

static int parse_format(loader *L, const char *sec, report_column *c, const char *f)
{
    static const struct { const char *name; report_format fmt; } FORMATS[] = {
        { "int", REPORT_INT }, { "money", REPORT_MONEY }, { "percent", REPORT_PERCENT },
        { "decimal", REPORT_DECIMAL }, { "text", REPORT_TEXT }, { "date", REPORT_DATE },
    };
    c->decimals = 2;
    if (!f || !*f) { c->format = REPORT_TEXT; return 0; }
    if (!strncmp(f, "code:", 5)) {
        if (!conf_codes(L->set->conf, f + 5))
            return fail(L, sec, "format", "'%s' is not a code list of conf/codes.ini", f + 5);
        c->format = REPORT_CODE;
        c->code_list = strdup(f + 5);
        return 0;
    }
    if (!strncmp(f, "decimal:", 8)) {
        char *end;
        long n = strtol(f + 8, &end, 10);
        if (*end || n < 0 || n > 6) return fail(L, sec, "format", "'%s': decimal:N takes N from 0 to 6", f);
        c->format = REPORT_DECIMAL;
        c->decimals = (int)n;
        return 0;
    }
    for (size_t i = 0; i < sizeof FORMATS / sizeof FORMATS[0]; i++)
        if (!strcmp(f, FORMATS[i].name)) { c->format = FORMATS[i].fmt; return 0; }
    return fail(L, sec, "format", "'%s' is not int, money, percent, decimal, decimal:N, text, date or code:LIST", f);
}

static int load_column(loader *L, sqlite3_stmt *st, int n, report_column *c)
{
    static const char *const keys[] = { "field", "heading_th", "heading_en", "align", "width",
                                        "format", "total", NULL };
    char sec[32];
    snprintf(sec, sizeof sec, "col.%d", n);
    int rc = check_keys(L, sec, keys);
    if (rc) return rc;
    const char *field = get(L, sec, "field");
    if (!field || !*field) return fail(L, sec, "field", "a field is required");
    c->field = strdup(field);
    c->index = column_index(st, field);
    if (c->index < 0) return fail(L, sec, "field", "'%s' is not a column of the query", field);
    c->heading_th = dup_or_empty(get(L, sec, "heading_th"));
    c->heading_en = dup_or_empty(get(L, sec, "heading_en"));
    if (!*c->heading_th) return fail(L, sec, "heading_th", "a heading is required");
    if (!*c->heading_en) { free(c->heading_en); c->heading_en = strdup(c->heading_th); }
    if ((rc = parse_format(L, sec, c, get(L, sec, "format")))) return rc;
    bool numeric = c->format != REPORT_TEXT && c->format != REPORT_CODE && c->format != REPORT_DATE;
    const char *a = get(L, sec, "align");
    if (!a || !*a) c->align = numeric ? 'r' : 'l';
    else if (strlen(a) == 1 && strchr("lrc", a[0])) c->align = a[0];
    else return fail(L, sec, "align", "'%s' is not l, r or c", a);
    const char *w = get(L, sec, "width");
    char *end = NULL;
    long width = w ? strtol(w, &end, 10) : 0;
    if (!w || *end || width < 1 || width > 200)
        return fail(L, sec, "width", "'%s' is not a width from 1 to 200", w ? w : "");
    c->width = (int)width;
    const char *t = get(L, sec, "total");
    if (t && !strcmp(t, "sum")) {
        if (!numeric) return fail(L, sec, "total", "only a number column (int, money, decimal) can be summed");
        c->total = true;
        L->def->has_total = true;
    } else if (t && *t && strcmp(t, "none")) {
        return fail(L, sec, "total", "'%s' is not sum or none", t);
    }
    return 0;
}

static int find_shown(const report_def *d, const char *field)
{
    for (int i = 0; i < d->ncols; i++)
        if (!strcasecmp(d->cols[i].field, field)) return i;
    return -1;
}

static int load_chart(loader *L)
{
    static const char *const keys[] = { "label", "value", "kind", NULL };
    report_def *d = L->def;
    if (!iniparser_find_entry(L->ini, "chart")) return 0;
    int rc = check_keys(L, "chart", keys);
    if (rc) return rc;
    const char *kind = get(L, "chart", "kind");
    if (kind && *kind && strcmp(kind, "bar")) return fail(L, "chart", "kind", "'%s' is not bar", kind);
    const char *label = get(L, "chart", "label");
    if (!label || (d->chart.label = find_shown(d, label)) < 0)
        return fail(L, "chart", "label", "'%s' is not the field of a column", label ? label : "");
    const char *values = get(L, "chart", "value");
    char buf[512];
    snprintf(buf, sizeof buf, "%s", values ? values : "");
    d->chart.values = calloc((size_t)d->ncols, sizeof *d->chart.values);
    if (!d->chart.values) return fail(L, "chart", NULL, "out of memory");
    for (char *save = NULL, *w = strtok_r(buf, " ,\t", &save); w; w = strtok_r(NULL, " ,\t", &save)) {
        int i = find_shown(d, w);
        if (i < 0) return fail(L, "chart", "value", "'%s' is not the field of a column", w);
        const report_column *c = &d->cols[i];
        if (c->format == REPORT_TEXT || c->format == REPORT_CODE || c->format == REPORT_DATE)
            return fail(L, "chart", "value", "'%s' is not a number column", w);
        if (d->chart.nvalues < d->ncols) d->chart.values[d->chart.nvalues++] = i;
    }
    if (!d->chart.nvalues) return fail(L, "chart", "value", "name at least one number column");
    d->chart.present = true;
    return 0;
}

/* Sections: report, query, chart and col.1 .. col.N without gaps. */
static int count_columns(loader *L)
{
    int n = iniparser_getnsec(L->ini), max = 0, count = 0;
    for (int i = 0; i < n; i++) {
        const char *s = iniparser_getsecname(L->ini, i);
        if (!strcmp(s, "report") || !strcmp(s, "query") || !strcmp(s, "chart")) continue;
        char *end;
        long k = !strncmp(s, "col.", 4) ? strtol(s + 4, &end, 10) : 0;
        if (k <= 0 || k > 100 || *end) return -fail(L, s, NULL, "unknown section (report, query, col.N, chart)");
        count++;
        if (k > max) max = (int)k;
    }
    if (count != max) return -fail(L, "report", NULL, "columns are numbered [col.1] to [col.%d] without gaps", max);
    if (!count) return -fail(L, "col.1", NULL, "a report shows at least one column");
    return count;
}

static int load_def(loader *L)
{
    int rc = load_header(L);
    if (!rc) rc = load_query(L);
    if (rc) return rc;
    int n = count_columns(L);
    if (n < 0) return -n;
    sqlite3_stmt *st = NULL;
    if ((rc = prepare_query(L, &st))) return rc;
    L->def->cols = calloc((size_t)n, sizeof *L->def->cols);
    if (!L->def->cols) rc = fail(L, NULL, NULL, "out of memory");
    for (int i = 0; i < n && !rc; i++) {
        L->def->ncols = i + 1;
        rc = load_column(L, st, i + 1, &L->def->cols[i]);
    }
    sqlite3_finalize(st);
    if (!rc) rc = load_chart(L);
    return rc;
}

/* ---- the set ---------------------------------------------------------- */

static void def_free(report_def *d)
{
    for (int i = 0; i < d->ncols; i++) {
        report_column *c = &d->cols[i];
        free(c->field); free(c->heading_th); free(c->heading_en); free(c->code_list);
    }
    free(d->cols);
    free(d->chart.values);
    free(d->name); free(d->path); free(d->title_th); free(d->title_en);
    free(d->description_th); free(d->description_en); free(d->collection); free(d->query);
}

void report_set_free(report_set *set)
{
    if (!set) return;
    for (int i = 0; i < set->ndefs; i++) def_free(&set->defs[i]);
    free(set->defs);
    db_gate_close(set->gate);
    free(set);
}

static int cmp_name(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The *.ini names in dir, sorted; NULL-terminated, caller frees. */
static char **list_files(const char *dir, int *n)
{
    DIR *dp = opendir(dir);
    if (!dp) return NULL;
    char **v = NULL;
    int cap = 0;
    *n = 0;
    struct dirent *e;
    while ((e = readdir(dp))) {
        size_t len = strlen(e->d_name);
        if (len < 5 || strcmp(e->d_name + len - 4, ".ini") || e->d_name[0] == '.') continue;
        if (*n + 1 >= cap) {
            cap = cap ? cap * 2 : 16;
            char **nv = realloc(v, (size_t)cap * sizeof *v);
            if (!nv) break;
            v = nv;
        }
        v[(*n)++] = strdup(e->d_name);
    }
    closedir(dp);
    if (!v) v = calloc(1, sizeof *v);
    else v[*n] = NULL;
    if (v) qsort(v, (size_t)*n, sizeof *v, cmp_name);
    return v;
}

/* "conf/reports/x.ini" when dir is a conf/reports directory, else dir/x.ini. */
static char *display_path(const char *dir, const char *file)
{
    size_t dl = strlen(dir);
    while (dl > 1 && dir[dl - 1] == '/') dl--;
    const char *tail = "conf/reports";
    size_t tl = strlen(tail);
    strbuf sb = STRBUF_INIT;
    if (dl >= tl && !strncmp(dir + dl - tl, tail, tl) && (dl == tl || dir[dl - tl - 1] == '/'))
        strbuf_addf(&sb, "%s/%s", tail, file);
    else
        strbuf_addf(&sb, "%.*s/%s", (int)dl, dir, file);
    return strbuf_take(&sb);
}

int report_load_dir(sqlite3 *db, const esis_conf *conf, const char *dir,
                    report_set **out, char *err, size_t errsz)
{
    *out = NULL;
    report_set *set = calloc(1, sizeof *set);
    if (!set) { snprintf(err, errsz, "out of memory"); return 1; }
    set->db = db;
    set->conf = conf;
    if (db_gate_open(db, db_session_get(db), DB_GATE_MASK, &set->gate, err, errsz) != SQLITE_OK) {
        free(set);
        return 1;
    }
    if (!report_sqlfn_ensure(db_gate_handle(set->gate), conf, conf->lang)) {
        snprintf(err, errsz, "cannot register the report functions: %s",
                 sqlite3_errmsg(db_gate_handle(set->gate)));
        report_set_free(set);
        return 1;
    }
    int n = 0, rc = 0;
    char **files = list_files(dir, &n);
    if (!files) {
        snprintf(err, errsz, "%s: %s", dir, strerror(errno));
        report_set_free(set);
        return 2;
    }
    set->defs = calloc((size_t)n + 1, sizeof *set->defs);
    if (!set->defs) { snprintf(err, errsz, "out of memory"); rc = 1; }
    for (int i = 0; i < n && !rc; i++) {
        report_def *d = &set->defs[set->ndefs++];
        d->name = strndup(files[i], strlen(files[i]) - 4);
        d->path = display_path(dir, files[i]);
        char full[4096];
        snprintf(full, sizeof full, "%s/%s", dir, files[i]);
        char why[512];
        dictionary *ini = conf_ini_load(full, why, sizeof why);
        loader L = { set, d, ini, err, errsz };
        if (!ini) rc = fail(&L, NULL, NULL, "%s", why);
        else rc = load_def(&L);
        iniparser_freedict(ini);
    }
    for (int i = 0; i < n; i++) free(files[i]);
    free(files);
    if (rc) { report_set_free(set); return rc; }
    *out = set;
    return 0;
}

const report_def *report_find(const report_set *set, const char *name)
{
    for (int i = 0; set && name && i < set->ndefs; i++)
        if (!strcmp(set->defs[i].name, name)) return &set->defs[i];
    return NULL;
}

static bool is_en(const char *lang) { return lang && !strcmp(lang, "en"); }

const char *report_title(const report_def *rep, const char *lang)
{
    return is_en(lang) ? rep->title_en : rep->title_th;
}

const char *report_description(const report_def *rep, const char *lang)
{
    return is_en(lang) && *rep->description_en ? rep->description_en : rep->description_th;
}

const char *report_heading(const report_column *col, const char *lang)
{
    return is_en(lang) ? col->heading_en : col->heading_th;
}

/*
 * rules_load: reads conf/rules/<name>.ini into a rules_set.
 *
 * Files are read in name order, one rule per section, with iniparser.  A
 * rule file is written by office staff, so every mistake must stop the load
 * with a message that says where it is: the file, the rule, the key, and
 * for expressions the column ("conf/rules/dmc.ini: [dmc.id_valid] check:
 * column 17: unknown field 'citizn_id'").  Nothing is half-loaded: the
 * first error frees what was built and returns NULL.
 *
 * iniparser reports its own syntax errors through a process-wide callback
 * with no user pointer; rather than keep a global buffer for it, the file
 * is first scanned here for the two mistakes iniparser refuses (a line over
 * 1024 bytes, a line with no '='), so those get a line number, and the
 * callback is silenced only for the duration of the load.
 *
 * The patterns g_code_ok() and matches_conf() use come from conf/esis.ini
 * ([codes] g_code_pattern, school_code_pattern), not from rule files.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <iniparser/iniparser.h>
#include <sqlite3.h>
#include "rules_internal.h"
#include "esis/conf.h"
#include "esis/db_gate.h"

#define INI_LINE_MAX 1024

typedef struct loader {
    rules_set        *rs;
    const esis_schema *schema;
    const esis_conf  *conf;
    sqlite3          *db;
    db_gate          *gate;     /* where query rules are prepared: opened at the first */
    const char       *file;
    const char       *rule;
    char             *err;
    size_t            errsz;
} loader;

static int load_fail(loader *L, const char *key, const char *what)
{
    if (L->rule && key)
        snprintf(L->err, L->errsz, "%s: [%s] %s: %s", L->file, L->rule, key, what);
    else if (L->rule)
        snprintf(L->err, L->errsz, "%s: [%s] %s", L->file, L->rule, what);
    else
        snprintf(L->err, L->errsz, "%s: %s", L->file, what);
    return -1;
}

/* The mistakes iniparser refuses without saying where, found first. */
static int prescan(loader *L)
{
    FILE *fp = fopen(L->file, "r");
    if (!fp)
        return load_fail(L, NULL, "cannot be read");
    char line[4 * INI_LINE_MAX];
    int lineno = 0, joined = 0, rc = 0;
    char msg[160];
    while (rc == 0 && fgets(line, sizeof line, fp)) {
        lineno++;
        size_t n = strlen(line);
        bool whole = n > 0 && line[n - 1] == '\n';
        while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
            line[--n] = '\0';
        if (!whole && !feof(fp)) {
            snprintf(msg, sizeof msg, "line %d: longer than %d bytes", lineno, INI_LINE_MAX - 1);
            rc = load_fail(L, NULL, msg);
            break;
        }
        bool cont = n > 0 && line[n - 1] == '\\';
        joined = (joined ? joined : 0) + (int)n;
        if (joined >= INI_LINE_MAX - 1) {
            snprintf(msg, sizeof msg, "line %d: longer than %d bytes (continuations count)",
                     lineno, INI_LINE_MAX - 1);
            rc = load_fail(L, NULL, msg);
            break;
        }
        const char *s = line;
        while (*s == ' ' || *s == '\t')
            s++;
        if (!cont && *s && *s != ';' && *s != '#' && *s != '[' && !strchr(s, '=') &&
            joined == (int)n) {
            snprintf(msg, sizeof msg, "line %d: no '=' in \"%.60s\"", lineno, s);
            rc = load_fail(L, NULL, msg);
        }
        joined = cont ? joined : 0;
    }
    fclose(fp);
    return rc;
}

/* Name lookups over the schema (record.h's schema_table/schema_col do the
 * same; kept here so the loader depends only on the schema's shape). */
static const esis_table *find_table(const esis_schema *s, const char *name)
{
    for (int i = 0; s && i < s->ntables; i++)
        if (strcmp(s->tables[i].name, name) == 0)
            return &s->tables[i];
    return NULL;
}

static int find_col(const esis_table *t, const char *name)
{
    for (int i = 0; i < t->ncols; i++)
        if (strcasecmp(t->cols[i], name) == 0)
            return i;
    return -1;
}

static char *dupstr(const char *s)
{
    return s ? strdup(s) : NULL;
}

/* ---- message templates ------------------------------------------------- */

static int msg_push(rules_msg *m, rules_part p)
{
    rules_part *v = realloc(m->parts, (size_t)(m->nparts + 1) * sizeof *v);
    if (!v) { free(p.text); return -1; }
    m->parts = v;
    m->parts[m->nparts++] = p;
    return 0;
}

static int msg_compile(loader *L, rules_rule *r, const char *key, const char *src,
                       rules_msg *m)
{
    m->src = dupstr(src);
    const char *p = src;
    while (*p) {
        const char *open = strchr(p, '{');
        size_t n = open ? (size_t)(open - p) : strlen(p);
        if (n && msg_push(m, (rules_part){ .kind = PART_TEXT, .text = strndup(p, n) }) < 0)
            return load_fail(L, key, "out of memory");
        if (!open)
            break;
        const char *close = strchr(open, '}');
        if (!close)
            return load_fail(L, key, "'{' without '}'");
        char name[64];
        snprintf(name, sizeof name, "%.*s", (int)(close - open - 1), open + 1);
        rules_part part = { PART_TEXT, -1, NULL, NULL, strcmp(key, "message_en") == 0 };
        char *colon = strchr(name, ':');
        if (colon) {                          /* {grade:grade}: shown as the list's label */
            *colon = '\0';
            if (!L->conf || !(part.codes = conf_codes(L->conf, colon + 1))) {
                char what[160];
                snprintf(what, sizeof what, "unknown code list '%s' in {%s:%s}", colon + 1, name, colon + 1);
                return load_fail(L, key, what);
            }
        }
        if (strcmp(name, "value") == 0) part.kind = PART_VALUE;
        else if (strcmp(name, "field") == 0) part.kind = PART_FIELD;
        else if (r->query && strcmp(name, "key") == 0) part.kind = PART_KEY;
        else if (r->query && strcmp(name, "school_code") == 0) part.kind = PART_SCHOOL;
        else if (!r->query) {
            for (int i = 0; i < r->nlets && part.index < 0; i++)
                if (strcmp(r->lets[i].name, name) == 0) { part.kind = PART_LET; part.index = i; }
            if (part.index < 0 && (part.index = find_col(r->table, name)) >= 0)
                part.kind = PART_COLUMN;
        }
        if (part.kind == PART_TEXT) {
            char what[256];
            snprintf(what, sizeof what, "unknown placeholder {%s}%s", name,
                     r->query ? " (a query rule knows {value} {key} {school_code} {field})" : "");
            return load_fail(L, key, what);
        }
        if (msg_push(m, part) < 0)
            return load_fail(L, key, "out of memory");
        p = close + 1;
    }
    return 0;
}

/* ---- one rule ------------------------------------------------------------ */

static const char *const KNOWN_KEYS[] = {
    "table", "severity", "fields", "when", "check", "query", "message_th",
    "message_en", "enabled", "from_year", "note", "across_schools", "like", NULL
};

static int check_keys(loader *L, dictionary *d, const char *sec)
{
    if (iniparser_getsecnkeys(d, sec) <= 0)
        return load_fail(L, NULL, "has no keys");
    const char *k;
    if (conf_ini_unknown_key(d, sec, KNOWN_KEYS, "let_", &k))
        return load_fail(L, NULL, "out of memory");
    return k ? load_fail(L, k, "unknown key") : 0;
}

static const char *get(dictionary *d, const char *sec, const char *key)
{
    char full[256];
    snprintf(full, sizeof full, "%s:%s", sec, key);
    const char *v = iniparser_getstring(d, full, NULL);
    return v && *v ? v : NULL;
}

static int compile_expr(loader *L, rules_rule *r, const char *key, const char *src,
                        expr **out)
{
    expr_scope scope = { .table = r->table, .conf = L->conf, .lets = r->lets,
                         .nlets = r->nlets, .g_code_pattern = L->conf ? L->conf->g_code_pattern : NULL };
    char why[256];
    *out = expr_compile(src, &scope, why, sizeof why);
    return *out ? 0 : load_fail(L, key, why);
}

/* The let_ values of sec, in the order they are written (a let may use
 * the lets before it); with `like` (the rule it is like, or NULL) the lets
 * of like come first, in its order, each replaced in place where sec sets
 * the same name, then those only sec sets. */
static int compile_lets(loader *L, dictionary *d, const char *sec, const char *like,
                        rules_rule *r)
{
    int ns = iniparser_getsecnkeys(d, sec), nl = like ? iniparser_getsecnkeys(d, like) : 0;
    int n = ns + (nl > 0 ? nl : 0);
    const char **keys = calloc((size_t)n + 1, sizeof *keys);
    if (!keys || (nl > 0 && !iniparser_getseckeys(d, like, keys)) ||
        !iniparser_getseckeys(d, sec, keys + (nl > 0 ? nl : 0))) {
        free(keys);
        return load_fail(L, NULL, "out of memory");
    }
    r->lets = calloc((size_t)n + 1, sizeof *r->lets);
    r->let_srcs = calloc((size_t)n + 1, sizeof *r->let_srcs);
    int rc = r->lets && r->let_srcs ? 0 : load_fail(L, NULL, "out of memory");
    for (int i = 0; i < n && rc == 0; i++) {
        const char *from = i < nl ? like : sec;
        const char *k = keys[i] + strlen(from) + 1;
        if (strncmp(k, "let_", 4) != 0 || (i >= nl && like && get(d, like, k)))
            continue;
        const char *own = i < nl ? get(d, sec, k) : NULL;
        const char *src = own ? own : iniparser_getstring(d, keys[i], "");
        expr *e;
        if ((rc = compile_expr(L, r, k, src, &e)) < 0)
            break;
        r->lets[r->nlets].name = strdup(k + 4);
        r->lets[r->nlets].e = e;
        r->let_srcs[r->nlets++] = strdup(src);
    }
    free(keys);
    return rc;
}

static int parse_fields(loader *L, rules_rule *r, const char *src)
{
    r->field_col = -1;
    if (!src)
        return 0;
    char *copy = strdup(src);
    char *save = NULL;
    int rc = 0;
    for (char *t = strtok_r(copy, " \t,", &save); t && rc == 0; t = strtok_r(NULL, " \t,", &save)) {
        int col = find_col(r->table, t);
        if (col < 0) {
            char what[256];
            snprintf(what, sizeof what, "unknown field '%s' in table %s", t, r->table->name);
            rc = load_fail(L, "fields", what);
            break;
        }
        char **v = realloc(r->fields, (size_t)(r->nfields + 1) * sizeof *v);
        if (!v) { rc = load_fail(L, "fields", "out of memory"); break; }
        r->fields = v;
        r->fields[r->nfields++] = strdup(t);
        if (r->field_col < 0)
            r->field_col = col;
    }
    free(copy);
    return rc;
}

/* A query rule must prepare on the data layer's gate (it runs there: read
 * only, through the scoped views; esis/db_gate.h), be one statement and
 * return row_id, school_code, key, value.  A rule that reads around the
 * views or does more than read is refused here, at load. */
static int check_query(loader *L, rules_rule *r)
{
    if (!L->db)
        return 0;
    char why[512];
    if (!L->gate && db_gate_open(L->db, NULL, 0, &L->gate, why, sizeof why) != SQLITE_OK)
        return load_fail(L, "query", why);
    sqlite3_stmt *st = NULL;
    const char *tail = NULL;
    if (db_gate_prepare(L->gate, r->query, &st, &tail, why, sizeof why) != SQLITE_OK)
        return load_fail(L, "query", why);
    if (!st)
        return load_fail(L, "query", "the query is empty");
    static const char *const want[] = { "row_id", "school_code", "key", "value" };
    int rc = 0;
    while (tail && (*tail == ' ' || *tail == '\n' || *tail == '\t' || *tail == ';')) tail++;
    if (tail && *tail)
        rc = load_fail(L, "query", "one statement only (found more after ';')");
    else if (sqlite3_column_count(st) != 4)
        rc = load_fail(L, "query", "must return 4 columns: row_id, school_code, key, value");
    for (int i = 0; rc == 0 && i < 4; i++)
        if (strcmp(sqlite3_column_name(st, i), want[i]) != 0)
            rc = load_fail(L, "query", "must return 4 columns: row_id, school_code, key, value");
    for (int i = 1; rc == 0 && i <= sqlite3_bind_parameter_count(st); i++) {
        const char *p = sqlite3_bind_parameter_name(st, i);
        double v;
        bool setting = p && !strncmp(p, ":conf_", 6) && L->conf && conf_number(L->conf, p + 6, &v);
        if (!p || (!setting && strcmp(p, ":round") && strcmp(p, ":school") && strcmp(p, ":year") &&
                   strcmp(p, ":as_of") && strcmp(p, ":prev_round"))) {
            char what[256];
            snprintf(what, sizeof what, "unknown parameter %s (known: :round :school :year"
                     " :as_of :prev_round :conf_NAME)", p ? p : "?");
            rc = load_fail(L, "query", what);
        }
    }
    sqlite3_finalize(st);
    return rc;
}

static int load_rule(loader *L, dictionary *d, const char *sec, rules_rule *r)
{
    r->id = strdup(sec);
    r->file = strdup(L->file);
    r->enabled = true;
    if (check_keys(L, d, sec) < 0)
        return -1;
    /* like = RULE: the table, fields, when and let_ values of an earlier
     * record rule of the same file, where this one does not set them (the
     * four age rules share how they count the age and differ in the band
     * they flag, their severity and their message) */
    const char *like = get(d, sec, "like");
    if (like) {
        const rules_rule *base = NULL;
        for (int i = 0; i < L->rs->n && !base; i++)
            if (!strcmp(L->rs->v[i].id, like) && !strcmp(L->rs->v[i].file, L->file)) base = &L->rs->v[i];
        if (!base || !base->check || get(d, like, "like"))
            return load_fail(L, "like", "must name a record rule above it in the same file, itself like no other");
    }
    const char *table = get(d, sec, "table");
    if (!table && like) table = get(d, like, "table");
    if (!table)
        return load_fail(L, "table", "missing");
    if (!(r->table = find_table(L->schema, table))) {
        char what[256];
        snprintf(what, sizeof what, "unknown table '%s'", table);
        return load_fail(L, "table", what);
    }
    const char *sev = get(d, sec, "severity");
    if (!sev)
        return load_fail(L, "severity", "missing (error or warning)");
    if (strcmp(sev, "error") == 0) r->severity = RULES_ERROR;
    else if (strcmp(sev, "warning") == 0) r->severity = RULES_WARNING;
    else {
        char what[256];
        snprintf(what, sizeof what, "'%.60s' is neither error nor warning", sev);
        return load_fail(L, "severity", what);
    }
    const char *en = get(d, sec, "enabled");
    if (en) {
        if (!strcasecmp(en, "yes") || !strcasecmp(en, "true") || !strcmp(en, "1")) r->enabled = true;
        else if (!strcasecmp(en, "no") || !strcasecmp(en, "false") || !strcmp(en, "0")) r->enabled = false;
        else return load_fail(L, "enabled", "must be yes or no");
    }
    const char *across = get(d, sec, "across_schools");
    if (across) {
        if (!strcasecmp(across, "yes")) r->across_schools = true;
        else if (strcasecmp(across, "no")) return load_fail(L, "across_schools", "must be yes or no");
        if (!get(d, sec, "query"))
            return load_fail(L, "across_schools", "only a query rule reads other schools' rows");
    }
    const char *fy = get(d, sec, "from_year");
    if (fy) {
        char *end;
        long y = strtol(fy, &end, 10);
        if (*end || y < 2400 || y > 2700)
            return load_fail(L, "from_year", "must be an academic year in the Buddhist Era (2567)");
        r->from_year = (int)y;
    }
    r->note = dupstr(get(d, sec, "note"));
    const char *fields = get(d, sec, "fields");
    if (parse_fields(L, r, fields || !like ? fields : get(d, like, "fields")) < 0)
        return -1;
    const char *check = get(d, sec, "check"), *query = get(d, sec, "query");
    if (check && query)
        return load_fail(L, NULL, "has both check and query: a rule is one or the other");
    if (!check && !query)
        return load_fail(L, NULL, "needs a check (record rule) or a query (SQL)");
    const char *when = get(d, sec, "when");
    if (!when && like) when = get(d, like, "when");
    if (query && like)
        return load_fail(L, "like", "only a record rule can be like another");
    if (query) {
        r->query = strdup(query);
        if (when)
            return load_fail(L, "when", "a query rule says its conditions in SQL");
        if (check_query(L, r) < 0)
            return -1;
    } else {
        r->check_src = strdup(check);
        r->when_src = dupstr(when);
        if (compile_lets(L, d, sec, like, r) < 0 ||
            (when && compile_expr(L, r, "when", when, &r->when) < 0) ||
            compile_expr(L, r, "check", check, &r->check) < 0)
            return -1;
    }
    const char *th = get(d, sec, "message_th"), *enm = get(d, sec, "message_en");
    if (!th)
        return load_fail(L, "message_th", "missing");
    if (!enm)
        return load_fail(L, "message_en", "missing");
    if (msg_compile(L, r, "message_th", th, &r->msg_th) < 0 ||
        msg_compile(L, r, "message_en", enm, &r->msg_en) < 0)
        return -1;
    return 0;
}

/* ---- files ---------------------------------------------------------------- */

static int load_file(loader *L, dictionary *d)
{
    for (int s = 0; s < iniparser_getnsec(d); s++) {
        const char *sec = iniparser_getsecname(d, s);
        L->rule = sec;
        for (int i = 0; i < L->rs->n; i++)
            if (strcmp(L->rs->v[i].id, sec) == 0) {
                char what[300];
                snprintf(what, sizeof what, "is defined twice (also in %s)", L->rs->v[i].file);
                return load_fail(L, NULL, what);
            }
        if (L->rs->n == L->rs->cap) {
            int cap = L->rs->cap ? L->rs->cap * 2 : 32;
            rules_rule *v = realloc(L->rs->v, (size_t)cap * sizeof *v);
            if (!v)
                return load_fail(L, NULL, "out of memory");
            L->rs->v = v;
            L->rs->cap = cap;
        }
        rules_rule *r = &L->rs->v[L->rs->n++];
        memset(r, 0, sizeof *r);
        if (load_rule(L, d, sec, r) < 0)
            return -1;
    }
    L->rule = NULL;
    return 0;
}

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static int list_files(loader *L, const char *dir)
{
    DIR *dp = opendir(dir);
    if (!dp) {
        L->file = dir;
        return load_fail(L, NULL, "cannot open the rules directory");
    }
    struct dirent *de;
    while ((de = readdir(dp))) {
        size_t n = strlen(de->d_name);
        if (n < 5 || strcmp(de->d_name + n - 4, ".ini") != 0 || de->d_name[0] == '.')
            continue;
        char **v = realloc(L->rs->files, (size_t)(L->rs->nfiles + 1) * sizeof *v);
        char *path = malloc(strlen(dir) + n + 2);
        if (!v || !path) {
            free(path);
            if (v) L->rs->files = v;
            closedir(dp);
            return load_fail(L, NULL, "out of memory");
        }
        sprintf(path, "%s/%s", dir, de->d_name);
        L->rs->files = v;
        L->rs->files[L->rs->nfiles++] = path;
    }
    closedir(dp);
    qsort(L->rs->files, (size_t)L->rs->nfiles, sizeof *L->rs->files, by_name);
    return 0;
}

rules_set *rules_load(const char *dir, const esis_schema *schema,
                      const struct esis_conf *conf, struct sqlite3 *db,
                      char *err, size_t errsz)
{
    rules_set *rs = calloc(1, sizeof *rs);
    if (rs) rs->conf = conf;
    if (!rs) {
        snprintf(err, errsz, "%s: out of memory", dir);
        return NULL;
    }
    loader L = { .rs = rs, .schema = schema, .conf = conf, .db = db,
                 .err = err, .errsz = errsz, .file = dir };
    dictionary **dicts = NULL;
    int rc = list_files(&L, dir);
    if (rc == 0 && !(dicts = calloc((size_t)rs->nfiles + 1, sizeof *dicts)))
        rc = load_fail(&L, NULL, "out of memory");
    for (int i = 0; rc == 0 && i < rs->nfiles; i++) {
        L.file = rs->files[i];
        if ((rc = prescan(&L)) < 0)
            break;
        char why[512];
        dicts[i] = conf_ini_load(L.file, why, sizeof why);
        if (!dicts[i])
            rc = load_fail(&L, NULL, why);
    }
    for (int i = 0; rc == 0 && i < rs->nfiles; i++) {
        L.file = rs->files[i];
        rc = load_file(&L, dicts[i]);
    }
    for (int i = 0; dicts && i < rs->nfiles; i++)
        if (dicts[i])
            iniparser_freedict(dicts[i]);
    free(dicts);
    db_gate_close(L.gate);
    if (rc < 0) {
        rules_free(rs);
        return NULL;
    }
    return rs;
}

static void msg_free(rules_msg *m)
{
    for (int i = 0; i < m->nparts; i++)
        free(m->parts[i].text);
    free(m->parts);
    free(m->src);
}

void rules_free(rules_set *rs)
{
    if (!rs)
        return;
    for (int i = 0; i < rs->n; i++) {
        rules_rule *r = &rs->v[i];
        free(r->id); free(r->file);
        for (int k = 0; k < r->nfields; k++) free(r->fields[k]);
        free(r->fields);
        free(r->when_src); free(r->check_src); free(r->query); free(r->note);
        expr_free(r->when); expr_free(r->check);
        for (int k = 0; k < r->nlets; k++) {
            free((char *)r->lets[k].name);
            expr_free((expr *)r->lets[k].e);
            free(r->let_srcs[k]);
        }
        free(r->lets); free(r->let_srcs);
        msg_free(&r->msg_th); msg_free(&r->msg_en);
    }
    free(rs->v);
    for (int i = 0; i < rs->nfiles; i++) free(rs->files[i]);
    free(rs->files);
    free(rs);
}

/*
 * mapping: how a CSV file of one kind maps onto a table, read from
 * conf/import/<kind>.ini, and the value normalisers.
 *
 *   [import]
 *   table = students
 *
 *   [citizen_id]                      ; a canonical column, in export order
 *   column    = citizen_id            ; the table's column (default: the name)
 *   aliases   = เลขประจำตัวประชาชน | เลขบัตรประชาชน | citizen id | id
 *   required  = yes
 *   normalise = digits                ; text upper digits int real date code:<list>
 *
 * Why a file per kind: the spreadsheets schools send are typed by people in
 * Thai or English, with headers like "เลขประจำตัวประชาชน" or "Citizen ID";
 * a new alias is an edit in conf/, not in C.  The order of the sections is
 * the canonical header, so export and import agree by construction.
 *
 * Header names are compared with ASCII case, spaces, dashes and underscores
 * ignored ("First name" = "first_name" = "FIRST-NAME"); Thai is compared as
 * is.
 */
#include "esis/io.h"
#include "esis/conf.h"
#include "esis/norm.h"
#include "esis/text.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdbool.h>
#include <iniparser/iniparser.h>
#include <stdlib.h>
#include <string.h>

static char *dup_or_null(const char *s, bool *oom)
{
    if (!s) return NULL;
    char *d = strdup(s);
    if (!d) *oom = true;
    return d;
}

/* Split "a | b | c" into trimmed, non-empty strings. */
static int split_aliases(const char *s, io_column *c)
{
    char *copy = strdup(s);
    if (!copy) return -1;
    int n = 1;
    for (const char *p = s; *p; p++) n += *p == '|';
    c->aliases = calloc((size_t)n, sizeof *c->aliases);
    if (!c->aliases) { free(copy); return -1; }
    char *save = NULL;
    for (char *t = strtok_r(copy, "|", &save); t; t = strtok_r(NULL, "|", &save)) {
        text_trim(t);
        if (!*t) continue;
        if (!(c->aliases[c->naliases] = strdup(t))) { free(copy); return -1; }
        c->naliases++;
    }
    free(copy);
    return 0;
}

static int parse_norm(const char *s, io_column *c)
{
    const char *list = NULL;
    if (norm_kind_parse(s, &c->norm, &list) != 0) return 1;
    if (list && !(c->code_list = strdup(list))) return -1;
    return 0;
}

static bool kind_ok(const char *kind)
{
    if (!kind || !*kind || strlen(kind) > 40) return false;
    for (const char *p = kind; *p; p++)
        if (!islower((unsigned char)*p) && !isdigit((unsigned char)*p) && *p != '-' && *p != '_')
            return false;
    return true;
}

static int load_column(dictionary *d, const char *sec, io_column *c,
                       const char *file, char *err, size_t errsz)
{
    char key[256];
    bool oom = false;
    c->name = dup_or_null(sec, &oom);
    snprintf(key, sizeof key, "%s:column", sec);
    c->column = dup_or_null(iniparser_getstring(d, key, sec), &oom);
    if (oom) goto nomem;
    snprintf(key, sizeof key, "%s:aliases", sec);
    if (split_aliases(iniparser_getstring(d, key, ""), c) != 0) goto nomem;
    snprintf(key, sizeof key, "%s:required", sec);
    c->required = iniparser_getboolean(d, key, 0) == 1;
    snprintf(key, sizeof key, "%s:normalise", sec);
    int rc = parse_norm(iniparser_getstring(d, key, "text"), c);
    if (rc < 0) goto nomem;
    if (rc > 0) {
        snprintf(err, errsz, "%s [%s] normalise: '%s' is not one of text, upper, digits,"
                 " int, real, date, code:<list>", file, sec, iniparser_getstring(d, key, ""));
        return -1;
    }
    return 0;
nomem:
    snprintf(err, errsz, "%s: out of memory", file);
    return -1;
}

io_mapping *io_mapping_load(const char *home, const char *kind, char *err, size_t errsz)
{
    if (!kind_ok(kind)) {
        snprintf(err, errsz, "'%s': not an import kind", kind ? kind : "");
        return NULL;
    }
    char path[4096];
    snprintf(path, sizeof path, "%s/conf/import/%s.ini", home ? home : ".", kind);
    FILE *probe = fopen(path, "r");
    if (!probe) {
        snprintf(err, errsz, "%s: %s", path, strerror(errno));
        return NULL;
    }
    fclose(probe);
    char why[512];
    dictionary *d = conf_ini_load(path, why, sizeof why);
    if (!d) {
        snprintf(err, errsz, "%s: %s", path, why);
        return NULL;
    }
    io_mapping *m = calloc(1, sizeof *m);
    int nsec = iniparser_getnsec(d);
    if (!m || !(m->cols = calloc((size_t)(nsec > 0 ? nsec : 1), sizeof *m->cols))) {
        snprintf(err, errsz, "%s: out of memory", path);
        goto fail;
    }
    m->school_col = -1;
    m->kind = strdup(kind);
    m->table = strdup(iniparser_getstring(d, "import:table", ""));
    if (!m->kind || !m->table) { snprintf(err, errsz, "%s: out of memory", path); goto fail; }
    if (!*m->table) { snprintf(err, errsz, "%s [import] table: missing", path); goto fail; }
    for (int i = 0; i < nsec; i++) {
        const char *sec = iniparser_getsecname(d, i);
        if (!sec || !strcmp(sec, "import")) continue;
        io_column *c = &m->cols[m->ncols++];
        if (load_column(d, sec, c, path, err, errsz) != 0) goto fail;
        if (!strcmp(c->column, "school_code")) m->school_col = m->ncols - 1;
    }
    if (m->ncols == 0) { snprintf(err, errsz, "%s: no columns", path); goto fail; }
    iniparser_freedict(d);
    return m;
fail:
    iniparser_freedict(d);
    io_mapping_free(m);
    return NULL;
}

void io_mapping_free(io_mapping *m)
{
    if (!m) return;
    for (int i = 0; i < m->ncols; i++) {
        io_column *c = &m->cols[i];
        free(c->name);
        free(c->column);
        for (int a = 0; a < c->naliases; a++) free(c->aliases[a]);
        free(c->aliases);
        free(c->code_list);
    }
    free(m->cols);
    free(m->kind);
    free(m->table);
    free(m);
}

int io_mapping_check(io_mapping *m, const esis_schema *s, char *err, size_t errsz)
{
    const esis_table *t = schema_table(s, m->table);
    if (!t) {
        snprintf(err, errsz, "conf/import/%s.ini [import] table: no table '%s'", m->kind, m->table);
        return -1;
    }
    for (int i = 0; i < m->ncols; i++) {
        int col = schema_col(t, m->cols[i].column);
        if (col < 0) {
            snprintf(err, errsz, "conf/import/%s.ini [%s] column: table %s has no column '%s'",
                     m->kind, m->cols[i].name, m->table, m->cols[i].column);
            return -1;
        }
        m->cols[i].personal = t->personal && t->personal[col];
    }
    return 0;
}

/* ---- header --------------------------------------------------------- */

/* Compare a and b ignoring ASCII case, spaces, dashes and underscores. */
static bool header_equal(const char *a, const char *b)
{
    for (;;) {
        while (*a == ' ' || *a == '_' || *a == '-' || *a == '\t') a++;
        while (*b == ' ' || *b == '_' || *b == '-' || *b == '\t') b++;
        if (!*a || !*b) return !*a && !*b;
        if (tolower((unsigned char)*a) != tolower((unsigned char)*b)) return false;
        a++, b++;
    }
}

bool io_column_matches(const io_column *c, const char *text)
{
    if (header_equal(c->name, text)) return true;
    for (int i = 0; i < c->naliases; i++)
        if (header_equal(c->aliases[i], text)) return true;
    return false;
}

int io_header_bind(const io_mapping *m, char *const *fields, int n,
                   io_header *h, char *err, size_t errsz)
{
    memset(h, 0, sizeof *h);
    h->nfile = n;
    h->file_of = malloc(sizeof *h->file_of * (size_t)m->ncols);
    size_t ulen = 0, ucap = 0;
    if (!h->file_of) goto nomem;
    for (int c = 0; c < m->ncols; c++) h->file_of[c] = -1;
    for (int f = 0; f < n; f++) {
        int hit = -1;
        for (int c = 0; c < m->ncols && hit < 0; c++)
            if (io_column_matches(&m->cols[c], fields[f])) hit = c;
        if (hit >= 0) {
            if (h->file_of[hit] >= 0) {
                snprintf(err, errsz, "column %d '%s': %s given twice (also column %d)",
                         f + 1, fields[f], m->cols[hit].name, h->file_of[hit] + 1);
                io_header_free(h);
                return -1;
            }
            h->file_of[hit] = f;
            continue;
        }
        if (!*fields[f]) continue;        /* an empty trailing header cell */
        size_t need = ulen + strlen(fields[f]) + 3;
        if (need > ucap) {
            size_t cap = need * 2;
            char *u = realloc(h->unknown, cap);
            if (!u) goto nomem;
            h->unknown = u;
            ucap = cap;
        }
        ulen += (size_t)sprintf(h->unknown + ulen, "%s%s", ulen ? ", " : "", fields[f]);
    }
    for (int c = 0; c < m->ncols; c++) {
        if (m->cols[c].required && h->file_of[c] < 0) {
            snprintf(err, errsz, "%s", m->cols[c].name);
            io_header_free(h);
            return -1;
        }
    }
    return 0;
nomem:
    snprintf(err, errsz, "out of memory");
    io_header_free(h);
    return -1;
}

void io_header_free(io_header *h)
{
    free(h->file_of);
    free(h->unknown);
    memset(h, 0, sizeof *h);
}

/* ---- normalisers ---------------------------------------------------- */

int io_normalise(const io_column *c, const esis_conf *conf, const char *in,
                 char *out, size_t outsz, const char **why)
{
    const conf_codelist *l = c->norm == NORM_CODE && conf ? conf_codes(conf, c->code_list) : NULL;
    norm_fail f = norm_value(c->norm, l, in, out, outsz);
    *why = f == NORM_OK ? NULL : norm_fail_key(f);
    return f == NORM_OK ? 0 : -1;
}

/* ---- the normaliser of a column, for the form ------------------------ */

int io_table_norms(const char *home, const esis_conf *conf, const esis_table *t,
                   norm_kind *kinds, const conf_codelist **codes)
{
    for (int c = 0; c < t->ncols; c++) {
        kinds[c] = NORM_BY_TYPE;
        codes[c] = NULL;
    }
    char dir[4096];
    snprintf(dir, sizeof dir, "%s/conf/import", home ? home : ".");
    DIR *d = opendir(dir);
    if (!d) return -1;
    int rc = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        size_t n = strlen(e->d_name);
        if (n < 5 || n > 60 || strcmp(e->d_name + n - 4, ".ini")) continue;
        char kind[64], err[512];
        snprintf(kind, sizeof kind, "%.*s", (int)(n - 4), e->d_name);
        io_mapping *m = io_mapping_load(home, kind, err, sizeof err);
        if (!m) { rc = -1; continue; }
        if (!strcmp(m->table, t->name)) {
            for (int i = 0; i < m->ncols; i++) {
                int c = schema_col(t, m->cols[i].column);
                if (c < 0 || kinds[c] != NORM_BY_TYPE) continue;
                kinds[c] = m->cols[i].norm;
                if (m->cols[i].norm == NORM_CODE) codes[c] = conf_codes(conf, m->cols[i].code_list);
            }
        }
        io_mapping_free(m);
    }
    closedir(d);
    return rc;
}

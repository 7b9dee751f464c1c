/*
 * rules_fixture: what the rules tests check against: the real schema (an
 * in-memory database made by the real migrations) and the real code lists
 * of conf/codes.ini, with the thresholds of conf/esis.ini.  The code lists
 * are read here with iniparser rather than conf_load so that these tests
 * do not depend on the rest of the configuration; the format is the one
 * documented at the top of conf/codes.ini.
 * fixture_open allocates; fixture_close frees everything.
 */
#ifndef ESIS_RULES_FIXTURE_H
#define ESIS_RULES_FIXTURE_H

#include <stdlib.h>
#include <string.h>
#include <iniparser/iniparser.h>
#include "esis/db.h"
#include "esis/record.h"
#include "esis/conf.h"

typedef struct fixture {
    sqlite3     *db;
    esis_schema *schema;
    esis_conf    conf;
} fixture;

static char *fixture_field(char **p)
{
    char *s = *p, *bar = strchr(s, '|');
    if (bar) { *bar = '\0'; *p = bar + 1; } else *p = s + strlen(s);
    while (*s == ' ') s++;
    size_t n = strlen(s);
    while (n && s[n - 1] == ' ') s[--n] = '\0';
    return strdup(s);
}

static void fixture_codes(esis_conf *c, const char *path)
{
    dictionary *d = iniparser_load(path);
    if (!d) { fprintf(stderr, "cannot read %s\n", path); abort(); }
    int ns = iniparser_getnsec(d);
    c->codes = calloc((size_t)ns, sizeof *c->codes);
    for (int s = 0; s < ns; s++) {
        const char *sec = iniparser_getsecname(d, s);
        int nk = iniparser_getsecnkeys(d, sec);
        const char **keys = calloc((size_t)nk + 1, sizeof *keys);
        iniparser_getseckeys(d, sec, keys);
        conf_codelist *l = &c->codes[c->ncodes++];
        l->name = strdup(sec);
        l->v = calloc((size_t)nk + 1, sizeof *l->v);
        for (int k = 0; k < nk; k++) {
            char *line = strdup(iniparser_getstring(d, keys[k], "")), *p = line;
            conf_code *cc = &l->v[l->n++];
            cc->code = fixture_field(&p);
            cc->label_th = fixture_field(&p);
            cc->label_en = fixture_field(&p);
            free(fixture_field(&p));              /* aliases: not needed here */
            char *num = fixture_field(&p);
            cc->number = *num ? atoi(num) : -1;
            free(num);
            cc->group = fixture_field(&p);
            free(line);
        }
        free(keys);
    }
    iniparser_freedict(d);
}

static void fixture_open(fixture *f)
{
    char err[512];
    memset(f, 0, sizeof *f);
    if (db_open(":memory:", true, 1000, &f->db, err, sizeof err) != SQLITE_OK ||
        db_schema_load(f->db, &f->schema, err, sizeof err) != 0) {
        fprintf(stderr, "fixture: %s\n", err);
        abort();
    }
    const char *home = getenv("ESIS_HOME");
    char path[1024];
    snprintf(path, sizeof path, "%s/conf/codes.ini", home ? home : ".");
    fixture_codes(&f->conf, path);
    f->conf.too_young_years = 1;
    f->conf.over_age_years = 2;
    f->conf.size_small = 120; f->conf.size_medium = 600; f->conf.size_large = 1500;
    f->conf.students_per_teacher = 20;
    f->conf.g_code_pattern = strdup("^G[0-9]{12}$");
    f->conf.school_code_pattern = strdup("^[0-9]{10}$");
}

static void fixture_close(fixture *f)
{
    for (int i = 0; i < f->conf.ncodes; i++) {
        conf_codelist *l = &f->conf.codes[i];
        for (int k = 0; k < l->n; k++) {
            free(l->v[k].code); free(l->v[k].label_th);
            free(l->v[k].label_en); free(l->v[k].group);
        }
        free(l->v);
        free(l->name);
    }
    free(f->conf.codes);
    free(f->conf.g_code_pattern);
    free(f->conf.school_code_pattern);
    schema_free(f->schema);
    sqlite3_close(f->db);  /* not db_close: see the note to the lead (FTS5 statements) */
}

#endif

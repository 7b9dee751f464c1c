/*
 * rules_fixture: a schema and a configuration built by hand for the rules
 * tests, so that the expression language and the record rules can be tested
 * without a database or conf/ files.  The column lists follow
 * src/db/migrations.c; the code lists follow conf/codes.ini.
 * Everything is allocated by fixture_* and freed by fixture_free.
 */
#ifndef ESIS_RULES_FIXTURE_H
#define ESIS_RULES_FIXTURE_H

#include <stdlib.h>
#include <string.h>
#include "esis/record.h"
#include "esis/conf.h"

#define EDIT_COLS " row_version created_at updated_at updated_by"

static const char *const FIXTURE_TABLES[][3] = {
    {"students", "round_code school_code citizen_id",
     "id round_code school_code citizen_id prefix first_name last_name first_name_en"
     " last_name_en gender birth_date nationality ethnicity religion grade room enrol_date"
     " house_no village_no road tambon amphoe province postcode father_name father_id"
     " father_occupation father_income mother_name mother_id mother_occupation mother_income"
     " guardian_name guardian_id guardian_relation guardian_occupation guardian_income poor"
     " disadvantage disability weight_kg height_cm distance_km travel status status_date"
     " moved_to status_note" EDIT_COLS},
    {"schools", "school_code",
     "id school_code school_code8 name_th name_en school_type levels house_no village_no road"
     " tambon amphoe province postcode phone email website principal_name principal_phone"
     " latitude longitude distance_office_km network status" EDIT_COLS},
    {"staff", "school_code citizen_id",
     "id school_code citizen_id prefix first_name last_name gender birth_date position"
     " academic_standing subject_group qualification major employment_type start_date phone"
     " status" EDIT_COLS},
    {"buildings", "school_code building_no",
     "id school_code building_no building_type design_code year_built budget_source"
     " budget_amount floors rooms classrooms area_sqm condition need note" EDIT_COLS},
};

static char **fixture_split(const char *s, int *n)
{
    char *copy = strdup(s);
    int cap = 8, k = 0;
    char **v = malloc((size_t)cap * sizeof *v);
    for (char *t = strtok(copy, " "); t; t = strtok(NULL, " ")) {
        if (k == cap) v = realloc(v, (size_t)(cap *= 2) * sizeof *v);
        v[k++] = strdup(t);
    }
    free(copy);
    *n = k;
    return v;
}

static int fixture_index(char **cols, int n, const char *name)
{
    for (int i = 0; i < n; i++)
        if (strcmp(cols[i], name) == 0) return i;
    return -1;
}

static void fixture_schema(esis_schema *s)
{
    int nt = (int)(sizeof FIXTURE_TABLES / sizeof FIXTURE_TABLES[0]);
    s->ntables = nt;
    s->tables = calloc((size_t)nt, sizeof *s->tables);
    for (int i = 0; i < nt; i++) {
        esis_table *t = &s->tables[i];
        t->name = strdup(FIXTURE_TABLES[i][0]);
        t->key_cols = fixture_split(FIXTURE_TABLES[i][1], &t->nkey);
        t->cols = fixture_split(FIXTURE_TABLES[i][2], &t->ncols);
        t->types = calloc((size_t)t->ncols, sizeof *t->types);
        t->notnull = calloc((size_t)t->ncols, sizeof *t->notnull);
        t->id_col = fixture_index(t->cols, t->ncols, "id");
        t->school_col = fixture_index(t->cols, t->ncols, "school_code");
        t->round_col = fixture_index(t->cols, t->ncols, "round_code");
        t->version_col = fixture_index(t->cols, t->ncols, "row_version");
    }
}

static void fixture_free_strv(char **v, int n)
{
    for (int i = 0; i < n; i++) free(v[i]);
    free(v);
}

static void fixture_schema_free(esis_schema *s)
{
    for (int i = 0; i < s->ntables; i++) {
        esis_table *t = &s->tables[i];
        free(t->name);
        fixture_free_strv(t->key_cols, t->nkey);
        fixture_free_strv(t->cols, t->ncols);
        free(t->types);
        free(t->notnull);
    }
    free(s->tables);
}

/* name, then code:number pairs */
static const char *const FIXTURE_LISTS[][2] = {
    {"grade", "K1:3 K2:4 K3:5 P1:6 P2:7 P3:8 P4:9 P5:10 P6:11 M1:12 M2:13 M3:14 M4:15 M5:16 M6:17"},
    {"gender", "1:0 2:0"},
    {"prefix", "เด็กชาย:1 เด็กหญิง:2 นาย:1 นางสาว:2 นาง:2"},
    {"nationality", "TH:0 MM:0 LA:0 KH:0 CN:0 VN:0 OTHER:0"},
    {"religion", "1:0 2:0 3:0 4:0 9:0"},
    {"student_status", "1:0 2:0 3:0 4:0"},
    {"building_type", "1:0 2:0 3:0 4:0 5:0 6:0 7:0 8:0 9:0"},
    {"condition", "1:0 2:0 3:0 4:0"},
    {"need", "none:0 repair:0 replace:0 demolish:0"},
    {"position", "director:0 deputy:0 teacher:0 assistant_teacher:0 contract_teacher:0 staff:0"},
    {"academic_standing", "none:0 practitioner:0 professional:0 senior_professional:0 expert:0"},
    {"employment_type", "civil:0 government_employee:0 contract:0 temporary:0"},
    {"school_type", "primary:0 extended:0 secondary:0"},
    {"disability", "1:0 2:0 3:0 4:0 5:0 6:0 7:0 8:0 9:0"},
    {"disadvantage", "1:0 2:0 3:0 4:0 5:0 6:0 7:0 8:0 9:0 10:0"},
};

static void fixture_conf(esis_conf *c)
{
    memset(c, 0, sizeof *c);
    c->too_young_years = 1;
    c->over_age_years = 2;
    c->size_small = 120; c->size_medium = 600; c->size_large = 1500;
    c->students_per_teacher = 25;
    int nl = (int)(sizeof FIXTURE_LISTS / sizeof FIXTURE_LISTS[0]);
    c->ncodes = nl;
    c->codes = calloc((size_t)nl, sizeof *c->codes);
    for (int i = 0; i < nl; i++) {
        conf_codelist *l = &c->codes[i];
        l->name = strdup(FIXTURE_LISTS[i][0]);
        char **pairs = fixture_split(FIXTURE_LISTS[i][1], &l->n);
        l->v = calloc((size_t)l->n, sizeof *l->v);
        for (int k = 0; k < l->n; k++) {
            char *colon = strrchr(pairs[k], ':');
            *colon = '\0';
            l->v[k].code = strdup(pairs[k]);
            l->v[k].number = atoi(colon + 1);
        }
        fixture_free_strv(pairs, l->n);
    }
}

static void fixture_conf_free(esis_conf *c)
{
    for (int i = 0; i < c->ncodes; i++) {
        for (int k = 0; k < c->codes[i].n; k++) free(c->codes[i].v[k].code);
        free(c->codes[i].v);
        free(c->codes[i].name);
    }
    free(c->codes);
}

#endif

/*
 * ui_screens: loading and checking screens/menu.ini and screens/NAME.ini
 * (see the header and screens/README.md).
 *
 * Every check names file, section and key: the person who edits these files
 * is an office administrator with a text editor, not a C programmer, and
 * the message is all they get.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <iniparser/iniparser.h>
#include "esis/conf.h"
#include "esis/ui_screens.h"
#include "ui_screens_internal.h"

int ui_screens_fail(ui_screens_loader *L, const char *sec, const char *key,
                        const char *fmt, const char *arg)
{
    char what[512];
    snprintf(what, sizeof what, fmt, arg ? arg : "");
    snprintf(L->err, L->errsz, "%s [%s]%s%s: %s", L->file, sec, key ? " " : "",
             key ? key : "", what);
    return -1;
}

const char *ui_screens_get(ui_screens_loader *L, const char *sec, const char *key)
{
    char k[256];
    snprintf(k, sizeof k, "%s:%s", sec, key);
    const char *v = iniparser_getstring(L->d, k, NULL);
    return v && *v ? v : NULL;
}

char *ui_screens_dup(const char *s)
{
    return s ? strdup(s) : NULL;
}

/* Split on spaces into an owned array of owned words. */
int ui_screens_words(const char *s, char ***out, int *n)
{
    *out = NULL;
    *n = 0;
    if (!s)
        return 0;
    int cap = 0;
    while (*s) {
        while (*s == ' ' || *s == '\t')
            s++;
        size_t len = strcspn(s, " \t");
        if (len == 0)
            break;
        if (*n == cap) {
            cap = cap ? cap * 2 : 8;
            char **v = realloc(*out, (size_t)cap * sizeof *v);
            if (!v)
                return -1;
            *out = v;
        }
        if (!((*out)[*n] = strndup(s, len)))
            return -1;
        (*n)++;
        s += len;
    }
    return 0;
}

void ui_screens_words_free(char **v, int n)
{
    for (int i = 0; i < n; i++)
        free(v[i]);
    free(v);
}

/* Every key of sec must be one of allowed (NULL-terminated). */
int ui_screens_check_keys(ui_screens_loader *L, const char *sec, const char *const *allowed)
{
    const char *k;
    if (conf_ini_unknown_key(L->d, sec, allowed, NULL, &k))
        return ui_screens_fail(L, sec, NULL, "out of memory%s", NULL);
    return k ? ui_screens_fail(L, sec, k, "unknown key%s", NULL) : 0;
}

static int ui_check_cols(ui_screens_loader *L, const esis_table *t, const char *sec,
                         const char *key, char **cols, int n)
{
    for (int i = 0; i < n; i++)
        if (schema_col(t, cols[i]) < 0) {
            char what[300];
            snprintf(what, sizeof what, "table %s has no column '%s'", t->name, cols[i]);
            return ui_screens_fail(L, sec, key, "%s", what);
        }
    return 0;
}

static bool ui_yes(const char *v) { return v && (strcmp(v, "yes") == 0 || strcmp(v, "1") == 0 || strcmp(v, "true") == 0); }

static int ui_load_field(ui_screens_loader *L, const esis_table *t, const char *sec,
                         ui_screen_field *f)
{
    static const char *const keys[] = {"label_th", "label_en", "heading_th",
        "heading_en", "help_th", "help_en", "width", "align", "type", "lookup",
        "required", "max", "readonly", NULL};
    if (ui_screens_check_keys(L, sec, keys) != 0)
        return -1;
    f->column = strdup(sec + strlen("field."));
    if (!f->column)
        return -1;
    if (schema_col(t, f->column) < 0) {
        char what[300];
        snprintf(what, sizeof what, "table %s has no column '%s'", t->name, f->column);
        return ui_screens_fail(L, sec, NULL, "%s", what);
    }
    static const char *const langs[2] = {"th", "en"};
    for (int l = 0; l < 2; l++) {
        char k[32];
        snprintf(k, sizeof k, "label_%s", langs[l]);
        f->label[l] = ui_screens_dup(ui_screens_get(L, sec, k));
        if (!f->label[l])
            return ui_screens_fail(L, sec, k, "missing%s", NULL);
        snprintf(k, sizeof k, "heading_%s", langs[l]);
        f->heading[l] = ui_screens_dup(ui_screens_get(L, sec, k));
        snprintf(k, sizeof k, "help_%s", langs[l]);
        f->help[l] = ui_screens_dup(ui_screens_get(L, sec, k));
    }
    static const char *const types[] = {"text", "number", "date", "code", "yesno"};
    const char *type = ui_screens_get(L, sec, "type");
    f->type = UI_FIELD_TEXT;
    if (type) {
        int k = 0;
        while (k < 5 && strcmp(type, types[k]) != 0)
            k++;
        if (k == 5)
            return ui_screens_fail(L, sec, "type",
                                "'%s' is not one of text, number, date, code, yesno", type);
        f->type = (ui_field_type)k;
    }
    const char *w = ui_screens_get(L, sec, "width"), *m = ui_screens_get(L, sec, "max");
    char *end;
    f->width = w ? (int)strtol(w, &end, 10) : 10;
    if (w && (*end || f->width < 1 || f->width > 200))
        return ui_screens_fail(L, sec, "width", "'%s' is not a width of 1 to 200", w);
    f->max = m ? (int)strtol(m, &end, 10) : 0;
    if (m && (*end || f->max < 1 || f->max > 10000))
        return ui_screens_fail(L, sec, "max", "'%s' is not a length of 1 to 10000", m);
    const char *a = ui_screens_get(L, sec, "align");
    f->align = a ? a[0] : (f->type == UI_FIELD_NUMBER ? 'r' : 'l');
    if (a && (strlen(a) != 1 || !strchr("lrc", a[0])))
        return ui_screens_fail(L, sec, "align", "'%s' is not l, r or c", a);
    f->required = ui_yes(ui_screens_get(L, sec, "required"));
    f->read_only = ui_yes(ui_screens_get(L, sec, "readonly"));
    f->lookup = ui_screens_dup(ui_screens_get(L, sec, "lookup"));
    if (f->type == UI_FIELD_CODE && !f->lookup)
        return ui_screens_fail(L, sec, "lookup", "a code field needs a code list%s", NULL);
    if (f->lookup && L->conf) {
        const conf_codelist *cl = conf_codes(L->conf, f->lookup);
        if (!cl)
            return ui_screens_fail(L, sec, "lookup", "no code list '%s' in conf/codes.ini",
                                f->lookup);
        f->items = calloc((size_t)(2 * cl->n + 1), sizeof *f->items);
        if (!f->items)
            return -1;
        f->nitems = cl->n;
        for (int k = 0; k < cl->n; k++) {
            f->items[k] = (ui_pick_item){cl->v[k].code, cl->v[k].label_th};
            f->items[cl->n + k] = (ui_pick_item){cl->v[k].code, cl->v[k].label_en};
        }
    }
    return 0;
}

static int ui_field_index(const ui_screen *sc, const char *col)
{
    for (int i = 0; i < sc->nfields; i++)
        if (strcmp(sc->fields[i].column, col) == 0)
            return i;
    return -1;
}

/* Columns named in [list] columns or [form] fields, as field indexes. */
static int ui_load_refs(ui_screens_loader *L, ui_screen *sc, const char *sec,
                        const char *key, int **out, int *n)
{
    char **cols;
    int ncols;
    if (ui_screens_words(ui_screens_get(L, sec, key), &cols, &ncols) != 0)
        return -1;
    int rc = 0;
    if (ncols == 0)
        rc = ui_screens_fail(L, sec, key, "missing%s", NULL);
    *out = calloc((size_t)(ncols ? ncols : 1), sizeof **out);
    *n = 0;
    for (int i = 0; rc == 0 && i < ncols; i++) {
        int f = ui_field_index(sc, cols[i]);
        if (f < 0)
            rc = ui_screens_fail(L, sec, key, "'%s' has no [field.] section", cols[i]);
        else
            (*out)[(*n)++] = f;
    }
    ui_screens_words_free(cols, ncols);
    return rc;
}

static int ui_load_screen_sec(ui_screens_loader *L, ui_screen *sc, const esis_table **t)
{
    static const char *const keys[] = {"table", "title_th", "title_en", "sort",
        "search", "search_fts", "count_from", "filters", "edit_roles", "delete_roles",
        "scope_round", "rules", "actions", "fix_into", NULL};
    if (ui_screens_check_keys(L, "screen", keys) != 0)
        return -1;
    sc->table = ui_screens_dup(ui_screens_get(L, "screen", "table"));
    if (!sc->table)
        return ui_screens_fail(L, "screen", "table", "missing%s", NULL);
    *t = schema_table(L->schema, sc->table);
    if (!*t)
        return ui_screens_fail(L, "screen", "table", "no table or view '%s' in the schema",
                            sc->table);
    sc->title[0] = ui_screens_dup(ui_screens_get(L, "screen", "title_th"));
    sc->title[1] = ui_screens_dup(ui_screens_get(L, "screen", "title_en"));
    if (!sc->title[0] || !sc->title[1])
        return ui_screens_fail(L, "screen", sc->title[0] ? "title_en" : "title_th",
                            "missing%s", NULL);
    sc->sort = ui_screens_dup(ui_screens_get(L, "screen", "sort"));
    if (sc->sort && schema_col(*t, sc->sort) < 0)
        return ui_screens_fail(L, "screen", "sort", "no column '%s'", sc->sort);
    sc->search_fts = ui_screens_dup(ui_screens_get(L, "screen", "search_fts"));
    /* not a table of the schema's catalogue: db_cursor_open checks it */
    sc->count_from = ui_screens_dup(ui_screens_get(L, "screen", "count_from"));
    sc->fix_into = ui_screens_dup(ui_screens_get(L, "screen", "fix_into"));
    if (sc->fix_into && !schema_table(L->schema, sc->fix_into))
        return ui_screens_fail(L, "screen", "fix_into", "no table '%s'", sc->fix_into);
    sc->scope_round = ui_yes(ui_screens_get(L, "screen", "scope_round"));
    sc->rules = ui_yes(ui_screens_get(L, "screen", "rules"));
    if (ui_screens_words(ui_screens_get(L, "screen", "search"), &sc->search, &sc->nsearch) ||
        ui_screens_words(ui_screens_get(L, "screen", "filters"), &sc->filters, &sc->nfilters) ||
        ui_screens_words(ui_screens_get(L, "screen", "edit_roles"), &sc->edit_roles, &sc->nedit) ||
        ui_screens_words(ui_screens_get(L, "screen", "delete_roles"), &sc->delete_roles, &sc->ndelete) ||
        ui_screens_words(ui_screens_get(L, "screen", "actions"), &sc->actions, &sc->nactions))
        return ui_screens_fail(L, "screen", NULL, "out of memory%s", NULL);
    if (ui_check_cols(L, *t, "screen", "search", sc->search, sc->nsearch) ||
        ui_check_cols(L, *t, "screen", "filters", sc->filters, sc->nfilters))
        return -1;
    return 0;
}

int ui_screens_load_screen(ui_screens_loader *L, const char *name, ui_screen *sc)
{
    const esis_table *t;
    sc->name = strdup(name);
    sc->file = strdup(L->file);
    if (!sc->name || !sc->file || ui_load_screen_sec(L, sc, &t) != 0)
        return -1;
    int nsec = iniparser_getnsec(L->d);
    sc->fields = calloc((size_t)(nsec > 0 ? nsec : 1), sizeof *sc->fields);
    if (!sc->fields)
        return -1;
    for (int i = 0; i < nsec; i++) {
        const char *sec = iniparser_getsecname(L->d, i);
        if (strncmp(sec, "field.", 6) == 0) {
            if (ui_load_field(L, t, sec, &sc->fields[sc->nfields++]) != 0)
                return -1;
        } else if (strcmp(sec, "screen") && strcmp(sec, "list") && strcmp(sec, "form")) {
            return ui_screens_fail(L, sec, NULL, "unknown section (screen, list, form, field.COLUMN)%s", NULL);
        }
    }
    static const char *const list_keys[] = {"columns", NULL};
    static const char *const form_keys[] = {"fields", NULL};
    if (ui_screens_check_keys(L, "list", list_keys) || ui_screens_check_keys(L, "form", form_keys) ||
        ui_load_refs(L, sc, "list", "columns", &sc->list, &sc->nlist) ||
        ui_load_refs(L, sc, "form", "fields", &sc->form, &sc->nform))
        return -1;
    return 0;
}

void ui_screen_free(ui_screen *sc)
{
    for (int i = 0; i < sc->nfields; i++) {
        ui_screen_field *f = &sc->fields[i];
        free(f->column);
        for (int l = 0; l < 2; l++) {
            free(f->label[l]);
            free(f->heading[l]);
            free(f->help[l]);
        }
        free(f->lookup);
        free(f->items);
    }
    free(sc->fields);
    free(sc->name); free(sc->file); free(sc->table); free(sc->sort);
    free(sc->title[0]); free(sc->title[1]); free(sc->search_fts); free(sc->count_from); free(sc->fix_into);
    ui_screens_words_free(sc->search, sc->nsearch);
    ui_screens_words_free(sc->filters, sc->nfilters);
    ui_screens_words_free(sc->edit_roles, sc->nedit);
    ui_screens_words_free(sc->delete_roles, sc->ndelete);
    ui_screens_words_free(sc->actions, sc->nactions);
    free(sc->list);
    free(sc->form);
}


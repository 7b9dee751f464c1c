/*
 * workflow_load.c: reading and checking each conf/workflows file (the format is
 * in conf/workflows/README.md).  A bad file stops with its file, section
 * and key, so a typo in a form's table is found when esis starts, not when
 * someone reaches that step.
 */
#include "esis/workflow.h"
#include "unit_internal.h"

#include <dirent.h>
#include <stdlib.h>
#include <string.h>

static void step_free(workflow_step *s)
{
    free(s->title_th);
    free(s->title_en);
    free(s->acknowledge);
    unit_words_free(s->deciders, s->ndeciders);
    unit_words_free(s->forms, s->nforms);
}

static void workflow_free_one(workflow *w)
{
    for (int i = 0; i < w->nsteps; i++) step_free(&w->steps[i]);
    free(w->steps);
    free(w->name); free(w->path); free(w->title_th); free(w->title_en);
}

void workflow_set_free(workflow_set *set)
{
    if (!set) return;
    for (int i = 0; i < set->n; i++) workflow_free_one(&set->v[i]);
    free(set->v);
    free(set);
}

static int load_step(unit_ini *L, const esis_schema *schema, int k, workflow_step *s)
{
    static const char *const keys[] = { "title_th", "title_en", "decision", "acknowledge", "forms", NULL };
    char sec[32];
    snprintf(sec, sizeof sec, "step.%d", k);
    if (unit_ini_check_keys(L, sec, keys)) return -1;
    const char *th = unit_ini_need(L, sec, "title_th");
    const char *en = th ? unit_ini_need(L, sec, "title_en") : NULL;
    if (!th || !en) return -1;
    if (!(s->title_th = strdup(th)) || !(s->title_en = strdup(en)))
        return unit_ini_fail(L, sec, NULL, "out of memory");
    /* The chain: each decider a role that decides (the manual's group head,
     * then the director), never the administrator's. */
    if (unit_words(unit_ini_get(L, sec, "decision"), &s->deciders, &s->ndeciders))
        return unit_ini_fail(L, sec, "decision", "out of memory");
    for (int i = 0; i < s->ndeciders; i++) {
        if (!unit_decider_ok(s->deciders[i]))
            return unit_ini_fail(L, sec, "decision", "'%s' is not a decider (group_head, director)", s->deciders[i]);
        for (int j = 0; j < i; j++)
            if (!strcmp(s->deciders[i], s->deciders[j]))
                return unit_ini_fail(L, sec, "decision", "'%s' is named twice", s->deciders[i]);
    }
    const char *ack = unit_ini_get(L, sec, "acknowledge");
    if (ack && !unit_decider_ok(ack))
        return unit_ini_fail(L, sec, "acknowledge", "'%s' is not a decider (group_head, director)", ack);
    if (ack && s->ndeciders)
        return unit_ini_fail(L, sec, "acknowledge", "a step ends with a decision or an acknowledgement, not both");
    if (ack && !(s->acknowledge = strdup(ack))) return unit_ini_fail(L, sec, NULL, "out of memory");
    s->decision = s->ndeciders > 0 || ack;
    if (unit_words(unit_ini_get(L, sec, "forms"), &s->forms, &s->nforms))
        return unit_ini_fail(L, sec, "forms", "out of memory");
    for (int i = 0; schema && i < s->nforms; i++)
        if (!schema_table(schema, s->forms[i]))
            return unit_ini_fail(L, sec, "forms", "'%s' is not a table of the schema", s->forms[i]);
    return 0;
}

static int load_one(unit_ini *L, const esis_schema *schema, workflow *w)
{
    static const char *const keys[] = { "title_th", "title_en", "kind", NULL };
    if (!unit_ini_has(L, "workflow")) return unit_ini_fail(L, "workflow", NULL, "the section is missing");
    if (unit_ini_check_keys(L, "workflow", keys)) return -1;
    const char *th = unit_ini_need(L, "workflow", "title_th");
    const char *en = th ? unit_ini_need(L, "workflow", "title_en") : NULL;
    const char *kind = en ? unit_ini_need(L, "workflow", "kind") : NULL;
    if (!kind) return -1;
    if (!strcmp(kind, "process")) w->kind = WORKFLOW_PROCESS;
    else if (!strcmp(kind, "collection")) w->kind = WORKFLOW_COLLECTION;
    else return unit_ini_fail(L, "workflow", "kind", "'%s' is not process or collection", kind);
    if (!(w->title_th = strdup(th)) || !(w->title_en = strdup(en)))
        return unit_ini_fail(L, "workflow", NULL, "out of memory");
    int n = unit_ini_count(L, "step");
    if (n < 0) return -1;
    if (n == 0) return unit_ini_fail(L, "step.1", NULL, "a workflow needs at least one step");
    if (!(w->steps = calloc((size_t)n, sizeof *w->steps))) return unit_ini_fail(L, NULL, NULL, "out of memory");
    for (int k = 1; k <= n; k++) {
        w->nsteps = k;
        if (load_step(L, schema, k, &w->steps[k - 1])) return -1;
    }
    static const char *const sections[] = { "workflow", "step.", NULL };
    return unit_ini_check_sections(L, sections);
}

static int by_name(const void *a, const void *b)
{
    return strcmp(((const workflow *)a)->name, ((const workflow *)b)->name);
}

static bool is_ini(const char *f)
{
    size_t n = strlen(f);
    return n > 4 && !strcmp(f + n - 4, ".ini") && f[0] != '.';
}

int workflow_load_dir(const char *dir, const esis_schema *schema, workflow_set **out,
                      char *err, size_t errsz)
{
    *out = NULL;
    DIR *d = opendir(dir);
    if (!d) { snprintf(err, errsz, "%s: cannot open the directory", dir); return -1; }
    workflow_set *set = calloc(1, sizeof *set);
    int rc = set ? 0 : -1;
    if (!set) snprintf(err, errsz, "out of memory");
    struct dirent *e;
    while (!rc && (e = readdir(d)) != NULL) {
        if (!is_ini(e->d_name)) continue;
        workflow *v = realloc(set->v, sizeof *v * (size_t)(set->n + 1));
        if (!v) { snprintf(err, errsz, "out of memory"); rc = -1; break; }
        set->v = v;
        workflow *w = &v[set->n++];
        memset(w, 0, sizeof *w);
        char full[4200], shown[512];
        w->name = strndup(e->d_name, strlen(e->d_name) - 4);
        snprintf(full, sizeof full, "%s/%s", dir, e->d_name);
        snprintf(shown, sizeof shown, "conf/workflows/%s", e->d_name);
        w->path = strdup(shown);
        if (!w->name || !w->path) { snprintf(err, errsz, "out of memory"); rc = -1; break; }
        unit_ini L;
        if (unit_ini_open(&L, full, w->path, err, errsz)) { rc = -1; break; }
        if (!unit_name_ok(w->name)) rc = unit_ini_fail(&L, NULL, NULL, "the name must be lower-case letters, digits, _ or -");
        else rc = load_one(&L, schema, w);
        unit_ini_close(&L);
    }
    closedir(d);
    if (rc) { workflow_set_free(set); return -1; }
    qsort(set->v, (size_t)set->n, sizeof *set->v, by_name);
    *out = set;
    return 0;
}

const workflow *workflow_find(const workflow_set *set, const char *name)
{
    for (int i = 0; set && name && i < set->n; i++)
        if (!strcmp(set->v[i].name, name)) return &set->v[i];
    return NULL;
}

const char *workflow_title(const workflow *wf, const char *lang)
{
    return lang && !strcmp(lang, "en") ? wf->title_en : wf->title_th;
}

const char *workflow_step_title(const workflow *wf, int step, const char *lang)
{
    if (!wf || step < 1 || step > wf->nsteps) return "";
    const workflow_step *s = &wf->steps[step - 1];
    return lang && !strcmp(lang, "en") ? s->title_en : s->title_th;
}

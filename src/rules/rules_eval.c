/*
 * rules_eval: record rules against one record, and the flags they raise.
 *
 * Used live (a form checks its record as a field is left) and by the batch
 * check (a cursor over a round).  The common case, a record that passes,
 * allocates nothing; only a flag's two messages are allocated, because the
 * flag outlives the record it was raised on.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fnmatch.h>
#include "rules_internal.h"

void rules_flags_clear(rules_flags *f)
{
    for (int i = 0; i < f->n; i++) {
        free(f->v[i].message_th);
        free(f->v[i].message_en);
    }
    f->n = 0;
    f->errors = f->warnings = 0;
}

void rules_flags_free(rules_flags *f)
{
    rules_flags_clear(f);
    free(f->v);
    f->v = NULL;
    f->cap = 0;
}

int rules_flags_push(rules_flags *out, const rules_rule *r, char *th, char *en)
{
    if (!th || !en)
        goto fail;
    if (out->n == out->cap) {
        int cap = out->cap ? out->cap * 2 : 8;
        rules_flag *v = realloc(out->v, (size_t)cap * sizeof *v);
        if (!v)
            goto fail;
        out->v = v;
        out->cap = cap;
    }
    out->v[out->n++] = (rules_flag){
        .rule_id = r->id, .severity = r->severity,
        .field = r->nfields ? r->fields[0] : NULL,
        .message_th = th, .message_en = en,
    };
    if (r->severity == RULES_ERROR) out->errors++;
    else out->warnings++;
    return 0;
fail:
    free(th);
    free(en);
    return -1;
}

expr_env rules_expr_env(const rules_env *env)
{
    return (expr_env){ .as_of = text_date_to_days(env->as_of),
                       .today = text_date_to_days(env->today),
                       .year = env->academic_year };
}

bool rules_applies(const rules_rule *r, const rules_env *env)
{
    return r->enabled && (r->from_year == 0 || env->academic_year == 0 ||
                          env->academic_year >= r->from_year);
}

int rules_select(rules_set *rs, const char *const *patterns, int n)
{
    int on = 0;
    for (int k = 0; k < rs->n; k++) {
        bool match = false;
        for (int i = 0; i < n && !match; i++)
            match = fnmatch(patterns[i], rs->v[k].id, 0) == 0;
        if (!match) rs->v[k].enabled = false;
        on += rs->v[k].enabled;
    }
    return on;
}

bool rules_rule_fails(const rules_rule *r, const char *const *values,
                      const expr_env *xenv)
{
    if (r->when && !expr_truthy(expr_eval(r->when, values, xenv)))
        return false;
    return !expr_truthy(expr_eval(r->check, values, xenv));
}

static void mark_expr(const expr *e, bool *mask)
{
    int cols[256];
    int n = expr_columns(e, cols, 256);
    for (int i = 0; i < n; i++)
        mask[cols[i]] = true;
}

void rules_mark_columns(const rules_rule *r, bool *mask)
{
    if (r->when) mark_expr(r->when, mask);
    if (r->check) mark_expr(r->check, mask);
    for (int i = 0; i < r->nlets; i++)
        mark_expr(r->lets[i].e, mask);
    if (r->field_col >= 0)
        mask[r->field_col] = true;
    const rules_msg *msgs[2] = { &r->msg_th, &r->msg_en };
    for (int m = 0; m < 2; m++)
        for (int i = 0; i < msgs[m]->nparts; i++)
            if (msgs[m]->parts[i].kind == PART_COLUMN)
                mask[msgs[m]->parts[i].index] = true;
}

/* ---- messages ------------------------------------------------------------- */

typedef struct sbuf { char *s; size_t n, cap; bool oom; } sbuf;

static void sb_add(sbuf *b, const char *s)
{
    size_t k = strlen(s);
    if (b->oom)
        return;
    if (b->n + k + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 128;
        while (cap < b->n + k + 1) cap *= 2;
        char *v = realloc(b->s, cap);
        if (!v) { b->oom = true; return; }
        b->s = v;
        b->cap = cap;
    }
    memcpy(b->s + b->n, s, k + 1);
    b->n += k;
}

/* A record's text as officers read it: an ISO date is shown in the
 * Buddhist Era (2017-03-15 -> 15/03/2560). */
static void add_record_text(sbuf *b, const char *s)
{
    if (!s)
        return;
    text_date d;
    if (strlen(s) == 10 && s[4] == '-' && s[7] == '-' && text_date_parse(s, &d)) {
        char be[16];
        text_date_be(d, be);
        sb_add(b, be);
    } else
        sb_add(b, s);
}

/* A {name:list} placeholder's text: the code's label in the message's
 * language, or the text itself when it is not a code of the list. */
static void add_label(sbuf *b, const rules_part *p, const char *s)
{
    const conf_code *k = s ? conf_code_find(p->codes, s) : NULL;
    const char *lab = !k ? NULL : p->en ? k->label_en : k->label_th;
    add_record_text(b, lab && *lab ? lab : s);
}

char *rules_render(const rules_rule *r, const rules_msg *m, const char *const *values,
                   const expr_env *xenv, const char *value, const char *key,
                   const char *school)
{
    sbuf b = { 0 };
    char num[128];
    sb_add(&b, "");
    for (int i = 0; i < m->nparts; i++) {
        const rules_part *p = &m->parts[i];
        if (p->codes) {
            const char *s = NULL;
            if (p->kind == PART_VALUE)
                s = !values ? value : r->field_col >= 0 ? values[r->field_col] : NULL;
            else if (p->kind == PART_COLUMN && values)
                s = values[p->index];
            else if (p->kind == PART_LET && values) {
                expr_format(expr_eval(r->lets[p->index].e, values, xenv), num, sizeof num);
                s = num;
            } else if (p->kind == PART_KEY)
                s = key;
            else if (p->kind == PART_SCHOOL)
                s = school;
            else if (p->kind == PART_FIELD && r->nfields)
                s = r->fields[0];
            add_label(&b, p, s);
            continue;
        }
        switch (p->kind) {
        case PART_TEXT:
            sb_add(&b, p->text);
            break;
        case PART_VALUE:
            if (values)
                add_record_text(&b, r->field_col >= 0 ? values[r->field_col] : NULL);
            else
                add_record_text(&b, value);
            break;
        case PART_FIELD:
            sb_add(&b, r->nfields ? r->fields[0] : "");
            break;
        case PART_COLUMN:
            add_record_text(&b, values ? values[p->index] : NULL);
            break;
        case PART_LET:
            if (values) {
                expr_format(expr_eval(r->lets[p->index].e, values, xenv), num, sizeof num);
                sb_add(&b, num);
            }
            break;
        case PART_KEY:
            sb_add(&b, key ? key : "");
            break;
        case PART_SCHOOL:
            sb_add(&b, school ? school : "");
            break;
        }
    }
    if (b.oom) {
        free(b.s);
        return NULL;
    }
    return b.s;
}

/* ---- records ---------------------------------------------------------------- */

static bool same_table(const esis_table *a, const esis_table *b)
{
    return a == b || (a && b && strcmp(a->name, b->name) == 0);
}

static int eval_rules(const rules_set *rs, const esis_record *rec, const char *field,
                      const rules_env *env, rules_flags *out)
{
    if (!rs || !rec || !env || !out)
        return -1;
    expr_env xenv = rules_expr_env(env);
    const char *const *values = (const char *const *)rec->values;
    int errors = 0;
    for (int i = 0; i < rs->n; i++) {
        const rules_rule *r = &rs->v[i];
        if (!r->check || !same_table(r->table, rec->table) || !rules_applies(r, env))
            continue;
        if (field) {
            bool points = false;
            for (int k = 0; k < r->nfields && !points; k++)
                points = strcmp(r->fields[k], field) == 0;
            if (!points)
                continue;
        }
        if (!rules_rule_fails(r, values, &xenv))
            continue;
        char *th = rules_render(r, &r->msg_th, values, &xenv, NULL, NULL, NULL);
        char *en = rules_render(r, &r->msg_en, values, &xenv, NULL, NULL, NULL);
        if (rules_flags_push(out, r, th, en) < 0)
            return -1;
        errors += r->severity == RULES_ERROR;
    }
    return errors;
}

int rules_eval_record(const rules_set *rs, const esis_record *r,
                      const rules_env *env, rules_flags *out)
{
    return eval_rules(rs, r, NULL, env, out);
}

int rules_eval_field(const rules_set *rs, const esis_record *r,
                     const char *field, const rules_env *env, rules_flags *out)
{
    if (!field)
        return -1;
    return eval_rules(rs, r, field, env, out);
}

/*
 * expr_eval: evaluates a compiled expression against one record.
 *
 * This is the inner loop of a batch check (a million students times every
 * rule), so it never allocates: values are returned by value, text is a
 * borrowed pointer into the record, the only scratch space is on the stack.
 * Text from the record is given a type only where an operator needs one
 * (a number beside a number, a date beside a date), which is how SQLite
 * and spreadsheets behave and what officers expect from "room > 0".
 *
 * Empty operands make every comparison false, `not in` included; a rule
 * that wants to catch an empty value says empty(x).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <math.h>
#include "expr_internal.h"
#include "esis/text.h"

static const expr_value NULLV = { .type = EXPR_NULL };

static expr_value bool_value(bool b)
{
    return (expr_value){ .type = EXPR_BOOL, .u.b = b };
}

static expr_value num_value(double n)
{
    return (expr_value){ .type = EXPR_NUM, .u.n = n };
}

/* Exact powers of ten as doubles: 10^0 .. 10^22. */
static const double POW10[] = {
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
    1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
};

bool expr_text_number(const char *s, double *out)
{
    while (*s == ' ')
        s++;
    if (!*s)
        return false;
    /* The batch check asks this of every value it compares, a million rows
     * times, and strtod was a tenth of its time.  Most values are text
     * that cannot be a number (a Thai name: the first byte says so), or a
     * short decimal: at most 15 digits is an exact integer m, and m divided
     * by an exact power of ten is rounded once, to the same double strtod
     * gives.  Anything else (exponents, hex, tabs) still goes to strtod. */
    unsigned char c0 = (unsigned char)*s;
    if (!((c0 >= '0' && c0 <= '9') || c0 == '-' || c0 == '+' || c0 == '.' ||
          c0 == '\t' || c0 == '\n' || c0 == '\v' || c0 == '\f' || c0 == '\r' ||
          c0 == 'i' || c0 == 'I' || c0 == 'n' || c0 == 'N'))
        return false;
    const char *p = s;
    bool neg = *p == '-';
    if (*p == '-' || *p == '+')
        p++;
    unsigned long long m = 0;
    int digits = 0, frac = 0;
    bool dot = false;
    for (;; p++) {
        if (*p >= '0' && *p <= '9') {
            if (digits < 18) m = m * 10 + (unsigned)(*p - '0');
            digits++;
            frac += dot;
        } else if (*p == '.' && !dot) {
            dot = true;
        } else
            break;
    }
    const char *q = p;
    while (*q == ' ')
        q++;
    if (!*q && digits > 0 && digits <= 15 && frac <= 22) {
        double v = (double)m / POW10[frac];
        *out = neg ? -v : v;
        return true;
    }
    char *end;
    double v = strtod(s, &end);
    if (end == s)
        return false;
    while (*end == ' ')
        end++;
    if (*end || !isfinite(v))
        return false;
    *out = v;
    return true;
}

bool expr_text_date(const char *s, long *days)
{
    text_date d;
    if (!text_date_parse(s, &d))
        return false;
    *days = text_date_to_days(d);
    return true;
}

bool expr_truthy(expr_value v)
{
    switch (v.type) {
    case EXPR_BOOL: return v.u.b;
    case EXPR_NUM:  return v.u.n != 0;
    case EXPR_STR:  return v.u.s[0] != '\0';
    case EXPR_DATE: return true;
    default:        return false;
    }
}

/* Text read as a number or a date, through the record's memo when the
 * text is a column's. */
static bool memo_number(expr_value v, const expr_env *env, double *out)
{
    expr_memo *m = env->memo;
    if (!m || v.col1 <= 0 || v.col1 > m->ncols) return expr_text_number(v.u.s, out);
    expr_memo_slot *sl = &m->slot[v.col1 - 1];
    if (sl->num_row != m->row) {
        sl->num_ok = expr_text_number(v.u.s, &sl->num);
        sl->num_row = m->row;
    }
    *out = sl->num;
    return sl->num_ok;
}

static bool memo_date(expr_value v, const expr_env *env, long *out)
{
    expr_memo *m = env->memo;
    if (!m || v.col1 <= 0 || v.col1 > m->ncols) return expr_text_date(v.u.s, out);
    expr_memo_slot *sl = &m->slot[v.col1 - 1];
    if (sl->date_row != m->row) {
        sl->date_ok = expr_text_date(v.u.s, &sl->days);
        sl->date_row = m->row;
    }
    *out = sl->days;
    return sl->date_ok;
}

static bool to_number(expr_value v, const expr_env *env, double *out)
{
    if (v.type == EXPR_NUM) { *out = v.u.n; return true; }
    if (v.type == EXPR_STR) return memo_number(v, env, out);
    if (v.type == EXPR_BOOL) { *out = v.u.b; return true; }
    return false;
}

static bool to_date(expr_value v, const expr_env *env, long *out)
{
    if (v.type == EXPR_DATE) { *out = v.u.days; return true; }
    if (v.type == EXPR_STR) return memo_date(v, env, out);
    return false;
}

/* -1, 0, 1, or 2 when a and b cannot be compared (an empty operand, text
 * that is not a date beside a date, ...). */
static int compare(expr_value a, expr_value b, const expr_env *env)
{
    if (a.type == EXPR_NULL || b.type == EXPR_NULL)
        return 2;
    if (a.type == EXPR_DATE || b.type == EXPR_DATE) {
        long x, y;
        if (!to_date(a, env, &x) || !to_date(b, env, &y)) return 2;
        return (x > y) - (x < y);
    }
    if (a.type == EXPR_STR && b.type == EXPR_STR) {
        double x, y;
        if (memo_number(a, env, &x) && memo_number(b, env, &y))
            return (x > y) - (x < y);
        int c = strcmp(a.u.s, b.u.s);
        return (c > 0) - (c < 0);
    }
    if (a.type == EXPR_BOOL && b.type == EXPR_BOOL)
        return (a.u.b > b.u.b) - (a.u.b < b.u.b);
    double x, y;
    if (!to_number(a, env, &x) || !to_number(b, env, &y))
        return 2;
    return (x > y) - (x < y);
}

static bool compare_op(expr_op op, int c)
{
    if (c == 2)
        return false;
    switch (op) {
    case OP_EQ: return c == 0;
    case OP_NE: return c != 0;
    case OP_LT: return c < 0;
    case OP_LE: return c <= 0;
    case OP_GT: return c > 0;
    default:    return c >= 0;
    }
}

static expr_value eval_node(const expr *e, int i, const char *const *vals,
                            const expr_env *env);

static expr_value kid(const expr *e, const expr_node *n, int k,
                      const char *const *vals, const expr_env *env)
{
    return eval_node(e, e->kids[n->kid0 + k], vals, env);
}

/* Text that is a date (and not a number) takes part in arithmetic as a
 * date: birth_date + 365. */
static expr_value promote_date(expr_value v, const expr_env *env)
{
    double x;
    long d;
    if (v.type == EXPR_STR && !memo_number(v, env, &x) && memo_date(v, env, &d))
        return (expr_value){ .type = EXPR_DATE, .u.days = d };
    return v;
}


/* A date moved by n days, or null when n is not a whole number of days in
 * range or the result is not a date of years 1..9999: a double too big for
 * a long made the conversion undefined (found by tests/fuzz/fuzz_expr with
 * round.as_of - 999...9). */
static expr_value date_shift(long days, double n)
{
    static const double max_shift = 3660000.0;   /* about 10,000 years */
    if (!(n >= -max_shift && n <= max_shift))
        return NULLV;
    long to = days + (long)n;
    if (to < text_date_to_days((text_date){ 1, 1, 1 }) ||
        to > text_date_to_days((text_date){ 9999, 12, 31 }))
        return NULLV;
    return (expr_value){ .type = EXPR_DATE, .u.days = to };
}
static expr_value arith(expr_op op, expr_value a, expr_value b, const expr_env *env)
{
    if (a.type == EXPR_NULL || b.type == EXPR_NULL)
        return NULLV;
    a = promote_date(a, env);
    b = promote_date(b, env);
    long da, db;
    double x, y;
    bool adate = a.type == EXPR_DATE, bdate = b.type == EXPR_DATE;
    if (adate || bdate) {
        /* date - date = days; date +/- days = date */
        if (op == OP_SUB && to_date(a, env, &da) && to_date(b, env, &db))
            return num_value((double)(da - db));
        if (adate && (op == OP_ADD || op == OP_SUB) && to_number(b, env, &y))
            return date_shift(a.u.days, op == OP_ADD ? y : -y);
        if (bdate && op == OP_ADD && to_number(a, env, &x))
            return date_shift(b.u.days, x);
        return NULLV;
    }
    if (!to_number(a, env, &x) || !to_number(b, env, &y))
        return NULLV;
    switch (op) {
    case OP_ADD: return num_value(x + y);
    case OP_SUB: return num_value(x - y);
    case OP_MUL: return num_value(x * y);
    default:     return y == 0 ? NULLV : num_value(x / y);
    }
}

static bool regex_match(const expr_node *n, expr_value v)
{
    const regex_t *re = n->re;
    char buf[64];
    const char *s;
    if (v.type == EXPR_STR)
        s = v.u.s;
    else if (v.type == EXPR_NULL)
        return false;
    else {
        expr_format(v, buf, sizeof buf);
        s = buf;
    }
    if (n->pat) return expr_pattern_match(n->pat, s);
    return regexec(re, s, 0, NULL, 0) == 0;
}

static const conf_code *list_find(const conf_codelist *l, expr_value v)
{
    char buf[64];
    const char *s;
    if (v.type == EXPR_STR)
        s = v.u.s;
    else if (v.type == EXPR_NUM) {
        expr_format(v, buf, sizeof buf);
        s = buf;
    } else
        return NULL;
    for (int i = 0; i < l->n; i++)
        if (strcmp(l->v[i].code, s) == 0)
            return &l->v[i];
    return NULL;
}

/* be_date(year, month, day): the date of a Buddhist Era year (16 May of
 * the academic year is be_date(round.year, 5, 16)); null unless all three
 * are whole numbers that make a real date. */
static expr_value be_date(expr_value y, expr_value m, expr_value d, const expr_env *env)
{
    double v[3];
    if (!to_number(y, env, &v[0]) || !to_number(m, env, &v[1]) || !to_number(d, env, &v[2]))
        return NULLV;
    for (int i = 0; i < 3; i++)
        if (v[i] != floor(v[i]) || v[i] < 0 || v[i] > 20000) return NULLV;
    text_date t = { (int)v[0] - 543, (int)v[1], (int)v[2] };
    if (!text_date_valid(t)) return NULLV;
    return (expr_value){ .type = EXPR_DATE, .u.days = text_date_to_days(t) };
}

static expr_value eval_in(const expr *e, const expr_node *n, const char *const *vals,
                          const expr_env *env)
{
    expr_value x = kid(e, n, 0, vals, env);
    if (x.type == EXPR_NULL)
        return bool_value(false);
    bool found = false;
    for (int k = 1; k < n->nkids && !found; k++)
        found = compare(x, kid(e, n, k, vals, env), env) == 0;
    return bool_value(n->op == OP_IN ? found : !found);
}

static expr_value eval_func(const expr *e, const expr_node *n, const char *const *vals,
                            const expr_env *env)
{
    expr_value a = kid(e, n, 0, vals, env);
    long d1, d2;
    double x;
    switch (n->op) {
    case OP_EMPTY:
        return bool_value(a.type == EXPR_NULL);
    case OP_LEN: {
        if (a.type == EXPR_NULL) return num_value(0);
        if (a.type != EXPR_STR) return NULLV;
        long count = 0;
        for (const unsigned char *s = (const unsigned char *)a.u.s; *s; s++)
            count += (*s & 0xC0) != 0x80;
        return num_value((double)count);
    }
    case OP_MATCHES:
    case OP_MATCHES_CONF:
    case OP_G_CODE_OK:
        return bool_value(regex_match(n, a));
    case OP_THAI_ID_OK:
        return bool_value(a.type == EXPR_STR && text_thai_id_ok(a.u.s));
    case OP_AGE_AT: {
        expr_value b = kid(e, n, 1, vals, env);
        if (!to_date(a, env, &d1) || !to_date(b, env, &d2)) return NULLV;
        return num_value(text_age_years(text_date_from_days(d1), text_date_from_days(d2)));
    }
    case OP_YEAR_OF:
        if (!to_date(a, env, &d1)) return NULLV;
        return num_value(text_date_from_days(d1).year);
    case OP_DATE:
        if (!to_date(a, env, &d1)) return NULLV;
        return (expr_value){ .type = EXPR_DATE, .u.days = d1 };
    case OP_IS_DATE:
        return bool_value(to_date(a, env, &d1));
    case OP_IN_LIST:
        return bool_value(list_find(n->list, a) != NULL);
    case OP_CODE_NUMBER: {
        const conf_code *c = list_find(n->list, a);
        return c && c->number >= 0 ? num_value(c->number) : NULLV;
    }
    case OP_CODE_GROUP: {
        const conf_code *c = list_find(n->list, a);
        return c && c->group && c->group[0] ? (expr_value){ .type = EXPR_STR, .u.s = c->group }
                                             : NULLV;
    }
    case OP_BE_YEAR:
        if (!to_date(a, env, &d1)) return NULLV;
        return num_value(text_date_from_days(d1).year + 543);
    case OP_BE_DATE:
        return be_date(a, kid(e, n, 1, vals, env), kid(e, n, 2, vals, env), env);
    case OP_IF:      /* only the branch taken is evaluated */
        return kid(e, n, expr_truthy(a) ? 1 : 2, vals, env);
    case OP_NUMBER:
        return to_number(a, env, &x) ? num_value(x) : NULLV;
    case OP_COALESCE:
        for (int k = 1; a.type == EXPR_NULL && k < n->nkids; k++)
            a = kid(e, n, k, vals, env);
        return a;
    default:
        return NULLV;
    }
}

static expr_value column_value(const char *s, int col)
{
    if (!s)
        return NULLV;
    const char *p = s;
    while (*p == ' ')
        p++;
    if (!*p)
        return NULLV;
    return (expr_value){ .type = EXPR_STR, .col1 = col + 1, .u.s = s };
}

static expr_value eval_node(const expr *e, int i, const char *const *vals,
                            const expr_env *env)
{
    const expr_node *n = &e->nodes[i];
    switch (n->op) {
    case OP_CONST: return n->val;
    case OP_COL:   return column_value(vals[n->col], n->col);
    case OP_LET:   return expr_eval(n->let, vals, env);
    case OP_ASOF:  return (expr_value){ .type = EXPR_DATE, .u.days = env->as_of };
    case OP_TODAY: return (expr_value){ .type = EXPR_DATE, .u.days = env->today };
    case OP_YEAR:  return num_value(env->year);
    case OP_AND:
        return bool_value(expr_truthy(kid(e, n, 0, vals, env)) &&
                          expr_truthy(kid(e, n, 1, vals, env)));
    case OP_OR:
        return bool_value(expr_truthy(kid(e, n, 0, vals, env)) ||
                          expr_truthy(kid(e, n, 1, vals, env)));
    case OP_NOT:
        return bool_value(!expr_truthy(kid(e, n, 0, vals, env)));
    case OP_EQ: case OP_NE: case OP_LT: case OP_LE: case OP_GT: case OP_GE:
        return bool_value(compare_op(n->op, compare(kid(e, n, 0, vals, env),
                                                    kid(e, n, 1, vals, env), env)));
    case OP_IN: case OP_NOT_IN:
        return eval_in(e, n, vals, env);
    case OP_BETWEEN: case OP_NOT_BETWEEN: {
        expr_value x = kid(e, n, 0, vals, env);
        int lo = compare(x, kid(e, n, 1, vals, env), env);
        int hi = compare(x, kid(e, n, 2, vals, env), env);
        if (lo == 2 || hi == 2)
            return bool_value(false);
        bool in = lo >= 0 && hi <= 0;
        return bool_value(n->op == OP_BETWEEN ? in : !in);
    }
    case OP_ADD: case OP_SUB: case OP_MUL: case OP_DIV:
        return arith(n->op, kid(e, n, 0, vals, env), kid(e, n, 1, vals, env), env);
    case OP_NEG: {
        double x;
        return to_number(kid(e, n, 0, vals, env), env, &x) ? num_value(-x) : NULLV;
    }
    default:
        return eval_func(e, n, vals, env);
    }
}

expr_value expr_eval(const expr *e, const char *const *values, const expr_env *env)
{
    return eval_node(e, e->root, values, env);
}

void expr_format(expr_value v, char *out, size_t outsz)
{
    if (outsz == 0)
        return;
    switch (v.type) {
    case EXPR_NULL:
        out[0] = '\0';
        break;
    case EXPR_BOOL:
        snprintf(out, outsz, "%s", v.u.b ? "true" : "false");
        break;
    case EXPR_NUM:
        if (v.u.n == floor(v.u.n) && fabs(v.u.n) < 1e15)
            snprintf(out, outsz, "%.0f", v.u.n);
        else
            snprintf(out, outsz, "%g", v.u.n);
        break;
    case EXPR_STR:
        snprintf(out, outsz, "%s", v.u.s);
        break;
    case EXPR_DATE: {
        char be[16];
        text_date_be(text_date_from_days(v.u.days), be);
        snprintf(out, outsz, "%s", be);
        break;
    }
    }
}

/*
 * expr_parse: compiles a rule expression into the node array of expr.
 *
 * A recursive-descent parser with one token of lookahead.  Everything that
 * can be decided once is decided here, so that evaluating a million records
 * does no lookups: field names become column indexes, regular expressions
 * are compiled, code lists and settings are found, date literals are read.
 * A name the schema, the language or the configuration does not know is an
 * error with its column, because a typo in a rule file must stop the load,
 * not silently pass every record.
 *
 * Precedence, lowest first: or, and, not, comparison (= != < <= > >= in
 * between), + -, * /, unary minus.
 *
 * Depth is bounded (EXPR_MAX_DEPTH): both how deep the parser recurses
 * ("not not not ...", "((((", "- - -") and how tall the tree grows
 * ("a + a + a + ..." is a left-leaning chain the evaluator recurses down).
 * Without the bound a rule file line of a few thousand bytes overflowed
 * the stack at load or at evaluation (found by tests/fuzz/fuzz_expr).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "expr_internal.h"

#define MAX_ARGS 64
#define EXPR_MAX_DEPTH 200
#define EXPR_MAX_DEPTH_TEXT "200"

typedef struct parser {
    expr_lexer        lx;
    expr_tok          tok;
    expr             *e;
    const expr_scope *scope;
    char             *err;
    size_t            errsz;
    bool              failed;
    int               nest;   /* parse_or / parse_not / parse_unary frames */
} parser;

static const struct fn_def {
    const char *name;
    expr_op     op;
    int         min, max;
    bool        list_arg;  /* second argument: a code list name */
} FUNCS[] = {
    {"empty", OP_EMPTY, 1, 1, false},       {"len", OP_LEN, 1, 1, false},
    {"matches", OP_MATCHES, 2, 2, false},   {"age_at", OP_AGE_AT, 2, 2, false},
    {"year", OP_YEAR_OF, 1, 1, false},      {"date", OP_DATE, 1, 1, false},
    {"is_date", OP_IS_DATE, 1, 1, false},   {"thai_id_ok", OP_THAI_ID_OK, 1, 1, false},
    {"g_code_ok", OP_G_CODE_OK, 1, 1, false},
    {"in_list", OP_IN_LIST, 2, 2, true},    {"code_number", OP_CODE_NUMBER, 2, 2, true},
    {"code_group", OP_CODE_GROUP, 2, 2, true},
    {"matches_conf", OP_MATCHES_CONF, 2, 2, false},
    {"number", OP_NUMBER, 1, 1, false},     {"coalesce", OP_COALESCE, 1, MAX_ARGS, false},
    {"conf", OP_CONST, 1, 1, false},
    {"be_year", OP_BE_YEAR, 1, 1, false},   {"be_date", OP_BE_DATE, 3, 3, false},
    {"if", OP_IF, 3, 3, false},
};

const char *const EXPR_FUNCTIONS[] = {
    "empty", "len", "matches", "age_at", "year", "date", "is_date",
    "thai_id_ok", "g_code_ok", "in_list", "code_number", "code_group",
    "matches_conf", "number",
    "coalesce", "conf", "be_year", "be_date", "if", NULL
};

static void fail(parser *p, int column, const char *fmt, const char *what)
{
    if (p->failed)
        return;
    p->failed = true;
    char msg[256];
    snprintf(msg, sizeof msg, fmt, what ? what : "");
    snprintf(p->err, p->errsz, "column %d: %s", column, msg);
}

static void next(parser *p)
{
    if (p->failed)
        return;
    p->tok = expr_lex_next(&p->lx, p->err, p->errsz);
    if (p->tok.kind == TK_ERROR)
        p->failed = true;
}

static bool tok_is(const parser *p, const char *word)
{
    return p->tok.kind == TK_IDENT && p->tok.len == strlen(word) &&
           strncasecmp(p->tok.start, word, p->tok.len) == 0;
}

/* ---- building ---------------------------------------------------------- */

static int add_node(parser *p, expr_op op, const int *kids, int nkids)
{
    expr *e = p->e;
    if (p->failed)
        return -1;
    if (e->nnodes == e->capnodes) {
        int cap = e->capnodes ? e->capnodes * 2 : 16;
        expr_node *v = realloc(e->nodes, (size_t)cap * sizeof *v);
        if (!v) { fail(p, p->tok.column, "out of memory%s", ""); return -1; }
        e->nodes = v; e->capnodes = cap;
    }
    if (e->nkids + nkids > e->capkids) {
        int cap = e->capkids ? e->capkids * 2 : 16;
        while (cap < e->nkids + nkids) cap *= 2;
        int *v = realloc(e->kids, (size_t)cap * sizeof *v);
        if (!v) { fail(p, p->tok.column, "out of memory%s", ""); return -1; }
        e->kids = v; e->capkids = cap;
    }
    int height = 1;
    for (int i = 0; i < nkids; i++)
        if (kids[i] >= 0 && e->nodes[kids[i]].height + 1 > height)
            height = e->nodes[kids[i]].height + 1;
    if (height > EXPR_MAX_DEPTH) {
        fail(p, p->tok.column, "expression too deeply nested (more than %s levels)", EXPR_MAX_DEPTH_TEXT);
        return -1;
    }
    expr_node *n = &e->nodes[e->nnodes];
    memset(n, 0, sizeof *n);
    n->op = op;
    n->nkids = nkids;
    n->kid0 = e->nkids;
    n->height = height;
    for (int i = 0; i < nkids; i++)
        e->kids[e->nkids++] = kids[i];
    return e->nnodes++;
}

/* Keep a copy of a literal's text; the expr owns it. */
static const char *keep_text(parser *p, const char *s, size_t n)
{
    expr *e = p->e;
    if (e->nstrs == e->capstrs) {
        int cap = e->capstrs ? e->capstrs * 2 : 8;
        char **v = realloc(e->strs, (size_t)cap * sizeof *v);
        if (!v) { fail(p, p->tok.column, "out of memory%s", ""); return NULL; }
        e->strs = v; e->capstrs = cap;
    }
    char *c = malloc(n + 1);
    if (!c) { fail(p, p->tok.column, "out of memory%s", ""); return NULL; }
    memcpy(c, s, n);
    c[n] = '\0';
    e->strs[e->nstrs++] = c;
    return c;
}

static int add_const(parser *p, expr_value v)
{
    int n = add_node(p, OP_CONST, NULL, 0);
    if (n >= 0)
        p->e->nodes[n].val = v;
    return n;
}

/* ---- grammar ------------------------------------------------------------ */

static int parse_or(parser *p);
static int parse_add(parser *p);

/* One more level of recursion, or a failure when that is too many. */
static bool nest_enter(parser *p)
{
    if (++p->nest <= EXPR_MAX_DEPTH)
        return true;
    fail(p, p->tok.column, "expression too deeply nested (more than %s levels)", EXPR_MAX_DEPTH_TEXT);
    return false;
}

static const conf_codelist *find_list(const expr_scope *s, const char *name)
{
    if (!s->conf)
        return NULL;
    for (int i = 0; i < s->conf->ncodes; i++)
        if (strcmp(s->conf->codes[i].name, name) == 0)
            return &s->conf->codes[i];
    return NULL;
}

static bool find_setting(const expr_scope *s, const char *name, double *out)
{
    return s->conf && conf_number(s->conf, name, out);
}

static regex_t *compile_regex(parser *p, const char *pattern, int column)
{
    const char *unfit = expr_regex_unfit(pattern);
    if (unfit) {
        char msg[200];
        snprintf(msg, sizeof msg, "%.60s (at most %d characters, counts up to %d, %d positions"
                 " written out, no back-references)", unfit, EXPR_REGEX_MAX_LEN,
                 EXPR_REGEX_MAX_COUNT, EXPR_REGEX_MAX_SIZE);
        fail(p, column, "regular expression refused: %s", msg);
        return NULL;
    }
    regex_t *re = malloc(sizeof *re);
    if (!re) { fail(p, column, "out of memory%s", ""); return NULL; }
    int rc = regcomp(re, pattern, REG_EXTENDED | REG_NOSUB);
    if (rc != 0) {
        char why[128];
        regerror(rc, re, why, sizeof why);
        free(re);
        char msg[200];
        snprintf(msg, sizeof msg, "bad regular expression: %s", why);
        fail(p, column, "%s", msg);
        return NULL;
    }
    return re;
}

/* The function's special arguments: literal lists, patterns, settings. */
static int finish_call(parser *p, const struct fn_def *f, int *args, int nargs,
                       const expr_tok *argtok, int column)
{
    expr *e = p->e;
    bool literal2 = f->list_arg || f->op == OP_MATCHES || f->op == OP_MATCHES_CONF;
    if (f->op == OP_CONST || literal2) {
        int a = f->op == OP_CONST ? 0 : 1;
        if (e->nodes[args[a]].op != OP_CONST || e->nodes[args[a]].val.type != EXPR_STR) {
            fail(p, argtok[a].column, "%s() needs a quoted name or pattern here", f->name);
            return -1;
        }
    }
    if (f->op == OP_CONST) {                 /* conf('setting') */
        const char *name = e->nodes[args[0]].val.u.s;
        double v;
        if (!find_setting(p->scope, name, &v)) {
            fail(p, argtok[0].column, "unknown setting '%s'", name);
            return -1;
        }
        return add_const(p, (expr_value){ .type = EXPR_NUM, .u.n = v });
    }
    const char *last_pattern = NULL;
    int n = add_node(p, f->op, args, literal2 ? 1 : nargs);
    if (n < 0)
        return -1;
    if (f->list_arg) {
        const char *name = e->nodes[args[1]].val.u.s;
        const conf_codelist *l = find_list(p->scope, name);
        if (!l) { fail(p, argtok[1].column, "unknown code list '%s'", name); return -1; }
        e->nodes[n].list = l;
    } else if (f->op == OP_MATCHES) {
        e->nodes[n].re = compile_regex(p, e->nodes[args[1]].val.u.s, argtok[1].column);
    } else if (f->op == OP_MATCHES_CONF) {
        const char *name = e->nodes[args[1]].val.u.s;
        const esis_conf *c = p->scope->conf;
        const char *pat = !c ? NULL
                        : strcmp(name, "g_code_pattern") == 0 ? c->g_code_pattern
                        : strcmp(name, "school_code_pattern") == 0 ? c->school_code_pattern
                        : NULL;
        if (!pat) { fail(p, argtok[1].column, "unknown pattern setting '%s'", name); return -1; }
        e->nodes[n].re = compile_regex(p, pat, argtok[1].column);
        last_pattern = pat;
    } else if (f->op == OP_G_CODE_OK) {
        const char *pat = p->scope->g_code_pattern ? p->scope->g_code_pattern
                                                   : "^G[0-9]{12}$";
        e->nodes[n].re = compile_regex(p, pat, column);
        last_pattern = pat;
    }
    /* the simple patterns skip regexec (expr_pattern.c) */
    const char *src = f->op == OP_MATCHES ? e->nodes[args[1]].val.u.s
                    : f->op == OP_MATCHES_CONF || f->op == OP_G_CODE_OK ? last_pattern : NULL;
    if (src && !p->failed && e->nodes[n].re) {
        expr_pattern pat;
        if (expr_pattern_compile(src, &pat) && (e->nodes[n].pat = malloc(sizeof pat)))
            *e->nodes[n].pat = pat;
    }
    return p->failed ? -1 : n;
}

static int parse_call(parser *p, expr_tok name)
{
    const struct fn_def *f = NULL;
    for (size_t i = 0; i < sizeof FUNCS / sizeof FUNCS[0]; i++)
        if (strlen(FUNCS[i].name) == name.len &&
            strncasecmp(FUNCS[i].name, name.start, name.len) == 0)
            f = &FUNCS[i];
    if (!f) {
        char nm[64];
        snprintf(nm, sizeof nm, "%.*s", (int)(name.len < 60 ? name.len : 60), name.start);
        fail(p, name.column, "unknown function '%s'", nm);
        return -1;
    }
    next(p);                                 /* ( */
    int args[MAX_ARGS];
    expr_tok argtok[MAX_ARGS];
    int nargs = 0;
    if (p->tok.kind != TK_RPAREN) {
        for (;;) {
            if (nargs == MAX_ARGS) { fail(p, p->tok.column, "too many arguments%s", ""); return -1; }
            argtok[nargs] = p->tok;
            args[nargs] = parse_or(p);
            if (p->failed) return -1;
            nargs++;
            if (p->tok.kind != TK_COMMA) break;
            next(p);
        }
    }
    if (p->tok.kind != TK_RPAREN) { fail(p, p->tok.column, "expected ')'%s", ""); return -1; }
    next(p);
    if (nargs < f->min || nargs > f->max) {
        fail(p, name.column, "wrong number of arguments to %s()", f->name);
        return -1;
    }
    return finish_call(p, f, args, nargs, argtok, name.column);
}

static int parse_name(parser *p)
{
    expr_tok t = p->tok;
    char nm[128];
    snprintf(nm, sizeof nm, "%.*s", (int)(t.len < 120 ? t.len : 120), t.start);
    next(p);
    if (p->tok.kind == TK_LPAREN)
        return parse_call(p, t);
    if (strcasecmp(nm, "true") == 0 || strcasecmp(nm, "false") == 0)
        return add_const(p, (expr_value){ .type = EXPR_BOOL, .u.b = nm[0] == 't' || nm[0] == 'T' });
    if (strcasecmp(nm, "null") == 0)
        return add_const(p, (expr_value){ .type = EXPR_NULL });
    if (strcasecmp(nm, "today") == 0)
        return add_node(p, OP_TODAY, NULL, 0);
    if (strcasecmp(nm, "round.as_of") == 0)
        return add_node(p, OP_ASOF, NULL, 0);
    if (strcasecmp(nm, "round.year") == 0)
        return add_node(p, OP_YEAR, NULL, 0);
    for (int i = 0; i < p->scope->nlets; i++)
        if (strcasecmp(p->scope->lets[i].name, nm) == 0) {
            int n = add_node(p, OP_LET, NULL, 0);
            if (n >= 0) p->e->nodes[n].let = p->scope->lets[i].e;
            return n;
        }
    const esis_table *tb = p->scope->table;
    for (int i = 0; tb && i < tb->ncols; i++)
        if (strcasecmp(tb->cols[i], nm) == 0) {
            int n = add_node(p, OP_COL, NULL, 0);
            if (n >= 0) p->e->nodes[n].col = i;
            return n;
        }
    fail(p, t.column, "unknown field '%s'", nm);
    return -1;
}

static int parse_primary(parser *p)
{
    expr_tok t = p->tok;
    switch (t.kind) {
    case TK_NUMBER: {
        char buf[64];
        snprintf(buf, sizeof buf, "%.*s", (int)(t.len < 60 ? t.len : 60), t.start);
        next(p);
        return add_const(p, (expr_value){ .type = EXPR_NUM, .u.n = strtod(buf, NULL) });
    }
    case TK_STRING: {
        const char *s = keep_text(p, t.start, t.len);
        next(p);
        return add_const(p, (expr_value){ .type = EXPR_STR, .u.s = s });
    }
    case TK_LPAREN: {
        next(p);
        int n = parse_or(p);
        if (!p->failed && p->tok.kind != TK_RPAREN)
            fail(p, p->tok.column, "expected ')'%s", "");
        next(p);
        return n;
    }
    case TK_IDENT:
        return parse_name(p);
    case TK_END:
        fail(p, t.column, "expression ends too early%s", "");
        return -1;
    default:
        fail(p, t.column, "unexpected '%s'", "");
        if (p->err && t.len) {
            char tk[32];
            snprintf(tk, sizeof tk, "%.*s", (int)(t.len < 30 ? t.len : 30), t.start);
            snprintf(p->err, p->errsz, "column %d: unexpected '%s'", t.column, tk);
        }
        return -1;
    }
}

static int parse_unary(parser *p)
{
    if (p->tok.kind == TK_MINUS) {
        next(p);
        if (!nest_enter(p)) return -1;
        int k = parse_unary(p);
        p->nest--;
        return p->failed ? -1 : add_node(p, OP_NEG, &k, 1);
    }
    return parse_primary(p);
}

static int parse_mul(parser *p)
{
    int l = parse_unary(p);
    while (!p->failed && (p->tok.kind == TK_STAR || p->tok.kind == TK_SLASH)) {
        expr_op op = p->tok.kind == TK_STAR ? OP_MUL : OP_DIV;
        next(p);
        int k[2] = { l, parse_unary(p) };
        l = add_node(p, op, k, 2);
    }
    return l;
}

static int parse_add(parser *p)
{
    int l = parse_mul(p);
    while (!p->failed && (p->tok.kind == TK_PLUS || p->tok.kind == TK_MINUS)) {
        expr_op op = p->tok.kind == TK_PLUS ? OP_ADD : OP_SUB;
        next(p);
        int k[2] = { l, parse_mul(p) };
        l = add_node(p, op, k, 2);
    }
    return l;
}

static int parse_in_list(parser *p, int left, bool negate)
{
    int k[MAX_ARGS];
    int n = 0;
    k[n++] = left;
    if (p->tok.kind != TK_LPAREN) { fail(p, p->tok.column, "expected '(' after in%s", ""); return -1; }
    next(p);
    for (;;) {
        if (n == MAX_ARGS) { fail(p, p->tok.column, "too many values in the list%s", ""); return -1; }
        k[n++] = parse_add(p);
        if (p->failed) return -1;
        if (p->tok.kind != TK_COMMA) break;
        next(p);
    }
    if (p->tok.kind != TK_RPAREN) { fail(p, p->tok.column, "expected ')'%s", ""); return -1; }
    next(p);
    return add_node(p, negate ? OP_NOT_IN : OP_IN, k, n);
}

static int parse_cmp(parser *p)
{
    int l = parse_add(p);
    if (p->failed)
        return -1;
    static const struct { expr_tok_kind t; expr_op op; } cmps[] = {
        {TK_EQ, OP_EQ}, {TK_NE, OP_NE}, {TK_LT, OP_LT},
        {TK_LE, OP_LE}, {TK_GT, OP_GT}, {TK_GE, OP_GE},
    };
    for (size_t i = 0; i < sizeof cmps / sizeof cmps[0]; i++)
        if (p->tok.kind == cmps[i].t) {
            next(p);
            int k[2] = { l, parse_add(p) };
            return add_node(p, cmps[i].op, k, 2);
        }
    bool negate = false;
    if (tok_is(p, "not")) {
        negate = true;
        next(p);
        if (!tok_is(p, "in") && !tok_is(p, "between")) {
            fail(p, p->tok.column, "expected 'in' or 'between' after 'not'%s", "");
            return -1;
        }
    }
    if (tok_is(p, "in")) {
        next(p);
        return parse_in_list(p, l, negate);
    }
    if (tok_is(p, "between")) {
        next(p);
        int k[3] = { l, parse_add(p), -1 };
        if (!p->failed && !tok_is(p, "and")) {
            fail(p, p->tok.column, "expected 'and' in between%s", "");
            return -1;
        }
        next(p);
        k[2] = parse_add(p);
        return add_node(p, negate ? OP_NOT_BETWEEN : OP_BETWEEN, k, 3);
    }
    return l;
}

static int parse_not(parser *p)
{
    if (tok_is(p, "not")) {
        next(p);
        if (!nest_enter(p)) return -1;
        int k = parse_not(p);
        p->nest--;
        return p->failed ? -1 : add_node(p, OP_NOT, &k, 1);
    }
    return parse_cmp(p);
}

static int parse_and(parser *p)
{
    int l = parse_not(p);
    while (!p->failed && tok_is(p, "and")) {
        next(p);
        int k[2] = { l, parse_not(p) };
        l = add_node(p, OP_AND, k, 2);
    }
    return l;
}

static int parse_or(parser *p)
{
    if (!nest_enter(p)) return -1;
    int l = parse_and(p);
    while (!p->failed && tok_is(p, "or")) {
        next(p);
        int k[2] = { l, parse_and(p) };
        l = add_node(p, OP_OR, k, 2);
    }
    p->nest--;
    return l;
}

expr *expr_compile(const char *src, const expr_scope *scope, char *err, size_t errsz)
{
    expr *e = calloc(1, sizeof *e);
    if (!e) {
        snprintf(err, errsz, "out of memory");
        return NULL;
    }
    parser p = { .e = e, .scope = scope, .err = err, .errsz = errsz };
    expr_lex_init(&p.lx, src);
    next(&p);
    if (!p.failed && p.tok.kind == TK_END)
        fail(&p, p.tok.column, "empty expression%s", "");
    e->root = parse_or(&p);
    if (!p.failed && p.tok.kind != TK_END) {
        char tk[32];
        snprintf(tk, sizeof tk, "%.*s", (int)(p.tok.len < 30 ? p.tok.len : 30), p.tok.start);
        fail(&p, p.tok.column, "unexpected '%s'", tk);
    }
    if (p.failed) {
        expr_free(e);
        return NULL;
    }
    return e;
}

void expr_free(expr *e)
{
    if (!e)
        return;
    for (int i = 0; i < e->nnodes; i++)
        if (e->nodes[i].re) {
            regfree(e->nodes[i].re);
            free(e->nodes[i].re);
            free(e->nodes[i].pat);
        }
    for (int i = 0; i < e->nstrs; i++)
        free(e->strs[i]);
    free(e->strs);
    free(e->nodes);
    free(e->kids);
    free(e);
}

int expr_columns(const expr *e, int *cols, int max)
{
    int n = 0;
    for (int i = 0; e && i < e->nnodes; i++) {
        if (e->nodes[i].op != OP_COL)
            continue;
        bool seen = false;
        for (int k = 0; k < n; k++)
            seen = seen || cols[k] == e->nodes[i].col;
        if (!seen && n < max)
            cols[n++] = e->nodes[i].col;
    }
    return n;
}

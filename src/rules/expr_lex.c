/*
 * expr_lex: turns a rule expression into tokens.
 *
 * Kept apart from the parser so that every token carries its column: the
 * loader's errors say "column 17: unknown field 'citizn_id'", and the
 * column must count characters, not bytes, because officers write Thai in
 * string literals.  Identifiers may contain dots (round.as_of).
 */
#include <stdio.h>
#include <string.h>
#include "expr_internal.h"

void expr_lex_init(expr_lexer *lx, const char *src)
{
    lx->src = src;
    lx->p = src;
    lx->column = 1;
}

/* Advance one byte; continuation bytes of UTF-8 do not start a column. */
static void lex_advance(expr_lexer *lx)
{
    lx->p++;
    if (((unsigned char)*lx->p & 0xC0) != 0x80)
        lx->column++;
}

static bool is_ident_start(int c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

static bool is_ident_char(int c)
{
    return is_ident_start(c) || (c >= '0' && c <= '9') || c == '.';
}

static expr_tok lex_string(expr_lexer *lx, expr_tok t, char *err, size_t errsz)
{
    char quote = *lx->p;
    lex_advance(lx);
    t.start = lx->p;
    while (*lx->p && *lx->p != quote)
        lex_advance(lx);
    if (!*lx->p) {
        snprintf(err, errsz, "column %d: unterminated string", t.column);
        t.kind = TK_ERROR;
        return t;
    }
    t.len = (size_t)(lx->p - t.start);
    lex_advance(lx);
    t.kind = TK_STRING;
    return t;
}

static expr_tok lex_number(expr_lexer *lx, expr_tok t)
{
    bool dot = false;
    while ((*lx->p >= '0' && *lx->p <= '9') || (*lx->p == '.' && !dot)) {
        if (*lx->p == '.')
            dot = true;
        lex_advance(lx);
    }
    t.kind = TK_NUMBER;
    t.len = (size_t)(lx->p - t.start);
    return t;
}

/* Two-character operators first, then one-character ones. */
static expr_tok lex_operator(expr_lexer *lx, expr_tok t, char *err, size_t errsz)
{
    static const struct { const char *s; expr_tok_kind k; } ops[] = {
        {"==", TK_EQ}, {"!=", TK_NE}, {"<>", TK_NE}, {"<=", TK_LE},
        {">=", TK_GE}, {"=", TK_EQ}, {"<", TK_LT}, {">", TK_GT},
        {"+", TK_PLUS}, {"-", TK_MINUS}, {"*", TK_STAR}, {"/", TK_SLASH},
        {"(", TK_LPAREN}, {")", TK_RPAREN}, {",", TK_COMMA},
    };
    for (size_t i = 0; i < sizeof ops / sizeof ops[0]; i++) {
        size_t n = strlen(ops[i].s);
        if (strncmp(lx->p, ops[i].s, n) == 0) {
            for (size_t k = 0; k < n; k++)
                lex_advance(lx);
            t.kind = ops[i].k;
            t.len = n;
            return t;
        }
    }
    unsigned cp = (unsigned char)*lx->p;
    if (cp < 0x80)
        snprintf(err, errsz, "column %d: unexpected character '%c'", t.column, (int)cp);
    else
        snprintf(err, errsz, "column %d: unexpected character (text must be quoted)",
                 t.column);
    t.kind = TK_ERROR;
    return t;
}

expr_tok expr_lex_next(expr_lexer *lx, char *err, size_t errsz)
{
    while (*lx->p == ' ' || *lx->p == '\t' || *lx->p == '\n' || *lx->p == '\r')
        lex_advance(lx);
    expr_tok t = { TK_END, lx->p, 0, lx->column };
    int c = (unsigned char)*lx->p;
    if (c == 0)
        return t;
    if (c == '\'' || c == '"')
        return lex_string(lx, t, err, errsz);
    if ((c >= '0' && c <= '9') || (c == '.' && lx->p[1] >= '0' && lx->p[1] <= '9'))
        return lex_number(lx, t);
    if (is_ident_start(c)) {
        while (is_ident_char((unsigned char)*lx->p))
            lex_advance(lx);
        t.kind = TK_IDENT;
        t.len = (size_t)(lx->p - t.start);
        return t;
    }
    return lex_operator(lx, t, err, errsz);
}

/*
 * expr_internal: what the lexer, the parser and the evaluator share.
 *
 * A compiled expression is a flat array of nodes; a node's operands are
 * listed in a separate int array (kids) so that variadic nodes (in lists,
 * coalesce) need no allocation of their own.  Node 0..n-1 in build order,
 * the root is `root`.
 */
#ifndef ESIS_EXPR_INTERNAL_H
#define ESIS_EXPR_INTERNAL_H

#include <regex.h>
#include "esis/expr.h"
#include "esis/conf.h"

/* ---- tokens ---------------------------------------------------------- */

typedef enum expr_tok_kind {
    TK_END = 0, TK_IDENT, TK_NUMBER, TK_STRING,
    TK_LPAREN, TK_RPAREN, TK_COMMA,
    TK_EQ, TK_NE, TK_LT, TK_LE, TK_GT, TK_GE,
    TK_PLUS, TK_MINUS, TK_STAR, TK_SLASH,
    TK_ERROR
} expr_tok_kind;

typedef struct expr_tok {
    expr_tok_kind kind;
    const char   *start;  /* into the source */
    size_t        len;
    int           column; /* 1-based, in characters */
} expr_tok;

typedef struct expr_lexer {
    const char *src;
    const char *p;
    int         column;   /* column of *p */
} expr_lexer;

void expr_lex_init(expr_lexer *lx, const char *src);
/* The next token; TK_ERROR with a message in err on a bad character or an
 * unterminated string. */
expr_tok expr_lex_next(expr_lexer *lx, char *err, size_t errsz);

/* ---- nodes ----------------------------------------------------------- */

typedef enum expr_op {
    OP_CONST, OP_COL, OP_LET, OP_ASOF, OP_YEAR, OP_TODAY,
    OP_AND, OP_OR, OP_NOT,
    OP_EQ, OP_NE, OP_LT, OP_LE, OP_GT, OP_GE,
    OP_IN, OP_NOT_IN, OP_BETWEEN, OP_NOT_BETWEEN,
    OP_ADD, OP_SUB, OP_MUL, OP_DIV, OP_NEG,
    /* functions */
    OP_EMPTY, OP_LEN, OP_MATCHES, OP_AGE_AT, OP_YEAR_OF, OP_DATE,
    OP_IS_DATE, OP_THAI_ID_OK, OP_G_CODE_OK, OP_IN_LIST, OP_CODE_NUMBER,
    OP_CODE_GROUP, OP_MATCHES_CONF,
    OP_NUMBER, OP_COALESCE,
    OP_BE_YEAR, OP_BE_DATE, OP_IF
} expr_op;

/* A simple anchored pattern compiled for a greedy pass (expr_pattern.c). */
enum { EXPR_PATTERN_RUNS = 8 };
typedef struct expr_pattern_run {
    unsigned char set[32];   /* the bytes the run takes */
    int min, max;            /* max -1: no limit */
} expr_pattern_run;
typedef struct expr_pattern {
    expr_pattern_run runs[EXPR_PATTERN_RUNS];
    int n;
} expr_pattern;

/* Compile re when it is simple enough (see expr_pattern.c); false means
 * "use regexec", never an error. */
bool expr_pattern_compile(const char *re, expr_pattern *out);
bool expr_pattern_match(const expr_pattern *pat, const char *s);

/* A rule's regular expression must stay small in memory and time, since
 * regcomp builds one state per position of the expression with every
 * {n} written out ((a{1000}){1000} is a million positions, over 200 MB,
 * and nested deeper, gigabytes).  Refused: more than EXPR_REGEX_MAX_LEN
 * bytes, a count over EXPR_REGEX_MAX_COUNT, more than EXPR_REGEX_MAX_SIZE
 * positions once the counts are written out, a back-reference (\1: the
 * one construct whose match takes exponential time).  Without
 * back-references glibc's regexec runs in time proportional to the text
 * times the positions.  NULL when fit, else why (a static string). */
enum { EXPR_REGEX_MAX_LEN = 256, EXPR_REGEX_MAX_COUNT = 255, EXPR_REGEX_MAX_SIZE = 2000 };
const char *expr_regex_unfit(const char *re);

typedef struct expr_node {
    expr_op    op;
    int        nkids;
    int        kid0;      /* index of the first operand in expr.kids */
    int        col;       /* OP_COL */
    expr_value val;       /* OP_CONST */
    const expr *let;      /* OP_LET */
    regex_t   *re;        /* OP_MATCHES(_CONF), OP_G_CODE_OK: owned by the expr */
    expr_pattern *pat;    /* the same pattern without regexec, when simple: owned */
    const conf_codelist *list; /* OP_IN_LIST, OP_CODE_NUMBER, OP_CODE_GROUP */
    int        height;    /* 1 + the highest operand's: bounded by EXPR_MAX_DEPTH */
} expr_node;

struct expr {
    expr_node *nodes;  int nnodes, capnodes;
    int       *kids;   int nkids, capkids;
    char     **strs;   int nstrs, capstrs;   /* owned literal texts */
    int        root;
};

/* ---- helpers the evaluator and the parser share ----------------------- */

/* Read text as a number (whole string, spaces allowed around). */
bool expr_text_number(const char *s, double *out);
/* Read text as a date (ISO or DD/MM/BE) into days since 1970. */
bool expr_text_date(const char *s, long *days);

#endif

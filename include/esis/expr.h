/*
 * expr: the small expression language of conf/rules/<name>.ini.
 *
 * A rule's `when`, `check` and `let_*` values are compiled once, at load,
 * into a flat array of nodes whose field references are already column
 * indexes of the rule's table, whose regular expressions are already
 * compiled and whose code lists and settings are already looked up.
 * Evaluating a record then costs no name lookup and no allocation: values
 * are small structs returned by value, and strings are borrowed pointers
 * into the record (or into the compiled expression for literals).
 *
 * Syntax (see doc/rules.md for the full list):
 *   field names (columns of the table), let names, numbers, 'text' or "text",
 *   round.as_of  round.year  today  true  false
 *   = == != <> < <= > >=   and or not   + - * /   ( )
 *   x in ('a','b')   x not in (...)   x between a and b   x not between a and b
 *   empty(x) len(x) matches(x,'ERE') age_at(birth,at) year(d) date(x)
 *   is_date(x) thai_id_ok(x) g_code_ok(x) in_list(x,'list')
 *   code_number(x,'list') code_group(x,'list') matches_conf(x,'pattern_setting')
 *   conf('setting') number(x) coalesce(a,b,...) if(c,a,b) be_year(d)
 *   be_date(y,m,d)
 *
 * Empty values (NULL, "" or only spaces) are null; every comparison with a
 * null operand is false (so is `not in`); only empty() and coalesce() see
 * through that.  Text that looks like a number compares as a number, text
 * compared with a date is read as a date.
 *
 * Ownership: expr_compile returns an expr owned by the caller, freed with
 * expr_free.  The scope passed to expr_compile (table, conf, lets) must
 * outlive the expr: the expr keeps pointers into it.
 */
#ifndef ESIS_EXPR_H
#define ESIS_EXPR_H

#include <stdbool.h>
#include <stddef.h>
#include "esis/record.h"

struct esis_conf;

typedef enum expr_type {
    EXPR_NULL = 0, EXPR_BOOL, EXPR_NUM, EXPR_STR, EXPR_DATE
} expr_type;

typedef struct expr_value {
    expr_type type;
    int       col1;        /* EXPR_STR read from column col1 - 1; 0 otherwise */
    union {
        bool        b;
        double      n;
        const char *s;     /* borrowed: the record or the expr owns it */
        long        days;  /* EXPR_DATE: days since 1970-01-01 */
    } u;
} expr_value;

/* What an expression sees besides the record. */
/* What a column's text was read as in the current record, so that the six
 * rules reading birth_date parse it once a record and not six times: a
 * batch check keeps one per thread and bumps row before each record. */
typedef struct expr_memo_slot {
    unsigned date_row, num_row;   /* the row these were read in */
    bool     date_ok, num_ok;
    long     days;
    double   num;
} expr_memo_slot;

typedef struct expr_memo {
    unsigned        row;          /* starts at 1; 0 marks a slot never read */
    int             ncols;
    expr_memo_slot *slot;         /* ncols, owned by whoever made the memo */
} expr_memo;

typedef struct expr_env {
    long as_of;   /* days since 1970-01-01: the round's as-of date */
    long today;   /* days since 1970-01-01 */
    int  year;    /* academic year, BE */
    expr_memo *memo;  /* NULL: nothing remembered (one record at a time) */
} expr_env;

typedef struct expr expr;

/* Named sub-expressions a rule defines with let_<name> = ...; a later
 * expression may use <name> like a field. */
typedef struct expr_let {
    const char *name;
    const expr *e;
} expr_let;

/* What names mean while compiling. */
typedef struct expr_scope {
    const esis_table       *table;     /* fields resolve to its columns */
    const struct esis_conf *conf;      /* code lists and settings; may be NULL */
    const expr_let         *lets;      /* may be NULL */
    int                     nlets;
    const char             *g_code_pattern; /* ERE; NULL = "^G[0-9]{12}$" */
} expr_scope;

/* Compile src.  On error returns NULL and writes "column N: what" into err
 * (N counts characters from 1). */
expr *expr_compile(const char *src, const expr_scope *scope, char *err,
                   size_t errsz);
void expr_free(expr *e);

/* Evaluate against one record's values (ncols entries of the scope's
 * table, NULL = empty).  Never allocates. */
expr_value expr_eval(const expr *e, const char *const *values,
                     const expr_env *env);

/* True when v counts as true: a true boolean, a non-zero number, a date,
 * non-empty text. */
bool expr_truthy(expr_value v);

/* Format v for a message into out (always NUL-terminated): numbers without
 * a useless ".0", dates as DD/MM/YYYY in the Buddhist Era, null as "". */
void expr_format(expr_value v, char *out, size_t outsz);

/* Column indexes the expression reads, for tools; returns how many were
 * written (at most max). */
int expr_columns(const expr *e, int *cols, int max);

/* Names of the functions the language knows, NULL-terminated (for docs). */
extern const char *const EXPR_FUNCTIONS[];

#endif

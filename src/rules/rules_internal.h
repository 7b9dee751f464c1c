/*
 * rules_internal: the loaded rule set, shared by the loader, the record
 * evaluator, the batch check and the documentation writer.
 *
 * Everything here is owned by the rules_set and freed by rules_free.
 */
#ifndef ESIS_RULES_INTERNAL_H
#define ESIS_RULES_INTERNAL_H

#include "esis/rules.h"
#include "esis/expr.h"
#include "esis/conf.h"

/* A message template, cut at its placeholders once at load. */
typedef enum rules_part_kind {
    PART_TEXT,     /* literal text */
    PART_VALUE,    /* {value}: the first field's value (record) or the query's value */
    PART_FIELD,    /* {field}: the first field's name */
    PART_COLUMN,   /* {<column>}: any column of the record */
    PART_LET,      /* {<let name>}: a value the rule computes */
    PART_KEY,      /* {key}: the query's key */
    PART_SCHOOL    /* {school_code}: the query's school (record rules: a column) */
} rules_part_kind;

typedef struct rules_part {
    rules_part_kind kind;
    int   index;   /* column or let index */
    char *text;    /* PART_TEXT: owned */
    /* {name:list}: the value shown as the code list's label (ป.1 for P1),
     * Thai in message_th, English in message_en; NULL: as it is */
    const conf_codelist *codes;
    bool  en;
} rules_part;

typedef struct rules_msg {
    char       *src;    /* owned: the template as written */
    rules_part *parts;  /* owned */
    int         nparts;
} rules_msg;

typedef struct rules_rule {
    char             *id;        /* section name, "dmc.id_valid" */
    char             *file;      /* "conf/rules/dmc.ini" */
    const esis_table *table;     /* borrowed from the schema */
    rules_severity    severity;
    char            **fields;    /* owned, nfields entries */
    int               nfields;
    int               field_col; /* column of fields[0], -1 for none */
    char             *when_src, *check_src, *query, *note; /* owned */
    expr             *when, *check;                        /* owned */
    expr_let         *lets;      /* owned array; lets[i].name and .e owned */
    char            **let_srcs;  /* owned */
    int               nlets;
    rules_msg         msg_th, msg_en;
    bool              enabled;
    int               from_year; /* 0: always */
    bool              across_schools; /* a query rule that compares a school's rows with
                                       * other schools' (across_schools = yes): only a
                                       * session of every school runs it (the gate shows
                                       * a school officer their schools only), and a
                                       * school officer's check keeps its stored flags */
} rules_rule;

struct rules_set {
    rules_rule *v;
    int         n, cap;
    char      **files;           /* owned: the files read, in order */
    int         nfiles;
    const struct esis_conf *conf; /* borrowed: thresholds for :conf_NAME in queries */
};

/* The expression environment for a rules environment. */
expr_env rules_expr_env(const rules_env *env);

/* True when rule r applies in env (enabled, from_year). */
bool rules_applies(const rules_rule *r, const rules_env *env);

/* Evaluate one record rule on values; true when it raises a flag. */
bool rules_rule_fails(const rules_rule *r, const char *const *values,
                      const expr_env *xenv);

/* Render a message template.  values may be NULL (query rules), then
 * value/key/school come from the query row.  Returns a malloc'd string
 * (caller frees) or NULL when out of memory. */
char *rules_render(const rules_rule *r, const rules_msg *m, const char *const *values,
                   const expr_env *xenv, const char *value, const char *key,
                   const char *school);

/* Mark in mask (ncols of the rule's table) every column rule r reads:
 * its expressions, lets, fields and message placeholders. */
void rules_mark_columns(const rules_rule *r, bool *mask);

/* Append a flag (takes ownership of both messages). Returns 0 or -1. */
int rules_flags_push(rules_flags *out, const rules_rule *r, char *th, char *en);

#endif

/*
 * record: one row of one table, as text, with the table's shape.
 *
 * Everything that moves rows around (forms, CSV import, rules, audit) speaks
 * in records, so a new column in the schema reaches every subsystem without
 * a C change.  Values are UTF-8 strings in the table's column order; NULL
 * means empty.  Dates are ISO (CE) inside a record; the UI shows BE.
 *
 * A schema (esis_schema) is read from the open database once at start
 * (PRAGMA table_info) and owned by the application context; records borrow
 * their table from it and own their values.
 */
#ifndef ESIS_RECORD_H
#define ESIS_RECORD_H

#include <stdbool.h>

typedef struct esis_table {
    char  *name;        /* "students" */
    int    ncols;
    char **cols;        /* column names in table order */
    char **types;       /* declared types, upper case ("TEXT", "INTEGER", ...) */
    bool  *notnull;
    int    id_col;      /* index of "id" (INTEGER PRIMARY KEY) or -1 */
    int    school_col;  /* index of "school_code" or -1: rows scoped per school */
    int    round_col;   /* index of "round_code" or -1 */
    int    version_col; /* index of "row_version" or -1: optimistic locking */
    char **key_cols;    /* natural key columns (from the schema's esis_keys table) */
    int    nkey;
    bool   audited;     /* changes are written to the audit table */
    bool  *personal;    /* per column: personal data, masked for those who may
                         * not see it (citizen IDs, birth dates, addresses) */
    char  *collection;  /* dmc, emis, bobec or "" */
} esis_table;

typedef struct esis_schema {
    int          ntables;
    esis_table  *tables;
} esis_schema;

/* The table of that name or NULL. */
const esis_table *schema_table(const esis_schema *s, const char *name);
/* Index of column `col` in t, or -1. */
int schema_col(const esis_table *t, const char *col);
void schema_free(esis_schema *s);

typedef struct esis_record {
    const esis_table *table;   /* borrowed from the schema */
    char  **values;            /* owned; ncols entries, NULL = empty */
    long long id;              /* 0 for a record not yet saved */
    long long version;         /* row_version read with the record */
} esis_record;

/* A new empty record of table t; NULL on allocation failure. */
esis_record *record_new(const esis_table *t);
void record_free(esis_record *r);
/* Deep copy. */
esis_record *record_dup(const esis_record *r);

/* Value of a column by name or index; NULL when empty or unknown. */
const char *record_get(const esis_record *r, const char *col);
const char *record_get_i(const esis_record *r, int col);
/* Set a value (copied; NULL or "" empties it).  Returns 0, or -1 when the
 * column does not exist or memory ran out. */
int record_set(esis_record *r, const char *col, const char *value);
int record_set_i(esis_record *r, int col, const char *value);

/* The natural key as text, "col=value;..." style for messages and the audit
 * trail, or the id when the table has no natural key.  Caller frees. */
char *record_key_text(const esis_record *r);

#endif

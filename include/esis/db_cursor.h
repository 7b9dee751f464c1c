/*
 * db_cursor: a keyset-paged, sorted, filtered, searchable window over one
 * table or view of the schema, for lists that must stay instant at a million
 * rows.
 *
 * Nothing is counted or held beyond the page asked for: a page is the n rows
 * after (or before) an anchor row in the current order, fetched with
 * WHERE (sort, tie-break) > (anchor) ORDER BY sort, tie-break LIMIT n, never
 * with OFFSET.  The tie-break is `id` (or, for a view without one, its
 * natural key columns), so every row has exactly one place and pages are
 * contiguous and complete in both directions.
 *
 * How a column sorts:
 *   - a column with Thai sort keys (the sort_key_cols catalogue, migration
 *     4): by its key in the sort_keys table, an index range scan;
 *   - INTEGER, REAL, NUMERIC columns: numerically;
 *   - code-like text (names ending in _code, _id, _date, _on, _at, and
 *     login, grade): bytes (BINARY), so ordinary indexes serve;
 *   - any other text: COLLATE thai.
 * NULLs come first ascending, last descending (SQLite's order).
 *
 * The window is narrowed by: the session's scope (db_scope_sql on
 * school_code), the round (when the definition names one and the table has
 * round_code), filters (column = value) and an incremental search (FTS5
 * MATCH on the definition's trigram index for 3 characters or more, else a
 * LIKE 'text%' prefix on the search columns; Thai matched as typed).
 *
 * Personal columns come back masked (esis_mask) for sessions that may not
 * see personal data, and are then not searched either.
 *
 * Anchors are opaque text made by the cursor ("T61,I42": the sort value and
 * the tie-break values, typed and hex-encoded); they stay valid across
 * fetches, sorts of the same column and reopenings, and a row deleted since
 * still anchors correctly (its neighbours are found by value).
 *
 * Ownership: db_cursor_open copies the definition; the cursor borrows db
 * and the schema's table.  Rows passed to the callback live only during the
 * call.  Free with db_cursor_free.
 */
#ifndef ESIS_DB_CURSOR_H
#define ESIS_DB_CURSOR_H

#include <stdbool.h>
#include <stddef.h>
#include <sqlite3.h>
#include "esis/record.h"

typedef struct db_cursor db_cursor;

typedef struct db_cursor_def {
    const char        *table;        /* table or view of the schema */
    const char *const *cols;         /* the columns a row returns, in order */
    int                ncols;
    const char        *sort;         /* default sort column; NULL: the tie-break */
    const char        *round_code;   /* only this round (tables with round_code); NULL: all */
    const char *const *search_cols;  /* columns the prefix search looks at */
    int                nsearch;
    const char        *search_fts;   /* FTS5 table (content_rowid = id) or NULL */
    const char        *count_from;   /* a table of counts (column n, and round_code and
                                      * school_code as the table has them) that
                                      * db_cursor_count reads instead of the rows when
                                      * no search is on and every filter is on one of
                                      * its columns; NULL: count the rows */
} db_cursor_def;

/* Check the definition against the schema and open.  NULL with err naming
 * the table or column that does not exist. */
db_cursor *db_cursor_open(sqlite3 *db, const esis_schema *schema,
                          const db_cursor_def *def, char *err, size_t errsz);
void db_cursor_free(db_cursor *c);

/* Order by col (one of the table's columns), ascending or descending.  0,
 * or -1 when the column does not exist. */
int db_cursor_sort(db_cursor *c, const char *col, bool desc);
const char *db_cursor_sort_col(const db_cursor *c);
bool db_cursor_sort_desc(const db_cursor *c);

/* Keep only rows where col = value (value NULL removes col's filter).  0,
 * or -1 for an unknown column or when out of memory. */
int db_cursor_filter(db_cursor *c, const char *col, const char *value);
void db_cursor_filters_clear(db_cursor *c);
int db_cursor_nfilters(const db_cursor *c);

/* Incremental search; NULL or "" ends it.  0 or -1 (out of memory). */
int db_cursor_search(db_cursor *c, const char *text);
/* The search in force, "" when none. */
const char *db_cursor_search_text(const db_cursor *c);

typedef enum db_page_where {
    DB_PAGE_FIRST = 0,   /* the first n rows */
    DB_PAGE_LAST,        /* the last n rows */
    DB_PAGE_AT,          /* the anchor row (or the next one) and after it */
    DB_PAGE_AFTER,       /* the n rows just after the anchor */
    DB_PAGE_BEFORE,      /* the n rows just before the anchor */
} db_page_where;

typedef struct db_cursor_row {
    long long          id;       /* 0 for a view without id */
    const char *const *values;   /* ncols values as text; NULL = empty */
    const char        *anchor;   /* this row's anchor */
} db_cursor_row;

/* Called per row in display order (first to last on screen); non-zero
 * stops. */
typedef int (*db_cursor_row_fn)(void *user, const db_cursor_row *row);

/* Fetch up to n (1..1000) rows; anchor is needed for AT, AFTER, BEFORE.
 * Returns the number of rows delivered, or -1 with db_cursor_error (a bad
 * anchor, an SQL error). */
int db_cursor_fetch(db_cursor *c, db_page_where where, const char *anchor,
                    int n, db_cursor_row_fn fn, void *user);

/* How many rows the window holds, cheaply: exact when it is small (counted
 * with a cap) or when counted once before for the same narrowing (cached
 * until the filter or search changes; without a search a large window is
 * counted once), else a lower bound with *exact false.  -1 on error. */
long db_cursor_count(db_cursor *c, bool *exact);
/* The rows changed under the cursor (a save, a delete, an action): the
 * next db_cursor_count counts again instead of giving the kept number. */
void db_cursor_recount(db_cursor *c);

/* The last error, "" when none. */
const char *db_cursor_error(const db_cursor *c);

/* The worst open flag of each row of table in one query (the flags table):
 * marks[i] = '!' (an error), '?' (a warning) or ' '.  0 or -1. */
int db_flags_marks(sqlite3 *db, const char *table, const long long *ids,
                   int n, char *marks);

/* The stored flags of one row (errors first), within the session's scope:
 * fn(user, '!' or '?', field, message_th, message_en) for each; a non-zero
 * return stops.  Strings live during the call.  0 or -1. */
typedef int (*db_flag_fn)(void *user, char severity, const char *field,
                          const char *message_th, const char *message_en);
int db_flags_row(sqlite3 *db, const char *table, long long row_id,
                 db_flag_fn fn, void *user);

#endif

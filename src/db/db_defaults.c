/*
 * db_defaults.c: a new record starts with the schema's own defaults.
 *
 * A form for a new student must show status 1 ("studying") and poor 0, as
 * an INSERT without those columns would store them, or the rules see an
 * empty status and refuse a record the database would have accepted.  The
 * defaults are read from the schema (PRAGMA table_info), so they are never
 * written twice; only literal ones are taken (a number or a quoted
 * string), not expressions such as the timestamps of the bookkeeping
 * columns.
 */
#include "db_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int db_record_defaults(sqlite3 *db, esis_record *r)
{
    sqlite3_stmt *st = NULL;
    int rc = db_prepare(db, "SELECT name, dflt_value FROM pragma_table_info(?1)"
                            " WHERE dflt_value IS NOT NULL", &st);
    if (rc != SQLITE_OK)
        return rc;
    sqlite3_bind_text(st, 1, r->table->name, -1, SQLITE_STATIC);
    while ((rc = db_step(st)) == SQLITE_ROW) {
        const char *col = (const char *)sqlite3_column_text(st, 0);
        const char *d = (const char *)sqlite3_column_text(st, 1);
        int i = schema_col(r->table, col);
        size_t n = strlen(d);
        if (i < 0 || r->values[i] || i == r->table->version_col)
            continue;
        if (n >= 2 && d[0] == '\'' && d[n - 1] == '\'' && !memchr(d + 1, '\'', n - 2)) {
            char *v = strndup(d + 1, n - 2);
            if (v)
                record_set_i(r, i, v);
            free(v);
        } else if (strspn(d, "-0123456789.") == n) {
            record_set_i(r, i, d);
        }
    }
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? SQLITE_OK : rc;
}

char *db_column_default(sqlite3 *db, const char *table, const char *col)
{
    sqlite3_stmt *st = NULL;
    char *d = NULL;
    if (db_prepare(db, "SELECT dflt_value FROM pragma_table_info(?1) WHERE name = ?2", &st) != SQLITE_OK)
        return NULL;
    sqlite3_bind_text(st, 1, table, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, col, -1, SQLITE_STATIC);
    if (db_step(st) == SQLITE_ROW && sqlite3_column_type(st, 0) != SQLITE_NULL)
        d = strdup((const char *)sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
    return d;
}

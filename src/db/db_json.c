/*
 * db_json.c: JSON objects split by SQLite (json_each), so that no JSON is
 * parsed in C.  Used for a quarantined import row, kept as the object of
 * its header names and values, when the TUI opens it in a form to fix.
 */
#include "db_internal.h"

#include <stdlib.h>
#include <string.h>

void db_json_split_free(char **keys, char **values, int n)
{
    for (int i = 0; i < n; i++) {
        if (keys) free(keys[i]);
        if (values) free(values[i]);
    }
    free(keys);
    free(values);
}

int db_json_split(sqlite3 *db, const char *json, char ***keys, char ***values, int *n)
{
    *keys = NULL;
    *values = NULL;
    *n = 0;
    sqlite3_stmt *st = NULL;
    if (!json || db_prepare(db, "SELECT key, value FROM json_each(?1)"
                                " WHERE json_type(?1) = 'object' ORDER BY id", &st) != SQLITE_OK)
        return -1;
    sqlite3_bind_text(st, 1, json, -1, SQLITE_STATIC);
    int cap = 0, rc;
    while ((rc = db_step(st)) == SQLITE_ROW) {
        if (*n == cap) {
            cap = cap ? cap * 2 : 32;
            char **k = realloc(*keys, (size_t)cap * sizeof *k);
            if (k) *keys = k;
            char **v = realloc(*values, (size_t)cap * sizeof *v);
            if (v) *values = v;
            if (!k || !v) { rc = SQLITE_NOMEM; break; }
        }
        const char *k = (const char *)sqlite3_column_text(st, 0);
        const char *v = (const char *)sqlite3_column_text(st, 1);
        (*keys)[*n] = strdup(k ? k : "");
        (*values)[*n] = v && *v ? strdup(v) : NULL;
        (*n)++;
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) {
        db_json_split_free(*keys, *values, *n);
        *keys = *values = NULL;
        *n = 0;
        return -1;
    }
    return 0;
}

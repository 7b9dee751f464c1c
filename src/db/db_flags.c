/*
 * db_flags.c: the flag markers a list shows beside its rows, read for a
 * whole page in one query (never one per row).
 */
#include "db_internal.h"
#include "esis/db_cursor.h"
#include "esis/strbuf.h"

#include <stdio.h>
#include <string.h>

int db_flags_marks(sqlite3 *db, const char *table, const long long *ids,
                   int n, char *marks)
{
    memset(marks, ' ', (size_t)(n > 0 ? n : 0));
    if (n <= 0)
        return 0;
    strbuf sql = STRBUF_INIT;
    strbuf_add(&sql, "SELECT row_id, max(severity = 'error') FROM flags"
                     " WHERE table_name = ?1 AND row_id IN (");
    for (int i = 0; i < n; i++)
        strbuf_addf(&sql, "%s%lld", i ? "," : "", ids[i]);
    strbuf_add(&sql, ") GROUP BY row_id");
    sqlite3_stmt *st = NULL;
    int rc = sql.failed ? SQLITE_NOMEM : db_prepare(db, strbuf_str(&sql), &st);
    strbuf_free(&sql);
    if (rc != SQLITE_OK)
        return -1;
    sqlite3_bind_text(st, 1, table, -1, SQLITE_STATIC);
    while ((rc = db_step(st)) == SQLITE_ROW) {
        long long id = sqlite3_column_int64(st, 0);
        for (int i = 0; i < n; i++)
            if (ids[i] == id)
                marks[i] = sqlite3_column_int(st, 1) ? '!' : '?';
    }
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? 0 : -1;
}

int db_flags_row(sqlite3 *db, const char *table, long long row_id,
                 db_flag_fn fn, void *user)
{
    char scope[128];
    char sql[512];
    snprintf(sql, sizeof sql,
             "SELECT severity, field, message_th, message_en FROM flags"
             " WHERE table_name = ?1 AND row_id = ?2 AND %s"
             " ORDER BY severity = 'warning', id",
             db_scope_sql(db, "school_code", scope, sizeof scope));
    sqlite3_stmt *st = NULL;
    if (db_prepare(db, sql, &st) != SQLITE_OK)
        return -1;
    sqlite3_bind_text(st, 1, table, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, row_id);
    int rc;
    while ((rc = db_step(st)) == SQLITE_ROW) {
        const char *sev = (const char *)sqlite3_column_text(st, 0);
        if (fn(user, sev && !strcmp(sev, "error") ? '!' : '?',
               (const char *)sqlite3_column_text(st, 1),
               (const char *)sqlite3_column_text(st, 2),
               (const char *)sqlite3_column_text(st, 3)) != 0) {
            rc = SQLITE_DONE;
            break;
        }
    }
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? 0 : -1;
}

/*
 * db_flags.c: the flag markers a list shows beside its rows, read for a
 * whole page in one query (never one per row).
 */
#include "db_internal.h"
#include "esis/db_cursor.h"
#include "esis/strbuf.h"

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

/* Internal to src/db: the typed values of db_cursor's anchors and
 * parameters, and the anchor text format ("T61,I42": a type letter and the
 * value, hex for text and blobs, comma-separated). */
#ifndef ESIS_DB_CURSOR_INTERNAL_H
#define ESIS_DB_CURSOR_INTERNAL_H

#include "db_internal.h"
#include "esis/db_cursor.h"
#include "esis/strbuf.h"

/* A typed value: an anchor part or a parameter. */
typedef struct db_val {
    int    type;         /* SQLITE_NULL, _INTEGER, _FLOAT, _TEXT, _BLOB */
    long long i;
    double r;
    char  *bytes;        /* owned (TEXT and BLOB) */
    int    n;
} db_val;

void db_val_clear(db_val *v);
/* Append column i of the current row of st to an anchor being built. */
void db_anchor_add(strbuf *sb, sqlite3_stmt *st, int i);
/* Decode an anchor into v[0..want); 0 or -1 when malformed (v then holds
 * what was decoded: clear it either way). */
int db_anchor_parse(const char *a, db_val *v, int want);
void db_val_bind(sqlite3_stmt *st, int i, const db_val *v);

#endif

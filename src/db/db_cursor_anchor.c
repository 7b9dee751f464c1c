/*
 * db_cursor_anchor.c: the anchors of db_cursor as text.  An anchor must
 * bring back exactly the values SQLite compared (an INTEGER is not the TEXT
 * of its digits, a BLOB sort key is not text), so each part carries its type
 * and the bytes are hex: the anchor survives being held as a C string by
 * the table widget, whatever bytes a key contains.
 */
#include "db_cursor_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void db_val_clear(db_val *v)
{
    free(v->bytes);
    memset(v, 0, sizeof *v);
}

/* ---- anchors ------------------------------------------------------------- */

void db_anchor_add(strbuf *sb, sqlite3_stmt *st, int i)
{
    static const char hex[] = "0123456789abcdef";
    if (sb->len)
        strbuf_addc(sb, ',');
    switch (sqlite3_column_type(st, i)) {
    case SQLITE_NULL:
        strbuf_addc(sb, 'N');
        return;
    case SQLITE_INTEGER:
        strbuf_addf(sb, "I%lld", (long long)sqlite3_column_int64(st, i));
        return;
    case SQLITE_FLOAT:
        strbuf_addf(sb, "R%.17g", sqlite3_column_double(st, i));
        return;
    default: {
        bool blob = sqlite3_column_type(st, i) == SQLITE_BLOB;
        const unsigned char *p = blob ? sqlite3_column_blob(st, i)
                                      : sqlite3_column_text(st, i);
        int n = sqlite3_column_bytes(st, i);
        strbuf_addc(sb, blob ? 'B' : 'T');
        for (int k = 0; k < n; k++) {
            strbuf_addc(sb, hex[p[k] >> 4]);
            strbuf_addc(sb, hex[p[k] & 15]);
        }
    }
    }
}

static int hexval(char ch)
{
    return ch >= '0' && ch <= '9' ? ch - '0' : ch >= 'a' && ch <= 'f' ? ch - 'a' + 10 : -1;
}

/* Decode "T61,I42" into v[0..want); 0 or -1 when malformed. */
int db_anchor_parse(const char *a, db_val *v, int want)
{
    int k = 0;
    while (k < want) {
        const char *end = strchr(a, ',');
        size_t len = end ? (size_t)(end - a) : strlen(a);
        db_val *x = &v[k];
        char num[64];
        if (len == 0)
            return -1;
        switch (a[0]) {
        case 'N':
            x->type = SQLITE_NULL;
            break;
        case 'I':
        case 'R':
            if (len - 1 >= sizeof num)
                return -1;
            memcpy(num, a + 1, len - 1);
            num[len - 1] = '\0';
            x->type = a[0] == 'I' ? SQLITE_INTEGER : SQLITE_FLOAT;
            x->i = strtoll(num, NULL, 10);
            x->r = strtod(num, NULL);
            break;
        case 'T':
        case 'B':
            if ((len - 1) % 2)
                return -1;
            x->type = a[0] == 'T' ? SQLITE_TEXT : SQLITE_BLOB;
            x->n = (int)((len - 1) / 2);
            x->bytes = malloc((size_t)x->n + 1);
            if (!x->bytes)
                return -1;
            for (int i = 0; i < x->n; i++) {
                int hi = hexval(a[1 + 2 * i]), lo = hexval(a[2 + 2 * i]);
                if (hi < 0 || lo < 0)
                    return -1;
                x->bytes[i] = (char)(hi << 4 | lo);
            }
            x->bytes[x->n] = '\0';
            break;
        default:
            return -1;
        }
        k++;
        if (!end)
            break;
        a = end + 1;
    }
    return k == want ? 0 : -1;
}

void db_val_bind(sqlite3_stmt *st, int i, const db_val *v)
{
    switch (v->type) {
    case SQLITE_INTEGER: sqlite3_bind_int64(st, i, v->i); break;
    case SQLITE_FLOAT:   sqlite3_bind_double(st, i, v->r); break;
    case SQLITE_TEXT:    sqlite3_bind_text(st, i, v->bytes, v->n, SQLITE_STATIC); break;
    case SQLITE_BLOB:    sqlite3_bind_blob(st, i, v->bytes, v->n, SQLITE_STATIC); break;
    default:             sqlite3_bind_null(st, i); break;
    }
}

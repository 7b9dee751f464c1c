/* strbuf.c: the growable string behind SQL, JSON and message building. */
#include "esis/strbuf.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static bool grow(strbuf *sb, size_t extra)
{
    if (sb->failed) return false;
    if (sb->len + extra + 1 <= sb->cap) return true;
    size_t cap = sb->cap ? sb->cap : 64;
    while (cap < sb->len + extra + 1) cap *= 2;
    char *s = realloc(sb->s, cap);
    if (!s) { sb->failed = true; return false; }
    sb->s = s; sb->cap = cap;
    return true;
}

void strbuf_addn(strbuf *sb, const char *s, size_t n)
{
    if (!grow(sb, n)) return;
    memcpy(sb->s + sb->len, s, n);
    sb->len += n;
    sb->s[sb->len] = '\0';
}

void strbuf_add(strbuf *sb, const char *s) { strbuf_addn(sb, s, strlen(s)); }
void strbuf_addc(strbuf *sb, char c) { strbuf_addn(sb, &c, 1); }

void strbuf_addf(strbuf *sb, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0 || !grow(sb, (size_t)n)) return;
    va_start(ap, fmt);
    vsnprintf(sb->s + sb->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    sb->len += (size_t)n;
}

void strbuf_add_sql_literal(strbuf *sb, const char *s)
{
    if (!s) { strbuf_add(sb, "NULL"); return; }
    strbuf_addc(sb, '\'');
    for (const char *p = s; *p; p++) {
        if (*p == '\'') strbuf_addc(sb, '\'');
        strbuf_addc(sb, *p);
    }
    strbuf_addc(sb, '\'');
}

void strbuf_add_json_string(strbuf *sb, const char *s)
{
    if (!s) { strbuf_add(sb, "null"); return; }
    strbuf_addc(sb, '"');
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        switch (*p) {
        case '"':  strbuf_add(sb, "\\\""); break;
        case '\\': strbuf_add(sb, "\\\\"); break;
        case '\n': strbuf_add(sb, "\\n"); break;
        case '\r': strbuf_add(sb, "\\r"); break;
        case '\t': strbuf_add(sb, "\\t"); break;
        default:
            if (*p < 0x20) strbuf_addf(sb, "\\u%04x", *p);
            else strbuf_addc(sb, (char)*p);
        }
    }
    strbuf_addc(sb, '"');
}

void strbuf_reset(strbuf *sb)
{
    sb->len = 0;
    if (sb->s) sb->s[0] = '\0';
}

const char *strbuf_str(const strbuf *sb) { return sb->s ? sb->s : ""; }

char *strbuf_take(strbuf *sb)
{
    char *s = sb->s;
    if (!s && !sb->failed) s = calloc(1, 1);
    sb->s = NULL; sb->len = sb->cap = 0;
    return s;
}

void strbuf_free(strbuf *sb)
{
    free(sb->s);
    sb->s = NULL; sb->len = sb->cap = 0; sb->failed = false;
}

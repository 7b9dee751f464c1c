/*
 * strbuf: a growable NUL-terminated byte string, for building SQL, JSON and
 * messages.  The strbuf owns its bytes; strbuf_free releases them,
 * strbuf_take hands them to the caller (who frees them with free()).
 * An allocation failure is sticky: sb->failed is set and later appends do
 * nothing, so a builder checks once at the end.
 */
#ifndef ESIS_STRBUF_H
#define ESIS_STRBUF_H

#include <stdbool.h>
#include <stddef.h>

typedef struct strbuf {
    char  *s;
    size_t len, cap;
    bool   failed;
} strbuf;

#define STRBUF_INIT { NULL, 0, 0, false }

void strbuf_add(strbuf *sb, const char *s);
void strbuf_addn(strbuf *sb, const char *s, size_t n);
void strbuf_addc(strbuf *sb, char c);
void strbuf_addf(strbuf *sb, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* s as an SQL string literal: 'it''s' (NULL gives NULL). */
void strbuf_add_sql_literal(strbuf *sb, const char *s);
/* s as a JSON string: "a\"b" (NULL gives null). */
void strbuf_add_json_string(strbuf *sb, const char *s);
void strbuf_reset(strbuf *sb);
/* The string so far, never NULL ("" when empty). */
const char *strbuf_str(const strbuf *sb);
char *strbuf_take(strbuf *sb);
void strbuf_free(strbuf *sb);

#endif

/*
 * termsafe.c: text made safe for a terminal, as a function and as a stream
 * (include/esis/termsafe.h says what is replaced and why).
 *
 * The decoder is strict UTF-8 (no overlongs, no surrogates, nothing above
 * U+10FFFF) because a terminal that decodes leniently would otherwise see
 * a C1 control in an overlong form the filter let through.
 */
#define _GNU_SOURCE 1  /* fopencookie */
#include "esis/termsafe.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

enum { INCOMPLETE = -1, INVALID = 0 };

/* The length of the UTF-8 sequence at s (1..4), INVALID when s[0] does not
 * start a valid one, INCOMPLETE when s[0..n) is a valid start cut short. */
static int sequence_length(const unsigned char *s, size_t n, unsigned *cp)
{
    unsigned c = s[0];
    int len;
    unsigned lo = 0x80, hi = 0xBF;   /* the allowed range of the second byte */
    if (c < 0x80) { *cp = c; return 1; }
    if (c >= 0xC2 && c <= 0xDF) { len = 2; *cp = c & 0x1F; }
    else if (c >= 0xE0 && c <= 0xEF) {
        len = 3; *cp = c & 0x0F;
        if (c == 0xE0) lo = 0xA0;
        if (c == 0xED) hi = 0x9F;
    } else if (c >= 0xF0 && c <= 0xF4) {
        len = 4; *cp = c & 0x07;
        if (c == 0xF0) lo = 0x90;
        if (c == 0xF4) hi = 0x8F;
    } else {
        return INVALID;
    }
    for (int i = 1; i < len; i++) {
        if ((size_t)i >= n) return INCOMPLETE;
        unsigned b = s[i];
        if (i == 1 ? (b < lo || b > hi) : (b < 0x80 || b > 0xBF)) return INVALID;
        *cp = (*cp << 6) | (b & 0x3F);
    }
    return len;
}

static bool bidi_control(unsigned cp)
{
    return (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069);
}

size_t text_term_safe(const char *in, size_t n, bool final, strbuf *out)
{
    const unsigned char *s = (const unsigned char *)in;
    size_t i = 0;
    while (i < n) {
        unsigned char c = s[i];
        if (c == '\n' || c == '\t' || (c >= 0x20 && c < 0x7F)) {
            /* The common case: copy the run of plain ASCII at once. */
            size_t j = i + 1;
            while (j < n && (s[j] == '\n' || s[j] == '\t' || (s[j] >= 0x20 && s[j] < 0x7F))) j++;
            strbuf_addn(out, in + i, j - i);
            i = j;
            continue;
        }
        if (c == '\r') {
            if (i + 1 == n && !final) break;          /* is an LF next? the next piece says */
            if (i + 1 < n && s[i + 1] == '\n') strbuf_addc(out, '\r');
            else strbuf_add(out, "^M");
            i++;
            continue;
        }
        if (c < 0x20 || c == 0x7F) {
            strbuf_addc(out, '^');
            strbuf_addc(out, c == 0x7F ? '?' : (char)(c + 0x40));
            i++;
            continue;
        }
        unsigned cp = 0;
        int len = sequence_length(s + i, n - i, &cp);
        if (len == INCOMPLETE && !final) break;
        if (len <= 0) {
            strbuf_addf(out, "\\x%02x", c);
            i++;
        } else if (cp < 0xA0 || bidi_control(cp)) {
            strbuf_addf(out, "<U+%04X>", cp);
            i += (size_t)len;
        } else {
            strbuf_addn(out, in + i, (size_t)len);
            i += (size_t)len;
        }
    }
    return i;
}

char *text_term_safe_dup(const char *s)
{
    strbuf sb = STRBUF_INIT;
    strbuf_add(&sb, "");
    text_term_safe(s, strlen(s), true, &sb);
    if (sb.failed) { strbuf_free(&sb); return NULL; }
    return strbuf_take(&sb);
}

bool text_term_is_safe(const char *s, size_t n)
{
    strbuf sb = STRBUF_INIT;
    text_term_safe(s, n, true, &sb);
    bool same = !sb.failed && sb.len == n && (n == 0 || memcmp(sb.s, s, n) == 0);
    strbuf_free(&sb);
    return same;
}

/* ---- the stream ------------------------------------------------------ */

typedef struct term_stream {
    FILE  *under;       /* borrowed */
    char   held[8];     /* the start of a character (or a CR) cut by a write */
    size_t nheld;
    strbuf out;
} term_stream;

/* Filter held + buf and write the result to under. */
static int pass_on(term_stream *t, const char *buf, size_t size, bool final)
{
    strbuf in = STRBUF_INIT;
    const char *p = buf;
    size_t n = size;
    if (t->nheld) {
        strbuf_addn(&in, t->held, t->nheld);
        strbuf_addn(&in, buf, size);
        if (in.failed) { strbuf_free(&in); return -1; }
        p = in.s;
        n = in.len;
    }
    strbuf_reset(&t->out);
    size_t used = text_term_safe(p, n, final, &t->out);
    t->nheld = n - used;   /* at most 4 bytes: one cut character, or a CR */
    memcpy(t->held, p + used, t->nheld);
    strbuf_free(&in);
    if (t->out.failed) return -1;
    if (t->out.len && fwrite(t->out.s, 1, t->out.len, t->under) != t->out.len) return -1;
    return fflush(t->under) == 0 ? 0 : -1;
}

static ssize_t term_write(void *cookie, const char *buf, size_t size)
{
    return pass_on(cookie, buf, size, false) == 0 ? (ssize_t)size : -1;
}

static int term_close(void *cookie)
{
    term_stream *t = cookie;
    int rc = pass_on(t, "", 0, true);
    strbuf_free(&t->out);
    free(t);
    return rc == 0 ? 0 : EOF;
}

FILE *text_term_open(FILE *under)
{
    term_stream *t = calloc(1, sizeof *t);
    if (!t) return NULL;
    t->under = under;
    cookie_io_functions_t io = { NULL, term_write, NULL, term_close };
    FILE *f = fopencookie(t, "w", io);
    if (!f) { free(t); return NULL; }
    /* As the stream it stands for: a terminal sees each line when it is
     * written (and stderr at once), a pipe or file gets large writes. */
    int fd = fileno(under);
    if (under == stderr) setvbuf(f, NULL, _IONBF, 0);
    else if (fd >= 0 && isatty(fd)) setvbuf(f, NULL, _IOLBF, 0);
    return f;
}

int text_term_close(FILE *f)
{
    return f ? fclose(f) : 0;
}

/*
 * expr_pattern: the simple regular expressions of the rules, matched
 * without the regex engine.
 *
 * Nearly every pattern a rule uses is anchored and made of a few runs of
 * one character class: '^[0-9]{13}$' (a citizen ID), '^G[0-9]{12}$' (a G
 * code), '^ *[0-9]+ *$' (a room), '^[0-9]{10}$' (a school code).  glibc's
 * regexec on those costs a multibyte decode per character and a state
 * machine per call; in a batch check of a million students, more than
 * all the other operators together.  At load, such a pattern is compiled
 * here into a list of runs (a set of bytes, a minimum and a maximum count)
 * and matched by one greedy pass.
 *
 * A greedy pass is exact only when no run can take a character its
 * successor needs: so each run's set must be disjoint from the next one's.
 * Anything else (alternation, groups, '.', a class next to an overlapping
 * one, non-ASCII) is refused, and the caller keeps using regcomp/regexec:
 * the fast path never changes what a rule means.
 */
#include "expr_internal.h"

#include <stdlib.h>
#include <string.h>

static void set_add(expr_pattern_run *r, unsigned char c)
{
    r->set[c >> 3] |= (unsigned char)(1u << (c & 7));
}

static bool set_has(const expr_pattern_run *r, unsigned char c)
{
    return r->set[c >> 3] & (1u << (c & 7));
}

/* A bracket class of ASCII letters, digits, ranges and spaces; p after
 * '['.  Returns the character after ']' or NULL. */
static const char *parse_class(const char *p, expr_pattern_run *r)
{
    if (*p == '^' || *p == ']') return NULL;
    while (*p && *p != ']') {
        unsigned char a = (unsigned char)*p;
        if (a >= 0x80 || a == '[' || a == '\\') return NULL;
        if (p[1] == '-' && p[2] && p[2] != ']') {
            unsigned char b = (unsigned char)p[2];
            if (b >= 0x80 || b < a) return NULL;
            for (unsigned c = a; c <= b; c++) set_add(r, (unsigned char)c);
            p += 3;
        } else {
            set_add(r, a);
            p++;
        }
    }
    return *p == ']' ? p + 1 : NULL;
}

/* {n} or {n,m} or {n,}; p at '{'.  Returns the character after '}'. */
static const char *parse_count(const char *p, expr_pattern_run *r)
{
    char *end;
    long lo = strtol(p + 1, &end, 10);
    if (end == p + 1 || lo < 0 || lo > 1000) return NULL;
    long hi = lo;
    if (*end == ',') {
        const char *q = end + 1;
        if (*q == '}') hi = -1, end = (char *)q;
        else {
            hi = strtol(q, &end, 10);
            if (end == q || hi < lo || hi > 1000) return NULL;
        }
    }
    if (*end != '}') return NULL;
    r->min = (int)lo;
    r->max = (int)hi;
    return end + 1;
}

bool expr_pattern_compile(const char *re, expr_pattern *out)
{
    memset(out, 0, sizeof *out);
    const char *p = re;
    if (*p++ != '^') return false;
    while (*p && *p != '$') {
        if (out->n == EXPR_PATTERN_RUNS) return false;
        expr_pattern_run *r = &out->runs[out->n];
        unsigned char c = (unsigned char)*p;
        if (c == '[') {
            if (!(p = parse_class(p + 1, r))) return false;
        } else if ((c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
                   c == ' ' || c == '-' || c == '/' || c == ':' || c == '_') {
            set_add(r, c);
            p++;
        } else {
            return false;
        }
        r->min = r->max = 1;
        if (*p == '{') {
            if (!(p = parse_count(p, r))) return false;
        } else if (*p == '+') {
            r->max = -1; p++;
        } else if (*p == '*') {
            r->min = 0; r->max = -1; p++;
        } else if (*p == '?') {
            r->min = 0; p++;
        }
        if (*p == '{' || *p == '+' || *p == '*' || *p == '?') return false;
        if (out->n > 0) {
            const expr_pattern_run *prev = &out->runs[out->n - 1];
            for (int i = 0; i < 32; i++)
                if (prev->set[i] & r->set[i]) return false;
        }
        out->n++;
    }
    return p[0] == '$' && p[1] == '\0';
}

bool expr_pattern_match(const expr_pattern *pat, const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    for (int i = 0; i < pat->n; i++) {
        const expr_pattern_run *r = &pat->runs[i];
        int k = 0;
        while (*p && (r->max < 0 || k < r->max) && set_has(r, *p)) { p++; k++; }
        if (k < r->min) return false;
    }
    return *p == '\0';
}

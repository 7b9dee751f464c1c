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

/* ---- the bound on every rule's regular expression --------------------- */

/* The positions of each open group: its total so far and the weight of
 * its last atom (what a following quantifier multiplies). */
typedef struct re_level { long total, last; } re_level;

/* The count of a quantifier at p ('*', '+', '?', '{n}', '{n,}', '{n,m}'):
 * how many copies of the atom regcomp makes (2 for the open ones); 0 when
 * p is no quantifier, -1 when its count is over the bound.  *len its length. */
static long quantifier(const char *p, size_t *len)
{
    *len = 1;
    if (*p == '*' || *p == '+' || *p == '?') return 2;
    if (*p != '{') return 0;
    char *end;
    long lo = strtol(p + 1, &end, 10), hi = lo;
    if (end == p + 1) return 0;
    if (*end == ',') {
        const char *q = end + 1;
        hi = *q == '}' ? lo + 1 : strtol(q, &end, 10);
        if (*q == '}') end = (char *)q;
    }
    if (*end != '}') return 0;
    *len = (size_t)(end - p) + 1;
    if (lo > EXPR_REGEX_MAX_COUNT || hi > EXPR_REGEX_MAX_COUNT) return -1;
    return hi > lo ? hi : lo > 0 ? lo : 1;
}

/* Past a bracket class; p after '['.  NULL when it does not close. */
static const char *skip_class(const char *p)
{
    if (*p == '^') p++;
    if (*p == ']') p++;
    while (*p && *p != ']') {
        if (p[0] == '[' && (p[1] == ':' || p[1] == '.' || p[1] == '=')) {
            const char *close = strstr(p + 2, (char[]){ p[1], ']', '\0' });
            if (!close) return NULL;
            p = close + 2;
        } else {
            p++;
        }
    }
    return *p ? p + 1 : NULL;
}

const char *expr_regex_unfit(const char *re)
{
    enum { DEPTH = 32 };
    if (strlen(re) > EXPR_REGEX_MAX_LEN) return "longer than 256 characters";
    re_level lv[DEPTH] = { { 0, 0 } };
    int d = 0;
    for (const char *p = re; *p; ) {
        long atom = 0;
        if (*p == '\\') {
            if (p[1] >= '1' && p[1] <= '9') return "a back-reference (\\1 ... \\9) can take exponential time";
            atom = 1;
            p += p[1] ? 2 : 1;
        } else if (*p == '[') {
            if (!(p = skip_class(p + 1))) return NULL;    /* regcomp says what is wrong */
            atom = 1;
        } else if (*p == '(') {
            if (++d == DEPTH) return "groups nested too deep";
            lv[d] = (re_level){ 0, 0 };
            p++;
            continue;
        } else if (*p == ')' && d > 0) {
            atom = lv[d--].total;
            p++;
        } else if (*p == '|' || *p == '^' || *p == '$') {
            lv[d].last = 0;
            p++;
            continue;
        } else {
            size_t len;
            long k = quantifier(p, &len);
            if (k < 0) return "a repetition count over 255";
            if (k > 0) {
                lv[d].total += lv[d].last * (k - 1);
                lv[d].last *= k;
                p += len;
                if (lv[d].total > EXPR_REGEX_MAX_SIZE) return "too large once its repetitions are written out";
                continue;
            }
            atom = 1;
            p++;
        }
        lv[d].total += atom;
        lv[d].last = atom;
        if (lv[d].total > EXPR_REGEX_MAX_SIZE) return "too large once its repetitions are written out";
    }
    return NULL;
}

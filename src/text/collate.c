/*
 * collate.c: Thai dictionary order for SQLite's ORDER BY ... COLLATE thai,
 * for the stored sort keys (thai_key(), sort_keys) and for sorting in memory.
 *
 * libthai's th_strxfrm() knows the Thai rules (leading vowels เ แ โ ใ ไ sort
 * by the consonant after them, tone marks weigh less than letters,
 * punctuation and blanks only break ties) but works on NUL-terminated
 * TIS-620; its wide-character twin is declared in <thai/thwcoll.h> but not
 * exported by libthai 0.1.29.  So each string is decoded from UTF-8 and
 * mapped code point by code point with th_uni2tis() into a TIS-620 buffer.
 *
 * Scripts in the order of ICU's Thai collation.  libthai ranks digits,
 * then Latin letters, then Thai ones; ICU's Thai tailoring (CLDR "th",
 * [reorder Thai]) puts Thai letters before Latin ones, and a Thai office
 * expects its Thai names first.  th_strxfrm's key starts with the primary
 * weights, one byte a letter (a leading vowel after its consonant), up to
 * the first level delimiter; every byte of that part is moved by one
 * permutation (primary_order: digits, then Thai and everything else, then
 * Latin), built once from the weights libthai gives "0".."9" and the Latin
 * letters, so nothing here depends on libthai's table beyond what it
 * returns.  Within a script the order is libthai's, which agrees with ICU's
 * on Thai names (tests/test_collate_icu.c checks thousands of mixed strings
 * against ICU).
 *
 * One order for everything: the comparator compares the same keys the
 * sort_keys table stores, so a list read through the keys and one sorted by
 * COLLATE thai can never disagree.  Each key ends with a 0 byte and the
 * UTF-8 text, the tie-break: characters outside TIS-620 all become 0xFF (é
 * and è alike) and a NUL ends libthai's view of a string, yet a sort or an
 * index must never see two different strings as equal.
 *
 * This runs once per comparison in a sort over up to a million rows, so
 * short strings (every name) use buffers on the stack; only longer ones go
 * to the heap.  SQLite hands the callback strings that are NOT
 * NUL-terminated, hence the lengths everywhere.
 */
#include "esis/text.h"

#include <stdlib.h>
#include <pthread.h>
#include <string.h>
#include <thai/thcoll.h>
#include <thai/thwchar.h>

/* th_strcoll and th_strxfrm of libthai 0.1.29 read past the terminating
 * NUL of some strings (a leading vowel or a mark with nothing after it:
 * found by tests/fuzz/fuzz_id under valgrind, where the same two strings
 * compared both ways gave answers that depended on the stack's garbage).
 * So every TIS-620 buffer ends with TEXT_TIS_PAD NULs, not one. */
enum { TEXT_COLLATE_STACK = 256, TEXT_TIS_PAD = 16,
       /* th_strxfrm's key: 4 bytes a character at most (one per level) */
       TEXT_KEY_STACK = 4 * TEXT_COLLATE_STACK + 16 };

/* TIS-620 of s[0..n) into out (at least n + TEXT_TIS_PAD bytes: one byte
 * per code point, and a code point takes at least one UTF-8 byte); returns
 * how many characters.  ASCII and the Thai block map by arithmetic (what
 * th_uni2tis does for them), the rest through th_uni2tis. */
static size_t text_to_tis620(const char *s, size_t n, thchar_t *out)
{
    size_t i = 0, o = 0;

    while (i < n) {
        unsigned char c = (unsigned char)s[i];
        if (c < 0x80) {
            out[o++] = c;
            i++;
            continue;
        }
        unsigned cp;
        i += (size_t)text_utf8_decode(s + i, n - i, &cp);
        out[o++] = (cp >= 0x0E01 && cp <= 0x0E3A) || (cp >= 0x0E3F && cp <= 0x0E5B)
                   ? (thchar_t)(cp - 0x0E00 + 0xA0) : th_uni2tis((thwchar_t)cp);
    }
    memset(out + o, 0, TEXT_TIS_PAD);
    return o;
}

/* primary_order[w]: where libthai's primary weight w goes; bytes below
 * primary_lowest (the level delimiters, the final NUL) never move. */
static unsigned char primary_order[256];
static unsigned primary_lowest;
static pthread_once_t primary_once = PTHREAD_ONCE_INIT;

/* libthai's first key byte for one TIS-620 character (0 for none). */
static unsigned first_weight(thchar_t c)
{
    thchar_t in[TEXT_TIS_PAD] = { c }, out[16] = { 0 };
    th_strxfrm(out, in, sizeof out);
    return out[0];
}

static void primary_order_build(void)
{
    static const char digits[] = "0123456789";
    static const char latin[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    unsigned char rank[256] = { 0 };      /* 0 digit, 1 Thai and the rest, 2 Latin */

    /* the empty string's key is the delimiters alone: every weight of
     * the primary level is above the first of them */
    primary_lowest = first_weight(0) + 1;
    memset(rank, 1, sizeof rank);
    for (const char *p = digits; *p; p++)
        rank[first_weight((thchar_t)*p)] = 0;
    for (const char *p = latin; *p; p++)
        rank[first_weight((thchar_t)*p)] = 2;
    unsigned next = primary_lowest;
    for (unsigned char r = 0; r <= 2; r++)
        for (unsigned w = primary_lowest; w < 256; w++)
            if (rank[w] == r)
                primary_order[w] = (unsigned char)next++;
    for (unsigned w = 0; w < primary_lowest; w++)
        primary_order[w] = (unsigned char)w;
}

/* The key of s[0..n) (see the top of the file) into buf when it fits in
 * cap bytes, else into a new buffer; NULL when out of memory.  The caller
 * frees what is not buf. */
static unsigned char *thai_key_build(const char *s, size_t n, unsigned char *buf,
                                     size_t cap, size_t *outlen)
{
    thchar_t stack[TEXT_COLLATE_STACK];
    thchar_t *tis = n + TEXT_TIS_PAD <= sizeof stack ? stack : malloc(n + TEXT_TIS_PAD);
    unsigned char *key = NULL;

    if (tis == NULL)
        return NULL;
    pthread_once(&primary_once, primary_order_build);
    size_t chars = text_to_tis620(s, n, tis);
    /* a character gives at most one weight a level (a leading vowel and
     * its consonant two at the first, for two characters), plus three
     * level delimiters: when that bound fits, one pass of th_strxfrm;
     * else it is asked for the length first */
    size_t need = 4 * chars + 3;
    if (need + 1 + n + 1 > cap)
        need = th_strxfrm(NULL, tis, 0);
    key = need + 1 + n + 1 <= cap ? buf : malloc(need + 1 + n + 1);
    if (key != NULL) {
        size_t got = th_strxfrm(key, tis, need + 1);
        if (got > need)
            got = need;
        for (size_t i = 0; i < got && key[i] >= primary_lowest; i++)
            key[i] = primary_order[key[i]];
        key[got] = 0;
        if (n > 0)
            memcpy(key + got + 1, s, n);
        *outlen = got + 1 + n;
    }
    if (tis != stack)
        free(tis);
    return key;
}

static int text_bytes_compare(const void *a, size_t alen, const void *b,
                              size_t blen)
{
    size_t n = alen < blen ? alen : blen;
    int r = n > 0 ? memcmp(a, b, n) : 0;

    if (r != 0)
        return r < 0 ? -1 : 1;
    return alen < blen ? -1 : alen > blen ? 1 : 0;
}

/* The first level of s's key (primary weights, in ICU's script order)
 * and its delimiter into out (TEXT_COLLATE_STACK + 1 bytes); its length,
 * or 0 when s is too long for the stack (the caller then builds whole
 * keys).  th_strxfrm stops when its buffer is full, so this costs one
 * pass of the four. */
static size_t primary_part(const char *s, size_t n, unsigned char *out)
{
    thchar_t tis[TEXT_COLLATE_STACK];

    if (n + TEXT_TIS_PAD > sizeof tis)
        return 0;
    size_t chars = text_to_tis620(s, n, tis);
    /* at most one weight a character, then the delimiter: chars + 1 bytes,
     * and th_strxfrm keeps one byte for its NUL */
    size_t got = th_strxfrm(out, tis, chars + 2), i = 0;
    for (; i < got && out[i] >= primary_lowest; i++)
        out[i] = primary_order[out[i]];
    /* up to the delimiter: what follows it is a part of the next level,
     * as much as the buffer had room for */
    return i < got ? i + 1 : 0;
}

/* Most pairs in a sort differ at the first level: that part alone decides
 * them (a key is its first level, a delimiter below every weight, then the
 * rest, so the first difference there is the keys' first difference).  A
 * tie there takes the whole keys.  If the heap is exhausted for a very
 * long string, the comparison falls back to bytes: a comparator cannot
 * report an error, and a consistent answer is better than none. */
int text_thai_collate(const char *a, size_t alen, const char *b, size_t blen)
{
    unsigned char stack_a[TEXT_KEY_STACK], stack_b[TEXT_KEY_STACK];
    size_t ka = 0, kb = 0;

    if (a == NULL)
        a = "", alen = 0;
    if (b == NULL)
        b = "", blen = 0;
    if (alen == blen && memcmp(a, b, alen) == 0)
        return 0;
    pthread_once(&primary_once, primary_order_build);
    ka = primary_part(a, alen, stack_a);
    kb = primary_part(b, blen, stack_b);
    if (ka > 0 && kb > 0) {
        int r = text_bytes_compare(stack_a, ka, stack_b, kb);
        if (r != 0)
            return r;
    }
    unsigned char *ta = thai_key_build(a, alen, stack_a, sizeof stack_a, &ka);
    unsigned char *tb = thai_key_build(b, blen, stack_b, sizeof stack_b, &kb);
    int r = ta != NULL && tb != NULL ? text_bytes_compare(ta, ka, tb, kb)
                                     : text_bytes_compare(a, alen, b, blen);
    if (ta != stack_a)
        free(ta);
    if (tb != stack_b)
        free(tb);
    return r;
}

unsigned char *text_thai_sortkey(const char *s, size_t n, size_t *outlen)
{
    if (s == NULL)
        s = "", n = 0;
    return thai_key_build(s, n, NULL, 0, outlen);
}

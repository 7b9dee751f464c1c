/*
 * collate.c: Thai dictionary order for SQLite's ORDER BY ... COLLATE thai
 * and for sorting in memory.
 *
 * libthai's th_strcoll() knows the Thai rules (leading vowels เ แ โ ใ ไ sort
 * by the consonant after them, tone marks weigh less than letters) but works
 * on NUL-terminated TIS-620; its wide-character twin th_wcstrcoll() is
 * declared in <thai/thwcoll.h> but not exported by libthai 0.1.29.  So each
 * side is decoded from UTF-8 and mapped code point by code point with
 * th_uni2tis() (what th_uni2tis_line() does in a loop, without needing a
 * wchar_t buffer in between) into a TIS-620 buffer.
 *
 * This runs once per comparison in a sort over up to a million rows, so
 * short strings (every name) use a buffer on the stack; only longer ones
 * go to the heap.  SQLite hands the callback strings that are NOT
 * NUL-terminated, hence the lengths everywhere.
 *
 * Characters outside TIS-620 all become 0xFF (é and è alike), and a NUL
 * inside a string ends th_strcoll's view of it, so th_strcoll can call two
 * different strings equal: a byte comparison breaks the tie, because a sort
 * or an index must never see two different keys as equal.
 */
#include "esis/text.h"

#include <stdlib.h>
#include <string.h>
#include <thai/thcoll.h>
#include <thai/thwchar.h>

/* th_strcoll and th_strxfrm of libthai 0.1.29 read past the terminating
 * NUL of some strings (a leading vowel or a mark with nothing after it:
 * found by tests/fuzz/fuzz_id under valgrind, where the same two strings
 * compared both ways gave answers that depended on the stack's garbage).
 * So every TIS-620 buffer ends with TEXT_TIS_PAD NULs, not one. */
enum { TEXT_COLLATE_STACK = 256, TEXT_TIS_PAD = 16 };

/* TIS-620 of s[0..n) into out (at least n + TEXT_TIS_PAD bytes: one byte
 * per code point, and a code point takes at least one UTF-8 byte). */
static void text_to_tis620(const char *s, size_t n, thchar_t *out)
{
    size_t i = 0, o = 0;

    while (i < n) {
        unsigned cp;
        i += (size_t)text_utf8_decode(s + i, n - i, &cp);
        out[o++] = th_uni2tis((thwchar_t)cp);
    }
    memset(out + o, 0, TEXT_TIS_PAD);
}

static int text_bytes_compare(const char *a, size_t alen, const char *b,
                              size_t blen)
{
    size_t n = alen < blen ? alen : blen;
    int r = n > 0 ? memcmp(a, b, n) : 0;

    if (r != 0)
        return r < 0 ? -1 : 1;
    return alen < blen ? -1 : alen > blen ? 1 : 0;
}

/* If the heap is exhausted for a very long string, the comparison falls
 * back to bytes: a comparator cannot report an error, and a consistent
 * answer is better than none. */
int text_thai_collate(const char *a, size_t alen, const char *b, size_t blen)
{
    thchar_t stack_a[TEXT_COLLATE_STACK], stack_b[TEXT_COLLATE_STACK];
    thchar_t *ta = stack_a, *tb = stack_b;
    int r = 0;

    if (a == NULL)
        alen = 0;
    if (b == NULL)
        blen = 0;
    if (alen + TEXT_TIS_PAD > sizeof stack_a)
        ta = malloc(alen + TEXT_TIS_PAD);
    if (blen + TEXT_TIS_PAD > sizeof stack_b)
        tb = malloc(blen + TEXT_TIS_PAD);
    if (ta != NULL && tb != NULL) {
        text_to_tis620(a, alen, ta);
        text_to_tis620(b, blen, tb);
        r = th_strcoll(ta, tb);
    }
    if (ta != stack_a)
        free(ta);
    if (tb != stack_b)
        free(tb);
    if (r != 0)
        return r < 0 ? -1 : 1;
    return text_bytes_compare(a, alen, b, blen);
}

/* th_strxfrm gives a key whose strcmp order is th_strcoll's order (checked
 * over 2,400 Thai names, tests/test_db_cursor.c checks it again through
 * SQL); appending a 0 byte and the UTF-8 bytes reproduces the byte
 * tie-break of text_thai_collate: a 0 sorts before any key byte, so a key
 * that is a prefix of another still sorts first. */
unsigned char *text_thai_sortkey(const char *s, size_t n, size_t *outlen)
{
    thchar_t stack[TEXT_COLLATE_STACK];
    thchar_t *tis = n + TEXT_TIS_PAD <= sizeof stack ? stack : malloc(n + TEXT_TIS_PAD);
    unsigned char *key = NULL;

    if (s == NULL)
        n = 0;
    if (tis == NULL)
        return NULL;
    text_to_tis620(s, n, tis);
    /* th_strxfrm writes at most n and tells how long the whole key is */
    size_t need = th_strxfrm(NULL, tis, 0);
    key = malloc(need + 1 + n + 1);
    if (key != NULL) {
        size_t got = th_strxfrm(key, tis, need + 1);
        if (got > need)
            got = need;
        key[got] = 0;
        if (n > 0)
            memcpy(key + got + 1, s, n);
        *outlen = got + 1 + n;
    }
    if (tis != stack)
        free(tis);
    return key;
}

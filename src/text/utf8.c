/*
 * utf8.c: UTF-8 decoding and encoding, display width and cluster-safe
 * cutting and padding, plus a few small string helpers (trim, dup, Thai
 * digits to ASCII).
 *
 * Width is computed here rather than with wcwidth() alone because esis must
 * lay out Thai correctly even when the process runs in the "C" locale (a
 * test harness, a cron job, a misconfigured terminal): there glibc's
 * wcwidth() answers -1 for every non-ASCII character.  So Thai marks,
 * combining marks of other scripts and the East Asian wide ranges come from
 * tables in this file; only for characters those tables do not cover do we
 * ask wcwidth(), which then agrees with what ncurses will draw when the
 * locale is UTF-8 (and answers -1, counted as 1, when it is not).
 *
 * A "cluster" here is a base character and the zero-width marks that follow
 * it (ผู้ is one cluster of three code points).  Cutting never splits one,
 * because a Thai tone mark cut from its consonant would be drawn on the
 * wrong cell, or on the border of a box.
 */
#include "esis/text.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

/* ---- Decoding and encoding ------------------------------------------ */

int text_utf8_decode(const char *s, size_t n, unsigned *cp)
{
    const unsigned char *p = (const unsigned char *)s;
    unsigned b0 = p[0], c;
    int need;
    unsigned lo = 0x80, hi = 0xBF;  /* allowed range of the second byte */

    if (b0 < 0x80) {
        *cp = b0;
        return 1;
    }
    if (b0 >= 0xC2 && b0 <= 0xDF) {
        need = 1; c = b0 & 0x1F;
    } else if (b0 >= 0xE0 && b0 <= 0xEF) {
        need = 2; c = b0 & 0x0F;
        if (b0 == 0xE0) lo = 0xA0;      /* overlong */
        if (b0 == 0xED) hi = 0x9F;      /* surrogates */
    } else if (b0 >= 0xF0 && b0 <= 0xF4) {
        need = 3; c = b0 & 0x07;
        if (b0 == 0xF0) lo = 0x90;      /* overlong */
        if (b0 == 0xF4) hi = 0x8F;      /* above U+10FFFF */
    } else {
        goto invalid;                   /* continuation byte, C0, C1, F5.. */
    }
    if (n < (size_t)need + 1)
        goto invalid;
    if (p[1] < lo || p[1] > hi)
        goto invalid;
    for (int i = 1; i <= need; i++) {
        if ((p[i] & 0xC0) != 0x80)
            goto invalid;
        c = (c << 6) | (p[i] & 0x3F);
    }
    *cp = c;
    return need + 1;

invalid:
    *cp = 0xFFFD;
    return 1;
}

/* Code points that cannot be encoded (surrogates, above U+10FFFF) are
 * written as U+FFFD. */
int text_utf8_encode(unsigned cp, char *out)
{
    unsigned char *o = (unsigned char *)out;

    if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
        cp = 0xFFFD;
    if (cp < 0x80) {
        o[0] = (unsigned char)cp;
        return 1;
    }
    if (cp < 0x800) {
        o[0] = (unsigned char)(0xC0 | (cp >> 6));
        o[1] = (unsigned char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        o[0] = (unsigned char)(0xE0 | (cp >> 12));
        o[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
        o[2] = (unsigned char)(0x80 | (cp & 0x3F));
        return 3;
    }
    o[0] = (unsigned char)(0xF0 | (cp >> 18));
    o[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3F));
    o[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
    o[3] = (unsigned char)(0x80 | (cp & 0x3F));
    return 4;
}

bool text_utf8_valid(const char *s, size_t n)
{
    size_t i = 0;

    while (i < n) {
        unsigned cp;
        int k = text_utf8_decode(s + i, n - i, &cp);
        /* A one-byte U+FFFD is the decoder's error answer: a real U+FFFD
         * takes three bytes. */
        if (k == 1 && cp == 0xFFFD)
            return false;
        i += (size_t)k;
    }
    return true;
}

/* ---- Width tables ---------------------------------------------------- */

struct text_range {
    unsigned first, last;
};

/* Zero-width code points from U+0300 up: general categories Mn, Me and Cf
 * of Unicode 14 (less U+00AD SOFT HYPHEN and the Arabic/Syriac/Kaithi
 * prepended number signs, which glibc draws 1 wide), plus Hangul medial
 * vowels and final consonants (U+1160-11FF, U+D7B0-D7FF) which combine
 * with the initial consonant before them.  Generated with Python's
 * unicodedata; sorted, not overlapping.  Thai is here too (U+0E31,
 * U+0E34-0E3A, U+0E47-0E4E). */
static const struct text_range text_zero_width[] = {
    {0x0300, 0x036F}, {0x0483, 0x0489}, {0x0591, 0x05BD}, {0x05BF, 0x05BF},
    {0x05C1, 0x05C2}, {0x05C4, 0x05C5}, {0x05C7, 0x05C7}, {0x0610, 0x061A},
    {0x061C, 0x061C}, {0x064B, 0x065F}, {0x0670, 0x0670}, {0x06D6, 0x06DC},
    {0x06DF, 0x06E4}, {0x06E7, 0x06E8}, {0x06EA, 0x06ED}, {0x0711, 0x0711},
    {0x0730, 0x074A}, {0x07A6, 0x07B0}, {0x07EB, 0x07F3}, {0x07FD, 0x07FD},
    {0x0816, 0x0819}, {0x081B, 0x0823}, {0x0825, 0x0827}, {0x0829, 0x082D},
    {0x0859, 0x085B}, {0x0890, 0x0891}, {0x0898, 0x089F}, {0x08CA, 0x08E1},
    {0x08E3, 0x0902}, {0x093A, 0x093A}, {0x093C, 0x093C}, {0x0941, 0x0948},
    {0x094D, 0x094D}, {0x0951, 0x0957}, {0x0962, 0x0963}, {0x0981, 0x0981},
    {0x09BC, 0x09BC}, {0x09C1, 0x09C4}, {0x09CD, 0x09CD}, {0x09E2, 0x09E3},
    {0x09FE, 0x09FE}, {0x0A01, 0x0A02}, {0x0A3C, 0x0A3C}, {0x0A41, 0x0A42},
    {0x0A47, 0x0A48}, {0x0A4B, 0x0A4D}, {0x0A51, 0x0A51}, {0x0A70, 0x0A71},
    {0x0A75, 0x0A75}, {0x0A81, 0x0A82}, {0x0ABC, 0x0ABC}, {0x0AC1, 0x0AC5},
    {0x0AC7, 0x0AC8}, {0x0ACD, 0x0ACD}, {0x0AE2, 0x0AE3}, {0x0AFA, 0x0AFF},
    {0x0B01, 0x0B01}, {0x0B3C, 0x0B3C}, {0x0B3F, 0x0B3F}, {0x0B41, 0x0B44},
    {0x0B4D, 0x0B4D}, {0x0B55, 0x0B56}, {0x0B62, 0x0B63}, {0x0B82, 0x0B82},
    {0x0BC0, 0x0BC0}, {0x0BCD, 0x0BCD}, {0x0C00, 0x0C00}, {0x0C04, 0x0C04},
    {0x0C3C, 0x0C3C}, {0x0C3E, 0x0C40}, {0x0C46, 0x0C48}, {0x0C4A, 0x0C4D},
    {0x0C55, 0x0C56}, {0x0C62, 0x0C63}, {0x0C81, 0x0C81}, {0x0CBC, 0x0CBC},
    {0x0CBF, 0x0CBF}, {0x0CC6, 0x0CC6}, {0x0CCC, 0x0CCD}, {0x0CE2, 0x0CE3},
    {0x0D00, 0x0D01}, {0x0D3B, 0x0D3C}, {0x0D41, 0x0D44}, {0x0D4D, 0x0D4D},
    {0x0D62, 0x0D63}, {0x0D81, 0x0D81}, {0x0DCA, 0x0DCA}, {0x0DD2, 0x0DD4},
    {0x0DD6, 0x0DD6}, {0x0E31, 0x0E31}, {0x0E34, 0x0E3A}, {0x0E47, 0x0E4E},
    {0x0EB1, 0x0EB1}, {0x0EB4, 0x0EBC}, {0x0EC8, 0x0ECD}, {0x0F18, 0x0F19},
    {0x0F35, 0x0F35}, {0x0F37, 0x0F37}, {0x0F39, 0x0F39}, {0x0F71, 0x0F7E},
    {0x0F80, 0x0F84}, {0x0F86, 0x0F87}, {0x0F8D, 0x0F97}, {0x0F99, 0x0FBC},
    {0x0FC6, 0x0FC6}, {0x102D, 0x1030}, {0x1032, 0x1037}, {0x1039, 0x103A},
    {0x103D, 0x103E}, {0x1058, 0x1059}, {0x105E, 0x1060}, {0x1071, 0x1074},
    {0x1082, 0x1082}, {0x1085, 0x1086}, {0x108D, 0x108D}, {0x109D, 0x109D},
    {0x1160, 0x11FF}, {0x135D, 0x135F}, {0x1712, 0x1714}, {0x1732, 0x1733},
    {0x1752, 0x1753}, {0x1772, 0x1773}, {0x17B4, 0x17B5}, {0x17B7, 0x17BD},
    {0x17C6, 0x17C6}, {0x17C9, 0x17D3}, {0x17DD, 0x17DD}, {0x180B, 0x180F},
    {0x1885, 0x1886}, {0x18A9, 0x18A9}, {0x1920, 0x1922}, {0x1927, 0x1928},
    {0x1932, 0x1932}, {0x1939, 0x193B}, {0x1A17, 0x1A18}, {0x1A1B, 0x1A1B},
    {0x1A56, 0x1A56}, {0x1A58, 0x1A5E}, {0x1A60, 0x1A60}, {0x1A62, 0x1A62},
    {0x1A65, 0x1A6C}, {0x1A73, 0x1A7C}, {0x1A7F, 0x1A7F}, {0x1AB0, 0x1ACE},
    {0x1B00, 0x1B03}, {0x1B34, 0x1B34}, {0x1B36, 0x1B3A}, {0x1B3C, 0x1B3C},
    {0x1B42, 0x1B42}, {0x1B6B, 0x1B73}, {0x1B80, 0x1B81}, {0x1BA2, 0x1BA5},
    {0x1BA8, 0x1BA9}, {0x1BAB, 0x1BAD}, {0x1BE6, 0x1BE6}, {0x1BE8, 0x1BE9},
    {0x1BED, 0x1BED}, {0x1BEF, 0x1BF1}, {0x1C2C, 0x1C33}, {0x1C36, 0x1C37},
    {0x1CD0, 0x1CD2}, {0x1CD4, 0x1CE0}, {0x1CE2, 0x1CE8}, {0x1CED, 0x1CED},
    {0x1CF4, 0x1CF4}, {0x1CF8, 0x1CF9}, {0x1DC0, 0x1DFF}, {0x200B, 0x200F},
    {0x202A, 0x202E}, {0x2060, 0x2064}, {0x2066, 0x206F}, {0x20D0, 0x20F0},
    {0x2CEF, 0x2CF1}, {0x2D7F, 0x2D7F}, {0x2DE0, 0x2DFF}, {0x302A, 0x302D},
    {0x3099, 0x309A}, {0xA66F, 0xA672}, {0xA674, 0xA67D}, {0xA69E, 0xA69F},
    {0xA6F0, 0xA6F1}, {0xA802, 0xA802}, {0xA806, 0xA806}, {0xA80B, 0xA80B},
    {0xA825, 0xA826}, {0xA82C, 0xA82C}, {0xA8C4, 0xA8C5}, {0xA8E0, 0xA8F1},
    {0xA8FF, 0xA8FF}, {0xA926, 0xA92D}, {0xA947, 0xA951}, {0xA980, 0xA982},
    {0xA9B3, 0xA9B3}, {0xA9B6, 0xA9B9}, {0xA9BC, 0xA9BD}, {0xA9E5, 0xA9E5},
    {0xAA29, 0xAA2E}, {0xAA31, 0xAA32}, {0xAA35, 0xAA36}, {0xAA43, 0xAA43},
    {0xAA4C, 0xAA4C}, {0xAA7C, 0xAA7C}, {0xAAB0, 0xAAB0}, {0xAAB2, 0xAAB4},
    {0xAAB7, 0xAAB8}, {0xAABE, 0xAABF}, {0xAAC1, 0xAAC1}, {0xAAEC, 0xAAED},
    {0xAAF6, 0xAAF6}, {0xABE5, 0xABE5}, {0xABE8, 0xABE8}, {0xABED, 0xABED},
    {0xD7B0, 0xD7FF}, {0xFB1E, 0xFB1E}, {0xFE00, 0xFE0F}, {0xFE20, 0xFE2F},
    {0xFEFF, 0xFEFF}, {0xFFF9, 0xFFFB}, {0x101FD, 0x101FD}, {0x102E0, 0x102E0},
    {0x10376, 0x1037A}, {0x10A01, 0x10A03}, {0x10A05, 0x10A06}, {0x10A0C, 0x10A0F},
    {0x10A38, 0x10A3A}, {0x10A3F, 0x10A3F}, {0x10AE5, 0x10AE6}, {0x10D24, 0x10D27},
    {0x10EAB, 0x10EAC}, {0x10F46, 0x10F50}, {0x10F82, 0x10F85}, {0x11001, 0x11001},
    {0x11038, 0x11046}, {0x11070, 0x11070}, {0x11073, 0x11074}, {0x1107F, 0x11081},
    {0x110B3, 0x110B6}, {0x110B9, 0x110BA}, {0x110C2, 0x110C2}, {0x11100, 0x11102},
    {0x11127, 0x1112B}, {0x1112D, 0x11134}, {0x11173, 0x11173}, {0x11180, 0x11181},
    {0x111B6, 0x111BE}, {0x111C9, 0x111CC}, {0x111CF, 0x111CF}, {0x1122F, 0x11231},
    {0x11234, 0x11234}, {0x11236, 0x11237}, {0x1123E, 0x1123E}, {0x112DF, 0x112DF},
    {0x112E3, 0x112EA}, {0x11300, 0x11301}, {0x1133B, 0x1133C}, {0x11340, 0x11340},
    {0x11366, 0x1136C}, {0x11370, 0x11374}, {0x11438, 0x1143F}, {0x11442, 0x11444},
    {0x11446, 0x11446}, {0x1145E, 0x1145E}, {0x114B3, 0x114B8}, {0x114BA, 0x114BA},
    {0x114BF, 0x114C0}, {0x114C2, 0x114C3}, {0x115B2, 0x115B5}, {0x115BC, 0x115BD},
    {0x115BF, 0x115C0}, {0x115DC, 0x115DD}, {0x11633, 0x1163A}, {0x1163D, 0x1163D},
    {0x1163F, 0x11640}, {0x116AB, 0x116AB}, {0x116AD, 0x116AD}, {0x116B0, 0x116B5},
    {0x116B7, 0x116B7}, {0x1171D, 0x1171F}, {0x11722, 0x11725}, {0x11727, 0x1172B},
    {0x1182F, 0x11837}, {0x11839, 0x1183A}, {0x1193B, 0x1193C}, {0x1193E, 0x1193E},
    {0x11943, 0x11943}, {0x119D4, 0x119D7}, {0x119DA, 0x119DB}, {0x119E0, 0x119E0},
    {0x11A01, 0x11A0A}, {0x11A33, 0x11A38}, {0x11A3B, 0x11A3E}, {0x11A47, 0x11A47},
    {0x11A51, 0x11A56}, {0x11A59, 0x11A5B}, {0x11A8A, 0x11A96}, {0x11A98, 0x11A99},
    {0x11C30, 0x11C36}, {0x11C38, 0x11C3D}, {0x11C3F, 0x11C3F}, {0x11C92, 0x11CA7},
    {0x11CAA, 0x11CB0}, {0x11CB2, 0x11CB3}, {0x11CB5, 0x11CB6}, {0x11D31, 0x11D36},
    {0x11D3A, 0x11D3A}, {0x11D3C, 0x11D3D}, {0x11D3F, 0x11D45}, {0x11D47, 0x11D47},
    {0x11D90, 0x11D91}, {0x11D95, 0x11D95}, {0x11D97, 0x11D97}, {0x11EF3, 0x11EF4},
    {0x13430, 0x13438}, {0x16AF0, 0x16AF4}, {0x16B30, 0x16B36}, {0x16F4F, 0x16F4F},
    {0x16F8F, 0x16F92}, {0x16FE4, 0x16FE4}, {0x1BC9D, 0x1BC9E}, {0x1BCA0, 0x1BCA3},
    {0x1CF00, 0x1CF2D}, {0x1CF30, 0x1CF46}, {0x1D167, 0x1D169}, {0x1D173, 0x1D182},
    {0x1D185, 0x1D18B}, {0x1D1AA, 0x1D1AD}, {0x1D242, 0x1D244}, {0x1DA00, 0x1DA36},
    {0x1DA3B, 0x1DA6C}, {0x1DA75, 0x1DA75}, {0x1DA84, 0x1DA84}, {0x1DA9B, 0x1DA9F},
    {0x1DAA1, 0x1DAAF}, {0x1E000, 0x1E006}, {0x1E008, 0x1E018}, {0x1E01B, 0x1E021},
    {0x1E023, 0x1E024}, {0x1E026, 0x1E02A}, {0x1E130, 0x1E136}, {0x1E2AE, 0x1E2AE},
    {0x1E2EC, 0x1E2EF}, {0x1E8D0, 0x1E8D6}, {0x1E944, 0x1E94A}, {0xE0001, 0xE0001},
    {0xE0020, 0xE007F}, {0xE0100, 0xE01EF},
};

/* East Asian wide: two columns each. */
static const struct text_range text_wide[] = {
    {0x1100, 0x115F}, {0x2E80, 0xA4CF}, {0xAC00, 0xD7A3}, {0xF900, 0xFAFF},
    {0xFE30, 0xFE4F}, {0xFF00, 0xFF60}, {0xFFE0, 0xFFE6}, {0x1F300, 0x1FAFF},
    {0x20000, 0x3FFFD},
};

static bool text_in_ranges(unsigned cp, const struct text_range *r, size_t n)
{
    size_t lo = 0, hi = n;

    if (n == 0 || cp < r[0].first || cp > r[n - 1].last)
        return false;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (cp < r[mid].first)
            hi = mid;
        else if (cp > r[mid].last)
            lo = mid + 1;
        else
            return true;
    }
    return false;
}

#define TEXT_COUNT(a) (sizeof(a) / sizeof((a)[0]))

int text_cp_width(unsigned cp)
{
    if (cp < 0x20 || (cp >= 0x7F && cp < 0xA0))
        return 0;                       /* control characters */
    if (cp < 0x300)
        return 1;                       /* ASCII, Latin-1, Latin Extended */
    if (cp >= 0x0E00 && cp <= 0x0E7F) { /* Thai: the common case, no search */
        if (cp == 0x0E31 || (cp >= 0x0E34 && cp <= 0x0E3A) ||
            (cp >= 0x0E47 && cp <= 0x0E4E))
            return 0;
        return 1;                       /* SARA AM U+0E33 included */
    }
    if (text_in_ranges(cp, text_zero_width, TEXT_COUNT(text_zero_width)))
        return 0;
    if (text_in_ranges(cp, text_wide, TEXT_COUNT(text_wide)))
        return 2;
    if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
        return 1;                       /* drawn as a replacement character */
    /* Anything else: what the C library says when it knows (a UTF-8
     * locale), else one column. */
    {
        int w = wcwidth((wchar_t)cp);
        return w >= 0 ? w : 1;
    }
}

bool text_cp_is_combining(unsigned cp)
{
    return cp >= 0x300 && text_cp_width(cp) == 0;
}

/* ---- Clusters and widths --------------------------------------------- */

/* Length in bytes of the cluster at s (n > 0 bytes left) and its width:
 * the first code point and every combining one after it. */
static size_t text_cluster(const char *s, size_t n, int *width)
{
    unsigned cp;
    size_t len = (size_t)text_utf8_decode(s, n, &cp);

    *width = text_cp_width(cp);
    while (len < n) {
        int k = text_utf8_decode(s + len, n - len, &cp);
        if (!text_cp_is_combining(cp))
            break;
        len += (size_t)k;
    }
    return len;
}

int text_width_n(const char *s, size_t n)
{
    size_t i = 0;
    int w = 0;

    if (s == NULL)
        return 0;
    while (i < n) {
        unsigned cp;
        i += (size_t)text_utf8_decode(s + i, n - i, &cp);
        w += text_cp_width(cp);
    }
    return w;
}

int text_width(const char *s)
{
    return s == NULL ? 0 : text_width_n(s, strlen(s));
}

size_t text_prefix_for_width(const char *s, int cols, int *out_cols)
{
    size_t n, i = 0;
    int used = 0;

    if (s != NULL) {
        n = strlen(s);
        while (i < n) {
            int cw;
            size_t len = text_cluster(s + i, n - i, &cw);
            if (used + cw > cols)
                break;
            used += cw;
            i += len;
        }
    }
    if (out_cols != NULL)
        *out_cols = used;
    return i;
}

/* Appends to a fixed buffer, always leaving room for the final NUL, and
 * refuses a piece that does not fit whole, so that a short buffer cuts the
 * text at a cluster boundary rather than in the middle of a character. */
struct text_out {
    char *buf;
    size_t cap;
    size_t len;
};

static bool text_out_put(struct text_out *o, const char *p, size_t k)
{
    if (o->len + k >= o->cap)
        return false;
    memcpy(o->buf + o->len, p, k);
    o->len += k;
    o->buf[o->len] = '\0';
    return true;
}

static void text_out_spaces(struct text_out *o, int count)
{
    for (int i = 0; i < count; i++)
        if (!text_out_put(o, " ", 1))
            return;
}

/* A buffer too small for the result gets as many whole pieces as fit (the
 * line is then narrower than cols); callers size out as cols * 4 + 1 or
 * so: every column takes at most 4 bytes plus its marks. */
size_t text_fit(char *out, size_t outsz, const char *s, int cols, char align,
                bool ellipsis)
{
    struct text_out o = { out, outsz, 0 };
    size_t n, keep, i;
    int width, kept_width, pad, left;
    bool add_ellipsis = false;

    if (out == NULL || outsz == 0)
        return 0;
    out[0] = '\0';
    if (cols <= 0)
        return 0;
    if (s == NULL)
        s = "";
    n = strlen(s);
    width = text_width_n(s, n);
    keep = n;
    kept_width = width;
    if (width > cols) {
        add_ellipsis = ellipsis;
        keep = text_prefix_for_width(s, add_ellipsis ? cols - 1 : cols,
                                     &kept_width);
    }
    pad = cols - kept_width - (add_ellipsis ? 1 : 0);
    left = align == 'r' ? pad : align == 'c' ? pad / 2 : 0;

    text_out_spaces(&o, left);
    for (i = 0; i < keep;) {
        int cw;
        size_t len = text_cluster(s + i, keep - i, &cw);
        if (!text_out_put(&o, s + i, len))
            break;
        i += len;
    }
    if (add_ellipsis)
        text_out_put(&o, "\xE2\x80\xA6", 3);   /* U+2026 '…' */
    text_out_spaces(&o, pad - left);
    return o.len;
}

/* ---- Small helpers --------------------------------------------------- */

static bool text_is_blank(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

char *text_trim(char *s)
{
    size_t start = 0, end;

    if (s == NULL)
        return NULL;
    end = strlen(s);
    while (start < end && text_is_blank(s[start]))
        start++;
    while (end > start && text_is_blank(s[end - 1]))
        end--;
    memmove(s, s + start, end - start);
    s[end - start] = '\0';
    return s;
}

char *text_dup(const char *s)
{
    size_t n;
    char *copy;

    if (s == NULL)
        return NULL;
    n = strlen(s) + 1;
    copy = malloc(n);
    if (copy != NULL)
        memcpy(copy, s, n);
    return copy;
}

/* out may be s itself: the output is never longer than what was read. */
void text_ascii_digits(const char *s, char *out)
{
    if (s == NULL) {
        out[0] = '\0';
        return;
    }
    /* The Thai digits U+0E50..U+0E59 are the bytes E0 B9 90..99; every
     * other byte is copied as it is, a run between two E0 bytes at a time
     * (an import passes every field through here: decoding each character
     * was a sixth of reading a file).  out may be s: it never gets ahead. */
    size_t n = strlen(s), i = 0, o = 0;
    while (i < n) {
        const char *e = memchr(s + i, 0xE0, n - i);
        size_t run = e ? (size_t)(e - (s + i)) : n - i;
        memmove(out + o, s + i, run);
        o += run;
        i += run;
        if (!e) break;
        const unsigned char *u = (const unsigned char *)s + i;
        if (i + 2 < n && u[1] == 0xB9 && u[2] >= 0x90 && u[2] <= 0x99) {
            out[o++] = (char)('0' + (u[2] - 0x90));
            i += 3;
        } else {
            out[o++] = s[i++];
        }
    }
    out[o] = '\0';
}

/*
 * encoding.c: old Thai data.  Files exported from Windows-era school
 * software and older DMC extracts are TIS-620, and CSV saved by Thai Excel
 * is Windows-874 (CP874: TIS-620 plus – “ ” … and a few more); esis stores and shows UTF-8 only, so the import layer
 * asks text_looks_tis620() and converts with text_tis620_to_utf8().
 */
#include "esis/text.h"

#include <errno.h>
#include <iconv.h>
#include <stdint.h>
#include <stdlib.h>

/* A byte iconv refuses (0xDB-0xDE, 0xFC-0xFF, the C1 range) becomes U+FFFD
 * rather than failing the whole conversion: one bad byte in a 10,000-row
 * file should show as one visible mark, not lose the file.  Every TIS-620
 * byte takes at most 3 UTF-8 bytes, and so does U+FFFD, so 3n + 1 bytes
 * always suffice.  Also NULL when the C library has no TIS-620 converter. */
char *text_tis620_to_utf8(const char *s, size_t n, size_t *outlen)
{
    char *out, *in = (char *)s, *op;
    size_t inleft = n, outleft;
    iconv_t cd;

    if (n > (SIZE_MAX - 1) / 3)
        return NULL;
    out = malloc(n * 3 + 1);
    if (out == NULL)
        return NULL;
    /* CP874 (Windows-874) is TIS-620 plus the punctuation Thai Windows
     * types: a file from Thai Excel has both. */
    cd = iconv_open("UTF-8", "CP874");
    if (cd == (iconv_t)-1)
        cd = iconv_open("UTF-8", "TIS-620");
    if (cd == (iconv_t)-1) {
        free(out);
        return NULL;
    }
    op = out;
    outleft = n * 3;
    while (inleft > 0) {
        if (iconv(cd, &in, &inleft, &op, &outleft) != (size_t)-1)
            break;
        if ((errno != EILSEQ && errno != EINVAL) || outleft < 3)
            break;                      /* cannot happen: room was counted */
        op[0] = (char)0xEF; op[1] = (char)0xBF; op[2] = (char)0xBD;
        op += 3;
        outleft -= 3;
        in++;
        inleft--;
    }
    iconv(cd, NULL, NULL, &op, &outleft);
    iconv_close(cd);
    *op = '\0';
    if (outlen != NULL)
        *outlen = (size_t)(op - out);
    return out;
}

bool text_looks_tis620(const char *s, size_t n)
{
    const unsigned char *p = (const unsigned char *)s;
    bool high = false;

    if (s == NULL || text_utf8_valid(s, n))
        return false;
    for (size_t i = 0; i < n; i++) {
        if (p[i] < 0x80)
            continue;
        /* Windows-874's additions: euro, ellipsis, quotes, dashes, nbsp */
        bool cp874 = p[i] == 0x80 || p[i] == 0x85 || (p[i] >= 0x91 && p[i] <= 0x97) || p[i] == 0xA0;
        if (!cp874 && (p[i] < 0xA1 || p[i] > 0xFB))
            return false;
        high = true;
    }
    return high;
}

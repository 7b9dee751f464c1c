/* test_termsafe: what reaches a terminal from the CLI holds no control
 * characters: each kind by hand (ESC, CSI, OSC 52, C1 as UTF-8 and as a
 * raw byte, overlongs, bidi overrides), then every 1-, 2- and 3-byte
 * string checked by glibc's own UTF-8 decoder (mbrtowc), not ours; and the
 * stream gives the same bytes however the text is cut into writes. */
#define _GNU_SOURCE 1
#include "testutil.h"
#include "esis/termsafe.h"

#include <locale.h>
#include <wchar.h>

static void same(const char *in, const char *want)
{
    char *got = text_term_safe_dup(in);
    assert_non_null(got);
    assert_string_equal(got, want);
    free(got);
}

static void test_each_kind(void **state)
{
    (void)state;
    same("โรงเรียนบ้านสุ่ม\tA-1\n", "โรงเรียนบ้านสุ่ม\tA-1\n");
    same("x\033[2Jy", "x^[[2Jy");                                  /* clear screen */
    same("\033]0;pwned\007", "^[]0;pwned^G");                      /* window title */
    same("\033]52;c;cm0gLXJmIH4K\007", "^[]52;c;cm0gLXJmIH4K^G");  /* OSC 52: the clipboard */
    same("a\xc2\x9b" "2Jb", "a<U+009B>2Jb");                       /* C1 CSI as UTF-8 */
    same("a\x9b" "2Jb", "a\\x9b2Jb");                              /* C1 CSI as a raw byte */
    same("\xc2\x80\xc2\x9f\xc2\xa0", "<U+0080><U+009F>\xc2\xa0");  /* the C1 range's ends; NBSP stays */
    same("\xe0\x82\x9b", "\\xe0\\x82\\x9b");                        /* overlong C1 */
    same("\xc1\x9b", "\\xc1\\x9b");                                 /* overlong, 2 bytes */
    same("\xed\xa0\x80", "\\xed\\xa0\\x80");                        /* a surrogate */
    same("\xf4\x90\x80\x80", "\\xf4\\x90\\x80\\x80");               /* above U+10FFFF */
    same("abc\xe0\xb8", "abc\\xe0\\xb8");                           /* cut at the end */
    same("\xe2\x80\xae" "evil", "<U+202E>evil");                   /* right-to-left override */
    same("\xe2\x81\xa6x\xe2\x81\xa9", "<U+2066>x<U+2069>");        /* isolates */
    same("a\r\nb\rc", "a\r\nb^Mc");                                /* CR only before LF */
    same("\x7f\x01\x1f", "^?^A^_");
    strbuf sb = STRBUF_INIT;
    assert_int_equal(text_term_safe("a\0b", 3, true, &sb), 3);
    assert_string_equal(strbuf_str(&sb), "a^@b");
    strbuf_free(&sb);
    assert_true(text_term_is_safe("ไทย ok\n", strlen("ไทย ok\n")));
    assert_false(text_term_is_safe("\033", 1));
}

/* Is out what a terminal may be sent?  Decoded by glibc, not by esis. */
static void assert_terminal_safe(const char *out, size_t n)
{
    mbstate_t ms;
    memset(&ms, 0, sizeof ms);
    for (size_t i = 0; i < n;) {
        wchar_t wc;
        size_t k = mbrtowc(&wc, out + i, n - i, &ms);
        assert_true(k != (size_t)-1 && k != (size_t)-2);   /* valid and complete UTF-8 */
        if (k == 0) k = 1;
        if (wc == L'\r') assert_true(i + 1 < n && out[i + 1] == '\n');
        else if (wc != L'\n' && wc != L'\t') assert_false(wc < 0x20 || (wc >= 0x7f && wc < 0xa0));
        assert_false((wc >= 0x202a && wc <= 0x202e) || (wc >= 0x2066 && wc <= 0x2069));
        i += k;
    }
}

static void test_every_short_string(void **state)
{
    (void)state;
    assert_non_null(setlocale(LC_CTYPE, "C.UTF-8"));
    unsigned char in[3];
    strbuf sb = STRBUF_INIT;
    long checked = 0;
    for (unsigned a = 0; a < 256; a++) {
        for (unsigned b = 0; b < 256; b++) {
            in[0] = (unsigned char)a;
            in[1] = (unsigned char)b;
            strbuf_reset(&sb);
            text_term_safe((const char *)in, 2, true, &sb);
            assert_terminal_safe(sb.s, sb.len);
            checked++;
            /* Three bytes where the first two may start a character. */
            if (a < 0xc2 || a > 0xf4) continue;
            for (unsigned c = 0x70; c < 0xc8; c++) {
                in[2] = (unsigned char)c;
                strbuf_reset(&sb);
                text_term_safe((const char *)in, 3, true, &sb);
                assert_terminal_safe(sb.s, sb.len);
                checked++;
            }
        }
    }
    strbuf_free(&sb);
    assert_true(checked > 65536);
}

/* The stream: written one byte at a time, then in pieces of 2 and 3, it
 * gives exactly what one call on the whole text gives. */
static void test_stream_in_pieces(void **state)
{
    (void)state;
    const char *text = "ชื่อ\033[31m\xc2\x9b\xe0\xb8\xaa\r\n\x9b\xe2\x80\xae end\r";
    char *want = text_term_safe_dup(text);
    assert_non_null(want);
    for (size_t piece = 1; piece <= 3; piece++) {
        char *buf = NULL;
        size_t len = 0;
        FILE *mem = open_memstream(&buf, &len);
        assert_non_null(mem);
        FILE *f = text_term_open(mem);
        assert_non_null(f);
        setvbuf(f, NULL, _IONBF, 0);   /* every fwrite reaches the filter as it is */
        for (size_t i = 0; i < strlen(text); i += piece) {
            size_t n = strlen(text) - i < piece ? strlen(text) - i : piece;
            assert_int_equal(fwrite(text + i, 1, n, f), n);
        }
        assert_int_equal(text_term_close(f), 0);
        fclose(mem);
        assert_string_equal(buf, want);
        free(buf);
    }
    free(want);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_each_kind),
        cmocka_unit_test(test_every_short_string),
        cmocka_unit_test(test_stream_in_pieces),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

/*
 * test_text.c: the text layer with real Thai: display widths, cutting to a
 * width without splitting a consonant from its marks, BE and ISO dates,
 * ages, citizen IDs, Thai dictionary order and TIS-620 input.
 */
#include "testutil.h"

#include <locale.h>

#include "esis/text.h"

/* ---- UTF-8 ---------------------------------------------------------- */

static void test_decode_encode_round_trip(void **state)
{
    static const unsigned cps[] = { 0x41, 0xE9, 0x0E01, 0x0E33, 0x20AC,
                                    0xFFFD, 0x1F600, 0x10FFFF };
    (void)state;
    for (size_t i = 0; i < sizeof cps / sizeof cps[0]; i++) {
        char buf[4];
        unsigned cp = 0;
        int n = text_utf8_encode(cps[i], buf);
        assert_int_equal(text_utf8_decode(buf, (size_t)n, &cp), n);
        assert_int_equal(cp, cps[i]);
    }
}

static void test_decode_rejects_bad_sequences(void **state)
{
    static const char *bad[] = {
        "\xC0\x80",             /* overlong NUL */
        "\xE0\x80\x80",         /* overlong */
        "\xED\xA0\x80",         /* surrogate U+D800 */
        "\xF4\x90\x80\x80",     /* above U+10FFFF */
        "\x80",                 /* lone continuation */
        "\xFF",
        "\xE0\xB8",             /* ก cut short */
    };
    (void)state;
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        unsigned cp = 0;
        assert_int_equal(text_utf8_decode(bad[i], strlen(bad[i]), &cp), 1);
        assert_int_equal(cp, 0xFFFD);
        assert_false(text_utf8_valid(bad[i], strlen(bad[i])));
    }
    /* A length that cuts a valid character is a truncated sequence. */
    {
        unsigned cp = 0;
        assert_int_equal(text_utf8_decode("ก", 2, &cp), 1);
        assert_int_equal(cp, 0xFFFD);
    }
}

static void test_encode_invalid_code_points(void **state)
{
    char buf[4];
    (void)state;
    assert_int_equal(text_utf8_encode(0xD800, buf), 3);
    assert_memory_equal(buf, "\xEF\xBF\xBD", 3);
    assert_int_equal(text_utf8_encode(0x110000, buf), 3);
    assert_memory_equal(buf, "\xEF\xBF\xBD", 3);
}

static void test_valid(void **state)
{
    (void)state;
    assert_true(text_utf8_valid("สวัสดี Hello", strlen("สวัสดี Hello")));
    assert_true(text_utf8_valid("", 0));
    assert_true(text_utf8_valid("\xEF\xBF\xBD", 3));       /* real U+FFFD */
    assert_false(text_utf8_valid("ab\xCA\xC7", 4));         /* TIS-620 สว */
}

/* ---- Width ---------------------------------------------------------- */

static void test_cp_width_thai(void **state)
{
    (void)state;
    assert_int_equal(text_cp_width(0x0E01), 1);     /* ก */
    assert_int_equal(text_cp_width(0x0E31), 0);     /* ั MAI HAN-AKAT */
    for (unsigned cp = 0x0E34; cp <= 0x0E3A; cp++)
        assert_int_equal(text_cp_width(cp), 0);
    for (unsigned cp = 0x0E47; cp <= 0x0E4E; cp++)
        assert_int_equal(text_cp_width(cp), 0);
    assert_int_equal(text_cp_width(0x0E33), 1);     /* ำ SARA AM spaces */
    assert_int_equal(text_cp_width(0x0E32), 1);     /* า */
    assert_int_equal(text_cp_width(0x0E40), 1);     /* เ */
    assert_int_equal(text_cp_width(0x0E50), 1);     /* ๐ */
    assert_true(text_cp_is_combining(0x0E48));      /* ่ */
    assert_false(text_cp_is_combining(0x0E33));
    assert_false(text_cp_is_combining(0x0E01));
}

static void test_cp_width_other(void **state)
{
    (void)state;
    assert_int_equal(text_cp_width('A'), 1);
    assert_int_equal(text_cp_width('\t'), 0);
    assert_int_equal(text_cp_width(0x7F), 0);
    assert_int_equal(text_cp_width(0x85), 0);
    assert_int_equal(text_cp_width(0xE9), 1);       /* é */
    assert_int_equal(text_cp_width(0x0301), 0);     /* combining acute */
    assert_true(text_cp_is_combining(0x0301));
    assert_int_equal(text_cp_width(0x200B), 0);     /* zero width space */
    assert_int_equal(text_cp_width(0x65E5), 2);     /* 日 */
    assert_int_equal(text_cp_width(0xAC00), 2);     /* 가 */
    assert_int_equal(text_cp_width(0xFF21), 2);     /* fullwidth A */
    assert_int_equal(text_cp_width(0x1F600), 2);    /* 😀 */
    assert_int_equal(text_cp_width(0x20000), 2);
    assert_int_equal(text_cp_width(0x2026), 1);     /* … */
    assert_int_equal(text_cp_width(0x3099), 0);     /* kana voicing mark */
}

static void test_width_strings(void **state)
{
    (void)state;
    assert_int_equal(text_width("ผู้อำนวยการ"), 9);
    assert_int_equal(text_width("สุ่ม"), 2);
    assert_int_equal(text_width("น้ำ"), 2);
    assert_int_equal(text_width("นักเรียน"), 6);
    assert_int_equal(text_width("ที่อยู่"), 3);
    assert_int_equal(text_width("ศึกษา"), 4);
    assert_int_equal(text_width("ด.ช. สมชาย Smith"), 16);
    assert_int_equal(text_width("cafe\xCC\x81"), 4);       /* e + U+0301 */
    assert_int_equal(text_width("日本"), 4);
    assert_int_equal(text_width(""), 0);
    assert_int_equal(text_width(NULL), 0);
    assert_int_equal(text_width("a\xFF" "b"), 3);          /* bad byte: 1 */
    /* width_n counts bytes, not characters: ผู้ is 9 bytes. */
    assert_int_equal(text_width_n("ผู้อำนวยการ", 9), 1);
    assert_int_equal(text_width_n("ผู้อำนวยการ", 12), 2);
}

/* The library must give the same widths whatever the locale: the test
 * binary starts in "C" (no setlocale call), and ncurses programs run in a
 * UTF-8 locale. */
static void test_width_independent_of_locale(void **state)
{
    static const char *samples[] = { "ผู้อำนวยการ", "สุ่ม", "น้ำ", "ที่อยู่",
                                     "café", "日本", "ด.ช. สมชาย Smith" };
    int in_c[sizeof samples / sizeof samples[0]];
    (void)state;
    setlocale(LC_ALL, "C");
    for (size_t i = 0; i < sizeof samples / sizeof samples[0]; i++)
        in_c[i] = text_width(samples[i]);
    if (setlocale(LC_ALL, "C.UTF-8") == NULL) {
        setlocale(LC_ALL, "C");
        skip();
    }
    for (size_t i = 0; i < sizeof samples / sizeof samples[0]; i++)
        assert_int_equal(text_width(samples[i]), in_c[i]);
    setlocale(LC_ALL, "C");
    assert_int_equal(in_c[0], 9);
}

static void test_prefix_for_width(void **state)
{
    int cols = -1;
    (void)state;
    /* ผู้ (9 bytes) is one column: never cut between ผ and its marks. */
    assert_int_equal(text_prefix_for_width("ผู้อำนวยการ", 1, &cols), 9);
    assert_int_equal(cols, 1);
    assert_int_equal(text_prefix_for_width("ผู้อำนวยการ", 0, &cols), 0);
    assert_int_equal(cols, 0);
    assert_int_equal(text_prefix_for_width("ผู้อำนวยการ", 9, &cols), 33);
    assert_int_equal(cols, 9);
    assert_int_equal(text_prefix_for_width("ผู้อำนวยการ", 50, NULL), 33);
    assert_int_equal(text_prefix_for_width("สุ่ม", 1, &cols), 9);
    assert_int_equal(text_prefix_for_width("น้ำ", 1, &cols), 6);
    /* A wide character that does not fit is left out whole. */
    assert_int_equal(text_prefix_for_width("a日本", 2, &cols), 1);
    assert_int_equal(cols, 1);
    assert_int_equal(text_prefix_for_width("a日本", -3, &cols), 0);
}

static void test_fit_align(void **state)
{
    char out[128];
    (void)state;
    assert_int_equal(text_fit(out, sizeof out, "ผู้อำนวยการ", 12, 'l', true),
                     strlen("ผู้อำนวยการ   "));
    assert_string_equal(out, "ผู้อำนวยการ   ");
    text_fit(out, sizeof out, "ผู้อำนวยการ", 12, 'r', true);
    assert_string_equal(out, "   ผู้อำนวยการ");
    text_fit(out, sizeof out, "ผู้อำนวยการ", 12, 'c', true);
    assert_string_equal(out, " ผู้อำนวยการ  ");
    text_fit(out, sizeof out, "ผู้อำนวยการ", 9, 'c', true);
    assert_string_equal(out, "ผู้อำนวยการ");
    text_fit(out, sizeof out, "น้ำ", 4, 'c', false);
    assert_string_equal(out, " น้ำ ");
    text_fit(out, sizeof out, "", 3, 'l', false);
    assert_string_equal(out, "   ");
    text_fit(out, sizeof out, NULL, 2, 'r', false);
    assert_string_equal(out, "  ");
    text_fit(out, sizeof out, "ด.ช. Tom", 10, 'r', false);
    assert_string_equal(out, "  ด.ช. Tom");
}

static void test_fit_cut_keeps_marks(void **state)
{
    char out[128];
    (void)state;
    text_fit(out, sizeof out, "ผู้อำนวยการ", 3, 'l', false);
    assert_string_equal(out, "ผู้อำ");
    text_fit(out, sizeof out, "ผู้อำนวยการ", 1, 'l', false);
    assert_string_equal(out, "ผู้");
    text_fit(out, sizeof out, "สุ่ม", 1, 'l', false);
    assert_string_equal(out, "สุ่");
    text_fit(out, sizeof out, "น้ำ", 1, 'r', false);
    assert_string_equal(out, "น้");
    text_fit(out, sizeof out, "ที่อยู่", 2, 'l', false);
    assert_string_equal(out, "ที่อ");
}

static void test_fit_ellipsis(void **state)
{
    char out[128];
    (void)state;
    text_fit(out, sizeof out, "ผู้อำนวยการ", 5, 'l', true);
    assert_string_equal(out, "ผู้อำน…");
    text_fit(out, sizeof out, "สุ่มตัวอย่าง", 2, 'l', true);
    assert_string_equal(out, "สุ่…");
    text_fit(out, sizeof out, "ผู้อำนวยการ", 1, 'l', true);
    assert_string_equal(out, "…");
    text_fit(out, sizeof out, "Somchai", 4, 'r', true);
    assert_string_equal(out, "Som…");
    /* 日 fits in 3-1 columns, 本 does not: a space makes up the width. */
    text_fit(out, sizeof out, "日本語", 4, 'l', true);
    assert_string_equal(out, "日… ");
    text_fit(out, sizeof out, "日本語", 3, 'l', false);
    assert_string_equal(out, "日 ");
    assert_int_equal(text_fit(out, sizeof out, "ก", 0, 'l', true), 0);
    assert_string_equal(out, "");
}

/* Every width, every alignment: the result is exactly cols wide, valid
 * UTF-8, and does not start or end in the middle of a cluster. */
static void test_fit_always_exact_width(void **state)
{
    static const char *samples[] = { "ผู้อำนวยการ", "สุ่มตัวอย่าง", "น้ำ",
                                     "ที่อยู่ 12/3 หมู่ 4", "日本語 mix ไทย", "" };
    static const char aligns[] = { 'l', 'r', 'c' };
    char out[256];
    (void)state;
    for (size_t s = 0; s < sizeof samples / sizeof samples[0]; s++)
        for (int cols = 0; cols <= 25; cols++)
            for (size_t a = 0; a < 3; a++)
                for (int e = 0; e <= 1; e++) {
                    size_t n = text_fit(out, sizeof out, samples[s], cols,
                                        aligns[a], e);
                    unsigned cp;
                    assert_int_equal(n, strlen(out));
                    assert_int_equal(text_width(out), cols);
                    assert_true(text_utf8_valid(out, n));
                    if (n > 0) {
                        text_utf8_decode(out, n, &cp);
                        assert_false(text_cp_is_combining(cp));
                    }
                }
}

static void test_fit_small_buffer(void **state)
{
    char out[12];
    (void)state;
    /* Room for 11 bytes: ผู้ (9) fits, อ (3 more) does not. */
    text_fit(out, sizeof out, "ผู้อำนวยการ", 10, 'l', false);
    assert_string_equal(out, "ผู้ ");
    assert_int_equal(text_fit(out, 1, "abc", 3, 'l', false), 0);
    assert_string_equal(out, "");
    assert_int_equal(text_fit(NULL, 0, "abc", 3, 'l', false), 0);
}

/* ---- Helpers -------------------------------------------------------- */

static void test_trim_dup_digits(void **state)
{
    char buf[64], out[64];
    char *copy;
    (void)state;
    strcpy(buf, " \t สมชาย ใจดี \r\n");
    assert_ptr_equal(text_trim(buf), buf);
    assert_string_equal(buf, "สมชาย ใจดี");
    strcpy(buf, "   ");
    assert_string_equal(text_trim(buf), "");
    assert_null(text_trim(NULL));

    copy = text_dup("โรงเรียน");
    assert_non_null(copy);
    assert_string_equal(copy, "โรงเรียน");
    free(copy);
    assert_null(text_dup(NULL));

    text_ascii_digits("๑๕/๐๓/๒๕๖๐", out);
    assert_string_equal(out, "15/03/2560");
    text_ascii_digits("ปี ๒๕๖๗ ห้อง 3", out);
    assert_string_equal(out, "ปี 2567 ห้อง 3");
    strcpy(buf, "ม.๓/๑");
    text_ascii_digits(buf, buf);                    /* in place */
    assert_string_equal(buf, "ม.3/1");
    /* E0 bytes that are not a Thai digit, a cut-off sequence at the end,
     * a digit first and last, and a byte that is not UTF-8 pass unchanged */
    text_ascii_digits("๙กข\xE0\xB9\x8F\xE0\xB9", out);
    assert_string_equal(out, "9กข\xE0\xB9\x8F\xE0\xB9");
    text_ascii_digits("\xFF" "a๐", out);
    assert_string_equal(out, "\xFF" "a0");
    text_ascii_digits("", out);
    assert_string_equal(out, "");
}

/* ---- Dates ---------------------------------------------------------- */

static void assert_parses(const char *s, int y, int m, int d)
{
    text_date out = { 0, 0, 0 };
    if (!text_date_parse(s, &out))
        fail_msg("'%s' should parse", s);
    assert_int_equal(out.year, y);
    assert_int_equal(out.month, m);
    assert_int_equal(out.day, d);
}

static void test_date_parse_good(void **state)
{
    (void)state;
    assert_parses("15/03/2560", 2017, 3, 15);
    assert_parses("29/02/2563", 2020, 2, 29);       /* 2020 is leap */
    assert_parses("2017-03-15", 2017, 3, 15);
    assert_parses("1/3/2560", 2017, 3, 1);
    assert_parses("01/3/2560", 2017, 3, 1);
    assert_parses("5/12/2567", 2024, 12, 5);
    assert_parses("  15/03/2560  ", 2017, 3, 15);
    assert_parses("\t2017-03-15 ", 2017, 3, 15);
    assert_parses("01/01/2393", 1850, 1, 1);
    assert_parses("31/12/2743", 2200, 12, 31);
    assert_parses("15/03/2714", 2171, 3, 15);       /* an ISO 2171-03-15, exported */
    assert_parses("1850-01-01", 1850, 1, 1);
    assert_parses("2200-12-31", 2200, 12, 31);
    assert_parses("29/02/2543", 2000, 2, 29);       /* 2000: /400 leap */
}

static void test_date_parse_bad(void **state)
{
    static const char *bad[] = {
        "31/02/2560", "29/02/2561", "30/02/2563", "31/04/2560",
        "29/02/2443",                               /* 1900: not leap */
        "0/03/2560", "15/0/2560", "15/13/2560", "32/01/2560",
        "15/03/0", "15/03/0000", "15/03/-2560", "-15/03/2560",
        "31/12/2392", "15/03/2017", "01/01/2744", "15/03/256",
        "15/03/25600", "015/03/2560", "15/003/2560",
        "15-03-2560", "15.03.2560", "15/03/2560x", "x15/03/2560",
        "15 /03/2560", "15/03/ 2560",
        "2017-3-15", "2017-03-5", "17-03-15", "2017/03/15",
        "1849-12-31", "2201-01-01", "2560-03-15", "0000-01-01",
        "-2017-03-15", "2017-02-29", "2017-03-15T00:00",
        "garbage", "", "   ", "//", "--",
    };
    text_date out = { 1, 2, 3 };
    (void)state;
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        if (text_date_parse(bad[i], &out))
            fail_msg("'%s' should not parse", bad[i]);
    assert_false(text_date_parse(NULL, &out));
    /* A refused date leaves *out alone. */
    assert_int_equal(out.year, 1);
    assert_int_equal(out.month, 2);
    assert_int_equal(out.day, 3);
}

static void test_date_valid(void **state)
{
    (void)state;
    assert_true(text_date_valid((text_date){ 2020, 2, 29 }));
    assert_false(text_date_valid((text_date){ 2019, 2, 29 }));
    assert_false(text_date_valid((text_date){ 1900, 2, 29 }));
    assert_true(text_date_valid((text_date){ 2000, 2, 29 }));
    assert_false(text_date_valid((text_date){ 2020, 4, 31 }));
    assert_false(text_date_valid((text_date){ 2020, 0, 1 }));
    assert_false(text_date_valid((text_date){ 2020, 13, 1 }));
    assert_false(text_date_valid((text_date){ 2020, 1, 0 }));
    assert_false(text_date_valid((text_date){ 0, 1, 1 }));
    assert_false(text_date_valid((text_date){ -5, 1, 1 }));
}

static void test_date_format(void **state)
{
    char buf[11];
    text_date d = { 2017, 3, 5 };
    (void)state;
    text_date_iso(d, buf);
    assert_string_equal(buf, "2017-03-05");
    text_date_be(d, buf);
    assert_string_equal(buf, "05/03/2560");
    /* Out-of-range fields never overflow the 11 bytes. */
    text_date_iso((text_date){ 123456, 123, -7 }, buf);
    assert_int_equal(strlen(buf), 10);
}

static void test_date_days(void **state)
{
    text_date d;
    (void)state;
    assert_int_equal(text_date_to_days((text_date){ 1970, 1, 1 }), 0);
    assert_int_equal(text_date_to_days((text_date){ 2017, 3, 15 }), 17240);
    assert_int_equal(text_date_to_days((text_date){ 1900, 1, 1 }), -25567);
    assert_int_equal(text_date_to_days((text_date){ 1969, 12, 31 }), -1);
    d = text_date_from_days(17240);
    assert_int_equal(d.year, 2017);
    assert_int_equal(d.month, 3);
    assert_int_equal(d.day, 15);
    /* Round trip, and consecutive days are consecutive dates, from 1700 to
     * 2300. */
    for (long n = -98000; n <= 121000; n++) {
        text_date a = text_date_from_days(n);
        assert_true(text_date_valid(a));
        assert_int_equal(text_date_to_days(a), n);
    }
}

static void test_age(void **state)
{
    text_date birth = { 2010, 5, 16 }, leap = { 2012, 2, 29 };
    (void)state;
    assert_int_equal(text_age_years(birth, (text_date){ 2016, 5, 15 }), 5);
    assert_int_equal(text_age_years(birth, (text_date){ 2016, 5, 16 }), 6);
    assert_int_equal(text_age_years(birth, (text_date){ 2016, 5, 17 }), 6);
    assert_int_equal(text_age_years(birth, (text_date){ 2016, 4, 30 }), 5);
    assert_int_equal(text_age_years(birth, (text_date){ 2016, 6, 1 }), 6);
    assert_int_equal(text_age_years(birth, birth), 0);
    assert_int_equal(text_age_years(birth, (text_date){ 2010, 5, 15 }), -1);
    assert_int_equal(text_age_years(birth, (text_date){ 2009, 5, 16 }), -1);
    assert_int_equal(text_age_years(birth, (text_date){ 2008, 1, 1 }), -3);
    assert_int_equal(text_age_years(leap, (text_date){ 2013, 2, 28 }), 0);
    assert_int_equal(text_age_years(leap, (text_date){ 2013, 3, 1 }), 1);
    assert_int_equal(text_age_years(leap, (text_date){ 2016, 2, 29 }), 4);
}

static void test_today(void **state)
{
    text_date t = text_date_today();
    (void)state;
    assert_true(text_date_valid(t));
    assert_true(t.year >= 2024);
}

/* ---- Thai citizen ID ------------------------------------------------ */

static void test_thai_id(void **state)
{
    (void)state;
    assert_true(text_thai_id_ok("1103702071811"));
    assert_false(text_thai_id_ok("1103702071812"));
    assert_int_equal(text_thai_id_check_digit("110370207181"), 1);
    assert_false(text_thai_id_ok("110370207181"));          /* 12 digits */
    assert_false(text_thai_id_ok("11037020718111"));        /* 14 digits */
    assert_false(text_thai_id_ok("11037020718a1"));
    assert_false(text_thai_id_ok("G110370207181"));
    assert_false(text_thai_id_ok("1-1037-02071-81-1"));
    assert_false(text_thai_id_ok(" 1103702071811"));
    assert_false(text_thai_id_ok("๑๑๐๓๗๐๒๐๗๑๘๑๑"));        /* Thai digits */
    assert_false(text_thai_id_ok(""));
    assert_false(text_thai_id_ok(NULL));
    /* Category 0 (no registration status) and 8 (naturalised): accepted
     * when the check digit is right. */
    assert_true(text_thai_id_ok("0103702071813"));
    assert_false(text_thai_id_ok("0103702071811"));
    assert_true(text_thai_id_ok("8103702071819"));
    assert_false(text_thai_id_ok("8103702071818"));
    assert_int_equal(text_thai_id_check_digit("11037020718x"), -1);
}

static void test_mask_id(void **state)
{
    char out[32];
    (void)state;
    text_mask_id("1103702071811", out);
    assert_string_equal(out, "1xxxxxxxxxx11");
    text_mask_id("1103702071881", out);
    assert_string_equal(out, "1xxxxxxxxxx81");
    text_mask_id("G123456789012", out);
    assert_string_equal(out, "G1xxxxxxxxx12");
    text_mask_id("1-1037-02071-81-1", out);
    assert_string_equal(out, "1-xxxx-xxxxx-x1-1");
    text_mask_id("", out);
    assert_string_equal(out, "");
    strcpy(out, "3101234567890");
    text_mask_id(out, out);
    assert_string_equal(out, "3xxxxxxxxxx90");
}

/* Text that quotes personal values: IDs, dates and long numbers masked
 * where they stand, counts and codes of a few digits left to read; a
 * value of a personal column that has letters goes by the same rule. */
static void test_mask_ids_in_text(void **state)
{
    (void)state;
    static const struct { const char *in, *want; } CASES[] = {
        { "เลขประจำตัวประชาชน 2310408220156 ผิด", "เลขประจำตัวประชาชน 2xxxxxxxxxx56 ผิด" },
        { "Student 1-1037-02071-81-1 (P1, room 3)", "Student 1-xxxx-xxxxx-x1-1 (P1, room 3)" },
        { "วันเกิด 31/07/2570 อยู่หลังวันที่นับข้อมูล (10/11/2569)",
          "วันเกิด xx/xx/2570 อยู่หลังวันที่นับข้อมูล (xx/xx/2569)" },
        { "born 2010-05-12, id 1103702071811", "born 2010-xx-xx, id 1xxxxxxxxxx11" },
        { "DMC / EMIS = 30 / 28 in 2567-1", "DMC / EMIS = 30 / 28 in 2567-1" },
        { "also at school 1031040007", "also at school 1xxxxxxx07" },
        { "{\"citizen_id\":\"1103702071811\",\"father_income\":\"15000\"}",
          "{\"citizen_id\":\"1xxxxxxxxxx11\",\"father_income\":\"1xx00\"}" },
        { "", "" },
    };
    for (size_t i = 0; i < sizeof CASES / sizeof CASES[0]; i++) {
        char out[256];
        text_mask_ids_in(CASES[i].in, out);
        assert_string_equal(out, CASES[i].want);
        text_mask_id(CASES[i].in, out);      /* letters: the same rule */
        if (strpbrk(CASES[i].in, "abcdefghijklmnopqrstuvwxyz\xe0")) assert_string_equal(out, CASES[i].want);
        char *d = text_mask_ids_in_dup(CASES[i].in);
        assert_string_equal(d, CASES[i].want);
        free(d);
    }
    /* no 13-digit run survives, whatever surrounds it */
    char out[64];
    text_mask_ids_in("x1103702071811y2103702071811", out);
    assert_null(strstr(out, "1103702071811"));
    assert_null(strstr(out, "2103702071811"));
}

/* ---- Collation ------------------------------------------------------ */

static int compare_thai(const void *a, const void *b)
{
    const char *x = *(const char *const *)a, *y = *(const char *const *)b;
    return text_thai_collate(x, strlen(x), y, strlen(y));
}

static void test_collate_order(void **state)
{
    static const char *expected[] = {
        /* digits, Thai, then Latin: ICU's Thai collation */
        "123", "กมล", "กา", "ก่า", "ก้า", "เกศินี", "แก้ว", "ขวัญ", "ขวัญใจ",
        "ปรีชา", "ไพโรจน์", "Alice", "bob", "café",
    };
    enum { N = sizeof expected / sizeof expected[0] };
    const char *names[N];
    (void)state;
    /* Start from the reverse and from a shuffle. */
    for (int i = 0; i < N; i++)
        names[i] = expected[N - 1 - i];
    qsort(names, N, sizeof names[0], compare_thai);
    for (int i = 0; i < N; i++)
        assert_string_equal(names[i], expected[i]);
    for (int i = 0; i < N; i++)
        names[i] = expected[(i * 5) % N];
    qsort(names, N, sizeof names[0], compare_thai);
    for (int i = 0; i < N; i++)
        assert_string_equal(names[i], expected[i]);
}

static void test_collate_tie_break_and_lengths(void **state)
{
    char a[64], b[64];
    (void)state;
    /* é and è are both outside TIS-620: th_strcoll alone says equal. */
    assert_int_not_equal(text_thai_collate("café", strlen("café"), "cafè",
                                           strlen("cafè")), 0);
    assert_int_equal(text_thai_collate("café", strlen("café"), "cafè",
                                       strlen("cafè")),
                     -text_thai_collate("cafè", strlen("cafè"), "café",
                                        strlen("café")));
    assert_int_equal(text_thai_collate("กา", 6, "กา", 6), 0);
    assert_true(text_thai_collate("", 0, "ก", 3) < 0);
    assert_true(text_thai_collate("ก", 3, "", 0) > 0);
    assert_int_equal(text_thai_collate(NULL, 0, "", 0), 0);
    /* Not NUL-terminated, as SQLite passes them: only the lengths count. */
    memcpy(a, "เกศินีXXXX", strlen("เกศินีXXXX"));
    memcpy(b, "แก้วYY", strlen("แก้วYY"));
    assert_true(text_thai_collate(a, strlen("เกศินี"), b, strlen("แก้ว")) < 0);
    assert_true(text_thai_collate(b, strlen("แก้ว"), a, strlen("เกศินี")) > 0);
    assert_true(text_thai_collate(a, 3, a, strlen("เกศินี")) < 0);
}

/* Strings longer than the stack buffer take the heap path. */
static void test_collate_long_strings(void **state)
{
    size_t n = 400 * 3 + 3;
    char *a = malloc(n), *b = malloc(n);
    (void)state;
    assert_non_null(a);
    assert_non_null(b);
    for (size_t i = 0; i < 400; i++) {
        memcpy(a + i * 3, "ก", 3);
        memcpy(b + i * 3, "ก", 3);
    }
    memcpy(a + 1200, "ข", 3);
    memcpy(b + 1200, "ค", 3);
    assert_true(text_thai_collate(a, n, b, n) < 0);
    assert_true(text_thai_collate(b, n, a, n) > 0);
    assert_int_equal(text_thai_collate(a, n, a, n), 0);
    assert_true(text_thai_collate(a, 6, b, n) < 0);        /* short v long */
    free(a);
    free(b);
}

/* ---- Encodings ------------------------------------------------------ */

static void test_tis620(void **state)
{
    static const char tis[] = "\xCA\xC7\xD1\xCA\xB4\xD5";  /* สวัสดี */
    size_t len = 0;
    char *utf8;
    (void)state;
    assert_true(text_looks_tis620(tis, 6));
    assert_false(text_looks_tis620("สวัสดี", strlen("สวัสดี")));
    assert_false(text_looks_tis620("hello", 5));
    assert_false(text_looks_tis620("abc\x81", 4));         /* not Thai */
    assert_false(text_looks_tis620("abc\x9F", 4));
    /* Windows-874's additions: euro, ellipsis, dashes, quotes (issue 18) */
    assert_true(text_looks_tis620("abc\x80", 4));
    assert_true(text_looks_tis620("\xCA \x96 \x93\xB4\x94 \x85", 10));
    assert_false(text_looks_tis620("", 0));

    utf8 = text_tis620_to_utf8(tis, 6, &len);
    assert_non_null(utf8);
    assert_string_equal(utf8, "สวัสดี");
    assert_int_equal(len, strlen("สวัสดี"));
    free(utf8);

    utf8 = text_tis620_to_utf8("ID \xA1\xD2 1", 7, &len);   /* "ID กา 1" */
    assert_non_null(utf8);
    assert_string_equal(utf8, "ID กา 1");
    free(utf8);

    /* A byte that is not TIS-620 becomes U+FFFD, the rest converts. */
    utf8 = text_tis620_to_utf8("\xA1\xFF\xA1", 3, &len);
    assert_non_null(utf8);
    assert_string_equal(utf8, "ก\xEF\xBF\xBDก");
    free(utf8);

    utf8 = text_tis620_to_utf8("", 0, &len);
    assert_non_null(utf8);
    assert_string_equal(utf8, "");
    assert_int_equal(len, 0);
    free(utf8);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_decode_encode_round_trip),
        cmocka_unit_test(test_decode_rejects_bad_sequences),
        cmocka_unit_test(test_encode_invalid_code_points),
        cmocka_unit_test(test_valid),
        cmocka_unit_test(test_cp_width_thai),
        cmocka_unit_test(test_cp_width_other),
        cmocka_unit_test(test_width_strings),
        cmocka_unit_test(test_width_independent_of_locale),
        cmocka_unit_test(test_prefix_for_width),
        cmocka_unit_test(test_fit_align),
        cmocka_unit_test(test_fit_cut_keeps_marks),
        cmocka_unit_test(test_fit_ellipsis),
        cmocka_unit_test(test_fit_always_exact_width),
        cmocka_unit_test(test_fit_small_buffer),
        cmocka_unit_test(test_trim_dup_digits),
        cmocka_unit_test(test_date_parse_good),
        cmocka_unit_test(test_date_parse_bad),
        cmocka_unit_test(test_date_valid),
        cmocka_unit_test(test_date_format),
        cmocka_unit_test(test_date_days),
        cmocka_unit_test(test_age),
        cmocka_unit_test(test_today),
        cmocka_unit_test(test_thai_id),
        cmocka_unit_test(test_mask_id),
        cmocka_unit_test(test_mask_ids_in_text),
        cmocka_unit_test(test_collate_order),
        cmocka_unit_test(test_collate_tie_break_and_lengths),
        cmocka_unit_test(test_collate_long_strings),
        cmocka_unit_test(test_tis620),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

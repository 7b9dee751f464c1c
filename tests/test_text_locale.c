/* Tests of text_locale (a UTF-8 LC_CTYPE whatever the login's locale) and
 * of ui_term's refusal to open a screen without one. */
#include "testutil.h"
#include <langinfo.h>
#include <locale.h>
#include <wchar.h>
#include "esis/text_locale.h"
#include "esis/ui_term.h"

static void set_login(const char *lang)
{
    unsetenv("LC_ALL");
    unsetenv("LC_CTYPE");
    unsetenv("LC_MESSAGES");
    unsetenv("LANGUAGE");
    if (lang) setenv("LANG", lang, 1); else unsetenv("LANG");
}

/* LANG=C, no LANG, a locale the machine lacks: LC_CTYPE becomes C.UTF-8. */
static void test_switches_to_utf8(void **state)
{
    (void)state;
    const char *logins[] = {"C", NULL, "POSIX", "xx_YY.UTF-8", "th_TH"};
    for (size_t i = 0; i < sizeof logins / sizeof logins[0]; i++) {
        set_login(logins[i]);
        char used[64] = "";
        text_locale_status st = text_locale_setup(NULL, used, sizeof used);
        if (st != TEXT_LOCALE_SWITCHED)
            fail_msg("LANG=%s: status %d", logins[i] ? logins[i] : "(none)", (int)st);
        assert_true(text_locale_is_utf8());
        assert_true(strncmp(used, "C.", 2) == 0);   /* C.UTF-8 or C.utf8 first */
        /* a wide character of Thai is one character, not -1 */
        assert_int_equal(wcwidth(0x0E01), 1);
    }
}

/* A login that is UTF-8 already is kept as it is. */
static void test_keeps_utf8_login(void **state)
{
    (void)state;
    set_login("C.UTF-8");
    char used[64] = "";
    assert_int_equal(text_locale_setup(NULL, used, sizeof used), TEXT_LOCALE_LOGIN);
    assert_true(text_locale_is_utf8());
}

/* None of the fallbacks exists: NONE, the codeset is not UTF-8, and the
 * screen is refused before the terminal is touched. */
static void test_none_refuses_the_screen(void **state)
{
    (void)state;
    set_login("C");
    const char *none[] = {"xx_XX.UTF-8", "yy_YY.utf8", NULL};
    assert_int_equal(text_locale_setup(none, NULL, 0), TEXT_LOCALE_NONE);
    assert_false(text_locale_is_utf8());
    SCREEN *screen = (SCREEN *)1;
    assert_int_equal(ui_term_open(&screen), UI_TERM_NO_UTF8);
    assert_null(screen);
    assert_string_equal(ui_term_msg_key(UI_TERM_NO_UTF8), "term.no_utf8");
    /* back to a usable locale for the next test */
    set_login("C.UTF-8");
    assert_int_equal(text_locale_setup(NULL, NULL, 0), TEXT_LOCALE_LOGIN);
}

/* TERM unset, unknown or unable to address the cursor: refused with the
 * status that names why, before any output. */
static void test_terminals_refused(void **state)
{
    (void)state;
    set_login("C.UTF-8");
    assert_int_equal(text_locale_setup(NULL, NULL, 0), TEXT_LOCALE_LOGIN);
    const struct { const char *term; ui_term_status want; } cases[] = {
        {NULL, UI_TERM_NO_TERM}, {"", UI_TERM_NO_TERM},
        {"no-such-terminal-xyz", UI_TERM_UNKNOWN}, {"dumb", UI_TERM_CANNOT_DRAW},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        if (cases[i].term) setenv("TERM", cases[i].term, 1); else unsetenv("TERM");
        SCREEN *screen = NULL;
        assert_int_equal(ui_term_open(&screen), cases[i].want);
        assert_null(screen);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_switches_to_utf8),
        cmocka_unit_test(test_keeps_utf8_login),
        cmocka_unit_test(test_none_refuses_the_screen),
        cmocka_unit_test(test_terminals_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

/* Tests of ui_keys: key names, the key map file and Esc-digit decoding. */
#include "testutil.h"
#include <curses.h>
#include <unistd.h>
#include "esis/ui_keys.h"

static void test_parse_names(void **state)
{
    (void)state;
    assert_int_equal(ui_keys_parse("F2"), UI_KEY_C(KEY_F(2)));
    assert_int_equal(ui_keys_parse("f10"), UI_KEY_C(KEY_F(10)));
    assert_int_equal(ui_keys_parse("F13"), UI_KEY_NONE);
    assert_int_equal(ui_keys_parse("^S"), 0x13);
    assert_int_equal(ui_keys_parse("Ctrl-q"), 0x11);
    assert_int_equal(ui_keys_parse("Esc"), 27);
    assert_int_equal(ui_keys_parse("BTab"), UI_KEY_C(KEY_BTAB));
    assert_int_equal(ui_keys_parse("PgDn"), UI_KEY_C(KEY_NPAGE));
    assert_int_equal(ui_keys_parse("/"), '/');
    assert_int_equal(ui_keys_parse("Hyper-Z"), UI_KEY_NONE);
    char name[16];
    ui_keys_name(UI_KEY_CTRL('S'), name, sizeof name);
    assert_string_equal(name, "^S");
    ui_keys_name(UI_KEY_C(KEY_F(4)), name, sizeof name);
    assert_string_equal(name, "F4");
    ui_keys_name(UI_KEY_C(KEY_NPAGE), name, sizeof name);
    assert_string_equal(name, "PgDn");
}

static void test_defaults(void **state)
{
    (void)state;
    ui_keymap km;
    ui_keys_default(&km);
    assert_true(ui_keys_is(&km, UI_KEY_C(KEY_F(2)), UI_ACT_SAVE));
    assert_true(ui_keys_is(&km, UI_KEY_CTRL('S'), UI_ACT_SAVE));
    assert_true(ui_keys_is(&km, UI_KEY_CTRL('Q'), UI_ACT_QUIT));
    assert_true(ui_keys_is(&km, UI_KEY_CTRL('X'), UI_ACT_QUIT));
    assert_true(ui_keys_is(&km, UI_KEY_CTRL('G'), UI_ACT_HELP));
    assert_true(ui_keys_is(&km, UI_KEY_CTRL('F'), UI_ACT_SEARCH));
    assert_false(ui_keys_is(&km, UI_KEY_CTRL('S'), UI_ACT_QUIT));
    /* every action has a key */
    for (int a = 1; a < UI_ACT_COUNT; a++)
        assert_int_not_equal(km.keys[a][0], UI_KEY_NONE);
    ui_action cand[] = {UI_ACT_NEXT_FIELD, UI_ACT_EDIT};
    assert_int_equal(ui_keys_action(&km, UI_KEY_ENTER, cand, 2), UI_ACT_NEXT_FIELD);
    assert_int_equal(ui_keys_action(&km, UI_KEY_ENTER, cand + 1, 1), UI_ACT_EDIT);
    char label[64];
    ui_keys_label(&km, UI_ACT_SAVE, label, sizeof label);
    assert_string_equal(label, "F2");
    ui_keys_label_all(&km, UI_ACT_SAVE, label, sizeof label);
    assert_string_equal(label, "F2 / Esc 2 / ^S");
    ui_keys_label_all(&km, UI_ACT_QUIT, label, sizeof label);
    assert_string_equal(label, "F10 / Esc 0 / ^Q / ^X");
}

static void test_shipped_file_matches_defaults(void **state)
{
    (void)state;
    ui_keymap a, b;
    char err[256] = "";
    ui_keys_default(&a);
    const char *home = getenv("ESIS_HOME");
    char path[1024];
    snprintf(path, sizeof path, "%s/conf/keys.ini", home ? home : ".");
    assert_int_equal(ui_keys_load(&b, path, err, sizeof err), 0);
    assert_memory_equal(&a, &b, sizeof a);
}

static char *write_tmp(const char *text)
{
    static char path[64];
    snprintf(path, sizeof path, "/tmp/esis_keys_%d.ini", (int)getpid());
    FILE *fp = fopen(path, "w");
    fputs(text, fp);
    fclose(fp);
    return path;
}

static void test_load_overrides_and_errors(void **state)
{
    (void)state;
    ui_keymap km;
    char err[256] = "";
    char *p = write_tmp("[keys]\nsave = F12, ^Y\n");
    assert_int_equal(ui_keys_load(&km, p, err, sizeof err), 0);
    assert_true(ui_keys_is(&km, UI_KEY_C(KEY_F(12)), UI_ACT_SAVE));
    assert_false(ui_keys_is(&km, UI_KEY_C(KEY_F(2)), UI_ACT_SAVE));
    assert_true(ui_keys_is(&km, UI_KEY_C(KEY_F(10)), UI_ACT_QUIT));

    p = write_tmp("[keys]\nsave = F2, Hyper-S\n");
    assert_int_equal(ui_keys_load(&km, p, err, sizeof err), -1);
    assert_non_null(strstr(err, "save: unknown key 'Hyper-S'"));
    assert_non_null(strstr(err, p));

    p = write_tmp("[keys]\nexplode = F2\n");
    assert_int_equal(ui_keys_load(&km, p, err, sizeof err), -1);
    assert_non_null(strstr(err, "explode: unknown action"));
    unlink(p);
    /* a missing file leaves the defaults */
    assert_int_equal(ui_keys_load(&km, "/nonexistent/keys.ini", err, sizeof err), 0);
    assert_true(ui_keys_is(&km, UI_KEY_C(KEY_F(2)), UI_ACT_SAVE));
}

/* A scripted key source: a list of keys; UI_KEY_NONE means "timeout". */
struct script { const ui_key *k; int n, i; int timeouts_seen; };
static ui_key script_next(void *user, int timeout_ms)
{
    struct script *s = user;
    if (timeout_ms >= 0)
        s->timeouts_seen++;
    if (s->i >= s->n)
        return UI_KEY_NONE;
    return s->k[s->i++];
}

static void test_esc_digit_decoding(void **state)
{
    (void)state;
    const ui_key keys[] = {27, '2', 27, '0', 27, UI_KEY_NONE, 27, 'x', 'a',
                           0x0E01, 27, 27, '1'};
    struct script s = {keys, (int)(sizeof keys / sizeof keys[0]), 0, 0};
    ui_key pending = UI_KEY_NONE;
    assert_int_equal(ui_keys_read_from(script_next, &s, &pending), UI_KEY_C(KEY_F(2)));
    assert_int_equal(ui_keys_read_from(script_next, &s, &pending), UI_KEY_C(KEY_F(10)));
    assert_int_equal(ui_keys_read_from(script_next, &s, &pending), 27);  /* lone Esc */
    assert_int_equal(ui_keys_read_from(script_next, &s, &pending), 27);  /* Esc then x */
    assert_int_equal(ui_keys_read_from(script_next, &s, &pending), 'x');
    assert_int_equal(ui_keys_read_from(script_next, &s, &pending), 'a');
    assert_int_equal(ui_keys_read_from(script_next, &s, &pending), 0x0E01);
    assert_int_equal(ui_keys_read_from(script_next, &s, &pending), 27);  /* Esc Esc */
    assert_int_equal(ui_keys_read_from(script_next, &s, &pending), UI_KEY_C(KEY_F(1)));
    assert_int_equal(s.timeouts_seen, 6);
}

static void test_key_is_char(void **state)
{
    (void)state;
    assert_true(ui_key_is_char('a'));
    assert_true(ui_key_is_char(0x0E48));
    assert_false(ui_key_is_char(27));
    assert_false(ui_key_is_char(127));
    assert_false(ui_key_is_char(UI_KEY_C(KEY_LEFT)));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse_names),
        cmocka_unit_test(test_defaults),
        cmocka_unit_test(test_shipped_file_matches_defaults),
        cmocka_unit_test(test_load_overrides_and_errors),
        cmocka_unit_test(test_esc_digit_decoding),
        cmocka_unit_test(test_key_is_char),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

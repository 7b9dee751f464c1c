/* Tests of ui_lineedit: the Thai-aware field editor, without a terminal. */
#include "testutil.h"
#include <curses.h>
#include "esis/ui_lineedit.h"

static void type(ui_lineedit *ed, const wchar_t *s)
{
    for (; *s; s++)
        ui_lineedit_key(ed, (ui_key)*s);
}

static void key(ui_lineedit *ed, int kc) { ui_lineedit_key(ed, UI_KEY_C(kc)); }

static void test_type_and_backspace_one_code_point(void **state)
{
    (void)state;
    ui_lineedit *ed = ui_lineedit_new(40, UI_LE_ANY);
    type(ed, L"สุ่ม");
    assert_string_equal(ui_lineedit_text_utf8(ed), "สุ่ม");
    assert_int_equal(ed->cur, 4);
    assert_int_equal(ui_lineedit_key(ed, 127), UI_LE_CHANGED);
    assert_string_equal(ui_lineedit_text_utf8(ed), "สุ่");
    assert_int_equal(ui_lineedit_key(ed, UI_KEY_C(KEY_BACKSPACE)), UI_LE_CHANGED);
    assert_string_equal(ui_lineedit_text_utf8(ed), "สุ");
    /* another tone mark without retyping the consonant */
    assert_int_equal(ui_lineedit_key(ed, 0x0E49), UI_LE_CHANGED);
    assert_string_equal(ui_lineedit_text_utf8(ed), "สุ้");
    assert_true(ed->modified);
    ui_lineedit_free(ed);
}

static void test_cursor_moves_by_cluster(void **state)
{
    (void)state;
    ui_lineedit *ed = ui_lineedit_new(40, UI_LE_ANY);
    ui_lineedit_set_utf8(ed, "ผู้อำนวยการ");
    assert_int_equal(ed->cur, 11);
    assert_false(ed->modified);
    key(ed, KEY_HOME);
    assert_int_equal(ed->cur, 0);
    key(ed, KEY_RIGHT);           /* over ผู้ (3 code points) */
    assert_int_equal(ed->cur, 3);
    key(ed, KEY_RIGHT);
    assert_int_equal(ed->cur, 4);
    key(ed, KEY_LEFT);
    key(ed, KEY_LEFT);
    assert_int_equal(ed->cur, 0);
    assert_int_equal(ui_lineedit_key(ed, UI_KEY_C(KEY_LEFT)), UI_LE_REFUSED);
    key(ed, KEY_END);
    key(ed, KEY_LEFT);
    key(ed, KEY_LEFT);
    type(ed, L"X");
    assert_string_equal(ui_lineedit_text_utf8(ed), "ผู้อำนวยกXาร");
    ui_lineedit_free(ed);
}

static void test_delete_removes_cluster(void **state)
{
    (void)state;
    ui_lineedit *ed = ui_lineedit_new(40, UI_LE_ANY);
    ui_lineedit_set_utf8(ed, "ที่อยู่");
    key(ed, KEY_HOME);
    assert_int_equal(ui_lineedit_key(ed, UI_KEY_C(KEY_DC)), UI_LE_CHANGED);
    assert_string_equal(ui_lineedit_text_utf8(ed), "อยู่");
    key(ed, KEY_END);
    assert_int_equal(ui_lineedit_key(ed, UI_KEY_C(KEY_DC)), UI_LE_REFUSED);
    /* Backspace at a base with marks after it deletes the cluster's last
     * code point: the marks first */
    key(ed, KEY_END);
    ui_lineedit_key(ed, 127);
    ui_lineedit_key(ed, 127);
    assert_string_equal(ui_lineedit_text_utf8(ed), "อย");
    ui_lineedit_free(ed);
}

static void test_thai_sequence_check(void **state)
{
    (void)state;
    ui_lineedit *ed = ui_lineedit_new(40, UI_LE_ANY);
    /* an above vowel with no consonant */
    assert_int_equal(ui_lineedit_key(ed, 0x0E31), UI_LE_REFUSED);
    assert_int_equal(ed->len, 0);
    type(ed, L"ก่");
    /* two tone marks in a row */
    assert_int_equal(ui_lineedit_key(ed, 0x0E49), UI_LE_REFUSED);
    assert_string_equal(ui_lineedit_text_utf8(ed), "ก่");
    /* a mark after a space or ASCII letter */
    type(ed, L" ");
    assert_int_equal(ui_lineedit_key(ed, 0x0E48), UI_LE_REFUSED);
    type(ed, L"a");
    assert_int_equal(ui_lineedit_key(ed, 0x0E34), UI_LE_REFUSED);
    /* a non-Thai combining mark with no base */
    key(ed, KEY_HOME);
    assert_int_equal(ui_lineedit_key(ed, 0x0301), UI_LE_REFUSED);
    ui_lineedit_free(ed);
}

static void test_max_chars_and_accept(void **state)
{
    (void)state;
    ui_lineedit *ed = ui_lineedit_new(3, UI_LE_ANY);
    type(ed, L"abcd");
    assert_string_equal(ui_lineedit_text_utf8(ed), "abc");
    assert_int_equal(ui_lineedit_key(ed, 'e'), UI_LE_REFUSED);
    assert_int_equal(ed->last_refusal, UI_LE_WHY_FULL);
    /* a value set from outside is kept whole, never cut; typing stops */
    ui_lineedit_set_utf8(ed, "กขที่ยาว");
    assert_string_equal(ui_lineedit_text_utf8(ed), "กขที่ยาว");
    assert_int_equal(ui_lineedit_key(ed, L'ก'), UI_LE_REFUSED);
    assert_int_equal(ed->last_refusal, UI_LE_WHY_FULL);
    ui_lineedit_free(ed);
    /* characters as seen: tone marks and above vowels are not counted, so
     * ที่นี่ก is 3 characters (7 code points) */
    ed = ui_lineedit_new(3, UI_LE_ANY);
    type(ed, L"ที่นี่กข");
    assert_string_equal(ui_lineedit_text_utf8(ed), "ที่นี่ก");
    assert_int_equal(ui_lineedit_chars(ed), 3);
    assert_int_equal(ui_lineedit_chars_utf8("องค์การ"), 6);
    /* the mark of the refused ข does not land on ก */
    assert_int_equal(ui_lineedit_key(ed, 0x0E49), UI_LE_REFUSED);
    assert_int_equal(ed->last_refusal, UI_LE_WHY_FULL);
    assert_string_equal(ui_lineedit_text_utf8(ed), "ที่นี่ก");
    ui_lineedit_free(ed);
    /* a mark on the last character that fitted still goes in */
    ed = ui_lineedit_new(3, UI_LE_ANY);
    type(ed, L"ที่นี่ก้");
    assert_string_equal(ui_lineedit_text_utf8(ed), "ที่นี่ก้");
    ui_lineedit_free(ed);

    ed = ui_lineedit_new(10, UI_LE_DATE);
    type(ed, L"1x5/03/2560");
    assert_string_equal(ui_lineedit_text_utf8(ed), "15/03/2560");
    ui_lineedit_free(ed);
    ed = ui_lineedit_new(10, UI_LE_NUMBER);
    type(ed, L"-1a2.5๓");
    assert_string_equal(ui_lineedit_text_utf8(ed), "-12.5๓");
    assert_int_equal(ui_lineedit_key(ed, 'x'), UI_LE_REFUSED);
    assert_int_equal(ed->last_refusal, UI_LE_WHY_KIND);
    ui_lineedit_free(ed);
    ed = ui_lineedit_new(10, UI_LE_CODE);
    type(ed, L"P 1");
    assert_string_equal(ui_lineedit_text_utf8(ed), "P1");
    ui_lineedit_free(ed);
}

static void test_other_keys_ignored(void **state)
{
    (void)state;
    ui_lineedit *ed = ui_lineedit_new(10, UI_LE_ANY);
    assert_int_equal(ui_lineedit_key(ed, UI_KEY_TAB), UI_LE_IGNORED);
    assert_int_equal(ui_lineedit_key(ed, UI_KEY_ENTER), UI_LE_IGNORED);
    assert_int_equal(ui_lineedit_key(ed, UI_KEY_C(KEY_F(2))), UI_LE_IGNORED);
    assert_int_equal(ui_lineedit_key(ed, UI_KEY_CTRL('S')), UI_LE_IGNORED);
    assert_int_equal(ui_lineedit_key(ed, UI_KEY_ESC), UI_LE_IGNORED);
    ui_lineedit_free(ed);
}

static void test_horizontal_scroll(void **state)
{
    (void)state;
    ui_lineedit *ed = ui_lineedit_new(60, UI_LE_ANY);
    ui_lineedit_set_utf8(ed, "ผู้อำนวยการที่อยู่");   /* 9 + 3 = 12 columns */
    int count, col;
    ui_lineedit_view(ed, 6, &count, &col);
    /* the last 5 columns are shown plus the cursor column */
    assert_int_equal(col, 5);
    assert_int_equal(ui_lineedit_width(ed, ed->scroll, ed->len), 5);
    /* scroll is a cluster boundary */
    assert_false(ed->scroll > 0 && ed->buf[ed->scroll] == 0x0E35);
    key(ed, KEY_HOME);
    ui_lineedit_view(ed, 6, &count, &col);
    assert_int_equal(ed->scroll, 0);
    assert_int_equal(col, 0);
    assert_int_equal(ui_lineedit_width(ed, 0, count), 6);
    /* after deleting, the text fits again and the view scrolls back */
    key(ed, KEY_END);
    ui_lineedit_view(ed, 6, &count, &col);
    for (int i = 0; i < 12; i++)
        ui_lineedit_key(ed, 127);
    ui_lineedit_view(ed, 6, &count, &col);
    assert_int_equal(ed->scroll, 0);
    ui_lineedit_free(ed);
}

/* A value wider than the box shows '…' at each end that is cut, and the
 * text with the markers never takes more than the box. */
static void test_scroll_markers(void **state)
{
    (void)state;
    ui_lineedit *ed = ui_lineedit_new(100, UI_LE_ANY);
    ui_lineedit_set_utf8(ed, "องค์การบริหารส่วนตำบลโคกล่าม");   /* 24 columns */
    int count, col;
    bool left, right;
    ui_lineedit_view_ends(ed, 10, &count, &col, &left, &right);
    assert_true(left);          /* cursor at the end: the start is cut */
    assert_false(right);
    assert_true(1 + ui_lineedit_width(ed, ed->scroll, ed->scroll + count) <= 10);
    assert_int_equal(ed->scroll + count, ed->len);
    key(ed, KEY_HOME);
    ui_lineedit_view_ends(ed, 10, &count, &col, &left, &right);
    assert_false(left);
    assert_true(right);
    assert_int_equal(col, 0);
    assert_true(ui_lineedit_width(ed, 0, count) + 1 <= 10);
    /* in the middle: both ends */
    for (int i = 0; i < 12; i++)
        key(ed, KEY_RIGHT);
    ui_lineedit_view_ends(ed, 6, &count, &col, &left, &right);
    assert_true(left && right);
    assert_true(2 + ui_lineedit_width(ed, ed->scroll, ed->scroll + count) <= 6);
    assert_true(col >= 1 && col <= 4);
    /* a short value: no markers */
    ui_lineedit_set_utf8(ed, "โคก");
    ui_lineedit_view_ends(ed, 10, &count, &col, &left, &right);
    assert_false(left || right);
    ui_lineedit_free(ed);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_type_and_backspace_one_code_point),
        cmocka_unit_test(test_cursor_moves_by_cluster),
        cmocka_unit_test(test_delete_removes_cluster),
        cmocka_unit_test(test_thai_sequence_check),
        cmocka_unit_test(test_max_chars_and_accept),
        cmocka_unit_test(test_other_keys_ignored),
        cmocka_unit_test(test_horizontal_scroll),
        cmocka_unit_test(test_scroll_markers),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

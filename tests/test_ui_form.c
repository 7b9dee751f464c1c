/* Tests of ui_form: typed fields, navigation, checks and flags, the
 * validate and save callbacks, drafts through ui_form_value, and drawing
 * on a curses screen written to /dev/null. */
#include "testutil.h"
#include <curses.h>
#include <locale.h>
#include "esis/ui_form.h"
#include "esis/ui_signal.h"
#include "esis/text.h"

static const ui_pick_item grades[] = {
    {"P1", "ป.1"}, {"P2", "ป.2"}, {"M1", "ม.1"},
};

enum { F_NAME, F_BIRTH, F_GRADE, F_POOR, F_COUNT, F_SCHOOL, NFIELDS };
static const ui_field_desc fields[NFIELDS] = {
    {"ชื่อ", "first_name", UI_FIELD_TEXT, 20, 40, true, NULL, 0, "ชื่อจริง ไม่มีคำนำหน้า", false},
    {"วันเกิด", "birth_date", UI_FIELD_DATE, 10, 0, true, NULL, 0, NULL, false},
    {"ชั้น", "grade", UI_FIELD_CODE, 4, 8, false, grades, 3, NULL, false},
    {"ยากจน", "poor", UI_FIELD_YESNO, 6, 0, false, NULL, 0, NULL, false},
    {"น้ำหนัก", "weight", UI_FIELD_NUMBER, 6, 0, false, NULL, 0, NULL, false},
    {"โรงเรียน", "school_code", UI_FIELD_TEXT, 10, 0, false, NULL, 0, NULL, true},
};

typedef struct probe {
    int validated[NFIELDS];
    int saves;
    bool refuse;
} probe;

/* A stand-in for the rules engine: a warning when the name is short, an
 * error on the grade when a poor flag is set without a grade. */
static int validate(void *user, ui_form *form, int field, ui_form_flags *out)
{
    probe *p = user;
    p->validated[field]++;
    if (field == F_NAME && text_width(ui_form_value(form, F_NAME)) < 3)
        ui_form_flags_add(out, F_NAME, '?', "ชื่อสั้นผิดปกติ");
    if (field == F_POOR && strcmp(ui_form_value(form, F_POOR), "1") == 0 &&
        !*ui_form_value(form, F_GRADE))
        ui_form_flags_add(out, F_GRADE, '!', "ต้องระบุชั้นเมื่อยากจน");
    return 0;
}

static int save(void *user, ui_form *form, char *err, size_t errsz)
{
    (void)form;
    probe *p = user;
    p->saves++;
    if (p->refuse) {
        snprintf(err, errsz, "ข้อมูลถูกแก้ไขโดยผู้อื่น");
        return 1;
    }
    return 0;
}

typedef struct fixture { ui_ctx ctx; probe p; ui_form *f; } fixture;

static int setup(void **state)
{
    fixture *fx = calloc(1, sizeof *fx);
    ui_ctx_init(&fx->ctx, NULL, NULL, false);
    fx->f = ui_form_new(&fx->ctx, "นักเรียน", fields, NFIELDS, validate, save, &fx->p);
    *state = fx;
    return fx->f ? 0 : -1;
}

static int teardown(void **state)
{
    fixture *fx = *state;
    ui_form_free(fx->f);
    free(fx);
    return 0;
}

static void type(ui_form *f, const wchar_t *s)
{
    for (; *s; s++)
        ui_form_key(f, (ui_key)*s);
}

static void test_type_navigate_values(void **state)
{
    fixture *fx = *state;
    ui_form *f = fx->f;
    assert_int_equal(f->cur, F_NAME);
    type(f, L"สมศรี");
    assert_true(ui_form_modified(f));
    ui_form_key(f, UI_KEY_TAB);
    assert_int_equal(f->cur, F_BIRTH);
    assert_int_equal(fx->p.validated[F_NAME], 1);
    type(f, L"15032560");                 /* slashes come by themselves */
    assert_string_equal(ui_form_value(f, F_BIRTH), "15/03/2560");
    char db[32];
    assert_true(ui_form_value_db(f, F_BIRTH, db, sizeof db));
    assert_string_equal(db, "2017-03-15");
    ui_form_key(f, UI_KEY_C(KEY_DOWN));
    assert_int_equal(f->cur, F_GRADE);
    ui_form_key(f, UI_KEY_C(KEY_BTAB));
    assert_int_equal(f->cur, F_BIRTH);
    ui_form_key(f, UI_KEY_C(KEY_UP));
    assert_int_equal(f->cur, F_NAME);
    ui_form_key(f, UI_KEY_C(KEY_UP));     /* wraps to the last field */
    assert_int_equal(f->cur, F_SCHOOL);
    assert_string_equal(ui_form_value(f, F_NAME), "สมศรี");
    assert_int_equal(ui_form_field_index(f, "grade"), F_GRADE);
}

static void test_builtin_checks_and_markers(void **state)
{
    fixture *fx = *state;
    ui_form *f = fx->f;
    ui_form_key(f, UI_KEY_ENTER);          /* pass through the empty name */
    assert_int_equal(ui_form_marker(f, F_NAME), ' ');   /* flagged at save */
    type(f, L"31/02/2560");
    ui_form_key(f, UI_KEY_ENTER);
    assert_int_equal(ui_form_marker(f, F_BIRTH), '!');
    /* now on grade, but the date's reason shows at once */
    assert_int_equal(f->status_kind, UI_STATUS_ERROR);
    type(f, L"X9");
    ui_form_key(f, UI_KEY_ENTER);
    assert_int_equal(ui_form_marker(f, F_GRADE), '!');
    ui_form_key(f, UI_KEY_C(KEY_UP));       /* back to grade: its message shows */
    assert_int_equal(f->status_kind, UI_STATUS_ERROR);
    assert_string_equal(f->status, "ui.bad_code");
    /* the label typed instead of the code is turned into the code */
    ui_form_key(f, 127);
    ui_form_key(f, 127);
    type(f, L"ป.2");
    ui_form_key(f, UI_KEY_ENTER);
    assert_string_equal(ui_form_value(f, F_GRADE), "P2");
    assert_int_equal(ui_form_marker(f, F_GRADE), ' ');
    /* numbers: Thai digits and thousands separators */
    ui_form_goto(f, F_COUNT);
    type(f, L"1,2๓");
    ui_form_key(f, UI_KEY_ENTER);
    assert_int_equal(ui_form_marker(f, F_COUNT), ' ');
    char db[16];
    assert_true(ui_form_value_db(f, F_COUNT, db, sizeof db));
    assert_string_equal(db, "123");
    assert_int_equal(ui_form_error_count(f), 1);   /* the birth date */
    ui_form_try_save(f);                           /* now the empty name too */
    assert_int_equal(ui_form_marker(f, F_NAME), '!');
    assert_int_equal(ui_form_error_count(f), 2);
}

/* Issue 16 (5): the reason for a flag is on the status line the moment
 * the field is left, with the value and what is expected (the message
 * key stands for the text in this test, which has no messages.ini). */
static void test_reason_shown_when_left(void **state)
{
    fixture *fx = *state;
    ui_form *f = fx->f;
    ui_form_goto(f, F_BIRTH);
    type(f, L"31022560");
    ui_form_key(f, UI_KEY_TAB);
    assert_int_equal(f->cur, F_GRADE);
    assert_int_equal(f->status_kind, UI_STATUS_ERROR);
    assert_non_null(strstr(f->status, "วันเกิด"));       /* the field */
    assert_non_null(strstr(f->status, "31/02/2560"));   /* the value */
    assert_non_null(strstr(f->status, "ui.bad_date"));  /* what is expected */
    /* a warning from the rules, too */
    ui_form_goto(f, F_NAME);
    type(f, L"อร");
    ui_form_key(f, UI_KEY_TAB);
    assert_int_equal(f->status_kind, UI_STATUS_WARNING);
    assert_non_null(strstr(f->status, "อร"));
    assert_non_null(strstr(f->status, "ชื่อสั้นผิดปกติ"));
    /* a field left without a flag: the new field's help */
    ui_form_goto(f, F_COUNT);
    type(f, L"12");
    ui_form_goto(f, F_NAME);
    assert_int_equal(f->status_kind, UI_STATUS_WARNING);   /* its own flag */
    ui_form_key(f, 127);
    ui_form_key(f, 127);
    type(f, L"อรุณี");
    ui_form_key(f, UI_KEY_TAB);
    assert_int_equal(ui_form_marker(f, F_NAME), ' ');
    ui_form_goto(f, F_COUNT);                 /* leaving the bad date again */
    assert_non_null(strstr(f->status, "31/02/2560"));
    ui_form_goto(f, F_NAME);
    assert_string_equal(f->status, "ชื่อจริง ไม่มีคำนำหน้า");
    assert_int_equal(f->status_kind, UI_STATUS_INFO);
}

/* A required field typed in and emptied again is flagged when left;
 * once a save was tried, passing through an empty one flags it. */
static void test_required_when_touched_or_saved(void **state)
{
    fixture *fx = *state;
    ui_form *f = fx->f;
    type(f, L"ก");
    ui_form_key(f, 127);
    ui_form_key(f, UI_KEY_TAB);
    assert_int_equal(ui_form_marker(f, F_NAME), '!');
    assert_non_null(strstr(f->status, "ui.required"));
    ui_form_key(f, UI_KEY_TAB);                /* the untouched birth date */
    assert_int_equal(ui_form_marker(f, F_BIRTH), ' ');
    assert_int_equal(ui_form_key(f, UI_KEY_C(KEY_F(2))), UI_FORM_CONTINUE);
    assert_int_equal(ui_form_marker(f, F_BIRTH), '!');
    assert_int_equal(fx->p.saves, 0);
}

/* Issue 16 (6): F1 speaks about the field under the cursor, for every
 * field of the form: its label and meaning, how it is written (by type),
 * an example of a code from its own list, required or read-only, and the
 * reasons of the flags it has now. */
static void test_field_help_every_field(void **state)
{
    fixture *fx = *state;
    ui_form *f = fx->f;
    static const char *const fmt[] = {"ui.help_text", "ui.help_number", "ui.help_date",
                                      "ui.help_code", "ui.help_yesno"};
    ui_form_set_value(f, F_NAME, "อร");
    ui_form_check_all(f);
    char help[2048];
    for (int i = 0; i < NFIELDS; i++) {
        const ui_field_desc *d = &fields[i];
        ui_form_field_help(f, i, help, sizeof help);
        assert_non_null(strstr(help, d->label));
        assert_non_null(strstr(help, fmt[d->type]));
        if (d->help)
            assert_non_null(strstr(help, d->help));
        assert_true(!strstr(help, "ui.help_required") == !d->required);
        assert_true(!strstr(help, "ui.read_only") == !d->read_only);
        if (d->type == UI_FIELD_CODE)
            assert_non_null(strstr(help, d->items[0].code));
        assert_true(!strstr(help, "ui.help_flags") == (ui_form_marker(f, i) == ' '));
    }
    ui_form_field_help(f, F_NAME, help, sizeof help);
    assert_non_null(strstr(help, "ชื่อสั้นผิดปกติ"));
    assert_non_null(strstr(help, "40"));                 /* its limit */
}

/* A draft put back: ui_form_check_all runs the rules and shows the
 * flags, the first one's reason on the status line. */
static void test_check_all_for_draft(void **state)
{
    fixture *fx = *state;
    ui_form *f = fx->f;
    ui_form_set_value(f, F_NAME, "อร");
    ui_form_set_value(f, F_BIRTH, "31/02/2560");
    assert_int_equal(ui_form_check_all(f), F_NAME);
    assert_int_equal(ui_form_marker(f, F_NAME), '?');
    assert_int_equal(ui_form_marker(f, F_BIRTH), '!');
    assert_non_null(strstr(f->status, "ชื่อสั้นผิดปกติ"));
    assert_int_equal(fx->p.validated[F_NAME], 1);
    ui_form_set_value(f, F_NAME, "");
    ui_form_set_value(f, F_BIRTH, "");
    assert_int_equal(ui_form_check_all(f), -1);   /* empty, not yet saved */
}

static void test_validate_callback_flags(void **state)
{
    fixture *fx = *state;
    ui_form *f = fx->f;
    type(f, L"อร");
    ui_form_key(f, UI_KEY_TAB);
    assert_int_equal(ui_form_marker(f, F_NAME), '?');
    ui_form_goto(f, F_POOR);
    ui_form_key(f, ' ');
    assert_string_equal(ui_form_value(f, F_POOR), "1");
    ui_form_key(f, UI_KEY_TAB);
    /* a flag on another field than the one checked */
    assert_int_equal(ui_form_marker(f, F_GRADE), '!');
    ui_form_goto(f, F_POOR);
    ui_form_key(f, 0x0E37);                 /* ื: the n key on a Thai layout */
    assert_string_equal(ui_form_value(f, F_POOR), "0");
    ui_form_key(f, UI_KEY_TAB);
    assert_int_equal(ui_form_marker(f, F_GRADE), ' ');
    /* fixing the name clears its warning */
    ui_form_goto(f, F_NAME);
    type(f, L"อุมา");
    ui_form_key(f, UI_KEY_TAB);
    assert_int_equal(ui_form_marker(f, F_NAME), ' ');
}

static void fill_valid(ui_form *f)
{
    ui_form_set_value(f, F_NAME, "สมชาย");
    ui_form_set_value(f, F_BIRTH, "2017-03-15");   /* ISO in, BE shown */
    ui_form_set_value(f, F_GRADE, "P1");
    ui_form_set_value(f, F_POOR, "no");
}

static void test_save_refused_then_saved(void **state)
{
    fixture *fx = *state;
    ui_form *f = fx->f;
    assert_int_equal(ui_form_key(f, UI_KEY_C(KEY_F(2))), UI_FORM_CONTINUE);
    assert_int_equal(fx->p.saves, 0);       /* errors stand: not even tried */
    assert_int_equal(f->status_kind, UI_STATUS_ERROR);
    fill_valid(f);
    assert_string_equal(ui_form_value(f, F_BIRTH), "15/03/2560");
    assert_false(ui_form_modified(f));
    fx->p.refuse = true;
    assert_int_equal(ui_form_key(f, UI_KEY_CTRL('S')), UI_FORM_CONTINUE);
    assert_int_equal(fx->p.saves, 1);
    assert_non_null(strstr(f->status, "ข้อมูลถูกแก้ไขโดยผู้อื่น"));
    assert_int_equal(ui_form_marker(f, -1), '!');   /* a form-level flag */
    fx->p.refuse = false;
    assert_int_equal(ui_form_key(f, UI_KEY_C(KEY_F(2))), UI_FORM_SAVED);
    assert_int_equal(ui_form_error_count(f), 0);   /* the refusal flag went */
}

static void test_requests_and_read_only(void **state)
{
    fixture *fx = *state;
    ui_form *f = fx->f;
    assert_int_equal(ui_form_key(f, UI_KEY_ESC), UI_FORM_CANCELLED);
    type(f, L"ก");
    assert_int_equal(ui_form_key(f, UI_KEY_ESC), UI_FORM_WANT_DISCARD);
    assert_int_equal(ui_form_key(f, UI_KEY_C(KEY_F(10))), UI_FORM_WANT_QUIT);
    assert_int_equal(ui_form_key(f, UI_KEY_C(KEY_F(3))), UI_FORM_WANT_FLAGS);
    assert_int_equal(ui_form_key(f, UI_KEY_CTRL('G')), UI_FORM_WANT_HELP);
    /* pick only on a code field */
    assert_int_equal(ui_form_key(f, UI_KEY_C(KEY_F(4))), UI_FORM_CONTINUE);
    ui_form_goto(f, F_GRADE);
    assert_int_equal(ui_form_key(f, UI_KEY_CTRL('P')), UI_FORM_WANT_PICK);
    ui_form_pick_done(f, 2);
    assert_string_equal(ui_form_value(f, F_GRADE), "M1");
    /* read-only: typing is refused, the value stays */
    ui_form_set_value(f, F_SCHOOL, "1010");
    ui_form_goto(f, F_SCHOOL);
    type(f, L"9");
    ui_form_key(f, 127);
    assert_string_equal(ui_form_value(f, F_SCHOOL), "1010");
    assert_int_equal(f->status_kind, UI_STATUS_WARNING);
    /* '/' goes into a field, it is not the search key here */
    ui_form_goto(f, F_NAME);
    type(f, L"/");
    assert_string_equal(ui_form_value(f, F_NAME), "ก/");
}

/* What the TUI needs to keep and restore a draft: every value as typed,
 * the focus put back without checking, the form marked changed; F11 / ^R
 * asks for the record's history; the stop flags of ui_signal. */
static void test_draft_restore_and_stops(void **state)
{
    fixture *fx = *state;
    ui_form *f = fx->f;
    ui_form_set_value(f, F_NAME, "สมศรี");
    ui_form_set_value(f, F_BIRTH, "01/05/2561");
    assert_false(ui_form_modified(f));
    ui_form_focus(f, F_GRADE);
    assert_int_equal(f->cur, F_GRADE);
    assert_int_equal(fx->p.validated[F_NAME], 0);   /* nothing checked */
    ui_form_set_modified(f);
    assert_true(ui_form_modified(f));
    assert_string_equal(ui_form_value(f, F_BIRTH), "01/05/2561");
    assert_int_equal(ui_form_key(f, UI_KEY_C(KEY_F(11))), UI_FORM_WANT_HISTORY);
    assert_int_equal(ui_form_key(f, UI_KEY_CTRL('R')), UI_FORM_WANT_HISTORY);
    assert_int_equal(ui_signal_pending(), UI_STOP_NONE);
    ui_signal_raise(UI_STOP_INTERRUPT);
    assert_int_equal(ui_signal_pending(), UI_STOP_INTERRUPT);
    assert_false(ui_signal_must_exit());
    assert_string_equal(ui_signal_draft_reason(ui_signal_pending()), "interrupt");
    ui_signal_clear_interrupt();
    assert_int_equal(ui_signal_pending(), UI_STOP_NONE);
    assert_int_equal(ui_signal_exit_status(), 0);
}

static wchar_t cell(int y, int x)
{
    cchar_t cc;
    wchar_t wch[CCHARW_MAX + 1];
    attr_t a;
    short pair;
    mvwin_wch(stdscr, y, x, &cc);
    getcchar(&cc, wch, &a, &pair, NULL);
    return wch[0];
}

static void test_draw_form(void **state)
{
    fixture *fx = *state;
    ui_form *f = fx->f;
    FILE *out = fopen("/dev/null", "w"), *in = fopen("/dev/null", "r");
    SCREEN *scr = newterm("vt100", out, in);
    assert_non_null(scr);
    fill_valid(f);
    ui_form_key(f, UI_KEY_TAB);
    ui_form_draw(f, stdscr);
    /* the boxes of every field start at the same column whatever the
     * Thai labels: 1 + widest label ("โรงเรียน" 7, "น้ำหนัก" 5, "ชื่อ*" ...) + 1 */
    int bx = 1 + f->label_w + 1;
    int y, x;
    getyx(stdscr, y, x);                 /* the cursor after 15/03/2560 */
    assert_int_equal(y, 1 + F_BIRTH);
    assert_int_equal(x, bx + 10);
    assert_int_equal(f->eds[F_BIRTH]->scroll, 0);
    assert_int_equal(cell(1 + F_NAME, bx), 0x0E2A);    /* ส of สมชาย */
    assert_int_equal(cell(1 + F_GRADE, bx), 'P');
    assert_int_equal(cell(1 + F_BIRTH, 0), '>');       /* the current field's '>' */
    endwin();
    delscreen(scr);
    fclose(out);
    fclose(in);
}

/* Issue 14 (2): a value wider than its box shows where it is cut.  The
 * name box is 20 columns; นางธัญพร กองสวัสดิ์คำ ณ อยุธยา is 27.  Focused
 * with the cursor at the end: '…' first, then the tail; not focused: the
 * start, with '…' in the box's last column. */
static void test_draw_cut_markers(void **state)
{
    fixture *fx = *state;
    ui_form *f = fx->f;
    FILE *out = fopen("/dev/null", "w"), *in = fopen("/dev/null", "r");
    SCREEN *scr = newterm("vt100", out, in);
    assert_non_null(scr);
    ui_form_set_value(f, F_NAME, "นางธัญพร กองสวัสดิ์คำ ณ อยุธยา");
    ui_form_focus(f, F_NAME);
    ui_form_draw(f, stdscr);
    int bx = 1 + f->label_w + 1, row = 1 + F_NAME;
    assert_int_equal(cell(row, bx), 0x2026);
    assert_true(cell(row, bx + 1) != 0x0E19);               /* not the start น */
    ui_form_key(f, UI_KEY_TAB);
    ui_form_draw(f, stdscr);
    assert_int_equal(cell(row, bx), 0x0E19);                /* น of นาง */
    assert_int_equal(cell(row, bx + 19), 0x2026);
    /* the value itself is whole */
    assert_string_equal(ui_form_value(f, F_NAME), "นางธัญพร กองสวัสดิ์คำ ณ อยุธยา");
    endwin();
    delscreen(scr);
    fclose(out);
    fclose(in);
}

/* ui_dialog_prompt writes the answer whole or refuses the key: with a
 * 16-byte buffer, "a" and four Thai letters (13 bytes) fit, a fifth (16)
 * does not, and the answer is never a cut UTF-8 sequence (the old prompt
 * cut at byte 15, in the middle of ง). */
static void test_prompt_never_cuts(void **state)
{
    fixture *fx = *state;
    FILE *out = fopen("/dev/null", "w"), *in = fopen("/dev/null", "r");
    SCREEN *scr = newterm("vt100", out, in);
    assert_non_null(scr);
    static const wchar_t keys[] = L"aกขคงจฉ\n";
    for (int i = (int)wcslen(keys) - 1; i >= 0; i--)   /* curses' queue is a stack */
        unget_wch(keys[i]);
    char buf[16] = "";
    assert_true(ui_dialog_prompt(&fx->ctx, "t", "l", buf, sizeof buf, 100));
    assert_string_equal(buf, "aกขคง");
    endwin();
    delscreen(scr);
    fclose(out);
    fclose(in);
}

int main(void)
{
    setlocale(LC_ALL, "C.UTF-8");
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_type_navigate_values, setup, teardown),
        cmocka_unit_test_setup_teardown(test_builtin_checks_and_markers, setup, teardown),
        cmocka_unit_test_setup_teardown(test_reason_shown_when_left, setup, teardown),
        cmocka_unit_test_setup_teardown(test_required_when_touched_or_saved, setup, teardown),
        cmocka_unit_test_setup_teardown(test_check_all_for_draft, setup, teardown),
        cmocka_unit_test_setup_teardown(test_field_help_every_field, setup, teardown),
        cmocka_unit_test_setup_teardown(test_validate_callback_flags, setup, teardown),
        cmocka_unit_test_setup_teardown(test_save_refused_then_saved, setup, teardown),
        cmocka_unit_test_setup_teardown(test_requests_and_read_only, setup, teardown),
        cmocka_unit_test_setup_teardown(test_draft_restore_and_stops, setup, teardown),
        cmocka_unit_test_setup_teardown(test_draw_form, setup, teardown),
        cmocka_unit_test_setup_teardown(test_prompt_never_cuts, setup, teardown),
        cmocka_unit_test_setup_teardown(test_draw_cut_markers, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

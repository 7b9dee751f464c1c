/* Tests of ui_keys and ui_keyseq: key names, the key map file, and the
 * reader over every terminal family's sequences (whole, split by a slow
 * link, with modifiers, unknown), with Esc, Esc-digit and Ctrl fallbacks. */
#include "fixture.h"
#include <curses.h>
#include <unistd.h>
#include "esis/text.h"
#include "esis/ui_keys.h"
#include "esis/ui_keyseq.h"

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
    char path[1024];
    snprintf(path, sizeof path, "%s/conf/keys.ini", fx_home());
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

/* ---- the reader, over a simulated line --------------------------------
 *
 * A line is a list of events: a key (one code point) that arrives delay ms
 * after the one before.  The source answers a read with a timeout the way
 * the terminal would: the next key if it arrives in time, else NONE after
 * the timeout has passed (the clock moves on either way). */
typedef struct { int delay; ui_key k; } line_event;
typedef struct {
    line_event ev[256];
    int n, i;
    int waited;          /* ms already waited for ev[i] */
    long clock;          /* ms since the start */
} line;

static ui_key line_source(void *user, int timeout_ms)
{
    line *l = user;
    if (l->i >= l->n) {
        if (timeout_ms >= 0)
            l->clock += timeout_ms;
        return UI_KEY_NONE;
    }
    int remaining = l->ev[l->i].delay - l->waited;
    if (timeout_ms >= 0 && remaining > timeout_ms) {
        l->waited += timeout_ms;
        l->clock += timeout_ms;
        return UI_KEY_NONE;
    }
    l->waited = 0;
    l->clock += remaining;
    return l->ev[l->i++].k;
}

/* Append the code points of UTF-8 text, the first delay ms after the last
 * event and the rest at once. */
static void line_add(line *l, int delay, const char *text)
{
    for (const char *p = text; *p;) {
        unsigned cp;
        int len = text_utf8_decode(p, strlen(p), &cp);
        assert_true(len > 0);
        assert_true(l->n < 256);
        l->ev[l->n++] = (line_event){p == text ? delay : 0, (ui_key)cp};
        p += len;
    }
}

static ui_keys_reader reader_on(line *l)
{
    return (ui_keys_reader){.src = line_source, .user = l,
                            .escdelay_ms = UI_KEYSEQ_ESCDELAY_DEFAULT_MS};
}

/* The keys the reader makes of a line, until it runs dry. */
static int read_all(line *l, ui_key *out, int max)
{
    ui_keys_reader r = reader_on(l);
    int n = 0;
    ui_key k;
    while (n < max && (k = ui_keys_read_from(&r)) != UI_KEY_NONE)
        out[n++] = k;
    return n;
}

/* What terminals send, from doc/terminals.md and the terminals' sources
 * (PuTTY's terminal.c / gtkwin.c, xterm's ctlseqs, rxvt's doc/rxvtRef,
 * the Linux console's keymap).  \033 is ESC. */
static const struct { const char *terminal, *key, *bytes; } SENT[] = {
    /* xterm, VTE, Windows Terminal, macOS Terminal: normal mode */
    {"xterm", "Up", "\033[A"}, {"xterm", "Down", "\033[B"},
    {"xterm", "Right", "\033[C"}, {"xterm", "Left", "\033[D"},
    {"xterm", "Home", "\033[H"}, {"xterm", "End", "\033[F"},
    {"xterm", "Ins", "\033[2~"}, {"xterm", "Del", "\033[3~"},
    {"xterm", "PgUp", "\033[5~"}, {"xterm", "PgDn", "\033[6~"},
    {"xterm", "F1", "\033OP"}, {"xterm", "F2", "\033OQ"},
    {"xterm", "F3", "\033OR"}, {"xterm", "F4", "\033OS"},
    {"xterm", "F5", "\033[15~"}, {"xterm", "F6", "\033[17~"},
    {"xterm", "F7", "\033[18~"}, {"xterm", "F8", "\033[19~"},
    {"xterm", "F9", "\033[20~"}, {"xterm", "F10", "\033[21~"},
    {"xterm", "F11", "\033[23~"}, {"xterm", "F12", "\033[24~"},
    {"xterm", "BTab", "\033[Z"},
    /* xterm application cursor / keypad mode (smkx) */
    {"xterm-app", "Up", "\033OA"}, {"xterm-app", "Down", "\033OB"},
    {"xterm-app", "Right", "\033OC"}, {"xterm-app", "Left", "\033OD"},
    {"xterm-app", "Home", "\033OH"}, {"xterm-app", "End", "\033OF"},
    {"xterm-app", "Enter", "\033OM"},
    /* xterm with modifiers: Ctrl+Up, Shift+F5, Ctrl+F1, Alt+Del, old xterm */
    {"xterm-mod", "Up", "\033[1;5A"}, {"xterm-mod", "F5", "\033[15;2~"},
    {"xterm-mod", "F1", "\033[1;5P"}, {"xterm-mod", "F4", "\033[1;2S"},
    {"xterm-mod", "Del", "\033[3;3~"}, {"xterm-mod", "End", "\033[1;2F"},
    {"xterm-mod", "F2", "\033O5Q"}, {"xterm-mod", "Home", "\033[1;5H"},
    /* PuTTY's default "ESC[n~" function keys */
    {"putty", "F1", "\033[11~"}, {"putty", "F2", "\033[12~"},
    {"putty", "F3", "\033[13~"}, {"putty", "F4", "\033[14~"},
    {"putty", "F5", "\033[15~"}, {"putty", "F10", "\033[21~"},
    {"putty", "F12", "\033[24~"},
    {"putty", "Home", "\033[1~"}, {"putty", "End", "\033[4~"},
    {"putty", "Ins", "\033[2~"}, {"putty", "Del", "\033[3~"},
    {"putty", "Up", "\033[A"}, {"putty", "Up", "\033OA"},   /* Ctrl flips mode */
    {"putty", "Right", "\033[1;5C"},                         /* xterm-style bitmap */
    /* PuTTY "Linux" function keys */
    {"putty-linux", "F1", "\033[[A"}, {"putty-linux", "F2", "\033[[B"},
    {"putty-linux", "F3", "\033[[C"}, {"putty-linux", "F4", "\033[[D"},
    {"putty-linux", "F5", "\033[[E"}, {"putty-linux", "F6", "\033[17~"},
    /* PuTTY "SCO": F1..F12 = CSI M..X, small keypad H L F I G */
    {"putty-sco", "F1", "\033[M"}, {"putty-sco", "F2", "\033[N"},
    {"putty-sco", "F3", "\033[O"}, {"putty-sco", "F4", "\033[P"},
    {"putty-sco", "F5", "\033[Q"}, {"putty-sco", "F6", "\033[R"},
    {"putty-sco", "F7", "\033[S"}, {"putty-sco", "F8", "\033[T"},
    {"putty-sco", "F9", "\033[U"}, {"putty-sco", "F10", "\033[V"},
    {"putty-sco", "F11", "\033[W"}, {"putty-sco", "F12", "\033[X"},
    {"putty-sco", "Home", "\033[H"}, {"putty-sco", "End", "\033[F"},
    {"putty-sco", "Ins", "\033[L"}, {"putty-sco", "PgUp", "\033[I"},
    {"putty-sco", "PgDn", "\033[G"}, {"putty-sco", "Backspace", "\177"},
    /* PuTTY "Xterm R6" and "VT100+" */
    {"putty-xtermr6", "F1", "\033OP"}, {"putty-xtermr6", "F5", "\033[15~"},
    {"putty-vt100+", "F5", "\033OT"}, {"putty-vt100+", "F6", "\033OU"},
    {"putty-vt100+", "F10", "\033OY"}, {"putty-vt100+", "F11", "\033OZ"},
    {"putty-vt100+", "F12", "\033O["},
    /* PuTTY's rxvt Home/End option */
    {"putty-rxvt-home", "Home", "\033[H"}, {"putty-rxvt-home", "End", "\033Ow"},
    /* rxvt, urxvt */
    {"rxvt", "F1", "\033[11~"}, {"rxvt", "F4", "\033[14~"},
    {"rxvt", "F5", "\033[15~"}, {"rxvt", "Home", "\033[7~"},
    {"rxvt", "End", "\033[8~"}, {"rxvt", "Ins", "\033[2$"},   /* Shift */
    {"rxvt", "Del", "\033[3^"}, {"rxvt", "PgUp", "\033[5@"},  /* Ctrl, both */
    {"rxvt", "F2", "\033[12^"}, {"rxvt", "Up", "\033[a"},
    {"rxvt", "Up", "\033Oa"}, {"rxvt", "Left", "\033[d"},
    /* the Linux console */
    {"linux", "F1", "\033[[A"}, {"linux", "F5", "\033[[E"},
    {"linux", "F6", "\033[17~"}, {"linux", "F12", "\033[24~"},
    {"linux", "Home", "\033[1~"}, {"linux", "End", "\033[4~"},
    {"linux", "Up", "\033[A"}, {"linux", "Del", "\033[3~"},
    /* vt100 / vt220 */
    {"vt100", "F1", "\033OP"}, {"vt100", "F4", "\033OS"},
    {"vt100", "Up", "\033OA"}, {"vt220", "F6", "\033[17~"},
    {"vt220", "Home", "\033[1~"}, {"vt220", "End", "\033[4~"},
    /* screen, tmux */
    {"tmux", "F1", "\033OP"}, {"tmux", "F5", "\033[15~"},
    {"tmux", "Home", "\033[1~"}, {"tmux", "End", "\033[4~"},
    {"tmux", "Up", "\033OA"}, {"tmux", "Right", "\033[1;5C"},
    {"screen", "PgDn", "\033[6~"}, {"screen", "BTab", "\033[Z"},
    /* plain bytes */
    {"any", "Backspace", "\010"}, {"any", "Enter", "\r"}, {"any", "Enter", "\n"},
};
enum { NSENT = sizeof SENT / sizeof SENT[0] };

/* Every sequence of every terminal family is its key, and the character
 * typed after it arrives untouched: not a byte of the sequence is typed. */
static void test_every_terminal_sequence(void **state)
{
    (void)state;
    for (int i = 0; i < NSENT; i++) {
        line l = {0};
        line_add(&l, 0, SENT[i].bytes);
        line_add(&l, 30, "ก");
        ui_key got[8];
        int n = read_all(&l, got, 8);
        ui_key want = ui_keys_parse(SENT[i].key);
        if (n != 2 || got[0] != want || got[1] != 0x0E01)
            fail_msg("%s %s: %d keys, first %#x (want %#x)", SENT[i].terminal,
                     SENT[i].key, n, (unsigned)(n ? got[0] : 0), (unsigned)want);
    }
}

/* The same sequences split anywhere by a slow link, the parts 200 ms apart
 * (and 450 ms, just under the default ESCDELAY of 500), are still one key. */
static void test_split_sequences(void **state)
{
    (void)state;
    static const int gaps[] = {200, 450};
    for (int g = 0; g < 2; g++) {
        for (int i = 0; i < NSENT; i++) {
            size_t len = strlen(SENT[i].bytes);
            for (size_t cut = 1; cut < len; cut++) {
                line l = {0};
                char head[16];
                snprintf(head, sizeof head, "%.*s", (int)cut, SENT[i].bytes);
                line_add(&l, 0, head);
                line_add(&l, gaps[g], SENT[i].bytes + cut);
                line_add(&l, 30, "x");
                ui_key got[8];
                int n = read_all(&l, got, 8);
                if (n != 2 || got[0] != ui_keys_parse(SENT[i].key) || got[1] != 'x')
                    fail_msg("%s %s cut at %zu, %d ms: %d keys, first %#x",
                             SENT[i].terminal, SENT[i].key, cut, gaps[g], n,
                             (unsigned)(n ? got[0] : 0));
            }
        }
    }
    /* the issue's F10, ESC then [21~ 250 ms later, is F10 and not Esc, 2, 1 */
    line l = {0};
    line_add(&l, 0, "\033");
    line_add(&l, 250, "[21~");
    ui_key got[8];
    assert_int_equal(read_all(&l, got, 8), 1);
    assert_int_equal(got[0], UI_KEY_C(KEY_F(10)));
    /* once ESC [ has come the rest is waited for longer: 900 ms */
    l = (line){0};
    line_add(&l, 0, "\033[2");
    line_add(&l, 900, "1~");
    assert_int_equal(read_all(&l, got, 8), 1);
    assert_int_equal(got[0], UI_KEY_C(KEY_F(10)));
}

/* Every sequence with every xterm modifier (2 Shift ... 8 Ctrl+Alt+Shift)
 * is the unmodified key. */
static void test_modifiers_generated(void **state)
{
    (void)state;
    for (int i = 0; i < NSENT; i++) {
        const char *b = SENT[i].bytes;
        size_t len = strlen(b);
        if (len < 3 || b[0] != 27)
            continue;
        char final = b[len - 1];
        for (int m = 2; m <= 8; m++) {
            char seq[32];
            if (b[1] == '[' && final == '~')          /* CSI n ; m ~ */
                snprintf(seq, sizeof seq, "%.*s;%d~", (int)(len - 1), b, m);
            else if (b[1] == 'O' && len == 3 && final >= 'P' && final <= 'S')
                snprintf(seq, sizeof seq, "\033[1;%d%c", m, final);
            else if (len == 3 && strchr("ABCDHF", final))
                snprintf(seq, sizeof seq, "\033[1;%d%c", m, final);
            else
                continue;
            line l = {0};
            line_add(&l, 0, seq);
            ui_key got[4];
            int n = read_all(&l, got, 4);
            if (n != 1 || got[0] != ui_keys_parse(SENT[i].key))
                fail_msg("%s %s with modifier %d (%s): %d keys", SENT[i].terminal,
                         SENT[i].key, m, seq + 1, n);
        }
    }
}

static int drops_seen;
static void count_drop(const char *printable)
{
    assert_int_equal(printable[0], '\\');
    drops_seen++;
}

/* Sequences no table row knows are dropped whole, and so is a sequence
 * broken off; the key after them arrives. */
static void test_unknown_sequences_dropped(void **state)
{
    (void)state;
    static const char *const unknown[] = {
        "\033[99~", "\033[25~", "\033[<0;10;5M", "\033[?1;2c", "\033[200~",
        "\033Oz", "\033[2J", "\033[[Z", "\033[1;5:3A", "\033[>0;95;0c",
        "\033[ q", "\033[27;5;13~", "\033[1;2;3;4;5;6;7;8;9;10;11;12;13;14;15;16;17~",
    };
    for (size_t i = 0; i < sizeof unknown / sizeof unknown[0]; i++) {
        line l = {0};
        line_add(&l, 0, "ส");
        line_add(&l, 20, unknown[i]);
        line_add(&l, 20, "x");
        ui_keys_reader r = reader_on(&l);
        assert_int_equal(ui_keys_read_from(&r), 0x0E2A);
        ui_key k = ui_keys_read_from(&r);
        if (k != 'x')
            fail_msg("%s: got %#x, not the x after it", unknown[i] + 1, (unsigned)k);
        assert_int_equal(r.ndropped, 1);
        assert_int_equal(r.dropped[0], '\\');
    }
    /* three in a row before the next key: each one told to the log */
    line l3 = {0};
    line_add(&l3, 0, "\033[99~\033[25~\033Oz" "x");
    ui_keys_reader r3 = reader_on(&l3);
    r3.on_drop = count_drop;
    drops_seen = 0;
    assert_int_equal(ui_keys_read_from(&r3), 'x');
    assert_int_equal(drops_seen, 3);
    assert_int_equal(r3.ndropped, 3);
    assert_string_equal(r3.dropped, "\\eOz");
    /* broken by a Thai character: the sequence goes, the character stays */
    line l = {0};
    line_add(&l, 0, "\033[1");
    line_add(&l, 10, "ก\033[A");
    ui_key got[8];
    assert_int_equal(read_all(&l, got, 8), 2);
    assert_int_equal(got[0], 0x0E01);
    assert_int_equal(got[1], UI_KEY_C(KEY_UP));
    /* broken by the next ESC: that one starts the next key */
    l = (line){0};
    line_add(&l, 0, "\033[1\033[4~");
    assert_int_equal(read_all(&l, got, 8), 1);
    assert_int_equal(got[0], UI_KEY_C(KEY_END));
    /* cut off for good: dropped after the wait, the next key arrives */
    l = (line){0};
    line_add(&l, 0, "\033[1");
    line_add(&l, 3000, "x");
    assert_int_equal(read_all(&l, got, 8), 1);
    assert_int_equal(got[0], 'x');
}

/* Esc alone (known by the timeout), Esc + digit, Esc + another key. */
static void test_esc_and_fallbacks(void **state)
{
    (void)state;
    line l = {0};
    line_add(&l, 0, "\0332");                  /* Esc 2 = F2 */
    line_add(&l, 100, "\033");
    line_add(&l, 300, "0");                    /* Esc 0 = F10, 300 ms apart */
    line_add(&l, 100, "\033");                 /* lone Esc */
    line_add(&l, 2000, "\033x");               /* Esc then x */
    line_add(&l, 100, "\033ก");                /* Esc then a Thai letter */
    line_add(&l, 100, "\033\033");             /* Esc Esc */
    line_add(&l, 2000, "\0331");               /* Esc 1 */
    line_add(&l, 100, "\023");                 /* ^S */
    ui_key got[16];
    int n = read_all(&l, got, 16);
    const ui_key want[] = {UI_KEY_C(KEY_F(2)), UI_KEY_C(KEY_F(10)), 27, 27, 'x',
                           27, 0x0E01, 27, 27, UI_KEY_C(KEY_F(1)), 0x13};
    assert_int_equal(n, (int)(sizeof want / sizeof want[0]));
    for (int i = 0; i < n; i++)
        assert_int_equal(got[i], want[i]);
    /* Esc then a digit after ESCDELAY: Esc, then the digit as typed */
    l = (line){0};
    line_add(&l, 0, "\033");
    line_add(&l, 600, "2");
    assert_int_equal(read_all(&l, got, 16), 2);
    assert_int_equal(got[0], 27);
    assert_int_equal(got[1], '2');
    /* a lone Esc costs ESCDELAY, not more */
    l = (line){0};
    line_add(&l, 0, "\033");
    ui_keys_reader r = reader_on(&l);
    assert_int_equal(ui_keys_read_from(&r), 27);
    assert_int_equal(l.clock, UI_KEYSEQ_ESCDELAY_DEFAULT_MS);
}

static void test_escdelay_from_environment(void **state)
{
    (void)state;
    assert_int_equal(ui_keyseq_escdelay(NULL), UI_KEYSEQ_ESCDELAY_DEFAULT_MS);
    assert_int_equal(ui_keyseq_escdelay(""), UI_KEYSEQ_ESCDELAY_DEFAULT_MS);
    assert_int_equal(ui_keyseq_escdelay("250"), 250);
    assert_int_equal(ui_keyseq_escdelay("1000"), 1000);
    assert_int_equal(ui_keyseq_escdelay("0"), UI_KEYSEQ_ESCDELAY_DEFAULT_MS);
    assert_int_equal(ui_keyseq_escdelay("-5"), UI_KEYSEQ_ESCDELAY_DEFAULT_MS);
    assert_int_equal(ui_keyseq_escdelay("25ms"), UI_KEYSEQ_ESCDELAY_DEFAULT_MS);
    assert_int_equal(ui_keyseq_escdelay("99999"), UI_KEYSEQ_ESCDELAY_DEFAULT_MS);
    /* a short ESCDELAY: a split of 200 ms is then Esc and dropped bytes... */
    line l = {0};
    line_add(&l, 0, "\033");
    line_add(&l, 200, "OP");
    ui_keys_reader r = reader_on(&l);
    r.escdelay_ms = 100;
    assert_int_equal(ui_keys_read_from(&r), 27);
    /* ...and the rest arrives as what it is: the user asked for that */
    assert_int_equal(ui_keys_read_from(&r), 'O');
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
        cmocka_unit_test(test_every_terminal_sequence),
        cmocka_unit_test(test_split_sequences),
        cmocka_unit_test(test_modifiers_generated),
        cmocka_unit_test(test_unknown_sequences_dropped),
        cmocka_unit_test(test_esc_and_fallbacks),
        cmocka_unit_test(test_escdelay_from_environment),
        cmocka_unit_test(test_key_is_char),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

/*
 * ui_keyseq.c: the table of the sequences terminals send for their special
 * keys, and the reader that consumes a whole sequence before it looks it up
 * (include/esis/ui_keyseq.h says why).
 *
 * The table is data in the notation of doc/esis.1 and conf/keys.ini: a key
 * name as keys.ini spells it, then every sequence that means it once its
 * modifiers are off, CSI standing for ESC [ and SS3 for ESC O.  The comment
 * of a row names who sends which.  A terminal that sends something else is
 * one more sequence on a row.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <curses.h>
#include "esis/ui_keyseq.h"

static const char *const ui_keyseq_table[][2] = {
    /* arrows: CSI normal mode, SS3 application mode (xterm, VTE, PuTTY,
     * Windows Terminal, screen, tmux, vt100); rxvt's Shift (CSI a) and
     * Ctrl (SS3 a) */
    {"Up",    "CSI A, SS3 A, CSI a, SS3 a"},
    {"Down",  "CSI B, SS3 B, CSI b, SS3 b"},
    {"Right", "CSI C, SS3 C, CSI c, SS3 c"},
    {"Left",  "CSI D, SS3 D, CSI d, SS3 d"},
    /* xterm and Windows Terminal CSI H / SS3 H; vt220, PuTTY, Linux
     * console, screen, tmux CSI 1~ (Find); rxvt CSI 7~; PuTTY SCO CSI H */
    {"Home",  "CSI H, SS3 H, CSI 1~, CSI 7~"},
    /* the same families, CSI 4~ (Select), rxvt CSI 8~, PuTTY's rxvt
     * Home/End option SS3 w */
    {"End",   "CSI F, SS3 F, CSI 4~, CSI 8~, SS3 w"},
    {"Ins",   "CSI 2~, CSI L"},              /* everyone; PuTTY SCO CSI L */
    {"Del",   "CSI 3~"},                     /* PuTTY SCO sends 0x7F */
    {"PgUp",  "CSI 5~, CSI I"},              /* everyone; PuTTY SCO CSI I */
    {"PgDn",  "CSI 6~, CSI G"},              /* everyone; PuTTY SCO CSI G */
    {"BTab",  "CSI Z"},                      /* Shift-Tab */
    {"Enter", "SS3 M"},                      /* keypad Enter, application mode */
    /* F1-F4: xterm, VTE, vt100, screen, tmux, Windows Terminal SS3 P..S;
     * PuTTY ESC[n~ and rxvt CSI 11~..14~; Linux console and PuTTY Linux
     * CSI [A..[D; PuTTY SCO CSI M..P */
    {"F1",    "SS3 P, CSI 11~, CSI [A, CSI M"},
    {"F2",    "SS3 Q, CSI 12~, CSI [B, CSI N"},
    {"F3",    "SS3 R, CSI 13~, CSI [C, CSI O"},
    {"F4",    "SS3 S, CSI 14~, CSI [D, CSI P"},
    /* F5 on: most CSI 15~; Linux CSI [E; SCO CSI Q; PuTTY VT100+ SS3 T.. */
    {"F5",    "CSI 15~, CSI [E, CSI Q, SS3 T"},
    {"F6",    "CSI 17~, CSI R, SS3 U"},
    {"F7",    "CSI 18~, CSI S, SS3 V"},
    {"F8",    "CSI 19~, CSI T, SS3 W"},
    {"F9",    "CSI 20~, CSI U, SS3 X"},
    {"F10",   "CSI 21~, CSI V, SS3 Y"},
    {"F11",   "CSI 23~, CSI W, SS3 Z"},
    {"F12",   "CSI 24~, CSI X, SS3 ["},
};

enum { UI_KEYSEQ_ROWS = sizeof ui_keyseq_table / sizeof ui_keyseq_table[0] };

int ui_keyseq_escdelay(const char *value)
{
    if (!value || !*value)
        return UI_KEYSEQ_ESCDELAY_DEFAULT_MS;
    char *end;
    long ms = strtol(value, &end, 10);
    if (*end || ms < 1 || ms > UI_KEYSEQ_ESCDELAY_MAX_MS)
        return UI_KEYSEQ_ESCDELAY_DEFAULT_MS;
    return (int)ms;
}

/* True when the table's token (" CSI 15~" up to a comma) is body. */
static bool ui_keyseq_token_is(const char *tok, size_t toklen, const char *body,
                               size_t n)
{
    char intro;
    if (toklen > 4 && strncmp(tok, "CSI ", 4) == 0)
        intro = '[';
    else if (toklen > 4 && strncmp(tok, "SS3 ", 4) == 0)
        intro = 'O';
    else
        return false;
    return n == toklen - 3 && body[0] == intro &&
           memcmp(body + 1, tok + 4, n - 1) == 0;
}

/* The key of a normalised body ("[15~", "OP", "[[A"), or NONE. */
static ui_key ui_keyseq_find(const char *body, size_t n)
{
    for (int r = 0; r < UI_KEYSEQ_ROWS; r++) {
        const char *p = ui_keyseq_table[r][1];
        while (*p) {
            while (*p == ' ' || *p == ',')
                p++;
            size_t len = strcspn(p, ",");
            while (len && p[len - 1] == ' ')
                len--;
            if (ui_keyseq_token_is(p, len, body, n))
                return ui_keys_parse(ui_keyseq_table[r][0]);
            p += len;
            while (*p && *p != ',')
                p++;
        }
    }
    return UI_KEY_NONE;
}

/*
 * Taking the modifiers off:
 *   CSI n ; m ~   CSI n $   CSI n ^   CSI n @    ->  CSI n ~
 *   CSI 1 ; m X (X a letter)                    ->  CSI X, but SS3 X for
 *       P Q R S: xterm's modified F1-F4 (CSI P alone is PuTTY SCO's F4)
 *   SS3 m X (old xterm)                          ->  SS3 X
 * A private parameter (CSI < ... mouse, CSI ? ... replies) or an
 * intermediate byte is no key.
 */
ui_key ui_keyseq_lookup(const char *body, size_t n)
{
    char norm[24];
    if (n < 2 || n >= sizeof norm)
        return UI_KEY_NONE;
    char intro = body[0], final = body[n - 1];
    if (intro == '[' && n == 3 && body[1] == '[')
        return ui_keyseq_find(body, n);
    const char *params = body + 1;
    size_t np = n - 2;
    for (size_t i = 0; i < np; i++)
        if (!((params[i] >= '0' && params[i] <= '9') || params[i] == ';'))
            return UI_KEY_NONE;
    size_t first = 0;               /* the first parameter's length */
    while (first < np && params[first] != ';')
        first++;
    if (intro == 'O') {
        norm[0] = 'O';
        norm[1] = final;
        return ui_keyseq_find(norm, 2);
    }
    if (intro != '[')
        return UI_KEY_NONE;
    if (final == '~' || final == '$' || final == '^' || final == '@') {
        if (first == 0)
            return UI_KEY_NONE;
        snprintf(norm, sizeof norm, "[%.*s~", (int)first, params);
        return ui_keyseq_find(norm, strlen(norm));
    }
    if (np > 0 && final >= 'P' && final <= 'S') {
        norm[0] = 'O';
        norm[1] = final;
        return ui_keyseq_find(norm, 2);
    }
    norm[0] = '[';
    norm[1] = final;
    return ui_keyseq_find(norm, 2);
}

/* ---- the reader ----------------------------------------------------- */

static bool ui_keyseq_is_param(ui_key b) { return b >= 0x30 && b <= 0x3f; }
static bool ui_keyseq_is_inter(ui_key b) { return b >= 0x20 && b <= 0x2f; }
static bool ui_keyseq_is_final(ui_key b) { return b >= 0x40 && b <= 0x7e; }

/* Keep a printable copy of a dropped sequence: ESC as \e. */
static void ui_keyseq_note_dropped(ui_keys_reader *r, const char *body, size_t n)
{
    r->ndropped++;
    snprintf(r->dropped, sizeof r->dropped, "\\e%.*s", (int)n, body);
    if (r->on_drop)
        r->on_drop(r->dropped);
}

enum ui_keyseq_end { SEQ_DONE, SEQ_TIMEOUT, SEQ_BROKEN };

/* The wait for each byte after ESC [ or ESC O: a person does not type
 * Esc then [ within ESCDELAY, so a sequence begun is a key in transit, and
 * its rest is waited for longer than the first byte (the one that tells a
 * lone Esc) before it is dropped. */
int ui_keyseq_tail_ms(int escdelay_ms)
{
    return 2 * escdelay_ms;
}

/* Read the rest of a sequence whose introducer (body[0], '[' or 'O') came:
 * bytes into body (at most cap - 1 kept; a longer one is read to its end
 * and known by *n == cap), each waited for up to ui_keyseq_tail_ms.  A key outside
 * the grammar breaks the sequence and is kept in r->pending. */
static enum ui_keyseq_end ui_keyseq_collect(ui_keys_reader *r, char *body,
                                            size_t cap, size_t *n)
{
    bool inter = false;
    int wait = ui_keyseq_tail_ms(r->escdelay_ms);
    for (;;) {
        ui_key b = r->src(r->user, wait);
        if (b == UI_KEY_NONE)
            return SEQ_TIMEOUT;
        bool linux_fkey = *n == 1 && body[0] == '[' && b == '[';
        bool keep = linux_fkey || ui_keyseq_is_final(b) ||
                    (!inter && ui_keyseq_is_param(b)) || ui_keyseq_is_inter(b);
        if (!keep) {
            r->pending = b;
            return SEQ_BROKEN;
        }
        if (*n < cap - 1)
            body[(*n)++] = (char)b;
        else
            *n = cap;
        if (linux_fkey) {
            b = r->src(r->user, wait);
            if (b == UI_KEY_NONE)
                return SEQ_TIMEOUT;
            if (!ui_keyseq_is_final(b)) {
                r->pending = b;
                return SEQ_BROKEN;
            }
            body[(*n)++] = (char)b;
            return SEQ_DONE;
        }
        /* rxvt's Shift: '$' after a parameter ends the sequence */
        bool rxvt_shift = b == '$' && body[0] == '[' && *n > 2 && !inter;
        if (ui_keyseq_is_final(b) || rxvt_shift)
            return SEQ_DONE;
        if (ui_keyseq_is_inter(b))
            inter = true;
    }
}

/* After ESC: a sequence, Esc + digit, or a lone Esc.  Returns the key, or
 * NONE when a sequence was dropped. */
static ui_key ui_keyseq_after_esc(ui_keys_reader *r)
{
    ui_key next = r->src(r->user, r->escdelay_ms);
    if (next == UI_KEY_NONE)
        return UI_KEY_ESC;              /* confirmed by the timeout */
    if (next >= '1' && next <= '9')
        return UI_KEY_C(KEY_F((int)(next - '0')));
    if (next == '0')
        return UI_KEY_C(KEY_F(10));
    if (next != '[' && next != 'O') {
        r->pending = next;              /* Esc, then that key */
        return UI_KEY_ESC;
    }
    char body[32];
    size_t n = 1;
    body[0] = (char)next;
    enum ui_keyseq_end end = ui_keyseq_collect(r, body, sizeof body, &n);
    ui_key k = UI_KEY_NONE;
    if (end == SEQ_DONE && n < sizeof body)
        k = ui_keyseq_lookup(body, n);
    if (k == UI_KEY_NONE)
        ui_keyseq_note_dropped(r, body, n < sizeof body ? n : sizeof body - 1);
    return k;
}

ui_key ui_keys_read_from(ui_keys_reader *r)
{
    for (;;) {
        ui_key k = r->pending;
        r->pending = UI_KEY_NONE;
        if (k == UI_KEY_NONE)
            k = r->src(r->user, -1);
        if (k == UI_KEY_NONE)
            return UI_KEY_NONE;
        if (k == 0x7f || k == 0x08)
            return UI_KEY_C(KEY_BACKSPACE);
        if (k == '\n')
            return UI_KEY_ENTER;
        if (k != UI_KEY_ESC)
            return k;
        k = ui_keyseq_after_esc(r);
        if (k != UI_KEY_NONE)
            return k;
        /* dropped: not a byte of it is a key; read on */
    }
}

/*
 * ui_keyseq: the escape sequences real terminals send for their special
 * keys, and the one reader that turns bytes into keys (ui_key).
 *
 * Why esis reads the sequences itself instead of trusting terminfo: over
 * SSH the TERM a client announces often does not say what it sends.  PuTTY
 * says xterm and sends ESC[11~ for F1; a vt100 entry knows neither ESC[4~
 * (End) nor ESC[15~ (F5); the Linux console sends ESC[[A for F1.  A reader
 * that matches only the terminfo entry takes the first ESC of an unknown
 * sequence as a key and types the rest ("[4~") into the field.  So the
 * terminal is read raw (keypad off, no smkx) and every sequence is first
 * consumed whole by its grammar, then looked up in one table that knows
 * the variants of xterm and VTE (normal and application mode), PuTTY (its
 * ESC[n~, Linux, xterm R6, VT100+ and SCO function keys), rxvt, the Linux
 * console, vt100/vt220, screen and tmux, and Windows Terminal
 * (doc/esis.1, KEYS).  A sequence the table does not know is dropped
 * whole: none of its bytes reaches a field.
 *
 * The grammar (ECMA-48, with the two exceptions terminals use):
 *   CSI = ESC [, then parameter bytes 0x30-0x3F, intermediate bytes
 *         0x20-0x2F, and one final byte 0x40-0x7E.  rxvt ends shifted keys
 *         with '$' (ESC[2$), an intermediate byte by the standard: after a
 *         parameter it is taken as the final byte.  The Linux console's F1-F5
 *         are ESC [ [ A..E: after CSI, '[' takes one more byte.
 *   SS3 = ESC O, then parameter bytes (old xterm: ESC O 5 P) and one final
 *         byte.
 * Modifiers come as a second parameter (ESC[1;5C is Ctrl+Right, ESC[15;2~
 * Shift+F5) or, in rxvt, as the final byte ($ Shift, ^ Ctrl, @ both); esis
 * gives them no meaning, so they are taken off before the lookup and the
 * key is the unmodified one.
 *
 * Timing: on a slow link the bytes of one key can arrive apart.  The byte
 * after ESC is waited for up to the ESCDELAY (ms) the reader is given; a
 * lone Esc press is therefore known only when that time passes.  Once
 * ESC [ or ESC O has come, a key is on its way (nobody types Esc then [
 * that fast), and each further byte is waited for twice as long
 * (ui_keyseq_tail_ms) before the broken sequence is dropped.  A key split
 * right after its ESC by more than ESCDELAY cannot be told from Esc
 * followed by typing: ESCDELAY in the environment raises the limit (the
 * price is a slower lone Esc).  Esc followed by a digit within ESCDELAY is
 * F1..F10 (Esc 1 .. Esc 0), the fallback for clients that eat function
 * keys.
 *
 * Nothing here allocates; the table is constant.
 */
#ifndef ESIS_UI_KEYSEQ_H
#define ESIS_UI_KEYSEQ_H

#include <stdbool.h>
#include <stddef.h>
#include "esis/ui_keys.h"

/* ESCDELAY when the environment does not set one: long enough for a key
 * split by a slow mobile link (250 ms was seen on 3G), short enough that a
 * lone Esc still answers within about half a second. */
#define UI_KEYSEQ_ESCDELAY_DEFAULT_MS 500
#define UI_KEYSEQ_ESCDELAY_MAX_MS     10000

/* The ESCDELAY to use: value (the environment's ESCDELAY, may be NULL) when
 * it is a whole number of milliseconds from 1 to UI_KEYSEQ_ESCDELAY_MAX_MS,
 * else the default. */
int ui_keyseq_escdelay(const char *value);

/* The wait (ms) for each byte of a sequence after its ESC [ or ESC O. */
int ui_keyseq_tail_ms(int escdelay_ms);

/* The key the sequence after ESC stands for (body = "[15;2~", "OP",
 * "[[A", n bytes), or UI_KEY_NONE when the table does not know it. */
ui_key ui_keyseq_lookup(const char *body, size_t n);

/* Where bytes come from: the next key (a code point, or a curses key code
 * plus UI_KEY_CURSES such as a resize), or UI_KEY_NONE when nothing came
 * within timeout_ms (-1 = wait forever; a stop or a lost line answers NONE
 * too). */
typedef ui_key (*ui_key_source)(void *user, int timeout_ms);

/* One reader over a source.  pending is a key read ahead (the key after a
 * lone Esc, the key that broke a sequence) and given by the next call;
 * dropped is the last sequence dropped, printable (ESC as "\e"), and
 * on_drop (may be NULL) is told of each one as it goes, for a log. */
typedef struct ui_keys_reader {
    ui_key_source src;
    void         *user;
    int           escdelay_ms;
    ui_key        pending;
    unsigned      ndropped;
    char          dropped[40];
    void        (*on_drop)(const char *printable);
} ui_keys_reader;

/* The next key: a typed character, a control key, or a special key
 * (UI_KEY_C(KEY_F(2)), UI_KEY_C(KEY_END), ...); Backspace (0x7F or ^H) is
 * UI_KEY_C(KEY_BACKSPACE), ^J is Enter.  Unknown and broken sequences are
 * dropped and the next key is read.  UI_KEY_NONE when the source gives
 * nothing while waiting forever (a stop). */
ui_key ui_keys_read_from(ui_keys_reader *r);

#endif

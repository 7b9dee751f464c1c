/*
 * termsafe: text made safe for a terminal.
 *
 * Data in esis is typed by many people (a school officer names a school,
 * a parent's name arrives in a CSV), and the CLI prints it on other
 * people's terminals.  A terminal obeys the bytes it is sent: ESC and CSI
 * move the cursor, clear the screen and set the window title, OSC 52 puts
 * text in the clipboard, a C1 byte (U+009B is a one-byte CSI for some
 * terminals) does the same without ESC, and bidi overrides make a line
 * read differently from what it holds.  So everything the CLI writes to
 * stdout or stderr goes through text_term_safe, which keeps printable text
 * (Thai included), newline and tab, and shows everything else in a visible
 * form:
 *
 *   C0 controls and DEL      ^@ .. ^_, ^?   (ESC is ^[, BEL ^G)
 *   CR                       kept only before LF (CSV's line ends)
 *   C1 controls U+0080-009F  <U+009B>
 *   bidi overrides/isolates  <U+202E>       (U+202A-202E, U+2066-2069)
 *   invalid UTF-8            \xNN, one per byte
 *
 * The CLI does not call it at every printf: main() replaces stdout and
 * stderr with text_term_open streams, so every byte any command prints is
 * filtered, including commands written after this.  The TUI (ncurses
 * draws its own, and needs escape sequences) gets the real stdout back.
 * Files named with --out keep their format's own escaping (CSV, HTML); a
 * text report is filtered wherever it goes (report_render).
 */
#ifndef ESIS_TERMSAFE_H
#define ESIS_TERMSAFE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include "esis/strbuf.h"

/* Append the safe form of in[0..n) to out.  Returns how many bytes of in
 * were used: all of them, unless final is false and in ends inside a UTF-8
 * sequence or on a CR, which are left for the next call (a stream is
 * written in pieces that may split a character). */
size_t text_term_safe(const char *in, size_t n, bool final, strbuf *out);

/* The safe form of a string; the caller frees it.  NULL on no memory. */
char *text_term_safe_dup(const char *s);

/* True when s[0..n) needs no change: text_term_safe would copy it as is. */
bool text_term_is_safe(const char *s, size_t n);

/* A stream whose every byte reaches `under` through text_term_safe.
 * `under` is borrowed and stays open; text_term_close flushes what is held
 * back and frees the stream.  NULL on failure (errno set). */
FILE *text_term_open(FILE *under);
/* 0, or EOF when writing to `under` failed. */
int text_term_close(FILE *f);

#endif
